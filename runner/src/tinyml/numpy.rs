//! The array core of the course's `numpy`: n-dimensional arrays of float64, int64 or bool, with
//! numpy's broadcasting, indexing, reductions and type rules, written once in Rust.
//!
//! Both runtimes reach it through one entry point, [`Numpy::call`], with interpreter-neutral
//! values ([`MontyObject`]). The Python side (`runner/src/tinyml/numpy.py`, shared by both
//! runtimes) holds an array as a flat list, a shape and a kind, and hands it here as a dict
//! `{"d": [...], "s": (...), "k": "f" | "i" | "b"}`; results come back in the same form, and a
//! 0-d result as a plain Python number. Sums use numpy's pairwise summation so printed results
//! match real numpy's digits; the random generators are our own (xoshiro256**), so their
//! streams differ from numpy's.

use monty_types::{ExcType, MontyObject};

use super::array::type_name;
use super::rng::Rng;
use super::HostError;

/// The element type of an array: numpy's `bool`, `int64` and `float64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Bool,
    Int,
    Float,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Bool => "b",
            Kind::Int => "i",
            Kind::Float => "f",
        }
    }

    fn from_name(name: &str) -> Result<Kind, HostError> {
        match name {
            "b" | "bool" | "bool_" => Ok(Kind::Bool),
            "i" | "int" | "int64" | "intp" => Ok(Kind::Int),
            "f" | "float" | "float64" | "double" => Ok(Kind::Float),
            other => Err(not_in_course(&format!("the dtype {other:?}"), "use float64, int64 or bool")),
        }
    }

    /// The value stored for `x` in an array of this kind (numpy's casting on assignment).
    fn cast(self, x: f64) -> f64 {
        match self {
            Kind::Bool => f64::from(u8::from(x != 0.0)),
            Kind::Int => x.trunc(),
            Kind::Float => x,
        }
    }
}

/// An n-dimensional array, stored row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct NdArray {
    pub shape: Vec<usize>,
    pub data: Vec<f64>,
    pub kind: Kind,
}

fn value_error(message: impl Into<String>) -> HostError {
    HostError::value(message)
}

fn index_error(message: impl Into<String>) -> HostError {
    HostError { exc_type: ExcType::IndexError, message: message.into() }
}

/// The error for a call outside the course's subset of numpy.
pub fn not_in_course(what: &str, hint: &str) -> HostError {
    HostError {
        exc_type: ExcType::NotImplementedError,
        message: format!("{what} is not in this course's numpy ({hint})"),
    }
}

fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => format!("({})", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
    }
}

impl NdArray {
    pub fn scalar(x: f64, kind: Kind) -> NdArray {
        NdArray { shape: Vec::new(), data: vec![x], kind }
    }

    fn size(&self) -> usize {
        self.data.len()
    }

    fn strides(shape: &[usize]) -> Vec<usize> {
        let mut strides = vec![1; shape.len()];
        for i in (0..shape.len().saturating_sub(1)).rev() {
            strides[i] = strides[i + 1] * shape[i + 1];
        }
        strides
    }

    /// Reads an argument: an array dict, a (nested) list or tuple, or a number.
    pub fn from_value(value: &MontyObject) -> Result<NdArray, HostError> {
        match value {
            MontyObject::Dict(pairs) => {
                let (mut data, mut shape, mut kind) = (None, None, None);
                for (k, v) in pairs {
                    match (k, v) {
                        (MontyObject::String(k), MontyObject::List(d)) if k == "d" => data = Some(d),
                        (MontyObject::String(k), MontyObject::Tuple(s)) if k == "s" => shape = Some(s),
                        (MontyObject::String(k), MontyObject::String(c)) if k == "k" => {
                            kind = Some(Kind::from_name(c)?)
                        }
                        _ => {}
                    }
                }
                let (Some(data), Some(shape), Some(kind)) = (data, shape, kind) else {
                    return Err(HostError::type_error("expected an array, a list or a number, not a dict"));
                };
                let shape = shape.iter().map(|d| usize_of(d, "shape")).collect::<Result<Vec<_>, _>>()?;
                let data = data.iter().map(number).collect::<Result<Vec<_>, _>>()?;
                if shape.iter().product::<usize>() != data.len() {
                    return Err(HostError::runtime("corrupt array: its shape does not match its data"));
                }
                Ok(NdArray { shape, data, kind })
            }
            MontyObject::List(items) | MontyObject::Tuple(items) => {
                let parts = items.iter().map(NdArray::from_value).collect::<Result<Vec<_>, _>>()?;
                let Some(first) = parts.first() else {
                    return Ok(NdArray { shape: vec![0], data: Vec::new(), kind: Kind::Float });
                };
                if let Some(bad) = parts.iter().find(|p| p.shape != first.shape) {
                    return Err(value_error(format!(
                        "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions: an element of shape {} beside one of shape {}",
                        shape_text(&first.shape),
                        shape_text(&bad.shape)
                    )));
                }
                let kind = parts.iter().map(|p| p.kind).max().unwrap_or(Kind::Float);
                let mut shape = vec![parts.len()];
                shape.extend(&first.shape);
                Ok(NdArray { shape, data: parts.into_iter().flat_map(|p| p.data).collect(), kind })
            }
            MontyObject::Bool(b) => Ok(NdArray::scalar(f64::from(u8::from(*b)), Kind::Bool)),
            MontyObject::Int(i) => Ok(NdArray::scalar(*i as f64, Kind::Int)),
            MontyObject::Float(x) => Ok(NdArray::scalar(*x, Kind::Float)),
            other => {
                Err(HostError::type_error(format!("expected an array, a list or a number, not {}", type_name(other))))
            }
        }
    }

    /// The Python value: a plain number for a 0-d array, else the array dict.
    pub fn into_value(self) -> MontyObject {
        if self.shape.is_empty() {
            return element(self.data[0], self.kind);
        }
        let kind = self.kind;
        MontyObject::Dict(
            vec![
                (
                    MontyObject::String("d".into()),
                    MontyObject::List(self.data.into_iter().map(|x| element(x, kind)).collect()),
                ),
                (
                    MontyObject::String("s".into()),
                    MontyObject::Tuple(self.shape.iter().map(|&n| MontyObject::Int(n as i64)).collect()),
                ),
                (MontyObject::String("k".into()), MontyObject::String(kind.code().into())),
            ]
            .into(),
        )
    }

    fn with_kind(mut self, kind: Kind) -> NdArray {
        if kind != self.kind {
            for x in &mut self.data {
                *x = kind.cast(*x);
            }
            self.kind = kind;
        }
        self
    }

    fn axis(&self, axis: i64) -> Result<usize, HostError> {
        normalize_axis(axis, self.shape.len())
    }
}

fn normalize_axis(axis: i64, ndim: usize) -> Result<usize, HostError> {
    let n = ndim as i64;
    if axis < -n || axis >= n {
        return Err(HostError {
            exc_type: ExcType::ValueError,
            message: format!("axis {axis} is out of bounds for array of dimension {ndim}"),
        });
    }
    Ok(if axis < 0 { (axis + n) as usize } else { axis as usize })
}

