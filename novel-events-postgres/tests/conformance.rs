//! The store conformance suite of the runtime (`novel_events_tests::conformance::store`, the one
//! `SqliteEventStore` passes), run for [`PostgresEventStore`] on the real server: one test per
//! test of the suite, each store it opens in a fresh schema of its own, dropped after the test.

mod common;

use std::sync::Mutex;

use common::TestSchema;
use novel_events::Upcasters;
use novel_events::novel_engine::AnyEvent;
use novel_events_postgres::{PostgresEventStore, PostgresOptions};
use novel_events_tests::conformance::store::workshop;

/// The schemas of one test: each store the suite opens gets a new one (the suite expects every
/// store fresh and empty); all are dropped with this value.
struct FreshSchemas {
    test: &'static str,
    schemas: Mutex<Vec<TestSchema>>,
}

impl FreshSchemas {
    fn new(test: &'static str) -> Self {
        Self {
            test,
            schemas: Mutex::new(Vec::new()),
        }
    }

    /// Opens a store in a new schema, reading with `upcasters`.
    async fn open<P: novel_events::EventPayload>(
        &self,
        upcasters: Upcasters,
    ) -> PostgresEventStore<P> {
        let schema = TestSchema::new().await;
        let options = PostgresOptions {
            upcasters,
            max_connections: 4,
            ..schema.options()
        };
        let store = PostgresEventStore::open_with(&common::url(), options)
            .await
            .unwrap_or_else(|error| {
                panic!("{}: opening a store in {}: {error}", self.test, schema.name)
            });
        self.schemas
            .lock()
            .expect("the schemas' lock is never poisoned")
            .push(schema);
        store
    }
}

novel_events_tests::store_conformance_tests! {
    scratch: FreshSchemas::new,
    store: async |schemas: &FreshSchemas| schemas.open::<AnyEvent>(Upcasters::new()).await,
    workshop_store: async |schemas: &FreshSchemas, upcasters: Upcasters| {
        schemas.open::<workshop::AnyEvent>(upcasters).await
    },
}
