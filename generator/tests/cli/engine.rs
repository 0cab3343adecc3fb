//! The embedded quiz engines: WebAssembly 1.0 modules (browsers from 2017 on load them)
//! within their size budget, shipped in every built site as committed, each loaded only by the
//! pages that need it.

use std::process::Command;

use crate::harness::{Project, gzipped_size, workspace_dir};

/// The engine budget: Wasm plus its JavaScript glue, gzip -9, in bytes.
const ENGINE_BUDGET: usize = 30_000;
const ENGINES: [&str; 4] = ["sabaq-quiz", "sabaq-progress", "sabaq-assess", "sabaq-qr"];

fn engine_file(name: &str) -> std::path::PathBuf {
    workspace_dir().join("generator/engine").join(name)
}

#[test]
fn engines_are_webassembly_1_0_modules() {
    for name in ENGINES {
        assert_webassembly_1_0(&format!("{name}_bg.wasm"));
    }
}

fn assert_webassembly_1_0(file: &str) {
    let output = Command::new("wasm-validate")
        .args([
            "--disable-mutable-globals",
            "--disable-saturating-float-to-int",
            "--disable-sign-extension",
            "--disable-simd",
            "--disable-multi-value",
            "--disable-bulk-memory",
            "--disable-reference-types",
        ])
        .arg(engine_file(file))
        .output()
        .expect("wasm-validate runs: install wabt (bash tests/run does)");
    assert!(
        output.status.success(),
        "{file} uses features beyond WebAssembly 1.0:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn engines_fit_their_size_budget() {
    for name in ENGINES {
        let wasm = gzipped_size(&engine_file(&format!("{name}_bg.wasm")));
        let glue = gzipped_size(&engine_file(&format!("{name}.js")));
        assert!(
            wasm + glue <= ENGINE_BUDGET,
            "{name} is {wasm} + {glue} = {} bytes gzipped, over the {ENGINE_BUDGET} byte budget",
            wasm + glue
        );
    }
}

#[test]
fn built_site_ships_the_engine_and_loads_it_only_on_quiz_pages() {
    let project = Project::built("good-course");
    let shipped = std::fs::read(project.path("site/assets/sabaq-quiz_bg.wasm")).unwrap();
    assert_eq!(
        shipped,
        std::fs::read(engine_file("sabaq-quiz_bg.wasm")).unwrap()
    );
    let quiz_page = project.read("site/good/money/counting/index.html");
    // The page loads the starter, which loads the engine once a quiz nears the screen.
    assert!(
        quiz_page.contains("<script defer src=\"../../../assets/sabaq-quiz-on-view.js\"></script>")
    );
    assert!(!quiz_page.contains("sabaq-quiz.js"));
    assert!(quiz_page.contains("'wasm-unsafe-eval'"));
    assert!(!quiz_page.contains("sabaq-assess"));
    for file in [
        "sabaq-quiz.js",
        "sabaq-quiz-on-view.js",
        "sabaq-assess-on-view.js",
    ] {
        assert_eq!(
            std::fs::read(project.path(&format!("site/assets/{file}"))).unwrap(),
            std::fs::read(engine_file(file)).unwrap(),
            "{file}"
        );
    }
    let starter = gzipped_size(&engine_file("sabaq-quiz-on-view.js"));
    assert!(
        starter <= 700,
        "the quiz starter is {starter} bytes gzipped"
    );
    let plain_page = project.read("site/good/basics/tables/index.html");
    assert!(!plain_page.contains("sabaq-quiz.js"));
    assert!(!plain_page.contains("sabaq-assess.js"));
    let progress_page = project.read("site/progress/index.html");
    assert!(progress_page.contains("<script defer src=\"../assets/sabaq-progress.js\"></script>"));
    assert!(!progress_page.contains("sabaq-quiz.js"));
}

#[test]
fn assessment_pages_load_the_qr_engine_through_its_starter_only() {
    let project = Project::built("assessed-course");
    let exam = project.read("site/assessed/first/exam/index.html");
    assert!(
        exam.contains("<script defer src=\"../../../assets/sabaq-assess-on-view.js\"></script>")
    );
    assert!(exam.contains("<script defer src=\"../../../assets/sabaq-qr-on-pass.js\"></script>"));
    assert!(!exam.contains("sabaq-qr.js"));
    assert!(exam.contains("<span class=\"quiz-qr\" role=\"img\""));
    for file in ["sabaq-qr.js", "sabaq-qr_bg.wasm", "sabaq-qr-on-pass.js"] {
        assert_eq!(
            std::fs::read(project.path(&format!("site/assets/{file}"))).unwrap(),
            std::fs::read(engine_file(file)).unwrap(),
            "{file}"
        );
    }
    // The starter is small: it is all an assessment page pays for the QR code before a pass.
    let starter = gzipped_size(&engine_file("sabaq-qr-on-pass.js"));
    assert!(starter <= 600, "the QR starter is {starter} bytes gzipped");
}
