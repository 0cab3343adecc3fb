//! The assessment gate of the credentials scheme: a page that can tell a pass from a fail only
//! by unlocking the module secret, and nothing about single questions.
//!
//! The 16-byte module secret S is split with Shamir's scheme, `t` of `n` (`t` the pass mark,
//! `n` the questions). Each question stores a small table of slots; each accepted answer hashes
//! (with the quiz salt) to one slot and a mask, and that slot holds share i XOR the mask. Every
//! possible answer lands in some slot, so a slot says nothing about whether an answer is right,
//! and no share carries a check of its own. To unlock, the browser turns each answer into a
//! candidate share, interpolates every `t`-subset, and tests each result against a short filter
//! (about log2 of the number of subsets, in bits: about one false candidate per answer sheet);
//! candidates that pass run Argon2id, whose output must equal the stored check. So each answer
//! sheet costs about one Argon2id run, whoever tries it: the bound of the credentials page.

use alloc::string::String;
use alloc::vec::Vec;

use crate::argon2::{Argon2id, Params};
use crate::key::hash;
use crate::shamir::{self, LEN};

/// Accepted answer forms one assessment question may have (a number range lists each value).
pub const MAX_FORMS: usize = 64;
/// Subsets the browser may have to try (`n` choose `t`).
pub const MAX_SUBSETS: u64 = 1 << 16;
/// Bytes of the Argon2id output compared with the stored check.
pub const CHECK_LEN: usize = 16;
const FORMAT: u8 = 1;

/// One question's slot table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateQuestion {
    /// Decimal places number answers are compared at.
    pub precision: u8,
    /// Chosen at build time so that the accepted answers land in different slots.
    pub seed: u32,
    /// A power of two in length.
    pub slots: Vec<[u8; LEN]>,
}

/// What an assessment page carries to unlock the module secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    pub threshold: u8,
    pub argon: Params,
    pub argon_salt: [u8; 16],
    pub filter_bits: u8,
    pub filter: u32,
    pub check: [u8; CHECK_LEN],
    pub questions: Vec<GateQuestion>,
}

/// `n` choose `t`, saturating.
pub fn subsets(n: usize, t: usize) -> u64 {
    if t > n {
        return 0;
    }
    let t = t.min(n - t) as u64;
    let mut result: u64 = 1;
    for i in 0..t {
        result = result.saturating_mul(n as u64 - i) / (i + 1);
        if result == u64::MAX {
            break;
        }
    }
    result
}

/// Where `form` lands in question `q`'s table, and the mask its share is stored under.
fn slot_and_mask(salt: &[u8; 16], q: usize, seed: u32, form: &str) -> (u32, [u8; LEN]) {
    let h = hash(&[
        b"sabaq/gate",
        salt,
        &(q as u32).to_le_bytes(),
        &seed.to_le_bytes(),
        form.as_bytes(),
    ]);
    let slot = u32::from_le_bytes(h[16..20].try_into().unwrap());
    (slot, h[..LEN].try_into().unwrap())
}

fn filter_of(secret: &[u8; LEN], bits: u8) -> u32 {
    let h = hash(&[b"sabaq/filter", secret]);
    u32::from_be_bytes(h[..4].try_into().unwrap()) >> (32 - u32::from(bits))
}

/// The pseudo-random draws of a gate, all from S and the salt, so nobody without S can predict
/// them and the browser, once it has S, can draw them again.
struct Draws<'a> {
    secret: &'a [u8; LEN],
    salt: &'a [u8; 16],
    counter: u32,
}

impl Draws<'_> {
    fn next(&mut self, label: &[u8]) -> [u8; 32] {
        self.counter += 1;
        hash(&[
            b"sabaq/gate-random",
            self.secret,
            self.salt,
            label,
            &self.counter.to_le_bytes(),
        ])
    }

    /// Shamir's shares of S, `threshold` of `n`: always the first draws of a gate.
    fn shares(&mut self, threshold: usize, n: usize) -> Vec<[u8; LEN]> {
        let secret = *self.secret;
        let mut pool: Vec<u8> = Vec::new();
        shamir::split(&secret, threshold, n, || {
            if pool.is_empty() {
                pool.extend_from_slice(&self.next(b"coefficients"));
            }
            pool.pop().unwrap_or(0)
        })
    }
}

