//! The safety net: the server's max-deliveries advisory dead-letters what no handler could.
//!
//! A handler's last attempt dead-letters its event itself. If its process stopped during that
//! attempt (or its letter could not be written), the server delivers the event no more and
//! publishes `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`. Every running
//! instance of the subscriber listens to it and dead-letters the event with code
//! `max-deliveries`; the letter's `Nats-Msg-Id` keeps one copy. Advisories are core NATS
//! messages: one published while no instance runs is lost, and the event then stays in its
//! stream, undelivered to that subscriber (the consumer's info counts it).

use novel_events::bus::GiveUp;
use std::sync::Arc;

use chrono::Utc;
use futures_util::StreamExt;

use crate::dead_letters::Failure;
use crate::lane::Lane;
use crate::shared::Shared;

/// How long the net waits, after an advisory, before it dead-letters the event itself.
const GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// The fields of the advisory the net reads.
#[derive(serde::Deserialize)]
struct MaxDeliveries {
    stream_seq: u64,
    deliveries: u64,
}

/// Listens to the advisory of `lane`'s consumer until the bus stops.
pub(crate) async fn watch<P>(shared: Arc<Shared<P>>, subscriber: String, lane: Lane)
where
    P: novel_events::EventPayload + Send + Sync + 'static,
{
    let subject = format!(
        "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{}.{}",
        lane.stream, lane.consumer
    );
    let mut advisories = match shared.client.subscribe(subject.clone()).await {
        Ok(advisories) => advisories,
        Err(error) => {
            tracing::warn!(%subject, %error, "cannot listen to the max-deliveries advisory");
            return;
        }
    };
    let mut stopping = shared.stopping.subscribe();
    loop {
        let advisory = tokio::select! {
            () = crate::shared::signalled(&mut stopping) => break,
            advisory = advisories.next() => advisory,
        };
        let Some(advisory) = advisory else { break };
        let Ok(advisory) = serde_json::from_slice::<MaxDeliveries>(&advisory.payload) else {
            continue;
        };
        // The server may announce the last delivery while its handler is still failing it:
        // give a live handler the time to record its own letter (with its error and code),
        // which the net's letter, of the same `Nats-Msg-Id`, then leaves alone.
        tokio::select! {
            () = crate::shared::signalled(&mut stopping) => break,
            () = tokio::time::sleep(GRACE) => {}
        }
        let stream = match shared.jetstream.get_stream(&lane.stream).await {
            Ok(stream) => stream,
            Err(error) => {
                tracing::warn!(stream = %lane.stream, %error, "max deliveries reached, but the stream cannot be read");
                continue;
            }
        };
        let Ok(message) = stream.get_raw_message(advisory.stream_seq).await else {
            continue;
        };
        let now = Utc::now();
        let recorded = shared
            .dead_letters
            .record(Failure {
                subscriber: &subscriber,
                raw: message.payload.clone(),
                headers: Some(&message.headers),
                subject: message.subject.as_str(),
                source_stream: &lane.stream,
                source_sequence: advisory.stream_seq,
                error: format!(
                    "delivered {} times without an answer (the handler's process stopped, or its acknowledgement was lost); the server delivers it no more",
                    advisory.deliveries
                ),
                code: "max-deliveries".to_owned(),
                reason: GiveUp::AttemptsExhausted {
                    max_attempts: u32::try_from(advisory.deliveries).unwrap_or(u32::MAX),
                },
                attempts: u32::try_from(advisory.deliveries).unwrap_or(u32::MAX),
                first_failed_at: now,
            })
            .await;
        match recorded {
            Ok(()) => {
                // The attempt that stopped held the event's claim: release it, so that the
                // letter, reprocessed, is handled.
                if let Some(event_id) = event_id_of(&message)
                    && let Err(error) = shared.dedupe.release(&subscriber, event_id).await
                {
                    tracing::warn!(%subscriber, %error, "could not release the claim of a dead-lettered event");
                }
            }
            Err(error) => {
                tracing::warn!(%subscriber, %error, "could not dead-letter an event at max deliveries");
            }
        }
    }
}

/// The eventId of a stored message: its `Nats-Msg-Id`, or the body's `eventId`.
fn event_id_of(message: &async_nats::jetstream::message::StreamMessage) -> Option<uuid::Uuid> {
    crate::headers::get(
        Some(&message.headers),
        async_nats::header::NATS_MESSAGE_ID.as_ref(),
    )
    .and_then(|id| id.parse().ok())
    .or_else(|| {
        serde_json::from_slice::<serde_json::Value>(&message.payload)
            .ok()?
            .get("eventId")?
            .as_str()?
            .parse()
            .ok()
    })
}
