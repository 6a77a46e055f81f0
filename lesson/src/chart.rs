//! A horizontal bar chart as a standalone SVG file, in the spirit of the tutorial's chart of run
//! times. Hand-written (about fifty lines) rather than a plotting crate: it builds in no time and
//! a reader can see every element it draws.

use std::fmt::Write;

/// One bar: a label, a value, and a series name that picks its colour.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub series: String,
}

const PALETTE: [&str; 4] = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"];

/// Renders `bars` top to bottom, longest value scaled to the full width, each labelled with its
/// value in `unit`. Colours follow the order in which series first appear.
pub fn bar_chart_svg(title: &str, unit: &str, bars: &[Bar]) -> String {
    let (label_w, plot_w, bar_h, gap, top) = (150.0, 420.0, 22.0, 8.0, 40.0);
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
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
        let w = (bar.value / max * plot_w).max(1.0);
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

fn escape(text: &str) -> String {
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
    }
}
