// Company admission in a real browser (Chromium through playwright-core) against
// build/jiazheng (SQLite unless JZ_DB_KIND=pg): the applicant fills in /apply, the regulator approves in a
// second browser context, the company admin signs in in a third, and the applicant
// looks up the decision. Also: the form refuses an invalid credit code with the
// Chinese message and keeps what was typed. A screenshot of the approval page goes to a
// temporary directory (not committed) and must be a non-empty PNG.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer } from './lib.mjs';
import { breakCheck, uscc } from '../http/codes.mjs';

let srv;
let browser;
let shots; // temporary directory for screenshots

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  browser = await launchBrowser();
  shots = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-e2e-'));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (shots) fs.rmSync(shots, { recursive: true, force: true });
});

/** Fills the /apply form the way a person would. */
async function fillApplication(page, a) {
  await page.goto(`${srv.base}/apply`);
  await page.fill('#uscc', a.uscc);
  await page.fill('#name', a.name);
  await page.fill('#legal_rep', a.legal_rep);
  await page.selectOption('#county', a.county);
  await page.fill('#address', a.address);
  await page.fill('#phone', a.phone);
  for (const t of a.service_types) await page.check(`input[name="service_types"][value="${t}"]`);
  await page.fill('#commitment_by', a.commitment_by);
  await page.check('input[name="commitment_accepted"]');
}

async function submit(page) {
  await Promise.all([page.waitForNavigation(), page.click('main input[type="submit"]')]);
}

async function signIn(page, username, password) {
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await submit(page);
}

const text = async (page, selector) => (await page.textContent(selector)).trim();

test('apply in the browser, approve as the regulator, sign in as the company, see it approved', async () => {
  const a = {
    uscc: uscc('430922'),
    name: '桃江县诚信家政服务有限公司',
    legal_rep: '王芳',
    county: '430922',
    address: '益阳市桃江县桃花江镇桃花西路18号',
    phone: '0737-8801234',
    service_types: ['maternity', 'infant_care'],
    commitment_by: '王芳',
  };

  // The applicant.
  const applicantCtx = await browser.newContext();
  const applicant = await applicantCtx.newPage();
  await fillApplication(applicant, a);
  await submit(applicant);
  assert.match(await applicant.title(), /申请已提交/);
  const queryCode = await text(applicant, '#query-code');
  assert.match(queryCode, /^\S{8,}$/);
  assert.ok((await text(applicant, '.ok')).includes(a.uscc));

  // The regulator of 湖南, in a second browser.
  const out = srv.run(['user', 'add', '--db', srv.db, '--username', 'e2e_regulator', '--role', 'regulator', '--region', '430000']);
  assert.equal(out.status, 0, out.stderr);
  const regPassword = out.stdout.match(/password: (\S+)/)[1];
  const regCtx = await browser.newContext();
  const reg = await regCtx.newPage();
  await signIn(reg, 'e2e_regulator', regPassword);
  assert.equal(new URL(reg.url()).pathname, '/regulator/applications');
  assert.equal(await text(reg, '#pending-total'), '1');
  await Promise.all([reg.waitForNavigation(), reg.click(`text=${a.name}`)]);
  assert.match(new URL(reg.url()).pathname, /^\/regulator\/applications\/\d+$/);
  assert.equal(await text(reg, '#company-name'), a.name);
  assert.ok((await reg.textContent('main')).includes('月嫂'));
  await Promise.all([reg.waitForNavigation(), reg.click('#approve')]);
  assert.match(await reg.title(), /已批准入驻/);
  const username = await text(reg, '#admin-username');
  const password = await text(reg, '#admin-password');
  assert.equal(username, a.uscc);
  assert.match(password, /^\S{10,}$/);

  const shot = path.join(shots, 'approval.png');
  await reg.screenshot({ path: shot, fullPage: true });
  const png = fs.readFileSync(shot);
  assert.ok(png.length > 1000, `screenshot of ${png.length} bytes`);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');

  // The company admin, in a third browser.
  const coCtx = await browser.newContext();
  const co = await coCtx.newPage();
  await signIn(co, username, password);
  assert.equal(new URL(co.url()).pathname, '/company');
  assert.equal(await text(co, '#company-uscc'), a.uscc);
  assert.equal(await text(co, '#company-status'), '在营');
  assert.ok((await co.textContent('main')).includes('桃江县'));

  // The applicant looks up the decision.
  await applicant.goto(`${srv.base}/apply/status`);
  await applicant.fill('#uscc', a.uscc);
  await applicant.fill('#query_code', queryCode);
  await submit(applicant);
  assert.equal(await text(applicant, '#status'), '已通过，企业已入驻');

  // And the company is in the public register.
  await applicant.goto(`${srv.base}/companies`);
  await applicant.fill('#q', '诚信家政');
  await submit(applicant);
  assert.match(await text(applicant, '#result-count'), /在营企业：1/);
  assert.ok((await applicant.textContent('main')).includes(a.uscc));

  await Promise.all([applicantCtx.close(), regCtx.close(), coCtx.close()]);
});

test('the form refuses an invalid credit code with the Chinese message and keeps the input', async () => {
  const a = {
    uscc: breakCheck(uscc('430923')),
    name: '安化县好帮手家政服务中心',
    legal_rep: '刘强',
    county: '430923',
    address: '益阳市安化县东坪镇中山路6号',
    phone: '13973712345',
    service_types: ['elder_care'],
    commitment_by: '刘强',
  };
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await fillApplication(page, a);
  const response = await Promise.all([page.waitForNavigation(), page.click('main input[type="submit"]')]);
  assert.equal(response[0].status(), 400);
  const error = await text(page, '.error');
  assert.match(error, /统一社会信用代码无效/);
  assert.match(error, /校验码错误/);
  assert.equal(await page.getAttribute('#uscc', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#uscc'), a.uscc);
  assert.equal(await page.inputValue('#name'), a.name);
  assert.equal(await page.inputValue('#legal_rep'), a.legal_rep);
  assert.equal(await page.inputValue('#county'), a.county);
  assert.equal(await page.inputValue('#address'), a.address);
  assert.equal(await page.inputValue('#phone'), a.phone);
  assert.equal(await page.isChecked('input[name="service_types"][value="elder_care"]'), true);
  assert.equal(await page.isChecked('input[name="service_types"][value="nanny"]'), false);
  assert.equal(await page.$('#query-code'), null, 'nothing was submitted');
  await ctx.close();
});
