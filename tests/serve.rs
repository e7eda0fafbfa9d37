//! `labbook serve` end to end: the real binary on a copied fixture book, spoken to over
//! plain TCP. Every wait is bounded (a change is given up to 20 s to show), nothing
//! asserts on timing.
//!
//! The last test opens the served book in headless Chromium (`tests/browser/serve.mjs`);
//! like `tests/browser.rs` it prints a SKIP line without node_modules or Chromium, unless
//! env `CI` is set.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use common::*;

/// How long a change may take to show (debug builds on a busy 2-core machine are slow).
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `labbook serve --port 0`, killed when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    address: String,
    /// What the server printed, line by line.
    lines: Receiver<String>,
    /// What it printed before its URL (the first build's warnings).
    before_url: Vec<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut child = labbook()
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start labbook serve");
        let (tx, lines) = mpsc::channel();
        for stream in
            [Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())]
        {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        let address = loop {
            let line = match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => line,
                Err(_) => {
                    let _ = child.kill();
                    panic!("serve printed no URL:\n{}", seen.join("\n"));
                }
            };
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap().to_string();
            }
            seen.push(line);
        };
        Server { child, address, lines, before_url: seen }
    }

    /// GET (or another method) `target` as written: (status, headers, body).
    fn request(&self, method: &str, target: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(stream, "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.address).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// Sends `head` (a request head without its final blank line) and reads the answer:
    /// (status, headers, body bytes).
    fn raw(&self, head: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").map_or(raw.len(), |i| i + 4);
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, head, raw[end..].to_vec())
    }

    /// The port served.
    fn port(&self) -> &str {
        self.address.rsplit(':').next().unwrap()
    }

    /// `(threads, resident KiB)` of the server process, from `/proc/PID/status`.
    #[cfg(target_os = "linux")]
    fn threads_and_rss(&self) -> (usize, usize) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| -> usize {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no {name} in {status}"));
            line[name.len()..].trim().trim_end_matches(" kB").trim().parse().unwrap()
        };
        (field("Threads:"), field("VmRSS:"))
    }

    fn get(&self, target: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", target);
        (status, body)
    }

    /// Polls `target` until its body contains `needle`.
    fn wait_for_content(&self, target: &str, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, body) = self.get(target);
            if status == 200 && body.contains(needle) {
                return body;
            }
            assert!(Instant::now() < deadline, "{target} never contained {needle:?}; last ({status}):\n{body}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn events(&self) -> Events {
        Events::open(&self.address)
    }

    /// Everything printed so far (after the URL line).
    fn output(&self) -> String {
        self.lines.try_iter().collect::<Vec<_>>().join("\n")
    }

    /// What the server printed before its URL line: the first build's warnings.
    fn first_build_output(&self) -> String {
        self.before_url.join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One event of the stream.
#[derive(Debug, Clone)]
struct Event {
    name: String,
    data: String,
}

/// The pseudo-event the reader thread sends once the stream's response head has arrived.
const OPENED: &str = "(opened)";

/// A subscription to `/__labbook/events`, read by a background thread.
struct Events {
    events: Receiver<Event>,
}

impl Events {
    fn open(address: &str) -> Events {
        let mut stream = TcpStream::connect(address).expect("connect");
        write!(stream, "GET /__labbook/events HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            // The response head, then `event:`/`data:` blocks separated by blank lines.
            let mut in_head = true;
            let mut name = String::new();
            let mut data = String::new();
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                let l = line.trim_end_matches(['\r', '\n']).to_string();
                line.clear();
                if in_head {
                    in_head = !l.is_empty();
                    if !in_head && tx.send(Event { name: OPENED.into(), data: String::new() }).is_err() {
                        return;
                    }
                    continue;
                }
                if let Some(n) = l.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = l.strip_prefix("data: ") {
                    data = d.to_string();
                } else if l.is_empty()
                    && !name.is_empty()
                    && tx.send(Event { name: std::mem::take(&mut name), data: std::mem::take(&mut data) }).is_err()
                {
                    return;
                }
            }
        });
        // Subscribed once the response head is back: no event can be missed after that.
        match events.recv_timeout(PATIENCE) {
            Ok(e) if e.name == OPENED => {}
            other => panic!("the event stream did not open: {other:?}"),
        }
        Events { events }
    }

    /// The first event named `name` whose data satisfies `accept`; panics after PATIENCE.
    fn wait(&self, name: &str, accept: impl Fn(&str) -> bool) -> Event {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            match self.events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(e) if e.name == name && accept(&e.data) => return e,
                Ok(e) => seen.push(e),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!("no `{name}` event came; saw {seen:?}")
                }
            }
        }
    }
}

