//! The files the rows table of a dataset page loads, one split at a time, like the search
//! index: `.js` files that register themselves with `window.__labbookData`, loaded with
//! script tags (so the page works from `file://`), only when a view needs them.
//!
//! In `datasets/<id>/viewer/<n>/` (`n` numbers the splits of the card in page order):
//!
//! | file             | holds                                                                  |
//! |------------------|------------------------------------------------------------------------|
//! | `r-<k>.js`       | rows `k·shard ..`, as JSON arrays of cells                               |
//! | `o-<c>-<k>.js`   | column `c`'s ascending order: row numbers of sorted positions `k·order_chunk ..` (descending reads from the end) |
//! | `t-<b>.js`       | filter words whose hash is `b`: `{word: [rows, [row deltas]]}` for a word in at most [`INLINE_ROWS`] rows, else `{word: [rows, id, [first row of each postings chunk]]}` |
//! | `p-<id>-<k>.js`  | chunk `k` of word `id`'s rows, delta-coded: chunk 0 its first [`PAGE_ROWS`] row numbers and those rows' cells (`{row: cells}`), the others [`POSTINGS_CHUNK`] row numbers each |
//!
//! The sizes follow from what a view costs, and from what a file costs the build (creating
//! thousands of small files is most of the time a build with datasets spends). A page of the
//! table shows [`PAGE_ROWS`] rows; each row file holds about [`ROW_FILE_BYTES`] of rows (25
//! rows of a dozen short columns), so a filtered or sorted page, whose rows are scattered,
//! loads at most 25 such files. A split of at most [`SMALL_ROWS`] rows has one order file per
//! column. The words of a split
//! go into as many dictionary files as make each about [`DICT_FILE_BYTES`]; a rare word's rows
//! are in its entry, a frequent word's in its own postings files, so a one-word filter loads
//! one dictionary file and the first postings chunk of its word, not the rows of other words,
//! and shows its first page from that chunk, which carries those rows' cells.
//! The first [`crate::page::FIRST_ROWS`] rows are in the page itself, and the viewer shows
//! them from there.
//!
//! The filter matches rows holding every word of the query in a text, label or category
//! cell, words being runs of letters and digits, lower-cased ([`words`]; `datasets.js` splits
//! queries the same way, and the browser test checks that they agree).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::columns::Kind;
use crate::table::Cell;
use crate::{DatasetCard, Split};
use labbook_core::output::OutFile;

/// Rows per page of the table.
pub const PAGE_ROWS: usize = 25;
/// About how many bytes of rows one row file holds (at least one row).
pub const ROW_FILE_BYTES: usize = 4000;
/// Row numbers per order file of a large split (a split of at most [`SMALL_ROWS`] rows has
/// one order file per column).
pub const ORDER_CHUNK: usize = 1000;
/// See [`ORDER_CHUNK`].
pub const SMALL_ROWS: usize = 5000;
/// A filter word in at most this many rows keeps them in its dictionary entry.
pub const INLINE_ROWS: usize = 64;
/// Row numbers per postings file of a frequent word.
pub const POSTINGS_CHUNK: usize = 2000;
/// About how many bytes one dictionary file holds.
pub const DICT_FILE_BYTES: usize = 2500;
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
    /// Rows per page of the table.
    pub page: usize,
    /// Rows per row file.
    pub shard: usize,
    /// Row numbers per order file.
    pub order_chunk: usize,
    /// Filter dictionary files (0: the split has no filterable column).
    pub buckets: usize,
    /// Per column: name, kind, class names, whether it sorts.
    pub columns: Vec<ColumnMeta>,
    /// Whether the table's cells are right-aligned unless marked `text` (more number
    /// columns than others), instead of left-aligned unless marked `num`.
    pub numeric: bool,
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

/// Whether a split's table is mostly numbers (its cells then align right by default).
pub fn numeric(split: &Split) -> bool {
    let numbers = split.columns.iter().filter(|c| c.kind == Kind::Number).count();
    numbers * 2 > split.columns.len()
}

