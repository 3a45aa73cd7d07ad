// Bulk import through the upload page in a real browser (Chromium through playwright-core)
// against build/jiazheng: a company admin uploads a CSV file with good and bad rows, the
// job page shows progress and then the outcome, the bad rows are listed as row, column
// and reason, and the report downloads as CSV; the good workers appear in the list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer } from './lib.mjs';
import { uscc } from '../http/codes.mjs';
import { breakIdCheck, dayOffset, idNumber } from '../http/ids.mjs';

let srv;
let browser;
const company = { county: '430923', name: '安化县放心家政服务有限公司', username: 'e2e_import' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-e2e-import-'));

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
  fs.rmSync(dir, { recursive: true, force: true });
});

test('upload a CSV file with bad rows, follow the progress, read and download the report', async () => {
  const good1 = idNumber({ region: '430923', birth: '19800214', seq: 122 });
  const good2 = idNumber({ region: '430922', birth: '19760830', seq: 204 });
  const csv = [
    'name,id_number,phone,service_types,consent_date,health_no,health_expires',
    `刘桂兰,${good1},13807371111,保姆|养老护理,${dayOffset(-3)},JK1,${dayOffset(200)}`,
    `陈秀梅,${breakIdCheck(idNumber({ region: '430923', birth: '19820101', seq: 11 }))},,保洁,,,`,
    `周红梅,${good2},1380737,月嫂,,,`,
    `李建国,${idNumber({ region: '430923', birth: '19790101', seq: 13 })},,水电工,,,`,
    `王丽华,${idNumber({ region: '430923', birth: '19830101', seq: 16 })},,,,JK9,`,
  ].join('\r\n') + '\r\n';
  const file = path.join(dir, '服务员名单.csv');
  fs.writeFileSync(file, csv);

  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', company.username);
  await page.fill('#password', company.password);
  await Promise.all([page.waitForNavigation(), page.click('main input[type="submit"]')]);

  await page.goto(`${srv.base}/company/workers`);
  await Promise.all([page.waitForNavigation(), page.click('text=批量导入')]);
  assert.equal(new URL(page.url()).pathname, '/company/import');
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/company/import"] input[type="submit"]')]);
  assert.match(new URL(page.url()).pathname, /^\/company\/import\/\d+$/);

  // The page refreshes itself every two seconds until the job is done.
  await page.waitForSelector('#import-status:has-text("导入完成")', { timeout: 30000 });
  assert.equal((await page.textContent('#rows')).trim(), '5');
  assert.equal((await page.textContent('#imported')).trim(), '1');
  assert.equal((await page.textContent('#rejected')).trim(), '4');
  const rows = await page.$$eval('#report tr', (trs) => trs.slice(1).map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  assert.deepEqual(rows.map((r) => [r[0], r[1]]), [
    ['3', 'id_number'],
    ['4', 'phone'],
    ['5', 'service_types'],
    ['6', 'health_expires'],
  ]);
  assert.match(rows[0][2], /校验码/);
  assert.match(rows[2][2], /水电工/);
  // The report never repeats an ID number.
  assert.ok(!(await page.content()).includes(good2));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-link')]);
  const saved = path.join(dir, 'report.csv');
  await download.saveAs(saved);
  const report = fs.readFileSync(saved, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(report[0], 'row,column,reason');
  assert.deepEqual(report.slice(1).map((l) => l.split(',').slice(0, 2).join(',')),
    ['3,id_number', '4,phone', '5,service_types', '6,health_expires']);

  // The one good row is now a worker of the company.
  await page.goto(`${srv.base}/company/workers`);
  assert.match(await page.textContent('#worker-total'), /1/);
  assert.ok((await page.textContent('main')).includes('刘桂兰'));

  // Uploading the same file again changes nothing already there.
  await page.goto(`${srv.base}/company/import`);
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/company/import"] input[type="submit"]')]);
  await page.waitForSelector('#import-status:has-text("导入完成")', { timeout: 30000 });
  assert.equal((await page.textContent('#imported')).trim(), '0');
  assert.equal((await page.textContent('#already')).trim(), '1');
  await ctx.close();
});

test('a file with an unknown column is refused as a whole, naming the column', async () => {
  const file = path.join(dir, 'bad-header.csv');
  fs.writeFileSync(file, `name,id_number,wechat\n刘桂兰,${idNumber({ region: '430923', birth: '19800214', seq: 122 })},x\n`);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', company.username);
  await page.fill('#password', company.password);
  await Promise.all([page.waitForNavigation(), page.click('main input[type="submit"]')]);
  await page.goto(`${srv.base}/company/import`);
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/company/import"] input[type="submit"]')]);
  await page.waitForSelector('#import-status.error', { timeout: 30000 });
  assert.match(await page.textContent('#import-status'), /wechat/);
  await ctx.close();
});
