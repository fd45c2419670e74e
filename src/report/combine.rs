//! Bringing usable exports together: one column per respondent (its latest export), hospital-wide
//! domain and group scores, the items respondents disagree on most, what changed between
//! consecutive exports of one respondent, and the combined table as CSV. The same rules, in the
//! same order, as `combine` and `toCsv` in the theme's `static/compare-core.js`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::read::Export;
use super::Model;

/// One respondent: their latest export's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Respondent {
    /// The respondent's name.
    pub name: String,
    /// Indices of its exports, oldest first.
    pub exports: Vec<usize>,
    /// Index of the latest export.
    pub latest: usize,
    /// The latest export's date.
    pub date: String,
    /// Score 0–1 of each domain (none when nothing scored was answered).
    pub domains: BTreeMap<u32, Option<f64>>,
    /// Score of each kind of measure.
    pub groups: Vec<GroupScore>,
    /// Status id of each item (none when not answered).
    pub items: BTreeMap<String, Option<String>>,
}

/// The score of a kind of measure (a group of domains).
#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    /// The group's id.
    pub id: String,
    /// Mean of its domains' scores (none when none is scored).
    pub score: Option<f64>,
    /// Whether it is the lowest, unless every score is 1.
    pub weakest: bool,
}

/// An export that repeats an earlier one (same respondent, date, answers and notes).
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    /// Index of the repeating export.
    pub index: usize,
    /// Index of the export it repeats.
    pub of: usize,
}

/// A domain's score over every respondent.
#[derive(Debug, Clone, Serialize)]
pub struct DomainScore {
    /// The domain's number.
    pub number: u32,
    /// Its score 0–1 (none when no respondent scored it).
    pub score: Option<f64>,
    /// How many respondents scored it.
    pub respondents: usize,
    /// Whether it is the lowest, unless every score is 1.
    pub weakest: bool,
}

/// How much respondents disagree on an item.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// The item's id.
    pub item: String,
    /// How many respondents scored it.
    pub respondents: usize,
    /// Mean of their scores 0–1.
    pub mean: f64,
    /// Population standard deviation of their scores.
    pub sd: f64,
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
}

/// An item whose answer changed between two exports.
#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    /// The item's id.
    pub item: String,
    /// Status id before (none when not answered).
    pub from: Option<String>,
    /// Status id after (none when not answered).
    pub to: Option<String>,
}

/// A domain whose score changed between two exports.
#[derive(Debug, Clone, Serialize)]
pub struct DomainChange {
    /// The domain's number.
    pub number: u32,
    /// Score before.
    pub from: Option<f64>,
    /// Score after.
    pub to: Option<f64>,
}

/// What changed between two consecutive exports of one respondent.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The respondent's name.
    pub respondent: String,
    /// Index of the earlier export.
    pub from: usize,
    /// Index of the later export.
    pub to: usize,
    /// The items whose answer changed.
    pub items: Vec<ItemChange>,
    /// The domains whose score changed.
    pub domains: Vec<DomainChange>,
}

/// Everything the compare page and the report show.
#[derive(Debug, Clone, Serialize)]
pub struct Combined {
    /// Every respondent, in the order first seen.
    pub respondents: Vec<Respondent>,
    /// Exports that repeat an earlier one.
    pub duplicates: Vec<Duplicate>,
    /// Each domain over every respondent.
    pub domains: Vec<DomainScore>,
    /// Scored domains' numbers, weakest first.
    pub ranking: Vec<u32>,
    /// Each kind of measure over every respondent.
    pub groups: Vec<GroupScore>,
    /// Items with at least two scored answers, most disagreed on first.
    pub disagreement: Vec<Disagreement>,
    /// What changed between consecutive exports of each respondent.
    pub changes: Vec<Change>,
}

