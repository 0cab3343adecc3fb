//! Bad input: each fixture holds one problem; the build names the file, line and column,
//! quotes the line with a caret, exits with 1 and writes nothing.

use crate::harness::Project;

/// Builds `fixture` and checks the failure: status 1, every `expected` block on stderr (a
/// block that starts with `error:` must start a line: it is the whole message line), the error
/// count in the summary as the last line, and no output folder.
#[track_caller]
fn assert_build_fails(project: &Project, fixture: &str, errors: usize, expected: &[&str]) {
    let run = project.run(&["build", fixture, "--out", "site"]);
    run.assert_code(1);
    for block in expected {
        if block.starts_with("error:") {
            assert!(
                run.stderr.starts_with(block) || run.stderr.contains(&format!("\n{block}")),
                "stderr lacks, at the start of a line:\n{block}\n--- stderr was:\n{}",
                run.stderr
            );
        } else {
            run.assert_stderr_has(block);
        }
    }
    let plural = if errors == 1 { "" } else { "s" };
    let summary = format!(
        "error: build failed with {errors} error{plural} and 0 warnings; nothing was written"
    );
    assert_eq!(
        run.stderr.lines().last(),
        Some(summary.as_str()),
        "the summary ends the report\n--- stderr was:\n{}",
        run.stderr
    );
    run.assert_not_written("site");
}

#[track_caller]
fn fixture_fails(fixture: &str, expected: &str) {
    assert_build_fails(&Project::with_fixture(fixture), fixture, 1, &[expected]);
}

#[test]
fn malformed_yaml_is_reported_where_the_parser_stopped() {
    fixture_fails(
        "bad-yaml",
        "error: invalid YAML: mapping values are not allowed in this context
  --> bad-yaml/course.yaml:2:13
  |
2 | title: Money: basics for the home
  |             ^
",
    );
}

/// A misspelt key is valid YAML: the message names the key, not a YAML syntax problem (the
/// same wording as `diag.rs`'s own example, `error: unknown field `titel``).
#[test]
fn unknown_course_key_is_reported_at_the_key() {
    fixture_fails(
        "unknown-key",
        "error: unknown field `titel`, expected one of `id`, `title`, `language`, `summary`, `issuer`, `credentials`, `translation_of`, `learner`, `max_image_kb`
  --> unknown-key/course.yaml:3:1
  |
3 | titel: Typo
  | ^
",
    );
}

#[test]
fn unknown_front_matter_key_is_reported_at_its_line_in_the_whole_file() {
    fixture_fails(
        "unknown-front-matter-key",
        "error: unknown field `minuts`, expected one of `title`, `minutes`, `draft`, `order`
  --> unknown-front-matter-key/01-basics/01-first.md:3:1
  |
3 | minuts: 3
  | ^
",
    );
}

#[test]
fn missing_course_title_is_an_error() {
    fixture_fails(
        "missing-title",
        "error: course.yaml has no `title`
  --> missing-title/course.yaml:1:1
  |
1 | id: missing-title
  | ^
  = help: add `title: ...`, the name learners see
",
    );
}

#[test]
fn duplicate_course_id_names_both_courses() {
    fixture_fails(
        "duplicate-course-id",
        "error: duplicate course id `money`: duplicate-course-id/alpha/course.yaml uses it too
  --> duplicate-course-id/beta/course.yaml:1:1
  |
1 | id: money
  | ^
",
    );
}

#[test]
fn duplicate_quiz_id_in_a_course_names_both_places() {
    fixture_fails(
        "duplicate-quiz-id",
        "error: duplicate quiz id `check`: duplicate-quiz-id/01-basics/01-first.md:6 uses it too
  --> duplicate-quiz-id/01-basics/02-second.md:6:1
  |
6 | id: check
  | ^
",
    );
}

#[test]
fn broken_link_is_reported_at_its_line_and_column() {
    fixture_fails(
        "broken-link",
        "error: link to a missing lesson: `02-trackng-cash.md` does not exist
  --> broken-link/01-basics/01-first.md:7:12
  |
7 | Next, read [tracking cash](02-trackng-cash.md).
  |            ^
",
    );
}

