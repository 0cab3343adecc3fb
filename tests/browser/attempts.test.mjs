// Each attempt draws its questions and shuffles options afresh (unless the author fixed the
// order); the quiz works by keyboard alone, fits a 320 px screen with touch targets of at least
// 24 px, and speaks the course's language (Urdu for the Urdu course).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildCourses, buildFixture, phone, quizReady, root, serve } from './helpers.mjs';

const drawn = 'good/money/drawn/index.html';
let site;
let samples;

before(async () => {
  site = await serve(buildFixture('good-course'));
  samples = await serve(buildCourses(`${root}/courses`));
});
after(async () => {
  await site.close();
  await samples.close();
});

/** What an attempt shows: the prompts of the drawn questions and each one's option order. */
async function attempt(page) {
  return page.locator('fieldset.question:not([hidden])').evaluateAll((questions) => questions.map((q) => ({
    legend: q.querySelector('legend').textContent,
    prompt: q.querySelector('.prompt').textContent,
    options: [...q.querySelectorAll('.option label')].map((l) => l.textContent).join('|'),
  })));
}

test('each attempt draws its questions and shuffles options, except where the order is fixed', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(site.url + drawn);
    await quizReady(page);
    const fixedOrder = 'Four right|Four wrong a|Four wrong b|Four wrong c|Four wrong d';
    const serverOrder = await page.locator('#q-drawn-4 .option label').allTextContents();
    const draws = new Set();
    const orders = new Map(); // prompt -> the option orders seen
    for (let i = 0; i < 12; i += 1) {
      const shown = await attempt(page);
      assert.equal(shown.length, 2);
      assert.deepEqual(shown.map((q) => q.legend), ['Question 1', 'Question 2']);
      draws.add(shown.map((q) => q.prompt).join('+'));
      for (const q of shown) {
        if (q.prompt === 'Coins question four') assert.equal(q.options, serverOrder.join('|'));
        else orders.set(q.prompt, (orders.get(q.prompt) || new Set()).add(q.options));
      }
      await page.getByRole('button', { name: 'Start again' }).click();
    }
    // 12 attempts of 6 possible draws, and 120 possible orders of each shuffled question's
    // options: one draw, or one order per question, every time would mean no randomness
    // (odds far below 1 in 10^6).
    assert.ok(draws.size > 1, `always the same draw: ${[...draws]}`);
    assert.ok([...orders.values()].some((seen) => seen.size > 1), 'options never changed order');
    assert.equal(fixedOrder.split('|').sort().join('|'), serverOrder.slice().sort().join('|'));

    // Grading counts only the drawn questions.
    for (const q of await page.locator('fieldset.question:not([hidden])').all()) {
      const right = (await q.locator('.prompt').textContent()).split(' ')[2];
      const word = { one: 'One', two: 'Two', three: 'Three', four: 'Four' }[right];
      await q.getByLabel(`${word} right`).check();
    }
    await page.getByRole('button', { name: 'Check answers' }).click();
    await page.getByText('2 of 2 right.').waitFor();
    assert.equal(await page.locator('fieldset.question[hidden] .feedback:not(:empty)').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a learner can answer with the keyboard alone', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(site.url + 'good/money/counting/index.html');
    await quizReady(page);
    await page.locator('#q-every-type-1 input').first().focus();
    // Arrow keys move between radio options and select one.
    await page.keyboard.press('ArrowDown');
    const checked = await page.locator('#q-every-type-1 input:checked').count();
    assert.equal(checked, 1);
    await page.locator('.quiz-check').focus();
    await page.keyboard.press('Enter');
    await page.locator('.quiz-summary').filter({ hasText: 'of 8 right.' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.className), 'quiz-summary');
    // Every question's input is reachable by Tab: count the stops inside the quiz.
    await page.locator('#q-every-type-1 input').first().focus();
    const stops = new Set();
    for (let i = 0; i < 40; i += 1) {
      const id = await page.evaluate(() => document.activeElement.closest('fieldset.question')?.id);
      if (id) stops.add(id);
      await page.keyboard.press('Tab');
    }
    assert.equal(stops.size, 8, [...stops].join(' '));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('at 320 px nothing overflows and every touch target is at least 24 px', async () => {
  const { browser, page, problems } = await phone([], { width: 320 });
  try {
    await page.goto(site.url + 'good/money/counting/index.html');
    await quizReady(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    const small = await page.locator('.quiz input, .quiz select, .quiz button, .quiz summary').evaluateAll((targets) => targets
      .map((t) => ({ t, box: t.getBoundingClientRect() }))
      .filter(({ box }) => box.width < 24 || box.height < 24)
      .map(({ t, box }) => `${t.outerHTML.slice(0, 60)} ${box.width}x${box.height}`));
    assert.deepEqual(small, []);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('an Urdu course speaks Urdu, right to left', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(samples.url + 'money-basics-ur/budgeting/tracking-cash/index.html');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await quizReady(page);
    await page.getByRole('button', { name: 'جواب جانچیں' }).click();
    await page.locator('.feedback').filter({ hasText: 'ابھی جواب نہیں دیا۔' }).first().waitFor();
    await page.locator('.quiz-summary').filter({ hasText: /میں سے 0 درست۔$/ }).waitFor();
    await page.getByRole('link', { name: 'میری پیش رفت' }).click();
    await page.locator('section[data-course="money-basics-ur"][dir="rtl"] .progress-status')
      .filter({ hasText: 'ابھی کوشش نہیں کی' }).first().waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
