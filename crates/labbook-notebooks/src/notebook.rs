//! Reading a `.ipynb` file (nbformat 4) into typed cells, with located errors: bad JSON, an
//! unknown nbformat major version and a missing required field name file:line:column.

use std::path::Path;

use labbook_core::content::FrontMatter;
use labbook_core::diagnostic::Diagnostic;
use serde::Deserialize;

/// A multi-line string as nbformat stores it: one string, or a list of lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a string or a list of strings")]
        enum Raw {
            One(String),
            Lines(Vec<String>),
        }
        Ok(Text(match Raw::deserialize(d)? {
            Raw::One(s) => s,
            Raw::Lines(lines) => lines.concat(),
        }))
    }
}

/// Only the version keys, read first so that another major version gets its own message
/// rather than a missing-field error of nbformat 4's shape.
#[derive(Deserialize)]
struct Version {
    nbformat: u64,
}

/// A notebook, nbformat 4.
#[derive(Debug, Deserialize)]
pub struct Notebook {
    /// Kernel and language, title, labbook's front matter.
    pub metadata: NotebookMeta,
    /// The cells in order.
    #[serde(deserialize_with = "numbered_cells")]
    pub cells: Vec<Cell>,
    /// Required by nbformat; any 4.x minor version reads the same here.
    #[serde(rename = "nbformat_minor")]
    _nbformat_minor: u64,
}

/// The notebook-level metadata labbook uses.
#[derive(Debug, Default, Deserialize)]
pub struct NotebookMeta {
    /// The kernel that ran it.
    #[serde(default)]
    pub kernelspec: Option<KernelSpec>,
    /// The kernel's language.
    #[serde(default)]
    pub language_info: Option<LanguageInfo>,
    /// nbformat's own title field.
    #[serde(default)]
    pub title: Option<String>,
    /// A page's front matter (title, description, tags, draft, weight), as in a `.md` page.
    #[serde(default)]
    pub labbook: Option<FrontMatter>,
}

