// Page quality of the sample courses on a phone: Lighthouse's mobile scores and a slow-3G load
// test, in Debian's Chromium (nothing here downloads a browser).
//
//   npm ci --prefix bench
//   cargo build --release -p sabaq
//   node bench/page_quality.mjs [--runs 3] [--load-runs 5] [--mdbook PATH] [--write]
//
// Options:
//   --sabaq PATH      the sabaq binary (default target/release/sabaq)
//   --courses DIR     the courses to build (default courses/)
//   --runs N          Lighthouse runs per page (default 3)
//   --load-runs N     slow-3G loads per page (default 5)
//   --mdbook PATH     an mdbook binary (0.5.4): also measure a two-chapter book as a comparison
//   --reports DIR     keep every Lighthouse report there as JSON
//   --write           replace (or add) this benchmark's section in BENCHMARKS.md
// Environment: CHROME_PATH (default /usr/bin/chromium). Lighthouse 13 declares Node >= 22.19 (npm
// warns); it runs on the Node 20 of this project's machines.
//
// The script builds the courses with `sabaq build` (once as is, once with --precompress), serves
// each site from 127.0.0.1 as a static host would (Content-Type by extension, the .br or .gz
// copy when there is one and the browser takes it, else gzip level 6 for text and Wasm,
// Cache-Control: max-age=600 on every file), then:
// 1. runs Lighthouse's default (mobile) configuration, simulated throttling, on a lesson page
//    and on a lesson with a practice quiz opened at its quiz (so its engine loads at once),
//    alternating pages, and reports the median scores,
//    FCP, LCP, TBT and bytes, and every audit that scored below 1 on any run;
// 2. loads each page in a fresh browser context at 360 x 740 with DevTools' "Slow 3G" (2,000 ms
//    latency, 50,000 B/s each way), the CPU slowed 4x and the cache disabled, and reports first
//    contentful paint, when the quiz accepts an answer (its fieldset is enabled) and the bytes
//    transferred.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync,
  writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
const browserFlags = ['--headless=new', '--no-sandbox', '--disable-gpu'];
const lessonPage = 'money-basics/budgeting/what-is-a-budget/index.html';
const quizPage = 'money-basics/record-keeping/the-daily-cash-book/index.html';
// Opened at its quiz (as from My progress), so the quiz engine, which loads once a quiz nears
// the screen, is part of every measurement of this page.
const quizAnchor = '#quiz-record-keeping-practice';
const lessonSource = 'money-basics/01-budgeting/01-what-is-a-budget.md';
const nextLessonSource = 'money-basics/01-budgeting/02-tracking-cash.md';
const section = '## Pages on a phone: Lighthouse and slow 3G (issue 5)';

// DevTools' "Slow 3G": 400 ms x 5 latency, 500 kbit/s x 0.8 each way, in bytes per second.
const slow3g = {
  offline: false, latency: 2000, downloadThroughput: 50000, uploadThroughput: 50000,
};
// zlib's default, which Apache's mod_deflate and Express's compression use; not the smallest (9).
const gzipLevel = 6;
const quizReadySelector = '.quiz-body:not([disabled])';

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json', '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.ttf': 'font/ttf', '.otf': 'font/otf', '.eot': 'application/vnd.ms-fontobject',
};
const compressible = /^(text\/|application\/(wasm|json|xml|manifest\+json)|image\/svg|font\/[ot]tf)/;

const categories = ['performance', 'accessibility', 'best-practices', 'seo'];

