//! `kyozai check [DIR]`: reports everything wrong with the course, without writing the site.
//! Exit status 0 when clean, 1 when there is an error (or a warning, with `--deny-warnings`),
//! 2 on a usage error.

use std::io::Write as _;
use std::path::PathBuf;

use super::{dir_or_cwd, Verbosity};
use crate::check::{check, report, Options};

/// Output formats of `kyozai check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings grouped by file, then the counts.
    Text,
    /// One JSON document (see docs/check.md).
    Json,
}

/// Options of `kyozai check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The course folder.
    pub dir: Option<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Exit with status 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Check pages marked draft as well.
    #[arg(long)]
    pub drafts: bool,
}

/// Runs the checks and prints the report; exits with status 1 when the report says so.
pub fn run(a: Args, v: Verbosity) -> crate::Result<()> {
    let root = dir_or_cwd(a.dir);
    if !root.is_dir() {
        return Err(crate::Error::Usage(format!(
            "{} is not a folder",
            root.display()
        )));
    }
    if !root.join("kyozai.toml").is_file() {
        return Err(crate::Error::Usage(format!("{} is not a course folder: it has no kyozai.toml (create a course with `kyozai new DIR`)", root.display())));
    }
    let r = check(&root, &Options { drafts: a.drafts })?;
    let text = match a.format {
        Format::Json => report::json(&r, &root.to_string_lossy()),
        Format::Text => report::text(&r, v == Verbosity::Quiet),
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`kyozai check | head`) is not an error of the course.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    let code = r.exit_code(a.deny_warnings);
    if code != 0 {
        std::process::exit(code);
    }
    Ok(())
}
