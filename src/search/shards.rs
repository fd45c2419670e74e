//! The search index in shards, so that a query loads only the part of a large course's index
//! its terms can match in.
//!
//! Files of language `ja` (each a script, so that they load from `file://` too):
//!
//! ```text
//! search/ja.js      window.kyozaiSearch["ja"] = {"v":3,"lang":"ja","shards":S,"grams":G,"chunks":N,"batch":B}
//! search/ja/K.js    window.kyozaiSearchParts["ja/K"] = {"first":F, …an index of version 1…}
//! search/ja/gK.js   window.kyozaiSearchParts["ja/gK"] = {"GRAM":"SHARDS", …}
//! ```
//!
//! Shard `K` holds consecutive chunks (the first is chunk `F` of the language), each with its page's
//! path and title, in the layout of [`SearchIndex`]; a shard closes after [`SHARD_TEXT`] bytes of
//! text. The gram files map every folded unit and every pair of consecutive folded units
//! (UTF-16) that occurs in a shard's titles, headings or texts, written as the number
//! `u0 * 65536 + u1` (a single unit as itself), to the set of shards it occurs in: a bitmap in
//! [`BITS`], six shards a character, trailing zeros left off. Gram `g` is in gram file
//! `g % G`. An index of one shard has no gram files (`G` = 0): every query loads that shard.
//!
//! A query's terms can match only in a shard that holds every gram of every term's key (each pair
//! of a key of two units or more, the unit of a key of one), so the query loads the gram files of
//! those grams, then only those shards, and searches each as an index of its own; hits are merged
//! in the order [`super::query`] defines, chunk numbers made global by adding `F`. That gives the
//! very hits of the whole index: exact, for any substring.
//!
//! A query searches its shards in batches of `B` ([`SHARD_BATCH`]): the shards it needs, in
//! order, cut into runs of `B`. A batch's hits are ranked together as above; the batches follow one
//! another in course order. A query whose shards fit in one batch (any rare or specific one) thus
//! gets the very ranking of the whole index, and a term found on every page costs its first answer
//! `B` shards, not all of them; the next batches are loaded on demand ("More results"), and all of
//! them together hold every matching chunk. Ranking every match at once would need every matching
//! text. A manifest without `batch` (version 2) searches all needed shards as one batch.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::index::{Builder, ChunkRef, SearchIndex};
use super::normalize::{display, display_cow, fold_units, Folding};
use super::query::{by_rank, Ranked};
use super::terms::{parse_query, Term};
use super::Hit;

/// Format version of the sharded index, `v` in `search/LANG.js` (3: the manifest has `batch`).
pub const VERSION: u32 = 3;
/// Bytes of chunk text after which a shard closes.
pub const SHARD_TEXT: usize = 128 * 1024;
/// Shards a query searches at a time (`batch` in `search/LANG.js`). A shard's script is at most
/// about 138 KB (128 KB of text and its chunk table; 136 KB on average at 10,000 pages), so the
/// first answer loads at most 0.7 MB of shards. The gram files of a query's pairs add little: at
/// 10,000 pages (189 shards) a gram file is at most 2.2 KB, and its bitmaps grow with the number of
/// shards, so that a long query's gram files stay well under the 1.3 MB left of 2 MB at 100,000
/// pages. In Chromium at 100,000 pages, from `file://`, a first batch of five answered 15–20 ms
/// sooner than one of ten (most of the rest is compiling the shards' scripts), and still held
/// hundreds of results for a word on every page.
pub const SHARD_BATCH: usize = 5;
/// Most gram files of a language.
pub const MAX_GRAM_FILES: usize = 64;
/// The digits of a shard bitmap, each six shards (bit `b` of digit `j` is shard `6j + b`).
pub const BITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The sharded index of one language.
#[derive(Clone, Debug, Default)]
pub struct Sharded {
    /// Language code.
    pub lang: String,
    /// The shards, each an index of its own.
    pub shards: Vec<SearchIndex>,
    /// Per shard: the language's number of its first chunk.
    pub first: Vec<usize>,
    /// Gram → the shards it occurs in.
    pub grams: HashMap<u32, Vec<usize>>,
    /// Shards a query searches at a time; 0: all it needs at once.
    pub batch: usize,
}

/// A hasher for gram numbers: one multiplication (the default hasher costs more than the rest of
/// the index's work, once for every unit of text).
#[derive(Default)]
struct GramHasher(u64);

