//! Checklist exports brought together, for `kyozai report`: reading JSON and CSV exports
//! ([`read`]), combining them ([`combine`]) and the static report page ([`page`]). These are the
//! rules of the compare page's `static/compare-core.js`, kept equal to it by a twin test
//! (tests/report.rs runs both on the same files and requires the same result).

pub mod combine;
pub mod page;
pub mod read;

use serde_json::Value;

pub use combine::{combine, to_csv, Combined, CsvLabels};
pub use read::{parse, Export, Refusal, MAX_BYTES};

/// A status of the checklist, as the rules need it.
#[derive(Debug, Clone)]
pub struct Status {
    /// The status's id.
    pub id: String,
    /// Its score (none for a status that is not scored).
    pub score: Option<f64>,
    /// Whether it means "not applicable".
    pub na: bool,
}

/// An item: its id, its domain and its place in the checklist.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item's id.
    pub id: String,
    /// Its domain's number.
    pub domain: u32,
    /// Its position in the checklist.
    pub index: usize,
}

/// A kind of measure and the domains it covers.
#[derive(Debug, Clone)]
pub struct Group {
    /// The group's id.
    pub id: String,
    /// The domains it brings together.
    pub domains: Vec<u32>,
}

/// What the rules need of a checklist, made from the same data the browser gets
/// ([`crate::render::library::checklist_data`]).
#[derive(Debug, Clone)]
pub struct Model {
    /// The checklist's id.
    pub id: String,
    /// Its version.
    pub version: i64,
    /// The answers an item can have.
    pub statuses: Vec<Status>,
    /// The highest score of a status that is not "not applicable".
    pub max: f64,
    /// Its items, in order.
    pub items: Vec<Item>,
    /// The domain numbers that have items, ascending.
    pub domains: Vec<u32>,
    /// Its kinds of measure.
    pub groups: Vec<Group>,
}

