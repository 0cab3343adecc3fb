//! Sabaq turns folders of Markdown course modules into small static sites that read well on a
//! low-end phone and work from any static host.
//!
//! The build is one pipeline over plain values, each stage in its own module:
//! load ([`load`]) -> Markdown and quiz blocks ([`markdown`], [`quiz`]) -> checks across files
//! ([`check`]) -> pages ([`render`] with [`theme`]) -> write ([`output`]). Every stage collects
//! its problems as [`diag::Diagnostic`]s; the build fails once, with all of them, before
//! anything is written.

// Diagnostics travel on the error path, which is cold: boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod assessment;
pub mod badge;
pub mod cache;
pub mod check;
pub mod config;
pub mod confine;
pub mod data_integrity;
pub mod dates;
pub mod diag;
pub mod did_key;
pub mod engine;
pub mod highlight;
pub mod html_policy;
pub mod i18n;
pub mod images;
pub mod import;
pub mod js_pattern;
pub mod keys;
pub mod ledger;
pub mod linked_data;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod package;
pub mod quiz;
pub mod quiz_form;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod theme;
pub mod verify;
pub mod yaml;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics};
use crate::links::{PageMap, Resolver};
use crate::markdown::{QuizBlock, Rendered};
use crate::model::Site;
use crate::output::{Content, OutputFile};
use crate::render::{Body, RenderInput};
use crate::theme::Theme;

/// What to build.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// One course folder, or a folder of courses.
    pub source: PathBuf,
    /// Where the site will be served from, for sitemap.xml (overrides site.yaml's `base_url`).
    pub base_url: Option<String>,
    /// The institution's key; without one, assessments are locked with a throwaway key and
    /// their completion codes are marked unusable.
    pub key: Option<keys::Key>,
    /// Also write `.gz` and `.br` copies of the text files (`--precompress`).
    pub precompress: bool,
}

/// A site ready to write, with the warnings found on the way.
#[derive(Debug)]
pub struct CompiledSite {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    pub courses: usize,
    pub pages: usize,
    /// sitemap.xml holds relative URLs because the site's address is unknown.
    pub sitemap_is_relative: bool,
    /// Every assessment, for the build's report of what guessing costs.
    pub assessments: Vec<AssessmentReport>,
    /// Each course's id and what its search index weighs.
    pub search_indexes: Vec<(String, search::IndexStats)>,
    /// The site's name, as its home page shows it.
    pub title: String,
}

/// How hard one assessment is to pass by guessing.
#[derive(Debug, Clone)]
pub struct AssessmentReport {
    pub course: String,
    pub quiz: String,
    /// log2 of 1 / (chance that a random answer sheet passes).
    pub bits: f64,
    /// About how long a slow phone takes to grade a sheet, in seconds.
    pub slow_phone_seconds: f64,
}

/// Runs every stage but writing. `Err` holds every diagnostic, errors and warnings.
pub fn compile(options: &SiteOptions) -> Result<CompiledSite, Vec<Diagnostic>> {
    compile_with(options, None)
}

