//! Writes a CSV of valid completion codes for the `sabaq verify` benchmark
//! (`bench/verify_speed.py`): every module of a course, passed today with 75% by as many
//! learners as it takes to fill ROWS rows.
//!
//! Usage: cargo run --release --example bench_codes -- KEY COURSE_FOLDER ROWS OUT.csv

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use sabaq::dates;
use sabaq::keys::Key;
use sabaq::load::load_site;
use sabaq_quiz::code::{self, Code, Fields};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [key, course, rows, out] = args.as_slice() else {
        bail!("usage: bench_codes KEY COURSE_FOLDER ROWS OUT.csv");
    };
    let key = Key::load(Path::new(key))?;
    let (site, _) = load_site(Path::new(course));
    let course = site
        .courses
        .first()
        .with_context(|| format!("no course in {course}"))?;
    let rows: usize = rows.parse().context("ROWS is a number")?;
    let modules = course.modules.len();
    let mut csv =
        BufWriter::new(std::fs::File::create(out).with_context(|| format!("cannot write {out}"))?);
    writeln!(csv, "learner,code")?;
    let epoch = key.current_epoch().number;
    for row in 0..rows {
        let learner = format!("0300{:07}", row / modules);
        let number = row % modules + 1;
        let fields = Fields {
            version: code::VERSION,
            epoch,
            module: u8::try_from(number)?,
            day: code::day_number(u32::try_from(dates::today())?),
            score: 75,
        };
        let secret = key.module_secret(&course.id, &course.modules[number - 1].slug, epoch);
        let code = Code {
            fields,
            tag: code::tag(&secret, &course.id, &learner, &fields),
        };
        writeln!(csv, "{learner},{}", code.to_text())?;
    }
    csv.flush()?;
    Ok(())
}
