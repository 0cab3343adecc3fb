//! Stage 5, writing. A new site is written into a fresh folder beside the output and moved
//! into place whole. A previous Sabaq site is updated where it stands: files whose bytes did
//! not change are left alone, each changed file is written beside its place and renamed over
//! it (so every file is always whole), and files the site no longer has are removed last. A
//! build with problems never gets here, so it writes nothing. Refuses to touch a folder that
//! is not a Sabaq site.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

/// Marks a folder as Sabaq's output, which a later build may replace.
pub const MARKER: &str = ".sabaq-site";
const MARKER_TEXT: &str = "This folder is a site built by Sabaq; `sabaq build` replaces it.\n";

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

/// What writing did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files written (new or changed).
    pub changed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of the previous site that are gone.
    pub removed: usize,
}

/// What the previous write put on disk, for a writer that is the only one to change its
/// output (`sabaq serve`'s private folder): unchanged files are then known without reading
/// them back. A copied file is remembered by path only (`None`) and compared on disk.
pub type Memory = HashMap<String, Option<Vec<u8>>>;

/// Writes the site to `out`: a fresh folder moved into place, or an update of the previous
/// Sabaq site there.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<Written> {
    write_site_with(out, files, None)
}

/// [`write_site`], comparing with `memory` (when given) instead of the files on disk, and
/// updating it.
pub fn write_site_with(
    out: &Path,
    files: &[OutputFile],
    mut memory: Option<&mut Memory>,
) -> Result<Written> {
    guard_existing(out)?;
    // Forgotten until the write succeeds: after a failure, compare with the disk again.
    let previous = memory.as_deref_mut().map(std::mem::take);
    let written = if out.join(MARKER).is_file() {
        update_in_place(out, files, previous.as_ref())?
    } else {
        write_fresh(out, files)?
    };
    if let Some(memory) = memory {
        for file in files {
            let bytes = match &file.content {
                Content::Bytes(bytes) => Some(bytes.clone()),
                Content::CopyOf(_) => None,
            };
            memory.insert(file.path.clone(), bytes);
        }
    }
    Ok(written)
}

/// Writes every file into a new folder beside `out` and moves it in (out is absent or empty).
fn write_fresh(out: &Path, files: &[OutputFile]) -> Result<Written> {
    // `--out .` has a parent only once made absolute, and the staging folder must not be
    // inside the output.
    let out =
        &std::path::absolute(out).with_context(|| format!("cannot resolve {}", out.display()))?;
    let Some(parent) = out.parent() else {
        bail!("{} cannot be an output folder", out.display());
    };
    fs::create_dir_all(parent)
        .with_context(|| format!("cannot create folder {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".sabaq-build-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    files.par_iter().try_for_each(|file| {
        let target = staging.path().join(&file.path);
        make_parent(&target)?;
        match &file.content {
            Content::Bytes(bytes) => fs::write(&target, bytes)
                .with_context(|| format!("cannot write {}", target.display())),
            Content::CopyOf(source) => copy(source, &target),
        }
    })?;
    fs::write(staging.path().join(MARKER), MARKER_TEXT).context("cannot write the site marker")?;
    make_world_readable(staging.path(), 0o755)?;
    if out.exists() {
        // An empty folder: replaced by the new one (the staging folder is still cleaned up
        // if this fails).
        fs::remove_dir(out).with_context(|| format!("cannot replace {}", out.display()))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, out)
        .inspect_err(|_| {
            let _ = fs::remove_dir_all(&staged);
        })
        .with_context(|| format!("cannot move the new site to {}", out.display()))?;
    Ok(Written {
        changed: files.len(),
        ..Written::default()
    })
}

/// Brings the previous site at `out` up to `files`: changed files replaced whole, the rest
/// untouched, stale files removed after everything new is in place.
fn update_in_place(out: &Path, files: &[OutputFile], memory: Option<&Memory>) -> Result<Written> {
    if memory.is_none() {
        refuse_stale_key_files(out, &Wanted::new(out, files))?;
    }
    let cleared = clear_changed_shapes(out, files)?;
    let changed: usize = files
        .par_iter()
        .map(|file| replace_if_changed(out, file, memory).map(usize::from))
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    let wanted = Wanted::new(out, files);
    let removed = match memory {
        // Only what the last write made can be stale: no need to walk the folder.
        Some(memory) => remove_forgotten(out, memory.keys(), &wanted)?,
        None => remove_stale(out, out, &wanted)?,
    };
    Ok(Written {
        changed,
        unchanged: files.len() - changed,
        removed: removed + cleared,
    })
}

/// Stops before anything is written when a file that the update would delete holds the
/// institution's key: someone put it in the site, where anyone can download it, and deleting
/// it could lose the only copy.
fn refuse_stale_key_files(root: &Path, wanted: &Wanted) -> Result<()> {
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.with_context(|| format!("cannot read {}", root.display()))?;
        let path = entry.path();
        if entry.file_type().is_file()
            && !wanted.keeps(&site_path(root, path))
            && fs::read(path).is_ok_and(|bytes| crate::keys::looks_like_key(&bytes))
        {
            bail!(
                "{} looks like a Sabaq institution key file, inside the site where anyone can download it; the build stops rather than delete it. Move it out of the site folder, then revoke its epoch and start a new one (`sabaq keys revoke`, `sabaq keys rotate`)",
                path.display()
            );
        }
    }
    Ok(())
}

/// Makes way for a site whose shape changed: a file of the previous site where the new one
/// needs a folder, or a folder where it needs a file, is removed first (all it holds is gone
/// from the new site, since a path cannot be a file and a folder at once). Links are removed
/// as links, never followed. Returns how many files went.
fn clear_changed_shapes(root: &Path, files: &[OutputFile]) -> Result<usize> {
    let mut folders: Vec<&str> = files
        .iter()
        .flat_map(|f| f.path.match_indices('/').map(|(i, _)| &f.path[..i]))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    // Outer folders first: once a file that stood for one is gone, nothing below it exists.
    folders.sort_by_key(|f| f.len());
    let mut removed = 0;
    for folder in folders {
        let path = root.join(folder);
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&path)
                .with_context(|| format!("cannot remove {} to make it a folder", path.display()))?;
            removed += 1;
        }
    }
    for file in files {
        let path = root.join(&file.path);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            removed += walkdir::WalkDir::new(&path)
                .into_iter()
                .filter(|e| e.as_ref().is_ok_and(|e| !e.file_type().is_dir()))
                .count();
            fs::remove_dir_all(&path).with_context(|| {
                format!(
                    "cannot remove the folder {} to make it a file",
                    path.display()
                )
            })?;
        }
    }
    Ok(removed)
}

