// export.mjs - export the journal as CSV from the Export page, delete the
// entries, import the exported file, and get them back; a bad file is
// refused with its line and field, and nothing is written.
// usage: node export.mjs LOGIN_LINK OUTDIR
import fs from 'node:fs';
import path from 'node:path';
import { fail, finish, open } from './common.mjs';

const [link, outdir] = process.argv.slice(2);
const ctx = await open(link);
const { page, base } = ctx;
// the refusals this test provokes are logged by the browser as failed loads (400)
const expected = (e) => /status of 40[09]/.test(e);
const api = (method, p, body) => page.evaluate(async ([m, p, b]) => {
  const r = await fetch('/api/v1' + p, { method: m, headers: { 'Content-Type': 'application/json' }, body: b ? JSON.stringify(b) : undefined });
  return { status: r.status, body: await r.json() };
}, [method, p, body]);

const day = [{ kind: 'food', name: 'kefir with honey', timestamp: '2026-03-01T08:00' },
  { kind: 'skin', name: 'overall', value: 5, timestamp: '2026-03-01T20:00' },
  { kind: 'stool', value: 3, timestamp: '2026-03-01T09:00', note: 'after coffee' }];
const made = await api('POST', '/entries', { entries: day });
if (made.status !== 201) fail('logging the day: ' + JSON.stringify(made));

await page.goto(base + '/#export');
const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
const file = path.join(outdir, 'exported-journal.csv');
await download.saveAs(file);
const csv = fs.readFileSync(file, 'utf8');
if (!csv.startsWith('timestamp,kind,name,value,unit,note\n') || !/kefir with honey/.test(csv)) fail('the CSV export: ' + csv.slice(0, 200));

for (const e of made.body.entries) await api('DELETE', '/entries/' + e.id);
if ((await api('GET', '/entries')).body.count !== 0) fail('the entries were deleted');

// a bad file: refused by line and field, nothing written
const badFile = path.join(outdir, 'bad-import.csv');
fs.writeFileSync(badFile, 'timestamp,kind,name,value,unit,note\n2026-03-02T08:00,gut,pain,3,,\n2026-03-02T09:00,stool,bristol,9,,\n');
await page.setInputFiles('#import-file', badFile);
await page.click('#import-form button[type=submit]');
await page.waitForSelector('#import-problems li');
const problem = await page.textContent('#import-problems li');
if (!/line 3/.test(problem) || !/value/.test(problem)) fail('the bad row is named by line and field: ' + problem);
if ((await api('GET', '/entries')).body.count !== 0) fail('a refused import wrote something');

await page.setInputFiles('#import-file', file);
await page.click('#import-form button[type=submit]');
await page.waitForFunction(() => /imported 3 entries/.test(document.getElementById('import-result').textContent));
const back = (await api('GET', '/entries')).body.entries;
const key = (e) => `${e.timestamp}|${e.kind}|${e.name}|${e.value}|${e.note}`;
const want = made.body.entries.map(key).sort().join('\n'), got = back.map(key).sort().join('\n');
if (want !== got) fail(`re-imported entries differ:\n${want}\n---\n${got}`);
await page.waitForSelector('#untagged');

// the day start: 05:00 moves the 01:30 boundary; the journal says so
await page.fill('#daystart', '05:00');
await page.click('#daystart-form button[type=submit]');
await page.waitForFunction(() => /05:00/.test(document.getElementById('daystart-status').textContent));
const cfg = (await api('GET', '/config')).body;
if (cfg.day_start !== '05:00') fail('the day start was stored: ' + JSON.stringify(cfg));
console.log('exported, deleted, re-imported: ' + back.length + ' entries');
ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !expected(e)));
await finish(ctx, outdir, 'export-import.png');
