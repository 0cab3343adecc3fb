//! The institution's records in one SQLite database: every verified pass (unique by course,
//! learner, module and code, so a pass is recorded once whoever submits it and however often),
//! every credential issued, and which JSON-lines ledgers of older Sabaq versions were imported.
//! Several processes may use it at once (WAL mode; writes take the write lock for one short
//! transaction at a time), and a crash keeps every committed transaction whole.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::dates;
use crate::diag::display_path;
use crate::verify::{Entry, Pass};

/// Where `sabaq verify` and `sabaq issue` keep the records unless `--ledger` says otherwise.
pub const DEFAULT_FILE: &str = "sabaq-ledger.sqlite";
/// The layout of the database this Sabaq writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;
/// How long a process waits for another one's write transaction before giving up.
const BUSY_WAIT: Duration = Duration::from_secs(120);
/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS passes (
    id            INTEGER PRIMARY KEY,
    course        TEXT NOT NULL,
    learner       TEXT NOT NULL,
    module        TEXT NOT NULL,
    module_number INTEGER NOT NULL,
    code          TEXT NOT NULL,
    score         INTEGER NOT NULL,
    passed        TEXT NOT NULL,
    epoch         INTEGER NOT NULL,
    verified      TEXT NOT NULL,
    UNIQUE (course, learner, module, code)
);
-- `verify` looks a pass up by all four (the unique index above); `issue` and the standings
-- read one learner's passes in a course, which that index's first two columns also serve.
CREATE TABLE IF NOT EXISTS issued (
    id            INTEGER PRIMARY KEY,
    credential_id TEXT NOT NULL UNIQUE,
    course        TEXT NOT NULL,
    credential    TEXT NOT NULL,
    learner       TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    issued        TEXT NOT NULL,
    file          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issued_by_learner ON issued (course, learner, credential);
CREATE TABLE IF NOT EXISTS imports (
    source   TEXT PRIMARY KEY,
    imported TEXT NOT NULL,
    entries  INTEGER NOT NULL,
    skipped  INTEGER NOT NULL
);
";

/// What recording a pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// It is in the ledger from now on.
    Now,
    /// It was there already, verified on that day.
    Already(String),
}

/// One credential written by `sabaq issue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The credential's own id (`urn:uuid:…`).
    pub credential_id: String,
    pub course: String,
    /// The credential's id in course.yaml.
    pub credential: String,
    /// The normalised learner id.
    pub learner: String,
    /// The did:key that signed it.
    pub issuer: String,
    /// When, `YYYY-MM-DDThh:mm:ssZ`.
    pub issued: String,
    /// The file it was written to, as given.
    pub file: String,
}

/// What importing a JSON-lines ledger did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Passes that were not in the database before.
    pub new: usize,
    /// Passes the database held already.
    pub known: usize,
    /// `file:line: why` for each line that could not be read (and was skipped).
    pub skipped: Vec<String>,
}

/// The form of `sabaq ledger export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    JsonLines,
}

