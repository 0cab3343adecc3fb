//! Practice answer keys: how a page checks an answer without holding it in plain text.
//!
//! Each part of a question (the question itself, or each gap of a `blank`) has a 128-bit
//! secret. The page stores that secret once per accepted answer, XOR-ed with a salted hash of
//! the answer's canonical form, plus a short check value of the secret. A learner's response is
//! right when unmasking one stored copy with the hash of the response yields a secret whose
//! check matches. The secrets of all parts together open the sealed explanation.
//!
//! This hides answers from someone reading the page, not from someone trying every option:
//! practice quizzes earn nothing. Assessments use the threshold gate of the credentials scheme.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use crate::model::{QuestionKind, display_order};
use crate::normalize::{Decimal, normalize_text};
use crate::sealed::{self, Purpose};

/// Bytes in a part secret and in each stored copy.
pub const SECRET_LEN: usize = 16;
/// Bytes of the check value of a secret.
pub const CHECK_LEN: usize = 8;
/// The most accepted values a number question may enumerate.
pub const MAX_NUMBER_VALUES: i64 = 201;

type Secret = [u8; SECRET_LEN];

/// SHA-256 over length-prefixed parts, so no two lists of parts hash alike.
pub(crate) fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u32).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn truncate<const N: usize>(bytes: [u8; 32]) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&bytes[..N]);
    out
}

/// The salt of one quiz: public, and different for every quiz of every course.
pub fn quiz_salt(course_id: &str, quiz_id: &str) -> [u8; 16] {
    truncate(hash(&[
        b"sabaq/salt",
        course_id.as_bytes(),
        quiz_id.as_bytes(),
    ]))
}

fn mask(salt: &[u8; 16], question: usize, canonical: &str) -> Secret {
    truncate(hash(&[
        b"sabaq/wrap",
        salt,
        &(question as u32).to_le_bytes(),
        canonical.as_bytes(),
    ]))
}

fn check_of(secret: &Secret) -> [u8; CHECK_LEN] {
    truncate(hash(&[b"sabaq/check", secret]))
}

fn xor(a: &Secret, b: &Secret) -> Secret {
    core::array::from_fn(|i| a[i] ^ b[i])
}

/// A learner's response, with options named by their position on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    Choice(usize),
    Choices(Vec<usize>),
    Bool(bool),
    Text(String),
    Number(Decimal),
    /// The items in the order the learner put them, as page positions.
    Order(Vec<usize>),
    /// For each left side in written order, the page position of the chosen right side.
    Match(Vec<usize>),
    /// One text per gap.
    Blanks(Vec<String>),
}

/// The canonical forms of a number at `precision` decimals: an integer count of units.
fn number_form(units: i64) -> String {
    tagged("n", &int_text(units))
}

/// 10 to the power `precision`, for the build-time range (`f64::powi` lives in std).
fn scale(precision: u8) -> f64 {
    (0..precision).fold(1.0, |acc, _| acc * 10.0)
}

/// The largest magnitude counted in units, well inside what f64 holds exactly.
const MAX_UNITS: f64 = 9.0e15;

fn floor_units(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) > x { t - 1 } else { t }
}

fn ceil_units(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) < x { t + 1 } else { t }
}

/// `tag:body`, the shape of every canonical form.
fn tagged(tag: &str, body: &str) -> String {
    let mut out = String::with_capacity(tag.len() + 1 + body.len());
    out.push_str(tag);
    out.push(':');
    out.push_str(body);
    out
}

/// The form of gap `k` of a blank: `g0:savings`.
fn gap_form(k: usize, text: &str) -> String {
    let mut tag = String::from("g");
    push_int(&mut tag, k as i64);
    tagged(&tag, &normalize_text(text))
}

/// Appends the decimal digits of `n`. Hand-written: the browser module does without
/// `core::fmt`, which would cost it kilobytes.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut len = 0;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[..len].iter().rev().map(|d| char::from(*d)));
}

