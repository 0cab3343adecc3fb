//! `sabaq import`: GIFT files become lessons whose quiz blocks match the expected course format
//! byte for byte, build, and grade as the source meant; what cannot be carried over is reported
//! at its line; a file that cannot be converted writes nothing.

use std::path::Path;

use sabaq::quiz;
use sabaq::yaml::Snippet;
use sabaq_quiz::key::{Response, accepted_forms};
use sabaq_quiz::model::{Question, QuestionKind, Quiz, display_order};
use sabaq_quiz::normalize::parse_number;

use crate::harness::{Project, Run, fixtures_dir};

/// A project with the GIFT fixtures under `gift/` and an empty course to import into.
fn project() -> Project {
    let project = Project::new();
    let fixture = fixtures_dir().join("import/gift/every-construct.gift");
    project.write(
        "gift/every-construct.gift",
        &std::fs::read_to_string(fixture).unwrap(),
    );
    project.write(
        "course/course.yaml",
        "id: imported\ntitle: Imported\nlanguage: en\nsummary: Questions from Moodle.\n",
    );
    project.write("course/01-bank/module.yaml", "title: Question bank\n");
    project
}

/// Every quiz block of a lesson, parsed by the build's own parser.
fn quizzes(path: &Path, lesson: &str) -> Vec<Quiz> {
    let mut quizzes = Vec::new();
    let mut rest = lesson;
    let mut line = 0;
    while let Some(start) = rest.find("```quiz\n") {
        let body_start = start + "```quiz\n".len();
        let end = body_start + rest[body_start..].find("```\n").expect("a closed block");
        let first_line = line + rest[..body_start].matches('\n').count();
        let snippet = Snippet {
            path,
            file_text: lesson,
            text: &rest[body_start..end],
            first_line,
            indent: 0,
        };
        quizzes.push(quiz::parse(&snippet).expect("the block checks").quiz);
        line = first_line + rest[body_start..end].matches('\n').count();
        rest = &rest[end..];
    }
    quizzes
}

/// stderr holds a diagnostic at `file:line` that says `message`.
#[track_caller]
fn assert_reported(run: &Run, file: &str, line: usize, message: &str) {
    let at = format!("--> {file}:{line}:");
    let found = run
        .stderr
        .split("\n\n")
        .any(|d| d.contains(&at) && d.contains(message));
    assert!(
        found,
        "nothing says `{message}` at {file}:{line}:\n{}",
        run.stderr
    );
}

/// What a learner does, by the options' texts (not their shuffled places).
#[derive(Clone, Copy)]
enum Pick<'a> {
    Option(&'a str),
    Options(&'a [&'a str]),
    Bool(bool),
    Typed(&'a str),
    Gaps(&'a [&'a str]),
    Pairs(&'a [&'a str]),
}

/// Whether the quiz's key accepts `pick` for question `index`, as the browser would check it.
fn accepts(quiz: &Quiz, index: usize, pick: Pick) -> bool {
    let question: &Question = &quiz.questions[index];
    let place = |options: &[&String], text: &str| {
        let order = display_order(&quiz.id, index, options);
        let wanted = options.iter().position(|o| o.as_str() == text).expect(text);
        order.iter().position(|&i| i == wanted).unwrap()
    };
    let response = match (&question.kind, pick) {
        (
            QuestionKind::Single {
                answer,
                distractors,
                ..
            },
            Pick::Option(text),
        ) => {
            let options: Vec<&String> = std::iter::once(answer).chain(distractors).collect();
            Response::Choice(place(&options, text))
        }
        (
            QuestionKind::Multiple {
                answers,
                distractors,
                ..
            },
            Pick::Options(texts),
        ) => {
            let options: Vec<&String> = answers.iter().chain(distractors).collect();
            Response::Choices(texts.iter().map(|t| place(&options, t)).collect())
        }
        (QuestionKind::TrueFalse { .. }, Pick::Bool(b)) => Response::Bool(b),
        (QuestionKind::Text { .. }, Pick::Typed(text)) => Response::Text(text.into()),
        (QuestionKind::Number { .. }, Pick::Typed(text)) => {
            Response::Number(parse_number(text).expect("a number"))
        }
        (QuestionKind::Blank { .. }, Pick::Gaps(gaps)) => {
            Response::Blanks(gaps.iter().map(|g| g.to_string()).collect())
        }
        (QuestionKind::Match { pairs }, Pick::Pairs(rights)) => {
            let options: Vec<&String> = pairs.iter().map(|(_, r)| r).collect();
            Response::Match(rights.iter().map(|r| place(&options, r)).collect())
        }
        (kind, _) => panic!("question {index} is a {}", kind.type_name()),
    };
    let forms = accepted_forms(&quiz.id, index, &question.kind).unwrap();
    let given = response.canonical(question.kind.precision());
    given.len() == forms.len() && given.iter().zip(&forms).all(|(g, f)| f.contains(g))
}

