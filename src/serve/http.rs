//! The HTTP side of `serve`: files of the in-memory site, the live-reload script and the
//! event stream. Only GET and HEAD; a path that tries to climb out of the site is refused
//! before it is looked up.
//!
//! A small HTTP/1.1 server on `std::net`, one thread per connection: a local preview
//! server has a handful of clients, and an event stream must hold its connection forever.
//! (tiny_http 0.12 was tried first: its thread pool can leave a new connection queued
//! behind a browser's idle keep-alive connections, which stalls page loads.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::events::Hub;
use super::site::{Bytes, LiveSite, Readiness};

/// The live-reload client, served at [`LIVE_JS`].
const LIVE_JS_SOURCE: &str = include_str!("live.js");
/// Where the live-reload client is served.
pub const LIVE_JS: &str = "/__labbook/live.js";
/// Where the event stream is served.
pub const EVENTS: &str = "/__labbook/events";
/// What every served HTML page gets before `</body>`.
const LIVE_SCRIPT_TAG: &str = "<script src=\"/__labbook/live.js\"></script>\n";
/// The longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Longest wait for the background render of the site-wide pages before serving the old ones.
const EXTRAS_PATIENCE: Duration = Duration::from_secs(10);
/// An idle keep-alive connection is closed after this long.
const IDLE: Duration = Duration::from_secs(30);

/// What the request handlers share with the rebuild loop.
pub struct Shared {
    /// The site in memory.
    pub site: Mutex<LiveSite>,
    /// The open event streams.
    pub hub: Hub,
    /// Signalled when a background render of the site-wide pages finishes.
    pub extras_done: Condvar,
}

impl Shared {
    /// Renders the stale site-wide pages and search index without holding the lock
    /// meanwhile; requests for them wait on [`Shared::extras_done`].
    pub fn refresh_extras(&self) {
        let Some(job) = self.site.lock().expect("site lock").start_extras() else { return };
        let result = job.run();
        self.site.lock().expect("site lock").finish_extras(&job, result);
        self.extras_done.notify_all();
    }

    /// A file of the site once it is up to date (waiting for, or doing, the site-wide render).
    fn file(&self, path: &str) -> Option<Bytes> {
        let mut site: MutexGuard<LiveSite> = self.site.lock().expect("site lock");
        loop {
            match site.readiness(path) {
                Readiness::Ready => return site.file(path),
                Readiness::Wait => {
                    let (guard, waited) = self.extras_done.wait_timeout(site, EXTRAS_PATIENCE).expect("site lock");
                    site = guard;
                    if waited.timed_out() {
                        return site.file(path);
                    }
                }
                Readiness::Render => {
                    site.render_extras();
                    return site.file(path);
                }
            }
        }
    }
}

/// Accepts connections until the process ends, each on its own thread.
pub fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = shared.clone();
        std::thread::spawn(move || serve_connection(stream, &shared));
    }
}

/// One parsed request head.
struct Request {
    method: String,
    target: String,
    keep_alive: bool,
    has_body: bool,
}

/// An answer: status, extra headers, body (not sent for HEAD).
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

/// Requests on one connection, answered in order, until the client closes it, asks to
/// close it, or it turns into an event stream.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut stream = stream;
    loop {
        let request = match read_head(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(&mut stream, &text(status, "bad request\n"), false, false);
                return;
            }
        };
        let head = request.method == "HEAD";
        if request.method == "GET" && !request.has_body && request_path(&request.target).as_deref() == Ok(EVENTS) {
            shared.hub.subscribe(Box::new(stream));
            return;
        }
        let response = answer(&request, shared);
        // A body we did not read would be taken for the next request: close instead.
        let keep_alive = request.keep_alive && !request.has_body && response.status != 405;
        if write_response(&mut stream, &response, head, keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

/// Reads a request head; `Ok(None)` when the client closed the connection (or went idle).
fn read_head(reader: &mut impl BufRead) -> Result<Option<Request>, u16> {
    let mut lines = Vec::new();
    let mut size = 0;
    loop {
        let mut line = Vec::new();
        match reader.by_ref().take((MAX_HEAD + 1 - size) as u64).read_until(b'\n', &mut line) {
            Ok(0) if lines.is_empty() => return Ok(None),
            Ok(0) => return Err(400),
            Ok(n) => size += n,
            Err(_) if lines.is_empty() => return Ok(None),
            Err(_) => return Err(400),
        }
        if size > MAX_HEAD {
            return Err(431);
        }
        let line = String::from_utf8(line).map_err(|_| 400u16)?;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if lines.is_empty() {
                continue; // stray blank lines between requests are allowed
            }
            break;
        }
        lines.push(line.to_string());
    }
    let mut first = lines[0].split(' ');
    let (Some(method), Some(target), Some(version), None) = (first.next(), first.next(), first.next(), first.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    let mut connection = String::new();
    let mut has_body = false;
    for header in &lines[1..] {
        let Some((name, value)) = header.split_once(':') else { return Err(400) };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" => connection = value.to_ascii_lowercase(),
            "content-length" => has_body |= value != "0",
            "transfer-encoding" => has_body = true,
            _ => {}
        }
    }
    let keep_alive =
        if version == "HTTP/1.0" { connection.contains("keep-alive") } else { !connection.contains("close") };
    Ok(Some(Request { method: method.to_string(), target: target.to_string(), keep_alive, has_body }))
}