fn element(x: f64, kind: Kind) -> MontyObject {
    match kind {
        Kind::Bool => MontyObject::Bool(x != 0.0),
        Kind::Int => MontyObject::Int(x as i64),
        Kind::Float => MontyObject::Float(x),
    }
}

fn number(value: &MontyObject) -> Result<f64, HostError> {
    match value {
        MontyObject::Float(x) => Ok(*x),
        MontyObject::Int(i) => Ok(*i as f64),
        MontyObject::Bool(b) => Ok(f64::from(u8::from(*b))),
        other => Err(HostError::type_error(format!("expected a number, not {}", type_name(other)))),
    }
}

fn int_of(value: &MontyObject, what: &str) -> Result<i64, HostError> {
    match value {
        MontyObject::Int(i) => Ok(*i),
        MontyObject::Bool(b) => Ok(i64::from(*b)),
        other => Err(HostError::type_error(format!("{what} must be an integer, not {}", type_name(other)))),
    }
}

fn usize_of(value: &MontyObject, what: &str) -> Result<usize, HostError> {
    let n = int_of(value, what)?;
    usize::try_from(n).map_err(|_| value_error(format!("negative dimensions are not allowed ({what} {n})")))
}

fn optional(args: &[MontyObject], i: usize) -> Option<&MontyObject> {
    args.get(i).filter(|v| !matches!(v, MontyObject::None))
}

fn arg<'a>(args: &'a [MontyObject], i: usize, op: &str) -> Result<&'a MontyObject, HostError> {
    args.get(i).ok_or_else(|| HostError::runtime(format!("numpy core: {op} needs argument {i}")))
}

fn text(value: &MontyObject) -> Result<&str, HostError> {
    match value {
        MontyObject::String(s) => Ok(s),
        other => Err(HostError::type_error(format!("expected a string, not {}", type_name(other)))),
    }
}

fn shape_arg(value: &MontyObject) -> Result<Vec<i64>, HostError> {
    match value {
        MontyObject::List(items) | MontyObject::Tuple(items) => items.iter().map(|d| int_of(d, "shape")).collect(),
        other => Ok(vec![int_of(other, "shape")?]),
    }
}

fn optional_kind(value: Option<&MontyObject>) -> Result<Option<Kind>, HostError> {
    value.map(|v| Kind::from_name(text(v)?)).transpose()
}

// --- broadcasting -------------------------------------------------------------------------

fn broadcast_shape(a: &[usize], b: &[usize]) -> Result<Vec<usize>, HostError> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        let x = if i + a.len() >= n { a[i + a.len() - n] } else { 1 };
        let y = if i + b.len() >= n { b[i + b.len() - n] } else { 1 };
        out[i] = match (x, y) {
            _ if x == y => x,
            (1, _) => y,
            (_, 1) => x,
            _ => {
                return Err(value_error(format!(
                    "operands could not be broadcast together with shapes {} {} ",
                    shape_text(a),
                    shape_text(b)
                )))
            }
        };
    }
    Ok(out)
}

/// For every element of an array of shape `to`, the index of the element of `from` it reads.
fn broadcast_index(from: &[usize], to: &[usize]) -> Vec<usize> {
    let total: usize = to.iter().product();
    if from == to {
        return (0..total).collect();
    }
    let strides = NdArray::strides(from);
    let offset = to.len() - from.len();
    let mut out = Vec::with_capacity(total);
    let mut counter = vec![0usize; to.len()];
    for _ in 0..total {
        let mut idx = 0;
        for (d, &c) in counter.iter().enumerate().skip(offset) {
            let fd = d - offset;
            if from[fd] != 1 {
                idx += c * strides[fd];
            }
        }
        out.push(idx);
        for d in (0..to.len()).rev() {
            counter[d] += 1;
            if counter[d] < to[d] {
                break;
            }
            counter[d] = 0;
        }
    }
    out
}

fn broadcast_to(a: &NdArray, shape: &[usize]) -> Result<NdArray, HostError> {
    let target = broadcast_shape(&a.shape, shape)?;
    if target != shape {
        return Err(value_error(format!(
            "could not broadcast input array from shape {} into shape {}",
            shape_text(&a.shape),
            shape_text(shape)
        )));
    }
    let idx = broadcast_index(&a.shape, shape);
    Ok(NdArray { shape: shape.to_vec(), data: idx.into_iter().map(|i| a.data[i]).collect(), kind: a.kind })
}

fn zip(a: &NdArray, b: &NdArray, kind: Kind, f: impl Fn(f64, f64) -> f64) -> Result<NdArray, HostError> {
    let shape = broadcast_shape(&a.shape, &b.shape)?;
    let (ia, ib) = (broadcast_index(&a.shape, &shape), broadcast_index(&b.shape, &shape));
    let data = ia.iter().zip(&ib).map(|(&i, &j)| f(a.data[i], b.data[j])).collect();
    Ok(NdArray { shape, data, kind })
}

/// Python's float floor division and modulo (numpy follows them).
fn py_divmod(a: f64, b: f64) -> (f64, f64) {
    if b == 0.0 {
        return (a / b, f64::NAN);
    }
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    let floor = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(a / b)
    };
    (floor, m)
}

/// `a <op> b` with numpy's result types.
pub fn binop(op: &str, a: &NdArray, b: &NdArray) -> Result<NdArray, HostError> {
    let kind = a.kind.max(b.kind);
    let both_bool = kind == Kind::Bool;
    let arith = if both_bool { Kind::Int } else { kind };
    Ok(match op {
        "add" if both_bool => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x != 0.0 || y != 0.0)))?,
        "mul" if both_bool => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x != 0.0 && y != 0.0)))?,
        "sub" if both_bool => {
            return Err(HostError::type_error(
                "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.",
            ))
        }
        "add" => zip(a, b, arith, |x, y| x + y)?,
        "sub" => zip(a, b, arith, |x, y| x - y)?,
        "mul" => zip(a, b, arith, |x, y| x * y)?,
        "truediv" => zip(a, b, Kind::Float, |x, y| x / y)?,
        "floordiv" if arith == Kind::Int => zip(a, b, Kind::Int, |x, y| if y == 0.0 { 0.0 } else { (x / y).floor() })?,
        "floordiv" => zip(a, b, Kind::Float, |x, y| py_divmod(x, y).0)?,
        "mod" if arith == Kind::Int => {
            zip(a, b, Kind::Int, |x, y| if y == 0.0 { 0.0 } else { x - y * (x / y).floor() })?
        }
        "mod" => zip(a, b, Kind::Float, |x, y| py_divmod(x, y).1)?,
        "pow" => {
            if arith == Kind::Int && b.data.iter().any(|&y| y < 0.0) {
                return Err(value_error("Integers to negative integer powers are not allowed."));
            }
            zip(a, b, arith, f64::powf)?
        }
        "maximum" => zip(a, b, kind, |x, y| if x.is_nan() || y.is_nan() { f64::NAN } else { x.max(y) })?,
        "minimum" => zip(a, b, kind, |x, y| if x.is_nan() || y.is_nan() { f64::NAN } else { x.min(y) })?,
        "eq" => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x == y)))?,
        "ne" => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x != y)))?,
        "lt" => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x < y)))?,
        "le" => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x <= y)))?,
        "gt" => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x > y)))?,
        "ge" => zip(a, b, Kind::Bool, |x, y| f64::from(u8::from(x >= y)))?,
        "and" | "or" | "xor" => {
            if kind == Kind::Float {
                return Err(HostError::type_error(format!(
                    "ufunc 'bitwise_{op}' not supported for the input types (float64 arrays): compare first, as in (a > 0) & (b > 0)"
                )));
            }
            let f: fn(i64, i64) -> i64 = match op {
                "and" => |x, y| x & y,
                "or" => |x, y| x | y,
                _ => |x, y| x ^ y,
            };
            zip(a, b, kind, |x, y| f(x as i64, y as i64) as f64)?
        }
        other => return Err(HostError::runtime(format!("numpy core: no operator {other}"))),
    })
}

