//! Assessments: locks each assessment quiz behind the gate of the credentials scheme, seals its
//! explanations under the gate key, and estimates what guessing costs. The page holds no list
//! of accepted answers, sealed or not: after a pass the engine marks an answer right when it
//! unmasked one of its question's answer keys, which come from the gate key.
//! Fed by the Markdown stage with the module's secret; [`crate::quiz_form`] writes the result
//! into the page.

use sabaq_quiz::argon2::Params;
use sabaq_quiz::gate::Gate;
use sabaq_quiz::key::{accepted_forms, quiz_salt, to_hex};
use sabaq_quiz::sealed::{self, Purpose};
use sabaq_quiz::{Question, QuestionKind, Quiz};

use crate::config::{Learner, Submit};
use crate::markdown::render_fragment;

/// The Argon2id cost of one unlock, shared by the boxes of a gate: about a second on a low-end
/// phone, a few tens of milliseconds here.
pub const ARGON: Params = Params {
    memory_kib: 8 * 1024,
    passes: 3,
};
/// Below this many bits (log2 of the Argon2id runs guessing costs) the build warns.
pub const WEAK_BITS: f64 = 20.0;
/// Joins the parts of a many-gap answer into the one form the gate hashes.
pub const PART_SEPARATOR: char = '\u{1f}';

/// What an assessment in a module needs to be locked.
#[derive(Debug, Clone)]
pub struct Context {
    /// The module's secret for the key epoch of this build.
    pub secret: [u8; 16],
    /// 1-based place of the module in its course.
    pub module: usize,
    pub epoch: u8,
    /// False when the build has no institution key: codes are made, marked unusable.
    pub usable: bool,
    pub learner: Learner,
    pub submit: Submit,
    pub course_title: String,
}

/// How hard an assessment is to pass by guessing, and how long a phone takes to grade it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    /// log2 of what guessing its answers costs an attacker, in full Argon2id runs
    /// ([`attack_bits`]).
    pub bits: f64,
    /// About how long a phone four times slower than a 2-core laptop takes to grade the
    /// slowest sheet (one that does not pass), in seconds.
    pub slow_phone_seconds: f64,
}

/// An assessment ready for its page.
#[derive(Debug, Clone)]
pub struct Locked {
    pub gate_hex: String,
    pub module: usize,
    pub epoch: u8,
    pub usable: bool,
    /// Per question: its explanation, sealed under a key of its own from the module secret.
    pub explanations: Vec<Option<String>>,
    pub strength: Strength,
    pub learner: Learner,
    pub submit: Submit,
    pub course_title: String,
    /// The "My progress" page, relative to the page that holds the assessment.
    pub progress_href: String,
}

/// Locks `quiz` (an assessment of course `course_id`); `Err` says why it cannot be.
pub fn lock(quiz: &Quiz, course_id: &str, context: &Context) -> Result<Locked, String> {
    if !(1..=31).contains(&context.module) {
        return Err(format!(
            "completion codes number modules 1 to 31; this assessment is in module {}",
            context.module
        ));
    }
    let salt = quiz_salt(course_id, &quiz.id);
    let mut gate_questions = Vec::with_capacity(quiz.questions.len());
    for (n, question) in quiz.questions.iter().enumerate() {
        let parts = accepted_forms(&quiz.id, n, &question.kind)
            .map_err(|why| format!("question {}: {why}", n + 1))?;
        gate_questions.push((question.kind.precision(), combine_parts(&parts)?));
    }
    let required = quiz.required();
    let (gate, gate_key) = Gate::build(
        &context.secret,
        &salt,
        required,
        ARGON,
        &gate_questions,
        &content_digest(course_id, quiz),
    )?;
    let explanations = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(n, question)| {
            let key = sealed::key(&gate_key, Purpose::AssessmentExplanation, n, 0);
            let text = question.explanation.as_ref()?;
            Some(to_hex(&sealed::seal(
                &key,
                render_fragment(text).as_bytes(),
            )))
        })
        .collect();
    Ok(Locked {
        gate_hex: to_hex(&gate.encode()),
        module: context.module,
        epoch: context.epoch,
        usable: context.usable,
        explanations,
        strength: Strength {
            bits: attack_bits(quiz),
            slow_phone_seconds: sabaq_quiz::gate::slow_phone_seconds(ARGON, gate.boxes.len()),
        },
        learner: context.learner.clone(),
        submit: context.submit.clone(),
        course_title: context.course_title.clone(),
        progress_href: String::new(),
    })
}

/// A digest of everything `quiz` holds (questions, answers, explanations, settings): the gate
/// draws its randomness with it, so any edit of the quiz gives a page that shares nothing with
/// the one before but the module secret's check. Written straight into the hash, in one pass.
fn content_digest(course_id: &str, quiz: &Quiz) -> [u8; 32] {
    use sha2::Digest as _;
    struct Hashing(sha2::Sha256);
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.update(text.as_bytes());
            Ok(())
        }
    }
    let mut hashing = Hashing(sha2::Sha256::new());
    let _ = std::fmt::Write::write_fmt(&mut hashing, format_args!("{course_id}\u{0}{quiz:?}"));
    hashing.0.finalize().into()
}

/// Every accepted combination of a question's parts, as single forms.
fn combine_parts(parts: &[Vec<String>]) -> Result<Vec<String>, String> {
    let mut combined = vec![String::new()];
    for (k, alternatives) in parts.iter().enumerate() {
        let mut next = Vec::with_capacity(combined.len() * alternatives.len());
        for prefix in &combined {
            for form in alternatives {
                let mut joined = prefix.clone();
                if k > 0 {
                    joined.push(PART_SEPARATOR);
                }
                joined.push_str(form);
                next.push(joined);
            }
        }
        if next.len() > sabaq_quiz::gate::MAX_FORMS {
            return Err(format!(
                "a question accepts {} different answers; an assessment question accepts at most {}",
                next.len(),
                sabaq_quiz::gate::MAX_FORMS
            ));
        }
        combined = next;
    }
    Ok(combined)
}

