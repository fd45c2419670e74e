//! The SCORM 1.2 package of a course (`kyozai scorm`): the site, built through the same stages as
//! `kyozai build` (load → [`Site`] → render, into memory), with a launch page (`scorm.html`, the
//! theme's `scorm.html` template and `static/scorm.js`) that holds the LMS session and shows the
//! course pages in a frame, and `imsmanifest.xml` ([`manifest`]) at the root, written into one zip
//! archive atomically ([`archive`]).

pub mod archive;
pub mod manifest;

use std::path::Path;

use serde::Serialize;

use crate::build::{load_and_check, Options};
use crate::error::{Error, Result};
use crate::output::OutputFile;
use crate::render::render_bytes;
use crate::render::theme::Theme;
use crate::site::Site;

/// The launch page, at the package root.
pub const LAUNCH: &str = "scorm.html";
/// The manifest, at the package root.
pub const MANIFEST: &str = "imsmanifest.xml";

/// What [`package`] wrote.
pub struct Packaged {
    /// The zip file written.
    pub out: std::path::PathBuf,
    /// The course model it was made from.
    pub site: Site,
    /// The package language.
    pub lang: String,
    /// Files in the archive, the manifest among them.
    pub files: usize,
    /// The archive's size in bytes.
    pub bytes: u64,
}

/// What the launch page template receives.
#[derive(Serialize)]
struct LaunchView<'a> {
    lang: &'a str,
    title: &'a str,
    course_id: &'a str,
    /// The home page of the package language, the page the frame opens first.
    home: String,
    t: &'a crate::render::theme::Strings,
}

/// The package language: `lang` if the course has it, else the source language.
pub fn package_lang(site: &Site, lang: Option<&str>) -> Result<String> {
    let langs = site.languages();
    match lang {
        None => Ok(site.source_lang().to_string()),
        Some(l) if langs.contains(&l) => Ok(l.to_string()),
        Some(l) => Err(Error::Usage(format!(
            "--lang {l}: the course is written in {}; use one of them (e.g. --lang {})",
            langs.join(" and "),
            langs[0]
        ))),
    }
}

/// Builds the course in `root` and writes its SCORM 1.2 package in `lang` (default: the source
/// language) to `out` (default: `ROOT/COURSE-ID-scorm-LANG.zip`). Nothing is written unless every
/// stage succeeded.
pub fn package(
    root: &Path,
    opts: &Options,
    lang: Option<&str>,
    out: Option<&Path>,
) -> Result<Packaged> {
    if let Some(o) = out.filter(|o| o.is_dir()) {
        return Err(Error::Usage(format!(
            "-o {}: it is a folder; name the zip file to write, e.g. -o course-scorm.zip",
            o.display()
        )));
    }
    let (site, theme) = load_and_check(root, opts)?;
    let lang = package_lang(&site, lang)?;
    let out = out.map_or_else(
        || root.join(format!("{}-scorm-{lang}.zip", site.course_id)),
        Path::to_path_buf,
    );
    let sink = crate::output::Collect::default();
    crate::render::render_into(&site, &theme, &sink, false)?;
    let mut files = sink
        .0
        .into_inner()
        .map_err(|_| Error::Internal("output lock poisoned".into()))?;
    files.push(launch_page(&site, &theme, &lang)?);
    if let Some(f) = files.iter().find(|f| f.path == MANIFEST) {
        return Err(Error::Internal(format!("the site has a file {}", f.path)));
    }
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    let xml = manifest::Manifest {
        course_id: &site.course_id,
        edition: &site.edition,
        lang: &lang,
        title: site.config.title.or(&lang, site.source_lang()),
        launch: LAUNCH,
        files: paths,
    }
    .to_xml();
    files.push(OutputFile {
        path: MANIFEST.into(),
        bytes: xml.into_bytes(),
    });
    let bytes = archive::write_zip(&out, &mut files)?;
    Ok(Packaged {
        out,
        site,
        lang,
        files: files.len(),
        bytes,
    })
}

/// The launch page of the package language.
fn launch_page(site: &Site, theme: &Theme, lang: &str) -> Result<OutputFile> {
    let strings = theme.strings(lang);
    let view = LaunchView {
        lang,
        title: site.config.title.or(lang, site.source_lang()),
        course_id: &site.course_id,
        home: crate::render::url::home_path(lang),
        t: &strings,
    };
    let ctx = tera::Context::from_serialize(&view)
        .map_err(|e| Error::Internal(format!("launch page view: {e}")))?;
    Ok(OutputFile {
        path: LAUNCH.into(),
        bytes: render_bytes(theme, "scorm.html", &ctx)?,
    })
}
