// Progress in the learner's browser: a finished quiz survives a reload and a closed browser,
// "My progress" lists it per course, resets a course, and moves progress to another phone as
// text; damaged or foreign stored data is replaced, never a crash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { answerAllRight, buildFixture, freshProfile, phone, quizReady, serve } from './helpers.mjs';

const lesson = 'good/money/counting/index.html';
const progressPage = 'progress/index.html';
let site;

before(async () => { site = await serve(buildFixture('good-course')); });
after(async () => { await site.close(); });

async function passEveryType(page) {
  await page.goto(site.url + lesson);
  await quizReady(page);
  await answerAllRight(page);
  await page.getByRole('button', { name: 'Check answers' }).click();
  await page.getByText('8 of 8 right.').waitFor();
}

/** The status line of one quiz on "My progress". */
const status = (page, quiz) => page.locator(`li[data-quiz="${quiz}"] .progress-status`);

test('a passed quiz survives a reload and a closed browser, and My progress shows it', async () => {
  const profile = freshProfile();
  let { browser, page, problems } = await phone([], { profile });
  try {
    await passEveryType(page);
    await page.reload();
    await quizReady(page);
    await page.getByRole('link', { name: 'My progress' }).click();
    await page.waitForURL(/progress\/index.html$/);
    await assert.doesNotReject(status(page, 'every-type').filter({ hasText: 'Best: 8 of 8 right · Passed' }).waitFor());
    assert.equal(await status(page, 'drawn').textContent(), 'Not tried yet');
    assert.equal(await page.locator('.progress-summary').textContent(), '1 of 2 quizzes passed');
    await assert.rejects(page.locator('.quiz-nojs').waitFor({ state: 'visible', timeout: 300 }));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  // The same phone, browser closed and opened again.
  ({ browser, page, problems } = await phone([], { profile }));
  try {
    await page.goto(site.url + progressPage);
    await status(page, 'every-type').filter({ hasText: 'Passed' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a lower score later keeps the best result, and an unfinished attempt is not recorded', async () => {
  const { browser, page, problems } = await phone();
  try {
    await passEveryType(page);
    await page.getByLabel('A loan').check();
    await page.getByRole('button', { name: 'Check answers' }).click();
    await page.getByText('7 of 8 right.').waitFor();
    // Start again clears the form; checking it empty records nothing.
    await page.getByRole('button', { name: 'Start again' }).click();
    assert.equal(await page.locator('fieldset.question.is-wrong, fieldset.question.is-right').count(), 0);
    await page.getByRole('button', { name: 'Check answers' }).click();
    await page.getByText('0 of 8 right.').waitFor();
    await page.goto(site.url + progressPage);
    await status(page, 'every-type').filter({ hasText: 'Best: 8 of 8 right · Passed' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('reset forgets a course; export and import move progress to another phone', async () => {
  const first = await phone();
  const second = await phone();
  try {
    await passEveryType(first.page);
    await first.page.goto(site.url + progressPage);
    await status(first.page, 'every-type').filter({ hasText: 'Passed' }).waitFor();
    const text = await first.page.locator('#progress-export').inputValue();
    assert.match(text, /^sabaq1;good:every-type=8\/8\+~[0-9a-f]{4}$/);

    // Another phone: paste the text, wrapped as a messaging app might.
    await second.page.goto(site.url + progressPage);
    assert.equal(await status(second.page, 'every-type').textContent(), 'Not tried yet');
    await second.page.getByLabel('Progress text from another phone').fill(`${text.slice(0, 12)}\n ${text.slice(12)}`);
    await second.page.getByRole('button', { name: 'Add this progress' }).click();
    await second.page.getByText('Quizzes added: 1.').waitFor();
    await status(second.page, 'every-type').filter({ hasText: 'Passed' }).waitFor();
    // A damaged text is refused with advice, and changes nothing.
    await second.page.getByLabel('Progress text from another phone').fill(text.replace('8/8', '9/8'));
    await second.page.getByRole('button', { name: 'Add this progress' }).click();
    await second.page.getByText('This text is not Sabaq progress').waitFor();

    // Reset on the first phone, after confirming.
    first.page.once('dialog', (dialog) => dialog.accept());
    await first.page.getByRole('button', { name: 'Reset my progress in this course' }).click();
    await status(first.page, 'every-type').filter({ hasText: 'Not tried yet' }).waitFor();
    assert.equal(await first.page.locator('.progress-summary').textContent(), '0 of 2 quizzes passed');
    await first.page.reload();
    assert.equal(await status(first.page, 'every-type').textContent(), 'Not tried yet');
    assert.deepEqual([...first.problems, ...second.problems], []);
  } finally {
    await first.browser.close();
    await second.browser.close();
  }
});

/** A progress text with its check, as quiz-core's progress module writes it. */
function progressText(body) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(body)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const check = (hash ^ (hash >> 16n) ^ (hash >> 32n) ^ (hash >> 48n)) & 0xffffn;
  return `${body}~${check.toString(16).padStart(4, '0')}`;
}

test('progress too large to keep together is refused, and what was kept stays', async () => {
  const { browser, page, problems } = await phone();
  // Each text alone reads back; the two together pass the 64 KiB a phone reads back.
  const many = (prefix) => Array.from({ length: 3000 }, (_, i) => `${prefix}${i}=1/1+`).join(',');
  const kept = progressText(`sabaq1;good:every-type=8/8+,${many('kept-')}`);
  const incoming = progressText(`sabaq1;other:${many('incoming-')}`);
  assert.ok(kept.length < 65536 && incoming.length < 65536 && kept.length + incoming.length > 65536);
  try {
    await page.goto(site.url + progressPage);
    await page.evaluate((text) => localStorage.setItem('sabaq-progress', text), kept);
    await page.reload();
    await status(page, 'every-type').filter({ hasText: 'Passed' }).waitFor();
    await page.getByLabel('Progress text from another phone').fill(incoming);
    await page.getByRole('button', { name: 'Add this progress' }).click();
    await page.getByText('more than it can keep; nothing was changed').waitFor();
    // What was kept is still there, whole, and nothing of the refused text was added.
    const stored = await page.evaluate(() => localStorage.getItem('sabaq-progress'));
    assert.ok(stored.length <= 65536, `${stored.length} bytes stored`);
    assert.ok(stored.includes('good:every-type=8/8+') && stored.includes('kept-2999=1/1+'));
    assert.ok(!stored.includes('incoming-'), 'the refused progress was stored');
    await page.reload();
    await status(page, 'every-type').filter({ hasText: 'Passed' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('damaged or foreign stored data is ignored and replaced', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(site.url + progressPage);
    await page.evaluate(() => {
      localStorage.setItem('sabaq-progress', '{"not": "ours"}\u0000\uffff');
      localStorage.setItem('someone-else', 'keep me');
    });
    await page.reload();
    assert.equal(await status(page, 'every-type').textContent(), 'Not tried yet');
    await passEveryType(page);
    const stored = await page.evaluate(() => localStorage.getItem('sabaq-progress'));
    assert.match(stored, /^sabaq1;good:every-type=8\/8\+~[0-9a-f]{4}$/);
    assert.equal(await page.evaluate(() => localStorage.getItem('someone-else')), 'keep me');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a browser that refuses storage still checks answers and says progress cannot be kept', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
    });
    await passEveryType(page);
    await page.goto(site.url + progressPage);
    await page.getByText('This browser does not let the site keep your progress').waitFor();
    assert.equal(await status(page, 'every-type').textContent(), 'Not tried yet');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
