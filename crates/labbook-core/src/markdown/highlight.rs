//! Build-time syntax highlighting of fenced code blocks.
//!
//! Code is tokenised with syntect and the grammars bat ships (through `two-face`). Each token
//! is styled by a light and a dark theme at build time, and written with short classes that
//! name its colour in each (`<span class="l3 d7">`); one generated stylesheet
//! ([`theme_css`]) maps them to colours, the dark ones under `[data-theme="dark"]`. Pages
//! carry no inline styles, the reader's theme switch needs no re-rendering, and a token costs
//! a few bytes instead of the full scope path.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use syntect::highlighting::{
    Color, FontStyle, HighlightIterator, HighlightState, Highlighter as ThemeHighlighter, Style, Theme,
};
use syntect::parsing::{BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

use super::highlight_cache::HighlightCache;
use super::line_memo;

/// The theme used when the page is light (the default).
const LIGHT_THEME: EmbeddedThemeName = EmbeddedThemeName::InspiredGithub;

/// The theme used under `[data-theme="dark"]`.
const DARK_THEME: EmbeddedThemeName = EmbeddedThemeName::OneHalfDark;

/// The surfaces code is shown on in the default theme's light mode (`--bg`, `--code-bg`,
/// `--code-inline` in labbook.css; a test keeps them in step): every token colour of the
/// light palette is darkened until it reads at [`MIN_CONTRAST`] on each of them, and on
/// the syntax theme's own background.
const LIGHT_SURFACES: &[(u8, u8, u8)] =
    &[(0xff, 0xff, 0xff), (0xf6, 0xf7, 0xf9), (0xef, 0xf1, 0xf4), (0xf7, 0xf8, 0xfa)];
/// The same for dark mode; its colours are lightened.
const DARK_SURFACES: &[(u8, u8, u8)] =
    &[(0x0f, 0x11, 0x17), (0x15, 0x1a, 0x23), (0x1e, 0x24, 0x30), (0x14, 0x18, 0x21)];
/// WCAG AA for normal text is 4.5:1; a little above, so rounding never lands under it.
const MIN_CONTRAST: f64 = 4.6;

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

/// Highlights code blocks as HTML with short per-theme colour classes.
///
/// Build it once ([`global`]) and share it: it is `Sync`, and loading the grammars takes
/// tens of milliseconds.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    /// Class names for the light theme (`l…`) and the dark one (`d…`).
    light: Palette,
    dark: Palette,
    /// The themes' selectors, prepared once.
    light_rules: ThemeHighlighter<'static>,
    dark_rules: ThemeHighlighter<'static>,
    /// Lower-cased language token (grammar name, file extension or alias) -> language.
    languages: HashMap<Box<str>, Language>,
    /// The light and dark styles of each scope stack met so far, shared by every thread's
    /// [`ClassTable`]: matching both themes' selectors against a stack is the costly part of
    /// a token's classes (7% of the Rust book's instructions when each thread did it again).
    styles: std::sync::RwLock<FxHashMap<Vec<Scope>, (Style, Style)>>,
}

static GLOBAL: OnceLock<Highlighter> = OnceLock::new();

/// The process-wide highlighter, loaded on first use.
pub fn global() -> &'static Highlighter {
    GLOBAL.get_or_init(Highlighter::new)
}

/// Lines of one language's code that [`warm`] parses at most: enough for the grammar's
/// common rules; the rest are met when the pages are highlighted.
const WARM_LINES_PER_LANGUAGE: usize = 400;

/// Parses code from `sources` (Markdown pages) with the grammars their fences name, until
/// `done` says to stop, and throws the result away. On first use of a grammar syntect
/// unpacks its rules and compiles each regular expression the first time it is tried, on
/// whichever core gets there first while the other pages' code waits for it: a build calls
/// this while a core would otherwise be idle (the theme's templates being parsed), so the
/// pages' highlighting starts with the book's grammars ready. Highlighting is the same
/// either way.
pub fn warm<'a>(sources: impl IntoIterator<Item = &'a str>, done: impl Fn() -> bool) {
    let mut lines_of: HashMap<&str, usize> = HashMap::new();
    for source in sources {
        // A book with little code is scanned no longer than the templates take.
        if done() {
            return;
        }
        let mut lines = source.lines();
        while let Some(line) = lines.next() {
            let Some((fence, info)) = fence_open(line) else { continue };
            let lang = fence_language(info);
            let body = lines.by_ref().take_while(|l| !l.trim_start().starts_with(fence));
            if lang.is_empty() || done() {
                body.for_each(drop);
                continue;
            }
            let Some(syntax) = global().syntax_for(lang) else {
                body.for_each(drop);
                continue;
            };
            let parsed = lines_of.entry(syntax.name.as_str()).or_default();
            if *parsed >= WARM_LINES_PER_LANGUAGE {
                body.for_each(drop);
                continue;
            }
            let mut state = ParseState::new(syntax);
            let mut text = String::new();
            // A grammar bug costs the warm-up its block, as it costs a page its colours.
            let _ = catch_unwind(AssertUnwindSafe(|| {
                for line in body {
                    text.clear();
                    text.push_str(line);
                    text.push('\n');
                    *parsed += 1;
                    if state.parse_line(&text, &global().syntaxes).is_err() {
                        break;
                    }
                }
            }));
        }
    }
}

