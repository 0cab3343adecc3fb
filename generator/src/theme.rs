//! The theme: tera templates and one small CSS file. The default theme (`themes/default/`) is
//! compiled into the binary; a `theme/` folder beside `site.yaml` or inside a course overrides
//! one template at a time (an override may `{% extends "default/lesson.html" %}`) and adds CSS.

use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::confine::Folder;
use crate::diag::Diagnostic;
use crate::load::{read_dir_sorted, read_source};

/// The default templates, as `default/<name>`; pages ask for `<name>` and get an override first.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "course.html",
        include_str!("../../themes/default/templates/course.html"),
    ),
    (
        "module.html",
        include_str!("../../themes/default/templates/module.html"),
    ),
    (
        "lesson.html",
        include_str!("../../themes/default/templates/lesson.html"),
    ),
    (
        "pager.html",
        include_str!("../../themes/default/templates/pager.html"),
    ),
    (
        "translations.html",
        include_str!("../../themes/default/templates/translations.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "progress.html",
        include_str!("../../themes/default/templates/progress.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "offline.html",
        include_str!("../../themes/default/templates/offline.html"),
    ),
];

/// The default stylesheet.
pub const DEFAULT_CSS: &str = include_str!("../../themes/default/sabaq.css");

/// The theme's own scripts, each at its place in the site: course search (only search pages
/// load it), the service worker (at the site's root, so its scope is the whole site) and the
/// script every page loads to register it. Shipped without comment lines and indentation (see
/// [`shipped_script`]).
pub const SEARCH_SCRIPT: (&str, &str) = (
    "assets/sabaq-search.js",
    include_str!("../../themes/default/sabaq-search.js"),
);
pub const SERVICE_WORKER: (&str, &str) = ("sw.js", include_str!("../../themes/default/sw.js"));
pub const OFFLINE_SCRIPT: (&str, &str) = (
    "assets/sabaq-offline.js",
    include_str!("../../themes/default/sabaq-offline.js"),
);

/// The icon of the web app manifest (what a phone's home screen shows).
pub const ICON: &str = include_str!("../../themes/default/icon.svg");
pub const ICON_PATH: &str = "assets/icon.svg";

/// A theme script as learners download it: lines that are only a `//` comment and every line's
/// indentation left out. Safe for the theme's scripts, which hold no multi-line strings.
pub fn shipped_script(source: &str) -> String {
    source
        .lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .fold(String::new(), |mut out, line| {
            out.push_str(line);
            out.push('\n');
            out
        })
}

const DEFAULT_PREFIX: &str = "default/";

/// Templates ready to render, and the CSS that goes with them.
#[derive(Clone)]
pub struct Theme {
    tera: Tera,
    /// Extra CSS from the `theme/` folder this theme was loaded with, in file-name order.
    pub extra_css: String,
}

/// A template or stylesheet from a `theme/` folder.
struct ThemeFiles {
    templates: Vec<(String, String, PathBuf)>,
    css: String,
}

impl Theme {
    /// The default theme, with the site's `theme/` folder over it (its files must really be
    /// inside `site`).
    pub fn load(site_theme: Option<&Path>, site: &Folder) -> Result<Theme, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([DEFAULT_PREFIX])
            .expect("no templates were added yet");
        tera.autoescape_on([".html", ".xml"]);
        let defaults = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| (format!("{DEFAULT_PREFIX}{name}"), *text));
        tera.add_raw_templates(defaults)
            .unwrap_or_else(|e| panic!("the built-in theme is broken: {e}"));
        let theme = Theme {
            tera,
            extra_css: String::new(),
        };
        match site_theme {
            Some(dir) => theme.with_overrides(dir, site),
            None => Ok(theme),
        }
    }

    /// This theme with a `theme/` folder's templates and CSS over it; the files must really be
    /// inside `within` (the course's or the site's folder).
    pub fn with_overrides(&self, dir: &Path, within: &Folder) -> Result<Theme, Vec<Diagnostic>> {
        let files = read_theme_dir(dir, within)?;
        let mut tera = self.tera.clone();
        for (name, text, path) in &files.templates {
            tera.add_raw_template(name, text)
                .map_err(|e| vec![template_error(path, &e)])?;
        }
        Ok(Theme {
            tera,
            extra_css: files.css,
        })
    }

    /// Renders one page template.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, String> {
        self.tera
            .render(template, context)
            .map_err(|e| error_chain(&e))
    }
}

fn template_error(path: &Path, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(path, format!("template error: {}", error_chain(e)))
}

/// A tera error with its causes, on one line each.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str("\n  caused by: ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn read_theme_dir(dir: &Path, within: &Folder) -> Result<ThemeFiles, Vec<Diagnostic>> {
    let paths = read_dir_sorted(dir).map_err(|d| vec![d])?;
    let mut files = ThemeFiles {
        templates: Vec::new(),
        css: String::new(),
    };
    let mut problems = Vec::new();
    for path in paths {
        let is = |ext: &str| path.extension().is_some_and(|e| e == ext);
        if !(is("html") || is("css") || is("xml")) {
            continue;
        }
        match read_source(&path, within) {
            Ok(source) if is("css") => {
                files.css.push_str(&source.text);
                if !files.css.ends_with('\n') {
                    files.css.push('\n');
                }
            }
            Ok(source) => {
                let name = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                files.templates.push((name, source.text.to_string(), path));
            }
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_scripts_lose_comment_lines_and_indentation_only() {
        let source = "// What this does.\n(function () {\n  // A note.\n  var a = 'x // y';\n\n  return a; // kept\n})();\n";
        assert_eq!(
            shipped_script(source),
            "(function () {\nvar a = 'x // y';\nreturn a; // kept\n})();\n"
        );
        for (path, source) in [SEARCH_SCRIPT, OFFLINE_SCRIPT, SERVICE_WORKER] {
            let shipped = shipped_script(source);
            assert!(shipped.len() < source.len(), "{path}");
            assert!(!shipped.contains('`'), "{path} has a template string");
        }
    }
}
