//! The conformance suite of [`EventBus`] implementations.
//!
//! Every function of [`suite`] is generic over the bus: it takes `make: impl Fn() -> B`, which
//! builds a fresh bus, for any `B: EventBus<AnyEvent> + Clone`. [`conformance_suite!`] turns
//! the whole suite into one `#[tokio::test]` per function for a bus constructor; it is
//! instantiated below for [`InMemoryBus`], and a broker-backed bus adds one module.
//!
//! Everything runs on tokio's paused clock (`start_paused = true`): the clock moves only when
//! every task waits, straight to the next timer. Retry backoffs and batch windows are therefore
//! exact in virtual time, and the suite never sleeps for real.

/// One `#[tokio::test(start_paused = true)]` per suite function, for the bus `make` builds.
macro_rules! conformance_suite {
    ($make:expr) => {
        conformance_suite!(
            @tests $make;
            catch_all_gets_every_event,
            typed_handler_gets_only_its_type,
            generated_subscriber_traits_through_into_handler,
            consumer_groups_share_work_and_each_group_gets_everything,
            per_aggregate_order_with_several_workers,
            a_default_subscription_keeps_causal_order_across_aggregates,
            an_unpolled_publish_sends_nothing,
            publishing_in_a_loop_lets_other_tasks_run,
            immediate_runs_inside_publish_and_returns_its_error,
            retries_follow_the_default_exponential_backoff,
            permanent_errors_are_not_retried,
            unlisted_retryable_codes_are_not_retried,
            dead_letters_are_listed_inspected_discarded_and_reprocessed,
            dead_letter_threshold_hook_fires_at_n,
            duplicates_are_handled_once_per_idempotent_subscriber,
            reprocessing_after_success_handles_once,
            a_duplicate_of_a_dead_letter_stays_one_dead_letter,
            batches_fill_by_size_or_by_time,
            a_failing_batch_is_retried_whole_then_dead_lettered_whole,
            backpressure_try_publish_refuses_and_publish_waits,
            shutdown_drains_queued_events_and_refuses_new_work,
            shutdown_dead_letters_what_cannot_finish,
            shutdown_dead_letters_a_hung_batch,
            a_publish_waiting_for_room_during_shutdown_is_not_lost,
            a_panicking_handler_is_isolated,
            invalid_payloads_are_refused_at_publish,
            publisher_stamps_envelopes_and_checks_batches_first,
        );
    };
    (@tests $make:expr; $($test:ident),* $(,)?) => {
        $(
            #[tokio::test(start_paused = true)]
            async fn $test() {
                crate::suite::$test($make).await;
            }
        )*
    };
}

mod in_memory_bus {
    conformance_suite!(novel_events::InMemoryBus::<novel_events::novel_engine::AnyEvent>::new);
}

/// The same bus over a store that does not claim (`IdempotencyStore`'s provided methods): the
/// bus checks before each delivery and marks after each success, as for a store of one's own.
mod in_memory_bus_check_then_mark {
    use novel_events::{IdempotencyStore, InMemoryBus, InMemoryIdempotency};
    use uuid::Uuid;

    struct CheckThenMark(InMemoryIdempotency);

    impl IdempotencyStore for CheckThenMark {
        fn is_handled(&self, subscriber: &str, event_id: Uuid) -> bool {
            self.0.is_handled(subscriber, event_id)
        }

        fn mark_handled(&self, subscriber: &str, event_id: Uuid) {
            self.0.mark_handled(subscriber, event_id);
        }
    }

    fn make() -> InMemoryBus<novel_events::novel_engine::AnyEvent> {
        InMemoryBus::with_idempotency(CheckThenMark(InMemoryIdempotency::default()))
    }

    conformance_suite!(make);
}

/// The suite: each function builds its buses with `make` and checks one promise of the
/// [`EventBus`] contract.
pub mod suite {
    use std::collections::{HashMap, HashSet};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use novel_events::novel_engine::characters::{
        AcquisitionMethod, CharacterCreated, CharacterDeleted, CharacterRelationshipFormed,
        CharacterSkillGained, CharacterType, PersonalityTraits, RelationshipType,
    };
    use novel_events::novel_engine::{AnyEvent, CharactersSubscriber, CleanupServiceSubscriber};
    use novel_events::{
        BatchHandler, Envelope, Event, EventBus, Handler, HandlerError, HandlerFuture,
        HandlerResult, PublishError, Publisher, ReprocessError, RetryPolicy, SubscribeError,
        SubscriptionOptions, handler_fn, on,
    };
    use tokio::sync::Semaphore;
    use tokio::time::Instant;
    use uuid::Uuid;

    /// What the suite needs of a bus.
    pub trait Bus: EventBus<AnyEvent> + Clone + Send + Sync + 'static {}
    impl<B: EventBus<AnyEvent> + Clone + Send + Sync + 'static> Bus for B {}

    type Env = Envelope<AnyEvent>;

    const SOURCE: &str = "conformance-suite";

    // ----- events -----------------------------------------------------------------------

    fn skill(aggregate: Uuid, level: i64) -> Env {
        Envelope::new(
            AnyEvent::from(CharacterSkillGained {
                character_id: aggregate,
                skill_name: "swordplay".into(),
                skill_level: level,
                acquisition_method: AcquisitionMethod::Training,
                context: "sparring".into(),
            }),
            SOURCE,
        )
    }

    fn deleted(aggregate: Uuid) -> Env {
        Envelope::new(AnyEvent::from(deleted_payload(aggregate)), SOURCE)
    }

    fn deleted_payload(aggregate: Uuid) -> CharacterDeleted {
        CharacterDeleted {
            character_id: aggregate,
            name: "Oren".into(),
            deletion_reason: "retired".into(),
            deleted_by: Uuid::from_u128(7),
        }
    }

    fn created(aggregate: Uuid) -> Env {
        Envelope::new(
            AnyEvent::from(CharacterCreated {
                character_id: aggregate,
                name: "Mira Vale".into(),
                r#type: CharacterType::Protagonist,
                personality_traits: PersonalityTraits {
                    openness: 0.8,
                    conscientiousness: 0.6,
                    extraversion: 0.4,
                    agreeableness: 0.7,
                    neuroticism: 0.2,
                },
                background: "A cartographer of drowned cities.".into(),
                configuration: serde_json::Map::new(),
                created_by: Uuid::from_u128(7),
            }),
            SOURCE,
        )
    }

    fn relationship(strength: f64) -> AnyEvent {
        AnyEvent::from(CharacterRelationshipFormed {
            character_id: Uuid::new_v4(),
            related_character_id: Uuid::new_v4(),
            relationship_type: RelationshipType::Ally,
            relationship_strength: strength,
            context: "shared a campfire".into(),
            formation_event: "the flood".into(),
        })
    }

    fn level(envelope: &Env) -> Option<i64> {
        match &envelope.payload {
            AnyEvent::CharacterSkillGained(skill) => Some(skill.skill_level),
            _ => None,
        }
    }

    // ----- recording handlers ---------------------------------------------------------------

    /// The envelopes a handler received, in the order it received them.
    #[derive(Clone, Default)]
    struct Log(Arc<Mutex<Vec<Env>>>);

    impl Log {
        fn push(&self, envelope: Env) {
            self.0.lock().unwrap().push(envelope);
        }

        fn all(&self) -> Vec<Env> {
            self.0.lock().unwrap().clone()
        }

        fn ids(&self) -> Vec<Uuid> {
            self.all()
                .iter()
                .map(|envelope| envelope.event_id)
                .collect()
        }

        fn len(&self) -> usize {
            self.0.lock().unwrap().len()
        }

        fn count(&self, event_id: Uuid) -> usize {
            self.ids().iter().filter(|id| **id == event_id).count()
        }
    }

