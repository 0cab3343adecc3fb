//! Building: what a good course becomes, byte-identical rebuilds, and output that is replaced
//! only by a successful build of Sabaq's own.

use std::fs;

use crate::harness::{Project, workspace_dir};

#[test]
fn good_course_builds_every_page() {
    let project = Project::with_fixture("good-course");
    let run = project.run(&["build", "good-course", "--out", "site"]);
    run.assert_code(0);
    run.assert_stderr_has("built 1 course (13 pages, 54 files) into site");
    // The search index's shards are named by the words of the course; search.rs's tests and the
    // browser's search test hold what is in them.
    let (shards, files): (Vec<String>, Vec<String>) = project
        .tree("site")
        .into_keys()
        .partition(|path| path.starts_with("good/search/") && path.ends_with(".json"));
    assert!(shards.contains(&"good/search/index.json".to_string()));
    assert!(
        shards.contains(&"good/search/62.json".to_string()),
        "the `b` words"
    );
    assert!(shards.contains(&"good/search/sections-0.json".to_string()));
    assert_eq!(shards.len(), 23);
    assert_eq!(
        files,
        [
            ".sabaq-site",
            "404.html",
            "assets/icon.svg",
            "assets/sabaq-assess-on-view.js",
            "assets/sabaq-assess.js",
            "assets/sabaq-assess_bg.wasm",
            "assets/sabaq-offline.js",
            "assets/sabaq-progress.js",
            "assets/sabaq-progress_bg.wasm",
            "assets/sabaq-qr-on-pass.js",
            "assets/sabaq-qr.js",
            "assets/sabaq-qr_bg.wasm",
            "assets/sabaq-quiz-on-view.js",
            "assets/sabaq-quiz.js",
            "assets/sabaq-quiz_bg.wasm",
            "assets/sabaq-search.js",
            "assets/sabaq.css",
            "good/assets/chart.svg",
            "good/basics/index.html",
            "good/basics/tables/index.html",
            "good/basics/welcome/index.html",
            "good/index.html",
            "good/money/counting/index.html",
            "good/money/drawn/index.html",
            "good/money/index.html",
            "good/search/index.html",
            "index.html",
            "manifest.webmanifest",
            "offline/index.html",
            "progress/index.html",
            "sitemap.xml",
            "sw.js",
        ]
    );
}

#[test]
fn lesson_page_has_callouts_anchors_highlighting_and_navigation() {
    let project = Project::built("good-course");
    let welcome = project.read("site/good/basics/welcome/index.html");
    for kind in ["note", "tip", "warning", "activity"] {
        assert!(
            welcome.contains(&format!("class=\"callout callout-{kind}\"")),
            "{kind}"
        );
    }
    assert!(welcome.contains("<span class=\"callout-label\">Activity</span>: Try it"));
    assert!(
        welcome
            .contains("<a href=\"../../money/counting/index.html#counting-coins\">about money</a>")
    );
    assert!(welcome.contains(
        "<img src=\"../../assets/chart.svg\" alt=\"A bar chart\" width=\"10\" height=\"10\" decoding=\"async\">"
    ));
    assert!(welcome.contains("class=\"footnote-definition\""));
    assert!(welcome.contains(
        "<a class=\"prev\" rel=\"prev\" href=\"../index.html\"><span>Previous</span> The Basics</a>"
    ));
    assert!(welcome.contains("<a class=\"next\" rel=\"next\" href=\"../tables/index.html\"><span>Next</span> Tables and code</a>"));

    let tables = project.read("site/good/basics/tables/index.html");
    assert!(tables.contains("<h1>Tables and code</h1>"));
    assert_eq!(
        tables.matches("Tables and code</h1>").count(),
        1,
        "the title heading shows once"
    );
    assert!(tables.contains("class=\"table-wrap\""));
    assert!(tables.contains("<del>crossed out</del>"));
    assert!(tables.contains("type=\"checkbox\""));
    assert!(tables.contains("<code class=\"language-rust\">"));
    assert!(tables.contains("hl-"), "code is highlighted with classes");
    assert_eq!(
        tables.matches("<script").count(),
        1,
        "no JavaScript for highlighting: only the offline reader's"
    );
    assert!(tables.contains("<script defer src=\"../../../assets/sabaq-offline.js\"></script>"));
    // The last lesson of a module leads to the next module.
    assert!(tables.contains("rel=\"next\" href=\"../../money/index.html\""));

    let counting = project.read("site/good/money/counting/index.html");
    assert!(counting.contains("<h2 id=\"counting-coins\">Counting coins</h2>"));
}

