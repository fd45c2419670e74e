//! The passes that make a page's body part of a handout: ids prefixed with the page's anchor,
//! headings moved down a level, and links to pages in the same handout made links inside it.

/// Prefixes every id of `html` (and every reference to one) with `p-`, in one pass.
pub fn prefix_ids(html: &str, p: &str) -> String {
    use aho_corasick::AhoCorasick;
    use std::sync::OnceLock;
    // Single ids, then lists of ids.
    const SINGLE: [&str; 4] = [" id=\"", " for=\"", "href=\"#", "url(#"];
    const LISTS: [&str; 4] = [
        " aria-labelledby=\"",
        " aria-describedby=\"",
        " aria-controls=\"",
        " headers=\"",
    ];
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    let m = MATCHER.get_or_init(|| {
        AhoCorasick::new(SINGLE.iter().chain(LISTS.iter())).expect("patterns build")
    });
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut last = 0;
    for hit in m.find_iter(html) {
        if hit.start() < last {
            continue;
        }
        out.push_str(&html[last..hit.end()]);
        last = hit.end();
        if hit.pattern().as_usize() < SINGLE.len() {
            out.push_str(p);
            out.push('-');
        } else {
            let end = html[last..]
                .find('"')
                .map(|e| last + e)
                .unwrap_or(html.len());
            let ids: Vec<String> = html[last..end]
                .split_whitespace()
                .map(|id| format!("{p}-{id}"))
                .collect();
            out.push_str(&ids.join(" "));
            last = end;
        }
    }
    out.push_str(&html[last..]);
    out
}

/// Moves every heading down `by` levels (h2 → h3 for 1), h6 at most, in one pass.
pub fn shift_headings(html: &str, by: u8) -> String {
    if by == 0 {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let b = tail.as_bytes();
        let (close, digit_at) = if b.get(1) == Some(&b'/') {
            (true, 3)
        } else {
            (false, 2)
        };
        let is_heading = b.get(digit_at - 1).is_some_and(|c| *c == b'h')
            && b.get(digit_at).is_some_and(|d| (b'1'..=b'6').contains(d))
            && b.get(digit_at + 1)
                .is_some_and(|c| *c == b'>' || *c == b' ');
        if is_heading {
            let level = b[digit_at] - b'0';
            let to = (level + by).min(6);
            out.push_str(if close { "</h" } else { "<h" });
            out.push(char::from(b'0' + to));
            rest = &tail[digit_at + 1..];
        } else {
            out.push('<');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Output URL (as written in hrefs) → anchor, for the pages a handout contains.
pub type Inside = std::collections::HashMap<String, String>;

/// Rewrites, in one pass, every `href` to a page in `inside` into a link within the document,
/// and, when the document holds the glossary, every link to a term of the `glossary` page (its
/// URL as written in hrefs) into a link to the term in the document.
pub(super) fn link_inside(html: &str, inside: &Inside, glossary: Option<&str>) -> String {
    static HREF: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let href = HREF.get_or_init(|| memchr::memmem::Finder::new("href=\""));
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = href.find(rest.as_bytes()) {
        let start = at + 6;
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('"')
            .map(|e| start + e)
            .unwrap_or(rest.len());
        let url = &rest[start..end];
        let (base, frag) = match url.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (url, None),
        };
        match (inside.get(base), frag) {
            (Some(a), Some(f)) => {
                out.push('#');
                out.push_str(a);
                out.push('-');
                out.push_str(f);
            }
            (Some(a), None) => {
                out.push('#');
                out.push_str(a);
            }
            (None, Some(f)) if glossary == Some(base) => {
                out.push('#');
                out.push_str(f);
            }
            (None, _) => out.push_str(url),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