/// The language a fence's info string names: the text before the first space, `,` or `{`
/// (so mdBook's `rust,ignore` is `rust`).
fn fence_language(info: &str) -> &str {
    info.trim_start().split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or_default()
}

/// The fence (```` ``` ```` or `~~~`) and info string of a line that opens a fenced code
/// block (indented by at most three spaces), roughly as CommonMark reads it.
fn fence_open(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f))?;
    Some((fence, trimmed.trim_start_matches(fence.as_bytes()[0] as char).trim()))
}

/// Empties the calling thread's memo of parsed lines (see `line_memo`). A build calls it on
/// every worker once a book's pages are transformed: the memo of a big book's code (up to
/// tens of megabytes a thread) is of no use to the render and search stages that follow.
pub fn forget_parsed_lines() {
    line_memo::forget();
}

/// Code lines reused from the parsed-line memo and lines parsed so far in this process, or
/// `None` if nothing was highlighted (for `LABBOOK_TIMINGS`).
pub fn line_stats() -> Option<(usize, usize)> {
    GLOBAL.get().map(|_| line_memo::stats())
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
            light: Palette::new(themes().get(LIGHT_THEME), 'l', LIGHT_SURFACES),
            dark: Palette::new(themes().get(DARK_THEME), 'd', DARK_SURFACES),
            light_rules: ThemeHighlighter::new(themes().get(LIGHT_THEME)),
            dark_rules: ThemeHighlighter::new(themes().get(DARK_THEME)),
            styles: Default::default(),
        }
    }

    /// The light and dark styles of text whose innermost scopes are `scopes`.
    fn styles_for(&self, scopes: &[Scope]) -> (Style, Style) {
        let read = self.styles.read().unwrap_or_else(|e| e.into_inner()).get(scopes).copied();
        read.unwrap_or_else(|| {
            let styles = (self.light_rules.style_for_stack(scopes), self.dark_rules.style_for_stack(scopes));
            self.styles.write().unwrap_or_else(|e| e.into_inner()).insert(scopes.to_vec(), styles);
            styles
        })
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
        self.highlight_lines(code, lang, &[])
    }

    /// Like [`Highlighter::highlight`], with the lines whose `hidden` entry is true wrapped
    /// in `<span class="boring">` (mdBook's hidden lines of Rust listings, shown by a toggle).
    /// Lines past the end of `hidden` are shown.
    pub fn highlight_lines(&self, code: &str, lang: &str, hidden: &[bool]) -> String {
        let hidden = if hidden.iter().any(|&h| h) { hidden } else { &[] };
        let lang = fence_language(lang);
        let mut html = String::with_capacity(code.len() * 2 + 96);
        if lang.is_empty() {
            html.push_str("<pre class=\"code\"><code>");
        } else {
            html.push_str("<pre class=\"code\" data-lang=\"");
            crate::escape::push_escaped(&mut html, lang);
            html.push_str("\"><code class=\"language-");
            crate::escape::push_escaped(&mut html, lang);
            html.push_str("\">");
        }
        match self.syntax_for(lang) {
            Some(syntax) => {
                // Between builds almost every block is unchanged: reuse its HTML when cached.
                let cache = HighlightCache::active();
                let key = cache.as_ref().map(|_| {
                    let marks: String = hidden.iter().map(|&h| if h { '1' } else { '0' }).collect();
                    HighlightCache::key(&format!("{}\0{marks}", syntax.name), code)
                });
                if let Some(key) = &key {
                    HighlightCache::note(key);
                }
                match cache.as_deref().zip(key.as_ref()).and_then(|(c, k)| c.get(k)) {
                    Some(spans) => html.push_str(&spans),
                    None => match self.spans(code, syntax, hidden) {
                        Some(spans) => {
                            if let (Some(cache), Some(key)) = (&cache, key) {
                                cache.insert(key, &spans);
                            }
                            html.push_str(&spans);
                        }
                        None => push_plain(&mut html, code, hidden),
                    },
                }
            }
            None => push_plain(&mut html, code, hidden),
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
    ///
    /// A token's classes depend only on the scope stack it sits in, so they are looked up in
    /// this thread's [`ClassTable`] once per scope pushed instead of matching both themes'
    /// selectors against the stack for every token (which was as costly as parsing). The
    /// classes are the ones syntect's `HighlightIterator` gives: its styles follow the stack
    /// the same way (one per scope, over the theme's default; none left after more pops than
    /// pushes), and a line whose scope operations fail keeps the text before the failing
    /// operation and shows the rest without classes.
    fn spans(&self, code: &str, syntax: &SyntaxReference, hidden: &[bool]) -> Option<String> {
        // A grammar bug must cost one block its colours, never the whole build.
        catch_unwind(AssertUnwindSafe(|| {
            CLASSES.with(|table| {
                let mut table = table.borrow_mut();
                let mut parse = ParseState::new(syntax);
                let mut path = ScopeStack::new();
                // The class of each scope on `path`, above the block's default.
                let mut stack: Vec<ClassId> = vec![table.default_class(self)];
                let mut writer = SpanWriter::default();
                let mut boring = false;
                for (n, line) in LinesWithEndings::from(code).enumerate() {
                    let hide = hidden.get(n).copied().unwrap_or(false);
                    if hide != boring {
                        writer.raw(if hide { "<span class=\"boring\">" } else { "</span>" });
                        boring = hide;
                    }
                    let ops = line_memo::parse_line(&mut parse, line, &self.syntaxes).ok()?;
                    let mut pos = 0;
                    let end_of_line = (line.len(), ScopeStackOp::Noop);
                    for (end, op) in ops.iter().chain(std::iter::once(&end_of_line)) {
                        let class = match stack.last() {
                            Some(&class) => class,
                            None => table.empty_class(),
                        };
                        let text = &line[pos..*end];
                        let applied = path.apply_with_hook(op, |basic, scopes| match basic {
                            BasicScopeStackOp::Push(_) => stack.push(table.class_for(self, scopes)),
                            BasicScopeStackOp::Pop => {
                                stack.pop();
                            }
                        });
                        if applied.is_err() {
                            break;
                        }
                        writer.push(class, table.name(class), text);
                        pos = *end;
                    }
                    if pos < line.len() {
                        writer.push(PLAIN_CLASS, "", &line[pos..]);
                    }
                }
                if boring {
                    writer.raw("</span>");
                }
                Some(writer.finish())
            })
        }))
        .ok()
        .flatten()
    }
}

/// An index into a [`ClassTable`]; equal ids are equal class lists.
type ClassId = u32;

/// The id of the empty class list (a token in the block's own colours).
const PLAIN_CLASS: ClassId = 0;

thread_local! {
    /// The class lists of the scope stacks this thread has highlighted. There is one
    /// [`Highlighter`] per process ([`global`]), so the table needs no key for it.
    static CLASSES: RefCell<ClassTable> = RefCell::new(ClassTable::new());
}

/// Scope stacks to the light and dark classes of the tokens inside them, and the class
/// lists themselves, each once.
struct ClassTable {
    by_stack: FxHashMap<Vec<Scope>, ClassId>,
    by_name: FxHashMap<Box<str>, ClassId>,
    names: Vec<Box<str>>,
    /// The classes of the themes' defaults and of `Style::default()`, once computed.
    default: Option<(ClassId, ClassId)>,
}

impl ClassTable {
    fn new() -> ClassTable {
        let mut table = ClassTable {
            by_stack: FxHashMap::default(),
            by_name: FxHashMap::default(),
            names: Vec::new(),
            default: None,
        };
        let plain = table.intern(String::new());
        debug_assert_eq!(plain, PLAIN_CLASS);
        table
    }

    fn intern(&mut self, name: String) -> ClassId {
        if let Some(&id) = self.by_name.get(name.as_str()) {
            return id;
        }
        let id = self.names.len() as ClassId;
        let name: Box<str> = name.into();
        self.names.push(name.clone());
        self.by_name.insert(name, id);
        id
    }

    fn classes_of(&mut self, h: &Highlighter, light: Style, dark: Style) -> ClassId {
        let mut class = String::new();
        h.light.push_classes(&mut class, light);
        h.dark.push_classes(&mut class, dark);
        self.intern(class)
    }

    fn defaults(&mut self, h: &Highlighter) -> (ClassId, ClassId) {
        if let Some(defaults) = self.default {
            return defaults;
        }
        let themed = self.classes_of(h, h.light_rules.get_default(), h.dark_rules.get_default());
        let bare = self.classes_of(h, Style::default(), Style::default());
        self.default = Some((themed, bare));
        (themed, bare)
    }

    /// The classes of text outside any scope: the themes' default styles.
    fn default_class(&mut self, h: &Highlighter) -> ClassId {
        self.defaults(h).0
    }

    /// The classes syntect gives text once its style stack is empty (more pops than
    /// pushes, a grammar bug): `Style::default()`. Set by [`ClassTable::default_class`].
    fn empty_class(&self) -> ClassId {
        self.default.map_or(PLAIN_CLASS, |(_, bare)| bare)
    }

    /// The classes of text whose innermost scopes are `scopes`.
    fn class_for(&mut self, h: &Highlighter, scopes: &[Scope]) -> ClassId {
        if let Some(&id) = self.by_stack.get(scopes) {
            return id;
        }
        let (light, dark) = h.styles_for(scopes);
        let id = self.classes_of(h, light, dark);
        self.by_stack.insert(scopes.to_vec(), id);
        id
    }

    fn name(&self, id: ClassId) -> &str {
        &self.names[id as usize]
    }
}

impl Highlighter {
    /// The light and dark styles syntect gives the byte at `offset` of the Python `code`.
    fn python_styles_at(&self, code: &str, offset: usize) -> Option<(Style, Style)> {
        let syntax = self.syntax_for("python")?;
        let mut parse = ParseState::new(syntax);
        let (light, dark) = (ThemeHighlighter::new(self.light.theme), ThemeHighlighter::new(self.dark.theme));
        let mut light_state = HighlightState::new(&light, ScopeStack::new());
        let mut dark_state = HighlightState::new(&dark, ScopeStack::new());
        let mut start = 0;
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, &self.syntaxes).ok()?;
            let light_tokens: Vec<(Style, &str)> =
                HighlightIterator::new(&mut light_state, &ops, line, &light).collect();
            let dark_tokens: Vec<(Style, &str)> = HighlightIterator::new(&mut dark_state, &ops, line, &dark).collect();
            if offset < start + line.len() {
                let at = |tokens: &[(Style, &str)]| {
                    let mut pos = start;
                    tokens.iter().find_map(|(style, text)| {
                        pos += text.len();
                        (offset < pos).then_some(*style)
                    })
                };
                return Some((at(&light_tokens)?, at(&dark_tokens)?));
            }
            start += line.len();
        }
        None
    }
}

