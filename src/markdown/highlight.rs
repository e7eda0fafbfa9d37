//! Build-time syntax highlighting of fenced code blocks.
//!
//! Code is tokenised with syntect and the grammars bat ships (through `two-face`), and written
//! as `<span class="hl-…">` elements; the colours live in one generated stylesheet
//! ([`theme_css`]) with a light theme and a dark one, so pages carry no inline styles and the
//! reader's theme switch needs no re-rendering.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use syntect::highlighting::{Color, FontStyle, Highlighter as ThemeHighlighter, Style, Theme};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{Scope, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

/// Every highlighting class starts with this prefix, so theme rules never hit the page's own
/// classes (`hl-keyword`, not `keyword`).
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The theme used when the page is light (the default).
const LIGHT_THEME: EmbeddedThemeName = EmbeddedThemeName::InspiredGithub;

/// The theme used under `[data-theme="dark"]`.
const DARK_THEME: EmbeddedThemeName = EmbeddedThemeName::OneHalfDark;

/// Language tokens that are not the name or a file extension of a bat grammar, but that
/// authors write after a code fence anyway.
const ALIASES: &[(&str, &str)] = &[
    ("python3", "py"),
    ("py3", "py"),
    ("ipython", "py"),
    ("pycon", "py"),
    ("shell", "bash"),
    ("console", "bash"),
    ("shell-session", "bash"),
    ("shellsession", "bash"),
    ("sh-session", "bash"),
    ("terminal", "bash"),
    ("javascript", "js"),
    ("node", "js"),
    ("typescript", "ts"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("golang", "go"),
    ("c++", "cpp"),
    ("docker", "Dockerfile"),
    ("latex", "tex"),
    ("html5", "html"),
];

/// Language tokens that mean "no highlighting": the code is only escaped.
const PLAIN: &[&str] = &["text", "plain", "plaintext", "txt", "none", "output"];

/// How a language token was resolved.
#[derive(Clone, Copy)]
enum Language {
    /// Index into [`SyntaxSet::syntaxes`].
    Syntax(usize),
    /// Known to mean plain text.
    Plain,
}

/// Highlights code blocks as HTML with `hl-` classes.
///
/// Build it once ([`global`]) and share it: it is `Sync`, and loading the grammars takes
/// tens of milliseconds.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    /// Lower-cased language token (grammar name, file extension or alias) -> language.
    languages: HashMap<Box<str>, Language>,
}

/// The process-wide highlighter, loaded on first use.
pub fn global() -> &'static Highlighter {
    static GLOBAL: OnceLock<Highlighter> = OnceLock::new();
    GLOBAL.get_or_init(Highlighter::new)
}

impl Highlighter {
    /// Loads bat's grammars and indexes them by every token a code fence may use.
    fn new() -> Self {
        let syntaxes = two_face::syntax::extra_newlines();
        let mut languages = HashMap::new();
        // Same precedence as `SyntaxSet::find_syntax_by_token`, resolved once instead of a
        // linear scan per block: a file extension beats a name, and for equal tokens the
        // grammar listed last wins.
        for (i, syntax) in syntaxes.syntaxes().iter().enumerate() {
            languages.insert(syntax.name.to_ascii_lowercase().into(), Language::Syntax(i));
        }
        for (i, syntax) in syntaxes.syntaxes().iter().enumerate() {
            for extension in &syntax.file_extensions {
                languages.insert(extension.to_ascii_lowercase().into(), Language::Syntax(i));
            }
        }
        for (alias, target) in ALIASES {
            if let Some(&language) = languages.get(target.to_ascii_lowercase().as_str()) {
                languages.insert((*alias).into(), language);
            }
        }
        for token in PLAIN {
            languages.insert((*token).into(), Language::Plain);
        }
        Highlighter {
            syntaxes,
            languages,
        }
    }

