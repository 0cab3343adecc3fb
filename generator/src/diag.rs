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
    /// The text of the line at `position`, shown with a caret under the column: the whole
    /// line, or a window of it around the column when it is long (marked with `…`).
    pub source_line: Option<String>,
    /// The 1-based column of `source_line` the caret stands under.
    pub caret: usize,
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
            caret: 1,
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
        if let Some(text) = source.lines().nth(line.saturating_sub(1)) {
            let text = text.trim_end_matches('\r');
            let at = text
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            self.quote(text, at);
        }
        self
    }

    /// Points the diagnostic at a byte offset of the text `lines` indexes: the same as
    /// [`Diagnostic::at_offset`], without reading the file from its start each time.
    pub fn at_index(mut self, lines: &LineIndex, offset: usize) -> Self {
        let (line, col, range) = lines.locate(offset);
        self.position = Some(Position { line, col });
        let text = lines.text[range.clone()].trim_end_matches(['\n', '\r']);
        let at = floor_char_boundary(lines.text, offset.min(lines.text.len())) - range.start;
        self.quote(text, at.min(text.len()));
        self
    }

    /// Keeps `line` (the caret at byte `at`) to quote: at most [`QUOTE_CHARS`] characters
    /// either side of the caret, so a problem on a long line never repeats the whole line.
    fn quote(&mut self, line: &str, at: usize) {
        let before = &line[..at];
        let after = &line[at..];
        let start = before
            .char_indices()
            .rev()
            .nth(QUOTE_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let end = after
            .char_indices()
            .nth(QUOTE_CHARS)
            .map_or(line.len(), |(i, _)| at + i);
        let mut quoted = String::new();
        if start > 0 {
            quoted.push('…');
        }
        // A control character would act on the terminal: shown as U+FFFD, in its column.
        quoted.extend(line[start..end].chars().map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        }));
        if end < line.len() {
            quoted.push('…');
        }
        self.caret = usize::from(start > 0) + line[start..at].chars().count() + 1;
        self.source_line = Some(quoted);
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

/// How many characters of a long line a diagnostic quotes on either side of its caret.
pub const QUOTE_CHARS: usize = 60;

/// How many problems of one file are printed; the rest are counted in one line.
pub const SHOWN_PER_FILE: usize = 20;

/// Where each line of a text starts, to place many diagnostics in one file in time linear in
/// the file and their number (a column is counted on from the previous one on the same line).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The byte offset and column of the last place found.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 1-based line and character column of a byte offset, and the byte range of its line.
    pub fn locate(&self, offset: usize) -> (usize, usize, std::ops::Range<usize>) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|start| *start <= offset);
        let start = self.starts[line - 1];
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        let (last_offset, last_col) = self.last.get();
        let col = if (start..=offset).contains(&last_offset) {
            last_col + self.text[last_offset..offset].chars().count()
        } else {
            self.text[start..offset].chars().count() + 1
        };
        self.last.set((offset, col));
        (line, col, start..end)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    /// The 0-based line of a byte offset and its character column from the line's start.
    pub fn line_and_indent(&self, offset: usize) -> (usize, usize) {
        let (line, col, _) = self.locate(offset);
        (line - 1, col - 1)
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
        if let (Some(Position { line, .. }), Some(text)) = (self.position, &self.source_line) {
            let col = self.caret;
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
    let _ = stderr.write_all(report(diagnostics).as_bytes());
}

/// The text [`eprint_all`] prints: each diagnostic with its location block, at most
/// [`SHOWN_PER_FILE`] per file, and for a file with more, one line counting the rest, so
/// a file with thousands of problems still makes a report one can read.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    use std::fmt::Write as _;
    let mut shown: std::collections::HashMap<&Path, usize> = std::collections::HashMap::new();
    // The problems left out, per file, in the order the files first appear.
    let mut hidden: Vec<(&Path, usize, usize)> = Vec::new();
    let mut out = String::new();
    for d in diagnostics {
        let count = shown.entry(&d.path).or_default();
        if *count < SHOWN_PER_FILE {
            *count += 1;
            let _ = writeln!(out, "{d}");
            continue;
        }
        let index = match hidden.iter().position(|(path, ..)| *path == d.path) {
            Some(index) => index,
            None => {
                hidden.push((&d.path, 0, 0));
                hidden.len() - 1
            }
        };
        if d.is_error() {
            hidden[index].1 += 1;
        } else {
            hidden[index].2 += 1;
        }
    }
    for (path, errors, warnings) in hidden {
        let _ = writeln!(
            out,
            "note: and {errors} more error{} and {warnings} more warning{} in {} (the first {SHOWN_PER_FILE} problems of a file are shown)\n",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
            display_path(path)
        );
    }
    out
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
    fn a_long_line_is_quoted_around_the_caret_only() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::error("l.md", "bad").at_offset(&line, 5000);
        let text = d.to_string();
        assert_eq!(d.position, Some(Position { line: 1, col: 5001 }));
        let quoted = format!("…{}X{}…", "a".repeat(60), "b".repeat(59));
        assert!(
            text.contains(&format!("1 | {quoted}\n  | {}^\n", " ".repeat(61))),
            "{text}"
        );
        assert!(text.len() < 400, "{}", text.len());
        let index = LineIndex::new(&line);
        assert_eq!(Diagnostic::error("l.md", "bad").at_index(&index, 5000), d);
    }

    #[test]
    fn the_line_index_places_offsets_like_at_offset() {
        let src = "title: x\nسبق: y z\n\nend";
        let index = LineIndex::new(src);
        for offset in [
            0,
            3,
            9,
            src.find('y').unwrap(),
            src.find('z').unwrap(),
            src.len(),
        ] {
            let a = Diagnostic::error("a", "m").at_offset(src, offset);
            let b = Diagnostic::error("a", "m").at_index(&index, offset);
            assert_eq!(a, b, "{offset}");
        }
    }

    #[test]
    fn a_report_shows_twenty_problems_per_file_and_counts_the_rest() {
        let many: Vec<Diagnostic> = (0..25)
            .map(|i| Diagnostic::error("/x/a.md", format!("problem {i}")))
            .chain(std::iter::once(Diagnostic::warning("/x/b.md", "other")))
            .collect();
        let text = report(&many);
        assert!(text.contains("problem 19\n"), "{text}");
        assert!(!text.contains("problem 20\n"), "{text}");
        assert!(text.contains("warning: other\n"), "{text}");
        assert!(
            text.contains("note: and 5 more errors and 0 more warnings in /x/a.md"),
            "{text}"
        );
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
