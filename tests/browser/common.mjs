// common.mjs - what the browser tests share: playwright-core from web/,
// Debian's Chromium headless, the login through the one-time link, and a
// record of page errors (any error fails the test).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exitCode = 1;
}

export async function open(link) {
  const args = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--no-sandbox'] : [];
  const browser = await chromium.launch({ executablePath: process.env.GS_CHROMIUM, headless: true, args });
  const page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const base = new URL(link).origin;
  const resp = await page.goto(link);  // sets the cookie, then redirects to /
  if (!resp.ok() || new URL(page.url()).pathname !== '/') fail(`login link did not lead to / (${resp.status()} ${page.url()})`);
  return { browser, page, base, errors };
}

export async function finish({ browser, page, errors }, outdir, shot) {
  await page.screenshot({ path: path.join(outdir, shot), fullPage: true });
  console.log('screenshot: ' + path.join(outdir, shot));
  for (const e of errors) fail('page error: ' + e);
  await browser.close();
}
