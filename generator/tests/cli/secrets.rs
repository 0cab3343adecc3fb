//! The institution's key never reaches a site: a build reads and copies nothing whose real
//! place (links followed) is outside its course's (or the site's) folder, and refuses any file
//! that holds a key, whatever it is called; `sabaq serve` and `sabaq import mdbook` too.

#![cfg(unix)]

use std::os::unix::fs::symlink;

use crate::harness::{Project, Run, walk};

/// A project with `good-course` and an institution key beside it (outside the course).
fn with_key() -> Project {
    let project = Project::with_fixture("good-course");
    project
        .run(&["keys", "new", "institution.key"])
        .assert_code(0);
    project
}

/// No file below `dir` in the project holds the key's secret.
#[track_caller]
fn assert_secret_absent(project: &Project, dir: &str) {
    let key = project.read("institution.key");
    let master = key
        .lines()
        .find_map(|l| l.strip_prefix("master: "))
        .expect("a master line")
        .trim_matches(['\'', '"']);
    for file in walk(&project.path(dir)) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(master),
            "{} holds the key's secret",
            file.display()
        );
    }
}

fn build(project: &Project) -> Run {
    project.run(&["build", "good-course", "--out", "site"])
}

#[test]
fn an_asset_that_links_to_the_key_file_is_refused_and_the_last_site_stays() {
    let project = with_key();
    build(&project).assert_code(0);
    let before = project.tree("site");
    symlink(
        project.path("institution.key"),
        project.path("good-course/assets/logo.png"),
    )
    .unwrap();
    // And a lesson links to another link to it.
    symlink(
        "../../institution.key",
        project.path("good-course/01-basics/data.txt"),
    )
    .unwrap();
    let lesson = project.read("good-course/01-basics/02-tables.md");
    project.write(
        "good-course/01-basics/02-tables.md",
        &format!("{lesson}\nThe [data](data.txt).\n"),
    );
    let line = lesson.lines().count() + 2;
    let run = build(&project);
    run.assert_code(1);
    let key = project.path("institution.key").canonicalize().unwrap();
    run.assert_stderr_has(&format!(
        "error: `good-course/assets/logo.png` is a link to `{}`, outside the course folder `good-course`; a build never reads or copies anything from outside it\n  --> good-course/assets/logo.png",
        key.display()
    ));
    run.assert_stderr_has(&format!(
        "error: `good-course/01-basics/data.txt` is a link to `{}`, outside the course folder `good-course`; a build never reads or copies anything from outside it\n  --> good-course/01-basics/02-tables.md:{line}:5",
        key.display()
    ));
    run.assert_stderr_has("help: copy the file into the course folder instead of linking to it");
    assert_eq!(
        project.tree("site"),
        before,
        "a failed build writes nothing"
    );
    assert_secret_absent(&project, "site");
}

#[test]
fn a_lesson_link_through_a_linked_folder_is_refused_at_its_line() {
    let project = with_key();
    project.write("elsewhere/notes.txt", "private notes\n");
    symlink(
        project.path("elsewhere"),
        project.path("good-course/01-basics/shared"),
    )
    .unwrap();
    let lesson = project.read("good-course/01-basics/02-tables.md");
    project.write(
        "good-course/01-basics/02-tables.md",
        &format!("{lesson}\nSee [the notes](shared/notes.txt).\n"),
    );
    let line = lesson.lines().count() + 2;
    let run = build(&project);
    run.assert_code(1);
    run.assert_stderr_has(&format!(
        "error: `good-course/01-basics/shared/notes.txt` is outside the course folder `good-course`: `good-course/01-basics/shared` is a link to `{}`; a build never reads or copies anything from outside it\n  --> good-course/01-basics/02-tables.md:{line}:5",
        project.path("elsewhere").canonicalize().unwrap().display()
    ));
    run.assert_not_written("site");
}

#[test]
fn lessons_module_files_and_themes_that_link_out_are_refused() {
    let project = Project::with_fixture("themed");
    project.write("outside/lesson.md", "# Borrowed\n\nText.\n");
    project.write("outside/extra.css", "body{color:red}\n");
    project.write("outside/site.yaml", "title: Elsewhere\n");
    symlink(
        project.path("outside/lesson.md"),
        project.path("themed/plain/01-intro/02-borrowed.md"),
    )
    .unwrap();
    std::fs::remove_file(project.path("themed/fancy/theme/extra.css")).unwrap();
    symlink(
        project.path("outside/extra.css"),
        project.path("themed/fancy/theme/extra.css"),
    )
    .unwrap();
    std::fs::remove_file(project.path("themed/site.yaml")).unwrap();
    symlink(
        project.path("outside/site.yaml"),
        project.path("themed/site.yaml"),
    )
    .unwrap();
    let run = project.run(&["build", "themed", "--out", "site"]);
    run.assert_code(1);
    for (link, folder) in [
        (
            "themed/plain/01-intro/02-borrowed.md",
            "course folder `themed/plain`",
        ),
        (
            "themed/fancy/theme/extra.css",
            "course folder `themed/fancy`",
        ),
        ("themed/site.yaml", "site folder `themed`"),
    ] {
        run.assert_stderr_has(&format!("error: `{link}` is a link to `"));
        run.assert_stderr_has(&format!(", outside the {folder}; a build never reads"));
    }
    run.assert_not_written("site");
}

