//! Sagas (the Novel Engine specification's compensation pattern): steps that each publish an
//! event, and, when a step fails, compensations that undo the steps already done, in reverse,
//! publishing compensation events. Every event of one run shares the trigger's correlationId.
//!
//! A saga sits at the crate root rather than under `bus` or `store`: it is written against the
//! [`EventBus`](crate::EventBus) trait through a [`Publisher`](crate::Publisher), and is the
//! application's own process, not a part of either subsystem.

use std::future::Future;
use std::pin::Pin;

use crate::bus::HandlerError;
use crate::bus::Publisher;
use crate::bus::{EventBus, PublishError};
use crate::envelope::Envelope;
use crate::event::EventPayload;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type Action<P> = Box<dyn Fn(Envelope<P>) -> BoxFuture<Result<P, HandlerError>> + Send + Sync>;
type Compensation<P> =
    Box<dyn Fn(Envelope<P>) -> BoxFuture<Result<Option<P>, HandlerError>> + Send + Sync>;

struct Step<P> {
    name: String,
    action: Action<P>,
    compensation: Compensation<P>,
}

/// A saga: named steps, each with an action and a compensation.
///
/// A step's action receives the previous event (the trigger for the first step) and returns
/// the payload of its own event, which is published as caused by the previous one. When an
/// action fails, the compensations of the steps already done run in reverse order; each receives
/// its step's event and may return a compensation event, published as caused by it.
///
/// ```
/// use novel_events::novel_engine::AnyEvent;
/// use novel_events::novel_engine::orchestration::{ResourceAllocated, ResourceType, WorkflowStarted};
/// use novel_events::{Envelope, HandlerError, InMemoryBus, Publisher, Saga};
/// use uuid::Uuid;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let bus = InMemoryBus::<AnyEvent>::new();
/// let publisher = Publisher::new(bus.clone(), "workflow-engine");
/// let allocate = |amount: f64| ResourceAllocated {
///     resource_id: Uuid::new_v4(),
///     resource_type: ResourceType::AiModel,
///     allocation_amount: amount,
///     allocated_to: "story-engine".into(),
///     duration: 60.0,
///     priority: "high".into(),
/// };
/// let saga = Saga::new("story-generation")
///     .step(
///         "allocate-model",
///         move |_| async move { Ok(AnyEvent::from(allocate(1.0))) },
///         // Undo: release the model (a negative allocation, for this example).
///         move |done: Envelope<AnyEvent>| async move {
///             let AnyEvent::ResourceAllocated(r) = done.payload else { return Ok(None) };
///             Ok(Some(AnyEvent::from(ResourceAllocated { allocation_amount: -r.allocation_amount, ..r })))
///         },
///     )
///     .step(
///         "generate",
///         |_| async { Err(HandlerError::permanent("the model refused the prompt")) },
///         |_| async { Ok(None) },
///     );
///
/// let trigger = publisher
///     .publish(WorkflowStarted {
///         workflow_id: Uuid::new_v4(),
///         workflow_type: novel_events::novel_engine::orchestration::WorkflowType::StoryGeneration,
///         steps: vec!["allocate-model".into(), "generate".into()],
///         context: Default::default(),
///         initiated_by: Uuid::new_v4(),
///         priority: novel_events::novel_engine::orchestration::Priority::High,
///     })
///     .await
///     .unwrap();
/// let failure = saga.run(&publisher, &trigger).await.unwrap_err();
/// assert_eq!(failure.failed_step, "generate");
/// assert_eq!(failure.completed.len(), 1);
/// assert_eq!(failure.compensations.len(), 1);
/// assert_eq!(failure.compensations[0].correlation_id, trigger.correlation_id);
/// assert_eq!(failure.compensations[0].causation_id, failure.completed[0].event_id);
/// # }
/// ```
pub struct Saga<P> {
    name: String,
    steps: Vec<Step<P>>,
}

/// A saga run that failed and was compensated.
#[derive(Debug)]
pub struct SagaFailure<P> {
    /// The saga's name.
    pub saga: String,
    /// The step that failed.
    pub failed_step: String,
    /// Why it failed.
    pub error: String,
    /// The events of the steps done before it, in order.
    pub completed: Vec<Envelope<P>>,
    /// The compensation events published, in the order they ran (reverse step order).
    pub compensations: Vec<Envelope<P>>,
    /// Compensations that failed themselves: (step, error). Those need a person.
    pub compensation_failures: Vec<(String, String)>,
}

impl<P> std::fmt::Display for SagaFailure<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "saga `{}` failed at step `{}` ({}); {} step(s) compensated, {} compensation(s) failed",
            self.saga,
            self.failed_step,
            self.error,
            self.compensations.len(),
            self.compensation_failures.len()
        )
    }
}

impl<P: std::fmt::Debug> std::error::Error for SagaFailure<P> {}

impl<P> Saga<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    /// An empty saga.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            steps: Vec::new(),
        }
    }

    /// Adds a step with its compensation.
    #[must_use]
    pub fn step<A, AF, C, CF>(mut self, name: impl Into<String>, action: A, compensation: C) -> Self
    where
        A: Fn(Envelope<P>) -> AF + Send + Sync + 'static,
        AF: Future<Output = Result<P, HandlerError>> + Send + 'static,
        C: Fn(Envelope<P>) -> CF + Send + Sync + 'static,
        CF: Future<Output = Result<Option<P>, HandlerError>> + Send + 'static,
    {
        self.steps.push(Step {
            name: name.into(),
            action: Box::new(move |envelope| Box::pin(action(envelope))),
            compensation: Box::new(move |envelope| Box::pin(compensation(envelope))),
        });
        self
    }

    /// Runs the saga from `trigger`; returns the steps' events, or the failure after
    /// compensating.
    pub async fn run<B: EventBus<P>>(
        &self,
        publisher: &Publisher<B>,
        trigger: &Envelope<P>,
    ) -> Result<Vec<Envelope<P>>, SagaFailure<P>> {
        let mut completed: Vec<Envelope<P>> = Vec::new();
        for (index, step) in self.steps.iter().enumerate() {
            let previous = completed.last().unwrap_or(trigger).clone();
            let outcome = match (step.action)(previous.clone()).await {
                Ok(payload) => publisher
                    .publish_caused_by(&previous, payload)
                    .await
                    .map_err(|error: PublishError| error.to_string()),
                Err(error) => Err(error.to_string()),
            };
            match outcome {
                Ok(envelope) => completed.push(envelope),
                Err(error) => {
                    tracing::warn!(saga = %self.name, step = %step.name, %error, "saga step failed; compensating");
                    let mut failure = SagaFailure {
                        saga: self.name.clone(),
                        failed_step: step.name.clone(),
                        error,
                        completed: Vec::new(),
                        compensations: Vec::new(),
                        compensation_failures: Vec::new(),
                    };
                    for (done, event) in self.steps[..index].iter().zip(&completed).rev() {
                        match (done.compensation)(event.clone()).await {
                            Ok(Some(payload)) => {
                                match publisher.publish_caused_by(event, payload).await {
                                    Ok(envelope) => failure.compensations.push(envelope),
                                    Err(error) => failure
                                        .compensation_failures
                                        .push((done.name.clone(), error.to_string())),
                                }
                            }
                            Ok(None) => {}
                            Err(error) => failure
                                .compensation_failures
                                .push((done.name.clone(), error.to_string())),
                        }
                    }
                    failure.completed = completed;
                    return Err(failure);
                }
            }
        }
        Ok(completed)
    }
}
