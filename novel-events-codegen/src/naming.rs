//! Catalog names to Rust names: `personalityTraits` → `personality_traits`, `sci-fi` → `SciFi`,
//! `type` → `r#type`, an older `CharacterCreated` 1.0.0 → `CharacterCreatedV1_0_0`.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust's strict and reserved keywords (2015–2024 editions).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// The snake_case Rust field name of a catalog field, as text (`type` → `r#type`).
pub fn field_name(name: &str) -> String {
    let mut snake = name.to_snake_case();
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    if NOT_RAW.contains(&snake.as_str()) {
        snake.push('_');
        snake
    } else if KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// The PascalCase variant name of an enum value (`character-vs-self` → `CharacterVsSelf`).
pub fn variant_name(value: &str) -> String {
    let mut camel = value.to_upper_camel_case();
    if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        camel.insert(0, 'V');
    }
    if NOT_RAW.contains(&camel.as_str()) {
        camel.push('_');
    }
    camel
}

/// The struct name of an event version that is not the newest: `NameV1_0_0`.
pub fn versioned_name(name: &str, version: &str) -> String {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    format!("{name}V{}", core.replace('.', "_"))
}

/// The trait name of a subscriber service (`Memory Service` → `MemoryServiceSubscriber`).
pub fn service_trait_name(service: &str) -> String {
    let mut camel = service.to_upper_camel_case();
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        camel.insert(0, 'S');
    }
    camel.push_str("Subscriber");
    camel
}

/// The trait name of a domain's subscriber (`characters` → `CharactersSubscriber`).
pub fn domain_trait_name(domain: &str) -> String {
    format!("{}Subscriber", domain.to_upper_camel_case())
}

/// The snake_case method name for an event (`CharacterCreated` → `on_character_created`).
pub fn handler_name(rust_name: &str) -> String {
    format!("on_{}", rust_name.to_snake_case())
}

/// The module name of a domain.
pub fn module_name(domain: &str) -> String {
    field_name(domain)
}

/// Whether `name` is a usable Rust type name in PascalCase.
pub fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// An identifier token for a name produced by this module (raw identifiers included).
///
/// Validation refuses catalog names whose Rust form is not made of ASCII letters, digits and
/// `_`; should another name reach this function, its other characters are written as
/// `_uXXXX` rather than making the macro panic.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) if !NOT_RAW.contains(&raw) && is_plain(raw) => {
            Ident::new_raw(raw, Span::call_site())
        }
        Some(raw) => Ident::new(&plain(raw), Span::call_site()),
        None => Ident::new(&plain(name), Span::call_site()),
    }
}

/// Whether `name` is ASCII letters, digits and `_`, not empty, not starting with a digit, and
/// not `_` alone.
fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name != "_"
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `name` made an identifier: other characters as `_uXXXX`, a leading `_` when empty or
/// starting with a digit.
fn plain(name: &str) -> String {
    if is_plain(name) {
        return name.to_owned();
    }
    let mut out = String::from("_");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!("_u{:04X}", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        assert_eq!(field_name("personalityTraits"), "personality_traits");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("ipAddress"), "ip_address");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(ident("r#type").to_string(), "r#type");
    }

    #[test]
    fn idents_never_panic() {
        assert_eq!(ident("a²").to_string(), "_a_u00B2");
        assert_eq!(ident("½").to_string(), "__u00BD");
        assert_eq!(ident("").to_string(), "_");
        assert_eq!(ident("_").to_string(), "__");
        assert_eq!(ident("2fa").to_string(), "_2fa");
        assert_eq!(ident("r#self").to_string(), "self");
        assert_eq!(ident("self").to_string(), "self");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("sci-fi"), "SciFi");
        assert_eq!(variant_name("character-vs-self"), "CharacterVsSelf");
        assert_eq!(variant_name("api-key"), "ApiKey");
        assert_eq!(variant_name("oauth2"), "Oauth2");
        assert_eq!(variant_name("3d"), "V3d");
        assert_eq!(variant_name("self"), "Self_");
    }

    #[test]
    fn other_names() {
        assert_eq!(
            versioned_name("CharacterCreated", "1.0.0"),
            "CharacterCreatedV1_0_0"
        );
        assert_eq!(
            service_trait_name("Memory Service"),
            "MemoryServiceSubscriber"
        );
        assert_eq!(
            service_trait_name("Auto-scaling Service"),
            "AutoScalingServiceSubscriber"
        );
        assert_eq!(domain_trait_name("characters"), "CharactersSubscriber");
        assert_eq!(
            handler_name("CharacterCreatedV1_0_0"),
            "on_character_created_v1_0_0"
        );
        assert!(is_type_name("HealthStatus"));
        assert!(!is_type_name("healthStatus"));
    }
}
