//! `sabaq verify`: reads the codes (arguments or a CSV file), verifies each against the course
//! and the key, records valid ones in the ledger, and prints one line per code (or one JSON
//! object per code) and then each learner's standing in the course's credentials. A bad row
//! never stops the rest of the batch.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result, bail};
use sabaq::dates;
use sabaq::diag::display_path;
use sabaq::keys::Key;
use sabaq::load::load_site;
use sabaq::model::Course;
use sabaq::verify::{Ledger, Outcome, read_csv, verify};
use sabaq_quiz::code::normalize_learner;

pub struct Request<'a> {
    pub course: &'a str,
    pub courses: &'a Path,
    pub learner: Option<&'a str>,
    pub codes: &'a [String],
    pub csv: Option<&'a Path>,
    pub key: &'a Path,
    pub ledger: &'a Path,
    pub json: bool,
}

/// Runs the command; `Ok(true)` when every code verified.
pub fn run(request: Request) -> Result<bool> {
    let key = Key::load(request.key)?;
    let course = find_course(request.course, request.courses)?;
    let (mut ledger, warnings) = Ledger::open(request.ledger)?;
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    let today = dates::today();
    // (where, learner, code) for each submission; garbled CSV rows are reported as found.
    let mut submissions: Vec<(String, String, String)> = Vec::new();
    let mut all_good = true;
    if let Some(csv) = request.csv {
        let text = std::fs::read_to_string(csv)
            .with_context(|| format!("cannot read {}", display_path(csv)))?;
        for row in read_csv(&text) {
            match row {
                Ok(row) => submissions.push((
                    format!("{}:{}", display_path(csv), row.line),
                    row.learner,
                    row.code,
                )),
                Err((line, reason)) => {
                    all_good = false;
                    let at = format!("{}:{line}", display_path(csv));
                    if request.json {
                        println!(
                            "{}",
                            serde_json::json!({"at": at, "status": "garbled-row", "reason": reason})
                        );
                    } else {
                        println!("{at}: garbled row: {reason}");
                    }
                }
            }
        }
    } else {
        let learner = request.learner.unwrap_or_default();
        for code in request.codes {
            submissions.push(("argument".to_string(), learner.to_string(), code.clone()));
        }
    }
    let mut learners = BTreeSet::new();
    for (at, learner, text) in submissions {
        let outcome = verify(&key, &course, &learner, &text, today);
        let recorded = match outcome.pass() {
            Some(pass) => {
                learners.insert(pass.learner.clone());
                match ledger.recorded(pass) {
                    Some(entry) => format!("already recorded on {}", entry.verified),
                    None => {
                        ledger.record(pass, today)?;
                        "recorded now".to_string()
                    }
                }
            }
            None => {
                all_good = false;
                String::new()
            }
        };
        if request.json {
            let mut object = serde_json::to_value(&outcome)?;
            object["at"] = at.into();
            object["learner"] = normalize_learner(&learner).into();
            object["input"] = text.into();
            if !recorded.is_empty() {
                object["ledger"] = recorded.into();
            }
            println!("{object}");
        } else {
            let mut line = format!(
                "{text}  learner {}: {}",
                normalize_learner(&learner),
                outcome.describe()
            );
            if !recorded.is_empty() {
                line.push_str(&format!(" ({recorded})"));
            }
            if at != "argument" {
                line = format!("{at}: {line}");
            }
            println!("{line}");
        }
        if matches!(outcome, Outcome::WrongTag) {
            // The most common cause is a mistyped learner id, not forgery.
            eprintln!(
                "note: a wrong tag usually means the learner id differs from the one typed before the assessment"
            );
        }
    }
    if !request.json {
        for learner in &learners {
            print_standing(&course, &ledger, learner);
        }
    }
    Ok(all_good)
}

/// Each credential of the course for one learner: which modules are verified, and when.
fn print_standing(course: &Course, ledger: &Ledger, learner: &str) {
    let passes = ledger.passes(&course.id, learner);
    for credential in &course.credentials {
        let parts: Vec<String> = credential
            .modules
            .iter()
            .map(|slug| {
                match passes
                    .iter()
                    .filter(|e| &e.pass.module == slug)
                    .map(|e| e.verified.as_str())
                    .min()
                {
                    Some(date) => format!("{slug} verified {date}"),
                    None => format!("{slug} missing"),
                }
            })
            .collect();
        let done = parts.iter().filter(|p| !p.ends_with("missing")).count();
        println!(
            "learner {learner}: {} ({}): {done} of {} modules: {}",
            credential.title,
            credential.id,
            credential.modules.len(),
            parts.join(", ")
        );
    }
}

/// The course named by `name`: a course folder, or a course id among `courses`.
pub fn find_course(name: &str, courses: &Path) -> Result<Course> {
    let as_path = Path::new(name);
    let (site, _) = if as_path.join("course.yaml").is_file() {
        load_site(as_path)
    } else {
        load_site(courses)
    };
    if let Some(course) = site
        .courses
        .iter()
        .find(|c| c.id == name || as_path.join("course.yaml").is_file())
    {
        if course.modules.is_empty() {
            bail!("course `{}` has no modules to verify against", course.id);
        }
        return Ok(course.clone());
    }
    bail!(
        "no course `{name}`: give a course folder, or a course id among the courses in {} (--courses)",
        display_path(courses)
    )
}
