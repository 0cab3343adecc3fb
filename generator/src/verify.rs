//! Verifying completion codes for an institution: what each code says, whether it was made
//! with the institution's key for that learner, and an append-only ledger of the modules each
//! learner has passed. Submitting a code twice changes nothing; a crash part-way through a
//! batch keeps every line already written (each is flushed to disk before the next code).

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sabaq_quiz::code::{self, Code, CodeError, Repair, normalize_learner};
use serde::{Deserialize, Serialize};

use crate::dates;
use crate::keys::{Key, open_private_append};
use crate::model::Course;

/// What became of one submitted code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Outcome {
    Valid(Pass),
    /// Valid once one typo is undone.
    Repaired {
        pass: Pass,
        repair: String,
    },
    /// Not 16 symbols or 25 digits.
    Malformed {
        reason: String,
    },
    /// A character that is no code symbol, and no single fix verifies.
    BadSymbol {
        position: usize,
    },
    /// The check symbol fails and no single fix verifies.
    BadCheckSymbol,
    /// Well formed, but not made with this key for this learner and course.
    WrongTag,
    /// From a site built without the institution's key.
    Unusable,
    /// A format version this Sabaq does not know.
    UnknownVersion {
        version: u8,
    },
    UnknownEpoch {
        epoch: u8,
    },
    /// A module number the course does not have.
    UnknownModule {
        module: u8,
    },
    /// Made with an epoch the institution revoked.
    EpochRevoked {
        epoch: u8,
    },
    /// Its day is before its epoch began or after tomorrow.
    DateOutOfRange {
        day: u16,
    },
}

impl Outcome {
    pub fn pass(&self) -> Option<&Pass> {
        match self {
            Outcome::Valid(pass) | Outcome::Repaired { pass, .. } => Some(pass),
            _ => None,
        }
    }

    /// A line for people.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Valid(p) => format!(
                "valid: module {} ({}), {}%, passed {}",
                p.module_number, p.module, p.score, p.date
            ),
            Outcome::Repaired { pass: p, repair } => format!(
                "repaired ({repair}): module {} ({}), {}%, passed {}; the corrected code is {}",
                p.module_number, p.module, p.score, p.date, p.code
            ),
            Outcome::Malformed { reason } => format!("malformed: {reason}"),
            Outcome::BadSymbol { position } => format!(
                "bad symbol: character {} is not a code symbol, and no single fix gives a valid code",
                position + 1
            ),
            Outcome::BadCheckSymbol => {
                "bad check symbol: the code was mistyped, and no single fix gives a valid code"
                    .to_string()
            }
            Outcome::WrongTag => {
                "wrong tag: not a code made for this learner in this course (or it was changed)"
                    .to_string()
            }
            Outcome::Unusable => {
                "unusable: made by a site built without the institution's key".to_string()
            }
            Outcome::UnknownVersion { version } => format!("unknown code version {version}"),
            Outcome::UnknownEpoch { epoch } => format!("unknown key epoch {epoch}"),
            Outcome::UnknownModule { module } => {
                format!("the course has no module {module}")
            }
            Outcome::EpochRevoked { epoch } => format!("epoch revoked: key epoch {epoch}"),
            Outcome::DateOutOfRange { day } => format!(
                "date out of range: day {day} falls before its key epoch began or after tomorrow"
            ),
        }
    }
}

/// What a valid code proves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    pub course: String,
    /// The module's slug.
    pub module: String,
    pub module_number: u8,
    /// The normalised learner id.
    pub learner: String,
    pub score: u8,
    /// The day the code says the module was passed, `YYYY-MM-DD`.
    pub date: String,
    pub epoch: u8,
    /// The code as `XXXX-XXXX-XXXX-XXXX`.
    pub code: String,
}

