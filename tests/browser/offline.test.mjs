// Offline reading in headless Chromium: the service worker keeps every page the learner opened,
// "Save this module for offline" keeps a whole module (its lessons, images and quiz engines),
// and with the network gone those pages open and their quizzes work; a page never kept sends
// the learner to the offline page, which lists what is kept. The web app manifest is valid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildCourses, phone, quizReady, root, sabaq, serve } from './helpers.mjs';

let site;

before(async () => { site = await serve(buildCourses(join(root, 'courses'))); });
after(async () => { await site.close(); });

/** Opens `path` and waits until the service worker controls the page. */
async function openControlled(page, path) {
  await page.goto(site.url + path);
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller);
}

test('opened pages and a saved module read offline, quizzes included', async () => {
  const { browser, page, problems } = await phone();
  try {
    await openControlled(page, 'money-basics/budgeting/what-is-a-budget/index.html');
    // The first page was fetched before the worker controlled it: open it once more, as a
    // learner moving on and coming back would.
    await page.reload();
    await page.goto(site.url + 'money-basics/record-keeping/index.html');
    const save = page.getByRole('button', { name: 'Save this module for offline' });
    await save.click();
    const status = page.locator('.offline-status');
    await status.filter({ hasText: /^Saved on this phone \(\d+ KB\): this module opens without a connection\.$/ }).waitFor();

    await page.context().setOffline(true);
    await page.goto(site.url + 'money-basics/budgeting/what-is-a-budget/index.html');
    assert.equal(await page.locator('h1').textContent(), 'What is a budget?');
    // A lesson of the saved module never opened before, with its practice quiz.
    await page.goto(site.url + 'money-basics/record-keeping/the-daily-cash-book/index.html');
    await quizReady(page);
    await page.locator('.quiz button[type=submit]').first().click();
    await page.locator('.quiz-summary:not(:empty)').first().waitFor();
    // My progress (saved with the module) opens and its engine fills in each quiz's status
    // (an attempt left unanswered is not recorded, so this one is "Not tried yet").
    await page.goto(site.url + 'progress/index.html');
    await page.locator('li[data-quiz="record-keeping-practice"] .progress-status')
      .filter({ hasText: 'Not tried yet' }).waitFor();
    // The saved module page says so when opened again.
    await page.goto(site.url + 'money-basics/record-keeping/index.html');
    await status.filter({ hasText: 'This module is saved on this phone' }).waitFor();
    // A page never kept: the offline page, which lists what is.
    await page.goto(site.url + 'money-basics/pricing/worked-examples/index.html');
    await page.waitForURL(/\/offline\/index.html$/);
    assert.equal(await page.locator('h1').textContent(), 'You are offline');
    const kept = await page.locator('.offline-pages li a').allTextContents();
    assert.ok(kept.some((title) => title.startsWith('What is a budget?')), kept.join(' | '));
    assert.ok(kept.some((title) => title.startsWith('The daily cash book')), kept.join(' | '));
    assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  } finally {
    await browser.close();
  }
});

test('without the worker the same pages fail offline (the test above depends on it)', async () => {
  const { browser, page } = await phone();
  try {
    await page.context().route('**/sw.js', (route) => route.abort());
    await page.goto(site.url + 'money-basics/budgeting/what-is-a-budget/index.html');
    await page.context().setOffline(true);
    await assert.rejects(page.goto(site.url + 'money-basics/budgeting/what-is-a-budget/index.html'));
  } finally {
    await browser.close();
  }
});

test('the web app manifest names the site, starts at its home page and has an icon', async () => {
  const response = await fetch(site.url + 'manifest.webmanifest');
  const manifest = await response.json();
  assert.equal(manifest.start_url, 'index.html');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.name, 'Courses');
  const icon = await fetch(new URL(manifest.icons[0].src, site.url));
  assert.equal(icon.status, 200);
  assert.match(await icon.text(), /^<svg /);
});

test('the worker never answers `sabaq serve`\'s reload requests from its cache (a preview would reload without end)', async () => {
  const server = spawn(sabaq, ['serve', join(root, 'courses'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { browser, page } = await phone();
  try {
    const address = await new Promise((found, failed) => {
      server.stdout.on('data', (chunk) => {
        const match = /at (http:\/\/\S+\/)/.exec(String(chunk));
        if (match) found(match[1]);
      });
      server.on('exit', () => failed(new Error('sabaq serve stopped')));
    });
    await page.goto(address + 'money-basics/budgeting/what-is-a-budget/index.html');
    await page.waitForFunction(() => navigator.serviceWorker.controller);
    await page.reload();
    await page.waitForTimeout(300);
    server.kill();
    await new Promise((gone) => server.once('exit', gone));
    // The page's first reload request was answered before the server stopped. Were the worker
    // to keep such answers, every request after a long poll timed out would be answered from
    // its cache at once, the same version each time, and the page would ask again without end.
    const answered = await page.evaluate(() => fetch('/__sabaq/wait?v=').then(() => true, () => false));
    assert.equal(answered, false, 'a reload request was answered with the server gone');
  } finally {
    server.kill();
    await browser.close();
  }
});
