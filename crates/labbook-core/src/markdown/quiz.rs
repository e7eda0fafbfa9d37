//! The `quiz` directive: a multiple-choice question checked in the page.
//!
//! The HTML works without JavaScript (a `<details>` reveals the answer); the theme's script
//! adds the Check button's behaviour.
//!
//! In the student edition the page carries no answer: no `data-correct`, no explanation and
//! no `<details>`. The reader's choice is saved ("Save answer") and handed in; the answer key
//! goes to the grader as data ([`ProgressItem::key`]), never into the page.

use serde::Deserialize;

use super::directive::{parse_body, Directive, DirectiveContext, DirectiveOutput, ProgressItem, QuizChoice, QuizKey};
use crate::config::Edition;
use crate::diagnostic::Diagnostic;

/// The `quiz` directive: the edition whose pages it writes (the student edition's carry no
/// answer) and the words its HTML carries (the Check button, which the theme's script also
/// labels, and "Show answer" for readers without JavaScript).
pub struct Quiz {
    /// Whose pages it writes: the student edition's carry no answer.
    pub edition: Edition,
    check: String,
    show_answer: String,
    save_answer: String,
    handin_note: String,
}

impl Default for Quiz {
    /// The self-study quiz in English.
    fn default() -> Quiz {
        Quiz {
            edition: Edition::SelfStudy,
            check: "Check".into(),
            show_answer: "Show answer".into(),
            save_answer: "Save answer".into(),
            handin_note: "Your answer is handed in with your work and graded then.".into(),
        }
    }
}

impl Quiz {
    /// The quiz speaking the theme's words (`quiz_check`, `quiz_show_answer`, and the student
    /// edition's `quiz_save_answer`, `quiz_handin_note`), English for any word they lack.
    pub fn with_words(words: &std::collections::BTreeMap<String, String>) -> Quiz {
        let english = Quiz::default();
        Quiz {
            check: words.get("quiz_check").cloned().unwrap_or(english.check),
            show_answer: words.get("quiz_show_answer").cloned().unwrap_or(english.show_answer),
            save_answer: words.get("quiz_save_answer").cloned().unwrap_or(english.save_answer),
            handin_note: words.get("quiz_handin_note").cloned().unwrap_or(english.handin_note),
            ..english
        }
    }

    /// The same quiz, writing `edition`'s pages.
    pub fn in_edition(self, edition: Edition) -> Quiz {
        Quiz { edition, ..self }
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
    /// What the quiz is worth in a gradebook (default 1).
    #[serde(default)]
    points: Option<f64>,
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
        self.quiz(body, ctx).map(|(html, ..)| html)
    }

    /// Its words come from the theme: a changed `i18n/` file changes its HTML.
    fn uses_theme(&self) -> bool {
        true
    }

    /// The HTML, and the quiz's id for links to it and as something a reader can complete.
    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let (html, id, key, points) = self.quiz(body, ctx).map_err(|e| vec![e])?;
        let progress = vec![ProgressItem { points, key: Some(key), ..ProgressItem::new("quiz", &id) }];
        // Its script and style sheet load only on pages with a quiz; progress.js, which keeps
        // the answers, loads before them on such pages (a page with progress items).
        Ok(DirectiveOutput {
            html,
            ids: vec![id],
            progress,
            scripts: vec!["quiz.js".into()],
            styles: vec!["quiz.css".into()],
            ..Default::default()
        })
    }
}

impl Quiz {
    /// The quiz's HTML, id, answer key and points.
    fn quiz(&self, body: &str, ctx: &DirectiveContext) -> Result<(String, String, QuizKey, f64), Diagnostic> {
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
        let points = spec.points.unwrap_or(1.0);
        if !(points.is_finite() && points >= 0.0) {
            return Err(at("`points` must be a number of at least 0"));
        }
        let student = self.edition == Edition::Student;
        // Unique across the site, so quizzes stay separate when print.html joins every page.
        let id = format!("quiz-{}-{}", super::slug(ctx.output.trim_end_matches(".html")), ctx.ordinal);
        let kind = if spec.multiple { "checkbox" } else { "radio" };
        let question = if spec.question.trim().is_empty() {
            String::new()
        } else {
            format!("<div class=\"quiz-question\">{}</div>\n", inline_markdown(&spec.question))
        };
        let mut html = format!(
            "<div class=\"quiz\" id=\"{id}\" data-multiple=\"{}\"{}>\n{question}<ol class=\"quiz-choices\">\n",
            spec.multiple,
            if student { " data-handin=\"true\"" } else { "" },
        );
        let mut key =
            QuizKey { question: inline_markdown(&spec.question), multiple: spec.multiple, choices: Vec::new() };
        let mut answer = String::new();
        for (i, choice) in spec.choices.iter().enumerate() {
            let text = inline_markdown(&choice.text);
            let explain = choice.explain.as_deref().map(inline_markdown).unwrap_or_default();
            // Browsers give MathML no accessible name yet: maths in a choice is named by its
            // readable text (`1/n ∑_i x_i`), so a choice made only of maths has a label.
            let text = if text.contains("<math") { super::math_text::label_math(&text) } else { text };
            key.choices.push(QuizChoice { text: text.clone(), correct: choice.correct, explain: explain.clone() });
            if student {
                html.push_str(&format!(
                    "<li class=\"quiz-choice\"><label><input type=\"{kind}\" name=\"{id}\" value=\"{i}\"> <span>{text}</span></label></li>\n"
                ));
                continue;
            }
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
        if student {
            html.push_str(&format!(
                "</ol>\n<button type=\"button\" class=\"quiz-check\">{save}</button>\n<p class=\"quiz-result\" role=\"status\" aria-live=\"polite\"></p>\n<p class=\"quiz-handin-note\">{note}</p>\n</div>\n",
                save = crate::escape::escape_html(&self.save_answer),
                note = crate::escape::escape_html(&self.handin_note),
            ));
            return Ok((html, id, key, points));
        }
        html.push_str(&format!(
            "</ol>\n<button type=\"button\" class=\"quiz-check\">{check}</button>\n<p class=\"quiz-result\" role=\"status\" aria-live=\"polite\"></p>\n<noscript><details class=\"quiz-answer\"><summary>{show}</summary><ul>{answer}</ul></details></noscript>\n</div>\n",
            check = crate::escape::escape_html(&self.check),
            show = crate::escape::escape_html(&self.show_answer),
        ));
        Ok((html, id, key, points))
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

    #[test]
    fn the_student_edition_carries_no_answer() {
        let body = "question: Pick\nchoices:\n  - text: yes\n    correct: true\n    explain: because it is\n  - text: no\n    explain: it is not\n";
        let out = Quiz::default().in_edition(Edition::Student).render_output(body, &ctx()).unwrap();
        assert!(!out.html.contains("data-correct"), "{}", out.html);
        assert!(!out.html.contains("because it is") && !out.html.contains("it is not"), "{}", out.html);
        assert!(!out.html.contains("quiz-answer"), "{}", out.html);
        assert!(out.html.contains("data-handin=\"true\"") && out.html.contains("Save answer"), "{}", out.html);
        let key = out.progress[0].key.as_ref().unwrap();
        assert!(key.is_right(&[0]) && !key.is_right(&[1]) && !key.is_right(&[0, 1]));
        assert_eq!(key.choices[0].explain, "because it is");
    }
}
