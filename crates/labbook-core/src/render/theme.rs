//! The theme: the built-in default, embedded in the binary, with a book's own
//! `themes/<name>/templates/*` and `themes/<name>/static/*` overriding it file by file.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::feature::{Features, ThemeFiles};
use crate::output::OutFile;

/// The built-in templates, by name.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("theme/templates/base.html")),
    ("page.html", include_str!("theme/templates/page.html")),
    ("print.html", include_str!("theme/templates/print.html")),
    ("404.html", include_str!("theme/templates/404.html")),
    ("sidebar.html", include_str!("theme/templates/sidebar.html")),
    ("progress.html", include_str!("theme/templates/progress.html")),
    ("handin.html", include_str!("theme/templates/handin.html")),
];

/// The built-in static files, by name (served under `assets/` with a content hash).
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("labbook.css", include_bytes!("theme/static/labbook.css")),
    ("labbook.js", include_bytes!("theme/static/labbook.js")),
    ("search.js", include_bytes!("theme/static/search.js")),
    ("search.css", include_bytes!("theme/static/search.css")),
    ("progress.js", include_bytes!("theme/static/progress.js")),
    ("handin.js", include_bytes!("theme/static/handin.js")),
    ("quiz.js", include_bytes!("theme/static/quiz.js")),
    ("quiz.css", include_bytes!("theme/static/quiz.css")),
    ("languages.css", include_bytes!("theme/static/languages.css")),
];

/// The script that inserts the sidebar; `__TOC_HTML__` becomes the sidebar as a JSON string.
const TOC_JS: &str = include_str!("theme/toc.js.in");

/// A loaded theme: compiled templates and static files, and its words in one language.
pub struct Theme {
    tera: tera::Tera,
    statics: Vec<(String, Vec<u8>)>,
    /// Where each template came from, for error messages.
    origins: BTreeMap<String, String>,
    /// The theme's words in the book's language (`t(key=…)` in templates, `ui.js`).
    words: std::sync::Arc<BTreeMap<String, String>>,
    /// How the book's language writes numbers.
    numbers: crate::i18n::numbers::NumberFormat,
}

/// The templates' `t(key="…", name=value)`: a word of the theme in the book's language, its
/// `{name}` placeholders filled (numbers written the language's way); an unknown key is an
/// error naming it.
struct Translate(std::sync::Arc<BTreeMap<String, String>>, crate::i18n::numbers::NumberFormat);

