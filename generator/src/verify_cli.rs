//! `sabaq verify`: reads the codes (arguments or a CSV file), verifies each against the course
//! and the key, records valid ones in the ledger (a thousand at a time, each thousand in one
//! transaction), and prints one line per code (or one JSON object per code) and then each
//! learner's standing in the course's credentials. A bad row never stops the rest of the batch;
//! a closed standard output (`| head -1`) stops the printing, never the verifying and
//! recording; what a row holds is printed with its control characters escaped.

use std::collections::BTreeSet;
use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use sabaq::dates;
use sabaq::diag::{display_path, escape_controls};
use sabaq::keys::Key;
use sabaq::ledger::{Ledger, Recorded};
use sabaq::load::load_site;
use sabaq::model::Course;
use sabaq::verify::{Outcome, Pass, read_csv, verify};
use sabaq_quiz::code::normalize_learner;

use crate::ledger_cli::open_ledger;

/// Codes verified, then recorded in one transaction, then printed, at a time.
const CHUNK: usize = 1000;
/// Batches of at least this many codes show their progress on stderr.
const PROGRESS_FROM: usize = 1000;

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

/// One code to verify: where it came from, for whom, and the code as typed.
struct Submission {
    at: Option<String>,
    learner: String,
    text: String,
}

/// Runs the command; `Ok(true)` when every code verified.
pub fn run(request: Request) -> Result<bool> {
    let key = Key::load(request.key)?;
    let course = find_course(request.course, request.courses)?;
    let mut ledger = open_ledger(request.ledger)?;
    let today = dates::today();
    let mut out = Output::new();
    let mut submissions = Vec::new();
    let mut all_good = true;
    if let Some(csv) = request.csv {
        let bytes =
            std::fs::read(csv).with_context(|| format!("cannot read {}", display_path(csv)))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            anyhow::anyhow!(
                "{}:{line}: not UTF-8 text; save the file as UTF-8 and verify it again",
                display_path(csv)
            )
        })?;
        for row in read_csv(text) {
            match row {
                Ok(row) => submissions.push(Submission {
                    at: Some(format!("{}:{}", display_path(csv), row.line)),
                    learner: row.learner,
                    text: row.code,
                }),
                Err((line, reason)) => {
                    all_good = false;
                    let at = format!("{}:{line}", display_path(csv));
                    if request.json {
                        out.json(&serde_json::json!({"at": at, "status": "garbled-row", "reason": reason}))?;
                    } else {
                        out.line(&format!("{at}: garbled row: {reason}"))?;
                    }
                }
            }
        }
    } else {
        let learner = request.learner.unwrap_or_default();
        for code in request.codes {
            submissions.push(Submission {
                at: None,
                learner: learner.to_string(),
                text: code.clone(),
            });
        }
    }
    let mut progress = Progress::new(submissions.len());
    let mut learners = BTreeSet::new();
    let mut wrong_tags = 0;
    for chunk in submissions.chunks(CHUNK) {
        let outcomes: Vec<Outcome> = chunk
            .iter()
            .map(|s| verify(&key, &course, &s.learner, &s.text, today))
            .collect();
        let passes: Vec<&Pass> = outcomes.iter().filter_map(Outcome::pass).collect();
        let mut recorded = ledger.record_batch(&passes, today)?.into_iter();
        for (submission, outcome) in chunk.iter().zip(&outcomes) {
            let recorded = match outcome.pass() {
                Some(pass) => {
                    learners.insert(pass.learner.clone());
                    let answer = recorded.next().expect("one answer per pass");
                    if answer == Recorded::Now {
                        progress.recorded += 1;
                    }
                    Some(match answer {
                        Recorded::Now => "recorded now".to_string(),
                        Recorded::Already(day) => format!("already recorded on {day}"),
                    })
                }
                None => {
                    all_good = false;
                    None
                }
            };
            if matches!(outcome, Outcome::WrongTag) {
                wrong_tags += 1;
            }
            print_outcome(&mut out, request.json, submission, outcome, recorded)?;
        }
        out.flush()?;
        progress.advance(chunk.len());
    }
    progress.finish();
    if wrong_tags > 0 {
        // The most common cause is a mistyped learner id, not forgery.
        eprintln!(
            "note: a wrong tag usually means the learner id differs from the one typed before the assessment"
        );
    }
    if !request.json {
        for learner in &learners {
            print_standing(&mut out, &course, &ledger, learner)?;
        }
    }
    out.flush()?;
    Ok(all_good)
}