impl Model {
    /// The model of a checklist's browser data (the JSON object in `LANG/checklists/ID/data.js`).
    pub fn from_data(data: &Value) -> Model {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let list = |k: &str| data[k].as_array().cloned().unwrap_or_default();
        let statuses: Vec<Status> = list("statuses")
            .iter()
            .map(|s| Status {
                id: text(&s["id"]),
                score: s["score"].as_f64(),
                na: s["na"].as_bool().unwrap_or(false),
            })
            .collect();
        let max = statuses
            .iter()
            .filter(|s| !s.na)
            .filter_map(|s| s.score)
            .fold(0.0, |a: f64, s| if s > a { s } else { a });
        let items: Vec<Item> = list("items")
            .iter()
            .enumerate()
            .map(|(index, it)| Item {
                id: text(&it["id"]),
                domain: it["domain"].as_u64().unwrap_or(0) as u32,
                index,
            })
            .collect();
        let mut domains: Vec<u32> = items.iter().map(|i| i.domain).collect();
        domains.sort_unstable();
        domains.dedup();
        Model {
            id: text(&data["id"]),
            version: data["version"].as_i64().unwrap_or(1),
            statuses,
            max,
            items,
            domains,
            groups: list("groups")
                .iter()
                .map(|g| Group {
                    id: text(&g["id"]),
                    domains: g["domains"]
                        .as_array()
                        .map(|d| {
                            d.iter()
                                .filter_map(|x| x.as_u64())
                                .map(|x| x as u32)
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect(),
        }
    }

    /// The status `id`, if the checklist has it.
    pub fn status(&self, id: &str) -> Option<&Status> {
        self.statuses.iter().find(|s| s.id == id)
    }

    /// The item `id`, if the checklist has it.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The score of a status, or None for none, not applicable or unscored.
    pub fn score(&self, status: Option<&str>) -> Option<f64> {
        let s = self.status(status.filter(|s| !s.is_empty())?)?;
        if s.na {
            None
        } else {
            s.score
        }
    }
}

/// What `kyozai report` makes of a set of files: the output files (name, bytes) and one
/// diagnostic per file that could not be used (file and reason).
pub struct Report {
    /// The files to write: name and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// One diagnostic per file that could not be used.
    pub refused: Vec<crate::Diagnostic>,
    /// How many exports were used.
    pub used: usize,
    /// How many respondents they came from.
    pub respondents: usize,
}

/// Reads `paths` as exports of the checklist `checklist` (by default the site's only checklist,
/// or the first one a file is an export of) and makes `report.csv`, `report.json` and the
/// `index.html` report in `lang`. Refused files are named in [`Report::refused`]; when none is
/// usable the result is an error listing them.
pub fn report(
    site: &crate::site::Site,
    theme: &crate::render::theme::Theme,
    paths: &[std::path::PathBuf],
    lang: &str,
    checklist: Option<&str>,
) -> crate::Result<Report> {
    use crate::error::{Diagnostic, Error, Kind};
    let lists = &site.data.checklists;
    let texts: Vec<(String, std::result::Result<String, Refusal>)> = paths
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let body = match std::fs::metadata(p) {
                Ok(md) if md.len() > MAX_BYTES => Err(read::Refusal::too_big(MAX_BYTES / 1024)),
                Ok(_) => std::fs::read(p)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .map_err(|_| read::Refusal::unreadable()),
                Err(_) => Err(read::Refusal::unreadable()),
            };
            (name, body)
        })
        .collect();
    let models: Vec<(Value, Model)> = lists
        .iter()
        .map(|c| {
            let data = crate::render::library::checklist_data(site, c, lang);
            let m = Model::from_data(&data);
            (data, m)
        })
        .collect();
    let chosen = match checklist {
        Some(id) => models.iter().position(|(_, m)| m.id == id).ok_or_else(|| {
            let known: Vec<&str> = models.iter().map(|(_, m)| m.id.as_str()).collect();
            Error::Usage(format!(
                "the course has no checklist `{id}`; its checklists: {}",
                known.join(", ")
            ))
        })?,
        None if models.len() == 1 => 0,
        None => texts
            .iter()
            .find_map(|(name, t)| {
                let t = t.as_ref().ok()?;
                models.iter().position(|(_, m)| parse(m, name, t).is_ok())
            })
            .unwrap_or(0),
    };
    let Some((data, m)) = models.get(chosen) else {
        return Err(Error::Usage(
            "the course has no checklist to report on".into(),
        ));
    };
    let strings = theme.strings.get(lang).cloned().unwrap_or_default();
    let mut inputs = Vec::new();
    let mut refused = Vec::new();
    for ((name, body), path) in texts.into_iter().zip(paths) {
        match body.and_then(|t| parse(m, &name, &t)) {
            Ok(ex) => inputs.push(page::Input::Used(ex)),
            Err(r) => {
                let mut d = Diagnostic::file(Kind::InvalidSource, path, page::reason(&strings, &r));
                if let Some(row) = r.detail.get("row").and_then(Value::as_u64) {
                    d.line = row as usize;
                }
                refused
                    .push(d.help("this file is left out of the report; the others are reported"));
                inputs.push(page::Input::Refused(name, r));
            }
        }
    }
    let exports: Vec<Export> = inputs
        .iter()
        .filter_map(|i| match i {
            page::Input::Used(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    if exports.is_empty() {
        return Err(Error::Source(refused));
    }
    let c = combine(m, &exports);
    let csv = to_csv(m, &exports, &c, &page::csv_labels(&strings, data));
    let refusals: Vec<Value> = inputs
        .iter()
        .filter_map(|i| match i {
            page::Input::Refused(name, r) => {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                v["file"] = name.as_str().into();
                Some(v)
            }
            _ => None,
        })
        .collect();
    let json = serde_json::to_string_pretty(
        &serde_json::json!({ "exports": exports, "refused": refusals, "combined": c }),
    )
    .unwrap_or_default();
    let title = data["title"].as_str().unwrap_or(&m.id);
    let html = page::render(theme, &strings, lang, title, data, m, &inputs, &exports, &c)?;
    let mut files = vec![
        ("index.html".to_string(), html.into_bytes()),
        ("report.csv".to_string(), csv.into_bytes()),
        ("report.json".to_string(), json.into_bytes()),
    ];
    for css in ["style.css", "compare.css"] {
        if let Some(b) = theme.statics.get(css) {
            files.push((css.to_string(), b.clone()));
        }
    }
    Ok(Report {
        files,
        used: exports.len() - c.duplicates.len(),
        respondents: c.respondents.len(),
        refused,
    })
}

/// Whitespace as JavaScript's `\s` knows it.
pub fn js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// The length of `s` in UTF-16 units, as JavaScript counts it.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The longest start of `s` of at most `n` UTF-16 units that ends on a character.
pub fn utf16_prefix(s: &str, n: usize) -> String {
    let mut used = 0;
    let mut end = 0;
    for c in s.chars() {
        used += c.len_utf16();
        if used > n {
            break;
        }
        end += c.len_utf8();
    }
    s[..end].to_string()
}

/// A number as JavaScript's `String(x)` writes it (for the scores of the combined CSV).
pub fn js_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_lengths_and_spaces() {
        assert_eq!(utf16_len("a😀"), 3);
        assert_eq!(utf16_prefix("ab😀c", 3), "ab");
        assert_eq!(utf16_prefix("病院", 5), "病院");
        assert!(js_space('\u{3000}') && js_space('\u{feff}') && !js_space('\u{85}'));
        assert_eq!(
            read::clean_name("  医療\u{3000}情報部 \n x "),
            "医療 情報部 x"
        );
        assert_eq!(js_number(2.0), "2");
        assert_eq!(js_number(1.5), "1.5");
    }

    #[test]
    fn csv_rows_with_quotes_and_line_breaks() {
        let rows = read::csv_rows("\"a\",\"b \"\"c\"\"\"\r\n\"d\ne\",f\r\n\r\n").unwrap();
        assert_eq!(rows, vec![vec!["a", "b \"c\""], vec!["d\ne", "f"]]);
        assert!(read::csv_rows("\"open").is_none());
    }
}
