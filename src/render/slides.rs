//! Slide decks, in every language under `LANG/slides/`:
//!
//! * `index.html` lists the decks (a page of the site, with its navigation);
//! * `CHAPTER-SLUG/index.html`, one deck per chapter: a title slide, the chapter page's own text,
//!   then for each section a slide with its number, title and key points followed by its text
//!   split into slides (see [`crate::markdown::slides`]), each slide with its speaker notes, and a
//!   knowledge check as a slide per question with its answer in the notes;
//! * `CHAPTER-SLUG/notes.html`: the same slides with their notes, laid out to print on A4.
//!
//! The decks are plain HTML; `static/slides.js` shows one slide at a time, splits a slide whose
//! content does not fit into more slides, and runs the presenter view. `kyozai pdf` prints the
//! deck to `CHAPTER-SLUG.pdf` and the notes to `CHAPTER-SLUG-notes.pdf` beside the folder.

use rayon::prelude::*;
use serde::Serialize;

use super::handouts::prefix_ids;
use super::nav::{self, Link, NavCache};
use super::theme::Theme;
use super::{render_bytes, render_template, LangState, OutputFile, Sink};
use crate::error::Result;
use crate::markdown::inline::inline_md;
use crate::markdown::parse::{Directive, Doc, Piece};
use crate::markdown::slides::{split, SlidePart};
use crate::render::body::glossary::Marker;
use crate::render::body::html::{self, Ctx};
use crate::site::links::numbered_title;
use crate::site::{PageKind, Site};

/// Where decks are, relative to the site root: `LANG/slides/NAME/index.html`.
const ROOT: &str = "../../../";

/// One slide as the deck templates see it.
#[derive(Serialize)]
struct Slide {
    /// `title`, `section` or `content`.
    kind: &'static str,
    /// Whether it holds a figure, table or data directive alone.
    feature: bool,
    /// `第1章`, `Chapter 1`, `1-2` or empty.
    label: String,
    title: String,
    subtitle: Option<String>,
    points: Vec<String>,
    body: String,
    notes: String,
    /// The section (or chapter) the slide belongs to, for its footer.
    place: String,
    /// The language the content is written in, when it is not the deck's.
    content_lang: Option<String>,
    /// The slide drawn by `slides-_slide.html`, once for the deck and its notes pages.
    html: String,
}

/// A deck as a list entry (the slides index, the handouts index).
#[derive(Serialize)]
pub struct Entry {
    title: String,
    summary: Option<String>,
    url: String,
    notes_url: String,
    pdf: String,
    notes_pdf: String,
}

/// The chapters that have a deck, by page index.
pub fn chapters(site: &Site) -> impl Iterator<Item = usize> + '_ {
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PageKind::Chapter)
        .map(|(i, _)| i)
}

/// Renders every deck, notes page and slides index of every language.
pub fn render(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    langs: &[LangState],
    sink: &dyn Sink,
) -> Result<()> {
    let jobs: Vec<(&LangState, usize)> = langs
        .iter()
        .flat_map(|ls| chapters(site).map(move |c| (ls, c)))
        .collect();
    let lead_words = lead_words(site, theme);
    jobs.par_iter().try_for_each(|&(ls, c)| {
        deck(site, theme, ls, c, &lead_words)?
            .into_iter()
            .try_for_each(|f| sink.put(f))
    })?;
    if chapters(site).next().is_some() {
        for ls in langs {
            sink.put(index(site, theme, nav, ls)?)?;
        }
    }
    Ok(())
}

