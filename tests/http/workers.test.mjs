// The worker registry (家政服务员) against the real server ($JZ_BIN, $JZ_DB_KIND):
// the privacy tiers (employer, another company, officials in and out of the region,
// the worker, the public) before and after consent; consent with the one-time code;
// one record per person; validation of what companies enter; duty readiness
// (六无不上岗); employer-only actions and the end of an employment; the audit log;
// nothing in clear at rest or in the server's output; worker sign-in throttling.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, sqlLines, startServer } from './lib.mjs';
import { uscc } from './codes.mjs';
import { breakIdCheck, dayOffset, idCheckChar, idNumber, nextId, nextPhone } from './ids.mjs';

const KIND = process.env.JZ_DB_KIND || 'sqlite';

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

let srv;
let anon;
// Companies: A in 桃江县 (益阳), B in 岳阳楼区 (岳阳); each with an admin's API token.
const A = { county: '430922', name: '桃江县安心家政服务有限公司' };
const B = { county: '430602', name: '岳阳楼区巴陵家政服务有限公司' };
// Regulators: region → {username, token}.
const regs = {};
const seen = { ids: [], phones: [] }; // every ID number and phone sent, for the at-rest checks

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
  return r.json.token;
}

async function addCompany(c, admin) {
  c.uscc = uscc(c.county);
  const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', c.uscc, '--name', c.name, '--county', c.county]);
  assert.equal(r.status, 0, `company add ${c.name}: ${r.stderr}`);
  c.username = admin;
  c.password = addUser(admin, 'company_admin', ['--company', c.uscc]);
  c.token = await apiLogin(admin, c.password);
}

/** Runs SQL on the test database (sqlite3 or psql); returns its output lines. */
const sql = (statement) => sqlLines(srv, statement);

/** `jiazheng audit verify`: asserts the chain is intact and returns the entry count. */
function auditCount() {
  const r = srv.run(['audit', 'verify', '--db', srv.db]);
  assert.equal(r.status, 0, `audit verify: ${r.stdout}${r.stderr}`);
  const m = r.stdout.match(/audit log intact: (\d+) entr/);
  assert.ok(m, r.stdout);
  return Number(m[1]);
}

function lastAudit() {
  const [row] = sql('SELECT action, target FROM audit_log ORDER BY id DESC LIMIT 1');
  const [action, target] = row.split('|');
  return { action, target };
}

/** A worker body for POST /api/v1/workers; fields override. */
function workerBody(fields = {}) {
  const body = {
    name: '李秀芳',
    id_number: nextId(),
    phone: nextPhone(),
    service_types: ['cleaning', 'nanny'],
    ...fields,
  };
  seen.ids.push(body.id_number);
  if (body.phone) seen.phones.push(body.phone);
  return body;
}

async function enroll(company, body, status = 201) {
  const r = await anon.postJson('/api/v1/workers', body, bearer(company.token));
  assert.equal(r.status, status, `enroll ${body.id_number}: ${r.text}`);
  return r.json;
}

const getWorker = (token, id) => anon.get(`/api/v1/workers/${id}`, token ? bearer(token) : {});
const action = (token, id, verb, body = {}) =>
  anon.postJson(`/api/v1/workers/${id}/${verb}`, body, token ? bearer(token) : {});

async function consentCode(company, id) {
  const r = await action(company.token, id, 'consent-code');
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.code, /^\d{8}$/);
  return r.json.code;
}

/** A different 8-digit code than `code`. */
const otherCode = (code) => String((Number(code) + 1) % 100000000).padStart(8, '0');

async function workerSession(phone, password) {
  const r = await anon.postJson('/api/v1/worker/session', { phone, password });
  assert.equal(r.status, 200, `worker sign-in: ${r.text}`);
  assert.match(r.json.token, /^\S{20,}$/);
  return r.json.token;
}

/** Signs in through the /login page on a fresh client; returns the client. */
async function pageLogin(username, password) {
  const c = new Client(srv.base);
  const form = await c.get('/login');
  const r = await c.postForm('/login', { csrf: csrfFrom(form.text), username, password });
  assert.equal(r.status, 303, `page sign-in ${username}: ${r.status}`);
  return c;
}

function expectError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.field, field, r.text);
}

const PRIVATE_KEYS = ['id_number', 'phone', 'birth_date'];

before(async () => {
  srv = await startServer({ kind: KIND });
  anon = new Client(srv.base);
  await addCompany(A, 'admin_a');
  await addCompany(B, 'admin_b');
  for (const [region, name] of [
    ['430000', 'reg_hunan'],
    ['430900', 'reg_yiyang'],
    ['430100', 'reg_changsha'],
  ]) {
    const password = addUser(name, 'regulator', ['--region', region]);
    regs[region] = { username: name, token: await apiLogin(name, password) };
  }
});

after(async () => {
  if (srv) await srv.stop();
});

