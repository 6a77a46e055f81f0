//! The naive trial-division factorizer from Eli Bendersky's threads-vs-processes benchmark.

// ANCHOR: factorize
/// Breaks `n` into its prime factors, smallest first, by trial division.
///
/// A line-for-line port of the tutorial's `factorize_naive`: try 2, then odd candidates, and stop
/// once the candidate squared passes what is left. Deliberately unoptimized: the candidates must
/// reach the second-largest prime factor, or the square root of the largest, whichever is larger
/// (up to √n for a product of two close primes), so some numbers take thousands of times longer
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

// ANCHOR: fast
/// The same answer as [`factorize_naive`], by a better algorithm: a deterministic Miller-Rabin
/// test says whether what is left is prime, and Pollard's rho finds a factor of what is not, in
/// about √p steps for the smallest prime factor p: at most the fourth root of `n`, where trial
/// division may need its square root. The hardest numbers of the course's list take microseconds,
/// not milliseconds.
pub fn factorize_fast(n: u64) -> Vec<u64> {
    let mut factors = Vec::new();
    split(n, &mut factors);
    factors.sort_unstable();
    factors
}

fn split(n: u64, factors: &mut Vec<u64>) {
    if n < 2 {
        return;
    }
    if is_prime(n) {
        factors.push(n);
        return;
    }
    let d = rho(n);
    split(d, factors);
    split(n / d, factors);
}

/// A factor of the composite `n` other than 1 and `n`: iterate x -> x² + c (mod n) until two
/// values meet modulo an unknown factor (Floyd's tortoise and hare); a different `c` if they
/// meet modulo `n` itself.
fn rho(n: u64) -> u64 {
    if n.is_multiple_of(2) {
        return 2;
    }
    (1..)
        .find_map(|c| {
            let step = |x: u64| ((u128::from(x) * u128::from(x) + c) % u128::from(n)) as u64;
            let (mut slow, mut fast, mut d) = (2, 2, 1);
            while d == 1 {
                slow = step(slow);
                fast = step(step(fast));
                d = gcd(slow.abs_diff(fast), n);
            }
            (d != n).then_some(d)
        })
        .expect("a composite number has a factor")
}

/// Miller-Rabin with the first twelve primes as bases, which is exact for every `u64`.
pub fn is_prime(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    if let Some(&p) = BASES.iter().find(|&&p| n.is_multiple_of(p)) {
        return n == p;
    }
    let s = (n - 1).trailing_zeros();
    let d = (n - 1) >> s;
    BASES.iter().all(|&a| {
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            return true;
        }
        (1..s).any(|_| {
            x = mul_mod(x, x, n);
            x == n - 1
        })
    })
}
// ANCHOR_END: fast

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    (u128::from(a) * u128::from(b) % u128::from(m)) as u64
}

fn pow_mod(mut base: u64, mut exp: u64, m: u64) -> u64 {
    let mut result = 1 % m;
    base %= m;
    while exp > 0 {
        if exp & 1 == 1 {
            result = mul_mod(result, base, m);
        }
        base = mul_mod(base, base, m);
        exp >>= 1;
    }
    result
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

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
    fn the_fast_factorizer_agrees_with_the_naive_one() {
        for n in (0..20_000).chain(crate::factor_inputs(2_000, 7)) {
            assert_eq!(factorize_fast(n), factorize_naive(n), "n = {n}");
        }
        for n in [
            999_983 * 1_000_003,
            1_000_000_000_039,
            4_294_967_291 * 4_294_967_279,
        ] {
            assert!(factors_multiply_back(n, &factorize_fast(n)), "n = {n}");
        }
        assert_eq!(factorize_fast(1 << 62), vec![2; 62]);
    }

    #[test]
    fn miller_rabin_knows_its_primes() {
        let primes: Vec<u64> = (0..10_000).filter(|&n| is_prime(n)).collect();
        let naive: Vec<u64> = (0..10_000).filter(|&n| factorize_naive(n) == [n]).collect();
        assert_eq!(primes, naive);
        assert!(is_prime(18_446_744_073_709_551_557)); // the largest prime below 2^64
        assert!(!is_prime(3_215_031_751)); // a strong pseudoprime to bases 2, 3, 5 and 7
    }

    #[test]
    fn the_check_rejects_wrong_answers() {
        assert!(!factors_multiply_back(12, &[2, 3]));
        assert!(!factors_multiply_back(12, &[3, 2, 2]));
        assert!(!factors_multiply_back(12, &[1, 12]));
        assert!(!factors_multiply_back(1, &[1]));
    }
}
