// Shared by the browser tests: build a fixture with the real sabaq binary, serve it on
// localhost, and start Debian's Chromium at a phone's size. A missing browser or binary fails
// the test loudly; nothing here is skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const sabaq = process.env.SABAQ_BIN || join(root, 'target/debug/sabaq');
const chromiumPath = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Builds `tests/fixtures/<name>` into a fresh folder and returns that folder. */
export function buildFixture(name) {
  return buildCourses(join(root, 'tests/fixtures', name));
}

/** Builds the courses at `source` into a fresh folder and returns that folder. */
export function buildCourses(source, args = []) {
  if (!existsSync(sabaq)) throw new Error(`no sabaq binary at ${sabaq}: run cargo build first`);
  const out = join(mkdtempSync(join(tmpdir(), 'sabaq-browser-')), 'site');
  execFileSync(sabaq, ['build', source, '--out', out, ...args], { stdio: 'pipe' });
  return out;
}

/** Runs the sabaq binary; { code, out, err }. */
export function runSabaq(args) {
  const result = spawnSync(sabaq, args, { encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/**
 * An institution's side of a test: a fresh folder with a new key file and a ledger path, and
 * the courses at `source` built with that key and served. Resolves to
 * { work, key, ledger, site } (`site` has `url` and `close`).
 */
export async function keyedSite(source) {
  const work = mkdtempSync(join(tmpdir(), 'sabaq-institution-'));
  const key = join(work, 'institution.key');
  const made = runSabaq(['keys', 'new', key]);
  if (made.code !== 0) throw new Error(`sabaq keys new failed: ${made.err}`);
  const site = await serve(buildCourses(source, ['--key', key]));
  return { work, key, ledger: join(work, 'ledger.sqlite'), site };
}

/** A fresh empty folder for a browser profile. */
export function freshProfile() {
  return mkdtempSync(join(tmpdir(), 'sabaq-profile-'));
}

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json',
};

/** Serves `dir` on 127.0.0.1; resolves to { url, close }. */
export function serve(dir) {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(dir, path);
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((closed) => server.close(closed)),
  })));
}

const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Headless Chromium with a phone viewport (360 x 740 unless `width` says otherwise); `args`
 * adds browser flags. With `profile` (a folder) the browser keeps its storage there, so a
 * second `phone` on the same folder is the same phone after the browser was closed.
 */
export async function phone(args = [], { width = 360, profile } = {}) {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: install Debian's chromium`);
  const device = { viewport: { width, height: 740 }, isMobile: true, hasTouch: true };
  let browser;
  let context;
  if (profile) {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath, args: [...flags, ...args], ...device,
    });
    browser = context;
  } else {
    browser = await chromium.launch({ executablePath: chromiumPath, args: [...flags, ...args] });
    context = await browser.newContext(device);
  }
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  return { browser, page, problems };
}

/**
 * Waits until the page's first quiz accepts answers. Quiz engines load once a quiz nears the
 * screen, so this scrolls to it first, as a learner would.
 */
export async function quizReady(page) {
  await page.locator('.quiz').first().scrollIntoViewIfNeeded();
  await page.locator('.quiz-body:not([disabled])').first().waitFor();
}

/** Answers every question of the `every-type` quiz rightly, typing the number in Urdu digits. */
export async function answerAllRight(page) {
  await page.getByLabel('A plan for money').check();
  await page.getByLabel('Rent').check();
  await page.getByLabel('Electricity').check();
  await page.locator('#q-every-type-3').getByLabel('False').check();
  await page.locator('#q-every-type-4-a').fill('  LiabilityWord ');
  await page.locator('#q-every-type-5-a').fill('۶۰۰');
  await page.getByLabel('List income').selectOption('1');
  await page.getByLabel('List expenses').selectOption('2');
  await page.getByLabel('Subtract').selectOption('3');
  await page.getByLabel('Income', { exact: true }).selectOption({ label: 'Money coming in' });
  await page.getByLabel('Expense', { exact: true }).selectOption({ label: 'Money going out' });
  await page.locator('#q-every-type-8-1').fill('savingsword');
}
