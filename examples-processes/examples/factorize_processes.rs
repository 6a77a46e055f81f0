//! Translates: Bendersky, "Python - parallelizing CPU-bound tasks with multiprocessing", the multiprocess factorizer.
//!
//! `mp_factorizer(nums, nprocs)`: one chunk per process, each worker's map sent back to the
//! parent, collected before the joins. A worker is this program started again with the role
//! `worker`, its chunk as arguments and the name of an ipc-channel one-shot server, where it
//! connects and sends its map: the server is the queue's place, one per worker.
//! `factorize_naive` is the one the serial translation shows, from the `workloads` crate.
use ipc_channel::ipc::{IpcOneShotServer, IpcSender};
use std::collections::HashMap;
use workloads::factorize_naive; // as in factorize_serial

// ANCHOR: processes
fn worker(nums: impl Iterator<Item = String>, out_q: IpcSender<HashMap<u64, Vec<u64>>>) {
    let mut outdict = HashMap::new();
    for n in nums.map(|n| n.parse().expect("a number")) {
        outdict.insert(n, factorize_naive(n));
    }
    out_q.send(outdict).expect("the parent is gone");
}

fn mp_factorizer(nums: &[u64], nprocs: usize) -> HashMap<u64, Vec<u64>> {
    let (mut procs, mut out_qs) = (vec![], vec![]);
    for chunk in nums.chunks(nums.len().div_ceil(nprocs)) {
        let (out_q, name) = IpcOneShotServer::<HashMap<u64, Vec<u64>>>::new().expect("no server");
        let mut p = std::process::Command::new(std::env::current_exe().expect("no path to me"));
        procs.push(
            p.args(["worker", &name]).args(chunk.iter().map(u64::to_string)).spawn().unwrap(),
        );
        out_qs.push(out_q);
    }
    // Collect all results into a single map: one map from each worker, before any join.
    let answers = out_qs.into_iter().map(|out_q| out_q.accept().expect("a worker never answered"));
    let resultdict: HashMap<_, _> = answers.flat_map(|(_, outdict)| outdict).collect();
    // Wait for all worker processes to finish
    for mut p in procs {
        assert!(p.wait().expect("wait failed").success(), "a worker failed");
    }
    resultdict
}
// ANCHOR_END: processes
fn main() {
    if let Some(name) = std::env::args().nth(2) {
        // Started as `factorize_processes worker NAME N...`: a worker.
        return worker(std::env::args().skip(3), IpcSender::connect(name).expect("no parent"));
    }
    let nums: Vec<u64> = (1_000_000_000_000..1_000_000_000_400).collect();
    let start = std::time::Instant::now();
    let serial: HashMap<_, _> = nums.iter().map(|&n| (n, factorize_naive(n))).collect();
    println!("serial:      {:.3?}", start.elapsed());
    for nprocs in [2, 4, 8] {
        let start = std::time::Instant::now();
        let factors = mp_factorizer(&nums, nprocs);
        println!("{nprocs} processes: {:.3?}", start.elapsed());
        assert_eq!(factors, serial, "{nprocs} processes disagree with the serial run");
    }
    println!("every multiprocess run matches the serial one");
}
