//! QR codes for completion codes (ISO/IEC 18004): byte mode, error correction level M,
//! versions 1 to 6 (up to 106 bytes), one fixed mask. Enough for a code and a learner id, and
//! small enough for the browser engine; any QR reader decodes it.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::key::push_int;

/// Per version 1..=6 at level M: (data codewords per block, blocks, error correction
/// codewords per block, alignment pattern centre or 0).
const VERSIONS: [(usize, usize, usize, usize); 6] = [
    (16, 1, 10, 0),
    (28, 1, 16, 18),
    (44, 1, 26, 22),
    (32, 2, 18, 26),
    (43, 2, 24, 30),
    (27, 4, 16, 34),
];

/// The mask used: (row + column) is even.
const MASK: usize = 0;

/// A square of modules, `true` dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    pub size: usize,
    modules: Vec<bool>,
}

impl Qr {
    pub fn dark(&self, row: usize, column: usize) -> bool {
        self.modules[row * self.size + column]
    }

    /// The QR code of `data`, or `None` when it is longer than version 6 holds (106 bytes).
    pub fn encode(data: &[u8]) -> Option<Qr> {
        let (index, &(data_per_block, blocks, ecc_per_block, alignment)) = VERSIONS
            .iter()
            .enumerate()
            .find(|(_, (per, blocks, _, _))| data.len() + 2 <= per * blocks)?;
        let version = index + 1;
        let capacity = data_per_block * blocks;
        // Mode 0100 (bytes), an 8-bit length, the data, a terminator, then pad codewords.
        let mut bits = Bits::default();
        bits.push(0b0100, 4);
        bits.push(data.len() as u32, 8);
        for &b in data {
            bits.push(u32::from(b), 8);
        }
        bits.push(0, 4.min(capacity * 8 - bits.len));
        while !bits.len.is_multiple_of(8) {
            bits.push(0, 1);
        }
        let mut codewords = bits.bytes;
        for pad in [0xec, 0x11].iter().cycle() {
            if codewords.len() >= capacity {
                break;
            }
            codewords.push(*pad);
        }
        // Split into blocks, add error correction, interleave.
        let generator = rs_generator(ecc_per_block);
        let data_blocks: Vec<&[u8]> = codewords.chunks(data_per_block).collect();
        let ecc_blocks: Vec<Vec<u8>> = data_blocks
            .iter()
            .map(|block| rs_remainder(block, &generator))
            .collect();
        let mut stream = Vec::with_capacity(capacity + ecc_per_block * blocks);
        for i in 0..data_per_block {
            stream.extend(data_blocks.iter().map(|b| b[i]));
        }
        for i in 0..ecc_per_block {
            stream.extend(ecc_blocks.iter().map(|b| b[i]));
        }
        let mut qr = Matrix::new(version, alignment);
        qr.place(&stream);
        qr.format_bits();
        Some(Qr {
            size: qr.size,
            modules: qr.dark,
        })
    }

    /// An SVG drawing with a four-module quiet zone, dark modules as one path.
    pub fn to_svg(&self) -> String {
        let full = self.size + 8;
        let mut out = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
        push_int(&mut out, full as i64);
        out.push(' ');
        push_int(&mut out, full as i64);
        out.push_str("\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        for row in 0..self.size {
            for column in 0..self.size {
                if self.dark(row, column) {
                    out.push('M');
                    push_int(&mut out, (column + 4) as i64);
                    out.push(' ');
                    push_int(&mut out, (row + 4) as i64);
                    out.push_str("h1v1h-1z");
                }
            }
        }
        out.push_str("\"/></svg>");
        out
    }
}

#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    fn push(&mut self, value: u32, count: usize) {
        for i in (0..count).rev() {
            if self.len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if value >> i & 1 == 1 {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
    }
}

/// Multiplication in GF(2^8) with QR's polynomial x^8 + x^4 + x^3 + x^2 + 1.
fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut product = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            product ^= a;
        }
        let carry = a & 0x80 != 0;
        a <<= 1;
        if carry {
            a ^= 0x1d;
        }
        b >>= 1;
    }
    product
}

/// The Reed-Solomon generator polynomial of `degree`, highest coefficient (1) left out.
fn rs_generator(degree: usize) -> Vec<u8> {
    let mut poly = vec![0u8; degree];
    poly[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            poly[j] = gf_mul(poly[j], root);
            if j + 1 < degree {
                poly[j] ^= poly[j + 1];
            }
        }
        root = gf_mul(root, 2);
    }
    poly
}

/// The error correction codewords of one block.
fn rs_remainder(data: &[u8], generator: &[u8]) -> Vec<u8> {
    let mut remainder = vec![0u8; generator.len()];
    for &b in data {
        let factor = b ^ remainder[0];
        remainder.remove(0);
        remainder.push(0);
        for (r, &g) in remainder.iter_mut().zip(generator) {
            *r ^= gf_mul(g, factor);
        }
    }
    remainder
}

struct Matrix {
    size: usize,
    dark: Vec<bool>,
    /// Modules that patterns own, where data may not go.
    reserved: Vec<bool>,
}

