//! Printable handouts, in every language under `LANG/handouts/`:
//!
//! * `index.html` lists every handout (a page of the site, with its navigation);
//! * `CHAPTER-SLUG/index.html`, one per chapter: a cover block, the chapter's key messages (its own
//!   key points, then each section's summary and key points), the chapter's text, every section in
//!   full (with the case-study tables its `{cases}` directives cite) and a ruled notes page;
//! * `handbook/index.html`: the whole course — cover, contents, the top-level pages and every
//!   chapter in reading order, each starting on a new page, and the glossary;
//! * `checklist-ID/index.html`, one per checklist: a blank worksheet (a box per status for every
//!   item, a notes column, fields for hospital, department, name and date) and a one-page summary
//!   sheet of the subjects × controls matrix with blank score cells;
//! * `quiz-ID/index.html` and `quiz-ID-answers/index.html`, two per quiz: the questions as a
//!   worksheet to answer on paper (fields for department, name, date and score, a box before every
//!   option), and the answer key for trainers (the right options marked, each option's feedback,
//!   the explanation and the section to review);
//! * `incident-card/index.html`: a one-page card for the wall, drawn from the course's lists: the
//!   first list with `style = "flow"` (in data-file order) and every list whose id ends in
//!   `report-to`, followed by blank lines for the hospital's own contacts. Without a flow list
//!   there is no card.
//! * `running.css`: the running headers of the printed handouts (course title top left, the
//!   chapter or part title top right), as named `@page` rules, since Chromium has no `string-set`.
//!
//! Every handout page carries its PDF link as `<a class="pdf-link" data-pdf-href="NAME.pdf"
//! hidden>`: `kyozai pdf` and `kyozai build --pdf` print `NAME/index.html` to `NAME.pdf` beside it
//! and only then turn those links on (see [`crate::pdf`]), so a site built without PDFs never links
//! to a missing file.
//!
//! Headings and other ids inside the handouts are prefixed with their page's anchor (`s1-2-…`,
//! `ch1-…`, `p-opening-…`) so they stay unique when several pages share one document, and links
//! between pages that are in the same handout become links inside it.

mod data;
mod rewrite;

use data::{card, worksheet};
use rewrite::link_inside;
pub use rewrite::{prefix_ids, shift_headings, Inside};

use rayon::prelude::*;
use serde::Serialize;

use super::nav::{self, Alternate, Link, NavCache};
use super::theme::{Strings, Theme};
use super::url;
use super::{render_bytes, render_template, LangState, OutputFile};
use crate::error::{Diagnostic, Error, Result};
use crate::load::data::{DataContents, ListData, ListStyle};
use crate::markdown::inline::{inline_md, plain};
use crate::render::body::directives::circled;
use crate::render::body::glossary::{strip_marks, Marker};
use crate::render::body::html::{self, Ctx};
use crate::site::data::Checklist;
use crate::site::links::numbered_title;
use crate::site::{PageKind, Site};
use crate::text::escape_html;

/// Folder name of the whole-course handbook.
pub const HANDBOOK: &str = "handbook";
/// Folder name of the incident-response card.
pub const CARD: &str = "incident-card";
/// Ruled lines on a chapter handout's notes page.
const NOTE_LINES: usize = 25;

/// What a handout is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Handbook,
    /// A chapter, by page index.
    Chapter(usize),
    /// A checklist worksheet, by index in `site.data.checklists`.
    Worksheet(usize),
    /// A quiz's questions to answer on paper, by index in `site.data.quizzes`.
    QuizSheet(usize),
    /// A quiz's answer key, by index in `site.data.quizzes`.
    QuizKey(usize),
    Card,
}

/// One handout: printed from `LANG/handouts/NAME/index.html` to `LANG/handouts/NAME.pdf`.
#[derive(Debug, Clone)]
pub struct Handout {
    pub name: String,
    pub kind: Kind,
}

/// The whole-course handbook is one printable document; past this many pages per language it
/// would be too large to print or open, and only the chapter handouts are made.
pub const HANDBOOK_MAX_PAGES: usize = 500;

