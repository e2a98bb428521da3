//! The files of a scratch crate: its `Cargo.toml`, its `lib.rs` of 104 derived structs in four
//! modules, and the crate's own types.

use std::fmt::Write as _;
use std::path::Path;

use crate::events::{EVENTS, EventDef};
use crate::own::{MODULES, OWN_ENUMS, OWN_STRUCTS};

/// The three crates the benchmark compares.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    Checked,
    Plain,
    Uncached,
}

impl Variant {
    /// The variant named `checked`, `plain` or `uncached`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "checked" => Some(Self::Checked),
            "plain" => Some(Self::Plain),
            "uncached" => Some(Self::Uncached),
            _ => None,
        }
    }
}

/// The text of one derived struct; `index` numbers the structs of the crate (0..104).
pub(crate) fn struct_text(event: &EventDef, own: bool, variant: Variant, index: usize) -> String {
    let mut text = String::new();
    text.push_str(
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Event)]\n#[serde(rename_all = \"camelCase\")]\n",
    );
    let _ = write!(
        text,
        "#[event(type = \"{}\", version = \"1.0.0\", ",
        event.event_type
    );
    match variant {
        Variant::Checked => text.push_str("catalog = \"catalog/novel-engine.yaml\""),
        Variant::Uncached => {
            let _ = write!(text, "catalog = \"catalog/s{index}/../novel-engine.yaml\"");
        }
        Variant::Plain => {
            let _ = write!(text, "aggregate = \"{}\"", event.aggregate);
        }
    }
    let _ = writeln!(text, ")]\npub struct {} {{", event.name);
    for (position, field) in event.fields.iter().enumerate() {
        if position == 0 && variant == Variant::Plain {
            text.push_str(if event.name_based {
                "    #[event(aggregate_id = \"uuid_v5\")]\n"
            } else {
                "    #[event(aggregate_id)]\n"
            });
        }
        let ty = if own { field.own } else { field.generated };
        let _ = writeln!(text, "    pub {}: {ty},", field.name);
    }
    text.push_str("}\n");
    text
}

/// Every derived struct of the crate, in order, with its module.
pub(crate) fn structs(variant: Variant) -> Vec<(usize, String)> {
    let mut all = Vec::new();
    for module in 0..MODULES {
        for event in EVENTS {
            let index = all.len();
            all.push((module, struct_text(event, module % 2 == 1, variant, index)));
        }
    }
    all
}

pub(crate) fn own_types() -> String {
    let mut text = String::from(
        "/// The crate's own enums and nested structs, used by `m1` and `m3`.\npub mod types {\n    use serde::{Deserialize, Serialize};\n\n",
    );
    for (name, variants) in OWN_ENUMS {
        let _ = writeln!(
            text,
            "    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, novel_events::EventEnum)]\n    #[serde(rename_all = \"kebab-case\")]\n    pub enum {name} {{\n        {},\n    }}\n",
            variants.join(",\n        ")
        );
    }
    for (name, fields) in OWN_STRUCTS {
        let _ = writeln!(
            text,
            "    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\n    #[serde(rename_all = \"camelCase\")]\n    pub struct {name} {{"
        );
        for (field, ty) in *fields {
            let _ = writeln!(text, "        pub {field}: {ty},");
        }
        let _ = writeln!(
            text,
            "    }}\n\n    impl novel_events::catalog::holds::HoldsObject for {name} {{}}\n"
        );
    }
    text.push_str("}\n");
    text
}

pub(crate) fn lib_rs(variant: Variant) -> String {
    let what = match variant {
        Variant::Checked => "each checked against catalog/novel-engine.yaml",
        Variant::Plain => "without a catalog (aggregate = \"...\" and #[event(aggregate_id)])",
        Variant::Uncached => {
            "each checked against catalog/novel-engine.yaml named by a path of its own, so that the macro's catalog cache misses"
        }
    };
    let mut text = format!(
        "//! Written by `cargo run -p novel-events-codegen --example derive_crate`, for\n//! scripts/bench-derive-check.sh: {} `#[derive(Event)]` structs (the 26 Novel Engine events in\n//! {MODULES} modules), {what}.\n#![allow(missing_docs)]\n\n",
        EVENTS.len() * MODULES
    );
    text.push_str(&own_types());
    let all = structs(variant);
    for module in 0..MODULES {
        let own = module % 2 == 1;
        let _ = writeln!(
            text,
            "\n/// The 26 events, with {} enums and nested structs.\npub mod m{module} {{",
            if own {
                "the crate's own"
            } else {
                "the catalog's generated"
            }
        );
        text.push_str(
            "    #![allow(unused_imports)]\n    use chrono::{DateTime, Utc};\n    use novel_events::Event;\n    use serde::{Deserialize, Serialize};\n    use serde_json::{Map, Value};\n    use uuid::Uuid;\n",
        );
        if own {
            text.push_str("    use crate::types;\n");
        } else {
            text.push_str("    use novel_events::novel_engine::{HealthStatus, campaigns, characters, interactions, narratives, orchestration, shared};\n");
        }
        for (_, body) in all.iter().filter(|(m, _)| *m == module) {
            text.push('\n');
            for line in body.lines() {
                let _ = writeln!(text, "    {line}");
            }
        }
        text.push_str("}\n");
    }
    text
}

pub(crate) fn cargo_toml(variant: Variant, novel_events: &Path) -> String {
    let name = match variant {
        Variant::Checked => "checked",
        Variant::Plain => "plain",
        Variant::Uncached => "uncached",
    };
    format!(
        r#"[package]
name = "bench-derive-{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
novel-events = {{ path = "{}", default-features = false, features = ["novel-engine"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
uuid = {{ version = "1", features = ["serde"] }}
chrono = {{ version = "0.4", default-features = false, features = ["serde", "clock", "std"] }}

[workspace]
"#,
        novel_events.display()
    )
}

pub(crate) fn write_crate(dir: &Path, variant: Variant, novel_events: &Path, catalog: &Path) {
    let run = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::create_dir_all(dir.join("catalog"))?;
        std::fs::write(
            dir.join("Cargo.toml"),
            cargo_toml(variant, &std::fs::canonicalize(novel_events)?),
        )?;
        // Unchanged files are left alone, so that cargo does not rebuild for nothing.
        let lib = lib_rs(variant);
        if std::fs::read_to_string(dir.join("src/lib.rs"))
            .ok()
            .as_deref()
            != Some(&lib)
        {
            std::fs::write(dir.join("src/lib.rs"), lib)?;
        }
        let yaml = std::fs::read(catalog)?;
        let target = dir.join("catalog/novel-engine.yaml");
        if std::fs::read(&target).ok().as_deref() != Some(&yaml[..]) {
            std::fs::write(&target, yaml)?;
        }
        if variant == Variant::Uncached {
            for index in 0..EVENTS.len() * MODULES {
                std::fs::create_dir_all(dir.join(format!("catalog/s{index}")))?;
            }
        }
        Ok(())
    };
    if let Err(error) = run() {
        eprintln!("cannot write {}: {error}", dir.display());
        std::process::exit(1);
    }
}
