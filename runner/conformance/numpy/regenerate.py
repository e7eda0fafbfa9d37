#!/usr/bin/env python3
"""Regenerates expected.json: the stdout real numpy prints for every program in cases/*.py.

The course's numpy (runner/src/tinyml/numpy.rs and numpy.py) is tested against it: the test
`numpy_matches_real_numpy` in tests/exercises.rs runs each program in every built-in python
runtime and compares the output with what is stored here, character for character (values,
shapes, dtypes and numpy's printing). Programs are split as in ../regenerate.py (`# === name`).
Random streams are our own, so the random cases print only shapes, types, ranges and
reproducibility.

Run it with a python that has numpy (`pip install numpy`):

    python runner/conformance/numpy/regenerate.py            # rewrite expected.json
    python runner/conformance/numpy/regenerate.py --check    # fail if expected.json is stale

`.ci/run` runs `--check` with the numpy it installs, so the stored output is real numpy's.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from regenerate import split  # noqa: E402


def run_all():
    import numpy

    cases, seen = [], set()
    env = {"PYTHONHASHSEED": "0", "PATH": os.environ.get("PATH", "/usr/bin")}
    for path in sorted((HERE / "cases").glob("*.py")):
        for name, source in split(path):
            if name in seen:
                sys.exit(f"{path.name}: the name {name} is used twice")
            seen.add(name)
            with tempfile.TemporaryDirectory() as cwd:
                done = subprocess.run(
                    [sys.executable, "-I", "-W", "ignore", "-c", source],
                    cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
                )
            if done.returncode != 0 or done.stderr:
                sys.exit(f"{path.name}: {name} failed under numpy:\n{done.stderr}")
            cases.append({
                "file": path.name,
                "name": name,
                "sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(),
                "stdout": done.stdout,
            })
    return {"numpy": f"numpy {numpy.__version__}", "generated_by": "runner/conformance/numpy/regenerate.py", "cases": cases}


def main():
    expected = run_all()
    out = HERE / "expected.json"
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        stored = json.loads(out.read_text(encoding="utf-8"))
        if stored["cases"] != expected["cases"]:
            old = {(c["file"], c["name"]): c for c in stored["cases"]}
            for c in expected["cases"]:
                if old.get((c["file"], c["name"])) != c:
                    print(f"differs from real {expected['numpy']}: {c['file']} {c['name']}", file=sys.stderr)
            sys.exit("runner/conformance/numpy/expected.json is not what real numpy prints: rerun regenerate.py")
        print(f"{len(expected['cases'])} numpy programs: expected.json matches real {expected['numpy']}")
        return
    out.write_text(text, encoding="utf-8")
    print(f"{len(expected['cases'])} programs, expected stdout from {expected['numpy']}: {out}")


if __name__ == "__main__":
    main()
