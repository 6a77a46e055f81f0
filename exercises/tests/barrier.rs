use std::panic;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use exercises::barrier::Barrier;

/// Runs `test` on a thread of its own and fails if it has not finished within 10 s, so a barrier
/// that never opens fails its test instead of hanging it. (The stuck threads stay blocked until
/// the test binary exits.) A panic inside `test` is passed on with its own message.
fn within_deadline(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(10)) {
        Ok(()) => runner
            .join()
            .expect("the test thread panicked after finishing"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(payload) => panic::resume_unwind(payload),
            Ok(()) => unreachable!("the test thread ended without reporting"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("still blocked after 10 s: some thread never got past `wait`")
        }
    }
}

/// A few milliseconds that differ from thread to thread and phase to phase, to shuffle arrivals.
fn jitter(thread: usize, phase: usize) -> Duration {
    Duration::from_millis(((thread * 7 + phase * 3) % 5) as u64)
}

#[test]
fn one_thread_never_blocks() {
    within_deadline(|| {
        let barrier = Barrier::new(1);
        for _ in 0..3 {
            assert!(
                barrier.wait(),
                "alone, a thread is always the last to arrive"
            );
        }
    });
}

#[test]
fn wait_blocks_until_the_last_thread_arrives() {
    within_deadline(|| {
        let barrier = Barrier::new(2);
        let first_passed = AtomicBool::new(false);
        thread::scope(|scope| {
            scope.spawn(|| {
                barrier.wait();
                first_passed.store(true, Ordering::SeqCst);
            });
            thread::sleep(Duration::from_millis(200));
            assert!(
                !first_passed.load(Ordering::SeqCst),
                "a thread got past `wait` while the other had not arrived"
            );
            barrier.wait();
        });
        assert!(first_passed.load(Ordering::SeqCst));
    });
}

/// Every thread records `(phase, thread)` when it finishes a phase, then waits. Nobody may record
/// a phase before all the threads have recorded the previous one.
#[test]
fn nobody_starts_a_phase_before_all_finished_the_last() {
    within_deadline(|| {
        let (threads, phases) = (6, 5);
        let barrier = Barrier::new(threads);
        let events: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
        thread::scope(|scope| {
            for t in 0..threads {
                let (barrier, events) = (&barrier, &events);
                scope.spawn(move || {
                    for phase in 0..phases {
                        thread::sleep(jitter(t, phase));
                        events.lock().unwrap().push((phase, t));
                        barrier.wait();
                    }
                });
            }
        });
        let events = events.into_inner().unwrap();
        assert_eq!(events.len(), threads * phases);
        for (phase, block) in events.chunks(threads).enumerate() {
            let mut who: Vec<usize> = block
                .iter()
                .map(|&(p, t)| {
                    assert_eq!(
                        p, phase,
                        "a thread finished phase {p} while phase {phase} was still running: {events:?}"
                    );
                    t
                })
                .collect();
            who.sort_unstable();
            assert_eq!(who, (0..threads).collect::<Vec<_>>(), "phase {phase}");
        }
    });
}

/// Many quick rounds, so a fast thread often comes back for the next round before the others have
/// even woken up from the last one. After round `r`, all `(r + 1) * threads` arrivals must be in.
#[test]
fn the_barrier_is_reusable() {
    within_deadline(|| {
        let (threads, rounds) = (4, 2000);
        let barrier = Barrier::new(threads);
        let arrivals = AtomicUsize::new(0);
        let violations = AtomicUsize::new(0);
        thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    for round in 0..rounds {
                        arrivals.fetch_add(1, Ordering::SeqCst);
                        barrier.wait();
                        if arrivals.load(Ordering::SeqCst) < (round + 1) * threads {
                            violations.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(
            violations.into_inner(),
            0,
            "threads got past `wait` before everyone arrived"
        );
        assert_eq!(arrivals.into_inner(), threads * rounds);
    });
}

#[test]
fn exactly_one_leader_per_round() {
    within_deadline(|| {
        let (threads, rounds) = (5, 50);
        let barrier = Barrier::new(threads);
        let leaders: Vec<Vec<bool>> = thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| scope.spawn(|| (0..rounds).map(|_| barrier.wait()).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a waiting thread panicked"))
                .collect()
        });
        for round in 0..rounds {
            let count = leaders.iter().filter(|l| l[round]).count();
            assert_eq!(count, 1, "round {round} had {count} leaders");
        }
    });
}
