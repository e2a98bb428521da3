//! Enums of event types (`#[derive(EventSet)]`): the compile-time check of their variants, and
//! the error for an envelope they do not hold.

/// Compile-time check of `#[derive(EventSet)]`: two variants must not hold the same event.
pub const fn assert_distinct_events(
    first_type: &str,
    first_version: &str,
    second_type: &str,
    second_version: &str,
    message: &'static str,
) {
    if crate::catalog::holds::str_eq(first_type, second_type)
        && crate::catalog::holds::str_eq(first_version, second_version)
    {
        panic!("{}", message);
    }
}

/// The error for an envelope whose event an event set does not hold.
pub fn not_in_set<E: serde::de::Error>(
    set: &str,
    event_type: &str,
    event_version: &str,
    known: &[(&str, &str)],
) -> E {
    let known: Vec<String> = known.iter().map(|(t, v)| format!("{t} {v}")).collect();
    E::custom(format_args!(
        "eventType: `{}` version {} is not one of the events of `{set}` ({})",
        super::quote::shorten(event_type),
        super::quote::shorten(event_version),
        known.join(", ")
    ))
}
