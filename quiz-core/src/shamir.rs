//! Shamir threshold sharing of a 16-byte secret over GF(2^8), byte by byte: any `t` of the
//! `n` shares give the secret back, fewer give nothing. Share `i` is the polynomial at
//! x = i + 1 (x = 0 is the secret).

use alloc::vec::Vec;

/// Bytes in the shared secret.
pub const LEN: usize = 16;

/// Powers of the generator 3 in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1,
/// twice over so a sum of two logarithms needs no reduction.
const EXP: [u8; 510] = {
    let mut table = [0u8; 510];
    let mut x: u16 = 1;
    let mut i = 0;
    while i < 510 {
        table[i] = x as u8;
        // x * 3 = x * 2 + x
        let mut doubled = x << 1;
        if doubled & 0x100 != 0 {
            doubled ^= 0x11b;
        }
        x = doubled ^ x;
        i += 1;
    }
    table
};

/// Discrete logarithms to base 3 (the entry for 0 is unused).
const LOG: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 255 {
        table[EXP[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        EXP[usize::from(LOG[usize::from(a)]) + usize::from(LOG[usize::from(b)])]
    }
}

/// The inverse of a non-zero element.
fn inverse(a: u8) -> u8 {
    EXP[255 - usize::from(LOG[usize::from(a)])]
}

/// Splits `secret` into `n` shares, any `t` of which recover it. `coefficients` gives the
/// random bytes of the polynomials: it is called `(t - 1) * LEN` times and must be
/// unpredictable to whoever sees the shares.
pub fn split(
    secret: &[u8; LEN],
    t: usize,
    n: usize,
    mut coefficients: impl FnMut() -> u8,
) -> Vec<[u8; LEN]> {
    assert!(t >= 1 && t <= n && n <= 255, "need 1 <= t <= n <= 255");
    let polynomials: Vec<Vec<u8>> = secret
        .iter()
        .map(|&s| {
            let mut p = Vec::with_capacity(t);
            p.push(s);
            p.extend((1..t).map(|_| coefficients()));
            p
        })
        .collect();
    (1..=n as u8)
        .map(|x| {
            core::array::from_fn(|byte| {
                // Horner's rule, highest coefficient first.
                polynomials[byte]
                    .iter()
                    .rev()
                    .fold(0, |acc, &c| mul(acc, x) ^ c)
            })
        })
        .collect()
}

/// The secret from shares given as (share index, share); the indices must be distinct and
/// there must be exactly the threshold of them, else the result is some unrelated value.
pub fn combine(shares: &[(usize, [u8; LEN])]) -> [u8; LEN] {
    let xs: Vec<u8> = shares.iter().map(|(i, _)| *i as u8 + 1).collect();
    // Lagrange basis at 0: l_j = prod over m != j of x_m / (x_m - x_j); minus is xor.
    let weights: Vec<u8> = xs
        .iter()
        .enumerate()
        .map(|(j, &xj)| {
            let (mut num, mut den) = (1u8, 1u8);
            for (m, &xm) in xs.iter().enumerate() {
                if m != j {
                    num = mul(num, xm);
                    den = mul(den, xm ^ xj);
                }
            }
            mul(num, inverse(den))
        })
        .collect();
    core::array::from_fn(|byte| {
        shares
            .iter()
            .zip(&weights)
            .fold(0, |acc, ((_, share), &w)| acc ^ mul(share[byte], w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn counter() -> impl FnMut() -> u8 {
        let mut state = 7u8;
        move || {
            state = state.wrapping_mul(31).wrapping_add(17);
            state
        }
    }

    #[test]
    fn field_arithmetic() {
        assert_eq!(mul(0x57, 0x83), 0xc1); // FIPS-197's example
        for a in 1..=255u8 {
            assert_eq!(mul(a, inverse(a)), 1, "{a}");
        }
    }

    #[test]
    fn any_threshold_subset_recovers_the_secret_and_fewer_do_not() {
        let secret: [u8; LEN] = core::array::from_fn(|i| i as u8 * 13 + 1);
        let shares = split(&secret, 3, 5, counter());
        for a in 0..5 {
            for b in a + 1..5 {
                for c in b + 1..5 {
                    let picked = [(a, shares[a]), (b, shares[b]), (c, shares[c])];
                    assert_eq!(combine(&picked), secret, "{a}{b}{c}");
                }
                assert_ne!(combine(&[(a, shares[a]), (b, shares[b])]), secret);
            }
        }
        let mut wrong = shares[1];
        wrong[0] ^= 1;
        assert_ne!(
            combine(&[(0, shares[0]), (1, wrong), (2, shares[2])]),
            secret
        );
    }

    #[test]
    fn one_of_one_and_all_of_many() {
        let secret = [9u8; LEN];
        assert_eq!(split(&secret, 1, 1, counter()), vec![secret]);
        let shares = split(&secret, 8, 8, counter());
        let all: Vec<(usize, [u8; LEN])> = shares.into_iter().enumerate().collect();
        assert_eq!(combine(&all), secret);
    }
}
