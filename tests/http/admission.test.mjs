// Company admission (准入) end to end against the real server ($JZ_BIN, $JZ_DB_KIND):
// apply → pending → the regulator of the region lists and decides → the company admin
// signs in; rejection with a reason and reapplication; conflicts; regional scope and
// roles; the public register shows active companies only. Both through the JSON API and
// through the pages (form posts with the CSRF token), as a client would see them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, startServer } from './lib.mjs';
import { uscc } from './codes.mjs';

const KIND = process.env.JZ_DB_KIND || 'sqlite';

// ---- helpers ----

function unescapeHtml(s) {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of the element with this id (tags stripped, entities decoded), or undefined. */
function byId(html, id) {
  const m = html.match(new RegExp(`<(\\w+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`));
  return m ? unescapeHtml(m[2].replace(/<[^>]*>/g, '')).trim() : undefined;
}

/** A complete, valid application body; fields override. */
function application(county, fields = {}) {
  return {
    uscc: uscc(county),
    name: `测试家政服务有限公司${Math.random().toString(36).slice(2, 7)}`,
    legal_rep: '张三',
    address: '益阳市桃江县桃花江镇人民路1号',
    county,
    phone: '13812345678',
    service_types: ['nanny', 'cleaning'],
    commitment_by: '张三',
    commitment_accepted: true,
    ...fields,
  };
}

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

let srv;
let anon; // an anonymous API client
const regs = {}; // region → {username, password, token}

function addUser(username, role, extra) {
  const r = srv.run(['user', 'add', '--db', srv.db, '--username', username, '--role', role, ...extra]);
  assert.equal(r.status, 0, `user add ${username}: ${r.stderr}`);
  const m = r.stdout.match(/password: (\S+)/);
  assert.ok(m, `user add printed no password: ${r.stdout}`);
  return m[1];
}

async function apiLogin(username, password) {
  const r = await new Client(srv.base).postJson('/api/v1/session', { username, password });
  assert.equal(r.status, 200, `sign-in ${username}: ${r.text}`);
  assert.match(r.json.token, /\S{20,}/);
  return r.json;
}

/** POSTs an application through the API; asserts 201 and returns {body, reply}. */
async function applyApi(body) {
  const r = await anon.postJson('/api/v1/applications', body);
  assert.equal(r.status, 201, `apply: ${r.text}`);
  return r.json;
}

async function statusApi(code, query_code) {
  return anon.postJson('/api/v1/applications/status', { uscc: code, query_code });
}

async function decide(token, id, verb, body = {}) {
  return anon.postJson(`/api/v1/applications/${id}/${verb}`, body, bearer(token));
}

/** Signs in through the /login page on a fresh client; returns the client. */
async function pageLogin(username, password) {
  const c = new Client(srv.base);
  const form = await c.get('/login');
  assert.equal(form.status, 200);
  const r = await c.postForm('/login', { csrf: csrfFrom(form.text), username, password });
  assert.equal(r.status, 303, `page sign-in ${username}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.headers.get('location'), '/me');
  return c;
}

/** Submits the /apply form on a fresh client; returns {client, reply}. */
async function applyForm(fields) {
  const c = new Client(srv.base);
  const form = await c.get('/apply');
  assert.equal(form.status, 200);
  const body = new URLSearchParams({ csrf: csrfFrom(form.text) });
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) v.forEach((x) => body.append(k, x));
    else if (k === 'commitment_accepted') {
      if (v) body.append(k, 'yes');
    } else body.append(k, v);
  }
  const r = await c.request('POST', '/apply', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { client: c, reply: r };
}

async function statusPage(code, query_code) {
  const c = new Client(srv.base);
  const form = await c.get('/apply/status');
  assert.equal(form.status, 200);
  return c.postForm('/apply/status', { csrf: csrfFrom(form.text), uscc: code, query_code });
}

async function search(query) {
  const r = await anon.get(`/api/v1/companies?${new URLSearchParams(query)}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

before(async () => {
  srv = await startServer({ kind: KIND });
  anon = new Client(srv.base);
  for (const [region, name] of [['430000', 'reg_hunan'], ['430100', 'reg_changsha']]) {
    const password = addUser(name, 'regulator', ['--region', region]);
    const s = await apiLogin(name, password);
    regs[region] = { username: name, password, token: s.token };
  }
});

after(async () => {
  if (srv) await srv.stop();
});

// ---- the JSON API ----

describe('admission through the JSON API', () => {
  test('apply → pending → listed → approve → admin signs in → active and public', async () => {
    const body = application('430922');
    const a = await applyApi(body);
    assert.equal(a.uscc, body.uscc);
    assert.equal(a.name, body.name);
    assert.equal(a.status, 'pending');
    assert.equal(a.county, '430922');
    assert.match(a.county_name, /桃江县/);
    assert.deepEqual(a.service_types, ['nanny', 'cleaning']);
    assert.ok(Number.isInteger(a.id) && a.id > 0, `id ${a.id}`);
    assert.match(a.query_code, /^\S{8,}$/);

    let s = await statusApi(body.uscc, a.query_code);
    assert.equal(s.status, 200, s.text);
    assert.deepEqual(s.json, { uscc: body.uscc, name: body.name, status: 'pending', reason: '' });

    // A wrong query code reveals nothing.
    s = await statusApi(body.uscc, 'WRONGCODE123');
    assert.equal(s.status, 404);
    assert.equal(s.json.code, 'not_found');

    // Not yet public.
    assert.equal((await anon.get(`/api/v1/companies/${body.uscc}`)).status, 404);
    assert.equal((await search({ q: body.uscc })).total, 0);

    const hn = regs['430000'].token;
    const list = await anon.get('/api/v1/applications?limit=200', bearer(hn));
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.total >= 1);
    assert.equal(list.json.items.length, Math.min(list.json.total, 200));
    const item = list.json.items.find((i) => i.uscc === body.uscc);
    assert.ok(item, 'the regulator of 湖南 lists the 桃江 application');
    assert.equal(item.id, a.id);
    assert.equal(item.status, 'pending');
    assert.equal(item.commitment_by, '张三');

    const one = await anon.get(`/api/v1/applications/${a.id}`, bearer(hn));
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.uscc, body.uscc);
    assert.equal(one.json.legal_rep, body.legal_rep);
    assert.equal(one.json.address, body.address);
    assert.equal(one.json.phone, body.phone);

    const ok = await decide(hn, a.id, 'approve');
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.company.status, 'active');
    assert.equal(ok.json.company.uscc, body.uscc);
    assert.equal(ok.json.admin.username, body.uscc);
    assert.match(ok.json.admin.password, /^\S{10,}$/);

    s = await statusApi(body.uscc, a.query_code);
    assert.equal(s.json.status, 'active');

    // The admin signs in through the API …
    const session = await apiLogin(ok.json.admin.username, ok.json.admin.password);
    assert.equal(session.user.username, body.uscc);
    assert.equal(session.user.role, 'company_admin');
    assert.ok(session.user.company_id > 0);
    const me = await anon.get('/api/v1/session', bearer(session.token));
    assert.equal(me.status, 200);
    assert.equal(me.json.user.role, 'company_admin');

    // … and through the /login page, landing on /company.
    const c = await pageLogin(ok.json.admin.username, ok.json.admin.password);
    const meRedirect = await c.get('/me');
    assert.equal(meRedirect.status, 303);
    assert.equal(meRedirect.headers.get('location'), '/company');
    const home = await c.get('/company');
    assert.equal(home.status, 200);
    assert.equal(byId(home.text, 'company-uscc'), body.uscc);
    assert.equal(byId(home.text, 'company-status'), '在营');

    // Now public.
    const pub = await anon.get(`/api/v1/companies/${body.uscc}`);
    assert.equal(pub.status, 200, pub.text);
    assert.equal(pub.json.status, 'active');
    assert.equal(pub.json.name, body.name);
    assert.equal((await search({ q: body.uscc })).total, 1);

    // No longer in the pending list.
    const list2 = await anon.get('/api/v1/applications?limit=200', bearer(hn));
    assert.ok(!list2.json.items.some((i) => i.uscc === body.uscc));
    assert.equal(list2.json.total, list.json.total - 1);
  });

  test('reject with a reason: visible in the API and on /apply/status; reapplying is allowed', async () => {
    const hn = regs['430000'].token;
    const body = application('430923', { address: '益阳市安化县东坪镇资江路8号' });
    const a = await applyApi(body);
    const reason = '营业执照经营范围不含家政服务';
    const r = await decide(hn, a.id, 'reject', { reason });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'rejected');
    assert.equal(r.json.status_reason, reason);

    const s = await statusApi(body.uscc, a.query_code);
    assert.equal(s.status, 200);
    assert.equal(s.json.status, 'rejected');
    assert.equal(s.json.reason, reason);

    const page = await statusPage(body.uscc, a.query_code);
    assert.equal(page.status, 200);
    assert.equal(byId(page.text, 'status'), '未通过');
    assert.equal(byId(page.text, 'reason'), `理由：${reason}`);
    assert.match(page.text, /href="\/apply"/, 'a link to apply again');

    // Rejected companies are not public.
    assert.equal((await anon.get(`/api/v1/companies/${body.uscc}`)).status, 404);
    assert.equal((await anon.get(`/companies/${body.uscc}`)).status, 404);

    // A corrected application for the same code is accepted and pending again.
    const again = await applyApi({ ...body, name: `${body.name}（更正）` });
    assert.equal(again.status, 'pending');
    assert.notEqual(again.query_code, a.query_code);
    const s2 = await statusApi(body.uscc, again.query_code);
    assert.equal(s2.status, 200, s2.text);
    assert.equal(s2.json.status, 'pending');
    assert.equal(s2.json.name, `${body.name}（更正）`);
    assert.equal(s2.json.reason, '', 'the old reason does not stick to the new application');
    const old = await statusApi(body.uscc, a.query_code);
    assert.equal(old.status, 404, 'the replaced application\'s query code no longer works');

    const list = await anon.get('/api/v1/applications?limit=200', bearer(hn));
    assert.ok(list.json.items.some((i) => i.uscc === body.uscc), 'the reapplication is pending again');
  });

  test('duplicates are refused: 409 duplicate_application while pending and once active', async () => {
    const hn = regs['430000'].token;
    const body = application('430922');
    const a = await applyApi(body);
    for (const when of ['pending', 'active']) {
      if (when === 'active') assert.equal((await decide(hn, a.id, 'approve')).status, 200);
      const r = await anon.postJson('/api/v1/applications', { ...body, name: '另一个名称家政' });
      assert.equal(r.status, 409, `${when}: ${r.text}`);
      assert.equal(r.json.code, 'duplicate_application');
      assert.equal(r.json.field, 'uscc');
    }
  });

  test('deciding twice → 409 wrong_state, whichever way', async () => {
    const hn = regs['430000'].token;
    const approved = await applyApi(application('430922'));
    const rejected = await applyApi(application('430922'));
    assert.equal((await decide(hn, approved.id, 'approve')).status, 200);
    assert.equal((await decide(hn, rejected.id, 'reject', { reason: '材料不全' })).status, 200);
    const cases = [
      [approved.id, 'approve', {}],
      [approved.id, 'reject', { reason: '改变主意' }],
      [rejected.id, 'approve', {}],
      [rejected.id, 'reject', { reason: '再次驳回' }],
    ];
    for (const [id, verb, body] of cases) {
      const r = await decide(hn, id, verb, body);
      assert.equal(r.status, 409, `${verb} ${id}: ${r.text}`);
      assert.equal(r.json.code, 'wrong_state');
    }
    // Unknown ids are 404, not a state error.
    for (const verb of ['approve', 'reject']) {
      const r = await decide(hn, 999999, verb, verb === 'reject' ? { reason: '不存在' } : {});
      assert.equal(r.status, 404, r.text);
      assert.equal(r.json.code, 'not_found');
    }
  });

  test('racing clients: one application per code, one decision per application', async () => {
    const hn = regs['430000'].token;
    const body = application('430922');
    const applies = await Promise.all(
      Array.from({ length: 10 }, () => new Client(srv.base).postJson('/api/v1/applications', body)),
    );
    const created = applies.filter((r) => r.status === 201);
    assert.equal(created.length, 1, applies.map((r) => r.status).join(' '));
    for (const r of applies.filter((x) => x.status !== 201)) {
      assert.equal(r.status, 409);
      assert.equal(r.json.code, 'duplicate_application');
    }
    const id = created[0].json.id;
    const decisions = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 ? decide(hn, id, 'approve') : decide(hn, id, 'reject', { reason: '同时驳回' }),
      ),
    );
    const won = decisions.filter((r) => r.status === 200);
    assert.equal(won.length, 1, decisions.map((r) => r.status).join(' '));
    for (const r of decisions.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 409);
      assert.equal(r.json.code, 'wrong_state');
    }
    // The outcome is consistent: the status the winner reported is the one stored.
    const winner = won[0].json.company || won[0].json;
    const now = await anon.get(`/api/v1/applications/${id}`, bearer(hn));
    assert.equal(now.json.status, winner.status);
    const pub = await anon.get(`/api/v1/companies/${body.uscc}`);
    assert.equal(pub.status, winner.status === 'active' ? 200 : 404);
  });

  test('reject needs a reason of 2–500 characters', async () => {
    const hn = regs['430000'].token;
    const a = await applyApi(application('430922'));
    for (const [body, code] of [
      [{}, 'missing_field'],
      [{ reason: '' }, 'missing_field'],
      [{ reason: '差' }, 'invalid_field'],
      [{ reason: '理'.repeat(501) }, 'invalid_field'],
    ]) {
      const r = await decide(hn, a.id, 'reject', body);
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 40)}: ${r.text}`);
      assert.equal(r.json.code, code);
      assert.equal(r.json.field, 'reason');
    }
    const s = await anon.get(`/api/v1/applications/${a.id}`, bearer(hn));
    assert.equal(s.json.status, 'pending', 'a refused rejection changes nothing');
  });
});

// ---- scope and roles ----

describe('regional scope and roles', () => {
  let yiyang; // an 益阳 (桃江) application
  let changsha; // a 长沙 (芙蓉区) application
  let companyToken;

  before(async () => {
    yiyang = await applyApi(application('430922'));
    changsha = await applyApi(application('430102', { address: '长沙市芙蓉区五一大道100号' }));
    const done = await applyApi(application('430923'));
    const ok = await decide(regs['430000'].token, done.id, 'approve');
    assert.equal(ok.status, 200, ok.text);
    companyToken = (await apiLogin(ok.json.admin.username, ok.json.admin.password)).token;
  });

  test('the regulator of 长沙 (430100) sees 长沙 applications only', async () => {
    const cs = regs['430100'].token;
    const list = await anon.get('/api/v1/applications?limit=200', bearer(cs));
    assert.equal(list.status, 200, list.text);
    const ids = list.json.items.map((i) => i.id);
    assert.ok(ids.includes(changsha.id), 'sees the 芙蓉区 application');
    assert.ok(!ids.includes(yiyang.id), 'does not see the 桃江 application');
    assert.ok(list.json.items.every((i) => i.county.startsWith('4301')), 'only 长沙 counties');
    assert.equal(list.json.total, list.json.items.length);

    const page = await pageLogin(regs['430100'].username, regs['430100'].password);
    const html = await page.get('/regulator/applications');
    assert.equal(html.status, 200);
    assert.equal(byId(html.text, 'pending-total'), String(list.json.total));
    assert.ok(html.text.includes(changsha.uscc));
    assert.ok(!html.text.includes(yiyang.uscc));

    for (const [method, path, body] of [
      ['GET', `/api/v1/applications/${yiyang.id}`],
      ['POST', `/api/v1/applications/${yiyang.id}/approve`, {}],
      ['POST', `/api/v1/applications/${yiyang.id}/reject`, { reason: '不在辖区' }],
    ]) {
      const r =
        method === 'GET' ? await anon.get(path, bearer(cs)) : await anon.postJson(path, body, bearer(cs));
      // Another region's application does not exist for this regulator.
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
      assert.equal(r.json.code, 'not_found');
    }
    const show = await page.get(`/regulator/applications/${yiyang.id}`);
    assert.equal(show.status, 404);
    assert.ok(!show.text.includes(yiyang.uscc), 'the page does not leak the company');

    // Still pending: the refused decisions changed nothing.
    const s = await anon.get(`/api/v1/applications/${yiyang.id}`, bearer(regs['430000'].token));
    assert.equal(s.json.status, 'pending');
  });

  test('a company admin gets 403 forbidden on the regulator API and pages', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/applications'],
      ['GET', `/api/v1/applications/${yiyang.id}`],
      ['POST', `/api/v1/applications/${yiyang.id}/approve`, {}],
      ['POST', `/api/v1/applications/${yiyang.id}/reject`, { reason: '越权操作' }],
    ]) {
      const r =
        method === 'GET'
          ? await anon.get(path, bearer(companyToken))
          : await anon.postJson(path, body, bearer(companyToken));
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(r.json.code, 'forbidden');
    }
    const c = new Client(srv.base);
    const r = await c.get('/regulator/applications', {
      headers: { Cookie: `jz_session=${companyToken}` },
    });
    assert.equal(r.status, 403);
  });

  test('anonymous: 401 on the regulator API, 303 to /login on its pages', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/applications'],
      ['GET', `/api/v1/applications/${yiyang.id}`],
      ['POST', `/api/v1/applications/${yiyang.id}/approve`, {}],
      ['POST', `/api/v1/applications/${yiyang.id}/reject`, { reason: '匿名操作' }],
      ['GET', '/api/v1/session'],
    ]) {
      const r = method === 'GET' ? await anon.get(path) : await anon.postJson(path, body);
      assert.equal(r.status, 401, `${method} ${path}: ${r.text}`);
      assert.equal(r.json.code, 'unauthenticated');
    }
    // A made-up token is no better than none.
    const fake = await anon.get('/api/v1/applications', bearer('x'.repeat(43)));
    assert.equal(fake.status, 401);

    const c = new Client(srv.base);
    for (const path of ['/regulator/applications', `/regulator/applications/${yiyang.id}`, '/me', '/company']) {
      const r = await c.get(path);
      assert.equal(r.status, 303, `${path}: ${r.status}`);
      assert.equal(r.headers.get('location'), '/login');
    }
    // A form post with a valid CSRF token but no session.
    const form = await c.get('/login');
    const csrf = csrfFrom(form.text);
    for (const verb of ['approve', 'reject']) {
      const r = await c.postForm(`/regulator/applications/${yiyang.id}/${verb}`, { csrf, reason: '匿名' });
      assert.equal(r.status, 303, `${verb}: ${r.status}`);
      assert.equal(r.headers.get('location'), '/login');
    }
    const s = await anon.get(`/api/v1/applications/${yiyang.id}`, bearer(regs['430000'].token));
    assert.equal(s.json.status, 'pending');
  });
});

// ---- the pages ----

describe('admission through the pages', () => {
  let regPage; // the 湖南 regulator signed in through /login

  before(async () => {
    regPage = await pageLogin(regs['430000'].username, regs['430000'].password);
    const me = await regPage.get('/me');
    assert.equal(me.status, 303);
    assert.equal(me.headers.get('location'), '/regulator/applications');
  });

  const formFields = (county) => {
    const b = application(county);
    return { ...b, service_types: ['maternity', 'elder_care'], commitment_accepted: true };
  };

  test('apply form → query code → pending → approve on the page → admin signs in → approved', async () => {
    const f = formFields('430922');
    const { reply } = await applyForm(f);
    assert.equal(reply.status, 201, reply.text.slice(0, 500));
    const code = byId(reply.text, 'query-code');
    assert.match(code, /^\S{8,}$/);
    assert.ok(reply.text.includes(f.uscc));

    let s = await statusPage(f.uscc, code);
    assert.equal(s.status, 200);
    assert.equal(byId(s.text, 'status'), '待审核');
    assert.equal(byId(s.text, 'reason'), undefined);

    const list = await regPage.get('/regulator/applications');
    assert.equal(list.status, 200);
    assert.ok(Number(byId(list.text, 'pending-total')) >= 1);
    const link = list.text.match(new RegExp(`href="(/regulator/applications/(\\d+))">[^<]*</a><br><small>${f.uscc}<`));
    assert.ok(link, 'the list links to the application');
    const show = await regPage.get(link[1]);
    assert.equal(show.status, 200);
    assert.equal(byId(show.text, 'company-name'), f.name);
    assert.ok(show.text.includes('月嫂') && show.text.includes('养老护理'), 'service types by name');
    assert.match(show.text, /id="approve"/);

    const approve = await regPage.postForm(`${link[1]}/approve`, { csrf: csrfFrom(show.text) });
    assert.equal(approve.status, 200, approve.text.slice(0, 500));
    const username = byId(approve.text, 'admin-username');
    const password = byId(approve.text, 'admin-password');
    assert.equal(username, f.uscc);
    assert.match(password, /^\S{10,}$/);

    const c = await pageLogin(username, password);
    assert.equal((await c.get('/me')).headers.get('location'), '/company');
    const home = await c.get('/company');
    assert.equal(byId(home.text, 'company-uscc'), f.uscc);
    assert.equal(byId(home.text, 'company-status'), '在营');

    s = await statusPage(f.uscc, code);
    assert.equal(byId(s.text, 'status'), '已通过，企业已入驻');

    // The decided application shows no decision buttons any more, and deciding again is refused.
    const again = await regPage.get(link[1]);
    assert.doesNotMatch(again.text, /id="approve"/);
    const twice = await regPage.postForm(`${link[1]}/approve`, { csrf: csrfFrom(show.text) });
    assert.equal(twice.status, 409);
  });

  test('reject on the page → back to the list → reason on /apply/status', async () => {
    const f = formFields('430923');
    const { reply } = await applyForm(f);
    assert.equal(reply.status, 201);
    const code = byId(reply.text, 'query-code');
    const id = (await anon.get('/api/v1/applications?limit=200', bearer(regs['430000'].token))).json.items.find(
      (i) => i.uscc === f.uscc,
    ).id;
    const show = await regPage.get(`/regulator/applications/${id}`);
    const reason = '经营地址与营业执照不符，请更正后重新申请';
    const r = await regPage.postForm(`/regulator/applications/${id}/reject`, { csrf: csrfFrom(show.text), reason });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/regulator/applications');
    const list = await regPage.get('/regulator/applications');
    assert.ok(!list.text.includes(f.uscc), 'no longer pending');

    const s = await statusPage(f.uscc, code);
    assert.equal(byId(s.text, 'status'), '未通过');
    assert.equal(byId(s.text, 'reason'), `理由：${reason}`);

    // A one-character reason is refused on the page too, and the application stays pending.
    const other = formFields('430923');
    assert.equal((await applyForm(other)).reply.status, 201);
    const otherId = (await anon.get('/api/v1/applications?limit=200', bearer(regs['430000'].token))).json.items.find(
      (i) => i.uscc === other.uscc,
    ).id;
    const short = await regPage.postForm(`/regulator/applications/${otherId}/reject`, {
      csrf: csrfFrom(show.text),
      reason: '差',
    });
    assert.equal(short.status, 400);
    assert.match(short.text, /驳回理由至少2个字/);
    const still = await regPage.get(`/regulator/applications/${otherId}`);
    assert.match(still.text, /id="reject"/);
  });

  test('the form keeps its input and shows the error; a duplicate is refused on the page', async () => {
    const f = formFields('430922');
    const missing = await applyForm({ ...f, commitment_accepted: false });
    assert.equal(missing.reply.status, 400);
    assert.match(missing.reply.text, /须签署信用承诺/);
    assert.ok(missing.reply.text.includes(`value="${f.name}"`), 'the name is kept');
    assert.match(missing.reply.text, /<option value="430922" selected>/);
    assert.match(missing.reply.text, /value="maternity" checked/);

    assert.equal((await applyForm(f)).reply.status, 201);
    const dup = await applyForm(f);
    assert.equal(dup.reply.status, 409);
    assert.match(dup.reply.text, /该统一社会信用代码已提交过申请或已入驻/);
  });

  test('/apply/status with a wrong query code or unknown code → 404 with the form again', async () => {
    const f = formFields('430922');
    assert.equal((await applyForm(f)).reply.status, 201);
    for (const [code, query, text] of [
      [f.uscc, 'NOTTHECODE', '查询码与该申请不符'],
      [uscc('430922'), 'NOTTHECODE', '没有该统一社会信用代码的申请'],
    ]) {
      const r = await statusPage(code, query);
      assert.equal(r.status, 404);
      assert.ok(r.text.includes(text), text);
      assert.equal(byId(r.text, 'status'), undefined);
    }
  });
});

// ---- the public register ----

describe('public search: active companies only', () => {
  const tag = `检索${Math.random().toString(36).slice(2, 6)}`;
  const companies = {}; // key → application body

  before(async () => {
    const hn = regs['430000'].token;
    const plan = [
      ['taojiang', '430922', 'approve'],
      ['anhua', '430923', 'approve'],
      ['furong', '430102', 'approve'],
      ['pending', '430922', null],
      ['rejected', '430922', 'reject'],
    ];
    for (const [key, county, verb] of plan) {
      const body = application(county, { name: `${tag}${key}家政有限公司` });
      const a = await applyApi(body);
      companies[key] = { ...body, id: a.id };
      if (verb) {
        const r = await decide(hn, a.id, verb, verb === 'reject' ? { reason: '不符合条件' } : {});
        assert.equal(r.status, 200, r.text);
      }
    }
    // 北京 (110105) is outside both regulators: added as an already approved company.
    const bj = application('110105', { name: `${tag}beijing家政有限公司` });
    const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', bj.uscc, '--name', bj.name, '--county', '110105']);
    assert.equal(r.status, 0, r.stderr);
    companies.beijing = bj;
  });

  const cases = [
    ['name part', { q: tag }, ['taojiang', 'anhua', 'furong', 'beijing']],
    ['name part, narrower', { q: `${tag}an` }, ['anhua']],
    ['county 桃江县', { q: tag, county: '430922' }, ['taojiang']],
    ['county 安化县', { q: tag, county: '430923' }, ['anhua']],
    ['prefecture 益阳市', { q: tag, county: '430900' }, ['taojiang', 'anhua']],
    ['prefecture 长沙市', { q: tag, county: '430100' }, ['furong']],
    ['province 湖南省', { q: tag, county: '430000' }, ['taojiang', 'anhua', 'furong']],
    ['province 北京市', { q: tag, county: '110000' }, ['beijing']],
    ['county 东城区 (no company)', { q: tag, county: '110101' }, []],
    ['no match', { q: `${tag}不存在` }, []],
  ];
  for (const [label, query, want] of cases) {
    test(`search by ${label}`, async () => {
      const r = await search(query);
      const got = r.items.map((i) => i.uscc).sort();
      assert.deepEqual(got, want.map((k) => companies[k].uscc).sort());
      assert.equal(r.total, want.length);
      assert.ok(r.items.every((i) => i.status === 'active'));

      const page = await anon.get(`/companies?${new URLSearchParams(query)}`);
      assert.equal(page.status, 200);
      const count = byId(page.text, 'result-count');
      if (want.length) assert.equal(count, `在营企业：${want.length}`);
      else assert.equal(count, '没有符合条件的在营企业。');
      for (const key of Object.keys(companies)) {
        assert.equal(page.text.includes(companies[key].uscc), want.includes(key), `${key} on the page`);
      }
    });
  }

  test('limit and offset page through the results', async () => {
    const all = await search({ q: tag });
    assert.equal(all.total, 4);
    const first = await search({ q: tag, limit: 3 });
    const rest = await search({ q: tag, limit: 3, offset: 3 });
    assert.equal(first.total, 4);
    assert.equal(rest.total, 4);
    assert.equal(first.items.length, 3);
    assert.equal(rest.items.length, 1);
    const seen = [...first.items, ...rest.items].map((i) => i.uscc).sort();
    assert.deepEqual(seen, all.items.map((i) => i.uscc).sort());
    assert.equal((await search({ q: tag, offset: 10 })).items.length, 0);
  });

  test('search by the whole credit code finds active companies only', async () => {
    for (const [key, found] of [['taojiang', 1], ['beijing', 1], ['pending', 0], ['rejected', 0]]) {
      const r = await search({ q: companies[key].uscc });
      assert.equal(r.total, found, key);
      if (found) assert.equal(r.items[0].name, companies[key].name);
      const page = await anon.get(`/companies?q=${companies[key].uscc}`);
      assert.equal(page.text.includes(`/companies/${companies[key].uscc}`), Boolean(found), key);
    }
  });

  test('/companies/USCC and /api/v1/companies/USCC: 200 for active, 404 for pending and rejected', async () => {
    for (const [key, status] of [['taojiang', 200], ['beijing', 200], ['pending', 404], ['rejected', 404]]) {
      const c = companies[key];
      const api = await anon.get(`/api/v1/companies/${c.uscc}`);
      assert.equal(api.status, status, `${key} API`);
      const page = await anon.get(`/companies/${c.uscc}`);
      assert.equal(page.status, status, `${key} page`);
      if (status === 200) {
        assert.equal(api.json.name, c.name);
        assert.equal(api.json.status, 'active');
        assert.ok(!('query_code' in api.json) && !('id' in api.json));
        assert.ok(page.text.includes(c.name));
        assert.ok(page.text.includes('在营（已通过准入审核）'));
      } else {
        assert.equal(api.json.code, 'not_found');
        assert.ok(!page.text.includes(c.name), `${key}: the 404 page does not show the name`);
      }
    }
  });

  test('an unknown region code → 400 unknown_region', async () => {
    const r = await anon.get('/api/v1/companies?county=999999');
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'unknown_region');
    const page = await anon.get('/companies?county=999999');
    assert.equal(page.status, 400);
    assert.match(page.text, /行政区划代码不存在/);
  });
});