/// Every handout of the site, in the order of the handouts index.
pub fn list(site: &Site) -> Vec<Handout> {
    let mut v = Vec::new();
    if site.pages.len() <= HANDBOOK_MAX_PAGES {
        v.push(Handout {
            name: HANDBOOK.into(),
            kind: Kind::Handbook,
        });
    }
    for (i, p) in site.pages.iter().enumerate() {
        if p.kind == PageKind::Chapter {
            v.push(Handout {
                name: p.slug_path.clone(),
                kind: Kind::Chapter(i),
            });
        }
    }
    for (i, c) in site.data.checklists.iter().enumerate() {
        v.push(Handout {
            name: format!("checklist-{}", c.data.id),
            kind: Kind::Worksheet(i),
        });
    }
    for (i, q) in site.data.quizzes.iter().enumerate() {
        v.push(Handout {
            name: format!("quiz-{}", q.data.id),
            kind: Kind::QuizSheet(i),
        });
        v.push(Handout {
            name: format!("quiz-{}-answers", q.data.id),
            kind: Kind::QuizKey(i),
        });
    }
    if card_lists(site).0.is_some() {
        v.push(Handout {
            name: CARD.into(),
            kind: Kind::Card,
        });
    }
    v
}

/// The lists the incident card shows: the first flow list (in data-file order) and every list
/// whose id ends in `report-to`.
pub fn card_lists(site: &Site) -> (Option<&ListData>, Vec<&ListData>) {
    let mut flow = None;
    let mut report = Vec::new();
    for f in &site.data.files {
        if let DataContents::Lists(lists) = &f.contents {
            for l in lists {
                // Only lists the site kept (a duplicate id is an error at load).
                let Some(kept) = site.data.lists.get(&l.id).map(|s| &s.value) else {
                    continue;
                };
                if kept.style == ListStyle::Flow && flow.is_none() {
                    flow = Some(kept);
                }
                if kept.id.ends_with("report-to")
                    && !report.iter().any(|r: &&ListData| r.id == kept.id)
                {
                    report.push(kept);
                }
            }
        }
    }
    (flow, report)
}

/// The frame every handout template receives.
#[derive(Serialize)]
struct Frame<'a> {
    lang: &'a str,
    root: &'a str,
    site_title: &'a str,
    title: String,
    description: String,
    alternates: Vec<Alternate>,
    t: &'a Strings,
    kind: &'static str,
    home_url: String,
    index_url: String,
    css_url: String,
    /// The PDF beside this handout, relative to it.
    pdf: Option<String>,
    /// The named page (running header) of the whole document.
    run: String,
}

/// A page of the course inside a handout.
#[derive(Serialize, Clone)]
struct Part {
    anchor: String,
    kind: &'static str,
    /// `第1章`, `Chapter 1`, `1-2` or empty.
    label: String,
    title: String,
    summary: Option<String>,
    key_points: Vec<String>,
    content: String,
    /// The language the content is written in, when it is not the page's.
    content_lang: Option<String>,
    run: String,
    sections: Vec<Part>,
}

/// An entry of the handouts index.
#[derive(Serialize)]
struct Entry {
    title: String,
    summary: Option<String>,
    url: String,
    pdf: String,
}

/// Renders the handout pages of every language but the chapter handouts, which
/// [`render_chapter`] makes as the chapters' pages are rendered (after [`check_names`]).
pub fn render(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    langs: &[LangState],
    sink: &dyn super::Sink,
) -> Result<()> {
    let handouts = list(site);
    let jobs: Vec<(&LangState, &Handout)> = langs
        .iter()
        .flat_map(|ls| handouts.iter().map(move |h| (ls, h)))
        .filter(|(_, h)| !matches!(h.kind, Kind::Chapter(_)))
        .collect();
    jobs.par_iter()
        .try_for_each(|(ls, h)| sink.put(render_one(site, theme, ls, h)?))?;
    for ls in langs {
        sink.put(index(site, theme, nav, ls, &handouts)?)?;
        sink.put(OutputFile {
            path: format!("{}/handouts/running.css", ls.lang),
            bytes: running_css(site, theme, ls)?.into_bytes(),
        })?;
    }
    Ok(())
}

