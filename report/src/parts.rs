//! The report's parts: which lessons and twins each runs, with which flags, and how it reads
//! their output into rows (Rust beside Python) and charts.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use lesson::chart::{Axis, Bar, Series, bar_chart_svg, line_chart_svg, log_bar_chart_svg};
use multiproc::{Pool, Task};

use crate::parse::{Table, number, per_second, seconds, tables};
use crate::run::{How, Job, Lang, Outcome};

/// Every part, in the report's order, with what it shows.
pub const PARTS: [(&str, &str); 9] = [
    (
        "workloads",
        "the same job in both languages: Rust time, Python time, ratio",
    ),
    (
        "speedup",
        "speed-up against workers: threads, rayon and processes, with the ideal line",
    ),
    (
        "overhead",
        "a pool's overhead per task and per round trip; where a parallel map pays",
    ),
    (
        "queue",
        "queue throughput, one item per message and batched",
    ),
    ("counter", "a shared counter: no lock, a lock, an atomic"),
    ("manager", "a manager's shared dict: operations per second"),
    (
        "async",
        "waiting requests: in sequence, a thread each, a pool, async tasks",
    ),
    ("timelines", "which worker ran what, and when"),
    (
        "distributed",
        "MPI ranks on this machine: the factorizer's speed-up and a message's cost (where Open MPI is installed)",
    ),
];

/// What the parts need to know about this run.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub quick: bool,
    /// The worker counts the speed-up part tries: 1, 2, 4, ... up to the cores, and one beyond.
    pub workers: Vec<usize>,
    pub bin_dir: PathBuf,
    pub root: PathBuf,
    pub python: Option<String>,
    pub out: PathBuf,
    /// Whether the distributed part can run: `Ok(has_mpi4py)`, or why not.
    pub mpi: Result<bool, String>,
}

/// How a figure reads, and which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    PerSecond,
    Nanos,
    Speedup,
}

/// One side of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Value(f64),
    /// The run failed: no figure, only why.
    Failed(String),
    /// Not run (Python was not found).
    Absent(String),
    /// The other language has no such variant.
    None,
}

/// One comparison: Rust beside Python.
#[derive(Debug, Clone)]
pub struct Row {
    pub what: String,
    pub unit: Unit,
    pub rust: Figure,
    pub python: Figure,
}

/// A chart the part drew: its file name and its SVG.
#[derive(Debug, Clone)]
pub struct Chart {
    pub file: String,
    pub title: String,
    pub svg: String,
}

/// A part's results.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub rows: Vec<Row>,
    pub charts: Vec<Chart>,
    /// Sentences from the lessons' output worth repeating (a crossover).
    pub notes: Vec<String>,
}

impl Ctx {
    pub(crate) fn rust(&self, name: &str, args: &[String]) -> Job {
        let how = How::Program(self.bin_dir.join(name), args.to_vec());
        Job {
            lang: Lang::Rust,
            name: name.into(),
            how,
        }
    }

    pub(crate) fn python(&self, chapter: &str, name: &str, args: &[String]) -> Job {
        let script = self
            .root
            .join("python")
            .join(chapter)
            .join(format!("{name}.py"));
        let mut words = vec![script.display().to_string()];
        words.extend(args.iter().cloned());
        let program = PathBuf::from(self.python.clone().unwrap_or_else(|| "python3".into()));
        Job {
            lang: Lang::Python,
            name: name.into(),
            how: How::Program(program, words),
        }
    }

    /// `quick` in --quick mode, else `full`.
    pub(crate) fn pick<T>(&self, full: T, quick: T) -> T {
        if self.quick { quick } else { full }
    }
}

