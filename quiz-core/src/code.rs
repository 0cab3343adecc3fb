//! Completion codes: 80 bits a learner copies by hand or reads over the phone.
//!
//! Sixteen Crockford base-32 symbols in four groups (`7K2M-Q9XD-04TR-HW3E`): fifteen carry
//! the fields and the MAC tag, the last is a check symbol. Reading ignores case, spaces and
//! hyphens, and takes O as 0 and I or L as 1. The same 80 bits also read as 25 digits for
//! keypad phones.
//!
//! Bits, most significant first: version (2), key epoch (5), module number (5), day (12: days
//! since 2024-01-01, modulo 4096), score in percent (7), tag (44). The tag is HMAC-SHA256 under
//! the module secret over the course id, the normalised learner id and those fields, so a code
//! made for one learner fails for another. The check symbol is a weighted sum over GF(32)
//! with a different non-zero weight per position: any one wrong symbol, and any swap of two
//! neighbours, changes it.

use alloc::string::String;
use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use crate::normalize::ascii_digit;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in a code, check included.
pub const SYMBOLS: usize = 16;
/// Digits in the keypad form.
pub const DIGITS: usize = 25;
pub const TAG_BITS: u32 = 44;
/// The day numbers count from 2024-01-01, day 19,723 after 1970-01-01.
pub const DAY_ZERO: u32 = 19_723;
/// Day numbers wrap after this many days (about 11 years).
pub const DAY_CYCLE: u32 = 4096;

/// The format version of codes made with an institution's key.
pub const VERSION: u8 = 1;
/// The version of codes made by a build without a key: well formed, never valid.
pub const VERSION_UNUSABLE: u8 = 3;

/// What a code says, besides its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    /// 0 to 3.
    pub version: u8,
    /// 0 to 31.
    pub epoch: u8,
    /// 1 to 31: the module's place in the course.
    pub module: u8,
    /// 0 to 4095: see [`day_number`].
    pub day: u16,
    /// 0 to 100.
    pub score: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub fields: Fields,
    /// 44 bits.
    pub tag: u64,
}

/// Why a text is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Not 16 symbols or 25 digits.
    Length(usize),
    /// A character that is no symbol, at this symbol position (0-based).
    Symbol(usize),
    /// All symbols read, but the check symbol does not match.
    Check,
    /// 25 digits that make a number too large to be a code.
    Digits,
}

/// How a code was repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    /// The symbol at this position (0-based) was replaced.
    Symbol(usize),
    /// The symbols at this position and the next were swapped.
    Swap(usize),
}

/// Multiplication in GF(32) with the primitive polynomial x^5 + x^2 + 1.
fn gf32_mul(mut a: u8, mut b: u8) -> u8 {
    let mut product = 0;
    while b != 0 {
        if b & 1 != 0 {
            product ^= a;
        }
        a <<= 1;
        if a & 0x20 != 0 {
            a ^= 0x25;
        }
        b >>= 1;
    }
    product
}

/// The weight of each position: alpha^(i+1) for the 15 data symbols, 1 for the check.
fn weights() -> [u8; SYMBOLS] {
    let mut w = [1u8; SYMBOLS];
    let mut power = 1u8;
    for weight in w.iter_mut().take(SYMBOLS - 1) {
        power = gf32_mul(power, 2);
        *weight = power;
    }
    w
}

/// The check symbol of 15 data symbols.
fn check_symbol(data: &[u8]) -> u8 {
    data.iter()
        .zip(weights())
        .fold(0, |acc, (&s, w)| acc ^ gf32_mul(s, w))
}

fn valid(symbols: &[u8; SYMBOLS]) -> bool {
    check_symbol(&symbols[..SYMBOLS - 1]) == symbols[SYMBOLS - 1]
}

impl Code {
    /// The 75 data bits.
    fn data_bits(&self) -> u128 {
        let f = &self.fields;
        let mut bits = u128::from(f.version & 3);
        bits = (bits << 5) | u128::from(f.epoch & 31);
        bits = (bits << 5) | u128::from(f.module & 31);
        bits = (bits << 12) | u128::from(f.day & 0xfff);
        bits = (bits << 7) | u128::from(f.score & 127);
        (bits << TAG_BITS) | u128::from(self.tag & ((1 << TAG_BITS) - 1))
    }

