//! Quiz forms: renders a checked quiz as an HTML form that reads with JavaScript off, and
//! writes the page contract the quiz engine hydrates: the quiz salt, each practice question's
//! answer key, and its explanation and option feedback sealed so that only the right response
//! (or picking that option) opens them. No answer is ever written in plain text.
//!
//! Assessment quizzes get no per-question keys: they are graded as a whole through the gate of
//! the credentials scheme, and a per-question key would tell a learner which answers are right.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sabaq_quiz::key::{accepted_forms, make_key, opening_key, option_key, quiz_salt, to_hex};
use sabaq_quiz::model::display_order;
use sabaq_quiz::sealed;
use sabaq_quiz::{Mode, Question, QuestionKind, Quiz};

use crate::assessment::Locked;
use crate::i18n::{self, Strings};
use crate::markdown::{escape_html, render_fragment, render_inline};

/// What a question's form needs to carry for the engine.
struct Sealed {
    /// `data-key` of a practice question; `None` for an assessment, whose page holds no key.
    key: Option<String>,
    /// The explanation, sealed under the right response (practice) or the module secret.
    explanation: Option<String>,
}

/// Renders `quiz` of the course `course_id`; inputs stay disabled until the engine takes over.
/// An assessment comes with its lock (`locked`), a practice quiz without.
pub fn render_html(
    quiz: &Quiz,
    course_id: &str,
    strings: &Strings,
    locked: Option<&Locked>,
) -> String {
    // Interface strings are the institution's to reword (theme/i18n): escaped, like any text.
    let t = |key| escape_html(i18n::text(strings, key));
    let id = &quiz.id;
    let salt = quiz_salt(course_id, id);
    let (mode, heading) = match quiz.mode {
        Mode::Practice => ("practice", t("quiz_practice")),
        Mode::Assessment => ("assessment", t("quiz_assessment")),
    };
    let mut html = String::new();
    let _ = write!(
        html,
        "<section class=\"quiz\" id=\"quiz-{id}\" data-quiz=\"{id}\" data-course=\"{course_id}\" data-mode=\"{mode}\" data-salt=\"{}\" data-pass=\"{}\"",
        to_hex(&salt),
        quiz.required(),
    );
    if let Some(draw) = quiz.draw {
        let _ = write!(html, " data-draw=\"{draw}\"");
    }
    if let Some(locked) = locked {
        write_lock(&mut html, locked, strings);
    }
    for (attribute, key) in [
        ("question", "quiz_question"),
        ("right", "quiz_right"),
        ("wrong", "quiz_wrong"),
        ("unanswered", "quiz_unanswered"),
        ("summary", "quiz_summary"),
    ] {
        let _ = write!(html, " data-t-{attribute}=\"{}\"", t(key));
    }
    let _ = write!(
        html,
        " aria-labelledby=\"quiz-{id}-h\">\n<h2 id=\"quiz-{id}-h\">{heading}</h2>\n<p class=\"quiz-meta\">{} {}",
        quiz.questions.len(),
        t("quiz_questions"),
    );
    if let Some(draw) = quiz.draw {
        let drawn = t("quiz_drawn")
            .replace("{draw}", &draw.to_string())
            .replace("{total}", &quiz.questions.len().to_string());
        let _ = write!(html, " · {drawn}");
    }
    if quiz.pass.is_some() {
        let _ = write!(html, " · {}: {}", t("quiz_pass"), quiz.required());
    }
    let _ = write!(
        html,
        "</p>\n<p class=\"quiz-nojs\">{}</p>\n<form class=\"quiz-form\" action=\"#quiz-{id}\">\n<fieldset class=\"quiz-body\" disabled>\n<legend class=\"visually-hidden\">{heading}</legend>\n",
        t("quiz_needs_browser"),
    );
    if let Some(locked) = locked {
        write_learner_field(&mut html, id, locked, strings);
    }
    // Unguessable without the answers, and the same on every build: a digest of the whole
    // quiz, made once (each question's key hashes it, so it must not grow with the quiz).
    let seed: [u8; 32] = {
        use sha2::Digest as _;
        sha2::Sha256::digest(format!("{course_id}\u{0}{quiz:?}")).into()
    };
    for (n, question) in quiz.questions.iter().enumerate() {
        let sealed = match locked {
            None => Some(seal_question(quiz, n, question, &salt, &seed)),
            Some(locked) => Some(Sealed {
                key: None,
                explanation: locked.explanations[n].clone(),
            }),
        };
        render_question(
            &mut html,
            quiz,
            n,
            question,
            sealed.as_ref(),
            &salt,
            strings,
        );
    }
    let _ = write!(
        html,
        "<div class=\"quiz-actions\"><button type=\"submit\" class=\"quiz-check\">{}</button> <button type=\"reset\" class=\"quiz-again\">{}</button></div>\n</fieldset>\n",
        t(if locked.is_some() {
            "quiz_submit"
        } else {
            "quiz_check"
        }),
        t("quiz_again")
    );
    match locked {
        Some(locked) => write_outcome(&mut html, locked, strings),
        // Where the practice engine gives the score; it takes focus after a check.
        None => html.push_str("<p class=\"quiz-summary\" role=\"status\" tabindex=\"-1\"></p>\n"),
    }
    html.push_str("</form>\n</section>\n");
    html
}

