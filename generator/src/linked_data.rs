//! JSON-LD as signed data: the contexts Sabaq ships (pinned by SHA-256, never fetched) and the
//! RDFC-1.0 canonical N-Quads of a document, which is what a Data Integrity proof hashes.

use anyhow::{Result, anyhow, bail};
use sabaq_quiz::key::to_hex;
use sha2::{Digest, Sha256};
use sophia_api::source::QuadSource;
use sophia_inmem::dataset::LightDataset;
use sophia_jsonld::json_ld::future::FutureExt;
use sophia_jsonld::loader::ClosureLoader;
use sophia_jsonld::{JsonLdOptions, JsonLdParser};

/// The W3C Verifiable Credentials 2.0 context (it also defines the Data Integrity proof terms).
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context, version 3.0.3.
pub const OPEN_BADGES_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// A context document shipped with Sabaq.
pub struct Context {
    pub url: &'static str,
    pub text: &'static str,
    /// SHA-256 of `text`, hex: checked before the text is ever used.
    pub sha256: &'static str,
}

/// Every context a credential may name; any other is refused, so nothing is fetched.
pub const CONTEXTS: [Context; 2] = [
    Context {
        url: CREDENTIALS_V2,
        text: include_str!("../contexts/credentials-v2.jsonld"),
        sha256: "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
    },
    Context {
        url: OPEN_BADGES_V3,
        text: include_str!("../contexts/ob-v3p0-context-3.0.3.jsonld"),
        sha256: "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    },
];

/// The shipped text of the context at `url`, after checking it against its pinned hash.
pub fn context(url: &str) -> Result<&'static str> {
    let Some(context) = CONTEXTS.iter().find(|c| c.url == url) else {
        bail!(
            "the JSON-LD context {url} is not one Sabaq ships ({}); it is never fetched",
            CONTEXTS.map(|c| c.url).join(", ")
        );
    };
    let digest = to_hex(&Sha256::digest(context.text.as_bytes()));
    if digest != context.sha256 {
        bail!("the shipped copy of {url} does not match its pinned SHA-256");
    }
    Ok(context.text)
}

/// The canonical N-Quads (RDFC-1.0, SHA-256) of a JSON-LD document whose contexts are all
/// shipped ones.
pub fn canonical_nquads(document: &serde_json::Value) -> Result<String> {
    let options = JsonLdOptions::new().with_document_loader_closure(|| {
        ClosureLoader::new(|url: sophia_iri::Iri<String>| {
            let found = context(url.as_str())
                .map(str::to_string)
                .map_err(|e| format!("{e:#}"));
            async move { found }.boxed()
        })
    });
    let parser = JsonLdParser::new_with_options(options);
    let text = document.to_string();
    let dataset: LightDataset = {
        use sophia_api::parser::QuadParser;
        parser
            .parse_str(&text)
            .collect_quads()
            .map_err(|e| anyhow!("not valid JSON-LD: {e}"))?
    };
    let mut out = Vec::new();
    sophia_c14n::rdfc10::normalize(&dataset, &mut out)
        .map_err(|e| anyhow!("cannot canonicalise the RDF: {e}"))?;
    String::from_utf8(out).map_err(|_| anyhow!("canonical N-Quads are not UTF-8"))
}

/// SHA-256 of the canonical N-Quads of `document`.
pub fn canonical_hash(document: &serde_json::Value) -> Result<[u8; 32]> {
    Ok(Sha256::digest(canonical_nquads(document)?.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_context_matches_its_pin_and_others_are_refused() {
        for c in &CONTEXTS {
            assert!(context(c.url).is_ok(), "{}", c.url);
        }
        let refused = context("https://example.org/ctx.json").unwrap_err();
        assert!(format!("{refused}").contains("never fetched"));
    }

    #[test]
    fn typed_values_follow_the_context() {
        // The Open Badges context types `hashed` with an https XML Schema IRI; a processor that
        // ignored the context's typing would write xsd:boolean and sign different bytes.
        let doc = serde_json::json!({
            "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
            "type": "IdentityObject",
            "hashed": true,
            "identityHash": "a"
        });
        let nquads = canonical_nquads(&doc).unwrap();
        assert!(
            nquads.contains("\"true\"^^<https://www.w3.org/2001/XMLSchema#boolean>"),
            "{nquads}"
        );
    }

    #[test]
    fn an_unknown_context_is_an_error_not_a_fetch() {
        let doc = serde_json::json!({"@context": "https://example.org/other", "name": "x"});
        let error = format!("{:#}", canonical_nquads(&doc).unwrap_err());
        assert!(error.contains("never fetched"), "{error}");
    }
}
