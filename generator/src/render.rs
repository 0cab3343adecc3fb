//! Stage 4, pages: builds a small view for each page (templates see views, never the model),
//! renders it with the theme, and writes sitemap.xml. Every link is relative to the page, so the
//! site works from any folder of any static host. Fed by the Markdown stage; feeds the writer.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diag::Diagnostic;
use crate::engine;
use crate::i18n::{self, Strings};
use crate::images;
use crate::links::{relative_url, root_prefix};
use crate::markdown::escape_html;
use crate::model::{Course, Module, Site, text_direction};
use crate::quiz::Mode;
use crate::search::TextSection;
use crate::theme::{self, Theme};

/// The Content-Security-Policy every page carries: nothing from another host, no inline code.
pub const CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'";

/// The site-root folder of the "My progress" page.
pub const PROGRESS_FOLDER: &str = "progress";

/// A page's rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    /// The id and mode of each quiz on the page, in page order; a page with quizzes loads
    /// the quiz engine.
    pub quizzes: Vec<(String, Mode)>,
    /// The page's text, for the course's search index.
    pub sections: Vec<TextSection>,
    /// The course files the page shows (images and their phone-width copies), by path from the
    /// site root.
    pub assets: Vec<String>,
}

/// A rendered file, by its path relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub html: String,
}

/// What the page stage needs beyond the model.
pub struct RenderInput<'a> {
    pub site: &'a Site,
    /// The rendered Markdown of every lesson and overview, by source path.
    pub bodies: &'a HashMap<PathBuf, Body>,
    pub site_theme: &'a Theme,
    /// Themes of courses that have their own `theme/` folder, by course id.
    pub course_themes: &'a HashMap<String, Theme>,
    pub base_url: Option<&'a str>,
}

/// A link as templates see it.
#[derive(Serialize, Clone)]
struct Link {
    title: String,
    url: String,
    /// The language of `title`, where it may differ from the page's (with its direction).
    lang: Option<String>,
    dir: Option<&'static str>,
}

/// What every page template sees.
#[derive(Serialize)]
struct Common<'a> {
    lang: &'a str,
    dir: &'static str,
    /// From this page back to the site root, such as `../../`.
    root: String,
    title: String,
    description: String,
    site_title: String,
    /// The language and direction of `site_title`, which may differ from the page's.
    site_lang: String,
    site_dir: &'static str,
    t: &'a Strings,
    csp: &'static str,
    version: &'static str,
    extra_css: Vec<String>,
    /// Scripts the page loads (deferred): the quiz engine on pages with quizzes.
    scripts: Vec<String>,
    breadcrumb: Vec<Link>,
    prev: Option<Link>,
    next: Option<Link>,
}

#[derive(Serialize)]
struct CourseCard {
    title: String,
    summary: String,
    url: String,
    lang: String,
    dir: &'static str,
    modules: usize,
    lessons: usize,
    minutes: u32,
}

#[derive(Serialize)]
struct CourseView {
    title: String,
    summary: String,
    minutes: u32,
    issuer: Option<String>,
    start_url: Option<String>,
    modules: Vec<ModuleCard>,
    credentials: Vec<CredentialView>,
    translations: Vec<Link>,
}

#[derive(Serialize)]
struct ModuleCard {
    title: String,
    url: String,
    minutes: u32,
    outcomes: Vec<String>,
    lessons: Vec<Link>,
}

#[derive(Serialize)]
struct CredentialView {
    title: String,
    modules: Vec<Link>,
}

#[derive(Serialize)]
struct ModuleView {
    title: String,
    number: usize,
    minutes: u32,
    overview: Option<String>,
    outcomes: Vec<String>,
    lessons: Vec<LessonLink>,
    /// What "Save this module for offline" fetches, from the module page.
    offline_urls: Vec<String>,
}

#[derive(Serialize)]
struct ProgressCourse {
    id: String,
    title: String,
    url: String,
    lang: String,
    dir: &'static str,
    /// The course's own interface strings the engine needs, as (short key, text) pairs in a
    /// fixed order (a map would come out of the template in any order).
    strings: Vec<(String, String)>,
    /// The label of the course's reset button.
    reset: String,
    quizzes: Vec<ProgressQuiz>,
    credentials: Vec<ProgressCredential>,
}

/// A credential of a course, and the modules that earn it.
#[derive(Serialize)]
struct ProgressCredential {
    title: String,
    modules: Vec<ProgressModule>,
}