// ---- the privacy tiers ----

describe('privacy tiers', () => {
  test('ID numbers built here are what GB 11643 says (the sample from the standard)', () => {
    // GB 11643-1999 appendix: 11010519491231002 → X.
    assert.equal(idCheckChar('11010519491231002'), 'X');
    assert.equal(idNumber({ region: '110105', birth: '19491231', seq: 2 }), '11010519491231002X');
  });

  test('before consent only the employer sees the record; the code confirms it once; then each tier sees its part', async () => {
    const credential = { kind: 'health', number: 'JK-2024-0001', issuer: '桃江县疾病预防控制中心', issued: dayOffset(-100), expires: dayOffset(265) };
    const body = workerBody({
      id_number: idNumber({ region: '430922', birth: '19850312', seq: 124 }), // 124: even → female
      credentials: [credential],
    });
    seen.ids.push(body.id_number);
    const e = await enroll(A, body);
    assert.ok(Number.isInteger(e.id) && e.id > 0);
    assert.equal(e.new_person, true);
    assert.equal(e.new_employment, true);
    assert.equal(e.credentials_added, 1);
    const id = e.id;

    // -- before consent --
    expectError(await getWorker(B.token, id), 404, 'not_found');
    expectError(await getWorker(regs['430000'].token, id), 404, 'not_found');
    expectError(await getWorker(regs['430900'].token, id), 404, 'not_found');
    expectError(await getWorker(null, id), 401, 'unauthenticated');
    assert.equal((await anon.get(`/workers/${id}`)).status === 200, false, 'the page is not public');

    const own = await getWorker(A.token, id);
    assert.equal(own.status, 200, own.text);
    assert.equal(own.json.tier, 'employer');
    assert.equal(own.json.id, id);
    assert.equal(own.json.name, '李秀芳');
    assert.equal(own.json.id_number, body.id_number);
    assert.equal(own.json.phone, body.phone);
    assert.equal(own.json.birth_date, '1985-03-12');
    assert.equal(own.json.sex, 'F');
    assert.equal(own.json.native_region, '430922');
    assert.equal(own.json.masked_id, `${body.id_number.slice(0, 4)}**********${body.id_number.slice(14)}`);
    assert.equal(own.json.consent.method, '');
    assert.deepEqual(own.json.credentials.map((c) => [c.kind, c.number, c.expires]), [['health', credential.number, credential.expires]]);
    assert.equal(own.json.readiness.ready, false);
    assert.equal(own.json.readiness.items.credit.state, 'missing');

    // A company admin's private notes on the employment (no route sets them yet).
    sql(`UPDATE employments SET notes = '甲公司内部备注：已约谈' WHERE worker_id = ${id}`);

    // -- consent with the one-time code --
    const code = await consentCode(A, id);
    const password = 'xiufang-2024';
    expectError(await anon.postJson('/api/v1/consent', { code: otherCode(code), phone: body.phone, password }), 404, 'not_found');
    // The phone must be the one the company registered; a mismatch does not use up the code.
    expectError(await anon.postJson('/api/v1/consent', { code, phone: nextPhone(), password }), 400, 'invalid_phone', 'phone');
    expectError(await anon.postJson('/api/v1/consent', { code, phone: body.phone, password: '12345' }), 400, 'invalid_field', 'password');
    const ok = await anon.postJson('/api/v1/consent', { code, phone: body.phone, password });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.id, id);
    assert.equal(ok.json.consent, 'code');
    expectError(await anon.postJson('/api/v1/consent', { code, phone: body.phone, password }), 404, 'not_found');

    // -- after consent: another company, only with the worker's share code (credit check) --
    expectError(await anon.postJson('/api/v1/workers/lookup', { id_number: body.id_number }, bearer(B.token)), 404, 'not_found');
    expectError(await getWorker(B.token, id), 404, 'not_found');
    const fresh = new Client(srv.base); // a client of its own: the session cookie stays there
    const shareToken = (await fresh.postJson('/api/v1/worker/session', { phone: body.phone, password })).json.token;
    const share = await anon.postJson('/api/v1/worker/share-code', {}, bearer(shareToken));
    assert.equal(share.status, 201, share.text);
    const before = auditCount();
    const credit = await anon.postJson('/api/v1/credit-checks', { id_number: body.id_number, share_code: share.json.share_code }, bearer(B.token));
    assert.equal(credit.status, 200, credit.text);
    assert.equal(auditCount(), before + 1, 'the credit check is audited');
    assert.deepEqual(lastAudit(), { action: 'worker.read', target: `worker:${id}` });
    assert.equal(credit.json.tier, 'company');
    assert.equal(credit.json.name, '李秀芳');
    assert.equal(credit.json.masked_id, own.json.masked_id);
    for (const k of PRIVATE_KEYS) assert.ok(!(k in credit.json), `${k} in the company tier: ${credit.text}`);
    assert.ok(!credit.text.includes(body.id_number), 'no ID number anywhere in the reply');
    assert.ok(!credit.text.includes(body.phone), 'no phone anywhere in the reply');
    assert.ok(!credit.text.includes('已约谈'), "no other company's notes");
    assert.equal(credit.json.consent.method, 'code');
    assert.ok(credit.json.credentials.some((c) => c.number === credential.number), 'credentials are part of the credit view');
    assert.deepEqual(credit.json.employments.map((j) => j.uscc), [A.uscc]);
    assert.ok(!('notes' in credit.json.employments[0]));
    // The same on B's page: masked number, no phone row, no notes.
    const bPage = await pageLogin(B.username, B.password);
    expectError(await getWorker(B.token, id), 404, 'not_found');
    const form = await bPage.get('/credit-check');
    const page = await bPage.postForm('/credit-check', { csrf: csrfFrom(form.text), id_number: body.id_number, share_code: share.json.share_code });
    assert.equal(page.status, 200, page.text);
    assert.ok(!page.text.includes(body.id_number) && !page.text.includes(body.phone) && !page.text.includes('已约谈'));
    assert.ok(page.text.includes(own.json.masked_id));
    assert.ok(!page.text.includes('id="worker-phone"'));
    assert.ok(!page.text.includes('/consent-code'), 'no employer action forms');

    // The employer still sees its own notes.
    const own2 = await getWorker(A.token, id);
    assert.equal(own2.json.employments[0].notes, '甲公司内部备注：已约谈');

    // -- officials --
    for (const region of ['430000', '430900']) {
      const n = auditCount();
      const r = await getWorker(regs[region].token, id);
      assert.equal(r.status, 200, `${region}: ${r.text}`);
      assert.equal(auditCount(), n + 1, `the read by ${region} is audited`);
      assert.equal(r.json.tier, 'official');
      assert.equal(r.json.id_number, body.id_number);
      assert.equal(r.json.phone, body.phone);
      assert.equal(r.json.employments[0].notes, '甲公司内部备注：已约谈');
    }
    const n = auditCount();
    expectError(await getWorker(regs['430100'].token, id), 404, 'not_found');
    assert.equal(auditCount(), n, 'a refused read writes no read entry');
    expectError(await getWorker(null, id), 401, 'unauthenticated');

    // -- the worker --
    expectError(await anon.get('/api/v1/worker'), 401, 'unauthenticated');
    const token = await workerSession(body.phone, password);
    const self = await anon.get('/api/v1/worker', bearer(token));
    assert.equal(self.status, 200, self.text);
    assert.equal(self.json.name, '李秀芳');
    assert.equal(self.json.id_number, body.id_number);
    assert.equal(self.json.phone, body.phone);
    assert.equal(self.json.birth_date, '1985-03-12');
    assert.equal(self.json.consent.method, 'code');
    assert.ok(self.json.credentials.some((c) => c.number === credential.number));
    assert.ok(self.json.employments.some((j) => j.uscc === A.uscc));
    const log = self.json.access_log;
    assert.ok(Array.isArray(log), self.text);
    assert.ok(log.some((a) => a.what === 'credit_check' && a.viewer.includes(B.name)), `B's credit check: ${JSON.stringify(log)}`);
    assert.ok(log.some((a) => a.what === 'official' && a.viewer.includes('湖南')), `the regulator's read: ${JSON.stringify(log)}`);
    assert.ok(log.some((a) => a.what === 'official' && a.viewer.includes('益阳')), `the 益阳 read: ${JSON.stringify(log)}`);
    assert.ok(log.some((a) => a.what === 'employer' && a.viewer.includes(A.name)));
    assert.ok(!log.some((a) => a.viewer.includes('长沙') || a.viewer.includes('reg_changsha')), 'a refused read is not listed');
    assert.ok(log.every((a) => Number.isInteger(a.at) && Math.abs(a.at - Date.now() / 1000) < 3600));
    // The worker's own reads are not logged as somebody else's.
    const again = await anon.get('/api/v1/worker', bearer(token));
    assert.equal(again.json.access_log.length, log.length);
    // The worker token opens no other worker and no company endpoint.
    const other = await enroll(A, workerBody({ name: '赵小红' }));
    expectError(await getWorker(token, other.id), 404, 'not_found');
    const cw = await anon.get('/api/v1/company/workers', bearer(token));
    assert.ok(cw.status === 401 || cw.status === 403, `company list with a worker token: ${cw.status}`);
  });

  test('look-up by ID number before consent: another company or an official out of region learns nothing', async () => {
    const body = workerBody({ name: '黄小梅' });
    const { id } = await enroll(A, body);
    const mine = await anon.postJson('/api/v1/workers/lookup', { id_number: body.id_number }, bearer(A.token));
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.id, id);
    // An unknown number and an unconsented record must look the same to others.
    const unknown = await anon.postJson('/api/v1/workers/lookup', { id_number: nextId() }, bearer(B.token));
    expectError(unknown, 404, 'not_found');
    const leaks = [];
    for (const [who, token] of [['company B', B.token], ['the 长沙 regulator', regs['430100'].token], ['the 湖南 regulator', regs['430000'].token]]) {
      const r = await anon.postJson('/api/v1/workers/lookup', { id_number: body.id_number }, bearer(token));
      if (r.status !== 404) leaks.push(`${who}: ${r.status} ${r.text}`);
    }
    assert.deepEqual(leaks, [], 'look-ups of an unconsented worker by others must answer 404');
  });

  test('paper consent: the employer hands out a share code for its worker, and other companies check with it', async () => {
    const body = workerBody({ name: '陈美华', consent_date: dayOffset(-3) });
    const { id } = await enroll(A, body);
    expectError(await getWorker(B.token, id), 404, 'not_found');
    const code = await anon.postJson(`/api/v1/workers/${id}/share-code`, {}, bearer(A.token));
    assert.equal(code.status, 201, code.text);
    const check = (number, share) => anon.postJson('/api/v1/credit-checks', { id_number: number, share_code: share }, bearer(B.token));
    const r = await check(body.id_number, code.json.share_code);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.tier, 'company');
    assert.equal(r.json.consent.method, 'paper');

    const laterBody = workerBody({ name: '陈美玲' });
    const later = await enroll(A, laterBody);
    expectError(await anon.postJson(`/api/v1/workers/${later.id}/share-code`, {}, bearer(A.token)), 409, 'wrong_state');
    const p = await action(A.token, later.id, 'consent', { consent_date: dayOffset(0) });
    assert.equal(p.status, 200, p.text);
    const laterCode = await anon.postJson(`/api/v1/workers/${later.id}/share-code`, {}, bearer(A.token));
    assert.equal((await check(laterBody.id_number, laterCode.json.share_code)).json.tier, 'company');
    expectError(await action(A.token, later.id, 'consent', { consent_date: dayOffset(2) }), 400, 'invalid_field', 'consent_date');
  });
});