#[test]
fn gift_becomes_the_expected_lesson_which_builds_and_grades_as_moodle_would() {
    let project = project();
    let run = project.run(&[
        "import",
        "gift",
        "gift/every-construct.gift",
        "--out",
        "course/01-bank",
    ]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("wrote course/01-bank/every-construct.md (16 questions in 4 quiz blocks)"),
        "{}",
        run.stdout
    );
    let lesson = project.read("course/01-bank/every-construct.md");
    let expected =
        std::fs::read_to_string(fixtures_dir().join("import/gift/every-construct.expected.md"))
            .unwrap();
    assert_eq!(
        lesson, expected,
        "the lesson differs from every-construct.expected.md"
    );

    // What cannot be carried over is reported at its line.
    for (line, message) in [
        (15, "partial credit for each option chosen"),
        (22, "feedback for the typed answer `liability`"),
        (32, "`1950:2` gives 50% credit in Moodle"),
        (54, "a description (text with no answers) is kept as text"),
        (60, "an essay question cannot be graded offline"),
        (64, "`Karachi` gives 25% partial credit"),
        (
            68,
            "removed from the imported text: HTML attribute `style` on `<p>`",
        ),
    ] {
        assert_reported(&run, "gift/every-construct.gift", line, message);
    }

    // The course builds with it.
    project
        .run(&["build", "course", "--out", "site"])
        .assert_code(0);

    // Each question grades as the GIFT file meant.
    let quizzes = quizzes(Path::new("every-construct.md"), &lesson);
    let ids: Vec<&str> = quizzes.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "money-basics",
            "keeping-records",
            "keeping-records-2",
            "keeping-records-3"
        ]
    );
    let [money, records, records2, records3] = &quizzes[..] else {
        unreachable!()
    };
    let checks: &[(&Quiz, usize, Pick, bool)] = &[
        (
            money,
            0,
            Pick::Option("A plan for the money coming in and going out"),
            true,
        ),
        (money, 0, Pick::Option("A bank account"), false),
        (money, 1, Pick::Options(&["Rent", "Electricity bill"]), true),
        (money, 1, Pick::Options(&["Rent"]), false),
        (money, 2, Pick::Bool(false), true),
        (money, 2, Pick::Bool(true), false),
        (money, 3, Pick::Typed(" A  Debt "), true),
        (money, 3, Pick::Typed("Liability"), true),
        (money, 3, Pick::Typed("loan"), false),
        (money, 4, Pick::Typed("600"), true),
        (money, 4, Pick::Typed("601"), false),
        (money, 5, Pick::Typed("33.7"), true),
        (money, 5, Pick::Typed("33.9"), false),
        (money, 6, Pick::Typed("5"), true),
        (money, 6, Pick::Typed("5.5"), false),
        (money, 7, Pick::Typed("1951"), true),
        (money, 7, Pick::Typed("1950"), false),
        (
            money,
            8,
            Pick::Pairs(&["Money coming in", "Money going out", "Money kept for later"]),
            true,
        ),
        (
            money,
            8,
            Pick::Pairs(&["Money going out", "Money coming in", "Money kept for later"]),
            false,
        ),
        (records, 0, Pick::Gaps(&["Saving"]), true),
        (records, 0, Pick::Gaps(&["spending"]), false),
        (records, 1, Pick::Option("a record"), true),
        (records, 1, Pick::Option("a diary"), false),
        (records, 2, Pick::Option("// (two slashes)"), true),
        (records2, 0, Pick::Bool(true), true),
        (records2, 1, Pick::Option("Cash"), true),
        (records3, 0, Pick::Option("Lahore"), true),
        (records3, 0, Pick::Option("Karachi"), false),
    ];
    for (quiz, index, pick, right) in checks {
        assert_eq!(
            accepts(quiz, *index, *pick),
            *right,
            "{} question {index}",
            quiz.id
        );
    }

    // Never written over.
    let again = project.run(&[
        "import",
        "gift",
        "gift/every-construct.gift",
        "--out",
        "course/01-bank",
    ]);
    again.assert_code(2);
    assert!(again.stderr.contains("exists already"));
    assert_eq!(project.read("course/01-bank/every-construct.md"), expected);
}

