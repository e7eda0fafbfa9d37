//! Directives: fenced code blocks whose info string names an extension and whose body is YAML.
//!
//! ````markdown
//! ```quiz
//! question: ...
//! ```
//! ````
//! A feature adds a kind by implementing [`Directive`] and registering it in
//! [`crate::feature::Feature::directives`]; the Markdown stage does the rest.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::markdown::Heading;

/// Where a directive stands, for messages and unique ids.
pub struct DirectiveContext<'a> {
    /// The page's file, as shown in messages.
    pub display: &'a Path,
    /// The file line of the directive's opening fence (where a problem with the block as a
    /// whole is reported).
    pub fence_line: usize,
    /// The file line of the directive's first body line.
    pub body_line: usize,
    /// The page's output path relative to the site root.
    pub output: &'a str,
    /// 1 for the first directive on the page, 2 for the next, ...
    pub ordinal: usize,
}

/// One kind of directive.
pub trait Directive: Send + Sync {
    /// The info string that selects it (`quiz`).
    fn name(&self) -> &'static str;
    /// Turns the YAML body into HTML, or a positioned error.
    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic>;

    /// Like [`Directive::render`], for directives whose HTML holds headings for the page's
    /// table of contents, reads files a live server must watch, or finds several problems.
    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        self.render(body, ctx).map(|html| DirectiveOutput { html, ..Default::default() }).map_err(|e| vec![e])
    }

    /// Whether the directive writes its HTML with the theme's templates (which it got from
    /// [`crate::feature::Feature::directives`]), so that a theme change must transform again
    /// the pages that use it.
    fn uses_theme(&self) -> bool {
        false
    }

    /// For a directive that stands for ordinary code blocks rather than a block named after
    /// it (runnable lesson code, ```` ```python runnable ````): whether it takes the fenced
    /// block with this info string. Only directives registered with
    /// [`Directives::register_code_blocks`] are asked, and only for blocks whose first word
    /// names no directive.
    fn takes_code_block(&self, _info: &str) -> bool {
        false
    }

    /// Renders a code block this directive takes (see [`Directive::takes_code_block`]):
    /// `info` is the whole info string, `code` the block's text.
    fn render_code_block(
        &self,
        _info: &str,
        code: &str,
        ctx: &DirectiveContext,
    ) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        self.render_output(code, ctx)
    }
}

/// What a directive produced.
#[derive(Debug, Clone, Default)]
pub struct DirectiveOutput {
    /// The HTML that replaces the block.
    pub html: String,
    /// Headings inside `html` (with their ids) that belong in the page's table of contents.
    pub headings: Vec<Heading>,
    /// Every other element id inside `html` that links may point at.
    pub ids: Vec<String>,
    /// Files the HTML was made from (the page is rebuilt when they change).
    pub dependencies: Vec<std::path::PathBuf>,
    /// Problems that do not fail the build.
    pub warnings: Vec<Diagnostic>,
    /// Search records for what the directive placed (reported as data, so no later stage
    /// reads the HTML to find it).
    pub records: Vec<DirectiveRecord>,
    /// What a reader can complete here (an exercise to solve, a quiz to answer), for the
    /// progress the theme keeps: sidebar ticks and the "Your progress" page.
    pub progress: Vec<ProgressItem>,
    /// Theme scripts (logical asset names, `exercise.js`) the page must load for what the
    /// directive placed; pages without such a directive do not load them.
    pub scripts: Vec<String>,
    /// Theme style sheets (logical asset names, `exercise.css`) the page must link for what
    /// the directive placed; `page.html` and `print.html` link only what their pages ask for.
    pub styles: Vec<String>,
    /// Places worth a skip link at the top of the page (an exercise's editor).
    pub landmarks: Vec<Landmark>,
}

/// One thing a reader can complete on a page: `kind` is the progress script's storage kind
/// (`exercise`, `quiz`), `id` is unique within it across the book.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProgressItem {
    /// `exercise` or `quiz`.
    pub kind: String,
    /// The exercise id, or the quiz's element id.
    pub id: String,
    /// What the item is worth in a gradebook (`points:`, default 1).
    #[serde(skip)]
    pub points: f64,
    /// A quiz's answer key, for grading handed-in work; never written into the site.
    #[serde(skip)]
    pub key: Option<QuizKey>,
}

impl ProgressItem {
    /// An item worth one point, without an answer key.
    pub fn new(kind: &str, id: &str) -> ProgressItem {
        ProgressItem { kind: kind.to_string(), id: id.to_string(), points: 1.0, key: None }
    }
}

/// A quiz's question, choices and right answers, as the grader and the feedback page need them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuizKey {
    /// The question, as HTML (empty when the heading above the quiz asks it).
    pub question: String,
    /// Whether several choices may be right.
    pub multiple: bool,
    /// The choices in order.
    pub choices: Vec<QuizChoice>,
}

