//! `sabaq serve`: builds into a private folder, serves it on localhost, rebuilds when a source
//! file is saved and reloads the open page. Serves only files inside the output folder.
//!
//! Reloading: every HTML response gets `<script src="/__sabaq/reload.js">`, which long-polls
//! `/__sabaq/wait?v=N`; the request returns when the build version moves past N.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use tiny_http::{Header, Request, Response, Server, StatusCode};

use crate::diag::eprint_all;
use crate::links::percent_decode;
use crate::{BuildError, Incremental, SiteOptions, build_with};

/// How long a reload request waits for a new build before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(25);
/// Saves closer together than this are one rebuild (an editor's save is a burst of events a
/// few milliseconds apart).
const DEBOUNCE: Duration = Duration::from_millis(10);
const WORKERS: usize = 8;

const RELOAD_JS: &str = "(function(){var v=null;function poll(){fetch('/__sabaq/wait?v='+(v===null?'':v)).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload();return}v=t;poll()}).catch(function(){setTimeout(poll,1000)})}poll()})();\n";

/// The build version that reload requests wait on.
#[derive(Default)]
struct Version {
    number: Mutex<u64>,
    changed: Condvar,
}

impl Version {
    fn current(&self) -> u64 {
        *self.number.lock().expect("version lock")
    }

    fn bump(&self) {
        *self.number.lock().expect("version lock") += 1;
        self.changed.notify_all();
    }

    /// Waits until the version differs from `seen`, or the timeout passes.
    fn wait_past(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.number.lock().expect("version lock");
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |n| *n == seen)
            .expect("version lock");
        *guard
    }
}

/// Serves `options.source` on `addr` until the process is stopped. `on_ready` receives the
/// address actually bound (port 0 picks a free one).
pub fn serve(
    options: &SiteOptions,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let workdir = tempfile::Builder::new()
        .prefix("sabaq-serve-")
        .tempdir()
        .context("cannot create a folder for the served site")?;
    let out = workdir.path().join("site");
    // Watch before the first build and before saying "ready", so no edit is missed.
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(tx).context("cannot watch for changes")?;
    watcher
        .watch(&options.source, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", options.source.display()))?;
    let mut incremental = Incremental::default();
    rebuild(options, &out, &mut incremental);
    if !out.is_dir() {
        // Serve an explanation rather than nothing until the first good build.
        fs::create_dir_all(&out)?;
        fs::write(
            out.join("index.html"),
            "<!doctype html><title>Sabaq</title><p>The build failed; see the terminal. This page reloads when it is fixed.</p>",
        )?;
        fs::write(out.join(crate::output::MARKER), "")?;
    }
    let root = out
        .canonicalize()
        .context("cannot resolve the served folder")?;

    let server = Server::http(addr).map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let bound = server
        .server_addr()
        .to_ip()
        .context("the server is not on an IP address")?;
    let server = Arc::new(server);
    let version = Arc::new(Version::default());
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let version = Arc::clone(&version);
        let root = root.clone();
        thread::spawn(move || {
            while let Ok(request) = server.recv() {
                let _ = respond(request, &root, &version);
            }
        });
    }
    on_ready(bound);

    while let Ok(event) = rx.recv() {
        if !is_edit(&event) {
            continue;
        }
        // One save often arrives as several events: take them all, then rebuild once.
        while rx.recv_timeout(DEBOUNCE).is_ok() {}
        let started = Instant::now();
        if let Some(changed) = rebuild(options, &out, &mut incremental) {
            eprintln!(
                "rebuilt in {} ms ({changed} file{} changed)",
                started.elapsed().as_millis(),
                if changed == 1 { "" } else { "s" }
            );
            // Nothing changed (a save without edits): the open page is already right.
            if changed > 0 {
                version.bump();
            }
        }
    }
    Ok(())
}

/// A change to the sources. Reads are not: on Linux the watcher also reports files being
/// opened, and every rebuild opens them all, which would rebuild forever.
fn is_edit(event: &notify::Result<Event>) -> bool {
    matches!(event, Ok(e) if !matches!(e.kind, EventKind::Access(_)))
}

