//! HTML text: escaping every string that comes from a catalog, and the frame every page shares
//! (head, header with the search box, footer, the stylesheet and the scripts).

use std::fmt::Write as _;

use super::paths;

/// The `<meta name="generator">` of every page; a directory whose `index.html` carries it is
/// a site this command wrote, and may be replaced by a newer one.
pub(super) const GENERATOR: &str = "novel-events docs";

/// `text` with `&`, `<`, `>`, `"` and `'` escaped: safe as element content and as a quoted
/// attribute value, in HTML and in inline SVG.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped, with each pair of backticks made a `<code>` span (the tool's messages
/// quote names as `` `name` ``); an unpaired backtick stays as it is.
pub(super) fn prose(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                code(part)
            } else {
                escape(part)
            }
        })
        .collect()
}

/// `<code>text</code>`, escaped.
pub(super) fn code(text: &str) -> String {
    format!("<code>{}</code>", escape(text))
}

/// `<a href="href">text</a>`, both escaped.
pub(super) fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(href), escape(text))
}

/// What every page shows around its content.
pub(super) struct Frame<'a> {
    /// The catalog's name, in the header and the title.
    pub catalog: &'a str,
    /// The catalog's version.
    pub version: &'a str,
    /// The page's path inside the site (`events/a.b.c/1.0.0.html`): links are made relative
    /// to it, so that the site works from `file://`.
    pub path: &'a str,
    /// The page's own title (before the catalog's name).
    pub title: &'a str,
}

impl Frame<'_> {
    /// The whole page around `body` (already HTML).
    pub(super) fn page(&self, body: &str) -> String {
        let root = paths::root_of(self.path);
        let mut page = String::with_capacity(body.len() + 2048);
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"{GENERATOR}\">\n\
             <title>{title} · {catalog} {version}</title>\n\
             <link rel=\"icon\" href=\"data:,\">\n\
             <link rel=\"stylesheet\" href=\"{root}{css}\">\n\
             </head>\n<body data-root=\"{root}\">\n<header class=\"top\">\n\
             <a class=\"home\" href=\"{root}index.html\">{catalog} <span class=\"muted\">{version}</span></a>\n\
             <div class=\"search\"><input id=\"search\" type=\"search\" placeholder=\"Search events by name\" \
             aria-label=\"Search events by name\" autocomplete=\"off\">\n\
             <ul id=\"search-results\" hidden></ul></div>\n</header>\n<main>\n{body}</main>\n\
             <footer>Written by <code>novel-events docs</code> from catalog {catalog} {version}.</footer>\n\
             <script src=\"{root}{index}\"></script>\n<script src=\"{root}{script}\"></script>\n\
             </body>\n</html>\n",
            title = escape(self.title),
            catalog = escape(self.catalog),
            version = escape(self.version),
            css = paths::STYLE,
            index = paths::SEARCH_INDEX,
            script = paths::SEARCH_SCRIPT,
        );
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("plain – text"), "plain – text");
    }

    #[test]
    fn backticks_become_code() {
        assert_eq!(
            prose("field-added `a<b>` (x)"),
            "field-added <code>a&lt;b&gt;</code> (x)"
        );
        assert_eq!(prose("one ` only <"), "one ` only &lt;");
    }

    #[test]
    fn links_are_relative_to_the_page() {
        let frame = Frame {
            catalog: "demo",
            version: "1.0.0",
            path: "events/a.b.c/1.0.0.html",
            title: "<T>",
        };
        let page = frame.page("<p>body</p>");
        assert!(page.contains("href=\"../../index.html\""), "{page}");
        assert!(page.contains("href=\"../../assets/style.css\""), "{page}");
        assert!(
            page.contains("<title>&lt;T&gt; · demo 1.0.0</title>"),
            "{page}"
        );
    }
}
