//! The `Site` stage: the checked course model built from what [`crate::load`] read — languages,
//! the ordered and numbered pages with their translations, the validated data, and which source
//! files each page depends on.

pub mod completion;
pub mod countries;
pub mod data;
pub mod data_links;
pub mod edition;
pub mod forms;
pub mod generated;
pub mod links;
pub mod quiz;
mod update;
mod variants;

use crate::kind::Kind;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics, Result};
use crate::load::frontmatter::FrontMatter;
use crate::load::{Asset, Loaded, MdFile};
use crate::markdown::parse::{Directive, Doc};
use crate::text::strip_order_prefix;
pub use data::Data;
pub use update::Update;
pub use variants::Variants;

/// What a page is in the course's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The course home (`content/_index.LANG.md`).
    Home,
    /// A page outside the chapters (opening, closing).
    Page,
    /// A chapter (`content/NN-name/_index.LANG.md`).
    Chapter,
    /// A section of a chapter.
    Section,
}

/// One language version of a page, as written.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Markdown file, relative to the course.
    pub file: PathBuf,
    /// Its whole text.
    pub text: std::sync::Arc<str>,
    /// Its front matter.
    pub front: FrontMatter,
    /// Its body, parsed.
    pub doc: Doc,
    /// Byte offset of the body in `text` (after the front matter).
    pub body_offset: usize,
}

impl Variant {
    /// The Markdown body as written (after the front matter).
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// A page of the course in every language.
#[derive(Debug, Clone)]
pub struct Page {
    /// Home, stand-alone page, chapter or section.
    pub kind: PageKind,
    /// Folder relative to `content/` plus stem: identifies the page across languages.
    pub key: PathBuf,
    /// URL path below the language folder: `awareness/vendors`, empty for the home.
    pub slug_path: String,
    /// `1` for a chapter, `1-4` for a section.
    pub number: Option<String>,
    /// Index (in [`Site::pages`]) of the chapter a section belongs to.
    pub chapter: Option<usize>,
    /// Index of each section, for chapters.
    pub sections: Vec<usize>,
    /// Language → the version written in it.
    pub variants: Variants,
}

/// The checked course.
#[derive(Debug, Clone)]
pub struct Site {
    /// The course folder.
    pub root: PathBuf,
    /// `kyozai.toml`.
    pub config: Config,
    /// In reading order: the home first, then top-level pages and chapters by weight, each
    /// chapter followed by its sections.
    pub pages: Vec<Page>,
    /// The structured data, checked.
    pub data: Data,
    /// Images and other files copied as they are.
    pub assets: Vec<Asset>,
    /// Problems that do not stop the build (missing translations, gaps in data).
    pub warnings: Vec<Diagnostic>,
    /// For the record: what kyozai did for the author (a home page made from the configuration).
    pub notes: Vec<Diagnostic>,
    /// Whether drafts were kept.
    pub drafts: bool,
    /// Page key → index in `pages`, for link resolution in constant time.
    pub keys: HashMap<PathBuf, usize>,
    /// The course's stable id (`id` in `kyozai.toml`).
    pub course_id: String,
    /// A hash of the course's text: which version of the course a completion record is for.
    pub edition: String,
    /// The digests it is made of, updated file by file after an edit.
    pub sources: edition::Edition,
    /// What completes the course, when `kyozai.toml` says.
    pub completion: Option<completion::Rule>,
    /// Language → its forms (own name, chapter number), from the theme's UI strings: empty until
    /// the theme is loaded (see `build::load_and_check`).
    pub forms: BTreeMap<String, forms::Forms>,
}

/// Which pages' own checks [`Site::check`] runs: the directives and links written in them.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    /// Every page.
    All,
    /// Only these (the others did not change, and nothing they point to did).
    Pages(&'a BTreeSet<usize>),
}

/// Names reserved for generated pages in each language folder.
pub const RESERVED: &[&str] = &[
    "cases",
    "glossary",
    "checklists",
    "roster",
    "handouts",
    "slides",
    "search",
    "static",
    "media",
    "print",
    "quizzes",
    "progress",
];

impl Site {
    /// The edition's digests of every text the site holds (every page built, every data file).
    fn edition_sources(&self) -> edition::Edition {
        let pages = self
            .pages
            .iter()
            .flat_map(|p| p.variants.values())
            .map(|v| (v.file.as_path(), &*v.text));
        let data = self
            .data
            .files
            .iter()
            .map(|d| (d.path.as_path(), d.text.as_str()));
        edition::Edition::new(&self.config, pages.chain(data))
    }

