//! The `render` stage: turns a checked [`Site`] into the files of the static site — every page in
//! every language, the library pages, assets and indexes — as paths and bytes, without touching
//! the disk. Pages render in parallel.

pub mod handouts;
pub mod library;
mod marked;
pub mod nav;
pub mod progress;
pub mod quizzes;
pub mod searchindex;
pub mod slides;
pub mod theme;

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Diagnostic, Error, Result};
use crate::markdown::glossary::{Marker, Terms};
use crate::markdown::html::{self, Chunk, Ctx};
use crate::site::links::numbered_title;
use crate::site::{PageKind, Site};
use nav::{Alternate, Link, NavCache};
use theme::{Strings, Theme};

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A page's searchable parts, for the search index.
#[derive(Debug, Clone)]
pub struct Searchable {
    pub lang: String,
    pub url: String,
    pub title: String,
    pub kind: crate::search::DocKind,
    pub chunks: Vec<Chunk>,
}

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutputFile>,
    /// Pages per language (content and generated pages).
    pub pages: BTreeMap<String, usize>,
    /// What the search indexes were built from (kept for live reload).
    pub search: Vec<Searchable>,
}

/// What every page template receives.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub lang: &'a str,
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

/// The per-language states of a site.
pub fn lang_states<'a>(site: &'a Site, theme: &'a Theme) -> Vec<LangState<'a>> {
    site.languages()
        .into_iter()
        .map(|l| LangState {
            lang: l,
            strings: theme.strings(l),
            page_strings: theme.page_strings(l),
            terms: Terms::new(site, l),
            theme,
        })
        .collect()
}

/// Per-language rendering state shared by that language's pages.
pub struct LangState<'a> {
    pub lang: &'a str,
    pub strings: Strings,
    /// The strings the page templates use, the ones a page's view carries.
    pub page_strings: Strings,
    pub terms: Terms,
    pub theme: &'a Theme,
}

/// Where rendered files go: collected in memory (tests, `serve`, `check`) or written straight
/// into the build's staging folder (`build`), so a large site is never held in memory whole.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> Result<()>;

    /// Takes one file that `fill` writes piece by piece (a large one, never held whole).
    fn put_stream(
        &self,
        path: String,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(|e| Error::io("write", std::path::Path::new(&path), e))?;
        self.put(OutputFile { path, bytes })
    }
}

/// A sink that keeps every file in memory.
#[derive(Default)]
pub struct Collect(pub std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.0
            .lock()
            .map_err(|_| Error::Internal("output lock poisoned".into()))?
            .push(file);
        Ok(())
    }
}

/// Renders the whole site into memory.
pub fn render(site: &Site, theme: &Theme) -> Result<Output> {
    let sink = Collect::default();
    let mut out = render_into(site, theme, &sink, true)?;
    out.files = sink.0.into_inner().unwrap_or_default();
    Ok(out)
}

