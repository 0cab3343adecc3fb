//! `sabaq serve`: localhost only by default, files inside the site only, rebuild on save and a
//! reload signal for the open page.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::Project;

/// How long one request may take before the test fails rather than hangs. A reload request
/// waits for a rebuild, which takes milliseconds.
const READ_TIMEOUT: Duration = Duration::from_secs(20);

/// Stops the server even when an assertion fails.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `sabaq serve <fixture> --port 0` and reads the address from its first line.
pub fn start(project: &Project, fixture: &str) -> Server {
    start_with_temp(project, fixture, &std::env::temp_dir())
}

/// [`start`] with `temp` as the temporary folder the server keeps its site copy in.
fn start_with_temp(project: &Project, fixture: &str, temp: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sabaq"))
        .args(["serve", fixture, "--port", "0"])
        .env("TMPDIR", temp)
        .current_dir(project.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sabaq serve starts");
    let stdout = child.stdout.take().unwrap();
    // The guard exists before anything can fail, so the child never outlives the test.
    let mut server = Server {
        child,
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
    };
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    assert!(
        line.starts_with(&format!("serving {fixture} at http://")),
        "unexpected first line {line:?}"
    );
    server.addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .unwrap();
    server
}

/// One response: status, headers (`name: value` lines) and body.
pub struct Response {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// A GET over plain HTTP/1.1, the path sent exactly as written.
pub fn get(addr: SocketAddr, path: &str) -> Response {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    send(addr, request.as_bytes(), &format!("GET {path}"))
}

/// Sends `request` as it is and reads the whole response.
fn send(addr: SocketAddr, request: &[u8], what: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    stream.write_all(request).unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .unwrap_or_else(|e| panic!("no response to {what} in time: {e}"));
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"));
    let (status_line, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    Response {
        status: status_line[9..12].parse().unwrap(),
        headers: headers.replace("\r\n", "\n"),
        body: body.to_string(),
    }
}

/// The build version the reload script waits on.
fn version(addr: SocketAddr, path: &str) -> u64 {
    let response = get(addr, path);
    assert_eq!(response.status, 200, "{path}");
    response
        .body
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{path} answered {:?}, not a number", response.body))
}

#[test]
fn serve_binds_to_localhost_and_serves_pages_with_the_reload_script() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    assert_eq!(server.addr.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    let script = "<script src=\"/__sabaq/reload.js\"></script></body>";
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.body
            .contains("<a href=\"good/index.html\">Good Course</a>")
    );
    assert!(home.body.contains(script), "{}", home.body);
    let lesson = get(server.addr, "/good/basics/welcome/");
    assert_eq!(lesson.status, 200);
    assert!(lesson.body.contains("<h1>Welcome</h1>"));
    assert!(lesson.body.contains(script));
    let missing = get(server.addr, "/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
}

#[test]
fn serve_never_serves_files_outside_the_site() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc/passwd",
        "/good-course/course.yaml",
    ] {
        let response = get(server.addr, path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.body.contains("root:"), "{path} leaked a file");
    }
}

#[test]
fn serve_does_not_rebuild_while_nothing_changes() {
    // A rebuild moves the version and reloads every open page, so an idle server keeps it.
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let first = version(server.addr, "/__sabaq/wait");
    std::thread::sleep(Duration::from_secs(2));
    let later = version(server.addr, "/__sabaq/wait");
    assert_eq!(
        first, later,
        "the version moved from {first} to {later} without any file changing"
    );
}

#[test]
fn saving_a_lesson_rebuilds_and_signals_the_open_page() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let before = version(server.addr, "/__sabaq/wait");
    let lesson = project
        .read("good-course/01-basics/01-welcome.md")
        .replace("Welcome to the course.", "Freshly edited text.");
    project.write("good-course/01-basics/01-welcome.md", &lesson);
    let after = version(server.addr, &format!("/__sabaq/wait?v={before}"));
    assert_ne!(after, before, "the version moves after a rebuild");
    let page = get(server.addr, "/good/basics/welcome/index.html");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Freshly edited text."));
    assert!(!page.body.contains("Welcome to the course."));
}

#[test]
fn serve_redirects_a_folder_asked_for_without_its_trailing_slash() {
    // Pages link relatively: served at `/good`, `basics/index.html` would mean `/basics/...`.
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let response = get(server.addr, "/good");
    assert!(
        (300..400).contains(&response.status),
        "GET /good answered {} rather than a redirect to /good/",
        response.status
    );
    let location = response.header("Location").unwrap_or_default();
    assert!(
        location == "/good/" || location == format!("http://{}/good/", server.addr),
        "redirected to {location:?}"
    );
}

#[test]
fn a_rebuild_reuses_unchanged_pages_but_sees_a_file_that_a_link_was_missing() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let tables = get(server.addr, "/good/basics/tables/index.html").body;

    // A link to an image that does not exist yet: the build fails, the last good site stays.
    let before = version(server.addr, "/__sabaq/wait");
    let lesson = project.read("good-course/01-basics/01-welcome.md");
    project.write(
        "good-course/01-basics/01-welcome.md",
        &format!("{lesson}\n![A new map](../assets/map.svg)\n"),
    );
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        version(server.addr, "/__sabaq/wait"),
        before,
        "a failed build reloads nothing"
    );
    assert!(
        !get(server.addr, "/good/basics/welcome/index.html")
            .body
            .contains("map.svg")
    );

    // The image arrives: the same lesson text now builds, though the lesson did not change.
    project.write(
        "good-course/assets/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
    );
    let after = version(server.addr, &format!("/__sabaq/wait?v={before}"));
    assert_ne!(after, before);
    let welcome = get(server.addr, "/good/basics/welcome/index.html");
    assert!(
        welcome.body.contains("../../assets/map.svg"),
        "{}",
        welcome.body
    );
    assert_eq!(get(server.addr, "/good/assets/map.svg").status, 200);
    // A lesson nobody touched is served exactly as before.
    assert_eq!(
        get(server.addr, "/good/basics/tables/index.html").body,
        tables
    );

    // The image is redrawn at another size under the same name: the page shows the new size.
    assert!(welcome.body.contains("width=\"1\" height=\"1\""));
    project.write(
        "good-course/assets/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"200\"/>",
    );
    version(server.addr, &format!("/__sabaq/wait?v={after}"));
    let welcome = get(server.addr, "/good/basics/welcome/index.html");
    assert!(
        welcome.body.contains("width=\"300\" height=\"200\""),
        "{}",
        welcome.body
    );
}

