//! Live-reload events: every open page holds a Server-Sent Events stream; a rebuild
//! broadcasts what changed to all of them.
//!
//! The hub also remembers the current error state, so a page opened (or reloaded) while the
//! book is broken shows the overlay at once instead of waiting for the next save.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;

use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// One event sent to the browser.
#[derive(Debug, Clone)]
pub enum Event {
    /// Pages to reload: their output paths, or every page when the navigation changed.
    Reload {
        /// Output paths (`ml/loss.html`) of the pages whose HTML changed.
        pages: Vec<String>,
        /// Every page changed (navigation, theme, toc).
        all: bool,
        /// Every page under these folders changed (one language of a translated book: `fr/`).
        folders: Vec<String>,
    },
    /// Stylesheets to swap without a reload: logical name -> new hashed path.
    Css(BTreeMap<String, String>),
    /// The book has errors; the overlay lists them.
    Error(Vec<Diagnostic>),
    /// The errors are gone.
    Ok,
}

#[derive(Serialize)]
struct ReloadData<'a> {
    pages: &'a [String],
    all: bool,
    folders: &'a [String],
}

#[derive(Serialize)]
struct DiagnosticData {
    file: String,
    line: usize,
    column: usize,
    message: String,
    text: String,
}

impl Event {
    /// The event's name on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Reload { .. } => "reload",
            Event::Css(_) => "css",
            Event::Error(_) => "error",
            Event::Ok => "ok",
        }
    }

    /// The SSE frame: `event:` and one `data:` line of JSON.
    fn frame(&self) -> String {
        let data = match self {
            Event::Reload { pages, all, folders } => serde_json::to_string(&ReloadData { pages, all: *all, folders }),
            Event::Css(names) => serde_json::to_string(names),
            Event::Error(diagnostics) => serde_json::to_string(
                &diagnostics
                    .iter()
                    .map(|d| DiagnosticData {
                        file: crate::content::to_slash(&d.file),
                        line: d.line,
                        column: d.column,
                        message: d.message.clone(),
                        text: d.to_string(),
                    })
                    .collect::<Vec<_>>(),
            ),
            Event::Ok => Ok("{}".to_string()),
        }
        .expect("event data serializes");
        format!("event: {}\ndata: {data}\n\n", self.name())
    }
}

/// The response head of an event stream (written by hand: the stream never ends).
const STREAM_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n";

/// Event streams kept open at once: one per open page. Past this, the oldest is closed (its
/// page reconnects within a second if it is still open), so pages cannot pile up descriptors.
pub const MAX_STREAMS: usize = 256;

/// The open event streams and the error state.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<HubState>,
}

#[derive(Default)]
struct HubState {
    clients: Vec<Box<dyn Write + Send>>,
    errors: Vec<Diagnostic>,
    closed: bool,
}

impl Hub {
    /// Starts an event stream on `writer` (the raw connection of a request): sends the
    /// response head and the current error state, then keeps it for broadcasts.
    pub fn subscribe(&self, mut writer: Box<dyn Write + Send>) {
        let mut state = self.inner.lock().expect("hub lock");
        if state.closed {
            return;
        }
        let mut hello = STREAM_HEAD.to_string();
        if !state.errors.is_empty() {
            hello.push_str(&Event::Error(state.errors.clone()).frame());
        }
        if writer.write_all(hello.as_bytes()).and_then(|()| writer.flush()).is_ok() {
            if state.clients.len() >= MAX_STREAMS {
                state.clients.remove(0);
            }
            state.clients.push(writer);
        }
    }

    /// Sends `event` to every open stream, dropping those that are gone. `Error` and `Ok`
    /// also set the state new streams start with.
    pub fn broadcast(&self, event: &Event) {
        let mut state = self.inner.lock().expect("hub lock");
        match event {
            Event::Error(d) => state.errors = d.clone(),
            Event::Ok => state.errors.clear(),
            _ => {}
        }
        send(&mut state.clients, event.frame().as_bytes());
    }

    /// A comment line, so that proxies keep the streams open and dead ones are noticed.
    pub fn heartbeat(&self) {
        let mut state = self.inner.lock().expect("hub lock");
        send(&mut state.clients, b": ping\n\n");
    }

    /// How many streams are open.
    pub fn clients(&self) -> usize {
        self.inner.lock().expect("hub lock").clients.len()
    }

    /// Ends every stream and refuses new ones (shutdown).
    pub fn close(&self) {
        let mut state = self.inner.lock().expect("hub lock");
        state.closed = true;
        for mut client in state.clients.drain(..) {
            let _ = client.flush();
        }
    }
}

/// Writes `bytes` to every client, keeping only those that took them.
fn send(clients: &mut Vec<Box<dyn Write + Send>>, bytes: &[u8]) {
    clients.retain_mut(|c| c.write_all(bytes).and_then(|()| c.flush()).is_ok());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex as StdMutex};

    #[derive(Clone, Default)]
    struct Sink(Arc<StdMutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn new_streams_start_with_the_current_errors() {
        let hub = Hub::default();
        hub.broadcast(&Event::Error(vec![Diagnostic::new("content/a.md", 3, 4, "broken link")]));
        let sink = Sink::default();
        hub.subscribe(Box::new(sink.clone()));
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("event: error\ndata: [{\"file\":\"content/a.md\",\"line\":3,\"column\":4,"), "{text}");
        hub.broadcast(&Event::Ok);
        hub.broadcast(&Event::Reload { pages: vec!["a.html".into()], all: false, folders: Vec::new() });
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert!(text.ends_with(
            "event: ok\ndata: {}\n\nevent: reload\ndata: {\"pages\":[\"a.html\"],\"all\":false,\"folders\":[]}\n\n"
        ));
        let late = Sink::default();
        hub.subscribe(Box::new(late.clone()));
        assert!(!String::from_utf8(late.0.lock().unwrap().clone()).unwrap().contains("event:"));
    }

    #[test]
    fn the_oldest_streams_make_room_for_new_ones() {
        let hub = Hub::default();
        let first = Sink::default();
        hub.subscribe(Box::new(first.clone()));
        for _ in 1..MAX_STREAMS + 10 {
            hub.subscribe(Box::new(Sink::default()));
        }
        assert_eq!(hub.clients(), MAX_STREAMS);
        hub.broadcast(&Event::Ok);
        let text = String::from_utf8(first.0.lock().unwrap().clone()).unwrap();
        assert!(!text.contains("event: ok"), "the oldest stream was kept: {text}");
    }
}
