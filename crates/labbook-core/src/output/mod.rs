//! Writing the site: every file into a temporary sibling folder, then one swap, so a failed
//! build never leaves a half-written site and the previous output stays until the new one is
//! complete. labbook only ever replaces or deletes a folder that carries its marker file.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

/// The marker file that says "labbook wrote this folder".
pub const MARKER: &str = ".labbook";

/// One file of the site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// What to write.
    pub content: OutContent,
}

/// Bytes made by the build, or a file copied from the book.
#[derive(Debug, Clone)]
pub enum OutContent {
    /// Generated content.
    Bytes(Vec<u8>),
    /// A file to copy as it is.
    Copy(PathBuf),
}

impl OutFile {
    /// A generated file.
    pub fn bytes(path: &str, bytes: impl Into<Vec<u8>>) -> OutFile {
        OutFile { path: path.to_string(), content: OutContent::Bytes(bytes.into()) }
    }

    /// A file copied from `source`.
    pub fn copy(path: &str, source: PathBuf) -> OutFile {
        OutFile { path: path.to_string(), content: OutContent::Copy(source) }
    }
}

/// Checks that `out` may be (re)written: it does not exist, is empty, or carries the marker.
pub fn check_writable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("{} exists and is not a folder; labbook will not overwrite it", out.display());
    }
    if out.join(MARKER).is_file() {
        return Ok(());
    }
    let empty = std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?.next().is_none();
    if empty {
        return Ok(());
    }
    bail!(
        "{} exists and was not written by labbook (no {MARKER} marker inside); refusing to replace it. Choose another --out or move the folder away",
        out.display()
    )
}

/// Writes `files` as the site at `out`, atomically replacing a previous labbook output.
pub fn write_site(out: &Path, files: &[OutFile], minify: bool) -> Result<()> {
    check_writable(out)?;
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out.file_name().context("the output folder needs a name")?.to_string_lossy().into_owned();
    let staging = parent.join(format!(".{name}.labbook-new-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).with_context(|| format!("removing the stale {}", staging.display()))?;
    }
    let result = write_all(&staging, files, minify);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_into_place(&staging, out, parent, &name)
}

fn write_all(staging: &Path, files: &[OutFile], minify: bool) -> Result<()> {
    std::fs::create_dir_all(staging).with_context(|| format!("creating {}", staging.display()))?;
    std::fs::write(
        staging.join(MARKER),
        "This folder was written by labbook. `labbook build` replaces it and `labbook clean` deletes it.\n",
    )
    .with_context(|| format!("writing {}", staging.join(MARKER).display()))?;
    let mut dirs: Vec<PathBuf> =
        files.iter().filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p))).collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
        match &file.content {
            OutContent::Bytes(bytes) if minify && file.path.ends_with(".html") => {
                std::fs::write(&target, minify_html(bytes)).with_context(|| format!("writing {}", target.display()))
            }
            OutContent::Bytes(bytes) => {
                std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))
            }
            OutContent::Copy(source) => std::fs::copy(source, &target)
                .map(|_| ())
                .with_context(|| format!("copying {} to {}", source.display(), target.display())),
        }
    })
}

fn minify_html(bytes: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    // Keep what browsers need to parse pages opened from file:// exactly as written.
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(bytes, &cfg)
}

fn swap_into_place(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out).with_context(|| format!("moving the new site to {}", out.display()));
    }
    // Re-check right before touching it: only a marked (or empty) folder is ours to replace.
    check_writable(out)?;
    let old = parent.join(format!(".{name}.labbook-old-{}", std::process::id()));
    std::fs::rename(out, &old).with_context(|| format!("moving the previous site {} aside", out.display()))?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back so the reader still has one.
        let _ = std::fs::rename(&old, out);
        return Err(e).with_context(|| format!("moving the new site to {}", out.display()));
    }
    remove_owned(&old)
}

/// Deletes a folder only if it carries the marker (or is empty).
pub fn remove_owned(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    check_writable(dir)?;
    std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_replaces_a_marked_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(&out, &[OutFile::bytes("a/b.html", "one")], false).unwrap();
        assert!(out.join(MARKER).is_file());
        assert_eq!(std::fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
        write_site(&out, &[OutFile::bytes("c.html", "two")], false).unwrap();
        assert!(!out.join("a/b.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        let e = write_site(tmp.path(), &[OutFile::bytes("x.html", "x")], false).unwrap_err();
        assert!(e.to_string().contains("refusing"), "{e}");
        assert!(tmp.path().join("precious.txt").is_file());
        assert!(remove_owned(tmp.path()).is_err());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_site(&out, &[OutFile::bytes("a.html", "old")], false).unwrap();
        let missing = OutFile::copy("img.png", tmp.path().join("does-not-exist.png"));
        assert!(write_site(&out, &[OutFile::bytes("a.html", "new"), missing], false).is_err());
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "old");
    }
}