pub(crate) fn flags(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The jobs `part` runs.
pub fn jobs(part: &str, ctx: &Ctx) -> Vec<Job> {
    let list = |ws: &[usize]| {
        ws.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    match part {
        "workloads" => {
            let primes = flags(&["--tasks", "4", "--limit", ctx.pick("100000", "20000")]);
            let factor = ctx.pick("600", "40");
            let cores = multiproc::cores().to_string(); // rayon's global pool has one per core
            let roots = flags(&["--n", ctx.pick("5000000", "200000"), "--workers", &cores]);
            vec![
                ctx.rust("cpu_bound_showdown", &primes),
                ctx.python("threads", "cpu_bound_showdown", &primes),
                ctx.rust(
                    "threaded_factorizer",
                    &flags(&["--count", factor, "--threads", "1"]),
                ),
                ctx.python(
                    "threads",
                    "threaded_factorizer",
                    &flags(&["--count", factor, "--threads", "1"]),
                ),
                ctx.rust("pool_map", &roots),
                ctx.python("threads", "pool_map", &roots),
            ]
        }
        "speedup" => {
            let (count, py_count) = (ctx.pick("12000", "600"), ctx.pick("600", "30"));
            let threads = flags(&["--count", count, "--threads", &list(&ctx.workers)]);
            let mut jobs = vec![ctx.rust("threaded_factorizer", &threads)];
            for w in &ctx.workers {
                let w = w.to_string();
                jobs.push(ctx.rust(
                    "load_balancing",
                    &flags(&["--count", count, "--workers", &w]),
                ));
                jobs.push(ctx.rust("mp_factorizer", &flags(&["--count", count, "--procs", &w])));
            }
            let py = flags(&["--count", py_count, "--threads", &list(&ctx.workers)]);
            jobs.push(ctx.python("threads", "threaded_factorizer", &py));
            jobs
        }
        "overhead" => vec![
            Job {
                lang: Lang::Rust,
                name: "pool_overhead".into(),
                how: How::InProcess(pool_overhead),
            },
            ctx.python(
                "processes",
                "pool_overhead",
                &flags(ctx.pick(
                    &["--repeat", "5"][..],
                    &["--tasks", "200", "--repeat", "2"][..],
                )),
            ),
            ctx.rust(
                "parallel_overhead",
                &flags(&["--max-n", ctx.pick("10000000", "100000"), "--repeat", "3"]),
            ),
            ctx.python(
                "threads",
                "parallel_overhead",
                &flags(&["--max-n", ctx.pick("5000000", "10000"), "--repeat", "1"]),
            ),
        ],
        "queue" => {
            let messages = flags(&["--messages", ctx.pick("300000", "20000")]);
            vec![
                ctx.rust("channel_throughput", &messages),
                ctx.python("ipc", "channel_throughput", &messages),
            ]
        }
        "counter" => {
            let (rust, py) = (ctx.pick("1000000", "100000"), ctx.pick("50000", "5000"));
            vec![
                ctx.rust(
                    "thread_counter",
                    &flags(&["--threads", "4", "--increments", rust]),
                ),
                ctx.python(
                    "sync",
                    "thread_counter",
                    &flags(&["--workers", "4", "--increments", py]),
                ),
                ctx.rust(
                    "shared_value_lock",
                    &flags(&["--workers", "4", "--increments", rust]),
                ),
                ctx.python(
                    "sync",
                    "shared_value_lock",
                    &flags(&["--workers", "4", "--increments", py]),
                ),
            ]
        }
        "manager" => vec![
            ctx.rust(
                "manager_batching",
                &flags(&["--ops", ctx.pick("20000", "3000")]),
            ),
            ctx.python(
                "ipc",
                "manager_batching",
                &flags(&["--ops", ctx.pick("6000", "600")]),
            ),
        ],
        "async" => {
            let requests = flags(&["--requests", ctx.pick("1000", "100")]);
            let python = ctx.python("async", "async_io", &requests);
            vec![ctx.rust("async_io", &requests), python]
        }
        "timelines" => {
            let svg = |name: &str| {
                ctx.out
                    .join(format!("{name}.timeline.svg"))
                    .display()
                    .to_string()
            };
            let count = ctx.pick("12000", "600");
            vec![
                ctx.rust(
                    "load_balancing",
                    &flags(&["--count", count, "--timeline", &svg("load_balancing")]),
                ),
                ctx.rust(
                    "mp_factorizer",
                    &flags(&["--count", count, "--timeline", &svg("mp_factorizer")]),
                ),
                ctx.rust(
                    "crash_resilience",
                    &flags(&["--timeline", &svg("crash_resilience")]),
                ),
            ]
        }
        "distributed" => crate::distributed::jobs(ctx),
        _ => Vec::new(),
    }
}

/// The runs of one part, as `(job, outcome)` pairs; `None` for a job that was not run (a twin
/// without Python, a run the book did not record).
pub type Done<'a> = &'a [(Job, Option<Outcome>)];

/// The output of `name` in `lang`, or the figure that stands for it (failed, absent).
fn output<'a>(done: Done<'a>, lang: Lang, name: &str, nth: usize) -> Result<&'a str, Figure> {
    let found = done
        .iter()
        .filter(|(j, _)| j.lang == lang && j.name == name)
        .nth(nth);
    match found {
        None => Err(Figure::None),
        Some((job, None)) if job.lang == Lang::Python => {
            Err(Figure::Absent("Python not found".into()))
        }
        Some((_, None)) => Err(Figure::Absent("not run".into())),
        Some((_, Some(outcome))) => match &outcome.failed {
            Some(why) => Err(Figure::Failed(why.clone())),
            None => Ok(&outcome.output),
        },
    }
}

