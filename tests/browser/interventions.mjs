// interventions.mjs - start an intervention on the Today page, see it
// running, stop it, and see its span on the Timeline.
// usage: node interventions.mjs LOGIN_LINK OUTDIR
import { fail, finish, open } from './common.mjs';

const [link, outdir] = process.argv.slice(2);
const ctx = await open(link);
const { page, base } = ctx;
// the refusals this test provokes are logged by the browser as failed loads (400)
const expected = (e) => /status of 40[09]/.test(e);
await page.goto(base + '/#today');
await page.waitForSelector('#today-running li');
await page.fill('#today-iv-name', 'zinc');
await page.fill('#today-iv-dose', '30');
await page.fill('#today-iv-unit', 'mg');
await page.press('#today-iv-unit', 'Enter');
await page.waitForSelector('#today-running li[data-running="zinc"]');
const running = await page.textContent('#today-running li[data-running="zinc"]');
if (!/30 mg/.test(running)) fail('the running zinc shows its dose: ' + running);

// starting it again is refused with what runs
await page.fill('#today-iv-name', 'zinc');
await page.press('#today-iv-name', 'Enter');
await page.waitForSelector('#today-error:not([hidden])');
if (!/zinc/.test(await page.textContent('#today-error'))) fail('a second start is refused naming zinc');
await finish({ ...ctx, browser: { close: async () => {} }, errors: [] }, outdir, 'intervention-running.png');

await page.click('button[data-stop="zinc"]');
await page.waitForSelector('#today-running li[data-running="zinc"]', { state: 'detached' });
const after = await page.evaluate(async () => (await fetch('/api/v1/interventions')).json());
if (after.running.length !== 0 || after.past.length !== 1 || after.past[0].name !== 'zinc') fail('zinc is past: ' + JSON.stringify(after));
const kinds = await page.$$eval('#today-entries tbody tr', (rows) => rows.map((r) => r.dataset.kind));
if (kinds.join(',') !== 'start,stop') fail('the day holds the start and the stop: ' + kinds);

await page.goto(base + '/#timeline');
await page.waitForFunction(() => /zinc/.test(document.getElementById('tl-legend').textContent), null, { timeout: 30000 });
console.log('legend: ' + await page.textContent('#tl-legend'));
ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !expected(e)));
await finish(ctx, outdir, 'intervention-timeline.png');
