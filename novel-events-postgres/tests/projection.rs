//! Projections over the PostgreSQL store: a read model in the store's database applied exactly
//! once with its checkpoint, and the runtime's generic projections and catch-up subscriptions.

mod common;

use common::{TestSchema, created, root, skill, within};
use novel_events::novel_engine::AnyEvent;
use novel_events::{
    CatchUp, CheckpointStore, EventAppender, ExpectedVersion, HandlerError, Projection, StoreError,
    StoredEvent,
};
use novel_events_postgres::sqlx::{self, Connection as _, PgConnection};
use novel_events_postgres::{PostgresEventStore, PostgresProjection};
use uuid::Uuid;

/// Counts events per type in a table of the test's schema; refuses the event at `refuse`.
struct Counts {
    table: String,
    refuse: Option<u64>,
}

impl PostgresProjection<AnyEvent> for Counts {
    fn name(&self) -> &str {
        "counts"
    }

    async fn apply(
        &mut self,
        transaction: &mut PgConnection,
        event: &StoredEvent<AnyEvent>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (event_type, count) VALUES ($1, 1)
             ON CONFLICT (event_type) DO UPDATE SET count = {table}.count + 1",
            table = self.table
        )))
        .bind(event.envelope.event_type())
        .execute(&mut *transaction)
        .await?;
        if self.refuse == Some(event.position) {
            return Err(sqlx::Error::Protocol("the read model refuses it".into()));
        }
        Ok(())
    }
}

async fn counts_table(schema: &TestSchema) -> String {
    let table = format!("\"{}\".counts", schema.name);
    let mut connection = common::connect().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE {table} (event_type text PRIMARY KEY, count bigint NOT NULL)"
    )))
    .execute(&mut connection)
    .await
    .expect("the read model's table");
    connection.close().await.expect("close");
    table
}

async fn total(table: &str) -> i64 {
    let mut connection = common::connect().await;
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT coalesce(sum(count), 0)::bigint FROM {table}"
    )))
    .fetch_one(&mut connection)
    .await
    .expect("the read model");
    connection.close().await.expect("close");
    total
}

async fn append_events(store: &PostgresEventStore<AnyEvent>, count: i64) {
    let character = Uuid::new_v4();
    let mut events = vec![root(created(character, "Mira"))];
    events.extend((1..count).map(|level| root(skill(character, level))));
    store
        .append(character, ExpectedVersion::NoStream, events)
        .await
        .expect("append");
}

#[tokio::test]
async fn a_postgres_projection_applies_each_event_once_with_its_checkpoint() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let table = counts_table(&schema).await;
    append_events(&store, 5).await;
    let mut projection = Counts {
        table: table.clone(),
        refuse: None,
    };
    assert_eq!(store.run_projection(&mut projection).await.expect("run"), 5);
    assert_eq!(
        store.run_projection(&mut projection).await.expect("again"),
        0
    );
    assert_eq!(
        store.load_checkpoint("counts").await.expect("checkpoint"),
        5
    );
    append_events(&store, 3).await;
    assert_eq!(store.run_projection(&mut projection).await.expect("run"), 3);
    assert_eq!(total(&table).await, 8);
}

#[tokio::test]
async fn a_refused_event_rolls_back_with_its_checkpoint() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let table = counts_table(&schema).await;
    append_events(&store, 5).await;
    let mut projection = Counts {
        table: table.clone(),
        refuse: Some(4),
    };
    let error = store
        .run_projection(&mut projection)
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, StoreError::Database(message)
            if message.contains("projection `counts` failed at position 4") && message.contains("refuses it")),
        "{error:?}"
    );
    assert_eq!(
        store.load_checkpoint("counts").await.expect("checkpoint"),
        3
    );
    assert_eq!(
        total(&table).await,
        3,
        "the refused event's write was rolled back"
    );
    projection.refuse = None;
    assert_eq!(
        store
            .run_projection(&mut projection)
            .await
            .expect("resumed"),
        2
    );
    assert_eq!(total(&table).await, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runners_of_one_projection_never_apply_an_event_twice() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    let table = counts_table(&schema).await;
    for _ in 0..10 {
        append_events(&store, 10).await;
    }
    let runners: Vec<_> = (0..2)
        .map(|_| {
            let table = table.clone();
            let options = schema.options();
            tokio::spawn(async move {
                let store = PostgresEventStore::<AnyEvent>::open_with(&common::url(), options)
                    .await
                    .expect("open");
                let mut projection = Counts {
                    table,
                    refuse: None,
                };
                store.run_projection(&mut projection).await.expect("run")
            })
        })
        .collect();
    let mut applied = 0;
    for runner in runners {
        applied += within("a runner", runner).await.expect("no panic");
    }
    assert_eq!(applied, 100, "between them, every event once");
    assert_eq!(total(&table).await, 100);
    assert_eq!(
        store.load_checkpoint("counts").await.expect("checkpoint"),
        100
    );
}

/// The runtime's generic projection (checkpoint in the store, read model in memory).
#[derive(Default)]
struct Names(Vec<u64>);

impl Projection<AnyEvent> for Names {
    fn name(&self) -> &str {
        "names"
    }

    fn apply(&mut self, event: &StoredEvent<AnyEvent>) -> Result<(), HandlerError> {
        self.0.push(event.position);
        Ok(())
    }
}

#[tokio::test]
async fn the_runtime_projections_and_catch_up_run_on_the_store() {
    let schema = TestSchema::new().await;
    let store = schema.open::<AnyEvent>().await;
    append_events(&store, 4).await;
    let mut names = Names::default();
    let applied = novel_events::store::projection::catch_up(&store, &mut names)
        .await
        .expect("catch up");
    assert_eq!(applied, 4);
    let applied = novel_events::store::projection::replay(&store, &mut names)
        .await
        .expect("replay");
    assert_eq!(applied, 4);
    assert_eq!(names.0, vec![1, 2, 3, 4, 1, 2, 3, 4]);

    let mut subscription = CatchUp::new(store.clone(), 2);
    let third = within("a stored event", subscription.next())
        .await
        .expect("next");
    assert_eq!(third.position, 3);
    assert_eq!(
        within("a stored event", subscription.next())
            .await
            .expect("next")
            .position,
        4
    );
    let live = tokio::spawn(async move { subscription.next().await });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    append_events(&store, 1).await;
    let fifth = within("a live event", live)
        .await
        .expect("no panic")
        .expect("next");
    assert_eq!(fifth.position, 5);
}
