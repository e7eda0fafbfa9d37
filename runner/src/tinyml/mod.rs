//! The `tinyml` Python module: numeric helpers, a seeded generator and the bundled datasets,
//! implemented in Rust (see `runner/tinyml.pyi` for the API). Monty calls it as host functions;
//! the RustPython runtime (`runner/rustpython`) calls [`Tinyml::call`] from a native module.
//!
//! Monty has no host-module import hook, so the runner hands the student's code one namespace
//! object (a named tuple of host functions, [`namespace`]) and rewrites `import tinyml` lines to
//! bind it (the Monty runner's `imports`). Every call then suspends the interpreter and lands in
//! [`Tinyml::call`].

mod array;
mod datasets;
pub mod numpy;
pub mod rng;
mod safetensors;

use std::collections::BTreeMap;

use monty_types::{DictPairs, ExcType, MontyClassInstance, MontyClassType, MontyException, MontyObject, MontyUuid};

pub use array::type_name;
use array::{arg_best, from_array, from_matrix, from_vector, integer, items, matrix, number, vector, Array};

/// An error a tinyml function raises in Python: an exception type and its message.
#[derive(Debug, Clone, PartialEq)]
pub struct HostError {
    pub exc_type: ExcType,
    pub message: String,
}

impl HostError {
    /// A `ValueError`: right type, wrong value or shape.
    pub fn value(message: impl Into<String>) -> Self {
        HostError { exc_type: ExcType::ValueError, message: message.into() }
    }
    /// A `TypeError`: an argument of the wrong kind.
    pub fn type_error(message: impl Into<String>) -> Self {
        HostError { exc_type: ExcType::TypeError, message: message.into() }
    }
    /// A `RuntimeError`: something wrong on the host side, such as corrupt bundled data.
    pub fn runtime(message: impl Into<String>) -> Self {
        HostError { exc_type: ExcType::RuntimeError, message: message.into() }
    }
    /// The exception Monty raises at the call site.
    pub fn into_exception(self) -> MontyException {
        MontyException::new(self.exc_type, Some(self.message))
    }
}

/// Every public tinyml function, as named in `tinyml.pyi`.
pub const FUNCTIONS: &[&str] = &[
    "dot",
    "matmul",
    "matvec",
    "transpose",
    "add",
    "sub",
    "mul",
    "scale",
    "exp",
    "log",
    "sum",
    "mean",
    "max",
    "min",
    "argmax",
    "argmin",
    "softmax",
    "zeros",
    "ones",
    "shape",
    "one_hot",
    "seed",
    "random",
    "uniform",
    "normal",
    "randint",
    "choice",
    "shuffle",
    "load_iris",
    "iris_feature_names",
    "iris_target_names",
    "load_digits",
    "load_dataset",
    "load_safetensors",
];

/// Prefix of the host functions' names, so a traceback or `repr` says `tinyml.softmax`.
const PREFIX: &str = "tinyml.";

/// Identity of the namespace object, fixed so runs are reproducible byte for byte.
const NAMESPACE_ID: [u8; 16] = *b"labbook.tinyml.1";

/// The host function object for `tinyml.<name>`.
pub fn function(name: &str) -> MontyObject {
    MontyObject::Function { name: format!("{PREFIX}{name}"), docstring: None }
}

/// The Python value bound to `tinyml`: a host-backed object whose attributes are the host functions.
///
/// A host object rather than a named tuple because Monty routes `tm.dot(...)` on a host object
/// to the host (a named tuple only offers its tuple methods to a method call).
pub fn namespace() -> MontyObject {
    let id = namespace_id();
    MontyObject::ClassInstance(Box::new(MontyClassInstance {
        class_type: MontyClassType {
            name: "module".to_owned(),
            id,
            host_defined: true,
            is_dataclass: false,
            attrs: DictPairs::from(Vec::new()),
        },
        instance_id: id,
        attrs: FUNCTIONS.iter().map(|f| (MontyObject::String((*f).to_owned()), function(f))).collect(),
    }))
}

/// The uuid Monty reports for calls and lookups on the namespace object.
pub fn namespace_id() -> MontyUuid {
    MontyUuid::try_from_slice(&NAMESPACE_ID).expect("16 bytes")
}

