//! Per-column statistics of a split, drawn at build time as inline SVG: a histogram with
//! min, max, mean and missing for numbers, the top values with counts for labels and short
//! strings, a length histogram for text, thumbnails for images.

use std::collections::HashMap;

use serde::Serialize;

use crate::columns::{Column, Kind};
use crate::table::{format_float, Cell};
use labbook_core::escape::escape_html;
use labbook_core::i18n::numbers::NumberFormat;
use labbook_core::i18n::strings::Words;

/// Bins of a histogram.
const BINS: usize = 12;
/// Top values shown.
const TOP: usize = 8;
/// Image thumbnails shown.
const THUMBNAILS: usize = 6;

/// What the page shows of one column.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnStats {
    /// `(label, value)` facts: min, max, mean, missing, distinct...
    pub facts: Vec<(String, String)>,
    /// The drawing (an `<svg>` element), if the column has values to draw.
    pub svg: Option<String>,
    /// Image paths (relative to the card's folder) for thumbnails.
    pub thumbnails: Vec<String>,
}

/// The statistics of column `i` of `rows`, the charts' descriptions in `words` (the book's
/// words in its language, `dataset_chart_*`) and every figure written the language's way
/// (`1 234,5` in French).
pub fn column_stats(column: &Column, i: usize, rows: &[Vec<Cell>], words: &Words) -> ColumnStats {
    let nf = words.numbers();
    let float = |v: f64| number(&nf, v);
    let missing = rows.iter().filter(|r| r[i] == Cell::Null).count();
    let mut facts = Vec::new();
    let mut svg = None;
    let mut thumbnails = Vec::new();
    // An escaped description of a chart: `key`'s words with the column's name.
    let say = |key: &str, english: &str| {
        let text = words.map().get(key).map_or(english, String::as_str);
        escape_html(&labbook_core::i18n::strings::fill(text, &|n| (n == "column").then(|| column.name.clone())))
    };
    match column.kind {
        Kind::Number => {
            let values: Vec<f64> = rows.iter().filter_map(|r| r[i].number()).filter(|v| v.is_finite()).collect();
            if !values.is_empty() {
                let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let mean = values.iter().sum::<f64>() / values.len() as f64;
                facts.push(("min".into(), float(min)));
                facts.push(("max".into(), float(max)));
                facts.push(("mean".into(), float((mean * 1e4).round() / 1e4)));
                svg = Some(histogram(&values, &say("dataset_chart_histogram", "Histogram of {column}"), false, words));
            }
        }
        Kind::Text => {
            let lengths: Vec<f64> = rows
                .iter()
                .filter_map(|r| if let Cell::Text(t) = &r[i] { Some(t.chars().count() as f64) } else { None })
                .collect();
            if !lengths.is_empty() {
                let min = lengths.iter().copied().fold(f64::INFINITY, f64::min);
                let max = lengths.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let mean = lengths.iter().sum::<f64>() / lengths.len() as f64;
                // The unit is in the label the theme translates (`dataset_stat_shortest`).
                facts.push(("shortest".into(), float(min)));
                facts.push(("longest".into(), float(max)));
                facts.push(("mean length".into(), float(mean.round())));
                svg = Some(histogram(
                    &lengths,
                    &say("dataset_chart_lengths", "Histogram of the text lengths of {column}"),
                    true,
                    words,
                ));
            }
        }
        Kind::Label | Kind::Category | Kind::Bool => {
            let mut counts: HashMap<String, usize> = HashMap::new();
            for r in rows {
                let key = match (&r[i], column.kind) {
                    (Cell::Null, _) => continue,
                    (Cell::Int(k), Kind::Label) => {
                        column.names.get(*k as usize).cloned().unwrap_or_else(|| k.to_string())
                    }
                    (c, _) => c.text(),
                };
                *counts.entry(key).or_default() += 1;
            }
            let mut top: Vec<(String, usize)> = counts.into_iter().collect();
            facts.push(("distinct".into(), nf.integer(top.len() as i128)));
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            if !top.is_empty() {
                svg = Some(top_values(
                    &top,
                    rows.len() - missing,
                    &say("dataset_chart_top", "Most frequent values of {column}"),
                    words,
                ));
            }
        }
        Kind::Image => {
            thumbnails = rows
                .iter()
                .filter_map(|r| if let Cell::Text(t) = &r[i] { Some(t.to_string()) } else { None })
                .take(THUMBNAILS)
                .collect();
        }
        Kind::Other => {}
    }
    facts.push(("missing".into(), format!("{} ({})", nf.integer(missing as i128), percent(&nf, missing, rows.len()))));
    ColumnStats { facts, svg, thumbnails }
}

