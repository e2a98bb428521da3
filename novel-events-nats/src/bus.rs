//! The bus: publish to the catalog's stream, subscribe durable consumers, shut down.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_nats::jetstream::{self, consumer::DeliverPolicy, stream};
use novel_events::{
    BatchHandler, Envelope, EventBus, EventPayload, Handler, PublishError, ShutdownReport,
    Strategy, SubscribeError, Subscription, SubscriptionOptions, ValidationError, Violation,
};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use crate::advisory;
use crate::dead_letters::JetStreamDeadLetters;
use crate::delivery::{Subscriber, Work};
use crate::error::NatsError;
use crate::headers;
use crate::idempotency::{Dedupe, JetStreamIdempotency};
use crate::lane::{self, Lane};
use crate::names::{Names, token};
use crate::options::{BusOptions, Encoding, Idempotency, Outage, StartFrom};
use crate::shared::Shared;

/// An event bus on NATS JetStream, for envelopes of the payload type `P` (a catalog's
/// `AnyEvent`); see the [crate documentation](crate) for its design.
///
/// Cloning is cheap: clones share the connection and the subscriptions.
///
/// Metrics (through the `metrics` facade, named as the in-process bus's):
/// `novel_events_published_total` per `event_type`; `novel_events_delivered_total`,
/// `_retried_total`, `_duplicates_total` and `_dead_lettered_total` per `subscriber`.
pub struct JetStreamBus<P> {
    shared: Arc<Shared<P>>,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
    instances: Arc<Mutex<HashMap<String, usize>>>,
    marker: PhantomData<fn() -> P>,
}

impl<P> Clone for JetStreamBus<P> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            tasks: Arc::clone(&self.tasks),
            instances: Arc::clone(&self.instances),
            marker: PhantomData,
        }
    }
}

impl<P> std::fmt::Debug for JetStreamBus<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JetStreamBus")
            .field("catalog", &self.shared.names.catalog())
            .field("partitions", &self.shared.names.partitions())
            .finish_non_exhaustive()
    }
}

