//! Text normalisation for search: display form, folding, and character classes.
//!
//! Two steps, so that match positions can be shown in the original text:
//!
//! * [`display`] is applied once when the index is built (and to every query): it
//!   composes half-width katakana into full-width (`ｶﾞ` → `ガ`, also kana followed by
//!   a combining voiced mark), turns control characters into spaces, collapses runs
//!   of whitespace into one space and trims. The index stores text in this form and
//!   snippets show it.
//! * [`fold`] maps each UTF-16 code unit to exactly one UTF-16 code unit. Because it
//!   never changes the length, a match found in the folded text sits at the same
//!   offsets in the display text. It depends on the index's language ([`Folding`]):
//!   - in every language: full-width ASCII to ASCII, upper case to lower case (Latin,
//!     Greek, Cyrillic), and a Latin letter with marks to its plain letter (`ệ` → `e`,
//!     `é` → `e`, `ơ` → `o`, and `đ` → `d`): see [`strip_mark`];
//!   - in Japanese only: hiragana to katakana (`ひらがな` = `ヒラガナ`), which readers of
//!     Japanese treat as one word written two ways; elsewhere kana are rare and kept apart.
//!
//! Marks are folded one way only. A query letter written without marks matches the
//! letter with any marks (`benh vien` finds `bệnh viện`, `dieu duong` finds `điều
//! dưỡng`, `cafe` finds `café`), because people often type without them: Vietnamese
//! on a phone keyboard without tones, or anyone in a hurry. A query letter written with
//! marks matches only that letter (`bệnh` does not find `bênh` or `benh`), so a reader
//! who types the tones gets exactly what they typed. Folding marks both ways would make
//! every Vietnamese syllable match up to a dozen others that differ only in tone (`ma`,
//! `má`, `mà`, `mả`, `mã`, `mạ` are six words); one way, only an unmarked query pays
//! that, and its reader could not have said which they meant. The check of a marked
//! letter is [`crate::search::terms`]' job: the folded text has no marks, the display
//! text at the same offsets has them.
//!
//! [`normalize`] is both steps. `themes/default/static/search-core.js` implements the same
//! functions, unit for unit; all offsets are in UTF-16 code units, as in JavaScript.

use std::sync::OnceLock;

/// How the text of one language is folded (see the module documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Folding {
    /// Hiragana fold to katakana (Japanese).
    pub kana: bool,
}

impl Folding {
    /// The folding of language `lang`, a BCP 47 code (`ja`, `ja-JP`, `en`, `vi`, …): kana folding
    /// for Japanese, by the code's primary subtag.
    pub fn for_lang(lang: &str) -> Folding {
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        Folding {
            kana: primary.eq_ignore_ascii_case("ja"),
        }
    }
}

/// Full NFKC-like normalisation: `fold(display(s))`.
///
/// `ＵＳＢ` → `usb`, `ｶﾅ` → `カナ`, `ﾊﾟ` → `パ`, `ひらがな` → `ヒラガナ` (Japanese),
/// `Bệnh` → `benh`, `  a \u{3000} b ` → `a b`.
pub fn normalize(s: &str, f: Folding) -> String {
    fold(&display(s), f)
}

/// The display form: half-width katakana composed into full-width, whitespace and
/// control characters collapsed to single spaces, trimmed.
pub fn display(s: &str) -> String {
    display_cow(s).into_owned()
}

/// [`display`], borrowing `s` when it is in display form already.
pub fn display_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_display(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(display_changed(s))
}