#[test]
fn course_and_module_pages_show_outlines_outcomes_and_credentials() {
    let project = Project::built("good-course");
    let course = project.read("site/good/index.html");
    assert!(course.contains("A course that uses every feature of the format."));
    assert!(course.contains("<a href=\"basics/index.html\">The Basics</a>"));
    assert!(course.contains("<li>Follow a link</li>"));
    assert!(course.contains("Certificate in Good Things"));
    assert!(course.contains("Test Institute"));
    let module = project.read("site/good/basics/index.html");
    assert!(module.contains("This module covers the basics."));
    assert_eq!(module.matches("The Basics</h1>").count(), 1);
    assert!(module.contains("<li>Read a lesson</li>"));
    assert!(module.contains("12 min"));
    let home = project.read("site/index.html");
    assert!(home.contains("<a href=\"good/index.html\">Good Course</a>"));
    let sitemap = project.read("site/sitemap.xml");
    assert!(sitemap.contains("<loc>good/money/counting/</loc>"));
}

#[test]
fn quiz_form_reads_without_javascript_and_holds_no_typed_answers() {
    let project = Project::built("good-course");
    let page = project.read("site/good/money/counting/index.html");
    assert!(page.contains("data-quiz=\"every-type\""));
    assert_eq!(page.matches("class=\"question\"").count(), 8);
    assert!(page.contains("What is a budget?"));
    assert!(page.contains("Answering this quiz needs JavaScript"));
    // Typed answers (text, blank), feedback and explanations are in no file of the site.
    for (path, bytes) in project.tree("site") {
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "liabilityword",
            "savingsword",
            "A loan is money you owe",
            "plans money before",
        ] {
            assert!(!text.contains(secret), "{secret} found in {path}");
        }
        // The number answer, 600, is in no page (the stylesheet has `font-weight: 600`).
        if path.ends_with(".html") || path.ends_with(".xml") {
            assert!(
                !text.contains("600"),
                "the number answer 600 found in {path}"
            );
        }
    }
}

#[test]
fn draft_lessons_are_left_out() {
    let project = Project::built("good-course");
    for (path, bytes) in project.tree("site") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Secret Unfinished Lesson"),
            "{path}"
        );
    }
}

#[test]
fn same_input_builds_byte_identical_sites() {
    let project = Project::with_fixture("good-course");
    project
        .run(&["build", "good-course", "--out", "one"])
        .assert_code(0);
    project
        .run(&["build", "good-course", "--out", "two"])
        .assert_code(0);
    assert_eq!(project.tree("one"), project.tree("two"));
}

#[test]
fn the_same_course_in_two_folders_builds_byte_identical_sites() {
    // Separate processes and folders: no absolute path, hash order or thread timing may show.
    let one = Project::built("good-course");
    let two = Project::built("good-course");
    let (one, two) = (one.tree("site"), two.tree("site"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "{path} differs between the two builds");
    }
}

#[test]
fn lessons_and_modules_are_ordered_by_number_not_by_name() {
    // `10-` sorts before `2-` by name; by number it comes after.
    let project = Project::built("numbered-order");
    let in_order = |page: &str, titles: &[&str]| {
        let html = project.read(page);
        let at: Vec<usize> = titles
            .iter()
            .map(|t| html.find(t).unwrap_or_else(|| panic!("{t} not on {page}")))
            .collect();
        assert!(at.is_sorted(), "{page} lists {titles:?} out of order");
    };
    in_order(
        "site/numbered/index.html",
        &[">Basics</a>", ">Middle</a>", ">End</a>"],
    );
    in_order(
        "site/numbered/basics/index.html",
        &[
            ">First lesson</a>",
            ">Second lesson</a>",
            ">Tenth lesson</a>",
        ],
    );
    let second = project.read("site/numbered/basics/second/index.html");
    assert!(second.contains("rel=\"next\" href=\"../tenth/index.html\""));
    let tenth = project.read("site/numbered/basics/tenth/index.html");
    assert!(tenth.contains("rel=\"next\" href=\"../../middle/index.html\""));
    let middle = project.read("site/numbered/middle/only/index.html");
    assert!(middle.contains("rel=\"next\" href=\"../../end/index.html\""));
}

