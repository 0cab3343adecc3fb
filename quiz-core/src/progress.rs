//! A learner's progress: the best result of each quiz they finished, per course. The browser
//! keeps it in `localStorage` as one short line of text, and the same line is what a learner
//! copies to move their progress to another phone, so the text carries a check that catches
//! typing and copying mistakes. Anything that does not decode is treated as no progress.
//!
//! The text: `sabaq1;course:quiz=best/total+,quiz=best/total;course:...~check`, where `+`
//! marks a pass, an earned completion code follows as `@CODE!learner`, and `check` is four hex
//! digits over everything before the `~`. Whitespace anywhere is ignored (messaging apps wrap
//! long lines).

use alloc::string::String;
use alloc::vec::Vec;

use crate::key::push_int;
use crate::model::Fnv;

/// The version tag every progress text starts with.
const VERSION: &str = "sabaq1";

/// Longest text [`Progress::decode`] looks at: far more than any real course set needs. Nothing
/// longer is ever stored ([`Progress::encode_to_keep`]), so what is stored always reads back.
pub const MAX_TEXT: usize = 64 * 1024;

/// The best finished attempt at one quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Questions right.
    pub best: u16,
    /// Questions shown.
    pub total: u16,
    /// Whether any attempt reached the pass mark.
    pub passed: bool,
}

impl Record {
    /// The better of two results: the higher share right, and a pass if either passed.
    fn merge(self, other: Record) -> Record {
        let better = if u32::from(other.best) * u32::from(self.total)
            > u32::from(self.best) * u32::from(other.total)
        {
            other
        } else {
            self
        };
        Record {
            passed: self.passed || other.passed,
            ..better
        }
    }
}

impl Earned {
    /// An earned code, if `code` is 16 code symbols and `learner` a storable learner id.
    pub fn new(code: &str, learner: &str) -> Option<Earned> {
        let code_ok = code.len() == 16
            && code
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        (code_ok && is_learner(learner)).then(|| Earned {
            code: String::from(code),
            learner: String::from(learner),
        })
    }
}

/// Results by course id, then quiz id. A sorted list rather than a map: a learner has tens
/// of results, and the list costs the browser engine a fraction of a map's code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    course: String,
    quiz: String,
    record: Record,
    earned: Option<Earned>,
}

/// A completion code an assessment gave, and the learner id it was made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earned {
    /// 16 symbols, without hyphens.
    pub code: String,
    /// The normalised learner id (`a-z`, `0-9`, `_`, `@`; empty if it had other characters).
    pub learner: String,
}