impl std::hash::Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(b as u32 ^ (self.0 as u32).rotate_left(8));
        }
    }
    fn write_u32(&mut self, n: u32) {
        let h = (n as u64 ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

/// A set of gram numbers.
type Grams = HashSet<u32, std::hash::BuildHasherDefault<GramHasher>>;

/// The grams one shard holds: single units in a bitmap, pairs in a set.
#[derive(Default)]
struct Seen {
    units: Vec<u64>,
    pairs: Grams,
}

impl Seen {
    /// Adds the grams of folded units `units`: every unit and every pair of consecutive units.
    fn add(&mut self, units: &[u16]) {
        if self.units.is_empty() {
            self.units = vec![0; 1 << 10];
        }
        for (k, &u) in units.iter().enumerate() {
            self.units[u as usize >> 6] |= 1 << (u & 63);
            if let Some(&v) = units.get(k + 1) {
                self.pairs.insert(((u as u32) << 16) | v as u32);
            }
        }
    }

    /// Every gram, emptying the set.
    fn drain(&mut self) -> impl Iterator<Item = u32> + '_ {
        let units = std::mem::take(&mut self.units);
        let singles = units.into_iter().enumerate().flat_map(|(w, bits)| {
            (0..64)
                .filter(move |b| bits >> b & 1 == 1)
                .map(move |b| (w * 64 + b) as u32)
        });
        singles.chain(self.pairs.drain())
    }
}

/// The grams a term's key needs: `None` when the key is empty (any shard may match).
fn term_grams(term: &Term) -> Option<Vec<u32>> {
    let k = &term.key;
    match k.len() {
        0 => None,
        1 => Some(vec![k[0] as u32]),
        _ => Some(
            k.windows(2)
                .map(|w| ((w[0] as u32) << 16) | w[1] as u32)
                .collect(),
        ),
    }
}

/// A shard set as its bitmap string.
fn bitmap(shards: &[usize]) -> String {
    let mut digits: Vec<u8> = Vec::new();
    for &s in shards {
        let (j, b) = (s / 6, s % 6);
        if digits.len() <= j {
            digits.resize(j + 1, 0);
        }
        digits[j] |= 1 << b;
    }
    digits
        .into_iter()
        .map(|d| BITS[d as usize] as char)
        .collect()
}

/// The number of gram files for `shards` shards: none for one shard (a query then needs it
/// anyway), else one per shard up to [`MAX_GRAM_FILES`].
pub fn gram_files(shards: usize) -> usize {
    if shards <= 1 {
        0
    } else {
        shards.min(MAX_GRAM_FILES)
    }
}

impl Sharded {
    /// The shards a query needs to be searched in, in order.
    pub fn needed(&self, terms: &[Term]) -> Vec<usize> {
        if gram_files(self.shards.len()) == 0 {
            return (0..self.shards.len()).collect();
        }
        let mut set: Option<Vec<bool>> = None;
        for t in terms {
            let Some(grams) = term_grams(t) else { continue };
            for g in grams {
                let mut has = vec![false; self.shards.len()];
                for &s in self.grams.get(&g).map(Vec::as_slice).unwrap_or_default() {
                    has[s] = true;
                }
                set = Some(match set {
                    None => has,
                    Some(prev) => prev.iter().zip(&has).map(|(a, b)| *a && *b).collect(),
                });
            }
        }
        let set = set.unwrap_or_else(|| vec![true; self.shards.len()]);
        (0..self.shards.len()).filter(|&s| set[s]).collect()
    }

    /// The shards of each batch a query is searched in: the shards it needs, in order, in runs of
    /// [`Sharded::batch`]. None for a query without terms.
    pub fn batches(&self, query: &str) -> Vec<Vec<usize>> {
        self.batches_of(&parse_query(query, Folding::for_lang(&self.lang)))
    }

    fn batches_of(&self, terms: &[Term]) -> Vec<Vec<usize>> {
        if terms.is_empty() {
            return Vec::new();
        }
        let needed = self.needed(terms);
        let size = if self.batch == 0 {
            needed.len().max(1)
        } else {
            self.batch
        };
        needed.chunks(size).map(<[usize]>::to_vec).collect()
    }

    /// Search every batch of shards the query needs: each batch's hits best first, the batches in
    /// order (the same algorithm as search-core.js). When the shards fit in one batch, these are
    /// the hits of the whole index; in any case, every chunk the whole index finds, once.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let terms = parse_query(query, Folding::for_lang(&self.lang));
        self.batches_of(&terms)
            .iter()
            .flat_map(|b| self.search_shards(b, &terms))
            .collect()
    }

    /// The hits of batch `k` of the query (see [`Sharded::batches`]), best first; none past the
    /// last batch.
    pub fn search_batch(&self, query: &str, k: usize) -> Vec<Hit> {
        let terms = parse_query(query, Folding::for_lang(&self.lang));
        self.batches_of(&terms)
            .get(k)
            .map(|b| self.search_shards(b, &terms))
            .unwrap_or_default()
    }

    /// The hits of `terms` in `shards`, ranked together.
    fn search_shards(&self, shards: &[usize], terms: &[Term]) -> Vec<Hit> {
        // Ranked within each shard, then merged by the same keys with the chunks numbered
        // globally: the order of an index of these shards' chunks.
        let mut ranked: Vec<(Ranked, usize)> = Vec::new();
        for &s in shards {
            for mut r in self.shards[s].ranked(terms) {
                r.3 += self.first[s];
                ranked.push((r, s));
            }
        }
        ranked.sort_by(|a, b| by_rank(&a.0, &b.0));
        ranked
            .into_iter()
            .map(|(r, s)| {
                let local = r.3 - self.first[s];
                let mut h = self.shards[s].hit(local, r.0, terms);
                h.doc = r.3;
                h
            })
            .collect()
    }

    /// Splits a built index into shards of `limit` bytes of text, searched in batches of
    /// [`SHARD_BATCH`] (what [`ShardWriter`] writes for the same chunks).
    pub fn split(index: &SearchIndex, limit: usize) -> Sharded {
        let mut w = ShardWriter::new(&index.lang).with_limit(limit);
        let p = index.prepared();
        for doc in 0..index.len() {
            let (path, title) = &index.pages[index.page[doc] as usize];
            let heading = String::from_utf16_lossy(&p.headings[doc].display);
            let text = String::from_utf16_lossy(&p.bodies[doc].display);
            w.chunk(&ChunkRef {
                path,
                frag: &index.anchor[doc],
                title,
                heading: (!heading.is_empty()).then_some(heading.as_str()),
                kind: p.kinds[doc],
                text: &text,
            });
        }
        w.into_sharded()
    }

    /// The files of the sharded index: (path below the site root, script).
    pub fn files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, shard) in self.shards.iter().enumerate() {
            out.push(shard_file(&self.lang, k, self.first[k], shard));
        }
        out.extend(gram_scripts(&self.lang, &self.grams, self.shards.len()));
        out.push(manifest(
            &self.lang,
            self.shards.len(),
            self.chunks(),
            self.batch,
        ));
        out
    }

    /// Number of chunks in all shards.
    pub fn chunks(&self) -> usize {
        self.shards.iter().map(SearchIndex::len).sum()
    }
}

