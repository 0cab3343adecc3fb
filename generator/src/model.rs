//! The course model: plain values from loading onward (Site -> Course -> Module -> Lesson), with
//! the helpers that walk the tree and name each page's place in the output.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{CredentialConfig, Issuer, SiteConfig};

/// Everything one build reads.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The folder the build was pointed at (one course, or a folder of courses).
    pub root: PathBuf,
    /// The folder of `site.yaml`, its theme and strings: what they may read.
    pub folder: crate::confine::Folder,
    /// `theme/` beside `site.yaml`: template overrides and extra CSS for every course.
    pub theme_dir: Option<PathBuf>,
    /// Interface strings: the built-in languages and the site's own `theme/i18n/` files.
    pub strings: crate::i18n::Catalogue,
    pub courses: Vec<Course>,
}

#[derive(Debug, Clone)]
pub struct Course {
    pub id: String,
    pub title: String,
    pub language: String,
    pub summary: String,
    pub issuer: Option<Issuer>,
    pub credentials: Vec<CredentialConfig>,
    pub translation_of: Option<String>,
    /// Images bigger than this are reported (course.yaml's `max_image_kb`).
    pub max_image_kb: u64,
    /// How learners identify themselves before an assessment.
    pub learner: crate::config::Learner,
    /// The course folder.
    pub dir: PathBuf,
    /// The same, as the folder every file of the course must really be in.
    pub folder: crate::confine::Folder,
    /// `course.yaml`, for diagnostics about its keys.
    pub config_file: Source,
    /// Where each key of `course.yaml` stands.
    pub config_keys: crate::yaml::KeyIndex,
    /// `theme/` inside the course folder: overrides for this course only.
    pub theme_dir: Option<PathBuf>,
    pub modules: Vec<Module>,
}

#[derive(Debug, Clone)]
pub struct Module {
    /// The folder name without its number prefix; credentials name modules by it.
    pub slug: String,
    pub title: String,
    pub outcomes: Vec<String>,
    /// Declared minutes; otherwise the lessons' minutes add up.
    pub minutes: Option<u32>,
    pub dir: PathBuf,
    /// `index.md`, the module's overview, if there is one.
    pub overview: Option<Markdown>,
    pub lessons: Vec<Lesson>,
    /// Lesson files that are not pages: drafts, and files that failed to load.
    pub left_out: Vec<(PathBuf, LeftOut)>,
}

/// Why a lesson file has no page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    Draft,
    /// It failed to load; that error is reported on its own.
    Broken,
}

#[derive(Debug, Clone)]
pub struct Lesson {
    /// The file name without number prefix and `.md`.
    pub slug: String,
    pub title: String,
    pub minutes: u32,
    pub markdown: Markdown,
}

/// A source file's text, shared so diagnostics and renderers can quote it cheaply.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// The Markdown body of a lesson or overview: the file and where its body starts.
#[derive(Debug, Clone)]
pub struct Markdown {
    pub source: Source,
    /// Byte offset of the body after front matter.
    pub body_start: usize,
    /// When the title came from the first `# heading`, that heading's byte range, so it is not
    /// shown twice.
    pub title_heading: Option<std::ops::Range<usize>>,
}

impl Markdown {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_start..]
    }
}

impl Site {
    /// Every Markdown file the site renders: module overviews (no lesson) and lessons.
    pub fn markdown_files(
        &self,
    ) -> impl Iterator<Item = (&Course, &Module, Option<&Lesson>, &Markdown)> {
        self.courses.iter().flat_map(|c| {
            c.modules.iter().flat_map(move |m| {
                let overview = m.overview.iter().map(move |md| (c, m, None, md));
                let lessons = m.lessons.iter().map(move |l| (c, m, Some(l), &l.markdown));
                overview.chain(lessons)
            })
        })
    }
}

impl Course {
    /// The course page, relative to the site root.
    pub fn url(&self) -> String {
        format!("{}/", self.id)
    }

    pub fn module(&self, slug: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.slug == slug)
    }

    /// The modules a credential names, in its order (a missing one is reported by the checks).
    pub fn credential_modules<'a>(
        &'a self,
        credential: &'a CredentialConfig,
    ) -> impl Iterator<Item = &'a Module> + 'a {
        credential
            .modules
            .iter()
            .filter_map(|slug| self.module(slug))
    }

    /// Minutes of every module, added up.
    pub fn minutes(&self) -> u32 {
        // Saturating: a sum that does not fit is shown as the largest number, never wrapped.
        self.modules
            .iter()
            .map(Module::total_minutes)
            .fold(0, u32::saturating_add)
    }

    pub fn lesson_count(&self) -> usize {
        self.modules.iter().map(|m| m.lessons.len()).sum()
    }
}

impl Module {
    pub fn url(&self, course: &Course) -> String {
        format!("{}{}/", course.url(), self.slug)
    }

    pub fn total_minutes(&self) -> u32 {
        self.minutes.unwrap_or_else(|| {
            self.lessons
                .iter()
                .map(|l| l.minutes)
                .fold(0, u32::saturating_add)
        })
    }
}

impl Lesson {
    pub fn url(&self, course: &Course, module: &Module) -> String {
        format!("{}{}/", module.url(course), self.slug)
    }
}

/// The languages written right to left, by primary subtag.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "khw", "ks", "ps", "sd", "syr", "ug", "ur", "yi",
];

/// Scripts written right to left, by script subtag: a tag that names one (`pa-Arab`) decides.
const RTL_SCRIPTS: &[&str] = &["adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"];
const LTR_SCRIPTS: &[&str] = &["cyrl", "latn"];

/// `rtl` for right-to-left languages (or scripts), else `ltr`.
pub fn text_direction(language: &str) -> &'static str {
    let lower = language.to_ascii_lowercase();
    let mut subtags = lower.split(['-', '_']);
    let primary = subtags.next().unwrap_or("");
    let script = subtags.find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()));
    let rtl = match script {
        Some(script) if RTL_SCRIPTS.contains(&script) => true,
        Some(script) if LTR_SCRIPTS.contains(&script) => false,
        _ => RTL_LANGUAGES.contains(&primary),
    };
    if rtl { "rtl" } else { "ltr" }
}

#[cfg(test)]
mod tests {
    use super::text_direction;

    #[test]
    fn urdu_and_arabic_read_right_to_left() {
        assert_eq!(text_direction("ur"), "rtl");
        assert_eq!(text_direction("ur-PK"), "rtl");
        assert_eq!(text_direction("ar"), "rtl");
        assert_eq!(text_direction("en"), "ltr");
        assert_eq!(text_direction("pa-Guru"), "ltr");
        assert_eq!(text_direction("pa-Arab-PK"), "rtl");
        assert_eq!(text_direction("ug-Cyrl"), "ltr");
    }
}
