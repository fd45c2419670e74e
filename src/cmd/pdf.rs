//! `kyozai pdf`: build the site, then print every handout of every language to PDF with headless
//! Chromium (see [`crate::pdf`]).

use std::path::{Path, PathBuf};

use super::{dir_or_cwd, print_warnings, Verbosity};
use crate::build::{build, default_out, Options};

/// Options of `kyozai pdf`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The course folder.
    pub dir: Option<PathBuf>,
    /// Output folder [default: DIR/public]; the PDFs go to LANG/handouts/NAME.pdf inside it.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The Chromium (or Chrome) to print with [default: $KYOZAI_CHROMIUM, else chromium,
    /// chromium-browser, google-chrome or google-chrome-stable on PATH].
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
    /// Include pages marked draft.
    #[arg(long)]
    pub drafts: bool,
}

/// Runs the command.
pub fn run(a: Args, v: Verbosity) -> crate::Result<()> {
    let root = dir_or_cwd(a.dir);
    // Before building: without a browser there is nothing to do.
    let chromium = crate::pdf::find_chromium(a.chromium.as_deref())?;
    let out = a.output.unwrap_or_else(|| default_out(&root));
    let target = crate::write::check_target(&root, &out)?;
    let built = build(
        &root,
        &Options {
            drafts: a.drafts,
            base_path: None,
        },
    )?;
    let n = crate::write::write(&target, &built.output.files, true)?.files;
    print_warnings(&built.site.warnings, v);
    if v != Verbosity::Quiet {
        println!(
            "built {} pages, {n} files into {} in {} ms",
            built.output.pages.values().sum::<usize>(),
            out.display(),
            built.millis
        );
    }
    let report = crate::pdf::print_site(&built, &target, &chromium, true)?;
    print_report(&report, &out, v);
    Ok(())
}

/// Prints what a PDF run did: with -v a line per PDF, then the summary line (none with -q).
pub(super) fn print_report(r: &crate::pdf::Report, out: &Path, v: Verbosity) {
    if v == Verbosity::Verbose {
        for p in &r.printed {
            eprintln!(
                "  printed {} ({}) in {} ms",
                p.path,
                crate::pdf::human_size(p.bytes),
                p.millis
            );
        }
    }
    if v != Verbosity::Quiet {
        println!("{}", crate::pdf::summary(r, out));
    }
}