/// Writes `text` to `root/rel`.
fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap_or_else(|e| panic!("writing {rel}: {e}"));
}

fn read_source(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

#[test]
fn serves_pages_from_memory_and_reloads_after_an_edit() {
    let book = copy_fixture("features");
    let server = Server::start(book.path());
    assert!(!book.path().join("site").exists(), "serve wrote an output folder");

    let (status, head, body) = server.request("GET", "/");
    assert_eq!(status, 200, "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/html"), "{head}");
    assert!(body.contains("<script src=\"/__labbook/live.js\"></script>\n</body>"), "{body}");
    let (status, js) = server.get("/__labbook/live.js");
    assert_eq!(status, 200);
    assert!(js.contains("new EventSource(\"/__labbook/events\")"));
    let (status, svg) = server.get("/img/curve.svg");
    assert_eq!(status, 200, "assets are served");
    assert!(svg.contains("<svg"), "{svg}");
    let (status, print) = server.get("/print.html");
    assert_eq!(status, 200);
    assert!(print.contains("Machine learning"), "print.html has the chapters");

    let events = server.events();
    let page = "content/ml/math.md";
    let text = read_source(book.path(), page);
    write(book.path(), page, &format!("{text}\n\nA sentence added while serving.\n"));
    let reload = events.wait("reload", |d| d.contains("ml/math.html"));
    assert!(reload.data.contains("\"all\":false"), "a body edit reloads one page: {reload:?}");
    server.wait_for_content("/ml/math.html", "A sentence added while serving.");
    // print.html follows, lazily.
    server.wait_for_content("/print.html", "A sentence added while serving.");

    // A new title changes the navigation of every page.
    let index = read_source(book.path(), "content/ml/index.md");
    let renamed = index.replacen("# ", "# Renamed ", 1);
    assert_ne!(index, renamed, "ml/index.md starts with a heading");
    write(book.path(), "content/ml/index.md", &renamed);
    events.wait("reload", |d| d.contains("\"all\":true"));
    let (_, toc) = server.get("/toc.html");
    assert!(toc.contains("Renamed") || toc.contains("Machine learning"), "{toc}");

    // A toc change in book.yaml: every page, new sidebar.
    let yaml = read_source(book.path(), "book.yaml");
    write(book.path(), "book.yaml", &yaml.replace("part: Guide", "part: Handbook"));
    events.wait("reload", |d| d.contains("\"all\":true"));
    server.wait_for_content("/toc.html", "Handbook");

    // A new page appears.
    write(book.path(), "content/guide/new.md", "# A new page\n\nFresh.\n");
    events.wait("reload", |d| d.contains("\"all\":true"));
    server.wait_for_content("/guide/new.html", "Fresh.");
}

