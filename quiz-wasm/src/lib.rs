//! The in-browser quiz engine: finds the quiz forms the generator wrote into a lesson page,
//! enables them and checks answers, announcing the results. Three builds of this crate, so a
//! page loads only what it needs: the practice engine (feature `practice`: practice quizzes
//! against salted keys, recording progress), the progress engine (feature `progress-page`: the
//! "My progress" page) and the assessment engine (feature `assessment`: the gate, Argon2id and
//! completion codes), and the QR build (feature `qr`: the QR code on an assessment's pass
//! screen, loaded only once a pass is shown). WebAssembly 1.0 modules with no
//! std; the checking itself is the native-tested `sabaq-quiz` crate.
//!
//! Page contract (written by the generator's `quiz_form`): `section.quiz[data-quiz]` with
//! `data-course`, `data-mode`, `data-salt`, `data-pass`, maybe `data-draw`, and interface
//! strings as `data-t-*`; in practice mode each `fieldset.question` has `data-type`,
//! `data-key`, maybe `data-shuffle` and `data-explanation`, and an empty `.feedback`; options
//! may carry `data-feedback`; the form ends with an empty `.quiz-summary`. An assessment
//! carries `data-gate`, `data-module`, `data-epoch`, `data-version`, a learner field, maybe a
//! sealed `data-explanation` per question (no answer list: a pass marks the questions from
//! the module secret), and a hidden `.quiz-outcome` to reveal. The "My progress" page
//! is `#sabaq-progress` (see `progress`).
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

#[cfg(feature = "assessment")]
mod assessment;
mod dom;
#[cfg(feature = "practice")]
mod practice;
mod progress;
mod qr_view;
#[cfg(any(feature = "practice", feature = "assessment"))]
mod response;

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// Runs once when the module loads: the practice build takes over every practice quiz on the
/// page.
#[cfg(feature = "practice")]
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    for section in dom::select_all_in(None, "section.quiz[data-mode=practice]")? {
        practice::hydrate(&section)?;
    }
    Ok(())
}

/// Runs once when the module loads: the progress build takes over the "My progress" page.
#[cfg(all(feature = "progress-page", not(feature = "practice")))]
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    if let Some(page) = dom::document().get_element_by_id("sabaq-progress") {
        progress::hydrate(&page)?;
    }
    Ok(())
}

/// Runs once when the module loads: the QR build (loaded by its script once an assessment's
/// pass is on screen) draws the pass's QR code.
#[cfg(all(
    feature = "qr",
    not(feature = "practice"),
    not(feature = "progress-page"),
    not(feature = "assessment")
))]
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    qr_view::draw_passes()
}

/// Draws the QR codes of passes shown after the module loaded (its script calls this).
#[cfg(all(feature = "qr", not(feature = "practice")))]
#[wasm_bindgen]
pub fn draw() -> Result<(), JsValue> {
    qr_view::draw_passes()
}

/// Runs once when the module loads: the assessment build takes over every assessment.
#[cfg(all(
    feature = "assessment",
    not(feature = "practice"),
    not(feature = "progress-page")
))]
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    for section in dom::select_all_in(None, "section.quiz[data-mode=assessment]")? {
        assessment::hydrate(&section)?;
    }
    Ok(())
}
