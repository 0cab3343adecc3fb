//! Quiz blocks: decodes the YAML of a ```quiz fence into the checked model of `sabaq-quiz`,
//! reporting every problem at the offending key's `file:line:col`. Fed by the Markdown stage,
//! which lifts the blocks out of lessons; [`crate::quiz_form`] renders the result.

use std::collections::BTreeMap;

use sabaq_quiz::key::accepted_forms;
use sabaq_quiz::model::blank_gaps;
pub use sabaq_quiz::{Mode, PassMark, Question, QuestionKind, Quiz};
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::diag::Diagnostic;
use crate::yaml::{self, KeyIndex, Snippet};

/// The question types of the authoring contract, with the keys each one takes beyond the
/// common `type`, `prompt`, `explanation` and `hint`.
/// The most items of an `order` question and pairs of a `match` question: each is shown with a
/// list of every position or answer, so a page grows with the square of them; far more than a
/// phone's screen can use.
const MAX_LISTED: usize = 50;

const TYPES: &[(&str, &[&str])] = &[
    ("single", &["answer", "distractors", "feedback", "shuffle"]),
    (
        "multiple",
        &["answers", "distractors", "feedback", "shuffle"],
    ),
    ("true-false", &["answer", "feedback"]),
    ("text", &["answer", "answers"]),
    ("number", &["answer", "tolerance", "range"]),
    ("order", &["items", "shuffle"]),
    ("match", &["pairs", "shuffle"]),
    ("blank", &[]),
];

/// A YAML scalar where the author may write text, a number or a boolean.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Text(s) => s.trim().to_string(),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            // Beyond 2^53 an integer is not exact as a float: reported by `fits`.
            Scalar::Int(i) if i.unsigned_abs() > 1 << 53 => Some(f64::INFINITY),
            Scalar::Int(i) => Some(*i as f64),
            Scalar::Float(f) => Some(*f),
            Scalar::Text(s) => s.trim().parse().ok(),
            Scalar::Bool(_) => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    id: Option<String>,
    mode: Option<String>,
    pass: Option<Scalar>,
    shuffle: Option<bool>,
    draw: Option<i64>,
    questions: Option<Vec<RawQuestion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    #[serde(rename = "type")]
    kind: Option<String>,
    prompt: Option<String>,
    answer: Option<Scalar>,
    answers: Option<Vec<Scalar>>,
    distractors: Option<Vec<Scalar>>,
    feedback: Option<BTreeMap<String, String>>,
    explanation: Option<String>,
    hint: Option<String>,
    tolerance: Option<f64>,
    range: Option<Vec<f64>>,
    items: Option<Vec<Scalar>>,
    pairs: Option<Vec<Vec<Scalar>>>,
    shuffle: Option<bool>,
}

impl RawQuestion {
    /// The type-specific keys this question sets.
    fn keys_present(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        let set = [
            ("answer", self.answer.is_some()),
            ("answers", self.answers.is_some()),
            ("distractors", self.distractors.is_some()),
            ("feedback", self.feedback.is_some()),
            ("tolerance", self.tolerance.is_some()),
            ("range", self.range.is_some()),
            ("items", self.items.is_some()),
            ("pairs", self.pairs.is_some()),
            ("shuffle", self.shuffle.is_some()),
        ];
        for (key, present) in set {
            if present {
                keys.push(key);
            }
        }
        keys
    }
}

/// Collects the problems of one quiz block, each at its key.
struct Checker<'a> {
    snippet: &'a Snippet<'a>,
    keys: &'a KeyIndex,
    problems: Vec<Diagnostic>,
    /// Where the block's lines start, made when an option is first checked.
    lines: std::cell::OnceCell<crate::diag::LineIndex<'a>>,
}

