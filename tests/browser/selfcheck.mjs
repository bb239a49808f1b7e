// selfcheck.mjs - run the self-check with a red flag: the warning-sign
// questions come first, one "yes" ends it with "see a clinician now"
// before anything else, and the response is stored.  Then a run without
// a red flag goes on to the skin questions and gives the report.
// usage: node selfcheck.mjs LOGIN_LINK OUTDIR
import { fail, finish, open } from './common.mjs';

const [link, outdir] = process.argv.slice(2);
const ctx = await open(link);
const { page, base } = ctx;
await page.goto(base + '/#self-check');
await page.waitForSelector('[data-item="rf_blood_stool"]');
const visible = await page.$$eval('[data-item]:not([hidden])', (els) => els.map((e) => e.dataset.item));
if (!visible.length || !visible.every((id) => id.startsWith('rf_'))) fail('only warning signs first: ' + visible);

async function answerRedFlags(black) {
  for (const id of ['rf_blood_stool', 'rf_weight_loss', 'rf_fever', 'rf_night_sweats', 'rf_swallowing', 'rf_skin_infection'])
    await page.check(`#q-${id}-0`);
  await page.check(`#q-rf_black_stool-${black ? 1 : 0}`);
  await page.fill('#q-rf_pain_worst', '2');
  await page.waitForSelector('[data-item="rf_pain_wakes"]:not([hidden])');  // asked once pain > 0
  await page.check('#q-rf_pain_wakes-0');
  await page.check('#q-rf_rash-0');
}

// not every warning sign answered: asked to finish them
await page.click('#check-next');
await page.waitForSelector('#check-error:not([hidden])');
await answerRedFlags(true);
await page.click('#check-next');
await page.waitForSelector('#check-report .red-flag');
const first = await page.$eval('#check-report', (r) => r.firstElementChild.textContent);
if (!/See a clinician now/.test(first) || !/black stool/.test(first)) fail('the report starts with see a clinician now: ' + first);
if (await page.locator('#check-report .groups').count() !== 0) fail('a red flag says nothing about groups of signs');
await page.waitForSelector('#check-past tbody tr');
if (!/see a clinician now/.test(await page.textContent('#check-past tbody tr'))) fail('the stored response is listed');
await finish({ ...ctx, browser: { close: async () => {} }, errors: [] }, outdir, 'selfcheck-redflag.png');

// without a red flag: on to the signs, then a report with groups
await page.click('#check-again');
await page.waitForSelector('#check-form:not([hidden]) [data-item="rf_blood_stool"]');
if (await page.locator('#check-report .red-flag').count() !== 0) fail('taking it again clears the report');
await answerRedFlags(false);
await page.click('#check-next');
await page.waitForSelector('[data-item="acne_now"]:not([hidden])');
await page.check('#q-acne_now-1');
await page.waitForSelector('[data-item="acne_severity"]:not([hidden])');
await page.fill('#q-acne_severity', '7');
await page.click('#check-next');
await page.waitForSelector('#check-report .groups');
const groups = await page.textContent('#check-report .groups');
if (!/acne/i.test(groups) || !/marked/.test(groups)) fail('the report lists acne, marked: ' + groups);
if (!/not a diagnosis/.test(await page.textContent('#check-report'))) fail('the report carries the disclaimer');
if (await page.locator('#check-past tbody tr').count() !== 2) fail('two stored self-checks');
await finish(ctx, outdir, 'selfcheck-report.png');
