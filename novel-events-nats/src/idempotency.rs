//! Idempotency across instances and restarts: a JetStream key-value bucket of the eventIds
//! each subscriber handled, or any [`IdempotencyStore`].

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, kv};
use novel_events::IdempotencyStore;
use uuid::Uuid;

use crate::error::NatsError;
use crate::names::idempotency_key;

/// An [`IdempotencyStore`] in a JetStream key-value bucket, shared by every process of a
/// catalog and kept across restarts.
///
/// The key is `<subscriber>.<eventId>` (the subscriber's name escaped as a subject token);
/// [`claim`](Self::claim_async) creates it only if absent (the server refuses a second
/// create, so two instances racing for one event cannot both win), [`release`](Self::release_async)
/// deletes it, and the bucket's `max_age` is the window: an eventId is forgotten that long
/// after it was claimed.
///
/// The bus calls the `async` methods. The [`IdempotencyStore`] implementation, for other
/// users of the trait, blocks its thread on the runtime the store was opened in: call it from
/// a blocking thread (`tokio::task::spawn_blocking`), never from an async task of that
/// runtime. It answers "not handled" when the server cannot be reached (handling twice rather
/// than never).
#[derive(Clone)]
pub struct JetStreamIdempotency {
    store: kv::Store,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for JetStreamIdempotency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JetStreamIdempotency")
            .field("bucket", &self.store.name)
            .finish_non_exhaustive()
    }
}

impl JetStreamIdempotency {
    /// Opens (or creates, file storage) the bucket `bucket` remembering ids for `ttl`. Call it
    /// inside a tokio runtime.
    pub async fn open(
        jetstream: &jetstream::Context,
        bucket: &str,
        ttl: Duration,
    ) -> Result<Self, NatsError> {
        let operation = || format!("opening the idempotency bucket `{bucket}`");
        let store = match jetstream.get_key_value(bucket).await {
            Ok(store) => store,
            Err(_) => jetstream
                .create_key_value(kv::Config {
                    bucket: bucket.to_owned(),
                    description: "eventIds handled per subscriber (novel-events)".to_owned(),
                    history: 1,
                    max_age: ttl,
                    storage: jetstream::stream::StorageType::File,
                    ..Default::default()
                })
                .await
                .map_err(|error| NatsError::client(operation(), &error))?,
        };
        Ok(Self {
            store,
            runtime: tokio::runtime::Handle::current(),
        })
    }

    /// Claims `event_id` for `subscriber`: `true` if no one had (it is now marked), `false` if
    /// it was claimed or handled already.
    pub async fn claim_async(&self, subscriber: &str, event_id: Uuid) -> Result<bool, NatsError> {
        match self
            .store
            .create(idempotency_key(subscriber, event_id), bytes::Bytes::new())
            .await
        {
            Ok(_) => Ok(true),
            Err(error) if error.kind() == kv::CreateErrorKind::AlreadyExists => Ok(false),
            Err(error) => Err(NatsError::client(
                format!("claiming event {event_id} for `{subscriber}`"),
                &error,
            )),
        }
    }

    /// Forgets `event_id` for `subscriber`, so that it can be handled again.
    pub async fn release_async(&self, subscriber: &str, event_id: Uuid) -> Result<(), NatsError> {
        self.store
            .delete(idempotency_key(subscriber, event_id))
            .await
            .map_err(|error| {
                NatsError::client(
                    format!("releasing event {event_id} for `{subscriber}`"),
                    &error,
                )
            })
    }

    /// Whether `subscriber` claimed or handled `event_id` (within the window).
    pub async fn is_handled_async(
        &self,
        subscriber: &str,
        event_id: Uuid,
    ) -> Result<bool, NatsError> {
        self.store
            .get(idempotency_key(subscriber, event_id))
            .await
            .map(|value| value.is_some())
            .map_err(|error| {
                NatsError::client(
                    format!("looking up event {event_id} for `{subscriber}`"),
                    &error,
                )
            })
    }

    fn block<T: Send + 'static>(
        &self,
        future: impl std::future::Future<Output = T> + Send + 'static,
    ) -> T {
        let (sender, receiver) = std::sync::mpsc::channel();
        self.runtime.spawn(async move {
            let _ = sender.send(future.await);
        });
        receiver
            .recv()
            .expect("the runtime the idempotency store was opened in has shut down")
    }
}

impl IdempotencyStore for JetStreamIdempotency {
    fn is_handled(&self, subscriber: &str, event_id: Uuid) -> bool {
        let (this, subscriber) = (self.clone(), subscriber.to_owned());
        self.block(async move { this.is_handled_async(&subscriber, event_id).await })
            .unwrap_or(false)
    }

    fn mark_handled(&self, subscriber: &str, event_id: Uuid) {
        let _ = self.claim(subscriber, event_id);
    }

    fn claims(&self) -> bool {
        true
    }

    fn claim(&self, subscriber: &str, event_id: Uuid) -> bool {
        let (this, subscriber) = (self.clone(), subscriber.to_owned());
        self.block(async move { this.claim_async(&subscriber, event_id).await })
            .unwrap_or(true)
    }

    fn release(&self, subscriber: &str, event_id: Uuid) {
        let (this, subscriber) = (self.clone(), subscriber.to_owned());
        let _ = self.block(async move { this.release_async(&subscriber, event_id).await });
    }
}

/// The store a bus's subscribers use.
#[derive(Clone)]
pub(crate) enum Dedupe {
    /// The key-value bucket, called asynchronously.
    Bucket(JetStreamIdempotency),
    /// Another store, called on a blocking thread.
    Store(Arc<dyn IdempotencyStore>),
}

impl Dedupe {
    /// Whether the event is fresh (claimed, if the store claims): `false` for a duplicate.
    pub(crate) async fn claim(&self, subscriber: &str, event_id: Uuid) -> Result<bool, NatsError> {
        match self {
            Dedupe::Bucket(bucket) => bucket.claim_async(subscriber, event_id).await,
            Dedupe::Store(store) => {
                let (store, subscriber) = (Arc::clone(store), subscriber.to_owned());
                blocking(move || store.claim(&subscriber, event_id)).await
            }
        }
    }

    /// After a success: marks the event, unless the claim did.
    pub(crate) async fn handled(&self, subscriber: &str, event_id: Uuid) -> Result<(), NatsError> {
        match self {
            Dedupe::Bucket(_) => Ok(()),
            Dedupe::Store(store) if store.claims() => Ok(()),
            Dedupe::Store(store) => {
                let (store, subscriber) = (Arc::clone(store), subscriber.to_owned());
                blocking(move || store.mark_handled(&subscriber, event_id)).await
            }
        }
    }

    /// After a failure: forgets the claim, so that the event stays deliverable.
    pub(crate) async fn release(&self, subscriber: &str, event_id: Uuid) -> Result<(), NatsError> {
        match self {
            Dedupe::Bucket(bucket) => bucket.release_async(subscriber, event_id).await,
            Dedupe::Store(store) if store.claims() => {
                let (store, subscriber) = (Arc::clone(store), subscriber.to_owned());
                blocking(move || store.release(&subscriber, event_id)).await
            }
            Dedupe::Store(_) => Ok(()),
        }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, NatsError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| NatsError::Server {
            operation: "calling the idempotency store".to_owned(),
            message: error.to_string(),
        })
}