    /// Renders `code` as `<pre class="code" data-lang="{lang}"><code class="language-{lang}">…`.
    ///
    /// `lang` is the fence's info string, or its first word: only the text before the first
    /// space, `,` or `{` counts (so mdBook's `rust,ignore` is `rust`). It is matched
    /// case-insensitively against bat's grammar names, file extensions and common aliases
    /// (`py`, `sh`, `yml`, `js`, …). `text`, `plain`, an unknown language or an empty one give
    /// the code escaped but not highlighted; with an empty `lang` the `data-lang` and `class`
    /// attributes are left out.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        let lang = lang
            .trim_start()
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or_default();
        let mut html = String::with_capacity(code.len() * 2 + 96);
        if lang.is_empty() {
            html.push_str("<pre class=\"code\"><code>");
        } else {
            html.push_str("<pre class=\"code\" data-lang=\"");
            push_escaped(&mut html, lang);
            html.push_str("\"><code class=\"language-");
            push_escaped(&mut html, lang);
            html.push_str("\">");
        }
        match self
            .syntax_for(lang)
            .and_then(|syntax| self.spans(code, syntax))
        {
            Some(spans) => html.push_str(&spans),
            None => push_escaped(&mut html, code),
        }
        html.push_str("</code></pre>");
        html
    }

    /// The grammar for a language token, or `None` for plain text.
    fn syntax_for(&self, lang: &str) -> Option<&SyntaxReference> {
        let found = if lang.bytes().any(|b| b.is_ascii_uppercase()) {
            self.languages.get(lang.to_ascii_lowercase().as_str())
        } else {
            self.languages.get(lang)
        };
        match found? {
            Language::Syntax(i) => self.syntaxes.syntaxes().get(*i),
            Language::Plain => None,
        }
    }

    /// The classed spans for `code`, or `None` if the grammar fails on it.
    fn spans(&self, code: &str, syntax: &SyntaxReference) -> Option<String> {
        // A grammar bug must cost one block its colours, never the whole build.
        catch_unwind(AssertUnwindSafe(|| {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .ok()?;
            }
            Some(generator.finalize())
        }))
        .ok()
        .flatten()
    }
}

/// The stylesheet for highlighted code: light rules, then the same classes under
/// `[data-theme="dark"]`.
///
/// Both themes also colour `pre.code` itself (text and background), so a block reads well
/// even where no class applies.
pub fn theme_css() -> String {
    let themes = two_face::theme::extra();
    let light = themes.get(LIGHT_THEME);
    let dark = themes.get(DARK_THEME);
    let mut css = String::new();

    let _ = writeln!(
        css,
        "/* Code highlighting: {} (light), {} (dark). Generated by labbook. */",
        LIGHT_THEME.as_name(),
        DARK_THEME.as_name()
    );
    push_block_rule(&mut css, "pre.code", light);
    css.push_str(&theme_rules(light));

    css.push('\n');
    push_block_rule(&mut css, "[data-theme=\"dark\"] pre.code", dark);
    for line in theme_rules(dark).lines() {
        if let Some(selectors) = line.strip_suffix(" {") {
            let prefixed: Vec<String> = selectors
                .split(", ")
                .map(|selector| format!("[data-theme=\"dark\"] {selector}"))
                .collect();
            css.push_str(&prefixed.join(", "));
            css.push_str(" {");
        } else {
            css.push_str(line);
        }
        css.push('\n');
    }
    push_dark_overrides(&mut css, light, dark);
    css
}

/// `selector { color; background-color }` from a theme's global settings.
fn push_block_rule(css: &mut String, selector: &str, theme: &Theme) {
    let _ = writeln!(css, "{selector} {{");
    if let Some(foreground) = theme.settings.foreground {
        let _ = writeln!(css, " color: {};", hex(foreground));
    }
    if let Some(background) = theme.settings.background {
        let _ = writeln!(css, " background-color: {};", hex(background));
    }
    css.push_str("}\n");
}

/// syntect's class rules for one theme, without its header comment.
fn theme_rules(theme: &Theme) -> String {
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE)
        .expect("writing CSS to a String cannot fail");
    match css.find("*/") {
        Some(end) => css[end + 2..].trim_start().to_string(),
        None => css,
    }
}

