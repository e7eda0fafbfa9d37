//! MathML to readable linear text: `∂L/∂w = 2/n ∑_i e_i x_i` instead of the flattened
//! tokens "∂ L ∂ w = 2 n ∑ i e i x i". Search excerpts show it, and [`label_math`] gives it
//! to formulas as their accessible name where a browser would find none.
//!
//! The input is the `<math>` element the Markdown stage wrote (well-formed, lowercase tags);
//! anything unexpected degrades to the text of the element's leaves.

use std::borrow::Cow;

use crate::search::text::decode_entities;

/// One MathML element or text, borrowed from the input where it can be (search reads every
/// formula of a book).
#[derive(Debug)]
enum Node<'a> {
    Element { name: Cow<'a, str>, accent: bool, children: Vec<Node<'a>> },
    Text(Cow<'a, str>),
}

/// The readable text of a `<math>…</math>` element (its closing tag may be missing).
pub fn linear(mathml: &str) -> String {
    let mut parser = Parser { rest: mathml };
    let nodes = parser.children(None);
    let mut out = String::new();
    for node in &nodes {
        write(node, &mut out);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds `aria-label="<linear text>"` to every `<math>` element of `html` that has none.
/// Browsers do not yet give MathML an accessible name, so a quiz choice or a table header
/// made only of maths would otherwise be announced as empty.
pub fn label_math(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find("<math") {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else { break };
        let end = rest.find("</math>").map_or(rest.len(), |e| e + "</math>".len());
        let tag = &rest[..open_end];
        if tag.contains(" aria-label=") || end <= open_end {
            out.push_str(&rest[..end]);
        } else {
            let label = crate::escape::escape_html(&linear(&rest[..end]));
            out.push_str(tag.trim_end_matches('/'));
            out.push_str(&format!(" aria-label=\"{label}\""));
            out.push_str(&rest[tag.trim_end_matches('/').len()..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

struct Parser<'a> {
    rest: &'a str,
}

impl<'a> Parser<'a> {
    /// Nodes up to the closing tag of `parent` (consumed) or the end of the input.
    fn children(&mut self, parent: Option<&str>) -> Vec<Node<'a>> {
        let mut nodes = Vec::new();
        while !self.rest.is_empty() {
            let Some(lt) = memchr::memchr(b'<', self.rest.as_bytes()) else {
                nodes.push(Node::Text(decode_entities(self.rest)));
                self.rest = "";
                break;
            };
            if lt > 0 {
                nodes.push(Node::Text(decode_entities(&self.rest[..lt])));
            }
            self.rest = &self.rest[lt..];
            let Some(gt) = memchr::memchr(b'>', self.rest.as_bytes()) else {
                self.rest = "";
                break;
            };
            let tag = &self.rest[1..gt];
            self.rest = &self.rest[gt + 1..];
            if let Some(closing) = tag.strip_prefix('/') {
                if parent.is_none_or(|p| p == closing.trim()) {
                    break;
                }
                continue;
            }
            let name_end = tag.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(tag.len());
            let name = &tag[..name_end];
            let name: Cow<str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                name.to_ascii_lowercase().into()
            } else {
                name.into()
            };
            // Most of a formula's tags are too short to hold it.
            const ACCENT: &str = "accent=\"true\"";
            let accent = tag.len() >= ACCENT.len() && tag.contains(ACCENT);
            let children = if tag.ends_with('/') { Vec::new() } else { self.children(Some(&name)) };
            nodes.push(Node::Element { name, accent, children });
        }
        nodes
    }
}

/// Operators written with a space on each side.
const SPACED: &[&str] = &["=", "+", "−", "-", "<", ">", "≤", "≥", "≈", "≠", "→", "←", "⇒", "∈", "×", "±", "≡", "∝"];

fn write(node: &Node, out: &mut String) {
    let (name, accent, children) = match node {
        Node::Text(t) => {
            out.push_str(t);
            return;
        }
        Node::Element { name, accent, children } => (name.as_ref(), *accent, children),
    };
    // The children that are not blank text, walked only by the elements that need them.
    let elements = || children.iter().filter(|c| !matches!(c, Node::Text(t) if t.trim().is_empty()));
    let part = |i: usize| elements().nth(i).map(text_of).unwrap_or_default();
    match name {
        "annotation" | "annotation-xml" | "mphantom" | "none" | "mprescripts" => {}
        "semantics" => {
            if let Some(first) = elements().next() {
                write(first, out);
            }
        }
        "mo" => {
            let op: String = children.iter().map(text_of).collect();
            if SPACED.contains(&op.trim()) {
                out.push(' ');
                out.push_str(op.trim());
                out.push(' ');
            } else if op.trim() == "," || op.trim() == ";" {
                out.push_str(op.trim());
                out.push(' ');
            } else {
                out.push_str(op.trim());
            }
        }
        "mspace" => out.push(' '),
        "mfrac" => {
            out.push_str(&grouped(&part(0)));
            out.push('/');
            out.push_str(&grouped(&part(1)));
        }
        "msqrt" => {
            out.push('√');
            let inner: String = elements().map(text_of).collect();
            out.push_str(&grouped(&inner));
        }
        "mroot" => {
            out.push_str(&format!("root{}({})", grouped(&part(1)), part(0).trim()));
        }
        "msub" | "munder" => {
            out.push_str(&part(0));
            out.push('_');
            out.push_str(&grouped(&part(1)));
        }
        "msup" => {
            out.push_str(&part(0));
            out.push('^');
            out.push_str(&grouped(&part(1)));
        }
        "mover" if accent => {
            // x̄, ŷ: the base, then the accent.
            out.push_str(&part(0));
            out.push_str(part(1).trim());
        }
        "mover" => {
            out.push_str(&part(0));
            out.push('^');
            out.push_str(&grouped(&part(1)));
        }
        "msubsup" | "munderover" => {
            out.push_str(&part(0));
            out.push('_');
            out.push_str(&grouped(&part(1)));
            out.push('^');
            out.push_str(&grouped(&part(2)));
        }
        "mtable" => {
            let rows: Vec<String> = elements().map(|r| text_of(r).trim().to_string()).collect();
            out.push_str(&format!("[{}]", rows.join("; ")));
        }
        "mtr" | "mlabeledtr" => {
            let cells: Vec<String> = elements().map(|c| text_of(c).trim().to_string()).collect();
            out.push_str(&cells.join(", "));
        }
        _ => {
            // Neighbours that are not single tokens (`e_i x_i`, `2/n ∑_i`) are kept apart.
            let mut previous_compound = false;
            for child in children {
                let compound = matches!(child, Node::Element { name, .. } if COMPOUND.contains(&name.as_ref()));
                if (compound || previous_compound) && !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
                write(child, out);
                previous_compound = compound;
            }
        }
    }
}

/// Elements written as more than one token, kept apart from their neighbours by a space.
const COMPOUND: &[&str] =
    &["mfrac", "msub", "msup", "msubsup", "munder", "mover", "munderover", "msqrt", "mroot", "mtable"];

fn text_of(node: &Node) -> String {
    let mut out = String::new();
    write(node, &mut out);
    out
}

/// `x` stays `x`; `n+1` becomes `(n+1)`: a script or a fraction's part of more than one token.
fn grouped(text: &str) -> String {
    let t = text.trim();
    // Operators are written with spaces around them, so a part without spaces is one term.
    let simple = !t.contains(' ') || (t.starts_with('(') && t.ends_with(')') && !t[1..].contains('('));
    if simple {
        t.to_string()
    } else {
        format!("({t})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tex(source: &str) -> String {
        linear(&crate::markdown::math::render_math(source, false).unwrap())
    }

    #[test]
    fn maths_gets_its_text_as_label() {
        let html = format!("<th>{}</th>", crate::markdown::math::render_math(r"z_k", false).unwrap());
        let labelled = label_math(&html);
        assert!(
            labelled.starts_with("<th><math aria-label=\"z_k\"") || labelled.contains(" aria-label=\"z_k\">"),
            "{labelled}"
        );
        assert_eq!(label_math(&labelled), labelled, "labelled once");
    }

    #[test]
    fn formulas_read_like_their_tex() {
        assert_eq!(tex(r"\frac{\partial L}{\partial w} = \frac{2}{n} \sum_{i} e_i x_i"), "∂L/∂w = 2/n ∑_i e_i x_i");
        assert_eq!(tex(r"x^{n+1} + \sqrt{2}"), "x^(n + 1) + √2");
        assert_eq!(tex(r"\sum_{i=1}^{n} x_i^2"), "∑_(i = 1)^n x_i^2");
        assert_eq!(tex(r"p - y"), "p − y");
    }
}
