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

#[test]
fn an_institution_adds_a_language_and_rewords_another_in_theme_i18n() {
    let project = Project::with_fixture("themed");
    project.write(
        "themed/plain/course.yaml",
        "id: plain\ntitle: سادو ڪورس\nlanguage: sd\n",
    );
    // Sindhi, which Sabaq does not ship: a few keys; the rest fall back to English.
    project.write(
        "themed/theme/i18n/sd.yaml",
        "# Sindhi interface strings\nskip_to_content: مواد ڏانهن وڃو\nmy_progress: منهنجي ترقي\nsearch_link: ڳوليو\n",
    );
    // Other words for one key of a built-in language.
    project.write("themed/theme/i18n/en.yaml", "my_progress: My results\n");
    let run = project.run(&["build", "themed", "--out", "site"]);
    run.assert_code(0);
    let sindhi = project.read("site/plain/intro/hello/index.html");
    assert!(sindhi.contains("<html lang=\"sd\" dir=\"rtl\">"));
    assert!(sindhi.contains(">مواد ڏانهن وڃو</a>"));
    assert!(sindhi.contains(">منهنجي ترقي</a>"));
    assert!(sindhi.contains(">ڳوليو</a>"));
    assert!(
        sindhi.contains("<span>Previous</span>"),
        "a key the file lacks is English"
    );
    let english = project.read("site/fancy/intro/hello/index.html");
    assert!(english.contains(">My results</a>"));
    assert!(english.contains(">Skip to content</a>"));
}

#[test]
fn bad_interface_string_files_are_reported_with_file_and_line() {
    let project = Project::with_fixture("themed");
    project.write("themed/theme/i18n/sd.yaml", "next: اڳيون\nnxet: typo\n");
    let run = project.run(&["build", "themed", "--out", "site"]);
    run.assert_code(0);
    run.assert_stderr_has("warning: Sabaq has no string `nxet`");
    run.assert_stderr_has("themed/theme/i18n/sd.yaml:2:1");

    project.write("themed/theme/i18n/sd.yaml", "next: [unclosed\n");
    project.write("themed/theme/i18n/Not A Tag.yaml", "next: x\n");
    let run = project.run(&["build", "themed", "--out", "site2"]);
    run.assert_code(1);
    run.assert_stderr_has("themed/theme/i18n/sd.yaml:");
    run.assert_stderr_has("`not a tag` is not a language tag");
    assert!(!project.path("site2").exists());
}

#[test]
fn interface_strings_with_markup_reach_quiz_pages_as_text() {
    let project = Project::with_fixture("themed");
    // Every quiz string reworded with markup an institution's translator might paste.
    let en = std::fs::read_to_string(
        crate::harness::workspace_dir().join("themes/default/i18n/en.yaml"),
    )
    .unwrap();
    let hostile: String = en
        .lines()
        .filter_map(|line| line.split_once(':').map(|(key, _)| key))
        .filter(|key| key.starts_with("quiz_"))
        .map(|key| {
            format!("{key}: 'X<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">&<textarea>'\n")
        })
        .collect();
    project.write("themed/theme/i18n/en.yaml", &hostile);
    project.write(
        "themed/fancy/01-intro/02-quiz.md",
        "---\ntitle: Quiz\n---\n\n```quiz\nid: q\nquestions:\n  - type: true-false\n    prompt: Yes?\n    answer: true\n  - type: blank\n    prompt: \"A [[gap]].\"\n  - type: order\n    prompt: Order.\n    items: [One, Two]\n```\n",
    );
    let run = project.run(&["build", "themed", "--out", "site"]);
    run.assert_code(0);
    let page = project.read("site/fancy/intro/quiz/index.html");
    assert!(page.contains("X&lt;meta"), "the strings are on the page");
    assert!(!page.contains("<meta http-equiv=\"refresh\""), "{page}");
    assert!(!page.contains("<textarea>"));
}
