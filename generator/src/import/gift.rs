//! Moodle GIFT question banks read into course-format questions: comments, `::title::`,
//! `$CATEGORY`, format tags, escapes, and every question type; what the course format cannot
//! hold (partial credit, per-answer feedback on typed answers, essays) is reported at its line
//! and kept in the output as a comment or as lesson text, never dropped. The one exception is
//! HTML a page may not hold (the page policy of [`crate::html_policy`]): it is removed, with a
//! warning at its line and a comment above the question.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::import::emit::{self, Kind, NumberAnswer, Question};

/// Moodle's export writes the address of an image kept in Moodle this way; the image itself
/// is not in the GIFT file.
const PLUGINFILE: &str = "the text shows a file kept in Moodle (@@PLUGINFILE@@), which the GIFT export does not include: copy it into the course's assets and link it";

/// Stands for the answer block of a missing-word question while its sentence is converted (a
/// private-use character, which no conversion touches).
const GAP: &str = "\u{e000}";

/// One part of the imported lesson, in the order of the source.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A `$CATEGORY`: a heading, and the questions after it form a quiz of their own.
    Category(String),
    /// A question, with the byte offset in the file where it starts.
    Question(Question, usize),
    /// Text kept as it was: a description, or an essay question that cannot be graded offline.
    Text(String),
}

/// Everything read from one file.
#[derive(Debug, Default)]
pub struct Bank {
    pub parts: Vec<Part>,
    /// Warnings (kept, but not as the source meant) and errors (not converted).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a GIFT file.
pub fn read(path: &Path, text: &str) -> Bank {
    let mut bank = Bank::default();
    for chunk in chunks(text) {
        let mut reader = Reader {
            path,
            file: text,
            chunk: &chunk,
            bank: &mut bank,
        };
        reader.read();
    }
    bank
}

/// The non-comment lines of one question (questions are separated by blank lines), with the
/// byte offset in the file of each line.
struct Chunk {
    text: String,
    /// (offset in `text`, offset in the file) of each line's start.
    lines: Vec<(usize, usize)>,
}

impl Chunk {
    /// The file offset of a position in `text`.
    fn file_offset(&self, at: usize) -> usize {
        let index = self.lines.partition_point(|(start, _)| *start <= at);
        let (start, file) = self.lines[index.saturating_sub(1)];
        file + (at - start)
    }
}

fn chunks(text: &str) -> Vec<Chunk> {
    // A byte-order mark is three bytes the offsets must still count.
    let (text, mut offset) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let mut chunks = Vec::new();
    let mut current = Chunk {
        text: String::new(),
        lines: Vec::new(),
    };
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += line.len();
        if content.trim_start().starts_with("//") {
            continue;
        }
        if content.trim().is_empty() {
            if !current.lines.is_empty() {
                chunks.push(std::mem::replace(
                    &mut current,
                    Chunk {
                        text: String::new(),
                        lines: Vec::new(),
                    },
                ));
            }
            continue;
        }
        if !current.text.is_empty() {
            current.text.push('\n');
        }
        current.lines.push((current.text.len(), start));
        current.text.push_str(content);
    }
    if !current.lines.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The format a text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Moodle's auto-format (the default): plain text, line breaks kept.
    Moodle,
    Plain,
    Markdown,
    Html,
}

