//! The bundled course in headless Chromium: builds the repository's own book and runs
//! `tests/browser/navigation.mjs` on it (sidebar, keyboard paging, theme, highlighting,
//! math, quiz, phone layout, and no request leaving the site folder).
//!
//! Needs `npm ci --prefix tests/browser` and Chromium (`/usr/bin/chromium`, or env
//! `CHROMIUM`). Without them the test prints a SKIP line and passes, unless env `CI` is
//! set: then it fails, so CI can never silently skip it. `.ci/run` installs both.
//! Set `LABBOOK_SCREENSHOTS=<dir>` to keep screenshots of the pages it visits.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Longest the browser checks may take before the test gives up on them.
const NODE_TIMEOUT: Duration = Duration::from_secs(180);

#[test]
fn bundled_course_in_chromium() {
    let scripts = repo_root().join("tests/browser");
    if let Some(missing) = missing_tools(&scripts) {
        if in_ci() {
            panic!("browser test cannot run in CI: {missing}");
        }
        // Straight to the terminal: the test harness swallows eprintln! of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIP tests/browser.rs: {missing}. Run `npm ci --prefix tests/browser` and install chromium (or set CHROMIUM). ***\n"
        );
        return;
    }

    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("site");
    build_ok(&repo_root(), &out);

    // Output goes to files, not pipes, so a chatty or hung browser cannot block us.
    let log_out = tmp.path().join("node.stdout");
    let log_err = tmp.path().join("node.stderr");
    let mut child = Command::new("node")
        .arg(scripts.join("navigation.mjs"))
        .arg(&out)
        .current_dir(&scripts)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log_out).unwrap())
        .stderr(std::fs::File::create(&log_err).unwrap())
        .spawn()
        .expect("start node");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > NODE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = std::fs::read_to_string(&log_out).unwrap_or_default();
    let stderr = std::fs::read_to_string(&log_err).unwrap_or_default();
    let shown = format!("stdout:\n{stdout}\nstderr:\n{stderr}");
    match status {
        None => panic!("navigation.mjs did not finish within {NODE_TIMEOUT:?}\n{shown}"),
        Some(status) => assert!(status.success(), "navigation.mjs failed ({status})\n{shown}"),
    }
}

/// Why the browser checks cannot run here, or None when node, playwright-core and Chromium are all present.
fn missing_tools(scripts: &std::path::Path) -> Option<String> {
    if !scripts.join("node_modules/playwright-core/package.json").is_file() {
        return Some("tests/browser/node_modules is missing".into());
    }
    let chromium =
        std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        return Some(format!("Chromium not found at {}", chromium.display()));
    }
    match Command::new("node").arg("--version").output() {
        Ok(output) if output.status.success() => None,
        _ => Some("node is not on PATH".into()),
    }
}

/// True when env `CI` is set to anything but "", "0" or "false".
fn in_ci() -> bool {
    std::env::var("CI").map(|v| !matches!(v.trim(), "" | "0" | "false")).unwrap_or(false)
}
