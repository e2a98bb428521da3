//! Upcasting on read: converters from an older eventVersion of an event to the next, applied
//! when stored events are read, so that handlers and aggregates only see the newest version
//! (the Novel Engine specification's backward compatibility).
//!
//! These work on JSON, before decoding, on every read: for a version the catalog no longer
//! declares, or stored data to rewrite. When both versions are in the catalog, prefer the
//! typed path ([`Upcast`](crate::Upcast), checked by the compiler, generated for additive
//! changes), which the store applies when asked ([`StoredEvent::into_latest`](crate::StoredEvent::into_latest),
//! [`Latest`](crate::Latest)) and the generated subscribers always apply. Both can be used
//! together: the JSON converters run first, as the row is decoded.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

/// The most converters applied to one event: more means that they loop.
const MAX_STEPS: usize = 64;

/// The error of converters that loop.
fn looping(event_type: &str, version: &str) -> String {
    format!("upcasters of `{event_type}` loop (stopped at {version})")
}

type Converter = Arc<dyn Fn(Value) -> Result<Value, String> + Send + Sync>;

/// A registry of payload converters, one per (eventType, from version).
///
/// ```
/// use novel_events::Upcasters;
/// use serde_json::json;
///
/// let mut upcasters = Upcasters::new();
/// // 1.0.0 had `fullName`; 2.0.0 splits it.
/// upcasters.register("people.person.registered", "1.0.0", "2.0.0", |mut payload| {
///     let full = payload["fullName"].as_str().ok_or("fullName is missing")?.to_owned();
///     let (first, last) = full.split_once(' ').unwrap_or((&full, ""));
///     payload["firstName"] = json!(first);
///     payload["lastName"] = json!(last);
///     payload.as_object_mut().map(|object| object.remove("fullName"));
///     Ok(payload)
/// });
/// let (version, payload) = upcasters
///     .upcast("people.person.registered", "1.0.0", json!({ "fullName": "Mira Vale" }))
///     .unwrap();
/// assert_eq!(version, "2.0.0");
/// assert_eq!(payload, json!({ "firstName": "Mira", "lastName": "Vale" }));
/// ```
#[derive(Clone, Default)]
pub struct Upcasters {
    converters: HashMap<(String, String), (String, Converter)>,
}

impl std::fmt::Debug for Upcasters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut keys: Vec<String> = self
            .converters
            .iter()
            .map(|((event_type, from), (to, _))| format!("{event_type} {from} -> {to}"))
            .collect();
        keys.sort();
        f.debug_struct("Upcasters")
            .field("converters", &keys)
            .finish()
    }
}

impl Upcasters {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a converter of `event_type`'s payload from version `from` to version `to`.
    pub fn register(
        &mut self,
        event_type: &str,
        from: &str,
        to: &str,
        convert: impl Fn(Value) -> Result<Value, String> + Send + Sync + 'static,
    ) -> &mut Self {
        self.converters.insert(
            (event_type.to_owned(), from.to_owned()),
            (to.to_owned(), Arc::new(convert)),
        );
        self
    }

    /// Whether a converter starts at this eventType and version.
    pub fn handles(&self, event_type: &str, version: &str) -> bool {
        self.converters
            .contains_key(&(event_type.to_owned(), version.to_owned()))
    }

    /// The version the converters bring `event_type` at `version` to, without converting
    /// anything: `version` itself when no converter starts there. An error says that they loop,
    /// as [`upcast`](Self::upcast) would.
    ///
    /// ```
    /// let mut upcasters = novel_events::Upcasters::new();
    /// upcasters.register("shop.order.placed", "1.0.0", "1.1.0", Ok);
    /// upcasters.register("shop.order.placed", "1.1.0", "2.0.0", Ok);
    /// assert_eq!(upcasters.target("shop.order.placed", "1.0.0").unwrap(), "2.0.0");
    /// assert_eq!(upcasters.target("shop.order.placed", "3.0.0").unwrap(), "3.0.0");
    /// ```
    pub fn target(&self, event_type: &str, version: &str) -> Result<String, String> {
        let mut version = version.to_owned();
        let mut steps = 0;
        while let Some((to, _)) = self
            .converters
            .get(&(event_type.to_owned(), version.clone()))
        {
            version.clone_from(to);
            steps += 1;
            if steps > MAX_STEPS {
                return Err(looping(event_type, &version));
            }
        }
        Ok(version)
    }

    /// Applies converters from `version` as long as there is one; returns the final version and
    /// payload. An error names the step that failed.
    pub fn upcast(
        &self,
        event_type: &str,
        version: &str,
        mut payload: Value,
    ) -> Result<(String, Value), String> {
        let mut version = version.to_owned();
        let mut steps = 0;
        while let Some((to, convert)) = self
            .converters
            .get(&(event_type.to_owned(), version.clone()))
        {
            payload = convert(payload)
                .map_err(|error| format!("upcasting `{event_type}` {version} -> {to}: {error}"))?;
            version.clone_from(to);
            steps += 1;
            if steps > MAX_STEPS {
                return Err(looping(event_type, &version));
            }
        }
        Ok((version, payload))
    }
}
