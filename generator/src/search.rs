//! Client-side search: the searchable text of each rendered page, the word folding shared with
//! `themes/default/sabaq-search.js` (they must agree, letter for letter), and each course's
//! index, split by word prefix into small files so a phone fetches only what a query needs.
//!
//! A course's index is `<course>/search/index.json` (the list of shards, the words too common
//! to search for), one `<course>/search/<key>.json` per shard: every indexed word that starts
//! with the shard's key, each with its postings `[section, score, section, score, ...]`,
//! sections as gaps from the previous one; and `sections-<n>.json`, how to show each section
//! found, a few hundred sections per file.

use std::collections::HashMap;
use std::sync::Arc;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::links::relative_url;
use crate::model::Course;

/// One part of a page to find: the text before its first `##` heading, or one `##` section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSection {
    /// The heading's id, `None` for the part before the first heading.
    pub anchor: Option<String>,
    pub heading: String,
    /// Its words (folded) with their scores: each time in the text counts 1, in the heading
    /// more. Counted as the page renders, so `sabaq serve` counts only the pages it renders
    /// (and shares, not copies, them when it reuses a rendering).
    pub scores: Arc<HashMap<String, u32>>,
}

/// A section as the page's events are read: its text not yet counted.
#[derive(Default)]
struct SectionText {
    anchor: Option<String>,
    heading: String,
    text: String,
}

/// The searchable text of a page, from its rendered Markdown events: prose, lists, tables and
/// inline code; quizzes and code blocks (already HTML by then) are left out.
pub fn sections(events: &[Event]) -> Vec<TextSection> {
    let mut sections = vec![SectionText::default()];
    let mut in_section_heading = false;
    for event in events {
        let current = sections.last_mut().expect("one section at least");
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id,
                ..
            }) => {
                sections.push(SectionText {
                    anchor: id.as_ref().map(|id| id.to_string()),
                    ..SectionText::default()
                });
                in_section_heading = true;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => in_section_heading = false,
            Event::Text(text) | Event::Code(text) if in_section_heading => {
                current.heading.push_str(text)
            }
            Event::Text(text) | Event::Code(text) => {
                current.text.push_str(text);
                current.text.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => current.text.push(' '),
            _ => {}
        }
    }
    // The opening part stays even when empty: it carries the lesson's title (a lesson that is
    // only a quiz is still found by it).
    let mut nth = 0;
    sections.retain(|s| {
        nth += 1;
        nth == 1 || s.anchor.is_some() || !s.text.trim().is_empty()
    });
    sections
        .into_iter()
        .map(|section| {
            let mut scores = HashMap::new();
            add_words(&mut scores, &section.heading, HEADING_WEIGHT);
            add_words(&mut scores, &section.text, 1);
            TextSection {
                anchor: section.anchor,
                heading: section.heading,
                scores: Arc::new(scores),
            }
        })
        .collect()
}

/// Counts the indexable words of `text` into `scores`, `weight` each time, up to the most a
/// score can be (the order of additions does not change the sum).
fn add_words(scores: &mut HashMap<String, u32>, text: &str, weight: u32) {
    for word in words(&fold(text)).filter(|w| indexable(w)) {
        match scores.get_mut(word) {
            Some(score) => *score = (*score + weight).min(MAX_SCORE),
            None => {
                scores.insert(word.to_string(), weight.min(MAX_SCORE));
            }
        }
    }
}

/// Folds text for matching: compatibility forms and accents removed (Urdu's short vowels and
/// hamza marks too), Arabic letters written for their Urdu twins (ي ى -> ی, ك -> ک, ه -> ہ),
/// Eastern Arabic digits as ASCII, lower case, thousands separators between digits dropped.
pub fn fold(text: &str) -> String {
    // ASCII has no compatibility forms, marks or Arabic letters: only case and separators.
    if text.is_ascii() {
        return drop_digit_separators(text.chars().map(|c| c.to_ascii_lowercase()), text.len());
    }
    fold_unicode(text)
}

