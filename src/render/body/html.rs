//! Turns a parsed page into HTML for one language: links rewritten to output pages, images alone
//! in a paragraph made figures, tables wrapped for narrow screens, glossary terms marked, directives
//! expanded; and collects the plain text of each heading's part for the search index.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::glossary::Marker;
use crate::markdown::parse::{Doc, Piece};
use crate::render::theme::{Strings, Theme};
use crate::render::url;
use crate::site::links::{resolve, Target};
use crate::site::Site;
use crate::text::{escape_html, push_escaped};

/// What rendering needs to know about the page being rendered.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub page: usize,
    pub lang: &'a str,
    /// Relative path from this output page to the site root (`../../`).
    pub root: &'a str,
    pub strings: &'a Strings,
    /// The theme, for directives drawn by its templates.
    pub theme: &'a Theme,
}

impl Ctx<'_> {
    /// A root-relative path made relative to this page.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }
    /// URL of a page of the course in this language.
    pub fn page_url(&self, page: usize) -> String {
        self.url(&url::page_path(self.site, page, self.lang))
    }
}

/// A part of the page under one heading, as plain text (for search).
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    /// `#id` of the heading the part starts at; `None` for the part before the first heading.
    pub fragment: Option<String>,
    pub heading: Option<String>,
    pub text: String,
}

impl Chunk {
    /// The URL fragment of the chunk: `#anchor`, or `""` for the part before the first heading.
    pub fn anchor_fragment(&self) -> &str {
        self.fragment.as_deref().unwrap_or("")
    }
}

/// The rendered page body.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub chunks: Vec<Chunk>,
    /// The first error of a directive drawn by a template (a theme's template that fails).
    pub error: Option<crate::error::Error>,
}

/// Renders `doc` into HTML.
pub fn render(ctx: &Ctx, doc: &Doc, marker: &mut Marker) -> Rendered {
    let mut out = Rendered {
        html: String::with_capacity(4096),
        chunks: vec![Chunk::default()],
        error: None,
    };
    render_into(ctx, doc, marker, &mut out);
    out.chunks
        .retain(|c| !c.text.trim().is_empty() || c.heading.is_some());
    out
}

/// Renders `doc` appending to `out` (used for callout bodies too).
pub fn render_into(ctx: &Ctx, doc: &Doc, marker: &mut Marker, out: &mut Rendered) {
    let pieces: Vec<Piece> = doc.pieces().collect();
    let mut events: Vec<Event> = Vec::with_capacity(pieces.len());
    let mut in_heading = false;
    let mut in_link = 0usize;
    let mut in_code = false;
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            &Piece::Directive(d, _) => {
                flush(&mut events, &mut out.html);
                super::directives::render(ctx, d, marker, out);
            }
            Piece::Event(ev) => {
                // An image alone in its paragraph becomes a figure.
                if let Event::Start(Tag::Paragraph) = ev {
                    if let Some((html, skip)) = figure(ctx, &pieces[i..]) {
                        flush(&mut events, &mut out.html);
                        out.html.push_str(&html);
                        i += skip;
                        continue;
                    }
                }
                match ev {
                    Event::Start(Tag::Heading { level, id, .. }) => {
                        in_heading = true;
                        if *level as u8 >= 2 {
                            out.chunks.push(Chunk {
                                fragment: id.as_ref().map(|s| format!("#{s}")),
                                heading: Some(String::new()),
                                text: String::new(),
                            });
                        }
                        events.push(ev.clone());
                    }
                    Event::End(TagEnd::Heading(_)) => {
                        in_heading = false;
                        events.push(ev.clone());
                    }
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        ..
                    }) => {
                        in_link += 1;
                        let (href, class) = match link_type {
                            LinkType::Email => (format!("mailto:{dest_url}"), Some("external")),
                            _ => link_href(ctx, dest_url),
                        };
                        let mut a = String::from("<a href=\"");
                        push_href(&mut a, &href, class == Some("external"));
                        a.push('"');
                        if let Some(c) = class {
                            a.push_str(&format!(" class=\"{c}\""));
                        }
                        if !title.is_empty() {
                            a.push_str(&format!(" title=\"{}\"", escape_html(title)));
                        }
                        a.push('>');
                        events.push(Event::InlineHtml(CowStr::from(a)));
                    }
                    Event::End(TagEnd::Link) => {
                        in_link = in_link.saturating_sub(1);
                        events.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
                    }
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }) => {
                        let (src, _) = link_href(ctx, dest_url);
                        events.push(Event::Start(Tag::Image {
                            link_type: *link_type,
                            dest_url: CowStr::from(src),
                            title: title.clone(),
                            id: id.clone(),
                        }));
                    }
                    Event::Start(Tag::CodeBlock(_)) => {
                        in_code = true;
                        events.push(ev.clone());
                    }
                    Event::End(TagEnd::CodeBlock) => {
                        in_code = false;
                        events.push(ev.clone());
                    }
                    Event::Start(Tag::Table(_)) => {
                        events.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                        events.push(ev.clone());
                    }
                    Event::End(TagEnd::Table) => {
                        events.push(ev.clone());
                        events.push(Event::Html(CowStr::Borrowed("</div>")));
                    }
                    Event::Text(t) => {
                        collect(out, t, in_heading);
                        if in_heading || in_link > 0 || in_code {
                            events.push(ev.clone());
                        } else {
                            marker.mark(ctx, t, &mut events);
                        }
                    }
                    Event::Code(t) => {
                        collect(out, t, in_heading);
                        events.push(ev.clone());
                    }
                    Event::SoftBreak | Event::HardBreak => {
                        collect(out, " ", in_heading);
                        events.push(ev.clone());
                    }
                    Event::End(
                        TagEnd::Paragraph
                        | TagEnd::Item
                        | TagEnd::TableCell
                        | TagEnd::BlockQuote(_),
                    ) => {
                        collect(out, " ", false);
                        events.push(ev.clone());
                    }
                    _ => events.push(ev.clone()),
                }
            }
        }
        i += 1;
    }
    flush(&mut events, &mut out.html);
}

