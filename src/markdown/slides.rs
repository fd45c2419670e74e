//! Splitting a parsed page into slides: a new slide at every `##` heading and at every thematic
//! break (`---`), figures, tables and data directives (`{cases}`, `{matrix}`, `{list}`, …) each on
//! a slide of their own, `{notes}` kept as the speaker notes of the slide they follow, `{site-only}`
//! left out and `{slides-only}` put in.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::doc::Stored;
use super::parse::{Block, Directive, Doc, Piece};

/// A paragraph this short (in characters) before a figure, table or data directive goes with it
/// as its lead, as does one ending in a colon.
const LEAD_CHARS: usize = 160;

/// One slide's worth of a page.
#[derive(Debug, Clone, Default)]
pub struct SlidePart {
    /// The `##` heading the slide is under, as plain text.
    pub title: Option<String>,
    /// The slide's content, in pieces (a `{slides-only}` body is a document of its own).
    pub body: Vec<Doc>,
    /// The slide's speaker notes.
    pub notes: Vec<Doc>,
    /// Whether it holds a figure, table or data directive, shown on a slide of its own.
    pub feature: bool,
}

impl SlidePart {
    /// Whether the slide has no content (it may still have a title or notes).
    pub fn is_empty(&self) -> bool {
        self.body.iter().all(|d| d.pieces.is_empty())
    }
}

/// The slide being filled.
#[derive(Default)]
struct Draft {
    part: SlidePart,
    /// Top-level blocks so far.
    blocks: usize,
    /// Whether the only block so far is a paragraph ending in a colon, which leads into what follows.
    lead: bool,
    /// Whether the slide starts at its heading (not a continuation under the same title).
    fresh: bool,
    /// Where the last top-level block starts (body document, piece), when it is a paragraph ending
    /// in a colon (with only headings after it): it leads into what follows.
    colon: Option<(usize, usize)>,
    /// Where the top-level paragraph being filled starts.
    para_start: Option<(usize, usize)>,
}

impl Draft {
    fn titled(title: Option<String>) -> Draft {
        Draft {
            part: SlidePart {
                title,
                ..SlidePart::default()
            },
            ..Draft::default()
        }
    }

    /// Appends a piece of `doc`, starting a new body document when the last one has other text.
    fn push(&mut self, doc: &Doc, stored: &Stored) {
        let same = self.part.body.last().is_some_and(|d| d.shares(doc));
        if !same {
            self.part.body.push(doc.sibling());
        }
        if let Some(d) = self.part.body.last_mut() {
            if matches!(stored, Stored::Directive(_)) {
                d.directive_at.push(d.pieces.len());
            }
            d.pieces.push(stored.clone());
        }
    }
}

/// Splits pages into slides.
#[derive(Default)]
struct Splitter<'w> {
    parts: Vec<SlidePart>,
    cur: Draft,
    /// Words that make a paragraph's last sentence point at what follows (see [`leads_on`]).
    lead_words: &'w [String],
}