fn fold_unicode(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            '\u{064A}' | '\u{0649}' => folded.push('\u{06CC}'),
            '\u{0643}' => folded.push('\u{06A9}'),
            '\u{0647}' => folded.push('\u{06C1}'),
            '\u{0660}'..='\u{0669}' => folded.push(shift_digit(c, '\u{0660}')),
            '\u{06F0}'..='\u{06F9}' => folded.push(shift_digit(c, '\u{06F0}')),
            // Greek's final sigma is a sigma (JavaScript lower-cases it by context).
            c => folded.extend(c.to_lowercase().map(|c| if c == 'ς' { 'σ' } else { c })),
        }
    }
    drop_digit_separators(folded.chars(), folded.len())
}

fn shift_digit(c: char, zero: char) -> char {
    char::from(b'0' + (c as u32 - zero as u32) as u8)
}

/// `45,000` and `۴۵٬۰۰۰` are one word: a comma (or Arabic thousands separator) between two
/// digits goes.
fn drop_digit_separators(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut chars = chars.peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        let separator = matches!(c, ',' | '\u{066C}')
            && previous.is_some_and(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit);
        if !separator {
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

/// The words of folded text: runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|w| !w.is_empty())
}

/// A word worth indexing: two letters or more, or a number.
fn indexable(word: &str) -> bool {
    word.chars().nth(1).is_some() || word.chars().all(|c| c.is_ascii_digit())
}

/// What a course's index weighs, for the build's report and the size checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexStats {
    pub lessons: usize,
    pub sections: usize,
    pub words: usize,
    pub files: usize,
    pub bytes: usize,
    pub largest_file: usize,
}

/// A shard grows past this many bytes only when all its words are as long as its key.
const SHARD_BYTES: usize = 16 * 1024;

/// A word in more than this share of a course's sections matches too much to narrow a search
/// (once the course has enough sections for the share to mean anything).
const COMMON_SHARE: f64 = 0.5;
const COMMON_MIN_SECTIONS: usize = 20;

/// Score weights: a word in the lesson title counts as many as this in the text, and so on.
const TITLE_WEIGHT: u32 = 12;
const HEADING_WEIGHT: u32 = 6;
const MAX_SCORE: u32 = 99;

/// One lesson's place in the index.
pub struct LessonText<'a> {
    pub module_title: &'a str,
    /// The lesson page's path from the site root, such as `course/module/lesson/`.
    pub url: String,
    pub title: &'a str,
    pub sections: &'a [TextSection],
}

/// The first file a search fetches.
#[derive(Serialize)]
struct Manifest {
    version: u32,
    /// How many sections the course has, and how many each `sections-<n>.json` file lists.
    sections: usize,
    per_file: usize,
    shards: Vec<String>,
    common: Vec<String>,
}

/// How a result is shown: `[link from the search page, lesson title, section heading (or ""),
/// module title]`.
type SectionEntry<'a> = (String, &'a str, &'a str, &'a str);

/// Sections per `sections-<n>.json`: a page of results needs one or two of these files.
const SECTIONS_PER_FILE: usize = 64;

