//! A learner's response to one question, read from the page's form: what the practice
//! engine checks against its key and the assessment engine hashes into the gate.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use sabaq_quiz::key::Response;
use sabaq_quiz::normalize::parse_number;
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::dom::{attribute, fold_input, select_all, small_number};

pub fn input_value(element: &Element) -> String {
    crate::dom::value(element)
}

/// The learner's response to one question, or `None` while it is unanswered.
pub fn read_response(question: &Element) -> Result<Option<Response>, JsValue> {
    let kind = attribute(question, "data-type")?;
    let checked: Vec<String> = select_all(question, "input:checked")?
        .iter()
        .map(input_value)
        .collect();
    let positions = |values: &[String]| -> Vec<usize> {
        values.iter().filter_map(|v| small_number(v)).collect()
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
            let selects = select_all(question, "select")?;
            let ranks: Vec<String> = selects.iter().map(input_value).collect();
            if ranks.iter().any(String::is_empty) {
                None
            } else {
                // order[place] = the generator's position of the item put in that place; the
                // position ends the select's id, whatever order a shuffle left the items in.
                let mut order = vec![usize::MAX; ranks.len()];
                for (select, rank) in selects.iter().zip(&ranks) {
                    let position = select.id().rsplit('-').next().and_then(small_number);
                    if let (Some(position), Some(slot)) = (
                        position,
                        small_number(rank)
                            .and_then(|r| r.checked_sub(1))
                            .and_then(|r| order.get_mut(r)),
                    ) {
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
