//! The handouts drawn from data: a checklist's blank worksheet and the incident card.

use serde::Serialize;

use super::*;

#[derive(Serialize)]
struct Status {
    id: String,
    label: String,
    score: Option<String>,
    na: bool,
}

#[derive(Serialize)]
struct WsItem {
    id: String,
    no: usize,
    question: String,
}

#[derive(Serialize)]
struct WsDomain {
    number: u32,
    mark: String,
    subject: String,
    control: String,
    note: String,
    items: Vec<WsItem>,
}

#[derive(Serialize)]
struct Cell {
    mark: String,
    note: String,
    items_text: String,
}

/// The worksheet's view: statuses, the items by domain, the matrix and the groups.
pub(super) fn worksheet(site: &Site, c: &Checklist, ls: &LangState, ctx: &mut tera::Context) {
    let lang = ls.lang;
    let src = site.source_lang();
    let d = &c.data;
    let label = |l: &crate::load::data::Labelled| l.text().or(lang, src).to_string();
    let statuses: Vec<Status> = d
        .statuses
        .iter()
        .map(|x| Status {
            id: x.id.clone(),
            label: label(x),
            score: x.score.map(|v| {
                ls.strings.get("ws_points").replace(
                    "{n}",
                    &if v.fract() == 0.0 {
                        format!("{v:.0}")
                    } else {
                        v.to_string()
                    },
                )
            }),
            na: x.na,
        })
        .collect();
    let note = |n: u32| {
        d.domains
            .iter()
            .find(|x| x.number == n)
            .map(|x| inline_md(x.text.or(lang, src)))
            .unwrap_or_default()
    };
    let mut cells: Vec<(u32, &str, &str)> = Vec::new();
    for subj in &d.subjects {
        for ctl in &d.controls {
            cells.push((
                c.domain(&subj.id, &ctl.id).unwrap_or(0),
                subj.id.as_str(),
                ctl.id.as_str(),
            ));
        }
    }
    cells.sort();
    let mut no = 0;
    let mut domains = Vec::new();
    for (n, sid, cid) in &cells {
        let items: Vec<WsItem> = d
            .items
            .iter()
            .filter(|i| i.subject == *sid && i.control == *cid)
            .map(|it| {
                no += 1;
                WsItem {
                    id: it.id.clone(),
                    no,
                    question: inline_md(it.question.or(lang, src)),
                }
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        domains.push(WsDomain {
            number: *n,
            mark: circled(*n),
            subject: d
                .subjects
                .iter()
                .find(|x| x.id == *sid)
                .map(label)
                .unwrap_or_default(),
            control: d
                .controls
                .iter()
                .find(|x| x.id == *cid)
                .map(label)
                .unwrap_or_default(),
            note: note(*n),
            items,
        });
    }
    let subjects: Vec<String> = d.subjects.iter().map(label).collect();
    let rows: Vec<(String, Vec<Cell>)> = d
        .controls
        .iter()
        .map(|ctl| {
            let cells = d
                .subjects
                .iter()
                .map(|subj| {
                    let n = c.domain(&subj.id, &ctl.id).unwrap_or(0);
                    let count = d
                        .items
                        .iter()
                        .filter(|i| i.subject == subj.id && i.control == ctl.id)
                        .count();
                    Cell {
                        mark: circled(n),
                        note: note(n),
                        items_text: ls
                            .strings
                            .get("ws_items_count")
                            .replace("{n}", &count.to_string()),
                    }
                })
                .collect();
            (label(ctl), cells)
        })
        .collect();
    let groups: Vec<(String, String)> = d
        .groups
        .iter()
        .map(|g| {
            (
                label(g),
                g.domains
                    .iter()
                    .map(|n| circled(*n))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    ctx.insert("checklist_title", d.title.or(lang, src));
    ctx.insert(
        "checklist_description",
        &inline_md(d.description.or(lang, src)),
    );
    ctx.insert("statuses", &statuses);
    ctx.insert("domains", &domains);
    ctx.insert("items_total", &no);
    ctx.insert("subjects", &subjects);
    ctx.insert("rows", &rows);
    ctx.insert("groups", &groups);
    ctx.insert(
        "checklist_url",
        &format!("../../checklists/{}/index.html", d.id),
    );
}

#[derive(Serialize)]
struct Step {
    no: String,
    text: String,
    detail: Option<String>,
}

/// The incident card's view.
pub(super) fn card(site: &Site, ls: &LangState, ctx: &mut tera::Context) {
    let lang = ls.lang;
    let src = site.source_lang();
    let (flow, report) = card_lists(site);
    let step = |(i, it): (usize, &crate::load::data::ListItem)| Step {
        no: it
            .label
            .as_ref()
            .map(|l| plain(l.or(lang, src)))
            .unwrap_or_else(|| (i + 1).to_string()),
        text: inline_md(it.text.or(lang, src)),
        detail: it.detail.as_ref().map(|d| inline_md(d.or(lang, src))),
    };
    if let Some(f) = flow {
        ctx.insert(
            "flow_title",
            &f.title.as_ref().map(|t| inline_md(t.or(lang, src))),
        );
        let main: Vec<Step> = f
            .items
            .iter()
            .filter(|i| !i.parallel)
            .enumerate()
            .map(step)
            .collect();
        let side: Vec<Step> = f
            .items
            .iter()
            .filter(|i| i.parallel)
            .enumerate()
            .map(step)
            .collect();
        ctx.insert("steps", &main);
        ctx.insert("parallel", &side);
    }
    let reports: Vec<(Option<String>, Vec<Step>)> = report
        .iter()
        .map(|l| {
            (
                l.title.as_ref().map(|t| inline_md(t.or(lang, src))),
                l.items.iter().enumerate().map(step).collect(),
            )
        })
        .collect();
    ctx.insert("reports", &reports);
    ctx.insert(
        "contacts",
        &[
            "card_contact_lead",
            "card_contact_system",
            "card_contact_vendor",
            "card_contact_other",
        ]
        .iter()
        .map(|k| ls.strings.get(k).to_string())
        .collect::<Vec<_>>(),
    );
}
