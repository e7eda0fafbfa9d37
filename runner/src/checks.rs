//! The output checks (`stdout`, `stdout_regex`, `stdout_numbers`), evaluated inside the runner so
//! the browser and `labbook test` grade identically. `code` checks run in the interpreter
//! (`crate::session`).

use regex::Regex;

/// Compares the whole output with the expected text.
pub fn exact(stdout: &str, expected: &str, hidden: bool) -> Result<(), String> {
    if stdout == expected {
        return Ok(());
    }
    if hidden {
        return Err("the output is not the expected one".to_owned());
    }
    // Point at the first differing line: more useful than two long blobs.
    let (got, want): (Vec<&str>, Vec<&str>) = (stdout.lines().collect(), expected.lines().collect());
    let line = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
    match (got.get(line), want.get(line)) {
        (Some(g), Some(w)) => Err(format!("line {} of the output is {g:?}, expected {w:?}", line + 1)),
        (None, Some(w)) => Err(format!("the output stops after {line} line(s); expected next: {w:?}")),
        (Some(g), None) => Err(format!("the output has extra line {}: {g:?}", line + 1)),
        // Same lines, different line endings or trailing newline.
        (None, None) => Err(format!("the output differs in its line endings: got {stdout:?}, expected {expected:?}")),
    }
}

/// Searches the output for the pattern (anywhere, like `re.search`).
pub fn regex(stdout: &str, pattern: &str, hidden: bool) -> Result<(), String> {
    let re = Regex::new(pattern).map_err(|e| format!("the check's regular expression is invalid: {e}"))?;
    if re.is_match(stdout) {
        Ok(())
    } else if hidden {
        Err("the output does not have the expected form".to_owned())
    } else {
        Err(format!("the output does not match /{pattern}/"))
    }
}

/// Every number in the output, in order: integers, decimals, exponents, `nan` and `inf`.
/// Digits inside a word (`x1`, `3rd`, `float64`) are not numbers.
pub fn numbers_in(text: &str) -> Vec<f64> {
    let re =
        Regex::new(r"[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|(?i:nan|inf(?:inity)?))").expect("valid regex");
    let word = |c: char| c.is_alphanumeric() || c == '_';
    re.find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            !before.is_some_and(|c| word(c) || c == '.') && !after.is_some_and(word)
        })
        .filter_map(|m| m.as_str().parse::<f64>().ok())
        .collect()
}

/// Compares the output's numbers with the expected ones, each within `tolerance` (relative or absolute).
pub fn numbers(stdout: &str, expected: &[f64], tolerance: f64, hidden: bool) -> Result<(), String> {
    let got = numbers_in(stdout);
    if got.len() != expected.len() {
        return Err(format!("expected {} number(s) in the output, found {}", expected.len(), got.len()));
    }
    for (i, (g, w)) in got.iter().zip(expected).enumerate() {
        let diff = (g - w).abs();
        let close = diff <= tolerance || diff <= tolerance * w.abs() || (g.is_nan() && w.is_nan()) || g == w;
        if !close {
            return Err(if hidden {
                format!("number {} of the output is not the expected value", i + 1)
            } else {
                format!("number {} of the output is {g}, expected {w} (tolerance {tolerance})", i + 1)
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_in_order() {
        assert_eq!(numbers_in("p = [0.09, 0.24, 6.7e-1] after 3 steps, -2"), vec![0.09, 0.24, 0.67, 3.0, -2.0]);
        assert_eq!(numbers_in("loss 1. x1 3rd float64"), vec![1.0]);
        assert!(numbers_in("nan, -inf")[0].is_nan());
        assert_eq!(numbers_in("nan, -inf")[1], f64::NEG_INFINITY);
    }

    #[test]
    fn numbers_check_uses_tolerance_and_count() {
        assert!(numbers("0.0900 0.2447", &[0.09, 0.2447], 1e-3, false).is_ok());
        let err = numbers("0.5", &[0.09], 1e-3, false).unwrap_err();
        assert!(err.contains("is 0.5, expected 0.09"), "{err}");
        assert!(numbers("1 2", &[1.0], 1e-3, false).unwrap_err().contains("expected 1 number(s)"));
    }

    #[test]
    fn exact_check_names_the_first_differing_line() {
        assert!(exact("a\nb\n", "a\nb\n", false).is_ok());
        assert_eq!(exact("a\nc\n", "a\nb\n", false).unwrap_err(), "line 2 of the output is \"c\", expected \"b\"");
        assert_eq!(exact("a\nc\n", "a\nb\n", true).unwrap_err(), "the output is not the expected one");
        assert!(exact("a", "a\n", false).unwrap_err().contains("line endings"));
    }

    #[test]
    fn regex_check_searches_anywhere() {
        assert!(regex("loss: 0.25\n", r"loss: 0\.2\d", false).is_ok());
        assert!(regex("x", "(", false).unwrap_err().contains("invalid"));
    }
}
