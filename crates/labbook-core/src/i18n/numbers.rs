//! Numbers in the reader's language: thousands separators, the decimal mark, the minus sign,
//! digits and percent signs as CLDR gives them, so that a number labbook writes in Rust reads
//! as the browser's `Intl.NumberFormat` writes it in scripts (`1 234,5` in French, `1.234,5`
//! in German, `12,34,567` in Hindi, `۱٬۲۳۴` in Persian).
//!
//! The table holds the languages labbook ships words for and some others; a tag is looked up
//! whole (`pt-PT`), then by its primary language (`pt`), then English's rules apply. Each
//! entry is checked against Node's `Intl.NumberFormat` (ICU's CLDR data) by
//! `tests/numbers.rs`, which is the one table both sides follow.
//!
//! Rounding follows `Intl.NumberFormat`: a number is taken as its shortest decimal
//! representation (`0.1 + 0.2` is `0.30000000000000004`) and rounded half away from zero.

/// How one language writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// The decimal mark (`,` in French).
    pub decimal: &'static str,
    /// The group separator (U+202F NARROW NO-BREAK SPACE in French).
    pub group: &'static str,
    /// Indian grouping: the first group of three, then groups of two (`12,34,567`).
    pub indian: bool,
    /// Integer digits below which no separator is written: 2 in Spanish (`1234`, `12.345`).
    pub min_grouping: usize,
    /// The minus sign, with any direction mark before it.
    pub minus: &'static str,
    /// The percent pattern, `{}` standing for the number (`{}\u{a0}%` in French).
    pub percent: &'static str,
    /// The language's zero digit (`0`, or `۰` in Persian): digits are written from it.
    pub zero: char,
}

const LATIN: NumberFormat =
    NumberFormat { decimal: ".", group: ",", indian: false, min_grouping: 1, minus: "-", percent: "{}%", zero: '0' };
const COMMA_DOT: NumberFormat = NumberFormat { decimal: ",", group: ".", ..LATIN };
const COMMA_NBSP: NumberFormat = NumberFormat { decimal: ",", group: "\u{a0}", ..LATIN };

/// The table: a language tag (lower case) and its format.
const TABLE: &[(&str, NumberFormat)] = &[
    ("en", LATIN),
    ("en-in", NumberFormat { indian: true, ..LATIN }),
    ("fr", NumberFormat { group: "\u{202f}", percent: "{}\u{a0}%", ..COMMA_NBSP }),
    ("fr-ch", NumberFormat { group: "\u{202f}", ..COMMA_NBSP }),
    ("es", NumberFormat { min_grouping: 2, percent: "{}\u{a0}%", ..COMMA_DOT }),
    ("es-mx", LATIN),
    ("de", NumberFormat { percent: "{}\u{a0}%", ..COMMA_DOT }),
    ("de-at", NumberFormat { percent: "{}\u{a0}%", ..COMMA_NBSP }),
    ("de-ch", NumberFormat { group: "'", ..LATIN }),
    ("pt", COMMA_DOT),
    ("pt-pt", NumberFormat { min_grouping: 2, ..COMMA_NBSP }),
    ("zh", LATIN),
    ("ja", LATIN),
    ("ko", LATIN),
    ("ar", NumberFormat { minus: "\u{200e}-", percent: "{}\u{200e}%\u{200e}", ..LATIN }),
    ("ar-eg", NumberFormat { decimal: "٫", group: "٬", minus: "\u{61c}-", percent: "{}٪\u{61c}", zero: '٠', ..LATIN }),
    ("ar-sa", NumberFormat { decimal: "٫", group: "٬", minus: "\u{61c}-", percent: "{}٪\u{61c}", zero: '٠', ..LATIN }),
    ("hi", NumberFormat { indian: true, ..LATIN }),
    ("he", NumberFormat { minus: "\u{200e}-", ..LATIN }),
    ("fa", NumberFormat { decimal: "٫", group: "٬", minus: "\u{200e}−", percent: "{}٪", zero: '۰', ..LATIN }),
    ("it", NumberFormat { min_grouping: 2, ..COMMA_DOT }),
    ("nl", COMMA_DOT),
    ("ru", NumberFormat { percent: "{}\u{a0}%", ..COMMA_NBSP }),
    ("uk", COMMA_NBSP),
    ("pl", NumberFormat { min_grouping: 2, ..COMMA_NBSP }),
    ("sv", NumberFormat { minus: "−", percent: "{}\u{a0}%", ..COMMA_NBSP }),
    ("tr", NumberFormat { percent: "%{}", ..COMMA_DOT }),
    ("id", COMMA_DOT),
    ("vi", COMMA_DOT),
];

/// The tags of the table, for the test that checks it against `Intl.NumberFormat`.
pub fn known_languages() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(tag, _)| *tag)
}

impl NumberFormat {
    /// How `language` (a BCP-47 tag) writes numbers: the tag's entry, else its primary
    /// language's, else English's.
    pub fn of(language: &str) -> NumberFormat {
        let tag = language.replace('_', "-").to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or_default();
        let find = |t: &str| TABLE.iter().find(|(k, _)| *k == t).map(|(_, f)| *f);
        find(&tag).or_else(|| find(primary)).unwrap_or(LATIN)
    }

    /// An integer: `1234567` -> `1 234 567` in French.
    pub fn integer(&self, n: i128) -> String {
        let digits = n.unsigned_abs().to_string();
        self.finish(n < 0, &digits, "")
    }

    /// A number with at most `max_fraction` fraction digits, trailing zeros dropped, as
    /// `Intl.NumberFormat(language, {maximumFractionDigits})` writes it (3 is its default).
    pub fn decimal(&self, v: f64, max_fraction: usize) -> String {
        self.rounded(v, 0, max_fraction, 0)
    }