    fn from_data_bits(bits: u128) -> Code {
        let tag = (bits & ((1 << TAG_BITS) - 1)) as u64;
        let rest = bits >> TAG_BITS;
        Code {
            tag,
            fields: Fields {
                score: (rest & 127) as u8,
                day: ((rest >> 7) & 0xfff) as u16,
                module: ((rest >> 19) & 31) as u8,
                epoch: ((rest >> 24) & 31) as u8,
                version: ((rest >> 29) & 3) as u8,
            },
        }
    }

    /// The 16 symbol values, check last.
    pub fn symbols(&self) -> [u8; SYMBOLS] {
        let bits = self.data_bits();
        let mut symbols = [0u8; SYMBOLS];
        for (i, s) in symbols.iter_mut().take(SYMBOLS - 1).enumerate() {
            *s = ((bits >> (5 * (SYMBOLS - 2 - i))) & 31) as u8;
        }
        symbols[SYMBOLS - 1] = check_symbol(&symbols[..SYMBOLS - 1]);
        symbols
    }

    fn from_symbols(symbols: &[u8; SYMBOLS]) -> Code {
        let bits = symbols[..SYMBOLS - 1]
            .iter()
            .fold(0u128, |acc, &s| (acc << 5) | u128::from(s));
        Code::from_data_bits(bits)
    }

    /// `XXXX-XXXX-XXXX-XXXX`.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(19);
        for (i, s) in self.symbols().iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(char::from(ALPHABET[usize::from(*s)]));
        }
        out
    }

    /// The same 80 bits as 25 digits in groups of five, for keypad phones.
    pub fn to_digits(&self) -> String {
        // Long division by 10 over five 16-bit limbs, most significant first: the browser
        // module would otherwise carry a 128-bit division routine.
        let symbols = self.symbols();
        let mut limbs = [0u32; 5];
        for (i, &s) in symbols.iter().enumerate() {
            let bit = 5 * (SYMBOLS - 1 - i);
            for b in 0..5 {
                if s >> b & 1 == 1 {
                    let at = bit + b;
                    limbs[4 - at / 16] |= 1 << (at % 16);
                }
            }
        }
        let mut digits = [b'0'; DIGITS];
        for d in digits.iter_mut().rev() {
            let mut remainder = 0u32;
            for limb in limbs.iter_mut() {
                let value = (remainder << 16) | *limb;
                *limb = value / 10;
                remainder = value % 10;
            }
            *d = b'0' + remainder as u8;
        }
        let mut out = String::with_capacity(DIGITS + 4);
        for (i, d) in digits.iter().enumerate() {
            if i > 0 && i % 5 == 0 {
                out.push(' ');
            }
            out.push(char::from(*d));
        }
        out
    }

    /// Reads a code as symbols or digits. Urdu and Arabic digits count as 0-9.
    pub fn parse(text: &str) -> Result<Code, CodeError> {
        let symbols = read_symbols(text)?;
        let mut known = [0u8; SYMBOLS];
        for (i, s) in symbols.iter().enumerate() {
            known[i] = s.ok_or(CodeError::Symbol(i))?;
        }
        if valid(&known) {
            Ok(Code::from_symbols(&known))
        } else {
            Err(CodeError::Check)
        }
    }

    /// Every code one mistake away from `text` that passes the check: one symbol changed (or
    /// one unreadable symbol read), or two neighbours swapped. The caller keeps those whose
    /// tag verifies. Empty when the text has the wrong length or more than one unreadable
    /// symbol.
    pub fn repairs(text: &str) -> Vec<(Code, Repair)> {
        let Ok(symbols) = read_symbols(text) else {
            return Vec::new();
        };
        let unknown: Vec<usize> = (0..SYMBOLS).filter(|&i| symbols[i].is_none()).collect();
        let base: [u8; SYMBOLS] = core::array::from_fn(|i| symbols[i].unwrap_or(0));
        let mut out = Vec::new();
        let positions: Vec<usize> = match unknown.as_slice() {
            [] => (0..SYMBOLS).collect(),
            [one] => alloc::vec![*one],
            _ => return out,
        };
        for &i in &positions {
            for value in 0..32u8 {
                if unknown.is_empty() && value == base[i] {
                    continue;
                }
                let mut candidate = base;
                candidate[i] = value;
                if valid(&candidate) {
                    out.push((Code::from_symbols(&candidate), Repair::Symbol(i)));
                }
            }
        }
        if unknown.is_empty() {
            for i in 0..SYMBOLS - 1 {
                if base[i] != base[i + 1] {
                    let mut candidate = base;
                    candidate.swap(i, i + 1);
                    if valid(&candidate) {
                        out.push((Code::from_symbols(&candidate), Repair::Swap(i)));
                    }
                }
            }
        }
        out
    }
}

