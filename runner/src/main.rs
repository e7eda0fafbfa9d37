//! labbook's `python` runtime: reads one JSON request on stdin, runs it with the Monty interpreter
//! and the `tinyml` module, and writes one JSON result on stdout (see `protocol`).
//!
//! Built for wasm32-wasip1 and run by labbook's wasmtime sandbox and by the browser; it also builds
//! natively, which is how its own tests run.

mod imports;
mod operators;
mod session;

use labbook_runner::{protocol, tinyml};

use std::io::{Read, Write};
use std::process::ExitCode;

/// Monty measures `max_memory` against the live bytes this allocator counts.
#[global_allocator]
static ALLOCATOR: monty_alloc::LimitedAllocator = monty_alloc::LimitedAllocator;

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("labbook-runner: cannot read the request from stdin: {e}");
        return ExitCode::from(2);
    }
    let request: protocol::Request = match serde_json::from_str(&input) {
        Ok(request) => request,
        Err(e) => {
            // Not a result: the host sent something that is not a request at all.
            eprintln!("labbook-runner: the request is not valid JSON for the protocol: {e}");
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
