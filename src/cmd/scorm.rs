//! `kyozai scorm [DIR] [-o FILE.zip] [--lang LANG]`: the course as a SCORM 1.2 package for an LMS
//! (see [`crate::scorm`]), one summary line.

use std::path::PathBuf;

use super::{dir_or_cwd, print_warnings, Verbosity};
use crate::build::Options;

/// Options of `kyozai scorm`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Upload the zip to the LMS as a SCORM 1.2 package (Moodle: Add an activity or resource → SCORM package). \
The package reports the knowledge checks' scores and passed or failed by the course's [completion] rule; see docs/scorm.md."
)]
pub struct Args {
    /// The course folder (holding kyozai.toml).
    pub dir: Option<PathBuf>,
    /// The zip file to write [default: DIR/COURSE-ID-scorm-LANG.zip].
    #[arg(short, long, value_name = "FILE.zip")]
    pub output: Option<PathBuf>,
    /// The package's language, the one the course opens in [default: the source language].
    #[arg(long)]
    pub lang: Option<String>,
    /// Include pages marked draft.
    #[arg(long)]
    pub drafts: bool,
}

/// Runs the command.
pub fn run(a: Args, v: Verbosity) -> crate::Result<()> {
    let root = dir_or_cwd(a.dir);
    let start = std::time::Instant::now();
    let opts = Options {
        drafts: a.drafts,
        base_path: None,
    };
    let p = crate::scorm::package(&root, &opts, a.lang.as_deref(), a.output.as_deref())?;
    print_warnings(&p.site.warnings, v);
    if v != Verbosity::Quiet {
        println!(
            "wrote the SCORM 1.2 package {} ({} files, {} KB, opens in {}) in {} ms",
            p.out.display(),
            p.files,
            p.bytes.div_ceil(1024),
            p.lang,
            start.elapsed().as_millis()
        );
    }
    Ok(())
}
