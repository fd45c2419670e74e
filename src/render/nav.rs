//! Navigation shared by every page of a language: the sidebar table of contents (cached per
//! chapter, window and depth), breadcrumbs, previous/next and the language switcher.
//!
//! The sidebar lists the course's top-level entries (chapters and the pages outside chapters) and
//! the current chapter's sections. A course of more than [`SIDEBAR_ENTRIES`] top-level entries
//! lists only that many, around the current one, and links to the contents on the home page,
//! which lists them all: so a page's size does not grow with the size of the course.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use super::url::home_path;
use crate::site::links::numbered_title;
use crate::site::{PageKind, Site};
use crate::text::escape_html;

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

/// A rendered sidebar and where each page's link starts in it.
type CachedNav = std::sync::Arc<(String, HashMap<usize, usize>)>;

/// Most top-level entries (chapters and pages outside chapters) one sidebar lists.
pub const SIDEBAR_ENTRIES: usize = 15;

/// The sidebar cache: (lang, chapter, window, depth) → HTML, and the course's top-level entries.
#[derive(Default)]
pub struct NavCache(Mutex<HashMap<NavKey, CachedNav>>, OnceLock<Entries>);

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

impl NavCache {
    /// The sidebar for a page of `lang` in `chapter` at folder `depth`, with `current` marked.
    pub fn sidebar(
        &self,
        site: &Site,
        lang: &str,
        chapter: Option<usize>,
        depth: usize,
        current: Option<usize>,
        strings: &crate::render::theme::Strings,
    ) -> Sidebar {
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
        let focus = chapter.or(current).and_then(|i| position.get(&i).copied());
        let shown = window(entries.len(), focus);
        let key = (lang.to_string(), chapter, shown.start, depth);
        let cached = self.0.lock().ok().and_then(|m| m.get(&key).cloned());
        let nav = match cached {
            Some(h) => h,
            None => {
                let listed = &entries[shown.clone()];
                let more = listed.len() < entries.len();
                let html = build(
                    site,
                    lang,
                    chapter,
                    (homes, listed, more),
                    &"../".repeat(depth),
                    strings,
                );
                // Remember where each page's link is, so marking the current one needs no search.
                let mut offsets = HashMap::new();
                let mut from = 0;
                while let Some(at) = html[from..].find("<a data-p=\"") {
                    let start = from + at + "<a data-p=\"".len();
                    let end = html[start..].find('"').map(|e| start + e).unwrap_or(start);
                    if let Ok(i) = html[start..end].parse::<usize>() {
                        offsets.entry(i).or_insert(end + 2);
                    }
                    from = end;
                }
                let h = std::sync::Arc::new((html, offsets));
                if let Ok(mut m) = self.0.lock() {
                    m.insert(key, h.clone());
                }
                h
            }
        };
        let at = current.and_then(|i| nav.1.get(&i)).copied();
        Sidebar { nav, at }
    }
}

/// A page's sidebar: the cached one, with the page's own link marked `aria-current` at `at`.
pub struct Sidebar {
    nav: CachedNav,
    at: Option<usize>,
}

impl Sidebar {
    /// The sidebar's HTML in three pieces (the mark in the middle), without copying it.
    pub fn parts(&self) -> [&str; 3] {
        let html = &self.nav.0;
        match self.at {
            Some(at) => [&html[..at], "aria-current=\"page\" ", &html[at..]],
            None => [html, "", ""],
        }
    }
}

impl std::fmt::Display for Sidebar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.parts().iter().try_for_each(|p| f.write_str(p))
    }
}

/// The path of page `i` in `lang` from the root (see [`super::url`], where it is made).
pub use super::url::page_path;