    /// A number with exactly `fraction` fraction digits (`9,75` for a size in French).
    pub fn fixed(&self, v: f64, fraction: usize) -> String {
        self.rounded(v, 0, fraction, fraction)
    }

    /// A share (`0.125`) as a percentage with at most `max_fraction` fraction digits
    /// (`12,5 %` in French).
    pub fn percent(&self, share: f64, max_fraction: usize) -> String {
        // The share's decimal digits moved two places, as `Intl` does (not `share * 100.0`,
        // whose binary rounding can tip a half the other way).
        let number = self.rounded(share, 2, max_fraction, 0);
        self.percent.replacen("{}", &number, 1)
    }

    /// A number written the plain way (`-1234.5`, as Rust's `Display` or a data file has it)
    /// in this language; text that is not such a number is returned as it is.
    pub fn plain(&self, text: &str) -> String {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !is_digits(int) || !is_digits(frac) || (body.contains('.') && frac.is_empty()) {
            return text.to_string();
        }
        self.finish(negative, int, frac)
    }

    /// `v` times 10^`shift` rounded half away from zero at `max` fraction digits, from its
    /// shortest decimal representation, with at least `min` fraction digits.
    fn rounded(&self, v: f64, shift: usize, max: usize, min: usize) -> String {
        if !v.is_finite() {
            return if v.is_nan() {
                "NaN".to_string()
            } else if v > 0.0 {
                "∞".into()
            } else {
                format!("{}∞", self.minus)
            };
        }
        // Rust's `Display` for f64 is the shortest representation that reads back, never
        // in exponent form.
        let shortest = format!("{}", v.abs());
        let (int, frac) = shortest.split_once('.').unwrap_or((&shortest, ""));
        let mut frac = frac.to_string();
        while frac.len() < shift {
            frac.push('0');
        }
        let int = format!("{int}{}", &frac[..shift]);
        let frac = &frac[shift..];
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let int_len = int.len();
        let keep = int_len + max.min(frac.len());
        let round_up = frac.len() > max && digits[keep] >= 5;
        digits.truncate(keep);
        let mut int_len = int_len;
        if round_up {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    int_len += 1;
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        let (int, frac) = text.split_at(int_len);
        let mut frac = frac.trim_end_matches('0').to_string();
        while frac.len() < min {
            frac.push('0');
        }
        // As in `Intl`, a negative number that rounds to zero keeps its sign (`-0`).
        self.finish(v.is_sign_negative(), int, &frac)
    }

    /// Writes a sign, ASCII integer and fraction digits with this language's separators and
    /// digits.
    fn finish(&self, negative: bool, int: &str, frac: &str) -> String {
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let mut groups: Vec<&str> = Vec::new();
        if int.len() >= 4 + self.min_grouping - 1 {
            let mut end = int.len();
            let mut size = 3;
            while end > size {
                groups.push(&int[end - size..end]);
                end -= size;
                if self.indian {
                    size = 2;
                }
            }
            groups.push(&int[..end]);
            groups.reverse();
        } else {
            groups.push(int);
        }
        let mut out = String::new();
        if negative {
            out.push_str(self.minus);
        }
        out.push_str(&self.digits(&groups.join(self.group)));
        if !frac.is_empty() {
            out.push_str(self.decimal);
            out.push_str(&self.digits(frac));
        }
        out
    }

    /// ASCII digits in this language's digits.
    fn digits(&self, text: &str) -> String {
        if self.zero == '0' {
            return text.to_string();
        }
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(self.zero as u32 + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_german_spanish_and_hindi_write_numbers_their_way() {
        let fr = NumberFormat::of("fr");
        assert_eq!(fr.integer(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(fr.decimal(1234.5, 3), "1\u{202f}234,5");
        assert_eq!(fr.percent(0.125, 1), "12,5\u{a0}%");
        let de = NumberFormat::of("de");
        assert_eq!(de.integer(1234), "1.234");
        assert_eq!(de.fixed(9.75, 2), "9,75");
        assert_eq!(de.decimal(-0.5, 3), "-0,5");
        assert_eq!(NumberFormat::of("es").integer(1234), "1234");
        assert_eq!(NumberFormat::of("es").integer(12345), "12.345");
        assert_eq!(NumberFormat::of("hi").integer(1_234_567), "12,34,567");
        assert_eq!(NumberFormat::of("fa").integer(-1234), "\u{200e}−۱٬۲۳۴");
        assert_eq!(NumberFormat::of("zh-CN").integer(1234), "1,234");
        assert_eq!(NumberFormat::of("xx").integer(1234), "1,234");
    }

    #[test]
    fn rounding_is_intl_s() {
        let en = NumberFormat::of("en");
        assert_eq!(en.decimal(1.0005, 3), "1.001", "from the shortest representation, half away from zero");
        assert_eq!(en.decimal(0.1 + 0.2, 3), "0.3");
        assert_eq!(en.decimal(999.9996, 3), "1,000");
        assert_eq!(en.decimal(-0.0001, 3), "-0", "Intl keeps the sign of a negative that rounds to zero");
        assert_eq!(en.fixed(2.0, 2), "2.00");
        assert_eq!(en.decimal(1e21, 0), "1,000,000,000,000,000,000,000");
    }

    #[test]
    fn plain_numbers_are_rewritten_and_other_text_kept() {
        let fr = NumberFormat::of("fr");
        assert_eq!(fr.plain("-1234.50"), "-1\u{202f}234,50");
        assert_eq!(fr.plain("n/a"), "n/a");
        assert_eq!(fr.plain("1.2e5"), "1.2e5");
    }
}
