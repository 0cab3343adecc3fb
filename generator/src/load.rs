//! Stage 1, loading: finds the courses under a path, reads every file (in parallel), splits front
//! matter, decodes the YAML and orders modules and lessons by their number prefixes.
//! Feeds the plain [`Site`] model to the Markdown stage; every problem becomes a diagnostic.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{CourseConfig, LessonFront, ModuleConfig, SiteConfig};
use crate::confine::Folder;
use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n;
use crate::markdown;
use crate::model::{Course, LeftOut, Lesson, Markdown, Module, Site, Source};
use crate::yaml::{self, KeyIndex, Snippet};

/// Folders inside a course that are not modules.
const RESERVED_DIRS: &[&str] = &["assets", "theme"];

/// Reading speed used when a lesson does not say how long it takes (words per minute).
const WORDS_PER_MINUTE: usize = 180;

/// Loads one course folder or a folder of courses. Returns the site with whatever loaded, and
/// every problem found on the way.
pub fn load_site(root: &Path) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let (course_dirs, site_dir) = match discover_courses(root) {
        Ok(found) => found,
        Err(d) => {
            diagnostics.push(d);
            (Vec::new(), root.to_path_buf())
        }
    };
    let folder = Folder::new(&site_dir, "site folder");
    let config = match load_site_config(&folder) {
        Ok(config) => config,
        Err(d) => {
            diagnostics.push(d);
            SiteConfig::default()
        }
    };
    diagnostics.extend(crate::confine::key_files(&site_dir, &course_dirs));
    let results: Vec<(Option<Course>, Diagnostics)> =
        course_dirs.par_iter().map(|dir| load_course(dir)).collect();
    let mut courses = Vec::new();
    for (course, found) in results {
        diagnostics.extend(found.sorted());
        courses.extend(course);
    }
    let theme_dir = Some(site_dir.join("theme")).filter(|d| d.is_dir());
    let (strings, problems) = i18n::Catalogue::load(theme_dir.as_deref(), &folder);
    diagnostics.extend(problems);
    let site = Site {
        config,
        root: root.to_path_buf(),
        folder,
        theme_dir,
        strings,
        courses,
    };
    (site, diagnostics)
}

/// A folder with `course.yaml` is one course; otherwise each sub-folder with one is.
/// Returns the course folders in name order and the folder that holds `site.yaml`.
fn discover_courses(root: &Path) -> Result<(Vec<PathBuf>, PathBuf), Diagnostic> {
    if !root.is_dir() {
        return Err(Diagnostic::error(
            root,
            "no such folder: point `sabaq` at a course folder or a folder of courses",
        ));
    }
    if root.join("course.yaml").is_file() {
        return Ok((vec![root.to_path_buf()], root.to_path_buf()));
    }
    let mut dirs: Vec<PathBuf> = read_dir_sorted(root)?
        .into_iter()
        .filter(|p| p.is_dir() && p.join("course.yaml").is_file())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Diagnostic::error(
            root,
            "no courses here: a course is a folder with a `course.yaml`",
        )
        .with_help("run `sabaq new DIR` to start one"));
    }
    Ok((dirs, root.to_path_buf()))
}

fn load_site_config(folder: &Folder) -> Result<SiteConfig, Diagnostic> {
    let path = folder.path.join("site.yaml");
    if !path.is_file() {
        return Ok(SiteConfig::default());
    }
    let source = read_source(&path, folder)?;
    Ok(yaml::decode::<SiteConfig>(&Snippet::whole(&path, &source.text))?.value)
}

/// Lists a folder's entries in name order, skipping hidden ones.
pub fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(dir, format!("cannot read folder: {e}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| Diagnostic::error(dir, format!("cannot read folder: {e}")))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        paths.push(entry.path());
    }
    paths.sort();
    Ok(paths)
}

