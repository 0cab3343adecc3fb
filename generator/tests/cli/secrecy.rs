//! What an assessment page gives away, tested as an attacker with the page source would: build
//! copies of a course with one right answer changed, and the pages must differ only inside the
//! opaque values, which keep their lengths; no two sealed values may share a keystream.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use crate::harness::Project;

const COURSE: &str = "sealed-assessment";
const LESSON: &str = "sealed-assessment/01-only/01-exam.md";

/// The site built from the fixture with `edits` (from, to) made to its assessment lesson,
/// with the institution key `key` (the same key for every build of a comparison).
fn build_with(key: &[u8], edits: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let project = Project::with_fixture(COURSE);
    let key_file = project.path("institution.key");
    std::fs::write(&key_file, key).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut lesson = project.read(LESSON);
    for (from, to) in edits {
        assert_eq!(
            lesson.matches(from).count(),
            1,
            "`{from}` once in the lesson"
        );
        lesson = lesson.replace(from, to);
    }
    project.write(LESSON, &lesson);
    project
        .run(&["build", COURSE, "--out", "site", "--key", "institution.key"])
        .assert_code(0);
    project.tree("site")
}

/// A fresh institution key file's bytes.
fn new_key() -> Vec<u8> {
    let project = Project::new();
    project
        .run(&["keys", "new", "institution.key"])
        .assert_code(0);
    std::fs::read(project.path("institution.key")).unwrap()
}

/// Every opaque value in `html`, in page order, as (attribute, hex): any attribute whose value
/// is 32 or more hex digits (the gate, the quiz's salt, sealed values, and whatever a later
/// version seals), so a new sealed attribute is covered without naming it here.
fn opaque_values(html: &str) -> Vec<(String, String)> {
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("=\"") {
        let name_start = rest[..at].rfind(' ').map_or(0, |i| i + 1);
        let name = rest[name_start..at].to_string();
        let start = at + 2;
        let len = rest[start..].find('"').unwrap_or(0);
        let value = &rest[start..start + len];
        if value.len() >= 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
            values.push((name, value.to_string()));
        }
        rest = &rest[start + len..];
    }
    values
}

/// The sealed values of a page: its opaque values but the gate and the public salt.
fn sealed_values(html: &str) -> Vec<(String, Vec<u8>)> {
    opaque_values(html)
        .into_iter()
        .filter(|(name, _)| name != "data-gate" && name != "data-salt")
        .map(|(name, hex)| (name, sabaq_quiz::key::from_hex(&hex).unwrap()))
        .collect()
}

/// `html` with every opaque value replaced by a run of `x` of the same length.
fn masked(html: &str) -> String {
    let mut out = html.to_string();
    for (_, value) in opaque_values(html) {
        out = out.replacen(&value, &"x".repeat(value.len()), 1);
    }
    out
}

/// The assessment page of a built site.
fn exam_page(site: &BTreeMap<String, Vec<u8>>) -> String {
    String::from_utf8(site["sealed/only/exam/index.html"].clone()).unwrap()
}

#[test]
fn changing_a_right_answer_changes_no_byte_outside_the_opaque_values() {
    let key = new_key();
    let original = build_with(&key, &[]);
    let page = exam_page(&original);
    let gate = |page: &str| {
        opaque_values(page)
            .into_iter()
            .find(|(name, _)| name == "data-gate")
            .expect("an assessment page has a gate")
    };
    assert_eq!(sealed_values(&page).len(), 10, "ten explanations");
    let swaps: [(&str, &[(&str, &str)]); 9] = [
        (
            "another right option of a single-choice question",
            &[(
                "answer: A budget\n    distractors: [A loan,",
                "answer: A loan\n    distractors: [A budget,",
            )],
        ),
        (
            "a true-false answer flipped",
            &[("answer: true", "answer: false")],
        ),
        (
            "a number answer with more digits",
            &[("answer: 600\n", "answer: 600000\n")],
        ),
        (
            "a typed answer of another length",
            &[("answers: [debt]", "answers: [a liability]")],
        ),
        (
            "two typed answers of other lengths",
            &[(
                "answers: [cash book, cashbook]",
                "answers: [ledger, daily sales register]",
            )],
        ),
        (
            "another set of right options",
            &[(
                "answers: [Flour, Gas for the oven]\n    distractors: [School fees,",
                "answers: [Flour, School fees]\n    distractors: [Gas for the oven,",
            )],
        ),
        (
            "another gap answer",
            &[("[[income]]", "[[revenue earned]]")],
        ),
        (
            "another right order",
            &[(
                "[Estimate income, List expenses,",
                "[List expenses, Estimate income,",
            )],
        ),
        (
            "other right matches",
            &[(
                "[Income, Money coming in]\n      - [Expense, Money going out]",
                "[Income, Money going out]\n      - [Expense, Money coming in]",
            )],
        ),
    ];
    for (what, edits) in swaps {
        let swapped = build_with(&key, edits);
        assert_eq!(
            original.keys().collect::<Vec<_>>(),
            swapped.keys().collect::<Vec<_>>(),
            "{what}: the same files"
        );
        for (path, bytes) in &original {
            let other = &swapped[path];
            if path.ends_with(".html") {
                let (a, b) = (
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(other),
                );
                assert!(
                    masked(&a) == masked(&b),
                    "{what}: {path} differs outside its opaque values"
                );
            } else {
                assert!(bytes == other, "{what}: {path} differs");
            }
        }
        // The change did reach the page: the gate is another.
        assert_ne!(
            gate(&page),
            gate(&exam_page(&swapped)),
            "{what}: the gate did not change, so the swap was not built"
        );
    }
}

#[test]
fn no_two_sealed_values_share_a_keystream() {
    let site = build_with(&new_key(), &[]);
    let page = exam_page(&site);
    let sealed: Vec<Vec<u8>> = sealed_values(&page).into_iter().map(|(_, v)| v).collect();
    assert!(sealed.len() >= 10);
    // XOR-ed, two texts sealed under one keystream give the XOR of two texts: ASCII with
    // ASCII never sets a top bit. Keystreams of their own give random bytes: about half.
    let (mut high, mut total) = (0usize, 0usize);
    for (i, a) in sealed.iter().enumerate() {
        for b in &sealed[i + 1..] {
            let pair_high = a
                .iter()
                .zip(b)
                .filter(|(x, y)| (*x ^ *y) & 0x80 != 0)
                .count();
            let pair_len = a.len().min(b.len());
            assert!(
                pair_high * 4 > pair_len,
                "sealed value {i} and a later one share a keystream: {pair_high} of {pair_len} bytes have the top bit"
            );
            high += pair_high;
            total += pair_len;
        }
    }
    assert!(total >= 2000, "{total} bytes compared");
    let share = high as f64 / total as f64;
    assert!(
        (0.45..0.55).contains(&share),
        "{share} of the XOR bytes have the top bit"
    );
}

#[test]
fn sealed_explanations_come_in_size_classes() {
    let page = exam_page(&build_with(&new_key(), &[]));
    for (name, bytes) in sealed_values(&page) {
        assert!(
            [64, 80, 96, 112, 128, 160, 192, 224, 256].contains(&bytes.len()),
            "{name} sealed at {} bytes",
            bytes.len()
        );
    }
    // The page lists no accepted answer in any form.
    assert!(!page.contains("data-answers") && !page.contains("data-key"));
}
