//! The sitemap: every page of the course and the knowledge checks' pages, each in every language
//! with its language versions. A course with more URLs than one sitemap may hold gets a sitemap
//! index (`sitemap.xml`) and the sitemaps it names (`sitemap-1.xml`, …), each drawn and handed to
//! the sink on its own, so no more than one part is ever in memory.

use serde::Serialize;

use super::theme::{Strings, Theme};
use super::{render_bytes, LangState, OutputFile};
use crate::error::Result;
use crate::output::Sink;
use crate::site::Site;

/// The most URLs one sitemap file lists. The sitemaps protocol allows 50,000 URLs and 50 MB;
/// 20,000 keeps a file under 50 MB with ten language versions to each URL.
pub const URLS_PER_SITEMAP: usize = 20_000;

#[derive(Serialize)]
struct Version<'a> {
    lang: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Entry<'a> {
    versions: Vec<Version<'a>>,
}

/// Draws the sitemap (or the sitemap index and its parts) into `sink`.
pub fn render(
    site: &Site,
    theme: &Theme,
    langs: &[LangState],
    strings: &Strings,
    sink: &dyn Sink,
) -> Result<()> {
    render_split(site, theme, langs, strings, sink, URLS_PER_SITEMAP)
}

/// [`render`] with at most `urls` URLs a sitemap file.
pub fn render_split(
    site: &Site,
    theme: &Theme,
    langs: &[LangState],
    strings: &Strings,
    sink: &dyn Sink,
    urls: usize,
) -> Result<()> {
    let src = site.source_lang();
    let quiz_pages: Vec<String> = site
        .data
        .quizzes
        .iter()
        .map(|q| format!("quizzes/{}/index.html", q.data.id))
        .chain((!site.data.quizzes.is_empty()).then(|| "quizzes/index.html".to_string()))
        .collect();
    let entries = site.pages.len() + quiz_pages.len();
    let entry = |i: usize| Entry {
        versions: langs
            .iter()
            .map(|ls| Version {
                lang: ls.lang,
                url: match i.checked_sub(site.pages.len()) {
                    None => super::url::page_path(site, i, ls.lang),
                    Some(q) => format!("{}/{}", ls.lang, quiz_pages[q]),
                },
            })
            .collect(),
    };
    let per_file = (urls / langs.len().max(1)).max(1);
    let context = || {
        let mut ctx = tera::Context::new();
        ctx.insert("lang", src);
        ctx.insert("root", &site.config.base());
        ctx.insert("t", strings);
        ctx.insert("base", &site.config.base());
        ctx
    };
    // Draws `template` with `ctx` into the file `path`.
    let draw = |template: &str, ctx: &tera::Context, path: String| -> Result<()> {
        sink.put(OutputFile {
            path,
            bytes: render_bytes(theme, template, ctx)?,
        })
    };
    let part = |range: std::ops::Range<usize>, path: String| -> Result<()> {
        let pages: Vec<Entry> = range.map(entry).collect();
        let mut ctx = context();
        ctx.insert("pages", &pages);
        draw("sitemap.xml", &ctx, path)
    };
    if entries <= per_file {
        return part(0..entries, "sitemap.xml".into());
    }
    #[derive(Serialize)]
    struct Part {
        url: String,
    }
    let mut parts = Vec::new();
    for (k, start) in (0..entries).step_by(per_file).enumerate() {
        let name = format!("sitemap-{}.xml", k + 1);
        part(start..(start + per_file).min(entries), name.clone())?;
        parts.push(Part { url: name });
    }
    let mut ctx = context();
    ctx.insert("sitemaps", &parts);
    draw("sitemap-index.xml", &ctx, "sitemap.xml".into())
}
