//! What serialized appends cost: appends of one event through `PostgresEventStore::append`,
//! against a baseline measured in the same run on the same server: a raw INSERT of the same
//! row into the same table, in a transaction of its own, without the lock of the log's head.
//! Both one writer at a time, and four writers at once (four tasks, a pool of four connections
//! each side), where the store's appends wait for each other and the raw INSERTs do not. Then
//! batches of ten events in one append against one ten-row INSERT; loading one aggregate (ten
//! events) from a log of 1,000 and of 1,000,000 events (the big log filled by one
//! `INSERT ... SELECT generate_series`, not by appends); and reading a log of 10,000 events
//! from the start, a page of 256 at a time, as a catch-up subscription does.
//!
//! Needs the server of the tests (`NOVEL_EVENTS_POSTGRES_URL`, by default
//! `postgres://postgres@127.0.0.1:5432/test`); each run uses fresh schemas, dropped at the end.
//!
//! `cargo bench -p novel-events-postgres --bench append -- --warm-up-time 1 --measurement-time 3`

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::CharacterDeleted;
use novel_events::{Envelope, EventAppender, EventReader, ExpectedVersion};
use novel_events_postgres::sqlx::{self, AssertSqlSafe};
use novel_events_postgres::{PostgresEventStore, PostgresOptions};
use tokio::runtime::Runtime;
use uuid::Uuid;

const WRITERS: usize = 4;
/// Events per append in the batch benchmarks.
const BATCH: usize = 10;
/// Events of the log a catch-up read goes through.
const CATCH_UP_EVENTS: usize = 10_000;

fn url() -> String {
    std::env::var("NOVEL_EVENTS_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn event() -> Envelope<AnyEvent> {
    event_of(Uuid::new_v4())
}

fn event_of(character: Uuid) -> Envelope<AnyEvent> {
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
    raw_batch_insert: String,
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
    let raw_batch_insert = format!(
        "INSERT INTO \"{raw_schema}\".events (position, event_id, aggregate_id, aggregate_type,
             stream_version, event_type, event_version, correlation_id, causation_id,
             \"timestamp\", envelope)
         SELECT nextval('\"{raw_schema}\".positions'), id, $2, 'Character', version,
                'characters.character.deleted', '1.0.0', id, id, now(), body::json
         FROM unnest($1::uuid[], $3::text[]) WITH ORDINALITY AS batch (id, body, version)"
    );
    Setup {
        store,
        raw,
        raw_insert,
        raw_batch_insert,
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

async fn raw_batch(setup: &Setup) {
    let character = Uuid::new_v4();
    let mut transaction = setup.raw.begin().await.expect("begin");
    let mut ids = Vec::with_capacity(BATCH);
    let mut bodies = Vec::with_capacity(BATCH);
    for _ in 0..BATCH {
        let envelope = event_of(character);
        ids.push(envelope.event_id);
        bodies.push(serde_json::to_string(&envelope).expect("encodes"));
    }
    sqlx::query(AssertSqlSafe(setup.raw_batch_insert.as_str()))
        .bind(ids)
        .bind(character)
        .bind(bodies)
        .execute(&mut *transaction)
        .await
        .expect("insert");
    transaction.commit().await.expect("commit");
}

async fn store_batch(setup: &Setup) {
    let character = Uuid::new_v4();
    let events = (0..BATCH).map(|_| event_of(character)).collect();
    setup
        .store
        .append(character, ExpectedVersion::NoStream, events)
        .await
        .expect("append");
}

/// A log of `total` events: one aggregate of ten appended through the store, then filler rows
/// (other aggregates) inserted by one `INSERT ... SELECT generate_series`. Returns the store and
/// the aggregate.
async fn log_of(total: usize) -> (PostgresEventStore<AnyEvent>, Uuid, String) {
    let schema = format!("ne_bench_{}", Uuid::new_v4().simple());
    let store = PostgresEventStore::<AnyEvent>::open_with(
        &url(),
        PostgresOptions {
            schema: schema.clone(),
            max_connections: 2,
            ..PostgresOptions::default()
        },
    )
    .await
    .expect("open");
    let character = Uuid::new_v4();
    store
        .append(
            character,
            ExpectedVersion::NoStream,
            (0..BATCH).map(|_| event_of(character)).collect(),
        )
        .await
        .expect("append");
    let filler = total - BATCH;
    let body = serde_json::to_string(&event()).expect("encodes");
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO \"{schema}\".events (position, event_id, aggregate_id, aggregate_type,
             stream_version, event_type, event_version, correlation_id, causation_id,
             \"timestamp\", envelope)
         SELECT {BATCH} + g, gen_random_uuid(), gen_random_uuid(), 'Character', 1,
                'characters.character.deleted', '1.0.0', gen_random_uuid(), gen_random_uuid(),
                now(), $1::json
         FROM generate_series(1, {filler}) AS g"
    )))
    .bind(body)
    .execute(store.pool())
    .await
    .expect("the filler rows");
    sqlx::raw_sql(AssertSqlSafe(format!(
        "UPDATE \"{schema}\".log_head SET position = {total}; ANALYZE \"{schema}\".events"
    )))
    .execute(store.pool())
    .await
    .expect("the log's head");
    (store, character, schema)
}

