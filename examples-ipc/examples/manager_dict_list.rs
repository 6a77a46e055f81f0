//! Translates: "Python multiprocessing: True Parallelism", "Synchronization Primitives", the `Manager` dict and list.
//!
//! A manager is a server that owns the dict and the list; the workers hold proxies, and every
//! method call travels to the server and waits for its answer. Here the server is the parent,
//! once it has started the workers (Python starts a process for it, at `Manager()`), and a proxy
//! is an ipc-channel sender of calls; the server stops when no proxy is left. Four
//! worker processes, each this program run again with `ROLE` naming the one-shot server where the
//! parent hands it its proxy and id, set one key and append one item. The dict is a `BTreeMap`,
//! so it prints in key order; the list's order is whichever worker called first.

use ipc_channel::ipc::{self, IpcOneShotServer as Server, IpcSender as Tx};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, env, error::Error, process::Command};

#[derive(Serialize, Deserialize)]
enum Call {
    SetItem(String, u64), // shared_dict[key] = value
    Append(u64),          // shared_list.append(value)
}
type Proxy = Tx<(Call, Tx<()>)>; // a call, and where the manager says it is done
fn call(proxy: &Proxy, what: Call) -> Result<(), Box<dyn Error>> {
    let (done, wait) = ipc::channel()?;
    proxy.send((what, done))?;
    Ok(wait.recv()?)
}
fn worker(shared: Proxy, worker_id: u64) -> Result<(), Box<dyn Error>> {
    let key = format!("worker_{worker_id}");
    call(&shared, Call::SetItem(key, worker_id * 10))?;
    call(&shared, Call::Append(worker_id))
}
fn main() -> Result<(), Box<dyn Error>> {
    if let Ok(server) = env::var("ROLE") {
        let (to_me, from_parent) = ipc::channel()?;
        Tx::connect(server)?.send(to_me)?;
        let (shared, worker_id) = from_parent.recv()?;
        return worker(shared, worker_id);
    }
    let ((proxy, calls), exe, mut processes) = (ipc::channel()?, env::current_exe()?, vec![]);
    for i in 0..4 {
        let (server, name) = Server::<Tx<(Proxy, u64)>>::new()?;
        processes.push(Command::new(&exe).env("ROLE", name).spawn()?);
        server.accept()?.1.send((proxy.clone(), i))?;
    }
    drop(proxy); // the workers hold the only proxies now
    let (mut shared_dict, mut shared_list) = (BTreeMap::new(), vec![]);
    while let Ok((what, done)) = calls.recv() {
        match what {
            Call::SetItem(key, value) => drop(shared_dict.insert(key, value)),
            Call::Append(value) => shared_list.push(value),
        }
        let _ = done.send(()); // the proxy's call returns
    }
    for mut p in processes {
        assert!(p.wait()?.success(), "a worker failed");
    }
    println!("Dict: {shared_dict:?}");
    println!("List: {shared_list:?}");
    Ok(())
}
