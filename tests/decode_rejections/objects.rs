//! Objects.

use super::*;

#[test]
fn a_non_object_where_an_object_is_declared_is_refused() {
    for wrong in [json!([]), json!("x"), json!(null), json!(3)] {
        let message = error(&broken("CharacterCreated", |value| {
            value["payload"]["configuration"] = wrong;
        }));
        assert_mentions(
            &message,
            &["payload.configuration: ", "invalid type", "expected a map"],
        );
    }
}

#[test]
fn a_nested_object_given_as_an_array_of_its_values_is_refused() {
    // serde's derive would read a struct from its field values in order; the catalog declares
    // an object.
    let message = error(&broken("CharacterCreated", |value| {
        value["payload"]["personalityTraits"] = json!([0.82, 0.47, 0.35, 0.58, 0.61]);
    }));
    assert_mentions(
        &message,
        &["payload.personalityTraits: ", "invalid type: sequence"],
    );
}

#[test]
fn a_payload_given_as_an_array_of_its_values_is_refused() {
    // The field values in declaration order, which serde's derive would accept.
    let fixture = novel_engine_fixture("CharacterDeleted");
    let values: Vec<Value> = CATALOG
        .event("characters.character.deleted", "1.0.0")
        .unwrap()
        .fields
        .iter()
        .map(|field| fixture["payload"][field.name].clone())
        .collect();
    assert_eq!(values.len(), 4);
    let payload_array = broken("CharacterDeleted", |value| {
        value["payload"] = Value::Array(values);
    });
    let message = error(&payload_array);
    assert_mentions(&message, &["payload: ", "invalid type: sequence"]);
    let message = error_as::<characters::CharacterDeleted>(&payload_array);
    assert_mentions(&message, &["payload: ", "invalid type: sequence"]);
    // Also when the payload comes first and is buffered.
    let text = text_in_order(&payload_array, &["payload"]);
    let message = serde_json::from_str::<Envelope<AnyEvent>>(&text)
        .unwrap_err()
        .to_string();
    assert_mentions(&message, &["payload: ", "invalid type: sequence"]);
}

#[test]
fn a_payload_struct_decoded_on_its_own_is_read_from_an_object_only() {
    // Outside an envelope too: the generated `Deserialize` has no sequence form.
    let fixture = novel_engine_fixture("CharacterDeleted");
    let payload = &fixture["payload"];
    let values: Vec<Value> = payload.as_object().unwrap().values().cloned().collect();
    let error = serde_json::from_value::<characters::CharacterDeleted>(Value::Array(values))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "invalid type: sequence, expected struct CharacterDeleted"
    );
    // Keys that are not borrowed from the input (escaped, or read from a reader) are matched
    // like the others.
    let text = serde_json::to_string(payload)
        .unwrap()
        .replacen("\"name\"", "\"\\u006eame\"", 1);
    assert!(text.contains("u006eame"), "{text}");
    let decoded: characters::CharacterDeleted = serde_json::from_reader(text.as_bytes()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), *payload);
    let decoded: characters::CharacterDeleted = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), *payload);
}

#[test]
fn metadata_given_as_an_array_is_refused() {
    let message = error(&broken("CharacterCreated", |value| {
        value["metadata"] = json!(["character-service"]);
    }));
    assert_mentions(&message, &["metadata: ", "invalid type: sequence"]);
}
