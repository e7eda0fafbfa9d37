//! `labbook serve`: latency from a saved file to the live-reload event, on a synthetic book.
//!
//!     cargo bench --bench serve              # 1,000 pages
//!     cargo bench --bench serve -- 3000      # another size
//!
//! The book has its pages in 20 parts listed in `book.yaml`'s toc; every page has prose,
//! headings, a table, math, Python code and links to its neighbours. The bench starts the
//! `labbook` binary cargo built for it (`labbook serve --port 0`), subscribes to
//! `/__labbook/events` and, 10 times each, measures from just before the write to the
//! arrival of the `reload` event:
//! - a page edit (a paragraph appended to one page: one page rebuilt),
//! - a toc edit (a part renamed in `book.yaml`: the book reloaded, every page rendered,
//!   nothing transformed again).
//!
//! It also times, after each page edit, the fetch of the edited page and of
//! `search/entry.js` (which waits for the search index and `print.html`, rebuilt in the
//! background), and reports the
//! median, min and max of each. No assertions: this reports, it does not enforce limits.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Timed edits of each kind; the median is reported.
const RUNS: usize = 10;
/// Parts of the generated book.
const PARTS: usize = 20;

fn main() {
    let pages: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(|a| a.parse().unwrap_or_else(|_| panic!("page count expected, got `{a}`")))
        .unwrap_or(1000);
    let tmp = tempfile::Builder::new().prefix("labbook-bench-serve-").tempdir().expect("temp dir");
    let book = tmp.path();
    generate_book(book, pages);
    println!("labbook serve on a {pages}-page book ({RUNS} runs of each edit)");

    let started = Instant::now();
    let mut server = Server::start(book);
    println!("  initial build, to the printed URL: {:.2} s", started.elapsed().as_secs_f64());
    let events = server.subscribe();
    // Let the first requests' lazy work (search index, print.html) finish out of the way.
    server.get("/print.html");
    std::thread::sleep(Duration::from_millis(300));

    let page = format!("part-{:02}/page-{:04}.md", PARTS / 2, pages / 2);
    let output = page.replace(".md", ".html");
    let path = book.join("content").join(&page);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut page_edit = Vec::new();
    let mut fetch = Vec::new();
    let mut extras = Vec::new();
    for run in 0..RUNS {
        let text = format!("{original}\nEdit number {run} appended by the bench.\n");
        let start = Instant::now();
        std::fs::write(&path, text).unwrap();
        events.wait(|name, data| name == "reload" && data.contains(&output));
        page_edit.push(start.elapsed());
        let start = Instant::now();
        let body = server.get(&format!("/{output}"));
        fetch.push(start.elapsed());
        assert!(body.contains(&format!("Edit number {run}")), "the edit is not served");
        let start = Instant::now();
        server.get("/search/entry.js");
        extras.push(start.elapsed());
        std::thread::sleep(Duration::from_millis(200));
    }

    let yaml_path = book.join("book.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    let mut toc_edit = Vec::new();
    for run in 0..RUNS {
        let text = yaml.replace("part: Part 1\n", &format!("part: Part 1 (renamed {run})\n"));
        let start = Instant::now();
        std::fs::write(&yaml_path, text).unwrap();
        events.wait(|name, data| name == "reload" && data.contains("\"all\":true"));
        toc_edit.push(start.elapsed());
        std::thread::sleep(Duration::from_millis(300));
    }
    server.stop();

    println!("\n{:<34} {:>9} {:>9} {:>9}", "save -> event", "median", "min", "max");
    for (name, times) in [
        ("page edit -> reload event", &page_edit),
        ("toc edit -> reload event", &toc_edit),
        ("then GET of the edited page", &fetch),
        ("then GET search/entry.js", &extras),
    ] {
        let (median, min, max) = stats(times);
        println!("{name:<34} {median:>6.1} ms {min:>6.1} ms {max:>6.1} ms");
    }
}

/// Median, min and max in milliseconds.
fn stats(times: &[Duration]) -> (f64, f64, f64) {
    let mut ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[0], ms[ms.len() - 1])
}