    /// Builds and checks the course model.
    pub fn new(loaded: Loaded, drafts: bool) -> Result<Site> {
        let Loaded {
            root,
            config,
            pages: files,
            data: data_files,
            assets,
            directives: _,
        } = loaded;
        let mut diags = Diagnostics::default();
        let mut warnings = Vec::new();
        let src = config.source_language.clone();

        // Group the files by page (boxed: a map's node has room for eleven of them).
        let mut groups: BTreeMap<PathBuf, BTreeMap<String, Box<MdFile>>> = BTreeMap::new();
        for f in files {
            let key = f.dir.join(&f.stem);
            groups
                .entry(key)
                .or_default()
                .insert(f.lang.clone(), Box::new(f));
        }
        let mut drafts_left = BTreeSet::new();
        let mut raw: Vec<Page> = Vec::new();
        for (key, mut langs) in groups {
            let Some(source) = langs.get(&src) else {
                let (lang, f) = langs.iter().next().expect("a group has at least one file");
                diags.push(
                    Diagnostic::file(
                        Kind::MissingTranslation,
                        &f.rel,
                        format!("this {lang} page has no {src} source"),
                    )
                    .help(format!(
                        "add {}.{src}.md, the source-language version",
                        f.stem
                    )),
                );
                continue;
            };
            if source.front.draft && !drafts {
                drafts_left.insert(key.clone());
                continue;
            }
            let depth = key.components().count();
            let stem = source.stem.clone();
            let kind = match (depth, stem == "_index") {
                (1, true) => PageKind::Home,
                (1, false) => PageKind::Page,
                (2, true) => PageKind::Chapter,
                (2, false) => PageKind::Section,
                _ => {
                    diags.push(
                        Diagnostic::file(
                            Kind::InvalidSource,
                            &source.rel,
                            "pages may only be one folder deep (content/CHAPTER/SECTION.LANG.md)",
                        )
                        .help("move this page into a chapter folder"),
                    );
                    continue;
                }
            };
            langs.retain(|_, f| !f.front.draft || drafts);
            let variants = langs
                .into_iter()
                .map(|(l, f)| {
                    let f = *f;
                    (
                        l,
                        Variant {
                            file: f.rel,
                            text: f.text,
                            front: f.front,
                            doc: f.doc,
                            body_offset: f.body_offset,
                        },
                    )
                })
                .collect();
            raw.push(Page {
                kind,
                key,
                slug_path: String::new(),
                number: None,
                chapter: None,
                sections: vec![],
                variants,
            });
        }

        // Every section needs its chapter: the sections of a draft chapter are left out with it,
        // and a folder without a chapter page gets one titled after the folder.
        let chapter_dirs: BTreeSet<PathBuf> = raw
            .iter()
            .filter(|p| p.kind == PageKind::Chapter)
            .map(|p| p.key.parent().unwrap_or(Path::new("")).to_path_buf())
            .collect();
        raw.retain(|p| {
            p.kind != PageKind::Section
                || !drafts_left.contains(&p.key.parent().unwrap_or(Path::new("")).join("_index"))
        });
        let mut notes = Vec::new();
        let missing: BTreeSet<PathBuf> = raw
            .iter()
            .filter(|p| p.kind == PageKind::Section)
            .map(|p| p.key.parent().unwrap_or(Path::new("")).to_path_buf())
            .filter(|d| !chapter_dirs.contains(d))
            .collect();
        for dir in missing {
            if let Some((page, warning)) = diags.take(generated::chapter(&config, &dir)) {
                raw.push(page);
                warnings.push(warning);
            }
        }
        if !raw.iter().any(|p| p.kind == PageKind::Home) {
            if let Some((page, note)) = diags.take(generated::home(&config)) {
                raw.push(page);
                notes.push(note);
            }
        }

        // Order and number.
        let pages = order(raw, &src, &mut diags);

        // Missing translations.
        for p in &pages {
            for lang in &config.languages {
                if !p.variants.contains_key(lang) {
                    let v = &p.variants[&src];
                    let stem = p
                        .key
                        .file_name()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    warnings.push(Diagnostic::file(Kind::MissingTranslation, &v.file, format!("no {lang} translation: the {lang} page shows the {src} text under a notice")).help(format!("add {stem}.{lang}.md beside it")));
                }
            }
        }

        let data = data::Data::new(&config, data_files, &mut diags, &mut warnings);
        let keys = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), i))
            .collect();
        let mut site = Site {
            root,
            config,
            pages,
            data,
            assets,
            warnings,
            notes,
            drafts,
            keys,
            course_id: String::new(),
            edition: String::new(),
            sources: edition::Edition::default(),
            completion: None,
            forms: BTreeMap::new(),
        };
        site.course_id = site.config.course_id();
        site.sources = site.edition_sources();
        site.edition = site.sources.value();
        let checklists: Vec<&str> = site
            .data
            .checklists
            .iter()
            .map(|c| c.data.id.as_str())
            .collect();
        let quiz_ids: Vec<String> = site
            .data
            .quizzes
            .iter()
            .map(|q| q.data.id.clone())
            .collect();
        match completion::rule(&site.config, &checklists, Some(&quiz_ids)) {
            Ok(r) => site.completion = r,
            Err(e) => e.into_iter().for_each(|d| diags.push(d)),
        }
        site.check(Scope::All, &mut diags);
        let mut w = std::mem::take(&mut site.warnings);
        links::check_images(&site, &mut w);
        site.warnings = w;
        diags.finish()?;
        Ok(site)
    }

    /// The site's languages, source first.
    pub fn languages(&self) -> Vec<&str> {
        let mut v: Vec<&str> = vec![self.config.source_language.as_str()];
        v.extend(
            self.config
                .languages
                .iter()
                .map(String::as_str)
                .filter(|l| *l != self.config.source_language),
        );
        v
    }

    /// The source language.
    pub fn source_lang(&self) -> &str {
        &self.config.source_language
    }

    /// Chapter `n`'s number in `lang`: `第1章`, `Chapter 1`.
    pub fn chapter_number(&self, lang: &str, n: &str) -> String {
        forms::chapter_number(self.forms.get(lang).map(|f| f.chapter_number.as_str()), n)
    }

    /// `lang`'s own name (its code when the theme does not name it).
    pub fn language_name(&self, lang: &str) -> String {
        self.forms
            .get(lang)
            .map(|f| f.name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| lang.to_string())
    }

    /// The version of `page` shown in `lang`, and whether it is the untranslated source.
    pub fn variant<'a>(&'a self, page: &'a Page, lang: &str) -> (&'a Variant, bool) {
        match page.variants.get(lang) {
            Some(v) => (v, false),
            None => (&page.variants[self.source_lang()], true),
        }
    }

    /// The language `page`'s text shown in `lang` is written in: `lang` itself, or the source
    /// language when the page has no `lang` translation. Links on the page are resolved in it.
    pub fn written_lang<'a>(&'a self, page: &Page, lang: &'a str) -> &'a str {
        if page.variants.contains_key(lang) {
            lang
        } else {
            self.source_lang()
        }
    }

    /// Finds the page whose source file (any language) is `rel` (relative to the course).
    pub fn page_by_file(&self, rel: &Path) -> Option<usize> {
        self.pages
            .iter()
            .position(|p| p.variants.values().any(|v| v.file == rel))
    }

    /// Finds the page with the key (folder/stem relative to `content/`).
    pub fn page_by_key(&self, key: &Path) -> Option<usize> {
        self.keys.get(key).copied()
    }

    /// The source files and data files the page's output depends on, beyond its own Markdown:
    /// the data it embeds and the glossary that marks its terms.
    pub fn dependencies(&self, page: usize) -> BTreeSet<PathBuf> {
        let p = &self.pages[page];
        let mut deps: BTreeSet<PathBuf> = p.variants.values().map(|v| v.file.clone()).collect();
        for v in p.variants.values() {
            for (d, _) in v.doc.directives() {
                match d {
                    Directive::Cases(_) => {
                        deps.extend(self.data.files_of_kind(crate::load::data::DataKind::Cases))
                    }
                    Directive::Checklist(id) | Directive::Matrix(id) | Directive::Groups(id) => {
                        deps.extend(self.data.checklist(id).map(|c| c.file.clone()))
                    }
                    Directive::List(id) | Directive::Flow(id) => {
                        deps.extend(self.data.lists.get(id).map(|l| l.file.clone()))
                    }
                    Directive::Quiz(id) => {
                        let q = self.data.quiz(id);
                        deps.extend(q.map(|q| q.file.clone()));
                        // The review links name other pages' titles.
                        for qu in q.iter().flat_map(|q| &q.data.questions) {
                            let target = qu.review.as_deref().and_then(|r| {
                                quiz::review_target(self, self.source_lang(), r).ok()
                            });
                            if let Some((j, _)) = target {
                                deps.extend(
                                    self.pages[j].variants.values().map(|v| v.file.clone()),
                                );
                            }
                        }
                    }
                    Directive::Callout { .. }
                    | Directive::Block { .. }
                    | Directive::Custom { .. } => {}
                }
            }
        }
        deps.extend(
            self.data
                .files_of_kind(crate::load::data::DataKind::Glossary),
        );
        deps
    }

    /// The checks of the course model as a whole, which [`Site::new`] runs and every update
    /// ([`Site::update_pages`], [`Site::update_data`]) runs again: the pages' URLs, the data the
    /// directives name, the quizzes' review links and the links between pages (those written in
    /// the pages of `scope`). The URLs come from front matter and file names, which an update of
    /// some pages' texts leaves as they were: only a check of every page looks at them.
    fn check(&self, scope: Scope, diags: &mut Diagnostics) {
        match scope {
            Scope::All => {
                self.check_slugs(diags);
                self.check_directives(diags);
                quiz::check_reviews(self, diags);
                links::check(self, diags, &mut Vec::new());
            }
            Scope::Pages(pages) => {
                self.check_directives_of(pages.iter().copied(), diags);
                quiz::check_reviews(self, diags);
                links::check_pages(self, pages.iter().copied(), diags);
            }
        }
    }

    fn check_slugs(&self, diags: &mut Diagnostics) {
        let mut seen: HashMap<&str, &Path> = HashMap::new();
        for p in &self.pages {
            let v = &p.variants[self.source_lang()];
            let first = p.slug_path.split('/').next().unwrap_or("");
            if p.kind != PageKind::Home
                && (RESERVED.contains(&first) || self.config.languages.iter().any(|l| l == first))
                && p.kind != PageKind::Section
            {
                diags.push(
                    Diagnostic::file(
                        Kind::InvalidSource,
                        &v.file,
                        format!("the URL `{first}/` is reserved for kyozai's own pages"),
                    )
                    .help("give the page another file name or a `slug`"),
                );
            }
            if let Some(other) = seen.insert(&p.slug_path, &v.file) {
                diags.push(
                    Diagnostic::file(
                        Kind::Duplicate,
                        &v.file,
                        format!(
                            "two pages would be written to the same URL `{}/`: this one and {}",
                            p.slug_path,
                            other.display()
                        ),
                    )
                    .help("rename one of them or give it another `slug`"),
                );
            }
        }
    }

    /// Checks that every directive names data that exists.
    pub fn check_directives(&self, diags: &mut Diagnostics) {
        self.check_directives_of(0..self.pages.len(), diags);
    }

    /// Checks that every directive of `pages` names data that exists.
    fn check_directives_of(&self, pages: impl IntoIterator<Item = usize>, diags: &mut Diagnostics) {
        for p in pages.into_iter().map(|i| &self.pages[i]) {
            for v in p.variants.values() {
                for (d, pos) in v.doc.directives() {
                    if let Err((kind, m, h)) = self.data.check_directive(d) {
                        diags.push(
                            Diagnostic::at_line(kind, &v.file, &v.text, pos.line, pos.column, m)
                                .help(h),
                        );
                    }
                }
            }
        }
    }
}