/// The first `len` bytes of a file (fewer if it is shorter), to tell what kind of file it is;
/// `None` when it cannot be read.
pub fn file_head(path: &Path, len: u64) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(len)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Reads a text file of `folder` (refused when a link leads it outside, or it holds a key); a
/// file that is not UTF-8 is reported at its first bad byte.
pub fn read_source(path: &Path, folder: &Folder) -> Result<Source, Diagnostic> {
    let bytes = folder.read(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some((offset, c)) = text
                .char_indices()
                .find(|(_, c)| crate::yaml::is_refused_character(*c))
            {
                return Err(Diagnostic::error(
                    path,
                    format!(
                        "the file holds the control character U+{:04X}, which a web page cannot show",
                        c as u32
                    ),
                )
                .at_offset(text, offset)
                .with_help("delete it (an editor may show it as a box or not at all)"));
            }
            Ok(Source {
                path: path.to_path_buf(),
                text: Arc::from(text),
            })
        }
        Err(e) => {
            let valid = e.valid_up_to();
            // Quote what can be quoted: the line up to the bad byte, decoded lossily.
            let lossy = String::from_utf8_lossy(bytes);
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            Err(Diagnostic::error(
                path,
                format!("file is not valid UTF-8 (bad byte at offset {valid})"),
            )
            .at_offset(&lossy, prefix.len())
            .with_help("save the file with UTF-8 encoding"))
        }
    }
}

/// Splits a leading number prefix from a file or folder name: `01-budgeting` -> (1, "budgeting").
pub fn split_prefix(name: &str) -> (Option<u64>, &str) {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return (None, name);
    }
    let rest = &name[digits..];
    let stripped = rest.trim_start_matches(['-', '_', '.', ' ']);
    if stripped.len() == rest.len() || stripped.is_empty() {
        // "2024report" or "01": the digits are part of the name.
        return (None, name);
    }
    (name[..digits].parse().ok(), stripped)
}

/// A URL-safe slug: lowercase, spaces and underscores become '-'.
pub fn slugify(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '_' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The first character of a page's name that would break the links to its address: `?` and
/// `#` end a URL's path, `%` starts an escape, and the others are not allowed in a URL or in
/// an HTML attribute as they are.
pub fn unsafe_in_address(slug: &str) -> Option<char> {
    slug.chars()
        .find(|c| "?#%\"<>\\^`{|}[]:".contains(*c) || c.is_whitespace() || c.is_control())
}

/// The error for a file or folder whose name cannot be part of a page's address.
fn unsafe_name(path: &Path, slug: &str, c: char) -> Diagnostic {
    Diagnostic::error(
        path,
        format!(
            "the name `{slug}` cannot be a page's address: `{c}` in it would break every link to the page"
        ),
    )
    .with_help("rename it with letters, digits and '-' (spaces and '_' become '-')")
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn load_course(dir: &Path) -> (Option<Course>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let folder = Folder::new(dir, "course folder");
    let config_path = dir.join("course.yaml");
    let config_file = match read_source(&config_path, &folder) {
        Ok(source) => source,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let snippet = Snippet::whole(&config_path, &config_file.text);
    let (config, keys, decoded) = match yaml::decode::<CourseConfig>(&snippet) {
        Ok(d) => (d.value, d.keys, true),
        Err(d) => {
            diagnostics.push(d);
            (CourseConfig::default(), KeyIndex::default(), false)
        }
    };
    // Modules load even when course.yaml is broken, so one build reports both.
    let modules = load_modules(&folder, &mut diagnostics);

    let id = match &config.id {
        Some(id) if is_valid_id(id) => id.clone(),
        Some(id) => {
            diagnostics.push(
                snippet
                    .error_at(keys.locate("id"), format!("course id `{id}` is not valid"))
                    .with_help("use lowercase letters, digits and '-', such as `money-basics`"),
            );
            id.clone()
        }
        None if !decoded => String::new(),
        None => {
            diagnostics.push(
                snippet
                    .error_at_start("course.yaml has no `id`")
                    .with_help("add a stable id such as `id: money-basics`"),
            );
            String::new()
        }
    };
    let title = match config.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() => title.to_string(),
        _ if !decoded => String::new(),
        _ => {
            diagnostics.push(
                snippet
                    .error_at(keys.locate("title"), "course.yaml has no `title`")
                    .with_help("add `title: ...`, the name learners see"),
            );
            String::new()
        }
    };
    if let Some(kb) = config.max_image_kb
        && kb.checked_mul(1024).is_none()
    {
        diagnostics.push(snippet.error_at(
            keys.locate("max_image_kb"),
            format!(
                "max_image_kb {kb} does not fit: it is at most {}",
                u64::MAX / 1024
            ),
        ));
    }
    if let Some(pattern) = &config.learner.pattern
        && let Err(error) = crate::js_pattern::check(pattern)
    {
        diagnostics.push(
            snippet
                .error_at(
                    keys.locate("learner.pattern"),
                    format!(
                        "the learner pattern `{pattern}` does not compile in the browser (at its character {}): {}",
                        error.at + 1,
                        error.message
                    ),
                )
                .with_help("browsers read `pattern` with the `v` flag and ignore one that does not compile, and then accept any id"),
        );
    }
    if modules.iter().all(|m| m.lessons.is_empty()) {
        diagnostics.push(
            Diagnostic::error(&config_path, "the course has no lessons")
                .with_help("add a module folder such as `01-basics/` with a lesson `01-intro.md`"),
        );
    }
    let theme_dir = Some(dir.join("theme")).filter(|d| d.is_dir());
    let course = Course {
        id,
        title,
        language: config.language,
        summary: config.summary,
        issuer: config.issuer,
        credentials: config.credentials,
        learner: config.learner,
        translation_of: config.translation_of,
        max_image_kb: config
            .max_image_kb
            .unwrap_or(crate::images::DEFAULT_MAX_IMAGE_KB),
        dir: dir.to_path_buf(),
        folder,
        config_file,
        config_keys: keys,
        theme_dir,
        modules,
    };
    (Some(course), diagnostics)
}

fn load_modules(course: &Folder, diagnostics: &mut Diagnostics) -> Vec<Module> {
    let entries = match read_dir_sorted(&course.path) {
        Ok(entries) => entries,
        Err(d) => {
            diagnostics.push(d);
            return Vec::new();
        }
    };
    let mut module_dirs = Vec::new();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if !RESERVED_DIRS.contains(&name.as_ref()) {
                module_dirs.push(path);
            }
        } else if name.ends_with(".md") && name != "README.md" {
            diagnostics.push(
                Diagnostic::warning(
                    &path,
                    "this Markdown file is outside every module and is not part of the course",
                )
                .with_help("move it into a module folder"),
            );
        }
    }
    let results: Vec<(Option<Module>, Diagnostics)> = module_dirs
        .par_iter()
        .map(|dir| load_module(dir, course))
        .collect();
    let mut modules: Vec<(Option<u64>, Module)> = Vec::new();
    for (module, found) in results {
        diagnostics.extend(found.sorted());
        if let Some(module) = module {
            let name = module.dir.file_name().unwrap_or_default().to_string_lossy();
            modules.push((split_prefix(&name).0, module));
        }
    }
    modules.sort_by(|(a, ma), (b, mb)| sort_key(*a).cmp(&sort_key(*b)).then(ma.dir.cmp(&mb.dir)));
    let modules: Vec<Module> = modules.into_iter().map(|(_, m)| m).collect();
    for (i, module) in modules.iter().enumerate() {
        if let Some(first) = modules[..i].iter().find(|m| m.slug == module.slug) {
            diagnostics.push(Diagnostic::error(
                &module.dir,
                format!(
                    "duplicate module id `{}`: `{}` has the same name once its number is dropped",
                    module.slug,
                    first.dir.display()
                ),
            ));
        }
    }
    modules
}

