//! What a feature of cards with a catalogue (models, and the datasets feature, which builds
//! on this crate) shares: which of the book's pages are its catalogue and its cards, the
//! sidebar part that lists them, the catalogue's facets with their counts, and the
//! catalogue's script (`catalogue.js`: facet and text filters and sorting, kept in the URL
//! hash), which each feature's own script drives with its facets, sorts and words.

use std::collections::BTreeMap;

use serde::Serialize;

use labbook_core::content::{NavItem, Page};

/// The catalogue's script, shipped by each feature that uses it (the same bytes, so the
/// theme keeps one).
pub const CATALOGUE_JS: &[u8] = include_bytes!("../theme/static/catalogue.js");

/// The catalogue's template, which each feature's catalogue template extends (its sort
/// options and entries), shipped like [`CATALOGUE_JS`].
pub const CATALOGUE_HTML: &str = include_str!("../theme/templates/catalogue.html");

/// What one of the book's pages is to a feature of cards.
pub enum CardPage<'a, C> {
    /// The feature's catalogue.
    Catalogue,
    /// The page of one card.
    Card(&'a C),
}

/// Which page `output` is: the catalogue at `catalogue` (when the feature has cards or an
/// introduction, `shown`), the card whose `card_output` it is, or neither.
pub fn card_page<'a, C>(
    output: &str,
    catalogue: &str,
    shown: bool,
    cards: &'a [C],
    card_output: impl Fn(&C) -> &str,
) -> Option<CardPage<'a, C>> {
    if output == catalogue && shown {
        return Some(CardPage::Catalogue);
    }
    cards.iter().find(|c| card_output(c) == output).map(CardPage::Card)
}

/// A part of the sidebar titled `title`: the catalogue, then each card, every entry a
/// `(title, output path)` of a page the feature added (found among `pages[own..]`).
pub fn sidebar_part<'a>(
    title: &str,
    pages: &[Page],
    own: usize,
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> NavItem {
    let page_of = |output: &str| pages.iter().enumerate().skip(own).find(|(_, p)| p.output == output).map(|(i, _)| i);
    NavItem {
        title: title.into(),
        page: None,
        link: None,
        number: None,
        is_part: true,
        children: entries.into_iter().map(|(title, output)| NavItem::chapter(title, page_of(output))).collect(),
        marks: Default::default(),
    }
}

/// One facet of a catalogue as its template lists it: each value with its label and how
/// many entries have it.
#[derive(Serialize)]
pub struct Facet {
    /// The facet's name in the URL hash and the form (`task`).
    pub key: &'static str,
    /// Its heading.
    pub label: &'static str,
    /// `(value, label, entries)`, in value order.
    pub values: Vec<(String, String, usize)>,
}

/// The facet `key` of `entries`, each entry's values given by `values` (counted once per
/// entry); tasks are labelled by their Hub names.
pub fn facet<E>(entries: &[E], key: &'static str, label: &'static str, values: impl Fn(&E) -> Vec<String>) -> Facet {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for e in entries {
        let mut vs = values(e);
        vs.sort();
        vs.dedup();
        for v in vs {
            *counts.entry(v).or_default() += 1;
        }
    }
    let values = counts
        .into_iter()
        .map(|(v, n)| {
            let shown = if key == "task" { crate::licenses::task_label(&v) } else { v.clone() };
            (v, shown, n)
        })
        .collect();
    Facet { key, label, values }
}
