//! YAML, behind one module: typed decoding with serde_norway, plus an index of where every key
//! and list item stands (from saphyr-parser's marked events), so checks that run after decoding
//! can still point at `path:line:col`.
//!
//! YAML often sits inside another file (front matter, quiz blocks); [`Snippet`] says where, and
//! every position reported is relative to the whole file, never to the embedded block.

use std::collections::HashMap;
use std::path::Path;

use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;

use crate::diag::Diagnostic;

/// A piece of YAML and where it stands in its file.
#[derive(Debug, Clone, Copy)]
pub struct Snippet<'a> {
    pub path: &'a Path,
    /// The whole file's text, for quoting source lines.
    pub file_text: &'a str,
    /// The YAML itself.
    pub text: &'a str,
    /// 0-based line of the file where `text` begins.
    pub first_line: usize,
    /// Characters stripped from the start of each line (a quiz block inside a list item).
    pub indent: usize,
}

impl<'a> Snippet<'a> {
    /// A whole file of YAML.
    pub fn whole(path: &'a Path, text: &'a str) -> Self {
        Snippet {
            path,
            file_text: text,
            text,
            first_line: 0,
            indent: 0,
        }
    }

    /// An error at a 1-based line and column of the snippet, placed in the whole file.
    pub fn error_at(&self, pos: KeyPos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.path, message).at_line_col(
            self.file_text,
            self.first_line + pos.line,
            self.indent + pos.col,
        )
    }

    /// An error at the start of the snippet.
    pub fn error_at_start(&self, message: impl Into<String>) -> Diagnostic {
        self.error_at(KeyPos { line: 1, col: 1 }, message)
    }
}

/// A 1-based line and column inside a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPos {
    pub line: usize,
    pub col: usize,
}

/// Where each key and list item of a document stands, by dotted path: `questions.2.answer`.
#[derive(Debug, Default, Clone)]
pub struct KeyIndex {
    positions: HashMap<String, KeyPos>,
}

impl KeyIndex {
    /// The position of `path`, or of its nearest ancestor that has one, or the start.
    pub fn locate(&self, path: &str) -> KeyPos {
        let mut path = path;
        loop {
            if let Some(pos) = self.positions.get(path) {
                return *pos;
            }
            match path.rfind('.') {
                Some(dot) => path = &path[..dot],
                None => return KeyPos { line: 1, col: 1 },
            }
        }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.positions.contains_key(path)
    }
}

/// A decoded document with the positions of its keys.
#[derive(Debug)]
pub struct Decoded<T> {
    pub value: T,
    pub keys: KeyIndex,
}

/// Decodes a snippet into `T`; syntax and type errors come back at their position in the file.
pub fn decode<T: DeserializeOwned>(snippet: &Snippet) -> Result<Decoded<T>, Diagnostic> {
    // An empty document decodes as an empty mapping, so `course.yaml` with only comments
    // reports its missing keys rather than a bare "EOF" message.
    let text = if snippet.text.trim().is_empty() {
        "{}"
    } else {
        snippet.text
    };
    // One walk of the events first: it stops at the first level too deep, before the decoder
    // (which recurses per level) sees the text.
    let walk = index_keys(text);
    if let Some(pos) = walk.too_deep {
        return Err(snippet
            .error_at(
                pos,
                format!("the YAML is nested more than {MAX_DEPTH} levels deep here"),
            )
            .with_help(
                "course files need a few levels; a list in a list in a list is already three",
            ));
    }
    let value = serde_norway::from_str::<T>(text).map_err(|err| {
        let message = strip_location(&err.to_string());
        let message = if is_schema_error(&message) {
            message
        } else {
            format!("invalid YAML: {message}")
        };
        match err.location() {
            Some(loc) => snippet.error_at(
                KeyPos {
                    line: loc.line(),
                    col: loc.column(),
                },
                message,
            ),
            None => snippet.error_at_start(message),
        }
    })?;
    if let Some((pos, c)) = walk.control {
        return Err(snippet
            .error_at(
                pos,
                format!(
                    "this text holds the control character U+{:04X}, which a web page cannot show",
                    c as u32
                ),
            )
            .with_help("remove the escape (such as `\\0` or `\\x01`) from the text"));
    }
    Ok(Decoded {
        value,
        keys: walk.index,
    })
}

/// How deep mappings and lists may nest in any YAML Sabaq reads (a quiz needs five levels).
pub const MAX_DEPTH: usize = 32;

/// Whether `c` may not stand in a page's text: a control character other than tab and line
/// breaks, or a Unicode noncharacter (both are HTML parse errors).
pub fn is_refused_character(c: char) -> bool {
    let n = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
        || (0xfdd0..=0xfdef).contains(&n)
        || n & 0xfffe == 0xfffe
}

