//! The CSV reader of `sabaq verify --csv` on any text: it never panics, reports every row it
//! cannot read with its line, and keeps rows in file order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sabaq::verify::read_csv;

fuzz_target!(|text: &str| {
    let lines = text.lines().count();
    let mut last = 0;
    for row in read_csv(text) {
        let line = match row {
            Ok(row) => {
                assert!(!row.learner.is_empty() && !row.code.is_empty());
                row.line
            }
            Err((line, reason)) => {
                assert!(!reason.is_empty());
                line
            }
        };
        assert!(line > last && line <= lines, "line {line} of {lines}");
        last = line;
    }
});
