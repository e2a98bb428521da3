//! The position watch behind [`EventReader::watch_position`](novel_events::EventReader):
//! woken by LISTEN/NOTIFY, with polling as the fallback.
//!
//! One task per store (shared by its clones) listens on the store's channel and, on each
//! notification, reads the log's head. A notification is only a wake-up: they are lost while
//! the listening connection is down, so the task also reads the head every poll interval,
//! and after losing its connection polls at that interval while it listens again. The task
//! ends once every clone of the store is dropped.

use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::postgres::PgListener;

use crate::store::StoreInner;

/// Starts the watch task of a store.
pub(crate) fn spawn(inner: &Arc<StoreInner>, poll_interval: Duration) {
    let weak = Arc::downgrade(inner);
    let pool = inner.pool.clone();
    let channel = inner.channel.clone();
    tokio::spawn(async move {
        let mut listener: Option<PgListener> = None;
        let poll_interval = poll_interval.max(Duration::from_millis(10));
        loop {
            if listener.is_none() {
                listener = listen(&pool, &channel).await;
            }
            // The head after (re)listening or waking: what a lost notification would have told.
            if !refresh(&weak).await {
                return;
            }
            match &mut listener {
                Some(active) => {
                    match tokio::time::timeout(poll_interval, active.try_recv()).await {
                        Err(_elapsed) => {}
                        Ok(Ok(Some(_notification))) => {
                            // Several appends may have notified: one read of the head covers all.
                            while active.next_buffered().is_some() {}
                        }
                        Ok(Ok(None)) => {
                            tracing::warn!(
                                channel,
                                "the notification connection was lost; polling until it is back"
                            );
                            listener = None;
                        }
                        Ok(Err(error)) => {
                            tracing::warn!(channel, %error, "the notification connection failed; polling until it is back");
                            listener = None;
                        }
                    }
                }
                None => tokio::time::sleep(poll_interval).await,
            }
        }
    });
}

/// A listener on `channel`, or `None` (logged) if the database refuses one now.
async fn listen(pool: &sqlx::PgPool, channel: &str) -> Option<PgListener> {
    let listening = async {
        let mut listener = PgListener::connect_with(pool).await?;
        // Reconnection is this task's: it re-listens and polls meanwhile.
        listener.eager_reconnect(false);
        listener.ignore_pool_close_event(false);
        listener.listen(channel).await?;
        Ok::<_, sqlx::Error>(listener)
    };
    match listening.await {
        Ok(listener) => Some(listener),
        Err(error) => {
            tracing::warn!(channel, %error, "cannot listen for appends; polling");
            None
        }
    }
}

/// Reads the head and tells the store's subscribers; `false` once the store is gone.
async fn refresh(weak: &Weak<StoreInner>) -> bool {
    let Some(inner) = weak.upgrade() else {
        return false;
    };
    match inner.head().await {
        Ok(position) => inner.notify(position),
        Err(error) => tracing::warn!(%error, "cannot read the log's head; trying again"),
    }
    true
}
