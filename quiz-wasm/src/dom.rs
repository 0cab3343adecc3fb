//! Small DOM helpers: every call returns a `Result`, so a page that breaks the contract gives
//! an error in the console rather than a silently dead quiz.
// Each engine build uses its own part of these.
#![allow(dead_code)]

use alloc::string::String;
use alloc::vec::Vec;

use sabaq_quiz::key::{from_hex, push_int};
use sabaq_quiz::sealed;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event};

// Direct bindings to the few browser features the engines use beyond `Element`, so that the
// modules carry no `instanceof` checks and no global-object lookup (each costs glue and code).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    static DOCUMENT: Document;

    /// `setTimeout(callback, ms)`.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &JsValue, ms: i32);

    /// `confirm(message)`.
    #[wasm_bindgen(js_name = confirm)]
    pub fn confirm(message: &str) -> bool;

    /// An element seen as a form control or a focusable element, without a type check.
    #[wasm_bindgen(extends = Element)]
    type Control;

    #[wasm_bindgen(method, getter, js_name = value)]
    fn control_value(this: &Control) -> String;

    #[wasm_bindgen(method, setter, js_name = value)]
    fn set_control_value(this: &Control, value: &str);

    #[wasm_bindgen(method, js_name = focus)]
    fn control_focus(this: &Control);

    #[wasm_bindgen(method, js_name = reportValidity)]
    fn control_report_validity(this: &Control) -> bool;

    /// `localStorage.getItem`; throws where storage is denied.
    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = getItem)]
    pub fn storage_get(key: &str) -> Result<Option<String>, JsValue>;

    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = setItem)]
    pub fn storage_set(key: &str, value: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = removeItem)]
    pub fn storage_remove(key: &str) -> Result<(), JsValue>;
}

/// The `value` of a form control (input, select, textarea).
pub fn value(element: &Element) -> String {
    element.unchecked_ref::<Control>().control_value()
}

pub fn set_value(element: &Element, value: &str) {
    element.unchecked_ref::<Control>().set_control_value(value);
}

pub fn focus(element: &Element) {
    element.unchecked_ref::<Control>().control_focus();
}

/// `reportValidity()` of a form control: false (and the browser's message) when invalid.
pub fn report_validity(element: &Element) -> bool {
    element.unchecked_ref::<Control>().control_report_validity()
}

pub fn document() -> Document {
    DOCUMENT.with(Document::clone)
}

/// Every element under `root` (an element, or the whole document when `None`) matching
/// `selector`, in document order.
pub fn select_all_in(root: Option<&Element>, selector: &str) -> Result<Vec<Element>, JsValue> {
    let list = match root {
        Some(element) => element.query_selector_all(selector)?,
        None => document().query_selector_all(selector)?,
    };
    let mut out = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length() {
        if let Some(node) = list.item(i) {
            out.push(node.unchecked_into::<Element>());
        }
    }
    Ok(out)
}

/// Every element under `root` matching `selector`, in document order.
pub fn select_all(root: &Element, selector: &str) -> Result<Vec<Element>, JsValue> {
    select_all_in(Some(root), selector)
}

/// Marks an element with one state class beside its own (`question is-right`), replacing any
/// state it had; `None` leaves only `base`.
pub fn set_state(element: &Element, base: &str, state: Option<&str>) -> Result<(), JsValue> {
    let mut class = String::from(base);
    if let Some(state) = state {
        if !class.is_empty() {
            class.push(' ');
        }
        class.push_str(state);
    }
    if class.is_empty() {
        element.remove_attribute("class")
    } else {
        element.set_attribute("class", &class)
    }
}

/// The salt of a quiz section (`data-salt`).
pub fn salt_of(section: &Element) -> Result<[u8; 16], JsValue> {
    from_hex(&attribute(section, "data-salt")?)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| JsValue::from_str("sabaq: a malformed quiz salt"))
}

/// A number attribute, if present and well formed.
pub fn number(element: &Element, name: &str) -> Option<usize> {
    small_number(&element.get_attribute(name)?)
}

/// Clears the marks and feedback that grading left on a quiz's questions.
pub fn clear_marks(section: &Element) -> Result<(), JsValue> {
    for question in select_all(section, ".question")? {
        set_state(&question, "question", None)?;
    }
    for feedback in select_all(section, ".feedback")? {
        feedback.set_text_content(None);
    }
    Ok(())
}

/// A required attribute.
pub fn attribute(element: &Element, name: &str) -> Result<String, JsValue> {
    element
        .get_attribute(name)
        .ok_or_else(|| JsValue::from_str("sabaq: a quiz element lacks an attribute it needs"))
}

/// Typed text as the quiz core compares it: composed (NFC) and lowercased by the browser, so
/// the module carries no Unicode tables of its own.
pub fn fold_input(text: &str) -> String {
    js_sys::JsString::from(text)
        .normalize("NFC")
        .to_lower_case()
        .as_string()
        .unwrap_or_else(|| String::from(text))
}

/// `template` with each `{name}` of `values` replaced by its text; other braces stay. (A char
/// scan keeps the module free of `core::fmt` and substring search.)
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A small decimal number (ASCII digits only, at most nine): what pages write in attributes
/// and option values. Hand-written, as `str::parse` costs the module more.
pub fn small_number(text: &str) -> Option<usize> {
    if text.is_empty() || text.len() > 9 {
        return None;
    }
    text.bytes().try_fold(0usize, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}

/// A count as text.
pub fn int(n: usize) -> String {
    let mut out = String::new();
    push_int(&mut out, n as i64);
    out
}

/// An interface string the generator wrote as `data-t-<key>`, in the course's language.
pub fn text(element: &Element, key: &str) -> String {
    let mut name = String::from("data-t-");
    name.push_str(key);
    element.get_attribute(&name).unwrap_or_default()
}

/// Shows or hides an element.
pub fn set_hidden(element: &Element, hidden: bool) -> Result<(), JsValue> {
    if hidden {
        element.set_attribute("hidden", "")
    } else {
        element.remove_attribute("hidden")
    }
}

#[cfg(feature = "practice")]
/// A uniformly random number below `n` (`Math.random`: unpredictability is not needed, only
/// a fresh order per attempt).
pub fn random_below(n: usize) -> usize {
    ((js_sys::Math::random() * n as f64) as usize).min(n.saturating_sub(1))
}

#[cfg(feature = "practice")]
/// A random permutation of `0..n` (Fisher-Yates).
pub fn random_order(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, random_below(i + 1));
    }
    order
}

/// Runs `handler` on every `event` at `target` for as long as the page lives.
pub fn on(
    target: &Element,
    event: &str,
    handler: impl FnMut(Event) + 'static,
) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(Event)>::new(handler);
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}

/// Logs an error the page cannot show.
pub fn report(result: Result<(), JsValue>) {
    if let Err(error) = result {
        web_sys::console::error_1(&error);
    }
}

/// Opens a sealed HTML fragment the generator wrote (trusted: it came with the page), as an
/// explanation block; empty when the key does not open it.
pub fn open(key: &[u8; 32], sealed_hex: &str) -> String {
    from_hex(sealed_hex)
        .and_then(|value| sealed::open(key, &value))
        .and_then(|html| String::from_utf8(html).ok())
        .map(|html| {
            let mut out = String::from("<div class=\"explanation\">");
            out.push_str(&html);
            out.push_str("</div>");
            out
        })
        .unwrap_or_default()
}

/// `text` as an HTML paragraph.
pub fn escape(text: &str) -> String {
    let mut out = String::from("<p>");
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out.push_str("</p>");
    out
}