fn int_text(n: i64) -> String {
    let mut out = String::new();
    push_int(&mut out, n);
    out
}

fn list(prefix: &str, indices: &[usize]) -> String {
    let mut body = String::new();
    for (n, i) in indices.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        push_int(&mut body, *i as i64);
    }
    tagged(prefix, &body)
}

impl Response {
    /// The canonical form of each part of the response (one, or one per gap).
    pub fn canonical(&self, precision: u8) -> Vec<String> {
        match self {
            Response::Choice(i) => alloc::vec![tagged("c", &int_text(*i as i64))],
            Response::Choices(picked) => {
                // A handful of options: an insertion into a sorted list keeps the browser module
                // free of the general sorts.
                let mut sorted: Vec<usize> = Vec::with_capacity(picked.len());
                for &p in picked {
                    if let Err(at) = sorted.binary_search(&p) {
                        sorted.insert(at, p);
                    }
                }
                alloc::vec![list("m", &sorted)]
            }
            Response::Bool(b) => alloc::vec![tagged("b", if *b { "true" } else { "false" })],
            Response::Text(text) => alloc::vec![tagged("t", &normalize_text(text))],
            Response::Number(n) => match n.units(u32::from(precision)) {
                Some(u) => alloc::vec![number_form(u)],
                None => alloc::vec![String::from("n:?")],
            },
            Response::Order(order) => alloc::vec![list("o", order)],
            Response::Match(choices) => alloc::vec![list("p", choices)],
            Response::Blanks(gaps) => gaps
                .iter()
                .enumerate()
                .map(|(k, text)| gap_form(k, text))
                .collect(),
        }
    }
}

/// Every accepted canonical form of each part of a question, in page positions.
/// `Err` explains why no key can be made (a number range too wide to list).
pub fn accepted_forms(
    quiz_id: &str,
    question: usize,
    kind: &QuestionKind,
) -> Result<Vec<Vec<String>>, String> {
    let position = |order: &[usize], index: usize| {
        order.iter().position(|&i| i == index).unwrap_or(usize::MAX)
    };
    let one = |form: String| Ok(alloc::vec![alloc::vec![form]]);
    match kind {
        QuestionKind::Single {
            answer,
            distractors,
            ..
        } => {
            let options: Vec<&String> = core::iter::once(answer).chain(distractors).collect();
            let order = display_order(quiz_id, question, &options);
            one(tagged("c", &int_text(position(&order, 0) as i64)))
        }
        QuestionKind::Multiple {
            answers,
            distractors,
            ..
        } => {
            let options: Vec<&String> = answers.iter().chain(distractors).collect();
            let order = display_order(quiz_id, question, &options);
            let mut right: Vec<usize> = (0..answers.len()).map(|i| position(&order, i)).collect();
            right.sort_unstable();
            one(list("m", &right))
        }
        QuestionKind::TrueFalse { answer, .. } => {
            one(tagged("b", if *answer { "true" } else { "false" }))
        }
        QuestionKind::Text { answers } => {
            let mut forms: Vec<String> = answers
                .iter()
                .map(|a| tagged("t", &normalize_text(a)))
                .collect();
            forms.sort();
            forms.dedup();
            Ok(alloc::vec![forms])
        }
        QuestionKind::Number { accept, precision } => {
            let scale = scale(*precision);
            let (low, high) = (accept.0 * scale - 1e-6, accept.1 * scale + 1e-6);
            if low.is_nan() || high.is_nan() || low.abs() >= MAX_UNITS || high.abs() >= MAX_UNITS {
                return Err(String::from("the accepted range is too large"));
            }
            let (low, high) = (ceil_units(low), floor_units(high));
            if high < low {
                return Err(String::from(
                    "no value can be written inside the accepted range",
                ));
            }
            if high - low + 1 > MAX_NUMBER_VALUES {
                return Err(format!(
                    "the accepted range holds {} values at this precision; a practice key lists at most {MAX_NUMBER_VALUES}",
                    high - low + 1
                ));
            }
            Ok(alloc::vec![(low..=high).map(number_form).collect()])
        }
        QuestionKind::Order { items } => {
            let order = display_order(quiz_id, question, items);
            let right: Vec<usize> = (0..items.len()).map(|i| position(&order, i)).collect();
            one(list("o", &right))
        }
        QuestionKind::Match { pairs } => {
            let rights: Vec<&String> = pairs.iter().map(|(_, r)| r).collect();
            let order = display_order(quiz_id, question, &rights);
            let right: Vec<usize> = (0..pairs.len()).map(|i| position(&order, i)).collect();
            one(list("p", &right))
        }
        QuestionKind::Blank { gaps } => Ok(gaps
            .iter()
            .enumerate()
            .map(|(k, alternatives)| {
                let mut forms: Vec<String> = alternatives.iter().map(|a| gap_form(k, a)).collect();
                forms.sort();
                forms.dedup();
                forms
            })
            .collect()),
    }
}

