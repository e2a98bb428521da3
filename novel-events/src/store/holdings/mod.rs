//! What a store holds, checked when it opens against the payload type it is opened with: a
//! store written with another catalog (or an older or newer one) is refused at once, with what
//! to do, instead of failing at the first read of an event it cannot decode.
//!
//! Contract: a store keeps, in the transaction of each append, the (eventType, eventVersion)
//! pairs it holds and how many events of each ([`HeldEvents`]; a table `event_kinds` in both
//! stores of this workspace, filled from the log by a migration for stores written before it).
//! When it opens, it gives them to [`check_holdings`] with its [`Upcasters`](crate::Upcasters)
//! and its options' [`HoldingsCheck`], which [`classify`] each pair by what the payload type
//! decodes ([`EventPayload::decodes`](crate::EventPayload::decodes)) and refuses the store with
//! [`StoreError::UnreadableEvents`](crate::StoreError::UnreadableEvents), listing every pair
//! it cannot read, with advice that fits its cause.
//!
//! - [`HeldEvents`]: one pair a store holds, and its count;
//! - [`Reading`], [`Unreadable`] and [`classify`]: how a payload type reads a pair, or why not;
//! - [`HoldingsCheck`] and [`check_holdings`]: what is checked at open, and the check;
//! - [`UnreadableEvents`]: the refusal, whose message gives the advice.

mod check;
mod held;
mod reading;
mod unreadable_events;

pub use check::{HoldingsCheck, check_holdings};
pub use held::HeldEvents;
pub use reading::{Reading, Unreadable, classify};
pub use unreadable_events::{UnreadableEvent, UnreadableEvents};
