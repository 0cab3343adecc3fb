//! `sabaq new DIR`: writes a small course that builds as it is, showing each part of the
//! authoring format (course.yaml, a module, front matter, a callout, a link, a quiz).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::load::slugify;

/// Creates a new course in `dir`, which must not exist or be empty.
pub fn new_course(dir: &Path, title: Option<&str>, language: &str) -> Result<()> {
    if dir.exists()
        && fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "{} already exists and is not empty; choose a new folder",
            dir.display()
        );
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "my-course".into());
    let id: String = slugify(&name)
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    let id = if id.trim_matches('-').is_empty() {
        "my-course".to_string()
    } else {
        id.trim_matches('-').to_string()
    };
    let title = title.map(str::to_string).unwrap_or_else(|| {
        let words = id.replace('-', " ");
        let mut chars = words.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    });

    let files: [(&str, String); 6] = [
        ("course.yaml", course_yaml(&id, &title, language)),
        ("01-getting-started/module.yaml", MODULE_YAML.to_string()),
        ("01-getting-started/index.md", MODULE_INDEX.to_string()),
        ("01-getting-started/01-welcome.md", WELCOME.to_string()),
        (
            "01-getting-started/02-check-your-understanding.md",
            CHECK.to_string(),
        ),
        ("assets/README.md", ASSETS_README.to_string()),
    ];
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

fn course_yaml(id: &str, title: &str, language: &str) -> String {
    let quoted_title = format!("{title:?}");
    format!(
        "# The course: see the author guide (docs/authoring.md) for every key.
id: {id}                       # stable id: lowercase letters, digits and '-'
title: {quoted_title}
language: {language}                       # BCP 47 tag; ur, ar, fa ... read right to left
summary: One sentence on what a learner can do after this course.
issuer:
  name: Your Institution
  url: https://example.org
  submit:
    email: credentials@example.org
credentials:
  - id: {id}-certificate
    title: Certificate in {title}
    modules: [getting-started]
"
    )
}

const MODULE_YAML: &str = "title: Getting started
outcomes:
  - Find your way around a Sabaq course
  - Check your understanding with a short quiz
minutes: 10
";

const MODULE_INDEX: &str = "# Getting started

This module shows how a course is put together. Replace it with your own.
";

const WELCOME: &str = "---
title: Welcome
minutes: 5
---

A lesson is one Markdown file. Its number prefix orders it and is dropped from the address.

## What you can write

- Lists, **bold**, *italics*, tables and footnotes[^1].
- Links to other lessons, such as [the check](02-check-your-understanding.md).

> [!TIP] Keep lessons short
> Learners read on small phones, often on the way to work.

> [!ACTIVITY]
> Write down one thing you want to learn this week.

[^1]: Footnotes appear at the end of the lesson.
";

const CHECK: &str = "---
title: Check your understanding
minutes: 5
---

Answer the questions below. They run in your browser, with no server.

```quiz
id: getting-started-check
mode: practice
questions:
  - type: single
    prompt: What orders the lessons of a module?
    answer: The number at the start of each file name
    distractors: [The lesson title, The date the file was saved]
    explanation: \"`01-welcome.md` comes before `02-check-your-understanding.md`.\"
  - type: true-false
    prompt: Pages need JavaScript to be read.
    answer: false
    explanation: Every page reads with JavaScript off; only answering quizzes needs it.
```
";

const ASSETS_README: &str =
    "Put images and files for the course here; link them from a lesson as `../assets/NAME`.
";