    /// A catch-all handler recording every envelope.
    fn recorder(log: &Log) -> impl Handler<AnyEvent> + use<> {
        let log = log.clone();
        handler_fn(move |envelope: Env| {
            let log = log.clone();
            async move {
                log.push(envelope);
                HandlerResult::Ok(())
            }
        })
    }

    /// Subscribes two recorders: the asynchronous `audit-log` and an immediate one named
    /// `immediate`; returns their logs in that order.
    fn audit_log_and_immediate<B: Bus>(bus: &B, immediate: &str) -> (Log, Log) {
        let (queued, inline) = (Log::default(), Log::default());
        bus.subscribe(
            SubscriptionOptions::asynchronous("audit-log"),
            recorder(&queued),
        )
        .unwrap();
        bus.subscribe(SubscriptionOptions::immediate(immediate), recorder(&inline))
            .unwrap();
        (queued, inline)
    }

    /// Records each envelope it begins, then never finishes: what shutdown has to cut short.
    fn stuck_recorder(log: &Log) -> impl Handler<AnyEvent> + use<> {
        let log = log.clone();
        handler_fn(move |envelope: Env| {
            let log = log.clone();
            async move {
                log.push(envelope);
                std::future::pending::<HandlerResult>().await
            }
        })
    }

    /// Calls per eventId.
    #[derive(Clone, Default)]
    struct Calls(Arc<Mutex<HashMap<Uuid, u32>>>);

    impl Calls {
        /// Counts a call; returns its number (1 for the first).
        fn call(&self, event_id: Uuid) -> u32 {
            let mut calls = self.0.lock().unwrap();
            let count = calls.entry(event_id).or_default();
            *count += 1;
            *count
        }

        fn of(&self, event_id: Uuid) -> u32 {
            self.0.lock().unwrap().get(&event_id).copied().unwrap_or(0)
        }
    }

    // ----- time ---------------------------------------------------------------------------

    /// Waits (in virtual time) until `condition` holds; fails after 100 virtual seconds.
    async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
        for _ in 0..10_000 {
            if condition() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("waited 100 s of virtual time, still not: {what}");
    }

    /// Lets everything that can happen happen: a minute of virtual time.
    async fn settle() {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }

    async fn shutdown<B: Bus>(bus: &B) -> novel_events::ShutdownReport {
        tokio::time::timeout(
            Duration::from_secs(3600),
            bus.shutdown(Duration::from_secs(30)),
        )
        .await
        .expect("shutdown returns after its deadline")
    }

    fn dead_letter_ids<B: Bus>(bus: &B, subscriber: &str) -> Vec<Uuid> {
        bus.dead_letters()
            .list()
            .iter()
            .filter(|letter| letter.subscriber == subscriber)
            .map(|letter| letter.envelope.event_id)
            .collect()
    }

    // ----- delivery -------------------------------------------------------------------------

    /// A catch-all subscriber receives every event, unchanged.
    pub async fn catch_all_gets_every_event<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let log = Log::default();
        bus.subscribe(
            SubscriptionOptions::asynchronous("audit-log"),
            recorder(&log),
        )
        .unwrap();

        let character = Uuid::new_v4();
        let published = vec![
            created(character),
            skill(character, 3),
            deleted(character),
            skill(Uuid::new_v4(), 1),
        ];
        for envelope in &published {
            bus.publish(envelope.clone()).await.unwrap();
        }
        eventually("the audit log has every event", || {
            log.len() == published.len()
        })
        .await;
        settle().await;

