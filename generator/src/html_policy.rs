//! The page policy for HTML an author (or an imported bank) writes by hand: what raw HTML may
//! do on a learner's page. The pages' Content-Security-Policy already blocks scripts, inline
//! styles and loads from other hosts, but not what a page does by itself without a script:
//! `<meta http-equiv="refresh">` sends the learner to another host on load, `<base href>`
//! re-points every relative link, a `<form>` or `formaction` posts answers elsewhere. This
//! module reads HTML the way a browser's tokenizer does (tags, attributes, character
//! references, comments) and names every part that is refused; the build reports them as
//! errors, the GIFT importer drops them with a warning ([`sanitize`]).

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

/// Elements refused wherever they appear, with why.
const REFUSED_ELEMENTS: &[(&str, &str)] = &[
    ("meta", "can send the learner to another page on load"),
    ("base", "re-points every link of the page"),
    ("link", "loads or prefetches from elsewhere"),
    ("script", "runs code, which the pages do not allow"),
    ("style", "styles the page, which the pages do not allow"),
    ("iframe", "embeds another page"),
    ("frame", "embeds another page"),
    ("frameset", "embeds another page"),
    ("object", "embeds another document or plug-in"),
    ("embed", "embeds another document or plug-in"),
    ("applet", "embeds a plug-in"),
    ("portal", "embeds another page"),
    ("fencedframe", "embeds another page"),
    ("form", "can send what the learner types elsewhere"),
];

/// Attributes that hold a URL the browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "poster",
    "background",
    "data",
    "xlink:href",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "manifest",
    "codebase",
    "archive",
    "icon",
];

/// Attributes refused on any element, with why.
const REFUSED_ATTRIBUTES: &[(&str, &str)] = &[
    ("style", "inline styles are not applied on Sabaq pages"),
    ("http-equiv", "can send the learner to another page on load"),
    ("srcdoc", "embeds another page"),
    ("action", "can send what the learner types elsewhere"),
    ("formaction", "can send what the learner types elsewhere"),
    ("ping", "reports the learner's clicks to another address"),
];

/// URL schemes that run code or open a document made up on the spot.
const CODE_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "file"];

/// One refused part of some HTML: where it stands (a byte range of the input) and what the
/// learner's page would have suffered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub range: Range<usize>,
    pub message: String,
}

/// An attribute as the browser reads it: lowercase name, value with character references
/// decoded, and the byte range of the whole `name="value"`.
#[derive(Debug)]
struct Attribute {
    name: String,
    value: String,
    range: Range<usize>,
}