fn seal_question(
    quiz: &Quiz,
    n: usize,
    question: &Question,
    salt: &[u8; 16],
    seed: &[u8],
) -> Sealed {
    let forms = accepted_forms(&quiz.id, n, &question.kind)
        .expect("quiz parsing refuses questions without a practice key");
    let key = make_key(salt, n, question.kind.precision(), &forms, seed);
    let explanation = question.explanation.as_ref().map(|text| {
        let opening = opening_key(salt, n, &key, &forms);
        to_hex(&sealed::seal(&opening, render_fragment(text).as_bytes()))
    });
    Sealed {
        key: Some(key.encode()),
        explanation,
    }
}

/// The lock of an assessment on its section: the gate, what a code needs, where to send it,
/// and the strings the engine shows (in the course's language).
fn write_lock(html: &mut String, locked: &Locked, strings: &Strings) {
    let version = if locked.usable {
        sabaq_quiz::code::VERSION
    } else {
        sabaq_quiz::code::VERSION_UNUSABLE
    };
    let _ = write!(
        html,
        " data-gate=\"{}\" data-module=\"{}\" data-epoch=\"{}\" data-version=\"{version}\"",
        locked.gate_hex, locked.module, locked.epoch
    );
    let message = i18n::text(strings, "quiz_code_message")
        .replace("{course}", &locked.course_title)
        .replace("{module}", &locked.module.to_string());
    let _ = write!(html, " data-t-message=\"{}\"", escape_html(&message));
}