#[test]
fn missing_image_is_reported_at_the_image() {
    fixture_fails(
        "missing-image",
        "error: missing image: `../assets/cash-book.png` does not exist
  --> missing-image/01-basics/01-first.md:5:1
  |
5 | ![A cash book](../assets/cash-book.png)
  | ^
",
    );
}

#[test]
fn non_utf8_file_is_reported_at_the_first_bad_byte() {
    fixture_fails(
        "non-utf8",
        "error: file is not valid UTF-8 (bad byte at offset 20)
  --> non-utf8/01-basics/02-second.md:3:4
  |
3 | Caf\u{FFFD} prices went up.
  |    ^
  = help: save the file with UTF-8 encoding
",
    );
}

#[test]
fn empty_course_is_an_error() {
    fixture_fails(
        "empty-course",
        "error: the course has no lessons
  --> empty-course/course.yaml
  = help: add a module folder such as `01-basics/` with a lesson `01-intro.md`
",
    );
}

#[test]
fn file_that_cannot_be_read_is_named() {
    let project = Project::with_fixture("unreadable-lesson");
    let link = project.path("unreadable-lesson/01-basics/03-gone.md");
    std::os::unix::fs::symlink("no-such-file.md", &link).unwrap();
    assert_build_fails(
        &project,
        "unreadable-lesson",
        1,
        &[
            "error: cannot read file: No such file or directory (os error 2)
  --> unreadable-lesson/01-basics/03-gone.md
",
        ],
    );
}

#[test]
fn unclosed_front_matter_is_an_error_without_follow_on_noise() {
    fixture_fails(
        "unclosed-front-matter",
        "error: front matter is not closed
  --> unclosed-front-matter/01-basics/01-first.md:1:1
  |
1 | ---
  | ^
  = help: end it with a line holding only `---`
",
    );
}

#[test]
fn unknown_question_type_is_reported_at_the_type_key() {
    fixture_fails(
        "quiz-unknown-type",
        "error: unknown question type `essay`
  --> quiz-unknown-type/01-basics/03-quiz.md:10:5
   |
10 |   - type: essay
   |     ^
  = help: use one of: single, multiple, true-false, text, number, order, match, blank
",
    );
}

#[test]
fn answer_that_is_also_a_distractor_is_reported_at_the_distractor() {
    fixture_fails(
        "quiz-answer-is-distractor",
        "error: `A plan` is both an answer and a distractor
  --> quiz-answer-is-distractor/01-basics/03-quiz.md:13:27
   |
13 |     distractors: [A loan, A plan]
   |                           ^
",
    );
}

#[test]
fn pass_mark_above_the_question_count_is_reported_at_pass() {
    fixture_fails(
        "quiz-pass-too-high",
        "error: pass mark 3 is above the number of questions (2)
  --> quiz-pass-too-high/01-basics/03-quiz.md:10:1
   |
10 | pass: 3
   | ^
",
    );
}

