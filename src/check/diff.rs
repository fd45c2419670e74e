//! A line diff, printed as unified-diff hunks, to show translators how a source text changed
//! since it was translated.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp};

/// One line of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// In both texts.
    Same(&'a str),
    /// Only in the old text.
    Removed(&'a str),
    /// Only in the new text.
    Added(&'a str),
}

/// How long the alignment may take; past it the rest of a huge rewrite is shown as replaced
/// whole rather than aligned line by line.
const DEADLINE: Duration = Duration::from_secs(2);

/// The lines of `old` and `new` aligned by a shortest edit script (Myers' algorithm, from the
/// `similar` crate); in each changed run the removed lines come before the added ones.
pub fn diff<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &a,
        &b,
        Some(Instant::now() + DEADLINE),
    );
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    for op in ops {
        let (_, old_range, new_range) = op.as_tag_tuple();
        match op {
            DiffOp::Equal { .. } => out.extend(a[old_range].iter().map(|l| Line::Same(l))),
            _ => {
                out.extend(a[old_range].iter().map(|l| Line::Removed(l)));
                out.extend(b[new_range].iter().map(|l| Line::Added(l)));
            }
        }
    }
    out
}

/// The change from `old` to `new` as unified-diff hunks with `context` unchanged lines around
/// each change (`@@ -1,3 +1,4 @@`, then lines starting with ` `, `-` or `+`). Empty when equal.
pub fn unified(old: &str, new: &str, context: usize) -> String {
    let lines = diff(old, new);
    let changed: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, Line::Same(_)))
        .map(|(i, _)| i)
        .collect();
    let mut out = String::new();
    let mut k = 0;
    while k < changed.len() {
        // Extend the hunk while the next change is close enough to share context.
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * context + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let start = first.saturating_sub(context);
        let end = (last + context + 1).min(lines.len());
        // Line numbers of the hunk's start in old and new.
        let (mut o, mut n) = (1, 1);
        for l in &lines[..start] {
            match l {
                Line::Same(_) => {
                    o += 1;
                    n += 1;
                }
                Line::Removed(_) => o += 1,
                Line::Added(_) => n += 1,
            }
        }
        let part = &lines[start..end];
        let o_len = part.iter().filter(|l| !matches!(l, Line::Added(_))).count();
        let n_len = part
            .iter()
            .filter(|l| !matches!(l, Line::Removed(_)))
            .count();
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            if o_len == 0 { o - 1 } else { o },
            o_len,
            if n_len == 0 { n - 1 } else { n },
            n_len
        ));
        for l in part {
            let (c, t) = match l {
                Line::Same(t) => (' ', t),
                Line::Removed(t) => ('-', t),
                Line::Added(t) => ('+', t),
            };
            out.push(c);
            out.push_str(t);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_hunks() {
        assert_eq!(unified("a\nb\n", "a\nb\n", 2), "");
    }

    #[test]
    fn one_changed_line() {
        let d = unified("a\nb\nc\nd\ne\nf\n", "a\nb\nc\nD\ne\nf\n", 1);
        assert_eq!(d, "@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n");
    }

    #[test]
    fn insertions_and_deletions() {
        let d = diff("x\ny\nz", "x\nnew\nz\nend");
        assert_eq!(
            d,
            [
                Line::Same("x"),
                Line::Removed("y"),
                Line::Added("new"),
                Line::Same("z"),
                Line::Added("end")
            ]
        );
        assert_eq!(unified("", "a\n", 3), "@@ -0,0 +1,1 @@\n+a\n");
        assert_eq!(unified("a\n", "", 3), "@@ -1,1 +0,0 @@\n-a\n");
    }

    #[test]
    fn distant_changes_make_two_hunks() {
        let old: String = (0..20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n", "two\n").replace("17\n", "seventeen\n");
        let d = unified(&old, &new, 2);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
    }
}
