//! The report's files: one self-contained HTML page (charts inline), each chart as its own SVG,
//! and the numbers as Markdown and CSV. A failed run's row says "failed" and why, never a figure.

use std::fmt::Write;
use std::path::Path;

use crate::machine::Machine;
use crate::parts::{Figure, Row, Section, Unit};
use crate::run::{Job, Outcome};

/// A part's name, what it shows, its results and its runs.
pub type Part<'a> = (&'a str, &'a str, Section, Vec<(Job, Option<Outcome>)>);

/// A figure as the report shows it.
pub fn shown(figure: &Figure, unit: Unit) -> String {
    match figure {
        Figure::Value(v) => match unit {
            Unit::Seconds => lesson::human(std::time::Duration::from_secs_f64(*v)),
            Unit::Nanos => format!("{:.1} ns", v * 1e9),
            Unit::Speedup => format!("{v:.2}x"),
            Unit::PerSecond if *v >= 1e6 => format!("{:.2}M/s", v / 1e6),
            Unit::PerSecond => format!("{:.0}k/s", v / 1e3),
        },
        Figure::Failed(_) => "failed".into(),
        Figure::Absent(_) => "not run".into(),
        Figure::None => "-".into(),
    }
}

/// How much faster Rust was, if both sides have a figure and it means something.
pub fn ratio(row: &Row) -> String {
    let (Figure::Value(rust), Figure::Value(python)) = (&row.rust, &row.python) else {
        return "-".into();
    };
    let rust_over_python = match row.unit {
        Unit::Seconds | Unit::Nanos => python / rust,
        Unit::PerSecond => rust / python,
        Unit::Speedup => return "-".into(),
    };
    if rust_over_python >= 1.0 {
        format!("Rust {rust_over_python:.1}x faster")
    } else {
        format!("Python {:.1}x faster", 1.0 / rust_over_python)
    }
}

/// Why a side has no figure, if it has none.
fn why(figure: &Figure) -> Option<&str> {
    match figure {
        Figure::Failed(why) | Figure::Absent(why) => Some(why),
        _ => None,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes report.html, report.md, report.csv and every chart's SVG into `out`.
pub fn write_all(
    out: &Path,
    machine: &Machine,
    parts: &[Part],
    root: &Path,
) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    for (_, _, section, _) in parts {
        for chart in &section.charts {
            std::fs::write(out.join(&chart.file), &chart.svg)?;
        }
    }
    std::fs::write(out.join("report.html"), html(machine, parts, root))?;
    std::fs::write(out.join("report.md"), markdown(machine, parts))?;
    std::fs::write(out.join("report.csv"), csv(parts))?;
    Ok(())
}

fn html(machine: &Machine, parts: &[Part], root: &Path) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Rust beside Python on this machine</title>\n<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:3px 8px;text-align:left}}td.n{{text-align:right}}.failed{{color:#b00;font-weight:bold}}.warn{{background:#fff3cd;padding:.5em}}pre{{background:#f6f6f6;padding:.5em;overflow:auto}}</style></head><body>\n<h1>Rust beside Python on this machine</h1>\n<p><b>Machine:</b> {}</p>\n",
        escape(&machine.line())
    );
    if machine.python.is_none() {
        h.push_str("<p class=\"warn\">Python was not found: only the Rust side ran.</p>\n");
    }
    if machine.was_busy() {
        h.push_str("<p class=\"warn\">Other programs kept the cores busy before or during the run: parallel figures may be low.</p>\n");
    }
    for (name, about, section, runs) in parts {
        let _ = writeln!(h, "<h2 id=\"{name}\">{name}</h2>\n<p>{}</p>", escape(about));
        if !section.rows.is_empty() {
            h.push_str("<table><tr><th>what</th><th>Rust</th><th>Python</th><th>ratio</th></tr>\n");
            for row in &section.rows {
                let side = |f: &Figure| match why(f) {
                    Some(why) => format!(
                        "<td class=\"{}\" title=\"{}\">{}</td>",
                        if matches!(f, Figure::Failed(_)) {
                            "failed"
                        } else {
                            "n"
                        },
                        escape(why),
                        shown(f, row.unit)
                    ),
                    None => format!("<td class=\"n\">{}</td>", shown(f, row.unit)),
                };
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td>{}{}<td>{}</td></tr>",
                    escape(&row.what),
                    side(&row.rust),
                    side(&row.python),
                    ratio(row)
                );
            }
            h.push_str("</table>\n");
            for row in &section.rows {
                for (lang, f) in [("Rust", &row.rust), ("Python", &row.python)] {
                    if let Figure::Failed(why) = f {
                        let _ = writeln!(
                            h,
                            "<p class=\"failed\">{} ({lang}) failed: {}</p>",
                            escape(&row.what),
                            escape(why)
                        );
                    }
                }
            }
        }
        for note in &section.notes {
            let _ = writeln!(h, "<p>{}</p>", escape(note));
        }
        for chart in &section.charts {
            let _ = writeln!(
                h,
                "<figure>{}<figcaption>{} ({})</figcaption></figure>",
                chart.svg,
                escape(&chart.title),
                chart.file
            );
        }
        h.push_str("<details><summary>the runs and their own output</summary>\n");
        for (job, outcome) in runs {
            let _ = writeln!(h, "<p><code>$ {}</code></p>", escape(&job.command(root)));
            match outcome {
                Some(o) => {
                    let _ = writeln!(
                        h,
                        "<pre>{}{}</pre>",
                        escape(&o.output),
                        o.failed
                            .as_ref()
                            .map_or(String::new(), |f| format!("\nFAILED: {}", escape(f)))
                    );
                }
                None => h.push_str("<p>not run: Python was not found</p>\n"),
            }
        }
        h.push_str("</details>\n");
    }
    h.push_str("</body></html>\n");
    h
}

