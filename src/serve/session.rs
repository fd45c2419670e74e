//! The build state of one `kyozai serve` session: a full build at start and after structural
//! changes, an incremental rebuild when only the text of existing pages changed, and writing
//! only the output files whose bytes changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::stage::{Stage, Staged};
use super::watch::{Change, ChangeKind};
use crate::build::{build_into, Options};
use crate::error::Result;
use crate::render::nav::NavCache;
use crate::render::theme::Theme;
use crate::render::{
    handouts, lang_states, render_page, searchindex, OutputFile, Searchable, Sink,
};
use crate::site::{Site, Update};

/// What a rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Output files written (changed or new).
    pub written: usize,
    /// Output files removed.
    pub removed: usize,
    /// Only stylesheets changed: browsers can swap them without reloading.
    pub css_only: bool,
    /// Whether only the edited pages were rendered.
    pub incremental: bool,
    /// Milliseconds from the start of the rebuild to the files being on disk.
    pub millis: f64,
}

struct State {
    site: Site,
    theme: Theme,
    search: Vec<Searchable>,
}

/// A serving session's build state and output folder.
pub struct Session {
    root: PathBuf,
    opts: Options,
    out: PathBuf,
    state: Option<State>,
    disk: HashMap<String, u64>,
    /// The search indexes wait until after the reload event for incremental rebuilds.
    search_stale: bool,
    /// Bumped by every search-index write, so a stale background write gives up.
    search_generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The last rebuild failed: the next one is a full build, so that every problem still in
    /// the course is found again and nothing edited meanwhile is left unrendered.
    failed: bool,
}

/// Courses with more search entries than this rebuild their indexes in the background.
const BACKGROUND_SEARCH_FROM: usize = 5_000;

impl Session {
    /// A session that writes the course in `root` into `out`.
    pub fn new(root: &Path, opts: Options, out: &Path) -> Session {
        Session {
            root: root.to_path_buf(),
            opts,
            out: out.to_path_buf(),
            state: None,
            disk: HashMap::new(),
            search_stale: false,
            search_generation: Default::default(),
            failed: false,
        }
    }

    /// The folder being served.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The theme of the last good build, if there was one.
    pub fn theme(&self) -> Option<&Theme> {
        self.state.as_ref().map(|st| &st.theme)
    }

    /// Rebuilds after `changes` (all of them when empty or when the structure may have changed).
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Report> {
        let start = Instant::now();
        let result = match if self.failed {
            None
        } else {
            self.incremental(changes)
        } {
            Some(r) => r,
            None => self.full(),
        };
        self.failed = result.is_err();
        let mut report = result?;
        report.millis = start.elapsed().as_secs_f64() * 1000.0;
        Ok(report)
    }

    /// A full build, writing what differs from the files on disk as it is rendered (and putting
    /// it in place once the whole build succeeded).
    pub fn full(&mut self) -> Result<Report> {
        let stage = Stage::new(&self.out, &self.disk);
        let built = build_into(&self.root, &self.opts, &stage)?;
        let done = stage.commit()?;
        self.search_generation.fetch_add(1, Ordering::SeqCst);
        let (written, removed, css_only) = self.apply(done, true);
        self.state = Some(State {
            site: built.site,
            theme: built.theme,
            search: built.output.search,
        });
        self.search_stale = false;
        Ok(Report {
            written,
            removed,
            css_only,
            incremental: false,
            millis: 0.0,
        })
    }

    /// Writes the search indexes if an incremental rebuild left them stale; returns files written.
    /// On a large course the indexes are rebuilt on a background thread, so the next edit is not
    /// kept waiting; a newer rebuild makes an older, unfinished one give up.
    pub fn finish(&mut self) -> Result<usize> {
        if !self.search_stale {
            return Ok(0);
        }
        self.search_stale = false;
        let Some(st) = &self.state else { return Ok(0) };
        if st.search.len() <= BACKGROUND_SEARCH_FROM {
            let files = searchindex::render_indexes(&st.search);
            return Ok(self.sync(files, false)?.0);
        }
        let search = st.search.clone();
        let generation = self.search_generation.fetch_add(1, Ordering::SeqCst) + 1;
        let current = self.search_generation.clone();
        let out = self.out.clone();
        std::thread::spawn(move || {
            let unknown = HashMap::new();
            let stage = Stage::new(&out, &unknown);
            for f in searchindex::render_indexes(&search) {
                if current.load(Ordering::SeqCst) != generation || stage.put(f).is_err() {
                    return;
                }
            }
            // A newer rebuild writes the indexes itself: this one gives up.
            if current.load(Ordering::SeqCst) == generation {
                let _ = stage.commit();
            }
        });
        // What is on disk for these files is no longer known here: the next full build rewrites them.
        self.disk.retain(|k, _| !k.starts_with("search/"));
        Ok(0)
    }