impl tera::Function for Translate {
    fn call(&self, args: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let Some(key) = args.get("key").and_then(|k| k.as_str()) else {
            return Err(tera::Error::msg("t() needs key=\"…\""));
        };
        let count = args.get("count").and_then(|c| c.as_u64());
        // Templates have no plural rules: `count` 1 takes `_one`, anything else `_other`.
        let plural = count.map(|c| format!("{key}_{}", if c == 1 { "one" } else { "other" }));
        let text = plural
            .as_deref()
            .and_then(|k| self.0.get(k))
            .or_else(|| self.0.get(key))
            .or_else(|| self.0.get(&format!("{key}_other")))
            .ok_or_else(|| {
                tera::Error::msg(format!("t(): no theme word `{key}` (the keys are in the theme's i18n/en.yaml)"))
            })?;
        let value = |name: &str| {
            args.get(name).map(|v| match v {
                tera::Value::String(s) => s.clone(),
                tera::Value::Number(n) => number_text(n, &self.1),
                other => other.to_string(),
            })
        };
        Ok(tera::Value::String(crate::i18n::strings::fill(text, &value)))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// A JSON number in the book's language, as `Intl.NumberFormat` writes it (at most three
/// fraction digits).
fn number_text(n: &serde_json::Number, numbers: &crate::i18n::numbers::NumberFormat) -> String {
    match (n.as_i64(), n.as_f64()) {
        (Some(i), _) => numbers.integer(i.into()),
        (None, Some(f)) => numbers.decimal(f, 3),
        _ => n.to_string(),
    }
}

/// The templates' `{{ value | number }}`: a number in the book's language; text that is a
/// plain number (`"1234.5"`) too, other text as it is.
struct NumberFilter(crate::i18n::numbers::NumberFormat);

impl tera::Filter for NumberFilter {
    fn filter(
        &self,
        value: &tera::Value,
        _args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        Ok(tera::Value::String(match value {
            tera::Value::Number(n) => number_text(n, &self.0),
            tera::Value::String(s) => self.0.plain(s),
            other => return Err(tera::Error::msg(format!("number: not a number: {other}"))),
        }))
    }
}

/// Static files with content-hashed names.
pub struct Assets {
    /// Logical name -> path relative to the site root (`labbook.css` -> `assets/labbook.1a2b3c4d5e.css`).
    pub names: BTreeMap<String, String>,
    /// The files to write.
    pub files: Vec<OutFile>,
}

impl Theme {
    /// The default theme with the features' default files, overridden by
    /// `root/themes/<name>/` when `name` is given.
    pub fn load(root: &Path, name: Option<&str>, features: &Features) -> Result<Theme, Diagnostic> {
        Theme::load_in(root, name, features, "en")
    }

    /// The theme of `book`, speaking its language.
    pub fn for_book(book: &crate::content::Book) -> Result<Theme, Diagnostic> {
        Theme::load_in(&book.root, book.config.theme.as_deref(), &book.features, &book.config.language)
    }

    /// [`Theme::load`] with its words in `language` (a BCP-47 tag).
    pub fn load_in(root: &Path, name: Option<&str>, features: &Features, language: &str) -> Result<Theme, Diagnostic> {
        let feature_files: Vec<ThemeFiles> = features.iter().map(|f| f.theme()).collect();
        let mut templates: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
            .iter()
            .chain(feature_files.iter().flat_map(|f| f.templates.iter()))
            .map(|(n, t)| (n.to_string(), (t.to_string(), format!("built-in theme: {n}"))))
            .collect();
        let mut statics: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .chain(feature_files.iter().flat_map(|f| f.statics.iter()))
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        if let Some(name) = name {
            let dir = root.join("themes").join(name);
            if !dir.is_dir() {
                let (line, column) = crate::config::locate(
                    &std::fs::read_to_string(root.join("book.yaml")).unwrap_or_default(),
                    "theme:",
                );
                return Err(Diagnostic::new(
                    "book.yaml",
                    line,
                    column,
                    format!("theme `{name}` not found: expected a folder themes/{name}/"),
                ));
            }
            for (rel, bytes) in read_tree(&dir.join("templates"))? {
                let shown = format!("themes/{name}/templates/{rel}");
                let text = String::from_utf8(bytes)
                    .map_err(|_| Diagnostic::file(&shown, "the template is not valid UTF-8"))?;
                templates.insert(rel, (text, shown));
            }
            for (rel, bytes) in read_tree(&dir.join("static"))? {
                statics.insert(rel, bytes);
            }
        }
        // The words: the built-in theme's, the features', then the book theme's
        // `i18n/<code>.yaml` key by key (the same files the load stage resolves).
        let words_files = crate::i18n::strings::files(root, name, features)?;
        let words = std::sync::Arc::new(crate::i18n::strings::resolve(language, &words_files)?);
        let numbers = crate::i18n::numbers::NumberFormat::of(language);
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default escaper also rewrites `/`, which mangles every relative URL.
        tera.set_escape_fn(crate::escape::escape_template_value);
        tera.register_function("t", Translate(words.clone(), numbers));
        tera.register_filter("number", NumberFilter(numbers));
        let origins: BTreeMap<String, String> = templates.iter().map(|(n, (_, o))| (n.clone(), o.clone())).collect();
        add_templates(&mut tera, &templates)
            .map_err(|e| Diagnostic::file(origin_of(&e, &origins), format!("template error: {}", error_chain(&e))))?;
        Ok(Theme { tera, statics: statics.into_iter().collect(), origins, words, numbers })
    }

    /// The theme's words in its language.
    pub fn words(&self) -> &BTreeMap<String, String> {
        &self.words
    }

    /// The words `script` asks for (`window.labbook.t("key")`), which [`Theme::assets`] puts
    /// at the head of the script itself: each page loads the words of the scripts it loads,
    /// and most words are only ever written by the templates at build time. A word is kept
    /// when the script names its key, or its key without a plural ending (`dataset_count` for
    /// `dataset_count_one`), as a quoted string; when it builds keys from a quoted prefix
    /// ending in `_` (`` `exercise_stop_${kind}` ``), every key with that prefix.
    pub fn script_words(&self, script: &[u8]) -> BTreeMap<String, String> {
        let mut named = std::collections::HashSet::new();
        quoted_words(script, &mut named);
        let prefixes: Vec<&str> = named.iter().copied().filter(|w| w.len() > 1 && w.ends_with('_')).collect();
        self.words
            .iter()
            .filter(|(key, _)| {
                let base = key.rsplit_once('_').filter(|(_, form)| PLURAL_FORMS.contains(form)).map(|(b, _)| b);
                named.contains(key.as_str())
                    || base.is_some_and(|b| named.contains(b))
                    || prefixes.iter().any(|p| key.starts_with(p))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The words `ui.js` itself carries: `quiz`, the label the quiz's style sheet draws.
    pub fn ui_words(&self) -> BTreeMap<String, String> {
        self.words.iter().filter(|(key, _)| key.as_str() == "quiz").map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// How the theme's language writes numbers.
    pub fn numbers(&self) -> crate::i18n::numbers::NumberFormat {
        self.numbers
    }

    /// Whether template `name` is the built-in theme's (no theme of the book replaces it).
    pub fn is_built_in(&self, name: &str) -> bool {
        self.origins.get(name).is_some_and(|o| o.starts_with("built-in theme: "))
    }

    /// Renders a template; errors name the template file and the whole cause chain.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| {
            Diagnostic::file(
                self.origins.get(name).cloned().unwrap_or_else(|| name.to_string()),
                format!("template error: {}", error_chain(&e)),
            )
        })
    }

    /// Renders a template with `data`'s fields as its context (a directive's markup, from
    /// the data it gathered); errors name the template file.
    pub fn render_value<T: serde::Serialize>(&self, name: &str, data: &T) -> Result<String, Diagnostic> {
        let ctx = tera::Context::from_serialize(data).map_err(|e| {
            Diagnostic::file(
                self.origins.get(name).cloned().unwrap_or_else(|| name.to_string()),
                format!("cannot build the template context: {e}"),
            )
        })?;
        self.render(name, &ctx)
    }

    /// The sidebar script with the rendered sidebar HTML inside.
    pub fn toc_js(&self, sidebar_html: &str, fold: &crate::config::FoldOptions) -> String {
        let json = serde_json::to_string(sidebar_html).expect("a string serializes");
        let fold = serde_json::to_string(fold).expect("fold options serialize");
        // `</script>` inside a string would end an inline script; the file is external, but be safe.
        TOC_JS.replace("__FOLD__", &fold).replace("__TOC_HTML__", &json.replace("</", "<\\/"))
    }

    /// Minifies the theme's static files and `generated` ones (scripts and style sheets,
    /// [`crate::output::minify`]), puts at the head of each script the words it names
    /// ([`Theme::script_words`]), and hashes them into `assets/`.
    pub fn assets(&self, generated: &[(&str, Vec<u8>)]) -> Assets {
        let all: Vec<(&str, &Vec<u8>)> =
            self.statics.iter().map(|(n, b)| (n.as_str(), b)).chain(generated.iter().map(|(n, b)| (*n, b))).collect();
        // A script starts with the words it names in the book's language (after minifying,
        // so the minified code is shared by every language's build).
        let minified: Vec<Vec<u8>> = all
            .par_iter()
            .map(|(name, bytes)| {
                let code = crate::output::minify::minify_asset(name, bytes);
                let words = match *name {
                    "ui.js" => BTreeMap::new(),
                    _ if name.ends_with(".js") => self.script_words(bytes),
                    _ => BTreeMap::new(),
                };
                if words.is_empty() {
                    return code;
                }
                let mut out = crate::i18n::strings::words_prelude(&words).into_bytes();
                out.extend_from_slice(&code);
                out
            })
            .collect();
        let mut names = BTreeMap::new();
        let mut files = Vec::new();
        for ((name, _), bytes) in all.into_iter().zip(minified) {
            let path = format!("assets/{}", hashed_name(name, &bytes));
            names.insert(name.to_string(), path.clone());
            files.push(OutFile::bytes(&path, bytes));
        }
        Assets { names, files }
    }
}

/// The endings of plural forms (`Intl.PluralRules` categories), as ui.js appends them.
const PLURAL_FORMS: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// Adds to `out` every string literal of `script` (quoted with `"`, `'` or a backtick) made
/// only of ASCII letters, digits and `_`: the keys a script can pass to `t`; and the start
/// of a template literal up to its first `${` (`exercise_stop_` of
/// `` `exercise_stop_${kind}` ``), a prefix of keys.
fn quoted_words<'a>(script: &'a [u8], out: &mut std::collections::HashSet<&'a str>) {
    let mut i = 0;
    while i < script.len() {
        let quote = script[i];
        i += 1;
        if !matches!(quote, b'"' | b'\'' | b'`') {
            continue;
        }
        let start = i;
        while i < script.len() && (script[i].is_ascii_alphanumeric() || script[i] == b'_') {
            i += 1;
        }
        let closed = i < script.len() && script[i] == quote;
        let interpolated = quote == b'`' && script[i..].starts_with(b"${");
        if (closed || interpolated) && i > start {
            out.insert(std::str::from_utf8(&script[start..i]).expect("ASCII"));
            if closed {
                i += 1;
            }
        }
    }
}

/// `css/site.css` + bytes -> `css/site.<10 hex digits>.css`.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{hash}.{ext}")
        }
        _ => format!("{name}.{hash}"),
    }
}

