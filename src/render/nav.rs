//! Navigation shared by every page of a language: the sidebar table of contents (the theme's
//! `sidebar.html`, rendered once per chapter, window and depth, the page's own entry marked per
//! page, see [`super::marked`]), breadcrumbs, previous/next and the language switcher.
//!
//! The sidebar lists the course's top-level entries (chapters and the pages outside chapters) and
//! the current chapter's sections. A course of more than [`SIDEBAR_ENTRIES`] top-level entries
//! lists only that many, around the current one, and links to the contents on the home page,
//! which lists them all: so a page's size does not grow with the size of the course.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use super::marked::Marked;
use super::theme::Theme;
use super::url::{home_path, page_path};
use super::{render_template, LangState};
use crate::error::{Error, Result};
use crate::site::links::numbered_title;
use crate::site::{PageKind, Site};

/// A link for templates.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A language version of the current page, for the switcher and `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub lang: String,
    pub name: String,
    pub url: String,
    pub current: bool,
}

/// The entry a page's sidebar marks as the page's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Current<'a> {
    /// No entry: a page the sidebar does not list.
    None,
    /// A page of the course, by index.
    Page(usize),
    /// One of the libraries, by id: `cases`, `checklist-ID`, `quizzes`, `glossary`, `progress`,
    /// `handouts`, `slides`, `roster`.
    Library(&'a str),
}

/// A sidebar rendered once, and where each entry it can mark is in its list.
struct CachedNav {
    marked: Marked,
    pages: HashMap<usize, usize>,
    libraries: HashMap<String, usize>,
    /// The view it was rendered from, kept for a template rendered for each page.
    view: Option<tera::Value>,
}

/// Most top-level entries (chapters and pages outside chapters) one sidebar lists.
pub const SIDEBAR_ENTRIES: usize = 15;

/// The sidebar cache: (lang, chapter, window, depth) → the rendered sidebar, and the course's
/// top-level entries.
#[derive(Default)]
pub struct NavCache(
    Mutex<HashMap<NavKey, std::sync::Arc<CachedNav>>>,
    OnceLock<Entries>,
);

/// (language, chapter, first top-level entry listed, folder depth).
type NavKey = (String, Option<usize>, usize, usize);

/// The top-level entries in order (page indices), each one's position among them, and the home
/// pages.
type Entries = (Vec<usize>, HashMap<usize, usize>, Vec<usize>);

/// The positions of the top-level entries a sidebar lists: all of them, or [`SIDEBAR_ENTRIES`]
/// around `focus` (a position) when there are more.
fn window(entries: usize, focus: Option<usize>) -> std::ops::Range<usize> {
    if entries <= SIDEBAR_ENTRIES {
        return 0..entries;
    }
    let start = focus
        .unwrap_or(0)
        .saturating_sub(SIDEBAR_ENTRIES / 2)
        .min(entries - SIDEBAR_ENTRIES);
    start..start + SIDEBAR_ENTRIES
}

/// What `sidebar.html` gets (with `t`, the UI strings it names).
#[derive(Serialize)]
struct SidebarView<'a> {
    lang: &'a str,
    root: &'a str,
    entries: Vec<NavEntry>,
    /// The link to the contents on the home page, when the list does not show every entry.
    contents_url: Option<String>,
    libraries: Vec<NavLibrary>,
}

/// A page in the sidebar.
#[derive(Serialize)]
struct NavEntry {
    page: usize,
    /// The page's path below the language folder (what the progress script records).
    path: String,
    /// `home`, `page`, `chapter` or `section`.
    kind: &'static str,
    title: String,
    url: String,
    /// A chapter whose sections are listed.
    open: bool,
    current: bool,
    sections: Vec<NavEntry>,
}

/// A library (cases, a checklist, the quizzes, …) in the sidebar.
#[derive(Serialize)]
struct NavLibrary {
    id: String,
    title: String,
    url: String,
    current: bool,
}

/// The sidebar's view as the template gets it, `current` set on the entries `which` accepts,
/// entries numbered in list order (a chapter before its sections, the libraries last).
fn with_current(view: &tera::Value, which: impl Fn(usize) -> bool) -> tera::Value {
    let mut v = view.clone();
    let mut k = 0;
    let mut mark = |entry: &mut tera::Value| {
        if let Some(o) = entry.as_object_mut() {
            o.insert("current".into(), tera::Value::Bool(which(k)));
        }
        k += 1;
    };
    if let Some(entries) = v.get_mut("entries").and_then(|e| e.as_array_mut()) {
        for e in entries {
            mark(e);
            if let Some(sections) = e.get_mut("sections").and_then(|s| s.as_array_mut()) {
                sections.iter_mut().for_each(&mut mark);
            }
        }
    }
    if let Some(libraries) = v.get_mut("libraries").and_then(|l| l.as_array_mut()) {
        libraries.iter_mut().for_each(&mut mark);
    }
    v
}

