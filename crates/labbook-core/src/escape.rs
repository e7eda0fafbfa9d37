//! HTML escaping, once for the whole site (ARCHITECTURE.md, "one implementation of each rule").
//!
//! Both functions come from the `html-escape` crate; they differ only in the quotes they
//! cover. Markup built in Rust puts values in double-quoted attributes or in text, so
//! [`escape_html`] escapes `&`, `<`, `>` and `"`. Theme templates are written by book authors,
//! who may quote attributes with `'`, so Tera's autoescape ([`escape_template_value`]) covers
//! both quotes.

/// Escapes `&`, `<`, `>` and `"`: safe in text and in double-quoted attribute values.
pub fn escape_html(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// Appends `text` escaped as by [`escape_html`].
pub fn push_escaped(html: &mut String, text: &str) {
    html_escape::encode_double_quoted_attribute_to_string(text, html);
}

/// Tera's escape function: also escapes `'`, for attributes a theme quotes with it.
pub fn escape_template_value(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape_html(r#"a < b && "c" 'd'"#), "a &lt; b &amp;&amp; &quot;c&quot; 'd'");
        let mut out = String::from("x");
        push_escaped(&mut out, "<&>");
        assert_eq!(out, "x&lt;&amp;&gt;");
        assert_eq!(escape_template_value(r#"it's "q" </a>"#), "it&#x27;s &quot;q&quot; &lt;/a&gt;");
    }
}
