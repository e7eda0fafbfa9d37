//! The `quiz` directive: a multiple-choice question checked in the page.
//!
//! The HTML works without JavaScript (a `<details>` reveals the answer); the theme's script
//! adds the Check button's behaviour.

use serde::Deserialize;

use super::directive::{parse_body, Directive, DirectiveContext, DirectiveOutput, ProgressItem};
use crate::diagnostic::Diagnostic;

/// The `quiz` directive, with the words its HTML carries (the Check button, which the
/// theme's script also labels, and "Show answer" for readers without JavaScript).
pub struct Quiz {
    check: String,
    show_answer: String,
}

impl Default for Quiz {
    /// The quiz in English.
    fn default() -> Quiz {
        Quiz { check: "Check".into(), show_answer: "Show answer".into() }
    }
}

impl Quiz {
    /// The quiz speaking the theme's words (`quiz_check`, `quiz_show_answer`), English for
    /// any word they lack.
    pub fn with_words(words: &std::collections::BTreeMap<String, String>) -> Quiz {
        let english = Quiz::default();
        Quiz {
            check: words.get("quiz_check").cloned().unwrap_or(english.check),
            show_answer: words.get("quiz_show_answer").cloned().unwrap_or(english.show_answer),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct QuizSpec {
    /// Absent when the heading above the quiz asks the question (doc-builder's quizzes).
    #[serde(default)]
    question: String,
    #[serde(default)]
    multiple: bool,
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Choice {
    text: String,
    #[serde(default)]
    correct: bool,
    #[serde(default)]
    explain: Option<String>,
}

impl Directive for Quiz {
    fn name(&self) -> &'static str {
        "quiz"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        self.quiz(body, ctx).map(|(html, _)| html)
    }

    /// Its words come from the theme: a changed `i18n/` file changes its HTML.
    fn uses_theme(&self) -> bool {
        true
    }

    /// The HTML, and the quiz's id for links to it and as something a reader can complete.
    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let (html, id) = self.quiz(body, ctx).map_err(|e| vec![e])?;
        let progress = vec![ProgressItem { kind: "quiz".into(), id: id.clone() }];
        Ok(DirectiveOutput { html, ids: vec![id], progress, ..Default::default() })
    }
}

impl Quiz {
    /// The quiz's HTML and id.
    fn quiz(&self, body: &str, ctx: &DirectiveContext) -> Result<(String, String), Diagnostic> {
        let spec: QuizSpec = parse_body(body, ctx, "quiz")?;
        let at =
            |message: &str| Diagnostic::new(ctx.display, ctx.fence_line, 1, format!("in the `quiz` block: {message}"));
        if spec.choices.len() < 2 {
            return Err(at("a quiz needs at least two `choices`"));
        }
        let correct = spec.choices.iter().filter(|c| c.correct).count();
        if correct == 0 {
            return Err(at("no choice has `correct: true`"));
        }
        if correct > 1 && !spec.multiple {
            return Err(at("several choices are correct; add `multiple: true` to let students pick more than one"));
        }
        // Unique across the site, so quizzes stay separate when print.html joins every page.
        let id = format!("quiz-{}-{}", super::slug(ctx.output.trim_end_matches(".html")), ctx.ordinal);
        let kind = if spec.multiple { "checkbox" } else { "radio" };
        let question = if spec.question.trim().is_empty() {
            String::new()
        } else {
            format!("<div class=\"quiz-question\">{}</div>\n", inline_markdown(&spec.question))
        };
        let mut html = format!(
            "<div class=\"quiz\" id=\"{id}\" data-multiple=\"{}\">\n{question}<ol class=\"quiz-choices\">\n",
            spec.multiple,
        );
        let mut answer = String::new();
        for (i, choice) in spec.choices.iter().enumerate() {
            let text = inline_markdown(&choice.text);
            let explain = choice.explain.as_deref().map(inline_markdown).unwrap_or_default();
            // Browsers give MathML no accessible name yet: maths in a choice is named by its
            // readable text (`1/n ∑_i x_i`), so a choice made only of maths has a label.
            let text = if text.contains("<math") { super::math_text::label_math(&text) } else { text };
            html.push_str(&format!(
                "<li class=\"quiz-choice\" data-correct=\"{}\"><label><input type=\"{kind}\" name=\"{id}\" value=\"{i}\"> <span>{text}</span></label>",
                choice.correct
            ));
            if !explain.is_empty() {
                html.push_str(&format!("<div class=\"quiz-explain\" hidden>{explain}</div>"));
            }
            html.push_str("</li>\n");
            if choice.correct {
                answer.push_str(&format!(
                    "<li>{text}{}</li>",
                    if explain.is_empty() { String::new() } else { format!(" — {explain}") }
                ));
            }
        }
        html.push_str(&format!(
            "</ol>\n<button type=\"button\" class=\"quiz-check\">{check}</button>\n<p class=\"quiz-result\" role=\"status\" aria-live=\"polite\"></p>\n<noscript><details class=\"quiz-answer\"><summary>{show}</summary><ul>{answer}</ul></details></noscript>\n</div>\n",
            check = crate::escape::escape_html(&self.check),
            show = crate::escape::escape_html(&self.show_answer),
        ));
        Ok((html, id))
    }
}

/// Renders a short Markdown string (code spans, emphasis, math) without a wrapping paragraph.
fn inline_markdown(text: &str) -> String {
    let mut html = String::new();
    let events = pulldown_cmark::Parser::new_ext(text, super::options()).map(|e| match e {
        pulldown_cmark::Event::InlineMath(tex) | pulldown_cmark::Event::DisplayMath(tex) => {
            let display = false;
            match super::math::render_math(&tex, display) {
                Ok(m) => pulldown_cmark::Event::InlineHtml(m.into()),
                Err(_) => pulldown_cmark::Event::Code(tex),
            }
        }
        other => other,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    let trimmed = html.trim();
    let inner = trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")).unwrap_or(trimmed);
    inner.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn ctx() -> DirectiveContext<'static> {
        DirectiveContext {
            display: Path::new("content/a.md"),
            fence_line: 9,
            body_line: 10,
            output: "a.html",
            ordinal: 2,
        }
    }

    #[test]
    fn renders_choices_and_noscript_answer() {
        let html = Quiz::default()
            .render(
                "question: Pick `x`\nchoices:\n  - text: yes\n    correct: true\n    explain: right\n  - text: no\n",
                &ctx(),
            )
            .unwrap();
        assert!(html.contains("id=\"quiz-a-2\""), "{html}");
        assert!(html.contains("<code>x</code>"));
        assert!(html.contains("type=\"radio\""));
        assert!(html.contains("data-correct=\"true\""));
        assert!(html.contains("<li>yes — right</li>"));
    }

    #[test]
    fn errors_are_positioned_in_the_page() {
        let e = Quiz::default().render("question: Q\nchoicez: []\n", &ctx()).unwrap_err();
        assert_eq!(e.line, 11, "{e}");
        assert!(e.message.contains("unknown field `choicez`"), "{e}");
        let e = Quiz::default().render("question: Q\nchoices:\n  - text: a\n  - text: b\n", &ctx()).unwrap_err();
        assert!(e.message.contains("correct"), "{e}");
    }
}
