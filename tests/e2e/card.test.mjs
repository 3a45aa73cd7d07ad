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

test('from the card to a review: record and end a service, review it with the code, see the card change, the code works once', async () => {
  const w = { name: '刘桂英', id: idNumber({ region: '430922', birth: '19800301', seq: 316 }), phone: '13907375678' };
  const office = await browser.newContext();
  const page = await office.newPage();
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', company.username);
  await page.fill('#password', company.password);
  await clickAndWait(page, 'main input[type="submit"]');
  await page.goto(`${srv.base}/company/workers/new`);
  await page.fill('#name', w.name);
  await page.fill('#id_number', w.id);
  await page.fill('#phone', w.phone);
  await page.check('input[name="service_types"][value="maternity"]');
  await page.fill('#consent_date', dayOffset(-2));
  await clickAndWait(page, 'form[action="/company/workers"] input[type="submit"]');
  const record = page.url();
  await clickAndWait(page, '#card-link');
  await clickAndWait(page, '#card-issue');
  const cardUrl = (await page.textContent('#card-url')).trim();

  // The consumer scans the card before the service: no reviews yet.
  const phone = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const consumer = await phone.newPage();
  await consumer.goto(cardUrl);
  const before = (await consumer.textContent('#card-stars')).trim();
  assert.match(before, /（0条评价）$/);

  // The company records the service on the worker's record and ends it.
  await page.goto(record);
  await page.selectOption('#service_type', 'maternity');
  await page.fill('#service_county', '430922');
  await clickAndWait(page, 'form[action$="/services"] input[type="submit"]');
  await clickAndWait(page, '#services input[type="submit"]');
  const link = await page.getAttribute('#review-link', 'href');
  assert.match(link, /^\/review\/[A-Za-z0-9_-]{16}$/);
  assert.equal((await page.textContent('#review-link')).trim(), srv.base + link);
  const qr = decodeQr(await page.locator('#review-qr').screenshot());
  if (qr !== null) assert.equal(qr, srv.base + link, 'the QR code holds the review link');
  else assert.equal(await page.locator('#review-qr svg').count(), 1);

  // The consumer reviews on the phone, without JavaScript or an account.
  await consumer.goto(srv.base + link);
  assert.match(await consumer.textContent('#review-subject'), /^刘\*英 · /);
  await consumer.check('input[name="skill"][value="5"]');
  await consumer.check('input[name="attitude"][value="4"]');
  await consumer.fill('#comment', '月子照顾得很好');
  const [sent] = await Promise.all([consumer.waitForNavigation(), consumer.click('main input[type="submit"]')]);
  assert.equal(sent.status(), 201);
  assert.match(await consumer.textContent('#review-done'), /评价已提交/);

  // The card now counts the review, and the stars moved.
  await consumer.goto(cardUrl);
  const after = (await consumer.textContent('#card-stars')).trim();
  assert.match(after, /（1条评价）$/);
  const number = (s) => Number(s.match(/ (\d\.\d)（/)[1]);
  assert.ok(number(after) >= number(before), `${before} → ${after}`);
  assert.match(await consumer.textContent('#card-activity'), /活跃/); // the review counted as this month's check-in

  // The code works once.
  const again = await consumer.goto(srv.base + link);
  assert.equal(again.status(), 404);
  assert.match(await consumer.textContent('main'), /评价码无效或已使用/);
  await phone.close();
  await office.close();
});
