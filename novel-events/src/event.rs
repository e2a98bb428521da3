//! The [`Event`] trait every payload type implements, generated or derived.

use serde::Serialize;
use serde::de::{DeserializeOwned, Deserializer};
use uuid::Uuid;

use crate::validation::ValidationError;

/// The namespace of name-based aggregate ids (UUID v5).
///
/// An event whose aggregate has no uuid of its own (Novel Engine's `SystemHealthChanged`, keyed
/// by its `component` name) takes as aggregate id `Uuid::new_v5(&AGGREGATE_NAMESPACE, name)`.
/// The namespace is itself the UUID v5 of the URL
/// `https://novel-events.rs/namespaces/aggregate-name` in the standard URL namespace, so any
/// language can compute the same ids:
///
/// ```
/// use novel_events::{AGGREGATE_NAMESPACE, name_based_aggregate_id};
/// use uuid::Uuid;
///
/// let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://novel-events.rs/namespaces/aggregate-name");
/// assert_eq!(namespace, AGGREGATE_NAMESPACE);
/// assert_eq!(
///     name_based_aggregate_id("story-engine").to_string(),
///     "29417b95-d163-56d7-b03b-d9176ce76d80",
/// );
/// ```
pub const AGGREGATE_NAMESPACE: Uuid = Uuid::from_u128(0x2be85067_5e5f_5aa6_9d87_d480aebe306d);

/// The aggregate id of an aggregate known by name: the UUID v5 of `name` in
/// [`AGGREGATE_NAMESPACE`].
pub fn name_based_aggregate_id(name: &str) -> Uuid {
    Uuid::new_v5(&AGGREGATE_NAMESPACE, name.as_bytes())
}

/// The Novel Engine specification's event categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventCategory {
    /// An action initiated by a user or a system.
    Command,
    /// A business-significant state change.
    Domain,
    /// Cross-context communication.
    Integration,
    /// Infrastructure and operations.
    System,
    /// A user notification trigger.
    Notification,
}

impl EventCategory {
    /// The catalog spelling (`domain`).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventCategory::Command => "command",
            EventCategory::Domain => "domain",
            EventCategory::Integration => "integration",
            EventCategory::System => "system",
            EventCategory::Notification => "notification",
        }
    }
}

impl std::fmt::Display for EventCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A service that subscribes to an event, as the catalog lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscriberInfo {
    /// The service (`Memory Service`).
    pub service: &'static str,
    /// What it does with the event (empty when the catalog says nothing).
    pub purpose: &'static str,
}