// ---- one record per person ----

describe('one record per person', () => {
  test('a second company enrolling the same ID number joins the record and changes nothing else', async () => {
    const body = workerBody({ name: '王桂兰', service_types: ['maternity'] });
    const first = await enroll(A, body);
    const before = (await getWorker(A.token, first.id)).json;

    const again = await anon.postJson(
      '/api/v1/workers',
      { name: '王贵兰', id_number: body.id_number.toLowerCase(), phone: nextPhone(), service_types: ['home_cook'] },
      bearer(B.token),
    );
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.id, first.id);
    assert.equal(again.json.new_person, false);
    assert.equal(again.json.new_employment, true);

    const afterA = (await getWorker(A.token, first.id)).json;
    assert.equal(afterA.name, '王桂兰', "the first company's spelling stays");
    assert.equal(afterA.phone, body.phone);
    assert.equal(afterA.service_types, before.service_types);
    assert.equal(afterA.tier, 'employer');
    assert.deepEqual(afterA.employments.map((j) => j.uscc).sort(), [A.uscc, B.uscc].sort());
    // B is an employer now: it sees the record without the worker's consent.
    const asB = await getWorker(B.token, first.id);
    assert.equal(asB.status, 200, asB.text);
    assert.equal(asB.json.tier, 'employer');
    assert.equal(asB.json.name, '王桂兰');

    // Once more: still the same record, no new employment.
    const third = await anon.postJson('/api/v1/workers', { name: '王桂兰', id_number: body.id_number }, bearer(B.token));
    assert.equal(third.status, 200, third.text);
    assert.equal(third.json.id, first.id);
    assert.equal(third.json.new_employment, false);
    const count = sql(`SELECT COUNT(*) FROM workers WHERE name LIKE '王%兰'`);
    assert.deepEqual(count, ['1']);
  });
});

