//! The wire names serde gives fields and variants: `rename`, `rename_all` and `skip`, applied
//! the way serde applies them, read from `#[serde(...)]` attributes without judging the rest.

use proc_macro2::TokenTree;
use syn::{Attribute, LitStr, Token};

/// serde's `rename_all` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    /// `lowercase`
    Lower,
    /// `UPPERCASE`
    Upper,
    /// `PascalCase`
    Pascal,
    /// `camelCase`
    Camel,
    /// `snake_case`
    Snake,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnake,
    /// `kebab-case`
    Kebab,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebab,
}

impl RenameRule {
    const ALL: [(&'static str, RenameRule); 8] = [
        ("lowercase", RenameRule::Lower),
        ("UPPERCASE", RenameRule::Upper),
        ("PascalCase", RenameRule::Pascal),
        ("camelCase", RenameRule::Camel),
        ("snake_case", RenameRule::Snake),
        ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
        ("kebab-case", RenameRule::Kebab),
        ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
    ];

    fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, rule)| *rule)
    }

    /// The rule's name as written in `rename_all = "..."`.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, rule)| *rule == self)
            .map_or("", |(name, _)| *name)
    }

    /// Every rule, for hints.
    pub fn all() -> impl Iterator<Item = RenameRule> {
        Self::ALL.iter().map(|(_, rule)| *rule)
    }

    /// The wire name of a struct field, exactly as serde_derive computes it (`case.rs`): the
    /// Rust name is taken as snake_case, and only `_` separates words.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => lower_first(&RenameRule::Pascal.apply_to_field(field)),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// The wire name of an enum variant, exactly as serde_derive computes it (`case.rs`): the
    /// Rust name is taken as PascalCase, and every uppercase letter starts a word.
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => lower_first(variant),
            RenameRule::Snake => {
                let mut snake = String::new();
                for (index, ch) in variant.char_indices() {
                    if index > 0 && ch.is_uppercase() {
                        snake.push('_');
                    }
                    snake.push(ch.to_ascii_lowercase());
                }
                snake
            }
            RenameRule::ScreamingSnake => RenameRule::Snake
                .apply_to_variant(variant)
                .to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake
                .apply_to_variant(variant)
                .replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }
}

/// `text` with its first character in ASCII lowercase.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// What `#[serde(...)]` attributes say about names, for a container, a field or a variant.
#[derive(Debug, Default, Clone)]
pub struct SerdeNames {
    /// `rename = "x"` or `rename(deserialize = "x")`.
    pub rename: Option<String>,
    /// `rename_all = "..."` or `rename_all(deserialize = "...")`.
    pub rename_all: Option<RenameRule>,
    /// `skip` or `skip_deserializing`: not read from the wire.
    pub skip: bool,
    /// `flatten`: the field's own fields are inlined.
    pub flatten: bool,
    /// `default` (with or without a function).
    pub default: bool,
}

/// Reads the naming-related parts of every `#[serde(...)]` attribute, ignoring the others.
pub fn serde_names(attrs: &[Attribute]) -> syn::Result<SerdeNames> {
    let mut names = SerdeNames::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "rename" => {
                    if let Some(rename) = directional(&meta)? {
                        names.rename = Some(rename);
                    }
                }
                "rename_all" => {
                    let span = meta.path.clone();
                    if let Some(text) = directional(&meta)? {
                        names.rename_all = Some(RenameRule::parse(&text).ok_or_else(|| {
                            syn::Error::new_spanned(
                                span,
                                format!("unknown serde rename_all rule `{text}`"),
                            )
                        })?);
                    }
                }
                // `other` marks a catch-all variant: not one of the enum's wire values.
                "skip" | "skip_deserializing" | "other" => names.skip = true,
                "flatten" => names.flatten = true,
                "default" => {
                    names.default = true;
                    skip_value(&meta)?;
                }
                _ => skip_value(&meta)?,
            }
            Ok(())
        })?;
    }
    Ok(names)
}

/// `key = "x"` or `key(serialize = "a", deserialize = "b")`: the name used when reading, `None`
/// when only the name used when writing is given (`key(serialize = "a")`), which leaves the
/// read name as it was.
fn directional(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if meta.input.peek(Token![=]) {
        let literal: LitStr = meta.value()?.parse()?;
        return Ok(Some(literal.value()));
    }
    let mut found = None;
    meta.parse_nested_meta(|inner| {
        let literal: LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("deserialize") {
            found = Some(literal.value());
        }
        Ok(())
    })?;
    Ok(found)
}

/// Consumes `= value` or `(...)` after a key we do not interpret.
pub(crate) fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let value = meta.value()?;
        while !value.is_empty() && !value.peek(Token![,]) {
            value.parse::<TokenTree>()?;
        }
    } else if meta.input.peek(syn::token::Paren) {
        let _: TokenTree = meta.input.parse()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules_match_serde() {
        assert_eq!(
            RenameRule::Camel.apply_to_field("character_id"),
            "characterId"
        );
        assert_eq!(
            RenameRule::Pascal.apply_to_field("character_id"),
            "CharacterId"
        );
        assert_eq!(RenameRule::ScreamingKebab.apply_to_field("a_b"), "A-B");
        assert_eq!(RenameRule::Kebab.apply_to_variant("SciFi"), "sci-fi");
        assert_eq!(RenameRule::Camel.apply_to_variant("SciFi"), "sciFi");
        assert_eq!(
            RenameRule::ScreamingSnake.apply_to_variant("ApiKey"),
            "API_KEY"
        );
        // serde's own rules, not heck's: acronyms and digits are not word boundaries of their own.
        assert_eq!(
            RenameRule::Kebab.apply_to_variant("HTTPError"),
            "h-t-t-p-error"
        );
        assert_eq!(
            RenameRule::Snake.apply_to_variant("Level2Boss"),
            "level2_boss"
        );
        assert_eq!(RenameRule::Camel.apply_to_field("user_ID"), "userID");
        assert_eq!(RenameRule::Camel.apply_to_field("version_2"), "version2");
        assert_eq!(RenameRule::Pascal.apply_to_field("_private"), "Private");
        for rule in RenameRule::all() {
            assert_eq!(RenameRule::parse(rule.name()), Some(rule));
        }
    }

    #[test]
    fn reads_serde_attributes() {
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[serde(rename = "x", default, with = "module", skip_serializing_if = "Option::is_none")]),
            syn::parse_quote!(#[serde(rename_all(serialize = "snake_case", deserialize = "camelCase"))]),
        ];
        let names = serde_names(&attrs).unwrap();
        assert_eq!(names.rename.as_deref(), Some("x"));
        assert_eq!(names.rename_all, Some(RenameRule::Camel));
        assert!(names.default);
        assert!(!names.skip);

        // Only the name read from the wire counts: a rename for writing alone changes nothing.
        let attrs: Vec<Attribute> = vec![
            syn::parse_quote!(#[serde(rename(serialize = "x"), rename_all(serialize = "camelCase"))]),
        ];
        let names = serde_names(&attrs).unwrap();
        assert_eq!(names.rename, None);
        assert_eq!(names.rename_all, None);
    }
}
