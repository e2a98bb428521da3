// @generated from ../novel-events/examples/library.yaml by novel-events-codegen; see tests/snapshots.rs.
pub mod lending {
    //! The `lending` domain.
    //!
    //! Books going out and coming back.
    #![allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    #[allow(unused_imports)]
    use ::novel_events::__private as __p;
    /// A reader borrowed a book.
    ///
    /// eventType `lending.book.borrowed`, version 1.0.0, aggregate `Book` (id from `bookId`), category domain.
    ///
    /// Subscribers:
    /// - Reminder Service: schedule the due-date reminder
    #[derive(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::cmp::PartialEq,
        ::core::cmp::Eq,
        ::core::hash::Hash,
    )]
    pub struct BookBorrowed {
        /// `bookId` (uuid).
        pub book_id: __p::uuid::Uuid,
        /// `dueInDays` (integer).
        /// Between 1 and 60, inclusive.
        pub due_in_days: i64,
        /// `format` (paperback|hardcover|ebook).
        pub format: Format,
    }
    impl __p::serde::Serialize for BookBorrowed {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeStruct as _;
            let mut state = serializer.serialize_struct("BookBorrowed", 3)?;
            state.serialize_field("bookId", &self.book_id)?;
            state.serialize_field("dueInDays", &self.due_in_days)?;
            state.serialize_field("format", &self.format)?;
            state.end()
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for BookBorrowed {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_struct(deserializer)
        }
    }
    impl __p::FromMap for BookBorrowed {
        const NAME: &'static str = "BookBorrowed";
        const FIELDS: &'static [&'static str] = &["bookId", "dueInDays", "format"];
        fn from_map<'de, A: __p::serde::de::MapAccess<'de>>(
            mut map: A,
        ) -> __p::Result<Self, A::Error> {
            let mut __f0: __p::Option<__p::uuid::Uuid> = __p::None;
            let mut __f1: __p::Option<i64> = __p::None;
            let mut __f2: __p::Option<Format> = __p::None;
            while let __p::Some(key) = __p::next_key::<Self, A>(&mut map)? {
                match key {
                    0 => __p::next_field(&mut map, &mut __f0, "bookId")?,
                    1 => {
                        __p::next_bounded(
                            &mut map,
                            &mut __f1,
                            "dueInDays",
                            ::core::option::Option::Some(1f64),
                            ::core::option::Option::Some(60f64),
                        )?
                    }
                    2 => __p::next_field(&mut map, &mut __f2, "format")?,
                    _ => __p::skip_value(&mut map)?,
                }
            }
            __p::Ok(Self {
                book_id: __p::required(__f0, "bookId")?,
                due_in_days: __p::required(__f1, "dueInDays")?,
                format: __p::required(__f2, "format")?,
            })
        }
    }
    impl __p::holds::HoldsObject for BookBorrowed {}
    impl __p::Validate for BookBorrowed {
        fn validate_into(&self, path: &str, violations: &mut __p::Vec<__p::Violation>) {
            __p::check_bounds(
                &self.due_in_days,
                ::core::option::Option::Some(1f64),
                ::core::option::Option::Some(60f64),
                path,
                "dueInDays",
                violations,
            );
        }
    }
    impl __p::Event for BookBorrowed {
        const EVENT_TYPE: &'static str = "lending.book.borrowed";
        const EVENT_VERSION: &'static str = "1.0.0";
        const AGGREGATE_TYPE: &'static str = "Book";
        const CATEGORY: __p::EventCategory = __p::EventCategory::Domain;
        const DESCRIPTION: &'static str = "A reader borrowed a book.";
        const SUBSCRIBERS: &'static [__p::SubscriberInfo] = &[
            __p::SubscriberInfo {
                service: "Reminder Service",
                purpose: "schedule the due-date reminder",
            },
        ];
        const CHECKS_ON_DECODE: bool = true;
    }
    impl __p::EventPayload for BookBorrowed {
        fn event_type(&self) -> &'static str {
            <Self as __p::Event>::EVENT_TYPE
        }
        fn event_version(&self) -> &'static str {
            <Self as __p::Event>::EVENT_VERSION
        }
        fn aggregate_type(&self) -> &'static str {
            <Self as __p::Event>::AGGREGATE_TYPE
        }
        fn aggregate_id(&self) -> __p::uuid::Uuid {
            self.book_id
        }
        fn validate(&self) -> __p::Result<(), __p::ValidationError> {
            __p::validate_payload(self)
        }
        fn deserialize_payload<'de, D>(
            event_type: &str,
            event_version: &str,
            deserializer: D,
        ) -> __p::Result<Self, D::Error>
        where
            D: __p::serde::Deserializer<'de>,
        {
            __p::deserialize_event_payload::<
                Self,
                D,
            >(event_type, event_version, deserializer)
        }
    }
    /// One of: `paperback`, `hardcover`, `ebook`.
    #[derive(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::marker::Copy,
        ::core::cmp::PartialEq,
        ::core::cmp::Eq,
        ::core::hash::Hash,
        ::core::cmp::PartialOrd,
        ::core::cmp::Ord,
    )]
    pub enum Format {
        /// `paperback`
        Paperback,
        /// `hardcover`
        Hardcover,
        /// `ebook`
        Ebook,
    }
    impl __p::serde::Serialize for Format {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            serializer.serialize_unit_variant("Format", *self as u32, self.as_str())
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for Format {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_enum(deserializer, "Format", Self::VALUES, Self::ALL)
        }
    }
    impl Format {
        /// Every variant, in catalog order.
        pub const ALL: &'static [Self] = &[
            Self::Paperback,
            Self::Hardcover,
            Self::Ebook,
        ];
        /// Every value as written on the wire, in catalog order.
        pub const VALUES: &'static [&'static str] = &["paperback", "hardcover", "ebook"];
        /// The value as written on the wire.
        pub const fn as_str(&self) -> &'static str {
            match self {
                Self::Paperback => "paperback",
                Self::Hardcover => "hardcover",
                Self::Ebook => "ebook",
            }
        }
    }
    impl __p::holds::HoldsEnum for Format {
        const VALUES: &'static [&'static str] = &["paperback", "hardcover", "ebook"];
    }
    impl ::core::fmt::Display for Format {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::core::str::FromStr for Format {
        type Err = __p::UnknownValue;
        fn from_str(value: &str) -> __p::Result<Self, Self::Err> {
            match value {
                "paperback" => __p::Ok(Self::Paperback),
                "hardcover" => __p::Ok(Self::Hardcover),
                "ebook" => __p::Ok(Self::Ebook),
                other => __p::Err(__p::UnknownValue::new("Format", other, Self::VALUES)),
            }
        }
    }
    /// `BookBorrowed` under the name it keeps when a newer version is added.
    pub type BookBorrowedV1_0_0 = BookBorrowed;
    /// `Format` under the name it keeps when a newer version is added.
    pub type FormatV1_0_0 = Format;
    impl __p::IntoLatest for BookBorrowed {
        type Latest = BookBorrowed;
        #[inline]
        fn into_latest(self) -> BookBorrowed {
            self
        }
    }
}
/// Any event of the catalog, in any version: decode an `Envelope<AnyEvent>` to route by
/// eventType and eventVersion.
#[derive(::core::fmt::Debug, ::core::clone::Clone)]
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub enum AnyEvent {
    /// `lending.book.borrowed` version 1.0.0.
    BookBorrowed(lending::BookBorrowed),
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::core::cmp::PartialEq for AnyEvent {
    fn eq(&self, other: &Self) -> bool {
        match self {
            Self::BookBorrowed(payload) => {
                ::novel_events::Extract::<lending::BookBorrowed>::extract(other)
                    == ::core::option::Option::Some(payload)
            }
        }
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl AnyEvent {
    /// The payload, as `Any` (each variant holds a type of its own).
    #[doc(hidden)]
    pub fn __payload(&self) -> &dyn ::core::any::Any {
        match self {
            Self::BookBorrowed(payload) => payload,
        }
    }
    /// The catalog metadata of this event.
    pub fn info(&self) -> &'static ::novel_events::EventInfo {
        let index = match self {
            Self::BookBorrowed(_) => 0,
        };
        &CATALOG.events[index]
    }
    /// The same event in the newest version of the catalog: an older version is
    /// upcast through each `Upcast` step (generated for additive changes, written
    /// beside `include_catalog!` otherwise), the newest returned as is. Match on
    /// `event.into_latest()` to see every version of an event as its newest.
    pub fn into_latest(self) -> Self {
        #[allow(unreachable_patterns)]
        match self {
            newest => newest,
        }
    }
    /// Whether this is the newest version of its event in the catalog.
    pub fn is_latest(&self) -> bool {
        true
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::UpcastEvents for AnyEvent {
    fn into_latest(self) -> Self {
        AnyEvent::into_latest(self)
    }
    fn is_latest(&self) -> bool {
        AnyEvent::is_latest(self)
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::core::convert::From<lending::BookBorrowed> for AnyEvent {
    fn from(payload: lending::BookBorrowed) -> Self {
        Self::BookBorrowed(payload)
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::Extract<lending::BookBorrowed> for AnyEvent {
    fn extract(&self) -> ::core::option::Option<&lending::BookBorrowed> {
        self.__payload().downcast_ref::<lending::BookBorrowed>()
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::serde::Serialize for AnyEvent {
    fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
    where
        S: ::novel_events::__private::serde::Serializer,
    {
        match self {
            Self::BookBorrowed(payload) => {
                ::novel_events::__private::serde::Serialize::serialize(
                    payload,
                    serializer,
                )
            }
        }
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::EventPayload for AnyEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::BookBorrowed(_) => {
                <lending::BookBorrowed as ::novel_events::__private::Event>::EVENT_TYPE
            }
        }
    }
    fn event_version(&self) -> &'static str {
        match self {
            Self::BookBorrowed(_) => {
                <lending::BookBorrowed as ::novel_events::__private::Event>::EVENT_VERSION
            }
        }
    }
    fn aggregate_type(&self) -> &'static str {
        match self {
            Self::BookBorrowed(_) => {
                <lending::BookBorrowed as ::novel_events::__private::Event>::AGGREGATE_TYPE
            }
        }
    }
    fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
        match self {
            Self::BookBorrowed(payload) => {
                ::novel_events::__private::EventPayload::aggregate_id(payload)
            }
        }
    }
    fn validate(
        &self,
    ) -> ::core::result::Result<(), ::novel_events::__private::ValidationError> {
        match self {
            Self::BookBorrowed(payload) => {
                ::novel_events::__private::EventPayload::validate(payload)
            }
        }
    }
    fn decodes() -> ::core::option::Option<::novel_events::__private::Decodes> {
        const VERSIONS: &[::novel_events::__private::DecodedVersion] = &[
            ::novel_events::__private::DecodedVersion {
                event_type: "lending.book.borrowed",
                event_version: "1.0.0",
                reads_newer: false,
            },
        ];
        ::novel_events::__private::Some(::novel_events::__private::Decodes {
            scope: ::novel_events::__private::DecodeScope::Catalog(&CATALOG),
            versions: VERSIONS,
        })
    }
    fn deserialize_payload<'de, D>(
        event_type: &str,
        event_version: &str,
        deserializer: D,
    ) -> ::core::result::Result<Self, D::Error>
    where
        D: ::novel_events::__private::serde::Deserializer<'de>,
    {
        match (event_type, event_version) {
            ("lending.book.borrowed", "1.0.0") => {
                ::novel_events::__private::deserialize_event::<
                    lending::BookBorrowed,
                    D,
                >(deserializer)
                    .map(Self::BookBorrowed)
            }
            _ => {
                ::core::result::Result::Err(
                    ::novel_events::__private::unknown_event::<
                        D::Error,
                    >(&CATALOG, event_type, event_version),
                )
            }
        }
    }
}
/// Static metadata of the `library` catalog 1.0.0: every event, field and subscriber.
pub static CATALOG: ::novel_events::CatalogInfo = {
    use ::novel_events::__private::meta::*;
    const E0: ::novel_events::EventInfo = ev(
        "BookBorrowed",
        "BookBorrowed",
        "lending",
        "lending.book.borrowed",
        "1.0.0",
        true,
        "Book",
        A::Field("bookId"),
        C::Domain,
        "A reader borrowed a book.",
        &[],
        &[sub("Reminder Service", "schedule the due-date reminder")],
        "",
        &[
            f("bookId", T::Uuid, ""),
            max(min(f("dueInDays", T::Integer, ""), 1f64), 60f64),
            f("format", en("Format", &["paperback", "hardcover", "ebook"]), ""),
        ],
    );
    catalog("library", "1.0.0", "", &[E0])
};
/// A subscriber to the `lending` domain: one method per event, each doing nothing unless implemented.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub trait LendingSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `lending.book.borrowed` version 1.0.0.
    ///
    /// A reader borrowed a book.
    ///
    /// Does nothing unless implemented.
    fn on_book_borrowed(
        &self,
        event: &::novel_events::Envelope<lending::BookBorrowed>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send {
        let _ = event;
        async { ::core::result::Result::Ok(()) }
    }
    /// Routes an envelope of any event to this subscriber's method for it. Events this
    /// subscriber does not handle succeed without doing anything.
    fn dispatch<'a>(
        &'a self,
        envelope: &'a ::novel_events::Envelope<AnyEvent>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send + 'a {
        self.__dispatch_boxed(envelope)
    }
    /// [`dispatch`](Self::dispatch) as a boxed future, which the bus handler of
    /// [`into_handler`](Self::into_handler) returns as is. Each event's call is an
    /// `async` block of its own, holding the typed envelope (built before it) and the
    /// subscriber, not the `AnyEvent` envelope: so that a subscriber to many events does
    /// not make one state machine of them all, and that proving the block `Send` does
    /// not go through every event of the catalog (both costly to compile).
    #[doc(hidden)]
    fn __dispatch_boxed<'a>(
        &'a self,
        envelope: &'a ::novel_events::Envelope<AnyEvent>,
    ) -> ::novel_events::HandlerFuture<'a> {
        #[allow(unreachable_patterns)]
        match &envelope.payload {
            AnyEvent::BookBorrowed(payload) => {
                let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                ::std::boxed::Box::pin(async move {
                    self.on_book_borrowed(&typed).await
                })
            }
            _ => ::std::boxed::Box::pin(async { ::core::result::Result::Ok(()) }),
        }
    }
    /// Whether [`dispatch`](Self::dispatch) has a method for this eventType and version.
    fn handles(event_type: &str, event_version: &str) -> bool
    where
        Self: ::core::marker::Sized,
    {
        #[allow(unreachable_patterns)]
        match (event_type, event_version) {
            ("lending.book.borrowed", "1.0.0") => true,
            _ => false,
        }
    }
    /// This subscriber as a bus handler: `bus.subscribe(options, subscriber.into_handler())`.
    /// The bus delivers it only the events [`handles`](Self::handles) accepts.
    fn into_handler(self) -> ::novel_events::DispatchHandler<Self, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_boxed<'a, S: LendingSubscriber + 'static>(
            subscriber: &'a S,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as LendingSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_boxed::<Self>,
            <Self as LendingSubscriber>::handles,
        )
    }
    /// Like [`into_handler`](Self::into_handler), for a subscriber you keep a handle on.
    fn into_shared_handler(
        self: ::std::sync::Arc<Self>,
    ) -> ::novel_events::DispatchHandler<::std::sync::Arc<Self>, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_shared<'a, S: LendingSubscriber + 'static>(
            subscriber: &'a ::std::sync::Arc<S>,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as LendingSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as LendingSubscriber>::handles,
        )
    }
}
/// The catalog's subscriptions of Reminder Service: one required method per event it handles, so that an implementation cannot forget one. A method takes the newest version of its event; older versions are upcast before the call (unless the catalog says `perVersion: true`).
///
/// An implementation writes each of them (`async fn` is accepted):
///
/// ```text
/// impl ReminderServiceSubscriber for MyService {
///     async fn on_book_borrowed(&self, event: &Envelope<BookBorrowed>) -> HandlerResult {
///         // schedule the due-date reminder
///         Ok(())
///     }
/// }
/// ```
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `ReminderServiceSubscriber`, the subscriber trait of Reminder Service",
    note = "implement `ReminderServiceSubscriber` for `{Self}`, with one method per event Reminder Service subscribes to: on_book_borrowed"
)]
pub trait ReminderServiceSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `lending.book.borrowed` version 1.0.0.
    ///
    /// A reader borrowed a book.
    ///
    /// Reminder Service handles it to: schedule the due-date reminder.
    fn on_book_borrowed(
        &self,
        event: &::novel_events::Envelope<lending::BookBorrowed>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send;
    /// Routes an envelope of any event to this subscriber's method for it. Events this
    /// subscriber does not handle succeed without doing anything.
    fn dispatch<'a>(
        &'a self,
        envelope: &'a ::novel_events::Envelope<AnyEvent>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send + 'a {
        self.__dispatch_boxed(envelope)
    }
    /// [`dispatch`](Self::dispatch) as a boxed future, which the bus handler of
    /// [`into_handler`](Self::into_handler) returns as is. Each event's call is an
    /// `async` block of its own, holding the typed envelope (built before it) and the
    /// subscriber, not the `AnyEvent` envelope: so that a subscriber to many events does
    /// not make one state machine of them all, and that proving the block `Send` does
    /// not go through every event of the catalog (both costly to compile).
    #[doc(hidden)]
    fn __dispatch_boxed<'a>(
        &'a self,
        envelope: &'a ::novel_events::Envelope<AnyEvent>,
    ) -> ::novel_events::HandlerFuture<'a> {
        #[allow(unreachable_patterns)]
        match &envelope.payload {
            AnyEvent::BookBorrowed(payload) => {
                let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                ::std::boxed::Box::pin(async move {
                    self.on_book_borrowed(&typed).await
                })
            }
            _ => ::std::boxed::Box::pin(async { ::core::result::Result::Ok(()) }),
        }
    }
    /// Whether [`dispatch`](Self::dispatch) has a method for this eventType and version.
    fn handles(event_type: &str, event_version: &str) -> bool
    where
        Self: ::core::marker::Sized,
    {
        #[allow(unreachable_patterns)]
        match (event_type, event_version) {
            ("lending.book.borrowed", "1.0.0") => true,
            _ => false,
        }
    }
    /// This subscriber as a bus handler: `bus.subscribe(options, subscriber.into_handler())`.
    /// The bus delivers it only the events [`handles`](Self::handles) accepts.
    fn into_handler(self) -> ::novel_events::DispatchHandler<Self, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_boxed<'a, S: ReminderServiceSubscriber + 'static>(
            subscriber: &'a S,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as ReminderServiceSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_boxed::<Self>,
            <Self as ReminderServiceSubscriber>::handles,
        )
    }
    /// Like [`into_handler`](Self::into_handler), for a subscriber you keep a handle on.
    fn into_shared_handler(
        self: ::std::sync::Arc<Self>,
    ) -> ::novel_events::DispatchHandler<::std::sync::Arc<Self>, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_shared<'a, S: ReminderServiceSubscriber + 'static>(
            subscriber: &'a ::std::sync::Arc<S>,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as ReminderServiceSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as ReminderServiceSubscriber>::handles,
        )
    }
}
