//! Imported questions written as quiz blocks of the course format: YAML with every text
//! double-quoted (a JSON string is a YAML double-quoted scalar), and YAML comments for what the
//! source says that the format has no place for, so nothing is lost on the way.

use std::fmt::Write;

/// A question on its way into the course format.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub kind: Kind,
    /// Markdown; a `blank` prompt carries its `[[gaps]]`.
    pub prompt: String,
    /// Feedback per option (for true-false, per `true` / `false`), in the source's order.
    pub feedback: Vec<(String, String)>,
    pub explanation: Option<String>,
    /// Lines written as YAML comments above the question: its title in the source, and what
    /// could not be carried over.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Single {
        answer: String,
        distractors: Vec<String>,
    },
    Multiple {
        answers: Vec<String>,
        distractors: Vec<String>,
    },
    TrueFalse(bool),
    Text(Vec<String>),
    /// Numbers kept as the source wrote them.
    Number(NumberAnswer),
    Match(Vec<(String, String)>),
    Blank,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NumberAnswer {
    Exact { answer: String, tolerance: String },
    Range { low: String, high: String },
}

impl Question {
    pub fn new(kind: Kind, prompt: impl Into<String>) -> Self {
        Question {
            kind,
            prompt: prompt.into(),
            feedback: Vec::new(),
            explanation: None,
            notes: Vec::new(),
        }
    }
}

/// A YAML double-quoted scalar.
pub fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// The YAML of one question as an item of `questions:`, indented by two spaces.
pub fn question_yaml(question: &Question) -> String {
    let mut out = String::new();
    for note in &question.notes {
        for line in note.lines() {
            let _ = writeln!(out, "  # {line}");
        }
    }
    let type_name = match &question.kind {
        Kind::Single { .. } => "single",
        Kind::Multiple { .. } => "multiple",
        Kind::TrueFalse(_) => "true-false",
        Kind::Text(_) => "text",
        Kind::Number(_) => "number",
        Kind::Match(_) => "match",
        Kind::Blank => "blank",
    };
    let _ = writeln!(out, "  - type: {type_name}");
    let _ = writeln!(out, "    prompt: {}", quoted(&question.prompt));
    let list = |out: &mut String, key: &str, items: &[String]| {
        let _ = writeln!(out, "    {key}:");
        for item in items {
            let _ = writeln!(out, "      - {}", quoted(item));
        }
    };
    match &question.kind {
        Kind::Single {
            answer,
            distractors,
        } => {
            let _ = writeln!(out, "    answer: {}", quoted(answer));
            list(&mut out, "distractors", distractors);
        }
        Kind::Multiple {
            answers,
            distractors,
        } => {
            list(&mut out, "answers", answers);
            if !distractors.is_empty() {
                list(&mut out, "distractors", distractors);
            }
        }
        Kind::TrueFalse(answer) => {
            let _ = writeln!(out, "    answer: {answer}");
        }
        Kind::Text(answers) => list(&mut out, "answers", answers),
        Kind::Number(NumberAnswer::Exact { answer, tolerance }) => {
            let _ = writeln!(out, "    answer: {answer}");
            let _ = writeln!(out, "    tolerance: {tolerance}");
        }
        Kind::Number(NumberAnswer::Range { low, high }) => {
            let _ = writeln!(out, "    range: [{low}, {high}]");
        }
        Kind::Match(pairs) => {
            let _ = writeln!(out, "    pairs:");
            for (left, right) in pairs {
                let _ = writeln!(out, "      - [{}, {}]", quoted(left), quoted(right));
            }
        }
        Kind::Blank => {}
    }
    if !question.feedback.is_empty() {
        let _ = writeln!(out, "    feedback:");
        for (option, text) in &question.feedback {
            let _ = writeln!(out, "      {}: {}", quoted(option), quoted(text));
        }
    }
    if let Some(explanation) = &question.explanation {
        let _ = writeln!(out, "    explanation: {}", quoted(explanation));
    }
    out
}

/// A whole quiz block, fences included.
pub fn quiz_block(id: &str, questions: &[Question]) -> String {
    let mut out = format!("```quiz\nid: {id}\nquestions:\n");
    for question in questions {
        out.push_str(&question_yaml(question));
    }
    out.push_str("```\n");
    out
}

/// Whether `text` is a number the course format reads as one (and YAML as a number).
pub fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

/// A lowercase id of letters, digits and '-' from any name (empty when nothing is left).
pub fn id_from(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// Markdown that shows `text` literally: characters that start inline markup are escaped
/// everywhere, those that start a block (a heading, list or rule) at the start of a line
/// (CommonMark lets any ASCII punctuation be escaped), and a line break stays a line break.
pub fn literal_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\\\n");
        }
        // Leading spaces would make an indented code block; on a web page they showed nothing.
        let line = line.trim_start();
        // "1." or "1)" at the start of a line would begin a list.
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        for (j, c) in line.chars().enumerate() {
            let starts_block = (j == 0 && matches!(c, '#' | '+' | '-' | '=' | '>'))
                || (j == digits && digits > 0 && matches!(c, '.' | ')'));
            let starts_inline = matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' | '&'
            );
            if starts_block || starts_inline {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_ids_and_literal_text() {
        assert!(is_number("1.5") && is_number("-2") && is_number("600"));
        assert!(!is_number("1e5") && !is_number("1.") && !is_number("") && !is_number("0x10"));
        assert_eq!(
            id_from("Rust / Ownership: Basics!"),
            "rust-ownership-basics"
        );
        assert_eq!(
            literal_markdown("*not* bold\n# nor a heading"),
            "\\*not\\* bold\\\n\\# nor a heading"
        );
        assert_eq!(literal_markdown("2. Second"), "2\\. Second");
        assert_eq!(quoted("say \"hi\"\nnow"), "\"say \\\"hi\\\"\\nnow\"");
    }
}