#[test]
fn serve_never_redirects_to_another_host() {
    // `Location: //good/` would send the browser to the host `good`.
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    for (path, location) in [
        ("//good", "/good/"),
        ("///good", "/good/"),
        ("//good/basics", "/good/basics/"),
        ("/%2Fgood", "/good/"),
        ("/./good", "/good/"),
    ] {
        let response = get(server.addr, path);
        assert_eq!(response.status, 301, "GET {path}");
        assert_eq!(response.header("Location"), Some(location), "GET {path}");
    }
    assert_eq!(get(server.addr, "//example.org").status, 404);
}

/// Asks for the next build version and leaves the connection waiting.
fn open_poll(addr: SocketAddr) -> TcpStream {
    let now = version(addr, "/__sabaq/wait");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /__sabaq/wait?v={now} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    stream
}

#[test]
fn pages_waiting_for_a_reload_do_not_hold_up_other_requests() {
    // Each open page keeps a reload request waiting up to 25 s; the twentieth page still opens
    // at once (the read time limit, 20 s, is shorter than a long poll).
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let polls: Vec<TcpStream> = (0..20).map(|_| open_poll(server.addr)).collect();
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Good Course"));
    drop(polls);
}

/// The open file handles of a process (Linux).
#[cfg(target_os = "linux")]
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// Waits (at most the read time limit) until `done` holds; false if it never did.
#[cfg(target_os = "linux")]
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < READ_TIMEOUT {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

#[cfg(target_os = "linux")]
#[test]
fn a_reload_request_ends_when_its_page_goes_away() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let pid = server.child.id();
    let idle = open_files(pid);
    let polls: Vec<TcpStream> = (0..12).map(|_| open_poll(server.addr)).collect();
    assert!(
        eventually(|| open_files(pid) >= idle + 12),
        "the server holds {} files with 12 pages open, {idle} idle",
        open_files(pid)
    );
    // The pages close: their connections end long before the 25 s poll would.
    for poll in &polls {
        poll.shutdown(Shutdown::Both).unwrap();
    }
    drop(polls);
    assert!(
        eventually(|| open_files(pid) <= idle),
        "the server still holds {} files after the pages closed, {idle} idle",
        open_files(pid)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn half_open_connections_hold_no_thread_each_and_do_not_block_a_page() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let pid = server.child.id();
    let threads = || {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .count()
    };
    let idle = threads();
    // More than the server keeps open at once (128): the oldest give way.
    let half_open: Vec<TcpStream> = (0..300)
        .map(|i| {
            let mut stream = TcpStream::connect(server.addr).unwrap();
            if i % 2 == 0 {
                stream.write_all(b"GET /good/ HT").unwrap();
            }
            stream
        })
        .collect();
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert!(
        threads() <= idle + 4,
        "{} threads with 300 half-open connections, {idle} idle",
        threads()
    );
    drop(half_open);
}

#[test]
fn long_request_lines_and_headers_are_refused_without_reading_them_whole() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    // Neither ends: the answer comes without the rest of the request.
    let long_url = [b"GET /".as_slice(), &vec![b'a'; 64 * 1024]].concat();
    let response = send(server.addr, &long_url, "a 64 KiB URL");
    assert_eq!(response.status, 414);
    assert!(
        response.body.contains("longer than 8192 bytes"),
        "{}",
        response.body
    );
    let long_header = [
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: ".as_slice(),
        &vec![b'a'; 64 * 1024],
    ]
    .concat();
    let response = send(server.addr, &long_header, "a 64 KiB header");
    assert_eq!(response.status, 431);
    assert_eq!(get(server.addr, "/").status, 200, "the server still serves");
}

/// Stops the server with `signal` and checks that its site copy is gone from `temp`.
#[cfg(unix)]
fn stops_cleanly_on(signal: &str) {
    let project = Project::with_fixture("good-course");
    let temp = project.path("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let mut server = start_with_temp(&project, "good-course", &temp);
    let copies = || {
        std::fs::read_dir(&temp)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with("sabaq-serve-"))
            .count()
    };
    assert_eq!(
        copies(),
        1,
        "the server keeps its site in the temporary folder"
    );
    assert_eq!(get(server.addr, "/").status, 200);
    let sent = Command::new("kill")
        .args(["-s", signal, &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < READ_TIMEOUT,
            "SIG{signal} did not stop the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "SIG{signal}: {status:?}");
    assert_eq!(copies(), 0, "SIG{signal} left the site copy behind");
}

#[cfg(unix)]
#[test]
fn ctrl_c_and_sigterm_remove_the_servers_site_copy() {
    stops_cleanly_on("INT");
    stops_cleanly_on("TERM");
}
