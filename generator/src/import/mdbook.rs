//! mdBook books turned into a course: `book.toml` gives the course, `SUMMARY.md` its shape
//! (each top-level chapter a module, the chapter and everything nested under it its lessons, in
//! order), chapters are copied with their links and images re-pointed, and every
//! `{{#quiz file.toml}}` of mdbook-quiz becomes a quiz block.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};
use serde::Deserialize;

use crate::confine::{Folder, refuse_key};
use crate::diag::Diagnostic;
use crate::import::emit::{self, Kind, Question};
use crate::import::{check_question, front_matter, unique_id};
use crate::links::{self, normalize};

/// The course an import makes: files relative to the course folder, and what it reported.
#[derive(Debug, Default)]
pub struct Imported {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub diagnostics: Vec<Diagnostic>,
    pub modules: usize,
    pub lessons: usize,
    pub questions: usize,
}

impl Imported {
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

#[derive(Debug, Deserialize, Default)]
struct BookToml {
    #[serde(default)]
    book: BookSection,
}

#[derive(Debug, Deserialize, Default)]
struct BookSection {
    title: Option<String>,
    description: Option<String>,
    language: Option<String>,
    src: Option<String>,
}

/// One entry of SUMMARY.md.
#[derive(Debug, Clone)]
struct Chapter {
    title: String,
    /// Relative to the book's source folder; `None` for a draft chapter.
    path: Option<PathBuf>,
    children: Vec<Chapter>,
}

/// Reads the book in `book_dir` into a course with id `course_id` (default: from the title).
pub fn import(book_dir: &Path, course_id: Option<&str>) -> Imported {
    let mut out = Imported::default();
    let book = Folder::new(book_dir, "book folder");
    let toml_path = book_dir.join("book.toml");
    let config = match read_text(&book, &toml_path) {
        Ok(text) => match toml::from_str::<BookToml>(&text) {
            Ok(config) => config,
            Err(e) => {
                out.diagnostics.push(toml_problem(
                    &toml_path,
                    &text,
                    "book.toml does not read",
                    &e,
                ));
                return out;
            }
        },
        Err(e) => {
            out.diagnostics.push(Diagnostic::error(
                &toml_path,
                format!("cannot read it ({e}): is {} an mdBook?", book_dir.display()),
            ));
            return out;
        }
    };
    let src = book_dir.join(config.book.src.as_deref().unwrap_or("src"));
    let summary_path = src.join("SUMMARY.md");
    let summary = match read_text(&book, &summary_path) {
        Ok(text) => text,
        Err(e) => {
            out.diagnostics.push(Diagnostic::error(
                &summary_path,
                format!("cannot read it: {e}"),
            ));
            return out;
        }
    };
    let chapters = read_summary(&summary_path, &summary, &mut out.diagnostics);
    let title = config
        .book
        .title
        .clone()
        .unwrap_or_else(|| "Imported book".to_string());
    let id = course_id
        .map(str::to_string)
        .unwrap_or_else(|| match emit::id_from(&title) {
            id if id.is_empty() => "imported-book".to_string(),
            id => id,
        });
    let summary_text = config
        .book
        .description
        .clone()
        .unwrap_or_else(|| format!("Imported from the mdBook \"{title}\"."));
    out.files.insert(
        PathBuf::from("course.yaml"),
        format!(
            "id: {id}\ntitle: {}\nlanguage: {}\nsummary: {}\n",
            emit::quoted(&title),
            emit::quoted(config.book.language.as_deref().unwrap_or("en")),
            emit::quoted(summary_text.trim())
        )
        .into_bytes(),
    );

    // Where each chapter goes, so links between chapters can follow them.
    let mut lessons_of: Vec<(String, Vec<Chapter>)> = Vec::new();
    for chapter in &chapters {
        let mut lessons = Vec::new();
        flatten(chapter, &mut lessons);
        lessons.retain(|c| c.path.is_some());
        if lessons.is_empty() {
            continue;
        }
        lessons_of.push((chapter.title.clone(), lessons));
    }
    let mut placed: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut module_dirs = HashSet::new();
    let mut plan = Vec::new();
    for (m, (module_title, lessons)) in lessons_of.iter().enumerate() {
        let dir = PathBuf::from(format!(
            "{:02}-{}",
            m + 1,
            unique_name(module_title, "module", &mut module_dirs)
        ));
        let mut lesson_names = HashSet::new();
        let mut files = Vec::new();
        for (l, lesson) in lessons.iter().enumerate() {
            let source = lesson.path.clone().expect("drafts were left out");
            let file = dir.join(format!(
                "{:02}-{}.md",
                l + 1,
                unique_name(&lesson.title, "lesson", &mut lesson_names)
            ));
            placed.insert(normalize(&source), file.clone());
            files.push((lesson.clone(), source, file));
        }
        plan.push((dir, module_title.clone(), files));
    }

    let mut quiz_ids = HashSet::new();
    let mut assets: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for (dir, module_title, files) in plan {
        out.modules += 1;
        out.files.insert(
            dir.join("module.yaml"),
            format!("title: {}\n", emit::quoted(&module_title)).into_bytes(),
        );
        for (chapter, source, file) in files {
            let path = src.join(&source);
            let text = match read_text(&book, &path) {
                Ok(text) => text,
                Err(e) => {
                    out.diagnostics.push(Diagnostic::error(
                        &path,
                        format!("cannot read the chapter: {e}"),
                    ));
                    continue;
                }
            };
            let mut converter = ChapterConverter {
                book: &book,
                src: &src,
                source: &source,
                path: &path,
                text: &text,
                file: &file,
                placed: &placed,
                assets: &mut assets,
                quiz_ids: &mut quiz_ids,
                diagnostics: &mut out.diagnostics,
                questions: 0,
            };
            let body = converter.convert();
            out.questions += converter.questions;
            let lesson = if text.trim_start().starts_with("# ") {
                body
            } else {
                format!("{}\n{body}", front_matter(&chapter.title))
            };
            out.files.insert(file, lesson.into_bytes());
            out.lessons += 1;
        }
    }
    for (source, target) in assets {
        match read_file(&book, &src.join(&source)) {
            Ok(bytes) => {
                out.files.insert(target, bytes);
            }
            Err(e) => out.diagnostics.push(Diagnostic::error(
                src.join(&source),
                format!("cannot read it: {e}"),
            )),
        }
    }
    out
}

/// Reads a file of the book: refused when a link leads it outside the book's folder, or it
/// holds the institution's key (an import copies what it reads into a course). `Err` says why.
fn read_file(book: &Folder, path: &Path) -> Result<Vec<u8>, String> {
    book.confine(path).map_err(|d| d.message)?;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    refuse_key(path, &bytes).map_err(|d| d.message)?;
    Ok(bytes)
}

/// [`read_file`] of a text file.
fn read_text(book: &Folder, path: &Path) -> Result<String, String> {
    String::from_utf8(read_file(book, path)?).map_err(|_| "it is not valid UTF-8".to_string())
}

/// A folder or file name from a title, `fallback` when the title has no ASCII letters or
/// digits (an Urdu chapter title), unique among `used`.
fn unique_name(title: &str, fallback: &str, used: &mut HashSet<String>) -> String {
    let name = match emit::id_from(title) {
        id if id.is_empty() => fallback.to_string(),
        id => id,
    };
    unique_id(&name, used)
}

/// A TOML file that does not read, at the place the parser names.
fn toml_problem(path: &Path, text: &str, what: &str, error: &toml::de::Error) -> Diagnostic {
    let problem = Diagnostic::error(path, format!("{what}: {}", error.message()));
    match error.span() {
        Some(span) => problem.at_offset(text, span.start),
        None => problem,
    }
}

/// A chapter and everything nested under it, in reading order.
fn flatten(chapter: &Chapter, into: &mut Vec<Chapter>) {
    into.push(chapter.clone());
    for child in &chapter.children {
        flatten(child, into);
    }
}

/// SUMMARY.md as a list of top-level chapters: prefix chapters, the numbered chapters (with
/// their nesting) and suffix chapters, in order.
fn read_summary(path: &Path, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Chapter> {
    let mut top: Vec<Chapter> = Vec::new();
    // (indent, path of indices from the top) of the open list items.
    let mut stack: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut seen_title = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let content = line.trim_end();
        let rest = content.trim_start();
        if rest.is_empty() || rest == "---" || rest == "***" || rest == "___" {
            continue;
        }
        if rest.starts_with('#') {
            if seen_title || !top.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        path,
                        format!(
                            "part title `{}`: a course has no parts, so its chapters follow the ones before as modules",
                            rest.trim_start_matches('#').trim()
                        ),
                    )
                    .at_offset(text, at),
                );
            }
            seen_title = true;
            continue;
        }
        let indent = content.len() - rest.len();
        let (item, numbered) = match rest.strip_prefix("- ").or_else(|| rest.strip_prefix("* ")) {
            Some(item) => (item.trim(), true),
            None => (rest, false),
        };
        let Some((title, target)) = parse_link(item) else {
            diagnostics.push(
                Diagnostic::warning(
                    path,
                    format!("`{rest}` is not a chapter link `[Title](file.md)`; it is left out"),
                )
                .at_offset(text, at),
            );
            continue;
        };
        let chapter = Chapter {
            title: title.to_string(),
            path: (!target.is_empty()).then(|| PathBuf::from(target)),
            children: Vec::new(),
        };
        if chapter.path.is_none() {
            diagnostics.push(
                Diagnostic::warning(
                    path,
                    format!("`{title}` is a draft chapter with no file; it is left out"),
                )
                .at_offset(text, at),
            );
        }
        if !numbered {
            stack.clear();
            top.push(chapter);
            continue;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let trail = match stack.last() {
            None => {
                top.push(chapter);
                vec![top.len() - 1]
            }
            Some((_, parent)) => {
                let mut node = &mut top[parent[0]];
                for &i in &parent[1..] {
                    node = &mut node.children[i];
                }
                node.children.push(chapter);
                let mut trail = parent.clone();
                trail.push(node.children.len() - 1);
                trail
            }
        };
        stack.push((indent, trail));
    }
    top
}