    /// Re-renders only the edited pages when every change is the body of an existing page whose
    /// front matter and directives did not change; `None` when a full build is needed.
    fn incremental(&mut self, changes: &[Change]) -> Option<Result<Report>> {
        let st = self.state.as_mut()?;
        // Editors' temporary files come and go between events: a path that no longer exists and
        // that the site never knew is not a change.
        let known = |rel: &Path| {
            st.site.page_by_file(rel).is_some()
                || st
                    .site
                    .assets
                    .iter()
                    .any(|a| Path::new("content").join(&a.rel) == rel)
                || st.site.data.files.iter().any(|f| f.path == rel)
        };
        let changes: Vec<&Change> = changes
            .iter()
            .filter(|c| {
                self.root.join(&c.rel).exists()
                    || known(&c.rel)
                    || c.kind == ChangeKind::Config
                    || c.kind == ChangeKind::Theme
            })
            .collect();
        if changes.is_empty() {
            return Some(Ok(Report::default()));
        }
        if changes.len() > 16 {
            return None;
        }
        if changes.iter().all(|c| c.kind == ChangeKind::Data) {
            return self.data_edit(&changes);
        }
        if changes.iter().any(|c| c.kind != ChangeKind::Markdown) {
            return None;
        }
        let mut files = Vec::with_capacity(changes.len());
        for c in changes {
            if !self.root.join(&c.rel).is_file() {
                return None;
            }
            st.site.page_by_file(&c.rel)?;
            match crate::load::read_markdown(&self.root, &st.site.config, &c.rel) {
                Ok(m) => files.push(m),
                Err(d) => return Some(Err(d.into())),
            }
        }
        match st.site.update_pages(files) {
            Ok(Update::Applied(pages)) => Some(self.render_pages(&pages, false)),
            Ok(Update::Structural) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Re-renders what embeds the edited data files when the site can take them in place (case,
    /// checklist or list files that keep their ids, so no page appears or disappears): the pages
    /// whose directives use them, the library pages and the handouts holding those pages. `None`
    /// when a full build is needed.
    fn data_edit(&mut self, changes: &[&Change]) -> Option<Result<Report>> {
        let st = self.state.as_mut()?;
        let mut files = Vec::with_capacity(changes.len());
        for c in changes {
            if !st.site.updatable_data(&c.rel) || !self.root.join(&c.rel).is_file() {
                return None;
            }
            match crate::load::read_data(&self.root, &st.site.config, &c.rel) {
                Ok(d) => files.push(d),
                Err(d) => return Some(Err(d.into())),
            }
        }
        match st.site.update_data(files) {
            Ok(Update::Applied(pages)) => Some(self.render_pages(&pages, true)),
            Ok(Update::Structural) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Re-renders `pages` in every language and the handouts and slide decks holding them; with `library`, also
    /// every library page (case studies, checklists, glossary) and the handouts drawn from data.
    /// Writes what changed in one step.
    fn render_pages(&mut self, pages: &BTreeSet<usize>, library: bool) -> Result<Report> {
        let st = self.state.as_mut().expect("state checked by the caller");
        let containing: HashSet<usize> = pages.iter().copied().collect();
        let langs = lang_states(&st.site, &st.theme);
        let nav = NavCache::default();
        let mut files: Vec<OutputFile> = Vec::new();
        let mut searchables: Vec<Searchable> = Vec::new();
        for ls in &langs {
            // A new text changes the edition, which only the progress data holds; the progress
            // pages show data (a checklist's title), which a data edit may change.
            if library {
                files.extend(crate::render::progress::render(
                    &st.site, &st.theme, &nav, ls,
                )?);
            } else {
                files.push(crate::render::progress::data_script(&st.site, ls));
            }
        }
        for &i in pages {
            for ls in &langs {
                let (f, s) = render_page(&st.site, &st.theme, &nav, i, ls)?;
                files.push(f);
                searchables.push(s);
            }
        }
        files.extend(handouts::render_containing(
            &st.site,
            &st.theme,
            &langs,
            &containing,
        )?);
        // The decks of the edited pages' chapters (a reload keeps the slide in the URL).
        files.extend(crate::render::slides::render_containing(
            &st.site,
            &st.theme,
            &langs,
            &containing,
        )?);
        if library {
            for ls in &langs {
                let lib = crate::render::library::render(&st.site, &st.theme, &nav, ls)?;
                files.extend(lib.files);
                searchables.extend(lib.search);
            }
            // Worksheets and cards print checklists and lists.
            files.extend(handouts::render_data(&st.site, &st.theme, &langs)?);
        }
        replace_search(&mut st.search, searchables);
        drop(langs);
        let (written, removed, css_only) = self.sync(files, false)?;
        self.search_stale = true;
        Ok(Report {
            written,
            removed,
            css_only,
            incremental: true,
            millis: 0.0,
        })
    }

    /// Writes the files whose bytes differ from what is on disk, through a [`Stage`]; with
    /// `complete`, removes every file the build no longer produces. Returns (written, removed,
    /// only stylesheets changed).
    fn sync(&mut self, files: Vec<OutputFile>, complete: bool) -> Result<(usize, usize, bool)> {
        let stage = Stage::new(&self.out, &self.disk);
        for f in files {
            stage.put(f)?;
        }
        let done = stage.commit()?;
        Ok(self.apply(done, complete))
    }

    /// Records the files a rebuild put in place; with `complete` (a full build), removes every
    /// file it no longer produces. Returns (written, removed, only stylesheets changed).
    fn apply(&mut self, done: Vec<Staged>, complete: bool) -> (usize, usize, bool) {
        let mut written = 0;
        let mut css_only = true;
        let mut seen = HashSet::new();
        for s in done {
            if s.written() {
                written += 1;
                css_only &= s.path.ends_with(".css");
            }
            self.disk.insert(s.path.clone(), s.digest);
            if complete {
                seen.insert(s.path);
            }
        }
        let mut removed = 0;
        if complete {
            let gone: Vec<String> = self
                .disk
                .keys()
                .filter(|k| !seen.contains(*k))
                .cloned()
                .collect();
            for g in gone {
                super::stage::remove(&self.out, &g);
                self.disk.remove(&g);
                removed += 1;
            }
            if removed > 0 {
                css_only = false;
            }
        }
        (written, removed, css_only && written > 0)
    }
}

/// Puts each of `new` in the place of the entry of the same language and URL in `search`.
fn replace_search(search: &mut Vec<Searchable>, new: Vec<Searchable>) {
    for s in new {
        match search
            .iter_mut()
            .find(|x| x.lang == s.lang && x.url == s.url)
        {
            Some(slot) => *slot = s,
            None => search.push(s),
        }
    }
}
