//! Cross-links to API objects: `` [`Class.method`] `` and `` [`~mod.Class`] `` in pages and
//! docstrings.
//!
//! A name is looked up as Python would from where it is written (the docstring's class,
//! then its module and the packages above), then as a full dotted path (or a name a package
//! re-exports), then as the unique object whose path ends with it. `~` shows only the last
//! part; a trailing `()` is kept in the text and ignored for the lookup.

use super::model::ApiModel;

/// A cross-link as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Target<'a> {
    /// The dotted name looked up (no `~`, no `()`).
    pub name: &'a str,
    /// The link text to show.
    pub shown: String,
}

/// Reads `` `~pkg.Class.method()` `` (the reference of a shortcut link, backticks included)
/// as a cross-link target; anything else is not one.
pub fn parse_reference(reference: &str) -> Option<Target<'_>> {
    let inner = reference.strip_prefix('`')?.strip_suffix('`')?;
    parse_name(inner)
}

/// Reads `~pkg.Class.method()` (no backticks) as a target.
pub fn parse_name(inner: &str) -> Option<Target<'_>> {
    let (short, rest) = match inner.strip_prefix('~') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let (name, call) = match rest.strip_suffix("()") {
        Some(n) => (n, true),
        None => (rest, false),
    };
    let name = name.trim_start_matches('.');
    let valid = !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        });
    if !valid {
        return None;
    }
    let base = if short { name.rsplit('.').next().unwrap_or(name) } else { name };
    Some(Target { name, shown: if call { format!("{base}()") } else { base.to_string() } })
}

/// Finds the object `name` refers to from `scope` (an object index, or none on a page).
/// The error says why nothing was found.
pub fn resolve(model: &ApiModel, name: &str, scope: Option<usize>) -> Result<usize, String> {
    let mut from = scope;
    while let Some(s) = from {
        if let Some(i) = model.get(&format!("{}.{name}", model.objects[s].qualname)) {
            return Ok(i);
        }
        from = model.objects[s].parent;
    }
    // Packages above the scope's module (`pkg.sub.mod` -> `pkg.sub`, `pkg`).
    if let Some(s) = scope {
        let module = &model.objects[model.module_of(s)].qualname;
        let mut prefix = module.as_str();
        while let Some((up, _)) = prefix.rsplit_once('.') {
            if let Some(i) = model.get(&format!("{up}.{name}")) {
                return Ok(i);
            }
            prefix = up;
        }
    }
    if let Some(i) = model.get(name) {
        return Ok(i);
    }
    // What a package exports under that name (`hf_hub_download` is
    // `huggingface_hub.hf_hub_download`), before any other object that ends with it:
    // doc-builder's `[`name`]` is relative to the documented package.
    if let Some(i) = package_relative(model, name) {
        return Ok(i);
    }
    match model.suffixes.get(name).map(Vec::as_slice) {
        Some([only]) => Ok(*only),
        Some(many) => {
            let mut names: Vec<&str> = many.iter().map(|&i| model.objects[i].qualname.as_str()).collect();
            names.sort();
            names.truncate(5);
            Err(format!("`{name}` is ambiguous: it could be {}; write more of the path", names.join(", ")))
        }
        None if model.is_empty() => {
            Err(format!("no API object `{name}`: the book documents no Python API (add an `api:` entry to book.yaml)"))
        }
        None => Err(format!("no API object `{name}` is documented")),
    }
}

/// `name` relative to one of the documented top-level packages (`HfApi` for
/// `huggingface_hub.HfApi`), as doc-builder's `[[autodoc]]` and cross-links write it; only
/// when exactly one package has it.
pub fn package_relative(model: &ApiModel, name: &str) -> Option<usize> {
    let mut found = model
        .objects
        .iter()
        .filter(|o| !o.qualname.contains('.'))
        .filter_map(|package| model.get(&format!("{}.{name}", package.qualname)));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Where a name written in a type (an annotation, a docstring's type) or a `Raises` entry
/// leads.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeLink {
    /// A documented object (an index into the model's objects).
    Object(usize),
    /// A name another project documents: its absolute URL from an inventory.
    External(String),
}

/// Resolves a name written in a type or a `Raises` entry of object `scope`, or `None`.
///
/// Stricter than [`resolve`]: a documented object is found from the scope outwards or by
/// its full path, never by a bare suffix (a type named like an object elsewhere must not
/// link to it). Otherwise the name is looked up in the inventories, as written (`str`,
/// `numpy.ndarray`) or as the scope's module imports it (`np.ndarray` after
/// `import numpy as np`, `Path` after `from pathlib import Path`).
pub fn resolve_type(model: &ApiModel, name: &str, scope: usize) -> Option<TypeLink> {
    let mut from = Some(scope);
    while let Some(s) = from {
        if let Some(i) = model.get(&format!("{}.{name}", model.objects[s].qualname)) {
            return Some(TypeLink::Object(i));
        }
        from = model.objects[s].parent;
    }
    if let Some(i) = model.get(name) {
        return Some(TypeLink::Object(i));
    }
    if model.external.is_empty() {
        return None;
    }
    if let Some(url) = model.external.get(name) {
        return Some(TypeLink::External(url.clone()));
    }
    // The name's head as the module imports it: `np.ndarray` -> `numpy.ndarray`.
    let module = &model.objects[model.module_of(scope)].qualname;
    let (head, tail) = match name.split_once('.') {
        Some((head, tail)) => (head, Some(tail)),
        None => (name, None),
    };
    let imported = model.imports.get(&format!("{module}.{head}"))?;
    let full = match tail {
        Some(tail) => format!("{imported}.{tail}"),
        None => imported.clone(),
    };
    model.external.get(&full).map(|url| TypeLink::External(url.clone()))
}

/// The URL of object `i` from the page at `from` (relative, so it works from `file://`).
pub fn url(model: &ApiModel, i: usize, from: &str) -> String {
    let object = &model.objects[i];
    let page =
        if object.page == from { String::new() } else { labbook_core::markdown::relative_url(from, &object.page) };
    format!("{page}#{}", object.qualname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(
            parse_reference("`~pkg.Dense.forward()`"),
            Some(Target { name: "pkg.Dense.forward", shown: "forward()".into() })
        );
        assert_eq!(parse_reference("`Dense`"), Some(Target { name: "Dense", shown: "Dense".into() }));
        assert_eq!(parse_reference("`a b`"), None);
        assert_eq!(parse_reference("Dense"), None);
        assert_eq!(parse_reference("`x[0]`"), None);
    }
}
