//! 1. Appends: the store against raw INSERTs, per workload.

use super::*;

/// One append of a workload.
pub(crate) struct Append {
    pub(crate) aggregate: Uuid,
    /// The stream's version before it.
    pub(crate) before: u64,
    /// The stream's slot (streams numbered from 1 in the order of their first appends).
    pub(crate) slot: u64,
    /// The position of its first event.
    pub(crate) first_position: u64,
    pub(crate) events: Vec<Env>,
}

impl Append {
    /// Its rows, as the store writes them.
    pub(crate) fn rows(&self) -> Vec<Row> {
        self.events
            .iter()
            .enumerate()
            .map(|(index, envelope)| {
                let index = index as u64;
                Row::of(
                    envelope,
                    self.slot,
                    self.before + 1 + index,
                    self.first_position + index,
                )
            })
            .collect()
    }

    pub(crate) fn expected(&self) -> ExpectedVersion {
        if self.before == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exactly(self.before)
        }
    }
}

/// Appends of one workload, on an empty store.
pub(crate) struct Workload {
    pub(crate) appends: Vec<Append>,
    pub(crate) events: usize,
}

impl Workload {
    /// `appends` appends of `per_append` events each, cycling over the templates, with fresh
    /// eventIds; versions, slots and positions as in an empty store.
    pub(crate) fn new(templates: &[Env], appends: usize, per_append: usize) -> Self {
        let mut streams = std::collections::HashMap::new();
        let mut position = 1;
        let appends: Vec<_> = templates
            .iter()
            .cycle()
            .take(appends)
            .map(|template| {
                let slots = streams.len() as u64;
                let (slot, version) = streams
                    .entry(template.aggregate_id)
                    .or_insert((slots + 1, 0u64));
                let before = *version;
                *version += per_append as u64;
                let events = (0..per_append)
                    .map(|_| event(template, next_event_id()))
                    .collect();
                let append = Append {
                    aggregate: template.aggregate_id,
                    before,
                    slot: *slot,
                    first_position: position,
                    events,
                };
                position += per_append as u64;
                append
            })
            .collect();
        Self {
            events: appends.len() * per_append,
            appends,
        }
    }

    /// The same rows, one vector per transaction.
    pub(crate) fn rows(&self) -> Vec<Vec<Row>> {
        self.appends.iter().map(Append::rows).collect()
    }
}

/// Runs `future` in a task of `runtime` (on a worker thread of a multi-thread runtime, where
/// an application's tasks call the store), and waits for it.
pub(crate) fn run<T: Send + 'static>(
    runtime: &Runtime,
    future: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    runtime.block_on(runtime.spawn(future)).unwrap()
}

/// Appends the workload through a fresh store; returns the time of the appends alone.
pub(crate) fn time_store(
    runtime: &Runtime,
    durability: Durability,
    workload: Workload,
) -> Duration {
    let path = fresh_db("store");
    let store = Store::open_with(&path, options(durability)).unwrap();
    let events = workload.events;
    let appender = store.clone();
    let elapsed = run(runtime, async move {
        let started = Instant::now();
        for append in workload.appends {
            let outcome = appender
                .append(append.aggregate, append.expected(), append.events)
                .await
                .unwrap();
            assert!(matches!(outcome, AppendOutcome::Appended { .. }));
        }
        started.elapsed()
    });
    assert_eq!(
        runtime.block_on(store.last_position()).unwrap(),
        events as u64
    );
    drop(store);
    remove_db(&path);
    elapsed
}

/// Inserts the workload's rows raw into a fresh database; returns the time of the inserts.
pub(crate) fn time_raw(durability: Durability, workload: &Workload) -> Duration {
    let rows = workload.rows();
    let path = fresh_db("raw");
    let mut connection = raw_connection(&path, durability);
    let elapsed = rows
        .iter()
        .map(|rows| insert_raw(&mut connection, rows))
        .sum();
    let count: i64 = connection
        .query_row("SELECT count(*) FROM events", [], |row| row.get(0))
        .unwrap();
    assert_eq!(count as usize, workload.events);
    drop(connection);
    remove_db(&path);
    elapsed
}

/// Inserts one transaction's rows raw; returns the time.
pub(crate) fn insert_raw(connection: &mut Connection, rows: &[Row]) -> Duration {
    let started = Instant::now();
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    {
        let mut insert = transaction.prepare_cached(INSERT).unwrap();
        for row in rows {
            row.insert(&transaction, &mut insert);
        }
    }
    transaction.commit().unwrap();
    started.elapsed()
}

/// The ways of the interleaved append report.
pub(crate) const APPEND_WAYS: usize = 4;

