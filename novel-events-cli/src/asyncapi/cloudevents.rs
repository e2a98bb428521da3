//! The `cloudevents-binary` encoding's messages: the NATS headers the bus sets when it
//! publishes CloudEvents 1.0 in the binary mode (`novel_events::cloudevents`), and the values
//! that are fixed per event version, taken from the runtime's own mapping.
//!
//! The header values that are the same for every message of an event version (`ce-type`,
//! `ce-eventversion`, `ce-aggregatetype`, `ce-dataschema`) are not written here: they are read
//! off [`CloudEvents::to_binary`] of a sample envelope of that version, so the document pins
//! exactly what the bus sends, percent-encoding included (a base URI with a space, say).

use novel_events::cloudevents::{CloudEvents, DATA_CONTENT_TYPE, SPEC_VERSION};
use novel_events::uuid::Uuid;
use novel_events::{Envelope, EventInfo, EventPayload};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::node::{Map, Node};
use super::schemas;

/// The id of the headers schema every message shares in this encoding.
pub(super) const HEADERS: &str = "CloudEventHeaders";

/// What a `ce-` header (or `content-type`) holds.
#[derive(Clone, Copy)]
enum Holds {
    /// A UUID.
    Uuid,
    /// An RFC 3339 date-time.
    DateTime,
    /// Text, percent-encoded.
    Text,
    /// The same value for every message of an event version (pinned per message).
    PerVersion,
    /// The same value for every message.
    Fixed(&'static str),
    /// A W3C `traceparent`.
    Traceparent,
}

/// A header of the binary mode: its name, whether every message has it, what it holds and
/// what it carries.
struct Header {
    name: &'static str,
    required: bool,
    holds: Holds,
    description: &'static str,
}

/// Every header the mapping writes, in the order it writes them (`novel_events::cloudevents`'s
/// table).
const CLOUDEVENT_HEADERS: [Header; 17] = [
    Header {
        name: "content-type",
        required: true,
        holds: Holds::Fixed(DATA_CONTENT_TYPE),
        description: "The media type of the body (the HTTP binding's place of `datacontenttype`): the payload as JSON.",
    },
    Header {
        name: "ce-specversion",
        required: true,
        holds: Holds::Fixed(SPEC_VERSION),
        description: "`specversion`: CloudEvents 1.0.",
    },
    Header {
        name: "ce-id",
        required: true,
        holds: Holds::Uuid,
        description: "`id`: the envelope's eventId.",
    },
    Header {
        name: "ce-source",
        required: true,
        holds: Holds::Text,
        description: "`source`: the envelope's metadata.source (the publishing service), percent-encoded.",
    },
    Header {
        name: "ce-type",
        required: true,
        holds: Holds::PerVersion,
        description: "`type`: the envelope's eventType.",
    },
    Header {
        name: "ce-subject",
        required: true,
        holds: Holds::Uuid,
        description: "`subject`: the envelope's aggregateId, the aggregate the event is about.",
    },
    Header {
        name: "ce-time",
        required: true,
        holds: Holds::DateTime,
        description: "`time`: the envelope's timestamp, RFC 3339 in UTC.",
    },
    Header {
        name: "ce-datacontenttype",
        required: true,
        holds: Holds::Fixed(DATA_CONTENT_TYPE),
        description: "`datacontenttype` (the NATS binding's place of it): the payload as JSON.",
    },
    Header {
        name: "ce-dataschema",
        required: true,
        holds: Holds::PerVersion,
        description: "`dataschema`: the registry `$id` of the event version's JSON Schema (the one `novel-events schema` writes; a `urn:novel-events:` URN, or under `--base-uri`), percent-encoded.",
    },
    Header {
        name: "ce-eventversion",
        required: true,
        holds: Holds::PerVersion,
        description: "Extension `eventversion`: the envelope's eventVersion.",
    },
    Header {
        name: "ce-aggregatetype",
        required: true,
        holds: Holds::PerVersion,
        description: "Extension `aggregatetype`: the envelope's aggregateType.",
    },
    Header {
        name: "ce-correlationid",
        required: true,
        holds: Holds::Uuid,
        description: "Extension `correlationid`: the envelope's correlationId.",
    },
    Header {
        name: "ce-causationid",
        required: true,
        holds: Holds::Uuid,
        description: "Extension `causationid`: the envelope's causationId.",
    },
    Header {
        name: "ce-userid",
        required: false,
        holds: Holds::Uuid,
        description: "Extension `userid`: the envelope's userId, present when it has one.",
    },
    Header {
        name: "ce-traceparent",
        required: false,
        holds: Holds::Traceparent,
        description: "Extension `traceparent` (the Distributed Tracing extension): the envelope's metadata.trace, present when it is a W3C trace context.",
    },
    Header {
        name: "ce-trace",
        required: false,
        holds: Holds::Text,
        description: "Extension `trace`: the envelope's metadata.trace, present when it is one but no W3C trace context; percent-encoded.",
    },
    Header {
        name: "ce-schema",
        required: false,
        holds: Holds::Text,
        description: "Extension `schema`: the envelope's metadata.schema, present when it has one; percent-encoded.",
    },
];

/// What the encoding is, for the document's and the messages' descriptions.
pub(super) const SUMMARY: &str = "Encoding: `cloudevents-binary`. Each message is a CloudEvent 1.0 in the binary mode of the NATS binding: the body is the event's payload alone, as JSON, and the envelope's other fields travel in `ce-` headers (`ce-id`, `ce-type`, `ce-time`, ...), beside the bus's own `Nats-Msg-Id` and `Novel-*` headers.";

/// The headers schema every message shares: the bus's own headers, then the CloudEvents ones
/// in the mapping's order.
pub(super) fn headers() -> Node {
    let mut required: Vec<Node> = Vec::new();
    let mut properties = Map::new();
    let bus = schemas::headers();
    if let Some(bus) = bus.as_map() {
        if let Some(Node::List(names)) = bus.get("required") {
            required.extend(names.iter().cloned());
        }
        if let Some(Node::Map(own)) = bus.get("properties") {
            for (name, schema) in own.iter() {
                properties.insert(name, schema.clone());
            }
        }
    }
    for header in &CLOUDEVENT_HEADERS {
        let mut property = match header.holds {
            Holds::Uuid => json!({ "type": "string", "format": "uuid" }),
            Holds::DateTime => json!({ "type": "string", "format": "date-time" }),
            Holds::Text => json!({ "type": "string", "minLength": 1 }),
            Holds::PerVersion => json!({ "type": "string" }),
            Holds::Fixed(value) => json!({ "type": "string", "const": value }),
            Holds::Traceparent => {
                json!({ "type": "string", "pattern": schemas::TRACEPARENT_PATTERN })
            }
        };
        property["description"] = Value::from(header.description);
        properties.insert(header.name, schemas::schema_node(property));
        if header.required {
            required.push(Node::from(header.name));
        }
    }
    Map::new()
        .with(
            "description",
            "The NATS headers the JetStream bus sets on every event message when it publishes CloudEvents in the binary mode: its own (`Nats-Msg-Id`, `Novel-*`, `traceparent`) and a `ce-` header per CloudEvents attribute, `content-type` too. The bindings percent-encode a `ce-` value's space, `\"`, `%` and every character outside printable ASCII as `%XY`.",
        )
        .with("type", "object")
        .with("required", Node::List(required))
        .with("properties", properties)
        .into()
}

/// The headers of one event version's messages: the shared headers, with the bus's
/// eventType and eventVersion headers and the `ce-` headers fixed per version pinned to the
/// values `mapping` writes.
pub(super) fn headers_of(mapping: &CloudEvents, event: &'static EventInfo) -> Node {
    let sample = mapping
        .to_binary(&Envelope::new(Sample(event), "novel-events asyncapi"))
        .unwrap_or_else(|_| {
            unreachable!("an envelope with a source, written now, is always a CloudEvent")
        });
    let mut pins = vec![
        ("Novel-Event-Type", event.event_type),
        ("Novel-Event-Version", event.event_version),
    ];
    for header in &CLOUDEVENT_HEADERS {
        if let (Holds::PerVersion, Some(value)) = (header.holds, sample.header(header.name)) {
            pins.push((header.name, value));
        }
    }
    schemas::pinned(HEADERS, &pins)
}

/// A payload of one event version with no fields: what a sample envelope needs to be written
/// by the mapping (its body is not used).
#[derive(Clone, Copy)]
struct Sample(&'static EventInfo);

impl Serialize for Sample {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

impl EventPayload for Sample {
    fn event_type(&self) -> &'static str {
        self.0.event_type
    }

    fn event_version(&self) -> &'static str {
        self.0.event_version
    }

    fn aggregate_type(&self) -> &'static str {
        self.0.aggregate_type
    }