/// The symbols of a code text (`None` where a character is no symbol), from either form.
fn read_symbols(text: &str) -> Result<[Option<u8>; SYMBOLS], CodeError> {
    let kept: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}'))
        .map(|c| ascii_digit(c).unwrap_or(c))
        .collect();
    match kept.len() {
        SYMBOLS => {
            let mut symbols = [None; SYMBOLS];
            for (s, c) in symbols.iter_mut().zip(&kept) {
                *s = symbol_value(*c);
            }
            Ok(symbols)
        }
        DIGITS => {
            let mut value = 0u128;
            for c in &kept {
                let d = c.to_digit(10).ok_or(CodeError::Digits)?;
                value = value * 10 + u128::from(d);
            }
            if value >> (5 * SYMBOLS) != 0 {
                return Err(CodeError::Digits);
            }
            Ok(core::array::from_fn(|i| {
                Some(((value >> (5 * (SYMBOLS - 1 - i))) & 31) as u8)
            }))
        }
        n => Err(CodeError::Length(n)),
    }
}

fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|p| p as u8)
}

/// A learner id as the MAC covers it: lowercase, with spaces, hyphens, dots, brackets and a
/// leading `+` dropped, and any digits as ASCII, so `+92 300-123 4567` and `923001234567`
/// are the same learner.
pub fn normalize_learner(id: &str) -> String {
    id.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')' | '+'))
        .map(|c| ascii_digit(c).unwrap_or(c).to_ascii_lowercase())
        .collect()
}

/// The day number of a date given as days since 1970-01-01.
pub fn day_number(unix_day: u32) -> u16 {
    (unix_day.wrapping_sub(DAY_ZERO) % DAY_CYCLE) as u16
}

