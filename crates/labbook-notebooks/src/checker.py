import contextlib as _contextlib
import io as _io
import json as _json
import math as _math
import random as _random
import re as _re

_NUMBER = _re.compile(r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|(?i:nan|inf(?:inity)?))")


def _numbers_in(text):
    """Every number in text, as labbook's checks find them (not inside a word)."""
    found = []
    for m in _NUMBER.finditer(text):
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if (before and (before.isalnum() or before in "_.")) or (after and (after.isalnum() or after == "_")):
            continue
        try:
            found.append(float(m.group()))
        except ValueError:
            pass
    return found


def _rust_pattern(pattern):
    """A Rust regex for Python's re: without (?m), `$` is the very end of the text (Python's
    also matches before a final newline), so an unescaped `$` outside a class becomes \\Z."""
    if "(?m)" in pattern:
        return pattern
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        out.append("\\Z" if c == "$" and not in_class else c)
        i += 1
    return "".join(out)


def check_output(check, stdout):
    """None when the check passes on this output, else why not."""
    if "stdout" in check:
        if stdout == check["stdout"]:
            return None
        got, want = stdout.splitlines(), check["stdout"].splitlines()
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                return f"line {i + 1} of the output is {g!r}, expected {w!r}"
        return f"the output is {stdout!r}, expected {check['stdout']!r}"
    if "stdout_regex" in check:
        if _re.search(_rust_pattern(check["stdout_regex"]), stdout):
            return None
        return f"the output does not match /{check['stdout_regex']}/"
    expected = check["stdout_numbers"]
    tolerance = check.get("tolerance", 1e-6)
    if not tolerance >= 0:
        return f"`tolerance` must be a number of at least 0, not {tolerance}"
    found = _numbers_in(stdout)
    if len(found) != len(expected):
        return f"expected {len(expected)} number(s) in the output, found {len(found)}"
    for i, (got, want) in enumerate(zip(found, expected)):
        diff = abs(got - want)
        close = diff <= tolerance or diff <= tolerance * abs(want) or (_math.isnan(got) and _math.isnan(want)) or got == want
        if not close:
            return f"number {i + 1} of the output is {got}, expected {want} (tolerance {tolerance})"
    return None


def run_checks(entry, checks, seed=0):
    """Runs the file `entry` with its output captured and shown, then each check."""
    if isinstance(checks, str):
        checks = _json.loads(checks)
    _random.seed(seed)
    out = _io.StringIO()
    env = {"__name__": "__main__"}
    error = None
    try:
        with open(entry) as f:
            source = f.read()
    except FileNotFoundError:
        print(f"Run the cell above first: it saves your code as {entry}.")
        return False
    with _contextlib.redirect_stdout(out):
        try:
            exec(compile(source, entry, "exec"), env)
        except Exception as e:  # the student's code failed: every check reports it
            error = f"your code raised {type(e).__name__}: {e}"
    stdout = out.getvalue()
    print(stdout, end="" if stdout.endswith("\n") or not stdout else "\n")
    passed = 0
    for check in checks:
        why = error
        if why is None and "code" in check:
            try:
                with _contextlib.redirect_stdout(_io.StringIO()):
                    exec(compile(check["code"], "check", "exec"), env)
            except AssertionError as e:
                why = str(e) or "an assertion failed"
            except Exception as e:
                why = f"the check raised {type(e).__name__}: {e}"
        elif why is None:
            why = check_output(check, stdout)
        passed += why is None
        print(("PASS " if why is None else "FAIL ") + check["name"] + ("" if why is None else ": " + why))
    print(f"{passed} of {len(checks)} checks passed")
    return passed == len(checks)