/// Every file under `dir` (if it exists), relative with `/` separators.
fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Diagnostic::file(dir, format!("cannot read the theme: {e}")))?;
        if entry.file_type().is_file() {
            let rel = crate::content::to_slash(entry.path().strip_prefix(dir).expect("under dir"));
            let bytes =
                std::fs::read(entry.path()).map_err(|e| Diagnostic::file(entry.path(), format!("cannot read: {e}")))?;
            out.push((rel, bytes));
        }
    }
    Ok(out)
}

fn origin_of(e: &tera::Error, origins: &BTreeMap<String, String>) -> String {
    let text = e.to_string();
    origins
        .iter()
        .find(|(name, _)| text.contains(name.as_str()))
        .map_or_else(|| "theme".to_string(), |(_, o)| o.clone())
}

/// `Tera::add_raw_templates`, the templates parsed on every core: parsing them is most of
/// what a small book's load waits for (50 KB of templates, a dozen milliseconds of one core
/// with Tera's parser). The first template in name order that does not parse gives the
/// error, worded as Tera words it.
fn add_templates(tera: &mut tera::Tera, templates: &BTreeMap<String, (String, String)>) -> tera::Result<()> {
    let parsed: Vec<(&String, tera::Result<tera::Template>)> =
        templates.par_iter().map(|(name, (text, _))| (name, tera::Template::new(name, None, text))).collect();
    for (name, template) in parsed {
        let template = template.map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))?;
        // The map `add_raw_templates` fills (public, if left out of Tera's documentation);
        // the checks it makes next follow.
        tera.templates.insert(name.clone(), template);
    }
    tera.build_inheritance_chains()?;
    tera.check_macro_files()
}

/// Tera hides the useful part of a message in its sources.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_their_words_in_quotes() {
        let mut named = std::collections::HashSet::new();
        quoted_words(
            b"t(\"search_off\"); t(a ? 'quiz_check' : `quiz_save`); t(`stop_${k}`); x = \"not a key\"; \"",
            &mut named,
        );
        let mut named: Vec<_> = named.into_iter().collect();
        named.sort();
        assert_eq!(named, ["quiz_check", "quiz_save", "search_off", "stop_"]);
    }

    #[test]
    fn hashed_names_keep_the_extension() {
        assert_eq!(hashed_name("labbook.css", b"x"), "labbook.2d711642b7.css");
        assert_eq!(hashed_name("fonts/a.woff2", b"x"), "fonts/a.2d711642b7.woff2");
        assert_eq!(hashed_name("LICENSE", b"x"), "LICENSE.2d711642b7");
    }
}
