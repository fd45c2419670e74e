//! Expands directives into HTML through the theme's `templates/directives/NAME.html`: the views
//! each template gets (callouts, case-study tables, structured lists, the checklist form, the
//! subjects × controls matrix, the kinds of measures, flows, the course's own directives), and
//! the plain text each adds to the search index.

use serde::Serialize;

use super::glossary::Marker;
use super::html::{render_into, Ctx, Rendered};
use crate::error::Result;
use crate::load::data::ListData;
use crate::markdown::inline::{inline_md, plain};
use crate::markdown::parse::{Block, CasesArgs, Directive};
use crate::site::data::Checklist;
use crate::text::{escape_html, Localized};

/// Circled numbers for domains ①–⑳.
pub fn circled(n: u32) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1)
            .map(String::from)
            .unwrap_or_else(|| n.to_string()),
        _ => format!("({n})"),
    }
}

/// A localized data text in the page's language (source language as fallback), rendered.
fn loc(ctx: &Ctx, t: &Localized) -> String {
    inline_md(t.or(ctx.lang, ctx.site.source_lang()))
}

fn loc_plain(ctx: &Ctx, t: &Localized) -> String {
    plain(t.or(ctx.lang, ctx.site.source_lang()))
}

/// A label's text in the page's language (plain text; the template escapes it).
fn label(ctx: &Ctx, l: &crate::load::data::Labelled) -> String {
    l.text().or(ctx.lang, ctx.site.source_lang()).to_string()
}

fn text_chunk(out: &mut Rendered, s: &str) {
    if let Some(c) = out.chunks.last_mut() {
        c.text.push(' ');
        c.text.push_str(s);
    }
}

/// Renders the theme's `template` with `lang`, `root`, the UI strings `t` it names and what
/// `fill` adds: the one path every directive takes, built-in or the course's own.
pub fn draw(ctx: &Ctx, template: &str, fill: impl FnOnce(&mut tera::Context)) -> Result<String> {
    let mut c = tera::Context::new();
    c.insert("lang", ctx.lang);
    c.insert("root", ctx.root);
    match ctx.theme.template_strings(template, ctx.lang) {
        Some(t) => c.insert("t", t),
        None => c.insert("t", ctx.strings),
    }
    fill(&mut c);
    crate::render::render_template(ctx.theme, template, &c)
}

/// Appends a drawn directive, or keeps the first error.
fn put(out: &mut Rendered, drawn: Result<String>) {
    match drawn {
        Ok(h) => out.html.push_str(&h),
        Err(e) => {
            out.error.get_or_insert(e);
        }
    }
}

