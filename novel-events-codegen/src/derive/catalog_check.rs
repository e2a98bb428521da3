//! The checks of `#[derive(Event)]` against a catalog: the event exists, fields match one to
//! one (through serde's renames), optionality agrees, and each Rust type can hold its catalog
//! type. The checks return data: what each field type must hold ([`TypeCheck`]) and the bounds
//! to validate ([`BoundCheck`]); types are then checked by rustc itself, through trait-bound
//! assertions that the expansion spans on the user's field types (the sqlx technique), so a
//! mismatch is reported on the field at fault.

use std::path::PathBuf;

use proc_macro2::Span;
use quote::quote;
use syn::spanned::Spanned;
use syn::{GenericArgument, LitStr, PathArguments, Type};

use super::LoadedCatalog;
use super::attr::{AggregateIdKind, EventField, EventInput};
use super::errors::Errors;
use super::event_object::object_names;
use super::serde_names::RenameRule;
use super::widths::{self, NumericSpec};
use crate::diagnostic::Location;
use crate::diagnostic::{did_you_mean, nearest};
use crate::model::{AggregateId, Catalog, Category, EnumDef, EventDef, Field, NamedType, TypeExpr};
use crate::naming;

/// What the catalog contributes to the expansion once the checks pass.
pub struct CatalogFacts {
    /// The catalog's aggregateType for the event.
    pub aggregate_type: String,
    /// The catalog's category.
    pub category: Category,
    /// The catalog's description.
    pub description: String,
    /// The catalog's subscribers: (service, purpose).
    pub subscribers: Vec<(String, String)>,
    /// Index of the struct field that holds the catalog's aggregate id.
    pub aggregate_field: Option<usize>,
    /// How the catalog derives the aggregate id.
    pub aggregate_kind: AggregateIdKind,
    /// What each field's Rust type must be able to hold, asserted by trait bounds.
    pub type_checks: Vec<TypeCheck>,
    /// The numeric bounds `EventPayload::validate` checks.
    pub bounds: Vec<BoundCheck>,
    /// The catalog file, to rebuild when it changes.
    pub path: PathBuf,
}

/// A field type and the catalog type it must hold, asserted at compile time.
pub struct TypeCheck {
    /// The Rust type (the inner type of an `Option`).
    pub rust: Type,
    /// What it must hold.
    pub holds: Holds,
    /// The span of the user's type, where a mismatch is reported.
    pub span: Span,
}

/// A catalog type as the derive's compile-time checks see it (named types resolved).
pub enum Holds {
    /// `uuid`.
    Uuid,
    /// `string`.
    String,
    /// `integer`, within these bounds (see [`widths`](super::widths)).
    Integer(NumericSpec),
    /// `number`, within these bounds.
    Number(NumericSpec),
    /// `boolean`.
    Boolean,
    /// `datetime`.
    DateTime,
    /// `object`: any JSON object.
    Object,
    /// A nested object with declared fields, which the Rust type must have been checked
    /// against (`#[derive(EventObject)]`, or the catalog's generated struct).
    Struct {
        /// The catalog's name of the object (`Money`).
        name: String,
        /// Where the catalog declares it (`file:line:column`).
        location: String,
        /// The field's wire name.
        wire: String,
        /// The owner of the field, `` `type` version `` or `` object `Money` ``.
        what: String,
        /// The catalog's other nested objects, to name the one a type was checked against.
        others: Vec<String>,
        /// The catalog's path as the user wrote it.
        source: String,
    },
    /// An array of items.
    Array(Box<Holds>),
    /// A string enum of exactly these values.
    Enum {
        /// The catalog's values.
        values: Vec<String>,
        /// The field's wire name.
        wire: String,
        /// The event, `` `type` version ``, for the message.
        what: String,
        /// Where the catalog declares the enum (`file:line:column`).
        location: String,
    },
}

/// A field whose value `EventPayload::validate` checks against bounds.
pub struct BoundCheck {
    /// The field.
    pub ident: syn::Ident,
    /// Its wire name, in the violation's path.
    pub wire: String,
    /// The lower bound.
    pub min: Option<f64>,
    /// The upper bound.
    pub max: Option<f64>,
    /// The span of the field's type.
    pub span: Span,
}