/// `[Title](target)` → (title, target).
fn parse_link(item: &str) -> Option<(&str, &str)> {
    let item = item.strip_prefix('[')?;
    let close = item.rfind("](")?;
    let target = item[close + 2..].strip_suffix(')')?;
    Some((item[..close].trim(), target.trim()))
}

/// `to` relative to the folder of `from` (course files, both relative to the course folder),
/// as a link.
fn relative(from: &Path, to: &Path) -> String {
    let site_path = |p: &Path| {
        p.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    let folder = from.parent().map(site_path).unwrap_or_default();
    links::relative_url(&format!("{folder}/"), &site_path(to))
}

struct ChapterConverter<'a> {
    /// The book's folder: what every file read must really be in.
    book: &'a Folder,
    src: &'a Path,
    /// The chapter's path relative to `src`.
    source: &'a Path,
    /// The chapter's path on disk.
    path: &'a Path,
    text: &'a str,
    /// Where the lesson goes, relative to the course.
    file: &'a Path,
    placed: &'a BTreeMap<PathBuf, PathBuf>,
    assets: &'a mut BTreeMap<PathBuf, PathBuf>,
    quiz_ids: &'a mut HashSet<String>,
    diagnostics: &'a mut Vec<Diagnostic>,
    questions: usize,
}

