// Worker enrolment and consent in a real browser (Chromium through playwright-core)
// against build/jiazheng (SQLite unless JZ_DB_KIND=pg): a company admin enrols a worker
// through the form and makes a one-time consent code; the worker, on "their phone" (a
// second browser context), confirms with the code, sees the record and who read it, and
// downloads all of it as JSON. Also: the form refuses a bad ID number in Chinese and
// keeps what was typed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer } from './lib.mjs';
import { uscc } from '../http/codes.mjs';
import { breakIdCheck, dayOffset, idNumber } from '../http/ids.mjs';

let srv;
let browser;
const company = { county: '430922', name: '桃江县暖心家政服务有限公司', username: 'e2e_company' };

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

const text = async (page, selector) => (await page.textContent(selector)).trim();

/** Clicks and waits for the navigation it starts; returns the main response. */
async function clickAndWait(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

async function signIn(page) {
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', company.username);
  await page.fill('#password', company.password);
  await clickAndWait(page, 'main input[type="submit"]');
  assert.equal(new URL(page.url()).pathname, '/company');
}

async function openEnrolmentForm(page) {
  await page.goto(`${srv.base}/company/workers`);
  await clickAndWait(page, 'text=录入服务员');
  assert.equal(new URL(page.url()).pathname, '/company/workers/new');
}

const SAVE = 'form[action="/company/workers"] input[type="submit"]';

test('enrol a worker, hand over a consent code, the worker confirms, reads the access log and downloads the data', async () => {
  const w = {
    name: '彭秀英',
    id_number: idNumber({ region: '430922', birth: '19790518', seq: 246 }),
    phone: '13907371234',
    health_no: 'JK-430922-2025-0088',
    health_issuer: '桃江县疾病预防控制中心',
    health_issued: dayOffset(-20),
    health_expires: dayOffset(345),
  };

  const coCtx = await browser.newContext();
  const co = await coCtx.newPage();
  await signIn(co);
  await openEnrolmentForm(co);
  await co.fill('#name', w.name);
  await co.fill('#id_number', w.id_number);
  await co.fill('#phone', w.phone);
  await co.check('input[name="service_types"][value="maternity"]');
  await co.fill('#health_no', w.health_no);
  await co.fill('#health_issuer', w.health_issuer);
  await co.fill('#health_issued', w.health_issued);
  await co.fill('#health_expires', w.health_expires);
  await clickAndWait(co, SAVE);

  const m = new URL(co.url()).pathname.match(/^\/workers\/(\d+)$/);
  assert.ok(m, `landed on ${co.url()}`);
  const id = m[1];
  assert.equal(await text(co, '#worker-name'), w.name);
  assert.equal(await text(co, '#worker-id'), w.id_number);
  assert.equal(await text(co, '#worker-phone'), w.phone);
  assert.equal(await text(co, '#ready'), '不可上岗');
  assert.match(await text(co, '#consent'), /尚未授权/);
  const main = await co.textContent('main');
  assert.ok(main.includes('月嫂'), 'the service type');
  assert.ok(main.includes(w.health_no) && main.includes(w.health_expires), 'the health certificate');
  assert.ok(main.includes(company.name), 'the employment');

  // The list shows the new worker, not ready.
  await co.goto(`${srv.base}/company/workers`);
  assert.match(await text(co, '#worker-total'), /1$/);
  assert.ok((await co.textContent(`a[href="/workers/${id}"]`)).includes(w.name));

  // The consent code.
  await co.goto(`${srv.base}/workers/${id}`);
  await clickAndWait(co, 'input[type="submit"][value="生成授权码交给服务员"]');
  const code = await text(co, '#consent-code');
  assert.match(code, /^\d{8}$/);

  // The worker, on their phone.
  const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
  const ph = await phoneCtx.newPage();
  await ph.goto(`${srv.base}/consent`);
  await ph.fill('#code', code);
  await ph.fill('#phone', w.phone);
  await ph.fill('#password', 'xiuying-0518');
  await clickAndWait(ph, 'form[action="/consent"] input[type="submit"]');
  assert.equal(new URL(ph.url()).pathname, '/worker');
  assert.equal(await text(ph, '#worker-name'), w.name);
  assert.equal(await text(ph, '#worker-id'), w.id_number);
  assert.match(await text(ph, '#consent'), /本人已确认/);
  const log = await text(ph, '#access-log');
  assert.ok(log.includes(company.name), `the company's reads are listed: ${log}`);
  assert.ok(log.includes('所在企业查看'));

  // The same code does not work twice.
  const again = await phoneCtx.newPage();
  await again.goto(`${srv.base}/consent`);
  await again.fill('#code', code);
  await again.fill('#phone', w.phone);
  await again.fill('#password', 'another-pass');
  const second = await clickAndWait(again, 'form[action="/consent"] input[type="submit"]');
  assert.equal(second.status(), 404);
  assert.match(await text(again, '.error'), /授权码无效或已过期/);
  await again.close();

  // The download.
  const [download] = await Promise.all([ph.waitForEvent('download'), ph.click('a[href="/worker/export"]')]);
  assert.equal(download.suggestedFilename(), 'my-record.json');
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(data.id_number, w.id_number);
  assert.equal(data.name, w.name);
  assert.equal(data.phone, w.phone);
  assert.equal(data.birth_date, '1979-05-18');
  assert.equal(data.consent.method, 'code');
  assert.ok(data.credentials.some((c) => c.number === w.health_no && c.expires === w.health_expires));
  assert.ok(data.access_log.some((a) => a.viewer.includes(company.name)));

  // Back at the company: the record now shows the worker's confirmation, and no code button.
  await co.goto(`${srv.base}/workers/${id}`);
  assert.match(await text(co, '#consent'), /本人已确认/);
  assert.equal(await co.$('input[value="生成授权码交给服务员"]'), null);

  // Signed out, the worker's pages send them to sign in; signing in brings the record back.
  const fresh = await browser.newContext();
  const p2 = await fresh.newPage();
  await p2.goto(`${srv.base}/worker`);
  assert.equal(new URL(p2.url()).pathname, '/worker/login');
  await p2.fill('#phone', w.phone);
  await p2.fill('#password', 'xiuying-0518');
  await clickAndWait(p2, 'form[action="/worker/login"] input[type="submit"]');
  assert.equal(new URL(p2.url()).pathname, '/worker');
  assert.equal(await text(p2, '#worker-name'), w.name);

  await Promise.all([coCtx.close(), phoneCtx.close(), fresh.close()]);
});

test('the enrolment form refuses a bad ID number in Chinese and keeps what was typed', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page);
  await page.goto(`${srv.base}/company/workers`);
  const before = await text(page, '#worker-total');

  await openEnrolmentForm(page);
  const bad = breakIdCheck(idNumber({ region: '430922', birth: '19880808', seq: 135 }));
  await page.fill('#name', '何秀英');
  await page.fill('#id_number', bad);
  await page.fill('#phone', '13807375678');
  await page.check('input[name="service_types"][value="elder_care"]');
  const response = await clickAndWait(page, SAVE);
  assert.equal(response.status(), 400);
  assert.equal(new URL(page.url()).pathname, '/company/workers');
  const error = await text(page, '.error');
  assert.match(error, /填写的内容无效/);
  assert.match(error, /校验码错误/);
  assert.equal(await page.inputValue('#name'), '何秀英');
  assert.equal(await page.inputValue('#id_number'), bad);
  assert.equal(await page.inputValue('#phone'), '13807375678');
  assert.equal(await page.isChecked('input[name="service_types"][value="elder_care"]'), true);
  assert.equal(await page.isChecked('input[name="service_types"][value="nanny"]'), false);

  await page.goto(`${srv.base}/company/workers`);
  assert.equal(await text(page, '#worker-total'), before, 'nothing was saved');
  await ctx.close();
});
