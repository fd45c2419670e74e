//! `kyozai check`: runs every check over a course without writing the site, and collects the
//! findings (severity, place, message, fix) into a [`Report`].
//!
//! The course is read, modelled and rendered exactly as `kyozai build` does it (the same
//! [`crate::load`], [`crate::site::Site`] and [`crate::render`] stages, in memory); nothing is
//! parsed a second time. Where a stage fails, its diagnostics become error findings and the checks
//! that need that stage's result are skipped, while the others still run, so one report lists
//! everything that can be found.

pub mod content;
pub mod csp;
pub mod diff;
pub mod html;
pub mod output;
pub mod record;
pub mod report;
pub mod stale;
pub mod tracking;

use crate::kind::Kind;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostic, Error, Result};
use crate::render::theme::Theme;
use crate::site::Site;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site is broken (or would not build): exit status 1.
    Error,
    /// Readers get a worse site (missing translation, stale translation, orphan page).
    Warning,
    /// For the record (external links, untracked translations).
    Info,
}

impl Severity {
    /// The lower-case name used in text and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Where the file a finding is about lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A file of the course folder; `file` is relative to the course folder.
    Source,
    /// A page of the rendered site (never written by `check`); `file` is its path in the site.
    Output,
}

/// One thing `kyozai check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The kind of finding; serialized as its stable code (see `docs/check.md`).
    pub code: Kind,
    /// The file, `/`-separated.
    pub file: String,
    /// Whether it was found in the sources or in the rendered output.
    pub origin: Origin,
    /// 1-based line; 0 when the finding concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: Option<String>,
    /// For stale translations: how the source changed, as unified-diff hunks.
    pub diff: Option<String>,
    /// The source line, for the text report.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Finding {
    /// A finding at a diagnostic's place, of its kind, with its message and help.
    pub fn from_diagnostic(severity: Severity, d: &Diagnostic) -> Finding {
        Finding {
            severity,
            code: d.kind,
            file: slash(&d.path),
            origin: Origin::Source,
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            fix: d.help.clone(),
            diff: None,
            source_line: d.source_line.clone(),
        }
    }

    /// A finding about a whole source file.
    pub fn file(
        severity: Severity,
        kind: Kind,
        path: &Path,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Finding {
        let mut f = Finding::from_diagnostic(severity, &Diagnostic::file(kind, path, message));
        f.fix = Some(fix.into());
        f
    }

    /// A finding at a byte offset of `text`, the contents of source file `path`.
    pub fn at(
        severity: Severity,
        kind: Kind,
        path: &Path,
        text: &str,
        offset: usize,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Finding {
        let mut f =
            Finding::from_diagnostic(severity, &Diagnostic::at(kind, path, text, offset, message));
        f.fix = Some(fix.into());
        f
    }

    /// `file:line:column` as printed.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{l}", self.file),
            (l, c) => format!("{}:{l}:{c}", self.file),
        }
    }
}

/// A path with `/` separators.
pub fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Everything one run of the checks found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Sorted by origin, file, line, column, then code.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// 0 when clean, 1 when there is an error (or, with `deny_warnings`, a warning).
    pub fn exit_code(&self, deny_warnings: bool) -> i32 {
        let bad =
            self.count(Severity::Error) > 0 || (deny_warnings && self.count(Severity::Warning) > 0);
        i32::from(bad)
    }

    fn finish(&mut self) {
        self.findings.sort_by(|a, b| {
            (
                a.origin,
                &a.file,
                a.line,
                a.column,
                a.severity,
                a.code.code(),
                &a.message,
            )
                .cmp(&(
                    b.origin,
                    &b.file,
                    b.line,
                    b.column,
                    b.severity,
                    b.code.code(),
                    &b.message,
                ))
        });
        self.findings.dedup();
    }
}

/// Options of a check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check pages marked `draft = true` as well.
    pub drafts: bool,
}

/// Checks the course in `root`. Fails only when `root` holds no course that can be read at all
/// (no or unreadable `kyozai.toml`, no `content/`) or on an operating-system error; every problem
/// in the course's files is a finding of the report.
pub fn check(root: &Path, opts: &Options) -> Result<Report> {
    let mut report = Report::default();
    let out = &mut report.findings;
    let (loaded, problems) = match crate::load::load_partial(root) {
        Ok(l) => l,
        Err(Error::Source(diags)) => {
            out.extend(
                diags
                    .iter()
                    .map(|d| Finding::from_diagnostic(Severity::Error, d)),
            );
            report.finish();
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    out.extend(
        problems
            .iter()
            .map(|d| Finding::from_diagnostic(Severity::Error, d)),
    );

    // Checks that need only the files as read.
    let snapshots = tracking::Store::new(root);
    stale::check_pages(&loaded, &snapshots, out);
    stale::check_data(&loaded, &snapshots, out);
    csp::check(&loaded, out);
    content::external_links(&loaded, out);

    if !problems.is_empty() {
        out.push(skipped(&problems, "some files could not be read"));
        report.finish();
        return Ok(report);
    }
    let mut site = match Site::new(loaded, opts.drafts) {
        Ok(s) => s,
        Err(Error::Source(diags)) => {
            out.extend(
                diags
                    .iter()
                    .map(|d| Finding::from_diagnostic(Severity::Error, d)),
            );
            out.push(skipped(&diags, "the course does not build"));
            report.finish();
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    out.extend(
        site.warnings
            .iter()
            .map(|d| Finding::from_diagnostic(Severity::Warning, d)),
    );
    out.extend(
        site.notes
            .iter()
            .map(|d| Finding::from_diagnostic(Severity::Info, d)),
    );
    content::uncited_cases(&site, out);
    let rendered = Theme::load(root, &site.config.theme).and_then(|theme| {
        theme.check_languages(&site.config)?;
        site.forms = theme.forms(&site.languages());
        crate::render::render(&site, &theme)
    });
    match rendered {
        Ok(output) => output::check(&site, &output.files, out),
        Err(Error::Source(diags)) => {
            out.extend(
                diags
                    .iter()
                    .map(|d| Finding::from_diagnostic(Severity::Error, d)),
            );
            out.push(skipped(&diags, "the site could not be rendered"));
        }
        Err(e) => return Err(e),
    }
    report.finish();
    Ok(report)
}

/// The note saying which checks did not run, placed on the first problem's file.
fn skipped(problems: &[Diagnostic], why: &str) -> Finding {
    let path = problems
        .first()
        .map(|d| d.path.clone())
        .unwrap_or_else(|| PathBuf::from("kyozai.toml"));
    Finding::file(
        Severity::Info,
        Kind::ChecksSkipped,
        &path,
        format!(
            "links, anchors and orphan pages of the rendered site were not checked because {why}"
        ),
        "fix the errors of this report, then run `kyozai check` again",
    )
}
