//! Stage 5, writing: puts the whole site into a fresh folder beside the output and swaps it in
//! at the end, so a failed build never damages the previous site. Refuses to replace a folder
//! that is not a Sabaq site.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

/// Marks a folder as Sabaq's output, which a later build may replace.
pub const MARKER: &str = ".sabaq-site";

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the site root, with '/' separators.
    pub path: String,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file copied as it is (an image, an asset).
    CopyOf(PathBuf),
}

/// Writes the files into a new folder and swaps it in for `out`.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<()> {
    guard_existing(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create folder {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".sabaq-build-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    files
        .par_iter()
        .try_for_each(|file| write_one(staging.path(), file))?;
    fs::write(
        staging.path().join(MARKER),
        "This folder is a site built by Sabaq; `sabaq build` replaces it.\n",
    )
    .context("cannot write the site marker")?;
    make_world_readable(staging.path())?;
    let staged = staging.keep();
    swap_in(&staged, out).inspect_err(|_| {
        let _ = fs::remove_dir_all(&staged);
    })
}

/// An existing output folder must be a previous Sabaq site (or empty) to be replaced.
fn guard_existing(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!(
            "{} exists and is not a folder; choose another --out",
            out.display()
        );
    }
    let empty = fs::read_dir(out)
        .with_context(|| format!("cannot read {}", out.display()))?
        .next()
        .is_none();
    if !empty && !out.join(MARKER).is_file() {
        bail!(
            "{} is not empty and was not made by Sabaq (no {MARKER} file); refusing to replace it. Choose another --out, or empty it first",
            out.display()
        );
    }
    Ok(())
}

fn write_one(root: &Path, file: &OutputFile) -> Result<()> {
    let target = root.join(&file.path);
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", dir.display()))?;
    }
    match &file.content {
        Content::Bytes(bytes) => {
            fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))
        }
        Content::CopyOf(source) => fs::copy(source, &target)
            .map(|_| ())
            .with_context(|| format!("cannot copy {} to {}", source.display(), target.display())),
    }
}

/// Temporary folders are private; a site must be readable by the web server.
#[cfg(unix)]
fn make_world_readable(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))
        .with_context(|| format!("cannot set permissions of {}", dir.display()))
}

#[cfg(not(unix))]
fn make_world_readable(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Moves the old site aside, the new one in, and only then deletes the old one.
fn swap_in(staged: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        return fs::rename(staged, out)
            .with_context(|| format!("cannot move the new site to {}", out.display()));
    }
    let old = staged.with_file_name(format!(
        ".sabaq-old-{}",
        staged.file_name().unwrap_or_default().to_string_lossy()
    ));
    fs::rename(out, &old)
        .with_context(|| format!("cannot move the old site {} aside", out.display()))?;
    if let Err(e) = fs::rename(staged, out) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, out);
        return Err(e).with_context(|| format!("cannot move the new site to {}", out.display()));
    }
    fs::remove_dir_all(&old)
        .with_context(|| format!("cannot remove the old site at {}", old.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            content: Content::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn second_build_replaces_the_first_completely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[page("a/index.html", "one"), page("old.html", "x")]).unwrap();
        write_site(&out, &[page("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), "precious").unwrap();
        let err = write_site(dir.path(), &[page("index.html", "x")]).unwrap_err();
        assert!(err.to_string().contains("refusing to replace"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("thesis.docx")).unwrap(),
            "precious"
        );
    }
}
