//! The catalog model: what a catalog says, independent of YAML and of Rust tokens.
//!
//! Every consumer (the `include_catalog!` expansion, the derive's checks, the JSON Schema
//! metadata) reads this one model, built by [`crate::parse_catalog`].

use crate::diagnostic::Location;
use crate::evolution::ChangeKind;

/// A whole catalog file, parsed and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// The catalog's name (`catalog:` key), for example `novel-engine`.
    pub name: String,
    /// The catalog's own semantic version (`version:` key).
    pub version: String,
    /// What the catalog covers.
    pub description: Option<String>,
    /// The catalog's `compatibilityMode`: the default of every event ([`CompatibilityMode::Backward`]
    /// when the key is absent).
    pub compatibility: CompatibilityMode,
    /// Named types shared by several fields or events (`types:` key).
    pub types: Vec<NamedType>,
    /// The domains, in file order.
    pub domains: Vec<Domain>,
}

impl Catalog {
    /// Every event of every domain, in file order.
    pub fn events(&self) -> impl Iterator<Item = &EventDef> {
        self.domains.iter().flat_map(|domain| domain.events.iter())
    }

    /// The event with this eventType and eventVersion.
    pub fn event(&self, event_type: &str, version: &str) -> Option<&EventDef> {
        self.events()
            .find(|event| event.event_type == event_type && event.event_version == version)
    }

    /// The named type called `name`.
    pub fn named_type(&self, name: &str) -> Option<&NamedType> {
        self.types.iter().find(|named| named.name == name)
    }

    /// The distinct subscriber services, in order of first appearance.
    pub fn services(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        let mut services: Vec<&str> = Vec::new();
        for subscriber in self.events().flat_map(|event| event.subscribers.iter()) {
            if seen.insert(subscriber.service.as_str()) {
                services.push(&subscriber.service);
            }
        }
        services
    }
}

/// A bounded context: a Rust module of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// The domain's name, lowercase (`characters`); also the module name and the first
    /// segment of its events' eventTypes.
    pub name: String,
    /// Where the domain is declared.
    pub location: Location,
    /// What the domain is about.
    pub description: Option<String>,
    /// The service that publishes the domain's events, unless an event names its own
    /// (`publisher:` of the domain).
    pub publisher: Option<Publisher>,
    /// The domain's events, in file order.
    pub events: Vec<EventDef>,
}

/// What kind of event this is, as the Novel Engine specification's "Event Categories" list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// An action initiated by a user or a system.
    Command,
    /// A business-significant state change (the default).
    Domain,
    /// Cross-context communication.
    Integration,
    /// Infrastructure and operations.
    System,
    /// A user notification trigger.
    Notification,
}

impl Category {
    /// Every category with its catalog spelling.
    pub const ALL: [(&'static str, Category); 5] = [
        ("command", Category::Command),
        ("domain", Category::Domain),
        ("integration", Category::Integration),
        ("system", Category::System),
        ("notification", Category::Notification),
    ];

    /// The catalog spelling.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, category)| *category == self)
            .map_or("domain", |(name, _)| name)
    }

    /// The variant name of `novel_events::EventCategory`.
    pub fn variant(self) -> &'static str {
        match self {
            Category::Command => "Command",
            Category::Domain => "Domain",
            Category::Integration => "Integration",
            Category::System => "System",
            Category::Notification => "Notification",
        }
    }
}

