//! Argon2id (RFC 9106, version 0x13) with one lane, computed in steps: the browser engine runs
//! a few thousand blocks, lets the page breathe, and carries on, so an unlock that takes a
//! second on a slow phone never freezes the page. One lane because a page has one thread for
//! it; the memory and passes set the cost.

use alloc::vec;
use alloc::vec::Vec;

use crate::blake2b::Blake2b;

/// Words in a 1 KiB block.
const WORDS: usize = 128;
const SYNC_POINTS: usize = 4;
const VERSION: u32 = 0x13;
/// Argon2id's type number.
const TYPE_ID: u32 = 2;

type Block = [u64; WORDS];

/// The cost of one Argon2id run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Memory in KiB (at least 8).
    pub memory_kib: u32,
    /// Passes over the memory (at least 1).
    pub passes: u32,
}

/// An Argon2id computation in progress.
pub struct Argon2id {
    memory: Vec<Block>,
    passes: u32,
    segment: usize,
    /// The next block to fill: pass, slice and index within the segment.
    pass: u32,
    slice: usize,
    index: usize,
    /// Data-independent addressing (first half of the first pass): the current address block
    /// and the input that makes the next one.
    addresses: Block,
    address_input: Block,
    out_len: usize,
}

impl Argon2id {
    /// Starts hashing `password` with `salt`, for an `out_len`-byte tag.
    pub fn new(params: Params, password: &[u8], salt: &[u8], out_len: u32) -> Self {
        let blocks = (params.memory_kib.max(8) as usize / SYNC_POINTS) * SYNC_POINTS;
        let mut h0 = Blake2b::new(64);
        for word in [
            1,
            out_len,
            params.memory_kib,
            params.passes,
            VERSION,
            TYPE_ID,
        ] {
            h0.update(&word.to_le_bytes());
        }
        for field in [password, salt, &[], &[]] {
            h0.update(&(field.len() as u32).to_le_bytes());
            h0.update(field);
        }
        let mut seed = [0u8; 72];
        h0.finalize_into(&mut seed[..64]);
        let mut memory = vec![[0u64; WORDS]; blocks];
        for (i, block) in memory.iter_mut().take(2).enumerate() {
            seed[64..68].copy_from_slice(&(i as u32).to_le_bytes());
            // seed[68..72] is the lane number, 0.
            let mut bytes = [0u8; 1024];
            long_hash(&seed, &mut bytes);
            *block = block_from_bytes(&bytes);
        }
        let mut run = Argon2id {
            memory,
            passes: params.passes.max(1),
            segment: blocks / SYNC_POINTS,
            pass: 0,
            slice: 0,
            index: 2,
            addresses: [0; WORDS],
            address_input: [0; WORDS],
            out_len: out_len as usize,
        };
        run.start_segment();
        run
    }

    /// Blocks in the whole computation, to report progress against.
    pub fn total_blocks(&self) -> usize {
        self.memory.len() * self.passes as usize
    }

    /// Blocks filled so far.
    pub fn done_blocks(&self) -> usize {
        (self.pass as usize * SYNC_POINTS + self.slice) * self.segment + self.index
    }

    fn data_independent(&self) -> bool {
        self.pass == 0 && self.slice < SYNC_POINTS / 2
    }

    fn start_segment(&mut self) {
        if self.data_independent() {
            self.address_input = [0; WORDS];
            let words = [
                u64::from(self.pass),
                0, // lane
                self.slice as u64,
                self.memory.len() as u64,
                u64::from(self.passes),
                u64::from(TYPE_ID),
            ];
            self.address_input[..6].copy_from_slice(&words);
            if self.index != 0 {
                // The first segment starts at block 2 with its address block made already.
                self.next_addresses();
            }
        }
    }

    fn next_addresses(&mut self) {
        self.address_input[6] += 1;
        let zero = [0u64; WORDS];
        let first = compress(&zero, &self.address_input);
        self.addresses = compress(&zero, &first);
    }

    /// Fills up to `budget` blocks; true once the computation is complete.
    pub fn step(&mut self, budget: usize) -> bool {
        let lane = self.memory.len();
        let mut left = budget;
        loop {
            // A finished segment (the first may be finished before it starts, when a segment
            // holds only the two seeded blocks) moves on to the next.
            if self.index == self.segment {
                self.index = 0;
                self.slice += 1;
                if self.slice == SYNC_POINTS {
                    self.slice = 0;
                    self.pass += 1;
                }
                if self.pass < self.passes {
                    self.start_segment();
                }
            }
            if self.pass == self.passes {
                return true;
            }
            if left == 0 {
                return false;
            }
            left -= 1;
            let offset = self.slice * self.segment + self.index;
            let previous = if offset == 0 { lane - 1 } else { offset - 1 };
            let random = if self.data_independent() {
                if self.index.is_multiple_of(WORDS) {
                    self.next_addresses();
                }
                self.addresses[self.index % WORDS]
            } else {
                self.memory[previous][0]
            };
            let reference = self.reference(random & 0xffff_ffff);
            let mut block = compress(&self.memory[previous], &self.memory[reference]);
            if self.pass > 0 {
                for (new, old) in block.iter_mut().zip(&self.memory[offset]) {
                    *new ^= old;
                }
            }
            self.memory[offset] = block;
            self.index += 1;
        }
    }