/// Where an unescaped `needle` first occurs in `text` from `from`.
fn find_unescaped(text: &str, needle: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < text.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        // Compared as bytes: after an escape `i` may stand inside a character.
        if bytes[i..].starts_with(needle.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// GIFT escapes resolved: `\~ \= \# \{ \} \:` are the characters, `\n` a line break.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(e @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// One `=` or `~` answer of an answer block.
#[derive(Debug)]
struct Answer {
    right: bool,
    /// `%n%`, when given.
    weight: Option<f64>,
    /// Raw text, escapes still in.
    text: String,
    feedback: Option<String>,
    /// Position in the chunk.
    at: usize,
}

impl Answer {
    /// Credit this answer gives, in percent.
    fn credit(&self) -> f64 {
        self.weight.unwrap_or(if self.right { 100.0 } else { 0.0 })
    }
}

struct Reader<'a> {
    path: &'a Path,
    file: &'a str,
    chunk: &'a Chunk,
    bank: &'a mut Bank,
}

impl Reader<'_> {
    fn at(&self, position: usize) -> usize {
        self.chunk.file_offset(position)
    }

    fn error(&mut self, position: usize, message: impl Into<String>) {
        let offset = self.at(position);
        self.bank
            .diagnostics
            .push(Diagnostic::error(self.path, message).at_offset(self.file, offset));
    }

    fn warn(&mut self, position: usize, message: impl Into<String>) {
        let offset = self.at(position);
        self.bank
            .diagnostics
            .push(Diagnostic::warning(self.path, message).at_offset(self.file, offset));
    }

    /// A warning that the lesson also keeps, as a comment above the question.
    fn warn_noted(&mut self, position: usize, message: String, notes: &mut Vec<String>) {
        self.warn(position, message.clone());
        notes.push(message);
    }

    fn read(&mut self) {
        let text = self.chunk.text.as_str();
        let mut start = text.len() - text.trim_start().len();
        if text[start..].starts_with("$CATEGORY:") {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let path = text[start + "$CATEGORY:".len()..end].trim();
            // Moodle's `$course$/top/Unit 1`: the last part names the category.
            let name = path
                .rsplit('/')
                .map(str::trim)
                .find(|part| !part.is_empty() && !part.starts_with('$'))
                .unwrap_or("Questions");
            self.bank.parts.push(Part::Category(name.to_string()));
            start = end;
            if text[start..].trim().is_empty() {
                return;
            }
            start += text[start..].len() - text[start..].trim_start().len();
        }
        self.question(start);
    }

    /// Reads the question that starts at `start`.
    fn question(&mut self, start: usize) {
        let text = self.chunk.text.clone();
        let mut rest = start;
        let mut title = None;
        if text[rest..].starts_with("::") {
            match find_unescaped(&text, "::", rest + 2) {
                Some(end) => {
                    title = Some(unescape(text[rest + 2..end].trim()));
                    rest = end + 2;
                }
                None => {
                    self.error(rest, "the title's `::` is not closed");
                    return;
                }
            }
        }
        let (format, after_format) = read_format(&text, rest);
        rest = after_format;
        let Some(open) = find_unescaped(&text, "{", rest) else {
            // No answers: a description, kept as text.
            let body = convert(&text[rest..], format);
            if body.contains("@@PLUGINFILE@@") {
                self.warn(start, PLUGINFILE);
            }
            let mut removed = Vec::new();
            let body = keep_safe_html(&body, format, &mut removed);
            for problem in removed {
                self.warn(start, problem);
            }
            if !body.trim().is_empty() {
                self.warn(
                    start,
                    "a description (text with no answers) is kept as text between quiz blocks",
                );
                self.bank.parts.push(Part::Text(with_title(&title, &body)));
            }
            return;
        };
        let Some(close) = find_unescaped(&text, "}", open + 1) else {
            self.error(open, "the answer block `{` is not closed with `}`");
            return;
        };
        if let Some(second) = find_unescaped(&text, "{", close + 1) {
            self.error(
                second,
                "a second answer block in one question (GIFT has one; Moodle's embedded-answer questions are not GIFT)",
            );
            return;
        }
        let before = &text[rest..open];
        let after = text[close + 1..].trim();
        let block = &text[open + 1..close];
        let missing_word = !after.is_empty();
        let mut question = match self.answers(block, open + 1, format, missing_word) {
            Some(Answers::Question(q)) => q,
            Some(Answers::Essay(general)) => {
                let prompt = convert(&format!("{before} {after}"), format);
                self.warn(
                    start,
                    "an essay question cannot be graded offline: it is kept as text for reflection, not as a quiz question",
                );
                let mut body = format!(
                    "**Question for reflection (not graded):** {}",
                    prompt.trim()
                );
                if let Some(general) = general {
                    body.push_str(&format!("\n\n*Notes for the reader:* {general}"));
                }
                self.bank.parts.push(Part::Text(with_title(&title, &body)));
                return;
            }
            None => return,
        };
        // The gap goes where the answer block was, with the source's own spacing around it.
        question.prompt = if missing_word {
            let gap = match &question.kind {
                Kind::Blank => question.prompt.clone(),
                // Markdown escapes are not read inside HTML.
                _ if format == Format::Html => "_____".to_string(),
                _ => "\\_\\_\\_\\_\\_".to_string(),
            };
            let sentence = convert(&format!("{before}{GAP}{}", &text[close + 1..]), format);
            sentence.replace(GAP, &gap)
        } else {
            convert(before, format)
        };
        if let Some(title) = title {
            question
                .notes
                .insert(0, format!("Title in the GIFT file: {title}"));
        }
        let mut problems: Vec<String> = Vec::new();
        each_shown_text(&mut question, |text| {
            *text = keep_safe_html(text, format, &mut problems);
        });
        let mut texts = vec![question.prompt.clone()];
        texts.extend(question.feedback.iter().map(|(_, f)| f.clone()));
        texts.extend(question.explanation.clone());
        texts.extend(options_of(&question.kind));
        if texts.iter().any(|t| t.contains("@@PLUGINFILE@@")) {
            problems.push(PLUGINFILE.to_string());
        }
        problems.sort();
        problems.dedup();
        for problem in problems {
            self.warn_noted(start, problem, &mut question.notes);
        }
        self.bank
            .parts
            .push(Part::Question(question, self.at(start)));
    }

    /// The answers of a block, as a question (its prompt filled in by the caller) or an essay.
    fn answers(
        &mut self,
        block: &str,
        at: usize,
        format: Format,
        missing_word: bool,
    ) -> Option<Answers> {
        // General feedback: `####` to the end of the block.
        let (body, general) = match find_unescaped(block, "####", 0) {
            Some(i) => (&block[..i], Some(convert(&block[i + 4..], format))),
            None => (block, None),
        };
        let trimmed = body.trim();
        let lead = body.len() - body.trim_start().len();
        if trimmed.is_empty() {
            return Some(Answers::Essay(general));
        }
        let mut question = if let Some(numeric) = trimmed.strip_prefix('#') {
            self.numeric(numeric, at + lead + 1)?
        } else if let Some(question) = self.true_false(trimmed, at + lead, format) {
            question?
        } else {
            let answers = self.split(body, at)?;
            self.choice_or_text(answers, format, missing_word)?
        };
        question.explanation = general.filter(|g| !g.trim().is_empty());
        Some(Answers::Question(question))
    }

    /// `{T}`, `{FALSE#wrong#right}`: `None` when the block is not true-false.
    fn true_false(&mut self, block: &str, at: usize, format: Format) -> Option<Option<Question>> {
        let word_end = block
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(block.len());
        let answer = match block[..word_end].to_ascii_uppercase().as_str() {
            "T" | "TRUE" => true,
            "F" | "FALSE" => false,
            _ => return None,
        };
        let rest = block[word_end..].trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            return None;
        }
        let mut feedbacks = Vec::new();
        let mut from = 0;
        while let Some(i) = find_unescaped(rest, "#", from) {
            let end = find_unescaped(rest, "#", i + 1).unwrap_or(rest.len());
            feedbacks.push(convert(&rest[i + 1..end], format));
            from = end;
        }
        if feedbacks.len() > 2 {
            self.error(
                at,
                "a true-false question has at most two feedbacks: `#wrong answer#right answer`",
            );
            return Some(None);
        }
        let mut question = Question::new(Kind::TrueFalse(answer), "");
        // The first feedback is for a wrong answer, the second for the right one.
        let (right, wrong) = (answer.to_string(), (!answer).to_string());
        let mut pairs = Vec::new();
        if let Some(f) = feedbacks.first().filter(|f| !f.trim().is_empty()) {
            pairs.push((wrong, f.trim().to_string()));
        }
        if let Some(f) = feedbacks.get(1).filter(|f| !f.trim().is_empty()) {
            pairs.push((right, f.trim().to_string()));
        }
        pairs.sort_by_key(|(option, _)| option != "true");
        question.feedback = pairs;
        Some(Some(question))
    }

    /// The `=` and `~` answers of a block.
    fn split(&mut self, block: &str, at: usize) -> Option<Vec<Answer>> {
        let mut starts = Vec::new();
        let bytes = block.as_bytes();
        let mut i = 0;
        while i < block.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'=' | b'~' => starts.push(i),
                _ => {}
            }
            i += 1;
        }
        if let Some(&first) = starts.first()
            && !block[..first].trim().is_empty()
        {
            self.error(
                at,
                "text before the first answer: each answer starts with `=` (right) or `~` (wrong)",
            );
            return None;
        }
        if starts.is_empty() {
            self.error(
                at,
                "no answers in `{…}`: write `=right ~wrong`, `#number`, `T` or `F`, or `{}` for an essay",
            );
            return None;
        }
        let mut answers = Vec::new();
        for (n, &s) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(block.len());
            let mut body = block[s + 1..end].trim();
            let mut weight = None;
            if let Some(w) = body.strip_prefix('%') {
                let Some(close) = w.find('%') else {
                    self.error(at + s, "a weight `%n%` is not closed");
                    return None;
                };
                match w[..close].trim().parse::<f64>() {
                    Ok(value) => weight = Some(value),
                    Err(_) => {
                        self.error(
                            at + s,
                            format!("weight `%{}%` is not a number", &w[..close]),
                        );
                        return None;
                    }
                }
                body = w[close + 1..].trim();
            }
            let (text, feedback) = match find_unescaped(body, "#", 0) {
                Some(h) => (&body[..h], Some(body[h + 1..].to_string())),
                None => (body, None),
            };
            answers.push(Answer {
                right: bytes[s] == b'=',
                weight,
                text: text.trim().to_string(),
                feedback,
                at: at + s,
            });
        }
        Some(answers)
    }

    fn choice_or_text(
        &mut self,
        answers: Vec<Answer>,
        format: Format,
        missing_word: bool,
    ) -> Option<Question> {
        // A choice in the middle of a sentence is the same choice, with a line for the gap.
        let first = answers[0].at;
        if answers
            .iter()
            .any(|a| find_unescaped(&a.text, "->", 0).is_some())
        {
            return self.matching(answers, format);
        }
        let any_wrong = answers.iter().any(|a| !a.right);
        if !any_wrong {
            return self.short_answer(answers, format, missing_word);
        }
        let option = |a: &Answer| convert(&a.text, format).trim().to_string();
        let marked: Vec<&Answer> = answers.iter().filter(|a| a.right).collect();
        let mut notes = Vec::new();
        let kind = if marked.len() == 1 && marked[0].credit() >= 100.0 {
            for a in answers.iter().filter(|a| !a.right && a.credit() > 0.0) {
                let message = format!(
                    "`{}` gives {}% partial credit in Moodle; a choice here is right or wrong, so it is a wrong option",
                    a.text,
                    a.credit()
                );
                self.warn_noted(a.at, message, &mut notes);
            }
            Kind::Single {
                answer: option(marked[0]),
                distractors: answers.iter().filter(|a| !a.right).map(option).collect(),
            }
        } else if marked.len() >= 2 {
            self.error(
                marked[1].at,
                "several `=` answers among `~` ones: a choice question has one `=` answer (use `~%n%` weights for several right options)",
            );
            return None;
        } else {
            // Multiple response: the answers with positive weights are the right ones.
            let (right, wrong): (Vec<&Answer>, Vec<&Answer>) =
                answers.iter().partition(|a| a.credit() > 0.0);
            if right.is_empty() {
                self.error(
                    first,
                    "no right answer: mark one with `=`, or give the right ones positive `%n%` weights",
                );
                return None;
            }
            if right.len() == 1 && right[0].credit() >= 100.0 {
                Kind::Single {
                    answer: option(right[0]),
                    distractors: wrong.iter().map(|a| option(a)).collect(),
                }
            } else {
                let message = "Moodle gives partial credit for each option chosen; here the question is right only when exactly the options with positive weights are chosen".to_string();
                self.warn_noted(first, message, &mut notes);
                Kind::Multiple {
                    answers: right.iter().map(|a| option(a)).collect(),
                    distractors: wrong.iter().map(|a| option(a)).collect(),
                }
            }
        };
        let mut question = Question::new(kind, "");
        question.notes = notes;
        question.feedback = answers
            .iter()
            .filter_map(|a| {
                let feedback = convert(a.feedback.as_deref()?, format).trim().to_string();
                (!feedback.is_empty()).then(|| (option(a), feedback))
            })
            .collect();
        Some(question)
    }

    fn short_answer(
        &mut self,
        answers: Vec<Answer>,
        format: Format,
        missing_word: bool,
    ) -> Option<Question> {
        let mut accepted = Vec::new();
        let mut notes = Vec::new();
        for a in &answers {
            // A typed answer is compared as text, never shown: escapes resolved, no Markdown.
            let mut text = unescape(&a.text).trim().to_string();
            // In Moodle `*` matches anything and `\*` is a star.
            if text.contains("\\*") {
                text = text.replace("\\*", "*");
            } else if text.contains('*') {
                let message = format!(
                    "`{text}`: Moodle reads `*` as \"anything\"; here it is a star the learner must type"
                );
                self.warn_noted(a.at, message, &mut notes);
            }
            if a.credit() >= 100.0 {
                accepted.push(text.clone());
            } else {
                let message = format!(
                    "`{text}` gives {}% partial credit in Moodle; here it is not accepted",
                    a.credit()
                );
                self.warn_noted(a.at, message, &mut notes);
            }
            if let Some(feedback) = &a.feedback {
                let feedback = convert(feedback, format).trim().to_string();
                if !feedback.is_empty() {
                    let message = format!(
                        "feedback for the typed answer `{text}` has no place in a text question; it is kept as a comment"
                    );
                    self.warn(a.at, message);
                    notes.push(format!(
                        "Feedback for `{text}` in the GIFT file: {feedback}"
                    ));
                }
            }
        }
        if accepted.is_empty() {
            self.error(answers[0].at, "no answer gets full credit");
            return None;
        }
        let mut question = if missing_word {
            if let Some(bad) = accepted.iter().find(|a| a.contains(['|', '[', ']'])) {
                self.error(
                    answers[0].at,
                    format!("the answer `{bad}` cannot be a gap: it holds `|`, `[` or `]`"),
                );
                return None;
            }
            Question::new(Kind::Blank, format!("[[{}]]", accepted.join("|")))
        } else {
            Question::new(Kind::Text(accepted), "")
        };
        question.notes = notes;
        Some(question)
    }

    fn matching(&mut self, answers: Vec<Answer>, format: Format) -> Option<Question> {
        let mut pairs = Vec::new();
        for a in &answers {
            let Some(arrow) = find_unescaped(&a.text, "->", 0).filter(|_| a.right) else {
                self.error(a.at, "a matching question has only `=left -> right` pairs");
                return None;
            };
            let left = convert(&a.text[..arrow], format).trim().to_string();
            // The right side is shown as plain text in a list to choose from: no Markdown.
            let right = unescape(&a.text[arrow + 2..]).trim().to_string();
            if format == Format::Html && right.contains('<') {
                self.warn(
                    a.at,
                    format!("`{right}`: the right side of a pair is shown as plain text, so its HTML tags show"),
                );
            }
            if left.is_empty() {
                self.error(
                    a.at,
                    "a pair with an empty left side (an extra wrong match) has no place here",
                );
                return None;
            }
            if a.feedback.is_some() {
                self.warn(
                    a.at,
                    "feedback on a matching pair is not part of GIFT; ignored by Moodle and here",
                );
            }
            pairs.push((left, right));
        }
        Some(Question::new(Kind::Match(pairs), ""))
    }

    /// `{#…}`: one answer (`1.5:0.1`, `1..5`, `2`), or several `=` answers with weights.
    fn numeric(&mut self, block: &str, at: usize) -> Option<Question> {
        let trimmed = block.trim();
        let answers = if trimmed.starts_with('=') || trimmed.starts_with('~') {
            self.split(block, at)?
        } else {
            let (text, feedback) = match find_unescaped(trimmed, "#", 0) {
                Some(h) => (&trimmed[..h], Some(trimmed[h + 1..].to_string())),
                None => (trimmed, None),
            };
            vec![Answer {
                right: true,
                weight: None,
                text: text.trim().to_string(),
                feedback,
                at,
            }]
        };
        let mut notes = Vec::new();
        let mut accepted = Vec::new();
        for a in &answers {
            let Some(value) = parse_numeric(&a.text) else {
                self.error(
                    a.at,
                    format!(
                        "`{}` is not a number, `number:tolerance` or `low..high`",
                        a.text
                    ),
                );
                return None;
            };
            if a.right && a.credit() >= 100.0 {
                accepted.push((value, a));
            } else {
                let message = format!(
                    "`{}` gives {}% credit in Moodle; here only full-credit answers are accepted",
                    a.text,
                    a.credit()
                );
                self.warn_noted(a.at, message, &mut notes);
            }
            if let Some(feedback) = a
                .feedback
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
            {
                self.warn(
                    a.at,
                    format!(
                        "feedback for the number `{}` has no place in a number question; it is kept as a comment",
                        a.text
                    ),
                );
                notes.push(format!(
                    "Feedback for `{}` in the GIFT file: {}",
                    a.text,
                    unescape(feedback)
                ));
            }
        }
        let answer = match accepted.as_slice() {
            [(value, _)] => value.clone(),
            [] => {
                self.error(at, "no answer gets full credit");
                return None;
            }
            [_, (_, second), ..] => {
                self.error(
                    second.at,
                    "several full-credit numbers: a number question here accepts one number or one range",
                );
                return None;
            }
        };
        let mut question = Question::new(Kind::Number(answer), "");
        question.notes = notes;
        Some(question)
    }
}

