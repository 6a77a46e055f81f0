//! Memory shared between processes, in three small pieces: a named POSIX segment that every
//! process maps ([`Segment`]), a typed view of it that refuses memory it does not recognise
//! ([`Shared`]), and a lock that works across processes and survives a holder being killed
//! ([`ProcessMutex`]).
//!
//! # Why not the `shared_memory` crate
//!
//! `shared_memory` maps a segment well, but its owner unlinks the name only in `Drop`, so an
//! owner killed with `SIGKILL` leaves the file in `/dev/shm` for good, and it has no call to
//! unlink early while keeping the mapping (one would have to `shm_unlink` its name behind its back
//! and then tell it that it no longer owns it). It also has no lock. The wrapper here is a couple
//! of hundred lines over `shm_open`, `ftruncate`, `mmap` and `shm_unlink`, and does both:
//! [`Segment::unlink`] removes the name as soon as every worker has mapped it (the mappings stay
//! valid until each process unmaps or exits), and [`remove_stale`] deletes what a killed parent
//! left before it could.
//!
//! # Names
//!
//! Every segment is `/dev/shm/multiproc-<pid>-<what>-<random>`: the creator's PID tells
//! [`remove_stale`] whether its owner is still alive, and the 64 random bits (from the operating
//! system, through `getrandom`) make the name impossible to guess. `/dev/shm` is one directory for
//! every user of the machine, and anyone may create any name in it: with names built from a PID
//! and a counter alone, another user could create them in advance and make every run fail.
//! `O_EXCL` refuses a name that exists rather than open someone else's file; a taken name is
//! retried with fresh random bits, and reported, naming the segments, if it keeps happening.
//!
//! The PID in a name is a claim anyone can make, so the sweep trusts it only for files that are
//! provably this user's and carry the toolkit's header: see [`remove_stale`]. What the names and
//! the sweep do not protect against: a process of the *same* user (it may open, change or delete
//! our segments, as it may any of our files); a live segment whose creator runs in another PID
//! namespace sharing this `/dev/shm` (its PID looks dead here, so the sweep removes it); a stale
//! segment whose creator's PID has since been reused (it is kept, until that process ends); a
//! creator killed before its header was written (the file stays, as it is not recognisably
//! ours).
//!
//! # Linux and macOS
//!
//! Segments work on both. Three things are Linux's alone, and degrade elsewhere without a compile
//! error: robust mutexes (macOS's [`ProcessMutex`] is process-shared but not robust, see
//! [`RECOVERS_FROM_DEAD_HOLDER`]), the futex under [`ProcessEvent`] (macOS polls), and `/dev/shm`
//! as a directory ([`can_list_segments`]: macOS cannot list its segments, so neither the stale
//! sweep nor the "nothing left" check has anything to look at there).

use std::cell::UnsafeCell;
use std::ffi::CString;
use std::io;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use signal_hook::consts::SIGINT;

/// Every segment a lesson creates starts with this, in `/dev/shm`.
pub const PREFIX: &str = "multiproc-";

/// How many fresh random names [`Segment::create`] tries before it reports that they were taken.
const NAME_ATTEMPTS: usize = 3;

/// A named shared-memory segment mapped into this process. The creator owns the name: it is
/// unlinked by [`Segment::unlink`] or, at the latest, when the owner is dropped.
#[derive(Debug)]
pub struct Segment {
    name: String,
    ptr: NonNull<u8>,
    len: usize,
    owns_name: bool,
}

impl Segment {
    /// Creates a new zero-filled segment of `len` bytes, named after this process, `what` and 64
    /// fresh random bits (see [Names](self#names)).
    pub fn create(what: &str, len: usize) -> io::Result<Segment> {
        Segment::create_with(what, len, || getrandom::u64().map_err(io::Error::other))
    }