/// Writes tokens as spans, merging neighbours that share their classes.
#[derive(Default)]
struct SpanWriter {
    html: String,
    /// The class list of the open span ([`PLAIN_CLASS`]: none is open), if any text was written.
    open: Option<ClassId>,
}

impl SpanWriter {
    /// Writes `text` with the classes `name`, whose id in the [`ClassTable`] is `class`.
    fn push(&mut self, class: ClassId, name: &str, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.open != Some(class) {
            if self.open.take().is_some_and(|c| c != PLAIN_CLASS) {
                self.html.push_str("</span>");
            }
            if class != PLAIN_CLASS {
                let _ = write!(self.html, "<span class=\"{name}\">");
            }
            self.open = Some(class);
        }
        crate::escape::push_escaped(&mut self.html, text);
    }

    /// Closes the open span and writes `html` as it is.
    fn raw(&mut self, html: &str) {
        if self.open.take().is_some_and(|c| c != PLAIN_CLASS) {
            self.html.push_str("</span>");
        }
        self.html.push_str(html);
    }

    fn finish(mut self) -> String {
        if self.open.is_some_and(|c| c != PLAIN_CLASS) {
            self.html.push_str("</span>");
        }
        self.html
    }
}

/// `code` escaped, its `hidden` lines wrapped in `<span class="boring">`.
fn push_plain(html: &mut String, code: &str, hidden: &[bool]) {
    if hidden.is_empty() {
        crate::escape::push_escaped(html, code);
        return;
    }
    for (n, line) in LinesWithEndings::from(code).enumerate() {
        let hide = hidden.get(n).copied().unwrap_or(false);
        if hide {
            html.push_str("<span class=\"boring\">");
        }
        crate::escape::push_escaped(html, line);
        if hide {
            html.push_str("</span>");
        }
    }
}

