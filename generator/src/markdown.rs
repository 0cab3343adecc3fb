//! Stage 2, Markdown: owns the pulldown-cmark options and turns one lesson or overview into HTML.
//! It walks the event stream with byte offsets, so every quiz block, link and image knows its
//! file, line and column; lifts quiz blocks out, resolves links, adds heading anchors, turns
//! `> [!TIP]` blockquotes into callouts and highlights code. Fed by loading, feeds page rendering.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::assessment;
use crate::diag::{Diagnostic, LineIndex};
use crate::highlight;
use crate::html_policy;
use crate::i18n::{self, Strings};
use crate::images;
use crate::links::{Asset, Resolver};
use crate::model::Markdown;
use crate::quiz::Mode;
use crate::quiz::{self, Quiz};
use crate::quiz_form;
use crate::search;
use crate::yaml::Snippet;

/// The Markdown dialect of Sabaq: CommonMark plus tables, footnotes, strikethrough, task lists
/// and `{#id}` heading attributes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The callout kinds an author may write as `> [!KIND] optional title`.
const CALLOUTS: &[&str] = &["note", "tip", "important", "warning", "caution", "activity"];

/// Ids the page templates use, which headings must not take.
const RESERVED_IDS: &[&str] = &["main", "top", "content", "nav", "outline"];

/// A quiz lifted from a page, with where its `id` stands for duplicate-id reports.
#[derive(Debug, Clone)]
pub struct QuizBlock {
    pub quiz: Quiz,
    /// A diagnostic pointing at the quiz's `id` key; its message is filled in when used.
    pub id_location: Diagnostic,
}

/// One page's Markdown, rendered.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub quizzes: Vec<QuizBlock>,
    /// Each assessment's id and guessing odds (log2), for the build's report.
    pub assessments: Vec<(String, assessment::Strength)>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// The page's text for the course's search index.
    pub sections: Vec<search::TextSection>,
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text and byte range of the first level-1 heading, which stands in for a missing title.
pub fn first_h1(body: &str) -> Option<(String, Range<usize>)> {
    // Most lessons open with `# Title`: then only that line needs parsing (the parser reads
    // the block structure of its whole input up front).
    let start = body.len() - body.trim_start_matches(['\n', '\r']).len();
    let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
    let line = &body[start..line_end];
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent <= 3 && line[indent..].starts_with("# ") {
        return heading_in(line, start);
    }
    heading_in(body, 0)
}

/// The first level-1 heading of `source`, its range shifted by `offset`.
fn heading_in(source: &str, offset: usize) -> Option<(String, Range<usize>)> {
    let mut parser = Parser::new_ext(source, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        if let Event::Start(Tag::Heading {
            level: pulldown_cmark::HeadingLevel::H1,
            ..
        }) = event
        {
            let mut text = String::new();
            for (event, _) in parser.by_ref() {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(&t),
                    _ => {}
                }
            }
            return Some((
                text.trim().to_string(),
                range.start + offset..range.end + offset,
            ));
        }
    }
    None
}

/// Renders a short Markdown text (an option, a label) without its paragraph wrapper.
pub fn render_inline(text: &str) -> String {
    let html = render_fragment(text);
    html.replace("<p>", "")
        .replace("</p>\n", "<br>")
        .replace("</p>", "")
        .trim_end_matches("<br>")
        .to_string()
}

/// Renders a Markdown text (a prompt, a hint); a single paragraph loses its wrapper.
pub fn render_fragment(text: &str) -> String {
    let mut html = String::new();
    html::push_html(&mut html, Parser::new_ext(text, options()));
    let trimmed = html.trim_end();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        && !inner.contains("<p>")
    {
        return inner.to_string();
    }
    trimmed.to_string()
}

/// Where the writer is inside a Markdown table.
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

