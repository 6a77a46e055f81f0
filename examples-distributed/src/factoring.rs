//! The naive factorizer as messages: results packed into one flat `Vec<u64>` (MPI sends arrays of
//! plain numbers, not maps), checked like every factorizer in the course, and the dynamic version:
//! a coordinator that hands out small chunks as workers ask, and works between their requests.

use crate::ROOT;
use mpi::datatype::{Partition, PartitionMut};
use mpi::topology::{Rank, SimpleCommunicator};
use mpi::traits::*;
use std::collections::BTreeMap;
use workloads::{factorize_naive, factors_multiply_back};

/// Results, keyed by number (a number drawn twice is factored twice, and the same).
pub type Factored = BTreeMap<u64, Vec<u64>>;

/// Factors `nums` and packs the results as `n, how many factors, the factors...` for each number.
pub fn factor_packed(nums: &[u64]) -> Vec<u64> {
    let mut packed = Vec::new();
    for &n in nums {
        let factors = factorize_naive(n);
        packed.extend([n, factors.len() as u64]);
        packed.extend(factors);
    }
    packed
}

/// The results `packed` holds, or `None` if it is cut short.
pub fn unpack(packed: &[u64], into: &mut Factored) -> Option<usize> {
    let (mut at, mut numbers) = (0, 0);
    while at < packed.len() {
        let (n, len) = (packed[at], usize::try_from(*packed.get(at + 1)?).ok()?);
        let factors = packed.get(at + 2..at + 2 + len)?;
        into.insert(n, factors.to_vec());
        (at, numbers) = (at + 2 + len, numbers + 1);
    }
    Some(numbers)
}

/// The factorizer in this process alone: the baseline every speed-up is measured against.
pub fn serial(nums: &[u64]) -> Factored {
    nums.iter().map(|&n| (n, factorize_naive(n))).collect()
}

/// Whether `results` holds exactly the numbers of `nums`, each with factors that multiply back.
pub fn all_right(nums: &[u64], results: &Factored) -> bool {
    let mut wanted: Vec<u64> = nums.to_vec();
    wanted.dedup(); // the inputs are sorted, so a number drawn twice sits next to itself
    results.len() == wanted.len()
        && wanted
            .iter()
            .all(|n| results.get(n).is_some_and(|f| factors_multiply_back(*n, f)))
}

// ANCHOR: static
/// Scatter equal chunks from rank 0, factor, gather the packed results: `Some` on rank 0 only.
pub fn scatter_gather(world: &SimpleCommunicator, nums: &[u64]) -> Option<Factored> {
    let (size, root) = (world.size() as usize, world.process_at_rank(ROOT));
    // Every rank knows the count, so each can work out every chunk's length alone.
    let mut count = nums.len() as u64;
    root.broadcast_into(&mut count);
    let lengths: Vec<i32> = (0..size)
        .map(|r| ((count as usize + size - r - 1) / size) as i32)
        .collect();
    let starts = offsets(&lengths);
    let mut mine = vec![0u64; lengths[world.rank() as usize] as usize];
    if world.rank() == ROOT {
        root.scatter_varcount_into_root(
            &Partition::new(nums, &lengths[..], &starts[..]),
            &mut mine[..],
        );
    } else {
        root.scatter_varcount_into(&mut mine[..]);
    }
    let packed = factor_packed(&mine);
    // Results differ in length, so first gather how long each rank's is, then the results.
    let length = packed.len() as i32;
    if world.rank() != ROOT {
        root.gather_into(&length);
        root.gather_varcount_into(&packed[..]);
        return None;
    }
    let mut lengths = vec![0i32; size];
    root.gather_into_root(&length, &mut lengths[..]);
    let starts = offsets(&lengths);
    let mut all = vec![0u64; lengths.iter().sum::<i32>() as usize];
    root.gather_varcount_into_root(
        &packed[..],
        &mut PartitionMut::new(&mut all[..], &lengths[..], &starts[..]),
    );
    let mut results = Factored::new();
    unpack(&all, &mut results)?;
    Some(results)
}
// ANCHOR_END: static

/// Where each of a run of blocks of `lengths` starts when they are laid end to end.
fn offsets(lengths: &[i32]) -> Vec<i32> {
    let starts = lengths
        .iter()
        .scan(0, |at, &n| Some(std::mem::replace(at, *at + n)));
    starts.collect()
}

/// A worker's message to the coordinator: the results of its last chunk (none, the first two
/// times), which also asks for one more chunk.
pub const TAG_RESULTS: i32 = 1;
/// The coordinator's answer with a chunk of numbers to factor.
pub const TAG_WORK: i32 = 2;
/// The coordinator's answer when the work is gone: the stop tag, MPI's sentinel.
pub const TAG_STOP: i32 = 3;
/// Requests a worker keeps open: while it factors one chunk the next is already on its way.
const IN_FLIGHT: usize = 2;