/// A start or end tag.
#[derive(Debug)]
struct TagToken {
    name: String,
    end: bool,
    attributes: Vec<Attribute>,
    range: Range<usize>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Elements whose content the browser reads as text up to their own end tag: no tag inside
/// them is a tag, so none may be read as one here.
const TEXT_ONLY_ELEMENTS: &[&str] = &[
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "style",
    "script",
    "plaintext",
];

/// Every tag of `html`, in order, read as the HTML tokenizer reads them; comments and
/// `<!...>`/`<?...>` are skipped, text between tags too, and the content of the elements of
/// [`TEXT_ONLY_ELEMENTS`].
fn tags(html: &str) -> Vec<TagToken> {
    tokenize(html).0
}

/// [`tags`], and what `html` leaves open at its end, if anything (a tag, an attribute's quotes,
/// a comment, a text-only element): the browser would read what follows it on the page in that
/// state, which no check of this piece alone can foresee.
fn tokenize(html: &str) -> (Vec<TagToken>, Option<&'static str>) {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut open = None;
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| i + p) {
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            // `<!-->` and `<!--->` close at once, like any `-->`.
            let from = lt + 4;
            let close = [
                html[from..].starts_with('>').then_some(from + 1),
                html[from..].starts_with("->").then_some(from + 2),
            ]
            .into_iter()
            .flatten()
            .next();
            // A comment ends at `-->`, and at `--!>` too.
            let end = [("-->", 3), ("--!>", 4)]
                .iter()
                .filter_map(|(mark, len)| html[from..].find(mark).map(|p| from + p + len))
                .min();
            i = close.or(end).unwrap_or_else(|| {
                open = Some("a comment");
                html.len()
            });
            continue;
        }
        if rest.first().is_some_and(|b| *b == b'!' || *b == b'?')
            || (rest.first() == Some(&b'/') && !rest.get(1).is_some_and(u8::is_ascii_alphabetic))
        {
            i = html[lt..].find('>').map_or(html.len(), |p| lt + p + 1);
            continue;
        }
        let (end, name_start) = match rest.first() {
            Some(b'/') => (true, lt + 2),
            Some(b) if b.is_ascii_alphabetic() => (false, lt + 1),
            _ => {
                i = lt + 1;
                continue;
            }
        };
        let mut j = name_start;
        while j < bytes.len() && !is_space(bytes[j]) && bytes[j] != b'/' && bytes[j] != b'>' {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while j < bytes.len() && (is_space(bytes[j]) || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() {
                open = open.or(Some("a tag"));
                break;
            }
            if bytes[j] == b'>' {
                j += 1;
                break;
            }
            let attr_start = j;
            // A `=` that starts a name belongs to the name.
            j += 1;
            while j < bytes.len() && !is_space(bytes[j]) && !matches!(bytes[j], b'/' | b'>' | b'=')
            {
                j += 1;
            }
            let attr_name = html[attr_start..j].to_ascii_lowercase();
            let mut k = j;
            while k < bytes.len() && is_space(bytes[k]) {
                k += 1;
            }
            let mut value = String::new();
            if k < bytes.len() && bytes[k] == b'=' {
                k += 1;
                while k < bytes.len() && is_space(bytes[k]) {
                    k += 1;
                }
                let raw = match bytes.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = html[k + 1..].find(q as char).map_or_else(
                            || {
                                open = Some("an attribute's quotes");
                                html.len()
                            },
                            |p| k + 1 + p,
                        );
                        let raw = &html[k + 1..close];
                        k = (close + 1).min(html.len());
                        raw
                    }
                    _ => {
                        let from = k;
                        while k < bytes.len() && !is_space(bytes[k]) && bytes[k] != b'>' {
                            k += 1;
                        }
                        &html[from..k]
                    }
                };
                value = decode_references(raw);
                j = k;
            }
            attributes.push(Attribute {
                name: attr_name,
                value,
                range: attr_start..j,
            });
        }
        i = j.max(lt + 1);
        // The content of a text-only element is text up to the element's own end tag.
        if !end && TEXT_ONLY_ELEMENTS.contains(&name.as_str()) {
            let closing = format!("</{name}");
            let lower = html[i..].to_ascii_lowercase();
            let found = (name != "plaintext")
                .then(|| {
                    lower
                        .match_indices(&closing)
                        .map(|(p, _)| i + p)
                        .find(|&p| {
                            bytes
                                .get(p + closing.len())
                                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
                        })
                })
                .flatten();
            match found {
                Some(p) => i = p,
                None => {
                    open = Some("an element whose content is text");
                    i = html.len();
                }
            }
        }
        out.push(TagToken {
            name,
            end,
            attributes,
            range: lt..j,
        });
    }
    (out, open)
}

