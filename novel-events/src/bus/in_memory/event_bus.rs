//! [`EventBus`] for [`InMemoryBus`]: publishing, subscribing and shutting down; and the
//! reprocessing of a dead letter that its [`InMemoryDeadLetters`] asks of the bus.

use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::bus::{
    BatchHandler, EventBus, Handler, PublishError, ReprocessError, ShutdownReport, Strategy,
    SubscribeError, Subscription, SubscriptionOptions,
};
use crate::envelope::Envelope;
use crate::event::EventPayload;

use super::metrics::recorder_id;
use super::publish::Publishing;
use super::routing::{Instance, partition};
use super::worker::SingleAsBatch;
use super::{InMemoryBus, InMemoryDeadLetters};

impl<P> EventBus<P> for InMemoryBus<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    type DeadLetters = InMemoryDeadLetters<P>;

    fn publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), PublishError>> + Send {
        Publishing::new(self, envelope, true)
    }

    fn try_publish(
        &self,
        envelope: Envelope<P>,
    ) -> impl Future<Output = Result<(), PublishError>> + Send {
        Publishing::new(self, envelope, false)
    }

    async fn subscribe<H: Handler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        self.subscribe_now(options, handler)
    }

    async fn subscribe_batch<H: BatchHandler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        self.subscribe_batch_now(options, handler)
    }

    fn dead_letters(&self) -> &InMemoryDeadLetters<P> {
        &self.inner.letters
    }

    async fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.inner.draining.store(true, Ordering::SeqCst);
        // Dropping the senders lets each worker finish its queue and stop.
        {
            let groups = self
                .inner
                .groups
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            for group in groups.iter() {
                group
                    .instances
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clear();
            }
            self.rebuild_routing(&groups);
        }
        let mut still_running = 0;
        if tokio::time::timeout(deadline, self.all_stopped())
            .await
            .is_err()
        {
            // Past the deadline: workers and immediate deliveries dead-letter what they hold
            // and stop; a handler blocking its thread is not waited for beyond the grace.
            {
                let _gate = self
                    .inner
                    .gate
                    .write()
                    .unwrap_or_else(PoisonError::into_inner);
                self.inner.deadline_passed.store(true, Ordering::SeqCst);
                self.inner.deadline.send_replace(true);
            }
            if tokio::time::timeout(SHUTDOWN_GRACE, self.all_stopped())
                .await
                .is_err()
            {
                still_running = self.inner.active_workers.load(Ordering::SeqCst);
            }
        }
        ShutdownReport {
            drained: self.inner.drained.load(Ordering::SeqCst),
            abandoned: self.inner.shutdown_dead_letters.load(Ordering::SeqCst),
            still_running,
        }
    }
}

/// How long `shutdown` waits, once its deadline has passed, for workers and immediate
/// deliveries to dead-letter what they hold: they do at once unless a handler blocks its thread.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(100);

