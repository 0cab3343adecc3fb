//! Links between pages and to assets: resolves an author's relative `.md` or file path against
//! the course on disk and rewrites it as a relative URL, so the site works from any sub-folder.
//! Used by the Markdown stage; the page map it reads is built from the loaded model.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::confine::Folder;
use crate::load::split_prefix;
use crate::model::{LeftOut, Site};

/// Where every Markdown source ends up in the site, by its (lexically normalised) path.
#[derive(Debug, Default)]
pub struct PageMap {
    pages: HashMap<PathBuf, String>,
    left_out: HashMap<PathBuf, LeftOut>,
}

impl PageMap {
    /// Lessons map to their page; a module's `index.md` and its folder map to the module page.
    pub fn from_site(site: &Site) -> Self {
        let mut pages = HashMap::new();
        let mut left_out = HashMap::new();
        for course in &site.courses {
            for module in &course.modules {
                for (path, why) in &module.left_out {
                    left_out.insert(normalize(path), *why);
                }
                let url = module.url(course);
                pages.insert(normalize(&module.dir.join("index.md")), url.clone());
                pages.insert(normalize(&module.dir), url);
                for lesson in &module.lessons {
                    pages.insert(
                        normalize(&lesson.markdown.source.path),
                        lesson.url(course, module),
                    );
                }
            }
            pages.insert(normalize(&course.dir), course.url());
        }
        PageMap { pages, left_out }
    }

    fn page(&self, path: &Path) -> Option<&str> {
        self.pages.get(path).map(String::as_str)
    }
}

/// A file outside Markdown that a page links to, to be copied into the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    pub source: PathBuf,
    /// Its place in the site, relative to the site root.
    pub site_path: String,
}

/// What a link became.
#[derive(Debug, PartialEq, Eq)]
pub struct Resolved {
    pub url: String,
    pub asset: Option<Asset>,
}

/// Resolves links written in one Markdown file that renders to one page.
pub struct Resolver<'a> {
    pub pages: &'a PageMap,
    /// The course folder: what a linked file must really be in.
    pub course: &'a Folder,
    pub course_url: &'a str,
    /// The folder of the Markdown file.
    pub source_dir: &'a Path,
    /// The page's own folder in the site, such as `money-basics/budgeting/tracking-cash/`.
    pub page_url: &'a str,
}

impl Resolver<'_> {
    /// Rewrites a link destination; external and in-page links pass through untouched.
    /// `Err` carries the message for the author.
    pub fn resolve(&self, dest: &str, is_image: bool) -> Result<Resolved, String> {
        if is_external(dest) {
            if is_image {
                return Err(format!(
                    "image `{dest}` is on another site: learners may be offline and pay for data"
                ));
            }
            return Ok(Resolved {
                url: dest.to_string(),
                asset: None,
            });
        }
        if dest.starts_with('#') || dest.is_empty() {
            return Ok(Resolved {
                url: dest.to_string(),
                asset: None,
            });
        }
        if dest.starts_with('/') {
            return Err(format!(
                "link `{dest}` starts with '/': write it relative to this file so the site works from any folder"
            ));
        }
        let (path_part, fragment) = match dest.find(['#', '?']) {
            Some(i) => dest.split_at(i),
            None => (dest, ""),
        };
        let decoded = percent_decode(path_part);
        let target = normalize(&self.source_dir.join(&decoded));
        // Both sides normalised: the course may have been named as `../courses/x`.
        let course_dir = normalize(&self.course.path);
        if !target.starts_with(&course_dir) {
            return Err(format!("link `{dest}` points outside the course folder"));
        }
        let is_markdown = decoded.ends_with(".md") || target.is_dir();
        if is_markdown && !is_image {
            let Some(page) = self.pages.page(&target) else {
                match self.pages.left_out.get(&target) {
                    // Its own error is reported; a second one here would only be noise.
                    Some(LeftOut::Broken) => {
                        return Ok(Resolved {
                            url: dest.to_string(),
                            asset: None,
                        });
                    }
                    Some(LeftOut::Draft) => {
                        return Err(format!(
                            "link to a draft lesson: `{decoded}` has `draft: true`, so it is not in the site"
                        ));
                    }
                    None => {}
                }
                let why = if target.exists() {
                    "is not a page of this course (a draft, or outside every module)"
                } else {
                    "does not exist"
                };
                return Err(format!("link to a missing lesson: `{decoded}` {why}"));
            };
            let mut url = relative_url(self.page_url, page);
            url.push_str("index.html");
            url.push_str(fragment);
            return Ok(Resolved { url, asset: None });
        }
        if !target.is_file() {
            let what = if is_image { "image" } else { "file" };
            return Err(format!("missing {what}: `{decoded}` does not exist"));
        }
        // Inside by name is not enough: a link on the way may lead out (to the key file).
        self.course.confine(&target).map_err(|d| d.message)?;
        let inside = target.strip_prefix(&course_dir).unwrap_or(&target);
        let site_path = format!("{}{}", self.course_url, site_relative_path(inside));
        // The file's name as it is on disk, escaped so the browser asks for that very file.
        let url = format!(
            "{}{}",
            escape_path(&relative_url(self.page_url, &site_path)),
            fragment
        );
        Ok(Resolved {
            url,
            asset: Some(Asset {
                source: target,
                site_path,
            }),
        })
    }
}