/// Sorts pages by weight then file name, checks weights, assigns slugs and numbers.
fn order(raw: Vec<Page>, src: &str, diags: &mut Diagnostics) -> Vec<Page> {
    let sort_key = |p: &Page| {
        let v = &p.variants[src];
        let name = if p.kind == PageKind::Chapter {
            p.key.parent().and_then(Path::file_name)
        } else {
            p.key.file_name()
        };
        (
            v.front.weight.unwrap_or(i64::MAX),
            name.map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    let mut home = None;
    let mut top: Vec<Page> = Vec::new();
    let mut sections: BTreeMap<PathBuf, Vec<Page>> = BTreeMap::new();
    for p in raw {
        match p.kind {
            PageKind::Home => home = Some(p),
            PageKind::Page | PageKind::Chapter => top.push(p),
            PageKind::Section => sections
                .entry(p.key.parent().unwrap_or(Path::new("")).to_path_buf())
                .or_default()
                .push(p),
        }
    }
    let check_weights = |list: &[Page], diags: &mut Diagnostics| {
        let mut seen: HashMap<i64, &Path> = HashMap::new();
        for p in list {
            let v = &p.variants[src];
            if let Some(w) = v.front.weight {
                if let Some(other) = seen.insert(w, &v.file) {
                    let off = v.text.find("weight").unwrap_or(0);
                    diags.push(Diagnostic::at(Kind::Duplicate, &v.file, &v.text, off, format!("weight {w} is also used by {}", other.display())).help("give sibling pages different weights, or leave weight out to order by file name"));
                }
            }
        }
    };
    top.sort_by_key(sort_key);
    check_weights(&top, diags);
    let mut out = Vec::new();
    if let Some(mut h) = home {
        h.slug_path = String::new();
        out.push(h);
    }
    let slug_of = |p: &Page| {
        let v = &p.variants[src];
        v.front.slug.clone().unwrap_or_else(|| {
            let name = if p.kind == PageKind::Chapter {
                p.key.parent().and_then(Path::file_name)
            } else {
                p.key.file_name()
            };
            strip_order_prefix(
                &name
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
            .to_string()
        })
    };
    let mut chapter_no = 0;
    for mut p in top {
        let slug = slug_of(&p);
        p.slug_path = slug.clone();
        if p.kind == PageKind::Chapter {
            chapter_no += 1;
            p.number = Some(chapter_no.to_string());
            let dir = p.key.parent().unwrap_or(Path::new("")).to_path_buf();
            let mut secs = sections.remove(&dir).unwrap_or_default();
            secs.sort_by_key(sort_key);
            check_weights(&secs, diags);
            let chapter_index = out.len();
            out.push(p);
            for (i, mut s) in secs.into_iter().enumerate() {
                s.slug_path = format!("{slug}/{}", slug_of(&s));
                s.number = Some(format!("{chapter_no}-{}", i + 1));
                s.chapter = Some(chapter_index);
                let idx = out.len();
                out[chapter_index].sections.push(idx);
                out.push(s);
            }
        } else {
            out.push(p);
        }
    }
    out
}
