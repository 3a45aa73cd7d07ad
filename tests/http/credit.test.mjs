// Credit records, sharing and appeals through the JSON API, on SQLite or PostgreSQL
// (JZ_DB_KIND): a company reports, the office in scope confirms or dismisses, the card
// shows published negative records, the companies that employ or lately checked the
// worker are told at once, the worker appeals once and the regulator decides; share-code
// credit checks; background flags count only once a regulator confirms them. Every role
// that must be refused is tried.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, startServer, addUser as addUserTo, apiLogin, sqlLines } from './lib.mjs';
import { uscc } from './codes.mjs';
import { nextId, nextPhone } from './ids.mjs';

const KIND = process.env.JZ_DB_KIND || 'sqlite';
const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
let srv;
const api = () => new Client(srv.base);
const companies = {};
const tokens = {};

const addUser = (username, role, extra) => addUserTo(srv, username, role, extra);
const login = (username, password) => apiLogin(srv, username, password);
/** Runs SQL on the test database (sqlite3 or psql); returns its output lines. */
const sql = (statement) => sqlLines(srv, statement);
function expectError(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.code, code, r.text);
  if (field) assert.equal(r.json.field, field, r.text);
}

before(async () => {
  srv = await startServer({ kind: KIND });
  const defs = { A: ['430922', '桃江县甲家政有限公司'], B: ['430902', '资阳区乙家政有限公司'], C: ['430921', '南县丙家政有限公司'], D: ['430102', '长沙丁家政有限公司'] };
  for (const [key, [county, name]] of Object.entries(defs)) {
    const code = uscc(county);
    const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', code, '--name', name, '--county', county]);
    assert.equal(r.status, 0, r.stderr);
    const user = `credit_${key.toLowerCase()}`;
    companies[key] = { uscc: code, name, token: await login(user, addUser(user, 'company_admin', ['--company', code])) };
  }
  tokens.yiyang = await login('cr_reg_yiyang', addUser('cr_reg_yiyang', 'regulator', ['--region', '430900']));
  tokens.changsha = await login('cr_reg_changsha', addUser('cr_reg_changsha', 'regulator', ['--region', '430100']));
  tokens.assoc = await login('cr_assoc_yiyang', addUser('cr_assoc_yiyang', 'association', ['--region', '430900']));
});

after(async () => {
  if (srv) await srv.stop();
});

/** A consented worker of company A with a card; returns ids, phone, ID number, worker token and card path. */
async function worker(name = '欧阳秀芳') {
  const phone = nextPhone();
  const idNumber = nextId();
  const w = await api().postJson('/api/v1/workers', { name, id_number: idNumber, phone }, bearer(companies.A.token));
  assert.equal(w.status, 201, w.text);
  const code = await api().postJson(`/api/v1/workers/${w.json.id}/consent-code`, {}, bearer(companies.A.token));
  const c = await api().postJson('/api/v1/consent', { code: code.json.code, phone, password: 'credit-pass' });
  assert.equal(c.status, 200, c.text);
  const s = await api().postJson('/api/v1/worker/session', { phone, password: 'credit-pass' });
  const card = await api().postJson(`/api/v1/workers/${w.json.id}/card`, {}, bearer(companies.A.token));
  assert.ok(card.status === 200 || card.status === 201, card.text);
  return { id: w.json.id, phone, idNumber, token: s.json.token, cardPath: new URL(card.json.url).pathname };
}

const theft = (workerId, extra = {}) => ({
  worker_id: workerId, category: 'theft', severity: 'grave', occurred: '2026-10-01',
  summary: '服务期间盗窃雇主财物', evidence: '雇主报警回执编号 2026-1001', ...extra,
});
const report = (token, body) => api().postJson('/api/v1/records', body, bearer(token));
const cardJson = async (path) => (await api().get(`/api/v1/cards/${path.slice(3)}`)).json;

