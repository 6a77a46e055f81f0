//! ipc-channel's packets read by hand, so the manager checks what a peer sent before it believes
//! a length or allocates for it.
//!
//! On Linux an ipc-channel channel is a pair of sequenced-packet Unix sockets. A message travels
//! as one packet that starts with a header of two native `usize`s, the packet's own length and the
//! whole message's, followed by the serialized bytes; channel ends inside the message travel as
//! file descriptors attached to the packet. A message too large for one packet goes as a first
//! packet carrying the header and the receiving end of a fresh *dedicated* channel, and the rest
//! follows on that channel.
//!
//! ipc-channel's own `recv` trusts the header: it unwraps the dedicated channel (a panic when there
//! is none), reserves the announced length (an abort when a peer announces a terabyte), and then
//! waits, with no deadline, for the rest. Whoever holds a sender can write any packet, so the
//! manager reads its door and its connections here instead: one whole packet at a time into a
//! buffer of a size it chose, a length checked against a bound before anything is allocated for
//! it, and a deadline for the rest of a message. Only what passes goes on to deserialization.
//!
//! What it cannot read by hand it gets ipc-channel to build: an `IpcSender` out of a descriptor
//! that arrived in a packet. [`Bridge`] forwards such descriptors, in a packet of its own making,
//! to an ipc-channel receiver, which turns them into the typed ends the rest of the code uses.

use crate::socket::StartSocket;
use ipc_channel::ipc::IpcReceiver;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io;
use std::mem::{size_of, size_of_val, zeroed};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};
use std::{fmt, ptr};

/// ipc-channel's packet header: this packet's length, then the whole message's.
pub(super) const HEADER: usize = 2 * size_of::<usize>();

#[cfg(target_os = "linux")]
const SOCK_CLOEXEC: libc::c_int = libc::SOCK_CLOEXEC;
#[cfg(not(target_os = "linux"))]
const SOCK_CLOEXEC: libc::c_int = 0;
#[cfg(target_os = "linux")]
const MSG_CMSG_CLOEXEC: libc::c_int = libc::MSG_CMSG_CLOEXEC;
#[cfg(not(target_os = "linux"))]
const MSG_CMSG_CLOEXEC: libc::c_int = 0;
#[cfg(target_os = "linux")]
const MSG_NOSIGNAL: libc::c_int = libc::MSG_NOSIGNAL;
#[cfg(not(target_os = "linux"))]
const MSG_NOSIGNAL: libc::c_int = 0;

/// One packet as it arrived: its bytes, the descriptors attached to it (closed when dropped), and
/// whether the kernel had to cut it (more bytes or descriptors than there was room for).
#[derive(Debug)]
pub(super) struct Packet {
    pub bytes: Vec<u8>,
    pub fds: Vec<OwnedFd>,
    pub cut: bool,
}

impl Packet {
    /// The serialized message, if this packet is a whole, single-packet ipc-channel message.
    pub fn whole_message(&self) -> Option<&[u8]> {
        let (len, total) = header(&self.bytes)?;
        (!self.cut && len == self.bytes.len() && total == len - HEADER)
            .then(|| &self.bytes[HEADER..])
    }
}

/// The header's two lengths, if the bytes are long enough to hold one.
fn header(bytes: &[u8]) -> Option<(usize, usize)> {
    let word = |at: usize| -> Option<usize> {
        Some(usize::from_ne_bytes(
            bytes.get(at..at + size_of::<usize>())?.try_into().ok()?,
        ))
    };
    Some((word(0)?, word(size_of::<usize>())?))
}

/// A single-packet ipc-channel message around `data`, as ipc-channel itself would send it.
pub(super) fn frame(data: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER + data.len());
    bytes.extend_from_slice(&(HEADER + data.len()).to_ne_bytes());
    bytes.extend_from_slice(&data.len().to_ne_bytes());
    bytes.extend_from_slice(data);
    bytes
}