#[test]
fn gift_that_cannot_be_converted_is_reported_at_its_line_and_nothing_is_written() {
    let project = project();
    project.write(
        "gift/broken.gift",
        "// Questions Sabaq cannot convert.\n\
         ::Open::What is a budget? {=A plan ~A bank\n\n\
         ::Two rights::Pick one. {=A =B ~C}\n\n\
         ::Two numbers::Name a year. {#=1951 =1952}\n\n\
         ::Not a number::How much? {#lots}\n\n\
         ::Good::Still fine? {T}\n",
    );
    let run = project.run(&[
        "import",
        "gift",
        "gift/broken.gift",
        "--out",
        "course/01-bank",
    ]);
    run.assert_code(1);
    for (line, message) in [
        (2, "the answer block `{` is not closed"),
        (4, "several `=` answers among `~` ones"),
        (6, "several full-credit numbers"),
        (8, "`lots` is not a number"),
    ] {
        assert_reported(&run, "gift/broken.gift", line, message);
    }
    assert!(run.stderr.contains("nothing was written"));
    run.assert_not_written("course/01-bank/broken.md");
}

#[test]
fn an_mdbook_with_quizzes_becomes_a_course_that_builds_and_grades_as_the_book_meant() {
    let project = Project::new();
    crate::harness::copy_tree(
        &fixtures_dir().join("import/mdbook/rust-basics"),
        &project.path("book"),
    );
    let run = project.run(&["import", "mdbook", "book", "--out", "course"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("wrote course: 4 modules, 7 lessons, 7 quiz questions"),
        "{}",
        run.stdout
    );
    let files: Vec<String> = project.tree("course").into_keys().collect();
    assert_eq!(
        files,
        [
            "01-introduction/01-introduction.md",
            "01-introduction/module.yaml",
            "02-getting-started/01-getting-started.md",
            "02-getting-started/module.yaml",
            "03-basics/01-basics.md",
            "03-basics/02-variables.md",
            "03-basics/03-shadowing.md",
            "03-basics/04-ownership.md",
            "03-basics/module.yaml",
            "04-glossary/01-glossary.md",
            "04-glossary/module.yaml",
            "assets/img/logo.svg",
            "course.yaml",
        ]
    );
    assert_eq!(
        project.read("course/course.yaml"),
        "id: rust-basics-for-teachers\ntitle: \"Rust Basics for Teachers\"\nlanguage: \"en\"\nsummary: \"Variables, ownership and a first program, with quizzes.\"\n"
    );
    // Links follow the chapters they point at (inline and reference links), images are copied
    // into the course's assets, includes are inlined.
    let basics = project.read("course/03-basics/01-basics.md");
    assert!(basics.contains("[variables](02-variables.md)"), "{basics}");
    assert!(
        basics.contains("[ownership](04-ownership.md#moves)"),
        "{basics}"
    );
    assert!(basics.contains("[shadow]: 03-shadowing.md"), "{basics}");
    let start = project.read("course/02-getting-started/01-getting-started.md");
    assert!(
        start.contains("![The Rust logo](../assets/img/logo.svg)"),
        "{start}"
    );
    assert!(start.contains("println!(\"Hello, class!\");"), "{start}");
    assert!(!start.contains("{{#"), "{start}");
    // A chapter without a heading gets its title from SUMMARY.md.
    assert!(
        project
            .read("course/03-basics/03-shadowing.md")
            .starts_with("---\ntitle: \"Shadowing\"\n---\n")
    );

    // What has no counterpart is reported where it stands.
    for (file, line, message) in [
        (
            "book/src/SUMMARY.md",
            10,
            "`Generics` is a draft chapter with no file",
        ),
        ("book/src/SUMMARY.md", 12, "part title `Reference`"),
        (
            "book/src/basics/shadowing.md",
            3,
            "`{{#playground ../../examples/hello.rs}}` has no counterpart",
        ),
        ("book/quizzes/ownership.toml", 34, "promptExplanation"),
    ] {
        assert_reported(&run, file, line, message);
    }

    // The course builds, and each question grades as mdbook-quiz would.
    project
        .run(&["build", "course", "--out", "site"])
        .assert_code(0);
    let start = quizzes(Path::new("start.md"), &start);
    let variables = quizzes(
        Path::new("variables.md"),
        &project.read("course/03-basics/02-variables.md"),
    );
    let ownership = quizzes(
        Path::new("ownership.md"),
        &project.read("course/03-basics/04-ownership.md"),
    );
    let checks: &[(&Quiz, usize, Pick, bool)] = &[
        (&start[0], 0, Pick::Typed("cargo init"), true),
        (&start[0], 0, Pick::Typed("cargo run"), false),
        (&start[0], 1, Pick::Option("Cargo.toml"), true),
        (
            &variables[0],
            0,
            Pick::Options(&["`let mut x = 5;`", "`let mut y: i32 = 5;`"]),
            true,
        ),
        (
            &variables[0],
            0,
            Pick::Options(&["`let mut x = 5;`"]),
            false,
        ),
        (&variables[0], 1, Pick::Typed("mut"), true),
        (&ownership[0], 0, Pick::Option("It does not compile"), true),
        (
            &ownership[0],
            0,
            Pick::Option("It compiles and runs"),
            false,
        ),
        (
            &ownership[0],
            1,
            Pick::Option("It compiles and prints `42`"),
            true,
        ),
        (&ownership[0], 2, Pick::Option("`t`"), true),
    ];
    for (quiz, index, pick, right) in checks {
        assert_eq!(
            accepts(quiz, *index, *pick),
            *right,
            "{} question {index}",
            quiz.id
        );
    }
    match &ownership[0].questions[0].explanation {
        Some(e) => assert!(e.contains("line 4") && e.contains("moved")),
        None => panic!("the tracing question lost its explanation"),
    }

    // Never into an existing folder.
    let again = project.run(&["import", "mdbook", "book", "--out", "course"]);
    again.assert_code(2);
    assert!(again.stderr.contains("exists already"));
}

#[test]
fn an_mdbook_quiz_that_does_not_convert_stops_the_import_with_its_line() {
    let project = Project::new();
    crate::harness::copy_tree(
        &fixtures_dir().join("import/mdbook/rust-basics"),
        &project.path("book"),
    );
    project.write(
        "book/quizzes/start.toml",
        "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"Pick\"\nprompt.distractors = [\"A\"]\nanswer.answer = \"A\"\n\n[[questions]]\ntype = \"Essay\"\n",
    );
    let run = project.run(&["import", "mdbook", "book", "--out", "course"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("--> book/quizzes/start.toml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not an mdbook-quiz quiz"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"));
    run.assert_not_written("course");

    // A quiz that reads but does not check: an answer that is also a distractor.
    project.write(
        "book/quizzes/start.toml",
        "[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"Pick\"\nprompt.distractors = [\"A\"]\nanswer.answer = \"A\"\n",
    );
    let run = project.run(&["import", "mdbook", "book", "--out", "course"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("--> book/quizzes/start.toml:1:1")
            && run.stderr.contains("the converted question does not check"),
        "{}",
        run.stderr
    );
    run.assert_not_written("course");
}

#[test]
fn gift_edge_cases_are_converted_faithfully_or_reported() {
    let project = project();
    project.write(
        "gift/edges.gift",
        "::Pairs::Match the case styles.{=Python -> snake_case =Java -> camelCase}\n\n\
         ::Star::Which word? {=colo*r}\n\n\
         ::Literal star::Which product? {=2\\*3}\n\n\
         ::Image::[html]<img src=\"@@PLUGINFILE@@/map.png\"> Where is Lahore?{=Punjab ~Sindh}\n",
    );
    let run = project.run(&[
        "import",
        "gift",
        "gift/edges.gift",
        "--out",
        "course/01-bank",
    ]);
    run.assert_code(0);
    let lesson = project.read("course/01-bank/edges.md");
    // A pair's right side is plain text in a list: no Markdown escapes.
    assert!(lesson.contains("[\"Python\", \"snake_case\"]"), "{lesson}");
    assert!(lesson.contains("- \"2*3\""), "{lesson}");
    assert_reported(
        &run,
        "gift/edges.gift",
        3,
        "Moodle reads `*` as \"anything\"",
    );
    assert_reported(&run, "gift/edges.gift", 7, "@@PLUGINFILE@@");

    // Two files that would become one lesson, and a gap answer with brackets.
    project.write("other/edges.gift", "Two plus two? {=4}\n");
    let twice = project.run(&[
        "import",
        "gift",
        "gift/edges.gift",
        "other/edges.gift",
        "--out",
        "course/02-more",
    ]);
    twice.assert_code(2);
    assert!(
        twice.stderr.contains("would both become"),
        "{}",
        twice.stderr
    );
    twice.assert_not_written("course/02-more/edges.md");
    project.write("gift/gap.gift", "The list {=[1,2]} is short.\n");
    let gap = project.run(&["import", "gift", "gift/gap.gift", "--out", "course/02-more"]);
    gap.assert_code(1);
    assert_reported(&gap, "gift/gap.gift", 1, "cannot be a gap");
}

#[test]
fn an_mdbook_link_outside_the_book_or_to_nothing_is_reported_and_never_followed() {
    let project = Project::new();
    crate::harness::copy_tree(
        &fixtures_dir().join("import/mdbook/rust-basics"),
        &project.path("book"),
    );
    project.write("secret.txt", "not part of the book");
    project.write(
        "book/src/glossary.md",
        "# Glossary\n\nSee [the secret](../../secret.txt) and ![a missing map](img/map.svg).\n",
    );
    let run = project.run(&["import", "mdbook", "book", "--out", "course"]);
    run.assert_code(0);
    assert_reported(
        &run,
        "book/src/glossary.md",
        3,
        "outside the book's source folder",
    );
    assert_reported(
        &run,
        "book/src/glossary.md",
        3,
        "`img/map.svg` does not exist in the book",
    );
    let files: Vec<String> = project.tree("course").into_keys().collect();
    assert!(!files.iter().any(|f| f.contains("secret")), "{files:?}");
    assert!(
        project
            .read("course/04-glossary/01-glossary.md")
            .contains("](../../secret.txt)")
    );
}
