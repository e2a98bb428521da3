//! Typed upcasting: from one version of an event to the next ([`Upcast`]), to the newest
//! version of the catalog ([`IntoLatest`]), and for a whole event set such as a catalog's
//! `AnyEvent` ([`UpcastEvents`]), and a projection that sees only newest versions
//! ([`Latest`]).
//!
//! The crate re-exports each of them at its root; their documentation is there.

use crate::bus::HandlerError;
use crate::envelope::Envelope;
use crate::store::{Projection, StoredEvent};

/// One step of an event from its version to the next version of the catalog (`Next`). Each
/// step is one impl, so a chain of versions upcasts through every step in order
/// ([`IntoLatest`]).
///
/// `include_catalog!` writes the step between two consecutive versions of an event
/// when the change is additive (every field of the newer version is in the older one with the
/// same type, or is optional or has a default; removed fields are dropped), and when the
/// catalog's compatibility check finds it backward compatible on the wire (the older event, as
/// it travels, decodes as the newer version). For any other change (one that breaks backward
/// compatibility: a new major version, or a mode that does not promise it), the crate that
/// includes the catalog writes it, beside the `include_catalog!`: without it, the catalog does
/// not compile, and the error names both versions.
///
/// ```
/// mod shop {
///     novel_events::include_catalog!("examples/versions.yaml");
/// }
/// use novel_events::{IntoLatest, Upcast};
/// use shop::orders::{OrderPlaced, OrderPlacedV1_0_0, OrderPlacedV1_1_0, OrderPlacedV2_0_0};
///
/// // 1.1.0 → 2.0.0 replaced `total` (a number) by `totalCents` (an integer): not additive, so
/// // the step is ours to write. (1.0.0 → 1.1.0 only added an optional field: generated.)
/// impl Upcast<OrderPlacedV2_0_0> for OrderPlacedV1_1_0 {
///     fn upcast(self) -> OrderPlacedV2_0_0 {
///         OrderPlacedV2_0_0 {
///             order_id: self.order_id,
///             total_cents: (self.total * 100.0).round() as i64,
///             note: self.note,
///         }
///     }
/// }
///
/// let first = OrderPlacedV1_0_0 { order_id: uuid::Uuid::nil(), total: 12.5 };
/// let newest: OrderPlaced = first.into_latest();
/// assert_eq!(newest.total_cents, 1250);
/// assert_eq!(newest.note, None);
///
/// // The event set: older variants become the newest one.
/// let any = shop::AnyEvent::from(OrderPlacedV1_0_0 { order_id: uuid::Uuid::nil(), total: 1.0 });
/// assert!(matches!(any.into_latest(), shop::AnyEvent::OrderPlaced(_)));
/// ```
#[diagnostic::on_unimplemented(
    message = "no upcaster from `{Self}` to its next version `{Next}`: the change between these versions is not backward compatible, so the catalog needs one",
    label = "`{Self}` must implement `Upcast<{Next}>`",
    note = "write, beside `include_catalog!`: `impl novel_events::Upcast<{Next}> for {Self} {{ fn upcast(self) -> {Next} {{ ... }} }}`, building the newer version from the older",
    note = "`include_catalog!` writes this impl itself only when a reader of the newer version reads events of the older one (backward compatible)",
    note = "name the newer version by its versioned name (`NameV2_0_0`, which the newest version also has), so the impl still compiles when a newer version is added"
)]
pub trait Upcast<Next> {
    /// This event as the next version.
    fn upcast(self) -> Next;
}

/// The step of a version to the next when the catalog's check found the change backward
/// compatible on the wire (a reader of the next version reads events of this one): the event
/// as it travels, decoded as the next version. `include_catalog!` generates it for such steps
/// that are not additive field by field (a field widened from integer to number, an enum
/// become a string, a field renamed with a default, ...).
///
/// # Panics
///
/// If the older value does not decode as the next version: either it holds what no decoder
/// accepts (a NaN or infinite number built in code: JSON has no such numbers, so it is written
/// as `null`), or the catalog's compatibility check and the decoder disagree, a bug of this
/// crate. The message says which event and versions.
#[doc(hidden)]
pub fn through_the_wire<From, Next>(event: From, event_type: &str, from: &str, to: &str) -> Next
where
    From: serde::Serialize,
    Next: serde::de::DeserializeOwned,
{
    match serde_json::to_value(&event).and_then(serde_json::from_value) {
        Ok(next) => next,
        Err(error) => panic!(
            "`{event_type}` {from} does not decode as {to}, though the catalog checked the step backward compatible: {error} (a NaN or infinite number in the {from} value? otherwise a bug of novel-events: please report it)"
        ),
    }
}

