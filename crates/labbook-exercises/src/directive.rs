//! The `exercise` directive: places a loaded exercise in a page (contract 4).
//!
//! ````markdown
//! ```exercise
//! id: softmax
//! ```
//! ````
//! The HTML reads well without JavaScript (title, instructions, the starter highlighted);
//! the theme's exercise script finds the JSON beside it and builds the editor.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Value};

use super::checks::{check_json, request};
use super::runtime::{asset_path, Runtime};
use super::spec::{Exercise, FileContent, ShowSolution, PYTHON};
use labbook_core::config::Edition;
use labbook_core::diagnostic::Diagnostic;
use labbook_core::escape::escape_html as escape;
use labbook_core::markdown::directive::{
    parse_body, Directive, DirectiveContext, DirectiveOutput, DirectiveRecord, Landmark, ProgressItem,
};
use labbook_core::markdown::{highlight, relative_url, render_fragment};

/// The `exercise` directive over a book's loaded exercises.
pub struct ExerciseDirective {
    /// The edition the pages are for: the student edition's carry no answer.
    edition: Edition,
    exercises: HashMap<String, Arc<Exercise>>,
    /// Runtime name -> site path of its asset.
    assets: HashMap<String, String>,
    /// The site path of the book's "Python in this course" page, if it has one.
    python_guide: Option<String>,
    /// The block's label in the book's language (`exercise_label`), which the stylesheet
    /// shows before the title; English without one.
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Placement {
    id: String,
}

impl ExerciseDirective {
    /// The directive for these exercises and runtimes.
    pub fn new(
        exercises: &[Exercise],
        runtimes: &std::collections::BTreeMap<String, Runtime>,
        python_guide: Option<String>,
        edition: Edition,
    ) -> ExerciseDirective {
        ExerciseDirective {
            edition,
            exercises: exercises.iter().map(|e| (e.id.clone(), Arc::new(e.clone()))).collect(),
            assets: runtimes.iter().map(|(name, r)| (name.clone(), asset_path(r))).collect(),
            python_guide,
            label: None,
        }
    }

    /// The same directive labelling its blocks with `label` ("Exercice"), written into the
    /// page so that it reads in the book's language without JavaScript too.
    pub fn with_label(mut self, label: Option<String>) -> ExerciseDirective {
        self.label = label;
        self
    }
}

impl Directive for ExerciseDirective {
    fn name(&self) -> &'static str {
        "exercise"
    }

    fn render(&self, body: &str, ctx: &DirectiveContext) -> Result<String, Diagnostic> {
        self.place(body, ctx).map(|(html, _)| html)
    }

    /// The HTML, and a search record for the exercise at its section's anchor.
    fn render_output(&self, body: &str, ctx: &DirectiveContext) -> Result<DirectiveOutput, Vec<Diagnostic>> {
        let (html, exercise) = self.place(body, ctx).map_err(|e| vec![e])?;
        let record = DirectiveRecord {
            kind: SEARCH_KIND.to_string(),
            key: exercise.id.clone(),
            anchor: format!("exercise-{}", exercise.id),
            title: exercise.title.clone(),
            html: render_fragment(&exercise.instructions),
            page_only: false,
        };
        let landmark = Landmark { label: format!("exercise: {}", exercise.title), anchor: record.anchor.clone() };
        let ids = vec![record.anchor.clone()];
        let progress = vec![ProgressItem { points: exercise.points, ..ProgressItem::new("exercise", &exercise.id) }];
        Ok(DirectiveOutput {
            html,
            records: vec![record],
            ids,
            scripts: vec!["exercise.js".to_string()],
            // The starter is highlighted, and the editor's token colours are highlight.css's.
            styles: vec!["exercise.css".to_string(), highlight::STYLE.to_string()],
            landmarks: vec![landmark],
            progress,
            ..Default::default()
        })
    }
}

/// The search kind of exercises.
pub const SEARCH_KIND: &str = "exercise";

