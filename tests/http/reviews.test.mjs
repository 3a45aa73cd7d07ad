// Service records (上户) and reviews through the JSON API and the pages, on SQLite or
// PostgreSQL (JZ_DB_KIND): the employer records and ends a service, the consumer reviews
// it once with the code, the stars change as docs/credit-model.md says, replies and
// reports, moderation by the regulator in scope only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, csrfFrom, startServer, addUser as addUserTo, apiLogin } from './lib.mjs';
import { uscc } from './codes.mjs';
import { nextId, nextPhone } from './ids.mjs';

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
let srv;
const api = () => new Client(srv.base);
const company = { county: '430922', name: '桃江县好评家政服务有限公司' };
const tokens = {};

const addUser = (username, role, extra) => addUserTo(srv, username, role, extra);
const login = (username, password) => apiLogin(srv, username, password);

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  company.uscc = uscc(company.county);
  const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', company.uscc, '--name', company.name, '--county', company.county]);
  assert.equal(r.status, 0, r.stderr);
  company.password = addUser('review_admin', 'company_admin', ['--company', company.uscc]);
  tokens.company = await login('review_admin', company.password);
  tokens.yiyang = await login('reg_yiyang', addUser('reg_yiyang', 'regulator', ['--region', '430900']));
  tokens.changsha = await login('reg_changsha', addUser('reg_changsha', 'regulator', ['--region', '430100']));
});

after(async () => {
  if (srv) await srv.stop();
});

async function worker() {
  const phone = nextPhone();
  const w = await api().postJson('/api/v1/workers', { name: '欧阳秀芳', id_number: nextId(), phone }, bearer(tokens.company));
  assert.equal(w.status, 201, w.text);
  const code = await api().postJson(`/api/v1/workers/${w.json.id}/consent-code`, {}, bearer(tokens.company));
  const c = await api().postJson('/api/v1/consent', { code: code.json.code, phone, password: 'review-pass' });
  assert.equal(c.status, 200, c.text);
  const s = await api().postJson('/api/v1/worker/session', { phone, password: 'review-pass' });
  return { id: w.json.id, token: s.json.token };
}

async function endedService(workerId) {
  const sv = await api().postJson(`/api/v1/workers/${workerId}/services`, { service_type: 'maternity', county: '430922' },
    bearer(tokens.company));
  assert.equal(sv.status, 201, sv.text);
  const end = await api().postJson(`/api/v1/services/${sv.json.id}/end`, {}, bearer(tokens.company));
  assert.equal(end.status, 200, end.text);
  assert.match(end.json.review_path, /^\/review\/[A-Za-z0-9_-]{16}$/);
  return end.json.code;
}

const stars = async (id) => (await api().get(`/api/v1/workers/${id}`, bearer(tokens.company))).json.stars;
const review = (code, s, comment = '') =>
  api().postJson('/api/v1/reviews', { code, skill: s, attitude: s, punctuality: s, honesty: s, comment });

test('a review code works once, and the stars move as the formula says', async () => {
  const w = await worker();
  const before = await stars(w.id);
  assert.equal(before.reviews, 0);
  assert.equal(before.review_average, 3);

  const code = await endedService(w.id);
  const open = await api().get(`/api/v1/reviews/${code}`);
  assert.equal(open.status, 200, open.text);
  assert.equal(open.json.worker, '欧**芳'); // masked: never the full name
  assert.equal(open.json.company, company.name);

  const r = await review(code, '5', '很专业，<b>准时</b>');
  assert.equal(r.status, 201, r.text);
  const again = await review(code, '1');
  assert.equal(again.status, 404);
  assert.equal(again.json.code, 'not_found');
  assert.equal((await api().get(`/api/v1/reviews/${code}`)).status, 404);

  const after1 = await stars(w.id);
  assert.equal(after1.reviews, 1);
  assert.ok(Math.abs(after1.review_average - 20 / 6) < 1e-9, JSON.stringify(after1)); // (5×3 + 5) / 6
  assert.ok(after1.stars < 5);

  const view = await api().get(`/api/v1/workers/${w.id}`, bearer(tokens.company));
  assert.deepEqual(view.json.checkins.map((c) => c.method), ['service']); // counted from the review
});

