//! The course edition: a hash of everything the course was built from (`kyozai.toml`, every
//! page's Markdown, every data file), which says which version of the course a completion record
//! is for. Kept per file so that an edit in `kyozai serve` hashes the edited file and the list
//! of digests, not the whole course again.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::Config;

/// The digest of each source file (by its path, `/`-separated, relative to the course) and the
/// edition they make with `kyozai.toml`.
#[derive(Debug, Clone, Default)]
pub struct Edition {
    config: [u8; 32],
    files: BTreeMap<String, [u8; 32]>,
}

impl Edition {
    /// The edition of `config` and `files` (path and text as read); digests are made in parallel.
    pub fn new<'a>(config: &Config, files: impl Iterator<Item = (&'a Path, &'a str)>) -> Edition {
        let files: Vec<(&Path, &str)> = files.collect();
        let files = files
            .par_iter()
            .map(|(p, t)| (name(p), digest(t)))
            .collect();
        Edition {
            config: digest(&config.text),
            files,
        }
    }

    /// Records a new text of the file `path`.
    pub fn set(&mut self, path: &Path, text: &str) {
        self.files.insert(name(path), digest(text));
    }

    /// The first 16 hex digits of a SHA-256 over the digest of `kyozai.toml` and, in path order,
    /// each file's path and digest. Changes with any text; the same whatever order the files
    /// were read in.
    pub fn value(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"kyozai.toml");
        h.update(self.config);
        for (name, d) in &self.files {
            h.update((name.len() as u64).to_le_bytes());
            h.update(name.as_bytes());
            h.update(d);
        }
        let digest = h.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A path as the edition names it: `/`-separated on every system.
fn name(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// SHA-256 of a text, its length first.
fn digest(text: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update((text.len() as u64).to_le_bytes());
    h.update(text.as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ed(c: &Config, files: &[(&str, &str)]) -> String {
        Edition::new(c, files.iter().map(|(p, t)| (Path::new(*p), *t))).value()
    }

    #[test]
    fn changes_with_any_text_and_not_with_order() {
        let c = Config::for_tests("");
        let a = ed(&c, &[("x", "1"), ("y", "2")]);
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(a, ed(&c, &[("y", "2"), ("x", "1")]));
        assert_ne!(a, ed(&c, &[("x", "1"), ("y", "3")]));
        assert_ne!(
            a,
            ed(&Config::for_tests("# edited\n"), &[("x", "1"), ("y", "2")])
        );
        // A path and a text boundary cannot be traded for each other.
        assert_ne!(ed(&c, &[("ab", "c")]), ed(&c, &[("a", "bc")]));
        // Paths are named the same on every system.
        assert_eq!(ed(&c, &[("a/b", "1")]), ed(&c, &[("a\\b", "1")]));
    }

    #[test]
    fn an_update_gives_the_edition_of_the_new_texts() {
        let c = Config::for_tests("");
        let mut e = Edition::new(
            &c,
            [(Path::new("x"), "1"), (Path::new("y"), "2")].into_iter(),
        );
        let before = e.value();
        e.set(Path::new("y"), "3");
        assert_ne!(e.value(), before);
        assert_eq!(e.value(), ed(&c, &[("x", "1"), ("y", "3")]));
        e.set(Path::new("y"), "2");
        assert_eq!(e.value(), before);
    }
}
