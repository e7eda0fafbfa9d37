//! The files the rows table of a dataset page loads, one split at a time, like the search
//! index: `.js` files that register themselves with `window.__labbookData`, loaded with
//! script tags (so the page works from `file://`), only when a view needs them.
//!
//! In `datasets/<id>/viewer/<n>/` (`n` numbers the splits of the card in page order):
//!
//! | file             | holds                                                                  |
//! |------------------|------------------------------------------------------------------------|
//! | `r-<k>.js`       | rows `k·SHARD_ROWS ..`, as JSON arrays of cells                          |
//! | `o-<c>-<k>.js`   | column `c`'s ascending order: row numbers of sorted positions `k·ORDER_CHUNK ..` (descending reads from the end) |
//! | `t-<b>.js`       | filter words whose hash is `b`: `{word: [rows, [blocks with the word]]}` |
//! | `p-<b>-<k>.js`   | those words' rows in block `k` (`BLOCK_ROWS` rows), delta-coded          |
//!
//! The filter matches rows holding every word of the query in a text, label or category
//! cell, words being runs of letters and digits, lower-cased ([`words`]; `datasets.js` splits
//! queries the same way, and the browser test checks that they agree).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::columns::Kind;
use crate::table::Cell;
use crate::{DatasetCard, Split};
use labbook_core::output::OutFile;

/// Rows per row shard, and per page of the table (a view loads the shards of its rows).
pub const SHARD_ROWS: usize = 25;
/// Row numbers per order file.
pub const ORDER_CHUNK: usize = 1000;
/// Rows per block of the filter's postings.
pub const BLOCK_ROWS: usize = 10_000;
/// Filter words per dictionary file, roughly.
const WORDS_PER_BUCKET: usize = 400;
/// A text cell is cut to this many characters in the shards (the page says so).
pub const CELL_CHARS: usize = 500;

/// What `datasets.js` needs to know of one split's files (inline in the page).
#[derive(Debug, Clone, Serialize)]
pub struct ViewerMeta {
    /// The folder of the files, relative to the dataset page (`viewer/0/`).
    pub base: String,
    /// Registry key (`<id>/<n>`).
    pub key: String,
    /// Rows.
    pub rows: usize,
    /// Rows per shard and page.
    pub shard: usize,
    /// Row numbers per order file.
    pub order_chunk: usize,
    /// Filter buckets (0: the split has no filterable column).
    pub buckets: usize,
    /// Rows per postings block.
    pub block: usize,
    /// Per column: name, kind, class names, whether it sorts.
    pub columns: Vec<ColumnMeta>,
}

/// One column as the script sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnMeta {
    /// The name.
    pub name: String,
    /// How it shows.
    pub kind: Kind,
    /// Class names of a label column.
    pub names: Vec<String>,
    /// Whether it has an order file set.
    pub sortable: bool,
}

/// The splits of a card in page order, each with its number.
pub fn splits(card: &DatasetCard) -> impl Iterator<Item = (usize, &str, &Split)> {
    card.configs
        .iter()
        .flat_map(|c| c.splits.iter().map(move |s| (c.name.as_str(), s)))
        .enumerate()
        .map(|(n, (c, s))| (n, c, s))
}

fn sortable(kind: Kind) -> bool {
    !matches!(kind, Kind::Image | Kind::Other)
}

fn filterable(kind: Kind) -> bool {
    matches!(kind, Kind::Text | Kind::Label | Kind::Category)
}

/// The split's meta for the page.
pub fn meta(card: &DatasetCard, n: usize, split: &Split) -> ViewerMeta {
    let words = filter_words(split);
    ViewerMeta {
        base: format!("viewer/{n}/"),
        key: format!("{}/{n}", card.id),
        rows: split.rows.len(),
        shard: SHARD_ROWS,
        order_chunk: ORDER_CHUNK,
        buckets: bucket_count(words.len()),
        block: BLOCK_ROWS,
        columns: split
            .columns
            .iter()
            .map(|c| ColumnMeta {
                name: c.name.clone(),
                kind: c.kind,
                names: c.names.clone(),
                sortable: sortable(c.kind),
            })
            .collect(),
    }
}