/// The function `tinyml.<attribute>`, if it exists.
pub fn attribute(attribute: &str) -> Option<MontyObject> {
    FUNCTIONS.contains(&attribute).then(|| function(attribute))
}

/// The module's state for one run: the generator and the request's files.
pub struct Tinyml<'a> {
    rng: rng::Rng,
    files: &'a BTreeMap<String, Vec<u8>>,
}

/// Positional and keyword arguments matched against a parameter list.
struct Bound {
    values: Vec<Option<MontyObject>>,
}

impl Bound {
    fn get(&self, i: usize) -> Option<&MontyObject> {
        self.values[i].as_ref().filter(|v| !matches!(v, MontyObject::None))
    }
    /// A required argument (presence was checked by [`bind`]).
    fn req(&self, i: usize) -> &MontyObject {
        self.values[i].as_ref().expect("bind checked required arguments")
    }
}

/// Matches a call's arguments to `params`, of which the first `required` must be given.
fn bind(
    function: &str,
    params: &[&str],
    required: usize,
    args: Vec<MontyObject>,
    kwargs: Vec<(MontyObject, MontyObject)>,
) -> Result<Bound, HostError> {
    if args.len() > params.len() {
        return Err(HostError::type_error(format!(
            "{function}() takes {} positional argument{} but {} were given",
            params.len(),
            if params.len() == 1 { "" } else { "s" },
            args.len()
        )));
    }
    let mut values: Vec<Option<MontyObject>> = vec![None; params.len()];
    for (slot, arg) in values.iter_mut().zip(args) {
        *slot = Some(arg);
    }
    for (key, value) in kwargs {
        let MontyObject::String(key) = key else {
            return Err(HostError::type_error(format!("{function}() keywords must be strings")));
        };
        let Some(i) = params.iter().position(|p| *p == key) else {
            return Err(HostError::type_error(format!("{function}() got an unexpected keyword argument '{key}'")));
        };
        if values[i].is_some() {
            return Err(HostError::type_error(format!("{function}() got multiple values for argument '{key}'")));
        }
        values[i] = Some(value);
    }
    if let Some(missing) = params[..required].iter().zip(&values).find(|(_, v)| v.is_none()) {
        return Err(HostError::type_error(format!("{function}() missing required argument: '{}'", missing.0)));
    }
    Ok(Bound { values })
}

impl<'a> Tinyml<'a> {
    /// The module for a run seeded with `seed`, reading `files` for `load_safetensors`.
    pub fn new(seed: u64, files: &'a BTreeMap<String, Vec<u8>>) -> Self {
        Tinyml { rng: rng::Rng::new(seed), files }
    }

    /// Whether `function_name` (as Monty reports it) is one of ours.
    pub fn owns(function_name: &str) -> bool {
        let name = function_name.strip_prefix(PREFIX).unwrap_or(function_name);
        FUNCTIONS.contains(&name)
    }

