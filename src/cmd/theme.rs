//! `kyozai theme eject [DIR] [--force]`: copies the built-in theme (templates, static files, UI
//! strings) into `DIR/themes/default/`, for an author to start a theme of their own from it.

use std::path::{Path, PathBuf};

use super::Verbosity;
use crate::error::{Diagnostic, Error, Result};
use crate::kind::Kind;

/// Options of `kyozai theme`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    /// What to do.
    pub action: Action,
}

/// What to do with the theme.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Copy the built-in theme into DIR/themes/default/ to change it file by file.
    Eject {
        /// The course folder (default: the current folder).
        dir: Option<PathBuf>,
        /// Replace files that already exist.
        #[arg(long)]
        force: bool,
    },
}

/// Writes the built-in theme's files below `dir/themes/default/`; without `force`, refuses (and
/// writes nothing) when one of them exists. Returns how many files were written.
pub fn eject(dir: &Path, force: bool) -> Result<usize> {
    let files = crate::render::theme::default_files();
    let target = dir.join("themes").join("default");
    if !force {
        let existing: Vec<&str> = files
            .iter()
            .map(|(rel, _)| *rel)
            .filter(|rel| target.join(rel).exists())
            .collect();
        if let Some(first) = existing.first() {
            let shown = Path::new("themes/default").join(first);
            let more = match existing.len() {
                1 => String::new(),
                n => format!(" (and {} more of the theme's files)", n - 1),
            };
            return Err(Diagnostic::file(
                Kind::InvalidSource,
                &shown,
                format!("{} already exists{more}; nothing was written", shown.display()),
            )
            .help("move your own theme files aside, or run `kyozai theme eject --force` to overwrite them with the built-in ones")
            .into());
        }
    }
    for (rel, bytes) in files {
        let p = target.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        std::fs::write(&p, bytes).map_err(|e| Error::io("write", &p, e))?;
    }
    Ok(files.len())
}

/// Runs `kyozai theme`.
pub fn run(a: Args, v: Verbosity) -> Result<()> {
    match a.action {
        Action::Eject { dir, force } => {
            let dir = super::dir_or_cwd(dir);
            let n = eject(&dir, force)?;
            if v != Verbosity::Quiet {
                println!(
                    "copied the built-in theme ({n} files) into {}; a file you change there replaces the built-in one, a file you delete falls back to it",
                    dir.join("themes").join("default").display()
                );
            }
            Ok(())
        }
    }
}