/// The answer for one code: a line for people, or a JSON object.
fn print_outcome(
    out: &mut Output,
    json: bool,
    submission: &Submission,
    outcome: &Outcome,
    recorded: Option<String>,
) -> Result<()> {
    let learner = normalize_learner(&submission.learner);
    if json {
        let mut object = serde_json::to_value(outcome)?;
        object["at"] = submission.at.as_deref().unwrap_or("argument").into();
        object["learner"] = learner.into();
        object["input"] = submission.text.as_str().into();
        if let Some(recorded) = recorded {
            object["ledger"] = recorded.into();
        }
        return out.json(&object);
    }
    let mut line = format!(
        "{}  learner {learner}: {}",
        submission.text,
        outcome.describe()
    );
    if let Some(recorded) = recorded {
        line.push_str(&format!(" ({recorded})"));
    }
    if let Some(at) = &submission.at {
        line = format!("{at}: {line}");
    }
    out.line(&line)
}

/// Each credential of the course for one learner: which modules are verified, and when.
fn print_standing(out: &mut Output, course: &Course, ledger: &Ledger, learner: &str) -> Result<()> {
    let passes = ledger.passes(&course.id, learner)?;
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
        out.line(&format!(
            "learner {learner}: {} ({}): {done} of {} modules: {}",
            credential.title,
            credential.id,
            credential.modules.len(),
            parts.join(", ")
        ))?;
    }
    Ok(())
}

/// Standard output, buffered, every line with its control characters escaped. Once the reader
/// has gone (`sabaq verify ... | head -1`) it prints nothing more, and the batch goes on.
struct Output {
    out: BufWriter<Stdout>,
    closed: bool,
}

impl Output {
    fn new() -> Output {
        Output {
            out: BufWriter::new(io::stdout()),
            closed: false,
        }
    }

    fn line(&mut self, text: &str) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        let text = escape_controls(text);
        let result = writeln!(self.out, "{text}");
        self.check(result)
    }

    /// One JSON object on a line. serde_json escapes the C0 controls in strings; DEL and the C1
    /// controls (one of which starts a terminal command) are escaped here, as `\u` escapes,
    /// which JSON reads back as the same characters.
    fn json(&mut self, value: &serde_json::Value) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        let text: String = value
            .to_string()
            .chars()
            .map(|c| {
                if c.is_control() {
                    format!("\\u{:04x}", u32::from(c))
                } else {
                    c.to_string()
                }
            })
            .collect();
        let result = writeln!(self.out, "{text}");
        self.check(result)
    }

    fn flush(&mut self) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.out.flush();
        self.check(result)
    }

    fn check(&mut self, result: io::Result<()>) -> Result<()> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                // What is still buffered has nowhere to go.
                self.out = BufWriter::new(io::stdout());
                Ok(())
            }
            Err(e) if !self.closed => Err(e).context("cannot write to standard output"),
            _ => Ok(()),
        }
    }
}

/// How far a big batch has got, on stderr: rewritten in place on a terminal, otherwise a line
/// at each tenth.
struct Progress {
    total: usize,
    done: usize,
    recorded: usize,
    shown_tenths: usize,
    terminal: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            recorded: 0,
            shown_tenths: 0,
            terminal: io::stderr().is_terminal(),
        }
    }

    fn advance(&mut self, rows: usize) {
        self.done += rows;
        if self.total < PROGRESS_FROM {
            return;
        }
        let line = format!(
            "progress: {} of {} codes verified, {} recorded now",
            self.done, self.total, self.recorded
        );
        if self.terminal {
            eprint!("\r{line}");
        } else {
            let tenths = self.done * 10 / self.total;
            if tenths > self.shown_tenths {
                self.shown_tenths = tenths;
                eprintln!("{line}");
            }
        }
    }

    fn finish(&self) {
        if self.terminal && self.total >= PROGRESS_FROM {
            eprintln!();
        }
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
