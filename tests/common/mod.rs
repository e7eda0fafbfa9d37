//! Helpers shared by the integration tests: run the real `labbook` binary on fixture books.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `labbook` binary built for these tests.
pub fn labbook() -> Command {
    Command::new(env!("CARGO_BIN_EXE_labbook"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The repository root (the bundled course).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a fixture book into a fresh temporary folder, so a test can change it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixture(name), dir.path());
    dir
}

/// Copies every file under `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `labbook build --root ROOT --out OUT` (without the highlight cache, so fixtures
/// in the source tree stay untouched).
pub fn build(root: &Path, out: &Path) -> Output {
    labbook().args(["build", "--no-cache", "--root"]).arg(root).arg("--out").arg(out).output().expect("run labbook")
}

/// stdout and stderr of a run, for assertion messages.
pub fn shown(output: &Output) -> String {
    format!(
        "status: {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Builds `root` into `out` and panics with the output when it fails.
pub fn build_ok(root: &Path, out: &Path) {
    let output = build(root, out);
    assert!(output.status.success(), "build failed:\n{}", shown(&output));
}

/// Reads a file of the built site.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

/// Longest a Node script (a browser run) may take before a test gives up on it.
pub const NODE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(180);

/// True when env `CI` is set to anything but "", "0" or "false".
pub fn in_ci() -> bool {
    std::env::var("CI").map(|v| !matches!(v.trim(), "" | "0" | "false")).unwrap_or(false)
}

/// Why Node cannot run here, or None.
pub fn missing_node() -> Option<String> {
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => None,
        _ => Some("node is not on PATH".into()),
    }
}

/// Why the headless-Chromium checks cannot run here, or None when node, playwright-core
/// (`npm ci --prefix tests/browser`) and Chromium (`/usr/bin/chromium` or env `CHROMIUM`) are present.
pub fn missing_browser() -> Option<String> {
    if let Some(missing) = missing_node() {
        return Some(missing);
    }
    if let Some(missing) = install_node_packages() {
        return Some(missing);
    }
    let chromium = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    if !chromium.is_file() {
        return Some(format!("Chromium not found at {}", chromium.display()));
    }
    None
}

/// Installs the browser tests' node packages (`npm ci --prefix tests/browser`, pinned by
/// its lock file) when they are missing or older than the lock file: once per test binary,
/// and under a file lock, since cargo may run several binaries that need them. Returns why
/// they are still missing, or None.
fn install_node_packages() -> Option<String> {
    static RESULT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    RESULT
        .get_or_init(|| {
            let dir = repo_root().join("tests/browser");
            let installed = dir.join("node_modules/.package-lock.json");
            let up_to_date = || {
                let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
                dir.join("node_modules/playwright-core/package.json").is_file()
                    && modified(&installed) >= modified(&dir.join("package-lock.json"))
            };
            if up_to_date() {
                return None;
            }
            let lock_path = std::env::temp_dir().join("labbook-npm-ci.lock");
            let lock = std::fs::File::create(&lock_path).and_then(|f| f.lock().map(|()| f));
            if let Err(e) = &lock {
                return Some(format!("cannot lock {}: {e}", lock_path.display()));
            }
            if up_to_date() {
                return None; // another test binary installed them meanwhile
            }
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "tests: installing the browser tests' node packages (npm ci --prefix tests/browser)"
            );
            let run = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir)
                .stdin(std::process::Stdio::null())
                .output();
            match run {
                Ok(out) if out.status.success() && up_to_date() => None,
                Ok(out) => Some(format!(
                    "`npm ci --prefix tests/browser` failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim()
                )),
                Err(e) => Some(format!("tests/browser/node_modules is missing and npm cannot run ({e})")),
            }
        })
        .clone()
}

/// With a tool missing: fails in CI (so CI can never skip silently), otherwise prints a loud
/// SKIP line straight to the terminal and returns false.
pub fn can_run(missing: Option<String>, test: &str) -> bool {
    let Some(missing) = missing else { return true };
    if in_ci() {
        panic!("{test} cannot run in CI: {missing}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n*** SKIP {test}: {missing}. `.ci/run` installs what it needs. ***\n");
    false
}

/// What a Node run printed, and how it ended (`None`: killed at its time limit).
pub struct NodeRun {
    pub status: Option<std::process::ExitStatus>,
    /// The time limit it ran under.
    pub timeout: std::time::Duration,
    pub stdout: String,
    pub stderr: String,
}

impl NodeRun {
    /// Panics with everything printed (and `context`) unless the script exited 0; returns stdout.
    pub fn expect_success(&self, name: &str, context: &str) -> &str {
        let shown = format!("stdout:\n{}\nstderr:\n{}\n{context}", self.stdout, self.stderr);
        match self.status {
            None => panic!("{name} did not finish within {:?}\n{shown}", self.timeout),
            Some(s) if !s.success() => panic!("{name} failed ({s})\n{shown}"),
            Some(_) => &self.stdout,
        }
    }
}

/// Runs `node SCRIPT ARGS` in `cwd`, its output going to files so a chatty or hung browser
/// cannot block the test, and kills it after [`NODE_TIMEOUT`].
pub fn run_node<S: AsRef<std::ffi::OsStr>>(script: &Path, args: &[S], cwd: &Path) -> NodeRun {
    run_node_within(script, args, cwd, NODE_TIMEOUT)
}

/// [`run_node`] with another time limit (a script that runs several others gets theirs summed).
pub fn run_node_within<S: AsRef<std::ffi::OsStr>>(
    script: &Path,
    args: &[S],
    cwd: &Path,
    timeout: std::time::Duration,
) -> NodeRun {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (out_path, err_path) = (tmp.path().join("stdout"), tmp.path().join("stderr"));
    let mut child = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start node");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    NodeRun {
        status,
        timeout,
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    }
}

/// Runs `labbook ARGS` with `stdin` and waits.
pub fn labbook_with_stdin(args: &[&str], root: &Path, stdin: &str) -> std::process::Output {
    let mut child = labbook()
        .args(args)
        .arg("--root")
        .arg(root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run labbook");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}