/// HMAC-SHA256 (RFC 2104) of the concatenated `message` under a key of at most 64 bytes.
pub fn hmac_sha256(key: &[u8], message: &[&[u8]]) -> [u8; 32] {
    assert!(key.len() <= 64, "HMAC keys here are at most one block");
    let mut pad = [0u8; 64];
    pad[..key.len()].copy_from_slice(key);
    let inner_pad: [u8; 64] = core::array::from_fn(|i| pad[i] ^ 0x36);
    let outer_pad: [u8; 64] = core::array::from_fn(|i| pad[i] ^ 0x5c);
    let mut inner = Sha256::new();
    inner.update(inner_pad);
    for part in message {
        inner.update(part);
    }
    let mut outer = Sha256::new();
    outer.update(outer_pad);
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The tag of a code: HMAC-SHA256 under the module secret, truncated to 44 bits.
pub fn tag(secret: &[u8; 16], course_id: &str, learner: &str, fields: &Fields) -> u64 {
    let learner = normalize_learner(learner);
    let numbers = [
        fields.version,
        fields.epoch,
        fields.module,
        (fields.day >> 8) as u8,
        fields.day as u8,
        fields.score,
    ];
    let mac = hmac_sha256(
        secret,
        &[
            b"sabaq/code\0",
            &(course_id.len() as u32).to_le_bytes(),
            course_id.as_bytes(),
            &(learner.len() as u32).to_le_bytes(),
            learner.as_bytes(),
            &numbers,
        ],
    );
    u64::from_be_bytes(mac[..8].try_into().unwrap()) >> (64 - TAG_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: [u8; 16] = *b"module-secret-16";

    fn sample() -> Code {
        let fields = Fields {
            version: VERSION,
            epoch: 2,
            module: 3,
            day: day_number(20_415), // 2025-11-23
            score: 88,
        };
        Code {
            fields,
            tag: tag(&SECRET, "money-basics", "+92 300 1234567", &fields),
        }
    }

    /// Pinned vectors (cross-checked with an independent Python implementation when they
    /// were made): these must never change, or codes already sent stop verifying.
    #[test]
    fn vectors_pin_the_format() {
        let code = sample();
        assert_eq!(code.fields.day, 692);
        assert_eq!(
            code.tag,
            tag(&SECRET, "money-basics", "923001234567", &code.fields)
        );
        assert_eq!(code.to_text(), "8GSB-9CEK-Q44A-Q829");
        assert_eq!(code.to_digits(), "03220 56278 45961 07248 02633");
        assert_eq!(Code::parse("8gsb 9cek q44a q829"), Ok(code));
        assert_eq!(Code::parse("03220-56278-45961-07248-02633"), Ok(code));
        assert_eq!(Code::parse("۰۳۲۲۰ ۵۶۲۷۸ ۴۵۹۶۱ ۰۷۲۴۸ ۰۲۶۳۳"), Ok(code));
        // RFC 4231, test case 2.
        let hmac = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            crate::key::to_hex(&hmac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn o_i_and_l_read_as_digits() {
        let text = sample().to_text().replace('0', "o").replace('1', "L");
        assert_eq!(Code::parse(&text), Ok(sample()));
    }

    #[test]
    fn every_single_typo_and_neighbour_swap_is_caught_and_repairable() {
        let code = sample();
        let text = code.to_text().replace('-', "");
        let chars: Vec<char> = text.chars().collect();
        for i in 0..SYMBOLS {
            for &a in ALPHABET {
                let a = char::from(a);
                if a == chars[i] {
                    continue;
                }
                let mut typo = chars.clone();
                typo[i] = a;
                let typo: String = typo.into_iter().collect();
                assert_eq!(Code::parse(&typo), Err(CodeError::Check), "{typo}");
                assert!(
                    Code::repairs(&typo).contains(&(code, Repair::Symbol(i))),
                    "{typo}"
                );
            }
            if i + 1 < SYMBOLS && chars[i] != chars[i + 1] {
                let mut swapped = chars.clone();
                swapped.swap(i, i + 1);
                let swapped: String = swapped.into_iter().collect();
                assert_eq!(Code::parse(&swapped), Err(CodeError::Check), "{swapped}");
                assert!(Code::repairs(&swapped).contains(&(code, Repair::Swap(i))));
            }
        }
        // An unreadable symbol is reported where it is, and repaired by trying all 32.
        let mut bad: Vec<char> = chars.clone();
        bad[5] = 'U';
        let bad: String = bad.into_iter().collect();
        assert_eq!(Code::parse(&bad), Err(CodeError::Symbol(5)));
        assert_eq!(Code::repairs(&bad), alloc::vec![(code, Repair::Symbol(5))]);
    }

    #[test]
    fn wrong_lengths_and_numbers_are_refused() {
        assert_eq!(Code::parse("8GSB-9CEK-Q44A"), Err(CodeError::Length(12)));
        assert_eq!(Code::parse(&"9".repeat(25)), Err(CodeError::Digits));
        assert!(Code::repairs("short").is_empty());
    }

    #[test]
    fn the_tag_binds_learner_course_and_every_field() {
        let code = sample();
        let f = code.fields;
        let other =
            |learner: &str, course: &str, fields: Fields| tag(&SECRET, course, learner, &fields);
        assert_ne!(other("923001234568", "money-basics", f), code.tag);
        assert_ne!(other("923001234567", "workplace-english", f), code.tag);
        for changed in [
            Fields { epoch: 3, ..f },
            Fields { module: 4, ..f },
            Fields {
                day: f.day + 1,
                ..f
            },
            Fields { score: 87, ..f },
            Fields {
                version: VERSION_UNUSABLE,
                ..f
            },
        ] {
            assert_ne!(other("923001234567", "money-basics", changed), code.tag);
        }
        assert!(code.tag < 1 << TAG_BITS);
    }

    #[test]
    fn learner_ids_normalise() {
        assert_eq!(normalize_learner(" +92 (300) 123-4567 "), "923001234567");
        assert_eq!(normalize_learner("۰۳۰۰۱۲۳۴۵۶۷"), "03001234567");
        assert_eq!(normalize_learner("EMP.00-42"), "emp0042");
    }
}