/// Renders only the handouts that contain one of `pages` (their chapters' handouts and the
/// handbook), for live reload after an edit to those pages.
pub fn render_containing(
    site: &Site,
    theme: &Theme,
    langs: &[LangState],
    pages: &std::collections::HashSet<usize>,
) -> Result<Vec<OutputFile>> {
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    let chapters: std::collections::HashSet<usize> = pages
        .iter()
        .filter_map(|&i| match site.pages[i].kind {
            PageKind::Chapter => Some(i),
            _ => site.pages[i].chapter,
        })
        .collect();
    render_kinds(site, theme, langs, |k| match k {
        Kind::Handbook => true,
        Kind::Chapter(c) => chapters.contains(c),
        _ => false,
    })
}

/// Renders the handouts made of data only (checklist worksheets, the incident card), for live
/// reload after a data edit.
pub fn render_data(site: &Site, theme: &Theme, langs: &[LangState]) -> Result<Vec<OutputFile>> {
    render_kinds(site, theme, langs, |k| {
        matches!(
            k,
            Kind::Worksheet(_) | Kind::QuizSheet(_) | Kind::QuizKey(_) | Kind::Card
        )
    })
}

/// Renders the handouts whose kind `keep` accepts, in every language.
fn render_kinds(
    site: &Site,
    theme: &Theme,
    langs: &[LangState],
    keep: impl Fn(&Kind) -> bool,
) -> Result<Vec<OutputFile>> {
    let handouts: Vec<Handout> = list(site).into_iter().filter(|h| keep(&h.kind)).collect();
    let jobs: Vec<(&LangState, &Handout)> = langs
        .iter()
        .flat_map(|ls| handouts.iter().map(move |h| (ls, h)))
        .collect();
    jobs.par_iter()
        .map(|(ls, h)| render_one(site, theme, ls, h))
        .collect()
}

/// A chapter whose slug is the name of another handout would overwrite it.
pub fn check_names(site: &Site) -> Result<()> {
    for p in &site.pages {
        if p.kind == PageKind::Chapter
            && (p.slug_path == HANDBOOK
                || p.slug_path == CARD
                || p.slug_path.starts_with("checklist-")
                || p.slug_path.starts_with("quiz-"))
        {
            let v = &p.variants[site.source_lang()];
            return Err(Diagnostic::file(crate::kind::Kind::Duplicate, &v.file, format!("the chapter's URL `{}/` is also the name of a handout (LANG/handouts/{}/)", p.slug_path, p.slug_path))
                .help("give the chapter another `slug` in its front matter (handbook, incident-card, checklist-… and quiz-… are taken)")
                .into());
        }
    }
    Ok(())
}

fn to_ctx<T: Serialize>(v: &T) -> Result<tera::Context> {
    tera::Context::from_serialize(v).map_err(|e| Error::Internal(format!("handout view: {e}")))
}

/// The anchor of page `i` inside a handout; its own ids are prefixed with it.
fn anchor(site: &Site, i: usize) -> String {
    let p = &site.pages[i];
    match (p.kind, &p.number) {
        (PageKind::Chapter, Some(n)) => format!("ch{n}"),
        (PageKind::Section, Some(n)) => format!("s{n}"),
        (PageKind::Home, _) => "home".into(),
        _ => format!("p-{}", p.slug_path.replace('/', "-")),
    }
}

/// `第1章` / `Chapter 1` / `1-2`.
fn number_label(site: &Site, i: usize, s: &Strings) -> String {
    let p = &site.pages[i];
    match (&p.number, p.kind) {
        (Some(n), PageKind::Chapter) => s.chapter_number(n),
        (Some(n), _) => n.clone(),
        (None, _) => String::new(),
    }
}

fn run_class(i: usize) -> String {
    format!("kz-run-{i}")
}

/// The map of the pages in `pages` for a handout at `root` in `lang`.
fn inside_map(site: &Site, lang: &str, root: &str, pages: impl Iterator<Item = usize>) -> Inside {
    pages
        .map(|j| {
            (
                escape_html(&format!("{root}{}", super::url::page_path(site, j, lang))),
                anchor(site, j),
            )
        })
        .collect()
}

