//! The prime-counting job from the "GIL problem" benchmark.

// ANCHOR: job
/// Trial division by every integer up to the square root, exactly as the tutorial's
/// `all(i % j != 0 for j in range(2, int(i ** 0.5) + 1))`.
#[expect(
    clippy::manual_is_multiple_of,
    reason = "`%` reads line by line against the Python"
)]
pub fn is_prime_naive(i: u64) -> bool {
    if i < 2 {
        return false;
    }
    (2..).take_while(|j| j * j <= i).all(|j| i % j != 0)
}

/// How many primes lie in `2..n`: the tutorial's `cpu_intensive_task(n)`.
pub fn count_primes_below(n: u64) -> usize {
    (2..n).filter(|&i| is_prime_naive(i)).count()
}
// ANCHOR_END: job

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_counts() {
        assert_eq!(count_primes_below(0), 0);
        assert_eq!(count_primes_below(3), 1);
        assert_eq!(count_primes_below(10), 4);
        assert_eq!(count_primes_below(100), 25);
        // pi(50_000) = 5133: the tutorial's job size.
        assert_eq!(count_primes_below(50_000), 5133);
    }

    #[test]
    fn edges() {
        assert!(!is_prime_naive(0));
        assert!(!is_prime_naive(1));
        assert!(is_prime_naive(2));
        assert!(!is_prime_naive(4));
        assert!(!is_prime_naive(49));
        assert!(is_prime_naive(7919));
    }
}
