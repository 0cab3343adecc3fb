//! Rebuilds into the previous site where a file became a folder, or a folder a file.

use crate::harness::Project;

#[test]
fn a_rebuild_follows_a_file_that_became_a_folder_and_back() {
    let project = Project::with_fixture("good-course");
    let build = || project.run(&["build", "good-course", "--out", "site"]);
    project.write("good-course/assets/data", "a file\n");
    build().assert_code(0);
    assert_eq!(project.read("site/good/assets/data"), "a file\n");

    std::fs::remove_file(project.path("good-course/assets/data")).unwrap();
    project.write("good-course/assets/data/table.csv", "a,b\n");
    build().assert_code(0);
    assert_eq!(project.read("site/good/assets/data/table.csv"), "a,b\n");

    std::fs::remove_dir_all(project.path("good-course/assets/data")).unwrap();
    project.write("good-course/assets/data", "a file again\n");
    build().assert_code(0);
    assert_eq!(project.read("site/good/assets/data"), "a file again\n");
}
