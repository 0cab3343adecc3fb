//! Hostile or careless input: content that would hurt a learner on the page (HTML that
//! navigates by itself, a learner pattern the browser ignores, control characters, names and
//! numbers that break) and input that would stall a build (thousands of errors on one line,
//! YAML nested thousands deep, a quiz of thousands of questions). Each is refused with its
//! file, line and column, or built in bounded output.

use crate::harness::{Project, Run};

/// A project with a one-module course `c/` whose first lesson is `lesson`.
fn course(course_yaml: &str, lesson: &str) -> Project {
    let project = Project::new();
    project.write("c/course.yaml", course_yaml);
    project.write("c/01-m/module.yaml", "title: M\n");
    project.write("c/01-m/01-l.md", lesson);
    project
}

const COURSE: &str = "id: c\ntitle: C\n";

/// Builds `c/`, expecting failure with `errors` errors and each block on stderr.
#[track_caller]
fn fails(project: &Project, errors: usize, blocks: &[&str]) -> Run {
    let run = project.run(&["build", "c", "--out", "site"]);
    run.assert_code(1).assert_not_written("site");
    for block in blocks {
        run.assert_stderr_has(block);
    }
    let plural = if errors == 1 { "" } else { "s" };
    assert!(
        run.stderr.contains(&format!(
            "error: build failed with {errors} error{plural} and"
        )),
        "{}",
        run.stderr
    );
    run
}

#[test]
fn html_in_a_lesson_that_navigates_or_loads_from_elsewhere_is_refused() {
    let lesson = "# L\n\nHi <meta http-equiv=\"refresh\" content=\"0;url=https://example.org\">\n\n<div>\n<base href=\"https://example.org/\">\n</div>\n\n> [!TIP] <img src=\"https://example.org/x.png\"> title\n\n[x](javascript:alert(1))\n\n## Go {onclick=go()}\n\n```quiz\nid: q\nquestions:\n  - type: true-false\n    prompt: \"<form action='https://example.org'>Sure?</form>\"\n    answer: true\n```\n";
    let project = course(COURSE, lesson);
    fails(
        &project,
        6,
        &[
            "error: HTML `<meta>` is not allowed: it can send the learner to another page on load\n  --> c/01-m/01-l.md:3:4\n",
            "error: HTML `<base>` is not allowed: it re-points every link of the page\n  --> c/01-m/01-l.md:6:1\n",
            "error: HTML `<img>` `src=\"https://example.org/x.png\"` loads from another host: learners may be offline and pay for data; copy the file into the course\n  --> c/01-m/01-l.md:9:15\n",
            "error: link `href=\"javascript:alert(1)\"`: a `javascript:` address runs code or opens a made-up page\n  --> c/01-m/01-l.md:11:1\n",
            "error: HTML event handler `onclick` on `<h2>` is not allowed: it runs code, which the pages do not allow\n  --> c/01-m/01-l.md:13:1\n",
            "error: HTML `<form>` is not allowed: it can send what the learner types elsewhere\n  --> c/01-m/01-l.md:19:5\n",
        ],
    );
}

#[test]
fn a_gift_bank_with_a_meta_refresh_imports_without_it_and_its_page_stays() {
    let project = course(COURSE, "# L\n\nText.\n");
    project.write(
        "bank.gift",
        "// a hostile bank\n::Q1::[html]<p>Is cash an asset?<meta http-equiv=\"refresh\" content=\"0;url=https://example.org\"></p>{T}\n\n[html]<script>location='https://example.org'</script><b onclick=\"go()\">Read this</b>\n",
    );
    let run = project.run(&["import", "gift", "bank.gift", "--out", "c/01-m"]);
    run.assert_code(0);
    run.assert_stderr_has("warning: removed from the imported text: HTML `<meta>` is not allowed: it can send the learner to another page on load\n  --> bank.gift:2:1\n");
    run.assert_stderr_has("warning: removed from the imported text: HTML `<script>` is not allowed: it runs code, which the pages do not allow\n  --> bank.gift:4:1\n");
    run.assert_stderr_has("warning: removed from the imported text: HTML event handler `onclick` on `<b>` is not allowed");
    let lesson = project.read("c/01-m/bank.md");
    assert!(!lesson.contains("http-equiv"), "{lesson}");
    assert!(!lesson.contains("<script"), "{lesson}");
    assert!(lesson.contains("<b>Read this</b>"), "{lesson}");
    project.run(&["build", "c", "--out", "site"]).assert_code(0);
    let page = project.read("site/c/m/bank/index.html");
    assert!(!page.contains("refresh"), "{page}");
}