/// Renders one directive into `out`.
pub fn render(ctx: &Ctx, d: &Directive, marker: &mut Marker, out: &mut Rendered) {
    match d {
        Directive::Callout { kind, title, body } => {
            let html = body_html(ctx, body, marker, out);
            let template = format!("directives/{}.html", kind.name());
            put(
                out,
                draw(ctx, &template, |c| {
                    if let Some(t) = title {
                        c.insert("title", t);
                    }
                    c.insert("body", &html);
                }),
            );
        }
        Directive::Custom { name, title, body } => {
            let html = body_html(ctx, body, marker, out);
            let template = format!("directives/{name}.html");
            put(
                out,
                draw(ctx, &template, |c| {
                    if let Some(t) = title {
                        c.insert("title", t);
                    }
                    c.insert("name", name);
                    c.insert("body", &html);
                }),
            );
        }
        // Speaker notes and slides-only content are not on the pages or in the handouts; the
        // slides render them themselves (see `crate::render::slides`).
        Directive::Block { kind, body } => match kind {
            Block::SiteOnly => render_into(ctx, body, marker, out),
            Block::Notes | Block::SlidesOnly => {}
        },
        Directive::Cases(args) => {
            let drawn = cases_table(ctx, args, out);
            put(out, drawn);
        }
        Directive::List(id) => {
            if let Some(l) = ctx.site.data.lists.get(id) {
                let drawn = draw(ctx, "directives/list.html", |c| {
                    c.insert("options", &serde_json::json!({ "id": id }));
                    c.insert("list", &list_view(ctx, &l.value));
                });
                put(out, drawn);
                list_text(ctx, &l.value, out);
            }
        }
        Directive::Flow(id) => {
            if let Some(l) = ctx.site.data.lists.get(id) {
                let flow = super::figures::flow_view(ctx, &l.value);
                let drawn = draw(ctx, "directives/flow.html", |c| {
                    c.insert("options", &serde_json::json!({ "id": id }));
                    c.insert("flow", &flow);
                    c.insert("list", &list_view(ctx, &l.value));
                });
                put(out, drawn);
                list_text(ctx, &l.value, out);
            }
        }
        Directive::Matrix(id) => {
            if let Some(c) = ctx.site.data.checklist(id) {
                let drawn = draw(ctx, "directives/matrix.html", |t| {
                    t.insert("options", &serde_json::json!({ "checklist": id }));
                    t.insert("matrix", &matrix_view(ctx, c, false));
                });
                put(out, drawn);
            }
        }
        Directive::Groups(id) => {
            if let Some(c) = ctx.site.data.checklist(id) {
                let kinds: Vec<GroupView> = c
                    .data
                    .groups
                    .iter()
                    .map(|g| GroupView {
                        label: label(ctx, g),
                        domains: g.domains.iter().map(|n| circled(*n)).collect(),
                    })
                    .collect();
                let drawn = draw(ctx, "directives/groups.html", |t| {
                    t.insert("options", &serde_json::json!({ "checklist": id }));
                    t.insert("groups", &kinds);
                });
                put(out, drawn);
                for g in &c.data.groups {
                    text_chunk(
                        out,
                        &escape_html(g.text().or(ctx.lang, ctx.site.source_lang())),
                    );
                }
            }
        }
        Directive::Quiz(id) => {
            if let Some(q) = ctx.site.data.quiz(id) {
                put(out, super::quiz::html(ctx, q, true));
                text_chunk(out, &super::quiz::search_text(ctx.site, q, ctx.lang));
            }
        }
        Directive::Checklist(id) => {
            if let Some(c) = ctx.site.data.checklist(id) {
                put(out, checklist_form(ctx, c));
                for it in &c.data.items {
                    text_chunk(out, &loc_plain(ctx, &it.question));
                    text_chunk(out, &loc_plain(ctx, &it.countermeasure));
                }
            }
        }
    }
}

/// The Markdown body of a callout or a course's directive, rendered on its own (its search text
/// joins the page's).
fn body_html(
    ctx: &Ctx,
    body: &crate::markdown::parse::Doc,
    marker: &mut Marker,
    out: &mut Rendered,
) -> String {
    let outer = std::mem::take(&mut out.html);
    render_into(ctx, body, marker, out);
    std::mem::replace(&mut out.html, outer)
}

/// One column of the `{cases}` table: its name and heading.
#[derive(Serialize)]
struct ColumnView {
    name: String,
    label: String,
}

/// One case study in the `{cases}` table: its page and its cells by column name (inline HTML).
#[derive(Serialize)]
struct CaseRow {
    id: String,
    url: String,
    title: String,
    cells: std::collections::BTreeMap<String, String>,
}

