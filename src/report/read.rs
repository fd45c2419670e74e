//! Reading one checklist export (JSON or CSV, as the checklist page writes them) into answers of
//! the current checklist version, or a reason code why it cannot be used. The same rules, in the
//! same order, as `parse` in the theme's `static/compare-core.js`.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{js_space, utf16_len, utf16_prefix, Model};

const FORMAT: &str = "kyozai-checklist";
/// Files larger than this are refused before they are read (`too-big`).
pub const MAX_BYTES: u64 = 1024 * 1024;
const MAX_ITEMS: usize = 5000;
const MAX_NOTE: usize = 20000;
const MAX_RESPONDENT: usize = 200;
const CSV_COLUMNS: usize = 12;

/// One usable export, its answers in the current checklist's item and status ids.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    /// The file's name.
    pub file: String,
    /// `json` or `csv`.
    pub kind: &'static str,
    /// The checklist version it was made with.
    pub version: i64,
    /// The date of the answers.
    pub date: String,
    /// When it was exported (ISO 8601), if known.
    pub exported: String,
    /// The respondent's name.
    pub respondent: String,
    /// Whether the file named its respondent (else the name is the file's).
    pub named: bool,
    /// Status id of each answered item.
    pub answers: HashMap<String, String>,
    /// Note of each item that has one.
    pub notes: HashMap<String, String>,
    /// Set when the export was made with an older checklist version.
    pub migrated: Option<Migrated>,
    /// How many answers were left out (unknown items or statuses).
    pub ignored: usize,
}

/// An export of an older checklist version carried over.
#[derive(Debug, Clone, Serialize)]
pub struct Migrated {
    /// The version it was made with.
    pub from: i64,
    /// How many answers were not carried over.
    pub dropped: usize,
}

/// Why a file cannot be used: a code (`json`, `checklist`, `status`, …) and its details.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    /// The reason's code.
    pub code: &'static str,
    #[serde(flatten)]
    /// What the reason's message needs.
    pub detail: Map<String, Value>,
}

impl Refusal {
    fn new(code: &'static str) -> Self {
        Refusal {
            code,
            detail: Map::new(),
        }
    }
    /// A file over the size limit (`limit` in KB).
    pub fn too_big(limit: u64) -> Self {
        Refusal::new("too-big").with("limit", limit)
    }
    /// A file that could not be read.
    pub fn unreadable() -> Self {
        Refusal::new("read")
    }
    fn with(mut self, key: &str, v: impl Into<Value>) -> Self {
        self.detail.insert(key.into(), v.into());
        self
    }
}

type Read<T> = std::result::Result<T, Refusal>;

struct Raw {
    checklist: String,
    version: Option<f64>,
    respondent: String,
    date: String,
    exported: String,
    items: Vec<(String, String, String)>,
    kind: &'static str,
}

/// One line, whitespace collapsed and trimmed, at most 200 UTF-16 units.
pub fn clean_name(s: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{feff}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    utf16_prefix(&out, MAX_RESPONDENT)
}

fn stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rfind('.') {
        Some(d) if d > 0 => &base[..d],
        _ => base,
    }
}

/// Reads one export named `name` with contents `text`.
pub fn parse(m: &Model, name: &str, text: &str) -> Read<Export> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = body.trim_start_matches(js_space);
    if rest.is_empty() {
        return Err(Refusal::new("empty"));
    }
    let raw = if rest.starts_with('{') || rest.starts_with('[') {
        from_json(body)?
    } else {
        from_csv(body)?
    };
    settle(m, name, raw)
}

fn from_json(body: &str) -> Read<Raw> {
    let rec: Value = serde_json::from_str(body).map_err(|_| Refusal::new("json"))?;
    let (Some(obj), true) = (rec.as_object(), rec["format"] == FORMAT) else {
        return Err(Refusal::new("format"));
    };
    let Some(checklist) = obj.get("checklist").and_then(Value::as_str) else {
        return Err(Refusal::new("format"));
    };
    let Some(list) = obj.get("items").and_then(Value::as_array) else {
        return Err(Refusal::new("items"));
    };
    if list.len() > MAX_ITEMS {
        return Err(Refusal::new("too-many").with("limit", MAX_ITEMS));
    }
    let mut items = Vec::with_capacity(list.len());
    for (i, it) in list.iter().enumerate() {
        let id = match it.get("id").and_then(Value::as_str) {
            Some(id) if it.is_object() && !id.is_empty() && utf16_len(id) <= 200 => id,
            _ => return Err(Refusal::new("item").with("index", i + 1)),
        };
        let status = match it.get("status") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                let shown = serde_json::to_string(other).unwrap_or_default();
                return Err(Refusal::new("status")
                    .with("item", id)
                    .with("status", utf16_prefix(&shown, 80)));
            }
        };
        let note = match it.get("note") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) if utf16_len(s) <= MAX_NOTE => s.clone(),
            Some(_) => return Err(Refusal::new("note").with("item", id)),
        };
        items.push((id.to_string(), status, note));
    }
    let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    Ok(Raw {
        checklist: checklist.to_string(),
        // Anything but a number is refused as `version` later.
        version: match obj.get("version") {
            Some(Value::Number(n)) => n.as_f64(),
            _ => None,
        },
        respondent: text("respondent"),
        date: text("date"),
        exported: text("exported"),
        items,
        kind: "json",
    })
}

