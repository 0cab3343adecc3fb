//! QR codes of completion codes: the one drawing used by "My progress" and by the pass screen
//! of an assessment (the QR build, loaded only once a pass is on screen).
// Each engine build uses its own part of this module.
#![allow(dead_code)]

use alloc::string::String;

use sabaq_quiz::code::normalize_learner;
use sabaq_quiz::progress::is_learner;
use sabaq_quiz::qr::Qr;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::dom::{select_all_in, set_hidden, value};

/// What the QR code says: the code, then the learner id when it is one (what the institution's
/// staff scan into `sabaq verify`).
pub fn text(code: &str, learner: &str) -> String {
    let mut text = String::from(code);
    if !learner.is_empty() {
        text.push(' ');
        text.push_str(learner);
    }
    text
}

/// Draws `text` as a QR code into `holder` and shows it; hides it for `None` or a text too
/// long to draw.
pub fn show(holder: &Element, text: Option<&str>) -> Result<(), JsValue> {
    let drawing = text.and_then(|text| Qr::encode(text.as_bytes()));
    match &drawing {
        Some(qr) => holder.set_inner_html(&qr.to_svg()),
        None => holder.set_text_content(None),
    }
    set_hidden(holder, drawing.is_none())
}

/// Draws the QR code of every assessment pass on screen whose drawing is missing or out of
/// date (a new pass after "Start again").
pub fn draw_passes() -> Result<(), JsValue> {
    for section in select_all_in(None, "section.quiz[data-mode=assessment]")? {
        let Some(passed) = section.query_selector(".quiz-passed:not([hidden])")? else {
            continue;
        };
        let (Some(holder), Some(code)) = (
            passed.query_selector(".quiz-qr")?,
            passed.query_selector(".code")?,
        ) else {
            continue;
        };
        let code = code.text_content().unwrap_or_default();
        let learner = match section.query_selector("input[name=learner]")? {
            Some(input) => normalize_learner(&value(&input)),
            None => String::new(),
        };
        let learner = if is_learner(&learner) {
            learner
        } else {
            String::new()
        };
        let text = text(code.trim(), &learner);
        if holder.get_attribute("data-for").as_deref() != Some(text.as_str()) {
            show(&holder, Some(&text))?;
            holder.set_attribute("data-for", &text)?;
        }
    }
    Ok(())
}
