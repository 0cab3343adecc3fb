//! Open Badges 3.0 credentials: the one Sabaq issues when the ledger holds every module of a
//! course credential for a learner, and the strict reading `sabaq verify-credential` makes of one.
//!
//! The same types write and read the JSON, and they refuse any member Sabaq does not write: the
//! signature covers the RDF the JSON means, so a member the contexts drop (or one Sabaq would
//! not show) must not slip through as if it were signed.

use anyhow::{Context, Result, bail};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::CredentialConfig;
use crate::data_integrity;
use crate::did_key;
use crate::linked_data::{CREDENTIALS_V2, OPEN_BADGES_V3};
use crate::model::Course;
use crate::verify::Entry;
use sabaq_quiz::code::normalize_learner;
use sabaq_quiz::key::to_hex;

/// What every Sabaq credential says about the assessments behind it (credentials.md).
pub const CRITERIA: &str = "Awarded for passing the assessment of every module listed. Each assessment is an unproctored self-assessment taken in the learner's own browser. A completion code shows that someone holding the module's key, which passing the assessment reveals, claimed that this learner passed on that day with that score; the institution verified each code. It does not prove who answered, that they worked alone, the real date or the real score.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Credential {
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub issuer: Profile,
    pub valid_from: String,
    pub name: String,
    pub credential_subject: Subject,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub identifier: Vec<IdentityObject>,
    pub achievement: Achievement,
}

/// Who the credential is for: the learner id, salted and hashed, and the name if one was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IdentityObject {
    #[serde(rename = "type")]
    pub kind: String,
    pub identity_hash: String,
    pub identity_type: String,
    pub hashed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Achievement {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub achievement_type: String,
    pub name: String,
    pub description: String,
    pub criteria: Criteria,
    pub in_language: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    pub narrative: String,
}

/// One module's verified pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
    pub narrative: String,
}

/// The modules of `credential` that `passes` (one learner's ledger entries) lack.
pub fn missing_modules(credential: &CredentialConfig, passes: &[&Entry]) -> Vec<String> {
    credential
        .modules
        .iter()
        .filter(|slug| !passes.iter().any(|e| &e.pass.module == *slug))
        .cloned()
        .collect()
}

/// Everything a credential is made of, apart from randomness and the clock.
pub struct Award<'a> {
    pub course: &'a Course,
    pub credential: &'a CredentialConfig,
    /// The learner id as given; hashed in its normalised form.
    pub learner: &'a str,
    /// The learner's name, to be shown in the clear.
    pub name: Option<&'a str>,
    /// The learner's ledger entries for this course.
    pub passes: &'a [&'a Entry],
}

