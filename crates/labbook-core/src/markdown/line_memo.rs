//! Lines syntect has already parsed, shared by every code block of the process.
//!
//! Parsing is most of the cost of highlighting (syntect tries dozens of regular expressions
//! per line), and code blocks repeat lines: `}`, `fn main() {`, a console's
//! `   Compiling hello v0.1.0`, the hidden lines of two listings that include the same file.
//! Parsing a line is a pure function of the parser's state before it and of its text, so
//! when both are the same as before, the scope operations and the state after it can be
//! reused: the highlighted HTML is the same byte for byte.
//!
//! Each thread remembers the first [`REMEMBER_ALL`] lines it parses, then only lines whose
//! text it has parsed before (most lines of a huge book occur once), and the memo stops
//! growing at [`MAX_ENTRIES`], so a long `serve` session or a huge book keeps its memory
//! bounded.

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxSet};

/// The most lines remembered by one thread (each costs about 800 bytes: two parser states,
/// its operations and its text).
const MAX_ENTRIES: usize = 65_536;

/// Until it holds this many lines, a thread remembers every line it parses; after that only
/// lines whose text it has parsed before, so that a huge book's one-off lines do not fill
/// the memo. (A book's size in code lines: the Rust book has 13k.)
const REMEMBER_ALL: usize = 16_384;

/// One parsed line: the state before it, its scope operations, the state after it.
struct Entry {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

/// One thread's memo (syntect's parser states hold Oniguruma regions, which may not move
/// between threads).
#[derive(Default)]
struct Lines {
    /// Hashes of the line texts parsed so far.
    seen: FxHashSet<u64>,
    /// Lines whose text was parsed more than once, with every state they were parsed in.
    by_text: FxHashMap<Box<str>, Vec<Rc<Entry>>>,
    entries: usize,
}

thread_local! {
    static LINES: RefCell<Lines> = RefCell::new(Lines::default());
}

/// Lines reused from the memo, over all threads.
static HITS: AtomicUsize = AtomicUsize::new(0);
/// Lines parsed, over all threads.
static MISSES: AtomicUsize = AtomicUsize::new(0);

/// `state.parse_line(line, syntaxes)`, from this thread's memo when it parsed this text in
/// this state before.
pub(super) fn parse_line(
    state: &mut ParseState,
    line: &str,
    syntaxes: &SyntaxSet,
) -> Result<Vec<(usize, ScopeStackOp)>, ParsingError> {
    LINES.with(|lines| {
        let found =
            lines.borrow().by_text.get(line).and_then(|entries| entries.iter().find(|e| e.before == *state).cloned());
        if let Some(entry) = found {
            HITS.fetch_add(1, Ordering::Relaxed);
            state.clone_from(&entry.after);
            return Ok(entry.ops.clone());
        }
        MISSES.fetch_add(1, Ordering::Relaxed);
        let remember = {
            let mut lines = lines.borrow_mut();
            let hash = FxBuildHasher.hash_one(line);
            let repeated = !lines.seen.insert(hash);
            (repeated || lines.entries < REMEMBER_ALL) && lines.entries < MAX_ENTRIES
        };
        if !remember {
            return state.parse_line(line, syntaxes);
        }
        let before = state.clone();
        let ops = state.parse_line(line, syntaxes)?;
        let entry = Rc::new(Entry { before, ops: ops.clone(), after: state.clone() });
        let mut lines = lines.borrow_mut();
        lines.by_text.entry(line.into()).or_default().push(entry);
        lines.entries += 1;
        Ok(ops)
    })
}

/// Empties this thread's memo.
pub(super) fn forget() {
    LINES.with(|lines| *lines.borrow_mut() = Lines::default());
}

/// Lines reused and lines parsed so far, over all threads.
pub(super) fn stats() -> (usize, usize) {
    (HITS.load(Ordering::Relaxed), MISSES.load(Ordering::Relaxed))
}
