//! Small DOM helpers: every call returns a `Result`, so a page that breaks the contract gives
//! an error in the console rather than a silently dead quiz.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};

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
