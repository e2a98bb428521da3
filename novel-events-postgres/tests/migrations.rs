//! Opening a schema: migrations recorded in `schema_version`, refusals of a newer schema and
//! of tables that are not a store's, concurrent openers.

mod common;

use common::{TestSchema, created, root};
use novel_events::novel_engine::AnyEvent;
use novel_events::{EventAppender, EventReader, ExpectedVersion, StoreError};
use novel_events_postgres::sqlx::{self, Connection as _};
use novel_events_postgres::{PostgresEventStore, PostgresOptions, SCHEMA_VERSION};
use uuid::Uuid;

async fn open(schema: &TestSchema) -> Result<PostgresEventStore<AnyEvent>, StoreError> {
    PostgresEventStore::open_with(&common::url(), schema.options()).await
}

async fn execute(sql: String) {
    let mut connection = common::connect().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut connection)
        .await
        .expect("setting the schema up");
    connection.close().await.expect("close");
}

#[tokio::test]
async fn a_new_schema_is_migrated_once_and_reopened_as_it_is() {
    let schema = TestSchema::new().await;
    let store = open(&schema).await.expect("open");
    let character = Uuid::new_v4();
    store
        .append(
            character,
            ExpectedVersion::NoStream,
            vec![root(created(character, "Mira"))],
        )
        .await
        .expect("append");
    drop(store);
    let again = open(&schema).await.expect("reopen");
    assert_eq!(again.last_position().await.expect("last_position"), 1);
    let mut connection = common::connect().await;
    let versions: Vec<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT version FROM \"{}\".schema_version ORDER BY version",
        schema.name
    )))
    .fetch_all(&mut connection)
    .await
    .expect("schema_version");
    assert_eq!(versions, (1..=SCHEMA_VERSION as i32).collect::<Vec<_>>());
    connection.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_openers_of_a_new_schema_all_succeed() {
    let schema = TestSchema::new().await;
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let options = schema.options();
            tokio::spawn(async move {
                PostgresEventStore::<AnyEvent>::open_with(&common::url(), options).await
            })
        })
        .collect();
    for opener in openers {
        common::within("an opener", opener)
            .await
            .expect("no panic")
            .expect("every opener opens the store");
    }
}

#[tokio::test]
async fn a_schema_of_a_newer_version_is_refused() {
    let schema = TestSchema::new().await;
    drop(open(&schema).await.expect("open"));
    let newer = SCHEMA_VERSION + 1;
    execute(format!(
        "INSERT INTO \"{}\".schema_version (version, store) VALUES ({newer}, 'novel-events')",
        schema.name
    ))
    .await;
    let error = open(&schema).await.expect_err("a newer schema");
    assert!(
        matches!(&error, StoreError::NewerSchema { found, supported, path }
            if *found == newer && *supported == SCHEMA_VERSION && path.ends_with(&schema.name)),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("upgrade novel-events"), "{message}");
}

#[tokio::test]
async fn tables_of_the_same_names_that_are_not_ours_are_refused_and_left_alone() {
    let schema = TestSchema::new().await;
    execute(format!(
        "CREATE SCHEMA \"{s}\";
         CREATE TABLE \"{s}\".events (id serial PRIMARY KEY, what text);
         INSERT INTO \"{s}\".events (what) VALUES ('a ledger line');",
        s = schema.name
    ))
    .await;
    let error = open(&schema).await.expect_err("a foreign table");
    match &error {
        StoreError::NotAStore { path, message } => {
            assert!(path.ends_with(&schema.name), "{path}");
            assert!(message.contains("events"), "{message}");
        }
        other => panic!("expected NotAStore, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .contains("is not a novel-events event store"),
        "{error}"
    );
    // Nothing was created or changed.
    let mut connection = common::connect().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1",
    )
    .bind(&schema.name)
    .fetch_all(&mut connection)
    .await
    .expect("tables");
    assert_eq!(tables, vec!["events".to_owned()]);
    connection.close().await.expect("close");
}

#[tokio::test]
async fn a_schema_version_table_of_another_application_is_refused() {
    let schema = TestSchema::new().await;
    execute(format!(
        "CREATE SCHEMA \"{s}\";
         CREATE TABLE \"{s}\".schema_version (version integer, applied text);
         INSERT INTO \"{s}\".schema_version VALUES (3, 'yesterday');",
        s = schema.name
    ))
    .await;
    let error = open(&schema).await.expect_err("a foreign schema_version");
    assert!(
        matches!(&error, StoreError::NotAStore { message, .. } if message.contains("schema_version")),
        "{error:?}"
    );

    let other = TestSchema::new().await;
    execute(format!(
        "CREATE SCHEMA \"{s}\";
         CREATE TABLE \"{s}\".schema_version (version integer, store text);
         INSERT INTO \"{s}\".schema_version VALUES (1, 'flyway');",
        s = other.name
    ))
    .await;
    let error = open(&other)
        .await
        .expect_err("another application's versions");
    assert!(
        matches!(&error, StoreError::NotAStore { message, .. } if message.contains("another application")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_schema_name_that_could_carry_sql_is_refused() {
    for name in [
        "",
        "Upper",
        "1st",
        "a-b",
        "x\"; DROP TABLE y; --",
        &"a".repeat(64),
    ] {
        let options = PostgresOptions {
            schema: name.to_owned(),
            ..PostgresOptions::default()
        };
        let error = PostgresEventStore::<AnyEvent>::open_with(&common::url(), options)
            .await
            .expect_err("a bad name");
        assert!(
            matches!(&error, StoreError::Database(message) if message.contains("not a schema name")),
            "{name:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_pool_of_one_connection_is_refused() {
    let schema = TestSchema::new().await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&common::url())
        .await
        .expect("a pool");
    let error = PostgresEventStore::<AnyEvent>::with_pool(pool, schema.options())
        .await
        .expect_err("one connection cannot both listen and query");
    assert!(
        matches!(&error, StoreError::Database(message) if message.contains("needs 2 or more")),
        "{error:?}"
    );
}