/// Checks the struct against the catalog; errors go to `errors`.
pub fn check(
    input: &EventInput,
    loaded: &LoadedCatalog,
    errors: &mut Errors,
) -> Option<CatalogFacts> {
    let catalog = &loaded.catalog;
    let event = find_event(input, catalog, errors)?;
    if let Some(aggregate) = &input.aggregate
        && aggregate.value() != event.aggregate_type
    {
        errors.push(
            aggregate.span(),
            format!(
                "the catalog's aggregate type of `{}` {} is `{}`, not `{}`",
                event.event_type,
                event.event_version,
                event.aggregate_type,
                aggregate.value()
            ),
        );
    }
    if let Some((category, span)) = input.category
        && category != event.category
    {
        errors.push(
            span,
            format!(
                "the catalog's category of `{}` {} is `{}`, not `{}`: drop `category`, it comes from the catalog",
                event.event_type,
                event.event_version,
                event.category.as_str(),
                category.as_str()
            ),
        );
    }
    if let Some(span) = input.subscribers_span {
        errors.push(
            span,
            format!(
                "`subscribers` come from the catalog when `catalog = \"...\"` is given (`{}` {} lists {}): drop this attribute",
                event.event_type,
                event.event_version,
                if event.subscribers.is_empty() {
                    "none".to_owned()
                } else {
                    event.subscribers.iter().map(|subscriber| subscriber.service.as_str()).collect::<Vec<_>>().join(", ")
                }
            ),
        );
    }
    let aggregate_kind = match event.aggregate_id {
        AggregateId::Field(_) => AggregateIdKind::Uuid,
        AggregateId::NameBased(_) => AggregateIdKind::NameBased,
    };
    let source = input
        .catalog
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_default();
    let checker = Checker::event(catalog, event, source);
    let FieldChecks {
        type_checks,
        bounds,
    } = checker.check_fields(input, errors);
    let aggregate_field = input
        .fields
        .iter()
        .position(|field| !field.skip && field.wire_name == event.aggregate_id.field());
    for field in &input.fields {
        if let Some((kind, span)) = field.aggregate_id
            && (field.wire_name != event.aggregate_id.field() || kind != aggregate_kind)
        {
            errors.push(
                span,
                checker.aggregate_id_message(
                    input,
                    field,
                    kind,
                    aggregate_kind,
                    event.aggregate_id.field(),
                ),
            );
        }
    }
    Some(CatalogFacts {
        aggregate_type: event.aggregate_type.clone(),
        category: event.category,
        description: event.description.clone().unwrap_or_default(),
        subscribers: event
            .subscribers
            .iter()
            .map(|subscriber| {
                (
                    subscriber.service.clone(),
                    subscriber.purpose.clone().unwrap_or_default(),
                )
            })
            .collect(),
        aggregate_field,
        aggregate_kind,
        type_checks,
        bounds,
        path: loaded.path.clone(),
    })
}

/// What the field-by-field checks return: the type assertions and bounds to emit.
pub(super) struct FieldChecks {
    /// What each field's Rust type must hold.
    pub type_checks: Vec<TypeCheck>,
    /// The numeric bounds to validate.
    pub bounds: Vec<BoundCheck>,
}

impl Checker<'_> {
    /// Checks the struct's fields one to one against the catalog's (through serde's renames):
    /// unknown and missing fields, optionality, numeric widths; errors go to `errors`.
    pub fn check_fields(&self, input: &EventInput, errors: &mut Errors) -> FieldChecks {
        let mut type_checks = Vec::new();
        let mut bounds = Vec::new();
        for field in &input.fields {
            if field.skip {
                continue;
            }
            if field.flatten {
                errors.push(
                    field.ident.span(),
                    "#[serde(flatten)] fields cannot be checked against the catalog: list the catalog's fields in this struct",
                );
                continue;
            }
            let Some(spec) = self.fields.iter().find(|spec| spec.name == field.wire_name) else {
                errors.push(field.ident.span(), self.unknown_field_message(input, field));
                continue;
            };
            self.check_optionality(field, spec, errors);
            let inner = option_inner(&field.ty).unwrap_or(&field.ty);
            let holds = self.holds(&spec.ty, spec);
            if let Err((span, message)) = check_widths(inner, &holds) {
                // The compiler's own check of the type would only repeat it.
                errors.push(span, message);
            } else {
                type_checks.push(TypeCheck {
                    rust: inner.clone(),
                    holds,
                    span: field.ty.span(),
                });
            }
            if spec.min.is_some() || spec.max.is_some() {
                bounds.push(BoundCheck {
                    ident: field.ident.clone(),
                    wire: spec.name.clone(),
                    min: spec.min,
                    max: spec.max,
                    span: field.ty.span(),
                });
            }
        }
        for spec in self.fields {
            let present = input
                .fields
                .iter()
                .any(|field| !field.skip && field.wire_name == spec.name);
            if !present {
                // On the field of that Rust name when there is one (skipped or read under
                // another name), else on the struct's name.
                let span = same_name_field(input, spec)
                    .map_or_else(|| input.ident.span(), |field| field.ident.span());
                errors.push(span, self.missing_field_message(input, spec));
            }
        }
        FieldChecks {
            type_checks,
            bounds,
        }
    }
}