/// The options of a choice or matching question, for the checks every text gets.
fn options_of(kind: &Kind) -> Vec<String> {
    match kind {
        Kind::Single {
            answer,
            distractors,
        } => std::iter::once(answer)
            .chain(distractors)
            .cloned()
            .collect(),
        Kind::Multiple {
            answers,
            distractors,
        } => answers.iter().chain(distractors).cloned().collect(),
        Kind::Match(pairs) => pairs
            .iter()
            .flat_map(|(l, r)| [l.clone(), r.clone()])
            .collect(),
        _ => Vec::new(),
    }
}

enum Answers {
    Question(Question),
    /// An essay, with its general feedback.
    Essay(Option<String>),
}

/// `1.5:0.1`, `1..5` or `2`.
fn parse_numeric(text: &str) -> Option<NumberAnswer> {
    let text = unescape(text);
    let text = text.trim();
    if let Some((low, high)) = text.split_once("..") {
        let (low, high) = (low.trim(), high.trim());
        return (emit::is_number(low) && emit::is_number(high)).then(|| NumberAnswer::Range {
            low: low.to_string(),
            high: high.to_string(),
        });
    }
    let (answer, tolerance) = match text.split_once(':') {
        Some((a, t)) => (a.trim(), t.trim()),
        None => (text, "0"),
    };
    (emit::is_number(answer) && emit::is_number(tolerance)).then(|| NumberAnswer::Exact {
        answer: answer.to_string(),
        tolerance: tolerance.to_string(),
    })
}

