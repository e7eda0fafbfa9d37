//! `labbook grade --work DIR`: grades a folder of hand-in files (the student edition's
//! `labbook-work` format, written by the theme's `handin.js`) into a gradebook.
//!
//! Every file is checked against the book it claims (its `book` id and `content_hash`, which
//! the hand-in page took from the build: [`labbook_core::pipeline::content_hash`]). Each
//! exercise's code runs under the wasmtime sandbox with every check, hidden ones included;
//! each quiz answer is compared with the quiz's answer key, which the `quiz` directive reports
//! as data and never writes into a student page. A file that cannot be graded (not JSON,
//! another format or version, another book or version of it, an exercise or quiz the book
//! does not have) is a row with an error; code that loops or exhausts memory is stopped by the
//! sandbox and scores nothing. Nothing stops the batch.
//!
//! Outputs: `gradebook.csv` (one row per file, one column per exercise and quiz, the total;
//! or Moodle's or Canvas's import layout), `gradebook.json` (everything, verdicts included) and
//! `feedback/<student>.html`, a self-contained page per student.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::checks::{run_exercise, RunResult};
use super::drive::{pool, runtime_of, warm_up, UsageError};
use super::spec::Exercise;
use labbook_core::content::Book;
use labbook_core::escape::escape_html as escape;
use labbook_core::markdown::directive::QuizKey;

/// The hand-in file's `format`.
pub const FORMAT: &str = "labbook-work";

/// The newest version of the format this grader reads.
pub const VERSION: u64 = 1;

/// Hand-in files larger than this are refused unread (a student's code and output are small).
const MAX_FILE_BYTES: u64 = 8 << 20;

/// One thing a hand-in is graded on, in the book's reading order.
#[derive(Debug, Clone)]
pub enum Item<'a> {
    /// An exercise placed on a page.
    Exercise(&'a Exercise),
    /// A quiz, by its element id, with its answer key and points.
    Quiz {
        /// The quiz's id (`quiz-ml-softmax-3`).
        id: String,
        /// The page it is on.
        page: String,
        /// The right answers and explanations.
        key: QuizKey,
        /// What it is worth.
        points: f64,
    },
}

impl Item<'_> {
    /// The column name: the exercise id, or the quiz id.
    pub fn id(&self) -> &str {
        match self {
            Item::Exercise(e) => &e.id,
            Item::Quiz { id, .. } => id,
        }
    }

    /// What the item is worth.
    pub fn points(&self) -> f64 {
        match self {
            Item::Exercise(e) => e.points,
            Item::Quiz { points, .. } => *points,
        }
    }
}

/// What the grader needs from the book: its id, the content hash of this version, and the
/// items in reading order.
pub struct Marking<'a> {
    /// The book.
    pub book: &'a Book,
    /// `book.yaml` `id:` (or the title's slug).
    pub book_id: String,
    /// The content hash a hand-in made with this version carries.
    pub content_hash: String,
    /// The exercises and quizzes, in reading order.
    pub items: Vec<Item<'a>>,
}

impl<'a> Marking<'a> {
    /// Transforms the book's pages (for the quizzes' answer keys) and computes the hash.
    pub fn new(book: &'a Book) -> Result<Marking<'a>> {
        let rendered = labbook_core::pipeline::transform(book)?;
        let content_hash = labbook_core::pipeline::content_hash(book, &rendered);
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        for &i in &book.reading_order {
            for progress in &rendered[i].progress {
                if !seen.insert((progress.kind.clone(), progress.id.clone())) {
                    continue;
                }
                match (progress.kind.as_str(), &progress.key) {
                    ("exercise", _) => {
                        if let Some(ex) = crate::exercises(book).list.iter().find(|e| e.id == progress.id) {
                            items.push(Item::Exercise(ex));
                        }
                    }
                    ("quiz", Some(key)) => items.push(Item::Quiz {
                        id: progress.id.clone(),
                        page: book.pages[i].output.clone(),
                        key: key.clone(),
                        points: progress.points,
                    }),
                    _ => {}
                }
            }
        }
        Ok(Marking { book, book_id: book.config.book_id(), content_hash, items })
    }

    /// The most a hand-in can score.
    pub fn max_points(&self) -> f64 {
        self.items.iter().map(Item::points).sum()
    }
}

/// A hand-in file as `handin.js` writes it (format version 1).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Work {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format's version.
    pub version: u64,
    /// The book's id.
    pub book: String,
    /// The book's title, for people reading the file.
    #[serde(default)]
    pub title: String,
    /// The content hash of the build the work was done in.
    pub content_hash: String,
    /// The student's name or id, as they typed it.
    pub student: String,
    /// When the file was made (ISO 8601).
    #[serde(default)]
    pub handed_in: Option<String>,
    /// Exercise id -> the student's work on it.
    #[serde(default)]
    pub exercises: BTreeMap<String, WorkExercise>,
    /// Quiz id -> the student's answer.
    #[serde(default)]
    pub quizzes: BTreeMap<String, WorkQuiz>,
}