/// An event version brought to the newest version of its event in the catalog, through each
/// [`Upcast`] step. Generated for every version (the newest returns itself).
pub trait IntoLatest {
    /// The newest version.
    type Latest;

    /// This event as the newest version.
    fn into_latest(self) -> Self::Latest;
}

/// An event set (a catalog's `AnyEvent`) whose older versions can be upcast to the newest:
/// what the bus's generated subscribers apply before calling a method, and what a reader of
/// the store applies when asked ([`Envelope::into_latest`], [`StoredEvent::into_latest`]).
pub trait UpcastEvents: Sized {
    /// The same event, in the newest version the set holds (itself when it is the newest).
    fn into_latest(self) -> Self;

    /// Whether this is already the newest version of its event.
    fn is_latest(&self) -> bool;
}

impl<P: UpcastEvents> Envelope<P> {
    /// The envelope with its payload upcast to the newest version; its `eventVersion` (which
    /// the payload answers) is then the newest one, the metadata unchanged.
    pub fn into_latest(self) -> Self {
        let payload = self.payload.into_latest();
        Envelope { payload, ..self }
    }
}

impl<P: UpcastEvents> StoredEvent<P> {
    /// The stored event with its payload upcast to the newest version (position and stream
    /// version unchanged): for a projection that wants to see one version of each event.
    pub fn into_latest(self) -> Self {
        StoredEvent {
            envelope: self.envelope.into_latest(),
            ..self
        }
    }
}

/// A projection that sees every stored event in the newest version of its event: wrap yours
/// (`Latest(my_projection)`) and give it to `projection::replay`, `catch_up` or `follow`, and
/// its `apply` matches the newest variants only, older events upcast before the call. Its
/// name, and so its checkpoint, stay those of the projection it wraps.
///
/// ```
/// use novel_events::{HandlerError, Latest, Projection, StoredEvent};
///
/// mod shop {
///     novel_events::include_catalog!("examples/versions.yaml");
///
///     impl novel_events::Upcast<orders::OrderPlacedV2_0_0> for orders::OrderPlacedV1_1_0 {
///         fn upcast(self) -> orders::OrderPlacedV2_0_0 {
///             let total_cents = (self.total * 100.0).round() as i64;
///             orders::OrderPlacedV2_0_0 { order_id: self.order_id, total_cents, note: self.note }
///         }
///     }
/// }
///
/// /// Revenue, in cents; written against the newest `OrderPlaced` only.
/// struct Revenue(i64);
///
/// impl Projection<shop::AnyEvent> for Revenue {
///     fn name(&self) -> &str {
///         "revenue"
///     }
///
///     fn apply(&mut self, event: &StoredEvent<shop::AnyEvent>) -> Result<(), HandlerError> {
///         if let shop::AnyEvent::OrderPlaced(order) = &event.envelope.payload {
///             self.0 += order.total_cents;
///         }
///         Ok(())
///     }
/// }
///
/// let old = shop::orders::OrderPlacedV1_0_0 { order_id: uuid::Uuid::nil(), total: 4.2 };
/// let stored = StoredEvent {
///     position: 1,
///     stream_version: 1,
///     envelope: novel_events::Envelope::new(shop::AnyEvent::from(old), "shop"),
/// };
/// let mut revenue = Latest(Revenue(0));
/// revenue.apply(&stored).unwrap();
/// assert_eq!(revenue.0.0, 420);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Latest<R>(pub R);

impl<P, R> Projection<P> for Latest<R>
where
    P: UpcastEvents + Clone,
    R: Projection<P>,
{
    fn name(&self) -> &str {
        self.0.name()
    }

    fn apply(&mut self, event: &StoredEvent<P>) -> Result<(), HandlerError> {
        if event.envelope.payload.is_latest() {
            self.0.apply(event)
        } else {
            self.0.apply(&event.clone().into_latest())
        }
    }
}
