//! Marks the first use of each glossary term on a page: the term becomes a link to its glossary
//! entry with the definition in an accessible tooltip, so a reader sees it without leaving.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use pulldown_cmark::{CowStr, Event};

use super::html::Ctx;
use crate::site::Site;
use crate::text::push_escaped;

/// The glossary terms of one language, ready for matching.
pub struct Terms {
    matcher: Option<AhoCorasick>,
    /// For each pattern: the term's index in the site's glossary.
    owner: Vec<usize>,
    /// Patterns with capitals (acronyms such as IDS) match only as written.
    exact: Vec<Option<String>>,
    /// Per term: (id, display term, definition).
    entries: Vec<(String, String, String)>,
}

impl Terms {
    /// Builds the matcher for `lang`; terms without an entry in `lang` use the source language.
    pub fn new(site: &Site, lang: &str) -> Terms {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        let mut entries = Vec::new();
        for (i, t) in site.data.glossary.iter().enumerate() {
            let Some(tt) = t
                .value
                .langs
                .get(lang)
                .or_else(|| t.value.langs.get(site.source_lang()))
            else {
                continue;
            };
            entries.push((t.value.id.clone(), tt.term.clone(), tt.definition.clone()));
            for s in std::iter::once(&tt.term).chain(tt.aliases.iter()) {
                if s.chars().count() >= 2 {
                    patterns.push(s.clone());
                    owner.push(i);
                }
            }
        }
        let exact = patterns
            .iter()
            .map(|p: &String| p.chars().any(|c| c.is_ascii_uppercase()).then(|| p.clone()))
            .collect();
        let matcher = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&patterns)
                .expect("glossary patterns build")
        });
        Terms {
            matcher,
            owner,
            exact,
            entries,
        }
    }

    /// Every term in display order, as (id, term, definition).
    pub fn entries(&self) -> &[(String, String, String)] {
        &self.entries
    }
}

/// Tracks which terms a page has already marked.
pub struct Marker<'a> {
    terms: &'a Terms,
    seen: HashSet<usize>,
    /// Whether marking is on (off inside generated tables and in print views).
    pub enabled: bool,
}

impl<'a> Marker<'a> {
    /// A fresh marker for one page.
    pub fn new(terms: &'a Terms) -> Marker<'a> {
        Marker {
            terms,
            seen: HashSet::new(),
            enabled: true,
        }
    }

    /// Pushes `text` as events, with the first use of each term marked.
    pub fn mark<'t>(&mut self, ctx: &Ctx, text: &CowStr<'t>, events: &mut Vec<Event<'t>>) {
        let part = |a: usize, b: usize| match text {
            CowStr::Borrowed(s) => CowStr::Borrowed(&s[a..b]),
            _ => CowStr::from(text[a..b].to_string()),
        };
        let Some(m) = self.terms.matcher.as_ref().filter(|_| self.enabled) else {
            events.push(Event::Text(text.clone()));
            return;
        };
        let mut last = 0;
        for hit in m.find_iter(text.as_ref()) {
            let idx = self.terms.owner[hit.pattern().as_usize()];
            let as_written = self.terms.exact[hit.pattern().as_usize()]
                .as_deref()
                .is_none_or(|p| p == &text[hit.start()..hit.end()]);
            if self.seen.contains(&idx)
                || !as_written
                || !word_bounded(text, hit.start(), hit.end())
            {
                continue;
            }
            self.seen.insert(idx);
            if hit.start() > last {
                events.push(Event::Text(part(last, hit.start())));
            }
            let t = &ctx.site.data.glossary[idx].value;
            let entry = t
                .langs
                .get(ctx.lang)
                .or_else(|| t.langs.get(ctx.site.source_lang()));
            let def = entry.map(|e| e.definition.as_str()).unwrap_or("");
            let mut html = String::with_capacity(200);
            html.push_str(TERM_OPEN);
            html.push_str(&ctx.url(&format!("{}/glossary/index.html#term-{}", ctx.lang, t.id)));
            html.push_str(&format!("\" aria-describedby=\"tip-{}\">", t.id));
            push_escaped(&mut html, &text[hit.start()..hit.end()]);
            html.push_str(&format!(
                "</a><span class=\"term-tip\" role=\"tooltip\" id=\"tip-{}\">",
                t.id
            ));
            push_escaped(&mut html, def);
            html.push_str("</span></span>");
            events.push(Event::InlineHtml(CowStr::from(html)));
            last = hit.end();
        }
        if last == 0 {
            events.push(Event::Text(text.clone()));
        } else if last < text.len() {
            events.push(Event::Text(part(last, text.len())));
        }
    }
}

/// Latin terms must stand as whole words; CJK terms match anywhere.
fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let ok_start = !(first.is_some_and(is_word) && before.is_some_and(is_word));
    let ok_end = !(last.is_some_and(is_word) && after.is_some_and(is_word));
    ok_start && ok_end
}

/// How [`Marker::mark`] opens a marked term.
const TERM_OPEN: &str = "<span class=\"term\"><a class=\"term-link\" href=\"";

/// `html` with its terms unmarked: each mark [`Marker::mark`] wrote turned back into the term's
/// text as rendering without marking writes it (quotes are not escaped in body text).
pub fn strip_marks(html: &str) -> std::borrow::Cow<'_, str> {
    static OPEN: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let open = OPEN.get_or_init(|| memchr::memmem::Finder::new(TERM_OPEN));
    if open.find(html.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(html);
    }
    const CLOSE: &str = "</span></span>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = open.find(rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let after = &rest[at + TERM_OPEN.len()..];
        // `URL" aria-describedby="tip-ID">TERM</a><span class="term-tip" …>DEFINITION</span></span>`
        let mark = (|| {
            let start = after.find("\">")? + 2;
            let end = start + after[start..].find("</a>")?;
            let close = end + after[end..].find(CLOSE)? + CLOSE.len();
            Some((&after[start..end], close))
        })();
        match mark {
            Some((term, close)) => {
                out.push_str(&term.replace("&quot;", "\"").replace("&#39;", "'"));
                rest = &after[close..];
            }
            None => {
                out.push_str(TERM_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{strip_marks, word_bounded};

    #[test]
    fn latin_terms_need_word_boundaries() {
        assert!(word_bounded("the IPS blocks", 4, 7));
        assert!(!word_bounded("TIPS", 1, 4));
        assert!(word_bounded("ランサムウェアの", 0, "ランサムウェア".len()));
    }

    #[test]
    fn strip_marks_gives_back_the_terms_text() {
        let marked = "<p>A <span class=\"term\"><a class=\"term-link\" href=\"../ja/glossary/index.html#term-x\" aria-describedby=\"tip-x\">Let&#39;s &quot;go&quot; &amp; more</a><span class=\"term-tip\" role=\"tooltip\" id=\"tip-x\">Def &lt;b&gt;.</span></span> end.</p>";
        assert_eq!(strip_marks(marked), "<p>A Let's \"go\" &amp; more end.</p>");
        assert!(matches!(
            strip_marks("<p>plain</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
