//! [`PostgresEventStore`]: the store's handle, how it is opened, and what its clones share.

use std::marker::PhantomData;
use std::sync::Arc;

use novel_events::{EventPayload, StoreError, Upcasters};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::sync::watch;

use crate::error::database_error;
use crate::options::PostgresOptions;
use crate::statements::{Statements, sql};

/// An event store in a PostgreSQL schema.
///
/// Clones share one pool, one notification listener and one position watch. Every operation
/// of the `novel_events` store traits behaves as with `SqliteEventStore`: positions from 1
/// without gaps, optimistic concurrency by stream version, idempotent appends by eventId,
/// upcasting on read, the same [`StoreError`] variants and messages.
///
/// See the [crate documentation](crate) for an example, and for how readers never skip an
/// event.
pub struct PostgresEventStore<P> {
    pub(crate) inner: Arc<StoreInner>,
    marker: PhantomData<fn() -> P>,
}

impl<P> Clone for PostgresEventStore<P> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            marker: PhantomData,
        }
    }
}

impl<P> std::fmt::Debug for PostgresEventStore<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresEventStore")
            .field("location", &self.inner.location)
            .finish_non_exhaustive()
    }
}

/// What the clones of a store share.
pub(crate) struct StoreInner {
    pub(crate) pool: PgPool,
    pub(crate) schema: String,
    /// `database.schema`, for errors.
    pub(crate) location: String,
    pub(crate) statements: Statements,
    pub(crate) upcasters: Upcasters,
    /// The notification channel of this schema's appends.
    pub(crate) channel: String,
    pub(crate) last_position: watch::Sender<u64>,
}

impl StoreInner {
    /// Tells subscribers the log reached `position` (never moves back).
    pub(crate) fn notify(&self, position: u64) {
        self.last_position.send_if_modified(|last| {
            if position > *last {
                *last = position;
                true
            } else {
                false
            }
        });
    }

    /// The last committed position, read from the log's head.
    pub(crate) async fn head(&self) -> Result<u64, StoreError> {
        let position: i64 = sqlx::query_scalar(sql(&self.statements.head))
            .fetch_one(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(crate::error::unsigned(position))
    }
}

/// The notification channel of a schema's appends (at most 63 bytes, PostgreSQL's limit).
fn channel(schema: &str) -> String {
    let mut channel = format!("novel_events_appended.{schema}");
    channel.truncate(63);
    channel
}

impl<P: EventPayload> PostgresEventStore<P> {
    /// Connects to `url` (`postgres://user:password@host:port/database`) with the default
    /// options, creates or migrates the store in schema `novel_events`.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, PostgresOptions::default()).await
    }

    /// Connects to `url` with a pool of `options.max_connections`, then opens the store like
    /// [`with_pool`](Self::with_pool).
    pub async fn open_with(url: &str, options: PostgresOptions) -> Result<Self, StoreError> {
        crate::schema::check_name(&options.schema)?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(2))
            .connect(url)
            .await
            .map_err(database_error)?;
        let opened = Self::with_pool(pool.clone(), options).await;
        if opened.is_err() {
            pool.close().await;
        }
        opened
    }

    /// Opens the store in `options.schema` of the pool's database: creates it if missing, runs
    /// the migrations it lacks, and starts the notification listener (one connection of the
    /// pool). Refuses a schema written by a newer version of this crate
    /// ([`StoreError::NewerSchema`]), one holding tables of the store's names that are not a
    /// store's ([`StoreError::NotAStore`]), and one holding events that `P` cannot read, even
    /// through `options.upcasters` ([`StoreError::UnreadableEvents`], unless
    /// `options.check_holdings` says otherwise).
    ///
    /// The pool must allow 2 connections or more. Must be called within a tokio runtime (the
    /// listener is a task).
    pub async fn with_pool(pool: PgPool, options: PostgresOptions) -> Result<Self, StoreError> {
        crate::schema::check_name(&options.schema)?;
        let most = pool.options().get_max_connections();
        if most < 2 {
            return Err(StoreError::Database(format!(
                "the pool holds at most {most} connection(s): the store needs 2 or more, one of them listens for appends"
            )));
        }
        let schema = options.schema;
        let mut connection = pool.acquire().await.map_err(database_error)?;
        let database: String = sqlx::query_scalar("SELECT current_database()::text")
            .fetch_one(&mut *connection)
            .await
            .map_err(database_error)?;
        let location = format!("{database}.{schema}");
        crate::schema::migrate(&mut connection, &schema, &location).await?;
        let statements = Statements::new(&schema);
        crate::holdings::check::<P>(
            &mut connection,
            &statements,
            &location,
            &options.upcasters,
            options.check_holdings,
        )
        .await?;
        drop(connection);
        let (last_position, _) = watch::channel(0);
        let inner = Arc::new(StoreInner {
            statements,
            channel: channel(&schema),
            pool,
            schema,
            location,
            upcasters: options.upcasters,
            last_position,
        });
        inner.notify(inner.head().await?);
        crate::watch::spawn(&inner, options.poll_interval);
        Ok(Self {
            inner,
            marker: PhantomData,
        })
    }
    /// The pool the store uses.
    pub fn pool(&self) -> &PgPool {
        &self.inner.pool
    }

    /// The schema holding the store's tables.
    pub fn schema(&self) -> &str {
        &self.inner.schema
    }

    /// The channel the store notifies after each append (`pg_notify`, once per transaction,
    /// with the last position as payload). A notification is only a wake-up: read the log
    /// from your own position.
    pub fn channel(&self) -> &str {
        &self.inner.channel
    }
}
