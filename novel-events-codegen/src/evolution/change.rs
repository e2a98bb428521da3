//! What differs between two versions of an event: [`Change`]s, their [`ChangeKind`], and the
//! [`Verdict`] they add up to.

use std::fmt;

use crate::diagnostic::Location;
use crate::model::CompatibilityMode;

/// The kinds of change between two versions of an event. Each has a catalog spelling, the one
/// a `changes:` list uses (`type: field-added`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ChangeKind {
    /// A field the older version does not have.
    FieldAdded,
    /// A field the newer version does not have.
    FieldRemoved,
    /// A field declared renamed (`field-renamed` with `from` and `to` in `changes:`).
    FieldRenamed,
    /// A field newly deprecated, or whose `removalVersion` changed.
    FieldDeprecated,
    /// A field whose type changed (`integer` to `number`, `uuid` to `string`, ...).
    TypeChanged,
    /// Values added to an enum.
    EnumValuesAdded,
    /// Values removed from an enum.
    EnumValuesRemoved,
    /// A `min`/`max` that now refuses values the older version accepted.
    BoundsNarrowed,
    /// A `min`/`max` that now accepts values the older version refused.
    BoundsWidened,
    /// A required field that may now be absent (`optional` or a `default`).
    FieldMadeOptional,
    /// A field that could be absent and is now required.
    FieldMadeRequired,
    /// A `default` added, removed or changed on a field that may be absent either way.
    DefaultChanged,
}

impl ChangeKind {
    /// Every kind with its catalog spelling.
    pub const ALL: &'static [(&'static str, ChangeKind)] = &[
        ("field-added", ChangeKind::FieldAdded),
        ("field-removed", ChangeKind::FieldRemoved),
        ("field-renamed", ChangeKind::FieldRenamed),
        ("field-deprecated", ChangeKind::FieldDeprecated),
        ("type-changed", ChangeKind::TypeChanged),
        ("enum-values-added", ChangeKind::EnumValuesAdded),
        ("enum-values-removed", ChangeKind::EnumValuesRemoved),
        ("bounds-narrowed", ChangeKind::BoundsNarrowed),
        ("bounds-widened", ChangeKind::BoundsWidened),
        ("field-made-optional", ChangeKind::FieldMadeOptional),
        ("field-made-required", ChangeKind::FieldMadeRequired),
        ("default-changed", ChangeKind::DefaultChanged),
    ];

    /// The kind a catalog spelling names, if any.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, kind)| *kind)
    }

    /// The catalog spelling (`field-added`).
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, kind)| *kind == self)
            .map_or("type-changed", |(name, _)| name)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between an older and a newer version of an event, with what it breaks.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// The field's path in the newer version (in the older one for a removal):
    /// `mood`, `traits.openness`, `steps[].name`; empty for the payload itself.
    pub path: String,
    /// A short description (`integer → number`, "`sad`, `angry`").
    pub detail: String,
    /// The enum values added or removed.
    pub values: Vec<String>,
    /// For `field-added`: whether the new field may be absent (optional or defaulted).
    pub optional: Option<bool>,
    /// For `field-deprecated`: the field's `removalVersion`.
    pub removal_version: Option<String>,
    /// For `field-renamed`: the field's path in the older version.
    pub renamed_from: Option<String>,
    /// Where the change stands in the older version (the field, or the object that held it).
    pub old_location: Location,
    /// Where it stands in the newer version (the field, or the object that no longer holds it).
    pub new_location: Location,
    /// Why a reader of the newer version cannot read events of the older one, when it cannot.
    pub breaks_backward: Option<String>,
    /// Why a reader of the older version cannot read events of the newer one, when it cannot.
    pub breaks_forward: Option<String>,
}

impl Change {
    /// `kind` of `path`, with its detail: "type-changed `age` (integer → number)".
    pub fn describe(&self) -> String {
        let what = match &self.renamed_from {
            Some(from) => format!("{} `{from}` → `{}`", self.kind, self.path),
            None if self.path.is_empty() => format!("{} of the payload", self.kind),
            None => format!("{} `{}`", self.kind, self.path),
        };
        if self.detail.is_empty() {
            what
        } else {
            format!("{what} ({})", self.detail)
        }
    }
}

/// Whether readers of one version read events of another, in each direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verdict {
    /// A reader of the newer version reads every event of the older one.
    pub backward: bool,
    /// A reader of the older version reads every event of the newer one.
    pub forward: bool,
}

impl Verdict {
    /// The verdict of a list of changes.
    pub fn of(changes: &[Change]) -> Self {
        Self {
            backward: changes
                .iter()
                .all(|change| change.breaks_backward.is_none()),
            forward: changes.iter().all(|change| change.breaks_forward.is_none()),
        }
    }

    /// Whether these changes keep what `mode` promises (transitivity aside: the verdict is of
    /// one pair of versions).
    pub fn satisfies(self, mode: CompatibilityMode) -> bool {
        (self.backward || !mode.promises_backward()) && (self.forward || !mode.promises_forward())
    }

    /// The strongest non-transitive mode these changes keep: `full`, `backward`, `forward`
    /// or `none`.
    pub fn strongest(self) -> CompatibilityMode {
        match (self.backward, self.forward) {
            (true, true) => CompatibilityMode::Full,
            (true, false) => CompatibilityMode::Backward,
            (false, true) => CompatibilityMode::Forward,
            (false, false) => CompatibilityMode::None,
        }
    }
}
