//! Terminal text (a stream, a traceback) to HTML: ANSI SGR colours and weights become
//! `ansi-*` classes on spans (styled by `notebook.css`), other escapes are dropped, and the
//! text is escaped with the core's one escaper.

use anstyle_parse::{Params, Parser, Perform};
use labbook_core::escape::push_escaped;

const COLOURS: [&str; 8] = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

/// The style in force: SGR attributes as the classes they map to.
#[derive(Default, Clone, PartialEq)]
struct Style {
    bold: bool,
    italic: bool,
    underline: bool,
    fg: Option<String>,
    bg: Option<&'static str>,
}

impl Style {
    fn classes(&self) -> Vec<String> {
        let mut classes = Vec::new();
        if self.bold {
            classes.push("ansi-bold".to_string());
        }
        if self.italic {
            classes.push("ansi-italic".to_string());
        }
        if self.underline {
            classes.push("ansi-underline".to_string());
        }
        if let Some(fg) = &self.fg {
            classes.push(format!("ansi-fg-{fg}"));
        }
        if let Some(bg) = self.bg {
            classes.push(format!("ansi-bg-{bg}"));
        }
        classes
    }

    /// Applies one SGR sequence (`ESC [ 1 ; 31 m`).
    fn apply(&mut self, params: &Params) {
        let mut codes = params.iter().map(|p| p.first().copied().unwrap_or(0));
        if params.is_empty() {
            *self = Style::default();
        }
        while let Some(code) = codes.next() {
            match code {
                0 => *self = Style::default(),
                1 => self.bold = true,
                3 => self.italic = true,
                4 => self.underline = true,
                22 => self.bold = false,
                23 => self.italic = false,
                24 => self.underline = false,
                30..=37 => self.fg = Some(COLOURS[(code - 30) as usize].to_string()),
                90..=97 => self.fg = Some(format!("bright-{}", COLOURS[(code - 90) as usize])),
                39 => self.fg = None,
                40..=47 => self.bg = Some(COLOURS[(code - 40) as usize]),
                100..=107 => self.bg = Some(COLOURS[(code - 100) as usize]),
                49 => self.bg = None,
                // 256-colour and true-colour forms: their arguments are skipped, the colour
                // has no class (the text keeps the default colour, which always contrasts).
                38 | 48 => match codes.next() {
                    Some(5) => {
                        codes.next();
                    }
                    Some(2) => {
                        codes.next();
                        codes.next();
                        codes.next();
                    }
                    _ => {}
                },
                _ => {}
            }
        }
    }
}

struct HtmlWriter {
    html: String,
    style: Style,
    open: bool,
}

impl HtmlWriter {
    fn set_style(&mut self, style: Style) {
        if style == self.style {
            return;
        }
        if self.open {
            self.html.push_str("</span>");
            self.open = false;
        }
        let classes = style.classes();
        if !classes.is_empty() {
            self.html.push_str(&format!("<span class=\"{}\">", classes.join(" ")));
            self.open = true;
        }
        self.style = style;
    }
}

impl Perform for HtmlWriter {
    fn print(&mut self, c: char) {
        let mut buf = [0u8; 4];
        push_escaped(&mut self.html, c.encode_utf8(&mut buf));
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\n' => self.html.push('\n'),
            b'\t' => self.html.push('\t'),
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &Params, _intermediates: &[u8], _ignore: bool, action: u8) {
        if action == b'm' {
            let mut style = self.style.clone();
            style.apply(params);
            self.set_style(style);
        }
    }
}

/// `text` with its ANSI colours as `<span class="ansi-…">`, escaped for HTML. A carriage
/// return overwrites its line, as in a terminal, so a progress bar shows its last state.
pub fn to_html(text: &str) -> String {
    let mut writer = HtmlWriter { html: String::with_capacity(text.len()), style: Style::default(), open: false };
    let mut parser = Parser::<anstyle_parse::DefaultCharAccumulator>::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            parser.advance(&mut writer, b'\n');
        }
        let shown = line.rsplit('\r').find(|part| !part.is_empty()).unwrap_or("");
        for byte in shown.bytes() {
            parser.advance(&mut writer, byte);
        }
    }
    if writer.open {
        writer.html.push_str("</span>");
    }
    writer.html
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn colours_become_classes_and_text_is_escaped() {
        assert_eq!(
            to_html("\x1b[0;31mValueError\x1b[0m: a < b\n"),
            "<span class=\"ansi-fg-red\">ValueError</span>: a &lt; b\n"
        );
        assert_eq!(
            to_html("\x1b[1;32mok\x1b[22m still green\x1b[39m plain"),
            "<span class=\"ansi-bold ansi-fg-green\">ok</span><span class=\"ansi-fg-green\"> still green</span> plain"
        );
    }

    #[test]
    fn bright_background_and_extended_colours() {
        assert_eq!(to_html("\x1b[92;44mx\x1b[m"), "<span class=\"ansi-fg-bright-green ansi-bg-blue\">x</span>");
        // 38;5;n has no class; its argument is not read as another code (5 is blink).
        assert_eq!(to_html("\x1b[38;5;208mx"), "x");
        assert_eq!(to_html("\x1b[38;2;1;2;3;1mx"), "<span class=\"ansi-bold\">x</span>");
    }

    #[test]
    fn other_escapes_are_dropped_and_carriage_returns_overwrite() {
        assert_eq!(to_html("a\x1b[2Kb"), "ab");
        assert_eq!(to_html("10%\r50%\r100%\r\ndone\r\n"), "100%\ndone\n");
        assert_eq!(to_html("é ✓"), "é ✓");
    }
}
