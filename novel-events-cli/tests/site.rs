//! `novel-events docs`: the site of the Novel Engine catalog checked in a real browser
//! (headless Chromium through `tests/site/check.mjs`: every page loads without a console
//! error, every link resolves, the search box filters), its pages checked against the
//! catalog's metadata, markup in a catalog shown as text, and a broken catalog writing nothing.
//!
//! `UPDATE_SCREENSHOT=1 cargo test -p novel-events-cli --test site` rewrites
//! `docs/images/catalog-site.png`, the screenshot of the index the README shows.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use novel_events::novel_engine::CATALOG;
use novel_events::{FieldInfo, TypeInfo};
use serde_json::Value;

const NOVEL_ENGINE: &str = "../novel-events/catalog/novel-engine.yaml";
const TYPOS: &str = "tests/fixtures/catalogs/typos.yaml";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_novel-events"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A fresh directory path under `target/tmp` (not created).
fn fresh(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("site-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn docs(catalog: &str, out: &Path) -> Output {
    run(&[
        "docs",
        catalog,
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ])
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("a directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Runs the browser check on the site in `dir`; the JSON report.
fn browser_check(dir: &Path, search: &str, hidden: &str, screenshot: Option<&Path>) -> Value {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/interop");
    assert!(
        interop.join("node_modules/playwright-core").is_dir()
            && Path::new("/usr/bin/chromium").exists(),
        "playwright-core (in {}) or /usr/bin/chromium is missing: run `bash scripts/interop.sh`",
        interop.display()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/site/check.mjs");
    let mut command = Command::new("node");
    command
        .arg(&script)
        .arg(dir)
        .args(["--search", search, "--hidden", hidden]);
    if let Some(screenshot) = screenshot {
        command.arg("--screenshot").arg(screenshot);
    }
    let output = command.output().unwrap_or_else(|error| {
        panic!("node does not run ({error}): run `bash scripts/interop.sh`")
    });
    assert!(
        output.status.success(),
        "check.mjs failed: {}{}",
        text(&output.stderr),
        text(&output.stdout)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

fn assert_clean(report: &Value, pages: usize) {
    assert_eq!(report["pages"], pages, "{report:#}");
    assert_eq!(report["loaded"], pages, "every page loaded: {report:#}");
    assert!(
        report["links"].as_u64().unwrap() > pages as u64,
        "{report:#}"
    );
    for list in [
        "consoleMessages",
        "pageErrors",
        "failedRequests",
        "brokenLinks",
    ] {
        assert_eq!(report[list], Value::Array(Vec::new()), "{list}: {report:#}");
    }
    let search = &report["search"];
    for flag in [
        "visibleBefore",
        "searchedVisible",
        "otherHidden",
        "allBack",
        "listedOnPage",
        "reachedFromPage",
    ] {
        assert_eq!(search[flag], true, "search {flag}: {report:#}");
    }
}

#[test]
fn the_novel_engine_site_renders_in_chromium_with_no_broken_link() {
    let dir = fresh("chromium");
    let output = docs(NOVEL_ENGINE, &dir);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let screenshot = std::env::var_os("UPDATE_SCREENSHOT")
        .filter(|value| value == "1")
        .map(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/images/catalog-site.png"));
    let report = browser_check(
        &dir,
        "CharacterCreated",
        "StoryGenerated",
        screenshot.as_deref(),
    );
    assert_clean(&report, CATALOG.events.len() + 1);
    assert_eq!(report["search"]["shownRows"], 1, "{report:#}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_page_per_event_version_with_its_payload_subscribers_and_publisher() {
    let dir = fresh("pages");
    let output = run(&[
        "docs",
        NOVEL_ENGINE,
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["catalog"], "novel-engine");
    let listed: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file.as_str().unwrap())
        .collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert_eq!(
        files(&dir),
        listed_sorted,
        "the files listed are the files written"
    );

    fn count_fields(fields: &[FieldInfo]) -> usize {
        fields
            .iter()
            .map(|field| {
                let mut ty = &field.ty;
                while let TypeInfo::Array(item) = ty {
                    ty = item;
                }
                1 + match ty {
                    TypeInfo::Struct { fields, .. } => count_fields(fields),
                    _ => 0,
                }
            })
            .sum()
    }
    for event in CATALOG.events {
        let path = format!("events/{}/{}.html", event.event_type, event.event_version);
        assert!(listed.contains(&path.as_str()), "{path}");
        let page = read(&dir.join(&path));
        assert!(page.contains(&format!("<h1>{} ", event.name)), "{path}");
        assert_eq!(
            page.matches("<tr class=\"field\">").count(),
            count_fields(event.fields),
            "{path}: a payload row per field, nested ones included"
        );
        for field in event.fields {
            assert!(
                page.contains(&format!("<code>{}</code>", field.name)),
                "{path}: {}",
                field.name
            );
        }
        assert_eq!(
            page.matches("<tr class=\"subscriber\">").count(),
            event.subscribers.len(),
            "{path}"
        );
        for subscriber in event.subscribers {
            assert!(
                page.contains(&format!(
                    ">{}</a></td><td>{}</td>",
                    subscriber.service, subscriber.purpose
                )),
                "{path}: {} ({})",
                subscriber.service,
                subscriber.purpose
            );
        }
        let publisher = format!(
            "<dt>Published by</dt><dd><a href=\"../../index.html#service-{}\">{}</a></dd>",
            event.publisher.to_lowercase().replace(' ', "-"),
            event.publisher
        );
        assert!(page.contains(&publisher), "{path}: {publisher}");
        assert!(
            page.contains("<h2 id=\"example\">Example envelope</h2>"),
            "{path}"
        );
        assert!(
            page.contains(&format!(
                "&quot;eventType&quot;: &quot;{}&quot;",
                event.event_type
            )),
            "{path}"
        );
        assert!(page.contains("<h2 id=\"versions\">Versions</h2>"), "{path}");
    }

    let index = read(&dir.join("index.html"));
    let services = CATALOG.services();
    assert!(services.len() >= 25, "{services:?}");
    let svg_start = index.find("<svg class=\"diagram\"").expect("the diagram");
    let svg = &index[svg_start..index[svg_start..].find("</svg>").unwrap() + svg_start];
    for service in &services {
        assert!(
            svg.contains(&format!(">{service}</text>")),
            "the diagram shows {service}"
        );
        assert!(
            index.contains(&format!("<td>{service}</td>")),
            "the services table lists {service}"
        );
    }
    for event in CATALOG.events {
        assert!(
            svg.contains(&format!(">{}</text>", event.name)),
            "the diagram shows {}",
            event.name
        );
    }
    assert_eq!(
        index.matches("<tr data-search=").count(),
        CATALOG.events.len()
    );
    let search = read(&dir.join("assets/search-index.js"));
    assert!(search.contains("\"name\":\"CharacterCreated\""), "{search}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn versions_show_their_mode_changes_and_verdict() {
    let dir = fresh("versions");
    let output = docs("../tests/catalogs/workshop.yaml", &dir);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let page = read(&dir.join("events/orders.order.placed/1.0.0.html"));
    assert!(
        page.contains("older version"),
        "the first version is not the latest"
    );
    let newest = files(&dir)
        .into_iter()
        .rfind(|file| file.starts_with("events/orders.order.placed/"))
        .expect("versions of orders.order.placed");
    let page = read(&dir.join(&newest));
    assert!(
        page.contains("<span class=\"badge latest\">latest</span>"),
        "{newest}"
    );
    let versions = &page
        [page.find("<h2 id=\"versions\">").unwrap()..page.find("<h2 id=\"example\">").unwrap()];
    assert!(versions.contains("first version"), "{versions}");
    assert!(versions.contains("since 1.0.0"), "{versions}");
    assert!(
        versions.contains("field-"),
        "a change is listed: {versions}"
    );
    assert!(
        versions.contains("keeps its mode") || versions.contains("a new major version"),
        "{versions}"
    );
    assert!(versions.contains("compatible"), "{versions}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two versions of one event: the first deprecated, the second with a declared change log and
/// a deprecated field.
const PARCELS: &str = r#"catalog: parcels
version: "1.0.0"
domains:
  parcels:
    publisher: Post Office
    events:
      - name: ParcelSent
        eventType: parcels.parcel.sent
        eventVersion: "1.0.0"
        aggregateType: Parcel
        aggregateId: parcelId
        deprecated: Use 1.1.0
        removalVersion: "2.0.0"
        payload:
          parcelId: uuid
          oldField: string?
          service: "standard|priority"
      - name: ParcelSent
        eventType: parcels.parcel.sent
        eventVersion: "1.1.0"
        aggregateType: Parcel
        aggregateId: parcelId
        compatibilityMode: backward-compatible
        changes:
          - type: field-added
            field: newField
            optional: true
          - type: field-deprecated
            field: oldField
            removalVersion: "2.0.0"
          - { type: enum-values-added, field: service, values: [express] }
        payload:
          parcelId: uuid
          newField: string?
          oldField: { type: string, optional: true, deprecated: "gone soon", removalVersion: "2.0.0" }
          service: "standard|priority|express"
"#;

#[test]
fn declared_change_logs_and_deprecations_are_shown() {
    let dir = fresh("parcels");
    std::fs::create_dir_all(&dir).unwrap();
    let catalog = dir.join("parcels.yaml");
    std::fs::write(&catalog, PARCELS).unwrap();
    let site = dir.join("site");
    let output = docs(catalog.to_str().unwrap(), &site);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));

    let old = read(&site.join("events/parcels.parcel.sent/1.0.0.html"));
    assert!(old.contains("<span class=\"badge deprecated\">deprecated</span>"));
    assert!(
        old.contains("<p class=\"notice deprecated\">Deprecated: Use 1.1.0; removed in 2.0.0.</p>"),
        "{old}"
    );
    assert!(old.contains("An older version. The newest is <a href=\"../../events/parcels.parcel.sent/1.1.0.html\">1.1.0</a>."));

    let new = read(&site.join("events/parcels.parcel.sent/1.1.0.html"));
    let versions =
        &new[new.find("<h2 id=\"versions\">").unwrap()..new.find("<h2 id=\"example\">").unwrap()];
    for line in [
        "since 1.0.0 (declared in the catalog):",
        "<li>field-added <code>newField</code> (optional)</li>",
        "<li>field-deprecated <code>oldField</code> (removed in 2.0.0)</li>",
        "<li>enum-values-added <code>service</code> (express)</li>",
        "backward compatible, not forward; keeps its mode <code>backward</code>",
    ] {
        assert!(versions.contains(line), "{line}: {versions}");
    }
    assert!(
        new.contains(
            "<span class=\"badge deprecated\">deprecated</span> gone soon; removed in 2.0.0."
        ),
        "the deprecated field: {new}"
    );
    assert!(new.contains(
        "Service (enum: <code>standard</code> | <code>priority</code> | <code>express</code>)"
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn markup_in_a_catalog_shows_as_text_in_the_browser_too() {
    let dir = fresh("markup");
    std::fs::create_dir_all(&dir).unwrap();
    let catalog = dir.join("hostile.yaml");
    std::fs::write(
        &catalog,
        r#"catalog: hostile
version: "1.0.0"
description: "<script>alert('catalog')</script> & friends"
domains:
  books:
    description: "<img src=x onerror=alert(1)>"
    publisher: "Desk <b>bold</b>"
    events:
      - name: BookAdded
        eventType: books.book.added
        eventVersion: "1.0.0"
        aggregateType: Book
        aggregateId: bookId
        description: "<script>alert('event')</script>"
        triggers: ["</script><script>alert(2)</script>"]
        payload:
          bookId: uuid
          title: { type: string, description: "\"quoted\" <i>title</i>" }
        subscribers:
          - Shelf <Service> (file it under <script>alert(3)</script>)
      - name: BookLost
        eventType: books.book.lost
        eventVersion: "1.0.0"
        aggregateType: Book
        aggregateId: bookId
        payload: { bookId: uuid }
"#,
    )
    .unwrap();
    let site = dir.join("site");
    let output = docs(catalog.to_str().unwrap(), &site);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    for file in files(&site) {
        let contents = read(&site.join(&file));
        for markup in [
            "<script>alert",
            "<img src=x",
            "<b>bold",
            "<i>title",
            "<Service>",
        ] {
            assert!(
                !contents.contains(markup),
                "{file} holds {markup} as markup"
            );
        }
    }
    let page = read(&site.join("events/books.book.added/1.0.0.html"));
    assert!(
        page.contains("&lt;script&gt;alert(&#39;event&#39;)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("file it under &lt;script&gt;alert(3)&lt;/script&gt;"),
        "{page}"
    );
    let report = browser_check(&site, "BookAdded", "BookLost", None);
    assert_clean(&report, 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_catalog_writes_nothing_and_reports_as_check_does() {
    let dir = fresh("broken");
    let output = docs(TYPOS, &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.exists(), "nothing written");
    let check = run(&["check", TYPOS]);
    let (report, checked) = (text(&output.stdout), text(&check.stdout));
    let (lines, check_lines): (Vec<&str>, Vec<&str>) =
        (report.lines().collect(), checked.lines().collect());
    assert_eq!(lines.len(), check_lines.len(), "{report}");
    assert_eq!(
        lines[..lines.len() - 1],
        check_lines[..check_lines.len() - 1]
    );
    assert_eq!(
        lines.last().unwrap(),
        &format!("{}; no site was written", check_lines.last().unwrap())
    );
    let json = run(&[
        "docs",
        TYPOS,
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let checked = run(&["check", TYPOS, "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    assert_eq!(text(&json.stdout), text(&checked.stdout));

    // A site written before stays as it was.
    assert_eq!(docs(NOVEL_ENGINE, &dir).status.code(), Some(0));
    let before = files(&dir);
    assert_eq!(docs(TYPOS, &dir).status.code(), Some(1));
    assert_eq!(files(&dir), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_site_replaces_an_earlier_site_but_nothing_else() {
    let dir = fresh("replace");
    std::fs::create_dir_all(dir.join("events/stale.event.gone")).unwrap();
    std::fs::write(dir.join("events/stale.event.gone/1.0.0.html"), "stale").unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let output = docs(NOVEL_ENGINE, &dir);
    assert_eq!(output.status.code(), Some(2));
    let error = text(&output.stderr);
    assert!(
        error.contains("is not empty and is not a site written by `novel-events docs`"),
        "{error}"
    );
    assert_eq!(read(&dir.join("notes.txt")), "mine", "left alone");

    std::fs::remove_file(dir.join("notes.txt")).unwrap();
    std::fs::remove_dir_all(dir.join("events")).unwrap();
    let output = docs(NOVEL_ENGINE, &dir);
    assert_eq!(output.status.code(), Some(0), "an empty directory is used");
    assert_eq!(
        text(&output.stdout),
        format!(
            "wrote the documentation of catalog `novel-engine` 1.0.0 to {}: 27 pages (26 event versions), open {}\n",
            dir.display(),
            dir.join("index.html").display()
        )
    );
    std::fs::write(dir.join("events/leftover.html"), "old").unwrap();
    assert_eq!(
        docs(NOVEL_ENGINE, &dir).status.code(),
        Some(0),
        "an earlier site is replaced"
    );
    assert!(!dir.join("events/leftover.html").exists(), "as a whole");

    // An earlier site with a file of someone else's beside it (a README, a `.git`) is not
    // ours to remove.
    std::fs::write(dir.join("README.md"), "mine").unwrap();
    let output = docs(NOVEL_ENGINE, &dir);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a site with other files is refused"
    );
    assert!(
        text(&output.stderr).contains("it holds other files beside the site's"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(read(&dir.join("README.md")), "mine", "left alone");
    assert!(dir.join("index.html").exists(), "the site too");
    std::fs::remove_file(dir.join("README.md")).unwrap();
    let parent = dir.parent().unwrap();
    let staging: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with(&format!(".{}.", dir.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(staging.is_empty(), "no staging directory is left behind");

    let file = dir.join("index.html");
    let output = docs(NOVEL_ENGINE, &file);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("is not a directory"));
    let _ = std::fs::remove_dir_all(&dir);
}