/// Numbered items first, in number order; then the rest by name.
fn sort_key(number: Option<impl Into<i128>>) -> (bool, i128) {
    match number {
        Some(n) => (false, n.into()),
        None => (true, 0),
    }
}

fn load_module(dir: &Path, course: &Folder) -> (Option<Module>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let name = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let slug = slugify(split_prefix(&name).1);
    if let Some(c) = unsafe_in_address(&slug) {
        diagnostics.push(unsafe_name(dir, &slug, c));
    }

    let yaml_path = dir.join("module.yaml");
    let mut config = ModuleConfig::default();
    if yaml_path.is_file() {
        match read_source(&yaml_path, course).and_then(|source| {
            yaml::decode::<ModuleConfig>(&Snippet::whole(&yaml_path, &source.text))
        }) {
            Ok(decoded) => config = decoded.value,
            Err(d) => diagnostics.push(d),
        }
    }

    let index_path = dir.join("index.md");
    let mut overview = None;
    if index_path.is_file() {
        match read_markdown::<ModuleConfig>(&index_path, course) {
            Ok((front, markdown, h1)) => {
                merge_module_config(
                    &mut config,
                    front,
                    &markdown,
                    yaml_path.is_file(),
                    &mut diagnostics,
                );
                if config.title.is_none() {
                    config.title = h1;
                }
                overview = Some(markdown);
            }
            Err(d) => diagnostics.push(d),
        }
    }

    let lesson_paths: Vec<PathBuf> = match read_dir_sorted(dir) {
        Ok(entries) => entries
            .into_iter()
            .filter(|p| {
                // Not `is_file()`: a lesson that cannot be read (a broken link) must be
                // reported, not skipped.
                !p.is_dir()
                    && p.extension().is_some_and(|e| e == "md")
                    && p.file_name().is_some_and(|n| n != "index.md")
            })
            .collect(),
        Err(d) => {
            diagnostics.push(d);
            Vec::new()
        }
    };
    let results: Vec<Result<Option<OrderedLesson>, Diagnostic>> = lesson_paths
        .par_iter()
        .map(|p| load_lesson(p, course))
        .collect();
    let mut lessons = Vec::new();
    let mut left_out = Vec::new();
    for (path, result) in lesson_paths.iter().zip(results) {
        match result {
            Ok(Some(lesson)) => lessons.push(lesson),
            Ok(None) => left_out.push((path.clone(), LeftOut::Draft)),
            Err(d) => {
                diagnostics.push(d);
                left_out.push((path.clone(), LeftOut::Broken));
            }
        }
    }
    lessons.sort_by(|(a, la), (b, lb)| {
        sort_key(*a)
            .cmp(&sort_key(*b))
            .then(la.markdown.source.path.cmp(&lb.markdown.source.path))
    });
    let lessons: Vec<Lesson> = lessons.into_iter().map(|(_, l)| l).collect();
    for (i, lesson) in lessons.iter().enumerate() {
        if let Some(first) = lessons[..i].iter().find(|l| l.slug == lesson.slug) {
            diagnostics.push(Diagnostic::error(
                &lesson.markdown.source.path,
                format!(
                    "duplicate lesson id `{}`: `{}` has the same name once its number is dropped",
                    lesson.slug,
                    first.markdown.source.path.display()
                ),
            ));
        }
    }
    if lessons.is_empty() && lesson_paths.is_empty() {
        diagnostics.push(
            Diagnostic::error(dir, "the module has no lessons")
                .with_help("add a lesson file such as `01-intro.md`"),
        );
    }

    let title = match config.title {
        Some(title) if !title.trim().is_empty() => title.trim().to_string(),
        _ => {
            let at = if yaml_path.is_file() {
                yaml_path
            } else {
                dir.to_path_buf()
            };
            diagnostics.push(
                Diagnostic::error(at, format!("module `{slug}` has no title")).with_help(
                    "add `title:` to module.yaml, or an index.md that starts with a `# heading`",
                ),
            );
            String::new()
        }
    };
    let module = Module {
        slug,
        title,
        outcomes: config.outcomes.unwrap_or_default(),
        minutes: config.minutes,
        dir: dir.to_path_buf(),
        overview,
        lessons,
        left_out,
    };
    (Some(module), diagnostics)
}