/// `metadata.kernelspec`.
#[derive(Debug, Default, Deserialize)]
pub struct KernelSpec {
    /// `python`, `r`, `julia`...
    #[serde(default)]
    pub language: Option<String>,
    /// `Python 3`.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `metadata.language_info`.
#[derive(Debug, Default, Deserialize)]
pub struct LanguageInfo {
    /// `python`.
    #[serde(default)]
    pub name: Option<String>,
}

/// One cell.
#[derive(Debug, Deserialize)]
#[serde(tag = "cell_type", rename_all = "lowercase")]
pub enum Cell {
    /// Prose.
    Markdown {
        /// Its Markdown.
        source: Text,
        /// Tags.
        #[serde(default)]
        metadata: CellMeta,
        /// Files pasted into the cell, referred to as `attachment:<name>`: name -> MIME type
        /// -> base64 data.
        #[serde(default)]
        attachments: std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    },
    /// Code and what running it showed.
    Code {
        /// The code.
        source: Text,
        /// Tags.
        #[serde(default)]
        metadata: CellMeta,
        /// Its outputs.
        #[serde(deserialize_with = "numbered_outputs")]
        outputs: Vec<Output>,
    },
    /// Raw text for nbconvert; not shown on a page (Jupyter Book does the same).
    Raw {
        /// The text.
        #[allow(dead_code)]
        source: Text,
    },
}

/// A cell's metadata: Jupyter Book's tags and Jupyter's own hidden flags.
#[derive(Debug, Default, Deserialize)]
pub struct CellMeta {
    /// `hide-input`, `remove-cell`...
    #[serde(default)]
    pub tags: Vec<String>,
    /// `jupyter.source_hidden` / `jupyter.outputs_hidden`.
    #[serde(default)]
    pub jupyter: JupyterMeta,
}

/// `metadata.jupyter` of a cell.
#[derive(Debug, Default, Deserialize)]
pub struct JupyterMeta {
    /// The input is collapsed in Jupyter.
    #[serde(default)]
    pub source_hidden: bool,
    /// The outputs are collapsed in Jupyter.
    #[serde(default)]
    pub outputs_hidden: bool,
}

impl CellMeta {
    /// Whether the cell carries Jupyter Book tag `tag`.
    pub fn has(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

/// One output of a code cell.
#[derive(Debug, Deserialize)]
#[serde(tag = "output_type", rename_all = "snake_case")]
pub enum Output {
    /// Text the code printed.
    Stream {
        /// `stdout` or `stderr`.
        name: String,
        /// The text, with ANSI escapes.
        text: Text,
    },
    /// A rich display (`display(...)`).
    DisplayData {
        /// Representations by MIME type.
        data: serde_json::Map<String, serde_json::Value>,
    },
    /// The value of the cell's last expression.
    ExecuteResult {
        /// Representations by MIME type.
        data: serde_json::Map<String, serde_json::Value>,
    },
    /// An exception.
    Error {
        /// Exception name.
        ename: String,
        /// Exception value.
        evalue: String,
        /// Traceback lines, with ANSI escapes.
        traceback: Vec<String>,
    },
}

fn numbered_cells<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Cell>, D::Error> {
    d.deserialize_seq(Numbered("cell", std::marker::PhantomData))
}

fn numbered_outputs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Output>, D::Error> {
    d.deserialize_seq(Numbered("output", std::marker::PhantomData))
}

/// A list whose element errors say which element (`cell 3: missing field `source``): serde_json
/// places an error inside a list where the list's element ends, so the number is what finds it.
struct Numbered<T>(&'static str, std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Numbered<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a list of {}s", self.0)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::new();
        loop {
            match seq.next_element::<T>() {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(items),
                Err(e) => {
                    let message = e.to_string();
                    // An inner list already numbered its element: keep the outer number first.
                    let message = message.split(" at line ").next().unwrap_or_default().to_string();
                    return Err(serde::de::Error::custom(format!("{} {}: {message}", self.0, items.len() + 1)));
                }
            }
        }
    }
}

/// Parses `text`, a notebook file shown as `display` in messages.
pub fn parse(display: &Path, text: &str) -> Result<Notebook, Diagnostic> {
    let located = |e: serde_json::Error, what: &str| {
        let message = e.to_string();
        // serde_json ends its messages with " at line L column C"; the diagnostic says where.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        Diagnostic::new(display, e.line().max(1), e.column().max(1), format!("{what}: {message}"))
    };
    let version: Version =
        serde_json::from_str(text).map_err(|e| located(e, "not a Jupyter notebook (expected nbformat JSON)"))?;
    if version.nbformat != 4 {
        let offset = text.rfind("\"nbformat\"").unwrap_or(0);
        return Err(Diagnostic::at_offset(
            display,
            text,
            offset,
            1,
            format!(
                "nbformat {} is not supported: expected a version 4 notebook (convert it with `jupyter nbconvert --to notebook --nbformat 4`)",
                version.nbformat
            ),
        ));
    }
    serde_json::from_str(text).map_err(|e| located(e, "not a valid nbformat 4 notebook"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        parse(Path::new("content/nb.ipynb"), text).unwrap_err()
    }

    #[test]
    fn reads_cells_outputs_and_multiline_strings() {
        let nb = parse(
            Path::new("nb.ipynb"),
            r##"{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"language": "python"}},
               "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# T\n", "x"]},
                         {"cell_type": "code", "metadata": {"tags": ["hide-input"]}, "source": "1", "execution_count": 1,
                          "outputs": [{"output_type": "stream", "name": "stdout", "text": ["a\n", "b"]}]}]}"##,
        )
        .unwrap();
        assert_eq!(nb.cells.len(), 2);
        match &nb.cells[0] {
            Cell::Markdown { source, .. } => assert_eq!(source.0, "# T\nx"),
            other => panic!("{other:?}"),
        }
        match &nb.cells[1] {
            Cell::Code { metadata, outputs, .. } => {
                assert!(metadata.has("hide-input"));
                assert!(matches!(&outputs[0], Output::Stream { text, .. } if text.0 == "a\nb"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_json_is_located() {
        let e = err("{\n  \"nbformat\": 4,\n  \"cells\": [,]\n}");
        assert_eq!((e.line, e.column), (3, 13), "{e}");
        assert!(e.message.starts_with("not a Jupyter notebook"), "{e}");
    }

    #[test]
    fn another_major_version_is_named_at_its_key() {
        let e = err("{\n \"worksheets\": [],\n \"metadata\": {},\n \"nbformat\": 3,\n \"nbformat_minor\": 0\n}");
        assert_eq!((e.line, e.column), (4, 2), "{e}");
        assert!(e.message.contains("nbformat 3 is not supported: expected a version 4"), "{e}");
    }

    #[test]
    fn a_missing_field_names_its_cell_and_output() {
        let e = err("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {},\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": \"x\", \"metadata\": {}}\n ]\n}");
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("cell 1: missing field `outputs`"), "{e}");
        let e = err("{\"nbformat\": 4, \"metadata\": {}, \"nbformat_minor\": 5}");
        assert!(e.message.contains("missing field `cells`"), "{e}");
        let e = err("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {},\n \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [\n {\"output_type\": \"error\", \"ename\": \"E\"}]}]}");
        assert!(e.message.contains("cell 1: output 1: missing field `evalue`"), "{e}");
        assert_eq!(e.line, 3, "{e}");
        let e = err("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {},\n \"cells\": [{\"cell_type\": \"python\", \"source\": \"\"}]}");
        assert!(
            e.message.contains("cell 1: unknown variant `python`, expected one of `markdown`, `code`, `raw`"),
            "{e}"
        );
    }
}
