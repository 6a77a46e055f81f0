//! Charts as standalone SVG files: a horizontal bar chart, in the spirit of the tutorial's chart
//! of run times, and a line chart with optional log axes (speed-up against workers beside the
//! ideal line, time against N). The worker timelines are in [`crate::timeline`].
//!
//! Hand-written rather than a plotting crate (plotters would add dozens of crates and a font
//! stack to every lesson's build): it builds in no time, the SVG is plain text a test can read,
//! and a reader can see every element it draws.

use std::fmt::Write;

/// One bar: a label, a value, and a series name that picks its colour.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub series: String,
}

pub(crate) const PALETTE: [&str; 4] = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"];

/// Renders `bars` top to bottom, longest value scaled to the full width, each labelled with its
/// value in `unit`. Colours follow the order in which series first appear.
pub fn bar_chart_svg(title: &str, unit: &str, bars: &[Bar]) -> String {
    bar_chart_scaled(title, unit, bars, false)
}

/// [`bar_chart_svg`] with bar lengths on a log scale, for values that span orders of magnitude
/// (nanoseconds beside microseconds): each bar's label still gives its value.
pub fn log_bar_chart_svg(title: &str, unit: &str, bars: &[Bar]) -> String {
    bar_chart_scaled(&format!("{title} (log scale)"), unit, bars, true)
}

fn bar_chart_scaled(title: &str, unit: &str, bars: &[Bar], log: bool) -> String {
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = (longest as f64 * 7.0 + 16.0).max(150.0);
    let (plot_w, bar_h, gap, top) = (420.0, 22.0, 8.0, 40.0);
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    // On a log scale the smallest bar gets a tenth of the plot, so it never vanishes.
    let min = bars
        .iter()
        .map(|b| b.value)
        .filter(|v| *v > 0.0)
        .fold(max, f64::min);
    let length = |v: f64| match log {
        true if v > 0.0 => (v / min * 10.0).log10() / (max / min * 10.0).log10() * plot_w,
        true => 0.0,
        false => v / max * plot_w,
    };
    let height = top + bars.len() as f64 * (bar_h + gap) + 20.0;
    let width = label_w + plot_w + 90.0;
    let mut series: Vec<&str> = Vec::new();
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="24" font-size="15" font-weight="bold" text-anchor="middle">{}</text>"#,
        width / 2.0,
        escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let idx = series
            .iter()
            .position(|s| *s == bar.series)
            .unwrap_or_else(|| {
                series.push(&bar.series);
                series.len() - 1
            });
        let y = top + i as f64 * (bar_h + gap);
        let w = length(bar.value).max(1.0);
        let colour = PALETTE[idx % PALETTE.len()];
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            label_w - 8.0,
            y + bar_h * 0.7,
            escape(&bar.label)
        );
        let _ = writeln!(
            svg,
            r#"<rect x="{label_w}" y="{y}" width="{w:.1}" height="{bar_h}" fill="{colour}"/>"#
        );
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{}">{:.2} {}</text>"#,
            label_w + w + 6.0,
            y + bar_h * 0.7,
            bar.value,
            escape(unit)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// One line of a [`line_chart_svg`]: named points, drawn dashed for a reference such as the ideal.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub dashed: bool,
}

/// An axis of a [`line_chart_svg`]: its label and whether it is logarithmic (powers of ten).
#[derive(Debug, Clone)]
pub struct Axis {
    pub label: String,
    pub log: bool,
}

impl Axis {
    pub fn linear(label: &str) -> Self {
        Axis {
            label: label.into(),
            log: false,
        }
    }
    pub fn log(label: &str) -> Self {
        Axis {
            label: label.into(),
            log: true,
        }
    }

    /// The axis's range over `values`: from 0 for a linear axis, whole powers of ten for a log one.
    fn range(&self, values: impl Iterator<Item = f64>) -> (f64, f64) {
        let values: Vec<f64> = values
            .filter(|v| v.is_finite() && (!self.log || *v > 0.0))
            .collect();
        let max = values.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
        if self.log {
            let min = values.iter().copied().fold(max, f64::min);
            (
                min.log10().floor(),
                max.log10().ceil().max(min.log10().floor() + 1.0),
            )
        } else {
            (0.0, max + nice_step(max / 5.0) * 0.25)
        }
    }

    /// Where `value` falls in `range`, from 0 to 1.
    fn at(&self, (low, high): (f64, f64), value: f64) -> f64 {
        let v = if self.log {
            value.max(f64::MIN_POSITIVE).log10()
        } else {
            value
        };
        (v - low) / (high - low)
    }

    /// The tick values and their labels.
    fn ticks(&self, (low, high): (f64, f64)) -> Vec<(f64, String)> {
        if self.log {
            let powers = (low as i32)..=(high as i32);
            powers
                .map(|p| (10f64.powi(p), short(10f64.powi(p))))
                .collect()
        } else {
            let step = nice_step(high / 5.0);
            let count = (high / step).floor() as usize;
            (0..=count)
                .map(|i| (i as f64 * step, short(i as f64 * step)))
                .collect()
        }
    }
}

