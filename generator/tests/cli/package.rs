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
