//! End-to-end tests of the `novel-events` binary: exit codes, standard output and standard
//! error, on hand-written fixtures (`tests/fixtures/`: envelopes of the Novel Engine
//! specification's character events, broken catalogs) and the Novel Engine catalog.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const NOVEL_ENGINE: &str = "../novel-events/catalog/novel-engine.yaml";
const GOOD: &str = "tests/fixtures/envelopes/good.jsonl";
const BAD: &str = "tests/fixtures/envelopes/bad.jsonl";
const TYPOS: &str = "tests/fixtures/catalogs/typos.yaml";
const UNCLOSED: &str = "tests/fixtures/catalogs/unclosed.yaml";

/// Runs `novel-events ARGS` in the crate's directory, with `stdin` as standard input.
fn run_with_input(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_novel-events"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("piped");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // A command that stops reading early closes the pipe: not an error here.
        let _ = input.write_all(&data);
    });
    let output = child.wait_with_output().expect("the binary runs");
    writer.join().expect("the writer thread");
    output
}

fn run(args: &[&str]) -> Output {
    run_with_input(args, b"")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

/// A fresh directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("novel-events-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// The `(line, text)` of each `file:line:column: text` line of a human report.
fn findings(report: &str, file: &str) -> Vec<(u64, String)> {
    report
        .lines()
        .filter_map(|line| line.strip_prefix(&format!("{file}:")))
        .filter_map(|rest| {
            let (number, rest) = rest.split_once(':')?;
            let (column, text) = rest.split_once(": ")?;
            column.parse::<u64>().ok()?;
            Some((number.parse().ok()?, text.to_owned()))
        })
        .collect()
}

#[test]
fn help_and_version() {
    let help = run(&["--help"]);
    assert_eq!(code(&help), 0);
    let text = stdout(&help);
    for word in [
        "check",
        "schema",
        "validate",
        "Exit codes: 0 ok, 1",
        "2 usage or I/O error",
    ] {
        assert!(text.contains(word), "--help mentions {word}: {text}");
    }
    let help = run(&["validate", "--help"]);
    assert_eq!(code(&help), 0);
    assert!(stdout(&help).contains("--max-line-bytes"));
    let version = run(&["--version"]);
    assert_eq!(code(&version), 0);
    assert_eq!(
        stdout(&version).trim(),
        format!("novel-events {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2_on_stderr() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["validate"],
        &["schema", NOVEL_ENGINE],
        &["check", NOVEL_ENGINE, "--format", "xml"],
        &["validate", NOVEL_ENGINE, GOOD, "--max-line-bytes", "0"],
    ] {
        let output = run(args);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}: nothing on stdout");
        let error = stderr(&output);
        assert!(
            error.contains("Usage") || error.contains("--help"),
            "{args:?}: {error}"
        );
    }
}

#[test]
fn check_accepts_the_novel_engine_catalog() {
    let output = run(&["check", NOVEL_ENGINE]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("{NOVEL_ENGINE}: ok: catalog `novel-engine` 1.0.0, 26 events in 6 domains\n")
    );
    let output = run(&["check", "--format", "json", NOVEL_ENGINE]);
    assert_eq!(code(&output), 0);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(report["ok"], true);
    assert_eq!(report["events"], 26);
    assert_eq!(report["problems"], Value::Array(Vec::new()));
}

#[test]
fn check_reports_every_problem_with_its_place() {
    let output = run(&["check", TYPOS]);
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).is_empty(), "findings go to stdout");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with(&format!("{TYPOS}:14:17: unknown field type `strng`")),
        "{text}"
    );
    assert!(lines[0].ends_with("(did you mean `string`?)"), "{text}");
    assert!(
        lines[1].starts_with(&format!(
            "{TYPOS}:17:20: eventType `stories.character.deleted` is declared in domain `characters`"
        )),
        "{text}"
    );
    assert_eq!(lines[2], format!("{TYPOS}: 2 problems"));

    let output = run(&["check", TYPOS, "--format", "json"]);
    assert_eq!(code(&output), 1);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(report["ok"], false);
    let places: Vec<(u64, u64)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|problem| {
            (
                problem["line"].as_u64().unwrap(),
                problem["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(places, [(14, 17), (17, 20)]);
    assert_eq!(report["problems"][0]["file"], TYPOS);
}

#[test]
fn check_reports_yaml_syntax_errors_and_unreadable_files() {
    let output = run(&["check", UNCLOSED]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!("{UNCLOSED}:12:1: YAML syntax error")),
        "{text}"
    );

    let output = run(&["check", "tests/fixtures/catalogs/missing.yaml"]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    let error = stderr(&output);
    assert!(
        error.starts_with("novel-events: error: cannot read the catalog file `tests/fixtures/catalogs/missing.yaml`"),
        "{error}"
    );
}

#[test]
fn schema_writes_one_schema_per_event_version_from_the_runtime_export() {
    let dir = temp_dir("schema");
    let out = dir.to_str().unwrap();
    let output = run(&["schema", NOVEL_ENGINE, "--out", out]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).starts_with("wrote 26 JSON Schemas (draft 2020-12)"));
    let index: Value = read_json(&dir.join("index.json"));
    let entries = index["schemas"].as_array().unwrap();
    assert_eq!(entries.len(), 26);
    for entry in entries {
        let (event_type, version) = (
            entry["eventType"].as_str().unwrap(),
            entry["eventVersion"].as_str().unwrap(),
        );
        assert_eq!(entry["file"], format!("{event_type}/{version}.schema.json"));
        let id = format!("urn:novel-events:novel-engine:{event_type}:{version}");
        assert_eq!(entry["$id"], id);
        let schema = read_json(&dir.join(entry["file"].as_str().unwrap()));
        // The runtime's own export of the compiled catalog, with the `$id` added.
        let mut expected = novel_events::novel_engine::CATALOG
            .json_schema(event_type, version)
            .expect("the compiled catalog has it");
        expected["$id"] = Value::from(id);
        assert_eq!(schema, expected, "{event_type} {version}");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }

    let output = run(&[
        "schema",
        NOVEL_ENGINE,
        "-o",
        out,
        "--base-uri",
        "https://schemas.example/novel-engine/",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0);
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(printed, read_json(&dir.join("index.json")));
    let created = read_json(&dir.join("characters.character.created/1.0.0.schema.json"));
    assert_eq!(
        created["$id"],
        "https://schemas.example/novel-engine/characters.character.created/1.0.0.schema.json"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_refuses_a_broken_catalog_and_writes_nothing() {
    let dir = temp_dir("schema-broken");
    let output = run(&["schema", TYPOS, "--out", dir.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let error = stderr(&output);
    assert!(
        error.contains(&format!("{TYPOS}:14:17: unknown field type `strng`")),
        "{error}"
    );
    assert!(error.contains("the catalog has 2 problems"), "{error}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_fails_with_2_when_it_cannot_write() {
    let output = run(&["schema", NOVEL_ENGINE, "--out", "/dev/null/schemas"]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    let error = stderr(&output);
    assert!(
        error.starts_with("novel-events: error: cannot write `/dev/null/schemas/"),
        "{error}"
    );
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn validate_accepts_good_envelopes() {
    let output = run(&["validate", NOVEL_ENGINE, GOOD]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!("{GOOD}: 4 envelopes, 4 valid, 0 invalid, 1 blank line skipped\n")
    );
}

/// What `bad.jsonl` holds, line by line: the path at fault and a part of the message.
const BAD_LINES: [(u64, &str, &str); 9] = [
    (
        2,
        "payload.relationshipStrength",
        "1.5 is out of range: expected a number from 0 to 1",
    ),
    (
        3,
        "payload.type",
        "unknown variant `hero`, expected one of `protagonist`, `antagonist`, `npc`, `narrator`",
    ),
    (
        5,
        "payload.skillLevel",
        "invalid type: floating point `2.5`, expected i64",
    ),
    (
        6,
        "",
        "EOF while parsing a value (the line ends inside a JSON value; expected one whole JSON object per line)",
    ),
    (
        7,
        "eventType",
        "unknown eventType `characters.character.creatd` in catalog `novel-engine` (did you mean `characters.character.created`?)",
    ),
    (8, "payload", "missing field `deletedBy`"),
    (
        9,
        "payload.personalityTraits",
        "invalid type: sequence, expected struct PersonalityTraits",
    ),
    (
        10,
        "timestamp",
        "expected an RFC 3339 date-time such as `2025-08-26T10:15:00Z`",
    ),
    (
        11,
        "aggregateId",
        "expected `a41c5e2f-8d3b-4c7a-9e60-1f2d3c4b5a69`, the aggregate id the payload of `characters.character.deleted` carries",
    ),
];

#[test]
fn validate_reports_each_bad_envelope_with_its_line_and_field() {
    let output = run(&["validate", NOVEL_ENGINE, BAD]);
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    let report = stdout(&output);
    let found = findings(&report, BAD);
    assert_eq!(found.len(), BAD_LINES.len(), "{report}");
    for ((line, text), (expected_line, path, message)) in found.iter().zip(BAD_LINES) {
        assert_eq!(*line, expected_line, "{report}");
        let expected = if path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        assert!(text.starts_with(&expected), "line {line}: {text}");
        assert!(text.contains(message), "line {line}: {text}");
    }
    assert!(report.ends_with(&format!(
        "{BAD}: 11 envelopes, 2 valid, 9 invalid, 1 blank line skipped\n"
    )));
}

#[test]
fn validate_json_report_is_json_lines() {
    let output = run(&["validate", "--format", "json", NOVEL_ENGINE, BAD]);
    assert_eq!(code(&output), 1);
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    let (summary, found) = lines.split_last().unwrap();
    assert_eq!(found.len(), BAD_LINES.len());
    for (finding, (line, path, message)) in found.iter().zip(BAD_LINES) {
        assert_eq!(finding["kind"], "invalid");
        assert_eq!(finding["file"], BAD);
        assert_eq!(finding["line"], line);
        assert!(finding["column"].as_u64().unwrap() >= 1);
        assert_eq!(finding["path"], path);
        assert!(
            finding["message"].as_str().unwrap().contains(message),
            "{finding}"
        );
    }
    assert_eq!(summary["kind"], "summary");
    assert_eq!(
        (
            &summary["envelopes"],
            &summary["valid"],
            &summary["invalid"],
            &summary["blank"]
        ),
        (
            &Value::from(11),
            &Value::from(2),
            &Value::from(9),
            &Value::from(1)
        )
    );
}

#[test]
fn validate_reads_standard_input() {
    let good = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(GOOD)).unwrap();
    for args in [
        &["validate", NOVEL_ENGINE][..],
        &["validate", NOVEL_ENGINE, "-"],
    ] {
        let output = run_with_input(args, &good);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert_eq!(
            stdout(&output),
            "<stdin>: 4 envelopes, 4 valid, 0 invalid, 1 blank line skipped\n"
        );
    }
}

#[test]
fn validate_refuses_lines_over_the_limit_without_reading_them() {
    let good = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(GOOD)).unwrap();
    let long = format!("{{\"padding\":\"{}\"}}", "x".repeat(5000));
    let input = format!("{long}\n{good}");
    let output = run_with_input(
        &["validate", NOVEL_ENGINE, "--max-line-bytes", "2000"],
        input.as_bytes(),
    );
    assert_eq!(code(&output), 1);
    let report = stdout(&output);
    let found = findings(&report, "<stdin>");
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0].0, 1);
    assert_eq!(
        found[0].1,
        format!(
            "the line is {} bytes long, over the limit of 2000 bytes (raise it with --max-line-bytes); it was not read",
            long.len()
        )
    );
    assert!(report.ends_with("<stdin>: 5 envelopes, 4 valid, 1 invalid, 1 blank line skipped\n"));
}

#[test]
fn validate_survives_hostile_lines() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_payload =
        BAD_LINE_TEMPLATE.replace("\"payload\":{}", &format!("\"payload\":{{\"x\":{deep}}}"));
    let mut input: Vec<u8> = Vec::new();
    for line in [
        b"\xff\xfe not UTF-8".to_vec(),
        b"{\"eventType\":\"\xc3\x28\"}".to_vec(),
        b"[]".to_vec(),
        b"42".to_vec(),
        b"\"just a string\"".to_vec(),
        b"null".to_vec(),
        deep.into_bytes(),
        deep_payload.into_bytes(),
        b"{\"eventId\":1}{\"trailing\":true}".to_vec(),
        vec![0u8; 100],
    ] {
        input.extend_from_slice(&line);
        input.push(b'\n');
    }
    let output = run_with_input(&["validate", NOVEL_ENGINE], &input);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let report = stdout(&output);
    let found = findings(&report, "<stdin>");
    assert_eq!(
        found.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<u64>>(),
        "{report}"
    );
    assert!(
        report.ends_with("<stdin>: 10 envelopes, 0 valid, 10 invalid\n"),
        "{report}"
    );
}

/// An envelope of an unknown event with an empty payload, for hostile variations.
const BAD_LINE_TEMPLATE: &str = r#"{"eventId":"7d3e9a10-2b4c-4f6e-8a1d-0c9b8a7f6e51","eventType":"characters.character.created","eventVersion":"1.0.0","payload":{}}"#;

#[test]
fn validate_fails_with_2_on_unusable_inputs() {
    let output = run(&[
        "validate",
        NOVEL_ENGINE,
        "tests/fixtures/envelopes/missing.jsonl",
    ]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).starts_with(
            "novel-events: error: cannot read `tests/fixtures/envelopes/missing.jsonl`"
        ),
        "{}",
        stderr(&output)
    );

    let output = run(&["validate", NOVEL_ENGINE, "tests/fixtures"]);
    assert_eq!(code(&output), 2, "a directory is not a stream of envelopes");
    assert!(
        stderr(&output).starts_with("novel-events: error: cannot validate `tests/fixtures`"),
        "{}",
        stderr(&output)
    );

    let output = run(&["validate", TYPOS, GOOD]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    let error = stderr(&output);
    assert!(
        error.contains(&format!(
            "{TYPOS}:17:20: eventType `stories.character.deleted`"
        )),
        "{error}"
    );
    assert!(
        error.ends_with(
            "the catalog has 2 problems and cannot be used (`novel-events check` lists them)\n"
        ),
        "{error}"
    );
}

const ACCOUNTS_1_0: &str = "tests/fixtures/evolution/accounts_1_0.yaml";
const ACCOUNTS_1_1: &str = "tests/fixtures/evolution/accounts_1_1.yaml";
const ACCOUNTS_BREAKING: &str = "tests/fixtures/evolution/accounts_breaking.yaml";

#[test]
fn the_committed_novel_engine_lock_is_up_to_date() {
    let output = run(&["lock", "--check", NOVEL_ENGINE]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("novel-engine.lock.json: up to date (26 versions locked)\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn lock_writes_then_refuses_a_released_version_edited_in_place() {
    let dir = temp_dir("lock");
    let catalog = dir.join("accounts.yaml");
    std::fs::copy(ACCOUNTS_1_0, &catalog).expect("a catalog");
    let catalog = catalog.to_str().expect("UTF-8");
    let lock = dir.join("accounts.lock.json");

    let missing = run(&["lock", "--check", catalog]);
    assert_eq!(code(&missing), 1);
    assert!(
        stdout(&missing).contains("missing; `novel-events lock"),
        "{}",
        stdout(&missing)
    );

    let written = run(&["lock", catalog]);
    assert_eq!(code(&written), 0, "{}", stdout(&written));
    assert!(
        stdout(&written).contains("wrote 2 versions (2 new)"),
        "{}",
        stdout(&written)
    );
    let text = std::fs::read_to_string(&lock).expect("the lock file");
    assert!(text.contains("\"format\": \"novel-events-lock\""), "{text}");
    assert_eq!(code(&run(&["lock", "--check", catalog])), 0);

    // A released version edited in place: `check` and `lock` refuse it, the lock stays.
    let edited = std::fs::read_to_string(ACCOUNTS_1_0)
        .expect("the catalog")
        .replace(r#"plan: "free|pro" }"#, r#"plan: "free|pro|team" }"#);
    std::fs::write(dir.join("accounts.yaml"), edited).expect("edited");
    let checked = run(&["check", catalog]);
    assert_eq!(code(&checked), 1);
    assert!(
        stdout(&checked).contains("AccountOpened 1.0.0 is released")
            && stdout(&checked).contains("bump `eventVersion`"),
        "{}",
        stdout(&checked)
    );
    let refused = run(&["lock", "--format", "json", catalog]);
    assert_eq!(code(&refused), 1);
    let report: Value = serde_json::from_str(&stdout(&refused)).expect("JSON");
    assert_eq!(report["ok"], false);
    assert_eq!(report["problems"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        std::fs::read_to_string(&lock).expect("the lock"),
        text,
        "unchanged"
    );

    // Against the lock, `diff` names the edit.
    let lock = lock.to_str().expect("UTF-8");
    let against = run(&["diff", lock, catalog]);
    assert_eq!(code(&against), 1);
    assert!(
        stdout(&against).contains("edited accounts.account.opened 1.0.0"),
        "{}",
        stdout(&against)
    );
}

#[test]
fn diff_lists_the_changes_with_their_verdicts() {
    let output = run(&["diff", ACCOUNTS_1_0, ACCOUNTS_1_1]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains(
        "accounts.account.opened (AccountOpened, 1.0.0 → 1.1.0): backward compatible, not forward; keeps its mode `backward`"
    ), "{text}");
    assert!(
        text.contains("  enum-values-added `plan` (`team`); breaks forward"),
        "{text}"
    );
    assert!(
        text.contains("  field-added `referrer` (string, optional)"),
        "{text}"
    );
    assert!(text.contains("keeps its mode `none`"), "{text}");
    assert!(
        text.ends_with("2 event types compared, 2 changed, 0 breaking their modes\n"),
        "{text}"
    );

    let breaking = run(&["diff", "--format", "json", ACCOUNTS_1_0, ACCOUNTS_BREAKING]);
    assert_eq!(code(&breaking), 1, "{}", stdout(&breaking));
    let report: Value = serde_json::from_str(&stdout(&breaking)).expect("JSON");
    assert_eq!(report["breaking"], 1);
    let opened = &report["events"][0];
    assert_eq!(opened["eventType"], "accounts.account.opened");
    assert_eq!(opened["keepsMode"], false);
    assert_eq!(opened["changes"][0]["type"], "field-added");
    assert_eq!(opened["changes"][0]["field"], "region");

    let missing = run(&[
        "diff",
        "tests/fixtures/evolution/nothing.yaml",
        ACCOUNTS_1_1,
    ]);
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("cannot read"),
        "{}",
        stderr(&missing)
    );
}