/// A domain event payload of one eventType and version.
///
/// `include_catalog!` implements it for every event of a catalog; `#[derive(Event)]` for
/// structs declared in Rust. Both also implement its supertrait [`EventPayload`], which holds
/// the methods of a payload value (`aggregate_id`, `validate`, ...): this trait holds only the
/// constants of the type. A hand-written `impl Event` needs an `impl EventPayload` next to it
/// (see [`EventPayload`]). Wrap a payload in an [`Envelope`](crate::Envelope) to give it an
/// identity, a time and its causal links.
///
/// ```
/// use novel_events::Event;
/// use novel_events::novel_engine::characters::CharacterDeleted;
///
/// assert_eq!(CharacterDeleted::EVENT_TYPE, "characters.character.deleted");
/// assert_eq!(CharacterDeleted::EVENT_VERSION, "1.0.0");
/// assert_eq!(CharacterDeleted::AGGREGATE_TYPE, "Character");
/// assert!(CharacterDeleted::SUBSCRIBERS.iter().any(|s| s.service == "Cleanup Service"));
/// ```
///
/// # `#[derive(Event)]`
///
/// On a struct with named fields that also derives serde's `Serialize` and `Deserialize`.
/// Standalone, the struct says everything itself:
///
/// ```
/// use novel_events::{Envelope, Event};
/// use serde::{Deserialize, Serialize};
/// use uuid::Uuid;
///
/// /// A reader borrowed a book.
/// #[derive(Debug, Clone, Serialize, Deserialize, Event)]
/// #[serde(rename_all = "camelCase")]
/// #[event(type = "lending.book.borrowed", version = "1.0.0", aggregate = "Book",
///         category = "domain", subscribers = ["Reminder Service (schedule a reminder)"])]
/// pub struct BookBorrowed {
///     #[event(aggregate_id)]
///     pub book_id: Uuid,
///     pub due_in_days: u32,
/// }
///
/// assert_eq!(BookBorrowed::DESCRIPTION, "A reader borrowed a book.");
/// let envelope = Envelope::new(BookBorrowed { book_id: Uuid::nil(), due_in_days: 14 }, "desk");
/// assert_eq!(envelope.aggregate_id, Uuid::nil());
/// ```
///
/// | attribute | meaning |
/// | --- | --- |
/// | `type = "domain.aggregate.action"` | the eventType (required) |
/// | `version = "1.0.0"` | the eventVersion, semver (required) |
/// | `aggregate = "Book"` | the aggregate type (required without a catalog) |
/// | `catalog = "path.yaml"` | check the struct against this catalog (relative to the crate's `Cargo.toml`) |
/// | `category = "domain"` | command, domain, integration, system or notification (default: the catalog's, else domain) |
/// | `description = "..."` | default: the doc comment, else the catalog's |
/// | `subscribers = ["Service (purpose)", ...]` | default: the catalog's |
/// | `#[event(aggregate_id)]` on a field | the uuid field that is the aggregate id (with a catalog: default, the catalog's) |
/// | `#[event(aggregate_id = "uuid_v5")]` on a field | a string field whose [`name_based_aggregate_id`] is the id |
///
/// With `catalog = "..."`, the compiler checks the struct against the catalog's event: the
/// eventType and version exist; every catalog field has a struct field and every struct field is
/// in the catalog, after serde's `rename`, `rename_all` and `skip`; a required field is not an
/// `Option` and an optional one is (or has `#[serde(default)]`); each field's type can hold its
/// catalog type (through the traits of [`catalog::holds`](crate::catalog::holds), so the error
/// lands on the field's type); the aggregate is the catalog's. In detail:
///
/// - **numbers**: an integer type must hold every value the catalog allows, the field's
///   `min`/`max` or, without them, any `i64` (`u8` for `{ type: integer, max: 1000 }` is an
///   error that names both and the type to use); `f32` holds a `number` only when the catalog
///   bounds it on both sides within `f32`'s range, otherwise write `f64`;
/// - **enums** read exactly the catalog's values, in any order (derive
///   [`EventEnum`](crate::EventEnum) on your own); a difference names the value and where the
///   catalog declares the enum;
/// - **nested objects** (a named type or inline `fields:`, alone or in an array) are checked
///   field by field like the payload: your struct for one derives
///   [`EventObject`](crate::EventObject) with
///   `#[event(object = "Money", catalog = "...")]`; the catalog's generated struct and JSON maps
///   are accepted too, and a struct checked against another object is an error. A bare
///   `impl HoldsObject` no longer vouches for a nested object: the unchecked escape hatch is an
///   explicit [`CheckedObject`](crate::catalog::holds::CheckedObject) impl with `OBJECT = None`.
///
/// The catalog's top-level bounds are checked by [`EventPayload::validate`], which publishing
/// and envelope decoding run (see [`Event::CHECKS_ON_DECODE`]). The catalog gives the event's
/// description, category and subscribers (a `category` or `subscribers` attribute that disagrees
/// is an error). Cargo rebuilds when the catalog changes.
///
/// What a derive cannot see stays yours: the bounds inside your own nested structs (checked by
/// the generated structs' validation only), the value behind a `#[serde(default = "...")]`, and
/// decoding details of your serde attributes (generated types also refuse objects written as
/// arrays and name the nested field in errors).
///
/// ```
/// use novel_events::Event;
/// use serde::{Deserialize, Serialize};
/// use uuid::Uuid;
///
/// #[derive(Debug, Clone, Serialize, Deserialize, Event)]
/// #[serde(rename_all = "camelCase")]
/// #[event(type = "characters.character.deleted", version = "1.0.0",
///         catalog = "catalog/novel-engine.yaml")]
/// pub struct CharacterDeleted {
///     pub character_id: Uuid,
///     pub name: String,
///     pub deletion_reason: String,
///     pub deleted_by: Uuid,
/// }
///
/// assert_eq!(CharacterDeleted::AGGREGATE_TYPE, "Character");
/// assert_eq!(CharacterDeleted::SUBSCRIBERS.len(), 4);
/// ```
///
/// A misspelled field does not compile:
///
/// ```compile_fail
/// # use novel_events::Event;
/// # use serde::{Deserialize, Serialize};
/// # use uuid::Uuid;
/// #[derive(Debug, Clone, Serialize, Deserialize, Event)]
/// #[serde(rename_all = "camelCase")]
/// #[event(type = "characters.character.deleted", version = "1.0.0",
///         catalog = "catalog/novel-engine.yaml")]
/// pub struct CharacterDeleted {
///     pub character_id: Uuid,
///     pub name: String,
///     pub deletion_reasn: String,
///     pub deleted_by: Uuid,
/// }
/// ```
///
/// ```text
/// error: field `deletion_reasn` is read as `deletionReasn` on the wire, which is not in the
///        catalog's payload of `characters.character.deleted` 1.0.0 (did you mean
///        `deletionReason`?); the catalog's fields are: characterId, name, deletionReason, deletedBy
///   |     pub deletion_reasn: String,
///   |         ^^^^^^^^^^^^^^
/// error: missing field `deletionReason` of the catalog's payload of
///        `characters.character.deleted` 1.0.0 (a required string): add `pub deletion_reason: String,`
///   | pub struct CharacterDeleted {
///   |            ^^^^^^^^^^^^^^^^
/// ```
pub trait Event:
    EventPayload + DeserializeOwned + Clone + std::fmt::Debug + Send + Sync + 'static
{
    /// `domain.aggregate.action`.
    const EVENT_TYPE: &'static str;
    /// The payload schema's semantic version.
    const EVENT_VERSION: &'static str;
    /// The aggregate type (`Character`).
    const AGGREGATE_TYPE: &'static str;
    /// The event's category.
    const CATEGORY: EventCategory;
    /// What happened (empty when unknown).
    const DESCRIPTION: &'static str;
    /// Who subscribes, and why.
    const SUBSCRIBERS: &'static [SubscriberInfo];

    /// Whether this type's `Deserialize` already checks the catalog's constraints while it reads
    /// (types generated by `include_catalog!` do). When `false`, decoding an envelope runs
    /// [`EventPayload::validate`] on the payload it read, so a derived event and a generated one
    /// refuse the same out-of-bounds values.
    const CHECKS_ON_DECODE: bool = false;
}

