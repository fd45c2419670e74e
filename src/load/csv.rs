//! Case studies from a spreadsheet: one row per case, one column per field and language
//! (`title_ja`, `title_en`), list fields as lines inside a cell.

use crate::kind::Kind;
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Diagnostic;
use crate::load::data::{CaseData, CaseDate, Cause, CauseType, SourceRef};
use crate::text::Localized;

/// Columns that hold one value for every language.
const PLAIN: &[&str] = &[
    "id",
    "category",
    "country",
    "date",
    "records",
    "cause_types",
    "sources",
];
/// Columns that take a `_LANG` suffix.
const PER_LANG: &[&str] = &[
    "title",
    "organisation",
    "summary",
    "impact",
    "causes",
    "lessons",
];

/// Reads every row of a cases CSV file.
pub fn read_cases(path: &Path, text: &str) -> Result<Vec<CaseData>, Diagnostic> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| {
            Diagnostic::at(
                Kind::InvalidSource,
                path,
                text,
                0,
                format!("cannot read the header row: {e}"),
            )
        })?
        .clone();
    for (i, h) in headers.iter().enumerate() {
        let known = PLAIN.contains(&h)
            || h.rsplit_once('_')
                .is_some_and(|(f, l)| PER_LANG.contains(&f) && !l.is_empty());
        if !known {
            let mut all: Vec<String> = PLAIN.iter().map(|s| s.to_string()).collect();
            all.extend(PER_LANG.iter().map(|f| format!("{f}_LANG")));
            // `titel_ja`: compare the field part with the per-language fields first.
            let per_lang = h
                .rsplit_once('_')
                .and_then(|(f, _)| crate::error::suggest(f, PER_LANG.iter().copied()))
                .map(|f| format!("{f}_LANG"));
            let help = match per_lang
                .as_deref()
                .or_else(|| crate::error::suggest(h, all.iter().map(String::as_str)))
            {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("valid columns: {}", all.join(", ")),
            };
            return Err(Diagnostic::at_line(
                Kind::UnknownId,
                path,
                text,
                1,
                col_of(&headers, i),
                format!("unknown column `{h}`"),
            )
            .help(help));
        }
    }
    for req in ["id", "category", "country"] {
        if !headers.iter().any(|h| h == req) {
            return Err(Diagnostic::at_line(
                Kind::InvalidSource,
                path,
                text,
                1,
                1,
                format!("missing column `{req}`"),
            )
            .help(format!("add a `{req}` column")));
        }
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize).unwrap_or(1);
            Diagnostic::at_line(
                Kind::InvalidSource,
                path,
                text,
                line,
                1,
                format!("cannot read this row: {e}"),
            )
            .help("check the quotes and the number of columns")
        })?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(1);
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let err = |name: &str, msg: String| {
            let col = headers
                .iter()
                .position(|h| h == name)
                .map(|i| col_of(&headers, i))
                .unwrap_or(1);
            Diagnostic::at_line(
                Kind::InvalidSource,
                path,
                text,
                line,
                col,
                format!("row {line}, column `{name}`: {msg}"),
            )
        };
        let localized = |field: &str| {
            let mut m = BTreeMap::new();
            for (i, h) in headers.iter().enumerate() {
                if let Some(lang) = h.strip_prefix(field).and_then(|r| r.strip_prefix('_')) {
                    if let Some(v) = rec.get(i).map(str::trim).filter(|s| !s.is_empty()) {
                        m.insert(lang.to_string(), v.to_string());
                    }
                }
            }
            Localized(m)
        };
        let lines_per_lang = |field: &str| -> BTreeMap<String, Vec<String>> {
            localized(field)
                .0
                .into_iter()
                .map(|(l, v)| {
                    (
                        l,
                        v.lines()
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(String::from)
                            .collect(),
                    )
                })
                .collect()
        };
        let id = get("id")
            .ok_or_else(|| err("id", "the id is empty".into()).help("give every case a unique id"))?
            .to_string();
        let records = match get("records") {
            None => None,
            Some(v) => Some(v.replace([',', '_'], "").parse::<u64>().map_err(|_| {
                err("records", format!("`{v}` is not a whole number"))
                    .help("write digits only, e.g. 13000")
            })?),
        };
        let date = match get("date") {
            None => None,
            Some(v) => Some(
                toml::from_str::<BTreeMap<String, CaseDate>>(&format!("d = {:?}", v))
                    .map_err(|_| {
                        err("date", format!("`{v}` is not a date"))
                            .help("write YYYY, YYYY-MM or YYYY-MM-DD")
                    })?
                    .remove("d")
                    .unwrap_or(CaseDate(v.to_string())),
            ),
        };
        let types: Vec<CauseType> = match get("cause_types") {
            None => vec![],
            Some(v) => v
                .lines()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|t| {
                    CauseType::ALL
                        .into_iter()
                        .find(|c| c.id() == t)
                        .ok_or_else(|| {
                            err("cause_types", format!("`{t}` is not a cause type"))
                                .help("use organisational, human, technical or physical")
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        let cause_text = lines_per_lang("causes");
        let causes = types
            .iter()
            .enumerate()
            .map(|(i, t)| Cause {
                kind: *t,
                text: Localized(
                    cause_text
                        .iter()
                        .filter_map(|(l, v)| v.get(i).map(|s| (l.clone(), s.clone())))
                        .collect(),
                ),
            })
            .collect();
        let lesson_text = lines_per_lang("lessons");
        let n_lessons = lesson_text.values().map(Vec::len).max().unwrap_or(0);
        let lessons = (0..n_lessons)
            .map(|i| {
                Localized(
                    lesson_text
                        .iter()
                        .filter_map(|(l, v)| v.get(i).map(|s| (l.clone(), s.clone())))
                        .collect(),
                )
            })
            .collect();
        let sources = get("sources")
            .map(|v| {
                v.lines()
                    .filter(|s| !s.trim().is_empty())
                    .map(|l| {
                        let (t, u) = l
                            .split_once(" | ")
                            .map(|(t, u)| (t.trim(), Some(u.trim().to_string())))
                            .unwrap_or((l.trim(), None));
                        SourceRef {
                            title: Localized(BTreeMap::from([("*".into(), t.to_string())])),
                            url: u,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let impact = localized("impact");
        out.push(CaseData {
            id,
            category: get("category").unwrap_or_default().to_string(),
            country: get("country").unwrap_or_default().to_string(),
            date,
            records,
            title: localized("title"),
            organisation: localized("organisation"),
            summary: localized("summary"),
            impact: (!impact.is_empty()).then_some(impact),
            causes,
            lessons,
            sources,
        });
    }
    Ok(out)
}

/// 1-based character column where header `i` starts on the header line.
fn col_of(headers: &csv::StringRecord, i: usize) -> usize {
    headers
        .iter()
        .take(i)
        .map(|h| h.chars().count() + 1)
        .sum::<usize>()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_lists() {
        let t = "id,category,country,records,title_ja,title_en,organisation_ja,organisation_en,summary_ja,summary_en,cause_types,causes_ja,causes_en\n\
                 x,usb,JP,\"13,000\",題,Title,病院,Hospital,要約,Summary,\"human\ntechnical\",\"人\n技術\",\"people\ntech\"\n";
        let cases = read_cases(Path::new("c.cases.csv"), t).unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].records, Some(13000));
        assert_eq!(cases[0].causes.len(), 2);
        assert_eq!(cases[0].causes[1].text.get("en"), Some("tech"));
    }

    #[test]
    fn bad_number_names_row_and_column() {
        let t = "id,category,country,records\nx,usb,JP,many\n";
        let e = read_cases(Path::new("c.cases.csv"), t).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("column `records`"), "{e}");
        assert_eq!(e.column, "id,category,country,".len() + 1);
    }

    #[test]
    fn unknown_column() {
        let e = read_cases(Path::new("c.cases.csv"), "id,category,country,titel_ja\n").unwrap_err();
        assert!(e.message.contains("unknown column `titel_ja`"), "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `title_LANG`?"));
    }
}
