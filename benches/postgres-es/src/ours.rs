//! Our side: `PostgresEventStore` in a fresh schema, its `Repository`, and an aggregate that
//! counts its events.

use std::convert::Infallible;

use novel_events::novel_engine::AnyEvent;
use novel_events::novel_engine::characters::CharacterDeleted;
use novel_events::{
    Aggregate, AppendOutcome, Envelope, EventAppender, EventReader, ExpectedVersion, Repository,
    StoreError,
};
use novel_events_postgres::sqlx::{self, AssertSqlSafe};
use novel_events_postgres::{PostgresEventStore, PostgresOptions};
use uuid::Uuid;

use crate::event::character_deleted;

/// The service name our envelopes carry as their source.
pub const SOURCE: &str = "character-service";

/// A character, as the benchmark's aggregate sees it: how many events it has had.
#[derive(Debug, Default)]
pub struct Character {
    /// Events applied.
    pub events: u64,
}

impl Aggregate for Character {
    const TYPE: &'static str = "Character";
    type Event = AnyEvent;
    /// The event to decide (the same payload the other side's command carries).
    type Command = CharacterDeleted;
    type Error = Infallible;

    fn apply(&mut self, _event: &AnyEvent) {
        self.events += 1;
    }

    fn handle(&self, _id: Uuid, command: CharacterDeleted) -> Result<Vec<AnyEvent>, Infallible> {
        Ok(vec![AnyEvent::from(command)])
    }
}

/// Our store in a schema of its own, and a repository of [`Character`]s over it.
pub struct Ours {
    /// The store.
    pub store: PostgresEventStore<AnyEvent>,
    /// The repository (no snapshots).
    pub characters: Repository<Character, PostgresEventStore<AnyEvent>>,
    schema: String,
}

impl Ours {
    /// Opens the store in a fresh schema (created with its tables), with a pool of
    /// `connections`.
    pub async fn open(connections: u32) -> Result<Self, StoreError> {
        let schema = crate::fresh_schema();
        let store = PostgresEventStore::open_with(
            &crate::url(),
            PostgresOptions {
                schema: schema.clone(),
                max_connections: connections,
                ..PostgresOptions::default()
            },
        )
        .await?;
        let characters = Repository::new(store.clone(), SOURCE);
        Ok(Self {
            store,
            characters,
            schema,
        })
    }

    /// Appends `count` new events to `character`, expecting its stream at `expected` events
    /// (0: a new aggregate), in one append.
    pub async fn append(
        &self,
        character: Uuid,
        expected: u64,
        count: usize,
    ) -> Result<AppendOutcome, StoreError> {
        let events = (0..count)
            .map(|_| Envelope::new(AnyEvent::from(character_deleted(character)), SOURCE))
            .collect();
        let expected = match expected {
            0 => ExpectedVersion::NoStream,
            version => ExpectedVersion::Exactly(version),
        };
        self.store.append(character, expected, events).await
    }

    /// A new aggregate of `count` events, appended ten per append.
    pub async fn seed(&self, count: u64) -> Result<Uuid, StoreError> {
        let character = Uuid::now_v7();
        let mut version = 0;
        while version < count {
            let batch = (count - version).min(10);
            self.append(character, version, batch as usize).await?;
            version += batch;
        }
        Ok(character)
    }

    /// The events of `character`, decoded: the store's read by aggregate.
    pub async fn read(&self, character: Uuid) -> Result<usize, StoreError> {
        Ok(self.store.read_stream(character, 1).await?.len())
    }

    /// The state of `character` through the repository: its events read and applied.
    pub async fn load(&self, character: Uuid) -> Result<u64, StoreError> {
        let (state, _version) = self.characters.load(character).await?;
        Ok(state.events)
    }

    /// One command through the repository: load, decide one event, append it expecting the
    /// version loaded.
    pub async fn execute(&self, character: Uuid) -> Result<(), StoreError> {
        self.characters
            .execute(character, character_deleted(character))
            .await
            .map_err(|error| StoreError::Database(error.to_string()))?;
        Ok(())
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(&self) -> Result<(), sqlx::Error> {
        drop_schema(self.store.pool(), &self.schema).await
    }
}

/// Drops the schema `name` (one of ours: [`crate::SCHEMA_PREFIX`] and a uuid).
async fn drop_schema(pool: &sqlx::PgPool, name: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS \"{name}\" CASCADE"
    )))
    .execute(pool)
    .await
    .map(drop)
}

/// Drops the schemas an interrupted run left (every schema named with
/// [`crate::SCHEMA_PREFIX`]); returns how many.
pub async fn drop_leftovers(ours: &Ours) -> Result<usize, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, $1) AND nspname <> $2",
    )
    .bind(crate::SCHEMA_PREFIX)
    .bind(&ours.schema)
    .fetch_all(ours.store.pool())
    .await?;
    for name in &names {
        drop_schema(ours.store.pool(), name).await?;
    }
    Ok(names.len())
}