/// Verifies one typed code for `learner` in `course`; `today` is days since 1970-01-01.
pub fn verify(key: &Key, course: &Course, learner: &str, text: &str, today: i64) -> Outcome {
    match Code::parse(text) {
        Ok(code) => check(key, course, learner, &code, today),
        Err(CodeError::Length(n)) => Outcome::Malformed {
            reason: format!("{n} symbols; a code has 16 symbols (or 25 digits)"),
        },
        Err(CodeError::Digits) => Outcome::Malformed {
            reason: "25 digits that are not a code".to_string(),
        },
        Err(error) => {
            let verified: Vec<(Pass, Repair)> = Code::repairs(text)
                .into_iter()
                .filter_map(|(candidate, repair)| {
                    match check(key, course, learner, &candidate, today) {
                        Outcome::Valid(pass) => Some((pass, repair)),
                        _ => None,
                    }
                })
                .collect();
            match (verified.as_slice(), error) {
                ([(pass, repair)], _) => Outcome::Repaired {
                    pass: pass.clone(),
                    repair: match repair {
                        Repair::Symbol(i) => format!("symbol {} corrected", i + 1),
                        Repair::Swap(i) => format!("symbols {} and {} swapped back", i + 1, i + 2),
                    },
                },
                (_, CodeError::Symbol(position)) => Outcome::BadSymbol { position },
                _ => Outcome::BadCheckSymbol,
            }
        }
    }
}

/// Checks a well-formed code.
fn check(key: &Key, course: &Course, learner: &str, code: &Code, today: i64) -> Outcome {
    let f = code.fields;
    if f.version == code::VERSION_UNUSABLE {
        return Outcome::Unusable;
    }
    if f.version != code::VERSION {
        return Outcome::UnknownVersion { version: f.version };
    }
    let Some(epoch) = key.epoch(f.epoch) else {
        return Outcome::UnknownEpoch { epoch: f.epoch };
    };
    let Some(module) = usize::from(f.module)
        .checked_sub(1)
        .and_then(|i| course.modules.get(i))
    else {
        return Outcome::UnknownModule { module: f.module };
    };
    let secret = key.module_secret(&course.id, &module.slug, f.epoch);
    if code::tag(&secret, &course.id, learner, &f) != code.tag {
        return Outcome::WrongTag;
    }
    if epoch.revoked {
        return Outcome::EpochRevoked { epoch: f.epoch };
    }
    // The latest day on or before tomorrow with this day number.
    let tomorrow = today + 1;
    let cycle = i64::from(code::DAY_CYCLE);
    let back = (tomorrow - i64::from(code::DAY_ZERO) - i64::from(f.day)).rem_euclid(cycle);
    let day = tomorrow - back;
    let starts = dates::parse(&epoch.from).unwrap_or(i64::MIN);
    if day < starts {
        return Outcome::DateOutOfRange { day: f.day };
    }
    Outcome::Valid(Pass {
        course: course.id.clone(),
        module: module.slug.clone(),
        module_number: f.module,
        learner: normalize_learner(learner),
        score: f.score,
        date: dates::format(day),
        epoch: f.epoch,
        code: code.to_text(),
    })
}

/// One line of the ledger: a verified pass and when it was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub verified: String,
    #[serde(flatten)]
    pub pass: Pass,
}

/// The append-only record of verified passes.
pub struct Ledger {
    path: PathBuf,
    entries: Vec<Entry>,
    /// (course, learner, code) of every entry, for idempotent submissions.
    seen: HashSet<(String, String, String)>,
}