/// A running `labbook serve`.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(book: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_labbook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(book)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start labbook serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let line = lines.next().expect("serve exited before printing its URL").unwrap();
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, address }
    }

    fn get(&self, target: &str) -> String {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address).unwrap();
        let mut body = String::new();
        stream.read_to_string(&mut body).unwrap();
        body
    }

    fn subscribe(&self) -> Events {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(stream, "GET /__labbook/events HTTP/1.1\r\nHost: {}\r\n\r\n", self.address).unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if tx.send((std::mem::take(&mut name), data.to_string())).is_err() {
                        return;
                    }
                }
            }
        });
        Events(rx)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Events as (name, data), read by a background thread.
struct Events(Receiver<(String, String)>);

impl Events {
    fn wait(&self, accept: impl Fn(&str, &str) -> bool) {
        loop {
            let (name, data) = self.0.recv_timeout(Duration::from_secs(120)).expect("no event within 2 minutes");
            if accept(&name, &data) {
                return;
            }
        }
    }
}

/// Writes a book of `pages` pages in `PARTS` parts, all listed in book.yaml's toc.
fn generate_book(root: &Path, pages: usize) {
    let per_part = pages.div_ceil(PARTS);
    let mut yaml = String::from("title: Serve bench\ndescription: A synthetic book.\ntoc:\n  - index.md\n");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/index.md"), "# Serve bench\n\nThe front page.\n").unwrap();
    let mut n = 0;
    for part in 0..PARTS {
        let _ = writeln!(yaml, "  - part: Part {part}\n    chapters:");
        std::fs::create_dir_all(root.join(format!("content/part-{part:02}"))).unwrap();
        for _ in 0..per_part {
            if n == pages {
                break;
            }
            let rel = format!("part-{part:02}/page-{n:04}.md");
            let _ = writeln!(yaml, "      - {rel}");
            std::fs::write(root.join("content").join(&rel), page_text(n, pages)).unwrap();
            n += 1;
        }
    }
    std::fs::write(root.join("book.yaml"), yaml).unwrap();
}

/// One page: varied prose, headings, a table, math, code and links to its neighbours.
fn page_text(n: usize, pages: usize) -> String {
    let link = |m: usize| format!("../part-{:02}/page-{m:04}.md", m / pages.div_ceil(PARTS));
    let prev = if n > 0 { format!("[the previous lesson]({})", link(n - 1)) } else { "the start".into() };
    let next = if n + 1 < pages { format!("[the next lesson]({}#exercises)", link(n + 1)) } else { "the end".into() };
    format!(
        r#"# Lesson {n}: model number {n}

This lesson follows {prev} and leads to {next}. Model {n} has {w} weights and learns
with a rate of $\eta = {r}$; its loss is $L = \frac{{1}}{{N}} \sum_i (y_i - \hat y_i)^2$.

## Data

| split | rows | features |
|:------|-----:|---------:|
| train | {a} | {b} |
| test  | {c} | {b} |

Gradient descent moves every weight against its gradient:

$$
w \leftarrow w - \eta \nabla_w L
$$

## Code

```python
def train_{n}(xs, ys, rate={r}):
    weights_{n} = [0.0] * {b}
    for x, y in zip(xs, ys):
        error = sum(w * v for w, v in zip(weights_{n}, x)) - y
        weights_{n} = [w - rate * error * v for w, v in zip(weights_{n}, x)]
    return weights_{n}
```

## Exercises

1. Change the rate of model {n} to {r2} and compare the loss.
2. Add a feature to the {b} features and retrain.
"#,
        w = n * 7 + 3,
        r = 0.01 + (n % 10) as f64 / 100.0,
        r2 = 0.5 + (n % 5) as f64 / 10.0,
        a = 100 + n,
        b = 3 + n % 8,
        c = 20 + n % 50,
    )
}
