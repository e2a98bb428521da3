//! [`Encoding`]: how the bus the document describes writes each event message, as
//! `novel_events_nats::Encoding` does.

use novel_events::cloudevents::CloudEvents;

/// How the JetStream bus writes an event message, and so what the document's messages hold:
/// the document of a bus set up with `BusOptions::with_encoding(e)` is made with the
/// `Encoding` of the same name and mapping.
///
/// ```
/// use novel_events::cloudevents::CloudEvents;
/// use novel_events_cli::asyncapi::{Encoding, Options};
///
/// let options = Options {
///     encoding: Encoding::CloudEventsBinary(
///         CloudEvents::new("novel-engine").with_base_uri("https://schemas.example/novel-engine"),
///     ),
///     ..Options::default()
/// };
/// assert_eq!(options.encoding.name(), "cloudevents-binary");
/// assert_eq!(Encoding::default().name(), "envelope");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Encoding {
    /// The bus's default: the whole envelope as the JSON body, the bus's `Nats-Msg-Id` and
    /// `Novel-*` headers beside it.
    #[default]
    Envelope,
    /// CloudEvents 1.0 in the binary mode of the NATS binding: the payload alone as the
    /// JSON body, the envelope's other fields in `ce-` headers written by this mapping (whose
    /// catalog name and base URI make `ce-dataschema`), the bus's own headers beside them.
    CloudEventsBinary(CloudEvents),
}

impl Encoding {
    /// The encoding's name, as `--encoding` spells it: `envelope` or `cloudevents-binary`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Envelope => "envelope",
            Self::CloudEventsBinary(_) => "cloudevents-binary",
        }
    }
}
