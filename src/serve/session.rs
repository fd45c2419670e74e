//! The build state of one `kyozai serve` session: a full build at start and after structural
//! changes, an incremental rebuild when only the text of existing pages changed, and writing
//! only the output files whose bytes changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
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
    search: SearchEntries,
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
    /// Bumped to make a background write of the search indexes give up; held while that write
    /// puts its files in place, so that once bumped, the write never does.
    search_generation: Arc<Mutex<u64>>,
    /// The background write of the search indexes last started.
    search_write: Option<JoinHandle<()>>,
    /// Courses with more search entries than this write their indexes in the background.
    background_from: usize,
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
            search_write: None,
            background_from: BACKGROUND_SEARCH_FROM,
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
        self.stop_search_write();
        let stage = Stage::new(&self.out, &self.disk);
        let built = build_into(&self.root, &self.opts, &stage)?;
        let done = stage.commit()?;
        let (written, removed, css_only) = self.apply(done, true);
        self.state = Some(State {
            site: built.site,
            theme: built.theme,
            search: SearchEntries::new(built.output.search),
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

    /// Writes the search indexes if a rebuild left them stale; returns files written. On a large
    /// course the indexes are written on a background thread, so the next edit is not kept
    /// waiting: it gets the pages' texts as shared pointers, and gives up as soon as a newer
    /// rebuild starts (see [`Session::stop_search_write`]).
    pub fn finish(&mut self) -> Result<usize> {
        if !self.search_stale {
            return Ok(0);
        }
        self.search_stale = false;
        let Some(st) = &self.state else { return Ok(0) };
        if st.search.entries.len() <= self.background_from {
            let files = searchindex::render_indexes(&st.search.entries);
            return Ok(self.sync(files, false)?.0);
        }
        let search = st.search.entries.clone();
        // This write supersedes any earlier one.
        let generation = {
            let mut g = lock(&self.search_generation);
            *g += 1;
            *g
        };
        let current = self.search_generation.clone();
        let out = self.out.clone();
        self.search_write = Some(std::thread::spawn(move || {
            let unknown = HashMap::new();
            let stage = Current {
                stage: Stage::new(&out, &unknown),
                generation,
                current: &current,
            };
            if searchindex::write_indexes(&search, &stage).is_err() {
                return;
            }
            // The lock keeps a newer rebuild from starting to write until these are in place.
            let now = lock(&current);
            if *now == generation {
                let _ = stage.stage.commit();
            }
        }));
        // What is on disk for these files is no longer known here: the next full build rewrites them.
        self.disk.retain(|k, _| !k.starts_with("search/"));
        Ok(0)
    }

    /// Makes an unfinished background write of the search indexes give up, before a rebuild that
    /// changes what they are made of (and takes the CPU): the indexes are then stale until the
    /// next [`Session::finish`] (or full build) writes them.
    fn stop_search_write(&mut self) {
        if let Some(w) = self.search_write.take() {
            if !w.is_finished() {
                *lock(&self.search_generation) += 1;
                self.search_stale = true;
            }
        }
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
        self.stop_search_write();
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
        st.search.replace(searchables);
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

/// Locks the search-index generation (a write that panicked while holding it cannot have left
/// the number half changed).
fn lock(generation: &Mutex<u64>) -> std::sync::MutexGuard<'_, u64> {
    generation
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A [`Stage`] for a background write of the search indexes that refuses every file once a
/// newer rebuild has bumped the generation, so that the write gives up.
struct Current<'a> {
    stage: Stage<'a>,
    generation: u64,
    current: &'a Mutex<u64>,
}

impl Sink for Current<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        if *lock(self.current) != self.generation {
            return Err(crate::error::Error::Internal(
                "a newer rebuild writes the search indexes".into(),
            ));
        }
        self.stage.put(file)
    }
}

/// Every page's searchable text, in the order a build gives it, shared with the background
/// writes of the search indexes (each takes a copy of the pointers, not of the text) and found
/// by language and URL.
struct SearchEntries {
    entries: Vec<Arc<Searchable>>,
    /// The place in `entries` of the first entry of each language and URL.
    at: HashMap<(String, String), usize>,
}

impl SearchEntries {
    fn new(search: Vec<Searchable>) -> SearchEntries {
        let mut at = HashMap::with_capacity(search.len());
        for (k, s) in search.iter().enumerate() {
            at.entry((s.lang.clone(), s.url.clone())).or_insert(k);
        }
        SearchEntries {
            entries: search.into_iter().map(Arc::new).collect(),
            at,
        }
    }