#[derive(Serialize)]
struct ProgressModule {
    title: String,
    /// The module's assessment ids, space-separated: a code from any of them counts.
    assessments: String,
}

#[derive(Serialize)]
struct ProgressQuiz {
    id: String,
    title: String,
    module: String,
    url: String,
    /// An assessment, whose completion code is shown with a QR code.
    assessment: bool,
}

#[derive(Serialize)]
struct LessonLink {
    title: String,
    url: String,
    minutes: u32,
}

#[derive(Serialize)]
struct LessonView {
    title: String,
    number: String,
    minutes: u32,
    body: String,
    /// The same lesson in the course's other languages (or, where it has no twin, that course).
    translations: Vec<Link>,
}

/// One page to render.
#[derive(Clone, Copy)]
enum Job {
    Home,
    NotFound,
    Progress,
    Offline,
    Course(usize),
    Search(usize),
    Module(usize, usize),
    Lesson(usize, usize, usize),
}

/// Renders every page of the site, in parallel; template errors come back as diagnostics.
pub fn render_pages(input: &RenderInput) -> (Vec<Page>, Vec<Diagnostic>) {
    let mut jobs = vec![Job::Home, Job::NotFound, Job::Progress, Job::Offline];
    for (c, course) in input.site.courses.iter().enumerate() {
        jobs.push(Job::Course(c));
        jobs.push(Job::Search(c));
        for (m, module) in course.modules.iter().enumerate() {
            jobs.push(Job::Module(c, m));
            jobs.extend((0..module.lessons.len()).map(|l| Job::Lesson(c, m, l)));
        }
    }
    let results: Vec<Result<Page, Diagnostic>> =
        jobs.par_iter().map(|job| render_job(input, *job)).collect();
    let mut pages = Vec::with_capacity(results.len() + 1);
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(d) => problems.push(d),
        }
    }
    pages.push(Page {
        path: "sitemap.xml".to_string(),
        html: sitemap(input.site, input.base_url),
    });
    (pages, problems)
}

fn render_job(input: &RenderInput, job: Job) -> Result<Page, Diagnostic> {
    let site = input.site;
    let (url, template, context, course) = match job {
        Job::Home => {
            let (url, ctx) = home_context(input);
            (url, "home.html", ctx, None)
        }
        Job::NotFound => {
            let (url, ctx) = not_found_context(input);
            (url, "404.html", ctx, None)
        }
        Job::Progress => {
            let (url, ctx) = progress_context(input);
            (url, "progress.html", ctx, None)
        }
        Job::Offline => {
            let (url, ctx) = offline_context(input);
            (url, "offline.html", ctx, None)
        }
        Job::Course(c) => {
            let course = &site.courses[c];
            (
                course.url(),
                "course.html",
                course_context(input, course),
                Some(course),
            )
        }
        Job::Search(c) => {
            let course = &site.courses[c];
            (
                search_url(course),
                "search.html",
                search_context(input, course),
                Some(course),
            )
        }
        Job::Module(c, m) => {
            let course = &site.courses[c];
            let module = &course.modules[m];
            (
                module.url(course),
                "module.html",
                module_context(input, course, m),
                Some(course),
            )
        }
        Job::Lesson(c, m, l) => {
            let course = &site.courses[c];
            let module = &course.modules[m];
            let url = module.lessons[l].url(course, module);
            (
                url,
                "lesson.html",
                lesson_context(input, course, m, l),
                Some(course),
            )
        }
    };
    let mut context = context;
    if let Some(course) = course {
        context.insert("search_url", &page_href(&url, &search_url(course)));
    }
    let theme = course
        .and_then(|c| input.course_themes.get(&c.id))
        .unwrap_or(input.site_theme);
    let path = if matches!(job, Job::NotFound) {
        "404.html".to_string()
    } else {
        format!("{url}index.html")
    };
    let html = theme.render(template, &context).map_err(|e| {
        let at = course
            .and_then(|c| c.theme_dir.clone())
            .or_else(|| site.theme_dir.clone())
            .unwrap_or_else(|| site.root.clone());
        Diagnostic::error(at, format!("cannot render {path} with {template}: {e}"))
    })?;
    Ok(Page { path, html })
}

/// The home page's language: site.yaml's, else the first course's.
fn site_language(site: &Site) -> &str {
    site.config
        .language
        .as_deref()
        .or_else(|| site.courses.first().map(|c| c.language.as_str()))
        .unwrap_or("en")
}