impl Checker<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        let pos = self.keys.locate(path);
        self.problems.push(self.snippet.error_at(pos, message));
    }

    fn error_with_help(&mut self, path: &str, message: impl Into<String>, help: &str) {
        let pos = self.keys.locate(path);
        self.problems
            .push(self.snippet.error_at(pos, message).with_help(help));
    }

    /// Raw HTML or a link in a text shown on the page (all of them are Markdown), checked
    /// against the page policy.
    fn page_policy(&mut self, path: &str, text: &str) {
        for (_, message) in crate::html_policy::markdown_refusals(text) {
            self.error_with_help(
                path,
                message,
                "write it in Markdown, or leave it out: see docs/authoring.md, \"HTML in lessons\"",
            );
        }
    }

    /// Option texts, each non-empty.
    fn options(&mut self, path: &str, values: &[Scalar]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let text = value.text();
            let item = format!("{path}.{i}");
            if text.is_empty() {
                self.error(&item, "empty option");
            } else if self.splits_a_number(&item) {
                self.error_with_help(
                    &item,
                    format!("`{text}` looks like the end of a number split at its thousands comma"),
                    "in a [list], commas separate options: quote an option that holds a number like \"Rs 1,800\"",
                );
            }
            out.push(text);
        }
        out
    }

    /// Whether the list item at `path` starts straight after a comma that follows a digit, as
    /// `[Rs 1,800, ...]` does: YAML reads that as two options, `Rs 1` and `800`.
    fn splits_a_number(&self, path: &str) -> bool {
        if !self.keys.contains(path) {
            return false;
        }
        let pos = self.keys.locate(path);
        let lines = self
            .lines
            .get_or_init(|| crate::diag::LineIndex::new(self.snippet.text));
        let Some(line) = lines.line(pos.line) else {
            return false;
        };
        // The two characters before the item's column.
        let before = line.chars().take(pos.col - 1);
        let mut last_two = [' ', ' '];
        for c in before {
            last_two = [last_two[1], c];
        }
        matches!(last_two, [d, ','] if d.is_ascii_digit())
    }

    /// No option may be both right and wrong, or appear twice.
    fn distinct(&mut self, q: &str, answers: &[String], distractors: &[String]) {
        let answers: std::collections::HashSet<&String> = answers.iter().collect();
        let mut seen = std::collections::HashSet::new();
        for (i, d) in distractors.iter().enumerate() {
            if d.is_empty() {
                continue; // already reported as an empty option
            }
            if answers.contains(d) {
                self.error(
                    &format!("{q}.distractors.{i}"),
                    format!("`{d}` is both an answer and a distractor"),
                );
            } else if !seen.insert(d) {
                self.error(
                    &format!("{q}.distractors.{i}"),
                    format!("`{d}` is listed twice"),
                );
            }
        }
    }

    fn feedback(
        &mut self,
        q: &str,
        feedback: Option<BTreeMap<String, String>>,
        options: &[String],
    ) -> BTreeMap<String, String> {
        let feedback = feedback.unwrap_or_default();
        for option in feedback.keys() {
            if !options.iter().any(|o| o == option.trim()) {
                self.error(
                    &format!("{q}.feedback.{option}"),
                    format!("feedback for `{option}`, which is not one of the options"),
                );
            }
        }
        feedback
    }
}

/// A checked quiz and where its `id` key stands, for duplicate-id reports.
#[derive(Debug)]
pub struct Parsed {
    pub quiz: Quiz,
    pub id_at: yaml::KeyPos,
}