/// Character references decoded as the browser does in attribute values: every numeric one,
/// and the named ones an address could hide behind. Any other named reference stays as written
/// (and [`url_problem`] refuses it where a scheme could hide).
fn decode_references(raw: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("colon", ':'),
        ("sol", '/'),
        ("bsol", '\\'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("nbsp", '\u{a0}'),
        ("period", '.'),
        ("num", '#'),
        ("quest", '?'),
        ("percnt", '%'),
    ];
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        if let Some(num) = after.strip_prefix('#') {
            let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (
                    hex.len()
                        - hex
                            .trim_start_matches(|c: char| c.is_ascii_hexdigit())
                            .len(),
                    16,
                    2,
                ),
                None => (
                    num.len() - num.trim_start_matches(|c: char| c.is_ascii_digit()).len(),
                    10,
                    1,
                ),
            };
            if digits > 0 {
                let text = &after[skip..skip + digits];
                let c = u32::from_str_radix(text, radix)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                out.push(c);
                let mut used = 1 + skip + digits;
                if after[skip + digits..].starts_with(';') {
                    used += 1;
                }
                rest = &rest[amp + used..];
                continue;
            }
        }
        let word_len = after.len()
            - after
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
                .len();
        let word = after[..word_len].to_ascii_lowercase();
        if let Some((_, c)) = NAMED.iter().find(|(name, _)| *name == word) {
            out.push(*c);
            let used = 1 + word_len + usize::from(after[word_len..].starts_with(';'));
            rest = &rest[amp + used..];
            continue;
        }
        out.push('&');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Why a URL in `attribute` of `element` is refused, if it is.
/// An address as the URL parser reads it: tabs and newlines dropped anywhere, spaces and
/// controls at the ends.
fn parsed_url(value: &str) -> String {
    let url: String = value
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    url.trim_matches(|c: char| c <= ' ').to_string()
}

/// The scheme of a parsed address (lowercase), if it has one: what comes before a `:` that
/// stands before any `/`, `?`, `#` or `\`.
fn scheme_of(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let path_start = url.find(['/', '?', '#', '\\']);
    path_start
        .is_none_or(|p| colon < p)
        .then(|| url[..colon].to_ascii_lowercase())
}

fn url_problem(element: &str, attribute: &str, value: &str) -> Option<String> {
    let url = parsed_url(value);
    let url = url.as_str();
    let first = if attribute == "srcset" {
        // Each candidate is a URL and a size; every URL counts.
        return url
            .split(',')
            .filter_map(|candidate| candidate.split_whitespace().next())
            .find_map(|u| url_problem(element, "src", u));
    } else {
        url
    };
    let path_start = first.find(['/', '?', '#', '\\']);
    let scheme = scheme_of(first);
    let hidden = first[..path_start.unwrap_or(first.len())].contains('&');
    if hidden {
        return Some(format!(
            "`{attribute}=\"{value}\"`: write the address's characters themselves, not as character references"
        ));
    }
    let is_link = attribute == "href" && matches!(element, "a" | "area");
    let is_image = matches!(attribute, "src" | "srcset" | "poster") && element != "script";
    match scheme.as_deref() {
        Some("data") if is_image => None,
        Some(s) if CODE_SCHEMES.contains(&s) => Some(format!(
            "`{attribute}=\"{value}\"`: a `{s}:` address runs code or opens a made-up page"
        )),
        _ if is_link => None,
        Some(_) => Some(format!(
            "`{attribute}=\"{value}\"` loads from another host: learners may be offline and pay for data; copy the file into the course"
        )),
        // Two slashes of either kind start another host's address (`//`, `\\`, `/\`, `\/`).
        None if first.len() >= 2
            && first.as_bytes()[..2]
                .iter()
                .all(|b| matches!(b, b'/' | b'\\')) =>
        {
            Some(format!(
                "`{attribute}=\"{value}\"` loads from another host: learners may be offline and pay for data; copy the file into the course"
            ))
        }
        None => None,
    }
}

/// Why the attribute `name="value"` of an `element` is refused, if it is (names lowercase).
fn attribute_refusal(element: &str, name: &str, value: &str) -> Option<String> {
    if name.starts_with("on") && name.len() > 2 {
        Some(format!(
            "HTML event handler `{name}` on `<{element}>` is not allowed: it runs code, which the pages do not allow"
        ))
    } else if let Some((_, why)) = REFUSED_ATTRIBUTES.iter().find(|(n, _)| *n == name) {
        Some(format!(
            "HTML attribute `{name}` on `<{element}>` is not allowed: {why}"
        ))
    } else if URL_ATTRIBUTES.contains(&name) {
        url_problem(element, name, value).map(|why| format!("HTML `<{element}>` {why}"))
    } else {
        None
    }
}

