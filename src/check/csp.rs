//! Finds what the site's Content-Security-Policy would block in the Markdown pages: raw HTML
//! with inline scripts, event-handler attributes, inline styles, `javascript:` URLs, and images
//! or frames loaded from other sites (the policy allows only the site's own files).

use crate::kind::Kind;
use pulldown_cmark::Event;

use super::html::{tags, Tag};
use super::{Finding, Severity};
use crate::load::{Loaded, MdFile};
use crate::markdown::parse::{Doc, Piece};
use crate::site::links::is_external;

/// Checks every Markdown file that was read.
pub fn check(loaded: &Loaded, out: &mut Vec<Finding>) {
    for f in &loaded.pages {
        let mut scan = Scan {
            file: f,
            cursor: f.body_offset,
            run: String::new(),
            segments: Vec::new(),
            out: &mut *out,
        };
        scan.doc(&f.doc);
        scan.flush();
        for l in f.doc.all_links() {
            let dest = l.dest.trim().to_ascii_lowercase();
            let at = |sev, code, msg: String, fix: &str| {
                let mut x = Finding::from_diagnostic(
                    sev,
                    &crate::error::Diagnostic::at_line(
                        code,
                        &f.rel,
                        &f.text,
                        l.pos.line,
                        l.pos.column,
                        msg,
                    ),
                );
                x.fix = Some(fix.into());
                x
            };
            if dest.starts_with("javascript:") {
                out.push(at(Severity::Error, Kind::CspJavascriptUrl, "a `javascript:` link: the site's security policy blocks it, so it does nothing".into(), "link to a page or a file instead"));
            } else if l.image && is_external(&l.dest) && !dest.starts_with("data:") {
                out.push(at(Severity::Warning, Kind::CspExternalResource, format!("the image {} is on another site: the site's security policy only shows the site's own images", l.dest), "save the image in the course (next to the page) and link to the file"));
            }
        }
    }
}

struct Scan<'a> {
    file: &'a MdFile,
    /// Byte offset in the file up to which events have been matched.
    cursor: usize,
    /// Consecutive raw HTML, joined.
    run: String,
    /// (offset in `run`, offset in the file) of each piece of the run.
    segments: Vec<(usize, usize)>,
    out: &'a mut Vec<Finding>,
}

