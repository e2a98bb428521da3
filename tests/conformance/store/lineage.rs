//! Lineage: the causation tree of a flow.

use novel_events::{Envelope, lineage};
use uuid::Uuid;

use super::Store;
use super::events::*;
use super::store_calls::*;

// Lineage.

pub async fn lineage_of_a_flow_is_its_causation_tree<S: Store>(make: impl AsyncFn() -> S) {
    let store = make().await;
    let [a, b] = [Uuid::new_v4(), Uuid::new_v4()];
    let start = root(created(a, "A"));
    let first_child = Envelope::caused_by(&start, related(a, b, 0.4));
    let second_child = Envelope::caused_by(&start, created(b, "B")).with_source("other-service");
    let grandchild = Envelope::caused_by(&second_child, related(b, a, 0.6));
    let elsewhere = root(skill(a, 1));
    for event in [&start, &elsewhere, &first_child, &second_child, &grandchild] {
        append(&store, vec![event.clone()]).await;
    }

    for member in [&start, &first_child, &second_child, &grandchild] {
        let trees = lineage(&store, member.event_id)
            .await
            .expect("lineage")
            .expect("the event is stored");
        assert_eq!(trees.len(), 1, "one root");
        let tree = &trees[0];
        assert_eq!(tree.len(), 4);
        assert!(!tree.is_empty());
        assert_eq!(tree.event.envelope, start);
        let children: Vec<&Env> = tree
            .children
            .iter()
            .map(|child| &child.event.envelope)
            .collect();
        assert_eq!(children, [&first_child, &second_child]);
        assert!(tree.children[0].children.is_empty());
        assert_eq!(tree.children[1].children.len(), 1);
        assert_eq!(tree.children[1].children[0].event.envelope, grandchild);
        assert!(tree.children[1].children[0].children.is_empty());
        assert_eq!(
            tree.render(),
            format!(
                "characters.character.created {} ({SOURCE}, #1)\n  \
                 characters.character.relationship-formed {} ({SOURCE}, #3)\n  \
                 characters.character.created {} (other-service, #4)\n    \
                 characters.character.relationship-formed {} (other-service, #5)\n",
                start.event_id, first_child.event_id, second_child.event_id, grandchild.event_id
            )
        );
    }
    let alone = lineage(&store, elsewhere.event_id)
        .await
        .expect("lineage")
        .expect("stored");
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0].len(), 1);
    assert_eq!(
        lineage(&store, Uuid::new_v4()).await.expect("lineage"),
        None
    );
}