/// [`compile`], reusing the Markdown renderings of an earlier build from `cache` where
/// nothing they depend on changed (`sabaq serve` keeps one between saves).
pub fn compile_with(
    options: &SiteOptions,
    cache: Option<&cache::RenderCache>,
) -> Result<CompiledSite, Vec<Diagnostic>> {
    let (site, mut diagnostics) = load::load_site(&options.source);

    let (site_theme, course_themes) = load_themes(&site, &mut diagnostics);
    let key = options.key.clone().unwrap_or_else(keys::Key::throwaway);
    let cached = cache.map(|cache| (cache, cache::site_shape(&options.source, &site, &key)));
    let (bodies, quizzes, assets, assessments) =
        render_markdown(&site, &key, cached, &mut diagnostics);
    if let Some(cache) = cache {
        cache.finish_build();
    }
    diagnostics.extend(check_copies(&site, &assets));
    diagnostics.extend(check::check_site(&site, &quizzes));
    if key.is_throwaway() && !assessments.is_empty() {
        diagnostics.push(Diagnostic::warning(
            &options.source,
            format!(
                "built WITHOUT an institution key: the completion codes of its {} assessments are marked unusable and no institution will accept them, and anyone can read the assessments' answers from the pages: never publish a build made without a key",
                assessments.len()
            ),
        ).with_help("make a key once with `sabaq keys new FILE`, keep it outside the courses, and build with `--key FILE` (or SABAQ_KEY=FILE)"));
    }
    for report in &assessments {
        if report.strength.bits < assessment::WEAK_BITS {
            diagnostics.push(Diagnostic {
                message: format!(
                    "guessing the answers of assessment `{}` costs about 2^{:.1} Argon2id runs: too easy to brute-force",
                    report.quiz, report.strength.bits
                ),
                help: Some(
                    "add questions, add options, use text or number answers, or raise the pass mark"
                        .to_string(),
                ),
                ..report.location.clone().into_warning()
            });
        }
    }
    let base_url = options
        .base_url
        .clone()
        .or_else(|| site.config.base_url.clone());
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    let site_theme = site_theme.expect("a theme when there are no errors");

    let input = RenderInput {
        site: &site,
        bodies: &bodies,
        site_theme: &site_theme,
        course_themes: &course_themes,
        base_url: base_url.as_deref(),
    };
    let (pages, problems) = render::render_pages(&input);
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }

    let page_count = pages.len();
    let mut files: Vec<OutputFile> = pages
        .into_iter()
        .map(|p| OutputFile {
            path: p.path,
            content: Content::Bytes(p.html.into_bytes()),
        })
        .collect();
    for engine in engine::ALL {
        files.push(OutputFile {
            path: engine.script_path(),
            content: Content::Bytes(engine.script.as_bytes().to_vec()),
        });
        files.push(OutputFile {
            path: engine.module_path(),
            content: Content::Bytes(engine.module.to_vec()),
        });
        if let Some((file, script)) = engine.starter {
            files.push(OutputFile {
                path: format!("assets/{file}"),
                content: Content::Bytes(script.as_bytes().to_vec()),
            });
        }
    }
    for (path, source) in [
        theme::SEARCH_SCRIPT,
        theme::OFFLINE_SCRIPT,
        theme::SERVICE_WORKER,
    ] {
        files.push(OutputFile {
            path: path.into(),
            content: Content::Bytes(theme::shipped_script(source).into_bytes()),
        });
    }
    files.push(OutputFile {
        path: theme::ICON_PATH.into(),
        content: Content::Bytes(theme::ICON.as_bytes().to_vec()),
    });
    files.push(OutputFile {
        path: "manifest.webmanifest".into(),
        content: Content::Bytes(render::web_app_manifest(&site)),
    });
    // Courses in parallel: each one's merge of its words is serial.
    let indexes: Vec<_> = site
        .courses
        .par_iter()
        .map(|course| search_index(course, &bodies))
        .collect();
    let mut search_indexes = Vec::new();
    for (course, (index, stats)) in site.courses.iter().zip(indexes) {
        files.extend(index.into_iter().map(|(path, bytes)| OutputFile {
            path,
            content: Content::Bytes(bytes),
        }));
        search_indexes.push((course.id.clone(), stats));
    }
    files.push(OutputFile {
        path: "assets/sabaq.css".into(),
        content: Content::Bytes(
            format!("{}{}", theme::DEFAULT_CSS, site_theme.extra_css).into_bytes(),
        ),
    });
    for course in &site.courses {
        if let Some(theme) = course_themes.get(&course.id)
            && !theme.extra_css.is_empty()
        {
            files.push(OutputFile {
                path: format!("{}theme.css", course.url()),
                content: Content::Bytes(theme.extra_css.clone().into_bytes()),
            });
        }
    }
    let (copies, problems) = image_copies(&site, &assets);
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    files.extend(copies);
    files.extend(assets.into_iter().map(|(path, source)| OutputFile {
        path,
        content: Content::CopyOf(source),
    }));
    if options.precompress {
        match package::precompressed(&files) {
            Ok(copies) => files.extend(copies),
            Err(e) => {
                diagnostics.push(Diagnostic::error(&options.source, format!("{e:#}")));
                return Err(diagnostics.sorted());
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // Two files for one place (a linked file named like a page): one would win at random.
    let clashes: Vec<Diagnostic> = files
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
        .map(|pair| {
            let source = match (&pair[0].content, &pair[1].content) {
                (output::Content::CopyOf(p), _) | (_, output::Content::CopyOf(p)) => p.clone(),
                _ => options.source.clone(),
            };
            Diagnostic::error(
                source,
                format!(
                    "two files of the site would be written to `{}`; rename the linked file",
                    pair[0].path
                ),
            )
        })
        .collect();
    if !clashes.is_empty() {
        diagnostics.extend(clashes);
        return Err(diagnostics.sorted());
    }
    Ok(CompiledSite {
        files,
        warnings: diagnostics.sorted(),
        courses: site.courses.len(),
        pages: page_count,
        sitemap_is_relative: base_url.is_none(),
        search_indexes,
        title: render::site_title(&site).0,
        assessments: assessments
            .into_iter()
            .map(|r| AssessmentReport {
                course: r.course,
                quiz: r.quiz,
                bits: r.strength.bits,
                slow_phone_seconds: r.strength.slow_phone_seconds,
            })
            .collect(),
    })
}

/// Refuses every file to be copied into the site whose real place is outside its course's
/// folder, that holds the institution's key, or that would act by itself when a learner opens
/// it (see [`active_file_refusal`]).
fn check_copies(site: &Site, assets: &BTreeMap<String, PathBuf>) -> Vec<Diagnostic> {
    assets
        .par_iter()
        .filter_map(|(site_path, source)| {
            let course = site
                .courses
                .iter()
                .find(|c| site_path.starts_with(&c.url()))?;
            course
                .folder
                .check_copy(source)
                .err()
                .or_else(|| active_file_refusal(source))
        })
        .collect()
}

/// A course file that would run or navigate on its own once a learner opens it, outside every
/// page's policy (a server sends a file as it is): scripts and web pages among the assets, and
/// SVG drawings holding what the page policy refuses in HTML (a script, an event handler, a
/// link to code).
fn active_file_refusal(source: &Path) -> Option<Diagnostic> {
    let extension = source
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(
        extension.as_str(),
        "js" | "mjs" | "html" | "htm" | "xhtml" | "shtml"
    ) {
        return Some(
            Diagnostic::error(
                source,
                format!(
                    "a `.{extension}` file among a course's files would run as a page of the site when opened, outside every lesson's protections"
                ),
            )
            .with_help("write it as a lesson, or offer it as a download in another format (PDF, text)"),
        );
    }
    if extension == "svg" {
        let text = std::fs::read(source).ok()?;
        let why = html_policy::svg_refusal(&String::from_utf8_lossy(&text))?;
        return Some(
            Diagnostic::error(
                source,
                format!("this SVG drawing would act by itself when opened: {why}"),
            )
            .with_help("save the drawing without scripts, event handlers or links to code"),
        );
    }
    None
}

/// The files a page showing `asset` may fetch: the file, and its phone-width copies.
fn shown_files(asset: &links::Asset) -> Vec<String> {
    let copies = match images::probe(&asset.source) {
        Ok(Some(info)) => images::copy_widths(&info),
        _ => Vec::new(),
    };
    std::iter::once(asset.site_path.clone())
        .chain(
            copies
                .into_iter()
                .map(|w| images::copy_path(&asset.site_path, w)),
        )
        .collect()
}

/// The phone-width copies of each course's large PNG and JPEG images, and a warning for each
/// image over its course's `max_image_kb`.
fn image_copies(
    site: &Site,
    assets: &BTreeMap<String, PathBuf>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let results: Vec<(Vec<OutputFile>, Vec<Diagnostic>)> = assets
        .par_iter()
        .map(|(site_path, source)| {
            let Ok(Some(info)) = images::probe(source) else {
                // Unreadable images are reported where a lesson shows them.
                return (Vec::new(), Vec::new());
            };
            let mut problems = Vec::new();
            let course = site.courses.iter().find(|c| site_path.starts_with(&c.url()));
            if let Some(course) = course
                && info.bytes > course.max_image_kb.saturating_mul(1024)
            {
                problems.push(
                    Diagnostic::warning(
                        source,
                        format!(
                            "image is {} KB, over this course's limit of {} KB: learners on metered data pay for every byte",
                            info.bytes.div_ceil(1024),
                            course.max_image_kb
                        ),
                    )
                    .with_help(
                        "make it smaller (phones get 480 and 960 px wide copies of PNG and JPEG images, but not of other formats), or raise max_image_kb in course.yaml",
                    ),
                );
            }
            let mut copies = Vec::new();
            for width in images::copy_widths(&info) {
                match images::resized(source, width) {
                    Ok(bytes) => copies.push(OutputFile {
                        path: images::copy_path(site_path, width),
                        content: Content::Bytes(bytes),
                    }),
                    Err(e) => problems.push(Diagnostic::error(
                        source,
                        format!("cannot make the {width} px copy of this image: {e:#}"),
                    )),
                }
            }
            (copies, problems)
        })
        .collect();
    let mut copies = Vec::new();
    let mut problems = Vec::new();
    for (made, found) in results {
        copies.extend(made);
        problems.extend(found);
    }
    (copies, problems)
}

/// The search index files of one course, from its lessons' rendered text.
fn search_index(
    course: &model::Course,
    bodies: &HashMap<PathBuf, render::Body>,
) -> (Vec<(String, Vec<u8>)>, search::IndexStats) {
    let lessons: Vec<search::LessonText> = course
        .modules
        .iter()
        .flat_map(|module| {
            module.lessons.iter().filter_map(move |lesson| {
                let body = bodies.get(&lesson.markdown.source.path)?;
                Some(search::LessonText {
                    module_title: &module.title,
                    url: lesson.url(course, module),
                    title: &lesson.title,
                    sections: &body.sections,
                })
            })
        })
        .collect();
    search::course_index(course, &lessons)
}

/// Compiles and writes the site to `out`, replacing the previous build only on success.
pub fn build(options: &SiteOptions, out: &Path) -> Result<CompiledSite, BuildError> {
    build_with(options, out, None).map(|(compiled, _)| compiled)
}

/// What `sabaq serve` keeps between rebuilds: Markdown renderings and the files it wrote.
#[derive(Debug, Default)]
pub struct Incremental {
    pub renders: cache::RenderCache,
    pub written: output::Memory,
}

/// [`build`] reusing what an earlier build of the same site left in `incremental`; also says
/// how many files changed.
pub fn build_with(
    options: &SiteOptions,
    out: &Path,
    incremental: Option<&mut Incremental>,
) -> Result<(CompiledSite, output::Written), BuildError> {
    guard_output_outside_source(&options.source, out).map_err(BuildError::Write)?;
    let (cache, memory) = match incremental {
        Some(i) => (Some(&i.renders), Some(&mut i.written)),
        None => (None, None),
    };
    let compiled = compile_with(options, cache).map_err(BuildError::Invalid)?;
    let written =
        output::write_site_with(out, &compiled.files, memory).map_err(BuildError::Write)?;
    Ok((compiled, written))
}

/// Why a build produced nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The courses have problems; every diagnostic, errors and warnings.
    Invalid(Vec<Diagnostic>),
    /// The site could not be written.
    Write(anyhow::Error),
}

/// Writing the site inside the courses would make the next build read it as a module.
fn guard_output_outside_source(source: &Path, out: &Path) -> anyhow::Result<()> {
    // Compared where they really are: a course folder may be a link, and so may `--out`.
    let real_out = links::real(out);
    let mut sources = vec![(source.to_path_buf(), links::real(source))];
    if let Ok(entries) = std::fs::read_dir(source) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                let real = links::real(&path);
                sources.push((path, real));
            }
        }
    }
    for (shown, real) in &sources {
        if real_out.starts_with(real) {
            anyhow::bail!(
                "the output folder {} is inside the courses at {}; choose an --out outside them",
                out.display(),
                shown.display()
            );
        }
        if real.starts_with(&real_out) {
            anyhow::bail!(
                "the courses at {} are inside the output folder {}, which a build replaces; choose an --out outside them",
                shown.display(),
                out.display()
            );
        }
    }
    Ok(())
}

