//! The static report page of `kyozai report`: the combined result laid out as the compare page
//! shows it, rendered with the theme's `report.html` template and its UI strings.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::read::Refusal;
use super::{Combined, Export, Model};
use crate::error::Result;
use crate::render::body::directives::circled;
use crate::render::theme::{Strings, Theme};

/// One file given to the report: usable (an export) or refused.
pub enum Input {
    /// A usable export.
    Used(Export),
    /// A file that cannot be used: its name and why.
    Refused(String, Refusal),
}

#[derive(Serialize)]
struct FileRow {
    name: String,
    respondent: String,
    date: String,
    state: String,
    class: &'static str,
}

#[derive(Serialize)]
struct Cell {
    text: String,
    level: Option<u8>,
    title: String,
}

#[derive(Serialize)]
struct Row {
    label: String,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Block {
    domain: Row,
    items: Vec<Row>,
}

#[derive(Serialize)]
struct Ranked {
    label: String,
    text: String,
    level: Option<u8>,
    weakest: bool,
}

#[derive(Serialize)]
struct Spread {
    question: String,
    sd: String,
    range: String,
    respondents: usize,
}

#[derive(Serialize)]
struct ChangeView {
    title: String,
    domains: Vec<(String, &'static str)>,
    items: Vec<String>,
}

/// `s` with each `{key}` replaced by the detail of that name.
pub fn fill(s: &str, vars: &serde_json::Map<String, Value>) -> String {
    let mut out = s.to_string();
    for (k, v) in vars {
        let v = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out = out.replace(&format!("{{{k}}}"), &v);
    }
    out
}

fn vars(pairs: &[(&str, Value)]) -> serde_json::Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The sentence for a refused file.
pub fn reason(t: &Strings, r: &Refusal) -> String {
    let key = format!("compare_err_{}", r.code.replace('-', "_"));
    let s = t.0.get(&key).or_else(|| t.0.get("compare_err_format"));
    fill(s.map(String::as_str).unwrap_or(r.code), &r.detail)
}

fn level(score: f64) -> u8 {
    if score >= 1.0 {
        3
    } else if score >= 2.0 / 3.0 - 1e-9 {
        2
    } else if score >= 1.0 / 3.0 - 1e-9 {
        1
    } else {
        0
    }
}

fn pct(x: f64) -> String {
    format!("{}%", (x * 100.0).round() as i64)
}

/// The labels of one language from the checklist's browser data.
struct Labels {
    domain: HashMap<u32, String>,
    question: HashMap<String, String>,
    status: HashMap<String, String>,
    group: HashMap<String, String>,
}

impl Labels {
    fn new(data: &Value) -> Labels {
        let arr = |k: &str| data[k].as_array().cloned().unwrap_or_default();
        let s = |v: &Value| v.as_str().unwrap_or("").to_string();
        let label = |list: &str, id: &Value| {
            arr(list)
                .iter()
                .find(|x| x["id"] == *id)
                .map(|x| s(&x["label"]))
                .unwrap_or_else(|| s(id))
        };
        Labels {
            domain: arr("domains")
                .iter()
                .map(|d| {
                    let n = d["number"].as_u64().unwrap_or(0) as u32;
                    let text = format!(
                        "{} {} × {}",
                        circled(n),
                        label("subjects", &d["subject"]),
                        label("controls", &d["control"])
                    );
                    (n, text)
                })
                .collect(),
            question: arr("items")
                .iter()
                .map(|i| (s(&i["id"]), s(&i["question"])))
                .collect(),
            status: arr("statuses")
                .iter()
                .map(|i| (s(&i["id"]), s(&i["label"])))
                .collect(),
            group: arr("groups")
                .iter()
                .map(|i| (s(&i["id"]), s(&i["label"])))
                .collect(),
        }
    }
    fn domain(&self, n: u32) -> String {
        self.domain.get(&n).cloned().unwrap_or_else(|| circled(n))
    }
}

/// The words the combined CSV needs, in the language of `t` and `data`.
pub fn csv_labels(t: &Strings, data: &Value) -> super::CsvLabels {
    let l = Labels::new(data);
    super::CsvLabels {
        header: t
            .get("compare_csv_header")
            .split('|')
            .map(String::from)
            .collect(),
        yes: t.get("compare_yes").to_string(),
        questions: l.question,
        statuses: l.status,
    }
}

/// Renders the report page for `inputs` (in the order given) and their combination.
#[allow(clippy::too_many_arguments)]
pub fn render(
    theme: &Theme,
    t: &Strings,
    lang: &str,
    title: &str,
    data: &Value,
    m: &Model,
    inputs: &[Input],
    exports: &[Export],
    c: &Combined,
) -> Result<String> {
    let l = Labels::new(data);
    let levels: Vec<&str> = t.get("compare_levels").split('|').collect();
    let lv = |x: f64| {
        levels
            .get(level(x) as usize)
            .copied()
            .unwrap_or("")
            .to_string()
    };
    let dup_of: HashMap<usize, &str> = c
        .duplicates
        .iter()
        .map(|d| (d.index, exports[d.of].file.as_str()))
        .collect();
    let mut k = 0;
    let files: Vec<FileRow> = inputs
        .iter()
        .map(|i| match i {
            Input::Refused(name, r) => FileRow {
                name: name.clone(),
                respondent: String::new(),
                date: String::new(),
                state: reason(t, r),
                class: "is-refused",
            },
            Input::Used(ex) => {
                let index = k;
                k += 1;
                let mut state = vec![];
                let mut class = "";
                match dup_of.get(&index) {
                    Some(f) => {
                        class = "is-duplicate";
                        state.push(fill(
                            t.get("compare_duplicate"),
                            &vars(&[("file", (*f).into())]),
                        ));
                    }
                    None => state.push(t.get("compare_read").to_string()),
                }
                if let Some(mg) = &ex.migrated {
                    let v = vars(&[("from", mg.from.into()), ("dropped", mg.dropped.into())]);
                    state.push(fill(t.get("compare_migrated"), &v));
                }
                if ex.ignored > 0 {
                    state.push(fill(
                        t.get("compare_ignored"),
                        &vars(&[("n", ex.ignored.into())]),
                    ));
                }
                FileRow {
                    name: ex.file.clone(),
                    respondent: ex.respondent.clone(),
                    date: if ex.date.is_empty() {
                        "–".into()
                    } else {
                        ex.date.clone()
                    },
                    state: state.join(" "),
                    class,
                }
            }
        })
        .collect();
    let score_cell = |s: Option<f64>| match s {
        None => Cell {
            text: "–".into(),
            level: None,
            title: String::new(),
        },
        Some(s) => Cell {
            text: pct(s),
            level: Some(level(s)),
            title: lv(s),
        },
    };
    let heat: Vec<Block> = m
        .domains
        .iter()
        .map(|&n| Block {
            domain: Row {
                label: l.domain(n),
                cells: c
                    .respondents
                    .iter()
                    .map(|r| score_cell(r.domains[&n]))
                    .collect(),
            },
            items: m
                .items
                .iter()
                .filter(|it| it.domain == n)
                .map(|it| Row {
                    label: l.question.get(&it.id).cloned().unwrap_or_default(),
                    cells: c
                        .respondents
                        .iter()
                        .map(|r| match r.items[&it.id].as_deref() {
                            None => Cell {
                                text: String::new(),
                                level: None,
                                title: t.get("compare_not_answered").into(),
                            },
                            Some(st) => {
                                let title = l.status.get(st).cloned().unwrap_or_default();
                                match m.score(Some(st)) {
                                    None => Cell {
                                        text: t.get("compare_na_short").into(),
                                        level: None,
                                        title,
                                    },
                                    Some(sc) => Cell {
                                        text: pct(sc / m.max),
                                        level: Some(level(sc / m.max)),
                                        title,
                                    },
                                }
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let ranking: Vec<Ranked> = c
        .ranking
        .iter()
        .filter_map(|n| c.domains.iter().find(|d| d.number == *n))
        .map(|d| {
            let s = d.score.unwrap_or(0.0);
            Ranked {
                label: l.domain(d.number),
                text: format!(
                    "{} ({}, {})",
                    pct(s),
                    lv(s),
                    fill(
                        t.get("compare_of_respondents"),
                        &vars(&[("n", d.respondents.into())])
                    )
                ),
                level: Some(level(s)),
                weakest: d.weakest,
            }
        })
        .collect();
    let groups: Vec<Ranked> = c
        .groups
        .iter()
        .map(|g| Ranked {
            label: l.group.get(&g.id).cloned().unwrap_or_else(|| g.id.clone()),
            text: g
                .score
                .map(|s| format!("{} ({})", pct(s), lv(s)))
                .unwrap_or_else(|| "–".into()),
            level: g.score.map(level),
            weakest: g.weakest,
        })
        .collect();
    let disagree: Vec<Spread> = c
        .disagreement
        .iter()
        .filter(|d| d.sd > 0.0)
        .take(5)
        .map(|d| Spread {
            question: l.question.get(&d.item).cloned().unwrap_or_default(),
            sd: format!("{:.2}", d.sd),
            range: format!("{}–{}", pct(d.min), pct(d.max)),
            respondents: d.respondents,
        })
        .collect();
    let na = t.get("compare_not_answered");
    let changes: Vec<ChangeView> = c
        .changes
        .iter()
        .map(|ch| {
            let (a, b) = (&exports[ch.from], &exports[ch.to]);
            let when = |e: &Export| {
                if e.date.is_empty() {
                    e.file.clone()
                } else {
                    e.date.clone()
                }
            };
            ChangeView {
                title: fill(
                    t.get("compare_change_title"),
                    &vars(&[
                        ("name", ch.respondent.clone().into()),
                        ("from", when(a).into()),
                        ("to", when(b).into()),
                    ]),
                ),
                domains: ch
                    .domains
                    .iter()
                    .map(|d| {
                        let f = |x: Option<f64>| x.map(pct).unwrap_or_else(|| "–".into());
                        let trend = match (d.from, d.to) {
                            (Some(x), Some(y)) if y > x => "up",
                            (Some(_), Some(_)) => "down",
                            _ => "new",
                        };
                        (
                            format!("{}: {} → {}", l.domain(d.number), f(d.from), f(d.to)),
                            trend,
                        )
                    })
                    .collect(),
                items: ch
                    .items
                    .iter()
                    .map(|x| {
                        let s = |v: &Option<String>| {
                            v.as_ref()
                                .and_then(|v| l.status.get(v))
                                .map(String::as_str)
                                .unwrap_or(na)
                                .to_string()
                        };
                        format!(
                            "{}: {} → {}",
                            l.question.get(&x.item).map(String::as_str).unwrap_or(""),
                            s(&x.from),
                            s(&x.to)
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let kept = exports.len() - c.duplicates.len();
    let count = fill(
        t.get("compare_count"),
        &vars(&[
            ("n", kept.into()),
            ("r", c.respondents.len().into()),
            ("bad", (inputs.len() - kept).into()),
        ]),
    );
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang);
    ctx.insert("t", t);
    ctx.insert("title", &t.get("compare_title").replace("{title}", title));
    ctx.insert("count", &count);
    ctx.insert("files", &files);
    ctx.insert(
        "respondents",
        &c.respondents
            .iter()
            .map(|r| (&r.name, &r.date))
            .collect::<Vec<_>>(),
    );
    ctx.insert("heat", &heat);
    ctx.insert("ranking", &ranking);
    ctx.insert("groups", &groups);
    ctx.insert("disagree", &disagree);
    ctx.insert("changes", &changes);
    crate::render::render_template(theme, "report.html", &ctx)
}
