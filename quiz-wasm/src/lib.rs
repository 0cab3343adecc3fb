//! The in-browser quiz engine: finds the quiz forms the generator wrote into a lesson page,
//! enables them and checks practice answers against the page's salted keys, announcing the
//! result of each question. A WebAssembly 1.0 module with no std; the checking itself is the
//! native-tested `sabaq-quiz` crate.
//!
//! Page contract (written by the generator's `quiz_form`): `section.quiz[data-quiz]` with
//! `data-course`, `data-mode`, `data-salt`, `data-pass`, maybe `data-draw`, and interface
//! strings as `data-t-*`; in practice mode each `fieldset.question` has `data-type`,
//! `data-key`, maybe `data-shuffle` and `data-explanation`, and options may carry
//! `data-feedback`. The "My progress" page is `#sabaq-progress` (see `progress`).
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

mod dom;
mod practice;
mod progress;

use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// Runs once when the module loads: takes over every practice quiz on the page, and the
/// "My progress" page.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let document = dom::document()?;
    for section in dom::select_all(&document, "section.quiz[data-mode=practice]")? {
        practice::hydrate(&section)?;
    }
    if let Some(page) = document.get_element_by_id("sabaq-progress") {
        progress::hydrate(&page)?;
    }
    Ok(())
}