/// One version of one event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    /// The event's name as written (`CharacterCreated`).
    pub name: String,
    /// The Rust struct name: the name for the newest version, `NameV1_0_0` for older ones.
    pub rust_name: String,
    /// Where the event is declared.
    pub location: Location,
    /// `domain.aggregate.action`.
    pub event_type: String,
    /// Semantic version of the payload schema.
    pub event_version: String,
    /// Whether this is the newest version of the event in the catalog.
    pub is_latest: bool,
    /// The aggregate type (`Character`).
    pub aggregate_type: String,
    /// How the aggregate id is found in the payload.
    pub aggregate_id: AggregateId,
    /// The event's category.
    pub category: Category,
    /// What happened.
    pub description: Option<String>,
    /// What causes the event.
    pub triggers: Vec<String>,
    /// Who listens, and why.
    pub subscribers: Vec<Subscriber>,
    /// The service that publishes the event: the event's own `publisher:`, else its domain's.
    pub publisher: Option<Publisher>,
    /// The payload's fields, in order.
    pub payload: Vec<Field>,
    /// The event's effective compatibility mode: its own `compatibilityMode`, else the
    /// catalog's, else [`CompatibilityMode::Backward`]. It governs how this version is compared
    /// with the earlier versions of the event.
    pub compatibility: CompatibilityMode,
    /// The version's `changes:` list, when it declares one.
    pub changes: Option<ChangeLog>,
    /// Set when this version is deprecated (`deprecated` and `removalVersion` on the event):
    /// the lock file then lets it be deleted once the catalog holds a version of the event at
    /// or past its removal version.
    pub deprecated: Option<Deprecation>,
    /// Where the event's keys are written, for error messages.
    pub spans: EventSpans,
}

/// How the versions of an event must relate, in the words of the Novel Engine specification
/// (`compatibilityMode`). The rules each mode applies are in `catalog/README.md`
/// ("Evolution").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CompatibilityMode {
    /// A reader of this version reads events of the previous version (the default, and the
    /// specification's `backward-compatible`).
    #[default]
    Backward,
    /// A reader of this version reads events of every earlier version.
    BackwardTransitive,
    /// A reader of the previous version reads events of this version
    /// (`forward-compatible`).
    Forward,
    /// A reader of every earlier version reads events of this version.
    ForwardTransitive,
    /// Both backward and forward, with the previous version.
    Full,
    /// Both backward and forward, with every earlier version.
    FullTransitive,
    /// Nothing is checked.
    None,
}

impl CompatibilityMode {
    /// Every accepted catalog spelling with its mode; the first spelling of a mode is its
    /// canonical one, and `backward-compatible`/`forward-compatible` are the specification's.
    pub const ALL: [(&'static str, CompatibilityMode); 9] = [
        ("backward", CompatibilityMode::Backward),
        ("backward-transitive", CompatibilityMode::BackwardTransitive),
        ("forward", CompatibilityMode::Forward),
        ("forward-transitive", CompatibilityMode::ForwardTransitive),
        ("full", CompatibilityMode::Full),
        ("full-transitive", CompatibilityMode::FullTransitive),
        ("none", CompatibilityMode::None),
        ("backward-compatible", CompatibilityMode::Backward),
        ("forward-compatible", CompatibilityMode::Forward),
    ];

    /// The mode a catalog spelling names, if any.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, mode)| *mode)
    }

    /// The canonical catalog spelling (`backward-transitive`).
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, mode)| *mode == self)
            .map_or("backward", |(name, _)| name)
    }

    /// Whether a reader of a version reads events of the earlier versions it is compared with.
    pub fn promises_backward(self) -> bool {
        matches!(
            self,
            Self::Backward | Self::BackwardTransitive | Self::Full | Self::FullTransitive
        )
    }

    /// Whether readers of the earlier versions it is compared with read events of a version.
    pub fn promises_forward(self) -> bool {
        matches!(
            self,
            Self::Forward | Self::ForwardTransitive | Self::Full | Self::FullTransitive
        )
    }

    /// Whether a version is compared with every earlier version, not only the previous one.
    pub fn is_transitive(self) -> bool {
        matches!(
            self,
            Self::BackwardTransitive | Self::ForwardTransitive | Self::FullTransitive
        )
    }
}

impl std::fmt::Display for CompatibilityMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version's `changes:` list: what its author says changed since the previous version.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeLog {
    /// Where the `changes` key is written.
    pub location: Location,
    /// The declared changes, in order.
    pub entries: Vec<DeclaredChange>,
}

