// The Urdu sample course reads right to left, checked on screenshots of the pages as Chromium
// draws them on a phone: text starts at the right edge (and English at the left, so the check can
// tell the two apart), the Urdu font is the Nastaliq one, numbers keep their digits left to right
// inside a right-to-left sentence, English inside Urdu keeps its own order, and nothing overflows.
// The screenshots are kept in target/screenshots/ for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { buildCourses, phone, quizReady, root, serve } from './helpers.mjs';

const urduLesson = 'money-basics-ur/budgeting/what-is-a-budget/index.html';
const englishLesson = 'money-basics/budgeting/what-is-a-budget/index.html';
const shots = join(root, 'target/screenshots');
let site;

before(async () => { site = await serve(buildCourses(join(root, 'courses'))); });
after(async () => { await site.close(); });

/** Opens `path` once its fonts are loaded; returns the page's screenshot, decoded. */
async function screenshot(page, path, name) {
  await page.goto(site.url + path);
  await page.evaluate(() => document.fonts.ready);
  const png = await page.screenshot({ fullPage: true });
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, name), png);
  return PNG.sync.read(png);
}

/**
 * Where the ink of an element lies in the screenshot: the first and last pixel columns in its box
 * that differ clearly from the page background, as gaps from the box's left and right edges.
 */
async function ink(page, image, selector) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is on the page`);
  const background = pixel(image, 1, Math.round(box.y + box.height / 2));
  const columns = [];
  for (let x = Math.ceil(box.x); x < Math.floor(box.x + box.width); x++) {
    for (let y = Math.ceil(box.y); y < Math.floor(box.y + box.height); y++) {
      if (distance(pixel(image, x, y), background) > 96) { columns.push(x); break; }
    }
  }
  assert.ok(columns.length > 0, `${selector} has ink on screen`);
  return { left: columns[0] - box.x, right: box.x + box.width - 1 - columns.at(-1) };
}

function pixel(image, x, y) {
  const at = (y * image.width + x) * 4;
  return [image.data[at], image.data[at + 1], image.data[at + 2]];
}

const distance = (a, b) => a.reduce((sum, value, i) => sum + Math.abs(value - b[i]), 0);

/**
 * Where each of `parts` is drawn, as { left, top } of its first character: the parts are found in
 * that order inside `phrase`, a piece of one text node of the element `locator` finds.
 */
function placesIn(locator, phrase, parts) {
  return locator.first().evaluate((element, [phrase, parts]) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode()) && !node.data.includes(phrase));
    if (!node) throw new Error(`"${phrase}" is not in one text node`);
    let from = node.data.indexOf(phrase);
    return parts.map((part) => {
      const at = node.data.indexOf(part, from);
      from = at + part.length;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      const { left, top } = range.getBoundingClientRect();
      return { left, top };
    });
  }, [phrase, parts]);
}

/** The font families Chromium really used to draw `selector` (DevTools Protocol). */
async function fontsUsed(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root: document } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: document.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts.map((font) => font.familyName);
}

test('an Urdu lesson reads right to left on screen, an English one left to right', async () => {
  const { browser, page, problems } = await phone();
  try {
    const urdu = await screenshot(page, urduLesson, 'urdu-lesson.png');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.ok((await fontsUsed(page, 'h1')).includes('Noto Nastaliq Urdu'),
      'the Urdu heading is drawn in Nastaliq');
    // Headings, the lesson's details and short lines begin at the right edge and end well short
    // of the left one.
    for (const selector of ['h1', 'main .meta', '.breadcrumb ol', 'main p:has-text("بجٹ بالکل اسی مسئلے")']) {
      const gaps = await ink(page, urdu, selector);
      assert.ok(gaps.right <= 6 && gaps.left > 40, `${selector} hugs the right edge: ${JSON.stringify(gaps)}`);
    }
    // The header's first item, the site name, is on the right and My progress on the left; in
    // the pager, "previous" is on the right.
    const name = await page.locator('.site-name').boundingBox();
    const progress = await page.locator('.site-progress').boundingBox();
    assert.ok(name.x > progress.x, 'site name right of My progress');
    // Numbers keep their digits left to right, and the sentence puts the first number to the
    // right of the second: "45,000 − 28,000 = 17,000".
    const sum = await placesIn(page.locator('main p', { hasText: '45,000' }),
      '45,000 − 28,000 = 17,000', ['4', '000', '28', '17']);
    assert.ok(sum.every(({ top }) => top === sum[0].top), 'the sum is on one line');
    const [four, zeros, second, third] = sum.map(({ left }) => left);
    assert.ok(four < zeros, 'the digits of 45,000 run left to right');
    assert.ok(second < four, 'the first number is right of the second');
    assert.ok(third < second, 'the third number is left of the second');
    // Nothing overflows sideways at 360 px.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));

    const english = await screenshot(page, englishLesson, 'english-lesson.png');
    for (const selector of ['h1', 'main .meta']) {
      const gaps = await ink(page, english, selector);
      assert.ok(gaps.left <= 6 && gaps.right > 40, `${selector} hugs the left edge: ${JSON.stringify(gaps)}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('the Urdu quiz and pager are mirrored: choices, buttons and "previous" start on the right', async () => {
  const { browser, page, problems } = await phone();
  try {
    const path = 'money-basics-ur/budgeting/tracking-cash/index.html';
    await page.goto(site.url + path);
    await quizReady(page);
    await screenshot(page, path, 'urdu-quiz.png');
    const radio = page.locator('.quiz input[type=radio]').first();
    const label = page.locator(`label[for="${await radio.getAttribute('id')}"]`);
    const [button, text] = [await radio.boundingBox(), await label.boundingBox()];
    assert.ok(button.x > text.x, 'the radio button is right of its label');
    const check = await page.locator('.quiz-check').boundingBox();
    const again = await page.locator('.quiz-again').boundingBox();
    assert.ok(check.x > again.x, '"Check answers" comes first, on the right');
    const previous = await page.locator('.pager .prev').boundingBox();
    const next = await page.locator('.pager .next').boundingBox();
    assert.ok(previous.x > next.x, '"previous" is right of "next"');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('English inside an Urdu page is isolated and reads left to right', async () => {
  const { browser, page, problems } = await phone();
  try {
    const image = await screenshot(page, 'money-basics-ur/index.html', 'urdu-course.png');
    const link = page.locator('.translations a[hreflang=en]');
    assert.equal(await link.getAttribute('lang'), 'en');
    assert.deepEqual(await link.evaluate((a) => [getComputedStyle(a).direction, getComputedStyle(a).unicodeBidi]),
      ['ltr', 'isolate']);
    const [money, home] = await placesIn(link, 'Money Basics for Home', ['Money', 'Home']);
    assert.equal(money.top, home.top, 'one line');
    assert.ok(money.left < home.left, 'the English title runs left to right');
    // The label before it ("in another language:") is Urdu and comes first, on the right.
    const [label] = await placesIn(page.locator('.translations'), 'دوسری', ['دوسری']);
    assert.ok(label.left > home.left, 'the Urdu label is right of the English title');
    // The English site name is marked as English and still starts the header on the right.
    assert.equal(await page.getAttribute('.site-name [lang]', 'lang'), 'en');
    const gaps = await ink(page, image, '.site-header');
    assert.ok(gaps.right <= 24, `the header starts at the right: ${JSON.stringify(gaps)}`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