/// An open ledger database.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// Opens the database at `path`, creating it (readable by its owner only) when absent.
    /// Refuses a file that is not a SQLite database, naming it.
    pub fn open(path: &Path) -> Result<Ledger> {
        let shown = display_path(path);
        if let Some(head) = crate::load::file_head(path, 16)
            && !head.is_empty()
            && head != SQLITE_HEADER
        {
            if path.extension().is_some_and(|e| e == "jsonl") {
                bail!(
                    "{shown} is a JSON-lines ledger of an older Sabaq, not a database: give `--ledger {}` (it is imported on first use), or import it with `sabaq ledger import {shown}`",
                    display_path(&path.with_extension("sqlite"))
                );
            }
            bail!("{shown} is not a Sabaq ledger (not a SQLite database)");
        }
        create_private(path)?;
        let conn =
            Connection::open(path).with_context(|| format!("cannot open the ledger {shown}"))?;
        conn.busy_timeout(BUSY_WAIT)?;
        // Several processes opening a new database at once: one sets WAL mode, the others
        // find it set (the mode is kept in the file).
        let mut tries = 0;
        loop {
            match conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
            {
                Ok(_) => break,
                Err(e) if is_busy(&e) && tries < 200 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot open the ledger {shown}"));
                }
            }
        }
        // Each commit is on disk before the next row's answer is printed.
        conn.pragma_update(None, "synchronous", "FULL")?;
        let mut ledger = Ledger {
            conn,
            path: path.to_path_buf(),
        };
        ledger
            .migrate()
            .with_context(|| format!("cannot set up the ledger {shown}"))?;
        Ok(ledger)
    }

    /// Creates the tables of a new database; refuses one of a newer Sabaq.
    fn migrate(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            bail!(
                "it was written by a newer Sabaq (layout {version}; this one knows {SCHEMA_VERSION})"
            );
        }
        if version < SCHEMA_VERSION {
            tx.execute_batch(SCHEMA)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records each pass unless it is there already, all in one transaction: either every
    /// pass of the batch is on disk when this returns, or (after a crash) none is.
    pub fn record_batch(&mut self, passes: &[&Pass], today: i64) -> Result<Vec<Recorded>> {
        if passes.is_empty() {
            // Nothing to write: the write lock stays free for the others.
            return Ok(Vec::new());
        }
        let verified = dates::format(today);
        let context = || format!("cannot record in the ledger {}", display_path(&self.path));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .with_context(context)?;
        let mut answers = Vec::with_capacity(passes.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO passes (course, learner, module, module_number, code, score, passed, epoch, verified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (course, learner, module, code) DO NOTHING",
            )?;
            let mut find = tx.prepare_cached(
                "SELECT verified FROM passes WHERE course = ?1 AND learner = ?2 AND module = ?3 AND code = ?4",
            )?;
            for pass in passes {
                let added = insert
                    .execute(params![
                        pass.course,
                        pass.learner,
                        pass.module,
                        pass.module_number,
                        pass.code,
                        pass.score,
                        pass.date,
                        pass.epoch,
                        verified
                    ])
                    .with_context(context)?;
                answers.push(if added == 1 {
                    Recorded::Now
                } else {
                    Recorded::Already(
                        find.query_row(
                            params![pass.course, pass.learner, pass.module, pass.code],
                            |row| row.get(0),
                        )
                        .with_context(context)?,
                    )
                });
            }
        }
        tx.commit().with_context(context)?;
        Ok(answers)
    }

    /// Every recorded pass of one learner (normalised id) in one course, earliest first.
    pub fn passes(&self, course: &str, learner: &str) -> Result<Vec<Entry>> {
        let mut select = self.conn.prepare_cached(
            "SELECT verified, course, module, module_number, learner, score, passed, epoch, code
             FROM passes WHERE course = ?1 AND learner = ?2 ORDER BY id",
        )?;
        let rows = select.query_map(params![course, learner], entry_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .with_context(|| format!("cannot read the ledger {}", display_path(&self.path)))
    }

    /// How many passes the ledger holds.
    pub fn count(&self) -> Result<u64> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM passes", [], |row| row.get(0))?;
        Ok(count.unsigned_abs())
    }

    /// Records a credential that was written.
    pub fn record_issued(&self, issued: &Issued) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO issued (credential_id, course, credential, learner, issuer, issued, file)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    issued.credential_id,
                    issued.course,
                    issued.credential,
                    issued.learner,
                    issued.issuer,
                    issued.issued,
                    issued.file
                ],
            )
            .with_context(|| {
                format!(
                    "cannot record the credential in the ledger {}",
                    display_path(&self.path)
                )
            })?;
        Ok(())
    }

    /// The credentials issued to a learner in a course, oldest first.
    pub fn issued(&self, course: &str, learner: &str) -> Result<Vec<Issued>> {
        let mut select = self.conn.prepare_cached(
            "SELECT credential_id, course, credential, learner, issuer, issued, file
             FROM issued WHERE course = ?1 AND learner = ?2 ORDER BY id",
        )?;
        let rows = select.query_map(params![course, learner], issued_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Imports the JSON-lines ledger beside the database (same name, `.jsonl`) if it exists
    /// and was never imported; `None` when there was nothing to do.
    pub fn import_beside(&mut self) -> Result<Option<(PathBuf, ImportReport)>> {
        let old = self.path.with_extension("jsonl");
        if old == self.path || !old.is_file() {
            return Ok(None);
        }
        self.import_jsonl(&old, true)
            .map(|report| report.map(|r| (old, r)))
    }

    /// Imports a JSON-lines ledger of an older Sabaq in one transaction. Each line that cannot
    /// be read (a write cut short, even inside a character; not an entry) is skipped and
    /// reported with its line number; every other line is kept. With `once`, a file imported
    /// before is left alone (and `None` comes back).
    pub fn import_jsonl(&mut self, file: &Path, once: bool) -> Result<Option<ImportReport>> {
        let shown = display_path(file);
        let bytes = fs::read(file).with_context(|| format!("cannot read {shown}"))?;
        let source = fs::canonicalize(file)
            .unwrap_or_else(|_| file.to_path_buf())
            .display()
            .to_string();
        let mut entries = Vec::new();
        let mut report = ImportReport::default();
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            let at = format!("{shown}:{}", i + 1);
            let Ok(text) = std::str::from_utf8(line) else {
                report.skipped.push(format!(
                    "{at}: not UTF-8 text (a write cut short inside a character?); the line is skipped"
                ));
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(text) {
                Ok(entry) => entries.push(entry),
                Err(e) if e.is_eof() => report.skipped.push(format!(
                    "{at}: the line is incomplete (a write cut short by a crash?); the line is skipped"
                )),
                Err(e) => report.skipped.push(format!(
                    "{at}: not a ledger entry ({e}); the line is skipped"
                )),
            }
        }
        let context = || {
            format!(
                "cannot import {shown} into the ledger {}",
                display_path(&self.path)
            )
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .with_context(context)?;
        let before: Option<String> = tx
            .query_row(
                "SELECT imported FROM imports WHERE source = ?1",
                [&source],
                |row| row.get(0),
            )
            .optional()?;
        if once && before.is_some() {
            return Ok(None);
        }
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO passes (course, learner, module, module_number, code, score, passed, epoch, verified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (course, learner, module, code) DO NOTHING",
            )?;
            for entry in &entries {
                let p = &entry.pass;
                let added = insert
                    .execute(params![
                        p.course,
                        p.learner,
                        p.module,
                        p.module_number,
                        p.code,
                        p.score,
                        p.date,
                        p.epoch,
                        entry.verified
                    ])
                    .with_context(context)?;
                if added == 1 {
                    report.new += 1;
                } else {
                    report.known += 1;
                }
            }
        }
        tx.execute(
            "INSERT INTO imports (source, imported, entries, skipped) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (source) DO UPDATE SET imported = ?2, entries = ?3, skipped = ?4",
            params![
                source,
                dates::now_timestamp(),
                entries.len() as i64,
                report.skipped.len() as i64
            ],
        )?;
        tx.commit().with_context(context)?;
        Ok(Some(report))
    }

    /// Writes every pass (or, with `issued`, every issued credential) in the order recorded;
    /// returns how many. A closed output stops the export without an error.
    pub fn export(&self, format: ExportFormat, issued: bool, out: &mut dyn Write) -> Result<u64> {
        let mut written = 0;
        let result = if issued {
            self.export_issued(format, out, &mut written)
        } else {
            self.export_passes(format, out, &mut written)
        };
        match result.and_then(|()| out.flush().map_err(anyhow::Error::from)) {
            Ok(()) => Ok(written),
            Err(e)
                if e.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
            {
                Ok(written)
            }
            Err(e) => Err(e),
        }
    }

    fn export_passes(
        &self,
        format: ExportFormat,
        out: &mut dyn Write,
        written: &mut u64,
    ) -> Result<()> {
        self.export_rows(
            "SELECT verified, course, module, module_number, learner, score, passed, epoch, code
             FROM passes ORDER BY id",
            "verified,course,learner,module,module_number,score,passed,epoch,code",
            format,
            out,
            written,
            |row| {
                let e = entry_from_row(row)?;
                let p = &e.pass;
                let fields = vec![
                    e.verified.clone(),
                    p.course.clone(),
                    p.learner.clone(),
                    p.module.clone(),
                    p.module_number.to_string(),
                    p.score.to_string(),
                    p.date.clone(),
                    p.epoch.to_string(),
                    p.code.clone(),
                ];
                Ok((fields, serde_json::to_value(&e)?))
            },
        )
    }

    fn export_issued(
        &self,
        format: ExportFormat,
        out: &mut dyn Write,
        written: &mut u64,
    ) -> Result<()> {
        self.export_rows(
            "SELECT credential_id, course, credential, learner, issuer, issued, file
             FROM issued ORDER BY id",
            "issued,credential_id,course,credential,learner,issuer,file",
            format,
            out,
            written,
            |row| {
                let i = issued_from_row(row)?;
                let json = serde_json::json!({
                    "issued": i.issued, "credential_id": i.credential_id,
                    "course": i.course, "credential": i.credential, "learner": i.learner,
                    "issuer": i.issuer, "file": i.file,
                });
                let fields = vec![
                    i.issued,
                    i.credential_id,
                    i.course,
                    i.credential,
                    i.learner,
                    i.issuer,
                    i.file,
                ];
                Ok((fields, json))
            },
        )
    }

    /// Writes the rows of `sql`, each turned by `fields` into CSV fields (under `header`) and
    /// a JSON object.
    fn export_rows(
        &self,
        sql: &str,
        header: &str,
        format: ExportFormat,
        out: &mut dyn Write,
        written: &mut u64,
        fields: impl Fn(&rusqlite::Row<'_>) -> Result<(Vec<String>, serde_json::Value)>,
    ) -> Result<()> {
        let mut select = self.conn.prepare(sql)?;
        if format == ExportFormat::Csv {
            writeln!(out, "{header}")?;
        }
        let mut rows = select.query([])?;
        while let Some(row) = rows.next()? {
            let (csv, json) = fields(row)?;
            match format {
                ExportFormat::JsonLines => writeln!(out, "{json}")?,
                ExportFormat::Csv => writeln!(out, "{}", csv_line(&csv))?,
            }
            *written += 1;
        }
        Ok(())
    }

    /// A consistent copy of the whole database at `to` (which must not exist), taken while
    /// other processes may go on writing.
    pub fn backup(&self, to: &Path) -> Result<()> {
        if fs::symlink_metadata(to).is_ok() {
            bail!(
                "{} exists already; a backup never replaces a file",
                display_path(to)
            );
        }
        let target = to
            .to_str()
            .with_context(|| format!("{} is not a UTF-8 path", to.display()))?;
        self.conn
            .execute("VACUUM INTO ?1", [target])
            .with_context(|| {
                format!(
                    "cannot back up the ledger {} to {}",
                    display_path(&self.path),
                    display_path(to)
                )
            })?;
        Ok(())
    }

    /// SQLite's own check of the file (`ok` when whole).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }
}

fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        verified: row.get(0)?,
        pass: Pass {
            course: row.get(1)?,
            module: row.get(2)?,
            module_number: row.get(3)?,
            learner: row.get(4)?,
            score: row.get(5)?,
            date: row.get(6)?,
            epoch: row.get(7)?,
            code: row.get(8)?,
        },
    })
}