/// Appends a word to a space-separated class list.
fn push_word(class: &mut String, word: std::fmt::Arguments) {
    if !class.is_empty() {
        class.push(' ');
    }
    let _ = class.write_fmt(word);
}

/// bat's themes, loaded once.
fn themes() -> &'static EmbeddedLazyThemeSet {
    static THEMES: OnceLock<EmbeddedLazyThemeSet> = OnceLock::new();
    THEMES.get_or_init(two_face::theme::extra)
}

/// The colours of one theme, numbered: a token's class is the number of its colour.
struct Palette {
    theme: &'static Theme,
    prefix: char,
    /// Every foreground the theme can give (its default and its rules'), in a fixed order.
    colors: Vec<Color>,
    /// `colors[i]` as written to the stylesheet: raised to [`MIN_CONTRAST`] on every surface.
    readable: Vec<Color>,
    index: HashMap<(u8, u8, u8, u8), usize>,
}

impl Palette {
    fn new(theme: &'static Theme, prefix: char, surfaces: &[(u8, u8, u8)]) -> Palette {
        let mut colors: Vec<Color> = theme
            .settings
            .foreground
            .into_iter()
            .chain(theme.scopes.iter().filter_map(|item| item.style.foreground))
            .collect();
        colors.sort_by_key(|c| (c.r, c.g, c.b, c.a));
        colors.dedup_by_key(|c| (c.r, c.g, c.b, c.a));
        let index = colors.iter().enumerate().map(|(i, c)| ((c.r, c.g, c.b, c.a), i)).collect();
        let mut backgrounds: Vec<(u8, u8, u8)> = surfaces.to_vec();
        backgrounds.extend(theme.settings.background.map(|b| (b.r, b.g, b.b)));
        let readable = colors.iter().map(|&c| readable_on(c, &backgrounds)).collect();
        Palette { theme, prefix, colors, readable, index }
    }

    /// Appends this theme's classes for a token style (`l3`, `lb` for bold, ...).
    fn push_classes(&self, class: &mut String, style: Style) {
        let c = style.foreground;
        // The theme's default colour is the block's own: no class needed.
        let default = self.theme.settings.foreground.is_some_and(|d| (d.r, d.g, d.b, d.a) == (c.r, c.g, c.b, c.a));
        if let Some(i) = self.index.get(&(c.r, c.g, c.b, c.a)).filter(|_| !default) {
            push_word(class, format_args!("{}{i}", self.prefix));
        }
        for (flag, letter) in [(FontStyle::BOLD, 'b'), (FontStyle::ITALIC, 'i'), (FontStyle::UNDERLINE, 'u')] {
            if style.font_style.contains(flag) {
                push_word(class, format_args!("{}{letter}", self.prefix));
            }
        }
    }