/// What the viewer computes from a split's rows, computed once: the page's meta, the
/// page's first rows and the viewer's files all need it, and serializing every row is the
/// largest part of a dataset's cost to the build.
#[derive(Clone, Default)]
pub struct Derived {
    layout: Arc<OnceLock<Layout>>,
    first_rows: Arc<OnceLock<String>>,
}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Derived")
    }
}

fn cached_layout(split: &Split) -> &Layout {
    split.derived.layout.get_or_init(|| layout(split))
}

/// The table rows of the split's first `FIRST_ROWS` rows, as the page shows them (with
/// JavaScript off, and the viewer's first pages): a missing value is `<i>null</i>`, a label
/// its name and `<small>(number)</small>`, an image its thumbnail. Written here rather than
/// in the template: a template loop over every cell is most of the time a dataset page takes
/// to render.
///
/// These rows are most of a dataset page's bytes, so they are written as tersely as HTML
/// allows: no `</td>` or `</tr>` (the parser closes them), no class per cell. `datasets.js`
/// marks the cells that align against the table's grain ([`numeric`]) when it takes the
/// table over; without JavaScript, a table of mostly numbers aligns every cell to the end
/// and any other table every cell to the start.
pub fn first_rows(split: &Split) -> &str {
    split.derived.first_rows.get_or_init(|| {
        use labbook_core::escape::escape_html as esc;
        use std::fmt::Write as _;
        let mut html = String::new();
        for (i, row) in split.rows.iter().take(crate::page::FIRST_ROWS).enumerate() {
            let _ = write!(html, "\n<tr><th scope=row>{i}");
            for (cell, c) in row.iter().zip(&split.columns) {
                html.push_str("<td>");
                match (cell, c.kind) {
                    (Cell::Null, _) => html.push_str("<i>null</i>"),
                    (Cell::Int(k), Kind::Label) => {
                        let name = c.names.get(*k as usize).cloned().unwrap_or_else(|| k.to_string());
                        let _ = write!(html, "{} <small>({k})</small>", esc(&name));
                    }
                    (Cell::Text(t), Kind::Image) => {
                        let _ = write!(
                            html,
                            "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                            esc(t.trim_start_matches("./")),
                            esc(t)
                        );
                    }
                    (cell, _) => {
                        let mut text = cell.text();
                        if text.chars().count() > CELL_CHARS {
                            text = format!("{}…", text.chars().take(CELL_CHARS).collect::<String>());
                        }
                        html.push_str(&esc(&text));
                    }
                }
            }
        }
        html
    })
}

/// How one split's files are cut, computed from its rows.
struct Layout {
    /// Each row's cells as the row files hold them.
    cells: Vec<String>,
    shard: usize,
    order_chunk: usize,
    /// The filter words by dictionary file, with their rows.
    buckets: Vec<BTreeMap<String, Vec<u32>>>,
}

fn layout(split: &Split) -> Layout {
    let cells: Vec<String> = split.rows.iter().map(|r| json(&r.iter().map(shard_cell).collect::<Vec<_>>())).collect();
    let total: usize = cells.iter().map(|c| c.len() + 1).sum();
    let rows = cells.len().max(1);
    let shard = (ROW_FILE_BYTES * rows / total.max(1)).clamp(1, rows);
    let order_chunk = if split.rows.len() <= SMALL_ROWS { split.rows.len().max(1) } else { ORDER_CHUNK };
    let words = filter_words(split);
    let dict_bytes: usize = words.iter().map(|(w, rows)| w.len() + entry_bytes(rows.len())).sum();
    let count = if words.is_empty() { 0 } else { dict_bytes.div_ceil(DICT_FILE_BYTES).clamp(1, 4096) };
    let mut buckets = vec![BTreeMap::new(); count];
    for (w, rows) in words {
        let b = bucket(&w, count);
        buckets[b].insert(w, rows);
    }
    Layout { cells, shard, order_chunk, buckets }
}

/// About the bytes of a word's dictionary entry (for cutting the dictionary).
fn entry_bytes(rows: usize) -> usize {
    if rows <= INLINE_ROWS {
        12 + rows * 4
    } else {
        16 + (1 + rows.saturating_sub(PAGE_ROWS).div_ceil(POSTINGS_CHUNK)) * 7
    }
}