/// A translated book is served as `build` writes it: every language under its code and the
/// root page that picks one. Saving a translation reloads that language's page only; an
/// English page a translation lacks changes in both sites; a change of the book theme's
/// words reaches what a feature wrote at load (the models' sidebar part).
#[test]
fn serves_every_language_of_a_translated_book() {
    let book = copy_fixture("i18n");
    let yaml = read_source(book.path(), "book.yaml");
    write(book.path(), "book.yaml", &format!("{yaml}theme: course\n"));
    std::fs::create_dir_all(book.path().join("themes/course/i18n")).unwrap();
    write(book.path(), "themes/course/i18n/fr.yaml", "model_part: Nos modèles\n");
    let server = Server::start(book.path());
    let (status, root) = server.get("/index.html");
    assert_eq!(status, 200);
    for code in ["en", "fr", "ar"] {
        assert!(root.contains(&format!("href=\"{code}/index.html\"")), "the root page lacks {code}: {root}");
    }
    let (status, stale) = server.get("/fr/lessons/gradient.html");
    assert_eq!(status, 200);
    assert!(stale.contains("translation-stale"), "no staleness banner: {stale}");
    let (status, fallback) = server.get("/fr/lessons/regularisation.html");
    assert_eq!(status, 200);
    assert!(fallback.contains("translation-fallback"), "no fallback banner: {fallback}");
    let (status, arabic) = server.get("/ar/index.html");
    assert_eq!(status, 200);
    assert!(arabic.contains("dir=\"rtl\""), "{arabic}");
    // Each language knows the others' pages: the English page names its French version.
    let (_, english) = server.get("/en/lessons/loss.html");
    assert!(english.contains("hreflang=\"fr\" href=\"../../fr/lessons/loss.html\""), "{english}");
    let (status, entry) = server.get("/fr/search/entry.js");
    assert_eq!(status, 200, "the French search index");
    assert!(entry.contains("meta"), "{entry}");

    let events = server.events();
    let page = "content/fr/lessons/loss.md";
    let text = read_source(book.path(), page);
    write(book.path(), page, &format!("{text}\n\nUne phrase ajoutée pendant le service.\n"));
    let reload = events.wait("reload", |d| d.contains("fr/lessons/loss.html"));
    assert!(!reload.data.contains("en/lessons/loss.html") && reload.data.contains("\"all\":false"), "{reload:?}");
    server.wait_for_content("/fr/lessons/loss.html", "Une phrase ajoutée pendant le service.");

    let page = "content/en/lessons/regularisation.md";
    let text = read_source(book.path(), page);
    write(book.path(), page, &format!("{text}\n\nA sentence added while serving.\n"));
    server.wait_for_content("/en/lessons/regularisation.html", "A sentence added while serving.");
    server.wait_for_content("/fr/lessons/regularisation.html", "A sentence added while serving.");

    let (_, toc) = server.get("/fr/toc.html");
    assert!(toc.contains("Nos modèles"), "the theme's word for the models' part: {toc}");
    write(book.path(), "themes/course/i18n/fr.yaml", "model_part: Les modèles du cours\n");
    server.wait_for_content("/fr/toc.html", "Les modèles du cours");
    let (_, toc) = server.get("/en/toc.html");
    assert!(toc.contains(">Models<"), "English keeps its word: {toc}");
}

/// An mdBook (`book.toml`, no `book.yaml`) is served as `build` builds it: SUMMARY.md's
/// names, its extra style sheets and redirects, broken links as terminal warnings (the page
/// still serves, no error event), and an edit of `book.toml` reloads the book.
#[test]
fn serves_an_mdbook_from_book_toml() {
    let book = copy_fixture("mdbook-rust-book");
    let server = Server::start(book.path());
    let page = server.wait_for_content("/ch04-01-what-is-ownership.html", "<title>What is Ownership?");
    assert!(page.contains("theme/listing.css") && page.contains("ferris.js"), "{page}");
    let (status, css) = server.get("/theme/listing.css");
    assert_eq!(status, 200, "additional-css is served");
    assert!(!css.is_empty());
    server.wait_for_content("/ch17-00-oop.html", "url=ch18-00-oop.html");
    server.wait_for_content("/print.html", "What Is Ownership?");
    let printed = server.first_build_output();
    assert!(printed.contains("warning: book.toml:41:1: `[preprocessor.trpl-note]`"), "{printed}");
    assert!(printed.contains("warning: src/ch04-01-what-is-ownership.md:"), "broken links are warnings: {printed}");

    let events = server.events();
    let toml = read_source(book.path(), "book.toml");
    write(
        book.path(),
        "book.toml",
        &toml.replace("title = \"The Rust Programming Language\"", "title = \"Renamed Book\""),
    );
    events.wait("reload", |d| d.contains("\"all\":true"));
    server.wait_for_content("/ch04-01-what-is-ownership.html", "What is Ownership? · Renamed Book");
}

