// Remakes tests/fixtures/credentials/signed-by-digitalbazaar.{json,nq}: the unsigned credential
// signed by @digitalbazaar/vc with eddsa-rdfc-2022 (Ed25519 seed of 32 bytes of 7, a fixed
// date), and the RDFC-1.0 N-Quads jsonld.js makes of it. Sabaq's unit tests verify the one and
// compare their own canonical form with the other. Ed25519 is deterministic, so a rerun writes
// the same bytes. Usage: node tests/browser/sign-fixture.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import jsonld from 'jsonld';
import { root } from './helpers.mjs';
import { documentLoader } from './verifiers.mjs';

const dir = join(root, 'tests/fixtures/credentials');
const key = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(7) });
const did = `did:key:${key.publicKeyMultibase}`;
key.id = `${did}#${key.publicKeyMultibase}`;
key.controller = did;
const credential = JSON.parse(readFileSync(join(dir, 'unsigned.json'), 'utf8'));
credential.issuer.id = did;
const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite, date: '2026-11-23T10:00:00Z' });
const signed = await vc.issue({ credential, suite, documentLoader });
writeFileSync(join(dir, 'signed-by-digitalbazaar.json'), JSON.stringify(signed, null, 2));
const { proof, ...unsecured } = signed;
const nquads = await jsonld.canonize(unsecured, {
  algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true,
});
writeFileSync(join(dir, 'signed-by-digitalbazaar.nq'), nquads);
console.log(`signed by ${did}`);
