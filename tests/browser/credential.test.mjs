// From a pass in the browser to a credential an employer can check: a learner passes both
// assessments of the fixture course in headless Chromium, the institution verifies the two codes
// and runs `sabaq issue`, and two independent verifiers accept the Open Badges 3.0 credential
// offline: @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, and openbadgeslib. Tampered
// copies fail both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyedSite, phone, quizReady, root, runSabaq } from './helpers.mjs';
import { digitalbazaarVerify, openbadgeslibVerify } from './verifiers.mjs';

const course = join(root, 'tests/fixtures/assessed-course');
const learner = '03001234567';
let work;
let key;
let ledger;
let site;
const run = runSabaq;

before(async () => {
  ({ work, key, ledger, site } = await keyedSite(course));
});
after(async () => { await site.close(); });

/** Passes one assessment and returns the code the page shows. */
async function pass(page, path, answer) {
  await page.goto(site.url + path);
  await quizReady(page);
  await page.getByLabel('Your phone number').fill(learner);
  await answer();
  await page.getByRole('button', { name: 'Submit for grading' }).click();
  await page.locator('.quiz-passed .code').waitFor();
  return (await page.locator('.quiz-passed .code').textContent()).trim();
}

test('a learner passes both modules; the issued credential verifies in @digitalbazaar/vc and openbadgeslib, tampered copies in neither', async () => {
  const { browser, page, problems } = await phone();
  let first;
  let second;
  try {
    first = await pass(page, 'assessed/first/exam/index.html', async () => {
      await page.getByLabel('Four').check();
      await page.locator('#q-first-exam-2-a').fill('144');
      await page.locator('#q-first-exam-3-a').fill('expense');
      await page.locator('#q-first-exam-4').getByLabel('True').check();
    });
    second = await pass(page, 'assessed/second/exam/index.html', async () => {
      await page.getByLabel('Blue').check();
      await page.locator('#q-second-exam-2-a').fill('Tuesday');
    });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }

  const file = join(work, 'credential.json');
  const issue = () => run(['issue', '--course', course, '--key', key, '--ledger', ledger,
    '--learner', learner, '--credential', 'assessed-certificate', '--name', 'Ayesha Khan',
    '--out', file]);
  const verify = (code) => run(['verify', '--course', course, '--key', key, '--ledger', ledger,
    '--learner', learner, code]);
  assert.equal(verify(first).code, 0);
  const early = issue();
  assert.equal(early.code, 1, early.out + early.err);
  assert.match(early.err, /missing: second/);
  assert.equal(verify(second).code, 0);
  const issued = issue();
  assert.equal(issued.code, 0, issued.out + issued.err);
  const text = readFileSync(file, 'utf8');
  const credential = JSON.parse(text);

  // Sabaq's own check, then the two independent ones.
  const own = run(['verify-credential', file, '--learner', learner, '--key', key]);
  assert.equal(own.code, 0, own.out + own.err);
  const js = await digitalbazaarVerify(credential);
  assert.equal(js.verified, true, JSON.stringify(js.error));
  const py = openbadgeslibVerify(file);
  assert.equal(py.code, 0, py.out);
  assert.match(py.out, new RegExp(`^verified ${credential.issuer.id} Certificate in Testing`));

  // Tampered copies: the title, the learner's name, a module's evidence, the issue date.
  const tampered = [
    ['title', (c) => { c.credentialSubject.achievement.name = 'Certificate in Surgery'; }],
    ['name', (c) => { c.credentialSubject.identifier[1].identityHash = 'Someone Else'; }],
    ['evidence', (c) => { c.evidence[0].narrative = c.evidence[0].narrative.replace('passed with', 'passed with honours and'); }],
    ['date', (c) => { c.validFrom = '2020-01-01T00:00:00Z'; }],
  ];
  for (const [what, change] of tampered) {
    const copy = structuredClone(credential);
    change(copy);
    assert.notDeepEqual(copy, credential, what);
    const copyFile = join(work, `tampered-${what}.json`);
    writeFileSync(copyFile, JSON.stringify(copy, null, 2));
    const jsTampered = await digitalbazaarVerify(copy);
    assert.equal(jsTampered.verified, false, `@digitalbazaar/vc accepted the ${what} change`);
    const pyTampered = openbadgeslibVerify(copyFile);
    assert.equal(pyTampered.code, 1, `openbadgeslib accepted the ${what} change: ${pyTampered.out}`);
    assert.match(pyTampered.out, /signature mismatch/, pyTampered.out);
    const ownTampered = run(['verify-credential', copyFile]);
    assert.equal(ownTampered.code, 1, ownTampered.out);
    assert.match(ownTampered.out, /signature does not match/);
  }
});