// ANCHOR: coordinator
/// Rank 0: hands out `chunk` numbers at a time to whichever worker asks and factors chunks itself
/// in between, looking for requests after every number, so no worker waits long for its next one.
pub fn coordinate(world: &SimpleCommunicator, nums: &[u64], chunk: usize) -> Option<Factored> {
    let mut results = Factored::new();
    let mut next = 0; // the first number nobody has taken yet
    let take = |next: &mut usize| {
        let taken = &nums[*next..(*next + chunk).min(nums.len())];
        *next += taken.len();
        taken
    };
    // Every request gets one answer; a worker is done when all its requests are answered.
    let mut owed: BTreeMap<Rank, usize> = (1..world.size()).map(|r| (r, IN_FLIGHT)).collect();
    let mut done = owed.is_empty();
    // A send may wait until its receiver takes the message, and a worker takes its next chunk
    // only once it has finished the one in hand: so rank 0 sends without waiting (`immediate`)
    // and checks on its sends later, or it would idle a whole chunk at every answer.
    mpi::request::scope(|scope| {
        let mut sending = Vec::new();
        let (mut mine, mut at): (&[u64], usize) = (&[], 0);
        while !done || at < mine.len() || next < nums.len() {
            if at == mine.len() && next < nums.len() {
                (mine, at) = (take(&mut next), 0);
            }
            let request = if at < mine.len() {
                results.insert(mine[at], factorize_naive(mine[at]));
                at += 1;
                let waiting =
                    (!done).then(|| world.any_process().immediate_probe_with_tag(TAG_RESULTS));
                match waiting.flatten() {
                    Some(status) => status,
                    None => continue,
                }
            } else {
                world.any_process().probe_with_tag(TAG_RESULTS) // no work of its own left: wait
            };
            let worker = world.process_at_rank(request.source_rank());
            let (packed, _) = worker.receive_vec_with_tag(TAG_RESULTS); // the message it probed
            unpack(&packed, &mut results)?;
            let work = take(&mut next);
            let tag = if work.is_empty() { TAG_STOP } else { TAG_WORK };
            sending.push(worker.immediate_send_with_tag(scope, work, tag));
            if work.is_empty() {
                let owes = owed.get_mut(&request.source_rank())?;
                *owes = owes.checked_sub(1)?; // answered, and no new request will follow
            } // else answered, but its results will ask again
            done = owed.values().all(|&n| n == 0);
            sending = sending
                .into_iter()
                .filter_map(|send| send.test().err())
                .collect();
        }
        for send in sending {
            send.wait();
        }
        Some(results)
    })
}

/// Every other rank: asks for work, factors each chunk and sends its results back (another
/// request), until the coordinator answers with the stop tag.
pub fn work(world: &SimpleCommunicator) {
    let coordinator = world.process_at_rank(ROOT);
    for _ in 0..IN_FLIGHT {
        coordinator.send_with_tag(&[0u64][..0], TAG_RESULTS);
    }
    let mut open = IN_FLIGHT;
    while open > 0 {
        let (chunk, status) = coordinator.receive_vec::<u64>();
        open -= 1;
        if status.tag() == TAG_WORK {
            coordinator.send_with_tag(&factor_packed(&chunk)[..], TAG_RESULTS);
            open += 1;
        }
    }
}
// ANCHOR_END: coordinator

/// The dynamic factorizer on every rank of `world`: `Some(results)` on rank 0 (`None` if a message
/// came in malformed), `None` elsewhere. `chunks_per_rank` sets how finely the work is cut.
pub fn dynamic(
    world: &SimpleCommunicator,
    nums: &[u64],
    chunks_per_rank: usize,
) -> Option<Factored> {
    if world.rank() == ROOT {
        let chunk = nums
            .len()
            .div_ceil(world.size() as usize * chunks_per_rank)
            .max(1);
        coordinate(world, nums, chunk)
    } else {
        work(world);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_results_unpack_to_what_was_factored() {
        let nums = [12, 97, 1_000_000_007, 1];
        let mut results = Factored::new();
        assert_eq!(
            unpack(&factor_packed(&nums), &mut results),
            Some(nums.len())
        );
        assert_eq!(results[&12], vec![2, 2, 3]);
        assert!(all_right(&[1, 12, 97, 1_000_000_007], &results));
    }

    #[test]
    fn a_cut_message_or_a_missing_number_is_caught() {
        let packed = factor_packed(&[12, 35]);
        assert_eq!(
            unpack(&packed[..packed.len() - 1], &mut Factored::new()),
            None
        );
        let mut results = Factored::new();
        unpack(&factor_packed(&[12]), &mut results);
        assert!(!all_right(&[12, 35], &results));
        results.insert(35, vec![5, 5]); // wrong factors
        assert!(!all_right(&[12, 35], &results));
    }
}
