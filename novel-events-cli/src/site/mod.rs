//! The documentation site of a catalog, as `novel-events docs` writes it: plain HTML and CSS,
//! one small script for the search box, no server and no network (it works from `file://`).
//!
//! Contract:
//! - [`render`] builds every file in memory from a valid catalog (the codegen model for the
//!   domains, versions, modes and change logs; the runtime metadata built from it for fields,
//!   subscribers, publishers, example envelopes and JSON Schemas). It cannot fail.
//! - Files: `index.html` (domains, events, the diagram, services), one page per event
//!   version at `events/<eventType>/<eventVersion>.html`, and `assets/` (stylesheet, search
//!   index, search script). Every link is relative, and every link resolves.
//! - Every string from the catalog is escaped (`html::escape`): a description that holds
//!   markup shows as text. The search index is JSON inside a script, with `<` escaped.
//! - [`Site::write`] writes all or nothing: into a staging directory beside the target, which
//!   then takes the target's place. A target that exists must be empty or a site this command
//!   wrote (its `index.html` says so); anything else is refused, never overwritten.
//!
//! Files: `html` (escaping, the frame of a page), `paths` (file names, relative links,
//! anchors), `versions` (versions and their evolution), `diagram` (the SVG), `search` (the
//! search index), `example` (the example envelope in wire order), `index_page`,
//! `event_page`, `output` (writing the directory), and the assets `style.css` and
//! `search.js`.

mod diagram;
mod event_page;
mod example;
mod html;
mod index_page;
mod output;
mod paths;
mod search;
mod versions;

pub use output::SiteError;

use novel_events_codegen::Catalog;

use crate::metadata;

/// A rendered site: its files, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    files: Vec<SiteFile>,
}

/// One file of a [`Site`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// The path inside the site, `/`-separated (`events/a.b.c/1.0.0.html`).
    pub path: String,
    /// The text.
    pub contents: String,
}

impl Site {
    /// The files: the index, the event pages (event type by event type, oldest version
    /// first), then the assets.
    pub fn files(&self) -> &[SiteFile] {
        &self.files
    }

    /// The file at `path` (inside the site), if any.
    pub fn file(&self, path: &str) -> Option<&SiteFile> {
        self.files.iter().find(|file| file.path == path)
    }

    /// The number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files
            .iter()
            .filter(|file| file.path.ends_with(".html"))
            .count()
    }
}

/// The site of `catalog` (a catalog that passed validation: `catalog_file::load`).
///
/// ```
/// let catalog = novel_events_codegen::parse_catalog(r#"
/// catalog: library
/// version: "1.0.0"
/// domains:
///   lending:
///     publisher: Lending Desk
///     events:
///       - name: BookBorrowed
///         eventType: lending.book.borrowed
///         eventVersion: "1.0.0"
///         aggregateType: Book
///         aggregateId: bookId
///         description: "A reader took a book <home>"
///         payload: { bookId: uuid, days: { type: integer, min: 1, max: 28 } }
///         subscribers:
///           - Reminders (remind the reader before the due date)
/// "#, "library.yaml").unwrap();
/// let site = novel_events_cli::site::render(&catalog);
/// let page = site.file("events/lending.book.borrowed/1.0.0.html").unwrap();
/// assert!(page.contents.contains("A reader took a book &lt;home&gt;"));
/// assert!(page.contents.contains("remind the reader before the due date"));
/// assert!(site.file("index.html").unwrap().contents.contains(">Lending Desk</text>"));
/// ```
pub fn render(catalog: &Catalog) -> Site {
    let info = metadata::catalog_info(catalog);
    let event_types = versions::event_types(catalog, info);
    let anchors = paths::Anchors::new(
        catalog.domains.iter().map(|domain| domain.name.as_str()),
        info.services(),
    );
    let mut files = vec![SiteFile {
        path: paths::INDEX.to_owned(),
        contents: index_page::render(catalog, info, &event_types, &anchors),
    }];
    for event_type in &event_types {
        for version in &event_type.versions {
            files.push(SiteFile {
                path: paths::event_page(version.info.event_type, version.info.event_version),
                contents: event_page::render(catalog, info, event_type, version, &anchors),
            });
        }
    }
    for (path, contents) in [
        (paths::STYLE, include_str!("assets/style.css").to_owned()),
        (paths::SEARCH_INDEX, search::index_script(&event_types)),
        (
            paths::SEARCH_SCRIPT,
            include_str!("assets/search.js").to_owned(),
        ),
    ] {
        files.push(SiteFile {
            path: path.to_owned(),
            contents,
        });
    }
    Site { files }
}