/// The text of some inline events, without their markup (a heading's, an image's alt text).
fn plain_text(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// Renders one Markdown file of the course `course_id` to the HTML of its page.
pub fn render_page(
    markdown: &Markdown,
    course_id: &str,
    resolver: &Resolver,
    strings: &Strings,
    assessment: Option<&assessment::Context>,
) -> Rendered {
    let mut page = PageRenderer {
        markdown,
        course_id,
        resolver,
        strings,
        assessment,
        out: Rendered::default(),
        used_ids: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
        images: 0,
        lines: std::cell::OnceCell::new(),
    };
    let events = page.transform();
    page.out.sections = search::sections(&events);
    html::push_html(&mut page.out.html, events.into_iter());
    page.out
}

struct PageRenderer<'a> {
    markdown: &'a Markdown,
    course_id: &'a str,
    resolver: &'a Resolver<'a>,
    strings: &'a Strings,
    /// The module's lock for assessments; `None` outside a module.
    assessment: Option<&'a assessment::Context>,
    out: Rendered,
    used_ids: HashSet<String>,
    /// Images written so far: the first loads at once, the others when scrolled near.
    images: usize,
    /// Where the file's lines start, made at the first problem or quiz block.
    lines: std::cell::OnceCell<LineIndex<'a>>,
}

type Offsets<'a> = std::iter::Peekable<std::vec::IntoIter<(Event<'a>, Range<usize>)>>;