impl ExerciseDirective {
    /// The exercise a block places, rendered for its page.
    fn place(&self, body: &str, ctx: &DirectiveContext) -> Result<(String, &Arc<Exercise>), Diagnostic> {
        let placement: Placement = parse_body(body, ctx, "exercise")?;
        let Some(exercise) = self.exercises.get(&placement.id) else {
            let (line, column) = labbook_core::config::locate(body, &placement.id);
            let mut known: Vec<&str> = self.exercises.keys().map(String::as_str).collect();
            known.sort();
            let known =
                if known.is_empty() { "there are none".to_string() } else { format!("known: {}", known.join(", ")) };
            return Err(Diagnostic::new(
                ctx.display,
                ctx.body_line + line.saturating_sub(1),
                column,
                format!(
                    "in the `exercise` block: no exercise `{}` (no exercises/{}/exercise.yaml); {known}",
                    placement.id, placement.id
                ),
            ));
        };
        let asset = self.assets.get(&exercise.runtime).expect("every exercise's runtime is loaded");
        // Another runtime's output is graded in the browser by the python runtime's checks.
        let checks_asset = (!Runtime::is_built_in(&exercise.runtime) && !exercise.checks.is_empty())
            .then(|| self.assets.get(PYTHON).expect("python is loaded for the checks of other runtimes"));
        let checks_src = checks_asset.map(|a| relative_url(ctx.output, a));
        // Python exercises link the book's page about the python runtime.
        let guide = self
            .python_guide
            .as_deref()
            .filter(|_| Runtime::is_built_in(&exercise.runtime))
            .map(|g| relative_url(ctx.output, g));
        let html = render_exercise(
            exercise,
            &relative_url(ctx.output, asset),
            checks_src.as_deref(),
            guide.as_deref(),
            self.edition,
            &labbook_core::markdown::root_prefix(ctx.output),
        )
        .replacen("<section class=\"lb-exercise\" ", &label_style(self.label.as_deref()), 1);
        Ok((html, exercise))
    }
}