/// A log of `CATCH_UP_EVENTS` events appended through the store, a hundred per append.
async fn catch_up_log() -> (PostgresEventStore<AnyEvent>, String) {
    let schema = format!("ne_bench_{}", Uuid::new_v4().simple());
    let store = PostgresEventStore::<AnyEvent>::open_with(
        &url(),
        PostgresOptions {
            schema: schema.clone(),
            max_connections: 2,
            ..PostgresOptions::default()
        },
    )
    .await
    .expect("open");
    for _ in 0..CATCH_UP_EVENTS / 100 {
        let character = Uuid::new_v4();
        store
            .append(
                character,
                ExpectedVersion::NoStream,
                (0..100).map(|_| event_of(character)).collect(),
            )
            .await
            .expect("append");
    }
    (store, schema)
}

/// Reads the whole log from the start, a page at a time; returns how many events.
async fn catch_up(store: &PostgresEventStore<AnyEvent>) -> usize {
    let mut after = 0;
    let mut read = 0;
    loop {
        let page = store.read_all(after, 256).await.expect("read_all");
        let Some(last) = page.last() else {
            return read;
        };
        after = last.position;
        read += page.len();
    }
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

    let mut group = criterion.benchmark_group("append_batch");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("raw_insert/10_events", |bench| {
        bench.iter(|| runtime.block_on(raw_batch(&setup)));
    });
    group.bench_function("store/10_events", |bench| {
        bench.iter(|| runtime.block_on(store_batch(&setup)));
    });
    group.finish();

    let mut schemas = Vec::new();
    let mut group = criterion.benchmark_group("load_aggregate");
    group.throughput(Throughput::Elements(BATCH as u64));
    for total in [1_000, 1_000_000] {
        let (store, character, schema) = runtime.block_on(log_of(total));
        schemas.push(schema);
        group.bench_function(format!("10_of_{total}_events"), |bench| {
            bench.iter(|| {
                let events = runtime
                    .block_on(store.read_stream(character, 1))
                    .expect("read_stream");
                assert_eq!(events.len(), BATCH);
            });
        });
    }
    group.finish();

    let (store, schema) = runtime.block_on(catch_up_log());
    schemas.push(schema);
    let mut group = criterion.benchmark_group("catch_up");
    group.throughput(Throughput::Elements(CATCH_UP_EVENTS as u64));
    group.sample_size(10);
    group.bench_function("read_all_10000_events", |bench| {
        bench.iter(|| assert_eq!(runtime.block_on(catch_up(&store)), CATCH_UP_EVENTS));
    });
    group.finish();
    criterion.final_summary();
    runtime.block_on(async {
        for schema in setup.schemas.iter().chain(&schemas) {
            let _ = sqlx::raw_sql(AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE")))
                .execute(&setup.raw)
                .await;
        }
    });
}