/// Decodes and checks a quiz block. `Err` holds every problem found.
pub fn parse(snippet: &Snippet) -> Result<Parsed, Vec<Diagnostic>> {
    if snippet.text.trim().is_empty() {
        return Err(vec![snippet.error_at_start(
            "empty quiz block: it needs an `id` and `questions`",
        )]);
    }
    let decoded = yaml::decode::<RawQuiz>(snippet).map_err(|d| vec![d])?;
    let raw = decoded.value;
    let mut check = Checker {
        snippet,
        keys: &decoded.keys,
        problems: Vec::new(),
        lines: std::cell::OnceCell::new(),
    };

    let id = match raw.id {
        Some(id) if is_valid_quiz_id(&id) => id,
        Some(id) => {
            check.error_with_help(
                "id",
                format!("quiz id `{id}` is not valid"),
                "use lowercase letters, digits and '-', such as `budgeting-check`",
            );
            id
        }
        None => {
            check.error_with_help(
                "",
                "the quiz has no `id`",
                "add an id unique within the course, such as `id: budgeting-check`",
            );
            String::new()
        }
    };
    let mode = match raw.mode.as_deref() {
        None | Some("practice") => Mode::Practice,
        Some("assessment") => Mode::Assessment,
        Some(other) => {
            check.error_with_help(
                "mode",
                format!("unknown quiz mode `{other}`"),
                "use `practice` or `assessment`",
            );
            Mode::Practice
        }
    };
    let raw_questions = raw.questions.unwrap_or_default();
    if raw_questions.is_empty() {
        check.error("questions", "the quiz has no questions");
    }
    let questions: Vec<Question> = raw_questions
        .into_iter()
        .enumerate()
        .filter_map(|(i, q)| check_question(&mut check, i, q))
        .collect();
    // Count what was written, including questions that failed their own checks.
    let total = (0..)
        .take_while(|i| decoded.keys.contains(&format!("questions.{i}")))
        .count();
    let draw = raw
        .draw
        .and_then(|k| check_draw(&mut check, k, mode, total));
    let (shown, noun) = match draw {
        Some(k) => (k as usize, "questions drawn per attempt"),
        None => (total, "questions"),
    };
    let pass = raw
        .pass
        .and_then(|p| check_pass(&mut check, &p, shown, noun));
    if mode == Mode::Assessment && pass.is_none() && !decoded.keys.contains("pass") {
        check.error_with_help(
            "mode",
            "an assessment needs a pass mark",
            "add `pass: 8` (questions) or `pass: \"80%\"`",
        );
    }
    if mode == Mode::Practice {
        for (i, question) in questions.iter().enumerate() {
            if let Err(why) = accepted_forms(&id, i, &question.kind) {
                let at = ["range", "tolerance", "answer"]
                    .iter()
                    .map(|k| format!("questions.{i}.{k}"))
                    .find(|path| decoded.keys.contains(path))
                    .unwrap_or_else(|| format!("questions.{i}"));
                check.error_with_help(&at, why, "narrow the range, or write fewer decimal places");
            }
        }
    }
    if check.problems.is_empty() {
        Ok(Parsed {
            quiz: Quiz {
                id,
                mode,
                pass,
                questions,
                shuffle: raw.shuffle.unwrap_or(true),
                draw,
            },
            id_at: decoded.keys.locate("id"),
        })
    } else {
        let mut problems = check.problems;
        problems.sort_by_key(|d| d.position);
        Err(problems)
    }
}

fn is_valid_quiz_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// `draw: k`: each practice attempt shows k of the questions.
fn check_draw(check: &mut Checker, k: i64, mode: Mode, total: usize) -> Option<u32> {
    if mode == Mode::Assessment {
        check.error_with_help(
            "draw",
            "`draw` works in practice quizzes only",
            "an assessment grades the same questions for everyone; remove `draw`",
        );
        return None;
    }
    match u32::try_from(k) {
        Ok(k) if k >= 1 && k as usize <= total => Some(k),
        _ => {
            check.error(
                "draw",
                format!("draw {k} is not between 1 and the number of questions ({total})"),
            );
            None
        }
    }
}

