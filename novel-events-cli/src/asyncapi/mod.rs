//! The AsyncAPI 3.0 document of a catalog, as the JetStream bus (`novel-events-nats`) carries
//! its events.
//!
//! Contract: [`document`] turns a valid catalog into one AsyncAPI 3.0.0 document that the
//! official AsyncAPI parser accepts without errors or warnings (a test holds it to that on the
//! Novel Engine catalog), written as JSON or YAML ([`Document`]). The same catalog and
//! [`Options`] give the same document, byte for byte. The document holds:
//!
//! - `info`: the catalog's name (title), version and description, and a described tag for
//!   every domain, service and event category it uses;
//! - `servers.nats`: the NATS server ([`Server`], `nats://127.0.0.1:4222` by default);
//! - `channels`: one per eventType, its id the eventType, its address the subject the bus
//!   publishes it on, `<stream>.{partition}.<eventType>` ([`StreamName`]), the partition a
//!   parameter (`components/parameters/partition`) whose description states the partition
//!   rule, with a `nats` channel binding (which has no fields);
//! - `components/messages`: one per (eventType, eventVersion), id `<eventType>.v<eventVersion>`
//!   (`v<eventVersion>` in its channel; a character of the version that component ids may not
//!   hold is written `_` and two hex digits: `1.0.0+build.7` → `v1.0.0_2bbuild.7`), with the event's name, description and triggers, its
//!   headers (the bus's NATS headers, `components/schemas/EventHeaders`, with its eventType and
//!   eventVersion pinned) and its payload: the whole envelope as JSON, as the bus sends it;
//! - `components/schemas`: the envelope schema of each event version, `<eventType>.v<eventVersion>`,
//!   which is the runtime's own JSON Schema export (`novel-events schema` writes the same)
//!   without its `$schema` (an AsyncAPI schema is JSON Schema draft 07 and a few keywords more;
//!   the export's keywords mean the same in both);
//! - `operations`: per service named in the catalog, `send` for each eventType it publishes
//!   (`publisher:`) and `receive` for each it subscribes to (`subscribers:`), the purpose as
//!   the description and the subscription's durable consumer as the NATS binding's `queue`
//!   ([Operations](self#operations)); every operation is tagged with its service.
//!
//! # Encodings
//!
//! The bus writes a message in one of two encodings ([`Encoding`], as
//! `novel_events_nats::Encoding`); the document describes one, [`Options::encoding`]:
//!
//! - `envelope` (the default): as above.
//! - `cloudevents-binary`: CloudEvents 1.0 in the binary mode of the NATS binding
//!   (`novel_events::cloudevents`). A message's payload is the event's payload alone: the
//!   schema `<eventType>.v<eventVersion>` is the `payload` property of the runtime's envelope
//!   schema. Its headers are `components/schemas/CloudEventHeaders`: the bus's own, plus
//!   `content-type` and a `ce-` header per attribute, the required ones listed as required
//!   (`ce-id`, `ce-source`, `ce-type`, `ce-subject`, `ce-time`, ..., `ce-causationid`) and the
//!   optional ones not (`ce-userid`, `ce-traceparent`, `ce-trace`, `ce-schema`), UUIDs with
//!   `format: uuid` and `ce-time` with `format: date-time`; each message pins, with `const`,
//!   `Novel-Event-Type`, `Novel-Event-Version`, `ce-type`, `ce-eventversion`,
//!   `ce-aggregatetype` and `ce-dataschema` to the values the mapping writes (percent-encoded
//!   as the header carries them). The correlationId's location is
//!   `$message.header#/ce-correlationid`. The document's and every message's description say
//!   which encoding they describe.
//!
//! Messages of a version that a later version of its event supersedes are tagged
//! `superseded`. Extensions `x-novel-events` (on messages: eventType, version, latest,
//! aggregate, category, Rust name) and `x-novel-events-service` (on operations) carry what
//! AsyncAPI has no field for. Not described: the dead-letter, reprocess and idempotency streams,
//! which are the bus's own. The document is AsyncAPI 3.0.0, which the parser accepts with one
//! diagnostic of severity "information" recommending 3.1.0.
//!
//! # Operations
//!
//! Ids are stable: `<service>.send.<eventType>` and `<service>.receive.<eventType>`, the
//! service as a lowercase slug (`Memory Service` → `memory-service`). A receive operation lists
//! the versions the service subscribes to, and its purposes (per version when they differ).
//!
//! A subscription of the bus is one durable consumer of the whole events stream; its handler
//! takes the eventTypes it subscribes to. The document assumes each service subscribes under
//! its name as the catalog spells it (`SubscriptionOptions::asynchronous("Memory Service")`,
//! consumer `Memory_20Service`), with one consumer (several workers over several partitions
//! make the bus add `-p<partition>` per partition).

mod channels;
mod cloudevents;
mod encoding;
mod info;
mod messages;
mod node;
mod operations;
mod schemas;
mod server;
mod subjects;
mod yaml;

use novel_events_codegen::Catalog;

pub use encoding::Encoding;
pub use node::{Map, Node};
pub use server::{InvalidServer, Server};
pub use subjects::{InvalidStreamName, StreamName};

use crate::metadata;

/// The id of an event version in `components` (its message and its envelope schema):
/// `<eventType>.v<eventVersion>`, every character of the version outside `[A-Za-z0-9.-]` (a
/// build's `+`, say) written `_` and two hex digits, since component ids are letters, digits,
/// `.`, `-` and `_` (an eventType is letters, digits, `-` and `.` already).
fn version_id(event: &novel_events::EventInfo) -> String {
    format!(
        "{}.v{}",
        event.event_type,
        escaped_version(event.event_version)
    )
}