impl ChapterConverter<'_> {
    fn convert(&mut self) -> String {
        let linked = self.relink();
        self.directives(&linked)
    }

    /// The chapter with every relative link and image re-pointed at where its target went
    /// (parsed as the build parses it, reference definitions included).
    fn relink(&mut self) -> String {
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let parser = Parser::new_ext(self.text, crate::markdown::options());
        let definitions: Vec<(String, std::ops::Range<usize>)> = parser
            .reference_definitions()
            .iter()
            .map(|(_, def)| (def.dest.to_string(), def.span.clone()))
            .collect();
        for (event, range) in parser.into_offset_iter() {
            let dest = match &event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    dest_url.to_string()
                }
                Event::Html(html) | Event::InlineHtml(html)
                    if html.contains("src=") || html.contains("href=") =>
                {
                    self.warn(
                        range.start,
                        "a link or image in raw HTML is not re-pointed; write it as Markdown"
                            .to_string(),
                    );
                    continue;
                }
                _ => continue,
            };
            // A reference link's destination stands in its definition, handled below.
            let span = &self.text[range.clone()];
            let Some(at) = span.rfind("](").and_then(|open| {
                span[open..]
                    .find(dest.as_str())
                    .map(|i| range.start + open + i)
            }) else {
                continue;
            };
            if let Some(new) = self.retarget(&dest, at) {
                edits.push((at..at + dest.len(), new));
            }
        }
        for (dest, span) in definitions {
            let Some(i) = self.text[span.clone()].find(dest.as_str()) else {
                continue;
            };
            let at = span.start + i;
            if let Some(new) = self.retarget(&dest, at) {
                edits.push((at..at + dest.len(), new));
            }
        }
        let mut out = self.text.to_string();
        edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        for (range, new) in edits {
            out.replace_range(range, &new);
        }
        out
    }

    /// Where a relative link of the chapter should point in the course, if it changes.
    fn retarget(&mut self, dest: &str, at: usize) -> Option<String> {
        if dest.is_empty()
            || dest.starts_with('#')
            || dest.contains("://")
            || dest.starts_with("mailto:")
        {
            return None;
        }
        let (file, rest) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if file.starts_with('/') {
            self.warn(at, format!("`{dest}` starts with `/`: a course must work from any folder; link it relative to the chapter"));
            return None;
        }
        let decoded = crate::links::percent_decode(file);
        let target = normalize(&self.source.parent().unwrap_or(Path::new("")).join(&decoded));
        if target.components().next() == Some(Component::ParentDir) || target.is_absolute() {
            self.warn(
                at,
                format!("`{dest}` is outside the book's source folder: it is not copied and the link is left as it is"),
            );
            return None;
        }
        if let Some(lesson) = self.placed.get(&target) {
            return Some(format!("{}{rest}", relative(self.file, lesson)));
        }
        if decoded.ends_with(".md") {
            self.warn(
                at,
                format!(
                    "`{dest}` is a chapter that SUMMARY.md does not list; the link will not resolve"
                ),
            );
            return None;
        }
        if !self.src.join(&target).is_file() {
            self.warn(
                at,
                format!("`{dest}` does not exist in the book; the link is left as it is"),
            );
            return None;
        }
        let asset = Path::new("assets").join(&target);
        self.assets.insert(target, asset.clone());
        Some(format!("{}{rest}", relative(self.file, &asset)))
    }

    fn warn(&mut self, at: usize, message: String) {
        self.diagnostics
            .push(Diagnostic::warning(self.path, message).at_offset(self.text, at));
    }

    fn error(&mut self, at: usize, message: String) {
        self.diagnostics
            .push(Diagnostic::error(self.path, message).at_offset(self.text, at));
    }

    /// `{{#quiz file.toml}}` as quiz blocks and `{{#include file}}` as the file's text; any
    /// other mdBook directive is reported and left as it is.
    fn directives(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        let mut consumed = 0;
        while let Some(start) = rest.find("{{#") {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let directive = &rest[start + 3..start + len];
            let at = self.original_offset(text, consumed + start);
            out.push_str(&rest[..start]);
            let (name, argument) = directive
                .trim()
                .split_once(char::is_whitespace)
                .map_or((directive.trim(), ""), |(n, a)| (n, a.trim()));
            let line_start = out.rfind('\n').map_or(0, |i| i + 1);
            let before_on_line = &out[line_start..];
            let after_on_line = rest[start + len + 2..].split('\n').next().unwrap_or("");
            let replacement = match name {
                "quiz" => self.quiz(argument, at).map(|block| {
                    // A fence must start its line: an indented or shared line would break it.
                    if before_on_line.is_empty() && after_on_line.trim().is_empty() {
                        return block;
                    }
                    self.warn(
                        at,
                        "`{{#quiz}}` is indented or shares its line: the quiz block is placed on lines of its own at the left margin (inside a list or quote it ends that list or quote)".to_string(),
                    );
                    format!("\n\n{block}\n\n")
                }),
                "include" if !argument.contains(':') => self.include(argument, at),
                _ => {
                    self.warn(
                        at,
                        format!("the mdBook directive `{{{{#{}}}}}` has no counterpart in a course; it is left as text", directive.trim()),
                    );
                    None
                }
            };
            match replacement {
                Some(text) => out.push_str(&text),
                None => out.push_str(&rest[start..start + len + 2]),
            }
            consumed += start + len + 2;
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        out
    }

    /// A position in the relinked text, mapped to the chapter file (relinking changes only
    /// link targets, so the offset is close; it is only used to point at a line).
    fn original_offset(&self, converted: &str, at: usize) -> usize {
        let line = converted[..at.min(converted.len())].matches('\n').count();
        self.text
            .split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum()
    }

    /// A file named relative to the chapter.
    fn beside(&self, argument: &str) -> PathBuf {
        normalize(&self.path.parent().unwrap_or(Path::new("")).join(argument))
    }

    fn include(&mut self, argument: &str, at: usize) -> Option<String> {
        let path = self.beside(argument);
        match read_text(self.book, &path) {
            Ok(text) => Some(text.trim_end().to_string()),
            Err(e) => {
                self.error(at, format!("cannot include `{argument}`: {e}"));
                None
            }
        }
    }

    fn quiz(&mut self, argument: &str, at: usize) -> Option<String> {
        let path = self.beside(argument);
        let text = match read_text(self.book, &path) {
            Ok(text) => text,
            Err(e) => {
                self.error(at, format!("cannot read the quiz `{argument}`: {e}"));
                return None;
            }
        };
        let quiz: QuizToml = match toml::from_str(&text) {
            Ok(quiz) => quiz,
            Err(e) => {
                self.diagnostics
                    .push(toml_problem(&path, &text, "not an mdbook-quiz quiz", &e));
                return None;
            }
        };
        let mut questions = Vec::new();
        let mut failed = false;
        for (index, raw) in quiz.questions.iter().enumerate() {
            let at_question = question_offset(&text, index);
            let mut question = convert_question(raw);
            if let Some(part) = &raw.fields().multipart {
                match quiz.multipart.get(part) {
                    Some(context) => {
                        question.prompt = format!("{}\n\n{}", context.trim(), question.prompt);
                    }
                    None => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                &path,
                                format!(
                                    "multipart `{part}` is not in the quiz's [multipart] table"
                                ),
                            )
                            .at_offset(&text, at_question),
                        );
                        failed = true;
                        continue;
                    }
                }
            }
            for note in question
                .notes
                .iter()
                .filter(|n| n.starts_with("Not carried over"))
            {
                self.diagnostics
                    .push(Diagnostic::warning(&path, note.clone()).at_offset(&text, at_question));
            }
            let problems = check_question(&question);
            if problems.is_empty() {
                questions.push(question);
            } else {
                failed = true;
                for problem in problems {
                    self.diagnostics.push(
                        Diagnostic::error(
                            &path,
                            format!("the converted question does not check: {problem}"),
                        )
                        .at_offset(&text, at_question),
                    );
                }
            }
        }
        if failed || questions.is_empty() {
            if questions.is_empty() && !failed {
                self.warn(at, format!("the quiz `{argument}` has no questions"));
            }
            return None;
        }
        self.questions += questions.len();
        let stem = Path::new(argument)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = unique_id(&stem, self.quiz_ids);
        Some(emit::quiz_block(&id, &questions).trim_end().to_string())
    }
}

