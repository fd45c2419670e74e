//! Prints a [`Report`] for people (text grouped by file, ending with the counts) or for programs
//! (the JSON document below, whose shape is stable).
//!
//! # JSON format (`kyozai check --format json`)
//!
//! ```json
//! {
//!   "format": "kyozai-check",
//!   "version": 1,
//!   "course": "path/to/course",
//!   "counts": { "error": 0, "warning": 2, "info": 5 },
//!   "findings": [
//!     {
//!       "severity": "warning",
//!       "code": "stale-translation",
//!       "file": "content/01-awareness/01-impact.en.md",
//!       "origin": "source",
//!       "line": 9,
//!       "column": 1,
//!       "message": "content/01-awareness/01-impact.ja.md has changed since this translation was made; …",
//!       "fix": "bring this translation up to date with the change, then run `kyozai translated …`",
//!       "diff": "@@ -3,3 +3,3 @@\n …"
//!     }
//!   ]
//! }
//! ```
//!
//! * Every key is always present; `fix` and `diff` may be `null`.
//! * `severity` is `error`, `warning` or `info`; `origin` is `source` (`file` is relative to the
//!   course folder) or `output` (`file` is the path of a rendered page inside the site, which
//!   `check` never writes).
//! * `line` and `column` are 1-based (column in characters); `line` 0 means the whole file and
//!   `column` 0 an unknown column.
//! * Findings are sorted by origin, file, line, column, severity and code.
//! * `code` is one of the codes listed in `docs/check.md`; new codes may be added in later
//!   versions, and a change to any of the above increases `version`.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Origin, Report, Severity};

/// The `version` of the JSON document.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Counts {
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    course: &'a str,
    counts: Counts,
    findings: &'a [super::Finding],
}

/// The report as the JSON document, pretty-printed, with a final newline.
pub fn json(report: &Report, course: &str) -> String {
    let doc = Document {
        format: "kyozai-check",
        version: JSON_VERSION,
        course,
        counts: Counts {
            error: report.count(Severity::Error),
            warning: report.count(Severity::Warning),
            info: report.count(Severity::Info),
        },
        findings: &report.findings,
    };
    let mut s = serde_json::to_string_pretty(&doc)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

/// The report as text: findings grouped under their file, then one line of counts. With
/// `errors_only`, warnings and infos are counted but not listed.
pub fn text(report: &Report, errors_only: bool) -> String {
    let mut s = String::new();
    let mut current: Option<(Origin, &str)> = None;
    let mut files = std::collections::BTreeSet::new();
    for f in &report.findings {
        files.insert((f.origin, f.file.as_str()));
        if errors_only && f.severity != Severity::Error {
            continue;
        }
        if current != Some((f.origin, f.file.as_str())) {
            if current.is_some() {
                s.push('\n');
            }
            let _ = writeln!(
                s,
                "{}{}",
                f.file,
                if f.origin == Origin::Output {
                    " (rendered page)"
                } else {
                    ""
                }
            );
            current = Some((f.origin, f.file.as_str()));
        }
        let pos = match (f.line, f.column) {
            (0, _) => String::new(),
            (l, 0) => format!("{l}: "),
            (l, c) => format!("{l}:{c}: "),
        };
        let _ = writeln!(s, "  {pos}{}[{}]: {}", f.severity.name(), f.code, f.message);
        if let Some(src) = f.source_line.as_deref().filter(|l| !l.trim().is_empty()) {
            let src: String = src.chars().take(160).collect();
            let _ = writeln!(s, "      | {}", src.trim_end());
        }
        if let Some(fix) = &f.fix {
            let _ = writeln!(s, "      fix: {fix}");
        }
        if let Some(d) = &f.diff {
            for l in d.lines() {
                let _ = writeln!(s, "      {l}");
            }
        }
    }
    if current.is_some() {
        s.push('\n');
    }
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if e + w + i == 0 {
        s.push_str("no problems found\n");
    } else {
        let _ = writeln!(
            s,
            "{}, {}, {} in {}",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings"),
            plural(i, "info", "infos"),
            plural(files.len(), "file", "files")
        );
    }
    s
}
