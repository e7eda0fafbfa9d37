//! Sphinx inventories (`objects.inv`, format version 2): the names another project's
//! documentation defines (`str`, `numpy.ndarray`) and their URLs, read from a file saved in
//! the book, so cross-links to them resolve offline.
//!
//! The format: four header lines (`# Sphinx inventory version 2`, project, version, a note
//! that the rest is zlib-compressed), then zlib-compressed lines
//! `name domain:role priority uri display-name`, where `name` may hold spaces, a `uri`
//! ending in `$` stands for the name, and a display name `-` for the name itself.

use std::io::Read;

/// One Python object of an inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The dotted name (`numpy.ndarray`).
    pub name: String,
    /// The role (`py:class`).
    pub role: String,
    /// The URL relative to the documentation's root, `$` expanded.
    pub uri: String,
}

/// Reads an inventory; keeps the `py` domain's objects. The error says what is wrong.
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut rest = bytes;
    let mut header = Vec::new();
    for _ in 0..4 {
        let end = rest.iter().position(|&b| b == b'\n').ok_or("the header is cut short")?;
        header.push(String::from_utf8_lossy(&rest[..end]).trim().to_string());
        rest = &rest[end + 1..];
    }
    if header[0] != "# Sphinx inventory version 2" {
        return Err(format!("not a Sphinx inventory of version 2 (it starts `{}`)", header[0]));
    }
    if !header[3].contains("zlib") {
        return Err("the header does not announce zlib compression".into());
    }
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(rest)
        .read_to_string(&mut text)
        .map_err(|e| format!("the compressed part does not decompress: {e}"))?;
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry =
            parse_line(line).ok_or_else(|| format!("line {} of the compressed part is malformed: `{line}`", n + 1))?;
        if entry.role.starts_with("py:") {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// `name domain:role priority uri dispname`; the name may hold spaces, so the role is the
/// first `x:y` token followed by an integer priority.
fn parse_line(line: &str) -> Option<Entry> {
    let tokens: Vec<&str> = line.split(' ').collect();
    let k = (1..tokens.len().saturating_sub(2))
        .find(|&k| tokens[k].contains(':') && tokens[k + 1].parse::<i64>().is_ok())?;
    let name = tokens[..k].join(" ");
    let uri = tokens[k + 2];
    let uri = match uri.strip_suffix('$') {
        Some(base) => format!("{base}{name}"),
        None => uri.to_string(),
    };
    Some(Entry { name, role: tokens[k].to_string(), uri })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// attrs 25.4's real inventory (tests/fixtures/inventories, see its NOTICE).
    #[test]
    fn reads_a_real_inventory() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/inventories/attrs.inv");
        let entries = parse(&std::fs::read(path).unwrap()).unwrap();
        let find = |n: &str| entries.iter().find(|e| e.name == n).cloned();
        assert_eq!(
            find("attr.Attribute"),
            Some(Entry {
                name: "attr.Attribute".into(),
                role: "py:class".into(),
                uri: "api-attr.html#attr.Attribute".into()
            })
        );
        assert_eq!(find("attr._make.Attribute").map(|e| e.uri), Some("api.html#attrs.Attribute".into()));
        assert!(entries.iter().all(|e| e.role.starts_with("py:")));
        assert!(entries.len() > 100, "{}", entries.len());
    }

    #[test]
    fn names_with_spaces_and_bad_files() {
        let e = parse_line("a b std:label -1 page.html#x A B").unwrap();
        assert_eq!((e.name.as_str(), e.role.as_str()), ("a b", "std:label"));
        assert!(parse(b"# Sphinx inventory version 1\n# P\n# V\n# x\n").unwrap_err().contains("version 2"));
        assert!(parse(b"# Sphinx inventory version 2\n# P\n# V\n# zlib\nnot zlib").unwrap_err().contains("decompress"));
    }
}
