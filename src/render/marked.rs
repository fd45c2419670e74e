//! A template rendered once for many pages that differ only in which of its entries is the
//! current one (the sidebar): the output with no entry current, and for each entry the edits that
//! make it current, found by comparing that output with the one where every entry is current.
//!
//! This holds for a template that draws each entry from the entry alone, in the order of its
//! list, however it marks the current one (an attribute, a class, other words); [`Marked::check`]
//! compares the result with a real rendering, and a template that does otherwise is rendered for
//! each page instead.

/// One change: the text of `start..end` of the plain output replaced by `text`.
#[derive(Debug)]
struct Edit<T> {
    start: usize,
    end: usize,
    text: T,
}

/// A template's output with no entry current, and each entry's edits.
#[derive(Debug)]
pub struct Marked {
    /// The output with no entry current.
    pub plain: String,
    /// The edits that make each entry current, in list order, the same number for each (the
    /// first of the pair); `None` when the outputs do not fall into the same number of edits for
    /// each entry. Their texts are indices into `texts`.
    edits: Option<(usize, Vec<Edit<usize>>)>,
    /// The texts the edits put in, each once (most entries are marked with the same words).
    texts: Vec<String>,
}

/// Splits `s` before every `<`, `>`, `"` and space: the units the two outputs are compared in.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        if i > from && matches!(b, b'<' | b'>' | b'"' | b' ') {
            out.push(&s[from..i]);
            from = i;
        }
    }
    if from < s.len() {
        out.push(&s[from..]);
    }
    out
}

/// How many tokens the two outputs may differ by in one place before they agree again.
const REACH: usize = 64;

/// How many equal tokens in a row make the two outputs agree again after a change (one: the
/// smallest change is taken, as a diff would).
const AGREE: usize = 1;

/// The runs of change between `a` and `b` as `(a0, a1, b0, b1)`: `a[a0..a1]` became `b[b0..b1]`.
/// The outputs differ only where an entry is marked, a few tokens each, so a linear walk finds
/// them: on a difference it takes the smallest step in either output after which [`AGREE`]
/// tokens (or both ends) agree again. `None` when no such step is within [`REACH`] (the template
/// is then rendered for each page); an alignment that is not the template's own is caught by
/// [`Marked::check`].
fn align(a: &[&str], b: &[&str]) -> Option<Vec<(usize, usize, usize, usize)>> {
    let agree = |i: usize, j: usize| {
        (0..AGREE).all(|k| match (a.get(i + k), b.get(j + k)) {
            (Some(x), Some(y)) => x == y,
            (None, None) => true,
            _ => false,
        })
    };
    let (mut i, mut j) = (0, 0);
    let mut runs = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        let (da, db) = (1..=2 * REACH)
            .flat_map(|d| (0..=d).map(move |da| (da, d - da)))
            .filter(|&(da, db)| da <= REACH && db <= REACH)
            .filter(|&(da, db)| i + da <= a.len() && j + db <= b.len())
            .find(|&(da, db)| agree(i + da, j + db))?;
        runs.push((i, i + da, j, j + db));
        i += da;
        j += db;
    }
    Some(runs)
}

impl Marked {
    /// `plain` rendered with no entry current and `all` with all `entries` current.
    pub fn new(plain: String, all: &str, entries: usize) -> Marked {
        let mut texts: Vec<String> = Vec::new();
        let edits = Self::edits(&plain, all, entries).map(|(per, edits)| {
            let edits = edits
                .into_iter()
                .map(|e| Edit {
                    start: e.start,
                    end: e.end,
                    text: match texts.iter().position(|t| *t == e.text) {
                        Some(at) => at,
                        None => {
                            texts.push(e.text.to_string());
                            texts.len() - 1
                        }
                    },
                })
                .collect();
            (per, edits)
        });
        Marked {
            plain,
            edits,
            texts,
        }
    }

