//! sqlx errors as the store's [`StoreError`].

use novel_events::StoreError;

/// SQLSTATE `disk_full`.
const DISK_FULL: &str = "53100";

/// A database error as a [`StoreError`]: a full disk is [`StoreError::Full`], anything else
/// [`StoreError::Database`].
pub(crate) fn database_error(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(database) = &error
        && database.code().as_deref() == Some(DISK_FULL)
    {
        return StoreError::Full {
            message: database.message().to_owned(),
        };
    }
    StoreError::Database(error.to_string())
}

/// A `u64` as a PostgreSQL `bigint` (values past `i64::MAX` are clamped).
pub(crate) fn bigint(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A `bigint` column as a `u64` (a negative value, never written by the store, reads as 0).
pub(crate) fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}