#[test]
fn a_learner_pattern_the_browser_would_ignore_is_refused() {
    let project = course(
        "id: c\ntitle: C\nlearner:\n  label: Phone\n  pattern: \"[0-9 -]{11,13}\"\n",
        "# L\n\nText.\n",
    );
    fails(
        &project,
        1,
        &[
            "error: the learner pattern `[0-9 -]{11,13}` does not compile in the browser (at its character 6): `-` at the end of `[...]` must be escaped as `\\-`\n  --> c/course.yaml:5:3\n",
        ],
    );
}

#[test]
fn an_issuer_address_that_runs_code_is_refused() {
    let project = course(
        "id: c\ntitle: C\nissuer:\n  name: I\n  submit:\n    url: \"javascript:alert(1)\"\n",
        "# L\n\nText.\n",
    );
    fails(
        &project,
        1,
        &[
            "error: issuer.submit.url `href=\"javascript:alert(1)\"`: a `javascript:` address runs code or opens a made-up page\n  --> c/course.yaml:6:5\n",
        ],
    );
}

#[test]
fn control_characters_never_reach_a_page() {
    let project = course("id: c\ntitle: \"A\\0B\"\n", "# L\n\nText \u{1} here.\n");
    project.write("c/01-m/02-fine.md", "# Fine\n");
    fails(
        &project,
        2,
        &[
            "error: this text holds the control character U+0000, which a web page cannot show\n  --> c/course.yaml:2:8\n",
            "error: the file holds the control character U+0001, which a web page cannot show\n  --> c/01-m/01-l.md:3:6\n  |\n3 | Text \u{fffd} here.\n  |      ^\n",
        ],
    );
}

#[test]
fn page_names_that_would_break_their_links_are_refused() {
    let project = course(COURSE, "# L\n\nSee [next](02-what%3F.md).\n");
    project.write("c/01-m/02-what?.md", "# What\n");
    project.write("c/02-a#b/01-x.md", "# X\n");
    project.write("c/02-a#b/module.yaml", "title: X\n");
    project.write("c/03-100%/01-y.md", "# Y\n");
    project.write("c/03-100%/module.yaml", "title: Y\n");
    fails(
        &project,
        3,
        &[
            "error: the name `what?` cannot be a page's address: `?` in it would break every link to the page\n  --> c/01-m/02-what?.md\n",
            "error: the name `a#b` cannot be a page's address: `#` in it would break every link to the page\n  --> c/02-a#b\n",
            "error: the name `100%` cannot be a page's address: `%`",
        ],
    );
}

#[test]
fn numbers_that_do_not_fit_are_errors_never_wrapped() {
    let lesson = "# L\n\n```quiz\nid: q\npass: 4294967297\nquestions:\n  - type: true-false\n    prompt: P\n    answer: true\n  - type: number\n    prompt: N\n    answer: 99999999999999999\n    tolerance: .inf\n```\n";
    let project = course(
        "id: c\ntitle: C\nmax_image_kb: 18446744073709551615\n",
        lesson,
    );
    project.write("c/01-m/module.yaml", "title: M\nminutes: 4294967297\n");
    // The module whose module.yaml does not decode also has no title (a sixth error).
    fails(
        &project,
        6,
        &[
            "error: pass mark 4294967297 is above the number of questions (2)\n  --> c/01-m/01-l.md:5:1\n",
            "error: the number 99999999999999999 does not fit: numbers are at most 9007199254740992 (2^53) either way\n  --> c/01-m/01-l.md:12:5\n",
            "error: the number inf does not fit: numbers are at most 9007199254740992 (2^53) either way\n  --> c/01-m/01-l.md:13:5\n",
            "error: max_image_kb 18446744073709551615 does not fit: it is at most 18014398509481983\n  --> c/course.yaml:3:1\n",
            "error: minutes: invalid value: integer `4294967297`, expected u32\n  --> c/01-m/module.yaml:2:10\n",
        ],
    );
}