/// `pass`, checked against the number of questions an attempt shows (`total`, or `draw`).
fn check_pass(check: &mut Checker, pass: &Scalar, total: usize, noun: &str) -> Option<PassMark> {
    let mark = match pass {
        Scalar::Int(n) if *n >= 1 => match u32::try_from(*n) {
            Ok(n) => PassMark::Count(n),
            // Never wrapped: a mark that does not fit is above any number of questions.
            Err(_) => {
                check.error(
                    "pass",
                    format!("pass mark {n} is above the number of {noun} ({total})"),
                );
                return None;
            }
        },
        Scalar::Text(t) if t.trim().ends_with('%') => {
            match t.trim().trim_end_matches('%').trim().parse::<u32>() {
                Ok(p) if (1..=100).contains(&p) => PassMark::Percent(p),
                _ => {
                    check.error(
                        "pass",
                        format!("pass mark `{t}` is not a percentage from 1% to 100%"),
                    );
                    return None;
                }
            }
        }
        other => {
            check.error_with_help(
                "pass",
                format!(
                    "pass mark `{}` is not a number of questions or a percentage",
                    other.text()
                ),
                "write `pass: 8` or `pass: \"80%\"`",
            );
            return None;
        }
    };
    if let PassMark::Count(n) = mark
        && n as usize > total
    {
        check.error(
            "pass",
            format!("pass mark {n} is above the number of {noun} ({total})"),
        );
        return None;
    }
    Some(mark)
}

