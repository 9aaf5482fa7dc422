//! Deterministic identifiers: every code and id the sandbox invents comes from a seeded RNG, so a
//! run with the same seed and the same requests produces the same ids.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The RNG behind one integration's ids.
#[derive(Debug)]
pub(crate) struct IdGen {
    rng: StdRng,
}

impl IdGen {
    pub(crate) fn new(seed: u64) -> Self {
        Self { rng: StdRng::seed_from_u64(seed) }
    }

    /// `n` characters of `[a-z0-9]`, the alphabet of Paystack's references and codes.
    pub(crate) fn lower_alnum(&mut self, n: usize) -> String {
        self.pick(LOWER_ALNUM, n)
    }

    /// `n` characters of `[A-Za-z0-9]` (authorization signatures).
    pub(crate) fn alnum(&mut self, n: usize) -> String {
        self.pick(ALNUM, n)
    }

    pub(crate) fn range(&mut self, low: u64, high_inclusive: u64) -> u64 {
        self.rng.random_range(low..=high_inclusive)
    }

    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(alphabet[self.rng.random_range(0..alphabet.len())])).collect()
    }
}

/// FNV-1a: a stable hash (unlike `DefaultHasher`, which may change between Rust releases).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// SplitMix64 finaliser over two words: a well-mixed, stable function for seeded decisions.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_add(b.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A uniform draw in `[0, 1)` from a 64-bit hash.
pub(crate) fn unit(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (IdGen::new(7), IdGen::new(7));
        assert_eq!(a.lower_alnum(15), b.lower_alnum(15));
        assert_eq!(a.range(1, 1000), b.range(1, 1000));
        let code = IdGen::new(1).lower_alnum(15);
        assert_eq!(code.len(), 15);
        assert!(code.bytes().all(|c| LOWER_ALNUM.contains(&c)));
    }

    #[test]
    fn unit_draws_cover_the_interval() {
        let draws: Vec<f64> = (0..1000).map(|i| unit(mix(42, i))).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        let low = draws.iter().filter(|d| **d < 0.5).count();
        assert!((400..600).contains(&low), "{low}");
    }
}
