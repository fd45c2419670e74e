//! Turns a parsed page into HTML for one language: links rewritten to output pages, images alone
//! in a paragraph made figures, tables wrapped for narrow screens, glossary terms marked, directives
//! expanded; and collects the plain text of each heading's part for the search index.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::glossary::Marker;
use super::parse::{Doc, Piece};
use crate::render::theme::Strings;
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
}

impl Ctx<'_> {
    /// A root-relative path made relative to this page.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }
    /// URL of a page of the course in this language.
    pub fn page_url(&self, page: usize) -> String {
        let p = &self.site.pages[page];
        if p.slug_path.is_empty() {
            self.url(&format!("{}/index.html", self.lang))
        } else {
            self.url(&format!("{}/{}/index.html", self.lang, p.slug_path))
        }
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
}

/// Renders `doc` into HTML.
pub fn render(ctx: &Ctx, doc: &Doc, marker: &mut Marker) -> Rendered {
    let mut out = Rendered {
        html: String::with_capacity(4096),
        chunks: vec![Chunk::default()],
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
                        dest_url, title, ..
                    }) => {
                        in_link += 1;
                        let (href, class) = link_href(ctx, dest_url);
                        let mut a = format!("<a href=\"{}\"", escape_html(&href));
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
    match resolve(ctx.site, ctx.page, ctx.lang, dest) {
        Ok(Target::External(u)) => (u, Some("external")),
        Ok(Target::Page { page, anchor }) => {
            let mut u = ctx.page_url(page);
            if let Some(a) = anchor {
                u.push('#');
                u.push_str(&a);
            }
            (u, None)
        }
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