/// An element-wise function of one array.
pub fn unary(op: &str, a: NdArray) -> Result<NdArray, HostError> {
    let float = |a: NdArray, f: fn(f64) -> f64| {
        let mut a = a.with_kind(Kind::Float);
        a.data.iter_mut().for_each(|x| *x = f(*x));
        a
    };
    Ok(match op {
        "neg" => {
            if a.kind == Kind::Bool {
                return Err(HostError::type_error(
                    "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.",
                ));
            }
            let kind = a.kind;
            NdArray { data: a.data.into_iter().map(|x| -x).collect(), shape: a.shape, kind }
        }
        "invert" => match a.kind {
            Kind::Bool => NdArray { data: a.data.iter().map(|&x| f64::from(u8::from(x == 0.0))).collect(), ..a },
            Kind::Int => NdArray { data: a.data.iter().map(|&x| !(x as i64) as f64).collect(), ..a },
            Kind::Float => return Err(HostError::type_error("ufunc 'invert' not supported for float64 arrays")),
        },
        "abs" => {
            let kind = a.kind;
            NdArray { data: a.data.into_iter().map(f64::abs).collect(), shape: a.shape, kind }
        }
        "square" => {
            let kind = if a.kind == Kind::Bool { Kind::Int } else { a.kind };
            NdArray { data: a.data.into_iter().map(|x| x * x).collect(), shape: a.shape, kind }
        }
        "sign" => {
            let kind = a.kind;
            let sign = |x: f64| {
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else {
                    x
                }
            };
            NdArray { data: a.data.into_iter().map(sign).collect(), shape: a.shape, kind }
        }
        "exp" => float(a, f64::exp),
        "log" => float(a, f64::ln),
        "sqrt" => float(a, f64::sqrt),
        "tanh" => float(a, f64::tanh),
        "floor" => float(a, f64::floor),
        "ceil" => float(a, f64::ceil),
        other => return Err(HostError::runtime(format!("numpy core: no function {other}"))),
    })
}

/// numpy's `round`: half to even, at `decimals` places.
fn round(a: NdArray, decimals: i64) -> NdArray {
    if a.kind != Kind::Float && decimals >= 0 {
        return a;
    }
    let kind = a.kind;
    let scale = 10f64.powi(decimals.unsigned_abs() as i32);
    let f = |x: f64| {
        if decimals >= 0 {
            (x * scale).round_ties_even() / scale
        } else {
            (x / scale).round_ties_even() * scale
        }
    };
    NdArray { data: a.data.into_iter().map(f).collect(), shape: a.shape, kind }
}

// --- reductions ---------------------------------------------------------------------------

/// numpy's pairwise summation (`pairwise_sum` in numpy's loops), so sums carry its digits.
fn pairwise_sum(v: &[f64]) -> f64 {
    let n = v.len();
    if n < 8 {
        let mut res = 0.0;
        for x in v {
            res += x;
        }
        res
    } else if n <= 128 {
        let mut r = [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]];
        let mut i = 8;
        while i < n - (n % 8) {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += v[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += v[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&v[..n2]) + pairwise_sum(&v[n2..])
    }
}

/// The lanes of a reduction over `axis`: for every output position, the values along the axis.
fn lanes(a: &NdArray, axis: usize) -> (Vec<usize>, Vec<Vec<f64>>) {
    let shape = &a.shape;
    let inner: usize = shape[axis + 1..].iter().product();
    let outer: usize = shape[..axis].iter().product();
    let n = shape[axis];
    let mut out = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for i in 0..inner {
            out.push((0..n).map(|k| a.data[(o * n + k) * inner + i]).collect());
        }
    }
    let mut out_shape = shape.clone();
    out_shape.remove(axis);
    (out_shape, out)
}

/// The sum of a lane as numpy computes it: pairwise along the contiguous (last) axis or over a
/// whole array, one row after another along any other axis.
fn lane_sum(v: &[f64], contiguous: bool) -> f64 {
    if contiguous {
        pairwise_sum(v)
    } else {
        let mut s = 0.0;
        for x in v {
            s += x;
        }
        s
    }
}

fn reduce_lane(op: &str, v: &[f64], contiguous: bool, ddof: f64) -> Result<f64, HostError> {
    let n = v.len() as f64;
    let empty =
        |what: &str| value_error(format!("zero-size array to reduction operation {what} which has no identity"));
    Ok(match op {
        "sum" => lane_sum(v, contiguous),
        "prod" => v.iter().product(),
        "mean" => lane_sum(v, contiguous) / n,
        "var" | "std" => {
            let mean = lane_sum(v, contiguous) / n;
            let sq: Vec<f64> = v.iter().map(|x| (x - mean) * (x - mean)).collect();
            let var = lane_sum(&sq, contiguous) / (n - ddof).max(0.0);
            if op == "std" {
                var.sqrt()
            } else {
                var
            }
        }
        "max" | "min" => {
            let Some(&first) = v.first() else { return Err(empty(if op == "max" { "maximum" } else { "minimum" })) };
            let mut best = first;
            for &x in v {
                if x.is_nan() || best.is_nan() {
                    best = f64::NAN;
                } else if (op == "max" && x > best) || (op == "min" && x < best) {
                    best = x;
                }
            }
            best
        }
        "argmax" | "argmin" => {
            if v.is_empty() {
                return Err(value_error(format!("attempt to get {op} of an empty sequence")));
            }
            let mut best = 0;
            for (i, &x) in v.iter().enumerate() {
                if v[best].is_nan() {
                    break;
                }
                if x.is_nan() || (op == "argmax" && x > v[best]) || (op == "argmin" && x < v[best]) {
                    best = i;
                }
            }
            best as f64
        }
        "any" => f64::from(u8::from(v.iter().any(|&x| x != 0.0))),
        "all" => f64::from(u8::from(v.iter().all(|&x| x != 0.0))),
        other => return Err(HostError::runtime(format!("numpy core: no reduction {other}"))),
    })
}

