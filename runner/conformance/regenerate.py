#!/usr/bin/env python3
"""Regenerates expected.json: the stdout CPython prints for every conformance program.

The programs live in cases/*.py, several to a file, each starting at a line `# === <name>`
(the file's first line, a comment, names its kind of program for the guide's table).
Each runs alone in a fresh `python3 -I` (isolated mode, PYTHONHASHSEED=0) in an empty
temporary folder; a program that fails or writes to stderr is a mistake in the suite, so the
script stops. Run it from anywhere:

    python3 runner/conformance/regenerate.py

The test that runs the suite in each runtime (`conformance_suite` in tests/exercises.rs) splits the files the same
way and compares each runtime's stdout with what is stored here.
"""

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = re.compile(r"^# === ([a-z0-9_]+)$")


def split(path):
    """Yields (name, source) for every program of one file."""
    name, lines = None, []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        m = HEADER.match(line.rstrip("\n"))
        if m:
            if name:
                yield name, "".join(lines)
            name, lines = m.group(1), []
        elif name:
            lines.append(line)
    if name:
        yield name, "".join(lines)


def main():
    cases = []
    seen = set()
    env = {"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "/usr/bin")}
    for path in sorted((HERE / "cases").glob("*.py")):
        for name, source in split(path):
            if name in seen:
                sys.exit(f"{path.name}: the name {name} is used twice")
            seen.add(name)
            with tempfile.TemporaryDirectory() as cwd:
                done = subprocess.run(
                    [sys.executable, "-I", "-c", source],
                    cwd=cwd, env=env, capture_output=True, text=True, timeout=30,
                )
            if done.returncode != 0 or done.stderr:
                sys.exit(f"{path.name}: {name} failed under CPython:\n{done.stderr}")
            cases.append({
                "file": path.name,
                "name": name,
                # The test refuses a program whose source changed since this ran.
                "sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(),
                "stdout": done.stdout,
            })
    expected = {
        "python": f"CPython {platform.python_version()}",
        "generated_by": "runner/conformance/regenerate.py",
        "cases": cases,
    }
    out = HERE / "expected.json"
    out.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(cases)} programs, expected stdout from CPython {platform.python_version()}: {out}")


if __name__ == "__main__":
    main()
