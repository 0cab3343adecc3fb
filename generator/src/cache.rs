//! Rendered Markdown kept between the rebuilds of `sabaq serve`, so a save re-renders only the
//! files that changed. An entry is found by a hash of the file's own text and of everything
//! else its rendering reads: the shape of the site (every file and folder name under the
//! sources, draft flags, course configuration) and the key's epoch. Entries a rebuild does not
//! use are dropped, so the cache holds one site's worth at most.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;

use walkdir::WalkDir;

use crate::keys::Key;
use crate::markdown::Rendered;
use crate::model::{Markdown, Site};

#[derive(Debug, Default)]
pub struct RenderCache {
    /// What the previous build rendered.
    previous: Mutex<HashMap<u64, Rendered>>,
    /// What this build rendered or reused.
    current: Mutex<HashMap<u64, Rendered>>,
}

impl RenderCache {
    /// The rendering of `key`, from the previous build or made now by `render`.
    pub fn get_or_render(&self, key: u64, render: impl FnOnce() -> Rendered) -> Rendered {
        let found = self.previous.lock().expect("cache lock").remove(&key);
        let rendered = found.unwrap_or_else(render);
        self.current
            .lock()
            .expect("cache lock")
            .insert(key, rendered.clone());
        rendered
    }

    /// Ends a build: what it used is what the next one may reuse.
    pub fn finish_build(&self) {
        let current = std::mem::take(&mut *self.current.lock().expect("cache lock"));
        *self.previous.lock().expect("cache lock") = current;
    }

    /// How many renderings the next build may reuse.
    pub fn len(&self) -> usize {
        self.previous.lock().expect("cache lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A hash of everything a page's rendering reads besides its own text.
pub fn site_shape(source: &Path, site: &Site, key: &Key) -> u64 {
    let mut hasher = DefaultHasher::new();
    // Links are checked against the files that exist: every name under the sources counts.
    // Links follow symbolic links (a shared images folder), so the walk does too.
    for entry in WalkDir::new(source)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        entry.path().hash(&mut hasher);
        entry.file_type().is_dir().hash(&mut hasher);
        // Pages show an image's size and copies: an image changed under the same name
        // renders its pages again (each page's own Markdown is in its key already).
        if entry.file_type().is_file()
            && entry.path().extension().is_none_or(|e| e != "md")
            && let Ok(metadata) = entry.metadata()
        {
            metadata.len().hash(&mut hasher);
            metadata.modified().ok().hash(&mut hasher);
        }
    }
    for course in &site.courses {
        course.config_file.text.hash(&mut hasher);
        for module in &course.modules {
            module.slug.hash(&mut hasher);
            format!("{:?}", module.left_out).hash(&mut hasher);
            for lesson in &module.lessons {
                lesson.markdown.source.path.hash(&mut hasher);
            }
        }
    }
    // Callout labels and quiz buttons come from the interface strings.
    site.strings.fingerprint.hash(&mut hasher);
    let epoch = key.current_epoch().number;
    epoch.hash(&mut hasher);
    key.is_throwaway().hash(&mut hasher);
    key.module_secret("sabaq cache", "", epoch)
        .hash(&mut hasher);
    hasher.finish()
}

/// The cache key of one Markdown file in a site of shape `shape`.
pub fn page_key(shape: u64, markdown: &Markdown) -> u64 {
    let mut hasher = DefaultHasher::new();
    shape.hash(&mut hasher);
    markdown.source.path.hash(&mut hasher);
    markdown.source.text.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(html: &str) -> Rendered {
        Rendered {
            html: html.to_string(),
            ..Rendered::default()
        }
    }

    #[test]
    fn a_rendering_is_reused_by_the_next_build_only_and_unused_ones_are_dropped() {
        let cache = RenderCache::default();
        assert_eq!(cache.get_or_render(1, || rendered("one")).html, "one");
        cache.get_or_render(2, || rendered("two"));
        cache.finish_build();
        assert_eq!(cache.len(), 2);
        // Build 2 asks for 1 only: reused, not rendered again; 2 is dropped afterwards.
        let reused = cache.get_or_render(1, || panic!("rendered again"));
        assert_eq!(reused.html, "one");
        cache.finish_build();
        assert_eq!(cache.len(), 1);
        assert_eq!(
            cache.get_or_render(2, || rendered("two again")).html,
            "two again"
        );
    }
}