/// A value as [`format_float`] writes it (`0.333333`, no `.0`), in the language's way.
fn number(nf: &NumberFormat, v: f64) -> String {
    nf.plain(&format_float(v))
}

/// `part` of `whole` as a percentage: whole from 10 % up, else with one decimal.
fn percent(nf: &NumberFormat, part: usize, whole: usize) -> String {
    if whole == 0 {
        return nf.percent(0.0, 0);
    }
    let p = part as f64 * 100.0 / whole as f64;
    let digits = if p == 0.0 || p >= 10.0 || p == p.round() { 0 } else { 1 };
    nf.percent(part as f64 / whole as f64, digits)
}

/// A histogram of `values` as an SVG: `BINS` equal-width bins (integer-wide when `integers`
/// and the range is small), each bar with a `<title>` naming its range and count.
fn histogram(values: &[f64], label: &str, integers: bool, words: &Words) -> String {
    let nf = words.numbers();
    let float = |v: f64| number(&nf, v);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let all_ints = integers || values.iter().all(|v| *v == v.trunc());
    let span = max - min;
    let bins = if span == 0.0 {
        1
    } else if all_ints && span < BINS as f64 {
        span as usize + 1
    } else {
        BINS
    };
    let width = if span == 0.0 || (all_ints && span < BINS as f64) { 1.0 } else { span / bins as f64 };
    let mut counts = vec![0usize; bins];
    for v in values {
        let k = if span == 0.0 { 0 } else { (((v - min) / width) as usize).min(bins - 1) };
        counts[k] += 1;
    }
    let peak = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (w, h) = (240.0, 64.0);
    let bar = w / bins as f64;
    let range = words.map().get("dataset_chart_range").map_or("{count} values from {min} to {max}", String::as_str);
    let range = labbook_core::i18n::strings::fill(range, &|n| match n {
        "count" => Some(nf.integer(values.len() as i128)),
        "min" => Some(float(min)),
        "max" => Some(float(max)),
        _ => None,
    });
    let mut out = format!(
        "<svg class=\"dataset-chart\" viewBox=\"0 0 {w} {}\" width=\"{w}\" height=\"{}\" role=\"img\" aria-label=\"{label}: {}\">",
        h + 14.0,
        h + 14.0,
        escape_html(&range)
    );
    for (k, n) in counts.iter().enumerate() {
        let height = (*n as f64 / peak * h).max(if *n > 0 { 1.0 } else { 0.0 });
        let lo = min + k as f64 * width;
        let hi = if all_ints && width == 1.0 { lo } else { lo + width };
        let range = if lo == hi {
            float(lo)
        } else {
            format!("{} – {}", float(round_for(lo, width)), float(round_for(hi, width)))
        };
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{range}: {}</title></rect>",
            tenths(k as f64 * bar + 0.5),
            tenths(h - height),
            tenths((bar - 1.0).max(0.5)),
            tenths(height),
            nf.integer(*n as i128)
        ));
    }
    out.push_str(&format!(
        "<text x=\"0\" y=\"{}\">{}</text><text x=\"{w}\" y=\"{}\" text-anchor=\"end\">{}</text></svg>",
        h + 12.0,
        float(round4(min)),
        h + 12.0,
        float(round4(max))
    ));
    out
}

/// A bin edge with as many decimals as tell bins `width` apart (three significant digits of
/// the width, at most four decimals): `1666.5833` in bins 1,666 wide is `1667`.
fn round_for(v: f64, width: f64) -> f64 {
    let decimals = if width > 0.0 { (2.0 - width.log10().floor()).clamp(0.0, 4.0) } else { 4.0 };
    let scale = 10f64.powi(decimals as i32);
    (v * scale).round() / scale
}

