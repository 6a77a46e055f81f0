//! The `channel_throughput` lesson as a student runs it: every channel delivers exactly what was
//! sent, and bad flags are refused in one line. No timing is asserted; the bench measures speed.

use lesson::testing::run;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn channel_throughput_verifies_every_channel_and_mode() {
    let out = run(
        env!("CARGO_BIN_EXE_channel_throughput"),
        &["--messages", "5000", "--batch", "64"],
        DEADLINE,
    );
    out.assert_verified();
    for row in [
        "std::sync::mpsc with 1 per message: 5000 numbers arrived",
        "crossbeam-channel with 64 per message: 5000 numbers arrived",
        "ipc-channel with 1 per message: 5000 numbers arrived",
        "ipc-channel with 64 per message: 5000 numbers arrived",
    ] {
        assert!(out.stdout.contains(row), "{row}:\n{}", out.stdout);
    }
    // 5000 numbers in Vecs of 64: 79 messages, the last one short.
    assert!(out.stdout.contains("Vec of 64    79"), "{}", out.stdout);
}

#[test]
fn channel_throughput_handles_a_single_message() {
    run(
        env!("CARGO_BIN_EXE_channel_throughput"),
        &["--messages", "1", "--batch", "2"],
        DEADLINE,
    )
    .assert_verified();
}

#[test]
fn channel_throughput_rejects_bad_flags() {
    let exe = env!("CARGO_BIN_EXE_channel_throughput");
    run(exe, &["--messages", "0"], DEADLINE).assert_usage_error("--messages");
    run(exe, &["--messages", "lots"], DEADLINE).assert_usage_error("--messages");
    run(exe, &["--batch", "1"], DEADLINE).assert_usage_error("--batch");
}
