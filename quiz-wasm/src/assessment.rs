//! Assessments: graded as a whole through the gate. The learner enters their id and submits;
//! the engine turns each answer into the key it unmasks, and opens the box of every pass-mark
//! subset the answers cover (one small Argon2id run each, all together about one full run), a
//! few milliseconds at a time so the page stays responsive, with a progress bar. Before a pass
//! it says only "not passed yet" (a score or a per-question mark would be an oracle). On a pass
//! the gate key marks each question and opens every explanation, and the page shows the
//! completion code, its digits and ways to send it.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use sabaq_quiz::argon2::Argon2id;
use sabaq_quiz::code::{self, Code, Fields, normalize_learner};
use sabaq_quiz::gate::{Gate, Search};
use sabaq_quiz::key::from_hex;
use sabaq_quiz::progress::is_learner;
use sabaq_quiz::sealed::{self, Purpose};
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event};

use crate::dom::{
    attribute, clear_marks, escape, fill, focus, int, number, on, open, report, report_validity,
    salt_of, select_all, set_hidden, set_state, set_timeout, text, value,
};
use crate::progress;
use crate::response::read_response;

/// Joins the parts of a many-gap answer (the generator's `assessment::PART_SEPARATOR`).
const PART_SEPARATOR: &str = "\u{1f}";
/// Milliseconds of work between breaths.
const SLICE_MS: f64 = 25.0;

/// Enables one assessment.
pub fn hydrate(section: &Element) -> Result<(), JsValue> {
    let gate = from_hex(&attribute(section, "data-gate")?)
        .and_then(|bytes| Gate::decode(&bytes))
        .ok_or_else(|| JsValue::from_str("sabaq: a malformed assessment gate"))?;
    let salt = salt_of(section)?;
    for note in select_all(section, ".quiz-nojs")? {
        set_hidden(&note, true)?;
    }
    let body = section
        .query_selector(".quiz-body")?
        .ok_or_else(|| JsValue::from_str("sabaq: a quiz without a body"))?;
    body.remove_attribute("disabled")?;
    let form = section
        .query_selector("form")?
        .ok_or_else(|| JsValue::from_str("sabaq: a quiz without a form"))?;

    // One grading at a time, worked on by one timer callback that reschedules itself.
    let state: Rc<RefCell<Option<Grading>>> = Rc::new(RefCell::new(None));
    let timer: Rc<RefCell<JsValue>> = Rc::new(RefCell::new(JsValue::UNDEFINED));
    let (working, again) = (state.clone(), timer.clone());
    let tick = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        let mut current = working.borrow_mut();
        let more = match current.as_mut() {
            Some(grading) => work(grading).unwrap_or_else(|error| {
                web_sys::console::error_1(&error);
                false
            }),
            None => false,
        };
        if more {
            set_timeout(&again.borrow(), 0);
        } else {
            *current = None;
        }
    });
    *timer.borrow_mut() = tick.as_ref().clone();
    // The callback lives as long as the page.
    tick.forget();

    let gate = Rc::new(gate);
    let quiz = section.clone();
    on(&form, "submit", move |event: Event| {
        event.prevent_default();
        if state.borrow().is_some() {
            return; // still grading the last submission
        }
        match submit(&quiz, &gate, &salt, &body) {
            Ok(Some(grading)) => {
                *state.borrow_mut() = Some(grading);
                set_timeout(&timer.borrow(), 0);
            }
            Ok(None) => {}
            Err(error) => web_sys::console::error_1(&error),
        }
    })?;
    let quiz = section.clone();
    on(&form, "reset", move |_| report(clear(&quiz)))
}

/// Clears the marks and messages of the last attempt.
fn clear(section: &Element) -> Result<(), JsValue> {
    clear_marks(section)?;
    show_only(section, "")
}

/// Reveals the parts of the outcome the generator wrote that match `selector` (such as
/// `.quiz-passed`, or `.quiz-checking,.quiz-progress`), hiding the others.
fn show_only(section: &Element, selector: &str) -> Result<(), JsValue> {
    for part in select_all(section, ".quiz-outcome>*")? {
        set_hidden(&part, true)?;
    }
    if !selector.is_empty() {
        for part in select_all(section, selector)? {
            set_hidden(&part, false)?;
        }
    }
    Ok(())
}

