//! Deterministic inputs, so every run, every lesson and every Python twin works on the same numbers.

/// The SplitMix64 generator: six lines, no dependency, and easy to port exactly to Python
/// (see `python/common.py`), which is why the lessons use it instead of the `rand` crate.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `low..high`. The modulo bias is irrelevant at these ranges.
    pub fn below(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low)
    }
}

/// The smallest and largest numbers the factorizer lessons draw.
pub const FACTOR_RANGE: (u64, u64) = (1_000_000_000, 1_000_000_000_000);

/// How many numbers the factorizer lessons take by default: about one second of serial work in a
/// release build on the book's 2-core machine.
pub const DEFAULT_COUNT: usize = 12_000;

/// The seed every factorizer lesson uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 2026;

/// `count` numbers drawn from [`FACTOR_RANGE`], sorted ascending like the tutorial's list.
///
/// Sorting matters: the later numbers are larger, and trial division on a larger number tends to
/// run longer, so splitting this list into equal-length chunks hands the last chunk the most work.
/// That is the load imbalance the `threaded_factorizer` and `load_balancing` lessons measure.
pub fn factor_inputs(count: usize, seed: u64) -> Vec<u64> {
    let mut rng = SplitMix64::new(seed);
    let mut nums: Vec<u64> = (0..count)
        .map(|_| rng.below(FACTOR_RANGE.0, FACTOR_RANGE.1))
        .collect();
    nums.sort_unstable();
    nums
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs for seed 0 from the SplitMix64 reference implementation; the Python
        // twin asserts the same values.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn inputs_are_deterministic_sorted_and_in_range() {
        let a = factor_inputs(500, 7);
        assert_eq!(a, factor_inputs(500, 7));
        assert_ne!(a, factor_inputs(500, 8));
        assert!(a.windows(2).all(|w| w[0] <= w[1]));
        assert!(
            a.iter()
                .all(|&n| (FACTOR_RANGE.0..FACTOR_RANGE.1).contains(&n))
        );
    }
}