    /// The block to mix with the current one (RFC 9106, 3.4.1.2), for one lane.
    fn reference(&self, j1: u64) -> usize {
        let lane = self.memory.len() as u64;
        let segment = self.segment as u64;
        let index = self.index as u64;
        let area = if self.pass == 0 {
            self.slice as u64 * segment + index - 1
        } else {
            lane - segment + index - 1
        };
        let x = (j1 * j1) >> 32;
        let relative = area - 1 - ((area * x) >> 32);
        let start = if self.pass == 0 || self.slice == SYNC_POINTS - 1 {
            0
        } else {
            (self.slice as u64 + 1) * segment
        };
        ((start + relative) % lane) as usize
    }

    /// The tag; call once `step` has returned true.
    pub fn finish(self, out: &mut [u8]) {
        assert_eq!(out.len(), self.out_len);
        let last = self.memory.last().expect("Argon2 memory has blocks");
        let mut bytes = [0u8; 1024];
        for (chunk, word) in bytes.chunks_mut(8).zip(last) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        long_hash(&bytes, out);
    }

    /// Hashes in one go (for the generator, which has no page to keep alive).
    pub fn hash(params: Params, password: &[u8], salt: &[u8], out: &mut [u8]) {
        let mut run = Argon2id::new(params, password, salt, out.len() as u32);
        while !run.step(usize::MAX) {}
        run.finish(out);
    }
}

fn block_from_bytes(bytes: &[u8; 1024]) -> Block {
    core::array::from_fn(|i| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap()))
}

/// H' of RFC 9106: a hash of any length built from BLAKE2b.
fn long_hash(input: &[u8], out: &mut [u8]) {
    let len = out.len();
    let mut first = Blake2b::new(len.min(64));
    first.update(&(len as u32).to_le_bytes());
    first.update(input);
    if len <= 64 {
        first.finalize_into(out);
        return;
    }
    let mut v = [0u8; 64];
    first.finalize_into(&mut v);
    let rounds = len.div_ceil(32) - 2;
    out[..32].copy_from_slice(&v[..32]);
    for r in 1..rounds {
        let mut h = Blake2b::new(64);
        h.update(&v);
        h.finalize_into(&mut v);
        out[r * 32..r * 32 + 32].copy_from_slice(&v[..32]);
    }
    let rest = len - 32 * rounds;
    let mut h = Blake2b::new(rest);
    h.update(&v);
    h.finalize_into(&mut out[32 * rounds..]);
}

/// The compression function G: the BLAKE2b round with multiplications, over rows then columns.
fn compress(x: &Block, y: &Block) -> Block {
    let r: Block = core::array::from_fn(|i| x[i] ^ y[i]);
    let mut q = r;
    for row in 0..8 {
        let base = row * 16;
        let mut v: [u64; 16] = core::array::from_fn(|i| q[base + i]);
        permute(&mut v);
        q[base..base + 16].copy_from_slice(&v);
    }
    for column in 0..8 {
        let at = |i: usize| 2 * column + (i / 2) * 16 + (i % 2);
        let mut v: [u64; 16] = core::array::from_fn(|i| q[at(i)]);
        permute(&mut v);
        for (i, word) in v.iter().enumerate() {
            q[at(i)] = *word;
        }
    }
    core::array::from_fn(|i| q[i] ^ r[i])
}

fn permute(v: &mut [u64; 16]) {
    mix(v, 0, 4, 8, 12);
    mix(v, 1, 5, 9, 13);
    mix(v, 2, 6, 10, 14);
    mix(v, 3, 7, 11, 15);
    mix(v, 0, 5, 10, 15);
    mix(v, 1, 6, 11, 12);
    mix(v, 2, 7, 8, 13);
    mix(v, 3, 4, 9, 14);
}

fn mul_add(a: u64, b: u64) -> u64 {
    a.wrapping_add(b).wrapping_add(
        2u64.wrapping_mul(a & 0xffff_ffff)
            .wrapping_mul(b & 0xffff_ffff),
    )
}

fn mix(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize) {
    v[a] = mul_add(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = mul_add(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = mul_add(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = mul_add(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(params: Params, password: &[u8], salt: &[u8], len: usize) -> Vec<u8> {
        let argon = argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(params.memory_kib, params.passes, 1, Some(len)).unwrap(),
        );
        let mut out = vec![0; len];
        argon.hash_password_into(password, salt, &mut out).unwrap();
        out
    }

    #[test]
    fn agrees_with_the_argon2_crate() {
        for (memory_kib, passes, len) in [
            (8, 1, 32),
            (16, 2, 32),
            (64, 3, 16),
            (256, 1, 64),
            (1030, 2, 100),
        ] {
            let params = Params { memory_kib, passes };
            let mut ours = vec![0; len];
            Argon2id::hash(params, b"password", b"somesalt-16bytes", &mut ours);
            assert_eq!(
                ours,
                reference(params, b"password", b"somesalt-16bytes", len),
                "m={memory_kib} t={passes} len={len}"
            );
        }
    }

    #[test]
    fn steps_of_any_size_give_the_same_tag_and_report_progress() {
        let params = Params {
            memory_kib: 64,
            passes: 2,
        };
        let mut whole = [0u8; 32];
        Argon2id::hash(params, b"pw", b"saltsalt", &mut whole);
        let mut run = Argon2id::new(params, b"pw", b"saltsalt", 32);
        assert_eq!(run.total_blocks(), 128);
        let mut steps = 0;
        while !run.step(7) {
            steps += 1;
            assert!(run.done_blocks() <= run.total_blocks());
        }
        assert_eq!(run.done_blocks(), 128);
        assert!(steps >= 17);
        let mut stepped = [0u8; 32];
        run.finish(&mut stepped);
        assert_eq!(stepped, whole);
    }
}
