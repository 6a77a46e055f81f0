//! Tests of the `handoff_ordering` exercise. `loom::model` runs the closure once for every
//! interleaving and every value a read may legally return, so an ordering that is wrong on some
//! machine, some day, fails here every time.

use exercises::handoff_ordering::Handoff;
use loom::sync::Arc;
use loom::thread;

#[test]
fn a_reader_that_sees_the_flag_sees_the_data() {
    loom::model(|| {
        let handoff = Arc::new(Handoff::new());
        let writer = {
            let handoff = Arc::clone(&handoff);
            thread::spawn(move || handoff.publish(42))
        };
        if let Some(value) = handoff.try_take() {
            assert_eq!(
                value, 42,
                "the reader saw the flag but the data from before it was written: the flag's \
                 store and load must form a pair that carries the data along"
            );
        }
        writer.join().unwrap();
    });
}

#[test]
fn after_the_writer_is_joined_the_data_is_there() {
    loom::model(|| {
        let handoff = Arc::new(Handoff::new());
        assert_eq!(handoff.try_take(), None, "nothing published yet");
        let writer = {
            let handoff = Arc::clone(&handoff);
            thread::spawn(move || handoff.publish(7))
        };
        writer.join().unwrap();
        assert_eq!(handoff.try_take(), Some(7));
    });
}
