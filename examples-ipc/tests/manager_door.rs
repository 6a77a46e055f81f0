//! The manager's door under attack: what a process holding the door (a `Ticket`), with or without
//! the key, can send it, and that each bad, oversized or slow message costs only its sender's own
//! connection. After every attack a real client with the key still connects and works, and the
//! server shuts down cleanly with only that client's writes.
//!
//! The attacks are built the way a hostile worker would build them. A `Ticket` is a serde type
//! around an ipc-channel sender, so a worker can receive it as a look-alike type whose door is an
//! `IpcBytesSender` and send raw bytes through ipc-channel (the review's single garbage byte); and
//! any holder of the door's file descriptor can write packets with `sendmsg` directly, headers and
//! all (`forge` below gets that descriptor the same way any process could: it sends the ticket
//! over a socket it reads itself).
//!
//! `harness = false`: the manager's server re-executes this binary, so `main` calls `init` first.

use ipc_channel::ipc::{self, IpcBytesSender};
use multiproc::manager::{
    AUTHKEY_LEN, Limits, Manager, ManagerError, OpError, SERVER, Ticket, Value,
};
use multiproc::{harness, init, signal};
use serde::{Deserialize, Serialize};
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

/// A `Ticket` as a hostile worker sees it: the same two fields, serialized the same way (an
/// ipc-channel sender travels as a file descriptor, whatever its message type).
#[derive(Serialize, Deserialize)]
struct LookAlikeTicket {
    door: IpcBytesSender,
    authkey: Vec<u8>,
}

/// Receives `ticket` as the look-alike type, through a real ipc-channel.
fn look_alike(ticket: Ticket) -> LookAlikeTicket {
    let (tx, rx) = ipc::channel::<Ticket>().unwrap();
    tx.send(ticket).unwrap();
    rx.to_opaque().to::<LookAlikeTicket>().recv().unwrap()
}

/// Raw packets on Unix sockets: what any holder of a descriptor can send.
mod forge {
    use ipc_channel::ipc::IpcSender;
    use serde::Serialize;
    use std::io;
    use std::mem::{size_of, zeroed};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// ipc-channel's packet header: this packet's length, then the whole message's.
    pub const HEADER: usize = 2 * size_of::<usize>();

