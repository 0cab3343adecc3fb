//! The `sabaq` command: parses arguments, calls the library, prints diagnostics and sets the
//! exit status (0 success, 1 problems in the courses, 2 anything else).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use sabaq::diag::{Diagnostic, display_path, eprint_all};
use sabaq::{BuildError, SiteOptions};

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
    },
    /// Check everything `build` checks, without writing anything.
    Check {
        /// A course folder or a folder of courses.
        #[arg(default_value = "courses")]
        path: PathBuf,
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
        } => {
            let started = Instant::now();
            let options = SiteOptions {
                source: path,
                base_url,
            };
            match sabaq::build(&options, &out) {
                Ok(compiled) => {
                    eprint_all(&compiled.warnings);
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
                    ExitCode::SUCCESS
                }
                Err(BuildError::Invalid(diagnostics)) => invalid(&diagnostics, "build"),
                Err(BuildError::Write(e)) => fail(&e),
            }
        }
        Command::Check { path } => {
            let options = SiteOptions {
                source: path,
                base_url: None,
            };
            match sabaq::compile(&options) {
                Ok(compiled) => {
                    eprint_all(&compiled.warnings);
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
            let options = SiteOptions {
                source: path,
                base_url: None,
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
