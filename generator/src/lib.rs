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

pub mod check;
pub mod config;
pub mod diag;
pub mod engine;
pub mod highlight;
pub mod i18n;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod quiz;
pub mod quiz_form;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod theme;
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
}

/// Runs every stage but writing. `Err` holds every diagnostic, errors and warnings.
pub fn compile(options: &SiteOptions) -> Result<CompiledSite, Vec<Diagnostic>> {
    let (site, mut diagnostics) = load::load_site(&options.source);

    let (site_theme, course_themes) = load_themes(&site, &mut diagnostics);
    let (bodies, quizzes, assets) = render_markdown(&site, &mut diagnostics);
    diagnostics.extend(check::check_site(&site, &quizzes));
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
    files.push(OutputFile {
        path: engine::SCRIPT_PATH.into(),
        content: Content::Bytes(engine::SCRIPT.as_bytes().to_vec()),
    });
    files.push(OutputFile {
        path: engine::MODULE_PATH.into(),
        content: Content::Bytes(engine::MODULE.to_vec()),
    });
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
    files.extend(assets.into_iter().map(|(path, source)| OutputFile {
        path,
        content: Content::CopyOf(source),
    }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(CompiledSite {
        files,
        warnings: diagnostics.sorted(),
        courses: site.courses.len(),
        pages: page_count,
        sitemap_is_relative: base_url.is_none(),
    })
}

/// Compiles and writes the site to `out`, replacing the previous build only on success.
pub fn build(options: &SiteOptions, out: &Path) -> Result<CompiledSite, BuildError> {
    guard_output_outside_source(&options.source, out).map_err(BuildError::Write)?;
    let compiled = compile(options).map_err(BuildError::Invalid)?;
    output::write_site(out, &compiled.files).map_err(BuildError::Write)?;
    Ok(compiled)
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
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|p| links::normalize(&p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    if absolute(out).starts_with(absolute(source)) {
        anyhow::bail!(
            "the output folder {} is inside the courses at {}; choose an --out outside them",
            out.display(),
            source.display()
        );
    }
    Ok(())
}

fn load_themes(
    site: &Site,
    diagnostics: &mut Diagnostics,
) -> (Option<Theme>, HashMap<String, Theme>) {
    let site_theme = match Theme::load(site.theme_dir.as_deref()) {
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
                match base.with_overrides(dir) {
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

/// Rendered bodies by source path, quiz blocks by course id, and assets by site path.
type MarkdownOutput = (
    HashMap<PathBuf, Body>,
    HashMap<String, Vec<QuizBlock>>,
    BTreeMap<String, PathBuf>,
);

/// Renders every lesson and overview in parallel, and gathers each course's `assets/` folder.
fn render_markdown(site: &Site, diagnostics: &mut Diagnostics) -> MarkdownOutput {
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
                course_dir: &course.dir,
                course_url: &course_url,
                source_dir: markdown.source.path.parent().unwrap_or(&course.dir),
                page_url: &page_url,
            };
            let strings = i18n::strings_for(&course.language);
            let out = markdown::render_page(markdown, &course.id, &resolver, &strings);
            (course.id.clone(), markdown.source.path.clone(), out)
        })
        .collect();

    let mut bodies = HashMap::new();
    let mut quizzes: HashMap<String, Vec<QuizBlock>> = HashMap::new();
    let mut assets = BTreeMap::new();
    for (course_id, path, out) in rendered {
        diagnostics.extend(out.diagnostics);
        let body = Body {
            html: out.html,
            quizzes: out
                .quizzes
                .iter()
                .map(|block| (block.quiz.id.clone(), block.quiz.mode))
                .collect(),
        };
        quizzes.entry(course_id).or_default().extend(out.quizzes);
        for asset in out.assets {
            assets.insert(asset.site_path, asset.source);
        }
        bodies.insert(path, body);
    }
    for course in &site.courses {
        let dir = course.dir.join("assets");
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter() {
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
    (bodies, quizzes, assets)
}