/// The `{cases}` table.
pub fn cases_table(ctx: &Ctx, args: &CasesArgs, out: &mut Rendered) -> Result<String> {
    let cases = ctx.site.data.select_cases(args);
    let cols = args
        .columns
        .clone()
        .unwrap_or_else(|| ctx.site.config.case_columns.clone());
    let s = ctx.strings;
    let columns: Vec<ColumnView> = cols
        .iter()
        .map(|c| ColumnView {
            name: c.clone(),
            label: s.get(&format!("case_{c}")).to_string(),
        })
        .collect();
    let mut rows = Vec::new();
    for c in cases {
        let c = &c.value;
        let title = loc(ctx, &c.title);
        let cells = cols
            .iter()
            .map(|col| {
                let cell = match col.as_str() {
                    "title" => title.clone(),
                    "category" => ctx
                        .site
                        .data
                        .category(&c.category)
                        .map(|k| escape_html(&label(ctx, k)))
                        .unwrap_or_default(),
                    "country" => escape_html(ctx.strings.country(&c.country)),
                    "organisation" => loc(ctx, &c.organisation),
                    "date" => c
                        .date
                        .as_ref()
                        .map(|d| escape_html(&d.0))
                        .unwrap_or_default(),
                    "records" => c
                        .records
                        .map(|r| ctx.strings.format_number(r))
                        .unwrap_or_default(),
                    "summary" => loc(ctx, &c.summary),
                    "impact" => c.impact.as_ref().map(|i| loc(ctx, i)).unwrap_or_default(),
                    _ => String::new(),
                };
                (col.clone(), cell)
            })
            .collect();
        rows.push(CaseRow {
            id: c.id.clone(),
            url: ctx.url(&format!("{}/cases/{}/index.html", ctx.lang, c.id)),
            title,
            cells,
        });
        text_chunk(
            out,
            &format!(
                "{} {} {}",
                loc_plain(ctx, &c.title),
                loc_plain(ctx, &c.organisation),
                loc_plain(ctx, &c.summary)
            ),
        );
    }
    draw(ctx, "directives/cases.html", |t| {
        t.insert("options", args);
        t.insert("columns", &columns);
        t.insert("cases", &rows);
    })
}

/// A structured list for `directives/list.html`: texts as inline HTML.
#[derive(Serialize)]
pub struct ListView {
    pub id: String,
    /// `numbered`, `bullets`, `steps`, `flow` or `table`.
    pub style: String,
    pub title: Option<String>,
    pub has_label: bool,
    pub has_detail: bool,
    pub has_by: bool,
    pub items: Vec<ItemView>,
}

/// One entry of a list.
#[derive(Serialize)]
pub struct ItemView {
    pub label: Option<String>,
    pub text: String,
    pub detail: Option<String>,
    pub by: Option<String>,
    pub parallel: bool,
}

/// The view of a structured list in the page's language.
pub fn list_view(ctx: &Ctx, l: &ListData) -> ListView {
    let has = |f: fn(&crate::load::data::ListItem) -> bool| l.items.iter().any(f);
    ListView {
        id: l.id.clone(),
        style: format!("{:?}", l.style).to_lowercase(),
        title: l.title.as_ref().map(|t| loc(ctx, t)),
        has_label: has(|i| i.label.is_some()),
        has_detail: has(|i| i.detail.is_some()),
        has_by: has(|i| i.by.is_some()),
        items: l
            .items
            .iter()
            .map(|it| ItemView {
                label: it.label.as_ref().map(|x| loc(ctx, x)),
                text: loc(ctx, &it.text),
                detail: it.detail.as_ref().map(|x| loc(ctx, x)),
                by: it.by.as_ref().map(|x| loc(ctx, x)),
                parallel: it.parallel,
            })
            .collect(),
    }
}

fn list_text(ctx: &Ctx, l: &ListData, out: &mut Rendered) {
    for it in &l.items {
        text_chunk(out, &loc_plain(ctx, &it.text));
        if let Some(d) = &it.detail {
            text_chunk(out, &loc_plain(ctx, d));
        }
    }
}

