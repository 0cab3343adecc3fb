//! Verifying completion codes for an institution: what each code says, whether it was made
//! with the institution's key for that learner, checking a recorded pass again before a
//! credential relies on it, and reading `learner,code` CSV batches. (The records themselves are
//! kept by `ledger`.)

use sabaq_quiz::code::{self, Code, CodeError, Repair, normalize_learner};
use serde::{Deserialize, Serialize};

use crate::dates;
use crate::keys::Key;
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

/// A verified pass and when it was verified: one record of the ledger (and one line of an
/// older Sabaq's JSON-lines ledger, or of `sabaq ledger export --format jsonl`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub verified: String,
    #[serde(flatten)]
    pub pass: Pass,
}

/// Checks a recorded pass again before a credential relies on it: its code must be a code
/// made with `key` for this learner, course and module, its epoch must not be revoked, and
/// every field of the record must be what the code says, as verified on the recorded day.
/// `Err` says why not, in words.
pub fn recheck(key: &Key, course: &Course, entry: &Entry, today: i64) -> Result<(), String> {
    let pass = &entry.pass;
    if pass.course != course.id {
        return Err(format!("it is for course `{}`", pass.course));
    }
    let Some(verified) = dates::parse(&entry.verified) else {
        return Err(format!(
            "its verification day `{}` is not a date",
            entry.verified
        ));
    };
    if verified > today {
        return Err(format!(
            "it says it was verified on {}, a day still to come",
            entry.verified
        ));
    }
    let code =
        Code::parse(&pass.code).map_err(|_| format!("`{}` is not a completion code", pass.code))?;
    match check(key, course, &pass.learner, &code, verified) {
        Outcome::Valid(found) if &found == pass => Ok(()),
        Outcome::Valid(found) => {
            let mut differences = Vec::new();
            let mut differ = |what: &str, recorded: String, says: String| {
                if recorded != says {
                    differences.push(format!("{what} {recorded} where the code says {says}"));
                }
            };
            differ("module", pass.module.clone(), found.module.clone());
            differ(
                "module number",
                pass.module_number.to_string(),
                found.module_number.to_string(),
            );
            differ("learner", pass.learner.clone(), found.learner.clone());
            differ(
                "score",
                format!("{}%", pass.score),
                format!("{}%", found.score),
            );
            differ("date", pass.date.clone(), found.date.clone());
            differ("epoch", pass.epoch.to_string(), found.epoch.to_string());
            differ("code", pass.code.clone(), found.code.clone());
            Err(format!("the record says {}", differences.join(", ")))
        }
        other => Err(other.describe()),
    }
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
