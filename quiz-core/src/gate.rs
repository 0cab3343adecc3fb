//! The assessment gate of the credentials scheme: a page that can tell a pass from a fail only
//! by unlocking the module secret, and nothing about single questions.
//!
//! Every accepted answer of every question has a random 16-byte key of its own. A question
//! carries a polynomial over GF(2^128), one degree above its number of accepted answers, that
//! maps each accepted answer (hashed with the quiz salt) to its key and passes through one more
//! random point: its coefficients are as random as the keys, so they say nothing about which
//! answers are accepted, and any answer maps to 16 bytes. For every way of choosing `t` of the
//! `n` questions (`t` the pass mark), and an accepted answer of each, the page carries a box:
//! the module secret S XOR-ed with an Argon2id run over those answers' keys. To unlock, the
//! browser opens the box of every such subset its answers cover; a box opened with the right
//! keys gives S, which a short hash of S confirms. The Argon2id runs of all the boxes together
//! cost about as much as one run of the full cost (8 MiB, 3 passes), so a learner's sheet costs
//! one such run, and so does each sheet an attacker tries: every guess at the answers of a
//! subset costs a box's run, and nothing on the page relates one box to another, or one key to
//! another, without those runs. (An earlier gate shared S with Shamir's scheme: its shares
//! satisfied public linear checks, which let a program solve for the answers; a slot table
//! that followed it carried a layout seed that tested a guessed set of accepted answers.)

use alloc::string::String;
use alloc::vec::Vec;

use crate::argon2::{Argon2id, Params};
use crate::gf128;
use crate::key::hash;

/// Bytes in the module secret, a question key and a box.
pub const LEN: usize = 16;
/// Accepted answer forms one assessment question may have (a number range lists each value).
pub const MAX_FORMS: usize = 64;
/// Questions one assessment may have.
pub const MAX_QUESTIONS: usize = 255;
/// Boxes a page may carry (`n` choose `t`): 16 bytes each on the page, and a share of the
/// Argon2id cost each, which must stay a real cost.
pub const MAX_BOXES: usize = 256;
/// Seconds one Argon2id run of the full cost (8 MiB, 3 passes) takes on a phone four times
/// slower than the benchmark machine: a passing sheet shows its code after 535 ms with the CPU
/// slowed 4x (README); all of a gate's boxes together cost about one such run.
pub const ARGON_SLOW_SECONDS: f64 = 0.6;
/// The most memory one box's run may ask for, in KiB, and the most memory times passes: the
/// full cost the build shares out (8 MiB, 3 passes).
const MAX_BOX_MEMORY_KIB: u32 = 8 * 1024;
const MAX_BOX_COST: u64 = 8 * 1024 * 3;
/// Bytes of the hash of S that confirms an opened box.
const CHECK_LEN: usize = 16;
const FORMAT: u8 = 5;

/// One question's part of the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateQuestion {
    /// Decimal places number answers are compared at.
    pub precision: u8,
    /// How many answers it accepts: each has a key of its own, and a box in every block.
    pub forms: u8,
    /// The polynomial from answers to keys, lowest coefficient first: one more than `forms`.
    pub coefficients: Vec<[u8; LEN]>,
}

/// What an assessment page carries to unlock the module secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    pub threshold: u8,
    /// The Argon2id cost of opening one box.
    pub box_argon: Params,
    /// A hash of S: confirms the S an opened box gives.
    pub check: [u8; CHECK_LEN],
    /// Made from S and the quiz's content: with S, it gives the gate key of this version.
    pub nonce: [u8; 16],
    pub questions: Vec<GateQuestion>,
    /// For each `threshold`-subset of the questions, in lexicographic order, a block of boxes:
    /// one per way of picking an accepted answer of each of its questions.
    pub boxes: Vec<[u8; LEN]>,
}

