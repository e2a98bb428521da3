//! Live subscribers across processes: LISTEN/NOTIFY wakes them, and polling takes over while
//! the listening connection is lost.

mod common;

use std::time::{Duration, Instant};

use common::{TestSchema, created, root, within};
use novel_events::novel_engine::AnyEvent;
use novel_events::{CatchUp, EventAppender, EventReader, ExpectedVersion};
use novel_events_postgres::PostgresOptions;
use novel_events_postgres::sqlx::{self, Connection as _};
use uuid::Uuid;

/// Long enough that only a notification can wake a subscriber within the tests' waits.
const NO_POLLING: Duration = Duration::from_secs(3600);

async fn append_one(store: &impl EventAppender<AnyEvent>) {
    let character = Uuid::new_v4();
    store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![root(created(character, "Mira"))],
        )
        .await
        .expect("append");
}

/// A store in another "process" (its own pool and listener) appends: the subscriber of the
/// first store is woken by the notification, polling being off.
#[tokio::test]
async fn a_notification_wakes_a_subscriber_of_another_store() {
    let schema = TestSchema::new().await;
    let options = PostgresOptions {
        poll_interval: NO_POLLING,
        ..schema.options()
    };
    let reader = schema.open_with::<AnyEvent>(options.clone()).await;
    let writer = schema.open_with::<AnyEvent>(options).await;
    let mut watch = reader.watch_position();
    let mut subscription = CatchUp::new(reader.clone(), 0);
    // Let the reader's listener start (it listens before its first read of the head).
    tokio::time::sleep(Duration::from_millis(300)).await;

    append_one(&writer).await;
    let event = within("the woken subscriber", subscription.next())
        .await
        .expect("next");
    assert_eq!(event.position, 1);
    within("the watch", watch.wait_for(|position| *position == 1))
        .await
        .expect("the store is open");

    // Three appends in one transaction-less burst: each notifies once; the watch follows.
    for _ in 0..3 {
        append_one(&writer).await;
    }
    within("the watch", watch.wait_for(|position| *position == 4))
        .await
        .expect("the store is open");
}

/// One notification per append transaction, not one per event.
#[tokio::test]
async fn an_append_of_many_events_notifies_once() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let mut listener = sqlx::postgres::PgListener::connect(&common::url())
        .await
        .expect("a listener");
    listener.listen(store.channel()).await.expect("listen");
    let character = Uuid::new_v4();
    let events = (0..5)
        .map(|level| root(common::skill(character, level)))
        .collect();
    store
        .append(character, ExpectedVersion::Any, events)
        .await
        .expect("append");
    let notification = within("the notification", listener.recv())
        .await
        .expect("recv");
    assert_eq!(
        notification.payload(),
        "5",
        "the payload is the last position"
    );
    let another = tokio::time::timeout(Duration::from_millis(300), listener.recv()).await;
    assert!(another.is_err(), "a second notification came: {another:?}");
}

/// Appends in a transaction of the caller's: only the notification (or polling) tells the
/// store's watch, not the append call.
async fn append_elsewhere(store: &novel_events_postgres::PostgresEventStore<AnyEvent>) {
    let character = Uuid::new_v4();
    let mut transaction = store.pool().begin().await.expect("begin");
    store
        .append_in(
            &mut transaction,
            character,
            ExpectedVersion::NoStream,
            vec![root(created(character, "Elsewhere"))],
        )
        .await
        .expect("append");
    transaction.commit().await.expect("commit");
}

/// The number of connections listening on `channel`.
async fn listeners(admin: &mut sqlx::PgConnection, channel: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN \"' || $1 || '\"' AND pid <> pg_backend_pid()",
    )
    .bind(channel)
    .fetch_one(admin)
    .await
    .expect("count listeners")
}

/// The server terminates the listening connection: the store listens again, and the next
/// notification wakes its watch (polling being off).
#[tokio::test]
async fn the_watch_listens_again_after_a_lost_connection() {
    let schema = TestSchema::new().await;
    let store = schema
        .open_with::<AnyEvent>(PostgresOptions {
            poll_interval: NO_POLLING,
            ..schema.options()
        })
        .await;
    let mut admin = common::connect().await;
    within("the listener", async {
        while listeners(&mut admin, store.channel()).await == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let terminated: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE query = 'LISTEN \"' || $1 || '\"' AND pid <> pg_backend_pid()",
    )
    .bind(store.channel())
    .fetch_one(&mut admin)
    .await
    .expect("terminate the listener");
    assert_eq!(terminated, 1);
    within("a new listener", async {
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if listeners(&mut admin, store.channel()).await == 1 {
                return;
            }
        }
    })
    .await;

    let mut watch = store.watch_position();
    append_elsewhere(&store).await;
    within(
        "the watch after listening again",
        watch.wait_for(|position| *position == 1),
    )
    .await
    .expect("the store is open");
    admin.close().await.expect("close");
}

/// Notifications can be lost (an append committed while the listener was reconnecting):
/// polling finds the head moved within the poll interval.
#[tokio::test]
async fn polling_makes_up_for_a_lost_notification() {
    let schema = TestSchema::new().await;
    let poll_interval = Duration::from_millis(300);
    let store = schema
        .open_with::<AnyEvent>(PostgresOptions {
            poll_interval,
            ..schema.options()
        })
        .await;
    let mut watch = store.watch_position();
    // A row written without a notification, as if its notification had been lost.
    let event = root(created(Uuid::new_v4(), "Unheard"));
    let mut admin = common::connect().await;
    let started = Instant::now();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO \"{schema}\".events (position, event_id, aggregate_id, aggregate_type,
             stream_version, event_type, event_version, correlation_id, causation_id,
             \"timestamp\", envelope)
         VALUES (1, '{id}', '{aggregate}', 'Character', 1, 'characters.character.created',
                 '1.0.0', '{id}', '{id}', now(), '{json}');
         UPDATE \"{schema}\".log_head SET position = 1;",
        schema = schema.name,
        id = event.event_id,
        aggregate = event.aggregate_id,
        json = serde_json::to_string(&event)
            .expect("encodes")
            .replace('\'', "''"),
    )))
    .execute(&mut admin)
    .await
    .expect("a silent append");
    within(
        "the watch by polling",
        watch.wait_for(|position| *position == 1),
    )
    .await
    .expect("the store is open");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "found within a few poll intervals: {:?}",
        started.elapsed()
    );
    assert_eq!(
        store.read_all(0, 10).await.expect("read")[0].envelope,
        event
    );
    admin.close().await.expect("close");
}