    /// [`Segment::create`] with the random part from `random`, so a test can make names collide.
    fn create_with(
        what: &str,
        len: usize,
        mut random: impl FnMut() -> io::Result<u64>,
    ) -> io::Result<Segment> {
        let mut taken = Vec::new();
        for _ in 0..NAME_ATTEMPTS {
            let name = format!("/{PREFIX}{}-{what}-{:016x}", std::process::id(), random()?);
            // Counted before the name exists, so a Ctrl-C from now on knows there is one to remove.
            count_pending(1);
            let flags = libc::O_CREAT | libc::O_EXCL | libc::O_RDWR;
            match map(&name, flags, Some(len)) {
                Ok((ptr, len)) => {
                    return Ok(Segment {
                        name,
                        ptr,
                        len,
                        owns_name: true,
                    });
                }
                Err(err) => {
                    count_pending(-1);
                    if err.kind() != io::ErrorKind::AlreadyExists {
                        return Err(err);
                    }
                    // Someone made this name first; `O_EXCL` kept us off their file. Try another.
                    taken.push(name);
                }
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "cannot create a shared-memory segment: {} already existed, though each name had \
                 64 fresh random bits (is something creating segments under {SHM_DIR}/{PREFIX}?)",
                taken.join(", ")
            ),
        ))
    }

    /// Maps an existing segment by name (as [`Segment::name`] gave it), whatever its size.
    pub fn open(name: &str) -> io::Result<Segment> {
        let (ptr, len) = map(name, libc::O_RDWR, None)?;
        Ok(Segment {
            name: name.to_string(),
            ptr,
            len,
            owns_name: false,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    // ANCHOR: unlink
    /// Removes the name from `/dev/shm`. Processes that mapped the segment keep using it; nobody
    /// new can open it, and the kernel frees the memory when the last mapping goes. Idempotent.
    pub fn unlink(&mut self) -> io::Result<()> {
        if !self.owns_name {
            return Ok(());
        }
        self.owns_name = false;
        let name = CString::new(self.name.as_str()).expect("`create` made a C string of it");
        // SAFETY: `name` is a valid NUL-terminated string that outlives the call.
        let unlinked = unsafe { libc::shm_unlink(name.as_ptr()) } == 0;
        let err = io::Error::last_os_error();
        // Uncounted only once the name is gone, so a Ctrl-C until then still waits for it.
        count_pending(-1);
        if unlinked { Ok(()) } else { Err(err) }
    }
}

impl Drop for Segment {
    fn drop(&mut self) {
        let _ = self.unlink(); // runs on a panic too: the name never outlives its owner's unwinding
        // SAFETY: `ptr` and `len` are exactly what `mmap` returned, and every reference into the
        // mapping borrows this `Segment` (see `Shared`), so none outlives the unmapping.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.len) };
    }
}
// ANCHOR_END: unlink

/// `shm_open` + (for a new segment) `ftruncate` + `mmap`, closing the descriptor afterwards: the
/// mapping keeps the memory, the name keeps the segment findable. An error names the segment.
fn map(
    name: &str,
    flags: libc::c_int,
    create_len: Option<usize>,
) -> io::Result<(NonNull<u8>, usize)> {
    map_unnamed(name, flags, create_len).map_err(|err| {
        let doing = if create_len.is_some() {
            "create"
        } else {
            "open"
        };
        io::Error::new(err.kind(), format!("cannot {doing} segment {name}: {err}"))
    })
}

fn map_unnamed(
    name: &str,
    flags: libc::c_int,
    create_len: Option<usize>,
) -> io::Result<(NonNull<u8>, usize)> {
    let c_name = CString::new(name).map_err(io::Error::other)?;
    // SAFETY: `c_name` is a valid NUL-terminated string; the other arguments are plain integers.
    let fd = unsafe { libc::shm_open(c_name.as_ptr(), flags, 0o600) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let result = (|| {
        let len = match create_len {
            Some(len) => {
                let size = libc::off_t::try_from(len).map_err(io::Error::other)?;
                // SAFETY: `fd` is the descriptor we just opened; new bytes read as zero.
                if unsafe { libc::ftruncate(fd, size) } != 0 {
                    return Err(io::Error::last_os_error());
                }
                len
            }
            None => {
                // SAFETY: an all-zero `stat` is a valid value for `fstat` to overwrite.
                let mut st: libc::stat = unsafe { std::mem::zeroed() };
                // SAFETY: `fd` is open and `st` is a valid, writable `stat`.
                if unsafe { libc::fstat(fd, &mut st) } != 0 {
                    return Err(io::Error::last_os_error());
                }
                usize::try_from(st.st_size).map_err(io::Error::other)?
            }
        };
        if len == 0 {
            return Err(io::Error::other("empty segment"));
        }
        let prot = libc::PROT_READ | libc::PROT_WRITE;
        // SAFETY: a fresh shared mapping of `len` bytes of `fd`, placed wherever the kernel likes;
        // no existing memory is affected.
        let ptr = unsafe { libc::mmap(std::ptr::null_mut(), len, prot, libc::MAP_SHARED, fd, 0) };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        NonNull::new(ptr.cast::<u8>())
            .map(|p| (p, len))
            .ok_or_else(|| io::Error::other("mmap returned null"))
    })();
    // SAFETY: `fd` is open and ours; the mapping does not need it.
    unsafe { libc::close(fd) };
    if result.is_err() && create_len.is_some() {
        // SAFETY: as above; we created this name and failed to set it up, so remove it.
        unsafe { libc::shm_unlink(c_name.as_ptr()) };
    }
    result
}

// ANCHOR: stale
/// Deletes the segments a killed run of this user left in `/dev/shm`: what a parent killed
/// before it could unlink left behind. Returns how many it removed.
///
/// A name proves nothing: anyone can create any name in `/dev/shm`. So a file is deleted only if
/// all of these hold: its name is `multiproc-<pid>-...` and no process `<pid>`
/// exists; it is a regular file owned by this process's effective user; it starts with the
/// toolkit's header (the magic number [`Shared::create`] writes). Anything else, another user's
/// file above all, is left alone, however much it looks like ours.
pub fn remove_stale() -> usize {
    let Ok(dir) = std::fs::read_dir(SHM_DIR) else {
        return 0;
    };
    let mut removed = 0;
    for entry in dir.flatten() {
        let path = entry.path();
        if is_stale(&path) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether the file at `path` is a segment this toolkit made for this user, whose creator is gone.
fn is_stale(path: &std::path::Path) -> bool {
    use std::io::Read;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};

    let Some(pid) = path
        .file_name()
        .and_then(|f| f.to_str())
        .and_then(|f| f.strip_prefix(PREFIX))
        .and_then(|rest| rest.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    if crate::signal::pid_exists(pid) {
        return false;
    }
    // SAFETY: `geteuid` has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let ours = |meta: &std::fs::Metadata| meta.file_type().is_file() && meta.uid() == me;
    // Looked at before it is opened: a FIFO or a device is never opened at all.
    match std::fs::symlink_metadata(path) {
        Ok(meta) if ours(&meta) => {}
        _ => return false,
    }
    // No symlink followed, no wait on a FIFO swapped in since.
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK;
    let Ok(mut file) = std::fs::File::options()
        .read(true)
        .custom_flags(flags)
        .open(path)
    else {
        return false;
    };
    let Ok(meta) = file.metadata() else {
        return false;
    };
    let mut magic = [0u8; 8];
    ours(&meta)
        && file.read_exact(&mut magic).is_ok()
        && u64::from_ne_bytes(magic) == MAGIC
        // The name still names the file just checked. In a sticky directory like `/dev/shm`
        // only its owner, this user, could have put another file in its place.
        && std::fs::symlink_metadata(path)
            .is_ok_and(|now| now.dev() == meta.dev() && now.ino() == meta.ino())
}
// ANCHOR_END: stale

/// Where Linux shows every POSIX shared-memory segment as a file. macOS keeps them out of the
/// file system, so there the stale sweep finds nothing and no segment can be listed.
pub const SHM_DIR: &str = "/dev/shm";

/// Whether this system lists its segments in [`SHM_DIR`], so that [`segments_of`] means something.
pub fn can_list_segments() -> bool {
    std::path::Path::new(SHM_DIR).is_dir()
}

/// The segments in `/dev/shm` created by process `pid` (the lessons check theirs are gone).
/// Empty where segments cannot be listed (see [`can_list_segments`]).
pub fn segments_of(pid: u32) -> Vec<String> {
    let mine = format!("{PREFIX}{pid}-");
    std::fs::read_dir(SHM_DIR)
        .map(|dir| {
            dir.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|name| name.starts_with(&mine))
                .collect()
        })
        .unwrap_or_default()
}

// ANCHOR: interrupt
/// Segments created and not yet unlinked by this process. Only `Segment` changes it, always
/// together with `NOTHING_PENDING`, under this lock.
static PENDING: Mutex<usize> = Mutex::new(0);
/// `PENDING == 0`, as a flag: a signal handler may read an atomic, but must never take a lock.
static NOTHING_PENDING: AtomicBool = AtomicBool::new(true);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn count_pending(change: isize) {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    *pending = pending.saturating_add_signed(change);
    NOTHING_PENDING.store(*pending == 0, Ordering::SeqCst);
}

/// Makes Ctrl-C safe while a segment still has a name. SIGINT always raises the
/// [`interrupted`] flag, which the parent checks while it waits for its workers: it then unwinds,
/// `Drop` unlinks, and the program ends with [`die_of_sigint`]. Only when no segment has a name
/// does SIGINT also do what it does by default, end the process at once. Either way the process
/// ends killed by SIGINT, as a program without a handler would (a shell shows status 130). Both
/// actions are signal-hook's, so no handler is written here: a handler may run between any two
/// instructions of the program, and signal-hook's only store to an atomic or reset the handler
/// and re-raise the signal. Installed once per process.
pub fn unlink_on_interrupt() -> io::Result<()> {
    static INSTALLED: OnceLock<io::Result<()>> = OnceLock::new();
    let installed = INSTALLED.get_or_init(|| {
        signal_hook::flag::register(SIGINT, &INTERRUPTED)?;
        signal_hook::flag::register_conditional_default(SIGINT, &NOTHING_PENDING)?;
        Ok(())
    });
    match installed {
        Ok(()) => Ok(()),
        Err(err) => Err(io::Error::new(err.kind(), err.to_string())),
    }
}

/// True once Ctrl-C (SIGINT) has arrived.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Ends this process the way SIGINT's default action does, once an interrupted program has
/// cleaned up: the handler is reset and the signal raised again. So whoever started the program
/// (a shell, a test, a script) learns that it was interrupted, not that it failed, exactly as if
/// SIGINT had killed it at once: the same status whenever the Ctrl-C came.
pub fn die_of_sigint() -> ! {
    let _ = std::io::Write::flush(&mut std::io::stdout());
    // Never returns for SIGINT (it falls back on `abort` if the signal somehow survives).
    let _ = signal_hook::low_level::emulate_default_handler(SIGINT);
    std::process::exit(128 + SIGINT)
}
// ANCHOR_END: interrupt

/// A type that may live in shared memory and be read by another process.
///
/// # Safety
///
/// The implementor promises: the type is `#[repr(C)]`; all-zero bytes are a valid value; it holds
/// no pointers or references (they would mean nothing in another process); every field another
/// process may change is an atomic or sits behind a [`ProcessMutex`]; and `FINGERPRINT` is not
/// shared with any other type.
pub unsafe trait InShm: Sync {
    /// Written by the creator, checked by every opener, so a worker never reads memory laid out
    /// for another type.
    const FINGERPRINT: u64;
}

// ANCHOR: header
/// The first bytes of every segment: what it holds, and the start-up handshake.
#[repr(C, align(64))]
struct Header {
    /// [`MAGIC`] once the creator has finished initialising; stored last, with `Release`.
    magic: AtomicU64,
    fingerprint: u64,
    value_size: u64,
    slots: u64,
    /// How many workers have mapped the segment: the parent unlinks it when all have.
    mapped: AtomicU32,
    /// Set by the parent once the name is gone.
    go: ProcessEvent,
    /// How many workers the parent released, and how many are awake: the workers start their
    /// work only when all are, so they really contend.
    released: AtomicU32,
    started: AtomicU32,
}

const MAGIC: u64 = u64::from_le_bytes(*b"exsync01");
/// Where the value starts: the header, rounded up to a cache line.
const VALUE_AT: usize = 64;

/// A `T` in a shared segment, followed by `slots` `AtomicU64`s (zero for a plain value).
#[derive(Debug)]
pub struct Shared<T> {
    segment: Segment,
    slots: usize,
    _holds: PhantomData<T>,
}
// ANCHOR_END: header

impl<T: InShm> Shared<T> {
    fn value_end() -> usize {
        (VALUE_AT + size_of::<T>()).next_multiple_of(64)
    }

    /// Creates the segment, lets `init` prepare the (zeroed) value, then publishes it.
    pub fn create(
        what: &str,
        slots: usize,
        init: impl FnOnce(&T) -> io::Result<()>,
    ) -> io::Result<Self> {
        const { assert!(align_of::<T>() <= 64 && size_of::<Header>() <= VALUE_AT) };
        let segment = Segment::create(what, Self::value_end() + slots * 8)?;
        let shared = Shared {
            segment,
            slots,
            _holds: PhantomData,
        };
        init(&shared)?;
        // SAFETY: nobody else can see the segment's contents before `magic` is set, so these
        // plain writes race with nothing; the pointers are in bounds and aligned (the mapping is
        // page-aligned and `Header` is at offset 0), and no reference to the header exists yet.
        unsafe {
            let h = shared.segment.as_ptr().cast::<Header>();
            (*h).fingerprint = T::FINGERPRINT;
            (*h).value_size = size_of::<T>() as u64;
            (*h).slots = slots as u64;
        }
        shared.header().magic.store(MAGIC, Ordering::Release);
        Ok(shared)
    }

    /// Opens a segment created by [`Shared::create`] for the same `T`, checking that it is one.
    pub fn open(name: &str) -> io::Result<Self> {
        let segment = Segment::open(name)?;
        if segment.len() < VALUE_AT {
            return Err(io::Error::other(format!(
                "{name} is too small to be a segment"
            )));
        }
        let mut shared = Shared::<T> {
            segment,
            slots: 0,
            _holds: PhantomData,
        };
        if shared.header().magic.load(Ordering::Acquire) != MAGIC {
            return Err(io::Error::other(format!("{name} is not initialised")));
        }
        // SAFETY: `magic` was stored with `Release` after these fields were written, and nobody
        // writes them again.
        let (fingerprint, size, slots) = unsafe {
            let h = shared.segment.as_ptr().cast::<Header>();
            ((*h).fingerprint, (*h).value_size, (*h).slots as usize)
        };
        if fingerprint != T::FINGERPRINT || size != size_of::<T>() as u64 {
            return Err(io::Error::other(format!(
                "{name} holds another type (fingerprint {fingerprint:#x}, {size} bytes)"
            )));
        }
        if shared.segment.len() < Self::value_end() + slots * 8 {
            return Err(io::Error::other(format!(
                "{name} is shorter than its header says"
            )));
        }
        shared.slots = slots;
        Ok(shared)
    }

    fn header(&self) -> &Header {
        // SAFETY: the mapping is at least `VALUE_AT` bytes, page-aligned, and an all-zero
        // `Header` is valid; it lives as long as `self` borrows the segment.
        unsafe { &*self.segment.as_ptr().cast::<Header>() }
    }

    /// The `AtomicU64` slots after the value (the `shared_array` lesson's array).
    pub fn slots(&self) -> &[AtomicU64] {
        // SAFETY: `create` sized the segment for `slots` 8-byte slots at `value_end()` (a
        // multiple of 64, so aligned), `open` checked the length; zero bytes are valid atomics.
        unsafe {
            let first = self
                .segment
                .as_ptr()
                .add(Self::value_end())
                .cast::<AtomicU64>();
            std::slice::from_raw_parts(first, self.slots)
        }
    }

    pub fn name(&self) -> &str {
        self.segment.name()
    }

    /// See [`Segment::unlink`].
    pub fn unlink(&mut self) -> io::Result<()> {
        self.segment.unlink()
    }

    /// A worker's side of the start-up handshake: say "mapped", sleep until the parent's go (a
    /// [`ProcessEvent`], so waiting workers leave the cores to the ones still starting), then
    /// wait, spinning, until every released worker is awake. Without that last step the kernel
    /// may run freshly woken workers one after another on one core, and a race never shows.
    pub fn arrive_and_wait(&self, timeout: Duration) -> Result<(), String> {
        let header = self.header();
        let deadline = Instant::now() + timeout;
        header.mapped.fetch_add(1, Ordering::SeqCst);
        if !header.go.wait_timeout(timeout) {
            return Err(format!("no go from the parent within {timeout:?}"));
        }
        header.started.fetch_add(1, Ordering::SeqCst);
        while header.started.load(Ordering::SeqCst) < header.released.load(Ordering::SeqCst) {
            if Instant::now() > deadline {
                return Err(format!("the other workers did not wake within {timeout:?}"));
            }
            std::thread::yield_now();
        }
        Ok(())
    }

    /// How many workers have called [`Shared::arrive_and_wait`].
    pub(crate) fn mapped(&self) -> u32 {
        self.header().mapped.load(Ordering::SeqCst)
    }

    /// Releases the `workers` workers waiting in [`Shared::arrive_and_wait`].
    pub(crate) fn go(&self, workers: u32) {
        let header = self.header();
        header.released.store(workers, Ordering::SeqCst);
        header.go.set();
    }
}

impl<T: InShm> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the value sits at `VALUE_AT` (aligned: `align_of::<T>() <= 64`), inside the
        // mapping (checked at create/open), zero or initialised bytes are a valid `T` (`InShm`),
        // and every shared mutation goes through atomics or a `ProcessMutex`.
        unsafe { &*self.segment.as_ptr().add(VALUE_AT).cast::<T>() }
    }
}

// ANCHOR: mutex
/// A mutex that works between processes: a POSIX mutex marked *process-shared* (its futex word
/// is in the shared segment and the kernel keys waiters on the physical page, not on one
/// process's address space) and, on Linux, *robust* (if its holder dies, the kernel hands it to
/// the next locker with `EOWNERDEAD` instead of leaving everyone blocked forever; see
/// [`RECOVERS_FROM_DEAD_HOLDER`]).
#[repr(C)]
pub struct ProcessMutex<T> {
    raw: UnsafeCell<libc::pthread_mutex_t>,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only through a guard, and one guard exists at a time.
unsafe impl<T: Send> Sync for ProcessMutex<T> {}

/// Whether a [`ProcessMutex`] whose holder dies is handed to the next locker ([`ProcessGuard::recovered`]).
/// Linux has robust mutexes; macOS has none, so there a holder that dies keeps the lock forever,
/// and a lesson that kills a holder on purpose says it needs Linux instead of hanging.
pub const RECOVERS_FROM_DEAD_HOLDER: bool = cfg!(target_os = "linux");

impl<T> ProcessMutex<T> {
    /// Initialises the mutex in place.
    ///
    /// # Safety
    ///
    /// Call it once, before any other thread or process can reach the mutex, on memory that
    /// will not move (a shared mapping).
    pub unsafe fn init(&self) -> io::Result<()> {
        let mut attr = std::mem::MaybeUninit::<libc::pthread_mutexattr_t>::uninit();
        let attr = attr.as_mut_ptr();
        // SAFETY: `attr` is valid storage that `pthread_mutexattr_init` initialises before the
        // other calls read it; `raw` is ours alone until `init` returns (the caller's promise).
        let err = unsafe {
            let mut err = libc::pthread_mutexattr_init(attr);
            if err == 0 {
                err = libc::pthread_mutexattr_setpshared(attr, libc::PTHREAD_PROCESS_SHARED);
            }
            #[cfg(target_os = "linux")]
            if err == 0 {
                err = libc::pthread_mutexattr_setrobust(attr, libc::PTHREAD_MUTEX_ROBUST);
            }
            if err == 0 {
                err = libc::pthread_mutex_init(self.raw.get(), attr);
            }
            libc::pthread_mutexattr_destroy(attr);
            err
        };
        if err == 0 {
            Ok(())
        } else {
            Err(io::Error::from_raw_os_error(err))
        }
    }

    /// Blocks until the lock is ours. If the previous holder died holding it, the lock is made
    /// consistent again and the guard says so ([`ProcessGuard::recovered`]): whatever the dead
    /// holder was halfway through is the caller's to judge.
    pub fn lock(&self) -> io::Result<ProcessGuard<'_, T>> {
        // SAFETY: `raw` was initialised by `init` (the `InShm` creator's job) and never moves.
        let err = unsafe { libc::pthread_mutex_lock(self.raw.get()) };
        let recovered = match err {
            0 => false,
            #[cfg(target_os = "linux")]
            libc::EOWNERDEAD => {
                // SAFETY: we hold the lock (EOWNERDEAD means it was acquired).
                let err = unsafe { libc::pthread_mutex_consistent(self.raw.get()) };
                if err != 0 {
                    return Err(io::Error::from_raw_os_error(err));
                }
                true
            }
            err => return Err(io::Error::from_raw_os_error(err)),
        };
        Ok(ProcessGuard {
            mutex: self,
            recovered,
            _not_send: PhantomData,
        })
    }
}

/// Proof that the [`ProcessMutex`] is held; unlocks when dropped.
pub struct ProcessGuard<'a, T> {
    mutex: &'a ProcessMutex<T>,
    recovered: bool,
    // A POSIX mutex must be unlocked by the thread that locked it.
    _not_send: PhantomData<*const ()>,
}

impl<T> ProcessGuard<'_, T> {
    /// True if the previous holder died holding the lock.
    pub fn recovered(&self) -> bool {
        self.recovered
    }
}

