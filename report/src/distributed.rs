//! The distributed part: the factorizer as MPI ranks and what one message costs, beside mpi4py.
//! It runs only where Open MPI is installed, because its chapter is outside the workspace's
//! default members; elsewhere its rows say why they were not run and the report still passes.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::parse::{number, per_second, seconds};
use crate::parts::{Chart, Ctx, Done, Figure, Row, Section, Unit, bars, flags, row, side_by_side};
use crate::run::Job;

/// The chapter's lessons this part runs, which must be built next to the report.
const LESSONS: [&str; 2] = ["mpi_factorizer", "mpi_latency"];

/// Whether this part can run here: `Ok` with whether mpi4py is there for the twins, or why not.
pub fn ready(
    root: &Path,
    bin_dir: &Path,
    python: Option<&str>,
    build: bool,
) -> Result<bool, String> {
    let quiet = |mut command: Command| {
        let status = command.stdout(Stdio::null()).stderr(Stdio::null()).status();
        status.is_ok_and(|s| s.success())
    };
    let mut mpirun = Command::new("mpirun");
    mpirun.arg("--version");
    if !quiet(mpirun) {
        return Err(
            "Open MPI not found (no mpirun): the distributed chapter's page says how to install it"
                .into(),
        );
    }
    if build {
        eprintln!("report: building the distributed chapter ...");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(root)
            .args(["build", "-q", "--bins", "-p", "examples-distributed"]);
        if !cfg!(debug_assertions) {
            command.arg("--release");
        }
        if !command.status().is_ok_and(|s| s.success()) {
            return Err(
                "the distributed chapter did not build (it needs libopenmpi-dev and clang)".into(),
            );
        }
    }
    if let Some(missing) = LESSONS.iter().find(|l| !bin_dir.join(l).exists()) {
        return Err(format!(
            "{missing} is not built: `cargo build -p examples-distributed` first"
        ));
    }
    let has_mpi4py = python.is_some_and(|python| {
        let mut import = Command::new(python);
        import.args(["-c", "import mpi4py"]);
        quiet(import)
    });
    Ok(has_mpi4py)
}

/// The runs: each lesson started plainly, as a reader would, so that it starts its own job of two
/// ranks under mpirun; the twins likewise, where mpi4py is installed.
pub fn jobs(ctx: &Ctx) -> Vec<Job> {
    let Ok(has_mpi4py) = ctx.mpi else {
        return Vec::new();
    };
    let factorizer = (
        flags(&["--count", ctx.pick("20000", "300")]),
        flags(&["--count", ctx.pick("1000", "200")]),
    );
    let latency = (
        flags(ctx.pick(&[][..], &["--rounds", "500", "--messages", "2000"][..])),
        flags(ctx.pick(&[][..], &["--rounds", "200", "--messages", "1000"][..])),
    );
    let mut jobs = Vec::new();
    for (name, (rust, python)) in [("mpi_factorizer", factorizer), ("mpi_latency", latency)] {
        jobs.push(ctx.rust(name, &rust));
        if has_mpi4py {
            jobs.push(ctx.python("distributed", name, &python));
        }
    }
    jobs
}

/// The rows: the two parallel factorizers' speed-ups over rank 0 alone, and a small message's
/// round trip and streaming rate over MPI and over the local pipe each language uses.
pub fn collect(ctx: &Ctx, done: Done) -> Section {
    let mut s = Section::default();
    let twin = |figure: Figure| match (&ctx.mpi, &ctx.python) {
        (Ok(false), Some(_)) => Figure::Absent("mpi4py not found".into()),
        (Ok(false), None) => Figure::Absent("Python not found".into()),
        _ => figure,
    };
    for (what, variant) in [
        ("factorizer on 2 ranks, static chunks", "scatter/gather"),
        ("factorizer on 2 ranks, dynamic chunks", "coordinator"),
    ] {
        let wanted = [("variant", variant)];
        let (rust, python) =
            side_by_side(done, "mpi_factorizer", &wanted, &wanted, "speed-up", number);
        let python = twin(python);
        s.rows.push(row(what, Unit::Speedup, rust, python));
    }
    let transports = [
        ("MPI", "MPI (Open MPI", "MPI, mpi4py Send/Recv"),
        ("a local pipe", "ipc-channel", "multiprocessing.connection"),
    ];
    let mut round_trips = Vec::new();
    for (column, unit, read, what) in [
        (
            "round trip",
            Unit::Seconds,
            seconds as fn(&str) -> Option<f64>,
            "round trip",
        ),
        ("stream", Unit::PerSecond, per_second, "stream of messages"),
    ] {
        for (over, rust_row, python_row) in transports {
            let (rust, python) = side_by_side(
                done,
                "mpi_latency",
                &[("transport", rust_row)],
                &[("transport", python_row)],
                column,
                read,
            );
            let name = format!("{what}, {over}");
            let row: Row = row(&name, unit, rust, twin(python));
            if unit == Unit::Seconds {
                round_trips.push(row.clone());
            }
            s.rows.push(row);
        }
    }
    if let Err(why) = &ctx.mpi {
        for row in &mut s.rows {
            (row.rust, row.python) = (Figure::Absent(why.clone()), Figure::Absent(why.clone()));
        }
        s.notes.push(format!("This part did not run: {why}."));
        return s;
    }
    s.notes.push(
        "Each side runs 2 ranks on this machine; the local pipe is ipc-channel in Rust and \
         multiprocessing.connection in Python."
            .into(),
    );
    let title = "One small message there and back (shorter is cheaper)";
    let chart: Chart = bars("distributed", title, "µs", &round_trips);
    s.charts.push(chart);
    s
}
