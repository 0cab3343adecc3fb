//! Page weight on the sample courses, as sizes (gzip -9), never as times: every lesson page
//! with the CSS it loads fits in the first round trip of a slow connection (14 KB), all of the
//! default CSS stays under 6 KB, and a course's search index is small per lesson and split into
//! files a phone fetches one at a time (issue 5, budgets.md).

use std::path::Path;

use crate::harness::{Project, gzipped_size, walk, workspace_dir};

const PAGE_BUDGET: usize = 14_000;
const CSS_BUDGET: usize = 6_000;

/// The stylesheets a page links to, as files of the site.
fn stylesheets(page: &Path, html: &str) -> Vec<std::path::PathBuf> {
    html.match_indices("<link rel=\"stylesheet\" href=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            page.parent()
                .unwrap()
                .join(&rest[..rest.find('"').unwrap()])
        })
        .collect()
}

/// The sample courses, built into `site`.
fn built_samples() -> Project {
    let project = Project::new();
    let courses = workspace_dir().join("courses");
    project
        .run(&["build", courses.to_str().unwrap(), "--out", "site"])
        .assert_code(0);
    project
}

#[test]
fn every_sample_page_with_its_css_fits_in_one_round_trip() {
    let project = built_samples();
    let site = project.path("site");
    let css = gzipped_size(&site.join("assets/sabaq.css"));
    assert!(
        css <= CSS_BUDGET,
        "the default CSS is {css} bytes gzipped, over {CSS_BUDGET}"
    );
    let mut checked = 0;
    let mut largest = (0, String::new());
    for page in walk(&site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(&page).unwrap();
        let sheets = stylesheets(&page, &html);
        assert!(!sheets.is_empty(), "{} links no stylesheet", page.display());
        let weight = gzipped_size(&page) + sheets.iter().map(|s| gzipped_size(s)).sum::<usize>();
        let name = page.strip_prefix(&site).unwrap().display().to_string();
        assert!(
            weight <= PAGE_BUDGET,
            "{name}: HTML and CSS are {weight} bytes gzipped, over {PAGE_BUDGET}"
        );
        if weight > largest.0 {
            largest = (weight, name);
        }
        checked += 1;
    }
    assert!(checked > 60, "only {checked} pages were built");
    eprintln!(
        "{checked} pages within {PAGE_BUDGET} B; largest {} B ({}); CSS {css} B",
        largest.0, largest.1
    );
}

/// What one course's search index weighs: (files, gzipped bytes, largest file gzipped and its
/// name).
fn search_index_weight(site: &Path, course: &str) -> (usize, usize, (usize, String)) {
    let sizes: Vec<(usize, String)> = walk(&site.join(course).join("search"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|f| {
            (
                gzipped_size(&f),
                f.file_name().unwrap().to_string_lossy().into(),
            )
        })
        .collect();
    (
        sizes.len(),
        sizes.iter().map(|(size, _)| size).sum(),
        sizes.into_iter().max().unwrap_or_default(),
    )
}

/// Gzipped search index bytes per lesson, at most.
const SEARCH_BYTES_PER_LESSON: usize = 1_500;
/// No search file a phone fetches is bigger than this, gzipped, in any course.
const SEARCH_FILE_BUDGET: usize = 16_000;

#[test]
fn sample_search_indexes_are_small_per_lesson() {
    let project = built_samples();
    for course in ["money-basics", "money-basics-ur", "workplace-english"] {
        let lessons = 16;
        let (files, bytes, (largest, name)) = search_index_weight(&project.path("site"), course);
        eprintln!(
            "{course}: search index {bytes} B gzipped in {files} files ({} B per lesson, largest file {name} {largest} B)",
            bytes / lessons
        );
        assert!(
            bytes / lessons <= SEARCH_BYTES_PER_LESSON,
            "{course}: {} B per lesson",
            bytes / lessons
        );
    }
}

/// A course of 1,000 lessons (the English sample lessons over and over, each with a few words
/// of its own) still splits its index into files a phone can fetch one at a time.
#[test]
fn a_thousand_lesson_course_never_makes_one_big_search_file() {
    let project = Project::new();
    let samples: Vec<String> = ["money-basics", "workplace-english"]
        .iter()
        .flat_map(|course| walk(&workspace_dir().join("courses").join(course)))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_some_and(|n| n != "index.md")
        })
        .map(|p| without_links(&without_quizzes(&std::fs::read_to_string(p).unwrap())))
        .collect();
    project.write(
        "big/course.yaml",
        "id: big\ntitle: A big course\nlanguage: en\n",
    );
    for module in 0..100 {
        project.write(
            &format!("big/{module:03}-module-{module}/index.md"),
            &format!("# Module {module}\n"),
        );
    }
    for lesson in 0..1000 {
        let text = &samples[lesson % samples.len()];
        let module = lesson / 10;
        project.write(
            &format!(
                "big/{module:03}-module-{module}/{:02}-lesson-{lesson}.md",
                lesson % 10
            ),
            &format!(
                "{text}\n\nLesson code word{lesson} and term{}.\n",
                lesson * 7919 % 1000
            ),
        );
    }
    project
        .run(&["build", "big", "--out", "site"])
        .assert_code(0);
    let (files, bytes, (largest, name)) = search_index_weight(&project.path("site"), "big");
    eprintln!(
        "1,000 lessons: search index {bytes} B gzipped in {files} files ({} B per lesson, largest file {name} {largest} B)",
        bytes / 1000
    );
    assert!(
        largest <= SEARCH_FILE_BUDGET,
        "the largest search file is {largest} B gzipped"
    );
    assert!(bytes / 1000 <= SEARCH_BYTES_PER_LESSON);
}

/// Markdown with `[text](target)` as plain `text` (the copies' links would point nowhere).
fn without_links(markdown: &str) -> String {
    let mut out = String::new();
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at);
        out.push_str(&before.replace('[', ""));
        rest = after.find(')').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(&rest.replace('[', ""));
    out
}

/// A lesson's Markdown without its quiz blocks (their ids would clash when copied).
fn without_quizzes(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_quiz = false;
    for line in markdown.lines() {
        if line.starts_with("```quiz") {
            in_quiz = true;
        } else if in_quiz && line.starts_with("```") {
            in_quiz = false;
        } else if !in_quiz {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
