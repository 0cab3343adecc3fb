//! The `sabaq` command: parses arguments, calls the library, prints diagnostics and sets the
//! exit status (0 success, 1 problems in the courses, 2 anything else).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

mod credential_cli;
mod import_cli;
mod ledger_cli;
mod verify_cli;
use sabaq::diag::{Diagnostic, display_path, eprint_all};
use sabaq::keys::Key;
use sabaq::{BuildError, SiteOptions, package};

/// Sabaq: small course sites from Markdown, for phones on slow networks.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new course folder that builds as it is.
    New {
        /// The folder to create.
        dir: PathBuf,
        /// The course title (default: from the folder name).
        #[arg(long)]
        title: Option<String>,
        /// The course language as a BCP 47 tag, such as `en` or `ur`.
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Build the site: one course folder, or a folder of courses.
    Build {
        /// A course folder or a folder of courses.
        #[arg(default_value = "courses")]
        path: PathBuf,
        /// Where to write the site; replaced only when the build succeeds.
        #[arg(long, short, default_value = "site")]
        out: PathBuf,
        /// The address the site will live at, for sitemap.xml (overrides site.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// The institution's key file, which locks assessments (default: $SABAQ_KEY).
        #[arg(long, env = "SABAQ_KEY")]
        key: Option<PathBuf>,
        /// Also write .gz and .br copies beside each text file, for servers that send them.
        #[arg(long)]
        precompress: bool,
        /// Also write the whole site as one zip archive (with a README on serving it over a
        /// local network), to pass around by USB or Bluetooth.
        #[arg(long, value_name = "FILE")]
        zip: Option<PathBuf>,
    },
    /// Check everything `build` checks, without writing anything.
    Check {
        /// A course folder or a folder of courses.
        #[arg(default_value = "courses")]
        path: PathBuf,
        /// The institution's key file (default: $SABAQ_KEY).
        #[arg(long, env = "SABAQ_KEY")]
        key: Option<PathBuf>,
    },
    /// Serve the site on this computer, rebuilding and reloading on every save.
    Serve {
        /// A course folder or a folder of courses.
        #[arg(default_value = "courses")]
        path: PathBuf,
        /// The address to listen on; only this computer can connect unless you change it.
        #[arg(long, default_value = "127.0.0.1")]
        host: IpAddr,
        /// The port (0 picks a free one).
        #[arg(long, short, default_value_t = 8000)]
        port: u16,
    },
    /// Verify completion codes that learners sent, and record the valid ones in the ledger.
    Verify {
        /// The course: its folder, or its id among the courses in --courses.
        #[arg(long)]
        course: String,
        /// The folder of courses to find --course in.
        #[arg(long, default_value = "courses")]
        courses: PathBuf,
        /// The learner id the codes were made for (with codes given as arguments).
        #[arg(long, required_unless_present = "csv")]
        learner: Option<String>,
        /// Codes, as XXXX-XXXX-XXXX-XXXX or 25 digits.
        #[arg(required_unless_present = "csv")]
        codes: Vec<String>,
        /// A CSV file of `learner,code` rows instead.
        #[arg(long, conflicts_with_all = ["learner", "codes"])]
        csv: Option<PathBuf>,
        /// The institution's key file (default: $SABAQ_KEY).
        #[arg(long, env = "SABAQ_KEY")]
        key: PathBuf,
        /// The ledger database of verified passes (a JSON-lines ledger of an older Sabaq beside
        /// it, with the same name ending in .jsonl, is imported on first use).
        #[arg(long, default_value = sabaq::ledger::DEFAULT_FILE)]
        ledger: PathBuf,
        /// One JSON object per code on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Issue an Open Badges 3.0 credential to a learner whose verified codes cover it.
    Issue {
        /// The course: its folder, or its id among the courses in --courses.
        #[arg(long)]
        course: String,
        /// The folder of courses to find --course in.
        #[arg(long, default_value = "courses")]
        courses: PathBuf,
        /// The learner id, as on the codes.
        #[arg(long)]
        learner: String,
        /// The credential's id in course.yaml.
        #[arg(long)]
        credential: String,
        /// The learner's name, written in the credential in the clear (the id is only hashed).
        #[arg(long)]
        name: Option<String>,
        /// The institution's key file, whose Ed25519 key signs (default: $SABAQ_KEY).
        #[arg(long, env = "SABAQ_KEY")]
        key: PathBuf,
        /// The ledger database `sabaq verify` keeps; the credential is recorded there too.
        #[arg(long, default_value = sabaq::ledger::DEFAULT_FILE)]
        ledger: PathBuf,
        /// Where to write the credential (default: <credential>-<learner>.json); never replaced.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Check an Open Badges credential offline: its signature, and optionally learner and key.
    VerifyCredential {
        /// The credential (JSON).
        file: PathBuf,
        /// Also check that it was issued to this learner id.
        #[arg(long)]
        learner: Option<String>,
        /// Also check that this key file's key signed it (default: $SABAQ_KEY, if set).
        #[arg(long, env = "SABAQ_KEY")]
        key: Option<PathBuf>,
    },
    /// Turn question banks and books made for other tools into course-format lessons.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Make and manage the institution's key file.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Export, import or back up the ledger of verified passes and issued credentials.
    Ledger {
        #[command(subcommand)]
        action: LedgerAction,
    },
}

#[derive(Subcommand)]
enum LedgerAction {
    /// Write every verified pass (or issued credential) as CSV or JSON lines, oldest first.
    Export {
        /// The ledger database.
        #[arg(long, default_value = sabaq::ledger::DEFAULT_FILE)]
        ledger: PathBuf,
        /// `csv` (a header row, then one row each) or `jsonl` (one JSON object a line).
        #[arg(long, default_value = "csv", value_parser = ["csv", "jsonl"])]
        format: String,
        /// The issued credentials instead of the verified passes.
        #[arg(long)]
        issued: bool,
        /// The file to write (never replaced); default: standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Import a JSON-lines ledger of an older Sabaq (lines it cannot read are named, and skipped).
    Import {
        /// The .jsonl file.
        file: PathBuf,
        /// The ledger database to import into.
        #[arg(long, default_value = sabaq::ledger::DEFAULT_FILE)]
        ledger: PathBuf,
    },
    /// Copy the whole database, consistent, while others may go on verifying.
    Backup {
        /// The copy to write (must not exist).
        to: PathBuf,
        /// The ledger database.
        #[arg(long, default_value = sabaq::ledger::DEFAULT_FILE)]
        ledger: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportFrom {
    /// Moodle GIFT files: one lesson of quiz blocks per file.
    Gift {
        /// The GIFT files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The folder to write the lessons into (a module folder of a course).
        #[arg(long, short, default_value = ".")]
        out: PathBuf,
    },
    /// An mdBook (with mdbook-quiz quizzes): a new course folder.
    Mdbook {
        /// The book's folder, holding book.toml.
        book: PathBuf,
        /// The course folder to create (it must not exist).
        #[arg(long, short)]
        out: PathBuf,
        /// The course id (default: from the book's title).
        #[arg(long)]
        id: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Make a new key file (readable by you only); never replaces a file.
    New {
        /// Where to write it: outside every course folder.
        file: PathBuf,
    },
    /// Start a new key epoch today: new assessments and codes use it; old codes still verify.
    Rotate { file: PathBuf },
    /// Show the key's epochs and the did:key that signs its credentials (nothing secret).
    Show { file: PathBuf },
    /// Revoke an epoch after a leak: its codes stop verifying.
    Revoke {
        file: PathBuf,
        /// The epoch number.
        epoch: u8,
    },
}

/// The key for a build: loaded from `path`, or `None` when no key was given.
fn load_key(path: Option<&PathBuf>) -> Result<Option<Key>, ExitCode> {
    match path {
        None => Ok(None),
        Some(path) => Key::load(path).map(Some).map_err(|e| fail(&e)),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::New {
            dir,
            title,
            language,
        } => match sabaq::scaffold::new_course(&dir, title.as_deref(), &language) {
            Ok(()) => {
                eprintln!(
                    "created {}; try `sabaq serve {}`",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Build {
            path,
            out,
            base_url,
            key,
            precompress,
            zip,
        } => {
            let started = Instant::now();
            if let Some(archive) = &zip
                && let Err(e) = package::guard_archive_place(archive, &path, &out)
            {
                return fail(&e);
            }
            let key = match load_key(key.as_ref()) {
                Ok(key) => key,
                Err(code) => return code,
            };
            let options = SiteOptions {
                source: path,
                base_url,
                key,
                precompress,
            };
            match sabaq::build(&options, &out) {
                Ok(compiled) => {
                    eprint_all(&compiled.warnings);
                    report_assessments(&compiled.assessments);
                    eprintln!(
                        "built {} course{} ({} pages, {} files) into {} in {:.2} s",
                        compiled.courses,
                        plural(compiled.courses),
                        compiled.pages,
                        compiled.files.len(),
                        display_path(&out),
                        started.elapsed().as_secs_f64()
                    );
                    if compiled.sitemap_is_relative {
                        eprintln!(
                            "note: sitemap.xml uses relative URLs; pass --base-url (or set base_url in site.yaml) for search engines"
                        );
                    }
                    if let Some(archive) = zip {
                        let readme =
                            package::zip_readme(&compiled.title, env!("CARGO_PKG_VERSION"));
                        match package::write_zip(&archive, &compiled.files, &readme) {
                            Ok(size) => eprintln!(
                                "wrote {} ({} KB): the site in {}/ with README.txt",
                                display_path(&archive),
                                size.div_ceil(1024),
                                package::ZIP_FOLDER
                            ),
                            Err(e) => return fail(&e),
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Invalid(diagnostics)) => invalid(&diagnostics, "build"),
                Err(BuildError::Write(e)) => fail(&e),
            }
        }
        Command::Check { path, key } => {
            let key = match load_key(key.as_ref()) {
                Ok(key) => key,
                Err(code) => return code,
            };
            let options = SiteOptions {
                source: path,
                base_url: None,
                key,
                precompress: false,
            };
            match sabaq::compile(&options) {
                Ok(compiled) => {
                    eprint_all(&compiled.warnings);
                    report_assessments(&compiled.assessments);
                    eprintln!(
                        "checked {} course{} ({} pages): no errors",
                        compiled.courses,
                        plural(compiled.courses),
                        compiled.pages
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => invalid(&diagnostics, "check"),
            }
        }
        Command::Serve { path, host, port } => {
            // The preview locks assessments with the throwaway key: codes made while
            // authoring are never valid.
            let options = SiteOptions {
                source: path,
                base_url: None,
                key: None,
                precompress: false,
            };
            let addr = SocketAddr::new(host, port);
            let result = sabaq::serve::serve(&options, addr, |bound| {
                println!(
                    "serving {} at http://{bound}/ (Ctrl-C to stop)",
                    display_path(&options.source)
                );
                if !bound.ip().is_loopback() {
                    eprintln!(
                        "warning: listening on {}: other devices on the network can open the site",
                        bound.ip()
                    );
                }
            });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::Keys { action } => keys(action),
        Command::Ledger { action } => exit_status(match action {
            LedgerAction::Export {
                ledger,
                format,
                issued,
                out,
            } => ledger_cli::export(
                &ledger,
                if format == "jsonl" {
                    sabaq::ledger::ExportFormat::JsonLines
                } else {
                    sabaq::ledger::ExportFormat::Csv
                },
                issued,
                out.as_deref(),
            ),
            LedgerAction::Import { file, ledger } => ledger_cli::import(&file, &ledger),
            LedgerAction::Backup { to, ledger } => ledger_cli::backup(&ledger, &to),
        }),
        Command::Import {
            from: ImportFrom::Gift { files, out },
        } => exit_status(import_cli::gift(&files, &out)),
        Command::Import {
            from: ImportFrom::Mdbook { book, out, id },
        } => exit_status(import_cli::mdbook(&book, &out, id.as_deref())),
        Command::Issue {
            course,
            courses,
            learner,
            credential,
            name,
            key,
            ledger,
            out,
        } => exit_status(credential_cli::issue(credential_cli::IssueRequest {
            course: &course,
            courses: &courses,
            learner: &learner,
            credential: &credential,
            name: name.as_deref(),
            key: &key,
            ledger: &ledger,
            out: out.as_deref(),
        })),
        Command::VerifyCredential { file, learner, key } => exit_status(
            credential_cli::verify_credential(credential_cli::CheckRequest {
                file: &file,
                learner: learner.as_deref(),
                key: key.as_deref(),
            }),
        ),
        Command::Verify {
            course,
            courses,
            learner,
            codes,
            csv,
            key,
            ledger,
            json,
        } => exit_status(verify_cli::run(verify_cli::Request {
            course: &course,
            courses: &courses,
            learner: learner.as_deref(),
            codes: &codes,
            csv: csv.as_deref(),
            key: &key,
            ledger: &ledger,
            json,
        })),
    }
}

/// 0 when a check passed, 1 when it found a problem, 2 when it could not run.
fn exit_status(result: anyhow::Result<bool>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => fail(&e),
    }
}

fn keys(action: KeysAction) -> ExitCode {
    let result = match action {
        KeysAction::New { file } => Key::create(&file).map(|_| {
            eprintln!(
                "wrote a new key to {} (readable by you only). Keep a backup somewhere safe, outside every course folder; build with `--key {}`",
                display_path(&file),
                display_path(&file)
            );
        }),
        KeysAction::Rotate { file } => Key::rotate(&file).map(|(epoch, written)| {
            eprintln!(
                "{}: epoch {epoch} starts today{}; rebuild the sites so new codes use it",
                display_path(&file),
                through_link(&file, &written)
            );
        }),
        KeysAction::Show { file } => Key::load(&file).map(|key| {
            println!("{}", key.describe());
        }),
        KeysAction::Revoke { file, epoch } => Key::revoke(&file, epoch).map(|written| {
            eprintln!(
                "{}: epoch {epoch} is revoked{}; its codes no longer verify",
                display_path(&file),
                through_link(&file, &written)
            );
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// ` (written to X, which the link points to)` when a key file was changed through a link.
fn through_link(given: &std::path::Path, written: &std::path::Path) -> String {
    if given == written {
        String::new()
    } else {
        format!(
            " (written to {}, which the link points to)",
            display_path(written)
        )
    }
}

/// One line per assessment: what guessing its answers costs, and how long a slow phone takes to
/// grade a sheet.
fn report_assessments(assessments: &[sabaq::AssessmentReport]) {
    for a in assessments {
        eprintln!(
            "note: assessment {}/{}: guessing its answers costs about 2^{:.1} Argon2id runs ({} MiB, {} passes); a slow phone grades a sheet in about {:.1} s",
            a.course,
            a.quiz,
            a.bits,
            sabaq::assessment::ARGON.memory_kib / 1024,
            sabaq::assessment::ARGON.passes,
            a.slow_phone_seconds
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn invalid(diagnostics: &[Diagnostic], what: &str) -> ExitCode {
    eprint_all(diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!(
        "error: {what} failed with {errors} error{} and {warnings} warning{}; nothing was written",
        plural(errors),
        plural(warnings)
    );
    ExitCode::from(1)
}

fn fail(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::from(2)
}