/// Why an address a learner may follow from a page (a link) is refused, if it is: one that runs
/// code or opens a made-up page (`javascript:`, `data:`...).
pub fn link_refusal(url: &str) -> Option<String> {
    url_problem("a", "href", url)
}

/// What in an SVG drawing would act by itself when the drawing is opened on its own (a server
/// sends it as it is, outside every page's policy): a script, an embedded document, an event
/// handler, a link or animation to code. Styles and drawing attributes are fine here.
pub fn svg_refusal(svg: &str) -> Option<String> {
    const ACTIVE: &[&str] = &[
        "script",
        "foreignobject",
        "iframe",
        "embed",
        "object",
        "meta",
        "base",
        "handler",
        "listener",
    ];
    for tag in tags(svg) {
        if ACTIVE.contains(&tag.name.as_str()) {
            return Some(format!("`<{}>` runs or embeds something", tag.name));
        }
        for attribute in &tag.attributes {
            if attribute.name.starts_with("on") {
                return Some(format!("`{}` is an event handler", attribute.name));
            }
            let reaches_code = matches!(
                attribute.name.as_str(),
                "href" | "xlink:href" | "src" | "values" | "to" | "from" | "by"
            ) && attribute.value.split(';').any(|part| {
                // Any white space dropped, more than the URL parser drops: the stricter reading.
                let part: String = part.chars().filter(|c| !c.is_whitespace()).collect();
                scheme_of(&parsed_url(&part)).is_some_and(|s| CODE_SCHEMES.contains(&s.as_str()))
            });
            if reaches_code {
                return Some(format!("`{}` leads to code", attribute.name));
            }
        }
    }
    None
}

/// Every refused part of `html`: refused elements, event handlers, refused attributes and URLs
/// that run code or load from elsewhere.
pub fn refusals(html: &str) -> Vec<Refusal> {
    let mut out = Vec::new();
    let (tags, open) = tokenize(html);
    if let Some(what) = open {
        out.push(Refusal {
            range: 0..html.len(),
            message: format!(
                "HTML that leaves {what} open: the browser would read the rest of the page inside it, past what is checked; close it"
            ),
        });
    }
    for tag in tags {
        if let Some((_, why)) = REFUSED_ELEMENTS.iter().find(|(n, _)| *n == tag.name) {
            if !tag.end {
                out.push(Refusal {
                    range: tag.range.clone(),
                    message: format!("HTML `<{}>` is not allowed: it {why}", tag.name),
                });
            }
            continue;
        }
        if tag.end {
            continue;
        }
        for attribute in &tag.attributes {
            if let Some(message) = attribute_refusal(&tag.name, &attribute.name, &attribute.value) {
                out.push(Refusal {
                    range: attribute.range.clone(),
                    message,
                });
            }
        }
    }
    out
}

/// `html` with every refused part removed (a refused element's tag; the whole of a `script`,
/// `style` or other element whose content is not shown), and what was removed.
pub fn sanitize(html: &str) -> (String, Vec<String>) {
    let refusals = refusals(html);
    if refusals.is_empty() {
        return (html.to_string(), Vec::new());
    }
    let tags = tags(html);
    let mut cuts: Vec<Range<usize>> = Vec::new();
    for refusal in &refusals {
        // An attribute goes with the space before it.
        let mut start = refusal.range.start;
        if !html[start..].starts_with('<') {
            while start > 0 && is_space(html.as_bytes()[start - 1]) {
                start -= 1;
            }
        }
        cuts.push(start..refusal.range.end);
    }
    // The closing tags of refused elements, and the content of those that hide it.
    for (n, tag) in tags.iter().enumerate() {
        if !REFUSED_ELEMENTS.iter().any(|(name, _)| *name == tag.name) {
            continue;
        }
        if tag.end {
            cuts.push(tag.range.clone());
        } else if matches!(
            tag.name.as_str(),
            "script" | "style" | "iframe" | "object" | "applet"
        ) && let Some(close) = tags[n + 1..].iter().find(|t| t.end && t.name == tag.name)
        {
            cuts.push(tag.range.start..close.range.end);
        }
    }
    cuts.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for cut in cuts {
        if cut.start < at {
            at = at.max(cut.end);
            continue;
        }
        out.push_str(&html[at..cut.start]);
        at = cut.end;
    }
    out.push_str(&html[at..]);
    let mut messages: Vec<String> = refusals.into_iter().map(|r| r.message).collect();
    messages.dedup();
    (out, messages)
}