fn display_changed(s: &str) -> String {
    // The same steps as [`display_units`]: runs of characters it keeps are copied whole; the
    // characters it changes (spaces, half-width katakana, voiced marks) one by one. A character
    // outside the BMP is two surrogate units there, which are neither spaces, kana nor marks.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut k = 0;
    while k < b.len() {
        let start = k;
        while k < b.len() && (LEAD[usize::from(b[k])] == 0 || !breaks_run(b, k)) {
            k += 1;
        }
        let mut run_last = None;
        if k > start {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push_str(&s[start..k]);
            run_last = s[start..k].chars().next_back();
        }
        let Some(ch) = s[k..].chars().next() else {
            break;
        };
        k += ch.len_utf8();
        let c = u16::try_from(u32::from(ch)).unwrap_or(0xFFFF);
        // A voiced mark right after a kept character composes with it.
        let compose = |base: u16, mark: u32| match mark {
            0xFF9E | 0x3099 => voiced(base),
            0xFF9F | 0x309A => semi_voiced(base),
            _ => None,
        };
        let before = run_last.and_then(|p| u16::try_from(u32::from(p)).ok());
        if let Some(unit) = before.and_then(|p| compose(p, u32::from(ch))) {
            out.pop();
            out.push(char::from_u32(u32::from(unit)).unwrap_or(ch));
            continue;
        }
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        let base = if (0xFF61..=0xFF9F).contains(&c) {
            HALFWIDTH_KANA[(c - 0xFF61) as usize]
        } else {
            c
        };
        let next = s[k..].chars().next();
        let unit = match next.and_then(|n| compose(base, u32::from(n)).map(|u| (u, n))) {
            Some((u, n)) => {
                k += n.len_utf8();
                u
            }
            None => base,
        };
        out.push(char::from_u32(u32::from(unit)).unwrap_or(ch));
    }
    out
}

/// Per byte: 0 when no character [`breaks_run`] stops at starts with it, else 1.
static LEAD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i <= 0x20 {
        t[i] = 1;
        i += 1;
    }
    t[0x7F] = 1;
    t[0xC2] = 1;
    t[0xE1] = 1;
    t[0xE2] = 1;
    t[0xE3] = 1;
    t[0xEF] = 1;
    t
};

/// Whether the character at byte `k` is one [`display`] may change: a space or control, a
/// half-width katakana or a voiced mark (only ever true at the start of a character).
fn breaks_run(b: &[u8], k: usize) -> bool {
    if LEAD[usize::from(b[k])] == 0 {
        return false;
    }
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match b[k] {
        0x00..=0x20 | 0x7F => true,
        // U+0080..=U+00A0: C1 controls and the no-break space.
        0xC2 => at(k + 1) <= 0xA0,
        // U+1680.
        0xE1 => at(k + 1) == 0x9A && at(k + 2) == 0x80,
        // U+2000..=U+200B, U+2028, U+2029, U+202F, U+205F.
        0xE2 => {
            (at(k + 1) == 0x80 && matches!(at(k + 2), 0x80..=0x8B | 0xA8 | 0xA9 | 0xAF))
                || (at(k + 1) == 0x81 && at(k + 2) == 0x9F)
        }
        // U+3000 and the combining voiced marks U+3099, U+309A.
        0xE3 => {
            (at(k + 1) == 0x80 && at(k + 2) == 0x80)
                || (at(k + 1) == 0x82 && matches!(at(k + 2), 0x99 | 0x9A))
        }
        // U+FEFF and the half-width katakana U+FF61..=U+FF9F.
        0xEF => {
            (at(k + 1) == 0xBB && at(k + 2) == 0xBF)
                || (at(k + 1) == 0xBD && at(k + 2) >= 0xA1)
                || (at(k + 1) == 0xBE && at(k + 2) <= 0x9F)
        }
        _ => false,
    }
}

/// Whether [`display`] leaves `s` as it is: no space at either end or next to another, and no
/// character it changes (other whitespace and controls, half-width katakana, voiced marks). A
/// byte scan, so most text skips the character-by-character pass.
fn is_display(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    (0..b.len()).all(|k| {
        LEAD[usize::from(b[k])] == 0
            || if b[k] == b' ' {
                b.get(k + 1) != Some(&b' ')
            } else {
                !breaks_run(b, k)
            }
    })
}

