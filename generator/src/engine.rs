//! The quiz engines, built from `quiz-wasm/` by `quiz-wasm/build.sh` and embedded here, so
//! building sabaq needs no WebAssembly toolchain. Every site gets them under `assets/`; a page
//! loads only the engines it needs: practice quizzes, assessments (and, once a pass is on
//! screen, the QR engine), or the "My progress" page.

/// One engine: its JavaScript glue (which loads the module beside it and starts the engine)
/// and its WebAssembly 1.0 module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engine {
    /// The file name without extension: `NAME.js` and `NAME_bg.wasm` under `assets/`.
    pub name: &'static str,
    pub script: &'static str,
    pub module: &'static [u8],
    /// A small script that pages load instead of the glue, which loads the glue when needed:
    /// its file name under `assets/` and its text.
    pub starter: Option<(&'static str, &'static str)>,
}

impl Engine {
    /// The glue's path in the site; it finds the module by replacing `.js` with `_bg.wasm`.
    pub fn script_path(&self) -> String {
        format!("assets/{}.js", self.name)
    }

    /// The script a page includes: the starter if there is one, else the glue.
    pub fn page_script_path(&self) -> String {
        match self.starter {
            Some((file, _)) => format!("assets/{file}"),
            None => self.script_path(),
        }
    }

    pub fn module_path(&self) -> String {
        format!("assets/{}_bg.wasm", self.name)
    }
}

/// Practice quizzes. Pages load its starter, which loads the engine once a quiz nears the screen.
pub const PRACTICE: Engine = Engine {
    name: "sabaq-quiz",
    script: include_str!("../engine/sabaq-quiz.js"),
    module: include_bytes!("../engine/sabaq-quiz_bg.wasm"),
    starter: Some((
        "sabaq-quiz-on-view.js",
        include_str!("../engine/sabaq-quiz-on-view.js"),
    )),
};

/// Assessments: the gate and completion codes; started like practice quizzes.
pub const ASSESSMENT: Engine = Engine {
    name: "sabaq-assess",
    script: include_str!("../engine/sabaq-assess.js"),
    module: include_bytes!("../engine/sabaq-assess_bg.wasm"),
    starter: Some((
        "sabaq-assess-on-view.js",
        include_str!("../engine/sabaq-assess-on-view.js"),
    )),
};

/// The "My progress" page.
pub const PROGRESS: Engine = Engine {
    name: "sabaq-progress",
    script: include_str!("../engine/sabaq-progress.js"),
    module: include_bytes!("../engine/sabaq-progress_bg.wasm"),
    starter: None,
};

/// The QR code on an assessment's pass screen: assessment pages load its starter, which loads
/// the engine only once a pass is shown.
pub const QR: Engine = Engine {
    name: "sabaq-qr",
    script: include_str!("../engine/sabaq-qr.js"),
    module: include_bytes!("../engine/sabaq-qr_bg.wasm"),
    starter: Some((
        "sabaq-qr-on-pass.js",
        include_str!("../engine/sabaq-qr-on-pass.js"),
    )),
};

pub const ALL: [Engine; 4] = [PRACTICE, ASSESSMENT, PROGRESS, QR];