/// Why a connection's next message could not be read. Each one ends that connection only.
#[derive(Debug)]
pub(super) enum BadMessage {
    /// The peer hung up (or sent an empty packet, which ipc-channel never does).
    Closed,
    /// The header or the attached descriptors do not describe an ipc-channel message.
    Malformed(&'static str),
    /// The message announces more bytes than the bound.
    TooLarge {
        announced: usize,
        limit: usize,
    },
    /// The rest of a message in several packets did not arrive in time.
    Slow(Duration),
    Io(io::Error),
}

impl fmt::Display for BadMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadMessage::Closed => write!(f, "the peer hung up"),
            BadMessage::Malformed(what) => write!(f, "malformed message: {what}"),
            BadMessage::TooLarge { announced, limit } => {
                write!(
                    f,
                    "a message of {announced} bytes, over the limit of {limit}"
                )
            }
            BadMessage::Slow(deadline) => {
                write!(
                    f,
                    "the rest of a message did not arrive within {deadline:?}"
                )
            }
            BadMessage::Io(err) => write!(f, "{err}"),
        }
    }
}

impl From<io::Error> for BadMessage {
    fn from(err: io::Error) -> Self {
        BadMessage::Io(err)
    }
}

fn os_result(result: isize) -> io::Result<usize> {
    usize::try_from(result).map_err(|_| io::Error::last_os_error())
}

