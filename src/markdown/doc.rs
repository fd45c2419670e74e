//! A parsed page as kept in memory: its pulldown-cmark events in 8-byte pieces that borrow their
//! text from the page's source, and given back as events when the page is rendered.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::parse::{Directive, Heading, LinkRef, Pos};

/// A piece of a parsed page as the renderer sees it: a Markdown event borrowing its text from
/// the page, or a directive to expand.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    Event(Event<'a>),
    Directive(&'a Directive, Pos),
}

/// Which text event a [`Stored::Str`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StrKind {
    Text,
    Code,
    Html,
    InlineHtml,
}

/// A piece as kept in memory: 8 bytes. Text is a byte range of the document's source (start and
/// length); a start tag without data is kept as its end tag; only the rare events that carry data
/// of their own (headings with their ids, links, code blocks, tables, texts longer than 64 KB) and
/// the directives are kept whole, in the document's [`Extras`], by their index there.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Stored {
    Str(StrKind, u16, u32),
    Start(TagEnd),
    End(TagEnd),
    SoftBreak,
    HardBreak,
    Rule,
    Task(bool),
    Event(u32),
    Directive(u32),
}

/// What a document's pieces keep whole: events with data of their own and directives. Shared
/// (not copied) by the slides cut from the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Extras {
    events: Vec<Event<'static>>,
    directives: Vec<(Directive, Pos)>,
}

/// A parsed Markdown document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// The text the pieces' byte ranges point into.
    pub(super) src: std::sync::Arc<str>,
    /// The events and directives the pieces keep whole.
    pub(super) extras: std::sync::Arc<Extras>,
    pub(super) pieces: Vec<Stored>,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// Indices in `pieces` of the directives, so they are found without walking every event.
    pub(super) directive_at: Vec<usize>,
}

impl Doc {
    /// The pieces of the document in order.
    pub fn pieces(&self) -> impl ExactSizeIterator<Item = Piece<'_>> + '_ {
        self.pieces.iter().map(move |p| self.piece(p))
    }

    pub(super) fn piece<'a>(&'a self, p: &'a Stored) -> Piece<'a> {
        let text = |a: u32, n: u16| {
            let a = a as usize;
            CowStr::Borrowed(self.src.get(a..a + n as usize).unwrap_or(""))
        };
        Piece::Event(match p {
            Stored::Str(k, n, a) => match k {
                StrKind::Text => Event::Text(text(*a, *n)),
                StrKind::Code => Event::Code(text(*a, *n)),
                StrKind::Html => Event::Html(text(*a, *n)),
                StrKind::InlineHtml => Event::InlineHtml(text(*a, *n)),
            },
            Stored::Start(end) => Event::Start(start_of(*end)),
            Stored::End(end) => Event::End(*end),
            Stored::SoftBreak => Event::SoftBreak,
            Stored::HardBreak => Event::HardBreak,
            Stored::Rule => Event::Rule,
            Stored::Task(done) => Event::TaskListMarker(*done),
            Stored::Event(i) => match self.extras.events.get(*i as usize) {
                Some(e) => borrow_event(e),
                None => Event::Text(CowStr::Borrowed("")),
            },
            Stored::Directive(i) => match self.extras.directives.get(*i as usize) {
                Some((d, pos)) => return Piece::Directive(d, *pos),
                None => Event::Text(CowStr::Borrowed("")),
            },
        })
    }