/// [`display`] on UTF-16 code units.
pub fn display_units(s: &[u16]) -> Vec<u16> {
    let mut out: Vec<u16> = Vec::with_capacity(s.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(0x20);
            pending_space = false;
        }
        let base = if (0xFF61..=0xFF9F).contains(&c) {
            HALFWIDTH_KANA[(c - 0xFF61) as usize]
        } else {
            c
        };
        // A voiced or semi-voiced mark after a kana: compose when a composed form exists.
        if let Some(&next) = s.get(i) {
            let composed = match next {
                0xFF9E | 0x3099 => voiced(base),
                0xFF9F | 0x309A => semi_voiced(base),
                _ => None,
            };
            if let Some(k) = composed {
                out.push(k);
                i += 1;
                continue;
            }
        }
        out.push(base);
    }
    out
}

/// Fold a string unit by unit with [`fold_unit`] (the length in UTF-16 units is kept).
pub fn fold(s: &str, f: Folding) -> String {
    let units: Vec<u16> = s.encode_utf16().map(|c| fold_unit(c, f)).collect();
    String::from_utf16_lossy(&units)
}

/// [`fold`] on UTF-16 code units.
pub fn fold_units(s: &[u16], f: Folding) -> Vec<u16> {
    s.iter().map(|&c| fold_unit(c, f)).collect()
}

/// [`light_unit`] on UTF-16 code units.
pub fn light_units(s: &[u16], f: Folding) -> Vec<u16> {
    s.iter().map(|&c| light_unit(c, f)).collect()
}

/// Fold one UTF-16 code unit: [`light_unit`], then [`strip_mark`].
#[inline]
pub fn fold_unit(c: u16, f: Folding) -> u16 {
    strip_mark(light_unit(c, f))
}

/// Fold one UTF-16 code unit but keep its marks: full-width ASCII → ASCII, hiragana →
/// katakana (with [`Folding::kana`]), upper → lower case. Surrogates and everything else are
/// returned unchanged.
#[inline]
pub fn light_unit(c: u16, f: Folding) -> u16 {
    match c {
        0x41..=0x5A => c + 0x20,
        0x00..=0x7F => c,
        // Full-width ASCII, then lower-cased.
        0xFF01..=0xFF5E => {
            let a = c - 0xFEE0;
            if (0x41..=0x5A).contains(&a) {
                a + 0x20
            } else {
                a
            }
        }
        // Hiragana (and the hiragana iteration marks) → katakana.
        0x3041..=0x3096 | 0x309D | 0x309E if f.kana => c + 0x60,
        0xC0..=0x52F | 0x1E00..=0x1EFF => lower_unit(c),
        _ => c,
    }
}

/// The Latin letter without its marks, in lower case: a letter of Latin-1, Latin Extended-A
/// and -B or Latin Extended Additional whose canonical decomposition is an ASCII letter and
/// combining marks (U+0300..U+036F) becomes that letter (`ệ` → `e`, `Ǻ` → `a`, `ư` → `u`,
/// `İ` → `i`), and `đ`, `Đ` become `d` (Vietnamese is typed so without marks). Any other unit
/// is returned unchanged.
#[inline]
pub fn strip_mark(c: u16) -> u16 {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    let slot = match c {
        0xC0..=0x24F => usize::from(c - 0xC0),
        0x1E00..=0x1EFF => usize::from(c - 0x1E00) + (0x250 - 0xC0),
        _ => return c,
    };
    TABLE.get_or_init(|| {
        use unicode_normalization::UnicodeNormalization;
        (0xC0..=0x24Fu16)
            .chain(0x1E00..=0x1EFF)
            .map(|u| {
                let ch = char::from_u32(u32::from(u)).unwrap_or('\0');
                let mut parts = std::iter::once(ch).nfd();
                let base = parts.next().unwrap_or(ch);
                let marks = parts.all(|m| ('\u{300}'..='\u{36F}').contains(&m));
                match u {
                    0x110 | 0x111 => u16::from(b'd'),
                    _ if base != ch && base.is_ascii_alphabetic() && marks => {
                        base.to_ascii_lowercase() as u16
                    }
                    _ => u,
                }
            })
            .collect()
    })[slot]
}

/// Lower case of a Latin, Greek or Cyrillic letter, when it is one BMP character.
fn lower_unit(c: u16) -> u16 {
    let Some(ch) = char::from_u32(u32::from(c)) else {
        return c;
    };
    let mut it = ch.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) if (l as u32) <= 0xFFFF => l as u32 as u16,
        _ => c,
    }
}