/// Fills what module.yaml left open from index.md's front matter; a key set in both is an error,
/// since one of them would silently lose.
fn merge_module_config(
    config: &mut ModuleConfig,
    front: ModuleConfig,
    index: &Markdown,
    has_module_yaml: bool,
    diagnostics: &mut Diagnostics,
) {
    let mut clash = |key: &str| {
        diagnostics.push(
            Diagnostic::error(
                &index.source.path,
                format!("`{key}` is set both here and in module.yaml"),
            )
            .with_help("keep it in one place"),
        );
    };
    if front.title.is_some() && config.title.is_some() && has_module_yaml {
        clash("title");
    }
    if front.outcomes.is_some() && config.outcomes.is_some() {
        clash("outcomes");
    }
    if front.minutes.is_some() && config.minutes.is_some() {
        clash("minutes");
    }
    config.title = config.title.take().or(front.title);
    config.outcomes = config.outcomes.take().or(front.outcomes);
    config.minutes = config.minutes.or(front.minutes);
}

/// A lesson with its sort number (front matter `order`, else the file's number prefix).
type OrderedLesson = (Option<i64>, Lesson);

fn load_lesson(path: &Path, course: &Folder) -> Result<Option<OrderedLesson>, Diagnostic> {
    let (front, markdown, h1) = read_markdown::<LessonFront>(path, course)?;
    if front.draft {
        return Ok(None);
    }
    let name = path.file_stem().unwrap_or_default().to_string_lossy();
    let (number, rest) = split_prefix(&name);
    let slug = slugify(rest);
    if let Some(c) = unsafe_in_address(&slug) {
        return Err(unsafe_name(path, &slug, c));
    }
    let title = match front.title.filter(|t| !t.trim().is_empty()).or(h1) {
        Some(title) => title,
        None => {
            return Err(Diagnostic::error(path, "the lesson has no title")
                .at_offset(&markdown.source.text, 0)
                .with_help("start it with a `# heading`, or add `title:` front matter"));
        }
    };
    let minutes = front
        .minutes
        .unwrap_or_else(|| estimate_minutes(markdown.body()));
    let order = front.order.or(number.map(|n| n as i64));
    let lesson = Lesson {
        slug,
        title,
        minutes,
        markdown,
    };
    Ok(Some((order, lesson)))
}

