//! The institution's records under stress: several `sabaq verify` at once record each pass
//! once, a verify killed mid-batch leaves a whole database and the rerun records the rest, an
//! old ledger torn inside a character is imported, `sabaq issue` refuses forged records,
//! `verify` survives a closed pipe and escapes what rows hold, and the key file changes under a
//! lock, through a symbolic link to its target.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use sabaq::dates;
use sabaq::keys::Key;

use crate::credentials::{COURSE, Coder, issue, keyed, ledger_rows, project_with_key};
use crate::harness::Project;

/// `learner,code` rows of valid codes: `learners` learners, each with both modules.
fn valid_rows(project: &Project, learners: usize) -> Vec<(String, String)> {
    let coder = Coder::new(project);
    let mut rows = Vec::new();
    for i in 0..learners {
        let learner = format!("0300{i:07}");
        for module in 1..=2 {
            rows.push((
                learner.clone(),
                coder.code(&learner, module, |_| {}).to_text(),
            ));
        }
    }
    rows
}

fn write_csv(project: &Project, name: &str, rows: &[(String, String)]) {
    let mut text = String::from("learner,code\n");
    for (learner, code) in rows {
        text.push_str(&format!("{learner},{code}\n"));
    }
    project.write(name, &text);
}

fn verify_csv(csv: &str) -> Vec<&str> {
    keyed("verify", &["--csv", csv])
}