    /// CSS rules for this palette's classes, each selector behind `scope` (empty or
    /// `[data-theme="dark"] `). `kinds` are other selectors (the browser's token kinds) with the
    /// style this palette's theme gives them: each joins the rules of its colour and font styles,
    /// so it shows exactly like the classes syntect wrote.
    fn css(&self, css: &mut String, scope: &str, kinds: &[(String, Style)]) {
        let default = self.theme.settings.foreground.map(|d| (d.r, d.g, d.b, d.a));
        for (i, c) in self.readable.iter().enumerate() {
            let mut selectors = vec![format!("{scope}.{}{i}", self.prefix)];
            for (selector, style) in kinds {
                let fg = style.foreground;
                let key = (fg.r, fg.g, fg.b, fg.a);
                if Some(key) != default && self.index.get(&key) == Some(&i) {
                    selectors.push(format!("{scope}{selector}"));
                }
            }
            let _ = writeln!(css, "{} {{ color: {}; }}", selectors.join(", "), hex(*c));
        }
        let p = self.prefix;
        for (flag, letter, rule) in [
            (FontStyle::BOLD, 'b', "font-weight: bold"),
            (FontStyle::ITALIC, 'i', "font-style: italic"),
            (FontStyle::UNDERLINE, 'u', "text-decoration: underline"),
        ] {
            let mut selectors = vec![format!("{scope}.{p}{letter}")];
            selectors.extend(
                kinds.iter().filter(|(_, s)| s.font_style.contains(flag)).map(|(sel, _)| format!("{scope}{sel}")),
            );
            let _ = writeln!(css, "{} {{ {rule}; }}", selectors.join(", "));
        }
    }
}

/// The token kinds of the browser's own Python highlighter (the exercise editor colours code as
/// it is typed, where syntect cannot run), as `(kind, before, token, after)`: the kind is
/// whatever syntect makes of `token` in the Python line `before + token + after`. The generated
/// stylesheet gives the class `lb-t-<kind>` exactly that token's styles in both themes, so a
/// token typed in the editor looks like the same token in a code block of the page.
pub const BROWSER_PYTHON_KINDS: &[(&str, &str, &str, &str)] = &[
    ("kw", "", "if", " x:\n"),
    ("op", "x ", "=", " 1\n"),
    ("num", "x = ", "1", "\n"),
    ("imag", "x = 3", "j", "\n"),
    ("const", "x = ", "None", "\n"),
    ("str", "x = ", "'a'", "\n"),
    ("esc", "x = 'a", "\\n", "'\n"),
    ("pre", "x = ", "f", "'a'\n"),
    ("spec", "x = f'{y", ":>3", "}'\n"),
    ("com", "", "# c", "\n"),
    ("doc", "def f():\n    ", "\"\"\"d\"\"\"", "\n"),
    ("fn", "def ", "f", "():\n"),
    ("fnmagic", "def ", "__init__", "(self):\n"),
    ("param", "def f(", "a", "):\n"),
    ("call", "", "f", "(x)\n"),
    ("bi", "", "len", "(x)\n"),
    ("type", "x = ", "int", "\n"),
    ("typecall", "", "int", "(x)\n"),
    ("self", "", "self", ".x\n"),
    ("anon", "for ", "_", " in x:\n    pass\n"),
    ("caps", "", "NAMES", " = 1\n"),
    ("cls", "class ", "C", "(B):\n"),
    ("clsp", "class C", "(", "B):\n"),
    ("kwarg", "f(", "k", "=1)\n"),
    ("dec", "@", "d", "\ndef f():\n    pass\n"),
];

/// `lb-t-<kind>` selectors with the (light, dark) styles syntect gives each browser token kind.
fn browser_kind_styles(h: &Highlighter) -> Vec<(String, Style, Style)> {
    BROWSER_PYTHON_KINDS
        .iter()
        .filter_map(|(kind, before, token, after)| {
            let (light, dark) = h.python_styles_at(&format!("{before}{token}{after}"), before.len())?;
            Some((format!(".lb-t-{kind}"), light, dark))
        })
        .collect()
}

/// The asset name of [`theme_css`]: a page links it only when something on it is
/// highlighted (a code block, an exercise's editor), which says so in its `styles`.
pub const STYLE: &str = "highlight.css";

/// The stylesheet for highlighted code: the light theme's classes apply by default; under
/// `[data-theme="dark"]` the light font styles are reset and the dark classes apply, whose
/// selectors are more specific than the light ones.
pub fn theme_css() -> String {
    let h = global();
    let kinds = browser_kind_styles(h);
    let light_kinds: Vec<(String, Style)> = kinds.iter().map(|(s, l, _)| (s.clone(), *l)).collect();
    let dark_kinds: Vec<(String, Style)> = kinds.iter().map(|(s, _, d)| (s.clone(), *d)).collect();
    let mut css = String::new();
    let _ = writeln!(
        css,
        "/* Code highlighting: {} (light), {} (dark). Generated by labbook. */",
        LIGHT_THEME.as_name(),
        DARK_THEME.as_name()
    );
    push_block_rule(&mut css, "pre.code", h.light.theme);
    // Code highlighted in the browser (`.code-live`, the exercise editor) takes the blocks' text
    // colour, on its own background.
    push_color_rule(&mut css, ".code-live", h.light.theme);
    h.light.css(&mut css, "", &light_kinds);
    let dark = "[data-theme=\"dark\"] ";
    push_block_rule(&mut css, "[data-theme=\"dark\"] pre.code", h.dark.theme);
    push_color_rule(&mut css, "[data-theme=\"dark\"] .code-live", h.dark.theme);
    // Light classes stay on the spans; in the dark theme they give way to the block's colour
    // unless a dark class (same specificity, written later) says otherwise.
    // The browser's token kinds do the same.
    let light_default = h.light.theme.settings.foreground.map(|d| (d.r, d.g, d.b, d.a));
    let light_classes: Vec<String> = (0..h.light.colors.len())
        .map(|i| format!("{dark}.l{i}"))
        .chain(
            kinds
                .iter()
                .filter(|(_, l, _)| {
                    Some((l.foreground.r, l.foreground.g, l.foreground.b, l.foreground.a)) != light_default
                })
                .map(|(s, _, _)| format!("{dark}{s}")),
        )
        .collect();
    let _ = writeln!(css, "{} {{ color: inherit; }}", light_classes.join(", "));
    for (flag, letter, property) in [
        (FontStyle::BOLD, 'b', "font-weight"),
        (FontStyle::ITALIC, 'i', "font-style"),
        (FontStyle::UNDERLINE, 'u', "text-decoration"),
    ] {
        let selectors: Vec<String> = std::iter::once(format!("{dark}.l{letter}"))
            .chain(kinds.iter().filter(|(_, l, _)| l.font_style.contains(flag)).map(|(s, _, _)| format!("{dark}{s}")))
            .collect();
        let _ = writeln!(css, "{} {{ {property}: inherit; }}", selectors.join(", "));
    }
    h.dark.css(&mut css, dark, &dark_kinds);
    css
}

