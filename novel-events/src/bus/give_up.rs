//! Why a failed delivery is not retried, as every bus records it in the dead letter; and the
//! warning when a retryable error is given up only because its code is not in the policy.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::bus::{ErrorClass, HandlerError, RetryPolicy};

/// Why a failed delivery was given up instead of retried: [`DeadLetter::reason`] says it.
///
/// [`DeadLetter::reason`]: crate::DeadLetter::reason
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUp {
    /// The handler said retrying cannot help ([`HandlerError::permanent`], a panic).
    Permanent,
    /// The error is retryable, but its code is not in the policy's
    /// [`retryable_errors`](RetryPolicy::retryable_errors). By default only the Novel Engine
    /// specification's three codes are retried.
    CodeNotListed {
        /// The error's code.
        code: String,
        /// The codes the policy retries.
        listed: Vec<String>,
    },
    /// Every attempt the policy allows was made.
    AttemptsExhausted {
        /// The policy's `max_attempts`.
        max_attempts: u32,
    },
    /// The bus shut down before the event was handled (code `shutdown`).
    Shutdown,
    /// The message never decoded into an event: retrying cannot help.
    Undecodable,
}

impl GiveUp {
    /// Why `policy` gives up after attempt `attempt` failed with `error`; `None` if it retries.
    pub fn after(policy: &RetryPolicy, attempt: u32, error: &HandlerError) -> Option<Self> {
        if error.class() == ErrorClass::Permanent {
            return Some(Self::Permanent);
        }
        if !policy.is_retryable(error) {
            return Some(Self::CodeNotListed {
                code: error.code().to_owned(),
                listed: policy
                    .retryable_errors
                    .iter()
                    .map(|code| code.to_string())
                    .collect(),
            });
        }
        (attempt >= policy.max_attempts).then_some(Self::AttemptsExhausted {
            max_attempts: policy.max_attempts,
        })
    }

    /// What a bus does when it gives up for this reason, besides dead-lettering: for a
    /// retryable error whose code the policy does not list, counts
    /// `novel_events_unlisted_retryable_total` (labels `subscriber`, `code`) every time, and
    /// logs a warning the first time per subscriber and code in this process, since the
    /// handler asked for a retry that did not happen.
    pub fn observe(&self, subscriber: &str) {
        let Self::CodeNotListed { code, listed } = self else {
            return;
        };
        metrics::counter!(
            "novel_events_unlisted_retryable_total",
            "subscriber" => subscriber.to_owned(),
            "code" => code.clone(),
        )
        .increment(1);
        if first_time(subscriber, code) {
            tracing::warn!(
                subscriber,
                code = %code,
                retried_codes = ?listed,
                "a retryable error was not retried: its code is not in the retry policy's \
                 retryable_errors; list it there (RetryPolicy::retryable_errors) or use one of \
                 the listed codes"
            );
        }
    }
}

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Permanent => f.write_str("not retried: the error is permanent"),
            Self::CodeNotListed { code, listed } => write!(
                f,
                "not retried: the error is retryable, but its code `{code}` is not in the retry \
                 policy's retryable_errors ({})",
                listed.join(", ")
            ),
            Self::AttemptsExhausted { max_attempts } => write!(
                f,
                "given up after {max_attempts} attempt{}, the retry policy's max_attempts",
                if *max_attempts == 1 { "" } else { "s" }
            ),
            Self::Shutdown => f.write_str("the bus shut down before the event was handled"),
            Self::Undecodable => f.write_str("not retried: the message does not decode"),
        }
    }
}

/// Subscriber and code pairs already warned about; at most [`WARNED_AT_MOST`] are remembered
/// (beyond them, the metric still counts, the log stays quiet).
fn first_time(subscriber: &str, code: &str) -> bool {
    static WARNED: OnceLock<Mutex<HashSet<(String, String)>>> = OnceLock::new();
    let mut warned = WARNED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let key = (subscriber.to_owned(), code.to_owned());
    if warned.contains(&key) || warned.len() >= WARNED_AT_MOST {
        return false;
    }
    warned.insert(key)
}

const WARNED_AT_MOST: usize = 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_is_told_apart() {
        let policy = RetryPolicy::default();
        assert_eq!(
            GiveUp::after(&policy, 1, &HandlerError::permanent("bad data")),
            Some(GiveUp::Permanent)
        );
        let unlisted = HandlerError::retryable("rate-limited", "slow down");
        let reason = GiveUp::after(&policy, 1, &unlisted).unwrap();
        assert_eq!(
            reason.to_string(),
            "not retried: the error is retryable, but its code `rate-limited` is not in the \
             retry policy's retryable_errors (network-timeout, service-unavailable, \
             temporary-failure)"
        );
        let timeout = HandlerError::retryable(HandlerError::NETWORK_TIMEOUT, "slow");
        assert_eq!(GiveUp::after(&policy, 1, &timeout), None);
        assert_eq!(
            GiveUp::after(&policy, 3, &timeout),
            Some(GiveUp::AttemptsExhausted { max_attempts: 3 })
        );
    }

    #[test]
    fn the_warning_is_given_once_per_subscriber_and_code() {
        assert!(first_time("give-up-test", "rate-limited"));
        assert!(!first_time("give-up-test", "rate-limited"));
        assert!(first_time("give-up-test", "quota"));
        assert!(first_time("other-subscriber", "rate-limited"));
    }
}
