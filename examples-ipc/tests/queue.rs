//! The queue machinery: credits, the ledger, and whole runs in consumer processes started from
//! this test binary (hence `harness = false` and `init` first).

use multiproc::harness;
use multiproc::queue::{self, CONSUMER, Credits, InFlight, Ledger, Options, work};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn credits_stop_a_consumer_at_either_limit() {
    let limit = Credits {
        messages: 2,
        items: 10,
    };
    let mut f = InFlight::default();
    assert!(
        f.can_take(50, limit),
        "an idle consumer always gets a batch"
    );
    f.sent(4);
    assert!(f.can_take(6, limit));
    assert!(!f.can_take(7, limit), "item limit");
    f.sent(1);
    assert!(!f.can_take(1, limit), "message limit");
    f.answered(4);
    assert_eq!(
        f,
        InFlight {
            messages: 1,
            items: 1
        }
    );
    assert!(f.can_take(9, limit));
}

fn ledger_finds_missing_duplicate_and_wrong_results() {
    let mut l = Ledger::new(4, 2);
    for i in 0..4 {
        l.record((i % 2) as usize, i, work(i));
    }
    assert!(l.exact());
    assert_eq!(l.per_consumer(), &[2, 2]);
    let mut l = Ledger::new(4, 1);
    l.record(0, 0, work(0));
    l.record(0, 0, work(0));
    l.record(0, 1, 12345);
    l.record(0, 9, work(9));
    assert_eq!((l.missing(), l.duplicates(), l.wrong()), (2, 1, 2));
    assert!(!l.exact());
}

fn a_run_accounts_for_every_item_with_uneven_batches() {
    let report = queue::run(&Options::new(10_007, 3, 10)).unwrap();
    assert!(report.ledger.exact());
    assert_eq!(report.dealt, 10_007);
    for c in &report.consumers {
        assert_eq!(c.finished, Some(c.results));
        assert!(c.exit.is_some_and(|e| e.success()));
    }
}

fn tight_credits_and_huge_batches_still_finish() {
    let mut opts = Options::new(50_000, 2, 20_000);
    opts.credits = Credits {
        messages: 1,
        items: 1,
    };
    let report = queue::run(&opts).unwrap();
    assert!(report.ledger.exact());
}

fn a_killed_consumer_costs_exactly_its_unanswered_items() {
    let mut opts = Options::new(100_000, 3, 64);
    opts.kill_consumer_after = Some(5_000);
    let start = Instant::now();
    let report = queue::run(&opts).unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(
        report
            .killed
            .is_some_and(|(c, dealt)| c == 0 && dealt >= 5_000)
    );
    let dead = &report.consumers[0];
    assert_eq!(dead.finished, None);
    assert_eq!(dead.exit.map(|e| e.exitcode()), Some(-9));
    assert_eq!(report.ledger.missing(), dead.unanswered);
    assert_eq!(report.ledger.duplicates() + report.ledger.wrong(), 0);
    assert!(
        report.consumers[1..]
            .iter()
            .all(|c| c.finished == Some(c.results))
    );
}

fn main() -> ExitCode {
    multiproc::init(&[&CONSUMER]);
    harness::run(
        &[
            (
                "credits_stop_a_consumer_at_either_limit",
                credits_stop_a_consumer_at_either_limit,
            ),
            (
                "ledger_finds_missing_duplicate_and_wrong_results",
                ledger_finds_missing_duplicate_and_wrong_results,
            ),
            (
                "a_run_accounts_for_every_item_with_uneven_batches",
                a_run_accounts_for_every_item_with_uneven_batches,
            ),
            (
                "tight_credits_and_huge_batches_still_finish",
                tight_credits_and_huge_batches_still_finish,
            ),
            (
                "a_killed_consumer_costs_exactly_its_unanswered_items",
                a_killed_consumer_costs_exactly_its_unanswered_items,
            ),
        ],
        Duration::from_secs(60),
    )
}
