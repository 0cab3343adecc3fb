//! The quiz engine, built from `quiz-wasm/` by `quiz-wasm/build.sh` and embedded here, so
//! building sabaq needs no WebAssembly toolchain. Every site gets it under `assets/`; pages
//! with quizzes load it.

/// The JavaScript glue, which loads the module beside it and starts the engine.
pub const SCRIPT: &str = include_str!("../engine/sabaq-quiz.js");
/// The WebAssembly 1.0 module.
pub const MODULE: &[u8] = include_bytes!("../engine/sabaq-quiz_bg.wasm");

pub const SCRIPT_PATH: &str = "assets/sabaq-quiz.js";
/// The glue finds the module by replacing `.js` with `_bg.wasm` in its own address.
pub const MODULE_PATH: &str = "assets/sabaq-quiz_bg.wasm";