fn issued_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Issued> {
    Ok(Issued {
        credential_id: row.get(0)?,
        course: row.get(1)?,
        credential: row.get(2)?,
        learner: row.get(3)?,
        issuer: row.get(4)?,
        issued: row.get(5)?,
        file: row.get(6)?,
    })
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Creates an empty file readable by its owner only, unless something is there already.
fn create_private(path: &Path) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => {
            Err(e).with_context(|| format!("cannot create the ledger {}", display_path(path)))
        }
    }
}

/// One CSV line (RFC 4180): fields with a comma, quote or line break are quoted.
fn csv_line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(learner: &str, module: &str, code: &str) -> Pass {
        Pass {
            course: "c".into(),
            module: module.into(),
            module_number: 1,
            learner: learner.into(),
            score: 80,
            date: "2026-11-30".into(),
            epoch: 0,
            code: code.into(),
        }
    }

    #[test]
    fn a_pass_is_recorded_once_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        let mut ledger = Ledger::open(&path).unwrap();
        let a = pass("اردو", "m", "AAAA-AAAA-AAAA-AAAA");
        let b = pass("اردو", "n", "BBBB-AAAA-AAAA-AAAA");
        let today = dates::parse("2026-12-01").unwrap();
        assert_eq!(
            ledger.record_batch(&[&a, &b, &a], today).unwrap(),
            [
                Recorded::Now,
                Recorded::Now,
                Recorded::Already("2026-12-01".into())
            ]
        );
        drop(ledger);
        let ledger = Ledger::open(&path).unwrap();
        let passes = ledger.passes("c", "اردو").unwrap();
        assert_eq!(passes.iter().map(|e| &e.pass).collect::<Vec<_>>(), [&a, &b]);
        assert!(ledger.passes("c", "other").unwrap().is_empty());
        let mut csv = Vec::new();
        assert_eq!(
            ledger.export(ExportFormat::Csv, false, &mut csv).unwrap(),
            2
        );
        assert_eq!(
            String::from_utf8(csv).unwrap().lines().nth(1).unwrap(),
            "2026-12-01,c,اردو,m,1,80,2026-11-30,0,AAAA-AAAA-AAAA-AAAA"
        );
        assert_eq!(ledger.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn an_import_keeps_every_line_it_can_read_and_names_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("old.jsonl");
        let entry = |learner: &str, code: &str| {
            serde_json::to_string(&Entry {
                verified: "2026-11-30".into(),
                pass: pass(learner, "m", code),
            })
            .unwrap()
        };
        let whole = entry("اردو", "AAAA-AAAA-AAAA-AAAA");
        // Cut inside the two bytes of an Arabic letter.
        let cut = whole.find('ر').unwrap() + 1;
        let mut bytes = Vec::new();
        bytes.extend_from_slice(whole.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(&whole.as_bytes()[..cut]);
        bytes.push(b'\n');
        bytes.extend_from_slice(b"{\"verified\":\"2026-");
        bytes.push(b'\n');
        bytes.extend_from_slice(entry("b", "BBBB-AAAA-AAAA-AAAA").as_bytes());
        bytes.extend_from_slice(b"\n\n[1]\n");
        fs::write(&jsonl, bytes).unwrap();
        let mut ledger = Ledger::open(&dir.path().join("old.sqlite")).unwrap();
        let (from, report) = ledger.import_beside().unwrap().unwrap();
        assert_eq!(from, jsonl);
        assert_eq!((report.new, report.known), (2, 0));
        let lines: Vec<&str> = report
            .skipped
            .iter()
            .map(|s| s.split(": ").next().unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "{:?}", report.skipped);
        assert!(lines[0].ends_with("old.jsonl:2") && report.skipped[0].contains("not UTF-8"));
        assert!(lines[1].ends_with(":3") && report.skipped[1].contains("incomplete"));
        assert!(lines[2].ends_with(":6") && report.skipped[2].contains("not a ledger entry"));
        // Once only; an explicit import again finds everything known.
        assert_eq!(ledger.import_beside().unwrap(), None);
        let again = ledger.import_jsonl(&jsonl, false).unwrap().unwrap();
        assert_eq!((again.new, again.known), (0, 2));
        assert_eq!(ledger.count().unwrap(), 2);
    }

    #[test]
    fn a_file_that_is_no_database_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("sabaq-ledger.jsonl");
        fs::write(&jsonl, "{}\n").unwrap();
        let error = Ledger::open(&jsonl).err().unwrap().to_string();
        assert!(
            error.contains("is a JSON-lines ledger of an older Sabaq, not a database"),
            "{error}"
        );
        let text = dir.path().join("notes.txt");
        fs::write(&text, "hello").unwrap();
        let error = Ledger::open(&text).err().unwrap().to_string();
        assert!(error.contains("is not a Sabaq ledger"), "{error}");
        assert_eq!(fs::read_to_string(&text).unwrap(), "hello");
    }
}
