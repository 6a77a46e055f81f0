//! Worker timelines: which worker ran what, and when, drawn as a Gantt chart in a standalone SVG
//! file. One row per worker, one bar per piece of work from its start to its end, a dead worker's
//! last piece in red. The picture explains at a glance what a table of times only hints at: a core
//! idle while another grinds on (static chunks), a pool's start-up, a worker that never came back.
//!
//! Hand-written like [`crate::chart`], for the same reasons: no build cost, every element visible.

use std::fmt::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::chart::{PALETTE, escape, nice_step};

/// Seconds since the Unix epoch: a clock every process on the machine reads alike, so a worker
/// process can stamp when it started and finished a task and its parent can place the bar.
pub fn wall_clock() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |t| t.as_secs_f64())
}

/// One piece of work on one worker's row, in seconds from the start of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The row: the worker that did it (`thread 1`, `PID 4242`).
    pub lane: String,
    pub start: f64,
    pub end: f64,
    /// Written inside the bar when it fits (`6000 numbers`, `task 7`).
    pub label: String,
    /// The worker died during it: drawn red.
    pub died: bool,
}

impl Span {
    /// Work that ended normally.
    pub fn new(lane: impl Into<String>, start: f64, end: f64, label: impl Into<String>) -> Self {
        Span {
            lane: lane.into(),
            start,
            end,
            label: label.into(),
            died: false,
        }
    }
}

/// What a pool worker sends back beside a task's result: its PID and when (by [`wall_clock`]) it
/// started and finished the task.
pub type Stamp = (u32, f64, f64);

/// How one task of a pool ended: stamped by its worker, or its worker (PID) died under it and
/// the parent noticed at the given [`wall_clock`] time.
pub type TaskEnd = Result<Stamp, (u32, f64)>;

/// A pool task as the lesson saw it come back: its index, its result with its worker's stamp, and
/// the [`wall_clock`] time it came back.
pub type Returned<O> = (usize, Result<(O, Stamp), multiproc::TaskError>, f64);

/// Draws a pool's run to `path` if a timeline was asked for and the run went right (`code` is the
/// lesson's exit code so far: a failed run draws nothing). `results` are `(task, result, when the
/// result came back)` and `origin` the [`wall_clock`] time the run started.
pub fn draw_pool<O>(
    path: Option<&Path>,
    code: std::process::ExitCode,
    title: String,
    origin: f64,
    results: &[Returned<O>],
) -> std::process::ExitCode {
    let ends: Vec<_> = (results.iter())
        .map(|(i, r, at)| (*i, task_end(r, *at)))
        .collect();
    let spans = pool_spans(origin, &ends);
    let timeline = Timeline::one(title, "pool workers (red: died under a task)", spans);
    let right = code == std::process::ExitCode::SUCCESS;
    timeline
        .save_if(path, right)
        .map_or_else(crate::Failure::report, |()| code)
}

/// How a pool task ended, for [`pool_spans`]: its worker's stamp, or the PID of the worker that
/// died under it and `noticed`, when the pool reported that.
pub fn task_end<O>(result: &Result<(O, Stamp), multiproc::TaskError>, noticed: f64) -> TaskEnd {
    match result {
        Ok((_, stamp)) => Ok(*stamp),
        Err(multiproc::TaskError::WorkerDied { pid, .. }) => Err((*pid, noticed)),
        Err(_) => Err((0, noticed)),
    }
}

/// The bars of a pool's run from `origin` (a [`wall_clock`] time): one row per worker PID, one bar
/// per task. A task whose worker died is drawn red, from that worker's previous task's end (when it
/// must have started) to when the parent noticed the death.
pub fn pool_spans(origin: f64, tasks: &[(usize, TaskEnd)]) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let done = tasks.iter().filter_map(|(i, end)| end.ok().map(|s| (i, s)));
    for (index, (pid, start, end)) in done {
        let task = format!("task {index}");
        spans.push(Span::new(
            format!("PID {pid}"),
            start - origin,
            end - origin,
            task,
        ));
    }
    for (index, (pid, noticed)) in tasks
        .iter()
        .filter_map(|(i, end)| end.err().map(|d| (i, d)))
    {
        let lane = format!("PID {pid}");
        let before = spans
            .iter()
            .filter(|s| s.lane == lane && s.end <= noticed - origin);
        let start = before.map(|s| s.end).fold(0.0, f64::max);
        spans.push(Span {
            died: true,
            ..Span::new(lane, start, noticed - origin, format!("task {index}"))
        });
    }
    // Rows in the order the workers first started work.
    spans.sort_by(|a, b| a.start.total_cmp(&b.start));
    spans
}

/// A titled Gantt chart of one or more runs (panels) on a shared time axis.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    title: String,
    panels: Vec<(String, Vec<Span>)>,
}