/// Renders the whole site, handing every file to `sink` as soon as it is made. The returned
/// [`Output`] has the page counts and, with `keep_search`, the search texts, but no files.
pub fn render_into(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    keep_search: bool,
) -> Result<Output> {
    let langs = lang_states(site, theme);
    let nav = NavCache::default();
    let lap = crate::build::lap;
    handouts::check_names(site)?;
    // Pages in groups: a chapter with its sections, or a page alone. A chapter's handout is made
    // from its sections' bodies as soon as they are rendered, not by rendering them again. The
    // groups are in the order of the pages (a chapter's sections follow it there), the order the
    // search index takes them in.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        match p.kind {
            PageKind::Chapter => groups.push(
                std::iter::once(i)
                    .chain(p.sections.iter().copied())
                    .collect(),
            ),
            PageKind::Section if p.chapter.is_some() => {}
            _ => groups.push(vec![i]),
        }
    }
    let jobs: Vec<(usize, &Vec<usize>, &LangState)> = langs
        .iter()
        .flat_map(|ls| groups.iter().enumerate().map(move |(k, g)| (k, g, ls)))
        .collect();
    let codes: Vec<&str> = langs.iter().map(|l| l.lang).collect();
    let mut out = Output::default();
    out.search = std::thread::scope(|scope| -> Result<Vec<Searchable>> {
        let index = searchindex::Streaming::start(scope, &codes, sink, keep_search);
        // Jobs are taken in order, so few of them wait for the search index.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let job = || -> Result<()> {
            loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(k, group, ls)) = jobs.get(j) else {
                    return Ok(());
                };
                let chapter = site.pages[group[0]].kind == PageKind::Chapter;
                let mut bodies = std::collections::HashMap::new();
                let mut found = Vec::with_capacity(group.len());
                for &i in group {
                    let (f, s, body) = render_page_with_body(site, theme, &nav, i, ls)?;
                    if chapter
                        && f.path.matches('/').count()
                            == handouts::HANDOUT_ROOT.matches('/').count()
                    {
                        bodies.insert(i, body);
                    }
                    sink.put(f)?;
                    found.push(s);
                }
                if chapter {
                    sink.put(handouts::render_chapter(
                        site, theme, ls, group[0], &bodies,
                    )?)?;
                }
                index.job(ls.lang, k, found);
            }
        };
        // After a failure the other workers take no new job.
        let work = || {
            job().inspect_err(|_| {
                next.store(jobs.len(), std::sync::atomic::Ordering::Relaxed);
            })
        };
        let done = (0..rayon::current_num_threads())
            .into_par_iter()
            .map(|_| work())
            .collect::<Result<Vec<()>>>();
        // Every language has every page.
        let pages: usize = groups.iter().map(Vec::len).sum();
        let mut pages_of: BTreeMap<String, usize> = langs
            .iter()
            .map(|ls| (ls.lang.to_string(), pages))
            .collect();
        let rest = done.and_then(|_| {
            lap("pages");
            // The site-wide files (the sitemap lists every page) are made beside the languages'
            // generated pages.
            let (generated, site_files) = rayon::join(
                || generated(site, theme, &nav, &langs, sink, &index, &mut pages_of),
                || library::site_files(site, theme, &langs),
            );
            generated?;
            site_files?.into_iter().try_for_each(|f| sink.put(f))?;
            lap("library");
            handouts::render(site, theme, &nav, &langs, sink)?;
            lap("handouts");
            slides::render(site, theme, &nav, &langs, sink)?;
            lap("slides");
            Ok(())
        });
        // The index is finished (and its writers stopped) whether or not the rest succeeded.
        let search = index.finish();
        out.pages = pages_of;
        rest?;
        search
    })?;
    lap("search");
    for (p, b) in &theme.statics {
        sink.put(OutputFile {
            path: format!("static/{p}"),
            bytes: b.clone(),
        })?;
    }
    for a in &site.assets {
        let bytes = std::fs::read(&a.abs).map_err(|e| Error::io("read", &a.abs, e))?;
        sink.put(OutputFile {
            path: format!("media/{}", a.rel.to_string_lossy().replace('\\', "/")),
            bytes,
        })?;
    }
    Ok(out)
}

/// The generated pages of every language (the libraries, the knowledge checks, progress), put
/// into `sink` and their texts into the search `index`; `pages_of` counts them per language.
fn generated(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    langs: &[LangState],
    sink: &dyn Sink,
    index: &searchindex::Streaming,
    pages_of: &mut BTreeMap<String, usize>,
) -> Result<()> {
    for ls in langs {
        let mut lib = library::render(site, theme, nav, ls)?;
        let (quiz_files, quiz_search) = quizzes::render(site, theme, nav, ls)?;
        let quiz_pages = quiz_files.iter().filter(|f| f.path.ends_with(".html"));
        *pages_of.entry(ls.lang.to_string()).or_default() += lib.files.len() + quiz_pages.count();
        lib.files.extend(quiz_files);
        lib.search.extend(quiz_search);
        lib.files.into_iter().try_for_each(|f| sink.put(f))?;
        index.after_jobs(ls.lang, lib.search);
        let prog = progress::render(site, theme, nav, ls)?;
        *pages_of.entry(ls.lang.to_string()).or_default() += 2;
        prog.into_iter().try_for_each(|f| sink.put(f))?;
    }
    Ok(())
}

