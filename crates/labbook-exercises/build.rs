//! Builds the python exercise runtimes for wasm32-wasip1 (the RustPython runner,
//! `runner/rustpython`, for `python`, and the Monty runner, `runner/`, for `python-lite`) and tells this crate where the modules are
//! (`LABBOOK_RUNNER_WASM`, `LABBOOK_RUNNER_RUSTPYTHON_WASM`), so `cargo build` and `cargo test`
//! need no separate step.
//!
//! RustPython is built with one edit of ours to its rustpython-common crate (the reference count,
//! see `EDITS`), from a workspace this script generates next to the nested build's target.
//!
//! The nested cargo gets its own target directory: the outer cargo holds the lock on ours for the
//! whole build, so sharing it would deadlock. Set either variable to an existing `.wasm` to skip
//! that runner's nested build (a prebuilt module, or a machine without the wasm target).

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TARGET: &str = "wasm32-wasip1";
/// The nested build's profile: `runner` (whole-program LTO, one codegen unit: the smallest
/// module, for the sites that `--release` builds ship) or, for debug builds (`cargo test`,
/// `cargo run`), `runner-dev`: the same optimisation level without LTO, which compiles in a
/// fraction of the time. Both run the same interpreter code; the benches build `--release`.
fn profile() -> &'static str {
    match env::var("PROFILE").as_deref() {
        Ok("release") => "runner",
        _ => "runner-dev",
    }
}

/// Variables of the outer build that must not reach the nested one: flags and targets meant for
/// the host binary (coverage instrumentation, a `--target`, a shared target dir) would break or
/// bloat the wasm module, and wrappers may not understand the wasm target.
const SCRUBBED_ENV: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "RUSTDOCFLAGS",
    "CARGO_ENCODED_RUSTDOCFLAGS",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "CARGO_BUILD_TARGET_DIR",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_MAKEFLAGS_FOR_TESTS",
];

fn main() {
    // This crate lives at crates/labbook-exercises; the runner and the lock file are the workspace's.
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.ancestors().nth(2).expect("crates/labbook-exercises is two levels down").to_path_buf();
    for path in [
        "runner/src",
        "runner/Cargo.toml",
        "runner/data",
        "runner/rustpython/src",
        "runner/rustpython/python",
        "runner/rustpython/build.rs",
        "runner/rustpython/numpy_tail.py",
        "runner/rustpython/Cargo.toml",
        "crates/labbook-checks",
        "crates/labbook-forbid",
        "Cargo.lock",
        "Cargo.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(path).display());
    }

    // Each runner: its package, its binary and the variable naming a prebuilt module. `python`
    // is RustPython, `python-lite` Monty (src/runtime.rs).
    let runners = [
        ("labbook-runner", "labbook-runner", "LABBOOK_RUNNER_WASM"),
        ("labbook-runner-rustpython", "labbook-runner-rustpython", "LABBOOK_RUNNER_RUSTPYTHON_WASM"),
    ];
    let mut to_build = Vec::new();
    for (package, binary, variable) in runners {
        println!("cargo:rerun-if-env-changed={variable}");
        match env::var_os(variable).filter(|p| !p.is_empty()) {
            Some(prebuilt) => {
                let prebuilt = PathBuf::from(prebuilt);
                if !prebuilt.is_file() {
                    fail(&format!("{variable} is set to {}, which is not a file", prebuilt.display()));
                }
                // A prebuilt module may change in place: its hash must follow.
                println!("cargo:rerun-if-changed={}", prebuilt.display());
                announce(variable, &absolute(&prebuilt));
            }
            None => to_build.push((package, binary, variable)),
        }
    }
    if to_build.is_empty() {
        return;
    }

    ensure_target();
    let target_dir = runner_target_dir();
    let started = std::time::Instant::now();
    for (package, binary, variable) in &to_build {
        if *package == "labbook-runner-rustpython" {
            let workspace = patched_workspace(&root, &target_dir);
            nested_build(
                &workspace,
                package,
                &target_dir,
                true,
                &[("LABBOOK_RUSTPYTHON_DIR", root.join("runner/rustpython"))],
            );
            check_pinned(&root.join("Cargo.lock"), &workspace.join("Cargo.lock"));
        } else {
            nested_build(&root, package, &target_dir, false, &[]);
        }
        let wasm = target_dir.join(TARGET).join(profile()).join(format!("{binary}.wasm"));
        if !wasm.is_file() {
            fail(&format!("the runner build succeeded but {} is missing", wasm.display()));
        }
        // Only a real rebuild is worth mentioning; a no-op nested cargo takes well under a second.
        if started.elapsed().as_secs() >= 5 {
            println!(
                "cargo:warning=built the python runtime in {:.0} s: {}",
                started.elapsed().as_secs_f64(),
                wasm.display()
            );
        }
        announce(variable, &absolute(&wasm));
    }
}

