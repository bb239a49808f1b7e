// analyze.mjs - the Triggers and Effects pages on a synthetic journal
// (gutskin synth, imported through the API): the "not enough data yet"
// state on an empty journal, then the planted trigger listed with its
// interval and q-value, the effect of the planted intervention with its
// plain reading and run, the power answer under an effect whose interval
// includes no change, and the "how many days" form.
// usage: node analyze.mjs LOGIN_LINK OUTDIR   (GS_BIN: the gutskin binary)
import { execFileSync } from 'node:child_process';
import { fail, finish, open } from './common.mjs';

const [link, outdir] = process.argv.slice(2);
const ctx = await open(link);
const { page, base } = ctx;
const expected = (e) => /status of 400/.test(e);

// an empty journal: the page says so instead of guessing
await page.goto(base + '/#triggers');
await page.click('#trig-run');
await page.waitForSelector('#trig-error:not([hidden])');
const empty = await page.textContent('#trig-error');
if (!/not enough data yet/i.test(empty)) fail('an empty journal: not enough data yet: ' + empty);

const csv = execFileSync(process.env.GS_BIN, ['synth', '--days', '150', '--seed', '11', '--trigger', 'dairy:1:2', '--effect', 'zinc:75:-2'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const imp = await page.evaluate(async (body) => {
  const r = await fetch('/api/v1/import', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
  return { status: r.status, body: await r.json() };
}, csv);
if (imp.status !== 200) fail('importing the synthetic journal: ' + JSON.stringify(imp.body));

await page.fill('#trig-perm', '300');
await page.click('#trig-run');
await page.waitForSelector('#trig-table:not([hidden]) tbody tr', { timeout: 60000 });
const verdict = await page.textContent('#trig-verdict');
if (!/possible trigger/.test(verdict) || !/150 days/.test(verdict)) fail('the summary: ' + verdict);
const first = await page.locator('#trig-table tbody tr').first().locator('td').allTextContents();
if (first[0] !== 'dairy' || !/to/.test(first[3]) || !/higher/.test(first[6])) fail('the first row is the planted dairy trigger with its interval: ' + first.join(' | '));
// only the possible triggers and the ten closest of the rest are listed
const listed = await page.locator('#trig-table tbody tr').count();
const hits = await page.locator('#trig-table tbody tr.hit').count();
if (listed !== hits + 10) fail(`listed ${listed} rows for ${hits} possible triggers; expected the hits and ten more`);
if (!/further tests, every one of which could be chance, are not listed/.test(await page.textContent('#trig-more'))) fail('the note on the tests not listed');
console.log('triggers: ' + verdict + ' / ' + first.join(' | '));
await finish({ ...ctx, browser: { close: async () => {} }, errors: [] }, outdir, 'triggers.png');

await page.goto(base + '/#effects');
await page.waitForSelector('#eff-name option[value="zinc"]', { state: 'attached' });
await page.fill('#eff-washin', '7');
await page.click('#eff-run');
await page.waitForSelector('#eff-reading');
const reading = await page.textContent('#eff-reading');
if (!/after starting zinc/.test(reading) || !/95% interval/.test(reading)) fail('the effect reading: ' + reading);
if (!/not a diagnosis/i.test(await page.textContent('#eff-result'))) fail('the effect carries the disclaimer');
if (/includes no change/.test(reading)) {
  const more = await page.textContent('#eff-power');
  if (!/not enough data yet/i.test(more)) fail('an unsettled effect says how many more days: ' + more);
}
if (!/^Run 1 of 1: \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(still running\)/.test(await page.textContent('#eff-runs'))) fail('the run analysed is named');
console.log('effect: ' + reading);

// zinc did nothing to bloating: the interval includes no change, and under
// it the power answer (GET /analyze/power) says how many more days
await page.fill('#eff-washin', '0');
await page.fill('#eff-outcome', 'gut.bloating');
await page.click('#eff-run');
await page.waitForSelector('#eff-reading >> text=gut.bloating');
const flat = await page.textContent('#eff-reading');
if (!/includes no change/.test(flat)) fail('zinc on bloating: the interval includes no change: ' + flat);
await page.waitForSelector('#eff-power');
const power = await page.textContent('#eff-power');
if (!/^If zinc changes gut\.bloating by [0-9.]+ points \(the size estimated\): Not enough data yet: (about \d+ more days to detect|even 10 more years .* a longer run-in before starting helps more)/.test(power))
  fail('the power answer under an unsettled effect: ' + power);
if (await page.locator('#eff-more').count()) fail('the power answer replaces the effect\'s own "more days" line');
console.log('power under the effect: ' + power);

// the form: how many days to detect a change of D in a chosen score
await page.fill('#pow-outcome', 'skin.itch');
await page.fill('#pow-change', '1.5');
await page.click('#pow-run');
await page.waitForFunction(() => document.getElementById('pow-answer').textContent.length > 0);
const answer = await page.textContent('#pow-answer');
if (!/change of 1\.5 in skin\.itch with 80% power/.test(answer) || !/not a diagnosis/i.test(answer)) fail('the power form: ' + answer);
await page.fill('#pow-change', '0');
await page.click('#pow-run');
await page.waitForSelector('#pow-error:not([hidden])');
if (!/change must not be 0/.test(await page.textContent('#pow-error'))) fail('the power form refuses a change of 0');
console.log('power form: ' + answer);
ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !expected(e)));
await finish(ctx, outdir, 'effects.png');
