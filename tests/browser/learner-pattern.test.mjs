// The learner-id pattern of course.yaml in headless Chromium. The browser compiles an HTML
// `pattern` with the `v` flag and silently ignores one that does not compile, which would let
// any id through. `sabaq check` reads patterns with those rules: every pattern it accepts must
// compile in Chromium, every one it refuses as invalid must fail there too, and on a built
// assessment the field really refuses an id that does not match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyedSite, phone, quizReady, root, runSabaq } from './helpers.mjs';

// Patterns that compile with the `v` flag, of the kinds institutions write.
const valid = [
  '0[0-9]{10}', '[0-9 \\-]{11,13}', '[A-Z]{2}\\d{6}', '\\+?92-?3\\d{2}-?\\d{7}',
  '(?<year>20\\d\\d)/\\k<year>', '[\\p{L}--[a-z]]+', '[[a-z]&&[^aeiou]]+', '[\\q{ab|cd}x]',
  '(a|b)\\1', '\\p{Script=Arabic}+', '[\\w.\\-]+@example\\.org', 'a{2,}b?c*', 'a/b',
  '[\\p{Nd}]{4}', '(?:ab|cd)+', 'x(?=y)', '(?<!a)b', '[^\\s]+', '\\u{1F600}', '[\\&\\!]',
];
// Patterns other regex dialects accept that the browser refuses with the `v` flag.
const invalid = [
  '[0-9 -]{11,13}', '[-0-9]', '[a-z/]', '[(]', '[a&&&b]', '[!!]', 'a{2', 'a}', '\\a', '(a',
  'a)', '*a', 'a{3,2}', '(a)\\2', '[z-a]', '\\p{Foo}', '[a-z--0-9]', '[a|b]', '(?=a)*',
  '[{]', '\\k<x>', '(?<n>a)(?<n>b)',
];

/** Whether `sabaq check` accepts a course whose learner pattern is `pattern`. */
function buildAccepts(pattern) {
  const dir = mkdtempSync(join(tmpdir(), 'sabaq-pattern-'));
  writeFileSync(join(dir, 'course.yaml'), `id: p\ntitle: P\nlearner:\n  pattern: ${JSON.stringify(pattern)}\n`);
  mkdirSync(join(dir, '01-m'));
  writeFileSync(join(dir, '01-m/01-l.md'), '# L\n\nText.\n');
  writeFileSync(join(dir, '01-m/module.yaml'), 'title: M\n');
  const run = runSabaq(['check', dir]);
  if (run.code !== 0) assert.match(run.err, /the learner pattern .* does not compile in the browser/, run.err);
  return run.code === 0;
}

test('every pattern the build accepts compiles in Chromium with the v flag, and every one it refuses does not', async () => {
  const { browser, page } = await phone();
  try {
    const compiles = await page.evaluate((patterns) => patterns.map((p) => {
      try { new RegExp(p, 'v'); return true; } catch { return false; }
    }), [...valid, ...invalid]);
    [...valid, ...invalid].forEach((pattern, i) => {
      const expected = i < valid.length;
      assert.equal(compiles[i], expected, `Chromium ${expected ? 'refuses' : 'compiles'} ${pattern}`);
      assert.equal(buildAccepts(pattern), expected, `the build ${expected ? 'refuses' : 'accepts'} ${pattern}`);
    });
  } finally {
    await browser.close();
  }
});

test('on a built assessment the id field refuses an id that does not match the pattern', async () => {
  const source = mkdtempSync(join(tmpdir(), 'sabaq-pattern-course-'));
  cpSync(join(root, 'tests/fixtures/assessed-course'), source, { recursive: true });
  const yaml = readFileSync(join(source, 'course.yaml'), 'utf8')
    .replace('pattern: "0[0-9]{10}"', 'pattern: "[0-9 \\\\-]{11,13}"');
  writeFileSync(join(source, 'course.yaml'), yaml);
  const { site } = await keyedSite(source);
  const { browser, page } = await phone();
  try {
    await page.goto(`${site.url}assessed/first/exam/index.html`);
    await quizReady(page);
    const field = page.getByLabel('Your phone number');
    assert.equal(await field.getAttribute('pattern'), '[0-9 \\-]{11,13}');
    await field.fill('anything at all');
    assert.equal(await field.evaluate((input) => input.validity.patternMismatch), true);
    await field.fill('0300-1234567');
    assert.equal(await field.evaluate((input) => input.validity.patternMismatch), false);
  } finally {
    await browser.close();
    await site.close();
  }
});