fn find_event<'c>(
    input: &EventInput,
    catalog: &'c Catalog,
    errors: &mut Errors,
) -> Option<&'c EventDef> {
    let (event_type, version) = (input.event_type.as_ref()?, input.version.as_ref()?);
    let (type_value, version_value) = (event_type.value(), version.value());
    let versions: Vec<&EventDef> = catalog
        .events()
        .filter(|event| event.event_type == type_value)
        .collect();
    if versions.is_empty() {
        let hint = nearest(
            &type_value,
            catalog.events().map(|event| event.event_type.as_str()),
        )
        .map(|near| format!(" (did you mean `{near}`?)"))
        .unwrap_or_default();
        errors.push(
            event_type.span(),
            format!(
                "the catalog `{}` has no event `{type_value}`{hint}",
                catalog.name
            ),
        );
        return None;
    }
    match versions
        .iter()
        .find(|event| event.event_version == version_value)
    {
        Some(event) => Some(event),
        None => {
            let known: Vec<&str> = versions
                .iter()
                .map(|event| event.event_version.as_str())
                .collect();
            errors.push(
                version.span(),
                format!(
                    "the catalog `{}` has no version {version_value} of `{type_value}`; it has {}",
                    catalog.name,
                    known.join(", ")
                ),
            );
            None
        }
    }
}

/// The checks of a struct's fields against the catalog's fields of an event's payload or of
/// a nested object.
pub(super) struct Checker<'c> {
    pub catalog: &'c Catalog,
    /// The catalog's fields.
    pub fields: &'c [Field],
    /// What declares them: `` `type` version `` of an event, or `` object `Money` ``.
    pub what: String,
    /// The same, as the owner of the fields: "the catalog's payload of `type` version".
    pub payload: String,
    /// The catalog's path as the user wrote it, for the fixes the messages suggest.
    pub source: String,
}

impl<'c> Checker<'c> {
    /// The checker of an event's payload.
    pub fn event(catalog: &'c Catalog, event: &'c EventDef, source: String) -> Self {
        let what = format!("`{}` {}", event.event_type, event.event_version);
        Checker {
            catalog,
            fields: &event.payload,
            payload: format!("the catalog's payload of {what}"),
            what,
            source,
        }
    }

    fn what(&self) -> String {
        self.what.clone()
    }

    fn unknown_field_message(&self, input: &EventInput, field: &EventField) -> String {
        let names = self.fields.iter().map(|spec| spec.name.as_str());
        let listed: Vec<&str> = self.fields.iter().map(|spec| spec.name.as_str()).collect();
        let hint = match self.rename_all_hint(input, field) {
            Some((rule, renamed)) => format!(
                "; with #[serde(rename_all = \"{}\")] on the struct it would be read as `{renamed}`",
                rule.name()
            ),
            None => did_you_mean(&field.wire_name, names),
        };
        format!(
            "field `{}` is read as `{}` on the wire, which is not in {}{hint}; the catalog's fields are: {}",
            field.name(),
            field.wire_name,
            self.payload,
            listed.join(", ")
        )
    }

    /// The `rename_all` rule that would read `field` (which has no rename of its own) as one
    /// of the catalog's fields, with that name.
    fn rename_all_hint(
        &self,
        input: &EventInput,
        field: &EventField,
    ) -> Option<(RenameRule, String)> {
        let plain = field.name();
        let implicit = input
            .rename_all
            .map_or_else(|| plain.clone(), |rule| rule.apply_to_field(&plain));
        if field.wire_name != implicit {
            return None; // its own #[serde(rename)] decides
        }
        RenameRule::all()
            .filter(|rule| Some(*rule) != input.rename_all)
            .map(|rule| (rule, rule.apply_to_field(&plain)))
            .find(|(_, renamed)| {
                *renamed != field.wire_name && self.fields.iter().any(|spec| spec.name == *renamed)
            })
    }