/// Where the `index`th `[[questions]]` table starts in a quiz file.
fn question_offset(text: &str, index: usize) -> usize {
    text.match_indices("[[questions]]")
        .nth(index)
        .map_or(0, |(i, _)| i)
}

/// An mdbook-quiz quiz file.
#[derive(Debug, Deserialize)]
struct QuizToml {
    questions: Vec<QuizQuestion>,
    #[serde(default)]
    multipart: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
enum QuizQuestion {
    ShortAnswer(Fields<ShortAnswerPrompt, ShortAnswerAnswer>),
    MultipleChoice(Fields<MultipleChoicePrompt, MultipleChoiceAnswer>),
    Tracing(Fields<TracingPrompt, TracingAnswer>),
}

impl QuizQuestion {
    fn fields(&self) -> Common<'_> {
        match self {
            QuizQuestion::ShortAnswer(f) => f.common(),
            QuizQuestion::MultipleChoice(f) => f.common(),
            QuizQuestion::Tracing(f) => f.common(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fields<P, A> {
    id: Option<String>,
    multipart: Option<String>,
    prompt: P,
    answer: A,
    context: Option<String>,
    prompt_explanation: Option<bool>,
}

struct Common<'a> {
    id: Option<&'a str>,
    multipart: &'a Option<String>,
    context: Option<&'a str>,
    prompt_explanation: bool,
}

impl<P, A> Fields<P, A> {
    fn common(&self) -> Common<'_> {
        Common {
            id: self.id.as_deref(),
            multipart: &self.multipart,
            context: self.context.as_deref(),
            prompt_explanation: self.prompt_explanation.unwrap_or(false),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ShortAnswerPrompt {
    prompt: String,
    response: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ShortAnswerAnswer {
    answer: String,
    #[serde(default)]
    alternatives: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MultipleChoicePrompt {
    prompt: String,
    distractors: Vec<String>,
    answer_index: Option<usize>,
    sort_answers: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
struct MultipleChoiceAnswer {
    answer: OneOrMany,
}

#[derive(Debug, Deserialize)]
struct TracingPrompt {
    program: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TracingAnswer {
    does_compile: bool,
    stdout: Option<String>,
    line_number: Option<usize>,
}

/// One mdbook-quiz question in the course format.
fn convert_question(raw: &QuizQuestion) -> Question {
    let common = raw.fields();
    let mut notes = Vec::new();
    if let Some(id) = common.id {
        notes.push(format!("mdbook-quiz id: {id}"));
    }
    if common.prompt_explanation {
        notes.push("Not carried over: promptExplanation (asking for a written justification) has no counterpart".to_string());
    }
    let mut explanation = common.context.map(|c| c.trim().to_string());
    let (kind, prompt) = match raw {
        QuizQuestion::ShortAnswer(f) => {
            if f.prompt.response.as_deref().is_some_and(|r| r != "short") {
                notes.push(format!(
                    "Not carried over: the `{}` response box; the answer is typed in one line and compared as text",
                    f.prompt.response.as_deref().unwrap_or_default()
                ));
            }
            let mut answers = vec![f.answer.answer.trim().to_string()];
            answers.extend(f.answer.alternatives.iter().map(|a| a.trim().to_string()));
            (Kind::Text(answers), f.prompt.prompt.trim().to_string())
        }
        QuizQuestion::MultipleChoice(f) => {
            if f.prompt.answer_index.is_some() || f.prompt.sort_answers.is_some() {
                notes.push("Not carried over: answerIndex / sortAnswers; the options are ordered as course quizzes order them".to_string());
            }
            let distractors = f
                .prompt
                .distractors
                .iter()
                .map(|d| d.trim().to_string())
                .collect();
            let kind = match &f.answer.answer {
                OneOrMany::One(answer) => Kind::Single {
                    answer: answer.trim().to_string(),
                    distractors,
                },
                OneOrMany::Many(answers) if answers.len() == 1 => Kind::Single {
                    answer: answers[0].trim().to_string(),
                    distractors,
                },
                OneOrMany::Many(answers) => Kind::Multiple {
                    answers: answers.iter().map(|a| a.trim().to_string()).collect(),
                    distractors,
                },
            };
            (kind, f.prompt.prompt.trim().to_string())
        }
        QuizQuestion::Tracing(f) => {
            let prompt = format!(
                "Does this program compile? If it does, what does it print?\n\n```rust\n{}\n```",
                f.prompt.program.trim_end()
            );
            let printed = |stdout: &str| {
                let shown = stdout.trim_end().replace('`', "'").replace('\n', " ⏎ ");
                if shown.is_empty() {
                    "It compiles and prints nothing".to_string()
                } else {
                    format!("It compiles and prints `{shown}`")
                }
            };
            let kind = if f.answer.does_compile {
                Kind::Single {
                    answer: printed(f.answer.stdout.as_deref().unwrap_or("")),
                    distractors: vec!["It does not compile".to_string()],
                }
            } else {
                if let Some(line) = f.answer.line_number {
                    let why = format!("The compiler rejects line {line}.");
                    explanation = Some(match explanation {
                        Some(context) => format!("{why} {context}"),
                        None => why,
                    });
                }
                Kind::Single {
                    answer: "It does not compile".to_string(),
                    distractors: vec!["It compiles and runs".to_string()],
                }
            };
            notes.push(
                "A tracing question (does it compile, what does it print) asked as one choice"
                    .to_string(),
            );
            (kind, prompt)
        }
    };
    let mut question = Question::new(kind, prompt);
    question.explanation = explanation.filter(|e| !e.is_empty());
    question.notes = notes;
    question
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_nesting_prefix_suffix_drafts_and_parts() {
        let text = "# Summary\n\n[Introduction](intro.md)\n\n- [Basics](basics/index.md)\n    - [Variables](basics/vars.md)\n        - [Shadowing](basics/shadow.md)\n    - [Types](basics/types.md)\n- [Later]()\n\n# Advanced\n\n- [Traits](traits.md)\n\n[Credits](credits.md)\n";
        let mut diagnostics = Vec::new();
        let top = read_summary(Path::new("SUMMARY.md"), text, &mut diagnostics);
        let titles: Vec<&str> = top.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Introduction", "Basics", "Later", "Traits", "Credits"]
        );
        let mut flat = Vec::new();
        flatten(&top[1], &mut flat);
        let nested: Vec<&str> = flat.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(nested, ["Basics", "Variables", "Shadowing", "Types"]);
        assert!(top[2].path.is_none());
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("draft chapter"));
        assert!(messages[1].contains("part title `Advanced`"));
    }

    #[test]
    fn relative_paths_between_course_files() {
        assert_eq!(
            relative(Path::new("01-a/01-x.md"), Path::new("02-b/03-y.md")),
            "../02-b/03-y.md"
        );
        assert_eq!(
            relative(Path::new("01-a/01-x.md"), Path::new("01-a/02-z.md")),
            "02-z.md"
        );
        assert_eq!(
            relative(Path::new("01-a/01-x.md"), Path::new("assets/img/a.png")),
            "../assets/img/a.png"
        );
        assert_eq!(
            normalize(Path::new("basics/../img/./a.png")),
            PathBuf::from("img/a.png")
        );
        assert_eq!(
            normalize(Path::new("../book/src/../x.md")),
            PathBuf::from("../book/x.md")
        );
    }
}
