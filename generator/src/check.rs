//! Stage 3, checks across files: duplicate course and quiz ids, credentials that name missing
//! modules, translations of missing courses. Fed by loading and the Markdown stage; every problem
//! is collected, and the build fails once at the end.

use std::collections::HashMap;

use crate::diag::{Diagnostic, display_path};
use crate::markdown::QuizBlock;
use crate::model::{Course, Site};
use crate::yaml::Snippet;

/// Folders at the site root that the generator writes, so no course may be served there.
const SITE_FOLDERS: &[&str] = &["assets", crate::render::PROGRESS_FOLDER];

/// Checks the whole site; `quizzes` holds every quiz block of each course, by course id.
pub fn check_site(site: &Site, quizzes: &HashMap<String, Vec<QuizBlock>>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, &Course> = HashMap::new();
    for course in &site.courses {
        if course.id.is_empty() {
            continue; // reported while loading
        }
        if SITE_FOLDERS.contains(&course.id.as_str()) {
            problems.push(
                course_key_error(
                    course,
                    "id",
                    format!(
                        "course id `{}` names a folder the site itself uses",
                        course.id
                    ),
                )
                .with_help("choose another id; `assets` and `progress` are taken"),
            );
        }
        if let Some(first) = seen.insert(&course.id, course) {
            problems.push(course_key_error(
                course,
                "id",
                format!(
                    "duplicate course id `{}`: {} uses it too",
                    course.id,
                    display_path(&first.config_file.path)
                ),
            ));
            seen.insert(&first.id, first);
        }
    }
    for course in &site.courses {
        check_credentials(course, &mut problems);
        // The issuer's addresses are links on every assessment page.
        if let Some(issuer) = &course.issuer {
            for (key, url) in [
                ("issuer.url", &issuer.url),
                ("issuer.submit.url", &issuer.submit.url),
            ] {
                if let Some(why) = url.as_deref().and_then(crate::html_policy::link_refusal) {
                    problems.push(course_key_error(course, key, format!("{key} {why}")));
                }
            }
        }
        if let Some(original) = &course.translation_of
            && !site.courses.iter().any(|c| &c.id == original)
        {
            // Building one version alone is fine; the versions just cannot link.
            let d = course_key_error(
                course,
                "translation_of",
                format!(
                    "`translation_of` names `{original}`, which is not in this build, so the versions are not linked"
                ),
            );
            problems.push(d.into_warning());
        }
        let mut ids: HashMap<&str, &QuizBlock> = HashMap::new();
        for block in quizzes.get(&course.id).into_iter().flatten() {
            if let Some(first) = ids.insert(&block.quiz.id, block) {
                let first_at = file_and_line(&first.id_location);
                problems.push(Diagnostic {
                    message: format!(
                        "duplicate quiz id `{}`: {first_at} uses it too",
                        block.quiz.id
                    ),
                    ..block.id_location.clone()
                });
                ids.insert(&first.quiz.id, first);
            }
        }
        check_one_assessment_per_module(quizzes.get(&course.id), &mut problems);
    }
    problems
}

fn course_key_error(course: &Course, key: &str, message: String) -> Diagnostic {
    let snippet = Snippet::whole(&course.config_file.path, &course.config_file.text);
    snippet.error_at(course.config_keys.locate(key), message)
}

fn check_credentials(course: &Course, problems: &mut Vec<Diagnostic>) {
    for (i, credential) in course.credentials.iter().enumerate() {
        let key = format!("credentials.{i}");
        if course.credentials[..i]
            .iter()
            .any(|c| c.id == credential.id)
        {
            problems.push(course_key_error(
                course,
                &format!("{key}.id"),
                format!("duplicate credential id `{}`", credential.id),
            ));
        }
        if credential.modules.is_empty() {
            problems.push(course_key_error(
                course,
                &format!("{key}.modules"),
                "the credential names no modules".into(),
            ));
        }
        for (j, slug) in credential.modules.iter().enumerate() {
            if course.module(slug).is_none() {
                let known: Vec<&str> = course.modules.iter().map(|m| m.slug.as_str()).collect();
                problems.push(
                    course_key_error(
                        course,
                        &format!("{key}.modules.{j}"),
                        format!("credential `{}` names module `{slug}`, which this course does not have", credential.id),
                    )
                    .with_help(format!("the modules are: {}", known.join(", "))),
                );
            }
        }
    }
}

/// Where a diagnostic points, as `file:line` (or the file alone).
fn file_and_line(location: &Diagnostic) -> String {
    match location.position {
        Some(p) => format!("{}:{}", display_path(&location.path), p.line),
        None => display_path(&location.path),
    }
}

/// A module has at most one assessment: its completion code certifies the module, and every
/// assessment of a module is locked with the module's one secret, so the easiest of two would
/// open the other (its answers, and codes for it).
fn check_one_assessment_per_module(
    blocks: Option<&Vec<QuizBlock>>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut by_module: HashMap<&std::path::Path, &QuizBlock> = HashMap::new();
    for block in blocks.into_iter().flatten() {
        if block.quiz.mode != sabaq_quiz::Mode::Assessment {
            continue;
        }
        let Some(module) = block.id_location.path.parent() else {
            continue;
        };
        if let Some(first) = by_module.get(module) {
            let first_at = file_and_line(&first.id_location);
            problems.push(
                Diagnostic {
                    message: format!(
                        "a second assessment in this module: `{}` at {first_at} is its assessment",
                        first.quiz.id
                    ),
                    ..block.id_location.clone()
                }
                .with_help("a module has one assessment: both would be locked with the module's one secret, so passing the easier would open the other; make this one a practice quiz, or move it to a module of its own"),
            );
        } else {
            by_module.insert(module, block);
        }
    }
}
