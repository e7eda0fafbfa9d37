//! The bound on `serve`'s connections: at most [`MAX_CONNECTIONS`] are open at once, each
//! with its thread, so no client can make the server grow threads or memory.
//!
//! Every open connection is in one of three phases: waiting for the first byte of a request
//! (idle keep-alive), reading a request head, or being answered. When the table is full, a
//! new connection closes the one idle the longest, else the one that has been reading a head
//! the longest (a slow-loris trickle), and waits for its thread to end; when every
//! connection is being answered, it waits for one to finish. Timeouts bound each phase
//! ([`IDLE`], [`HEAD_TIMEOUT`], [`WRITE_TIMEOUT`]), so a slot is never held forever.
//! Event streams leave the table once subscribed: the hub holds them without a thread.

use std::collections::HashMap;
use std::io::Read;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Connections served at once: a preview server has a handful of browsers, each with up to
/// six connections; a classroom on the LAN a few dozen.
pub const MAX_CONNECTIONS: usize = 128;
/// An idle keep-alive connection is closed after this long.
pub const IDLE: Duration = Duration::from_secs(30);
/// A request head must arrive whole within this long of its first byte.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Writing a response (or an event) may stall this long before the connection is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(20);

/// What an open connection is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the first byte of a request.
    Idle,
    /// Reading a request head.
    Head,
    /// Being answered.
    Busy,
    /// Closed by the table to make room; its thread is ending.
    Closing,
}

struct Entry {
    /// A handle on the socket, to close it from the accepting thread.
    stream: TcpStream,
    phase: Phase,
    since: Instant,
}

/// The open connections.
#[derive(Default)]
pub struct Connections {
    table: Mutex<Table>,
    /// Signalled when a connection leaves the table.
    left: Condvar,
}

#[derive(Default)]
struct Table {
    next: u64,
    open: HashMap<u64, Entry>,
}

/// A connection's place in the table; leaving it (drop) frees the place.
pub struct Slot {
    connections: Arc<Connections>,
    id: u64,
}

impl Connections {
    /// Takes a place for `stream`, closing an idle or slow connection if the table is full,
    /// or waiting until a place is free. `None` if the stream cannot be cloned.
    pub fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Slot> {
        let handle = stream.try_clone().ok()?;
        let mut table = self.table.lock().expect("connection table");
        while table.open.len() >= MAX_CONNECTIONS {
            if !table.open.values().any(|e| e.phase == Phase::Closing) {
                table.close_one();
            }
            table = self.left.wait_timeout(table, Duration::from_millis(500)).expect("connection table").0;
        }
        let id = table.next;
        table.next += 1;
        table.open.insert(id, Entry { stream: handle, phase: Phase::Idle, since: Instant::now() });
        Some(Slot { connections: self.clone(), id })
    }

    /// How many connections are open.
    #[cfg(test)]
    pub fn open(&self) -> usize {
        self.table.lock().expect("connection table").open.len()
    }
}

impl Table {
    /// Closes the connection idle the longest, else the one reading a head the longest.
    fn close_one(&mut self) {
        let victim = [Phase::Idle, Phase::Head].into_iter().find_map(|phase| {
            self.open.iter().filter(|(_, e)| e.phase == phase).min_by_key(|(_, e)| e.since).map(|(id, _)| *id)
        });
        if let Some(entry) = victim.and_then(|id| self.open.get_mut(&id)) {
            entry.phase = Phase::Closing;
            let _ = entry.stream.shutdown(Shutdown::Both);
        }
    }
}

impl Slot {
    /// Records what the connection is doing now. `false` when the table closed it.
    pub fn enter(&self, phase: Phase) -> bool {
        let mut table = self.connections.table.lock().expect("connection table");
        match table.open.get_mut(&self.id) {
            Some(entry) if entry.phase != Phase::Closing => {
                entry.phase = phase;
                entry.since = Instant::now();
                true
            }
            _ => false,
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connections.table.lock().expect("connection table").open.remove(&self.id);
        self.connections.left.notify_all();
    }
}

/// A socket read with a deadline: each read waits at most until [`Deadline::until`], then
/// fails with `TimedOut`, however slowly the bytes trickle in.
pub struct Deadline {
    stream: TcpStream,
    /// When reads stop waiting.
    pub until: Instant,
}

impl Deadline {
    /// Reads from `stream`, waiting at most `patience` from now.
    pub fn new(stream: TcpStream, patience: Duration) -> Deadline {
        Deadline { stream, until: Instant::now() + patience }
    }
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn a_full_table_closes_the_longest_idle_connection_first() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let connections = Arc::new(Connections::default());
        let mut slots = Vec::new();
        let mut clients = Vec::new();
        for i in 0..MAX_CONNECTIONS {
            let (client, server) = pair(&listener);
            let slot = connections.admit(&server).unwrap();
            // The first connection reads a head, the second idles, the rest are answered.
            slot.enter(match i {
                0 => Phase::Head,
                1 => Phase::Idle,
                _ => Phase::Busy,
            });
            slots.push(slot);
            clients.push(client);
        }
        // The idle one is closed (not the older one reading a head), and its place taken once
        // its thread lets go of it.
        let (_client, server) = pair(&listener);
        let waiting = {
            let connections = connections.clone();
            std::thread::spawn(move || connections.admit(&server))
        };
        let mut byte = [0u8; 1];
        clients[1].set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        assert_eq!(clients[1].read(&mut byte).unwrap(), 0, "the idle connection was not closed");
        assert!(!slots[1].enter(Phase::Head), "a closed connection went on");
        slots.remove(1);
        let _admitted = waiting.join().unwrap().expect("admitted");
        assert_eq!(connections.open(), MAX_CONNECTIONS);
        assert!(slots[0].enter(Phase::Busy), "the connection reading a head was closed");
    }
}