impl<'a> PageRenderer<'a> {
    fn transform(&mut self) -> Vec<Event<'a>> {
        let body: &'a str = self.markdown.body();
        let parsed: Vec<(Event<'a>, Range<usize>)> = Parser::new_ext(body, options())
            .into_offset_iter()
            .collect();
        // Raw HTML and link addresses are checked against the page policy before anything is
        // written: a callout's title line, for one, is re-rendered from its source.
        for (offset, message) in html_policy::events_refusals(&parsed) {
            let d = self.error_at(offset, message).with_help(
                "write it in Markdown, or leave it out: see docs/authoring.md, \"HTML in lessons\"",
            );
            self.out.diagnostics.push(d);
        }
        let mut iter: Offsets<'a> = parsed.into_iter().peekable();
        let mut events = Vec::new();
        // For each open blockquote: is it a callout?
        let mut quotes: Vec<bool> = Vec::new();
        let mut table: Option<TableState> = None;
        while let Some((event, range)) = iter.next() {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let inner = self
                        .take_until_end(&mut iter, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                    let is_title = self
                        .markdown
                        .title_heading
                        .as_ref()
                        .is_some_and(|t| t.start == range.start + self.markdown.body_start);
                    if is_title {
                        continue;
                    }
                    let text = plain_text(&inner);
                    let anchor = match id {
                        Some(id) => id.to_string(),
                        None => self.unique_id(&heading_slug(&text)),
                    };
                    self.used_ids.insert(anchor.clone());
                    events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(anchor)),
                        classes,
                        attrs,
                    }));
                    events.extend(inner);
                    events.push(Event::End(TagEnd::Heading(level)));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match &kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let mut code = String::new();
                    let mut first_text: Option<usize> = None;
                    for (event, r) in iter.by_ref() {
                        match event {
                            Event::Text(t) => {
                                first_text.get_or_insert(r.start);
                                code.push_str(&t);
                            }
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    let language = info.split_whitespace().next().unwrap_or("");
                    let html = if language == "quiz" {
                        self.quiz_block(&code, first_text.unwrap_or(range.start))
                    } else {
                        highlight::highlight(&code, language)
                    };
                    events.push(Event::Html(CowStr::from(html)));
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    let callout = self.callout_open(&mut iter, range.clone());
                    quotes.push(callout.is_some());
                    match callout {
                        Some(html) => events.push(Event::Html(CowStr::from(html))),
                        None => events.push(Event::Start(Tag::BlockQuote(None))),
                    }
                }
                Event::End(TagEnd::BlockQuote(kind)) => {
                    if quotes.pop() == Some(true) {
                        events.push(Event::Html(CowStr::from("</div>\n")));
                    } else {
                        events.push(Event::End(TagEnd::BlockQuote(kind)));
                    }
                }
                Event::Start(Tag::Table(alignments)) => {
                    let label = escape_html(i18n::text(self.strings, "table"));
                    events.push(Event::Html(CowStr::from(format!(
                        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{label}\">"
                    ))));
                    // Cells are written here, aligned by class: pulldown-cmark would write
                    // `style` attributes, which the pages' Content-Security-Policy refuses.
                    table = Some(TableState {
                        alignments,
                        in_head: false,
                        column: 0,
                    });
                    events.push(Event::Start(Tag::Table(Vec::new())));
                }
                Event::Start(Tag::TableHead) => {
                    if let Some(t) = table.as_mut() {
                        t.in_head = true;
                    }
                    events.push(Event::Start(Tag::TableHead));
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some(t) = table.as_mut() {
                        t.in_head = false;
                        t.column = 0;
                    }
                    events.push(Event::End(TagEnd::TableHead));
                }
                Event::Start(Tag::TableRow) => {
                    if let Some(t) = table.as_mut() {
                        t.column = 0;
                    }
                    events.push(Event::Start(Tag::TableRow));
                }
                Event::Start(Tag::TableCell) => {
                    let (tag, align) = match &table {
                        Some(t) => (
                            if t.in_head { "th" } else { "td" },
                            match t.alignments.get(t.column) {
                                Some(Alignment::Left) => " class=\"align-start\"",
                                Some(Alignment::Center) => " class=\"align-center\"",
                                Some(Alignment::Right) => " class=\"align-end\"",
                                _ => "",
                            },
                        ),
                        None => ("td", ""),
                    };
                    events.push(Event::Html(CowStr::from(format!("<{tag}{align}>"))));
                }
                Event::End(TagEnd::TableCell) => {
                    let tag = match &mut table {
                        Some(t) => {
                            t.column += 1;
                            if t.in_head { "th" } else { "td" }
                        }
                        None => "td",
                    };
                    events.push(Event::Html(CowStr::from(format!("</{tag}>"))));
                }
                Event::End(TagEnd::Table) => {
                    table = None;
                    events.push(Event::End(TagEnd::Table));
                    events.push(Event::Html(CowStr::from("</div>\n")));
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let inner =
                        self.take_until_end(&mut iter, |e| matches!(e, Event::End(TagEnd::Image)));
                    let alt = plain_text(&inner);
                    let html = self.image(&dest_url, &title, &alt, range);
                    events.push(Event::InlineHtml(CowStr::from(html)));
                }
                other => events.push(self.rewrite_link(other, range)),
            }
        }
        events
    }

    /// A lesson image: resolved like a link, with its size, its phone-width copies and lazy
    /// loading (see [`images`]).
    fn image(&mut self, dest: &str, title: &str, alt: &str, range: Range<usize>) -> String {
        let first = self.images == 0;
        self.images += 1;
        let resolved = match self.resolver.resolve(dest, true) {
            Ok(resolved) => resolved,
            Err(message) => {
                let d = self.error_at(range.start, message);
                self.out.diagnostics.push(d);
                return images::img_tag(dest, alt, title, None, first);
            }
        };
        let info = resolved
            .asset
            .as_ref()
            .and_then(|asset| match images::probe(&asset.source) {
                Ok(info) => info,
                Err(e) => {
                    let d =
                        self.error_at(range.start, format!("cannot read image `{dest}`: {e:#}"));
                    self.out.diagnostics.push(d);
                    None
                }
            });
        if let Some(asset) = resolved.asset {
            self.out.assets.push(asset);
        }
        images::img_tag(&resolved.url, alt, title, info.as_ref(), first)
    }

    /// Takes the events up to the matching end, rewriting links on the way; the end is dropped.
    fn take_until_end(
        &mut self,
        iter: &mut Offsets<'a>,
        is_end: impl Fn(&Event) -> bool,
    ) -> Vec<Event<'a>> {
        let mut inner = Vec::new();
        for (event, range) in iter.by_ref() {
            if is_end(&event) {
                break;
            }
            inner.push(self.rewrite_link(event, range));
        }
        inner
    }

    fn unique_id(&self, base: &str) -> String {
        if !self.used_ids.contains(base) {
            return base.to_string();
        }
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !self.used_ids.contains(id))
            .expect("an unused id exists")
    }

    fn lines(&self) -> &LineIndex<'a> {
        self.lines
            .get_or_init(|| LineIndex::new(&self.markdown.source.text))
    }

    /// An error at a byte offset of the body.
    fn error_at(&self, body_offset: usize, message: String) -> Diagnostic {
        Diagnostic::error(&self.markdown.source.path, message)
            .at_index(self.lines(), self.markdown.body_start + body_offset)
    }

    fn rewrite_link(&mut self, event: Event<'a>, range: Range<usize>) -> Event<'a> {
        let (dest, is_image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.clone(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.clone(), true),
            _ => return event,
        };
        match self.resolver.resolve(&dest, is_image) {
            Ok(resolved) => {
                if let Some(asset) = resolved.asset {
                    self.out.assets.push(asset);
                }
                let url = CowStr::from(resolved.url);
                match event {
                    Event::Start(Tag::Link {
                        link_type,
                        title,
                        id,
                        ..
                    }) => Event::Start(Tag::Link {
                        link_type,
                        dest_url: url,
                        title,
                        id,
                    }),
                    Event::Start(Tag::Image {
                        link_type,
                        title,
                        id,
                        ..
                    }) => Event::Start(Tag::Image {
                        link_type,
                        dest_url: url,
                        title,
                        id,
                    }),
                    other => other,
                }
            }
            Err(message) => {
                let d = self.error_at(range.start, message);
                self.out.diagnostics.push(d);
                event
            }
        }
    }

    /// Parses a quiz block and returns its form; problems are recorded and leave a note.
    fn quiz_block(&mut self, yaml: &str, body_offset: usize) -> String {
        let file = &self.markdown.source.text;
        let offset = self.markdown.body_start + body_offset;
        let (first_line, indent) = self.lines().line_and_indent(offset);
        let snippet = Snippet {
            path: &self.markdown.source.path,
            file_text: file,
            text: yaml,
            first_line,
            indent,
        };
        match quiz::parse(&snippet) {
            Ok(quiz::Parsed { quiz, id_at }) => {
                let id_location = snippet.error_at(id_at, "");
                let locked = match (quiz.mode, self.assessment) {
                    (Mode::Practice, _) => None,
                    (Mode::Assessment, None) => {
                        self.out.diagnostics.push(snippet.error_at(
                            id_at,
                            "an assessment belongs in a module's lesson: it certifies that module",
                        ));
                        return String::new();
                    }
                    (Mode::Assessment, Some(context)) => {
                        match assessment::lock(&quiz, self.course_id, context) {
                            Ok(mut locked) => {
                                locked.progress_href = format!(
                                    "{}{}/index.html",
                                    crate::links::root_prefix(self.resolver.page_url),
                                    crate::render::PROGRESS_FOLDER
                                );
                                self.out
                                    .assessments
                                    .push((quiz.id.clone(), locked.strength));
                                Some(locked)
                            }
                            Err(why) => {
                                self.out.diagnostics.push(snippet.error_at(id_at, why));
                                return String::new();
                            }
                        }
                    }
                };
                let html =
                    quiz_form::render_html(&quiz, self.course_id, self.strings, locked.as_ref());
                self.used_ids.insert(format!("quiz-{}", quiz.id));
                self.out.quizzes.push(QuizBlock { quiz, id_location });
                html
            }
            Err(problems) => {
                self.out.diagnostics.extend(problems);
                String::new()
            }
        }
    }

    /// At a blockquote start: if it opens with `[!KIND] title`, consumes that first line and
    /// returns the callout's opening HTML.
    fn callout_open(&mut self, iter: &mut Offsets<'a>, range: Range<usize>) -> Option<String> {
        let body = self.markdown.body();
        let quoted = body[range.start..]
            .trim_start()
            .strip_prefix('>')?
            .trim_start_matches([' ', '\t']);
        let marker = quoted.strip_prefix("[!")?;
        let close = marker.find(']')?;
        let kind = marker[..close].to_ascii_lowercase();
        let first_line = marker[close + 1..].lines().next().unwrap_or("");
        if !CALLOUTS.contains(&kind.as_str()) {
            let d = self
                .error_at(
                    range.start,
                    format!(
                        "unknown callout `[!{}]`, shown as a plain quote",
                        &marker[..close]
                    ),
                )
                .with_help("use one of: NOTE, TIP, IMPORTANT, WARNING, CAUTION, ACTIVITY");
            self.out.diagnostics.push(d.into_warning());
            return None;
        }
        // The first paragraph starts with the marker line: drop that line's events.
        let (_, para) = iter.next_if(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))?;
        let line_end = body[para.start..]
            .find('\n')
            .map_or(para.end, |i| para.start + i);
        while iter
            .next_if(|(e, r)| r.start <= line_end && !matches!(e, Event::End(TagEnd::Paragraph)))
            .is_some()
        {}
        let only_marker = iter
            .next_if(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
            .is_some();
        let label = escape_html(i18n::text(self.strings, &format!("callout_{kind}")));
        let title = first_line.trim();
        let mut html = format!(
            "<div class=\"callout callout-{kind}\" role=\"note\">\n<p class=\"callout-title\"><span class=\"callout-label\">{label}</span>"
        );
        if !title.is_empty() {
            html.push_str(": ");
            html.push_str(&render_inline(title));
        }
        html.push_str("</p>\n");
        if !only_marker {
            html.push_str("<p>");
        }
        Some(html)
    }
}

