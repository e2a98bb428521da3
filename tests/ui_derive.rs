//! Compile-time behaviour of `#[derive(Event)]`, `#[derive(EventSet)]` and
//! `#[derive(EventEnum)]`, checked with trybuild.
//!
//! - `ui/derive/*.rs`: one mistake each (one check of the derives), with the expected compiler
//!   output in the `.stderr` file next to it. Cases that need a catalog read
//!   `../novel-events/catalog/novel-engine.yaml`, or `ui/catalogs/derive_*.yaml` for what that catalog lacks
//!   (optional fields, defaults, named enums, ...).
//! - `ui/derive/pass/*.rs`: structs that the derives accept, compiled under
//!   `#![deny(warnings)]`: renames, skipped fields, optional fields, nested types, enums, no
//!   catalog, name-based aggregate ids.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test ui_derive`, then
//! read them: each message must point at the token at fault, say what the catalog expects, and
//! report every mistake of one struct together. No absolute path of the machine may remain
//! (trybuild writes `$WORKSPACE` and `$DIR` for the workspace and the tests directory).

#[test]
fn derive_errors_and_passing_derives() {
    // The cases are compiled inside trybuild's own scratch crate, whose manifest directory is
    // not this one; the catalog paths of the cases are relative to this directory instead.
    // trybuild's child `cargo` inherits this process's environment.
    // SAFETY: set before any other thread of this test binary reads the environment (this is
    // the binary's only test).
    unsafe { std::env::set_var("NOVEL_EVENTS_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")) };
    // trybuild's scratch crate does not inherit the workspace's profile (no debug info for
    // dependencies); without debug info its builds of the dependencies and of the pass cases
    // are faster, and the diagnostics are the same.
    // SAFETY: as above.
    unsafe { std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "false") };
    // Two runs of trybuild, failures first. Alone, the compile-fail cases are checked by one
    // `cargo check --bins --keep-going` of trybuild's scratch crate; together with a pass case,
    // each would be a `cargo build` (code generation and linking) of its own. See
    // `docs/testing.md`.
    trybuild::TestCases::new().compile_fail("ui/derive/*.rs");
    trybuild::TestCases::new().pass("ui/derive/pass/*.rs");
}