impl<P> JetStreamBus<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    /// Connects to the server at `url` (reconnecting for ever after a loss, quickly at first)
    /// and sets up the catalog `catalog` (see [`with_client`](Self::with_client)).
    ///
    /// Without the crate feature `tls`, a `tls://` URL is refused
    /// ([`NatsError::Unsupported`]).
    pub async fn connect(url: &str, catalog: &str, options: BusOptions) -> Result<Self, NatsError> {
        if cfg!(not(feature = "tls")) && url.trim_start().to_ascii_lowercase().starts_with("tls://")
        {
            return Err(NatsError::Unsupported(format!(
                "`{url}` asks for TLS: build novel-events-nats with its `tls` feature"
            )));
        }
        let client = async_nats::ConnectOptions::new()
            .max_reconnects(None)
            .reconnect_delay_callback(|attempts| {
                Duration::from_millis(50 * u64::try_from(attempts).unwrap_or(u64::MAX).min(20))
            })
            .connect(url)
            .await
            .map_err(|error| NatsError::Unavailable {
                operation: format!("connecting to {url}"),
                message: error.to_string(),
            })?;
        Self::with_client(client, catalog, options).await
    }

    /// A bus on an existing connection: creates what the catalog needs on the server if it is
    /// missing (its events, reprocess and dead-letter streams, file storage; its idempotency
    /// stream, unless the options give another store). `catalog` names the streams: letters,
    /// digits, `-` and `_`.
    pub async fn with_client(
        client: async_nats::Client,
        catalog: &str,
        options: BusOptions,
    ) -> Result<Self, NatsError> {
        let names = Names::new(catalog, options.partitions).map_err(NatsError::InvalidName)?;
        let jetstream = jetstream::ContextBuilder::new()
            .timeout(options.ack_timeout)
            .build(client.clone());
        let stream_config = |name: String, subjects: String, max_age: Duration| stream::Config {
            name,
            subjects: vec![subjects],
            storage: stream::StorageType::File,
            retention: stream::RetentionPolicy::Limits,
            duplicate_window: options.duplicate_window,
            max_age,
            allow_direct: true,
            ..Default::default()
        };
        let week = Duration::from_secs(7 * 24 * 3600);
        let catalog_name = names.catalog().to_owned();
        let mut streams = Vec::with_capacity(3);
        for config in [
            stream_config(
                names.events_stream(),
                names.events_filter(),
                options.max_age,
            ),
            stream_config(
                names.reprocess_stream(),
                format!("{}.>", names.reprocess_stream()),
                week,
            ),
            stream_config(
                names.dead_letter_stream(),
                format!("{}.>", names.dead_letter_stream()),
                Duration::ZERO,
            ),
        ] {
            let name = config.name.clone();
            streams.push(
                jetstream
                    .get_or_create_stream(config)
                    .await
                    .map_err(|error| {
                        NatsError::client(format!("creating stream `{name}`"), &error)
                    })?,
            );
        }
        let dead_letter_stream = streams.pop().expect("three streams");
        let dedupe = match &options.idempotency {
            Idempotency::JetStream { ttl } => Dedupe::Stream(Box::new(
                JetStreamIdempotency::open(&jetstream, &names.idempotency_stream(), *ttl).await?,
            )),
            Idempotency::Store(store) => Dedupe::Store(Arc::clone(store)),
        };
        let dead_letters = JetStreamDeadLetters::new(
            jetstream.clone(),
            names.clone(),
            dead_letter_stream,
            options.upcasters.clone(),
            options.limits,
        );
        tracing::debug!(catalog = %catalog_name, "JetStream bus ready");
        Ok(Self {
            shared: Arc::new(Shared {
                client,
                jetstream,
                names,
                options,
                dedupe,
                dead_letters,
                stopping: watch::Sender::new(false),
                deadline: watch::Sender::new(false),
                closed: AtomicBool::new(false),
                drained: AtomicUsize::new(0),
            }),
            tasks: Arc::default(),
            instances: Arc::default(),
            marker: PhantomData,
        })
    }

    /// The connection.
    pub fn client(&self) -> &async_nats::Client {
        &self.shared.client
    }

    /// The catalog's name, which names its streams (`<catalog>`, `<catalog>-reprocess`,
    /// `<catalog>-dead-letters`, `<catalog>-idempotency`).
    pub fn catalog(&self) -> &str {
        self.shared.names.catalog()
    }

    /// The subject an envelope is published on: `<catalog>.<partition>.<eventType>`.
    pub fn subject_of(&self, envelope: &Envelope<P>) -> String {
        self.shared
            .names
            .event_subject(envelope.event_type(), envelope.aggregate_id)
    }

    async fn publish_with(&self, envelope: Envelope<P>, outage: Outage) -> Result<(), NatsError> {
        let event_type = envelope.event_type();
        if self.shared.closed.load(Ordering::SeqCst) {
            return Err(PublishError::Closed {
                event_type,
                event_id: envelope.event_id,
            }
            .into());
        }
        if let Err(source) = envelope.check(&self.shared.options.limits) {
            return Err(PublishError::Invalid { event_type, source }.into());
        }
        let encoding_error = |message: String| NatsError::Server {
            operation: format!("encoding `{event_type}`"),
            message,
        };
        let mut message_headers = headers::for_event(&envelope);
        let body: bytes::Bytes = match &self.shared.options.encoding {
            Encoding::Envelope => serde_json::to_vec(&envelope)
                .map_err(|error| encoding_error(error.to_string()))?
                .into(),
            Encoding::CloudEventsBinary(mapping) => {
                // An envelope the mapping cannot write (an empty `metadata.source`, a year
                // past 9999) is the caller's to fix, not an outage to retry.
                let event =
                    mapping
                        .to_binary(&envelope)
                        .map_err(|error| PublishError::Invalid {
                            event_type,
                            source: ValidationError {
                                violations: vec![Violation {
                                    path: String::new(),
                                    message: format!("cannot be written as a CloudEvent: {error}"),
                                }],
                            },
                        })?;
                for (name, value) in &event.headers {
                    message_headers.insert(name.as_str(), value.as_str());
                }
                event.body.into()
            }
        };
        let subject = self.subject_of(&envelope);
        let started = tokio::time::Instant::now();
        let mut pause = Duration::from_millis(50);
        loop {
            let attempt = async {
                self.shared
                    .jetstream
                    .publish_with_headers(subject.clone(), message_headers.clone(), body.clone())
                    .await?
                    .await
            };
            let error = match tokio::time::timeout(self.shared.options.ack_timeout, attempt).await {
                Ok(Ok(_ack)) => {
                    metrics::counter!("novel_events_published_total", "event_type" => event_type)
                        .increment(1);
                    return Ok(());
                }
                Ok(Err(error)) => publish_error(event_type, &error),
                Err(_) => NatsError::Unavailable {
                    operation: format!("publishing `{event_type}`"),
                    message: format!(
                        "no acknowledgement within {:?}",
                        self.shared.options.ack_timeout
                    ),
                },
            };
            match outage {
                Outage::Wait(limit)
                    if error.is_unavailable() && started.elapsed() + pause < limit =>
                {
                    tracing::debug!(%error, "publish not acknowledged; trying again");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(1));
                }
                _ => return Err(error),
            }
        }
    }

    fn lanes(&self, options: &SubscriptionOptions) -> Result<(Vec<Lane>, usize), NatsError> {
        let names = &self.shared.names;
        let bus = &self.shared.options;
        let name = token(&options.name);
        let lane = |stream: String, consumer: String, filter: String, pending: usize| Lane {
            stream,
            consumer,
            filter,
            max_ack_pending: i64::try_from(pending).unwrap_or(i64::MAX),
            batch: 1,
            expires: bus.poll,
            deliver: match bus.start {
                StartFrom::New => DeliverPolicy::New,
                StartFrom::All => DeliverPolicy::All,
            },
            max_deliver: i64::from(options.retry.max_attempts.max(1)),
            ack_wait: bus.ack_wait,
        };
        let (mut lanes, workers) = match options.strategy {
            Strategy::Immediate => {
                return Err(NatsError::UnsupportedStrategy(options.name.clone()));
            }
            Strategy::Asynchronous { workers, .. } if workers > 1 && names.partitions() > 1 => (
                (0..names.partitions())
                    .map(|partition| {
                        lane(
                            names.events_stream(),
                            format!("{name}-p{partition}"),
                            names.partition_filter(partition),
                            1,
                        )
                    })
                    .collect(),
                workers,
            ),
            Strategy::Asynchronous { .. } => (
                vec![lane(
                    names.events_stream(),
                    name.clone(),
                    names.events_filter(),
                    1,
                )],
                1,
            ),
            Strategy::Batch {
                max_size,
                max_wait,
                queue_capacity,
            } => {
                let mut batch = lane(
                    names.events_stream(),
                    name.clone(),
                    names.events_filter(),
                    queue_capacity.max(max_size),
                );
                batch.batch = max_size.max(1);
                batch.expires = max_wait.max(Duration::from_millis(10));
                (vec![batch], 1)
            }
        };
        let mut reprocess = lane(
            names.reprocess_stream(),
            name,
            names.reprocess_subject(&options.name),
            1,
        );
        reprocess.deliver = DeliverPolicy::All;
        lanes.push(reprocess);
        Ok((lanes, workers))
    }

    async fn start(
        &self,
        options: SubscriptionOptions,
        work: Work<P>,
    ) -> Result<Subscription, NatsError> {
        if self.shared.closed.load(Ordering::SeqCst) {
            return Err(SubscribeError::Closed(options.name).into());
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Err(SubscribeError::NoRuntime(options.name).into());
        };
        let (lanes, workers) = self.lanes(&options)?;
        let mut consumers = Vec::with_capacity(lanes.len());
        for lane in &lanes {
            consumers.push(lane.ensure(&self.shared, &options.name, 0).await?);
        }
        let subscriber = Arc::new(Subscriber {
            name: options.name.clone(),
            retry: options.retry.clone(),
            idempotent: options.idempotent,
            work,
            workers: Semaphore::new(workers),
        });
        let mut tasks = self.tasks.lock().unwrap_or_else(PoisonError::into_inner);
        for (lane, consumer) in lanes.into_iter().zip(consumers) {
            tasks.push(runtime.spawn(advisory::watch(
                Arc::clone(&self.shared),
                options.name.clone(),
                lane.clone(),
            )));
            tasks.push(runtime.spawn(lane::run(
                Arc::clone(&self.shared),
                Arc::clone(&subscriber),
                lane,
                consumer,
            )));
        }
        drop(tasks);
        let mut instances = self
            .instances
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let count = instances.entry(options.name.clone()).or_default();
        let instance = *count;
        *count += 1;
        Ok(Subscription {
            name: options.name,
            instance,
        })
    }
}

