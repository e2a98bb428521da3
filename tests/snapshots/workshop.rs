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
    ::novel_events::__private::serde::Serialize,
    ::novel_events::__private::serde::Deserialize,
)]
#[serde(crate = "::novel_events::__private::serde")]
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub enum Priority {
    /// `low`
    #[serde(rename = "low")]
    Low,
    /// `normal`
    #[serde(rename = "normal")]
    Normal,
    /// `urgent`
    #[serde(rename = "urgent")]
    Urgent,
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
impl ::novel_events::compat::HoldsEnum for Priority {
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
    type Err = ::novel_events::UnknownValue;
    fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
        match value {
            "low" => ::core::result::Result::Ok(Self::Low),
            "normal" => ::core::result::Result::Ok(Self::Normal),
            "urgent" => ::core::result::Result::Ok(Self::Urgent),
            other => {
                ::core::result::Result::Err(
                    ::novel_events::UnknownValue::new("Priority", other, Self::VALUES),
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
    ::novel_events::__private::serde::Serialize,
    ::novel_events::__private::serde::Deserialize,
)]
#[serde(crate = "::novel_events::__private::serde")]
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub struct Address {
    /// `street` (string).
    #[serde(rename = "street", deserialize_with = "Address::__deserialize_street")]
    pub street: ::std::string::String,
    /// `city` (string).
    #[serde(rename = "city", deserialize_with = "Address::__deserialize_city")]
    pub city: ::std::string::String,
    /// `postcode` (string).
    #[serde(
        rename = "postcode",
        default,
        skip_serializing_if = "::core::option::Option::is_none",
        deserialize_with = "Address::__deserialize_postcode"
    )]
    pub postcode: ::core::option::Option<::std::string::String>,
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl Address {
    #[doc(hidden)]
    fn __deserialize_street<'de, D>(
        deserializer: D,
    ) -> ::core::result::Result<::std::string::String, D::Error>
    where
        D: ::novel_events::__private::serde::Deserializer<'de>,
    {
        ::novel_events::__private::deserialize_field(deserializer, "street")
    }
    #[doc(hidden)]
    fn __deserialize_city<'de, D>(
        deserializer: D,
    ) -> ::core::result::Result<::std::string::String, D::Error>
    where
        D: ::novel_events::__private::serde::Deserializer<'de>,
    {
        ::novel_events::__private::deserialize_field(deserializer, "city")
    }
    #[doc(hidden)]
    fn __deserialize_postcode<'de, D>(
        deserializer: D,
    ) -> ::core::result::Result<::core::option::Option<::std::string::String>, D::Error>
    where
        D: ::novel_events::__private::serde::Deserializer<'de>,
    {
        ::novel_events::__private::deserialize_field(deserializer, "postcode")
    }
}
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
impl ::novel_events::compat::HoldsObject for Address {}
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
        violations: &mut ::std::vec::Vec<::novel_events::Violation>,
    ) {
        let _ = (path, violations);
    }
}
pub mod orders {
    //! The `orders` domain.
    //!
    //! Customer orders.
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
        ::novel_events::__private::serde::Serialize,
        ::novel_events::__private::serde::Deserialize,
    )]
    #[serde(crate = "::novel_events::__private::serde")]
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    pub struct OrderPlacedV1_0_0 {
        /// `orderId` (uuid).
        #[serde(
            rename = "orderId",
            deserialize_with = "OrderPlacedV1_0_0::__deserialize_order_id"
        )]
        pub order_id: ::novel_events::__private::uuid::Uuid,
        /// `items` ([string]).
        #[serde(
            rename = "items",
            deserialize_with = "OrderPlacedV1_0_0::__deserialize_items"
        )]
        pub items: ::std::vec::Vec<::std::string::String>,
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl OrderPlacedV1_0_0 {
        #[doc(hidden)]
        fn __deserialize_order_id<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<::novel_events::__private::uuid::Uuid, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "orderId")
        }
        #[doc(hidden)]
        fn __deserialize_items<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<::std::vec::Vec<::std::string::String>, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "items")
        }
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::compat::HoldsObject for OrderPlacedV1_0_0 {}
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::__private::Validate for OrderPlacedV1_0_0 {
        fn validate_into(
            &self,
            path: &str,
            violations: &mut ::std::vec::Vec<::novel_events::Violation>,
        ) {
            let _ = (path, violations);
        }
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::Event for OrderPlacedV1_0_0 {
        const EVENT_TYPE: &'static str = "orders.order.placed";
        const EVENT_VERSION: &'static str = "1.0.0";
        const AGGREGATE_TYPE: &'static str = "Order";
        const CATEGORY: ::novel_events::EventCategory = ::novel_events::EventCategory::Domain;
        const DESCRIPTION: &'static str = "A customer placed an order (first version).";
        const SUBSCRIBERS: &'static [::novel_events::SubscriberInfo] = &[];
        const CHECKS_ON_DECODE: bool = true;
        fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
            self.order_id
        }
        fn validate(
            &self,
        ) -> ::core::result::Result<(), ::novel_events::ValidationError> {
            ::novel_events::__private::validate_payload(self)
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
    #[derive(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::cmp::PartialEq,
        ::novel_events::__private::serde::Serialize,
        ::novel_events::__private::serde::Deserialize,
    )]
    #[serde(crate = "::novel_events::__private::serde")]
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    pub struct OrderPlaced {
        /// `orderId` (uuid).
        #[serde(
            rename = "orderId",
            deserialize_with = "OrderPlaced::__deserialize_order_id"
        )]
        pub order_id: ::novel_events::__private::uuid::Uuid,
        /// `placedAt` (datetime).
        #[serde(
            rename = "placedAt",
            deserialize_with = "OrderPlaced::__deserialize_placed_at"
        )]
        pub placed_at: ::novel_events::__private::chrono::DateTime<
            ::novel_events::__private::chrono::Utc,
        >,
        /// `priority` (Priority).
        #[serde(
            rename = "priority",
            deserialize_with = "OrderPlaced::__deserialize_priority"
        )]
        pub priority: super::Priority,
        /// `lines` ([nested object `OrderLine`]).
        #[serde(rename = "lines", deserialize_with = "OrderPlaced::__deserialize_lines")]
        pub lines: ::std::vec::Vec<OrderLine>,
        /// `deliverTo` (Address).
        #[serde(
            rename = "deliverTo",
            deserialize_with = "OrderPlaced::__deserialize_deliver_to"
        )]
        pub deliver_to: super::Address,
        /// `giftWrap` (boolean).
        /// Defaults to `false` when absent.
        #[serde(
            rename = "giftWrap",
            default = "OrderPlaced::__default_gift_wrap",
            deserialize_with = "OrderPlaced::__deserialize_gift_wrap"
        )]
        pub gift_wrap: bool,
        /// `channel` (web|phone|in-store).
        /// Defaults to `"web"` when absent.
        #[serde(
            rename = "channel",
            default = "OrderPlaced::__default_channel",
            deserialize_with = "OrderPlaced::__deserialize_channel"
        )]
        pub channel: Channel,
        /// `notes` (string).
        #[serde(
            rename = "notes",
            default,
            skip_serializing_if = "::core::option::Option::is_none",
            deserialize_with = "OrderPlaced::__deserialize_notes"
        )]
        pub notes: ::core::option::Option<::std::string::String>,
        /// `couponCode` (string).
        /// Deprecated: removed in version 3.0.0. Coupons moved to the billing domain
        #[serde(
            rename = "couponCode",
            default,
            skip_serializing_if = "::core::option::Option::is_none",
            deserialize_with = "OrderPlaced::__deserialize_coupon_code"
        )]
        pub coupon_code: ::core::option::Option<::std::string::String>,
        /// `type` (standard|express).
        #[serde(rename = "type", deserialize_with = "OrderPlaced::__deserialize_type")]
        pub r#type: Type,
        /// `metadata` (object).
        #[serde(
            rename = "metadata",
            deserialize_with = "OrderPlaced::__deserialize_metadata"
        )]
        pub metadata: ::novel_events::__private::serde_json::Map<
            ::std::string::String,
            ::novel_events::__private::serde_json::Value,
        >,
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl OrderPlaced {
        #[doc(hidden)]
        fn __deserialize_order_id<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<::novel_events::__private::uuid::Uuid, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "orderId")
        }
        #[doc(hidden)]
        fn __deserialize_placed_at<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<
            ::novel_events::__private::chrono::DateTime<
                ::novel_events::__private::chrono::Utc,
            >,
            D::Error,
        >
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "placedAt")
        }
        #[doc(hidden)]
        fn __deserialize_priority<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<super::Priority, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "priority")
        }
        #[doc(hidden)]
        fn __deserialize_lines<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<::std::vec::Vec<OrderLine>, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "lines")
        }
        #[doc(hidden)]
        fn __deserialize_deliver_to<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<super::Address, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "deliverTo")
        }
        #[doc(hidden)]
        fn __default_gift_wrap() -> bool {
            false
        }
        #[doc(hidden)]
        fn __deserialize_gift_wrap<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<bool, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "giftWrap")
        }
        #[doc(hidden)]
        fn __default_channel() -> Channel {
            Channel::Web
        }
        #[doc(hidden)]
        fn __deserialize_channel<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<Channel, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "channel")
        }
        #[doc(hidden)]
        fn __deserialize_notes<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<
            ::core::option::Option<::std::string::String>,
            D::Error,
        >
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "notes")
        }
        #[doc(hidden)]
        fn __deserialize_coupon_code<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<
            ::core::option::Option<::std::string::String>,
            D::Error,
        >
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "couponCode")
        }
        #[doc(hidden)]
        fn __deserialize_type<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<Type, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "type")
        }
        #[doc(hidden)]
        fn __deserialize_metadata<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<
            ::novel_events::__private::serde_json::Map<
                ::std::string::String,
                ::novel_events::__private::serde_json::Value,
            >,
            D::Error,
        >
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "metadata")
        }
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::compat::HoldsObject for OrderPlaced {}
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::__private::Validate for OrderPlaced {
        fn validate_into(
            &self,
            path: &str,
            violations: &mut ::std::vec::Vec<::novel_events::Violation>,
        ) {
            {
                let value = &self.lines;
                for (index, item) in value.iter().enumerate() {
                    ::novel_events::__private::Validate::validate_into(
                        item,
                        &::std::format!("{path}.{}[{index}]", "lines"),
                        violations,
                    );
                }
            }
            {
                let value = &self.deliver_to;
                ::novel_events::__private::Validate::validate_into(
                    value,
                    &::std::format!("{path}.{}", "deliverTo"),
                    violations,
                );
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
    impl ::novel_events::Event for OrderPlaced {
        const EVENT_TYPE: &'static str = "orders.order.placed";
        const EVENT_VERSION: &'static str = "2.0.0";
        const AGGREGATE_TYPE: &'static str = "Order";
        const CATEGORY: ::novel_events::EventCategory = ::novel_events::EventCategory::Command;
        const DESCRIPTION: &'static str = "A customer placed an order.";
        const SUBSCRIBERS: &'static [::novel_events::SubscriberInfo] = &[
            ::novel_events::SubscriberInfo {
                service: "Billing Service",
                purpose: "charge the customer",
            },
            ::novel_events::SubscriberInfo {
                service: "Shipping Service",
                purpose: "prepare the parcel",
            },
        ];
        const CHECKS_ON_DECODE: bool = true;
        fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
            self.order_id
        }
        fn validate(
            &self,
        ) -> ::core::result::Result<(), ::novel_events::ValidationError> {
            ::novel_events::__private::validate_payload(self)
        }
    }
    /// The nested object `OrderLine`.
    #[derive(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::cmp::PartialEq,
        ::novel_events::__private::serde::Serialize,
        ::novel_events::__private::serde::Deserialize,
    )]
    #[serde(crate = "::novel_events::__private::serde")]
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    pub struct OrderLine {
        /// `sku` (string).
        #[serde(rename = "sku", deserialize_with = "OrderLine::__deserialize_sku")]
        pub sku: ::std::string::String,
        /// `quantity` (integer).
        /// At least 1.
        #[serde(
            rename = "quantity",
            deserialize_with = "OrderLine::__deserialize_quantity"
        )]
        pub quantity: i64,
        /// `unitPrice` (number).
        /// At least 0.
        #[serde(
            rename = "unitPrice",
            deserialize_with = "OrderLine::__deserialize_unit_price"
        )]
        pub unit_price: f64,
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl OrderLine {
        #[doc(hidden)]
        fn __deserialize_sku<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<::std::string::String, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "sku")
        }
        #[doc(hidden)]
        fn __deserialize_quantity<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<i64, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_bounded(
                deserializer,
                "quantity",
                ::core::option::Option::Some(1f64),
                ::core::option::Option::None,
            )
        }
        #[doc(hidden)]
        fn __deserialize_unit_price<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<f64, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_bounded(
                deserializer,
                "unitPrice",
                ::core::option::Option::Some(0f64),
                ::core::option::Option::None,
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
    impl ::novel_events::compat::HoldsObject for OrderLine {}
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::__private::Validate for OrderLine {
        fn validate_into(
            &self,
            path: &str,
            violations: &mut ::std::vec::Vec<::novel_events::Violation>,
        ) {
            ::novel_events::__private::check_bounds(
                &self.quantity,
                ::core::option::Option::Some(1f64),
                ::core::option::Option::None,
                path,
                "quantity",
                violations,
            );
            ::novel_events::__private::check_bounds(
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
        ::novel_events::__private::serde::Serialize,
        ::novel_events::__private::serde::Deserialize,
    )]
    #[serde(crate = "::novel_events::__private::serde")]
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    pub enum Channel {
        /// `web`
        #[serde(rename = "web")]
        Web,
        /// `phone`
        #[serde(rename = "phone")]
        Phone,
        /// `in-store`
        #[serde(rename = "in-store")]
        InStore,
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
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
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::compat::HoldsEnum for Channel {
        const VALUES: &'static [&'static str] = &["web", "phone", "in-store"];
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::core::fmt::Display for Channel {
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
    impl ::core::str::FromStr for Channel {
        type Err = ::novel_events::UnknownValue;
        fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
            match value {
                "web" => ::core::result::Result::Ok(Self::Web),
                "phone" => ::core::result::Result::Ok(Self::Phone),
                "in-store" => ::core::result::Result::Ok(Self::InStore),
                other => {
                    ::core::result::Result::Err(
                        ::novel_events::UnknownValue::new("Channel", other, Self::VALUES),
                    )
                }
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
        ::novel_events::__private::serde::Serialize,
        ::novel_events::__private::serde::Deserialize,
    )]
    #[serde(crate = "::novel_events::__private::serde")]
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    pub enum Type {
        /// `standard`
        #[serde(rename = "standard")]
        Standard,
        /// `express`
        #[serde(rename = "express")]
        Express,
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
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
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::compat::HoldsEnum for Type {
        const VALUES: &'static [&'static str] = &["standard", "express"];
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::core::fmt::Display for Type {
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
    impl ::core::str::FromStr for Type {
        type Err = ::novel_events::UnknownValue;
        fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
            match value {
                "standard" => ::core::result::Result::Ok(Self::Standard),
                "express" => ::core::result::Result::Ok(Self::Express),
                other => {
                    ::core::result::Result::Err(
                        ::novel_events::UnknownValue::new("Type", other, Self::VALUES),
                    )
                }
            }
        }
    }
}
pub mod machines {
    //! The `machines` domain.
    /// eventType `machines.machine.status-changed`, version 1.0.0, aggregate `Machine` (id from `machineName`), category system.
    ///
    /// Subscribers:
    /// - Shipping Service: pause dispatch when the packer is down
    #[derive(
        ::core::fmt::Debug,
        ::core::clone::Clone,
        ::core::cmp::PartialEq,
        ::novel_events::__private::serde::Serialize,
        ::novel_events::__private::serde::Deserialize,
    )]
    #[serde(crate = "::novel_events::__private::serde")]
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    pub struct MachineStatusChanged {
        /// `machineName` (string).
        #[serde(
            rename = "machineName",
            deserialize_with = "MachineStatusChanged::__deserialize_machine_name"
        )]
        pub machine_name: ::std::string::String,
        /// `status` (running|stopped|maintenance).
        #[serde(
            rename = "status",
            deserialize_with = "MachineStatusChanged::__deserialize_status"
        )]
        pub status: Status,
        /// `load`: Share of capacity in use
        /// Between 0 and 1, inclusive.
        #[serde(
            rename = "load",
            deserialize_with = "MachineStatusChanged::__deserialize_load"
        )]
        pub load: f64,
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl MachineStatusChanged {
        #[doc(hidden)]
        fn __deserialize_machine_name<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<::std::string::String, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "machineName")
        }
        #[doc(hidden)]
        fn __deserialize_status<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<Status, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_field(deserializer, "status")
        }
        #[doc(hidden)]
        fn __deserialize_load<'de, D>(
            deserializer: D,
        ) -> ::core::result::Result<f64, D::Error>
        where
            D: ::novel_events::__private::serde::Deserializer<'de>,
        {
            ::novel_events::__private::deserialize_bounded(
                deserializer,
                "load",
                ::core::option::Option::Some(0f64),
                ::core::option::Option::Some(1f64),
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
    impl ::novel_events::compat::HoldsObject for MachineStatusChanged {}
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::__private::Validate for MachineStatusChanged {
        fn validate_into(
            &self,
            path: &str,
            violations: &mut ::std::vec::Vec<::novel_events::Violation>,
        ) {
            ::novel_events::__private::check_bounds(
                &self.load,
                ::core::option::Option::Some(0f64),
                ::core::option::Option::Some(1f64),
                path,
                "load",
                violations,
            );
        }
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::Event for MachineStatusChanged {
        const EVENT_TYPE: &'static str = "machines.machine.status-changed";
        const EVENT_VERSION: &'static str = "1.0.0";
        const AGGREGATE_TYPE: &'static str = "Machine";
        const CATEGORY: ::novel_events::EventCategory = ::novel_events::EventCategory::System;
        const DESCRIPTION: &'static str = "";
        const SUBSCRIBERS: &'static [::novel_events::SubscriberInfo] = &[
            ::novel_events::SubscriberInfo {
                service: "Shipping Service",
                purpose: "pause dispatch when the packer is down",
            },
        ];
        const CHECKS_ON_DECODE: bool = true;
        fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
            ::novel_events::name_based_aggregate_id(&self.machine_name)
        }
        fn validate(
            &self,
        ) -> ::core::result::Result<(), ::novel_events::ValidationError> {
            ::novel_events::__private::validate_payload(self)
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
        ::novel_events::__private::serde::Serialize,
        ::novel_events::__private::serde::Deserialize,
    )]
    #[serde(crate = "::novel_events::__private::serde")]
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    pub enum Status {
        /// `running`
        #[serde(rename = "running")]
        Running,
        /// `stopped`
        #[serde(rename = "stopped")]
        Stopped,
        /// `maintenance`
        #[serde(rename = "maintenance")]
        Maintenance,
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
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
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::novel_events::compat::HoldsEnum for Status {
        const VALUES: &'static [&'static str] = &["running", "stopped", "maintenance"];
    }
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::nursery,
        non_camel_case_types,
        deprecated
    )]
    impl ::core::fmt::Display for Status {
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
    impl ::core::str::FromStr for Status {
        type Err = ::novel_events::UnknownValue;
        fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
            match value {
                "running" => ::core::result::Result::Ok(Self::Running),
                "stopped" => ::core::result::Result::Ok(Self::Stopped),
                "maintenance" => ::core::result::Result::Ok(Self::Maintenance),
                other => {
                    ::core::result::Result::Err(
                        ::novel_events::UnknownValue::new("Status", other, Self::VALUES),
                    )
                }
            }
        }
    }
}
/// Any event of the catalog, in any version: decode an `Envelope<AnyEvent>` to route by
/// eventType and eventVersion.
#[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
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
impl AnyEvent {
    /// The catalog metadata of this event.
    pub fn info(&self) -> &'static ::novel_events::EventInfo {
        let index = match self {
            Self::OrderPlacedV1_0_0(_) => 0,
            Self::OrderPlaced(_) => 1,
            Self::MachineStatusChanged(_) => 2,
        };
        &CATALOG.events[index]
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
        match self {
            Self::OrderPlacedV1_0_0(payload) => ::core::option::Option::Some(payload),
            #[allow(unreachable_patterns)]
            _ => ::core::option::Option::None,
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
        match self {
            Self::OrderPlaced(payload) => ::core::option::Option::Some(payload),
            #[allow(unreachable_patterns)]
            _ => ::core::option::Option::None,
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
        match self {
            Self::MachineStatusChanged(payload) => ::core::option::Option::Some(payload),
            #[allow(unreachable_patterns)]
            _ => ::core::option::Option::None,
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
impl ::novel_events::EventPayload for AnyEvent {
    fn event_type(&self) -> &'static str {
        match self {
            Self::OrderPlacedV1_0_0(_) => {
                <orders::OrderPlacedV1_0_0 as ::novel_events::Event>::EVENT_TYPE
            }
            Self::OrderPlaced(_) => {
                <orders::OrderPlaced as ::novel_events::Event>::EVENT_TYPE
            }
            Self::MachineStatusChanged(_) => {
                <machines::MachineStatusChanged as ::novel_events::Event>::EVENT_TYPE
            }
        }
    }
    fn event_version(&self) -> &'static str {
        match self {
            Self::OrderPlacedV1_0_0(_) => {
                <orders::OrderPlacedV1_0_0 as ::novel_events::Event>::EVENT_VERSION
            }
            Self::OrderPlaced(_) => {
                <orders::OrderPlaced as ::novel_events::Event>::EVENT_VERSION
            }
            Self::MachineStatusChanged(_) => {
                <machines::MachineStatusChanged as ::novel_events::Event>::EVENT_VERSION
            }
        }
    }
    fn aggregate_type(&self) -> &'static str {
        match self {
            Self::OrderPlacedV1_0_0(_) => {
                <orders::OrderPlacedV1_0_0 as ::novel_events::Event>::AGGREGATE_TYPE
            }
            Self::OrderPlaced(_) => {
                <orders::OrderPlaced as ::novel_events::Event>::AGGREGATE_TYPE
            }
            Self::MachineStatusChanged(_) => {
                <machines::MachineStatusChanged as ::novel_events::Event>::AGGREGATE_TYPE
            }
        }
    }
    fn aggregate_id(&self) -> ::novel_events::__private::uuid::Uuid {
        match self {
            Self::OrderPlacedV1_0_0(payload) => {
                ::novel_events::Event::aggregate_id(payload)
            }
            Self::OrderPlaced(payload) => ::novel_events::Event::aggregate_id(payload),
            Self::MachineStatusChanged(payload) => {
                ::novel_events::Event::aggregate_id(payload)
            }
        }
    }
    fn validate(&self) -> ::core::result::Result<(), ::novel_events::ValidationError> {
        match self {
            Self::OrderPlacedV1_0_0(payload) => ::novel_events::Event::validate(payload),
            Self::OrderPlaced(payload) => ::novel_events::Event::validate(payload),
            Self::MachineStatusChanged(payload) => {
                ::novel_events::Event::validate(payload)
            }
        }
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
pub static CATALOG: ::novel_events::CatalogInfo = ::novel_events::CatalogInfo {
    name: "workshop",
    version: "0.3.0",
    description: "Orders and machines of a small workshop.",
    events: &[
        ::novel_events::EventInfo {
            name: "OrderPlaced",
            rust_name: "OrderPlacedV1_0_0",
            domain: "orders",
            event_type: "orders.order.placed",
            event_version: "1.0.0",
            is_latest: false,
            aggregate_type: "Order",
            aggregate_id: ::novel_events::AggregateIdInfo::Field("orderId"),
            category: ::novel_events::EventCategory::Domain,
            description: "A customer placed an order (first version).",
            triggers: &[],
            subscribers: &[],
            fields: &[
                ::novel_events::FieldInfo {
                    name: "orderId",
                    ty: ::novel_events::TypeInfo::Uuid,
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "items",
                    ty: ::novel_events::TypeInfo::Array(
                        &::novel_events::TypeInfo::String,
                    ),
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
            ],
        },
        ::novel_events::EventInfo {
            name: "OrderPlaced",
            rust_name: "OrderPlaced",
            domain: "orders",
            event_type: "orders.order.placed",
            event_version: "2.0.0",
            is_latest: true,
            aggregate_type: "Order",
            aggregate_id: ::novel_events::AggregateIdInfo::Field("orderId"),
            category: ::novel_events::EventCategory::Command,
            description: "A customer placed an order.",
            triggers: &["Customer checks out"],
            subscribers: &[
                ::novel_events::SubscriberInfo {
                    service: "Billing Service",
                    purpose: "charge the customer",
                },
                ::novel_events::SubscriberInfo {
                    service: "Shipping Service",
                    purpose: "prepare the parcel",
                },
            ],
            fields: &[
                ::novel_events::FieldInfo {
                    name: "orderId",
                    ty: ::novel_events::TypeInfo::Uuid,
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "placedAt",
                    ty: ::novel_events::TypeInfo::DateTime,
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "priority",
                    ty: ::novel_events::TypeInfo::Enum {
                        name: "Priority",
                        values: &["low", "normal", "urgent"],
                    },
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "lines",
                    ty: ::novel_events::TypeInfo::Array(
                        &::novel_events::TypeInfo::Struct {
                            name: "OrderLine",
                            fields: &[
                                ::novel_events::FieldInfo {
                                    name: "sku",
                                    ty: ::novel_events::TypeInfo::String,
                                    optional: false,
                                    default: ::core::option::Option::None,
                                    min: ::core::option::Option::None,
                                    max: ::core::option::Option::None,
                                    description: "",
                                    deprecated: ::core::option::Option::None,
                                },
                                ::novel_events::FieldInfo {
                                    name: "quantity",
                                    ty: ::novel_events::TypeInfo::Integer,
                                    optional: false,
                                    default: ::core::option::Option::None,
                                    min: ::core::option::Option::Some(1f64),
                                    max: ::core::option::Option::None,
                                    description: "",
                                    deprecated: ::core::option::Option::None,
                                },
                                ::novel_events::FieldInfo {
                                    name: "unitPrice",
                                    ty: ::novel_events::TypeInfo::Number,
                                    optional: false,
                                    default: ::core::option::Option::None,
                                    min: ::core::option::Option::Some(0f64),
                                    max: ::core::option::Option::None,
                                    description: "",
                                    deprecated: ::core::option::Option::None,
                                },
                            ],
                        },
                    ),
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "deliverTo",
                    ty: ::novel_events::TypeInfo::Struct {
                        name: "Address",
                        fields: &[
                            ::novel_events::FieldInfo {
                                name: "street",
                                ty: ::novel_events::TypeInfo::String,
                                optional: false,
                                default: ::core::option::Option::None,
                                min: ::core::option::Option::None,
                                max: ::core::option::Option::None,
                                description: "",
                                deprecated: ::core::option::Option::None,
                            },
                            ::novel_events::FieldInfo {
                                name: "city",
                                ty: ::novel_events::TypeInfo::String,
                                optional: false,
                                default: ::core::option::Option::None,
                                min: ::core::option::Option::None,
                                max: ::core::option::Option::None,
                                description: "",
                                deprecated: ::core::option::Option::None,
                            },
                            ::novel_events::FieldInfo {
                                name: "postcode",
                                ty: ::novel_events::TypeInfo::String,
                                optional: true,
                                default: ::core::option::Option::None,
                                min: ::core::option::Option::None,
                                max: ::core::option::Option::None,
                                description: "",
                                deprecated: ::core::option::Option::None,
                            },
                        ],
                    },
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "giftWrap",
                    ty: ::novel_events::TypeInfo::Boolean,
                    optional: true,
                    default: ::core::option::Option::Some("false"),
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "channel",
                    ty: ::novel_events::TypeInfo::Enum {
                        name: "Channel",
                        values: &["web", "phone", "in-store"],
                    },
                    optional: true,
                    default: ::core::option::Option::Some("\"web\""),
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "notes",
                    ty: ::novel_events::TypeInfo::String,
                    optional: true,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "couponCode",
                    ty: ::novel_events::TypeInfo::String,
                    optional: true,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::Some(::novel_events::DeprecationInfo {
                        note: "Coupons moved to the billing domain",
                        removal_version: "3.0.0",
                    }),
                },
                ::novel_events::FieldInfo {
                    name: "type",
                    ty: ::novel_events::TypeInfo::Enum {
                        name: "Type",
                        values: &["standard", "express"],
                    },
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "metadata",
                    ty: ::novel_events::TypeInfo::Object,
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
            ],
        },
        ::novel_events::EventInfo {
            name: "MachineStatusChanged",
            rust_name: "MachineStatusChanged",
            domain: "machines",
            event_type: "machines.machine.status-changed",
            event_version: "1.0.0",
            is_latest: true,
            aggregate_type: "Machine",
            aggregate_id: ::novel_events::AggregateIdInfo::NameBased("machineName"),
            category: ::novel_events::EventCategory::System,
            description: "",
            triggers: &[],
            subscribers: &[
                ::novel_events::SubscriberInfo {
                    service: "Shipping Service",
                    purpose: "pause dispatch when the packer is down",
                },
            ],
            fields: &[
                ::novel_events::FieldInfo {
                    name: "machineName",
                    ty: ::novel_events::TypeInfo::String,
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "status",
                    ty: ::novel_events::TypeInfo::Enum {
                        name: "Status",
                        values: &["running", "stopped", "maintenance"],
                    },
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::None,
                    max: ::core::option::Option::None,
                    description: "",
                    deprecated: ::core::option::Option::None,
                },
                ::novel_events::FieldInfo {
                    name: "load",
                    ty: ::novel_events::TypeInfo::Number,
                    optional: false,
                    default: ::core::option::Option::None,
                    min: ::core::option::Option::Some(0f64),
                    max: ::core::option::Option::Some(1f64),
                    description: "Share of capacity in use",
                    deprecated: ::core::option::Option::None,
                },
            ],
        },
    ],
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
    /// Handles `orders.order.placed` version 1.0.0.
    ///
    /// Does nothing unless implemented.
    fn on_order_placed_v1_0_0(
        &self,
        event: &::novel_events::Envelope<orders::OrderPlacedV1_0_0>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send {
        let _ = event;
        async { ::core::result::Result::Ok(()) }
    }
    /// Handles `orders.order.placed` version 2.0.0.
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
    fn dispatch(
        &self,
        envelope: &::novel_events::Envelope<AnyEvent>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send {
        async move {
            #[allow(unreachable_patterns)]
            match &envelope.payload {
                AnyEvent::OrderPlacedV1_0_0(payload) => {
                    self.on_order_placed_v1_0_0(
                            &envelope.with_payload(::core::clone::Clone::clone(payload)),
                        )
                        .await
                }
                AnyEvent::OrderPlaced(payload) => {
                    self.on_order_placed(
                            &envelope.with_payload(::core::clone::Clone::clone(payload)),
                        )
                        .await
                }
                _ => ::core::result::Result::Ok(()),
            }
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
            ::std::boxed::Box::pin(subscriber.dispatch(envelope))
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
            ::std::boxed::Box::pin(
                <S as OrdersSubscriber>::dispatch(subscriber, envelope),
            )
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
    fn dispatch(
        &self,
        envelope: &::novel_events::Envelope<AnyEvent>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send {
        async move {
            #[allow(unreachable_patterns)]
            match &envelope.payload {
                AnyEvent::MachineStatusChanged(payload) => {
                    self.on_machine_status_changed(
                            &envelope.with_payload(::core::clone::Clone::clone(payload)),
                        )
                        .await
                }
                _ => ::core::result::Result::Ok(()),
            }
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
            ::std::boxed::Box::pin(subscriber.dispatch(envelope))
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
            ::std::boxed::Box::pin(
                <S as MachinesSubscriber>::dispatch(subscriber, envelope),
            )
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as MachinesSubscriber>::handles,
        )
    }
}
/// The catalog's subscriptions of Billing Service: one required method per event it handles, so that an implementation cannot forget one.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub trait BillingServiceSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `orders.order.placed` version 2.0.0. Purpose: charge the customer.
    fn on_order_placed(
        &self,
        event: &::novel_events::Envelope<orders::OrderPlaced>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send;
    /// Routes an envelope of any event to this subscriber's method for it. Events this
    /// subscriber does not handle succeed without doing anything.
    fn dispatch(
        &self,
        envelope: &::novel_events::Envelope<AnyEvent>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send {
        async move {
            #[allow(unreachable_patterns)]
            match &envelope.payload {
                AnyEvent::OrderPlaced(payload) => {
                    self.on_order_placed(
                            &envelope.with_payload(::core::clone::Clone::clone(payload)),
                        )
                        .await
                }
                _ => ::core::result::Result::Ok(()),
            }
        }
    }
    /// Whether [`dispatch`](Self::dispatch) has a method for this eventType and version.
    fn handles(event_type: &str, event_version: &str) -> bool
    where
        Self: ::core::marker::Sized,
    {
        #[allow(unreachable_patterns)]
        match (event_type, event_version) {
            ("orders.order.placed", "2.0.0") => true,
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
            ::std::boxed::Box::pin(subscriber.dispatch(envelope))
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
            ::std::boxed::Box::pin(
                <S as BillingServiceSubscriber>::dispatch(subscriber, envelope),
            )
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as BillingServiceSubscriber>::handles,
        )
    }
}
/// The catalog's subscriptions of Shipping Service: one required method per event it handles, so that an implementation cannot forget one.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    non_camel_case_types,
    deprecated
)]
pub trait ShippingServiceSubscriber: ::core::marker::Send + ::core::marker::Sync {
    /// Handles `orders.order.placed` version 2.0.0. Purpose: prepare the parcel.
    fn on_order_placed(
        &self,
        event: &::novel_events::Envelope<orders::OrderPlaced>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send;
    /// Handles `machines.machine.status-changed` version 1.0.0. Purpose: pause dispatch when the packer is down.
    fn on_machine_status_changed(
        &self,
        event: &::novel_events::Envelope<machines::MachineStatusChanged>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send;
    /// Routes an envelope of any event to this subscriber's method for it. Events this
    /// subscriber does not handle succeed without doing anything.
    fn dispatch(
        &self,
        envelope: &::novel_events::Envelope<AnyEvent>,
    ) -> impl ::core::future::Future<
        Output = ::novel_events::HandlerResult,
    > + ::core::marker::Send {
        async move {
            #[allow(unreachable_patterns)]
            match &envelope.payload {
                AnyEvent::OrderPlaced(payload) => {
                    self.on_order_placed(
                            &envelope.with_payload(::core::clone::Clone::clone(payload)),
                        )
                        .await
                }
                AnyEvent::MachineStatusChanged(payload) => {
                    self.on_machine_status_changed(
                            &envelope.with_payload(::core::clone::Clone::clone(payload)),
                        )
                        .await
                }
                _ => ::core::result::Result::Ok(()),
            }
        }
    }
    /// Whether [`dispatch`](Self::dispatch) has a method for this eventType and version.
    fn handles(event_type: &str, event_version: &str) -> bool
    where
        Self: ::core::marker::Sized,
    {
        #[allow(unreachable_patterns)]
        match (event_type, event_version) {
            ("orders.order.placed", "2.0.0")
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
            ::std::boxed::Box::pin(subscriber.dispatch(envelope))
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
            ::std::boxed::Box::pin(
                <S as ShippingServiceSubscriber>::dispatch(subscriber, envelope),
            )
        }
        ::novel_events::DispatchHandler::new(
            self,
            dispatch_shared::<Self>,
            <Self as ShippingServiceSubscriber>::handles,
        )
    }
}
