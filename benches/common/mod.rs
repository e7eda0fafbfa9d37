//! Helpers shared by the benchmarks.

// Each bench uses some of them.
#![allow(dead_code)]

use std::path::Path;

/// Total size of the files under `dir`.
pub fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// Copies a folder tree file by file.
#[allow(dead_code)] // each bench compiles this module; only some copy trees
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A finished command: its output, wall time and peak memory.
pub struct Measured {
    pub output: std::process::Output,
    pub seconds: f64,
    /// The child's peak resident set size in bytes (`ru_maxrss` from `wait4`); `None` where
    /// the platform does not report it.
    pub peak_bytes: Option<u64>,
}

/// Runs `command` to completion, capturing its output, timing it and reading its peak
/// memory. Panics if it cannot start.
pub fn run_measured(command: &mut std::process::Command) -> Measured {
    use std::io::Read;
    use std::process::Stdio;
    let started = std::time::Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let mut stdout_pipe = child.stdout.take().expect("piped stdout");
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut bytes);
        bytes
    });
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut bytes);
        bytes
    });
    let (status, peak_bytes) = wait_with_peak(&mut child);
    let seconds = started.elapsed().as_secs_f64();
    let output = std::process::Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    Measured { output, seconds, peak_bytes }
}

#[cfg(unix)]
fn wait_with_peak(child: &mut std::process::Child) -> (std::process::ExitStatus, Option<u64>) {
    use std::os::unix::process::ExitStatusExt;
    let mut status: libc::c_int = 0;
    // SAFETY: wait4 on our own child's pid, with pointers to locals that outlive the call; the
    // child is reaped here, so `Child::wait` is never called on it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if reaped != pid {
        return (child.wait().expect("wait for the child"), None);
    }
    // Linux reports ru_maxrss in KiB, macOS in bytes.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    (std::process::ExitStatus::from_raw(status), Some(usage.ru_maxrss as u64 * unit))
}

#[cfg(not(unix))]
fn wait_with_peak(child: &mut std::process::Child) -> (std::process::ExitStatus, Option<u64>) {
    (child.wait().expect("wait for the child"), None)
}

/// `bytes` as MiB, or `-` when unknown.
pub fn mebibytes(bytes: Option<u64>) -> String {
    bytes.map_or("-".to_string(), |b| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)))
}

/// Output folders for timed builds: a new, never used folder for every run.
///
/// Why a bench never removes an output and builds into it again at once: on a disk whose
/// ext4 has no journal (this project's VM), the kernel's inode allocator passes over every
/// inode freed in the last 60 s (300 s while its inode-table block is dirty), reading the
/// inode table for each one. A build that creates thousands of files shortly after
/// `rm -rf` of thousands then spends seconds in the kernel: a cold 10,000-page build
/// measured 8.4 s into a fresh folder and 14–20 s right after the previous site was
/// removed (perf: `__ext4_new_inode` → `find_inode_bit` → `recently_deleted`). The cost
/// belongs to the bench's own clean-up, not to the tool timed next, so every run gets its
/// own folder and the folders go when the bench's temp dir does, after the timing.
///
/// For the same reason each run starts with the disk settled: the bytes earlier runs wrote
/// (hundreds of megabytes at 10,000 pages) are flushed first (`sync`), so the kernel's
/// writeback of them does not take a core from the run being timed. Without it the Rust
/// book's median moved by up to a third from one batch of runs to the next.
pub struct FreshOut {
    base: std::path::PathBuf,
    runs: usize,
}

impl FreshOut {
    /// Folders named `<base>-1`, `<base>-2`, … (none may exist yet).
    pub fn new(base: &Path) -> Self {
        FreshOut { base: base.to_path_buf(), runs: 0 }
    }

    /// The next run's folder, which does not exist; what earlier runs wrote is on disk.
    pub fn next(&mut self) -> std::path::PathBuf {
        settle();
        self.runs += 1;
        let mut name = self.base.file_name().expect("a folder name").to_os_string();
        name.push(format!("-{}", self.runs));
        let out = self.base.with_file_name(name);
        assert!(!out.exists(), "{} exists already", out.display());
        out
    }
}

/// Writes every dirty page to disk and waits for it (see [`FreshOut`]).
fn settle() {
    #[cfg(unix)]
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe {
        libc::sync()
    };
}
