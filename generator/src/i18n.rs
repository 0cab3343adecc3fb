//! Interface strings (navigation, callout labels, quiz buttons) per language: the YAML files in
//! `themes/default/i18n/`, compiled in, extended by an institution's own files in
//! `theme/i18n/<tag>.yaml` beside `site.yaml` (another language, or other words for some keys of
//! a built-in one). A language without a file, or a key a file lacks, falls back to English.

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::confine::Folder;
use crate::diag::Diagnostic;
use crate::load::{read_dir_sorted, read_source};
use crate::yaml::{self, Snippet};

/// The strings of one language, by key.
pub type Strings = BTreeMap<String, String>;

const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("../../themes/default/i18n/en.yaml")),
    ("ur", include_str!("../../themes/default/i18n/ur.yaml")),
];

fn parse(tag: &str, text: &str) -> Strings {
    let path = format!("themes/default/i18n/{tag}.yaml");
    yaml::decode::<Strings>(&Snippet::whole(Path::new(&path), text))
        .unwrap_or_else(|d| panic!("built-in strings are broken:\n{d}"))
        .value
}

fn catalogue() -> &'static BTreeMap<&'static str, Arc<Strings>> {
    static CATALOGUE: OnceLock<BTreeMap<&'static str, Arc<Strings>>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let english = parse("en", BUILT_IN[0].1);
        BUILT_IN
            .iter()
            .map(|(tag, text)| {
                let mut strings = english.clone();
                strings.extend(parse(tag, text));
                (*tag, Arc::new(strings))
            })
            .collect()
    })
}

/// The built-in strings for a BCP 47 tag: the exact tag, else its primary language, else English.
pub fn strings_for(language: &str) -> Arc<Strings> {
    Catalogue::default().strings_for(language)
}

/// A site's interface strings: the built-in languages with the site's own files over them.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Languages the site's files add or change; every other language is the built-in one.
    own: BTreeMap<String, Arc<Strings>>,
    /// A hash of the site's files, so cached pages are rendered again when one changes.
    pub fingerprint: u64,
}

impl Catalogue {
    /// The strings for a BCP 47 tag: the exact tag, else its primary language, else English;
    /// for each, the site's own file before the built-in one.
    pub fn strings_for(&self, language: &str) -> Arc<Strings> {
        let built_in = catalogue();
        let lower = language.to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("en");
        [lower.as_str(), primary, "en"]
            .into_iter()
            .find_map(|tag| self.own.get(tag).or_else(|| built_in.get(tag)))
            .expect("English is built in")
            .clone()
    }

    /// Reads `<theme>/i18n/*.yaml`: each file is named by its language's tag and holds some or
    /// all of the keys of `themes/default/i18n/en.yaml`. Unknown keys are warnings.
    /// The files must really be inside `site`, the site's folder.
    pub fn load(theme_dir: Option<&Path>, site: &Folder) -> (Catalogue, Vec<Diagnostic>) {
        let mut loaded = Catalogue::default();
        let mut diagnostics = Vec::new();
        let Some(dir) = theme_dir.map(|t| t.join("i18n")).filter(|d| d.is_dir()) else {
            return (loaded, diagnostics);
        };
        let files = match read_dir_sorted(&dir) {
            Ok(files) => files,
            Err(d) => return (loaded, vec![d]),
        };
        let english = strings_for("en");
        let mut hasher = DefaultHasher::new();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        {
            let tag = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if !is_language_tag(&tag) {
                diagnostics.push(
                    Diagnostic::error(path, format!("`{tag}` is not a language tag")).with_help(
                        "name the file by a BCP 47 tag, such as `sd.yaml` or `pa-arab.yaml`",
                    ),
                );
                continue;
            }
            let source = match read_source(path, site) {
                Ok(source) => source,
                Err(d) => {
                    diagnostics.push(d);
                    continue;
                }
            };
            path.hash(&mut hasher);
            source.text.hash(&mut hasher);
            let snippet = Snippet::whole(path, &source.text);
            let decoded = match yaml::decode::<Strings>(&snippet) {
                Ok(decoded) => decoded,
                Err(d) => {
                    diagnostics.push(d);
                    continue;
                }
            };
            for key in decoded.value.keys().filter(|k| !english.contains_key(*k)) {
                diagnostics.push(
                    snippet
                        .error_at(decoded.keys.locate(key), format!("Sabaq has no string `{key}`"))
                        .into_warning()
                        .with_help("the keys are those of themes/default/i18n/en.yaml; this one is ignored"),
                );
            }
            let mut strings = (*strings_for(&tag)).clone();
            strings.extend(
                decoded
                    .value
                    .into_iter()
                    .filter(|(key, _)| english.contains_key(key)),
            );
            loaded.own.insert(tag, Arc::new(strings));
        }
        loaded.fingerprint = hasher.finish();
        (loaded, diagnostics)
    }
}

/// A BCP 47 tag as a file name: letters, then `-` and letters or digits.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// One string, for code that renders HTML itself (callouts, quiz forms).
pub fn text<'a>(strings: &'a Strings, key: &'a str) -> &'a str {
    strings.get(key).map(String::as_str).unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_english_key() {
        let english = strings_for("en");
        for (tag, _) in BUILT_IN {
            let strings = strings_for(tag);
            assert_eq!(strings.len(), english.len(), "{tag}");
        }
        assert_eq!(text(&strings_for("ur-PK"), "next"), "اگلا");
        assert_eq!(text(&strings_for("sw"), "next"), "Next");
    }

    #[test]
    fn urdu_file_translates_every_key() {
        let urdu = parse("ur", BUILT_IN[1].1);
        let english = parse("en", BUILT_IN[0].1);
        let missing: Vec<_> = english.keys().filter(|k| !urdu.contains_key(*k)).collect();
        assert!(missing.is_empty(), "untranslated: {missing:?}");
    }
}
