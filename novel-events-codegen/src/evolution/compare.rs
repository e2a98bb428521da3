//! The structural comparison of two versions of an event under the wire semantics of
//! `novel-events` (its decoding core, `novel_events::codec`):
//!
//! - a reader ignores fields it does not declare;
//! - an optional field may be absent (or null), and writers omit it when it is `None`;
//! - a defaulted field is always written, and filled with its default when absent;
//! - enums are closed: a reader refuses a value it does not list;
//! - `min`/`max` are enforced on decoding;
//! - `number` reads integers, `string` reads any uuid or timestamp or enum value, `object`
//!   reads any object: each is wider than the type it reads.
//!
//! Named types are compared structurally, once per pair of names ([`Comparer`] keeps the
//! result), so a type graph with shared types costs time linear in its size, never a walk of
//! every path through it.

use std::collections::HashMap;
use std::rc::Rc;

use super::change::{Change, ChangeKind};
use crate::diagnostic::Location;
use crate::model::{Catalog, EnumDef, EventDef, Field, Literal, TypeExpr};

/// A declared rename: the field's path in the older version, and in the newer one.
pub(crate) type Rename = (String, String);

/// Compares versions of events of an older and a newer catalog (the same catalog when the
/// versions of one file are compared).
pub(crate) struct Comparer<'a> {
    old: &'a Catalog,
    new: &'a Catalog,
    /// The changes between two named types (older name, newer name), with paths relative to
    /// the type.
    named: HashMap<(String, String), Rc<Sink>>,
}

/// What a comparison found: its changes, and the pairs of named types it reached (compared
/// separately, once each).
#[derive(Default)]
struct Sink {
    changes: Vec<Change>,
    refs: Vec<NamedRef>,
}

/// A pair of named types reached at a path.
struct NamedRef {
    old_path: String,
    new_path: String,
    old: String,
    new: String,
}

/// Where a field or a type stands in each version.
#[derive(Clone, Copy)]
struct Places<'p> {
    old: &'p Location,
    new: &'p Location,
}

/// How a field may be absent.
#[derive(Clone, Copy, PartialEq)]
enum Presence<'f> {
    Required,
    Optional,
    Defaulted(&'f Literal),
}

impl<'f> Presence<'f> {
    fn of(field: &'f Field) -> Self {
        match (&field.default, field.optional) {
            (Some(default), _) => Presence::Defaulted(default),
            (None, true) => Presence::Optional,
            (None, false) => Presence::Required,
        }
    }
}

impl<'a> Comparer<'a> {
    /// A comparer of events of `old` with events of `new`.
    pub(crate) fn new(old: &'a Catalog, new: &'a Catalog) -> Self {
        Self {
            old,
            new,
            named: HashMap::new(),
        }
    }

    /// Every change from `old` to `new`, with `renames` (older path, newer path) applied.
    pub(crate) fn events(
        &mut self,
        old: &EventDef,
        new: &EventDef,
        renames: &[Rename],
    ) -> Vec<Change> {
        let mut out = Sink::default();
        let places = Places {
            old: &old.spans.payload,
            new: &new.spans.payload,
        };
        self.fields(
            &old.payload,
            &new.payload,
            "",
            "",
            places,
            renames,
            &mut out,
        );
        // Each pair of named types reached is compared once, and its changes are reported
        // once, at the first path that reached it: the list stays linear in the catalog
        // however its types are shared.
        let mut changes = out.changes;
        let mut queue = std::collections::VecDeque::from(out.refs);
        let mut seen = std::collections::HashSet::new();
        while let Some(reference) = queue.pop_front() {
            if !seen.insert((reference.old.clone(), reference.new.clone())) {
                continue;
            }
            let named = self.named(&reference.old, &reference.new);
            changes.extend(named.changes.iter().map(|change| {
                Change {
                    path: join(&reference.new_path, &change.path),
                    renamed_from: change
                        .renamed_from
                        .as_ref()
                        .map(|from| join(&reference.old_path, from)),
                    ..change.clone()
                }
            }));
            queue.extend(named.refs.iter().map(|inner| NamedRef {
                old_path: join(&reference.old_path, &inner.old_path),
                new_path: join(&reference.new_path, &inner.new_path),
                old: inner.old.clone(),
                new: inner.new.clone(),
            }));
        }
        changes
    }

