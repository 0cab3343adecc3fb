//! `sabaq serve`: builds into a private folder, serves it on localhost, rebuilds when a source
//! file is saved and reloads the open page. Serves only files inside the output folder.
//!
//! The server is one thread of async I/O (tokio) and a few threads for reading files, however
//! many connections are open: a page waiting for a reload, a slow client or a half-open
//! connection holds no thread. A request's head is read with a time limit and size limits
//! (414 for a long request line, 431 for long headers), never more of it than that; past
//! [`MAX_CONNECTIONS`] the oldest connection that is only waiting (for its request, or for a
//! reload) gives way. Every answer closes its connection. Ctrl-C or SIGTERM removes the
//! private folder before the process ends.
//!
//! Reloading: every HTML response gets `<script src="/__sabaq/reload.js">`, which long-polls
//! `/__sabaq/wait?v=N`; the request returns when the build version moves past N, and is
//! dropped when its page goes away.

use std::collections::VecDeque;
use std::fs;
use std::future::{Future, poll_fn};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use crate::diag::eprint_all;
use crate::links::percent_decode;
use crate::{BuildError, Incremental, SiteOptions, build_with};

/// How long a reload request waits for a new build before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(25);
/// Saves closer together than this are one rebuild (an editor's save is a burst of events a
/// few milliseconds apart).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How long a client may take to send its request's head.
const HEAD_TIME: Duration = Duration::from_secs(10);
/// How long a client may take to take an answer.
const SEND_TIME: Duration = Duration::from_secs(30);
/// The longest request line (method, URL, version) read.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The longest request head (request line and headers) read.
pub const MAX_HEAD: usize = 32 * 1024;
/// Connections open at once; past this the oldest waiting one is closed (or answered, for a
/// reload request) to make room.
pub const MAX_CONNECTIONS: usize = 128;
/// Threads that read files for answers.
const FILE_THREADS: usize = 4;

const RELOAD_JS: &str = "(function(){var v=null;function poll(){fetch('/__sabaq/wait?v='+(v===null?'':v)).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload();return}v=t;poll()}).catch(function(){setTimeout(poll,1000)})}poll()})();\n";

/// What the main thread's loop waits for.
enum Signal {
    Changed(notify::Result<Event>),
    /// Ctrl-C or SIGTERM.
    Stop,
}

/// Serves `options.source` on `addr` until Ctrl-C or SIGTERM. `on_ready` receives the address
/// actually bound (port 0 picks a free one).
pub fn serve(
    options: &SiteOptions,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    // Dropped on every way out of this function (Ctrl-C included): the private copy goes.
    let workdir = tempfile::Builder::new()
        .prefix("sabaq-serve-")
        .tempdir()
        .context("cannot create a folder for the served site")?;
    let out = workdir.path().join("site");
    // Ctrl-C and SIGTERM are caught from here on, so even a stop during the first build
    // removes the folder (the stop is seen once the server runs).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(FILE_THREADS)
        .build()
        .context("cannot start the server")?;
    let signals = {
        let _inside = runtime.enter();
        stop_signals()?
    };
    // Watch before the first build and before saying "ready", so no edit is missed.
    let (tx, rx) = mpsc::channel::<Signal>();
    let changes = tx.clone();
    let mut watcher =
        notify::recommended_watcher(move |event| drop(changes.send(Signal::Changed(event))))
            .context("cannot watch for changes")?;
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

    let listener =
        std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let (version, versions) = watch::channel(0u64);
    let stop = tx.clone();
    let (started, ready) = mpsc::channel::<Result<()>>();
    std::thread::Builder::new()
        .name("sabaq-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let server = Server::new(root, versions);
                let listener = match TcpListener::from_std(listener) {
                    Ok(listener) => listener,
                    Err(e) => return drop(started.send(Err(e.into()))),
                };
                let _ = started.send(Ok(()));
                tokio::spawn(async move {
                    signals.await;
                    let _ = stop.send(Signal::Stop);
                });
                server.accept_all(listener).await;
            });
        })
        .context("cannot start the server thread")?;
    ready
        .recv()
        .context("the server thread ended")?
        .context("cannot start the server")?;
    on_ready(bound);

    while let Ok(signal) = rx.recv() {
        let Signal::Changed(event) = signal else {
            break;
        };
        if !is_edit(&event) {
            continue;
        }
        // One save often arrives as several events: take them all, then rebuild once (a stop
        // among them still stops).
        let mut stopping = false;
        while let Ok(next) = rx.recv_timeout(DEBOUNCE) {
            stopping |= matches!(next, Signal::Stop);
        }
        if stopping {
            break;
        }
        let started = Instant::now();
        if let Some(changed) = rebuild(options, &out, &mut incremental) {
            eprintln!(
                "rebuilt in {} ms ({changed} file{} changed)",
                started.elapsed().as_millis(),
                if changed == 1 { "" } else { "s" }
            );
            // Nothing changed (a save without edits): the open page is already right.
            if changed > 0 {
                version.send_modify(|v| *v += 1);
            }
        }
    }
    drop(watcher);
    workdir
        .close()
        .context("cannot remove the served site's folder")?;
    Ok(())
}

