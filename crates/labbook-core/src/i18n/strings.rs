//! The theme's words (button labels, search and quiz messages, banners) in the reader's
//! language: YAML files of `key: text`, one per language, from the built-in theme
//! (`render/theme/i18n/`), the features (`ThemeFiles::strings`) and the book's theme
//! (`themes/<name>/i18n/<code>.yaml`), later ones overriding earlier ones key by key
//! ([`files`]). The theme resolves them for its templates and `ui.js`; the load stage
//! resolves the same files into the book's [`Words`], which features read for what they
//! write in Rust, so a book's theme overrides those words too.
//!
//! A language takes English first, then its primary language (`zh` for `zh-CN`), then its
//! own file, so a key missing in a translation still reads in English. Templates call
//! `t(key="…", name=value)`; scripts call `window.labbook.t(key, {name: value})` from the
//! generated `ui.js`, which also picks plural forms (`key_one`, `key_other`, …) with
//! `Intl.PluralRules`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::feature::Features;
use crate::i18n::numbers::NumberFormat;

/// A table of words files by language code, `(code, text)`, one `<code>.yaml` in `$dir`
/// (a path relative to the file that uses the macro) for each of the ten languages labbook
/// ships: the built-in theme's table and every feature's `ThemeFiles::strings` are made with
/// it, so they name the same languages.
#[macro_export]
macro_rules! shipped_words {
    ($dir:literal) => {
        &[
            ("en", include_str!(concat!($dir, "/en.yaml"))),
            ("fr", include_str!(concat!($dir, "/fr.yaml"))),
            ("es", include_str!(concat!($dir, "/es.yaml"))),
            ("de", include_str!(concat!($dir, "/de.yaml"))),
            ("pt", include_str!(concat!($dir, "/pt.yaml"))),
            ("zh-CN", include_str!(concat!($dir, "/zh-CN.yaml"))),
            ("ja", include_str!(concat!($dir, "/ja.yaml"))),
            ("ko", include_str!(concat!($dir, "/ko.yaml"))),
            ("ar", include_str!(concat!($dir, "/ar.yaml"))),
            ("hi", include_str!(concat!($dir, "/hi.yaml"))),
        ]
    };
}

/// The built-in theme's words, by language code.
pub const BUILTIN: &[(&str, &str)] = crate::shipped_words!("../render/theme/i18n");

/// One file of words: its language, its text and how messages name it.
pub struct WordsFile {
    /// The language code the file is for.
    pub language: String,
    /// The YAML text.
    pub text: String,
    /// The file, for messages (`themes/course/i18n/fr.yaml`).
    pub origin: String,
}

/// The codes whose files apply to `language`, weakest first: English, the primary language,
/// the language itself (`en`, `zh`, `zh-CN`).
fn chain(language: &str) -> Vec<String> {
    let mut codes = vec!["en".to_string()];
    let primary = language.split(['-', '_']).next().unwrap_or_default().to_string();
    for code in [primary, language.to_string()] {
        if !codes.iter().any(|c| c.eq_ignore_ascii_case(&code)) && !code.is_empty() {
            codes.push(code);
        }
    }
    codes
}

/// The words for `language` from `files` (in order of strength: built-in, features', the
/// book's theme). A file that is not a map of strings is an error at its line.
pub fn resolve(language: &str, files: &[WordsFile]) -> Result<BTreeMap<String, String>, Diagnostic> {
    let mut words = BTreeMap::new();
    for code in chain(language) {
        for file in files.iter().filter(|f| f.language.eq_ignore_ascii_case(&code)) {
            let map: BTreeMap<String, String> = if file.text.trim().is_empty() {
                BTreeMap::new()
            } else {
                crate::config::parse_yaml(&file.text, std::path::Path::new(&file.origin), 1)?
            };
            words.extend(map);
        }
    }
    Ok(words)
}