test('bad reviews and bad service records are refused', async () => {
  const w = await worker();
  const code = await endedService(w.id);
  for (const s of ['0', '6', 'x', '']) {
    const r = await review(code, s);
    assert.equal(r.status, 400, `${s}: ${r.text}`);
    assert.equal(r.json.field, 'skill');
  }
  const long = await review(code, '4', '好'.repeat(501));
  assert.equal(long.status, 400);
  assert.equal(long.json.field, 'comment');
  const unknown = await api().postJson('/api/v1/reviews', { code, skill: '4', attitude: '4', punctuality: '4', honesty: '4', extra: 1 });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.code, 'unknown_field');
  assert.equal((await review('A'.repeat(16), '4')).status, 404); // a code nobody issued
  assert.equal((await review(code, '4')).status, 201); // still valid after the refusals

  const badType = await api().postJson(`/api/v1/workers/${w.id}/services`, { service_type: 'plumber', county: '430922' }, bearer(tokens.company));
  assert.equal(badType.json.code, 'unknown_service_type');
  const badCounty = await api().postJson(`/api/v1/workers/${w.id}/services`, { service_type: 'nanny', county: '430900' }, bearer(tokens.company));
  assert.equal(badCounty.json.code, 'unknown_county');
  const anon = await api().postJson(`/api/v1/workers/${w.id}/services`, { service_type: 'nanny', county: '430922' });
  assert.equal(anon.status, 401);
});

test('replies, a report, and moderation by the regulator in scope', async () => {
  const w = await worker();
  const code = await endedService(w.id);
  assert.equal((await review(code, '1', '骂人的话')).status, 201);
  assert.deepEqual((await api().get('/api/v1/moderation', bearer(tokens.yiyang))).json.items, []); // nothing reported yet
  assert.equal((await stars(w.id)).reviews, 1);

  // The worker's own page offers a report form for the review; its id comes from there.
  const home = await api().get('/worker', { headers: { Cookie: `jz_worker=${w.token}` } });
  const m = home.text.match(/action="\/reviews\/(\d+)\/report"/);
  assert.ok(m, 'the worker sees a report form for the review');
  const reviewId = Number(m[1]);

  assert.equal((await api().postJson(`/api/v1/reviews/${reviewId}/reply`, { text: '感谢反馈' }, bearer(tokens.company))).status, 200);
  assert.equal((await api().postJson(`/api/v1/reviews/${reviewId}/reply`, { text: '我没有迟到' }, bearer(w.token))).status, 200);
  const outsider = await api().postJson(`/api/v1/reviews/${reviewId}/reply`, { text: '路过' }, bearer(tokens.yiyang));
  assert.equal(outsider.status, 404);
  const self = await api().get('/api/v1/worker', bearer(w.token));
  assert.equal(self.status, 200);

  const rep = await api().postJson(`/api/v1/reviews/${reviewId}/report`, { reason: '辱骂' }, bearer(w.token));
  assert.equal(rep.status, 200, rep.text);
  assert.equal((await api().postJson(`/api/v1/reviews/${reviewId}/report`, { reason: '辱骂' }, bearer(w.token))).status, 409);

  const queue = await api().get('/api/v1/moderation', bearer(tokens.yiyang));
  assert.deepEqual(queue.json.items.map((i) => i.id), [reviewId]);
  assert.equal(queue.json.items[0].report_reason, '辱骂');
  assert.deepEqual((await api().get('/api/v1/moderation', bearer(tokens.changsha))).json.items, []);
  const out = await api().postJson(`/api/v1/reviews/${reviewId}/moderate`, { decision: 'hide' }, bearer(tokens.changsha));
  assert.equal(out.status, 403);
  assert.equal(out.json.code, 'out_of_scope');
  const bad = await api().postJson(`/api/v1/reviews/${reviewId}/moderate`, { decision: 'delete' }, bearer(tokens.yiyang));
  assert.equal(bad.status, 400);
  const hide = await api().postJson(`/api/v1/reviews/${reviewId}/moderate`, { decision: 'hide' }, bearer(tokens.yiyang));
  assert.equal(hide.status, 200, hide.text);
  assert.equal((await stars(w.id)).reviews, 0); // a hidden review no longer counts
  assert.equal((await api().get('/api/v1/moderation', bearer(tokens.company))).status, 403);
});

test('the consumer reviews on a phone page without an account', async () => {
  const w = await worker();
  const code = await endedService(w.id);
  const phone = new Client(srv.base);
  const form = await phone.get(`/review/${code}`);
  assert.equal(form.status, 200);
  assert.match(form.text, /id="review-subject">欧\*\*芳 · /);
  assert.ok(!form.text.includes('欧阳秀芳'));
  const r = await phone.postForm(`/review/${code}`, {
    csrf: csrfFrom(form.text), skill: '4', attitude: '5', punctuality: '4', honesty: '5', comment: '不错',
  });
  assert.equal(r.status, 201);
  assert.match(r.text, /id="review-done"/);
  const again = await phone.get(`/review/${code}`);
  assert.equal(again.status, 404);
  assert.match(again.text, /评价码无效或已使用/);
});
