//! Updating a checked [`Site`] in place after an edit (what `kyozai serve` does between full
//! builds): new texts of existing pages, new versions of data files that keep their ids. Each
//! update runs the same checks as [`Site::new`] (see [`Site::check`]) and leaves the site as it was
//! when they fail; an edit that changes the course's structure is left to a new [`Site::new`].

use std::collections::BTreeSet;
use std::path::Path;

use super::{data::Data, Scope, Site, Variant};
use crate::error::{Diagnostics, Result};
use crate::load::data::{DataContents, DataFile};
use crate::load::MdFile;
use crate::markdown::parse::{Directive, Doc};

/// What an update of the site did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// The site holds the new texts and passed its checks; these pages (indexes in
    /// [`Site::pages`]) show something new.
    Applied(BTreeSet<usize>),
    /// The edit changes the course's structure (a page's front matter or directives, a page or a
    /// data file the site does not have, data ids added or removed, data of a kind other pages are
    /// drawn from): the site must be built anew. Nothing was changed.
    Structural,
}

impl Site {
    /// Puts the new texts `files` (each a file of a page the site has, read again) in place of the
    /// old ones and checks the course again: the links of the edited pages, or of every page when
    /// an edited page's headings changed (other pages' anchors into it may have broken). On an
    /// error the old texts are put back.
    pub fn update_pages(&mut self, files: Vec<MdFile>) -> Result<Update> {
        let mut edits: Vec<(usize, MdFile)> = Vec::with_capacity(files.len());
        let mut headings_same = true;
        for md in files {
            let Some(page) = self.page_by_file(&md.rel) else {
                return Ok(Update::Structural);
            };
            let Some(old) = self.pages[page].variants.get(&md.lang) else {
                return Ok(Update::Structural);
            };
            headings_same &= heading_ids(&old.doc).eq(heading_ids(&md.doc));
            if old.front != md.front || directives(&old.doc).ne(directives(&md.doc)) {
                return Ok(Update::Structural);
            }
            edits.push((page, md));
        }
        let mut previous: Vec<(usize, String, Variant)> = Vec::with_capacity(edits.len());
        for (page, md) in edits {
            let lang = md.lang.clone();
            let v = Variant {
                file: md.rel,
                text: md.text,
                front: md.front,
                doc: md.doc,
                body_offset: md.body_offset,
            };
            if let Some(old) = self.pages[page].variants.insert(lang.clone(), v) {
                previous.push((page, lang, old));
            }
        }
        let pages: BTreeSet<usize> = previous.iter().map(|p| p.0).collect();
        let scope = if headings_same {
            Scope::Pages(&pages)
        } else {
            Scope::All
        };
        let mut diags = Diagnostics::default();
        self.check(scope, &mut diags);
        if let Err(e) = diags.finish() {
            for (page, lang, old) in previous {
                self.pages[page].variants.insert(lang, old);
            }
            return Err(e);
        }
        for (page, lang, _) in &previous {
            let v = &self.pages[*page].variants[lang];
            self.sources.set(&v.file, &v.text);
        }
        self.edition = self.sources.value();
        Ok(Update::Applied(pages))
    }

    /// Whether the data file `rel` is one an edit can update in place ([`Site::update_data`]):
    /// a case, checklist or list file the site has. The others (glossary, categories, quizzes)
    /// reach every page or the structure of the course.
    pub fn updatable_data(&self, rel: &Path) -> bool {
        self.data
            .files
            .iter()
            .any(|f| f.path == rel && updatable(&f.contents))
    }

    /// Puts the new versions `files` (each a data file of the site, read again) in place of the
    /// old ones, validates the data as [`Site::new`] does and checks the course again; on an error
    /// the old data is kept. Structural when a file is not [`Site::updatable_data`] or the ids of
    /// cases, checklists or lists change (pages and library pages would appear or disappear).
    /// The pages applied are those that embed the edited files.
    pub fn update_data(&mut self, files: Vec<DataFile>) -> Result<Update> {
        let mut all = self.data.files.clone();
        let mut changed = Vec::with_capacity(files.len());
        for new in files {
            let Some(slot) = all.iter().position(|f| f.path == new.path) else {
                return Ok(Update::Structural);
            };
            if !updatable(&all[slot].contents) || !updatable(&new.contents) {
                return Ok(Update::Structural);
            }
            changed.push(new.path.clone());
            all[slot] = new;
        }
        let mut diags = Diagnostics::default();
        let mut warnings = Vec::new();
        let data = Data::new(&self.config, all, &mut diags, &mut warnings);
        diags.finish()?;
        if ids(&data) != ids(&self.data) {
            return Ok(Update::Structural);
        }
        let old = std::mem::replace(&mut self.data, data);
        let mut diags = Diagnostics::default();
        self.check(Scope::All, &mut diags);
        if let Err(e) = diags.finish() {
            self.data = old;
            return Err(e);
        }
        for f in self.data.files.iter().filter(|f| changed.contains(&f.path)) {
            self.sources.set(&f.path, &f.text);
        }
        self.edition = self.sources.value();
        let pages = (0..self.pages.len())
            .filter(|&i| {
                let deps = self.dependencies(i);
                changed.iter().any(|c| deps.contains(c))
            })
            .collect();
        Ok(Update::Applied(pages))
    }
}

