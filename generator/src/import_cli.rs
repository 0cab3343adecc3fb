//! `sabaq import`: runs an importer, prints what it reports, and writes the result only when
//! nothing failed and nothing would be replaced.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use sabaq::diag::{Diagnostic, display_path, eprint_all};
use sabaq::import;

/// `sabaq import gift FILE... --out DIR`: one lesson per file. `Ok(false)` when a question
/// could not be converted (nothing is written then).
pub fn gift(files: &[PathBuf], out: &Path) -> Result<bool> {
    let mut used_ids = HashSet::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut lessons = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", display_path(file)))?;
        let Ok(text) = String::from_utf8(bytes) else {
            bail!(
                "{} is not UTF-8 text: save it as UTF-8 (Moodle exports GIFT as UTF-8)",
                display_path(file)
            );
        };
        let (lesson, found) = import::gift_lesson(file, &text, &mut used_ids);
        diagnostics.extend(found);
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        // `index.md` would be the module's overview page, not a lesson.
        let name = if stem.eq_ignore_ascii_case("index") {
            "index-questions".to_string()
        } else {
            stem.into_owned()
        };
        if let Some(lesson) = lesson {
            lessons.push((out.join(format!("{name}.md")), lesson));
        }
    }
    eprint_all(&diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "error: import failed with {errors} question{} that could not be converted; nothing was written",
            if errors == 1 { "" } else { "s" }
        );
        return Ok(false);
    }
    let mut targets = HashSet::new();
    for (path, _) in &lessons {
        if path.exists() {
            bail!(
                "{} exists already; give another --out, or move it away first",
                display_path(path)
            );
        }
        // Two files of the same name (in different folders, or differing in case only).
        if !targets.insert(path.to_string_lossy().to_lowercase()) {
            bail!(
                "two of the GIFT files would both become {}; import them into different folders",
                display_path(path)
            );
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", display_path(out)))?;
    for (path, lesson) in &lessons {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| format!("cannot create {}", display_path(path)))?;
        file.write_all(lesson.as_bytes())
            .with_context(|| format!("cannot write {}", display_path(path)))?;
        let questions = lesson.matches("\n  - type: ").count();
        let quizzes = lesson.matches("```quiz\n").count();
        println!(
            "wrote {} ({questions} question{} in {quizzes} quiz block{})",
            display_path(path),
            if questions == 1 { "" } else { "s" },
            if quizzes == 1 { "" } else { "s" },
        );
    }
    let warnings = diagnostics.len();
    if warnings > 0 {
        println!(
            "{warnings} warning{} above: the lessons keep what could not be carried over as comments in the quiz blocks, or as text",
            if warnings == 1 { "" } else { "s" }
        );
    }
    Ok(true)
}

/// `sabaq import mdbook BOOK --out COURSE`: a new course folder. `Ok(false)` when something
/// could not be converted (nothing is written then).
pub fn mdbook(book: &Path, out: &Path, id: Option<&str>) -> Result<bool> {
    if out.exists() {
        bail!(
            "{} exists already: the course is written to a new folder",
            display_path(out)
        );
    }
    if let Some(id) = id
        && (id.is_empty()
            || id.starts_with('-')
            || id.ends_with('-')
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        bail!("course id `{id}` is not valid: use lowercase letters, digits and '-'");
    }
    let imported = import::mdbook::import(book, id);
    eprint_all(&imported.diagnostics);
    if imported.failed() {
        let errors = imported.diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!(
            "error: import failed with {errors} error{}; nothing was written",
            if errors == 1 { "" } else { "s" }
        );
        return Ok(false);
    }
    // Written beside its place and moved there whole, so a failure leaves no half course.
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", display_path(parent)))?;
    let staging = tempfile::tempdir_in(parent)
        .with_context(|| format!("cannot write in {}", display_path(parent)))?;
    for (path, bytes) in &imported.files {
        if !path.components().all(|c| matches!(c, Component::Normal(_))) {
            bail!(
                "refusing to write {} outside the course folder",
                path.display()
            );
        }
        let target = staging.path().join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&target, bytes)
            .with_context(|| format!("cannot write {}", display_path(&out.join(path))))?;
    }
    std::fs::rename(staging.path(), out)
        .with_context(|| format!("cannot move the course into {}", display_path(out)))?;
    // Moved: nothing is left for the temporary folder to clean up.
    let _ = staging.keep();
    println!(
        "wrote {}: {} module{}, {} lesson{}, {} quiz question{}; try `sabaq serve {}`",
        display_path(out),
        imported.modules,
        if imported.modules == 1 { "" } else { "s" },
        imported.lessons,
        if imported.lessons == 1 { "" } else { "s" },
        imported.questions,
        if imported.questions == 1 { "" } else { "s" },
        display_path(out)
    );
    Ok(true)
}
