"""Checks the notebooks a labbook build wrote, with the reference tools (tests/features.rs).

    python validate.py <site> <cases.json> <exercises-dir>

1. Every `.ipynb` under <site> is valid nbformat 4.5 (the `nbformat` package's validator).
2. The checker an exercise's check cell carries agrees with labbook's check rules on the
   table of cases of `labbook-checks` (pass or fail; messages are the runner's business).
3. Every exported exercise that needs only plain Python passes its shown checks when its
   solution is saved where the starter cell saves it, run as Jupyter would run the cells.
Prints one line per finding; exits 1 on any failure.
"""

import json
import os
import sys
import tempfile

import nbformat

site, cases_path, exercises_dir = sys.argv[1:4]
failures = []

notebooks = []
for folder, _, files in os.walk(site):
    for name in sorted(files):
        if name.endswith(".ipynb"):
            notebooks.append(os.path.join(folder, name))
notebooks.sort()
if not notebooks:
    failures.append(f"no notebook under {site}")
for path in notebooks:
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        nbformat.validate(nb)
        if (nb.nbformat, nb.nbformat_minor) != (4, 5):
            failures.append(f"{path}: nbformat {nb.nbformat}.{nb.nbformat_minor}, expected 4.5")
    except Exception as e:  # the validator's own error names the problem
        failures.append(f"{path}: {type(e).__name__}: {e}")
print(f"validated {len(notebooks)} notebooks with nbformat {nbformat.__version__}")

# The check cells, with the exercise whose starter the cell before them saves.
starters = {}
for exercise in sorted(os.listdir(exercises_dir)):
    starter = os.path.join(exercises_dir, exercise, "starter.py")
    if os.path.isfile(starter):
        with open(starter) as f:
            starters[f.read().rstrip("\n")] = exercise
check_cells = []
for path in notebooks:
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and "\nrun_checks(" in cell.source:
            before = [c for c in cells[:i] if c.cell_type == "code"]
            writefile = before[-1].source
            head, _, starter = writefile.partition("\n")
            data_cell = before[-2].source if len(before) > 1 and before[-2].source.startswith("# The exercise's data files.") else ""
            check_cells.append((path, head.split()[1], starter, data_cell, cell.source))
if not check_cells:
    failures.append("no exercise check cell in the notebooks")

# 2. The shipped checker against the table of cases.
checker_source = check_cells[0][4].rsplit("\nrun_checks(", 1)[0] if check_cells else ""
checker = {}
exec(compile(checker_source, "checker", "exec"), checker)
with open(cases_path) as f:
    cases = json.load(f)
# Where Python's re reads a pattern otherwise than Rust's regex crate. Look-around and
# backreferences are refused when labbook loads an exercise, so no exported check has them;
# Unicode classes (\p{...}) are the one difference a notebook's checker may meet.
KNOWN = {"look-ahead is refused", "look-behind is refused", "backreferences are refused", "Unicode classes such as"}
judged = 0
for case in cases:
    check = case["check"]
    if not any(k in check for k in ("stdout", "stdout_regex", "stdout_numbers")):
        continue
    if any(k in case["name"] for k in KNOWN):
        continue
    try:
        why = checker["check_output"](check, case["stdout"])
    except Exception as e:  # a pattern Python's re cannot read
        why = f"{type(e).__name__}: {e}"
    judged += 1
    if (why is None) != case["passed"]:
        failures.append(f"checker disagrees on case {case['name']!r}: {why!r}")
print(f"checker: {judged} cases of the check table judged as labbook judges them")

# 3. Exported exercises that need only plain Python pass with their solutions.
ran = 0
for path, entry, starter, data_cell, check_source in check_cells:
    exercise = starters.get(starter.rstrip("\n"))
    if exercise is None:
        failures.append(f"{path}: the starter cell of {entry} is no exercise's starter")
        continue
    with open(os.path.join(exercises_dir, exercise, "solution.py")) as f:
        solution = f.read()
    if "tinyml" in solution:
        print(f"{path}: {exercise} uses tinyml (labbook's runtime module), not run in plain Python")
        continue
    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            env = {}
            if data_cell:
                exec(compile(data_cell, "data cell", "exec"), env)
            with open(entry, "w") as f:
                f.write(solution)
            body, _, call = check_source.rpartition("\nrun_checks(")
            exec(compile(body + "\n__ok = run_checks(" + call, "check cell", "exec"), env)
            if not env["__ok"]:
                failures.append(f"{path}: {exercise}: the solution fails the exported checks")
            ran += 1
        finally:
            os.chdir(cwd)
print(f"ran {ran} exported exercises with their solutions in plain Python")

for failure in failures:
    print("FAIL", failure)
sys.exit(1 if failures else 0)