/// The workload four ways, rotating append by append (and which way goes first), on four fresh
/// databases, so that a change in the machine's load (in fsync latency above all) hits all
/// alike, all in one task of `runtime`; returns the total times of:
/// 0. raw INSERTs of rows serialized up front, on the calling thread (the baseline);
/// 1. the same, serializing the rows (`Row::of`: the JSON and the text columns) inside the
///    timed region;
/// 2. the same as 0, each transaction on tokio's blocking pool (`spawn_blocking`), the hop the
///    store makes on a current-thread runtime;
/// 3. the store.
pub(crate) fn time_paired(
    runtime: &Runtime,
    durability: Durability,
    workload: Workload,
) -> [Duration; APPEND_WAYS] {
    let rows = workload.rows();
    let events = workload.events;
    let paths = [
        fresh_db("paired-raw"),
        fresh_db("paired-serializing"),
        fresh_db("paired-pool"),
        fresh_db("paired-store"),
    ];
    let mut raw = raw_connection(&paths[0], durability);
    let mut serializing = raw_connection(&paths[1], durability);
    let pooled = Arc::new(Mutex::new(raw_connection(&paths[2], durability)));
    let store = Store::open_with(&paths[3], options(durability)).unwrap();
    let appender = store.clone();
    let times = run(runtime, async move {
        let mut times = [Duration::ZERO; APPEND_WAYS];
        for (index, (append, rows)) in workload.appends.into_iter().zip(rows).enumerate() {
            let mut envelopes = Some(append.events.clone());
            let mut pooled_rows = Some(rows.clone());
            for offset in 0..APPEND_WAYS {
                match (index + offset) % APPEND_WAYS {
                    0 => times[0] += insert_raw(&mut raw, &rows),
                    1 => {
                        let started = Instant::now();
                        let rows = append.rows();
                        insert_raw(&mut serializing, &rows);
                        times[1] += started.elapsed();
                        drop(rows);
                    }
                    2 => {
                        let rows = pooled_rows.take().unwrap();
                        let connection = Arc::clone(&pooled);
                        let started = Instant::now();
                        tokio::task::spawn_blocking(move || {
                            insert_raw(&mut connection.lock().unwrap(), &rows);
                        })
                        .await
                        .unwrap();
                        times[2] += started.elapsed();
                    }
                    _ => {
                        let envelopes = envelopes.take().unwrap();
                        let expected = append.expected();
                        let started = Instant::now();
                        let outcome = appender
                            .append(append.aggregate, expected, envelopes)
                            .await
                            .unwrap();
                        times[3] += started.elapsed();
                        assert!(matches!(outcome, AppendOutcome::Appended { .. }));
                    }
                }
            }
        }
        times
    });
    assert_eq!(
        runtime.block_on(store.last_position()).unwrap(),
        events as u64
    );
    drop(store);
    for path in &paths {
        remove_db(path);
    }
    times
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Mode {
    Single,
    Batch,
}

impl Mode {
    pub(crate) fn per_append(self) -> usize {
        match self {
            Mode::Single => 1,
            Mode::Batch => BATCH,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Single => "one-at-a-time",
            Mode::Batch => "batch-100",
        }
    }
}

pub(crate) const APPEND_CASES: [(Mode, Durability); 4] = [
    (Mode::Single, Durability::PowerLoss),
    (Mode::Batch, Durability::PowerLoss),
    (Mode::Single, Durability::ProcessCrash),
    (Mode::Batch, Durability::ProcessCrash),
];

/// Events per round of the interleaved report.
pub(crate) fn round_events(mode: Mode, durability: Durability) -> usize {
    match (mode, durability) {
        (Mode::Single, Durability::PowerLoss) => 150,
        (Mode::Batch, Durability::PowerLoss) => 3_000,
        (Mode::Single, Durability::ProcessCrash) => 2_000,
        (Mode::Batch, Durability::ProcessCrash) => 10_000,
    }
}

pub(crate) fn bench_append(criterion: &mut Criterion, runtime: &Runtime, templates: &[Env]) {
    let mut group = criterion.benchmark_group("append");
    group.sample_size(10);
    for (mode, durability) in APPEND_CASES {
        let per_append = mode.per_append();
        group.throughput(Throughput::Elements(per_append as u64));
        let id = format!("{}/{}", mode.name(), durability_name(durability));
        group.bench_function(format!("store/{id}"), |b| {
            b.iter_custom(|iters| {
                time_store(
                    runtime,
                    durability,
                    Workload::new(templates, iters as usize, per_append),
                )
            });
        });
        group.bench_function(format!("raw/{id}"), |b| {
            b.iter_custom(|iters| {
                time_raw(
                    durability,
                    &Workload::new(templates, iters as usize, per_append),
                )
            });
        });
    }
    group.finish();
}
