//! Parsing a page's Markdown once, at load time: pulldown-cmark events with heading ids assigned,
//! directives (fenced blocks whose info string is `{name}`) recognised, and every link, image and
//! glossary reference recorded with its position for checking.

use crate::kind::Kind;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

pub use super::doc::{Doc, Piece};
use crate::error::{line_col, Diagnostic};
use crate::text::github_slug;

/// A position in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A heading of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link or image destination as written, for rewriting and checking.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    pub dest: String,
    pub pos: Pos,
    pub image: bool,
    /// Alternative text, for images.
    pub alt: String,
}

/// The callout kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callout {
    Point,
    Note,
    Warning,
    KeyMessage,
}

impl Callout {
    /// The directive name, also the CSS class suffix.
    pub fn name(self) -> &'static str {
        match self {
            Callout::Point => "point",
            Callout::Note => "note",
            Callout::Warning => "warning",
            Callout::KeyMessage => "key-message",
        }
    }
}

/// Options of `{cases}`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CasesArgs {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub columns: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct IdArgs {
    id: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct ChecklistRef {
    checklist: String,
}

/// What a block directive's Markdown body is for: speaker notes, or content shown only on the
/// site (pages and handouts) or only on the slides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// `{notes}`: speaker notes, shown in the presenter view and on printed notes pages only.
    Notes,
    /// `{site-only}`: on the pages and in the handouts, not on the slides.
    SiteOnly,
    /// `{slides-only}`: on the slides, not on the pages or in the handouts.
    SlidesOnly,
}

impl Block {
    /// The directive name.
    pub fn name(self) -> &'static str {
        match self {
            Block::Notes => "notes",
            Block::SiteOnly => "site-only",
            Block::SlidesOnly => "slides-only",
        }
    }
}

/// A directive found in the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Directive {
    Callout {
        kind: Callout,
        title: Option<String>,
        body: Doc,
    },
    /// A block of Markdown for the slides or the site only, or speaker notes.
    Block {
        kind: Block,
        body: Doc,
    },
    Cases(CasesArgs),
    Checklist(String),
    Matrix(String),
    Groups(String),
    List(String),
    Flow(String),
    Quiz(String),
    /// A directive of the course's own theme (`templates/directives/NAME.html`): the info string
    /// after the name is its title, the block its Markdown body.
    Custom {
        name: String,
        title: Option<String>,
        body: Doc,
    },
}

/// Every directive name, for error messages.
pub const DIRECTIVES: &[&str] = &[
    "point",
    "note",
    "warning",
    "key-message",
    "cases",
    "checklist",
    "matrix",
    "groups",
    "list",
    "flow",
    "notes",
    "site-only",
    "slides-only",
    "quiz",
];