impl Gate {
    /// Builds the gate for a quiz: `questions` gives each question's decimal precision and its
    /// accepted answer forms (as [`crate::key::Response::canonical`] writes them, the parts of
    /// a many-gap question joined by U+001F). Deterministic: the same inputs give the same gate.
    pub fn build(
        secret: &[u8; LEN],
        salt: &[u8; 16],
        threshold: usize,
        argon: Params,
        questions: &[(u8, Vec<String>)],
    ) -> Result<Gate, String> {
        let n = questions.len();
        if threshold == 0 || threshold > n || n > 255 {
            return Err(String::from(
                "the pass mark must be between 1 and the number of questions",
            ));
        }
        let count = subsets(n, threshold);
        if count > MAX_SUBSETS {
            return Err(alloc::format!(
                "a phone would have to try {count} combinations of answers (at most {MAX_SUBSETS}); use fewer questions, or a pass mark nearer to all of them"
            ));
        }
        // Everything random is drawn from S, so nobody without S can predict it.
        let mut draws = Draws {
            secret,
            salt,
            counter: 0,
        };
        let shares = draws.shares(threshold, n);
        let mut random = move |label: &[u8]| draws.next(label);
        let mut gate_questions = Vec::with_capacity(n);
        for (q, ((precision, forms), share)) in questions.iter().zip(&shares).enumerate() {
            if forms.is_empty() || forms.len() > MAX_FORMS {
                return Err(alloc::format!(
                    "question {} accepts {} answers; an assessment question accepts 1 to {MAX_FORMS}",
                    q + 1,
                    forms.len()
                ));
            }
            let size = if forms.len() == 1 {
                1
            } else {
                (2 * forms.len()).next_power_of_two()
            };
            // The layout search starts at a point drawn from S: the seed a page carries then
            // tells nobody which seeds before it were passed over, and so nothing about which
            // answers would have collided there.
            let start = u32::from_le_bytes(random(b"layout start")[..4].try_into().unwrap());
            let (seed, placed) = (0..1u32 << 20)
                .map(|tried| start.wrapping_add(tried))
                .find_map(|seed| {
                    let placed: Vec<(usize, [u8; LEN])> = forms
                        .iter()
                        .map(|form| {
                            let (slot, mask) = slot_and_mask(salt, q, seed, form);
                            (slot as usize % size, mask)
                        })
                        .collect();
                    let mut used: Vec<usize> = placed.iter().map(|(s, _)| *s).collect();
                    used.sort_unstable();
                    used.dedup();
                    (used.len() == placed.len()).then_some((seed, placed))
                })
                .ok_or_else(|| alloc::format!("question {}: no slot layout found", q + 1))?;
            let mut slots: Vec<[u8; LEN]> = (0..size)
                .map(|_| random(b"filler")[..LEN].try_into().unwrap())
                .collect();
            for (slot, mask) in placed {
                slots[slot] = core::array::from_fn(|i| share[i] ^ mask[i]);
            }
            gate_questions.push(GateQuestion {
                precision: *precision,
                seed,
                slots,
            });
        }
        let filter_bits = (64 - count.saturating_sub(1).leading_zeros()).clamp(1, 32) as u8;
        let argon_salt: [u8; 16] = random(b"argon salt")[..16].try_into().unwrap();
        let mut check = [0u8; CHECK_LEN];
        Argon2id::hash(argon, secret, &argon_salt, &mut check);
        Ok(Gate {
            threshold: threshold as u8,
            argon,
            argon_salt,
            filter_bits,
            filter: filter_of(secret, filter_bits),
            check,
            questions: gate_questions,
        })
    }

    /// The share a question's answer stands for (garbage unless the answer is accepted).
    pub fn candidate(&self, salt: &[u8; 16], q: usize, form: &str) -> [u8; LEN] {
        let question = &self.questions[q];
        let (slot, mask) = slot_and_mask(salt, q, question.seed, form);
        let stored = &question.slots[slot as usize % question.slots.len()];
        core::array::from_fn(|i| stored[i] ^ mask[i])
    }

