//! The completion-code reader on any text: it never panics; a code it reads prints back to
//! text and digits that read as the same code; every repair it offers passes the check.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sabaq_quiz::code::Code;

fuzz_target!(|text: &str| {
    if let Ok(code) = Code::parse(text) {
        assert_eq!(Code::parse(&code.to_text()), Ok(code));
        assert_eq!(Code::parse(&code.to_digits()), Ok(code));
    }
    for (candidate, _) in Code::repairs(text) {
        assert_eq!(Code::parse(&candidate.to_text()), Ok(candidate));
    }
});
