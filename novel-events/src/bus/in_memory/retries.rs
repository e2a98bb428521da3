//! The one retry loop of delivery, for single events and batches alike: attempts until one
//! succeeds, the retry policy gives up (dead letters), or the shutdown deadline cuts the
//! delivery short.

use std::future::Future;
use std::sync::Arc;

use chrono::Utc;

use crate::bus::{GiveUp, HandlerError, RetryAction};
use crate::envelope::Envelope;
use crate::event::EventPayload;

use super::worker::{Outcome, Worker};

/// How one attempt at a delivery ended.
pub(super) enum Attempt<T> {
    /// The handler succeeded, with what the caller needs afterwards.
    Done(T),
    /// The handler failed: the retry policy decides.
    Failed(HandlerError),
    /// The shutdown deadline passed before or during the attempt.
    CutShort,
}

impl<P> Worker<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    /// Delivers `envelopes` (one event, or a batch handled whole) with retries. `attempt`
    /// makes attempt number `n` (from 1); after a failure, `on_retry(n)` runs if the group's
    /// policy retries, and the backoff is waited unless the deadline passes first. What gives
    /// up is dead-lettered (each of `envelopes`, with the last error) and what the deadline
    /// cuts short is dead-lettered with code `shutdown`; both are the `Err` outcome.
    pub(super) async fn with_retries<T, F, Fut>(
        &self,
        envelopes: &[Arc<Envelope<P>>],
        mut attempt: F,
        mut on_retry: impl FnMut(u32),
    ) -> Result<T, Outcome>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Attempt<T>>,
    {
        let mut first_failed_at = None;
        let mut number = 1;
        loop {
            let error = match attempt(number).await {
                Attempt::Done(value) => return Ok(value),
                Attempt::Failed(error) => error,
                Attempt::CutShort => return Err(self.cut_short(envelopes, number)),
            };
            let failed_at = *first_failed_at.get_or_insert_with(Utc::now);
            match self.group.retry.decide(number, &error) {
                RetryAction::Retry(wait) => {
                    on_retry(number);
                    if !self.sleep_unless_deadline(wait).await {
                        return Err(self.cut_short(envelopes, number));
                    }
                    number += 1;
                }
                RetryAction::GiveUp => {
                    let reason = GiveUp::after(&self.group.retry, number, &error).unwrap_or(
                        GiveUp::AttemptsExhausted {
                            max_attempts: number,
                        },
                    );
                    reason.observe(&self.group.name);
                    // Waits while the dead-letter queue is full, unless the deadline passes
                    // (then the letters go in past the bound: the shutdown cannot wait).
                    tokio::select! {
                        biased;
                        () = self.inner.dead_letters.wait_for_room(&self.group.name) => {}
                        () = self.until_deadline() => {}
                    }
                    for envelope in envelopes {
                        self.dead_letter(envelope, &error, &reason, number, failed_at);
                    }
                    return Err(Outcome::Finished);
                }
            }
        }
    }

    /// Dead-letters `envelopes` with code `shutdown`, after `attempts` attempts.
    fn cut_short(&self, envelopes: &[Arc<Envelope<P>>], attempts: u32) -> Outcome {
        for envelope in envelopes {
            self.dead_letter_on_shutdown(envelope, attempts);
        }
        Outcome::CutShort
    }
}
