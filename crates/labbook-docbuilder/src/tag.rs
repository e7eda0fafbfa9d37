//! Reading one MDX/JSX tag (`<Question choices={[…]} />`, `<Tip warning={true}>`,
//! `<FrameworkSwitchCourse {fw} />`), which may span lines: its name, its attributes
//! (strings, `{…}` expressions kept as text, bare flags) and where it ends.

/// One attribute of a tag.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// `name="text"` or `name='text'`.
    Str(String),
    /// `name={…}`, or a bare `{…}`: the text between the braces, and its byte offset.
    Expr(String, usize),
    /// `name` alone.
    Flag,
}

/// A tag as written.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Attributes in order; a bare `{fw}` has an empty name.
    pub attrs: Vec<(String, AttrValue)>,
    /// `/>`.
    pub self_closing: bool,
    /// Byte offset just after the tag.
    pub end: usize,
}

impl Tag {
    /// The attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&AttrValue> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The attribute `name` as text (a string, or an expression's text).
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.attr(name)? {
            AttrValue::Str(s) => Some(s),
            AttrValue::Expr(e, _) => Some(e.trim().trim_matches(['"', '\'', '`'])),
            AttrValue::Flag => None,
        }
    }

    /// Whether the attribute `name` is set true (`warning`, `warning={true}`).
    pub fn flag(&self, name: &str) -> bool {
        match self.attr(name) {
            Some(AttrValue::Flag) => true,
            Some(AttrValue::Expr(e, _)) => e.trim() == "true",
            Some(AttrValue::Str(s)) => s == "true",
            None => false,
        }
    }
}

/// Reads the tag whose `<` is at `start`; an error gives the byte offset and what was wrong.
pub fn read(text: &str, start: usize) -> Result<Tag, (usize, String)> {
    let s = text.as_bytes();
    let mut at = start + 1;
    let name_start = at;
    while at < s.len() && (s[at].is_ascii_alphanumeric() || matches!(s[at], b'_' | b'.' | b'-')) {
        at += 1;
    }
    let name = &text[name_start..at];
    if name.is_empty() {
        return Err((start, "expected a tag name after `<`".into()));
    }
    let mut attrs = Vec::new();
    loop {
        while at < s.len() && s[at].is_ascii_whitespace() {
            at += 1;
        }
        match s.get(at) {
            None => return Err((start, format!("the tag `<{name}` is not closed with `>` or `/>`"))),
            Some(b'/') if s.get(at + 1) == Some(&b'>') => {
                return Ok(Tag { attrs, self_closing: true, end: at + 2 });
            }
            Some(b'>') => return Ok(Tag { attrs, self_closing: false, end: at + 1 }),
            Some(b'{') => {
                let end = braces(text, at)?;
                attrs.push((String::new(), AttrValue::Expr(text[at + 1..end - 1].to_string(), at + 1)));
                at = end;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' || *c == b':' || *c == b'@' => {
                let a = at;
                while at < s.len()
                    && (s[at].is_ascii_alphanumeric() || matches!(s[at], b'_' | b'-' | b':' | b'.' | b'@'))
                {
                    at += 1;
                }
                let attr = text[a..at].to_string();
                let mut look = at;
                while look < s.len() && s[look].is_ascii_whitespace() {
                    look += 1;
                }
                if s.get(look) != Some(&b'=') {
                    attrs.push((attr, AttrValue::Flag));
                    continue;
                }
                at = look + 1;
                while at < s.len() && s[at].is_ascii_whitespace() {
                    at += 1;
                }
                match s.get(at) {
                    Some(&q @ (b'"' | b'\'')) => match text[at + 1..].find(q as char) {
                        Some(len) => {
                            attrs.push((attr, AttrValue::Str(text[at + 1..at + 1 + len].to_string())));
                            at += len + 2;
                        }
                        None => return Err((at, format!("the value of `{attr}` is not closed with {}", q as char))),
                    },
                    Some(b'{') => {
                        let end = braces(text, at)?;
                        attrs.push((attr, AttrValue::Expr(text[at + 1..end - 1].to_string(), at + 1)));
                        at = end;
                    }
                    _ => return Err((at, format!("expected a quoted value or `{{…}}` after `{attr}=`"))),
                }
            }
            Some(_) => {
                let c = text[at..].chars().next().unwrap_or('?');
                return Err((at, format!("unexpected `{c}` in the tag `<{name}`")));
            }
        }
    }
}

/// The offset just after the `}` matching the `{` at `open`, skipping strings and comments.
fn braces(text: &str, open: usize) -> Result<usize, (usize, String)> {
    let s = text.as_bytes();
    let mut depth = 0usize;
    let mut at = open;
    while at < s.len() {
        match s[at] {
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return if s[at] == b'}' {
                        Ok(at + 1)
                    } else {
                        Err((at, format!("`{}` does not match the `{{` opened before it", s[at] as char)))
                    };
                }
            }
            q @ (b'"' | b'\'' | b'`') => {
                at += 1;
                while at < s.len() && s[at] != q {
                    if s[at] == b'\\' {
                        at += 1;
                    } else if s[at] == b'\n' && q != b'`' {
                        break;
                    }
                    at += 1;
                }
            }
            b'/' if s.get(at + 1) == Some(&b'/') => {
                while at < s.len() && s[at] != b'\n' {
                    at += 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    Err((open, "this `{` is never closed".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_multi_line_tags() {
        let text = "<Question\n\tchoices={[\n\t\t{ text: \"a }\", correct: true },\n\t]}\n/>\nafter";
        let tag = read(text, 0).unwrap();
        assert!(tag.self_closing);
        assert_eq!(&text[tag.end..], "\nafter");
        assert!(matches!(tag.attr("choices"), Some(AttrValue::Expr(e, _)) if e.starts_with('[')));
        let tag = read("<Tip warning={true} title=\"Hi\">x", 0).unwrap();
        assert!(tag.flag("warning") && !tag.self_closing);
        assert_eq!(tag.text("title"), Some("Hi"));
        let tag = read("<FrameworkSwitchCourse {fw} />", 0).unwrap();
        assert_eq!(tag.attrs[0].0, "");
        assert!(read("<Tip title=\"x>", 0).is_err());
    }
}
