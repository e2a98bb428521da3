//! [`PostgresIdempotency`]: the runtime's [`IdempotencyStore`] in a table, shared by every
//! process of a subscriber.

use std::sync::mpsc;
use std::thread;

use chrono::{DateTime, Utc};
use novel_events::{IdempotencyStore, StoreError};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;

use crate::error::database_error;
use crate::options::PostgresOptions;

/// What the worker thread is asked.
enum Request {
    IsHandled(String, Uuid, mpsc::SyncSender<bool>),
    Mark(String, Uuid, mpsc::SyncSender<bool>),
    Claim(String, Uuid, mpsc::SyncSender<bool>),
    Release(String, Uuid, mpsc::SyncSender<bool>),
    ForgetBefore(DateTime<Utc>, mpsc::SyncSender<Result<u64, StoreError>>),
}

/// Remembers which events each subscriber handled, in the `handled` table of a store's schema:
/// a subscriber running in several processes (or restarted) handles each eventId once.
///
/// It [`claims`](IdempotencyStore::claims): [`claim`](IdempotencyStore::claim) inserts the
/// (subscriber, eventId) row before the handler runs, so a duplicate delivered to another
/// process meanwhile is skipped; [`release`](IdempotencyStore::release) deletes it again when
/// the handler fails, so the event stays deliverable. A process that dies while handling
/// leaves its claim: the event then counts as handled (at most once); delete the row to
/// handle it again.
///
/// The trait is synchronous: each call waits for one statement, run by a thread of this store
/// with its own runtime and pool (so a call blocks its caller's thread for a round trip, on
/// any tokio runtime). When the database cannot be reached, a call logs a warning and answers
/// so that the event is delivered (`is_handled` and `claim` say it was not handled): a
/// database outage may cause a duplicate, never a lost event.
///
/// Rows are kept until [`forget_before`](Self::forget_before) removes old ones.
///
/// ```no_run
/// use novel_events::IdempotencyStore;
/// use novel_events_postgres::{PostgresIdempotency, PostgresOptions};
///
/// let handled = PostgresIdempotency::open(
///     "postgres://postgres@127.0.0.1:5432/app",
///     PostgresOptions::default(),
/// )?;
/// let event = uuid::Uuid::new_v4();
/// assert!(handled.claim("story-engine", event));
/// assert!(!handled.claim("story-engine", event), "claimed once, in any process");
/// # Ok::<(), novel_events::StoreError>(())
/// ```
#[derive(Debug)]
pub struct PostgresIdempotency {
    requests: mpsc::Sender<Request>,
}

/// The statements, for one schema.
struct Statements {
    is_handled: String,
    mark: String,
    claim: String,
    release: String,
    forget: String,
}

impl PostgresIdempotency {
    /// Connects to `url`, creates or migrates the store's schema (`options.schema`, as
    /// [`PostgresEventStore::open_with`](crate::PostgresEventStore::open_with) does) and starts
    /// the worker thread. Blocks until connected; refuses what `open_with` refuses.
    pub fn open(url: &str, options: PostgresOptions) -> Result<Self, StoreError> {
        crate::schema::check_name(&options.schema)?;
        let (requests, receiver) = mpsc::channel();
        let (ready, opened) = mpsc::sync_channel(1);
        let url = url.to_owned();
        thread::Builder::new()
            .name("novel-events-idempotency".into())
            .spawn(move || serve(&url, &options.schema, &ready, &receiver))
            .map_err(|error| StoreError::Database(format!("cannot start a thread: {error}")))?;
        opened
            .recv()
            .map_err(|_| StoreError::Database("the idempotency worker stopped".into()))??;
        Ok(Self { requests })
    }

    /// Deletes the rows of events handled before `time`; returns how many. An event
    /// redelivered after that is handled again.
    pub fn forget_before(&self, time: DateTime<Utc>) -> Result<u64, StoreError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.requests
            .send(Request::ForgetBefore(time, reply))
            .map_err(|_| StoreError::Database("the idempotency worker stopped".into()))?;
        answer
            .recv()
            .map_err(|_| StoreError::Database("the idempotency worker stopped".into()))?
    }

    /// Sends a request and waits for its answer; `fallback` if the worker is gone.
    fn ask(&self, request: impl FnOnce(mpsc::SyncSender<bool>) -> Request, fallback: bool) -> bool {
        let (reply, answer) = mpsc::sync_channel(1);
        if self.requests.send(request(reply)).is_err() {
            return fallback;
        }
        answer.recv().unwrap_or(fallback)
    }
}