fn check_question(check: &mut Checker, index: usize, raw: RawQuestion) -> Option<Question> {
    let q = format!("questions.{index}");
    let Some(kind) = raw.kind.clone() else {
        check.error_with_help(
            &q,
            "the question has no `type`",
            "use one of: single, multiple, true-false, text, number, order, match, blank",
        );
        return None;
    };
    let Some((_, allowed)) = TYPES.iter().find(|(name, _)| *name == kind) else {
        check.error_with_help(
            &format!("{q}.type"),
            format!("unknown question type `{kind}`"),
            "use one of: single, multiple, true-false, text, number, order, match, blank",
        );
        return None;
    };
    let before = check.problems.len();
    for key in raw.keys_present() {
        if !allowed.contains(&key) {
            check.error(
                &format!("{q}.{key}"),
                format!("`{key}` does not belong to a `{kind}` question"),
            );
        }
    }
    let prompt = raw.prompt.clone().unwrap_or_default();
    if prompt.trim().is_empty() {
        check.error(&q, "the question has no `prompt`");
    }
    let kind = match kind.as_str() {
        "single" => {
            let answer = match &raw.answer {
                Some(a) => {
                    let text = a.text();
                    if text.is_empty() {
                        check.error(&format!("{q}.answer"), "empty option");
                    }
                    text
                }
                None => {
                    check.error(&q, "a `single` question needs an `answer`");
                    String::new()
                }
            };
            let distractors = check.options(
                &format!("{q}.distractors"),
                raw.distractors.as_deref().unwrap_or(&[]),
            );
            if distractors.is_empty() {
                check.error(&q, "a `single` question needs at least one distractor");
            }
            check.distinct(&q, std::slice::from_ref(&answer), &distractors);
            let options: Vec<String> = std::iter::once(answer.clone())
                .chain(distractors.iter().cloned())
                .collect();
            let feedback = check.feedback(&q, raw.feedback, &options);
            QuestionKind::Single {
                answer,
                distractors,
                feedback,
            }
        }
        "multiple" => {
            let answers = check.options(
                &format!("{q}.answers"),
                raw.answers.as_deref().unwrap_or(&[]),
            );
            if answers.is_empty() {
                check.error(&q, "a `multiple` question needs `answers`");
            }
            let distractors = check.options(
                &format!("{q}.distractors"),
                raw.distractors.as_deref().unwrap_or(&[]),
            );
            check.distinct(&q, &answers, &distractors);
            let options: Vec<String> = answers.iter().chain(&distractors).cloned().collect();
            let feedback = check.feedback(&q, raw.feedback, &options);
            QuestionKind::Multiple {
                answers,
                distractors,
                feedback,
            }
        }
        "true-false" => {
            let answer = match raw.answer {
                Some(Scalar::Bool(b)) => b,
                Some(other) => {
                    check.error(
                        &format!("{q}.answer"),
                        format!(
                            "a `true-false` answer is `true` or `false`, not `{}`",
                            other.text()
                        ),
                    );
                    false
                }
                None => {
                    check.error(&q, "a `true-false` question needs an `answer`");
                    false
                }
            };
            let feedback = check.feedback(&q, raw.feedback, &["true".into(), "false".into()]);
            QuestionKind::TrueFalse { answer, feedback }
        }
        "text" => {
            let mut answers = check.options(
                &format!("{q}.answers"),
                raw.answers.as_deref().unwrap_or(&[]),
            );
            if let Some(a) = &raw.answer {
                if raw.answers.is_some() {
                    check.error(
                        &format!("{q}.answer"),
                        "use `answer` or `answers`, not both",
                    );
                }
                answers.push(a.text());
            }
            if answers.is_empty() {
                check.error(&q, "a `text` question needs `answers`");
            }
            let answers = answers.iter().map(|a| nfc(a)).collect();
            QuestionKind::Text { answers }
        }
        "number" => check_number(check, &q, &raw),
        "order" => {
            let listed = raw.items.as_deref().unwrap_or(&[]);
            if listed.len() > MAX_LISTED {
                check.error(
                    &format!("{q}.items"),
                    format!(
                        "an `order` question has at most {MAX_LISTED} items, this one has {}: each item gets a list of every position, so the page grows with the square of the items",
                        listed.len()
                    ),
                );
                return None;
            }
            let items = check.options(&format!("{q}.items"), listed);
            if items.len() < 2 {
                check.error(&q, "an `order` question needs at least two `items`");
            }
            check.distinct(&q, &[], &items);
            QuestionKind::Order { items }
        }
        "match" => {
            let listed = raw.pairs.as_deref().unwrap_or(&[]).len();
            if listed > MAX_LISTED {
                check.error(
                    &format!("{q}.pairs"),
                    format!(
                        "a `match` question has at most {MAX_LISTED} pairs, this one has {listed}: each pair gets a list of every answer, so the page grows with the square of the pairs"
                    ),
                );
                return None;
            }
            let mut pairs = Vec::new();
            for (i, pair) in raw.pairs.iter().flatten().enumerate() {
                let path = format!("{q}.pairs.{i}");
                if pair.len() != 2 {
                    check.error(
                        &path,
                        format!("a pair has two sides, this one has {}", pair.len()),
                    );
                    continue;
                }
                let (left, right) = (pair[0].text(), pair[1].text());
                if left.is_empty() || right.is_empty() {
                    check.error(&path, "empty option");
                }
                if pairs
                    .iter()
                    .any(|(l, r): &(String, String)| *l == left || *r == right)
                {
                    check.error(
                        &path,
                        "each side of a pair must differ from the other pairs",
                    );
                }
                pairs.push((left, right));
            }
            if pairs.len() < 2 {
                check.error(&q, "a `match` question needs at least two `pairs`");
            }
            QuestionKind::Match { pairs }
        }
        "blank" => {
            let gaps: Vec<Vec<String>> = blank_gaps(&prompt)
                .iter()
                .map(|alternatives| alternatives.iter().map(|a| nfc(a)).collect())
                .collect();
            if gaps.is_empty() {
                check.error_with_help(
                    &format!("{q}.prompt"),
                    "a `blank` question needs at least one gap",
                    "mark each gap in the prompt with its answer: `Money kept for later is [[savings]]`",
                );
            }
            if gaps.iter().any(|g| g.iter().all(|a| a.is_empty())) {
                check.error(&format!("{q}.prompt"), "empty gap `[[]]`");
            }
            QuestionKind::Blank { gaps }
        }
        _ => unreachable!("every name in TYPES is handled"),
    };
    let notes = [
        ("explanation", raw.explanation.as_deref()),
        ("hint", raw.hint.as_deref()),
    ];
    for (path, text) in shown_texts(&q, &prompt, notes, &kind) {
        check.page_policy(&path, text);
    }
    (check.problems.len() == before).then_some(Question {
        prompt,
        kind,
        explanation: raw.explanation,
        hint: raw.hint,
        shuffle: raw.shuffle,
    })
}