/// The [`EventBus`] contract on JetStream; see the crate documentation for how each
/// promise is kept across processes, and where it differs: [`Strategy::Immediate`] is refused
/// ([`SubscribeError::UnsupportedStrategy`]), a shutdown puts unfinished events back instead of
/// dead-lettering them, and the transport's failures are the errors' `Unavailable` variants.
impl<P> EventBus<P> for JetStreamBus<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    type DeadLetters = JetStreamDeadLetters<P>;

    /// Publishes an envelope and waits for the stream's acknowledgement: checks the payload
    /// against its catalog, writes the envelope's JSON with its headers (`Nats-Msg-Id` is the
    /// eventId). While the server is unreachable it retries or fails
    /// ([`PublishError::Unavailable`]), per [`BusOptions::outage`].
    async fn publish(&self, envelope: Envelope<P>) -> Result<(), PublishError> {
        let (event_type, event_id) = (envelope.event_type(), envelope.event_id);
        self.publish_with(envelope, self.shared.options.outage)
            .await
            .map_err(|error| error.into_publish_error(event_type, event_id))
    }

    /// Like [`publish`](Self::publish) but never waits out an outage: it fails with
    /// [`PublishError::Unavailable`] as soon as one acknowledgement did not come. (The stream
    /// has no per-subscriber queue that could be full.)
    async fn try_publish(&self, envelope: Envelope<P>) -> Result<(), PublishError> {
        let (event_type, event_id) = (envelope.event_type(), envelope.event_id);
        self.publish_with(envelope, Outage::Fail)
            .await
            .map_err(|error| error.into_publish_error(event_type, event_id))
    }

    /// Subscribes a handler under `options.name`: a durable pull consumer on the server that
    /// every instance of the name, in any process, shares. See the crate documentation for
    /// strategies and ordering. [`Strategy::Immediate`] is refused
    /// ([`SubscribeError::UnsupportedStrategy`]); options differing from those the group's
    /// consumer was created with are refused ([`SubscribeError::OptionsMismatch`]); a server
    /// that cannot be reached gives [`SubscribeError::Unavailable`]. The returned instance
    /// number counts the instances of this bus (this process).
    ///
    /// The consumers are created before this returns, so an event published after it is
    /// delivered to the subscriber.
    async fn subscribe<H: Handler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        let name = options.name.clone();
        self.start(options, Work::One(Arc::new(handler)))
            .await
            .map_err(|error| error.into_subscribe_error(&name))
    }

    /// Subscribes a batch handler (`options.strategy` should be [`Strategy::Batch`]; the
    /// others are read as batches of one).
    async fn subscribe_batch<H: BatchHandler<P>>(
        &self,
        options: SubscriptionOptions,
        handler: H,
    ) -> Result<Subscription, SubscribeError> {
        let name = options.name.clone();
        self.start(options, Work::Batch(Arc::new(handler)))
            .await
            .map_err(|error| error.into_subscribe_error(&name))
    }

    /// The dead letters of every subscriber of the catalog.
    fn dead_letters(&self) -> &JetStreamDeadLetters<P> {
        &self.shared.dead_letters
    }

    /// Stops pulling, lets running handlers finish until `deadline`, then cuts the others
    /// short and puts their events back (a nak: another instance, or this subscriber after a
    /// restart, gets them; nothing is dead-lettered for the shutdown, so
    /// `ShutdownReport::abandoned` is 0). Waits for the subscription tasks to stop, at most
    /// two seconds past the deadline; tasks still running then (a handler blocking its
    /// thread) are aborted and counted in `ShutdownReport::still_running`, their events left
    /// unacknowledged for the server to redeliver.
    /// Publishing and subscribing are refused from then on.
    async fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        self.shared.closed.store(true, Ordering::SeqCst);
        self.shared.stopping.send_replace(true);
        let tasks: Vec<JoinHandle<()>> =
            std::mem::take(&mut *self.tasks.lock().unwrap_or_else(PoisonError::into_inner));
        let aborts: Vec<_> = tasks.iter().map(JoinHandle::abort_handle).collect();
        let all = futures_util::future::join_all(tasks);
        tokio::pin!(all);
        let mut still_running = 0;
        if tokio::time::timeout(deadline, &mut all).await.is_err() {
            self.shared.deadline.send_replace(true);
            if tokio::time::timeout(Duration::from_secs(2), &mut all)
                .await
                .is_err()
            {
                for abort in aborts {
                    if !abort.is_finished() {
                        still_running += 1;
                        abort.abort();
                    }
                }
            }
        }
        ShutdownReport {
            drained: self.shared.drained.load(Ordering::SeqCst),
            abandoned: 0,
            still_running,
        }
    }
}

/// A failed publish as an error: `Unavailable` when no stream answered (the server is
/// starting, or reconnecting; the bus created the stream, so a missing one is taken as
/// that), when the acknowledgement did not come, or when the connection broke.
fn publish_error(event_type: &str, error: &jetstream::context::PublishError) -> NatsError {
    use jetstream::context::PublishErrorKind;
    let operation = format!("publishing `{event_type}`");
    match error.kind() {
        PublishErrorKind::StreamNotFound
        | PublishErrorKind::TimedOut
        | PublishErrorKind::BrokenPipe => NatsError::Unavailable {
            operation,
            message: error.to_string(),
        },
        _ => NatsError::client(operation, error),
    }
}