/// Every words file of a book, weakest first: the built-in theme's, each feature's
/// ([`crate::feature::ThemeFiles::strings`], in the features' order), then the book theme's
/// `themes/<theme>/i18n/<code>.yaml`. A missing theme folder gives no files of its own here:
/// loading the theme reports it.
pub fn files(root: &Path, theme: Option<&str>, features: &Features) -> Result<Vec<WordsFile>, Diagnostic> {
    let mut files: Vec<WordsFile> = BUILTIN
        .iter()
        .map(|(code, text)| WordsFile {
            language: code.to_string(),
            text: text.to_string(),
            origin: format!("built-in theme: i18n/{code}.yaml"),
        })
        .collect();
    for feature in features.iter() {
        files.extend(feature.theme().strings.iter().map(|(code, text)| WordsFile {
            language: code.to_string(),
            text: text.to_string(),
            origin: format!("built-in theme ({}): i18n/{code}.yaml", feature.name()),
        }));
    }
    let Some(theme) = theme else { return Ok(files) };
    let dir = root.join("themes").join(theme).join("i18n");
    if !dir.is_dir() {
        return Ok(files);
    }
    let entries = std::fs::read_dir(&dir).map_err(|e| Diagnostic::file(&dir, format!("cannot read: {e}")))?;
    let mut own = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Diagnostic::file(&dir, format!("cannot read: {e}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(code) = name.strip_suffix(".yaml") else { continue };
        if !entry.path().is_file() {
            continue;
        }
        let shown = format!("themes/{theme}/i18n/{name}");
        let bytes = std::fs::read(entry.path()).map_err(|e| Diagnostic::file(&shown, format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| Diagnostic::file(&shown, "not valid UTF-8"))?;
        own.push(WordsFile { language: code.to_string(), text, origin: shown });
    }
    own.sort_by(|a, b| a.origin.cmp(&b.origin));
    files.extend(own);
    Ok(files)
}

/// A book's words in its language, resolved once from every [`files`] (the built-in
/// theme's, the features', the book theme's overrides): what the theme's `t(…)` and
/// `ui.js` say, and what features write in Rust (a sidebar part, a heading, a converted
/// component's label) through [`crate::content::Book::words`], the load context and the
/// page reader's context, so a book's theme overrides those too.
#[derive(Debug, Clone, Default)]
pub struct Words {
    language: String,
    words: Arc<BTreeMap<String, String>>,
}

impl Words {
    /// `words` in `language`.
    pub fn new(language: &str, words: BTreeMap<String, String>) -> Words {
        Words { language: language.to_string(), words: Arc::new(words) }
    }

    /// The words of the book at `root` (its theme `theme`, its features) in `language`.
    pub fn load(root: &Path, theme: Option<&str>, features: &Features, language: &str) -> Result<Words, Diagnostic> {
        Ok(Words::new(language, resolve(language, &files(root, theme, features)?)?))
    }

    /// Shipped files alone (no book theme) in `language`: for tests and tools without a book.
    pub fn shipped(language: &str, files: &[(&str, &str)]) -> Words {
        Words::new(language, shipped(language, files))
    }

    /// The language's BCP-47 tag (empty when unknown: numbers then read as in English).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The word for `key`; the key itself when no file has it (the features' tests check
    /// every shipped language has every key).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// The word for `key` with its `{name}` placeholders filled from `vars`.
    pub fn fill(&self, key: &str, vars: &[(&str, &str)]) -> String {
        fill(self.get(key), &|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string()))
    }

    /// Every word, by key.
    pub fn map(&self) -> &BTreeMap<String, String> {
        &self.words
    }

    /// How the language writes numbers.
    pub fn numbers(&self) -> NumberFormat {
        NumberFormat::of(&self.language)
    }
}

/// Words from shipped files alone (a feature's [`crate::feature::ThemeFiles::strings`]) in
/// `language`, resolved as [`resolve`] does, without a book theme: for tests and tools that
/// have no book (a book's words, overrides included, are [`Words::load`]'s). A shipped file
/// that does not parse (the features' tests check they all do) gives no words, and English
/// keys are the fallback.
pub fn shipped(language: &str, files: &[(&str, &str)]) -> BTreeMap<String, String> {
    let files: Vec<WordsFile> = files
        .iter()
        .map(|(code, text)| WordsFile {
            language: code.to_string(),
            text: text.to_string(),
            origin: format!("{code}.yaml"),
        })
        .collect();
    resolve(language, &files).unwrap_or_default()
}

/// What is wrong with a set of shipped word files (`(code, YAML)`, as the core's and a
/// feature's [`crate::feature::ThemeFiles::strings`]): one that is not a map of strings, no
/// English file, a language lacking one of English's keys (plural forms aside: `_one` may be
/// absent, as in Chinese) or having a key English does not.
pub fn shipped_problems(files: &[(&str, &str)]) -> Vec<String> {
    let parse = |code: &str, text: &str| -> Result<BTreeMap<String, String>, String> {
        crate::config::parse_yaml(text, format!("{code}.yaml").as_ref(), 1).map_err(|e| e.to_string())
    };
    let Some(english) = files.iter().find(|(code, _)| *code == "en") else {
        return vec!["no en.yaml".to_string()];
    };
    let english = match parse("en", english.1) {
        Ok(words) => words,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    for (code, text) in files {
        let words = match parse(code, text) {
            Ok(words) => words,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for key in english.keys().filter(|k| !k.ends_with("_one")) {
            if !words.contains_key(key) {
                problems.push(format!("{code}.yaml lacks `{key}`"));
            }
        }
        for key in words.keys() {
            let base = key.rsplit_once('_').map_or(key.as_str(), |(b, _)| b);
            if !english.contains_key(key) && !english.contains_key(&format!("{base}_other")) {
                problems.push(format!("{code}.yaml has `{key}`, which English does not"));
            }
        }
    }
    problems
}

/// Replaces each `{name}` of `text` with its value in `vars`; other braces stay.
pub fn fill(text: &str, vars: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && close > 0 => {
                match vars(&after[..close]) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `ui.js`, which every page loads first: `window.labbook.t` and `number`, and the few
/// words of its own (`words`); each script brings the words it names ([`words_prelude`]).
pub fn ui_script(words: &BTreeMap<String, String>) -> String {
    let json = serde_json::to_string(words).expect("strings serialize").replace("</", "<\\/");
    format!(
        r#"(function (l) {{
  // Each script brings its own words (words_prelude); these are ui.js's own.
  l.ui = Object.assign(l.ui || {{}}, {json});
  // number(n, options): n written the page language's way (`1 234,5` in French), as the
  // pages' own figures are at build time (labbook_core::i18n::numbers).
  l.number = function (n, options) {{
    try {{ return new Intl.NumberFormat(document.documentElement.lang || "en", options).format(n); }} catch (e) {{ return String(n); }}
  }};
  // t(key, vars): the word in the page's language, `{{name}}` filled from vars (numbers
  // through number(); pass a line number as a string to keep it ungrouped); with a numeric
  // vars.count, the plural form (key_one, key_other, ...) the language's rules choose.
  l.t = function (key, vars) {{
    var s = l.ui[key];
    if (vars && typeof vars.count === "number") {{
      var form = "other";
      try {{ form = new Intl.PluralRules(document.documentElement.lang || "en").select(vars.count); }} catch (e) {{ form = vars.count === 1 ? "one" : "other"; }}
      s = l.ui[key + "_" + form] || l.ui[key + "_other"] || s;
    }}
    if (s == null) return key;
    return vars ? s.replace(/\{{(\w+)\}}/g, function (m, n) {{ return n in vars ? (typeof vars[n] === "number" ? l.number(vars[n]) : String(vars[n])) : m; }}) : s;
  }};
  // The quiz's label is drawn by CSS (`.quiz-question::before`).
  document.documentElement.style.setProperty("--lb-quiz-label", JSON.stringify(l.ui.quiz || "Quiz"));
}})(window.labbook = window.labbook || {{}});
"#
    )
}

/// The statement at the head of a theme script that adds the words it names to `ui.js`'s
/// table (`window.labbook.ui`), which `window.labbook.t` reads.
pub fn words_prelude(words: &BTreeMap<String, String>) -> String {
    let json = serde_json::to_string(words).expect("strings serialize").replace("</", "<\\/");
    format!("(function(l){{l.ui=Object.assign(l.ui||{{}},{json})}})(window.labbook=window.labbook||{{}});\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(language: &str, text: &str) -> WordsFile {
        WordsFile { language: language.into(), text: text.into(), origin: format!("{language}.yaml") }
    }

    #[test]
    fn a_language_falls_back_key_by_key() {
        let files =
            [file("en", "a: A\nb: B\nc: C\n"), file("zh", "b: 乙\n"), file("zh-CN", "c: 丙\n"), file("fr", "a: Ah\n")];
        let words = resolve("zh-CN", &files).unwrap();
        assert_eq!(words["a"], "A");
        assert_eq!(words["b"], "乙");
        assert_eq!(words["c"], "丙");
        assert_eq!(resolve("fr-CA", &files).unwrap()["a"], "Ah");
    }

    #[test]
    fn every_shipped_language_has_every_english_key_and_no_other() {
        assert_eq!(shipped_problems(BUILTIN), Vec::<String>::new());
        assert_eq!(
            shipped_problems(&[("en", "a: A\nb_one: B\nb_other: Bs\n"), ("zh", "a: 甲\nb_other: 乙\nc: 丙\n")]),
            ["zh.yaml has `c`, which English does not"]
        );
        assert_eq!(shipped_problems(&[("en", "a: A\n"), ("fr", "b: B\n")]).len(), 2);
    }

    #[test]
    fn shipped_words_resolve_like_the_theme_s() {
        let files = [("en", "a: A\nb: B\n"), ("zh", "b: 乙\n"), ("fr", "a: Ah\n")];
        assert_eq!(shipped("zh-CN", &files)["b"], "乙");
        assert_eq!(shipped("zh-CN", &files)["a"], "A");
        assert_eq!(shipped("fr", &files)["a"], "Ah");
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_stay() {
        let vars = |n: &str| (n == "x").then(|| "1".to_string());
        assert_eq!(fill("a {x} b {y} {} {", &vars), "a 1 b {y} {} {");
    }

    #[test]
    fn a_bad_file_is_an_error_at_its_line() {
        let e = resolve("en", &[file("en", "a: A\nb: [1, 2]\n")]).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }
}