/// A grading in progress.
struct Grading {
    section: Element,
    body: Element,
    bar: Element,
    gate: Rc<Gate>,
    salt: [u8; 16],
    learner: String,
    /// Each question's candidate key (what its answer unmasked), for the marks after a pass.
    candidates: Vec<Option<[u8; 16]>>,
    search: Search,
    /// The Argon2id run opening a block of boxes, the subset's number and the block.
    opening: Option<(Argon2id, usize, core::ops::Range<usize>)>,
}

/// Reads the answers and starts a grading; `None` when the learner id is not valid yet (the
/// browser says why).
fn submit(
    section: &Element,
    gate: &Rc<Gate>,
    salt: &[u8; 16],
    body: &Element,
) -> Result<Option<Grading>, JsValue> {
    let learner_input = section
        .query_selector("input[name=learner]")?
        .ok_or_else(|| JsValue::from_str("sabaq: an assessment without a learner field"))?;
    if !report_validity(&learner_input) {
        return Ok(None);
    }
    let questions = select_all(section, "fieldset.question")?;
    let mut candidates = Vec::with_capacity(questions.len());
    for (q, question) in questions.iter().enumerate() {
        let precision = gate.questions.get(q).map_or(0, |g| g.precision);
        let form: Option<String> = read_response(question)?.map(|response| {
            let mut joined = String::new();
            for (k, part) in response.canonical(precision).iter().enumerate() {
                if k > 0 {
                    joined.push_str(PART_SEPARATOR);
                }
                joined.push_str(part);
            }
            joined
        });
        candidates.push(form.as_deref().and_then(|f| gate.candidate(salt, q, f)));
    }
    clear(section)?;
    body.set_attribute("disabled", "")?;
    let bar = section
        .query_selector(".quiz-progress")?
        .ok_or_else(|| JsValue::from_str("sabaq: an assessment without a progress bar"))?;
    bar.remove_attribute("value")?; // indeterminate until Argon2id starts
    show_only(section, ".quiz-checking,.quiz-progress")?;
    Ok(Some(Grading {
        section: section.clone(),
        body: body.clone(),
        bar,
        gate: gate.clone(),
        salt: *salt,
        learner: String::from(value(&learner_input).trim()),
        search: Search::new(gate, &candidates),
        candidates,
        opening: None,
    }))
}

/// Works for a slice of time: opens the boxes the answers cover, one Argon2id run each, and
/// finishes with a pass or "not passed yet". `Ok(true)` while there is more to do.
fn work(grading: &mut Grading) -> Result<bool, JsValue> {
    let deadline = js_sys::Date::now() + SLICE_MS;
    let gate = grading.gate.clone();
    let salt = grading.salt;
    while js_sys::Date::now() < deadline {
        if let Some((run, index, _)) = grading.opening.as_mut() {
            let index = *index;
            if run.step(64) {
                let (run, _, block) = grading.opening.take().expect("a run in progress");
                if let Some((secret, key)) = gate.open_box(block, run) {
                    return passed(grading, &secret, &key).map(|()| false);
                }
            } else {
                // A thousandth-slice of the bar per subset: the subsets before, then this run.
                let done = run.done_blocks() * 1000 / run.total_blocks().max(1);
                let subsets =
                    sabaq_quiz::gate::subsets(gate.questions.len(), usize::from(gate.threshold))
                        as usize;
                grading.bar.set_attribute("max", &int(subsets * 1000))?;
                grading
                    .bar
                    .set_attribute("value", &int(index * 1000 + done))?;
            }
        } else if let Some(to_open) = grading.search.next_box() {
            let run = gate.start_box(&salt, to_open.index, &to_open.subset, &to_open.keys);
            grading.opening = Some((run, to_open.index, to_open.block));
        } else {
            return finish(grading, ".quiz-not-passed").map(|()| false);
        }
    }
    Ok(true)
}