/// A line chart: each series a polyline with a dot per point (hover for its value), a legend,
/// axes with ticks. Points a log axis cannot show (zero, negative) are left out.
pub fn line_chart_svg(title: &str, x: &Axis, y: &Axis, series: &[Series]) -> String {
    let (left, top, plot_w, plot_h, legend_w) = (70.0, 40.0, 460.0, 280.0, 190.0);
    let points = || series.iter().flat_map(|s| s.points.iter());
    let (xr, yr) = (
        x.range(points().map(|p| p.0)),
        y.range(points().map(|p| p.1)),
    );
    let px = |v: f64| left + x.at(xr, v) * plot_w;
    let py = |v: f64| top + plot_h - y.at(yr, v) * plot_h;
    let (width, height) = (left + plot_w + legend_w, top + plot_h + 60.0);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="24" font-size="15" font-weight="bold" text-anchor="middle">{}</text>"#,
        left + plot_w / 2.0,
        escape(title)
    );
    for (value, label) in x.ticks(xr) {
        let _ = writeln!(
            svg,
            r##"<line x1="{0:.1}" y1="{top}" x2="{0:.1}" y2="{1}" stroke="#ddd"/><text x="{0:.1}" y="{2}" text-anchor="middle" font-size="11">{label}</text>"##,
            px(value),
            top + plot_h,
            top + plot_h + 15.0
        );
    }
    for (value, label) in y.ticks(yr) {
        let _ = writeln!(
            svg,
            r##"<line x1="{left}" y1="{0:.1}" x2="{1}" y2="{0:.1}" stroke="#ddd"/><text x="{2}" y="{3:.1}" text-anchor="end" font-size="11">{label}</text>"##,
            py(value),
            left + plot_w,
            left - 6.0,
            py(value) + 4.0
        );
    }
    let _ = writeln!(
        svg,
        r##"<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#444"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        left + plot_w / 2.0,
        top + plot_h + 38.0,
        escape(&x.label)
    );
    let _ = writeln!(
        svg,
        r#"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        top + plot_h / 2.0,
        escape(&y.label)
    );
    for (i, line) in series.iter().enumerate() {
        let colour = if line.dashed {
            "#777"
        } else {
            PALETTE[i % PALETTE.len()]
        };
        let dash = if line.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let shown: Vec<(f64, f64)> = (line.points.iter().copied())
            .filter(|&(a, b)| (!x.log || a > 0.0) && (!y.log || b > 0.0))
            .collect();
        let path: Vec<String> = shown
            .iter()
            .map(|&(a, b)| format!("{:.1},{:.1}", px(a), py(b)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
            path.join(" ")
        );
        for &(a, b) in shown.iter().filter(|_| !line.dashed) {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}"><title>{}: {} -> {}</title></circle>"#,
                px(a),
                py(b),
                escape(&line.name),
                short(a),
                short(b)
            );
        }
        let ly = top + 10.0 + i as f64 * 20.0;
        let lx = left + plot_w + 14.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/><text x="{}" y="{}">{}</text>"#,
            lx + 22.0,
            lx + 28.0,
            ly + 4.0,
            escape(&line.name)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// A round step near `rough` (1, 2 or 5 times a power of ten), for evenly spaced ticks.
pub(crate) fn nice_step(rough: f64) -> f64 {
    let rough = rough.max(1e-12);
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| m * power >= rough);
    step.unwrap_or(10.0) * power
}

/// A tick value in few characters: `0.5`, `20`, `10k`, `1M`, `1e-6`.
fn short(v: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    match v.abs() {
        0.0 => "0".into(),
        a if a >= 1e6 => format!("{}M", trim(format!("{:.1}", v / 1e6))),
        a if a >= 1e4 => format!("{}k", trim(format!("{:.1}", v / 1e3))),
        a if a >= 0.01 => trim(format!("{v:.2}")),
        _ => format!("{v:.0e}"),
    }
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_rect_per_bar_scaled_to_the_longest() {
        let bar = |label: &str, value, series: &str| Bar {
            label: label.into(),
            value,
            series: series.into(),
        };
        let svg = bar_chart_svg(
            "t <1>",
            "s",
            &[
                bar("serial", 2.0, "serial"),
                bar("2 threads", 1.0, "threads"),
            ],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("t &lt;1&gt;"));
        assert!(svg.contains(r#"width="420.0""#));
        assert!(svg.contains(r#"width="210.0""#));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(PALETTE[1]));
        let log = log_bar_chart_svg("t", "ns", &[bar("a", 1.0, "x"), bar("b", 1000.0, "x")]);
        assert!(
            log.contains(r#"width="105.0""#),
            "1 of 1000 on a log scale: a quarter"
        );
        assert!(log.contains("t (log scale)"));
    }

    #[test]
    fn a_log_log_line_chart_has_a_tick_per_power_of_ten_and_a_dashed_ideal() {
        let series = [
            Series {
                name: "rayon".into(),
                points: vec![(100.0, 1e-5), (1e4, 1e-4), (1e6, 0.0)],
                dashed: false,
            },
            Series {
                name: "ideal".into(),
                points: vec![(100.0, 1e-5), (1e6, 1e-2)],
                dashed: true,
            },
        ];
        let svg = line_chart_svg("t", &Axis::log("N"), &Axis::log("s"), &series);
        assert_eq!(
            svg.matches("<circle").count(),
            2,
            "zero has no place on a log axis"
        );
        for tick in [">100<", ">1M<", ">1e-5<", ">0.01<"] {
            assert!(svg.contains(tick), "{tick} in {svg}");
        }
        assert_eq!(
            svg.matches("stroke-dasharray").count(),
            2,
            "the line and its legend"
        );
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(short(2500.0), "2500");
        assert_eq!(short(0.25), "0.25");
    }
}
