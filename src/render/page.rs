//! One page of the course in one language: its body rendered, its navigation (sidebar,
//! breadcrumbs, previous and next, language versions) and the cards of its sections, laid out by
//! the theme's `page.html` or `home.html`; the file, its searchable parts and its body alone.

use serde::Serialize;

use super::body::glossary::Marker;
use super::body::html::{self, Ctx};
use super::nav::{self, Alternate, Link, NavCache};
use super::theme::{Strings, Theme};
use super::url;
use super::{fill, render_bytes, LangState, OutputFile, Searchable};
use crate::error::{Error, Result};
use crate::site::links::numbered_title;
use crate::site::{PageKind, Site};

/// What every page template receives.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub lang: &'a str,
    /// The page's path below the language folder (what the progress script records as read).
    pub page_path: &'a str,
    pub root: &'a str,
    pub site_title: &'a str,
    pub title: String,
    pub plain_title: String,
    pub number: Option<&'a str>,
    pub kind: &'static str,
    pub summary: Option<&'a str>,
    pub key_points: &'a [String],
    pub content: String,
    pub untranslated: bool,
    pub source_lang_name: String,
    pub nav: String,
    pub breadcrumbs: Vec<Link>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub alternates: Vec<Alternate>,
    pub t: &'a Strings,
    pub scripts: Vec<String>,
    pub sections: Vec<SectionCard>,
    pub handout_url: Option<String>,
    /// The chapter's slide deck, on chapter and section pages.
    pub slides_url: Option<String>,
    pub description: &'a str,
}

/// A section listed on a chapter page or the home.
#[derive(Serialize, Clone)]
pub struct SectionCard {
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
    pub sections: Vec<SectionCard>,
}

fn kind_name(k: PageKind) -> &'static str {
    match k {
        PageKind::Home => "home",
        PageKind::Page => "page",
        PageKind::Chapter => "chapter",
        PageKind::Section => "section",
    }
}

/// Stand-ins for the two large parts of a page (the sidebar and the body), which the default
/// templates print as they are: the template renders around them and they are put in after,
/// so Tera never copies them. They are made of a control character, which rendered text does not
/// hold; where it does, [`fill`] finds the marks out of place and the page renders plainly.
pub(crate) const CONTENT_MARK: &str = "\u{1}kyozai-content\u{1}";
pub(crate) const NAV_MARK: &str = "\u{1}kyozai-nav\u{1}";

/// Renders page `i` in one language.
pub fn render_page(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    i: usize,
    ls: &LangState,
) -> Result<(OutputFile, Searchable)> {
    render_page_with_body(site, theme, nav, i, ls).map(|(f, s, _)| (f, s))
}

/// Renders page `i` in one language; also returns the page's body alone.
pub fn render_page_with_body(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    i: usize,
    ls: &LangState,
) -> Result<(OutputFile, Searchable, String)> {
    let p = &site.pages[i];
    let lang = ls.lang;
    let rest = url::in_lang(&p.slug_path);
    let path = url::page_path(site, i, lang);
    let depth = path.matches('/').count();
    let root = "../".repeat(depth);
    let (v, untranslated) = site.variant(p, lang);
    let ctx = Ctx {
        site,
        page: i,
        lang,
        root: &root,
        strings: &ls.strings,
        theme,
    };
    let mut marker = Marker::new(&ls.terms);
    let mut body = html::render(&ctx, &v.doc, &mut marker);
    if let Some(e) = body.error.take() {
        return Err(e);
    }
    let chapter = if p.kind == PageKind::Chapter {
        Some(i)
    } else {
        p.chapter
    };
    let (prev, next) = nav::prev_next(site, i, lang, &root);
    let card = |j: usize| {
        let q = &site.pages[j];
        let (qv, _) = site.variant(q, lang);
        SectionCard {
            title: numbered_title(site, q, lang),
            url: format!("{root}{}", url::page_path(site, j, lang)),
            summary: qv.front.summary.clone(),
            sections: vec![],
        }
    };
    let sections: Vec<SectionCard> = match p.kind {
        PageKind::Chapter => p.sections.iter().map(|&s| card(s)).collect(),
        PageKind::Home => site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, q)| matches!(q.kind, PageKind::Chapter | PageKind::Page))
            .map(|(j, q)| {
                let mut c = card(j);
                c.sections = q.sections.iter().map(|&s| card(s)).collect();
                c
            })
            .collect(),
        _ => vec![],
    };
    let mut scripts = Vec::new();
    for (d, _) in v.doc.directives() {
        match d {
            crate::markdown::parse::Directive::Checklist(id) => {
                scripts.push(format!("{root}{lang}/checklists/{id}/data.js"))
            }
            crate::markdown::parse::Directive::Quiz(id) => {
                scripts.push(format!("{root}{lang}/quizzes/{id}/data.js"))
            }
            _ => {}
        }
    }
    let handout_url = match (p.kind, chapter) {
        (PageKind::Chapter | PageKind::Section, Some(c)) => Some(format!(
            "{root}{lang}/handouts/{}/index.html",
            site.pages[c].slug_path
        )),
        _ => None,
    };
    let slides_url = match (p.kind, chapter) {
        (PageKind::Chapter | PageKind::Section, Some(c)) => Some(format!(
            "{root}{lang}/slides/{}/index.html",
            site.pages[c].slug_path
        )),
        _ => None,
    };
    let sidebar = nav.sidebar(site, ls, chapter, depth, nav::Current::Page(i))?;
    let template = if p.kind == PageKind::Home {
        "home.html"
    } else {
        "page.html"
    };
    let splice = theme.builtin_templates();
    let mut view = PageView {
        lang,
        page_path: &p.slug_path,
        root: &root,
        site_title: site.config.title.or(lang, site.source_lang()),
        title: numbered_title(site, p, lang),
        plain_title: v.front.title.clone(),
        number: p.number.as_deref(),
        kind: kind_name(p.kind),
        summary: v.front.summary.as_deref(),
        key_points: &v.front.key_points,
        content: if splice {
            CONTENT_MARK.to_string()
        } else {
            body.html.clone()
        },
        untranslated,
        source_lang_name: site.language_name(site.source_lang()),
        nav: if splice {
            NAV_MARK.to_string()
        } else {
            sidebar.to_string()
        },
        breadcrumbs: nav::breadcrumbs(site, i, lang, &root, &ls.strings),
        prev,
        next,
        alternates: nav::alternates(site, lang, &rest, &root),
        t: &ls.page_strings,
        scripts,
        sections,
        handout_url,
        slides_url,
        description: site.config.description.or(lang, site.source_lang()),
    };
    let tctx = tera::Context::from_serialize(&view)
        .map_err(|e| Error::Internal(format!("page view: {e}")))?;
    let mut html = render_bytes(theme, template, &tctx)?;
    if splice {
        html = match fill(
            &html,
            &[(NAV_MARK, &sidebar.parts()), (CONTENT_MARK, &[&body.html])],
        ) {
            Some(h) => h,
            None => {
                // A stand-in went missing (a title holding the control character they are
                // made of): render with the real parts.
                view.nav = sidebar.to_string();
                view.content = body.html.clone();
                let tctx = tera::Context::from_serialize(&view)
                    .map_err(|e| Error::Internal(format!("page view: {e}")))?;
                render_bytes(theme, template, &tctx)?
            }
        };
    }
    let searchable = Searchable {
        lang: lang.to_string(),
        url: path.clone(),
        title: view.title.clone(),
        kind: crate::search::DocKind::Page,
        chunks: body.chunks,
    };
    Ok((OutputFile { path, bytes: html }, searchable, body.html))
}
