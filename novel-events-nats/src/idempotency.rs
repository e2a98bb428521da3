//! Idempotency across instances and restarts: a JetStream stream of the eventIds each
//! subscriber handled (a key-value store made of a stream, as JetStream's own key-value buckets
//! are), or any [`IdempotencyStore`].

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, context::PublishErrorKind, stream};
use novel_events::IdempotencyStore;
use uuid::Uuid;

use crate::error::NatsError;
use crate::names::idempotency_key;

/// An [`IdempotencyStore`] in a JetStream stream, shared by every process of a catalog and
/// kept across restarts.
///
/// Each claimed eventId is one message on the subject `<stream>.<subscriber>.<eventId>` (the
/// subscriber's name escaped as a subject token), in a stream keeping at most one message per
/// subject for `ttl`: [`claim`](Self::claim_async) publishes it only if the subject is empty
/// (`Nats-Expected-Last-Subject-Sequence: 0`, so that of two instances racing for one event
/// the server lets one win), [`release`](Self::release_async) purges the subject, and the
/// stream's `max_age` is the window: an eventId is forgotten that long after it was claimed.
/// The bus's own claims hold the delivery (`<stream>:<sequence>`) while its handler runs and
/// `done` once it succeeded, so that a delivery whose instance stopped mid-attempt is taken
/// over when the server delivers it again; claims through the trait are `done` at once.
/// (JetStream's key-value buckets are built the same way; a plain stream keeps to what
/// server 2.9 offers.)
///
/// The bus calls the `async` methods. The [`IdempotencyStore`] implementation, for other
/// users of the trait, blocks its thread on the runtime the store was opened in: call it from
/// a blocking thread (`tokio::task::spawn_blocking`), never from an async task of that
/// runtime. It answers "not handled" when the server cannot be reached (handling twice rather
/// than never).
#[derive(Clone)]
pub struct JetStreamIdempotency {
    jetstream: jetstream::Context,
    stream: stream::Stream,
    name: String,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for JetStreamIdempotency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JetStreamIdempotency")
            .field("stream", &self.name)
            .finish_non_exhaustive()
    }
}

