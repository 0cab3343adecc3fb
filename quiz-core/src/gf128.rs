//! Arithmetic in GF(2^128) (the field of GCM's GHASH, polynomial x^128 + x^7 + x^2 + x + 1,
//! bit i the coefficient of x^i) and polynomials over it: what lets the assessment gate map
//! each accepted answer of a question to a key of its own with nothing on the page that says
//! which answers are accepted (a polynomial through random keys has random coefficients).

use alloc::vec;
use alloc::vec::Vec;

/// The product of `a` and `b`.
pub fn mul(mut a: u128, mut b: u128) -> u128 {
    let mut product = 0;
    while b != 0 {
        if b & 1 == 1 {
            product ^= a;
        }
        b >>= 1;
        let carry = a >> 127;
        a <<= 1;
        if carry == 1 {
            a ^= 0x87;
        }
    }
    product
}

/// The inverse of a non-zero `a`: a^(2^128 - 2), the product of a^(2^i) for i = 1..127.
pub fn inverse(a: u128) -> u128 {
    let (mut square, mut result) = (a, 1);
    for _ in 1..128 {
        square = mul(square, square);
        result = mul(result, square);
    }
    result
}

/// The polynomial with `coefficients` (lowest first) at `x`, by Horner's rule.
pub fn evaluate(coefficients: &[u128], x: u128) -> u128 {
    coefficients.iter().rev().fold(0, |acc, &c| mul(acc, x) ^ c)
}

/// The coefficients (lowest first) of the polynomial of degree below `points.len()` through
/// `points` (x, y); the x must be distinct. Lagrange's form, gathered in O(n^2).
pub fn interpolate(points: &[(u128, u128)]) -> Vec<u128> {
    let n = points.len();
    // The product of (x + x_i) over every point: in characteristic 2, minus is plus.
    let mut all = vec![1u128];
    for &(xi, _) in points {
        let mut next = vec![0u128; all.len() + 1];
        for (k, &c) in all.iter().enumerate() {
            next[k + 1] ^= c;
            next[k] ^= mul(c, xi);
        }
        all = next;
    }
    let mut coefficients = vec![0u128; n];
    let mut quotient = vec![0u128; n];
    for &(xj, yj) in points {
        // all / (x + xj), by synthetic division at the root xj.
        quotient[n - 1] = all[n];
        for k in (1..n).rev() {
            quotient[k - 1] = all[k] ^ mul(xj, quotient[k]);
        }
        let scale = mul(yj, inverse(evaluate(&quotient, xj)));
        for (c, &q) in coefficients.iter_mut().zip(&quotient) {
            *c ^= mul(scale, q);
        }
    }
    coefficients
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_multiplies_and_inverts() {
        let a = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210u128;
        let b = 0xdead_beef_0000_1111_2222_3333_4444_5555u128;
        assert_eq!(mul(a, 1), a);
        assert_eq!(mul(a, b), mul(b, a));
        assert_eq!(mul(a, b ^ 7), mul(a, b) ^ mul(a, 7));
        // x^127 * x = x^128 = x^7 + x^2 + x + 1.
        assert_eq!(mul(1 << 127, 2), 0x87);
        for value in [1, 2, a, b, u128::MAX] {
            assert_eq!(mul(value, inverse(value)), 1, "{value:x}");
        }
    }

    #[test]
    fn interpolation_passes_through_every_point() {
        let points: Vec<(u128, u128)> = (1..=9u128)
            .map(|i| (mul(i, 0x1234_5678_9abc) ^ i, mul(i, i) ^ 0xffff_0000_ffff))
            .collect();
        for n in 1..=points.len() {
            let coefficients = interpolate(&points[..n]);
            assert_eq!(coefficients.len(), n);
            for &(x, y) in &points[..n] {
                assert_eq!(evaluate(&coefficients, x), y);
            }
        }
    }
}
