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
pub fn normalize_text(text: &str) -> String {
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
        match ascii_digit(c) {
            Some(d) => out.push(d),
            None => out.extend(fold_letter(c).to_lowercase()),
        }
    }
    out
}

/// Reads a typed number: any of the digits above, `.`, `,` or the Arabic decimal separator
/// `٫` as the decimal point when it is the only one, `,` `٬` and spaces between thousands.
pub fn parse_number(text: &str) -> Option<f64> {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '\u{066B}' => cleaned.push('.'),
            ',' | '\u{066C}' | '\'' | '\u{00A0}' | '\u{202F}' | ' ' => cleaned.push(','),
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
            .is_some_and(|tail| tail.len() != 3);
    let number: String = if comma_is_decimal {
        cleaned.replace(',', ".")
    } else {
        cleaned.replace(',', "")
    };
    if number.is_empty() || number == "-" || number == "." {
        return None;
    }
    number.parse::<f64>().ok().filter(|n| n.is_finite())
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

    #[test]
    fn numbers_accept_arabic_digits_and_separators() {
        assert_eq!(parse_number("600"), Some(600.0));
        assert_eq!(parse_number("۶۰۰"), Some(600.0));
        assert_eq!(parse_number("٦٠٠"), Some(600.0));
        assert_eq!(parse_number("1,500"), Some(1500.0));
        assert_eq!(parse_number("1 500"), Some(1500.0));
        assert_eq!(parse_number("۱٬۵۰۰"), Some(1500.0));
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number("۲٫۵"), Some(2.5));
        assert_eq!(parse_number("-3.25"), Some(-3.25));
        assert_eq!(parse_number("six"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1e999"), None);
    }
}
