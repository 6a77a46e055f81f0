//! The naive trial-division factorizer from Eli Bendersky's threads-vs-processes benchmark.

// ANCHOR: factorize
/// Breaks `n` into its prime factors, smallest first, by trial division.
///
/// A line-for-line port of the tutorial's `factorize_naive`: try 2, then odd candidates, and stop
/// once the candidate squared passes what is left. Deliberately unoptimized: its cost grows with
/// the square root of the largest prime factor, so some numbers take thousands of times longer
/// than others, which is what makes load balancing matter in later lessons.
///
/// Valid for every `n < 2^62` (the candidate squared cannot overflow).
#[expect(
    clippy::manual_is_multiple_of,
    reason = "`%` reads line by line against the Python"
)]
pub fn factorize_naive(mut n: u64) -> Vec<u64> {
    if n < 2 {
        return Vec::new();
    }
    let mut factors = Vec::new();
    let mut p = 2;
    loop {
        if n == 1 {
            return factors;
        }
        if n % p == 0 {
            factors.push(p);
            n /= p;
        } else if p * p >= n {
            factors.push(n);
            return factors;
        } else if p > 2 {
            p += 2;
        } else {
            p += 1;
        }
    }
}
// ANCHOR_END: factorize

/// The check every factorizer lesson runs on every result: the factors are in ascending order,
/// none is below 2, and their product is `n` again. It does not prove each factor prime (that
/// would cost as much as factoring); lessons also compare parallel results with the serial ones.
pub fn factors_multiply_back(n: u64, factors: &[u64]) -> bool {
    if n < 2 {
        return factors.is_empty();
    }
    let ordered = factors.windows(2).all(|w| w[0] <= w[1]);
    let product = factors.iter().try_fold(
        1u64,
        |acc, &f| if f < 2 { None } else { acc.checked_mul(f) },
    );
    ordered && product == Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers() {
        assert_eq!(factorize_naive(0), Vec::<u64>::new());
        assert_eq!(factorize_naive(1), Vec::<u64>::new());
        assert_eq!(factorize_naive(2), vec![2]);
        assert_eq!(factorize_naive(12), vec![2, 2, 3]);
        assert_eq!(factorize_naive(97), vec![97]);
        assert_eq!(
            factorize_naive(2 * 3 * 5 * 7 * 11 * 13),
            vec![2, 3, 5, 7, 11, 13]
        );
    }

    #[test]
    fn large_semiprime_and_prime() {
        assert_eq!(
            factorize_naive(999_983 * 1_000_003),
            vec![999_983, 1_000_003]
        );
        assert_eq!(factorize_naive(1_000_000_000_039), vec![1_000_000_000_039]);
    }

    #[test]
    fn every_result_multiplies_back() {
        for n in 0..5_000 {
            assert!(factors_multiply_back(n, &factorize_naive(n)), "n = {n}");
        }
    }

    #[test]
    fn the_check_rejects_wrong_answers() {
        assert!(!factors_multiply_back(12, &[2, 3]));
        assert!(!factors_multiply_back(12, &[3, 2, 2]));
        assert!(!factors_multiply_back(12, &[1, 12]));
        assert!(!factors_multiply_back(1, &[1]));
    }
}
