//! Practice quizzes: instant feedback per question. Reads each question's response from the
//! form, checks it against the page key, announces right or wrong (an `aria-live` region per
//! question and a summary that takes focus), opens the explanation of a right answer and the
//! feedback of a picked option. The learner may change answers and check again.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use sabaq_quiz::key::{QuestionKey, Response, check, from_hex, option_key, push_int, seal};
use sabaq_quiz::normalize::parse_number;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::dom::{append, attribute, fold_input, select_all};

/// Enables one practice quiz and checks it on every submit.
pub fn hydrate(section: &Element) -> Result<(), JsValue> {
    let salt = salt_of(section)?;
    for note in select_all(section, ".quiz-nojs")? {
        note.set_attribute("hidden", "")?;
    }
    for body in select_all(section, ".quiz-body")? {
        body.remove_attribute("disabled")?;
    }
    for question in select_all(section, "fieldset.question")? {
        let feedback = append(&question, "div", "feedback")?;
        feedback.set_attribute("aria-live", "polite")?;
    }
    let form = section
        .query_selector("form")?
        .ok_or_else(|| JsValue::from_str("sabaq: a quiz without a form"))?;
    let summary = append(&form, "p", "quiz-summary")?;
    summary.set_attribute("role", "status")?;
    summary.set_attribute("tabindex", "-1")?;

    let section = section.clone();
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        if let Err(error) = grade(&section, &salt, &summary) {
            web_sys::console::error_1(&error);
        }
    });
    form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;
    // The form lives as long as the page.
    on_submit.forget();
    Ok(())
}

fn salt_of(section: &Element) -> Result<[u8; 16], JsValue> {
    from_hex(&attribute(section, "data-salt")?)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| JsValue::from_str("sabaq: a malformed quiz salt"))
}

/// An interface string the generator wrote in the course's language.
fn text(section: &Element, key: &str) -> String {
    section.get_attribute(key).unwrap_or_default()
}

/// Checks every question, shows the results and moves focus to the summary.
fn grade(section: &Element, salt: &[u8; 16], summary: &Element) -> Result<(), JsValue> {
    let questions = select_all(section, "fieldset.question")?;
    let mut right = 0;
    for (index, question) in questions.iter().enumerate() {
        let key = QuestionKey::decode(&attribute(question, "data-key")?)
            .ok_or_else(|| JsValue::from_str("sabaq: a malformed answer key"))?;
        let feedback = question
            .query_selector(".feedback")?
            .ok_or_else(|| JsValue::from_str("sabaq: a question without feedback"))?;
        let classes = question.class_list();
        classes.remove_2("is-right", "is-wrong")?;
        let Some(response) = read_response(question)? else {
            feedback.set_text_content(Some(&text(section, "data-t-unanswered")));
            continue;
        };
        match check(salt, index, &key, &response) {
            Some(opening) => {
                right += 1;
                classes.add_1("is-right")?;
                let mut html = escape(&text(section, "data-t-right"));
                if let Some(sealed) = question.get_attribute("data-explanation") {
                    html.push_str(&open(&opening, &sealed));
                }
                feedback.set_inner_html(&html);
            }
            None => {
                classes.add_1("is-wrong")?;
                let mut html = escape(&text(section, "data-t-wrong"));
                for picked in select_all(question, "input:checked[data-feedback]")? {
                    let position: usize = picked
                        .get_attribute("value")
                        .and_then(|v| {
                            if v == "true" {
                                Some(0)
                            } else if v == "false" {
                                Some(1)
                            } else {
                                v.parse().ok()
                            }
                        })
                        .unwrap_or(usize::MAX);
                    let sealed = attribute(&picked, "data-feedback")?;
                    html.push_str(&open(&option_key(salt, index, position), &sealed));
                }
                feedback.set_inner_html(&html);
            }
        }
    }
    let total = questions.len();
    let message = fill(&text(section, "data-t-summary"), right, total);
    summary.set_text_content(Some(&message));
    if let Some(summary) = summary.dyn_ref::<HtmlElement>() {
        summary.focus()?;
    }
    Ok(())
}

/// The summary template with `{right}` and `{total}` filled in (a char scan keeps the module
/// free of substring search).
fn fill(template: &str, right: usize, total: usize) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        match &after[..close] {
            "right" => push_int(&mut out, right as i64),
            "total" => push_int(&mut out, total as i64),
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Opens a sealed HTML fragment the generator wrote (trusted: it came with the page).
fn open(key: &[u8; 32], sealed_hex: &str) -> String {
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

fn escape(text: &str) -> String {
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

fn input_value(element: &Element) -> String {
    element
        .dyn_ref::<HtmlInputElement>()
        .map(|input| input.value())
        .or_else(|| {
            element
                .dyn_ref::<HtmlSelectElement>()
                .map(|select| select.value())
        })
        .unwrap_or_default()
}

/// The learner's response to one question, or `None` while it is unanswered.
fn read_response(question: &Element) -> Result<Option<Response>, JsValue> {
    let kind = attribute(question, "data-type")?;
    let checked: Vec<String> = select_all(question, "input:checked")?
        .iter()
        .map(input_value)
        .collect();
    let positions = |values: &[String]| -> Vec<usize> {
        values.iter().filter_map(|v| v.parse().ok()).collect()
    };
    let response = match kind.as_str() {
        "single" => positions(&checked).first().map(|&p| Response::Choice(p)),
        "multiple" => (!checked.is_empty()).then(|| Response::Choices(positions(&checked))),
        "true-false" => checked.first().map(|v| Response::Bool(v == "true")),
        "text" | "number" => {
            let typed = select_all(question, ".answer input")?
                .first()
                .map(input_value)
                .unwrap_or_default();
            let typed = fold_input(typed.trim());
            match (typed.is_empty(), kind.as_str()) {
                (true, _) => None,
                (false, "text") => Some(Response::Text(typed)),
                // Not a number at all: a text no key accepts.
                (false, _) => Some(match parse_number(&typed) {
                    Some(number) => Response::Number(number),
                    None => Response::Text(typed),
                }),
            }
        }
        "order" => {
            let ranks: Vec<String> = select_all(question, "select")?
                .iter()
                .map(input_value)
                .collect();
            if ranks.iter().any(String::is_empty) {
                None
            } else {
                // ranks[position] = place chosen for the item shown at `position`.
                let mut order = vec![usize::MAX; ranks.len()];
                for (position, rank) in ranks.iter().enumerate() {
                    if let Some(slot) = rank
                        .parse::<usize>()
                        .ok()
                        .and_then(|r| r.checked_sub(1))
                        .and_then(|r| order.get_mut(r))
                    {
                        *slot = position;
                    }
                }
                Some(Response::Order(order))
            }
        }
        "match" => {
            let chosen: Vec<String> = select_all(question, "select")?
                .iter()
                .map(input_value)
                .collect();
            (!chosen.iter().any(String::is_empty)).then(|| Response::Match(positions(&chosen)))
        }
        "blank" => {
            let gaps: Vec<String> = select_all(question, "input.gap")?
                .iter()
                .map(|g| fold_input(input_value(g).trim()))
                .collect();
            (!gaps.iter().all(String::is_empty)).then_some(Response::Blanks(gaps))
        }
        _ => return Err(JsValue::from_str("sabaq: an unknown question type")),
    };
    Ok(response)
}