/// Resolves when the process is asked to stop: Ctrl-C, or SIGTERM on Unix. The handlers are
/// in place when it returns (it must be called inside the runtime), and a signal that comes
/// before the future is first polled is kept for it.
#[cfg(unix)]
fn stop_signals() -> Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot watch for Ctrl-C")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?;
    Ok(async move {
        first(interrupt.recv(), terminate.recv()).await;
    })
}

#[cfg(not(unix))]
fn stop_signals() -> Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
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

/// Which of two futures finished first.
enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Runs two futures together; the first to finish wins and the other is dropped.
async fn first<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a), pin!(b));
    poll_fn(|cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(out));
        }
        if let Poll::Ready(out) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(out));
        }
        Poll::Pending
    })
    .await
}

/// What every connection shares.
struct Server {
    root: PathBuf,
    versions: watch::Receiver<u64>,
    open: AtomicUsize,
    next_id: AtomicU64,
    /// Connections that are only waiting (for their request's head, or for a reload), oldest
    /// first: the ones that give way when too many are open.
    waiting: Mutex<VecDeque<(u64, Arc<Notify>)>>,
    /// Told each time a connection closes or starts only waiting (and so may give way).
    room: Notify,
}

/// One open connection: counted while it lives.
struct Open<'a> {
    server: &'a Server,
    id: u64,
    give_way: Arc<Notify>,
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        self.set_waiting(false);
        self.server.open.fetch_sub(1, Ordering::Relaxed);
        self.server.room.notify_one();
    }
}

impl Open<'_> {
    /// Marks the connection as one that may give way to a new one (or not).
    fn set_waiting(&self, waiting: bool) {
        let mut list = self.server.waiting.lock().expect("waiting connections");
        list.retain(|(id, _)| *id != self.id);
        if waiting {
            list.push_back((self.id, Arc::clone(&self.give_way)));
            self.server.room.notify_one();
        }
    }
}

impl Server {
    fn new(root: PathBuf, versions: watch::Receiver<u64>) -> Arc<Server> {
        Arc::new(Server {
            root,
            versions,
            open: AtomicUsize::new(0),
            next_id: AtomicU64::new(0),
            waiting: Mutex::new(VecDeque::new()),
            room: Notify::new(),
        })
    }

