// @generated from catalogs/workshop.yaml by novel-events-codegen; see tests/snapshots.rs.
/// How soon the work is needed.
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
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub enum Priority {
    /// `low`
    Low,
    /// `normal`
    Normal,
    /// `urgent`
    Urgent,
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::serde::Serialize for Priority {
    fn serialize<S: ::novel_events::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::novel_events::__private::Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("Priority", *self as u32, self.as_str())
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl<'de> ::novel_events::__private::serde::Deserialize<'de> for Priority {
    fn deserialize<D: ::novel_events::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::novel_events::__private::Result<Self, D::Error> {
        ::novel_events::__private::deserialize_enum(
            deserializer,
            "Priority",
            Self::VALUES,
            Self::ALL,
        )
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl Priority {
    /// Every variant, in catalog order.
    pub const ALL: &'static [Self] = &[Self::Low, Self::Normal, Self::Urgent];
    /// Every value as written on the wire, in catalog order.
    pub const VALUES: &'static [&'static str] = &["low", "normal", "urgent"];
    /// The value as written on the wire.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::Urgent => "urgent",
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
impl ::novel_events::__private::holds::HoldsEnum for Priority {
    const VALUES: &'static [&'static str] = &["low", "normal", "urgent"];
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::core::fmt::Display for Priority {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.write_str(self.as_str())
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::core::str::FromStr for Priority {
    type Err = ::novel_events::__private::UnknownValue;
    fn from_str(value: &str) -> ::novel_events::__private::Result<Self, Self::Err> {
        match value {
            "low" => ::novel_events::__private::Ok(Self::Low),
            "normal" => ::novel_events::__private::Ok(Self::Normal),
            "urgent" => ::novel_events::__private::Ok(Self::Urgent),
            other => {
                ::novel_events::__private::Err(
                    ::novel_events::__private::UnknownValue::new(
                        "Priority",
                        other,
                        Self::VALUES,
                    ),
                )
            }
        }
    }
}
/// Where to deliver.
#[derive(
    ::core::fmt::Debug,
    ::core::clone::Clone,
    ::core::cmp::PartialEq,
    ::core::cmp::Eq,
    ::core::hash::Hash,
)]
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub struct Address {
    /// `street` (string).
    pub street: ::novel_events::__private::String,
    /// `city` (string).
    pub city: ::novel_events::__private::String,
    /// `postcode` (string).
    pub postcode: ::novel_events::__private::Option<::novel_events::__private::String>,
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::serde::Serialize for Address {
    fn serialize<S: ::novel_events::__private::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::novel_events::__private::Result<S::Ok, S::Error> {
        use ::novel_events::__private::serde::ser::SerializeStruct as _;
        let mut state = serializer
            .serialize_struct("Address", 2 + self.postcode.is_some() as usize)?;
        state.serialize_field("street", &self.street)?;
        state.serialize_field("city", &self.city)?;
        ::novel_events::__private::serialize_optional(
            &mut state,
            "postcode",
            &self.postcode,
        )?;
        state.end()
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl<'de> ::novel_events::__private::serde::Deserialize<'de> for Address {
    fn deserialize<D: ::novel_events::__private::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::novel_events::__private::Result<Self, D::Error> {
        ::novel_events::__private::deserialize_struct(deserializer)
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::FromMap for Address {
    const NAME: &'static str = "Address";
    const FIELDS: &'static [&'static str] = &["street", "city", "postcode"];
    fn from_map<'de, A: ::novel_events::__private::serde::de::MapAccess<'de>>(
        mut map: A,
    ) -> ::novel_events::__private::Result<Self, A::Error> {
        let mut __f0: ::novel_events::__private::Option<
            ::novel_events::__private::String,
        > = ::novel_events::__private::None;
        let mut __f1: ::novel_events::__private::Option<
            ::novel_events::__private::String,
        > = ::novel_events::__private::None;
        let mut __f2: ::novel_events::__private::Option<
            ::novel_events::__private::Option<::novel_events::__private::String>,
        > = ::novel_events::__private::None;
        while let ::novel_events::__private::Some(key) = ::novel_events::__private::next_key::<
            Self,
            A,
        >(&mut map)? {
            match key {
                0 => {
                    ::novel_events::__private::next_field(&mut map, &mut __f0, "street")?
                }
                1 => ::novel_events::__private::next_field(&mut map, &mut __f1, "city")?,
                2 => {
                    ::novel_events::__private::next_field(
                        &mut map,
                        &mut __f2,
                        "postcode",
                    )?
                }
                _ => ::novel_events::__private::skip_value(&mut map)?,
            }
        }
        ::novel_events::__private::Ok(Self {
            street: ::novel_events::__private::required(__f0, "street")?,
            city: ::novel_events::__private::required(__f1, "city")?,
            postcode: __f2.unwrap_or_default(),
        })
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::holds::HoldsObject for Address {}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::__private::Validate for Address {
    fn validate_into(
        &self,
        path: &str,
        violations: &mut ::novel_events::__private::Vec<
            ::novel_events::__private::Violation,
        >,
    ) {
        let _ = (path, violations);
    }
}
pub mod orders {
    //! The `orders` domain.
    //!
    //! Customer orders.
    #![allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    #[allow(unused_imports)]
    use ::novel_events::__private as __p;
    /// A customer placed an order (first version).
    ///
    /// eventType `orders.order.placed`, version 1.0.0, aggregate `Order` (id from `orderId`), category domain.
    ///
    /// An older version of `OrderPlaced`; the newest keeps the plain name.
    #[derive(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::cmp::PartialEq,
        ::core::cmp::Eq,
        ::core::hash::Hash,
    )]
    pub struct OrderPlacedV1_0_0 {
        /// `orderId` (uuid).
        pub order_id: __p::uuid::Uuid,
        /// `items` ([string]).
        pub items: __p::Vec<__p::String>,
    }
    impl __p::serde::Serialize for OrderPlacedV1_0_0 {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeStruct as _;
            let mut state = serializer.serialize_struct("OrderPlacedV1_0_0", 2)?;
            state.serialize_field("orderId", &self.order_id)?;
            state.serialize_field("items", &self.items)?;
            state.end()
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for OrderPlacedV1_0_0 {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_struct(deserializer)
        }
    }
    impl __p::FromMap for OrderPlacedV1_0_0 {
        const NAME: &'static str = "OrderPlacedV1_0_0";
        const FIELDS: &'static [&'static str] = &["orderId", "items"];
        fn from_map<'de, A: __p::serde::de::MapAccess<'de>>(
            mut map: A,
        ) -> __p::Result<Self, A::Error> {
            let mut __f0: __p::Option<__p::uuid::Uuid> = __p::None;
            let mut __f1: __p::Option<__p::Vec<__p::String>> = __p::None;
            while let __p::Some(key) = __p::next_key::<Self, A>(&mut map)? {
                match key {
                    0 => __p::next_field(&mut map, &mut __f0, "orderId")?,
                    1 => __p::next_field(&mut map, &mut __f1, "items")?,
                    _ => __p::skip_value(&mut map)?,
                }
            }
            __p::Ok(Self {
                order_id: __p::required(__f0, "orderId")?,
                items: __p::required(__f1, "items")?,
            })
        }
    }
    impl __p::holds::HoldsObject for OrderPlacedV1_0_0 {}
    impl __p::Validate for OrderPlacedV1_0_0 {
        fn validate_into(&self, path: &str, violations: &mut __p::Vec<__p::Violation>) {
            let _ = (path, violations);
        }
    }
    impl __p::Event for OrderPlacedV1_0_0 {
        const EVENT_TYPE: &'static str = "orders.order.placed";
        const EVENT_VERSION: &'static str = "1.0.0";
        const AGGREGATE_TYPE: &'static str = "Order";
        const CATEGORY: __p::EventCategory = __p::EventCategory::Domain;
        const DESCRIPTION: &'static str = "A customer placed an order (first version).";
        const SUBSCRIBERS: &'static [__p::SubscriberInfo] = &[];
        const CHECKS_ON_DECODE: bool = true;
    }
    impl __p::EventPayload for OrderPlacedV1_0_0 {
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
            self.order_id
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
    impl __p::IntoLatest for OrderPlacedV1_0_0 {
        type Latest = OrderPlaced;
        #[inline]
        fn into_latest(self) -> OrderPlaced {
            __p::IntoLatest::into_latest(
                <Self as __p::Upcast<OrderPlaced>>::upcast(self),
            )
        }
    }
    /// A customer placed an order.
    ///
    /// eventType `orders.order.placed`, version 2.0.0, aggregate `Order` (id from `orderId`), category command.
    ///
    /// Triggers:
    /// - Customer checks out
    ///
    /// Subscribers:
    /// - Billing Service: charge the customer
    /// - Shipping Service: prepare the parcel
    #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
    pub struct OrderPlaced {
        /// `orderId` (uuid).
        pub order_id: __p::uuid::Uuid,
        /// `placedAt` (datetime).
        pub placed_at: __p::chrono::DateTime<__p::chrono::Utc>,
        /// `priority` (Priority).
        pub priority: super::Priority,
        /// `lines` ([nested object `OrderLine`]).
        pub lines: __p::Vec<OrderLine>,
        /// `deliverTo` (Address).
        pub deliver_to: super::Address,
        /// `giftWrap` (boolean).
        /// Defaults to `false` when absent.
        pub gift_wrap: bool,
        /// `channel` (web|phone|in-store).
        /// Defaults to `"web"` when absent.
        pub channel: Channel,
        /// `notes` (string).
        pub notes: __p::Option<__p::String>,
        /// `couponCode` (string).
        /// Deprecated: removed in version 3.0.0. Coupons moved to the billing domain
        pub coupon_code: __p::Option<__p::String>,
        /// `type` (standard|express).
        pub r#type: Type,
        /// `metadata` (object).
        pub metadata: __p::serde_json::Map<__p::String, __p::serde_json::Value>,
    }
    impl OrderPlaced {
        #[doc(hidden)]
        fn __default_gift_wrap() -> bool {
            false
        }
        #[doc(hidden)]
        fn __default_channel() -> Channel {
            Channel::Web
        }
    }
    impl __p::serde::Serialize for OrderPlaced {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeStruct as _;
            let mut state = serializer
                .serialize_struct(
                    "OrderPlaced",
                    9 + self.notes.is_some() as usize
                        + self.coupon_code.is_some() as usize,
                )?;
            state.serialize_field("orderId", &self.order_id)?;
            state.serialize_field("placedAt", &self.placed_at)?;
            state.serialize_field("priority", &self.priority)?;
            state.serialize_field("lines", &self.lines)?;
            state.serialize_field("deliverTo", &self.deliver_to)?;
            state.serialize_field("giftWrap", &self.gift_wrap)?;
            state.serialize_field("channel", &self.channel)?;
            __p::serialize_optional(&mut state, "notes", &self.notes)?;
            __p::serialize_optional(&mut state, "couponCode", &self.coupon_code)?;
            state.serialize_field("type", &self.r#type)?;
            state.serialize_field("metadata", &self.metadata)?;
            state.end()
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for OrderPlaced {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_struct(deserializer)
        }
    }
    impl __p::FromMap for OrderPlaced {
        const NAME: &'static str = "OrderPlaced";
        const FIELDS: &'static [&'static str] = &[
            "orderId",
            "placedAt",
            "priority",
            "lines",
            "deliverTo",
            "giftWrap",
            "channel",
            "notes",
            "couponCode",
            "type",
            "metadata",
        ];
        fn from_map<'de, A: __p::serde::de::MapAccess<'de>>(
            mut map: A,
        ) -> __p::Result<Self, A::Error> {
            let mut __f0: __p::Option<__p::uuid::Uuid> = __p::None;
            let mut __f1: __p::Option<__p::chrono::DateTime<__p::chrono::Utc>> = __p::None;
            let mut __f2: __p::Option<super::Priority> = __p::None;
            let mut __f3: __p::Option<__p::Vec<OrderLine>> = __p::None;
            let mut __f4: __p::Option<super::Address> = __p::None;
            let mut __f5: __p::Option<bool> = __p::None;
            let mut __f6: __p::Option<Channel> = __p::None;
            let mut __f7: __p::Option<__p::Option<__p::String>> = __p::None;
            let mut __f8: __p::Option<__p::Option<__p::String>> = __p::None;
            let mut __f9: __p::Option<Type> = __p::None;
            let mut __f10: __p::Option<
                __p::serde_json::Map<__p::String, __p::serde_json::Value>,
            > = __p::None;
            while let __p::Some(key) = __p::next_key::<Self, A>(&mut map)? {
                match key {
                    0 => __p::next_field(&mut map, &mut __f0, "orderId")?,
                    1 => __p::next_field(&mut map, &mut __f1, "placedAt")?,
                    2 => __p::next_field(&mut map, &mut __f2, "priority")?,
                    3 => __p::next_field(&mut map, &mut __f3, "lines")?,
                    4 => __p::next_field(&mut map, &mut __f4, "deliverTo")?,
                    5 => __p::next_field(&mut map, &mut __f5, "giftWrap")?,
                    6 => __p::next_field(&mut map, &mut __f6, "channel")?,
                    7 => __p::next_field(&mut map, &mut __f7, "notes")?,
                    8 => __p::next_field(&mut map, &mut __f8, "couponCode")?,
                    9 => __p::next_field(&mut map, &mut __f9, "type")?,
                    10 => __p::next_field(&mut map, &mut __f10, "metadata")?,
                    _ => __p::skip_value(&mut map)?,
                }
            }
            __p::Ok(Self {
                order_id: __p::required(__f0, "orderId")?,
                placed_at: __p::required(__f1, "placedAt")?,
                priority: __p::required(__f2, "priority")?,
                lines: __p::required(__f3, "lines")?,
                deliver_to: __p::required(__f4, "deliverTo")?,
                gift_wrap: __f5.unwrap_or_else(Self::__default_gift_wrap),
                channel: __f6.unwrap_or_else(Self::__default_channel),
                notes: __f7.unwrap_or_default(),
                coupon_code: __f8.unwrap_or_default(),
                r#type: __p::required(__f9, "type")?,
                metadata: __p::required(__f10, "metadata")?,
            })
        }
    }
    impl __p::holds::HoldsObject for OrderPlaced {}
    impl __p::Validate for OrderPlaced {
        fn validate_into(&self, path: &str, violations: &mut __p::Vec<__p::Violation>) {
            {
                let value = &self.lines;
                for (index, item) in value.iter().enumerate() {
                    __p::Validate::validate_into(
                        item,
                        &::std::format!("{path}.{}[{index}]", "lines"),
                        violations,
                    );
                }
            }
            {
                let value = &self.deliver_to;
                __p::Validate::validate_into(
                    value,
                    &::std::format!("{path}.{}", "deliverTo"),
                    violations,
                );
            }
        }
    }
    impl __p::Event for OrderPlaced {
        const EVENT_TYPE: &'static str = "orders.order.placed";
        const EVENT_VERSION: &'static str = "2.0.0";
        const AGGREGATE_TYPE: &'static str = "Order";
        const CATEGORY: __p::EventCategory = __p::EventCategory::Command;
        const DESCRIPTION: &'static str = "A customer placed an order.";
        const SUBSCRIBERS: &'static [__p::SubscriberInfo] = &[
            __p::SubscriberInfo {
                service: "Billing Service",
                purpose: "charge the customer",
            },
            __p::SubscriberInfo {
                service: "Shipping Service",
                purpose: "prepare the parcel",
            },
        ];
        const CHECKS_ON_DECODE: bool = true;
    }
    impl __p::EventPayload for OrderPlaced {
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
            self.order_id
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
    /// The nested object `OrderLine`.
    #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
    pub struct OrderLine {
        /// `sku` (string).
        pub sku: __p::String,
        /// `quantity` (integer).
        /// At least 1.
        pub quantity: i64,
        /// `unitPrice` (number).
        /// At least 0.
        pub unit_price: f64,
    }
    impl __p::serde::Serialize for OrderLine {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeStruct as _;
            let mut state = serializer.serialize_struct("OrderLine", 3)?;
            state.serialize_field("sku", &self.sku)?;
            state.serialize_field("quantity", &self.quantity)?;
            state.serialize_field("unitPrice", &self.unit_price)?;
            state.end()
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for OrderLine {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_struct(deserializer)
        }
    }
    impl __p::FromMap for OrderLine {
        const NAME: &'static str = "OrderLine";
        const FIELDS: &'static [&'static str] = &["sku", "quantity", "unitPrice"];
        fn from_map<'de, A: __p::serde::de::MapAccess<'de>>(
            mut map: A,
        ) -> __p::Result<Self, A::Error> {
            let mut __f0: __p::Option<__p::String> = __p::None;
            let mut __f1: __p::Option<i64> = __p::None;
            let mut __f2: __p::Option<f64> = __p::None;
            while let __p::Some(key) = __p::next_key::<Self, A>(&mut map)? {
                match key {
                    0 => __p::next_field(&mut map, &mut __f0, "sku")?,
                    1 => {
                        __p::next_bounded(
                            &mut map,
                            &mut __f1,
                            "quantity",
                            ::core::option::Option::Some(1f64),
                            ::core::option::Option::None,
                        )?
                    }
                    2 => {
                        __p::next_bounded(
                            &mut map,
                            &mut __f2,
                            "unitPrice",
                            ::core::option::Option::Some(0f64),
                            ::core::option::Option::None,
                        )?
                    }
                    _ => __p::skip_value(&mut map)?,
                }
            }
            __p::Ok(Self {
                sku: __p::required(__f0, "sku")?,
                quantity: __p::required(__f1, "quantity")?,
                unit_price: __p::required(__f2, "unitPrice")?,
            })
        }
    }
    impl __p::holds::HoldsObject for OrderLine {}
    impl __p::Validate for OrderLine {
        fn validate_into(&self, path: &str, violations: &mut __p::Vec<__p::Violation>) {
            __p::check_bounds(
                &self.quantity,
                ::core::option::Option::Some(1f64),
                ::core::option::Option::None,
                path,
                "quantity",
                violations,
            );
            __p::check_bounds(
                &self.unit_price,
                ::core::option::Option::Some(0f64),
                ::core::option::Option::None,
                path,
                "unitPrice",
                violations,
            );
        }
    }
    /// One of: `web`, `phone`, `in-store`.
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
    pub enum Channel {
        /// `web`
        Web,
        /// `phone`
        Phone,
        /// `in-store`
        InStore,
    }
    impl __p::serde::Serialize for Channel {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            serializer.serialize_unit_variant("Channel", *self as u32, self.as_str())
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for Channel {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_enum(deserializer, "Channel", Self::VALUES, Self::ALL)
        }
    }
    impl Channel {
        /// Every variant, in catalog order.
        pub const ALL: &'static [Self] = &[Self::Web, Self::Phone, Self::InStore];
        /// Every value as written on the wire, in catalog order.
        pub const VALUES: &'static [&'static str] = &["web", "phone", "in-store"];
        /// The value as written on the wire.
        pub const fn as_str(&self) -> &'static str {
            match self {
                Self::Web => "web",
                Self::Phone => "phone",
                Self::InStore => "in-store",
            }
        }
    }
    impl __p::holds::HoldsEnum for Channel {
        const VALUES: &'static [&'static str] = &["web", "phone", "in-store"];
    }
    impl ::core::fmt::Display for Channel {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::core::str::FromStr for Channel {
        type Err = __p::UnknownValue;
        fn from_str(value: &str) -> __p::Result<Self, Self::Err> {
            match value {
                "web" => __p::Ok(Self::Web),
                "phone" => __p::Ok(Self::Phone),
                "in-store" => __p::Ok(Self::InStore),
                other => __p::Err(__p::UnknownValue::new("Channel", other, Self::VALUES)),
            }
        }
    }
    /// One of: `standard`, `express`.
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
    pub enum Type {
        /// `standard`
        Standard,
        /// `express`
        Express,
    }
    impl __p::serde::Serialize for Type {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            serializer.serialize_unit_variant("Type", *self as u32, self.as_str())
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for Type {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_enum(deserializer, "Type", Self::VALUES, Self::ALL)
        }
    }
    impl Type {
        /// Every variant, in catalog order.
        pub const ALL: &'static [Self] = &[Self::Standard, Self::Express];
        /// Every value as written on the wire, in catalog order.
        pub const VALUES: &'static [&'static str] = &["standard", "express"];
        /// The value as written on the wire.
        pub const fn as_str(&self) -> &'static str {
            match self {
                Self::Standard => "standard",
                Self::Express => "express",
            }
        }
    }
    impl __p::holds::HoldsEnum for Type {
        const VALUES: &'static [&'static str] = &["standard", "express"];
    }
    impl ::core::fmt::Display for Type {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::core::str::FromStr for Type {
        type Err = __p::UnknownValue;
        fn from_str(value: &str) -> __p::Result<Self, Self::Err> {
            match value {
                "standard" => __p::Ok(Self::Standard),
                "express" => __p::Ok(Self::Express),
                other => __p::Err(__p::UnknownValue::new("Type", other, Self::VALUES)),
            }
        }
    }
    /// `OrderPlaced` under the name it keeps when a newer version is added.
    pub type OrderPlacedV2_0_0 = OrderPlaced;
    /// `OrderLine` under the name it keeps when a newer version is added.
    pub type OrderLineV2_0_0 = OrderLine;
    /// `Channel` under the name it keeps when a newer version is added.
    pub type ChannelV2_0_0 = Channel;
    /// `Type` under the name it keeps when a newer version is added.
    pub type TypeV2_0_0 = Type;
    impl __p::IntoLatest for OrderPlaced {
        type Latest = OrderPlaced;
        #[inline]
        fn into_latest(self) -> OrderPlaced {
            self
        }
    }
}
pub mod machines {
    //! The `machines` domain.
    #![allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    #[allow(unused_imports)]
    use ::novel_events::__private as __p;
    /// eventType `machines.machine.status-changed`, version 1.0.0, aggregate `Machine` (id from `machineName`), category system.
    ///
    /// Subscribers:
    /// - Shipping Service: pause dispatch when the packer is down
    #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
    pub struct MachineStatusChanged {
        /// `machineName` (string).
        pub machine_name: __p::String,
        /// `status` (running|stopped|maintenance).
        pub status: Status,
        /// `load`: Share of capacity in use
        /// Between 0 and 1, inclusive.
        pub load: f64,
    }
    impl __p::serde::Serialize for MachineStatusChanged {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            use __p::serde::ser::SerializeStruct as _;
            let mut state = serializer.serialize_struct("MachineStatusChanged", 3)?;
            state.serialize_field("machineName", &self.machine_name)?;
            state.serialize_field("status", &self.status)?;
            state.serialize_field("load", &self.load)?;
            state.end()
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for MachineStatusChanged {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_struct(deserializer)
        }
    }
    impl __p::FromMap for MachineStatusChanged {
        const NAME: &'static str = "MachineStatusChanged";
        const FIELDS: &'static [&'static str] = &["machineName", "status", "load"];
        fn from_map<'de, A: __p::serde::de::MapAccess<'de>>(
            mut map: A,
        ) -> __p::Result<Self, A::Error> {
            let mut __f0: __p::Option<__p::String> = __p::None;
            let mut __f1: __p::Option<Status> = __p::None;
            let mut __f2: __p::Option<f64> = __p::None;
            while let __p::Some(key) = __p::next_key::<Self, A>(&mut map)? {
                match key {
                    0 => __p::next_field(&mut map, &mut __f0, "machineName")?,
                    1 => __p::next_field(&mut map, &mut __f1, "status")?,
                    2 => {
                        __p::next_bounded(
                            &mut map,
                            &mut __f2,
                            "load",
                            ::core::option::Option::Some(0f64),
                            ::core::option::Option::Some(1f64),
                        )?
                    }
                    _ => __p::skip_value(&mut map)?,
                }
            }
            __p::Ok(Self {
                machine_name: __p::required(__f0, "machineName")?,
                status: __p::required(__f1, "status")?,
                load: __p::required(__f2, "load")?,
            })
        }
    }
    impl __p::holds::HoldsObject for MachineStatusChanged {}
    impl __p::Validate for MachineStatusChanged {
        fn validate_into(&self, path: &str, violations: &mut __p::Vec<__p::Violation>) {
            __p::check_bounds(
                &self.load,
                ::core::option::Option::Some(0f64),
                ::core::option::Option::Some(1f64),
                path,
                "load",
                violations,
            );
        }
    }
    impl __p::Event for MachineStatusChanged {
        const EVENT_TYPE: &'static str = "machines.machine.status-changed";
        const EVENT_VERSION: &'static str = "1.0.0";
        const AGGREGATE_TYPE: &'static str = "Machine";
        const CATEGORY: __p::EventCategory = __p::EventCategory::System;
        const DESCRIPTION: &'static str = "";
        const SUBSCRIBERS: &'static [__p::SubscriberInfo] = &[
            __p::SubscriberInfo {
                service: "Shipping Service",
                purpose: "pause dispatch when the packer is down",
            },
        ];
        const CHECKS_ON_DECODE: bool = true;
    }
    impl __p::EventPayload for MachineStatusChanged {
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
            __p::name_based_aggregate_id(&self.machine_name)
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
    /// One of: `running`, `stopped`, `maintenance`.
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
    pub enum Status {
        /// `running`
        Running,
        /// `stopped`
        Stopped,
        /// `maintenance`
        Maintenance,
    }
    impl __p::serde::Serialize for Status {
        fn serialize<S: __p::serde::Serializer>(
            &self,
            serializer: S,
        ) -> __p::Result<S::Ok, S::Error> {
            serializer.serialize_unit_variant("Status", *self as u32, self.as_str())
        }
    }
    impl<'de> __p::serde::Deserialize<'de> for Status {
        fn deserialize<D: __p::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> __p::Result<Self, D::Error> {
            __p::deserialize_enum(deserializer, "Status", Self::VALUES, Self::ALL)
        }
    }
    impl Status {
        /// Every variant, in catalog order.
        pub const ALL: &'static [Self] = &[
            Self::Running,
            Self::Stopped,
            Self::Maintenance,
        ];
        /// Every value as written on the wire, in catalog order.
        pub const VALUES: &'static [&'static str] = &[
            "running",
            "stopped",
            "maintenance",
        ];
        /// The value as written on the wire.
        pub const fn as_str(&self) -> &'static str {
            match self {
                Self::Running => "running",
                Self::Stopped => "stopped",
                Self::Maintenance => "maintenance",
            }
        }
    }
    impl __p::holds::HoldsEnum for Status {
        const VALUES: &'static [&'static str] = &["running", "stopped", "maintenance"];
    }
    impl ::core::fmt::Display for Status {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::core::str::FromStr for Status {
        type Err = __p::UnknownValue;
        fn from_str(value: &str) -> __p::Result<Self, Self::Err> {
            match value {
                "running" => __p::Ok(Self::Running),
                "stopped" => __p::Ok(Self::Stopped),
                "maintenance" => __p::Ok(Self::Maintenance),
                other => __p::Err(__p::UnknownValue::new("Status", other, Self::VALUES)),
            }
        }
    }
    /// `MachineStatusChanged` under the name it keeps when a newer version is added.
    pub type MachineStatusChangedV1_0_0 = MachineStatusChanged;
    /// `Status` under the name it keeps when a newer version is added.
    pub type StatusV1_0_0 = Status;
    impl __p::IntoLatest for MachineStatusChanged {
        type Latest = MachineStatusChanged;
        #[inline]
        fn into_latest(self) -> MachineStatusChanged {
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
    /// `orders.order.placed` version 1.0.0.
    OrderPlacedV1_0_0(orders::OrderPlacedV1_0_0),
    /// `orders.order.placed` version 2.0.0.
    OrderPlaced(orders::OrderPlaced),
    /// `machines.machine.status-changed` version 1.0.0.
    MachineStatusChanged(machines::MachineStatusChanged),
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
            Self::OrderPlacedV1_0_0(payload) => {
                ::novel_events::Extract::<orders::OrderPlacedV1_0_0>::extract(other)
                    == ::core::option::Option::Some(payload)
            }
            Self::OrderPlaced(payload) => {
                ::novel_events::Extract::<orders::OrderPlaced>::extract(other)
                    == ::core::option::Option::Some(payload)
            }
            Self::MachineStatusChanged(payload) => {
                ::novel_events::Extract::<machines::MachineStatusChanged>::extract(other)
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
            Self::OrderPlacedV1_0_0(payload) => payload,
            Self::OrderPlaced(payload) => payload,
            Self::MachineStatusChanged(payload) => payload,
        }
    }
    /// The catalog metadata of this event.
    pub fn info(&self) -> &'static ::novel_events::EventInfo {
        let index = match self {
            Self::OrderPlacedV1_0_0(_) => 0,
            Self::OrderPlaced(_) => 1,
            Self::MachineStatusChanged(_) => 2,
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
            Self::OrderPlacedV1_0_0(payload) => {
                Self::OrderPlaced(
                    ::novel_events::__private::IntoLatest::into_latest(payload),
                )
            }
            newest => newest,
        }
    }
    /// Whether this is the newest version of its event in the catalog.
    pub fn is_latest(&self) -> bool {
        !::core::matches!(self, Self::OrderPlacedV1_0_0(_))
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
impl ::core::convert::From<orders::OrderPlacedV1_0_0> for AnyEvent {
    fn from(payload: orders::OrderPlacedV1_0_0) -> Self {
        Self::OrderPlacedV1_0_0(payload)
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::Extract<orders::OrderPlacedV1_0_0> for AnyEvent {
    fn extract(&self) -> ::core::option::Option<&orders::OrderPlacedV1_0_0> {
        self.__payload().downcast_ref::<orders::OrderPlacedV1_0_0>()
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::core::convert::From<orders::OrderPlaced> for AnyEvent {
    fn from(payload: orders::OrderPlaced) -> Self {
        Self::OrderPlaced(payload)
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::Extract<orders::OrderPlaced> for AnyEvent {
    fn extract(&self) -> ::core::option::Option<&orders::OrderPlaced> {
        self.__payload().downcast_ref::<orders::OrderPlaced>()
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::core::convert::From<machines::MachineStatusChanged> for AnyEvent {
    fn from(payload: machines::MachineStatusChanged) -> Self {
        Self::MachineStatusChanged(payload)
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::Extract<machines::MachineStatusChanged> for AnyEvent {
    fn extract(&self) -> ::core::option::Option<&machines::MachineStatusChanged> {
        self.__payload().downcast_ref::<machines::MachineStatusChanged>()
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
            Self::OrderPlacedV1_0_0(payload) => {
                ::novel_events::__private::serde::Serialize::serialize(
                    payload,
                    serializer,
                )
            }
            Self::OrderPlaced(payload) => {
                ::novel_events::__private::serde::Serialize::serialize(
                    payload,
                    serializer,
                )
            }
            Self::MachineStatusChanged(payload) => {
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
            Self::OrderPlacedV1_0_0(_) => {
                <orders::OrderPlacedV1_0_0 as ::novel_events::__private::Event>::EVENT_TYPE
            }
            Self::OrderPlaced(_) => {
                <orders::OrderPlaced as ::novel_events::__private::Event>::EVENT_TYPE
            }
            Self::MachineStatusChanged(_) => {
                <machines::MachineStatusChanged as ::novel_events::__private::Event>::EVENT_TYPE
            }
        }
    }
    fn event_version(&self) -> &'static str {
        match self {
            Self::OrderPlacedV1_0_0(_) => {
                <orders::OrderPlacedV1_0_0 as ::novel_events::__private::Event>::EVENT_VERSION
            }
            Self::OrderPlaced(_) => {
                <orders::OrderPlaced as ::novel_events::__private::Event>::EVENT_VERSION
            }
            Self::MachineStatusChanged(_) => {
                <machines::MachineStatusChanged as ::novel_events::__private::Event>::EVENT_VERSION
            }
        }
    }
    fn aggregate_type(&self) -> &'static str {
        match self {
            Self::OrderPlacedV1_0_0(_) => {
                <orders::OrderPlacedV1_0_0 as ::novel_events::__private::Event>::AGGREGATE_TYPE
            }
            Self::OrderPlaced(_) => {
                <orders::OrderPlaced as ::novel_events::__private::Event>::AGGREGATE_TYPE
            }
            Self::MachineStatusChanged(_) => {
                <machines::MachineStatusChanged as ::novel_events::__private::Event>::AGGREGATE_TYPE
            }
        }
    }
    fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
        match self {
            Self::OrderPlacedV1_0_0(payload) => {
                ::novel_events::__private::EventPayload::aggregate_id(payload)
            }
            Self::OrderPlaced(payload) => {
                ::novel_events::__private::EventPayload::aggregate_id(payload)
            }
            Self::MachineStatusChanged(payload) => {
                ::novel_events::__private::EventPayload::aggregate_id(payload)
            }
        }
    }
    fn validate(
        &self,
    ) -> ::core::result::Result<(), ::novel_events::__private::ValidationError> {
        match self {
            Self::OrderPlacedV1_0_0(payload) => {
                ::novel_events::__private::EventPayload::validate(payload)
            }
            Self::OrderPlaced(payload) => {
                ::novel_events::__private::EventPayload::validate(payload)
            }
            Self::MachineStatusChanged(payload) => {
                ::novel_events::__private::EventPayload::validate(payload)
            }
        }
    }
    fn decodes() -> ::core::option::Option<::novel_events::__private::Decodes> {
        const VERSIONS: &[::novel_events::__private::DecodedVersion] = &[
            ::novel_events::__private::DecodedVersion {
                event_type: "orders.order.placed",
                event_version: "1.0.0",
                reads_newer: false,
            },
            ::novel_events::__private::DecodedVersion {
                event_type: "orders.order.placed",
                event_version: "2.0.0",
                reads_newer: false,
            },
            ::novel_events::__private::DecodedVersion {
                event_type: "machines.machine.status-changed",
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
            ("orders.order.placed", "1.0.0") => {
                ::novel_events::__private::deserialize_event::<
                    orders::OrderPlacedV1_0_0,
                    D,
                >(deserializer)
                    .map(Self::OrderPlacedV1_0_0)
            }
            ("orders.order.placed", "2.0.0") => {
                ::novel_events::__private::deserialize_event::<
                    orders::OrderPlaced,
                    D,
                >(deserializer)
                    .map(Self::OrderPlaced)
            }
            ("machines.machine.status-changed", "1.0.0") => {
                ::novel_events::__private::deserialize_event::<
                    machines::MachineStatusChanged,
                    D,
                >(deserializer)
                    .map(Self::MachineStatusChanged)
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
/// Static metadata of the `workshop` catalog 0.3.0: every event, field and subscriber.
pub static CATALOG: ::novel_events::CatalogInfo = {
    use ::novel_events::__private::meta::*;
    const N0: T = en("Priority", &["low", "normal", "urgent"]);
    const N1: T = st(
        "Address",
        &[
            f("street", T::String, ""),
            f("city", T::String, ""),
            opt(f("postcode", T::String, "")),
        ],
    );
    const E0: ::novel_events::EventInfo = ev(
        "OrderPlaced",
        "OrderPlacedV1_0_0",
        "orders",
        "orders.order.placed",
        "1.0.0",
        false,
        "Order",
        A::Field("orderId"),
        C::Domain,
        "A customer placed an order (first version).",
        &[],
        &[],
        "",
        &[f("orderId", T::Uuid, ""), f("items", T::Array(&T::String), "")],
    );
    const E1: ::novel_events::EventInfo = ev(
        "OrderPlaced",
        "OrderPlaced",
        "orders",
        "orders.order.placed",
        "2.0.0",
        true,
        "Order",
        A::Field("orderId"),
        C::Command,
        "A customer placed an order.",
        &["Customer checks out"],
        &[
            sub("Billing Service", "charge the customer"),
            sub("Shipping Service", "prepare the parcel"),
        ],
        "",
        &[
            f("orderId", T::Uuid, ""),
            f("placedAt", T::DateTime, ""),
            f("priority", N0, ""),
            f(
                "lines",
                T::Array(
                    &st(
                        "OrderLine",
                        &[
                            f("sku", T::String, ""),
                            min(f("quantity", T::Integer, ""), 1f64),
                            min(f("unitPrice", T::Number, ""), 0f64),
                        ],
                    ),
                ),
                "",
            ),
            f("deliverTo", N1, ""),
            def(opt(f("giftWrap", T::Boolean, "")), "false"),
            def(
                opt(f("channel", en("Channel", &["web", "phone", "in-store"]), "")),
                "\"web\"",
            ),
            opt(f("notes", T::String, "")),
            dep(
                opt(f("couponCode", T::String, "")),
                "3.0.0",
                "Coupons moved to the billing domain",
            ),
            f("type", en("Type", &["standard", "express"]), ""),
            f("metadata", T::Object, ""),
        ],
    );
    const E2: ::novel_events::EventInfo = ev(
        "MachineStatusChanged",
        "MachineStatusChanged",
        "machines",
        "machines.machine.status-changed",
        "1.0.0",
        true,
        "Machine",
        A::NameBased("machineName"),
        C::System,
        "",
        &[],
        &[sub("Shipping Service", "pause dispatch when the packer is down")],
        "",
        &[
            f("machineName", T::String, ""),
            f("status", en("Status", &["running", "stopped", "maintenance"]), ""),
            max(min(f("load", T::Number, "Share of capacity in use"), 0f64), 1f64),
        ],
    );
    catalog(
        "workshop",
        "0.3.0",
        "Orders and machines of a small workshop.",
        &[E0, E1, E2],
    )
};
/// A subscriber to the `orders` domain: one method per event, each doing nothing unless implemented.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub trait OrdersSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `orders.order.placed` version 2.0.0.
    ///
    /// Older versions (1.0.0) are upcast to it before the call.
    ///
    /// A customer placed an order.
    ///
    /// Does nothing unless implemented.
    fn on_order_placed(
        &self,
        event: &::novel_events::Envelope<orders::OrderPlaced>,
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
            AnyEvent::OrderPlacedV1_0_0(payload) => {
                let typed = envelope
                    .with_payload(
                        ::novel_events::__private::IntoLatest::into_latest(
                            ::core::clone::Clone::clone(payload),
                        ),
                    );
                ::std::boxed::Box::pin(async move { self.on_order_placed(&typed).await })
            }
            AnyEvent::OrderPlaced(payload) => {
                let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                ::std::boxed::Box::pin(async move { self.on_order_placed(&typed).await })
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
            ("orders.order.placed", "1.0.0") | ("orders.order.placed", "2.0.0") => true,
            _ => false,
        }
    }
    /// This subscriber as a bus handler: `bus.subscribe(options, subscriber.into_handler())`.
    /// The bus delivers it only the events [`handles`](Self::handles) accepts.
    fn into_handler(self) -> ::novel_events::DispatchHandler<Self, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_boxed<'a, S: OrdersSubscriber + 'static>(
            subscriber: &'a S,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as OrdersSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_boxed::<Self>,
            <Self as OrdersSubscriber>::handles,
        )
    }
    /// Like [`into_handler`](Self::into_handler), for a subscriber you keep a handle on.
    fn into_shared_handler(
        self: ::std::sync::Arc<Self>,
    ) -> ::novel_events::DispatchHandler<::std::sync::Arc<Self>, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_shared<'a, S: OrdersSubscriber + 'static>(
            subscriber: &'a ::std::sync::Arc<S>,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as OrdersSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as OrdersSubscriber>::handles,
        )
    }
}
/// A subscriber to the `machines` domain: one method per event, each doing nothing unless implemented.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub trait MachinesSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `machines.machine.status-changed` version 1.0.0.
    ///
    /// Does nothing unless implemented.
    fn on_machine_status_changed(
        &self,
        event: &::novel_events::Envelope<machines::MachineStatusChanged>,
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
            AnyEvent::MachineStatusChanged(payload) => {
                let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                ::std::boxed::Box::pin(async move {
                    self.on_machine_status_changed(&typed).await
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
            ("machines.machine.status-changed", "1.0.0") => true,
            _ => false,
        }
    }
    /// This subscriber as a bus handler: `bus.subscribe(options, subscriber.into_handler())`.
    /// The bus delivers it only the events [`handles`](Self::handles) accepts.
    fn into_handler(self) -> ::novel_events::DispatchHandler<Self, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_boxed<'a, S: MachinesSubscriber + 'static>(
            subscriber: &'a S,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as MachinesSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_boxed::<Self>,
            <Self as MachinesSubscriber>::handles,
        )
    }
    /// Like [`into_handler`](Self::into_handler), for a subscriber you keep a handle on.
    fn into_shared_handler(
        self: ::std::sync::Arc<Self>,
    ) -> ::novel_events::DispatchHandler<::std::sync::Arc<Self>, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_shared<'a, S: MachinesSubscriber + 'static>(
            subscriber: &'a ::std::sync::Arc<S>,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as MachinesSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as MachinesSubscriber>::handles,
        )
    }
}
/// The catalog's subscriptions of Billing Service: one required method per event it handles, so that an implementation cannot forget one. A method takes the newest version of its event; older versions are upcast before the call (unless the catalog says `perVersion: true`).
///
/// An implementation writes each of them (`async fn` is accepted):
///
/// ```text
/// impl BillingServiceSubscriber for MyService {
///     async fn on_order_placed(&self, event: &Envelope<OrderPlaced>) -> HandlerResult {
///         // charge the customer
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
    message = "`{Self}` does not implement `BillingServiceSubscriber`, the subscriber trait of Billing Service",
    note = "implement `BillingServiceSubscriber` for `{Self}`, with one method per event Billing Service subscribes to: on_order_placed"
)]
pub trait BillingServiceSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `orders.order.placed` version 2.0.0.
    ///
    /// Older versions (1.0.0) are upcast to it before the call.
    ///
    /// A customer placed an order.
    ///
    /// Billing Service handles it to: charge the customer.
    fn on_order_placed(
        &self,
        event: &::novel_events::Envelope<orders::OrderPlaced>,
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
            AnyEvent::OrderPlacedV1_0_0(payload) => {
                let typed = envelope
                    .with_payload(
                        ::novel_events::__private::IntoLatest::into_latest(
                            ::core::clone::Clone::clone(payload),
                        ),
                    );
                ::std::boxed::Box::pin(async move { self.on_order_placed(&typed).await })
            }
            AnyEvent::OrderPlaced(payload) => {
                let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                ::std::boxed::Box::pin(async move { self.on_order_placed(&typed).await })
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
            ("orders.order.placed", "1.0.0") | ("orders.order.placed", "2.0.0") => true,
            _ => false,
        }
    }
    /// This subscriber as a bus handler: `bus.subscribe(options, subscriber.into_handler())`.
    /// The bus delivers it only the events [`handles`](Self::handles) accepts.
    fn into_handler(self) -> ::novel_events::DispatchHandler<Self, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_boxed<'a, S: BillingServiceSubscriber + 'static>(
            subscriber: &'a S,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as BillingServiceSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_boxed::<Self>,
            <Self as BillingServiceSubscriber>::handles,
        )
    }
    /// Like [`into_handler`](Self::into_handler), for a subscriber you keep a handle on.
    fn into_shared_handler(
        self: ::std::sync::Arc<Self>,
    ) -> ::novel_events::DispatchHandler<::std::sync::Arc<Self>, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_shared<'a, S: BillingServiceSubscriber + 'static>(
            subscriber: &'a ::std::sync::Arc<S>,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as BillingServiceSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as BillingServiceSubscriber>::handles,
        )
    }
}
/// The catalog's subscriptions of Shipping Service: one required method per event it handles, so that an implementation cannot forget one. A method takes the newest version of its event; older versions are upcast before the call (unless the catalog says `perVersion: true`).
///
/// An implementation writes each of them (`async fn` is accepted):
///
/// ```text
/// impl ShippingServiceSubscriber for MyService {
///     async fn on_order_placed(&self, event: &Envelope<OrderPlaced>) -> HandlerResult {
///         // prepare the parcel
///         Ok(())
///     }
///     async fn on_machine_status_changed(&self, event: &Envelope<MachineStatusChanged>) -> HandlerResult {
///         // pause dispatch when the packer is down
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
    message = "`{Self}` does not implement `ShippingServiceSubscriber`, the subscriber trait of Shipping Service",
    note = "implement `ShippingServiceSubscriber` for `{Self}`, with one method per event Shipping Service subscribes to: on_order_placed, on_machine_status_changed"
)]
pub trait ShippingServiceSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `orders.order.placed` version 2.0.0.
    ///
    /// Older versions (1.0.0) are upcast to it before the call.
    ///
    /// A customer placed an order.
    ///
    /// Shipping Service handles it to: prepare the parcel.
    fn on_order_placed(
        &self,
        event: &::novel_events::Envelope<orders::OrderPlaced>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send;
    /// Handles `machines.machine.status-changed` version 1.0.0.
    ///
    /// Shipping Service handles it to: pause dispatch when the packer is down.
    fn on_machine_status_changed(
        &self,
        event: &::novel_events::Envelope<machines::MachineStatusChanged>,
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
            AnyEvent::OrderPlacedV1_0_0(payload) => {
                let typed = envelope
                    .with_payload(
                        ::novel_events::__private::IntoLatest::into_latest(
                            ::core::clone::Clone::clone(payload),
                        ),
                    );
                ::std::boxed::Box::pin(async move { self.on_order_placed(&typed).await })
            }
            AnyEvent::OrderPlaced(payload) => {
                let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                ::std::boxed::Box::pin(async move { self.on_order_placed(&typed).await })
            }
            AnyEvent::MachineStatusChanged(payload) => {
                let typed = envelope.with_payload(::core::clone::Clone::clone(payload));
                ::std::boxed::Box::pin(async move {
                    self.on_machine_status_changed(&typed).await
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
            ("orders.order.placed", "1.0.0")
            | ("orders.order.placed", "2.0.0")
            | ("machines.machine.status-changed", "1.0.0") => true,
            _ => false,
        }
    }
    /// This subscriber as a bus handler: `bus.subscribe(options, subscriber.into_handler())`.
    /// The bus delivers it only the events [`handles`](Self::handles) accepts.
    fn into_handler(self) -> ::novel_events::DispatchHandler<Self, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_boxed<'a, S: ShippingServiceSubscriber + 'static>(
            subscriber: &'a S,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as ShippingServiceSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_boxed::<Self>,
            <Self as ShippingServiceSubscriber>::handles,
        )
    }
    /// Like [`into_handler`](Self::into_handler), for a subscriber you keep a handle on.
    fn into_shared_handler(
        self: ::std::sync::Arc<Self>,
    ) -> ::novel_events::DispatchHandler<::std::sync::Arc<Self>, AnyEvent>
    where
        Self: ::core::marker::Sized + 'static,
    {
        fn dispatch_shared<'a, S: ShippingServiceSubscriber + 'static>(
            subscriber: &'a ::std::sync::Arc<S>,
            envelope: &'a ::novel_events::Envelope<AnyEvent>,
        ) -> ::novel_events::HandlerFuture<'a> {
            <S as ShippingServiceSubscriber>::__dispatch_boxed(subscriber, envelope)
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as ShippingServiceSubscriber>::handles,
        )
    }
}