/// An SVG coordinate to a tenth, without a trailing `.0`.
fn tenths(v: f64) -> String {
    format_float((v * 10.0).round() / 10.0)
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// The most frequent values as horizontal bars with their counts.
fn top_values(top: &[(String, usize)], total: usize, label: &str, words: &Words) -> String {
    let nf = words.numbers();
    let shown = &top[..top.len().min(TOP)];
    let rest: usize = top[shown.len()..].iter().map(|(_, n)| n).sum();
    let rows = shown.len() + usize::from(rest > 0);
    let (w, line) = (240.0, 16.0);
    let h = rows as f64 * line;
    let peak = shown.first().map_or(1, |t| t.1).max(rest).max(1) as f64;
    let mut out = format!("<svg class=\"dataset-chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{label}\">");
    let mut row = |k: usize, name: &str, n: usize, other: bool| {
        let y = k as f64 * line;
        let bar = (n as f64 / peak * 90.0).max(1.0);
        let count = nf.integer(n as i128);
        let short: String = if name.chars().count() > 16 {
            format!("{}…", name.chars().take(15).collect::<String>())
        } else {
            name.to_string()
        };
        out.push_str(&format!(
            "<g{}><title>{}: {count} ({})</title><text x=\"0\" y=\"{:.1}\">{}</text><rect x=\"110\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{:.1}\"></rect><text x=\"{w}\" y=\"{:.1}\" text-anchor=\"end\">{count}</text></g>",
            if other { " class=\"dataset-other\"" } else { "" },
            escape_html(name),
            percent(&nf, n, total),
            y + 12.0,
            escape_html(&short),
            y + 3.0,
            line - 5.0,
            y + 12.0
        ));
    };
    for (k, (name, n)) in shown.iter().enumerate() {
        row(k, name, *n, false);
    }
    if rest > 0 {
        let others = words.map().get("dataset_chart_others").map_or("{count} others", String::as_str);
        let others = labbook_core::i18n::strings::fill(others, &|n| {
            (n == "count").then(|| nf.integer((top.len() - shown.len()) as i128))
        });
        row(shown.len(), &others, rest, true);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Words {
        Words::new("en", Default::default())
    }

    #[test]
    fn figures_are_written_the_reader_s_way() {
        let rows: Vec<Vec<Cell>> =
            [1200.5, 3400.25, 0.0].iter().map(|v| vec![Cell::Float(*v)]).chain([vec![Cell::Null]]).collect();
        let fr = column_stats(&col(Kind::Number), 0, &rows, &Words::new("fr", Default::default()));
        assert_eq!(fr.facts[1], ("max".to_string(), "3\u{202f}400,25".to_string()));
        assert_eq!(fr.facts[2], ("mean".to_string(), "1\u{202f}533,5833".to_string()));
        assert_eq!(fr.facts[3], ("missing".to_string(), "1 (25\u{a0}%)".to_string()));
        let de = column_stats(&col(Kind::Number), 0, &rows, &Words::new("de", Default::default()));
        assert_eq!(de.facts[1], ("max".to_string(), "3.400,25".to_string()));
        assert_eq!(de.facts[3], ("missing".to_string(), "1 (25\u{a0}%)".to_string()));
        let labels: Vec<Vec<Cell>> = (0..3000).map(|k| vec![Cell::Int(k % 2)]).collect();
        let svg = column_stats(&col(Kind::Label), 0, &labels, &Words::new("de", Default::default())).svg.unwrap();
        assert!(svg.contains("<title>neg: 1.500 (50\u{a0}%)</title>"), "{svg}");
    }

    fn col(kind: Kind) -> Column {
        Column { name: "c".into(), dtype: "x".into(), kind, names: vec!["neg".into(), "pos".into()] }
    }

    #[test]
    fn charts_are_described_in_the_book_s_language() {
        let rows: Vec<Vec<Cell>> = [1.0, 2.0].iter().map(|v| vec![Cell::Float(*v)]).collect();
        let words = Words::new(
            "fr",
            [
                ("dataset_chart_histogram", "Histogramme de {column}"),
                ("dataset_chart_range", "{count} valeurs de {min} à {max}"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        );
        let svg = column_stats(&col(Kind::Number), 0, &rows, &words).svg.unwrap();
        assert!(svg.contains("aria-label=\"Histogramme de c: 2 valeurs de 1 à 2\""), "{svg}");
        let english = column_stats(&col(Kind::Number), 0, &rows, &english()).svg.unwrap();
        assert!(english.contains("aria-label=\"Histogram of c: 2 values from 1 to 2\""), "{english}");
    }

    #[test]
    fn numbers_get_facts_and_a_histogram() {
        let rows: Vec<Vec<Cell>> =
            [1.0, 2.0, 3.0, 4.0].iter().map(|v| vec![Cell::Float(*v)]).chain([vec![Cell::Null]]).collect();
        let s = column_stats(&col(Kind::Number), 0, &rows, &english());
        assert_eq!(s.facts[0], ("min".to_string(), "1".to_string()));
        assert_eq!(s.facts[2], ("mean".to_string(), "2.5".to_string()));
        assert_eq!(s.facts[3], ("missing".to_string(), "1 (20%)".to_string()));
        let svg = s.svg.unwrap();
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
        assert!(svg.contains("<title>1: 1</title>"), "{svg}");
    }

    #[test]
    fn labels_count_their_names() {
        let rows = vec![vec![Cell::Int(1)], vec![Cell::Int(1)], vec![Cell::Int(0)]];
        let s = column_stats(&col(Kind::Label), 0, &rows, &english());
        let svg = s.svg.unwrap();
        assert!(svg.find("pos").unwrap() < svg.find("neg").unwrap(), "{svg}");
        assert!(svg.contains("<title>pos: 2 (67%)</title>"), "{svg}");
    }
}
