//! `_labbook`, the native module between the interpreter and the runner: capped output
//! buffers, the request's files, the seed, and tinyml (Rust values in, Rust values out).
//!
//! The state of a run lives in a thread-local [`Run`], set by `session` before the program
//! starts; the process runs one request and exits.

use std::cell::RefCell;
use std::collections::BTreeMap;

use labbook_runner::tinyml::numpy::Numpy;
use labbook_runner::tinyml::{self, Tinyml};
use monty_types::{DictPairs, MontyObject};
use rustpython_vm::builtins::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyStr, PyTuple};
use rustpython_vm::{AsObject, PyObject, PyObjectRef, PyResult, VirtualMachine};

/// Output kept up to a byte cap; the rest is dropped and flagged.
pub struct Capture {
    pub text: String,
    cap: usize,
    pub truncated: bool,
}

impl Capture {
    pub fn new(cap: usize) -> Self {
        Capture { text: String::new(), cap, truncated: false }
    }

    fn push_str(&mut self, s: &str) {
        if self.truncated {
            return;
        }
        let room = self.cap - self.text.len();
        if s.len() <= room {
            self.text.push_str(s);
        } else {
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.text.push_str(&s[..end]);
            self.truncated = true;
        }
    }
}

/// What one run's Python reaches through `_labbook`.
pub struct Run {
    pub stdout: Capture,
    pub stderr: Capture,
    /// Set while a check runs: its prints are not the student's output.
    pub discard: bool,
    pub seed: i64,
    files: &'static BTreeMap<String, Vec<u8>>,
    tinyml: Tinyml<'static>,
    numpy: Numpy,
    /// `os.urandom`'s generator (splitmix64), seeded like everything else from the request.
    urandom_state: u64,
}

impl Run {
    pub fn new(seed: i64, max_output: usize, files: BTreeMap<String, Vec<u8>>) -> Run {
        // The process ends after this one run, so the files may live as long as it does.
        let files: &'static BTreeMap<String, Vec<u8>> = Box::leak(Box::new(files));
        Run {
            stdout: Capture::new(max_output),
            stderr: Capture::new(max_output),
            discard: false,
            seed,
            files,
            tinyml: Tinyml::new(seed as u64, files),
            numpy: Numpy::new(seed as u64),
            urandom_state: (seed as u64) ^ 0x6c61_6262_6f6f_6b21,
        }
    }
}

thread_local! {
    pub static RUN: RefCell<Option<Run>> = const { RefCell::new(None) };
}

fn with_run<T>(f: impl FnOnce(&mut Run) -> T) -> T {
    RUN.with(|run| f(run.borrow_mut().as_mut().expect("the session sets the run before Python starts")))
}

/// Python value -> tinyml value: numbers, strings, bytes, lists, tuples and dicts of them.
fn to_monty(obj: &PyObject, vm: &VirtualMachine) -> PyResult<MontyObject> {
    if vm.is_none(obj) {
        return Ok(MontyObject::None);
    }
    if obj.downcast_ref::<PyBool>().is_some() {
        return Ok(MontyObject::Bool(obj.is(&vm.ctx.true_value)));
    }
    if let Some(int) = obj.downcast_ref::<PyInt>() {
        return int
            .try_to_primitive::<i64>(vm)
            .map(MontyObject::Int)
            .map_err(|_| vm.new_overflow_error("tinyml: an integer argument is too large"));
    }
    if let Some(float) = obj.downcast_ref::<PyFloat>() {
        return Ok(MontyObject::Float(float.to_f64()));
    }
    if let Some(text) = obj.downcast_ref::<PyStr>() {
        return Ok(MontyObject::String(text.to_string_lossy().into_owned()));
    }
    if let Some(bytes) = obj.downcast_ref::<PyBytes>() {
        return Ok(MontyObject::Bytes(bytes.as_bytes().to_vec()));
    }
    if let Some(list) = obj.downcast_ref::<PyList>() {
        let items: Vec<PyObjectRef> = list.borrow_vec().to_vec();
        return items.iter().map(|x| to_monty(x, vm)).collect::<PyResult<_>>().map(MontyObject::List);
    }
    if let Some(tuple) = obj.downcast_ref::<PyTuple>() {
        return tuple.iter().map(|x| to_monty(x, vm)).collect::<PyResult<_>>().map(MontyObject::Tuple);
    }
    if let Some(dict) = obj.downcast_ref::<PyDict>() {
        let mut pairs = Vec::new();
        for (k, v) in dict.items_vec() {
            pairs.push((to_monty(&k, vm)?, to_monty(&v, vm)?));
        }
        return Ok(MontyObject::Dict(DictPairs::from(pairs)));
    }
    Err(vm.new_type_error(format!("tinyml takes numbers, lists, tuples and dicts, not {}", obj.class().name())))
}

