//! `sabaq ledger`: exporting the records for audits and spreadsheets, importing a JSON-lines
//! ledger of an older Sabaq, backing the database up while others use it; and opening the
//! ledger for `verify` and `issue`, with the one-time import of the JSON-lines ledger beside it.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use sabaq::diag::display_path;
use sabaq::ledger::{ExportFormat, ImportReport, Ledger};

/// Opens the ledger; on first use, imports the JSON-lines ledger of an older Sabaq beside it
/// (`sabaq-ledger.jsonl` beside `sabaq-ledger.sqlite`), saying what it did on stderr.
pub fn open_ledger(path: &Path) -> Result<Ledger> {
    let mut ledger = Ledger::open(path)?;
    if let Some((from, report)) = ledger.import_beside()? {
        print_import(&from, path, &report);
        eprintln!(
            "note: {} is not read or written from now on: the records are in {}",
            display_path(&from),
            display_path(path)
        );
    }
    Ok(ledger)
}

fn print_import(from: &Path, to: &Path, report: &ImportReport) {
    for skipped in &report.skipped {
        eprintln!("warning: {skipped}");
    }
    eprintln!(
        "note: imported {} from {} into {}: {} new, {} already there{}",
        plural(report.new + report.known, "pass", "passes"),
        display_path(from),
        display_path(to),
        report.new,
        report.known,
        match report.skipped.len() {
            0 => String::new(),
            n => format!(", {} skipped", plural(n, "line", "lines")),
        }
    );
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `sabaq ledger import FILE`: `Ok(false)` when some line could not be read.
pub fn import(file: &Path, ledger_path: &Path) -> Result<bool> {
    let mut ledger = Ledger::open(ledger_path)?;
    let report = ledger
        .import_jsonl(file, false)?
        .expect("an import that is not once-only always runs");
    print_import(file, ledger_path, &report);
    Ok(report.skipped.is_empty())
}

/// `sabaq ledger export`: to `out`, or standard output.
pub fn export(
    ledger_path: &Path,
    format: ExportFormat,
    issued: bool,
    out: Option<&Path>,
) -> Result<bool> {
    if !ledger_path.is_file() {
        bail!("no ledger at {}", display_path(ledger_path));
    }
    let ledger = Ledger::open(ledger_path)?;
    let count = match out {
        Some(path) => {
            let file = File::create_new(path).with_context(|| {
                format!(
                    "cannot create {} (an export never replaces a file)",
                    display_path(path)
                )
            })?;
            let mut writer = BufWriter::new(file);
            let count = ledger.export(format, issued, &mut writer)?;
            writer
                .into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.sync_all())
                .with_context(|| format!("cannot write {}", display_path(path)))?;
            count
        }
        None => {
            let mut writer = BufWriter::new(io::stdout().lock());
            let count = ledger.export(format, issued, &mut writer)?;
            let _ = writer.flush();
            count
        }
    };
    eprintln!(
        "exported {} from {}",
        plural(
            count as usize,
            if issued { "issued credential" } else { "pass" },
            if issued {
                "issued credentials"
            } else {
                "passes"
            }
        ),
        display_path(ledger_path)
    );
    Ok(true)
}

/// `sabaq ledger backup TO`: a consistent copy while others go on verifying.
pub fn backup(ledger_path: &Path, to: &Path) -> Result<bool> {
    if !ledger_path.is_file() {
        bail!("no ledger at {}", display_path(ledger_path));
    }
    let ledger = Ledger::open(ledger_path)?;
    ledger.backup(to)?;
    eprintln!(
        "backed up {} ({}) to {}",
        display_path(ledger_path),
        plural(ledger.count()? as usize, "pass", "passes"),
        display_path(to)
    );
    Ok(true)
}
