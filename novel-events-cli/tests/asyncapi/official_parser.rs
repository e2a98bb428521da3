//! The official AsyncAPI parser accepts the Novel Engine catalog's document, in YAML and JSON,
//! with no error and no warning; and it does find them in a broken document, so that its
//! silence means something.

use serde_json::Value;

use crate::support::{
    NOVEL_ENGINE, code, first_difference, official_parser, run, stderr, stdout, temp_dir,
};

#[test]
fn the_novel_engine_document_passes_the_official_parser_in_yaml_and_json() {
    let dir = temp_dir("official-parser");
    let mut loaded = Vec::new();
    for format in ["yaml", "json"] {
        let path = dir.join(format!("novel-engine.asyncapi.{format}"));
        let output = run(&[
            "asyncapi",
            NOVEL_ENGINE,
            "--format",
            format,
            "--out",
            path.to_str().expect("a UTF-8 path"),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert!(
            stdout(&output).starts_with(
                "wrote the AsyncAPI 3.0.0 document of catalog `novel-engine` 1.0.0 to "
            ),
            "{}",
            stdout(&output)
        );
        let report = official_parser(&path);
        assert!(
            report.serious().is_empty(),
            "the official AsyncAPI parser finds errors or warnings in the {format} document {}:\n{}",
            path.display(),
            report.listing()
        );
        if format == "json" {
            let text = std::fs::read_to_string(&path).expect("the JSON document");
            let ours: Value = serde_json::from_str(&text).expect("JSON");
            if let Some(difference) = first_difference(&report.loaded, &ours) {
                panic!(
                    "the parser's reader and serde_json read the JSON document differently at {difference}"
                );
            }
        }
        loaded.push(report.loaded);
    }
    if let Some(difference) = first_difference(&loaded[0], &loaded[1]) {
        panic!("the YAML document does not read as the JSON document at {difference}");
    }
    let on_stdout = run(&["asyncapi", NOVEL_ENGINE]);
    assert_eq!(code(&on_stdout), 0, "{}", stderr(&on_stdout));
    let file = std::fs::read_to_string(dir.join("novel-engine.asyncapi.yaml")).expect("YAML");
    assert_eq!(
        stdout(&on_stdout),
        file,
        "YAML on standard output by default, the same as in the file"
    );
}

#[test]
fn the_official_parser_reports_a_broken_document() {
    let dir = temp_dir("broken-document");
    let mut document = crate::support::json_document(NOVEL_ENGINE, &[]);
    let operation = document["operations"]
        .as_object_mut()
        .and_then(|operations| operations.values_mut().next())
        .expect("an operation");
    operation["action"] = Value::from("publish");
    let path = dir.join("broken.json");
    std::fs::write(&path, document.to_string()).expect("written");
    let report = official_parser(&path);
    assert!(
        report
            .serious()
            .iter()
            .any(|diagnostic| diagnostic["severity"] == 0),
        "an operation with action `publish` (AsyncAPI 2's word) must be an error:\n{}",
        report.listing()
    );
}
