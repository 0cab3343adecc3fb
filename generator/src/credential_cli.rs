//! `sabaq issue` and `sabaq verify-credential`: an Open Badges 3.0 credential for a learner whose
//! verified passes cover a course credential (each pass checked again with the key first, and
//! the credential recorded in the ledger), and the offline check of one.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sabaq::badge::{self, Award};
use sabaq::diag::{display_path, escape_controls as shown};
use sabaq::keys::{self, Key};
use sabaq::ledger::Issued;
use sabaq::verify::{Entry, recheck};
use sabaq_quiz::code::normalize_learner;

use crate::ledger_cli::open_ledger;
use crate::verify_cli::find_course;

pub struct IssueRequest<'a> {
    pub course: &'a str,
    pub courses: &'a Path,
    pub learner: &'a str,
    pub credential: &'a str,
    pub name: Option<&'a str>,
    pub key: &'a Path,
    pub ledger: &'a Path,
    pub out: Option<&'a Path>,
}

/// Issues one credential; `Ok(false)` when the ledger does not cover it yet.
pub fn issue(request: IssueRequest) -> Result<bool> {
    let key = Key::load(request.key)?;
    let course = find_course(request.course, request.courses)?;
    let Some(credential) = course
        .credentials
        .iter()
        .find(|c| c.id == request.credential)
    else {
        bail!(
            "course `{}` has no credential `{}`; its credentials: {}",
            course.id,
            request.credential,
            course
                .credentials
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let ledger = open_ledger(request.ledger)?;
    let learner = normalize_learner(request.learner);
    let passes = ledger.passes(&course.id, &learner)?;
    let relied: Vec<&Entry> = passes
        .iter()
        .filter(|e| credential.modules.contains(&e.pass.module))
        .collect();
    let missing = badge::missing_modules(credential, &relied);
    if !missing.is_empty() {
        eprintln!(
            "learner {} has {} of the {} modules of {} ({}) in {}; missing: {}. Verify their codes with `sabaq verify` first.",
            shown(&learner),
            credential.modules.len() - missing.len(),
            credential.modules.len(),
            credential.title,
            credential.id,
            display_path(request.ledger),
            missing.join(", ")
        );
        return Ok(false);
    }
    // Every record the credential relies on is checked again with the key: the database is a
    // file that anything can write to, and only a code proves a pass.
    let today = sabaq::dates::today();
    let refused: Vec<String> = relied
        .iter()
        .filter_map(|entry| {
            recheck(&key, &course, entry, today).err().map(|why| {
                format!(
                    "{}: the record of module {} for learner {} (code {}, verified {}) does not verify: {why}",
                    display_path(request.ledger),
                    entry.pass.module,
                    entry.pass.learner,
                    entry.pass.code,
                    entry.verified
                )
            })
        })
        .collect();
    if !refused.is_empty() {
        for line in &refused {
            eprintln!("error: {}", shown(line));
        }
        eprintln!(
            "nothing was issued: `sabaq verify` records only codes that verify with {}, so these records were written by something else, or their epoch was revoked since. Ask the learner for the codes and verify them again.",
            display_path(request.key)
        );
        return Ok(false);
    }
    let award = Award {
        course: &course,
        credential,
        learner: &learner,
        name: request.name,
        passes: &relied,
    };
    let signed = award.issue(&key.signing_key())?;
    let out = match request.out {
        Some(out) => out.to_path_buf(),
        None => PathBuf::from(format!(
            "{}-{}.json",
            file_safe(&credential.id),
            file_safe(&learner)
        )),
    };
    let mut text = serde_json::to_string_pretty(&signed)?;
    text.push('\n');
    write_new(&out, &text)?;
    ledger.record_issued(&Issued {
        credential_id: signed.id.clone(),
        course: course.id.clone(),
        credential: credential.id.clone(),
        learner: learner.clone(),
        issuer: signed.issuer.id.clone(),
        issued: signed.valid_from.clone(),
        file: display_path(&out),
    })?;
    println!(
        "issued {} ({}) to learner {} as {}, signed by {}",
        credential.title,
        credential.id,
        shown(&learner),
        display_path(&out),
        signed.issuer.id
    );
    Ok(true)
}

/// Writes `text` to a file that must not exist yet, all at once (a temporary file renamed into
/// place), so a crash never leaves half a credential and nothing is replaced.
fn write_new(path: &Path, text: &str) -> Result<()> {
    if path.exists() {
        bail!(
            "{} exists already; give another --out, or move it away first",
            display_path(path)
        );
    }
    keys::write_private_file(path, text.as_bytes(), false)
}

/// A learner id (or a credential id) as part of a file name.
fn file_safe(learner: &str) -> String {
    learner
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub struct CheckRequest<'a> {
    pub file: &'a Path,
    pub learner: Option<&'a str>,
    pub key: Option<&'a Path>,
}

/// Checks one credential offline; `Ok(false)` when it is not valid, or not for this learner or
/// this key.
pub fn verify_credential(request: CheckRequest) -> Result<bool> {
    let text = std::fs::read_to_string(request.file)
        .with_context(|| format!("cannot read {}", display_path(request.file)))?;
    let where_ = display_path(request.file);
    let checked = match badge::check(&text) {
        Ok(checked) => checked,
        Err(e) => {
            println!("{where_}: not valid: {e:#}");
            return Ok(false);
        }
    };
    let c = &checked.credential;
    let subject = &c.credential_subject;
    // What the credential says is shown with control characters escaped: a signed text
    // could otherwise move the cursor or hide the verdict lines below it.
    println!(
        "{where_}: valid Open Badges 3.0 credential, eddsa-rdfc-2022 proof by {}",
        checked.issuer
    );
    println!(
        "  credential: {} ({})",
        shown(&c.name),
        shown(&subject.achievement.description)
    );
    println!(
        "  issuer: {}, valid from {}",
        shown(&c.issuer.name),
        shown(&c.valid_from)
    );
    if let Some(name) = checked.name() {
        println!("  learner's name: {}", shown(name));
    }
    for evidence in &c.evidence {
        println!(
            "  {}: {}",
            shown(&evidence.name),
            shown(&evidence.narrative)
        );
    }
    let mut good = true;
    let now = sabaq::dates::now_timestamp();
    // Both in the form Sabaq writes (`YYYY-MM-DDThh:mm:ssZ`), so they compare as text.
    if c.valid_from.len() == now.len() && c.valid_from > now {
        println!("  NOT valid yet: valid from {}", shown(&c.valid_from));
        good = false;
    }
    match request.learner {
        Some(learner) if checked.is_for(learner) => {
            println!("  learner: issued to {}", normalize_learner(learner));
        }
        Some(learner) => {
            println!("  learner: NOT issued to {}", normalize_learner(learner));
            good = false;
        }
        None => println!("  learner: not checked (give --learner to check the id)"),
    }
    if let Some(path) = request.key {
        let key = Key::load(path)?;
        let ours = key.issuer_did();
        if ours == checked.issuer {
            println!("  signer: the key in {}", display_path(path));
        } else {
            println!(
                "  signer: NOT the key in {} (that key is {ours})",
                display_path(path)
            );
            good = false;
        }
    } else {
        println!(
            "  signer: not compared with a key file; a did:key proves the credential is intact, not who holds the key"
        );
    }
    Ok(good)
}