/// The chance that someone guessing answers one question at a time gets a question right.
/// Typed answers count as one in a thousand per text, a generous figure for an attacker.
fn guess_chance(question: &Question) -> f64 {
    let factorial = |n: usize| (1..=n).map(|i| i as f64).product::<f64>();
    match &question.kind {
        QuestionKind::Single { distractors, .. } => 1.0 / (distractors.len() + 1) as f64,
        QuestionKind::Multiple {
            answers,
            distractors,
            ..
        } => 1.0 / (2f64.powi((answers.len() + distractors.len()) as i32) - 1.0),
        QuestionKind::TrueFalse { .. } => 0.5,
        QuestionKind::Text { answers } => (answers.len() as f64 / 1000.0).min(1.0),
        QuestionKind::Number { accept, precision } => {
            let values = (accept.1 - accept.0) * 10f64.powi(i32::from(*precision)) + 1.0;
            (values / 1000.0).min(1.0)
        }
        QuestionKind::Order { items } => 1.0 / factorial(items.len()),
        QuestionKind::Match { pairs } => 1.0 / factorial(pairs.len()),
        QuestionKind::Blank { gaps } => gaps
            .iter()
            .map(|g| (g.len() as f64 / 1000.0).min(1.0))
            .product(),
    }
}

/// log2 of what guessing an assessment's answers costs, in full Argon2id runs: the cheaper of
/// guessing whole answer sheets ([`guess_bits`], one run each) and guessing the answers of the
/// easiest pass-mark-many questions alone, which opens their box at one box run a guess (the
/// boxes share one run, so a box run is 1 / boxes of it; half the guesses do on average).
pub fn attack_bits(quiz: &Quiz) -> f64 {
    let mut costs: Vec<f64> = quiz
        .questions
        .iter()
        .map(|q| -guess_chance(q).log2())
        .collect();
    costs.sort_by(f64::total_cmp);
    let (n, t) = (quiz.questions.len(), quiz.required());
    let cheapest_box: f64 = costs.iter().take(t).sum();
    let box_share = sabaq_quiz::gate::subsets_approx(n, t).max(1.0).log2();
    (cheapest_box - box_share - 1.0)
        .max(0.0)
        .min(guess_bits(quiz))
}

/// log2 of 1 / P(a sheet of independent guesses gets at least the pass mark).
pub fn guess_bits(quiz: &Quiz) -> f64 {
    // distribution[k] = P(exactly k right so far)
    let mut distribution = vec![1.0f64];
    for question in &quiz.questions {
        let p = guess_chance(question);
        let mut next = vec![0.0; distribution.len() + 1];
        for (k, &q) in distribution.iter().enumerate() {
            next[k] += q * (1.0 - p);
            next[k + 1] += q * p;
        }
        distribution = next;
    }
    let pass: f64 = distribution[quiz.required()..].iter().sum();
    -pass.max(f64::MIN_POSITIVE).log2()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sabaq_quiz::{Mode, PassMark};

    fn true_false_quiz(n: usize, pass: u32) -> Quiz {
        Quiz {
            id: "q".into(),
            mode: Mode::Assessment,
            pass: Some(PassMark::Count(pass)),
            questions: (0..n)
                .map(|_| Question {
                    prompt: "P".into(),
                    kind: QuestionKind::TrueFalse {
                        answer: true,
                        feedback: Default::default(),
                    },
                    explanation: None,
                    hint: None,
                    shuffle: None,
                })
                .collect(),
            shuffle: true,
            draw: None,
        }
    }

    #[test]
    fn guessing_odds_follow_the_binomial() {
        // All 10 true-false right: 2^-10.
        assert!((guess_bits(&true_false_quiz(10, 10)) - 10.0).abs() < 1e-9);
        // At least 9 of 10: 11/1024.
        let expected = -(11.0f64 / 1024.0).log2();
        assert!((guess_bits(&true_false_quiz(10, 9)) - expected).abs() < 1e-9);
    }

    #[test]
    fn an_attacker_guesses_the_easiest_box_alone() {
        // All 10 true-false: one box, a whole sheet: 2^10 guesses, half on average.
        assert!((attack_bits(&true_false_quiz(10, 10)) - 9.0).abs() < 1e-9);
        // 9 of 10: ten boxes of 9 questions, each a tenth of a run: 2^9 / 10 / 2 runs.
        let expected = 9.0 - 10f64.log2() - 1.0;
        assert!((attack_bits(&true_false_quiz(10, 9)) - expected).abs() < 1e-9);
        // Never more than a whole sheet costs.
        assert!(attack_bits(&true_false_quiz(10, 9)) <= guess_bits(&true_false_quiz(10, 9)));
    }

    #[test]
    fn many_gap_answers_combine_and_too_many_are_refused() {
        let parts = vec![
            vec!["g0:a".to_string(), "g0:b".to_string()],
            vec!["g1:c".to_string()],
        ];
        assert_eq!(
            combine_parts(&parts).unwrap(),
            vec!["g0:a\u{1f}g1:c", "g0:b\u{1f}g1:c"]
        );
        let wide: Vec<Vec<String>> = (0..7)
            .map(|k| vec![format!("g{k}:x"), format!("g{k}:y")])
            .collect();
        assert!(
            combine_parts(&wide)
                .unwrap_err()
                .contains("128 different answers")
        );
    }
}
