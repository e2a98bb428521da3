//! A small reproducible PRNG for the crash tests and the conformance suites.

/// splitmix64: a small, fast PRNG, good enough to vary kill points, batches and delays in the
/// crash tests, and reproducible from its seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The generator of a crash test's `run`-th child, from the test's seed.
    pub fn for_run(seed: u64, run: u64) -> Self {
        Self(seed ^ run.wrapping_mul(0xA24B_AED4_963E_E407))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}