/// A version with every byte outside `[A-Za-z0-9.-]` written `_` and two hex digits.
fn escaped_version(version: &str) -> String {
    let mut out = String::with_capacity(version.len());
    for byte in version.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("_{byte:02x}"));
        }
    }
    out
}

/// The AsyncAPI version of the documents.
pub const ASYNCAPI_VERSION: &str = "3.0.0";

/// How the document is made.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The NATS server.
    pub server: Server,
    /// The name the bus is given when it connects, which names its events stream and begins
    /// every subject; `None`: the catalog's name.
    pub stream: Option<StreamName>,
    /// The number of partitions the bus is set up with (`BusOptions::partitions`; 0 counts
    /// as 1, as the bus counts it).
    pub partitions: u32,
    /// How the bus writes each message (`BusOptions::encoding`): the whole envelope as the
    /// body (the default), or CloudEvents in the binary mode, with the mapping the bus is
    /// given (its catalog name and base URI make `ce-dataschema`).
    pub encoding: Encoding,
}

/// An AsyncAPI document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    root: Node,
    channels: usize,
    messages: usize,
    operations: usize,
}

impl Document {
    /// The document as a tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The document as pretty-printed JSON, ending with a line break.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.root)
            .unwrap_or_else(|_| unreachable!("a tree of JSON values always serializes"));
        text.push('\n');
        text
    }

    /// The document as YAML, ending with a line break.
    pub fn to_yaml(&self) -> String {
        yaml::to_yaml(&self.root)
    }

    /// How many channels it has (one per eventType).
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// How many messages it has (one per eventType and version).
    pub fn messages(&self) -> usize {
        self.messages
    }

    /// How many operations it has.
    pub fn operations(&self) -> usize {
        self.operations
    }
}

/// The AsyncAPI document of `catalog` (a catalog without errors, as
/// [`catalog_file::load`](crate::catalog_file::load) returns it), or why its name cannot name
/// the bus's stream (give [`Options::stream`] then).
///
/// The catalog's runtime metadata is built for the purpose by
/// [`metadata::catalog_info`], which leaks it: call this once
/// per catalog, as a command does.
///
/// ```
/// use novel_events_cli::asyncapi::{Options, document};
///
/// let yaml = r#"
/// catalog: shop
/// version: "1.0.0"
/// domains:
///   orders:
///     publisher: Order Service
///     events:
///       - name: OrderPlaced
///         eventType: orders.order.placed
///         eventVersion: "1.0.0"
///         aggregateType: Order
///         aggregateId: orderId
///         payload:
///           orderId: uuid
///         subscribers:
///           - Billing Service (charge the customer)
/// "#;
/// let catalog = novel_events_codegen::parse_catalog(yaml, "shop.yaml").unwrap();
/// let document = document(&catalog, &Options::default()).unwrap();
/// let json: serde_json::Value = serde_json::from_str(&document.to_json()).unwrap();
/// let channel = &json["channels"]["orders.order.placed"];
/// assert_eq!(channel["address"], "shop.{partition}.orders.order.placed");
/// let receive = &json["operations"]["billing-service.receive.orders.order.placed"];
/// assert_eq!(receive["action"], "receive");
/// assert_eq!(receive["description"], "charge the customer");
/// assert!(document.to_yaml().starts_with("asyncapi: \"3.0.0\"\n"));
/// ```
pub fn document(catalog: &Catalog, options: &Options) -> Result<Document, InvalidStreamName> {
    let metadata = metadata::catalog_info(catalog);
    let stream = match &options.stream {
        Some(stream) => stream.clone(),
        None => StreamName::new(metadata.name)?,
    };
    let partitions = options.partitions.max(1);
    let event_types = channels::event_types(metadata);

    let mut channel_map = Map::new();
    for versions in &event_types {
        channel_map.insert(
            channels::id(versions[0]),
            channels::channel(&stream, versions),
        );
    }
    let operation_map = operations::operations(metadata, &event_types);
    let mut message_map = Map::new();
    let mut schema_map = match options.encoding {
        Encoding::Envelope => Map::new().with(schemas::HEADERS, schemas::headers()),
        Encoding::CloudEventsBinary(_) => {
            Map::new().with(cloudevents::HEADERS, cloudevents::headers())
        }
    };
    for event in metadata.events {
        message_map.insert(
            messages::id(event),
            messages::message(event, &options.encoding),
        );
        let body = match options.encoding {
            Encoding::Envelope => schemas::envelope(metadata, event),
            Encoding::CloudEventsBinary(_) => schemas::payload(metadata, event),
        };
        if let Some(schema) = body {
            schema_map.insert(schemas::body_id(event), schema);
        }
    }
    let counts = (channel_map.len(), message_map.len(), operation_map.len());
    let root = Map::new()
        .with("asyncapi", ASYNCAPI_VERSION)
        .with("info", info::info(catalog, metadata, &options.encoding))
        .with(
            "servers",
            Map::new().with(server::ID, options.server.object()),
        )
        .with("defaultContentType", "application/json")
        .with("channels", channel_map)
        .with("operations", operation_map)
        .with(
            "components",
            Map::new()
                .with("schemas", schema_map)
                .with("messages", message_map)
                .with(
                    "parameters",
                    Map::new().with(
                        subjects::PARTITION,
                        channels::partition_parameter(partitions),
                    ),
                ),
        )
        .into();
    Ok(Document {
        root,
        channels: counts.0,
        messages: counts.1,
        operations: counts.2,
    })
}