/// Renders `sidebar.html` with `view`.
fn render_sidebar(theme: &Theme, view: tera::Value) -> Result<String> {
    let ctx = tera::Context::from_value(view)
        .map_err(|e| Error::Internal(format!("sidebar view: {e}")))?;
    render_template(theme, "sidebar.html", &ctx)
}

impl NavCache {
    /// The sidebar for a page of `ls.lang` in `chapter` at folder `depth`, with `current` marked.
    pub fn sidebar(
        &self,
        site: &Site,
        ls: &LangState,
        chapter: Option<usize>,
        depth: usize,
        current: Current,
    ) -> Result<Sidebar> {
        let lang = ls.lang;
        let (entries, position, homes) = self.1.get_or_init(|| {
            let entries: Vec<usize> = (0..site.pages.len())
                .filter(|&i| matches!(site.pages[i].kind, PageKind::Page | PageKind::Chapter))
                .collect();
            let position = entries.iter().enumerate().map(|(k, &i)| (i, k)).collect();
            let homes = (0..site.pages.len())
                .filter(|&i| site.pages[i].kind == PageKind::Home)
                .collect();
            (entries, position, homes)
        });
        let focus = match current {
            Current::Page(i) => chapter.or(Some(i)),
            _ => chapter,
        }
        .and_then(|i| position.get(&i).copied());
        let shown = window(entries.len(), focus);
        let key = (lang.to_string(), chapter, shown.start, depth);
        let listed = &entries[shown.clone()];
        let more = listed.len() < entries.len();
        let root = "../".repeat(depth);
        let cached = self.0.lock().ok().and_then(|m| m.get(&key).cloned());
        let nav = match cached {
            Some(h) => h,
            None => {
                let v = view(site, ls, chapter, (homes, listed, more), &root);
                let (mut pages, mut libraries) = (HashMap::new(), HashMap::new());
                let mut k = 0;
                for e in &v.entries {
                    for p in std::iter::once(e.page).chain(e.sections.iter().map(|s| s.page)) {
                        pages.entry(p).or_insert(k);
                        k += 1;
                    }
                }
                for l in &v.libraries {
                    libraries.entry(l.id.clone()).or_insert(k);
                    k += 1;
                }
                let mut value = tera::to_value(&v)
                    .map_err(|e| Error::Internal(format!("sidebar view: {e}")))?;
                let t = match ls.theme.template_strings("sidebar.html", lang) {
                    Some(t) => t.clone(),
                    None => tera::to_value(&ls.strings)
                        .map_err(|e| Error::Internal(format!("sidebar view: {e}")))?,
                };
                if let Some(o) = value.as_object_mut() {
                    o.insert("t".into(), t);
                }
                // Rendered with no entry current and with every one, the two compared: each
                // entry's changes are then put into the first for the page it is current on.
                let plain = render_sidebar(ls.theme, with_current(&value, |_| false))?;
                let all = render_sidebar(ls.theme, with_current(&value, |_| true))?;
                let mut marked = Marked::new(plain, &all, k);
                // Checked against the template's own output with every other entry current,
                // when the template is the course's own: the built-in one's marks are held to
                // a checked rendering by tests/theme.rs (an ejected theme builds the same bytes).
                if marked.usable() && !ls.theme.builtin_templates() {
                    let even = |j: usize| j.is_multiple_of(2);
                    marked.check(even, &render_sidebar(ls.theme, with_current(&value, even))?);
                }
                let h = std::sync::Arc::new(CachedNav {
                    view: (!marked.usable()).then_some(value),
                    marked,
                    pages,
                    libraries,
                });
                if let Ok(mut m) = self.0.lock() {
                    m.insert(key, h.clone());
                }
                h
            }
        };
        let at = match current {
            Current::None => None,
            Current::Page(i) => nav.pages.get(&i).copied(),
            Current::Library(id) => nav.libraries.get(id).copied(),
        };
        // A template that does not draw each entry on its own is rendered for the page.
        let own = match at {
            Some(k) => match &nav.view {
                Some(view) => Some(render_sidebar(ls.theme, with_current(view, |j| j == k))?),
                None => None,
            },
            None => None,
        };
        Ok(Sidebar { nav, at, own })
    }
}

/// A page's sidebar: the cached one with the page's own entry made current.
pub struct Sidebar {
    nav: std::sync::Arc<CachedNav>,
    at: Option<usize>,
    own: Option<String>,
}

impl Sidebar {
    /// The sidebar's HTML in pieces, without copying it.
    pub fn parts(&self) -> Vec<&str> {
        if let Some(own) = &self.own {
            return vec![own];
        }
        let plain = self.nav.marked.plain.as_str();
        self.at
            .and_then(|k| self.nav.marked.pieces(k))
            .unwrap_or_else(|| vec![plain])
    }
}

