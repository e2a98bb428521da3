//! A catalog with problems gives no document: the problems `check` reports, exit code 1, and
//! no file.

use crate::support::{code, run, stderr, stdout, temp_dir};

/// Two mistakes in the characters domain (an unknown type, an eventType in the wrong domain).
const TYPOS: &str = "tests/fixtures/catalogs/typos.yaml";
/// A YAML syntax error.
const UNCLOSED: &str = "tests/fixtures/catalogs/unclosed.yaml";

/// The `file:line:column: message` lines of a report.
fn problems(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|line| {
            line.split(':')
                .nth(1)
                .is_some_and(|number| number.parse::<u32>().is_ok())
        })
        .collect()
}

#[test]
fn the_same_errors_as_check_exit_code_1_and_no_file() {
    let dir = temp_dir("broken-catalog");
    for catalog in [TYPOS, UNCLOSED] {
        let check = run(&["check", catalog]);
        assert_eq!(code(&check), 1, "{}", stderr(&check));
        let expected = stdout(&check);
        assert!(!problems(&expected).is_empty(), "{expected}");

        let out = dir.join("never.asyncapi.yaml");
        for format in ["yaml", "json"] {
            let output = run(&[
                "asyncapi",
                catalog,
                "--format",
                format,
                "--out",
                out.to_str().expect("a UTF-8 path"),
            ]);
            assert_eq!(code(&output), 1, "{}", stderr(&output));
            let report = stdout(&output);
            assert_eq!(problems(&report), problems(&expected), "{catalog}");
            assert!(
                report
                    .trim_end()
                    .ends_with("; no AsyncAPI document was written"),
                "{report}"
            );
            assert!(!out.exists(), "no document for a broken catalog");
        }

        // On standard output too: the report and nothing of a document.
        let output = run(&["asyncapi", catalog]);
        assert_eq!(code(&output), 1);
        let report = stdout(&output);
        assert_eq!(problems(&report), problems(&expected));
        assert!(!report.contains("asyncapi:"), "{report}");
    }
}

#[test]
fn an_existing_file_is_left_as_it_was() {
    let dir = temp_dir("kept-file");
    let out = dir.join("api.yaml");
    std::fs::write(&out, "the previous document\n").expect("written");
    let output = run(&[
        "asyncapi",
        TYPOS,
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(code(&output), 1);
    assert_eq!(
        std::fs::read_to_string(&out).expect("still there"),
        "the previous document\n"
    );
    assert_eq!(
        std::fs::read_dir(&dir).expect("the directory").count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn a_missing_catalog_is_a_failure() {
    let output = run(&["asyncapi", "tests/fixtures/catalogs/missing.yaml"]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output)
            .contains("cannot read the catalog file `tests/fixtures/catalogs/missing.yaml`"),
        "{}",
        stderr(&output)
    );
}