fn reduce(op: &str, a: NdArray, axis: Option<&MontyObject>, keepdims: bool, ddof: f64) -> Result<NdArray, HostError> {
    let kind = match op {
        "sum" | "prod" => {
            if a.kind == Kind::Bool {
                Kind::Int
            } else {
                a.kind
            }
        }
        "max" | "min" => a.kind,
        "argmax" | "argmin" => Kind::Int,
        "any" | "all" => Kind::Bool,
        _ => Kind::Float,
    };
    let axes: Vec<usize> = match axis {
        None => (0..a.shape.len()).collect(),
        Some(MontyObject::Tuple(items) | MontyObject::List(items)) => {
            items.iter().map(|x| a.axis(int_of(x, "axis")?)).collect::<Result<_, _>>()?
        }
        Some(x) => vec![a.axis(int_of(x, "axis")?)?],
    };
    if axis.is_none() || a.shape.len() <= 1 {
        let value = reduce_lane(op, &a.data, true, ddof)?;
        let shape = if keepdims { vec![1; a.shape.len()] } else { Vec::new() };
        return Ok(NdArray { shape, data: vec![value], kind });
    }
    if axes.len() != 1 {
        if op.starts_with("arg") {
            return Err(HostError::type_error("'tuple' object cannot be interpreted as an integer"));
        }
        // Several axes: move them last, flatten them into one, reduce that.
        let rest: Vec<usize> = (0..a.shape.len()).filter(|d| !axes.contains(d)).collect();
        let perm: Vec<usize> = rest.iter().chain(&axes).copied().collect();
        let moved = transpose(&a, &perm);
        let kept: Vec<usize> = rest.iter().map(|&d| a.shape[d]).collect();
        let n: usize = axes.iter().map(|&d| a.shape[d]).product();
        let data = moved
            .data
            .chunks(n.max(1))
            .map(|lane| reduce_lane(op, lane, false, ddof))
            .collect::<Result<Vec<_>, _>>()?;
        let shape = if keepdims {
            (0..a.shape.len()).map(|d| if axes.contains(&d) { 1 } else { a.shape[d] }).collect()
        } else {
            kept
        };
        return Ok(NdArray { shape, data, kind });
    }
    let axis = axes[0];
    let contiguous = axis + 1 == a.shape.len();
    let (mut shape, lanes) = lanes(&a, axis);
    let data = lanes.iter().map(|lane| reduce_lane(op, lane, contiguous, ddof)).collect::<Result<Vec<_>, _>>()?;
    if keepdims {
        shape.insert(axis, 1);
    }
    Ok(NdArray { shape, data, kind })
}

// --- shape --------------------------------------------------------------------------------

fn reshape(a: NdArray, dims: &[i64]) -> Result<NdArray, HostError> {
    let size = a.size();
    let unknown: Vec<usize> = dims.iter().enumerate().filter(|(_, &d)| d == -1).map(|(i, _)| i).collect();
    let known: i64 = dims.iter().filter(|&&d| d != -1).product();
    let cannot = || value_error(format!("cannot reshape array of size {size} into shape {}", dims_text(dims)));
    if unknown.len() > 1 {
        return Err(value_error("can only specify one unknown dimension"));
    }
    if dims.iter().any(|&d| d < -1) {
        return Err(value_error("negative dimensions not allowed"));
    }
    let mut shape: Vec<usize> = dims.iter().map(|&d| d.max(0) as usize).collect();
    if let Some(&i) = unknown.first() {
        if known == 0 || size as i64 % known != 0 {
            return Err(cannot());
        }
        shape[i] = (size as i64 / known) as usize;
    }
    if shape.iter().product::<usize>() != size {
        return Err(cannot());
    }
    Ok(NdArray { shape, ..a })
}

fn dims_text(dims: &[i64]) -> String {
    match dims {
        [n] => format!("({n},)"),
        _ => format!("({})", dims.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
    }
}

fn transpose(a: &NdArray, perm: &[usize]) -> NdArray {
    let shape: Vec<usize> = perm.iter().map(|&p| a.shape[p]).collect();
    let strides = NdArray::strides(&a.shape);
    let total = a.size();
    let mut data = Vec::with_capacity(total);
    let mut counter = vec![0usize; shape.len()];
    for _ in 0..total {
        let idx: usize = counter.iter().zip(perm).map(|(&c, &p)| c * strides[p]).sum();
        data.push(a.data[idx]);
        for d in (0..shape.len()).rev() {
            counter[d] += 1;
            if counter[d] < shape[d] {
                break;
            }
            counter[d] = 0;
        }
    }
    NdArray { shape, data, kind: a.kind }
}

fn transpose_axes(a: &NdArray, axes: Option<&MontyObject>) -> Result<NdArray, HostError> {
    let n = a.shape.len();
    let perm: Vec<usize> = match axes {
        None => (0..n).rev().collect(),
        Some(v) => {
            let given = shape_arg(v)?;
            let perm = given.iter().map(|&x| normalize_axis(x, n)).collect::<Result<Vec<_>, _>>()?;
            let mut sorted = perm.clone();
            sorted.sort_unstable();
            if sorted != (0..n).collect::<Vec<_>>() {
                return Err(value_error("axes don't match array"));
            }
            perm
        }
    };
    Ok(transpose(a, &perm))
}

// --- products -----------------------------------------------------------------------------

fn matmul(a: &NdArray, b: &NdArray, name: &str) -> Result<NdArray, HostError> {
    if a.shape.is_empty() || b.shape.is_empty() {
        return Err(value_error(format!("{name}: Input operand does not have enough dimensions")));
    }
    if a.shape.len() > 2 || b.shape.len() > 2 {
        return Err(not_in_course(&format!("{name} of arrays with more than 2 dimensions"), "use 1-D and 2-D arrays"));
    }
    let (m, k) = if a.shape.len() == 1 { (1, a.shape[0]) } else { (a.shape[0], a.shape[1]) };
    let (k2, n) = if b.shape.len() == 1 { (b.shape[0], 1) } else { (b.shape[0], b.shape[1]) };
    if k != k2 {
        return Err(value_error(format!(
            "{name}: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size {k2} is different from {k})"
        )));
    }
    let kind = a.kind.max(b.kind);
    let mut data = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0;
            for t in 0..k {
                s += a.data[i * k + t] * b.data[t * n + j];
            }
            data[i * n + j] = if kind == Kind::Bool { f64::from(u8::from(s != 0.0)) } else { s };
        }
    }
    let mut shape = Vec::new();
    if a.shape.len() == 2 {
        shape.push(m);
    }
    if b.shape.len() == 2 {
        shape.push(n);
    }
    Ok(NdArray { shape, data, kind })
}

// --- indexing -----------------------------------------------------------------------------

/// One entry of an index, per axis of the array.
enum Sel {
    Int(usize),
    Range(Vec<usize>),
    New,
    Adv(Vec<usize>),
}

