// Generated exports of the bundled self-assessment checklist, as the checklist page writes them
// (JSON and CSV), for the compare page's browser test and the `kyozai report` twin test, and an
// independent computation of the figures the compare page should show for them.
export const ID = "self-assessment";
export const ITEMS = [
  ["org-corrective", 1], ["org-detective", 2], ["org-preventive-rules", 3], ["org-preventive-vendors", 3],
  ["system-corrective", 4], ["system-detective", 5], ["system-preventive-risks", 6], ["system-preventive-intrusion", 6],
  ["staff-corrective", 7], ["staff-detective", 8], ["staff-preventive-documents", 9], ["staff-preventive-human-error", 9],
];
export const SCORE = { "not-started": 0, considering: 1, "in-place": 2, na: null };
export const GROUPS = { organisational: [1, 2, 3, 7], human: [7, 8, 9], technical: [4, 5, 6], physical: [4, 5, 7, 8] };
const STATUSES = ["not-started", "considering", "in-place", "na", ""];

/** A small seeded generator, so that every run sees the same respondents. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An export record: { respondent, date, exported, answers: { item: status } , notes }. */
export function record(respondent, date, answers, notes = {}, hour = 9) {
  return { respondent, date, exported: `${date}T${String(hour).padStart(2, "0")}:00:00.000Z`, answers, notes };
}

export function toJson(r, { version = 1, checklist = ID } = {}) {
  return JSON.stringify({
    format: "kyozai-checklist", formatVersion: 1, checklist, version, title: "Checklist", lang: "en",
    respondent: r.respondent, date: r.date, exported: r.exported,
    statuses: [], items: ITEMS.map(([id, domain]) => ({ id, domain, status: r.answers[id] || null, statusLabel: "", note: r.notes[id] || "" })),
    summary: {},
  }, null, 2) + "\n";
}

const field = (v) => {
  let s = v == null ? "" : String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return `"${s.replace(/"/g, '""')}"`;
};

export function toCsv(r, { version = 1 } = {}) {
  const rows = [["Checklist", "Version", "Date", "Item ID", "Domain", "Subject", "Control", "Question", "Countermeasure", "Status ID", "Status", "Notes", "Respondent"]];
  for (const [id, domain] of ITEMS) rows.push([ID, version, r.date, id, domain, "", "", "q", "c", r.answers[id] || "", r.answers[id] || "", r.notes[id] || "", r.respondent]);
  return "\uFEFF" + rows.map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

/**
 * Dozens of respondents (every fifth also with an earlier export) as files { name, body }, in the
 * order they are given, with their records.
 */
export function generate(count = 36, seed = 18) {
  const rnd = random(seed);
  const pick = () => STATUSES[Math.floor(rnd() * STATUSES.length)];
  const files = [];
  const records = [];
  for (let i = 0; i < count; i++) {
    const name = i % 7 === 3 ? `=Ward ${i}` : `Department ${String(i + 1).padStart(2, "0")}`;
    const answers = {};
    const notes = {};
    for (const [id] of ITEMS) { const s = pick(); if (s) answers[id] = s; }
    if (i % 4 === 0) notes["org-detective"] = `Note of ${name}, "quoted", with a, comma\nand a second line`;
    if (i % 5 === 0) {
      const earlier = {};
      for (const [id] of ITEMS) { const s = pick(); if (s) earlier[id] = s; }
      const r0 = record(name, "2025-04-01", earlier);
      records.push(r0);
      files.push({ name: `${ID}-v1-2025-04-01-${i}.json`, body: toJson(r0) });
    }
    const r = record(name, "2026-04-01", answers, notes, 9 + (i % 5));
    records.push(r);
    const csv = i % 3 === 1;
    files.push({ name: `${ID}-v1-2026-04-01-${i}.${csv ? "csv" : "json"}`, body: csv ? toCsv(r) : toJson(r) });
  }
  return { files, records };
}

/** Bad files, each with the reason code the compare page must give. */
export function badFiles(good) {
  const r = record("Pharmacy", "2026-04-02", { "org-corrective": "in-place" });
  const json = toJson(r);
  const csv = toCsv(r);
  const unknown = JSON.parse(json);
  unknown.items[1].status = "done";
  return [
    { name: "other-checklist.json", body: toJson(r, { checklist: "other-list" }), code: "checklist" },
    { name: "newer-version.json", body: toJson(r, { version: 7 }), code: "newer" },
    { name: "truncated.json", body: json.slice(0, Math.floor(json.length / 2)), code: "json" },
    { name: "truncated.csv", body: csv.slice(0, Math.floor(csv.length / 2)), code: "csv" },
    { name: "unknown-status.json", body: JSON.stringify(unknown), code: "status" },
    { name: "empty.json", body: "", code: "empty" },
    { name: "not-an-export.json", body: JSON.stringify({ hello: "world" }), code: "format" },
    { name: "again-" + good.name, body: good.body, code: "duplicate" },
  ];
}

/** What the compare page should show, computed here from the records themselves. */
export function expected(records) {
  const byName = new Map();
  const seen = new Set();
  for (const r of records) {
    const key = JSON.stringify([r.respondent, r.date, ITEMS.map(([id]) => [r.answers[id] || "", r.notes[id] || ""])]);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!byName.has(r.respondent)) byName.set(r.respondent, []);
    byName.get(r.respondent).push(r);
  }
  const domainsOf = (r) => {
    const out = {};
    for (let n = 1; n <= 9; n++) {
      const sc = ITEMS.filter(([, d]) => d === n).map(([id]) => SCORE[r.answers[id]]).filter((x) => x != null);
      out[n] = sc.length ? sc.reduce((a, b) => a + b, 0) / (sc.length * 2) : null;
    }
    return out;
  };
  const respondents = [...byName].map(([name, list]) => {
    const sorted = [...list].sort((a, b) => (a.date + a.exported).localeCompare(b.date + b.exported));
    const latest = sorted[sorted.length - 1];
    return { name, list: sorted, latest, domains: domainsOf(latest) };
  });
  const hospital = {};
  for (let n = 1; n <= 9; n++) {
    const v = respondents.map((r) => r.domains[n]).filter((x) => x !== null);
    hospital[n] = v.length ? { score: v.reduce((a, b) => a + b, 0) / v.length, n: v.length } : null;
  }
  const groups = {};
  for (const [g, ds] of Object.entries(GROUPS)) {
    const v = ds.map((d) => hospital[d]?.score).filter((x) => x != null);
    groups[g] = v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  }
  const disagreement = ITEMS.map(([id], index) => {
    const v = respondents.map((r) => SCORE[r.latest.answers[id]]).filter((x) => x != null).map((x) => x / 2);
    if (v.length < 2) return null;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length);
    return { id, index, sd, min: Math.min(...v), max: Math.max(...v), n: v.length };
  }).filter(Boolean).sort((a, b) => b.sd - a.sd || a.index - b.index);
  const changes = respondents.filter((r) => r.list.length > 1).map((r) => {
    const [a, b] = r.list;
    return { name: r.name, items: ITEMS.map(([id]) => id).filter((id) => (a.answers[id] || null) !== (b.answers[id] || null)) };
  });
  return { respondents, hospital, groups, disagreement, changes };
}
