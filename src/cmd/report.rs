//! `kyozai report FILES… [-o DIR] [--lang LANG]`: brings checklist exports collected by e-mail
//! together into `report.csv`, `report.json` and a static `index.html` report (see
//! [`crate::report`]). Files that cannot be used are named with the reason; the exit status is
//! non-zero only when no file was usable.

use std::path::PathBuf;

use super::{print_warnings, Verbosity};

/// Options of `kyozai report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The JSON or CSV exports of a checklist (from its page's Export buttons).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// The folder to write the report into.
    #[arg(short, long, default_value = "report")]
    pub output: PathBuf,
    /// The language of the report [default: the course's source language].
    #[arg(long)]
    pub lang: Option<String>,
    /// The course folder whose checklist the files answer.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub course: PathBuf,
    /// The checklist id, when the course has several [default: the one the files are exports of].
    #[arg(long, value_name = "ID")]
    pub checklist: Option<String>,
}

/// Runs the command.
pub fn run(a: Args, v: Verbosity) -> crate::Result<()> {
    let (site, theme) = crate::build::load_and_check(&a.course, &Default::default())?;
    let langs = site.languages();
    let lang = a
        .lang
        .clone()
        .unwrap_or_else(|| site.source_lang().to_string());
    if !langs.contains(&lang.as_str()) {
        return Err(crate::Error::Usage(format!(
            "--lang {lang}: the course is in {}",
            langs.join(" and ")
        )));
    }
    let r = crate::report::report(&site, &theme, &a.files, &lang, a.checklist.as_deref())?;
    // Every refused file is shown, whatever the verbosity: the officer must know.
    let v = if v == Verbosity::Quiet {
        v
    } else {
        Verbosity::Verbose
    };
    print_warnings(&r.refused, v);
    std::fs::create_dir_all(&a.output)
        .map_err(|e| crate::Error::io("create the report folder", &a.output, e))?;
    for (name, bytes) in &r.files {
        let path = a.output.join(name);
        std::fs::write(&path, bytes).map_err(|e| crate::Error::io("write", &path, e))?;
    }
    if v != Verbosity::Quiet {
        println!(
            "reported {} exports from {} respondents ({} files not used) into {}",
            r.used,
            r.respondents,
            a.files.len() - r.used,
            a.output.join("index.html").display()
        );
    }
    Ok(())
}
