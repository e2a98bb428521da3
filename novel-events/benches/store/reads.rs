//! 2. and 3. Reads: loading an aggregate and replaying, from stores of 1,000 to 1,000,000 events.

use super::*;

/// Builds (or reuses) the store of `count` events: `count / STREAM` aggregates, the event at
/// position p of aggregate (p - 1) mod A, version (p - 1) / A + 1.
pub(crate) fn big_store(fixtures: &[(String, String)], count: u64) -> PathBuf {
    let path = bench_dir().join(format!("events-{count}-v{BIG_STORE_FORMAT}.db"));
    if path.exists() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let valid = Store::open_with(&path, options(Durability::ProcessCrash))
            .is_ok_and(|store| runtime.block_on(store.last_position()).ok() == Some(count));
        if valid {
            return path;
        }
        eprintln!("store bench: {} is stale, rebuilding it", path.display());
    }
    let started = Instant::now();
    eprintln!(
        "store bench: building {} ({count} events, once)",
        path.display()
    );
    remove_db(&path);
    drop(Store::open(&path).unwrap());
    let aggregates = aggregates(fixtures, count / STREAM);
    let mut connection = raw_connection(&path, Durability::ProcessCrash);
    let mut position = 0u64;
    while position < count {
        let transaction = connection.transaction().unwrap();
        {
            let mut insert = transaction.prepare_cached(INSERT).unwrap();
            for _ in 0..10_000.min(count - position) {
                let a = position % aggregates.len() as u64;
                let version = position / aggregates.len() as u64 + 1;
                position += 1;
                let envelope = event(
                    &aggregates[a as usize],
                    Uuid::from_u64_pair(0x0199_0000_0000_7000, position),
                );
                Row::of(&envelope, a + 1, version, position).insert(&transaction, &mut insert);
            }
        }
        transaction.commit().unwrap();
    }
    connection
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(connection);
    eprintln!("store bench: built in {:.1?}", started.elapsed());
    path
}

