// An assessment in headless Chromium: before a pass the learner hears only "not passed yet";
// a pass unlocks the module key through the gate, marks every question, and shows a completion
// code that `sabaq verify` accepts for that learner and rejects for another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { keyedSite, phone, quizReady, root, runSabaq } from './helpers.mjs';

const course = join(root, 'tests/fixtures/assessed-course');
const exam = 'assessed/first/exam/index.html';
let key;
let ledger;
let site;
const run = runSabaq;

before(async () => {
  ({ key, ledger, site } = await keyedSite(course));
});
after(async () => { await site.close(); });

/** The text of the QR code in a screenshot. */
function readQr(picture) {
  const read = jsQR(new Uint8ClampedArray(picture.data), picture.width, picture.height);
  assert.ok(read, 'the QR code decodes');
  return read.data;
}

async function answer(page, { number }) {
  await page.getByLabel('Your phone number').fill('0300 1234567'.replace(' ', ''));
  await page.getByLabel('Four').check();
  await page.locator('#q-first-exam-2-a').fill(number);
  await page.locator('#q-first-exam-3-a').fill('Expenses');
  await page.locator('#q-first-exam-4').getByLabel('True').check();
}

test('one answer below the pass mark: "not passed yet", no score, no marks, no QR engine', async () => {
  const { browser, page, problems } = await phone();
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  try {
    await page.goto(site.url + exam);
    await quizReady(page);
    await answer(page, { number: '144' });
    await page.locator('#q-first-exam-3-a').fill('income');
    await page.locator('#q-first-exam-4').getByLabel('False').check();
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    await page.getByText('Not passed yet. Check your answers and try again.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.className), 'quiz-result quiz-not-passed');
    assert.equal(await page.locator('fieldset.question.is-right, fieldset.question.is-wrong').count(), 0);
    assert.ok(await page.locator('.quiz-passed').isHidden());
    assert.equal(await page.getByText('Two and two make four.').count(), 0);
    assert.deepEqual(fetched.filter((path) => path.includes('sabaq-qr')), ['/assets/sabaq-qr-on-pass.js']);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a pass shows a code that sabaq verify accepts for this learner and rejects for another', async () => {
  const { browser, page, problems } = await phone();
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  let code;
  let digits;
  try {
    await page.goto(site.url + exam);
    await quizReady(page);
    // The learner id is asked first, and checked against the course's pattern.
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    assert.ok(await page.locator('.quiz-checking').isHidden());
    assert.ok(await page.locator('.quiz-not-passed').isHidden());
    await answer(page, { number: '۱۴۴' });
    await page.locator('#q-first-exam-4').getByLabel('False').check(); // one wrong: 3 of 4 pass
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    await page.locator('.quiz-score').filter({ hasText: 'Passed: 3 of 4 right (75%).' }).waitFor();
    assert.ok(await page.locator('.quiz-not-passed').isHidden());
    code = (await page.locator('.quiz-passed .code').textContent()).trim();
    digits = (await page.locator('.code-digits').textContent()).trim();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    assert.match(digits, /^\d{5}( \d{5}){4}$/);
    // The QR code of the code and the id, drawn on the pass screen by the QR engine, which the
    // page fetched only once the pass was on screen.
    const passQr = page.locator('.quiz-passed .quiz-qr');
    await passQr.locator('svg').waitFor();
    assert.equal(readQr(PNG.sync.read(await passQr.screenshot())), `${code} 03001234567`);
    assert.ok(fetched.includes('/assets/sabaq-qr_bg.wasm'), fetched.join(' '));
    // Full feedback after the pass: marks and explanations.
    assert.equal(await page.locator('fieldset.question.is-right').count(), 3);
    assert.match(await page.locator('#q-first-exam-4').getAttribute('class'), /is-wrong/);
    await page.getByText('Two and two make four.').waitFor();
    // Ways to send it, pre-filled with the code and the learner id.
    const sms = await page.getByRole('link', { name: 'SMS' }).getAttribute('href');
    assert.ok(sms.startsWith('sms:+920000000000?body='), sms);
    assert.ok(decodeURIComponent(sms).includes(code) && decodeURIComponent(sms).includes('03001234567'), sms);
    const whatsapp = await page.getByRole('link', { name: 'WhatsApp' }).getAttribute('href');
    assert.ok(whatsapp.startsWith('https://wa.me/923000000000?text='), whatsapp);
    // The code is kept: My progress lists it, with a QR code that reads as the code and the id.
    await page.getByRole('link', { name: /Your codes are kept on My progress/ }).click();
    await page.waitForURL(/progress\/index.html$/);
    await page.locator('li[data-quiz="first-exam"] .progress-status')
      .filter({ hasText: `Passed · Completion code: ${code}` }).waitFor();
    const qr = page.locator('li[data-quiz="first-exam"] .progress-qr');
    await qr.waitFor();
    assert.equal(readQr(PNG.sync.read(await qr.screenshot())), `${code} 03001234567`);
    assert.ok(await page.locator('li[data-quiz="second-exam"] .progress-qr').isHidden());
    // The credential stacks: which modules have a code, which are still missing.
    const credential = page.locator('.progress-credential').filter({ hasText: 'Certificate in Testing' });
    assert.equal(await credential.locator('.progress-credential-summary').textContent(), '1 of 2 modules earned');
    assert.equal(await credential.locator('li').nth(0).textContent(), 'First module Code earned');
    assert.equal(await credential.locator('li').nth(1).textContent(), 'Second module Still missing');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }

  const verify = (learner, ...codes) => run(['verify', '--course', course, '--key', key,
    '--ledger', ledger, '--learner', learner, ...codes]);
  const accepted = verify('0300-123 4567', code);
  assert.equal(accepted.code, 0, accepted.out + accepted.err);
  assert.match(accepted.out, /valid: module 1 \(first\), 75%, passed \d{4}-\d\d-\d\d \(recorded now\)/);
  assert.match(accepted.out, /Certificate in Testing \(assessed-certificate\): 1 of 2 modules: first verified/);
  // The digits form is the same code; submitting it again changes nothing.
  const again = verify('03001234567', digits);
  assert.equal(again.code, 0, again.out + again.err);
  assert.match(again.out, /already recorded on/);
  const other = verify('03009999999', code);
  assert.equal(other.code, 1, other.out);
  assert.match(other.out, /wrong tag/);
});

test('a new pass after "Start again" redraws the QR code for the new code', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(site.url + exam);
    await quizReady(page);
    await answer(page, { number: '144' });
    await page.locator('#q-first-exam-4').getByLabel('False').check(); // 3 of 4
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    await page.locator('.quiz-score').filter({ hasText: 'Passed: 3 of 4' }).waitFor();
    const first = (await page.locator('.quiz-passed .code').textContent()).trim();
    const qr = page.locator('.quiz-passed .quiz-qr');
    await qr.locator('svg').waitFor();
    assert.equal(readQr(PNG.sync.read(await qr.screenshot())), `${first} 03001234567`);

    await page.getByRole('button', { name: 'Start again' }).click();
    await answer(page, { number: '144' }); // 4 of 4: another score, so another code
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    await page.locator('.quiz-score').filter({ hasText: 'Passed: 4 of 4' }).waitFor();
    const second = (await page.locator('.quiz-passed .code').textContent()).trim();
    assert.notEqual(second, first);
    await page.waitForFunction((code) => {
      const holder = document.querySelector('.quiz-passed .quiz-qr');
      return holder && holder.dataset.for && holder.dataset.for.startsWith(code);
    }, second);
    assert.equal(readQr(PNG.sync.read(await qr.screenshot())), `${second} 03001234567`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