/// Dark rules for every selector only the light theme styles.
///
/// Without them a light-only rule (say, a dark blue for `hl-support`) would still apply on
/// the dark background. Each gets the style the dark theme gives that scope path.
fn push_dark_overrides(css: &mut String, light: &Theme, dark: &Theme) {
    let dark_paths: HashSet<Vec<Scope>> = dark
        .scopes
        .iter()
        .flat_map(|item| item.scope.selectors.iter())
        .map(|selector| selector.extract_scopes())
        .collect();
    let mut done = HashSet::new();
    let highlighter = ThemeHighlighter::new(dark);
    let default = highlighter.get_default();
    for selector in light
        .scopes
        .iter()
        .flat_map(|item| item.scope.selectors.iter())
    {
        let path = selector.extract_scopes();
        if path.is_empty() || dark_paths.contains(&path) || !done.insert(path.clone()) {
            continue;
        }
        let style = highlighter.style_for_stack(&path);
        let _ = write!(css, "[data-theme=\"dark\"]");
        for scope in &path {
            css.push(' ');
            for atom in scope.build_string().split('.') {
                css.push('.');
                push_css_identifier(css, &format!("hl-{atom}"));
            }
        }
        css.push_str(" {\n");
        push_style(css, style, default);
        css.push_str("}\n");
    }
}

/// The declarations of one resolved style, every property explicit.
fn push_style(css: &mut String, style: Style, default: Style) {
    let _ = writeln!(css, " color: {};", hex(style.foreground));
    if style.background == default.background {
        css.push_str(" background-color: transparent;\n");
    } else {
        let _ = writeln!(css, " background-color: {};", hex(style.background));
    }
    let bold = style.font_style.contains(FontStyle::BOLD);
    let italic = style.font_style.contains(FontStyle::ITALIC);
    let underline = style.font_style.contains(FontStyle::UNDERLINE);
    let _ = writeln!(
        css,
        " font-weight: {};\n font-style: {};\n text-decoration: {};",
        if bold { "bold" } else { "normal" },
        if italic { "italic" } else { "normal" },
        if underline { "underline" } else { "none" },
    );
}

/// `#rrggbb`, or `#rrggbbaa` when the colour is translucent.
fn hex(color: Color) -> String {
    if color.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", color.r, color.g, color.b)
    } else {
        format!(
            "#{:02x}{:02x}{:02x}{:02x}",
            color.r, color.g, color.b, color.a
        )
    }
}

/// Writes a CSS class name, escaping what syntect escapes (anything but letters, `-`, `_`
/// and non-leading digits), so these selectors match syntect's own.
fn push_css_identifier(css: &mut String, identifier: &str) {
    for (i, c) in identifier.char_indices() {
        if c.is_ascii_alphabetic() || c == '-' || c == '_' || (i > 0 && c.is_ascii_digit()) {
            css.push(c);
        } else {
            let _ = write!(css, "\\{:x} ", c as u32);
        }
    }
}