    /// Whether a candidate secret passes the cheap filter (and so deserves an Argon2id run).
    pub fn passes_filter(&self, secret: &[u8; LEN]) -> bool {
        filter_of(secret, self.filter_bits) == self.filter
    }

    /// Starts the Argon2id run that tells whether `secret` is the module secret.
    pub fn start_check(&self, secret: &[u8; LEN]) -> Argon2id {
        Argon2id::new(self.argon, secret, &self.argon_salt, CHECK_LEN as u32)
    }

    /// Whether a finished run matches the stored check.
    pub fn matches(&self, run: Argon2id) -> bool {
        let mut out = [0u8; CHECK_LEN];
        run.finish(&mut out);
        out == self.check
    }

    /// The gate as bytes, for the page.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = alloc::vec![FORMAT, self.threshold];
        out.extend_from_slice(&self.argon.memory_kib.to_le_bytes());
        out.extend_from_slice(&self.argon.passes.to_le_bytes());
        out.extend_from_slice(&self.argon_salt);
        out.push(self.filter_bits);
        out.extend_from_slice(&self.filter.to_le_bytes());
        out.extend_from_slice(&self.check);
        out.push(self.questions.len() as u8);
        for q in &self.questions {
            out.push(q.precision);
            out.extend_from_slice(&q.seed.to_le_bytes());
            out.push(q.slots.len().trailing_zeros() as u8);
            for slot in &q.slots {
                out.extend_from_slice(slot);
            }
        }
        out
    }

    /// Reads [`Gate::encode`]'s bytes; `None` if they are not a gate.
    pub fn decode(bytes: &[u8]) -> Option<Gate> {
        let mut r = Reader(bytes);
        if r.byte()? != FORMAT {
            return None;
        }
        let threshold = r.byte()?;
        let argon = Params {
            memory_kib: r.u32()?,
            passes: r.u32()?,
        };
        let argon_salt = r.array()?;
        let filter_bits = r.byte()?;
        let filter = r.u32()?;
        let check = r.array()?;
        let n = r.byte()?;
        let mut questions = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            let precision = r.byte()?;
            let seed = r.u32()?;
            let log = r.byte()?;
            if log > 8 {
                return None;
            }
            let mut slots = Vec::with_capacity(1 << log);
            for _ in 0..1usize << log {
                slots.push(r.array()?);
            }
            questions.push(GateQuestion {
                precision,
                seed,
                slots,
            });
        }
        let valid = r.0.is_empty()
            && (1..=n).contains(&threshold)
            && (1..=32).contains(&filter_bits)
            && argon.memory_kib >= 8
            && argon.passes >= 1;
        valid.then_some(Gate {
            threshold,
            argon,
            argon_salt,
            filter_bits,
            filter,
            check,
            questions,
        })
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).map(|b| b.try_into().unwrap())
    }
}

/// The walk over the `t`-subsets of the answered questions, resumable so the browser can show
/// progress and yield to the page.
pub struct Search {
    answered: Vec<(usize, [u8; LEN])>,
    /// Indices into `answered` of the current subset; empty once exhausted.
    current: Vec<usize>,
    /// The subset that gave the last secret [`Search::next`] returned.
    picked: Vec<(usize, [u8; LEN])>,
    tried: u64,
}

impl Search {
    /// `candidates[q]` is question q's candidate share, or `None` when it was not answered.
    pub fn new(gate: &Gate, candidates: &[Option<[u8; LEN]>]) -> Search {
        let answered: Vec<(usize, [u8; LEN])> = candidates
            .iter()
            .enumerate()
            .filter_map(|(q, c)| c.map(|share| (q, share)))
            .collect();
        let t = usize::from(gate.threshold);
        let current = if answered.len() >= t {
            (0..t).collect()
        } else {
            Vec::new()
        };
        Search {
            answered,
            current,
            picked: Vec::new(),
            tried: 0,
        }
    }

    /// Subsets tried so far.
    pub fn tried(&self) -> u64 {
        self.tried
    }