/// The sidebar's HTML: the home pages `homes`, the top-level entries `listed` (with the sections of
/// `chapter` when it is among them), with `more` a link to the contents on the home page, then
/// the libraries.
fn build(
    site: &Site,
    lang: &str,
    chapter: Option<usize>,
    (homes, listed, more): (&[usize], &[usize], bool),
    root: &str,
    strings: &crate::render::theme::Strings,
) -> String {
    let mut h = format!(
        "<nav class=\"toc\" aria-label=\"{}\"><ol class=\"toc-list\">",
        escape_html(strings.get("toc"))
    );
    let mut shown: Vec<usize> = homes.iter().chain(listed).copied().collect();
    shown.sort_unstable();
    for i in shown {
        let p = &site.pages[i];
        match p.kind {
            PageKind::Home => {
                h.push_str(&format!(
                    "<li class=\"toc-home\"><a data-p=\"{i}\" href=\"{root}{}\">{}</a></li>",
                    page_path(site, i, lang),
                    escape_html(strings.get("home"))
                ));
            }
            PageKind::Page => {
                h.push_str(&format!(
                    "<li class=\"toc-page\"><a data-p=\"{i}\" href=\"{root}{}\">{}</a></li>",
                    page_path(site, i, lang),
                    escape_html(&numbered_title(site, p, lang))
                ));
            }
            PageKind::Chapter => {
                let open = chapter == Some(i);
                h.push_str(&format!(
                    "<li class=\"toc-chapter{}\"><a data-p=\"{i}\" href=\"{root}{}\">{}</a>",
                    if open { " open" } else { "" },
                    page_path(site, i, lang),
                    escape_html(&numbered_title(site, p, lang))
                ));
                if open && !p.sections.is_empty() {
                    h.push_str("<ol>");
                    for &s in &p.sections {
                        h.push_str(&format!(
                            "<li><a data-p=\"{s}\" href=\"{root}{}\">{}</a></li>",
                            page_path(site, s, lang),
                            escape_html(&numbered_title(site, &site.pages[s], lang))
                        ));
                    }
                    h.push_str("</ol>");
                }
                h.push_str("</li>");
            }
            PageKind::Section => {}
        }
    }
    if more {
        h.push_str(&format!(
            "<li class=\"toc-all\"><a data-x=\"contents\" href=\"{root}{}#course-map-title\">{}</a></li>",
            home_path(lang),
            escape_html(strings.get("toc_all"))
        ));
    }
    h.push_str("</ol><ul class=\"toc-extra\">");
    if !site.data.cases.is_empty() {
        h.push_str(&format!(
            "<li><a data-x=\"cases\" href=\"{root}{lang}/cases/index.html\">{}</a></li>",
            escape_html(strings.get("cases_library"))
        ));
    }
    for c in &site.data.checklists {
        h.push_str(&format!("<li><a data-x=\"checklist-{}\" href=\"{root}{lang}/checklists/{}/index.html\">{}</a></li>", escape_html(&c.data.id), escape_html(&c.data.id), escape_html(c.data.title.or(lang, site.source_lang()))));
    }
    if !site.data.quizzes.is_empty() {
        h.push_str(&format!(
            "<li><a data-x=\"quizzes\" href=\"{root}{lang}/quizzes/index.html\">{}</a></li>",
            escape_html(strings.get("quizzes"))
        ));
    }
    if !site.data.glossary.is_empty() {
        h.push_str(&format!(
            "<li><a data-x=\"glossary\" href=\"{root}{lang}/glossary/index.html\">{}</a></li>",
            escape_html(strings.get("glossary"))
        ));
    }
    h.push_str(&format!(
        "<li class=\"toc-progress\"><a data-x=\"progress\" href=\"{root}{lang}/progress/index.html\">{}</a></li>",
        escape_html(strings.get("progress"))
    ));
    h.push_str(&format!(
        "<li><a data-x=\"handouts\" href=\"{root}{lang}/handouts/index.html\">{}</a></li>",
        escape_html(strings.get("handouts"))
    ));
    if site.pages.iter().any(|p| p.kind == PageKind::Chapter) {
        h.push_str(&format!(
            "<li><a data-x=\"slides\" href=\"{root}{lang}/slides/index.html\">{}</a></li>",
            escape_html(strings.get("slides"))
        ));
    }
    h.push_str(&format!(
        "<li><a data-x=\"roster\" href=\"{root}{lang}/roster/index.html\">{}</a></li>",
        escape_html(strings.get("roster_title"))
    ));
    h.push_str("</ul></nav>");
    h
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
