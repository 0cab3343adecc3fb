//! Every link in a built site is relative and lands on a file of the site, so the site works
//! from any folder of any static host; nothing is fetched from another host, and nothing on a
//! page needs the Content-Security-Policy to allow inline code or style.

use std::path::Path;

use crate::harness::{Project, walk};

/// The values of `attribute="..."` in `html`.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Whether `html` has an attribute such as ` onclick="`.
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(i, _)| {
        let name: String = html[i + 3..]
            .chars()
            .take_while(char::is_ascii_lowercase)
            .collect();
        !name.is_empty() && html[i + 3 + name.len()..].starts_with("=\"")
    })
}

/// `%XX` escapes decoded into the bytes they stand for (a URL's path is UTF-8).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("escapes of UTF-8")
}

#[track_caller]
fn assert_links_resolve(site: &Path) {
    let pages: Vec<_> = walk(site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(!pages.is_empty());
    for page in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(site).unwrap().display().to_string();
        assert!(html.contains("<html lang=\""), "{name} has no lang");
        assert!(
            html.contains("http-equiv=\"Content-Security-Policy\""),
            "{name} has no CSP"
        );
        // The policy allows no inline style or script, so the pages must not carry any.
        assert!(!html.contains(" style="), "{name} has a style attribute");
        assert!(!html.contains("<style"), "{name} has a style element");
        assert!(!html.contains("<script>"), "{name} has an inline script");
        assert!(
            !has_event_handler(&html),
            "{name} has an inline event handler"
        );
        for url in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            assert!(!url.starts_with('/'), "{name}: root-absolute link {url}");
            assert!(
                !url.contains(['"', ' ', '<', '>']),
                "{name}: {url} is not a URL as it stands"
            );
            assert!(
                !url.starts_with("http"),
                "{name}: link to another host {url}"
            );
            assert!(!url.contains("//"), "{name}: link to another host {url}");
            if url.starts_with("data:") {
                continue; // inline data, no request
            }
            // As a browser does: the query and fragment go, then `%XX` escapes are decoded.
            let url = url.replace("&amp;", "&");
            let (path, fragment) = url.split_once('#').unwrap_or((&url, ""));
            let path = percent_decoded(path.split('?').next().unwrap());
            let fragment = percent_decoded(fragment);
            let target = if path.is_empty() {
                page.clone() // an in-page anchor
            } else {
                page.parent().unwrap().join(&path)
            };
            assert!(target.is_file(), "{name}: {url} does not lead to a file");
            let target = target.canonicalize().unwrap();
            assert!(
                target.starts_with(site.canonicalize().unwrap()),
                "{name}: {url} leaves the site"
            );
            if !fragment.is_empty() {
                let text = std::fs::read_to_string(&target).unwrap();
                assert!(
                    text.contains(&format!(" id=\"{fragment}\"")),
                    "{name}: {url} names an anchor its page does not have"
                );
            }
        }
    }
}

#[test]
fn every_link_of_a_built_site_is_relative_and_resolves() {
    let project = Project::built("good-course");
    assert_links_resolve(&project.path("site"));
}

#[test]
fn sample_courses_build_with_links_that_resolve() {
    let project = Project::new();
    let courses = crate::harness::workspace_dir().join("courses");
    project
        .run(&["build", courses.to_str().unwrap(), "--out", "site"])
        .assert_code(0);
    assert_links_resolve(&project.path("site"));

    // The Urdu course translates the English one: each lesson links to its twin, marked with the
    // twin's language and direction, both ways.
    let urdu = project.read("site/money-basics-ur/pricing/worked-examples/index.html");
    assert!(urdu.contains(
        "<p class=\"translations\">دوسری زبان میں: <a href=\"../../../money-basics/pricing/worked-examples/index.html\" lang=\"en\" dir=\"ltr\" hreflang=\"en\">Worked examples</a></p>"
    ), "{urdu}");
    let english = project.read("site/money-basics/pricing/worked-examples/index.html");
    assert!(english.contains(
        "Also in: <a href=\"../../../money-basics-ur/pricing/worked-examples/index.html\" lang=\"ur\" dir=\"rtl\" hreflang=\"ur\">"
    ));
    let alone =
        project.read("site/workplace-english/opening-the-call/the-first-ten-seconds/index.html");
    assert!(!alone.contains("class=\"translations\""));
}

/// Every fixture course that builds (and every sample course, above) has pages whose every
/// relative link and source lead to a file of the site.
#[test]
fn every_fixture_that_builds_has_links_that_resolve() {
    let mut built = 0;
    for entry in std::fs::read_dir(crate::harness::fixtures_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let project = Project::with_fixture(&name);
        if project.run(&["build", &name, "--out", "site"]).code == Some(0) {
            assert_links_resolve(&project.path("site"));
            built += 1;
        }
    }
    assert!(built >= 5, "only {built} fixtures built");
}

/// Files whose names hold `%20`, `#`, `?` and `%` are linked by escapes that lead back to them.
#[test]
fn assets_with_escapes_in_their_names_are_linked_so_they_resolve() {
    let project = Project::built("good-course");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"></svg>";
    for name in ["a b.svg", "c#d.svg", "e?f.svg", "100%.svg", "g%20h.svg"] {
        project.write(&format!("good-course/assets/{name}"), svg);
    }
    project.write(
        "good-course/01-basics/04-odd-names.md",
        "# Odd names\n\n![one](../assets/a%20b.svg) ![two](../assets/c%23d.svg)\n![three](../assets/e%3Ff.svg) ![four](../assets/100%25.svg)\n![five](../assets/g%2520h.svg) [download](../assets/a%20b.svg?v=2)\n",
    );
    project
        .run(&["build", "good-course", "--out", "site"])
        .assert_code(0);
    let page = project.read("site/good/basics/odd-names/index.html");
    for url in [
        "../../assets/a%20b.svg",
        "../../assets/c%23d.svg",
        "../../assets/e%3Ff.svg",
        "../../assets/100%25.svg",
        "../../assets/g%2520h.svg",
    ] {
        assert!(page.contains(&format!("src=\"{url}\"")), "{url} in {page}");
    }
    assert_links_resolve(&project.path("site"));
}
