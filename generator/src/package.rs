//! What a build adds for hosting and passing around: `.gz` and `.br` copies beside each text
//! file (`--precompress`, for servers that send them as they are), and the whole site as one
//! zip archive with a README on serving it over a local network (`--zip`).

use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;

use anyhow::Context as _;
use flate2::{Compression, GzBuilder};
use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::links;
use crate::output::{Content, OutputFile};

/// Files worth compressing: text, and WebAssembly (which shrinks by half).
const COMPRESSIBLE: &[&str] = &[
    "css",
    "html",
    "js",
    "json",
    "svg",
    "txt",
    "wasm",
    "webmanifest",
    "xml",
];

/// Smaller than this, a compressed copy saves less than its own request headers.
const MIN_SIZE: usize = 256;

/// `.gz` (gzip -9) and `.br` (brotli quality 11) copies of each compressible file, where the
/// copy is smaller than the file.
pub fn precompressed(files: &[OutputFile]) -> anyhow::Result<Vec<OutputFile>> {
    let copies: Vec<Vec<OutputFile>> = files
        .par_iter()
        .filter(|file| {
            Path::new(&file.path)
                .extension()
                .is_some_and(|e| COMPRESSIBLE.iter().any(|c| e.eq_ignore_ascii_case(c)))
        })
        .map(|file| {
            let bytes = bytes_of(&file.content)?;
            if bytes.len() < MIN_SIZE {
                return Ok(Vec::new());
            }
            let copies = [("gz", gzip(&bytes)?), ("br", brotli(&bytes)?)];
            Ok(copies
                .into_iter()
                .filter(|(_, packed)| packed.len() < bytes.len())
                .map(|(extension, packed)| OutputFile {
                    path: format!("{}.{extension}", file.path),
                    content: Content::Bytes(packed),
                })
                .collect())
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(copies.into_iter().flatten().collect())
}

fn bytes_of(content: &Content) -> anyhow::Result<Vec<u8>> {
    match content {
        Content::Bytes(bytes) => Ok(bytes.clone()),
        Content::CopyOf(path) => {
            fs::read(path).with_context(|| format!("cannot read {}", path.display()))
        }
    }
}

/// gzip -9, with no name and no time in the header, so a rebuild writes the same bytes.
fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

fn brotli(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut packed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: bytes.len(),
        ..Default::default()
    };
    brotli::BrotliCompress(&mut Cursor::new(bytes), &mut packed, &params)?;
    Ok(packed)
}

/// Refuses an archive inside the output folder (a rebuild would delete it) or inside the
/// courses (the next build would read it), wherever links put them, and any file there that
/// is not a zip archive (`--zip` replaces only an archive: never a key file or a document).
pub fn guard_archive_place(archive: &Path, source: &Path, out: &Path) -> anyhow::Result<()> {
    let real_archive = links::real(archive);
    for (folder, what) in [(out, "the output folder"), (source, "the courses")] {
        if real_archive.starts_with(links::real(folder)) {
            anyhow::bail!(
                "the archive {} is inside {what} at {}; write it somewhere else",
                archive.display(),
                folder.display()
            );
        }
    }
    if let Some(head) = crate::load::file_head(archive, 4) {
        let is_zip = head == b"PK\x03\x04" || head == b"PK\x05\x06";
        if !is_zip || archive.is_dir() {
            anyhow::bail!(
                "{} exists and is not a zip archive; --zip replaces only an archive it can have written: name a new file",
                archive.display()
            );
        }
    }
    Ok(())
}

/// The folder inside the archive that holds the site.
pub const ZIP_FOLDER: &str = "site";

/// Writes `files` as `site/...` in a zip archive at `archive`, with `README.txt` beside the
/// folder. The archive is written whole beside its place and then renamed over it, and every
/// entry carries the same date, so the same site always makes the same archive.
pub fn write_zip(archive: &Path, files: &[OutputFile], readme: &str) -> anyhow::Result<u64> {
    let folder = archive
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".sabaq-zip-")
        .tempfile_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    {
        let mut zip = ZipWriter::new(temp.as_file_mut());
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9))
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        zip.start_file("README.txt", options)?;
        zip.write_all(readme.as_bytes())?;
        // .gz and .br copies serve no purpose in an archive served by whatever is at hand.
        let paths: std::collections::HashSet<&str> =
            files.iter().map(|f| f.path.as_str()).collect();
        let is_copy = |path: &str| {
            [".gz", ".br"]
                .iter()
                .any(|suffix| path.strip_suffix(suffix).is_some_and(|p| paths.contains(p)))
        };
        for file in files.iter().filter(|f| !is_copy(&f.path)) {
            let stored = if is_packed(&file.path) {
                // Stored entries take no compression level: zip refuses one.
                options
                    .compression_method(CompressionMethod::Stored)
                    .compression_level(None)
            } else {
                options
            };
            zip.start_file(format!("{ZIP_FOLDER}/{}", file.path), stored)?;
            zip.write_all(&bytes_of(&file.content)?)?;
        }
        zip.finish()?;
    }
    temp.as_file().sync_all()?;
    let size = temp.as_file().metadata()?.len();
    // Readable by all, like the site's files (a temporary file starts private).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    temp.persist(archive)
        .with_context(|| format!("cannot write {}", archive.display()))?;
    Ok(size)
}