fn bucket_count(words: usize) -> usize {
    if words == 0 {
        0
    } else {
        words.div_ceil(WORDS_PER_BUCKET).clamp(1, 4096)
    }
}

/// Words of a cell's text: runs of letters and digits, lower-cased.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase())
}

/// The word's bucket: FNV-1a of its UTF-8 bytes (as `datasets.js` computes it).
pub fn bucket(word: &str, buckets: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in word.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h as usize) % buckets.max(1)
}

/// Every filter word of the split with the rows that hold it (ascending, once each).
fn filter_words(split: &Split) -> HashMap<String, Vec<u32>> {
    let mut index: HashMap<String, Vec<u32>> = HashMap::new();
    let cols: Vec<usize> =
        split.columns.iter().enumerate().filter(|(_, c)| filterable(c.kind)).map(|(i, _)| i).collect();
    for (r, row) in split.rows.iter().enumerate() {
        for &i in &cols {
            let c = &split.columns[i];
            let text = match (&row[i], c.kind) {
                (Cell::Int(k), Kind::Label) => c.names.get(*k as usize).cloned().unwrap_or_else(|| k.to_string()),
                (Cell::Null, _) => continue,
                (cell, _) => cell.text(),
            };
            for w in words(&text) {
                let rows = index.entry(w).or_default();
                if rows.last() != Some(&(r as u32)) {
                    rows.push(r as u32);
                }
            }
        }
    }
    index
}

/// A cell as the shards hold it: label numbers, texts cut to [`CELL_CHARS`].
fn shard_cell(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Text(t) if t.chars().count() > CELL_CHARS => {
            let cut: String = t.chars().take(CELL_CHARS).collect();
            serde_json::Value::String(format!("{cut}…"))
        }
        other => other.json(),
    }
}

fn js(call: &str, args: &[String]) -> Vec<u8> {
    format!("window.__labbookData.{call}({});\n", args.join(",")).into_bytes()
}

fn json<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).expect("JSON serializes").replace("</", "<\\/")
}

/// Every viewer file of a card.
pub fn shards(card: &DatasetCard) -> Vec<OutFile> {
    let mut out = Vec::new();
    for (n, _, split) in splits(card) {
        out.extend(split_files(card, n, split));
    }
    out
}

/// The viewer files of split `n`.
pub fn split_files(card: &DatasetCard, n: usize, split: &Split) -> Vec<OutFile> {
    let dir = format!("{}/viewer/{n}", card.dir_output());
    let key = json(&format!("{}/{n}", card.id));
    let mut out = Vec::new();
    let rows = &split.rows;
    for (k, chunk) in rows.chunks(SHARD_ROWS).enumerate() {
        let cells: Vec<Vec<serde_json::Value>> = chunk.iter().map(|r| r.iter().map(shard_cell).collect()).collect();
        out.push(OutFile::bytes(&format!("{dir}/r-{k}.js"), js("rows", &[key.clone(), k.to_string(), json(&cells)])));
    }
    for (c, column) in split.columns.iter().enumerate() {
        if !sortable(column.kind) {
            continue;
        }
        let order = sort_order(split, c);
        for (k, chunk) in order.chunks(ORDER_CHUNK).enumerate() {
            out.push(OutFile::bytes(
                &format!("{dir}/o-{c}-{k}.js"),
                js("order", &[key.clone(), c.to_string(), k.to_string(), json(chunk)]),
            ));
        }
    }
    let words = filter_words(split);
    let buckets = bucket_count(words.len());
    let mut by_bucket: Vec<BTreeMap<&str, &Vec<u32>>> = vec![BTreeMap::new(); buckets];
    for (w, rows) in &words {
        by_bucket[bucket(w, buckets)].insert(w, rows);
    }
    for (b, entries) in by_bucket.iter().enumerate() {
        let mut dict: BTreeMap<&str, (usize, Vec<usize>)> = BTreeMap::new();
        let mut blocks: BTreeMap<usize, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
        for (w, rows) in entries {
            let mut list = Vec::new();
            for r in rows.iter() {
                let k = *r as usize / BLOCK_ROWS;
                if list.last() != Some(&k) {
                    list.push(k);
                }
                let deltas = blocks.entry(k).or_default().entry(w).or_default();
                deltas.push(*r);
            }
            dict.insert(w, (rows.len(), list));
        }
        out.push(OutFile::bytes(&format!("{dir}/t-{b}.js"), js("terms", &[key.clone(), b.to_string(), json(&dict)])));
        for (k, postings) in blocks {
            let coded: BTreeMap<&str, Vec<u32>> = postings
                .into_iter()
                .map(|(w, rows)| {
                    let mut prev = (k * BLOCK_ROWS) as u32;
                    let deltas = rows
                        .iter()
                        .map(|r| {
                            let d = r - prev;
                            prev = *r;
                            d
                        })
                        .collect();
                    (w, deltas)
                })
                .collect();
            out.push(OutFile::bytes(
                &format!("{dir}/p-{b}-{k}.js"),
                js("postings", &[key.clone(), b.to_string(), k.to_string(), json(&coded)]),
            ));
        }
    }
    out
}

