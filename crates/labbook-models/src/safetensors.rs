//! Reading a `.safetensors` file's header, and nothing else: the tensor table of a model
//! page costs 8 bytes plus the JSON header, however large the weights are.
//!
//! Layout: an unsigned 64-bit little-endian length N, N bytes of JSON mapping each tensor
//! name to `{"dtype", "shape", "data_offsets": [begin, end]}` (plus an optional
//! `"__metadata__"` map of strings), then the tensor bytes. Offsets are relative to the end
//! of the header and must tile the data exactly.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

/// Headers larger than this are refused before any allocation (the reference
/// implementation uses the same bound), so a corrupt length cannot exhaust memory.
pub const MAX_HEADER_BYTES: u64 = 100_000_000;

/// Why a header cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    /// The file ends before the 8-byte length or before the header it announces.
    #[error("the file is truncated: {0}")]
    Truncated(String),
    /// The header is there but does not follow the format.
    #[error("the header is corrupt: {0}")]
    Corrupt(String),
    /// Reading failed.
    #[error("cannot read it: {0}")]
    Io(String),
}

/// One tensor of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TensorInfo {
    /// Its name in the file.
    pub name: String,
    /// `F32`, `BF16`, `I64`, ...
    pub dtype: String,
    /// Dimensions; empty for a scalar.
    pub shape: Vec<u64>,
    /// Number of values: the product of the shape.
    pub parameters: u64,
    /// Bytes of data.
    pub bytes: u64,
}

/// A parsed header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Tensors sorted by name, as the Hugging Face file viewer lists them.
    pub tensors: Vec<TensorInfo>,
    /// The free-form `__metadata__` strings.
    pub metadata: BTreeMap<String, String>,
    /// The sum of every tensor's value count.
    pub parameters: u64,
    /// The header's length in bytes (without the 8-byte prefix).
    pub header_bytes: u64,
}

/// Bits per value of a dtype, or None for one this reader does not know.
pub fn dtype_bits(dtype: &str) -> Option<u64> {
    Some(match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" => 8,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" => 32,
        "I64" | "U64" | "F64" | "C64" => 64,
        "F4" => 4,
        "F6_E2M3" | "F6_E3M2" => 6,
        _ => return None,
    })
}

/// Reads the header of the file at `path`, reading only the header's bytes.
pub fn read_file(path: &Path) -> Result<Header, HeaderError> {
    let file = std::fs::File::open(path).map_err(|e| HeaderError::Io(e.to_string()))?;
    let len = file.metadata().map_err(|e| HeaderError::Io(e.to_string()))?.len();
    read_header(file, len)
}

/// Reads a header from `reader`, a file of `file_len` bytes.
pub fn read_header(mut reader: impl Read, file_len: u64) -> Result<Header, HeaderError> {
    let mut prefix = [0u8; 8];
    read_exact(&mut reader, &mut prefix, || {
        format!("{file_len} bytes, less than the 8-byte header length that starts every safetensors file")
    })?;
    let n = u64::from_le_bytes(prefix);
    if n > MAX_HEADER_BYTES {
        return Err(HeaderError::Corrupt(format!(
            "it announces a {n}-byte header, more than the {MAX_HEADER_BYTES} bytes allowed (is this a safetensors file?)"
        )));
    }
    if n > file_len.saturating_sub(8) {
        return Err(HeaderError::Truncated(format!(
            "the header is {n} bytes long but only {} bytes follow the length",
            file_len.saturating_sub(8)
        )));
    }
    let mut json = vec![0u8; n as usize];
    read_exact(&mut reader, &mut json, || format!("the file ends inside the {n}-byte header"))?;
    parse_header(&json, file_len - 8 - n)
}

fn read_exact(reader: &mut impl Read, buf: &mut [u8], truncated: impl Fn() -> String) -> Result<(), HeaderError> {
    reader.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => HeaderError::Truncated(truncated()),
        _ => HeaderError::Io(e.to_string()),
    })
}

