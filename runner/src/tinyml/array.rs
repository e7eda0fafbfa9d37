//! Numbers, vectors and matrices as tinyml sees them, converted from and to Python lists.
//!
//! Python code hands tinyml plain (nested) lists; this module turns them into `f64` data once
//! per call, so the arithmetic itself never touches interpreter objects.

use monty_types::MontyObject;

use super::HostError;

/// A number, a vector or a matrix: the argument of the element-wise functions.
#[derive(Debug, Clone, PartialEq)]
pub enum Array {
    Num(f64),
    Vector(Vec<f64>),
    Matrix(Vec<Vec<f64>>),
}

/// Reads a Python number (int, float or bool) as `f64`.
pub fn number(value: &MontyObject, what: &str) -> Result<f64, HostError> {
    match value {
        MontyObject::Float(x) => Ok(*x),
        MontyObject::Int(i) => Ok(*i as f64),
        MontyObject::Bool(b) => Ok(f64::from(u8::from(*b))),
        MontyObject::BigInt(_) => Err(HostError::value(format!("{what} is an integer too large for a float"))),
        other => Err(HostError::type_error(format!("{what} must be a number, not {}", type_name(other)))),
    }
}

/// Reads a Python int (or a float with no fractional part) as `i64`.
pub fn integer(value: &MontyObject, what: &str) -> Result<i64, HostError> {
    match value {
        MontyObject::Int(i) => Ok(*i),
        MontyObject::Bool(b) => Ok(i64::from(*b)),
        other => Err(HostError::type_error(format!("{what} must be an int, not {}", type_name(other)))),
    }
}

/// The elements of a list or tuple.
pub fn items<'a>(value: &'a MontyObject, what: &str) -> Result<&'a [MontyObject], HostError> {
    match value {
        MontyObject::List(items) | MontyObject::Tuple(items) => Ok(items),
        other => Err(HostError::type_error(format!("{what} must be a list, not {}", type_name(other)))),
    }
}

/// Reads a list of numbers.
pub fn vector(value: &MontyObject, what: &str) -> Result<Vec<f64>, HostError> {
    items(value, what)?.iter().enumerate().map(|(i, item)| number(item, &format!("{what}[{i}]"))).collect()
}