    async fn accept_all(self: Arc<Self>, listener: TcpListener) {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                // Out of file handles, or a connection reset before it was taken: go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            };
            // Past the limit the oldest waiting connection gives way, and nothing more is
            // accepted until one has closed (new ones wait in the system's queue). A connection
            // only starts waiting once its task runs, which the wait lets happen; it says so.
            while self.open.fetch_add(1, Ordering::Relaxed) >= MAX_CONNECTIONS {
                self.open.fetch_sub(1, Ordering::Relaxed);
                let oldest = self
                    .waiting
                    .lock()
                    .expect("waiting connections")
                    .pop_front();
                if let Some((_, give_way)) = oldest {
                    give_way.notify_one();
                }
                self.room.notified().await;
            }
            let server = Arc::clone(&self);
            tokio::spawn(async move { server.connection(stream).await });
        }
    }

    /// Reads one request, answers it and closes the connection.
    async fn connection(self: Arc<Self>, mut stream: TcpStream) {
        let open = Open {
            server: &self,
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            give_way: Arc::new(Notify::new()),
        };
        open.set_waiting(true);
        let head = first(
            tokio::time::timeout(HEAD_TIME, read_head(&mut stream)),
            open.give_way.notified(),
        )
        .await;
        open.set_waiting(false);
        let request = match head {
            Either::Left(Ok(Ok(request))) => request,
            Either::Left(Ok(Err(problem))) => {
                if let Some(answer) = problem.answer() {
                    answer.send(&mut stream, false).await;
                    // What the client still sends is read (a little) and dropped, so that
                    // closing does not reset the connection before it reads the answer.
                    let _ = tokio::time::timeout(Duration::from_secs(1), drain(&mut stream)).await;
                }
                return;
            }
            // Too slow, or made room for a newer connection.
            Either::Left(Err(_)) | Either::Right(()) => return,
        };
        let head_only = request.method == "HEAD";
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((&request.target, ""));
        let answer = match path {
            "/__sabaq/reload.js" => {
                Answer::new(200, "text/javascript; charset=utf-8", RELOAD_JS.into())
            }
            "/__sabaq/wait" => {
                let seen = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("v="))
                    .and_then(|v| v.parse::<u64>().ok());
                match seen {
                    Some(seen) => {
                        open.set_waiting(true);
                        match self.wait_past(seen, &mut stream, &open.give_way).await {
                            Some(now) => text(200, now.to_string()),
                            // The page went away: nobody to answer.
                            None => return,
                        }
                    }
                    None => text(200, self.versions.borrow().to_string()),
                }
            }
            _ => {
                let root = self.root.clone();
                let path = path.to_string();
                match tokio::task::spawn_blocking(move || file_answer(&root, &path)).await {
                    Ok(answer) => answer,
                    Err(e) => text(500, format!("the file could not be read: {e}")),
                }
            }
        };
        open.set_waiting(false);
        answer.send(&mut stream, head_only).await;
    }

    /// Waits until the build version is past `seen`, the long poll is over, this connection
    /// must give way (answered with the current version) or the client goes away (`None`).
    async fn wait_past(&self, seen: u64, stream: &mut TcpStream, give_way: &Notify) -> Option<u64> {
        let mut versions = self.versions.clone();
        let moved = async {
            let _ = tokio::time::timeout(LONG_POLL, versions.wait_for(|v| *v != seen)).await;
        };
        let answer_now = async {
            first(moved, give_way.notified()).await;
        };
        match first(answer_now, client_gone(stream)).await {
            Either::Left(()) => Some(*self.versions.borrow()),
            Either::Right(()) => None,
        }
    }
}

/// Resolves when the client closes its side of the connection (it sends nothing more after
/// its request; anything it does send is dropped).
async fn client_gone(stream: &mut TcpStream) {
    let mut buffer = [0u8; 512];
    while let Ok(n) = stream.read(&mut buffer).await {
        if n == 0 {
            return;
        }
    }
}

/// Reads and drops what the client sends, up to a bound.
async fn drain(stream: &mut TcpStream) {
    let mut buffer = [0u8; 4096];
    let mut left: usize = 1 << 20;
    while left > 0 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// A request's first line, as far as the server needs it.
#[derive(Debug, PartialEq, Eq)]
pub struct RequestHead {
    pub method: String,
    pub target: String,
}

/// Why a request's head was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadProblem {
    /// The connection closed (or failed) before the head ended.
    Closed,
    /// The request line is longer than [`MAX_REQUEST_LINE`].
    LineTooLong,
    /// The head is longer than [`MAX_HEAD`].
    HeadTooLarge,
    Malformed,
    /// Not GET or HEAD.
    Method,
}

impl HeadProblem {
    fn answer(&self) -> Option<Answer> {
        let (status, message) = match self {
            HeadProblem::Closed => return None,
            HeadProblem::LineTooLong => (
                414,
                format!("the request line is longer than {MAX_REQUEST_LINE} bytes"),
            ),
            HeadProblem::HeadTooLarge => (
                431,
                format!("the request headers are longer than {MAX_HEAD} bytes"),
            ),
            HeadProblem::Malformed => (400, "not an HTTP request".to_string()),
            HeadProblem::Method => (405, "only GET and HEAD are served".to_string()),
        };
        Some(text(status, message))
    }
}