/// Appends `text` with `&`, `<`, `>` and `"` escaped.
fn push_escaped(html: &mut String, text: &str) {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        html.push_str(&text[start..i]);
        html.push_str(replacement);
        start = i + 1;
    }
    html.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spans opened inside the grammar's root scope (`hl-source …` or `hl-text …`).
    fn token_spans(html: &str) -> usize {
        html.matches("<span class=\"hl-").count().saturating_sub(1)
    }

    #[test]
    fn common_languages_are_recognised() {
        let samples = [
            ("python", "def f(x):\n    return x + 1  # one\n"),
            ("rust", "fn main() { let x: u32 = 1; }\n"),
            ("toml", "[package]\nname = \"labbook\"\n"),
            ("yaml", "title: Tiny models\nauthors: [Ada]\n"),
            ("json", "{\"a\": [1, true, null]}\n"),
            ("bash", "for f in *.md; do echo \"$f\"; done\n"),
            ("javascript", "const x = () => 42;\n"),
            ("markdown", "# Title\n\nSome *emphasis* and `code`.\n"),
        ];
        let highlighter = global();
        for (lang, code) in samples {
            let html = highlighter.highlight(code, lang);
            assert!(
                token_spans(&html) >= 1,
                "{lang} was not highlighted: {html}"
            );
        }
    }

    #[test]
    fn wraps_in_pre_and_code() {
        let html = global().highlight("x = 1\n", "python");
        assert!(
            html.starts_with(
                "<pre class=\"code\" data-lang=\"python\"><code class=\"language-python\">"
            ),
            "{html}"
        );
        assert!(html.ends_with("</code></pre>"), "{html}");
        assert!(html.contains("hl-source hl-python"), "{html}");
    }

    #[test]
    fn aliases_and_case_resolve() {
        let highlighter = global();
        for (alias, scope) in [
            ("py", "hl-python"),
            ("Python3", "hl-python"),
            ("rs", "hl-rust"),
            ("sh", "hl-shell"),
            ("shell", "hl-shell"),
            ("console", "hl-shell"),
            ("zsh", "hl-shell"),
            ("yml", "hl-yaml"),
            ("js", "hl-js"),
            ("JavaScript", "hl-js"),
            ("ts", "hl-ts"),
            ("md", "hl-markdown"),
            ("jsonc", "hl-json"),
            ("TOML", "hl-toml"),
        ] {
            let html = highlighter.highlight("x\n", alias);
            assert!(html.contains(scope), "{alias}: {html}");
        }
    }

    #[test]
    fn plain_and_unknown_languages_are_escaped_only() {
        let highlighter = global();
        for lang in ["text", "plain", "txt", "no-such-language"] {
            let html = highlighter.highlight("a < b && \"c\"\n", lang);
            assert_eq!(
                html,
                format!(
                    "<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">\
                     a &lt; b &amp;&amp; &quot;c&quot;\n</code></pre>"
                )
            );
        }
        assert_eq!(
            highlighter.highlight("<x>", ""),
            "<pre class=\"code\"><code>&lt;x&gt;</code></pre>"
        );
    }

    #[test]
    fn only_the_first_word_of_the_info_string_counts() {
        let highlighter = global();
        for info in ["rust,ignore", "rust editable", " rust{.x}"] {
            let html = highlighter.highlight("fn f() {}\n", info);
            assert!(
                html.starts_with(
                    "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">"
                ),
                "{info}: {html}"
            );
            assert!(html.contains("hl-rust"), "{info}: {html}");
        }
    }

    #[test]
    fn language_names_are_escaped() {
        let html = global().highlight("x", "a\"<b");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"a&quot;&lt;b\">"));
    }

    #[test]
    fn highlighted_code_is_escaped() {
        let html = global().highlight("if a < b and c > d:\n    s = \"&\"\n", "python");
        assert!(!html.contains("a < b"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
    }

    #[test]
    fn odd_input_does_not_panic() {
        let highlighter = global();
        for code in [
            "",
            "\n",
            "no newline",
            "\"unterminated",
            "```\n",
            "\u{0}\u{feff}é",
        ] {
            for lang in ["python", "rust", "markdown", "bash", "yaml"] {
                let html = highlighter.highlight(code, lang);
                assert!(html.ends_with("</code></pre>"));
            }
        }
    }

    #[test]
    fn theme_css_has_light_and_dark_rules() {
        let css = theme_css();
        assert!(css.contains("pre.code {\n color: #"), "{css}");
        assert!(css.contains("[data-theme=\"dark\"] pre.code {\n color: #"));
        assert!(css.contains("\n.hl-comment"), "light rules are plain");
        assert!(css.contains("[data-theme=\"dark\"] .hl-comment"));
        // Every selector of the dark part is prefixed.
        let dark = &css[css.find("[data-theme=\"dark\"] pre.code").unwrap()..];
        for line in dark.lines().filter(|l| l.ends_with('{')) {
            for selector in line.trim_end_matches(" {").split(", ") {
                assert!(selector.starts_with("[data-theme=\"dark\"] "), "{selector}");
            }
        }
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }
}