// ---- validation ----

describe('validation of what companies enter', () => {
  const good = () => workerBody({ name: '周红梅' });

  const cases = [
    ['wrong check character', (b) => ({ ...b, id_number: breakIdCheck(b.id_number) }), 400, 'invalid_field', 'id_number'],
    ['15-digit first-generation number', (b) => ({ ...b, id_number: '430922850312124' }), 400, 'invalid_field', 'id_number'],
    ['17 characters', (b) => ({ ...b, id_number: b.id_number.slice(0, 17) }), 400, 'invalid_field', 'id_number'],
    ['birth date 1985-02-30', (b) => ({ ...b, id_number: idNumber({ birth: '19850230', seq: 124 }) }), 400, 'invalid_field', 'id_number'],
    ['birth date in the future', (b) => ({ ...b, id_number: idNumber({ birth: dayOffset(40).replaceAll('-', ''), seq: 124 }) }), 400, 'invalid_field', 'id_number'],
    ['unknown region 990101', (b) => ({ ...b, id_number: idNumber({ region: '990101', seq: 124 }) }), 400, 'invalid_field', 'id_number'],
    ['letters in the number', (b) => ({ ...b, id_number: `43092219850312A24${'1'}` }), 400, 'invalid_field', 'id_number'],
    ['no ID number', (b) => ({ ...b, id_number: '' }), 400, 'missing_field', 'id_number'],
    ['no name', (b) => ({ ...b, name: '  ' }), 400, 'missing_field', 'name'],
    ['bad phone', (b) => ({ ...b, phone: '12345' }), 400, 'invalid_phone', 'phone'],
    ['10-digit mobile', (b) => ({ ...b, phone: '1391234567' }), 400, 'invalid_phone', 'phone'],
    ['unknown service type', (b) => ({ ...b, service_types: ['cleaning', 'astronaut'] }), 400, 'unknown_service_type', 'service_types'],
    ['service types not an array', (b) => ({ ...b, service_types: 'cleaning' }), 400, 'invalid_field', 'service_types'],
    ['credential without number', (b) => ({ ...b, credentials: [{ kind: 'work_permit', issuer: '人社局' }] }), 400, 'missing_field', 'work_permit_no'],
    ['health certificate without expiry', (b) => ({ ...b, credentials: [{ kind: 'health', number: 'JK1', issued: dayOffset(-10) }] }), 400, 'missing_field', 'health_expires'],
    ['insurance without expiry', (b) => ({ ...b, credentials: [{ kind: 'insurance', number: 'BX1' }] }), 400, 'missing_field', 'insurance_expires'],
    ['expires before issued', (b) => ({ ...b, credentials: [{ kind: 'work_permit', number: 'SG1', issued: dayOffset(-10), expires: dayOffset(-20) }] }), 400, 'invalid_field', 'work_permit_expires'],
    ['not a date', (b) => ({ ...b, credentials: [{ kind: 'health', number: 'JK1', expires: '2025-13-01' }] }), 400, 'invalid_field', 'health_expires'],
    ['issued in the future', (b) => ({ ...b, credentials: [{ kind: 'health', number: 'JK1', issued: dayOffset(5), expires: dayOffset(300) }] }), 400, 'invalid_field', 'health_issued'],
    ['unknown credential kind', (b) => ({ ...b, credentials: [{ kind: 'driving', number: 'D1' }] }), 400, 'invalid_field', 'kind'],
    ['consent date in the future', (b) => ({ ...b, consent_date: dayOffset(1) }), 400, 'invalid_field', 'consent_date'],
    ['unknown member', (b) => ({ ...b, nickname: '小周' }), 400, 'unknown_field', 'nickname'],
    ['unknown member of a credential', (b) => ({ ...b, credentials: [{ kind: 'health', number: 'JK1', expires: dayOffset(100), colour: 'red' }] }), 400, 'unknown_field', 'colour'],
  ];

  for (const [name, change, status, code, field] of cases) {
    test(`${name} → ${status} ${code} (${field})`, async () => {
      const body = change(good());
      const r = await anon.postJson('/api/v1/workers', body, bearer(A.token));
      expectError(r, status, code, field);
      assert.equal(typeof r.json.message, 'string');
      // Nothing was created.
      if (/^\d{17}[\dX]$/.test(body.id_number)) {
        const l = await anon.postJson('/api/v1/workers/lookup', { id_number: body.id_number }, bearer(A.token));
        assert.ok(l.status === 404 || l.status === 400, `look-up after a refused enrolment: ${l.status} ${l.text}`);
      }
    });
  }

  test('a phone that belongs to another worker → 400 invalid_phone, and no record is created', async () => {
    const first = workerBody({ name: '刘春燕' });
    await enroll(A, first);
    const second = workerBody({ name: '刘秋燕', phone: first.phone });
    expectError(await anon.postJson('/api/v1/workers', second, bearer(A.token)), 400, 'invalid_phone', 'phone');
    expectError(await anon.postJson('/api/v1/workers', second, bearer(B.token)), 400, 'invalid_phone', 'phone');
    expectError(await anon.postJson('/api/v1/workers/lookup', { id_number: second.id_number }, bearer(A.token)), 404, 'not_found');
    // The same phone written with spaces and +86 is the same phone.
    const spaced = `+86 ${first.phone.slice(0, 3)} ${first.phone.slice(3, 7)} ${first.phone.slice(7)}`;
    const third = workerBody({ name: '刘冬燕', phone: spaced });
    expectError(await anon.postJson('/api/v1/workers', third, bearer(A.token)), 400, 'invalid_phone', 'phone');
  });

  test('who may enrol: anonymous → 401, a regulator → 403', async () => {
    expectError(await anon.postJson('/api/v1/workers', good()), 401, 'unauthenticated');
    expectError(await anon.postJson('/api/v1/workers', good(), bearer(regs['430000'].token)), 403, 'forbidden');
  });
});