    #[allow(clippy::too_many_arguments)]
    fn fields(
        &mut self,
        old: &[Field],
        new: &[Field],
        old_prefix: &str,
        new_prefix: &str,
        owners: Places<'_>,
        renames: &[Rename],
        out: &mut Sink,
    ) {
        let mut matched = vec![false; old.len()];
        for field in new {
            let new_path = join(new_prefix, &field.name);
            // A declared rename applies when its `from` is a field of the older version;
            // otherwise the field is matched by name (and the change log reports the rename
            // that did not happen).
            let renamed_from = renames
                .iter()
                .find(|(from, to)| {
                    *to == new_path
                        && old
                            .iter()
                            .any(|candidate| join(old_prefix, &candidate.name) == *from)
                })
                .map(|(from, _)| from.as_str());
            let found = old
                .iter()
                .enumerate()
                .find(|(_, candidate)| match renamed_from {
                    Some(from) => join(old_prefix, &candidate.name) == from,
                    None => candidate.name == field.name,
                });
            match found {
                Some((index, previous)) => {
                    matched[index] = true;
                    let old_path = join(old_prefix, &previous.name);
                    self.field(previous, field, &old_path, &new_path, renames, out);
                }
                None => {
                    let presence = Presence::of(field);
                    out.changes.push(Change {
                        optional: Some(presence != Presence::Required),
                        breaks_backward: (presence == Presence::Required).then(|| {
                            format!("a newer reader requires `{new_path}`, which older events do not carry")
                        }),
                        ..change(
                            ChangeKind::FieldAdded,
                            &new_path,
                            describe_field(field),
                            owners.old,
                            &field.location,
                        )
                    });
                }
            }
        }
        for (field, _) in old.iter().zip(matched).filter(|(_, matched)| !matched) {
            let old_path = join(old_prefix, &field.name);
            out.changes.push(Change {
                removal_version: field
                    .deprecated
                    .as_ref()
                    .map(|deprecation| deprecation.removal_version.clone()),
                breaks_forward: (Presence::of(field) == Presence::Required).then(|| {
                    format!(
                        "an older reader requires `{old_path}`, which newer events do not carry"
                    )
                }),
                ..change(
                    ChangeKind::FieldRemoved,
                    &old_path,
                    describe_field(field),
                    &field.location,
                    owners.new,
                )
            });
        }
    }