/// Parses the JSON header; `data_len` is the number of bytes after it.
pub fn parse_header(json: &[u8], data_len: u64) -> Result<Header, HeaderError> {
    let corrupt = |m: String| HeaderError::Corrupt(m);
    let text = std::str::from_utf8(json).map_err(|e| corrupt(format!("it is not UTF-8 ({e})")))?;
    // The format allows trailing spaces as padding to an 8-byte boundary.
    let value: serde_json::Value =
        serde_json::from_str(text.trim_end_matches(' ')).map_err(|e| corrupt(format!("it is not JSON: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(corrupt("it is not a JSON object".into()));
    };
    let mut tensors = Vec::new();
    let mut metadata = BTreeMap::new();
    let mut spans = Vec::new();
    for (name, entry) in map {
        if name == "__metadata__" {
            let serde_json::Value::Object(m) = entry else {
                return Err(corrupt("`__metadata__` is not an object of strings".into()));
            };
            for (k, v) in m {
                let serde_json::Value::String(v) = v else {
                    return Err(corrupt(format!("`__metadata__.{k}` is not a string")));
                };
                metadata.insert(k, v);
            }
            continue;
        }
        let field = |key: &str| entry.get(key).ok_or_else(|| corrupt(format!("tensor `{name}` has no `{key}`")));
        let dtype = field("dtype")?
            .as_str()
            .ok_or_else(|| corrupt(format!("tensor `{name}`: `dtype` is not a string")))?
            .to_string();
        let bits = dtype_bits(&dtype).ok_or_else(|| corrupt(format!("tensor `{name}`: unknown dtype `{dtype}`")))?;
        let shape = numbers(field("shape")?)
            .ok_or_else(|| corrupt(format!("tensor `{name}`: `shape` is not a list of whole numbers")))?;
        let offsets = numbers(field("data_offsets")?)
            .filter(|o| o.len() == 2)
            .ok_or_else(|| corrupt(format!("tensor `{name}`: `data_offsets` is not a pair of whole numbers")))?;
        let (begin, end) = (offsets[0], offsets[1]);
        if begin > end {
            return Err(corrupt(format!("tensor `{name}`: data_offsets [{begin}, {end}] run backwards")));
        }
        let parameters = shape
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d))
            .ok_or_else(|| corrupt(format!("tensor `{name}`: the shape {shape:?} overflows")))?;
        let bytes = parameters
            .checked_mul(bits)
            .map(|b| b.div_ceil(8))
            .ok_or_else(|| corrupt(format!("tensor `{name}`: the shape {shape:?} overflows")))?;
        if end - begin != bytes {
            return Err(corrupt(format!(
                "tensor `{name}`: {dtype} {shape:?} needs {bytes} bytes but data_offsets [{begin}, {end}] hold {}",
                end - begin
            )));
        }
        spans.push((begin, end, name.clone()));
        tensors.push(TensorInfo { name, dtype, shape, parameters, bytes });
    }
    // The tensors must tile the data: no gap, no overlap, nothing past the end.
    spans.sort();
    let mut at = 0u64;
    for (begin, end, name) in &spans {
        if *begin != at {
            let what = if *begin > at { "a gap before" } else { "an overlap at" };
            return Err(corrupt(format!("{what} tensor `{name}` (its data starts at {begin}, expected {at})")));
        }
        at = *end;
    }
    if at != data_len {
        let how = if at > data_len { "the file is shorter than its tensors" } else { "bytes follow the last tensor" };
        return Err(if at > data_len {
            HeaderError::Truncated(format!("{how}: they need {at} bytes of data, {data_len} are there"))
        } else {
            corrupt(format!("{how}: the tensors cover {at} bytes of data, the file has {data_len}"))
        });
    }
    tensors.sort_by(|a, b| a.name.cmp(&b.name));
    let parameters = tensors.iter().map(|t| t.parameters).sum();
    Ok(Header { tensors, metadata, parameters, header_bytes: json.len() as u64 })
}

fn numbers(v: &serde_json::Value) -> Option<Vec<u64>> {
    v.as_array()?.iter().map(|n| n.as_u64()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with the given JSON header and `data` bytes after it.
    fn file(header: &str, data: usize) -> Vec<u8> {
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend(std::iter::repeat_n(0u8, data));
        bytes
    }

    fn read(bytes: &[u8]) -> Result<Header, HeaderError> {
        read_header(bytes, bytes.len() as u64)
    }

    const GOOD: &str = r#"{"__metadata__":{"producer":"test"},"w":{"dtype":"F32","shape":[3,4],"data_offsets":[8,56]},"b":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}"#;

    #[test]
    fn reads_names_dtypes_shapes_and_counts() {
        let h = read(&file(GOOD, 56)).unwrap();
        let names: Vec<_> = h.tensors.iter().map(|t| (t.name.as_str(), t.dtype.as_str(), t.shape.clone())).collect();
        assert_eq!(names, [("b", "F16", vec![4]), ("w", "F32", vec![3, 4])]);
        assert_eq!(h.parameters, 16);
        assert_eq!(h.metadata["producer"], "test");
    }

    #[test]
    fn truncated_files_say_so() {
        let whole = file(GOOD, 56);
        for cut in [0, 3, 7, 8, 20, 8 + GOOD.len() - 1] {
            let e = read(&whole[..cut]).unwrap_err();
            assert!(matches!(e, HeaderError::Truncated(_)), "cut at {cut}: {e}");
        }
        let e = read(&whole[..whole.len() - 1]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the file is truncated: the file is shorter than its tensors: they need 56 bytes of data, 55 are there"
        );
    }

    #[test]
    fn a_reader_that_lies_about_its_length_is_truncated_not_a_panic() {
        let whole = file(GOOD, 56);
        let e = read_header(&whole[..30], whole.len() as u64).unwrap_err();
        assert!(matches!(e, HeaderError::Truncated(_)), "{e}");
    }

    #[test]
    fn corrupt_headers_are_named() {
        let cases: &[(&[u8], &str)] = &[
            (&u64::MAX.to_le_bytes(), "announces"),
            (&file("{not json", 0), "not JSON"),
            (&file("[1,2]", 0), "not a JSON object"),
            (&file(r#"{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, 4), "unknown dtype `F33`"),
            (&file(r#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, 4), "needs 8 bytes"),
            (&file(r#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4), "`shape` is not"),
            (&file(r#"{"w":{"dtype":"F32","shape":[1]}}"#, 4), "has no `data_offsets`"),
            (&file(r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, 4), "backwards"),
            (&file(r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8), "a gap before"),
            (&file(r#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 12), "bytes follow the last tensor"),
            (&file(r#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, 4), "overflows"),
            (&file(r#"{"__metadata__":{"a":1}}"#, 0), "`__metadata__.a` is not a string"),
            (&[8, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0, 0, 0, 0, 0], "not UTF-8"),
        ];
        for (bytes, needle) in cases {
            let e = read(bytes).unwrap_err();
            assert!(e.to_string().contains(needle), "expected `{needle}` in `{e}`");
        }
    }

    #[test]
    fn padding_spaces_are_allowed() {
        let padded = format!("{GOOD}   ");
        assert_eq!(read(&file(&padded, 56)).unwrap().parameters, 16);
    }
}
