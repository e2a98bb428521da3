//! The conformance suite of [`EventBus`] implementations.
//!
//! Every test of the suite is a function generic over the bus under test: it takes
//! `make: &T` for a [`BusUnderTest`], whose async `make` builds a fresh bus (any
//! `B: EventBus<AnyEvent> + Clone`, [`Bus`]) and which declares what the bus can offer. A
//! plain constructor (`InMemoryBus::new`, any `Fn() -> B`) is a bus under test that offers
//! everything. A bus implementation runs the suite in one of two ways:
//!
//! - [`bus_conformance_tests!`](crate::bus_conformance_tests) expands to one test per test of
//!   the suite that applies, for a factory expression (the caller depends on tokio with the
//!   `macros`, `rt`, `rt-multi-thread` and `test-util` features);
//! - [`run_all`] runs every test that applies in turn inside one test of the caller's own.
//!
//! # What applies to which bus
//!
//! No test is skipped silently: a test that does not apply to a bus is absent from its run
//! because the bus declares it lacks a capability, and this table is the whole list.
//!
//! | capability ([`BusUnderTest`]) | tests that need it | why a broker lacks it |
//! |---|---|---|
//! | [`supports_immediate`](BusUnderTest::supports_immediate) | `immediate_runs_inside_publish_and_returns_its_error`, `shutdown_abandons_an_immediate_delivery_at_its_deadline` | a broker cannot run a remote handler inside `publish`: it refuses the strategy |
//! | [`virtual_time`](BusUnderTest::virtual_time) | `retries_follow_the_default_exponential_backoff`, `batches_fill_by_size_or_by_time` (exact instants) | its redelivery delays and pull windows are the server's, in real time: not on tokio's paused clock |
//! | [`in_process_queues`](BusUnderTest::in_process_queues) | `backpressure_try_publish_refuses_and_publish_waits`, `a_publish_waiting_for_room_during_shutdown_is_not_lost`, `shutdown_drains_queued_events_and_refuses_new_work`, `shutdown_dead_letters_what_cannot_finish`, `shutdown_dead_letters_a_hung_batch` | its queue is the stream: no bounded queue to be full, and a shutdown leaves unpulled events in the stream and puts the ones in flight back, for a restart, instead of draining or dead-lettering them |
//!
//! Every other test is for every bus; `a_panicking_handler_is_isolated`,
//! `invalid_payloads_are_refused_at_publish`, `an_unpolled_publish_sends_nothing` and
//! `duplicates_are_handled_once_per_idempotent_subscriber` check an immediate subscriber as
//! well where the bus offers one, and the last expects a `not_idempotent()` subscriber to get
//! each copy of a published event only where the bus delivers republished events
//! ([`delivers_republished_events`](BusUnderTest::delivers_republished_events): a broker's
//! stream drops a second publish of an eventId within its duplicate window). Where a test checks a backoff, it checks the exact
//! instants on a bus with [`virtual_time`](BusUnderTest::virtual_time) and that each retry
//! waited at least its delay on the others. On a bus with every capability, the suite runs on
//! tokio's paused clock (`start_paused = true`): the clock moves only when every task waits,
//! straight to the next timer, so retry backoffs and batch windows are exact in virtual time
//! and the suite never sleeps for real. On a bus without [`virtual_time`](BusUnderTest::virtual_time)
//! the tests run on the real clock, and wait by polling (`eventually`) and for the bus's
//! [`settle_time`](BusUnderTest::settle_time) when they check that nothing more happens.
//!
//! One module per promise of the contract; `events`, `recorders` and `virtual_time` are what
//! the tests share.

use std::future::Future;
use std::time::Duration;

use novel_events::EventBus;
use novel_events::novel_engine::AnyEvent;

mod events;
mod recorders;
mod virtual_time;

pub mod backpressure;
pub mod batches;
pub mod dead_letters;
pub mod delivery;
pub mod idempotency;
pub mod immediate;
pub mod isolation;
pub mod ordering;
pub mod retry;
pub mod shutdown;

