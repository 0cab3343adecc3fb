//! Interface strings (navigation, callout labels, quiz buttons) per language, from the YAML files
//! in `themes/default/i18n/`, compiled in. A language without a file, or a key a file lacks,
//! falls back to English.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

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

/// The strings for a BCP 47 tag: the exact tag, else its primary language, else English.
pub fn strings_for(language: &str) -> Arc<Strings> {
    let catalogue = catalogue();
    let lower = language.to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("en");
    catalogue
        .get(lower.as_str())
        .or_else(|| catalogue.get(primary))
        .unwrap_or(&catalogue["en"])
        .clone()
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
