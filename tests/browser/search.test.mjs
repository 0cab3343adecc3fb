// Course search in headless Chromium: it finds English and Urdu lessons (Urdu typed with Arabic
// letters or Urdu digits too), needs every word of a query, links into the section, fetches its
// index only once the learner opens search and then only the shards a query needs, and without
// JavaScript says so and links the course outline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildCourses, phone, root, serve } from './helpers.mjs';

let site;

before(async () => { site = await serve(buildCourses(join(root, 'courses'))); });
after(async () => { await site.close(); });

/** Types `query` into the open search page and returns the results' texts once they show. */
async function find(page, query) {
  await page.getByRole('searchbox').fill(query);
  await page.locator(`.search-results[data-query="${query}"]`).waitFor({ state: 'attached' });
  return page.locator('.search-results li').allTextContents();
}

test('search finds English lessons by any words, in sections, and fetches only what it needs', async () => {
  const { browser, page, problems } = await phone();
  try {
    const fetched = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(site.url + 'money-basics/budgeting/what-is-a-budget/index.html');
    assert.ok(!fetched.some((path) => path.includes('search')), 'a lesson loads nothing of search');
    await page.getByRole('link', { name: 'Search' }).click();
    await page.waitForURL(/money-basics\/search\/index.html$/);
    assert.ok(await page.locator('.search-nojs').isHidden());
    assert.ok(!fetched.some((path) => path.endsWith('.json')), 'the index waits for a query');

    const budget = await find(page, 'budget');
    assert.match(budget[0], /^What is a budget\?/);
    assert.equal(await page.locator('.search-status').textContent(), `${budget.length} places found.`);
    const shards = fetched.filter((path) => path.endsWith('.json')).map((path) => path.split('/').pop());
    assert.deepEqual(shards.slice(0, 2), ['index.json', '62.json'], 'the manifest, the "b" shard');
    assert.ok(shards.slice(2).every((name) => /^sections-\d+\.json$/.test(name)),
      `then only what the results need: ${shards}`);

    // Every word must match: "cash book" finds the daily cash book, not every lesson with "cash".
    const cashBook = await find(page, 'Cash BOOK');
    const cash = await find(page, 'cash');
    assert.ok(cashBook.length < cash.length);
    assert.ok(cashBook.some((text) => text.startsWith('The daily cash book')));
    // One-letter words are not in the index, so they do not empty a query.
    assert.deepEqual(await find(page, 'a budget'), budget);
    // A prefix finds longer words; a number with or without its comma finds the sum.
    assert.ok((await find(page, 'budg')).length >= budget.length);
    assert.ok((await find(page, '45000')).some((text) => text.startsWith('What is a budget?')));
    assert.deepEqual(await find(page, 'zzqx'), []);
    assert.equal(await page.locator('.search-status').textContent(),
      'Nothing found for “zzqx”. Try fewer or shorter words.');

    // A result opens its lesson at its section, also from the course's last sections file.
    await find(page, 'fixed changing expenses');
    await page.locator('.search-results a').first().click();
    await page.waitForURL(/what-is-a-budget\/index.html#fixed-and-changing-expenses$/);
    await page.goBack();
    const committees = await find(page, 'committee');
    assert.match(committees[0], /^Committees, banks and mobile wallets › The committee/);
    await page.locator('.search-results a').first().click();
    await page.waitForURL(/committees-and-savings\/index.html#the-committee$/);
    assert.equal(await page.locator('h1').textContent(), 'Committees, banks and mobile wallets');
    assert.ok(fetched.includes('/money-basics/search/sections-1.json'));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('search finds Urdu lessons however the words were typed', async () => {
  const { browser, page, problems } = await phone();
  try {
    await page.goto(site.url + 'money-basics-ur/search/index.html');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    const budget = await find(page, 'بجٹ کیا');
    assert.match(budget[0], /^بجٹ کیا ہے؟/);
    // Arabic kaf and yeh (U+0643, U+064A) instead of Urdu's, and a zabar: the same words.
    assert.deepEqual(await find(page, 'بَجٹ كيا'), budget);
    // Urdu digits with the Arabic thousands separator find the sum written 45,000.
    assert.ok((await find(page, '۴۵٬۰۰۰')).some((text) => text.startsWith('بجٹ کیا ہے؟')));
    assert.equal(await page.locator('.search-status').textContent().then((t) => t.endsWith('جگہیں ملیں۔')), true);
    // Opening the page with ?q= searches at once (the form also works as a plain GET).
    await page.goto(site.url + 'money-basics-ur/search/index.html?q=' + encodeURIComponent('ادھار'));
    await page.locator('.search-results[data-query="ادھار"] li').first().waitFor();
    assert.equal(await page.getByRole('searchbox').inputValue(), 'ادھار');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('without JavaScript the search page says so and links the course outline', async () => {
  const { browser, page } = await phone(['--blink-settings=scriptEnabled=false']);
  try {
    await page.goto(site.url + 'workplace-english/search/index.html');
    const note = page.locator('.search-nojs');
    assert.ok(await note.isVisible());
    assert.match(await note.textContent(), /needs JavaScript/);
    assert.ok(await page.locator('form.search').isHidden());
    await note.getByRole('link').click();
    await page.waitForURL(/workplace-english\/index.html#outline$/);
  } finally {
    await browser.close();
  }
});
