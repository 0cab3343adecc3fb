//! The checked quiz model: what a quiz block means once the generator has validated it, and
//! the stable order in which options are shown.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// A checked quiz.
#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    pub id: String,
    pub mode: Mode,
    pub pass: Option<PassMark>,
    pub questions: Vec<Question>,
    /// Whether options are shuffled on each attempt (questions may override it).
    pub shuffle: bool,
    /// Practice only: each attempt shows this many questions drawn from `questions`.
    pub draw: Option<u32>,
}

impl Quiz {
    /// How many questions one attempt shows.
    pub fn shown(&self) -> usize {
        self.draw.map_or(self.questions.len(), |k| k as usize)
    }

    /// Correct answers an attempt needs to pass: the pass mark, or every question shown.
    pub fn required(&self) -> usize {
        let shown = self.shown();
        self.pass.map_or(shown, |pass| pass.required(shown))
    }

    /// Whether question `n`'s options are shuffled on each attempt.
    pub fn shuffles(&self, n: usize) -> bool {
        let question = &self.questions[n];
        question.kind.has_options() && question.shuffle.unwrap_or(self.shuffle)
    }
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
    /// The author's `shuffle` for this question, over the quiz's.
    pub shuffle: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    Single {
        answer: String,
        distractors: Vec<String>,
        /// Feedback by option text.
        feedback: BTreeMap<String, String>,
    },
    Multiple {
        answers: Vec<String>,
        distractors: Vec<String>,
        feedback: BTreeMap<String, String>,
    },
    TrueFalse {
        answer: bool,
        /// Feedback by `true` / `false`.
        feedback: BTreeMap<String, String>,
    },
    Text {
        answers: Vec<String>,
    },
    Number {
        /// Accepted values, inclusive.
        accept: (f64, f64),
        /// Decimal places the author wrote; answers are compared at this precision.
        precision: u8,
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

impl QuestionKind {
    /// Decimal places typed answers are compared at: a number question's, else 0.
    pub fn precision(&self) -> u8 {
        match self {
            QuestionKind::Number { precision, .. } => *precision,
            _ => 0,
        }
    }

    /// Whether the question shows options whose order can change between attempts.
    pub fn has_options(&self) -> bool {
        matches!(
            self,
            QuestionKind::Single { .. }
                | QuestionKind::Multiple { .. }
                | QuestionKind::Order { .. }
                | QuestionKind::Match { .. }
        )
    }

    /// The name authors write after `type:`.
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "true-false",
            QuestionKind::Text { .. } => "text",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Order { .. } => "order",
            QuestionKind::Match { .. } => "match",
            QuestionKind::Blank { .. } => "blank",
        }
    }
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
                .map(|a| String::from(a.trim()))
                .collect(),
        );
        rest = &after[end + 2..];
    }
    gaps
}

/// A stable scramble: the order in which `options` are shown, as indices into `options`. The
/// same quiz always shows the same order, and the order says nothing about which is right.
pub fn display_order<S: AsRef<str>>(quiz_id: &str, question: usize, options: &[S]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.sort_by_key(|&i| {
        let mut hash = Fnv::new();
        hash.write(quiz_id.as_bytes());
        hash.write(&[0]);
        hash.write(&(question as u64).to_le_bytes());
        hash.write(&[0]);
        hash.write(options[i].as_ref().as_bytes());
        (hash.0, i)
    });
    order
}

/// FNV-1a: a tiny, stable hash for ordering and typo checks (not for secrets).
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn pass_mark_rounds_percentages_up() {
        assert_eq!(PassMark::Percent(80).required(8), 7);
        assert_eq!(PassMark::Percent(75).required(8), 6);
        assert_eq!(PassMark::Count(3).required(8), 3);
    }

    #[test]
    fn blank_gaps_take_alternatives() {
        assert_eq!(
            blank_gaps("Kept is [[savings | saving]], owed is [[debt]]."),
            vec![
                vec![String::from("savings"), String::from("saving")],
                vec![String::from("debt")]
            ]
        );
    }

    #[test]
    fn display_order_is_a_stable_permutation() {
        let options = ["a", "b", "c", "d"];
        let order = display_order("q", 0, &options);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, vec![0, 1, 2, 3]);
        assert_eq!(order, display_order("q", 0, &options));
        // Different questions scramble differently (for these inputs).
        assert_ne!(order, display_order("q", 1, &options));
    }
}