pub use backpressure::backpressure_try_publish_refuses_and_publish_waits;
pub use batches::{
    a_failing_batch_is_retried_whole_then_dead_lettered_whole, batches_fill_by_size_or_by_time,
};
pub use dead_letters::{
    dead_letter_threshold_hook_fires_at_n,
    dead_letters_are_listed_inspected_discarded_and_reprocessed,
};
pub use delivery::{
    catch_all_gets_every_event, generated_subscriber_traits_through_into_handler,
    typed_handler_gets_only_its_type,
};
pub use idempotency::{
    a_duplicate_of_a_dead_letter_stays_one_dead_letter,
    duplicates_are_handled_once_per_idempotent_subscriber, reprocessing_after_success_handles_once,
};
pub use immediate::{
    immediate_runs_inside_publish_and_returns_its_error,
    shutdown_abandons_an_immediate_delivery_at_its_deadline,
};
pub use isolation::{
    a_panicking_handler_is_isolated, invalid_payloads_are_refused_at_publish,
    publisher_stamps_envelopes_and_checks_batches_first,
};
pub use ordering::{
    a_default_subscription_keeps_causal_order_across_aggregates, an_unpolled_publish_sends_nothing,
    consumer_groups_share_work_and_each_group_gets_everything,
    per_aggregate_order_with_several_workers, publishing_in_a_loop_lets_other_tasks_run,
};
pub use retry::{
    permanent_errors_are_not_retried, retries_follow_the_default_exponential_backoff,
    unlisted_retryable_codes_are_not_retried,
};
pub use shutdown::{
    a_publish_waiting_for_room_during_shutdown_is_not_lost, shutdown_dead_letters_a_hung_batch,
    shutdown_dead_letters_what_cannot_finish, shutdown_drains_queued_events_and_refuses_new_work,
};

/// What the suite needs of a bus.
pub trait Bus: EventBus<AnyEvent> + Clone + Send + Sync + 'static {}
impl<B: EventBus<AnyEvent> + Clone + Send + Sync + 'static> Bus for B {}

/// A bus under test: how to build a fresh one, and what it can offer (see the table in the
/// module documentation for the tests each capability gates).
pub trait BusUnderTest: Send + Sync {
    /// The bus.
    type Bus: Bus;

    /// A fresh bus, sharing nothing with the buses made before (a broker's: on a catalog of
    /// its own).
    fn make(&self) -> impl Future<Output = Self::Bus> + Send;

    /// Whether the bus offers [`Strategy::Immediate`](novel_events::Strategy::Immediate)
    /// (handlers inside `publish`).
    fn supports_immediate(&self) -> bool {
        true
    }

    /// Whether the bus's delays are tokio timers, so that the suite can run on a paused clock
    /// and check exact instants.
    fn virtual_time(&self) -> bool {
        true
    }

    /// Whether the instances of one subscription each own a share of the aggregates for good
    /// (the in-memory bus routes an aggregate to one instance), rather than taking the next
    /// event in order whichever instance pulls it (a JetStream consumer shared by the group:
    /// order is kept, ownership is not promised).
    fn pins_aggregates_to_instances(&self) -> bool {
        true
    }

    /// Whether the bus queues events in process: bounded queues (`try_publish` refuses with
    /// `QueueFull`), drained by `shutdown`, which dead-letters what cannot finish.
    fn in_process_queues(&self) -> bool {
        true
    }

    /// Whether an envelope published again (same eventId) is delivered again, for
    /// `not_idempotent()` subscribers to see; a broker that dedupes publishes by eventId
    /// drops the copy instead.
    fn delivers_republished_events(&self) -> bool {
        true
    }

    /// Removes what a shut-down bus left outside the process once a test is done with it (a
    /// broker's streams of the test's catalog); nothing by default.
    fn retire(&self, bus: &Self::Bus) -> impl Future<Output = ()> + Send {
        let _ = bus;
        async {}
    }

    /// How long a test waits to see that nothing more happens.
    fn settle_time(&self) -> Duration {
        Duration::from_secs(60)
    }
}

/// A constructor is a bus under test offering every capability.
impl<B: Bus, F: Fn() -> B + Send + Sync> BusUnderTest for F {
    type Bus = B;

    async fn make(&self) -> B {
        self()
    }
}

/// Runs every test of the suite that applies to the bus, in turn, each on a fresh bus from
/// `make`. With every capability, call it on a runtime whose clock is paused
/// (`#[tokio::test(start_paused = true)]`); without [`BusUnderTest::virtual_time`], on a real
/// clock.
pub async fn run_all<T: BusUnderTest>(make: &T) {
    catch_all_gets_every_event(make).await;
    typed_handler_gets_only_its_type(make).await;
    generated_subscriber_traits_through_into_handler(make).await;
    consumer_groups_share_work_and_each_group_gets_everything(make).await;
    per_aggregate_order_with_several_workers(make).await;
    a_default_subscription_keeps_causal_order_across_aggregates(make).await;
    publishing_in_a_loop_lets_other_tasks_run(make).await;
    permanent_errors_are_not_retried(make).await;
    unlisted_retryable_codes_are_not_retried(make).await;
    dead_letters_are_listed_inspected_discarded_and_reprocessed(make).await;
    dead_letter_threshold_hook_fires_at_n(make).await;
    reprocessing_after_success_handles_once(make).await;
    a_duplicate_of_a_dead_letter_stays_one_dead_letter(make).await;
    a_failing_batch_is_retried_whole_then_dead_lettered_whole(make).await;
    publisher_stamps_envelopes_and_checks_batches_first(make).await;
    an_unpolled_publish_sends_nothing(make).await;
    a_panicking_handler_is_isolated(make).await;
    invalid_payloads_are_refused_at_publish(make).await;
    duplicates_are_handled_once_per_idempotent_subscriber(make).await;
    if make.supports_immediate() {
        immediate_runs_inside_publish_and_returns_its_error(make).await;
        shutdown_abandons_an_immediate_delivery_at_its_deadline(make).await;
    }
    if make.virtual_time() {
        retries_follow_the_default_exponential_backoff(make).await;
        batches_fill_by_size_or_by_time(make).await;
    }
    if make.in_process_queues() {
        backpressure_try_publish_refuses_and_publish_waits(make).await;
        shutdown_drains_queued_events_and_refuses_new_work(make).await;
        shutdown_dead_letters_what_cannot_finish(make).await;
        shutdown_dead_letters_a_hung_batch(make).await;
        a_publish_waiting_for_room_during_shutdown_is_not_lost(make).await;
    }
}