        let mut received = log.all();
        received.sort_by_key(|envelope| envelope.event_id);
        let mut expected = published.clone();
        expected.sort_by_key(|envelope| envelope.event_id);
        assert_eq!(received, expected, "each event exactly once, unchanged");
        // One aggregate's events arrive in publish order.
        let of_character: Vec<Uuid> = log
            .all()
            .iter()
            .filter(|envelope| envelope.aggregate_id == character)
            .map(|envelope| envelope.event_id)
            .collect();
        assert_eq!(
            of_character,
            published[..3]
                .iter()
                .map(|e| e.event_id)
                .collect::<Vec<_>>()
        );
        shutdown(&bus).await;
    }

    /// `on::<T>` receives envelopes of `T` only, typed.
    pub async fn typed_handler_gets_only_its_type<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let typed: Arc<Mutex<Vec<Envelope<CharacterDeleted>>>> = Arc::default();
        let all = Log::default();
        let sink = Arc::clone(&typed);
        bus.subscribe(
            SubscriptionOptions::asynchronous("cleanup-service"),
            on::<CharacterDeleted, _, _>(move |event: Envelope<CharacterDeleted>| {
                let sink = Arc::clone(&sink);
                async move {
                    sink.lock().unwrap().push(event);
                    HandlerResult::Ok(())
                }
            }),
        )
        .unwrap();
        bus.subscribe(
            SubscriptionOptions::asynchronous("audit-log"),
            recorder(&all),
        )
        .unwrap();

        let character = Uuid::new_v4();
        let gone = deleted(character);
        for envelope in [
            created(character),
            skill(character, 2),
            gone.clone(),
            skill(character, 3),
        ] {
            bus.publish(envelope).await.unwrap();
        }
        eventually("the catch-all saw all four", || all.len() == 4).await;
        settle().await;

        let typed = typed.lock().unwrap().clone();
        assert_eq!(typed.len(), 1, "only the CharacterDeleted event: {typed:?}");
        assert_eq!(typed[0].event_id, gone.event_id);
        assert_eq!(typed[0].correlation_id, gone.correlation_id);
        assert_eq!(typed[0].payload, deleted_payload(character));
        shutdown(&bus).await;
    }

    #[derive(Clone, Default)]
    struct Cleanup {
        deleted: Arc<Mutex<Vec<Uuid>>>,
    }

    impl CleanupServiceSubscriber for Cleanup {
        async fn on_character_deleted(&self, event: &Envelope<CharacterDeleted>) -> HandlerResult {
            self.deleted
                .lock()
                .unwrap()
                .push(event.payload.character_id);
            Ok(())
        }
    }

    #[derive(Clone, Default)]
    struct Characters {
        seen: Arc<Mutex<Vec<&'static str>>>,
    }

    impl CharactersSubscriber for Characters {
        async fn on_character_created(&self, event: &Envelope<CharacterCreated>) -> HandlerResult {
            self.seen.lock().unwrap().push(event.event_type());
            Ok(())
        }

        async fn on_character_skill_gained(
            &self,
            event: &Envelope<CharacterSkillGained>,
        ) -> HandlerResult {
            self.seen.lock().unwrap().push(event.event_type());
            Ok(())
        }
    }

    /// A generated subscriber trait, through `into_handler()`, gets its events at its methods.
    pub async fn generated_subscriber_traits_through_into_handler<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let cleanup = Cleanup::default();
        let characters = Characters::default();
        let all = Log::default();
        let handler = cleanup.clone().into_handler();
        assert!(Handler::<AnyEvent>::accepts(
            &handler,
            CharacterDeleted::EVENT_TYPE,
            "1.0.0"
        ));
        assert!(!Handler::<AnyEvent>::accepts(
            &handler,
            CharacterCreated::EVENT_TYPE,
            "1.0.0"
        ));
        bus.subscribe(
            SubscriptionOptions::asynchronous("cleanup-service"),
            handler,
        )
        .unwrap();
        bus.subscribe(
            SubscriptionOptions::asynchronous("character-projection"),
            characters.clone().into_handler(),
        )
        .unwrap();
        bus.subscribe(
            SubscriptionOptions::asynchronous("audit-log"),
            recorder(&all),
        )
        .unwrap();

        let character = Uuid::new_v4();
        for envelope in [created(character), skill(character, 5), deleted(character)] {
            bus.publish(envelope).await.unwrap();
        }
        eventually("the catch-all saw all three", || all.len() == 3).await;
        settle().await;

        assert_eq!(*cleanup.deleted.lock().unwrap(), [character]);
        assert_eq!(
            *characters.seen.lock().unwrap(),
            [
                CharacterCreated::EVENT_TYPE,
                CharacterSkillGained::EVENT_TYPE
            ],
            "methods not implemented do nothing; the order of one aggregate is kept"
        );
        shutdown(&bus).await;
    }

    // ----- consumer groups and ordering ------------------------------------------------------

    /// Two subscriptions named alike share the work (each event once for the group); two names
    /// each get every event.
    pub async fn consumer_groups_share_work_and_each_group_gets_everything<B: Bus>(
        make: impl Fn() -> B,
    ) {
        let bus = make();
        let (first, second, auditor) = (Log::default(), Log::default(), Log::default());
        let one = bus
            .subscribe(
                SubscriptionOptions::asynchronous("indexer"),
                recorder(&first),
            )
            .unwrap();
        let two = bus
            .subscribe(
                SubscriptionOptions::asynchronous("indexer"),
                recorder(&second),
            )
            .unwrap();
        assert_eq!(
            (one.name.as_str(), two.name.as_str()),
            ("indexer", "indexer")
        );
        assert_ne!(one.instance, two.instance);
        bus.subscribe(
            SubscriptionOptions::asynchronous("auditor"),
            recorder(&auditor),
        )
        .unwrap();

        let mut published = Vec::new();
        for round in 0..3 {
            for aggregate in 1..=20u128 {
                let envelope = skill(Uuid::from_u128(aggregate), round);
                published.push(envelope.event_id);
                bus.publish(envelope).await.unwrap();
            }
        }
        eventually("the auditor saw every event", || {
            auditor.len() == published.len()
        })
        .await;
        eventually("the indexer group handled every event", || {
            first.len() + second.len() == published.len()
        })
        .await;
        settle().await;

        let mut group: Vec<Uuid> = first.ids().into_iter().chain(second.ids()).collect();
        group.sort();
        let mut expected = published.clone();
        expected.sort();
        assert_eq!(group, expected, "the group handles each event exactly once");
        let mut audited = auditor.ids();
        audited.sort();
        assert_eq!(audited, expected, "another group gets every event too");
        assert!(
            !first.ids().is_empty() && !second.ids().is_empty(),
            "both instances got work"
        );
        // An aggregate belongs to one instance at a time.
        let first_aggregates: HashSet<Uuid> = first.all().iter().map(|e| e.aggregate_id).collect();
        assert!(
            second
                .all()
                .iter()
                .all(|e| !first_aggregates.contains(&e.aggregate_id))
        );
        shutdown(&bus).await;
    }

    /// With several workers (and instances), each aggregate's events are handled in publish
    /// order, however they interleave.
    pub async fn per_aggregate_order_with_several_workers<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let seen: Arc<Mutex<Vec<(Uuid, i64)>>> = Arc::default();
        for _ in 0..2 {
            let seen = Arc::clone(&seen);
            bus.subscribe(
                SubscriptionOptions::asynchronous("projector").with_queue(3, 64),
                handler_fn(move |envelope: Env| {
                    let seen = Arc::clone(&seen);
                    async move {
                        let level = level(&envelope).unwrap();
                        // Uneven handling times shuffle the workers against each other.
                        let pause =
                            ((envelope.aggregate_id.as_u128() % 7) as u64 + level as u64 * 3) % 5;
                        tokio::time::sleep(Duration::from_millis(pause)).await;
                        seen.lock().unwrap().push((envelope.aggregate_id, level));
                        HandlerResult::Ok(())
                    }
                }),
            )
            .unwrap();
        }

        let aggregates: Vec<Uuid> = (0..8).map(|_| Uuid::new_v4()).collect();
        let per_aggregate = 25;
        for level in 0..per_aggregate {
            for aggregate in &aggregates {
                bus.publish(skill(*aggregate, level)).await.unwrap();
            }
        }
        let total = aggregates.len() * per_aggregate as usize;
        eventually("every event is handled", || {
            seen.lock().unwrap().len() == total
        })
        .await;

        let seen = seen.lock().unwrap().clone();
        for aggregate in &aggregates {
            let order: Vec<i64> = seen
                .iter()
                .filter(|(a, _)| a == aggregate)
                .map(|(_, l)| *l)
                .collect();
            assert_eq!(
                order,
                (0..per_aggregate).collect::<Vec<_>>(),
                "aggregate {aggregate}"
            );
        }
        let interleaved = seen
            .windows(2)
            .filter(|pair| pair[0].0 != pair[1].0)
            .count();
        assert!(interleaved > 0, "aggregates were handled interleaved");
        shutdown(&bus).await;
    }

    /// A subscription with the default options handles events in publish order, across
    /// aggregates too, so an event never reaches it before the event that caused it (the seed's
    /// "maintain causal ordering for related events"), however long each handler takes.
    pub async fn a_default_subscription_keeps_causal_order_across_aggregates<B: Bus>(
        make: impl Fn() -> B,
    ) {
        let bus = make();
        let seen: Arc<Mutex<Vec<Uuid>>> = Arc::default();
        {
            let seen = Arc::clone(&seen);
            bus.subscribe(
                SubscriptionOptions::asynchronous("story-engine"),
                handler_fn(move |envelope: Env| {
                    let seen = Arc::clone(&seen);
                    async move {
                        // The longest pauses on the causes: a worker per aggregate would let
                        // their effects overtake them.
                        let pause = 40 - (seen.lock().unwrap().len() as u64 % 4) * 10;
                        tokio::time::sleep(Duration::from_millis(pause)).await;
                        seen.lock().unwrap().push(envelope.event_id);
                        HandlerResult::Ok(())
                    }
                }),
            )
            .unwrap();
        }
        let publisher = Publisher::new(bus.clone(), "character-service");
        // A chain of causes and effects, each on another character.
        let mut chain = vec![
            publisher
                .publish::<AnyEvent, _>(deleted_payload(Uuid::new_v4()))
                .await
                .unwrap(),
        ];
        for step in 0..23 {
            let effect = if step % 2 == 0 {
                created(Uuid::new_v4()).payload
            } else {
                relationship(0.5)
            };
            let cause = chain.last().unwrap().clone();
            chain.push(
                publisher
                    .publish_caused_by::<AnyEvent, _, _>(&cause, effect)
                    .await
                    .unwrap(),
            );
        }
        eventually("the whole chain is handled", || {
            seen.lock().unwrap().len() == chain.len()
        })
        .await;
        let published: Vec<Uuid> = chain.iter().map(|envelope| envelope.event_id).collect();
        assert_eq!(*seen.lock().unwrap(), published, "handled in publish order");
        shutdown(&bus).await;
    }

    /// Like every future, `publish` and `try_publish` do nothing until polled: a publish
    /// dropped unpolled sends nothing.
    pub async fn an_unpolled_publish_sends_nothing<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let (queued, immediate) = audit_log_and_immediate(&bus, "indexer");

        drop(bus.publish(created(Uuid::new_v4())));
        drop(bus.try_publish(created(Uuid::new_v4())));
        let sent = created(Uuid::new_v4());
        bus.publish(sent.clone()).await.unwrap();
        settle().await;
        assert_eq!(queued.ids(), vec![sent.event_id]);
        assert_eq!(immediate.ids(), vec![sent.event_id]);
        shutdown(&bus).await;
    }

    /// A task publishing in a loop takes turns with the other tasks of its thread (as a
    /// channel's `send` does), even when no queue is ever full.
    pub async fn publishing_in_a_loop_lets_other_tasks_run<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let log = Log::default();
        bus.subscribe(
            SubscriptionOptions::asynchronous("audit-log").with_queue(1, 4096),
            recorder(&log),
        )
        .unwrap();
        let ran = Arc::new(AtomicBool::new(false));
        // The suite runs on a current-thread runtime: this task runs only when the publishing
        // task yields.
        tokio::spawn({
            let ran = Arc::clone(&ran);
            async move { ran.store(true, Ordering::SeqCst) }
        });
        let events = 2_000;
        let mut first_seen = None;
        for published in 0..events {
            bus.publish(skill(Uuid::new_v4(), 1)).await.unwrap();
            if first_seen.is_none() && ran.load(Ordering::SeqCst) {
                first_seen = Some(published);
            }
        }
        assert!(
            first_seen.is_some(),
            "{events} publishes in a row never let another task run"
        );
        eventually("every event is handled", || log.len() == events).await;
        shutdown(&bus).await;
    }

    // ----- the immediate strategy ------------------------------------------------------------

    /// An immediate subscriber runs before `publish` returns; its error is the publisher's, and
    /// every other subscriber still gets the event.
    pub async fn immediate_runs_inside_publish_and_returns_its_error<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let calls = Calls::default();
        let audit = Log::default();
        bus.subscribe(
            SubscriptionOptions::asynchronous("audit-log"),
            recorder(&audit),
        )
        .unwrap();
        let counted = calls.clone();
        bus.subscribe(
            SubscriptionOptions::immediate("consistency-check"),
            handler_fn(move |envelope: Env| {
                let counted = counted.clone();
                async move {
                    counted.call(envelope.event_id);
                    tokio::task::yield_now().await;
                    match envelope.payload {
                        AnyEvent::CharacterDeleted(_) => {
                            Err(HandlerError::permanent("characters are never deleted"))
                        }
                        _ => Ok(()),
                    }
                }
            }),
        )
        .unwrap();

        let character = Uuid::new_v4();
        let fine = skill(character, 1);
        bus.publish(fine.clone()).await.unwrap();
        assert_eq!(
            calls.of(fine.event_id),
            1,
            "the handler ran before publish returned"
        );

        let refused = deleted(character);
        match bus.publish(refused.clone()).await {
            Err(PublishError::Handler {
                subscriber,
                event_type,
                source,
            }) => {
                assert_eq!(subscriber, "consistency-check");
                assert_eq!(event_type, CharacterDeleted::EVENT_TYPE);
                assert_eq!(source.code(), "permanent");
            }
            other => panic!("expected the immediate subscriber's error, got {other:?}"),
        }
        assert_eq!(calls.of(refused.event_id), 1);

        eventually("the other subscriber got both events", || audit.len() == 2).await;
        settle().await;
        assert_eq!(audit.ids(), [fine.event_id, refused.event_id]);
        assert_eq!(
            calls.of(refused.event_id),
            1,
            "an immediate failure is not retried"
        );
        assert!(
            bus.dead_letters().is_empty(),
            "nor dead-lettered: the publisher decides"
        );
        shutdown(&bus).await;
    }

    // ----- retries --------------------------------------------------------------------------

    /// A handler failing twice with `network-timeout`, then succeeding: with the default
    /// policy, attempts at 0 s, 1 s and 3 s of virtual time, then no dead letter.
    pub async fn retries_follow_the_default_exponential_backoff<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let attempts: Arc<Mutex<Vec<Instant>>> = Arc::default();
        let handled = Log::default();
        let (times, done) = (Arc::clone(&attempts), handled.clone());
        bus.subscribe(
            SubscriptionOptions::asynchronous("memory-service"),
            handler_fn(move |envelope: Env| {
                let (times, done) = (Arc::clone(&times), done.clone());
                async move {
                    let attempt = {
                        let mut times = times.lock().unwrap();
                        times.push(Instant::now());
                        times.len()
                    };
                    if attempt <= 2 {
                        return Err(HandlerError::retryable(
                            HandlerError::NETWORK_TIMEOUT,
                            "upstream is slow",
                        ));
                    }
                    done.push(envelope);
                    Ok(())
                }
            }),
        )
        .unwrap();

        let start = Instant::now();
        let envelope = skill(Uuid::new_v4(), 1);
        bus.publish(envelope.clone()).await.unwrap();
        eventually("the third attempt succeeded", || handled.len() == 1).await;
        settle().await;

        let offsets: Vec<Duration> = attempts
            .lock()
            .unwrap()
            .iter()
            .map(|at| *at - start)
            .collect();
        assert_eq!(
            offsets,
            [
                Duration::ZERO,
                Duration::from_secs(1),
                Duration::from_secs(3)
            ]
        );
        assert_eq!(handled.ids(), [envelope.event_id]);
        assert!(bus.dead_letters().is_empty());
        shutdown(&bus).await;
    }

    async fn failing_once_and_for_all<B: Bus>(
        make: impl Fn() -> B,
        error: fn() -> HandlerError,
        code: &str,
    ) {
        let bus = make();
        let calls = Calls::default();
        let counted = calls.clone();
        bus.subscribe(
            SubscriptionOptions::asynchronous("story-engine"),
            handler_fn(move |envelope: Env| {
                let counted = counted.clone();
                async move {
                    counted.call(envelope.event_id);
                    Err(error())
                }
            }),
        )
        .unwrap();
        let envelope = skill(Uuid::new_v4(), 1);
        bus.publish(envelope.clone()).await.unwrap();
        eventually("the event is dead-lettered", || {
            bus.dead_letters().len() == 1
        })
        .await;
        settle().await;

        assert_eq!(calls.of(envelope.event_id), 1, "no retry");
        let letters = bus.dead_letters().list();
        assert_eq!(letters.len(), 1);
        assert_eq!(letters[0].envelope.event_id, envelope.event_id);
        assert_eq!(letters[0].attempts, 1);
        assert_eq!(letters[0].error_code, code);
        assert_eq!(letters[0].subscriber, "story-engine");
        shutdown(&bus).await;
    }

    /// A permanent error is dead-lettered after one attempt.
    pub async fn permanent_errors_are_not_retried<B: Bus>(make: impl Fn() -> B) {
        failing_once_and_for_all(
            make,
            || HandlerError::permanent("the prompt is malformed"),
            "permanent",
        )
        .await;
    }

    /// A retryable error whose code the policy does not list is not retried.
    pub async fn unlisted_retryable_codes_are_not_retried<B: Bus>(make: impl Fn() -> B) {
        failing_once_and_for_all(
            make,
            || HandlerError::retryable("disk-full", "no space left"),
            "disk-full",
        )
        .await;
    }

    // ----- dead letters ---------------------------------------------------------------------

    /// After the retries, a dead letter says who failed, how, how often and when; it can be
    /// listed, fetched, discarded, and reprocessed once the handler is fixed.
    pub async fn dead_letters_are_listed_inspected_discarded_and_reprocessed<B: Bus>(
        make: impl Fn() -> B,
    ) {
        let bus = make();
        let fixed = Arc::new(AtomicBool::new(false));
        let calls = Calls::default();
        let handled = Log::default();
        let (is_fixed, counted, done) = (Arc::clone(&fixed), calls.clone(), handled.clone());
        bus.subscribe(
            SubscriptionOptions::asynchronous("analytics-service"),
            handler_fn(move |envelope: Env| {
                let (is_fixed, counted, done) =
                    (Arc::clone(&is_fixed), counted.clone(), done.clone());
                async move {
                    counted.call(envelope.event_id);
                    if !is_fixed.load(Ordering::SeqCst) {
                        return Err(HandlerError::retryable(
                            HandlerError::SERVICE_UNAVAILABLE,
                            "the warehouse is down",
                        ));
                    }
                    done.push(envelope);
                    Ok(())
                }
            }),
        )
        .unwrap();

        let character = Uuid::new_v4();
        let events = [
            skill(character, 1),
            skill(character, 2),
            skill(character, 3),
        ];
        for envelope in &events {
            bus.publish(envelope.clone()).await.unwrap();
        }
        eventually("three dead letters", || bus.dead_letters().len() == 3).await;
        settle().await;

        let letters = bus.dead_letters().list();
        assert_eq!(
            letters
                .iter()
                .map(|l| l.envelope.event_id)
                .collect::<Vec<_>>(),
            events.iter().map(|e| e.event_id).collect::<Vec<_>>(),
            "oldest first"
        );
        for letter in &letters {
            assert_eq!(letter.subscriber, "analytics-service");
            assert_eq!(letter.error_code, "service-unavailable");
            assert!(
                letter.error.contains("the warehouse is down"),
                "{}",
                letter.error
            );
            assert_eq!(letter.attempts, 3);
            assert!(letter.first_failed_at <= letter.last_failed_at);
            assert_eq!(calls.of(letter.envelope.event_id), 3);
        }
        let ids: HashSet<u64> = letters.iter().map(|l| l.id).collect();
        assert_eq!(ids.len(), 3, "distinct ids");
        let first = bus.dead_letters().get(letters[0].id).expect("get by id");
        assert_eq!(first.envelope.event_id, events[0].event_id);

        let discarded = bus
            .dead_letters()
            .discard(letters[2].id)
            .expect("discarded");
        assert_eq!(discarded.envelope.event_id, events[2].event_id);
        assert!(bus.dead_letters().get(letters[2].id).is_none());
        assert!(bus.dead_letters().discard(letters[2].id).is_none());
        assert_eq!(bus.dead_letters().len(), 2);

        // Still broken: reprocessing fails again, with fresh attempts, into a new dead letter.
        bus.reprocess(letters[1].id).await.unwrap();
        eventually("the retried event failed three more times", || {
            calls.of(events[1].event_id) == 6
        })
        .await;
        eventually("it is dead-lettered again", || {
            bus.dead_letters().len() == 2
        })
        .await;
        assert!(
            bus.dead_letters().get(letters[1].id).is_none(),
            "the old entry is gone"
        );
        let again = bus
            .dead_letters()
            .list()
            .into_iter()
            .find(|l| l.envelope.event_id == events[1].event_id)
            .expect("a new dead letter");
        assert_eq!(again.attempts, 3);

        // Fixed: reprocessing delivers and removes the entry.
        fixed.store(true, Ordering::SeqCst);
        bus.reprocess(letters[0].id).await.unwrap();
        bus.reprocess(again.id).await.unwrap();
        eventually("both were handled", || handled.len() == 2).await;
        settle().await;
        assert_eq!(handled.ids(), [events[0].event_id, events[1].event_id]);
        assert!(bus.dead_letters().is_empty());
        assert!(matches!(
            bus.reprocess(letters[0].id).await,
            Err(ReprocessError::NotFound(id)) if id == letters[0].id
        ));
        assert_eq!(
            handled.count(events[2].event_id),
            0,
            "a discarded event stays discarded"
        );
        shutdown(&bus).await;
    }

    /// The threshold hook fires once when the queue grows to N entries.
    pub async fn dead_letter_threshold_hook_fires_at_n<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let fired: Arc<Mutex<Vec<usize>>> = Arc::default();
        let sink = Arc::clone(&fired);
        bus.dead_letters()
            .on_threshold(3, move |len| sink.lock().unwrap().push(len));
        bus.subscribe(
            SubscriptionOptions::asynchronous("fragile").with_retry(RetryPolicy::no_retry()),
            handler_fn(|_: Env| async { Err(HandlerError::permanent("always")) }),
        )
        .unwrap();

        for level in 0..2 {
            bus.publish(skill(Uuid::new_v4(), level)).await.unwrap();
        }
        eventually("two dead letters", || bus.dead_letters().len() == 2).await;
        assert!(fired.lock().unwrap().is_empty(), "below the threshold");
        bus.publish(skill(Uuid::new_v4(), 2)).await.unwrap();
        eventually("three dead letters", || bus.dead_letters().len() == 3).await;
        assert_eq!(*fired.lock().unwrap(), [3]);
        bus.publish(skill(Uuid::new_v4(), 3)).await.unwrap();
        eventually("four dead letters", || bus.dead_letters().len() == 4).await;
        assert_eq!(*fired.lock().unwrap(), [3], "fires once while above");

        // Below the threshold again, then back up to it: fires again.
        for letter in bus.dead_letters().list().into_iter().take(2) {
            bus.dead_letters().discard(letter.id);
        }
        bus.publish(skill(Uuid::new_v4(), 4)).await.unwrap();
        eventually("three dead letters again", || bus.dead_letters().len() == 3).await;
        assert_eq!(*fired.lock().unwrap(), [3, 3]);
        shutdown(&bus).await;
    }

    // ----- idempotency ----------------------------------------------------------------------

    /// The same envelope published twice is handled once by an idempotent subscriber (of
    /// every strategy), twice by a `not_idempotent()` one.
    pub async fn duplicates_are_handled_once_per_idempotent_subscriber<B: Bus>(
        make: impl Fn() -> B,
    ) {
        let bus = make();
        let (once, every, batched, immediate) = (
            Log::default(),
            Log::default(),
            Log::default(),
            Log::default(),
        );
        bus.subscribe(SubscriptionOptions::asynchronous("once"), recorder(&once))
            .unwrap();
        bus.subscribe(
            SubscriptionOptions::asynchronous("every").not_idempotent(),
            recorder(&every),
        )
        .unwrap();
        bus.subscribe(
            SubscriptionOptions::immediate("checker"),
            recorder(&immediate),
        )
        .unwrap();
        let sink = batched.clone();
        bus.subscribe_batch(
            SubscriptionOptions::batch("batched", 10, Duration::from_millis(100)),
            BatchFn(move |batch: &[Arc<Env>]| {
                for envelope in batch {
                    sink.push((**envelope).clone());
                }
                Ok(())
            }),
        )
        .unwrap();

        let envelope = skill(Uuid::new_v4(), 1);
        // Twice back to back (the second copy lands in the same batch window), and once later.
        bus.publish(envelope.clone()).await.unwrap();
        bus.publish(envelope.clone()).await.unwrap();
        eventually("the non-idempotent subscriber got both", || {
            every.len() == 2
        })
        .await;
        settle().await;
        bus.publish(envelope.clone()).await.unwrap();
        eventually("the non-idempotent subscriber got the third", || {
            every.len() == 3
        })
        .await;
        settle().await;

        assert_eq!(once.count(envelope.event_id), 1, "asynchronous");
        assert_eq!(batched.count(envelope.event_id), 1, "batch");
        assert_eq!(immediate.count(envelope.event_id), 1, "immediate");
        assert_eq!(every.count(envelope.event_id), 3, "not idempotent");
        shutdown(&bus).await;
    }

    /// An event reprocessed after it succeeded, or published again after that, is not handled
    /// again.
    pub async fn reprocessing_after_success_handles_once<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let calls = Calls::default();
        let handled = Log::default();
        let (counted, done) = (calls.clone(), handled.clone());
        bus.subscribe(
            SubscriptionOptions::asynchronous("memory-service"),
            handler_fn(move |envelope: Env| {
                let (counted, done) = (counted.clone(), done.clone());
                async move {
                    if counted.call(envelope.event_id) == 1 {
                        return Err(HandlerError::permanent("a bug, fixed after the first call"));
                    }
                    done.push(envelope);
                    Ok(())
                }
            }),
        )
        .unwrap();

        let envelope = skill(Uuid::new_v4(), 1);
        bus.publish(envelope.clone()).await.unwrap();
        eventually("dead-lettered", || bus.dead_letters().len() == 1).await;
        let letter = bus.dead_letters().list()[0].clone();
        bus.reprocess(letter.id).await.unwrap();
        eventually("handled after reprocessing", || handled.len() == 1).await;

        assert!(matches!(
            bus.reprocess(letter.id).await,
            Err(ReprocessError::NotFound(_))
        ));
        bus.publish(envelope.clone()).await.unwrap();
        settle().await;
        assert_eq!(handled.count(envelope.event_id), 1);
        assert!(bus.dead_letters().is_empty());
        shutdown(&bus).await;
    }

    /// A duplicate of an event an idempotent subscriber dead-lettered is not delivered again:
    /// it stays one dead letter, to reprocess once.
    pub async fn a_duplicate_of_a_dead_letter_stays_one_dead_letter<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let calls = Calls::default();
        let counted = calls.clone();
        bus.subscribe(
            SubscriptionOptions::asynchronous("story-engine"),
            handler_fn(move |envelope: Env| {
                let counted = counted.clone();
                async move {
                    counted.call(envelope.event_id);
                    Err(HandlerError::permanent("cannot handle this one"))
                }
            }),
        )
        .unwrap();
        let envelope = skill(Uuid::new_v4(), 1);
        bus.publish(envelope.clone()).await.unwrap();
        eventually("dead-lettered", || bus.dead_letters().len() == 1).await;
        bus.publish(envelope.clone()).await.unwrap();
        bus.publish(envelope.clone()).await.unwrap();
        settle().await;
        assert_eq!(dead_letter_ids(&bus, "story-engine"), [envelope.event_id]);
        assert_eq!(calls.of(envelope.event_id), 1);
        shutdown(&bus).await;
    }

    // ----- batches --------------------------------------------------------------------------

    /// A batch handler from a closure.
    struct BatchFn<F>(F);

    impl<F> BatchHandler<AnyEvent> for BatchFn<F>
    where
        F: Fn(&[Arc<Env>]) -> HandlerResult + Send + Sync + 'static,
    {
        fn handle_batch<'a>(&'a self, batch: &'a [Arc<Env>]) -> HandlerFuture<'a> {
            let result = (self.0)(batch);
            Box::pin(async move { result })
        }
    }

    type Batches = Arc<Mutex<Vec<(Duration, Vec<Uuid>)>>>;

    fn batch_recorder(
        start: Instant,
        batches: &Batches,
        fail: Option<fn() -> HandlerError>,
    ) -> impl BatchHandler<AnyEvent> + use<> {
        let batches = Arc::clone(batches);
        BatchFn(move |batch: &[Arc<Env>]| {
            let ids = batch.iter().map(|envelope| envelope.event_id).collect();
            batches.lock().unwrap().push((Instant::now() - start, ids));
            fail.map_or(Ok(()), |error| Err(error()))
        })
    }

    /// A batch is delivered when it reaches `max_size`, or `max_wait` after its first event.
    pub async fn batches_fill_by_size_or_by_time<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let start = Instant::now();
        let batches: Batches = Arc::default();
        bus.subscribe_batch(
            SubscriptionOptions::batch("search-indexer", 3, Duration::from_millis(100)),
            batch_recorder(start, &batches, None),
        )
        .unwrap();

        let character = Uuid::new_v4();
        let first: Vec<Env> = (0..7).map(|level| skill(character, level)).collect();
        for envelope in &first {
            bus.publish(envelope.clone()).await.unwrap();
        }
        eventually("seven events in batches", || {
            batches
                .lock()
                .unwrap()
                .iter()
                .map(|(_, ids)| ids.len())
                .sum::<usize>()
                == 7
        })
        .await;
        tokio::time::sleep_until(start + Duration::from_secs(10)).await;
        let second: Vec<Env> = (7..9).map(|level| skill(character, level)).collect();
        for envelope in &second {
            bus.publish(envelope.clone()).await.unwrap();
        }
        settle().await;

        let batches = batches.lock().unwrap().clone();
        let ids = |events: &[Env]| events.iter().map(|e| e.event_id).collect::<Vec<_>>();
        assert_eq!(
            batches,
            [
                (Duration::ZERO, ids(&first[0..3])),
                (Duration::ZERO, ids(&first[3..6])),
                (Duration::from_millis(100), ids(&first[6..7])),
                (Duration::from_millis(10_100), ids(&second)),
            ],
            "two full batches at once, then what arrived within 100 ms of a batch's first event"
        );
        shutdown(&bus).await;
    }

    /// A failing batch is retried whole with the policy's backoff, then dead-lettered whole.
    pub async fn a_failing_batch_is_retried_whole_then_dead_lettered_whole<B: Bus>(
        make: impl Fn() -> B,
    ) {
        let bus = make();
        let start = Instant::now();
        let batches: Batches = Arc::default();
        bus.subscribe_batch(
            SubscriptionOptions::batch("warehouse-loader", 2, Duration::from_millis(50)),
            batch_recorder(
                start,
                &batches,
                Some(|| {
                    HandlerError::retryable(
                        HandlerError::TEMPORARY_FAILURE,
                        "the warehouse is locked",
                    )
                }),
            ),
        )
        .unwrap();
        let character = Uuid::new_v4();
        let events = [skill(character, 1), skill(character, 2)];
        for envelope in &events {
            bus.publish(envelope.clone()).await.unwrap();
        }
        eventually("the batch is dead-lettered", || {
            bus.dead_letters().len() == 2
        })
        .await;
        settle().await;

        let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
        assert_eq!(
            *batches.lock().unwrap(),
            [
                (Duration::ZERO, ids.clone()),
                (Duration::from_secs(1), ids.clone()),
                (Duration::from_secs(3), ids.clone()),
            ]
        );
        let letters = bus.dead_letters().list();
        assert_eq!(
            letters
                .iter()
                .map(|l| l.envelope.event_id)
                .collect::<Vec<_>>(),
            ids
        );
        for letter in letters {
            assert_eq!(letter.subscriber, "warehouse-loader");
            assert_eq!(letter.error_code, "temporary-failure");
            assert_eq!(letter.attempts, 3);
        }
        shutdown(&bus).await;
    }

    // ----- backpressure ---------------------------------------------------------------------

    /// A blocked handler whose queue (capacity 1) is full: `try_publish` fails with QueueFull
    /// and publishes to nobody; `publish` waits for room, then publishes everywhere.
    pub async fn backpressure_try_publish_refuses_and_publish_waits<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let fast = Log::default();
        bus.subscribe(SubscriptionOptions::asynchronous("fast"), recorder(&fast))
            .unwrap();
        let gate = Arc::new(Semaphore::new(0));
        let (started, slow) = (Log::default(), Log::default());
        let (door, begun, done) = (Arc::clone(&gate), started.clone(), slow.clone());
        bus.subscribe(
            SubscriptionOptions::asynchronous("slow").with_queue(1, 1),
            handler_fn(move |envelope: Env| {
                let (door, begun, done) = (Arc::clone(&door), begun.clone(), done.clone());
                async move {
                    begun.push(envelope.clone());
                    let _pass = door.acquire().await.expect("the gate stays open");
                    done.push(envelope);
                    HandlerResult::Ok(())
                }
            }),
        )
        .unwrap();

        let character = Uuid::new_v4();
        let events: Vec<Env> = (0..4).map(|level| skill(character, level)).collect();
        bus.publish(events[0].clone()).await.unwrap();
        eventually("the slow handler holds the first event", || {
            started.len() == 1
        })
        .await;
        bus.publish(events[1].clone()).await.unwrap(); // fills the queue

        match bus.try_publish(events[2].clone()).await {
            Err(PublishError::QueueFull {
                subscriber,
                capacity,
                event_type,
            }) => {
                assert_eq!(subscriber, "slow");
                assert_eq!(capacity, 1);
                assert_eq!(event_type, CharacterSkillGained::EVENT_TYPE);
            }
            other => panic!("expected QueueFull, got {other:?}"),
        }

        let waiting = tokio::spawn({
            let bus = bus.clone();
            let envelope = events[3].clone();
            async move { bus.publish(envelope).await }
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(
            !waiting.is_finished(),
            "publish waits while the queue is full"
        );
        assert_eq!(fast.ids(), [events[0].event_id, events[1].event_id]);

        gate.add_permits(100);
        waiting.await.unwrap().unwrap();
        let expected = [events[0].event_id, events[1].event_id, events[3].event_id];
        eventually("the slow subscriber caught up", || slow.len() == 3).await;
        eventually("the fast subscriber got the waiting event", || {
            fast.len() == 3
        })
        .await;
        settle().await;
        assert_eq!(slow.ids(), expected);
        assert_eq!(fast.ids(), expected, "the refused event went nowhere");
        shutdown(&bus).await;
    }

    // ----- shutdown -------------------------------------------------------------------------

    /// Queued events are handled before the deadline and counted in `drained`; afterwards the
    /// bus refuses events, subscriptions and reprocessing.
    pub async fn shutdown_drains_queued_events_and_refuses_new_work<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let handled = Log::default();
        let done = handled.clone();
        bus.subscribe(
            SubscriptionOptions::asynchronous("memory-service").with_queue(2, 64),
            handler_fn(move |envelope: Env| {
                let done = done.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    done.push(envelope);
                    HandlerResult::Ok(())
                }
            }),
        )
        .unwrap();

        let published: Vec<Env> = (0..10).map(|level| skill(Uuid::new_v4(), level)).collect();
        for envelope in &published {
            bus.publish(envelope.clone()).await.unwrap();
        }
        let before = handled.len();
        let report = bus.shutdown(Duration::from_secs(30)).await;

        assert_eq!(
            handled.len(),
            published.len(),
            "everything queued was handled"
        );
        assert_eq!(report.drained, published.len() - before);
        assert_eq!(report.dead_lettered, 0);
        assert!(bus.dead_letters().is_empty());

        let late = skill(Uuid::new_v4(), 99);
        assert!(matches!(
            bus.publish(late.clone()).await,
            Err(PublishError::Closed { event_id, .. }) if event_id == late.event_id
        ));
        assert!(matches!(
            bus.try_publish(late).await,
            Err(PublishError::Closed { .. })
        ));
        assert!(matches!(
            bus.subscribe(SubscriptionOptions::asynchronous("late"), recorder(&Log::default())),
            Err(SubscribeError::Closed(name)) if name == "late"
        ));
        assert!(matches!(
            bus.reprocess(1).await,
            Err(ReprocessError::Closed)
        ));
        settle().await;
        assert_eq!(handled.len(), published.len());
    }

    /// With a handler that never finishes, what is in flight or queued at the deadline is
    /// dead-lettered with code `shutdown` and counted; nothing is lost.
    pub async fn shutdown_dead_letters_what_cannot_finish<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let (fast, stuck) = (Log::default(), Log::default());
        bus.subscribe(SubscriptionOptions::asynchronous("fast"), recorder(&fast))
            .unwrap();
        bus.subscribe(
            SubscriptionOptions::asynchronous("stuck").with_queue(1, 16),
            stuck_recorder(&stuck),
        )
        .unwrap();

        let published: Vec<Env> = (0..5).map(|level| skill(Uuid::new_v4(), level)).collect();
        for envelope in &published {
            bus.publish(envelope.clone()).await.unwrap();
        }
        let fast_before = fast.len();
        let report = shutdown(&bus).await;

        let mut expected: Vec<Uuid> = published.iter().map(|e| e.event_id).collect();
        expected.sort();
        let mut fast_ids = fast.ids();
        fast_ids.sort();
        assert_eq!(
            fast_ids, expected,
            "the healthy subscriber drained everything"
        );

        let letters = bus.dead_letters().list();
        assert!(
            letters
                .iter()
                .all(|l| l.subscriber == "stuck" && l.error_code == "shutdown")
        );
        let mut stuck_letters = dead_letter_ids(&bus, "stuck");
        stuck_letters.sort();
        assert_eq!(
            stuck_letters, expected,
            "handled (none) + dead-lettered = published"
        );
        assert!(stuck.len() <= 1, "one event was in flight at most");
        assert_eq!(report.dead_lettered, published.len());
        assert_eq!(
            report.drained,
            published.len() - fast_before,
            "only finished events are drained"
        );
    }

    /// A batch handler that never finishes does not hold the shutdown past its deadline.
    pub async fn shutdown_dead_letters_a_hung_batch<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        struct Hung;
        impl BatchHandler<AnyEvent> for Hung {
            fn handle_batch<'a>(&'a self, _: &'a [Arc<Env>]) -> HandlerFuture<'a> {
                Box::pin(std::future::pending())
            }
        }
        bus.subscribe_batch(
            SubscriptionOptions::batch("hung", 2, Duration::from_millis(10)),
            Hung,
        )
        .unwrap();
        let published: Vec<Env> = (0..5).map(|level| skill(Uuid::new_v4(), level)).collect();
        for envelope in &published {
            bus.publish(envelope.clone()).await.unwrap();
        }
        let report = shutdown(&bus).await;

        let mut expected: Vec<Uuid> = published.iter().map(|e| e.event_id).collect();
        expected.sort();
        let mut letters = dead_letter_ids(&bus, "hung");
        letters.sort();
        assert_eq!(letters, expected);
        assert!(
            bus.dead_letters()
                .list()
                .iter()
                .all(|l| l.error_code == "shutdown")
        );
        assert_eq!(report.dead_lettered, published.len());
        assert_eq!(report.drained, 0);
    }

    /// A `publish` waiting for queue room when the deadline passes either fails with `Closed`
    /// or its event ends up handled or dead-lettered: never accepted and then lost.
    pub async fn a_publish_waiting_for_room_during_shutdown_is_not_lost<B: Bus>(
        make: impl Fn() -> B,
    ) {
        let bus = make();
        let started = Log::default();
        bus.subscribe(
            SubscriptionOptions::asynchronous("stuck").with_queue(1, 1),
            stuck_recorder(&started),
        )
        .unwrap();
        let character = Uuid::new_v4();
        let events: Vec<Env> = (0..3).map(|level| skill(character, level)).collect();
        bus.publish(events[0].clone()).await.unwrap();
        eventually("the handler holds the first event", || started.len() == 1).await;
        bus.publish(events[1].clone()).await.unwrap();
        let waiting = tokio::spawn({
            let bus = bus.clone();
            let envelope = events[2].clone();
            async move { bus.publish(envelope).await }
        });
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!waiting.is_finished());

        let report = shutdown(&bus).await;
        let outcome = tokio::time::timeout(Duration::from_secs(60), waiting)
            .await
            .expect("the waiting publish returns once the bus is shut down")
            .unwrap();
        let letters = dead_letter_ids(&bus, "stuck");
        match outcome {
            Err(PublishError::Closed { event_id, .. }) => {
                assert_eq!(event_id, events[2].event_id);
                assert_eq!(letters, [events[0].event_id, events[1].event_id]);
            }
            Ok(()) => assert_eq!(
                letters,
                events.iter().map(|e| e.event_id).collect::<Vec<_>>()
            ),
            Err(other) => panic!("unexpected {other:?}"),
        }
        assert_eq!(report.dead_lettered, letters.len());
    }

    // ----- panics and validation ---------------------------------------------------------

    /// Panics in the handler's synchronous part.
    struct PanicsOnThirteen;

    impl Handler<AnyEvent> for PanicsOnThirteen {
        fn handle<'a>(&'a self, envelope: &'a Env) -> HandlerFuture<'a> {
            assert_ne!(
                level(envelope),
                Some(13),
                "unlucky thirteen, before any future"
            );
            Box::pin(async { Ok(()) })
        }
    }

    /// A handler panicking on one event: that event is dead-lettered with code `panic`, later
    /// events are still delivered, other subscribers see nothing of it.
    pub async fn a_panicking_handler_is_isolated<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let (fragile, steady) = (Log::default(), Log::default());
        let done = fragile.clone();
        bus.subscribe(
            SubscriptionOptions::asynchronous("fragile").with_queue(1, 16),
            handler_fn(move |envelope: Env| {
                let done = done.clone();
                async move {
                    tokio::task::yield_now().await;
                    if level(&envelope) == Some(13) {
                        panic!("unlucky thirteen");
                    }
                    done.push(envelope);
                    HandlerResult::Ok(())
                }
            }),
        )
        .unwrap();
        bus.subscribe(SubscriptionOptions::asynchronous("eager"), PanicsOnThirteen)
            .unwrap();
        bus.subscribe(
            SubscriptionOptions::asynchronous("steady"),
            recorder(&steady),
        )
        .unwrap();
        let panicky = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&panicky);
        bus.subscribe(
            SubscriptionOptions::immediate("inline"),
            handler_fn(move |envelope: Env| {
                let count = Arc::clone(&count);
                async move {
                    if level(&envelope) == Some(13) {
                        count.fetch_add(1, Ordering::SeqCst);
                        panic!("unlucky thirteen, inline");
                    }
                    HandlerResult::Ok(())
                }
            }),
        )
        .unwrap();

        let character = Uuid::new_v4();
        let events = [
            skill(character, 12),
            skill(character, 13),
            skill(character, 14),
        ];
        for envelope in &events {
            let result = bus.publish(envelope.clone()).await;
            if level(envelope) == Some(13) {
                match result {
                    Err(PublishError::Handler {
                        subscriber, source, ..
                    }) => {
                        assert_eq!(subscriber, "inline");
                        assert_eq!(source.code(), "panic");
                    }
                    other => panic!("an immediate panic is the publisher's error, got {other:?}"),
                }
            } else {
                result.unwrap();
            }
        }
        eventually("steady got all three", || steady.len() == 3).await;
        eventually("fragile got the later event", || fragile.len() == 2).await;
        eventually("two dead letters", || bus.dead_letters().len() == 2).await;
        settle().await;

        assert_eq!(fragile.ids(), [events[0].event_id, events[2].event_id]);
        assert_eq!(
            steady.ids(),
            events.iter().map(|e| e.event_id).collect::<Vec<_>>()
        );
        assert_eq!(panicky.load(Ordering::SeqCst), 1);
        let mut letters = bus.dead_letters().list();
        letters.sort_by(|a, b| a.subscriber.cmp(&b.subscriber));
        assert_eq!(letters.len(), 2);
        for (letter, subscriber) in letters.iter().zip(["eager", "fragile"]) {
            assert_eq!(letter.subscriber, subscriber);
            assert_eq!(letter.envelope.event_id, events[1].event_id);
            assert_eq!(letter.error_code, "panic");
            assert_eq!(letter.attempts, 1, "a panic is not retried");
            assert!(
                letter.error.contains("unlucky thirteen"),
                "{}",
                letter.error
            );
        }
        shutdown(&bus).await;
    }

    /// A payload breaking its catalog is refused by `publish` and `try_publish`, naming the
    /// field; nobody receives it.
    pub async fn invalid_payloads_are_refused_at_publish<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let (queued, inline) = audit_log_and_immediate(&bus, "checker");

        let invalid = Envelope::new(relationship(1.5), SOURCE);
        for result in [
            bus.publish(invalid.clone()).await,
            bus.try_publish(invalid.clone()).await,
        ] {
            let error = result.expect_err("refused");
            assert!(
                error.to_string().contains("payload.relationshipStrength"),
                "{error}"
            );
            match error {
                PublishError::Invalid { event_type, source } => {
                    assert_eq!(event_type, "characters.character.relationship-formed");
                    assert!(
                        source
                            .violations
                            .iter()
                            .any(|v| v.path == "payload.relationshipStrength"),
                        "{source:?}"
                    );
                }
                other => panic!("expected Invalid, got {other:?}"),
            }
        }
        let valid = Envelope::new(relationship(1.0), SOURCE);
        bus.publish(valid.clone()).await.unwrap();
        eventually("the valid event arrived", || queued.len() == 1).await;
        settle().await;
        assert_eq!(queued.ids(), [valid.event_id]);
        assert_eq!(inline.ids(), [valid.event_id]);
        assert!(bus.dead_letters().is_empty());
        shutdown(&bus).await;
    }

    /// `Publisher` stamps source, user and causal links, and checks a whole batch before
    /// publishing any of it.
    pub async fn publisher_stamps_envelopes_and_checks_batches_first<B: Bus>(make: impl Fn() -> B) {
        let bus = make();
        let log = Log::default();
        bus.subscribe(
            SubscriptionOptions::asynchronous("audit-log"),
            recorder(&log),
        )
        .unwrap();
        let user = Uuid::new_v4();
        let publisher = Publisher::new(bus.clone(), "character-service").with_user(user);

        let refused = publisher
            .publish_batch::<AnyEvent, _>([relationship(0.5), relationship(-0.1)])
            .await;
        assert!(matches!(refused, Err(PublishError::Invalid { .. })));
        settle().await;
        assert_eq!(log.len(), 0, "nothing of a refused batch is published");

        let root = publisher
            .publish::<AnyEvent, _>(deleted_payload(Uuid::new_v4()))
            .await
            .unwrap();
        let child = publisher
            .publish_caused_by::<AnyEvent, _, _>(&root, relationship(0.5))
            .await
            .unwrap();
        eventually("both arrived", || log.len() == 2).await;
        let received = log.all();
        let got_child = received
            .iter()
            .find(|e| e.event_id == child.event_id)
            .unwrap();
        assert_eq!(got_child.correlation_id, root.event_id);
        assert_eq!(got_child.causation_id, root.event_id);
        assert_eq!(got_child.user_id, Some(user));
        assert_eq!(got_child.metadata.source, "character-service");
        shutdown(&bus).await;
    }
}

#[tokio::test]
async fn a_second_instance_with_other_options_is_refused() {
    use novel_events::{
        EventBus, InMemoryBus, RetryPolicy, SubscribeError, SubscriptionOptions, handler_fn,
    };
    let bus = InMemoryBus::<novel_events::novel_engine::AnyEvent>::new();
    let handler = || {
        handler_fn(
            |_: novel_events::Envelope<novel_events::novel_engine::AnyEvent>| async { Ok(()) },
        )
    };
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service"),
        handler(),
    )
    .unwrap();
    bus.subscribe(
        SubscriptionOptions::asynchronous("memory-service"),
        handler(),
    )
    .unwrap();
    let error = bus
        .subscribe(
            SubscriptionOptions::asynchronous("memory-service").with_retry(RetryPolicy::no_retry()),
            handler(),
        )
        .unwrap_err();
    assert!(
        matches!(
            error,
            SubscribeError::OptionsMismatch {
                what: "retry policy",
                ..
            }
        ),
        "{error}"
    );
    let error = bus
        .subscribe(SubscriptionOptions::immediate("memory-service"), handler())
        .unwrap_err();
    assert!(error.to_string().contains("another strategy"), "{error}");
    bus.shutdown(std::time::Duration::from_secs(1)).await;
}