/// The largest whole number a page's JavaScript holds exactly (2^53).
const EXACT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Whether a number is one the page can compare exactly: finite and at most 2^53 either way.
fn fits(n: f64) -> bool {
    n.is_finite() && n.abs() <= EXACT_LIMIT
}

/// Every text of question `q` that its page shows (all of them Markdown), with its key; `notes`
/// are its explanation and hint.
fn shown_texts<'t>(
    q: &str,
    prompt: &'t str,
    notes: [(&str, Option<&'t str>); 2],
    kind: &'t QuestionKind,
) -> Vec<(String, &'t str)> {
    let listed = |key: &str, items: &'t [String]| -> Vec<(String, &'t str)> {
        items
            .iter()
            .enumerate()
            .map(|(i, text)| (format!("{q}.{key}.{i}"), text.as_str()))
            .collect()
    };
    let mut texts = vec![(format!("{q}.prompt"), prompt)];
    for (key, text) in notes {
        if let Some(text) = text {
            texts.push((format!("{q}.{key}"), text));
        }
    }
    match kind {
        QuestionKind::Single {
            answer,
            distractors,
            feedback,
        } => {
            texts.push((format!("{q}.answer"), answer.as_str()));
            texts.extend(listed("distractors", distractors));
            texts.extend(
                feedback
                    .iter()
                    .map(|(o, t)| (format!("{q}.feedback.{o}"), t.as_str())),
            );
        }
        QuestionKind::Multiple {
            answers,
            distractors,
            feedback,
        } => {
            texts.extend(listed("answers", answers));
            texts.extend(listed("distractors", distractors));
            texts.extend(
                feedback
                    .iter()
                    .map(|(o, t)| (format!("{q}.feedback.{o}"), t.as_str())),
            );
        }
        QuestionKind::TrueFalse { feedback, .. } => {
            texts.extend(
                feedback
                    .iter()
                    .map(|(o, t)| (format!("{q}.feedback.{o}"), t.as_str())),
            );
        }
        QuestionKind::Order { items } => texts.extend(listed("items", items)),
        QuestionKind::Match { pairs } => {
            for (i, (left, right)) in pairs.iter().enumerate() {
                texts.push((format!("{q}.pairs.{i}"), left.as_str()));
                texts.push((format!("{q}.pairs.{i}"), right.as_str()));
            }
        }
        _ => {}
    }
    texts
}

fn check_number(check: &mut Checker, q: &str, raw: &RawQuestion) -> QuestionKind {
    let shown = |n: Option<f64>| n.map(|n| (n, n.to_string()));
    let written = [
        (
            "answer",
            raw.answer
                .as_ref()
                .and_then(|a| Some((a.number()?, a.text()))),
        ),
        ("tolerance", shown(raw.tolerance)),
        (
            "range.0",
            shown(raw.range.as_ref().and_then(|r| r.first().copied())),
        ),
        (
            "range.1",
            shown(raw.range.as_ref().and_then(|r| r.get(1).copied())),
        ),
    ];
    let mut fit = true;
    for (key, value) in written {
        if let Some((n, text)) = value
            && !fits(n)
        {
            check.error(
                &format!("{q}.{key}"),
                format!("the number {text} does not fit: numbers are at most 9007199254740992 (2^53) either way"),
            );
            fit = false;
        }
    }
    if !fit {
        return QuestionKind::Number {
            accept: (0.0, 0.0),
            precision: 0,
        };
    }
    let answer = match &raw.answer {
        Some(a) => match a.number() {
            Some(n) => Some(n),
            None => {
                check.error(
                    &format!("{q}.answer"),
                    format!("`{}` is not a number", a.text()),
                );
                None
            }
        },
        None => None,
    };
    let accept = match (&raw.range, raw.tolerance, answer) {
        (Some(_), Some(_), _) => {
            check.error(
                &format!("{q}.range"),
                "use `tolerance` or `range`, not both",
            );
            (0.0, 0.0)
        }
        (Some(range), None, _) => {
            if range.len() != 2 || range[0] > range[1] {
                check.error(&format!("{q}.range"), "a range is `[lowest, highest]`");
                (0.0, 0.0)
            } else {
                if let Some(a) = answer
                    && !(range[0]..=range[1]).contains(&a)
                {
                    check.error(
                        &format!("{q}.answer"),
                        format!("the answer {a} is outside the range"),
                    );
                }
                (range[0], range[1])
            }
        }
        (None, tolerance, Some(a)) => {
            let t = tolerance.unwrap_or(0.0);
            if t < 0.0 {
                check.error(&format!("{q}.tolerance"), "tolerance cannot be negative");
            }
            (a - t, a + t)
        }
        (None, _, None) => {
            if raw.answer.is_none() {
                check.error(q, "a `number` question needs an `answer` or a `range`");
            }
            (0.0, 0.0)
        }
    };
    let written = [
        raw.answer.as_ref().map(Scalar::text),
        raw.tolerance.map(|t| t.to_string()),
        raw.range
            .as_ref()
            .and_then(|r| r.first())
            .map(|r| r.to_string()),
        raw.range
            .as_ref()
            .and_then(|r| r.get(1))
            .map(|r| r.to_string()),
    ];
    let precision = written
        .iter()
        .flatten()
        .map(|text| decimals(text))
        .max()
        .unwrap_or(0);
    QuestionKind::Number { accept, precision }
}

