//! Support for generated code. Not public API: may change in any release.
//!
//! A thin file of re-exports: the decoding core lives in `codec`, the
//! type-holding traits in [`catalog::holds`](crate::catalog::holds). The code that
//! `include_catalog!` and the derives write names only paths under this module, so the
//! runtime can move its parts without changing what the code generator emits.

pub use chrono;
pub use serde;
pub use serde_json;
pub use uuid;

// Short names for the code generated inside a catalog's domain modules, which import this
// module as `__p`: fewer tokens per event than fully qualified paths.
pub use crate::catalog::holds::{
    HoldsArray, HoldsBoolean, HoldsDateTime, HoldsEnum, HoldsInteger, HoldsNumber, HoldsObject,
    HoldsString, HoldsUuid,
};
pub use crate::decodes::{DecodeScope, DecodedVersion, Decodes};
pub use crate::event::{
    Event, EventCategory, EventPayload, SubscriberInfo, name_based_aggregate_id,
};
pub use crate::upcast::{IntoLatest, Upcast, UpcastEvents, through_the_wire};
pub use crate::validation::{UnknownValue, ValidationError, Violation};

pub use core::option::Option::{self, None, Some};
pub use core::result::Result::{self, Err, Ok};
pub use std::string::String;
pub use std::vec::Vec;

pub use crate::codec::{
    Bounded, FromMap, MapOnly, MapOnlySeed, Validate, assert_distinct_events, check_bounds,
    deserialize_bounded, deserialize_enum, deserialize_event, deserialize_event_payload,
    deserialize_field, deserialize_struct, field_error, finite_numbers, next_bounded, next_field,
    next_key, not_in_set, prefix_error, reads_newer_version, required, serialize_optional, shorten,
    skip_value, strip_position, unknown_event, validate_payload,
};

/// The type-holding traits and their compile-time checks, for `#[derive(Event)]` with
/// `catalog = "..."` (`::novel_events::__private::holds::uuid::<T>()`).
pub mod holds {
    pub use crate::catalog::holds::{
        CheckedObject, HoldsArray, HoldsBoolean, HoldsDateTime, HoldsEnum, HoldsInteger,
        HoldsNumber, HoldsObject, HoldsString, HoldsUuid, array, assert_same_values, boolean,
        datetime, integer, number, object, string, uuid,
    };
}

/// Short constructors of catalog metadata, for the `CATALOG` static that `include_catalog!`
/// writes (`use ::novel_events::__private::meta::*;` in its initializer): the generated tokens
/// stay few, which keeps macro expansion and compilation cheap for large catalogs.
pub mod meta {
    pub use crate::catalog::{
        AggregateIdInfo as A, CatalogInfo, DeprecationInfo, EventInfo, FieldInfo, TypeInfo as T,
    };
    pub use crate::event::{EventCategory as C, SubscriberInfo};

    /// A catalog.
    pub const fn catalog(
        name: &'static str,
        version: &'static str,
        description: &'static str,
        events: &'static [EventInfo],
    ) -> CatalogInfo {
        CatalogInfo {
            name,
            version,
            description,
            events,
        }
    }

