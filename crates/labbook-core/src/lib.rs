//! labbook's core: the one pipeline of stages that turns a book into a static site, and the
//! [`feature::Feature`] interface through which exercises, models, the API reference and the
//! next features plug into it.
//!
//! [`config`] and [`content`] load the book, [`markdown`] transforms pages, [`assemble`]
//! checks links, [`render`] applies the theme, [`search`] indexes the pages and [`output`]
//! writes the site atomically; [`pipeline`] runs them in order for `build` and `serve`.
//! The core names no feature: a feature claims its `book.yaml` section, loads its data into
//! the [`content::Book`] (opaquely) and contributes directives, link resolvers, assets, pages,
//! search records, serve rules and `labbook test` cases (see ARCHITECTURE.md).

pub mod assemble;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod escape;
pub mod feature;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod page_cache;
pub mod pipeline;
pub mod render;
pub mod search;
#[doc(hidden)]
pub mod testing;

#[cfg(test)]
mod parser_props;