/// Whitespace for search purposes: ASCII controls and space, C1 controls, and the
/// Unicode spaces (including the ideographic space U+3000). The same set as `isSpace`
/// in search.js.
pub fn is_space(c: u16) -> bool {
    matches!(
        c,
        0x00..=0x20
            | 0x7F..=0xA0
            | 0x1680
            | 0x2000..=0x200B
            | 0x2028
            | 0x2029
            | 0x202F
            | 0x205F
            | 0x3000
            | 0xFEFF
    )
}

/// A unit that can be part of a word of an alphabetic script (after folding):
/// ASCII letters and digits, Latin-1 and Latin Extended letters, Greek, Cyrillic.
/// Word terms of a query match only at the start of such a run.
pub fn is_word_unit(c: u16) -> bool {
    matches!(
        c,
        0x30..=0x39
            | 0x41..=0x5A
            | 0x61..=0x7A
            | 0xC0..=0xD6
            | 0xD8..=0xF6
            | 0xF8..=0x24F
            | 0x370..=0x3FF
            | 0x400..=0x52F
            | 0x1E00..=0x1EFF
    )
}

/// A unit that separates query terms besides whitespace: CJK and general punctuation
/// (`、。「」・…“”` and the like). ASCII punctuation does not separate terms (it can be
/// part of `1-4` or `wi-fi`); it is only trimmed from the ends of a term.
pub fn is_break_unit(c: u16) -> bool {
    match c {
        0x3005..=0x3007 | 0x3031..=0x3035 | 0x303B | 0x303C => false,
        0x3000..=0x303F | 0x2010..=0x205E | 0x30FB | 0xFE30..=0xFE4F | 0xFF5F..=0xFF65 => true,
        _ => is_space(c),
    }
}

/// Half-width katakana U+FF61..=U+FF9F → full-width.
const HALFWIDTH_KANA: [u16; 63] = [
    // ｡｢｣､･ｦｧｨ
    0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3,
    // ｩｪｫｬｭｮｯｰ
    0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC,
    // ｱｲｳｴｵｶｷｸ
    0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF,
    // ｹｺｻｼｽｾｿﾀ
    0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF,
    // ﾁﾂﾃﾄﾅﾆﾇﾈ
    0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD,
    // ﾉﾊﾋﾌﾍﾎﾏﾐ
    0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30DE, 0x30DF,
    // ﾑﾒﾓﾔﾕﾖﾗﾘ
    0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA,
    // ﾙﾚﾛﾜﾝﾞﾟ
    0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C,
];

/// The kana with a voiced mark (dakuten) composed, if there is one.
fn voiced(c: u16) -> Option<u16> {
    match c {
        // か..ぢ, つ..ど (hiragana) and カ..ヂ, ツ..ド (katakana): voiced = next code point.
        0x304B..=0x3062 | 0x30AB..=0x30C2 if (c - 0x304B).is_multiple_of(2) => Some(c + 1),
        0x3064 | 0x3066 | 0x3068 | 0x30C4 | 0x30C6 | 0x30C8 => Some(c + 1),
        // は..ほ, ハ..ホ: voiced = next, semi-voiced = next but one.
        0x306F..=0x307D | 0x30CF..=0x30DD if (c - 0x306F).is_multiple_of(3) => Some(c + 1),
        0x3046 => Some(0x3094),         // う → ゔ
        0x30A6 => Some(0x30F4),         // ウ → ヴ
        0x309D | 0x30FD => Some(c + 1), // ゝ → ゞ, ヽ → ヾ
        0x30EF..=0x30F2 => Some(c + 8), // ワヰヱヲ → ヷヸヹヺ
        _ => None,
    }
}

/// The kana with a semi-voiced mark (handakuten) composed, if there is one.
fn semi_voiced(c: u16) -> Option<u16> {
    match c {
        0x306F..=0x307D | 0x30CF..=0x30DD if (c - 0x306F).is_multiple_of(3) => Some(c + 2),
        _ => None,
    }
}