    /// One ipc-channel packet: the header, then `data`, announcing a message of `total` bytes.
    pub fn packet(data: &[u8], total: usize) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER + data.len());
        bytes.extend_from_slice(&(HEADER + data.len()).to_ne_bytes());
        bytes.extend_from_slice(&total.to_ne_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    /// The serialized hello the door expects (postcard: variant 0, the key with its length, then
    /// the indexes of the two channel ends among the packet's descriptors).
    pub fn hello(authkey: &[u8]) -> Vec<u8> {
        let mut data = vec![0u8, authkey.len() as u8];
        data.extend_from_slice(authkey);
        data.extend_from_slice(&[0, 1]);
        data
    }

    fn check(result: isize, what: &str) -> io::Result<usize> {
        if result < 0 {
            let err = io::Error::last_os_error();
            Err(io::Error::new(err.kind(), format!("{what}: {err}")))
        } else {
            Ok(result as usize)
        }
    }

    /// A connected pair of sequenced-packet sockets, what ipc-channel makes for a channel.
    pub fn socketpair() -> (OwnedFd, OwnedFd) {
        let mut fds = [0; 2];
        // SAFETY: `fds` is a valid array of two ints for `socketpair` to fill.
        let r = unsafe {
            libc::socketpair(
                libc::AF_UNIX,
                libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
                0,
                fds.as_mut_ptr(),
            )
        };
        assert_eq!(r, 0, "socketpair: {}", io::Error::last_os_error());
        // SAFETY: both descriptors were just created and are owned by nobody else.
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
    }

    /// Sends one packet with `fds` attached; never blocks.
    pub fn send(socket: &impl AsRawFd, bytes: &[u8], fds: &[RawFd]) -> io::Result<()> {
        let mut iov = libc::iovec {
            iov_base: bytes.as_ptr() as *mut libc::c_void,
            iov_len: bytes.len(),
        };
        // u64s, so the control buffer is aligned for `cmsghdr`.
        let mut control = [0u64; 8];
        // SAFETY: a zeroed `msghdr` is a valid empty one; the fields set below point at `iov`
        // and `control`, which outlive the call. The control buffer (64 bytes) holds the header
        // and up to 4 descriptors, and CMSG_FIRSTHDR/CMSG_DATA point inside it.
        let sent = unsafe {
            let mut msg: libc::msghdr = zeroed();
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            if !fds.is_empty() {
                assert!(fds.len() <= 4);
                let len = size_of_val(fds) as u32;
                msg.msg_control = control.as_mut_ptr().cast();
                msg.msg_controllen = libc::CMSG_SPACE(len) as _;
                let cmsg = libc::CMSG_FIRSTHDR(&msg);
                (*cmsg).cmsg_level = libc::SOL_SOCKET;
                (*cmsg).cmsg_type = libc::SCM_RIGHTS;
                (*cmsg).cmsg_len = libc::CMSG_LEN(len) as _;
                std::ptr::copy_nonoverlapping(
                    fds.as_ptr(),
                    libc::CMSG_DATA(cmsg).cast::<RawFd>(),
                    fds.len(),
                );
            }
            libc::sendmsg(
                socket.as_raw_fd(),
                &msg,
                libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
            )
        };
        check(sent, "sendmsg").map(drop)
    }

    /// Receives one packet, waiting at most `timeout_ms`; `None` if nothing came.
    pub fn recv(socket: &impl AsRawFd, timeout_ms: i32) -> Option<(Vec<u8>, Vec<OwnedFd>)> {
        let mut poll = libc::pollfd {
            fd: socket.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid `pollfd`.
        if unsafe { libc::poll(&mut poll, 1, timeout_ms) } != 1 {
            return None;
        }
        let mut bytes = vec![0u8; 64 * 1024];
        let mut iov = libc::iovec {
            iov_base: bytes.as_mut_ptr().cast(),
            iov_len: bytes.len(),
        };
        let mut control = [0u64; 8];
        let mut fds = Vec::new();
        // SAFETY: as in `send`; the kernel writes at most `msg_controllen` control bytes, and
        // every SCM_RIGHTS descriptor it installs is taken into an `OwnedFd` exactly once.
        let n = unsafe {
            let mut msg: libc::msghdr = zeroed();
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = size_of_val(&control) as _;
            let n = libc::recvmsg(socket.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC);
            let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
            while n >= 0 && !cmsg.is_null() {
                if (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                    let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                    let count = ((*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize)
                        / size_of::<RawFd>();
                    for i in 0..count {
                        fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                    }
                }
                cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
            }
            n
        };
        bytes.truncate(check(n, "recvmsg").ok()?);
        Some((bytes, fds))
    }

    /// Fills `socket`'s buffer until a send would block: a peer that never reads.
    pub fn fill(socket: &impl AsRawFd) {
        let block = packet(&[0u8; 1024], 1024);
        while send(socket, &block, &[]).is_ok() {}
    }

    /// The file descriptors `value` carries (its ipc-channel ends), as any process can get them:
    /// send it with ipc-channel to a listening socket of our own and read the packet by hand.
    pub fn descriptors_of<T: Serialize>(value: T) -> Vec<OwnedFd> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "manager-door-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&dir).unwrap();
        let path = dir.join("s");
        let path_str = path.to_str().unwrap().to_string();
        // SAFETY: plain integer arguments; the result is checked.
        let listener =
            unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC, 0) };
        assert!(listener >= 0);
        // SAFETY: just created, owned by nobody else.
        let listener = unsafe { OwnedFd::from_raw_fd(listener) };
        // SAFETY: a zeroed `sockaddr_un` is valid; the path fits (checked) with its NUL; the
        // pointer and length passed describe that one struct.
        unsafe {
            let mut addr: libc::sockaddr_un = zeroed();
            addr.sun_family = libc::AF_UNIX as _;
            assert!(path_str.len() < addr.sun_path.len());
            for (dst, src) in addr.sun_path.iter_mut().zip(path_str.bytes()) {
                *dst = src as libc::c_char;
            }
            let len = size_of::<libc::sockaddr_un>() as libc::socklen_t;
            let addr = (&raw const addr).cast::<libc::sockaddr>();
            assert_eq!(libc::bind(listener.as_raw_fd(), addr, len), 0);
            assert_eq!(libc::listen(listener.as_raw_fd(), 1), 0);
        }
        let sender = IpcSender::<T>::connect(path_str).unwrap();
        // SAFETY: null address pointers are allowed (we do not want the peer's address).
        let conn = unsafe {
            libc::accept4(
                listener.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                libc::SOCK_CLOEXEC,
            )
        };
        assert!(conn >= 0);
        // SAFETY: just accepted, owned by nobody else.
        let conn = unsafe { OwnedFd::from_raw_fd(conn) };
        sender.send(value).unwrap();
        let (_, fds) = recv(&conn, 5_000).expect("the value arrives");
        let _ = std::fs::remove_dir_all(&dir);
        fds
    }
}