/// The body of page `i` in `lang` for a handout at `root`: term marking off, ids prefixed, headings
/// shifted, and links to pages in `inside` turned into links within the document. `rendered` is
/// the page's body as rendered for the site at the same depth as the handout, when there is one
/// (its term marks are taken out instead of rendering it again).
fn body(
    site: &Site,
    i: usize,
    ls: &LangState,
    within: &Within,
    shift: u8,
    rendered: Option<&str>,
) -> (String, Option<String>) {
    let lang = ls.lang;
    let root = within.root;
    let (v, untranslated) = site.variant(&site.pages[i], lang);
    let plain: std::borrow::Cow<str> = match rendered {
        Some(h) => strip_marks(h),
        None => {
            let ctx = Ctx {
                site,
                page: i,
                lang,
                root,
                strings: &ls.strings,
                theme: ls.theme,
            };
            let mut marker = Marker::new(&ls.terms);
            marker.enabled = false;
            html::render(&ctx, &v.doc, &mut marker).html.into()
        }
    };
    let glossary = within
        .glossary
        .then(|| format!("{}{lang}/glossary/index.html", escape_html(root)));
    let h = link_inside(
        &shift_headings(&prefix_ids(&plain, &anchor(site, i)), shift),
        within.inside,
        glossary.as_deref(),
    );
    (h, untranslated.then(|| site.source_lang().to_string()))
}

/// The handout a page's body is put in: its root, the pages it holds (links to them become links
/// within it), and whether it holds the glossary (links to terms too).
struct Within<'a> {
    root: &'a str,
    inside: &'a Inside,
    glossary: bool,
}

/// Page `i` as a part of a handout, its headings moved down `shift` levels (see [`body`] for
/// `rendered`).
fn part(
    site: &Site,
    i: usize,
    ls: &LangState,
    within: &Within,
    shift: u8,
    rendered: Option<&str>,
) -> Part {
    let lang = ls.lang;
    let p = &site.pages[i];
    let (v, _) = site.variant(p, lang);
    let (content, content_lang) = body(site, i, ls, within, shift, rendered);
    Part {
        anchor: anchor(site, i),
        kind: match p.kind {
            PageKind::Chapter => "chapter",
            PageKind::Section => "section",
            _ => "page",
        },
        label: number_label(site, i, &ls.strings),
        title: v.front.title.clone(),
        summary: v.front.summary.clone(),
        key_points: v.front.key_points.clone(),
        content,
        content_lang,
        run: run_class(i),
        sections: vec![],
    }
}

fn frame<'a>(
    site: &'a Site,
    ls: &'a LangState,
    name: &str,
    title: String,
    kind: &'static str,
    run: String,
) -> Frame<'a> {
    let lang = ls.lang;
    let src = site.source_lang();
    let root = "../../../";
    Frame {
        lang,
        root,
        site_title: site.config.title.or(lang, src),
        title,
        description: site.config.description.or(lang, src).to_string(),
        alternates: nav::alternates(site, lang, &format!("handouts/{name}/index.html"), root),
        t: &ls.strings,
        kind,
        home_url: format!("{root}{}", url::home_path(lang)),
        index_url: "../index.html".into(),
        css_url: format!("{root}{lang}/handouts/running.css"),
        pdf: Some(format!("../{name}.pdf")),
        run,
    }
}

