//! The HTTP side of `serve`: files of the in-memory site, the live-reload script and the
//! event stream. Only GET and HEAD; a path that tries to climb out of the site is refused
//! before it is looked up.
//!
//! A small HTTP/1.1 server on `std::net`, one thread per open connection, at most
//! [`MAX_CONNECTIONS`](super::connections::MAX_CONNECTIONS) of them ([`super::connections`]
//! closes idle and slow ones to make room); an event stream leaves its thread to the hub.
//! (tiny_http 0.12 was tried first: its thread pool can leave a new connection queued
//! behind a browser's idle keep-alive connections, which stalls page loads. hyper would
//! bring an async runtime to a server whose every answer is a lookup in memory.)
//! Requests must name this server in `Host` ([`super::hosts`]); static files answer single
//! byte ranges (`Range`, 206), so a `<video>` in a lesson can seek.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::connections::{Connections, Deadline, Phase, Slot, HEAD_TIMEOUT, IDLE, WRITE_TIMEOUT};
use super::events::Hub;
use super::hosts::HostPolicy;
use super::languages::Sites;
use super::site::{Bytes, Readiness};

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

/// What the request handlers share with the rebuild loop.
pub struct Shared {
    /// The site in memory (each language's, for a translated book).
    pub site: Mutex<Sites>,
    /// The open event streams.
    pub hub: Hub,
    /// Signalled when a background render of the site-wide pages finishes.
    pub extras_done: Condvar,
    /// The `Host` and `Origin` values answered.
    pub hosts: HostPolicy,
    /// The open connections, at most `MAX_CONNECTIONS`.
    pub connections: Arc<Connections>,
}

impl Shared {
    /// Renders the stale site-wide pages and search index without holding the lock
    /// meanwhile; requests for them wait on [`Shared::extras_done`].
    pub fn refresh_extras(&self) {
        // One language's files after the other.
        loop {
            let Some(job) = self.site.lock().expect("site lock").start_extras() else { return };
            let result = job.run();
            self.site.lock().expect("site lock").finish_extras(&job, result);
            self.extras_done.notify_all();
        }
    }

    /// A file of the site once it is up to date (waiting for, or doing, the site-wide render).
    fn file(&self, path: &str) -> Option<Bytes> {
        let mut site: MutexGuard<Sites> = self.site.lock().expect("site lock");
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
                    site.render_extras_for(path);
                    return site.file(path);
                }
            }
        }
    }
}

/// Accepts connections until the process ends, each on its own thread once it has a
/// place in the table (waiting for one when every connection is being answered).
pub fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // Out of descriptors, most likely: let connections end instead of spinning.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let Some(slot) = shared.connections.admit(&stream) else { continue };
        let shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("serve-connection".into())
            .stack_size(256 * 1024)
            .spawn(move || serve_connection(stream, &shared, &slot));
        if spawned.is_err() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// One parsed request head.
struct Request {
    method: String,
    target: String,
    keep_alive: bool,
    has_body: bool,
    /// The `Host` header.
    host: Option<String>,
    /// The `Origin` header.
    origin: Option<String>,
    /// The `Range` header.
    range: Option<String>,
    /// An `If-Range` header came: the range is answered only if it names the current
    /// version, which this server cannot tell (it sends no validators), so it is not.
    if_range: bool,
}

/// An answer: status, extra headers, body (not sent for HEAD).
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