/// The door's own file descriptor, taken out of a ticket.
fn door_of(ticket: &Ticket) -> OwnedFd {
    let mut fds = forge::descriptors_of(ticket.clone());
    assert_eq!(fds.len(), 1, "a ticket carries one channel end");
    fds.remove(0)
}

/// The real key, as a worker holding the ticket has it.
fn key_of(ticket: &Ticket) -> Vec<u8> {
    look_alike(ticket.clone()).authkey
}

/// After an attack: the server process still runs, and a real client with the key connects,
/// writes and reads back within the client's own connect timeout.
fn a_real_client_still_works(manager: &Manager, key: &str) {
    assert!(
        signal::pid_exists(manager.pid()),
        "the server process is gone"
    );
    let start = Instant::now();
    let d = match manager.ticket().dict() {
        Ok(d) => d,
        Err(err) => panic!("a real client could not connect: {err}"),
    };
    d.set(key, 1).expect("set");
    assert_eq!(d.get(key).expect("get"), Some(1));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

/// Shuts down and checks that only the real clients' keys were written.
fn shuts_down_with(manager: Manager, keys: &[&str]) {
    let contents = manager.shutdown().expect("a clean shutdown");
    let got: Vec<&str> = contents.dict.keys().map(String::as_str).collect();
    assert_eq!(got, keys);
}

fn a_garbage_byte_through_ipc_channel() {
    let manager = Manager::start().unwrap();
    let door = look_alike(manager.ticket()).door;
    door.send(&[0xff]).unwrap(); // the review's attack: one byte, framed by ipc-channel itself
    a_real_client_still_works(&manager, "after_garbage_byte");
    door.send(&[]).unwrap();
    door.send(&[0u8; 300]).unwrap();
    a_real_client_still_works(&manager, "after_more_garbage");
    shuts_down_with(manager, &["after_garbage_byte", "after_more_garbage"]);
}

fn garbage_packets_at_the_os_layer() {
    let manager = Manager::start().unwrap();
    let door = door_of(&manager.ticket());
    for bytes in [&[0x42][..], &[], &[7; 15], &forge::packet(&[1, 2, 3], 2)] {
        forge::send(&door, bytes, &[]).unwrap();
    }
    // A packet carrying descriptors that are not channels, and too many of them.
    let file = std::fs::File::open("/dev/null").unwrap();
    let (a, b) = forge::socketpair();
    let fds = [file.as_raw_fd(), a.as_raw_fd(), b.as_raw_fd()];
    forge::send(&door, &forge::packet(&forge::hello(&[0; 32]), 36), &fds).unwrap();
    a_real_client_still_works(&manager, "after_raw_garbage");
    shuts_down_with(manager, &["after_raw_garbage"]);
}

fn an_oversized_header() {
    let manager = Manager::start().unwrap();
    let door = door_of(&manager.ticket());
    let tera = 1usize << 40;
    // Without a descriptor: ipc-channel would unwrap a missing channel and panic.
    forge::send(&door, &forge::packet(&[], tera), &[]).unwrap();
    a_real_client_still_works(&manager, "after_huge_header");
    // With one: ipc-channel would try to allocate a terabyte for the rest of the message.
    let (rest_tx, rest_rx) = forge::socketpair();
    forge::send(&door, &forge::packet(&[], tera), &[rest_rx.as_raw_fd()]).unwrap();
    drop(rest_tx);
    a_real_client_still_works(&manager, "after_huge_header_with_a_channel");
    shuts_down_with(
        manager,
        &["after_huge_header", "after_huge_header_with_a_channel"],
    );
}

fn a_first_fragment_with_no_rest() {
    let manager = Manager::start().unwrap();
    let door = door_of(&manager.ticket());
    // Announces 1 MiB, sends 100 bytes, and keeps the channel for the rest open, silent.
    let (rest_tx, rest_rx) = forge::socketpair();
    let first = forge::packet(&[0u8; 100], 1 << 20);
    forge::send(&door, &first, &[rest_rx.as_raw_fd()]).unwrap();
    a_real_client_still_works(&manager, "after_a_stalled_fragment");
    drop(rest_tx);
    shuts_down_with(manager, &["after_a_stalled_fragment"]);
}

fn a_silent_peer_that_never_reads_its_answer() {
    let manager = Manager::start().unwrap();
    let door = door_of(&manager.ticket());
    // A hello with a wrong key whose reply channel is already full: answering it would block.
    let (requests_rx, _requests_tx) = forge::socketpair();
    let (replies_tx, replies_rx) = forge::socketpair();
    forge::fill(&replies_tx);
    let hello = forge::hello(&[0x42; AUTHKEY_LEN]);
    let fds = [requests_rx.as_raw_fd(), replies_tx.as_raw_fd()];
    forge::send(&door, &forge::packet(&hello, hello.len()), &fds).unwrap();
    // And one that holds the door and says nothing at all.
    let _silent = door_of(&manager.ticket());
    a_real_client_still_works(&manager, "beside_silent_peers");
    drop(replies_rx);
    shuts_down_with(manager, &["beside_silent_peers"]);
}

fn a_keyed_client_with_a_bad_message_loses_only_its_connection() {
    let manager = Manager::start().unwrap();
    let ticket = manager.ticket();
    let door = door_of(&ticket);
    let key = key_of(&ticket);
    let honest = ticket.dict().unwrap();
    honest.set("honest", 1).unwrap();
    // A connection made by hand, with the key: our raw ends of both channels.
    let (requests_rx, requests_tx) = forge::socketpair();
    let (replies_tx, replies_rx) = forge::socketpair();
    let hello = forge::hello(&key);
    let fds = [requests_rx.as_raw_fd(), replies_tx.as_raw_fd()];
    forge::send(&door, &forge::packet(&hello, hello.len()), &fds).unwrap();
    drop((requests_rx, replies_tx));
    assert!(
        forge::recv(&replies_rx, 5_000).is_some(),
        "the keyed hello was answered"
    );
    // A request announcing a terabyte.
    let (rest_tx, rest_rx) = forge::socketpair();
    forge::send(
        &requests_tx,
        &forge::packet(&[], 1 << 40),
        &[rest_rx.as_raw_fd()],
    )
    .unwrap();
    drop(rest_tx);
    // The server closes that connection: our reply channel reads end-of-file.
    let closed = forge::recv(&replies_rx, 5_000);
    assert!(
        closed.as_ref().is_some_and(|(bytes, _)| bytes.is_empty()),
        "the bad connection was closed: {closed:?}"
    );
    // Everyone else is untouched: the honest connection opened before, and a new one.
    assert_eq!(honest.add("honest", 1).unwrap(), 2);
    a_real_client_still_works(&manager, "new_client");
    drop(honest);
    shuts_down_with(manager, &["honest", "new_client"]);
}

fn a_shutdown_without_the_key_is_ignored() {
    let manager = Manager::start().unwrap();
    let door = door_of(&manager.ticket());
    // Door::Shutdown (variant 1) with a wrong key.
    let mut data = vec![1u8, AUTHKEY_LEN as u8];
    data.extend_from_slice(&[9; AUTHKEY_LEN]);
    forge::send(&door, &forge::packet(&data, data.len()), &[]).unwrap();
    forge::send(&door, &forge::packet(&[1], 1), &[]).unwrap();
    thread::sleep(Duration::from_millis(100));
    a_real_client_still_works(&manager, "still_serving");
    shuts_down_with(manager, &["still_serving"]);
}

fn add_overflow_is_an_error_answer() {
    let manager = Manager::start().unwrap();
    let d = manager.ticket().dict().unwrap();
    d.set("big", Value::MAX).unwrap();
    match d.add("big", 1) {
        Err(ManagerError::Op(OpError::Overflow { .. })) => {}
        other => panic!("expected an overflow error, got {other:?}"),
    }
    assert!(matches!(
        d.add("big", Value::MIN).map(|_| d.add("big", Value::MIN)),
        Ok(Err(ManagerError::Op(OpError::Overflow { .. })))
    ));
    // The value is what the last successful add left, and the connection still works.
    assert_eq!(d.get("big").unwrap(), Some(-1));
    assert_eq!(d.add("big", 1).unwrap(), 0);
    drop(d);
    manager.shutdown().unwrap();
}

fn too_many_connections_are_refused() {
    let limits = Limits {
        connections: 2,
        ..Limits::default()
    };
    let manager = Manager::start_with(limits).unwrap();
    let ticket = manager.ticket();
    let first = ticket.dict().unwrap();
    let second = ticket.list().unwrap();
    match ticket.dict() {
        Err(ManagerError::Busy) => {}
        other => panic!("a third connection was not refused: {other:?}"),
    }
    // A forged key is still told it is refused, not that the server is busy.
    assert!(matches!(
        ticket.with_authkey(vec![1; AUTHKEY_LEN]).dict(),
        Err(ManagerError::Refused)
    ));
    first.set("a", 1).unwrap();
    second.append(1).unwrap();
    // Once a client leaves, its place is free again.
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(5);
    let third = loop {
        match ticket.dict() {
            Ok(d) => break d,
            Err(ManagerError::Busy) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(10))
            }
            Err(err) => panic!("no place freed: {err}"),
        }
    };
    assert_eq!(third.get("a").unwrap(), Some(1));
    drop((second, third));
    manager.shutdown().unwrap();
}

