//! The shutdown deadline, as workers wait for it: one waiter, for their queues, their handlers
//! and their retries' backoff alike.

use std::time::Duration;

use tokio::sync::watch;

use crate::event::EventPayload;

use super::worker::Worker;

/// Returns once the shutdown deadline has passed (at once if it has); never, if the bus is gone
/// without passing it.
pub(super) async fn deadline_passed(deadline: &mut watch::Receiver<bool>) {
    if deadline.wait_for(|passed| *passed).await.is_err() {
        std::future::pending::<()>().await;
    }
}

impl<P> Worker<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    /// Waits for the shutdown deadline, on a receiver of its own: registers a waiter only once
    /// polled, which a handler that is ready at once never lets happen.
    pub(super) async fn until_deadline(&self) {
        let mut deadline = self.deadline.clone();
        deadline_passed(&mut deadline).await;
    }

    /// Waits `wait` (a retry's backoff); `false` if the shutdown deadline passed first.
    pub(super) async fn sleep_unless_deadline(&self, wait: Duration) -> bool {
        tokio::select! {
            biased;
            () = self.until_deadline() => false,
            () = tokio::time::sleep(wait) => true,
        }
    }
}