fn collect(out: &mut Rendered, t: &str, in_heading: bool) {
    if let Some(c) = out.chunks.last_mut() {
        if in_heading {
            if let Some(h) = c.heading.as_mut() {
                h.push_str(t);
                return;
            }
        }
        c.text.push_str(t);
    }
}

fn flush(events: &mut Vec<Event>, html: &mut String) {
    if !events.is_empty() {
        pulldown_cmark::html::push_html(html, events.drain(..));
    }
}

/// The rewritten destination of a link, and a class for it.
pub fn link_href(ctx: &Ctx, dest: &str) -> (String, Option<&'static str>) {
    let written = ctx.site.written_lang(&ctx.site.pages[ctx.page], ctx.lang);
    match resolve(ctx.site, ctx.page, written, dest) {
        Ok(Target::External(u)) => (u, Some("external")),
        Ok(Target::Page { page, anchor }) => (page_href(ctx, written, page, anchor), None),
        Ok(Target::Anchor(a)) => (format!("#{a}"), None),
        Ok(Target::Asset(p)) => (
            ctx.url(&format!("media/{}", p.to_string_lossy().replace('\\', "/"))),
            None,
        ),
        Ok(Target::Term(id)) => (
            ctx.url(&format!("{}/glossary/index.html#term-{id}", ctx.lang)),
            Some("term-link"),
        ),
        // Checked at load; unreachable in a built site, but never panic.
        Err(_) => (dest.to_string(), None),
    }
}

/// The URL of page `target` at heading `anchor`, an id of the page's version in `written` (the
/// language the link was written in). The link leads to the page in the reader's language; when
/// that page shows another version than the one the anchor was checked in, the anchor is the
/// heading at the same place of that version (versions with the same outline), else the link
/// leads to the page in `written`, where the heading is.
fn page_href(ctx: &Ctx, written: &str, target: usize, anchor: Option<String>) -> String {
    let site = ctx.site;
    let p = &site.pages[target];
    let Some(a) = anchor else {
        return ctx.page_url(target);
    };
    let (checked, _) = site.variant(p, written);
    let (shown, _) = site.variant(p, ctx.lang);
    let same_outline = |x: &crate::site::Variant, y: &crate::site::Variant| {
        x.doc.headings.len() == y.doc.headings.len()
            && x.doc
                .headings
                .iter()
                .zip(&y.doc.headings)
                .all(|(h, k)| h.level == k.level)
    };
    if std::ptr::eq(checked, shown) {
        return format!("{}#{a}", ctx.page_url(target));
    }
    if same_outline(checked, shown) {
        if let Some(at) = checked.doc.headings.iter().position(|h| h.id == a) {
            return format!("{}#{}", ctx.page_url(target), shown.doc.headings[at].id);
        }
    }
    format!("{}#{a}", ctx.url(&url::page_path(site, target, written)))
}

/// Appends `url`, a link's destination, to an attribute value: percent-encoded as
/// pulldown-cmark's HTML writer encodes it for links to other sites, HTML-escaped for the site's
/// own URLs (which kyozai wrote itself).
pub fn push_href(out: &mut String, url: &str, external: bool) {
    if external {
        pulldown_cmark_escape::escape_href(&mut *out, url)
            .expect("writing to a String cannot fail");
    } else {
        push_escaped(out, url);
    }
}

/// `<figure>` for a paragraph holding only an image; returns the HTML and how many pieces it used.
fn figure(ctx: &Ctx, pieces: &[Piece]) -> Option<(String, usize)> {
    let ev = |i: usize| match pieces.get(i) {
        Some(Piece::Event(e)) => Some(e),
        _ => None,
    };
    let Some(Event::Start(Tag::Image {
        dest_url, title, ..
    })) = ev(1)
    else {
        return None;
    };
    let mut alt = String::new();
    let mut j = 2;
    loop {
        match ev(j)? {
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::End(TagEnd::Image) => break,
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
        j += 1;
    }
    if !matches!(ev(j + 1), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let (src, _) = link_href(ctx, dest_url);
    let mut html = String::from("<figure class=\"figure\"><img src=\"");
    push_escaped(&mut html, &src);
    html.push_str("\" alt=\"");
    push_escaped(&mut html, &alt);
    html.push_str("\">");
    if !title.is_empty() {
        html.push_str("<figcaption>");
        push_escaped(&mut html, title);
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>\n");
    Some((html, j + 2))
}