/// The worker thread: connects, migrates, tells `ready`, then answers requests until the store
/// is dropped.
fn serve(
    url: &str,
    schema: &str,
    ready: &mpsc::SyncSender<Result<(), StoreError>>,
    requests: &mpsc::Receiver<Request>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = ready.send(Err(StoreError::Database(format!(
                "cannot start a runtime: {error}"
            ))));
            return;
        }
    };
    let opened = runtime.block_on(async {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(url)
            .await
            .map_err(database_error)?;
        let mut connection = pool.acquire().await.map_err(database_error)?;
        let database: String = sqlx::query_scalar("SELECT current_database()::text")
            .fetch_one(&mut *connection)
            .await
            .map_err(database_error)?;
        crate::schema::migrate(&mut connection, schema, &format!("{database}.{schema}")).await?;
        drop(connection);
        Ok::<_, StoreError>(pool)
    });
    let pool = match opened {
        Ok(pool) => pool,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    if ready.send(Ok(())).is_err() {
        return;
    }
    let table = format!("\"{schema}\".handled");
    let statements = Statements {
        is_handled: format!(
            "SELECT EXISTS (SELECT 1 FROM {table} WHERE subscriber = $1 AND event_id = $2)"
        ),
        mark: format!(
            "INSERT INTO {table} (subscriber, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        ),
        claim: format!(
            "INSERT INTO {table} (subscriber, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING
             RETURNING true"
        ),
        release: format!("DELETE FROM {table} WHERE subscriber = $1 AND event_id = $2"),
        forget: format!("DELETE FROM {table} WHERE handled_at < $1"),
    };
    while let Ok(request) = requests.recv() {
        runtime.block_on(answer(&pool, &statements, request));
    }
    runtime.block_on(pool.close());
}

/// Answers one request.
async fn answer(pool: &PgPool, statements: &Statements, request: Request) {
    let warn = |what: &str, error: &sqlx::Error| {
        tracing::warn!(%error, "idempotency store: {what} failed; the event stays deliverable");
    };
    match request {
        Request::IsHandled(subscriber, event_id, reply) => {
            let handled = sqlx::query_scalar(AssertSqlSafe(statements.is_handled.as_str()))
                .bind(subscriber)
                .bind(event_id)
                .fetch_one(pool)
                .await
                .unwrap_or_else(|error| {
                    warn("is_handled", &error);
                    false
                });
            let _ = reply.send(handled);
        }
        Request::Mark(subscriber, event_id, reply) => {
            let done = sqlx::query(AssertSqlSafe(statements.mark.as_str()))
                .bind(subscriber)
                .bind(event_id)
                .execute(pool)
                .await;
            if let Err(error) = &done {
                warn("mark_handled", error);
            }
            let _ = reply.send(done.is_ok());
        }
        Request::Claim(subscriber, event_id, reply) => {
            let claimed: Result<Option<bool>, _> =
                sqlx::query_scalar(AssertSqlSafe(statements.claim.as_str()))
                    .bind(subscriber)
                    .bind(event_id)
                    .fetch_optional(pool)
                    .await;
            let claimed = claimed.map_or_else(
                |error| {
                    warn("claim", &error);
                    true
                },
                |row| row.is_some(),
            );
            let _ = reply.send(claimed);
        }
        Request::Release(subscriber, event_id, reply) => {
            let done = sqlx::query(AssertSqlSafe(statements.release.as_str()))
                .bind(subscriber)
                .bind(event_id)
                .execute(pool)
                .await;
            if let Err(error) = &done {
                warn("release", error);
            }
            let _ = reply.send(done.is_ok());
        }
        Request::ForgetBefore(time, reply) => {
            let forgotten = sqlx::query(AssertSqlSafe(statements.forget.as_str()))
                .bind(time)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
                .map_err(database_error);
            let _ = reply.send(forgotten);
        }
    }
}

impl IdempotencyStore for PostgresIdempotency {
    fn is_handled(&self, subscriber: &str, event_id: Uuid) -> bool {
        self.ask(
            |reply| Request::IsHandled(subscriber.to_owned(), event_id, reply),
            false,
        )
    }

    fn mark_handled(&self, subscriber: &str, event_id: Uuid) {
        self.ask(
            |reply| Request::Mark(subscriber.to_owned(), event_id, reply),
            false,
        );
    }

    fn claims(&self) -> bool {
        true
    }

    fn claim(&self, subscriber: &str, event_id: Uuid) -> bool {
        self.ask(
            |reply| Request::Claim(subscriber.to_owned(), event_id, reply),
            true,
        )
    }

    fn release(&self, subscriber: &str, event_id: Uuid) {
        self.ask(
            |reply| Request::Release(subscriber.to_owned(), event_id, reply),
            false,
        );
    }
}