/// Writes `file` under `root` unless it holds those bytes already; true when it wrote.
fn replace_if_changed(root: &Path, file: &OutputFile, memory: Option<&Memory>) -> Result<bool> {
    let target = root.join(&file.path);
    if let (Some(memory), Content::Bytes(bytes)) = (memory, &file.content)
        && memory.get(&file.path).and_then(Option::as_ref) == Some(bytes)
    {
        return Ok(false);
    }
    let bytes = match &file.content {
        Content::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
        Content::CopyOf(source) => std::borrow::Cow::Owned(
            fs::read(source).with_context(|| format!("cannot read {}", source.display()))?,
        ),
    };
    if same_bytes(&target, &bytes) {
        return Ok(false);
    }
    let dir = make_parent(&target)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".sabaq-new-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    temp.write_all(&bytes)
        .with_context(|| format!("cannot write {}", target.display()))?;
    make_world_readable(temp.path(), 0o644)?;
    temp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", target.display()))?;
    Ok(true)
}

/// The files of the new site, to tell a stale file from a wanted one.
struct Wanted<'a> {
    root: &'a Path,
    paths: HashSet<&'a str>,
    /// Wanted paths by their case-folded NFC form: on a file system that ignores case or
    /// stores names decomposed (macOS, Windows), a file on disk may be a wanted one under
    /// another spelling.
    folded: HashMap<String, &'a str>,
}

impl<'a> Wanted<'a> {
    fn new(root: &'a Path, files: &'a [OutputFile]) -> Self {
        let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let folded = paths.iter().map(|p| (fold(p), *p)).collect();
        Wanted {
            root,
            paths,
            folded,
        }
    }

    /// Whether the file at `relative` (as found on disk) belongs to the new site.
    fn keeps(&self, relative: &str) -> bool {
        if relative == MARKER || self.paths.contains(relative) {
            return true;
        }
        match self.folded.get(&fold(relative)) {
            Some(wanted) => same_file(&self.root.join(relative), &self.root.join(wanted)),
            None => false,
        }
    }
}

fn fold(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    path.nfc().collect::<String>().to_lowercase()
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_a: &Path, b: &Path) -> bool {
    // Without inode numbers: the wanted spelling opens a file, so the names are one file.
    b.is_file()
}