    /// Runs `tinyml.<name>(*args, **kwargs)`.
    pub fn call(
        &mut self,
        function_name: &str,
        args: Vec<MontyObject>,
        kwargs: Vec<(MontyObject, MontyObject)>,
    ) -> Result<MontyObject, HostError> {
        let name = function_name.strip_prefix(PREFIX).unwrap_or(function_name);
        let display = format!("{PREFIX}{name}");
        let take = |params: &[&str], required: usize| bind(&display, params, required, args, kwargs);
        Ok(match name {
            "dot" => {
                let a = take(&["a", "b"], 2)?;
                MontyObject::Float(array::dot(&vector(a.req(0), "a")?, &vector(a.req(1), "b")?)?)
            }
            "matmul" => {
                let a = take(&["a", "b"], 2)?;
                from_matrix(matmul(&matrix(a.req(0), "a")?, &matrix(a.req(1), "b")?)?)
            }
            "matvec" => {
                let a = take(&["a", "x"], 2)?;
                let (m, x) = (matrix(a.req(0), "a")?, vector(a.req(1), "x")?);
                let rows = m.iter().map(|row| array::dot(row, &x)).collect::<Result<Vec<_>, _>>();
                from_vector(rows.map_err(|_| {
                    HostError::value(format!(
                        "matvec: the rows of a have {} elements but x has {}",
                        m.first().map_or(0, Vec::len),
                        x.len()
                    ))
                })?)
            }
            "transpose" => {
                let m = matrix(take(&["a"], 1)?.req(0), "a")?;
                let cols = m.first().map_or(0, Vec::len);
                from_matrix((0..cols).map(|j| m.iter().map(|row| row[j]).collect()).collect())
            }
            "add" | "sub" | "mul" => {
                let a = take(&["a", "b"], 2)?;
                let (x, y) = (array::array(a.req(0), "a")?, array::array(a.req(1), "b")?);
                let op: fn(f64, f64) -> f64 = match name {
                    "add" => |p, q| p + q,
                    "sub" => |p, q| p - q,
                    _ => |p, q| p * q,
                };
                from_array(array::zip_with(name, x, y, op)?)
            }
            "scale" => {
                let a = take(&["a", "k"], 2)?;
                let k = number(a.req(1), "k")?;
                from_array(array::array(a.req(0), "a")?.map(|x| x * k))
            }
            "exp" => from_array(array::array(take(&["a"], 1)?.req(0), "a")?.map(f64::exp)),
            "log" => {
                let a = array::array(take(&["a"], 1)?.req(0), "a")?;
                if let Some(bad) = a.elements().into_iter().find(|x| *x <= 0.0) {
                    return Err(HostError::value(format!("log: math domain error (got {bad})")));
                }
                from_array(a.map(f64::ln))
            }
            "sum" => MontyObject::Float(array::array(take(&["a"], 1)?.req(0), "a")?.elements().iter().sum()),
            "mean" => {
                let all = array::array(take(&["a"], 1)?.req(0), "a")?.elements();
                if all.is_empty() {
                    return Err(HostError::value("mean: empty array"));
                }
                MontyObject::Float(all.iter().sum::<f64>() / all.len() as f64)
            }
            "max" | "min" | "argmax" | "argmin" => {
                let v = vector(take(&["a"], 1)?.req(0), "a")?;
                let i = if name.ends_with("max") {
                    arg_best(&v, name, |x, best| x > best)?
                } else {
                    arg_best(&v, name, |x, best| x < best)?
                };
                if name.starts_with("arg") {
                    MontyObject::Int(i as i64)
                } else {
                    MontyObject::Float(v[i])
                }
            }
            "softmax" => match array::array(take(&["a"], 1)?.req(0), "a")? {
                Array::Vector(v) => from_vector(array::softmax(&v)?),
                Array::Matrix(m) => from_matrix(m.iter().map(|row| array::softmax(row)).collect::<Result<_, _>>()?),
                Array::Num(_) => return Err(HostError::type_error("softmax: expected a vector or a matrix")),
            },
            "zeros" | "ones" => {
                let a = take(&["rows", "cols"], 1)?;
                let fill = if name == "zeros" { 0.0 } else { 1.0 };
                let size = |v: &MontyObject, what: &str| -> Result<usize, HostError> {
                    let n = integer(v, what)?;
                    usize::try_from(n).map_err(|_| HostError::value(format!("{name}: negative size {n}")))
                };
                let rows = size(a.req(0), "rows")?;
                match a.get(1) {
                    None => from_vector(vec![fill; rows]),
                    Some(cols) => from_matrix(vec![vec![fill; size(cols, "cols")?]; rows]),
                }
            }
            "shape" => MontyObject::Tuple(shape(take(&["a"], 1)?.req(0))?.into_iter().map(MontyObject::Int).collect()),
            "one_hot" => {
                let a = take(&["labels", "classes"], 2)?;
                let classes = integer(a.req(1), "classes")?;
                let mut rows = Vec::new();
                for (i, label) in items(a.req(0), "labels")?.iter().enumerate() {
                    let label = integer(label, &format!("labels[{i}]"))?;
                    if !(0..classes).contains(&label) {
                        return Err(HostError::value(format!("one_hot: label {label} is not in range({classes})")));
                    }
                    let mut row = vec![0.0; classes as usize];
                    row[label as usize] = 1.0;
                    rows.push(row);
                }
                from_matrix(rows)
            }
            "seed" => {
                self.rng = rng::Rng::new(integer(take(&["n"], 1)?.req(0), "n")? as u64);
                MontyObject::None
            }
            "random" => {
                take(&[], 0)?;
                MontyObject::Float(self.rng.random())
            }
            "uniform" => {
                let a = take(&["a", "b"], 2)?;
                let (lo, hi) = (number(a.req(0), "a")?, number(a.req(1), "b")?);
                MontyObject::Float(lo + (hi - lo) * self.rng.random())
            }
            "normal" => {
                let a = take(&["mu", "sigma"], 0)?;
                let mu = a.get(0).map_or(Ok(0.0), |v| number(v, "mu"))?;
                let sigma = a.get(1).map_or(Ok(1.0), |v| number(v, "sigma"))?;
                if sigma < 0.0 {
                    return Err(HostError::value(format!("normal: sigma must not be negative (got {sigma})")));
                }
                MontyObject::Float(mu + sigma * self.rng.standard_normal())
            }
            "randint" => {
                let a = take(&["a", "b"], 2)?;
                let (lo, hi) = (integer(a.req(0), "a")?, integer(a.req(1), "b")?);
                if hi < lo {
                    return Err(HostError::value(format!("randint: empty range ({lo}, {hi})")));
                }
                let span = (hi as i128 - lo as i128 + 1) as u128;
                let offset =
                    if span > u128::from(u64::MAX) { self.rng.next_u64() } else { self.rng.below(span as u64) };
                MontyObject::Int((lo as i128 + offset as i128) as i64)
            }
            "choice" => {
                let a = take(&["seq", "weights"], 1)?;
                let seq = sequence(a.req(0), "seq")?;
                if seq.is_empty() {
                    return Err(HostError::value("choice: cannot choose from an empty sequence"));
                }
                let i = match a.get(1) {
                    None => self.rng.below(seq.len() as u64) as usize,
                    Some(w) => self.weighted_index(&vector(w, "weights")?, seq.len())?,
                };
                seq.into_iter().nth(i).expect("index drawn below the length")
            }
            "shuffle" => {
                let mut seq = sequence(take(&["seq"], 1)?.req(0), "seq")?;
                // Fisher–Yates, from the end.
                for i in (1..seq.len()).rev() {
                    let j = self.rng.below(i as u64 + 1) as usize;
                    seq.swap(i, j);
                }
                MontyObject::List(seq)
            }
            "load_iris" | "load_digits" => {
                take(&[], 0)?;
                let data = if name == "load_iris" { datasets::iris()? } else { datasets::digits()? };
                MontyObject::Tuple(vec![
                    from_matrix(data.x),
                    MontyObject::List(data.y.into_iter().map(MontyObject::Int).collect()),
                ])
            }
            "iris_feature_names" | "iris_target_names" => {
                take(&[], 0)?;
                let names: &[&str] =
                    if name == "iris_feature_names" { &datasets::IRIS_FEATURES } else { &datasets::IRIS_TARGETS };
                MontyObject::List(names.iter().map(|n| MontyObject::String((*n).to_owned())).collect())
            }
            "load_dataset" => {
                // As Hugging Face's `datasets.load_dataset(path, name=None, split=None)`.
                let a = take(&["path", "name", "split"], 1)?;
                let text = |i: usize, what: &str| -> Result<Option<&str>, HostError> {
                    match a.get(i) {
                        None => Ok(None),
                        Some(MontyObject::String(s)) => Ok(Some(s.as_str())),
                        Some(_) => Err(HostError::type_error(format!("load_dataset: {what} must be a str"))),
                    }
                };
                let id = text(0, "path")?.ok_or_else(|| HostError::type_error("load_dataset: path must be a str"))?;
                let (name, split) = (text(1, "name")?, text(2, "split")?);
                let load = |split: &str| -> Result<MontyObject, HostError> {
                    let file = datasets::split_file(id, split);
                    match self.files.get(&file) {
                        Some(bytes) => datasets::load_split(&file, bytes, id, name),
                        None => Err(HostError {
                            exc_type: ExcType::FileNotFoundError,
                            message: format!(
                                "load_dataset: no split `{split}` of `{id}` was sent with this program (the build sends the splits the code names, as `load_dataset(\"{id}\", split=\"{split}\")`, of the book's datasets; sent: {})",
                                shipped_splits(self.files)
                            ),
                        }),
                    }
                };
                match split {
                    Some(split) => load(split)?,
                    // Without a split, every split sent, by name (Hugging Face's DatasetDict).
                    None => {
                        let prefix = format!("datasets/{id}/");
                        let splits: Vec<&str> = self
                            .files
                            .keys()
                            .filter_map(|f| f.strip_prefix(&prefix)?.strip_suffix(".json"))
                            .filter(|s| !s.contains('/'))
                            .collect();
                        if splits.is_empty() {
                            load("train")?;
                        }
                        let pairs = splits
                            .into_iter()
                            .map(|s| Ok((MontyObject::String(s.to_owned()), load(s)?)))
                            .collect::<Result<Vec<_>, HostError>>()?;
                        MontyObject::Dict(DictPairs::from(pairs))
                    }
                }
            }
            "load_safetensors" => {
                let a = take(&["path"], 1)?;
                let MontyObject::String(path) = a.req(0) else {
                    return Err(HostError::type_error("load_safetensors: path must be a str"));
                };
                let path = path.strip_prefix("./").unwrap_or(path);
                let Some(bytes) = self.files.get(path) else {
                    return Err(HostError {
                        exc_type: ExcType::FileNotFoundError,
                        message: format!(
                            "No such file: '{path}' (the exercise's files are: {})",
                            file_list(self.files)
                        ),
                    });
                };
                safetensors::load(path, bytes)?
            }
            _ => {
                return Err(HostError { exc_type: ExcType::AttributeError, message: format!("no function {display}") })
            }
        })
    }

