//! Keys, locked assessments and `sabaq verify`: the key file is private and never replaced,
//! never reaches the site; each kind of code gets its own answer; a pass is recorded once, and
//! an older JSON-lines ledger with a line cut short is imported.

use std::fs;

use sabaq::dates;
use sabaq::keys::Key;
use sabaq::load::load_site;
use sabaq_quiz::code::{self, Code, Fields};
use sabaq_quiz::key::to_hex;

use crate::harness::{Project, Run};

pub const COURSE: &str = "assessed-course";

/// A project with the assessed course and a fresh key at `institution.key`.
pub fn project_with_key() -> Project {
    let project = Project::with_fixture(COURSE);
    project
        .run(&["keys", "new", "institution.key"])
        .assert_code(0);
    project
}

/// Makes codes as the browser does after a pass, with the project's key and course.
pub struct Coder {
    key: Key,
    course: sabaq::model::Course,
}

impl Coder {
    pub fn new(project: &Project) -> Coder {
        let (site, _) = load_site(&project.path(COURSE));
        Coder {
            key: Key::load(&project.path("institution.key")).unwrap(),
            course: site.courses[0].clone(),
        }
    }

    /// The code of a pass of `module` (1-based) today with 75%, as `fields` changes it.
    pub fn code(&self, learner: &str, module: u8, fields: impl Fn(&mut Fields)) -> Code {
        let mut f = Fields {
            version: code::VERSION,
            epoch: self.key.current_epoch().number,
            module,
            day: code::day_number(dates::today() as u32),
            score: 75,
        };
        fields(&mut f);
        let slug = &self.course.modules[usize::from(module) - 1].slug;
        let secret = self.key.module_secret(&self.course.id, slug, f.epoch);
        Code {
            fields: f,
            tag: code::tag(&secret, &self.course.id, learner, &f),
        }
    }
}

/// A code as the browser makes it after a pass of `module` (1-based).
pub fn code_for(
    project: &Project,
    learner: &str,
    module: u8,
    fields: impl Fn(&mut Fields),
) -> Code {
    Coder::new(project).code(learner, module, fields)
}

/// (learner, module, code) of every pass in the project's ledger database, in the order recorded.
pub fn ledger_rows(project: &Project) -> Vec<(String, String, String)> {
    let db = rusqlite::Connection::open(project.path("sabaq-ledger.sqlite")).unwrap();
    let mut select = db
        .prepare("SELECT learner, module, code FROM passes ORDER BY id")
        .unwrap();
    select
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// `sabaq COMMAND --course assessed-course --key institution.key ARGS...`
pub fn keyed<'a>(command: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec![command, "--course", COURSE, "--key", "institution.key"];
    all.extend_from_slice(args);
    all
}

/// `sabaq issue` of `credential` to `learner`, with the project's key.
pub fn issue(project: &Project, learner: &str, credential: &str, extra: &[&str]) -> Run {
    let mut args = keyed("issue", &["--learner", learner, "--credential", credential]);
    args.extend_from_slice(extra);
    project.run(&args)
}

fn verify(project: &Project, learner: &str, codes: &[&str]) -> Run {
    let mut args = keyed("verify", &["--learner", learner]);
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
        "note: assessment assessed/first-exam: guessing its answers costs about 2^9.0 Argon2id runs",
    );
    run.assert_stderr_has(
        "warning: guessing the answers of assessment `first-exam` costs about 2^9.0 Argon2id runs: too easy to brute-force",
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
    assert_eq!(
        ledger_rows(&project),
        [("03001234567".to_string(), "first".to_string(), text.clone())]
    );

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
    // The same modules under another course id: the code names its course in the tag.
    for file in ["01-first/module.yaml", "01-first/01-exam.md"] {
        project.write(
            &format!("other-course/{file}"),
            &project.read(&format!("{COURSE}/{file}")),
        );
    }
    project.write(
        "other-course/course.yaml",
        &project
            .read(&format!("{COURSE}/course.yaml"))
            .replace("id: assessed", "id: other"),
    );
    let elsewhere = project.run(&[
        "verify",
        "--course",
        "other-course",
        "--key",
        "institution.key",
        "--learner",
        learner,
        &text,
    ]);
    elsewhere.assert_code(1);
    assert!(
        elsewhere.stdout.contains("wrong tag"),
        "{}",
        elsewhere.stdout
    );
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
    assert_eq!(ledger_rows(&project).len(), 1);
}

#[test]
fn a_csv_batch_goes_on_past_garbled_rows_and_an_old_ledger_with_a_cut_line_is_imported() {
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
    // The JSON-lines ledger of an older Sabaq, whose last line was cut short by a crash.
    project.write("sabaq-ledger.jsonl", "{\"verified\":\"2026-");
    let run = project.run(&keyed("verify", &["--csv", "codes.csv", "--json"]));
    run.assert_code(1);
    run.assert_stderr_has("warning: sabaq-ledger.jsonl:1: the line is incomplete");
    run.assert_stderr_has("note: imported 0 passes from sabaq-ledger.jsonl into sabaq-ledger.sqlite: 0 new, 0 already there, 1 line skipped");
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
    // The three passes are in the database; the old file is imported once only.
    assert_eq!(ledger_rows(&project).len(), 3);
    let text = verify(&project, "03001234567", &[&first.to_text()]);
    assert!(
        !text.stderr.contains("sabaq-ledger.jsonl"),
        "{}",
        text.stderr
    );
    assert!(text.stdout.contains("already recorded on"));
    assert!(
        text.stdout.contains(
            "Certificate in Testing (assessed-certificate): 2 of 2 modules: first verified"
        )
    );
}