/// One exercise of a hand-in.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct WorkExercise {
    /// The code in the editor.
    pub code: String,
    /// When it last changed (ISO 8601).
    #[serde(default)]
    pub updated: Option<String>,
    /// How often the student pressed Check.
    #[serde(default)]
    pub attempts: u64,
    /// The last run in the browser (output, the shown checks' verdicts), kept for the teacher.
    #[serde(default)]
    pub last_run: Option<serde_json::Value>,
}

/// One quiz answer of a hand-in.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct WorkQuiz {
    /// The chosen choices, by index from 0.
    pub chosen: Vec<usize>,
    /// Whether the student pressed "Save answer".
    #[serde(default)]
    pub saved: bool,
    /// When it last changed (ISO 8601).
    #[serde(default)]
    pub updated: Option<String>,
}

/// The grade of one item.
#[derive(Debug, Clone, Serialize)]
pub struct ItemGrade {
    /// The exercise or quiz id.
    pub id: String,
    /// `exercise` or `quiz`.
    pub kind: &'static str,
    /// Points earned.
    pub score: f64,
    /// Points possible.
    pub points: f64,
    /// Whether the student handed anything in for it.
    pub handed_in: bool,
    /// An exercise's run (every check's verdict), when its code ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunResult>,
    /// A quiz's chosen choices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<Vec<usize>>,
    /// Why the item scored nothing although handed in (the code was stopped, raised...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub problem: String,
}

/// One hand-in file's row of the gradebook.
#[derive(Debug, Clone, Serialize)]
pub struct WorkRow {
    /// The file, relative to the folder.
    pub file: String,
    /// The student's name or id (empty when the file could not be read).
    pub student: String,
    /// When the file was made, as it says.
    pub handed_in: String,
    /// Each item's grade, in the book's order (empty when the file was refused).
    pub items: Vec<ItemGrade>,
    /// Points earned.
    pub total: f64,
    /// Points possible.
    pub max: f64,
    /// Why the file was refused, or what went wrong in it (semicolon-separated).
    pub error: String,
    /// The feedback page, relative to the gradebook's folder.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub feedback: String,
}

/// Reads and checks a hand-in file against the book; the reason as text when it is refused.
pub fn read_work(marking: &Marking, bytes: &[u8]) -> Result<Work, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not a hand-in file: it is not UTF-8 text".to_string())?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a hand-in file: it is not JSON ({e})"))?;
    let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
    if format != FORMAT {
        return Err(format!("not a hand-in file: its format is `{format}`, not `{FORMAT}`"));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version == 0 || version > VERSION {
        return Err(format!("the file is format version {version}; this labbook reads versions 1 to {VERSION}"));
    }
    let work: Work = serde_json::from_value(value).map_err(|e| format!("the hand-in file is malformed: {e}"))?;
    if work.book != marking.book_id {
        return Err(format!("the work was done in another book (`{}`), not `{}`", work.book, marking.book_id));
    }
    if work.content_hash != marking.content_hash {
        return Err(format!(
            "the file's content hash {} is not this book's ({}): it was made with another version of the book, or edited",
            short(&work.content_hash),
            short(&marking.content_hash)
        ));
    }
    if work.student.trim().is_empty() {
        return Err("the file names no student".into());
    }
    let known: HashSet<&str> = marking.items.iter().map(Item::id).collect();
    for id in work.exercises.keys() {
        if !known.contains(id.as_str()) {
            return Err(format!("the file holds an exercise `{id}` that the book does not have"));
        }
    }
    for (id, answer) in &work.quizzes {
        let Some(Item::Quiz { key, .. }) = marking.items.iter().find(|i| i.id() == id) else {
            return Err(format!("the file holds a quiz `{id}` that the book does not have"));
        };
        if let Some(bad) = answer.chosen.iter().find(|&&c| c >= key.choices.len()) {
            return Err(format!("quiz `{id}`: choice {bad} does not exist (it has {})", key.choices.len()));
        }
    }
    Ok(work)
}