/// Requests on one connection, answered in order, until the client closes it, asks to
/// close it, stays idle too long, trickles a head too slowly, or it turns into an event stream.
fn serve_connection(stream: TcpStream, shared: &Shared, slot: &Slot) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(local) = stream.local_addr().map(|a| a.ip()) else { return };
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(Deadline::new(read_half, IDLE));
    let mut stream = stream;
    loop {
        if !slot.enter(Phase::Idle) {
            return;
        }
        reader.get_mut().until = std::time::Instant::now() + IDLE;
        if !matches!(reader.fill_buf(), Ok(bytes) if !bytes.is_empty()) {
            return; // closed, idle too long, or closed by the table
        }
        if !slot.enter(Phase::Head) {
            return;
        }
        reader.get_mut().until = std::time::Instant::now() + HEAD_TIMEOUT;
        let request = match read_head(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let why = match status {
                    408 => format!("the request head did not arrive within {} s\n", HEAD_TIMEOUT.as_secs()),
                    _ => "bad request\n".to_string(),
                };
                let _ = write_response(&mut stream, &text(status, &why), false, false);
                return;
            }
        };
        if !slot.enter(Phase::Busy) {
            return;
        }
        let head = request.method == "HEAD";
        if !request.host.as_deref().is_some_and(|h| shared.hosts.allows_host(h, local)) {
            let status = if request.host.is_some() { 403 } else { 400 };
            let _ =
                write_response(&mut stream, &text(status, &shared.hosts.explain(request.host.as_deref())), head, false);
            return;
        }
        if request.method == "GET" && !request.has_body && request_path(&request.target).as_deref() == Ok(EVENTS) {
            if let Some(origin) = request.origin.as_deref().filter(|o| !shared.hosts.allows_origin(o, local)) {
                let why = format!(
                    "labbook serve refused the live-reload stream to a page of `{origin}`: only the server's own pages may open it\n"
                );
                let _ = write_response(&mut stream, &text(403, &why), false, false);
                return;
            }
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
            Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                return if size == 0 && line.is_empty() { Ok(None) } else { Err(408) };
            }
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
    let (mut host, mut origin, mut range, mut if_range) = (None, None, None, false);
    for header in &lines[1..] {
        let Some((name, value)) = header.split_once(':') else { return Err(400) };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" => connection = value.to_ascii_lowercase(),
            "content-length" => has_body |= value != "0",
            "transfer-encoding" => has_body = true,
            // Two Host headers are a malformed request (RFC 9112, 3.2).
            "host" if host.is_some() => return Err(400),
            "host" => host = Some(value.to_string()),
            "origin" => origin = Some(value.to_string()),
            "range" => range = Some(value.to_string()),
            "if-range" => if_range = true,
            _ => {}
        }
    }
    let keep_alive =
        if version == "HTTP/1.0" { connection.contains("keep-alive") } else { !connection.contains("close") };
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
        has_body,
        host,
        origin,
        range,
        if_range,
    }))
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
        206 => "Partial Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        416 => "Range Not Satisfiable",
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
        Some(bytes) => {
            let response = file_response(200, &rel, bytes);
            match request.range.as_deref() {
                Some(range) if !request.if_range => ranged(response, range),
                _ => response,
            }
        }
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
        Body::Shared(bytes, 0..usize::MAX)
    };
    let mut headers = vec![("Content-Type", content_type.to_string())];
    if status == 200 {
        headers.push(("Accept-Ranges", "bytes".to_string()));
    }
    Response { status, headers, body }
}

/// What a `Range` header asks of a body of some length.
#[derive(Debug, PartialEq, Eq)]
pub enum RangeAnswer {
    /// The whole body (no single byte range: several ranges, another unit, a malformed one).
    Whole,
    /// These bytes (`start..end`).
    Part(std::ops::Range<usize>),
    /// No byte of the body is in the range.
    Unsatisfiable,
}

