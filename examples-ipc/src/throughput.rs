//! Messages per second through std mpsc, crossbeam-channel and ipc-channel, one at a time and batched.