/// `selector { color }` from a theme's global settings.
fn push_color_rule(css: &mut String, selector: &str, theme: &Theme) {
    if let Some(foreground) = theme.settings.foreground {
        let _ = writeln!(css, "{selector} {{ color: {}; }}", hex(foreground));
    }
}

/// WCAG's relative luminance of an sRGB colour.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG's contrast ratio of two colours (1 to 21).
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `color` mixed step by step towards black (on light surfaces) or white (on dark ones)
/// until it has [`MIN_CONTRAST`] on every one of `surfaces`; a colour that already has it
/// is kept as the theme gives it. The hue stays; only the lightness moves.
fn readable_on(color: Color, surfaces: &[(u8, u8, u8)]) -> Color {
    let dark_surfaces = surfaces.iter().map(|&s| luminance(s)).sum::<f64>() / surfaces.len().max(1) as f64 <= 0.18;
    let target = if dark_surfaces { 255.0 } else { 0.0 };
    let rgb = |t: f64| {
        let mix = |c: u8| (f64::from(c) + (target - f64::from(c)) * t).round() as u8;
        (mix(color.r), mix(color.g), mix(color.b))
    };
    let reads = |c: (u8, u8, u8)| surfaces.iter().all(|&s| contrast(c, s) >= MIN_CONTRAST);
    let mut step = 0;
    while !reads(rgb(f64::from(step) / 100.0)) && step < 100 {
        step += 1;
    }
    let (r, g, b) = rgb(f64::from(step) / 100.0);
    Color { r, g, b, a: color.a }
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

/// `#rrggbb`, or `#rrggbbaa` when the colour is translucent.
fn hex(color: Color) -> String {
    if color.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", color.r, color.g, color.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", color.r, color.g, color.b, color.a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warming_reads_fences_and_changes_no_highlighting() {
        assert_eq!(fence_open("```rust,ignore"), Some(("```", "rust,ignore")));
        assert_eq!(fence_open("   ~~~~ python {.x}"), Some(("~~~", "python {.x}")));
        assert_eq!(fence_open("    ```rust"), None, "indented code, not a fence");
        assert_eq!(fence_open("text ```"), None);
        let code = "fn main() {\n    let x = \"a\";\n}\n";
        let before = global().highlight(code, "rust");
        // Unknown and missing languages, an unclosed fence, a stop asked for at once.
        let page = format!("# T\n\n```rust\n{code}```\n\n```nosuchlang\nx\n```\n```\nplain\n```\n~~~python\nopen(");
        warm([page.as_str()], || false);
        warm([page.as_str()], || true);
        assert_eq!(global().highlight(code, "rust"), before);
    }

    /// Coloured token spans.
    fn token_spans(html: &str) -> usize {
        html.matches("<span class=\"").count()
    }

    /// The grammar a language token resolves to.
    fn grammar(lang: &str) -> Option<String> {
        global().syntax_for(lang).map(|s| s.name.clone())
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
            assert!(token_spans(&html) >= 1, "{lang} was not highlighted: {html}");
        }
    }

    /// Every token colour of the stylesheet reads at 4.5:1 or more on every surface code is
    /// shown on, and those surfaces are the ones labbook.css declares.
    #[test]
    fn token_colours_have_enough_contrast() {
        let parse = |hex: &str| {
            let v = u32::from_str_radix(&hex[1..7], 16).unwrap();
            ((v >> 16) as u8, (v >> 8) as u8, v as u8)
        };
        let css = theme_css();
        let mut checked = 0;
        for line in css.lines() {
            let dark = line.starts_with("[data-theme=\"dark\"] .d");
            let light = line.starts_with(".l") && line.contains("color: #");
            if !(dark || light) || !line.contains("color: #") {
                continue;
            }
            let hex = line.split("color: ").nth(1).unwrap().trim_end_matches([';', ' ', '}']);
            let surfaces = if dark { DARK_SURFACES } else { LIGHT_SURFACES };
            for &surface in surfaces {
                let ratio = contrast(parse(hex), surface);
                assert!(ratio >= 4.5, "{line}: {ratio:.2}:1 on {surface:?}");
            }
            checked += 1;
        }
        assert!(checked > 10, "{css}");
        // The surfaces are labbook.css's own.
        let theme_css = include_str!("../render/theme/static/labbook.css");
        for (block, surfaces) in [(":root {", LIGHT_SURFACES), ("[data-theme=\"dark\"] {", DARK_SURFACES)] {
            let start = theme_css.find(block).unwrap();
            let body = &theme_css[start..start + theme_css[start..].find('}').unwrap()];
            for var in ["--bg:", "--bg-soft:", "--code-bg:", "--code-inline:"] {
                let value = body.split(var).nth(1).unwrap().trim_start();
                assert!(surfaces.contains(&parse(&value[..7])), "{var} {} is not among the surfaces", &value[..7]);
            }
        }
    }

    #[test]
    fn wraps_in_pre_and_code() {
        let html = global().highlight("x = 1\n", "python");
        assert!(
            html.starts_with("<pre class=\"code\" data-lang=\"python\"><code class=\"language-python\">"),
            "{html}"
        );
        assert!(html.ends_with("</code></pre>"), "{html}");
        assert!(html.contains("<span class=\"l"), "{html}");
        assert!(html.contains(" d"), "every coloured token has a dark class too: {html}");
    }

    #[test]
    fn aliases_and_case_resolve() {
        for (alias, name) in [
            ("py", "Python"),
            ("Python3", "Python"),
            ("rs", "Rust"),
            ("sh", "Bourne Again Shell (bash)"),
            ("shell", "Bourne Again Shell (bash)"),
            ("console", "Bourne Again Shell (bash)"),
            ("zsh", "Bourne Again Shell (bash)"),
            ("yml", "YAML"),
            ("js", "JavaScript"),
            ("JavaScript", "JavaScript"),
            ("ts", "TypeScript"),
            ("md", "Markdown"),
            ("jsonc", "JSON"),
            ("TOML", "TOML"),
        ] {
            let found = grammar(alias);
            assert!(found.as_deref().is_some_and(|f| f.starts_with(name)), "{alias}: {found:?}");
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
        assert_eq!(highlighter.highlight("<x>", ""), "<pre class=\"code\"><code>&lt;x&gt;</code></pre>");
    }

    #[test]
    fn only_the_first_word_of_the_info_string_counts() {
        let highlighter = global();
        for info in ["rust,ignore", "rust editable", " rust{.x}"] {
            let html = highlighter.highlight("fn f() {}\n", info);
            assert!(
                html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">"),
                "{info}: {html}"
            );
            assert!(token_spans(&html) >= 1, "{info}: {html}");
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

    /// The spans syntect's own `HighlightIterator` gives for both themes, written the way
    /// labbook wrote them before styles were looked up by scope stack: the reference the
    /// fast path must match byte for byte.
    fn reference_spans(h: &Highlighter, code: &str, lang: &str, hidden: &[bool]) -> String {
        use syntect::highlighting::{HighlightIterator, HighlightState};
        let syntax = h.syntax_for(lang).unwrap();
        let mut parse = ParseState::new(syntax);
        let (light, dark) = (ThemeHighlighter::new(h.light.theme), ThemeHighlighter::new(h.dark.theme));
        let mut light_state = HighlightState::new(&light, ScopeStack::new());
        let mut dark_state = HighlightState::new(&dark, ScopeStack::new());
        let mut tokens: Vec<(String, String)> = Vec::new();
        let mut boring = false;
        for (n, line) in LinesWithEndings::from(code).enumerate() {
            let hide = hidden.get(n).copied().unwrap_or(false);
            if hide != boring {
                tokens.push(("raw".into(), if hide { "<span class=\"boring\">" } else { "</span>" }.into()));
                boring = hide;
            }
            let ops = parse.parse_line(line, &h.syntaxes).unwrap();
            let light_tokens: Vec<(Style, &str)> =
                HighlightIterator::new(&mut light_state, &ops, line, &light).collect();
            let dark_tokens: Vec<(Style, &str)> = HighlightIterator::new(&mut dark_state, &ops, line, &dark).collect();
            let mut offset = 0;
            let (mut i, mut j, mut li, mut dj) = (0, 0, 0, 0);
            while i < light_tokens.len() && j < dark_tokens.len() {
                let (ls, lt) = light_tokens[i];
                let (ds, dt) = dark_tokens[j];
                let take = (lt.len() - li).min(dt.len() - dj);
                let mut class = String::new();
                h.light.push_classes(&mut class, ls);
                h.dark.push_classes(&mut class, ds);
                tokens.push((class, line[offset..offset + take].to_string()));
                offset += take;
                li += take;
                dj += take;
                if li == lt.len() {
                    (i, li) = (i + 1, 0);
                }
                if dj == dt.len() {
                    (j, dj) = (j + 1, 0);
                }
            }
            if offset < line.len() {
                tokens.push((String::new(), line[offset..].to_string()));
            }
        }
        if boring {
            tokens.push(("raw".into(), "</span>".into()));
        }
        let mut html = String::new();
        let mut open: Option<String> = None;
        for (class, text) in tokens {
            if class == "raw" {
                if open.take().is_some_and(|c| !c.is_empty()) {
                    html.push_str("</span>");
                }
                html.push_str(&text);
                continue;
            }
            if text.is_empty() {
                continue;
            }
            if open.as_deref() != Some(class.as_str()) {
                if open.take().is_some_and(|c| !c.is_empty()) {
                    html.push_str("</span>");
                }
                if !class.is_empty() {
                    html.push_str(&format!("<span class=\"{class}\">"));
                }
                open = Some(class);
            }
            crate::escape::push_escaped(&mut html, &text);
        }
        if open.is_some_and(|c| !c.is_empty()) {
            html.push_str("</span>");
        }
        html
    }

    /// Styles looked up by scope stack, and lines reused from the memo, give exactly what
    /// syntect's highlighter gives: for several grammars, hidden lines, lines repeated in
    /// other parser states (inside a string, a comment, a nested block) and blocks
    /// highlighted again.
    #[test]
    fn spans_match_syntects_highlighter() {
        let h = global();
        let rust = "fn main() {\n    let s = \"\n}\n\";\n    /* }\n}\n */\n    if true {\n        }\n}\n}\n";
        let samples: &[(&str, &str)] = &[
            ("rust", rust),
            ("rust", "use std::io;\n\nfn main() {\n    println!(\"{}\", 1);\n}\n"),
            ("python", "def f(x):\n    '''doc\n    return x\n    '''\n    return x  # c\n"),
            ("bash", "$ cargo run\n   Compiling hello v0.1.0\n$ cargo run\n   Compiling hello v0.1.0\necho \"$x\"\n"),
            ("toml", "[package]\nname = \"x\"\n[package]\nname = \"x\"\n"),
            ("html", "<p class=\"a\">x</p>\n<script>let a = '<p>';</script>\n<p class=\"a\">x</p>\n"),
            ("markdown", "# T\n\n```rust\nfn f() {}\n```\n# T\n"),
        ];
        for (lang, code) in samples {
            let lines = code.lines().count();
            let patterns: Vec<Vec<bool>> =
                vec![vec![], (0..lines).map(|n| n % 2 == 0).collect(), (0..lines).map(|n| n < 2).collect()];
            for hidden in &patterns {
                // The second and third time, lines come from the memo.
                for _ in 0..3 {
                    let syntax = h.syntax_for(lang).unwrap();
                    let fast = h.spans(code, syntax, hidden).unwrap();
                    assert_eq!(fast, reference_spans(h, code, lang, hidden), "{lang} {hidden:?}:\n{code}");
                }
            }
        }
        let (reused, _) = line_memo::stats();
        assert!(reused > 0, "repeated blocks reuse parsed lines");
    }

    #[test]
    fn odd_input_does_not_panic() {
        let highlighter = global();
        for code in ["", "\n", "no newline", "\"unterminated", "```\n", "\u{0}\u{feff}é"] {
            for lang in ["python", "rust", "markdown", "bash", "yaml"] {
                let html = highlighter.highlight(code, lang);
                assert!(html.ends_with("</code></pre>"));
            }
        }
    }

    #[test]
    fn browser_token_kinds_take_the_classes_syntect_writes() {
        let h = global();
        let kinds = browser_kind_styles(h);
        assert_eq!(kinds.len(), BROWSER_PYTHON_KINDS.len(), "every sample token is found");
        let css = theme_css();
        for ((kind, before, token, after), (selector, light, dark)) in BROWSER_PYTHON_KINDS.iter().zip(&kinds) {
            let mut classes = String::new();
            h.light.push_classes(&mut classes, *light);
            h.dark.push_classes(&mut classes, *dark);
            assert!(!classes.is_empty(), "{kind}: its sample token has no colour of its own");
            let mut token_html = String::new();
            crate::escape::push_escaped(&mut token_html, token);
            let html = h.highlight(&format!("{before}{token}{after}"), "python");
            assert!(
                html.contains(&format!("<span class=\"{classes}\">{token_html}")),
                "{kind}: the block writes {html}, not the classes {classes} on {token}"
            );
            // Each of those classes' rules names the kind's selector too.
            for class in classes.split(' ') {
                let dark_scope = if class.starts_with('d') { "[data-theme=\"dark\"] " } else { "" };
                let rule = css
                    .lines()
                    .find(|l| {
                        l.split(" { ").next().unwrap_or("").split(", ").any(|s| s == format!("{dark_scope}.{class}"))
                    })
                    .unwrap_or_else(|| panic!("no rule for .{class}"));
                assert!(
                    rule.contains(&format!("{dark_scope}{selector}")),
                    "{kind}: the rule `{rule}` lacks {selector}"
                );
            }
        }
    }

    #[test]
    fn theme_css_has_light_and_dark_rules() {
        let css = theme_css();
        assert!(css.contains("pre.code {\n color: #"), "{css}");
        assert!(css.contains("[data-theme=\"dark\"] pre.code {\n color: #"));
        // A rule's selectors, each on its own: `.l0, .lb-t-num { color: #… }` -> [".l0", ".lb-t-num"].
        let rule = |selector: &str| {
            css.lines().find(|l| l.split(" { ").next().unwrap_or("").split(", ").any(|s| s == selector)).unwrap_or("")
        };
        assert!(rule(".l0").contains("{ color: #"), "light rules are plain: {css}");
        assert!(rule("[data-theme=\"dark\"] .d0").contains("{ color: #"), "dark rules are scoped: {css}");
        assert!(rule(".d0").is_empty(), "dark classes never apply in the light theme");
        // Every class a block can carry has a rule.
        let html = global().highlight("def f(x):\n    return \"s\" + 1  # c\n", "python");
        for class in html.split("<span class=\"").skip(1).flat_map(|rest| rest.split('"').next().unwrap().split(' ')) {
            let scoped =
                if class.starts_with('d') { format!("[data-theme=\"dark\"] .{class}") } else { format!(".{class}") };
            assert!(!rule(&scoped).is_empty(), "no rule for .{class}");
        }
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }
}