    /// Puts each of `new` in the place of the entry of the same language and URL, or after the
    /// others when there is none.
    fn replace(&mut self, new: Vec<Searchable>) {
        for s in new {
            let key = (s.lang.clone(), s.url.clone());
            match self.at.get(&key) {
                Some(&k) => self.entries[k] = Arc::new(s),
                None => {
                    self.at.insert(key, self.entries.len());
                    self.entries.push(Arc::new(s));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::DocKind;
    use std::collections::BTreeMap;

    const COURSE: &[(&str, &str)] = &[
        ("kyozai.toml", "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"テスト講座\"\nen = \"Test course\"\n"),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\nようこそ。\n"),
        ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n"),
        ("content/01-intro/_index.ja.md", "+++\ntitle = \"はじめに\"\n+++\n章の本文。\n"),
        ("content/01-intro/_index.en.md", "+++\ntitle = \"Introduction\"\n+++\nChapter body.\n"),
        ("content/01-intro/01-first.ja.md", "+++\ntitle = \"最初の節\"\n+++\n本文です。\n"),
        ("content/01-intro/01-first.en.md", "+++\ntitle = \"First section\"\n+++\nBody.\n"),
    ];

    fn entry(lang: &str, url: &str, title: &str) -> Searchable {
        Searchable {
            lang: lang.into(),
            url: url.into(),
            title: title.into(),
            kind: DocKind::Page,
            chunks: Vec::new(),
        }
    }

    fn titles(s: &SearchEntries) -> Vec<&str> {
        s.entries.iter().map(|e| e.title.as_str()).collect()
    }

    /// The files below `dir`, by `/`-separated path.
    fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn replaced_entries_keep_their_place_and_new_ones_follow() {
        let mut s = SearchEntries::new(vec![
            entry("en", "a/", "a"),
            entry("ja", "a/", "a ja"),
            entry("en", "b/", "b"),
        ]);
        let shared = s.entries.clone();
        s.replace(vec![
            entry("en", "b/", "b2"),
            entry("en", "c/", "c"),
            entry("ja", "a/", "a ja 2"),
            entry("en", "c/", "c2"),
        ]);
        assert_eq!(titles(&s), ["a", "a ja 2", "b2", "c2"]);
        // A copy handed over earlier still sees the texts it was given.
        let old: Vec<&str> = shared.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(old, ["a", "a ja", "b"]);
    }

    #[test]
    fn a_superseded_index_write_gives_up_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let unknown = HashMap::new();
        let current = Mutex::new(1);
        let stage = Current {
            stage: Stage::new(dir.path(), &unknown),
            generation: 0,
            current: &current,
        };
        let search = vec![Arc::new(entry("en", "a/", "a"))];
        assert!(searchindex::write_indexes(&search, &stage).is_err());
        assert!(stage.stage.commit().unwrap().is_empty());
        assert!(files_under(dir.path()).is_empty());
    }

    #[test]
    fn indexes_written_in_the_background_end_as_a_fresh_build() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("course");
        for (p, t) in COURSE {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let opts = Options {
            drafts: true,
            base_path: None,
        };
        let out = dir.path().join("out");
        let mut session = Session::new(&root, opts.clone(), &out);
        session.background_from = 0;
        session.full().unwrap();
        let page = Path::new("content/01-intro/01-first.en.md");
        let change = Change {
            kind: ChangeKind::Markdown,
            rel: page.to_path_buf(),
        };
        // Each edit comes while the indexes of the one before may still be being written.
        for i in 0..4 {
            std::fs::write(
                root.join(page),
                format!("+++\ntitle = \"First section\"\n+++\nEdit number {i}.\n"),
            )
            .unwrap();
            assert!(
                session
                    .rebuild(std::slice::from_ref(&change))
                    .unwrap()
                    .incremental
            );
            assert_eq!(session.finish().unwrap(), 0);
            assert!(session.search_write.is_some());
        }
        session.search_write.take().unwrap().join().unwrap();
        let fresh: BTreeMap<String, Vec<u8>> = crate::build::build(&root, &opts)
            .unwrap()
            .output
            .files
            .into_iter()
            .filter(|f| f.path.starts_with("search/"))
            .map(|f| (f.path, f.bytes))
            .collect();
        let served: BTreeMap<String, Vec<u8>> = files_under(&out)
            .into_iter()
            .filter(|(k, _)| k.starts_with("search/"))
            .collect();
        assert!(fresh
            .values()
            .any(|js| String::from_utf8_lossy(js).contains("Edit number 3")));
        assert_eq!(served, fresh);
    }
}
