//! Integration tests: drive the real `sabaq` binary over the fixture courses in
//! `tests/fixtures/`, checking exit status, stderr and the files written.

mod budgets;
mod build;
mod credentials;
mod engine;
mod errors;
mod hardening;
mod harness;
mod images;
mod import;
mod package;
mod rebuilds;
mod records;
mod scaffold;
mod secrecy;
mod secrets;
mod serve;
mod site_links;
mod themes;