/// What an [`Envelope`](crate::Envelope) needs of its payload: one event type (every
/// [`Event`]) or a set of them (a catalog's `AnyEvent`, a `#[derive(EventSet)]` enum).
///
/// The methods of a payload value live here, and only here: [`Event`] adds the constants of one
/// event type on top. Import the trait for what you call:
///
/// - `use novel_events::EventPayload;` to call `payload.aggregate_id()`,
///   `payload.validate()`, `payload.event_type()` on a value (an event or an event set);
/// - `use novel_events::Event;` to read `MyEvent::EVENT_TYPE`, `MyEvent::SUBSCRIBERS`, ... or
///   to derive `Event`.
///
/// Importing both is never ambiguous. Inside a function generic over `E: Event`, the bound
/// already brings the methods of `EventPayload` into scope.
///
/// ```
/// use novel_events::{Event, EventPayload};
/// use novel_events::novel_engine::characters::CharacterDeleted;
/// use uuid::Uuid;
///
/// let deleted = CharacterDeleted {
///     character_id: Uuid::from_u128(7),
///     name: "Ada".to_owned(),
///     deletion_reason: "duplicate".to_owned(),
///     deleted_by: Uuid::nil(),
/// };
/// assert_eq!(deleted.aggregate_id(), Uuid::from_u128(7));
/// assert_eq!(deleted.validate(), Ok(()));
/// assert_eq!(deleted.event_type(), CharacterDeleted::EVENT_TYPE);
/// ```
///
/// # Implementing the traits by hand
///
/// `include_catalog!` and `#[derive(Event)]` write both impls. A type that implements
/// [`Event`] by hand must also implement `EventPayload`: its methods read the constants, and
/// `deserialize_payload` refuses an envelope of another event type or version:
///
/// ```
/// use novel_events::{Envelope, Event, EventCategory, EventPayload, SubscriberInfo};
/// use serde::de::{Deserializer, Error as _};
/// use serde::{Deserialize, Serialize};
/// use uuid::Uuid;
///
/// #[derive(Debug, Clone, Serialize, Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// pub struct ShelfMoved {
///     pub shelf_id: Uuid,
/// }
///
/// impl Event for ShelfMoved {
///     const EVENT_TYPE: &'static str = "library.shelf.moved";
///     const EVENT_VERSION: &'static str = "1.0.0";
///     const AGGREGATE_TYPE: &'static str = "Shelf";
///     const CATEGORY: EventCategory = EventCategory::Domain;
///     const DESCRIPTION: &'static str = "A shelf moved.";
///     const SUBSCRIBERS: &'static [SubscriberInfo] = &[];
/// }
///
/// impl EventPayload for ShelfMoved {
///     fn event_type(&self) -> &'static str {
///         Self::EVENT_TYPE
///     }
///     fn event_version(&self) -> &'static str {
///         Self::EVENT_VERSION
///     }
///     fn aggregate_type(&self) -> &'static str {
///         Self::AGGREGATE_TYPE
///     }
///     fn aggregate_id(&self) -> Uuid {
///         self.shelf_id
///     }
///     fn deserialize_payload<'de, D: Deserializer<'de>>(
///         event_type: &str,
///         event_version: &str,
///         deserializer: D,
///     ) -> Result<Self, D::Error> {
///         if event_type != Self::EVENT_TYPE || event_version != Self::EVENT_VERSION {
///             return Err(D::Error::custom("not a library.shelf.moved 1.0.0 envelope"));
///         }
///         Self::deserialize(deserializer)
///     }
/// }
///
/// let envelope = Envelope::new(ShelfMoved { shelf_id: Uuid::nil() }, "desk");
/// assert_eq!(envelope.event_type(), "library.shelf.moved");
/// let json = serde_json::to_string(&envelope).unwrap();
/// let decoded: Envelope<ShelfMoved> = serde_json::from_str(&json).unwrap();
/// assert_eq!(decoded.aggregate_id, Uuid::nil());
/// ```
pub trait EventPayload: Serialize + Sized {
    /// The eventType of this value.
    fn event_type(&self) -> &'static str;
    /// The eventVersion of this value.
    fn event_version(&self) -> &'static str;
    /// The aggregate type of this value.
    fn aggregate_type(&self) -> &'static str;
    /// The id of the aggregate this value belongs to.
    fn aggregate_id(&self) -> Uuid;
    /// Checks the constraints a type cannot express (numeric bounds, finite numbers), naming
    /// each field at fault by its path (`payload.relationshipStrength`). Publishing runs it, and
    /// so does envelope decoding when the type does not check while it reads (see
    /// [`Event::CHECKS_ON_DECODE`]). By default, every value whose numbers are finite is valid:
    /// NaN and the infinities are refused (JSON has neither; serde_json would write `null`,
    /// which no reader takes back).
    fn validate(&self) -> Result<(), ValidationError> {
        crate::codec::finite_numbers(self).map_err(|violation| ValidationError {
            violations: vec![violation],
        })
    }
    /// The eventTypes and versions this type decodes, for checks made before decoding anything:
    /// a store compares them, when it opens, with those it holds
    /// ([`HoldingsCheck`](crate::HoldingsCheck)).
    ///
    /// A catalog's `AnyEvent` and a `#[derive(EventSet)]` enum answer. The default answers
    /// `None` (cannot say), which turns the check off: it keeps hand-written impls, and single
    /// event types, as they were.
    fn decodes() -> Option<crate::Decodes> {
        None
    }
    /// Decodes the payload of an envelope whose eventType and eventVersion are given.
    ///
    /// Errors name the field's path (`payload.personalityTraits.openness`).
    fn deserialize_payload<'de, D>(
        event_type: &str,
        event_version: &str,
        deserializer: D,
    ) -> Result<Self, D::Error>
    where
        D: Deserializer<'de>;
}

/// A payload set (a catalog's `AnyEvent`, a `#[derive(EventSet)]` enum) that may hold a `T`.
pub trait Extract<T> {
    /// The `T` inside, if this value is one.
    fn extract(&self) -> Option<&T>;
}

impl<T: Event> Extract<T> for T {
    fn extract(&self) -> Option<&T> {
        Some(self)
    }
}
