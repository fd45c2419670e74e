//! Error types that point at the author's text: every diagnostic carries the source path and a
//! line/column span, a message saying what is wrong and a hint saying how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::kind::Kind;

/// One problem in one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem it is (the code `kyozai check` reports).
    pub kind: Kind,
    /// The file, relative to the course folder where possible.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The source line the problem is on, for the snippet under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (no useful position).
    pub fn file(kind: Kind, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// A problem at a byte offset of `text`, the full contents of `path`.
    pub fn at(
        kind: Kind,
        path: impl Into<PathBuf>,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(text, offset);
        Diagnostic {
            kind,
            path: path.into(),
            line,
            column,
            message: message.into(),
            help: None,
            source_line: text.lines().nth(line.saturating_sub(1)).map(str::to_owned),
        }
    }

    /// A problem at a known line and column of `text`.
    pub fn at_line(
        kind: Kind,
        path: impl Into<PathBuf>,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            kind,
            path: path.into(),
            line,
            column,
            message: message.into(),
            help: None,
            source_line: text.lines().nth(line.saturating_sub(1)).map(str::to_owned),
        }
    }

    /// Adds the hint saying how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `path:line:column` as printed at the start of the message.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.path.display().to_string(),
            (l, 0) => format!("{}:{}", self.path.display(), l),
            (l, c) => format!("{}:{}:{}", self.path.display(), l, c),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        write!(f, "  --> {}", self.location())?;
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            write!(f, "\n{pad} |\n{num} | {src}")?;
            if self.column > 0 {
                let prefix: String = src
                    .chars()
                    .take(self.column - 1)
                    .map(|c| {
                        if c == '\t' {
                            '\t'
                        } else if is_wide(c) {
                            '　'
                        } else {
                            ' '
                        }
                    })
                    .collect();
                write!(f, "\n{pad} | {prefix}^")?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Everything that can stop kyozai.
#[derive(Debug)]
pub enum Error {
    /// Problems in the author's files (one or many).
    Source(Vec<Diagnostic>),
    /// An operating-system error on a named path.
    Io {
        /// The path it concerns.
        path: PathBuf,
        /// What kyozai was doing (`read`, `write`, `create`).
        action: &'static str,
        /// The system's error.
        source: std::io::Error,
    },
    /// A bad command line: an unknown option or value, a folder that is not a course, an output
    /// folder kyozai must not replace. Exit status 2.
    Usage(String),
    /// A program kyozai runs (Chromium, to print PDFs) was not found or failed. Exit status 3.
    Tool {
        /// The program, as named to the user.
        tool: &'static str,
        /// What went wrong and how to fix it.
        message: String,
    },
    /// A bug in kyozai: something that cannot happen did (a lock poisoned by a crashed thread, a
    /// page view that does not serialize). Exit status 4.
    Internal(String),
}

/// Exit status of a bad command line.
pub const EXIT_USAGE: i32 = 2;
/// Exit status when a program kyozai runs was not found or failed.
pub const EXIT_TOOL: i32 = 3;
/// Exit status of an internal error (a bug in kyozai, a panic among them).
pub const EXIT_INTERNAL: i32 = 4;

impl Error {
    /// Shorthand for an I/O error on a path.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
    /// The exit status this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => EXIT_USAGE,
            Error::Tool { .. } => EXIT_TOOL,
            Error::Internal(_) => EXIT_INTERNAL,
            Error::Source(_) | Error::Io { .. } => 1,
        }
    }
    /// The diagnostics, when the error is about source files.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Source(d) => d,
            _ => &[],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Source(vec![d])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Source(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    writeln!(f, "{d}")?;
                }
                if diags.len() > 1 {
                    write!(
                        f,
                        "{} errors; the previous output was left untouched",
                        diags.len()
                    )?;
                } else {
                    write!(f, "the previous output was left untouched")?;
                }
                Ok(())
            }
            Error::Io {
                path,
                action,
                source,
            } => {
                write!(f, "error: could not {action} {}: {source}", path.display())
            }
            Error::Usage(msg) => write!(f, "error: {msg}"),
            Error::Tool { message, .. } => write!(f, "error: {message}"),
            Error::Internal(msg) => write!(
                f,
                "error: internal error: {msg}\n  this is a bug in kyozai: please report it with the command that caused it"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Result with kyozai's error.
pub type Result<T> = std::result::Result<T, Error>;

/// Collects diagnostics so a build can report every problem at once.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// Records the problem of a failed result and returns its value otherwise.
    pub fn take<T>(&mut self, r: std::result::Result<T, Diagnostic>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(d) => {
                self.0.push(d);
                None
            }
        }
    }
    /// Fails with every recorded problem, sorted by file and position.
    pub fn finish(mut self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0
                .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
            self.0.dedup();
            Err(Error::Source(self.0))
        }
    }
}

/// The help for `word`, which is not one of `known`: "did you mean `x`?" when one is close
/// enough to be a likely typo, else `empty` when there is nothing to choose from (if given), else
/// `listed` followed by every known one, comma-separated. Every "did you mean" help is made here.
pub fn did_you_mean(word: &str, known: &[&str], empty: Option<String>, listed: &str) -> String {
    match suggest(word, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => match empty {
            Some(e) if known.is_empty() => e,
            _ => format!("{listed}{}", known.join(", ")),
        },
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.filter(|(c, d)| *d <= (c.chars().count().max(word.chars().count()) / 2).max(2))
        .map(|(c, _)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\nあいう\nx";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 6), (2, 2));
        assert_eq!(line_col(t, t.len()), (3, 2));
    }

    #[test]
    fn suggests_nearest() {
        assert_eq!(
            suggest("titel", ["title", "summary", "weight"]),
            Some("title")
        );
        assert_eq!(suggest("zzzzzzzz", ["title", "summary"]), None);
    }

    #[test]
    fn renders_snippet_with_caret() {
        let d = Diagnostic::at(
            Kind::InvalidSource,
            "a.md",
            "x = 1\ntitle = 3\n",
            14,
            "wrong type",
        )
        .help("use a string");
        let s = d.to_string();
        assert!(s.contains("a.md:2:9"), "{s}");
        assert!(s.contains("2 | title = 3"), "{s}");
        assert!(s.contains("help: use a string"), "{s}");
    }
}