fn short(hash: &str) -> String {
    let cut: String = hash.chars().take(12).collect();
    if cut.is_empty() {
        "(none)".into()
    } else {
        cut
    }
}

/// The hand-in files of `dir`: every `*.json` file, sorted, hidden ones skipped.
fn work_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Err(UsageError(format!("{} is not a folder of hand-in files", dir.display())).into());
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    Ok(files)
}

/// Grades every hand-in file of `dir`. A file that cannot be graded is a row with an error.
pub fn grade_work<'a>(book: &'a Book, dir: &Path) -> Result<(Marking<'a>, Vec<WorkRow>)> {
    let marking = Marking::new(book)?;
    let files = work_files(dir)?;
    warm_up(book)?;
    let max = marking.max_points();
    // Read and check every file first, then run all (file, exercise) pairs in one parallel pass.
    let works: Vec<(String, Result<Work, String>)> = files
        .iter()
        .map(|path| {
            let file = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
            let work = match std::fs::metadata(path) {
                Ok(m) if m.len() > MAX_FILE_BYTES => {
                    Err(format!("the file is {} bytes; hand-in files are at most {MAX_FILE_BYTES}", m.len()))
                }
                Ok(_) => {
                    std::fs::read(path).map_err(|e| format!("cannot read: {e}")).and_then(|b| read_work(&marking, &b))
                }
                Err(e) => Err(format!("cannot read: {e}")),
            };
            (file, work)
        })
        .collect();
    let jobs: Vec<(usize, &Exercise, &str)> = works
        .iter()
        .enumerate()
        .filter_map(|(w, (_, work))| work.as_ref().ok().map(|work| (w, work)))
        .flat_map(|(w, work)| {
            marking.items.iter().filter_map(move |item| match item {
                Item::Exercise(ex) => work.exercises.get(&ex.id).map(|x| (w, *ex, x.code.as_str())),
                Item::Quiz { .. } => None,
            })
        })
        .collect();
    let runs: Vec<Result<RunResult, String>> = pool()?.install(|| {
        jobs.par_iter()
            .map(|&(_, ex, code)| {
                run_exercise(ex, runtime_of(book, ex), code).map_err(|e| format!("could not run: {e:#}"))
            })
            .collect()
    });
    let mut by_work: BTreeMap<(usize, &str), Result<RunResult, String>> = BTreeMap::new();
    for ((w, ex, _), run) in jobs.iter().zip(runs) {
        by_work.insert((*w, ex.id.as_str()), run);
    }
    let rows = works
        .into_iter()
        .enumerate()
        .map(|(w, (file, work))| match work {
            Err(error) => WorkRow {
                file,
                student: String::new(),
                handed_in: String::new(),
                items: Vec::new(),
                total: 0.0,
                max,
                error,
                feedback: String::new(),
            },
            Ok(work) => {
                let mut problems = Vec::new();
                let items: Vec<ItemGrade> = marking
                    .items
                    .iter()
                    .map(|item| {
                        let grade = grade_item(item, &work, by_work.remove(&(w, item.id())));
                        if !grade.problem.is_empty() {
                            problems.push(format!("{}: {}", grade.id, grade.problem));
                        }
                        grade
                    })
                    .collect();
                let total = round(items.iter().map(|i| i.score).sum());
                WorkRow {
                    file,
                    student: work.student.trim().to_string(),
                    handed_in: work.handed_in.clone().unwrap_or_default(),
                    items,
                    total,
                    max,
                    error: problems.join("; "),
                    feedback: String::new(),
                }
            }
        })
        .collect();
    Ok((marking, rows))
}