/// The store of `SMALL` events, built through `append` (one event per call), with a check that
/// its rows are exactly what [`Row::of`] makes, so that the raw-built big store is a store's.
pub(crate) fn small_store(runtime: &Runtime, fixtures: &[(String, String)]) -> PathBuf {
    let path = bench_dir().join(format!("events-{SMALL}.db"));
    remove_db(&path);
    let aggregates = aggregates(fixtures, SMALL / STREAM);
    let store = Store::open_with(&path, options(Durability::ProcessCrash)).unwrap();
    let mut expected_rows = Vec::new();
    runtime.block_on(async {
        for position in 0..SMALL {
            let a = (position % aggregates.len() as u64) as usize;
            let version = position / aggregates.len() as u64;
            let envelope = event(
                &aggregates[a],
                Uuid::from_u64_pair(0x0199_0000_0000_7000, position + 1),
            );
            expected_rows.push(Row::of(&envelope, a as u64 + 1, version + 1, position + 1));
            let expected = if version == 0 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exactly(version)
            };
            store
                .append(envelope.aggregate_id, expected, vec![envelope])
                .await
                .unwrap();
        }
    });
    drop(store);
    let connection = Connection::open(&path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT position, event_id, aggregate_id, aggregate_type, stream_version, event_type, event_version,
                    correlation_id, causation_id, timestamp, envelope, stream_key FROM events ORDER BY position",
        )
        .unwrap();
    let stored: Vec<(i64, Vec<String>, i64, i64)> = statement
        .query_map([], |row| {
            let text = [1, 2, 3, 5, 6, 7, 8, 9, 10]
                .iter()
                .map(|&column| row.get::<_, String>(column))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((row.get(0)?, text, row.get(4)?, row.get(11)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored.len(), expected_rows.len());
    for ((position, text, version, stream_key), row) in stored.iter().zip(&expected_rows) {
        assert_eq!((*position, *stream_key), (row.position, row.stream_key));
        let expected = [
            row.event_id.as_str(),
            row.aggregate_id.as_str(),
            row.aggregate_type,
            row.correlation_id.as_str(),
            row.causation_id.as_str(),
            row.timestamp.as_str(),
            row.envelope.as_str(),
        ];
        assert_eq!(
            [
                &text[0], &text[1], &text[2], &text[5], &text[6], &text[7], &text[8]
            ]
            .map(String::as_str),
            expected,
            "row {position}: the raw rows differ from the store's"
        );
        assert_eq!(
            (text[3].as_str(), text[4].as_str()),
            (row.event_type, row.event_version)
        );
        assert_eq!(*version, row.stream_version);
    }
    let streams: Vec<(i64, String)> = connection
        .prepare("SELECT slot, aggregate_id FROM streams ORDER BY slot")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected_streams: Vec<(i64, String)> = expected_rows
        .iter()
        .filter(|row| row.new_stream)
        .map(|row| (row.slot, row.aggregate_id.clone()))
        .collect();
    assert_eq!(streams, expected_streams);
    path
}

/// The aggregate ids of a store built by [`big_store`] or [`small_store`].
pub(crate) fn aggregate_ids(path: &Path, count: u64) -> Vec<Uuid> {
    let connection = Connection::open(path).unwrap();
    let mut statement = connection
        .prepare("SELECT aggregate_id FROM events WHERE position <= ?1 ORDER BY position")
        .unwrap();
    statement
        .query_map([i64::try_from(count / STREAM).unwrap()], |row| {
            row.get::<_, String>(0)
        })
        .unwrap()
        .map(|id| id.unwrap().parse().unwrap())
        .collect()
}

/// Replays the first `events` events through `read_all` in pages of `page` (in a task of
/// `runtime`); returns the time.
pub(crate) fn time_replay(runtime: &Runtime, store: &Store, events: u64, page: usize) -> Duration {
    let store = store.clone();
    run(runtime, async move {
        let started = Instant::now();
        let mut after = 0;
        let mut decoded = 0u64;
        while after < events {
            let limit = page.min((events - after) as usize);
            let batch = store.read_all(after, limit).await.unwrap();
            decoded += batch.len() as u64;
            after = batch.last().unwrap().position;
            std::hint::black_box(batch);
        }
        assert_eq!(decoded, events);
        started.elapsed()
    })
}

/// One page by a raw SELECT and `serde_json::from_str` of each envelope.
pub(crate) fn raw_page(connection: &Connection, after: i64, limit: i64) -> Vec<(i64, i64, Env)> {
    let mut statement = connection.prepare_cached(SELECT_PAGE).unwrap();
    statement
        .query_map(params![after, limit], |row| {
            let json: String = row.get(5)?;
            Ok((
                row.get(0)?,
                row.get(1)?,
                serde_json::from_str(&json).unwrap(),
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The same pages by [`raw_page`], on the calling thread.
pub(crate) fn time_raw_replay(connection: &Connection, events: u64, page: usize) -> Duration {
    let started = Instant::now();
    let mut after = 0i64;
    let mut decoded = 0u64;
    while (after as u64) < events {
        let limit = page.min((events - after as u64) as usize) as i64;
        let batch = raw_page(connection, after, limit);
        decoded += batch.len() as u64;
        after = batch.last().unwrap().0;
        std::hint::black_box(batch);
    }
    assert_eq!(decoded, events);
    started.elapsed()
}

/// The next pseudo-random aggregate of `aggregates`.
pub(crate) fn pick(aggregates: &[Uuid], seed: &mut u64) -> Uuid {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    aggregates[((*seed >> 33) % aggregates.len() as u64) as usize]
}

/// Loads `loads` random aggregates of 10 events (in a task of `runtime`); returns each load's
/// time.
pub(crate) fn time_loads(
    runtime: &Runtime,
    store: &Store,
    aggregates: &Arc<[Uuid]>,
    loads: usize,
    seed: &mut u64,
) -> Vec<Duration> {
    let store = store.clone();
    let aggregates = Arc::clone(aggregates);
    let mut next = *seed;
    let (times, next) = run(runtime, async move {
        let mut times = Vec::with_capacity(loads);
        for _ in 0..loads {
            let aggregate = pick(&aggregates, &mut next);
            let started = Instant::now();
            let stream = store.read_stream(aggregate, 1).await.unwrap();
            times.push(started.elapsed());
            assert_eq!(stream.len() as u64, STREAM);
            std::hint::black_box(stream);
        }
        (times, next)
    });
    *seed = next;
    times
}

/// The queries of `read_stream`: the slot of a stream not in the store's memory, then the
/// rowid range of its events.
pub(crate) const SELECT_SLOT: &str = "SELECT slot FROM streams WHERE aggregate_id = ?1";
pub(crate) const SELECT_RANGE: &str = "SELECT position, stream_version, event_id, event_type, event_version, envelope FROM events WHERE stream_key >= ?1 AND stream_key < ?2 ORDER BY stream_key";

/// The same loads by a raw SELECT ([`SELECT_STREAM`]: the slot is looked up each time) and
/// `serde_json::from_str` (or, unless `decode`, only a look at each envelope's text), on the
/// calling thread.
pub(crate) fn time_raw_loads(
    connection: &Connection,
    aggregates: &[Uuid],
    loads: usize,
    seed: &mut u64,
    decode: bool,
) -> Vec<Duration> {
    if !decode {
        let mut statement = connection.prepare_cached(SELECT_STREAM).unwrap();
        let mut times = Vec::with_capacity(loads);
        for _ in 0..loads {
            let aggregate = pick(aggregates, seed);
            let started = Instant::now();
            let mut rows = statement.query(params![aggregate.to_string(), 1]).unwrap();
            let mut count = 0;
            while let Some(row) = rows.next().unwrap() {
                std::hint::black_box(row.get_ref(5).unwrap().as_str().unwrap().len());
                count += 1;
            }
            times.push(started.elapsed());
            assert_eq!(count, STREAM);
        }
        return times;
    }
    let mut statement = connection.prepare_cached(SELECT_STREAM).unwrap();
    let mut times = Vec::with_capacity(loads);
    for _ in 0..loads {
        let aggregate = pick(aggregates, seed);
        let started = Instant::now();
        let stream: Vec<(i64, Env)> = statement
            .query_map(params![aggregate.to_string(), 1], |row| {
                let json: String = row.get(5)?;
                Ok((row.get(1)?, serde_json::from_str(&json).unwrap()))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        times.push(started.elapsed());
        assert_eq!(stream.len() as u64, STREAM);
        std::hint::black_box(stream);
    }
    times
}

/// One store of the load benchmark.
pub(crate) struct Sized {
    pub(crate) events: u64,
    pub(crate) store: Store,
    pub(crate) path: PathBuf,
    pub(crate) aggregates: Arc<[Uuid]>,
}

pub(crate) struct Stores {
    /// The stores of [`SIZES`] events, smallest first.
    pub(crate) sizes: Vec<Sized>,
}

impl Stores {
    /// The store of `BIG` events.
    pub(crate) fn big(&self) -> &Sized {
        self.sizes.last().unwrap()
    }
}

pub(crate) fn bench_reads(criterion: &mut Criterion, runtime: &Runtime, stores: &Stores) {
    let mut group = criterion.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(REPLAY_EVENTS));
    group.bench_function("read_all/page-1000", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| time_replay(runtime, &stores.big().store, REPLAY_EVENTS, 1000))
                .sum()
        });
    });
    let raw = raw_connection(&stores.big().path, Durability::ProcessCrash);
    group.bench_function("raw/page-1000", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| time_raw_replay(&raw, REPLAY_EVENTS, 1000))
                .sum()
        });
    });
    group.finish();

    let mut group = criterion.benchmark_group("load_aggregate");
    group.throughput(Throughput::Elements(1));
    let mut seed = 1;
    for sized in &stores.sizes {
        group.bench_function(format!("read_stream-10/store-of-{}", sized.events), |b| {
            b.iter_custom(|iters| {
                time_loads(
                    runtime,
                    &sized.store,
                    &sized.aggregates,
                    iters as usize,
                    &mut seed,
                )
                .into_iter()
                .sum()
            });
        });
    }
    group.finish();
}