/// Resolves an index (the Python side's list of `("i", n)`, `("s", start, stop, step)`,
/// `("n",)`, `("a", array)`, `("e",)` entries) to the result's shape and, for each of its
/// elements, the position it reads in `a`.
fn resolve(a: &NdArray, key: &MontyObject) -> Result<(Vec<usize>, Vec<usize>), HostError> {
    let MontyObject::List(entries) = key else {
        return Err(HostError::runtime("numpy core: malformed index"));
    };
    // Expand boolean masks into their nonzero index arrays first (numpy does the same).
    let mut items: Vec<(String, Vec<MontyObject>)> = Vec::new();
    for entry in entries {
        let MontyObject::Tuple(parts) = entry else { return Err(HostError::runtime("numpy core: malformed index")) };
        let tag = text(&parts[0])?.to_owned();
        items.push((tag, parts[1..].to_vec()));
    }
    let ndim = a.shape.len();
    let mut sels: Vec<Sel> = Vec::new();
    let mut axis = 0usize;
    let consumed: usize = items
        .iter()
        .map(|(tag, parts)| match tag.as_str() {
            "n" | "e" => Ok(0),
            "a" => {
                let idx = NdArray::from_value(&parts[0])?;
                Ok(if idx.kind == Kind::Bool { idx.shape.len().max(1) } else { 1 })
            }
            _ => Ok(1),
        })
        .sum::<Result<usize, HostError>>()?;
    if consumed > ndim {
        return Err(index_error(format!(
            "too many indices for array: array is {ndim}-dimensional, but {consumed} were indexed"
        )));
    }
    let has_adv = items.iter().any(|(t, _)| t == "a");
    for (tag, parts) in &items {
        match tag.as_str() {
            "n" => sels.push(Sel::New),
            "e" => {
                for _ in 0..ndim - consumed {
                    sels.push(Sel::Range((0..a.shape[axis]).collect()));
                    axis += 1;
                }
            }
            "i" => {
                let n = a.shape[axis] as i64;
                let i = int_of(&parts[0], "index")?;
                if i < -n || i >= n {
                    return Err(index_error(format!("index {i} is out of bounds for axis {axis} with size {n}")));
                }
                let i = if i < 0 { i + n } else { i } as usize;
                sels.push(if has_adv { Sel::Adv(vec![i]) } else { Sel::Int(i) });
                axis += 1;
            }
            "s" => {
                let n = a.shape[axis] as i64;
                let get = |i: usize| optional(parts, i).map(|v| int_of(v, "slice index")).transpose();
                let step = get(2)?.unwrap_or(1);
                if step == 0 {
                    return Err(value_error("slice step cannot be zero"));
                }
                let clamp = |v: i64, lo: i64, hi: i64| v.clamp(lo, hi);
                let (start, stop) = if step > 0 {
                    let s = get(0)?.map_or(0, |v| clamp(if v < 0 { v + n } else { v }, 0, n));
                    let e = get(1)?.map_or(n, |v| clamp(if v < 0 { v + n } else { v }, 0, n));
                    (s, e)
                } else {
                    let s = get(0)?.map_or(n - 1, |v| clamp(if v < 0 { v + n } else { v }, -1, n - 1));
                    let e = get(1)?.map_or(-1, |v| clamp(if v < 0 { v + n } else { v }, -1, n - 1));
                    (s, e)
                };
                let mut idx = Vec::new();
                let mut i = start;
                while (step > 0 && i < stop) || (step < 0 && i > stop) {
                    idx.push(i as usize);
                    i += step;
                }
                sels.push(Sel::Range(idx));
                axis += 1;
            }
            "a" => {
                let idx = NdArray::from_value(&parts[0])?;
                if idx.kind == Kind::Bool {
                    let dims = idx.shape.len().max(1);
                    let want = &a.shape[axis..axis + dims];
                    if idx.shape != want {
                        return Err(index_error(format!(
                            "boolean index did not match indexed array along axis {axis}; size of axis is {} but size of corresponding boolean axis is {}",
                            want.first().copied().unwrap_or(0),
                            idx.shape.first().copied().unwrap_or(0)
                        )));
                    }
                    let strides = NdArray::strides(&idx.shape);
                    let hits: Vec<usize> = (0..idx.size()).filter(|&p| idx.data[p] != 0.0).collect();
                    for (stride, len) in strides.iter().zip(&idx.shape) {
                        sels.push(Sel::Adv(hits.iter().map(|&p| p / stride % len).collect()));
                    }
                    axis += dims;
                } else {
                    if idx.kind == Kind::Float {
                        return Err(index_error(
                            "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices",
                        ));
                    }
                    if idx.shape.len() > 1 {
                        return Err(not_in_course("indexing with a 2-D index array", "index with 1-D arrays"));
                    }
                    let n = a.shape[axis] as i64;
                    let mut out = Vec::with_capacity(idx.size());
                    for &x in &idx.data {
                        let i = x as i64;
                        if i < -n || i >= n {
                            return Err(index_error(format!(
                                "index {i} is out of bounds for axis {axis} with size {n}"
                            )));
                        }
                        out.push(if i < 0 { i + n } else { i } as usize);
                    }
                    sels.push(Sel::Adv(out));
                    axis += 1;
                }
            }
            other => return Err(HostError::runtime(format!("numpy core: malformed index entry {other}"))),
        }
    }
    while axis < ndim {
        sels.push(Sel::Range((0..a.shape[axis]).collect()));
        axis += 1;
    }
    // The advanced entries broadcast together into one dimension.
    let adv_len = sels.iter().filter_map(|s| if let Sel::Adv(v) = s { Some(v.len()) } else { None }).try_fold(
        1usize,
        |acc, n| match (acc, n) {
            (x, y) if x == y => Ok(x),
            (1, y) => Ok(y),
            (x, 1) => Ok(x),
            (x, y) => Err(index_error(format!(
                "shape mismatch: indexing arrays could not be broadcast together with shapes ({x},) ({y},)"
            ))),
        },
    )?;
    let adv_pos: Vec<usize> =
        sels.iter().enumerate().filter(|(_, s)| matches!(s, Sel::Adv(_))).map(|(i, _)| i).collect();
    let adjacent = adv_pos.windows(2).all(|w| w[1] == w[0] + 1);
    // Output dimensions: each Range and New in order, the advanced one where numpy puts it.
    enum Out {
        Range(usize),
        New,
        Adv,
    }
    let mut outs: Vec<Out> = Vec::new();
    if !adv_pos.is_empty() && !adjacent {
        outs.push(Out::Adv);
    }
    for (i, s) in sels.iter().enumerate() {
        match s {
            Sel::Range(_) => outs.push(Out::Range(i)),
            Sel::New => outs.push(Out::New),
            Sel::Adv(_) if adjacent && adv_pos.first() == Some(&i) => outs.push(Out::Adv),
            _ => {}
        }
    }
    let shape: Vec<usize> = outs
        .iter()
        .map(|o| match o {
            Out::Range(i) => match &sels[*i] {
                Sel::Range(v) => v.len(),
                _ => unreachable!(),
            },
            Out::New => 1,
            Out::Adv => adv_len,
        })
        .collect();
    let strides = NdArray::strides(&a.shape);
    let total: usize = shape.iter().product();
    let mut positions = Vec::with_capacity(total);
    let mut counter = vec![0usize; shape.len()];
    for _ in 0..total {
        let mut pick = vec![0usize; sels.len()];
        let mut adv_at = 0;
        for (o, &c) in outs.iter().zip(&counter) {
            match o {
                Out::Range(i) => pick[*i] = c,
                Out::Adv => adv_at = c,
                Out::New => {}
            }
        }
        let mut pos = 0;
        let mut d = 0;
        for (i, s) in sels.iter().enumerate() {
            let at = match s {
                Sel::New => continue,
                Sel::Int(x) => *x,
                Sel::Range(v) => v[pick[i]],
                Sel::Adv(v) => v[if v.len() == 1 { 0 } else { adv_at }],
            };
            pos += at * strides[d];
            d += 1;
        }
        positions.push(pos);
        for k in (0..shape.len()).rev() {
            counter[k] += 1;
            if counter[k] < shape[k] {
                break;
            }
            counter[k] = 0;
        }
    }
    Ok((shape, positions))
}

