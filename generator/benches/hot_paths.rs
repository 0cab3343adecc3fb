//! Criterion benchmarks of the build's hot paths, on the sample courses in `courses/`:
//! rendering a lesson's Markdown (with syntax highlighting and its quizzes), compiling a quiz
//! block (parse, check, seal the answer keys, write the form) and templating every page of the
//! site. Run with `cargo bench -p sabaq`; BENCHMARKS.md has the figures.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use sabaq::i18n;
use sabaq::links::{PageMap, Resolver};
use sabaq::load::load_site;
use sabaq::markdown::{self, Rendered};
use sabaq::model::{Course, Markdown, Site};
use sabaq::quiz;
use sabaq::quiz_form;
use sabaq::render::{self, Body, RenderInput};
use sabaq::theme::Theme;
use sabaq::yaml::Snippet;

fn samples() -> Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../courses");
    let (site, diagnostics) = load_site(&root);
    assert!(
        !diagnostics.has_errors(),
        "the sample courses load: {diagnostics:?}"
    );
    site
}

/// Renders one Markdown file the way the build does (no assessment key).
fn render(pages: &PageMap, course: &Course, page_url: &str, md: &Markdown) -> Rendered {
    let course_url = course.url();
    let resolver = Resolver {
        pages,
        course: &course.folder,
        course_url: &course_url,
        source_dir: md.source.path.parent().unwrap_or(&course.dir),
        page_url,
    };
    let strings = i18n::strings_for(&course.language);
    markdown::render_page(md, &course.id, &resolver, &strings, None)
}

fn markdown_rendering(c: &mut Criterion) {
    let site = samples();
    let pages = PageMap::from_site(&site);
    let lessons: Vec<_> = site
        .courses
        .iter()
        .flat_map(|c| c.modules.iter().map(move |m| (c, m)))
        .flat_map(|(c, m)| m.lessons.iter().map(move |l| (c, m, l)))
        .collect();
    let bytes: usize = lessons
        .iter()
        .map(|(_, _, l)| l.markdown.body().len())
        .sum();
    c.bench_function(
        &format!(
            "markdown: all {} sample lessons ({} KB)",
            lessons.len(),
            bytes / 1024
        ),
        |b| {
            b.iter(|| {
                for (course, module, lesson) in &lessons {
                    let url = lesson.url(course, module);
                    black_box(render(&pages, course, &url, &lesson.markdown));
                }
            })
        },
    );
}

fn quiz_compilation(c: &mut Criterion) {
    let path = PathBuf::from("every-type.md");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/good-course/02-money/01-counting.md"),
    )
    .expect("the fixture lesson");
    let start = text.find("```quiz\n").expect("a quiz block") + "```quiz\n".len();
    let end = start + text[start..].find("```").expect("a closed block");
    let snippet = Snippet {
        path: &path,
        file_text: &text,
        text: &text[start..end],
        first_line: text[..start].matches('\n').count(),
        indent: 0,
    };
    let strings = i18n::strings_for("en");
    c.bench_function(
        "quiz: parse, check, seal keys and write the form (8 questions)",
        |b| {
            b.iter(|| {
                let parsed = quiz::parse(black_box(&snippet)).expect("the fixture quiz checks");
                black_box(quiz_form::render_html(&parsed.quiz, "good", &strings, None))
            })
        },
    );
}

fn templating(c: &mut Criterion) {
    let site = samples();
    let pages = PageMap::from_site(&site);
    let mut bodies = HashMap::new();
    for (course, module, lesson, md) in site.markdown_files() {
        let url = match lesson {
            Some(lesson) => lesson.url(course, module),
            None => module.url(course),
        };
        let out = render(&pages, course, &url, md);
        let quizzes = out
            .quizzes
            .iter()
            .map(|q| (q.quiz.id.clone(), q.quiz.mode))
            .collect();
        bodies.insert(
            md.source.path.clone(),
            Body {
                html: out.html,
                quizzes,
                sections: out.sections,
                assets: Vec::new(),
            },
        );
    }
    let theme = Theme::load(None, &site.folder).expect("the default theme");
    let input = RenderInput {
        site: &site,
        bodies: &bodies,
        site_theme: &theme,
        course_themes: &HashMap::new(),
        base_url: None,
    };
    let count = render::render_pages(&input).0.len();
    c.bench_function(
        &format!("templating: every page of the samples ({count})"),
        |b| b.iter(|| black_box(render::render_pages(black_box(&input)))),
    );
}

criterion_group!(benches, markdown_rendering, quiz_compilation, templating);
criterion_main!(benches);
