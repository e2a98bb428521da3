//! Not sqlx's SQLite driver: an empty crate in its place (see this crate's `Cargo.toml`).

compile_error!(
    "sqlx 0.8's SQLite driver is replaced by an empty crate in benches/postgres-es \
     (its libsqlite3-sys conflicts with rusqlite's): do not enable sqlx 0.8's `sqlite` feature"
);
