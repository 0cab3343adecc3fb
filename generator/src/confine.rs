//! What a build may read: only files whose real place, links followed, is inside their own
//! folder (a course's folder; the site's folder for `site.yaml`, its theme and strings; a book's
//! folder for `sabaq import mdbook`), and never a file that holds the institution's key,
//! whatever it is called. Loading, themes, strings, copied assets and imports all read through
//! here, so a link in a course cannot publish a private file; and a key file lying anywhere in
//! the courses stops the build, read or not.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::Diagnostic;
use crate::keys::looks_like_key;
use crate::links::{absolute, normalize};

/// A folder that the files read for it must stay inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// As it was named, for messages.
    pub path: PathBuf,
    /// With every link followed.
    real: PathBuf,
    /// What it is, for messages: "course folder", "site folder", "book folder".
    what: &'static str,
}

impl Folder {
    pub fn new(path: &Path, what: &'static str) -> Folder {
        Folder {
            path: path.to_path_buf(),
            real: path.canonicalize().unwrap_or_else(|_| absolute(path)),
            what,
        }
    }

    /// Refuses `path` (a file or folder named inside this folder) when its real place is
    /// outside. A path that does not exist passes: whoever reads it reports that.
    pub fn confine(&self, path: &Path) -> Result<(), Diagnostic> {
        match path.canonicalize() {
            Ok(real) if !real.starts_with(&self.real) => {
                Err(
                    Diagnostic::error(path, self.outside_message(path, &real)).with_help(format!(
                        "copy the file into the {} instead of linking to it",
                        self.what
                    )),
                )
            }
            _ => Ok(()),
        }
    }

    /// What the refusal of `path`, whose real place is `real`, says: the link that leads out.
    pub fn outside_message(&self, path: &Path, real: &Path) -> String {
        let why = "a build never reads or copies anything from outside it";
        let folder = self.path.display();
        match self.link_out(path) {
            Some((link, target)) if link != normalize(path) => format!(
                "`{}` is outside the {} `{folder}`: `{}` is a link to `{}`; {why}",
                path.display(),
                self.what,
                link.display(),
                target.display()
            ),
            Some(_) => format!(
                "`{}` is a link to `{}`, outside the {} `{folder}`; {why}",
                path.display(),
                real.display(),
                self.what
            ),
            None => format!(
                "`{}` is outside the {} `{folder}` (it is `{}`); {why}",
                path.display(),
                self.what,
                real.display()
            ),
        }
    }

    /// The first link on the way to `path` whose target is outside this folder, with that
    /// target; else the last link on the way (links that lead out only together).
    fn link_out(&self, path: &Path) -> Option<(PathBuf, PathBuf)> {
        let mut prefix = PathBuf::new();
        let mut last = None;
        for component in normalize(path).components() {
            prefix.push(component);
            if !matches!(component, Component::Normal(_))
                || !fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink())
            {
                continue;
            }
            let target = prefix.canonicalize().unwrap_or_else(|_| prefix.clone());
            if !target.starts_with(&self.real) {
                return Some((prefix, target));
            }
            last = Some((prefix.clone(), target));
        }
        last
    }

    /// Reads a file of this folder: refused when it leads outside. (A key file among the
    /// courses is found by [`key_files`], which sees every file a build may read, once per
    /// change of the file.)
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Diagnostic> {
        self.confine(path)?;
        fs::read(path).map_err(|e| Diagnostic::error(path, format!("cannot read file: {e}")))
    }

    /// Checks a file that the build copies as it is (an asset): inside this folder and not a
    /// key.
    pub fn check_copy(&self, path: &Path) -> Result<(), Diagnostic> {
        self.confine(path)?;
        match holds_key(path) {
            Ok(false) => Ok(()),
            Ok(true) => Err(key_file(path)),
            Err(e) => Err(Diagnostic::error(path, format!("cannot read file: {e}"))),
        }
    }
}

