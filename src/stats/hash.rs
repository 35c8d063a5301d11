//! A fast hasher for keys made of f64 bit patterns (prices, (x, t_x, T) patterns).
//!
//! std's SipHash guards against adversarial keys, which these are not; this one mixes each
//! 8-byte word in and ends with the murmur3 finaliser, so round numbers (whose low bits are
//! all zero) still spread over the buckets. Only speed depends on it, never correctness.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default)]
pub struct BitsHasher(u64);

impl BitsHasher {
    #[inline]
    fn mix(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }
}

impl Hasher for BitsHasher {
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        for b in chunks.remainder() {
            self.mix(u64::from(*b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.mix(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.mix(x as u64);
    }
}

/// A HashMap keyed by bit patterns.
pub type BitsMap<K, V> = HashMap<K, V, BuildHasherDefault<BitsHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_keys_stay_distinct() {
        let mut m: BitsMap<[u64; 3], u32> = BitsMap::default();
        for i in 0..1000u64 {
            m.insert([(i as f64).to_bits(), 0, (i as f64 * 0.5).to_bits()], i as u32);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get(&[(7.0f64).to_bits(), 0, (3.5f64).to_bits()]), Some(&7));
    }
}
