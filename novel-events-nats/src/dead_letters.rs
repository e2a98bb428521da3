//! Dead letters in a JetStream stream: what a subscriber gave up on, with why, kept across
//! restarts and shared by every process of the catalog.
//!
//! A dead letter is a message of the stream `<catalog>-dead-letters` on the subject
//! `<catalog>-dead-letters.<subscriber>`: its body is the event's message body exactly as it
//! arrived (so that garbage, an unknown eventType or a payload breaking its catalog is kept
//! as it was), its headers those of the event plus the subscriber, error, code, attempts and
//! first and last failure times (see [`headers`](crate::headers)). Its id is its sequence in
//! that stream. Each letter's `Nats-Msg-Id` names the subscriber and the event's stream and
//! sequence, so that the same failure recorded twice (by the handler's last attempt and by
//! the max-deliveries advisory, or after a crash between recording and terminating) is kept
//! once within the stream's duplicate window.

use novel_events::bus::GiveUp;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use async_nats::HeaderMap;
use async_nats::jetstream::{self, stream::Stream};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use novel_events::{
    DeadLetter, DeadLetterError, DeadLetters, DeadMessage, EventPayload, Limits, ReprocessError,
    Upcasters,
};

use crate::decode::decode;
use crate::error::NatsError;
use crate::headers;
use crate::names::{Names, token};

/// A failure to record.
pub(crate) struct Failure<'a> {
    pub(crate) subscriber: &'a str,
    pub(crate) raw: Bytes,
    pub(crate) headers: Option<&'a HeaderMap>,
    pub(crate) subject: &'a str,
    pub(crate) source_stream: &'a str,
    pub(crate) source_sequence: u64,
    pub(crate) error: String,
    pub(crate) code: String,
    pub(crate) reason: GiveUp,
    pub(crate) attempts: u32,
    pub(crate) first_failed_at: DateTime<Utc>,
}

type Hook = Arc<dyn Fn(usize) + Send + Sync>;

struct Threshold {
    at: usize,
    hook: Hook,
    above: bool,
}

struct Inner {
    jetstream: jetstream::Context,
    names: Names,
    stream: Stream,
    upcasters: Option<Upcasters>,
    /// The bus's limits: a letter is read back as the bus read its event.
    limits: Limits,
    threshold: Mutex<Option<Threshold>>,
}

/// The dead letters of a catalog, in the stream `<catalog>-dead-letters`.
///
/// They are reached through [`DeadLetters`]: list, get, count and discard them; reprocess one
/// (it goes back to its subscriber only, through the subject `<catalog>-reprocess.<subscriber>`
/// that the subscriber's consumers also read); and set a hook that fires when the queue grows
/// to a threshold. A letter whose body never decoded is a [`DeadMessage::Undecodable`] with
/// the body as it arrived.
pub struct JetStreamDeadLetters<P> {
    inner: Arc<Inner>,
    marker: PhantomData<fn() -> P>,
}

impl<P> Clone for JetStreamDeadLetters<P> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            marker: PhantomData,
        }
    }
}

impl<P> std::fmt::Debug for JetStreamDeadLetters<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JetStreamDeadLetters")
            .field("stream", &self.inner.names.dead_letter_stream())
            .finish_non_exhaustive()
    }
}

