//! `kyozai translated PATH…`: records that translations are up to date with their source, so
//! `kyozai check` can report them as stale when the source changes later.

use std::path::PathBuf;

use super::Verbosity;
use crate::check::record::{course_of, record_data, record_pages, target, Target};
use crate::config::Config;
use crate::error::{Error, Result};

/// Options of `kyozai translated`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "A translated page (NAME.en.md) gets `source_hash` in its front matter; a source page (NAME.ja.md) \
stands for all its translations; a data file records its translations in .kyozai/translated.toml. The source text is kept in \
.kyozai/translations/ so `kyozai check` can show how it changed later: commit .kyozai/ with the course."
)]
pub struct Args {
    /// Translated pages, source pages (meaning all their translations) or data files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Records every path given; all paths are checked before anything is written.
pub fn run(a: Args, v: Verbosity) -> Result<()> {
    let mut jobs = Vec::new();
    for p in &a.paths {
        if !p.is_file() {
            return Err(Error::Usage(format!("{} is not a file", p.display())));
        }
        let (root, rel) = course_of(p)?;
        let config = Config::load(&root)?;
        let t = target(&root, &config, &rel)?;
        jobs.push((root, config, t));
    }
    let mut problems = Vec::new();
    for (root, config, t) in jobs {
        let done = match &t {
            Target::Pages {
                source,
                translations,
            } => record_pages(&root, source, translations),
            Target::Data { file, kind, ext } => record_data(&root, &config, file, *kind, ext),
        };
        match done {
            Ok(list) => {
                if v != Verbosity::Quiet {
                    for r in list {
                        let what = if r.changed {
                            "recorded as translated from"
                        } else {
                            "already recorded as translated from"
                        };
                        println!(
                            "{}: {what} {} (version {})",
                            r.translation, r.source, r.hash
                        );
                    }
                }
            }
            Err(Error::Source(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    // Printed here rather than returned: the build's closing line about the output folder does
    // not apply.
    for d in &problems {
        eprintln!("{d}");
    }
    eprintln!(
        "{} not recorded",
        if problems.len() == 1 {
            "1 translation was".to_string()
        } else {
            format!("{} translations were", problems.len())
        }
    );
    std::process::exit(1);
}