/// The web app manifest: what a phone shows when the learner adds the courses to its home
/// screen (they open from there like an app, and read offline what the service worker kept).
pub fn web_app_manifest(site: &Site) -> Vec<u8> {
    let (name, language) = site_title(site);
    let manifest = serde_json::json!({
        "name": name,
        "short_name": name.chars().take(12).collect::<String>(),
        "lang": language,
        "dir": text_direction(&language),
        "start_url": "index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [{"src": theme::ICON_PATH, "sizes": "any", "type": "image/svg+xml"}],
    });
    serde_json::to_vec_pretty(&manifest).expect("the manifest serializes")
}

/// The site's name and the language it is written in.
pub fn site_title(site: &Site) -> (String, String) {
    match (&site.config.title, site.courses.as_slice()) {
        (Some(title), _) => (title.clone(), site_language(site).to_string()),
        (None, [only]) => (only.title.clone(), only.language.clone()),
        (None, _) => {
            let language = site_language(site);
            let courses = i18n::text(&site.strings.strings_for(language), "courses").to_string();
            (courses, language.to_string())
        }
    }
}

/// The parts every page shares, for a page at `page_url` in `language`.
fn common<'a>(
    input: &'a RenderInput,
    strings: &'a Strings,
    page_url: &str,
    language: &'a str,
    title: String,
    description: String,
) -> Common<'a> {
    let (site_title, site_lang) = site_title(input.site);
    Common {
        lang: language,
        dir: text_direction(language),
        root: root_prefix(page_url),
        title,
        description,
        site_dir: text_direction(&site_lang),
        site_title,
        site_lang,
        t: strings,
        csp: CSP,
        version: env!("CARGO_PKG_VERSION"),
        extra_css: Vec::new(),
        scripts: Vec::new(),
        breadcrumb: Vec::new(),
        prev: None,
        next: None,
    }
}

fn context_of(common: &Common, key: &str, view: &impl Serialize) -> Context {
    let mut context = Context::from_serialize(common).expect("views serialize");
    context.insert(key.to_string(), view);
    context
}

fn link(title: &str, from: &str, to: &str) -> Link {
    Link {
        title: title.to_string(),
        url: page_href(from, to),
        lang: None,
        dir: None,
    }
}

/// A link to another page's folder, naming `index.html` so it also works from a file system.
fn page_href(from: &str, to: &str) -> String {
    format!("{}index.html", relative_url(from, to))
}

fn course_extra_css(input: &RenderInput, course: &Course, page_url: &str) -> Vec<String> {
    match input.course_themes.get(&course.id) {
        Some(theme) if !theme.extra_css.is_empty() => {
            vec![relative_url(
                page_url,
                &format!("{}theme.css", course.url()),
            )]
        }
        _ => Vec::new(),
    }
}

fn home_context(input: &RenderInput) -> (String, Context) {
    let site = input.site;
    let language = site_language(site);
    let strings = input.site.strings.strings_for(language);
    let (title, _) = site_title(site);
    let common = common(input, &strings, "", language, title.clone(), title);
    let courses: Vec<CourseCard> = site
        .courses
        .iter()
        .map(|c| CourseCard {
            title: c.title.clone(),
            summary: c.summary.clone(),
            url: page_href("", &c.url()),
            lang: c.language.clone(),
            dir: text_direction(&c.language),
            modules: c.modules.len(),
            lessons: c.lesson_count(),
            minutes: c.minutes(),
        })
        .collect();
    (String::new(), context_of(&common, "courses", &courses))
}

fn not_found_context(input: &RenderInput) -> (String, Context) {
    let language = site_language(input.site);
    let strings = input.site.strings.strings_for(language);
    let title = i18n::text(&strings, "not_found_title").to_string();
    let common = common(input, &strings, "", language, title.clone(), title);
    (String::new(), context_of(&common, "page", &()))
}

/// Where the service worker sends a learner who is offline on a page that was never kept.
pub const OFFLINE_FOLDER: &str = "offline";

fn offline_context(input: &RenderInput) -> (String, Context) {
    let url = format!("{OFFLINE_FOLDER}/");
    let language = site_language(input.site);
    let strings = input.site.strings.strings_for(language);
    let title = i18n::text(&strings, "offline_title").to_string();
    let common = common(input, &strings, &url, language, title.clone(), title);
    (url, context_of(&common, "page", &()))
}