// ---- duty readiness ----

describe('duty readiness (六无不上岗)', () => {
  /** Enrols a worker with everything in place; over = credential overrides by kind. */
  async function fullyEquipped(name, over = {}) {
    const creds = {
      insurance: { kind: 'insurance', number: `BX-${name}`, issuer: '中国人保', issued: dayOffset(-30), expires: dayOffset(335) },
      work_permit: { kind: 'work_permit', number: `SG-${name}`, issuer: '益阳市人社局', issued: dayOffset(-200), expires: dayOffset(900) },
      health: { kind: 'health', number: `JK-${name}`, issuer: '桃江县疾控中心', issued: dayOffset(-60), expires: dayOffset(300) },
      ...over,
    };
    const { id } = await enroll(A, workerBody({ name, credentials: Object.values(creds) }));
    for (const [verb, b] of [
      ['equipment', { kind: 'uniform' }],
      ['equipment', { kind: 'toolkit', issued: dayOffset(-1) }],
      ['identity', { method: 'document' }],
      ['background', { status: 'clear', source: '桃花江派出所无犯罪记录证明' }],
      ['consent', { consent_date: dayOffset(0) }],
    ]) {
      const r = await action(A.token, id, verb, b);
      assert.equal(r.status, 200, `${verb}: ${r.text}`);
    }
    return id;
  }

  test('ready, expiring and expired workers; the readiness list and page show the right ones', async () => {
    const ready = await fullyEquipped('孙丽娟');
    const expiring = await fullyEquipped('孙丽萍', {
      health: { kind: 'health', number: 'JK-soon', issued: dayOffset(-355), expires: dayOffset(10) },
    });
    const expired = await fullyEquipped('孙丽华', {
      insurance: { kind: 'insurance', number: 'BX-old', issued: dayOffset(-400), expires: dayOffset(-1) },
    });

    const r = (await getWorker(A.token, ready)).json.readiness;
    assert.equal(r.ready, true, JSON.stringify(r));
    assert.equal(r.expiring, false);
    for (const item of ['insurance', 'credit', 'uniform', 'work_permit', 'health', 'toolkit'])
      assert.equal(r.items[item].state, 'ok', `${item}: ${JSON.stringify(r)}`);
    assert.equal(r.items.health.expires, dayOffset(300));

    const s = (await getWorker(A.token, expiring)).json.readiness;
    assert.equal(s.ready, true, JSON.stringify(s));
    assert.equal(s.expiring, true);
    assert.equal(s.items.health.state, 'expiring');
    assert.equal(s.items.health.expires, dayOffset(10));
    assert.equal(s.items.insurance.state, 'ok');

    const x = (await getWorker(A.token, expired)).json.readiness;
    assert.equal(x.ready, false, JSON.stringify(x));
    assert.equal(x.items.insurance.state, 'expired');
    assert.equal(x.items.health.state, 'ok');

    // A renewed insurance makes the expired one ready again.
    const renewedId = await fullyEquipped('孙丽芳', {
      insurance: { kind: 'insurance', number: 'BX-old2', issued: dayOffset(-400), expires: dayOffset(-1) },
    });
    assert.equal((await getWorker(A.token, renewedId)).json.readiness.ready, false);
    const renew = await action(A.token, renewedId, 'credentials', { kind: 'insurance', number: 'BX-new2', issuer: '中国人保', issued: dayOffset(0), expires: dayOffset(365) });
    assert.equal(renew.status, 200, renew.text);
    const rn = (await getWorker(A.token, renewedId)).json.readiness;
    assert.equal(rn.ready, true, JSON.stringify(rn));
    assert.equal(rn.items.insurance.state, 'ok');

    const list = await anon.get('/api/v1/company/readiness', bearer(A.token));
    assert.equal(list.status, 200, list.text);
    const ids = list.json.items.map((i) => i.id);
    assert.ok(ids.includes(expiring), 'the expiring one is listed');
    assert.ok(ids.includes(expired), 'the expired one is listed');
    assert.ok(!ids.includes(ready), 'the ready one is not');
    assert.ok(!ids.includes(renewedId), 'the renewed one is not');
    assert.equal(list.json.total, list.json.items.length);
    const ex = list.json.items.find((i) => i.id === expired);
    assert.equal(ex.name, '孙丽华');
    assert.equal(ex.readiness.items.insurance.state, 'expired');
    // B's list has none of A's workers.
    const listB = await anon.get('/api/v1/company/readiness', bearer(B.token));
    assert.ok(!listB.json.items.some((i) => [ready, expiring, expired].includes(i.id)));

    // All current workers, with readiness.
    const all = await anon.get('/api/v1/company/workers?limit=200', bearer(A.token));
    assert.equal(all.status, 200, all.text);
    const allIds = all.json.items.map((i) => i.id);
    for (const id of [ready, expiring, expired]) assert.ok(allIds.includes(id));
    assert.equal(all.json.items.find((i) => i.id === ready).readiness.ready, true);

    // The page.
    const c = await pageLogin(A.username, A.password);
    const page = await c.get('/company/readiness');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(`href="/workers/${expiring}"`), 'expiring worker on the page');
    assert.ok(page.text.includes(`href="/workers/${expired}"`), 'expired worker on the page');
    assert.ok(!page.text.includes(`href="/workers/${ready}"`), 'the ready worker is not on the page');
    assert.ok(page.text.includes('已过期') && page.text.includes('即将到期'));
    const total = page.text.match(/id="worker-total">[^<]*?(\d+)</);
    assert.ok(total, 'the page shows how many');
    assert.equal(Number(total[1]), list.json.total);
    // Not for anonymous visitors.
    const anonPage = await new Client(srv.base).get('/company/readiness');
    assert.notEqual(anonPage.status, 200);
    expectError(await anon.get('/api/v1/company/readiness'), 401, 'unauthenticated');
  });

  test('credit certification needs identity, a clear background and consent', async () => {
    const flagged = await fullyEquipped('钱桂芝');
    const f = await action(A.token, flagged, 'background', { status: 'flagged', source: '公安机关通报' });
    assert.equal(f.status, 200, f.text);
    const r = (await getWorker(A.token, flagged)).json;
    assert.equal(r.readiness.ready, false);
    assert.equal(r.readiness.items.credit.state, 'missing');
    assert.equal(r.background.status, 'flagged');

    const { id } = await enroll(A, workerBody({ name: '钱桂英' }));
    const miss = (await getWorker(A.token, id)).json.readiness;
    for (const item of ['insurance', 'credit', 'uniform', 'work_permit', 'health', 'toolkit'])
      assert.equal(miss.items[item].state, 'missing', `${item}: ${JSON.stringify(miss)}`);
    expectError(await action(A.token, id, 'equipment', { kind: 'hat' }), 400, 'invalid_field', 'kind');
    expectError(await action(A.token, id, 'identity', { method: 'telepathy' }), 400, 'invalid_field', 'method');
    expectError(await action(A.token, id, 'background', { status: 'clear' }), 400, 'missing_field', 'source');
    expectError(await action(A.token, id, 'background', { status: 'maybe', source: '派出所' }), 400, 'invalid_field', 'status');
  });
});

