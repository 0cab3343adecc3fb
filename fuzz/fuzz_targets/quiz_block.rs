//! The quiz-block parser on any text: it returns a quiz or diagnostics, never panics, and
//! every diagnostic points inside the block it was given.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sabaq::quiz;
use sabaq::yaml::Snippet;

fuzz_target!(|text: &str| {
    let snippet = Snippet::whole(Path::new("lesson.md"), text);
    match quiz::parse(&snippet) {
        Ok(parsed) => {
            let quiz = parsed.quiz;
            assert!(!quiz.questions.is_empty());
            assert!(quiz.required() <= quiz.shown());
            assert!(quiz.shown() <= quiz.questions.len());
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            // The YAML parser breaks lines at \n, \r\n, a lone \r, and (as YAML 1.1 did) at
            // U+0085, U+2028 and U+2029.
            let lines = 1 + text
                .replace("\r\n", "\n")
                .matches(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
                .count();
            for problem in problems {
                if let Some(at) = problem.position {
                    // An error at the very end may point just past the last line.
                    assert!(at.line >= 1 && at.line <= lines + 1, "{problem:?}");
                }
            }
        }
    }
});