#[test]
fn a_line_of_five_thousand_broken_links_makes_a_short_report() {
    let links = vec!["[x](02-missing.md)"; 5000].join(" ");
    let project = course(COURSE, &format!("# L\n\n{links}\n"));
    let run = fails(
        &project,
        5000,
        &[
            "error: link to a missing lesson: `02-missing.md` does not exist\n  --> c/01-m/01-l.md:3:1\n  |\n3 | [x](02-missing.md) [x](02-missing.md) [x](02-missing.md) [x]…\n  | ^\n",
            "note: and 4980 more errors and 0 more warnings in c/01-m/01-l.md (the first 20 problems of a file are shown)\n",
        ],
    );
    // 20 problems of a few lines each, never the 90 KB line 5,000 times.
    assert!(run.stderr.len() < 8_000, "{} bytes", run.stderr.len());
}

#[test]
fn yaml_nested_thousands_of_levels_deep_is_refused_at_its_line() {
    let deep = "- ".repeat(5000);
    let project = course(
        COURSE,
        &format!("---\ntitle: L\norder:\n  {deep}x\n---\nText.\n"),
    );
    project.write("c/01-m/02-fine.md", "# Fine\n");
    let run = fails(
        &project,
        1,
        &["error: the YAML is nested more than 32 levels deep here\n  --> c/01-m/01-l.md:4:65\n"],
    );
    assert!(run.stderr.len() < 2_000, "{} bytes", run.stderr.len());
}

#[test]
fn a_quiz_of_four_thousand_questions_builds() {
    let questions: String = (0..4000)
        .map(|i| format!("  - type: single\n    prompt: Question {i}\n    answer: Right {i}\n    distractors: [Wrong {i}, \"Rs 1,800\"]\n"))
        .collect();
    let project = course(
        COURSE,
        &format!("# L\n\n```quiz\nid: big\nquestions:\n{questions}```\n"),
    );
    let run = project.run(&["build", "c", "--out", "site"]);
    run.assert_code(0);
    let page = project.read("site/c/m/l/index.html");
    assert!(page.contains("4000 questions"), "quiz meta missing");
    assert_eq!(page.matches("<fieldset class=\"question\"").count(), 4000);
}

#[test]
fn html_that_a_browser_reads_differently_from_its_pieces_is_refused() {
    let refresh = "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">";
    for (what, body) in [
        (
            "a comment closed by --!>",
            format!("<!-- note --!>{refresh} -->\n"),
        ),
        (
            "a text-only element",
            format!("<textarea><b title=\"</textarea>{refresh}\"></b></textarea>\n"),
        ),
        (
            "quotes left open across two pieces",
            format!("<div title=\"\n\n<i title='\">{refresh}'>x</i>\n"),
        ),
    ] {
        let project = course(COURSE, &format!("# L\n\n{body}"));
        let run = project.run(&["build", "c", "--out", "site"]);
        assert_eq!(run.code, Some(1), "{what}: {}", run.stderr);
        assert!(!project.path("site").exists(), "{what}");
    }
}

#[test]
fn course_files_that_would_act_by_themselves_are_refused() {
    let project = course(
        COURSE,
        "# L\n\n![A diagram](../assets/diagram.svg)\n\n![Plain](../assets/plain.svg)\n",
    );
    project.write(
        "c/assets/diagram.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>fetch('//evil.example')</script></svg>",
    );
    // Styles and drawing attributes, as drawing programs write them, are fine.
    project.write(
        "c/assets/plain.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><style>.a{fill:red}</style><rect class=\"a\" style=\"stroke:blue\" width=\"5\" height=\"5\"/></svg>",
    );
    project.write("c/assets/helper.js", "fetch('//evil.example')");
    let run = fails(
        &project,
        2,
        &[
            "error: this SVG drawing would act by itself when opened: `<script>` runs or embeds something\n  --> c/assets/diagram.svg",
            "error: a `.js` file among a course's files would run as a page of the site when opened",
        ],
    );
    assert!(!run.stderr.contains("plain.svg"), "{}", run.stderr);
}

#[test]
fn order_and_match_questions_that_would_make_pages_grow_with_their_square_are_refused() {
    let items: Vec<String> = (0..51).map(|i| format!("Item {i}")).collect();
    let pairs: String = (0..51)
        .map(|i| format!("      - [Left {i}, Right {i}]\n"))
        .collect();
    let project = course(
        COURSE,
        &format!(
            "# L\n\n```quiz\nid: q\nquestions:\n  - type: order\n    prompt: Order.\n    items: [{}]\n  - type: match\n    prompt: Match.\n    pairs:\n{pairs}```\n",
            items.join(", ")
        ),
    );
    fails(
        &project,
        2,
        &[
            "error: an `order` question has at most 50 items, this one has 51",
            "error: a `match` question has at most 50 pairs, this one has 51",
        ],
    );
}