// ---- employer-only actions ----

describe('employer-only actions and the end of an employment', () => {
  test('another company, an official and the public cannot act; after the employment ends A needs a share code', async () => {
    const body = workerBody({ name: '吴翠兰', consent_date: dayOffset(-1) });
    const { id } = await enroll(A, body);
    const cred = { kind: 'training', number: 'PX-1', issuer: '桃江县家政协会', issued: dayOffset(-5) };

    for (const verb of ['credentials', 'equipment', 'identity', 'background', 'consent', 'consent-code', 'end']) {
      const payload = { credentials: cred, equipment: { kind: 'uniform' }, identity: { method: 'document' }, background: { status: 'clear', source: '派出所证明' }, consent: { consent_date: dayOffset(0) }, 'consent-code': {}, end: {} }[verb];
      expectError(await action(B.token, id, verb, payload), 404, 'not_found');
      const official = await action(regs['430000'].token, id, verb, payload);
      assert.ok(official.status === 403 || official.status === 404, `official ${verb}: ${official.status}`);
      expectError(await action(null, id, verb, payload), 401, 'unauthenticated');
    }
    // None of those attempts changed anything.
    const still = (await getWorker(A.token, id)).json;
    assert.equal(still.credentials.length, 0);
    assert.equal(still.identity.method, '');
    assert.equal(still.background.status, 'pending');
    assert.equal(still.employments.length, 1);
    assert.equal(still.employments[0].ended, null);

    const added = await action(A.token, id, 'credentials', cred);
    assert.equal(added.status, 200, added.text);
    assert.equal((await getWorker(A.token, id)).json.credentials.length, 1);

    const end = await action(A.token, id, 'end', {});
    assert.equal(end.status, 200, end.text);
    expectError(await getWorker(A.token, id), 404, 'not_found');
    const code = await anon.postJson(`/api/v1/workers/${id}/share-code`, {}, bearer(A.token));
    expectError(code, 404, 'not_found');
    const official0 = await getWorker(regs['430900'].token, id);
    assert.equal(official0.json.employments[0].ended, dayOffset(0));
    expectError(await action(A.token, id, 'credentials', { kind: 'training', number: 'PX-2' }), 404, 'not_found');
    expectError(await action(A.token, id, 'end', {}), 404, 'not_found');
    const list = await anon.get('/api/v1/company/workers?limit=200', bearer(A.token));
    assert.ok(!list.json.items.some((i) => i.id === id), 'no longer in the company list');
    // The regulator of the region where it was employed still sees the record.
    const official = await getWorker(regs['430900'].token, id);
    assert.equal(official.status, 200, official.text);
    assert.equal(official.json.tier, 'official');

    // Without consent, a former employer sees nothing.
    const quiet = await enroll(A, workerBody({ name: '吴翠萍' }));
    assert.equal((await action(A.token, quiet.id, 'end', { ended: dayOffset(0) })).status, 200);
    expectError(await getWorker(A.token, quiet.id), 404, 'not_found');

    // Enrolling again starts a new employment on the same record.
    const back = await anon.postJson('/api/v1/workers', { name: '吴翠兰', id_number: body.id_number }, bearer(A.token));
    assert.equal(back.status, 200, back.text);
    assert.equal(back.json.id, id);
    assert.equal(back.json.new_employment, true);
    assert.equal((await getWorker(A.token, id)).json.tier, 'employer');
  });

  test('unknown or malformed worker ids → 404', async () => {
    expectError(await getWorker(A.token, 999999999), 404, 'not_found');
    expectError(await getWorker(A.token, 'abc'), 404, 'not_found');
    expectError(await action(A.token, 999999999, 'credentials', { kind: 'training', number: 'X1' }), 404, 'not_found');
  });
});