/// A figure read from a table cell of `name`'s output: the row where the columns start with the
/// given texts, the cell under `column`, read by `read`.
pub(crate) fn cell(
    done: Done,
    lang: Lang,
    (name, nth): (&str, usize),
    wanted: &[(&str, &str)],
    column: &str,
    read: fn(&str) -> Option<f64>,
) -> Figure {
    let text = match output(done, lang, name, nth) {
        Ok(text) => text,
        Err(figure) => return figure,
    };
    let found = tables(text).iter().find_map(|t: &Table| {
        let row = t.find(wanted)?;
        t.cell(row, column).map(str::to_string)
    });
    match found.as_deref().map(|c| (c, read(c))) {
        Some((_, Some(value))) => Figure::Value(value),
        Some((c, None)) => Figure::Failed(format!("the lesson showed no figure ({c})")),
        None => Figure::Failed(format!("no row {wanted:?} in its output")),
    }
}

/// The same figure from the Rust lesson and from its twin, each found by its own row texts
/// (the two languages name their variants differently).
pub(crate) fn side_by_side(
    done: Done,
    lesson: &str,
    rust: &[(&str, &str)],
    python: &[(&str, &str)],
    column: &str,
    read: fn(&str) -> Option<f64>,
) -> (Figure, Figure) {
    (
        cell(done, Lang::Rust, (lesson, 0), rust, column, read),
        cell(done, Lang::Python, (lesson, 0), python, column, read),
    )
}

/// A figure from the line of `name`'s output that contains `key`: the time before `per task`.
fn per_task(done: Done, lang: Lang, name: &str, key: &str) -> Figure {
    let text = match output(done, lang, name, 0) {
        Ok(text) => text,
        Err(figure) => return figure,
    };
    let line = text.lines().find(|l| l.contains(key));
    let time = line.and_then(|l| {
        let before = l.split(" per task").next()?;
        let words: Vec<&str> = before.split_whitespace().collect();
        seconds(&words[words.len().checked_sub(2)?..].join(" "))
    });
    time.map_or(
        Figure::Failed(format!("no '{key}' line in its output")),
        Figure::Value,
    )
}

pub(crate) fn row(what: &str, unit: Unit, rust: Figure, python: Figure) -> Row {
    Row {
        what: what.into(),
        unit,
        rust,
        python,
    }
}

