//! The stored-progress reader on any text (what a browser's storage or a pasted import may
//! hold): it never panics, and whatever it accepts encodes back to text it reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sabaq_quiz::progress::Progress;

fuzz_target!(|text: &str| {
    if let Some(progress) = Progress::decode(text) {
        assert_eq!(Progress::decode(&progress.encode()), Some(progress));
    }
});