/// The subjects × controls matrix for `directives/matrix.html`.
#[derive(Serialize)]
pub struct MatrixView {
    pub id: String,
    /// The checklist's heat map: cells the checklist script colours by score.
    pub heat: bool,
    pub subjects: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

/// One control of the matrix, a cell per subject.
#[derive(Serialize)]
pub struct MatrixRow {
    pub control: String,
    pub cells: Vec<MatrixCell>,
}

/// One domain of the matrix.
#[derive(Serialize)]
pub struct MatrixCell {
    pub number: u32,
    /// The domain's number as drawn (①).
    pub mark: String,
    /// Inline HTML.
    pub note: String,
}

/// The view of checklist `c`'s matrix; `heat` for the checklist's summary.
pub fn matrix_view(ctx: &Ctx, c: &Checklist, heat: bool) -> MatrixView {
    let d = &c.data;
    MatrixView {
        id: d.id.clone(),
        heat,
        subjects: d.subjects.iter().map(|s| label(ctx, s)).collect(),
        rows: d
            .controls
            .iter()
            .map(|ctl| MatrixRow {
                control: label(ctx, ctl),
                cells: d
                    .subjects
                    .iter()
                    .map(|s| {
                        let n = c.domain(&s.id, &ctl.id).unwrap_or(0);
                        MatrixCell {
                            number: n,
                            mark: circled(n),
                            note: d
                                .domains
                                .iter()
                                .find(|x| x.number == n)
                                .map(|x| loc(ctx, &x.text))
                                .unwrap_or_default(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// One kind of measure of `{groups}`: its label and its domains as drawn.
#[derive(Serialize)]
struct GroupView {
    label: String,
    domains: Vec<String>,
}

/// The checklist for `directives/checklist.html`.
#[derive(Serialize)]
pub struct ChecklistView {
    pub id: String,
    pub version: String,
    pub title: String,
    pub statuses: Vec<StatusView>,
    pub domains: Vec<DomainView>,
    pub matrix: MatrixView,
}

/// One answer an item can have.
#[derive(Serialize)]
pub struct StatusView {
    pub id: String,
    pub label: String,
    /// The score as written in the data, if it counts.
    pub score: Option<String>,
    pub na: bool,
}

/// One domain (subject × control) with its items.
#[derive(Serialize)]
pub struct DomainView {
    pub number: u32,
    pub mark: String,
    pub subject: String,
    pub control: String,
    pub items: Vec<ChecklistItemView>,
}

/// One question of the checklist (inline HTML).
#[derive(Serialize)]
pub struct ChecklistItemView {
    pub id: String,
    pub question: String,
    pub countermeasure: String,
}

/// The checklist as a complete HTML form, from the theme's `directives/checklist.html`; the
/// checklist script adds saving, summary and export.
pub fn checklist_form(ctx: &Ctx, c: &Checklist) -> Result<String> {
    let d = &c.data;
    let mut numbered: Vec<(u32, &str, &str)> = Vec::new();
    for subj in &d.subjects {
        for ctl in &d.controls {
            numbered.push((
                c.domain(&subj.id, &ctl.id).unwrap_or(0),
                subj.id.as_str(),
                ctl.id.as_str(),
            ));
        }
    }
    numbered.sort();
    let mut domains = Vec::new();
    for (n, sid, cid) in numbered {
        let items: Vec<ChecklistItemView> = d
            .items
            .iter()
            .filter(|i| i.subject == sid && i.control == cid)
            .map(|it| ChecklistItemView {
                id: it.id.clone(),
                question: loc(ctx, &it.question),
                countermeasure: loc(ctx, &it.countermeasure),
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let find = |list: &[crate::load::data::Labelled], id: &str| {
            list.iter()
                .find(|x| x.id == id)
                .map(|x| label(ctx, x))
                .unwrap_or_default()
        };
        domains.push(DomainView {
            number: n,
            mark: circled(n),
            subject: find(&d.subjects, sid),
            control: find(&d.controls, cid),
            items,
        });
    }
    let view = ChecklistView {
        id: d.id.clone(),
        version: d.version.to_string(),
        title: d.title.or(ctx.lang, ctx.site.source_lang()).to_string(),
        statuses: d
            .statuses
            .iter()
            .map(|st| StatusView {
                id: st.id.clone(),
                label: label(ctx, st),
                score: st.score.map(|x| x.to_string()),
                na: st.na,
            })
            .collect(),
        domains,
        matrix: matrix_view(ctx, c, true),
    };
    draw(ctx, "directives/checklist.html", |t| {
        t.insert("options", &serde_json::json!({ "id": d.id }));
        t.insert("matrix", &view.matrix);
        t.insert("checklist", &view);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circled_numbers() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(9), "⑨");
    }
}
