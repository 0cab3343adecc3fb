//! The learner's progress in this browser: quiz pages record finished attempts, and the
//! "My progress" page lists them per course, resets a course, and moves progress between
//! phones as a short text. Stored under one `localStorage` key; data that does not decode
//! (damaged, or written by something else) counts as no progress and is replaced on the next
//! save. Nothing leaves the device.
// Each engine build uses its own part of this module.
#![allow(dead_code)]

use alloc::string::String;
use alloc::vec::Vec;

use sabaq_quiz::progress::{Earned, Progress, Record};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::dom::{
    confirm, fill, int, on, report, select_all, select_all_in, set_hidden, set_state, set_value,
    small_number, storage_get, storage_remove, storage_set, text, value,
};
use crate::qr_view;

/// The `localStorage` key.
const KEY: &str = "sabaq-progress";

fn load() -> Progress {
    storage_get(KEY)
        .ok()
        .flatten()
        .and_then(|text| Progress::decode(&text))
        .unwrap_or_default()
}

/// Saves `progress`; false when the browser refuses (private mode, full, turned off) or when it
/// has grown past what can be read back, so what was stored before stays as it was.
fn save(progress: &Progress) -> bool {
    progress
        .encode_to_keep()
        .is_some_and(|text| storage_set(KEY, &text).is_ok())
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

/// Where the assessment engine leaves a completion code for the progress to take in:
/// `sabaq-earned:<course>:<quiz>` holding `best/total!CODE!learner`. A key of its own per
/// assessment, so the assessment engine writes it without reading or rewriting the progress
/// text (and carries no code for it); the "My progress" page folds these in.
const EARNED_PREFIX: &str = "sabaq-earned:";

/// Keeps a passed assessment and the completion code it gave.
pub fn record_code(course: &str, quiz: &str, result: &str, code: &str, learner: &str) {
    let key = earned_key(course, quiz);
    let mut value = String::from(result);
    for part in ["!", code, "!", learner] {
        value.push_str(part);
    }
    let _ = storage_set(&key, &value);
}

/// The key under which the assessment engine leaves the code of one quiz.
fn earned_key(course: &str, quiz: &str) -> String {
    let mut key = String::from(EARNED_PREFIX);
    for part in [course, ":", quiz] {
        key.push_str(part);
    }
    key
}

/// Folds the codes the assessment engine left for the quizzes of the "My progress" page into
/// the progress, saves it, and only then forgets those keys.
fn fold_earned(page: &Element, progress: &mut Progress) -> Result<(), JsValue> {
    let mut taken = Vec::new();
    for section in select_all(page, ".progress-course")? {
        let course = section.get_attribute("data-course").unwrap_or_default();
        for item in select_all(&section, "li[data-quiz]")? {
            let quiz = item.get_attribute("data-quiz").unwrap_or_default();
            let key = earned_key(&course, &quiz);
            let Some(value) = storage_get(&key).ok().flatten() else {
                continue;
            };
            let mut parts = value.split('!');
            let parsed = (|| {
                let (best, total) = parts.next()?.split_once('/')?;
                let record = Record {
                    best: u16::try_from(small_number(best)?).ok()?,
                    total: u16::try_from(small_number(total)?).ok()?,
                    passed: true,
                };
                Some((record, Earned::new(parts.next()?, parts.next()?)?))
            })();
            if let Some((record, earned)) = parsed {
                progress.record(&course, &quiz, record);
                progress.earn(&course, &quiz, earned);
            }
            taken.push(key);
        }
    }
    if !taken.is_empty() && save(progress) {
        for key in taken {
            let _ = storage_remove(&key);
        }
    }
    Ok(())
}

/// Takes over the "My progress" page (`#sabaq-progress`).
pub fn hydrate(page: &Element) -> Result<(), JsValue> {
    for note in select_all_in(None, ".quiz-nojs")? {
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
            let confirmed = confirm(&text(&section_, "reset-confirm"));
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
    let mut progress = load();
    fold_earned(page, &mut progress)?;
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
                            ("right", &int(usize::from(r.best))),
                            ("total", &int(usize::from(r.total))),
                        ],
                    );
                    if r.passed {
                        passed += 1;
                        status.push_str(" · ");
                        status.push_str(&text(&section, "passed"));
                    }
                    if let Some(earned) = progress.earned(&course, &quiz) {
                        status.push_str(" · ");
                        status.push_str(&fill(
                            &text(&section, "code"),
                            &[("code", &grouped(&earned.code))],
                        ));
                    }
                    status
                }
            };
            let passed_state = record.is_some_and(|r| r.passed).then_some("is-passed");
            set_state(&item, "", passed_state)?;
            if let Some(span) = item.query_selector(".progress-status")? {
                span.set_text_content(Some(&status));
            }
            if let Some(holder) = item.query_selector(".progress-qr")? {
                show_qr(&holder, progress.earned(&course, &quiz))?;
            }
        }
        show_credentials(&section, &course, progress)?;
        if let Some(summary) = section.query_selector(".progress-summary")? {
            let line = fill(
                &text(&section, "course-summary"),
                &[("passed", &int(passed)), ("total", &int(total))],
            );
            summary.set_text_content(Some(&line));
        }
    }
    if let Some(export) = textarea(page, "#progress-export")? {
        set_value(&export, &progress.encode());
    }
    Ok(())
}

