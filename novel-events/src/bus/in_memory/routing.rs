//! Where a published event goes: the groups that accept it, and in each group the instance
//! (and worker) chosen by its aggregate.

use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use tokio::sync::mpsc;

use crate::bus::{Handler, SubscribeError, Subscription, SubscriptionOptions};
use crate::envelope::Envelope;
use crate::event::EventPayload;

use super::metrics::GroupMetrics;
use super::worker::Worker;
use super::{Group, InMemoryBus};

/// A group and its instances, as `publish` sees them.
pub(super) struct Route<P> {
    pub(super) group: Arc<Group<P>>,
    pub(super) instances: Box<[Instance<P>]>,
}

/// A queue one event goes into: in one group, the queue of the instance (and worker) chosen
/// for its aggregate.
pub(super) struct Target<'a, P> {
    pub(super) group: &'a Arc<Group<P>>,
    pub(super) sender: &'a mpsc::Sender<Arc<Envelope<P>>>,
    pub(super) capacity: usize,
    pub(super) permit: Option<mpsc::Permit<'a, Arc<Envelope<P>>>>,
}

/// Where one event goes: its queues, up to four in place (no allocation per publish), more in
/// a `Vec`; and whether immediate subscribers want it too (they are found again when their
/// turn comes, see [`InMemoryBus::deliver_immediate`]).
pub(super) struct Targets<'a, P> {
    pub(super) inline: [Option<Target<'a, P>>; 4],
    pub(super) more: Vec<Target<'a, P>>,
    pub(super) immediate: bool,
}

impl<P> Default for Targets<'_, P> {
    fn default() -> Self {
        Self {
            inline: [None, None, None, None],
            more: Vec::new(),
            immediate: false,
        }
    }
}

impl<'a, P> Targets<'a, P> {
    pub(super) fn push(&mut self, target: Target<'a, P>) {
        match self.inline.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(target),
            None => self.more.push(target),
        }
    }

    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Target<'a, P>> {
        self.inline.iter_mut().flatten().chain(self.more.iter_mut())
    }

    pub(super) fn queued(&self) -> usize {
        self.inline.iter().flatten().count() + self.more.len()
    }
}

/// Whether an instance wants an eventType and version.
pub(super) type Accepts = Arc<dyn Fn(&str, &str) -> bool + Send + Sync>;

pub(super) enum Instance<P> {
    Immediate(Arc<dyn Handler<P>>),
    Queued {
        senders: Vec<mpsc::Sender<Arc<Envelope<P>>>>,
        accepts: Accepts,
        capacity: usize,
    },
}

impl<P> Clone for Instance<P> {
    fn clone(&self) -> Self {
        match self {
            Instance::Immediate(handler) => Instance::Immediate(Arc::clone(handler)),
            Instance::Queued {
                senders,
                accepts,
                capacity,
            } => Instance::Queued {
                senders: senders.clone(),
                accepts: Arc::clone(accepts),
                capacity: *capacity,
            },
        }
    }
}

