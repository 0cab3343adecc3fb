//! What authors write in YAML: `course.yaml`, `module.yaml`, lesson front matter and the
//! optional `site.yaml`. Strict from day one: an unknown key is an error, never ignored.

use serde::Deserialize;

/// `course.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseConfig {
    /// Stable id: lowercase letters, digits and '-'; it names the course's folder in the site.
    pub id: Option<String>,
    pub title: Option<String>,
    /// BCP 47 language tag; decides text direction and the UI strings.
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub summary: String,
    pub issuer: Option<Issuer>,
    #[serde(default)]
    pub credentials: Vec<CredentialConfig>,
    /// The id of the course this one translates; versions link to each other.
    pub translation_of: Option<String>,
    /// How learners identify themselves before an assessment.
    #[serde(default)]
    pub learner: Learner,
    /// Images bigger than this many kilobytes are reported (default 200).
    pub max_image_kb: Option<u64>,
}

/// The learner id asked for before an assessment: an institution id or a phone number.
/// `pattern` is an HTML `pattern` (a JavaScript regular expression matched against the
/// whole id); `example` is shown as a placeholder.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Learner {
    pub label: Option<String>,
    pub pattern: Option<String>,
    pub example: Option<String>,
}

fn default_language() -> String {
    "en".to_string()
}

impl Default for CourseConfig {
    /// Stands in for a `course.yaml` that did not decode, so the lessons are still checked.
    fn default() -> Self {
        CourseConfig {
            id: None,
            title: None,
            language: default_language(),
            summary: String::new(),
            issuer: None,
            credentials: Vec::new(),
            translation_of: None,
            learner: Learner::default(),
            max_image_kb: None,
        }
    }
}

/// Who awards the micro-credential.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name: String,
    pub url: Option<String>,
    #[serde(default)]
    pub submit: Submit,
}

/// Where learners send completion codes; every way is optional.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    pub sms: Option<String>,
    pub whatsapp: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// A stackable micro-credential: what a set of modules earns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialConfig {
    pub id: String,
    pub title: String,
    pub modules: Vec<String>,
}

/// `module.yaml`, or the front matter of a module's `index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleConfig {
    pub title: Option<String>,
    pub outcomes: Option<Vec<String>>,
    pub minutes: Option<u32>,
}

/// A lesson's front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFront {
    pub title: Option<String>,
    pub minutes: Option<u32>,
    /// Drafts are left out of the site.
    #[serde(default)]
    pub draft: bool,
    /// Overrides the number prefix when ordering lessons.
    pub order: Option<i64>,
}

/// `site.yaml` beside a folder of courses (optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The home page's title.
    pub title: Option<String>,
    /// Where the site will live, for the absolute URLs sitemap.xml needs.
    pub base_url: Option<String>,
    /// The home page's language.
    pub language: Option<String>,
}