/// One item of a `changes:` list.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredChange {
    /// What kind of change (`type: field-added`).
    pub kind: ChangeKind,
    /// Where the item is written.
    pub location: Location,
    /// The field's path (`field:`), `traits.openness` for a nested field, `steps[].name` in
    /// array items; for a rename, its `to`.
    pub field: String,
    /// A rename's `from`.
    pub from: Option<String>,
    /// `optional:` of a `field-added`: whether the new field may be absent.
    pub optional: Option<bool>,
    /// `removalVersion:` of a `field-deprecated`.
    pub removal_version: Option<String>,
    /// `values:` of `enum-values-added`/`enum-values-removed`.
    pub values: Option<Vec<String>>,
}

/// Positions of an event's keys, so that errors point at the value at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpans {
    /// The `name` value.
    pub name: Location,
    /// The `eventType` value.
    pub event_type: Location,
    /// The `eventVersion` value.
    pub event_version: Location,
    /// The `aggregateType` value.
    pub aggregate_type: Location,
    /// The `aggregateId` value.
    pub aggregate_id: Location,
    /// The `payload` value.
    pub payload: Location,
}

/// How an event's aggregate id is obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum AggregateId {
    /// A uuid field of the payload.
    Field(String),
    /// A UUID v5 of a string field, in the namespace `novel_events::AGGREGATE_NAMESPACE`.
    NameBased(String),
}

impl AggregateId {
    /// The payload field the id comes from.
    pub fn field(&self) -> &str {
        match self {
            AggregateId::Field(field) | AggregateId::NameBased(field) => field,
        }
    }
}

/// The service that publishes an event (`publisher: Characters Service`).
#[derive(Debug, Clone, PartialEq)]
pub struct Publisher {
    /// The service's name, spelled as its subscriber entries spell it (`Characters Service`).
    pub service: String,
    /// Where the publisher is named.
    pub location: Location,
}

/// A service that subscribes to an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscriber {
    /// The service's name as the catalog writes it (`Memory Service`).
    pub service: String,
    /// What it does with the event.
    pub purpose: Option<String>,
    /// Whether the catalog says this service is not a misspelling of a service spelled alike
    /// (`distinct: true` in the mapping form).
    pub distinct: bool,
    /// Whether the service handles each version of the event with a method of its own
    /// (`perVersion: true` in the mapping form) instead of one method taking the newest
    /// version, to which older ones are upcast.
    pub per_version: bool,
    /// Where the subscriber is listed.
    pub location: Location,
}

/// A payload field or a field of a nested object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name, exactly as in the catalog (`personalityTraits`).
    pub name: String,
    /// Where the field is declared.
    pub location: Location,
    /// The field's type.
    pub ty: TypeExpr,
    /// Whether the field may be absent (or null).
    pub optional: bool,
    /// The value used when the field is absent.
    pub default: Option<Literal>,
    /// Inclusive lower bound of a numeric field.
    pub min: Option<f64>,
    /// Inclusive upper bound of a numeric field.
    pub max: Option<f64>,
    /// What the field means.
    pub description: Option<String>,
    /// Set when the field is deprecated.
    pub deprecated: Option<Deprecation>,
}

/// A deprecated field: still accepted, scheduled for removal.
#[derive(Debug, Clone, PartialEq)]
pub struct Deprecation {
    /// Why, or what to use instead.
    pub note: Option<String>,
    /// The eventVersion that removes the field.
    pub removal_version: String,
}

/// A field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// `uuid`: a UUID string.
    Uuid,
    /// `string`.
    String,
    /// `integer`: a signed 64-bit integer.
    Integer,
    /// `number`: a 64-bit float.
    Number,
    /// `boolean`.
    Boolean,
    /// `datetime`: an RFC 3339 timestamp.
    DateTime,
    /// `object`: any JSON object.
    Object,
    /// `[T]`: an array of T.
    Array(Box<TypeExpr>),
    /// A string enum declared inline.
    Enum(EnumDef),
    /// A nested object declared inline.
    Struct(StructDef),
    /// A reference to a named type of the catalog's `types`.
    Named(String),
}

