//! labbook's python runtime on RustPython: reads one JSON request on stdin, runs it and writes
//! one JSON result on stdout, exactly as the Monty runner (`runner/src/main.rs`) does, with the
//! same protocol and tinyml (the `labbook_runner` library).
//!
//! Built for wasm32-wasip1 by `crates/labbook-exercises/build.rs`; in the browser and in
//! wasmtime it runs with no files, no environment and no network. The Python it offers is
//! RustPython 0.5.0 with the standard-library modules `build.rs` freezes, our own `os` and
//! `tinyml` (`python/`) and the `_labbook` native module (`module`).

mod module;
mod session;

use std::io::{Read, Write};
use std::process::ExitCode;

use labbook_runner::protocol;

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("labbook-runner-rustpython: cannot read the request from stdin: {e}");
        return ExitCode::from(2);
    }
    let request: protocol::Request = match serde_json::from_str(&input) {
        Ok(request) => request,
        Err(e) => {
            eprintln!("labbook-runner-rustpython: the request is not valid JSON for the protocol: {e}");
            return ExitCode::from(2);
        }
    };
    let result = session::run(&request);
    let json = serde_json::to_string(&result).expect("the result serialises");
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{json}").and_then(|()| stdout.flush()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
