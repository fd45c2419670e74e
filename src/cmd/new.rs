//! `kyozai new DIR`: scaffolds a working two-language course (a chapter with two sections, a case
//! study and a checklist) that `kyozai build DIR` builds at once.

use std::path::{Path, PathBuf};

use super::Verbosity;
use crate::error::{Error, Result};

/// Options of `kyozai new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create (must not exist, or be empty).
    pub dir: PathBuf,
}

/// The scaffold: destination path → contents.
pub const FILES: &[(&str, &str)] = &[
    ("kyozai.toml", include_str!("scaffold/kyozai.toml")),
    (".gitignore", include_str!("scaffold/gitignore")),
    ("content/_index.ja.md", include_str!("scaffold/home.ja.md")),
    ("content/_index.en.md", include_str!("scaffold/home.en.md")),
    (
        "content/01-basics/_index.ja.md",
        include_str!("scaffold/chapter.ja.md"),
    ),
    (
        "content/01-basics/_index.en.md",
        include_str!("scaffold/chapter.en.md"),
    ),
    (
        "content/01-basics/01-first.ja.md",
        include_str!("scaffold/first.ja.md"),
    ),
    (
        "content/01-basics/01-first.en.md",
        include_str!("scaffold/first.en.md"),
    ),
    (
        "content/01-basics/02-second.ja.md",
        include_str!("scaffold/second.ja.md"),
    ),
    (
        "content/01-basics/02-second.en.md",
        include_str!("scaffold/second.en.md"),
    ),
    (
        "content/data/cases.cases.toml",
        include_str!("scaffold/cases.cases.toml"),
    ),
    (
        "content/data/categories.categories.toml",
        include_str!("scaffold/categories.categories.toml"),
    ),
    (
        "content/data/starter.checklist.toml",
        include_str!("scaffold/checklist.checklist.toml"),
    ),
];

/// Writes the scaffold into `dir`.
pub fn scaffold(dir: &Path) -> Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::Usage(format!(
            "{} already exists and is not empty; choose a new folder",
            dir.display()
        )));
    }
    for (rel, text) in FILES {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        std::fs::write(&p, text).map_err(|e| Error::io("write", &p, e))?;
    }
    Ok(())
}

/// Runs `kyozai new`.
pub fn run(a: Args, v: Verbosity) -> Result<()> {
    scaffold(&a.dir)?;
    if v != Verbosity::Quiet {
        println!(
            "created a two-language course in {}\nnext: kyozai build {}\nto change its look: kyozai theme eject {} copies the built-in theme into {}",
            a.dir.display(),
            a.dir.display(),
            a.dir.display(),
            a.dir.join("themes").join("default").display()
        );
    }
    Ok(())
}