fn is_external(dest: &str) -> bool {
    let scheme_end = dest.find(':');
    let first_slash = dest.find('/');
    match scheme_end {
        Some(i) => first_slash.is_none_or(|s| i < s) && !dest[..i].contains(['#', '?']),
        None => dest.starts_with("//"),
    }
}

/// A course file's place in the site: folder number prefixes dropped, like page URLs.
fn site_relative_path(inside_course: &Path) -> String {
    let parts: Vec<String> = inside_course
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.len().saturating_sub(1);
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i == last {
                part.clone()
            } else {
                split_prefix(part).1.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `path` from the root, with `.` and `..` resolved by name (as far as the system tells).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path)
        .map(|p| normalize(&p))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Where `path` really is: its longest existing ancestor with every link followed, and the rest
/// of it (which does not exist yet) as written. For comparing places that links may disguise.
pub fn real(path: &Path) -> PathBuf {
    let absolute = absolute(path);
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(found) = std::fs::canonicalize(existing) {
            let mut out = found;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Removes `.` and `..` without touching the file system (links may name missing files).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `..` cancels a folder name; at the start of a relative path it stays.
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// The relative URL from the page folder `from` to the site path `to` (both relative to the
/// site root; folders end with '/').
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count();
    // The last part of `to` is a file name (or empty for a folder), never a shared folder.
    let common = common.min(to_parts.len().saturating_sub(1));
    let mut url = "../".repeat(from_dirs.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    url
}

/// The prefix that leads from a page folder back to the site root: `../../`.
pub fn root_prefix(page_url: &str) -> String {
    "../".repeat(page_url.split('/').filter(|s| !s.is_empty()).count())
}

/// A path as a URL: the characters a URL's path cannot hold as they are (`?` and `#` would
/// end it, `%` starts an escape, a space or a comma splits a `srcset`) escaped as `%XX`;
/// letters of any script stay as they are.
pub fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_control() || " \"#%'<>?[\\]^`{|},".contains(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%XX` escapes; a malformed escape, or bytes that are not UTF-8, stay as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_climb_to_the_common_folder() {
        assert_eq!(relative_url("c/m/l/", "c/m/k/"), "../k/");
        assert_eq!(
            relative_url("c/m/l/", "c/assets/x.svg"),
            "../../assets/x.svg"
        );
        assert_eq!(relative_url("c/m/", "c/m/l/"), "l/");
        assert_eq!(relative_url("", "c/"), "c/");
        assert_eq!(relative_url("c/", "c/"), "");
        assert_eq!(
            relative_url("c/m/l/", "assets/sabaq.css"),
            "../../../assets/sabaq.css"
        );
    }

    #[test]
    fn normalize_removes_dots_without_the_file_system() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d.md")),
            PathBuf::from("/a/c/d.md")
        );
    }

    #[test]
    fn external_links_are_recognised() {
        assert!(is_external("https://example.org/x"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example/x.js"));
        assert!(!is_external("02-tracking.md"));
        assert!(!is_external("../a/b.md#x:y"));
    }

    #[test]
    fn folder_prefixes_are_dropped_from_asset_paths() {
        assert_eq!(
            site_relative_path(Path::new("01-budgeting/02-chart.svg")),
            "budgeting/02-chart.svg"
        );
        assert_eq!(
            site_relative_path(Path::new("assets/a.png")),
            "assets/a.png"
        );
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn paths_are_escaped_into_urls_that_lead_back_to_them() {
        for name in [
            "a b.svg",
            "a#b.svg",
            "a?b.svg",
            "100%.svg",
            "x%20y.svg",
            "سبق.svg",
        ] {
            let url = escape_path(&format!("../assets/{name}"));
            assert!(!url[2..].contains(['#', '?', ' ']), "{url}");
            assert_eq!(percent_decode(&url), format!("../assets/{name}"));
        }
    }
}
