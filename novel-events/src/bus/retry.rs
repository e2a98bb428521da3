//! Retry policies: how often and how long to wait before handling a failed event again.

use std::borrow::Cow;
use std::time::Duration;

use crate::bus::{ErrorClass, HandlerError};

/// How the wait between attempts grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backoff {
    /// The same wait every time: `base`.
    Fixed,
    /// `base * 2^(attempt - 1)`, capped at `max_delay` (the Novel Engine specification's
    /// `exponential`).
    Exponential,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAction {
    /// Try again after this wait.
    Retry(Duration),
    /// Stop: the event goes to the dead-letter queue.
    GiveUp,
}

/// When and how to retry a failed handler.
///
/// The default is exactly the Novel Engine specification's `retryPolicy`: 3 attempts in all,
/// exponential backoff from 1000 ms capped at 30000 ms, retrying the error codes
/// `network-timeout`, `service-unavailable` and `temporary-failure`; no jitter.
///
/// ```
/// use std::time::Duration;
/// use novel_events::{HandlerError, RetryAction, RetryPolicy};
///
/// let policy = RetryPolicy::default();
/// let timeout = HandlerError::retryable(HandlerError::NETWORK_TIMEOUT, "slow upstream");
/// assert_eq!(policy.decide(1, &timeout), RetryAction::Retry(Duration::from_millis(1000)));
/// assert_eq!(policy.decide(2, &timeout), RetryAction::Retry(Duration::from_millis(2000)));
/// assert_eq!(policy.decide(3, &timeout), RetryAction::GiveUp);
/// assert_eq!(policy.decide(1, &HandlerError::permanent("bad data")), RetryAction::GiveUp);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (`maxAttempts`).
    pub max_attempts: u32,
    /// How the wait grows (`backoffStrategy`).
    pub backoff: Backoff,
    /// The first wait (`baseDelay`).
    pub base_delay: Duration,
    /// The longest wait (`maxDelay`).
    pub max_delay: Duration,
    /// The retryable error codes (`retryableErrors`). A retryable [`HandlerError`] whose code is
    /// not listed is not retried.
    pub retryable_errors: Vec<Cow<'static, str>>,
    /// Spread each wait uniformly over `[wait * (1 - jitter), wait]` (0.0 = none, at most 1.0),
    /// so that many consumers failing together do not retry together.
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            backoff: Backoff::Exponential,
            base_delay: Duration::from_millis(1000),
            max_delay: Duration::from_millis(30_000),
            retryable_errors: vec![
                Cow::Borrowed(HandlerError::NETWORK_TIMEOUT),
                Cow::Borrowed(HandlerError::SERVICE_UNAVAILABLE),
                Cow::Borrowed(HandlerError::TEMPORARY_FAILURE),
            ],
            jitter: 0.0,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: the first failure is final.
    pub fn no_retry() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The same policy with `max_attempts` attempts in all.
    #[must_use]
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The same policy with these delays.
    #[must_use]
    pub fn with_delays(mut self, base_delay: Duration, max_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self.max_delay = max_delay.max(base_delay);
        self
    }

    /// The same policy with jitter (clamped to `0.0..=1.0`).
    #[must_use]
    pub fn with_jitter(mut self, jitter: f64) -> Self {
        self.jitter = jitter.clamp(0.0, 1.0);
        self
    }

    /// Whether this error may be retried under this policy.
    pub fn is_retryable(&self, error: &HandlerError) -> bool {
        error.class() == ErrorClass::Retryable
            && self
                .retryable_errors
                .iter()
                .any(|code| code == error.code())
    }

    /// The wait before attempt `attempt + 1`, without jitter.
    pub fn delay(&self, attempt: u32) -> Duration {
        match self.backoff {
            Backoff::Fixed => self.base_delay,
            Backoff::Exponential => {
                let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
                self.base_delay.saturating_mul(factor).min(self.max_delay)
            }
        }
    }

    /// What to do after attempt number `attempt` (1-based) failed with `error`.
    pub fn decide(&self, attempt: u32, error: &HandlerError) -> RetryAction {
        if attempt >= self.max_attempts || !self.is_retryable(error) {
            return RetryAction::GiveUp;
        }
        let delay = self.delay(attempt);
        if self.jitter > 0.0 {
            let spread = delay.mul_f64(self.jitter * random_unit());
            RetryAction::Retry(delay.saturating_sub(spread))
        } else {
            RetryAction::Retry(delay)
        }
    }
}

/// A number in `[0, 1)` from a small thread-local generator (jitter needs no cryptography).
fn random_unit() -> f64 {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new(
            u64::from(std::process::id()) ^ 0x9e37_79b9_7f4a_7c15 ^ (std::ptr::from_ref(&STATE) as usize as u64),
        );
    }
    STATE.with(|state| {
        // xorshift64*
        let mut x = state.get() | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        #[allow(clippy::cast_precision_loss)]
        let unit = (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        unit
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_seeds_policy() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_attempts, 3);
        assert_eq!(policy.backoff, Backoff::Exponential);
        assert_eq!(policy.base_delay, Duration::from_millis(1000));
        assert_eq!(policy.max_delay, Duration::from_millis(30_000));
        assert_eq!(
            policy.retryable_errors,
            [
                "network-timeout",
                "service-unavailable",
                "temporary-failure"
            ]
        );
    }

    #[test]
    fn exponential_delays_are_capped() {
        let policy = RetryPolicy::default().with_max_attempts(10);
        let delays: Vec<u64> = (1..=7)
            .map(|attempt| policy.delay(attempt).as_millis() as u64)
            .collect();
        assert_eq!(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    }

    #[test]
    fn unlisted_codes_and_permanent_errors_are_not_retried() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(1, &HandlerError::retryable("disk-full", "x")),
            RetryAction::GiveUp
        );
        assert_eq!(
            policy.decide(1, &HandlerError::permanent("x")),
            RetryAction::GiveUp
        );
    }

    #[test]
    fn jitter_stays_within_its_spread() {
        let policy = RetryPolicy::default().with_jitter(0.5);
        let error = HandlerError::retryable(HandlerError::TEMPORARY_FAILURE, "x");
        for _ in 0..200 {
            let RetryAction::Retry(delay) = policy.decide(2, &error) else {
                panic!("retries")
            };
            assert!(
                delay <= Duration::from_millis(2000) && delay >= Duration::from_millis(1000),
                "{delay:?}"
            );
        }
    }
}