impl<P: EventPayload> JetStreamDeadLetters<P> {
    pub(crate) fn new(
        jetstream: jetstream::Context,
        names: Names,
        stream: Stream,
        upcasters: Option<Upcasters>,
        limits: Limits,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                jetstream,
                names,
                stream,
                upcasters,
                limits,
                threshold: Mutex::new(None),
            }),
            marker: PhantomData,
        }
    }

    /// Records a failure; fires the threshold hook when the queue reaches it.
    pub(crate) async fn record(&self, failure: Failure<'_>) -> Result<(), NatsError> {
        let mut message_headers = HeaderMap::new();
        if let Some(original) = failure.headers {
            for (name, values) in original.iter() {
                let name: &str = name.as_ref();
                if name.eq_ignore_ascii_case(async_nats::header::NATS_MESSAGE_ID.as_ref()) {
                    continue;
                }
                for value in values {
                    message_headers.append(name, value.as_str());
                }
            }
        }
        let now = Utc::now();
        message_headers.insert(
            async_nats::header::NATS_MESSAGE_ID,
            format!(
                "dead-letter:{}:{}:{}",
                token(failure.subscriber),
                failure.source_stream,
                failure.source_sequence
            )
            .as_str(),
        );
        message_headers.insert(headers::SUBSCRIBER, failure.subscriber);
        message_headers.insert(headers::ERROR, headers::one_line(&failure.error).as_str());
        message_headers.insert(
            headers::ERROR_CODE,
            headers::one_line(&failure.code).as_str(),
        );
        message_headers.insert(
            headers::REASON,
            headers::one_line(&failure.reason.to_string()).as_str(),
        );
        message_headers.insert(headers::ATTEMPTS, failure.attempts.to_string().as_str());
        message_headers.insert(
            headers::FIRST_FAILED_AT,
            failure.first_failed_at.to_rfc3339().as_str(),
        );
        message_headers.insert(headers::LAST_FAILED_AT, now.to_rfc3339().as_str());
        message_headers.insert(
            headers::SOURCE_SEQUENCE,
            failure.source_sequence.to_string().as_str(),
        );
        message_headers.insert(headers::SOURCE_SUBJECT, failure.subject);
        let operation = || format!("dead-lettering for `{}`", failure.subscriber);
        self.inner
            .jetstream
            .publish_with_headers(
                self.inner.names.dead_letter_subject(failure.subscriber),
                message_headers,
                failure.raw,
            )
            .await
            .map_err(|error| NatsError::client(operation(), &error))?
            .await
            .map_err(|error| NatsError::client(operation(), &error))?;
        self.check_threshold().await;
        Ok(())
    }

    async fn check_threshold(&self) {
        if self.lock().is_none() {
            return;
        }
        let Ok(count) = self.stored().await else {
            return;
        };
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        let fire = {
            let mut threshold = self.lock();
            match threshold.as_mut() {
                Some(threshold) if count >= threshold.at && !threshold.above => {
                    threshold.above = true;
                    Some(Arc::clone(&threshold.hook))
                }
                Some(threshold) if count < threshold.at => {
                    threshold.above = false;
                    None
                }
                _ => None,
            }
        };
        if let Some(hook) = fire {
            hook(count);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Threshold>> {
        self.inner
            .threshold
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn set_threshold(&self, threshold: usize, hook: impl Fn(usize) + Send + Sync + 'static) {
        *self.lock() = Some(Threshold {
            at: threshold,
            hook: Arc::new(hook),
            above: false,
        });
    }

    async fn stored(&self) -> Result<u64, NatsError> {
        let info = self
            .inner
            .stream
            .get_info()
            .await
            .map_err(|error| NatsError::client("counting dead letters", &error))?;
        Ok(info.state.messages)
    }

    async fn all(&self) -> Result<Vec<DeadLetter<P>>, NatsError> {
        let info = self
            .inner
            .stream
            .get_info()
            .await
            .map_err(|error| NatsError::client("listing dead letters", &error))?;
        let mut letters = Vec::new();
        if info.state.messages == 0 {
            return Ok(letters);
        }
        for sequence in info.state.first_sequence..=info.state.last_sequence {
            if let Some(letter) = self.one(sequence).await? {
                letters.push(letter);
            }
        }
        Ok(letters)
    }

    async fn one(&self, id: u64) -> Result<Option<DeadLetter<P>>, NatsError> {
        match self.inner.stream.get_raw_message(id).await {
            Ok(message) => Ok(Some(self.letter(message))),
            Err(error)
                if error.kind() == jetstream::stream::RawMessageErrorKind::NoMessageFound =>
            {
                Ok(None)
            }
            Err(error) => Err(NatsError::client(
                format!("reading dead letter {id}"),
                &error,
            )),
        }
    }

    fn letter(&self, message: jetstream::message::StreamMessage) -> DeadLetter<P> {
        let headers = Some(&message.headers);
        let text = |name| headers::get(headers, name).unwrap_or_default().to_owned();
        let time = |name| {
            headers::get(headers, name)
                .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
                .map_or_else(Utc::now, |time| time.with_timezone(&Utc))
        };
        DeadLetter {
            id: message.sequence,
            message: match decode::<P>(
                self.inner.upcasters.as_ref(),
                &self.inner.limits,
                Some(&message.headers),
                &message.payload,
            ) {
                Ok(envelope) => DeadMessage::Event(Arc::new(envelope)),
                Err(error) => DeadMessage::Undecodable {
                    raw: Arc::from(&message.payload[..]),
                    error,
                },
            },
            subscriber: text(headers::SUBSCRIBER),
            error: text(headers::ERROR),
            error_code: text(headers::ERROR_CODE),
            reason: text(headers::REASON),
            attempts: headers::get(headers, headers::ATTEMPTS)
                .and_then(|text| text.parse().ok())
                .unwrap_or(0),
            first_failed_at: time(headers::FIRST_FAILED_AT),
            last_failed_at: time(headers::LAST_FAILED_AT),
        }
    }

    async fn remove(&self, id: u64) -> Result<Option<DeadLetter<P>>, NatsError> {
        let Some(letter) = self.one(id).await? else {
            return Ok(None);
        };
        self.inner
            .stream
            .delete_message(id)
            .await
            .map_err(|error| NatsError::client(format!("discarding dead letter {id}"), &error))?;
        self.check_threshold().await;
        Ok(Some(letter))
    }

    /// The body goes back as it was stored; like every delivery it is upcast on the way in
    /// when an upcaster applies.
    async fn send_back(&self, id: u64) -> Result<(), NatsError> {
        let message = match self.inner.stream.get_raw_message(id).await {
            Ok(message) => message,
            Err(error)
                if error.kind() == jetstream::stream::RawMessageErrorKind::NoMessageFound =>
            {
                return Err(ReprocessError::NotFound(id).into());
            }
            Err(error) => {
                return Err(NatsError::client(
                    format!("reading dead letter {id}"),
                    &error,
                ));
            }
        };
        let subscriber = headers::get(Some(&message.headers), headers::SUBSCRIBER)
            .unwrap_or_default()
            .to_owned();
        let names = &self.inner.names;
        let reprocess = self
            .inner
            .jetstream
            .get_stream(names.reprocess_stream())
            .await
            .map_err(|error| NatsError::client("opening the reprocess stream", &error))?;
        if reprocess.consumer_info(token(&subscriber)).await.is_err() {
            return Err(ReprocessError::NoSubscriber(subscriber).into());
        }
        let mut back = HeaderMap::new();
        for (name, values) in message.headers.iter() {
            let name: &str = name.as_ref();
            if name.starts_with("Nats-") || name.starts_with("Novel-") && is_letter_header(name) {
                continue;
            }
            for value in values {
                back.append(name, value.as_str());
            }
        }
        back.insert(
            async_nats::header::NATS_MESSAGE_ID,
            format!("reprocess:{}:{id}", names.catalog()).as_str(),
        );
        let operation = || format!("reprocessing dead letter {id}");
        self.inner
            .jetstream
            .publish_with_headers(names.reprocess_subject(&subscriber), back, message.payload)
            .await
            .map_err(|error| NatsError::client(operation(), &error))?
            .await
            .map_err(|error| NatsError::client(operation(), &error))?;
        self.inner
            .stream
            .delete_message(id)
            .await
            .map_err(|error| NatsError::client(operation(), &error))?;
        self.check_threshold().await;
        Ok(())
    }
}

impl<P> DeadLetters<P> for JetStreamDeadLetters<P>
where
    P: EventPayload + Send + Sync + 'static,
{
    /// Every dead letter, oldest first (one request per letter: meant for review, not for
    /// queues of millions).
    async fn list(&self) -> Result<Vec<DeadLetter<P>>, DeadLetterError> {
        self.all().await.map_err(NatsError::into_dead_letter_error)
    }

    async fn get(&self, id: u64) -> Result<Option<DeadLetter<P>>, DeadLetterError> {
        self.one(id)
            .await
            .map_err(NatsError::into_dead_letter_error)
    }

    /// How many dead letters the stream holds.
    async fn count(&self) -> Result<usize, DeadLetterError> {
        let stored = self
            .stored()
            .await
            .map_err(NatsError::into_dead_letter_error)?;
        Ok(usize::try_from(stored).unwrap_or(usize::MAX))
    }

    async fn discard(&self, id: u64) -> Result<Option<DeadLetter<P>>, DeadLetterError> {
        self.remove(id)
            .await
            .map_err(NatsError::into_dead_letter_error)
    }

    /// Sends a dead letter back to its subscriber only, with fresh attempts, and removes it
    /// (a new failure makes a new dead letter). The body goes back as it was stored (an
    /// undecodable one too: an upcaster added since may now read it).
    ///
    /// Errors: [`ReprocessError::NotFound`] when there is no such letter,
    /// [`ReprocessError::NoSubscriber`] when the subscriber has no consumer on the server,
    /// [`ReprocessError::Unavailable`] when the server cannot be reached.
    async fn reprocess(&self, id: u64) -> Result<(), ReprocessError> {
        self.send_back(id)
            .await
            .map_err(|error| error.into_reprocess_error(id))
    }

    /// Calls `hook(count)` when this process records a dead letter and the stream then holds
    /// at least `threshold` (the Novel Engine specification's alert on accumulation); it fires
    /// again only after the count was seen below the threshold (after a discard or reprocess,
    /// or a later recording).
    fn on_threshold(&self, threshold: usize, hook: impl Fn(usize) + Send + Sync + 'static) {
        self.set_threshold(threshold, hook);
    }
}

/// Whether a header is one the dead letter added (not the event's own).
fn is_letter_header(name: &str) -> bool {
    [
        headers::SUBSCRIBER,
        headers::ERROR,
        headers::ERROR_CODE,
        headers::REASON,
        headers::ATTEMPTS,
        headers::FIRST_FAILED_AT,
        headers::LAST_FAILED_AT,
        headers::SOURCE_SEQUENCE,
        headers::SOURCE_SUBJECT,
    ]
    .iter()
    .any(|header| header.eq_ignore_ascii_case(name))
}
