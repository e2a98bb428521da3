//! A lane: one durable pull consumer a subscription instance pulls from, and its loop.
//!
//! A subscription has one lane per consumer it reads: the events (one consumer, or one per
//! partition) and its reprocess subject. The loop pulls with a bounded wait (a pull request
//! expires after [`BusOptions::poll`](crate::BusOptions::poll)), so a pull lost with a
//! connection, or a consumer deleted under it, never leaves it waiting for ever: after a pull
//! that failed or went unanswered, and every few empty pulls, it looks the consumer up again
//! and creates it if it is gone (the consumer's config is kept by the lane).

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::{AckPolicy, DeliverPolicy, PullConsumer, pull};
use futures_util::StreamExt;

use crate::attempts::Attempts;
use crate::delivery::{Subscriber, process};
use crate::error::NatsError;
use crate::shared::Shared;

/// One consumer of a subscription.
#[derive(Debug, Clone)]
pub(crate) struct Lane {
    /// The stream it reads.
    pub(crate) stream: String,
    /// The durable consumer's name.
    pub(crate) consumer: String,
    /// Its filter subject.
    pub(crate) filter: String,
    /// Messages delivered and not yet acknowledged, across every instance.
    pub(crate) max_ack_pending: i64,
    /// Messages per pull.
    pub(crate) batch: usize,
    /// How long a pull waits.
    pub(crate) expires: Duration,
    /// Where the consumer starts when first created.
    pub(crate) deliver: DeliverPolicy,
    /// Deliveries of one message at most (the retry policy's attempts).
    pub(crate) max_deliver: i64,
    /// The server's wait for an acknowledgement.
    pub(crate) ack_wait: Duration,
}

/// A pull that got no answer this long after its expiry is taken as lost.
const LOST_PULL_GRACE: Duration = Duration::from_secs(1);
/// Empty pulls between two checks that the consumer still exists.
const EMPTY_PULLS_BETWEEN_CHECKS: u32 = 5;

impl Lane {
    fn config(&self, resume_after: u64) -> pull::Config {
        let deliver_policy = if resume_after > 0 {
            DeliverPolicy::ByStartSequence {
                start_sequence: resume_after + 1,
            }
        } else {
            self.deliver
        };
        pull::Config {
            durable_name: Some(self.consumer.clone()),
            filter_subject: self.filter.clone(),
            ack_policy: AckPolicy::Explicit,
            ack_wait: self.ack_wait,
            max_deliver: self.max_deliver,
            max_ack_pending: self.max_ack_pending,
            deliver_policy,
            ..Default::default()
        }
    }

    /// The consumer, created if missing (after the stream sequence `resume_after`, if not
    /// zero: a consumer deleted under a running instance comes back where it was); an error
    /// names what differs from an existing one.
    pub(crate) async fn ensure<P>(
        &self,
        shared: &Shared<P>,
        subscriber: &str,
        resume_after: u64,
    ) -> Result<PullConsumer, NatsError> {
        let operation = || format!("creating consumer `{}` on `{}`", self.consumer, self.stream);
        let stream = shared
            .jetstream
            .get_stream(&self.stream)
            .await
            .map_err(|error| NatsError::client(operation(), &error))?;
        let consumer: PullConsumer = stream
            .get_or_create_consumer(&self.consumer, self.config(resume_after))
            .await
            .map_err(|error| NatsError::client(operation(), &error))?;
        let config = &consumer.cached_info().config;
        let what = if config.max_deliver != self.max_deliver {
            Some("retry policy")
        } else if config.max_ack_pending != self.max_ack_pending
            || config.filter_subject != self.filter
        {
            Some("strategy")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(novel_events::SubscribeError::OptionsMismatch {
                name: subscriber.to_owned(),
                what,
            }
            .into());
        }
        Ok(consumer)
    }
}

/// Pulls and processes until the bus stops.
pub(crate) async fn run<P>(
    shared: Arc<Shared<P>>,
    subscriber: Arc<Subscriber<P>>,
    lane: Lane,
    first: PullConsumer,
) where
    P: novel_events::EventPayload + Send + Sync + 'static,
{
    let mut consumer = Some(first);
    let mut stopping = shared.stopping.subscribe();
    // The failures this instance saw of the events it is retrying.
    let mut attempts = Attempts::default();
    let mut pause = Duration::from_millis(100);
    let mut empty_pulls = 0;
    // The highest stream sequence this instance pulled.
    let mut last_sequence = 0;
    // Messages pulled for a batch, handled together once the pull ends.
    let mut held = Vec::new();
    'pulls: while !stopped(&stopping) {
        let current = match consumer.take() {
            Some(current) => current,
            None => match lane.ensure(&shared, &subscriber.name, last_sequence).await {
                Ok(current) => current,
                Err(error) => {
                    tracing::warn!(subscriber = %subscriber.name, consumer = %lane.consumer, %error, "consumer unavailable; trying again");
                    if wait_or_stop(&mut stopping, pause).await {
                        break;
                    }
                    pause = (pause * 2).min(Duration::from_secs(2));
                    continue;
                }
            },
        };
        let pulled = current
            .batch()
            .max_messages(lane.batch)
            .expires(lane.expires)
            .messages()
            .await;
        let mut messages = match pulled {
            Ok(messages) => messages,
            Err(error) => {
                tracing::warn!(subscriber = %subscriber.name, consumer = %lane.consumer, %error, "pull failed; checking the consumer");
                if wait_or_stop(&mut stopping, pause).await {
                    break;
                }
                continue;
            }
        };
        let mut received = 0_usize;
        let mut keep = true;
        loop {
            let next = tokio::select! {
                biased;
                () = crate::shared::signalled(&mut stopping) => break 'pulls,
                next = tokio::time::timeout(lane.expires + LOST_PULL_GRACE, messages.next()) => next,
            };
            match next {
                Ok(Some(Ok(message))) => {
                    received += 1;
                    if let Ok(info) = message.info() {
                        last_sequence = last_sequence.max(info.stream_sequence);
                    }
                    if lane.batch == 1 {
                        process(&shared, &subscriber, vec![message], &mut attempts).await;
                    } else {
                        held.push(message);
                    }
                }
                Ok(None) => break,
                Ok(Some(Err(error))) => {
                    tracing::debug!(subscriber = %subscriber.name, consumer = %lane.consumer, %error, "pull ended with an error");
                    keep = false;
                    break;
                }
                Err(_) => {
                    keep = false;
                    break;
                }
            }
        }
        if !held.is_empty() {
            process(
                &shared,
                &subscriber,
                std::mem::take(&mut held),
                &mut attempts,
            )
            .await;
        }
        if received == 0 {
            empty_pulls += 1;
            if empty_pulls >= EMPTY_PULLS_BETWEEN_CHECKS {
                empty_pulls = 0;
                keep = false;
            }
        } else {
            empty_pulls = 0;
            pause = Duration::from_millis(100);
        }
        if keep {
            consumer = Some(current);
        }
    }
    // Messages pulled for a batch and not handled go back at once.
    for message in held {
        let _ = message
            .ack_with(async_nats::jetstream::AckKind::Nak(None))
            .await;
    }
}

/// Waits `pause`; `true` if the bus began to stop meanwhile.
async fn wait_or_stop(stopping: &mut tokio::sync::watch::Receiver<bool>, pause: Duration) -> bool {
    tokio::select! {
        () = crate::shared::signalled(stopping) => true,
        () = tokio::time::sleep(pause) => false,
    }
}

/// Whether the bus began to stop.
fn stopped(stopping: &tokio::sync::watch::Receiver<bool>) -> bool {
    *stopping.borrow()
}