impl Directive {
    /// The Markdown body of a callout or block directive.
    pub fn body(&self) -> Option<&Doc> {
        match self {
            Directive::Callout { body, .. }
            | Directive::Block { body, .. }
            | Directive::Custom { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// The Markdown extensions kyozai enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses `body`, which starts at byte `base` of `full` (the whole file at `rel`).
pub fn parse(rel: &Path, full: &str, base: usize, body: &str) -> Result<Doc, Diagnostic> {
    let mut ids = Vec::new();
    let mut p = Parse {
        rel,
        full,
        custom: &[],
        ids: &mut ids,
    };
    p.doc(base, body, None, 0)
}

/// Parses the body of `full` from byte `base`; the document keeps `full` (without a copy) as
/// the text its pieces borrow. `custom` names the directives of the course's own theme.
pub fn parse_shared(
    rel: &Path,
    full: &std::sync::Arc<str>,
    base: usize,
    custom: &[String],
) -> Result<Doc, Diagnostic> {
    let mut ids = Vec::new();
    let body = full.get(base..).unwrap_or("");
    let mut p = Parse {
        rel,
        full,
        custom,
        ids: &mut ids,
    };
    p.doc(base, body, Some(full), 0)
}

fn unique_id(ids: &mut Vec<String>, wanted: String) -> String {
    let mut id = wanted.clone();
    let mut n = 1;
    while ids.contains(&id) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    ids.push(id.clone());
    id
}

fn is_directive(info: &str) -> bool {
    info.starts_with('{') && info.contains('}')
}

/// One file being parsed: its path and text, the course's own directives, the heading ids so far.
struct Parse<'a> {
    rel: &'a Path,
    full: &'a str,
    custom: &'a [String],
    ids: &'a mut Vec<String>,
}

impl Parse<'_> {
    fn doc(
        &mut self,
        base: usize,
        body: &str,
        shared: Option<&std::sync::Arc<str>>,
        depth: usize,
    ) -> Result<Doc, Diagnostic> {
        let full = self.full;
        let pos_of = |off: usize| {
            let (line, column) = line_col(full, base + off);
            Pos { line, column }
        };
        // The pieces' ranges are offsets into `src`: the whole file when it is shared (the body
        // starts at `base`), else a copy of the body.
        let (src, src_base) = match shared {
            Some(full) => (full.clone(), base),
            None => (std::sync::Arc::from(body), 0),
        };
        let mut doc = Doc {
            src,
            ..Doc::default()
        };
        let mut iter = Parser::new_ext(body, options())
            .into_offset_iter()
            .peekable();
        let mut heading: Option<(usize, HeadingLevel)> = None; // index of its Start event in pieces
        let mut heading_text = String::new();
        let mut image: Option<usize> = None; // index into links of the open image
        while let Some((ev, range)) = iter.next() {
            match &ev {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_directive(info) => {
                    let info = info.to_string();
                    let mut text = String::new();
                    let mut body_start = None;
                    for (e, r) in iter.by_ref() {
                        match e {
                            Event::Text(t) => {
                                body_start.get_or_insert(r.start);
                                text.push_str(&t);
                            }
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    let pos = pos_of(range.start);
                    let body_base = base + body_start.unwrap_or(range.start);
                    let d = self.directive(body_base, &info, &text, pos, depth)?;
                    doc.push_directive(d, pos);
                    continue;
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some((doc.pieces.len(), *level));
                    heading_text.clear();
                }
                Event::Text(t) | Event::Code(t) if heading.is_some() => heading_text.push_str(t),
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((start, level)) = heading.take() {
                        let (id, classes, attrs) = match doc.event_at(start) {
                            Some(Event::Start(Tag::Heading {
                                id, classes, attrs, ..
                            })) => (id.clone(), classes.clone(), attrs.clone()),
                            _ => (None, vec![], vec![]),
                        };
                        {
                            let wanted = id
                                .map(|s| s.to_string())
                                .unwrap_or_else(|| github_slug(&heading_text));
                            let unique = unique_id(
                                self.ids,
                                if wanted.is_empty() {
                                    "section".into()
                                } else {
                                    wanted
                                },
                            );
                            doc.replace(
                                start,
                                Event::Start(Tag::Heading {
                                    level,
                                    id: Some(CowStr::from(unique.clone())),
                                    classes,
                                    attrs,
                                }),
                            );
                            doc.headings.push(Heading {
                                level: level as u8,
                                id: unique,
                                text: heading_text.trim().to_string(),
                            });
                        }
                    }
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    doc.links.push(LinkRef {
                        dest: match link_type {
                            pulldown_cmark::LinkType::Email => format!("mailto:{dest_url}"),
                            _ => dest_url.to_string(),
                        },
                        pos: pos_of(range.start),
                        image: false,
                        alt: String::new(),
                    });
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    image = Some(doc.links.len());
                    doc.links.push(LinkRef {
                        dest: dest_url.to_string(),
                        pos: pos_of(range.start),
                        image: true,
                        alt: String::new(),
                    });
                }
                Event::Text(t) | Event::Code(t) if image.is_some() => {
                    if let Some(l) = image.and_then(|i| doc.links.get_mut(i)) {
                        l.alt.push_str(t);
                    }
                }
                Event::End(TagEnd::Image) => image = None,
                _ => {}
            }
            doc.push(ev, body, src_base);
        }
        doc.shrink();
        Ok(doc)
    }

    fn directive(
        &mut self,
        body_base: usize,
        info: &str,
        body: &str,
        pos: Pos,
        depth: usize,
    ) -> Result<Directive, Diagnostic> {
        let (rel, full) = (self.rel, self.full);
        let close = info.find('}').unwrap_or(info.len());
        let name = info[1..close].trim();
        let rest = info[close + 1..].trim();
        let at = |msg: String| {
            Diagnostic::at_line(Kind::Directive, rel, full, pos.line, pos.column, msg)
        };
        let callout = match name {
            "point" => Some(Callout::Point),
            "note" => Some(Callout::Note),
            "warning" => Some(Callout::Warning),
            "key-message" => Some(Callout::KeyMessage),
            _ => None,
        };
        let block = match name {
            "notes" => Some(Block::Notes),
            "site-only" => Some(Block::SiteOnly),
            "slides-only" => Some(Block::SlidesOnly),
            _ => None,
        };
        if let Some(kind) = block {
            if !rest.is_empty() {
                return Err(at(format!("`{{{name}}}` takes no title")).help(format!(
                    "write the text inside the block: ```{{{name}}}`, then its Markdown, then ```"
                )));
            }
            if depth > 0 {
                return Err(
                    at(format!("`{{{name}}}` is inside another directive")).help(format!(
                        "put `{{{name}}}` at the top level of the page, outside callouts"
                    )),
                );
            }
            let body = self.doc(body_base, body, None, depth + 1)?;
            return Ok(Directive::Block { kind, body });
        }
        if let Some(kind) = callout {
            if depth > 8 {
                return Err(
                    at("callouts are nested more than 8 deep".into()).help("flatten the nesting")
                );
            }
            let inner = self.doc(body_base, body, None, depth + 1)?;
            let title = (!rest.is_empty()).then(|| rest.to_string());
            return Ok(Directive::Callout {
                kind,
                title,
                body: inner,
            });
        }
        if !DIRECTIVES.contains(&name) && self.custom.iter().any(|c| c == name) {
            if depth > 8 {
                return Err(
                    at("directives are nested more than 8 deep".into()).help("flatten the nesting")
                );
            }
            let inner = self.doc(body_base, body, None, depth + 1)?;
            return Ok(Directive::Custom {
                name: name.to_string(),
                title: (!rest.is_empty()).then(|| rest.to_string()),
                body: inner,
            });
        }
        if !DIRECTIVES.contains(&name) {
            let known: Vec<&str> = DIRECTIVES
                .iter()
                .copied()
                .chain(self.custom.iter().map(String::as_str))
                .collect();
            let help = match crate::error::suggest(name, known.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{{{s}}}`? known directives: {}",
                    known.join(", ")
                ),
                None => format!("known directives: {}", known.join(", ")),
            };
            return Err(at(format!("unknown directive `{{{name}}}`")).help(help));
        }
        if !rest.is_empty() {
            return Err(at(format!(
                "`{{{name}}}` takes its options in the block, not after the name"
            ))
            .help(format!(
                "write the options on lines inside the block, e.g. {}",
                example(name)
            )));
        }
        fn args<T: serde::de::DeserializeOwned>(
            rel: &Path,
            full: &str,
            base: usize,
            body: &str,
            name: &str,
        ) -> Result<T, Diagnostic> {
            crate::text::toml_from_str(rel, full, base, body, &[]).map_err(|d| {
                let h = d.help.clone().unwrap_or_default();
                d.help(
                    format!("{h} (options of {{{name}}}: {})", example(name))
                        .trim()
                        .to_string(),
                )
            })
        }
        Ok(match name {
            "cases" => Directive::Cases(args(rel, full, body_base, body, name)?),
            "checklist" => {
                Directive::Checklist(args::<IdArgs>(rel, full, body_base, body, name)?.id)
            }
            "list" => Directive::List(args::<IdArgs>(rel, full, body_base, body, name)?.id),
            "flow" => Directive::Flow(args::<IdArgs>(rel, full, body_base, body, name)?.id),
            "quiz" => Directive::Quiz(args::<IdArgs>(rel, full, body_base, body, name)?.id),
            "matrix" => {
                Directive::Matrix(args::<ChecklistRef>(rel, full, body_base, body, name)?.checklist)
            }
            _ => {
                Directive::Groups(args::<ChecklistRef>(rel, full, body_base, body, name)?.checklist)
            }
        })
    }
}

fn example(name: &str) -> &'static str {
    match name {
        "cases" => "ids = [\"case-id\"] or category = \"…\" or country = \"JP\"",
        "matrix" | "groups" => "checklist = \"checklist-id\"",
        _ => "id = \"…\"",
    }
}

#[cfg(test)]
mod tests {
    use super::super::doc::Stored;
    use super::*;

    fn p(src: &str) -> Result<Doc, Diagnostic> {
        parse(Path::new("a.ja.md"), src, 0, src)
    }

    /// The events `src` parses to, as pulldown-cmark gives them and as the parsed `doc` gives
    /// them back.
    fn events_both_ways<'a>(src: &'a str, doc: &'a Doc) -> (Vec<Event<'a>>, Vec<Event<'a>>) {
        let want: Vec<Event> = Parser::new_ext(src, options()).collect();
        let got: Vec<Event> = doc
            .pieces()
            .map(|p| match p {
                Piece::Event(e) => e,
                Piece::Directive(..) => panic!("no directive here"),
            })
            .collect();
        (want, got)
    }

    #[test]
    fn a_text_longer_than_a_piece_holds_is_kept_whole() {
        let long = "x".repeat(70_000);
        let src = format!("# Title\n\n{long}\n\n```\n{long}\n```\n\nafter\n");
        let doc = p(&src).unwrap();
        let (want, got) = events_both_ways(&src, &doc);
        // The heading got its id; everything else is the parser's.
        assert_eq!(got.len(), want.len());
        assert_eq!(got[1..], want[1..]);
        assert!(got
            .iter()
            .any(|e| matches!(e, Event::Text(t) if t.len() == 70_000)));
    }

    #[test]
    fn stored_pieces_give_back_the_parsers_events() {
        let src = "Text &amp; *em* **strong** ~~del~~ `code` <b>x</b>\\\nnext  \nhard\n\n\
                   > quote\n\n- [x] done\n- [ ] todo\n\n1. one\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n\
                   ```rust\nfn x() {}\n```\n\n<div>html</div>\n\n---\n\n[l](u \"t\") ![i](p.svg) a[^1]\n\n[^1]: note\n";
        let doc = p(src).unwrap();
        let (want, got) = events_both_ways(src, &doc);
        assert_eq!(got, want);
        assert!(doc.pieces.iter().any(|s| matches!(s, Stored::Str(..))));
        assert_eq!(std::mem::size_of::<Stored>(), 8);
    }

    #[test]
    fn heading_ids_unique_and_japanese() {
        let d = p("## 明示の例\n\n## 明示の例\n\n## Hello World\n").unwrap();
        let ids: Vec<_> = d.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["明示の例", "明示の例-1", "hello-world"]);
    }

    #[test]
    fn directives_recognised() {
        let d = p("```{point} ポイント\n**強調**\n```\n\n```{cases}\nids = [\"a\"]\n```\n\n```rust\nfn x(){}\n```\n").unwrap();
        let ds = d.directives();
        assert_eq!(ds.len(), 2);
        assert!(
            matches!(ds[0].0, Directive::Callout { kind: Callout::Point, title: Some(t), .. } if t == "ポイント")
        );
        assert!(matches!(ds[1].0, Directive::Cases(a) if a.ids == ["a"]));
        assert_eq!(ds[1].1.line, 5);
    }

    #[test]
    fn unknown_directive_lists_known() {
        let e = p("text\n\n```{pointt}\nx\n```\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("unknown directive `{pointt}`"));
        assert!(e.help.unwrap().contains("did you mean `{point}`"));
    }

    #[test]
    fn directive_option_errors_point_into_block() {
        let e = p("x\n\n```{list}\nidd = \"a\"\n```\n").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
    }

    #[test]
    fn links_recorded_with_positions() {
        let d = p("a\n\nsee [x](../b.ja.md#y) and ![alt text](f.svg)\n").unwrap();
        assert_eq!(d.links.len(), 2);
        assert_eq!(d.links[0].dest, "../b.ja.md#y");
        assert_eq!(d.links[0].pos, Pos { line: 3, column: 5 });
        assert_eq!(d.links[1].alt, "alt text");
    }
}
