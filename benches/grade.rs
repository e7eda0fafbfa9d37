//! Grading a class: `labbook grade --work` on N generated hand-in files (default 200), each
//! covering 4 exercises and 6 quiz answers, some of them broken.
//!
//!     cargo bench --bench grade            # 200 hand-in files
//!     cargo bench --bench grade -- 50      # another count
//!
//! The bench generates a book (4 python exercises, each with a shown `stdout-numbers` check,
//! a hidden `code` check and a `forbid` rule, and 6 quizzes), builds its student edition for
//! the content hash, and writes N hand-in files whose code differs per student (so no run can
//! be reused). Every 10th file is broken, in turn: code that loops until the 2 s limit, code
//! that raises, a wrong answer, a tampered content hash, another book, and a file that is not
//! JSON. Then it times `labbook grade --work` with the `labbook` binary cargo built for it
//! (median of 3, the compiled runtime cached as after a first grading).
//!
//! Target from issue 15, printed beside the figure: 200 files in under 30 s on 2 cores.
//! No assertions on time: this reports.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const QUIZZES: usize = 6;

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(|a| a.parse().unwrap_or_else(|_| panic!("hand-in count expected, got `{a}`")))
        .unwrap_or(200);
    let tmp = tempfile::Builder::new().prefix("labbook-bench-grade-").tempdir().expect("temp dir");
    let book = tmp.path().join("book");
    let cache = tmp.path().join("cache");
    generate_book(&book);
    let site = tmp.path().join("site");
    let o = labbook(&cache)
        .args(["build", "--edition", "student", "--root"])
        .arg(&book)
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "the generated book does not build:\n{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(site.join("handin.html")).unwrap();
    let hash = page.split("data-content-hash=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let work = tmp.path().join("work");
    let broken = generate_work(&work, &hash, count);
    println!(
        "labbook grade --work: {count} hand-in files (4 exercises, {QUIZZES} quiz answers each; {broken} broken), {} cores",
        cores()
    );
    let out = tmp.path().join("grades/gradebook.csv");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let grade = || {
        let t = Instant::now();
        let o = labbook(&cache)
            .args(["grade", "--root"])
            .arg(&book)
            .arg("--work")
            .arg(&work)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let took = t.elapsed();
        assert!(o.status.success(), "grading failed:\n{}", String::from_utf8_lossy(&o.stderr));
        took
    };
    let first = grade();
    println!("  first grading (compiles the runtime once):  {:>7.2} s", first.as_secs_f64());
    let times: Vec<Duration> = (0..3).map(|_| grade()).collect();
    let median = median(times);
    let rows = std::fs::read_to_string(&out).unwrap().lines().count() - 1;
    assert_eq!(rows, count, "one row per file");
    println!(
        "  `labbook grade --work` (median of 3):       {:>7.2} s   ({:.1} ms per file)",
        median.as_secs_f64(),
        median.as_secs_f64() * 1000.0 / count as f64
    );
    let met = median.as_secs_f64() < 30.0 * count as f64 / 200.0;
    println!(
        "target: {count} hand-in files in < {:.0} s on 2 cores: {}",
        30.0 * count as f64 / 200.0,
        if met { "met" } else { "NOT met" }
    );
}

fn labbook(cache: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_labbook"));
    c.env("LABBOOK_CACHE_DIR", cache);
    c
}

/// Exercise `k`'s scores.
fn scores(k: usize) -> Vec<f64> {
    (0..4).map(|j| ((k * 5 + j * 3) % 7) as f64 / 2.0).collect()
}

