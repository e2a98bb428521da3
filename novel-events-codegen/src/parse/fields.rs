//! Payload fields and the types they are written with: `uuid?`, `a|b|c`, `[string]`, a named
//! type, or a mapping with `type:`, `enum:` or `fields:`; defaults and bounds.

use heck::ToUpperCamelCase;

use super::nodes::{boolean, check_keys, check_semver, get, mapping, number, sequence, string};
use crate::diagnostic::{Diagnostics, did_you_mean, shorten};
use crate::model::{Deprecation, EnumDef, Field, Literal, StructDef, TypeExpr};
use crate::yaml::{Entry, Node, Value, is_null};

/// The keys of a field written as a mapping.
const FIELD_KEYS: &[&str] = &[
    "type",
    "enum",
    "fields",
    "name",
    "optional",
    "default",
    "min",
    "max",
    "description",
    "deprecated",
    "removalVersion",
];
/// The keys of an array's item written as a mapping.
const ITEM_KEYS: &[&str] = &["type", "enum", "fields", "name", "description"];

/// A `fields`/`payload` mapping. `owner` names the enclosing type, for error messages.
pub(super) fn fields(node: &Node, owner: &str, diagnostics: &mut Diagnostics) -> Vec<Field> {
    let Some(entries) = mapping(
        node,
        &format!("the fields of `{owner}` (field name → type)"),
        diagnostics,
    ) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| field(entry, diagnostics))
        .collect()
}

fn field(entry: &Entry, diagnostics: &mut Diagnostics) -> Option<Field> {
    let mut field = Field {
        name: entry.key.clone(),
        location: entry.key_location.clone(),
        ty: TypeExpr::Object,
        optional: false,
        default: None,
        min: None,
        max: None,
        description: None,
        deprecated: None,
    };
    let node = &entry.value;
    match &node.value {
        Value::Mapping(body) => {
            let context = format!("field `{}`", entry.key);
            check_keys(body, FIELD_KEYS, &context, diagnostics);
            field.ty = spec_type(body, node, &entry.key, &context, diagnostics)?;
            if let Some(value) = get(body, "optional") {
                field.optional = boolean(value, "`optional`", diagnostics).unwrap_or(false);
            }
            if let Some(value) = get(body, "default") {
                field.default = literal(value, diagnostics);
                field.optional = true;
            }
            field.min = get(body, "min").and_then(|n| number(n, "`min`", diagnostics));
            field.max = get(body, "max").and_then(|n| number(n, "`max`", diagnostics));
            field.description =
                get(body, "description").and_then(|n| string(n, "`description`", diagnostics));
            field.deprecated = deprecation(body, &context, diagnostics);
        }
        _ => {
            let (ty, optional) = type_expr(node, &entry.key, diagnostics)?;
            field.ty = ty;
            field.optional = optional;
        }
    }
    Some(field)
}