/// Scores to three decimals, so sums of shares print cleanly.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn grade_item(item: &Item, work: &Work, run: Option<Result<RunResult, String>>) -> ItemGrade {
    let points = item.points();
    let mut grade = ItemGrade {
        id: item.id().to_string(),
        kind: "exercise",
        score: 0.0,
        points,
        handed_in: false,
        run: None,
        chosen: None,
        problem: String::new(),
    };
    match item {
        Item::Exercise(_) => match run {
            None => {}
            Some(Err(e)) => {
                grade.handed_in = true;
                grade.problem = e;
            }
            Some(Ok(r)) => {
                grade.handed_in = true;
                let (passed, total) = r.score();
                let share = if total == 0 { f64::from(u8::from(r.passed)) } else { passed as f64 / total as f64 };
                grade.score = round(points * share);
                if let Some(s) = &r.stopped {
                    grade.problem = format!("stopped: {s}");
                } else if let Some(e) = &r.error {
                    grade.problem = format!("{}: {}", e.kind, e.message);
                }
                grade.run = Some(r);
            }
        },
        Item::Quiz { id, key, .. } => {
            grade.kind = "quiz";
            if let Some(answer) = work.quizzes.get(id) {
                grade.handed_in = true;
                if key.is_right(&answer.chosen) {
                    grade.score = points;
                }
                grade.chosen = Some(answer.chosen.clone());
            }
        }
    }
    grade
}

/// The layout of `gradebook.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvLayout {
    /// `student,file,<items>,total,max,error`.
    #[default]
    Labbook,
    /// Moodle's grade import: a user identifier column (`ID number`), then one column per
    /// grade item; the teacher maps them in Moodle's import preview.
    Moodle,
    /// Canvas's gradebook import: `Student,ID,SIS User ID,SIS Login ID,Section`, a
    /// `Points Possible` row, then one column per assignment.
    Canvas,
}

impl CsvLayout {
    /// `labbook`, `moodle` or `canvas`.
    pub fn parse(name: &str) -> Option<CsvLayout> {
        match name {
            "labbook" => Some(CsvLayout::Labbook),
            "moodle" => Some(CsvLayout::Moodle),
            "canvas" => Some(CsvLayout::Canvas),
            _ => None,
        }
    }
}