impl<P> InMemoryBus<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    /// Returns once every worker and immediate delivery has stopped.
    async fn all_stopped(&self) {
        loop {
            let notified = self.inner.workers_done.notified();
            if self.inner.active_workers.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Subscribes a handler; nothing here waits.
    fn subscribe_now<H: Handler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        options
            .validate()
            .map_err(|reason| SubscribeError::InvalidOptions {
                name: options.name.clone(),
                reason,
            })?;
        let runtime = self.check_open(&options.name)?;
        let group = self.group(&options)?;
        let handler: Arc<dyn Handler<P>> = Arc::new(handler);
        match options.strategy {
            Strategy::Immediate => Ok(self.add_instance(&group, Instance::Immediate(handler))),
            Strategy::Asynchronous {
                workers,
                queue_capacity,
            } => {
                let mut senders = Vec::new();
                for _ in 0..workers.max(1) {
                    let (sender, receiver) = mpsc::channel(queue_capacity.max(1));
                    senders.push(sender);
                    let worker = self.worker(&group);
                    let handler = Arc::clone(&handler);
                    self.spawn_worker(&runtime, worker.run(handler, receiver));
                }
                let accepts_handler = Arc::clone(&handler);
                let accepts = Arc::new(move |event_type: &str, event_version: &str| {
                    accepts_handler.accepts(event_type, event_version)
                });
                Ok(self.add_instance(
                    &group,
                    Instance::Queued {
                        senders,
                        accepts,
                        capacity: queue_capacity.max(1),
                    },
                ))
            }
            Strategy::Batch { .. } => self.subscribe_batch_now(options, SingleAsBatch(handler)),
        }
    }

    /// Subscribes a batch handler; nothing here waits.
    fn subscribe_batch_now<H: BatchHandler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        options
            .validate()
            .map_err(|reason| SubscribeError::InvalidOptions {
                name: options.name.clone(),
                reason,
            })?;
        let runtime = self.check_open(&options.name)?;
        let (max_size, max_wait, queue_capacity) = match options.strategy {
            Strategy::Batch {
                max_size,
                max_wait,
                queue_capacity,
            } => (max_size.max(1), max_wait, queue_capacity.max(1)),
            Strategy::Asynchronous { queue_capacity, .. } => {
                (1, Duration::ZERO, queue_capacity.max(1))
            }
            Strategy::Immediate => (
                1,
                Duration::ZERO,
                SubscriptionOptions::DEFAULT_QUEUE_CAPACITY,
            ),
        };
        let options = SubscriptionOptions {
            strategy: Strategy::Batch {
                max_size,
                max_wait,
                queue_capacity,
            },
            ..options
        };
        let group = self.group(&options)?;
        let handler: Arc<dyn BatchHandler<P>> = Arc::new(handler);
        let (sender, receiver) = mpsc::channel(queue_capacity);
        let worker = self.worker(&group);
        self.spawn_worker(
            &runtime,
            worker.run_batches(Arc::clone(&handler), receiver, max_size, max_wait),
        );
        let accepts = Arc::new(move |event_type: &str, event_version: &str| {
            handler.accepts(event_type, event_version)
        });
        Ok(self.add_instance(
            &group,
            Instance::Queued {
                senders: vec![sender],
                accepts,
                capacity: queue_capacity,
            },
        ))
    }

    /// Delivers dead letter `id` again to its subscriber (see
    /// [`DeadLetters::reprocess`](crate::DeadLetters::reprocess)).
    pub(super) async fn reprocess(&self, id: u64) -> Result<(), ReprocessError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(ReprocessError::Closed);
        }
        let letter = self
            .inner
            .dead_letters
            .get(id)
            .ok_or(ReprocessError::NotFound(id))?;
        let envelope = Arc::clone(letter.envelope().ok_or(ReprocessError::Undecodable(id))?);
        let group = self
            .groups()
            .into_iter()
            .find(|group| *group.name == *letter.subscriber)
            .ok_or_else(|| ReprocessError::NoSubscriber(letter.subscriber.clone()))?;
        let instance = {
            let instances = group
                .instances
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            if instances.is_empty() {
                return Err(ReprocessError::NoSubscriber(letter.subscriber.clone()));
            }
            instances[partition(envelope.aggregate_id, instances.len())].clone()
        };
        self.inner.dead_letters.discard(id);
        match instance {
            Instance::Immediate(handler) => {
                let worker = self.worker(&group);
                let metrics = group.metrics.for_type(envelope.event_type());
                worker.process(&*handler, &envelope, &metrics).await;
            }
            Instance::Queued { senders, .. } => {
                let sender = &senders[partition(envelope.aggregate_id, senders.len())];
                let sent = match sender.reserve().await {
                    Ok(permit) => {
                        let _gate = self
                            .inner
                            .gate
                            .read()
                            .unwrap_or_else(PoisonError::into_inner);
                        if self.inner.deadline_passed.load(Ordering::SeqCst) {
                            false
                        } else {
                            let depth = group.depth.fetch_add(1, Ordering::SeqCst) + 1;
                            #[allow(clippy::cast_precision_loss)]
                            group.metrics.depth(recorder_id()).set(depth as f64);
                            permit.send(Arc::clone(&envelope));
                            true
                        }
                    }
                    Err(_) => false,
                };
                if !sent {
                    self.inner.dead_letters.push(letter);
                    return Err(ReprocessError::Closed);
                }
            }
        }
        Ok(())
    }
}
