//! Keys, locked assessments and `sabaq verify`: the key file is private and never replaced,
//! never reaches the site; each kind of code gets its own answer; the ledger is append-only,
//! idempotent and survives a line cut short.

use std::fs;

use sabaq::dates;
use sabaq::keys::Key;
use sabaq::load::load_site;
use sabaq_quiz::code::{self, Code, Fields};
use sabaq_quiz::key::to_hex;

use crate::harness::{Project, Run};

const COURSE: &str = "assessed-course";

/// A project with the assessed course and a fresh key at `institution.key`.
fn project_with_key() -> Project {
    let project = Project::with_fixture(COURSE);
    project
        .run(&["keys", "new", "institution.key"])
        .assert_code(0);
    project
}

/// A code as the browser makes it after a pass of `module` (1-based).
fn code_for(project: &Project, learner: &str, module: u8, fields: impl Fn(&mut Fields)) -> Code {
    let key = Key::load(&project.path("institution.key")).unwrap();
    let (site, _) = load_site(&project.path(COURSE));
    let course = &site.courses[0];
    let mut f = Fields {
        version: code::VERSION,
        epoch: key.current_epoch().number,
        module,
        day: code::day_number(dates::today() as u32),
        score: 75,
    };
    fields(&mut f);
    let slug = &course.modules[usize::from(module) - 1].slug;
    let secret = key.module_secret(&course.id, slug, f.epoch);
    Code {
        fields: f,
        tag: code::tag(&secret, &course.id, learner, &f),
    }
}

fn verify(project: &Project, learner: &str, codes: &[&str]) -> Run {
    let mut args = vec![
        "verify",
        "--course",
        COURSE,
        "--key",
        "institution.key",
        "--learner",
        learner,
    ];
    args.extend_from_slice(codes);
    project.run(&args)
}

#[test]
fn a_key_file_is_private_never_replaced_and_refused_when_others_can_read_it() {
    let project = project_with_key();
    let before = project.read("institution.key");
    let again = project.run(&["keys", "new", "institution.key"]);
    again.assert_code(2);
    again.assert_stderr_has("error: institution.key exists; a key file is never overwritten");
    assert_eq!(project.read("institution.key"), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = project.path("institution.key");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let build = project.run(&["build", COURSE, "--key", "institution.key"]);
        build.assert_code(2);
        build.assert_stderr_has(
            "error: the key file institution.key can be read by others (mode 644); run `chmod 600 institution.key`",
        );
        build.assert_not_written("site");
    }
    let missing = project.run(&["build", COURSE, "--key", "nowhere.key"]);
    missing.assert_code(2);
    missing.assert_stderr_has("error: cannot read the key file nowhere.key");
}

#[test]
fn the_key_and_the_assessment_answers_are_in_no_file_of_the_site() {
    let project = project_with_key();
    let run = project.run(&["build", COURSE, "--key", "institution.key", "--out", "site"]);
    run.assert_code(0);
    run.assert_stderr_has(
        "note: assessment assessed/first-exam: a random answer sheet passes once in 2^11.4",
    );
    run.assert_stderr_has(
        "warning: assessment `first-exam` is passed by random guessing once in 2^11.4 answer sheets: too easy to brute-force",
    );
    let key_text = project.read("institution.key");
    let hex_of = |field: &str| {
        key_text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}: ")))
            .unwrap()
            .trim()
            .to_string()
    };
    let (master, signing) = (hex_of("master"), hex_of("signing"));
    let master_bytes = sabaq_quiz::key::from_hex(&master).unwrap();
    let key = Key::load(&project.path("institution.key")).unwrap();
    let secret = key.module_secret("assessed", "first", 0);
    let page = project.read("site/assessed/first/exam/index.html");
    assert!(page.contains(" data-gate=\""));
    for (path, bytes) in project.tree("site") {
        let text = String::from_utf8_lossy(&bytes);
        for needle in [
            master.as_str(),
            signing.as_str(),
            &to_hex(&secret),
            "expenses",
            "Tuesday",
            "Two and two make four",
            "Money going out",
        ] {
            assert!(!text.contains(needle), "{needle} found in {path}");
        }
        assert!(
            !bytes.windows(32).any(|w| w == master_bytes.as_slice()),
            "the master key's bytes are in {path}"
        );
        assert!(
            !bytes.windows(16).any(|w| w == secret),
            "a module secret is in {path}"
        );
    }
}

#[test]
fn a_build_without_a_key_warns_and_marks_its_codes_unusable() {
    let project = Project::with_fixture(COURSE);
    let run = project.run(&["build", COURSE, "--out", "site"]);
    run.assert_code(0);
    run.assert_stderr_has(
        "warning: built WITHOUT an institution key: the completion codes of its 2 assessments are marked unusable and no institution will accept them",
    );
    let page = project.read("site/assessed/first/exam/index.html");
    assert!(page.contains(" data-version=\"3\""));
}