    /// One version of one event.
    #[allow(clippy::too_many_arguments)]
    pub const fn ev(
        name: &'static str,
        rust_name: &'static str,
        domain: &'static str,
        event_type: &'static str,
        event_version: &'static str,
        is_latest: bool,
        aggregate_type: &'static str,
        aggregate_id: A,
        category: C,
        description: &'static str,
        triggers: &'static [&'static str],
        subscribers: &'static [SubscriberInfo],
        publisher: &'static str,
        fields: &'static [FieldInfo],
    ) -> EventInfo {
        EventInfo {
            name,
            rust_name,
            domain,
            event_type,
            event_version,
            is_latest,
            aggregate_type,
            aggregate_id,
            category,
            description,
            triggers,
            subscribers,
            publisher,
            fields,
        }
    }

    /// A subscriber.
    pub const fn sub(service: &'static str, purpose: &'static str) -> SubscriberInfo {
        SubscriberInfo { service, purpose }
    }

    /// A required field without default, bounds or deprecation.
    pub const fn f(name: &'static str, ty: T, description: &'static str) -> FieldInfo {
        FieldInfo {
            name,
            ty,
            optional: false,
            default: None,
            min: None,
            max: None,
            description,
            deprecated: None,
        }
    }

    /// The field, optional.
    pub const fn opt(field: FieldInfo) -> FieldInfo {
        FieldInfo {
            optional: true,
            ..field
        }
    }

    /// The field with a default value (JSON text).
    pub const fn def(field: FieldInfo, default: &'static str) -> FieldInfo {
        FieldInfo {
            default: Some(default),
            ..field
        }
    }

    /// The field with a lower bound.
    pub const fn min(field: FieldInfo, min: f64) -> FieldInfo {
        FieldInfo {
            min: Some(min),
            ..field
        }
    }

    /// The field with an upper bound.
    pub const fn max(field: FieldInfo, max: f64) -> FieldInfo {
        FieldInfo {
            max: Some(max),
            ..field
        }
    }

    /// The field, deprecated.
    pub const fn dep(
        field: FieldInfo,
        removal_version: &'static str,
        note: &'static str,
    ) -> FieldInfo {
        FieldInfo {
            deprecated: Some(DeprecationInfo {
                note,
                removal_version,
            }),
            ..field
        }
    }

    /// A string enum type.
    pub const fn en(name: &'static str, values: &'static [&'static str]) -> T {
        T::Enum { name, values }
    }

    /// An object type with declared fields.
    pub const fn st(name: &'static str, fields: &'static [FieldInfo]) -> T {
        T::Struct { name, fields }
    }
}

/// The names the code generator relies on, checked at compile time.
#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use super::{
        Bounded, Err, Event, EventCategory, EventPayload, FromMap, HoldsEnum, HoldsObject, MapOnly,
        MapOnlySeed, None, Ok, Option, Result, Some, String, SubscriberInfo, UnknownValue,
        Validate, ValidationError, Vec, Violation, assert_distinct_events, check_bounds, chrono,
        deserialize_bounded, deserialize_enum, deserialize_event, deserialize_event_payload,
        deserialize_field, deserialize_struct, field_error, name_based_aggregate_id, next_bounded,
        next_field, next_key, not_in_set, prefix_error, required, serde, serde_json,
        serialize_optional, skip_value, strip_position, unknown_event, uuid, validate_payload,
    };
    // Versions: the typed upcasting and forward compatibility of `AnyEvent`.
    #[allow(unused_imports)]
    use super::{IntoLatest, Upcast, UpcastEvents, reads_newer_version, through_the_wire};
    // What an event set decodes, for the store's check at open.
    #[allow(unused_imports)]
    use super::{DecodeScope, DecodedVersion, Decodes};

    /// `__private::holds`, apart: it repeats two names of `__private`.
    mod holds {
        #[allow(unused_imports)]
        use crate::__private::holds::{
            HoldsArray, HoldsBoolean, HoldsDateTime, HoldsEnum, HoldsInteger, HoldsNumber,
            HoldsObject, HoldsString, HoldsUuid, array, assert_same_values, boolean, datetime,
            integer, number, object, string, uuid,
        };

        #[test]
        fn the_checks_are_const_fns() {
            const _: () = {
                uuid::<::uuid::Uuid>();
                string::<String>();
                integer::<i64>();
                number::<f64>();
                boolean::<bool>();
                datetime::<chrono::DateTime<chrono::Utc>>();
                object::<serde_json::Value>();
                array::<Vec<i64>>();
                assert_same_values(&["a", "b"], &["b", "a"], "same values");
            };
        }
    }
}