/// The gram files of `shards` shards whose grams are `grams`.
fn gram_scripts(
    lang: &str,
    grams: &HashMap<u32, Vec<usize>>,
    shards: usize,
) -> Vec<(String, String)> {
    let g = gram_files(shards);
    if g == 0 {
        return Vec::new();
    }
    let mut by_file: Vec<BTreeMap<u32, String>> = vec![BTreeMap::new(); g];
    for (&gram, shards) in grams {
        by_file[gram as usize % g].insert(gram, bitmap(shards));
    }
    by_file
        .iter()
        .enumerate()
        .map(|(k, grams)| {
            let json = serde_json::to_string(grams).expect("a map of strings serialises");
            (
                format!("search/{lang}/g{k}.js"),
                format!("{}{json};\n", part_head(lang, &format!("g{k}"))),
            )
        })
        .collect()
}

/// `window.kyozaiSearchParts["LANG/NAME"] = `.
fn part_head(lang: &str, name: &str) -> String {
    let key = crate::text::script_json(
        &serde_json::to_string(&format!("{lang}/{name}")).expect("a string serialises"),
    );
    format!("window.kyozaiSearchParts = window.kyozaiSearchParts || {{}};\nwindow.kyozaiSearchParts[{key}] = ")
}

/// The script of shard `k`.
fn shard_file(lang: &str, k: usize, first: usize, shard: &SearchIndex) -> (String, String) {
    let json = shard.to_json();
    (
        format!("search/{lang}/{k}.js"),
        format!(
            "{}{{\"first\":{first},{};\n",
            part_head(lang, &k.to_string()),
            &json[1..]
        ),
    )
}

/// The script `search/LANG.js`.
fn manifest(lang: &str, shards: usize, chunks: usize, batch: usize) -> (String, String) {
    let code = crate::text::script_json(&serde_json::to_string(lang).expect("a string serialises"));
    (
        format!("search/{lang}.js"),
        format!(
            "window.kyozaiSearch = window.kyozaiSearch || {{}};\nwindow.kyozaiSearch[{code}] = {{\"v\":{VERSION},\"lang\":{code},\"shards\":{shards},\"grams\":{},\"chunks\":{chunks},\"batch\":{batch}}};\n",
            gram_files(shards)
        ),
    )
}