impl std::fmt::Display for Sidebar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.parts().iter().try_for_each(|p| f.write_str(p))
    }
}

/// The sidebar's view: the home pages `homes`, the top-level entries `listed` (with the sections of
/// `chapter` when it is among them), with `more` a link to the contents on the home page, then
/// the libraries; no entry current.
fn view<'a>(
    site: &Site,
    ls: &'a LangState,
    chapter: Option<usize>,
    (homes, listed, more): (&[usize], &[usize], bool),
    root: &'a str,
) -> SidebarView<'a> {
    let lang = ls.lang;
    let strings = &ls.strings;
    let entry = |i: usize, kind: &'static str, title: String| NavEntry {
        page: i,
        path: site.pages[i].slug_path.clone(),
        kind,
        title,
        url: format!("{root}{}", page_path(site, i, lang)),
        open: false,
        current: false,
        sections: vec![],
    };
    let mut shown: Vec<usize> = homes.iter().chain(listed).copied().collect();
    shown.sort_unstable();
    let mut entries = Vec::new();
    for i in shown {
        let p = &site.pages[i];
        match p.kind {
            PageKind::Home => entries.push(entry(i, "home", strings.get("home").to_string())),
            PageKind::Page => entries.push(entry(i, "page", numbered_title(site, p, lang))),
            PageKind::Chapter => {
                let mut e = entry(i, "chapter", numbered_title(site, p, lang));
                e.open = chapter == Some(i);
                if e.open {
                    e.sections = p
                        .sections
                        .iter()
                        .map(|&s| entry(s, "section", numbered_title(site, &site.pages[s], lang)))
                        .collect();
                }
                entries.push(e);
            }
            PageKind::Section => {}
        }
    }
    let mut libraries = Vec::new();
    let mut library = |id: String, title: &str, rest: String| {
        libraries.push(NavLibrary {
            id,
            title: title.to_string(),
            url: format!("{root}{lang}/{rest}"),
            current: false,
        })
    };
    if !site.data.cases.is_empty() {
        library(
            "cases".into(),
            strings.get("cases_library"),
            "cases/index.html".into(),
        );
    }
    for c in &site.data.checklists {
        library(
            format!("checklist-{}", c.data.id),
            c.data.title.or(lang, site.source_lang()),
            format!("checklists/{}/index.html", c.data.id),
        );
    }
    if !site.data.quizzes.is_empty() {
        library(
            "quizzes".into(),
            strings.get("quizzes"),
            "quizzes/index.html".into(),
        );
    }
    if !site.data.glossary.is_empty() {
        library(
            "glossary".into(),
            strings.get("glossary"),
            "glossary/index.html".into(),
        );
    }
    library(
        "progress".into(),
        strings.get("progress"),
        "progress/index.html".into(),
    );
    library(
        "handouts".into(),
        strings.get("handouts"),
        "handouts/index.html".into(),
    );
    if site.pages.iter().any(|p| p.kind == PageKind::Chapter) {
        library(
            "slides".into(),
            strings.get("slides"),
            "slides/index.html".into(),
        );
    }
    library(
        "roster".into(),
        strings.get("roster_title"),
        "roster/index.html".into(),
    );
    SidebarView {
        lang,
        root,
        entries,
        contents_url: more.then(|| format!("{root}{}#course-map-title", home_path(lang))),
        libraries,
    }
}

/// Breadcrumbs: home › chapter (› section, the current page not linked).
pub fn breadcrumbs(
    site: &Site,
    i: usize,
    lang: &str,
    root: &str,
    strings: &crate::render::theme::Strings,
) -> Vec<Link> {
    let p = &site.pages[i];
    let mut out = Vec::new();
    if p.kind != PageKind::Home {
        out.push(Link {
            title: strings.get("home").to_string(),
            url: format!("{root}{}", home_path(lang)),
        });
    }
    if let Some(c) = p.chapter {
        out.push(Link {
            title: numbered_title(site, &site.pages[c], lang),
            url: format!("{root}{}", page_path(site, c, lang)),
        });
    }
    out
}

/// Previous and next pages in reading order.
pub fn prev_next(site: &Site, i: usize, lang: &str, root: &str) -> (Option<Link>, Option<Link>) {
    let link = |j: usize| Link {
        title: numbered_title(site, &site.pages[j], lang),
        url: format!("{root}{}", page_path(site, j, lang)),
    };
    let prev = i.checked_sub(1).map(link);
    let next = (i + 1 < site.pages.len()).then(|| link(i + 1));
    (prev, next)
}

/// The language versions of a page whose path below the language folder is `rest`.
pub fn alternates(site: &Site, lang: &str, rest: &str, root: &str) -> Vec<Alternate> {
    site.languages()
        .into_iter()
        .map(|l| Alternate {
            lang: l.to_string(),
            name: site.language_name(l),
            url: format!("{root}{l}/{rest}"),
            current: l == lang,
        })
        .collect()
}