impl Scan<'_> {
    fn doc(&mut self, doc: &Doc) {
        for p in doc.pieces() {
            match p {
                Piece::Event(Event::Html(h) | Event::InlineHtml(h)) => {
                    let off = self.locate(&h);
                    self.segments.push((self.run.len(), off));
                    self.run.push_str(&h);
                }
                Piece::Event(Event::Text(t) | Event::Code(t)) => {
                    self.flush();
                    self.locate(&t);
                }
                Piece::Event(_) => self.flush(),
                Piece::Directive(d, _) if d.body().is_some() => {
                    self.flush();
                    if let Some(body) = d.body() {
                        self.doc(body);
                    }
                }
                Piece::Directive(..) => self.flush(),
            }
        }
    }

    /// Finds `s` in the file after the cursor and moves the cursor past it.
    fn locate(&mut self, s: &str) -> usize {
        let text = &self.file.text;
        match text.get(self.cursor..).and_then(|rest| rest.find(s)) {
            Some(i) if !s.is_empty() => {
                let off = self.cursor + i;
                self.cursor = off + s.len();
                off
            }
            _ => self.cursor,
        }
    }

    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let segments = std::mem::take(&mut self.segments);
        for tag in tags(&run) {
            self.tag(&tag, &segments);
        }
    }

    fn file_offset(segments: &[(usize, usize)], k: usize) -> usize {
        let i = segments
            .partition_point(|(start, _)| *start <= k)
            .saturating_sub(1);
        segments
            .get(i)
            .map(|(start, off)| off + (k - start))
            .unwrap_or(0)
    }

    fn tag(&mut self, tag: &Tag, segments: &[(usize, usize)]) {
        let f = self.file;
        let push = |out: &mut Vec<Finding>,
                    k: usize,
                    sev: Severity,
                    code: Kind,
                    msg: String,
                    fix: &str| {
            out.push(Finding::at(
                sev,
                code,
                &f.rel,
                &f.text,
                Self::file_offset(segments, k),
                msg,
                fix,
            ));
        };
        let external =
            |u: &str| is_external(u) && !u.trim().to_ascii_lowercase().starts_with("data:");
        if tag.name == "script" {
            match tag.attr("src") {
                None => push(
                    self.out,
                    tag.offset,
                    Severity::Error,
                    Kind::CspInlineScript,
                    "an inline <script>: the site's security policy blocks it, so it never runs"
                        .into(),
                    "move the script into a theme file (themes/NAME/static/) or remove it",
                ),
                Some(src) if external(src) => push(
                    self.out,
                    tag.offset,
                    Severity::Error,
                    Kind::CspExternalResource,
                    format!(
                        "a script from another site ({src}): the site's security policy blocks it"
                    ),
                    "serve the script from the theme's static/ folder, or remove it",
                ),
                Some(_) => {}
            }
        }
        if tag.name == "style" {
            push(
                self.out,
                tag.offset,
                Severity::Warning,
                Kind::CspInlineStyle,
                "an inline <style> element: the site's security policy ignores it".into(),
                "put the styles in the theme's stylesheet (themes/NAME/static/style.css)",
            );
        }
        if matches!(tag.name.as_str(), "object" | "embed" | "applet") {
            push(
                self.out,
                tag.offset,
                Severity::Warning,
                Kind::CspExternalResource,
                format!(
                    "an <{}> element: the site's security policy blocks plug-in content",
                    tag.name
                ),
                "link to the file instead of embedding it",
            );
        }
        for a in &tag.attrs {
            let v = a.value.as_deref().unwrap_or("");
            if a.name.len() > 2
                && a.name.starts_with("on")
                && a.name[2..].bytes().all(|b| b.is_ascii_alphabetic())
            {
                push(self.out, a.offset, Severity::Error, Kind::CspEventHandler, format!("an `{}` event handler: the site's security policy blocks inline handlers, so it never runs", a.name), "remove the attribute; behaviour belongs in the theme's scripts");
            } else if a.name == "style" {
                push(
                    self.out,
                    a.offset,
                    Severity::Warning,
                    Kind::CspInlineStyle,
                    "a `style` attribute: the site's security policy ignores inline styles".into(),
                    "remove it, or give the element a class styled in the theme's stylesheet",
                );
            } else if matches!(
                a.name.as_str(),
                "href" | "src" | "action" | "formaction" | "data"
            ) && v.trim().to_ascii_lowercase().starts_with("javascript:")
            {
                push(
                    self.out,
                    a.offset,
                    Severity::Error,
                    Kind::CspJavascriptUrl,
                    "a `javascript:` URL: the site's security policy blocks it, so it does nothing"
                        .into(),
                    "link to a page or a file instead",
                );
            } else if matches!(a.name.as_str(), "src" | "data" | "poster" | "srcset")
                && tag.name != "script"
                && external(v)
            {
                push(
                    self.out,
                    a.offset,
                    Severity::Warning,
                    Kind::CspExternalResource,
                    format!(
                        "<{}> loads {v} from another site: the site's security policy blocks it",
                        tag.name
                    ),
                    "save the file in the course (next to the page) and link to it",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn findings(body: &str) -> Vec<Finding> {
        let text = format!("+++\ntitle = \"T\"\n+++\n{body}");
        let rel = Path::new("content/a.ja.md");
        let split = crate::load::frontmatter::split(rel, &text).unwrap();
        let off = split.body_offset;
        let doc = crate::markdown::parse::parse(rel, &text, off, &text[off..]).unwrap();
        let md = MdFile {
            rel: rel.into(),
            dir: PathBuf::new(),
            stem: "a".into(),
            lang: "ja".into(),
            text: text.clone().into(),
            front: split.front,
            doc,
            body_offset: off,
        };
        let config = crate::config::Config::parse(
            "source_language = \"ja\"\nlanguages = [\"ja\"]\n[title]\nja = \"x\"\n",
        )
        .unwrap();
        let loaded = Loaded {
            root: PathBuf::new(),
            config,
            pages: vec![md],
            data: vec![],
            assets: vec![],
            directives: vec![],
        };
        let mut out = Vec::new();
        check(&loaded, &mut out);
        out
    }

    #[test]
    fn finds_blocked_html_with_positions() {
        let f = findings("Text\n\n```\n<script>shown as code</script>\n```\n\n<div>\n<script>alert(1)</script>\n</div>\n\nA <span style=\"color:red\">red</span> and <img src=x onerror=alert(1)> [x](javascript:alert(1))\n");
        let got: Vec<(Kind, usize, usize)> = f.iter().map(|x| (x.code, x.line, x.column)).collect();
        assert_eq!(
            got,
            [
                (Kind::CspInlineScript, 11, 1),
                (Kind::CspInlineStyle, 14, 9),
                (Kind::CspEventHandler, 14, 53),
                (Kind::CspJavascriptUrl, 14, 71)
            ],
            "{f:#?}"
        );
    }

    #[test]
    fn plain_markdown_is_clean() {
        assert!(
            findings("# Title\n\n<https://example.org> and `<script>` in code and <br>\n")
                .is_empty()
        );
    }
}