fn the_dict_and_the_list_are_bounded() {
    let limits = Limits {
        dict_keys: 3,
        list_items: 2,
        key_bytes: 8,
        ..Limits::default()
    };
    let manager = Manager::start_with(limits).unwrap();
    let d = manager.ticket().dict().unwrap();
    let l = manager.ticket().list().unwrap();
    d.update(vec![("a".into(), 1), ("b".into(), 2)]).unwrap();
    d.set("c", 3).unwrap();
    assert!(matches!(
        d.set("d", 4),
        Err(ManagerError::Op(OpError::DictFull { limit: 3 }))
    ));
    assert!(matches!(
        d.add("e", 1),
        Err(ManagerError::Op(OpError::DictFull { limit: 3 }))
    ));
    // An update that would overflow the dict changes nothing.
    assert!(d.update(vec![("a".into(), 9), ("z".into(), 9)]).is_err());
    d.set("a", 5).unwrap(); // an existing key can still change
    assert!(matches!(
        d.get("a-very-long-key"),
        Err(ManagerError::Op(OpError::KeyTooLong { limit: 8, .. }))
    ));
    l.append(1).unwrap();
    l.append(2).unwrap();
    assert!(matches!(
        l.append(3),
        Err(ManagerError::Op(OpError::ListFull { limit: 2 }))
    ));
    drop((d, l));
    let contents = manager.shutdown().unwrap();
    assert_eq!(
        contents.dict.into_iter().collect::<Vec<_>>(),
        [("a".into(), 5), ("b".into(), 2), ("c".into(), 3)]
    );
    assert_eq!(contents.list, [1, 2]);
}

const DEADLINE: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    init(&[&SERVER]);
    harness::run(
        &[
            (
                "a_garbage_byte_through_ipc_channel",
                a_garbage_byte_through_ipc_channel,
            ),
            (
                "garbage_packets_at_the_os_layer",
                garbage_packets_at_the_os_layer,
            ),
            ("an_oversized_header", an_oversized_header),
            (
                "a_first_fragment_with_no_rest",
                a_first_fragment_with_no_rest,
            ),
            (
                "a_silent_peer_that_never_reads_its_answer",
                a_silent_peer_that_never_reads_its_answer,
            ),
            (
                "a_keyed_client_with_a_bad_message_loses_only_its_connection",
                a_keyed_client_with_a_bad_message_loses_only_its_connection,
            ),
            (
                "a_shutdown_without_the_key_is_ignored",
                a_shutdown_without_the_key_is_ignored,
            ),
            (
                "add_overflow_is_an_error_answer",
                add_overflow_is_an_error_answer,
            ),
            (
                "too_many_connections_are_refused",
                too_many_connections_are_refused,
            ),
            (
                "the_dict_and_the_list_are_bounded",
                the_dict_and_the_list_are_bounded,
            ),
        ],
        DEADLINE,
    )
}
