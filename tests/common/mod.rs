//! Helpers shared by the integration tests: small courses written into temporary folders.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A minimal valid bilingual course: config, home, one chapter with two sections.
pub const BASE: &[(&str, &str)] = &[
    ("kyozai.toml", "source_language = \"ja\"\nlanguages = [\"ja\", \"en\"]\n[title]\nja = \"テスト講座\"\nen = \"Test course\"\n"),
    ("content/_index.ja.md", "+++\ntitle = \"ホーム\"\n+++\nようこそ。\n"),
    ("content/_index.en.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n"),
    ("content/01-intro/_index.ja.md", "+++\ntitle = \"はじめに\"\n+++\n章の本文。\n"),
    ("content/01-intro/_index.en.md", "+++\ntitle = \"Introduction\"\n+++\nChapter body.\n"),
    ("content/01-intro/01-first.ja.md", "+++\ntitle = \"最初の節\"\nsummary = \"要約\"\n+++\n## 明示の例\n\n本文です。[次へ](02-second.md#詳細)\n"),
    ("content/01-intro/01-first.en.md", "+++\ntitle = \"First section\"\n+++\n## Examples\n\nBody. [Next](02-second.md#details)\n"),
    ("content/01-intro/02-second.ja.md", "+++\ntitle = \"二番目の節\"\n+++\n## 詳細\n\n本文。\n"),
    ("content/01-intro/02-second.en.md", "+++\ntitle = \"Second section\"\n+++\n## Details\n\nBody.\n"),
];

/// Writes `files` into a new temporary folder; later entries replace earlier ones.
pub fn course(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), files);
    dir
}

/// The base course with `changes` applied (an empty text removes the file).
pub fn base_with(changes: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = course(BASE);
    for (p, t) in changes {
        let path = dir.path().join(p);
        if t.is_empty() {
            let _ = std::fs::remove_file(&path);
        } else {
            write_files(dir.path(), &[(p, t)]);
        }
    }
    dir
}

/// Writes files below `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (p, t) in files {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, t).expect("write");
    }
}

/// Path of the compiled binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kyozai"))
}

/// Runs `kyozai ARGS` and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(bin())
        .args(args)
        .output()
        .expect("run kyozai");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Builds `dir` into memory and returns the files by path.
pub fn build_files(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let built = kyozai::build::build(dir, &kyozai::build::Options::default()).expect("build");
    built
        .output
        .files
        .into_iter()
        .map(|f| (f.path, String::from_utf8_lossy(&f.bytes).into_owned()))
        .collect()
}

/// The first error of a failing build of `dir`.
pub fn build_error(dir: &Path) -> kyozai::Diagnostic {
    match kyozai::build::build(dir, &kyozai::build::Options::default()) {
        Ok(_) => panic!("the build should have failed"),
        Err(e) => e
            .diagnostics()
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("not a source error: {e}")),
    }
}

/// Copies the folder `from` (files and folders) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
