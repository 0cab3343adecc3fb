//! Diagnostics: every problem a build finds, pointing at `path:line:col` with the source line
//! and a caret, collected across all stages and reported together; and text from outside made
//! safe to print to a terminal.

use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (columns count characters, not bytes, so Urdu text lines up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub path: PathBuf,
    /// Where in the file, when the problem has a place.
    pub position: Option<Position>,
    /// The text of the line at `position`, shown with a caret under the column.
    pub source_line: Option<String>,
    /// Advice on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path.into(), message.into())
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path.into(), message.into())
    }

    fn new(severity: Severity, path: PathBuf, message: String) -> Self {
        Diagnostic {
            severity,
            message,
            path,
            position: None,
            source_line: None,
            help: None,
        }
    }

    /// Points the diagnostic at a byte offset of `source` (the whole file's text).
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = source[line_start..offset].chars().count() + 1;
        self.at_line_col(source, line, col)
    }

    /// Points the diagnostic at a 1-based line and column of `source` (the whole file's text).
    pub fn at_line_col(mut self, source: &str, line: usize, col: usize) -> Self {
        self.position = Some(Position { line, col });
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// The same problem, reported as a warning (for helpers that build errors).
    pub fn into_warning(self) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Shows a path relative to the working directory when it lies below it, as authors typed it.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    shown.display().to_string()
}

/// Text from outside (a credential, a learner id, a CSV row), safe to print to a terminal: each
/// control character is shown escaped (`\u{1b}`, `\n`), so the text cannot move the cursor,
/// recolour or hide the lines around it.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let path = display_path(&self.path);
        match self.position {
            Some(Position { line, col }) => writeln!(f, "  --> {path}:{line}:{col}")?,
            None => writeln!(f, "  --> {path}")?,
        }
        if let (Some(Position { line, col }), Some(text)) = (self.position, &self.source_line) {
            let gutter = " ".repeat(line.to_string().len());
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{line} | {text}")?;
            // Tabs keep their width so the caret stays under the right character.
            let pad: String = text
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{gutter} | {pad}^")?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// Prints diagnostics to stderr, each with its location block, holding the lock so a report
/// from another thread cannot interleave.
pub fn eprint_all(diagnostics: &[Diagnostic]) {
    use std::io::Write as _;
    let mut stderr = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(stderr, "{d}");
    }
}

/// Every diagnostic of a build, errors and warnings apart, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file and position so the same input always reports in the same order.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.position, a.severity, &a.message)
                .cmp(&(&b.path, b.position, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_maps_to_line_and_character_column() {
        let src = "title: x\nسبق: y\n";
        let offset = src.find('y').unwrap();
        let d = Diagnostic::error("a.yaml", "bad").at_offset(src, offset);
        assert_eq!(d.position, Some(Position { line: 2, col: 6 }));
        assert_eq!(d.source_line.as_deref(), Some("سبق: y"));
    }

    #[test]
    fn display_shows_location_line_and_caret() {
        let src = "id: a\ntitel: b\n";
        let d = Diagnostic::error("/x/course.yaml", "unknown field `titel`").at_line_col(src, 2, 1);
        let text = d.to_string();
        assert!(text.starts_with("error: unknown field `titel`\n"), "{text}");
        assert!(text.contains("/x/course.yaml:2:1"), "{text}");
        assert!(text.contains("2 | titel: b\n  | ^\n"), "{text}");
    }

    #[test]
    fn outside_text_cannot_steer_the_terminal() {
        let hostile = "Passed.\n  signer: the key in institution.key\u{1b}[8m\u{9b}2J";
        let printed = escape_controls(hostile);
        assert!(!printed.chars().any(char::is_control), "{printed:?}");
        assert_eq!(
            printed,
            "Passed.\\n  signer: the key in institution.key\\u{1b}[8m\\u{9b}2J"
        );
        assert_eq!(escape_controls("اردو and English"), "اردو and English");
    }
}