/// The handout of chapter `c` (named `name`), with the bodies in `rendered` (page → body as
/// rendered for the site at the handout's depth) used instead of rendering those pages again.
fn chapter_html(
    site: &Site,
    theme: &Theme,
    ls: &LangState,
    name: &str,
    c: usize,
    rendered: &std::collections::HashMap<usize, String>,
) -> Result<Vec<u8>> {
    let lang = ls.lang;
    let root = HANDOUT_ROOT;
    let p = &site.pages[c];
    let inside = inside_map(
        site,
        lang,
        root,
        std::iter::once(c).chain(p.sections.iter().copied()),
    );
    let within = Within {
        root,
        inside: &inside,
        glossary: false,
    };
    let mut chapter = part(site, c, ls, &within, 0, None);
    chapter.sections = p
        .sections
        .iter()
        .map(|&j| {
            let body = rendered.get(&j).map(String::as_str);
            part(site, j, ls, &within, 1, body)
        })
        .collect();
    let title = ls
        .strings
        .get("handout_title")
        .replace("{title}", &numbered_title(site, p, lang));
    // The default templates print each part's body as it is: render around stand-ins and put the
    // bodies in after (see `render::fill`), so that Tera does not copy them.
    let splice = theme.builtin_templates();
    let mut bodies: Vec<(String, String)> = Vec::new();
    if splice {
        let mut take = |part: &mut Part| {
            let mark = format!("\u{1}kyozai-part-{}\u{1}", bodies.len());
            let body = std::mem::replace(&mut part.content, mark.clone());
            bodies.push((mark, body));
        };
        take(&mut chapter);
        chapter.sections.iter_mut().for_each(&mut take);
    }
    let mut ctx = to_ctx(&frame(site, ls, name, title, "chapter", run_class(c)))?;
    ctx.insert("chapter", &chapter);
    ctx.insert("note_lines", &NOTE_LINES);
    let html = render_bytes(theme, "handout-chapter.html", &ctx)?;
    if !splice {
        return Ok(html);
    }
    let texts: Vec<[&str; 1]> = bodies.iter().map(|(_, b)| [b.as_str()]).collect();
    let parts: Vec<(&str, &[&str])> = bodies
        .iter()
        .zip(&texts)
        .map(|((m, _), t)| (m.as_str(), t.as_slice()))
        .collect();
    if let Some(filled) = super::fill(&html, &parts) {
        return Ok(filled);
    }
    // A stand-in went missing (a title holding the control character they are made of):
    // render with the bodies themselves.
    let mut put_back = bodies.into_iter().map(|(_, b)| b);
    chapter.content = put_back.next().unwrap_or_default();
    for (s, b) in chapter.sections.iter_mut().zip(put_back) {
        s.content = b;
    }
    ctx.insert("chapter", &chapter);
    render_bytes(theme, "handout-chapter.html", &ctx)
}

/// Where handouts are, relative to the site root: `LANG/handouts/NAME/index.html`.
pub const HANDOUT_ROOT: &str = "../../../";

/// The handout of chapter `c` in one language, made from the bodies of its sections just
/// rendered for the site (`rendered`: page → body, for the pages whose root is [`HANDOUT_ROOT`]).
pub fn render_chapter(
    site: &Site,
    theme: &Theme,
    ls: &LangState,
    c: usize,
    rendered: &std::collections::HashMap<usize, String>,
) -> Result<OutputFile> {
    let name = &site.pages[c].slug_path;
    Ok(OutputFile {
        path: format!("{}/handouts/{name}/index.html", ls.lang),
        bytes: chapter_html(site, theme, ls, name, c, rendered)?,
    })
}

