//! Links written in data fields: data text is shown on many pages at different depths (the
//! case library, a section's `{cases}` table, handouts), so a link relative to one page would
//! lead nowhere on another. Only links to other sites and mail addresses are allowed there.

use crate::error::{Diagnostic, Diagnostics};
use crate::kind::Kind;
use crate::load::data::DataFile;

/// Reports every Markdown link (`[text](dest)`) in `f`'s text whose destination is not a web or
/// mail address.
pub fn check(f: &DataFile, diags: &mut Diagnostics) {
    let text = f.text.as_str();
    let mut from = 0;
    while let Some(at) = text[from..].find("](") {
        let start = from + at + 2;
        from = start;
        let rest = &text[start..];
        let dest = match rest.strip_prefix('<') {
            Some(r) => &r[..r.find('>').unwrap_or(r.len())],
            None => {
                let end = rest
                    .find(|c: char| c == ')' || c.is_whitespace() || c == '"' || c == '\'')
                    .unwrap_or(rest.len());
                &rest[..end]
            }
        };
        if allowed(dest) {
            continue;
        }
        let shown = if dest.is_empty() { "()" } else { dest };
        diags.push(
            Diagnostic::at(Kind::BrokenLink,
                &f.path,
                text,
                start,
                format!("the link to `{shown}` in a data field leads nowhere: data text is shown on many pages, so its links may only lead to other sites"),
            )
            .help("write a full web address (https://…) or a mail address (mailto:…); link to a page of the course from a page's Markdown instead"),
        );
    }
}

/// Whether a data field may link to `dest`: a web or mail address (other schemes, which are
/// dropped when the text is rendered, and `term:` links are left alone too).
fn allowed(dest: &str) -> bool {
    let l = dest.trim().to_ascii_lowercase();
    l.contains(':') && !l.starts_with('#') && !l.starts_with('/') && !l.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::data::DataContents;

    fn found(text: &str) -> Vec<(usize, usize)> {
        let f = DataFile {
            path: "content/data/x.cases.toml".into(),
            text: text.into(),
            contents: DataContents::Cases(vec![]),
        };
        let mut d = Diagnostics::default();
        check(&f, &mut d);
        d.0.iter().map(|d| (d.line, d.column)).collect()
    }

    #[test]
    fn only_outside_links_pass() {
        assert_eq!(
            found("a = \"[x](https://e.org/) [m](mailto:a@b.c)\"\n"),
            vec![]
        );
        assert_eq!(found("a = \"[t](term:ransomware)\"\n"), vec![]);
        assert_eq!(
            found("a = \"see [x](../01-a/01-b.md#h)\"\nb = \"[y](#top) [z](<a b.md>) [e]()\"\n"),
            vec![(1, 14), (2, 10), (2, 20), (2, 34)]
        );
    }
}
