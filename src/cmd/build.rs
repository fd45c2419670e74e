//! `kyozai build`: load, check, render and atomically write the site, then print one summary line.

use std::path::PathBuf;

use super::{dir_or_cwd, print_warnings, Verbosity};
use crate::build::{build, default_out, Options};

/// Options of `kyozai build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The course folder (holding kyozai.toml).
    pub dir: Option<PathBuf>,
    /// Output folder [default: DIR/public].
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The sub-path the site is hosted under (only used in sitemap.xml and the 404 page).
    #[arg(long)]
    pub base_path: Option<String>,
    /// Include pages marked draft.
    #[arg(long)]
    pub drafts: bool,
    /// Also print the handouts to PDF with headless Chromium (as `kyozai pdf` does).
    #[arg(long)]
    pub pdf: bool,
    /// Do not keep the replaced output beside the new one as a hidden spare (for an output
    /// inside a folder that is itself published); large sites then rebuild more slowly.
    #[arg(long)]
    pub no_spare: bool,
}

/// Runs the build.
pub fn run(a: Args, v: Verbosity) -> crate::Result<()> {
    let root = dir_or_cwd(a.dir);
    let out = a.output.unwrap_or_else(|| default_out(&root));
    let target = crate::write::check_target(&root, &out)?;
    let start = std::time::Instant::now();
    let opts = Options {
        drafts: a.drafts,
        base_path: a.base_path,
    };
    let summary = |pages: &std::collections::BTreeMap<String, usize>, n: usize, reused: usize| {
        let per: Vec<String> = pages.iter().map(|(l, n)| format!("{n} {l}")).collect();
        // On a rebuild, how many files this build changed (the others were already there).
        let changed = if reused > 0 {
            format!(" ({} changed)", n - reused)
        } else {
            String::new()
        };
        format!(
            "built {} pages ({}), {n} files{changed} into {} in {} ms",
            pages.values().sum::<usize>(),
            per.join(", "),
            out.display(),
            start.elapsed().as_millis()
        )
    };
    if a.pdf {
        // The PDF run needs the rendered site in memory.
        let built = build(&root, &opts)?;
        let written = crate::write::write(&target, &built.output.files, !a.no_spare)?;
        print_warnings(&built.site.warnings, v);
        if v != Verbosity::Quiet {
            println!(
                "{}",
                summary(&built.output.pages, written.files, written.reused)
            );
        }
        let chromium = crate::pdf::find_chromium(None)?;
        let report = crate::pdf::print_site(&built, &target, &chromium, !a.no_spare)?;
        super::pdf::print_report(&report, &target, v);
    } else {
        let (site, pages, written) =
            crate::build::build_to_disk(&root, &opts, &target, !a.no_spare)?;
        print_warnings(&site.warnings, v);
        if v != Verbosity::Quiet {
            println!("{}", summary(&pages, written.files, written.reused));
        }
        // The process ends here: freeing the course model piece by piece would only cost time.
        std::mem::forget(site);
    }
    Ok(())
}