impl<T> Deref for ProcessGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the lock is held, so no one else reaches the value.
        unsafe { &*self.mutex.value.get() }
    }
}

impl<T> DerefMut for ProcessGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the lock is held, so no one else reaches the value.
        unsafe { &mut *self.mutex.value.get() }
    }
}

impl<T> Drop for ProcessGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: this thread holds the lock (the guard exists and is not `Send`).
        unsafe { libc::pthread_mutex_unlock(self.mutex.raw.get()) };
    }
}
// ANCHOR_END: mutex

impl<T> std::fmt::Debug for ProcessMutex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProcessMutex { .. }")
    }
}

impl<T> std::fmt::Debug for ProcessGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessGuard")
            .field("recovered", &self.recovered)
            .finish()
    }
}

// ANCHOR: event
/// An event (Python's `multiprocessing.Event`) that works across processes: one 32-bit word in
/// shared memory, and on Linux the `futex` system call *without* `FUTEX_PRIVATE_FLAG`, so the
/// kernel finds the waiters by the memory's physical page, whichever process mapped it. `std`'s
/// own futex calls pass the private flag, which is why its `Mutex` and `Condvar` stay inside one
/// process. Elsewhere (macOS has no public futex) a waiter polls the word every [`POLL`].
#[repr(C)]
#[derive(Debug, Default)]
pub struct ProcessEvent {
    state: AtomicU32,
}