#[test]
fn errors_show_up_and_clear_while_the_last_good_page_stays() {
    let book = copy_fixture("features");
    let server = Server::start(book.path());
    let events = server.events();
    let page = "content/guide/links.md";
    let good = read_source(book.path(), page);
    let lines = good.lines().count();

    write(book.path(), page, &format!("{good}\n[broken](../nowhere.md)\n"));
    let error = events.wait("error", |d| d.contains("nowhere.md"));
    assert!(error.data.contains("\"file\":\"content/guide/links.md\""), "{error:?}");
    assert!(error.data.contains(&format!("\"line\":{}", lines + 2)), "the error names the line: {error:?}");
    let (status, body) = server.get("/guide/links.html");
    assert_eq!(status, 200, "the page is still served");
    assert!(body.contains("/__labbook/live.js"));

    // A page opened now learns about the error at once.
    let late = server.events();
    late.wait("error", |d| d.contains("nowhere.md"));

    // A broken anchor is an error too; the page is rendered with its new text.
    write(book.path(), page, &format!("{good}\nAnchor test: [gone](#no-such-heading)\n"));
    events.wait("error", |d| d.contains("no-such-heading"));
    server.wait_for_content("/guide/links.html", "Anchor test");

    write(book.path(), page, &good);
    events.wait("ok", |_| true);
    late.wait("ok", |_| true);

    // Removing a heading that another page links to breaks that page's link, though that
    // page did not change; putting it back fixes it.
    let target = read_source(book.path(), "content/ml/index.md");
    let second = target.rfind("## Same title").expect("the fixture has the heading twice");
    write(book.path(), "content/ml/index.md", &format!("{}{}", &target[..second], &target[second + 14..]));
    let error = events.wait("error", |d| d.contains("same-title-1"));
    assert!(error.data.contains("content/guide/links.md"), "{error:?}");
    write(book.path(), "content/ml/index.md", &target);
    events.wait("ok", |_| true);

    // Bad YAML in book.yaml: an error, the site stays up; fixing it recovers.
    let yaml = read_source(book.path(), "book.yaml");
    write(book.path(), "book.yaml", &format!("{yaml}\nunknown-key: 1\n"));
    let error = events.wait("error", |d| d.contains("book.yaml"));
    assert!(error.data.contains("unknown-key") || error.data.contains("unknown"), "{error:?}");
    assert_eq!(server.get("/index.html").0, 200);
    write(book.path(), "book.yaml", &yaml);
    events.wait("ok", |_| true);
    let output = server.output();
    assert!(output.contains("error: content/guide/links.md:"), "the terminal shows errors too:\n{output}");
}