/// Renders one handout in one language.
fn render_one(site: &Site, theme: &Theme, ls: &LangState, h: &Handout) -> Result<OutputFile> {
    let lang = ls.lang;
    let src = site.source_lang();
    let s = &ls.strings;
    let root = "../../../";
    let html = match h.kind {
        Kind::Chapter(c) => chapter_html(site, theme, ls, &h.name, c, &Default::default())?,
        Kind::Handbook => {
            let inside = inside_map(
                site,
                lang,
                root,
                (0..site.pages.len()).filter(|&i| site.pages[i].kind != PageKind::Home),
            );
            let within = Within {
                root,
                inside: &inside,
                glossary: !site.data.glossary.is_empty(),
            };
            let mut parts = Vec::new();
            for (i, p) in site.pages.iter().enumerate() {
                match p.kind {
                    PageKind::Page => parts.push(part(site, i, ls, &within, 0, None)),
                    PageKind::Chapter => {
                        let mut c = part(site, i, ls, &within, 0, None);
                        c.sections = p
                            .sections
                            .iter()
                            .map(|&j| part(site, j, ls, &within, 1, None))
                            .collect();
                        parts.push(c);
                    }
                    _ => {}
                }
            }
            let mut terms: Vec<(String, String, String)> = ls.terms.entries().to_vec();
            terms.sort_by_key(|t| t.1.to_lowercase());
            let mut ctx = to_ctx(&frame(
                site,
                ls,
                &h.name,
                s.get("handout_handbook").to_string(),
                "handbook",
                "kz-toc".into(),
            ))?;
            ctx.insert("parts", &parts);
            ctx.insert("terms", &terms);
            ctx.insert(
                "course_summary",
                &site
                    .pages
                    .iter()
                    .find(|p| p.kind == PageKind::Home)
                    .and_then(|p| site.variant(p, lang).0.front.summary.clone()),
            );
            render_bytes(theme, "handout-handbook.html", &ctx)?
        }
        Kind::Worksheet(n) => {
            let c = &site.data.checklists[n];
            let mut ctx = to_ctx(&frame(
                site,
                ls,
                &h.name,
                c.data.title.or(lang, src).to_string(),
                "worksheet",
                "kz-ws".into(),
            ))?;
            worksheet(site, c, ls, &mut ctx);
            render_bytes(theme, "handout-checklist.html", &ctx)?
        }
        Kind::QuizSheet(n) | Kind::QuizKey(n) => {
            let q = &site.data.quizzes[n];
            let key = matches!(h.kind, Kind::QuizKey(_));
            let label = s.get(if key {
                "quiz_answer_key"
            } else {
                "quiz_worksheet"
            });
            let mut ctx = to_ctx(&frame(
                site,
                ls,
                &h.name,
                format!("{label}: {}", plain(q.data.title.or(lang, src))),
                if key { "quiz-key" } else { "quiz-sheet" },
                format!("kz-quiz-{}", q.data.id),
            ))?;
            ctx.insert(
                "quiz",
                &crate::render::body::quiz::view(site, q, lang, "../../../", true),
            );
            let template = if key {
                "handout-quiz-key.html"
            } else {
                "handout-quiz.html"
            };
            render_bytes(theme, template, &ctx)?
        }
        Kind::Card => {
            let mut ctx = to_ctx(&frame(
                site,
                ls,
                &h.name,
                s.get("card_title").to_string(),
                "card",
                "kz-card".into(),
            ))?;
            card(site, ls, &mut ctx);
            render_bytes(theme, "handout-card.html", &ctx)?
        }
    };
    Ok(OutputFile {
        path: format!("{lang}/handouts/{}/index.html", h.name),
        bytes: html,
    })
}

/// The handouts index, a page of the site.
fn index(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    ls: &LangState,
    handouts: &[Handout],
) -> Result<OutputFile> {
    let lang = ls.lang;
    let src = site.source_lang();
    let s = &ls.strings;
    let root = "../../";
    let rest = "handouts/index.html";
    let entry = |h: &Handout, title: String, summary: Option<String>| Entry {
        title,
        summary,
        url: format!("{}/index.html", h.name),
        pdf: format!("{}.pdf", h.name),
    };
    let mut handbook = None;
    let mut chapters = Vec::new();
    let mut worksheets = Vec::new();
    let mut quizzes = Vec::new();
    let mut card = None;
    for h in handouts {
        match h.kind {
            Kind::Handbook => {
                handbook = Some(entry(
                    h,
                    s.get("handout_handbook").into(),
                    Some(s.get("handout_handbook_desc").into()),
                ))
            }
            Kind::Chapter(c) => {
                let p = &site.pages[c];
                chapters.push(entry(
                    h,
                    numbered_title(site, p, lang),
                    site.variant(p, lang).0.front.summary.clone(),
                ));
            }
            Kind::Worksheet(n) => {
                let d = &site.data.checklists[n].data;
                worksheets.push(entry(
                    h,
                    d.title.or(lang, src).into(),
                    Some(s.get("worksheet_desc").into()),
                ));
            }
            Kind::QuizSheet(n) | Kind::QuizKey(n) => {
                let key = matches!(h.kind, Kind::QuizKey(_));
                let title = plain(site.data.quizzes[n].data.title.or(lang, src));
                let (label, desc) = if key {
                    ("quiz_answer_key", "quiz_answer_key_desc")
                } else {
                    ("quiz_worksheet", "quiz_worksheet_desc")
                };
                quizzes.push(entry(
                    h,
                    format!("{}: {title}", s.get(label)),
                    Some(s.get(desc).into()),
                ));
            }
            Kind::Card => {
                card = Some(entry(
                    h,
                    s.get("card_title").into(),
                    Some(s.get("card_desc").into()),
                ))
            }
        }
    }
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("root", root);
    ctx.insert("site_title", site.config.title.or(lang, src));
    ctx.insert("title", s.get("handouts"));
    ctx.insert("description", site.config.description.or(lang, src));
    ctx.insert(
        "nav",
        &nav.sidebar(site, ls, None, 2, nav::Current::Library("handouts"))?
            .to_string(),
    );
    ctx.insert(
        "breadcrumbs",
        &vec![Link {
            title: s.get("home").into(),
            url: format!("{root}{}", url::home_path(lang)),
        }],
    );
    ctx.insert("alternates", &nav::alternates(site, lang, rest, root));
    ctx.insert("t", s);
    ctx.insert("scripts", &Vec::<String>::new());
    ctx.insert("handbook", &handbook);
    ctx.insert("chapters", &chapters);
    ctx.insert("worksheets", &worksheets);
    ctx.insert("quizzes", &quizzes);
    ctx.insert("card", &card);
    ctx.insert("decks", &super::slides::entries(site, lang, "../slides/"));
    Ok(OutputFile {
        path: format!("{lang}/{rest}"),
        bytes: render_bytes(theme, "handout-index.html", &ctx)?,
    })
}