const options = parseOptions();
const work = mkdtempSync(join(tmpdir(), 'sabaq-page-quality-'));
const servers = [];
try {
  await main();
} finally {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const site = await serve(buildSabaq('site'));
  // The same site built with --precompress, served the way nginx's brotli_static and
  // gzip_static (or Caddy's `precompressed`) serve it: the .br copy when the browser takes br.
  const packed = await serve(buildSabaq('packed', ['--precompress']));
  const pages = [
    { name: 'Sabaq lesson', url: site.url + lessonPage },
    { name: 'Sabaq lesson with a practice quiz', url: site.url + quizPage + quizAnchor, quiz: true },
    { name: 'Sabaq lesson, --precompress (brotli)', url: packed.url + lessonPage },
    { name: 'Sabaq quiz lesson, --precompress (brotli)', url: packed.url + quizPage + quizAnchor,
      quiz: true },
  ];
  if (options.mdbook) {
    const book = await serve(buildMdbook());
    const name = `mdBook ${toolVersion(options.mdbook)} chapter (same lesson)`;
    pages.push({ name, url: book.url + '01-what-is-a-budget.html' });
  }
  const lighthouseResults = await runLighthouse(pages);
  const loadResults = await runLoadTests(pages);
  printFailingAudits(lighthouseResults);
  const report = renderSection(lighthouseResults, loadResults);
  console.log('\n' + report);
  if (options.write) {
    writeSection(join(root, 'BENCHMARKS.md'), report);
    console.log('updated BENCHMARKS.md');
  }
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      sabaq: { type: 'string', default: join(root, 'target/release/sabaq') },
      courses: { type: 'string', default: join(root, 'courses') },
      runs: { type: 'string', default: '3' },
      'load-runs': { type: 'string', default: '5' },
      mdbook: { type: 'string' },
      reports: { type: 'string' },
      write: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(values.sabaq)) {
    throw new Error(`no sabaq binary at ${values.sabaq}: cargo build --release -p sabaq`);
  }
  if (values.mdbook && !existsSync(values.mdbook)) throw new Error(`no mdbook at ${values.mdbook}`);
  if (!existsSync(chromePath)) throw new Error(`no Chromium at ${chromePath}: set CHROME_PATH`);
  const runs = Number(values.runs);
  const loadRuns = Number(values['load-runs']);
  if (!(runs >= 1 && loadRuns >= 1)) throw new Error('--runs and --load-runs take a number >= 1');
  return { ...values, runs, loadRuns };
}

/** Builds the courses into `work/<name>` and checks that the quiz page loads the quiz engine. */
function buildSabaq(name, flags = []) {
  const out = join(work, name);
  execFileSync(options.sabaq, ['build', resolve(options.courses), '--out', out, ...flags],
    { cwd: root, stdio: 'pipe' });
  const quiz = readFileSync(join(out, quizPage), 'utf8');
  if (!quiz.includes('/assets/sabaq-quiz-on-view.js') || !quiz.includes(`id="${quizAnchor.slice(1)}"`)) {
    throw new Error(`${quizPage} has no ${quizAnchor} that loads sabaq-quiz.js: pick another quiz page`);
  }
  return out;
}

/** A two-chapter mdBook (default theme) of the first two lessons, without their front matter. */
function buildMdbook() {
  const book = join(work, 'book');
  mkdirSync(join(book, 'src'), { recursive: true });
  writeFileSync(join(book, 'book.toml'), '[book]\ntitle = "Money Basics"\nlanguage = "en"\n');
  writeFileSync(join(book, 'src/SUMMARY.md'), '# Summary\n\n'
    + '- [What is a budget?](01-what-is-a-budget.md)\n- [Tracking cash](02-tracking-cash.md)\n');
  for (const [source, name] of [[lessonSource, '01-what-is-a-budget.md'],
    [nextLessonSource, '02-tracking-cash.md']]) {
    const text = readFileSync(join(options.courses, source), 'utf8');
    writeFileSync(join(book, 'src', name), stripFrontMatter(text));
  }
  execFileSync(options.mdbook, ['build', book, '--dest-dir', join(book, 'out')],
    { stdio: 'pipe' });
  return join(book, 'out');
}

function stripFrontMatter(text) {
  return text.replace(/^---\n[\s\S]*?\n---\n/, '');
}