/// The stored key of one part: its check value and one masked copy of its secret per accepted
/// answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartKey {
    pub check: [u8; CHECK_LEN],
    pub copies: Vec<Secret>,
}

/// The stored key of one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionKey {
    /// Decimal places numbers are compared at (0 for other types).
    pub precision: u8,
    pub parts: Vec<PartKey>,
}

/// Makes the key of a question. `secret_seed` must be unguessable without the answers (the
/// generator uses a hash of the whole quiz), so that the key reveals nothing.
pub fn make_key(
    salt: &[u8; 16],
    question: usize,
    precision: u8,
    forms: &[Vec<String>],
    secret_seed: &[u8],
) -> QuestionKey {
    let parts = forms
        .iter()
        .enumerate()
        .map(|(k, accepted)| {
            let secret: Secret = truncate(hash(&[
                b"sabaq/secret",
                secret_seed,
                &(question as u32).to_le_bytes(),
                &(k as u32).to_le_bytes(),
            ]));
            let mut copies: Vec<Secret> = accepted
                .iter()
                .map(|form| xor(&secret, &mask(salt, question, form)))
                .collect();
            // Sorted, so the order of copies says nothing about the order of answers.
            copies.sort_unstable();
            PartKey {
                check: check_of(&secret),
                copies,
            }
        })
        .collect();
    QuestionKey { precision, parts }
}

/// Checks a response. `Some` holds the key that opens the question's sealed texts.
pub fn check(
    salt: &[u8; 16],
    question: usize,
    key: &QuestionKey,
    response: &Response,
) -> Option<[u8; 32]> {
    let forms = response.canonical(key.precision);
    if forms.len() != key.parts.len() {
        return None;
    }
    let mut secrets: Vec<u8> = Vec::with_capacity(forms.len() * SECRET_LEN);
    for (form, part) in forms.iter().zip(&key.parts) {
        let m = mask(salt, question, form);
        let secret = part
            .copies
            .iter()
            .map(|copy| xor(copy, &m))
            .find(|s| check_of(s) == part.check)?;
        secrets.extend_from_slice(&secret);
    }
    Some(sealed::key(
        &secrets,
        Purpose::PracticeExplanation,
        question,
        0,
    ))
}

/// The key that opens a question's sealed texts, as the generator computes it.
pub fn opening_key(
    salt: &[u8; 16],
    question: usize,
    key: &QuestionKey,
    forms: &[Vec<String>],
) -> [u8; 32] {
    let mut secrets: Vec<u8> = Vec::new();
    for (accepted, part) in forms.iter().zip(&key.parts) {
        let m = mask(salt, question, &accepted[0]);
        let secret = xor(
            part.copies
                .iter()
                .find(|copy| check_of(&xor(copy, &m)) == part.check)
                .expect("the first accepted form opens its part"),
            &m,
        );
        secrets.extend_from_slice(&secret);
    }
    sealed::key(&secrets, Purpose::PracticeExplanation, question, 0)
}