    /// Tries up to `budget` subsets; returns the first secret that passes the filter (the
    /// search resumes after it on the next call), or `None` when the budget ran out or every
    /// subset was tried (see [`Search::exhausted`]).
    pub fn next(&mut self, gate: &Gate, budget: usize) -> Option<[u8; LEN]> {
        for _ in 0..budget {
            if self.current.is_empty() {
                return None;
            }
            self.picked.clear();
            self.picked
                .extend(self.current.iter().map(|&i| self.answered[i]));
            self.advance();
            self.tried += 1;
            let secret = shamir::combine(&self.picked);
            if gate.passes_filter(&secret) {
                return Some(secret);
            }
        }
        None
    }

    /// Once the last secret [`Search::next`] returned is known to be S (Argon2id said so):
    /// whether each of `questions` questions was answered right. The subset that unlocked S
    /// holds true shares; another answer is right exactly when it can stand in for one of
    /// them and S still comes out (the Lagrange weight of every point is non-zero, so any
    /// other value moves the result). No list of accepted answers is needed for this.
    pub fn right_answers(&self, secret: &[u8; LEN], questions: usize) -> Vec<bool> {
        let mut right = alloc::vec![false; questions];
        for &(q, candidate) in &self.answered {
            let mut points = self.picked.clone();
            if let Some(point) = points.iter_mut().find(|(p, _)| *p == q) {
                *point = (q, candidate);
            } else if let Some(first) = points.first_mut() {
                *first = (q, candidate);
            }
            if q < questions && !points.is_empty() {
                right[q] = shamir::combine(&points) == *secret;
            }
        }
        right
    }

    pub fn exhausted(&self) -> bool {
        self.current.is_empty()
    }