/// Already compressed: deflating it again only costs time.
fn is_packed(path: &str) -> bool {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        extension.as_str(),
        "gz" | "br" | "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "mp3" | "mp4" | "zip"
    )
}

/// The archive's README: how to read the site from the files and how to serve it to phones on
/// the same Wi-Fi or hotspot.
pub fn zip_readme(site_title: &str, version: &str) -> String {
    format!(
        "{site_title}
{underline}

This archive holds a whole course website, made by Sabaq {version}, in the folder
`{ZIP_FOLDER}/`. It needs no internet connection and loads nothing from anywhere else.

READING IT ON ONE DEVICE
Unzip it and open {ZIP_FOLDER}/index.html in a browser. Lessons read straight from the files.
Quizzes, search and saving for offline need the site to be served (below): browsers do not
run them from files.

SERVING IT TO PHONES ON THE SAME WI-FI OR HOTSPOT, FROM A LAPTOP
1. Unzip it, open a terminal in the `{ZIP_FOLDER}` folder and start any static web server,
   for example:   python3 -m http.server 8000
   (or: busybox httpd -f -p 8000, or nginx or caddy pointed at the folder).
2. Find the laptop's address on the network (`ip addr` on Linux, `ipconfig` on Windows,
   or the Wi-Fi settings), for example 192.168.1.20.
3. On each phone, open http://192.168.1.20:8000/ in the browser.

SERVING IT FROM AN ANDROID PHONE
Unzip it with the phone's Files app, then start a static web server app on the phone with
the `{ZIP_FOLDER}` folder as its root, and turn on the phone's hotspot. Other phones join the
hotspot and open the address the app shows.

GOOD TO KNOW
- Quizzes are checked in each learner's browser; answers and progress stay on that phone.
- Browsers keep pages for offline reading only from https:// addresses or from localhost,
  so on a plain http:// local address \"Save this module for offline\" is not offered.
  Everything else works.
- Completion codes are checked by the institution with `sabaq verify`, not by this site.
",
        underline = "=".repeat(site_title.chars().count().max(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn file(path: &str, bytes: &[u8]) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            content: Content::Bytes(bytes.to_vec()),
        }
    }

    #[test]
    fn text_files_get_smaller_gz_and_br_copies_that_decompress_to_them() {
        let page = "<p>Hello, learner.</p>\n".repeat(40);
        let files = [
            file("a/index.html", page.as_bytes()),
            file("tiny.css", b"p{}"),
            file("photo.png", &[7; 4096]),
        ];
        let copies = precompressed(&files).unwrap();
        let paths: Vec<&str> = copies.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["a/index.html.gz", "a/index.html.br"]);
        let Content::Bytes(gz) = &copies[0].content else {
            panic!("bytes")
        };
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, page);
        let Content::Bytes(br) = &copies[1].content else {
            panic!("bytes")
        };
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut Cursor::new(br), &mut unpacked).unwrap();
        assert_eq!(unpacked, page.as_bytes());
        assert_eq!(
            precompressed(&files).unwrap()[0].content,
            copies[0].content,
            "same bytes again"
        );
    }
}