#[test]
fn includes_assets_and_theme_changes_are_followed() {
    let book = copy_fixture("theme-override");
    std::fs::create_dir_all(book.path().join("content/code")).unwrap();
    write(book.path(), "content/code/hello.py", "print('first version')\n");
    write(book.path(), "content/index.md", "# Home\n\n```python\n{{#include code/hello.py}}\n```\n\n![pic](pic.svg)\n");
    write(book.path(), "content/pic.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>one</title></svg>");
    let server = Server::start(book.path());
    server.wait_for_content("/index.html", "first version");
    let events = server.events();

    write(book.path(), "content/code/hello.py", "print('second version')\n");
    events.wait("reload", |d| d.contains("index.html"));
    server.wait_for_content("/index.html", "second version");

    write(book.path(), "content/pic.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>two</title></svg>");
    events.wait("reload", |d| d.contains("index.html"));
    server.wait_for_content("/pic.svg", "<title>two</title>");

    // An include that does not exist yet: an error until the file appears. (Not under
    // exercises/: a folder there without an exercise.yaml is an error of its own.)
    std::fs::create_dir_all(book.path().join("content/snippets")).unwrap();
    write(book.path(), "content/index.md", "# Home\n\n```python\n{{#include snippets/start.py}}\n```\n");
    events.wait("error", |d| d.contains("start.py"));
    write(book.path(), "content/snippets/start.py", "print('from the exercise')\n");
    events.wait("ok", |_| true);
    server.wait_for_content("/index.html", "from the exercise");

    // A stylesheet of the theme: swapped without a reload.
    write(book.path(), "themes/custom/static/extra.css", "body { outline: 1px solid red; }\n");
    let css = events.wait("css", |d| d.contains("extra.css"));
    let path = css.data.split("\"extra.css\":\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    server.wait_for_content(&format!("/{path}"), "outline");

    // A template: every page reloads.
    let template = "<!DOCTYPE html><html><body><p>custom page template</p>{{ page.content | safe }}</body></html>\n";
    write(book.path(), "themes/custom/templates/page.html", template);
    events.wait("reload", |d| d.contains("\"all\":true"));
    server.wait_for_content("/index.html", "custom page template");

    // Editor droppings change nothing.
    write(book.path(), "content/.index.md.swp", "junk");
    write(book.path(), "content/index.md~", "junk");
    write(book.path(), "content/4913", "");
    assert_eq!(server.get("/4913").0, 404);
}

/// The API reference's markup comes from the theme's templates while the Markdown stage
/// runs: a changed `api/` template makes serve transform the API pages again.
#[test]
fn an_api_template_change_rewrites_the_api_pages() {
    let book = copy_fixture("apidoc");
    let config = std::fs::read_to_string(book.path().join("book.yaml")).unwrap();
    write(book.path(), "book.yaml", &format!("theme: plain\n{config}"));
    std::fs::create_dir_all(book.path().join("themes/plain/templates/api")).unwrap();
    let server = Server::start(book.path());
    server.wait_for_content("/api/geometry.shapes.html", "<p class=\"api-section-title\">Parameters</p>");
    let events = server.events();
    write(
        book.path(),
        "themes/plain/templates/api/params.html",
        "<dl class=\"my-params\">{% for row in rows %}<dt>{{ row.name }}</dt>{% endfor %}</dl>\n",
    );
    events.wait("reload", |d| d.contains("\"all\":true"));
    server.wait_for_content("/api/geometry.shapes.html", "<dl class=\"my-params\"><dt>radius</dt><dt>center</dt>");
}

#[test]
fn requests_outside_the_site_and_other_methods_are_refused() {
    let book = copy_fixture("minimal");
    let server = Server::start(book.path());
    for target in ["/../book.yaml", "/%2e%2e/book.yaml", "/%2E%2E%2Fbook.yaml", "/..%5cbook.yaml", "//etc/passwd"] {
        let (status, _) = server.get(target);
        assert!(status == 400 || status == 404, "{target} answered {status}");
    }
    let (status, _, _) = server.request("GET", "http://example.org/index.html");
    assert!(status == 400 || status == 404, "an absolute target answered {status}");
    let (status, _) = server.get(&format!("/{}", book.path().join("book.yaml").display()));
    assert!(status == 400 || status == 404, "an absolute file path answered {status}");
    let (status, head, body) = server.request("POST", "/index.html");
    assert_eq!(status, 405, "{head}");
    assert!(body.is_empty() || !body.contains("<html"));
    let (status, head, body) = server.request("HEAD", "/index.html");
    assert_eq!(status, 200, "{head}");
    assert!(body.is_empty(), "HEAD has no body");
    assert_eq!(server.get("/missing.html").0, 404);
}

#[test]
fn the_polling_watcher_sees_edits_too() {
    let book = copy_fixture("minimal");
    let server = Server::start_with(book.path(), &["--poll"]);
    let events = server.events();
    write(book.path(), "content/index.md", "# Minimal\n\nPolled edit.\n");
    events.wait("reload", |d| d.contains("index.html"));
    server.wait_for_content("/index.html", "Polled edit.");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_and_closes_event_streams() {
    let book = copy_fixture("minimal");
    let mut server = Server::start(book.path());
    let events = server.events();
    assert_eq!(server.get("/index.html").0, 200);
    let status = Command::new("kill").args(["-INT", &server.child.id().to_string()]).status().expect("run kill");
    assert!(status.success());
    let deadline = Instant::now() + PATIENCE;
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "serve exited with {exit}");
    // The reader thread ends when the server closes the stream.
    match events.events.recv_timeout(PATIENCE) {
        Err(RecvTimeoutError::Disconnected) => {}
        other => panic!("the event stream stayed open: {other:?}"),
    }
    assert!(server.output().contains("Stopping"), "{}", server.output());
}

#[test]
fn a_non_loopback_host_prints_a_warning() {
    let book = copy_fixture("minimal");
    let mut child = labbook()
        .args(["serve", "--port", "0", "--host", "0.0.0.0", "--root"])
        .arg(book.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start labbook serve");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let _ = stderr.read_line(&mut line);
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("warning") && line.contains("0.0.0.0"), "{line}");
}

#[test]
fn the_page_updates_in_chromium_after_an_edit() {
    if !can_run(missing_browser(), "tests/serve.rs the_page_updates_in_chromium_after_an_edit") {
        return;
    }
    let scripts = repo_root().join("tests/browser");
    let book = copy_fixture("theme-override");
    let server = Server::start(book.path());
    let url = format!("http://{}/", server.address);
    let run = run_node(&scripts.join("serve.mjs"), &[url.as_str(), &book.path().display().to_string()], &scripts);
    run.expect_success("serve.mjs", &format!("server:\n{}", server.output()));
}

#[test]
fn api_pages_follow_their_python_source() {
    let book = copy_fixture("apidoc");
    let server = Server::start(book.path());
    server.wait_for_content("/api/geometry.html", "The area of a shape.");
    // A docstring edit reaches its API page.
    let init = "src/geometry/__init__.py";
    let text = read_source(book.path(), init).replace("The area of a shape.", "How much plane a shape covers.");
    write(book.path(), init, &text);
    server.wait_for_content("/api/geometry.html", "How much plane a shape covers.");
    // And a page that shows the object with `autodoc`.
    let shapes = "src/geometry/shapes.py";
    let text = read_source(book.path(), shapes).replace("A copy scaled by `factor`.", "A resized copy.");
    write(book.path(), shapes, &text);
    server.wait_for_content("/index.html", "A resized copy.");
}

/// DNS rebinding: a page of `evil.example.com`, whose name now points at 127.0.0.1, makes
/// the browser send `Host: evil.example.com`; serve refuses it, says why, and still answers
/// its own names. The event stream refuses a page of another origin.
#[test]
fn a_rebinding_request_is_refused() {
    let book = copy_fixture("minimal");
    let server = Server::start(book.path());
    let port = server.port().to_string();
    let (status, _, body) = server.raw(&format!("GET /index.html HTTP/1.1\r\nHost: evil.example.com:{port}"));
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("`evil.example.com:") && body.contains("DNS rebinding"), "{body}");
    assert!(!body.contains("Minimal"), "the refusal shows the page: {body}");
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")] {
        let (status, head, _) = server.raw(&format!("GET /index.html HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 200, "{host}: {head}");
    }
    // Another port of the same name, and no Host at all.
    assert_eq!(server.raw("GET /index.html HTTP/1.1\r\nHost: localhost:1").0, 403);
    assert_eq!(server.raw("GET /index.html HTTP/1.1").0, 400);
    // The live-reload stream: another origin is refused, the server's own is answered.
    let events = format!("GET /__labbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}");
    let (status, _, body) = server.raw(&format!("{events}\r\nOrigin: http://evil.example.com"));
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(stream, "{events}\r\nOrigin: http://localhost:{port}\r\n\r\n").unwrap();
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
}

/// With `--host 0.0.0.0` (a classroom preview), the machine's own address as reached and
/// `--allow-host` names are answered; other names still are not.
#[test]
fn every_interface_answers_the_machines_addresses_and_allowed_names() {
    let book = copy_fixture("minimal");
    let server = Server::start_with(book.path(), &["--host", "0.0.0.0", "--allow-host", "classroom.lan"]);
    let port = server.port().to_string();
    for host in [format!("classroom.lan:{port}"), format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert_eq!(server.raw(&format!("GET / HTTP/1.1\r\nHost: {host}")).0, 200, "{host}");
    }
    assert_eq!(server.raw(&format!("GET / HTTP/1.1\r\nHost: evil.example.com:{port}")).0, 403);
    // The machine's address on its network, if it has one: reached there, it is answered.
    let lan = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|()| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified());
    match lan {
        Some(ip) => {
            let mut stream = TcpStream::connect((ip, server.port().parse::<u16>().unwrap())).unwrap();
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            write!(stream, "GET / HTTP/1.1\r\nHost: {ip}:{port}\r\nConnection: close\r\n\r\n").unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).unwrap();
            assert!(answer.starts_with("HTTP/1.1 200"), "{ip}: {answer}");
        }
        None => eprintln!("note: this machine has no non-loopback address; only loopback and names were checked"),
    }
}