fn markdown(machine: &Machine, parts: &[Part]) -> String {
    let mut m = format!(
        "# Rust beside Python on this machine\n\nmachine: {}\n",
        machine.line()
    );
    if machine.python.is_none() {
        m.push_str("\nPython was not found: only the Rust side ran.\n");
    }
    for (name, about, section, _) in parts {
        let _ = writeln!(m, "\n## {name}\n\n{about}\n");
        if !section.rows.is_empty() {
            m.push_str("| what | Rust | Python | ratio |\n|---|---|---|---|\n");
            for row in &section.rows {
                let _ = writeln!(
                    m,
                    "| {} | {} | {} | {} |",
                    row.what,
                    shown(&row.rust, row.unit),
                    shown(&row.python, row.unit),
                    ratio(row)
                );
            }
        }
        for note in &section.notes {
            let _ = writeln!(m, "\n{note}");
        }
        for chart in &section.charts {
            let _ = writeln!(m, "\n![{}]({})", chart.title, chart.file);
        }
    }
    m
}

fn csv(parts: &[Part]) -> String {
    let mut c = String::from("part,what,unit,rust,python,ratio,rust_status,python_status\n");
    let value = |f: &Figure| match f {
        Figure::Value(v) => format!("{v:.5e}"), // six digits: the lessons print three or four
        _ => String::new(),
    };
    let status = |f: &Figure| match f {
        Figure::Value(_) => "ok".to_string(),
        Figure::Failed(_) => "failed".into(),
        Figure::Absent(_) => "not run".into(),
        Figure::None => "none".into(),
    };
    for (name, _, section, _) in parts {
        for row in &section.rows {
            let unit = match row.unit {
                Unit::Seconds => "s",
                Unit::PerSecond => "per s",
                Unit::Nanos => "s per increment",
                Unit::Speedup => "x",
            };
            let _ = writeln!(
                c,
                "{name},\"{}\",{unit},{},{},{},{},{}",
                row.what.replace('"', "'"),
                value(&row.rust),
                value(&row.python),
                ratio(row),
                status(&row.rust),
                status(&row.python)
            );
        }
    }
    c
}
