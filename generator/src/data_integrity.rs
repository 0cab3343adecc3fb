//! W3C Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite: the Ed25519 signature over
//! the SHA-256 of the canonical proof options and of the canonical document, by a did:key.

use anyhow::{Context, Result, bail};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};

use crate::did_key;
use crate::linked_data::canonical_hash;

pub const PROOF_TYPE: &str = "DataIntegrityProof";
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
/// Credentials are signed as assertions of their issuer.
pub const PROOF_PURPOSE: &str = "assertionMethod";

/// Adds a proof to `document` (which must have none), created at `created` (an XML Schema
/// dateTime such as `2026-11-23T10:00:00Z`).
pub fn sign(document: &Value, key: &SigningKey, created: &str) -> Result<Value> {
    let Some(fields) = document.as_object() else {
        bail!("only a JSON object can be signed");
    };
    if fields.contains_key("proof") {
        bail!("the document is signed already");
    }
    let mut proof = Map::new();
    proof.insert("type".into(), PROOF_TYPE.into());
    proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
    proof.insert("created".into(), created.into());
    proof.insert(
        "verificationMethod".into(),
        did_key::verification_method(&key.verifying_key()).into(),
    );
    proof.insert("proofPurpose".into(), PROOF_PURPOSE.into());
    let signature = key.sign(&hash_data(fields, &proof)?);
    proof.insert(
        "proofValue".into(),
        format!("z{}", bs58::encode(signature.to_bytes()).into_string()).into(),
    );
    let mut signed = fields.clone();
    signed.insert("proof".into(), Value::Object(proof));
    Ok(Value::Object(signed))
}

/// What a good proof tells: the verification method and its key.
#[derive(Debug)]
pub struct Verified {
    pub verification_method: String,
    pub key: VerifyingKey,
}

/// Checks the one `eddsa-rdfc-2022` proof of `document`. An error says what is wrong.
pub fn verify(document: &Value) -> Result<Verified> {
    let Some(fields) = document.as_object() else {
        bail!("a credential is a JSON object");
    };
    let mut unsecured = fields.clone();
    let proof = match unsecured.remove("proof") {
        Some(Value::Object(proof)) => proof,
        Some(Value::Array(_)) => bail!("the credential has several proofs; Sabaq signs with one"),
        Some(_) => bail!("`proof` is not an object"),
        None => bail!("the credential has no proof: it is not signed"),
    };
    for (name, expected) in [
        ("type", PROOF_TYPE),
        ("cryptosuite", CRYPTOSUITE),
        ("proofPurpose", PROOF_PURPOSE),
    ] {
        match proof.get(name).and_then(Value::as_str) {
            Some(value) if value == expected => {}
            Some(value) => bail!("proof {name} is `{value}`; expected `{expected}`"),
            None => bail!("the proof has no {name}"),
        }
    }
    let Some(method) = proof.get("verificationMethod").and_then(Value::as_str) else {
        bail!("the proof has no verificationMethod");
    };
    let key = did_key::public_key(method).context("the proof's verificationMethod")?;
    let Some(value) = proof.get("proofValue").and_then(Value::as_str) else {
        bail!("the proof has no proofValue");
    };
    let signature = value
        .strip_prefix('z')
        .and_then(|b| bs58::decode(b).into_vec().ok())
        .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
        .map(|bytes| Signature::from_bytes(&bytes))
        .context("the proofValue is not a base58btc Ed25519 signature")?;
    let mut options = proof.clone();
    options.remove("proofValue");
    let data = hash_data(&unsecured, &options)?;
    if key.verify_strict(&data, &signature).is_err() {
        bail!(
            "the signature does not match: the credential was changed after it was signed, or the proof was made for another document"
        );
    }
    Ok(Verified {
        verification_method: method.to_string(),
        key,
    })
}

/// The signed bytes: SHA-256 of the canonical proof options (under the document's contexts)
/// followed by SHA-256 of the canonical document without its proof.
fn hash_data(document: &Map<String, Value>, options: &Map<String, Value>) -> Result<Vec<u8>> {
    let Some(context) = document.get("@context") else {
        bail!("the document has no @context");
    };
    let mut config = options.clone();
    config.insert("@context".into(), context.clone());
    let mut data = canonical_hash(&Value::Object(config))
        .context("canonicalising the proof options")?
        .to_vec();
    data.extend(
        canonical_hash(&Value::Object(document.clone())).context("canonicalising the document")?,
    );
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linked_data::{CREDENTIALS_V2, OPEN_BADGES_V3};

    fn document() -> Value {
        serde_json::json!({
            "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
            "id": "urn:uuid:2b0e2c1a-5d7e-4a55-9c3a-6f0f1e2d3c4b",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z", "type": ["Profile"], "name": "Test"},
            "validFrom": "2026-11-23T10:00:00Z",
            "name": "A badge",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "urn:uuid:6c1f0000-0000-4000-8000-000000000000",
                    "type": ["Achievement"],
                    "name": "A badge",
                    "description": "d",
                    "criteria": {"narrative": "n"}
                }
            }
        })
    }

    #[test]
    fn a_signed_document_verifies_and_any_change_breaks_it() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let signed = sign(&document(), &key, "2026-11-23T10:00:00Z").unwrap();
        let verified = verify(&signed).unwrap();
        assert_eq!(verified.key, key.verifying_key());
        let mut renamed = signed.clone();
        renamed["credentialSubject"]["achievement"]["name"] = "Another badge".into();
        let error = format!("{:#}", verify(&renamed).unwrap_err());
        assert!(error.contains("signature does not match"), "{error}");
        let mut redated = signed.clone();
        redated["proof"]["created"] = "2020-01-01T00:00:00Z".into();
        assert!(verify(&redated).is_err());
        let mut unsigned = signed.clone();
        unsigned.as_object_mut().unwrap().remove("proof");
        assert!(format!("{:#}", verify(&unsigned).unwrap_err()).contains("no proof"));
        assert!(sign(&signed, &key, "2026-11-23T10:00:00Z").is_err());
    }
}
