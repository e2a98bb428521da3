//! Running the binary, and the official AsyncAPI parser through `parse.mjs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The Novel Engine catalog, from the crate's directory.
pub const NOVEL_ENGINE: &str = "../novel-events/catalog/novel-engine.yaml";

/// Runs `novel-events ARGS` in the crate's directory.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_novel-events"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

/// The JSON document `novel-events asyncapi CATALOG --format json EXTRA...` writes on
/// standard output.
pub fn json_document(catalog: &str, extra: &[&str]) -> Value {
    let mut args = vec!["asyncapi", catalog, "--format", "json"];
    args.extend_from_slice(extra);
    let output = run(&args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("the document is JSON")
}

/// A fresh directory under the system's temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "novel-events-asyncapi-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// What the official parser says of a document file.
pub struct ParserReport {
    /// Every diagnostic: `code`, `message`, `path`, `severity` (0 error, 1 warning, 2 info,
    /// 3 hint).
    pub diagnostics: Vec<Value>,
    /// The document as the parser's YAML reader loaded it.
    pub loaded: Value,
}

impl ParserReport {
    /// The errors and warnings.
    pub fn serious(&self) -> Vec<&Value> {
        self.diagnostics
            .iter()
            .filter(|diagnostic| {
                diagnostic["severity"]
                    .as_u64()
                    .is_none_or(|severity| severity <= 1)
            })
            .collect()
    }

    /// Every diagnostic, one per line.
    pub fn listing(&self) -> String {
        self.diagnostics
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Runs the official AsyncAPI parser (`@asyncapi/parser`, installed by `bash scripts/interop.sh`)
/// on `file` through `tests/asyncapi/parse.mjs`.
pub fn official_parser(file: &Path) -> ParserReport {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let parser = root.join("../scripts/interop/node_modules/@asyncapi/parser/package.json");
    assert!(
        parser.is_file(),
        "the official AsyncAPI parser is not installed ({} is missing): run `bash scripts/interop.sh` at the repository's root",
        parser.display()
    );
    let script = root.join("tests/asyncapi/parse.mjs");
    let output = match Command::new("node").arg(&script).arg(file).output() {
        Ok(output) => output,
        Err(error) => panic!(
            "cannot run `node` ({error}): run `bash scripts/interop.sh` at the repository's root"
        ),
    };
    assert!(
        output.status.success(),
        "{} failed: {}",
        script.display(),
        stderr(&output)
    );
    let mut report: Value =
        serde_json::from_slice(&output.stdout).expect("parse.mjs prints one JSON object");
    let diagnostics = match report["diagnostics"].take() {
        Value::Array(diagnostics) => diagnostics,
        other => panic!("parse.mjs printed no diagnostics list: {other}"),
    };
    ParserReport {
        diagnostics,
        loaded: report["loaded"].take(),
    }
}

/// The first place where `a` and `b` differ (a JSON pointer and the two values), numbers
/// compared by value (JavaScript reads `0.0` as `0`), or `None` when they are the same.
pub fn first_difference(a: &Value, b: &Value) -> Option<String> {
    fn walk(a: &Value, b: &Value, path: &str) -> Option<String> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => None,
            (Value::Object(x), Value::Object(y)) => {
                if x.len() != y.len() || x.keys().any(|key| !y.contains_key(key)) {
                    let keys = |map: &serde_json::Map<String, Value>| {
                        map.keys().cloned().collect::<Vec<_>>()
                    };
                    return Some(format!("{path}: keys {:?} and {:?}", keys(x), keys(y)));
                }
                x.iter()
                    .find_map(|(key, value)| walk(value, &y[key], &format!("{path}/{key}")))
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(index, (x, y))| walk(x, y, &format!("{path}/{index}"))),
            (x, y) if x == y => None,
            (x, y) => Some(format!("{path}: {x} and {y}")),
        }
    }
    walk(a, b, "")
}