/// Renders a template, turning Tera's error into a diagnostic on the template file.
pub fn render_template(theme: &Theme, name: &str, ctx: &tera::Context) -> Result<String> {
    theme.tera.render(name, ctx).map_err(|e| {
        let path = theme.overrides.iter().find(|p| p.ends_with(name)).cloned().unwrap_or_else(|| PathBuf::from(format!("themes/default/templates/{name}")));
        Error::from(Diagnostic::file(Kind::Template, path, format!("template error while rendering `{name}`: {}", theme::chain(&e))).help("check the variables and filters the template uses (see the README's theme section)"))
    })
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
const CONTENT_MARK: &str = "\u{1}kyozai-content\u{1}";
const NAV_MARK: &str = "\u{1}kyozai-nav\u{1}";

/// `html` with each mark (a name between two U+0001) replaced by its text (given in pieces);
/// `None` unless the marks occur exactly once each, in order, and U+0001 nowhere else. One pass
/// over `html`.
pub(crate) fn fill(html: &str, parts: &[(&str, &[&str])]) -> Option<String> {
    let extra: usize = parts
        .iter()
        .flat_map(|(_, t)| t.iter())
        .map(|t| t.len())
        .sum();
    let mut out = String::with_capacity(html.len() + extra);
    let mut next = parts.iter();
    let mut rest = html;
    while let Some(at) = rest.find('\u{1}') {
        let (mark, text) = next.next()?;
        if !rest[at..].starts_with(mark) {
            return None;
        }
        out.push_str(&rest[..at]);
        text.iter().for_each(|t| out.push_str(t));
        rest = &rest[at + mark.len()..];
    }
    if next.next().is_some() {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

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
    let rest = if p.slug_path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", p.slug_path)
    };
    let path = format!("{lang}/{rest}");
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
            url: format!("{root}{}", nav::page_path(site, j, lang)),
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
        source_lang_name: nav::language_name(site.source_lang(), &ls.strings),
        nav: if splice {
            NAV_MARK.to_string()
        } else {
            sidebar.to_string()
        },
        breadcrumbs: nav::breadcrumbs(site, i, lang, &root, &ls.strings),
        prev,
        next,
        alternates: nav::alternates(site, lang, &rest, &root, &ls.strings),
        t: &ls.page_strings,
        scripts,
        sections,
        handout_url,
        slides_url,
        description: site.config.description.or(lang, site.source_lang()),
    };
    let tctx = tera::Context::from_serialize(&view)
        .map_err(|e| Error::Internal(format!("page view: {e}")))?;
    let mut html = render_template(theme, template, &tctx)?;
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
                render_template(theme, template, &tctx)?
            }
        };
    }
    let url_base = format!("{lang}/{rest}");
    let searchable = Searchable {
        lang: lang.to_string(),
        url: url_base,
        title: view.title.clone(),
        kind: crate::search::DocKind::Page,
        chunks: body.chunks,
    };
    Ok((
        OutputFile {
            path,
            bytes: html.into_bytes(),
        },
        searchable,
        body.html,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_filled_only_when_each_occurs_once_in_order() {
        let parts: [(&str, &[&str]); 2] =
            [(NAV_MARK, &["<nav", ">"]), (CONTENT_MARK, &["<p>x</p>"])];
        let html = format!("a{NAV_MARK}b{CONTENT_MARK}c");
        assert_eq!(fill(&html, &parts).as_deref(), Some("a<nav>b<p>x</p>c"));
        assert_eq!(fill(&format!("a{CONTENT_MARK}"), &parts), None);
        assert_eq!(
            fill(&format!("{NAV_MARK}{NAV_MARK}{CONTENT_MARK}"), &parts),
            None
        );
        assert_eq!(fill(&format!("{CONTENT_MARK}{NAV_MARK}"), &parts), None);
        assert_eq!(
            fill(&format!("{NAV_MARK}\u{1}{CONTENT_MARK}"), &parts),
            None
        );
        assert_eq!(fill("no marks", &[]).as_deref(), Some("no marks"));
    }
}
