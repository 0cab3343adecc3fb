//! The learner's progress in this browser: quiz pages record finished attempts, and the
//! "My progress" page lists them per course, resets a course, and moves progress between
//! phones as a short text. Stored under one `localStorage` key; data that does not decode
//! (damaged, or written by something else) counts as no progress and is replaced on the next
//! save. Nothing leaves the device.

use sabaq_quiz::progress::{Progress, Record};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlTextAreaElement, Storage};

use crate::dom::{fill, on, report, select_all, set_hidden, text};

/// The `localStorage` key.
const KEY: &str = "sabaq-progress";

/// The browser's storage, if the learner's settings allow it.
fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load() -> Progress {
    storage()
        .and_then(|s| s.get_item(KEY).ok()?)
        .and_then(|text| Progress::decode(&text))
        .unwrap_or_default()
}

/// Saves `progress`; false when the browser refuses (private mode, full, turned off).
fn save(progress: &Progress) -> bool {
    storage().is_some_and(|s| s.set_item(KEY, &progress.encode()).is_ok())
}

/// Keeps a finished attempt (its best result is what counts).
pub fn record(course: &str, quiz: &str, right: usize, total: usize, passed: bool) {
    let mut progress = load();
    let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    progress.record(
        course,
        quiz,
        Record {
            best: clamp(right),
            total: clamp(total),
            passed,
        },
    );
    save(&progress);
}

/// Takes over the "My progress" page (`#sabaq-progress`).
pub fn hydrate(page: &Element) -> Result<(), JsValue> {
    let document = crate::dom::document()?;
    for note in select_all(&document, ".quiz-nojs")? {
        set_hidden(&note, true)?;
    }
    for section in select_all(page, ".progress-course")? {
        let Some(button) = section.query_selector(".progress-reset")? else {
            continue;
        };
        if let Some(holder) = button.parent_element() {
            set_hidden(&holder, false)?;
        }
        let (page_, section_) = (page.clone(), section.clone());
        on(&button, "click", move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(&text(&section_, "reset-confirm"))
                        .ok()
                })
                .unwrap_or(false);
            if confirmed && let Some(course) = section_.get_attribute("data-course") {
                let mut progress = load();
                progress.reset_course(&course);
                save(&progress);
                report(show(&page_, &progress));
            }
        })?;
    }
    if let Some(moving) = page.query_selector(".progress-move")? {
        set_hidden(&moving, false)?;
    }
    if let Some(button) = page.query_selector("#progress-import-button")? {
        let page_ = page.clone();
        on(&button, "click", move |_| report(import(&page_)))?;
    }
    let progress = load();
    show(page, &progress)?;
    // Say so when nothing can be kept, rather than losing results silently.
    if !save(&progress) {
        message(page, &text(page, "storage"))?;
    }
    Ok(())
}

/// Fills in every course's list and the export text.
fn show(page: &Element, progress: &Progress) -> Result<(), JsValue> {
    for section in select_all(page, ".progress-course")? {
        let course = section.get_attribute("data-course").unwrap_or_default();
        let (mut passed, mut total) = (0, 0);
        for item in select_all(&section, "li[data-quiz]")? {
            total += 1;
            let quiz = item.get_attribute("data-quiz").unwrap_or_default();
            let record = progress.get(&course, &quiz);
            let status = match record {
                None => text(&section, "untried"),
                Some(r) => {
                    let mut status = fill(
                        &text(&section, "best"),
                        &[
                            ("right", usize::from(r.best)),
                            ("total", usize::from(r.total)),
                        ],
                    );
                    if r.passed {
                        passed += 1;
                        status.push_str(" · ");
                        status.push_str(&text(&section, "passed"));
                    }
                    status
                }
            };
            item.class_list()
                .toggle_with_force("is-passed", record.is_some_and(|r| r.passed))?;
            if let Some(span) = item.query_selector(".progress-status")? {
                span.set_text_content(Some(&status));
            }
        }
        if let Some(summary) = section.query_selector(".progress-summary")? {
            let line = fill(
                &text(&section, "course-summary"),
                &[("passed", passed), ("total", total)],
            );
            summary.set_text_content(Some(&line));
        }
    }
    if let Some(export) = textarea(page, "#progress-export")? {
        export.set_value(&progress.encode());
    }
    Ok(())
}

/// Adds the progress pasted into the import box, or says why it cannot.
fn import(page: &Element) -> Result<(), JsValue> {
    let Some(input) = textarea(page, "#progress-import")? else {
        return Ok(());
    };
    match Progress::decode(&input.value()) {
        Some(incoming) => {
            let mut progress = load();
            let count = progress.merge(&incoming);
            if save(&progress) {
                input.set_value("");
                message(page, &fill(&text(page, "imported"), &[("count", count)]))?;
            } else {
                message(page, &text(page, "storage"))?;
            }
            show(page, &progress)
        }
        None => message(page, &text(page, "bad-import")),
    }
}

fn message(page: &Element, line: &str) -> Result<(), JsValue> {
    if let Some(out) = page.query_selector("#progress-message")? {
        out.set_text_content(Some(line));
    }
    Ok(())
}

fn textarea(page: &Element, selector: &str) -> Result<Option<HtmlTextAreaElement>, JsValue> {
    Ok(page
        .query_selector(selector)?
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok()))
}