/// The index files of `course` (paths from the site root) for the search page at
/// `<course>/search/`, and what they weigh.
pub fn course_index(
    course: &Course,
    lessons: &[LessonText],
) -> (Vec<(String, Vec<u8>)>, IndexStats) {
    let search_url = format!("{}search/", course.url());
    let mut entries: Vec<SectionEntry> = Vec::new();
    // word -> [(section, score)], sections in order; in word order once complete
    let mut postings: HashMap<&str, Vec<(usize, u32)>> = HashMap::new();
    // The words of each lesson's title, counted into its opening part.
    let titles: Vec<HashMap<String, u32>> = lessons
        .iter()
        .map(|lesson| {
            let mut scores = HashMap::new();
            add_words(&mut scores, lesson.title, TITLE_WEIGHT);
            scores
        })
        .collect();
    for (lesson, title) in lessons.iter().zip(&titles) {
        let href = format!("{}index.html", relative_url(&search_url, &lesson.url));
        for (nth, section) in lesson.sections.iter().enumerate() {
            let index = entries.len();
            let link = match &section.anchor {
                Some(anchor) => format!("{href}#{anchor}"),
                None => href.clone(),
            };
            entries.push((link, lesson.title, &section.heading, lesson.module_title));
            let title = if nth == 0 { Some(title) } else { None };
            for (word, score) in section.scores.iter() {
                let in_title = title.and_then(|t| t.get(word)).copied().unwrap_or(0);
                let score = (*score + in_title).min(MAX_SCORE);
                postings.entry(word).or_default().push((index, score));
            }
            for (word, score) in title.into_iter().flatten() {
                if !section.scores.contains_key(word) {
                    postings.entry(word).or_default().push((index, *score));
                }
            }
        }
    }
    let mut manifest = Manifest {
        version: 1,
        sections: entries.len(),
        per_file: SECTIONS_PER_FILE,
        shards: Vec::new(),
        common: Vec::new(),
    };

    let total = entries.len();
    if total >= COMMON_MIN_SECTIONS {
        let limit = (total as f64 * COMMON_SHARE) as usize;
        postings.retain(|word, sections| {
            let common = sections.len() > limit;
            if common {
                manifest.common.push(word.to_string());
            }
            !common
        });
        manifest.common.sort_unstable();
    }

    let mut encoded: Vec<(String, String)> = postings
        .into_iter()
        .map(|(word, sections)| (word.to_string(), encode_postings(&sections)))
        .collect();
    encoded.sort_unstable();
    let encoded_words = encoded.len();
    let mut files = Vec::new();
    for (key, entries) in split_shards(&encoded, 1) {
        let mut json = String::from("{");
        for (i, (word, list)) in entries.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(word).expect("a string serializes"));
            json.push(':');
            json.push_str(list);
        }
        json.push('}');
        files.push((
            format!("{search_url}{}.json", shard_file(&key)),
            json.into_bytes(),
        ));
        manifest.shards.push(shard_file(&key));
    }
    for (n, chunk) in entries.chunks(SECTIONS_PER_FILE).enumerate() {
        let json = serde_json::to_vec(chunk).expect("sections serialize");
        files.push((format!("{search_url}sections-{n}.json"), json));
    }
    let manifest_json = serde_json::to_vec(&manifest).expect("the manifest serializes");
    files.push((format!("{search_url}index.json"), manifest_json));

    let stats = IndexStats {
        lessons: lessons.len(),
        sections: total,
        words: encoded_words,
        files: files.len(),
        bytes: files.iter().map(|(_, bytes)| bytes.len()).sum(),
        largest_file: files
            .iter()
            .map(|(_, bytes)| bytes.len())
            .max()
            .unwrap_or(0),
    };
    (files, stats)
}

/// `[gap, score, gap, score, ...]`: each section as its distance from the one before.
fn encode_postings(sections: &[(usize, u32)]) -> String {
    let mut list = String::from("[");
    let mut previous = 0;
    for (i, &(section, score)) in sections.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        list.push_str(&format!("{},{score}", section - previous));
        previous = section;
    }
    list.push(']');
    list
}

