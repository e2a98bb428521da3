//! Prints a synthetic catalog of N events, for benchmarks of the macro and of `cargo check`:
//! `cargo run -p novel-events-codegen --example synthetic_catalog -- 1000 > catalog.yaml`.
//!
//! Events come in domains of [`EVENTS_PER_DOMAIN`]. Each has the shape of a Novel Engine
//! event: an aggregate uuid, a second uuid, strings, an optional string, an inline enum, a
//! shared named enum, a bounded number, a bounded integer, a datetime, a nested object (with
//! an inner enum), an array of uuids, an array of strings and a free `object`, plus a
//! description, triggers and two or three subscribers from a pool of eight services.
//! The benchmark `benches/expand.rs` includes this file for [`synthetic_catalog`].
//!
//! With `--serde` it prints instead Rust source of the same events written by hand with serde
//! derives (`scripts/bench-check.sh` with `KIND=serde`): how `cargo check` grows with plain
//! code of that shape, the yardstick for the generated code's growth.

use std::fmt::Write as _;

/// How many events each synthetic domain holds.
pub const EVENTS_PER_DOMAIN: usize = 20;

const SERVICES: [&str; 8] = [
    "Memory Service",
    "Story Engine",
    "Campaign Manager",
    "Analytics Service",
    "Notification Service",
    "Search Indexer",
    "Audit Log",
    "Billing Service",
];

const CATEGORIES: [&str; 5] = ["domain", "command", "integration", "system", "notification"];

/// The YAML text of a valid catalog of `events` events.
pub fn synthetic_catalog(events: usize) -> String {
    let mut out = String::with_capacity(events * 2_000);
    out.push_str(&format!(
        "# Synthetic catalog of {events} events (novel-events-codegen/examples/synthetic_catalog.rs).\n\
         catalog: synthetic-{events}\n\
         version: \"1.0.0\"\n\
         description: \"A synthetic catalog for benchmarks\"\n\
         types:\n\
         \x20 Priority:\n\
         \x20   enum: [low, normal, high, critical]\n\
         \x20   description: \"How urgent the work is\"\n\
         domains:\n"
    ));
    let domains = events.div_ceil(EVENTS_PER_DOMAIN);
    for domain in 0..domains {
        let name = format!("area-{domain}");
        let _ = writeln!(out, "  {name}:");
        let _ = writeln!(out, "    description: \"Synthetic domain number {domain}\"");
        let _ = writeln!(out, "    events:");
        let first = domain * EVENTS_PER_DOMAIN;
        for index in first..events.min(first + EVENTS_PER_DOMAIN) {
            event(&mut out, &name, domain, index);
        }
    }
    out
}

fn event(out: &mut String, domain: &str, domain_index: usize, index: usize) {
    let category = CATEGORIES[index % CATEGORIES.len()];
    let services = 2 + index % 2;
    let _ = write!(
        out,
        r#"      - name: Record{index}Changed
        eventType: "{domain}.record-{domain_index}.changed-{index}"
        eventVersion: "1.0.0"
        aggregateType: Record{domain_index}
        aggregateId: recordId
        category: {category}
        description: "Record {index} has changed in a way the other services care about"
        triggers:
          - A user edits record {index}
          - A scheduled job recomputes record {index}
        payload:
          recordId: uuid
          ownerId: uuid
          title: string
          summary: {{ type: string, description: "A human-readable summary of the change" }}
          note: string?
          status: {{ enum: [draft, active, paused, archived], name: Record{index}Status }}
          priority: Priority
          score: {{ type: number, min: 0.0, max: 1.0, description: "Confidence (0.0-1.0)" }}
          attempts: {{ type: integer, min: 0, max: 100 }}
          changedAt: datetime
          details:
            name: Record{index}Details
            fields:
              label: string
              count: integer
              ratio: number
              visibility: {{ enum: [public, private, team], name: Record{index}Visibility }}
          relatedIds: {{ type: [uuid], description: "Records affected by the change" }}
          tags: [string]
          attributes: object
        subscribers:
"#
    );
    for offset in 0..services {
        let service = SERVICES[(index + offset * 3) % SERVICES.len()];
        let _ = writeln!(out, "          - {service} (react to record {index})");
    }
}

/// Rust source of the same `events` events written by hand: per domain a module, per event a
/// struct with serde derives and renames, its two enums and its nested struct, the shared
/// `Priority`, and an enum of all events (`Debug` and `Clone` derived, a `From` impl per event).
/// Not derived on that enum: `PartialEq`, whose derive on an enum of many variants costs the
/// compiler the square of their number.
#[allow(dead_code)]
pub fn serde_source(events: usize) -> String {
    let mut out = String::with_capacity(events * 3_000);
    out.push_str(
        "use serde::{Deserialize, Serialize};\n\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]\n\
         #[serde(rename_all = \"lowercase\")]\n\
         pub enum Priority { Low, Normal, High, Critical }\n\n",
    );
    let domains = events.div_ceil(EVENTS_PER_DOMAIN);
    let mut all = String::new();
    for domain in 0..domains {
        let _ = writeln!(out, "pub mod area_{domain} {{\n    use super::*;");
        let first = domain * EVENTS_PER_DOMAIN;
        for index in first..events.min(first + EVENTS_PER_DOMAIN) {
            let _ = write!(
                out,
                r#"
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Record{index}Changed {{
        pub record_id: uuid::Uuid,
        pub owner_id: uuid::Uuid,
        pub title: String,
        pub summary: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
        pub status: Record{index}Status,
        pub priority: Priority,
        pub score: f64,
        pub attempts: i64,
        pub changed_at: chrono::DateTime<chrono::Utc>,
        pub details: Record{index}Details,
        pub related_ids: Vec<uuid::Uuid>,
        pub tags: Vec<String>,
        pub attributes: serde_json::Map<String, serde_json::Value>,
    }}

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Record{index}Status {{ Draft, Active, Paused, Archived }}

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Record{index}Details {{
        pub label: String,
        pub count: i64,
        pub ratio: f64,
        pub visibility: Record{index}Visibility,
    }}

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Record{index}Visibility {{ Public, Private, Team }}
"#
            );
            let _ = writeln!(
                all,
                "    Record{index}Changed(area_{domain}::Record{index}Changed),"
            );
            let _ = writeln!(
                out,
                "    impl From<Record{index}Changed> for super::AnyEvent {{\n        \
                 fn from(event: Record{index}Changed) -> Self {{ Self::Record{index}Changed(event) }}\n    }}"
            );
        }
        out.push_str("}\n\n");
    }
    let _ = write!(
        out,
        "#[derive(Debug, Clone)]\npub enum AnyEvent {{\n{all}}}\n"
    );
    out
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let events = match args.next().map(|arg| arg.parse::<usize>()) {
        Some(Ok(events)) if events > 0 => events,
        _ => {
            eprintln!("usage: synthetic_catalog <number of events> [--serde]");
            std::process::exit(2);
        }
    };
    if args.next().as_deref() == Some("--serde") {
        print!("{}", serde_source(events));
    } else {
        print!("{}", synthetic_catalog(events));
    }
}