/// Renders the decks of the chapters that hold one of `pages`, for live reload after an edit.
pub fn render_containing(
    site: &Site,
    theme: &Theme,
    langs: &[LangState],
    pages: &std::collections::HashSet<usize>,
) -> Result<Vec<OutputFile>> {
    let mut wanted: Vec<usize> = pages
        .iter()
        .filter_map(|&i| match site.pages[i].kind {
            PageKind::Chapter => Some(i),
            _ => site.pages[i].chapter,
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let jobs: Vec<(&LangState, usize)> = langs
        .iter()
        .flat_map(|ls| wanted.iter().map(move |&c| (ls, c)))
        .collect();
    let lead_words = lead_words(site, theme);
    let files: Vec<Vec<OutputFile>> = jobs
        .par_iter()
        .map(|&(ls, c)| deck(site, theme, ls, c, &lead_words))
        .collect::<Result<_>>()?;
    Ok(files.into_iter().flatten().collect())
}

/// `第1章` / `Chapter 1` / `1-2`.
fn number_label(site: &Site, i: usize, ls: &LangState) -> String {
    let p = &site.pages[i];
    match (&p.number, p.kind) {
        (Some(n), PageKind::Chapter) => ls.strings.chapter_number(n),
        (Some(n), _) => n.clone(),
        (None, _) => String::new(),
    }
}

/// Words that lead into what follows, of every language of the course: a page may show text of
/// another language (the source, untranslated).
fn lead_words(site: &Site, theme: &Theme) -> Vec<String> {
    theme.lead_words(&site.languages())
}

/// The deck and the notes page of chapter `c` in one language.
fn deck(
    site: &Site,
    theme: &Theme,
    ls: &LangState,
    c: usize,
    lead_words: &[String],
) -> Result<Vec<OutputFile>> {
    let lang = ls.lang;
    let src = site.source_lang();
    let p = &site.pages[c];
    let name = &p.slug_path;
    let (cv, _) = site.variant(p, lang);
    let chapter_title = numbered_title(site, p, lang);
    let mut slides = vec![Slide {
        kind: "title",
        feature: false,
        label: number_label(site, c, ls),
        title: cv.front.title.clone(),
        subtitle: cv.front.summary.clone(),
        points: vec![],
        body: String::new(),
        notes: String::new(),
        place: site.config.title.or(lang, src).to_string(),
        content_lang: None,
        html: String::new(),
    }];
    for i in std::iter::once(c).chain(p.sections.iter().copied()) {
        let q = &site.pages[i];
        let (v, untranslated) = site.variant(q, lang);
        let content_lang = untranslated.then(|| src.to_string());
        let place = if i == c {
            chapter_title.clone()
        } else {
            numbered_title(site, q, lang)
        };
        if i != c {
            let summary = v
                .front
                .key_points
                .is_empty()
                .then(|| v.front.summary.clone());
            slides.push(Slide {
                kind: "section",
                feature: false,
                label: number_label(site, i, ls),
                title: v.front.title.clone(),
                subtitle: summary.flatten(),
                points: v.front.key_points.clone(),
                body: String::new(),
                notes: String::new(),
                place: chapter_title.clone(),
                content_lang: content_lang.clone(),
                html: String::new(),
            });
        }
        let ctx = Ctx {
            site,
            page: i,
            lang,
            root: ROOT,
            strings: &ls.strings,
            theme,
        };
        for part in split(&v.doc, lead_words) {
            if let Some(quiz) = lone_quiz(site, &part) {
                let mut qs = quiz_slides(theme, &ctx, ls, quiz, &place, &content_lang)?;
                // The author's notes on the quiz go with its first question.
                let n = slides.len();
                let notes = docs_html(theme, &ctx, ls, &part.notes, &format!("n{n}"))?;
                if let Some(first) = qs.first_mut() {
                    first.notes.insert_str(0, &notes);
                }
                slides.extend(qs);
                continue;
            }
            let n = slides.len();
            let notes = docs_html(theme, &ctx, ls, &part.notes, &format!("n{n}"))?;
            if part.is_empty() && part.title.is_none() {
                // Notes with no slide of their own belong to the slide before.
                if let Some(last) = slides.last_mut() {
                    last.notes.push_str(&notes);
                }
                continue;
            }
            slides.push(Slide {
                kind: "content",
                feature: part.feature,
                label: String::new(),
                title: part.title.clone().unwrap_or_else(|| v.front.title.clone()),
                subtitle: None,
                points: vec![],
                body: body_html(theme, &ctx, ls, &part, n)?,
                notes,
                place: place.clone(),
                content_lang: content_lang.clone(),
                html: String::new(),
            });
        }
    }
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("root", ROOT);
    ctx.insert("site_title", site.config.title.or(lang, src));
    ctx.insert("title", &chapter_title);
    ctx.insert("t", &ls.strings);
    ctx.insert(
        "chapter_url",
        &format!("{ROOT}{}", super::url::page_path(site, c, lang)),
    );
    ctx.insert("index_url", "../index.html");
    ctx.insert(
        "alternates",
        &nav::alternates(site, lang, &format!("slides/{name}/index.html"), ROOT),
    );
    ctx.insert("deck", &format!("{lang}/{name}"));
    ctx.insert("pdf", &format!("../{name}.pdf"));
    ctx.insert("notes_pdf", &format!("../{name}-notes.pdf"));
    ctx.insert("lead_words", &lead_words.join("|"));
    let [html, notes] = draw(theme, &mut ctx, &mut slides)?;
    Ok(vec![
        OutputFile {
            path: format!("{lang}/slides/{name}/index.html"),
            bytes: html,
        },
        OutputFile {
            path: format!("{lang}/slides/{name}/notes.html"),
            bytes: notes,
        },
    ])
}

/// What a slide's `html` holds while the deck and its notes are drawn: [`fill`](super::fill)
/// puts each slide's drawing in its place afterwards, so Tera does not copy them.
const SLIDE_MARK: &str = "\u{1}slide\u{1}";

/// Draws each slide (`slides-_slide.html`) once, then the deck and its notes pages around them.
///
/// The slides are drawn in one pass of [`theme::SLIDES`](super::theme::SLIDES), each followed by
/// U+0001, and the two pages with each slide's drawing as [`SLIDE_MARK`]. Where that cannot hold
/// (a text holding U+0001, or a theme whose slide template shows `s.html`), every slide and page
/// is drawn plainly.
fn draw(theme: &Theme, ctx: &mut tera::Context, slides: &mut [Slide]) -> Result<[Vec<u8>; 2]> {
    const PAGES: [&str; 2] = ["slides-deck.html", "slides-notes.html"];
    slides.iter_mut().for_each(|s| s.html = SLIDE_MARK.into());
    ctx.insert("slides", &*slides);
    let all = render_bytes(theme, super::theme::SLIDES, ctx)?;
    let mut drawn = Vec::with_capacity(slides.len());
    let mut at = 0;
    for end in memchr::memchr_iter(1, &all) {
        drawn.push(&all[at..end]);
        at = end + 1;
    }
    if at == all.len() && drawn.len() == slides.len() {
        let texts: Vec<[&[u8]; 1]> = drawn.iter().map(|d| [*d]).collect();
        let parts: Vec<(&str, &[&[u8]])> = texts.iter().map(|t| (SLIDE_MARK, &t[..])).collect();
        let mut out = [Vec::new(), Vec::new()];
        let mut filled = true;
        for (o, page) in out.iter_mut().zip(PAGES) {
            match super::fill(&render_bytes(theme, page, ctx)?, &parts) {
                Some(h) => *o = h,
                None => filled = false,
            }
        }
        if filled {
            return Ok(out);
        }
    }
    ctx.remove("slides");
    for slide in slides.iter_mut() {
        ctx.insert("s", &*slide);
        slide.html = render_template(theme, "slides-_slide.html", ctx)?;
    }
    ctx.remove("s");
    ctx.insert("slides", &*slides);
    Ok([
        render_bytes(theme, PAGES[0], ctx)?,
        render_bytes(theme, PAGES[1], ctx)?,
    ])
}

/// The HTML of documents (a slide's body or notes), ids prefixed with `prefix` so that they stay
/// unique in the deck.
fn docs_html(
    theme: &Theme,
    ctx: &Ctx,
    ls: &LangState,
    docs: &[Doc],
    prefix: &str,
) -> Result<String> {
    let mut out = String::new();
    for d in docs {
        out.push_str(&doc_html(theme, ctx, ls, d)?);
    }
    if out.is_empty() {
        return Ok(out);
    }
    // The slides do not carry the page's headings as anchors: a link within the page leads to it
    // on the site.
    let page = crate::text::escape_html(&ctx.page_url(ctx.page));
    let out = out.replace("href=\"#", &format!("href=\"{page}#"));
    Ok(prefix_ids(&out, prefix))
}

fn body_html(
    theme: &Theme,
    ctx: &Ctx,
    ls: &LangState,
    part: &SlidePart,
    n: usize,
) -> Result<String> {
    docs_html(theme, ctx, ls, &part.body, &format!("s{n}"))
}

/// One document as HTML for a slide: glossary terms not marked, the interactive checklist shown as
/// its questions by domain, a flow as its chart alone.
fn doc_html(theme: &Theme, ctx: &Ctx, ls: &LangState, d: &Doc) -> Result<String> {
    let mut pieces = d.pieces();
    if pieces.len() == 1 {
        match pieces.next() {
            Some(Piece::Directive(Directive::Checklist(id), _)) => {
                return checklist(theme, ctx, ls, id)
            }
            // The flow chart alone: its steps are in the drawing (and its text alternative).
            Some(Piece::Directive(Directive::Flow(id), _)) => {
                return Ok(ctx
                    .site
                    .data
                    .lists
                    .get(id)
                    .map(|l| crate::render::body::figures::flow(ctx, &l.value))
                    .unwrap_or_default())
            }
            _ => {}
        }
    }
    let mut marker = Marker::new(&ls.terms);
    marker.enabled = false;
    Ok(html::render(ctx, d, &mut marker).html)
}

/// The quiz a slide holds alone, if it does.
fn lone_quiz<'s>(site: &'s Site, part: &SlidePart) -> Option<&'s crate::site::quiz::Quiz> {
    let [doc] = part.body.as_slice() else {
        return None;
    };
    let mut pieces = doc.pieces();
    match (pieces.next(), pieces.next()) {
        (Some(Piece::Directive(Directive::Quiz(id), _)), None) => site.data.quiz(id),
        _ => None,
    }
}

