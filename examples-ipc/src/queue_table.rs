//! The table both queue lessons (`producer_consumer`, `killed_consumer`) print after a run: one
//! row per consumer process, with what it answered, its end marker and how it exited.

use lesson::Table;
use multiproc::queue::RunReport;

/// One row per consumer: PID, results, share of all results, end marker, exit.
///
/// The tests read the PIDs back from the second column to check that no consumer outlived the
/// lesson, so the column order is part of what the lessons promise.
pub fn consumer_table(report: &RunReport) -> Table {
    let received = report.ledger.received().max(1) as f64;
    let mut table = Table::new(["consumer", "PID", "results", "share", "end marker", "exit"]);
    for (c, r) in report.consumers.iter().enumerate() {
        table.row([
            c.to_string(),
            r.pid.to_string(),
            r.results.to_string(),
            format!("{:.1}%", 100.0 * r.results as f64 / received),
            r.finished
                .map_or("none".to_string(), |h| format!("handled {h}")),
            r.exit.map_or("not reaped".to_string(), |e| e.to_string()),
        ]);
    }
    table
}
