// trials.mjs - run a small example trial to completion on the Trials page
// and read its tables; run an uploaded trial file; start a large one and
// cancel it.
// usage: node trials.mjs LOGIN_LINK OUTDIR
import { fail, finish, open } from './common.mjs';

const [link, outdir] = process.argv.slice(2);
const ctx = await open(link);
const { page, base } = ctx;
await page.goto(base + '/#trials');
await page.waitForFunction(() => document.querySelectorAll('#trial-example option').length >= 1, null, { timeout: 30000 });
await page.selectOption('#trial-example', 'zinc-acne');
await page.fill('#trial-patients', '30');
await page.fill('#trial-seed', '7');
await page.click('#trial-run');
await page.waitForSelector('#trial-job[data-state="done"]', { timeout: 120000 });
const progress = await page.$eval('#trial-progress', (p) => [p.value, p.max]);
if (progress[0] !== 30 || progress[1] !== 30) fail('progress reaches 30 of 30: ' + progress);
const armRows = await page.locator('#trial-arms tbody tr').count();
const cmpRows = await page.locator('#trial-comparisons tbody tr').count();
if (armRows < 2) fail('the arms table has rows: ' + armRows);
if (cmpRows < 1) fail('the comparison table has rows: ' + cmpRows);
const header = await page.locator('#trial-arms thead').textContent();
if (!/no_supplement \(control\)/.test(header) || !/zinc_30mg/.test(header)) fail('arms table header: ' + header);
const cmp = await page.locator('#trial-comparisons tbody').textContent();
if (!/95% CI/.test(cmp)) fail('comparisons carry 95% intervals');
console.log(`trial done: ${armRows} arm rows, ${cmpRows} comparison rows`);
await finish({ ...ctx, browser: { close: async () => {} } }, outdir, 'trials.png');

// an uploaded trial file (its variability files named relative to it)
await page.setInputFiles('#trial-file', 'data/trials/low-gl-diet-acne.yaml');
await page.fill('#trial-patients', '20');
await page.click('#trial-run');
await page.waitForFunction(() => /low-gl-diet-acne\.yaml: done/.test(document.getElementById('trial-state').textContent), null, { timeout: 120000 });
const upHeader = await page.locator('#trial-arms thead').textContent();
if (!/low_gl/.test(upHeader)) fail('the uploaded trial\'s arms are shown: ' + upHeader);
await page.selectOption('#trial-example', 'zinc-acne');  // clears the file choice

// a large run, cancelled
await page.fill('#trial-patients', '200000');
await page.click('#trial-run');
await page.waitForSelector('#trial-job[data-state="running"]', { timeout: 30000 });
await page.click('#trial-cancel');
await page.waitForSelector('#trial-job[data-state="cancelled"]', { timeout: 60000 });
const state = await page.locator('#trial-state').textContent();
if (!/cancelled/.test(state)) fail('the cancelled run says so: ' + state);
const rows = await page.locator('#trial-jobs tbody tr').count();
if (rows < 3) fail('the session lists all three runs: ' + rows);
await finish(ctx, outdir, 'trials-cancelled.png');