    /// The edits of each entry: how many per entry, and all of them in list order.
    fn edits<'a>(plain: &str, all: &'a str, entries: usize) -> Option<(usize, Vec<Edit<&'a str>>)> {
        if entries == 0 {
            return None;
        }
        let (a, b) = (tokens(plain), tokens(all));
        let offsets = |t: &[&str]| {
            let mut at = vec![0];
            for x in t {
                at.push(at.last().copied().unwrap_or(0) + x.len());
            }
            at
        };
        let (oa, ob) = (offsets(&a), offsets(&b));
        // Runs of changes between equal stretches.
        let runs: Vec<Edit<&str>> = align(&a, &b)?
            .into_iter()
            .map(|(a0, a1, b0, b1)| Edit {
                start: oa[a0],
                end: oa[a1],
                text: &all[ob[b0]..ob[b1]],
            })
            .collect();
        if runs.is_empty() {
            // The template does not mark the current entry: every page gets the same sidebar.
            return Some((0, runs));
        }
        if !runs.len().is_multiple_of(entries) {
            return None;
        }
        Some((runs.len() / entries, runs))
    }

    /// The edits of entry `k`, if known.
    fn of(&self, k: usize) -> Option<&[Edit<usize>]> {
        let (per, edits) = self.edits.as_ref()?;
        edits.get(k * per..(k + 1) * per)
    }

    /// The output with entry `k` current, in pieces (without copying the plain output); `None`
    /// when the entry's edits are not known.
    pub fn pieces(&self, k: usize) -> Option<Vec<&str>> {
        let edits = self.of(k)?;
        let mut out = Vec::with_capacity(edits.len() * 2 + 1);
        let mut at = 0;
        for e in edits {
            out.push(&self.plain[at..e.start]);
            out.push(self.texts[e.text].as_str());
            at = e.end;
        }
        out.push(&self.plain[at..]);
        Some(out)
    }

    /// Keeps the edits only if the entries `which` accepts, made current by them together, give
    /// `rendered`, the template's own output with those entries current; returns whether they
    /// are kept.
    pub fn check(&mut self, which: impl Fn(usize) -> bool, rendered: &str) -> bool {
        let same = self.edits.as_ref().is_some_and(|(per, all)| {
            let mut out = String::with_capacity(rendered.len());
            let mut at = 0;
            let chosen = all
                .iter()
                .enumerate()
                .filter(|(i, _)| which(i.checked_div(*per).unwrap_or(0)));
            for (_, e) in chosen {
                out.push_str(&self.plain[at..e.start]);
                out.push_str(&self.texts[e.text]);
                at = e.end;
            }
            out.push_str(&self.plain[at..]);
            out == rendered
        });
        if !same {
            self.edits = None;
        }
        same
    }

    /// Whether each entry's edits are known.
    pub fn usable(&self) -> bool {
        self.edits.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(current: &[bool], mark: impl Fn(bool) -> String) -> String {
        let mut s = String::from("<ul>");
        for (i, c) in current.iter().enumerate() {
            s.push_str(&format!(
                "<li{}><a href=\"{i}.html\">{i}</a></li>",
                mark(*c)
            ));
        }
        s.push_str("</ul>");
        s
    }

    #[test]
    fn each_entry_is_made_current_by_its_own_edits() {
        for mark in [
            |c: bool| {
                if c {
                    " aria-current=\"page\"".into()
                } else {
                    String::new()
                }
            },
            |c: bool| {
                if c {
                    " class=\"here\"".into()
                } else {
                    " class=\"there\"".into()
                }
            },
        ] {
            let n = 4;
            let m = Marked::new(list(&[false; 4], mark), &list(&[true; 4], mark), n);
            for k in 0..n {
                let want: Vec<bool> = (0..n).map(|j| j == k).collect();
                assert_eq!(m.pieces(k).unwrap().concat(), list(&want, mark));
            }
            assert!(m.pieces(n).is_none());
            let mut m = m;
            let want: Vec<bool> = (0..n).map(|j| j % 2 == 1).collect();
            assert!(m.check(|j| j % 2 == 1, &list(&want, mark)) && m.usable());
        }
    }

    #[test]
    fn a_template_that_marks_nothing_is_the_same_for_every_entry() {
        let m = Marked::new("<ul><li>a</li></ul>".into(), "<ul><li>a</li></ul>", 3);
        assert_eq!(m.pieces(2).unwrap().concat(), "<ul><li>a</li></ul>");
    }

    #[test]
    fn a_template_that_does_not_mark_each_entry_alone_is_found_out() {
        // Two entries, three changes: no way to tell them apart.
        let m = Marked::new("<a>x</a><a>y</a>".into(), "<b>x</b><a>y</a><b>z</b>", 2);
        assert!(!m.usable());
        // The right number of changes, in another order than the list's: the check finds it.
        let mut m = Marked::new("<p>a</p><p>b</p>".into(), "<p>A</p><p>B</p>", 2);
        assert!(m.usable());
        assert!(!m.check(|k| k == 0, "<p>a</p><p>B</p>"));
        assert!(!m.usable() && m.pieces(0).is_none());
    }
}