/// Row numbers in ascending order of column `c`: numbers by value, labels by name, texts
/// by their text; missing values last; ties in row order.
pub fn sort_order(split: &Split, c: usize) -> Vec<u32> {
    let column = &split.columns[c];
    let mut order: Vec<u32> = (0..split.rows.len() as u32).collect();
    let key = |r: u32| -> SortKey {
        match &split.rows[r as usize][c] {
            Cell::Null => SortKey::Missing,
            Cell::Int(k) if column.kind == Kind::Label => {
                SortKey::Text(column.names.get(*k as usize).cloned().unwrap_or_else(|| k.to_string()))
            }
            cell => match cell.number() {
                Some(v) if column.kind == Kind::Number || column.kind == Kind::Bool => SortKey::Number(v),
                _ => SortKey::Text(cell.text()),
            },
        }
    };
    let keys: Vec<SortKey> = order.iter().map(|r| key(*r)).collect();
    order.sort_by(|a, b| keys[*a as usize].cmp(&keys[*b as usize]).then(a.cmp(b)));
    order
}

#[derive(PartialEq)]
enum SortKey {
    Number(f64),
    Text(String),
    Missing,
}

impl Eq for SortKey {}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        match (self, other) {
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
            (SortKey::Missing, _) => Ordering::Greater,
            (_, SortKey::Missing) => Ordering::Less,
            (SortKey::Number(_), SortKey::Text(_)) => Ordering::Less,
            (SortKey::Text(_), SortKey::Number(_)) => Ordering::Greater,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Column;
    use std::sync::Arc;

    fn split() -> Split {
        let columns = vec![
            Column { name: "x".into(), dtype: "float64".into(), kind: Kind::Number, names: vec![] },
            Column {
                name: "label".into(),
                dtype: "class_label".into(),
                kind: Kind::Label,
                names: vec!["b cat".into(), "a dog".into()],
            },
        ];
        let rows = vec![
            vec![Cell::Float(2.0), Cell::Int(0)],
            vec![Cell::Null, Cell::Int(1)],
            vec![Cell::Float(-1.0), Cell::Int(0)],
        ];
        Split { name: "train".into(), files: vec![], columns, rows: Arc::new(rows) }
    }

    #[test]
    fn orders_put_missing_last_and_labels_by_name() {
        let s = split();
        assert_eq!(sort_order(&s, 0), [2, 0, 1]);
        assert_eq!(sort_order(&s, 1), [1, 0, 2]);
    }

    #[test]
    fn filter_words_come_from_label_names() {
        let w = filter_words(&split());
        assert_eq!(w["cat"], [0, 2]);
        assert_eq!(w["dog"], [1]);
        assert!(!w.contains_key("2"));
        assert_eq!(words("Hello, wörld-42!").collect::<Vec<_>>(), ["hello", "wörld", "42"]);
        assert_eq!(bucket("cat", 1), 0);
        // The browser computes the same hash (checked in tests/browser/datasets.mjs).
        assert_eq!(bucket("setosa", 1 << 20), 0x1cc4_79dc % (1 << 20));
    }
}