/// Reads a request's head, never more than [`MAX_HEAD`] bytes (and a few more of the read
/// that crosses it).
async fn read_head(stream: &mut TcpStream) -> Result<RequestHead, HeadProblem> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 4096];
    loop {
        let n = match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return Err(HeadProblem::Closed),
            Ok(n) => n,
        };
        head.extend_from_slice(&buffer[..n]);
        if let Some(done) = parse_head(&head)? {
            return Ok(done);
        }
    }
}

/// The head in `bytes` once it is complete (`None` while more is needed), or why it is refused
/// (as soon as that is known).
pub fn parse_head(bytes: &[u8]) -> Result<Option<RequestHead>, HeadProblem> {
    let line_end = bytes.iter().position(|b| *b == b'\n');
    if line_end.unwrap_or(bytes.len()) > MAX_REQUEST_LINE {
        return Err(HeadProblem::LineTooLong);
    }
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
        .or_else(|| bytes.windows(2).position(|w| w == b"\n\n").map(|at| at + 2));
    if end.is_none_or(|end| end > MAX_HEAD) {
        if bytes.len() > MAX_HEAD {
            return Err(HeadProblem::HeadTooLarge);
        }
        return Ok(None);
    }
    let line_end = line_end.expect("a complete head has a line");
    let line = std::str::from_utf8(&bytes[..line_end])
        .map_err(|_| HeadProblem::Malformed)?
        .trim_end_matches('\r');
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadProblem::Malformed);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(HeadProblem::Malformed);
    }
    if method != "GET" && method != "HEAD" {
        return Err(HeadProblem::Method);
    }
    Ok(Some(RequestHead {
        method: method.to_string(),
        target: target.to_string(),
    }))
}

/// An answer to send.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Where a redirect leads: always a path on this site.
    pub location: Option<String>,
}

impl Answer {
    fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Answer {
        Answer {
            status,
            content_type,
            body,
            location: None,
        }
    }

    async fn send(&self, stream: &mut TcpStream, head_only: bool) {
        let reason = match self.status {
            200 => "OK",
            301 => "Moved Permanently",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            414 => "URI Too Long",
            431 => "Request Header Fields Too Large",
            _ => "Internal Server Error",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            self.content_type,
            self.body.len()
        );
        if let Some(location) = &self.location {
            head.push_str(&format!("Location: {location}\r\n"));
        }
        if self.status == 405 {
            head.push_str("Allow: GET, HEAD\r\n");
        }
        head.push_str("\r\n");
        let body: &[u8] = if head_only { &[] } else { &self.body };
        let write = async {
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body).await?;
            stream.shutdown().await
        };
        let _ = tokio::time::timeout(SEND_TIME, write).await;
    }
}

fn text(status: u16, message: String) -> Answer {
    Answer::new(status, "text/plain; charset=utf-8", message.into_bytes())
}

/// The answer for a URL path: the file, a redirect to a folder's own URL, the site's 404
/// page, or an error status when the file cannot be read.
pub fn file_answer(root: &Path, url_path: &str) -> Answer {
    answer_with(root, url_path, resolve_file(root, url_path))
}

/// [`file_answer`] once the URL is resolved.
fn answer_with(root: &Path, url_path: &str, resolved: Option<Resolved>) -> Answer {
    match resolved {
        // A folder asked for without its slash: relative links would miss, so redirect, to
        // the folder's place in the site (never to what the URL spelled, such as `//host`).
        Some(Resolved {
            folder: Some(folder),
            ..
        }) if !url_path.ends_with('/') => Answer {
            location: Some(folder),
            ..text(301, String::new())
        },
        Some(Resolved { file, .. }) => match fs::read(&file) {
            Ok(bytes) => page(&file, bytes, 200),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => not_found(root),
            Err(e) => text(500, format!("cannot read {url_path}: {e}")),
        },
        None => not_found(root),
    }
}

fn not_found(root: &Path) -> Answer {
    let page_404 = root.join("404.html");
    match fs::read(&page_404) {
        Ok(bytes) => page(&page_404, bytes, 404),
        Err(_) => text(404, "not found".to_string()),
    }
}

