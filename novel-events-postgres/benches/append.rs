//! What serialized appends cost (a skeleton, to grow): appends of one event through
//! `PostgresEventStore::append`, against a baseline measured in the same run on the same
//! server: a raw INSERT of the same row into the same table, in a transaction of its own,
//! without the lock of the log's head. Both one writer at a time, and four writers at once
//! (four tasks, a pool of four connections each side), where the store's appends wait for
//! each other and the raw INSERTs do not.
//!
//! Needs the server of the tests (`NOVEL_EVENTS_POSTGRES_URL`, by default
//! `postgres://postgres@127.0.0.1:5432/test`); each run uses fresh schemas, dropped at the end.
//!
//! `cargo bench -p novel-events-postgres --bench append -- --warm-up-time 1 --measurement-time 3`

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::CharacterDeleted;
use novel_events::{Envelope, EventAppender, ExpectedVersion};
use novel_events_postgres::sqlx::{self, AssertSqlSafe};
use novel_events_postgres::{PostgresEventStore, PostgresOptions};
use tokio::runtime::Runtime;
use uuid::Uuid;

const WRITERS: usize = 4;

fn url() -> String {
    std::env::var("NOVEL_EVENTS_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn event() -> Envelope<AnyEvent> {
    let character = Uuid::new_v4();
    Envelope::new(
        AnyEvent::from(CharacterDeleted {
            character_id: character,
            name: "Oren".into(),
            deletion_reason: "retired".into(),
            deleted_by: Uuid::new_v4(),
        }),
        "bench",
    )
}

#[derive(Clone)]
struct Setup {
    store: PostgresEventStore<AnyEvent>,
    raw: sqlx::PgPool,
    raw_insert: String,
    schemas: [String; 2],
}

async fn setup() -> Setup {
    let store_schema = format!("ne_bench_{}", Uuid::new_v4().simple());
    let raw_schema = format!("ne_bench_{}", Uuid::new_v4().simple());
    let options = |schema: &str| PostgresOptions {
        schema: schema.to_owned(),
        max_connections: WRITERS as u32 + 1,
        ..PostgresOptions::default()
    };
    let store = PostgresEventStore::open_with(&url(), options(&store_schema))
        .await
        .expect("a reachable server: start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`");
    // The baseline's table: the same schema, created by the store, then written around it.
    let raw_store = PostgresEventStore::<AnyEvent>::open_with(&url(), options(&raw_schema))
        .await
        .expect("open");
    let raw = raw_store.pool().clone();
    sqlx::raw_sql(AssertSqlSafe(format!(
        "CREATE SEQUENCE \"{raw_schema}\".positions"
    )))
    .execute(&raw)
    .await
    .expect("a sequence");
    let raw_insert = format!(
        "INSERT INTO \"{raw_schema}\".events (position, event_id, aggregate_id, aggregate_type,
             stream_version, event_type, event_version, correlation_id, causation_id,
             \"timestamp\", envelope)
         VALUES (nextval('\"{raw_schema}\".positions'), $1, $2, 'Character', 1,
                 'characters.character.deleted', '1.0.0', $1, $1, now(), $3::json)"
    );
    Setup {
        store,
        raw,
        raw_insert,
        schemas: [store_schema, raw_schema],
    }
}

async fn raw_append(setup: &Setup) {
    let envelope = event();
    let mut transaction = setup.raw.begin().await.expect("begin");
    sqlx::query(AssertSqlSafe(setup.raw_insert.as_str()))
        .bind(envelope.event_id)
        .bind(envelope.aggregate_id)
        .bind(serde_json::to_string(&envelope).expect("encodes"))
        .execute(&mut *transaction)
        .await
        .expect("insert");
    transaction.commit().await.expect("commit");
}

async fn store_append(setup: &Setup) {
    let envelope = event();
    setup
        .store
        .append(
            envelope.aggregate_id,
            ExpectedVersion::NoStream,
            vec![envelope],
        )
        .await
        .expect("append");
}

/// `iterations` appends spread over `WRITERS` concurrent tasks.
async fn concurrently(setup: &Setup, iterations: u64, store: bool) -> Duration {
    let started = Instant::now();
    let per_writer = iterations.div_ceil(WRITERS as u64);
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let setup = setup.clone();
            tokio::spawn(async move {
                for _ in 0..per_writer {
                    if store {
                        store_append(&setup).await;
                    } else {
                        raw_append(&setup).await;
                    }
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("no panic");
    }
    started.elapsed()
}

fn main() {
    let runtime = Runtime::new().expect("a runtime");
    let setup = runtime.block_on(setup());
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("append");
    group.throughput(Throughput::Elements(1));
    group.bench_function("raw_insert/1_writer", |bench| {
        bench.iter(|| runtime.block_on(raw_append(&setup)));
    });
    group.bench_function("store/1_writer", |bench| {
        bench.iter(|| runtime.block_on(store_append(&setup)));
    });
    group.bench_function("raw_insert/4_writers", |bench| {
        bench.iter_custom(|iterations| runtime.block_on(concurrently(&setup, iterations, false)));
    });
    group.bench_function("store/4_writers", |bench| {
        bench.iter_custom(|iterations| runtime.block_on(concurrently(&setup, iterations, true)));
    });
    group.finish();
    criterion.final_summary();
    runtime.block_on(async {
        for schema in &setup.schemas {
            let _ = sqlx::raw_sql(AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE")))
                .execute(&setup.raw)
                .await;
        }
    });
}