    /// The next subset in lexicographic order.
    fn advance(&mut self) {
        let (t, n) = (self.current.len(), self.answered.len());
        let mut i = t;
        while i > 0 {
            i -= 1;
            if self.current[i] < n - t + i {
                self.current[i] += 1;
                for j in i + 1..t {
                    self.current[j] = self.current[j - 1] + 1;
                }
                return;
            }
        }
        self.current.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const SALT: [u8; 16] = [7; 16];
    const SECRET: [u8; 16] = *b"the module key!!";
    const CHEAP: Params = Params {
        memory_kib: 8,
        passes: 1,
    };

    fn forms() -> Vec<(u8, Vec<String>)> {
        vec![
            (0, vec![String::from("c:2")]),
            (
                0,
                vec![
                    String::from("t:debt"),
                    String::from("t:a debt"),
                    String::from("t:liability"),
                ],
            ),
            (0, vec![String::from("b:false")]),
            (0, (595..=605).map(|n| alloc::format!("n:{n}")).collect()),
            (0, vec![String::from("o:2,0,1")]),
        ]
    }

    /// Runs the whole unlock as the browser would; `Some(S)` on a pass.
    fn unlock(gate: &Gate, answers: &[Option<&str>]) -> Option<[u8; LEN]> {
        let candidates: Vec<Option<[u8; LEN]>> = answers
            .iter()
            .enumerate()
            .map(|(q, a)| a.map(|form| gate.candidate(&SALT, q, form)))
            .collect();
        let mut search = Search::new(gate, &candidates);
        loop {
            if let Some(secret) = search.next(gate, 3) {
                let mut run = gate.start_check(&secret);
                while !run.step(5) {}
                if gate.matches(run) {
                    return Some(secret);
                }
            } else if search.exhausted() {
                return None;
            }
        }
    }

    #[test]
    fn a_sheet_at_the_pass_mark_unlocks_and_one_below_does_not() {
        let gate = Gate::build(&SECRET, &SALT, 4, CHEAP, &forms()).unwrap();
        let right = [
            Some("c:2"),
            Some("t:a debt"),
            Some("b:false"),
            Some("n:600"),
            Some("o:2,0,1"),
        ];
        assert_eq!(unlock(&gate, &right), Some(SECRET));
        // Exactly the pass mark, with the wrong answer anywhere, or one question unanswered.
        for wrong_at in 0..5 {
            let mut sheet = right;
            sheet[wrong_at] = Some("c:0");
            assert_eq!(unlock(&gate, &sheet), Some(SECRET), "wrong at {wrong_at}");
            sheet[wrong_at] = None;
            assert_eq!(unlock(&gate, &sheet), Some(SECRET), "unanswered {wrong_at}");
        }
        // One below the pass mark, in every way.
        for a in 0..5 {
            for b in a + 1..5 {
                let mut sheet = right;
                sheet[a] = Some("t:wrong");
                sheet[b] = None;
                assert_eq!(unlock(&gate, &sheet), None, "{a} {b}");
            }
        }
        // Another accepted form of a many-answer question, and a number inside the range.
        let other = [
            Some("c:2"),
            Some("t:liability"),
            Some("b:false"),
            Some("n:595"),
            None,
        ];
        assert_eq!(unlock(&gate, &other), Some(SECRET));
    }

    #[test]
    fn after_a_pass_each_answer_is_marked_from_the_secret_alone() {
        let gate = Gate::build(&SECRET, &SALT, 3, CHEAP, &forms()).unwrap();
        let sheet = [
            Some("c:2"),
            Some("t:credit"),
            Some("b:false"),
            None,
            Some("o:2,0,1"),
        ];
        let candidates: Vec<Option<[u8; LEN]>> = sheet
            .iter()
            .enumerate()
            .map(|(q, a)| a.map(|form| gate.candidate(&SALT, q, form)))
            .collect();
        let mut search = Search::new(&gate, &candidates);
        let secret = loop {
            let Some(secret) = search.next(&gate, 1) else {
                assert!(!search.exhausted(), "the sheet passes");
                continue;
            };
            let mut run = gate.start_check(&secret);
            while !run.step(5) {}
            if gate.matches(run) {
                break secret;
            }
        };
        assert_eq!(secret, SECRET);
        assert_eq!(
            search.right_answers(&secret, 5),
            [true, false, true, false, true]
        );
        // A wrong secret marks nothing right.
        assert_eq!(search.right_answers(&[0; 16], 5), [false; 5]);
    }

    #[test]
    fn the_gate_survives_the_page_and_is_deterministic() {
        let gate = Gate::build(&SECRET, &SALT, 4, CHEAP, &forms()).unwrap();
        assert_eq!(Gate::decode(&gate.encode()), Some(gate.clone()));
        assert_eq!(
            Gate::build(&SECRET, &SALT, 4, CHEAP, &forms()).unwrap(),
            gate
        );
        assert_eq!(Gate::decode(&gate.encode()[1..]), None);
        let mut long = gate.encode();
        long.push(0);
        assert_eq!(Gate::decode(&long), None);
        // Tables: one slot for one answer, a power of two at least twice the answers else.
        let sizes: Vec<usize> = gate.questions.iter().map(|q| q.slots.len()).collect();
        assert_eq!(sizes, vec![1, 8, 1, 32, 1]);
        // 5 choose 4 = 5 subsets: a 3-bit filter.
        assert_eq!(gate.filter_bits, 3);
    }

    #[test]
    fn nothing_in_the_gate_repeats_a_secret_or_an_answer() {
        let gate = Gate::build(&SECRET, &SALT, 4, CHEAP, &forms()).unwrap();
        let bytes = gate.encode();
        assert!(!bytes.windows(16).any(|w| w == SECRET));
        assert!(!bytes.windows(4).any(|w| w == b"debt"));
    }

    #[test]
    fn impossible_gates_are_refused_with_reasons() {
        assert!(Gate::build(&SECRET, &SALT, 6, CHEAP, &forms()).is_err());
        let many: Vec<(u8, Vec<String>)> = (0..40)
            .map(|i| (0, vec![alloc::format!("c:{i}")]))
            .collect();
        let err = Gate::build(&SECRET, &SALT, 20, CHEAP, &many).unwrap_err();
        assert!(err.contains("combinations"), "{err}");
        let wide = vec![(0, (0..100).map(|n| alloc::format!("n:{n}")).collect())];
        assert!(
            Gate::build(&SECRET, &SALT, 1, CHEAP, &wide)
                .unwrap_err()
                .contains("accepts 100")
        );
        assert_eq!(subsets(5, 4), 5);
        assert_eq!(subsets(20, 16), 4845);
        assert_eq!(subsets(3, 4), 0);
    }
}