fn getitem(a: &NdArray, key: &MontyObject) -> Result<NdArray, HostError> {
    let (shape, positions) = resolve(a, key)?;
    Ok(NdArray { shape, data: positions.into_iter().map(|p| a.data[p]).collect(), kind: a.kind })
}

fn setitem(mut a: NdArray, key: &MontyObject, value: &NdArray) -> Result<NdArray, HostError> {
    let (shape, positions) = resolve(&a, key)?;
    if value.kind == Kind::Float && a.kind != Kind::Float && value.data.iter().any(|x| x.is_nan()) {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    let value = broadcast_to(value, &shape).map_err(|_| {
        value_error(format!(
            "could not broadcast input array from shape {} into shape {}",
            shape_text(&value.shape),
            shape_text(&shape)
        ))
    })?;
    let kind = a.kind;
    for (p, x) in positions.into_iter().zip(value.data) {
        a.data[p] = kind.cast(x);
    }
    Ok(a)
}

// --- joining, sorting ---------------------------------------------------------------------

fn arrays(value: &MontyObject, name: &str) -> Result<Vec<NdArray>, HostError> {
    let (MontyObject::List(items) | MontyObject::Tuple(items)) = value else {
        return Err(HostError::type_error(format!("{name}: expected a list or tuple of arrays")));
    };
    if items.is_empty() {
        return Err(value_error("need at least one array to concatenate"));
    }
    items.iter().map(NdArray::from_value).collect()
}

fn concatenate(parts: Vec<NdArray>, axis: i64) -> Result<NdArray, HostError> {
    let first = &parts[0];
    if first.shape.is_empty() {
        return Err(value_error("zero-dimensional arrays cannot be concatenated"));
    }
    let ax = first.axis(axis)?;
    for (i, p) in parts.iter().enumerate() {
        let same = p.shape.len() == first.shape.len()
            && p.shape.iter().zip(&first.shape).enumerate().all(|(d, (x, y))| d == ax || x == y);
        if !same {
            return Err(value_error(format!(
                "all the input array dimensions except for the concatenation axis must match exactly, but along dimension {}, the array at index 0 has size {} and the array at index {i} has size {}",
                if p.shape.len() == first.shape.len() { (0..p.shape.len()).find(|&d| d != ax && p.shape[d] != first.shape[d]).unwrap_or(0) } else { 0 },
                first.shape.get(if ax == 0 { 1 } else { 0 }).copied().unwrap_or(0),
                p.shape.get(if ax == 0 { 1 } else { 0 }).copied().unwrap_or(0),
            )));
        }
    }
    let kind = parts.iter().map(|p| p.kind).max().unwrap_or(Kind::Float);
    let outer: usize = first.shape[..ax].iter().product();
    let inner: usize = first.shape[ax + 1..].iter().product();
    let mut data = Vec::new();
    for o in 0..outer {
        for p in &parts {
            let chunk = p.shape[ax] * inner;
            data.extend(p.data[o * chunk..(o + 1) * chunk].iter().map(|&x| kind.cast(x)));
        }
    }
    let mut shape = first.shape.clone();
    shape[ax] = parts.iter().map(|p| p.shape[ax]).sum();
    Ok(NdArray { shape, data, kind })
}

fn stack(parts: Vec<NdArray>, axis: i64) -> Result<NdArray, HostError> {
    let first_shape = parts[0].shape.clone();
    if parts.iter().any(|p| p.shape != first_shape) {
        return Err(value_error("all input arrays must have the same shape"));
    }
    let ax = normalize_axis(axis, first_shape.len() + 1)?;
    let expanded = parts
        .into_iter()
        .map(|p| {
            let mut shape = p.shape.clone();
            shape.insert(ax, 1);
            NdArray { shape, ..p }
        })
        .collect();
    concatenate(expanded, ax as i64)
}

/// The indices that sort `a` along `axis` (`values`: the sorted values themselves).
fn argsort(a: &NdArray, axis: Option<i64>, values: bool) -> Result<NdArray, HostError> {
    let (a, axis) = match axis {
        None => (NdArray { shape: vec![a.size()], ..a.clone() }, 0),
        Some(x) => {
            if a.shape.is_empty() {
                return Ok(NdArray::scalar(0.0, Kind::Int));
            }
            (a.clone(), a.axis(x)?)
        }
    };
    let last = a.shape.len() - 1;
    let perm: Vec<usize> = (0..a.shape.len()).filter(|&d| d != axis).chain([axis]).collect();
    let moved = transpose(&a, &perm);
    let n = a.shape[axis];
    let mut data = Vec::with_capacity(a.size());
    for lane in moved.data.chunks(n.max(1)) {
        let mut idx: Vec<usize> = (0..lane.len()).collect();
        // Stable, NaN last, as numpy's sort orders them.
        idx.sort_by(|&i, &j| lane[i].partial_cmp(&lane[j]).unwrap_or_else(|| lane[i].is_nan().cmp(&lane[j].is_nan())));
        if values {
            data.extend(idx.into_iter().map(|i| lane[i]));
        } else {
            data.extend(idx.into_iter().map(|i| i as f64));
        }
    }
    let sorted = NdArray { shape: moved.shape.clone(), data, kind: if values { a.kind } else { Kind::Int } };
    // Move the sorted axis back where it was.
    let mut back = vec![0; perm.len()];
    for (i, &p) in perm.iter().enumerate() {
        back[p] = i;
    }
    let _ = last;
    Ok(transpose(&sorted, &back))
}

fn unique(a: &NdArray, counts: bool) -> MontyObject {
    let mut values = a.data.clone();
    values.sort_by(|x, y| x.partial_cmp(y).unwrap_or_else(|| x.is_nan().cmp(&y.is_nan())));
    let mut out: Vec<f64> = Vec::new();
    let mut count: Vec<f64> = Vec::new();
    for x in values {
        if out.last() == Some(&x) {
            *count.last_mut().expect("a count per value") += 1.0;
        } else {
            out.push(x);
            count.push(1.0);
        }
    }
    let n = out.len();
    let values = NdArray { shape: vec![n], data: out, kind: a.kind }.into_value();
    if counts {
        MontyObject::Tuple(vec![values, NdArray { shape: vec![n], data: count, kind: Kind::Int }.into_value()])
    } else {
        values
    }
}

// --- creation -----------------------------------------------------------------------------

fn arange(start: f64, stop: f64, step: f64, kind: Kind) -> Result<NdArray, HostError> {
    if step == 0.0 {
        return Err(HostError { exc_type: ExcType::ZeroDivisionError, message: "division by zero".into() });
    }
    let n = ((stop - start) / step).ceil().max(0.0) as usize;
    if n > 50_000_000 {
        return Err(value_error(format!("arange: {n} elements are more than this course's numpy holds")));
    }
    let data = (0..n).map(|i| kind.cast(start + i as f64 * step)).collect();
    Ok(NdArray { shape: vec![n], data, kind })
}

fn linspace(start: f64, stop: f64, num: i64, endpoint: bool) -> Result<NdArray, HostError> {
    if num < 0 {
        return Err(value_error(format!("Number of samples, {num}, must be non-negative.")));
    }
    let num = num as usize;
    let div = if endpoint { num.saturating_sub(1) } else { num };
    let delta = stop - start;
    let mut data: Vec<f64> = if div > 0 {
        let step = delta / div as f64;
        if step == 0.0 {
            (0..num).map(|i| (i as f64 / div as f64) * delta + start).collect()
        } else {
            (0..num).map(|i| i as f64 * step + start).collect()
        }
    } else {
        (0..num).map(|i| i as f64 * delta + start).collect()
    };
    if endpoint && num > 1 {
        data[num - 1] = stop;
    }
    Ok(NdArray { shape: vec![num], data, kind: Kind::Float })
}

fn full(shape: &MontyObject, value: f64, kind: Kind) -> Result<NdArray, HostError> {
    let dims = shape_arg(shape)?;
    let shape = dims
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| value_error("negative dimensions are not allowed")))
        .collect::<Result<Vec<_>, _>>()?;
    let n: usize = shape.iter().product();
    if n > 50_000_000 {
        return Err(value_error(format!("{n} elements are more than this course's numpy holds")));
    }
    Ok(NdArray { shape, data: vec![kind.cast(value); n], kind })
}