/// Byte ranges of a static file (206), a range past its end (416), and a whole file
/// announcing that ranges are accepted.
#[test]
fn static_files_answer_byte_ranges() {
    let book = copy_fixture("minimal");
    std::fs::create_dir_all(book.path().join("content/media")).unwrap();
    let clip = std::fs::read(fixture("media/clip.webm")).unwrap();
    std::fs::write(book.path().join("content/media/clip.webm"), &clip).unwrap();
    let server = Server::start(book.path());
    let host = format!("Host: {}", server.address);
    let get = |range: &str| server.raw(&format!("GET /media/clip.webm HTTP/1.1\r\n{host}{range}"));
    let (status, head, body) = get("");
    assert_eq!((status, body.len()), (200, clip.len()), "{head}");
    assert!(head.contains("Accept-Ranges: bytes"), "{head}");
    let (status, head, body) = get("\r\nRange: bytes=100-199");
    assert_eq!(status, 206, "{head}");
    assert!(head.contains(&format!("Content-Range: bytes 100-199/{}", clip.len())), "{head}");
    assert_eq!(body, clip[100..200]);
    let (status, _, body) = get("\r\nRange: bytes=-10");
    assert_eq!((status, body.as_slice()), (206, &clip[clip.len() - 10..]));
    let (status, _, body) = get(&format!("\r\nRange: bytes={}-", clip.len() - 5));
    assert_eq!((status, body.as_slice()), (206, &clip[clip.len() - 5..]));
    let (status, head, _) = get(&format!("\r\nRange: bytes={}-", clip.len()));
    assert_eq!(status, 416, "{head}");
    assert!(head.contains(&format!("Content-Range: bytes */{}", clip.len())), "{head}");
    // Several ranges are answered with the whole file, as the RFC allows.
    assert_eq!(get("\r\nRange: bytes=0-1,5-6").0, 200);
}

