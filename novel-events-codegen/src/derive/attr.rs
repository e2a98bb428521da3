//! `#[event(...)]` attributes of `#[derive(Event)]`: parsed into [`EventInput`], every mistake
//! collected with its span.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Expr, ExprLit, Fields, Ident, Lit, LitStr, Type};

use super::errors::Errors;
use super::serde_names::{RenameRule, serde_names, skip_value};
use crate::diagnostic::did_you_mean;
use crate::model::Category;

/// The keys of `#[event(...)]` on the struct.
pub const STRUCT_KEYS: &[&str] = &[
    "type",
    "version",
    "aggregate",
    "catalog",
    "category",
    "description",
    "subscribers",
    "object",
];

/// The keys of `#[event(...)]` on a field.
pub const FIELD_KEYS: &[&str] = &["aggregate_id"];

/// A struct deriving `Event`, as far as it could be read.
pub struct EventInput {
    /// The struct's name.
    pub ident: Ident,
    /// `type = "domain.aggregate.action"`.
    pub event_type: Option<LitStr>,
    /// `version = "1.0.0"`.
    pub version: Option<LitStr>,
    /// `aggregate = "Character"`.
    pub aggregate: Option<LitStr>,
    /// `catalog = "path.yaml"`.
    pub catalog: Option<LitStr>,
    /// `object = "Money"`: the catalog object a `#[derive(EventObject)]` struct stands for.
    pub object: Option<LitStr>,
    /// `category = "domain"`.
    pub category: Option<(Category, Span)>,
    /// `description = "..."`, or the doc comment.
    pub description: String,
    /// `subscribers = ["Service (purpose)", ...]`: (service, purpose).
    pub subscribers: Vec<(String, String)>,
    /// Where `subscribers = [...]` is written.
    pub subscribers_span: Option<Span>,
    /// The named fields.
    pub fields: Vec<EventField>,
    /// The container's serde `rename_all`.
    pub rename_all: Option<RenameRule>,
}

/// How a field gives the aggregate id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateIdKind {
    /// `#[event(aggregate_id)]` on a uuid field.
    Uuid,
    /// `#[event(aggregate_id = "uuid_v5")]` on a string field: its UUID v5.
    NameBased,
}

/// One named field.
pub struct EventField {
    /// The Rust name.
    pub ident: Ident,
    /// The Rust type.
    pub ty: Type,
    /// The name serde reads on the wire.
    pub wire_name: String,
    /// `#[serde(skip)]` or `skip_deserializing`.
    pub skip: bool,
    /// `#[serde(flatten)]`.
    pub flatten: bool,
    /// `#[serde(default)]`.
    pub serde_default: bool,
    /// `#[event(aggregate_id)]`, with the span of the attribute.
    pub aggregate_id: Option<(AggregateIdKind, Span)>,
}

impl EventField {
    /// `ident` without a raw prefix.
    pub fn name(&self) -> String {
        let name = self.ident.to_string();
        name.trim_start_matches("r#").to_owned()
    }
}