/// One test per test of the bus conformance suite that applies, for the bus under test that
/// `$make` (an expression of a [`BusUnderTest`] type) builds. Expand it inside a module named
/// for the bus; the tests are named as the suite's functions.
///
/// - `bus_conformance_tests!(make)`: a bus with every capability; every test, each a
///   `#[tokio::test(start_paused = true)]`;
/// - `bus_conformance_tests!(make, broker)`: a bus with none of the capabilities of the
///   module's table (a broker); the tests for every bus, each a multi-threaded
///   `#[tokio::test]` on the real clock. Each test checks that the bus under test does lack
///   them, so that a capability it gains is not left untested.
#[macro_export]
macro_rules! bus_conformance_tests {
    ($make:expr) => {
        $crate::bus_conformance_tests!(
            @paused $make;
            catch_all_gets_every_event,
            typed_handler_gets_only_its_type,
            generated_subscriber_traits_through_into_handler,
            consumer_groups_share_work_and_each_group_gets_everything,
            per_aggregate_order_with_several_workers,
            a_default_subscription_keeps_causal_order_across_aggregates,
            an_unpolled_publish_sends_nothing,
            publishing_in_a_loop_lets_other_tasks_run,
            immediate_runs_inside_publish_and_returns_its_error,
            shutdown_abandons_an_immediate_delivery_at_its_deadline,
            retries_follow_the_default_exponential_backoff,
            permanent_errors_are_not_retried,
            unlisted_retryable_codes_are_not_retried,
            dead_letters_are_listed_inspected_discarded_and_reprocessed,
            dead_letter_threshold_hook_fires_at_n,
            duplicates_are_handled_once_per_idempotent_subscriber,
            reprocessing_after_success_handles_once,
            a_duplicate_of_a_dead_letter_stays_one_dead_letter,
            batches_fill_by_size_or_by_time,
            a_failing_batch_is_retried_whole_then_dead_lettered_whole,
            backpressure_try_publish_refuses_and_publish_waits,
            shutdown_drains_queued_events_and_refuses_new_work,
            shutdown_dead_letters_what_cannot_finish,
            shutdown_dead_letters_a_hung_batch,
            a_publish_waiting_for_room_during_shutdown_is_not_lost,
            a_panicking_handler_is_isolated,
            invalid_payloads_are_refused_at_publish,
            publisher_stamps_envelopes_and_checks_batches_first,
        );
    };
    ($make:expr, broker) => {
        $crate::bus_conformance_tests!(
            @real $make;
            catch_all_gets_every_event,
            typed_handler_gets_only_its_type,
            generated_subscriber_traits_through_into_handler,
            consumer_groups_share_work_and_each_group_gets_everything,
            per_aggregate_order_with_several_workers,
            a_default_subscription_keeps_causal_order_across_aggregates,
            publishing_in_a_loop_lets_other_tasks_run,
            permanent_errors_are_not_retried,
            unlisted_retryable_codes_are_not_retried,
            dead_letters_are_listed_inspected_discarded_and_reprocessed,
            dead_letter_threshold_hook_fires_at_n,
            reprocessing_after_success_handles_once,
            a_duplicate_of_a_dead_letter_stays_one_dead_letter,
            a_failing_batch_is_retried_whole_then_dead_lettered_whole,
            publisher_stamps_envelopes_and_checks_batches_first,
            an_unpolled_publish_sends_nothing,
            a_panicking_handler_is_isolated,
            invalid_payloads_are_refused_at_publish,
            duplicates_are_handled_once_per_idempotent_subscriber,
        );
        #[test]
        fn the_bus_lacks_the_capabilities_whose_tests_are_left_out() {
            use $crate::conformance::bus::BusUnderTest as _;
            let make = $make;
            assert!(!make.supports_immediate());
            assert!(!make.virtual_time());
            assert!(!make.in_process_queues());
        }
    };
    (@paused $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[tokio::test(start_paused = true)]
            async fn $test() {
                $crate::conformance::bus::$test(&$make).await;
            }
        )*
    };
    (@real $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                $crate::conformance::bus::$test(&$make).await;
            }
        )*
    };
}