// --- the entry point ----------------------------------------------------------------------

/// The array side of a run: the random generators `default_rng` made.
pub struct Numpy {
    generators: Vec<Rng>,
    seed: u64,
}

impl Numpy {
    /// `seed` is the request's: `default_rng()` without a seed draws from it.
    pub fn new(seed: u64) -> Numpy {
        Numpy { generators: Vec::new(), seed }
    }

    /// Runs one operation of the Python side; see `numpy.py` for the argument lists.
    pub fn call(&mut self, args: &[MontyObject]) -> Result<MontyObject, HostError> {
        let op = text(arg(args, 0, "call")?)?;
        let args = &args[1..];
        let array = |i: usize| -> Result<NdArray, HostError> { NdArray::from_value(arg(args, i, op)?) };
        let int = |i: usize| -> Result<i64, HostError> { int_of(arg(args, i, op)?, op) };
        let float = |i: usize| -> Result<f64, HostError> { number(arg(args, i, op)?) };
        let flag = |i: usize| -> Result<bool, HostError> {
            match arg(args, i, op)? {
                MontyObject::Bool(b) => Ok(*b),
                other => Ok(number(other)? != 0.0),
            }
        };
        Ok(match op {
            "array" => {
                let a = array(0)?;
                match optional_kind(optional(args, 1))? {
                    Some(kind) => a.with_kind(kind),
                    None => a,
                }
                .into_array_value()
            }
            "full" => {
                let kind = optional_kind(optional(args, 2))?.unwrap_or(Kind::Float);
                full(arg(args, 0, op)?, float(1)?, kind)?.into_array_value()
            }
            "arange" => {
                let all_int = args[..3]
                    .iter()
                    .all(|v| matches!(v, MontyObject::Int(_) | MontyObject::Bool(_) | MontyObject::None));
                let kind = optional_kind(optional(args, 3))?.unwrap_or(if all_int { Kind::Int } else { Kind::Float });
                let (start, stop) = match optional(args, 1) {
                    None => (0.0, float(0)?),
                    Some(stop) => (float(0)?, number(stop)?),
                };
                let step = optional(args, 2).map(number).transpose()?.unwrap_or(1.0);
                arange(start, stop, step, kind)?.into_array_value()
            }
            "linspace" => linspace(float(0)?, float(1)?, int(2)?, flag(3)?)?.into_array_value(),
            "binop" => binop(text(arg(args, 0, op)?)?, &array(1)?, &array(2)?)?.into_value(),
            "unary" => unary(text(arg(args, 0, op)?)?, array(1)?)?.into_value(),
            "round" => round(array(0)?, int(1)?).into_value(),
            "clip" => {
                let a = array(0)?;
                let lo = optional(args, 1).map(NdArray::from_value).transpose()?;
                let hi = optional(args, 2).map(NdArray::from_value).transpose()?;
                if lo.is_none() && hi.is_none() {
                    return Err(value_error("One of max or min must be given"));
                }
                let mut out = a;
                if let Some(lo) = lo {
                    out = zip(&out, &lo, out.kind.max(lo.kind), |x, y| if x.is_nan() { x } else { x.max(y) })?;
                }
                if let Some(hi) = hi {
                    out = zip(&out, &hi, out.kind.max(hi.kind), |x, y| if x.is_nan() { x } else { x.min(y) })?;
                }
                out.into_value()
            }
            "where" => {
                let (c, x, y) = (array(0)?, array(1)?, array(2)?);
                let shape = broadcast_shape(&broadcast_shape(&c.shape, &x.shape)?, &y.shape)?;
                let (c, x, y) = (broadcast_to(&c, &shape)?, broadcast_to(&x, &shape)?, broadcast_to(&y, &shape)?);
                let kind = x.kind.max(y.kind);
                let data = (0..c.size()).map(|i| if c.data[i] != 0.0 { x.data[i] } else { y.data[i] }).collect();
                NdArray { shape, data, kind }.into_value()
            }
            "nonzero" => {
                let a = array(0)?;
                if a.shape.is_empty() {
                    return Err(value_error("Calling nonzero on 0d arrays is not allowed."));
                }
                let strides = NdArray::strides(&a.shape);
                let hits: Vec<usize> = (0..a.size()).filter(|&p| a.data[p] != 0.0).collect();
                MontyObject::Tuple(
                    (0..a.shape.len())
                        .map(|d| {
                            let data = hits.iter().map(|&p| (p / strides[d] % a.shape[d]) as f64).collect();
                            NdArray { shape: vec![hits.len()], data, kind: Kind::Int }.into_array_value()
                        })
                        .collect(),
                )
            }
            "reduce" => {
                let ddof = optional(args, 4).map(number).transpose()?.unwrap_or(0.0);
                reduce(text(arg(args, 0, op)?)?, array(1)?, optional(args, 2), flag(3)?, ddof)?.into_value()
            }
            "dot" | "matmul" => {
                let (a, b) = (array(0)?, array(1)?);
                if op == "dot" && (a.shape.is_empty() || b.shape.is_empty()) {
                    binop("mul", &a, &b)?.into_value()
                } else {
                    matmul(&a, &b, op)?.into_value()
                }
            }
            "reshape" => reshape(array(0)?, &shape_arg(arg(args, 1, op)?)?)?.into_array_value(),
            "transpose" => transpose_axes(&array(0)?, optional(args, 1))?.into_array_value(),
            "getitem" => getitem(&array(0)?, arg(args, 1, op)?)?.into_value(),
            "setitem" => setitem(array(0)?, arg(args, 1, op)?, &array(2)?)?.into_array_value(),
            "concatenate" => {
                let parts = arrays(arg(args, 0, op)?, op)?;
                match optional(args, 1) {
                    None => {
                        let flat = parts.into_iter().map(|p| NdArray { shape: vec![p.size()], ..p }).collect();
                        concatenate(flat, 0)?
                    }
                    Some(axis) => concatenate(parts, int_of(axis, "axis")?)?,
                }
                .into_array_value()
            }
            "stack" => stack(arrays(arg(args, 0, op)?, op)?, int(1)?)?.into_array_value(),
            "argsort" | "sort" => {
                argsort(&array(0)?, optional(args, 1).map(|v| int_of(v, "axis")).transpose()?, op == "sort")?
                    .into_value()
            }
            "unique" => unique(&array(0)?, flag(1)?),
            "allclose" => {
                let (a, b) = (array(0)?, array(1)?);
                let (rtol, atol) = (float(2)?, float(3)?);
                let close = zip(&a, &b, Kind::Bool, |x, y| {
                    f64::from(u8::from(x == y || (x - y).abs() <= atol + rtol * y.abs()))
                })?;
                MontyObject::Bool(close.data.iter().all(|&c| c != 0.0))
            }
            "astype" => array(0)?.with_kind(Kind::from_name(text(arg(args, 1, op)?)?)?).into_array_value(),
            "rng_new" => {
                let seed = match optional(args, 0) {
                    Some(s) => {
                        let s = int_of(s, "seed")?;
                        if s < 0 {
                            return Err(value_error("expected non-negative integer"));
                        }
                        s as u64
                    }
                    None => self.seed.wrapping_add(0x9E37_79B9 * (self.generators.len() as u64 + 1)),
                };
                self.generators.push(Rng::new(seed ^ 0x6e75_6d70_795f_726e));
                MontyObject::Int(self.generators.len() as i64 - 1)
            }
            "rng" => self.draw(text(arg(args, 1, op)?)?, int(0)? as usize, &args[2..])?,
            other => return Err(HostError::runtime(format!("numpy core: no operation {other}"))),
        })
    }