#[test]
fn verify_answers_each_kind_of_code_and_records_valid_ones_once() {
    let project = project_with_key();
    let learner = "0300-1234567";
    let good = code_for(&project, "03001234567", 1, |_| {});
    let text = good.to_text();

    let run = verify(&project, learner, &[&text]);
    run.assert_code(0);
    assert!(
        run.stdout.contains(&format!(
            "{text}  learner 03001234567: valid: module 1 (first), 75%, passed {} (recorded now)",
            dates::format(dates::today())
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "learner 03001234567: Certificate in Testing (assessed-certificate): 1 of 2 modules: first verified"
    ));
    assert!(run.stdout.contains("second missing"));
    let again = verify(&project, "03001234567", &[&good.to_digits()]);
    again.assert_code(0);
    assert!(
        again.stdout.contains("(already recorded on"),
        "{}",
        again.stdout
    );
    assert_eq!(project.read("sabaq-ledger.jsonl").lines().count(), 1);

    // One typo, or two neighbours swapped: repaired. Two typos: refused.
    let mut chars: Vec<char> = text.chars().collect();
    chars[1] = if chars[1] == 'X' { 'Y' } else { 'X' };
    let typo: String = chars.iter().collect();
    let repaired = verify(&project, learner, &[&typo]);
    repaired.assert_code(0);
    assert!(
        repaired.stdout.contains("repaired (symbol 2 corrected)"),
        "{}",
        repaired.stdout
    );
    chars[2] = if chars[2] == 'X' { 'Y' } else { 'X' };
    let two: String = chars.iter().collect();
    let refused = verify(&project, learner, &[&two]);
    refused.assert_code(1);
    assert!(
        refused.stdout.contains("bad check symbol"),
        "{}",
        refused.stdout
    );

    // Another learner, a code from the future, a build without a key.
    let other = verify(&project, "03009999999", &[&text]);
    other.assert_code(1);
    assert!(other.stdout.contains("wrong tag"));
    let future = code_for(&project, "03001234567", 2, |f| {
        f.day = code::day_number(dates::today() as u32 + 5)
    });
    let late = verify(&project, learner, &[&future.to_text()]);
    late.assert_code(1);
    assert!(late.stdout.contains("date out of range"), "{}", late.stdout);
    let unusable = code_for(&project, "03001234567", 2, |f| {
        f.version = code::VERSION_UNUSABLE
    });
    let refused = verify(&project, learner, &[&unusable.to_text()]);
    assert!(
        refused
            .stdout
            .contains("unusable: made by a site built without")
    );

    // A revoked epoch.
    project
        .run(&["keys", "revoke", "institution.key", "0"])
        .assert_code(0);
    let revoked = verify(&project, learner, &[&text]);
    revoked.assert_code(1);
    assert!(revoked.stdout.contains("epoch revoked: key epoch 0"));
    assert_eq!(project.read("sabaq-ledger.jsonl").lines().count(), 1);
}

#[test]
fn a_csv_batch_goes_on_past_garbled_rows_and_the_ledger_survives_a_cut_line() {
    let project = project_with_key();
    let first = code_for(&project, "03001234567", 1, |_| {});
    let second = code_for(&project, "03001234567", 2, |f| f.score = 100);
    let other = code_for(&project, "03007654321", 1, |_| {});
    project.write(
        "codes.csv",
        &format!(
            "learner,code\n03001234567,{}\nthis row is garbled\n\"0300 7654321\",{}\n03001234567,{}\n",
            first.to_text(),
            other.to_digits(),
            second.to_text()
        ),
    );
    // A ledger whose last line was cut short by a crash.
    project.write("sabaq-ledger.jsonl", "{\"verified\":\"2026-");
    let run = project.run(&[
        "verify",
        "--course",
        COURSE,
        "--key",
        "institution.key",
        "--csv",
        "codes.csv",
        "--json",
    ]);
    run.assert_code(1);
    run.assert_stderr_has("warning: sabaq-ledger.jsonl:1: the line is incomplete");
    let results: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["garbled-row", "valid", "valid", "valid"],
        "{}",
        run.stdout
    );
    assert_eq!(results[0]["at"], "codes.csv:3");
    assert_eq!(results[2]["learner"], "03007654321");
    assert_eq!(results[3]["score"], 100);
    // The three passes follow the cut line, each on a line of its own, and read back.
    let ledger = project.read("sabaq-ledger.jsonl");
    assert_eq!(ledger.lines().count(), 4, "{ledger}");
    let text = verify(&project, "03001234567", &[&first.to_text()]);
    text.assert_stderr_has("warning: sabaq-ledger.jsonl:1");
    assert!(text.stdout.contains("already recorded on"));
    assert!(
        text.stdout.contains(
            "Certificate in Testing (assessed-certificate): 2 of 2 modules: first verified"
        )
    );
}
