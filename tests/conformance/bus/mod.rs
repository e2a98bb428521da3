//! The conformance suite of [`EventBus`] implementations.
//!
//! Every test of the suite is a function generic over the bus: it takes `make: impl Fn() -> B`,
//! which builds a fresh bus, for any `B: EventBus<AnyEvent> + Clone` ([`Bus`]). A bus
//! implementation runs the suite in one of two ways:
//!
//! - [`bus_conformance_tests!`](crate::bus_conformance_tests) expands to one
//!   `#[tokio::test(start_paused = true)]` per test, for a bus constructor (the caller depends on
//!   tokio with the `macros`, `rt` and `test-util` features);
//! - [`run_all`] runs every test in turn inside one test of the caller's own.
//!
//! Every test runs on tokio's paused clock (`start_paused = true`): the clock moves only when
//! every task waits, straight to the next timer. Retry backoffs and batch windows are therefore
//! exact in virtual time, and the suite never sleeps for real.
//!
//! One module per promise of the contract; `events`, `recorders` and `virtual_time` are what
//! the tests share.

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
pub use immediate::immediate_runs_inside_publish_and_returns_its_error;
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

/// Runs every test of the suite in turn, each on fresh buses from `make`. Call it on a runtime
/// whose clock is paused (`#[tokio::test(start_paused = true)]`).
pub async fn run_all<B: Bus>(make: impl Fn() -> B) {
    catch_all_gets_every_event(&make).await;
    typed_handler_gets_only_its_type(&make).await;
    generated_subscriber_traits_through_into_handler(&make).await;
    consumer_groups_share_work_and_each_group_gets_everything(&make).await;
    per_aggregate_order_with_several_workers(&make).await;
    a_default_subscription_keeps_causal_order_across_aggregates(&make).await;
    an_unpolled_publish_sends_nothing(&make).await;
    publishing_in_a_loop_lets_other_tasks_run(&make).await;
    immediate_runs_inside_publish_and_returns_its_error(&make).await;
    retries_follow_the_default_exponential_backoff(&make).await;
    permanent_errors_are_not_retried(&make).await;
    unlisted_retryable_codes_are_not_retried(&make).await;
    dead_letters_are_listed_inspected_discarded_and_reprocessed(&make).await;
    dead_letter_threshold_hook_fires_at_n(&make).await;
    duplicates_are_handled_once_per_idempotent_subscriber(&make).await;
    reprocessing_after_success_handles_once(&make).await;
    a_duplicate_of_a_dead_letter_stays_one_dead_letter(&make).await;
    batches_fill_by_size_or_by_time(&make).await;
    a_failing_batch_is_retried_whole_then_dead_lettered_whole(&make).await;
    backpressure_try_publish_refuses_and_publish_waits(&make).await;
    shutdown_drains_queued_events_and_refuses_new_work(&make).await;
    shutdown_dead_letters_what_cannot_finish(&make).await;
    shutdown_dead_letters_a_hung_batch(&make).await;
    a_publish_waiting_for_room_during_shutdown_is_not_lost(&make).await;
    a_panicking_handler_is_isolated(&make).await;
    invalid_payloads_are_refused_at_publish(&make).await;
    publisher_stamps_envelopes_and_checks_batches_first(&make).await;
}

/// One `#[tokio::test(start_paused = true)]` per test of the bus conformance suite, for the bus
/// that `$make` (an expression of type `impl Fn() -> B`) builds. Expand it inside a module named
/// for the bus; the tests are named as the suite's functions.
#[macro_export]
macro_rules! bus_conformance_tests {
    ($make:expr) => {
        $crate::bus_conformance_tests!(
            @tests $make;
            catch_all_gets_every_event,
            typed_handler_gets_only_its_type,
            generated_subscriber_traits_through_into_handler,
            consumer_groups_share_work_and_each_group_gets_everything,
            per_aggregate_order_with_several_workers,
            a_default_subscription_keeps_causal_order_across_aggregates,
            an_unpolled_publish_sends_nothing,
            publishing_in_a_loop_lets_other_tasks_run,
            immediate_runs_inside_publish_and_returns_its_error,
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
    (@tests $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[tokio::test(start_paused = true)]
            async fn $test() {
                $crate::conformance::bus::$test($make).await;
            }
        )*
    };
}