    fn aggregate_id_message(
        &self,
        input: &EventInput,
        marked: &EventField,
        marked_kind: AggregateIdKind,
        kind: AggregateIdKind,
        wire: &str,
    ) -> String {
        let what = self.what();
        let attribute = match kind {
            AggregateIdKind::Uuid => "#[event(aggregate_id)]",
            AggregateIdKind::NameBased => "#[event(aggregate_id = \"uuid_v5\")]",
        };
        let expected = match kind {
            AggregateIdKind::Uuid => format!("the uuid field `{wire}`"),
            AggregateIdKind::NameBased => format!("the UUID v5 of the string field `{wire}`"),
        };
        if marked.wire_name == wire && marked_kind != kind {
            return format!(
                "the catalog's aggregate id of {what} is {expected}: write {attribute} on this field, or remove the attribute (with a catalog, the catalog's aggregate id is used)"
            );
        }
        let target = input
            .fields
            .iter()
            .find(|field| !field.skip && field.wire_name == wire)
            .map_or_else(
                || format!("the field read as `{wire}`"),
                |field| format!("`{}`", field.name()),
            );
        format!(
            "the catalog's aggregate id of {what} is {expected}, not `{}`: put {attribute} on {target} instead, or remove the attribute (with a catalog, the catalog's aggregate id is used)",
            marked.wire_name
        )
    }

    fn missing_field_message(&self, input: &EventInput, spec: &Field) -> String {
        let rust_name = naming::field_name(&spec.name);
        let plain = rust_name.trim_start_matches("r#");
        let read_as = input
            .rename_all
            .map_or_else(|| plain.to_owned(), |rule| rule.apply_to_field(plain));
        let rename = if read_as == spec.name {
            String::new()
        } else {
            format!("#[serde(rename = \"{}\")] ", spec.name)
        };
        let mut ty = self.rust_type_hint(&spec.ty);
        if spec.optional {
            ty = format!("Option<{ty}>");
        }
        let what = format!(
            "missing field `{}` of {} ({}{})",
            spec.name,
            self.payload,
            if spec.optional {
                "an optional "
            } else {
                "a required "
            },
            spec.ty.describe()
        );
        // A field of that Rust name exists but is skipped or read under another name.
        if let Some(field) = same_name_field(input, spec) {
            if field.skip {
                return format!(
                    "{what}: the struct's field `{plain}` has #[serde(skip)] (or skip_deserializing), so it is not read from the wire"
                );
            }
            let fix = match self.rename_all_hint(input, field) {
                Some((rule, renamed)) if renamed == spec.name => {
                    format!("#[serde(rename_all = \"{}\")] on the struct", rule.name())
                }
                _ => format!("#[serde(rename = \"{}\")] on the field", spec.name),
            };
            return format!(
                "{what}: the struct's field `{plain}` is read as `{}`; read it as `{}` with {fix}",
                field.wire_name, spec.name
            );
        }
        format!("{what}: add `{rename}pub {rust_name}: {ty},`")
    }

    fn rust_type_hint(&self, ty: &TypeExpr) -> String {
        match ty {
            TypeExpr::Uuid => "uuid::Uuid".into(),
            TypeExpr::String => "String".into(),
            TypeExpr::Integer => "i64".into(),
            TypeExpr::Number => "f64".into(),
            TypeExpr::Boolean => "bool".into(),
            TypeExpr::DateTime => "chrono::DateTime<chrono::Utc>".into(),
            TypeExpr::Object => "serde_json::Map<String, serde_json::Value>".into(),
            TypeExpr::Array(item) => format!("Vec<{}>", self.rust_type_hint(item)),
            TypeExpr::Enum(def) => def.name.clone(),
            TypeExpr::Struct(def) => def.name.clone(),
            TypeExpr::Named(name) => name.clone(),
        }
    }

    fn check_optionality(&self, field: &EventField, spec: &Field, errors: &mut Errors) {
        let inner = option_inner(&field.ty);
        if !spec.optional
            && let Some(inner) = inner
        {
            errors.push(
                field.ty.span(),
                format!(
                    "`{}` is required in {}: drop the `Option` and write `{}`",
                    spec.name,
                    self.payload,
                    type_text(inner)
                ),
            );
        } else if spec.optional && inner.is_none() && !field.serde_default {
            let option = format!("Option<{}>", type_text(&field.ty));
            let message = match &spec.default {
                Some(default) => format!(
                    "`{}` is optional in {}, and defaults to {} when absent: make it an `{option}`, or give it #[serde(default = \"...\")] with a function that returns {}",
                    spec.name, self.payload, default, default
                ),
                None => format!(
                    "`{}` is optional in {}: make it an `{option}` (or give it #[serde(default)])",
                    spec.name, self.payload
                ),
            };
            errors.push(field.ty.span(), message);
        }
    }

