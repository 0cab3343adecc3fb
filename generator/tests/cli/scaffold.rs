//! `sabaq new`: a new course builds as it is; an existing folder is never overwritten.

use crate::harness::Project;

#[test]
fn new_course_passes_check_and_builds() {
    let project = Project::new();
    project.run(&["new", "my-course"]).assert_code(0);
    project.run(&["check", "my-course"]).assert_code(0);
    project
        .run(&["build", "my-course", "--out", "site"])
        .assert_code(0);
    assert!(project.path("site/my-course/index.html").is_file());
    let course = project.read("site/my-course/index.html");
    assert!(course.contains("<h1>My course</h1>"));
    let quiz = project.read("site/my-course/getting-started/check-your-understanding/index.html");
    assert!(quiz.contains("data-quiz=\"getting-started-check\""));
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let project = Project::new();
    project.write("taken/notes.txt", "mine");
    let run = project.run(&["new", "taken"]);
    run.assert_code(2);
    run.assert_stderr_has("already exists and is not empty");
    assert_eq!(project.tree("taken").len(), 1);
    assert_eq!(project.read("taken/notes.txt"), "mine");
}