/// Builds into `out`, printing problems; how many files changed, or `None` when the build
/// failed.
fn rebuild(options: &SiteOptions, out: &Path, incremental: &mut Incremental) -> Option<usize> {
    match build_with(options, out, Some(incremental)) {
        Ok((compiled, written)) => {
            eprint_all(&compiled.warnings);
            Some(written.changed + written.removed)
        }
        Err(BuildError::Invalid(diagnostics)) => {
            eprint_all(&diagnostics);
            eprintln!("build failed; still serving the last good build");
            None
        }
        Err(BuildError::Write(e)) => {
            eprintln!("error: {e:#}");
            None
        }
    }
}

fn respond(request: Request, root: &Path, version: &Version) -> std::io::Result<()> {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    match path {
        "/__sabaq/reload.js" => request.respond(with_type(
            Response::from_string(RELOAD_JS),
            "text/javascript; charset=utf-8",
        )),
        "/__sabaq/wait" => {
            let seen = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(|v| v.parse::<u64>().ok());
            let now = match seen {
                Some(seen) => version.wait_past(seen, LONG_POLL),
                None => version.current(),
            };
            request.respond(with_type(
                Response::from_string(now.to_string()),
                "text/plain; charset=utf-8",
            ))
        }
        _ => match resolve_file(root, path) {
            // A folder asked for without its slash: relative links would miss, so redirect.
            Some(file)
                if !path.ends_with('/')
                    && !path.ends_with("index.html")
                    && file.ends_with("index.html") =>
            {
                let location =
                    Header::from_bytes("Location", format!("{path}/")).expect("a valid header");
                request.respond(Response::empty(301).with_header(location))
            }
            Some(file) => {
                let bytes = fs::read(&file).unwrap_or_default();
                send_file(request, &file, bytes, 200)
            }
            None => {
                let not_found = root.join("404.html");
                let bytes = fs::read(&not_found).unwrap_or_else(|_| b"not found".to_vec());
                send_file(request, &not_found, bytes, 404)
            }
        },
    }
}

fn send_file(
    request: Request,
    file: &Path,
    mut bytes: Vec<u8>,
    status: u16,
) -> std::io::Result<()> {
    let content_type = content_type(file);
    if content_type.starts_with("text/html") {
        bytes = inject_reload(bytes);
    }
    let response =
        with_type(Response::from_data(bytes), content_type).with_status_code(StatusCode(status));
    request.respond(response)
}

fn with_type<R: std::io::Read>(response: Response<R>, content_type: &str) -> Response<R> {
    let header = Header::from_bytes("Content-Type", content_type).expect("a valid header");
    let no_cache = Header::from_bytes("Cache-Control", "no-store").expect("a valid header");
    response.with_header(header).with_header(no_cache)
}

fn inject_reload(bytes: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__sabaq/reload.js\"></script>";
    match bytes.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => [&bytes[..at], tag.as_slice(), &bytes[at..]].concat(),
        None => [bytes.as_slice(), tag.as_slice()].concat(),
    }
}

/// Maps a URL path to a file inside `root`, or nothing: no `..`, no links leading out.
pub fn resolve_file(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path);
    let mut path = root.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains('\\') || part.contains('\0') => return None,
            part => path.push(part),
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "wasm" => "application/wasm",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("c")).unwrap();
        fs::write(root.join("c/index.html"), "x").unwrap();
        fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let root = root.canonicalize().unwrap();
        assert_eq!(resolve_file(&root, "/c/"), Some(root.join("c/index.html")));
        assert_eq!(resolve_file(&root, "/../secret.txt"), None);
        assert_eq!(resolve_file(&root, "/c/%2e%2e/%2e%2e/secret.txt"), None);
        assert_eq!(resolve_file(&root, "/missing.html"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(resolve_file(&root, "/link.txt"), None);
        }
    }

    #[test]
    fn reload_script_goes_before_the_end_of_body() {
        let html = inject_reload(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__sabaq/reload.js\"></script></body></html>"
        );
    }
}
