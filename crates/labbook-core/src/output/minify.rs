//! Minifying the site's scripts and style sheets (the theme's, the features', the sidebar's
//! and the words' scripts) before they are hashed: every page loads them, so their bytes are
//! most of what a page costs a reader. Style sheets go through lightningcss (which
//! minify-html runs on inline `<style>`), scripts through oxc's minifier: compressed with its
//! safest options (function and class names kept, nothing dropped as unused) and local names
//! mangled; top-level names stay, since each file is a classic script other scripts of the
//! page may share globals with.
//!
//! A file either minifier cannot read is shipped as written: minifying saves bytes, it never
//! decides whether a theme's file works. `LABBOOK_NO_MINIFY=1` ships every file as written,
//! for reading the site's scripts in the browser's debugger.
//!
//! The theme's files are the same in every build and every language of a book, so each
//! minified file is kept for the life of the process, by its bytes' hash (`serve` rebuilds
//! and translated books then pay once).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The environment variable that turns minifying off.
pub const NO_MINIFY_VAR: &str = "LABBOOK_NO_MINIFY";

/// Whether assets are minified in this process (`LABBOOK_NO_MINIFY` unset, empty or `0`).
pub fn enabled() -> bool {
    std::env::var_os(NO_MINIFY_VAR).is_none_or(|v| v.is_empty() || v == "0")
}

/// `bytes` minified when `name` is a script (`.js`) or a style sheet (`.css`) and minifying
/// makes it smaller; `bytes` as they are otherwise (other files, unreadable code, minifying
/// off).
pub fn minify_asset(name: &str, bytes: &[u8]) -> Vec<u8> {
    let kind = match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => Kind::Script,
        Some("css") => Kind::Style,
        _ => return bytes.to_vec(),
    };
    if !enabled() {
        return bytes.to_vec();
    }
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (kind, xxhash_rust::xxh3::xxh3_64(bytes));
    if let Some(hit) = cache.lock().expect("the minify cache is never poisoned").get(&key) {
        return hit.clone();
    }
    let minified = match kind {
        Kind::Script => minify_script(bytes),
        Kind::Style => minify_style(bytes),
    }
    .filter(|m| m.len() < bytes.len())
    .unwrap_or_else(|| bytes.to_vec());
    cache.lock().expect("the minify cache is never poisoned").insert(key, minified.clone());
    minified
}

/// Minified files by kind and hash of their bytes.
type Cache = Mutex<HashMap<(Kind, u64), Vec<u8>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Script,
    Style,
}

/// A classic script (not a module): its top-level names stay as written, since other
/// scripts of the page may use them.
fn minify_script(bytes: &[u8]) -> Option<Vec<u8>> {
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    let text = std::str::from_utf8(bytes).ok()?;
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, text, oxc_span::SourceType::script()).parse();
    if parsed.panicked || !parsed.diagnostics.is_empty() {
        return None;
    }
    let mut program = parsed.program;
    let options = MinifierOptions {
        mangle: Some(MangleOptions { top_level: Some(false), ..MangleOptions::default() }),
        mangle_properties: None,
        compress: Some(CompressOptions::safest()),
    };
    let minified = Minifier::new(options).minify(&allocator, &mut program);
    let printed = oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program);
    Some(printed.code.into_bytes())
}

fn minify_style(bytes: &[u8]) -> Option<Vec<u8>> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let text = std::str::from_utf8(bytes).ok()?;
    let mut sheet = StyleSheet::parse(text, ParserOptions::default()).ok()?;
    sheet.minify(MinifyOptions::default()).ok()?;
    let printed = sheet.to_css(PrinterOptions { minify: true, ..PrinterOptions::default() }).ok()?;
    Some(printed.code.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_styles_shrink_and_other_files_do_not_change() {
        let js = b"function add(first, second) {\n  // a comment\n  return first + second;\n}\nwindow.add = add;\n";
        let small = minify_asset("a.js", js);
        assert!(small.len() < js.len(), "{}", String::from_utf8_lossy(&small));
        assert!(!small.windows(7).any(|w| w == b"comment"));
        let css = b"body {\n  color: #ff0000;\n  margin: 0px 0px 0px 0px;\n}\n";
        let small = minify_asset("a.css", css);
        assert_eq!(String::from_utf8_lossy(&small), "body{color:red;margin:0}");
        assert_eq!(minify_asset("a.svg", css), css);
    }

    #[test]
    fn code_the_minifiers_cannot_read_is_kept_as_written() {
        let js = b"function ( {\n";
        assert_eq!(minify_asset("broken.js", js), js);
        let css = b"body { color: red; \n";
        // lightningcss recovers from an unclosed block; whatever it does, the result is
        // never longer than what was written.
        assert!(minify_asset("broken.css", css).len() <= css.len());
    }
}
