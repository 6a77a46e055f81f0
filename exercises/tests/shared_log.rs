//! Tests of the `shared_log` exercise.

use exercises::shared_log::write_log;

#[test]
fn every_line_of_every_writer_is_there() {
    let (writers, lines) = (8, 1_000);
    let mut log = write_log(writers, lines);
    assert_eq!(log.len(), writers * lines, "lines were lost or repeated");
    log.sort();
    log.dedup();
    assert_eq!(log.len(), writers * lines, "a line appears twice");
    for w in 0..writers {
        assert!(
            log.contains(&format!("{w}:{}", lines - 1)),
            "writer {w} missing"
        );
    }
}

#[test]
fn each_writer_s_lines_stay_in_its_order() {
    let log = write_log(4, 500);
    for w in 0..4 {
        let mine: Vec<usize> = log
            .iter()
            .filter_map(|line| line.strip_prefix(&format!("{w}:")))
            .map(|i| i.parse().unwrap())
            .collect();
        assert_eq!(mine, (0..500).collect::<Vec<_>>(), "writer {w}'s lines");
    }
}

#[test]
fn no_writers_write_nothing() {
    assert!(write_log(0, 10).is_empty());
    assert!(write_log(3, 0).is_empty());
}
