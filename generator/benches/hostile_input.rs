//! Criterion benchmarks of input made to stall a build, each at a size and at ten times that
//! size, to show the cost grows no faster than the input: a line of broken links (rendered and
//! reported), YAML nested deep (refused at its depth limit) and a quiz of thousands of
//! questions (parsed, checked, sealed and written). Run with
//! `cargo bench -p sabaq --bench hostile_input`; BENCHMARKS.md has the figures.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use sabaq::config::LessonFront;
use sabaq::diag;
use sabaq::i18n;
use sabaq::links::{PageMap, Resolver};
use sabaq::markdown;
use sabaq::model::{Markdown, Source};
use sabaq::quiz;
use sabaq::quiz_form;
use sabaq::yaml::{self, Snippet};

/// A lesson of one line of `n` links to a missing lesson, rendered, and its report written.
fn broken_links(c: &mut Criterion) {
    let mut group = c.benchmark_group("a line of n links to a missing lesson: render and report");
    group.sample_size(10);
    let pages = PageMap::default();
    let course = sabaq::confine::Folder::new(Path::new("/c"), "course folder");
    let resolver = Resolver {
        pages: &pages,
        course: &course,
        course_url: "c/",
        source_dir: Path::new("/c/01-m"),
        page_url: "c/m/l/",
    };
    let strings = i18n::strings_for("en");
    for n in [500, 5000] {
        let text = format!("# L\n\n{}\n", vec!["[x](02-missing.md)"; n].join(" "));
        let lesson = Markdown {
            source: Source {
                path: "/c/01-m/01-l.md".into(),
                text: Arc::from(text.as_str()),
            },
            body_start: 0,
            title_heading: None,
        };
        group.bench_with_input(BenchmarkId::from_parameter(n), &lesson, |b, lesson| {
            b.iter(|| {
                let page = markdown::render_page(black_box(lesson), "c", &resolver, &strings, None);
                assert_eq!(page.diagnostics.len(), n);
                black_box(diag::report(&page.diagnostics).len())
            })
        });
    }
    group.finish();
}

/// Front matter whose `order` is a list nested `n` levels deep, decoded (and refused).
fn deep_yaml(c: &mut Criterion) {
    let mut group = c.benchmark_group("YAML nested n levels deep: decode");
    for n in [500, 5000] {
        let text = format!("title: L\norder:\n  {}x\n", "- ".repeat(n));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let snippet = Snippet::whole(Path::new("l.md"), black_box(text));
                let refused = yaml::decode::<LessonFront>(&snippet).unwrap_err();
                black_box(refused)
            })
        });
    }
    group.finish();
}

/// A practice quiz of `n` single-choice questions: parse, check, seal the keys, write the form.
fn big_quiz(c: &mut Criterion) {
    let mut group = c.benchmark_group("a quiz of n questions: parse, check, seal, write");
    group.sample_size(10);
    let strings = i18n::strings_for("en");
    for n in [400, 4000] {
        let questions: String = (0..n)
            .map(|i| {
                format!("  - type: single\n    prompt: Question {i}\n    answer: Right {i}\n    distractors: [Wrong {i}, \"Rs 1,800\"]\n")
            })
            .collect();
        let text = format!("id: big\nquestions:\n{questions}");
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let snippet = Snippet::whole(Path::new("l.md"), black_box(text));
                let parsed = quiz::parse(&snippet).expect("the quiz checks");
                black_box(quiz_form::render_html(&parsed.quiz, "c", &strings, None).len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, broken_links, deep_yaml, big_quiz);
criterion_main!(benches);
