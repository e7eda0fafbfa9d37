//! Exercise runtimes: the built-in Python runner and the WASI modules a book names in
//! `runtimes:`, and the `runtime/<name>.<hash>.js` asset that carries one to the browser.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine as _;

use super::sandbox::WasmModule;
use super::spec::PYTHON;
use labbook_core::config::locate;
use labbook_core::diagnostic::Diagnostic;

/// The RustPython runner (`runner/rustpython`, built for wasm32-wasip1), embedded in labbook:
/// the default runtime, `python`.
static RUSTPYTHON_RUNNER: &[u8] = include_bytes!(env!("LABBOOK_RUNNER_RUSTPYTHON_WASM"));

/// The Monty runner (`runner/`, built for wasm32-wasip1), embedded in labbook: `python-lite`.
static MONTY_RUNNER: &[u8] = include_bytes!(env!("LABBOOK_RUNNER_WASM"));

/// The Monty runtime's name in `exercise.yaml`: a subset of Python (no class bases, no
/// generators, no `match`) in the smallest download, for books that want it.
pub const PYTHON_LITE: &str = "python-lite";

/// A python runtime built into labbook: its name in `exercise.yaml`, the interpreter inside it
/// (for the guide's conformance table and the benches) and its module.
#[derive(Debug, Clone, Copy)]
pub struct BuiltIn {
    /// What an exercise names in `runtime:`.
    pub name: &'static str,
    /// The interpreter and its version.
    pub interpreter: &'static str,
    bytes: &'static [u8],
    /// SHA-256 of `bytes` in hex, computed by build.rs.
    sha256: &'static str,
}

/// Every built-in python runtime, the default (`python`) first. They all speak contract 1
/// (one JSON request in, one JSON result out, checks evaluated inside). Both are built and
/// tested by default; benches/exercise.rs measures them side by side against issue 16's
/// budgets. RustPython is `python`: it runs 99% of the conformance suite where Monty runs 54%.
pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        name: PYTHON,
        interpreter: "RustPython 0.5.0",
        bytes: RUSTPYTHON_RUNNER,
        sha256: env!("LABBOOK_RUNNER_RUSTPYTHON_WASM_SHA256"),
    },
    BuiltIn {
        name: PYTHON_LITE,
        interpreter: "Monty 0.0.23",
        bytes: MONTY_RUNNER,
        sha256: env!("LABBOOK_RUNNER_WASM_SHA256"),
    },
];

/// A runtime an exercise runs in.
#[derive(Debug, Clone)]
pub enum Runtime {
    /// The built-in runner: takes a JSON request on stdin, checks itself, prints a JSON result.
    Python(WasmModule),
    /// A WASI command named in `book.yaml`: gets the files preopened, the host checks stdout.
    Foreign(WasmModule),
}

impl Runtime {
    /// The default python runtime, `python`.
    pub fn python() -> Runtime {
        Runtime::built_in(PYTHON).expect("python is built in")
    }

    /// Whether `name` is a built-in python runtime (self-checking, `code` checks, main.py).
    pub fn is_built_in(name: &str) -> bool {
        BUILT_IN.iter().any(|b| b.name == name)
    }

    /// The built-in python runtime of that name, if there is one.
    pub fn built_in(name: &str) -> Option<Runtime> {
        // Hashed when labbook was built: hashing megabytes here cost a tenth of the build of a
        // book with runnable code.
        static MODULES: [OnceLock<WasmModule>; BUILT_IN.len()] = [const { OnceLock::new() }; BUILT_IN.len()];
        let i = BUILT_IN.iter().position(|b| b.name == name)?;
        let module = MODULES[i].get_or_init(|| {
            let b = &BUILT_IN[i];
            WasmModule::with_sha256(b.name, b.bytes, sha256_from_hex(b.sha256))
        });
        Some(Runtime::Python(module.clone()))
    }

    /// The runtime's name (`python`).
    pub fn name(&self) -> &str {
        &self.module().name
    }

    /// The module.
    pub fn module(&self) -> &WasmModule {
        match self {
            Runtime::Python(m) | Runtime::Foreign(m) => m,
        }
    }

    /// Whether the runtime evaluates checks itself (contract 1) rather than the host.
    pub fn self_checking(&self) -> bool {
        matches!(self, Runtime::Python(_))
    }
}

/// Reads the modules `book.yaml` names under `runtimes:` (relative to the book root).
/// Only the first bytes are checked here; wasmtime validates the rest when it compiles.
pub fn load_runtimes(
    root: &Path,
    declared: &BTreeMap<String, std::path::PathBuf>,
    config_text: &str,
) -> Result<BTreeMap<String, Runtime>, Diagnostic> {
    let mut runtimes = BTreeMap::new();
    for (name, path) in declared {
        let at = |message: String| {
            let (line, column) = locate(config_text, &format!("{name}:"));
            Diagnostic::new("book.yaml", line, column, message)
        };
        let bytes = std::fs::read(root.join(path))
            .map_err(|e| at(format!("`runtimes.{name}`: cannot read `{}`: {e}", path.display())))?;
        if !bytes.starts_with(b"\0asm") {
            return Err(at(format!(
                "`runtimes.{name}`: `{}` is not a WebAssembly module (a WASI preview1 command `.wasm` is expected)",
                path.display()
            )));
        }
        runtimes.insert(name.clone(), Runtime::Foreign(WasmModule::new(name, bytes)));
    }
    Ok(runtimes)
}

/// The site path of a runtime's asset: `runtime/<name>.<hash>.js`, the hash taken from the
/// module's bytes (the asset is a pure function of them).
pub fn asset_path(runtime: &Runtime) -> String {
    format!("runtime/{}.{}.js", runtime.name(), &runtime.module().hex()[..10])
}

/// The asset's text (contract 4): the module gzipped and base64-encoded, registered on
/// `self.labbookRuntimes` so a script tag loads it from `file://`.
pub fn asset_text(runtime: &Runtime) -> Arc<str> {
    // Gzipping 5 MB takes a while; `serve` rebuilds often and `build` may see the runtime
    // again, so the text is kept per module for the life of the process.
    static MEMO: OnceLock<Mutex<BTreeMap<[u8; 32], Arc<str>>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let module = runtime.module();
    if let Some(text) = memo.lock().expect("asset memo").get(&module.sha256) {
        return text.clone();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&module.bytes).expect("writing to memory");
    let gzipped = gz.finish().expect("writing to memory");
    let wasm = base64::engine::general_purpose::STANDARD.encode(&gzipped);
    let name = serde_json::to_string(runtime.name()).expect("a string serializes");
    let text: Arc<str> = format!(
        "(self.labbookRuntimes = self.labbookRuntimes || {{}})[{name}] = {{\"encoding\": \"gzip+base64\", \"wasm\": \"{wasm}\"}};\n"
    )
    .into();
    memo.lock().expect("asset memo").insert(module.sha256, text.clone());
    text
}

/// The 32 bytes of a SHA-256 written in hex (build.rs writes them so).
fn sha256_from_hex(hex: &str) -> [u8; 32] {
    let mut bytes = [0; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("build.rs writes the hash in hex");
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_hashes_are_the_modules_hashes() {
        for b in BUILT_IN {
            let runtime = Runtime::built_in(b.name).expect("built in");
            assert_eq!(runtime.module().sha256, WasmModule::new(b.name, b.bytes).sha256, "{}", b.name);
        }
    }
}