/// The split's meta for the page.
pub fn meta(card: &DatasetCard, n: usize, split: &Split) -> ViewerMeta {
    let layout = cached_layout(split);
    ViewerMeta {
        base: format!("viewer/{n}/"),
        key: format!("{}/{n}", card.id),
        rows: split.rows.len(),
        page: PAGE_ROWS,
        shard: layout.shard,
        order_chunk: layout.order_chunk,
        buckets: layout.buckets.len(),
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
        numeric: numeric(split),
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

/// Row numbers as differences from the one before (the first from `from`).
fn deltas(rows: &[u32], from: u32) -> Vec<u32> {
    let mut prev = from;
    rows.iter()
        .map(|r| {
            let d = r - prev;
            prev = *r;
            d
        })
        .collect()
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
    let layout = cached_layout(split);
    let mut out = Vec::new();
    for (k, chunk) in layout.cells.chunks(layout.shard).enumerate() {
        let rows = format!("[{}]", chunk.join(","));
        out.push(OutFile::bytes(&format!("{dir}/r-{k}.js"), js("rows", &[key.clone(), k.to_string(), rows])));
    }
    for (c, column) in split.columns.iter().enumerate() {
        if !sortable(column.kind) {
            continue;
        }
        let order = sort_order(split, c);
        for (k, chunk) in order.chunks(layout.order_chunk).enumerate() {
            out.push(OutFile::bytes(
                &format!("{dir}/o-{c}-{k}.js"),
                js("order", &[key.clone(), c.to_string(), k.to_string(), json(chunk)]),
            ));
        }
    }
    // Frequent words are numbered across the split, in dictionary order.
    let mut next_id = 0usize;
    for (b, entries) in layout.buckets.iter().enumerate() {
        let mut dict: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
        for (w, rows) in entries {
            if rows.len() <= INLINE_ROWS {
                dict.insert(w, serde_json::json!([rows.len(), deltas(rows, 0)]));
                continue;
            }
            let id = next_id;
            next_id += 1;
            // Chunk 0 is the word's first page alone (with the cells of its rows), so a
            // one-word filter's first page loads that small file and nothing else.
            let (first_page, rest) = rows.split_at(PAGE_ROWS.min(rows.len()));
            let chunks: Vec<&[u32]> = std::iter::once(first_page).chain(rest.chunks(POSTINGS_CHUNK)).collect();
            let starts: Vec<u32> = chunks.iter().map(|c| c[0]).collect();
            for (k, chunk) in chunks.iter().enumerate() {
                let mut args = vec![key.clone(), id.to_string(), k.to_string(), json(&deltas(chunk, chunk[0]))];
                if k == 0 {
                    // Its rows are scattered, one per row file at worst: their cells ride along.
                    let first: Vec<String> = chunk
                        .iter()
                        .take(PAGE_ROWS)
                        .map(|&r| format!("\"{r}\":{}", layout.cells[r as usize]))
                        .collect();
                    args.push(format!("{{{}}}", first.join(",")));
                }
                out.push(OutFile::bytes(&format!("{dir}/p-{id}-{k}.js"), js("postings", &args)));
            }
            dict.insert(w, serde_json::json!([rows.len(), id, starts]));
        }
        out.push(OutFile::bytes(&format!("{dir}/t-{b}.js"), js("terms", &[key.clone(), b.to_string(), json(&dict)])));
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
        Split { name: "train".into(), files: vec![], columns, rows: Arc::new(rows), derived: Default::default() }
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

    /// The arguments of a file's `window.__labbookData.<call>(…)` as one JSON array.
    fn args(file: &OutFile) -> serde_json::Value {
        let labbook_core::output::OutContent::Bytes(bytes) = &file.content else { panic!("generated") };
        let text = String::from_utf8(bytes.clone()).unwrap();
        let inner = text.split_once('(').unwrap().1.trim_end().strip_suffix(");").unwrap();
        serde_json::from_str(&format!("[{inner}]")).unwrap()
    }

    #[test]
    fn rare_words_are_inline_frequent_words_have_postings_files() {
        let columns = vec![Column { name: "t".into(), dtype: "string".into(), kind: Kind::Text, names: vec![] }];
        // "common" in every row, "third" in every third row, "r<i>" once each, "few" in 3 rows.
        let rows: Vec<Vec<Cell>> = (0..6500)
            .map(|i| {
                let few = if i % 1000 == 7 { " few" } else { "" };
                let third = if i % 3 == 0 { " third" } else { "" };
                vec![Cell::Text(format!("common r{i}{third}{few}").into())]
            })
            .collect();
        let split =
            Split { name: "train".into(), files: vec![], columns, rows: Arc::new(rows), derived: Default::default() };
        let card = DatasetCard {
            id: "t".into(),
            text: labbook_models::CardText {
                abs: "README.md".into(),
                display: "README.md".into(),
                rel: "README.md".into(),
                body: String::new(),
                body_line: 1,
            },
            output: "datasets/t/index.html".into(),
            meta: Default::default(),
            extra: vec![],
            title: "t".into(),
            configs: vec![],
            files: vec![],
            warnings: vec![],
        };
        let files = split_files(&card, 0, &split);
        let meta = meta(&card, 0, &split);
        let named = |name: &str| files.iter().find(|f| f.path == format!("datasets/t/viewer/0/{name}"));
        // Row files of about ROW_FILE_BYTES, and all rows in them in order.
        assert!(meta.shard > 1 && meta.shard < 6500, "{}", meta.shard);
        let mut all = Vec::new();
        for k in 0..6500usize.div_ceil(meta.shard) {
            let a = args(named(&format!("r-{k}.js")).unwrap());
            all.extend(a[2].as_array().unwrap().iter().map(|r| r[0].as_str().unwrap().to_string()));
        }
        assert_eq!(all.len(), 6500);
        assert!(all[1234].starts_with("common r1234"));
        // A large split: order files of ORDER_CHUNK rows.
        assert_eq!(meta.order_chunk, ORDER_CHUNK);
        assert!(named("o-0-6.js").is_some() && named("o-0-7.js").is_none());
        // The dictionary: look every word up where the script would.
        let entry = |w: &str| {
            let a = args(named(&format!("t-{}.js", bucket(w, meta.buckets))).unwrap());
            a[2][w].clone()
        };
        assert_eq!(entry("r42"), serde_json::json!([1, [42]]));
        assert_eq!(entry("few"), serde_json::json!([7, [7, 1000, 1000, 1000, 1000, 1000, 1000]]));
        let third = entry("third");
        assert_eq!(third[0], 2167);
        // Chunk 0 is the first page of matches alone (rows 0, 3, …, 72), with those rows' cells;
        // then chunks of POSTINGS_CHUNK matches: 2,000 from row 75, and the last 142 from 6,075.
        assert_eq!(third[2], serde_json::json!([0, 75, 6075]));
        let id = third[1].as_u64().unwrap();
        let first = args(named(&format!("p-{id}-0.js")).unwrap());
        assert_eq!(first[3].as_array().unwrap().len(), PAGE_ROWS);
        let cells = first[4].as_object().unwrap();
        assert_eq!(cells.len(), PAGE_ROWS);
        assert!(cells.contains_key("72") && !cells.contains_key("75"));
        let second = args(named(&format!("p-{id}-1.js")).unwrap());
        assert_eq!(second[3].as_array().unwrap().len(), POSTINGS_CHUNK);
        assert_eq!(second.as_array().unwrap().len(), 4, "only the first page carries cells");
        let last = args(named(&format!("p-{id}-2.js")).unwrap());
        let d = last[3].as_array().unwrap();
        assert_eq!((d.len(), d[0].as_u64(), d[1].as_u64()), (142, Some(0), Some(3)));
        // A split of at most SMALL_ROWS rows: one order file per column.
        let small = Split { rows: Arc::new(split.rows[..100].to_vec()), derived: Default::default(), ..split.clone() };
        assert_eq!(self::meta(&card, 0, &small).order_chunk, 100);
        assert!(entry("nothing").is_null());
    }
}
