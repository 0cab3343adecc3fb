//! Small DOM helpers: every call returns a `Result`, so a page that breaks the contract gives
//! an error in the console rather than a silently dead quiz.
// Each engine build uses its own part of these.
#![allow(dead_code)]

use alloc::string::String;
use alloc::vec::Vec;

use sabaq_quiz::key::{from_hex, push_int, seal};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event};

pub fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("sabaq: no document"))
}

/// Every element under `root` matching `selector`, in document order.
pub fn select_all<R: AsRef<web_sys::Node> + JsCast>(
    root: &R,
    selector: &str,
) -> Result<Vec<Element>, JsValue> {
    let list = if let Some(document) = root.dyn_ref::<Document>() {
        document.query_selector_all(selector)?
    } else {
        root.dyn_ref::<Element>()
            .ok_or_else(|| JsValue::from_str("sabaq: not an element"))?
            .query_selector_all(selector)?
    };
    let mut out = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length() {
        if let Some(node) = list.item(i) {
            out.push(node.dyn_into::<Element>()?);
        }
    }
    Ok(out)
}

/// A required attribute.
pub fn attribute(element: &Element, name: &str) -> Result<String, JsValue> {
    element
        .get_attribute(name)
        .ok_or_else(|| JsValue::from_str("sabaq: a quiz element lacks an attribute it needs"))
}

/// A new element with a class, appended to `parent`.
pub fn append(parent: &Element, tag: &str, class: &str) -> Result<Element, JsValue> {
    let element = document()?.create_element(tag)?;
    element.set_class_name(class);
    parent.append_child(&element)?;
    Ok(element)
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
        .and_then(|sealed| String::from_utf8(seal(key, &sealed)).ok())
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
