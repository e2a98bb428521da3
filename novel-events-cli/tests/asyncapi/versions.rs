//! A hand-written catalog with two versions of one event, a publisher overridden per event, an
//! event nobody publishes nor subscribes to, and strings a YAML writer must quote
//! (`tests/asyncapi/fixtures/orders.yaml`).

use serde_json::{Value, json};

use crate::support::{
    code, first_difference, json_document, official_parser, run, stderr, temp_dir,
};

const ORDERS: &str = "tests/asyncapi/fixtures/orders.yaml";

#[test]
fn the_official_parser_accepts_it_and_its_yaml_reads_as_its_json() {
    let dir = temp_dir("orders");
    let mut loaded = Vec::new();
    for format in ["yaml", "json"] {
        let path = dir.join(format!("orders.{format}"));
        let output = run(&[
            "asyncapi",
            ORDERS,
            "--format",
            format,
            "--out",
            path.to_str().expect("a UTF-8 path"),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let report = official_parser(&path);
        assert!(
            report.serious().is_empty(),
            "errors or warnings in the {format} document:\n{}",
            report.listing()
        );
        loaded.push(report.loaded);
    }
    if let Some(difference) = first_difference(&loaded[0], &loaded[1]) {
        panic!("the YAML document does not read as the JSON document at {difference}");
    }
    let info = &loaded[0]["info"];
    assert_eq!(
        info["description"],
        "Orders: placed, then shipped. Quotes \"and\" colons: yes."
    );
    assert_eq!(
        loaded[0]["components"]["messages"]["orders.order.shipped.v1.0.0_2bbuild.7"]["description"],
        "yes",
        "a string YAML 1.1 reads as a boolean stays a string"
    );
}

#[test]
fn a_message_per_version_and_operations_on_the_versions_each_service_has() {
    let document = json_document(ORDERS, &[]);
    let placed = &document["channels"]["orders.order.placed"];
    assert_eq!(placed["title"], "OrderPlaced");
    assert_eq!(
        placed["description"], "A customer placed an order, with its currency",
        "the latest version's description"
    );
    let keys: Vec<&String> = placed["messages"]
        .as_object()
        .expect("messages")
        .keys()
        .collect();
    assert_eq!(keys, ["v1.0.0", "v2.0.0"]);
    let messages = &document["components"]["messages"];
    assert_eq!(messages.as_object().expect("messages").len(), 4);
    let tags = |message: &Value| -> Vec<String> {
        message["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .map(|tag| tag["name"].as_str().expect("a name").to_owned())
            .collect()
    };
    assert_eq!(
        tags(&messages["orders.order.placed.v1.0.0"]),
        ["orders", "domain event", "superseded"]
    );
    assert_eq!(
        tags(&messages["orders.order.placed.v2.0.0"]),
        ["orders", "domain event"]
    );
    assert!(
        messages["orders.order.placed.v1.0.0"]["description"]
            .as_str()
            .is_some_and(|text| text.contains("Checkout: the customer pays")),
        "the triggers are in the description"
    );

    let operations = document["operations"].as_object().expect("operations");
    let ids: Vec<&String> = operations.keys().collect();
    assert_eq!(
        ids,
        [
            "audit-log.receive.orders.order.placed",
            "billing-service.receive.orders.order.placed",
            "fraud-check.receive.orders.order.placed",
            "mail-service.receive.orders.order.shipped",
            "order-service.send.orders.order.placed",
            "warehouse.send.orders.order.shipped",
        ],
        "no operation for returns.return.requested, which no service names"
    );
    let refs = |id: &str| -> Value {
        Value::Array(
            operations[id]["messages"]
                .as_array()
                .expect("messages")
                .iter()
                .map(|reference| reference["$ref"].clone())
                .collect(),
        )
    };
    let both = json!([
        "#/channels/orders.order.placed/messages/v1.0.0",
        "#/channels/orders.order.placed/messages/v2.0.0"
    ]);
    assert_eq!(refs("order-service.send.orders.order.placed"), both);
    assert_eq!(refs("billing-service.receive.orders.order.placed"), both);
    assert_eq!(refs("audit-log.receive.orders.order.placed"), both);
    assert_eq!(
        refs("fraud-check.receive.orders.order.placed"),
        json!(["#/channels/orders.order.placed/messages/v2.0.0"]),
        "Fraud Check subscribes to version 2.0.0 only"
    );
    assert_eq!(
        operations["fraud-check.receive.orders.order.placed"]["description"],
        "score the order"
    );
    assert_eq!(
        operations["billing-service.receive.orders.order.placed"]["description"],
        "1.0.0: charge the customer\n2.0.0: charge the customer in the order's currency"
    );
    assert_eq!(
        operations["audit-log.receive.orders.order.placed"]["description"], "2.0.0: keep a record",
        "the purpose of the one version that has one, named"
    );
    assert!(
        operations["mail-service.receive.orders.order.shipped"]["bindings"]["nats"]["queue"]
            == "Mail_20Service"
            && operations["warehouse.send.orders.order.shipped"]["bindings"]["nats"]
                .get("queue")
                .is_none(),
        "a queue for receive operations only"
    );
    let shipped = &operations["warehouse.send.orders.order.shipped"];
    assert_eq!(shipped["tags"], json!([{ "name": "Warehouse" }]));
    assert_eq!(
        shipped["messages"],
        json!([{ "$ref": "#/channels/orders.order.shipped/messages/v1.0.0_2bbuild.7" }]),
        "component ids are letters, digits, `.`, `-` and `_`: the build's `+` is escaped"
    );
    let message = &messages["orders.order.shipped.v1.0.0_2bbuild.7"];
    assert_eq!(message["title"], "OrderShipped 1.0.0+build.7");
    assert_eq!(
        message["x-novel-events"]["eventVersion"], "1.0.0+build.7",
        "the version itself is kept as it is"
    );
    assert_eq!(
        operations["mail-service.receive.orders.order.shipped"]["description"],
        "tell the customer: it is on its way"
    );
    assert!(document["channels"]["returns.return.requested"].is_object());
}
