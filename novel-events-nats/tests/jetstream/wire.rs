//! Bad input on the wire, published around the bus: terminated and dead-lettered at once,
//! and the consumer keeps going.

use novel_events::SubscriptionOptions;
use novel_events::{DeadLetters as _, EventBus as _};
use uuid::Uuid;

use crate::support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_messages_are_dead_lettered_and_the_consumer_keeps_going() {
    let catalog = support::catalog();
    let bus = support::bus(&catalog, support::options()).await;
    let mut alerts = support::threshold_alerts(&bus, 4);
    let (handler, mut received) = support::recorder();
    bus.subscribe(
        SubscriptionOptions::asynchronous("projector").with_retry(support::fast_retry(3)),
        handler,
    )
    .await
    .unwrap();

    let valid = support::skill(Uuid::new_v4(), 2);
    let mut unknown = serde_json::to_value(&valid).unwrap();
    unknown["eventType"] = "characters.character.teleported".into();
    let mut breaking = serde_json::to_value(&valid).unwrap();
    breaking["payload"]["acquisitionMethod"] = "magic".into();
    // A key given twice: a gateway reading the first value would see other data than we do.
    let text = serde_json::to_string(&valid).unwrap();
    let duplicated = text.replacen(
        r#""skillName":"swordplay""#,
        r#""skillName":"swordplay","skillName":"lockpicking""#,
        1,
    );
    assert_ne!(duplicated, text);
    let subject = bus.subject_of(&valid);
    let jetstream = async_nats::jetstream::new(bus.client().clone());
    for body in [
        b"\x00not json at all".to_vec(),
        serde_json::to_vec(&unknown).unwrap(),
        serde_json::to_vec(&breaking).unwrap(),
        duplicated.into_bytes(),
    ] {
        jetstream
            .publish(subject.clone(), body.into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    bus.publish(valid.clone()).await.unwrap();

    assert_eq!(
        *support::next(&mut received, "the valid event").await,
        valid
    );
    assert_eq!(support::next(&mut alerts, "four dead letters").await, 4);
    let letters = bus.dead_letters().list().await.unwrap();
    assert_eq!(letters.len(), 4);
    assert!(
        letters
            .iter()
            .all(|letter| letter.error_code == "undecodable"
                && letter.attempts == 1
                && letter.subscriber == "projector"
                && letter.envelope().is_none())
    );
    assert!(
        matches!(
            &letters[0].message,
            novel_events::DeadMessage::Undecodable { raw, .. } if &raw[..] == b"\x00not json at all"
        ),
        "the body is kept as it arrived"
    );
    assert!(
        letters[1].error.contains("characters.character.teleported"),
        "{}",
        letters[1].error
    );
    assert!(
        letters[2].error.contains("acquisitionMethod"),
        "{}",
        letters[2].error
    );
    assert!(
        letters[3].error.contains("duplicate field `skillName`"),
        "{}",
        letters[3].error
    );
    support::clean_up(&bus, &catalog).await;
}
