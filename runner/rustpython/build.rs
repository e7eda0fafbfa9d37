//! Freezes the Python this runtime ships: the standard-library modules in [`STDLIB`], read from
//! rustpython-pylib's copy of CPython's `Lib/` (PSF licence), and this crate's own `python/`
//! modules, compiled to bytecode into one `frozen.bin` that `main.rs` hands the interpreter.
//!
//! RustPython's `freeze-stdlib` feature freezes all of `Lib/` (5 MB of the download, gzipped);
//! a student's exercise needs a few dozen modules, so those are listed here. A module that is
//! not listed raises `ModuleNotFoundError`, which the guide's conformance table measures.

use std::path::{Path, PathBuf};

use rustpython_compiler::{compile, CompileOpts, Mode};
use rustpython_compiler_core::frozen::{FrozenCodeObject, FrozenLib, FrozenModule};

/// Standard-library modules frozen into the runtime: what `random`, `statistics`,
/// `dataclasses`, `typing`, `json`, `re`, `collections`, `functools`, `itertools` users and
/// their imports need. A name ending in `/` is a package (every module in its folder).
const STDLIB: &[&str] = &[
    "__future__",
    "_collections_abc",
    "_colorize",
    "_compat_pickle",
    "_py_abc",
    "_py_warnings",
    "_pydatetime",
    "_pydecimal",
    "_strptime",
    "_weakrefset",
    "abc",
    "annotationlib",
    "ast",
    "base64",
    "bisect",
    "calendar",
    "codeop",
    "collections/",
    "colorsys",
    "contextlib",
    "contextvars",
    "copy",
    "csv",
    "dataclasses",
    "datetime",
    "decimal",
    "dis",
    "encodings/",
    "enum",
    "fnmatch",
    "fractions",
    "functools",
    "genericpath",
    "graphlib",
    "heapq",
    "importlib/",
    "inspect",
    "io",
    "json/",
    "keyword",
    "linecache",
    "locale",
    "numbers",
    "opcode",
    "_opcode_metadata",
    "operator",
    "posixpath",
    "pprint",
    "random",
    "re/",
    "reprlib",
    "stat",
    "statistics",
    "string/",
    "struct",
    "textwrap",
    "token",
    "tokenize",
    "traceback",
    "types",
    "typing",
    "warnings",
    "weakref",
];

/// This crate's folder: labbook-exercises' build.rs builds it from a generated workspace (to
/// patch rustpython-common) and names the real folder in `LABBOOK_RUSTPYTHON_DIR`.
fn here() -> PathBuf {
    println!("cargo:rerun-if-env-changed=LABBOOK_RUSTPYTHON_DIR");
    std::env::var_os("LABBOOK_RUSTPYTHON_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .expect("cargo sets CARGO_MANIFEST_DIR")
}

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let lib = Path::new(rustpython_pylib::LIB_PATH);
    let ours = here().join("python");
    println!("cargo:rerun-if-changed={}", ours.display());

    let mut modules: Vec<(String, FrozenModule<Vec<u8>>)> = Vec::new();
    for entry in STDLIB {
        match entry.strip_suffix('/') {
            Some(package) => freeze_package(&lib.join(package), package, &mut modules),
            None => freeze_file(&lib.join(format!("{entry}.py")), entry, false, &mut modules),
        }
    }
    // Ours last: our `os` (no posix in the sandbox) and the python side of tinyml.
    let mut own: Vec<PathBuf> = std::fs::read_dir(&ours)
        .unwrap_or_else(|e| panic!("reading {}: {e}", ours.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    own.sort();
    for path in own {
        let name = path.file_stem().unwrap().to_str().expect("UTF-8 module names").to_owned();
        println!("cargo:rerun-if-changed={}", path.display());
        freeze_file(&path, &name, false, &mut modules);
    }
    // The course's numpy: the Python half both runtimes share (runner/src/tinyml/numpy.py),
    // its core bound to `_labbook.numpy`, and this runtime's dunders (numpy_tail.py).
    let here = here();
    let shared = here.join("../src/tinyml/numpy.py");
    let tail = here.join("numpy_tail.py");
    println!("cargo:rerun-if-changed={}", shared.display());
    println!("cargo:rerun-if-changed={}", tail.display());
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
    let numpy = format!("from _labbook import numpy as _np_core\n{}\n{}", read(&shared), read(&tail));
    let code =
        compile(&numpy, Mode::Exec, "numpy", CompileOpts::default()).unwrap_or_else(|e| panic!("compiling numpy: {e}"));
    modules.push(("numpy".to_owned(), FrozenModule { code: FrozenCodeObject::encode(&code), package: false }));

    let lib = FrozenLib::encode(modules.iter().map(|(name, module)| {
        (
            name.as_str(),
            FrozenModule { code: FrozenCodeObject { bytes: &module.code.bytes[..] }, package: module.package },
        )
    }));
    std::fs::write(out.join("frozen.bin"), &lib.bytes).expect("writing frozen.bin");

    // RustPython's interpreter recurses on the shadow stack in linear memory for each Python
    // call; 1 MiB (Rust's default for wasm) holds too few frames for ordinary recursion.
    println!("cargo:rustc-link-arg-bins=-zstack-size=8388608");
}

/// Freezes every `.py` file under `dir` as `package` and its submodules.
fn freeze_package(dir: &Path, package: &str, modules: &mut Vec<(String, FrozenModule<Vec<u8>>)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("the standard-library package {} is missing: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if path.is_dir() {
            if path.join("__init__.py").is_file() {
                freeze_package(&path, &format!("{package}.{stem}"), modules);
            }
        } else if path.extension().is_some_and(|e| e == "py") && stem != "__main__" {
            let (name, is_package) =
                if stem == "__init__" { (package.to_owned(), true) } else { (format!("{package}.{stem}"), false) };
            freeze_file(&path, &name, is_package, modules);
        }
    }
}

fn freeze_file(path: &Path, name: &str, package: bool, modules: &mut Vec<(String, FrozenModule<Vec<u8>>)>) {
    let source = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the module {name} ({}) is missing: {e}", path.display()));
    let code = compile(&source, Mode::Exec, name, CompileOpts::default())
        .unwrap_or_else(|e| panic!("compiling {}: {e}", path.display()));
    modules.push((name.to_owned(), FrozenModule { code: FrozenCodeObject::encode(&code), package }));
}