/// The opening of an exercise's section carrying its label ("Exercice") as the CSS variable
/// the stylesheet shows before the title (`--lb-exercise-label`), as a CSS string.
fn label_style(label: Option<&str>) -> String {
    match label {
        Some(label) => {
            let css: String = label
                .chars()
                .filter(|c| !c.is_control())
                .flat_map(|c| match c {
                    '"' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            format!("<section class=\"lb-exercise\" style=\"--lb-exercise-label:{}\" ", escape(&format!("\"{css}\"")))
        }
        None => "<section class=\"lb-exercise\" ".to_string(),
    }
}

/// The exercise's HTML; `runtime_src` is the runtime asset's URL relative to the page,
/// `checks_src` the python runtime's, which grades the output of an exercise on another runtime,
/// `python_guide` the URL of the book's "Python in this course" page, and `root` the way from
/// the page to the site's root (`../`), where the dataset splits the code loads are: the
/// page's request names them (`{"script", "key"}`) rather than carrying them.
///
/// For the student edition the page carries no solution, no hints (authors often spell the
/// answer out in the last one) and only the checks that are not hidden: a hidden check's code
/// and expected values stay with the grader, and the page lists it by name only.
pub fn render_exercise(
    exercise: &Exercise,
    runtime_src: &str,
    checks_src: Option<&str>,
    python_guide: Option<&str>,
    edition: Edition,
    root: &str,
) -> String {
    let student = edition == Edition::Student;
    let id = &exercise.id;
    let instructions = render_fragment(&exercise.instructions);
    let python = Runtime::is_built_in(&exercise.runtime);
    let lang = if python { "python" } else { exercise.entry.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("") };
    let starter = highlight::global().highlight(&exercise.starter, lang);
    let show_solution = if student { ShowSolution::Never } else { exercise.show_solution };
    let show = match show_solution {
        ShowSolution::AfterAttempt => "after-attempt",
        ShowSolution::Always => "always",
        ShowSolution::Never => "never",
    };
    // A solution the page never shows stays out of the page.
    let solution = (show_solution != ShowSolution::Never).then_some(&exercise.solution);
    let hints: Vec<String> =
        if student { Vec::new() } else { exercise.hints.iter().map(|h| render_fragment(h)).collect() };
    let mut request = request(exercise, None);
    for (name, content) in &exercise.files {
        if let FileContent::Split { asset, .. } = content {
            request["files"][name] = json!({ "script": format!("{root}{asset}"), "key": asset });
        }
    }
    if student {
        // The browser runs the shown checks only; the grader runs them all.
        let shown: Vec<Value> = exercise.checks.iter().filter(|c| !c.hidden).map(check_json).collect();
        request["checks"] = Value::Array(shown);
    }
    let data = json!({
        "id": id,
        "title": exercise.title,
        "runtime": exercise.runtime,
        "starter": exercise.starter,
        "solution": solution,
        "show_solution": show,
        "hints": hints,
        "edition": edition.name(),
        "limits": {
            "time_ms": exercise.limits.time_ms,
            "memory_bytes": exercise.limits.memory_bytes,
            "output_bytes": exercise.limits.output_bytes,
        },
        "request": request,
        "checks": exercise.checks.iter().map(|c| json!({"name": c.name, "hidden": c.hidden})).collect::<Vec<_>>(),
    });
    // Inside <script>, `</` would end the element early. Escaping every `<`, `>` and `&` as a
    // JSON `\u` escape (which `JSON.parse` reads back unchanged) also keeps tools that scan
    // the page as HTML, such as the search indexer, from mistaking the hints' HTML for tags.
    let data = serde_json::to_string(&data)
        .expect("JSON serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let checks_src = checks_src.map(|src| format!(" data-checks-src=\"{}\"", escape(src))).unwrap_or_default();
    let guide = python_guide.map(|url| format!(" data-python-guide=\"{}\"", escape(url))).unwrap_or_default();
    // Another built-in python runtime than `python` speaks the same protocol: the script says so.
    let python = if python && exercise.runtime != super::spec::PYTHON { " data-runtime-python" } else { "" };
    format!(
        "<section class=\"lb-exercise\" id=\"exercise-{id}\" data-exercise=\"{id}\" data-search-ignore data-runtime=\"{runtime}\"{python} data-runtime-src=\"{src}\"{checks_src}{guide}>\n\
         <h3 class=\"lb-exercise-title\">{title}</h3>\n\
         <div class=\"lb-exercise-instructions\">{instructions}</div>\n\
         <div class=\"lb-exercise-static\">{starter}</div>\n\
         <script type=\"application/json\" class=\"lb-exercise-data\">{data}</script>\n\
         </section>\n",
        runtime = escape(&exercise.runtime),
        src = escape(runtime_src),
        title = escape(&exercise.title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dataset_split_is_named_not_carried() {
        let mut ex = exercise();
        ex.files.insert(
            "datasets/pets/train.json".into(),
            FileContent::Split { text: "{\"config\": \"ROWS\"}".into(), asset: "runtime/data/pets.js".into() },
        );
        ex.files.insert("notes.txt".into(), FileContent::Text("kept".into()));
        let html = render_exercise(&ex, "../r.js", None, None, Edition::SelfStudy, "../");
        assert!(!html.contains("ROWS"), "{html}");
        let data = html.split("class=\"lb-exercise-data\">").nth(1).unwrap().split("</script>").next().unwrap();
        let data: Value = serde_json::from_str(data).unwrap();
        assert_eq!(
            data["request"]["files"]["datasets/pets/train.json"],
            json!({ "script": "../runtime/data/pets.js", "key": "runtime/data/pets.js" })
        );
        assert_eq!(data["request"]["files"]["notes.txt"], "kept");
        // labbook test's request holds the text.
        assert_eq!(request(&ex, None)["files"]["datasets/pets/train.json"], "{\"config\": \"ROWS\"}");
    }

    #[test]
    fn the_label_is_a_css_string_in_the_section_s_style() {
        assert_eq!(
            label_style(Some("Exer\"cice")),
            "<section class=\"lb-exercise\" style=\"--lb-exercise-label:&quot;Exer\\&quot;cice&quot;\" "
        );
        assert_eq!(label_style(None), "<section class=\"lb-exercise\" ");
    }
    use crate::spec::{Check, CheckKind, Limits};
    use std::path::{Path, PathBuf};

    fn exercise() -> Exercise {
        Exercise {
            id: "softmax".into(),
            display: PathBuf::from("exercises/softmax/exercise.yaml"),
            title: "Implement <softmax>".into(),
            runtime: "python".into(),
            instructions: "Write `softmax(xs)`.".into(),
            starter: "def softmax(xs):\n    pass\n".into(),
            solution: "print('</script>')\n".into(),
            entry: "main.py".into(),
            files: Default::default(),
            checks: vec![Check {
                name: "sums".into(),
                hidden: true,
                feedback: None,
                kind: CheckKind::Code("assert 1".into()),
            }],
            hints: vec!["Subtract the **max**".into()],
            limits: Limits::DEFAULT,
            starter_fails: true,
            show_solution: ShowSolution::AfterAttempt,
            seed: 0,
            points: 1.0,
        }
    }

    #[test]
    fn renders_contract_4() {
        let html = render_exercise(&exercise(), "../runtime/python.abc.js", None, None, Edition::SelfStudy, "../");
        assert!(html.starts_with("<section class=\"lb-exercise\" id=\"exercise-softmax\" data-exercise=\"softmax\" data-search-ignore data-runtime=\"python\" data-runtime-src=\"../runtime/python.abc.js\">"), "{html}");
        assert!(html.contains("<h3 class=\"lb-exercise-title\">Implement &lt;softmax&gt;</h3>"), "{html}");
        assert!(
            html.contains("<div class=\"lb-exercise-instructions\"><p>Write <code>softmax(xs)</code>.</p>"),
            "{html}"
        );
        assert!(html.contains("<div class=\"lb-exercise-static\"><pre class=\"code\" data-lang=\"python\">"), "{html}");
        assert!(!html.contains("</script>')"), "`</` must be escaped inside the JSON: {html}");
        let script = html.split("lb-exercise-data\">").nth(1).unwrap().split("</script>").next().unwrap();
        assert!(!script.contains('<'), "no `<` inside the script: {script}");
        let json_text = html.split("lb-exercise-data\">").nth(1).unwrap().split("</script>").next().unwrap();
        let data: serde_json::Value = serde_json::from_str(json_text).unwrap();
        assert_eq!(data["solution"], "print('</script>')\n");
        assert_eq!(data["hints"][0], "<p>Subtract the <strong>max</strong></p>\n");
        assert_eq!(data["limits"]["time_ms"], 2000);
        assert_eq!(data["request"]["entry"], "main.py");
        assert_eq!(data["request"]["checks"][0]["code"], "assert 1");
        assert_eq!(data["checks"], json!([{"name": "sums", "hidden": true}]));
    }

    #[test]
    fn unknown_id_is_positioned_in_the_page() {
        let d = ExerciseDirective::new(&[exercise()], &Default::default(), None, Edition::SelfStudy);
        let ctx = DirectiveContext {
            display: Path::new("content/a.md"),
            fence_line: 6,
            body_line: 7,
            output: "a.html",
            ordinal: 1,
        };
        let e = d.render("id: sofmax\n", &ctx).unwrap_err();
        assert_eq!(
            e.to_string(),
            "content/a.md:7:5: in the `exercise` block: no exercise `sofmax` (no exercises/sofmax/exercise.yaml); known: softmax"
        );
    }

    #[test]
    fn never_keeps_the_solution_out() {
        let mut ex = exercise();
        ex.show_solution = ShowSolution::Never;
        let html = render_exercise(&ex, "r.js", None, None, Edition::SelfStudy, "");
        assert!(html.contains("\"solution\":null"), "{html}");
    }

    #[test]
    fn the_student_edition_keeps_answers_out() {
        let mut ex = exercise();
        ex.checks.push(Check {
            name: "shown".into(),
            hidden: false,
            feedback: None,
            kind: CheckKind::Stdout("42\n".into()),
        });
        let html = render_exercise(&ex, "r.js", None, None, Edition::Student, "");
        let json_text = html.split("lb-exercise-data\">").nth(1).unwrap().split("</script>").next().unwrap();
        let data: serde_json::Value = serde_json::from_str(json_text).unwrap();
        assert_eq!(data["solution"], serde_json::Value::Null);
        assert_eq!(data["show_solution"], "never");
        assert_eq!(data["hints"], json!([]));
        assert_eq!(data["request"]["checks"], json!([{"name": "shown", "hidden": false, "stdout": "42\n"}]));
        assert_eq!(data["checks"], json!([{"name": "sums", "hidden": true}, {"name": "shown", "hidden": false}]));
        assert!(!html.contains("assert 1"), "{html}");
    }
}
