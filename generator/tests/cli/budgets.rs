//! Page weight on the sample courses, as sizes (gzip -9), never as times: every lesson page
//! with the CSS it loads fits in the first round trip of a slow connection (14 KB), and all
//! of the default CSS stays under 6 KB (issue 5, budgets.md).

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

#[test]
fn every_sample_page_with_its_css_fits_in_one_round_trip() {
    let project = Project::new();
    let courses = workspace_dir().join("courses");
    project
        .run(&["build", courses.to_str().unwrap(), "--out", "site"])
        .assert_code(0);
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
