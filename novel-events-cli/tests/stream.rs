//! `validate_stream` over random bytes (newlines, blank lines, long lines, broken JSON, real
//! envelopes): it never panics, counts every line once, and writes one finding per bad line.

#[path = "../../tests/rng.rs"]
#[allow(dead_code)] // The crash tests' helpers of the generator are not used here.
mod rng;

use novel_events_cli::envelopes::{Report, validate_stream};
use novel_events_cli::format::Format;
use novel_events_cli::{catalog_file, loaded, metadata};

#[test]
fn random_streams_are_counted_line_by_line() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../novel-events/catalog/novel-engine.yaml"
    );
    let catalog = catalog_file::load(path.as_ref()).expect("valid");
    loaded::install(metadata::catalog_info(&catalog)).expect("one catalog");
    let good = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/envelopes/good.jsonl"
    ))
    .expect("the fixture");
    let pieces: [&[u8]; 9] = [
        b"\n", b"\r\n", b" \t", b"{", b"}", b"\"", b"\xff", b"[1,", &good,
    ];
    let mut rng = rng::Rng::new(0x7374_7265_616d);
    let (mut valid, mut invalid, mut blank) = (0, 0, 0);
    for _ in 0..300 {
        let mut input = Vec::new();
        for _ in 0..rng.below(40) {
            let piece = pieces[rng.below(pieces.len() as u64) as usize];
            let cut = rng.below(piece.len() as u64 + 1) as usize;
            input.extend_from_slice(if rng.below(4) == 0 {
                &piece[..cut]
            } else {
                piece
            });
        }
        let max_line_bytes = 1 + rng.below(2000) as usize;
        let mut out = Vec::new();
        let summary = {
            let mut report = Report::new(&mut out, Format::Json, "random");
            validate_stream(input.as_slice(), max_line_bytes, &mut report).expect("in memory")
        };
        let lines =
            input.split(|byte| *byte == b'\n').count() - usize::from(input.ends_with(b"\n"));
        let lines = if input.is_empty() { 0 } else { lines };
        assert_eq!(summary.envelopes + summary.blank, lines as u64, "{input:?}");
        assert_eq!(summary.valid + summary.invalid, summary.envelopes);
        let report = String::from_utf8(out).expect("UTF-8 report");
        let reported: Vec<serde_json::Value> = report
            .lines()
            .map(|line| serde_json::from_str(line).expect("JSON Lines"))
            .collect();
        assert_eq!(reported.len() as u64, summary.invalid + 1, "{report}");
        assert_eq!(reported.last().unwrap()["kind"], "summary");
        (valid, invalid, blank) = (
            valid + summary.valid,
            invalid + summary.invalid,
            blank + summary.blank,
        );
    }
    assert!(
        valid > 50 && invalid > 500 && blank > 100,
        "{valid} valid, {invalid} invalid, {blank} blank"
    );
}