#[test]
fn empty_option_is_reported_at_the_option() {
    fixture_fails(
        "quiz-empty-option",
        "error: empty option
  --> quiz-empty-option/01-basics/03-quiz.md:12:21
   |
12 |     answers: [Rent, \"\"]
   |                     ^
",
    );
}

#[test]
fn question_without_an_answer_is_reported_at_the_question() {
    fixture_fails(
        "quiz-missing-answer",
        "error: a `number` question needs an `answer` or a `range`
  --> quiz-missing-answer/01-basics/03-quiz.md:10:5
   |
10 |   - type: number
   |     ^
",
    );
}

#[test]
fn credential_naming_a_missing_module_lists_the_real_ones() {
    fixture_fails(
        "credential-unknown-module",
        "error: credential `cert` names module `pricing`, which this course does not have
  --> credential-unknown-module/course.yaml:6:23
  |
6 |     modules: [basics, pricing]
  |                       ^
  = help: the modules are: basics
",
    );
}

#[test]
fn every_error_of_a_build_is_reported_together() {
    let project = Project::with_fixture("three-errors");
    assert_build_fails(
        &project,
        "three-errors",
        3,
        &[
            // The wording of this one is checked by `unknown_course_key_is_reported_at_the_key`.
            "unknown field `sumary`",
            "  --> three-errors/course.yaml:3:1
  |
3 | sumary: typo
  | ^
",
            "error: link to a missing lesson: `09-nowhere.md` does not exist
  --> three-errors/01-basics/01-first.md:5:5
  |
5 | See [nowhere](09-nowhere.md).
  |     ^
",
            "error: unknown question type `essay`
  --> three-errors/01-basics/02-second.md:6:5
  |
6 |   - type: essay
  |     ^
",
        ],
    );
}

#[test]
fn check_reports_the_same_errors_as_build_and_writes_nothing() {
    let project = Project::with_fixture("three-errors");
    let build = project.run(&["build", "three-errors", "--out", "site"]);
    let check = project.run(&["check", "three-errors"]);
    check.assert_code(1);
    build.assert_code(1);
    assert_eq!(
        check.stderr.replace("check failed", "build failed"),
        build.stderr
    );
    check.assert_not_written("site");
}

/// A course whose one assessment has `n` true-false questions and pass mark `pass`.
fn assessment_of(n: usize, pass: usize) -> Project {
    let project = Project::new();
    project.write(
        "big/course.yaml",
        "id: big\ntitle: Big\nlanguage: en\nsummary: A large assessment.\n",
    );
    project.write("big/01-only/module.yaml", "title: Only\n");
    let questions: String = (0..n)
        .map(|i| format!("  - type: true-false\n    prompt: Statement {i}.\n    answer: true\n"))
        .collect();
    project.write(
        "big/01-only/01-exam.md",
        &format!(
            "---\ntitle: Exam\n---\n\n```quiz\nid: exam\nmode: assessment\npass: {pass}\nquestions:\n{questions}```\n"
        ),
    );
    project
}

#[test]
fn an_assessment_with_more_boxes_than_a_page_carries_is_refused_with_its_figures() {
    // 255 choose 253 ways to choose the questions that must be right: a box each.
    assert_build_fails(
        &assessment_of(255, 253),
        "big",
        1,
        &["error: the page would carry 32385 boxes, one for each way of choosing 253 of the 255 questions (at most 256); use fewer questions, or a pass mark nearer to all of them
  --> big/01-only/01-exam.md:6:1
"],
    );
    assert_build_fails(
        &assessment_of(100, 80),
        "big",
        1,
        &["error: the page would carry 5.36e20 boxes"],
    );
    assert_build_fails(
        &assessment_of(256, 250),
        "big",
        1,
        &["error: an assessment has at most 255 questions; this one has 256"],
    );
    // The build says how long a slow phone takes where it is accepted: the boxes share one
    // full Argon2id run, whatever the shape.
    for (n, t) in [(100, 99), (12, 10), (4, 4)] {
        let project = assessment_of(n, t);
        let run = project.run(&["build", "big", "--out", "site"]);
        run.assert_code(0);
        run.assert_stderr_has("a slow phone grades a sheet in about 0.");
    }
}

#[test]
fn a_second_assessment_in_a_module_is_refused_at_its_id() {
    let project = assessment_of(4, 4);
    project.write(
        "big/01-only/02-retake.md",
        "---\ntitle: Retake\n---\n\n```quiz\nid: retake\nmode: assessment\npass: 1\nquestions:\n  - type: true-false\n    prompt: Again.\n    answer: true\n```\n",
    );
    let run = project.run(&["build", "big", "--out", "site"]);
    run.assert_code(1);
    run.assert_stderr_has("error: a second assessment in this module: `exam` at big/01-only/01-exam.md:6 is its assessment
  --> big/01-only/02-retake.md:6:1
");
    run.assert_not_written("site");
}
