//! `api:` in `book.yaml`: the Python sources the API reference documents.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use labbook_core::config::locate;
use labbook_core::diagnostic::Diagnostic;

/// One entry of `api:` in `book.yaml`: a Python package or module (`.py` or `.pyi` stub)
/// whose API is read from its source, without importing it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApiSource {
    /// A package folder (holding `__init__.py` or `__init__.pyi`) or one module file,
    /// relative to the book root.
    pub source: PathBuf,
    /// The folder of the site that receives the reference pages.
    #[serde(default = "default_api_output")]
    pub output: String,
    /// The heading of these pages in the navigation; default: `<package> API`.
    #[serde(default)]
    pub title: Option<String>,
    /// Files left out, relative to `source` (globs as in `search.exclude`: `**/tests/**`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Sphinx inventories of other projects' documentation (Python's, NumPy's), saved in
    /// the book, so cross-links to their names (`str`, `numpy.ndarray`) resolve offline.
    #[serde(default)]
    pub inventories: Vec<InventorySource>,
}

/// One entry of `inventories:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventorySource {
    /// The `objects.inv` file, relative to the book root.
    pub path: PathBuf,
    /// The documentation's root URL that the inventory's links are relative to.
    pub url: String,
}

fn default_api_output() -> String {
    "api".to_string()
}

/// Checks the entries of `api:`; `text` is `book.yaml`, for positions.
pub fn validate(sources: &[ApiSource], text: &str) -> Result<(), Diagnostic> {
    let at = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        Diagnostic::new("book.yaml", line, column, message)
    };
    for api in sources {
        let output = Path::new(&api.output);
        if api.output.is_empty()
            || output.is_absolute()
            || output.components().any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(at(
                "output:",
                format!("`api.output` must be a folder inside the site, like `api`, not `{}`", api.output),
            ));
        }
        if api.source.is_absolute() || api.source.components().any(|c| c == std::path::Component::ParentDir) {
            return Err(at("source:", "`api.source` must be a path inside the book".into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<ApiSource>, Diagnostic> {
        let sources: Vec<ApiSource> =
            labbook_core::config::parse_section(text, Path::new("book.yaml"), "api")?.unwrap_or_default();
        validate(&sources, text)?;
        Ok(sources)
    }

    #[test]
    fn api_entries_take_defaults_and_stay_inside() {
        let c = parse("title: T\napi:\n  - source: runner/tinyml.pyi\n  - source: src/pkg\n    output: reference\n    exclude: [\"**/tests/**\"]\n").unwrap();
        assert_eq!(c[0].output, "api");
        assert_eq!(c[0].title, None);
        assert_eq!((c[1].output.as_str(), c[1].exclude.len()), ("reference", 1));
        let e = parse("title: T\napi:\n  - source: pkg\n    output: ../out\n").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        let e = parse("title: T\napi:\n  - sources: pkg\n").unwrap_err();
        assert!(e.message.contains("unknown field `sources`"), "{e}");
    }
}
