//! Where each line of each cell's `source` stands in the notebook's JSON file, so that a
//! problem in a markdown cell is reported at its line of the `.ipynb` file. serde reads the
//! notebook without positions; this is a second, minimal pass over the same text that only
//! follows `cells[i].source`.

/// For each cell, in order, the file line (1-based) of each line of its source: a list
/// source has one string per line, each on its own file line; a single-string source is on
/// one file line. `None` when the text is not the JSON it should be (serde has said so).
pub fn source_lines(text: &str) -> Option<Vec<Vec<usize>>> {
    let mut scan = Scan { b: text.as_bytes(), i: 0, line: 1 };
    let mut cells = Vec::new();
    scan.ws();
    scan.eat(b'{')?;
    loop {
        scan.ws();
        if scan.peek()? == b'}' {
            return Some(cells);
        }
        let key = scan.string()?.0;
        scan.ws();
        scan.eat(b':')?;
        scan.ws();
        if key == "cells" && scan.peek()? == b'[' {
            scan.eat(b'[')?;
            loop {
                scan.ws();
                if scan.peek()? == b']' {
                    scan.i += 1;
                    break;
                }
                cells.push(scan.cell()?);
                scan.ws();
                if scan.peek()? == b',' {
                    scan.i += 1;
                }
            }
        } else {
            scan.skip()?;
        }
        scan.ws();
        if scan.peek()? == b',' {
            scan.i += 1;
        }
    }
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.i += 1;
        }
    }

    /// A string: its raw text (escapes kept) and its line.
    fn string(&mut self) -> Option<(String, usize)> {
        let line = self.line;
        self.eat(b'"')?;
        let start = self.i;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => break,
                _ => self.i += 1,
            }
        }
        let raw = String::from_utf8_lossy(&self.b[start..self.i]).into_owned();
        self.i += 1;
        Some((raw, line))
    }

    /// Skips any value.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == close {
                        self.i += 1;
                        return Some(());
                    }
                    if open == b'{' {
                        self.string()?;
                        self.ws();
                        self.eat(b':')?;
                        self.ws();
                    }
                    self.skip()?;
                    self.ws();
                    if self.peek()? == b',' {
                        self.i += 1;
                    }
                }
            }
            _ => {
                while !matches!(self.peek()?, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    /// One cell object: the file lines of its source's lines.
    fn cell(&mut self) -> Option<Vec<usize>> {
        let mut lines = Vec::new();
        if self.peek()? != b'{' {
            self.skip()?;
            return Some(lines);
        }
        self.i += 1;
        loop {
            self.ws();
            if self.peek()? == b'}' {
                self.i += 1;
                return Some(lines);
            }
            let key = self.string()?.0;
            self.ws();
            self.eat(b':')?;
            self.ws();
            if key == "source" {
                lines = self.source()?;
            } else {
                self.skip()?;
            }
            self.ws();
            if self.peek()? == b',' {
                self.i += 1;
            }
        }
    }

    /// A cell's source: one line number per line of the joined text.
    fn source(&mut self) -> Option<Vec<usize>> {
        let mut lines = Vec::new();
        let mut pending = true; // a new line starts at the next character
        let mut add = |raw: &str, line: usize, lines: &mut Vec<usize>| {
            let pieces: Vec<&str> = raw.split("\\n").collect();
            for (k, piece) in pieces.iter().enumerate() {
                let last = k + 1 == pieces.len();
                if last && piece.is_empty() {
                    break;
                }
                if pending {
                    lines.push(line);
                }
                pending = !last;
            }
        };
        if self.peek()? == b'[' {
            self.i += 1;
            loop {
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(lines);
                }
                let (raw, line) = self.string()?;
                add(&raw, line, &mut lines);
                self.ws();
                if self.peek()? == b',' {
                    self.i += 1;
                }
            }
        }
        let (raw, line) = self.string()?;
        add(&raw, line, &mut lines);
        Some(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_line_has_its_file_line() {
        let text = "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"metadata\": {\"a\": [1, {\"b\": \"]\"}]},\n   \"source\": [\n    \"# T\\n\",\n    \"\\n\",\n    \"x \\\"q\\\"\"\n   ]\n  },\n  {\"cell_type\": \"code\", \"source\": \"a\\nb\", \"outputs\": []}\n ],\n \"nbformat\": 4\n}";
        assert_eq!(source_lines(text), Some(vec![vec![7, 8, 9], vec![12, 12]]));
    }

    #[test]
    fn a_line_may_span_list_items() {
        let text = r#"{"cells": [{"source": ["a", "b\n", "c"]}]}"#;
        assert_eq!(source_lines(text), Some(vec![vec![1, 1]]));
    }
}