/// Reads a `Range` header for a body of `len` bytes (RFC 9110, 14): one range of bytes,
/// `a-b`, `a-` or `-n`; anything else is answered with the whole body, which the RFC allows.
pub fn byte_range(header: &str, len: usize) -> RangeAnswer {
    let Some(spec) = header.trim().strip_prefix("bytes=") else { return RangeAnswer::Whole };
    let spec = spec.trim();
    let Some((first, last)) = spec.split_once('-') else { return RangeAnswer::Whole };
    if spec.contains(',') {
        return RangeAnswer::Whole;
    }
    let number = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u64>().ok());
    match (number(first.trim()), number(last.trim())) {
        // `-n`: the last n bytes.
        (None, Some(Some(n))) if first.trim().is_empty() => {
            if n == 0 || len == 0 {
                return RangeAnswer::Unsatisfiable;
            }
            RangeAnswer::Part(len.saturating_sub(n.min(len as u64) as usize)..len)
        }
        (Some(Some(start)), None) if last.trim().is_empty() => match usize::try_from(start) {
            Ok(start) if start < len => RangeAnswer::Part(start..len),
            _ => RangeAnswer::Unsatisfiable,
        },
        (Some(Some(start)), Some(end)) => {
            // An end past the body (or too large to parse) means the end of the body.
            let end = end.unwrap_or(u64::MAX);
            if end < start {
                return RangeAnswer::Whole; // invalid: ignored
            }
            match usize::try_from(start) {
                Ok(start) if start < len => {
                    RangeAnswer::Part(start..usize::try_from(end).map_or(len, |e| e.saturating_add(1).min(len)))
                }
                _ => RangeAnswer::Unsatisfiable,
            }
        }
        // A first position too large to parse is past any body.
        (Some(None), _) => RangeAnswer::Unsatisfiable,
        _ => RangeAnswer::Whole,
    }
}

/// `response` (a whole file, 200) cut to the byte range `header` asks for.
fn ranged(response: Response, header: &str) -> Response {
    let len = response.body.as_ref().len();
    match byte_range(header, len) {
        RangeAnswer::Whole => response,
        RangeAnswer::Part(part) => {
            let mut headers = response.headers;
            headers.push(("Content-Range", format!("bytes {}-{}/{len}", part.start, part.end - 1)));
            let body = match response.body {
                Body::Shared(bytes, whole) => Body::Shared(bytes, whole.start + part.start..whole.start + part.end),
                Body::Owned(bytes) => Body::Owned(bytes[part].to_vec()),
            };
            Response { status: 206, headers, body }
        }
        RangeAnswer::Unsatisfiable => {
            let mut refused = text(416, &format!("the range `{header}` is outside the file's {len} bytes\n"));
            refused.headers.push(("Content-Range", format!("bytes */{len}")));
            refused
        }
    }
}

/// A response body: a file of the site as it is, or a page with the script added.
pub enum Body {
    /// Bytes of a file shared with the site (a range of them; an end past the file means
    /// its end).
    Shared(Bytes, std::ops::Range<usize>),
    /// Made for this response.
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Shared(b, range) => &b[range.start.min(b.len())..range.end.min(b.len())],
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
pub fn shared(site: Sites, hosts: HostPolicy) -> Arc<Shared> {
    Arc::new(Shared {
        site: Mutex::new(site),
        hub: Hub::default(),
        extras_done: Condvar::new(),
        hosts,
        connections: Arc::default(),
    })
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
    fn byte_ranges() {
        use RangeAnswer::*;
        for (header, answer) in [
            ("bytes=0-9", Part(0..10)),
            ("bytes=90-", Part(90..100)),
            ("bytes=-10", Part(90..100)),
            ("bytes=-1000", Part(0..100)),
            ("bytes=50-5000", Part(50..100)),
            ("bytes=99-99", Part(99..100)),
            ("bytes=0-99999999999999999999999", Part(0..100)),
            ("bytes=100-", Unsatisfiable),
            ("bytes=100-200", Unsatisfiable),
            ("bytes=-0", Unsatisfiable),
            ("bytes=99999999999999999999999-", Unsatisfiable),
            ("bytes=9-1", Whole),
            ("bytes=0-1,4-5", Whole),
            ("items=0-1", Whole),
            ("bytes=", Whole),
            ("bytes=-", Whole),
            ("bytes=a-b", Whole),
            ("bytes=+1-2", Whole),
        ] {
            assert_eq!(byte_range(header, 100), answer, "{header}");
        }
        assert_eq!(byte_range("bytes=0-", 0), Unsatisfiable);
        assert_eq!(byte_range("bytes=-5", 0), Unsatisfiable);
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/labbook.1234567890.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
