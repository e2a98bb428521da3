//! What a store holds, checked when it opens against the payload type it is opened with: a
//! store written with another catalog (or an older or newer one) is refused at once, with what
//! to do, instead of failing at the first read of an event it cannot decode.
//!
//! Contract: a store keeps, in the statement of each append, the (eventType, eventVersion)
//! pairs it holds ([`EventKind`]; a table `event_kinds` in both stores of this workspace,
//! filled from the log by a migration for stores written before it). Only the pairs: a count
//! would be a row written by every append (an extra page in SQLite's WAL per commit, about a
//! fifth of a small append's time), where a pair already listed costs a lookup. When it opens,
//! the store gives them to [`check_holdings`] with its [`Upcasters`](crate::Upcasters) and its
//! options' [`HoldingsCheck`], which [`classify`] each pair by what the payload type decodes
//! ([`EventPayload::decodes`](crate::EventPayload::decodes)). Pairs it cannot read
//! ([`UnreadableKinds`]) are then counted in the log, once, on this path only (a pair whose
//! events were all rewritten or removed by hand counts none and is dropped), and the store is
//! refused with [`StoreError::UnreadableEvents`](crate::StoreError::UnreadableEvents), listing
//! each pair with its count and advice that fits its cause.
//!
//! - [`EventKind`]: one pair a store holds;
//! - [`Reading`], [`Unreadable`] and [`classify`]: how a payload type reads a pair, or why not;
//! - [`HoldingsCheck`], [`check_holdings`] and [`UnreadableKinds`]: what is checked at open,
//!   the check, and what it found;
//! - [`UnreadableEvents`]: the refusal, whose message gives the advice.

mod check;
mod event_kind;
mod reading;
mod unreadable_events;

pub use check::{HoldingsCheck, UnreadableKinds, check_holdings};
pub use event_kind::EventKind;
pub use reading::{Reading, Unreadable, classify};
pub use unreadable_events::{UnreadableEvent, UnreadableEvents};