/// Reads the runs of `part` into rows and charts.
pub fn collect(part: &str, ctx: &Ctx, done: Done) -> Section {
    use Lang::{Python, Rust};
    let mut s = Section::default();
    match part {
        "workloads" => {
            for approach in ["sequential", "threads", "processes"] {
                let (rust, python) = side_by_side(
                    done,
                    "cpu_bound_showdown",
                    &[("approach", approach)],
                    &[("approach", approach)],
                    "time",
                    seconds,
                );
                s.rows.push(row(
                    &format!("count primes, 4 jobs: {approach}"),
                    Unit::Seconds,
                    rust,
                    python,
                ));
            }
            let (rust, python) = side_by_side(
                done,
                "threaded_factorizer",
                &[("variant", "serial")],
                &[("variant", "serial")],
                "time",
                seconds,
            );
            s.rows.push(row(
                "factorize the same numbers, serial",
                Unit::Seconds,
                rust,
                python,
            ));
            let maps = [("serial loop", "serial loop"), ("global pool", "Pool.map")];
            for ((rust_row, python_row), what) in maps
                .into_iter()
                .zip(["a loop", "a parallel map, one worker per core"])
            {
                let (rust, python) = side_by_side(
                    done,
                    "pool_map",
                    &[("run", rust_row)],
                    &[("approach", python_row)],
                    "time",
                    seconds,
                );
                s.rows.push(row(
                    &format!("square roots of 10..N: {what}"),
                    Unit::Seconds,
                    rust,
                    python,
                ));
            }
            s.charts.push(bars(
                "workloads",
                "Same job, both languages (shorter is faster)",
                "s",
                &s.rows,
            ));
        }
        "speedup" => {
            let mut series: Vec<Series> = Vec::new();
            let mut add = |name: &str, points: Vec<(f64, f64)>| {
                series.push(Series {
                    name: name.into(),
                    points,
                    dashed: false,
                });
            };
            let (mut threads, mut rayon, mut procs, mut py_threads, mut py_procs) =
                Default::default();
            for (i, &w) in ctx.workers.iter().enumerate() {
                let ws = w.to_string();
                let t = cell(
                    done,
                    Rust,
                    ("threaded_factorizer", 0),
                    &[("variant", "static"), ("threads", &ws)],
                    "speedup",
                    number,
                );
                let r = cell(
                    done,
                    Rust,
                    ("load_balancing", i),
                    &[("strategy", "rayon")],
                    "speedup",
                    number,
                );
                let p = cell(
                    done,
                    Rust,
                    ("mp_factorizer", i),
                    &[("variant", "static")],
                    "speed-up",
                    number,
                );
                let pt = cell(
                    done,
                    Python,
                    ("threaded_factorizer", 0),
                    &[("variant", "threads"), ("workers", &ws)],
                    "speedup",
                    number,
                );
                let pp = cell(
                    done,
                    Python,
                    ("threaded_factorizer", 0),
                    &[("variant", "processes"), ("workers", &ws)],
                    "speedup",
                    number,
                );
                for (points, figure) in [
                    (&mut threads, &t),
                    (&mut rayon, &r),
                    (&mut procs, &p),
                    (&mut py_threads, &pt),
                    (&mut py_procs, &pp),
                ] {
                    let points: &mut Vec<(f64, f64)> = points;
                    if let Figure::Value(v) = figure {
                        points.push((w as f64, *v));
                    }
                }
                let workers = if w == 1 {
                    "1 worker".to_string()
                } else {
                    format!("{w} workers")
                };
                s.rows
                    .push(row(&format!("threads, {workers}"), Unit::Speedup, t, pt));
                s.rows.push(row(
                    &format!("rayon, {workers}"),
                    Unit::Speedup,
                    r,
                    Figure::None,
                ));
                s.rows
                    .push(row(&format!("processes, {workers}"), Unit::Speedup, p, pp));
            }
            add("Rust threads", threads);
            add("Rust rayon", rayon);
            add("Rust processes", procs);
            add("Python threads", py_threads);
            add("Python processes", py_procs);
            let top = *ctx.workers.last().unwrap_or(&1) as f64;
            let cores = multiproc::cores() as f64;
            let ideal = vec![
                (1.0, 1.0),
                (cores.min(top), cores.min(top)),
                (top, cores.min(top)),
            ];
            series.push(Series {
                name: "ideal (one per core)".into(),
                points: ideal,
                dashed: true,
            });
            let svg = line_chart_svg(
                "Factorizer speed-up against workers",
                &Axis::linear("workers"),
                &Axis::linear("speed-up over serial"),
                &series,
            );
            s.charts.push(Chart {
                file: "speedup.svg".into(),
                title: "speed-up against workers".into(),
                svg,
            });
        }
        "overhead" => {
            let keys = [
                (
                    "pipelined, one task per message",
                    "pipelined, chunksize 1",
                    "apply_async, ",
                ),
                ("map, default chunksize", "map, default chunksize", "map, "),
                (
                    "round trip, one task at a time",
                    "round trip",
                    "one at a time",
                ),
            ];
            for (what, rust_key, py_key) in keys {
                let rust = per_task(done, Rust, "pool_overhead", rust_key);
                let python = per_task(done, Python, "pool_overhead", py_key);
                s.rows.push(row(
                    &format!("pool overhead per task: {what}"),
                    Unit::Seconds,
                    rust,
                    python,
                ));
            }
            s.charts.push(crossover(done));
            for lang in [Rust, Python] {
                let text = output(done, lang, "parallel_overhead", 0).unwrap_or_default();
                let verdicts = text
                    .lines()
                    .filter(|l| l.starts_with("crossover") || l.contains("never paid"));
                s.notes.extend(verdicts.map(|l| format!("{lang:?}: {l}")));
            }
        }
        "queue" => {
            let pairs = [
                (
                    "threads, 1 per message",
                    ("std::sync::mpsc", "1 u64"),
                    ("queue.SimpleQueue", "1 int"),
                ),
                (
                    "threads, 1024 per message",
                    ("std::sync::mpsc", "Vec"),
                    ("queue.SimpleQueue", "list"),
                ),
                (
                    "processes, 1 per message",
                    ("ipc-channel", "1 u64"),
                    ("multiprocessing.Queue", "1 int"),
                ),
                (
                    "processes, 1024 per message",
                    ("ipc-channel", "Vec"),
                    ("multiprocessing.Queue", "list"),
                ),
            ];
            for (what, (rc, rm), (pc, pm)) in pairs {
                let (rust, python) = side_by_side(
                    done,
                    "channel_throughput",
                    &[("channel", rc), ("per message", rm)],
                    &[("queue", pc), ("per message", pm)],
                    "numbers/s",
                    per_second,
                );
                s.rows.push(row(what, Unit::PerSecond, rust, python));
            }
            s.charts.push(bars(
                "queue",
                "Numbers per second through a queue (longer is faster)",
                "M/s",
                &s.rows,
            ));
        }
        "counter" => {
            let ns = |t: &str| number(t).map(|v| v * 1e-9);
            let pairs = [
                (
                    "threads, no lock",
                    ("thread_counter", "atomic load"),
                    Some("threads, counter"),
                ),
                (
                    "threads, a lock",
                    ("thread_counter", "std::sync::Mutex"),
                    Some("threads, with Lock"),
                ),
                ("threads, an atomic", ("thread_counter", "AtomicU64"), None),
                (
                    "processes, no lock",
                    ("shared_value_lock", "atomic load"),
                    Some("Value += 1"),
                ),
                (
                    "processes, a lock",
                    ("shared_value_lock", "process-shared"),
                    Some("with value.get_lock"),
                ),
                (
                    "processes, an atomic",
                    ("shared_value_lock", "AtomicU64"),
                    None,
                ),
            ];
            for (what, (lesson, variant), py) in pairs {
                let rust = cell(done, Rust, (lesson, 0), &[("", variant)], "ns per", ns);
                let py_lesson = if lesson == "thread_counter" {
                    "thread_counter"
                } else {
                    "shared_value_lock"
                };
                let python = match py {
                    Some(py) if what.starts_with("threads") => cell(
                        done,
                        Python,
                        (py_lesson, 0),
                        &[("strategy", py)],
                        "ns per",
                        ns,
                    ),
                    Some(py) => cell(
                        done,
                        Python,
                        (py_lesson, 0),
                        &[("increment", py)],
                        "ns per",
                        ns,
                    ),
                    None => Figure::None,
                };
                s.rows.push(row(
                    &format!("counter increment, {what}"),
                    Unit::Nanos,
                    rust,
                    python,
                ));
            }
            s.charts.push(bars(
                "counter",
                "Cost of one shared-counter increment (shorter is cheaper)",
                "ns",
                &s.rows,
            ));
        }
        "manager" => {
            for (what, rust_key, py_key) in [
                ("one message per call", "1", "one message"),
                ("batched, 1023 calls per message", "1023", "1023"),
            ] {
                let (rust, python) = side_by_side(
                    done,
                    "manager_batching",
                    &[("calls", rust_key)],
                    &[("calls", py_key)],
                    "throughput",
                    per_second,
                );
                s.rows.push(row(
                    &format!("manager dict, {what}"),
                    Unit::PerSecond,
                    rust,
                    python,
                ));
            }
            s.charts.push(bars(
                "manager",
                "Manager operations per second (longer is faster)",
                "M/s",
                &s.rows,
            ));
        }
        "async" => {
            let pairs = [
                ("in sequence (extrapolated)", "sequential", "sequential"),
                ("one thread per request", "one thread", "one thread"),
                ("a pool of threads", "thread pool", "ThreadPoolExecutor"),
                ("async tasks on one thread", "tokio tasks", "asyncio tasks"),
                (
                    "blocking calls in the runtime's pool",
                    "tokio spawn_blocking",
                    "run_in_executor",
                ),
            ];
            for (what, rust_row, python_row) in pairs {
                let (rust, python) = side_by_side(
                    done,
                    "async_io",
                    &[("approach", rust_row)],
                    &[("approach", python_row)],
                    "wall",
                    seconds,
                );
                s.rows.push(row(what, Unit::Seconds, rust, python));
            }
            let title = "Waiting requests: wall time (shorter is faster)";
            s.charts.push(bars("async", title, "s", &s.rows));
        }
        "timelines" => {
            for name in ["load_balancing", "mp_factorizer", "crash_resilience"] {
                // A failed run writes no timeline; an old file from an earlier run is never shown.
                let file = format!("{name}.timeline.svg");
                let svg = std::fs::read_to_string(ctx.out.join(&file)).ok();
                let figure = match (output(done, Rust, name, 0), svg) {
                    (Ok(_), Some(svg)) => {
                        s.charts.push(Chart {
                            file,
                            title: format!("{name}: worker timeline"),
                            svg,
                        });
                        Figure::Value(
                            done.iter()
                                .find(|(j, _)| j.name == name)
                                .and_then(|(_, o)| o.as_ref())
                                .map_or(0.0, |o| o.took.as_secs_f64()),
                        )
                    }
                    (Ok(_), None) => Figure::Failed("it wrote no timeline".into()),
                    (Err(figure), _) => figure,
                };
                s.rows.push(row(
                    &format!("{name} with --timeline (whole run)"),
                    Unit::Seconds,
                    figure,
                    Figure::None,
                ));
            }
        }
        "distributed" => return crate::distributed::collect(ctx, done),
        _ => {}
    }
    s
}

