//! Answering a query: matching chunks, ranking them, and cutting snippets.
//!
//! A chunk matches when every term of the query ([`parse_query`]) matches in its page
//! title, its heading or its text. Literal terms match as substrings of the folded
//! text; word terms match a whole word that starts at a word boundary and satisfies
//! [`word_matches`]. Ranking, all in integers so that Rust and JavaScript agree:
//!
//! 1. score, higher first: per term 1000 when it matches in the title, else 300 in the
//!    heading, else 100 in the text;
//! 2. position of the earliest match in the best field (title if any term matched
//!    there, else heading, else text), earlier first;
//! 3. length of that field, shorter first;
//! 4. order of the chunks in the index.
//!
//! Snippet: 80 units of the text starting 30 units before the first match (shifted to
//! fit the text, never splitting a surrogate pair), `…` at a cut, every match in it
//! marked. Offsets are UTF-16 units, as in search.js.

use super::index::{Field, SearchIndex};
use super::normalize::is_word_unit;
use super::terms::{marks_agree, parse_query, word_matches, Term};
use super::Hit;

/// Score of a term found in the page title.
pub const SCORE_TITLE: u32 = 1000;
/// Score of a term found in the heading (and not the title).
pub const SCORE_HEADING: u32 = 300;
/// Score of a term found only in the text.
pub const SCORE_BODY: u32 = 100;
/// Length of a snippet, in UTF-16 units (without the `…` marks).
pub const SNIPPET_LEN: usize = 80;
/// How far before the first match a snippet starts.
pub const SNIPPET_LEAD: usize = 30;

/// Position of the first occurrence of `needle` in `hay` at or after `from`.
pub(crate) fn find(hay: &[u16], needle: &[u16], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() || needle.len() > hay.len() - from {
        return None;
    }
    let first = needle[0];
    let last = hay.len() - needle.len();
    (from..=last).find(|&i| hay[i] == first && hay[i..i + needle.len()] == *needle)
}

/// The first match of `term` in folded `text` at or after `from`, as a range of units; `raw` is
/// the same text in display form (for the marks of a term that has them).
pub(crate) fn next_match(
    text: &[u16],
    raw: &[u16],
    term: &Term,
    from: usize,
) -> Option<(usize, usize)> {
    let mut at = from;
    loop {
        let p = find(text, &term.key, at)?;
        if !term.word {
            let e = p + term.key.len();
            if marks_agree(raw, p, e, term) {
                return Some((p, e));
            }
            at = p + 1;
            continue;
        }
        let mut e = p + term.key.len();
        while e < text.len() && is_word_unit(text[e]) {
            e += 1;
        }
        if (p == 0 || !is_word_unit(text[p - 1]))
            && word_matches(&text[p..e], term)
            && marks_agree(raw, p, e, term)
        {
            return Some((p, e));
        }
        at = e.max(p + 1);
    }
}

/// All matches of `term` in `field` that start before `end`.
fn matches_before(field: &Field, term: &Term, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some((s, e)) = next_match(&field.folded, &field.display, term, at) {
        if s >= end {
            break;
        }
        out.push((s, e));
        at = e;
    }
    out
}

/// A ranked chunk: (score, position, field length, chunk), compared by [`by_rank`].
pub(crate) type Ranked = (u32, usize, usize, usize);

/// The ranking order: score, higher first; then position, length and chunk, lower first.
pub(crate) fn by_rank(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
        .then(a.1.cmp(&b.1))
        .then(a.2.cmp(&b.2))
        .then(a.3.cmp(&b.3))
}