/** Serves `dir` on 127.0.0.1 like a static host; resolves to { url, close }. */
function serve(dir) {
  const gzipped = new Map();
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(dir, path);
    let status = 200;
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) return res.writeHead(301, { Location: path + '/' }).end();
      file = join(file, 'index.html');
    }
    if (!existsSync(file)) {
      file = join(dir, '404.html');
      status = 404;
      if (!existsSync(file)) return res.writeHead(404).end('not found');
    }
    const type = types[extname(file)] || 'application/octet-stream';
    const headers = { 'Content-Type': type, 'Cache-Control': 'max-age=600' };
    let body = readFileSync(file);
    const accepts = req.headers['accept-encoding'] || '';
    const precompressed = [['br', '.br'], ['gzip', '.gz']].find(([coding, suffix]) =>
      new RegExp(`\\b${coding}\\b`).test(accepts) && existsSync(file + suffix));
    if (compressible.test(type)) headers.Vary = 'Accept-Encoding';
    if (precompressed) {
      body = readFileSync(file + precompressed[1]);
      headers['Content-Encoding'] = precompressed[0];
    } else if (compressible.test(type)) {
      if (/\bgzip\b/.test(accepts)) {
        if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: gzipLevel }));
        body = gzipped.get(file);
        headers['Content-Encoding'] = 'gzip';
      }
    }
    headers['Content-Length'] = body.length;
    res.writeHead(status, headers).end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    const site = {
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((closed) => server.close(closed)),
    };
    servers.push(site);
    done(site);
  }));
}

/** Lighthouse's default (mobile, simulated throttling) runs, pages alternating in each round. */
async function runLighthouse(pages) {
  const chrome = await launch({ chromePath, chromeFlags: browserFlags, logLevel: 'silent' });
  const results = pages.map((page) => ({ page, runs: [] }));
  try {
    for (let run = 1; run <= options.runs; run++) {
      for (const result of results) {
        const { lhr } = await lighthouse(result.page.url, { port: chrome.port, logLevel: 'error' });
        if (lhr.runtimeError) throw new Error(`${result.page.url}: ${lhr.runtimeError.message}`);
        result.runs.push(lhr);
        console.log(`lighthouse ${run}/${options.runs} ${result.page.name}: ${scoreLine(lhr)}`);
        if (options.reports) saveReport(lhr, result.page, run);
      }
    }
  } finally {
    chrome.kill();
  }
  return results;
}

/** Every category Lighthouse scored, also those beyond the four in the table. */
function scoreLine(lhr) {
  const scores = Object.values(lhr.categories).map((c) => `${c.id} ${Math.round(c.score * 100)}`);
  return scores.join(', ');
}

function saveReport(lhr, page, run) {
  mkdirSync(options.reports, { recursive: true });
  const name = page.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  writeFileSync(join(options.reports, `${name}-${run}.json`), JSON.stringify(lhr));
}

