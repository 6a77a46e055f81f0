//! Tests of the `poisoned_lock` exercise. The panics printed on stderr are the bad items' own:
//! `check` panics on purpose.

use exercises::poisoned_lock::{Recorded, check, record_all};

fn expected(items: &[u64]) -> Recorded {
    let (bad, good): (Vec<u64>, Vec<u64>) = items.iter().partition(|&&x| x % 7 == 3);
    let mut kept: Vec<u64> = good.iter().map(|&x| x * x).collect();
    kept.sort_unstable();
    Recorded {
        kept,
        panicked: bad,
    }
}

#[test]
fn check_panics_on_bad_items_only() {
    assert_eq!(check(4), 16);
    assert!(std::panic::catch_unwind(|| check(10)).is_err());
}

#[test]
fn good_items_survive_a_poisoned_lock() {
    let items: Vec<u64> = (0..60).collect();
    let got = std::panic::catch_unwind(|| record_all(&items)).unwrap_or_else(|_| {
        panic!(
            "record_all itself panicked (see the message above): once a thread has panicked \
             holding the lock, `lock()` and `into_inner()` return Err(PoisonError), and `unwrap` \
             on it panics. Take the guard (or the value) out of the error instead."
        )
    });
    let want = expected(&items);
    let innocent: Vec<u64> = got
        .panicked
        .iter()
        .copied()
        .filter(|x| !want.panicked.contains(x))
        .collect();
    assert!(
        innocent.is_empty(),
        "good items {innocent:?} were reported as panicked: after a panic, `lock()` returns \
         Err(PoisonError) in every later thread. Recover the guard from the error."
    );
    assert_eq!(got, want);
}

#[test]
fn no_bad_items_no_poison() {
    let items = [1, 2, 4, 5];
    assert_eq!(record_all(&items), expected(&items));
    assert_eq!(record_all(&[]), Recorded::default());
}

#[test]
fn only_bad_items() {
    let items = [3, 10, 17];
    assert_eq!(record_all(&items), expected(&items));
}
