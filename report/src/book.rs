//! The book's charts, drawn from the outputs recorded in book/src/measured/ rather than from new
//! runs: a chart on a page then shows exactly the figures the page prints beside it. `book/measure`
//! records the outputs; `cargo run -p report -- --from-book` redraws the charts from them, and
//! `.ci/check-measured` checks that the charts in the book are what the recordings draw.

use std::path::Path;

use crate::parts::{self, Ctx};
use crate::run::{How, Job, Lang, Outcome};

/// The parts whose charts the book shows, and the worker counts the recorded runs used (the
/// lessons' defaults).
const BOOK_PARTS: [&str; 6] = [
    "speedup",
    "overhead",
    "queue",
    "counter",
    "async",
    "distributed",
];
const RECORDED_WORKERS: [usize; 4] = [1, 2, 4, 8];
/// The lessons the speed-up part runs once per worker count; the book recorded each once, with
/// its default of 2 workers (`--workers` / `--procs`).
const PER_WORKER: [&str; 2] = ["load_balancing", "mp_factorizer"];
const DEFAULT_WORKERS: &str = "2";

/// Draws each book part's charts from the recordings into `charts`.
pub fn draw(root: &Path, charts: &Path) -> lesson::Result<()> {
    let ctx = Ctx {
        quick: false,
        workers: RECORDED_WORKERS.to_vec(),
        bin_dir: root.join("target"),
        root: root.to_path_buf(),
        python: Some("python3".into()),
        out: charts.to_path_buf(),
        mpi: Ok(true),
    };
    std::fs::create_dir_all(charts)?;
    for part in BOOK_PARTS {
        let done: Vec<(Job, Option<Outcome>)> = (parts::jobs(part, &ctx).into_iter())
            .map(|job| {
                let recorded = recorded(root, &job);
                (job, recorded)
            })
            .collect();
        for chart in parts::collect(part, &ctx, &done).charts {
            std::fs::write(charts.join(&chart.file), chart.svg)?;
            println!("drew {}", charts.join(&chart.file).display());
        }
    }
    Ok(())
}

/// The recorded output of the lesson (or twin) a job runs, if the book recorded that run: same
/// lesson, and for the per-worker lessons the same worker count.
fn recorded(root: &Path, job: &Job) -> Option<Outcome> {
    let How::Program(_, args) = &job.how else {
        return None;
    };
    let workers = (args.windows(2)).find(|w| w[0] == "--workers" || w[0] == "--procs");
    if PER_WORKER.contains(&job.name.as_str()) && workers.is_some_and(|w| w[1] != DEFAULT_WORKERS) {
        return None;
    }
    let suffix = if job.lang == Lang::Python { ".py" } else { "" };
    let path = root.join(format!("book/src/measured/{}{suffix}.txt", job.name));
    let text = std::fs::read_to_string(path).ok()?;
    let output: String = (text.lines().skip(1))
        .filter(|l| !l.starts_with("# machine:"))
        .flat_map(|l| [l, "\n"])
        .collect();
    let passed = output.contains("checks passed");
    Some(Outcome {
        output,
        failed: (!passed).then(|| "the recorded run did not pass its checks".into()),
        took: std::time::Duration::ZERO,
    })
}
