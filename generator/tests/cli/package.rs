//! `sabaq build --precompress` and `--zip`: copies a server can send as they are, and the site
//! as one archive to pass around, with its README.

use std::io::Read;

use crate::harness::{Project, Run};

#[test]
fn precompress_writes_gz_and_br_copies_that_decompress_to_each_file() {
    let project = Project::with_fixture("good-course");
    let run = project.run(&["build", "good-course", "--out", "site", "--precompress"]);
    run.assert_code(0);
    let tree = project.tree("site");
    let mut checked = 0;
    for (path, bytes) in &tree {
        let Some(original) = path.strip_suffix(".gz") else {
            continue;
        };
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut unpacked)
            .unwrap();
        assert_eq!(&unpacked, &tree[original], "{path}");
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut &tree[&format!("{original}.br")][..], &mut unbrotli).unwrap();
        assert_eq!(&unbrotli, &tree[original], "{original}.br");
        assert!(tree[&format!("{original}.br")].len() < tree[original].len());
        checked += 1;
    }
    for page in [
        "index.html",
        "good/basics/welcome/index.html",
        "assets/sabaq-quiz_bg.wasm",
        "assets/sabaq.css",
        "manifest.webmanifest",
    ] {
        assert!(tree.contains_key(&format!("{page}.gz")), "{page}.gz");
    }
    assert!(
        !tree
            .keys()
            .any(|p| p.ends_with(".gz.gz") || p.ends_with(".br.gz"))
    );
    assert!(checked > 20, "only {checked} files were compressed");

    // Zipped, the site leaves the copies out (whatever serves the archive's site will not use
    // them), and the archive is readable by all, like the site's files.
    build_zipped(&project, "packed.zip", &["--precompress"]).assert_code(0);
    let archive = std::fs::File::open(project.path("packed.zip")).unwrap();
    let archive = zip::ZipArchive::new(archive).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    assert!(names.contains(&"site/index.html".to_string()));
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".gz") || n.ends_with(".br"))
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(project.path("packed.zip"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    // A rebuild without the flag takes the copies away again.
    project
        .run(&["build", "good-course", "--out", "site"])
        .assert_code(0);
    assert!(
        !project
            .tree("site")
            .keys()
            .any(|p| p.ends_with(".gz") || p.ends_with(".br"))
    );
}

fn build_zipped(project: &Project, archive: &str, more: &[&str]) -> Run {
    let mut args = vec!["build", "good-course", "--out", "site", "--zip", archive];
    args.extend(more);
    project.run(&args)
}

#[test]
fn zip_holds_the_site_and_a_readme_and_is_the_same_for_the_same_site() {
    let project = Project::with_fixture("good-course");
    let run = build_zipped(&project, "courses.zip", &[]);
    run.assert_code(0);
    run.assert_stderr_has("wrote courses.zip (");
    run.assert_stderr_has("the site in site/ with README.txt");
    let first = std::fs::read(project.path("courses.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&first)).unwrap();
    let site = project.tree("site");
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        site.len(),
        "README.txt and every file but the build marker"
    );
    let mut readme = String::new();
    archive
        .by_name("README.txt")
        .unwrap()
        .read_to_string(&mut readme)
        .unwrap();
    assert!(readme.contains("python3 -m http.server 8000"));
    assert!(readme.starts_with("Good Course\n===========\n"), "{readme}");
    for (path, bytes) in site.iter().filter(|(p, _)| *p != ".sabaq-site") {
        let mut stored = Vec::new();
        archive
            .by_name(&format!("site/{path}"))
            .unwrap()
            .read_to_end(&mut stored)
            .unwrap();
        assert_eq!(&stored, bytes, "{path}");
    }

    build_zipped(&project, "courses.zip", &[]).assert_code(0);
    assert_eq!(
        std::fs::read(project.path("courses.zip")).unwrap(),
        first,
        "byte for byte"
    );
}

#[test]
fn zip_inside_the_output_or_the_courses_is_refused_before_building() {
    let project = Project::with_fixture("good-course");
    let run = build_zipped(&project, "site/all.zip", &[]);
    run.assert_code(2);
    run.assert_stderr_has("is inside the output folder");
    assert!(!project.path("site").exists());
    let run = build_zipped(&project, "good-course/all.zip", &[]);
    run.assert_code(2);
    run.assert_stderr_has("is inside the courses");
}

#[test]
fn zip_of_a_course_with_photos_is_written() {
    let project = Project::with_fixture("good-course");
    image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]))
        .save_with_format(
            project.path("good-course/assets/dot.png"),
            image::ImageFormat::Png,
        )
        .unwrap();
    let lesson = project.read("good-course/01-basics/01-welcome.md");
    project.write(
        "good-course/01-basics/01-welcome.md",
        &format!("{lesson}\n![A red dot](../assets/dot.png)\n"),
    );
    let run = build_zipped(&project, "courses.zip", &[]);
    run.assert_code(0);
    let bytes = std::fs::read(project.path("courses.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let name = archive
        .file_names()
        .find(|name| name.as_ref().is_ok_and(|n| n.ends_with("/dot.png")))
        .expect("the photo is in the archive")
        .unwrap()
        .into_owned();
    let mut stored = Vec::new();
    archive
        .by_name(&name)
        .unwrap()
        .read_to_end(&mut stored)
        .unwrap();
    let site_copy = name.strip_prefix("site/").unwrap();
    assert_eq!(
        stored,
        std::fs::read(project.path(&format!("site/{site_copy}"))).unwrap()
    );
}

#[test]
fn zip_never_replaces_a_file_that_is_not_an_archive() {
    let project = Project::with_fixture("good-course");
    project
        .run(&["keys", "new", "institution.key"])
        .assert_code(0);
    let key = std::fs::read(project.path("institution.key")).unwrap();
    let run = build_zipped(&project, "institution.key", &[]);
    run.assert_code(2);
    run.assert_stderr_has(
        "institution.key exists and is not a zip archive; --zip replaces only an archive it can have written",
    );
    assert_eq!(std::fs::read(project.path("institution.key")).unwrap(), key);
    assert!(!project.path("site").exists(), "nothing was built");
    // An archive it wrote is replaced as before.
    build_zipped(&project, "courses.zip", &[]).assert_code(0);
    build_zipped(&project, "courses.zip", &[]).assert_code(0);
}

#[test]
fn courses_reached_through_a_link_into_the_output_are_never_deleted() {
    let project = Project::with_fixture("good-course");
    project
        .run(&["build", "good-course", "--out", "site"])
        .assert_code(0);
    // The course moved into the built site, and a link to it where it was.
    std::fs::rename(project.path("good-course"), project.path("site/course-src")).unwrap();
    std::os::unix::fs::symlink("site/course-src", project.path("good-course")).unwrap();
    let run = project.run(&["build", "good-course", "--out", "site"]);
    run.assert_code(2);
    run.assert_stderr_has("are inside the output folder site, which a build replaces");
    assert!(project.path("site/course-src/course.yaml").exists());
    // --zip through a link into a course is refused the same way.
    std::os::unix::fs::symlink("site/course-src/assets", project.path("in-course")).unwrap();
    let run = project.run(&[
        "build",
        "site/course-src",
        "--out",
        "elsewhere",
        "--zip",
        "in-course/all.zip",
    ]);
    run.assert_code(2);
    run.assert_stderr_has("is inside the courses");
}