impl SearchIndex {
    /// Search the index; hits come best first. The same algorithm as search.js.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let terms = parse_query(query, self.folding());
        self.ranked(&terms)
            .into_iter()
            .map(|(score, _, _, doc)| self.hit(doc, score, &terms))
            .collect()
    }

    /// The chunks that match every term, ranked, best first.
    pub(crate) fn ranked(&self, terms: &[Term]) -> Vec<Ranked> {
        if terms.is_empty() {
            return Vec::new();
        }
        let p = self.prepared();
        // Per term and page: the first match in the title (pages share titles).
        let title_hits: Vec<Vec<Option<(usize, usize)>>> = terms
            .iter()
            .map(|t| {
                p.titles
                    .iter()
                    .map(|f| next_match(&f.folded, &f.display, t, 0))
                    .collect()
            })
            .collect();
        let mut ranked: Vec<Ranked> = Vec::new();
        'docs: for doc in 0..self.len() {
            let page = self.page[doc] as usize;
            let mut score = 0;
            let mut best = [None::<usize>; 3]; // earliest match per field: title, heading, text
            for (ti, term) in terms.iter().enumerate() {
                let in_title = title_hits[ti][page].map(|m| m.0);
                let (h, b) = (&p.headings[doc], &p.bodies[doc]);
                let in_heading = next_match(&h.folded, &h.display, term, 0).map(|m| m.0);
                let in_body = next_match(&b.folded, &b.display, term, 0).map(|m| m.0);
                score += match (in_title, in_heading, in_body) {
                    (Some(_), _, _) => SCORE_TITLE,
                    (None, Some(_), _) => SCORE_HEADING,
                    (None, None, Some(_)) => SCORE_BODY,
                    (None, None, None) => continue 'docs,
                };
                for (slot, pos) in best.iter_mut().zip([in_title, in_heading, in_body]) {
                    if let Some(pos) = pos {
                        *slot = Some(slot.map_or(pos, |b: usize| b.min(pos)));
                    }
                }
            }
            let fields = [&p.titles[page], &p.headings[doc], &p.bodies[doc]];
            let (pos, len) = best
                .iter()
                .zip(fields)
                .find_map(|(b, f)| b.map(|pos| (pos, f.display.len())))
                .unwrap_or((0, 0));
            ranked.push((score, pos, len, doc));
        }
        ranked.sort_by(by_rank);
        ranked
    }

    /// The hit of chunk `doc` with `score` for `terms`.
    pub(crate) fn hit(&self, doc: usize, score: u32, terms: &[Term]) -> Hit {
        let p = self.prepared();
        let heading = String::from_utf16_lossy(&p.headings[doc].display);
        Hit {
            doc,
            url: self.url(doc),
            title: self.title(doc).to_string(),
            heading: (!heading.is_empty()).then_some(heading),
            kind: p.kinds.get(doc).copied().unwrap_or(super::DocKind::Page),
            score: score as f32,
            snippet: marked_snippet(&p.bodies[doc], terms),
        }
    }
}

/// A snippet of `body`: its text and the marked ranges within it (UTF-16 units,
/// sorted, not overlapping).
pub(crate) fn snippet(body: &Field, terms: &[Term]) -> (Vec<u16>, Vec<(usize, usize)>) {
    let text = &body.folded;
    let n = text.len();
    let first = terms
        .iter()
        .filter_map(|t| next_match(text, &body.display, t, 0).map(|m| m.0))
        .min();
    let mut start = first.map_or(0, |f| f.saturating_sub(SNIPPET_LEAD));
    let end = (start + SNIPPET_LEN).min(n);
    start = end.saturating_sub(SNIPPET_LEN);
    let mut end = end;
    if start > 0 && is_low_surrogate(body.display[start]) {
        start -= 1;
    }
    if end < n && is_low_surrogate(body.display[end]) {
        end += 1;
    }
    let mut ranges: Vec<(usize, usize)> = terms
        .iter()
        .flat_map(|t| matches_before(body, t, end))
        .filter(|&(_, e)| e > start)
        .map(|(s, e)| (s.max(start), e.min(end)))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let lead = usize::from(start > 0);
    let mut out: Vec<u16> = Vec::with_capacity(end - start + 2);
    if start > 0 {
        out.push(0x2026);
    }
    out.extend_from_slice(&body.display[start..end]);
    if end < n {
        out.push(0x2026);
    }
    let marks = merged
        .into_iter()
        .map(|(s, e)| (s - start + lead, e - start + lead))
        .collect();
    (out, marks)
}

/// The snippet as a string with each mark wrapped in `«` and `»`.
pub(crate) fn marked_snippet(body: &Field, terms: &[Term]) -> String {
    let (text, marks) = snippet(body, terms);
    let mut out: Vec<u16> = Vec::with_capacity(text.len() + marks.len() * 2);
    let mut at = 0;
    for (s, e) in marks {
        out.extend_from_slice(&text[at..s]);
        out.push(0xAB);
        out.extend_from_slice(&text[s..e]);
        out.push(0xBB);
        at = e;
    }
    out.extend_from_slice(&text[at..]);
    String::from_utf16_lossy(&out)
}

fn is_low_surrogate(c: u16) -> bool {
    (0xDC00..=0xDFFF).contains(&c)
}
