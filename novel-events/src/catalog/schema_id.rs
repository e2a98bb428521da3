//! The stable `$id` of an event version's JSON Schema in a catalog's schema registry.

/// The `$id` of the JSON Schema of `event_type` version `event_version` in catalog `catalog`:
/// `urn:novel-events:<catalog>:<eventType>:<eventVersion>`, or, when the registry is served at
/// `base_uri`, `<base_uri>/<eventType>/<eventVersion>.schema.json` (a trailing `/` of the base
/// is dropped).
///
/// It depends on these names alone, so every tool computes the same id for the same event
/// version: `novel-events schema` writes it into each schema file, and the CloudEvents
/// mapping ([`crate::cloudevents`]) sends it as `dataschema`.
///
/// ```
/// use novel_events::catalog::schema_id;
///
/// assert_eq!(
///     schema_id("novel-engine", "characters.character.created", "1.0.0", None),
///     "urn:novel-events:novel-engine:characters.character.created:1.0.0"
/// );
/// assert_eq!(
///     schema_id("novel-engine", "characters.character.created", "1.0.0", Some("https://schemas.example/")),
///     "https://schemas.example/characters.character.created/1.0.0.schema.json"
/// );
/// ```
pub fn schema_id(
    catalog: &str,
    event_type: &str,
    event_version: &str,
    base_uri: Option<&str>,
) -> String {
    match base_uri {
        Some(base) => format!(
            "{}/{event_type}/{event_version}.schema.json",
            base.trim_end_matches('/')
        ),
        None => format!("urn:novel-events:{catalog}:{event_type}:{event_version}"),
    }
}