impl Award<'_> {
    /// The unsigned credential. `salt` hides the learner id from anyone who cannot guess it;
    /// `id` names this credential (`urn:uuid:…`); `now` is its validFrom.
    pub fn unsigned(&self, issuer: &str, salt: &str, id: &str, now: &str) -> Result<Credential> {
        let missing = missing_modules(self.credential, self.passes);
        if !missing.is_empty() {
            bail!(
                "the ledger has no verified pass of {} for learner {}",
                missing.join(", "),
                normalize_learner(self.learner)
            );
        }
        let issuer_config = self
            .course
            .issuer
            .as_ref()
            .with_context(|| format!("course `{}` names no issuer", self.course.id))?;
        let mut identifier = vec![IdentityObject {
            kind: "IdentityObject".into(),
            identity_hash: identity_hash(self.learner, salt),
            identity_type: "identifier".into(),
            hashed: true,
            salt: Some(salt.into()),
        }];
        if let Some(name) = self.name {
            identifier.push(IdentityObject {
                kind: "IdentityObject".into(),
                identity_hash: name.trim().into(),
                identity_type: "name".into(),
                hashed: false,
                salt: None,
            });
        }
        let mut evidence = Vec::new();
        let mut titles = Vec::new();
        for slug in &self.credential.modules {
            let module = self
                .course
                .module(slug)
                .with_context(|| format!("credential module `{slug}` is not in the course"))?;
            titles.push(module.title.clone());
            // The earliest verified pass of the module is the one that earned it.
            let Some(entry) = self
                .passes
                .iter()
                .filter(|e| &e.pass.module == slug)
                .min_by(|a, b| a.verified.cmp(&b.verified))
            else {
                unreachable!("missing modules were refused above");
            };
            evidence.push(Evidence {
                types: vec!["Evidence".into()],
                name: module.title.clone(),
                narrative: format!(
                    "Assessment of module {} ({slug}) passed with {}% on {}, as the completion code {} says; the code was verified by the issuer on {}.",
                    entry.pass.module_number,
                    entry.pass.score,
                    entry.pass.date,
                    entry.pass.code,
                    entry.verified
                ),
            });
        }
        Ok(Credential {
            context: vec![CREDENTIALS_V2.into(), OPEN_BADGES_V3.into()],
            id: id.into(),
            types: vec!["VerifiableCredential".into(), "OpenBadgeCredential".into()],
            issuer: Profile {
                id: issuer.into(),
                types: vec!["Profile".into()],
                name: issuer_config.name.clone(),
                url: issuer_config.url.clone(),
            },
            valid_from: now.into(),
            name: self.credential.title.clone(),
            credential_subject: Subject {
                types: vec!["AchievementSubject".into()],
                identifier,
                achievement: Achievement {
                    id: achievement_id(issuer, &self.course.id, &self.credential.id),
                    types: vec!["Achievement".into()],
                    achievement_type: "MicroCredential".into(),
                    name: self.credential.title.clone(),
                    description: format!(
                        "{} ({}): {}",
                        self.course.title,
                        self.credential.id,
                        titles.join("; ")
                    ),
                    criteria: Criteria {
                        narrative: CRITERIA.into(),
                    },
                    in_language: self.course.language.clone(),
                },
            },
            evidence,
            proof: None,
        })
    }

    /// The signed credential, with a fresh salt and id and the current time.
    pub fn issue(&self, key: &SigningKey) -> Result<Credential> {
        let mut random = [0u8; 32];
        getrandom::fill(&mut random)
            .map_err(|e| anyhow::anyhow!("the system gave no random bytes: {e}"))?;
        let salt = to_hex(&random[..16]);
        let id = format!(
            "urn:uuid:{}",
            uuid(random[16..].try_into().expect("16 bytes"), 4)
        );
        let now = crate::dates::now_timestamp();
        let issuer = did_key::did(&key.verifying_key());
        let unsigned = serde_json::to_value(self.unsigned(&issuer, &salt, &id, &now)?)?;
        let signed = data_integrity::sign(&unsigned, key, &now)?;
        Ok(serde_json::from_value(signed)?)
    }
}

/// `sha256$…` of the normalised learner id followed by the salt (the Open Badges identity hash).
pub fn identity_hash(learner: &str, salt: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(normalize_learner(learner).as_bytes());
    hasher.update(salt.as_bytes());
    format!("sha256${}", to_hex(&hasher.finalize()))
}

/// The same achievement id for every learner of one credential of one issuer: a name-based
/// UUID (version 8) from SHA-256.
fn achievement_id(issuer: &str, course: &str, credential: &str) -> String {
    let digest = Sha256::digest(format!(
        "sabaq achievement\0{issuer}\0{course}\0{credential}"
    ));
    let bytes: [u8; 16] = digest[..16].try_into().expect("16 bytes");
    format!("urn:uuid:{}", uuid(bytes, 8))
}

