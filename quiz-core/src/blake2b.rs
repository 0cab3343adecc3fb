//! BLAKE2b (RFC 7693), unkeyed, with any output length from 1 to 64 bytes: the hash inside
//! Argon2. Small and allocation-free, so the browser engine carries no second hash crate.

const IV: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

const SIGMA: [[usize; 16]; 12] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
];

/// An incremental BLAKE2b hash.
#[derive(Clone)]
pub struct Blake2b {
    h: [u64; 8],
    /// Bytes compressed so far.
    count: u128,
    buffer: [u8; 128],
    filled: usize,
    out_len: usize,
}

impl Blake2b {
    /// A hash with `out_len` bytes of output (1 to 64).
    pub fn new(out_len: usize) -> Self {
        assert!(
            (1..=64).contains(&out_len),
            "BLAKE2b output is 1 to 64 bytes"
        );
        let mut h = IV;
        h[0] ^= 0x0101_0000 ^ out_len as u64;
        Blake2b {
            h,
            count: 0,
            buffer: [0; 128],
            filled: 0,
            out_len,
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            // Keep the last block back: it is compressed with the final flag.
            if self.filled == 128 {
                self.count += 128;
                let block = self.buffer;
                self.compress(&block, false);
                self.filled = 0;
            }
            let take = (128 - self.filled).min(data.len());
            self.buffer[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            data = &data[take..];
        }
    }

    /// Writes the hash into `out`, which must be `out_len` bytes long.
    pub fn finalize_into(mut self, out: &mut [u8]) {
        assert_eq!(out.len(), self.out_len);
        self.count += self.filled as u128;
        let mut block = self.buffer;
        block[self.filled..].fill(0);
        self.compress(&block, true);
        for (chunk, word) in out.chunks_mut(8).zip(self.h) {
            chunk.copy_from_slice(&word.to_le_bytes()[..chunk.len()]);
        }
    }

    fn compress(&mut self, block: &[u8; 128], last: bool) {
        let m: [u64; 16] = core::array::from_fn(|i| {
            u64::from_le_bytes(block[i * 8..i * 8 + 8].try_into().unwrap())
        });
        let mut v = [0u64; 16];
        v[..8].copy_from_slice(&self.h);
        v[8..].copy_from_slice(&IV);
        v[12] ^= self.count as u64;
        v[13] ^= (self.count >> 64) as u64;
        if last {
            v[14] = !v[14];
        }
        for s in &SIGMA {
            mix(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            mix(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            mix(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            mix(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            mix(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            mix(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            mix(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            mix(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for i in 0..8 {
            self.h[i] ^= v[i] ^ v[i + 8];
        }
    }
}

fn mix(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn ours(data: &[u8], len: usize) -> alloc::vec::Vec<u8> {
        let mut h = Blake2b::new(len);
        // Fed in uneven pieces, to cross buffer edges.
        for piece in data.chunks(37) {
            h.update(piece);
        }
        let mut out = vec![0; len];
        h.finalize_into(&mut out);
        out
    }

    #[test]
    fn rfc_7693_abc() {
        let out = ours(b"abc", 64);
        assert_eq!(
            crate::key::to_hex(&out),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        );
    }

    #[test]
    fn agrees_with_the_blake2_crate_at_several_lengths_and_sizes() {
        use blake2::Digest;
        use blake2::digest::consts::{U1, U16, U32, U33, U64};
        macro_rules! theirs {
            ($n:ty, $data:expr) => {
                blake2::Blake2b::<$n>::digest($data).to_vec()
            };
        }
        let data: alloc::vec::Vec<u8> = (0..600u32).map(|i| (i * 7 + 3) as u8).collect();
        for size in [0, 1, 127, 128, 129, 255, 256, 257, 600] {
            let d = &data[..size];
            assert_eq!(ours(d, 1), theirs!(U1, d), "len 1 size {size}");
            assert_eq!(ours(d, 16), theirs!(U16, d), "len 16 size {size}");
            assert_eq!(ours(d, 32), theirs!(U32, d), "len 32 size {size}");
            assert_eq!(ours(d, 33), theirs!(U33, d), "len 33 size {size}");
            assert_eq!(ours(d, 64), theirs!(U64, d), "len 64 size {size}");
        }
    }
}
