// axe-core, run in headless Chromium on a phone-sized screen, finds no violation on any page
// type of the sample courses (home, course, module, lesson, practice quiz, assessment, My
// progress, search with results, offline, 404), in English and in Urdu, in the light and the dark
// colour scheme, and on a quiz after its answers were checked (feedback on screen). On the way,
// no page asks any other host for anything, and none breaks its Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCourses, phone, quizReady, root, serve } from './helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// One page of every type per language. The home page, My progress and 404 speak the site's
// language, so the Urdu run builds the same courses with `language: ur` in site.yaml.
const pages = {
  en: {
    home: 'index.html',
    course: 'money-basics/index.html',
    module: 'money-basics/budgeting/index.html',
    lesson: 'money-basics/budgeting/what-is-a-budget/index.html',
    'practice quiz': 'money-basics/record-keeping/the-daily-cash-book/index.html',
    assessment: 'workplace-english/opening-the-call/check-your-understanding/index.html',
    'My progress': 'progress/index.html',
    search: 'money-basics/search/index.html?q=budget',
    offline: 'offline/index.html',
    404: '404.html',
  },
  ur: {
    home: 'index.html',
    course: 'money-basics-ur/index.html',
    module: 'money-basics-ur/budgeting/index.html',
    lesson: 'money-basics-ur/budgeting/what-is-a-budget/index.html',
    'practice quiz': 'money-basics-ur/record-keeping/the-daily-cash-book/index.html',
    assessment: 'money-basics-ur/budgeting/check-your-understanding/index.html',
    'My progress': 'progress/index.html',
    search: `money-basics-ur/search/index.html?q=${encodeURIComponent('بجٹ')}`,
    offline: 'offline/index.html',
    404: '404.html',
  },
};

const sites = {};

before(async () => {
  sites.en = await serve(buildCourses(join(root, 'courses')));
  const urdu = join(mkdtempSync(join(tmpdir(), 'sabaq-urdu-site-')), 'courses');
  cpSync(join(root, 'courses'), urdu, { recursive: true });
  writeFileSync(join(urdu, 'site.yaml'), 'title: سبق\nlanguage: ur\n');
  sites.ur = await serve(buildCourses(urdu));
});
after(async () => { await Promise.all(Object.values(sites).map((site) => site.close())); });

/** axe-core's violations on the page as it is now, one readable line each. */
async function violations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Opens a page once its scripts have finished starting (quiz engines ready, results shown). */
async function open(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  if (await page.locator('.quiz-body').count()) {
    await quizReady(page);
  }
  if (await page.locator('form.search').count()) {
    await page.locator('.search-results[data-query] li').first().waitFor();
  }
}

for (const language of ['en', 'ur']) {
  for (const scheme of ['light', 'dark']) {
    test(`axe-core: no violations on any page type, ${language}, ${scheme} scheme`, async () => {
      const { browser, page, problems } = await phone();
      const elsewhere = [];
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(sites[language].url) && !url.startsWith('data:')) elsewhere.push(url);
      });
      try {
        await page.emulateMedia({ colorScheme: scheme });
        const found = [];
        for (const [type, path] of Object.entries(pages[language])) {
          await open(page, sites[language].url + path);
          assert.equal(await page.getAttribute('html', 'lang'), language, `${type} page language`);
          for (const line of await violations(page)) found.push(`${type} (${path}): ${line}`);
        }
        assert.deepEqual(found, []);
        assert.deepEqual(problems, [], 'no errors, and no Content-Security-Policy violations');
        assert.deepEqual(elsewhere, [], 'no request to any other host');
      } finally {
        await browser.close();
      }
    });
  }

  test(`axe-core: no violations on a checked quiz with right and wrong answers, ${language}`, async () => {
    const { browser, page, problems } = await phone();
    try {
      await open(page, sites[language].url + pages[language]['practice quiz']);
      // Answer only the first option of each choice question: some right, some wrong, the rest
      // unanswered, so every kind of feedback is on screen.
      for (const fieldset of await page.locator('fieldset.question').all()) {
        const first = fieldset.locator('input[type=radio], input[type=checkbox]').first();
        if (await first.count()) await first.check();
      }
      await page.locator('.quiz button[type=submit]').first().click();
      await page.locator('.quiz-summary:not(:empty)').first().waitFor();
      assert.ok(await page.locator('fieldset.question.is-wrong, fieldset.question.is-right').count() > 0);
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
}