/// A UUID of the given version from 16 bytes (RFC 9562 layout).
fn uuid(mut bytes: [u8; 16], version: u8) -> String {
    bytes[6] = (bytes[6] & 0x0f) | (version << 4);
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = to_hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// What a checked credential says.
#[derive(Debug)]
pub struct Checked {
    pub credential: Credential,
    /// The issuer's did:key, which signed it.
    pub issuer: String,
}

/// Reads a credential and checks its proof. An error says what is wrong; everything Sabaq
/// shows afterwards comes from JSON the signature covers.
pub fn check(text: &str) -> Result<Checked> {
    let value: serde_json::Value = serde_json::from_str(text).context("the file is not JSON")?;
    let credential: Credential = serde_json::from_value(value.clone())
        .context("not an Open Badges credential as Sabaq issues them")?;
    if credential.context != [CREDENTIALS_V2, OPEN_BADGES_V3] {
        bail!(
            "@context must be [{CREDENTIALS_V2}, {OPEN_BADGES_V3}], the contexts Sabaq ships; found {:?}",
            credential.context
        );
    }
    for wanted in ["VerifiableCredential", "OpenBadgeCredential"] {
        if !credential.types.iter().any(|t| t == wanted) {
            bail!("the credential's type does not include {wanted}");
        }
    }
    let verified = data_integrity::verify(&value)?;
    let signer = did_key::did(&verified.key);
    if credential.issuer.id != signer {
        bail!(
            "the issuer is {} but the proof was made by {signer}: anyone can sign; only the issuer's own key counts",
            credential.issuer.id
        );
    }
    Ok(Checked {
        credential,
        issuer: signer,
    })
}

impl Checked {
    /// Whether the credential was issued to `learner` (compared in normalised form).
    pub fn is_for(&self, learner: &str) -> bool {
        self.credential
            .credential_subject
            .identifier
            .iter()
            .any(|id| match (&id.salt, id.hashed) {
                (Some(salt), true) => identity_hash(learner, salt) == id.identity_hash,
                _ => false,
            })
    }

    /// The learner's name, if the credential carries one.
    pub fn name(&self) -> Option<&str> {
        self.credential
            .credential_subject
            .identifier
            .iter()
            .find(|id| !id.hashed && id.identity_type == "name")
            .map(|id| id.identity_hash.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_carry_their_version_and_variant() {
        let id = uuid([0xff; 16], 4);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let id = achievement_id("did:key:z6Mk", "money", "certificate");
        assert_eq!(&id[23..24], "8", "{id}");
        assert_eq!(id, achievement_id("did:key:z6Mk", "money", "certificate"));
        assert_ne!(id, achievement_id("did:key:z6Mk", "money", "other"));
    }

    #[test]
    fn the_identity_hash_is_of_the_normalised_id_and_the_salt() {
        // sha256("03001234567" + "abc"), by Python's hashlib.
        assert_eq!(
            identity_hash(" 0300-123 4567 ", "abc"),
            "sha256$676141c7bf34ad0e2f0c9d929c64abde6ceb8c4a54def41f5ed301f8a4da9e2d"
        );
    }

    #[test]
    fn a_credential_signed_by_digitalbazaar_vc_reads_and_verifies() {
        // Signed by @digitalbazaar/vc 7.3.0 with eddsa-rdfc-2022-cryptosuite 1.3.0
        // (tests/fixtures/credentials/README.md).
        let text = include_str!("../../tests/fixtures/credentials/signed-by-digitalbazaar.json");
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let verified = data_integrity::verify(&value).unwrap();
        assert_eq!(
            did_key::did(&verified.key),
            "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z"
        );
        let mut unsigned = value.clone();
        unsigned.as_object_mut().unwrap().remove("proof");
        assert_eq!(
            crate::linked_data::canonical_nquads(&unsigned).unwrap(),
            include_str!("../../tests/fixtures/credentials/signed-by-digitalbazaar.nq")
        );
        let checked = check(text).unwrap();
        assert_eq!(checked.issuer, did_key::did(&verified.key));
        assert!(!checked.is_for("0300 1234567"));
        let tampered = text.replace("Module two", "Module 2");
        let error = format!("{:#}", check(&tampered).unwrap_err());
        assert!(error.contains("signature does not match"), "{error}");
    }
}