const LABEL_W: f64 = 120.0;
const PLOT_W: f64 = 560.0;
const ROW_H: f64 = 20.0;
const DIED: &str = "#d62728";

impl Timeline {
    pub fn new(title: impl Into<String>) -> Self {
        Timeline {
            title: title.into(),
            panels: Vec::new(),
        }
    }

    /// A timeline of one run: `spans` under the heading `name`.
    pub fn one(title: impl Into<String>, name: impl Into<String>, spans: Vec<Span>) -> Self {
        let mut timeline = Timeline::new(title);
        timeline.panel(name, spans);
        timeline
    }

    /// Adds a run under the heading `name`; rows appear in the order their lanes first appear.
    pub fn panel(&mut self, name: impl Into<String>, spans: Vec<Span>) {
        self.panels.push((name.into(), spans));
    }

    /// How many panels it has (a failed run adds none: it shows no figure).
    pub fn panels(&self) -> usize {
        self.panels.len()
    }

    /// The chart as SVG.
    pub fn svg(&self) -> String {
        let spans = self.panels.iter().flat_map(|p| &p.1);
        let end = spans.map(|s| s.end).fold(0.0_f64, f64::max).max(1e-6);
        let x = |t: f64| LABEL_W + t.max(0.0) / end * PLOT_W;
        let mut body = String::new();
        let mut y = 40.0;
        for (name, spans) in &self.panels {
            let _ = writeln!(
                body,
                r#"<text x="8" y="{:.1}" font-weight="bold">{}</text>"#,
                y + 14.0,
                escape(name)
            );
            y += ROW_H + 2.0;
            let mut lanes: Vec<&str> = Vec::new();
            for span in spans {
                if !lanes.contains(&span.lane.as_str()) {
                    lanes.push(&span.lane);
                }
            }
            let panel_end = spans.iter().map(|s| s.end).fold(0.0_f64, f64::max);
            for (row, lane) in lanes.iter().enumerate() {
                let top = y + row as f64 * ROW_H;
                // A live worker done before the others: its core idles until the run ends.
                let last = (spans.iter().filter(|s| s.lane == *lane))
                    .max_by(|a, b| a.end.total_cmp(&b.end));
                if let Some(last) = last.filter(|l| !l.died && panel_end - l.end > end * 0.02) {
                    let (left, w) = (x(last.end), x(panel_end) - x(last.end));
                    let _ = writeln!(
                        body,
                        r##"<rect x="{left:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#e8e8e8"><title>idle: {:.3}-{:.3} s</title></rect>"##,
                        top + 2.0,
                        ROW_H - 4.0,
                        last.end,
                        panel_end
                    );
                    if w > 30.0 {
                        let _ = writeln!(
                            body,
                            r##"<text x="{:.1}" y="{:.1}" fill="#777" font-size="11">idle</text>"##,
                            left + 3.0,
                            top + 14.0
                        );
                    }
                }
                let _ = writeln!(
                    body,
                    r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                    LABEL_W - 6.0,
                    top + 14.0,
                    escape(lane)
                );
                let mine = spans.iter().filter(|s| s.lane == *lane);
                for (i, span) in mine.enumerate() {
                    let (left, right) = (x(span.start), x(span.end));
                    // A worker can die in a moment: its bar stays wide enough to see.
                    let w = (right - left).max(if span.died { 6.0 } else { 1.0 });
                    let fill = if span.died { DIED } else { PALETTE[i % 2] };
                    let _ = writeln!(
                        body,
                        r#"<rect x="{left:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="{fill}" stroke="white" stroke-width="0.5"><title>{}: {:.3}-{:.3} s</title></rect>"#,
                        top + 2.0,
                        ROW_H - 4.0,
                        escape(&span.label),
                        span.start,
                        span.end
                    );
                    if span.died {
                        let _ = writeln!(
                            body,
                            r#"<text x="{:.1}" y="{:.1}" fill="{DIED}" font-size="11">✕ {}: worker died</text>"#,
                            left + w + 3.0,
                            top + 14.0,
                            escape(&span.label)
                        );
                    } else if span.label.chars().count() as f64 * 6.5 < w {
                        let _ = writeln!(
                            body,
                            r#"<text x="{:.1}" y="{:.1}" fill="white" font-size="11">{}</text>"#,
                            left + 3.0,
                            top + 14.0,
                            escape(&span.label)
                        );
                    }
                }
            }
            y += lanes.len() as f64 * ROW_H + 8.0;
        }
        let axis = y + 4.0;
        let _ = writeln!(
            body,
            r##"<line x1="{LABEL_W}" y1="{axis:.1}" x2="{:.1}" y2="{axis:.1}" stroke="#444"/>"##,
            LABEL_W + PLOT_W
        );
        let step = nice_step(end / 6.0);
        let mut tick = 0.0;
        while tick <= end * 1.0001 {
            let _ = writeln!(
                body,
                r##"<line x1="{0:.1}" y1="40" x2="{0:.1}" y2="{axis:.1}" stroke="#ddd"/><text x="{0:.1}" y="{1:.1}" text-anchor="middle" font-size="11">{2}</text>"##,
                x(tick),
                axis + 14.0,
                seconds(tick, step)
            );
            tick += step;
        }
        let height = axis + 40.0;
        let width = LABEL_W + PLOT_W + 30.0;
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0}" font-family="sans-serif" font-size="13">"#
        );
        let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="24" font-size="15" font-weight="bold" text-anchor="middle">{}</text>"#,
            width / 2.0,
            escape(&self.title)
        );
        // Grid lines first, so the bars are drawn over them.
        let (grid, rest): (Vec<&str>, Vec<&str>) =
            body.lines().partition(|l| l.contains("stroke=\"#ddd\""));
        for line in grid.into_iter().chain(rest) {
            svg.push_str(line);
            svg.push('\n');
        }
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11">seconds from the start of the run</text>"#,
            LABEL_W + PLOT_W / 2.0,
            axis + 30.0
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// [`Timeline::save`] if a timeline was asked for (`path`) and the run it draws went `right`:
    /// a failed run draws nothing.
    pub fn save_if(&self, path: Option<&Path>, right: bool) -> crate::Result<()> {
        match path {
            Some(path) if right => self.save(path),
            _ => Ok(()),
        }
    }

    /// Writes the chart to `path` and says so, or fails in one line.
    pub fn save(&self, path: &Path) -> crate::Result<()> {
        std::fs::write(path, self.svg())
            .map_err(|e| crate::Failure::msg(format!("cannot write {}: {e}", path.display())))?;
        println!("timeline written to {}", path.display());
        Ok(())
    }
}