/// A book with 4 softmax-like exercises and 6 quizzes on one page.
fn generate_book(root: &Path) {
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("book.yaml"), "title: Grading bench\nid: grading-bench\n").unwrap();
    let mut page = String::from("# Exercises\n\n");
    for k in 0..4 {
        let id = format!("ex-{k}");
        let dir = root.join("exercises").join(&id);
        std::fs::create_dir_all(&dir).unwrap();
        let s = scores(k);
        let expected = softmax(&s);
        let yaml = format!(
            "title: Softmax {k}\nstarter: starter.py\nsolution: solution.py\nchecks:\n  - name: probabilities\n    stdout-numbers: {expected:?}\n    tolerance: 0.0001\n  - name: sums to one\n    code: \"assert abs(sum(softmax({s:?})) - 1) < 1e-9, 'should sum to 1'\"\n    hidden: true\n    feedback: Check that the probabilities add up to 1.\nforbid:\n  - tinyml.softmax\n"
        );
        std::fs::write(dir.join("exercise.yaml"), yaml).unwrap();
        std::fs::write(dir.join("starter.py"), format!("def softmax(xs):\n    return xs\n\nprint(softmax({s:?}))\n"))
            .unwrap();
        std::fs::write(dir.join("solution.py"), solution(k, 0)).unwrap();
        page.push_str(&format!("## Exercise {k}\n\n```exercise\nid: {id}\n```\n\n"));
    }
    for q in 0..QUIZZES {
        page.push_str(&format!(
            "```quiz\nquestion: Question {q}?\nchoices:\n  - text: Answer A{q}\n    correct: {}\n  - text: Answer B{q}\n    correct: {}\n    explain: Because.\n```\n\n",
            q % 2 == 0,
            q % 2 == 1
        ));
    }
    std::fs::write(root.join("content/index.md"), page).unwrap();
}

/// A right answer to exercise `k`, written a little differently by each student.
fn solution(k: usize, student: usize) -> String {
    format!(
        "import math\n\n# student {student}\ndef softmax(xs):\n    top = max(xs)\n    exps = [math.exp(x - top) for x in xs]\n    total = sum(exps) + {student} * 0.0\n    return [e / total for e in exps]\n\nprint([round(p, 4) for p in softmax({:?})])\n",
        scores(k)
    )
}

/// Writes `count` hand-in files; returns how many are broken.
fn generate_work(dir: &Path, hash: &str, count: usize) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let mut broken = 0;
    for i in 0..count {
        let mut exercises = serde_json::Map::new();
        for k in 0..4 {
            exercises.insert(format!("ex-{k}"), serde_json::json!({"code": solution(k, i), "attempts": 1}));
        }
        let quizzes: serde_json::Map<String, serde_json::Value> = (0..QUIZZES)
            .map(|q| (format!("quiz-index-{}", q + 5), serde_json::json!({"chosen": [(q + i) % 2], "saved": true})))
            .collect();
        let mut work = serde_json::json!({
            "format": "labbook-work", "version": 1, "book": "grading-bench", "content_hash": hash,
            "student": format!("Student {i}"), "handed_in": "2026-12-03T10:00:00Z",
            "exercises": exercises, "quizzes": quizzes,
        });
        let name = format!("grading-bench-student-{i:03}.labbook-work.json");
        let text = if i % 10 == 9 {
            broken += 1;
            match (i / 10) % 6 {
                0 => {
                    work["exercises"]["ex-1"]["code"] = "while True:\n    pass\n".into();
                    work.to_string()
                }
                1 => {
                    work["exercises"]["ex-2"]["code"] =
                        "def softmax(xs):\n    return 1 / 0\n\nprint(softmax([1.0]))\n".into();
                    work.to_string()
                }
                2 => {
                    work["exercises"]["ex-3"]["code"] =
                        "def softmax(xs):\n    return xs\n\nprint(softmax([1.0, 2.0]))\n".into();
                    work.to_string()
                }
                3 => {
                    work["content_hash"] = "0".repeat(64).into();
                    work.to_string()
                }
                4 => {
                    work["book"] = "another-book".into();
                    work.to_string()
                }
                _ => "{\"format\": \"labbook-work\", \"version\": 1, \"exercises\": {".to_string(),
            }
        } else {
            work.to_string()
        };
        std::fs::write(dir.join(name), text).unwrap();
    }
    broken
}

fn softmax(xs: &[f64]) -> Vec<f64> {
    let top = xs.iter().cloned().fold(f64::MIN, f64::max);
    let exps: Vec<f64> = xs.iter().map(|x| (x - top).exp()).collect();
    let total: f64 = exps.iter().sum();
    exps.iter().map(|e| (e / total * 10_000.0).round() / 10_000.0).collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