fn number(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The column title of an item in an LMS layout: the book's title and the item, so that a new
/// grade item or assignment made from it says where it comes from.
fn lms_title(marking: &Marking, item: &Item) -> String {
    let what = match item {
        Item::Exercise(e) => format!("exercise {}", e.title),
        Item::Quiz { id, .. } => format!("quiz {id}"),
    };
    format!("{}: {what}", marking.book.config.title)
}

/// Writes `gradebook.csv` in `layout`. Refused files are rows with empty scores and the error
/// in the labbook layout; the LMS layouts leave them out (they have no student to match) and
/// the caller reports them.
pub fn write_csv(marking: &Marking, rows: &[WorkRow], layout: CsvLayout, out: &Path) -> Result<()> {
    let mut w = csv::Writer::from_path(out).with_context(|| format!("creating {}", out.display()))?;
    let items = &marking.items;
    let result: csv::Result<()> = (|| {
        match layout {
            CsvLayout::Labbook => {
                let mut header = vec!["student".to_string(), "file".to_string()];
                header.extend(items.iter().map(|i| i.id().to_string()));
                header.extend(["total", "max", "error"].map(String::from));
                w.write_record(&header)?;
                for row in rows {
                    let refused = row.items.is_empty();
                    let mut record = vec![row.student.clone(), row.file.clone()];
                    record.extend(items.iter().enumerate().map(|(k, _)| {
                        if refused {
                            String::new()
                        } else {
                            number(row.items[k].score)
                        }
                    }));
                    record.push(if refused { String::new() } else { number(row.total) });
                    record.push(number(row.max));
                    record.push(row.error.clone());
                    w.write_record(&record)?;
                }
            }
            CsvLayout::Moodle => {
                let mut header = vec!["ID number".to_string()];
                header.extend(items.iter().map(|i| lms_title(marking, i)));
                header.push(format!("{}: total", marking.book.config.title));
                w.write_record(&header)?;
                for row in rows.iter().filter(|r| !r.items.is_empty()) {
                    let mut record = vec![row.student.clone()];
                    record.extend(row.items.iter().map(|g| number(g.score)));
                    record.push(number(row.total));
                    w.write_record(&record)?;
                }
            }
            CsvLayout::Canvas => {
                let mut header: Vec<String> =
                    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"].map(String::from).to_vec();
                header.extend(items.iter().map(|i| lms_title(marking, i)));
                w.write_record(&header)?;
                let mut possible =
                    vec!["    Points Possible".to_string(), String::new(), String::new(), String::new(), String::new()];
                possible.extend(items.iter().map(|i| number(i.points())));
                w.write_record(&possible)?;
                for row in rows.iter().filter(|r| !r.items.is_empty()) {
                    let mut record =
                        vec![row.student.clone(), String::new(), row.student.clone(), String::new(), String::new()];
                    record.extend(row.items.iter().map(|g| number(g.score)));
                    w.write_record(&record)?;
                }
            }
        }
        w.flush()?;
        Ok(())
    })();
    result.with_context(|| format!("writing {}", out.display()))
}

/// Writes `gradebook.json`: the book, its hash, the items and every row with its verdicts.
pub fn write_json(marking: &Marking, rows: &[WorkRow], out: &Path) -> Result<()> {
    let items: Vec<serde_json::Value> = marking
        .items
        .iter()
        .map(|i| match i {
            Item::Exercise(e) => {
                serde_json::json!({"kind": "exercise", "id": e.id, "title": e.title, "points": e.points})
            }
            Item::Quiz { id, page, points, .. } => {
                serde_json::json!({"kind": "quiz", "id": id, "page": page, "points": points})
            }
        })
        .collect();
    let doc = serde_json::json!({
        "book": marking.book_id,
        "title": marking.book.config.title,
        "content_hash": marking.content_hash,
        "max": marking.max_points(),
        "items": items,
        "rows": rows,
    });
    let text = serde_json::to_string_pretty(&doc).expect("the gradebook serializes");
    std::fs::write(out, text + "\n").with_context(|| format!("writing {}", out.display()))
}

/// A file name for a student's feedback page: letters, digits, `-` and `_`.
pub fn student_slug(student: &str) -> String {
    let mut slug = String::new();
    for c in student.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(60).collect();
    if slug.is_empty() {
        "student".into()
    } else {
        slug
    }
}

/// Writes `feedback/<student>.html` for every graded row into `dir` and records each page's
/// path in its row. Two rows for the same student get `-2`, `-3`...
pub fn write_feedback(marking: &Marking, rows: &mut [WorkRow], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut used = HashSet::new();
    for row in rows.iter_mut().filter(|r| !r.items.is_empty()) {
        let base = student_slug(&row.student);
        let mut name = format!("{base}.html");
        let mut n = 2;
        while !used.insert(name.clone()) {
            name = format!("{base}-{n}.html");
            n += 1;
        }
        let path = dir.join(&name);
        std::fs::write(&path, feedback_page(marking, row)).with_context(|| format!("writing {}", path.display()))?;
        row.feedback =
            format!("{}/{name}", dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    }
    Ok(())
}

const FEEDBACK_CSS: &str = "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1f2328;background:#fff}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\
.score{font-size:1.2rem;font-weight:600}.pass{color:#116329}.fail{color:#a40e26}\
ul.checks{list-style:none;padding-left:0}ul.checks li{margin:.3rem 0}.note{color:#57606a}\
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.6rem;overflow:auto;font-size:.9rem}\
ol.choices li{margin:.2rem 0}.chosen{font-weight:600}";

/// A student's feedback page: the score, each exercise's checks (verdict, message, the
/// author's feedback), each quiz with the student's choice, the right answers and the
/// explanations. Self-contained: inline style, no script, no link out.
pub fn feedback_page(marking: &Marking, row: &WorkRow) -> String {
    let title = format!("Feedback for {} · {}", row.student, marking.book.config.title);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{FEEDBACK_CSS}</style>\n</head>\n<body>\n<main>\n<h1>{t}</h1>\n<p class=\"score\">Score: {total} of {max} points</p>\n",
        lang = escape(&marking.book.config.language),
        t = escape(&title),
        total = number(row.total),
        max = number(row.max),
    );
    if !row.handed_in.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">Handed in {}.</p>", escape(&row.handed_in));
    }
    for (item, grade) in marking.items.iter().zip(&row.items) {
        match item {
            Item::Exercise(ex) => {
                let _ = writeln!(
                    h,
                    "<section>\n<h2>Exercise: {}</h2>\n<p class=\"score\">{} of {} points</p>",
                    escape(&ex.title),
                    number(grade.score),
                    number(grade.points)
                );
                match &grade.run {
                    None if !grade.handed_in => h.push_str("<p>Not handed in.</p>\n"),
                    None => {
                        let _ = writeln!(h, "<p class=\"fail\">{}</p>", escape(&grade.problem));
                    }
                    Some(run) => {
                        if let Some(stopped) = &run.stopped {
                            let _ = writeln!(h, "<p class=\"fail\">Your code was stopped: {}.</p>", escape(stopped));
                        } else if let Some(e) = &run.error {
                            let line = e.line.map(|l| format!(" on line {l}")).unwrap_or_default();
                            let _ = writeln!(
                                h,
                                "<p class=\"fail\">Your code raised {}{line}: {}</p>",
                                escape(&e.kind),
                                escape(&e.message)
                            );
                        }
                        h.push_str("<ul class=\"checks\">\n");
                        for c in &run.checks {
                            let (mark, class) = if c.passed { ("✓ passed", "pass") } else { ("✗ failed", "fail") };
                            let hidden = if c.hidden { " (hidden check)" } else { "" };
                            let _ = write!(h, "<li><span class=\"{class}\">{mark}</span>: {}{hidden}", escape(&c.name));
                            // A hidden check's message may quote the check: its feedback speaks instead.
                            if !c.passed && !c.hidden && !c.message.is_empty() {
                                let _ = write!(h, " — {}", escape(&c.message));
                            }
                            if let Some(f) = c.feedback.as_deref().filter(|_| !c.passed) {
                                let _ = write!(h, "<br><span class=\"note\">{}</span>", escape(f));
                            }
                            h.push_str("</li>\n");
                        }
                        h.push_str("</ul>\n");
                    }
                }
                h.push_str("</section>\n");
            }
            Item::Quiz { key, .. } => {
                let question = if key.question.is_empty() { "Quiz".to_string() } else { key.question.clone() };
                let _ = writeln!(
                    h,
                    "<section>\n<h2>Quiz</h2>\n<p>{question}</p>\n<p class=\"score\">{} of {} points</p>",
                    number(grade.score),
                    number(grade.points)
                );
                let chosen = grade.chosen.clone().unwrap_or_default();
                if grade.chosen.is_none() {
                    h.push_str("<p>Not answered.</p>\n");
                }
                h.push_str("<ol class=\"choices\">\n");
                for (k, choice) in key.choices.iter().enumerate() {
                    let picked = chosen.contains(&k);
                    let mut notes = Vec::new();
                    if picked {
                        notes.push("your answer");
                    }
                    if choice.correct {
                        notes.push("right");
                    }
                    let notes =
                        if notes.is_empty() { String::new() } else { format!(" <em>({})</em>", notes.join(", ")) };
                    let class = if picked { " class=\"chosen\"" } else { "" };
                    let explain = if choice.explain.is_empty() {
                        String::new()
                    } else {
                        format!("<br><span class=\"note\">{}</span>", choice.explain)
                    };
                    let _ = writeln!(h, "<li{class}>{}{notes}{explain}</li>", choice.text);
                }
                h.push_str("</ol>\n</section>\n");
            }
        }
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}