impl ProcessEvent {
    pub fn is_set(&self) -> bool {
        self.state.load(Ordering::Acquire) == 1
    }

    /// Sets the event and wakes every process waiting on it.
    pub fn set(&self) {
        self.state.store(1, Ordering::Release);
        wake_all(&self.state);
    }

    /// Waits until the event is set or `timeout` passes; true if it was set.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.is_set() {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            // May return early (a signal, a spurious wake, the poll interval): the loop checks.
            sleep_while_unset(&self.state, left);
        }
    }
}

/// Wakes every process sleeping in `futex` on `word`.
#[cfg(target_os = "linux")]
fn wake_all(word: &AtomicU32) {
    // SAFETY: the word is a live, aligned 32-bit atomic; FUTEX_WAKE only reads its address.
    unsafe { libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, i32::MAX) };
}

/// Sleeps for at most `at_most` while `word` still holds 0.
#[cfg(target_os = "linux")]
fn sleep_while_unset(word: &AtomicU32, at_most: Duration) {
    let ts = libc::timespec {
        tv_sec: at_most.as_secs() as libc::time_t,
        tv_nsec: libc::c_long::from(at_most.subsec_nanos() as i32),
    };
    // FUTEX_WAIT sleeps only while the word still holds 0, checked atomically by the kernel, so
    // a `set` between the caller's load and this call cannot be missed.
    // SAFETY: the word is a live, aligned 32-bit atomic and `ts` a valid relative timeout.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT,
            0u32,
            &ts as *const libc::timespec,
        )
    };
}

