//! A reader for the safetensors format: an 8-byte little-endian header length, a JSON header
//! mapping tensor names to `{dtype, shape, data_offsets}`, then the raw little-endian bytes.
//!
//! Parsed by hand (the format is a page long) so the runner needs no extra crate for it.

use monty_types::{DictPairs, MontyObject};
use serde::Deserialize;
use std::collections::BTreeMap;

use super::HostError;

#[derive(Deserialize)]
struct TensorInfo {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: [usize; 2],
}

/// Decodes every tensor of `bytes` into nested Python lists, in the header's name order.
pub fn load(name: &str, bytes: &[u8]) -> Result<MontyObject, HostError> {
    let invalid = |why: &str| HostError::value(format!("{name} is not a valid safetensors file: {why}"));
    let len_bytes: [u8; 8] = bytes.get(..8).and_then(|b| b.try_into().ok()).ok_or_else(|| invalid("too short"))?;
    let header_len = usize::try_from(u64::from_le_bytes(len_bytes)).map_err(|_| invalid("header too large"))?;
    let header_end = 8usize.checked_add(header_len).filter(|end| *end <= bytes.len());
    let header = header_end.map(|end| &bytes[8..end]).ok_or_else(|| invalid("header runs past the end"))?;
    let header: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(header).map_err(|e| invalid(&format!("header is not JSON ({e})")))?;
    let data = &bytes[8 + header_len..];

    let mut tensors = Vec::new();
    for (tensor_name, value) in header {
        if tensor_name == "__metadata__" {
            continue;
        }
        let info: TensorInfo = serde_json::from_value(value)
            .map_err(|e| invalid(&format!("tensor {tensor_name:?} has a malformed entry ({e})")))?;
        let [start, end] = info.data_offsets;
        let raw = data
            .get(start..end)
            .filter(|_| start <= end)
            .ok_or_else(|| invalid(&format!("tensor {tensor_name:?} lies outside the data")))?;
        let values = decode(&info.dtype, raw).map_err(|why| invalid(&format!("tensor {tensor_name:?}: {why}")))?;
        let count: usize = info.shape.iter().product();
        if values.len() != count {
            return Err(invalid(&format!(
                "tensor {tensor_name:?} has shape {:?} ({count} values) but {} values of data",
                info.shape,
                values.len()
            )));
        }
        tensors.push((MontyObject::String(tensor_name), nest(&info.shape, &mut values.into_iter())));
    }
    Ok(MontyObject::Dict(DictPairs::from(tensors)))
}

/// Decodes little-endian values of one dtype.
fn decode(dtype: &str, raw: &[u8]) -> Result<Vec<MontyObject>, String> {
    fn chunks<const N: usize>(raw: &[u8]) -> Result<impl Iterator<Item = [u8; N]> + '_, String> {
        if raw.len() % N != 0 {
            return Err(format!("data length {} is not a multiple of {N}", raw.len()));
        }
        Ok(raw.chunks_exact(N).map(|c| c.try_into().expect("chunks_exact yields N bytes")))
    }
    let float = |x: f64| MontyObject::Float(x);
    let int = |x: i64| MontyObject::Int(x);
    Ok(match dtype {
        "F64" => chunks::<8>(raw)?.map(|b| float(f64::from_le_bytes(b))).collect(),
        "F32" => chunks::<4>(raw)?.map(|b| float(f64::from(f32::from_le_bytes(b)))).collect(),
        "F16" => chunks::<2>(raw)?.map(|b| float(f16_to_f64(u16::from_le_bytes(b)))).collect(),
        // bfloat16 is the top half of an f32.
        "BF16" => chunks::<2>(raw)?
            .map(|b| float(f64::from(f32::from_bits(u32::from(u16::from_le_bytes(b)) << 16))))
            .collect(),
        "I64" => chunks::<8>(raw)?.map(|b| int(i64::from_le_bytes(b))).collect(),
        "I32" => chunks::<4>(raw)?.map(|b| int(i64::from(i32::from_le_bytes(b)))).collect(),
        "I16" => chunks::<2>(raw)?.map(|b| int(i64::from(i16::from_le_bytes(b)))).collect(),
        "I8" => raw.iter().map(|b| int(i64::from(*b as i8))).collect(),
        "U8" => raw.iter().map(|b| int(i64::from(*b))).collect(),
        "BOOL" => raw.iter().map(|b| MontyObject::Bool(*b != 0)).collect(),
        other => return Err(format!("unsupported dtype {other}")),
    })
}

/// IEEE half precision to f64 (subnormals, infinities and NaN included).
fn f16_to_f64(bits: u16) -> f64 {
    let sign = if bits >> 15 == 1 { -1.0 } else { 1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let fraction = f64::from(bits & 0x3ff);
    sign * match exponent {
        0 => fraction * 2f64.powi(-24),
        31 if fraction == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + fraction / 1024.0) * 2f64.powi(e - 15),
    }
}

/// Builds nested lists of `shape` from a flat row-major sequence; an empty shape is a scalar.
fn nest(shape: &[usize], values: &mut impl Iterator<Item = MontyObject>) -> MontyObject {
    match shape.split_first() {
        None => values.next().unwrap_or(MontyObject::None),
        Some((n, rest)) => MontyObject::List((0..*n).map(|_| nest(rest, values)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(header: &str, data: &[u8]) -> Vec<u8> {
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn reads_f32_matrix_and_i64_vector() {
        let mut data = Vec::new();
        for x in [1.0f32, 2.0, 3.0, 4.0] {
            data.extend_from_slice(&x.to_le_bytes());
        }
        data.extend_from_slice(&7i64.to_le_bytes());
        let header = r#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"n":{"dtype":"I64","shape":[1],"data_offsets":[16,24]},"__metadata__":{"format":"pt"}}"#;
        let MontyObject::Dict(pairs) = load("m.safetensors", &file(header, &data)).unwrap() else { panic!() };
        let pairs: Vec<_> = pairs.into_iter().collect();
        assert_eq!(pairs[0], (MontyObject::String("n".into()), MontyObject::List(vec![MontyObject::Int(7)])));
        let w = MontyObject::List(vec![
            MontyObject::List(vec![MontyObject::Float(1.0), MontyObject::Float(2.0)]),
            MontyObject::List(vec![MontyObject::Float(3.0), MontyObject::Float(4.0)]),
        ]);
        assert_eq!(pairs[1], (MontyObject::String("w".into()), w));
    }

    #[test]
    fn rejects_offsets_outside_the_data() {
        let header = r#"{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}"#;
        let err = load("m.safetensors", &file(header, &[0; 8])).unwrap_err();
        assert!(err.message.contains("outside the data"), "{}", err.message);
    }

    #[test]
    fn half_precision_values() {
        assert_eq!(f16_to_f64(0x3c00), 1.0);
        assert_eq!(f16_to_f64(0xc000), -2.0);
        assert_eq!(f16_to_f64(0x0001), 2f64.powi(-24));
    }
}