/// 2,000 idle connections: the server keeps at most its limit of connection threads (it
/// closes the longest-idle ones to make room), its memory stays bounded, and a normal
/// request is still answered. Prints the figures.
#[cfg(target_os = "linux")]
#[test]
fn two_thousand_idle_connections_keep_threads_and_memory_bounded() {
    let book = copy_fixture("minimal");
    let server = Server::start(book.path());
    assert_eq!(server.get("/index.html").0, 200);
    let (threads_before, rss_before) = server.threads_and_rss();
    raise_open_file_limit(2000 + 256);
    let mut idle = Vec::new();
    for _ in 0..2000 {
        let stream = TcpStream::connect_timeout(&server.address.parse().unwrap(), PATIENCE).expect("connect");
        idle.push(stream);
    }
    // Every connection has reached the server (the last one was accepted) before measuring.
    let (status, body) = server.get("/index.html");
    assert_eq!(status, 200, "{body}");
    let (threads, rss) = server.threads_and_rss();
    eprintln!(
        "2000 idle connections: {threads} threads (before: {threads_before}), resident {} KiB (before: {} KiB)",
        rss, rss_before
    );
    // The connection threads, plus the watcher, rebuild, heartbeat and accept threads.
    assert!(threads <= 128 + 16, "{threads} threads with 2000 idle connections");
    assert!(rss < rss_before + 64 * 1024, "resident memory grew from {rss_before} to {rss} KiB");
    // A new connection still gets a page while all 2,000 are open on the client side.
    let (status, head, _) = server.raw(&format!("GET /index.html HTTP/1.1\r\nHost: {}", server.address));
    assert_eq!(status, 200, "{head}");
    drop(idle);
}

/// Raises this process's soft limit on open files to `want` (Debian's default is 1024), or
/// panics saying why it cannot.
#[cfg(target_os = "linux")]
fn raise_open_file_limit(want: u64) {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0, "getrlimit");
        if limit.rlim_cur >= want {
            return;
        }
        assert!(limit.rlim_max >= want, "the hard limit on open files ({}) is below {want}", limit.rlim_max);
        limit.rlim_cur = want;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0, "setrlimit");
    }
}