/// A quiz as one slide per question (its options to choose from, no form), the right answers,
/// the explanation and the section to review in the speaker notes: the room answers, the trainer
/// reads the answer.
fn quiz_slides(
    theme: &Theme,
    ctx: &Ctx,
    ls: &LangState,
    quiz: &crate::site::quiz::Quiz,
    place: &str,
    content_lang: &Option<String>,
) -> Result<Vec<Slide>> {
    let view = crate::render::body::quiz::view(ctx.site, quiz, ls.lang, ROOT, false);
    let total = view.count_text.clone();
    view.questions
        .iter()
        .map(|q| {
            let mut t = tera::Context::new();
            t.insert("quiz", &view);
            t.insert("q", q);
            t.insert("t", &ls.strings);
            let part = |answer: bool| -> Result<String> {
                let mut t = t.clone();
                t.insert("answer", &answer);
                render_template(theme, "directives/slides-quiz.html", &t)
            };
            Ok(Slide {
                kind: "content",
                feature: true,
                label: String::new(),
                title: ls
                    .strings
                    .get("slides_quiz_question")
                    .replace("{title}", &view.plain_title)
                    .replace("{n}", &q.number_text)
                    .replace("{total}", &total),
                subtitle: None,
                points: vec![],
                body: part(false)?,
                notes: part(true)?,
                place: place.to_string(),
                content_lang: content_lang.clone(),
                html: String::new(),
            })
        })
        .collect()
}