/// Groups words (sorted) into shards by their first `length` letters, splitting a group that is
/// too big (and of more than one word) by one letter more; words no longer than the key stay in
/// the key's own shard.
fn split_shards(words: &[(String, String)], length: usize) -> Vec<(String, Vec<(String, String)>)> {
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for entry in words {
        let key: String = entry.0.chars().take(length).collect();
        match groups.last_mut() {
            Some((last, members)) if *last == key => members.push(entry.clone()),
            _ => groups.push((key, vec![entry.clone()])),
        }
    }
    let mut shards = Vec::new();
    for (key, members) in groups {
        let size: usize = members.iter().map(|(w, l)| w.len() + l.len() + 4).sum();
        let alone = members.len() == 1;
        let (short, long): (Vec<_>, Vec<_>) = members
            .into_iter()
            .partition(|(word, _)| word.chars().count() <= length);
        if size <= SHARD_BYTES || alone || long.is_empty() {
            let mut all = short;
            all.extend(long);
            all.sort();
            shards.push((key, all));
            continue;
        }
        if !short.is_empty() {
            shards.push((key.clone(), short));
        }
        shards.extend(split_shards(&long, length + 1));
    }
    shards
}

/// A shard's file name (without `.json`): its key's letters as hexadecimal code points.
pub fn shard_file(key: &str) -> String {
    key.chars()
        .map(|c| format!("{:x}", c as u32))
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_matches_urdu_as_typed_on_arabic_and_urdu_keyboards() {
        // Arabic yeh, kaf and heh, a zabar and a hamza above: the Urdu letters, no marks.
        assert_eq!(fold("كيا"), fold("کیا"));
        assert_eq!(fold("بَجٹ"), "بجٹ");
        assert_eq!(fold("ہ"), fold("ه"));
        assert_eq!(fold("۴۵٬۰۰۰ روپے"), "45000 روپے");
        assert_eq!(fold("٤٥,٠٠٠"), "45000");
        assert_eq!(fold("Café BUDGET 45,000, then"), "cafe budget 45000, then");
        assert_eq!(fold("ﬁnance"), "finance");
        assert_eq!(fold("ΟΔΟΣ οδος"), "οδοσ οδοσ");
    }

    #[test]
    fn ascii_is_folded_as_the_unicode_way_would() {
        let printable: String = (' '..='~').collect();
        for text in [
            printable.as_str(),
            "Budget 45,000, 1,2,3 AND ,5, x,y 9,",
            "ABC,DEF",
        ] {
            assert_eq!(fold(text), fold_unicode(text), "{text}");
        }
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let folded = fold("A budget—plans: money_in (2,400)! بجٹ، منصوبہ۔");
        assert_eq!(
            words(&folded).collect::<Vec<_>>(),
            [
                "a",
                "budget",
                "plans",
                "money",
                "in",
                "2400",
                "بجٹ",
                "منصوبہ"
            ]
        );
        assert!(!indexable("a"));
        assert!(indexable("7"));
        assert!(indexable("بج"));
    }

    #[test]
    fn shards_split_by_longer_prefixes_only_when_too_big() {
        let entry = |w: &str, n: usize| (w.to_string(), "1".repeat(n));
        let small = [
            entry("apple", 10),
            entry("avocado", 10),
            entry("banana", 10),
        ];
        let keys: Vec<String> = split_shards(&small, 1)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["a", "b"]);

        let big = [
            entry("a", SHARD_BYTES),
            entry("apple", SHARD_BYTES),
            entry("avocado", 10),
            entry("b", 10),
        ];
        let shards = split_shards(&big, 1);
        let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "ap", "av", "b"]);
        assert_eq!(shards[0].1.len(), 1, "`a` alone stays in the `a` shard");
        assert_eq!(shard_file("ap"), "61-70");
        assert_eq!(shard_file("بج"), "628-62c");
    }

    #[test]
    fn a_lesson_that_is_only_a_quiz_keeps_its_opening_part_for_its_title() {
        let events = [Event::Html("<section class=\"quiz\">…</section>".into())];
        assert_eq!(sections(&events), [TextSection::default()]);
    }

    #[test]
    fn postings_are_gaps_and_scores() {
        let sections = [(2, 13), (5, 1), (6, 99)];
        assert_eq!(encode_postings(&sections), "[2,13,3,1,1,99]");
    }
}
