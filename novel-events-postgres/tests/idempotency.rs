//! `PostgresIdempotency`: claims shared by every instance ("process") of a subscriber.

mod common;

use std::sync::{Arc, Barrier};

use common::TestSchema;
use novel_events::IdempotencyStore;
use novel_events_postgres::PostgresIdempotency;
use uuid::Uuid;

fn schema() -> TestSchema {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(TestSchema::new())
}

fn open(schema: &TestSchema) -> PostgresIdempotency {
    PostgresIdempotency::open(&common::url(), schema.options()).expect("open")
}

#[test]
fn a_claim_holds_across_instances_until_released() {
    let schema = schema();
    let one = open(&schema);
    let two = open(&schema);
    assert!(one.claims());
    let event = Uuid::new_v4();
    assert!(!one.is_handled("memory", event));
    assert!(one.claim("memory", event), "the first claim");
    assert!(!two.claim("memory", event), "claimed by the other instance");
    assert!(two.is_handled("memory", event));
    assert!(
        two.claim("story-engine", event),
        "another subscriber's claim is its own"
    );

    // The handler failed: released, the event is deliverable again.
    one.release("memory", event);
    assert!(!two.is_handled("memory", event));
    assert!(two.claim("memory", event));

    // The two-step protocol (batch strategy).
    let other = Uuid::new_v4();
    one.mark_handled("memory", other);
    one.mark_handled("memory", other);
    assert!(two.is_handled("memory", other));
    assert!(!two.claim("memory", other));

    // Kept across a restart.
    drop(one);
    let again = open(&schema);
    assert!(again.is_handled("memory", other));
}

#[test]
fn concurrent_claims_of_one_event_have_one_winner() {
    let schema = schema();
    let stores = [Arc::new(open(&schema)), Arc::new(open(&schema))];
    for _ in 0..10 {
        let event = Uuid::new_v4();
        let barrier = Arc::new(Barrier::new(4));
        let claimers: Vec<_> = (0..4)
            .map(|index| {
                let store = Arc::clone(&stores[index % 2]);
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    barrier.wait();
                    store.claim("memory", event)
                })
            })
            .collect();
        let winners = claimers
            .into_iter()
            .map(|claimer| claimer.join().expect("no panic"))
            .filter(|claimed| *claimed)
            .count();
        assert_eq!(winners, 1);
    }
}

#[test]
fn old_rows_can_be_forgotten() {
    let schema = schema();
    let store = open(&schema);
    let event = Uuid::new_v4();
    store.mark_handled("memory", event);
    let before = chrono::Utc::now() - chrono::Duration::hours(1);
    assert_eq!(store.forget_before(before).expect("forget"), 0);
    let after = chrono::Utc::now() + chrono::Duration::seconds(5);
    assert_eq!(store.forget_before(after).expect("forget"), 1);
    assert!(!store.is_handled("memory", event));
}

#[test]
fn a_foreign_schema_is_refused_as_by_the_store() {
    let schema = schema();
    let mut options = schema.options();
    options.schema = "Not A Name".into();
    let error = PostgresIdempotency::open(&common::url(), options).expect_err("a bad name");
    assert!(error.to_string().contains("not a schema name"), "{error}");
}
