//! Expands directives into HTML: callouts, case-study tables, structured lists, the checklist
//! form, the subjects × controls matrix, the kinds of measures, and flows.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::glossary::Marker;
use super::html::{render_into, Ctx, Rendered};
use super::parse::{Block, CasesArgs, Directive};
use crate::load::data::{ListData, ListStyle};
use crate::site::data::{countries, Checklist};
use crate::text::{escape_html, format_number, Localized};

/// Circled numbers for domains ①–⑳.
pub fn circled(n: u32) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1)
            .map(String::from)
            .unwrap_or_else(|| n.to_string()),
        _ => format!("({n})"),
    }
}

/// Renders inline Markdown from a data field safely: raw HTML is shown as text and only web,
/// mail and relative links are kept.
pub fn inline_md(text: &str) -> String {
    let mut events = Vec::new();
    let mut skip_link = 0usize;
    for ev in Parser::new_ext(text, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            Event::Start(Tag::Link { ref dest_url, .. }) if !safe_url(dest_url) => skip_link += 1,
            Event::End(TagEnd::Link) if skip_link > 0 => skip_link -= 1,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) => {}
            other => events.push(other),
        }
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out.trim_end().to_string()
}

fn safe_url(u: &str) -> bool {
    let l = u.trim().to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("mailto:")
        || l.starts_with('#')
        || !l.contains(':')
}