    /// A method of a `Generator`: `normal`, `uniform`, `integers`, `random`, `permutation`.
    fn draw(&mut self, method: &str, id: usize, args: &[MontyObject]) -> Result<MontyObject, HostError> {
        let rng = self.generators.get_mut(id).ok_or_else(|| HostError::runtime("numpy core: no such generator"))?;
        let size: Option<Vec<usize>> = match method {
            "permutation" => None,
            _ => optional(args, 2)
                .map(|s| {
                    shape_arg(s)?
                        .into_iter()
                        .map(|d| usize::try_from(d).map_err(|_| value_error("negative dimensions are not allowed")))
                        .collect()
                })
                .transpose()?,
        };
        let count = size.as_ref().map_or(1, |s| s.iter().product());
        let finish = |data: Vec<f64>, kind: Kind| match &size {
            None => element(data[0], kind),
            Some(shape) => NdArray { shape: shape.clone(), data, kind }.into_array_value(),
        };
        Ok(match method {
            "normal" | "uniform" => {
                let a = NdArray::from_value(arg(args, 0, method)?)?;
                let b = NdArray::from_value(arg(args, 1, method)?)?;
                if !a.shape.is_empty() || !b.shape.is_empty() {
                    return Err(not_in_course(
                        &format!("Generator.{method} with array parameters"),
                        "pass numbers and a size",
                    ));
                }
                let (a, b) = (a.data[0], b.data[0]);
                if method == "normal" && b < 0.0 {
                    return Err(value_error("scale < 0"));
                }
                let data = (0..count)
                    .map(
                        |_| if method == "normal" { a + b * rng.standard_normal() } else { a + (b - a) * rng.random() },
                    )
                    .collect();
                finish(data, Kind::Float)
            }
            "random" => finish((0..count).map(|_| rng.random()).collect(), Kind::Float),
            "integers" => {
                let (low, high) = match optional(args, 1) {
                    None => (0, int_of(arg(args, 0, method)?, "low")?),
                    Some(h) => (int_of(arg(args, 0, method)?, "low")?, int_of(h, "high")?),
                };
                if high <= low {
                    return Err(value_error("high <= low"));
                }
                let span = (high - low) as u64;
                finish((0..count).map(|_| (low + rng.below(span) as i64) as f64).collect(), Kind::Int)
            }
            "permutation" => {
                let x = NdArray::from_value(arg(args, 0, method)?)?;
                let x = if x.shape.is_empty() {
                    let n = x.data[0];
                    if x.kind == Kind::Float {
                        return Err(HostError::type_error("'float' object cannot be interpreted as an integer"));
                    }
                    arange(0.0, n, 1.0, Kind::Int)?
                } else {
                    x
                };
                let n = x.shape[0];
                let mut order: Vec<usize> = (0..n).collect();
                for i in (1..n).rev() {
                    let j = rng.below(i as u64 + 1) as usize;
                    order.swap(i, j);
                }
                let row: usize = x.shape[1..].iter().product();
                let data = order.iter().flat_map(|&i| x.data[i * row..(i + 1) * row].iter().copied()).collect();
                NdArray { data, ..x }.into_array_value()
            }
            other => {
                return Err(not_in_course(
                    &format!("Generator.{other}"),
                    "it has normal, uniform, integers, random and permutation",
                ))
            }
        })
    }
}

impl NdArray {
    /// The array dict even for a 0-d array (for functions that return arrays in numpy).
    fn into_array_value(self) -> MontyObject {
        if self.shape.is_empty() {
            let kind = self.kind;
            return MontyObject::Dict(
                vec![
                    (MontyObject::String("d".into()), MontyObject::List(vec![element(self.data[0], kind)])),
                    (MontyObject::String("s".into()), MontyObject::Tuple(Vec::new())),
                    (MontyObject::String("k".into()), MontyObject::String(kind.code().into())),
                ]
                .into(),
            );
        }
        self.into_value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arr(shape: &[usize], data: &[f64]) -> NdArray {
        NdArray { shape: shape.to_vec(), data: data.to_vec(), kind: Kind::Float }
    }

    #[test]
    fn broadcasting_follows_numpy() {
        let a = arr(&[2, 1], &[1.0, 2.0]);
        let b = arr(&[3], &[10.0, 20.0, 30.0]);
        let c = binop("add", &a, &b).unwrap();
        assert_eq!(c.shape, vec![2, 3]);
        assert_eq!(c.data, vec![11.0, 21.0, 31.0, 12.0, 22.0, 32.0]);
        let err = binop("add", &arr(&[2], &[1.0, 2.0]), &b).unwrap_err();
        assert_eq!(err.message, "operands could not be broadcast together with shapes (2,) (3,) ");
    }

    #[test]
    fn pairwise_sum_matches_numpys_order() {
        // numpy: np.full(10, 0.1).sum() == 1.0 (pairwise), sequential gives 0.9999999999999999.
        assert_eq!(pairwise_sum(&[0.1; 10]), 1.0);
        let v: Vec<f64> = (0..1000).map(|i| 0.1 * i as f64).collect();
        assert!((pairwise_sum(&v) - 49950.0).abs() < 1e-9);
    }
}