impl JetStreamIdempotency {
    /// Opens (or creates, file storage) the stream `name` remembering ids for `ttl`. Call it
    /// inside a tokio runtime.
    pub async fn open(
        jetstream: &jetstream::Context,
        name: &str,
        ttl: Duration,
    ) -> Result<Self, NatsError> {
        let stream = jetstream
            .get_or_create_stream(stream::Config {
                name: name.to_owned(),
                description: Some("eventIds handled per subscriber (novel-events)".to_owned()),
                subjects: vec![format!("{name}.>")],
                max_messages_per_subject: 1,
                max_age: ttl,
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .map_err(|error| {
                NatsError::client(format!("opening the idempotency stream `{name}`"), &error)
            })?;
        Ok(Self {
            jetstream: jetstream.clone(),
            stream,
            name: name.to_owned(),
            runtime: tokio::runtime::Handle::current(),
        })
    }

    fn subject(&self, subscriber: &str, event_id: Uuid) -> String {
        format!("{}.{}", self.name, idempotency_key(subscriber, event_id))
    }

    /// Publishes `value` on `subject` if the subject is empty; `false` if it is not.
    async fn create(&self, subject: String, value: bytes::Bytes) -> Result<bool, NatsError> {
        let operation = || format!("claiming `{subject}`");
        let published = self
            .jetstream
            .send_publish(
                subject.clone(),
                jetstream::message::PublishMessage::build()
                    .payload(value)
                    .expected_last_subject_sequence(0),
            )
            .await
            .map_err(|error| NatsError::client(operation(), &error))?
            .await;
        match published {
            Ok(_) => Ok(true),
            Err(error) if error.kind() == PublishErrorKind::WrongLastSequence => Ok(false),
            Err(error) => Err(NatsError::client(operation(), &error)),
        }
    }

    /// Claims `event_id` for `subscriber`'s handling of one delivery (`delivery` names the
    /// message: its stream and sequence). The claim holds the delivery until
    /// [`mark_done`](Self::mark_done) replaces it with `done`; the same delivery coming back
    /// (its instance stopped mid-attempt, and the server delivered it again) takes the claim
    /// over instead of being skipped as a duplicate.
    pub(crate) async fn claim_delivery(
        &self,
        subscriber: &str,
        event_id: Uuid,
        delivery: &str,
    ) -> Result<Claim, NatsError> {
        let subject = self.subject(subscriber, event_id);
        if self
            .create(
                subject.clone(),
                bytes::Bytes::copy_from_slice(delivery.as_bytes()),
            )
            .await?
        {
            return Ok(Claim::Fresh);
        }
        match self.stream.get_last_raw_message_by_subject(&subject).await {
            Ok(held) if held.payload.as_ref() == DONE => Ok(Claim::Duplicate),
            Ok(held) if held.payload.as_ref() == delivery.as_bytes() => Ok(Claim::Resumed),
            Ok(_) => Ok(Claim::Busy),
            // Released or expired in between: try again later.
            Err(error) if error.kind() == stream::LastRawMessageErrorKind::NoMessageFound => {
                Ok(Claim::Busy)
            }
            Err(error) => Err(NatsError::client(format!("reading `{subject}`"), &error)),
        }
    }

    /// Records that `subscriber` handled `event_id` (replacing its claim).
    pub(crate) async fn mark_done(
        &self,
        subscriber: &str,
        event_id: Uuid,
    ) -> Result<(), NatsError> {
        let subject = self.subject(subscriber, event_id);
        self.jetstream
            .publish(subject.clone(), bytes::Bytes::from_static(DONE))
            .await
            .map_err(|error| NatsError::client(format!("marking `{subject}`"), &error))?
            .await
            .map_err(|error| NatsError::client(format!("marking `{subject}`"), &error))?;
        Ok(())
    }

    /// Claims `event_id` for `subscriber`: `true` if no one had (it is now marked), `false` if
    /// it was claimed or handled already.
    pub async fn claim_async(&self, subscriber: &str, event_id: Uuid) -> Result<bool, NatsError> {
        self.create(
            self.subject(subscriber, event_id),
            bytes::Bytes::from_static(DONE),
        )
        .await
    }

    /// Forgets `event_id` for `subscriber`, so that it can be handled again.
    pub async fn release_async(&self, subscriber: &str, event_id: Uuid) -> Result<(), NatsError> {
        self.stream
            .purge()
            .filter(self.subject(subscriber, event_id))
            .await
            .map(|_| ())
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
        match self
            .stream
            .get_last_raw_message_by_subject(&self.subject(subscriber, event_id))
            .await
        {
            Ok(_) => Ok(true),
            Err(error) if error.kind() == stream::LastRawMessageErrorKind::NoMessageFound => {
                Ok(false)
            }
            Err(error) => Err(NatsError::client(
                format!("looking up event {event_id} for `{subscriber}`"),
                &error,
            )),
        }
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

/// The value of an eventId that was handled.
const DONE: &[u8] = b"done";

/// What a claim of a delivery found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claim {
    /// No one had claimed the event: it is now claimed.
    Fresh,
    /// It was handled already.
    Duplicate,
    /// This very delivery held the claim (its instance stopped mid-attempt): taken over.
    Resumed,
    /// Another copy of the event is being handled: try again later.
    Busy,
}

/// The store a bus's subscribers use.
#[derive(Clone)]
pub(crate) enum Dedupe {
    /// The JetStream stream, called asynchronously.
    Stream(Box<JetStreamIdempotency>),
    /// Another store, called on a blocking thread.
    Store(Arc<dyn IdempotencyStore>),
}

impl Dedupe {
    /// Claims the event for one delivery (`stream:sequence`); a store given in the options
    /// answers `Fresh` or `Duplicate` only.
    pub(crate) async fn claim(
        &self,
        subscriber: &str,
        event_id: Uuid,
        delivery: &str,
    ) -> Result<Claim, NatsError> {
        match self {
            Dedupe::Stream(stream) => stream.claim_delivery(subscriber, event_id, delivery).await,
            Dedupe::Store(store) => {
                let (store, subscriber) = (Arc::clone(store), subscriber.to_owned());
                let fresh = blocking(move || store.claim(&subscriber, event_id)).await?;
                Ok(if fresh {
                    Claim::Fresh
                } else {
                    Claim::Duplicate
                })
            }
        }
    }

    /// After a success: marks the event, unless the claim did.
    pub(crate) async fn handled(&self, subscriber: &str, event_id: Uuid) -> Result<(), NatsError> {
        match self {
            Dedupe::Stream(stream) => stream.mark_done(subscriber, event_id).await,
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
            Dedupe::Stream(stream) => stream.release_async(subscriber, event_id).await,
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
