//! The student's one command, in the spirit of rustlings:
//!
//! ```console
//! cargo run -p exercises --bin course -- list            # every exercise, with its status
//! cargo run -p exercises --bin course -- next            # the first one not done yet
//! cargo run -p exercises --bin course -- check NAME      # run its tests; remember if it passed
//! cargo run -p exercises --bin course -- hint NAME       # the next hint (the idea, then the API)
//! cargo run -p exercises --bin course -- progress        # "9 of 24 done"
//! ```
//!
//! Everything about the exercises comes from `exercises/exercises.toml`, compiled in. What the
//! student has done and how many hints they have seen is kept under `target/course/`, never in
//! the repository, so a fresh clone starts at zero and `cargo clean` starts over.
//!
//! `book --write` writes the book's exercise page from the same file; `book --check` (CI) fails
//! if the page is stale.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::{env, fs};

const METADATA: &str = include_str!("../../exercises.toml");
const USAGE: &str =
    "usage: course list | next | check NAME | hint NAME | progress | book [--write|--check]";
/// Hints are wrapped to this many columns on the terminal.
const WIDTH: usize = 96;
/// The book page's generated part sits between these two lines.
const BEGIN: &str = "<!-- generated from exercises/exercises.toml by `cargo run -p exercises --bin course -- book --write`: edit that file, not this part -->";
const END: &str = "<!-- end of the generated part -->";
/// The book's chapters, in its order, with the heading each gets on the exercise page.
const CHAPTERS: [(&str, &str); 7] = [
    ("threads", "Threads"),
    ("processes", "Processes"),
    ("ipc", "Message passing"),
    ("sync", "Shared state"),
    ("concepts", "Rust's own concepts"),
    ("async", "Async for I/O"),
    ("capstone", "Capstone"),
];

#[derive(Debug, Deserialize)]
struct Metadata {
    exercise: Vec<Exercise>,
}