#[test]
fn issue_waits_for_every_module_then_signs_a_credential_that_verifies_offline() {
    let project = project_with_key();
    let learner = "0300-1234567";
    let first = code_for(&project, "03001234567", 1, |_| {}).to_text();
    let second = code_for(&project, "03001234567", 2, |f| f.score = 100).to_text();
    let issue_credential =
        |credential: &str, extra: &[&str]| issue(&project, learner, credential, extra);
    let issue = |extra: &[&str]| issue_credential("assessed-certificate", extra);

    // One module verified of two: nothing is issued.
    verify(&project, learner, &[&first]).assert_code(0);
    let early = issue(&[]);
    early.assert_code(1);
    assert!(
        early.stderr.contains("has 1 of the 2 modules") && early.stderr.contains("missing: second"),
        "{}",
        early.stderr
    );
    assert!(
        !project
            .path("assessed-certificate-03001234567.json")
            .exists()
    );
    let unknown = issue_credential("no-such-thing", &[]);
    unknown.assert_code(2);
    assert!(
        unknown
            .stderr
            .contains("has no credential `no-such-thing`; its credentials: assessed-certificate")
    );

    // Both verified: a credential, never written over.
    verify(&project, learner, &[&second]).assert_code(0);
    let issued = issue(&["--name", "Ayesha Khan"]);
    issued.assert_code(0);
    let file = "assessed-certificate-03001234567.json";
    let text = project.read(file);
    let credential: serde_json::Value = serde_json::from_str(&text).unwrap();
    let key = Key::load(&project.path("institution.key")).unwrap();
    assert_eq!(credential["issuer"]["id"], key.issuer_did().as_str());
    assert_eq!(credential["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(credential["name"], "Certificate in Testing");
    assert!(
        credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
            .as_str()
            .unwrap()
            .contains("unproctored self-assessment")
    );
    assert_eq!(credential["evidence"].as_array().unwrap().len(), 2);
    // The learner id is only in the credential hashed.
    assert!(!text.contains("03001234567") && !text.contains("0300-1234567"));
    let again = issue(&["--name", "Ayesha Khan"]);
    again.assert_code(2);
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    assert_eq!(project.read(file), text);

    // verify-credential: valid for this learner and this key.
    let check = |file: &str, extra: &[&str]| {
        let mut args = vec!["verify-credential", file];
        args.extend_from_slice(extra);
        project.run(&args)
    };
    let good = check(
        file,
        &["--learner", "0300 123 4567", "--key", "institution.key"],
    );
    good.assert_code(0);
    assert!(
        good.stdout.contains("valid Open Badges 3.0 credential"),
        "{}",
        good.stdout
    );
    assert!(good.stdout.contains("learner: issued to 03001234567"));
    assert!(good.stdout.contains("learner's name: Ayesha Khan"));
    assert!(good.stdout.contains("signer: the key in institution.key"));
    // Another learner; another institution's key.
    let other = check(file, &["--learner", "03009999999"]);
    other.assert_code(1);
    assert!(other.stdout.contains("NOT issued to 03009999999"));
    project.run(&["keys", "new", "other.key"]).assert_code(0);
    let foreign = check(file, &["--key", "other.key"]);
    foreign.assert_code(1);
    assert!(foreign.stdout.contains("signer: NOT the key in other.key"));

    // Tampered copies: each a clear refusal, status 1.
    let tamper = |name: &str, from: &str, to: &str| {
        assert!(text.contains(from), "{from}");
        project.write(name, &text.replacen(from, to, 1));
        let run = check(name, &[]);
        run.assert_code(1);
        run
    };
    let renamed = tamper(
        "renamed.json",
        "Certificate in Testing",
        "Certificate in Surgery",
    );
    assert!(
        renamed.stdout.contains("signature does not match"),
        "{}",
        renamed.stdout
    );
    let named = tamper("named.json", "Ayesha Khan", "Someone Else");
    assert!(named.stdout.contains("signature does not match"));
    let added = tamper(
        "added.json",
        "\"name\": \"Certificate in Testing\",",
        "\"name\": \"Certificate in Testing\", \"grade\": \"A+\",",
    );
    assert!(
        added.stdout.contains("unknown field `grade`"),
        "{}",
        added.stdout
    );
    let reissued = tamper(
        "reissued.json",
        &key.issuer_did(),
        "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z",
    );
    assert!(reissued.stdout.contains("not valid"), "{}", reissued.stdout);
    project.write("garbage.json", "{\"@context\": ");
    let garbage = check("garbage.json", &[]);
    garbage.assert_code(1);
    assert!(
        garbage
            .stdout
            .contains("garbage.json: not valid: the file is not JSON")
    );
    check("missing.json", &[]).assert_code(2);
}

#[test]
fn keys_show_prints_the_issuer_did_and_epochs_and_nothing_secret() {
    let project = project_with_key();
    let run = project.run(&["keys", "show", "institution.key"]);
    run.assert_code(0);
    let key = Key::load(&project.path("institution.key")).unwrap();
    assert!(
        run.stdout
            .contains(&format!("credentials are signed by {}", key.issuer_did()))
    );
    assert!(run.stdout.contains("epoch 0 from"));
    assert!(!run.stdout.contains(&to_hex(&key.signing_seed)));
}