fn page(file: &Path, mut bytes: Vec<u8>, status: u16) -> Answer {
    let content_type = content_type(file);
    if content_type.starts_with("text/html") {
        bytes = inject_reload(bytes);
    }
    Answer::new(status, content_type, bytes)
}

fn inject_reload(bytes: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__sabaq/reload.js\"></script>";
    match bytes.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => [&bytes[..at], tag.as_slice(), &bytes[at..]].concat(),
        None => [bytes.as_slice(), tag.as_slice()].concat(),
    }
}

/// A file of the site that a URL names.
#[derive(Debug, PartialEq, Eq)]
pub struct Resolved {
    pub file: PathBuf,
    /// When the URL named a folder (served as its `index.html`): the folder's URL path,
    /// `/a/b/`, percent-encoded.
    pub folder: Option<String>,
}

/// Maps a URL path to a file inside `root`, or nothing: no `..`, no links leading out.
pub fn resolve_file(root: &Path, url_path: &str) -> Option<Resolved> {
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
    let mut folder = None;
    if path.is_dir() {
        let real = path.canonicalize().ok()?;
        let inside = real.strip_prefix(root).ok()?;
        let mut url = String::from("/");
        for part in inside.components() {
            url.push_str(&url_encode(&part.as_os_str().to_string_lossy()));
            url.push('/');
        }
        folder = Some(url);
        path.push("index.html");
    }
    let real = path.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(Resolved { file: real, folder })
}

/// A path segment as it may stand in a URL and a header: bytes other than unreserved ones
/// percent-encoded.
fn url_encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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
        assert_eq!(
            resolve_file(&root, "/c/").map(|r| r.file),
            Some(root.join("c/index.html"))
        );
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
    fn folder_redirects_stay_on_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("good/a b")).unwrap();
        fs::write(root.join("good/index.html"), "g").unwrap();
        fs::write(root.join("good/a b/index.html"), "ab").unwrap();
        for (url, location) in [
            ("/good", "/good/"),
            ("//good", "/good/"),
            ("///good", "/good/"),
            ("/./good", "/good/"),
            ("//good/a%20b", "/good/a%20b/"),
        ] {
            let answer = file_answer(&root, url);
            assert_eq!(answer.status, 301, "{url}");
            assert_eq!(answer.location.as_deref(), Some(location), "{url}");
        }
        assert_eq!(file_answer(&root, "//good/").status, 200);
    }

    #[test]
    fn a_file_that_cannot_be_read_is_an_error_not_an_empty_page() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::write(root.join("page.html"), "<p>x</p>").unwrap();
        assert_eq!(file_answer(&root, "/page.html").status, 200);
        // Resolved, then replaced by something that cannot be read as a file.
        let resolved = resolve_file(&root, "/page.html").unwrap();
        fs::remove_file(&resolved.file).unwrap();
        fs::create_dir(&resolved.file).unwrap();
        let answer = answer_with(&root, "/page.html", Some(resolved));
        assert!(
            String::from_utf8_lossy(&answer.body).starts_with("cannot read /page.html: "),
            "{answer:?}"
        );
        assert_eq!(answer.status, 500);
    }

    #[test]
    fn request_heads_are_bounded() {
        let ok = parse_head(b"GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(
            ok,
            Some(RequestHead {
                method: "GET".into(),
                target: "/a?b".into()
            })
        );
        assert_eq!(parse_head(b"GET /a HTTP/1.1\r\nHost"), Ok(None));
        let long_line = [b"GET /".as_slice(), &vec![b'a'; MAX_REQUEST_LINE]].concat();
        assert_eq!(parse_head(&long_line), Err(HeadProblem::LineTooLong));
        let long_header = [b"GET / HTTP/1.1\r\nX: ".as_slice(), &vec![b'a'; MAX_HEAD]].concat();
        assert_eq!(parse_head(&long_header), Err(HeadProblem::HeadTooLarge));
        assert_eq!(
            parse_head(b"POST / HTTP/1.1\r\n\r\n"),
            Err(HeadProblem::Method)
        );
        assert_eq!(
            parse_head(b"GET http://x/ HTTP/1.1\r\n\r\n"),
            Err(HeadProblem::Malformed)
        );
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