/// A bar chart of the rows' figures, Rust and Python beside each other; failed runs draw no bar.
pub(crate) fn bars(part: &str, title: &str, unit: &str, rows: &[Row]) -> Chart {
    let scale = match unit {
        "ns" => 1e9,
        "µs" => 1e6,
        "M/s" => 1e-6,
        _ => 1.0,
    };
    let mut drawn = Vec::new();
    for row in rows {
        for (lang, figure) in [("Rust", &row.rust), ("Python", &row.python)] {
            if let Figure::Value(v) = figure {
                // The row's name without what every row of the part shares.
                let what = [
                    "counter increment, ",
                    "manager dict, ",
                    "count primes, 4 jobs: ",
                ]
                .iter()
                .fold(row.what.as_str(), |w, prefix| w.trim_start_matches(prefix));
                let label = format!("{what} ({lang})");
                drawn.push(Bar {
                    label,
                    value: v * scale,
                    series: lang.into(),
                });
            }
        }
    }
    // Rust and Python often differ by orders of magnitude: a log scale keeps both bars visible.
    let svg = if part == "manager" {
        bar_chart_svg(title, unit, &drawn)
    } else {
        log_bar_chart_svg(title, unit, &drawn)
    };
    Chart {
        file: format!("{part}.svg"),
        title: title.into(),
        svg,
    }
}