/// A domain of the checklist on a slide.
#[derive(Serialize)]
struct Domain {
    number: String,
    title: String,
    questions: Vec<String>,
}

/// The questions of a checklist by domain (the form itself is for the checklist page).
fn checklist(theme: &Theme, ctx: &Ctx, ls: &LangState, id: &str) -> Result<String> {
    let Some(c) = ctx.site.data.checklist(id) else {
        return Ok(String::new());
    };
    let d = &c.data;
    let src = ctx.site.source_lang();
    let label = |l: &crate::load::data::Labelled| l.text().or(ls.lang, src).to_string();
    let mut domains = Vec::new();
    for subj in &d.subjects {
        for ctl in &d.controls {
            let questions: Vec<String> = d
                .items
                .iter()
                .filter(|i| i.subject == subj.id && i.control == ctl.id)
                .map(|i| inline_md(i.question.or(ls.lang, src)))
                .collect();
            if questions.is_empty() {
                continue;
            }
            let n = c.domain(&subj.id, &ctl.id).unwrap_or(0);
            domains.push((
                n,
                Domain {
                    number: crate::render::body::directives::circled(n),
                    title: format!("{} × {}", label(subj), label(ctl)),
                    questions,
                },
            ));
        }
    }
    domains.sort_by_key(|(n, _)| *n);
    let domains: Vec<Domain> = domains.into_iter().map(|(_, d)| d).collect();
    let mut tctx = tera::Context::new();
    tctx.insert("domains", &domains);
    tctx.insert(
        "url",
        &ctx.url(&format!("{}/checklists/{}/index.html", ls.lang, d.id)),
    );
    tctx.insert("title", d.title.or(ls.lang, src));
    tctx.insert("t", &ls.strings);
    render_template(theme, "directives/slides-checklist.html", &tctx)
}