/// Every refusal in the raw HTML and link addresses of some Markdown, each at a byte offset of
/// `markdown`. What the Markdown parser passes through as HTML is read as the browser will;
/// a Markdown link to a `javascript:` or `data:` address is refused too.
pub fn markdown_refusals(markdown: &str) -> Vec<(usize, String)> {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, crate::markdown::options())
        .into_offset_iter()
        .collect();
    events_refusals(&events)
}

/// [`markdown_refusals`] over events already parsed, with their byte ranges.
pub fn events_refusals(events: &[(Event, Range<usize>)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Consecutive HTML events form one run of HTML, as the browser reads it: a tag may span
    // several lines of an HTML block. Each piece keeps where it came from.
    let mut run = String::new();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let flush =
        |run: &mut String, pieces: &mut Vec<(usize, usize)>, out: &mut Vec<(usize, String)>| {
            for refusal in refusals(run) {
                let index = pieces.partition_point(|(at, _)| *at <= refusal.range.start);
                let (at, source) = pieces[index.saturating_sub(1)];
                out.push((source + (refusal.range.start - at), refusal.message));
            }
            run.clear();
            pieces.clear();
        };
    for (event, range) in events {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => {
                // The event's text is its source, except for quote and list markers cut out.
                let source = if text.len() <= range.len() {
                    range.end - text.len()
                } else {
                    range.start
                };
                pieces.push((run.len(), source));
                run.push_str(text);
            }
            Event::Start(Tag::HtmlBlock) | Event::End(pulldown_cmark::TagEnd::HtmlBlock) => {}
            other => {
                if !run.is_empty() {
                    flush(&mut run, &mut pieces, &mut out);
                }
                if let Event::Start(Tag::Link { dest_url, .. }) = other
                    && let Some(why) = link_refusal(dest_url)
                {
                    out.push((range.start, format!("link {why}")));
                }
                // `## Title {key=value}` writes attributes onto the heading.
                if let Event::Start(Tag::Heading { level, attrs, .. }) = other {
                    for (name, value) in attrs {
                        let name = name.to_ascii_lowercase();
                        let value = value.as_deref().unwrap_or("");
                        if let Some(why) = attribute_refusal(&level.to_string(), &name, value) {
                            out.push((range.start, why));
                        }
                    }
                }
            }
        }
    }
    if !run.is_empty() {
        flush(&mut run, &mut pieces, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(html: &str) -> Vec<String> {
        refusals(html).into_iter().map(|r| r.message).collect()
    }

    #[test]
    fn two_slashes_of_either_kind_lead_to_another_host() {
        for src in [
            "//evil.example/x.png",
            "\\\\evil.example/x.png",
            "/\\evil.example/x.png",
            "\\/evil.example/x.png",
        ] {
            let found = messages(&format!("<img src=\"{src}\">"));
            assert!(
                found.iter().any(|m| m.contains("another host")),
                "{src}: {found:?}"
            );
        }
        assert!(messages("<img src=\"/x.png\">").is_empty());
    }

    /// The three ways a reader of HTML that is not the browser's own was led past a tag.
    #[test]
    fn html_is_read_as_the_browser_reads_it() {
        let refresh = "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">";
        // A comment also ends at `--!>`.
        let found = messages(&format!("<!-- note --!>{refresh} -->"));
        assert!(found.iter().any(|m| m.contains("meta")), "{found:?}");
        // The content of a text-only element is text up to its own end tag, wherever that is.
        for element in [
            "textarea", "title", "xmp", "noscript", "noembed", "noframes",
        ] {
            let html = format!("<{element}><b title=\"</{element}>{refresh}\"></b></{element}>");
            let found = messages(&html);
            assert!(
                found.iter().any(|m| m.contains("meta")),
                "{element}: {found:?}"
            );
        }
        // A piece that leaves quotes, a tag, a comment or a text-only element open would
        // change how the browser reads the rest of the page.
        for piece in [
            "<div title=\"",
            "<div title='x",
            "<div",
            "<!-- open",
            "<textarea>",
        ] {
            let found = messages(piece);
            assert!(
                found.iter().any(|m| m.contains("open")),
                "{piece}: {found:?}"
            );
        }
        // What is whole passes.
        assert!(messages("<textarea>a < b</textarea> <!-- c --!> <b title=\"x\">y</b>").is_empty());
    }

    #[test]
    fn navigation_a_page_triggers_by_itself_is_refused() {
        for html in [
            "<meta http-equiv=\"refresh\" content=\"0;url=https://example.org\">",
            "<META HTTP-EQUIV=refresh CONTENT=0;url=//example.org>",
            "<meta/http-equiv=\"refresh\" content=\"0\">",
            "<div>\n<meta\n http-equiv=refresh content=0>\n</div>",
        ] {
            assert_eq!(
                messages(html)[0],
                "HTML `<meta>` is not allowed: it can send the learner to another page on load",
                "{html}"
            );
        }
        assert!(messages("<base href=\"https://example.org/\">")[0].contains("`<base>`"));
        assert!(messages("<form action=\"https://example.org\">")[0].contains("`<form>`"));
        assert!(messages("<button formaction=\"https://x\">")[0].contains("`formaction`"));
    }

    #[test]
    fn code_and_loads_from_elsewhere_are_refused_but_plain_links_are_kept() {
        assert!(messages("<img src=x onerror=alert(1)>")[0].contains("event handler `onerror`"));
        assert!(
            messages("<a href=\"java&#x73;cript:alert(1)\">x</a>")[0].contains("`javascript:`")
        );
        assert!(
            messages("<a href=\"javascript&colon;alert(1)\">x</a>")[0].contains("`javascript:`")
        );
        assert!(messages("<img src=\"https://example.org/a.png\">")[0].contains("another host"));
        assert!(
            messages("<img srcset=\"a.png 1x, //example.org/b.png 2x\">")[0]
                .contains("another host")
        );
        assert!(messages("<p style=\"color: red\">")[0].contains("`style`"));
        assert!(messages("<a href=\"https://example.org/\">ok</a> <b>bold</b> <img src=\"data:image/png;base64,AA\">").is_empty());
        // Comments and text are not tags.
        assert!(messages("<!-- <meta http-equiv=refresh> --> 1 < 2").is_empty());
    }

    #[test]
    fn sanitize_keeps_the_safe_subset() {
        let (kept, removed) = sanitize(
            "<p style=\"color: red\" class=\"x\">Hi<meta http-equiv=\"refresh\" content=\"0;url=https://e.org\"><script>alert(1)</script> <b onclick=\"x()\">there</b></p>",
        );
        assert_eq!(kept, "<p class=\"x\">Hi <b>there</b></p>");
        assert_eq!(removed.len(), 4, "{removed:?}");
    }

    #[test]
    fn markdown_raw_html_is_found_at_its_offset() {
        let md =
            "Text\n\n> quoted <meta http-equiv=refresh content=0>\n\n[x](javascript:alert(1))\n";
        let found = markdown_refusals(md);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&md[found[0].0..found[0].0 + 5], "<meta");
        assert_eq!(&md[found[1].0..found[1].0 + 3], "[x]");
        assert!(markdown_refusals("`<meta>` in code, and <b>bold</b>").is_empty());
        let heading = markdown_refusals("## Hi {#x .y onclick=alert(1)}\n");
        assert_eq!(heading.len(), 1, "{heading:?}");
        assert!(
            heading[0].1.contains("event handler `onclick` on `<h2>`"),
            "{heading:?}"
        );
    }
}