    /// The event piece `i` keeps whole, if it is one.
    pub(super) fn event_at(&self, i: usize) -> Option<&Event<'static>> {
        match self.pieces.get(i) {
            Some(Stored::Event(k)) => self.extras.events.get(*k as usize),
            _ => None,
        }
    }

    /// Whether `p` (a piece of this document) starts a heading.
    pub(super) fn starts_heading(&self, p: &Stored) -> bool {
        matches!(p, Stored::Event(k) if matches!(
            self.extras.events.get(*k as usize),
            Some(Event::Start(Tag::Heading { .. }))
        ))
    }

    /// Keeps `ev` whole; its piece.
    fn keep(&mut self, ev: Event<'static>) -> Stored {
        let extras = std::sync::Arc::make_mut(&mut self.extras);
        extras.events.push(ev);
        Stored::Event((extras.events.len() - 1) as u32)
    }

    /// Puts `ev` in place of piece `i` (in its place among the extras when it is kept whole).
    pub(super) fn replace(&mut self, i: usize, ev: Event<'static>) {
        if let Some(Stored::Event(k)) = self.pieces.get(i) {
            let k = *k as usize;
            if let Some(slot) = std::sync::Arc::make_mut(&mut self.extras).events.get_mut(k) {
                *slot = ev;
                return;
            }
        }
        let stored = self.keep(ev);
        if let Some(p) = self.pieces.get_mut(i) {
            *p = stored;
        }
    }

    /// Gives back the room the document's lists grew into and will not use (it is kept for
    /// the whole build).
    pub(super) fn shrink(&mut self) {
        exact(&mut self.pieces);
        exact(&mut self.headings);
        exact(&mut self.links);
        exact(&mut self.directive_at);
        let extras = std::sync::Arc::make_mut(&mut self.extras);
        exact(&mut extras.events);
        exact(&mut extras.directives);
    }

    /// Appends a directive.
    pub(super) fn push_directive(&mut self, d: Directive, pos: Pos) {
        let extras = std::sync::Arc::make_mut(&mut self.extras);
        extras.directives.push((d, pos));
        let k = (extras.directives.len() - 1) as u32;
        self.directive_at.push(self.pieces.len());
        self.pieces.push(Stored::Directive(k));
    }

    /// An empty document over the same source and extras as `self`, to take pieces of it.
    pub(super) fn sibling(&self) -> Doc {
        Doc {
            src: self.src.clone(),
            extras: self.extras.clone(),
            ..Doc::default()
        }
    }

    /// Whether `other` is over the same source and extras (so pieces move between the two).
    pub(super) fn shares(&self, other: &Doc) -> bool {
        std::sync::Arc::ptr_eq(&self.src, &other.src)
            && std::sync::Arc::ptr_eq(&self.extras, &other.extras)
    }

    /// Every directive of the document, callout bodies included.
    pub fn directives(&self) -> Vec<(&Directive, Pos)> {
        let mut out = Vec::new();
        for p in self.directive_at.iter().filter_map(|&i| self.pieces.get(i)) {
            if let Stored::Directive(k) = p {
                if let Some((d, pos)) = self.extras.directives.get(*k as usize) {
                    out.push((d, *pos));
                    if let Some(body) = d.body() {
                        out.extend(body.directives());
                    }
                }
            }
        }
        out
    }

    /// Every link and image of the document, callout bodies included.
    pub fn all_links(&self) -> Vec<&LinkRef> {
        let mut out: Vec<&LinkRef> = self.links.iter().collect();
        for (d, _) in self.directives() {
            if let Some(body) = d.body() {
                out.extend(body.links.iter());
            }
        }
        out
    }

    /// Keeps `ev` (an event of a parser over `body`, which is `self.src[base..]`).
    pub(super) fn push(&mut self, ev: Event<'_>, body: &str, base: usize) {
        let range = |c: &CowStr| match c {
            CowStr::Borrowed(t) => {
                let start = (t.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
                let end = start + t.len();
                let len = u16::try_from(t.len()).ok()?;
                (end <= body.len() && end + base <= u32::MAX as usize)
                    .then(|| (len, (base + start) as u32))
            }
            _ => None,
        };
        let stored = match &ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                match range(t) {
                    Some((n, a)) => {
                        let kind = match ev {
                            Event::Text(_) => StrKind::Text,
                            Event::Code(_) => StrKind::Code,
                            Event::Html(_) => StrKind::Html,
                            _ => StrKind::InlineHtml,
                        };
                        Stored::Str(kind, n, a)
                    }
                    None => self.keep(ev.into_static()),
                }
            }
            Event::Start(tag) if start_of(tag.to_end()) == *tag => Stored::Start(tag.to_end()),
            Event::End(end) => Stored::End(*end),
            Event::SoftBreak => Stored::SoftBreak,
            Event::HardBreak => Stored::HardBreak,
            Event::Rule => Stored::Rule,
            Event::TaskListMarker(done) => Stored::Task(*done),
            _ => self.keep(ev.into_static()),
        };
        self.pieces.push(stored);
    }
}

/// Moves `v` into an allocation of exactly its length. (`shrink_to_fit` may keep the block where
/// it is: an allocator shrinks in place when the smaller size is in the same class, and the room
/// the list grew into is then held for the whole build.)
fn exact<T>(v: &mut Vec<T>) {
    if v.capacity() > v.len() {
        let mut out = Vec::with_capacity(v.len());
        out.append(v);
        *v = out;
    }
}

/// The start tag of `end` for the tags that carry nothing more than their end does (others get
/// a paragraph, which never equals them, so they are kept whole).
fn start_of(end: TagEnd) -> Tag<'static> {
    match end {
        TagEnd::Emphasis => Tag::Emphasis,
        TagEnd::Strong => Tag::Strong,
        TagEnd::Strikethrough => Tag::Strikethrough,
        TagEnd::Item => Tag::Item,
        TagEnd::TableHead => Tag::TableHead,
        TagEnd::TableRow => Tag::TableRow,
        TagEnd::TableCell => Tag::TableCell,
        TagEnd::HtmlBlock => Tag::HtmlBlock,
        TagEnd::BlockQuote(kind) => Tag::BlockQuote(kind),
        _ => Tag::Paragraph,
    }
}

/// `e` with its strings borrowed instead of copied.
fn borrow_event<'a>(e: &'a Event<'static>) -> Event<'a> {
    fn b<'a>(c: &'a CowStr<'static>) -> CowStr<'a> {
        CowStr::Borrowed(c.as_ref())
    }
    match e {
        Event::Text(t) => Event::Text(b(t)),
        Event::Code(t) => Event::Code(b(t)),
        Event::Html(t) => Event::Html(b(t)),
        Event::InlineHtml(t) => Event::InlineHtml(b(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type: *link_type,
            dest_url: b(dest_url),
            title: b(title),
            id: b(id),
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type: *link_type,
            dest_url: b(dest_url),
            title: b(title),
            id: b(id),
        }),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(b(info))))
        }
        other => other.clone(),
    }
}
