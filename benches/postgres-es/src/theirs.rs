//! The other side: postgres-es (`PostgresEventRepository`) under cqrs-es's
//! `PersistedEventStore` (snapshots off) and `CqrsFramework`, its tables in a fresh schema.

use std::collections::HashMap;
use std::convert::Infallible;

use cqrs_es::persist::{EventStoreAggregateContext, PersistedEventStore};
use cqrs_es::{Aggregate, AggregateError, CqrsFramework, DomainEvent, EventEnvelope, EventStore};
use novel_events::novel_engine::characters::CharacterDeleted;
use postgres_es::PostgresEventRepository;
use serde::{Deserialize, Serialize};
use sqlx_08::PgPool;
use sqlx_08::postgres::PgPoolOptions;
use uuid::Uuid;

use crate::event::character_deleted;

/// The tables of postgres-es 0.5.0's `db/init.sql` (events and snapshots; not its view
/// table, nor its sample rows and user), with `__SCHEMA__` for the schema.
pub const TABLES: &str = "
CREATE TABLE __SCHEMA__.events
(
    aggregate_type text                         NOT NULL,
    aggregate_id   text                         NOT NULL,
    sequence       bigint CHECK (sequence >= 0) NOT NULL,
    event_type     text                         NOT NULL,
    event_version  text                         NOT NULL,
    payload        json                         NOT NULL,
    metadata       json                         NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);
CREATE TABLE __SCHEMA__.snapshots
(
    aggregate_type   text                                 NOT NULL,
    aggregate_id     text                                 NOT NULL,
    last_sequence    bigint CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL,
    payload          json                                 NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);";

/// The service name the metadata of their events carries as its source.
pub const SOURCE: &str = "character-service";

/// Their events: one variant, the same payload as ours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CharacterEvent {
    /// A Novel Engine `CharacterDeleted`.
    CharacterDeleted(CharacterDeleted),
}

impl DomainEvent for CharacterEvent {
    fn event_type(&self) -> String {
        "characters.character.deleted".to_owned()
    }

    fn event_version(&self) -> String {
        "1.0.0".to_owned()
    }
}

/// A character, as cqrs-es sees it: how many events it has had.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Character {
    /// Events applied.
    pub events: u64,
}

impl Aggregate for Character {
    const TYPE: &'static str = "Character";
    /// The event to decide (the same payload our command carries).
    type Command = CharacterDeleted;
    type Event = CharacterEvent;
    type Error = Infallible;
    type Services = ();

    async fn handle(
        &mut self,
        command: CharacterDeleted,
        _services: &(),
        sink: &cqrs_es::event_sink::EventSink<Self>,
    ) -> Result<(), Infallible> {
        sink.write(CharacterEvent::CharacterDeleted(command), self)
            .await;
        Ok(())
    }

    fn apply(&mut self, _event: CharacterEvent) {
        self.events += 1;
    }
}

/// cqrs-es's event store over postgres-es.
pub type Store = PersistedEventStore<PostgresEventRepository, Character>;

/// postgres-es in a schema of its own: the event store and a framework over it.
pub struct Theirs {
    /// `PersistedEventStore::new_event_store` (no snapshots) over `PostgresEventRepository`.
    pub store: Store,
    /// `CqrsFramework` over a second such store (the framework owns its store), no queries.
    pub cqrs: CqrsFramework<Character, Store>,
    pool: PgPool,
    schema: String,
}

/// What went wrong on their side.
#[derive(Debug, thiserror::Error)]
pub enum TheirError {
    /// The pool or the tables.
    #[error("postgres-es's database: {0}")]
    Database(#[from] sqlx_08::Error),
    /// cqrs-es's store (an optimistic lock: the aggregate moved on).
    #[error("cqrs-es's store: {0}")]
    Store(#[from] AggregateError<Infallible>),
}

impl Theirs {
    /// A pool of `connections`, a fresh schema holding [`TABLES`], and the store and
    /// framework on them.
    pub async fn open(connections: u32) -> Result<Self, TheirError> {
        let pool = PgPoolOptions::new()
            .max_connections(connections)
            .connect(&crate::url())
            .await?;
        let schema = crate::fresh_schema();
        let tables = TABLES.replace("__SCHEMA__", &schema);
        sqlx_08::raw_sql(&format!("CREATE SCHEMA {schema}; {tables}"))
            .execute(&pool)
            .await?;
        let repository = || {
            PostgresEventRepository::new(pool.clone())
                .with_tables(&format!("{schema}.events"), &format!("{schema}.snapshots"))
        };
        Ok(Self {
            store: PersistedEventStore::new_event_store(repository()),
            cqrs: CqrsFramework::new(
                PersistedEventStore::new_event_store(repository()),
                Vec::new(),
                (),
            ),
            pool,
            schema,
        })
    }

    /// Commits `count` new events to `character`, whose stream holds `expected` events (0: a
    /// new aggregate), in one `EventStore::commit`.
    pub async fn append(
        &self,
        character: Uuid,
        expected: usize,
        count: usize,
    ) -> Result<Vec<EventEnvelope<Character>>, TheirError> {
        let events = (0..count)
            .map(|_| CharacterEvent::CharacterDeleted(character_deleted(character)))
            .collect();
        let context = EventStoreAggregateContext {
            aggregate_id: character.to_string(),
            aggregate: Character::default(),
            current_sequence: expected,
            current_snapshot: None,
        };
        Ok(self.store.commit(events, context, metadata()).await?)
    }

    /// A new aggregate of `count` events, committed ten per commit.
    pub async fn seed(&self, count: usize) -> Result<Uuid, TheirError> {
        let character = Uuid::now_v7();
        let mut sequence = 0;
        while sequence < count {
            let batch = (count - sequence).min(10);
            self.append(character, sequence, batch).await?;
            sequence += batch;
        }
        Ok(character)
    }

    /// The events of `character`, deserialized: `EventStore::load_events`.
    pub async fn read(&self, character: Uuid) -> Result<usize, TheirError> {
        Ok(self.store.load_events(&character.to_string()).await?.len())
    }

    /// The state of `character`: `EventStore::load_aggregate`, its events loaded and applied.
    pub async fn load(&self, character: Uuid) -> Result<u64, TheirError> {
        let context = self.store.load_aggregate(&character.to_string()).await?;
        Ok(context.aggregate.events)
    }

    /// One command through `CqrsFramework::execute_with_metadata`: load, decide one event,
    /// commit it at the next sequence.
    pub async fn execute(&self, character: Uuid) -> Result<(), TheirError> {
        Ok(self
            .cqrs
            .execute_with_metadata(
                &character.to_string(),
                character_deleted(character),
                metadata(),
            )
            .await?)
    }

    /// Drops the schema and its tables.
    pub async fn drop_schema(&self) -> Result<(), TheirError> {
        sqlx_08::raw_sql(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The metadata map of an event: what our envelope carries besides its payload (a new
/// eventId and a new correlation, the time, the source), so that both sides store the same.
fn metadata() -> HashMap<String, String> {
    let event_id = Uuid::now_v7().to_string();
    HashMap::from([
        ("eventId".to_owned(), event_id.clone()),
        ("correlationId".to_owned(), event_id.clone()),
        ("causationId".to_owned(), event_id),
        ("timestamp".to_owned(), now()),
        ("source".to_owned(), SOURCE.to_owned()),
    ])
}

/// The time, RFC 3339.
fn now() -> String {
    novel_events::chrono::Utc::now()
        .to_rfc3339_opts(novel_events::chrono::SecondsFormat::Micros, true)
}