/// `sabaq verify --csv CSV` started in the background, its stderr piped.
fn spawn_verify(project: &Project, csv: &str, stdout: Stdio) -> Child {
    project
        .command(&verify_csv(csv))
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn integrity(project: &Project) -> String {
    let db = rusqlite::Connection::open(project.path("sabaq-ledger.sqlite")).unwrap();
    db.query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn eight_verifiers_at_once_record_every_pass_exactly_once() {
    let project = project_with_key();
    let rows = valid_rows(&project, 300);
    // Eight overlapping windows of 300 rows over the 600 codes: every code is in four CSVs.
    let mut names = Vec::new();
    for i in 0..8 {
        let window: Vec<_> = (0..300)
            .map(|j| rows[(i * 75 + j) % rows.len()].clone())
            .collect();
        let name = format!("staff-{i}.csv");
        write_csv(&project, &name, &window);
        names.push(name);
    }
    let children: Vec<_> = names
        .iter()
        .map(|name| {
            let mut args = verify_csv(name);
            args.push("--json");
            project
                .command(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut recorded_now: BTreeMap<(String, String), usize> = BTreeMap::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        for line in String::from_utf8(output.stdout).unwrap().lines() {
            let answer: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(answer["status"], "valid", "{line}");
            if answer["ledger"] == "recorded now" {
                *recorded_now
                    .entry((
                        answer["learner"].as_str().unwrap().to_string(),
                        answer["code"].as_str().unwrap().to_string(),
                    ))
                    .or_default() += 1;
            } else {
                assert!(
                    answer["ledger"]
                        .as_str()
                        .unwrap()
                        .starts_with("already recorded on"),
                    "{line}"
                );
            }
        }
    }
    let expected: BTreeSet<(String, String)> = rows.iter().cloned().collect();
    // Each code was "recorded now" by exactly one of the eight.
    assert_eq!(
        recorded_now.keys().cloned().collect::<BTreeSet<_>>(),
        expected
    );
    assert!(recorded_now.values().all(|n| *n == 1), "{recorded_now:?}");
    // And the database holds those passes and nothing else.
    let in_db: Vec<(String, String)> = ledger_rows(&project)
        .into_iter()
        .map(|(learner, _, code)| (learner, code))
        .collect();
    assert_eq!(in_db.len(), rows.len());
    assert_eq!(in_db.into_iter().collect::<BTreeSet<_>>(), expected);
    assert_eq!(integrity(&project), "ok");
}

#[test]
fn a_verify_killed_in_the_middle_of_a_batch_leaves_whole_records_and_a_rerun_records_the_rest() {
    let project = project_with_key();
    let rows = valid_rows(&project, 5000);
    assert_eq!(rows.len(), 10_000);
    write_csv(&project, "batch.csv", &rows);
    let mut child = spawn_verify(&project, "batch.csv", Stdio::null());
    // The first progress line comes once the first thousand are committed: kill -9 then.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && !line.starts_with("progress:") {
        line.clear();
    }
    assert!(line.starts_with("progress: 1000 of 10000"), "{line}");
    child.kill().unwrap();
    child.wait().unwrap();
    let kept = ledger_rows(&project).len();
    assert!(
        kept > 0 && kept < rows.len(),
        "the kill came after {kept} rows: not in the middle"
    );
    // Whole transactions of a thousand codes, nothing half written.
    assert_eq!(kept % 1000, 0, "{kept} rows kept");
    assert_eq!(integrity(&project), "ok");

    let rerun = project.run(&verify_csv("batch.csv"));
    rerun.assert_code(0);
    rerun.assert_stderr_has("progress: 1000 of 10000 codes verified,");
    rerun.assert_stderr_has(&format!(
        "progress: 10000 of 10000 codes verified, {} recorded now",
        rows.len() - kept
    ));
    assert_eq!(
        rerun.stdout.matches("(recorded now)").count(),
        rows.len() - kept
    );
    let in_db = ledger_rows(&project);
    assert_eq!(in_db.len(), rows.len());
    assert_eq!(
        in_db
            .into_iter()
            .map(|(learner, _, code)| (learner, code))
            .collect::<BTreeSet<_>>(),
        rows.into_iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(integrity(&project), "ok");
}

/// A line of an older Sabaq's JSON-lines ledger.
fn jsonl_entry(learner: &str, module: (u8, &str), code: &str, score: u8, date: &str) -> String {
    serde_json::json!({
        "verified": dates::format(dates::today()),
        "course": "assessed",
        "module": module.1,
        "module_number": module.0,
        "learner": learner,
        "score": score,
        "date": date,
        "epoch": 0,
        "code": code,
    })
    .to_string()
}

#[test]
fn an_old_ledger_torn_inside_a_character_is_imported_without_that_line() {
    let project = project_with_key();
    let coder = Coder::new(&project);
    let learner = "علی";
    let today = dates::format(dates::today());
    let first = coder.code(learner, 1, |_| {}).to_text();
    let second = coder.code(learner, 2, |_| {}).to_text();
    let whole_first = jsonl_entry(learner, (1, "first"), &first, 75, &today);
    let whole_second = jsonl_entry(learner, (2, "second"), &second, 75, &today);
    // Line 2: a write cut short inside the two bytes of `ل`; then the write after it.
    let cut = whole_second.find('ل').unwrap() + 1;
    let mut bytes = format!("{whole_first}\n").into_bytes();
    bytes.extend_from_slice(&whole_second.as_bytes()[..cut]);
    bytes.extend_from_slice(format!("\n{whole_second}\n").as_bytes());
    fs::write(project.path("sabaq-ledger.jsonl"), bytes).unwrap();

    let issue = issue(
        &project,
        learner,
        "assessed-certificate",
        &["--out", "ali.json"],
    );
    issue.assert_code(0);
    issue.assert_stderr_has(
        "warning: sabaq-ledger.jsonl:2: not UTF-8 text (a write cut short inside a character?); the line is skipped",
    );
    issue.assert_stderr_has(
        "note: imported 2 passes from sabaq-ledger.jsonl into sabaq-ledger.sqlite: 2 new, 0 already there, 1 line skipped",
    );
    assert!(issue.stdout.contains("issued Certificate in Testing"));
    project
        .run(&["verify-credential", "ali.json", "--learner", learner])
        .assert_code(0);
    // The issued credential is recorded, and the export lists it.
    let export = project.run(&["ledger", "export", "--issued"]);
    export.assert_code(0);
    assert!(
        export
            .stdout
            .starts_with("issued,credential_id,course,credential,learner,issuer,file\n"),
        "{}",
        export.stdout
    );
    assert!(
        export
            .stdout
            .contains(",assessed,assessed-certificate,علی,did:key:"),
        "{}",
        export.stdout
    );
}

/// `sabaq issue` of the certificate to 03001234567, written to `out`.
fn issue_to(project: &Project, out: &str) -> crate::harness::Run {
    issue(
        project,
        "03001234567",
        "assessed-certificate",
        &["--out", out],
    )
}

#[test]
fn issue_refuses_records_that_do_not_verify() {
    // Two hand-written lines: no code, a score of 255, a date of 1999-99-99.
    let project = project_with_key();
    project.write(
        "sabaq-ledger.jsonl",
        &format!(
            "{}\n{}\n",
            jsonl_entry("03001234567", (1, "first"), "not-a-code", 255, "1999-99-99"),
            jsonl_entry(
                "03001234567",
                (2, "second"),
                "AAAA-BBBB-CCCC-DDDD",
                255,
                "1999-99-99"
            )
        ),
    );
    let forged = issue_to(&project, "forged.json");
    forged.assert_code(1);
    forged.assert_stderr_has(&format!(
        "error: sabaq-ledger.sqlite: the record of module first for learner 03001234567 (code not-a-code, verified {}) does not verify: `not-a-code` is not a completion code",
        dates::format(dates::today())
    ));
    forged.assert_stderr_has(
        "the record of module second for learner 03001234567 (code AAAA-BBBB-CCCC-DDDD",
    );
    forged.assert_stderr_has(
        "nothing was issued: `sabaq verify` records only codes that verify with institution.key",
    );
    forged.assert_not_written("forged.json");

    // Real passes, then one record changed in the database by hand.
    let project = project_with_key();
    let coder = Coder::new(&project);
    let first = coder.code("03001234567", 1, |_| {}).to_text();
    let second = coder.code("03001234567", 2, |_| {}).to_text();
    project
        .run(&keyed(
            "verify",
            &["--learner", "03001234567", &first, &second],
        ))
        .assert_code(0);
    let db = rusqlite::Connection::open(project.path("sabaq-ledger.sqlite")).unwrap();
    db.execute(
        "UPDATE passes SET score = 100, passed = '2026-01-01' WHERE module = 'first'",
        [],
    )
    .unwrap();
    let changed = issue_to(&project, "changed.json");
    changed.assert_code(1);
    changed.assert_stderr_has(&format!(
        "does not verify: the record says score 100% where the code says 75%, date 2026-01-01 where the code says {}",
        dates::format(dates::today())
    ));
    changed.assert_not_written("changed.json");
    db.execute(
        "UPDATE passes SET score = 75, passed = ?1",
        [dates::format(dates::today())],
    )
    .unwrap();
    issue_to(&project, "good.json").assert_code(0);
    // A pass of an epoch revoked since: refused too.
    project
        .run(&["keys", "revoke", "institution.key", "0"])
        .assert_code(0);
    let revoked = issue_to(&project, "revoked.json");
    revoked.assert_code(1);
    revoked.assert_stderr_has("does not verify: epoch revoked: key epoch 0");
    revoked.assert_not_written("revoked.json");
}

#[test]
fn verify_goes_on_verifying_and_recording_when_its_output_is_closed() {
    let project = project_with_key();
    let rows = valid_rows(&project, 1500);
    write_csv(&project, "batch.csv", &rows);
    // As `sabaq verify --csv batch.csv | head -1`: read one line, then close the pipe.
    let mut child = spawn_verify(&project, "batch.csv", Stdio::piped());
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(
        first.starts_with("batch.csv:2: ") && first.contains("(recorded now)"),
        "{first}"
    );
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("progress: 3000 of 3000 codes verified, 3000 recorded now"),
        "{stderr}"
    );
    assert_eq!(ledger_rows(&project).len(), rows.len());
}

#[test]
fn verify_prints_control_characters_of_rows_escaped() {
    let project = project_with_key();
    let learner = "0300\u{1b}[2J1234567";
    let code = Coder::new(&project).code(learner, 1, |_| {}).to_text();
    project.write(
        "hostile.csv",
        &format!("learner,code\n\"{learner}\",{code}\n0300,\u{1b}]0;owned\u{7}\u{9b}31m\n"),
    );
    let run = project.run(&verify_csv("hostile.csv"));
    run.assert_code(1);
    assert!(
        !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "hostile.csv:2: {code}  learner 0300\\u{{1b}}[2j1234567: valid"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("hostile.csv:3: \\u{1b}]0;owned\\u{7}\\u{9b}31m  learner 0300: malformed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("learner 0300\\u{1b}[2j1234567: Certificate in Testing")
    );

    let mut args = verify_csv("hostile.csv");
    args.push("--json");
    let json = project.run(&args);
    assert!(
        !json.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        json.stdout
    );
    let answers: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The escapes read back as the characters that were sent.
    assert_eq!(answers[1]["input"], "\u{1b}]0;owned\u{7}\u{9b}31m");
    assert_eq!(answers[0]["learner"], "0300\u{1b}[2j1234567");

    // A CSV that stops being text is refused, with the line where it stops.
    fs::write(
        project.path("latin1.csv"),
        b"learner,code\n0300,AAAA\n\xe9l\xe8ve,BBBB\n",
    )
    .unwrap();
    project
        .run(&verify_csv("latin1.csv"))
        .assert_code(2)
        .assert_stderr_has(
            "error: latin1.csv:3: not UTF-8 text; save the file as UTF-8 and verify it again",
        );
}

#[test]
fn eight_rotations_at_once_make_eight_epochs() {
    let project = project_with_key();
    let children: Vec<_> = (0..8)
        .map(|_| {
            project
                .command(&["keys", "rotate", "institution.key"])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut epochs = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        let epoch: u8 = stderr
            .strip_prefix("institution.key: epoch ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{stderr}"));
        epochs.push(epoch);
    }
    epochs.sort();
    assert_eq!(epochs, (1..=8).collect::<Vec<u8>>());
    let key = Key::load(&project.path("institution.key")).unwrap();
    assert_eq!(
        key.epochs.iter().map(|e| e.number).collect::<Vec<_>>(),
        (0..=8).collect::<Vec<u8>>()
    );
    // No temporary file is left beside it.
    let names: Vec<String> = fs::read_dir(project.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".sabaq"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[cfg(unix)]
#[test]
fn a_key_file_reached_through_a_symbolic_link_is_changed_where_it_lives() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let project = Project::with_fixture(COURSE);
    fs::create_dir(project.path("keys")).unwrap();
    project
        .run(&["keys", "new", "keys/real.key"])
        .assert_code(0);
    symlink("keys/real.key", project.path("institution.key")).unwrap();
    let rotate = project.run(&["keys", "rotate", "institution.key"]);
    rotate.assert_code(0);
    rotate.assert_stderr_has("institution.key: epoch 1 starts today (written to ");
    rotate.assert_stderr_has("keys/real.key, which the link points to)");
    let revoke = project.run(&["keys", "revoke", "institution.key", "0"]);
    revoke.assert_code(0);
    revoke.assert_stderr_has("institution.key: epoch 0 is revoked (written to ");
    // The link is still a link; the file it points to has both changes and stays private.
    let link = fs::symlink_metadata(project.path("institution.key")).unwrap();
    assert!(link.file_type().is_symlink());
    let real = Key::load(&project.path("keys/real.key")).unwrap();
    assert_eq!(real.current_epoch().number, 1);
    assert!(real.epoch(0).unwrap().revoked);
    let mode = fs::metadata(project.path("keys/real.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // A link to nothing is refused by name.
    symlink("keys/gone.key", project.path("dangling.key")).unwrap();
    let dangling = project.run(&["keys", "rotate", "dangling.key"]);
    dangling.assert_code(2);
    dangling.assert_stderr_has(
        "error: the key file dangling.key is a symbolic link to keys/gone.key, which cannot be read",
    );
}

#[test]
fn the_ledger_exports_imports_and_backs_up() {
    let project = project_with_key();
    let rows = valid_rows(&project, 2);
    write_csv(&project, "codes.csv", &rows);
    project.run(&verify_csv("codes.csv")).assert_code(0);
    let csv = project.run(&["ledger", "export"]);
    csv.assert_code(0);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "verified,course,learner,module,module_number,score,passed,epoch,code"
    );
    let today = dates::format(dates::today());
    assert_eq!(
        lines[1],
        format!(
            "{today},assessed,{},first,1,75,{today},0,{}",
            rows[0].0, rows[0].1
        )
    );
    assert_eq!(lines.len(), 5);
    csv.assert_stderr_has("exported 4 passes from sabaq-ledger.sqlite");
    project
        .run(&[
            "ledger",
            "export",
            "--format",
            "jsonl",
            "--out",
            "audit.jsonl",
        ])
        .assert_code(0);
    assert_eq!(project.read("audit.jsonl").lines().count(), 4);
    let again = project.run(&["ledger", "export", "--out", "audit.jsonl"]);
    again.assert_code(2);
    again.assert_stderr_has("error: cannot create audit.jsonl (an export never replaces a file)");
    // The JSON lines import into another database, as they were.
    let import = project.run(&["ledger", "import", "audit.jsonl", "--ledger", "copy.sqlite"]);
    import.assert_code(0);
    import.assert_stderr_has(
        "note: imported 4 passes from audit.jsonl into copy.sqlite: 4 new, 0 already there",
    );
    let copy = project.run(&["ledger", "export", "--ledger", "copy.sqlite"]);
    assert_eq!(copy.stdout, csv.stdout);
    // A consistent copy of the whole database; never over a file.
    let backup = project.run(&["ledger", "backup", "backup.sqlite"]);
    backup.assert_code(0);
    backup.assert_stderr_has("backed up sabaq-ledger.sqlite (4 passes) to backup.sqlite");
    let restored = project.run(&["ledger", "export", "--ledger", "backup.sqlite"]);
    assert_eq!(restored.stdout, csv.stdout);
    project
        .run(&["ledger", "backup", "backup.sqlite"])
        .assert_code(2)
        .assert_stderr_has("error: backup.sqlite exists already");
    // The old ledger file given as --ledger: a clear refusal, not a database error.
    project.write("old.jsonl", &format!("{}\n", lines[1]));
    project
        .run(&["ledger", "export", "--ledger", "old.jsonl"])
        .assert_code(2)
        .assert_stderr_has("error: old.jsonl is a JSON-lines ledger of an older Sabaq, not a database: give `--ledger old.sqlite`");
    project
        .run(&["ledger", "export", "--ledger", "none.sqlite"])
        .assert_code(2)
        .assert_stderr_has("error: no ledger at none.sqlite");
}