/// Tells the crate where a runner's module is (`<variable>`) and its SHA-256 in hex
/// (`<variable>_SHA256`): hashing the module once here spares every `labbook build` of a
/// book with runnable code hashing megabytes before it can name the runtime's asset.
fn announce(variable: &str, wasm: &Path) {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(wasm).unwrap_or_else(|e| fail(&format!("reading {}: {e}", wasm.display())));
    let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env={variable}={}", wasm.display());
    println!("cargo:rustc-env={variable}_SHA256={hex}");
}

/// A cargo command for the nested builds: run in `dir`, with the outer build's host-only
/// variables removed and its stdout (read by cargo as build-script directives) discarded.
fn nested_cargo(dir: &Path) -> Command {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(dir).stdout(Stdio::null()).stderr(Stdio::piped());
    for name in SCRUBBED_ENV {
        command.env_remove(name);
    }
    command
}

/// Builds one runner package for wasm32-wasip1 in the workspace at `dir`.
fn nested_build(dir: &Path, package: &str, target_dir: &Path, patched: bool, vars: &[(&str, PathBuf)]) {
    let mut command = nested_cargo(dir);
    command.args(["build", "-p", package, "--target", TARGET, "--profile", profile()]);
    // The repository's workspace builds against its lock file as it stands. The generated one
    // cannot (its copy of the lock turns rustpython-common into a path), so check_pinned
    // verifies afterwards that nothing else moved.
    if !patched {
        command.arg("--locked");
    }
    command.arg("--target-dir").arg(target_dir);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().unwrap_or_else(|e| fail(&format!("could not start cargo: {e}")));
    if !output.status.success() {
        fail(&format!(
            "building the python runtime {package} for {TARGET} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
}

// --- RustPython with our refcount patch -----------------------------------------------------
//
// RustPython 0.5.0 packs an object's flags, weak count and strong count into one usize. On
// wasm32 that leaves 15 bits for the strong count, and the 32,768th reference to one object
// (`[0] * 33000`, a list of 40,000 floats sharing one value) aborts the interpreter. The weak
// half of the word is only ever set to 1 (`RefCount::new`), so our edit gives it one bit on
// 32-bit targets and the strong count 28 bits: 268 million references, more pointers than a
// 32-bit memory can hold next to anything else, while the object header keeps its size.
//
// The repository holds only that edit. This build script takes the pristine crate from cargo's
// own download (the lock file pins it and its checksum), applies the edit to a copy in the
// runner target directory, and builds the RustPython runner in a generated workspace that
// patches crates.io's rustpython-common with the copy: the repository's Cargo.lock is never
// rewritten, and every other crate keeps the version it pins.

/// The crate we edit and the version the lock file pins.
const COMMON: &str = "rustpython-common";
const COMMON_VERSION: &str = "0.5.0";

/// Our edits: (file in the crate, the text it must contain exactly once, what replaces it).
const EDITS: &[(&str, &str, &str)] = &[(
    "src/refcount.rs",
    "const WEAK_WIDTH: u32 = TOTAL_COUNT_WIDTH / 2;",
    "// labbook: the weak count is only ever 1 (RefCount::new), so on 32-bit targets it gets one\n\
     // bit and the strong count 28 instead of 15 (32,767 references to one object aborted).\n\
     const WEAK_WIDTH: u32 = if usize::BITS == 32 { 1 } else { TOTAL_COUNT_WIDTH / 2 };",
)];

/// Writes `<runner target>/rustpython-ws`, a workspace whose one member builds
/// runner/rustpython from its own sources and which patches rustpython-common with our edited
/// copy; returns its directory.
fn patched_workspace(root: &Path, target_dir: &Path) -> PathBuf {
    let pristine = pristine_common(root);
    for (file, _, _) in EDITS {
        if !pristine.join(file).is_file() {
            fail(&format!("{COMMON} {COMMON_VERSION} has no {file} to edit ({})", pristine.display()));
        }
    }
    let patched = target_dir.join(format!("{COMMON}-{COMMON_VERSION}-patched"));
    copy_patched(&pristine, &patched, &pristine);

    let ws = target_dir.join("rustpython-ws");
    let member = ws.join("rustpython");
    mkdir(&member);
    // The root manifest's profiles (`runner`, `runner-dev`, `release`), so both builds optimise alike.
    let root_manifest = read(&root.join("Cargo.toml"));
    let mut manifest = format!(
        "# Generated by crates/labbook-exercises/build.rs: runner/rustpython with our edit of {COMMON}.\n\
         [workspace]\nmembers = [\"rustpython\"]\nresolver = \"2\"\n\n\
         [patch.crates-io]\n{COMMON} = {{ path = {} }}\n\n",
        toml_string(&patched)
    );
    manifest.push_str(&profiles(&root_manifest));
    write_if_changed(&ws.join("Cargo.toml"), &manifest);

    let runner_dir = root.join("runner/rustpython");
    let runner_manifest = read(&runner_dir.join("Cargo.toml"));
    write_if_changed(&member.join("Cargo.toml"), &relocate(&runner_manifest, &runner_dir));

    // The lock file: the repository's, copied again whenever it changes; cargo then only turns
    // rustpython-common's entry into the patched path.
    let lock = read(&root.join("Cargo.lock"));
    let source_copy = ws.join("Cargo.lock.repository");
    if std::fs::read_to_string(&source_copy).ok().as_deref() != Some(lock.as_str()) {
        write_if_changed(&ws.join("Cargo.lock"), &lock);
        write_if_changed(&source_copy, &lock);
    }
    ws
}

/// The directory cargo unpacked rustpython-common into, found with `cargo metadata` on the
/// repository's workspace (which downloads and unpacks it like any locked dependency).
fn pristine_common(root: &Path) -> PathBuf {
    let mut command = nested_cargo(root);
    command.args(["metadata", "--locked", "--format-version", "1", "--filter-platform", TARGET]);
    command.stdout(Stdio::piped());
    let output = command.output().unwrap_or_else(|e| fail(&format!("could not start cargo metadata: {e}")));
    if !output.status.success() {
        fail(&format!("cargo metadata failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| fail(&format!("cargo metadata printed no JSON: {e}")));
    let packages = metadata["packages"].as_array().map(Vec::as_slice).unwrap_or_default();
    let found = packages.iter().find(|p| {
        p["name"] == COMMON
            && p["version"] == COMMON_VERSION
            && p["source"].as_str().is_some_and(|s| s.starts_with("registry+"))
    });
    let Some(manifest) = found.and_then(|p| p["manifest_path"].as_str()) else {
        fail(&format!(
            "Cargo.lock no longer pins {COMMON} {COMMON_VERSION} from crates.io; the refcount edit in \
             crates/labbook-exercises/build.rs (EDITS) is written for that version"
        ))
    };
    Path::new(manifest).parent().expect("a manifest lives in a folder").to_path_buf()
}

/// Copies the crate at `from` into `to`, applying [`EDITS`]; a file is rewritten only when its
/// content changes, so an unchanged copy does not rebuild RustPython.
fn copy_patched(from: &Path, to: &Path, crate_root: &Path) {
    mkdir(to);
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| fail(&format!("reading {}: {e}", from.display())));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| fail(&format!("reading {}: {e}", from.display())));
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_patched(&path, &target, crate_root);
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_else(|e| fail(&format!("reading {}: {e}", path.display())));
        let relative = path.strip_prefix(crate_root).expect("inside the crate").to_string_lossy().replace('\\', "/");
        let mut content = bytes;
        for (file, find, replace) in EDITS.iter().filter(|(file, _, _)| *file == relative) {
            let text = String::from_utf8(content).unwrap_or_else(|_| fail(&format!("{} is not UTF-8", path.display())));
            if text.matches(find).count() != 1 {
                fail(&format!(
                    "{COMMON} {COMMON_VERSION}: {file} no longer contains `{find}` exactly once, so our refcount \
                     edit cannot be applied ({})",
                    path.display()
                ));
            }
            content = text.replacen(find, replace, 1).into_bytes();
        }
        if std::fs::read(&target).ok().as_deref() != Some(content.as_slice()) {
            std::fs::write(&target, &content).unwrap_or_else(|e| fail(&format!("writing {}: {e}", target.display())));
        }
    }
}

/// Every `[profile…]` table of the root manifest, verbatim.
fn profiles(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.starts_with("[profile");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// runner/rustpython's manifest with its relative paths (`path = "…"`) made absolute and its
/// build script named, so the copy in the generated workspace builds the same sources.
fn relocate(manifest: &str, dir: &Path) -> String {
    let mut out = String::new();
    for line in manifest.lines() {
        let mut line = line.to_owned();
        if let Some(start) = line.find("path = \"") {
            let value_start = start + "path = \"".len();
            let value_end = value_start
                + line[value_start..]
                    .find('"')
                    .unwrap_or_else(|| fail("an unterminated path in runner/rustpython/Cargo.toml"));
            let absolute = normalize(&dir.join(&line[value_start..value_end]));
            line = format!("{}path = {}{}", &line[..start], toml_string(&absolute), &line[value_end + 1..]);
        }
        out.push_str(&line);
        out.push('\n');
        if line.trim() == "[package]" {
            out.push_str(&format!("build = {}\n", toml_string(&dir.join("build.rs"))));
        }
    }
    out
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Fails unless every crate in the generated workspace's lock file has a version the
/// repository's lock file pins (cargo may only have changed rustpython-common's source).
fn check_pinned(repository: &Path, generated: &Path) {
    let pinned = locked_versions(&read(repository));
    for (name, version) in locked_versions(&read(generated)) {
        if !pinned.contains(&(name.clone(), version.clone())) {
            fail(&format!(
                "the RustPython runner build resolved {name} {version}, which Cargo.lock does not pin ({})",
                generated.display()
            ));
        }
    }
}

fn locked_versions(lock: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(value) = line.strip_prefix("name = \"") {
            name = Some(value.trim_end_matches('"').to_owned());
        } else if let Some(value) = line.strip_prefix("version = \"") {
            if let Some(name) = name.take() {
                out.push((name, value.trim_end_matches('"').to_owned()));
            }
        }
    }
    out
}

fn toml_string(path: &Path) -> String {
    serde_json::to_string(&path.to_string_lossy()).expect("a string serialises")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("reading {}: {e}", path.display())))
}

fn mkdir(path: &Path) {
    std::fs::create_dir_all(path).unwrap_or_else(|e| fail(&format!("creating {}: {e}", path.display())));
}

fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(content) {
        std::fs::write(path, content).unwrap_or_else(|e| fail(&format!("writing {}: {e}", path.display())));
    }
}

/// Installs the wasm target with rustup when the toolchain lacks it.
fn ensure_target() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let installed = sysroot.is_some_and(|root| root.join("lib/rustlib").join(TARGET).is_dir());
    if installed {
        return;
    }
    let status = Command::new("rustup").args(["target", "add", TARGET]).stdout(Stdio::null()).status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!(
            "the Rust target {TARGET} is missing and `rustup target add {TARGET}` failed ({status}).\n\
             Install it by hand, or set LABBOOK_RUNNER_WASM to a prebuilt labbook-runner.wasm."
        )),
        Err(e) => fail(&format!(
            "the Rust target {TARGET} is missing and rustup could not be run ({e}).\n\
             Without rustup, install the target's standard library for your toolchain \
             (e.g. your distribution's wasm32-wasip1 rust-std package), or set LABBOOK_RUNNER_WASM \
             to a prebuilt labbook-runner.wasm."
        )),
    }
}

/// `<target>/runner-build`, next to the outer build's profile directories.
fn runner_target_dir() -> PathBuf {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <target>[/<triple>]/<profile>/build/<pkg>-<hash>/out.
    let profile_dir = out_dir.ancestors().find(|p| p.file_name().is_some_and(|n| n == "build")).and_then(Path::parent);
    let mut target = profile_dir.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_else(|| out_dir.clone());
    if env::var("TARGET").is_ok_and(|triple| target.file_name().is_some_and(|n| n == triple.as_str())) {
        // `--target <triple>` builds add a <triple> level; share one runner build with native builds.
        target = target.parent().map(Path::to_path_buf).unwrap_or(target);
    }
    target.join("runner-build")
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
