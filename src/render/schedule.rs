//! The render stage's order of work over the whole site: which files are made, in which order,
//! and each handed to the sink as soon as it is made — the pages in groups (a chapter with its
//! sections, then its handout) on every core while the search index is built beside them, then
//! the library pages, handouts, slides, the theme's static files and the course's assets.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::nav::NavCache;
use super::page::render_page_with_body;
use super::theme::Theme;
use super::{
    handouts, lang_states, library, progress, quizzes, searchindex, slides, LangState, Output,
    Searchable,
};
use crate::error::{Error, Result};
use crate::output::{Collect, OutputFile, Sink};
use crate::site::{PageKind, Site};

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
    let lap = crate::timing::lap;
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
    let progress = progress_pages(site, theme, &nav, &langs, sink)?;
    lap("progress");
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
        let pages: usize = groups.iter().map(Vec::len).sum::<usize>() + progress;
        let mut pages_of: BTreeMap<String, usize> = langs
            .iter()
            .map(|ls| (ls.lang.to_string(), pages))
            .collect();
        let rest = done.and_then(|_| {
            lap("pages");
            generated(site, theme, &nav, &langs, sink, &index, &mut pages_of)?;
            lap("library");
            // The site-wide files (the sitemap lists every page) after the generated pages, so
            // that the lists of every page they each hold are not held at once.
            library::site_files(site, theme, &langs, sink)?;
            lap("site files");
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

/// The generated pages of every language (the libraries, the knowledge checks), put
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
    }
    Ok(())
}

/// The progress and certificate pages and the progress data of every language, put into `sink`;
/// returns how many pages that is per language (every language has the same). Made before the
/// course's pages: the progress page lists every page, and the list is best held while little
/// else is.
fn progress_pages(
    site: &Site,
    theme: &Theme,
    nav: &NavCache,
    langs: &[LangState],
    sink: &dyn Sink,
) -> Result<usize> {
    let mut pages = 0;
    for ls in langs {
        let files = progress::render(site, theme, nav, ls)?;
        pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        files.into_iter().try_for_each(|f| sink.put(f))?;
    }
    Ok(pages)
}
