//! Translates: "Python multiprocessing: True Parallelism", "Inter-Process Communication", the results read back with `while not results_queue.empty()`.
//!
//! The tutorial's collecting loop, run while the consumers are still at work instead of after
//! joining them. Three consumer processes (this program run again, `ROLE` naming the ipc-channel
//! one-shot server where the parent hands it its items) each take 100 ms per item and send each
//! result back. `try_recv` until the channel is empty is `while not results_queue.empty()`: run
//! at once, it stops at the first moment nothing has arrived yet. "Empty" means "nothing right
//! now", not "done". ipc-channel can tell done apart: once every sender is gone (the consumers
//! have exited and the parent dropped its own), `try_recv` reports the channel closed, not empty.

use ipc_channel::ipc::{self, IpcOneShotServer as Server, IpcSender as Tx};
use ipc_channel::{IpcError::Disconnected, TryRecvError::IpcError};
use std::{env, error::Error, iter, process::Command, thread, time::Duration};

type Res = Result<(), Box<dyn Error>>;

fn consumer(items: Vec<u64>, results_queue: Tx<(u64, u64)>, name: u64) -> Res {
    for id in items {
        thread::sleep(Duration::from_millis(100)); // Simulate processing
        results_queue.send((id, id * id))?;
        println!("Consumer {name} processed item {id}");
    }
    Ok(())
}

fn main() -> Res {
    if let Ok(server) = env::var("ROLE") {
        let (to_me, from_parent) = ipc::channel()?;
        Tx::connect(server)?.send(to_me)?;
        let (items, results_queue, name) = from_parent.recv()?;
        return consumer(items, results_queue, name);
    }
    let ((results, results_queue), exe) = (ipc::channel()?, env::current_exe()?);
    let mut consumers = vec![];
    for name in 0..3 {
        let (server, role) = Server::<Tx<(Vec<u64>, Tx<(u64, u64)>, u64)>>::new()?;
        consumers.push(Command::new(&exe).env("ROLE", role).spawn()?);
        let items = (name..10).step_by(3).collect(); // 10 items, dealt to 3 consumers
        server.accept()?.1.send((items, results.clone(), name))?;
    }
    drop(results); // only the consumers hold a sender now
    let early: Vec<_> = iter::from_fn(|| results_queue.try_recv().ok()).collect();
    println!(
        "while not empty(), right away: {} of 10 results",
        early.len()
    );
    for mut c in consumers {
        assert!(c.wait()?.success(), "a consumer failed");
    }
    let late: Vec<_> = iter::from_fn(|| results_queue.try_recv().ok()).collect();
    let all = early.len() + late.len();
    println!(
        "the same loop after joining: {} more, {all} of 10 in all",
        late.len()
    );
    let closed = matches!(results_queue.try_recv(), Err(IpcError(Disconnected)));
    println!("with every sender gone, the channel reads as closed: {closed}");
    Ok(())
}