#[derive(Debug, Deserialize)]
struct Exercise {
    name: String,
    folder: String,
    chapter: String,
    title: String,
    difficulty: String,
    minutes: u32,
    lesson: Lesson,
    task: String,
    hints: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Lesson {
    page: String,
    title: String,
}

impl Exercise {
    fn starter(&self) -> String {
        format!("exercises/src/{}/{}.rs", self.folder, self.name)
    }
    fn solution(&self) -> String {
        format!("exercises/solutions/{}/{}.rs", self.folder, self.name)
    }
    /// A hint as one paragraph: the TOML keeps them wrapped and indented.
    fn hint(&self, level: usize) -> String {
        self.hints[level]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What the student has done, one line per exercise touched: `name status hints_seen`.
#[derive(Debug, Default)]
struct Progress {
    entries: BTreeMap<String, (Status, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Status {
    #[default]
    New,
    Failing,
    Done,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Failing => "failing",
            Status::Done => "done",
        }
    }
    fn parse(word: &str) -> Status {
        match word {
            "done" => Status::Done,
            "failing" => Status::Failing,
            _ => Status::New,
        }
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("exercises/ sits in the workspace")
        .to_path_buf()
}

fn progress_file() -> PathBuf {
    let target =
        env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace().join("target"), PathBuf::from);
    target.join("course").join("progress.txt")
}

impl Progress {
    fn load() -> Progress {
        let mut progress = Progress::default();
        let text = fs::read_to_string(progress_file()).unwrap_or_default();
        for line in text.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if let [name, status, hints] = fields[..] {
                let hints = hints.parse().unwrap_or(0);
                progress
                    .entries
                    .insert(name.to_string(), (Status::parse(status), hints));
            }
        }
        progress
    }

    fn save(&self) -> Result<(), String> {
        let path = progress_file();
        let mut text = String::new();
        for (name, (status, hints)) in &self.entries {
            let _ = writeln!(text, "{name} {} {hints}", status.word());
        }
        let dir = path.parent().expect("a file in a directory");
        fs::create_dir_all(dir)
            .and_then(|()| fs::write(&path, text))
            .map_err(|e| format!("cannot save progress in {}: {e}", path.display()))
    }

    fn status(&self, name: &str) -> Status {
        self.entries.get(name).map_or(Status::New, |e| e.0)
    }
    fn hints_seen(&self, name: &str) -> usize {
        self.entries.get(name).map_or(0, |e| e.1)
    }
}

fn main() -> ExitCode {
    let metadata: Metadata = match toml::from_str(METADATA) {
        Ok(metadata) => metadata,
        Err(err) => return fail(&format!("exercises.toml does not parse: {err}")),
    };
    let args: Vec<String> = env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args[..] {
        [] | ["list"] => list(&metadata),
        ["next"] => next(&metadata),
        ["progress"] => progress(&metadata),
        ["check", name] => find(&metadata, name).and_then(|e| check(&metadata, e)),
        ["hint", name] => find(&metadata, name).and_then(hint),
        ["book"] => book(&metadata).map(|page| print!("{page}")),
        ["book", "--write"] => write_book(&metadata),
        ["book", "--check"] => check_book(&metadata),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("error: {USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

fn find<'a>(metadata: &'a Metadata, name: &str) -> Result<&'a Exercise, String> {
    metadata.exercise.iter().find(|e| e.name == name).ok_or_else(|| {
        format!("no exercise called `{name}`: `cargo run -p exercises --bin course -- list` shows them all")
    })
}

fn list(metadata: &Metadata) -> Result<(), String> {
    let progress = Progress::load();
    println!(
        "   {:<17} {:<10} {:<7} {:>4}  title",
        "exercise", "chapter", "level", "min"
    );
    for e in &metadata.exercise {
        let mark = match progress.status(&e.name) {
            Status::Done => "ok",
            Status::Failing => "..",
            Status::New => "  ",
        };
        println!(
            "{mark} {:<17} {:<10} {:<7} {:>4}  {}",
            e.name, e.chapter, e.difficulty, e.minutes, e.title
        );
    }
    println!("\n(ok: passes; ..: tried, not passing yet)");
    progress_line(metadata, &progress);
    println!("next: `cargo run -p exercises --bin course -- check NAME`, or `-- next`");
    Ok(())
}

fn progress_line(metadata: &Metadata, progress: &Progress) {
    let done: Vec<&Exercise> = metadata
        .exercise
        .iter()
        .filter(|e| progress.status(&e.name) == Status::Done)
        .collect();
    let left: u32 = metadata
        .exercise
        .iter()
        .filter(|e| progress.status(&e.name) != Status::Done)
        .map(|e| e.minutes)
        .sum();
    println!(
        "{} of {} done; about {left} minutes of exercises left",
        done.len(),
        metadata.exercise.len()
    );
}

fn progress(metadata: &Metadata) -> Result<(), String> {
    let progress = Progress::load();
    progress_line(metadata, &progress);
    for (chapter, heading) in CHAPTERS {
        let of_chapter: Vec<&Exercise> = metadata
            .exercise
            .iter()
            .filter(|e| e.chapter == chapter)
            .collect();
        let done = of_chapter
            .iter()
            .filter(|e| progress.status(&e.name) == Status::Done)
            .count();
        println!("  {heading:<20} {done} of {}", of_chapter.len());
    }
    Ok(())
}

fn next(metadata: &Metadata) -> Result<(), String> {
    let progress = Progress::load();
    match metadata
        .exercise
        .iter()
        .find(|e| progress.status(&e.name) != Status::Done)
    {
        None => println!("every exercise passes. Well done."),
        Some(e) => {
            println!(
                "next: {} ({}, {}, about {} minutes): {}",
                e.name, e.chapter, e.difficulty, e.minutes, e.title
            );
            println!("{}\n", e.task.trim());
            println!("starter:  {}", e.starter());
            println!(
                "lesson:   book/src/{}.md ({})",
                e.lesson.page, e.lesson.title
            );
            println!(
                "check it: cargo run -p exercises --bin course -- check {}",
                e.name
            );
        }
    }
    Ok(())
}

fn check(metadata: &Metadata, exercise: &Exercise) -> Result<(), String> {
    println!("checking {} ({})", exercise.name, exercise.starter());
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["test", "-q", "-p", "exercises", "--test", &exercise.name])
        .current_dir(workspace())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut progress = Progress::load();
    let hints = progress.hints_seen(&exercise.name);
    let passed = status.success();
    let now = if passed {
        Status::Done
    } else {
        Status::Failing
    };
    progress.entries.insert(exercise.name.clone(), (now, hints));
    progress.save()?;
    if passed {
        println!("\n{} passes.", exercise.name);
    } else {
        println!(
            "\n{} does not pass yet: read the first failure above.",
            exercise.name
        );
        if hints < exercise.hints.len() {
            println!(
                "stuck? `cargo run -p exercises --bin course -- hint {}`",
                exercise.name
            );
        }
    }
    progress_line(metadata, &progress);
    Ok(())
}

fn hint(exercise: &Exercise) -> Result<(), String> {
    let mut progress = Progress::load();
    let seen = progress.hints_seen(&exercise.name);
    let total = exercise.hints.len();
    if seen >= total {
        for level in 0..total {
            let text = format!("hint {} of {total}: {}", level + 1, exercise.hint(level));
            println!("{}\n", wrapped(&text));
        }
        println!("no more hints. The solution is in {}", exercise.solution());
        return Ok(());
    }
    let what = if seen == 0 { "the idea" } else { "the API" };
    let text = format!(
        "hint {} of {total} ({what}): {}",
        seen + 1,
        exercise.hint(seen)
    );
    println!("{}", wrapped(&text));
    let status = progress.status(&exercise.name);
    progress
        .entries
        .insert(exercise.name.clone(), (status, seen + 1));
    progress.save()
}

/// `text` broken into lines of at most [`WIDTH`] columns, at spaces.
fn wrapped(text: &str) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.len() > WIDTH {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.len();
    }
    out
}

fn book(metadata: &Metadata) -> Result<String, String> {
    let mut page = String::new();
    let w = &mut page;
    let _ = writeln!(w, "{BEGIN}\n");
    let _ = writeln!(w, "| exercise | chapter | difficulty | minutes | follows |");
    let _ = writeln!(w, "|---|---|---|---|---|");
    for e in &metadata.exercise {
        let _ = writeln!(
            w,
            "| [`{}`](#{}) | {} | {} | {} | [{}]({}.md) |",
            e.name, e.name, e.chapter, e.difficulty, e.minutes, e.lesson.title, e.lesson.page
        );
    }
    let total: u32 = metadata.exercise.iter().map(|e| e.minutes).sum();
    let _ = writeln!(
        w,
        "\n{} exercises, about {total} minutes in all.",
        metadata.exercise.len()
    );
    for (chapter, heading) in CHAPTERS {
        let of_chapter: Vec<&Exercise> = metadata
            .exercise
            .iter()
            .filter(|e| e.chapter == chapter)
            .collect();
        if of_chapter.is_empty() {
            continue;
        }
        let _ = writeln!(w, "\n## {heading}");
        for e in of_chapter {
            let _ = writeln!(w, "\n### {}\n", e.name);
            let _ = writeln!(
                w,
                "**{}.** Difficulty: {}; about {} minutes. Follows [{}]({}.md).",
                capitalised(&e.title),
                e.difficulty,
                e.minutes,
                e.lesson.title,
                e.lesson.page
            );
            let _ = writeln!(
                w,
                "Starter: `{}`. Check: `cargo run -p exercises --bin course -- check {}`.\n",
                e.starter(),
                e.name
            );
            let _ = writeln!(w, "{}", e.task.trim());
            for level in 0..e.hints.len() {
                let what = if level == 0 { "the idea" } else { "the API" };
                let _ = writeln!(
                    w,
                    "\n<details>\n<summary>Hint {} ({what})</summary>\n\n{}\n\n</details>",
                    level + 1,
                    e.hint(level)
                );
            }
        }
    }
    let _ = writeln!(w, "\n{END}");
    if metadata
        .exercise
        .iter()
        .any(|e| !CHAPTERS.iter().any(|c| c.0 == e.chapter))
    {
        return Err("an exercise has a chapter the course does not know".into());
    }
    Ok(page)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn book_path() -> PathBuf {
    workspace().join("book/src/exercises.md")
}

/// The page with its generated part replaced by `generated`.
fn spliced(page: &str, generated: &str) -> Result<String, String> {
    let begin = page
        .find(BEGIN)
        .ok_or("book/src/exercises.md has no generated part")?;
    let end = page
        .find(END)
        .ok_or("book/src/exercises.md has no end marker")?
        + END.len();
    Ok(format!(
        "{}{}{}",
        &page[..begin],
        generated.trim_end(),
        &page[end..]
    ))
}

fn write_book(metadata: &Metadata) -> Result<(), String> {
    let path = book_path();
    let page = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let new = spliced(&page, &book(metadata)?)?;
    fs::write(&path, new).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn check_book(metadata: &Metadata) -> Result<(), String> {
    let path = book_path();
    let page = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if spliced(&page, &book(metadata)?)? == page {
        println!("book/src/exercises.md matches exercises.toml");
        Ok(())
    } else {
        Err("book/src/exercises.md is stale: run `cargo run -p exercises --bin course -- book --write`".into())
    }
}