/// `path` below `root` as a site path with '/' separators.
fn site_path(root: &Path, path: &Path) -> String {
    let inside = path.strip_prefix(root).expect("below the root");
    inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Removes every file below `dir` (and then every emptied folder) that the site no longer
/// has; returns how many files went.
fn remove_stale(root: &Path, dir: &Path, wanted: &Wanted) -> Result<usize> {
    let mut removed = 0;
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            removed += remove_stale(root, &path, wanted)?;
            if fs::read_dir(&path)?.next().is_none() {
                fs::remove_dir(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
            continue;
        }
        if !wanted.keeps(&site_path(root, &path)) {
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes the files among `previous` that the site no longer has, and the folders that
/// leaves empty; returns how many files went.
fn remove_forgotten<'a>(
    root: &Path,
    previous: impl Iterator<Item = &'a String>,
    wanted: &Wanted,
) -> Result<usize> {
    let mut removed = 0;
    for path in previous.filter(|p| !wanted.keeps(p)) {
        let file = root.join(path);
        if fs::symlink_metadata(&file).is_ok_and(|m| m.is_dir()) {
            // The file became a folder of the new site.
            continue;
        }
        match fs::remove_file(&file) {
            Ok(()) => removed += 1,
            // Gone already, or a folder on its way became a file of the new site.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove {}", file.display())),
        }
        let mut dir = file.parent();
        while let Some(d) = dir.filter(|d| *d != root) {
            // Stops at the first folder that still holds something.
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(removed)
}

fn make_parent(target: &Path) -> Result<&Path> {
    let dir = target.parent().expect("a file below the site root");
    fs::create_dir_all(dir).with_context(|| format!("cannot create folder {}", dir.display()))?;
    Ok(dir)
}

fn copy(source: &Path, target: &Path) -> Result<()> {
    fs::copy(source, target)
        .map(|_| ())
        .with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))
}

/// Whether the file at `path` holds exactly `bytes` (false when it cannot be read).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
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

/// Sets the permissions a web server needs (temporary files and folders are private).
#[cfg(unix)]
fn make_world_readable(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .with_context(|| format!("cannot set permissions of {}", path.display()))
}

#[cfg(not(unix))]
fn make_world_readable(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
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

    #[cfg(unix)]
    #[test]
    fn a_rebuild_touches_only_what_changed_and_removes_what_is_gone() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = write_site(
            &out,
            &[
                page("same/index.html", "kept"),
                page("edited/index.html", "before"),
                page("gone/deep/index.html", "x"),
            ],
        )
        .unwrap();
        assert_eq!(first.changed, 3);
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let kept = inode("same/index.html");
        let written = write_site(
            &out,
            &[
                page("same/index.html", "kept"),
                page("edited/index.html", "after"),
                page("new/index.html", "new"),
            ],
        )
        .unwrap();
        assert_eq!(
            written,
            Written {
                changed: 2,
                unchanged: 1,
                removed: 1
            }
        );
        assert_eq!(
            inode("same/index.html"),
            kept,
            "an unchanged file is not rewritten"
        );
        assert_eq!(
            fs::read_to_string(out.join("edited/index.html")).unwrap(),
            "after"
        );
        assert_eq!(
            fs::read_to_string(out.join("new/index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("gone").exists(), "emptied folders go too");
        assert!(out.join(MARKER).is_file());
        let mode = fs::metadata(out.join("edited/index.html"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o644,
            "a replaced file is readable by the web server"
        );
        let stray: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".sabaq-new-"))
            .collect();
        assert!(stray.is_empty(), "temporary files left: {stray:?}");
    }

    #[test]
    fn a_rebuild_turns_a_file_into_a_folder_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let as_file = [page("index.html", "home"), page("c/notes", "a file")];
        let as_folder = [
            page("index.html", "home"),
            page("c/notes/index.html", "a page"),
            page("c/notes/deep/x.txt", "deeper"),
        ];
        for memory in [None, Some(Memory::default())] {
            let mut memory = memory;
            write_site_with(&out, &as_file, memory.as_mut()).unwrap();
            assert_eq!(fs::read_to_string(out.join("c/notes")).unwrap(), "a file");
            let written = write_site_with(&out, &as_folder, memory.as_mut()).unwrap();
            assert_eq!(written.removed, 1, "{written:?}");
            assert_eq!(
                fs::read_to_string(out.join("c/notes/index.html")).unwrap(),
                "a page"
            );
            let written = write_site_with(&out, &as_file, memory.as_mut()).unwrap();
            assert_eq!(written.removed, 2, "{written:?}");
            assert_eq!(fs::read_to_string(out.join("c/notes")).unwrap(), "a file");
            assert!(out.join(MARKER).is_file());
            fs::remove_dir_all(&out).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_way_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let keep = dir.path().join("keep");
        fs::create_dir_all(&keep).unwrap();
        fs::write(keep.join("x.txt"), "precious").unwrap();
        write_site(&out, &[page("index.html", "home")]).unwrap();
        std::os::unix::fs::symlink(&keep, out.join("c")).unwrap();
        write_site(&out, &[page("index.html", "home"), page("c/x.txt", "new")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("c/x.txt")).unwrap(), "new");
        assert!(!fs::symlink_metadata(out.join("c")).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(keep.join("x.txt")).unwrap(), "precious");
    }

    #[test]
    fn a_key_file_put_into_the_site_stops_the_update_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[page("index.html", "home")]).unwrap();
        crate::keys::Key::create(&out.join("notes.txt")).unwrap();
        let key = fs::read(out.join("notes.txt")).unwrap();
        let err = write_site(&out, &[page("index.html", "new home")]).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "{} looks like a Sabaq institution key file, inside the site",
                out.join("notes.txt").display()
            )),
            "{err}"
        );
        assert_eq!(fs::read(out.join("notes.txt")).unwrap(), key);
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "home",
            "nothing was written"
        );
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
