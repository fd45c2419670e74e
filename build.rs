//! Embeds the default theme (`themes/default/`) in the binary so `kyozai` works anywhere.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from("/// Files of the built-in theme: (path inside the theme, contents).\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={abs}");
        let _ = writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let dest = Path::new(&out_dir).join("theme_files.rs");
    std::fs::write(dest, out).expect("write theme_files.rs");
    // The names of the built-in templates/directives/*.html, for the loader, which must tell
    // the directives of a course's own theme from copies of the built-in templates.
    let mut names = String::from(
        "/// The built-in theme's `templates/directives/NAME.html`: each NAME.\npub static BUILTIN_DIRECTIVE_TEMPLATES: &[&str] = &[\n",
    );
    for (rel, _) in &files {
        if let Some(n) = rel
            .strip_prefix("templates/directives/")
            .and_then(|n| n.strip_suffix(".html"))
        {
            let _ = writeln!(names, "    {n:?},");
        }
    }
    names.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("theme_names.rs"), names)
        .expect("write theme_names.rs");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        println!("cargo:rerun-if-changed={}", p.display());
        if p.is_dir() {
            collect(root, &p, files);
        } else if !e.file_name().to_string_lossy().starts_with('.') {
            let rel = p
                .strip_prefix(root)
                .expect("inside root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, p.to_string_lossy().into_owned()));
        }
    }
}
