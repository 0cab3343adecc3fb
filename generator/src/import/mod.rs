//! `sabaq import`: question banks and books made for other tools, turned into course-format
//! lessons. Each converted question is checked by the same quiz parser a build uses, so what
//! an import writes builds; what it cannot carry over faithfully is reported at its source line.

pub mod emit;
pub mod gift;
pub mod mdbook;

use std::collections::HashSet;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::yaml::Snippet;
use emit::Question;

/// A quiz id not used yet in the course being made, from `name`.
pub fn unique_id(name: &str, used: &mut HashSet<String>) -> String {
    let base = match emit::id_from(name) {
        id if id.is_empty() => "quiz".to_string(),
        id => id,
    };
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Checks one converted question with the build's quiz parser; the problems, if any, as
/// messages.
pub fn check_question(question: &Question) -> Vec<String> {
    let block = emit::quiz_block("imported", std::slice::from_ref(question));
    let yaml = block
        .strip_prefix("```quiz\n")
        .and_then(|b| b.strip_suffix("```\n"))
        .expect("quiz_block writes fences");
    let snippet = Snippet {
        path: Path::new("imported.md"),
        file_text: yaml,
        text: yaml,
        first_line: 0,
        indent: 0,
    };
    match crate::quiz::parse(&snippet) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.into_iter().map(|d| d.message).collect(),
    }
}

/// A lesson file's front matter.
pub fn front_matter(title: &str) -> String {
    format!("---\ntitle: {}\n---\n", emit::quoted(title))
}

/// "money-basics_quiz" as "Money basics quiz".
pub fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Imported questions".to_string(),
    }
}

/// The lesson made of one GIFT file: a quiz block per run of questions, a heading per
/// category, descriptions and essays as text. `None` when a question could not be converted
/// (the errors are among the diagnostics, with the warnings).
pub fn gift_lesson(
    path: &Path,
    text: &str,
    used_ids: &mut HashSet<String>,
) -> (Option<String>, Vec<Diagnostic>) {
    let bank = gift::read(path, text);
    let mut diagnostics = bank.diagnostics;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut lesson = front_matter(&title_from_name(&stem));
    let mut pending: Vec<Question> = Vec::new();
    let mut quiz_name = stem.clone();
    let flush = |lesson: &mut String,
                 pending: &mut Vec<Question>,
                 name: &str,
                 used: &mut HashSet<String>| {
        if !pending.is_empty() {
            lesson.push('\n');
            lesson.push_str(&emit::quiz_block(&unique_id(name, used), pending));
            pending.clear();
        }
    };
    for part in bank.parts {
        match part {
            gift::Part::Category(name) => {
                flush(&mut lesson, &mut pending, &quiz_name, used_ids);
                lesson.push_str(&format!("\n## {}\n", emit::literal_markdown(&name)));
                quiz_name = name;
            }
            gift::Part::Text(text) => {
                flush(&mut lesson, &mut pending, &quiz_name, used_ids);
                lesson.push_str(&format!("\n{text}\n"));
            }
            gift::Part::Question(question, offset) => {
                let problems = check_question(&question);
                if problems.is_empty() {
                    pending.push(question);
                } else {
                    for problem in problems {
                        diagnostics.push(
                            Diagnostic::error(
                                path,
                                format!("the converted question does not check: {problem}"),
                            )
                            .at_offset(text, offset),
                        );
                    }
                }
            }
        }
    }
    flush(&mut lesson, &mut pending, &quiz_name, used_ids);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    (if failed { None } else { Some(lesson) }, diagnostics)
}