describe('the life of a negative record', () => {
  test('reported → confirmed: the card shows it, the stars cap, employers and checkers are told; the appeal revokes it', async () => {
    const w = await worker();
    // Company B employs the worker too; company C checks her with her share code; D does neither.
    const enrolB = await api().postJson('/api/v1/workers', { name: '欧阳秀芳', id_number: w.idNumber }, bearer(companies.B.token));
    assert.equal(enrolB.status, 200, enrolB.text); // the same person: joined, not created
    const share = await api().postJson('/api/v1/worker/share-code', {}, bearer(w.token));
    assert.equal(share.status, 201, share.text);
    assert.match(share.json.share_code, /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const check = await api().postJson('/api/v1/credit-checks', { id_number: w.idNumber, share_code: share.json.share_code.toLowerCase() },
      bearer(companies.C.token));
    assert.equal(check.status, 200, check.text);
    assert.equal(check.json.tier, 'company');
    assert.ok(!('phone' in check.json) && !check.text.includes(w.phone) && !check.text.includes(w.idNumber));

    // -- the report, with an evidence file --
    const file = Buffer.from('报警回执：盗窃金项链一条\n').toString('base64');
    expectError(await report(null, theft(w.id)), 401, 'unauthenticated');
    expectError(await report(companies.D.token, theft(w.id)), 404, 'not_found', 'worker_id');
    expectError(await report(companies.A.token, theft(w.id, { severity: 'minor' })), 400, 'invalid_field', 'severity');
    expectError(await report(companies.A.token, theft(w.id, { category: 'gossip' })), 400, 'invalid_field', 'category');
    expectError(await report(companies.A.token, theft(w.id, { occurred: '2099-01-01' })), 400, 'invalid_field', 'occurred');
    expectError(await report(companies.A.token, theft(w.id, { summary: '' })), 400, 'missing_field', 'summary');
    expectError(await report(companies.A.token, theft(w.id, { file_name: 'x.exe', file_base64: Buffer.from([0, 1, 2, 3]).toString('base64') })),
      400, 'invalid_field', 'file');
    // Non-ASCII in place of '/': libsodium 1.0.18 would decode it as '/' (found by fuzzing).
    expectError(await report(companies.A.token, theft(w.id, { file_name: 'a.txt', file_base64: 'QUJD\u00e9\u00e9' })),
      400, 'invalid_field', 'file_base64');
    const r = await report(companies.A.token, theft(w.id, { file_name: '回执.txt', file_base64: file }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'reported');
    const id = r.json.id;
    // Not public yet.
    assert.deepEqual((await cardJson(w.cardPath)).negative_records, []);

    // -- who may decide --
    const decide = (token, body) => api().postJson(`/api/v1/records/${id}/decide`, body, bearer(token));
    const confirm = { decision: 'confirm', reason: '经核实，派出所已立案' };
    expectError(await decide(null, confirm), 401, 'unauthenticated');
    expectError(await decide(companies.A.token, confirm), 403, 'forbidden');
    expectError(await decide(w.token, confirm), 401, 'unauthenticated');
    expectError(await decide(tokens.changsha, confirm), 404, 'not_found');
    expectError(await decide(tokens.yiyang, { decision: 'confirm', reason: '' }), 400, 'missing_field', 'reason');
    expectError(await decide(tokens.yiyang, { decision: 'maybe', reason: '理由充分' }), 400, 'invalid_field', 'decision');
    const ok = await decide(tokens.yiyang, confirm);
    assert.equal(ok.status, 200, ok.text);
    expectError(await decide(tokens.assoc, confirm), 409, 'wrong_state');

    // -- public: the card, the stars --
    const card = await cardJson(w.cardPath);
    assert.equal(card.negative_records.length, 1, JSON.stringify(card));
    assert.equal(card.negative_records[0].category, 'theft');
    assert.equal(card.negative_records[0].disputed, false);
    assert.equal(card.stars, 1, 'a grave record caps the stars at one');
    const page = await api().get(w.cardPath);
    assert.match(page.text, /id="card-negative">[^]*盗窃（严重）/);
    const rec = (await api().get(`/api/v1/records/${id}`, bearer(companies.A.token))).json;
    assert.equal(rec.status, 'published');
    const years5 = 5 * 365 * 86400;
    assert.ok(Math.abs(rec.expires_at - (rec.decided_at + years5)) < 5, `five years of repair: ${JSON.stringify(rec)}`);

    // -- the inbox --
    const inbox = async (c) => (await api().get('/api/v1/company/notifications', bearer(companies[c].token))).json;
    for (const c of ['B', 'C']) {
      const n = await inbox(c);
      assert.equal(n.unread, 1, `${c}: ${JSON.stringify(n)}`);
      assert.equal(n.notifications[0].record_id, id);
      assert.equal(n.notifications[0].kind, 'record_published');
    }
    assert.equal((await inbox('D')).unread, 0);
    assert.equal((await inbox('A')).unread, 0, 'the reporter is not told of its own report');
    const read = await api().postJson('/api/v1/company/notifications/read', {}, bearer(companies.B.token));
    assert.equal(read.status, 200, read.text);
    assert.equal((await inbox('B')).unread, 0);

    // -- who sees the record and its evidence --
    const show = (token) => api().get(`/api/v1/records/${id}`, bearer(token));
    assert.equal((await show(companies.C.token)).status, 200, 'a notified checker sees the record');
    assert.deepEqual((await show(companies.C.token)).json.evidence_files, [], 'but not the evidence');
    expectError(await show(companies.D.token), 404, 'not_found');
    const files = (await show(tokens.yiyang)).json.evidence_files;
    assert.equal(files.length, 1);
    assert.equal(files[0].content_type, 'text/plain; charset=utf-8');
    expectError(await api().get(`/api/v1/evidence/${files[0].id}`, bearer(companies.C.token)), 404, 'not_found');
    const dl = await api().get(`/api/v1/evidence/${files[0].id}`, bearer(companies.A.token));
    assert.equal(dl.status, 200);
    assert.equal(dl.text, '报警回执：盗窃金项链一条\n');
    assert.match(dl.headers.get('content-disposition'), /^attachment/);
    const sealed = sql(`SELECT data_sealed FROM credit_evidence WHERE id = ${files[0].id}`)[0];
    assert.ok(sealed.startsWith('v') && !sealed.includes(file), 'evidence is sealed at rest');
    assert.ok(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'credit.evidence.read'`)[0] >= 1, 'the read is audited');

    // -- the appeal --
    const appeal = (token, body) => api().postJson(`/api/v1/records/${id}/appeal`, body, bearer(token));
    const reasons = { reasons: '项链系雇主本人遗失，已找回，附派出所撤案证明' };
    expectError(await appeal(companies.B.token, reasons), 403, 'forbidden');
    expectError(await appeal(w.token, { reasons: '' }), 400, 'missing_field', 'reasons');
    const filed = await appeal(w.token, { ...reasons, file_name: '撤案.txt', file_base64: Buffer.from('撤案证明\n').toString('base64') });
    assert.equal(filed.status, 201, filed.text);
    expectError(await appeal(w.token, reasons), 409, 'wrong_state');
    const disputed = await cardJson(w.cardPath);
    assert.equal(disputed.negative_records[0].disputed, true, 'others see the record as disputed');
    assert.match((await api().get(w.cardPath)).text, /有异议，复核中/);
    // The queue lists it; an appeal past its deadline is marked overdue.
    let queue = (await api().get('/api/v1/regulator/credit', bearer(tokens.yiyang))).json;
    assert.ok(queue.appeals.some((a) => a.id === filed.json.id && !a.overdue), JSON.stringify(queue));
    sql(`UPDATE credit_appeals SET due_at = 1000 WHERE id = ${filed.json.id}`);
    queue = (await api().get('/api/v1/regulator/credit', bearer(tokens.yiyang))).json;
    assert.ok(queue.appeals.some((a) => a.id === filed.json.id && a.overdue), JSON.stringify(queue));
    expectError(await api().get('/api/v1/regulator/credit', bearer(companies.A.token)), 403, 'forbidden');

    const decideAppeal = (token, body) => api().postJson(`/api/v1/appeals/${filed.json.id}/decide`, body, bearer(token));
    const uphold = { decision: 'uphold', reason: '撤案证明属实，原记录不成立' };
    expectError(await decideAppeal(tokens.assoc, uphold), 403, 'forbidden');
    expectError(await decideAppeal(companies.A.token, uphold), 403, 'forbidden');
    expectError(await decideAppeal(tokens.changsha, uphold), 404, 'not_found');
    const decided = await decideAppeal(tokens.yiyang, uphold);
    assert.equal(decided.status, 200, decided.text);
    expectError(await decideAppeal(tokens.yiyang, uphold), 409, 'wrong_state');

    // The worker sees the outcome; the card no longer shows the record; the stars recover.
    const mine = (await api().get(`/api/v1/records/${id}`, bearer(w.token))).json;
    assert.equal(mine.status, 'revoked');
    assert.equal(mine.appeals[0].status, 'upheld');
    assert.equal(mine.appeals[0].decision_reason, uphold.reason);
    const after = await cardJson(w.cardPath);
    assert.deepEqual(after.negative_records, []);
    assert.ok(after.stars > 1, `stars recover: ${after.stars}`);
    assert.equal((await inbox('B')).notifications[0].kind, 'record_revoked');
    const actions = sql(`SELECT action FROM audit_log WHERE target = 'credit_record:${id}' ORDER BY id`);
    assert.deepEqual(actions, ['credit.report', 'credit.confirm', 'credit.appeal', 'credit.appeal.decide']);
  });

  test('dismissed records never show; expired records leave the card (credit repair)', async () => {
    const w = await worker('蒋春花');
    const r = await report(companies.A.token, { worker_id: w.id, category: 'breach', severity: 'minor', occurred: '2026-09-01', summary: '无故提前离岗' });
    assert.equal(r.status, 201, r.text);
    const d = await api().postJson(`/api/v1/records/${r.json.id}/decide`, { decision: 'dismiss', reason: '双方已协商解决' }, bearer(tokens.assoc));
    assert.equal(d.status, 200, d.text);
    assert.deepEqual((await cardJson(w.cardPath)).negative_records, []);
    expectError(await api().postJson(`/api/v1/records/${r.json.id}/appeal`, { reasons: '不应记录' }, bearer(w.token)), 409, 'wrong_state');

    const r2 = await report(companies.A.token, { worker_id: w.id, category: 'breach', severity: 'serious', occurred: '2026-09-05', summary: '多次违约' });
    const ok = await api().postJson(`/api/v1/records/${r2.json.id}/decide`, { decision: 'confirm', severity: 'minor', reason: '情节较轻' }, bearer(tokens.assoc));
    assert.equal(ok.status, 200, ok.text);
    const card = await cardJson(w.cardPath);
    assert.equal(card.negative_records.length, 1);
    assert.equal(card.negative_records[0].severity, 'minor', 'the office corrected the severity');
    sql(`UPDATE credit_records SET expires_at = 1000 WHERE id = ${r2.json.id}`);
    assert.deepEqual((await cardJson(w.cardPath)).negative_records, [], 'an expired record leaves public view');
    const own = (await api().get(`/api/v1/records/${r2.json.id}`, bearer(w.token))).json;
    assert.equal(own.status, 'expired');
  });

  test('offices record directly; positive records; the company concerned appeals', async () => {
    const w = await worker('龙小燕');
    const award = await report(tokens.yiyang, { worker_id: w.id, category: 'competition', occurred: '2026-08-08', summary: '益阳市家政技能大赛月嫂组一等奖' });
    assert.equal(award.status, 201, award.text);
    assert.equal(award.json.status, 'published');
    expectError(await report(tokens.changsha, { worker_id: w.id, category: 'award', occurred: '2026-08-08', summary: '表彰' }), 404, 'not_found');
    const records = (await api().get(`/api/v1/workers/${w.id}`, bearer(companies.A.token))).json.credit_records;
    assert.ok(records.some((x) => x.id === award.json.id && x.polarity === 'positive'), JSON.stringify(records));
    assert.deepEqual((await cardJson(w.cardPath)).negative_records, [], 'positive records are not negative ones');

    const aboutCompany = { company_id: 0, category: 'false_info', severity: 'serious', occurred: '2026-07-01', summary: '虚报从业人员持证情况' };
    const companyId = Number(sql(`SELECT id FROM companies WHERE uscc = '${companies.A.uscc}'`)[0]);
    expectError(await report(companies.B.token, { ...aboutCompany, company_id: companyId }), 403, 'forbidden');
    expectError(await report(tokens.changsha, { ...aboutCompany, company_id: companyId }), 403, 'out_of_scope');
    const rec = await report(tokens.yiyang, { ...aboutCompany, company_id: companyId });
    assert.equal(rec.status, 201, rec.text);
    assert.equal(rec.json.status, 'published');
    expectError(await api().postJson(`/api/v1/records/${rec.json.id}/appeal`, { reasons: '材料齐全' }, bearer(companies.B.token)), 404, 'not_found');
    const ap = await api().postJson(`/api/v1/records/${rec.json.id}/appeal`, { reasons: '已补交全部持证材料' }, bearer(companies.A.token));
    assert.equal(ap.status, 201, ap.text);
    const no = await api().postJson(`/api/v1/appeals/${ap.json.id}/decide`, { decision: 'reject', reason: '补交材料不能改变虚报事实' }, bearer(tokens.yiyang));
    assert.equal(no.status, 200, no.text);
    const shown = (await api().get(`/api/v1/records/${rec.json.id}`, bearer(companies.A.token))).json;
    assert.equal(shown.status, 'published');
    assert.equal(shown.appeals[0].status, 'rejected');
  });
});

describe('credit checks with the share code', () => {
  test('only with the right, unexpired code; logged for the worker; guesses are throttled', async () => {
    const w = await worker('彭桂英');
    const check = (token, code, id = w.idNumber) => api().postJson('/api/v1/credit-checks', { id_number: id, share_code: code }, bearer(token));
    expectError(await check(companies.D.token, 'ABCD-EFGH'), 404, 'not_found', 'share_code');
    // Without a code, other companies cannot open or find the worker.
    expectError(await api().get(`/api/v1/workers/${w.id}`, bearer(companies.D.token)), 404, 'not_found');
    expectError(await api().postJson('/api/v1/workers/lookup', { id_number: w.idNumber }, bearer(companies.D.token)), 404, 'not_found');
    const share = (await api().postJson('/api/v1/worker/share-code', {}, bearer(w.token))).json.share_code;
    expectError(await check(null, share), 401, 'unauthenticated');
    expectError(await check(tokens.yiyang, share), 403, 'forbidden');
    expectError(await check(companies.D.token, share, nextId()), 404, 'not_found');
    expectError(await check(companies.D.token, share, '430922198502301234'), 400, 'invalid_field', 'id_number');
    const ok = await check(companies.D.token, share);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.name, '彭桂英');
    assert.ok(!ok.text.includes(w.phone));
    const self = (await api().get('/api/v1/worker', bearer(w.token))).json;
    assert.ok(self.access_log.some((a) => a.what === 'credit_check' && a.viewer.includes(companies.D.name)), JSON.stringify(self.access_log));
    // Revoked: the code no longer works. Expired codes neither.
    assert.equal((await api().postJson('/api/v1/worker/share-code/revoke', {}, bearer(w.token))).status, 200);
    expectError(await check(companies.D.token, share), 404, 'not_found');
    const again = (await api().postJson('/api/v1/worker/share-code', {}, bearer(w.token))).json.share_code;
    sql(`UPDATE share_codes SET expires_at = 1000 WHERE worker_id = ${w.id}`);
    expectError(await check(companies.D.token, again), 404, 'not_found');
    // The employer may make one for its worker (many have no smartphone); others may not.
    const byEmployer = await api().postJson(`/api/v1/workers/${w.id}/share-code`, {}, bearer(companies.A.token));
    assert.equal(byEmployer.status, 201, byEmployer.text);
    expectError(await api().postJson(`/api/v1/workers/${w.id}/share-code`, {}, bearer(companies.D.token)), 404, 'not_found');
    // Ten wrong guesses in a quarter of an hour, then 429 even for the right code.
    for (let i = 0; i < 10; i++) await check(companies.C.token, 'ZZZZ-ZZZZ');
    expectError(await check(companies.C.token, byEmployer.json.share_code), 429, 'rate_limited');
  });
});

describe('background flags', () => {
  test('a company flag shows publicly only after the regulator in scope confirms it', async () => {
    const w = await worker('石秋菊');
    const flag = await api().postJson(`/api/v1/workers/${w.id}/background`, { status: 'flagged', source: '公安部门反馈' }, bearer(companies.A.token));
    assert.equal(flag.status, 200, flag.text);
    assert.equal((await cardJson(w.cardPath)).background.status, 'pending');
    const queue = (await api().get('/api/v1/regulator/credit', bearer(tokens.yiyang))).json;
    assert.ok(queue.background_flags.some((f) => f.worker_id === w.id), JSON.stringify(queue));
    const review = (token, body) => api().postJson(`/api/v1/workers/${w.id}/background/review`, body, bearer(token));
    const confirm = { decision: 'confirm', reason: '经公安部门核实' };
    expectError(await review(tokens.assoc, confirm), 403, 'forbidden');
    expectError(await review(companies.A.token, confirm), 403, 'forbidden');
    expectError(await review(tokens.changsha, confirm), 404, 'not_found');
    assert.equal((await review(tokens.yiyang, confirm)).status, 200);
    expectError(await review(tokens.yiyang, confirm), 409, 'wrong_state');
    assert.equal((await cardJson(w.cardPath)).background.status, 'flagged');
    assert.equal((await api().get(`/api/v1/workers/${w.id}`, bearer(companies.A.token))).json.background.confirmed, true);
  });
});

describe('report forms on the pages', () => {
  test('offices in scope get the report form on a company page; the public and other companies do not', async () => {
    const page = async (username, password) => {
      const c = new Client(srv.base);
      if (username) {
        const form = await c.get('/login');
        const r = await c.postForm('/login', { csrf: csrfFrom(form.text), username, password });
        assert.equal(r.status, 303, r.text);
      }
      return (await c.get(`/companies/${companies.A.uscc}`)).text;
    };
    const assocPassword = addUser('cr_assoc_page', 'association', ['--region', '430922']);
    const officePage = await page('cr_assoc_page', assocPassword);
    assert.match(officePage, /id="report-form"/);
    assert.match(officePage, /name="company_id"/);
    assert.doesNotMatch(await page(null), /id="report-form"/);
  });
});
