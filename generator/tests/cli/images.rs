//! Lesson images for phones: width and height on every image the build can measure, 480 and
//! 960 px copies of large PNG and JPEG images offered through srcset, lazy loading after the
//! first image of a page, a warning for images over the course's limit, and a clear error for
//! an image that cannot be read.

use image::{ImageFormat, Rgb, RgbImage};

use crate::harness::Project;

/// A photo-like picture (gradients, so it does not compress to nothing) of the given size.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    })
}

/// A chart-like picture: flat bands of two colours, a few kilobytes as PNG.
fn chart(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        if x % 100 < 50 {
            Rgb([11, 92, 173])
        } else {
            Rgb([255, 255, 255])
        }
    })
}

fn course_with_images(project: &Project) {
    project.write(
        "photos/course.yaml",
        "id: photos\ntitle: Photos\nmax_image_kb: 100\n",
    );
    project.write("photos/01-m/module.yaml", "title: Pictures\n");
    project.write(
        "photos/01-m/01-l.md",
        "# Pictures\n\n![A wide photo](../assets/wide.jpg)\n\nText.\n\n![A chart](../assets/chart.png \"Sales\")\n\n![A small icon](../assets/small.png)\n",
    );
    std::fs::create_dir_all(project.path("photos/assets")).unwrap();
    picture(1600, 900)
        .save_with_format(project.path("photos/assets/wide.jpg"), ImageFormat::Jpeg)
        .unwrap();
    chart(700, 350)
        .save_with_format(project.path("photos/assets/chart.png"), ImageFormat::Png)
        .unwrap();
    picture(64, 64)
        .save_with_format(project.path("photos/assets/small.png"), ImageFormat::Png)
        .unwrap();
}

#[test]
fn images_get_their_size_phone_copies_and_lazy_loading() {
    let project = Project::new();
    course_with_images(&project);
    let run = project.run(&["build", "photos", "--out", "site"]);
    run.assert_code(0);
    let page = project.read("site/photos/m/l/index.html");
    assert!(page.contains(
        "<img src=\"../../assets/wide.jpg\" alt=\"A wide photo\" width=\"1600\" height=\"900\" srcset=\"../../assets/wide-480w.jpg 480w, ../../assets/wide-960w.jpg 960w, ../../assets/wide.jpg 1600w\" sizes=\"(min-width: 42rem) 40rem, calc(100vw - 2rem)\" decoding=\"async\">"
    ), "{page}");
    assert!(page.contains(
        "<img src=\"../../assets/chart.png\" alt=\"A chart\" title=\"Sales\" width=\"700\" height=\"350\" srcset=\"../../assets/chart-480w.png 480w, ../../assets/chart.png 700w\""
    ));
    assert!(page.contains(
        "<img src=\"../../assets/small.png\" alt=\"A small icon\" width=\"64\" height=\"64\" loading=\"lazy\" decoding=\"async\">"
    ));
    for (copy, width, height) in [
        ("wide-480w.jpg", 480, 270),
        ("wide-960w.jpg", 960, 540),
        ("chart-480w.png", 480, 240),
    ] {
        let path = project.path(&format!("site/photos/assets/{copy}"));
        assert_eq!(
            image::image_dimensions(&path).unwrap(),
            (width, height),
            "{copy}"
        );
    }
    // "Save this module for offline" takes the copies a phone may show, too.
    let module = project.read("site/photos/m/index.html");
    for file in [
        "wide.jpg",
        "wide-480w.jpg",
        "wide-960w.jpg",
        "chart-480w.png",
        "small.png",
    ] {
        assert!(module.contains(&format!(" ../assets/{file}")), "{file}");
    }
    let size = |name: &str| {
        std::fs::metadata(project.path(&format!("site/photos/assets/{name}")))
            .unwrap()
            .len()
    };
    assert!(size("wide-480w.jpg") < size("wide-960w.jpg"));
    assert!(size("wide-960w.jpg") < size("wide.jpg"));
    assert!(!project.path("site/photos/assets/small-480w.png").exists());
    // The photo is over the course's 100 KB; the others are not.
    let wide_kb = size("wide.jpg").div_ceil(1024);
    assert!(wide_kb > 100, "the test photo is {wide_kb} KB");
    run.assert_stderr_has(&format!(
        "warning: image is {wide_kb} KB, over this course's limit of 100 KB"
    ));
    run.assert_stderr_has("photos/assets/wide.jpg");
    assert_eq!(run.stderr.matches("over this course's limit").count(), 1);
}

#[test]
fn an_image_that_cannot_be_read_is_an_error_at_the_lesson_line() {
    let project = Project::new();
    course_with_images(&project);
    project.write("photos/assets/chart.png", "this is not a PNG");
    let run = project.run(&["build", "photos", "--out", "site"]);
    run.assert_code(1);
    run.assert_stderr_has("error: cannot read image `../assets/chart.png`");
    run.assert_stderr_has("photos/01-m/01-l.md:7:1");
    assert!(!project.path("site").exists());
}