    fn field(
        &mut self,
        old: &Field,
        new: &Field,
        old_path: &str,
        new_path: &str,
        renames: &[Rename],
        out: &mut Sink,
    ) {
        let places = Places {
            old: &old.location,
            new: &new.location,
        };
        let (was, is) = (Presence::of(old), Presence::of(new));
        if old_path != new_path {
            out.changes.push(Change {
                renamed_from: Some(old_path.to_owned()),
                breaks_backward: (is == Presence::Required).then(|| {
                    format!("a newer reader requires `{new_path}`, which older events carry as `{old_path}`")
                }),
                breaks_forward: (was == Presence::Required).then(|| {
                    format!("an older reader requires `{old_path}`, which newer events carry as `{new_path}`")
                }),
                ..change(ChangeKind::FieldRenamed, new_path, String::new(), places.old, places.new)
            });
        }
        match (was, is) {
            (Presence::Required, Presence::Optional) => out.changes.push(Change {
                breaks_forward: Some(format!(
                    "newer writers may omit `{new_path}`, which an older reader requires"
                )),
                ..change(
                    ChangeKind::FieldMadeOptional,
                    new_path,
                    String::new(),
                    places.old,
                    places.new,
                )
            }),
            (Presence::Required, Presence::Defaulted(default)) => out.changes.push(change(
                ChangeKind::FieldMadeOptional,
                new_path,
                format!("default {}", default),
                places.old,
                places.new,
            )),
            (Presence::Optional, Presence::Required) => out.changes.push(Change {
                breaks_backward: Some(format!(
                    "older events may lack `{new_path}`, which a newer reader requires"
                )),
                ..change(
                    ChangeKind::FieldMadeRequired,
                    new_path,
                    String::new(),
                    places.old,
                    places.new,
                )
            }),
            // Older writers always wrote a defaulted field.
            (Presence::Defaulted(_), Presence::Required) => out.changes.push(change(
                ChangeKind::FieldMadeRequired,
                new_path,
                String::new(),
                places.old,
                places.new,
            )),
            (Presence::Optional, Presence::Defaulted(_))
            | (Presence::Defaulted(_), Presence::Optional) => out.changes.push(change(
                ChangeKind::DefaultChanged,
                new_path,
                format!("{} → {}", show_presence(was), show_presence(is)),
                places.old,
                places.new,
            )),
            (Presence::Defaulted(a), Presence::Defaulted(b)) if a != b => out.changes.push(change(
                ChangeKind::DefaultChanged,
                new_path,
                format!("{} → {}", a, b),
                places.old,
                places.new,
            )),
            _ => {}
        }
        if let Some(deprecation) = &new.deprecated
            && old.deprecated.as_ref().map(|d| &d.removal_version)
                != Some(&deprecation.removal_version)
        {
            out.changes.push(Change {
                removal_version: Some(deprecation.removal_version.clone()),
                ..change(
                    ChangeKind::FieldDeprecated,
                    new_path,
                    format!("removal in {}", deprecation.removal_version),
                    places.old,
                    places.new,
                )
            });
        }
        let before = out.changes.len();
        self.types(&old.ty, &new.ty, old_path, new_path, places, renames, out);
        let retyped = out.changes[before..]
            .iter()
            .any(|change| change.kind == ChangeKind::TypeChanged && change.path == new_path);
        if !retyped {
            bounds(old, new, new_path, places, out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn types(
        &mut self,
        old: &TypeExpr,
        new: &TypeExpr,
        old_path: &str,
        new_path: &str,
        places: Places<'_>,
        renames: &[Rename],
        out: &mut Sink,
    ) {
        match (old, new) {
            (TypeExpr::Named(a), TypeExpr::Named(b)) => {
                if std::ptr::eq(self.old, self.new) && a == b {
                    return;
                }
                out.refs.push(NamedRef {
                    old_path: old_path.to_owned(),
                    new_path: new_path.to_owned(),
                    old: a.clone(),
                    new: b.clone(),
                });
            }
            (TypeExpr::Named(a), _) => {
                if let Some(named) = self.old.named_type(a) {
                    let places = Places {
                        old: &named.location,
                        new: places.new,
                    };
                    self.types(&named.ty, new, old_path, new_path, places, renames, out);
                }
            }
            (_, TypeExpr::Named(b)) => {
                if let Some(named) = self.new.named_type(b) {
                    let places = Places {
                        old: places.old,
                        new: &named.location,
                    };
                    self.types(old, &named.ty, old_path, new_path, places, renames, out);
                }
            }
            (TypeExpr::Enum(a), TypeExpr::Enum(b)) => enum_values(a, b, new_path, places, out),
            (TypeExpr::Struct(a), TypeExpr::Struct(b)) => {
                let owners = Places {
                    old: &a.location,
                    new: &b.location,
                };
                self.fields(
                    &a.fields, &b.fields, old_path, new_path, owners, renames, out,
                );
            }
            (TypeExpr::Array(a), TypeExpr::Array(b)) => {
                let (old_items, new_items) = (format!("{old_path}[]"), format!("{new_path}[]"));
                self.types(a, b, &old_items, &new_items, places, renames, out);
            }
            (a, b) if same_primitive(a, b) => {}
            (a, b) => {
                let (was, is) = (a.describe(), b.describe());
                out.changes.push(Change {
                    breaks_backward: (!reads_all_of(b, a)).then(|| {
                        format!("a newer reader of `{new_path}` expects {is}, and older events hold {was}")
                    }),
                    breaks_forward: (!reads_all_of(a, b)).then(|| {
                        format!("an older reader of `{new_path}` expects {was}, and newer events hold {is}")
                    }),
                    ..change(ChangeKind::TypeChanged, new_path, format!("{was} → {is}"), places.old, places.new)
                });
            }
        }
    }

    /// The changes between two named types, computed once per pair.
    fn named(&mut self, old: &str, new: &str) -> Rc<Sink> {
        let key = (old.to_owned(), new.to_owned());
        if let Some(changes) = self.named.get(&key) {
            return Rc::clone(changes);
        }
        let mut changes = Sink::default();
        if let (Some(a), Some(b)) = (self.old.named_type(old), self.new.named_type(new)) {
            let places = Places {
                old: &a.location,
                new: &b.location,
            };
            self.types(&a.ty, &b.ty, "", "", places, &[], &mut changes);
        }
        let changes = Rc::new(changes);
        self.named.insert(key, Rc::clone(&changes));
        changes
    }
}

fn enum_values(old: &EnumDef, new: &EnumDef, path: &str, places: Places<'_>, out: &mut Sink) {
    let added: Vec<String> = new
        .values
        .iter()
        .filter(|value| !old.values.contains(value))
        .cloned()
        .collect();
    let removed: Vec<String> = old
        .values
        .iter()
        .filter(|value| !new.values.contains(value))
        .cloned()
        .collect();
    if !added.is_empty() {
        let list = quote_list(&added);
        out.changes.push(Change {
            breaks_forward: Some(format!(
                "an older reader of `{path}` refuses the new values {list}"
            )),
            values: added,
            ..change(
                ChangeKind::EnumValuesAdded,
                path,
                list.clone(),
                places.old,
                places.new,
            )
        });
    }
    if !removed.is_empty() {
        let list = quote_list(&removed);
        out.changes.push(Change {
            breaks_backward: Some(format!(
                "older events may hold {list} in `{path}`, which a newer reader refuses"
            )),
            values: removed,
            ..change(
                ChangeKind::EnumValuesRemoved,
                path,
                list.clone(),
                places.old,
                places.new,
            )
        });
    }
}

/// `min`/`max` narrowed (older values refused now) and widened (newer values refused by older
/// readers); both when the range moved.
fn bounds(old: &Field, new: &Field, path: &str, places: Places<'_>, out: &mut Sink) {
    // A missing lower bound is -inf, a missing upper bound +inf.
    let low = |bound: Option<f64>| bound.unwrap_or(f64::NEG_INFINITY);
    let high = |bound: Option<f64>| bound.unwrap_or(f64::INFINITY);
    let narrowed = low(new.min) > low(old.min) || high(new.max) < high(old.max);
    let widened = low(new.min) < low(old.min) || high(new.max) > high(old.max);
    let detail = format!(
        "{} → {}",
        show_range(old.min, old.max),
        show_range(new.min, new.max)
    );
    if narrowed {
        out.changes.push(Change {
            breaks_backward: Some(format!(
                "older events may hold values of `{path}` that the newer bounds refuse ({detail})"
            )),
            ..change(
                ChangeKind::BoundsNarrowed,
                path,
                detail.clone(),
                places.old,
                places.new,
            )
        });
    }
    if widened {
        out.changes.push(Change {
            breaks_forward: Some(format!(
                "newer events may hold values of `{path}` that the older bounds refuse ({detail})"
            )),
            ..change(
                ChangeKind::BoundsWidened,
                path,
                detail,
                places.old,
                places.new,
            )
        });
    }
}

/// A change that breaks nothing; callers fill in what it breaks.
fn change(
    kind: ChangeKind,
    path: &str,
    detail: String,
    old_location: &Location,
    new_location: &Location,
) -> Change {
    Change {
        kind,
        path: path.to_owned(),
        detail,
        values: Vec::new(),
        optional: None,
        removal_version: None,
        renamed_from: None,
        old_location: old_location.clone(),
        new_location: new_location.clone(),
        breaks_backward: None,
        breaks_forward: None,
    }
}

/// `prefix.name`, or `name` at the top.
fn join(prefix: &str, name: &str) -> String {
    match (prefix.is_empty(), name.is_empty()) {
        (true, _) => name.to_owned(),
        (_, true) => prefix.to_owned(),
        _ if name.starts_with("[]") => format!("{prefix}{name}"),
        _ => format!("{prefix}.{name}"),
    }
}

fn same_primitive(a: &TypeExpr, b: &TypeExpr) -> bool {
    matches!(
        (a, b),
        (TypeExpr::Uuid, TypeExpr::Uuid)
            | (TypeExpr::String, TypeExpr::String)
            | (TypeExpr::Integer, TypeExpr::Integer)
            | (TypeExpr::Number, TypeExpr::Number)
            | (TypeExpr::Boolean, TypeExpr::Boolean)
            | (TypeExpr::DateTime, TypeExpr::DateTime)
            | (TypeExpr::Object, TypeExpr::Object)
    )
}

/// Whether a reader of `reader` accepts every value a writer of `writer` writes, for two
/// different types (named types already resolved by the caller).
fn reads_all_of(reader: &TypeExpr, writer: &TypeExpr) -> bool {
    matches!(
        (reader, writer),
        (TypeExpr::Number, TypeExpr::Integer)
            | (TypeExpr::String, TypeExpr::Uuid)
            | (TypeExpr::String, TypeExpr::DateTime)
            | (TypeExpr::String, TypeExpr::Enum(_))
            | (TypeExpr::Object, TypeExpr::Struct(_))
    )
}

fn describe_field(field: &Field) -> String {
    let presence = show_presence(Presence::of(field));
    format!("{}, {presence}", field.ty.describe())
}

fn show_presence(presence: Presence<'_>) -> String {
    match presence {
        Presence::Required => "required".to_owned(),
        Presence::Optional => "optional".to_owned(),
        Presence::Defaulted(default) => format!("default {}", default),
    }
}

fn show_range(min: Option<f64>, max: Option<f64>) -> String {
    let show = |bound: Option<f64>| bound.map_or_else(|| "none".to_owned(), |b| b.to_string());
    format!("min {}, max {}", show(min), show(max))
}

fn quote_list(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
