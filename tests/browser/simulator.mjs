// simulator.mjs - drag an intervention in the Simulator and see the curves
// change while dragging; pointing at it shows its links' evidence grades.
// usage: node simulator.mjs LOGIN_LINK OUTDIR
import { fail, finish, open } from './common.mjs';

const [link, outdir] = process.argv.slice(2);
const ctx = await open(link);
const { page, base } = ctx;
await page.goto(base + '/#simulator');
const runs = () => page.$eval('#sim-charts', (e) => Number(e.dataset.runs));
const skinEnd = () => page.$eval('#sim-charts', (e) => e.dataset.skinEnd);
await page.waitForFunction(() => Number(document.getElementById('sim-charts').dataset.runs) >= 1, null, { timeout: 30000 });
if (await page.locator('#chart-skin canvas').count() !== 1) fail('the skin chart is drawn');
if (await page.locator('.disclaimer', { hasText: 'not a diagnosis' }).count() < 1) fail('the page says it is not a diagnosis');

const lane = page.locator('.lane[data-intervention="fibre"]');
const label0 = await lane.locator('.lane-label').textContent();
const end0 = await skinEnd(), runs0 = await runs();
const bar = lane.locator('.span');
await bar.hover();
const evidence = await page.locator('#sim-evidence').textContent();
if (!/fibre/.test(evidence) || !/measured|fitted|assumption/.test(evidence)) fail('hovering fibre shows its links with grades: ' + evidence);

// drag the fibre switch three weeks earlier, in small steps
const box = await bar.boundingBox();
const y = box.y + box.height / 2;
let x = box.x + box.width / 2;
await page.mouse.move(x, y);
await page.mouse.down();
const track = await lane.locator('.track').boundingBox();
const perDay = track.width / 84;
let runsDuring = runs0;
for (let step = 0; step < 21; step++) {
  x -= perDay;
  await page.mouse.move(x, y);
  await page.waitForTimeout(20);
}
runsDuring = await runs();
await page.mouse.up();
await page.waitForFunction((r) => Number(document.getElementById('sim-charts').dataset.runs) > r, runsDuring, { timeout: 10000 }).catch(() => {});
await page.waitForTimeout(300);  // let the last run land

const label1 = await lane.locator('.lane-label').textContent();
const end1 = await skinEnd();
if (label1 === label0 || !/days 7–147/.test(label1)) fail(`the fibre bar moved three weeks earlier (${label0} -> ${label1})`);
if (runsDuring <= runs0 + 1) fail(`the curves were re-run while dragging (runs ${runs0} -> ${runsDuring})`);
if (end1 === end0) fail(`the skin curve changed (${end0} -> ${end1})`);
console.log(`fibre: "${label0}" -> "${label1}"; skin at day 84 (% of day 0): ${end0} -> ${end1}; runs ${runs0} -> ${await runs()}`);

// keyboard: a focused bar moves by a day with the arrow keys
await bar.focus();
await page.keyboard.press('ArrowRight');
await page.waitForTimeout(200);
if (!/days 8–148/.test(await lane.locator('.lane-label').textContent())) fail('ArrowRight moves the bar by a day');
await finish(ctx, outdir, 'simulator.png');
