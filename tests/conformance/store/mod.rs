//! The conformance suite of event stores.
//!
//! Every test of the suite is a function generic over the store. Most take
//! `make: impl AsyncFn() -> S`, which opens a fresh, empty store, for any
//! `S: EventStore<AnyEvent> + CheckpointStore + Clone` ([`Store`]); the upcasting tests take
//! `make: impl AsyncFn(Upcasters) -> W` instead, a fresh store of the [`workshop`] catalog's events
//! reading with those upcasters ([`WorkshopStore`]). A store implementation runs the suite in one
//! of two ways:
//!
//! - [`store_conformance_tests!`](crate::store_conformance_tests) expands to one `#[tokio::test]`
//!   (or the test attribute given) per test:
//!
//!   ```text
//!   mod postgres {
//!       novel_events_tests::store_conformance_tests! {
//!           scratch: |test: &str| FreshSchema::new(test),
//!           store: async |schema: &FreshSchema| schema.open::<AnyEvent>().await,
//!           workshop_store: async |schema: &FreshSchema, upcasters: Upcasters| {
//!               schema.open_with_upcasters::<workshop::AnyEvent>(upcasters).await
//!           },
//!       }
//!   }
//!   ```
//!
//!   `scratch` is built once per test from the test's name and dropped after it (for SQLite: a
//!   [`Scratch`](crate::scratch::Scratch) directory, removed with the files of every store
//!   opened in it; for a server: a schema or database of its own); `store` and
//!   `workshop_store` are async closures that open a store in it;
//! - [`run_all`] runs every test in turn inside one test of the caller's own.
//!
//! [`holdings`], the check at open of what a store holds against the payload type it is opened
//! with, opens one store again and again with several catalogs: its tests are generic over
//! where a store lives ([`holdings::StoreLocation`]) and run from each backend's own tests.
//!
//! One module per promise of the contract (with [`CheckpointStore`], [`Repository`](novel_events::Repository),
//! projections and lineage, which are built on it); `events` and `store_calls` are what the
//! tests share.

use novel_events::novel_engine::AnyEvent;
use novel_events::{CheckpointStore, EventStore, Upcasters};

mod events;
mod store_calls;
pub mod workshop;

pub mod aggregates;
pub mod append_read;
pub mod catch_up;
pub mod concurrency;
pub mod global_log;
pub mod holdings;
pub mod idempotent_appends;
pub mod lineage;
pub mod projections;
pub mod upcasting;

pub use aggregates::{Character, CharacterCommand, CharacterError};
pub use aggregates::{
    a_refused_command_writes_nothing, a_snapshot_that_cannot_be_saved_does_not_fail_the_command,
    checkpoints_and_snapshots_are_kept_per_key, concurrent_executes_conflict,
    snapshots_every_three_events_load_the_same_state,
};
pub use append_read::{a_batch_is_numbered_in_order, append_and_read_back_equal_envelopes};
pub use catch_up::{
    an_append_its_caller_gave_up_on_still_wakes_subscribers,
    catch_up_subscription_delivers_stored_then_live_events,
};
pub use concurrency::{
    a_wrong_expected_version_conflicts_naming_both_versions,
    concurrent_appenders_one_winner_per_version, concurrent_appenders_that_retry_lose_nothing,
    no_stream_on_an_existing_stream_conflicts,
};
pub use events::{created, deleted, related, root, skill};
pub use global_log::{
    an_append_mixing_aggregates_is_refused, an_invalid_payload_is_refused_and_nothing_is_stored,
    positions_are_global_contiguous_and_paged, read_correlation_returns_a_flow_in_log_order,
    read_event_and_last_position, read_stream_from_a_version,
};
pub use idempotent_appends::{
    a_mix_of_stored_and_new_events_is_refused_whole, appending_the_same_events_again_stores_nothing,
};
pub use lineage::lineage_of_a_flow_is_its_causation_tree;
pub use projections::{
    a_refused_event_stops_a_projection_just_before_it, follow_continues_live_until_stopped,
    projection_catch_up_applies_each_event_once, projection_replay_rebuilds_the_same_read_model,
};
pub use upcasting::{
    a_failing_upcaster_makes_the_event_undecodable, upcasting_reads_an_old_version_as_the_newest,
    without_an_upcaster_an_old_version_reads_as_stored,
};

/// What the suite needs of a store.
pub trait Store: EventStore<AnyEvent> + CheckpointStore + Clone + 'static {}
impl<S: EventStore<AnyEvent> + CheckpointStore + Clone + 'static> Store for S {}

/// What the upcasting tests need of a store of the workshop's events.
pub trait WorkshopStore: EventStore<workshop::AnyEvent> + Clone + 'static {}
impl<S: EventStore<workshop::AnyEvent> + Clone + 'static> WorkshopStore for S {}

