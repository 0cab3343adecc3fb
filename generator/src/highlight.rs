//! Code highlighting at build time: syntect marks tokens with CSS classes (`hl-…`), styled by the
//! theme's CSS, so pages ship no JavaScript for it. Unknown languages are escaped as plain text.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::markdown::escape_html;

/// Loaded once, on the first code block of a build, so sites without code never pay for it.
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A `<pre><code>` block for `code` in `language` (the fence's info string, first word).
pub fn highlight(code: &str, language: &str) -> String {
    let language = language.split([' ', ',', '{']).next().unwrap_or("").trim();
    let class = if language.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_html(language))
    };
    let body = highlighted_lines(code, language).unwrap_or_else(|| escape_html(code));
    format!("<pre class=\"code\"><code{class}>{body}</code></pre>\n")
}

fn highlighted_lines(code: &str, language: &str) -> Option<String> {
    if language.is_empty() {
        return None;
    }
    let syntaxes = syntaxes();
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn known_language_gets_token_classes() {
        let html = highlight("fn main() { let x = \"<b>\"; }\n", "rust");
        assert!(html.starts_with("<pre class=\"code\"><code class=\"language-rust\">"));
        assert!(
            html.contains("hl-keyword") || html.contains("hl-storage"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = highlight("a < b\n", "no-such-language");
        assert_eq!(
            html,
            "<pre class=\"code\"><code class=\"language-no-such-language\">a &lt; b\n</code></pre>\n"
        );
    }
}
