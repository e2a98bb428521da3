//! A NATS JetStream event bus for novel-events.
//!
//! TODO: design documentation.

mod advisory;
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
pub use dead_letters::{JetStreamDeadLetters, NatsDeadLetter};
pub use error::NatsError;
pub use idempotency::JetStreamIdempotency;
pub use options::{BusOptions, Idempotency, Outage, StartFrom};