/// Retries `call` while it fails with `EINTR` (a signal arrived while it waited).
fn restarting(mut call: impl FnMut() -> isize) -> io::Result<usize> {
    loop {
        match os_result(call()) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A connected pair of sequenced-packet sockets: the same kind of channel ipc-channel makes.
pub(super) fn socketpair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    let kind = libc::SOCK_SEQPACKET | SOCK_CLOEXEC;
    // SAFETY: `fds` is an array of two ints for `socketpair` to fill; nothing else is read.
    if unsafe { libc::socketpair(libc::AF_UNIX, kind, 0, fds.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created by `socketpair` and belong to nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Whether `fd` is a socket: only sockets can be ipc-channel channel ends.
pub(super) fn is_socket(fd: &OwnedFd) -> bool {
    // SAFETY: a zeroed `stat` is a valid buffer for `fstat` to fill; `fd` is open (we own it).
    unsafe {
        let mut st: libc::stat = zeroed();
        libc::fstat(fd.as_raw_fd(), &mut st) == 0 && (st.st_mode & libc::S_IFMT) == libc::S_IFSOCK
    }
}

/// Control-message space for `fds` descriptors, in `u64`s so the buffer is aligned for `cmsghdr`.
fn control_buffer(fds: usize) -> Vec<u64> {
    // SAFETY: CMSG_SPACE only computes a size from its argument.
    let bytes = unsafe { libc::CMSG_SPACE((fds * size_of::<RawFd>()) as u32) } as usize;
    vec![0u64; bytes.div_ceil(size_of::<u64>())]
}

/// Receives one packet into a buffer of `capacity` bytes with room for `max_fds` descriptors,
/// waiting until one arrives. Anything larger is cut by the kernel and marked so; descriptors
/// beyond `max_fds` are closed by the kernel. Returns an empty packet once the peer has hung up.
pub(super) fn recv_packet(socket: &OwnedFd, capacity: usize, max_fds: usize) -> io::Result<Packet> {
    let mut bytes = vec![0u8; capacity];
    let mut control = control_buffer(max_fds);
    let mut iov = libc::iovec {
        iov_base: bytes.as_mut_ptr().cast(),
        iov_len: bytes.len(),
    };
    // SAFETY: a zeroed `msghdr` is a valid empty one; it points at `iov` and `control`, which
    // live until the end of this function, with their true lengths.
    let mut msg: libc::msghdr = unsafe { zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if max_fds > 0 {
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = size_of_val(control.as_slice()) as _;
    }
    // SAFETY: `msg` describes writable buffers of the lengths it states (see above).
    let n =
        restarting(|| unsafe { libc::recvmsg(socket.as_raw_fd(), &mut msg, MSG_CMSG_CLOEXEC) })?;
    // Take ownership of every descriptor first, so none leaks whatever the packet turns out to be.
    let mut fds = Vec::new();
    // SAFETY: after a successful `recvmsg`, `msg` describes the control data the kernel wrote;
    // CMSG_FIRSTHDR/NXTHDR stay inside it, and every SCM_RIGHTS entry is a descriptor the kernel
    // just installed in this process for us, taken into an `OwnedFd` exactly once.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                let len = (*cmsg).cmsg_len as usize - libc::CMSG_LEN(0) as usize;
                for i in 0..len / size_of::<RawFd>() {
                    fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    bytes.truncate(n);
    let cut = msg.msg_flags & (libc::MSG_TRUNC | libc::MSG_CTRUNC) != 0;
    Ok(Packet { bytes, fds, cut })
}

/// The length of the next packet without taking it, waiting until one arrives (0: hung up).
fn peek_len(socket: &OwnedFd) -> io::Result<usize> {
    let mut probe = [0u8; 1];
    let flags = libc::MSG_PEEK | libc::MSG_TRUNC;
    // SAFETY: `probe` is writable for the length given; with MSG_TRUNC Linux returns the whole
    // packet's length while writing at most that much.
    restarting(|| unsafe {
        libc::recv(
            socket.as_raw_fd(),
            probe.as_mut_ptr().cast(),
            probe.len(),
            flags,
        )
    })
}

/// Sends one packet with `fds` attached. With `wait == false` it never blocks: a full socket is
/// an error (`WouldBlock`), as is a peer that has gone.
pub(super) fn send_packet(
    socket: &impl AsRawFd,
    bytes: &[u8],
    fds: &[RawFd],
    wait: bool,
) -> io::Result<()> {
    let mut control = control_buffer(fds.len());
    let mut iov = libc::iovec {
        iov_base: bytes.as_ptr() as *mut libc::c_void,
        iov_len: bytes.len(),
    };
    // SAFETY: as in `recv_packet`; the kernel only reads through `iov_base`.
    let mut msg: libc::msghdr = unsafe { zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if !fds.is_empty() {
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = size_of_val(control.as_slice()) as _;
        let len = size_of_val(fds) as u32;
        // SAFETY: the control buffer has room for one header and `fds.len()` descriptors
        // (`control_buffer`), so the header CMSG_FIRSTHDR returns and its data area are inside it.
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(len) as _;
            ptr::copy_nonoverlapping(
                fds.as_ptr(),
                libc::CMSG_DATA(cmsg).cast::<RawFd>(),
                fds.len(),
            );
        }
    }
    let flags = MSG_NOSIGNAL | if wait { 0 } else { libc::MSG_DONTWAIT };
    // SAFETY: `msg` describes readable buffers of the lengths it states.
    let sent = restarting(|| unsafe { libc::sendmsg(socket.as_raw_fd(), &msg, flags) })?;
    if sent == bytes.len() {
        Ok(())
    } else {
        Err(io::Error::other("the packet went out cut short"))
    }
}

/// Waits until `socket` has something to read (or its peer hung up), at most `timeout`.
fn readable_within(socket: &OwnedFd, timeout: Duration) -> io::Result<bool> {
    let mut poll = libc::pollfd {
        fd: socket.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis().clamp(1, i32::MAX as u128) as libc::c_int;
    // SAFETY: one valid `pollfd`, and its count.
    restarting(|| unsafe { libc::poll(&mut poll, 1, ms) } as isize).map(|ready| ready > 0)
}

/// Reads the next whole message from a connection's request channel: at most `limit` bytes of
/// serialized data, the rest of a multi-packet message within `rest_deadline`. Waits as long as it
/// takes for the first packet: a quiet client is not a fault.
pub(super) fn read_message(
    socket: &OwnedFd,
    limit: usize,
    rest_deadline: Duration,
) -> Result<Vec<u8>, BadMessage> {
    let len = peek_len(socket)?;
    if len == 0 {
        return Err(BadMessage::Closed);
    }
    if len > HEADER + limit {
        return Err(BadMessage::TooLarge {
            announced: len - HEADER,
            limit,
        });
    }
    // Room for exactly the packet we peeked, and for the one descriptor a long message carries.
    // (If someone else read that packet first, a larger one is cut, and refused below.)
    let packet = recv_packet(socket, len.max(HEADER), 1)?;
    let (own, total) = header(&packet.bytes).ok_or(BadMessage::Malformed("no header"))?;
    if packet.cut || own != packet.bytes.len() {
        return Err(BadMessage::Malformed(
            "the packet's length is not what its header says",
        ));
    }
    if total > limit {
        return Err(BadMessage::TooLarge {
            announced: total,
            limit,
        });
    }
    let first = &packet.bytes[HEADER..];
    match (total.cmp(&first.len()), packet.fds.as_slice()) {
        (std::cmp::Ordering::Equal, []) => Ok(first.to_vec()),
        (std::cmp::Ordering::Greater, [rest]) => read_rest(first, total, rest, rest_deadline),
        (std::cmp::Ordering::Less, _) => Err(BadMessage::Malformed("more bytes than announced")),
        _ => Err(BadMessage::Malformed("descriptors attached to a request")),
    }
}

/// The rest of a multi-packet message, from its dedicated channel, all of it within `deadline`.
fn read_rest(
    first: &[u8],
    total: usize,
    rest: &OwnedFd,
    deadline: Duration,
) -> Result<Vec<u8>, BadMessage> {
    let mut data = vec![0u8; total]; // `total` was checked against the bound
    data[..first.len()].copy_from_slice(first);
    let mut filled = first.len();
    let until = Instant::now() + deadline;
    while filled < total {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || !readable_within(rest, left)? {
            return Err(BadMessage::Slow(deadline));
        }
        let room = &mut data[filled..];
        let flags = libc::MSG_DONTWAIT | libc::MSG_TRUNC;
        // SAFETY: `room` is writable for its length; with MSG_TRUNC the result may be larger than
        // the room (the packet was cut), which is refused below, but no more than that is written.
        let n = match restarting(|| unsafe {
            libc::recv(
                rest.as_raw_fd(),
                room.as_mut_ptr().cast(),
                room.len(),
                flags,
            )
        }) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
            Err(err) => return Err(err.into()),
        };
        if n == 0 {
            return Err(BadMessage::Closed);
        }
        if n > room.len() {
            return Err(BadMessage::Malformed("a fragment longer than the message"));
        }
        filled += n;
    }
    Ok(data)
}

/// Turns descriptors that arrived in packets into typed ipc-channel ends: it sends them, in a
/// packet of its own making, over a socket whose receiving end is an ipc-channel receiver of `T`.
///
/// ipc-channel offers no way to wrap a raw descriptor, but it does accept connections: an
/// `IpcOneShotServer` (made private to this user, see [`crate::socket`]) hands back a typed
/// receiver for whoever connects first, and we connect at once.
pub(super) struct Bridge<T> {
    tx: OwnedFd,
    rx: IpcReceiver<T>,
}

impl<T> fmt::Debug for Bridge<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bridge").field("tx", &self.tx).finish()
    }
}

impl<T: Serialize + DeserializeOwned> Bridge<T> {
    /// Opens the bridge with its first crossing: `data` is the serialized `T`, `fds` the
    /// descriptors it names, in order.
    pub fn open(data: &[u8], fds: &[RawFd]) -> io::Result<(Bridge<T>, T)> {
        let StartSocket { server, path, dir } = StartSocket::<T>::new()?;
        let tx = connect(&path)?;
        send_packet(&tx, &frame(data), fds, true)?;
        let (rx, first) = server.accept().map_err(io::Error::other)?;
        drop(dir); // connected: the name is no longer needed
        Ok((Bridge { tx, rx }, first))
    }

    /// One crossing: the same form as [`Bridge::open`]'s. The caller builds `data` itself, so it
    /// is always a well-formed message, and ipc-channel's own `recv` is safe to use on it.
    pub fn cross(&self, data: &[u8], fds: &[RawFd]) -> io::Result<T> {
        send_packet(&self.tx, &frame(data), fds, true)?;
        self.rx.recv().map_err(io::Error::other)
    }
}

/// A sequenced-packet socket connected to the Unix socket at `path`.
fn connect(path: &str) -> io::Result<OwnedFd> {
    // SAFETY: plain integer arguments; the result is checked before use.
    let fd = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_SEQPACKET | SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: just created, owned by nobody else.
    let socket = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: a zeroed `sockaddr_un` is valid; the path is copied in only if it fits with room for
    // its terminating NUL; `connect` gets that struct's address and size.
    let connected = unsafe {
        let mut addr: libc::sockaddr_un = zeroed();
        addr.sun_family = libc::AF_UNIX as _;
        if path.len() >= addr.sun_path.len() {
            return Err(io::Error::other("the socket's path is too long"));
        }
        for (dst, src) in addr.sun_path.iter_mut().zip(path.bytes()) {
            *dst = src as libc::c_char;
        }
        let len = size_of::<libc::sockaddr_un>() as libc::socklen_t;
        libc::connect(socket.as_raw_fd(), (&raw const addr).cast(), len)
    };
    if connected != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_one_whole_message() {
        let (a, b) = socketpair().unwrap();
        send_packet(&a, &frame(b"hello"), &[], false).unwrap();
        let packet = recv_packet(&b, 64, 0).unwrap();
        assert_eq!(packet.whole_message(), Some(&b"hello"[..]));
        assert!(packet.fds.is_empty() && !packet.cut);
    }

    #[test]
    fn a_long_packet_is_cut_and_extra_descriptors_are_closed() {
        let (a, b) = socketpair().unwrap();
        let (x, y) = socketpair().unwrap();
        let fds = [x.as_raw_fd(), y.as_raw_fd(), x.as_raw_fd(), y.as_raw_fd()];
        send_packet(&a, &frame(&[7; 100]), &fds, false).unwrap();
        // Room for one descriptor (rounded up by the kernel's alignment, so two fit): not four.
        let packet = recv_packet(&b, 32, 1).unwrap();
        assert!(packet.cut);
        assert!(packet.whole_message().is_none());
        assert!(packet.fds.len() < fds.len(), "{}", packet.fds.len());
    }

    #[test]
    fn a_message_over_the_limit_is_refused_before_it_is_read() {
        let (a, b) = socketpair().unwrap();
        send_packet(&a, &frame(&[1; 100]), &[], false).unwrap();
        assert!(matches!(
            read_message(&b, 50, Duration::from_secs(1)),
            Err(BadMessage::TooLarge { .. })
        ));
    }

    #[test]
    fn the_rest_of_a_long_message_must_arrive_in_time() {
        let (a, b) = socketpair().unwrap();
        let (rest_tx, rest_rx) = socketpair().unwrap();
        let mut first = Vec::new();
        first.extend_from_slice(&(HEADER + 4).to_ne_bytes());
        first.extend_from_slice(&8usize.to_ne_bytes());
        first.extend_from_slice(b"abcd");
        send_packet(&a, &first, &[rest_rx.as_raw_fd()], false).unwrap();
        let slow = read_message(&b, 64, Duration::from_millis(50));
        assert!(matches!(slow, Err(BadMessage::Slow(_))), "{slow:?}");
        // The same, with the rest sent: the whole message.
        send_packet(&a, &first, &[rest_rx.as_raw_fd()], false).unwrap();
        send_packet(&rest_tx, b"efgh", &[], false).unwrap();
        assert_eq!(
            read_message(&b, 64, Duration::from_secs(1)).unwrap(),
            b"abcdefgh"
        );
    }

    #[test]
    fn a_message_read_by_hand_matches_ipc_channel() {
        // A real ipc-channel sender over a socket we read ourselves.
        let (raw_tx, raw_rx) = socketpair().unwrap();
        let sender = adopt_sender::<Vec<String>>(raw_tx);
        let value = vec!["one".to_string(); 50_000]; // several packets' worth
        let sent = value.clone();
        let writer = std::thread::spawn(move || sender.send(sent).unwrap());
        let bytes = read_message(&raw_rx, 1 << 20, Duration::from_secs(5)).unwrap();
        writer.join().unwrap();
        let got: Vec<String> = ipc_channel::ipc::IpcMessage::from_data(bytes).to().unwrap();
        assert_eq!(got, value);
    }

    /// An `IpcSender<T>` around a raw socket, through a bridge (postcard: an ipc-channel end is
    /// the index of its descriptor, 0).
    fn adopt_sender<T: Serialize + DeserializeOwned>(
        fd: OwnedFd,
    ) -> ipc_channel::ipc::IpcSender<T> {
        let (_bridge, sender) =
            Bridge::<ipc_channel::ipc::IpcSender<T>>::open(&[0], &[fd.as_raw_fd()]).unwrap();
        sender
    }
}
