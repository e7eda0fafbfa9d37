//! Proof that features plug in: a small `glossary` feature defined here, outside the core and
//! outside the built-in list, registered without editing any core file. It claims its own
//! `book.yaml` section, reads its terms, adds a generated page whose `glossary` directive
//! renders the terms and reports them as search records of its own kind, `glossary`; pages
//! link to the terms and the core's link check checks those links.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use labbook::content::{FrontMatter, NavItem, Page};
use labbook::diagnostic::{Diagnostic, Diagnostics};
use labbook::feature::{Feature, FeatureData, Features, LoadContext};
use labbook::markdown::{
    Directive, DirectiveContext, DirectiveOutput, DirectiveRecord, Directives, Heading, SiteIndex,
};
use labbook::pipeline::{self, BuildOptions};

use common::{copy_fixture, fixture};

/// `glossary:` in book.yaml.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryConfig {
    /// A YAML file of term -> definition, relative to the book root.
    terms: PathBuf,
    /// The page's title.
    title: String,
}

/// The loaded terms, in file order.
struct Terms(Vec<(String, String)>);

struct Glossary;

impl Feature for Glossary {
    fn name(&self) -> &'static str {
        "glossary"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        &["glossary"]
    }

    fn load(&self, cx: &mut LoadContext) -> Result<(), Diagnostics> {
        let Some(config) = cx.section::<GlossaryConfig>("glossary")? else { return Ok(()) };
        let text = std::fs::read_to_string(cx.root.join(&config.terms))
            .map_err(|e| Diagnostic::file(&config.terms, format!("cannot read: {e}")))?;
        let terms: serde_yaml::Mapping = labbook::config::parse_yaml(&text, &config.terms, 1)?;
        let terms = terms
            .into_iter()
            .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        cx.pages.push(Page {
            rel: PathBuf::from("glossary.md"),
            display: config.terms.clone(),
            abs: cx.root.join(&config.terms),
            output: "glossary.html".into(),
            front: FrontMatter::default(),
            body: format!("# {}\n\n```glossary\n```\n", config.title),
            body_line: 1,
            title: config.title.clone(),
            has_h1: true,
            lenient_links: false,
            warnings: Vec::new(),
            source_lines: Vec::new(),
            template_ids: Vec::new(),
            files: Vec::new(),
        });
        cx.data.insert(Terms(terms));
        Ok(())
    }

    fn extend_nav(
        &self,
        data: &FeatureData,
        pages: &[Page],
        own: usize,
        nav: &mut Vec<NavItem>,
        listed: &mut Vec<usize>,
    ) {
        if data.get::<Terms>().is_none() {
            return;
        }
        // The generated page follows the book's own pages.
        if let Some(i) = (own..pages.len()).find(|&i| pages[i].output == "glossary.html") {
            nav.push(NavItem::leaf(pages, i));
            listed.push(i);
        }
    }

    fn directives(
        &self,
        book: &labbook::content::Book,
        _site: &Arc<SiteIndex>,
        _theme: &Arc<labbook::render::Theme>,
        directives: &mut Directives,
    ) {
        if let Some(terms) = book.data::<Terms>() {
            directives.register(Arc::new(GlossaryList(terms.0.clone())));
        }
    }
}

/// The `glossary` directive: every term as a section, reported as headings and records.
struct GlossaryList(Vec<(String, String)>);

impl Directive for GlossaryList {
    fn name(&self) -> &'static str {
        "glossary"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        self.render_output(body, ctx).map(|o| o.html).map_err(|mut e| e.remove(0))
    }

    fn render_output(&self, _body: &str, _ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let mut out = DirectiveOutput::default();
        for (term, definition) in &self.0 {
            let id = labbook::markdown::slug(term);
            let (term_html, definition_html) =
                (labbook::escape::escape_html(term), labbook::escape::escape_html(definition));
            out.html.push_str(&format!("<h2 id=\"{id}\">{term_html}</h2>\n<p>{definition_html}</p>\n"));
            out.headings.push(Heading { level: 2, id: id.clone(), html: term_html.clone(), text: term.clone() });
            out.records.push(DirectiveRecord {
                kind: "glossary".into(),
                key: id.clone(),
                anchor: id,
                title: term.clone(),
                html: format!("<p>{definition_html}</p>"),
                page_only: false,
            });
        }
        Ok(out)
    }
}