#[test]
fn a_link_inside_the_course_is_followed_as_before() {
    let project = Project::with_fixture("good-course");
    symlink(
        "chart.svg",
        project.path("good-course/assets/same-chart.svg"),
    )
    .unwrap();
    build(&project).assert_code(0);
    assert_eq!(
        project.read("site/good/assets/same-chart.svg"),
        project.read("good-course/assets/chart.svg")
    );
}

#[test]
fn a_copy_of_the_key_is_refused_whatever_its_name_and_wherever_it_is_read() {
    let project = with_key();
    let key = project.read("institution.key");
    // Renamed into the assets, its comments dropped.
    let bare: String = key
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    project.write("good-course/assets/logo.png", &bare);
    // Pasted into a lesson, and into a theme's stylesheet as a comment.
    let lesson = project.read("good-course/01-basics/02-tables.md");
    project.write(
        "good-course/01-basics/02-tables.md",
        &format!("{lesson}\n```\n{key}```\n"),
    );
    project.write("good-course/theme/extra.css", &format!("/*\n{key}*/\n"));
    let run = build(&project);
    run.assert_code(1);
    for file in [
        "good-course/assets/logo.png",
        "good-course/01-basics/02-tables.md",
        "good-course/theme/extra.css",
    ] {
        run.assert_stderr_has(&format!(
            "error: `{file}` looks like a Sabaq institution key file (it holds a key's `master` or `signing` secret): a build refuses one anywhere in the courses, where it could be published or shared with them\n  --> {file}\n"
        ));
        assert_eq!(
            run.stderr.matches(&format!("--> {file}\n")).count(),
            1,
            "{file} is reported once"
        );
    }
    run.assert_stderr_has("help: move the key file out of the courses");
    run.assert_stderr_has("revoke its epoch (`sabaq keys revoke`)");
    run.assert_not_written("site");
}

#[test]
fn a_key_file_anywhere_in_the_courses_is_refused_even_unused() {
    let project = Project::with_fixture("themed");
    for file in [
        "themed/institution.key",
        "themed/plain/notes/old.key",
        "themed/plain/.hidden.key",
    ] {
        std::fs::create_dir_all(project.path(file).parent().unwrap()).unwrap();
        project.run(&["keys", "new", file]).assert_code(0);
    }
    std::fs::create_dir_all(project.path("themed/plain/.git")).unwrap();
    project
        .run(&["keys", "new", "themed/plain/.git/key"])
        .assert_code(0);
    let run = project.run(&["build", "themed", "--out", "site"]);
    run.assert_code(1);
    for file in [
        "themed/institution.key",
        "themed/plain/notes/old.key",
        "themed/plain/.hidden.key",
    ] {
        run.assert_stderr_has(&format!(
            "error: `{file}` looks like a Sabaq institution key file"
        ));
    }
    assert!(
        !run.stderr.contains(".git"),
        "hidden folders are not searched: {}",
        run.stderr
    );
    project.run(&["check", "themed"]).assert_code(1);
}

#[test]
fn serve_does_not_publish_a_link_to_the_key() {
    let project = with_key();
    symlink(
        project.path("institution.key"),
        project.path("good-course/assets/logo.png"),
    )
    .unwrap();
    let server = crate::serve::start(&project, "good-course");
    let response = crate::serve::get(server.addr, "/good/assets/logo.png");
    assert_eq!(response.status, 404);
    assert!(!response.body.contains("master"), "{}", response.body);
    let home = crate::serve::get(server.addr, "/");
    assert!(home.body.contains("The build failed"), "{}", home.body);
}

#[test]
fn mdbook_import_reads_nothing_from_outside_the_book_and_no_key() {
    let project = with_key();
    crate::harness::copy_tree(
        &crate::harness::fixtures_dir().join("import/mdbook/rust-basics"),
        &project.path("book"),
    );
    let intro = project.read("book/src/intro.md");
    project.write(
        "book/src/intro.md",
        &format!("{intro}\n{{{{#include ../../institution.key}}}}\n\n![logo](img/key.png)\n"),
    );
    symlink(
        project.path("institution.key"),
        project.path("book/src/img/key.png"),
    )
    .unwrap();
    let run = project.run(&["import", "mdbook", "book", "--out", "imported"]);
    run.assert_code(1);
    run.assert_stderr_has(&format!(
        "error: cannot include `../../institution.key`: `institution.key` is outside the book folder `book` (it is `{}`); a build never reads or copies anything from outside it\n  --> book/src/intro.md:",
        project.path("institution.key").canonicalize().unwrap().display()
    ));
    run.assert_stderr_has("error: cannot read it: `book/src/img/key.png` is a link to `");
    run.assert_not_written("imported");
}