/// What an assessment shows once graded, written hidden into the page for the engine to fill
/// in and reveal: "checking" with a progress bar, "not passed yet", or the pass with its code
/// and links that send it (their addresses end where the engine appends the message).
fn write_outcome(html: &mut String, locked: &Locked, strings: &Strings) {
    let t = |key| escape_html(i18n::text(strings, key));
    let _ = write!(
        html,
        "<div class=\"quiz-outcome\">\n<p class=\"quiz-checking\" hidden>{}</p>\n<progress class=\"quiz-progress\" hidden></progress>\n<p class=\"quiz-result quiz-not-passed\" role=\"status\" tabindex=\"-1\" hidden>{}</p>\n<div class=\"quiz-result quiz-passed\" role=\"status\" tabindex=\"-1\" hidden data-t-score=\"{}\">\n<p class=\"quiz-score\"></p>\n<p>{}</p>\n<p class=\"code\" dir=\"ltr\" lang=\"en\"></p>\n<p>{}: <span class=\"code-digits\" dir=\"ltr\"></span></p>\n<span class=\"quiz-qr\" role=\"img\" aria-label=\"{}\" hidden></span>\n",
        t("quiz_checking"),
        t("quiz_not_passed"),
        t("quiz_passed"),
        t("quiz_code"),
        t("quiz_code_digits"),
        t("code_qr"),
    );
    if !locked.usable {
        let _ = writeln!(
            html,
            "<p class=\"code-unusable\">{}</p>",
            t("quiz_code_unusable")
        );
    }
    let submit = &locked.submit;
    let digits = |number: &str| -> String { number.chars().filter(char::is_ascii_digit).collect() };
    let links: Vec<(String, &str)> = [
        submit
            .sms
            .as_ref()
            .map(|n| (format!("sms:{n}?body="), "quiz_code_sms")),
        submit.whatsapp.as_ref().map(|n| {
            (
                format!("https://wa.me/{}?text=", digits(n)),
                "quiz_code_whatsapp",
            )
        }),
        submit
            .email
            .as_ref()
            .map(|e| (format!("mailto:{e}?body="), "quiz_code_email")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !links.is_empty() || submit.url.is_some() {
        let _ = write!(
            html,
            "<p>{}</p>\n<ul class=\"code-send\">",
            t("quiz_code_send")
        );
        for (target, label) in links {
            let _ = write!(
                html,
                "<li><a data-send=\"{}\" href=\"#\">{}</a></li>",
                escape_html(&target),
                t(label)
            );
        }
        if let Some(url) = &submit.url {
            let _ = write!(
                html,
                "<li><a href=\"{}\">{}</a></li>",
                escape_html(url),
                t("quiz_code_url")
            );
        }
        html.push_str("</ul>\n");
    }
    let _ = writeln!(
        html,
        "<p><a href=\"{}\">{}</a></p>",
        escape_html(&locked.progress_href),
        t("quiz_code_progress")
    );
    html.push_str("</div>\n</div>\n");
}

/// The learner id an assessment's code is made for, asked before the questions.
fn write_learner_field(html: &mut String, quiz_id: &str, locked: &Locked, strings: &Strings) {
    let learner = &locked.learner;
    let label = learner
        .label
        .as_deref()
        .unwrap_or_else(|| i18n::text(strings, "quiz_learner"));
    let mut extra = String::new();
    if let Some(pattern) = &learner.pattern {
        let _ = write!(extra, " pattern=\"{}\"", escape_html(pattern));
    }
    if let Some(example) = &learner.example {
        let _ = write!(extra, " placeholder=\"{}\"", escape_html(example));
    }
    let _ = writeln!(
        html,
        "<p class=\"learner\"><label for=\"quiz-{quiz_id}-learner\">{}</label> <input type=\"text\" id=\"quiz-{quiz_id}-learner\" name=\"learner\" required autocomplete=\"off\" dir=\"ltr\"{extra}></p>",
        escape_html(label)
    );
}

/// The feedback of the option at page position `position`, sealed for whoever picks it.
fn sealed_feedback(salt: &[u8; 16], n: usize, position: usize, text: &str) -> String {
    to_hex(&sealed::seal(
        &option_key(salt, n, position),
        render_fragment(text).as_bytes(),
    ))
}

/// One choice as the page shows it.
struct Choice<'a> {
    /// The input's value: the page position, or `true`/`false`.
    value: String,
    label: String,
    feedback: Option<&'a String>,
}

/// Radio buttons or checkboxes in page order; in practice mode each option carries its
/// feedback, sealed for whoever picks it.
fn render_choices(
    html: &mut String,
    qid: &str,
    input: &str,
    choices: &[Choice],
    practice: bool,
    salt: &[u8; 16],
    n: usize,
) {
    for (position, choice) in choices.iter().enumerate() {
        let data = match choice.feedback {
            Some(f) if practice => format!(
                " data-feedback=\"{}\"",
                sealed_feedback(salt, n, position, f)
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            html,
            "<div class=\"option\"><input type=\"{input}\" name=\"{qid}\" id=\"{qid}-{position}\" value=\"{}\"{data}><label for=\"{qid}-{position}\">{}</label></div>",
            choice.value, choice.label
        );
    }
}

fn render_question<'a>(
    html: &mut String,
    quiz: &Quiz,
    n: usize,
    question: &'a Question,
    sealed: Option<&Sealed>,
    salt: &[u8; 16],
    strings: &Strings,
) {
    let t = |key| escape_html(i18n::text(strings, key));
    let qid = format!("q-{}-{}", quiz.id, n + 1);
    let _ = write!(
        html,
        "<fieldset class=\"question\" id=\"{qid}\" data-type=\"{}\"",
        question.kind.type_name()
    );
    if quiz.shuffles(n) {
        html.push_str(" data-shuffle");
    }
    if let Some(sealed) = sealed {
        if let Some(key) = &sealed.key {
            let _ = write!(html, " data-key=\"{key}\"");
        }
        if let Some(explanation) = &sealed.explanation {
            let _ = write!(html, " data-explanation=\"{explanation}\"");
        }
    }
    let _ = write!(
        html,
        " aria-describedby=\"{qid}-p\">\n<legend>{} {}</legend>\n",
        t("quiz_question"),
        n + 1
    );
    let prompt = match question.kind {
        QuestionKind::Blank { .. } => render_blank_prompt(&question.prompt, &qid, strings),
        _ => render_fragment(&question.prompt),
    };
    let _ = writeln!(html, "<div class=\"prompt\" id=\"{qid}-p\">{prompt}</div>");
    let practice = sealed.is_some_and(|s| s.key.is_some());
    // Scrambled options: the input's value is the position on the page.
    let scrambled =
        |texts: &[&'a String], feedback: &'a BTreeMap<String, String>| -> Vec<Choice<'a>> {
            display_order(&quiz.id, n, texts)
                .iter()
                .enumerate()
                .map(|(position, &index)| Choice {
                    value: position.to_string(),
                    label: render_inline(texts[index]),
                    feedback: feedback.get(texts[index].as_str()),
                })
                .collect()
        };
    match &question.kind {
        QuestionKind::Single {
            answer,
            distractors,
            feedback,
        } => {
            let texts: Vec<&String> = std::iter::once(answer).chain(distractors).collect();
            render_choices(
                html,
                &qid,
                "radio",
                &scrambled(&texts, feedback),
                practice,
                salt,
                n,
            );
        }
        QuestionKind::Multiple {
            answers,
            distractors,
            feedback,
        } => {
            let texts: Vec<&String> = answers.iter().chain(distractors).collect();
            render_choices(
                html,
                &qid,
                "checkbox",
                &scrambled(&texts, feedback),
                practice,
                salt,
                n,
            );
        }
        QuestionKind::TrueFalse { feedback, .. } => {
            // Fixed order (true, false): the value names the choice, so no scramble is needed.
            let choices: Vec<Choice> = [("true", "quiz_true"), ("false", "quiz_false")]
                .iter()
                .map(|(value, label)| Choice {
                    value: value.to_string(),
                    label: t(label),
                    feedback: feedback.get(*value),
                })
                .collect();
            render_choices(html, &qid, "radio", &choices, practice, salt, n);
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
            for (position, &index) in display_order(&quiz.id, n, items).iter().enumerate() {
                let _ = write!(
                    html,
                    "<li><label for=\"{qid}-{position}\">{}</label> <select id=\"{qid}-{position}\" name=\"{qid}-{position}\"><option value=\"\">{}</option>",
                    render_inline(&items[index]),
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
            let rights: Vec<&String> = pairs.iter().map(|(_, r)| r).collect();
            let order = display_order(&quiz.id, n, &rights);
            html.push_str("<dl class=\"match\">\n");
            for (i, (left, _)) in pairs.iter().enumerate() {
                let _ = write!(
                    html,
                    "<dt><label for=\"{qid}-{i}\">{}</label></dt><dd><select id=\"{qid}-{i}\" name=\"{qid}-{i}\"><option value=\"\">{}</option>",
                    render_inline(left),
                    t("quiz_choose")
                );
                for (position, &index) in order.iter().enumerate() {
                    let _ = write!(
                        html,
                        "<option value=\"{position}\">{}</option>",
                        escape_html(rights[index])
                    );
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
            render_fragment(hint)
        );
    }
    // Where the engine announces the result of this question.
    html.push_str("<div class=\"feedback\" aria-live=\"polite\"></div>\n</fieldset>\n");
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
    let rendered = render_fragment(&text);
    let mut out = String::new();
    for (i, piece) in rendered.split(MARK).enumerate() {
        if i > 0 {
            let _ = write!(
                out,
                "<input type=\"text\" class=\"gap\" id=\"{qid}-{i}\" name=\"{qid}-{i}\" aria-label=\"{} {i}\" autocomplete=\"off\">",
                escape_html(i18n::text(strings, "quiz_blank")),
            );
        }
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz;
    use crate::yaml::Snippet;
    use sabaq_quiz::key::{QuestionKey, Response, check, from_hex};
    use std::path::Path;

    const QUIZ: &str = r#"
id: all-types
questions:
  - type: single
    prompt: What is a budget?
    answer: A plan
    distractors: [A bank account, A loan]
    feedback:
      A loan: A loan is money you owe.
    explanation: A budget is a plan made before spending.
  - type: text
    prompt: Money owed?
    answers: [debt, a debt]
    explanation: That is called debt.
  - type: number
    prompt: 15 x 40?
    answer: 600
  - type: blank
    prompt: "Kept for later is [[savings|saving]], owed is [[debt]]."
"#;

    fn form() -> (Quiz, String) {
        let quiz = quiz::parse(&Snippet::whole(Path::new("l.md"), QUIZ))
            .unwrap()
            .quiz;
        let html = render_html(&quiz, "money", &i18n::strings_for("en"), None);
        (quiz, html)
    }

    /// The value of `attribute` on the element whose opening tag holds `marker`.
    fn attribute(html: &str, marker: &str, attribute: &str) -> String {
        let tag_start = html[..html.find(marker).unwrap()].rfind('<').unwrap();
        let tag = &html[tag_start..tag_start + html[tag_start..].find('>').unwrap()];
        let needle = format!("{attribute}=\"");
        let start = tag.find(&needle).unwrap() + needle.len();
        tag[start..start + tag[start..].find('"').unwrap()].to_string()
    }

    #[test]
    fn form_holds_no_answer_feedback_or_explanation_in_plain_text() {
        let (_, html) = form();
        assert!(html.contains("What is a budget?") && html.contains("A bank account"));
        for secret in [
            "savings",
            "debt",
            "600",
            "A loan is money you owe",
            "made before spending",
            "That is called",
        ] {
            assert!(!html.contains(secret), "{secret} leaked into the form");
        }
        assert_eq!(html.matches("class=\"gap\"").count(), 2);
    }

    #[test]
    fn page_keys_accept_the_right_answers_and_open_the_explanation() {
        let (_, html) = form();
        let salt: [u8; 16] = from_hex(&attribute(&html, "data-quiz=\"all-types\"", "data-salt"))
            .unwrap()
            .try_into()
            .unwrap();
        let key_of = |n: usize| {
            QuestionKey::decode(&attribute(
                &html,
                &format!("id=\"q-all-types-{n}\""),
                "data-key",
            ))
            .unwrap()
        };
        let text_key = key_of(2);
        let opened =
            check(&salt, 1, &text_key, &Response::Text("A Debt".into())).expect("a right answer");
        let sealed = from_hex(&attribute(
            &html,
            "id=\"q-all-types-2\"",
            "data-explanation",
        ))
        .unwrap();
        assert_eq!(
            sealed::open(&opened, &sealed).unwrap(),
            b"That is called debt."
        );
        assert!(check(&salt, 1, &text_key, &Response::Text("credit".into())).is_none());
        assert!(
            check(
                &salt,
                2,
                &key_of(3),
                &Response::Number(sabaq_quiz::normalize::parse_number("600").unwrap())
            )
            .is_some()
        );
        assert!(
            check(
                &salt,
                3,
                &key_of(4),
                &Response::Blanks(vec!["saving".into(), "DEBT".into()])
            )
            .is_some()
        );
    }

    #[test]
    fn option_feedback_opens_for_whoever_picks_that_option() {
        let (quiz, html) = form();
        let salt = quiz_salt("money", &quiz.id);
        let order = display_order(&quiz.id, 0, &["A plan", "A bank account", "A loan"]);
        let loan_at = order.iter().position(|&i| i == 2).unwrap();
        let sealed = from_hex(&attribute(
            &html,
            &format!("id=\"q-all-types-1-{loan_at}\""),
            "data-feedback",
        ))
        .unwrap();
        let opened = sealed::open(&option_key(&salt, 0, loan_at), &sealed).unwrap();
        assert_eq!(opened, b"A loan is money you owe.");
    }

    #[test]
    fn assessment_forms_carry_no_per_question_keys() {
        let text = QUIZ.replace("id: all-types", "id: exam\nmode: assessment\npass: 3");
        let quiz = quiz::parse(&Snippet::whole(Path::new("l.md"), &text))
            .unwrap()
            .quiz;
        let context = crate::assessment::Context {
            secret: [5; 16],
            module: 2,
            epoch: 1,
            usable: true,
            learner: Default::default(),
            submit: Default::default(),
            course_title: "Money".into(),
        };
        let locked = crate::assessment::lock(&quiz, "money", &context).unwrap();
        let html = render_html(&quiz, "money", &i18n::strings_for("en"), Some(&locked));
        // No practice key, option feedback or answer list: each would mark single questions.
        assert!(
            !html.contains("data-key=")
                && !html.contains("data-feedback=")
                && !html.contains("data-answers=")
        );
        assert!(
            html.contains(" data-gate=\"")
                && html.contains(" data-module=\"2\" data-epoch=\"1\" data-version=\"1\"")
        );
        assert!(html.contains("name=\"learner\" required"));
        // Explanations open only with the module secret, each under a key of its own.
        let explanation =
            from_hex(&attribute(&html, "id=\"q-exam-1\"", "data-explanation")).unwrap();
        // The gate key: what the module secret gives with the page's nonce.
        let gate = sabaq_quiz::gate::Gate::decode(
            &from_hex(&attribute(&html, "data-quiz=\"exam\"", "data-gate")).unwrap(),
        )
        .unwrap();
        let gate_key = sabaq_quiz::gate::gate_key(&[5; 16], &gate.nonce);
        let key = |q| sealed::key(&gate_key, sealed::Purpose::AssessmentExplanation, q, 0);
        let opened = sealed::open(&key(0), &explanation).unwrap();
        assert_eq!(opened, b"A budget is a plan made before spending.");
        assert_eq!(sealed::open(&key(1), &explanation), None);
        assert!(!html.contains("a plan made before"));
    }
}
