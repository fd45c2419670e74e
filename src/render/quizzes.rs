//! The quiz pages of one language: `LANG/quizzes/ID/index.html` for every quiz with its
//! `data.js` (the answer key and UI strings `quiz.js` reads), and `LANG/quizzes/index.html`, the
//! list of every quiz with the chapter it belongs to.

use serde::Serialize;

use super::library::{frame, to_ctx};
use super::nav::{Link, NavCache};
use super::theme::Theme;
use super::{render_bytes, LangState, OutputFile, Searchable};
use crate::error::Result;
use crate::markdown::parse::Directive;
use crate::render::body::html::{Chunk, Ctx};
use crate::render::body::quiz;
use crate::search::DocKind;
use crate::site::links::numbered_title;
use crate::site::Site;

/// The pages (by index, in reading order) whose source version embeds quiz `id`.
pub fn embedded_in(site: &Site, id: &str) -> Vec<usize> {
    (0..site.pages.len())
        .filter(|&i| {
            site.pages[i].variants[site.source_lang()]
                .doc
                .directives()
                .iter()
                .any(|(d, _)| matches!(d, Directive::Quiz(q) if q == id))
        })
        .collect()
}

/// The chapter a page belongs to (itself for a chapter).
fn chapter_of(site: &Site, page: usize) -> usize {
    site.pages[page].chapter.unwrap_or(page)
}

#[derive(Serialize)]
struct Row {
    url: String,
    title: String,
    chapter: Option<Link>,
    count: usize,
    pass: i64,
}

/// Renders the quiz pages of one language; nothing when the course has no quiz.
pub fn render(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    ls: &LangState,
) -> Result<(Vec<OutputFile>, Vec<Searchable>)> {
    let mut files = Vec::new();
    let mut search = Vec::new();
    if site.data.quizzes.is_empty() {
        return Ok((files, search));
    }
    let lang = ls.lang;
    let s = &ls.strings;
    let mut rows = Vec::new();
    for q in &site.data.quizzes {
        let id = &q.data.id;
        let root = "../../../";
        let rest = format!("quizzes/{id}/index.html");
        let view = quiz::view(site, q, lang, root, false);
        let mut f = frame(site, nav, ls, &rest, root, view.plain_title.clone(), "")?;
        f.breadcrumbs.push(Link {
            title: s.get("quizzes").into(),
            url: format!("{root}{lang}/quizzes/index.html"),
        });
        f.scripts.push(format!("{root}{lang}/quizzes/{id}/data.js"));
        let mut ctx = to_ctx(&f)?;
        let pctx = Ctx {
            site,
            page: 0,
            lang,
            root,
            strings: s,
            theme,
        };
        let chapter = embedded_in(site, id).first().map(|&p| {
            let c = chapter_of(site, p);
            Link {
                title: numbered_title(site, &site.pages[c], lang),
                url: format!("{root}{}", super::url::page_path(site, c, lang)),
            }
        });
        ctx.insert("quiz_html", &quiz::html(&pctx, q, false)?);
        ctx.insert("quiz", &view);
        ctx.insert("chapter", &chapter);
        files.push(OutputFile {
            path: format!("{lang}/{rest}"),
            bytes: render_bytes(theme, "quiz.html", &ctx)?,
        });
        files.push(OutputFile {
            path: format!("{lang}/quizzes/{id}/data.js"),
            bytes: quiz::data_js(q, s, lang).into_bytes(),
        });
        search.push(Searchable {
            lang: lang.into(),
            url: format!("{lang}/{rest}"),
            title: view.plain_title.clone(),
            kind: DocKind::Page,
            chunks: vec![Chunk {
                fragment: None,
                heading: None,
                text: quiz::search_text(site, q, lang),
            }],
        });
        rows.push(Row {
            url: format!("../../{lang}/{rest}"),
            title: view.plain_title,
            chapter: chapter.map(|c| Link {
                url: c.url.replacen(root, "../../", 1),
                title: c.title,
            }),
            count: view.count,
            pass: view.pass,
        });
    }
    let root = "../../";
    let rest = "quizzes/index.html";
    let f = frame(
        site,
        nav,
        ls,
        rest,
        root,
        s.get("quizzes").into(),
        "quizzes",
    )?;
    let mut ctx = to_ctx(&f)?;
    ctx.insert("quizzes", &rows);
    files.push(OutputFile {
        path: format!("{lang}/{rest}"),
        bytes: render_bytes(theme, "quizzes.html", &ctx)?,
    });
    Ok((files, search))
}