/// parallel_overhead's crossover: time against N on log scales, both languages.
fn crossover(done: Done) -> Chart {
    let mut series = Vec::new();
    let columns = [
        (Lang::Rust, "Rust serial", "serial"),
        (Lang::Rust, "Rust rayon", "rayon"),
        (Lang::Rust, "Rust process pool", "process pool"),
        (Lang::Python, "Python serial", "serial"),
        (Lang::Python, "Python Pool.map", "Pool.map"),
    ];
    for (lang, name, column) in columns {
        let Ok(text) = output(done, lang, "parallel_overhead", 0) else {
            continue;
        };
        let points = (tables(text).iter())
            .filter(|t| t.header.first().is_some_and(|h| h == "N"))
            .flat_map(|t| {
                t.rows
                    .iter()
                    .filter_map(|r| Some((number(&r[0])?, seconds(t.cell(r, column)?)?)))
                    .collect::<Vec<_>>()
            })
            .collect();
        series.push(Series {
            name: name.into(),
            points,
            dashed: false,
        });
    }
    let svg = line_chart_svg(
        "Sum of square roots: time against N",
        &Axis::log("N (items)"),
        &Axis::log("seconds"),
        &series,
    );
    Chart {
        file: "crossover.svg".into(),
        title: "where a parallel map pays".into(),
        svg,
    }
}

