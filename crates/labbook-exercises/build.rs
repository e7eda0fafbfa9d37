//! Builds the python exercise runtimes for wasm32-wasip1 (the Monty runner, `runner/`, for
//! `python`, and the RustPython runner, `runner/rustpython`, for `python-full`) and tells this crate where the modules are
//! (`LABBOOK_RUNNER_WASM`, `LABBOOK_RUNNER_RUSTPYTHON_WASM`), so `cargo build` and `cargo test`
//! need no separate step.
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
    // is Monty, `python-full` RustPython (src/runtime.rs).
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
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(&root).arg("build");
    for (package, _, _) in &to_build {
        command.args(["-p", package]);
    }
    command
        .args(["--target", TARGET, "--profile", profile(), "--locked"])
        .arg("--target-dir")
        .arg(&target_dir)
        // Our stdout is read by cargo as build-script directives: keep the nested cargo off it.
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for name in SCRUBBED_ENV {
        command.env_remove(name);
    }
    let started = std::time::Instant::now();
    let output = command.output().unwrap_or_else(|e| fail(&format!("could not start cargo: {e}")));
    if !output.status.success() {
        fail(&format!(
            "building the python runtimes (runner/) for {TARGET} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    for (_, binary, variable) in &to_build {
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