impl TypeExpr {
    /// The primitive type keywords.
    pub const PRIMITIVES: [&'static str; 7] = [
        "uuid", "string", "integer", "number", "boolean", "datetime", "object",
    ];

    /// How the catalog spells this type, for error messages.
    pub fn describe(&self) -> String {
        match self {
            TypeExpr::Uuid => "uuid".into(),
            TypeExpr::String => "string".into(),
            TypeExpr::Integer => "integer".into(),
            TypeExpr::Number => "number".into(),
            TypeExpr::Boolean => "boolean".into(),
            TypeExpr::DateTime => "datetime".into(),
            TypeExpr::Object => "object".into(),
            TypeExpr::Array(item) => format!("[{}]", item.describe()),
            TypeExpr::Enum(def) => def.values.join("|"),
            TypeExpr::Struct(def) => format!("nested object `{}`", def.name),
            TypeExpr::Named(name) => name.clone(),
        }
    }
}

/// A string enum. Values are kept verbatim (`sci-fi`).
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The Rust type name.
    pub name: String,
    /// Where the enum is declared.
    pub location: Location,
    /// The allowed values, in order.
    pub values: Vec<String>,
    /// What the enum means.
    pub description: Option<String>,
}

/// A nested object with declared fields.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// The Rust type name.
    pub name: String,
    /// Where the object is declared.
    pub location: Location,
    /// Its fields.
    pub fields: Vec<Field>,
    /// What the object means.
    pub description: Option<String>,
}

/// A type declared once under `types:` and used by name.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedType {
    /// The type's name (PascalCase).
    pub name: String,
    /// Where it is declared.
    pub location: Location,
    /// An [`TypeExpr::Enum`] or a [`TypeExpr::Struct`].
    pub ty: TypeExpr,
}

/// A literal written in the catalog (a field's `default`).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `true` or `false`.
    Boolean(bool),
    /// An integer.
    Integer(i64),
    /// A float.
    Number(f64),
    /// A string.
    String(String),
    /// `[]`: an empty array.
    EmptyArray,
    /// `{}`: an empty object.
    EmptyObject,
}

impl Literal {
    /// The value as JSON text (`"a\nb"`, `3`, `2.5`, `true`, `[]`, `{}`): the one form every
    /// output writes a default in (the generated metadata and docs, the lock file's
    /// fingerprints, the command's metadata, messages). Strings are escaped as JSON escapes
    /// them: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control characters as `\u00XX`.
    pub fn to_json(&self) -> String {
        match self {
            Literal::Boolean(value) => value.to_string(),
            Literal::Integer(value) => value.to_string(),
            // `{:?}` keeps a fraction (`1.0`), so a number default reads as a number; the
            // parser refused non-finite values.
            Literal::Number(value) => format!("{value:?}"),
            Literal::String(value) => crate::json_string::json_string(value),
            Literal::EmptyArray => "[]".to_owned(),
            Literal::EmptyObject => "{}".to_owned(),
        }
    }
}

impl std::fmt::Display for Literal {
    /// The value as JSON text ([`Literal::to_json`]), for messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::Literal;

    #[test]
    fn literals_are_written_as_json() {
        let text = Literal::String("a\nb\t\"c\\\u{1}é\u{8}".into()).to_json();
        assert_eq!(text, r#""a\nb\t\"c\\\u0001é\b""#);
        assert_eq!(Literal::Number(1.0).to_json(), "1.0");
        assert_eq!(Literal::Integer(-3).to_json(), "-3");
        assert_eq!(Literal::EmptyObject.to_string(), "{}");
    }
}
