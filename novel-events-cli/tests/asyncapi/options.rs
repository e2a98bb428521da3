//! `--partitions`, `--server`, `--stream` and `--format`, and what is refused.

use crate::support::{NOVEL_ENGINE, code, json_document, run, stderr, stdout};

#[test]
fn partitions_server_and_stream_name_the_bus_s_setup() {
    let document = json_document(
        NOVEL_ENGINE,
        &[
            "--partitions",
            "4",
            "--server",
            "nats://nats.internal:4222",
            "--stream",
            "novel_engine-prod",
        ],
    );
    assert_eq!(
        document["channels"]["characters.character.created"]["address"],
        "novel_engine-prod.{partition}.characters.character.created"
    );
    let partition = &document["components"]["parameters"]["partition"];
    assert_eq!(partition["enum"], serde_json::json!(["0", "1", "2", "3"]));
    let rule = partition["description"]
        .as_str()
        .expect("the partition rule");
    assert!(rule.contains("XOR") && rule.contains("4 here"), "{rule}");
    let server = &document["servers"]["nats"];
    assert_eq!(server["host"], "nats.internal:4222");
    assert_eq!(server["protocol"], "nats");
    let default = json_document(NOVEL_ENGINE, &[]);
    assert_eq!(default["servers"]["nats"]["host"], "127.0.0.1:4222");
}

#[test]
fn what_is_refused_and_why() {
    for (args, why) in [
        (
            vec!["--server", "http://example.com"],
            "is not a NATS URL: expected `nats://host:port`",
        ),
        (
            vec!["--server", "nats://alice:secret@h:4222"],
            "holds credentials, which the document would publish",
        ),
        (
            vec!["--stream", "novel.engine"],
            "cannot name the JetStream stream: expected letters, digits, `-` and `_`",
        ),
        (vec!["--partitions", "0"], "0 is not in 1.."),
        (
            vec!["--format", "xml"],
            "invalid value 'xml' for '--format <FORMAT>'",
        ),
    ] {
        let mut all = vec!["asyncapi", NOVEL_ENGINE];
        all.extend(args.iter().copied());
        let output = run(&all);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        assert!(
            stderr(&output).contains(why),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn help_lists_the_command_and_its_options() {
    let output = run(&["--help"]);
    assert!(stdout(&output).contains("asyncapi"), "{}", stdout(&output));
    let output = run(&["asyncapi", "--help"]);
    assert_eq!(code(&output), 0);
    let help = stdout(&output);
    for option in ["--format", "--out", "--server", "--partitions", "--stream"] {
        assert!(help.contains(option), "{option} in {help}");
    }
}

#[test]
fn a_catalog_name_the_bus_cannot_use_needs_stream() {
    let dir = crate::support::temp_dir("dotted-name");
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/asyncapi/fixtures/orders.yaml"
    ))
    .expect("the fixture");
    let dotted = dir.join("dotted.yaml");
    std::fs::write(
        &dotted,
        source.replace("catalog: orders\n", "catalog: acme.orders\n"),
    )
    .expect("written");
    let path = dotted.to_str().expect("a UTF-8 path");
    let output = run(&["asyncapi", path]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).contains(
            "the catalog's name `acme.orders` cannot name the JetStream stream: expected letters, digits, `-` and `_`"
        ) && stderr(&output).contains("give the stream's name with `--stream NAME`"),
        "{}",
        stderr(&output)
    );
    let document = json_document(path, &["--stream", "acme-orders"]);
    assert_eq!(
        document["channels"]["orders.order.placed"]["address"],
        "acme-orders.{partition}.orders.order.placed"
    );
}

#[test]
fn the_format_follows_the_out_file_s_extension_unless_given() {
    let dir = crate::support::temp_dir("format");
    for (file, format, json) in [
        ("api.json", None, true),
        ("api.JSON", None, true),
        ("api.yaml", None, false),
        ("api", None, false),
        ("forced.json", Some("yaml"), false),
        ("forced.yaml", Some("json"), true),
    ] {
        let path = dir.join(file);
        let mut args = vec![
            "asyncapi",
            NOVEL_ENGINE,
            "--out",
            path.to_str().expect("a UTF-8 path"),
        ];
        if let Some(format) = format {
            args.extend(["--format", format]);
        }
        let output = run(&args);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let text = std::fs::read_to_string(&path).expect("written");
        if json {
            assert!(text.starts_with("{\n  \"asyncapi\": \"3.0.0\","), "{file}");
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON");
        } else {
            assert!(text.starts_with("asyncapi: \"3.0.0\"\ninfo:\n"), "{file}");
        }
    }
}
