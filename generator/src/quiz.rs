//! Quiz blocks: decodes the YAML of a ```quiz fence into a checked [`Quiz`] (every problem at
//! the offending key's `file:line:col`) and renders it as a plain HTML form that reads with
//! JavaScript off. Fed by the Markdown stage, which lifts the blocks out of lessons.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::i18n::{self, Strings};
use crate::markdown;
use crate::yaml::{self, KeyIndex, Snippet};

/// A checked quiz.
#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    pub id: String,
    pub mode: Mode,
    pub pass: Option<PassMark>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Instant feedback per question; earns nothing.
    Practice,
    /// Graded as a whole; earns a completion code.
    Assessment,
}

/// How many questions a learner must get right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassMark {
    Count(u32),
    Percent(u32),
}

impl PassMark {
    /// The number of correct answers needed out of `total`.
    pub fn required(self, total: usize) -> usize {
        match self {
            PassMark::Count(n) => n as usize,
            PassMark::Percent(p) => (total * p as usize).div_ceil(100),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Markdown.
    pub prompt: String,
    pub kind: QuestionKind,
    pub explanation: Option<String>,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    Single {
        answer: String,
        distractors: Vec<String>,
        feedback: BTreeMap<String, String>,
    },
    Multiple {
        answers: Vec<String>,
        distractors: Vec<String>,
        feedback: BTreeMap<String, String>,
    },
    TrueFalse {
        answer: bool,
        feedback: BTreeMap<String, String>,
    },
    Text {
        answers: Vec<String>,
    },
    Number {
        answer: Option<f64>,
        /// Accepted values, inclusive.
        accept: (f64, f64),
    },
    /// Items in their correct order.
    Order {
        items: Vec<String>,
    },
    Match {
        pairs: Vec<(String, String)>,
    },
    /// The accepted answers of each `[[gap]]` in the prompt, in order.
    Blank {
        gaps: Vec<Vec<String>>,
    },
}

/// The question types of the authoring contract, with the keys each one takes beyond the
/// common `type`, `prompt`, `explanation` and `hint`.
const TYPES: &[(&str, &[&str])] = &[
    ("single", &["answer", "distractors", "feedback"]),
    ("multiple", &["answers", "distractors", "feedback"]),
    ("true-false", &["answer", "feedback"]),
    ("text", &["answer", "answers"]),
    ("number", &["answer", "tolerance", "range"]),
    ("order", &["items"]),
    ("match", &["pairs"]),
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

    /// Option texts, each non-empty.
    fn options(&mut self, path: &str, values: &[Scalar]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let text = value.text();
            if text.is_empty() {
                self.error(&format!("{path}.{i}"), "empty option");
            }
            out.push(text);
        }
        out
    }

    /// No option may be both right and wrong, or appear twice.
    fn distinct(&mut self, q: &str, answers: &[String], distractors: &[String]) {
        for (i, d) in distractors.iter().enumerate() {
            if d.is_empty() {
                continue; // already reported as an empty option
            }
            if answers.contains(d) {
                self.error(
                    &format!("{q}.distractors.{i}"),
                    format!("`{d}` is both an answer and a distractor"),
                );
            } else if distractors[..i].contains(d) {
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
    let pass = raw.pass.and_then(|p| check_pass(&mut check, &p, total));
    if mode == Mode::Assessment && pass.is_none() && !decoded.keys.contains("pass") {
        check.error_with_help(
            "mode",
            "an assessment needs a pass mark",
            "add `pass: 8` (questions) or `pass: \"80%\"`",
        );
    }
    if check.problems.is_empty() {
        Ok(Parsed {
            quiz: Quiz {
                id,
                mode,
                pass,
                questions,
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

fn check_pass(check: &mut Checker, pass: &Scalar, total: usize) -> Option<PassMark> {
    let mark = match pass {
        Scalar::Int(n) if *n >= 1 => PassMark::Count(*n as u32),
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
            format!("pass mark {n} is above the number of questions ({total})"),
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
            QuestionKind::Text { answers }
        }
        "number" => check_number(check, &q, &raw),
        "order" => {
            let items = check.options(&format!("{q}.items"), raw.items.as_deref().unwrap_or(&[]));
            if items.len() < 2 {
                check.error(&q, "an `order` question needs at least two `items`");
            }
            check.distinct(&q, &[], &items);
            QuestionKind::Order { items }
        }
        "match" => {
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
            let gaps = blank_gaps(&prompt);
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
    (check.problems.len() == before).then_some(Question {
        prompt,
        kind,
        explanation: raw.explanation,
        hint: raw.hint,
    })
}

fn check_number(check: &mut Checker, q: &str, raw: &RawQuestion) -> QuestionKind {
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
    QuestionKind::Number { answer, accept }
}

/// The gaps of a blank prompt: `[[savings|saving]]` accepts either form.
pub fn blank_gaps(prompt: &str) -> Vec<Vec<String>> {
    let mut gaps = Vec::new();
    let mut rest = prompt;
    while let Some(start) = rest.find("[[") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else { break };
        gaps.push(
            after[..end]
                .split('|')
                .map(|a| a.trim().to_string())
                .collect(),
        );
        rest = &after[end + 2..];
    }
    gaps
}

/// A stable scramble of options: the same quiz always shows the same order, and the order says
/// nothing about which option is right.
fn scrambled<'a>(
    quiz_id: &str,
    question: usize,
    options: impl IntoIterator<Item = &'a String>,
) -> Vec<&'a String> {
    let mut options: Vec<&String> = options.into_iter().collect();
    options.sort_by_key(|o| fnv1a(&format!("{quiz_id}\u{0}{question}\u{0}{o}")));
    options
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn escape(s: &str) -> String {
    markdown::escape_html(s)
}

/// Renders the quiz as a form that reads without JavaScript; inputs stay disabled until the
/// quiz engine takes the form over. No answer is written into the page.
pub fn render_html(quiz: &Quiz, strings: &Strings) -> String {
    let t = |key| i18n::text(strings, key);
    let id = &quiz.id;
    let mut html = String::new();
    let (mode, heading) = match quiz.mode {
        Mode::Practice => ("practice", t("quiz_practice")),
        Mode::Assessment => ("assessment", t("quiz_assessment")),
    };
    let _ = write!(
        html,
        "<section class=\"quiz\" id=\"quiz-{id}\" data-quiz=\"{id}\" data-mode=\"{mode}\" aria-labelledby=\"quiz-{id}-h\">\n<h2 id=\"quiz-{id}-h\">{heading}</h2>\n<p class=\"quiz-meta\">{} {}",
        quiz.questions.len(),
        t("quiz_questions"),
    );
    if let Some(pass) = quiz.pass {
        let _ = write!(
            html,
            " · {}: {}",
            t("quiz_pass"),
            pass.required(quiz.questions.len())
        );
    }
    let _ = write!(
        html,
        "</p>\n<p class=\"quiz-nojs\">{}</p>\n<form class=\"quiz-form\" action=\"#quiz-{id}\">\n<fieldset class=\"quiz-body\" disabled>\n<legend class=\"visually-hidden\">{heading}</legend>\n",
        t("quiz_needs_browser"),
    );
    for (n, question) in quiz.questions.iter().enumerate() {
        render_question(&mut html, quiz, n, question, strings);
    }
    let _ = write!(
        html,
        "<button type=\"submit\" class=\"quiz-check\">{}</button>\n</fieldset>\n</form>\n</section>\n",
        t("quiz_check")
    );
    html
}

fn render_question(
    html: &mut String,
    quiz: &Quiz,
    n: usize,
    question: &Question,
    strings: &Strings,
) {
    let t = |key| i18n::text(strings, key);
    let qid = format!("q-{}-{}", quiz.id, n + 1);
    let type_name = match &question.kind {
        QuestionKind::Single { .. } => "single",
        QuestionKind::Multiple { .. } => "multiple",
        QuestionKind::TrueFalse { .. } => "true-false",
        QuestionKind::Text { .. } => "text",
        QuestionKind::Number { .. } => "number",
        QuestionKind::Order { .. } => "order",
        QuestionKind::Match { .. } => "match",
        QuestionKind::Blank { .. } => "blank",
    };
    let _ = write!(
        html,
        "<fieldset class=\"question\" id=\"{qid}\" data-type=\"{type_name}\" aria-describedby=\"{qid}-p\">\n<legend>{} {}</legend>\n",
        t("quiz_question"),
        n + 1
    );
    if let QuestionKind::Blank { .. } = question.kind {
        let _ = writeln!(
            html,
            "<div class=\"prompt\" id=\"{qid}-p\">{}</div>",
            render_blank_prompt(&question.prompt, &qid, strings)
        );
    } else {
        let _ = writeln!(
            html,
            "<div class=\"prompt\" id=\"{qid}-p\">{}</div>",
            markdown::render_fragment(&question.prompt)
        );
    }
    let choice = |html: &mut String, input: &str, options: Vec<&String>| {
        for (i, option) in options.iter().enumerate() {
            let _ = writeln!(
                html,
                "<div class=\"option\"><input type=\"{input}\" name=\"{qid}\" id=\"{qid}-{i}\" value=\"{i}\"><label for=\"{qid}-{i}\">{}</label></div>",
                markdown::render_inline(option)
            );
        }
    };
    match &question.kind {
        QuestionKind::Single {
            answer,
            distractors,
            ..
        } => {
            choice(
                html,
                "radio",
                scrambled(&quiz.id, n, std::iter::once(answer).chain(distractors)),
            );
        }
        QuestionKind::Multiple {
            answers,
            distractors,
            ..
        } => {
            choice(
                html,
                "checkbox",
                scrambled(&quiz.id, n, answers.iter().chain(distractors)),
            );
        }
        QuestionKind::TrueFalse { .. } => {
            let (yes, no) = (t("quiz_true").to_string(), t("quiz_false").to_string());
            choice(html, "radio", vec![&yes, &no]);
        }
        QuestionKind::Text { .. } | QuestionKind::Number { .. } => {
            let mode = if matches!(question.kind, QuestionKind::Number { .. }) {
                " inputmode=\"decimal\""
            } else {
                ""
            };
            let _ = writeln!(
                html,
                "<div class=\"answer\"><label for=\"{qid}-a\">{}</label> <input type=\"text\" id=\"{qid}-a\" name=\"{qid}\" autocomplete=\"off\"{mode}></div>",
                t("quiz_your_answer")
            );
        }
        QuestionKind::Order { items } => {
            let count = items.len();
            html.push_str("<ol class=\"order\">\n");
            for (i, item) in scrambled(&quiz.id, n, items).iter().enumerate() {
                let _ = write!(
                    html,
                    "<li><label for=\"{qid}-{i}\">{}</label> <select id=\"{qid}-{i}\" name=\"{qid}-{i}\"><option value=\"\">{}</option>",
                    markdown::render_inline(item),
                    t("quiz_position")
                );
                for p in 1..=count {
                    let _ = write!(html, "<option>{p}</option>");
                }
                html.push_str("</select></li>\n");
            }
            html.push_str("</ol>\n");
        }
        QuestionKind::Match { pairs } => {
            let rights: Vec<&String> = scrambled(&quiz.id, n, pairs.iter().map(|(_, r)| r));
            html.push_str("<dl class=\"match\">\n");
            for (i, (left, _)) in pairs.iter().enumerate() {
                let _ = write!(
                    html,
                    "<dt><label for=\"{qid}-{i}\">{}</label></dt><dd><select id=\"{qid}-{i}\" name=\"{qid}-{i}\"><option value=\"\">{}</option>",
                    markdown::render_inline(left),
                    t("quiz_choose")
                );
                for (j, right) in rights.iter().enumerate() {
                    let _ = write!(html, "<option value=\"{j}\">{}</option>", escape(right));
                }
                html.push_str("</select></dd>\n");
            }
            html.push_str("</dl>\n");
        }
        QuestionKind::Blank { .. } => {}
    }
    if let Some(hint) = &question.hint {
        let _ = writeln!(
            html,
            "<details class=\"hint\"><summary>{}</summary>{}</details>",
            t("quiz_hint"),
            markdown::render_fragment(hint)
        );
    }
    html.push_str("</fieldset>\n");
}

/// The prompt with each `[[gap]]` replaced by a labelled text box; the answers never appear.
fn render_blank_prompt(prompt: &str, qid: &str, strings: &Strings) -> String {
    const MARK: char = '\u{E000}';
    let mut text = String::new();
    let mut rest = prompt;
    while let Some(start) = rest.find("[[") {
        let Some(end) = rest[start + 2..].find("]]") else {
            break;
        };
        text.push_str(&rest[..start]);
        text.push(MARK);
        rest = &rest[start + 2 + end + 2..];
    }
    text.push_str(rest);
    let rendered = markdown::render_fragment(&text);
    let mut out = String::new();
    for (i, piece) in rendered.split(MARK).enumerate() {
        if i > 0 {
            let _ = write!(
                out,
                "<input type=\"text\" class=\"gap\" id=\"{qid}-{n}\" name=\"{qid}-{n}\" aria-label=\"{} {n}\" autocomplete=\"off\">",
                i18n::text(strings, "quiz_blank"),
                n = i
            );
        }
        out.push_str(piece);
    }
    out
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
            QuestionKind::Number { answer: Some(a), accept } if *a == 600.0 && *accept == (600.0, 600.0)
        ));
        assert_eq!(
            quiz.questions[8].kind,
            QuestionKind::Blank {
                gaps: vec![vec!["savings".into(), "saving".into()], vec!["debt".into()]]
            }
        );
    }

    #[test]
    fn rendered_form_names_no_answer_and_hides_gaps() {
        let quiz = parse_text(ALL_TYPES).unwrap();
        let html = render_html(&quiz, &crate::i18n::strings_for("en"));
        assert!(html.contains("What is a budget?"));
        assert!(html.contains("A bank account"));
        for secret in ["savings", "debt", "a debt", "A loan is money you owe"] {
            assert!(!html.contains(secret), "{secret} leaked into the form");
        }
        assert_eq!(html.matches("class=\"gap\"").count(), 2);
        assert!(html.contains("<fieldset class=\"quiz-body\" disabled>"));
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
    fn pass_mark_above_question_count_is_an_error() {
        let text = "id: q\nmode: assessment\npass: 3\nquestions:\n  - type: true-false\n    prompt: P\n    answer: true\n";
        assert_eq!(
            messages(text),
            vec!["3:1 pass mark 3 is above the number of questions (1)"]
        );
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
            errors[0].starts_with("4:5 invalid YAML: questions[0]: unknown field `promt`"),
            "{errors:?}"
        );
    }
}