/// One choice of a quiz, with whether it is right and its explanation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuizChoice {
    /// The choice, as HTML.
    pub text: String,
    /// Whether it is a right answer.
    pub correct: bool,
    /// Why, as HTML (may be empty).
    pub explain: String,
}

impl QuizKey {
    /// Whether `chosen` (choice indices) is exactly the set of right answers.
    pub fn is_right(&self, chosen: &[usize]) -> bool {
        let mut chosen = chosen.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        let right: Vec<usize> = (0..self.choices.len()).filter(|&i| self.choices[i].correct).collect();
        chosen == right
    }
}

/// A place on a page that readers of the keyboard can jump to from the top of the page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Landmark {
    /// What the skip link says after "Skip to " (`exercise: Softmax`).
    pub label: String,
    /// The anchor on the page.
    pub anchor: String,
}

/// A search record a directive reports for the thing it placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectiveRecord {
    /// The search kind (`exercise`).
    pub kind: String,
    /// What it is, unique within its kind (an exercise id): a thing placed on several pages
    /// is indexed once, at its first page in the book's page order.
    pub key: String,
    /// The anchor on the page.
    pub anchor: String,
    /// The record's title.
    pub title: String,
    /// The text to index, as HTML.
    pub html: String,
    /// Whether the record belongs to the page rather than standing on its own: the search
    /// index does not take it by itself; the feature that generated the page may give it as
    /// one of the page's records ([`crate::feature::Feature::page_records`], the API's one
    /// record per object). Such records of an ordinary page are not indexed.
    pub page_only: bool,
}

/// The directives known to a build, by name.
#[derive(Clone, Default)]
pub struct Directives {
    by_name: HashMap<&'static str, Arc<dyn Directive>>,
    /// Directives that take ordinary code blocks, asked in order.
    code_blocks: Vec<Arc<dyn Directive>>,
}

impl Directives {
    /// Every directive labbook ships, for the self-study edition.
    pub fn builtin() -> Directives {
        Directives::builtin_for(crate::config::Edition::SelfStudy)
    }

    /// Every directive labbook ships, writing `edition`'s pages.
    pub fn builtin_for(edition: crate::config::Edition) -> Directives {
        let mut d = Directives::default();
        d.register(Arc::new(super::quiz::Quiz::default().in_edition(edition)));
        d
    }

    /// The core's directives and those of the book's features, over its loaded data; the
    /// features' directives may write their markup with `theme`'s templates.
    pub fn for_book(book: &crate::content::Book, theme: &Arc<crate::render::Theme>) -> Directives {
        let edition = book.config.edition;
        let mut d = Directives::builtin_for(edition);
        // The quiz's words for readers without JavaScript, in the book's language.
        d.register(Arc::new(super::quiz::Quiz::with_words(theme.words()).in_edition(edition)));
        let site = Arc::new(super::SiteIndex::for_book(book));
        for feature in book.features.iter() {
            feature.directives(book, &site, theme, &mut d);
        }
        d
    }

    /// Whether the directive kind `name` writes its HTML with the theme's templates.
    pub fn uses_theme(&self, name: &str) -> bool {
        self.get(name).is_some_and(|d| d.uses_theme())
    }

    /// Adds (or replaces) a directive kind.
    pub fn register(&mut self, directive: Arc<dyn Directive>) {
        self.by_name.insert(directive.name(), directive);
    }

    /// Adds a directive that takes ordinary code blocks (see [`Directive::takes_code_block`]);
    /// it is also known by its name, like any directive.
    pub fn register_code_blocks(&mut self, directive: Arc<dyn Directive>) {
        self.code_blocks.retain(|d| d.name() != directive.name());
        self.code_blocks.push(directive.clone());
        self.register(directive);
    }

    /// The directive that takes a code block whose info string's first word names no
    /// directive, if any.
    pub fn code_block(&self, info: &str) -> Option<&dyn Directive> {
        self.code_blocks.iter().find(|d| d.takes_code_block(info)).map(|d| d.as_ref())
    }

    /// The directive for an info string's first word, if any.
    pub fn get(&self, name: &str) -> Option<&dyn Directive> {
        self.by_name.get(name).map(|d| d.as_ref())
    }
}

/// Parses a directive's YAML body into `T`, with errors positioned in the page.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    body: &str,
    ctx: &DirectiveContext,
    kind: &str,
) -> Result<T, Diagnostic> {
    crate::config::parse_yaml(body, ctx.display, ctx.body_line).map_err(|mut e| {
        e.message = format!("in the `{kind}` block: {}", e.message);
        e
    })
}