/// `n` choose `t` as a float, exact enough to report and to compare with limits however large.
pub fn subsets_approx(n: usize, t: usize) -> f64 {
    if t > n {
        return 0.0;
    }
    let t = t.min(n - t);
    (0..t).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
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

/// The Argon2id cost of one box when `boxes` share the cost `total`: about `total` / `boxes`
/// in memory times passes (at least 8 KiB, one pass), so that opening every box costs about
/// one run of `total`.
pub fn box_params(total: Params, boxes: usize) -> Params {
    let budget = u64::from(total.memory_kib) * u64::from(total.passes);
    let boxes = boxes.max(1) as u64;
    let memory = (budget / boxes).clamp(8, u64::from(total.memory_kib)) / 4 * 4;
    let passes = (budget / boxes / memory).max(1);
    Params {
        memory_kib: memory as u32,
        passes: passes as u32,
    }
}

/// About how many seconds a phone four times slower than the benchmark machine takes to grade
/// a sheet of an assessment with `boxes` boxes, whose full Argon2id cost is `total`.
pub fn slow_phone_seconds(total: Params, boxes: usize) -> f64 {
    let one = box_params(total, boxes);
    let spent = f64::from(one.memory_kib) * f64::from(one.passes) * boxes as f64;
    let full = f64::from(total.memory_kib) * f64::from(total.passes);
    ARGON_SLOW_SECONDS * spent / full
}

/// Where an answer `form` of question `q` stands as a point of the field.
fn point(salt: &[u8; 16], q: usize, form: &str) -> u128 {
    let h = hash(&[
        b"sabaq/answer-point",
        salt,
        &(q as u32).to_le_bytes(),
        form.as_bytes(),
    ]);
    u128::from_le_bytes(h[..LEN].try_into().unwrap())
}

fn check_of(secret: &[u8; LEN]) -> [u8; CHECK_LEN] {
    hash(&[b"sabaq/gate-check", secret])[..CHECK_LEN]
        .try_into()
        .unwrap()
}

/// The gate key of a version of a quiz: every random value of its gate, and its
/// explanations' keys, come from it.
pub fn gate_key(secret: &[u8; LEN], nonce: &[u8; 16]) -> [u8; 32] {
    hash(&[b"sabaq/gate-key", secret, nonce])
}

/// The key of accepted answer `form` of question `q`, from the gate key: every accepted answer
/// has a key of its own, so two accepted answers of one question unmask unrelated keys.
pub fn answer_key(gate_key: &[u8; 32], q: usize, form: usize) -> [u8; LEN] {
    hash(&[
        b"sabaq/answer-key",
        gate_key,
        &(q as u32).to_le_bytes(),
        &(form as u32).to_le_bytes(),
    ])[..LEN]
        .try_into()
        .unwrap()
}

/// The boxes of one subset: one for each way of picking an accepted answer of each of its
/// questions (the product of their numbers of accepted answers).
fn block_len(subset: &[usize], forms: &impl Fn(usize) -> usize) -> usize {
    subset
        .iter()
        .fold(1usize, |product, &q| product.saturating_mul(forms(q)))
}

/// Boxes of a gate of `n` questions with pass mark `t` (at most [`MAX_BOXES`] subsets), whose
/// question `q` accepts `forms(q)` answers; saturating.
fn total_boxes(n: usize, t: usize, forms: impl Fn(usize) -> usize) -> usize {
    let mut subset: Vec<usize> = (0..t).collect();
    let mut total = 0usize;
    loop {
        total = total.saturating_add(block_len(&subset, &forms));
        if !advance(&mut subset, n) {
            return total;
        }
    }
}

/// The password of a box's Argon2id run: the keys of its questions, with the subset itself.
fn box_password(
    salt: &[u8; 16],
    nonce: &[u8; 16],
    subset: &[usize],
    keys: &[[u8; LEN]],
) -> [u8; 32] {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(3 + keys.len());
    parts.push(b"sabaq/box");
    parts.push(salt);
    parts.push(nonce);
    let members: Vec<u8> = subset.iter().map(|&q| q as u8).collect();
    parts.push(&members);
    for key in keys {
        parts.push(key);
    }
    hash(&parts)
}

/// The Argon2id salt of the boxes of subset `index`: public, and different for every subset
/// of every quiz.
fn box_salt(salt: &[u8; 16], index: usize) -> [u8; 16] {
    hash(&[b"sabaq/box-salt", salt, &(index as u32).to_le_bytes()])[..16]
        .try_into()
        .unwrap()
}

/// The next `t`-subset of `0..n` after `current` in lexicographic order; false when there is none.
fn advance(current: &mut [usize], n: usize) -> bool {
    let t = current.len();
    let mut i = t;
    while i > 0 {
        i -= 1;
        if current[i] < n - t + i {
            current[i] += 1;
            for j in i + 1..t {
                current[j] = current[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// The pseudo-random draws of a gate (layout starts, filler slots), keyed by the gate key.
struct Draws<'a> {
    key: &'a [u8; 32],
    salt: &'a [u8; 16],
    counter: u32,
}

impl Draws<'_> {
    fn next(&mut self, label: &[u8]) -> [u8; 32] {
        self.counter += 1;
        hash(&[
            b"sabaq/gate-random",
            self.key,
            self.salt,
            label,
            &self.counter.to_le_bytes(),
        ])
    }
}

impl Gate {
    /// Builds the gate for a quiz: `questions` gives each question's decimal precision and its
    /// accepted answer forms (as [`crate::key::Response::canonical`] writes them, the parts of
    /// a many-gap question joined by U+001F); `total` is the Argon2id cost all boxes share;
    /// `content` is a digest of everything the quiz holds, answers and explanations included,
    /// so that any edit gives a gate that shares nothing with the one before but S's check.
    /// Returns the gate and its key, which also seals the quiz's explanations. Deterministic:
    /// the same inputs give the same gate.
    pub fn build(
        secret: &[u8; LEN],
        salt: &[u8; 16],
        threshold: usize,
        total: Params,
        questions: &[(u8, Vec<String>)],
        content: &[u8; 32],
    ) -> Result<(Gate, [u8; 32]), String> {
        let n = questions.len();
        if n > MAX_QUESTIONS {
            return Err(alloc::format!(
                "an assessment has at most {MAX_QUESTIONS} questions; this one has {n}"
            ));
        }
        if threshold == 0 || threshold > n {
            return Err(alloc::format!(
                "the pass mark must be between 1 and the number of questions ({n}); it is {threshold}"
            ));
        }
        let count = subsets(n, threshold);
        if count > MAX_BOXES as u64 {
            return Err(alloc::format!(
                "the page would carry {} boxes, one for each way of choosing {threshold} of the {n} questions (at most {MAX_BOXES}); use fewer questions, or a pass mark nearer to all of them",
                approx_text(subsets_approx(n, threshold))
            ));
        }
        let count = count as usize;
        if let Some((q, forms)) = questions
            .iter()
            .enumerate()
            .find(|(_, (_, forms))| forms.is_empty() || forms.len() > MAX_FORMS)
        {
            return Err(alloc::format!(
                "question {} accepts {} answers; an assessment question accepts 1 to {MAX_FORMS}",
                q + 1,
                forms.1.len()
            ));
        }
        // An answer accepted twice (two spellings that compare alike) is one answer.
        let unique: Vec<(u8, Vec<String>)> = questions
            .iter()
            .map(|(precision, forms)| {
                let mut kept: Vec<String> = Vec::with_capacity(forms.len());
                for form in forms {
                    if !kept.contains(form) {
                        kept.push(form.clone());
                    }
                }
                (*precision, kept)
            })
            .collect();
        let questions = &unique[..];
        let boxes_needed = total_boxes(n, threshold, |q| questions[q].1.len());
        if boxes_needed > MAX_BOXES {
            return Err(alloc::format!(
                "the page would carry {boxes_needed} boxes (at most {MAX_BOXES}): one for each way of choosing {threshold} of the {n} questions and an accepted answer of each; accept fewer answers (a smaller tolerance, fewer alternatives), use fewer questions, or a pass mark nearer to all of them"
            ));
        }
        // The nonce, and so every key, depends on everything the gate is built from: the
        // caller's digest of the quiz, and the gate's own inputs (salt, cost, pass mark,
        // answers) and format, so that no two gates ever share a key (a page built by an
        // older version of this code and one built now of the same quiz would otherwise test
        // each answer against each other).
        let mut inputs: Vec<u8> = alloc::vec![FORMAT, threshold as u8];
        inputs.extend_from_slice(salt);
        inputs.extend_from_slice(&total.memory_kib.to_le_bytes());
        inputs.extend_from_slice(&total.passes.to_le_bytes());
        for (precision, forms) in questions {
            inputs.push(*precision);
            inputs.extend_from_slice(&(forms.len() as u32).to_le_bytes());
            for form in forms {
                inputs.extend_from_slice(&(form.len() as u32).to_le_bytes());
                inputs.extend_from_slice(form.as_bytes());
            }
        }
        let nonce: [u8; 16] = hash(&[b"sabaq/gate-nonce", secret, content, &inputs])[..16]
            .try_into()
            .unwrap();
        let key = gate_key(secret, &nonce);
        let mut draws = Draws {
            key: &key,
            salt,
            counter: 0,
        };
        let mut gate_questions = Vec::with_capacity(n);
        for (q, (precision, forms)) in questions.iter().enumerate() {
            // Each accepted answer to its key, and one random point more, so that no answer
            // outside the accepted ones maps to a key, whatever their number.
            let mut points: Vec<(u128, u128)> = forms
                .iter()
                .enumerate()
                .map(|(j, form)| {
                    let answer = u128::from_le_bytes(answer_key(&key, q, j));
                    (point(salt, q, form), answer)
                })
                .collect();
            let extra = draws.next(b"extra point");
            points.push((
                u128::from_le_bytes(extra[..LEN].try_into().unwrap()),
                u128::from_le_bytes(extra[LEN..].try_into().unwrap()),
            ));
            let mut xs: Vec<u128> = points.iter().map(|(x, _)| *x).collect();
            xs.sort_unstable();
            xs.dedup();
            if xs.len() != points.len() {
                return Err(alloc::format!(
                    "question {}: two accepted answers hash alike; change one of them",
                    q + 1
                ));
            }
            gate_questions.push(GateQuestion {
                precision: *precision,
                forms: forms.len() as u8,
                coefficients: gf128::interpolate(&points)
                    .into_iter()
                    .map(u128::to_le_bytes)
                    .collect(),
            });
        }
        // A learner's sheet opens one block per subset with one run, so the runs are shared
        // out over the subsets.
        let box_argon = box_params(total, count);
        let mut boxes = Vec::with_capacity(boxes_needed);
        let mut subset: Vec<usize> = (0..threshold).collect();
        let mut index = 0;
        loop {
            // Each way of picking an accepted answer per question, the first question's choice
            // the slowest to change.
            let mut picks = alloc::vec![0usize; threshold];
            loop {
                let members: Vec<[u8; LEN]> = subset
                    .iter()
                    .zip(&picks)
                    .map(|(&q, &j)| answer_key(&key, q, j))
                    .collect();
                let password = box_password(salt, &nonce, &subset, &members);
                let mut opened = [0u8; LEN];
                Argon2id::hash(box_argon, &password, &box_salt(salt, index), &mut opened);
                boxes.push(core::array::from_fn(|i| secret[i] ^ opened[i]));
                let mut place = threshold;
                let more = loop {
                    if place == 0 {
                        break false;
                    }
                    place -= 1;
                    picks[place] += 1;
                    if picks[place] < questions[subset[place]].1.len() {
                        break true;
                    }
                    picks[place] = 0;
                };
                if !more {
                    break;
                }
            }
            index += 1;
            if !advance(&mut subset, n) {
                break;
            }
        }
        let gate = Gate {
            threshold: threshold as u8,
            box_argon,
            check: check_of(secret),
            nonce,
            questions: gate_questions,
            boxes,
        };
        Ok((gate, key))
    }

    /// The key a question's answer stands for (garbage unless the answer is accepted); `None`
    /// for a question the gate does not have.
    pub fn candidate(&self, salt: &[u8; 16], q: usize, form: &str) -> Option<[u8; LEN]> {
        let question = self.questions.get(q)?;
        let x = point(salt, q, form);
        // Horner's rule over the stored coefficients, highest first.
        let value = question
            .coefficients
            .iter()
            .rev()
            .fold(0, |acc, c| gf128::mul(acc, x) ^ u128::from_le_bytes(*c));
        Some(value.to_le_bytes())
    }

    /// Starts the Argon2id run that opens the block of subset `index` with the keys its
    /// answers stood for.
    pub fn start_box(
        &self,
        salt: &[u8; 16],
        index: usize,
        subset: &[usize],
        keys: &[[u8; LEN]],
    ) -> Argon2id {
        let password = box_password(salt, &self.nonce, subset, keys);
        Argon2id::new(
            self.box_argon,
            &password,
            &box_salt(salt, index),
            LEN as u32,
        )
    }

    /// S and the gate key, when the finished run opens one of the boxes `block` (the range
    /// [`Search::next_box`] gave).
    pub fn open_box(
        &self,
        block: core::ops::Range<usize>,
        run: Argon2id,
    ) -> Option<([u8; LEN], [u8; 32])> {
        let mut opened = [0u8; LEN];
        run.finish(&mut opened);
        self.boxes.get(block)?.iter().find_map(|sealed| {
            let secret: [u8; LEN] = core::array::from_fn(|i| sealed[i] ^ opened[i]);
            (check_of(&secret) == self.check).then(|| (secret, gate_key(&secret, &self.nonce)))
        })
    }

    /// After a pass: which questions were answered right, from the gate key and the keys the
    /// answers stood for (`None` where a question was not answered).
    pub fn marks(&self, gate_key: &[u8; 32], candidates: &[Option<[u8; LEN]>]) -> Vec<bool> {
        candidates
            .iter()
            .enumerate()
            .map(|(q, candidate)| {
                let forms = self.questions.get(q).map_or(0, |g| usize::from(g.forms));
                candidate.is_some_and(|c| (0..forms).any(|j| answer_key(gate_key, q, j) == c))
            })
            .collect()
    }

    /// The gate as bytes, for the page.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = alloc::vec![FORMAT, self.threshold];
        out.extend_from_slice(&self.box_argon.memory_kib.to_le_bytes());
        out.extend_from_slice(&self.box_argon.passes.to_le_bytes());
        out.extend_from_slice(&self.check);
        out.extend_from_slice(&self.nonce);
        out.push(self.questions.len() as u8);
        for q in &self.questions {
            out.push(q.precision);
            out.push(q.forms);
            for coefficient in &q.coefficients {
                out.extend_from_slice(coefficient);
            }
        }
        for sealed in &self.boxes {
            out.extend_from_slice(sealed);
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
        let box_argon = Params {
            memory_kib: r.u32()?,
            passes: r.u32()?,
        };
        let check = r.array()?;
        let nonce = r.array()?;
        let n = r.byte()?;
        let mut questions = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            let precision = r.byte()?;
            let forms = r.byte()?;
            if forms == 0 || usize::from(forms) > MAX_FORMS {
                return None;
            }
            let mut coefficients = Vec::with_capacity(usize::from(forms) + 1);
            for _ in 0..=forms {
                coefficients.push(r.array()?);
            }
            questions.push(GateQuestion {
                precision,
                forms,
                coefficients,
            });
        }
        let (n, t) = (usize::from(n), usize::from(threshold));
        if !(1..=n).contains(&t) || subsets(n, t) > MAX_BOXES as u64 {
            return None;
        }
        let count = total_boxes(n, t, |q| usize::from(questions[q].forms));
        if count > MAX_BOXES {
            return None;
        }
        let mut boxes = Vec::with_capacity(count);
        for _ in 0..count {
            boxes.push(r.array()?);
        }
        // A box never costs more than the full run a gate's boxes share: a page that asks for
        // more (gigabytes, endless passes) is not one the build wrote.
        let cost = u64::from(box_argon.memory_kib) * u64::from(box_argon.passes);
        let valid = r.0.is_empty()
            && (8..=MAX_BOX_MEMORY_KIB).contains(&box_argon.memory_kib)
            && box_argon.passes >= 1
            && cost <= MAX_BOX_COST;
        valid.then_some(Gate {
            threshold,
            box_argon,
            check,
            nonce,
            questions,
            boxes,
        })
    }
}

/// A positive number for a message: one decimal below ten, whole below a million, else three
/// figures and a power of ten (`5.36e20`).
fn approx_text(x: f64) -> String {
    if x < 10.0 {
        let tenths = (x * 10.0 + 0.5) as u64;
        alloc::format!("{}.{}", tenths / 10, tenths % 10)
    } else if x < 1_000_000.0 {
        alloc::format!("{}", (x + 0.5) as u64)
    } else {
        let mut exponent = 0;
        let mut mantissa = x;
        while mantissa >= 10.0 {
            mantissa /= 10.0;
            exponent += 1;
        }
        let mut hundredths = (mantissa * 100.0 + 0.5) as u64;
        if hundredths >= 1000 {
            hundredths /= 10;
            exponent += 1;
        }
        alloc::format!("{}.{:02}e{exponent}", hundredths / 100, hundredths % 100)
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

/// The walk over the subsets a sheet's answers cover, resumable so the browser can show
/// progress and yield to the page between Argon2id runs.
pub struct Search {
    /// Each question's candidate key, or `None` when it was not answered.
    candidates: Vec<Option<[u8; LEN]>>,
    /// Each question's number of accepted answers.
    forms: Vec<usize>,
    /// The current subset of all questions; empty once exhausted.
    current: Vec<usize>,
    /// The number of `current`, and the first box of its block.
    index: usize,
    first_box: usize,
    tried: usize,
}

/// A block of boxes to open with one run: its subset's number, the subset, the keys its
/// answers stood for, and the boxes of the block.
pub struct BoxToOpen {
    pub index: usize,
    pub subset: Vec<usize>,
    pub keys: Vec<[u8; LEN]>,
    pub block: core::ops::Range<usize>,
}

impl Search {
    /// `candidates[q]` is question q's candidate key, or `None` when it was not answered.
    pub fn new(gate: &Gate, candidates: &[Option<[u8; LEN]>]) -> Search {
        let t = usize::from(gate.threshold);
        let n = candidates.len().min(gate.questions.len());
        let current = if t <= n { (0..t).collect() } else { Vec::new() };
        Search {
            candidates: candidates[..n].to_vec(),
            forms: gate
                .questions
                .iter()
                .map(|q| usize::from(q.forms))
                .collect(),
            current,
            index: 0,
            first_box: 0,
            tried: 0,
        }
    }

    /// Blocks handed out so far.
    pub fn tried(&self) -> usize {
        self.tried
    }

    /// The next block whose questions were all answered; `None` once every one was handed out.
    pub fn next_box(&mut self) -> Option<BoxToOpen> {
        let n = self.candidates.len();
        while !self.current.is_empty() {
            let len = block_len(&self.current, &|q| self.forms[q]);
            let keys: Option<Vec<[u8; LEN]>> =
                self.current.iter().map(|&q| self.candidates[q]).collect();
            let found = keys.map(|keys| BoxToOpen {
                index: self.index,
                subset: self.current.clone(),
                keys,
                block: self.first_box..self.first_box.saturating_add(len),
            });
            self.index += 1;
            self.first_box = self.first_box.saturating_add(len);
            if !advance(&mut self.current, n) {
                self.current.clear();
            }
            if found.is_some() {
                self.tried += 1;
                return found;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const SALT: [u8; 16] = [7; 16];
    const SECRET: [u8; 16] = *b"the module key!!";
    /// A cheap total cost for tests: every box gets the smallest run.
    const CHEAP: Params = Params {
        memory_kib: 8,
        passes: 1,
    };
    const CONTENT: [u8; 32] = [3; 32];

    fn build_gate(
        t: usize,
        argon: Params,
        questions: &[(u8, Vec<String>)],
    ) -> Result<Gate, String> {
        Gate::build(&SECRET, &SALT, t, argon, questions, &CONTENT).map(|(gate, _)| gate)
    }

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

    fn candidates(gate: &Gate, answers: &[Option<&str>]) -> Vec<Option<[u8; LEN]>> {
        answers
            .iter()
            .enumerate()
            .map(|(q, a)| a.and_then(|form| gate.candidate(&SALT, q, form)))
            .collect()
    }

    /// Runs the whole unlock as the browser would: S, the gate key and the boxes opened, on a
    /// pass.
    fn unlock(gate: &Gate, answers: &[Option<&str>]) -> Option<([u8; LEN], [u8; 32], usize)> {
        let mut search = Search::new(gate, &candidates(gate, answers));
        while let Some(to_open) = search.next_box() {
            let mut run = gate.start_box(&SALT, to_open.index, &to_open.subset, &to_open.keys);
            while !run.step(5) {}
            if let Some((secret, key)) = gate.open_box(to_open.block, run) {
                return Some((secret, key, search.tried()));
            }
        }
        None
    }

    #[test]
    fn a_sheet_at_the_pass_mark_unlocks_and_one_below_does_not() {
        let (gate, key) = Gate::build(&SECRET, &SALT, 4, CHEAP, &forms(), &CONTENT).unwrap();
        let right = [
            Some("c:2"),
            Some("t:a debt"),
            Some("b:false"),
            Some("n:600"),
            Some("o:2,0,1"),
        ];
        let unlocked = unlock(&gate, &right).unwrap();
        assert_eq!((unlocked.0, unlocked.1), (SECRET, key));
        // Exactly the pass mark, with the wrong answer anywhere, or one question unanswered.
        for wrong_at in 0..5 {
            let mut sheet = right;
            sheet[wrong_at] = Some("c:0");
            assert_eq!(
                unlock(&gate, &sheet).map(|u| u.0),
                Some(SECRET),
                "wrong at {wrong_at}"
            );
            sheet[wrong_at] = None;
            assert_eq!(
                unlock(&gate, &sheet).map(|u| u.0),
                Some(SECRET),
                "unanswered {wrong_at}"
            );
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
        assert_eq!(unlock(&gate, &other).map(|u| u.0), Some(SECRET));
    }

    #[test]
    fn after_a_pass_each_answer_is_marked_from_the_gate_key() {
        let gate = build_gate(3, CHEAP, &forms()).unwrap();
        let sheet = [
            Some("c:2"),
            Some("t:credit"),
            Some("b:false"),
            None,
            Some("o:2,0,1"),
        ];
        let (secret, key, _) = unlock(&gate, &sheet).expect("the sheet passes");
        assert_eq!(secret, SECRET);
        let found = candidates(&gate, &sheet);
        assert_eq!(gate.marks(&key, &found), [true, false, true, false, true]);
        // Another key marks nothing right.
        assert_eq!(gate.marks(&[0; 32], &found), [false; 5]);
    }

    #[test]
    fn the_boxes_share_one_full_run_of_argon2id() {
        let total = Params {
            memory_kib: 8 * 1024,
            passes: 3,
        };
        assert_eq!(box_params(total, 1), total);
        let cost = |p: Params| u64::from(p.memory_kib) * u64::from(p.passes);
        for boxes in [2, 5, 8, 45, 190, 255, 256] {
            let one = box_params(total, boxes);
            assert!(
                one.memory_kib >= 8 && one.memory_kib.is_multiple_of(4),
                "{boxes}"
            );
            let all = cost(one) * boxes as u64;
            assert!(
                all <= cost(total) && all * 10 >= cost(total) * 6,
                "{boxes}: {all}"
            );
        }
        assert!((slow_phone_seconds(total, 1) - ARGON_SLOW_SECONDS).abs() < 1e-9);
        assert!(slow_phone_seconds(total, 45) <= ARGON_SLOW_SECONDS);
    }

    #[test]
    fn no_public_value_relates_answers_without_a_box_run_and_versions_share_nothing() {
        let (gate, key) = Gate::build(&SECRET, &SALT, 4, CHEAP, &forms(), &CONTENT).unwrap();
        // Five subsets of four; the text and number questions accept 3 and 11 answers.
        let blocks: usize = [
            (1, 3, 1, 11),
            (1, 3, 1, 1),
            (1, 3, 11, 1),
            (1, 1, 11, 1),
            (3, 1, 11, 1),
        ]
        .iter()
        .map(|(a, b, c, d)| a * b * c * d)
        .sum();
        assert_eq!(gate.boxes.len(), blocks);
        // The keys of different questions are unrelated, and no box is another XOR-ed with
        // something public: each holds S under its own Argon2id output.
        let keys: Vec<[u8; LEN]> = (0..5).map(|q| answer_key(&key, q, 0)).collect();
        for (i, a) in keys.iter().enumerate() {
            assert!(keys[i + 1..].iter().all(|b| a != b));
        }
        // Another version of the quiz (any edit changes its content digest): the same check,
        // nothing else in common.
        let (edited, edited_key) =
            Gate::build(&SECRET, &SALT, 4, CHEAP, &forms(), &[4; 32]).unwrap();
        assert_eq!(edited.check, gate.check);
        assert_ne!(edited.nonce, gate.nonce);
        assert_ne!(edited_key, key);
        for (a, b) in gate.questions.iter().zip(&edited.questions) {
            assert!(
                a.coefficients
                    .iter()
                    .zip(&b.coefficients)
                    .all(|(x, y)| x != y)
            );
        }
        assert!(gate.boxes.iter().zip(&edited.boxes).all(|(x, y)| x != y));
        // The same digest with other accepted answers (as a change in how answers are written
        // could give) is another gate too: its own nonce, and so its own keys.
        let mut other_forms = forms();
        other_forms[1].1[0] = String::from("t:debts");
        let (other, other_key) =
            Gate::build(&SECRET, &SALT, 4, CHEAP, &other_forms, &CONTENT).unwrap();
        assert_ne!(other.nonce, gate.nonce);
        assert_ne!(other_key, key);
    }

    #[test]
    fn the_gate_survives_the_page_and_is_deterministic() {
        let gate = build_gate(4, CHEAP, &forms()).unwrap();
        assert_eq!(Gate::decode(&gate.encode()), Some(gate.clone()));
        assert_eq!(build_gate(4, CHEAP, &forms()).unwrap(), gate);
        assert_eq!(Gate::decode(&gate.encode()[1..]), None);
        let mut long = gate.encode();
        long.push(0);
        assert_eq!(Gate::decode(&long), None);
        let short = gate.encode();
        assert_eq!(Gate::decode(&short[..short.len() - 1]), None);
        // A page asking a box for more than the full run is not one the build wrote.
        for (memory, passes) in [(u32::MAX, 1), (8, u32::MAX), (8 * 1024, 4), (4, 1)] {
            let mut bad = gate.clone();
            bad.box_argon = Params {
                memory_kib: memory,
                passes,
            };
            assert_eq!(Gate::decode(&bad.encode()), None, "{memory} {passes}");
        }
        assert_eq!(gate.candidate(&SALT, 5, "c:2"), None);
        // A polynomial one degree above the accepted answers: 16 bytes a coefficient.
        let sizes: Vec<usize> = gate
            .questions
            .iter()
            .map(|q| q.coefficients.len())
            .collect();
        assert_eq!(sizes, vec![2, 4, 2, 12, 2]);
    }

    #[test]
    fn nothing_in_the_gate_repeats_a_secret_or_an_answer() {
        let gate = build_gate(4, CHEAP, &forms()).unwrap();
        let bytes = gate.encode();
        assert!(!bytes.windows(16).any(|w| w == SECRET));
        assert!(!bytes.windows(4).any(|w| w == b"debt"));
    }

    /// `n` true-false questions.
    fn true_false(n: usize) -> Vec<(u8, Vec<String>)> {
        (0..n)
            .map(|i| (0, vec![alloc::format!("b:{}", i % 2 == 0)]))
            .collect()
    }

    #[test]
    fn every_limit_names_the_real_limit_and_the_real_number() {
        let build =
            |t, questions: &[(u8, Vec<String>)]| build_gate(t, CHEAP, questions).unwrap_err();
        assert_eq!(
            build(200, &true_false(256)),
            "an assessment has at most 255 questions; this one has 256"
        );
        assert_eq!(
            build(0, &true_false(5)),
            "the pass mark must be between 1 and the number of questions (5); it is 0"
        );
        // 100 choose 80 is about 5.36e20: more than a u64 counts.
        let err = build(80, &true_false(100));
        assert!(
            err.starts_with("the page would carry 5.36e20 boxes, one for each way of choosing 80 of the 100 questions (at most 256)"),
            "{err}"
        );
        let err = build(253, &true_false(255));
        assert!(err.starts_with("the page would carry 32385 boxes"), "{err}");
        // A question with many accepted answers multiplies the boxes of every subset it is in:
        // 36 subsets of 8 hold it (64 boxes each), 9 do not.
        let mut wide = true_false(10);
        wide[0].1 = (0..64).map(|v| alloc::format!("n:{v}")).collect();
        let err = build(8, &wide);
        assert!(
            err.starts_with("the page would carry 2313 boxes (at most 256): one for each way of choosing 8 of the 10 questions and an accepted answer of each"),
            "{err}"
        );
        // The largest accepted shapes build.
        for (n, t) in [(255, 254), (256 / 2, 127), (20, 18), (10, 8)] {
            if subsets(n, t) <= MAX_BOXES as u64 {
                assert!(build_gate(t, CHEAP, &true_false(n)).is_ok(), "{n} {t}");
            }
        }
        assert_eq!(approx_text(0.64), "0.6");
        assert_eq!(approx_text(9.96), "10.0");
        assert_eq!(approx_text(32_385.0), "32385");
        assert_eq!(approx_text(9_999_600.0), "1.00e7");
    }

    #[test]
    fn every_accepted_answer_maps_to_its_own_key_and_no_other_answer_to_any() {
        for count in [1, 2, 11, 32, 56, 60, MAX_FORMS] {
            let forms: Vec<String> = (0..count).map(|v| alloc::format!("n:{v}")).collect();
            let (gate, key) =
                Gate::build(&SECRET, &SALT, 1, CHEAP, &[(0, forms.clone())], &CONTENT).unwrap();
            assert_eq!(gate.questions[0].coefficients.len(), count + 1);
            assert_eq!(Gate::decode(&gate.encode()), Some(gate.clone()));
            // Every accepted answer unmasks a key of its own.
            let unmasked: Vec<[u8; LEN]> = forms
                .iter()
                .map(|form| gate.candidate(&SALT, 0, form).unwrap())
                .collect();
            for (j, key_j) in unmasked.iter().enumerate() {
                assert_eq!(*key_j, answer_key(&key, 0, j));
                assert!(unmasked[j + 1..].iter().all(|other| other != key_j));
            }
            // Answers outside the accepted ones (a question with one answer included: its
            // polynomial is not constant) map to none of the keys.
            for wrong in count..count + 200 {
                let got = gate
                    .candidate(&SALT, 0, &alloc::format!("n:{wrong}"))
                    .unwrap();
                assert!(!unmasked.contains(&got), "{count}: n:{wrong}");
            }
        }
        // An answer accepted twice is one answer.
        let twice = vec![(0, vec![String::from("t:debt"), String::from("t:debt")])];
        assert_eq!(build_gate(1, CHEAP, &twice).unwrap().questions[0].forms, 1);
    }

    #[test]
    fn impossible_gates_are_refused_with_reasons() {
        assert!(build_gate(6, CHEAP, &forms()).is_err());
        let wide = vec![(0, (0..100).map(|n| alloc::format!("n:{n}")).collect())];
        assert!(
            build_gate(1, CHEAP, &wide)
                .unwrap_err()
                .contains("accepts 100")
        );
        assert_eq!(subsets(5, 4), 5);
        assert_eq!(subsets(20, 16), 4845);
        assert_eq!(subsets(3, 4), 0);
    }

    #[test]
    fn subsets_are_walked_in_the_order_the_boxes_are_built() {
        let mut subset = vec![0, 1];
        let mut seen = vec![subset.clone()];
        while advance(&mut subset, 4) {
            seen.push(subset.clone());
        }
        assert_eq!(
            seen,
            [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]].map(|s| s.to_vec())
        );
    }
}
