// How long a phone takes to grade an assessment sheet that does not pass, for gates of one box
// to 255: the boxes share one full Argon2id run, so the time should hardly change with the
// shape (`quiz-core/src/gate.rs`, `box_params`; the build's "a slow phone grades a sheet in").
//
//   npm ci --prefix tests/browser
//   cargo build --release -p sabaq
//   node bench/gate_work.mjs [--runs 5] [--sabaq target/release/sabaq]
//
// For each shape (questions n, pass mark t) the script writes a course with one assessment of n
// true-false questions, builds it with a fresh key, and in headless Chromium at 360 x 740 with
// the CPU slowed 4x (DevTools' CPU throttling) answers every question wrongly and submits: the
// box of every t-subset is opened before "not passed yet" shows. It reports the median time
// from the click to that message. Shapes alternate between runs, each run in a fresh page.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCourses, phone, quizReady, runSabaq, serve } from '../tests/browser/helpers.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    sabaq: { type: 'string' },
  },
});
if (values.sabaq) process.env.SABAQ_BIN = values.sabaq;
const runs = Number(values.runs);

// From one box (pass mark = all questions) to 255 boxes of the smallest run.
const shapes = [
  { n: 4, t: 4 },
  { n: 10, t: 8 },
  { n: 20, t: 18 },
  { n: 40, t: 39 },
  { n: 255, t: 254 },
];

const choose = (n, t) => {
  let r = 1;
  for (let i = 0; i < Math.min(t, n - t); i++) r = (r * (n - i)) / (i + 1);
  return r;
};

function course(dir, { n, t }) {
  const root = join(dir, `gate-${n}-${t}`);
  mkdirSync(join(root, '01-only'), { recursive: true });
  writeFileSync(join(root, 'course.yaml'),
    `id: gate-${n}-${t}\ntitle: Gate ${n} ${t}\nlanguage: en\nsummary: Grading work.\n`);
  writeFileSync(join(root, '01-only/module.yaml'), 'title: Only\n');
  const questions = Array.from({ length: n }, (_, i) =>
    `  - type: true-false\n    prompt: Statement ${i + 1} is true.\n    answer: true\n`).join('');
  writeFileSync(join(root, '01-only/01-exam.md'),
    `---\ntitle: Exam\n---\n\n\`\`\`quiz\nid: exam\nmode: assessment\npass: ${t}\nquestions:\n${questions}\`\`\`\n`);
  return root;
}

const work_dir = mkdtempSync(join(tmpdir(), 'sabaq-gate-work-'));
const key = join(work_dir, 'institution.key');
if (runSabaq(['keys', 'new', key]).code !== 0) throw new Error('sabaq keys new failed');
const courses = join(work_dir, 'courses');
for (const shape of shapes) course(courses, shape);
const site = await serve(buildCourses(courses, ['--key', key]));

const times = new Map(shapes.map((shape) => [shape, []]));
try {
  for (let run = 0; run < runs; run++) {
    for (const shape of shapes) {
      const { browser, page } = await phone();
      try {
        const cdp = await page.context().newCDPSession(page);
        await page.goto(`${site.url}gate-${shape.n}-${shape.t}/only/exam/index.html`);
        await quizReady(page);
        await page.locator('input[name=learner]').fill('learner-1');
        for (let q = 1; q <= shape.n; q++) {
          await page.locator(`#q-exam-${q}`).getByLabel('False').check();
        }
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
        const started = Date.now();
        await page.getByRole('button', { name: 'Submit for grading' }).click();
        await page.locator('.quiz-not-passed').waitFor({ timeout: 600_000 });
        times.get(shape).push(Date.now() - started);
      } finally {
        await browser.close();
      }
    }
  }
} finally {
  await site.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`CPU slowed 4x, median of ${runs} (all: ms of each run)`);
console.log('| questions | pass mark | boxes | ms to "not passed yet" | all |');
console.log('|---:|---:|---:|---:|---|');
for (const shape of shapes) {
  const ms = median(times.get(shape));
  console.log(`| ${shape.n} | ${shape.t} | ${choose(shape.n, shape.t).toLocaleString('en')} | ${ms} | ${times.get(shape).join(' ')} |`);
}
