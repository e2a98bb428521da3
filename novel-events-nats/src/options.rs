//! How a bus is set up: partitions, windows, timeouts, the outage policy, idempotency,
//! upcasting and the encoding of published messages.

use std::sync::Arc;
use std::time::Duration;

use novel_events::cloudevents::CloudEvents;
use novel_events::{IdempotencyStore, Limits, Upcasters};

/// What `publish` does while the server cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// Fail at once with [`NatsError::Unavailable`](crate::NatsError::Unavailable) once the
    /// server's acknowledgement did not come within the ack timeout.
    Fail,
    /// Publish again (same `Nats-Msg-Id`, so the stream keeps one copy) until the server
    /// acknowledges or this long has passed, then fail with `Unavailable`. Keep it below the
    /// duplicate window.
    Wait(Duration),
}

/// Where new subscribers start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartFrom {
    /// Events published after the subscriber's consumer was first created (as the in-process
    /// bus: a new subscriber gets what is published after it subscribes).
    New,
    /// Every event the stream still holds.
    All,
}

/// Which idempotency store the subscribers use.
#[derive(Clone)]
pub enum Idempotency {
    /// [`JetStreamIdempotency`](crate::JetStreamIdempotency) in the catalog's stream
    /// `<catalog>-idempotency`, remembering each eventId this long.
    JetStream {
        /// How long a handled eventId is remembered (the stream's `max_age`).
        ttl: Duration,
    },
    /// Any store (called on a blocking thread, since the trait is synchronous).
    Store(Arc<dyn IdempotencyStore>),
}

impl std::fmt::Debug for Idempotency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Idempotency::JetStream { ttl } => {
                f.debug_struct("JetStream").field("ttl", ttl).finish()
            }
            Idempotency::Store(_) => f.write_str("Store(..)"),
        }
    }
}

/// How the bus writes the messages it publishes. Subscribers read every encoding, whatever
/// their bus publishes in, so that a stream may mix them (while publishers migrate).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Encoding {
    /// The body is the envelope's JSON (the Novel Engine specification's Event Structure).
    #[default]
    Envelope,
    /// CloudEvents 1.0 in the binary mode of the NATS binding: a `ce-` header per attribute
    /// and the payload's JSON as the body, so that consumers in any language read the
    /// messages with their CloudEvents SDK (see [`novel_events::cloudevents`] for the
    /// attributes). The mapping names `dataschema` (its catalog name and registry base URI).
    /// The bus's own headers (`Nats-Msg-Id`, `Novel-Event-Type`, ...) are written as well.
    CloudEventsBinary(CloudEvents),
}

/// The options of a [`JetStreamBus`](crate::JetStreamBus).
#[derive(Debug, Clone)]
pub struct BusOptions {
    /// Partitions of the event subjects (at least 1): the publisher puts each aggregate's
    /// events in one of them, and a subscriber with several workers has one consumer per
    /// partition. Every process of a catalog must use the same number.
    pub partitions: u32,
    /// The events stream's duplicate window: a second publish of an eventId within it is
    /// dropped by the server.
    pub duplicate_window: Duration,
    /// How long the server waits for an acknowledgement before delivering again; running
    /// handlers extend it (`Progress`) every third of it.
    pub ack_wait: Duration,
    /// How long the events stream keeps events (zero: for ever).
    pub max_age: Duration,
    /// How long to wait for the server's acknowledgement of one publish.
    pub ack_timeout: Duration,
    /// What `publish` does while the server cannot be reached.
    pub outage: Outage,
    /// Where a subscriber's consumers start when first created.
    pub start: StartFrom,
    /// The idempotency store of subscriptions that are idempotent.
    pub idempotency: Idempotency,
    /// Converters applied to every event read (deliveries and reprocessed dead letters).
    pub upcasters: Option<Upcasters>,
    /// How long one pull request waits for events before the consumer checks itself and
    /// pulls again.
    pub poll: Duration,
    /// What the bus accepts, at publish (`Envelope::check`) and off the wire
    /// (`Envelope::from_json`): envelope size, nesting, string lengths. By default
    /// [`Limits::default`]; every process of a catalog should use the same.
    pub limits: Limits,
    /// How published messages are written (the envelope's JSON by default).
    pub encoding: Encoding,
}

impl BusOptions {
    /// The default duplicate window: two minutes (the server's own default). See the crate
    /// documentation for why.
    pub const DEFAULT_DUPLICATE_WINDOW: Duration = Duration::from_secs(120);
    /// The default time an idempotency key is kept: seven days.
    pub const DEFAULT_IDEMPOTENCY_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

    /// The same options with `partitions` partitions.
    #[must_use]
    pub fn with_partitions(mut self, partitions: u32) -> Self {
        self.partitions = partitions.max(1);
        self
    }

    /// The same options with this outage policy.
    #[must_use]
    pub fn with_outage(mut self, outage: Outage) -> Self {
        self.outage = outage;
        self
    }

    /// The same options with this ack wait.
    #[must_use]
    pub fn with_ack_wait(mut self, ack_wait: Duration) -> Self {
        self.ack_wait = ack_wait;
        self
    }

    /// The same options with these upcasters.
    #[must_use]
    pub fn with_upcasters(mut self, upcasters: Upcasters) -> Self {
        self.upcasters = Some(upcasters);
        self
    }

    /// The same options with this idempotency store.
    #[must_use]
    pub fn with_idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// The same options publishing in this encoding.
    ///
    /// ```
    /// use novel_events::cloudevents::CloudEvents;
    /// use novel_events_nats::{BusOptions, Encoding};
    ///
    /// let options = BusOptions::default()
    ///     .with_encoding(Encoding::CloudEventsBinary(CloudEvents::new("novel-engine")));
    /// assert_ne!(options.encoding, Encoding::Envelope);
    /// ```
    #[must_use]
    pub fn with_encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The same options with this start for new subscribers.
    #[must_use]
    pub fn with_start(mut self, start: StartFrom) -> Self {
        self.start = start;
        self
    }
}

impl Default for BusOptions {
    fn default() -> Self {
        Self {
            partitions: 1,
            duplicate_window: Self::DEFAULT_DUPLICATE_WINDOW,
            ack_wait: Duration::from_secs(30),
            max_age: Duration::ZERO,
            ack_timeout: Duration::from_secs(5),
            outage: Outage::Wait(Duration::from_secs(60)),
            start: StartFrom::New,
            idempotency: Idempotency::JetStream {
                ttl: Self::DEFAULT_IDEMPOTENCY_TTL,
            },
            upcasters: None,
            poll: Duration::from_secs(1),
            limits: Limits::default(),
            encoding: Encoding::Envelope,
        }
    }
}