/// Runs every test of the suite in turn: each opens its stores with `make`, the upcasting tests
/// with `make_workshop`. Every store they open must be fresh and empty.
pub async fn run_all<S: Store, W: WorkshopStore>(
    make: impl AsyncFn() -> S,
    make_workshop: impl AsyncFn(Upcasters) -> W,
) {
    append_and_read_back_equal_envelopes(&make).await;
    a_batch_is_numbered_in_order(&make).await;
    no_stream_on_an_existing_stream_conflicts(&make).await;
    a_wrong_expected_version_conflicts_naming_both_versions(&make).await;
    concurrent_appenders_one_winner_per_version(&make).await;
    concurrent_appenders_that_retry_lose_nothing(&make).await;
    appending_the_same_events_again_stores_nothing(&make).await;
    a_mix_of_stored_and_new_events_is_refused_whole(&make).await;
    positions_are_global_contiguous_and_paged(&make).await;
    read_stream_from_a_version(&make).await;
    read_correlation_returns_a_flow_in_log_order(&make).await;
    read_event_and_last_position(&make).await;
    an_append_mixing_aggregates_is_refused(&make).await;
    an_invalid_payload_is_refused_and_nothing_is_stored(&make).await;
    catch_up_subscription_delivers_stored_then_live_events(&make).await;
    an_append_its_caller_gave_up_on_still_wakes_subscribers(&make).await;
    checkpoints_and_snapshots_are_kept_per_key(&make).await;
    snapshots_every_three_events_load_the_same_state(&make).await;
    concurrent_executes_conflict(&make).await;
    a_snapshot_that_cannot_be_saved_does_not_fail_the_command(&make).await;
    a_refused_command_writes_nothing(&make).await;
    projection_catch_up_applies_each_event_once(&make).await;
    projection_replay_rebuilds_the_same_read_model(&make).await;
    a_refused_event_stops_a_projection_just_before_it(&make).await;
    follow_continues_live_until_stopped(&make).await;
    lineage_of_a_flow_is_its_causation_tree(&make).await;
    upcasting_reads_an_old_version_as_the_newest(&make_workshop).await;
    a_failing_upcaster_makes_the_event_undecodable(&make_workshop).await;
    without_an_upcaster_an_old_version_reads_as_stored(&make_workshop).await;
}

/// One `#[tokio::test]` (or the `test:` attribute given) per test of the store conformance
/// suite, for the stores that the async closures `store` and `workshop_store` open in the
/// `scratch` value built for each test from its name. Expand it inside a module named for the store; the tests are
/// named as the suite's functions.
#[macro_export]
macro_rules! store_conformance_tests {
    (
        scratch: $scratch:expr,
        store: $store:expr,
        workshop_store: $workshop:expr $(,)?
    ) => {
        $crate::store_conformance_tests! {
            test: #[tokio::test],
            scratch: $scratch,
            store: $store,
            workshop_store: $workshop,
        }
    };
    (
        test: #[$test:meta],
        scratch: $scratch:expr,
        store: $store:expr,
        workshop_store: $workshop:expr $(,)?
    ) => {
        $crate::store_conformance_tests!(
            @store #[$test] $scratch, $store;
            append_and_read_back_equal_envelopes,
            a_batch_is_numbered_in_order,
            no_stream_on_an_existing_stream_conflicts,
            a_wrong_expected_version_conflicts_naming_both_versions,
            concurrent_appenders_one_winner_per_version,
            concurrent_appenders_that_retry_lose_nothing,
            appending_the_same_events_again_stores_nothing,
            a_mix_of_stored_and_new_events_is_refused_whole,
            positions_are_global_contiguous_and_paged,
            read_stream_from_a_version,
            read_correlation_returns_a_flow_in_log_order,
            read_event_and_last_position,
            an_append_mixing_aggregates_is_refused,
            an_invalid_payload_is_refused_and_nothing_is_stored,
            catch_up_subscription_delivers_stored_then_live_events,
            an_append_its_caller_gave_up_on_still_wakes_subscribers,
            checkpoints_and_snapshots_are_kept_per_key,
            snapshots_every_three_events_load_the_same_state,
            concurrent_executes_conflict,
            a_snapshot_that_cannot_be_saved_does_not_fail_the_command,
            a_refused_command_writes_nothing,
            projection_catch_up_applies_each_event_once,
            projection_replay_rebuilds_the_same_read_model,
            a_refused_event_stops_a_projection_just_before_it,
            follow_continues_live_until_stopped,
            lineage_of_a_flow_is_its_causation_tree,
        );
        $crate::store_conformance_tests!(
            @workshop #[$test] $scratch, $workshop;
            upcasting_reads_an_old_version_as_the_newest,
            a_failing_upcaster_makes_the_event_undecodable,
            without_an_upcaster_an_old_version_reads_as_stored,
        );
    };
    (@store #[$attribute:meta] $scratch:expr, $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[$attribute]
            async fn $test() {
                let scratch = ($scratch)(stringify!($test));
                let make = $make;
                $crate::conformance::store::$test(async || make(&scratch).await).await;
            }
        )*
    };
    (@workshop #[$attribute:meta] $scratch:expr, $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[$attribute]
            async fn $test() {
                let scratch = ($scratch)(stringify!($test));
                let make = $make;
                $crate::conformance::store::$test(async |upcasters| make(&scratch, upcasters).await)
                    .await;
            }
        )*
    };
}