/// Whether the file at `path` holds the institution's key. What a file holds is remembered by
/// its path, size and time for the life of the process (`sabaq serve` rebuilds often).
fn holds_key(path: &Path) -> std::io::Result<bool> {
    type Seen = HashMap<(PathBuf, u64, Option<SystemTime>), bool>;
    static SEEN: OnceLock<Mutex<Seen>> = OnceLock::new();
    let metadata = fs::metadata(path)?;
    let seen_key = (path.to_path_buf(), metadata.len(), metadata.modified().ok());
    let seen = SEEN.get_or_init(Default::default);
    if let Some(known) = seen.lock().expect("checked files").get(&seen_key) {
        return Ok(*known);
    }
    let is_key = looks_like_key(&fs::read(path)?);
    seen.lock().expect("checked files").insert(seen_key, is_key);
    Ok(is_key)
}

/// Every key file among the courses, whether the build would read it or not: the files of the
/// site's folder, its theme, and each course folder whole (hidden folders such as `.git`
/// aside). Links are not followed here; where a link is used, what it leads to is checked.
/// A file that cannot be read is left to whoever reads it.
pub fn key_files(site: &Path, courses: &[PathBuf]) -> Vec<Diagnostic> {
    let mut files: Vec<PathBuf> = fs::read_dir(site)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.path())
        .collect();
    let theme = site.join("theme");
    for root in std::iter::once(&theme)
        .chain(courses)
        .filter(|r| r.is_dir())
    {
        let walk = WalkDir::new(root).into_iter().filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && entry.file_name().to_string_lossy().starts_with('.'))
        });
        files.extend(
            walk.flatten()
                .filter(|entry| entry.file_type().is_file())
                .map(walkdir::DirEntry::into_path),
        );
    }
    files.sort();
    files.dedup();
    files
        .par_iter()
        .filter(|path| holds_key(path).unwrap_or(false))
        .map(|path| key_file(path))
        .collect()
}

/// Refuses bytes read from `path` that hold the institution's key.
pub fn refuse_key(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if looks_like_key(bytes) {
        return Err(key_file(path));
    }
    Ok(())
}

fn key_file(path: &Path) -> Diagnostic {
    Diagnostic::error(
        path,
        format!(
            "`{}` looks like a Sabaq institution key file (it holds a key's `master` or `signing` secret): a build refuses one anywhere in the courses, where it could be published or shared with them",
            path.display()
        ),
    )
    .with_help(
        "move the key file out of the courses and keep it off the web server: anyone who has it can make completion codes and sign credentials. If it was ever published or shared, revoke its epoch (`sabaq keys revoke`), start a new one (`sabaq keys rotate`) and rebuild",
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_pass_and_links_out_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let course = dir.path().join("course");
        fs::create_dir_all(course.join("assets")).unwrap();
        fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        fs::write(course.join("assets/a.svg"), "<svg/>").unwrap();
        fs::write(dir.path().join("elsewhere/b.txt"), "b").unwrap();
        symlink("a.svg", course.join("assets/same.svg")).unwrap();
        symlink("../../elsewhere/b.txt", course.join("assets/out.txt")).unwrap();
        symlink("../elsewhere", course.join("shared")).unwrap();
        let folder = Folder::new(&course, "course folder");
        assert_eq!(
            folder.read(&course.join("assets/same.svg")).unwrap(),
            b"<svg/>"
        );
        assert!(folder.confine(&course.join("missing.png")).is_ok());

        let out = folder.read(&course.join("assets/out.txt")).unwrap_err();
        assert!(
            out.message.starts_with(&format!(
                "`{}` is a link to `{}`, outside the course folder",
                course.join("assets/out.txt").display(),
                dir.path()
                    .canonicalize()
                    .unwrap()
                    .join("elsewhere/b.txt")
                    .display()
            )),
            "{}",
            out.message
        );
        let through = folder.check_copy(&course.join("shared/b.txt")).unwrap_err();
        assert!(
            through.message.contains(&format!(
                "is outside the course folder `{}`: `{}` is a link to",
                course.display(),
                course.join("shared").display()
            )),
            "{}",
            through.message
        );
    }
}