impl Progress {
    fn find(&self, course: &str, quiz: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|e| (e.course.as_str(), e.quiz.as_str()).cmp(&(course, quiz)))
    }

    /// Adds a finished attempt, keeping the best result; returns what is now stored.
    pub fn record(&mut self, course: &str, quiz: &str, attempt: Record) -> Record {
        match self.find(course, quiz) {
            Ok(i) => {
                let stored = self.entries[i].record.merge(attempt);
                self.entries[i].record = stored;
                stored
            }
            Err(i) => {
                let entry = Entry {
                    course: String::from(course),
                    quiz: String::from(quiz),
                    record: attempt,
                    earned: None,
                };
                self.entries.insert(i, entry);
                attempt
            }
        }
    }

    /// Keeps the completion code of a passed assessment (the latest one counts).
    pub fn earn(&mut self, course: &str, quiz: &str, earned: Earned) {
        if let Ok(i) = self.find(course, quiz) {
            self.entries[i].earned = Some(earned);
        }
    }

    pub fn earned(&self, course: &str, quiz: &str) -> Option<&Earned> {
        self.find(course, quiz)
            .ok()
            .and_then(|i| self.entries[i].earned.as_ref())
    }

    pub fn get(&self, course: &str, quiz: &str) -> Option<Record> {
        self.find(course, quiz).ok().map(|i| self.entries[i].record)
    }

    /// Forgets every result of one course.
    pub fn reset_course(&mut self, course: &str) {
        self.entries.retain(|e| e.course != course);
    }

    /// Takes in another progress (an import), keeping the better result of each quiz;
    /// returns how many quizzes `other` held.
    pub fn merge(&mut self, other: &Progress) -> usize {
        for e in &other.entries {
            self.record(&e.course, &e.quiz, e.record);
            if let Some(earned) = &e.earned {
                self.earn(&e.course, &e.quiz, earned.clone());
            }
        }
        other.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The progress as its one-line text, when [`Progress::decode`] can read it back: `None`
    /// when it has grown past [`MAX_TEXT`], so that it is never stored to be lost on the next
    /// visit (the caller keeps what was stored before, and says so).
    pub fn encode_to_keep(&self) -> Option<String> {
        let text = self.encode();
        (text.len() <= MAX_TEXT).then_some(text)
    }

    /// The progress as its one-line text.
    pub fn encode(&self) -> String {
        let mut out = String::from(VERSION);
        let mut course: Option<&str> = None;
        for e in &self.entries {
            if course == Some(e.course.as_str()) {
                out.push(',');
            } else {
                out.push(';');
                out.push_str(&e.course);
                out.push(':');
                course = Some(&e.course);
            }
            out.push_str(&e.quiz);
            out.push('=');
            push_int(&mut out, i64::from(e.record.best));
            out.push('/');
            push_int(&mut out, i64::from(e.record.total));
            if e.record.passed {
                out.push('+');
            }
            if let Some(earned) = &e.earned {
                out.push('@');
                out.push_str(&earned.code);
                out.push('!');
                out.push_str(&earned.learner);
            }
        }
        let check = check_of(&out);
        out.push('~');
        for shift in [12, 8, 4, 0] {
            out.push(hex_digit((check >> shift) & 0xf));
        }
        out
    }

    /// Reads a progress text, or `None` when it is not one (damaged, mistyped, from a future
    /// version or from something else entirely).
    pub fn decode(text: &str) -> Option<Progress> {
        if text.len() > MAX_TEXT {
            return None;
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (body, check) = compact.rsplit_once('~')?;
        if check.len() != 4 || u16::from_str_radix(check, 16).ok()? != check_of(body) {
            return None;
        }
        let mut parts = body.split(';');
        if parts.next()? != VERSION {
            return None;
        }
        let mut progress = Progress::default();
        for course in parts {
            let (course, quizzes) = course.split_once(':')?;
            if !is_id(course) {
                return None;
            }
            for entry in quizzes.split(',') {
                let (quiz, result) = entry.split_once('=')?;
                let (result, earned) = match result.split_once('@') {
                    Some((result, earned)) => {
                        let (code, learner) = earned.split_once('!')?;
                        (result, Some(Earned::new(code, learner)?))
                    }
                    None => (result, None),
                };
                let (result, passed) = match result.strip_suffix('+') {
                    Some(rest) => (rest, true),
                    None => (result, false),
                };
                let (best, total) = result.split_once('/')?;
                let record = Record {
                    best: best.parse().ok()?,
                    total: total.parse().ok()?,
                    passed,
                };
                if !is_id(quiz) || record.total == 0 || record.best > record.total {
                    return None;
                }
                progress.record(course, quiz, record);
                if let Some(earned) = earned {
                    progress.earn(course, quiz, earned);
                }
            }
        }
        Some(progress)
    }
}

/// Course and quiz ids: what the generator accepts, and nothing that could be a separator.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Learner ids as progress keeps them: nothing that could be a separator.
pub fn is_learner(id: &str) -> bool {
    id.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'@')
}

fn check_of(body: &str) -> u16 {
    let mut hash = Fnv::new();
    hash.write(body.as_bytes());
    let h = hash.finish();
    (h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48)) as u16
}

fn hex_digit(n: u16) -> char {
    char::from(b"0123456789abcdef"[usize::from(n)])
}

#[cfg(test)]
mod tests {

    #[test]
    fn progress_too_long_to_read_back_is_never_offered_to_keep() {
        let mut progress = Progress::default();
        let record = Record {
            best: 1,
            total: 1,
            passed: true,
        };
        let mut n = 0;
        while progress.encode().len() <= MAX_TEXT {
            progress.record("course", &alloc::format!("quiz-{n}"), record);
            n += 1;
        }
        assert_eq!(progress.encode_to_keep(), None);
        assert!(Progress::decode(&progress.encode()).is_none());
        progress.reset_course("course");
        progress.record("course", "quiz-0", record);
        let kept = progress.encode_to_keep().unwrap();
        assert_eq!(Progress::decode(&kept), Some(progress));
    }

    use super::*;

    fn rec(best: u16, total: u16, passed: bool) -> Record {
        Record {
            best,
            total,
            passed,
        }
    }

    fn sample() -> Progress {
        let mut p = Progress::default();
        p.record("money-basics", "budgeting-practice", rec(3, 4, false));
        p.record("money-basics", "pricing-check", rec(6, 6, true));
        p.record("workplace-english", "greetings_1", rec(0, 5, false));
        p
    }