/// Builds the shards of one language chunk by chunk, handing each finished shard's script over
/// as soon as it closes, so that the index is never held whole.
pub struct ShardWriter {
    lang: String,
    current: Builder,
    text: usize,
    seen: Seen,
    first: usize,
    count: usize,
    shards: Vec<SearchIndex>,
    firsts: Vec<usize>,
    keep: bool,
    grams: HashMap<u32, Vec<usize>>,
    /// Shards closed so far.
    closed: usize,
    /// Bytes of text after which a shard closes.
    limit: usize,
    /// Shards a query searches at a time.
    batch: usize,
    /// The title of the last chunk of the current shard.
    last_title: Option<String>,
}

impl ShardWriter {
    /// A writer of language `lang`'s shards that keeps them (for [`ShardWriter::into_sharded`]).
    pub fn new(lang: &str) -> ShardWriter {
        let mut w = ShardWriter::streaming(lang);
        w.keep = true;
        w
    }

    /// A writer that keeps only the grams, for [`ShardWriter::chunk`]'s scripts to be written.
    pub fn streaming(lang: &str) -> ShardWriter {
        ShardWriter {
            lang: lang.to_string(),
            current: Builder::new(lang),
            text: 0,
            seen: Seen::default(),
            first: 0,
            count: 0,
            shards: Vec::new(),
            firsts: Vec::new(),
            keep: false,
            grams: HashMap::new(),
            closed: 0,
            limit: SHARD_TEXT,
            batch: SHARD_BATCH,
            last_title: None,
        }
    }

    /// The same writer with shards that close after `limit` bytes of text.
    pub fn with_limit(mut self, limit: usize) -> ShardWriter {
        self.limit = limit.max(1);
        self
    }

    /// The same writer with batches of `batch` shards (0: a query searches all it needs at once).
    pub fn with_batch(mut self, batch: usize) -> ShardWriter {
        self.batch = batch;
        self
    }

    /// Adds a chunk; returns the script of the shard it closed, if it closed one.
    pub fn chunk(&mut self, c: &ChunkRef<'_>) -> Option<(String, String)> {
        let heading = c.heading.map(display_cow).unwrap_or_default();
        let text = display_cow(c.text);
        let mut units: Vec<u16> = Vec::with_capacity(text.len());
        let f = Folding::for_lang(&self.lang);
        // A page's chunks share its title: its grams are taken once a shard.
        let new_page = self.last_title.as_deref() != Some(c.title);
        if new_page {
            self.last_title = Some(c.title.to_string());
            units.extend(display(c.title).encode_utf16());
            self.seen.add(&fold_units(&units, f));
        }
        for s in [&heading, &text] {
            units.clear();
            units.extend(s.encode_utf16());
            self.seen.add(&fold_units(&units, f));
        }
        self.text += heading.len() + text.len() + 2;
        self.current
            .push_display(c.path, c.frag, c.title, c.kind, &heading, &text);
        self.count += 1;
        (self.text >= self.limit).then(|| self.close())
    }

    /// Closes the current shard; returns its script.
    fn close(&mut self) -> (String, String) {
        let k = self.closed;
        for g in self.seen.drain() {
            self.grams.entry(g).or_default().push(k);
        }
        let shard = std::mem::replace(&mut self.current, Builder::new(&self.lang)).finish();
        let file = shard_file(&self.lang, k, self.first, &shard);
        if self.keep {
            self.shards.push(shard);
            self.firsts.push(self.first);
        }
        self.first = self.count;
        self.text = 0;
        self.last_title = None;
        self.closed += 1;
        file
    }

    /// Closes the last shard; returns the scripts still to write: that shard's (if it holds any
    /// chunk, or is the only one), the gram files and `search/LANG.js`.
    pub fn finish(mut self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.count > self.first || self.closed == 0 {
            out.push(self.close());
        }
        out.extend(gram_scripts(&self.lang, &self.grams, self.closed));
        out.push(manifest(&self.lang, self.closed, self.count, self.batch));
        out
    }

    /// Closes the last shard and returns the whole sharded index (for a writer made with
    /// [`ShardWriter::new`]).
    pub fn into_sharded(mut self) -> Sharded {
        if self.count > self.first || self.closed == 0 {
            self.close();
        }
        Sharded {
            lang: self.lang,
            shards: self.shards,
            first: self.firsts,
            grams: self.grams,
            batch: self.batch,
        }
    }
}