/// How often a waiter looks at the word where there is no futex: short enough that a worker
/// released by `set` starts within a fraction of a millisecond.
pub const POLL: Duration = Duration::from_micros(200);

#[cfg(not(target_os = "linux"))]
fn wake_all(_: &AtomicU32) {} // the waiters poll

#[cfg(not(target_os = "linux"))]
fn sleep_while_unset(_: &AtomicU32, at_most: Duration) {
    std::thread::sleep(at_most.min(POLL));
}
// ANCHOR_END: event

#[cfg(test)]
mod tests {
    use super::*;

    /// Random parts from a list, as if the system's random source had produced them.
    fn replay(values: &[u64]) -> impl FnMut() -> io::Result<u64> + '_ {
        let mut values = values.iter();
        move || Ok(*values.next().expect("enough values"))
    }

    #[test]
    fn a_taken_name_is_tried_again_with_fresh_random_bits() {
        let first = Segment::create_with("collide-retry", 64, replay(&[1])).expect("create");
        let second = Segment::create_with("collide-retry", 64, replay(&[1, 2])).expect("retried");
        assert!(first.name().ends_with("-collide-retry-0000000000000001"));
        assert!(second.name().ends_with("-collide-retry-0000000000000002"));
    }

    #[test]
    fn names_taken_every_time_are_reported_by_name() {
        let first = Segment::create_with("collide-report", 64, replay(&[7])).expect("create");
        let err = Segment::create_with("collide-report", 64, || Ok(7)).expect_err("taken");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        let message = err.to_string();
        assert!(message.contains(first.name()), "{message}");
        assert!(message.contains("already existed"), "{message}");
    }

    #[test]
    fn other_errors_name_the_segment() {
        let err = Segment::open("/multiproc-0-nowhere-0").expect_err("no such segment");
        assert!(err.to_string().contains("/multiproc-0-nowhere-0"), "{err}");
    }

    #[test]
    fn names_differ_between_creations() {
        let a = Segment::create("fresh", 64).expect("create");
        let b = Segment::create("fresh", 64).expect("create");
        assert_ne!(a.name(), b.name());
        let random = a.name().rsplit('-').next().expect("a random part");
        assert_eq!(random.len(), 16, "{}", a.name());
    }
}