/// The ids of a page's headings, which links into it name.
fn heading_ids(doc: &Doc) -> impl Iterator<Item = &str> {
    doc.headings.iter().map(|h| h.id.as_str())
}

/// The directives of a page, which decide what data it embeds.
fn directives(doc: &Doc) -> impl Iterator<Item = &Directive> {
    doc.directives().into_iter().map(|d| d.0)
}

/// Whether data of this kind can be updated in place.
fn updatable(contents: &DataContents) -> bool {
    matches!(
        contents,
        DataContents::Cases(_) | DataContents::Checklist(_) | DataContents::Lists(_)
    )
}

/// The ids that decide which pages exist: cases, checklists, lists.
fn ids(d: &Data) -> (Vec<&str>, Vec<&str>, Vec<&str>) {
    (
        d.cases.iter().map(|c| c.value.id.as_str()).collect(),
        d.checklists.iter().map(|c| c.data.id.as_str()).collect(),
        d.lists.keys().map(String::as_str).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const COURSE: &[(&str, &str)] = &[
        ("kyozai.toml", "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"講座\"\nen = \"Course\"\n"),
        ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\nようこそ。\n"),
        ("content/01-intro/_index.ja.md", "+++\ntitle = \"はじめに\"\n+++\n章。\n"),
        ("content/01-intro/01-first.ja.md", "+++\ntitle = \"最初\"\n+++\n## 例\n\n[次](02-second.md#details)\n\n```{cases}\nids = [\"case-a\"]\n```\n"),
        ("content/01-intro/02-second.ja.md", "+++\ntitle = \"二番目\"\n+++\n## 詳細 {#details}\n\n本文。\n"),
        ("content/01-intro/03-third.ja.md", "+++\ntitle = \"三番目\"\n+++\n本文。\n"),
        ("content/data/kinds.categories.toml", "[[category]]\nid = \"attack\"\nja = \"攻撃\"\nen = \"Attack\"\n"),
        ("content/data/incidents.cases.toml", "[[case]]\nid = \"case-a\"\ncategory = \"attack\"\ncountry = \"JP\"\ntitle = { ja = \"事例A\", en = \"Case A\" }\norganisation = { ja = \"A病院\", en = \"A Hospital\" }\nsummary = { ja = \"要約。\", en = \"Summary.\" }\n"),
        ("content/data/check.quiz.toml", "id = \"check\"\ntitle = { ja = \"確認\", en = \"Check\" }\npass_mark = 60\n\n[[question]]\nid = \"q1\"\nkind = \"single\"\ntext = { ja = \"問い\", en = \"Question\" }\nreview = \"01-intro/03-third.md#later\"\n[[question.option]]\nid = \"a\"\ntext = { ja = \"甲\", en = \"A\" }\ncorrect = true\n[[question.option]]\nid = \"b\"\ntext = { ja = \"乙\", en = \"B\" }\n"),
    ];

    struct Course {
        dir: tempfile::TempDir,
        site: Site,
    }

    impl Course {
        /// The course, with the third page holding the heading the quiz reviews.
        fn new() -> Course {
            let dir = tempfile::tempdir().unwrap();
            for (p, t) in COURSE {
                write(dir.path(), p, t);
            }
            write(
                dir.path(),
                "content/01-intro/03-third.ja.md",
                "+++\ntitle = \"三番目\"\n+++\n## 後で {#later}\n\n本文。\n",
            );
            let loaded = crate::load::load(dir.path()).unwrap();
            let site = Site::new(loaded, false).unwrap();
            Course { dir, site }
        }

        fn page(&self, rel: &str) -> usize {
            self.site.page_by_file(Path::new(rel)).unwrap()
        }

        fn text(&self, rel: &str) -> String {
            let v = &self.site.pages[self.page(rel)].variants["ja"];
            v.text.to_string()
        }

        /// Writes `text` into the page `rel` and updates the site with it.
        fn edit(&mut self, rel: &str, text: &str) -> Result<Update> {
            write(self.dir.path(), rel, text);
            let md = crate::load::read_markdown(self.dir.path(), &self.site.config, Path::new(rel))
                .unwrap();
            self.site.update_pages(vec![md])
        }

        /// Writes `text` into the data file `rel` and updates the site with it.
        fn edit_data(&mut self, rel: &str, text: &str) -> Result<Update> {
            write(self.dir.path(), rel, text);
            let d =
                crate::load::read_data(self.dir.path(), &self.site.config, Path::new(rel)).unwrap();
            self.site.update_data(vec![d])
        }
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    const SECOND: &str = "content/01-intro/02-second.ja.md";
    const THIRD: &str = "content/01-intro/03-third.ja.md";
    const CASES: &str = "content/data/incidents.cases.toml";

    #[test]
    fn a_new_text_is_taken_and_checked_as_a_full_build_checks_it() {
        let mut c = Course::new();
        let edition = c.site.edition.clone();
        let new = "+++\ntitle = \"二番目\"\n+++\n## 詳細 {#details}\n\n新しい本文。\n";
        assert_eq!(
            c.edit(SECOND, new).unwrap(),
            Update::Applied(BTreeSet::from([c.page(SECOND)]))
        );
        assert_eq!(c.text(SECOND), new);
        assert_ne!(c.site.edition, edition, "a new text is a new edition");

        // The heading another page links to is gone: that page's link is checked too.
        let err = c
            .edit(
                SECOND,
                "+++\ntitle = \"二番目\"\n+++\n## 別の見出し\n\n本文。\n",
            )
            .unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.path, PathBuf::from("content/01-intro/01-first.ja.md"));
        assert!(d.message.contains("details"), "{}", d.message);
        assert_eq!(c.text(SECOND), new, "the site keeps the last good text");

        // The heading a quiz question reviews is gone: the quizzes are checked again as well.
        let err = c
            .edit(THIRD, "+++\ntitle = \"三番目\"\n+++\n## 先に\n\n本文。\n")
            .unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.path, PathBuf::from("content/data/check.quiz.toml"));
        assert!(d.message.contains("review"), "{}", d.message);
        assert!(c.text(THIRD).contains("{#later}"));
    }

    #[test]
    fn a_change_of_structure_is_left_to_a_full_build() {
        let mut c = Course::new();
        let before = c.text(SECOND);
        for text in [
            // The front matter.
            "+++\ntitle = \"別の題\"\n+++\n## 詳細 {#details}\n\n本文。\n",
            // The directives.
            "+++\ntitle = \"二番目\"\n+++\n## 詳細 {#details}\n\n```{cases}\nids = [\"case-a\"]\n```\n",
        ] {
            assert_eq!(c.edit(SECOND, text).unwrap(), Update::Structural);
            assert_eq!(c.text(SECOND), before);
        }
    }

    #[test]
    fn data_that_keeps_its_ids_is_taken_and_reaches_the_pages_embedding_it() {
        let mut c = Course::new();
        let cases = std::fs::read_to_string(c.dir.path().join(CASES)).unwrap();
        assert!(c.site.updatable_data(Path::new(CASES)));
        assert!(!c
            .site
            .updatable_data(Path::new("content/data/check.quiz.toml")));
        let edited = cases.replace("要約。", "新しい要約。");
        assert_eq!(
            c.edit_data(CASES, &edited).unwrap(),
            Update::Applied(BTreeSet::from([c.page("content/01-intro/01-first.ja.md")]))
        );
        assert_eq!(
            c.site.data.cases[0].value.summary.get("ja"),
            Some("新しい要約。")
        );

        // A category that does not exist: an error, and the last good data stays.
        let err = c
            .edit_data(CASES, &edited.replace("\"attack\"", "\"attak\""))
            .unwrap_err();
        assert_eq!(err.diagnostics()[0].path, PathBuf::from(CASES));
        assert_eq!(
            c.site.data.cases[0].value.summary.get("ja"),
            Some("新しい要約。")
        );

        // Another id: the library gets a new page.
        assert_eq!(
            c.edit_data(CASES, &edited.replace("case-a", "case-b"))
                .unwrap(),
            Update::Structural
        );
        assert_eq!(c.site.data.cases[0].value.id, "case-a");
    }
}