/// A named page of the running headers: its class and the title printed top right on its pages.
#[derive(Serialize)]
struct Run {
    class: String,
    title: String,
}

/// The running headers (`handout-running.css`): the course title on every page, the part's title
/// on its pages.
fn running_css(site: &Site, theme: &Theme, ls: &LangState) -> Result<String> {
    let lang = ls.lang;
    let s = &ls.strings;
    let mut runs = Vec::new();
    let mut named = |class: &str, title: &str| {
        runs.push(Run {
            class: class.to_string(),
            title: title.to_string(),
        })
    };
    for (i, p) in site.pages.iter().enumerate() {
        if matches!(p.kind, PageKind::Chapter | PageKind::Page) {
            named(&run_class(i), &numbered_title(site, p, lang));
        }
    }
    named("kz-toc", s.get("contents"));
    named("kz-glossary", s.get("glossary"));
    if let Some(c) = site.data.checklists.first() {
        named("kz-ws", c.data.title.or(lang, site.source_lang()));
    }
    for q in &site.data.quizzes {
        named(
            &format!("kz-quiz-{}", q.data.id),
            &plain(q.data.title.or(lang, site.source_lang())),
        );
    }
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("root", "../../");
    ctx.insert("t", s);
    ctx.insert("site_title", site.config.title.or(lang, site.source_lang()));
    ctx.insert("runs", &runs);
    render_template(theme, "handout-running.css", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references_are_prefixed() {
        let h = "<h2 id=\"a\">A</h2><a href=\"#a\">x</a><svg aria-labelledby=\"t d\"><path marker-end=\"url(#m)\"/></svg><label for=\"f\">";
        assert_eq!(prefix_ids(h, "s1-2"), "<h2 id=\"s1-2-a\">A</h2><a href=\"#s1-2-a\">x</a><svg aria-labelledby=\"s1-2-t s1-2-d\"><path marker-end=\"url(#s1-2-m)\"/></svg><label for=\"s1-2-f\">");
    }

    #[test]
    fn headings_shift_down() {
        assert_eq!(
            shift_headings("<h2 id=\"x\">a</h2><h3>b</h3><h6>c</h6>", 1),
            "<h3 id=\"x\">a</h3><h4>b</h4><h6>c</h6>"
        );
    }

    #[test]
    fn links_to_pages_and_terms_inside_become_links_within() {
        let inside: Inside = [("../x/index.html".to_string(), "s1-2".to_string())].into();
        let h = "<a href=\"../x/index.html\">a</a><a href=\"../x/index.html#h\">b</a>\
                 <a href=\"../g/index.html#t-1\">c</a><a href=\"../g/index.html\">d</a>\
                 <a href=\"../y/index.html#h\">e</a>";
        assert_eq!(
            link_inside(h, &inside, Some("../g/index.html")),
            "<a href=\"#s1-2\">a</a><a href=\"#s1-2-h\">b</a><a href=\"#t-1\">c</a>\
             <a href=\"../g/index.html\">d</a><a href=\"../y/index.html#h\">e</a>"
        );
        assert!(link_inside(h, &inside, None).contains("href=\"../g/index.html#t-1\""));
    }
}