fn write_response(stream: &mut TcpStream, response: &Response, head: bool, keep_alive: bool) -> std::io::Result<()> {
    let body = response.body.as_ref();
    let mut out = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n\r\n",
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    let mut bytes = out.into_bytes();
    if !head {
        bytes.extend_from_slice(body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// The answer to one request (the event stream is handled before).
fn answer(request: &Request, shared: &Shared) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        let mut response = text(405, "only GET and HEAD are served\n");
        response.headers.push(("Allow", "GET, HEAD".to_string()));
        return response;
    }
    let path = match request_path(&request.target) {
        Ok(path) => path,
        Err(why) => return text(400, &format!("bad request: {why}\n")),
    };
    if path == LIVE_JS {
        let mut response = text(200, LIVE_JS_SOURCE);
        response.headers = vec![("Content-Type", "text/javascript; charset=utf-8".to_string())];
        return response;
    }
    if path == EVENTS {
        // HEAD of the stream (GET was handled before).
        let mut response = text(200, "");
        response.headers = vec![("Content-Type", "text/event-stream".to_string())];
        return response;
    }
    if path.starts_with("/__labbook/") {
        return text(404, "not found\n");
    }

    let mut rel = path.trim_start_matches('/').to_string();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let found = shared.file(&rel);
    let folder = found.is_none() && shared.file(&format!("{rel}/index.html")).is_some();
    match found {
        Some(bytes) => file_response(200, &rel, bytes),
        // `/ml` -> `/ml/`, so that the page's relative links resolve.
        None if folder => {
            let mut response = text(301, "moved\n");
            response.headers.push(("Location", format!("{path}/")));
            response
        }
        None => match shared.file("404.html") {
            Some(bytes) => file_response(404, "404.html", bytes),
            None => text(404, "not found\n"),
        },
    }
}

/// The decoded path of a request target, or why it is refused: not an origin-form path,
/// not UTF-8, or with `.`/`..` segments, backslashes or NUL (in any encoding).
pub fn request_path(target: &str) -> Result<String, &'static str> {
    if !target.starts_with('/') || target.starts_with("//") {
        return Err("the target must be a path on this server");
    }
    let raw = target.split(['?', '#']).next().unwrap_or_default();
    let decoded = String::from_utf8(percent_decode(raw)).map_err(|_| "the path is not UTF-8")?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return Err("the path has forbidden characters");
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err("the path leaves the site");
    }
    Ok(decoded)
}

/// `%41` -> `A`; malformed escapes stay as written.
fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// A file of the site; HTML pages get the live-reload script.
fn file_response(status: u16, rel: &str, bytes: Bytes) -> Response {
    let content_type = content_type(rel);
    let body = if content_type.starts_with("text/html") {
        Body::Owned(inject_live_script(&bytes))
    } else {
        Body::Shared(bytes)
    };
    Response { status, headers: vec![("Content-Type", content_type.to_string())], body }
}

/// A response body: a file of the site as it is, or a page with the script added.
pub enum Body {
    /// Shared with the site.
    Shared(Bytes),
    /// Made for this response.
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Shared(b) => b.as_slice(),
            Body::Owned(b) => b.as_slice(),
        }
    }
}

fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
        body: Body::Owned(body.as_bytes().to_vec()),
    }
}

/// Inserts the live-reload script before the last `</body>` (or at the end).
pub fn inject_live_script(html: &[u8]) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + LIVE_SCRIPT_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(LIVE_SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The media type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" | "py" | "pyi" | "rs" | "toml" | "yaml" | "yml" | "sh" | "ipynb" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Shares the state with the handler threads.
pub fn shared(site: LiveSite) -> Arc<Shared> {
    Arc::new(Shared { site: Mutex::new(site), hub: Hub::default(), extras_done: Condvar::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(request_path("/ml/loss.html?x=1#a"), Ok("/ml/loss.html".to_string()));
        assert_eq!(request_path("/a%20b.png"), Ok("/a b.png".to_string()));
        for bad in [
            "/../book.yaml",
            "/ml/../../x",
            "/%2e%2e/book.yaml",
            "/%2E%2E%2fbook.yaml",
            "/..%5cbook.yaml",
            "/./a",
            "//etc/passwd",
            "/%2fetc/passwd",
            "http://example.org/",
            "*",
            "/a%00b",
            "/%ff",
        ] {
            assert!(request_path(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject_live_script(b"<p>&lt;/body&gt;</p></BODY></html>");
        assert_eq!(String::from_utf8(out).unwrap(), format!("<p>&lt;/body&gt;</p>{LIVE_SCRIPT_TAG}</BODY></html>"));
        let out = inject_live_script(b"<p>x</p>");
        assert_eq!(String::from_utf8(out).unwrap(), format!("<p>x</p>{LIVE_SCRIPT_TAG}"));
    }

    #[test]
    fn request_heads() {
        let mut input: &[u8] = b"GET /a.html HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.0\r\n\r\n";
        let first = read_head(&mut input).unwrap().unwrap();
        assert_eq!((first.method.as_str(), first.target.as_str(), first.keep_alive), ("GET", "/a.html", true));
        let second = read_head(&mut input).unwrap().unwrap();
        assert_eq!((second.method.as_str(), second.keep_alive), ("HEAD", false));
        assert!(read_head(&mut input).unwrap().is_none());
        let mut bad: &[u8] = b"GET /\r\n\r\n";
        assert_eq!(read_head(&mut bad).err(), Some(400));
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read_head(&mut long.as_bytes()).err(), Some(431));
        let mut post: &[u8] = b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
        assert!(read_head(&mut post).unwrap().unwrap().has_body);
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/labbook.1234567890.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
