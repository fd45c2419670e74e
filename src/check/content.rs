//! Findings about what the course says rather than how it is written: case studies that no page
//! cites, and the external links it contains (listed for the record, never fetched).

use super::{Finding, Severity};
use crate::kind::Kind;
use crate::load::Loaded;
use crate::site::links::is_external;
use crate::site::Site;

/// Case studies that no page's `{cases}` table selects (they are reachable only through the
/// case library).
pub fn uncited_cases(site: &Site, out: &mut Vec<Finding>) {
    let cites = crate::render::library::citations(site);
    for c in &site.data.cases {
        if cites.contains_key(&c.value.id) {
            continue;
        }
        let Some(f) = site.data.files.iter().find(|f| f.path == c.file) else {
            continue;
        };
        let d = f.locate(
            Kind::UncitedCase,
            None,
            &c.value.id,
            format!("the case study `{}` is cited by no page", c.value.id),
        );
        let mut x = Finding::from_diagnostic(Severity::Warning, &d);
        x.fix = Some(format!(
            "cite it where it makes a point: a {{cases}} block with ids = [\"{}\"], or remove it",
            c.value.id
        ));
        out.push(x);
    }
}

/// Every external link of the Markdown pages and URLs written in data files.
pub fn external_links(loaded: &Loaded, out: &mut Vec<Finding>) {
    for f in &loaded.pages {
        for l in f.doc.all_links() {
            if is_external(&l.dest)
                && !l
                    .dest
                    .trim()
                    .to_ascii_lowercase()
                    .starts_with("javascript:")
            {
                let d = crate::error::Diagnostic::at_line(
                    Kind::ExternalLink,
                    &f.rel,
                    &f.text,
                    l.pos.line,
                    l.pos.column,
                    format!(
                        "external {}: {}",
                        if l.image { "image" } else { "link" },
                        l.dest
                    ),
                );
                let mut x = Finding::from_diagnostic(Severity::Info, &d);
                x.fix =
                    Some("not fetched by kyozai: check that it still leads where it should".into());
                out.push(x);
            }
        }
    }
    for f in &loaded.data {
        for (off, url) in urls(&f.text) {
            out.push(Finding::at(
                Severity::Info,
                Kind::ExternalLink,
                &f.path,
                &f.text,
                off,
                format!("external link: {url}"),
                "not fetched by kyozai: check that it still leads where it should",
            ));
        }
    }
}

/// `http://` and `https://` URLs in a text, with their byte offsets.
pub fn urls(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("http").map(|i| i + from) {
        let rest = &text[i..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            from = i + 4;
            continue;
        };
        let len = rest
            .find(|c: char| {
                c.is_whitespace() || !c.is_ascii() || matches!(c, '"' | '\'' | '<' | '>' | '`')
            })
            .unwrap_or(rest.len());
        let url = rest[..len].trim_end_matches(['.', ',', ')', ']', ';', ':']);
        if url.len() > scheme {
            out.push((i, url));
        }
        from = i + len.max(4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn finds_urls() {
        let t =
            "url = \"https://example.org/a?b=1\"\ntext = \"see [x](http://x.jp/). http alone\"\n";
        let u: Vec<&str> = urls(t).into_iter().map(|(_, u)| u).collect();
        assert_eq!(u, ["https://example.org/a?b=1", "http://x.jp/"]);
    }
}