// ---- worker sign-in ----

describe('worker sign-in', () => {
  test('wrong password → 401; the sixth attempt → 429 even with the right password', async () => {
    const body = workerBody({ name: '郑玉梅' });
    const { id } = await enroll(A, body);
    const code = await consentCode(A, id);
    const password = 'yumei-123456';
    assert.equal((await anon.postJson('/api/v1/consent', { code, phone: body.phone, password })).status, 200);

    expectError(await anon.postJson('/api/v1/worker/session', { phone: nextPhone(), password }), 401, 'bad_credentials');
    await workerSession(body.phone, password); // a success clears nothing it should not
    for (let i = 1; i <= 5; i++)
      expectError(await anon.postJson('/api/v1/worker/session', { phone: body.phone, password: `wrong-${i}` }), 401, 'bad_credentials');
    expectError(await anon.postJson('/api/v1/worker/session', { phone: body.phone, password }), 429, 'rate_limited');
  });

  test('a new consent code replaces the previous one', async () => {
    const body = workerBody({ name: '郑玉珍' });
    const { id } = await enroll(A, body);
    const first = await consentCode(A, id);
    const second = await consentCode(A, id);
    assert.notEqual(first, second);
    expectError(await anon.postJson('/api/v1/consent', { code: first, phone: body.phone, password: 'yuzhen-1234' }), 404, 'not_found');
    const ok = await anon.postJson('/api/v1/consent', { code: second, phone: body.phone, password: 'yuzhen-1234' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.id, id);
  });

  test('a worker who never confirmed cannot sign in', async () => {
    const body = workerBody({ name: '郑玉兰' });
    await enroll(A, body);
    expectError(await anon.postJson('/api/v1/worker/session', { phone: body.phone, password: 'anything-1' }), 401, 'bad_credentials');
  });
});

// ---- privacy at rest (last: it reads what the tests above wrote) ----

describe('privacy at rest', () => {
  test('no ID number or phone in clear in the database files or in the server output', async () => {
    assert.ok(seen.ids.length >= 10 && seen.phones.length >= 10, 'the tests above enrolled workers');
    // Something that is stored in clear must be found, so the scan itself works.
    const marker = '桃江县安心家政服务有限公司';
    let blobs;
    if (KIND === 'sqlite') {
      blobs = [srv.db, `${srv.db}-wal`, `${srv.db}-journal`]
        .filter((f) => fs.existsSync(f))
        .map((f) => fs.readFileSync(f));
    } else {
      const r = spawnSync('pg_dump', ['--data-only', '-d', srv.db], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      assert.equal(r.status, 0, r.stderr);
      blobs = [Buffer.from(r.stdout)];
    }
    const haystack = Buffer.concat(blobs);
    assert.ok(haystack.includes(Buffer.from(marker)), 'the scan finds data stored in clear');
    for (const n of seen.ids) {
      assert.ok(!haystack.includes(Buffer.from(n)), `ID number ${n} stored in clear`);
      assert.ok(!haystack.includes(Buffer.from(n.slice(0, 17))), `the first 17 digits of ${n} stored in clear`);
    }
    for (const p of seen.phones) assert.ok(!haystack.includes(Buffer.from(p)), `phone ${p} stored in clear`);

    const { stdout, stderr } = srv.output();
    for (const v of [...seen.ids, ...seen.phones]) {
      assert.ok(!stderr.includes(v), `${v} in the server's stderr`);
      assert.ok(!stdout.includes(v), `${v} in the server's stdout`);
    }
    auditCount(); // still intact after everything above
  });
});
