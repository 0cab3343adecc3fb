//! Answer normalisation: typed answers are compared after folding case, spaces, the digits of
//! Arabic script and the letter variants that different phone keyboards produce.
//!
//! Unicode composition (NFC) is applied before these functions by the caller: the generator
//! with `unicode-normalization`, the browser with `String.prototype.normalize("NFC")`, so the
//! engine ships no normalisation tables.

use alloc::string::String;

/// A digit of any script Sabaq reads as 0-9: ASCII, Arabic-Indic (U+0660..) and Extended
/// Arabic-Indic (U+06F0.., used in Urdu and Persian).
pub fn ascii_digit(c: char) -> Option<char> {
    let value = match c {
        '0'..='9' => return Some(c),
        '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
        '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
        _ => return None,
    };
    char::from_digit(value, 10)
}

/// Letters that keyboards write in two ways: Arabic yeh, kaf, alef maksura and heh, which
/// Urdu writes as farsi yeh, keheh and heh goal.
fn fold_letter(c: char) -> char {
    match c {
        '\u{064A}' | '\u{0649}' => '\u{06CC}',
        '\u{0643}' => '\u{06A9}',
        '\u{0647}' => '\u{06C1}',
        c => c,
    }
}

/// Characters that change nothing a reader sees in an answer: zero-width joiners and spaces,
/// the byte-order mark and the Arabic tatweel.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{0640}'
    )
}

/// The form a typed answer is compared in: lowercase, one space between words, no space at
/// either end, ASCII digits, folded letter variants.
///
/// Without the `case-tables` feature the text must arrive lowercased already (the browser
/// engine lowercases with the browser's own Unicode tables).
pub fn normalize_text(text: &str) -> String {
    #[cfg(feature = "case-tables")]
    let lowered = text.to_lowercase();
    #[cfg(feature = "case-tables")]
    let text = lowered.as_str();

    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ascii_digit(c).unwrap_or_else(|| fold_letter(c)));
    }
    out
}

/// A number as typed, kept exact: `mantissa` × 10^-`scale` (`2.50` is 250 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i64,
    pub scale: u32,
}

/// The most digits a typed number may have.
const MAX_DIGITS: usize = 18;

impl Decimal {
    /// The value in units of 10^-`precision`, rounded half away from zero; `None` when it is
    /// too large to compare.
    pub fn units(self, precision: u32) -> Option<i64> {
        let value = if self.scale <= precision {
            self.mantissa
                .checked_mul(10i64.checked_pow(precision - self.scale)?)?
        } else {
            let divisor = 10i64.checked_pow(self.scale - precision)?;
            let (quotient, remainder) = (self.mantissa / divisor, self.mantissa % divisor);
            if remainder.abs() * 2 >= divisor {
                quotient + self.mantissa.signum()
            } else {
                quotient
            }
        };
        Some(value)
    }
}

