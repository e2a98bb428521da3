//! An event bus on NATS JetStream for novel-events: the in-process bus's contract across
//! processes and restarts. [`JetStreamBus`] implements `novel_events::EventBus`, and its
//! [`JetStreamDeadLetters`] implement `novel_events::DeadLetters`, so that code written
//! against the traits runs on it unchanged; [`NatsError`] is for what is JetStream's own
//! (connecting, setting up the streams) and converts from and into the runtime's errors.
//!
//! **Minimum server: nats-server 2.9** with JetStream enabled. The client (`async-nats`) is
//! built without its features for servers 2.10 and later, so that nothing this crate uses
//! needs a newer server (no multiple filter subjects, no subject transforms, no per-message
//! TTL, no consumer priority groups).
//!
//! ```no_run
//! use std::time::Duration;
//! use std::sync::Arc;
//! use novel_events::novel_engine::{AnyEvent, characters::CharacterDeleted};
//! use novel_events::{
//!     DeadLetters, Envelope, EventBus, HandlerResult, SubscriptionOptions, handler_fn,
//! };
//! use novel_events_nats::{BusOptions, JetStreamBus, NatsError};
//!
//! # async fn run() -> Result<(), NatsError> {
//! let bus: JetStreamBus<AnyEvent> =
//!     JetStreamBus::connect("nats://127.0.0.1:4222", "novel-engine", BusOptions::default()).await?;
//! bus.subscribe(
//!     SubscriptionOptions::asynchronous("memory-service"),
//!     handler_fn(|event: Arc<Envelope<AnyEvent>>| async move {
//!         println!("{} {}", event.event_type(), event.event_id);
//!         HandlerResult::Ok(())
//!     }),
//! )
//! .await?;
//! let deleted = CharacterDeleted {
//!     character_id: uuid::Uuid::new_v4(),
//!     name: "Oren".into(),
//!     deletion_reason: "retired".into(),
//!     deleted_by: uuid::Uuid::new_v4(),
//! };
//! bus.publish(Envelope::new(deleted.into(), "character-service")).await?;
//! for letter in bus.dead_letters().list().await? {
//!     println!("{} failed for {}: {}", letter.id, letter.subscriber, letter.error);
//! }
//! bus.shutdown(Duration::from_secs(5)).await;
//! # Ok(())
//! # }
//! ```
//!
//! # Design
//!
//! **Streams and subjects.** A catalog (`novel-engine`) owns one events stream of its own name,
//! file storage, subjects `novel-engine.>`; each event goes on
//! `novel-engine.<partition>.<eventType>` (`novel-engine.0.characters.character.created`), the
//! partition computed from the aggregateId by the publisher (see ordering): the aggregateId's
//! 16 bytes read as two big-endian 64-bit halves, XORed, modulo the number of partitions (0
//! with one partition), so that a publisher in any language puts an aggregate where this one
//! does. Beside it:
//! `novel-engine-reprocess` (dead letters sent back, one subject per subscriber),
//! `novel-engine-dead-letters` and `novel-engine-idempotency`. Names the server cannot take
//! in a subject token are escaped (`_` and two hex digits per byte).
//!
//! **The message.** The body is the envelope's JSON (the Novel Engine specification's Event
//! Structure), which stays the source of truth: **eventVersion travels in it**, and also in the
//! header `Novel-Event-Version` (with `Novel-Event-Type`), so that tools can route or filter
//! without parsing. `Novel-Correlation-Id`, `Novel-Causation-Id` and the W3C `traceparent`
//! (from `metadata.trace`, when it is one) are headers as well, so that a trace continues in
//! the consuming process: the handler runs in a `novel_events.handle` span carrying them. See
//! [`headers`].
//!
//! **CloudEvents.** With [`BusOptions::encoding`] set to [`Encoding::CloudEventsBinary`], a
//! message is a CloudEvent in the NATS binding's binary mode instead: a `ce-` header per
//! attribute, the payload's JSON as the body (the bus's own headers stay), so that consumers
//! in other languages read it with their CloudEvents SDK. Subscribers read both encodings (and
//! the structured mode, a `Content-Type` of `application/cloudevents+json`), so a stream may
//! mix them; a dead letter keeps the message's headers, so it still holds its envelope.
//!
//! **Publishing** checks the payload against its catalog, then waits for the stream's
//! acknowledgement: `Ok` means the event is stored. `Nats-Msg-Id` is the eventId, and the
//! stream drops a second copy within its **duplicate window, two minutes by default**
//! ([`BusOptions::duplicate_window`]): long enough to cover a publisher retrying across a
//! reconnect (the outage wait, [`Outage::Wait`], is kept below it, and a client reconnects in
//! seconds), short enough that the server's memory of message ids stays small (it keeps every
//! id of the window in memory). Copies published further apart (an outbox relaying after a
//! long outage, a replay) are caught by the subscribers' idempotency, which remembers for
//! days.
//!
//! **Subscribers.** A named subscriber is a durable pull consumer (explicit acks, file
//! storage, `max_deliver` = the retry policy's `max_attempts`): every instance of the name, in
//! any process, pulls from it, so the instances share the work and each event reaches the
//! subscriber once in effect. An instance pulls with a bounded wait and checks its consumer
//! after any pull that failed or went unanswered (and every few empty pulls), creating it
//! again if it is gone (after the last sequence it pulled), so a deleted consumer or a lost
//! connection never leaves it waiting on a dead pull: a pull request that expires is this
//! design's heartbeat, and a long-lived `messages()` stream, which can outlive its consumer,
//! is not used. [`Strategy::Immediate`](novel_events::Strategy) is
//! refused (`SubscribeError::UnsupportedStrategy`): a broker cannot run a remote handler
//! inside `publish`.
//!
//! **Retries.** The retry policy (`novel_events::RetryPolicy`) decides on each failure, with
//! the server's delivery count as the attempt number, or one more than the failures the
//! instance saw of the message if that is higher (server 2.9 can deliver a message again
//! with its count back at 1, after a redelivery raced a pull request's expiry; the handler
//! then still runs `max_attempts` times at most; a copy of a message the instance settled
//! already, which the same server can deliver again, is terminated unhandled): a retry is
//! a nak with the policy's delay (exponential by default: 1 s, 2 s, ...), so the wait
//! survives a crash; the last attempt, a permanent error, an error code the policy does not
//! retry, and an undecodable message (not an envelope, an unknown eventType or version, a
//! payload breaking its catalog) are dead-lettered and terminated (`Term`) at once, with the
//! reason; the consumer goes on with the next event. A running handler extends its ack
//! deadline (`Progress`) every third of [`BusOptions::ack_wait`], so a long handler is not
//! delivered twice; a handler whose process dies is delivered again after the ack wait.
//!
//! **Ordering.** A stream delivers in order, but instances pulling from one consumer run side
//! by side. So:
//! - one worker (the default, as in-process): the consumer has `max_ack_pending = 1`, one
//!   event in flight for the whole group: events are handled in publish order, across
//!   aggregates and instances (an effect never before its cause), at the price of one event
//!   at a time per subscriber, and a retry's delay holds the events behind it;
//! - several workers (`with_queue(n, _)`) with [`BusOptions::partitions`] > 1: one consumer
//!   per partition, each with `max_ack_pending = 1`, so each aggregate's events (one
//!   partition) are handled in order by whichever instance pulls them, and up to
//!   `partitions` events run at once across the group (`n` at most per instance). Server 2.9
//!   has no stream subject transforms, so the publisher computes the partition itself;
//!   every process of a catalog must use the same number of partitions. With one partition,
//!   several workers are one (publish order). The queue capacity has no use here: the
//!   stream is the queue;
//! - batches: one consumer, batches of up to `max_size` events pulled within `max_wait`; a
//!   failed batch is retried, then dead-lettered, whole.
//!
//! **Dead letters** ([`JetStreamDeadLetters`]) are messages of the dead-letter stream: the
//! body as it arrived, raw (garbage included), and headers naming the subscriber, error,
//! code, attempts and first and last failure times. List, get, count, discard, reprocess
//! (the letter goes to `<catalog>-reprocess.<subscriber>`, which only that subscriber's
//! consumer reads, and is upcast on the way in like every delivery when
//! [`BusOptions::upcasters`] has a converter for it), and a threshold hook. JetStream has no
//! dead-letter queue of its own; a crash during the last attempt leaves the event at its
//! maximum deliveries, and the server's max-deliveries advisory
//! (`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`), which every instance
//! listens to, dead-letters it with code `max-deliveries` (advisories are core NATS: one
//! sent while no instance runs is lost).
//!
//! **Idempotency.** A subscription that is idempotent (the default) claims each eventId before
//! its handler runs and releases the claim if the handler fails, in
//! [`JetStreamIdempotency`] (a stream keyed by subscriber and eventId, create-if-absent as
//! the claim, a window of seven days by default) or any `novel_events::IdempotencyStore`
//! ([`Idempotency::Store`]): a copy of an event, redelivered after a lost ack or published
//! twice beyond the duplicate window, is skipped across instances and restarts. In the
//! JetStream store a claim names the delivery (stream and sequence) until it is marked done,
//! so that an attempt cut short by a crash is taken over when the server delivers the same
//! message again, instead of being skipped for the claim its dead instance left; a claim
//! left by an attempt the server gave up on is released when the max-deliveries advisory
//! dead-letters it.
//!
//! **Reconnects.** The client reconnects for ever, quickly at first; subscriptions pull again
//! once it is back, consumers and streams being on disk. A publish during an outage waits
//! and retries (same `Nats-Msg-Id`) up to [`Outage::Wait`]'s limit, or fails at once with
//! `PublishError::Unavailable` under [`Outage::Fail`] and in `try_publish`. An
//! acknowledged publish is stored; an event is acknowledged only after its handler
//! succeeded (and the acknowledgement is confirmed by the server), so nothing acknowledged
//! is lost.
//!
//! **Shutdown.** `shutdown` stops pulling, lets running handlers finish until
//! its deadline, then cuts them short and puts their events back (a nak) for another
//! instance or a restart: nothing is dead-lettered for a shutdown. (An event the server
//! sends to a pull of the stopping instance at that very moment is delivered again after the
//! ack wait.) Call it before dropping the last handle: subscription tasks run until then.
//!
//! **TLS** needs the crate feature `tls` (rustls on `ring`); without it the client compiles
//! no cryptography, and [`JetStreamBus::connect`] refuses `tls://` URLs. A server that
//! demands TLS on a `nats://` URL also needs the feature (or a rustls crypto provider
//! installed by the process).

mod advisory;
mod attempts;
mod bus;
mod dead_letters;
mod decode;
mod delivery;
mod error;
pub mod headers;
mod idempotency;
mod lane;
mod names;
mod options;
mod shared;

pub use bus::JetStreamBus;
pub use dead_letters::JetStreamDeadLetters;
pub use error::NatsError;
pub use idempotency::JetStreamIdempotency;
pub use options::{BusOptions, Encoding, Idempotency, Outage, StartFrom};
