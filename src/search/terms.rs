//! Query terms: splitting a query into terms, stemming words, and deciding whether a
//! word in the text satisfies a word term.
//!
//! A normalised query is split at whitespace and CJK/general punctuation; ASCII
//! punctuation is trimmed from the ends of each piece. A piece made only of word
//! units ([`is_word_unit`]: Latin, Greek, Cyrillic letters and digits) is a *word*
//! term, matched at the start of a word through a light stemmer; any other piece
//! (Japanese, or mixed like `usbメモリ` or `1-4`) is a *literal* term, matched as an
//! exact substring anywhere. The last word term of a query that does not end in a
//! space also matches as a prefix (search as you type). A term with marked letters (`bệnh`)
//! matches only where the text has those very letters ([`marks_agree`]; see
//! [`super::normalize`] for why marks fold one way). Mirrored by search-core.js.

use super::normalize::{
    display_units, fold_units, is_break_unit, is_space, is_word_unit, light_unit, light_units,
    Folding,
};

/// At most this many terms of a query are used.
pub const MAX_TERMS: usize = 8;

/// One term of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The folded term, in UTF-16 units.
    pub text: Vec<u16>,
    /// `true` for a word term, `false` for a literal term.
    pub word: bool,
    /// Word terms only: also accept any word starting with `text`.
    pub prefix: bool,
    /// Word terms only: the forms a word must share one of (see [`forms`]).
    pub forms: Vec<String>,
    /// What to look for in the text: `text` for a literal, for a word a prefix common
    /// to every word that can satisfy the term.
    pub key: Vec<u16>,
    /// The term folded with its marks kept ([`light_unit`]), as long as `text`.
    pub marked: Vec<u16>,
    /// Whether `marked` has a letter with marks, which the text must then have too.
    pub exact: bool,
}

/// Split a raw query into terms (normalising it with the index language's folding first).
/// Empty when the query is too short to search: nothing but punctuation, or a single ASCII
/// letter or digit.
pub fn parse_query(query: &str, f: Folding) -> Vec<Term> {
    let raw: Vec<u16> = query.encode_utf16().collect();
    let ends_open = raw
        .last()
        .is_some_and(|&c| !is_space(c) && !is_break_unit(c));
    let shown = display_units(&raw);
    let norm = fold_units(&shown, f);
    let light = light_units(&shown, f);
    let mut terms: Vec<Term> = Vec::new();
    let mut start = 0;
    for end in 0..=norm.len() {
        if end < norm.len() && !is_break_unit(norm[end]) {
            continue;
        }
        let (mut a, mut b) = (start, end);
        start = end + 1;
        while a < b && is_trim_unit(norm[a]) {
            a += 1;
        }
        while b > a && is_trim_unit(norm[b - 1]) {
            b -= 1;
        }
        if a == b {
            continue;
        }
        let text = norm[a..b].to_vec();
        let marked = light[a..b].to_vec();
        if terms.iter().any(|t| t.marked == marked) {
            continue;
        }
        let word = text.iter().all(|&c| is_word_unit(c));
        terms.push(Term {
            forms: Vec::new(),
            key: text.clone(),
            exact: marked != text,
            text,
            marked,
            word,
            prefix: false,
        });
        if terms.len() == MAX_TERMS {
            break;
        }
    }
    if terms.len() == 1 && terms[0].marked.len() == 1 && terms[0].marked[0] < 0x80 {
        return Vec::new();
    }
    let last = terms.len().wrapping_sub(1);
    for (i, term) in terms.iter_mut().enumerate() {
        if !term.word {
            continue;
        }
        let t = String::from_utf16_lossy(&term.text);
        let s = stem(&t);
        let a = strip_y(&ekey(&t));
        let b = strip_y(&ekey(&s));
        let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        term.key = a
            .chars()
            .take(common)
            .collect::<String>()
            .encode_utf16()
            .collect();
        term.forms = forms(&t);
        term.prefix = i == last && ends_open;
    }
    terms
}

/// ASCII punctuation and symbols: trimmed from both ends of a term.
fn is_trim_unit(c: u16) -> bool {
    c < 0x80 && !is_word_unit(c)
}

/// A light English suffix stripper for a lower-case word. At most one rule applies,
/// the first that fits: `-ies` → `-y` (policies → policy), `-es` after s, x, z, ch, sh
/// (boxes → box), `-s` but not `-ss`, `-us`, `-is` (vendors → vendor), `-ing`
/// (training → train), `-ed` (encrypted → encrypt), `-ly` (quickly → quick), each only
/// when enough of the word is left. Anything else is returned unchanged (ransomware).
pub fn stem(w: &str) -> String {
    let n = w.chars().count();
    let cut = |k: usize| w.chars().take(n - k).collect::<String>();
    if n >= 5 && w.ends_with("ies") {
        return cut(3) + "y";
    }
    if n >= 5
        && ["ses", "xes", "zes", "ches", "shes"]
            .iter()
            .any(|s| w.ends_with(s))
    {
        return cut(2);
    }
    if n >= 4 && w.ends_with('s') && !["ss", "us", "is"].iter().any(|s| w.ends_with(s)) {
        return cut(1);
    }
    if n >= 6 && w.ends_with("ing") {
        return cut(3);
    }
    if n >= 5 && w.ends_with("ed") {
        return cut(2);
    }
    if n >= 6 && w.ends_with("ly") {
        return cut(2);
    }
    w.to_string()
}

/// A word without a final `e` (when at least two units are left), so that `share`
/// and `sharing` (stem `shar`), `case` and `cases` (stem `cas`) meet.
fn ekey(w: &str) -> String {
    if w.chars().count() >= 3 && w.ends_with('e') {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// A word without a final `y` (when at least one unit is left).
fn strip_y(w: &str) -> String {
    if w.chars().count() >= 2 && w.ends_with('y') {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// The forms under which two words count as the same word: the word and its stem,
/// each without a final `e`. Two words match when their forms share one.
pub fn forms(w: &str) -> Vec<String> {
    let a = ekey(w);
    let b = ekey(&stem(w));
    if a == b {
        vec![a]
    } else {
        vec![a, b]
    }
}

/// Whether the marked letters of `term` are in `raw` (display text) at `p`, for a match that
/// ends at `e`: a query letter without marks accepts any marks, one with marks only itself
/// (compared case-insensitively). Always true for a term without marks.
pub fn marks_agree(raw: &[u16], p: usize, e: usize, term: &Term) -> bool {
    if !term.exact {
        return true;
    }
    let n = term.marked.len().min(e - p);
    (0..n).all(|i| {
        let q = term.marked[i];
        q == term.text[i] || raw.get(p + i).map(|&c| light_unit(c, Folding::default())) == Some(q)
    })
}

/// Whether the word `w` (a whole run of word units from the text, folded) satisfies
/// the word term.
pub fn word_matches(w: &[u16], term: &Term) -> bool {
    if term.prefix && w.starts_with(&term.text) {
        return true;
    }
    let w = String::from_utf16_lossy(w);
    forms(&w).iter().any(|f| term.forms.contains(f))
}