#[test]
fn failed_build_leaves_the_previous_site_untouched() {
    let project = Project::built("good-course");
    let before = project.tree("site");
    project.write(
        "good-course/01-basics/02-tables.md",
        "# Tables\n\n[broken](nowhere.md)\n",
    );
    project
        .run(&["build", "good-course", "--out", "site"])
        .assert_code(1);
    assert_eq!(project.tree("site"), before);
    let leftovers: Vec<String> = fs::read_dir(project.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".sabaq"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn rebuild_replaces_the_previous_site() {
    let project = Project::built("good-course");
    project.write(
        "good-course/01-basics/02-tables.md",
        "# Renamed lesson\n\nNew text.\n",
    );
    project
        .run(&["build", "good-course", "--out", "site"])
        .assert_code(0);
    assert!(
        project
            .read("site/good/basics/tables/index.html")
            .contains("New text.")
    );
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_make() {
    let project = Project::with_fixture("good-course");
    project.write("precious/thesis.txt", "years of work");
    let run = project.run(&["build", "good-course", "--out", "precious"]);
    run.assert_code(2);
    run.assert_stderr_has("refusing to replace");
    assert_eq!(project.tree("precious").len(), 1);
    assert_eq!(project.read("precious/thesis.txt"), "years of work");
    let leftovers: Vec<String> = fs::read_dir(project.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".sabaq"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn build_refuses_to_write_inside_the_courses() {
    let project = Project::with_fixture("good-course");
    let run = project.run(&["build", "good-course", "--out", "good-course/site"]);
    run.assert_code(2);
    run.assert_stderr_has("is inside the courses");
    assert!(!project.path("good-course/site").exists());
}

#[test]
fn check_passes_a_good_course_and_writes_nothing() {
    let project = Project::with_fixture("good-course");
    let run = project.run(&["check", "good-course"]);
    run.assert_code(0);
    run.assert_stderr_has("checked 1 course (13 pages): no errors");
    assert_eq!(
        fs::read_dir(project.root()).unwrap().count(),
        1,
        "check wrote something"
    );
}

#[test]
fn draft_link_is_an_error_that_says_so() {
    let project = Project::with_fixture("good-course");
    project.write(
        "good-course/01-basics/02-tables.md",
        "# Tables\n\nSee [the draft](03-unfinished.md).\n",
    );
    project
        .run(&["check", "good-course"])
        .assert_code(1)
        .assert_stderr_has("error: link to a draft lesson: `03-unfinished.md` has `draft: true`, so it is not in the site\n  --> good-course/01-basics/02-tables.md:3:5");
}

#[test]
fn sample_courses_pass_check() {
    let project = Project::new();
    let courses = workspace_dir().join("courses");
    project
        .run(&["check", courses.to_str().unwrap()])
        .assert_code(0);
}

#[test]
fn a_translation_built_alone_warns_that_it_cannot_link_its_original() {
    let project = Project::new();
    let urdu = workspace_dir().join("courses/money-basics-ur");
    project
        .run(&["check", urdu.to_str().unwrap()])
        .assert_code(0)
        .assert_stderr_has("warning: `translation_of` names `money-basics`, which is not in this build, so the versions are not linked");
}

#[test]
fn versions_of_a_course_link_to_each_other() {
    let project = Project::new();
    let courses = workspace_dir().join("courses");
    project
        .run(&["build", courses.to_str().unwrap(), "--out", "site"])
        .assert_code(0);
    let english = project.read("site/money-basics/index.html");
    assert!(english.contains("href=\"../money-basics-ur/index.html\" lang=\"ur\""));
    let urdu = project.read("site/money-basics-ur/index.html");
    assert!(urdu.contains("<html lang=\"ur\" dir=\"rtl\">"));
    assert!(urdu.contains("href=\"../money-basics/index.html\" lang=\"en\""));
}
