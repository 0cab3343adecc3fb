//! `did:key` for Ed25519: the issuer identifier that is its own public key, so a credential can
//! be checked with nothing fetched.

use anyhow::{Result, bail};
use ed25519_dalek::VerifyingKey;

/// The multicodec prefix of an Ed25519 public key (0xed as an unsigned varint).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// The `z…` multibase (base58btc) form of a public key, as in did:key and Multikey.
pub fn multibase(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// `did:key:z6Mk…` for a public key.
pub fn did(key: &VerifyingKey) -> String {
    format!("did:key:{}", multibase(key))
}

/// The verification method that signs for a did:key: the DID with its key as the fragment.
pub fn verification_method(key: &VerifyingKey) -> String {
    format!("{}#{}", did(key), multibase(key))
}

/// The public key a did:key or its verification method (`did:key:z…#z…`) names.
pub fn public_key(id: &str) -> Result<VerifyingKey> {
    let Some(rest) = id.strip_prefix("did:key:") else {
        bail!("`{id}` is not a did:key");
    };
    let (key_part, fragment) = match rest.split_once('#') {
        Some((key, fragment)) => (key, Some(fragment)),
        None => (rest, None),
    };
    if fragment.is_some_and(|f| f != key_part) {
        bail!("`{id}`: the fragment must repeat the key, as did:key verification methods do");
    }
    let Some(base58) = key_part.strip_prefix('z') else {
        bail!("`{id}`: a did:key is base58btc multibase and starts with `z`");
    };
    let bytes = match bs58::decode(base58).into_vec() {
        Ok(bytes) => bytes,
        Err(e) => bail!("`{id}`: not base58btc: {e}"),
    };
    let Some(key) = bytes.strip_prefix(&ED25519_PUB) else {
        bail!("`{id}` is not an Ed25519 did:key");
    };
    let Ok(key) = <[u8; 32]>::try_from(key) else {
        bail!("`{id}`: an Ed25519 key is 32 bytes, this one {}", key.len());
    };
    match VerifyingKey::from_bytes(&key) {
        Ok(key) => Ok(key),
        Err(_) => bail!("`{id}` is not a valid Ed25519 public key"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    #[test]
    fn the_did_of_a_pinned_seed_matches_digitalbazaar_ed25519_multikey() {
        // @digitalbazaar/ed25519-multikey 1.3.1, `generate({seed: 32 bytes of 7})`.
        let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
        assert_eq!(
            did(&key),
            "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z"
        );
        assert_eq!(public_key(&did(&key)).unwrap(), key);
        assert_eq!(public_key(&verification_method(&key)).unwrap(), key);
    }

    #[test]
    fn malformed_ids_are_refused_with_the_reason() {
        let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
        let did = did(&key);
        // A secp256k1 key (multicodec 0xe7): a did:key, but not one that signs eddsa proofs.
        let secp256k1 = format!(
            "did:key:z{}",
            bs58::encode([&[0xe7, 0x01][..], &[2; 33]].concat()).into_string()
        );
        for (id, reason) in [
            ("did:web:example.org", "not a did:key"),
            ("did:key:6Mk", "starts with `z`"),
            ("did:key:z0OIl", "not base58btc"),
            (&format!("{did}#z6Mkother"), "fragment"),
            (&secp256k1, "not an Ed25519"),
        ] {
            let error = format!("{:#}", public_key(id).unwrap_err());
            assert!(error.contains(reason), "{id}: {error}");
        }
    }
}