/// `[html]`, `[moodle]`, `[plain]` or `[markdown]` at `from` (after spaces): the format and
/// where the text after it starts.
fn read_format(text: &str, from: usize) -> (Format, usize) {
    let start = from + (text[from..].len() - text[from..].trim_start().len());
    for (tag, format) in [
        ("[html]", Format::Html),
        ("[moodle]", Format::Moodle),
        ("[plain]", Format::Plain),
        ("[markdown]", Format::Markdown),
    ] {
        if text[start..].starts_with(tag) {
            return (format, start + tag.len());
        }
    }
    (Format::Moodle, start)
}

/// A GIFT text as course-format Markdown.
fn convert(text: &str, format: Format) -> String {
    let text = unescape(text);
    match format {
        Format::Markdown | Format::Html => text.trim().to_string(),
        Format::Moodle | Format::Plain => emit::literal_markdown(text.trim()),
    }
}

fn with_title(title: &Option<String>, body: &str) -> String {
    match title {
        Some(title) => format!("**{}**\n\n{}", emit::literal_markdown(title), body.trim()),
        None => body.trim().to_string(),
    }
}

/// Every text of a question that a page shows, to be changed in place (feedback follows its
/// option, so the two stay paired).
fn each_shown_text(question: &mut Question, mut change: impl FnMut(&mut String)) {
    change(&mut question.prompt);
    if let Some(explanation) = question.explanation.as_mut() {
        change(explanation);
    }
    for (option, feedback) in &mut question.feedback {
        change(option);
        change(feedback);
    }
    match &mut question.kind {
        Kind::Single {
            answer,
            distractors,
        } => {
            change(answer);
            distractors.iter_mut().for_each(&mut change);
        }
        Kind::Multiple {
            answers,
            distractors,
        } => {
            answers.iter_mut().chain(distractors).for_each(&mut change);
        }
        Kind::Match(pairs) => {
            for (left, _) in pairs {
                change(left);
            }
        }
        _ => {}
    }
}

/// An `[html]` or `[markdown]` text with only the HTML a Sabaq page allows (the page policy of
/// [`crate::html_policy`]): what is removed is said in `removed`. Other formats are written
/// literally and hold no HTML.
fn keep_safe_html(text: &str, format: Format, removed: &mut Vec<String>) -> String {
    let risky = match format {
        Format::Html => !crate::html_policy::refusals(text).is_empty(),
        Format::Markdown => !crate::html_policy::markdown_refusals(text).is_empty(),
        Format::Moodle | Format::Plain => false,
    };
    if !risky {
        return text.to_string();
    }
    let (kept, messages) = crate::html_policy::sanitize(text);
    for message in messages {
        let message = format!("removed from the imported text: {message}");
        if !removed.contains(&message) {
            removed.push(message);
        }
    }
    kept
}
