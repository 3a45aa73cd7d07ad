// Monthly check-in (按月打卡) through the JSON API and the pages, on SQLite or PostgreSQL
// (JZ_DB_KIND): a worker checks in once a month from any browser, a company attests all
// its current workers at once, the second check-in of a month is refused, and a worker
// without check-ins shows as inactive.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, startServer } from './lib.mjs';
import { uscc } from './codes.mjs';
import { nextId, nextPhone } from './ids.mjs';

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
const month = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

let srv;
let anon;
const company = { county: '430922', name: '桃江县勤快家政服务有限公司' };

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  anon = new Client(srv.base);
  company.uscc = uscc(company.county);
  let r = srv.run(['company', 'add', '--db', srv.db, '--uscc', company.uscc, '--name', company.name, '--county', company.county]);
  assert.equal(r.status, 0, r.stderr);
  r = srv.run(['user', 'add', '--db', srv.db, '--username', 'checkin_admin', '--role', 'company_admin', '--company', company.uscc]);
  assert.equal(r.status, 0, r.stderr);
  company.password = r.stdout.match(/password: (\S+)/)[1];
  const s = await new Client(srv.base).postJson('/api/v1/session', { username: 'checkin_admin', password: company.password });
  assert.equal(s.status, 200, s.text);
  company.token = s.json.token;
});

after(async () => {
  if (srv) await srv.stop();
});

async function enrolConsentedWorker() {
  const phone = nextPhone();
  const w = await anon.postJson('/api/v1/workers', { name: '周小红', id_number: nextId(), phone }, bearer(company.token));
  assert.equal(w.status, 201, w.text);
  const code = await anon.postJson(`/api/v1/workers/${w.json.id}/consent-code`, {}, bearer(company.token));
  assert.equal(code.status, 200, code.text);
  const c = await anon.postJson('/api/v1/consent', { code: code.json.code, phone, password: 'checkin-pass' });
  assert.equal(c.status, 200, c.text);
  const s = await anon.postJson('/api/v1/worker/session', { phone, password: 'checkin-pass' });
  assert.equal(s.status, 200, s.text);
  return { id: w.json.id, phone, token: s.json.token };
}

test('a worker checks in once a month; the second time is refused', async () => {
  const w = await enrolConsentedWorker();
  let view = await anon.get(`/api/v1/workers/${w.id}`, bearer(company.token));
  assert.equal(view.json.active, false);
  assert.deepEqual(view.json.checkins, []);

  const first = await anon.postJson('/api/v1/worker/checkin', {}, bearer(w.token));
  assert.equal(first.status, 201, first.text);
  assert.deepEqual(first.json, { month: month(), method: 'self', assurance: 'low' });
  const again = await anon.postJson('/api/v1/worker/checkin', {}, bearer(w.token));
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'already_checked_in');

  view = await anon.get(`/api/v1/workers/${w.id}`, bearer(company.token));
  assert.equal(view.json.active, true);
  assert.deepEqual(view.json.checkins, [{ month: month(), method: 'self', assurance: 'low' }]);
  const self = await anon.get('/api/v1/worker', bearer(w.token));
  assert.equal(self.json.checkins.length, 1);
  assert.equal(self.json.checkins[0].method, 'self');
});

test('the company attests every current worker of the month at once, once', async () => {
  const a = await enrolConsentedWorker();
  const b = await enrolConsentedWorker();
  const ended = await enrolConsentedWorker();
  const end = await anon.postJson(`/api/v1/workers/${ended.id}/end`, {}, bearer(company.token));
  assert.equal(end.status, 200, end.text);
  await anon.postJson('/api/v1/worker/checkin', {}, bearer(a.token)); // a already checked in

  const before = await anon.get('/api/v1/company/workers?limit=200', bearer(company.token));
  const current = before.json.total;
  const r = await anon.postJson('/api/v1/company/checkin', {}, bearer(company.token));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.month, month());
  assert.equal(r.json.assurance, 'medium');
  // Every current worker without a check-in this month got one: b, and the earlier test's
  // worker had already checked in themself.
  assert.ok(r.json.added >= 1 && r.json.added <= current, JSON.stringify(r.json));
  const again = await anon.postJson('/api/v1/company/checkin', {}, bearer(company.token));
  assert.equal(again.json.added, 0);

  const vb = await anon.get(`/api/v1/workers/${b.id}`, bearer(company.token));
  assert.deepEqual(vb.json.checkins, [{ month: month(), method: 'company', assurance: 'medium' }]);
  const va = await anon.get(`/api/v1/workers/${a.id}`, bearer(company.token));
  assert.deepEqual(va.json.checkins.map((c) => c.method), ['self']); // the worker's own stays
  const ve = await anon.get('/api/v1/worker', bearer(ended.token));
  assert.deepEqual(ve.json.checkins, []); // not a current worker: not attested
});

test('check-in needs the right account', async () => {
  const nobody = new Client(srv.base); // no cookies
  const r1 = await nobody.postJson('/api/v1/worker/checkin', {});
  assert.equal(r1.status, 401);
  const r2 = await nobody.postJson('/api/v1/company/checkin', {});
  assert.equal(r2.status, 401);
  const r3 = await nobody.postJson('/api/v1/worker/checkin', {}, bearer(company.token)); // an account, not a worker
  assert.equal(r3.status, 401);
});

test('on the pages: the worker\'s button, and the company\'s', async () => {
  const w = await enrolConsentedWorker();
  const phone = new Client(srv.base);
  let page = await phone.get('/worker/login');
  let r = await phone.postForm('/worker/login', { csrf: csrfFrom(page.text), phone: w.phone, password: 'checkin-pass' });
  assert.equal(r.status, 303);
  page = await phone.get('/worker');
  assert.match(page.text, /id="activity"[^>]*>两个月未打卡/);
  r = await phone.postForm('/worker/checkin', { csrf: csrfFrom(page.text) });
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`id="checkin-result">${month()} 打卡成功`));
  page = await phone.get('/worker');
  assert.match(page.text, /id="activity"[^>]*>活跃/);
  r = await phone.postForm('/worker/checkin', { csrf: csrfFrom(page.text) });
  assert.equal(r.status, 409);
  assert.match(r.text, /本月已经打过卡了/);

  const office = new Client(srv.base);
  page = await office.get('/login');
  r = await office.postForm('/login', { csrf: csrfFrom(page.text), username: 'checkin_admin', password: company.password });
  assert.equal(r.status, 303);
  page = await office.get('/company/workers');
  r = await office.postForm('/company/checkin', { csrf: csrfFrom(page.text) });
  assert.equal(r.status, 200);
  assert.match(r.text, /id="checkin-result">\d{4}-\d{2}：已为 \d+ 名在岗服务员打卡/);
});