/// A heading's anchor: lowercase letters and digits of any script, words joined by '-'.
pub fn heading_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::PageMap;
    use crate::model::Source;
    use std::path::Path;
    use std::sync::Arc;

    fn render(text: &str) -> Rendered {
        let markdown = Markdown {
            source: Source {
                path: "/c/01-m/01-l.md".into(),
                text: Arc::from(text),
            },
            body_start: 0,
            title_heading: None,
        };
        let pages = PageMap::default();
        let resolver = Resolver {
            pages: &pages,
            course: &crate::confine::Folder::new(Path::new("/c"), "course folder"),
            course_url: "c/",
            source_dir: Path::new("/c/01-m"),
            page_url: "c/m/l/",
        };
        render_page(&markdown, "c", &resolver, &i18n::strings_for("en"), None)
    }

    #[test]
    fn headings_get_unique_anchors_in_any_script() {
        let out = render("## Cash book\n\n## Cash book\n\n## بجٹ کیا ہے؟\n");
        assert!(
            out.html.contains("<h2 id=\"cash-book\">Cash book</h2>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<h2 id=\"cash-book-1\">"), "{}", out.html);
        assert!(out.html.contains("<h2 id=\"بجٹ-کیا-ہے\">"), "{}", out.html);
    }

    #[test]
    fn callouts_carry_kind_label_and_title() {
        let out = render(
            "> [!TIP] Count daily\n> Same time each day.\n\n> [!ACTIVITY]\n>\n> Write it down.\n\n> plain quote\n",
        );
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert!(
            out.html.contains("<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\"><span class=\"callout-label\">Tip</span>: Count daily</p>\n<p>Same time each day.</p>\n</div>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("callout-activity"), "{}", out.html);
        assert!(out.html.contains("<p>Write it down.</p>"), "{}", out.html);
        assert!(
            out.html
                .contains("<blockquote>\n<p>plain quote</p>\n</blockquote>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn missing_lesson_link_is_an_error_at_its_position() {
        let out = render("Intro\n\nSee [next](02-missing.md).\n");
        assert_eq!(out.diagnostics.len(), 1);
        let d = &out.diagnostics[0];
        assert!(
            d.message.contains("link to a missing lesson"),
            "{}",
            d.message
        );
        assert_eq!(d.position.map(|p| (p.line, p.col)), Some((3, 5)));
    }

    #[test]
    fn tables_scroll_inside_a_labelled_region() {
        let out = render("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(out.html.starts_with("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\"><table>"), "{}", out.html);
    }

    #[test]
    fn table_alignment_is_a_class_not_a_style() {
        // The pages' Content-Security-Policy refuses style attributes.
        let out = render("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n");
        assert!(!out.html.contains("style="), "{}", out.html);
        assert!(out.html.contains("<thead><tr><th class=\"align-start\">a</th><th class=\"align-center\">b</th><th class=\"align-end\">c</th><th>d</th></tr></thead>"), "{}", out.html);
        assert!(out.html.contains("<tr><td class=\"align-start\">1</td><td class=\"align-center\">2</td><td class=\"align-end\">3</td><td>4</td></tr>"), "{}", out.html);
    }

    #[test]
    fn quiz_block_errors_are_placed_in_the_lesson_file() {
        let out =
            render("# T\n\n```quiz\nid: q\nquestions:\n  - type: essay\n    prompt: P\n```\n");
        assert_eq!(out.diagnostics.len(), 1);
        let d = &out.diagnostics[0];
        assert_eq!(d.message, "unknown question type `essay`");
        assert_eq!(d.position.map(|p| (p.line, p.col)), Some((6, 5)));
        assert_eq!(d.source_line.as_deref(), Some("  - type: essay"));
    }
}