/// Errors about keys and values of well-formed YAML (serde's fixed phrasings), as opposed to
/// YAML that does not parse, which gets the "invalid YAML" label.
fn is_schema_error(message: &str) -> bool {
    [
        "unknown field",
        "missing field",
        "duplicate field",
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|phrase| message.contains(phrase))
}

/// serde_norway appends " at line L column C"; the diagnostic shows that itself.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// One open mapping or sequence while walking the event stream.
enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_string()
    } else {
        format!("{path}.{segment}")
    }
}

/// Walks the YAML events once and records the position of every key and sequence item, the
/// first text that holds a character no page can show (written as an escape such as `"\0"`),
/// and where nesting goes too deep (the walk stops there). A parse error ends the walk early:
/// the decoder reports it.
fn index_keys(text: &str) -> Walk {
    let mut index = KeyIndex::default();
    let mut control = None;
    let mut stack: Vec<Frame> = Vec::new();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        let pos = KeyPos {
            line: span.start.line(),
            col: span.start.col() + 1,
        };
        if control.is_none()
            && let Event::Scalar(value, ..) = &event
            && let Some(c) = value.chars().find(|c| is_refused_character(*c))
        {
            control = Some((pos, c));
        }
        // The path of the node this event starts, if it is a node in value position.
        let node_path = match stack.last_mut() {
            Some(Frame::Map { path, key }) => match key.take() {
                None => {
                    // Key position: remember the key and move on.
                    if let Event::Scalar(name, ..) = &event {
                        let key_path = join(path, name);
                        index.positions.insert(key_path, pos);
                        *key = Some(name.to_string());
                        continue;
                    }
                    if matches!(event, Event::MappingEnd) {
                        stack.pop();
                        finish_node(&mut stack);
                        continue;
                    }
                    // A complex key: give it a placeholder name.
                    *key = Some("?".to_string());
                    join(path, "?")
                }
                Some(name) => join(path, &name),
            },
            Some(Frame::Seq { path, next }) => {
                if matches!(event, Event::SequenceEnd) {
                    stack.pop();
                    finish_node(&mut stack);
                    continue;
                }
                let item_path = join(path, &next.to_string());
                index.positions.insert(item_path.clone(), pos);
                item_path
            }
            None => String::new(),
        };
        if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..))
            && stack.len() >= MAX_DEPTH
        {
            return Walk {
                index,
                control,
                too_deep: Some(pos),
            };
        }
        match event {
            Event::MappingStart(..) => stack.push(Frame::Map {
                path: node_path,
                key: None,
            }),
            Event::SequenceStart(..) => stack.push(Frame::Seq {
                path: node_path,
                next: 0,
            }),
            Event::Scalar(..) | Event::Alias(..) => finish_node(&mut stack),
            _ => {}
        }
    }
    Walk {
        index,
        control,
        too_deep: None,
    }
}

/// What one walk of a document's events found.
struct Walk {
    index: KeyIndex,
    /// The first text holding a character no page can show.
    control: Option<(KeyPos, char)>,
    /// Where the nesting went deeper than [`MAX_DEPTH`], if it did.
    too_deep: Option<KeyPos>,
}

/// A node in value position has ended: a map awaits its next key, a sequence its next item.
fn finish_node(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { next, .. }) => *next += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        id: String,
        items: Vec<Item>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        name: String,
        tags: Option<Vec<String>>,
    }

    #[test]
    fn index_records_keys_and_items_by_dotted_path() {
        let text = "id: a\nitems:\n  - name: x\n  - name: y\n    tags: [p, q]\n";
        let doc = decode::<Doc>(&Snippet::whole(Path::new("d.yaml"), text)).unwrap();
        assert_eq!(doc.keys.locate("id"), KeyPos { line: 1, col: 1 });
        assert_eq!(doc.keys.locate("items.1"), KeyPos { line: 4, col: 5 });
        assert_eq!(doc.keys.locate("items.1.tags"), KeyPos { line: 5, col: 5 });
        assert_eq!(
            doc.keys.locate("items.1.tags.1"),
            KeyPos { line: 5, col: 15 }
        );
        // Unknown paths fall back to their nearest ancestor.
        assert_eq!(doc.keys.locate("items.1.nope"), KeyPos { line: 4, col: 5 });
    }

    #[test]
    fn unknown_key_is_reported_at_its_place_in_the_whole_file() {
        let file = "---\nid: a\nitems:\n  - name: x\n    nmae: y\n---\nbody";
        let snippet = Snippet {
            path: Path::new("lesson.md"),
            file_text: file,
            text: "id: a\nitems:\n  - name: x\n    nmae: y\n",
            first_line: 1,
            indent: 0,
        };
        let err = decode::<Doc>(&snippet).unwrap_err();
        assert!(
            err.message.contains("unknown field `nmae`"),
            "{}",
            err.message
        );
        assert_eq!(err.position.map(|p| (p.line, p.col)), Some((5, 5)));
        assert_eq!(err.source_line.as_deref(), Some("    nmae: y"));
    }
}
