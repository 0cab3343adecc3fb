// A learner answers every question type of a practice quiz in headless Chromium on a phone-sized
// screen and sees the right feedback; a wrong answer is marked wrong; without WebAssembly the
// questions still read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { answerAllRight, buildFixture, phone, quizReady, serve } from './helpers.mjs';

const lesson = 'good/money/counting/index.html';
let site;

before(async () => { site = await serve(buildFixture('good-course')); });
after(async () => { await site.close(); });

test('a learner answers every question type and sees each marked right', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(site.url + lesson);
    await quizReady(page);
    await assert.rejects(page.locator('.quiz-nojs').waitFor({ state: 'visible', timeout: 500 }));
    await answerAllRight(page);
    await page.getByRole('button', { name: 'Check answers' }).click();
    await assert.doesNotReject(page.getByText('8 of 8 right.').waitFor());
    assert.equal(await page.locator('fieldset.question.is-right').count(), 8);
    assert.equal(await page.locator('fieldset.question.is-wrong').count(), 0);
    // The explanation opens only now, for the right answer.
    await page.getByText('A budget plans money before it is spent.').waitFor();
    // Feedback is announced, and focus moves to the summary.
    assert.equal(await page.locator('#q-every-type-1 .feedback').getAttribute('aria-live'), 'polite');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'quiz-summary');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a wrong answer is marked wrong with that option\'s feedback, and a retry can fix it', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(site.url + lesson);
    await quizReady(page);
    await answerAllRight(page);
    await page.getByLabel('A loan').check();
    await page.locator('#q-every-type-5-a').fill('601');
    await page.getByRole('button', { name: 'Check answers' }).click();
    await page.getByText('6 of 8 right.').waitFor();
    assert.match(await page.locator('#q-every-type-1').getAttribute('class'), /is-wrong/);
    assert.match(await page.locator('#q-every-type-5').getAttribute('class'), /is-wrong/);
    await page.locator('#q-every-type-1').getByText('A loan is money you owe.').waitFor();
    assert.equal(await page.getByText('A budget plans money before it is spent.').count(), 0);
    // Retry.
    await page.getByLabel('A plan for money').check();
    await page.locator('#q-every-type-5-a').fill('600');
    await page.getByRole('button', { name: 'Check answers' }).click();
    await page.getByText('8 of 8 right.').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('without WebAssembly the questions still read and the page explains why it cannot answer', async () => {
  const { browser, page, problems } = await phone();
  try {
    // An old browser: no WebAssembly object at all.
    await page.addInitScript(() => { delete globalThis.WebAssembly; });
    await page.goto(site.url + lesson);
    assert.equal(await page.evaluate(() => typeof WebAssembly), 'undefined');
    await page.getByText('What is a budget?').waitFor();
    await page.locator('.quiz-nojs').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.quiz-body[disabled]').count(), 1);
    assert.equal(await page.locator('fieldset.question').count(), 8);
    // The engine's failure to start stays in the console; the page is intact.
    assert.ok(problems.every((p) => /WebAssembly/.test(p)), problems.join('\n'));
  } finally {
    await browser.close();
  }
});