impl<P> InMemoryBus<P>
where
    P: EventPayload + Clone + Send + Sync + 'static,
{
    pub(super) fn groups(&self) -> Vec<Arc<Group<P>>> {
        self.inner
            .groups
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The group named `name`, created with these options if new.
    pub(super) fn group(
        &self,
        options: &SubscriptionOptions,
    ) -> Result<Arc<Group<P>>, SubscribeError> {
        let mut groups = self
            .inner
            .groups
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(group) = groups.iter().find(|group| *group.name == *options.name) {
            let differs = if group.strategy != options.strategy {
                Some("strategy")
            } else if group.retry != options.retry {
                Some("retry policy")
            } else if group.idempotent != options.idempotent {
                Some("idempotency")
            } else {
                None
            };
            if let Some(what) = differs {
                return Err(SubscribeError::OptionsMismatch {
                    name: options.name.clone(),
                    what,
                });
            }
            return Ok(Arc::clone(group));
        }
        let name: Arc<str> = options.name.as_str().into();
        let group = Arc::new(Group {
            name: Arc::clone(&name),
            strategy: options.strategy,
            retry: options.retry.clone(),
            idempotent: options.idempotent,
            depth: AtomicI64::new(0),
            instances: RwLock::new(Vec::new()),
            metrics: GroupMetrics::new(name),
        });
        groups.push(Arc::clone(&group));
        Ok(group)
    }

    pub(super) fn check_open(&self, name: &str) -> Result<tokio::runtime::Handle, SubscribeError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(SubscribeError::Closed(name.to_owned()));
        }
        tokio::runtime::Handle::try_current()
            .map_err(|_| SubscribeError::NoRuntime(name.to_owned()))
    }

    pub(super) fn add_instance(&self, group: &Group<P>, instance: Instance<P>) -> Subscription {
        let groups = self
            .inner
            .groups
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let index = {
            let mut instances = group
                .instances
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            instances.push(instance);
            instances.len() - 1
        };
        self.rebuild_routing(&groups);
        Subscription {
            name: group.name.to_string(),
            instance: index,
        }
    }

    /// Publishes a new routing table from the groups' instances. Called with the `groups`
    /// lock held, so that two rebuilds cannot race.
    pub(super) fn rebuild_routing(&self, groups: &[Arc<Group<P>>]) {
        let routing: Arc<[Route<P>]> = groups
            .iter()
            .map(|group| Route {
                group: Arc::clone(group),
                instances: group
                    .instances
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .iter()
                    .cloned()
                    .collect(),
            })
            .filter(|route| !route.instances.is_empty())
            .collect();
        *self
            .inner
            .routing
            .write()
            .unwrap_or_else(PoisonError::into_inner) = routing;
    }

    pub(super) fn routing(&self) -> Arc<[Route<P>]> {
        Arc::clone(
            &self
                .inner
                .routing
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    pub(super) fn spawn_worker(
        &self,
        runtime: &tokio::runtime::Handle,
        work: impl Future<Output = ()> + Send + 'static,
    ) {
        self.inner.active_workers.fetch_add(1, Ordering::SeqCst);
        let inner = Arc::clone(&self.inner);
        runtime.spawn(async move {
            work.await;
            if inner.active_workers.fetch_sub(1, Ordering::SeqCst) == 1 {
                inner.workers_done.notify_waiters();
            }
        });
    }

    pub(super) fn worker(&self, group: &Arc<Group<P>>) -> Worker<P> {
        Worker {
            inner: Arc::clone(&self.inner),
            group: Arc::clone(group),
            deadline: self.inner.deadline.subscribe(),
        }
    }

    /// Where an envelope goes: in each group that accepts it, the instance chosen by its
    /// aggregate (and, if queued, the worker).
    pub(super) fn targets<'a>(routing: &'a [Route<P>], envelope: &Envelope<P>) -> Targets<'a, P> {
        let (event_type, event_version) = (envelope.event_type(), envelope.event_version());
        let key = envelope.aggregate_id;
        let mut targets = Targets::default();
        for route in routing {
            let instance = &route.instances[partition(key, route.instances.len())];
            match instance {
                Instance::Immediate(handler) => {
                    if handler.accepts(event_type, event_version) {
                        targets.immediate = true;
                    }
                }
                Instance::Queued {
                    senders,
                    accepts,
                    capacity,
                } => {
                    if accepts(event_type, event_version) {
                        targets.push(Target {
                            group: &route.group,
                            sender: &senders[partition(key, senders.len())],
                            capacity: *capacity,
                            permit: None,
                        });
                    }
                }
            }
        }
        targets
    }
}

/// Which of `parts` instances (or workers) handles an aggregate's events: the same one for
/// every event of the aggregate while their number stays the same. Both halves of the id are
/// folded into 64 bits first (a `u128` remainder is a library call, several times slower).
pub(super) fn partition(aggregate_id: uuid::Uuid, parts: usize) -> usize {
    let (high, low) = aggregate_id.as_u64_pair();
    #[allow(clippy::cast_possible_truncation)]
    let part = ((high ^ low) % parts as u64) as usize;
    part
}
