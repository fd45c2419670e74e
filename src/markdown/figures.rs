//! Figures drawn from data as SVG: the flow of a `style = "flow"` list (main steps top to bottom,
//! parallel work beside them), with a title and description for assistive technology.

use super::directives::plain;
use super::html::Ctx;
use crate::load::data::ListData;
use crate::text::escape_html;

const FONT: &str =
    "Hiragino Sans, 'Noto Sans CJK JP', 'Noto Sans JP', Meiryo, system-ui, sans-serif";

/// Breaks `text` into lines of about `width` units (a CJK character counts 2, others 1).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    let wide = |c: char| (c as u32) >= 0x2E80;
    for word in split_keep(text) {
        let w: usize = word.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
        // A trailing space may hang past the end of the line.
        let fit = w - word.chars().rev().take_while(|c| *c == ' ').count();
        if cur_w + fit > width && !cur.is_empty() {
            lines.push(cur.trim().to_string());
            cur.clear();
            cur_w = 0;
        }
        if w > width {
            for c in word.chars() {
                let cw = if wide(c) { 2 } else { 1 };
                if cur_w + cw > width {
                    lines.push(cur.trim().to_string());
                    cur.clear();
                    cur_w = 0;
                }
                cur.push(c);
                cur_w += cw;
            }
        } else {
            cur.push_str(&word);
            cur_w += w;
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim().to_string());
    }
    lines
}

/// Splits into breakable units: Latin words with their trailing space, single CJK characters.
fn split_keep(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if (c as u32) >= 0x2E80 {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            // Keep closing punctuation with the previous character.
            if "、。）」』・ー".contains(c) {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                    continue;
                }
            }
            out.push(c.to_string());
        } else {
            word.push(c);
            if c == ' ' {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn text_lines(x: f32, y: f32, lines: &[String], size: f32, anchor: &str, weight: &str) -> String {
    let mut s = format!("<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\" text-anchor=\"{anchor}\" font-weight=\"{weight}\" font-family=\"{FONT}\" fill=\"#1a1a1a\">");
    for (i, l) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { size * 1.3 };
        s.push_str(&format!(
            "<tspan x=\"{x}\" dy=\"{dy}\">{}</tspan>",
            escape_html(l)
        ));
    }
    s.push_str("</text>");
    s
}

/// The flow chart of a list.
pub fn flow(ctx: &Ctx, list: &ListData) -> String {
    let lang_src = ctx.site.source_lang();
    let main: Vec<_> = list.items.iter().filter(|i| !i.parallel).collect();
    let side: Vec<_> = list.items.iter().filter(|i| i.parallel).collect();
    let box_w = 400.0;
    let x0 = 20.0;
    let side_w = if side.is_empty() { 0.0 } else { 200.0 };
    let width = x0 * 2.0 + box_w + if side.is_empty() { 0.0 } else { 40.0 + side_w };
    let mut y = 20.0;
    let mut body = String::new();
    let id = format!("flow-{}", escape_html(&list.id));
    for (i, it) in main.iter().enumerate() {
        let label = it
            .label
            .as_ref()
            .map(|l| plain(l.or(ctx.lang, lang_src)))
            .unwrap_or_else(|| format!("{}", i + 1));
        let lines = wrap(&plain(it.text.or(ctx.lang, lang_src)), 34);
        let h = 24.0 + lines.len() as f32 * 20.8 + 8.0;
        body.push_str(&format!("<rect x=\"{x0}\" y=\"{y}\" width=\"{box_w}\" height=\"{h}\" rx=\"8\" fill=\"#eef3f8\" stroke=\"#1f4e79\" stroke-width=\"2\"/>"));
        body.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"14\" fill=\"#1f4e79\"/>",
            x0 + 24.0,
            y + h / 2.0
        ));
        body.push_str(
            &text_lines(
                x0 + 24.0,
                y + h / 2.0 + 5.0,
                &[label.chars().take(3).collect()],
                14.0,
                "middle",
                "bold",
            )
            .replace("fill=\"#1a1a1a\"", "fill=\"#ffffff\""),
        );
        body.push_str(&text_lines(
            x0 + 50.0,
            y + (h - (lines.len() as f32 - 1.0) * 20.8) / 2.0 + 6.0,
            &lines,
            16.0,
            "start",
            "bold",
        ));
        y += h;
        if i + 1 < main.len() {
            let cx = x0 + box_w / 2.0;
            body.push_str(&format!("<path d=\"M{cx} {} L{cx} {}\" stroke=\"#1a1a1a\" stroke-width=\"2\" marker-end=\"url(#{id}-arrow)\"/>", y + 2.0, y + 26.0));
            y += 30.0;
        }
    }
    let total = y + 20.0;
    if !side.is_empty() {
        let sx = x0 + box_w + 40.0;
        let sh = total - 40.0;
        body.push_str(&format!("<rect x=\"{sx}\" y=\"20\" width=\"{side_w}\" height=\"{sh}\" rx=\"8\" fill=\"#fff8e6\" stroke=\"#8a5a00\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"));
        let mut sy = 50.0;
        for it in &side {
            let lines = wrap(&plain(it.text.or(ctx.lang, lang_src)), 16);
            body.push_str(&text_lines(
                sx + side_w / 2.0,
                sy,
                &lines,
                16.0,
                "middle",
                "bold",
            ));
            sy += lines.len() as f32 * 21.0 + 10.0;
            if let Some(d) = &it.detail {
                let dl = wrap(&plain(d.or(ctx.lang, lang_src)), 18);
                body.push_str(&text_lines(
                    sx + side_w / 2.0,
                    sy,
                    &dl,
                    13.0,
                    "middle",
                    "normal",
                ));
                sy += dl.len() as f32 * 17.0 + 14.0;
            }
        }
        body.push_str(&format!("<path d=\"M{} {} L{} {}\" stroke=\"#8a5a00\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>", x0 + box_w + 2.0, total / 2.0, sx - 2.0, total / 2.0));
    }
    let title = list
        .title
        .as_ref()
        .map(|t| plain(t.or(ctx.lang, lang_src)))
        .unwrap_or_default();
    let desc: Vec<String> = main
        .iter()
        .map(|i| plain(i.text.or(ctx.lang, lang_src)))
        .collect();
    let mut desc = desc.join(" → ");
    if !side.is_empty() {
        let par: Vec<String> = side
            .iter()
            .map(|i| plain(i.text.or(ctx.lang, lang_src)))
            .collect();
        desc.push_str(&format!(
            " ({}: {})",
            ctx.strings.get("flow_parallel"),
            par.join(", ")
        ));
    }
    format!(
        "<figure class=\"figure flow\"><svg viewBox=\"0 0 {width} {total}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc><defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#1a1a1a\"/></marker></defs>{body}</svg>{}</figure>\n",
        escape_html(&title),
        escape_html(&desc),
        if title.is_empty() { String::new() } else { format!("<figcaption>{}</figcaption>", escape_html(&title)) }
    )
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_japanese_and_english() {
        assert_eq!(wrap("検知・初動対応", 8), vec!["検知・初", "動対応"]);
        assert!(
            wrap("報告、体制構築", 4)
                .iter()
                .all(|l| !l.starts_with('、')),
            "no line starts with a comma"
        );
        assert_eq!(wrap("report and set up", 10), vec!["report and", "set up"]);
    }
}