/// The decks of `lang`, their links relative to `base` (the slides folder from where they are
/// listed: `""` from the slides index, `../slides/` from the handouts index).
pub fn entries(site: &Site, lang: &str, base: &str) -> Vec<Entry> {
    chapters(site)
        .map(|c| {
            let p = &site.pages[c];
            let name = &p.slug_path;
            Entry {
                title: numbered_title(site, p, lang),
                summary: site.variant(p, lang).0.front.summary.clone(),
                url: format!("{base}{name}/index.html"),
                notes_url: format!("{base}{name}/notes.html"),
                pdf: format!("{base}{name}.pdf"),
                notes_pdf: format!("{base}{name}-notes.pdf"),
            }
        })
        .collect()
}

/// The slides index, a page of the site.
fn index(site: &Site, theme: &Theme, nav: &NavCache, ls: &LangState) -> Result<OutputFile> {
    let lang = ls.lang;
    let src = site.source_lang();
    let s = &ls.strings;
    let root = "../../";
    let rest = "slides/index.html";
    let decks = entries(site, lang, "");
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("root", root);
    ctx.insert("site_title", site.config.title.or(lang, src));
    ctx.insert("title", s.get("slides"));
    ctx.insert("description", site.config.description.or(lang, src));
    ctx.insert(
        "nav",
        &nav.sidebar(site, ls, None, 2, nav::Current::Library("slides"))?
            .to_string(),
    );
    ctx.insert(
        "breadcrumbs",
        &vec![Link {
            title: s.get("home").into(),
            url: format!("{root}{}", super::url::home_path(lang)),
        }],
    );
    ctx.insert("alternates", &nav::alternates(site, lang, rest, root));
    ctx.insert("t", s);
    ctx.insert("scripts", &Vec::<String>::new());
    ctx.insert("decks", &decks);
    Ok(OutputFile {
        path: format!("{lang}/{rest}"),
        bytes: render_bytes(theme, "slides-index.html", &ctx)?,
    })
}
