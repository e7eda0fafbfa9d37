//! A reader for the JavaScript literals doc-builder's components take as attributes
//! (`choices={[{ text: "…", correct: true }, …]}`), which are not JSON: unquoted keys, `"`,
//! `'` and backtick strings with escapes, trailing commas, comments, `undefined`. The value
//! comes back as JSON; an error carries the byte offset where reading stopped.

use serde_json::{Map, Number, Value};

/// Why a literal did not read, and where (a byte offset into the text given to [`parse`]).
#[derive(Debug, Clone, PartialEq)]
pub struct JsError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What was expected.
    pub message: String,
}

/// Reads one literal starting at `start` (spaces first allowed); returns it and the offset
/// just after it.
pub fn parse(text: &str, start: usize) -> Result<(Value, usize), JsError> {
    let mut r = Reader { s: text.as_bytes(), text, at: start };
    let v = r.value()?;
    Ok((v, r.at))
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn error<T>(&self, message: impl Into<String>) -> Result<T, JsError> {
        Err(JsError { offset: self.at, message: message.into() })
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    /// Skips whitespace (tabs and newlines included) and `//` and `/* */` comments.
    fn space(&mut self) -> Result<(), JsError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.at += 1,
                Some(b'/') if self.s.get(self.at + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.at += 1;
                    }
                }
                Some(b'/') if self.s.get(self.at + 1) == Some(&b'*') => match self.text[self.at + 2..].find("*/") {
                    Some(end) => self.at += end + 4,
                    None => return self.error("a `/*` comment is not closed"),
                },
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self) -> Result<Value, JsError> {
        self.space()?;
        match self.peek() {
            None => self.error("the text ends where a value was expected"),
            Some(b'[') => self.array(),
            Some(b'{') => self.object(),
            Some(q @ (b'"' | b'\'' | b'`')) => self.string(q).map(Value::String),
            Some(b'-' | b'0'..=b'9' | b'.') => self.number(),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 => {
                let word = self.word().to_string();
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "null" | "undefined" => Ok(Value::Null),
                    _ => {
                        self.at -= word.len();
                        self.error(format!("`{word}` is a name, not a literal; only strings, numbers, true/false, arrays and objects can be read"))
                    }
                }
            }
            Some(_) => {
                let c = self.text[self.at..].chars().next().unwrap_or('?');
                self.error(format!("unexpected `{c}` where a value was expected"))
            }
        }
    }

    /// A name: ASCII letters, digits, `_`, `$`, and any other letter (translations write
    /// `erklärung:`, as JavaScript allows).
    fn word(&mut self) -> &str {
        let start = self.at;
        while let Some(c) = self.text[self.at..].chars().next() {
            if !(c.is_alphanumeric() || c == '_' || c == '$') {
                break;
            }
            self.at += c.len_utf8();
        }
        &self.text[start..self.at]
    }

    fn array(&mut self) -> Result<Value, JsError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.space()?;
            match self.peek() {
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return self.error("the array is not closed with `]`"),
                _ => {}
            }
            items.push(self.value()?);
            self.space()?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {}
                _ => return self.error("expected `,` or `]` after an array item"),
            }
        }
    }

    fn object(&mut self) -> Result<Value, JsError> {
        self.at += 1;
        let mut map = Map::new();
        loop {
            self.space()?;
            let key = match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(map));
                }
                None => return self.error("the object is not closed with `}`"),
                Some(q @ (b'"' | b'\'')) => self.string(q)?,
                Some(c) if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 => self.word().to_string(),
                Some(_) => return self.error("expected a key (a name or a quoted string) or `}`"),
            };
            self.space()?;
            if self.peek() != Some(b':') {
                return self.error(format!("expected `:` after the key `{key}`"));
            }
            self.at += 1;
            let value = self.value()?;
            map.insert(key, value);
            self.space()?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {}
                _ => return self.error("expected `,` or `}` after an object value"),
            }
        }
    }

    fn string(&mut self, quote: u8) -> Result<String, JsError> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.at..].chars().next() else {
                self.at = open;
                return self.error(format!("the string opened here is not closed with {}", quote as char));
            };
            self.at += c.len_utf8();
            match c {
                c if c as u32 == quote as u32 => return Ok(out),
                '\n' if quote != b'`' => {
                    self.at = open;
                    return self.error("the string opened here ends at the end of its line without its closing quote");
                }
                '$' if quote == b'`' && self.peek() == Some(b'{') => {
                    self.at -= 1;
                    return self.error("a `${…}` expression in a template string cannot be read without running it");
                }
                '\\' => {
                    let Some(e) = self.text[self.at..].chars().next() else {
                        return self.error("a `\\` ends the text");
                    };
                    self.at += e.len_utf8();
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'v' => out.push('\u{b}'),
                        '0' => out.push('\0'),
                        '\n' => {}
                        'u' => {
                            let hex = self.text.get(self.at..self.at + 4).unwrap_or("");
                            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                                Some(ch) if hex.len() == 4 => {
                                    out.push(ch);
                                    self.at += 4;
                                }
                                _ => return self.error("expected four hex digits after `\\u`"),
                            }
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.at += 1;
        }
        let text = &self.text[start..self.at];
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => {
                self.at = start;
                self.error(format!("`{text}` is not a number"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_course_writes() {
        let text = "[\n\t{\n\t\ttext: \"a \\\"b\\\" <code>c</code>\",\n\t\texplain: 'it\\'s',\n            correct : true,\n\t},\n\t{ text: `x`, correct: false }, // note\n]";
        let (v, end) = parse(text, 0).unwrap();
        assert_eq!(end, text.len());
        assert_eq!(v[0]["text"], "a \"b\" <code>c</code>");
        assert_eq!(v[0]["explain"], "it's");
        assert_eq!(v[0]["correct"], true);
        assert_eq!(v[1]["text"], "x");
    }

    #[test]
    fn errors_say_where() {
        let e = parse("[{ text: \"a\" correct: true }]", 0).unwrap_err();
        assert_eq!(e.offset, 13);
        assert!(e.message.contains("`,` or `}`"), "{e:?}");
        let e = parse("[{ text: \"open }]", 0).unwrap_err();
        assert_eq!(e.offset, 9);
        let (v, _) = parse("{ erklärung: 'ja', text: \"a\" }", 0).unwrap();
        assert_eq!(v["erklärung"], "ja", "a key with a non-ASCII letter");
        let e = parse("[answer]", 0).unwrap_err();
        assert!(e.message.contains("name"), "{e:?}");
    }
}