fn with_glossary() -> Features {
    labbook::features::builtin().with(Arc::new(Glossary))
}

fn build(root: PathBuf, out: PathBuf) -> anyhow::Result<pipeline::BuildReport> {
    pipeline::build(&BuildOptions {
        root,
        out,
        minify: false,
        cache: false,
        features: with_glossary(),
        strict: false,
        edition: None,
    })
}

/// Every file of the search index, as one text.
fn search_text(site: &std::path::Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(site.join("search")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    text
}

#[test]
fn a_feature_outside_the_core_adds_a_page_records_and_checked_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let report = build(fixture("plugin-glossary"), out.clone()).expect("the book builds with the glossary feature");
    assert_eq!(report.pages, 2, "the lesson and the generated glossary page");

    // The page: rendered in the theme's layout, listed in the navigation.
    let page = std::fs::read_to_string(out.join("glossary.html")).unwrap();
    assert!(page.contains("<title>Words of the course · Glossary plug-in</title>"), "{page}");
    assert!(page.contains("<h2 id=\"softmax\">Softmax</h2>"), "{page}");
    assert!(page.contains("<h2 id=\"cross-entropy\">Cross-entropy</h2>"), "{page}");
    assert!(page.contains("href=\"#cross-entropy\""), "the terms are in the page's own contents: {page}");
    let toc = std::fs::read_to_string(out.join("toc.html")).unwrap();
    assert!(toc.contains("glossary.html"), "{toc}");

    // The records: one per term, of the feature's own kind, at the term's anchor.
    let search = search_text(&out);
    assert!(search.contains("\"kind\":\"glossary\""), "no glossary record in the index");
    assert!(search.contains("\"url\":\"glossary.html#softmax\""), "the softmax record links to its anchor");
    assert!(search.contains("\"glossary\":2"), "two records of kind glossary in the filter counts");

    // The lesson's links into the generated page went through the link check and resolve.
    let lesson = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(lesson.contains("href=\"glossary.html#softmax\""), "{lesson}");
}

#[test]
fn the_core_link_check_covers_the_features_page() {
    let book = copy_fixture("plugin-glossary");
    let index = book.path().join("content/index.md");
    std::fs::write(&index, "# Lesson\n\nSee the [logits](glossary.md#logits).\n").unwrap();
    let err = build(book.path().to_path_buf(), book.path().join("site")).unwrap_err();
    let diagnostics = err.downcast_ref::<Diagnostics>().expect("source problems come back as diagnostics");
    assert_eq!(diagnostics.0.len(), 1, "{diagnostics}");
    let d = &diagnostics.0[0];
    assert_eq!((d.file.to_str(), d.line), (Some("content/index.md"), 3), "{d}");
    assert!(d.message.contains("broken anchor `glossary.md#logits`"), "{d}");
}

#[test]
fn the_features_section_is_strict_and_known() {
    let book = copy_fixture("plugin-glossary");
    let config = book.path().join("book.yaml");
    std::fs::write(&config, "title: T\nglossary:\n  terms: terms.yaml\n  titel: Words\n").unwrap();
    let err = build(book.path().to_path_buf(), book.path().join("site")).unwrap_err();
    let d = &err.downcast_ref::<Diagnostics>().expect("diagnostics").0[0];
    assert_eq!((d.line, d.column), (4, 3), "{d}");
    assert!(d.message.contains("unknown field `titel`"), "{d}");

    // Without the feature, its section is an unknown key, and the message names the keys
    // the core and the built-in features know.
    std::fs::write(&config, "title: T\nglossary:\n  terms: terms.yaml\n  title: Words\n").unwrap();
    let err = pipeline::build(&BuildOptions {
        root: book.path().to_path_buf(),
        out: book.path().join("site"),
        minify: false,
        cache: false,
        features: labbook::features::builtin(),
        strict: false,
        edition: None,
    })
    .unwrap_err();
    let d = &err.downcast_ref::<Diagnostics>().expect("diagnostics").0[0];
    assert_eq!((d.line, d.column), (2, 1), "{d}");
    assert!(d.message.contains("unknown field `glossary`, expected one of `title`"), "{d}");
    assert!(d.message.contains("`api`, `exercises`, `runtimes`"), "the features' keys are listed: {d}");
}