fn estimate_minutes(body: &str) -> u32 {
    let words = body.split_whitespace().count();
    words.div_ceil(WORDS_PER_MINUTE).max(1) as u32
}

/// Reads a Markdown file, decodes its front matter as `F` (defaults when absent) and finds the
/// first `# heading`, which stands in for a missing title and is then not shown twice.
fn read_markdown<F: serde::de::DeserializeOwned + Default>(
    path: &Path,
    course: &Folder,
) -> Result<(F, Markdown, Option<String>), Diagnostic> {
    let source = read_source(path, course)?;
    let (front, body_start) = match split_front_matter(&source.text) {
        FrontMatter::None => (F::default(), 0),
        FrontMatter::Unclosed => {
            return Err(Diagnostic::error(path, "front matter is not closed")
                .at_line_col(&source.text, 1, 1)
                .with_help("end it with a line holding only `---`"));
        }
        FrontMatter::Yaml { yaml, body_start } => {
            let snippet = Snippet {
                path,
                file_text: &source.text,
                text: &source.text[yaml],
                first_line: 1,
                indent: 0,
            };
            (yaml::decode::<F>(&snippet)?.value, body_start)
        }
    };
    let mut markdown = Markdown {
        source,
        body_start,
        title_heading: None,
    };
    let h1 = markdown::first_h1(markdown.body()).map(|(title, range)| {
        markdown.title_heading = Some(range.start + body_start..range.end + body_start);
        title
    });
    Ok((front, markdown, h1))
}

enum FrontMatter {
    None,
    Unclosed,
    Yaml {
        yaml: std::ops::Range<usize>,
        body_start: usize,
    },
}

/// Front matter is YAML between a first line `---` and the next line `---` (or `...`).
fn split_front_matter(text: &str) -> FrontMatter {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return FrontMatter::None;
    };
    let yaml_start = text.len() - rest.len();
    let mut offset = yaml_start;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            return FrontMatter::Yaml {
                yaml: yaml_start..offset,
                body_start: offset + line.len(),
            };
        }
        offset += line.len();
    }
    FrontMatter::Unclosed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_prefixes_order_and_are_dropped() {
        assert_eq!(split_prefix("01-budgeting"), (Some(1), "budgeting"));
        assert_eq!(
            split_prefix("10_tracking-cash"),
            (Some(10), "tracking-cash")
        );
        assert_eq!(split_prefix("budgeting"), (None, "budgeting"));
        assert_eq!(split_prefix("2024report"), (None, "2024report"));
        assert_eq!(split_prefix("42"), (None, "42"));
    }

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "---\ntitle: A\n---\n# Body\n";
        match split_front_matter(text) {
            FrontMatter::Yaml { yaml, body_start } => {
                assert_eq!(&text[yaml], "title: A\n");
                assert_eq!(&text[body_start..], "# Body\n");
            }
            _ => panic!("front matter not found"),
        }
        assert!(matches!(
            split_front_matter("# No front matter"),
            FrontMatter::None
        ));
        assert!(matches!(
            split_front_matter("---\ntitle: A\n"),
            FrontMatter::Unclosed
        ));
    }

    #[test]
    fn ids_are_lowercase_letters_digits_and_dashes() {
        assert!(is_valid_id("money-basics-2"));
        assert!(!is_valid_id("Money"));
        assert!(!is_valid_id("money basics"));
        assert!(!is_valid_id("-x"));
    }

    #[test]
    fn minutes_are_estimated_from_word_count() {
        assert_eq!(estimate_minutes("word "), 1);
        assert_eq!(estimate_minutes(&"word ".repeat(361)), 3);
    }
}
