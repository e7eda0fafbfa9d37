//! LaTeX math to MathML, at build time.
//!
//! Pages carry `<math>` elements that browsers render natively, so no math script runs in
//! the reader's browser. The LaTeX subset is the one `pulldown-latex` understands.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, ParserError, RenderConfig, Storage};

/// Renders `tex` (without its `$` delimiters) as a `<math>` element.
///
/// `display` selects display math (`<math display="block">`, for `$$…$$`) over inline math.
/// A LaTeX error gives `Err` with what the parser expected, e.g. ``unbalanced group found,
/// expected it to be closed with `}` ``; the caller adds the file and line.
pub fn render_math(tex: &str, display: bool) -> Result<String, String> {
    // The parser and renderer are not known to panic, but they are young and the input is
    // whatever an author typed: a panic must become an error on that page, not a dead build.
    catch_unwind(AssertUnwindSafe(|| render(tex, display)))
        .unwrap_or_else(|_| Err("the LaTeX renderer failed on this formula (an internal error)".to_string()))
}

fn render(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    // Parse everything first: the renderer would turn an error into a red `<merror>` and
    // carry on, and a broken formula should fail the build instead.
    let events =
        Parser::new(tex, &storage).collect::<Result<Vec<_>, ParserError>>().map_err(|error| describe(&error))?;
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        ..RenderConfig::default()
    };
    let mut mathml = String::with_capacity(tex.len() * 8 + 64);
    push_mathml(&mut mathml, events.into_iter().map(Ok::<_, ParserError>), config)
        .map_err(|error| format!("cannot write MathML: {error}"))?;
    // pulldown-latex pins big operators' limits above and below (`movablelimits="false"`),
    // which crowds sums inside fractions; the browser's default places them like TeX does.
    Ok(mathml.replace(" movablelimits=\"false\"", ""))
}

/// The parser's one-line reason (its `Display` adds a multi-line ASCII-art context).
fn describe(error: &ParserError) -> String {
    use std::error::Error as _;
    match error.source() {
        Some(kind) => kind.to_string(),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(tex: &str) -> String {
        render_math(tex, false).unwrap_or_else(|e| panic!("{tex}: {e}"))
    }

    #[test]
    fn display_math_is_a_block() {
        let html = render_math("x^2", true).unwrap();
        assert!(html.starts_with("<math display=\"block\">"), "{html}");
        assert!(html.ends_with("</math>"), "{html}");
        assert!(html.contains("<msup>"), "{html}");
        let html = inline("x^2");
        assert!(html.starts_with("<math"), "{html}");
        assert!(!html.contains("display=\"block\""), "{html}");
    }

    #[test]
    fn fractions() {
        let html = inline(r"\frac{1}{n}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(html.contains("<mn>1</mn>"), "{html}");
    }

    #[test]
    fn sums_with_limits() {
        let html = render_math(r"\sum_{i=1}^{n} x_i^2", true).unwrap();
        assert!(html.contains("<munderover>"), "{html}");
        assert!(html.contains('∑'), "{html}");
    }

    #[test]
    fn matrices() {
        let html = render_math(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", true).unwrap();
        assert!(html.contains("<mtable"), "{html}");
        assert_eq!(html.matches("<mtr").count(), 2, "{html}");
        assert_eq!(html.matches("<mtd").count(), 4, "{html}");
        assert!(html.contains('('), "{html}");
    }

    #[test]
    fn blackboard_bold_and_hats() {
        let html = inline(r"x \in \mathbb{R}^n");
        assert!(html.contains('ℝ'), "{html}");
        let html = inline(r"\hat{y} = \mathbf{w} \cdot \mathbf{x}");
        assert!(html.contains("<mover"), "{html}");
        assert!(html.contains('^') || html.contains('\u{302}'), "{html}");
    }

    #[test]
    fn common_course_notation() {
        for tex in [
            r"\sqrt{x^2 + y^2}",
            r"\log p(y \mid x) \le 0",
            r"\exp(-\lambda t)",
            r"\nabla_\theta L = \frac{\partial L}{\partial \theta}",
            r"\text{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
            r"\alpha, \beta, \Sigma",
        ] {
            inline(tex);
        }
    }

    #[test]
    fn errors_say_what_was_expected() {
        let error = render_math(r"\frac{1}{", false).unwrap_err();
        assert!(error.contains("expected"), "{error}");
        assert!(!error.contains('\n'), "{error}");
        assert!(render_math(r"a^b^c", false).is_err());
        assert!(render_math(r"\begin{nosuchenv} x \end{nosuchenv}", true).is_err());
    }

    #[test]
    fn odd_input_does_not_panic() {
        for tex in ["", "}", "{", r"\", "$", "#", r"\begin{pmatrix}", r"\end{pmatrix}", "\\symit\\\0D", r"\def\a{\a}\a"]
        {
            let _ = render_math(tex, false);
            let _ = render_math(tex, true);
        }
    }
}
