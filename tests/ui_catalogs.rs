//! Compile-time behaviour of `include_catalog!`, checked with trybuild.
//!
//! - `ui/catalog/*.rs`: one broken catalog each (`ui/catalogs/<case>.yaml`), one error class
//!   per case; the expected compiler output is the `.stderr` file next to the case.
//! - `ui/evolution/*.rs`: one schema-evolution mistake each (`ui/catalogs/evolution/<case>.yaml`,
//!   and its `<case>.lock.json` for the lock cases): a compatibility rule broken under a mode,
//!   a change log that does not match, a lock file edited around or damaged;
//! - `ui/pass/*.rs`: catalogs using every feature of the format compile under
//!   `#![deny(warnings)]`, and their generated types are usable.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test ui_catalogs`, then
//! read them: each message must say what is wrong, where (file:line:column) and what was
//! expected.

#[test]
fn catalog_errors_and_passing_catalogs() {
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
    let failures = trybuild::TestCases::new();
    failures.compile_fail("ui/catalog/*.rs");
    failures.compile_fail("ui/evolution/*.rs");
    drop(failures);
    trybuild::TestCases::new().pass("ui/pass/*.rs");
}
