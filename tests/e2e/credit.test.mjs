// A credit record's whole life in a real browser (Chromium through playwright-core)
// against build/jiazheng: company A reports a theft with an evidence file from the
// worker's record, the regulator in scope confirms it from the queue, company B (which
// employs the worker too) finds it in its inbox, the worker appeals from her own page,
// the regulator upholds the appeal; a consumer's phone without JavaScript reads the card
// after each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer } from './lib.mjs';
import { uscc } from '../http/codes.mjs';
import { idNumber } from '../http/ids.mjs';

let srv;
let browser;
const A = { county: '430922', name: '桃江县诚信家政服务有限公司', username: 'e2e_credit_a' };
const B = { county: '430902', name: '资阳区同心家政服务有限公司', username: 'e2e_credit_b' };
const regulator = { username: 'e2e_credit_reg' };

function addUser(username, role, extra) {
  const r = srv.run(['user', 'add', '--db', srv.db, '--username', username, '--role', role, ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.match(/password: (\S+)/)[1];
}

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  browser = await launchBrowser();
  for (const c of [A, B]) {
    c.uscc = uscc(c.county);
    const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', c.uscc, '--name', c.name, '--county', c.county]);
    assert.equal(r.status, 0, r.stderr);
    c.password = addUser(c.username, 'company_admin', ['--company', c.uscc]);
  }
  regulator.password = addUser(regulator.username, 'regulator', ['--region', '430900']);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function clickAndWait(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

async function signIn(account) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', account.username);
  await page.fill('#password', account.password);
  await clickAndWait(page, 'main input[type="submit"]');
  return page;
}

async function enrol(page, w) {
  await page.goto(`${srv.base}/company/workers/new`);
  await page.fill('#name', w.name);
  await page.fill('#id_number', w.id);
  await page.fill('#phone', w.phone);
  await page.check('input[name="service_types"][value="nanny"]');
  await clickAndWait(page, 'form[action="/company/workers"] input[type="submit"]');
  return page.url();
}

test('report, confirm, notify, appeal, decide: the card reflects each step', async () => {
  const w = { name: '邓秀兰', id: idNumber({ region: '430922', birth: '19790412', seq: 428 }), phone: '13907379012' };
  const a = await signIn(A);
  const record = await enrol(a, w);
  await clickAndWait(a, 'input[type="submit"][value="生成授权码交给服务员"]');
  const code = (await a.textContent('#consent-code')).trim();

  // The worker confirms on her phone and stays signed in there.
  const phoneContext = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const ph = await phoneContext.newPage();
  await ph.goto(`${srv.base}/consent`);
  await ph.fill('#code', code);
  await ph.fill('#phone', w.phone);
  await ph.fill('#password', 'xiulan-0412');
  await clickAndWait(ph, 'form[action="/consent"] input[type="submit"]');

  // Company A issues her card; company B employs her too.
  await a.goto(record);
  await clickAndWait(a, '#card-link');
  await clickAndWait(a, '#card-issue');
  const cardUrl = (await a.textContent('#card-url')).trim();
  const b = await signIn(B);
  await enrol(b, w);

  const consumerContext = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const consumer = await consumerContext.newPage();
  const negatives = async () => {
    const res = await consumer.goto(cardUrl);
    assert.equal(res.status(), 200);
    return (await consumer.textContent('#card-negative')).trim();
  };
  assert.equal(await negatives(), '无');

  // 1. Company A reports a theft from her record, with the police receipt attached.
  await a.goto(record);
  await a.selectOption('#category', 'theft');
  await a.selectOption('#severity', 'grave');
  await a.fill('#summary', '服务期间盗窃雇主金项链一条');
  await a.fill('#evidence', '雇主已报警，回执编号 2026-1101');
  await a.setInputFiles('#file', { name: '报警回执.txt', mimeType: 'text/plain', buffer: Buffer.from('桃江县公安局报警回执 2026-1101\n') });
  await clickAndWait(a, '#report-form input[type="submit"]');
  assert.match(new URL(a.url()).pathname, /^\/records\/\d+$/);
  const recordPath = new URL(a.url()).pathname;
  assert.match(await a.textContent('#record-status'), /待核实/);
  assert.match(await a.textContent('#evidence-files'), /报警回执\.txt/);
  assert.equal(await negatives(), '无', 'a report is not public until confirmed');

  // 2. The regulator confirms it from the queue.
  const reg = await signIn(regulator);
  await reg.goto(`${srv.base}/regulator/credit`);
  await clickAndWait(reg, `#queue-records a[href="${recordPath}"]`);
  await reg.fill('#decide-reason', '经核实，公安机关已立案');
  await clickAndWait(reg, '#decide-form button[value="confirm"]');
  assert.equal(new URL(reg.url()).pathname, '/regulator/credit');
  assert.match(await negatives(), /盗窃（严重）/);
  assert.match(await consumer.textContent('#card-stars'), /1\.0/);

  // 3. Company B finds it in its inbox at once.
  await b.goto(`${srv.base}/company`);
  assert.match(await b.textContent('#inbox-link'), /1 条未读/);
  await clickAndWait(b, '#inbox-link');
  assert.match(await b.textContent('#inbox'), new RegExp(`信用记录已认定 · ${w.name} · 盗窃`));
  await clickAndWait(b, `#inbox a[href="${recordPath}"]`);
  assert.match(await b.textContent('#record-status'), /已认定公示/);
  assert.equal(await b.locator('#evidence-files').count(), 0, 'another company does not see the evidence');

  // 4. The worker appeals from her own page.
  await ph.goto(`${srv.base}/worker`);
  await clickAndWait(ph, `#credit-records a[href="${recordPath}"]`);
  await ph.fill('#reasons', '项链系雇主本人遗失，已找回，派出所已撤案');
  await clickAndWait(ph, '#appeal-form input[type="submit"]');
  assert.match(await ph.textContent('#appeals'), /处理中/);
  assert.match(await negatives(), /有异议，复核中/);

  // 5. The regulator upholds the appeal; the record is revoked and leaves the card.
  await reg.goto(srv.base + recordPath);
  await reg.fill('#appeal-reason', '撤案证明属实');
  await clickAndWait(reg, '#appeals button[value="uphold"]');
  assert.equal(await negatives(), '无');
  assert.doesNotMatch(await consumer.textContent('#card-stars'), / 1\.0/);
  await ph.goto(srv.base + recordPath);
  assert.match(await ph.textContent('#record-status'), /已撤销/);
  assert.match(await ph.textContent('#appeals'), /异议成立/);

  for (const c of [phoneContext, consumerContext]) await c.close();
  for (const p of [a, b, reg]) await p.context().close();
});
