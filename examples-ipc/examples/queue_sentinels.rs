//! Translates: "Python multiprocessing: True Parallelism", "Inter-Process Communication", the `Queue` with `None` sentinels.
//!
//! A producer process and three consumer processes. Each is this program run again with `ROLE`
//! set to the name of an ipc-channel one-shot server: the child connects, and the parent sends it
//! the queues' ends, a `target` (0: `producer`, 1: `consumer`) and its `args`, what Python's
//! `Process` pickles. `accept` waits for the child to connect, so it would hang if the child died
//! first.
//!
//! An ipc-channel receiver has one owner, so three consumers cannot all read one channel the way
//! they read one `multiprocessing.Queue`. The work queue's reading end stays in the parent, which
//! answers each `get` (a consumer sending where the answer should go) with the next item until no
//! process holds `get` any more. The results queue is a plain channel: every consumer holds a
//! sender, the parent reads it, with `try_recv` until it is empty (`while not q.empty()`), which
//! is right here because every process has ended by then.
//!
//! (No blank lines: with them it would not fit in the 50 lines a short translation may have.)
use ipc_channel::ipc::{self, IpcOneShotServer as Server, IpcSender as Tx};
use std::{env, error::Error, iter, process::Command, thread, time::Duration};
type Item = Option<(u64, u64)>; // Some((id, data)), or the sentinel None
type Queues = (Tx<Item>, Tx<Tx<Item>>, Tx<(u64, u64)>); // put, get, results_queue
fn producer((put, ..): Queues, num_items: u64) -> Result<(), Box<dyn Error>> {
    for id in 0..num_items {
        let data = getrandom::u64()? % 100 + 1; // random.randint(1, 100)
        put.send(Some((id, data)))?;
        println!("Produced: {{'id': {id}, 'data': {data}}}");
        thread::sleep(Duration::from_millis(100));
    }
    Ok(put.send(None)?) // Signal completion
}
fn consumer((put, get, results_queue): Queues, name: u64) -> Result<(), Box<dyn Error>> {
    loop {
        let (reply, rx) = ipc::channel()?;
        get.send(reply)?; // queue.get()
        let Some((id, data)) = rx.recv()? else { break };
        let result = data.pow(2); // Simulate processing
        results_queue.send((id, result))?;
        println!("Consumer {name} processed item {id}: {result}");
    }
    Ok(put.send(None)?) // Propagate sentinel for other consumers
}
fn main() -> Result<(), Box<dyn Error>> {
    if let Ok(server) = env::var("ROLE") {
        let (to_me, from_parent) = ipc::channel()?;
        Tx::connect(server)?.send(to_me)?;
        let (queues, target, args): (Queues, usize, u64) = from_parent.recv()?;
        return [producer, consumer][target](queues, args); // Process(target=..., args=...)
    }
    let ((put, items), (get, gets), exe) = (ipc::channel()?, ipc::channel()?, env::current_exe()?);
    let ((results, results_queue), mut processes) = (ipc::channel()?, vec![]);
    for (target, args) in [(0, 10), (1, 0), (1, 1), (1, 2)] {
        let (server, name) = Server::<Tx<(Queues, usize, u64)>>::new()?;
        processes.push(Command::new(&exe).env("ROLE", name).spawn()?);
        let queues = (put.clone(), get.clone(), results.clone());
        server.accept()?.1.send((queues, target, args))?; // the child connected: send its args
    }
    drop((put, get, results)); // only the children hold the queues now
    while let Ok(reply) = gets.recv() {
        let _ = reply.send(items.recv()?); // the queue: answers each get() with the next item
    }
    for mut p in processes {
        assert!(p.wait()?.success(), "a child failed");
    }
    let results: Vec<_> = iter::from_fn(|| results_queue.try_recv().ok()).collect();
    println!("\nCollected {} results", results.len());
    Ok(())
}
