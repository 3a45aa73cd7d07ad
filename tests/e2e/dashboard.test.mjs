// The province dashboard in a real browser (Chromium through playwright-core): a
// regulator of 湖南省 signs in, /dashboard opens the province, a click on 益阳市 in the
// ranked table drills down to the prefecture and one on 桃江县 to the county, whose
// figures match what was entered. Screenshots of the province and of the county go to
// build/test-output/dashboard/ (kept after the run, not committed).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, ROOT, launchBrowser, startServer } from './lib.mjs';
import { uscc } from '../http/codes.mjs';
import { nextId, nextPhone, dayOffset } from '../http/ids.mjs';

const OUT = path.join(ROOT, 'build', 'test-output', 'dashboard');
let srv;
let browser;
let password;

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  browser = await launchBrowser();
  fs.mkdirSync(OUT, { recursive: true });
  const code = uscc('430922');
  let r = srv.run(['company', 'add', '--db', srv.db, '--uscc', code, '--name', '桃江县浏览器测试家政有限公司', '--county', '430922']);
  assert.equal(r.status, 0, r.stderr);
  r = srv.run(['user', 'add', '--db', srv.db, '--username', 'e2e_dash_company', '--role', 'company_admin', '--company', code]);
  const companyPassword = r.stdout.match(/password: (\S+)/)[1];
  r = srv.run(['user', 'add', '--db', srv.db, '--username', 'e2e_dash_reg', '--role', 'regulator', '--region', '430000']);
  password = r.stdout.match(/password: (\S+)/)[1];
  const api = new Client(srv.base);
  const s = await api.postJson('/api/v1/session', { username: 'e2e_dash_company', password: companyPassword });
  const auth = { headers: { Authorization: `Bearer ${s.json.token}` } };
  for (let i = 0; i < 4; i++) {
    const w = await api.postJson('/api/v1/workers', { name: '周秀英', id_number: nextId({ region: '430922' }), phone: nextPhone(),
      ...(i < 3 ? { consent_date: dayOffset(-2) } : {}) }, auth);
    assert.equal(w.status, 201, w.text);
  }
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('open the province dashboard, drill down to a county, save a screenshot', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', 'e2e_dash_reg');
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('main input[type="submit"]')]);
  await page.goto(`${srv.base}/dashboard`);
  assert.equal(new URL(page.url()).pathname, '/dashboard/430000');
  assert.match(await page.textContent('h1'), /湖南省/);
  assert.equal(await page.locator('svg.chart').count(), 3);
  assert.equal(await page.locator('#regions tbody tr').count(), 14);
  await page.screenshot({ path: path.join(OUT, 'province-430000.png'), fullPage: true });

  await Promise.all([page.waitForNavigation(), page.click('#regions a:text-is("益阳市")')]);
  assert.equal(new URL(page.url()).pathname, '/dashboard/430900');
  assert.equal(await page.textContent('#regions tbody tr:first-child td:nth-child(2)'), '桃江县');
  await Promise.all([page.waitForNavigation(), page.click('#regions a:text-is("桃江县")')]);
  assert.equal(new URL(page.url()).pathname, '/dashboard/430922');
  const figure = async (key) => (await page.textContent(`#figures [data-key="${key}"] dd`)).trim();
  assert.equal(await figure('workers_entered'), '4');
  assert.equal(await figure('workers_consented'), '3');
  assert.equal(await figure('companies_active'), '1');
  const shot = path.join(OUT, 'county-430922.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(fs.statSync(shot).size > 1000);
  // The number links to the audited list behind it.
  await Promise.all([page.waitForNavigation(), page.click('#figures [data-key="workers_consented"] dd a')]);
  assert.equal(await page.locator('#workers tr').count(), 1 + 3);
  await page.close();
});