fn domain_scores(m: &Model, ex: &Export) -> BTreeMap<u32, Option<f64>> {
    let mut sums: BTreeMap<u32, (f64, usize)> = m.domains.iter().map(|&n| (n, (0.0, 0))).collect();
    for it in &m.items {
        if let Some(sc) = m.score(ex.answers.get(&it.id).map(String::as_str)) {
            let e = sums.entry(it.domain).or_default();
            e.0 += sc;
            e.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(n, (s, k))| (n, (k > 0 && m.max > 0.0).then(|| s / (k as f64 * m.max))))
        .collect()
}

fn group_scores(m: &Model, domains: &BTreeMap<u32, Option<f64>>) -> Vec<GroupScore> {
    let mut groups: Vec<GroupScore> = m
        .groups
        .iter()
        .map(|g| {
            let (mut sum, mut n) = (0.0, 0usize);
            for d in &g.domains {
                if let Some(Some(s)) = domains.get(d) {
                    sum += s;
                    n += 1;
                }
            }
            GroupScore {
                id: g.id.clone(),
                score: (n > 0).then(|| sum / n as f64),
                weakest: false,
            }
        })
        .collect();
    let scores: Vec<Option<f64>> = groups.iter().map(|g| g.score).collect();
    for (g, w) in groups.iter_mut().zip(weakest(&scores)) {
        g.weakest = w;
    }
    groups
}

/// Which scores are the weakest: the lowest, unless every score is 1.
fn weakest(scores: &[Option<f64>]) -> Vec<bool> {
    let mut min: Option<f64> = None;
    for s in scores.iter().flatten() {
        if min.is_none_or(|m| *s < m) {
            min = Some(*s);
        }
    }
    scores
        .iter()
        .map(|s| match (s, min) {
            (Some(s), Some(m)) => m < 1.0 && (s - m).abs() < 1e-9,
            _ => false,
        })
        .collect()
}

/// What makes two exports the same: respondent, date, and each item's status and note.
type DuplicateKey = (String, String, Vec<(String, String)>);

fn answers_key(m: &Model, ex: &Export) -> Vec<(String, String)> {
    m.items
        .iter()
        .map(|it| {
            (
                ex.answers.get(&it.id).cloned().unwrap_or_default(),
                ex.notes.get(&it.id).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

fn chronological(exports: &[Export], list: &mut [usize]) {
    list.sort_by(|&a, &b| {
        let (x, y) = (&exports[a], &exports[b]);
        x.date
            .cmp(&y.date)
            .then_with(|| x.exported.cmp(&y.exported))
            .then(a.cmp(&b))
    });
}

/// Brings `exports` together, in file order (see the module doc).
pub fn combine(m: &Model, exports: &[Export]) -> Combined {
    let mut seen: HashMap<DuplicateKey, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    for (index, ex) in exports.iter().enumerate() {
        let key = (ex.respondent.clone(), ex.date.clone(), answers_key(m, ex));
        if let Some(&of) = seen.get(&key) {
            duplicates.push(Duplicate { index, of });
            continue;
        }
        seen.insert(key, index);
        by_name
            .entry(ex.respondent.clone())
            .or_insert_with(|| {
                names.push(ex.respondent.clone());
                Vec::new()
            })
            .push(index);
    }
    for list in by_name.values_mut() {
        chronological(exports, list);
    }

    let respondents: Vec<Respondent> = names
        .iter()
        .map(|name| {
            let list = &by_name[name];
            let latest = *list.last().unwrap_or(&0);
            let ex = &exports[latest];
            let domains = domain_scores(m, ex);
            Respondent {
                name: name.clone(),
                exports: list.clone(),
                latest,
                date: ex.date.clone(),
                groups: group_scores(m, &domains),
                domains,
                items: m
                    .items
                    .iter()
                    .map(|it| (it.id.clone(), ex.answers.get(&it.id).cloned()))
                    .collect(),
            }
        })
        .collect();

    // Hospital-wide: every respondent's latest export counts once.
    let mut domains: Vec<DomainScore> = m
        .domains
        .iter()
        .map(|&n| {
            let (mut sum, mut k) = (0.0, 0usize);
            for r in &respondents {
                if let Some(Some(s)) = r.domains.get(&n) {
                    sum += s;
                    k += 1;
                }
            }
            DomainScore {
                number: n,
                score: (k > 0).then(|| sum / k as f64),
                respondents: k,
                weakest: false,
            }
        })
        .collect();
    let scores: Vec<Option<f64>> = domains.iter().map(|d| d.score).collect();
    for (d, w) in domains.iter_mut().zip(weakest(&scores)) {
        d.weakest = w;
    }
    let hospital: BTreeMap<u32, Option<f64>> =
        domains.iter().map(|d| (d.number, d.score)).collect();
    let groups = group_scores(m, &hospital);
    let mut ranked: Vec<(f64, u32)> = domains
        .iter()
        .filter_map(|d| d.score.map(|s| (s, d.number)))
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let ranking = ranked.into_iter().map(|x| x.1).collect();

    // Disagreement per item: the population standard deviation of the scores 0–1.
    let mut disagreement: Vec<(usize, Disagreement)> = Vec::new();
    if m.max > 0.0 {
        for it in &m.items {
            let values: Vec<f64> = respondents
                .iter()
                .filter_map(|r| m.score(r.items[&it.id].as_deref()))
                .map(|s| s / m.max)
                .collect();
            if values.len() < 2 {
                continue;
            }
            let n = values.len() as f64;
            let mean = values.iter().fold(0.0, |a, x| a + x) / n;
            let sq = values.iter().fold(0.0, |a, x| a + (x - mean) * (x - mean));
            let lo = values
                .iter()
                .fold(values[0], |a, &x| if x < a { x } else { a });
            let hi = values
                .iter()
                .fold(values[0], |a, &x| if x > a { x } else { a });
            disagreement.push((
                it.index,
                Disagreement {
                    item: it.id.clone(),
                    respondents: values.len(),
                    mean,
                    sd: (sq / n).sqrt(),
                    min: lo,
                    max: hi,
                },
            ));
        }
        disagreement.sort_by(|a, b| b.1.sd.total_cmp(&a.1.sd).then(a.0.cmp(&b.0)));
    }

    // What changed between consecutive exports of one respondent.
    let mut changes = Vec::new();
    for name in &names {
        let list = &by_name[name];
        for w in list.windows(2) {
            let (a, b) = (&exports[w[0]], &exports[w[1]]);
            let items = m
                .items
                .iter()
                .filter_map(|it| {
                    let (x, y) = (a.answers.get(&it.id), b.answers.get(&it.id));
                    (x != y).then(|| ItemChange {
                        item: it.id.clone(),
                        from: x.cloned(),
                        to: y.cloned(),
                    })
                })
                .collect();
            let (da, db) = (domain_scores(m, a), domain_scores(m, b));
            let doms = m
                .domains
                .iter()
                .filter(|n| da[n] != db[n])
                .map(|&n| DomainChange {
                    number: n,
                    from: da[&n],
                    to: db[&n],
                })
                .collect();
            changes.push(Change {
                respondent: name.clone(),
                from: w[0],
                to: w[1],
                items,
                domains: doms,
            });
        }
    }

    Combined {
        respondents,
        duplicates,
        domains,
        ranking,
        groups,
        disagreement: disagreement.into_iter().map(|x| x.1).collect(),
        changes,
    }
}

/// The words of the combined CSV: the header (11 columns), the word for the latest export, and
/// the question of each item and the label of each status.
pub struct CsvLabels {
    /// The column headings.
    pub header: Vec<String>,
    /// The word marking the latest export.
    pub yes: String,
    /// Each item's question, by id.
    pub questions: HashMap<String, String>,
    /// Each status's label, by id.
    pub statuses: HashMap<String, String>,
}

enum Field<'a> {
    Text(&'a str),
    Num(String),
}

fn field(f: &Field) -> String {
    let s = match f {
        Field::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        Field::Text(s) => s.to_string(),
        Field::Num(s) => s.clone(),
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Every kept export, respondent by respondent and oldest first, one row per item; UTF-8 with a
/// byte order mark and CRLF line ends, for spreadsheet programs.
pub fn to_csv(m: &Model, exports: &[Export], c: &Combined, l: &CsvLabels) -> String {
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, row: &[Field]| {
        let cells: Vec<String> = row.iter().map(field).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    let header: Vec<Field> = l.header.iter().map(|h| Field::Text(h)).collect();
    line(&mut out, &header);
    for r in &c.respondents {
        for &index in &r.exports {
            let ex = &exports[index];
            let latest = if index == r.latest {
                l.yes.as_str()
            } else {
                ""
            };
            for it in &m.items {
                let st = ex.answers.get(&it.id).map(String::as_str).unwrap_or("");
                let label = if st.is_empty() {
                    ""
                } else {
                    l.statuses.get(st).map(String::as_str).unwrap_or(st)
                };
                let score = m
                    .score(Some(st))
                    .map(|s| Field::Num(super::js_number(s)))
                    .unwrap_or(Field::Text(""));
                line(
                    &mut out,
                    &[
                        Field::Text(&r.name),
                        Field::Text(&ex.date),
                        Field::Text(&ex.file),
                        Field::Text(latest),
                        Field::Text(&it.id),
                        Field::Num(it.domain.to_string()),
                        Field::Text(l.questions.get(&it.id).map(String::as_str).unwrap_or("")),
                        Field::Text(st),
                        Field::Text(label),
                        score,
                        Field::Text(ex.notes.get(&it.id).map(String::as_str).unwrap_or("")),
                    ],
                );
            }
        }
    }
    out
}
