//! Generates a synthetic bilingual course of N pages for benchmarks: realistic Japanese and
//! English Markdown with headings, lists, tables, callouts and links between sections.

use std::fmt::Write as _;
use std::path::Path;

const JA: &[&str] = &[
    "医療機関のIT化が進んだ現在では、情報セキュリティ事故は事業継続に影響する経営課題です。",
    "外部委託先に任せきりにせず、責任範囲と実施すべき対策を契約で明示することが重要です。",
    "USBメモリ等の外部媒体は、情報持ち出しのリスクだけでなくウイルス感染の経路にもなります。",
    "ランサムウェアに感染すると、端末のファイルが暗号化され、診療が止まるおそれがあります。",
    "標的型攻撃では、実在の組織を装ったメールの添付ファイルからマルウェアに感染します。",
    "職員の一人ひとりが規則を守る意識を持つことが、すべての対策の土台になります。",
    "バックアップと縮退運転の手順を定め、障害時にも医療を提供し続けられるようにします。",
    "経営層は予算と担当者を確保し、対策の実施を指示する責任があります。",
];
const EN: &[&str] = &[
    "Now that hospitals depend on IT, a security incident is a management issue that threatens continuity of care.",
    "Do not leave everything to vendors: set out their responsibilities and the measures they must take in the contract.",
    "USB sticks and other removable media can carry data out of the hospital and carry malware in.",
    "Ransomware encrypts the files on a terminal and can bring clinical work to a halt.",
    "Targeted attacks arrive as e-mail that impersonates a real organisation, with malware in an attachment.",
    "Every member of staff following the rules is the foundation on which every other measure stands.",
    "Backups and a plan for degraded operation keep care going while systems are down.",
    "Executives are responsible for securing a budget and people, and for directing the work.",
];

fn body(lang: &str, seed: usize, chapter: usize, sections: usize) -> String {
    let p = if lang == "ja" { JA } else { EN };
    let mut s = String::new();
    let h = if lang == "ja" {
        ["概要", "事例", "対策", "まとめ"]
    } else {
        ["Overview", "Cases", "Measures", "Summary"]
    };
    let _ = writeln!(s, "```{{key-message}}\n{}\n```\n", p[seed % p.len()]);
    for (k, title) in h.iter().enumerate() {
        let _ = writeln!(s, "## {title}\n");
        for j in 0..2 {
            let _ = writeln!(
                s,
                "{}{} **{}** {}\n",
                p[(seed + k + j) % p.len()],
                p[(seed * 7 + j) % p.len()],
                p[(seed + 3) % p.len()]
                    .split_at(
                        p[(seed + 3) % p.len()]
                            .char_indices()
                            .nth(8)
                            .map(|x| x.0)
                            .unwrap_or(0)
                    )
                    .0,
                p[(seed + 5 + j) % p.len()]
            );
        }
        if k == 1 {
            let _ = writeln!(
                s,
                "| # | {} | {} |\n|---|---|---|",
                if lang == "ja" { "項目" } else { "Item" },
                if lang == "ja" { "内容" } else { "Details" }
            );
            for r in 0..5 {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} |",
                    r + 1,
                    p[(seed + r) % p.len()].chars().take(20).collect::<String>(),
                    p[(seed + r + 1) % p.len()]
                );
            }
            s.push('\n');
        }
        if k == 2 {
            for r in 0..6 {
                let _ = writeln!(s, "- {}", p[(seed + r * 3) % p.len()]);
            }
            // Chapter 1 always has its sections; link to one of its first ten, at a heading.
            let next = (seed % sections.min(10)) + 1;
            let anchor = if lang == "ja" { "対策" } else { "measures" };
            let _ = writeln!(
                s,
                "\n[{}](../c001/s{:03}.{lang}.md#{anchor}) (chapter {chapter})\n",
                if lang == "ja" {
                    "関連する節"
                } else {
                    "Related section"
                },
                next
            );
        }
    }
    s
}

/// Writes a course of about `pages` pages per language into `dir`.
pub fn generate(dir: &Path, pages: usize) -> std::io::Result<()> {
    let sections = 50usize;
    let chapters = pages.div_ceil(sections + 1).max(1);
    std::fs::create_dir_all(dir.join("content"))?;
    std::fs::write(dir.join("kyozai.toml"), "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"合成コース\"\nen = \"Synthetic course\"\n")?;
    std::fs::write(
        dir.join("content/_index.ja.md"),
        "+++\ntitle = \"合成コース\"\n+++\nベンチマーク用の教材です。\n",
    )?;
    std::fs::write(
        dir.join("content/_index.en.md"),
        "+++\ntitle = \"Synthetic course\"\n+++\nA course for benchmarks.\n",
    )?;
    let mut written = 1;
    for c in 1..=chapters {
        let cd = dir.join(format!("content/c{c:03}"));
        std::fs::create_dir_all(&cd)?;
        for lang in ["ja", "en"] {
            let t = if lang == "ja" {
                format!("第{c}の章")
            } else {
                format!("Chapter number {c}")
            };
            std::fs::write(
                cd.join(format!("_index.{lang}.md")),
                format!(
                    "+++\ntitle = \"{t}\"\nsummary = \"{t}\"\n+++\n{}\n",
                    body(lang, c, c, sections)
                ),
            )?;
        }
        written += 1;
        for s in 1..=sections {
            if written >= pages {
                break;
            }
            for lang in ["ja", "en"] {
                let t = if lang == "ja" {
                    format!("節 {c}-{s} のテーマ")
                } else {
                    format!("Topic of section {c}-{s}")
                };
                let kp = if lang == "ja" {
                    "[\"要点一\", \"要点二\"]"
                } else {
                    "[\"First point\", \"Second point\"]"
                };
                std::fs::write(
                    cd.join(format!("s{s:03}.{lang}.md")),
                    format!(
                        "+++\ntitle = \"{t}\"\nsummary = \"{t}\"\nkey_points = {kp}\n+++\n{}",
                        body(lang, c * 31 + s, c, sections.min(pages))
                    ),
                )?;
            }
            written += 1;
        }
        if written >= pages {
            break;
        }
    }
    Ok(())
}
