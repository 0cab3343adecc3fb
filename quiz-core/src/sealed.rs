//! Sealed values on quiz pages: every text a page carries in locked form gets a key of its own,
//! derived from a secret with a label naming its purpose, the question and the part it belongs
//! to, and is padded to a size class before it is sealed, so that no two texts share a
//! keystream and a sealed value's length says little about what it holds.
//!
//! The keystream is SHA-256 in counter mode under the value's key; a key seals one text only,
//! which is what makes a keystream without a nonce safe here. [`Purpose`] lists every label.

use alloc::vec::Vec;

use crate::key::hash;

/// What a sealed value is for. Each purpose has its own label, so two purposes never derive
/// the same key from the same secret, question and part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// An assessment question's explanation, opened by the module secret after a pass.
    AssessmentExplanation,
    /// A practice question's explanation, opened by the secrets of its right answer.
    PracticeExplanation,
    /// The feedback of one practice option, opened by whoever picks that option.
    PracticeFeedback,
}

impl Purpose {
    /// Every purpose, for tests that check the labels stay distinct.
    pub const ALL: [Purpose; 3] = [
        Purpose::AssessmentExplanation,
        Purpose::PracticeExplanation,
        Purpose::PracticeFeedback,
    ];

    /// The label its keys are derived with.
    pub fn label(self) -> &'static [u8] {
        match self {
            Purpose::AssessmentExplanation => b"sabaq/seal/assessment-explanation",
            Purpose::PracticeExplanation => b"sabaq/seal/practice-explanation",
            Purpose::PracticeFeedback => b"sabaq/seal/practice-feedback",
        }
    }
}

/// The key of the value with `purpose` for part `part` of question `question`, from `secret`
/// (the module secret of an assessment, the answer secrets or quiz salt of a practice quiz).
pub fn key(secret: &[u8], purpose: Purpose, question: usize, part: usize) -> [u8; 32] {
    hash(&[
        purpose.label(),
        secret,
        &(question as u32).to_le_bytes(),
        &(part as u32).to_le_bytes(),
    ])
}

/// Bytes of the length in front of a sealed text.
const LENGTH_BYTES: usize = 4;
/// The smallest sealed value, in bytes.
const SMALLEST: usize = 64;

/// The size a text of `len` bytes (and its length) is sealed at: 64 bytes, then four steps to
/// each next power of two (64, 80, 96, 112, 128, 160, 192, 224, 256, 320, ...). A sealed
/// value's size tells its text's length only to within a quarter.
pub fn size_class(len: usize) -> usize {
    let needed = len + LENGTH_BYTES;
    let mut size = SMALLEST;
    while size < needed {
        // A quarter of the largest power of two not above `size`.
        size += (1 << (usize::BITS - 1 - size.leading_zeros())) / 4;
    }
    size
}

/// XORs `bytes` with the keystream of `key`, in place.
fn apply_keystream(key: &[u8; 32], bytes: &mut [u8]) {
    for (block, chunk) in bytes.chunks_mut(32).enumerate() {
        let stream = hash(&[b"sabaq/keystream", key, &(block as u32).to_le_bytes()]);
        for (byte, s) in chunk.iter_mut().zip(stream) {
            *byte ^= s;
        }
    }
}

/// Seals `text` under `key`: its length, the text and zeros up to [`size_class`], XOR-ed with
/// the key's keystream.
pub fn seal(key: &[u8; 32], text: &[u8]) -> Vec<u8> {
    let size = size_class(text.len());
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text);
    out.resize(size, 0);
    apply_keystream(key, &mut out);
    out
}

/// The text [`seal`] sealed under `key`; `None` when `key` is not the one it was sealed with
/// (the length or the padding do not come out right). The engines call this, so it stays small.
pub fn open(key: &[u8; 32], sealed: &[u8]) -> Option<Vec<u8>> {
    let mut plain = sealed.to_vec();
    apply_keystream(key, &mut plain);
    let len = u32::from_le_bytes(plain.get(..LENGTH_BYTES)?.try_into().ok()?) as usize;
    let text = plain.get(LENGTH_BYTES..)?;
    if len > text.len() || text[len..].iter().any(|&b| b != 0) {
        return None;
    }
    Some(text[..len].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;

    #[test]
    fn every_label_and_every_key_is_distinct() {
        let labels: BTreeSet<&[u8]> = Purpose::ALL.iter().map(|p| p.label()).collect();
        assert_eq!(labels.len(), Purpose::ALL.len());
        // None is a label the core hashes with for another purpose.
        for other in [
            &b"sabaq/gate"[..],
            b"sabaq/gate-layout",
            b"sabaq/gate-random",
            b"sabaq/filter",
            b"sabaq/keystream",
            b"sabaq/salt",
            b"sabaq/secret",
            b"sabaq/wrap",
            b"sabaq/check",
        ] {
            assert!(!labels.contains(other));
        }
        let secret = [9u8; 16];
        let mut keys = BTreeSet::new();
        for purpose in Purpose::ALL {
            for question in 0..4 {
                for part in 0..4 {
                    assert!(keys.insert(key(&secret, purpose, question, part)));
                }
            }
        }
        assert_eq!(keys.len(), Purpose::ALL.len() * 16);
        assert_ne!(
            key(&secret, Purpose::AssessmentExplanation, 0, 0),
            key(&[8u8; 16], Purpose::AssessmentExplanation, 0, 0)
        );
    }

    #[test]
    fn size_classes_grow_by_quarters() {
        let classes: Vec<usize> = [0, 60, 61, 76, 77, 124, 125, 252, 253]
            .iter()
            .map(|&n| size_class(n))
            .collect();
        assert_eq!(classes, [64, 64, 80, 80, 96, 128, 160, 256, 320]);
        for len in 0..5000 {
            let size = size_class(len);
            assert!(size >= len + LENGTH_BYTES && size.is_multiple_of(16));
            assert!(
                size <= SMALLEST.max((len + LENGTH_BYTES) * 5 / 4 + 16),
                "{len}"
            );
        }
    }

    #[test]
    fn sealed_text_opens_only_with_its_key_and_hides_its_length() {
        let key_a = key(&[1; 16], Purpose::AssessmentExplanation, 0, 0);
        let key_b = key(&[1; 16], Purpose::AssessmentExplanation, 1, 0);
        let short = seal(&key_a, b"<p>yes</p>");
        let longer = seal(&key_a, b"<p>no, because the interest is paid monthly</p>");
        assert_eq!(short.len(), 64);
        assert_eq!(short.len(), longer.len());
        assert_eq!(open(&key_a, &short).unwrap(), b"<p>yes</p>");
        assert_eq!(open(&key_b, &short), None);
        let mut changed = short.clone();
        changed[63] ^= 1;
        assert_eq!(open(&key_a, &changed), None);
        assert_eq!(open(&key_a, b""), None);
        let empty = seal(&key_a, b"");
        assert_eq!(open(&key_a, &empty).unwrap(), b"");
        let long: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(open(&key_a, &seal(&key_a, &long)).unwrap(), long);
    }
}