/// Reads a list of equally long lists of numbers.
pub fn matrix(value: &MontyObject, what: &str) -> Result<Vec<Vec<f64>>, HostError> {
    let rows = items(value, what)?
        .iter()
        .enumerate()
        .map(|(i, row)| vector(row, &format!("{what}[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(first) = rows.first() {
        if let Some((i, row)) = rows.iter().enumerate().find(|(_, row)| row.len() != first.len()) {
            return Err(HostError::value(format!(
                "{what} is not a matrix: row 0 has {} elements but row {i} has {}",
                first.len(),
                row.len()
            )));
        }
    }
    Ok(rows)
}

/// Reads a number, a vector or a matrix, deciding by the first element.
pub fn array(value: &MontyObject, what: &str) -> Result<Array, HostError> {
    match value {
        MontyObject::List(items) | MontyObject::Tuple(items) => match items.first() {
            Some(MontyObject::List(_) | MontyObject::Tuple(_)) => Ok(Array::Matrix(matrix(value, what)?)),
            _ => Ok(Array::Vector(vector(value, what)?)),
        },
        other => Ok(Array::Num(number(other, what)?)),
    }
}

/// A Python-style type name for error messages.
pub fn type_name(value: &MontyObject) -> &'static str {
    match value {
        MontyObject::None => "None",
        MontyObject::Bool(_) => "bool",
        MontyObject::Int(_) | MontyObject::BigInt(_) => "int",
        MontyObject::Float(_) => "float",
        MontyObject::String(_) => "str",
        MontyObject::Bytes(_) => "bytes",
        MontyObject::List(_) => "list",
        MontyObject::Tuple(_) | MontyObject::NamedTuple { .. } => "tuple",
        MontyObject::Dict(_) => "dict",
        MontyObject::Set(_) => "set",
        MontyObject::FrozenSet(_) => "frozenset",
        MontyObject::Function { .. } | MontyObject::BuiltinFunction(_) => "function",
        _ => "object",
    }
}

/// A Python float list.
pub fn from_vector(v: Vec<f64>) -> MontyObject {
    MontyObject::List(v.into_iter().map(MontyObject::Float).collect())
}

/// A Python list of float lists.
pub fn from_matrix(m: Vec<Vec<f64>>) -> MontyObject {
    MontyObject::List(m.into_iter().map(from_vector).collect())
}

/// The Python value of an array.
pub fn from_array(a: Array) -> MontyObject {
    match a {
        Array::Num(x) => MontyObject::Float(x),
        Array::Vector(v) => from_vector(v),
        Array::Matrix(m) => from_matrix(m),
    }
}

impl Array {
    /// Applies `f` to every element.
    pub fn map(self, f: impl Fn(f64) -> f64) -> Array {
        match self {
            Array::Num(x) => Array::Num(f(x)),
            Array::Vector(v) => Array::Vector(v.into_iter().map(&f).collect()),
            Array::Matrix(m) => Array::Matrix(m.into_iter().map(|row| row.into_iter().map(&f).collect()).collect()),
        }
    }

    /// Every element, row by row.
    pub fn elements(&self) -> Vec<f64> {
        match self {
            Array::Num(x) => vec![*x],
            Array::Vector(v) => v.clone(),
            Array::Matrix(m) => m.iter().flatten().copied().collect(),
        }
    }

    fn shape_text(&self) -> String {
        match self {
            Array::Num(_) => "a number".to_owned(),
            Array::Vector(v) => format!("a vector of length {}", v.len()),
            Array::Matrix(m) => format!("a {}x{} matrix", m.len(), m.first().map_or(0, Vec::len)),
        }
    }
}

/// Combines two arrays element by element; a number on either side is broadcast.
pub fn zip_with(op: &str, a: Array, b: Array, f: impl Fn(f64, f64) -> f64) -> Result<Array, HostError> {
    let mismatch = |a: &Array, b: &Array| {
        HostError::value(format!("{op}: shapes differ, {} and {}", a.shape_text(), b.shape_text()))
    };
    Ok(match (a, b) {
        (Array::Num(x), Array::Num(y)) => Array::Num(f(x, y)),
        (Array::Num(x), other) => other.map(|y| f(x, y)),
        (other, Array::Num(y)) => other.map(|x| f(x, y)),
        (Array::Vector(x), Array::Vector(y)) => {
            if x.len() != y.len() {
                return Err(mismatch(&Array::Vector(x), &Array::Vector(y)));
            }
            Array::Vector(x.iter().zip(&y).map(|(p, q)| f(*p, *q)).collect())
        }
        (Array::Matrix(x), Array::Matrix(y)) => {
            let same = x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| p.len() == q.len());
            if !same {
                return Err(mismatch(&Array::Matrix(x), &Array::Matrix(y)));
            }
            Array::Matrix(x.iter().zip(&y).map(|(p, q)| p.iter().zip(q).map(|(s, t)| f(*s, *t)).collect()).collect())
        }
        (x, y) => return Err(mismatch(&x, &y)),
    })
}

/// The dot product of two vectors of equal length.
pub fn dot(a: &[f64], b: &[f64]) -> Result<f64, HostError> {
    if a.len() != b.len() {
        return Err(HostError::value(format!("dot: vectors of different lengths, {} and {}", a.len(), b.len())));
    }
    Ok(a.iter().zip(b).map(|(x, y)| x * y).sum())
}

/// Turns scores into probabilities, subtracting the maximum first so `exp` cannot overflow.
pub fn softmax(v: &[f64]) -> Result<Vec<f64>, HostError> {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if v.is_empty() {
        return Err(HostError::value("softmax: empty vector"));
    }
    let exps: Vec<f64> = v.iter().map(|x| (x - max).exp()).collect();
    let total: f64 = exps.iter().sum();
    Ok(exps.into_iter().map(|e| e / total).collect())
}

/// The index of the first element preferred by `better` (the largest for `>`).
pub fn arg_best(v: &[f64], name: &str, better: impl Fn(f64, f64) -> bool) -> Result<usize, HostError> {
    if v.is_empty() {
        return Err(HostError::value(format!("{name}: empty vector")));
    }
    let mut best = 0;
    for (i, x) in v.iter().enumerate().skip(1) {
        if better(*x, v[best]) {
            best = i;
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_is_stable_and_sums_to_one() {
        let p = softmax(&[1000.0, 1001.0, 1002.0]).unwrap();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((p[0] - 0.09003057317038046).abs() < 1e-12);
    }

    #[test]
    fn zip_with_broadcasts_numbers_and_rejects_mismatched_shapes() {
        let sum = zip_with("add", Array::Vector(vec![1.0, 2.0]), Array::Num(1.0), |a, b| a + b).unwrap();
        assert_eq!(sum, Array::Vector(vec![2.0, 3.0]));
        let err = zip_with("add", Array::Vector(vec![1.0]), Array::Vector(vec![1.0, 2.0]), |a, b| a + b).unwrap_err();
        assert!(err.message.contains("vector of length 1 and a vector of length 2"), "{}", err.message);
    }
}
