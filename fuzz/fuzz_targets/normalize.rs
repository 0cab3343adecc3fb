//! Answer normalisation on any text: normalising is idempotent, and a number that parses
//! compares equal to itself at every precision it can be expressed in.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sabaq_quiz::normalize::{normalize_text, parse_number};

fuzz_target!(|text: &str| {
    let once = normalize_text(text);
    assert_eq!(normalize_text(&once), once, "not idempotent for {text:?}");
    assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    if let Some(number) = parse_number(text) {
        assert_eq!(
            parse_number(&once).map(|n| n.units(6)),
            Some(number.units(6))
        );
        if let Some(units) = number.units(number.scale) {
            assert_eq!(units, number.mantissa);
        }
    }
});