    fn aggregate_id(&self) -> Uuid {
        Uuid::nil()
    }

    fn deserialize_payload<'de, D>(
        event_type: &str,
        event_version: &str,
        _deserializer: D,
    ) -> Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        Err(serde::de::Error::custom(format!(
            "`{event_type}` {event_version}: a sample payload is written, never read"
        )))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use novel_events::EventCategory;
    use novel_events::catalog::AggregateIdInfo;

    use super::*;

    static EVENT: EventInfo = EventInfo {
        name: "OrderPlaced",
        rust_name: "OrderPlaced",
        domain: "orders",
        event_type: "orders.order.placed",
        event_version: "1.0.0+build.7",
        is_latest: true,
        aggregate_type: "Order",
        aggregate_id: AggregateIdInfo::Field("orderId"),
        category: EventCategory::Domain,
        description: "",
        triggers: &[],
        subscribers: &[],
        publisher: "",
        fields: &[],
    };

    /// The table names every header the runtime's mapping writes, and no other.
    #[test]
    fn the_table_is_the_runtime_s_headers() {
        let mapping = CloudEvents::new("shop");
        let full = Envelope::new(Sample(&EVENT), "shop service")
            .with_user(Uuid::nil())
            .with_schema("orders/1");
        let mut written = BTreeSet::new();
        for trace in [
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "b3=1",
        ] {
            let event = mapping.to_binary(&full.clone().with_trace(trace)).unwrap();
            written.extend(event.headers.into_iter().map(|(name, _)| name));
        }
        let table: BTreeSet<String> = CLOUDEVENT_HEADERS
            .iter()
            .map(|header| header.name.to_owned())
            .collect();
        assert_eq!(written, table);
    }

    #[test]
    fn pinned_values_are_the_mapping_s_as_the_header_carries_them() {
        let mapping = CloudEvents::new("shop").with_base_uri("https://schemas.example/my shop/");
        let node = headers_of(&mapping, &EVENT);
        let json = serde_json::to_value(&node).unwrap();
        let pinned = &json["allOf"][1]["properties"];
        assert_eq!(
            pinned["ce-dataschema"]["const"],
            "https://schemas.example/my%20shop/orders.order.placed/1.0.0+build.7.schema.json"
        );
        assert_eq!(pinned["ce-type"]["const"], "orders.order.placed");
        assert_eq!(pinned["ce-eventversion"]["const"], "1.0.0+build.7");
        assert_eq!(pinned["ce-aggregatetype"]["const"], "Order");
        assert_eq!(pinned["Novel-Event-Version"]["const"], "1.0.0+build.7");
        assert_eq!(
            json["allOf"][0]["$ref"],
            "#/components/schemas/CloudEventHeaders"
        );
    }
}
