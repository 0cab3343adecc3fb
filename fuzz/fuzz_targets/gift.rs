//! The GIFT reader of `sabaq import gift` on any text: it never panics, every diagnostic
//! points inside the file, and every question it converts passes the build's quiz checker or
//! is reported as an error.
#![no_main]

use std::collections::HashSet;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sabaq::import::{self, gift};

fuzz_target!(|text: &str| {
    let path = Path::new("bank.gift");
    let bank = gift::read(path, text);
    let lines = text.lines().count().max(1);
    for d in &bank.diagnostics {
        let position = d.position.expect("every GIFT diagnostic has a place");
        assert!(
            position.line >= 1 && position.line <= lines,
            "line {} of {lines}",
            position.line
        );
    }
    let (lesson, diagnostics) = import::gift_lesson(path, text, &mut HashSet::new());
    let failed = diagnostics.iter().any(|d| d.is_error());
    assert_eq!(lesson.is_none(), failed);
});
