//! Lesson images for phones: each image's size (for `width` and `height`, so the page does not
//! jump as it loads), the narrower copies the build writes of large PNG and JPEG images (a phone
//! picks one through `srcset`), and the `<img>` element that offers them.

use std::collections::HashMap;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use anyhow::Context as _;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{ImageFormat, ImageReader};

use crate::markdown::escape_html;

/// Copies are made at these widths (CSS pixels of a phone, and twice that for sharp screens),
/// of images wider than each.
pub const COPY_WIDTHS: &[u32] = &[480, 960];

/// The largest image, by default, that a course may show without a warning (course.yaml's
/// `max_image_kb`).
pub const DEFAULT_MAX_IMAGE_KB: u64 = 200;

/// What the build knows of one image file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// PNG or JPEG: the build can write narrower copies.
    pub resizable: bool,
}

/// Reads an image's size from its header (or an SVG's `width` and `height`). `Ok(None)` for a
/// format the build does not measure (GIF, WebP, an SVG without both sizes).
pub fn probe(path: &Path) -> anyhow::Result<Option<ImageInfo>> {
    let bytes = fs::metadata(path)?.len();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if extension == "svg" {
        let text = fs::read_to_string(path)?;
        return Ok(svg_size(&text).map(|(width, height)| ImageInfo {
            width,
            height,
            bytes,
            resizable: false,
        }));
    }
    let format = match extension.as_str() {
        "png" => ImageFormat::Png,
        "jpg" | "jpeg" => ImageFormat::Jpeg,
        _ => return Ok(None),
    };
    let mut reader = ImageReader::open(path)?;
    reader.set_format(format);
    let (width, height) = reader
        .into_dimensions()
        .with_context(|| format!("not a readable {format:?} image"))?;
    Ok(Some(ImageInfo {
        width,
        height,
        bytes,
        resizable: true,
    }))
}

/// An SVG's size in CSS pixels: its `width` and `height` when both are plain numbers (or `px`).
fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| {
        // `name=` after white space: not `stroke-width=` or `data-width=`.
        let at = tag
            .match_indices(&format!("{name}="))
            .find(|(at, _)| tag[..*at].ends_with(char::is_whitespace))?
            .0;
        let rest = &tag[at + name.len() + 1..];
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let rest = &rest[1..];
        Some(&rest[..rest.find(quote)?])
    };
    let number = |value: &str| {
        let value = value.trim().strip_suffix("px").unwrap_or(value.trim());
        value
            .parse::<f64>()
            .ok()
            .filter(|v| *v > 0.0 && v.is_finite())
    };
    // Only an SVG that names its own size has one: with a viewBox alone it fills the column,
    // and viewBox units are no size in pixels.
    let width = attribute("width").and_then(number)?;
    let height = attribute("height").and_then(number)?;
    Some((
        (width.round() as u32).max(1),
        (height.round() as u32).max(1),
    ))
}

/// The widths of the copies the build writes of an image.
pub fn copy_widths(info: &ImageInfo) -> Vec<u32> {
    if !info.resizable {
        return Vec::new();
    }
    COPY_WIDTHS
        .iter()
        .copied()
        .filter(|w| *w < info.width)
        .collect()
}

/// Where the copy of `path` (an image's place in the site) at `width` goes: `photo-480w.jpg`.
pub fn copy_path(path: &str, width: u32) -> String {
    match path.rfind('.') {
        Some(dot) if !path[dot..].contains('/') => {
            format!("{}-{width}w{}", &path[..dot], &path[dot..])
        }
        _ => format!("{path}-{width}w"),
    }
}

/// The `<img>` of a lesson image at `src`: its size, its copies for phones, and lazy loading for
/// every image but a page's first (which may be the first thing a learner sees).
pub fn img_tag(src: &str, alt: &str, title: &str, info: Option<&ImageInfo>, first: bool) -> String {
    let src = url_for_lists(src);
    let mut tag = format!(
        "<img src=\"{}\" alt=\"{}\"",
        escape_html(&src),
        escape_html(alt)
    );
    if !title.is_empty() {
        tag.push_str(&format!(" title=\"{}\"", escape_html(title)));
    }
    if let Some(info) = info {
        tag.push_str(&format!(
            " width=\"{}\" height=\"{}\"",
            info.width, info.height
        ));
        let widths = copy_widths(info);
        if !widths.is_empty() {
            // The copy is named after the file, not after a `?query` or `#fragment`.
            let path = &src[..src.find(['?', '#']).unwrap_or(src.len())];
            let mut set: Vec<String> = widths
                .iter()
                .map(|w| format!("{} {w}w", escape_html(&copy_path(path, *w))))
                .collect();
            set.push(format!("{} {}w", escape_html(&src), info.width));
            // The text column is at most 40rem wide, the screen less 2rem of margins below that.
            tag.push_str(&format!(
                " srcset=\"{}\" sizes=\"(min-width: 42rem) 40rem, calc(100vw - 2rem)\"",
                set.join(", ")
            ));
        }
    }
    if !first {
        tag.push_str(" loading=\"lazy\"");
    }
    tag.push_str(" decoding=\"async\">");
    tag
}