    /// Draws an index with probability proportional to `weights`.
    fn weighted_index(&mut self, weights: &[f64], len: usize) -> Result<usize, HostError> {
        if weights.len() != len {
            return Err(HostError::value(format!("choice: {} weights for {len} elements", weights.len())));
        }
        if let Some(w) = weights.iter().find(|w| w.is_nan() || **w < 0.0 || w.is_infinite()) {
            return Err(HostError::value(format!("choice: weights must be finite and non-negative (got {w})")));
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Err(HostError::value("choice: the weights sum to zero"));
        }
        let target = self.rng.random() * total;
        let mut acc = 0.0;
        for (i, w) in weights.iter().enumerate() {
            acc += w;
            if target < acc {
                return Ok(i);
            }
        }
        // Rounding can leave `target` a hair above the last partial sum: take the last positive weight.
        Ok(weights.iter().rposition(|w| *w > 0.0).expect("total is positive"))
    }
}

/// The elements of a list, tuple or string (a string gives its characters).
fn sequence(value: &MontyObject, what: &str) -> Result<Vec<MontyObject>, HostError> {
    match value {
        MontyObject::String(s) => Ok(s.chars().map(|c| MontyObject::String(c.to_string())).collect()),
        other => Ok(items(other, what)?.to_vec()),
    }
}

