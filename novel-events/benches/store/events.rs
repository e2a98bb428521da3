//! The events the benchmarks append: the fixtures of the Novel Engine specification's events,
//! varied per aggregate, and the rows a raw INSERT writes for them.

use super::*;

/// Fixture `json` with its aggregate replaced by aggregate number `k` of the same kind, of its
/// own (fixtures that share an aggregate get distinct ones).
pub(crate) fn variant(name: &str, json: &str, k: u64) -> Env {
    let original: Env =
        serde_json::from_str(json).unwrap_or_else(|error| panic!("{name}: {error}"));
    let old = original.aggregate_id;
    let new = Uuid::new_v5(&old, format!("{name}-{k}").as_bytes());
    if let Ok(envelope) =
        serde_json::from_str::<Env>(&json.replace(&old.to_string(), &new.to_string()))
    {
        assert_eq!(envelope.aggregate_id, new, "{name}");
        return envelope;
    }
    // A name-based aggregate (SystemComponent: the id is derived from `payload.component`).
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    let component = value["payload"]["component"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: no variant of its aggregate"))
        .to_owned();
    let component = format!("{component}-{name}-{k}");
    value["aggregateId"] = name_based_aggregate_id(&component).to_string().into();
    value["payload"]["component"] = component.into();
    serde_json::from_value(value).unwrap_or_else(|error| panic!("{name} #{k}: {error}"))
}

/// `count` aggregates' templates: aggregate `a` is fixture `a % 26` in variant `a / 26`.
pub(crate) fn aggregates(fixtures: &[(String, String)], count: u64) -> Vec<Env> {
    let templates: Vec<Env> = (0..count)
        .map(|a| {
            let (name, json) = &fixtures[(a % fixtures.len() as u64) as usize];
            variant(name, json, a / fixtures.len() as u64)
        })
        .collect();
    let distinct: std::collections::HashSet<Uuid> = templates
        .iter()
        .map(|template| template.aggregate_id)
        .collect();
    assert_eq!(
        distinct.len(),
        templates.len(),
        "two templates share an aggregate"
    );
    templates
}

/// A root event of the template's aggregate with this eventId.
pub(crate) fn event(template: &Env, event_id: Uuid) -> Env {
    let mut envelope = template.clone();
    envelope.event_id = event_id;
    envelope.correlation_id = event_id;
    envelope.causation_id = event_id;
    envelope
}

/// Increasing eventIds, unique within the process (as UUID v7 are increasing).
pub(crate) fn next_event_id() -> Uuid {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Uuid::from_u64_pair(0x0199_0000_0000_7000, NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A row as the store writes it (see `append` in `sqlite_store.rs`).
#[derive(Clone)]
pub(crate) struct Row {
    /// The first event of its stream: its `streams` row is inserted first.
    pub(crate) new_stream: bool,
    pub(crate) slot: i64,
    pub(crate) stream_key: i64,
    pub(crate) position: i64,
    pub(crate) event_id: String,
    pub(crate) aggregate_id: String,
    pub(crate) aggregate_type: &'static str,
    pub(crate) stream_version: i64,
    pub(crate) event_type: &'static str,
    pub(crate) event_version: &'static str,
    pub(crate) correlation_id: String,
    pub(crate) causation_id: String,
    pub(crate) timestamp: String,
    pub(crate) envelope: String,
}

impl Row {
    /// The row of `envelope` at `stream_version` of the stream numbered `slot` (streams are
    /// numbered from 1 in the order of their first events, as the store numbers them), at
    /// `position`.
    pub(crate) fn of(envelope: &Env, slot: u64, stream_version: u64, position: u64) -> Self {
        let slot = i64::try_from(slot).unwrap();
        Self {
            new_stream: stream_version == 1,
            slot,
            stream_key: (slot << 32) + i64::try_from(stream_version).unwrap(),
            position: i64::try_from(position).unwrap(),
            event_id: envelope.event_id.to_string(),
            aggregate_id: envelope.aggregate_id.to_string(),
            aggregate_type: envelope.aggregate_type(),
            stream_version: i64::try_from(stream_version).unwrap(),
            event_type: envelope.event_type(),
            event_version: envelope.event_version(),
            correlation_id: envelope.correlation_id.to_string(),
            causation_id: envelope.causation_id.to_string(),
            timestamp: envelope
                .timestamp
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            envelope: serde_json::to_string(envelope).unwrap(),
        }
    }

    /// Inserts the row with `insert` (the prepared [`INSERT`]), after its stream's if new.
    pub(crate) fn insert(
        &self,
        transaction: &rusqlite::Transaction<'_>,
        insert: &mut rusqlite::CachedStatement<'_>,
    ) {
        if self.new_stream {
            transaction
                .prepare_cached(INSERT_STREAM)
                .unwrap()
                .execute(params![self.slot, self.aggregate_id])
                .unwrap();
        }
        insert
            .execute(params![
                self.stream_key,
                self.position,
                self.event_id,
                self.aggregate_id,
                self.aggregate_type,
                self.stream_version,
                self.event_type,
                self.event_version,
                self.correlation_id,
                self.causation_id,
                self.timestamp,
                self.envelope,
            ])
            .unwrap();
    }
}