/// Ends a grading by revealing one outcome (and reading it out), giving the form back.
fn finish(grading: &Grading, outcome: &str) -> Result<(), JsValue> {
    grading.body.remove_attribute("disabled")?;
    show_only(&grading.section, outcome)?;
    if let Some(result) = grading.section.query_selector(outcome)? {
        focus(&result);
    }
    Ok(())
}

/// The module secret is unlocked: mark every question (from the secret and the answers alone:
/// the page holds no list of accepted answers), open the explanations with the gate key the
/// Argon2id run gave, make the code, keep it.
fn passed(grading: &Grading, secret: &[u8; 16], gate_key: &[u8; 32]) -> Result<(), JsValue> {
    let section = &grading.section;
    let questions = select_all(section, "fieldset.question")?;
    let marks = grading.gate.marks(gate_key, &grading.candidates);
    let mut right = 0;
    for (q, question) in questions.iter().enumerate() {
        let is_right = marks.get(q).copied().unwrap_or(false);
        let mut html = escape(&text(section, if is_right { "right" } else { "wrong" }));
        if let Some(value) = question.get_attribute("data-explanation") {
            let key = sealed::key(gate_key, Purpose::AssessmentExplanation, q, 0);
            html.push_str(&open(&key, &value));
        }
        set_state(
            question,
            "question",
            Some(if is_right { "is-right" } else { "is-wrong" }),
        )?;
        if let Some(feedback) = question.query_selector(".feedback")? {
            feedback.set_inner_html(&html);
        }
        right += usize::from(is_right);
    }
    let total = questions.len().max(1);
    let score = (right * 100 + total / 2) / total;
    let number = |name: &str| -> u8 {
        number(section, name)
            .and_then(|n| u8::try_from(n).ok())
            .unwrap_or(0)
    };
    let course = attribute(section, "data-course")?;
    let fields = Fields {
        version: number("data-version"),
        epoch: number("data-epoch"),
        module: number("data-module"),
        day: code::day_number((js_sys::Date::now() / 86_400_000.0) as u32),
        score: score as u8,
    };
    let made = Code {
        fields,
        tag: code::tag(secret, &course, &grading.learner, &fields),
    };
    let code_text = made.to_text();
    fill_outcome(grading, &made, &code_text, [right, total, score])?;
    finish(grading, ".quiz-passed")?;
    let learner = normalize_learner(&grading.learner);
    let symbols: String = code_text.chars().filter(|&c| c != '-').collect();
    let mut result = int(right);
    result.push('/');
    result.push_str(&int(total));
    progress::record_code(
        &course,
        &attribute(section, "data-quiz")?,
        &result,
        &symbols,
        if is_learner(&learner) { &learner } else { "" },
    );
    Ok(())
}

/// Fills in the pass the generator wrote: the score, the code, its digits, and the addresses
/// of the links that send the code (their `data-send` plus the message, URL-encoded).
fn fill_outcome(
    grading: &Grading,
    made: &Code,
    code_text: &str,
    [right, total, score]: [usize; 3],
) -> Result<(), JsValue> {
    let section = &grading.section;
    let passed = section
        .query_selector(".quiz-passed")?
        .ok_or_else(|| JsValue::from_str("sabaq: an assessment without its pass"))?;
    let line = |selector: &str, text: &str| -> Result<(), JsValue> {
        if let Some(element) = passed.query_selector(selector)? {
            element.set_text_content(Some(text));
        }
        Ok(())
    };
    line(
        ".quiz-score",
        &fill(
            &attribute(&passed, "data-t-score")?,
            &[
                ("right", &int(right)),
                ("total", &int(total)),
                ("score", &int(score)),
            ],
        ),
    )?;
    line(".code", code_text)?;
    line(".code-digits", &made.to_digits())?;
    let message = fill(
        &text(section, "message"),
        &[("code", code_text), ("learner", &grading.learner)],
    );
    let encoded: String = js_sys::encode_uri_component(&message).into();
    for link in select_all(&passed, "a[data-send]")? {
        let mut href = attribute(&link, "data-send")?;
        href.push_str(&encoded);
        link.set_attribute("href", &href)?;
    }
    Ok(())
}