/// A slow-loris attack: 200 connections (more than the server's limit) each trickling a
/// request head one byte at a time. Each is cut off with 408 once its head has taken
/// longer than the server allows, and a normal request is answered meanwhile.
#[test]
fn a_slow_loris_trickle_is_cut_off_and_others_are_answered() {
    let book = copy_fixture("minimal");
    let server = Server::start(book.path());
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut s = TcpStream::connect(&server.address).expect("connect");
            write!(s, "GET /index.html HTTP/1.1\r\nHost: {}\r\n", server.address).unwrap();
            s.set_nonblocking(true).unwrap();
            s
        })
        .collect();
    // A normal request while they trickle.
    let (status, head, _) = server.raw(&format!("GET /index.html HTTP/1.1\r\nHost: {}", server.address));
    assert_eq!(status, 200, "{head}");
    // Trickle one header byte per connection every half second, for up to 60 s (a header
    // line that never ends); the server must end every one of them long before.
    let mut answers = vec![Vec::new(); slow.len()];
    let mut closed = vec![false; slow.len()];
    let started = Instant::now();
    while closed.iter().any(|c| !c) && started.elapsed() < Duration::from_secs(60) {
        for (i, stream) in slow.iter_mut().enumerate() {
            if closed[i] {
                continue;
            }
            if stream.write(b"x").is_err() {
                closed[i] = true;
            }
            let mut buf = [0u8; 512];
            loop {
                match stream.read(&mut buf) {
                    Ok(0) => {
                        closed[i] = true;
                        break;
                    }
                    Ok(n) => answers[i].extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(_) => {
                        closed[i] = true;
                        break;
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let open = closed.iter().filter(|c| !**c).count();
    assert_eq!(open, 0, "{open} trickling connections were still open after 60 s");
    // Those that kept their place until the head timeout were told why; those closed to
    // make room for newer ones (the server holds 128) just ended.
    let timed_out = answers.iter().filter(|a| String::from_utf8_lossy(a).starts_with("HTTP/1.1 408")).count();
    assert!(timed_out >= 1, "no trickling connection got 408: {:?}", String::from_utf8_lossy(&answers[199]));
    assert!(answers.iter().all(|a| a.is_empty() || a.starts_with(b"HTTP/1.1 408")), "a trickle got another answer");
    eprintln!(
        "slow loris: {timed_out} of 200 got 408, the others were closed to make room, in {:?}",
        started.elapsed()
    );
}

/// A video in a lesson seeks under serve (`tests/browser/serve-video.mjs`): Chromium plays
/// `tests/fixtures/media/clip.webm` from the served book and lands at 4.5 s when asked.
#[test]
fn a_video_seeks_in_chromium() {
    if !can_run(missing_browser(), "tests/serve.rs a_video_seeks_in_chromium") {
        return;
    }
    let book = copy_fixture("minimal");
    std::fs::create_dir_all(book.path().join("content/media")).unwrap();
    std::fs::copy(fixture("media/clip.webm"), book.path().join("content/media/clip.webm")).unwrap();
    write(
        book.path(),
        "content/video.md",
        "# A video\n\n<video id=\"clip\" src=\"media/clip.webm\" controls preload=\"metadata\"></video>\n",
    );
    let server = Server::start(book.path());
    let scripts = repo_root().join("tests/browser");
    let url = format!("http://{}/", server.address);
    let run = run_node(&scripts.join("serve-video.mjs"), &[url.as_str(), &book.path().display().to_string()], &scripts);
    run.expect_success("serve-video.mjs", &format!("server:\n{}", server.output()));
}

/// `labbook init` makes a course that builds, passes `labbook test` and serves at once: a
/// lesson with maths, code, a quiz and an exercise block; the exercise's solution passes its
/// shown and hidden checks and its starter fails; `book.yaml` explains its keys.
#[test]
fn init_makes_a_course_that_builds_tests_and_serves() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("course");
    let init = labbook().arg("init").arg(&dir).output().unwrap();
    assert!(init.status.success(), "{}", shown(&init));
    let yaml = std::fs::read_to_string(dir.join("book.yaml")).unwrap();
    for key in ["title:", "description:", "authors:", "language:", "id:", "toc:", "search:", "links:", "exercises:"] {
        let line = yaml.lines().position(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no {key} in book.yaml"));
        assert!(yaml.lines().nth(line - 1).unwrap().starts_with('#'), "{key} has no comment above it");
    }

    let site = dir.join("site");
    build_ok(&dir, &site);
    let lesson = read(&site, "lessons/averages.html");
    assert!(lesson.contains("<math"), "no maths in the lesson");
    assert!(lesson.contains("class=\"quiz"), "no quiz in the lesson");
    assert!(lesson.contains("id=\"exercise-mean\""), "no exercise block");
    assert!(lesson.contains("<code class=\"language-python\"><span class="), "the code is not highlighted");

    let test = labbook().args(["test", "--root"]).arg(&dir).output().unwrap();
    let report = shown(&test);
    assert!(test.status.success(), "{report}");
    assert!(report.contains("mean"), "labbook test did not run the exercise: {report}");
    assert!(!report.contains("No exercises"), "{report}");

    let server = Server::start(&dir);
    let (status, page) = server.get("/lessons/averages.html");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("/__labbook/live.js") && page.contains("<math"), "{page}");

    let again = labbook().arg("init").arg(&dir).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "init refuses to overwrite: {}", shown(&again));
    let clean = labbook().args(["clean", "--root"]).arg(&dir).output().unwrap();
    assert!(clean.status.success(), "{}", shown(&clean));
    assert!(!site.exists() && dir.join("book.yaml").exists(), "clean removes only the site");
}