/// Adds the progress pasted into the import box, or says why it cannot.
fn import(page: &Element) -> Result<(), JsValue> {
    let Some(input) = textarea(page, "#progress-import")? else {
        return Ok(());
    };
    match Progress::decode(&value(&input)) {
        Some(incoming) => {
            let mut progress = load();
            let count = progress.merge(&incoming);
            if progress.encode_to_keep().is_none() {
                // Kept together, it would no longer read back: keep what is stored.
                return message(page, &text(page, "too-much"));
            }
            if save(&progress) {
                set_value(&input, "");
                message(
                    page,
                    &fill(&text(page, "imported"), &[("count", &int(count))]),
                )?;
            } else {
                message(page, &text(page, "storage"))?;
            }
            show(page, &progress)
        }
        None => message(page, &text(page, "bad-import")),
    }
}

/// Each credential of a course: which of its modules have an earned code, and how many.
fn show_credentials(section: &Element, course: &str, progress: &Progress) -> Result<(), JsValue> {
    for credential in select_all(section, ".progress-credential")? {
        let (mut done, mut total) = (0, 0);
        for module in select_all(&credential, "li[data-assessments]")? {
            total += 1;
            let ids = module.get_attribute("data-assessments").unwrap_or_default();
            let earned = ids
                .split(' ')
                .any(|quiz| progress.earned(course, quiz).is_some());
            done += usize::from(earned);
            if let Some(status) = module.query_selector(".progress-status")? {
                let key = if earned {
                    "module-earned"
                } else {
                    "module-missing"
                };
                status.set_text_content(Some(&text(section, key)));
            }
            set_state(&module, "", earned.then_some("is-passed"))?;
        }
        if let Some(summary) = credential.query_selector(".progress-credential-summary")? {
            let line = fill(
                &text(section, "credential-summary"),
                &[("done", &int(done)), ("total", &int(total))],
            );
            summary.set_text_content(Some(&line));
        }
    }
    Ok(())
}

/// The QR code of an earned code and its learner id (what the institution's staff scan), or
/// nothing.
fn show_qr(holder: &Element, earned: Option<&Earned>) -> Result<(), JsValue> {
    let text = earned.map(|earned| qr_view::text(&grouped(&earned.code), &earned.learner));
    qr_view::show(holder, text.as_deref())
}

/// A code as `XXXX-XXXX-XXXX-XXXX`.
fn grouped(code: &str) -> String {
    let mut out = String::with_capacity(19);
    for (i, c) in code.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

fn message(page: &Element, line: &str) -> Result<(), JsValue> {
    if let Some(out) = page.query_selector("#progress-message")? {
        out.set_text_content(Some(line));
    }
    Ok(())
}

fn textarea(page: &Element, selector: &str) -> Result<Option<Element>, JsValue> {
    page.query_selector(selector)
}