impl Splitter<'_> {
    /// Ends the slide being filled; an empty one is kept only when it has notes, or with
    /// `keep_title` when it starts at a heading no slide has shown yet.
    fn flush(&mut self, keep_title: bool) {
        let title = self.cur.part.title.clone();
        let d = std::mem::replace(&mut self.cur, Draft::titled(title));
        let p = d.part;
        if !p.is_empty() || !p.notes.is_empty() || (keep_title && d.fresh && p.title.is_some()) {
            self.parts.push(p);
        }
    }

    /// Puts `pieces` of `doc` (one figure, table or data directive) on a slide of its own; a lone
    /// short paragraph before it goes with it, as does a paragraph ending in a colon just before it.
    fn feature(&mut self, doc: &Doc, pieces: &[Stored]) {
        // A heading just before it is its heading.
        let heading = self.trailing_heading();
        if !(self.cur.blocks == 1 && self.cur.lead) {
            let lead = self.trailing_colon();
            if !self.cur.part.is_empty() {
                self.flush(false);
            }
            if let Some(l) = &lead {
                for p in &l.pieces {
                    self.cur.push(l, p);
                }
            }
        }
        if let Some(h) = &heading {
            for p in &h.pieces {
                self.cur.push(h, p);
            }
        }
        for p in pieces {
            self.cur.push(doc, p);
        }
        self.cur.part.feature = true;
        self.flush(false);
    }

    /// Takes the heading that ends the slide being filled, if it ends with one.
    fn trailing_heading(&mut self) -> Option<Doc> {
        let d = self.cur.part.body.last_mut()?;
        if !matches!(d.pieces.last(), Some(Stored::End(TagEnd::Heading(_)))) {
            return None;
        }
        let start = d.pieces.iter().rposition(|p| d.starts_heading(p))?;
        let tail = d.pieces.split_off(start);
        let mut taken = d.sibling();
        if d.pieces.is_empty() {
            self.cur.part.body.pop();
        }
        self.cur.blocks = self.cur.blocks.saturating_sub(1);
        taken.pieces = tail;
        Some(taken)
    }

    /// Takes the paragraph ending in a colon that ends the slide being filled, if it ends with one.
    fn trailing_colon(&mut self) -> Option<Doc> {
        let (b, start) = self.cur.colon.take()?;
        if b + 1 != self.cur.part.body.len() {
            return None;
        }
        let d = self.cur.part.body.last_mut()?;
        let tail = d.pieces.split_off(start);
        let mut taken = d.sibling();
        if d.pieces.is_empty() {
            self.cur.part.body.pop();
        }
        self.cur.blocks = self.cur.blocks.saturating_sub(1);
        taken.pieces = tail;
        Some(taken)
    }

    fn walk(&mut self, doc: &Doc) {
        let pieces = &doc.pieces;
        let mut depth = 0usize;
        let mut last_text = String::new();
        let mut block_chars = 0usize;
        let mut i = 0;
        while i < pieces.len() {
            let stored = &pieces[i];
            let piece = doc.piece(stored);
            if depth == 0 {
                match &piece {
                    Piece::Event(Event::Start(Tag::Heading { level, .. }))
                        if *level <= HeadingLevel::H2 =>
                    {
                        let mut title = String::new();
                        i += 1;
                        while i < pieces.len() {
                            match doc.piece(&pieces[i]) {
                                Piece::Event(Event::End(TagEnd::Heading(_))) => break,
                                Piece::Event(Event::Text(t) | Event::Code(t)) => title.push_str(&t),
                                Piece::Event(Event::SoftBreak | Event::HardBreak) => {
                                    title.push(' ')
                                }
                                _ => {}
                            }
                            i += 1;
                        }
                        self.flush(true);
                        self.cur = Draft::titled(Some(title.trim().to_string()));
                        self.cur.fresh = true;
                        i += 1;
                        continue;
                    }
                    Piece::Event(Event::Rule) => {
                        self.flush(false);
                        i += 1;
                        continue;
                    }
                    Piece::Directive(Directive::Block { kind, body }, _) => {
                        match kind {
                            Block::Notes => {
                                let body = body.clone();
                                match self.parts.last_mut() {
                                    Some(last) if self.cur.part.is_empty() => last.notes.push(body),
                                    _ => self.cur.part.notes.push(body),
                                }
                            }
                            Block::SiteOnly => {}
                            Block::SlidesOnly => self.walk(body),
                        }
                        i += 1;
                        continue;
                    }
                    Piece::Directive(d, _) if !matches!(d, Directive::Callout { .. }) => {
                        self.feature(doc, std::slice::from_ref(stored));
                        i += 1;
                        continue;
                    }
                    Piece::Event(Event::Start(Tag::Table(_))) => {
                        let end = block_end(doc, i);
                        self.feature(doc, &pieces[i..end]);
                        i = end;
                        continue;
                    }
                    Piece::Event(Event::Start(Tag::Paragraph)) => {
                        if let Some(end) = lone_image(doc, i) {
                            self.feature(doc, &pieces[i..end]);
                            i = end;
                            continue;
                        }
                    }
                    _ => {}
                }
            }
            self.cur.push(doc, stored);
            match &piece {
                Piece::Event(Event::Start(tag)) => {
                    if depth == 0 {
                        block_chars = 0;
                        let at = self.cur.part.body.len().saturating_sub(1);
                        let len = self.cur.part.body.last().map_or(0, |d| d.pieces.len());
                        self.cur.para_start =
                            matches!(tag, Tag::Paragraph).then_some((at, len.saturating_sub(1)));
                        if !matches!(tag, Tag::Heading { .. }) {
                            self.cur.colon = None;
                        }
                    }
                    depth += 1
                }
                Piece::Event(Event::End(end)) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.cur.blocks += 1;
                        let t = last_text.trim_end();
                        let colon = leads_on(t, self.lead_words);
                        self.cur.lead = self.cur.blocks == 1
                            && *end == TagEnd::Paragraph
                            && (colon || block_chars <= LEAD_CHARS);
                        if *end == TagEnd::Paragraph && colon {
                            self.cur.colon = self.cur.para_start;
                        }
                    }
                }
                Piece::Event(Event::Text(t)) => {
                    last_text.clear();
                    last_text.push_str(t);
                    block_chars += t.chars().count();
                }
                _ if depth == 0 => {
                    self.cur.blocks += 1;
                    self.cur.lead = false;
                    self.cur.colon = None;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// Whether a paragraph ending in `text` leads into what follows it: it ends in a colon, or its
/// last sentence holds one of `words`, the course's languages' words that point at what comes
/// next (`slides_lead_words` in the UI strings: `次のとおりです。`, `次に示します。`).
fn leads_on(text: &str, words: &[String]) -> bool {
    let t = text.trim_end();
    if t.ends_with(':') || t.ends_with('：') {
        return true;
    }
    let Some(body) = t.strip_suffix(['。', '.']) else {
        return false;
    };
    let last = body.rsplit(['。', '.']).next().unwrap_or(body);
    words
        .iter()
        .any(|w| !w.is_empty() && last.contains(w.as_str()))
}

/// The index after the block that starts at `start`.
fn block_end(doc: &Doc, start: usize) -> usize {
    let mut depth = 0usize;
    for (j, p) in doc.pieces.iter().enumerate().skip(start) {
        match doc.piece(p) {
            Piece::Event(Event::Start(_)) => depth += 1,
            Piece::Event(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    doc.pieces.len()
}

/// The index after the paragraph at `start` when it holds an image alone (a figure).
fn lone_image(doc: &Doc, start: usize) -> Option<usize> {
    let ev = |j: usize| match doc.pieces.get(j).map(|p| doc.piece(p)) {
        Some(Piece::Event(e)) => Some(e),
        _ => None,
    };
    if !matches!(ev(start + 1)?, Event::Start(Tag::Image { .. })) {
        return None;
    }
    let mut j = start + 2;
    while !matches!(ev(j)?, Event::End(TagEnd::Image)) {
        j += 1;
    }
    matches!(ev(j + 1)?, Event::End(TagEnd::Paragraph)).then_some(j + 2)
}

/// The slides of a page, in order; `lead_words` as [`leads_on`] takes them.
pub fn split(doc: &Doc, lead_words: &[String]) -> Vec<SlidePart> {
    let mut s = Splitter {
        lead_words,
        ..Splitter::default()
    };
    s.walk(doc);
    s.flush(true);
    s.parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse::parse;
    use std::path::Path;

    fn p(src: &str) -> Doc {
        parse(Path::new("a.en.md"), src, 0, src).unwrap()
    }

    fn text(d: &[Doc]) -> String {
        let mut s = String::new();
        for doc in d {
            for piece in doc.pieces() {
                match piece {
                    Piece::Event(Event::Text(t)) => s.push_str(&t),
                    Piece::Directive(..) => s.push_str("[directive]"),
                    _ => {}
                }
            }
        }
        s
    }

    fn shape(parts: &[SlidePart]) -> Vec<(Option<&str>, String, bool)> {
        parts
            .iter()
            .map(|p| (p.title.as_deref(), text(&p.body), p.feature))
            .collect()
    }

    #[test]
    fn headings_rules_and_features_start_slides() {
        let d = p("Intro.\n\n## One\n\nA.\n\n---\n\nB.\n\n| x |\n|---|\n| 1 |\n\nC.\n\n## Two\n\n## Three\n\n```{cases}\nids = [\"a\"]\n```\n");
        assert_eq!(
            shape(&split(&d, &[])),
            [
                (None, "Intro.".into(), false),
                (Some("One"), "A.".into(), false),
                (Some("One"), "B.x1".into(), true),
                (Some("One"), "C.".into(), false),
                (Some("Two"), "".into(), false),
                (Some("Three"), "[directive]".into(), true),
            ]
        );
    }

    #[test]
    fn a_lead_paragraph_or_heading_stays_with_its_feature_and_figures_stand_alone() {
        let d = p("## L\n\nThere are four:\n\n```{list}\nid = \"x\"\n```\n\nText.\n\n### Fig\n\n![alt](f.svg \"cap\")\n\nMore.\n");
        assert_eq!(
            shape(&split(&d, &[])),
            [
                (Some("L"), "There are four:[directive]".into(), true),
                (Some("L"), "Text.".into(), false),
                (Some("L"), "Figalt".into(), true),
                (Some("L"), "More.".into(), false),
            ]
        );
    }

    #[test]
    fn a_paragraph_ending_in_a_colon_goes_with_the_feature_after_it() {
        let d = p("## L\n\nFirst.\n\nExamples:\n\n### Heading\n\n```{list}\nid = \"x\"\n```\n\nText.\n\nNot a lead:\n\nMore.\n\n| x |\n|---|\n| 1 |\n");
        assert_eq!(
            shape(&split(&d, &[])),
            [
                (Some("L"), "First.".into(), false),
                (Some("L"), "Examples:Heading[directive]".into(), true),
                (Some("L"), "Text.Not a lead:More.".into(), false),
                (Some("L"), "x1".into(), true),
            ]
        );
    }

    #[test]
    fn a_sentence_pointing_at_what_follows_leads_into_it() {
        let ja: Vec<String> = ["次の", "次に", "以下の", "以下に"]
            .map(String::from)
            .into();
        assert!(leads_on("例を次に示します。", &ja));
        assert!(leads_on("前の文です。提供元は次のとおりです。 ", &ja));
        assert!(leads_on("Examples:", &[]));
        assert!(!leads_on("次の章で説明します。ここで終わります。", &ja));
        assert!(!leads_on("例を次に示します。", &[]));
        assert!(!leads_on("Next.", &ja));
        let vi = vec!["sau đây".to_string()];
        assert!(leads_on("Trước hết. Các bước như sau đây.", &vi));
        assert!(!leads_on("Các bước sau đây. Hết.", &vi));
    }

    #[test]
    fn notes_follow_their_slide_and_only_blocks_choose_a_side() {
        let d = p("## A\n\nText.\n\n```{notes}\nSay *this*.\n```\n\n```{site-only}\nSite.\n```\n\n```{slides-only}\nSlide.\n```\n\n```{cases}\nids = [\"a\"]\n```\n\n```{notes}\nAbout the cases.\n```\n");
        let parts = split(&d, &[]);
        assert_eq!(
            shape(&parts),
            [
                (Some("A"), "Text.Slide.".into(), false),
                (Some("A"), "[directive]".into(), true),
            ]
        );
        assert_eq!(text(&parts[0].notes), "Say this.");
        assert_eq!(text(&parts[1].notes), "About the cases.");
    }

    #[test]
    fn notes_inside_a_callout_or_with_a_title_are_errors() {
        let src = "```{point}\n````{notes}\nx\n````\n```\n";
        let e = parse(Path::new("a.en.md"), src, 0, src).unwrap_err();
        assert!(e.message.contains("inside another directive"), "{e}");
        let src = "x\n\n```{notes} Title\nx\n```\n";
        let e = parse(Path::new("a.en.md"), src, 0, src).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("takes no title"), "{e}");
    }
}
