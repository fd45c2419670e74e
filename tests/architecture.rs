//! The library's top-level modules only import downwards: a scan of `crate::X` paths in every
//! module's sources (tests and comments left out) must find no import cycle between them, apart
//! from the known edges in [`KNOWN_CYCLE_EDGES`] (none now), which are to be removed (and then
//! taken off the list: an entry that no longer exists fails the test too). See
//! docs/architecture.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Imports that still close a cycle, as (from, to): each is to be broken, then removed here.
/// Empty: every cycle is broken, and a new one is to be broken rather than listed.
const KNOWN_CYCLE_EDGES: &[(&str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a source file without its comments and its `#[cfg(test)]` test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `code` names through `crate::`: `crate::a::…` and `crate::{a, b::…}`.
fn imports(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for part in group.split(',') {
                found.insert(ident(part.trim()));
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|m| modules.contains(m));
    found
}

/// Every top-level module and the modules it imports.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for e in std::fs::read_dir(&src).expect("read src") {
        let p = e.expect("entry").path();
        let name = p.file_stem().expect("name").to_string_lossy().into_owned();
        if name != "lib"
            && name != "main"
            && (p.is_dir() || p.extension().is_some_and(|x| x == "rs"))
        {
            modules.insert(name);
        }
    }
    let mut graph = BTreeMap::new();
    for m in &modules {
        let mut files = Vec::new();
        if src.join(m).is_dir() {
            rust_files(&src.join(m), &mut files);
        }
        if src.join(format!("{m}.rs")).is_file() {
            files.push(src.join(format!("{m}.rs")));
        }
        let mut to = BTreeSet::new();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read a source file");
            to.extend(imports(&code(&text), &modules));
        }
        to.remove(m);
        graph.insert(m.clone(), to);
    }
    graph
}

/// A cycle of `graph` as a path `a → b → … → a`, if it has one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    // 0: not seen, 1: on the current path, 2: done.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let from = path.iter().position(|p| p == next).expect("on the path");
                    let mut cycle = path[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in graph.keys() {
        if state.get(m).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(m, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn top_level_modules_import_only_downwards() {
    let mut graph = graph();
    for (from, to) in KNOWN_CYCLE_EDGES {
        let removed = graph.get_mut(*from).is_some_and(|t| t.remove(*to));
        assert!(
            removed,
            "`{from}` no longer imports `{to}`: take ({from:?}, {to:?}) off KNOWN_CYCLE_EDGES"
        );
    }
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the top-level modules import each other in a cycle: {}\n  make the lower one not \
             import the higher one (move what both need below them, or pass it in)",
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_scan_finds_imports_and_cycles() {
    let modules: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let code = code(
        "use crate::a::X;\nuse crate::{b::Y, c};\n// crate::d in a comment\n#[cfg(test)]\nmod tests { use crate::z; }",
    );
    assert_eq!(
        imports(&code, &modules),
        ["a", "b", "c"].iter().map(|s| s.to_string()).collect()
    );
    let g = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(find_cycle(&g(&[("a", "b"), ("b", "c")])), None);
    assert_eq!(
        find_cycle(&g(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