    /// What a field of catalog type `ty` must hold, named types resolved.
    fn holds(&self, ty: &TypeExpr, spec: &Field) -> Holds {
        self.holds_bounded(ty, spec, (spec.min, spec.max))
    }

    /// [`holds`](Self::holds) within `bounds` (none for array items, which bounds do not
    /// apply to).
    fn holds_bounded(
        &self,
        ty: &TypeExpr,
        spec: &Field,
        bounds: (Option<f64>, Option<f64>),
    ) -> Holds {
        let wire = spec.name.as_str();
        let numeric = || NumericSpec {
            wire: wire.to_owned(),
            what: self.what(),
            min: bounds.0,
            max: bounds.1,
        };
        match ty {
            TypeExpr::Uuid => Holds::Uuid,
            TypeExpr::String => Holds::String,
            TypeExpr::Integer => Holds::Integer(numeric()),
            TypeExpr::Number => Holds::Number(numeric()),
            TypeExpr::Boolean => Holds::Boolean,
            TypeExpr::DateTime => Holds::DateTime,
            TypeExpr::Object => Holds::Object,
            TypeExpr::Struct(def) => self.struct_holds(&def.name, &def.location, wire),
            TypeExpr::Array(item) => {
                Holds::Array(Box::new(self.holds_bounded(item, spec, (None, None))))
            }
            TypeExpr::Enum(def) => self.enum_holds(def, wire),
            TypeExpr::Named(name) => match self.catalog.named_type(name) {
                Some(NamedType {
                    ty: TypeExpr::Enum(def),
                    ..
                }) => self.enum_holds(def, wire),
                Some(named) => self.struct_holds(&named.name, &named.location, wire),
                None => Holds::Object,
            },
        }
    }

    fn struct_holds(&self, name: &str, location: &Location, wire: &str) -> Holds {
        Holds::Struct {
            name: name.to_owned(),
            location: location.to_string(),
            wire: wire.to_owned(),
            what: self.what(),
            others: object_names(self.catalog)
                .into_iter()
                .filter(|other| other != name)
                .collect(),
            source: self.source.clone(),
        }
    }

    fn enum_holds(&self, def: &EnumDef, wire: &str) -> Holds {
        Holds::Enum {
            values: def.values.clone(),
            wire: wire.to_owned(),
            what: self.what(),
            location: def.location.to_string(),
        }
    }
}

/// The width checks of primitive numeric types written by name (`u8`, `Vec<f32>`): the
/// span and message of the first type that cannot hold its catalog field.
fn check_widths(rust: &Type, holds: &Holds) -> Result<(), (Span, String)> {
    match holds {
        Holds::Integer(spec) => widths::primitive(rust)
            .and_then(|name| widths::check_integer(&name, spec))
            .unwrap_or(Ok(()))
            .map_err(|message| (rust.span(), message)),
        Holds::Number(spec) => widths::primitive(rust)
            .and_then(|name| widths::check_number(&name, spec))
            .unwrap_or(Ok(()))
            .map_err(|message| (rust.span(), message)),
        Holds::Array(item) => match item_type(rust) {
            Some(item_rust) => check_widths(item_rust, item),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// `T` in a type written `Collection<T>` (or `Box<[T]>`).
pub(super) fn item_type(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments else {
        return None;
    };
    let mut types = arguments.args.iter().filter_map(|argument| match argument {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    match (types.next()?, types.next()) {
        (Type::Slice(slice), None) => Some(&slice.elem),
        (item, None) => Some(item),
        _ => None,
    }
}

/// The struct's field with the Rust name that the catalog's field would have
/// (`deletion_reason` for `deletionReason`).
fn same_name_field<'a>(input: &'a EventInput, spec: &Field) -> Option<&'a EventField> {
    let rust_name = naming::field_name(&spec.name);
    let plain = rust_name.trim_start_matches("r#");
    input.fields.iter().find(|field| field.name() == plain)
}

/// A type as the user would write it (`Vec<String>`, not `Vec < String >`).
pub(super) fn type_text(ty: &Type) -> String {
    quote!(#ty)
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// `T` when the type is written `Option<T>` (or `core::option::Option<T>`).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}
