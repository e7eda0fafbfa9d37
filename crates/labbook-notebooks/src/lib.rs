//! labbook's notebooks feature: a Jupyter notebook (`.ipynb`, nbformat 4) in the content
//! folder is a page. It reads as Markdown (`page`: markdown cells as written, code cells as
//! fenced blocks in the kernel's language, outputs as HTML), so it goes through the one
//! transform, link check, theme, toc and search index like a `.md` page. Large images become
//! files beside the page. `notebook` is the directive that ends such a page: it names the
//! kernel and asks for `notebook.css`.

mod ansi;
mod notebook;
mod page;

use std::path::Path;
use std::sync::Arc;

use labbook_core::content::Book;
use labbook_core::diagnostic::Diagnostic;
use labbook_core::escape::escape_html;
use labbook_core::feature::{Feature, PageSource, ThemeFiles};
use labbook_core::markdown::directive::{parse_body, Directive, DirectiveContext, DirectiveOutput};
use labbook_core::markdown::{Directives, SiteIndex};
use labbook_core::render::Theme;

pub use page::INLINE_LIMIT;

/// The notebooks feature.
pub struct NotebooksFeature;

impl Feature for NotebooksFeature {
    fn name(&self) -> &'static str {
        "notebooks"
    }

    fn reads_page(&self, _config: &labbook_core::config::BookConfig, rel: &Path) -> bool {
        rel.extension().is_some_and(|e| e == "ipynb")
    }

    fn read_page(&self, rel: &Path, display: &Path, text: &str) -> Result<PageSource, Diagnostic> {
        let nb = notebook::parse(display, text)?;
        Ok(page::to_page(&nb, &labbook_core::content::output_path(rel)))
    }

    fn directives(&self, _book: &Book, _site: &Arc<SiteIndex>, _theme: &Arc<Theme>, directives: &mut Directives) {
        directives.register(Arc::new(NotebookDirective));
    }

    fn theme(&self) -> ThemeFiles {
        ThemeFiles { templates: Vec::new(), statics: vec![("notebook.css", include_bytes!("../theme/notebook.css"))] }
    }
}

/// The note that ends a notebook page (its kernel); it brings the outputs' style sheet.
struct NotebookDirective;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NotebookNote {
    kernel: String,
}

impl Directive for NotebookDirective {
    fn name(&self) -> &'static str {
        "notebook"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        let note: NotebookNote = parse_body(body, ctx, "notebook")?;
        Ok(format!(
            "<p class=\"nb-kernel\">This page is a Jupyter notebook (kernel: {}).</p>\n",
            escape_html(&note.kernel)
        ))
    }

    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let html = self.render(body, ctx).map_err(|e| vec![e])?;
        Ok(DirectiveOutput { html, styles: vec!["notebook.css".to_string()], ..Default::default() })
    }
}
