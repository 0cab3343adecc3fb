//! Practice quizzes: instant feedback per question. Reads each question's response from the
//! form, checks it against the page key, announces right or wrong (an `aria-live` region per
//! question and a summary that takes focus), opens the explanation of a right answer and the
//! feedback of a picked option. The learner may change answers and check again, or start a
//! new attempt: a fresh draw of questions (`data-draw`) and a fresh order of options
//! (`data-shuffle`). A fully answered attempt goes into the learner's progress.

use alloc::vec;

use sabaq_quiz::key::{QuestionKey, check, option_key, push_int};
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event};

use crate::dom::{
    attribute, clear_marks, escape, fill, focus, int, number, on, open, random_order, report,
    salt_of, select_all, set_hidden, set_state, small_number, text,
};
use crate::progress;
use crate::response::{input_value, read_response};

/// Enables one practice quiz: starts an attempt, checks it on every submit, and starts a new
/// attempt when the learner presses "Start again" (the form's reset button).
pub fn hydrate(section: &Element) -> Result<(), JsValue> {
    let salt = salt_of(section)?;
    for note in select_all(section, ".quiz-nojs")? {
        set_hidden(&note, true)?;
    }
    for body in select_all(section, ".quiz-body")? {
        body.remove_attribute("disabled")?;
    }
    let form = section
        .query_selector("form")?
        .ok_or_else(|| JsValue::from_str("sabaq: a quiz without a form"))?;
    let summary = section
        .query_selector(".quiz-summary")?
        .ok_or_else(|| JsValue::from_str("sabaq: a quiz without its summary"))?;
    new_attempt(section)?;

    let (quiz, out) = (section.clone(), summary.clone());
    on(&form, "submit", move |event: Event| {
        event.prevent_default();
        report(grade(&quiz, &salt, &out));
    })?;
    let quiz = section.clone();
    on(&form, "reset", move |_| {
        report(clear(&quiz, &summary).and_then(|()| new_attempt(&quiz)));
    })
}

/// Draws this attempt's questions (all of them unless the quiz says `draw`) and shuffles the
/// options of the questions that allow it.
fn new_attempt(section: &Element) -> Result<(), JsValue> {
    let questions = select_all(section, "fieldset.question")?;
    let draw = number(section, "data-draw");
    let mut shown = vec![draw.is_none(); questions.len()];
    if let Some(k) = draw {
        for &i in random_order(questions.len()).iter().take(k) {
            shown[i] = true;
        }
    }
    let label = text(section, "question");
    let mut number = 0;
    for (question, &shown) in questions.iter().zip(&shown) {
        set_hidden(question, !shown)?;
        // A hidden question's inputs leave the form and the tab order.
        if shown {
            question.remove_attribute("disabled")?;
            number += 1;
        } else {
            question.set_attribute("disabled", "")?;
        }
        if draw.is_some()
            && let Some(legend) = question.query_selector("legend")?
        {
            let mut title = label.clone();
            title.push(' ');
            push_int(&mut title, number as i64);
            legend.set_text_content(Some(&title));
        }
        if question.has_attribute("data-shuffle") {
            shuffle(question)?;
        }
    }
    Ok(())
}

/// Puts a question's options in a fresh random order. Inputs keep their values, so grading
/// does not depend on where an option stands.
fn shuffle(question: &Element) -> Result<(), JsValue> {
    let options = select_all(question, ".option")?;
    if let Some(last) = options.last() {
        let after = last.next_sibling();
        let order = random_order(options.len());
        for &i in &order {
            question.insert_before(&options[i], after.as_ref())?;
        }
        return Ok(());
    }
    if let Some(list) = question.query_selector("ol.order")? {
        let items = select_all(&list, "li")?;
        for i in random_order(items.len()) {
            list.append_child(&items[i])?;
        }
        return Ok(());
    }
    // Match: every left-hand item offers the same choices, in one new order.
    let selects = select_all(question, "select")?;
    let count = selects
        .first()
        .map_or(0, |s| s.child_element_count() as usize);
    let order = random_order(count.saturating_sub(1));
    for select in &selects {
        let choices = select_all(select, "option[value]:not([value=\"\"])")?;
        for &i in &order {
            if let Some(choice) = choices.get(i) {
                select.append_child(choice)?;
            }
        }
    }
    Ok(())
}

/// Clears the marks and messages of the last attempt.
fn clear(section: &Element, summary: &Element) -> Result<(), JsValue> {
    clear_marks(section)?;
    summary.set_text_content(None);
    Ok(())
}

/// Checks every question of this attempt, shows the results, moves focus to the summary and,
/// once every question is answered, keeps the result in the learner's progress.
fn grade(section: &Element, salt: &[u8; 16], summary: &Element) -> Result<(), JsValue> {
    let mut right = 0;
    let mut total = 0;
    let mut answered = 0;
    // The index in the page, not among the shown questions: keys are made per page index.
    for (index, question) in select_all(section, "fieldset.question")?.iter().enumerate() {
        if question.has_attribute("hidden") {
            continue;
        }
        total += 1;
        let key = QuestionKey::decode(&attribute(question, "data-key")?)
            .ok_or_else(|| JsValue::from_str("sabaq: a malformed answer key"))?;
        let feedback = question
            .query_selector(".feedback")?
            .ok_or_else(|| JsValue::from_str("sabaq: a question without feedback"))?;
        set_state(question, "question", None)?;
        let Some(response) = read_response(question)? else {
            feedback.set_text_content(Some(&text(section, "unanswered")));
            continue;
        };
        answered += 1;
        match check(salt, index, &key, &response) {
            Some(opening) => {
                right += 1;
                set_state(question, "question", Some("is-right"))?;
                let mut html = escape(&text(section, "right"));
                if let Some(sealed) = question.get_attribute("data-explanation") {
                    html.push_str(&open(&opening, &sealed));
                }
                feedback.set_inner_html(&html);
            }
            None => {
                set_state(question, "question", Some("is-wrong"))?;
                let mut html = escape(&text(section, "wrong"));
                for picked in select_all(question, "input:checked[data-feedback]")? {
                    let position = match input_value(&picked).as_str() {
                        "true" => 0,
                        "false" => 1,
                        v => small_number(v).unwrap_or(usize::MAX),
                    };
                    let sealed = attribute(&picked, "data-feedback")?;
                    html.push_str(&open(&option_key(salt, index, position), &sealed));
                }
                feedback.set_inner_html(&html);
            }
        }
    }
    if answered == total {
        let pass = number(section, "data-pass").unwrap_or(total);
        progress::record(
            &attribute(section, "data-course")?,
            &attribute(section, "data-quiz")?,
            right,
            total,
            right >= pass,
        );
    }
    let message = fill(
        &text(section, "summary"),
        &[("right", &int(right)), ("total", &int(total))],
    );
    summary.set_text_content(Some(&message));
    focus(summary);
    Ok(())
}
