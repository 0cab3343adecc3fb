//! `sabaq serve`: localhost only by default, files inside the site only, rebuild on save and a
//! reload signal for the open page.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::Project;

/// Stops the server even when an assertion fails.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(project: &Project, fixture: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sabaq"))
        .args(["serve", fixture, "--port", "0"])
        .current_dir(project.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sabaq serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .unwrap();
    Server { child, addr }
}

/// A GET over plain HTTP/1.1: (status, body).
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("a response in time");
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_binds_to_localhost_and_serves_pages_with_the_reload_script() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    assert!(server.addr.ip().is_loopback());
    let (status, body) = get(server.addr, "/good/basics/welcome/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Welcome</h1>"));
    assert!(body.contains("<script src=\"/__sabaq/reload.js\"></script></body>"));
    let (status, body) = get(server.addr, "/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
}

#[test]
fn serve_never_serves_files_outside_the_site() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc/passwd",
        "/good-course/course.yaml",
    ] {
        let (status, body) = get(server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
}

#[test]
fn saving_a_lesson_rebuilds_and_signals_the_open_page() {
    let project = Project::with_fixture("good-course");
    let server = start(&project, "good-course");
    let (_, version) = get(server.addr, "/__sabaq/wait");
    project.write(
        "good-course/01-basics/01-welcome.md",
        "---\ntitle: Welcome\n---\n\nFreshly edited text.\n",
    );
    let (status, next) = get(server.addr, &format!("/__sabaq/wait?v={version}"));
    assert_eq!(status, 200);
    assert_ne!(next, version, "the version moves after a rebuild");
    let (_, body) = get(server.addr, "/good/basics/welcome/index.html");
    assert!(body.contains("Freshly edited text."));
}