/// The key that opens the feedback of one option: anyone who picks the option may read it.
pub fn option_key(salt: &[u8; 16], question: usize, position: usize) -> [u8; 32] {
    sealed::key(salt, Purpose::PracticeFeedback, question, position)
}

pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    // A plain loop: the browser module pays for every iterator adapter.
    let digit = |b: u8| (b as char).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut i = 0;
    while i < bytes.len() {
        out.push((digit(bytes[i])? * 16 + digit(bytes[i + 1])?) as u8);
        i += 2;
    }
    Some(out)
}

impl QuestionKey {
    /// The key as page data: `precision|check.copy.copy|check.copy` in hex.
    pub fn encode(&self) -> String {
        let mut out = format!("{}", self.precision);
        for part in &self.parts {
            out.push('|');
            out.push_str(&to_hex(&part.check));
            for copy in &part.copies {
                out.push('.');
                out.push_str(&to_hex(copy));
            }
        }
        out
    }

    /// Reads page data back; `None` for anything malformed.
    pub fn decode(text: &str) -> Option<QuestionKey> {
        let mut fields = text.split('|');
        let precision = fields.next()?.parse().ok()?;
        let mut parts = Vec::new();
        for field in fields {
            let mut pieces = field.split('.');
            let check = from_hex(pieces.next()?)?.try_into().ok()?;
            let copies = pieces
                .map(|p| from_hex(p)?.try_into().ok())
                .collect::<Option<Vec<Secret>>>()?;
            parts.push(PartKey { check, copies });
        }
        (!parts.is_empty()).then_some(QuestionKey { precision, parts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::display_order;
    use alloc::collections::BTreeMap;
    use alloc::vec;

    fn s(text: &str) -> String {
        String::from(text)
    }

    fn keyed(kind: &QuestionKind) -> ([u8; 16], QuestionKey, Vec<Vec<String>>) {
        let salt = quiz_salt("course", "quiz");
        let forms = accepted_forms("quiz", 2, kind).unwrap();
        let precision = kind.precision();
        let key = make_key(&salt, 2, precision, &forms, b"seed with the answers in it");
        (salt, key, forms)
    }

    fn right(kind: &QuestionKind, response: Response) -> bool {
        let (salt, key, _) = keyed(kind);
        check(&salt, 2, &key, &response).is_some()
    }

    #[test]
    fn single_choice_accepts_only_the_answer_position() {
        let kind = QuestionKind::Single {
            answer: s("A plan"),
            distractors: vec![s("A loan"), s("A bank")],
            feedback: BTreeMap::new(),
        };
        let order = display_order("quiz", 2, &["A plan", "A loan", "A bank"]);
        let answer_at = order.iter().position(|&i| i == 0).unwrap();
        for position in 0..3 {
            assert_eq!(
                right(&kind, Response::Choice(position)),
                position == answer_at
            );
        }
    }

    #[test]
    fn multiple_choice_needs_exactly_the_answers() {
        let kind = QuestionKind::Multiple {
            answers: vec![s("Rent"), s("Bills")],
            distractors: vec![s("Sales")],
            feedback: BTreeMap::new(),
        };
        let order = display_order("quiz", 2, &["Rent", "Bills", "Sales"]);
        let at = |i: usize| order.iter().position(|&o| o == i).unwrap();
        assert!(right(&kind, Response::Choices(vec![at(1), at(0)])));
        assert!(!right(&kind, Response::Choices(vec![at(0)])));
        assert!(!right(&kind, Response::Choices(vec![at(0), at(1), at(2)])));
    }

    #[test]
    fn text_answers_match_after_normalising() {
        let kind = QuestionKind::Text {
            answers: vec![s("debt"), s("a debt"), s("قرض")],
        };
        assert!(right(&kind, Response::Text(s("  A   DEBT "))));
        assert!(right(&kind, Response::Text(s("قرض"))));
        assert!(!right(&kind, Response::Text(s("credit"))));
    }

    #[test]
    fn numbers_match_within_the_range_in_any_digits() {
        let kind = QuestionKind::Number {
            accept: (595.0, 605.0),
            precision: 0,
        };
        let number = |text: &str| Response::Number(crate::normalize::parse_number(text).unwrap());
        assert!(right(&kind, number("600")));
        assert!(right(&kind, number("595")));
        assert!(!right(&kind, number("606")));
        assert!(right(&kind, number("۶۰۰")));
        let decimals = QuestionKind::Number {
            accept: (2.49, 2.51),
            precision: 2,
        };
        assert!(right(&decimals, number("2.5")));
        assert!(right(&decimals, number("2,51")));
        assert!(!right(&decimals, number("2.52")));
    }

    #[test]
    fn too_wide_a_number_range_is_refused() {
        let kind = QuestionKind::Number {
            accept: (0.0, 1000.0),
            precision: 0,
        };
        assert!(
            accepted_forms("quiz", 0, &kind)
                .unwrap_err()
                .contains("1001 values")
        );
    }

    #[test]
    fn order_and_match_need_every_position_right() {
        let items = vec![s("List income"), s("List costs"), s("Subtract")];
        let order = display_order("quiz", 2, &items);
        let correct: Vec<usize> = (0..3)
            .map(|i| order.iter().position(|&o| o == i).unwrap())
            .collect();
        let kind = QuestionKind::Order { items };
        assert!(right(&kind, Response::Order(correct.clone())));
        let mut swapped = correct.clone();
        swapped.swap(0, 1);
        assert!(!right(&kind, Response::Order(swapped)));
    }

    #[test]
    fn every_gap_of_a_blank_must_be_right() {
        let kind = QuestionKind::Blank {
            gaps: vec![vec![s("savings"), s("saving")], vec![s("debt")]],
        };
        assert!(right(&kind, Response::Blanks(vec![s("Saving"), s("debt")])));
        assert!(!right(
            &kind,
            Response::Blanks(vec![s("savings"), s("loan")])
        ));
        assert!(!right(
            &kind,
            Response::Blanks(vec![s("debt"), s("savings")])
        ));
        assert!(!right(&kind, Response::Blanks(vec![s("savings")])));
    }

    #[test]
    fn key_round_trips_and_holds_no_answer_text() {
        let kind = QuestionKind::Text {
            answers: vec![s("liability")],
        };
        let (_, key, _) = keyed(&kind);
        let encoded = key.encode();
        assert_eq!(QuestionKey::decode(&encoded), Some(key));
        assert!(!encoded.contains("liability"));
        assert_eq!(QuestionKey::decode("0|zz"), None);
        assert_eq!(QuestionKey::decode("x"), None);
    }

    #[test]
    fn a_right_answer_opens_the_sealed_explanation() {
        let kind = QuestionKind::Text {
            answers: vec![s("debt"), s("loan")],
        };
        let (salt, key, forms) = keyed(&kind);
        let sealed = sealed::seal(
            &opening_key(&salt, 2, &key, &forms),
            b"Money you owe is debt.",
        );
        for answer in ["debt", "Loan"] {
            let opened = check(&salt, 2, &key, &Response::Text(s(answer))).unwrap();
            assert_eq!(
                sealed::open(&opened, &sealed).unwrap(),
                b"Money you owe is debt."
            );
        }
        let wrong = check(&salt, 2, &key, &Response::Text(s("credit")));
        assert_eq!(wrong, None);
    }

    #[test]
    fn integers_are_written_without_fmt() {
        for n in [0, 7, 10, 600, -42, i64::MAX, i64::MIN] {
            assert_eq!(int_text(n), alloc::format!("{n}"));
        }
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(to_hex(&[0, 15, 255]), "000fff");
        assert_eq!(from_hex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(from_hex("0f0"), None);
    }
}
