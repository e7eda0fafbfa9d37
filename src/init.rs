//! `labbook init`: a new course that builds at once.

use std::path::Path;

use anyhow::{bail, Context, Result};

const BOOK_YAML: &str = "\
title: My course
description: A course written with labbook.
authors: [Your Name]
language: en
toc:
  - index.md
  - part: Lessons
    chapters:
      - lessons/first-lesson.md
";

const INDEX_MD: &str = "\
# Welcome

This course is built with [labbook](lessons/first-lesson.md#what-next). Start with the
[first lesson](lessons/first-lesson.md).
";

const LESSON_MD: &str = "\
---
description: The first lesson of the course.
tags: [basics]
---
# The first lesson

Write lessons in Markdown. Math is rendered when the site is built: the mean of
$n$ numbers is

$$\\bar{x} = \\frac{1}{n} \\sum_{i=1}^{n} x_i$$

```python
def mean(xs):
    return sum(xs) / len(xs)
```

> [!TIP]
> Run `labbook build` and open `site/index.html` in a browser.

## What next {#what-next}

Add pages under `content/` and list them in `book.yaml`.
";

/// Writes a new book into `dir`; refuses to overwrite an existing book.
pub fn init(dir: &Path) -> Result<()> {
    if dir.join("book.yaml").exists() {
        bail!("{} already holds a book (book.yaml exists); labbook init does not overwrite it", dir.display());
    }
    for (rel, text) in
        [("book.yaml", BOOK_YAML), ("content/index.md", INDEX_MD), ("content/lessons/first-lesson.md", LESSON_MD)]
    {
        let path = dir.join(rel);
        if path.exists() {
            bail!("{} exists; labbook init does not overwrite files", path.display());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
