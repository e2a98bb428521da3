//! What the PostgreSQL tests share: a fresh schema per test on the real server, and Novel
//! Engine events.
//!
//! The server is `NOVEL_EVENTS_POSTGRES_URL` (by default
//! `postgres://postgres@127.0.0.1:5432/test`). A test that cannot reach it fails, saying how to
//! start it: these tests never pass without a database.

#![allow(dead_code)]

use std::time::Duration;

use novel_events::Envelope;
use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::{
    AcquisitionMethod, CharacterCreated, CharacterDeleted, CharacterSkillGained, CharacterType,
    PersonalityTraits,
};
use novel_events_postgres::sqlx::{self, Connection as _, PgConnection};
use novel_events_postgres::{PostgresEventStore, PostgresOptions};
use uuid::Uuid;

/// The server the tests use unless `NOVEL_EVENTS_POSTGRES_URL` says otherwise.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The server's URL.
pub fn url() -> String {
    std::env::var("NOVEL_EVENTS_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// A connection to the server, or a failure that says how to start it.
pub async fn connect() -> PgConnection {
    let url = url();
    match tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&url)).await {
        Ok(Ok(connection)) => connection,
        Ok(Err(error)) => unreachable_server(&url, &error.to_string()),
        Err(_) => unreachable_server(&url, "no answer within 10 s"),
    }
}

fn unreachable_server(url: &str, why: &str) -> ! {
    panic!(
        "cannot reach PostgreSQL at {url} ({why}). These tests need a real server (15 or newer): \
         start the local one with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
         or point NOVEL_EVENTS_POSTGRES_URL at another (a user that may create schemas)"
    )
}

/// A schema of its own for one test (`ne_test_<uuid>`), dropped with everything in it when
/// the test ends.
pub struct TestSchema {
    pub name: String,
}

impl TestSchema {
    /// A fresh schema name on a reachable server (the store creates the schema).
    pub async fn new() -> Self {
        connect().await.close().await.expect("closing a connection");
        Self {
            name: format!("ne_test_{}", Uuid::new_v4().simple()),
        }
    }

    /// The options of a store in this schema.
    pub fn options(&self) -> PostgresOptions {
        PostgresOptions {
            schema: self.name.clone(),
            max_connections: 6,
            ..PostgresOptions::default()
        }
    }

    /// Opens a store in this schema.
    pub async fn open<P: novel_events::EventPayload>(&self) -> PostgresEventStore<P> {
        self.open_with(self.options()).await
    }

    /// Opens a store with `options`.
    pub async fn open_with<P: novel_events::EventPayload>(
        &self,
        options: PostgresOptions,
    ) -> PostgresEventStore<P> {
        PostgresEventStore::open_with(&url(), options)
            .await
            .unwrap_or_else(|error| panic!("opening the store in {}: {error}", self.name))
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime: clean up from a thread with its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                if let Ok(mut connection) = PgConnection::connect(&url()).await {
                    // A lock left by a failing test must not hang the run: then the schema stays.
                    let drop_schema = format!(
                        "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS \"{name}\" CASCADE"
                    );
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop_schema))
                        .execute(&mut connection)
                        .await;
                    let _ = connection.close().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// Fails the test instead of hanging it.
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

pub type Env = Envelope<AnyEvent>;

pub const SOURCE: &str = "postgres-store-tests";

pub fn created(character: Uuid, name: &str) -> AnyEvent {
    AnyEvent::from(CharacterCreated {
        character_id: character,
        name: name.into(),
        r#type: CharacterType::Protagonist,
        personality_traits: PersonalityTraits {
            openness: 0.8,
            conscientiousness: 0.6,
            extraversion: 0.4,
            agreeableness: 0.7,
            neuroticism: 0.2,
        },
        background: "A cartographer of drowned cities.".into(),
        configuration: serde_json::Map::new(),
        created_by: Uuid::from_u128(7),
    })
}

pub fn skill(character: Uuid, level: i64) -> AnyEvent {
    AnyEvent::from(CharacterSkillGained {
        character_id: character,
        skill_name: "cartography".into(),
        skill_level: level,
        acquisition_method: AcquisitionMethod::Training,
        context: "mapped the sunken quarter".into(),
    })
}

pub fn deleted(character: Uuid) -> AnyEvent {
    AnyEvent::from(CharacterDeleted {
        character_id: character,
        name: "Oren".into(),
        deletion_reason: "retired".into(),
        deleted_by: Uuid::from_u128(7),
    })
}

pub fn root(payload: AnyEvent) -> Env {
    Envelope::new(payload, SOURCE)
}
