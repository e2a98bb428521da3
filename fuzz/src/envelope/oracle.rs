//! What must hold for every envelope text decoded as `Envelope<AnyEvent>` of the Novel Engine
//! catalog: no panic; what decodes re-encodes to an envelope that decodes equal (and encodes
//! to the same text); what decodes passes `validate`; the verdict is the same with the
//! payload first and last; what `Envelope::from_json` accepts under the default limits, serde
//! decoding accepts equal.

use std::panic::{AssertUnwindSafe, catch_unwind};

use novel_events::novel_engine::AnyEvent;
use novel_events::{Envelope, EventPayload, Limits};

use super::members;
use crate::target::{Failure, Outcome, panic_message};

fn decode(text: &str) -> Result<Envelope<AnyEvent>, String> {
    serde_json::from_str(text).map_err(|error| error.to_string())
}

fn fail(kind: &'static str, detail: String) -> Result<Outcome, Failure> {
    Err(Failure { kind, detail })
}

/// Runs one input through the oracles.
pub fn check(input: &str) -> Result<Outcome, Failure> {
    match catch_unwind(AssertUnwindSafe(|| judge(input))) {
        Ok(result) => result,
        Err(payload) => fail(
            "panic",
            format!("panicked: {}", panic_message(payload.as_ref())),
        ),
    }
}

fn judge(input: &str) -> Result<Outcome, Failure> {
    let decoded = decode(input);

    let limited = Envelope::<AnyEvent>::from_json(input.as_bytes(), &Limits::default());
    if let Ok(limited) = &limited
        && decoded.as_ref() != Ok(limited)
    {
        return fail(
            "limits",
            format!("from_json accepted what serde decoding gives as {decoded:?}"),
        );
    }

    if let Some(members) = members::split(input)
        && members.has_payload()
    {
        let first = decode(&members.with_payload(true));
        let last = decode(&members.with_payload(false));
        match (&first, &last) {
            (Ok(first), Ok(last)) if first == last => {}
            (Err(_), Err(_)) => {}
            _ => {
                return fail(
                    "order",
                    format!("payload first: {first:?}; payload last: {last:?}"),
                );
            }
        }
    }

    let Ok(envelope) = decoded else {
        return Ok(Outcome { accepted: false });
    };
    if let Err(error) = envelope.payload.validate() {
        return fail(
            "validate",
            format!("decoded, then refused by validate: {error}"),
        );
    }
    let text = match serde_json::to_string(&envelope) {
        Ok(text) => text,
        Err(error) => return fail("roundtrip", format!("decoded, then not encoded: {error}")),
    };
    match decode(&text) {
        Ok(back) if back == envelope => {
            let again = serde_json::to_string(&back).unwrap_or_default();
            if again != text {
                return fail(
                    "roundtrip",
                    format!("encoded twice differently: {text} then {again}"),
                );
            }
        }
        Ok(back) => {
            return fail(
                "roundtrip",
                format!("decoded again as another envelope: {back:?}, was {envelope:?}"),
            );
        }
        Err(error) => {
            return fail(
                "roundtrip",
                format!("its encoding {text} does not decode: {error}"),
            );
        }
    }
    Ok(Outcome { accepted: true })
}