    #[test]
    fn text_round_trips() {
        let text = sample().encode();
        assert!(text.starts_with(
            "sabaq1;money-basics:budgeting-practice=3/4,pricing-check=6/6+;workplace-english:greetings_1=0/5~"
        ));
        assert_eq!(Progress::decode(&text), Some(sample()));
        assert_eq!(
            Progress::decode(&Progress::default().encode()),
            Some(Progress::default())
        );
    }

    #[test]
    fn whitespace_and_check_case_are_forgiven() {
        let text = sample().encode();
        let (body, check) = text.split_at(text.len() - 4);
        let wrapped = alloc::format!(
            "  {}\n{}\t{}  ",
            &body[..30],
            &body[30..],
            check.to_uppercase()
        );
        assert_eq!(Progress::decode(&wrapped), Some(sample()));
    }

    #[test]
    fn damaged_or_foreign_text_is_refused() {
        let text = sample().encode();
        // Every single-character change is caught by the check or the grammar.
        for (i, c) in text.char_indices() {
            for replacement in ['0', '9', 'a', 'z', ';', ':', ',', '=', '/', '+', '~', '-'] {
                if replacement == c {
                    continue;
                }
                let mut typo = String::from(&text[..i]);
                typo.push(replacement);
                typo.push_str(&text[i + c.len_utf8()..]);
                assert_eq!(Progress::decode(&typo), None, "{typo}");
            }
        }
        for foreign in [
            "",
            "~0000",
            "{\"progress\":[]}",
            "sabaq2~1234",
            "null",
            "sabaq1;course:quiz=5/4~0000",
        ] {
            assert_eq!(Progress::decode(foreign), None, "{foreign}");
        }
    }

    #[test]
    fn values_out_of_range_are_refused_even_with_a_good_check() {
        for body in [
            "sabaq1;c:q=5/4",
            "sabaq1;c:q=1/0",
            "sabaq1;c:q=1/70000",
            "sabaq1;C:q=1/2",
            "sabaq1;c:=1/2",
            "sabaq1;c:q=1/2++",
            "sabaq1;c",
            "sabaq1;",
        ] {
            let check = check_of(body);
            let text = alloc::format!("{body}~{check:04x}");
            assert_eq!(Progress::decode(&text), None, "{text}");
        }
    }

    #[test]
    fn earned_codes_travel_with_the_text() {
        let mut p = sample();
        let earned = Earned {
            code: String::from("8GSB9CEKQ44AQ829"),
            learner: String::from("923001234567"),
        };
        p.earn("money-basics", "pricing-check", earned.clone());
        let text = p.encode();
        assert!(
            text.contains("pricing-check=6/6+@8GSB9CEKQ44AQ829!923001234567"),
            "{text}"
        );
        let back = Progress::decode(&text).unwrap();
        assert_eq!(back.earned("money-basics", "pricing-check"), Some(&earned));
        let mut other = Progress::default();
        assert_eq!(other.merge(&back), 3);
        assert_eq!(other.earned("money-basics", "pricing-check"), Some(&earned));
        for bad in [
            "@8GSB9CEKQ44AQ82!1",
            "@8gsb9cekq44aq829!1",
            "@8GSB9CEKQ44AQ829!a;b",
            "@8GSB9CEKQ44AQ829",
        ] {
            let body = alloc::format!("sabaq1;c:q=1/1+{bad}");
            let text = alloc::format!("{body}~{:04x}", check_of(&body));
            assert_eq!(Progress::decode(&text), None, "{text}");
        }
    }

    #[test]
    fn results_keep_the_best_and_any_pass() {
        let mut p = sample();
        let kept = p.record("money-basics", "budgeting-practice", rec(1, 4, false));
        assert_eq!(kept.best, 3);
        let better = p.record("money-basics", "budgeting-practice", rec(4, 4, true));
        assert_eq!(better, rec(4, 4, true));
        let after_lower = p.record("money-basics", "budgeting-practice", rec(2, 4, false));
        assert!(after_lower.passed && after_lower.best == 4);
    }

    #[test]
    fn import_merges_and_reset_forgets_one_course() {
        let mut here = Progress::default();
        here.record("money-basics", "budgeting-practice", rec(4, 4, true));
        assert_eq!(here.merge(&sample()), 3);
        assert_eq!(
            here.get("money-basics", "budgeting-practice").unwrap().best,
            4
        );
        assert!(here.get("workplace-english", "greetings_1").is_some());
        here.reset_course("money-basics");
        assert!(here.get("money-basics", "pricing-check").is_none());
        assert!(here.get("workplace-english", "greetings_1").is_some());
        here.reset_course("workplace-english");
        assert!(here.is_empty());
    }
}