/// A tick label: as many decimals as the step needs.
fn seconds(t: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    format!("{t:.decimals$}")
}

/// Refuses, before any work, a path the lesson could not write its timeline to: one line, exit
/// code 2. A file the probe had to create is removed again, so a failed run leaves nothing.
pub fn require_writable(path: &Path) {
    let existed = path.symlink_metadata().is_ok();
    let probe = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .and_then(|_| match existed {
            true => Ok(()),
            false => std::fs::remove_file(path),
        });
    if let Err(e) = probe {
        crate::usage_error(format!(
            "cannot write the timeline to {}: {e}",
            path.display()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_worker_and_a_dead_worker_in_red() {
        let mut timeline = Timeline::new("pool <2>");
        let mut died = Span::new("PID 7", 0.5, 0.6, "task 3");
        died.died = true;
        timeline.panel(
            "run",
            vec![
                Span::new("PID 7", 0.0, 0.5, "task 1"),
                Span::new("PID 8", 0.0, 1.0, "task 2"),
                died,
            ],
        );
        let svg = timeline.svg();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("pool &lt;2&gt;"));
        assert_eq!(svg.matches(">PID 7</text>").count(), 1, "one row per lane");
        assert_eq!(svg.matches(DIED).count(), 2, "its bar and its note");
        assert!(svg.contains("✕ task 3: worker died"));
        // The longest span fills the plot: PID 8's bar is PLOT_W wide.
        assert!(svg.contains(&format!(r#"width="{PLOT_W:.1}""#)));
        assert_eq!(timeline.panels(), 1);
        assert_eq!(svg.matches(">idle<").count(), 0, "PID 7 died: not idle");
        let mut idle = Timeline::new("t");
        let (short, long) = (Span::new("a", 0.0, 0.5, "x"), Span::new("b", 0.0, 1.0, "y"));
        idle.panel("p", vec![short, long]);
        assert_eq!(
            idle.svg().matches(">idle<").count(),
            1,
            "a done early, b still working"
        );
    }

    #[test]
    fn a_dead_workers_task_runs_from_its_previous_end_to_when_it_was_noticed() {
        let tasks = [
            (0, Ok((7, 100.0, 100.5))),
            (1, Ok((8, 100.0, 101.0))),
            (2, Err((7, 100.75))),
            (3, Ok((9, 100.8, 101.2))),
        ];
        let spans = pool_spans(100.0, &tasks);
        let died: Vec<&Span> = spans.iter().filter(|s| s.died).collect();
        assert_eq!(died.len(), 1);
        assert_eq!(
            (died[0].lane.as_str(), died[0].start, died[0].end),
            ("PID 7", 0.5, 0.75)
        );
        assert_eq!(
            spans.last().unwrap().lane,
            "PID 9",
            "the replacement's row comes last"
        );
    }
}
