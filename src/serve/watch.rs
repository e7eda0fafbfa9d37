//! Watching the book's folders with notify, and cutting the stream of file events into
//! batches: one batch is one save, however many events the editor's save made.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher as _};

/// Longest quiet time that ends a batch while a written file has not been closed yet (and
/// always with the polling watcher, which sees no closes).
const DEBOUNCE: Duration = Duration::from_millis(50);
/// Quiet time that ends a batch once every written file has been closed: a save is done.
const SETTLE: Duration = Duration::from_millis(3);
/// A batch ends after this long even if events keep coming (a long copy, a `git checkout`).
const LONGEST_BATCH: Duration = Duration::from_millis(1000);
/// How often the polling watcher scans.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// File events as notify delivers them.
pub type Events = notify::Result<notify::Event>;

/// The folders being watched; [`Watcher::sync`] follows changes of the book's layout.
pub struct Watcher {
    inner: Box<dyn notify::Watcher + Send>,
    watched: BTreeSet<(PathBuf, bool)>,
}

impl Watcher {
    /// A native watcher (inotify, FSEvents, ...), or the polling one when `poll` is set or
    /// the native one cannot start.
    pub fn new(events: Sender<Events>, poll: bool) -> Result<Watcher> {
        // The polling watcher compares modification times in whole seconds; hashing the
        // contents also catches two saves within one second.
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL).with_compare_contents(true);
        let inner: Box<dyn notify::Watcher + Send> = if poll {
            Box::new(notify::PollWatcher::new(events, config).context("starting the polling file watcher")?)
        } else {
            match notify::RecommendedWatcher::new(events.clone(), config) {
                Ok(w) => Box::new(w),
                Err(e) => {
                    eprintln!("warning: cannot watch files natively ({e}); polling instead");
                    Box::new(notify::PollWatcher::new(events, config).context("starting the polling file watcher")?)
                }
            }
        };
        Ok(Watcher { inner, watched: BTreeSet::new() })
    }

    /// Watches exactly `wanted` (folder or file, recursive?) among those that exist.
    pub fn sync(&mut self, wanted: &[(PathBuf, bool)]) {
        let wanted: BTreeSet<(PathBuf, bool)> = wanted.iter().filter(|(p, _)| p.exists()).cloned().collect();
        for (path, _) in self.watched.difference(&wanted) {
            let _ = self.inner.unwatch(path);
        }
        for (path, recursive) in wanted.difference(&self.watched) {
            let mode = if *recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            if let Err(e) = self.inner.watch(path, mode) {
                eprintln!("warning: cannot watch {}: {e}", path.display());
            }
        }
        self.watched = wanted;
    }
}

/// Waits for the next batch of changed paths (editor temporary files left out); `None`
/// when the watcher is gone.
pub fn next_batch(events: &Receiver<Events>) -> Option<BTreeSet<PathBuf>> {
    loop {
        let first = events.recv().ok()?;
        let mut batch = Batch::default();
        batch.absorb(first);
        let started = Instant::now();
        while started.elapsed() < LONGEST_BATCH {
            let quiet = if batch.open.is_empty() && !batch.paths.is_empty() { SETTLE } else { DEBOUNCE };
            match events.recv_timeout(quiet) {
                Ok(event) => batch.absorb(event),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if !batch.paths.is_empty() {
            return Some(batch.paths);
        }
    }
}

#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    /// Files written and not closed yet: the save may not be complete.
    open: HashSet<PathBuf>,
}

impl Batch {
    fn absorb(&mut self, event: Events) {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                eprintln!("warning: file watcher: {e}");
                return;
            }
        };
        let writing = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(false),
            // Opening or reading a file changes nothing.
            EventKind::Access(_) => return,
            EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
                Some(true)
            }
            _ => None,
        };
        for path in event.paths {
            if is_editor_temp(&path) {
                continue;
            }
            match writing {
                Some(true) => {
                    self.open.insert(path.clone());
                }
                _ => {
                    self.open.remove(&path);
                }
            }
            self.paths.insert(path);
        }
    }
}

/// Files editors write beside the real one while saving: vim's swap files and its `4913`
/// probe, backups ending in `~`, Emacs lock files `.#name`.
pub fn is_editor_temp(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn editor_temporary_files_are_ignored() {
        for temp in ["a/.page.md.swp", "a/page.md~", "a/.#page.md", "a/4913", "x.swx"] {
            assert!(is_editor_temp(Path::new(temp)), "{temp}");
        }
        for real in ["a/page.md", "a/4913.md", "a/swp.md", "a/img.png"] {
            assert!(!is_editor_temp(Path::new(real)), "{real}");
        }
    }

    #[test]
    fn a_write_and_its_close_make_one_batch() {
        let (tx, rx) = channel();
        let path = PathBuf::from("/book/content/a.md");
        let event = |kind| Ok(notify::Event::new(kind).add_path(path.clone()));
        tx.send(event(EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any)))).unwrap();
        tx.send(event(EventKind::Access(AccessKind::Close(AccessMode::Write)))).unwrap();
        tx.send(Ok(notify::Event::new(EventKind::Create(CreateKind::File)).add_path("/book/content/.a.md.swp".into())))
            .unwrap();
        let batch = next_batch(&rx).unwrap();
        assert_eq!(batch.into_iter().collect::<Vec<_>>(), vec![path]);
        drop(tx);
        assert!(next_batch(&rx).is_none());
    }
}
