//! The test builder: copies a fixture into a fresh folder, runs the real binary there and
//! hands back what it printed and wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's `tests/fixtures/` folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A scratch folder holding copies of fixtures; the binary runs with it as working folder.
pub struct Project {
    dir: tempfile::TempDir,
}

/// What one run of the binary did, and where it ran.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The working folder of the run (the project's temporary folder).
    pub dir: PathBuf,
}

impl Project {
    pub fn new() -> Self {
        Project {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A project holding a copy of `tests/fixtures/<name>` as `<name>/`.
    pub fn with_fixture(name: &str) -> Self {
        let project = Project::new();
        copy_tree(&fixtures_dir().join(name), &project.path(name));
        project
    }

    /// A project holding `tests/fixtures/<name>`, already built into `site/` successfully.
    pub fn built(name: &str) -> Self {
        let project = Project::with_fixture(name);
        project
            .run(&["build", name, "--out", "site"])
            .assert_code(0);
        project
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    /// The binary with `args`, to run in the project's folder (for runs started side by side).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sabaq"));
        command.args(args).current_dir(self.root());
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output: Output = self.command(args).output().expect("the sabaq binary runs");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            dir: self.root().to_path_buf(),
        }
    }

    /// Every file below `relative`, by path, with its bytes.
    pub fn tree(&self, relative: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.path(relative);
        let mut files = BTreeMap::new();
        for entry in walk(&root) {
            let key = entry
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.insert(key, fs::read(&entry).unwrap());
        }
        files
    }
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(expected),
            "exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Nothing exists at `relative` inside the run's folder (a failed run wrote nothing there).
    #[track_caller]
    pub fn assert_not_written(&self, relative: &str) -> &Self {
        assert!(
            !self.dir.join(relative).exists(),
            "{relative} was written\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// stderr holds `expected` (several lines) as one block.
    #[track_caller]
    pub fn assert_stderr_has(&self, expected: &str) -> &Self {
        assert!(
            self.stderr.contains(expected),
            "stderr lacks:\n{expected}\n--- stderr was:\n{}",
            self.stderr
        );
        self
    }
}

/// Every file below `root`, sorted.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

pub fn copy_tree(from: &Path, to: &Path) {
    for file in walk(from) {
        let target = to.join(file.strip_prefix(from).unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(&file, &target).unwrap();
    }
}

/// The size of a file after `gzip -9`, as a server that compresses would send it.
pub fn gzipped_size(path: &Path) -> usize {
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .expect("gzip runs (it is needed for the size checks)");
    assert!(output.status.success(), "gzip failed on {}", path.display());
    output.stdout.len()
}