/// Splits CSV text into rows of fields; None when a quote is left open.
pub fn csv_rows(body: &str) -> Option<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' | '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    Some(rows)
}

/// Undoes the checklist page's guard against spreadsheet formulas (a leading apostrophe).
fn undefuse(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some('\''), Some('=' | '+' | '-' | '@' | '\t' | '\r')) => s[1..].to_string(),
        _ => s.to_string(),
    }
}

fn from_csv(body: &str) -> Read<Raw> {
    let rows = csv_rows(body).ok_or(Refusal::new("csv"))?;
    if rows.len() < 2 {
        return Err(Refusal::new("csv"));
    }
    let width = rows[0].len();
    if width != CSV_COLUMNS && width != CSV_COLUMNS + 1 {
        return Err(Refusal::new("csv"));
    }
    if rows.len() - 1 > MAX_ITEMS {
        return Err(Refusal::new("too-many").with("limit", MAX_ITEMS));
    }
    let head = &rows[1];
    if head.len() != width {
        return Err(Refusal::new("csv-row").with("row", 2));
    }
    let version = {
        let v = &head[1];
        (!v.is_empty() && v.len() <= 9 && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<f64>().unwrap_or(0.0))
    };
    let mut items = Vec::new();
    for (r, f) in rows.iter().enumerate().skip(1) {
        if f.len() != width {
            return Err(Refusal::new("csv-row").with("row", r + 1));
        }
        if f[0] != head[0]
            || f[1] != head[1]
            || f[2] != head[2]
            || (width > CSV_COLUMNS && f[12] != head[12])
        {
            return Err(Refusal::new("csv-mixed").with("row", r + 1));
        }
        if f[3].is_empty() || utf16_len(&f[3]) > 200 {
            return Err(Refusal::new("item").with("index", r));
        }
        let note = undefuse(&f[11]);
        if utf16_len(&note) > MAX_NOTE {
            return Err(Refusal::new("note").with("item", f[3].as_str()));
        }
        items.push((f[3].clone(), f[9].clone(), note));
    }
    Ok(Raw {
        checklist: head[0].clone(),
        version,
        respondent: if width > CSV_COLUMNS {
            undefuse(&head[12])
        } else {
            String::new()
        },
        date: head[2].clone(),
        exported: String::new(),
        items,
        kind: "csv",
    })
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn settle(m: &Model, name: &str, raw: Raw) -> Read<Export> {
    if raw.checklist != m.id {
        return Err(Refusal::new("checklist")
            .with("found", utf16_prefix(&raw.checklist, 80))
            .with("want", m.id.as_str()));
    }
    let v = match raw.version {
        Some(v) if v.is_finite() && v >= 1.0 && v.floor() == v => v as i64,
        _ => return Err(Refusal::new("version")),
    };
    if v > m.version {
        return Err(Refusal::new("newer")
            .with("found", v)
            .with("want", m.version));
    }
    let older = v < m.version;
    let mut answers = HashMap::new();
    let mut notes = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let (mut known, mut dropped) = (0usize, 0usize);
    for (id, status, note) in raw.items {
        if !seen.insert(id.clone()) {
            return Err(Refusal::new("duplicate-item").with("item", id));
        }
        if m.item(&id).is_none() {
            dropped += 1;
            continue;
        }
        known += 1;
        let mut status = status;
        if !status.is_empty() && m.status(&status).is_none() {
            // An older version's status that is gone is dropped, as the checklist page migrates
            // stored answers; in an export of this version it is an error.
            if !older {
                return Err(Refusal::new("status")
                    .with("item", id)
                    .with("status", utf16_prefix(&status, 80)));
            }
            status.clear();
            dropped += 1;
        }
        if !status.is_empty() {
            answers.insert(id.clone(), status);
        }
        if !note.is_empty() {
            notes.insert(id, note);
        }
    }
    if known == 0 {
        return Err(Refusal::new("no-known"));
    }
    let respondent = clean_name(&raw.respondent);
    Ok(Export {
        file: name.to_string(),
        kind: raw.kind,
        version: v,
        date: if is_date(&raw.date) {
            raw.date
        } else {
            String::new()
        },
        exported: utf16_prefix(&raw.exported, 40),
        named: !respondent.is_empty(),
        respondent: if respondent.is_empty() {
            clean_name(stem(name))
        } else {
            respondent
        },
        answers,
        notes,
        migrated: older.then_some(Migrated { from: v, dropped }),
        ignored: if older { 0 } else { dropped },
    })
}