fn load_themes(
    site: &Site,
    diagnostics: &mut Diagnostics,
) -> (Option<Theme>, HashMap<String, Theme>) {
    let site_theme = match Theme::load(site.theme_dir.as_deref(), &site.folder) {
        Ok(theme) => Some(theme),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let mut course_themes = HashMap::new();
    if let Some(base) = &site_theme {
        for course in &site.courses {
            if let Some(dir) = &course.theme_dir {
                match base.with_overrides(dir, &course.folder) {
                    Ok(theme) => {
                        course_themes.insert(course.id.clone(), theme);
                    }
                    Err(problems) => diagnostics.extend(problems),
                }
            }
        }
    }
    (site_theme, course_themes)
}

/// Rendered bodies by source path, quiz blocks by course id, assets by site path, and the
/// assessments found.
type MarkdownOutput = (
    HashMap<PathBuf, Body>,
    HashMap<String, Vec<QuizBlock>>,
    BTreeMap<String, PathBuf>,
    Vec<FoundAssessment>,
);

/// An assessment and where its id stands, for the report and its warnings.
struct FoundAssessment {
    course: String,
    quiz: String,
    strength: assessment::Strength,
    location: Diagnostic,
}

/// The lock of a module's assessments: its secret under `key`'s current epoch.
fn assessment_context(
    key: &keys::Key,
    course: &model::Course,
    module: &model::Module,
) -> assessment::Context {
    let epoch = key.current_epoch().number;
    assessment::Context {
        secret: key.module_secret(&course.id, &module.slug, epoch),
        module: course
            .modules
            .iter()
            .position(|m| m.slug == module.slug)
            .map_or(0, |i| i + 1),
        epoch,
        usable: !key.is_throwaway(),
        learner: course.learner.clone(),
        submit: course
            .issuer
            .as_ref()
            .map(|i| i.submit.clone())
            .unwrap_or_default(),
        course_title: course.title.clone(),
    }
}

/// Renders every lesson and overview in parallel, and gathers each course's `assets/` folder.
fn render_markdown(
    site: &Site,
    key: &keys::Key,
    cached: Option<(&cache::RenderCache, u64)>,
    diagnostics: &mut Diagnostics,
) -> MarkdownOutput {
    let pages = PageMap::from_site(site);
    let rendered: Vec<(String, PathBuf, Rendered)> = site
        .markdown_files()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|(course, module, lesson, markdown)| {
            let page_url = match lesson {
                Some(lesson) => lesson.url(course, module),
                None => module.url(course),
            };
            let course_url = course.url();
            let resolver = Resolver {
                pages: &pages,
                course: &course.folder,
                course_url: &course_url,
                source_dir: markdown.source.path.parent().unwrap_or(&course.dir),
                page_url: &page_url,
            };
            let render = || {
                let strings = site.strings.strings_for(&course.language);
                let context = assessment_context(key, course, module);
                markdown::render_page(markdown, &course.id, &resolver, &strings, Some(&context))
            };
            let out = match cached {
                Some((cache, shape)) => {
                    cache.get_or_render(cache::page_key(shape, markdown), render)
                }
                None => render(),
            };
            (course.id.clone(), markdown.source.path.clone(), out)
        })
        .collect();

    let mut bodies = HashMap::new();
    let mut quizzes: HashMap<String, Vec<QuizBlock>> = HashMap::new();
    let mut assets = BTreeMap::new();
    let mut assessments = Vec::new();
    for (course_id, path, out) in rendered {
        diagnostics.extend(out.diagnostics);
        for ((quiz, strength), block) in out.assessments.into_iter().zip(
            out.quizzes
                .iter()
                .filter(|b| b.quiz.mode == quiz::Mode::Assessment),
        ) {
            assessments.push(FoundAssessment {
                course: course_id.clone(),
                quiz,
                strength,
                location: block.id_location.clone(),
            });
        }
        let body = Body {
            html: out.html,
            quizzes: out
                .quizzes
                .iter()
                .map(|block| (block.quiz.id.clone(), block.quiz.mode))
                .collect(),
            sections: out.sections,
            assets: out.assets.iter().flat_map(shown_files).collect(),
        };
        quizzes.entry(course_id).or_default().extend(out.quizzes);
        for asset in out.assets {
            assets.insert(asset.site_path, asset.source);
        }
        bodies.insert(path, body);
    }
    for course in &site.courses {
        let dir = course.dir.join("assets");
        // Links are followed, so what they lead to is checked like any copied file.
        for entry in WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
        {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    let inside = entry
                        .path()
                        .strip_prefix(&course.dir)
                        .unwrap_or(entry.path());
                    let site_path = format!(
                        "{}{}",
                        course.url(),
                        inside.to_string_lossy().replace('\\', "/")
                    );
                    assets.insert(site_path, entry.path().to_path_buf());
                }
                Ok(_) => {}
                Err(e) if dir.exists() => diagnostics.push(Diagnostic::error(
                    e.path().unwrap_or(&dir),
                    format!("cannot read asset: {e}"),
                )),
                Err(_) => {}
            }
        }
    }
    (bodies, quizzes, assets, assessments)
}