/// Reads a typed number exactly: any of the digits above; `.` or the Arabic decimal separator
/// `٫` as the decimal point, or `,` when it is the only separator and not followed by three
/// digits (`2,5`); `,` `٬` `'` and spaces between groups of digits (`1,00,000`, `12 500`).
/// No exponents, no floating point.
pub fn parse_number(text: &str) -> Option<Decimal> {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '\u{066B}' => cleaned.push('.'),
            // Only a comma may be a decimal point; the others always group thousands.
            ',' => cleaned.push(','),
            '\u{066C}' | '\'' | '\u{00A0}' | '\u{202F}' | ' ' => cleaned.push('_'),
            '-' | '\u{2212}' => cleaned.push('-'),
            '+' | '.' => cleaned.push(c),
            c => cleaned.push(ascii_digit(c)?),
        }
    }
    // A lone comma followed by other than three digits is a decimal comma: "2,5".
    let comma_is_decimal = !cleaned.contains('.')
        && cleaned.matches(',').count() == 1
        && cleaned
            .rsplit(',')
            .next()
            .is_some_and(|tail| tail.chars().filter(|&c| c != '_').count() != 3);
    let number: String = cleaned
        .chars()
        .filter_map(|c| match c {
            ',' if comma_is_decimal => Some('.'),
            ',' | '_' => None,
            c => Some(c),
        })
        .collect();
    let (negative, unsigned) = match number.as_bytes().first()? {
        b'-' => (true, &number[1..]),
        b'+' => (false, &number[1..]),
        _ => (false, number.as_str()),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = whole.len() + fraction.len();
    if digits == 0
        || digits > MAX_DIGITS
        || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let magnitude = whole
        .bytes()
        .chain(fraction.bytes())
        .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
    Some(Decimal {
        mantissa: if negative { -magnitude } else { magnitude },
        scale: fraction.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_folds_case_spaces_and_digits() {
        assert_eq!(normalize_text("  A   Debt\t"), "a debt");
        assert_eq!(normalize_text("Rs ۵۰۰"), "rs 500");
        assert_eq!(normalize_text("٣ kg"), "3 kg");
        assert_eq!(normalize_text("ÉCOLE"), "école");
    }

    #[test]
    fn urdu_keyboard_variants_compare_equal() {
        // بچت written with Arabic yeh vs farsi yeh; کرایہ with Arabic kaf and heh.
        assert_eq!(normalize_text("بچيت"), normalize_text("بچیت"));
        assert_eq!(normalize_text("كرايه"), normalize_text("کرایہ"));
        assert_eq!(normalize_text("قرض\u{200C}"), "قرض");
        assert_eq!(normalize_text("بـچت"), "بچت");
    }

    fn value(text: &str) -> Option<(i64, u32)> {
        parse_number(text).map(|d| (d.mantissa, d.scale))
    }

    #[test]
    fn numbers_accept_arabic_digits_and_separators() {
        assert_eq!(value("600"), Some((600, 0)));
        assert_eq!(value("۶۰۰"), Some((600, 0)));
        assert_eq!(value("٦٠٠"), Some((600, 0)));
        assert_eq!(value("1,500"), Some((1500, 0)));
        assert_eq!(value("1 500"), Some((1500, 0)));
        assert_eq!(value("۱٬۵۰۰"), Some((1500, 0)));
        assert_eq!(value("2,5"), Some((25, 1)));
        assert_eq!(value("۲٫۵"), Some((25, 1)));
        assert_eq!(value("-3.25"), Some((-325, 2)));
        assert_eq!(value("six"), None);
        assert_eq!(value(""), None);
        assert_eq!(value("-"), None);
        assert_eq!(value("1.2.3"), None);
        assert_eq!(value("1e9"), None);
        assert_eq!(value(&"9".repeat(19)), None);
        // Lakh grouping, and European decimals after grouping spaces.
        assert_eq!(value("1,00,000"), Some((100000, 0)));
        assert_eq!(value("1 234,5"), Some((12345, 1)));
        // A space never stands for a decimal point, however many there are (found by the
        // `normalize` fuzz target: "2  35" and "2 35" read differently).
        assert_eq!(value("2 35"), Some((235, 0)));
        assert_eq!(value("2  35"), Some((235, 0)));
        assert_eq!(value("2٬5"), Some((25, 0)));
        assert_eq!(value("22 3,  3"), Some((2233, 1)));
        assert_eq!(value("22 3, 3"), Some((2233, 1)));
        assert_eq!(value("1, 500"), Some((1500, 0)));
    }

    #[test]
    fn decimals_round_to_units_exactly() {
        let units = |text: &str, precision| parse_number(text).unwrap().units(precision);
        assert_eq!(units("600", 0), Some(600));
        assert_eq!(units("600.5", 0), Some(601));
        assert_eq!(units("-600.5", 0), Some(-601));
        assert_eq!(units("2.449", 2), Some(245));
        assert_eq!(units("2.5", 2), Some(250));
        assert_eq!(units(&"9".repeat(18), 2), None);
    }
}