/// Plain text of inline Markdown (for search and attributes).
pub fn plain(text: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(text) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// A localized data text in the page's language (source language as fallback), rendered.
fn loc(ctx: &Ctx, t: &Localized) -> String {
    inline_md(t.or(ctx.lang, ctx.site.source_lang()))
}

fn loc_plain(ctx: &Ctx, t: &Localized) -> String {
    plain(t.or(ctx.lang, ctx.site.source_lang()))
}

fn label(ctx: &Ctx, l: &crate::load::data::Labelled) -> String {
    let t = l.text();
    escape_html(t.or(ctx.lang, ctx.site.source_lang()))
}

fn text_chunk(out: &mut Rendered, s: &str) {
    if let Some(c) = out.chunks.last_mut() {
        c.text.push(' ');
        c.text.push_str(s);
    }
}

/// Renders one directive into `out`.
pub fn render(ctx: &Ctx, d: &Directive, marker: &mut Marker, out: &mut Rendered) {
    match d {
        Directive::Callout { kind, title, body } => {
            let name = kind.name();
            let key = format!("callout_{}", name.replace('-', "_"));
            let t = title.as_deref().unwrap_or(ctx.strings.get(&key));
            out.html.push_str(&format!(
                "<aside class=\"callout callout-{name}\" aria-label=\"{}\">",
                escape_html(t)
            ));
            out.html.push_str(&format!(
                "<p class=\"callout-title\">{}</p>\n",
                escape_html(t)
            ));
            render_into(ctx, body, marker, out);
            out.html.push_str("</aside>\n");
        }
        // Speaker notes and slides-only content are not on the pages or in the handouts; the
        // slides render them themselves (see `crate::render::slides`).
        Directive::Block { kind, body } => match kind {
            Block::SiteOnly => render_into(ctx, body, marker, out),
            Block::Notes | Block::SlidesOnly => {}
        },
        Directive::Cases(args) => cases_table(ctx, args, out),
        Directive::List(id) => {
            if let Some(l) = ctx.site.data.lists.get(id) {
                list(ctx, &l.value, out)
            }
        }
        Directive::Flow(id) => {
            if let Some(l) = ctx.site.data.lists.get(id) {
                out.html.push_str(&super::figures::flow(ctx, &l.value));
                list(ctx, &l.value, out);
            }
        }
        Directive::Matrix(id) => {
            if let Some(c) = ctx.site.data.checklist(id) {
                out.html.push_str(&matrix(ctx, c, false));
            }
        }
        Directive::Groups(id) => {
            if let Some(c) = ctx.site.data.checklist(id) {
                groups(ctx, c, out);
            }
        }
        Directive::Quiz(id) => {
            if let Some(q) = ctx.site.data.quiz(id) {
                match super::quiz::html(ctx, q, true) {
                    Ok(h) => out.html.push_str(&h),
                    Err(e) => {
                        out.error.get_or_insert(e);
                    }
                }
                text_chunk(out, &super::quiz::search_text(ctx.site, q, ctx.lang));
            }
        }
        Directive::Checklist(id) => {
            if let Some(c) = ctx.site.data.checklist(id) {
                out.html.push_str(&checklist_form(ctx, c));
                for it in &c.data.items {
                    text_chunk(out, &loc_plain(ctx, &it.question));
                    text_chunk(out, &loc_plain(ctx, &it.countermeasure));
                }
            }
        }
    }
}

/// The `{cases}` table.
pub fn cases_table(ctx: &Ctx, args: &CasesArgs, out: &mut Rendered) {
    let cases = ctx.site.data.select_cases(args);
    let cols = args
        .columns
        .clone()
        .unwrap_or_else(|| ctx.site.config.case_columns.clone());
    let s = ctx.strings;
    let mut h =
        String::from("<div class=\"table-wrap\"><table class=\"cases-table\">\n<thead><tr>");
    for c in &cols {
        h.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            escape_html(s.get(&format!("case_{c}")))
        ));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for c in cases {
        let c = &c.value;
        h.push_str(&format!("<tr id=\"case-{}\">", escape_html(&c.id)));
        for col in &cols {
            let cell = match col.as_str() {
                "title" => format!(
                    "<a href=\"{}\">{}</a>",
                    ctx.url(&format!("{}/cases/{}/index.html", ctx.lang, c.id)),
                    loc(ctx, &c.title)
                ),
                "category" => ctx
                    .site
                    .data
                    .category(&c.category)
                    .map(|k| label(ctx, k))
                    .unwrap_or_default(),
                "country" => {
                    escape_html(countries::name(&c.country, ctx.lang).unwrap_or(&c.country))
                }
                "organisation" => loc(ctx, &c.organisation),
                "date" => c
                    .date
                    .as_ref()
                    .map(|d| escape_html(&d.0))
                    .unwrap_or_default(),
                "records" => c
                    .records
                    .map(|r| format_number(r, ctx.lang))
                    .unwrap_or_default(),
                "summary" => loc(ctx, &c.summary),
                "impact" => c.impact.as_ref().map(|i| loc(ctx, i)).unwrap_or_default(),
                _ => String::new(),
            };
            let tag = if col == "title" {
                "th scope=\"row\""
            } else {
                "td"
            };
            let end = if col == "title" { "th" } else { "td" };
            h.push_str(&format!("<{tag}>{cell}</{end}>"));
        }
        h.push_str("</tr>\n");
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
    h.push_str("</tbody></table></div>\n");
    out.html.push_str(&h);
}

/// A structured list.
pub fn list(ctx: &Ctx, l: &ListData, out: &mut Rendered) {
    let id = escape_html(&l.id);
    let style = format!("{:?}", l.style).to_lowercase();
    let mut h = format!("<div class=\"data-list data-list-{style}\" id=\"list-{id}\">");
    if let Some(t) = &l.title {
        h.push_str(&format!("<p class=\"data-list-title\">{}</p>", loc(ctx, t)));
    }
    if l.style == ListStyle::Table {
        h.push_str("<div class=\"table-wrap\"><table>");
        let has = |f: fn(&crate::load::data::ListItem) -> bool| l.items.iter().any(f);
        let (hl, hd, hb) = (
            has(|i| i.label.is_some()),
            has(|i| i.detail.is_some()),
            has(|i| i.by.is_some()),
        );
        h.push_str("<thead><tr>");
        if hl {
            h.push_str(&format!(
                "<th scope=\"col\">{}</th>",
                escape_html(ctx.strings.get("list_label"))
            ));
        }
        h.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            escape_html(ctx.strings.get("list_item"))
        ));
        if hd {
            h.push_str(&format!(
                "<th scope=\"col\">{}</th>",
                escape_html(ctx.strings.get("list_detail"))
            ));
        }
        if hb {
            h.push_str(&format!(
                "<th scope=\"col\">{}</th>",
                escape_html(ctx.strings.get("list_by"))
            ));
        }
        h.push_str("</tr></thead><tbody>");
        for it in &l.items {
            h.push_str("<tr>");
            if hl {
                h.push_str(&format!(
                    "<td>{}</td>",
                    it.label.as_ref().map(|x| loc(ctx, x)).unwrap_or_default()
                ));
            }
            h.push_str(&format!("<td>{}</td>", loc(ctx, &it.text)));
            if hd {
                h.push_str(&format!(
                    "<td>{}</td>",
                    it.detail.as_ref().map(|x| loc(ctx, x)).unwrap_or_default()
                ));
            }
            if hb {
                h.push_str(&format!(
                    "<td>{}</td>",
                    it.by.as_ref().map(|x| loc(ctx, x)).unwrap_or_default()
                ));
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div></div>\n");
    } else {
        let tag = if l.style == ListStyle::Bullets {
            "ul"
        } else {
            "ol"
        };
        h.push_str(&format!("<{tag}>"));
        for it in &l.items {
            h.push_str("<li>");
            if let Some(lb) = &it.label {
                h.push_str(&format!(
                    "<span class=\"item-label\">{}</span> ",
                    loc(ctx, lb)
                ));
            }
            let strong = it.detail.is_some();
            if strong {
                h.push_str(&format!(
                    "<strong class=\"item-text\">{}</strong>",
                    loc(ctx, &it.text)
                ));
            } else {
                h.push_str(&format!(
                    "<span class=\"item-text\">{}</span>",
                    loc(ctx, &it.text)
                ));
            }
            if let Some(b) = &it.by {
                let (open, close) = if ctx.lang == "ja" {
                    ("（", "）")
                } else {
                    ("(", ")")
                };
                h.push_str(&format!(
                    " <span class=\"item-by\">{open}{}{close}</span>",
                    loc(ctx, b)
                ));
            }
            if let Some(d) = &it.detail {
                h.push_str(&format!(
                    "<span class=\"item-detail\">{}</span>",
                    loc(ctx, d)
                ));
            }
            h.push_str("</li>");
        }
        h.push_str(&format!("</{tag}></div>\n"));
    }
    for it in &l.items {
        text_chunk(out, &loc_plain(ctx, &it.text));
        if let Some(d) = &it.detail {
            text_chunk(out, &loc_plain(ctx, d));
        }
    }
    out.html.push_str(&h);
}

/// The subjects × controls matrix as a table; `heat` adds the cells the checklist script colours.
pub fn matrix(ctx: &Ctx, c: &Checklist, heat: bool) -> String {
    let d = &c.data;
    let cls = if heat { "matrix matrix-heat" } else { "matrix" };
    let mut h = format!(
        "<div class=\"table-wrap\"><table class=\"{cls}\" data-checklist=\"{}\">",
        escape_html(&d.id)
    );
    h.push_str(&format!(
        "<caption>{}</caption>",
        escape_html(ctx.strings.get(if heat {
            "matrix_heat_caption"
        } else {
            "matrix_caption"
        }))
    ));
    h.push_str(&format!(
        "<thead><tr><th scope=\"col\">{}</th>",
        escape_html(ctx.strings.get("matrix_corner"))
    ));
    for s in &d.subjects {
        h.push_str(&format!("<th scope=\"col\">{}</th>", label(ctx, s)));
    }
    h.push_str("</tr></thead><tbody>");
    for ctl in &d.controls {
        h.push_str(&format!("<tr><th scope=\"row\">{}</th>", label(ctx, ctl)));
        for s in &d.subjects {
            let n = c.domain(&s.id, &ctl.id).unwrap_or(0);
            let note = d
                .domains
                .iter()
                .find(|x| x.number == n)
                .map(|x| loc(ctx, &x.text))
                .unwrap_or_default();
            h.push_str(&format!(
                "<td data-domain=\"{n}\"><span class=\"domain-no\">{}</span> {note}",
                circled(n)
            ));
            if heat {
                h.push_str("<span class=\"domain-score\" data-score-for=\"");
                h.push_str(&n.to_string());
                h.push_str("\"></span>");
            }
            h.push_str("</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>\n");
    h
}

fn groups(ctx: &Ctx, c: &Checklist, out: &mut Rendered) {
    let mut h = String::from("<div class=\"table-wrap\"><table class=\"groups-table\"><thead><tr>");
    h.push_str(&format!(
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape_html(ctx.strings.get("groups_kind")),
        escape_html(ctx.strings.get("groups_domains"))
    ));
    for g in &c.data.groups {
        let doms: Vec<String> = g.domains.iter().map(|n| circled(*n)).collect();
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            label(ctx, g),
            doms.join(" ")
        ));
        text_chunk(
            out,
            &escape_html(g.text().or(ctx.lang, ctx.site.source_lang())),
        );
    }
    h.push_str("</tbody></table></div>\n");
    out.html.push_str(&h);
}

/// The checklist as a complete HTML form; the checklist script adds saving, summary and export.
pub fn checklist_form(ctx: &Ctx, c: &Checklist) -> String {
    let d = &c.data;
    let s = ctx.strings;
    let id = escape_html(&d.id);
    let mut h = format!(
        "<section class=\"checklist\" id=\"checklist-{id}\" data-checklist=\"{id}\" data-version=\"{}\" data-lang=\"{}\" aria-label=\"{}\">\n",
        d.version,
        ctx.lang,
        escape_html(d.title.or(ctx.lang, ctx.site.source_lang()))
    );
    h.push_str(&format!("<form class=\"checklist-form\" action=\"#\" data-storage-key=\"kyozai:checklist:{id}:v{}\">\n", d.version));
    // Who answers: a department or a name, kept with the answers and written into the exports.
    h.push_str(&format!(
        "<p class=\"respondent\"><label><span>{}</span> <input type=\"text\" name=\"{id}--respondent\" maxlength=\"200\" autocomplete=\"off\" data-respondent></label></p>\n",
        escape_html(s.get("checklist_respondent"))
    ));
    let mut domains: Vec<(u32, &str, &str)> = Vec::new();
    for subj in &d.subjects {
        for ctl in &d.controls {
            domains.push((
                c.domain(&subj.id, &ctl.id).unwrap_or(0),
                subj.id.as_str(),
                ctl.id.as_str(),
            ));
        }
    }
    domains.sort();
    for (n, sid, cid) in domains {
        let items: Vec<_> = d
            .items
            .iter()
            .filter(|i| i.subject == sid && i.control == cid)
            .collect();
        if items.is_empty() {
            continue;
        }
        let subj = d
            .subjects
            .iter()
            .find(|x| x.id == sid)
            .map(|x| label(ctx, x))
            .unwrap_or_default();
        let ctl = d
            .controls
            .iter()
            .find(|x| x.id == cid)
            .map(|x| label(ctx, x))
            .unwrap_or_default();
        h.push_str(&format!("<fieldset class=\"domain\" data-domain=\"{n}\"><legend><span class=\"domain-no\">{}</span> {subj} × {ctl}</legend>\n", circled(n)));
        for it in items {
            let iid = escape_html(&it.id);
            let name = format!("{id}--{iid}");
            h.push_str(&format!(
                "<div class=\"item\" data-item=\"{iid}\" data-domain=\"{n}\">"
            ));
            h.push_str(&format!(
                "<fieldset class=\"status\"><legend class=\"question\">{}</legend>",
                loc(ctx, &it.question)
            ));
            for st in &d.statuses {
                let na = if st.na { " data-na=\"true\"" } else { "" };
                let score = st
                    .score
                    .map(|x| format!(" data-score=\"{x}\""))
                    .unwrap_or_default();
                h.push_str(&format!(
                    "<label class=\"status-option\"><input type=\"radio\" name=\"{name}\" value=\"{}\"{score}{na}><span class=\"box\" aria-hidden=\"true\"></span> {}</label>",
                    escape_html(&st.id),
                    label(ctx, st)
                ));
            }
            h.push_str("</fieldset>");
            h.push_str(&format!(
                "<p class=\"countermeasure\"><span class=\"countermeasure-label\">{}</span> {}</p>",
                escape_html(s.get("checklist_countermeasure")),
                loc(ctx, &it.countermeasure)
            ));
            h.push_str(&format!("<label class=\"note\"><span>{}</span><textarea name=\"{name}--note\" rows=\"2\"></textarea></label>", escape_html(s.get("checklist_note"))));
            h.push_str("</div>\n");
        }
        h.push_str("</fieldset>\n");
    }
    h.push_str("</form>\n");
    // The summary and actions, filled in by the checklist script.
    h.push_str(&format!(
        "<div class=\"checklist-summary\"><h2 class=\"summary-title\">{}</h2>",
        escape_html(s.get("checklist_summary"))
    ));
    h.push_str(&format!(
        "<p class=\"summary-nojs\">{}</p>",
        escape_html(s.get("checklist_summary_nojs"))
    ));
    h.push_str(&format!("<p class=\"progress\"><progress max=\"100\" value=\"0\" aria-label=\"{}\"></progress> <span class=\"progress-text\"></span></p>", escape_html(s.get("checklist_progress"))));
    h.push_str(&matrix(ctx, c, true));
    h.push_str("<div class=\"group-scores\"></div><div class=\"next-steps\"></div></div>\n");
    h.push_str(&format!(
        "<div class=\"checklist-actions\"><button type=\"button\" data-action=\"export-csv\">{}</button> <button type=\"button\" data-action=\"export-json\">{}</button> <label class=\"import\"><span>{}</span> <input type=\"file\" accept=\"application/json,.json\" data-action=\"import\"></label> <button type=\"button\" data-action=\"reset\">{}</button><p class=\"checklist-message\" role=\"status\"></p></div>\n",
        escape_html(s.get("checklist_export_csv")),
        escape_html(s.get("checklist_export_json")),
        escape_html(s.get("checklist_import")),
        escape_html(s.get("checklist_reset"))
    ));
    h.push_str("</section>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_is_safe() {
        assert_eq!(
            inline_md("*a* <script>x</script>"),
            "<em>a</em> &lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(inline_md("[x](javascript:alert(1))"), "x");
        assert_eq!(
            inline_md("[x](https://e.org)"),
            "<a href=\"https://e.org\">x</a>"
        );
    }

    #[test]
    fn circled_numbers() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(9), "⑨");
    }
}
