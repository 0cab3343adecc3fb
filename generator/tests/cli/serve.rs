//! `sabaq serve`: localhost only by default, files inside the site only, rebuild on save and a
//! reload signal for the open page.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::Project;

/// How long one request may take before the test fails rather than hangs. A reload request
/// waits for a rebuild, which takes milliseconds.
const READ_TIMEOUT: Duration = Duration::from_secs(20);

/// Stops the server even when an assertion fails.
pub struct Server {
    child: Child,
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_sabaq"))
        .args(["serve", fixture, "--port", "0"])
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
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .unwrap_or_else(|e| panic!("no response to GET {path} in time: {e}"));
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
