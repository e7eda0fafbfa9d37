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
