// today.mjs - log a day on the Today page (food with the lexicon's tags
// shown while typing, Enter to submit; the day's scores with the Bristol
// wording), on a phone-width screen, then see the day on the Timeline.
// usage: node today.mjs LOGIN_LINK OUTDIR
import { fail, finish, open } from './common.mjs';

const [link, outdir] = process.argv.slice(2);
const ctx = await open(link);
const { page, base } = ctx;
// the refusals this test provokes are logged by the browser as failed loads (400)
const expected = (e) => /status of 40[09]/.test(e);
await page.setViewportSize({ width: 390, height: 1400 });
await page.goto(base + '/#today');
await page.waitForSelector('#today-day:not(:empty)');
if (await page.locator('.disclaimer', { hasText: 'not a diagnosis' }).count() !== 1) fail('the page says once that it is not a diagnosis');

// food: tags appear as you type; Enter logs it
await page.click('#today-food');
await page.keyboard.type('oat porridge with mil');
await page.waitForFunction(() => /oat porridge/.test(document.getElementById('today-food-tags').textContent));
await page.keyboard.type('k');
await page.waitForFunction(() => /dairy/.test(document.getElementById('today-food-tags').textContent));
await page.fill('#today-portion', '1 bowl');
await page.focus('#today-food');
await page.keyboard.press('Enter');
await page.waitForSelector('#today-entries tr[data-kind="food"]');
const foodRow = await page.locator('#today-entries tr[data-kind="food"]').textContent();
if (!/oat porridge with milk/.test(foodRow) || !/1 bowl/.test(foodRow)) fail('the food row: ' + foodRow);

// the scores: keyboard only, Enter in the last box logs the batch
await page.selectOption('#today-stool', '4');
const stoolText = await page.$eval('#today-stool', (s) => s.selectedOptions[0].textContent);
if (!/smooth, soft sausage/.test(stoolText)) fail('Bristol wording: ' + stoolText);
await page.fill('#today-skin-overall', '6');
await page.fill('input[data-name="bloating"]', '5');
await page.fill('#today-fatigue', '3');
await page.fill('#today-sleep', '7.5');
await page.focus('#today-stress');
await page.keyboard.type('4');
await page.keyboard.press('Enter');
await page.waitForFunction(() => document.querySelectorAll('#today-entries tbody tr').length === 7);
const kinds = await page.$$eval('#today-entries tbody tr', (rows) => rows.map((r) => r.dataset.kind).sort());
if (kinds.join(',') !== 'body,food,gut,skin,sleep,stool,stress') fail('kinds logged: ' + kinds);

// a refused value names the box and logs nothing
await page.fill('#today-skin-overall', '12');
await page.click('#today-log');
await page.waitForSelector('#today-error:not([hidden])');
const err = await page.textContent('#today-error');
if (!/skin overall/.test(err) || !/0-10/.test(err)) fail('the refusal names the box and range: ' + err);
if (await page.locator('#today-entries tbody tr').count() !== 7) fail('a refused batch wrote something');
await page.fill('#today-skin-overall', '');

// fits a phone: nothing wider than the screen
const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
if (overflow > 0) fail(`the Today page is ${overflow}px wider than a 390px screen`);
await finish({ ...ctx, browser: { close: async () => {} }, errors: [] }, outdir, 'today-phone.png');

// the day on the Timeline
await page.setViewportSize({ width: 1200, height: 1100 });
await page.goto(base + '/#timeline');
await page.waitForFunction(() => Number(document.getElementById('tl-chart').dataset.days) >= 1, null, { timeout: 30000 });
const row = page.locator('#tl-days tbody tr').first();
const cells = await row.locator('td').allTextContents();
// day, skin, gut, body, stool, sleep, stress, foods
if (cells[1] !== '6' || cells[2] !== '5' || cells[3] !== '3' || cells[4] !== '4' || cells[5] !== '7.5' || cells[6] !== '4')
  fail('the timeline row: ' + cells.join(' | '));
if (!/oat porridge with milk/.test(cells[7])) fail('the timeline lists the food: ' + cells[7]);
await page.selectOption('#tl-exposure', 'dairy');
const legend = await page.textContent('#tl-legend');
if (!/days with dairy/.test(legend)) fail('exposure marks are named in the legend: ' + legend);
if (await page.locator('#tl-chart canvas').count() < 1) fail('uPlot drew the chart');
console.log('today -> timeline: ' + cells.join(' | '));
ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !expected(e)));
await finish(ctx, outdir, 'timeline.png');