/// Reads the input; mistakes go to `errors`. `None` when the input is not a struct with
/// named fields.
pub fn parse(input: &DeriveInput, errors: &mut Errors) -> Option<EventInput> {
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => fields,
            Fields::Unnamed(_) => {
                errors.push(
                    input.ident.span(),
                    "#[derive(Event)] needs a struct with named fields: a tuple struct has no field names to put on the wire",
                );
                return None;
            }
            Fields::Unit => {
                errors.push(
                    input.ident.span(),
                    "#[derive(Event)] needs a struct with named fields; for an event without data write `struct Name {}`",
                );
                return None;
            }
        },
        Data::Enum(data) => {
            errors.push(
                data.enum_token.span(),
                "#[derive(Event)] is for structs with named fields (one event type); to route several event types, use #[derive(EventSet)] on an enum of them",
            );
            return None;
        }
        Data::Union(data) => {
            errors.push(
                data.union_token.span(),
                "#[derive(Event)] is for structs with named fields, not unions",
            );
            return None;
        }
    };
    if let Some(param) = input.generics.params.first() {
        errors.push(
            param.span(),
            "#[derive(Event)] does not support generic structs: an event type is one concrete wire schema",
        );
    }
    let container = serde_names(&input.attrs).unwrap_or_else(|error| {
        errors.push_error(error);
        Default::default()
    });
    let mut parsed = EventInput {
        ident: input.ident.clone(),
        event_type: None,
        version: None,
        aggregate: None,
        catalog: None,
        object: None,
        category: None,
        description: doc_comment(&input.attrs),
        subscribers: Vec::new(),
        subscribers_span: None,
        fields: Vec::new(),
        rename_all: container.rename_all,
    };
    let mut seen: Vec<String> = Vec::new();
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("event"))
    {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if seen.contains(&key) {
                errors.push(meta.path.span(), format!("`{key}` is given twice in #[event(...)]; keep one"));
            }
            seen.push(key.clone());
            match key.as_str() {
                "type" => parsed.event_type = Some(meta.value()?.parse()?),
                "version" => parsed.version = Some(meta.value()?.parse()?),
                "aggregate" => parsed.aggregate = Some(meta.value()?.parse()?),
                "catalog" => parsed.catalog = Some(meta.value()?.parse()?),
                "object" => parsed.object = Some(meta.value()?.parse()?),
                "description" => parsed.description = meta.value()?.parse::<LitStr>()?.value(),
                "category" => {
                    let literal: LitStr = meta.value()?.parse()?;
                    let value = literal.value();
                    match Category::ALL.iter().find(|(name, _)| *name == value) {
                        Some((_, category)) => parsed.category = Some((*category, literal.span())),
                        None => errors.push(
                            literal.span(),
                            format!(
                                "unknown category `{value}`: expected one of command, domain, integration, system, notification{}",
                                did_you_mean(&value, Category::ALL.iter().map(|(name, _)| *name))
                            ),
                        ),
                    }
                }
                "subscribers" => {
                    parsed.subscribers_span = Some(meta.path.span());
                    let value = meta.value()?;
                    if value.peek(syn::token::Bracket) {
                        let content;
                        syn::bracketed!(content in value);
                        let list = Punctuated::<LitStr, syn::Token![,]>::parse_terminated(&content)?;
                        parsed.subscribers = subscribers(&list, errors);
                    } else {
                        let wrong: proc_macro2::TokenTree = value.parse()?;
                        errors.push(
                            wrong.span(),
                            "`subscribers` is a list of strings: `subscribers = [\"Memory Service (initialize memory)\"]`",
                        );
                    }
                }
                _ => {
                    errors.push(
                        meta.path.span(),
                        format!(
                            "unknown key `{key}` in #[event(...)]{}; expected one of: {}",
                            did_you_mean(&key, STRUCT_KEYS.iter().copied()),
                            STRUCT_KEYS.join(", ")
                        ),
                    );
                    skip_value(&meta)?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push_error(error);
        }
    }
    for field in &fields.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let names = serde_names(&field.attrs).unwrap_or_else(|error| {
            errors.push_error(error);
            Default::default()
        });
        let plain = ident.to_string().trim_start_matches("r#").to_owned();
        let wire_name = match (&names.rename, parsed.rename_all) {
            (Some(rename), _) => rename.clone(),
            (None, Some(rule)) => rule.apply_to_field(&plain),
            (None, None) => plain,
        };
        let mut aggregate_id = None;
        for attr in field
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("event"))
        {
            let result = attr.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                if key == "aggregate_id" {
                    if aggregate_id.is_some() {
                        errors.push(meta.path.span(), "`aggregate_id` is given twice on this field");
                    }
                    let kind = if meta.input.peek(syn::Token![=]) {
                        let literal: LitStr = meta.value()?.parse()?;
                        if literal.value() == "uuid_v5" {
                            AggregateIdKind::NameBased
                        } else {
                            errors.push(
                                literal.span(),
                                format!(
                                    "unknown aggregate id derivation `{}`: write `#[event(aggregate_id)]` on a uuid field, or `#[event(aggregate_id = \"uuid_v5\")]` on a string field whose UUID v5 is the id",
                                    literal.value()
                                ),
                            );
                            AggregateIdKind::Uuid
                        }
                    } else {
                        AggregateIdKind::Uuid
                    };
                    aggregate_id = Some((kind, meta.path.span()));
                } else {
                    errors.push(
                        meta.path.span(),
                        format!(
                            "unknown key `{key}` in a field's #[event(...)]{}; a field takes only `aggregate_id` (or `aggregate_id = \"uuid_v5\"`)",
                            did_you_mean(&key, FIELD_KEYS.iter().copied())
                        ),
                    );
                    skip_value(&meta)?;
                }
                Ok(())
            });
            if let Err(error) = result {
                errors.push_error(error);
            }
        }
        parsed.fields.push(EventField {
            ident,
            ty: field.ty.clone(),
            wire_name,
            skip: names.skip,
            flatten: names.flatten,
            // A container's #[serde(default)] fills every absent field.
            serde_default: names.default || container.default,
            aggregate_id,
        });
    }
    Some(parsed)
}

/// The `///` doc comment, lines joined with spaces and trimmed.
fn doc_comment(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
        if let syn::Meta::NameValue(name_value) = &attr.meta
            && let Expr::Lit(ExprLit {
                lit: Lit::Str(text),
                ..
            }) = &name_value.value
        {
            lines.push(text.value().trim().to_owned());
        }
    }
    lines.join(" ").trim().to_owned()
}

/// `["Memory Service (initialize memory)", "Audit Log"]`.
fn subscribers(
    list: &Punctuated<LitStr, syn::Token![,]>,
    errors: &mut Errors,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for text in list {
        let value = text.value();
        let (service, purpose) = match value.split_once('(') {
            Some((service, rest)) if rest.ends_with(')') => (
                service.trim().to_owned(),
                rest[..rest.len() - 1].trim().to_owned(),
            ),
            _ => (value.trim().to_owned(), String::new()),
        };
        if service.is_empty() {
            errors.push(
                text.span(),
                "a subscriber needs a service name: \"Memory Service (purpose)\"",
            );
        } else {
            out.push((service, purpose));
        }
    }
    out
}
