//! The event bus abstraction: publish envelopes, subscribe named consumers with a processing
//! strategy, park what fails in a dead-letter queue, shut down without losing anything.
//!
//! [`InMemoryBus`] implements it in-process. The trait is shaped for a
//! broker as well (NATS JetStream: a subscription name is a durable consumer, a retry is a nak
//! with a redelivery delay, idempotency is dedupe by `eventId` as message id, ordering is per
//! subject keyed by aggregate), so user code written against it does not change.
//!
//! Contract (every implementation passes the conformance suite in `tests/conformance/bus/`):
//! each subscription group gets each published event once, in publish order per aggregate;
//! a failed event is retried by its [`RetryPolicy`], then parked among the bus's
//! [`DeadLetters`], never dropped; an idempotent subscriber handles each eventId at most once;
//! `shutdown` drains the queues until its deadline and leaves nothing lost (dead-lettered
//! in process, put back on a broker). Subscribing and dead-letter operations are async and
//! may fail on the transport: the trait is the same for every transport.
//!
//! - [`EventBus`], its [`SubscriptionOptions`] and [`Strategy`], and its
//!   errors;
//! - [`Handler`] and [`BatchHandler`]: what a subscriber runs, and how it classifies failures;
//! - [`DeadLetters`] and the one [`DeadLetter`] type of every bus;
//! - [`RetryPolicy`] and [`GiveUp`] (why a dead letter was not retried), [`DeadLetterQueue`] (in process), [`IdempotencyStore`];
//! - [`Publisher`]: envelopes built right and checked before they are sent;
//! - [`InMemoryBus`]: the in-process implementation.

mod dead_letter;
mod dead_letters;
mod error;
mod event_bus;
mod give_up;
mod handler;
mod hasher;
mod idempotency;
mod in_memory;
mod options;
mod publisher;
mod retry;

pub use dead_letter::{DeadLetter, DeadLetterQueue, DeadMessage};
pub use dead_letters::DeadLetters;
pub use error::{DeadLetterError, PublishError, ReprocessError, SubscribeError};
pub use event_bus::{EventBus, ShutdownReport, Subscription};
pub use give_up::GiveUp;
pub use handler::{
    BatchHandler, Delivered, DispatchHandler, ErrorClass, FnHandler, Handler, HandlerError,
    HandlerFuture, HandlerResult, OnHandler, handler_fn, on,
};
pub use idempotency::{IdempotencyStore, InMemoryIdempotency};
pub use in_memory::{InMemoryBus, InMemoryDeadLetters};
pub use options::{Strategy, SubscriptionOptions};
pub use publisher::Publisher;
pub use retry::{Backoff, RetryAction, RetryPolicy};