/// The "My progress" page: every quiz of every course, in course order, for the engine to
/// fill in from the learner's browser.
fn progress_context(input: &RenderInput) -> (String, Context) {
    let site = input.site;
    let url = format!("{PROGRESS_FOLDER}/");
    let language = site_language(site);
    let strings = input.site.strings.strings_for(language);
    let title = i18n::text(&strings, "my_progress").to_string();
    let mut common = common(input, &strings, &url, language, title.clone(), title);
    common.breadcrumb = vec![breadcrumb_home(&strings, &url)];
    common.scripts = vec![engine_script(&common.root, engine::PROGRESS)];
    let courses: Vec<ProgressCourse> = site
        .courses
        .iter()
        .filter_map(|course| progress_course(input, course, &url))
        .collect();
    (url, context_of(&common, "courses", &courses))
}

fn progress_course(input: &RenderInput, course: &Course, from: &str) -> Option<ProgressCourse> {
    let strings = input.site.strings.strings_for(&course.language);
    let t = |key| i18n::text(&strings, key).to_string();
    let mut quizzes = Vec::new();
    // The assessments of each module, by module slug, for the credentials.
    let mut assessments: HashMap<&str, Vec<String>> = HashMap::new();
    for module in &course.modules {
        for lesson in &module.lessons {
            let Some(body) = input.bodies.get(&lesson.markdown.source.path) else {
                continue;
            };
            for (id, mode) in &body.quizzes {
                if *mode == Mode::Assessment {
                    assessments
                        .entry(&module.slug)
                        .or_default()
                        .push(id.clone());
                }
                let kind = match mode {
                    Mode::Practice => t("quiz_practice"),
                    Mode::Assessment => t("quiz_assessment"),
                };
                quizzes.push(ProgressQuiz {
                    id: id.clone(),
                    title: format!("{} · {}", lesson.title, kind),
                    module: module.title.clone(),
                    url: format!("{}#quiz-{id}", page_href(from, &lesson.url(course, module))),
                    assessment: *mode == Mode::Assessment,
                });
            }
        }
    }
    (!quizzes.is_empty()).then(|| ProgressCourse {
        id: course.id.clone(),
        title: course.title.clone(),
        url: page_href(from, &course.url()),
        lang: course.language.clone(),
        dir: text_direction(&course.language),
        strings: [
            "progress_untried",
            "progress_best",
            "progress_passed",
            "progress_course_summary",
            "progress_reset_confirm",
            "progress_code",
            "progress_module_earned",
            "progress_module_missing",
            "progress_credential_summary",
        ]
        .iter()
        .map(|key| (key["progress_".len()..].replace('_', "-"), t(key)))
        .collect(),
        reset: t("progress_reset"),
        quizzes,
        credentials: course
            .credentials
            .iter()
            .map(|credential| ProgressCredential {
                title: credential.title.clone(),
                modules: course
                    .credential_modules(credential)
                    .map(|module| ProgressModule {
                        title: module.title.clone(),
                        assessments: assessments
                            .get(module.slug.as_str())
                            .map(|ids| ids.join(" "))
                            .unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// The address of the script that starts an engine, for a page whose root prefix is `root`.
/// The quiz engines a lesson page loads: one per kind of quiz on it, and the QR code's starter
/// with an assessment.
fn lesson_engines(body: &Body) -> Vec<engine::Engine> {
    let mut engines = Vec::new();
    if body.quizzes.iter().any(|(_, m)| *m == Mode::Practice) {
        engines.push(engine::PRACTICE);
    }
    if body.quizzes.iter().any(|(_, m)| *m == Mode::Assessment) {
        engines.extend([engine::ASSESSMENT, engine::QR]);
    }
    engines
}

/// Everything a module's pages need to work offline, as links from the module page: the module
/// and its lessons, the images they show, the quiz engines they run (scripts and WebAssembly),
/// the course page and My progress.
fn module_offline_urls(input: &RenderInput, course: &Course, module: &Module) -> Vec<String> {
    let from = module.url(course);
    let mut pages = vec![from.clone(), course.url(), format!("{PROGRESS_FOLDER}/")];
    let mut files = vec![
        engine::PROGRESS.script_path(),
        engine::PROGRESS.module_path(),
    ];
    for lesson in &module.lessons {
        pages.push(lesson.url(course, module));
        let Some(body) = input.bodies.get(&lesson.markdown.source.path) else {
            continue;
        };
        files.extend(body.assets.iter().cloned());
        for engine in lesson_engines(body) {
            files.extend([
                engine.page_script_path(),
                engine.script_path(),
                engine.module_path(),
            ]);
        }
    }
    files.sort();
    files.dedup();
    pages
        .iter()
        .map(|page| page_href(&from, page))
        .chain(files.iter().map(|file| relative_url(&from, file)))
        .map(|url| images::url_for_lists(&url))
        .collect()
}

fn engine_script(root: &str, engine: engine::Engine) -> String {
    format!("{root}{}", engine.page_script_path())
}

/// The first crumb: the list of courses, named in the page's language.
fn breadcrumb_home(strings: &Strings, from: &str) -> Link {
    Link {
        title: i18n::text(strings, "courses").to_string(),
        url: format!("{}index.html", root_prefix(from)),
        lang: None,
        dir: None,
    }
}

/// Where a course's search page and index live.
pub fn search_url(course: &Course) -> String {
    format!("{}search/", course.url())
}

#[derive(Serialize)]
struct SearchView {
    course: String,
    outline_url: String,
}

fn search_context(input: &RenderInput, course: &Course) -> Context {
    let url = search_url(course);
    let strings = input.site.strings.strings_for(&course.language);
    let title = format!("{} · {}", i18n::text(&strings, "search"), course.title);
    let mut common = common(
        input,
        &strings,
        &url,
        &course.language,
        title.clone(),
        title,
    );
    common.extra_css = course_extra_css(input, course, &url);
    common.breadcrumb = vec![
        breadcrumb_home(&strings, &url),
        link(&course.title, &url, &course.url()),
    ];
    common.scripts = vec![format!("{}{}", common.root, theme::SEARCH_SCRIPT.0)];
    let view = SearchView {
        course: course.title.clone(),
        outline_url: format!("{}#outline", page_href(&url, &course.url())),
    };
    context_of(&common, "search", &view)
}

/// The other language versions of `course`: the course it translates, and the courses that
/// translate that one (or `course` itself).
fn translations_of<'a>(site: &'a Site, course: &'a Course) -> impl Iterator<Item = &'a Course> {
    let group = course.translation_of.as_deref().unwrap_or(&course.id);
    site.courses.iter().filter(move |other| {
        other.id != course.id
            && (other.id == group || other.translation_of.as_deref() == Some(group))
    })
}

/// A link to a page of `other`, titled in its language (marked, so it reads in its direction).
fn translation_link(other: &Course, title: &str, from: &str, to: &str) -> Link {
    Link {
        title: title.to_string(),
        url: page_href(from, to),
        lang: Some(other.language.clone()),
        dir: Some(text_direction(&other.language)),
    }
}

fn course_context(input: &RenderInput, course: &Course) -> Context {
    let url = course.url();
    let strings = input.site.strings.strings_for(&course.language);
    let mut common = common(
        input,
        &strings,
        &url,
        &course.language,
        course.title.clone(),
        course.summary.clone(),
    );
    common.extra_css = course_extra_css(input, course, &url);
    common.breadcrumb = vec![breadcrumb_home(&strings, &url)];
    let first = course.modules.first();
    common.next = first.map(|m| link(&m.title, &url, &m.url(course)));
    let translations = translations_of(input.site, course)
        .map(|other| translation_link(other, &other.title, &url, &other.url()))
        .collect();
    let view = CourseView {
        title: course.title.clone(),
        summary: course.summary.clone(),
        minutes: course.minutes(),
        issuer: course.issuer.as_ref().map(|i| i.name.clone()),
        start_url: first.map(|m| page_href(&url, &m.url(course))),
        modules: course
            .modules
            .iter()
            .map(|m| ModuleCard {
                title: m.title.clone(),
                url: page_href(&url, &m.url(course)),
                minutes: m.total_minutes(),
                outcomes: m.outcomes.clone(),
                lessons: m
                    .lessons
                    .iter()
                    .map(|l| link(&l.title, &url, &l.url(course, m)))
                    .collect(),
            })
            .collect(),
        credentials: course
            .credentials
            .iter()
            .map(|cred| CredentialView {
                title: cred.title.clone(),
                modules: course
                    .credential_modules(cred)
                    .map(|m| link(&m.title, &url, &m.url(course)))
                    .collect(),
            })
            .collect(),
        translations,
    };
    context_of(&common, "course", &view)
}

fn module_context(input: &RenderInput, course: &Course, m: usize) -> Context {
    let module = &course.modules[m];
    let url = module.url(course);
    let strings = input.site.strings.strings_for(&course.language);
    let description = module
        .outcomes
        .first()
        .cloned()
        .unwrap_or_else(|| course.summary.clone());
    let mut common = common(
        input,
        &strings,
        &url,
        &course.language,
        format!("{} · {}", module.title, course.title),
        description,
    );
    common.extra_css = course_extra_css(input, course, &url);
    common.breadcrumb = vec![
        breadcrumb_home(&strings, &url),
        link(&course.title, &url, &course.url()),
    ];
    common.prev = Some(match m.checked_sub(1) {
        Some(p) => link(
            &course.modules[p].title,
            &url,
            &course.modules[p].url(course),
        ),
        None => link(&course.title, &url, &course.url()),
    });
    common.next = module
        .lessons
        .first()
        .map(|l| link(&l.title, &url, &l.url(course, module)));
    let overview = module
        .overview
        .as_ref()
        .and_then(|md| input.bodies.get(&md.source.path).map(|b| b.html.clone()))
        .filter(|html| !html.trim().is_empty());
    let view = ModuleView {
        offline_urls: module_offline_urls(input, course, module),
        title: module.title.clone(),
        number: m + 1,
        minutes: module.total_minutes(),
        overview,
        outcomes: module.outcomes.clone(),
        lessons: module
            .lessons
            .iter()
            .map(|l| LessonLink {
                title: l.title.clone(),
                url: page_href(&url, &l.url(course, module)),
                minutes: l.minutes,
            })
            .collect(),
    };
    context_of(&common, "module", &view)
}

fn lesson_context(input: &RenderInput, course: &Course, m: usize, l: usize) -> Context {
    let module: &Module = &course.modules[m];
    let lesson = &module.lessons[l];
    let url = lesson.url(course, module);
    let strings = input.site.strings.strings_for(&course.language);
    let mut common = common(
        input,
        &strings,
        &url,
        &course.language,
        format!("{} · {}", lesson.title, course.title),
        format!("{}: {}", module.title, lesson.title),
    );
    common.extra_css = course_extra_css(input, course, &url);
    common.breadcrumb = vec![
        breadcrumb_home(&strings, &url),
        link(&course.title, &url, &course.url()),
        link(&module.title, &url, &module.url(course)),
    ];
    common.prev = Some(match l.checked_sub(1) {
        Some(p) => link(
            &module.lessons[p].title,
            &url,
            &module.lessons[p].url(course, module),
        ),
        None => link(&module.title, &url, &module.url(course)),
    });
    common.next = Some(
        match (module.lessons.get(l + 1), course.modules.get(m + 1)) {
            (Some(next), _) => link(&next.title, &url, &next.url(course, module)),
            (None, Some(next_module)) => link(&next_module.title, &url, &next_module.url(course)),
            (None, None) => link(&course.title, &url, &course.url()),
        },
    );
    let body = input
        .bodies
        .get(&lesson.markdown.source.path)
        .cloned()
        .unwrap_or_default();
    for engine in lesson_engines(&body) {
        common.scripts.push(engine_script(&common.root, engine));
    }
    let translations = translations_of(input.site, course)
        .map(|other| {
            let twin = other
                .modules
                .iter()
                .find(|m| m.slug == module.slug)
                .and_then(|m| {
                    m.lessons
                        .iter()
                        .find(|l| l.slug == lesson.slug)
                        .map(|l| (m, l))
                });
            match twin {
                Some((m, l)) => translation_link(other, &l.title, &url, &l.url(other, m)),
                None => translation_link(other, &other.title, &url, &other.url()),
            }
        })
        .collect();
    let view = LessonView {
        title: lesson.title.clone(),
        number: format!("{}.{}", m + 1, l + 1),
        minutes: lesson.minutes,
        body: body.html,
        translations,
    };
    context_of(&common, "lesson", &view)
}

/// sitemap.xml: absolute URLs when the site's address is known, else relative ones.
fn sitemap(site: &Site, base_url: Option<&str>) -> String {
    let base = base_url
        .map(|b| format!("{}/", b.trim_end_matches('/')))
        .unwrap_or_default();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut push = |path: &str| {
        xml.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            escape_html(&format!("{base}{path}"))
        ));
    };
    push("");
    for course in &site.courses {
        push(&course.url());
        for module in &course.modules {
            push(&module.url(course));
            for lesson in &module.lessons {
                push(&lesson.url(course, module));
            }
        }
    }
    xml.push_str("</urlset>\n");
    xml
}