/// No-op task for the pool overhead figures.
pub static NOOP: Task<u32, Result<u32, String>> = Task::new("noop", Ok);

/// The toolkit's pool overhead, measured here (no Rust lesson prints it per task; the criterion
/// bench `cargo bench -p examples-processes --bench pool` measures the same three things).
fn pool_overhead(quick: bool) -> Result<String, String> {
    let (tasks, repeat) = if quick { (200, 3) } else { (1000, 9) };
    let pool = Pool::new(&NOOP, 2).map_err(|e| e.to_string())?;
    let median = |f: &dyn Fn() -> bool| -> Result<Duration, String> {
        let mut times = Vec::new();
        for _ in 0..repeat {
            let start = Instant::now();
            if !f() {
                return Err("a no-op task failed".into());
            }
            times.push(start.elapsed());
        }
        times.sort();
        Ok(times[times.len() / 2])
    };
    let items = || 0..tasks;
    let pipelined = median(&|| pool.imap_unordered(items(), 1).all(|(_, r)| r.is_ok()))? / tasks;
    let mapped = median(&|| pool.map(items()).iter().all(Result::is_ok))? / tasks;
    let trips = tasks / 10;
    let round = median(&|| (0..trips).all(|i| pool.apply(i) == Ok(i)))? / trips;
    Ok(format!(
        "2 workers, median of {repeat} runs\npipelined, chunksize 1, {tasks} no-ops   {} per task\nmap, default chunksize, {tasks} no-ops   {} per task\nround trip, apply one at a time          {} per task\n",
        lesson::human(pipelined),
        lesson::human(mapped),
        lesson::human(round)
    ))
}