/// Decimal places written in a number: `3.25` has 2.
fn decimals(text: &str) -> u8 {
    text.split_once('.').map_or(0, |(_, fraction)| {
        fraction.trim_end_matches('0').len().min(6) as u8
    })
}

/// Composed Unicode (NFC), the form the browser also compares in.
fn nfc(text: &str) -> String {
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse_text(text: &str) -> Result<Quiz, Vec<Diagnostic>> {
        parse(&Snippet::whole(Path::new("lesson.md"), text)).map(|p| p.quiz)
    }

    fn messages(text: &str) -> Vec<String> {
        parse_text(text)
            .unwrap_err()
            .into_iter()
            .map(|d| {
                let p = d.position.unwrap();
                format!("{}:{} {}", p.line, p.col, d.message)
            })
            .collect()
    }

    const ALL_TYPES: &str = r#"
id: all-types
mode: assessment
pass: "75%"
questions:
  - type: single
    prompt: What is a budget?
    answer: A plan
    distractors: [A bank account, A loan]
    feedback:
      A loan: A loan is money you owe.
  - type: multiple
    prompt: Which are expenses?
    answers: [Rent, Electricity]
    distractors: [Sales]
  - type: true-false
    prompt: Profit is income.
    answer: false
  - type: text
    prompt: Money owed?
    answers: [debt, a debt]
  - type: number
    prompt: 15 x 40?
    answer: 600
    tolerance: 0
  - type: number
    prompt: About how much?
    answer: 600
    range: [590, 610]
  - type: order
    prompt: Order these.
    items: [List income, List expenses, Subtract]
  - type: match
    prompt: Match.
    pairs:
      - [Income, Money in]
      - [Expense, Money out]
  - type: blank
    prompt: "Kept for later is [[savings|saving]], owed is [[debt]]."
"#;

    #[test]
    fn every_question_type_parses() {
        let quiz = parse_text(ALL_TYPES).unwrap();
        assert_eq!(quiz.id, "all-types");
        assert_eq!(quiz.mode, Mode::Assessment);
        assert_eq!(quiz.pass, Some(PassMark::Percent(75)));
        assert_eq!(quiz.questions.len(), 9);
        assert_eq!(quiz.pass.unwrap().required(9), 7);
        assert!(matches!(
            &quiz.questions[4].kind,
            QuestionKind::Number { accept, precision: 0 } if *accept == (600.0, 600.0)
        ));
        assert_eq!(
            quiz.questions[8].kind,
            QuestionKind::Blank {
                gaps: vec![vec!["savings".into(), "saving".into()], vec!["debt".into()]]
            }
        );
    }

    #[test]
    fn errors_point_at_the_offending_key() {
        let text = "id: q\nquestions:\n  - type: single\n    prompt: P\n    answer: A\n    distractors: [B, A]\n  - type: essay\n    prompt: Q\n";
        assert_eq!(
            messages(text),
            vec![
                "6:22 `A` is both an answer and a distractor".to_string(),
                "7:5 unknown question type `essay`".to_string(),
            ]
        );
    }

    #[test]
    fn a_number_split_at_its_thousands_comma_is_an_error() {
        let text = "id: q\nquestions:\n  - type: single\n    prompt: P\n    answer: Rs 2,100\n    distractors: [Rs 1,800, \"Rs 2,400\", 100,200]\n";
        assert_eq!(
            messages(text),
            vec![
                "6:24 `800` looks like the end of a number split at its thousands comma"
                    .to_string(),
                "6:45 `200` looks like the end of a number split at its thousands comma"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn pass_mark_above_question_count_is_an_error() {
        let text = "id: q\nmode: assessment\npass: 3\nquestions:\n  - type: true-false\n    prompt: P\n    answer: true\n";
        assert_eq!(
            messages(text),
            vec!["3:1 pass mark 3 is above the number of questions (1)"]
        );
    }

    #[test]
    fn draw_and_shuffle_are_checked() {
        let tf = "  - type: true-false\n    prompt: P\n    answer: true\n";
        let three = tf.repeat(3);
        let drawn = parse_text(&format!(
            "id: q\ndraw: 2\npass: \"50%\"\nshuffle: false\nquestions:\n{three}"
        ))
        .unwrap();
        assert_eq!(
            (drawn.draw, drawn.shown(), drawn.required(), drawn.shuffle),
            (Some(2), 2, 1, false)
        );
        assert_eq!(
            messages(&format!("id: q\ndraw: 4\nquestions:\n{three}")),
            vec!["2:1 draw 4 is not between 1 and the number of questions (3)"]
        );
        assert_eq!(
            messages(&format!("id: q\ndraw: 2\npass: 3\nquestions:\n{three}")),
            vec!["3:1 pass mark 3 is above the number of questions drawn per attempt (2)"]
        );
        assert_eq!(
            messages(&format!(
                "id: q\nmode: assessment\npass: 1\ndraw: 2\nquestions:\n{three}"
            )),
            vec!["4:1 `draw` works in practice quizzes only"]
        );
        assert_eq!(
            messages(
                "id: q\nquestions:\n  - type: text\n    prompt: P\n    answers: [a]\n    shuffle: false\n"
            ),
            vec!["6:5 `shuffle` does not belong to a `text` question"]
        );
        let fixed = parse_text("id: q\nquestions:\n  - type: single\n    prompt: P\n    answer: A\n    distractors: [B]\n    shuffle: false\n  - type: single\n    prompt: P\n    answer: A\n    distractors: [B]\n  - type: true-false\n    prompt: P\n    answer: true\n").unwrap();
        assert_eq!(
            (fixed.shuffles(0), fixed.shuffles(1), fixed.shuffles(2)),
            (false, true, false)
        );
        assert_eq!(fixed.required(), 3);
    }

    #[test]
    fn missing_answer_empty_option_and_misplaced_keys_are_errors() {
        let text = "id: q\nquestions:\n  - type: single\n    prompt: P\n    distractors: [B, '']\n    items: [x]\n";
        assert_eq!(
            messages(text),
            vec![
                "3:5 a `single` question needs an `answer`".to_string(),
                "5:22 empty option".to_string(),
                "6:5 `items` does not belong to a `single` question".to_string(),
            ]
        );
    }

    #[test]
    fn unknown_key_is_reported_by_the_yaml_layer() {
        let text = "id: q\nquestions:\n  - type: single\n    promt: P\n";
        let errors = messages(text);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("4:5 questions[0]: unknown field `promt`"),
            "{errors:?}"
        );
    }
}