/// `deprecated` (true, false or a note) with its `removalVersion`, on a field or an event
/// version; `context` names it (`field `mood``) in errors.
pub(super) fn deprecation(
    body: &[Entry],
    context: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Deprecation> {
    let removal = get(body, "removalVersion");
    let Some(value) = get(body, "deprecated") else {
        if let Some(n) = removal {
            diagnostics.push(
                &n.location,
                "`removalVersion` is only meaningful with `deprecated: true`",
            );
        }
        return None;
    };
    let note = match &value.value {
        Value::Scalar {
            text,
            quoted: false,
        } if text == "true" => Some(None),
        Value::Scalar {
            text,
            quoted: false,
        } if text == "false" => None,
        _ => string(value, "`deprecated` (true or a note)", diagnostics).map(Some),
    }?;
    match removal.and_then(|n| string(n, "`removalVersion`", diagnostics)) {
        Some(version) => {
            if let Some(n) = removal {
                check_semver(&version, &n.location, "`removalVersion`", diagnostics);
            }
            Some(Deprecation {
                note,
                removal_version: version,
            })
        }
        None => {
            diagnostics.push(
                &value.location,
                format!(
                    "deprecated {context} needs `removalVersion: \"x.y.z\"`, the eventVersion that removes it"
                ),
            );
            None
        }
    }
}

/// The type of a field written as a mapping: `type:`, `enum:` or `fields:`.
pub(super) fn spec_type(
    body: &[Entry],
    node: &Node,
    field_name: &str,
    context: &str,
    diagnostics: &mut Diagnostics,
) -> Option<TypeExpr> {
    let type_name = get(body, "name").and_then(|n| string(n, "`name`", diagnostics));
    let description =
        get(body, "description").and_then(|n| string(n, "`description`", diagnostics));
    let inline_name = || {
        type_name
            .clone()
            .unwrap_or_else(|| field_name.to_upper_camel_case())
    };
    let present: Vec<&str> = ["type", "enum", "fields"]
        .into_iter()
        .filter(|key| get(body, key).is_some())
        .collect();
    if present.len() != 1 {
        diagnostics.push(
            &node.location,
            format!(
                "{context} must have exactly one of `type` (uuid, string, integer, number, boolean, datetime, object, [T] or a named type), `enum` (a list of values) or `fields` (a nested object); found {}",
                if present.is_empty() { "none".to_owned() } else { present.join(" and ") }
            ),
        );
        return None;
    }
    if let Some(values) = get(body, "enum") {
        return Some(TypeExpr::Enum(EnumDef {
            name: inline_name(),
            location: node.location.clone(),
            values: enum_values(values, diagnostics),
            description,
        }));
    }
    if let Some(fields_node) = get(body, "fields") {
        let name = inline_name();
        return Some(TypeExpr::Struct(StructDef {
            fields: fields(fields_node, &name, diagnostics),
            name,
            location: node.location.clone(),
            description,
        }));
    }
    if type_name.is_some()
        && let Some(n) = get(body, "name")
    {
        diagnostics.push(
            &n.location,
            "`name` names an inline `enum` or `fields` type; this field has neither",
        );
    }
    let type_node = get(body, "type")?;
    let (ty, optional) = type_expr(type_node, field_name, diagnostics)?;
    if optional {
        diagnostics.push(
            &type_node.location,
            "write `optional: true` instead of a `?` suffix when the field is a mapping",
        );
    }
    Some(ty)
}

/// A type written inline: `uuid`, `uuid?`, `a|b|c`, `HealthStatus`, `[string]`.
/// Returns the type and whether a `?` suffix made it optional.
fn type_expr(
    node: &Node,
    field_name: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(TypeExpr, bool)> {
    match &node.value {
        Value::Sequence(items) => {
            if items.len() != 1 {
                diagnostics.push(
                    &node.location,
                    format!(
                        "an array type is written `[T]` with exactly one item type; found {} items",
                        items.len()
                    ),
                );
                return None;
            }
            let item = &items[0];
            let ty = match &item.value {
                Value::Mapping(body) => {
                    let context = format!("the items of `{field_name}`");
                    check_keys(body, ITEM_KEYS, &context, diagnostics);
                    spec_type(
                        body,
                        item,
                        &format!("{field_name}Item"),
                        &context,
                        diagnostics,
                    )?
                }
                _ => {
                    let (ty, optional) =
                        type_expr(item, &format!("{field_name}Item"), diagnostics)?;
                    if optional {
                        diagnostics.push(
                            &item.location,
                            "array items cannot be optional; make the array field optional instead",
                        );
                    }
                    ty
                }
            };
            Some((TypeExpr::Array(Box::new(ty)), false))
        }
        Value::Mapping(_) => {
            diagnostics.push(&node.location, "expected a type here, found a mapping");
            None
        }
        Value::Scalar { text, quoted } => {
            if !quoted && is_null(text) {
                diagnostics.push(
                    &node.location,
                    format!("field `{field_name}` has no type: expected uuid, string, integer, number, boolean, datetime, object, [T], `a|b|c` or a named type"),
                );
                return None;
            }
            let (text, optional) = match text.strip_suffix('?') {
                Some(rest) => (rest.trim(), true),
                None => (text.trim(), false),
            };
            if text.contains('|') {
                let values: Vec<String> = text
                    .split('|')
                    .map(|value| value.trim().to_owned())
                    .collect();
                if values.iter().any(String::is_empty) {
                    diagnostics.push(
                        &node.location,
                        format!("enum `{text}` has an empty value between its `|` separators"),
                    );
                }
                return Some((
                    TypeExpr::Enum(EnumDef {
                        name: field_name.to_upper_camel_case(),
                        location: node.location.clone(),
                        values,
                        description: None,
                    }),
                    optional,
                ));
            }
            let ty = match text {
                "uuid" => TypeExpr::Uuid,
                "string" => TypeExpr::String,
                "integer" => TypeExpr::Integer,
                "number" => TypeExpr::Number,
                "boolean" => TypeExpr::Boolean,
                "datetime" => TypeExpr::DateTime,
                "object" => TypeExpr::Object,
                "array" => {
                    diagnostics.push(
                        &node.location,
                        format!("`array` needs an item type: write `{field_name}: [string]` (or `[uuid]`, `[integer]`, ...)"),
                    );
                    return None;
                }
                other if other.starts_with(|c: char| c.is_ascii_uppercase()) => {
                    TypeExpr::Named(other.to_owned())
                }
                other => {
                    diagnostics.push(
                        &node.location,
                        format!(
                            "unknown field type `{}`: expected uuid, string, integer, number, boolean, datetime, object, [T], `a|b|c` or a named type{}",
                            shorten(other),
                            did_you_mean(other, TypeExpr::PRIMITIVES)
                        ),
                    );
                    return None;
                }
            };
            Some((ty, optional))
        }
    }
}

pub(super) fn enum_values(node: &Node, diagnostics: &mut Diagnostics) -> Vec<String> {
    sequence(node, "`enum` (a list of string values)", diagnostics)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| string(item, "an enum value", diagnostics))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn literal(node: &Node, diagnostics: &mut Diagnostics) -> Option<Literal> {
    match &node.value {
        Value::Scalar { text, quoted: true } => Some(Literal::String(text.clone())),
        Value::Scalar {
            text,
            quoted: false,
        } => Some(match text.as_str() {
            "true" => Literal::Boolean(true),
            "false" => Literal::Boolean(false),
            _ => {
                if let Ok(integer) = text.parse::<i64>() {
                    Literal::Integer(integer)
                } else if let Ok(float) = text.parse::<f64>() {
                    if !float.is_finite() {
                        diagnostics.push(
                            &node.location,
                            format!(
                                "the default `{}` is not a finite number: expected a number within the range of a 64-bit float",
                                shorten(text)
                            ),
                        );
                        return None;
                    }
                    Literal::Number(float)
                } else if is_null(text) {
                    diagnostics.push(
                        &node.location,
                        "`default: null` is the same as `optional: true`; write that instead",
                    );
                    return None;
                } else {
                    Literal::String(text.clone())
                }
            }
        }),
        Value::Sequence(items) if items.is_empty() => Some(Literal::EmptyArray),
        Value::Mapping(entries) if entries.is_empty() => Some(Literal::EmptyObject),
        _ => {
            diagnostics.push(&node.location, "a `default` is a scalar, `[]` or `{}`");
            None
        }
    }
}
