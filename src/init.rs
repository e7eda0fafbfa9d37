//! `labbook init`: a new course that builds, serves and passes `labbook test` at once, and
//! shows a teacher each thing a course is made of: a lesson with maths and code, a quiz, an
//! exercise with a shown and a hidden check and hints, and `book.yaml` with every key
//! explained. (An existing mdBook needs no `init`: labbook builds and serves its `book.toml`
//! as it is.)

use std::path::Path;

use anyhow::{bail, Context, Result};

const BOOK_YAML: &str = r#"# book.yaml: the course's settings. Only `title` is required; every other key has a
# default. An unknown key is an error at its line, so a typo never goes unnoticed.
# The user guide ("labbook user guide" in labbook's own site) explains each one.

# The title, shown in the header and the browser tab.
title: My course
# One or two sentences: the pages' <meta name="description"> and the front page's summary.
description: A first course written with labbook.
# Who wrote it, as you want them shown.
authors: [Your Name]
# The language of the pages (a BCP-47 tag): search stems words for it, and the pages say it.
language: en
# A stable name for the course: the browser keeps a reader's progress under it, so the
# progress survives moving the site to another folder or server.
id: my-course

# The table of contents, in reading order: pages under content/, grouped into parts.
# Without `toc`, every page is listed in file-name order.
toc:
  - index.md
  - part: Lessons
    chapters:
      - lessons/averages.md

# The offline search box (on by default); `enable: false` turns it off.
search:
  enable: true

# A broken link or anchor fails the build (`error`, the default) or is only a warning (`warn`).
links: error

# Exercises (exercises/<id>/exercise.yaml): the limits of one run of a student's code, here
# and in the browser. An exercise may set its own `limits:` too.
exercises:
  limits:
    time: 2s
    memory: 64MB
    output: 64KB

# More keys, off until you need them:
# theme: mine                 # themes/mine/ overrides the built-in theme file by file
# base-url: https://example.org/course/   # where the site is published (sitemap.xml)
# edit-url: https://github.com/you/course/edit/main/{path}   # an "Edit this page" link
# extra-css: [custom.css]     # style sheets added after the theme's
# redirects:                  # old page paths that should lead to new ones
#   old/page.html: lessons/averages.html
"#;

const INDEX_MD: &str = "\
# Welcome

This course is written with labbook. Start with the first lesson,
[Averages](lessons/averages.md): it explains a formula, shows the code, asks a
question and ends with an exercise you can run in this page.

Every page is a Markdown file under `content/`; `book.yaml` lists them.
";

const LESSON_MD: &str = r#"---
description: The mean of a list of numbers, in maths and in Python, with a quiz and an exercise.
tags: [basics]
---
# Averages

Write lessons in Markdown. Maths between dollar signs is typeset when the site is
built, so it shows without JavaScript: the mean of $n$ numbers $x_1, \dots, x_n$ is

$$\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i$$

Code blocks are highlighted at build time too:

```python
def mean(xs):
    return sum(xs) / len(xs)

print(mean([2, 4, 9]))  # 5.0
```

> [!TIP]
> `labbook serve` shows the course at <http://127.0.0.1:3000> and reloads the
> page each time you save a file. `labbook build` writes the site to `site/`,
> which works from any web server and straight from your disk.

## Check yourself {#quiz}

A quiz is a fenced block whose body is YAML. Readers get the explanation of the
answer they picked.

```quiz
question: What is the mean of 1, 2 and 6?
choices:
  - text: "3"
    correct: true
    explain: The sum is 9, and there are 3 numbers.
  - text: "2"
    explain: That is the middle value (the median), not the mean.
  - text: "9"
    explain: That is the sum; divide it by how many numbers there are.
```

## Your turn {#exercise}

An exercise lives in `exercises/<id>/`. Its checks run the reader's code in the
page, and `labbook test` proves the solution passes them and the starter does not.

```exercise
id: mean
```
"#;

const EXERCISE_YAML: &str = r#"# An exercise: what the reader sees, the code they start from, the reference solution and
# the checks. `labbook test` runs the solution (it must pass every check) and the starter
# (it must fail one).
title: The mean of a list
instructions: |
  Complete `mean(xs)` so that it returns the average of the numbers in `xs`:
  their sum divided by how many there are, $\bar{x} = \frac{1}{n} \sum_i x_i$.
starter: starter.py
solution: solution.py
checks:
  # A shown check: the reader sees its name, and what their program printed if it fails.
  - name: prints the mean of 2, 4 and 9
    stdout: "5.0\n"
  # A hidden check: its code stays out of the page; a failing reader gets the feedback.
  - name: works for any list
    hidden: true
    code: |
      assert mean([1, 2, 6]) == 3, f"mean([1, 2, 6]) should be 3, got {mean([1, 2, 6])}"
      assert mean([-1.5, 1.5]) == 0, "negative numbers count too"
      assert mean([7]) == 7, "the mean of one number is that number"
    feedback: Divide by how many numbers `xs` holds, `len(xs)`, not by a fixed count.
# Hints, shown one at a time when the reader asks.
hints:
  - "`sum(xs)` adds up the numbers."
  - "`len(xs)` says how many there are."
"#;

const STARTER_PY: &str = "\
def mean(xs):
    # Return the sum of xs divided by how many numbers it holds.
    return 0


print(mean([2, 4, 9]))
";

const SOLUTION_PY: &str = "\
def mean(xs):
    return sum(xs) / len(xs)


print(mean([2, 4, 9]))
";

/// The files of a new course: (path relative to its folder, text).
const FILES: &[(&str, &str)] = &[
    ("book.yaml", BOOK_YAML),
    ("content/index.md", INDEX_MD),
    ("content/lessons/averages.md", LESSON_MD),
    ("exercises/mean/exercise.yaml", EXERCISE_YAML),
    ("exercises/mean/starter.py", STARTER_PY),
    ("exercises/mean/solution.py", SOLUTION_PY),
];

/// Writes a new book into `dir`; refuses to overwrite an existing book or any file.
pub fn init(dir: &Path) -> Result<()> {
    if dir.join("book.yaml").exists() || dir.join("book.toml").exists() {
        bail!(
            "{} already holds a book (book.yaml or book.toml exists); labbook init does not overwrite it",
            dir.display()
        );
    }
    if let Some(path) = FILES.iter().map(|(rel, _)| dir.join(rel)).find(|p| p.exists()) {
        bail!("{} exists; labbook init does not overwrite files", path.display());
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
