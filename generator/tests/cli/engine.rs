//! The embedded quiz engine: a WebAssembly 1.0 module (browsers from 2017 on load it) within
//! its size budget, shipped in every built site as committed.

use std::process::Command;

use crate::harness::{Project, workspace_dir};

/// The engine budget: Wasm plus its JavaScript glue, gzip -9, in bytes.
const ENGINE_BUDGET: usize = 30_000;

fn engine_file(name: &str) -> std::path::PathBuf {
    workspace_dir().join("generator/engine").join(name)
}

fn gzipped_size(path: &std::path::Path) -> usize {
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .expect("gzip runs (it is needed for the size check)");
    assert!(output.status.success());
    output.stdout.len()
}

#[test]
fn engine_is_a_webassembly_1_0_module() {
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
        .arg(engine_file("sabaq-quiz_bg.wasm"))
        .output()
        .expect("wasm-validate runs: install wabt (bash tests/run does)");
    assert!(
        output.status.success(),
        "the engine uses features beyond WebAssembly 1.0:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn engine_fits_its_size_budget() {
    let wasm = gzipped_size(&engine_file("sabaq-quiz_bg.wasm"));
    let glue = gzipped_size(&engine_file("sabaq-quiz.js"));
    assert!(
        wasm + glue <= ENGINE_BUDGET,
        "engine is {wasm} + {glue} = {} bytes gzipped, over the {ENGINE_BUDGET} byte budget",
        wasm + glue
    );
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
    assert!(quiz_page.contains("<script defer src=\"../../../assets/sabaq-quiz.js\"></script>"));
    assert!(quiz_page.contains("'wasm-unsafe-eval'"));
    let plain_page = project.read("site/good/basics/tables/index.html");
    assert!(!plain_page.contains("<script"));
}