/// `a @ b` for matrices.
fn matmul(a: &[Vec<f64>], b: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, HostError> {
    let inner = a.first().map_or(0, Vec::len);
    if inner != b.len() {
        return Err(HostError::value(format!("matmul: a has {inner} columns but b has {} rows", b.len())));
    }
    let cols = b.first().map_or(0, Vec::len);
    Ok(a.iter().map(|row| (0..cols).map(|j| row.iter().zip(b).map(|(x, brow)| x * brow[j]).sum()).collect()).collect())
}

/// The length at each nesting level, checking that siblings agree.
fn shape(value: &MontyObject) -> Result<Vec<i64>, HostError> {
    match value {
        MontyObject::List(items) | MontyObject::Tuple(items) => {
            let mut dims = vec![items.len() as i64];
            if let Some(first) = items.first() {
                let inner = shape(first)?;
                for (i, item) in items.iter().enumerate().skip(1) {
                    if shape(item)? != inner {
                        return Err(HostError::value(format!("shape: element {i} differs in shape from element 0")));
                    }
                }
                dims.extend(inner);
            }
            Ok(dims)
        }
        _ => Ok(Vec::new()),
    }
}

/// The dataset splits of a request, as `id/split`.
fn shipped_splits(files: &BTreeMap<String, Vec<u8>>) -> String {
    let splits: Vec<&str> = files.keys().filter_map(|f| f.strip_prefix("datasets/")?.strip_suffix(".json")).collect();
    if splits.is_empty() {
        "none".to_owned()
    } else {
        splits.join(", ")
    }
}

fn file_list(files: &BTreeMap<String, Vec<u8>>) -> String {
    if files.is_empty() {
        return "none".to_owned();
    }
    files.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
}