/** Loads each page `--load-runs` times on a slowed phone, pages alternating in each round. */
async function runLoadTests(pages) {
  const browser = await chromium.launch({
    executablePath: chromePath, headless: true, args: ['--no-sandbox', '--disable-gpu'],
  });
  const results = pages.map((page) => ({ page, runs: [] }));
  try {
    for (let run = 1; run <= options.loadRuns; run++) {
      for (const result of results) {
        const measured = await loadOnce(browser, result.page);
        result.runs.push(measured);
        console.log(`slow 3G ${run}/${options.loadRuns} ${result.page.name}: `
          + `FCP ${ms(measured.fcp)}`
          + (result.page.quiz ? `, quiz ready ${ms(measured.quizReady)}` : '')
          + `, ${bytes(measured.bytes)}`);
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}

/** Installed before any page script: notes performance.now() when the quiz first takes answers. */
function watchQuizReady(selector) {
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    window.sabaqQuizReadyAt = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

async function loadOnce(browser, page) {
  // A first visit, with the service worker kept out: requests it makes go through its own
  // network stack, which the page's emulated slow 3G does not slow down and whose bytes the
  // page's Network domain does not count (the worker fetched the engine in a blink once it
  // controlled the page).
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, serviceWorkers: 'block',
  });
  try {
    const tab = await context.newPage();
    await tab.addInitScript(watchQuizReady, quizReadySelector);
    const cdp = await context.newCDPSession(tab);
    let transferred = 0;
    cdp.on('Network.loadingFinished', (event) => { transferred += event.encodedDataLength; });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', slow3g);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await tab.goto(page.url, { waitUntil: 'load', timeout: 180_000 });
    const fcp = await tab.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
    const quizReadyAt = page.quiz
      ? await tab.waitForFunction(() => window.sabaqQuizReadyAt, null, { timeout: 180_000 })
      : null;
    await tab.waitForLoadState('networkidle', { timeout: 180_000 });
    return {
      fcp: await fcp.jsonValue(),
      quizReady: quizReadyAt && await quizReadyAt.jsonValue(),
      bytes: transferred,
    };
  } finally {
    await context.close();
  }
}

/** Every audit that scored below 1 on any run, with what Lighthouse says about it. */
function printFailingAudits(results) {
  for (const { page, runs } of results) {
    console.log(`\naudits below 1 on ${page.name} (${page.url}):`);
    const failing = failingAudits(runs);
    if (failing.length === 0) console.log('  none');
    for (const { audit, scores } of failing) {
      console.log(`  ${audit.id} (scores ${scores.join(', ')}): ${audit.title}`
        + (audit.displayValue ? ` [${audit.displayValue}]` : ''));
      for (const item of describeItems(audit.details)) console.log(`    - ${item}`);
    }
  }
}

/** [{ audit (from the first run it failed), scores on every run }] */
function failingAudits(runs) {
  const failing = new Map();
  for (const lhr of runs) {
    for (const audit of Object.values(lhr.audits)) {
      if (audit.score !== null && audit.score < 1 && !failing.has(audit.id)) {
        failing.set(audit.id, { audit, scores: runs.map((r) => r.audits[audit.id].score) });
      }
    }
  }
  return [...failing.values()];
}

/** A line for each of the first items of an audit's details: the node, URL or label it names. */
function describeItems(details, limit = 6) {
  if (!details) return [];
  if (details.type === 'list') {
    return details.items.flatMap((d) => describeItems(d, limit)).slice(0, limit);
  }
  if (details.type === 'list-section') return describeItems(details.value, limit);
  if (details.type === 'network-tree') return describeChains(details.chains);
  if (details.type === 'checklist') {
    return Object.values(details.items).filter((c) => !c.value).map((c) => `not met: ${c.label}`);
  }
  if (!Array.isArray(details.items)) return [];
  return details.items.slice(0, limit).map((item) => {
    const node = item.node ?? {};
    const what = node.snippet ?? item.url ?? item.label ?? item.source?.url ?? JSON.stringify(item);
    const why = node.explanation ?? item.explanation ?? '';
    const saving = [item.wastedBytes && `${bytes(item.wastedBytes)} to save`,
      item.wastedMs && `${ms(item.wastedMs)}`].filter(Boolean).map((x) => ` (${x})`).join('');
    return `${String(what).slice(0, 300)}${saving}${why ? `: ${why.replace(/\s+/g, ' ')}` : ''}`;
  });
}

/** A network-tree's requests, each under the one that started it. */
function describeChains(chains, depth = 0) {
  return Object.values(chains).flatMap((c) => [
    `${'  '.repeat(depth)}${c.url} (done at ${ms(c.navStartToEndTime)}, ${bytes(c.transferSize)})`,
    ...describeChains(c.children, depth + 1),
  ]);
}

/** This benchmark's section of BENCHMARKS.md, from its heading to its last table. */
function renderSection(lighthouseResults, loadResults) {
  const command = ['node', 'bench/page_quality.mjs', ...process.argv.slice(2)].join(' ');
  const date = new Date().toISOString().slice(0, 10);
  const versions = `Chromium ${toolVersion(chromePath)}, `
    + `Lighthouse ${lighthouseResults[0].runs[0].lighthouseVersion}`;
  const setup = ['npm ci --prefix bench && cargo build --release -p sabaq'];
  const mdbook = 'cargo install mdbook --version 0.5.4 --root /tmp/benchtools/mdbook';
  if (options.mdbook) setup.push(mdbook);
  const failing = lighthouseResults.map(({ page, runs }) => `${page.name}: `
    + (failingAudits(runs).map(({ audit }) => `\`${audit.id}\``).join(', ') || 'none'));
  return `${section}

\`\`\`sh
${setup.join('\n')}
${command}
\`\`\`

${wrap(aboutText())}

${date}, \`${coursesCommit()}\`, ${versions}, median of ${options.runs} runs:

| page | Performance | Accessibility | Best Practices | SEO | FCP | LCP | TBT | bytes |
|---|---|---|---|---|---|---|---|---|
${lighthouseResults.map(lighthouseRow).join('\n')}

${wrap(`Audits that scored below 1 on any run: ${failing.join('; ')}.`)}

Slow 3G, CPU 4x, median (min-max) of ${options.loadRuns} loads:

| page | FCP | quiz accepts an answer | bytes |
|---|---|---|---|
${loadResults.map(loadRow).join('\n')}
`;
}

function aboutText() {
  const comparison = options.mdbook ? ', and, for comparison, the same lesson as a chapter of a '
    + 'two-chapter mdBook (default theme) served the same way' : '';
  return `The script builds the sample courses and serves them from 127.0.0.1 as a static host
    would (Content-Type by extension, gzip at level ${gzipLevel} for text and Wasm,
    \`Cache-Control: max-age=600\`), then measures a lesson page (\`${lessonPage}\`) and a lesson
    with a practice quiz, opened at its quiz (\`${quizPage}${quizAnchor}\`, so the page loads
    \`sabaq-quiz.js\` and its Wasm at once; read from the top, a lesson loads them only when its
    quiz nears the screen)${comparison}. With \`--precompress\` the server sends the .br copies
    (as nginx's brotli_static or Caddy's \`precompressed\` do); without it, gzip on the fly.
    Lighthouse runs its default mobile configuration (simulated throttling: 150 ms RTT,
    1.6 Mbit/s, CPU 4x). The slow-3G load test drives Chromium through the DevTools protocol at
    360 x 740 with DevTools' "Slow 3G" (2,000 ms latency, 50,000 B/s each way), the CPU slowed
    4x, the cache disabled and a fresh browser context for each load, and times the page's own
    first contentful paint and the moment the quiz's fieldset is enabled (the quiz accepts an
    answer), both from navigation start; bytes are all that crossed the network until it was
    idle. The load test is a first visit with the service worker blocked (its requests would
    bypass the page's throttling); Lighthouse's byte counts include what the worker fetches
    when it installs.`;
}

function lighthouseRow({ page, runs }) {
  const score = (id) => Math.round(median(runs.map((r) => r.categories[id].score * 100)));
  const metric = (id) => median(runs.map((r) => r.audits[id].numericValue));
  return row([page.name, ...categories.map(score), seconds(metric('first-contentful-paint')),
    seconds(metric('largest-contentful-paint')), ms(metric('total-blocking-time')),
    bytes(metric('total-byte-weight'))]);
}

function loadRow({ page, runs }) {
  const ready = page.quiz ? spread(runs.map((r) => r.quizReady)) : '';
  return row([page.name, spread(runs.map((r) => r.fcp)), ready,
    bytes(median(runs.map((r) => r.bytes)))]);
}

/** Replaces the section in `file` (up to the next `## ` heading) or adds it at the end. */
function writeSection(file, text) {
  const old = readFileSync(file, 'utf8');
  const start = old.indexOf(section + '\n');
  if (start < 0) {
    writeFileSync(file, old.replace(/\n*$/, '\n\n') + text);
    return;
  }
  const next = old.indexOf('\n## ', start + section.length);
  const rest = next < 0 ? '' : '\n' + old.slice(next + 1);
  writeFileSync(file, old.slice(0, start) + text + rest);
}

/** The version number a program prints for --version (Debian's chromium script also complains). */
function toolVersion(program) {
  const said = execFileSync(program, ['--version'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return said.match(/\d+(\.\d+)+/)[0];
}

/** The commit checked out where the courses are (a worktree's, when --courses is in one). */
function coursesCommit() {
  return execFileSync('git', ['-C', options.courses, 'rev-parse', '--short', 'HEAD'],
    { encoding: 'utf8' }).trim();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function spread(values) {
  const plain = (v) => Math.round(v).toLocaleString('en-US');
  return `${ms(median(values))} (${plain(Math.min(...values))}-${plain(Math.max(...values))})`;
}

/** Reflows `text` into lines of at most `width` characters, as BENCHMARKS.md is written. */
function wrap(text, width = 96) {
  const lines = [''];
  for (const word of text.split(/\s+/)) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + 1 + word.length > width) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  return lines.join('\n');
}

function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

function ms(value) {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

function seconds(value) {
  return `${(value / 1000).toFixed(2)} s`;
}

function bytes(value) {
  return `${Math.round(value).toLocaleString('en-US')} B`;
}