/// tinyml value -> Python value.
fn from_monty(value: MontyObject, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
    Ok(match value {
        MontyObject::None => vm.ctx.none(),
        MontyObject::Bool(b) => vm.ctx.new_bool(b).into(),
        MontyObject::Int(i) => vm.ctx.new_int(i).into(),
        MontyObject::Float(x) => vm.ctx.new_float(x).into(),
        MontyObject::String(s) => vm.ctx.new_str(s).into(),
        MontyObject::Bytes(b) => vm.ctx.new_bytes(b).into(),
        MontyObject::List(items) => {
            vm.ctx.new_list(items.into_iter().map(|x| from_monty(x, vm)).collect::<PyResult<_>>()?).into()
        }
        MontyObject::Tuple(items) | MontyObject::NamedTuple { values: items, .. } => {
            vm.ctx.new_tuple(items.into_iter().map(|x| from_monty(x, vm)).collect::<PyResult<_>>()?).into()
        }
        MontyObject::Dict(pairs) => {
            let dict = vm.ctx.new_dict();
            for (k, v) in pairs {
                dict.set_item(&*from_monty(k, vm)?, from_monty(v, vm)?, vm)?;
            }
            dict.into()
        }
        other => {
            return Err(vm.new_runtime_error(format!("tinyml returned a value this runtime cannot show: {other:?}")))
        }
    })
}

/// A tinyml error as the Python exception of the same type.
fn raise(error: tinyml::HostError, vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let e = &vm.ctx.exceptions;
    let kind = match error.exc_type.to_string().as_str() {
        "ValueError" => e.value_error,
        "TypeError" => e.type_error,
        "IndexError" => e.index_error,
        "KeyError" => e.key_error,
        "ZeroDivisionError" => e.zero_division_error,
        "NotImplementedError" => e.not_implemented_error,
        "AttributeError" => e.attribute_error,
        "UnicodeDecodeError" => e.value_error,
        _ => e.runtime_error,
    };
    if error.exc_type.to_string() == "FileNotFoundError" {
        return vm.new_os_subtype_error(e.file_not_found_error.to_owned(), Some(2), error.message).upcast();
    }
    vm.new_exception_msg(kind.to_owned(), error.message.into())
}

#[rustpython_vm::pymodule]
pub mod _labbook {
    use super::*;
    use rustpython_vm::builtins::{PyDictRef, PyStrRef, PyTupleRef};

    /// Appends to the program's stdout (kept up to `max_output`).
    #[pyfunction]
    fn write_stdout(text: PyStrRef) {
        with_run(|run| {
            if !run.discard {
                run.stdout.push_str(&text.to_string_lossy());
            }
        });
    }

    /// Appends to the program's stderr (kept up to `max_output`).
    #[pyfunction]
    fn write_stderr(text: PyStrRef) {
        with_run(|run| run.stderr.push_str(&text.to_string_lossy()));
    }

    /// The request's seed.
    #[pyfunction]
    fn seed() -> i64 {
        with_run(|run| run.seed)
    }

    /// The names of the request's files.
    #[pyfunction]
    fn file_names(vm: &VirtualMachine) -> PyObjectRef {
        let names = with_run(|run| run.files.keys().map(|k| vm.ctx.new_str(k.as_str()).into()).collect());
        vm.ctx.new_list(names).into()
    }

    /// A file of the request.
    #[pyfunction]
    fn read_file(name: PyStrRef, vm: &VirtualMachine) -> PyResult<Vec<u8>> {
        let name = name.to_string_lossy();
        with_run(|run| run.files.get(name.as_ref()).cloned()).ok_or_else(|| {
            // OSError subtypes carry errno and filename: built as such, not as a plain exception.
            vm.new_os_subtype_error(
                vm.ctx.exceptions.file_not_found_error.to_owned(),
                Some(2),
                format!("No such file or directory: '{name}'"),
            )
            .upcast()
        })
    }

    /// `n` bytes from the run's seeded generator.
    #[pyfunction]
    fn urandom(n: usize) -> Vec<u8> {
        with_run(|run| {
            let mut out = Vec::with_capacity(n);
            while out.len() < n {
                run.urandom_state = run.urandom_state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = run.urandom_state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                out.extend_from_slice(&z.to_le_bytes()[..(n - out.len()).min(8)]);
            }
            out
        })
    }

    /// Every tinyml function's name.
    #[pyfunction]
    fn tinyml_functions(vm: &VirtualMachine) -> PyObjectRef {
        vm.ctx.new_list(tinyml::FUNCTIONS.iter().map(|f| vm.ctx.new_str(*f).into()).collect()).into()
    }

    /// One operation of the course's numpy (`numpy.py` calls it `_np_core`), computed by the
    /// Rust array core the Monty runner uses too.
    #[pyfunction]
    fn numpy(args: rustpython_vm::function::PosArgs, vm: &VirtualMachine) -> PyResult {
        let args = args.iter().map(|a| to_monty(a, vm)).collect::<PyResult<Vec<_>>>()?;
        let value = with_run(|run| run.numpy.call(&args)).map_err(|e| raise(e, vm))?;
        from_monty(value, vm)
    }

    /// `tinyml.<name>(*args, **kwargs)`, computed by the runner's Rust tinyml.
    #[pyfunction]
    fn tinyml(name: PyStrRef, args: PyTupleRef, kwargs: PyDictRef, vm: &VirtualMachine) -> PyResult {
        let args = args.iter().map(|a| to_monty(a, vm)).collect::<PyResult<Vec<_>>>()?;
        let mut named = Vec::new();
        for (k, v) in kwargs.items_vec() {
            named.push((to_monty(&k, vm)?, to_monty(&v, vm)?));
        }
        let name = name.to_string_lossy().into_owned();
        let value = with_run(|run| run.tinyml.call(&name, args, named)).map_err(|e| raise(e, vm))?;
        from_monty(value, vm)
    }
}
