//! The store's schema: its name, and the migrations that create and evolve its tables.
//!
//! Migrations are SQL files compiled in (`migrations/NNNN_*.sql`), run in order by
//! [`migrate`] under a transaction-scoped advisory lock, so that several processes may open a
//! new store at once. The `schema_version` table records each one that ran, and marks the
//! schema as a novel-events store.

use novel_events::StoreError;
use sqlx::{AssertSqlSafe, PgConnection, Row as _};

use crate::error::database_error;

/// The migrations, in order; `schema_version` records which ran. `__SCHEMA__` in their text
/// stands for the store's schema.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_events.sql"),
    include_str!("../migrations/0002_handled.sql"),
    include_str!("../migrations/0003_event_kinds.sql"),
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What `schema_version.store` holds in a store of ours.
const MARK: &str = "novel-events";

/// The tables of a store (besides `schema_version`).
const TABLES: &[&str] = &["events", "log_head", "checkpoints", "snapshots"];

/// Checks that `name` is a schema name the store accepts: lowercase ASCII letters, digits and
/// `_`, not starting with a digit, 1 to 63 bytes.
pub(crate) fn check_name(name: &str) -> Result<(), StoreError> {
    let mut bytes = name.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first == b'_');
    if first_ok
        && name.len() <= 63
        && bytes.all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_')
    {
        Ok(())
    } else {
        Err(StoreError::Database(format!(
            "`{name}` is not a schema name the store accepts: use 1 to 63 lowercase ASCII letters, digits and `_`, not starting with a digit"
        )))
    }
}

/// Brings the schema `schema` of the database to [`SCHEMA_VERSION`], in one transaction.
/// Refuses a schema written by a newer version ([`StoreError::NewerSchema`]) and one holding
/// tables of the store's names that are not a store's ([`StoreError::NotAStore`]). `location`
/// names the schema in errors.
pub(crate) async fn migrate(
    connection: &mut PgConnection,
    schema: &str,
    location: &str,
) -> Result<(), StoreError> {
    let mut transaction = sqlx::Connection::begin(connection)
        .await
        .map_err(database_error)?;
    match migrate_in(&mut transaction, schema, location).await {
        Ok(()) => transaction.commit().await.map_err(database_error),
        Err(error) => {
            // At once, not when the connection is used next: a schema refused stays unlocked.
            let _ = transaction.rollback().await;
            Err(error)
        }
    }
}

/// The work of [`migrate`], inside its transaction.
async fn migrate_in(
    transaction: &mut PgConnection,
    schema: &str,
    location: &str,
) -> Result<(), StoreError> {
    let not_a_store = |message: String| StoreError::NotAStore {
        path: location.to_owned(),
        message,
    };
    let quoted = format!("\"{schema}\"");
    // One opener migrates; the others wait here, then find the work done.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('novel-events schema ' || $1, 0))")
        .bind(schema)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
    let tables: Vec<String> = sqlx::query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1",
    )
    .bind(schema)
    .fetch_all(&mut *transaction)
    .await
    .map_err(database_error)?
    .iter()
    .map(|row| row.try_get(0))
    .collect::<Result<_, _>>()
    .map_err(database_error)?;
    let has = |table: &str| tables.iter().any(|found| found == table);
    let version = if has("schema_version") {
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT coalesce(max(version), 0)::bigint, coalesce(bool_and(store = '{MARK}'), false)
             FROM {quoted}.schema_version"
        )))
        .fetch_one(&mut *transaction)
        .await;
        let (version, ours): (i64, bool) = match found {
            Ok(row) => (
                row.try_get(0).map_err(database_error)?,
                row.try_get(1).map_err(database_error)?,
            ),
            Err(sqlx::Error::Database(error)) => {
                return Err(not_a_store(format!(
                    "it has a table `schema_version` that is not a novel-events one ({})",
                    error.message()
                )));
            }
            Err(error) => return Err(database_error(error)),
        };
        if version > 0 && !ours {
            return Err(not_a_store(
                "its table `schema_version` belongs to another application".to_owned(),
            ));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: location.to_owned(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let missing: Vec<&str> = TABLES.iter().copied().filter(|table| !has(table)).collect();
        if version > 0 && !missing.is_empty() {
            return Err(not_a_store(format!(
                "it is a novel-events store at schema version {version}, but its tables {} are missing",
                missing.join(", ")
            )));
        }
        version
    } else {
        let foreign: Vec<&str> = TABLES.iter().copied().filter(|table| has(table)).collect();
        if !foreign.is_empty() {
            return Err(not_a_store(format!(
                "it has tables named like the store's ({}) but no novel-events `schema_version`: they belong to another application; open the store in another schema",
                foreign.join(", ")
            )));
        }
        0
    };
    if version < SCHEMA_VERSION {
        sqlx::raw_sql(AssertSqlSafe(format!(
            "CREATE SCHEMA IF NOT EXISTS {quoted};
             CREATE TABLE IF NOT EXISTS {quoted}.schema_version (
                 version     integer PRIMARY KEY,
                 store       text NOT NULL,
                 applied_at  timestamptz NOT NULL DEFAULT now()
             );"
        )))
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        for (index, migration) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            sqlx::raw_sql(AssertSqlSafe(migration.replace("__SCHEMA__", &quoted)))
                .execute(&mut *transaction)
                .await
                .map_err(database_error)?;
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {quoted}.schema_version (version, store) VALUES ($1, '{MARK}')"
            )))
            .bind(i32::try_from(index + 1).unwrap_or(i32::MAX))
            .execute(&mut *transaction)
            .await
            .map_err(database_error)?;
        }
    }
    Ok(())
}
