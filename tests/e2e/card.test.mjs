// The worker card in a real browser (Chromium through playwright-core) against
// build/jiazheng: a company admin enrols a worker with paper consent, opens the card page
// and issues the card; the printable card is screenshotted and its QR code decoded with
// zbarimg (Debian zbar-tools) — or, without zbarimg, the URL is taken from the page; a
// consumer's phone (another browser context, JavaScript off) opens that URL and sees the
// public view: masked name, genuine, no private data. The card also fits its print size.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer } from './lib.mjs';
import { uscc } from '../http/codes.mjs';
import { dayOffset, idNumber } from '../http/ids.mjs';

let srv;
let browser;
const company = { county: '430922', name: '桃江县信达家政服务有限公司', username: 'e2e_card' };

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  browser = await launchBrowser();
  company.uscc = uscc(company.county);
  let r = srv.run(['company', 'add', '--db', srv.db, '--uscc', company.uscc, '--name', company.name, '--county', company.county]);
  assert.equal(r.status, 0, r.stderr);
  r = srv.run(['user', 'add', '--db', srv.db, '--username', company.username, '--role', 'company_admin', '--company', company.uscc]);
  assert.equal(r.status, 0, r.stderr);
  company.password = r.stdout.match(/password: (\S+)/)[1];
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function clickAndWait(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

/** The text of the QR code in a PNG, or null when zbarimg is not installed. */
function decodeQr(png) {
  const probe = spawnSync('zbarimg', ['--version'], { encoding: 'utf8' });
  if (probe.error) return null;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jz-qr-')), 'card.png');
  fs.writeFileSync(file, png);
  const r = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  assert.equal(r.status, 0, `zbarimg found no QR code: ${r.stderr}`);
  return r.stdout.trim();
}

test('issue a card, scan its QR code, see the public view on a phone without JavaScript', async () => {
  const w = { name: '彭秀英', id: idNumber({ region: '430922', birth: '19780615', seq: 224 }), phone: '13907371234' };
  // A sharp screenshot, as a phone camera would see the printed card: 4 device pixels a CSS pixel.
  const office = await browser.newContext({ deviceScaleFactor: 4 });
  const page = await office.newPage();
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', company.username);
  await page.fill('#password', company.password);
  await clickAndWait(page, 'main input[type="submit"]');
  await page.goto(`${srv.base}/company/workers/new`);
  await page.fill('#name', w.name);
  await page.fill('#id_number', w.id);
  await page.fill('#phone', w.phone);
  await page.check('input[name="service_types"][value="nanny"]');
  await page.fill('#consent_date', dayOffset(-1));
  await clickAndWait(page, 'form[action="/company/workers"] input[type="submit"]');
  assert.match(new URL(page.url()).pathname, /^\/workers\/\d+$/);

  await clickAndWait(page, '#card-link');
  assert.match(new URL(page.url()).pathname, /^\/workers\/\d+\/card$/);
  await clickAndWait(page, '#card-issue');
  assert.equal((await page.textContent('#card-name')).trim(), '彭*英');
  assert.match((await page.textContent('#card-serial')).trim(), /^JZ\d{10}$/);

  // Card size on screen: 85.6 × 54 mm at 96 px per inch.
  const box = await page.locator('#card').boundingBox();
  assert.ok(Math.abs(box.width - (85.6 / 25.4) * 96) < 2, `card width ${box.width}px`);
  assert.ok(Math.abs(box.height - (54 / 25.4) * 96) < 2, `card height ${box.height}px`);
  // The print view hides the site around the card.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header').isVisible(), false);
  assert.equal(await page.locator('#card').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });

  const fromPage = (await page.textContent('#card-url')).trim();
  const png = await page.locator('#card').screenshot({ scale: 'device' });
  const scanned = decodeQr(png);
  if (scanned === null) console.log('# zbarimg not installed: URL taken from the page');
  else assert.equal(scanned, fromPage, 'the QR code holds the card URL');
  const url = scanned ?? fromPage;
  assert.match(url, new RegExp(`^${srv.base}/v/[A-Za-z0-9_-]{108}$`));

  // The consumer's phone: no session, no JavaScript.
  const phone = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const consumer = await phone.newPage();
  const res = await consumer.goto(url);
  assert.equal(res.status(), 200);
  assert.match(await consumer.textContent('#verdict'), /平台签发的真实卡片/);
  assert.equal((await consumer.textContent('#card-name')).trim(), '彭*英');
  assert.match(await consumer.textContent('#card-company'), new RegExp(company.name));
  const body = await consumer.content();
  for (const secret of [w.name, w.id, w.phone]) assert.ok(!body.includes(secret), `${secret} shown`);
  // An altered URL is refused.
  const i = url.length - 30;
  const bad = await consumer.goto(url.slice(0, i) + (url[i] === 'A' ? 'B' : 'A') + url.slice(i + 1));
  assert.equal(bad.status(), 404);
  assert.match(await consumer.textContent('#verdict'), /不是平台签发的真实卡片/);
  await phone.close();
  await office.close();
});