impl Matrix {
    fn new(version: usize, alignment: usize) -> Matrix {
        let size = 17 + 4 * version;
        let mut m = Matrix {
            size,
            dark: vec![false; size * size],
            reserved: vec![false; size * size],
        };
        for (r, c) in [(0, 0), (0, size - 7), (size - 7, 0)] {
            m.finder(r, c);
        }
        for i in 8..size - 8 {
            m.set(6, i, i % 2 == 0);
            m.set(i, 6, i % 2 == 0);
        }
        if alignment != 0 {
            for dr in 0..5 {
                for dc in 0..5 {
                    let ring = dr.max(dc).max(4 - dr).max(4 - dc);
                    m.set(alignment - 2 + dr, alignment - 2 + dc, ring != 3);
                }
            }
        }
        // The dark module, and room for the format bits.
        m.set(size - 8, 8, true);
        for i in 0..9 {
            m.reserve(8, i);
            m.reserve(i, 8);
        }
        for i in 0..8 {
            m.reserve(8, size - 1 - i);
            m.reserve(size - 1 - i, 8);
        }
        m
    }

    fn set(&mut self, r: usize, c: usize, dark: bool) {
        self.dark[r * self.size + c] = dark;
        self.reserved[r * self.size + c] = true;
    }

    fn reserve(&mut self, r: usize, c: usize) {
        self.reserved[r * self.size + c] = true;
    }

    /// A finder pattern with its light separator, top-left corner at (r, c).
    fn finder(&mut self, r: usize, c: usize) {
        for dr in -1i32..=7 {
            for dc in -1i32..=7 {
                let (rr, cc) = (r as i32 + dr, c as i32 + dc);
                if rr < 0 || cc < 0 || rr >= self.size as i32 || cc >= self.size as i32 {
                    continue;
                }
                let ring = dr.max(dc).max(6 - dr).max(6 - dc);
                let dark = (0..=6).contains(&dr) && (0..=6).contains(&dc) && ring != 5;
                self.set(rr as usize, cc as usize, dark);
            }
        }
    }

    /// Places the codewords in the zigzag of column pairs from the bottom right, masked.
    fn place(&mut self, stream: &[u8]) {
        let mut bit = 0;
        let total = stream.len() * 8;
        let mut right = self.size - 1;
        let mut upward = true;
        loop {
            if right == 6 {
                right -= 1; // the vertical timing pattern
            }
            for step in 0..self.size {
                let r = if upward { self.size - 1 - step } else { step };
                for c in [right, right - 1] {
                    if self.reserved[r * self.size + c] {
                        continue;
                    }
                    let value = bit < total && stream[bit / 8] >> (7 - bit % 8) & 1 == 1;
                    bit += 1;
                    let masked = value ^ ((r + c) % 2 == 0);
                    self.dark[r * self.size + c] = masked;
                }
            }
            upward = !upward;
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    /// The 15 format bits (level M, the mask) around the finders.
    fn format_bits(&mut self) {
        // Level M's two format bits are 00, so the five data bits are the mask number.
        let data = MASK as u32;
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = ((data << 10) | rem) ^ 0x5412;
        let size = self.size;
        let bit = |i: usize| (bits >> i) & 1 == 1;
        let mut put = |row: usize, column: usize, i: usize| self.dark[row * size + column] = bit(i);
        // Around the top-left finder.
        for i in 0..6 {
            put(i, 8, i);
        }
        put(7, 8, 6);
        put(8, 8, 7);
        put(8, 7, 8);
        for i in 9..15 {
            put(8, 14 - i, i);
        }
        // Split between the other two finders.
        for i in 0..8 {
            put(8, size - 1 - i, i);
        }
        for i in 8..15 {
            put(size - 15 + i, 8, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reed_solomon_matches_the_published_example() {
        // "HELLO WORLD", version 1-M (thonky.com's QR tutorial, from ISO/IEC 18004).
        let data = [
            32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17,
        ];
        assert_eq!(
            rs_remainder(&data, &rs_generator(10)),
            vec![196, 35, 39, 119, 235, 215, 231, 226, 93, 23]
        );
    }

    /// Decodes with rqrr, from a picture of the code drawn 4 pixels per module.
    fn read_back(qr: &Qr) -> String {
        let scale = 4;
        let side = (qr.size + 8) * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (row, column) = (y / scale, x / scale);
            let inside = (4..qr.size + 4).contains(&row) && (4..qr.size + 4).contains(&column);
            if inside && qr.dark(row - 4, column - 4) {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the picture");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn a_decoder_reads_back_every_version() {
        for text in [
            "8GSB-9CEK-Q44A",
            "8GSB-9CEK-Q44A-Q829 03001234567",
            "8GSB-9CEK-Q44A-Q829 learner.with.a.longer.id@example.edu",
            &"x".repeat(60),
            &"y".repeat(80),
            &"z".repeat(106),
        ] {
            let qr = Qr::encode(text.as_bytes()).unwrap();
            assert_eq!(read_back(&qr), text, "version of size {}", qr.size);
        }
    }

    #[test]
    fn versions_grow_with_the_data_and_stop_at_six() {
        assert_eq!(Qr::encode(b"8GSB-9CEK-Q44A").unwrap().size, 21);
        assert_eq!(
            Qr::encode(b"8GSB-9CEK-Q44A-Q829 03001234567").unwrap().size,
            29
        );
        assert_eq!(Qr::encode(&[b'x'; 106]).unwrap().size, 41);
        assert!(Qr::encode(&[b'x'; 107]).is_none());
    }

    #[test]
    fn finders_timing_and_dark_module_are_in_place() {
        let qr = Qr::encode(b"hello").unwrap();
        let n = qr.size;
        for (r, c) in [(0, 0), (0, n - 7), (n - 7, 0)] {
            assert!(qr.dark(r, c) && qr.dark(r + 6, c + 6) && !qr.dark(r + 1, c + 1));
            assert!(qr.dark(r + 3, c + 3));
        }
        assert!(qr.dark(n - 8, 8));
        assert!(qr.dark(6, 8) && !qr.dark(6, 9));
    }
}
