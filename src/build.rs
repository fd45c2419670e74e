//! One build from course folder to files: the stages chained, with timing, so `build`, `serve`
//! and `check` share exactly the same path.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Result;
use crate::render::theme::Theme;
use crate::render::Output;
use crate::site::Site;
use crate::timing::lap;

/// Options of a build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Keep pages marked `draft = true`.
    pub drafts: bool,
    /// Overrides `base_path` from `kyozai.toml`.
    pub base_path: Option<String>,
}

/// A finished render, not yet written.
pub struct Built {
    /// The checked course.
    pub site: Site,
    /// The theme it was rendered with.
    pub theme: Theme,
    /// What the render made (its files, unless they went to a sink).
    pub output: Output,
    /// How long loading, checking and rendering took.
    pub millis: u128,
}

/// Loads, checks and renders the course in `root`, keeping every file in memory.
pub fn build(root: &Path, opts: &Options) -> Result<Built> {
    let sink = crate::output::Collect::default();
    let mut built = build_into(root, opts, &sink)?;
    built.output.files = sink.0.into_inner().unwrap_or_default();
    Ok(built)
}

/// Loads, checks and renders the course in `root`, handing each file to `sink` as it is made
/// (the returned output holds no files).
pub fn build_into(root: &Path, opts: &Options, sink: &dyn crate::output::Sink) -> Result<Built> {
    let start = Instant::now();
    let (site, theme) = load_and_check(root, opts)?;
    let output = crate::render::render_into(&site, &theme, sink, true)?;
    Ok(Built {
        site,
        theme,
        output,
        millis: start.elapsed().as_millis(),
    })
}

/// Loads, checks and renders the course in `root`, writing the files straight into the staging
/// folder of `out` and swapping it in when everything succeeded; with `keep_spare`, the output it
/// replaces is kept as the spare. Returns the site, the page counts per language and what was
/// written.
pub fn build_to_disk(
    root: &Path,
    opts: &Options,
    out: &Path,
    keep_spare: bool,
) -> Result<(
    Site,
    std::collections::BTreeMap<String, usize>,
    crate::write::Written,
)> {
    let precheck = crate::write::Precheck::start(out, keep_spare);
    let (site, theme) = load_and_check(root, opts)?;
    let mut pages = Default::default();
    let written = crate::write::write_streaming(out, precheck, |sink| {
        pages = crate::render::render_into(&site, &theme, sink, false)?.pages;
        lap(&format!("rendered ({} files unchanged)", sink.reused()));
        Ok(())
    })?;
    lap("written");
    Ok((site, pages, written))
}

/// The `load` and checking stages: the course in `root` as a checked [`Site`], and its theme.
pub fn load_and_check(root: &Path, opts: &Options) -> Result<(Site, Theme)> {
    let mut loaded = crate::load::load(root)?;
    if let Some(b) = &opts.base_path {
        if !b.starts_with('/') {
            return Err(crate::error::Error::Usage(format!(
                "--base-path `{b}` must start with /, e.g. /training/"
            )));
        }
        loaded.config.base_path = b.clone();
    }
    lap("load");
    let mut site = Site::new(loaded, opts.drafts)?;
    lap("site");
    let theme = Theme::load(root, &site.config.theme)?;
    theme.check_languages(&site.config)?;
    site.forms = theme.forms(&site.languages());
    Ok((site, theme))
}

/// The default output folder of a course.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("public")
}