/// A URL as it may stand in a list (`srcset`, or a list split at spaces): spaces and commas,
/// which a file name may hold and which would split it, escaped.
pub fn url_for_lists(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

/// The copy of the image at `source` at `width`, in its own format (PNG stays lossless, JPEG at
/// quality 82). Copies are remembered for the life of the process (`sabaq serve` rebuilds often)
/// by the file's path, length, time and the width.
pub fn resized(source: &Path, width: u32) -> anyhow::Result<Vec<u8>> {
    type Key = (PathBuf, u64, Option<SystemTime>, u32);
    static MADE: OnceLock<Mutex<HashMap<Key, Vec<u8>>>> = OnceLock::new();
    let metadata = fs::metadata(source)?;
    let key = (
        source.to_path_buf(),
        metadata.len(),
        metadata.modified().ok(),
        width,
    );
    let made = MADE.get_or_init(Default::default);
    if let Some(bytes) = made.lock().expect("image copies").get(&key) {
        return Ok(bytes.clone());
    }
    let reader = ImageReader::open(source)?.with_guessed_format()?;
    let format = reader.format().context("unknown image format")?;
    let image = reader.decode().context("cannot decode the image")?;
    let height = (u64::from(image.height()) * u64::from(width) / u64::from(image.width())).max(1);
    let smaller = image.resize_exact(width, height as u32, FilterType::Lanczos3);
    let mut bytes = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            smaller
                .to_rgb8()
                .write_with_encoder(JpegEncoder::new_with_quality(
                    &mut Cursor::new(&mut bytes),
                    82,
                ))?;
        }
        _ => {
            smaller.write_with_encoder(PngEncoder::new_with_quality(
                &mut Cursor::new(&mut bytes),
                CompressionType::Best,
                PngFilter::Adaptive,
            ))?;
        }
    }
    made.lock()
        .expect("image copies")
        .insert(key, bytes.clone());
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_size_comes_from_its_width_and_height_only() {
        assert_eq!(
            svg_size(r#"<svg xmlns="x" width="320" height="150">"#),
            Some((320, 150))
        );
        assert_eq!(
            svg_size(r#"<?xml?><svg width='64px' height="32.4px">"#),
            Some((64, 32))
        );
        assert_eq!(
            svg_size(r#"<svg viewBox="0 0 640 300" width="100%">"#),
            None
        );
        assert_eq!(
            svg_size(r#"<svg viewBox="0 0 24 24">"#),
            None,
            "a viewBox is no size"
        );
        assert_eq!(
            svg_size(r#"<svg data-width="9" stroke-width="2" width="30" height="0.2">"#),
            Some((30, 1))
        );
        assert_eq!(
            svg_size("<svg width=\u{201d}10\u{201d} height=\"5\">"),
            None,
            "no panic on a curly quote"
        );
        assert_eq!(svg_size(r#"<svg width="10em" height="2em">"#), None);
        assert_eq!(svg_size("not an svg"), None);
    }

    #[test]
    fn copies_are_made_only_narrower_than_the_image() {
        let photo = |width| ImageInfo {
            width,
            height: 100,
            bytes: 1,
            resizable: true,
        };
        assert_eq!(copy_widths(&photo(2000)), [480, 960]);
        assert_eq!(copy_widths(&photo(700)), [480]);
        assert_eq!(copy_widths(&photo(480)), Vec::<u32>::new());
        assert_eq!(
            copy_path("c/assets/a.b/photo.jpg", 480),
            "c/assets/a.b/photo-480w.jpg"
        );
        assert_eq!(
            copy_path("c/assets/a.b/photo", 480),
            "c/assets/a.b/photo-480w"
        );
    }

    #[test]
    fn img_tags_carry_size_copies_and_lazy_loading() {
        let info = ImageInfo {
            width: 1200,
            height: 600,
            bytes: 1,
            resizable: true,
        };
        assert_eq!(
            img_tag("../a/p.jpg", "A \"plan\"", "", Some(&info), false),
            "<img src=\"../a/p.jpg\" alt=\"A &quot;plan&quot;\" width=\"1200\" height=\"600\" srcset=\"../a/p-480w.jpg 480w, ../a/p-960w.jpg 960w, ../a/p.jpg 1200w\" sizes=\"(min-width: 42rem) 40rem, calc(100vw - 2rem)\" loading=\"lazy\" decoding=\"async\">"
        );
        assert_eq!(
            img_tag("c.svg", "", "T", None, true),
            "<img src=\"c.svg\" alt=\"\" title=\"T\" decoding=\"async\">"
        );
        let tag = img_tag("../a/my photo, 2.png?v=1.2", "", "", Some(&info), true);
        assert!(
            tag.contains("srcset=\"../a/my%20photo%2C%202-480w.png 480w, ../a/my%20photo%2C%202-960w.png 960w, ../a/my%20photo%2C%202.png?v=1.2 1200w\""),
            "{tag}"
        );
    }
}