impl Ledger {
    /// Reads the ledger at `path` (an absent file is an empty ledger). A line that does not
    /// read (a write cut short by a crash leaves one) is skipped with a warning naming it;
    /// every whole line before and after it still counts.
    pub fn open(path: &Path) -> Result<(Ledger, Vec<String>)> {
        let mut warnings = Vec::new();
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read the ledger {}", path.display()));
            }
        };
        let mut ledger = Ledger {
            path: path.to_path_buf(),
            entries: Vec::new(),
            seen: HashSet::new(),
        };
        for (i, line) in text.split('\n').enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(line) {
                Ok(entry) => ledger.remember(entry),
                Err(_) => warnings.push(format!(
                    "{}:{}: the line is incomplete (a write cut short by a crash?) and is ignored",
                    path.display(),
                    i + 1
                )),
            }
        }
        Ok((ledger, warnings))
    }

    fn remember(&mut self, entry: Entry) {
        self.seen.insert((
            entry.pass.course.clone(),
            entry.pass.learner.clone(),
            entry.pass.code.clone(),
        ));
        self.entries.push(entry);
    }

    /// When this pass was first recorded, if it was.
    pub fn recorded(&self, pass: &Pass) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            e.pass.course == pass.course
                && e.pass.learner == pass.learner
                && e.pass.code == pass.code
        })
    }

    /// Appends a pass unless it is there already; returns whether it was new. The line is on
    /// disk before this returns.
    pub fn record(&mut self, pass: &Pass, today: i64) -> Result<bool> {
        let key = (pass.course.clone(), pass.learner.clone(), pass.code.clone());
        if self.seen.contains(&key) {
            return Ok(false);
        }
        let entry = Entry {
            verified: dates::format(today),
            pass: pass.clone(),
        };
        let mut line = serde_json::to_string(&entry)?;
        line.push('\n');
        let mut file = open_private_append(&self.path)?;
        // A file cut short by a crash gets its own line back before the next entry.
        if !ends_with_newline(&self.path)? {
            file.write_all(b"\n")?;
        }
        file.write_all(line.as_bytes())?;
        file.sync_all()
            .with_context(|| format!("cannot write the ledger {}", self.path.display()))?;
        self.remember(entry);
        Ok(true)
    }

    /// Every recorded pass of one learner in one course.
    pub fn passes(&self, course: &str, learner: &str) -> Vec<&Entry> {
        let learner = normalize_learner(learner);
        self.entries
            .iter()
            .filter(|e| e.pass.course == course && e.pass.learner == learner)
            .collect()
    }
}

/// Whether a file is empty or ends with a newline (reading only its last byte).
fn ends_with_newline(path: &Path) -> Result<bool> {
    let mut file = fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

/// One row of a CSV batch: the learner id and the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line number in the file.
    pub line: usize,
    pub learner: String,
    pub code: String,
}

/// Reads `learner,code` rows (a header row naming `learner` is skipped; fields may be quoted).
/// A row that is not two fields comes back as `Err` with its line number and reason, and the
/// rest still read.
pub fn read_csv(text: &str) -> Vec<Result<Row, (usize, String)>> {
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_start_matches('\u{feff}');
        if raw.trim().is_empty() {
            continue;
        }
        let fields = match split_csv_line(raw) {
            Ok(fields) => fields,
            Err(reason) => {
                rows.push(Err((line, reason)));
                continue;
            }
        };
        if line == 1
            && fields
                .first()
                .is_some_and(|f| f.trim().eq_ignore_ascii_case("learner"))
        {
            continue;
        }
        match fields.as_slice() {
            [learner, code] if !learner.trim().is_empty() && !code.trim().is_empty() => {
                rows.push(Ok(Row {
                    line,
                    learner: learner.trim().to_string(),
                    code: code.trim().to_string(),
                }))
            }
            [_, _] => rows.push(Err((line, "an empty learner id or code".to_string()))),
            other => rows.push(Err((
                line,
                format!("{} fields; a row is `learner,code`", other.len()),
            ))),
        }
    }
    rows
}

/// The fields of one CSV line: comma-separated, `"quoted"` with `""` for a quote inside.
fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            (',', false) => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".to_string());
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_headers_quotes_and_garbled_lines() {
        let rows = read_csv(
            "learner,code\n0300 1234567,8GSB-9CEK-Q44A-Q829\n\"Khan, A\",\"X\"\"Y\"\nonly-one-field\n\"open,quote\n,\n",
        );
        assert_eq!(
            rows,
            vec![
                Ok(Row {
                    line: 2,
                    learner: "0300 1234567".into(),
                    code: "8GSB-9CEK-Q44A-Q829".into()
                }),
                Ok(Row {
                    line: 3,
                    learner: "Khan, A".into(),
                    code: "X\"Y".into()
                }),
                Err((4, "1 fields; a row is `learner,code`".into())),
                Err((5, "a quoted field is not closed".into())),
                Err((6, "an empty learner id or code".into())),
            ]
        );
    }
}
