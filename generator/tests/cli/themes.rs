//! Themes: a course overrides one template and adds CSS; other courses keep the default.

use crate::harness::Project;

#[test]
fn course_template_override_extends_the_default_for_that_course_only() {
    let project = Project::built("themed");
    let fancy = project.read("site/fancy/intro/hello/index.html");
    assert!(fancy.contains("<p class=\"custom-banner\">Pilot course</p>"));
    assert!(
        fancy.contains("<h1>Hello</h1>"),
        "super() keeps the default content"
    );
    assert!(fancy.contains("<link rel=\"stylesheet\" href=\"../../theme.css\">"));
    assert_eq!(
        project.read("site/fancy/theme.css"),
        ".custom-banner{color:red}\n"
    );
    assert!(
        !project
            .read("site/fancy/index.html")
            .contains("custom-banner")
    );
    let plain = project.read("site/plain/intro/hello/index.html");
    assert!(!plain.contains("custom-banner"));
    assert!(!plain.contains("theme.css"));
}

#[test]
fn site_yaml_sets_the_title_and_absolute_sitemap_urls() {
    let project = Project::built("themed");
    assert!(
        project
            .read("site/index.html")
            .contains("<h1>Themed Institute</h1>")
    );
    let sitemap = project.read("site/sitemap.xml");
    assert!(sitemap.contains("<loc>https://courses.example.org/pilot/fancy/intro/hello/</loc>"));
}

#[test]
fn broken_override_template_is_reported_with_its_file() {
    let project = Project::with_fixture("themed");
    project.write(
        "themed/fancy/theme/lesson.html",
        "{% block content %}{{ unclosed {% endblock content %}\n",
    );
    let run = project.run(&["build", "themed", "--out", "site"]);
    run.assert_code(1);
    run.assert_stderr_has("themed/fancy/theme/lesson.html");
    run.assert_stderr_has("template error");
    assert!(!project.path("site").exists());
}
