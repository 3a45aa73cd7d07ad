// Company governance on SQLite or PostgreSQL (JZ_DB_KIND): regulators suspend, reinstate
// and revoke companies in their region (and every other role is refused), designations of
// 诚信示范企业 and 标杆企业, the company rating with its reasons on the public page and in
// the API, and the public dishonesty list (失信名单) with workers masked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, startServer, addUser as addUserTo, apiLogin } from './lib.mjs';
import { uscc } from './codes.mjs';
import { nextId, nextPhone } from './ids.mjs';

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
const THIS_YEAR = new Date().getFullYear();
let srv;
const api = () => new Client(srv.base);
const tokens = {};
const passwords = {};
const companies = {
  a: { county: '430922', name: '桃江县诚信家政服务有限公司' },
  b: { county: '430922', name: '桃江县暂停测试家政有限公司' },
  c: { county: '430923', name: '安化县撤销测试家政有限公司' },
  d: { county: '430922', name: '桃江县示范评定家政有限公司' },
};

const addUser = (username, role, extra) => addUserTo(srv, username, role, extra);
const login = (username, password) => apiLogin(srv, username, password);
/** Signs in through the /login page; returns the client (cookies) for page tests. */
async function pageLogin(username) {
  const c = api();
  const form = await c.get('/login');
  const r = await c.postForm('/login', { csrf: csrfFrom(form.text), username, password: passwords[username] });
  assert.equal(r.status, 303, r.text);
  return c;
}

// SQL only where time must pass (an expired record) or to read what the store wrote.
function sql(statement) {
  const r = srv.kind === 'pg'
    ? spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', srv.db, '-c', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 10000', srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${statement}\n${r.stderr}`);
}
const now = () => Math.floor(Date.now() / 1000);
/** A negative record through the reporting flow: the 益阳 regulator records it (published at
 * once), or with `reportedBy` a company reports it and nobody decides yet. Returns its id. */
async function publishRecord({ workerId, companyId, category, severity, reportedBy, expired = false }) {
  const body = { category, severity, occurred: '2025-01-02', summary: '测试记录',
    ...(workerId ? { worker_id: workerId } : { company_id: companyId }) };
  const r = await api().postJson('/api/v1/records', body, bearer(reportedBy ? tokens[reportedBy] : tokens.gov_reg_yiyang));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, reportedBy ? 'reported' : 'published');
  if (expired) sql(`UPDATE credit_records SET expires_at = ${now() - 60} WHERE id = ${r.json.id}`);
  return r.json.id;
}

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  for (const [key, c] of Object.entries(companies)) {
    c.uscc = uscc(c.county);
    const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', c.uscc, '--name', c.name, '--county', c.county]);
    assert.equal(r.status, 0, r.stderr);
    passwords[`gov_admin_${key}`] = addUser(`gov_admin_${key}`, 'company_admin', ['--company', c.uscc]);
    tokens[key] = await login(`gov_admin_${key}`, passwords[`gov_admin_${key}`]);
  }
  for (const [name, role, region] of [
    ['gov_reg_yiyang', 'regulator', '430900'], ['gov_reg_changsha', 'regulator', '430100'],
    ['gov_assoc_yiyang', 'association', '430900'], ['gov_assoc_changsha', 'association', '430100'],
  ]) {
    passwords[name] = addUser(name, role, ['--region', region]);
    tokens[name] = await login(name, passwords[name]);
  }
  // The public JSON has no company number; the officials' list has.
  const list = await api().get('/api/v1/regulator/companies?limit=200', bearer(tokens.gov_reg_yiyang));
  for (const c of Object.values(companies)) c.id = list.json.items.find((i) => i.uscc === c.uscc).id;
});

after(async () => {
  if (srv) await srv.stop();
});

async function enrol(companyKey, name = '欧阳秀芳') {
  const phone = nextPhone();
  const id = nextId();
  const w = await api().postJson('/api/v1/workers', { name, id_number: id, phone }, bearer(tokens[companyKey]));
  assert.equal(w.status, 201, w.text);
  return { id: w.json.id, idNumber: id, phone, name };
}
const govern = (key, verb, body, token) =>
  api().postJson(`/api/v1/companies/${companies[key].uscc}/${verb}`, body, token ? bearer(token) : {});

describe('suspend, reinstate, revoke', () => {
  test('every role but the regulator in scope is refused, and reasons are checked', async () => {
    const cases = [
      [undefined, 401, 'unauthenticated'],
      [() => tokens.b, 403, 'forbidden'],
      [() => tokens.a, 403, 'forbidden'],
      [() => tokens.gov_assoc_yiyang, 403, 'forbidden'],
      [() => tokens.gov_reg_changsha, 403, 'out_of_scope'],
    ];
    for (const verb of ['suspend', 'reinstate', 'revoke']) {
      for (const [token, status, code] of cases) {
        const r = await govern('b', verb, { reason: '经营异常，责令整改' }, token && token());
        assert.equal(r.status, status, `${verb}: ${r.text}`);
        assert.equal(r.json.code, code);
      }
    }
    let r = await govern('b', 'suspend', {}, tokens.gov_reg_yiyang);
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'missing_field');
    assert.equal(r.json.field, 'reason');
    r = await govern('b', 'suspend', { reason: '差' }, tokens.gov_reg_yiyang);
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'invalid_field');
    assert.equal(r.json.field, 'reason');
    r = await govern('b', 'suspend', { reason: '很'.repeat(501) }, tokens.gov_reg_yiyang);
    assert.equal(r.json.field, 'reason');
    r = await govern('b', 'suspend', { reason: 5 }, tokens.gov_reg_yiyang);
    assert.equal(r.status, 400);
    assert.equal(r.json.field, 'reason');
    r = await govern('b', 'suspend', { reason: '理由充分', extra: 1 }, tokens.gov_reg_yiyang);
    assert.equal(r.json.code, 'unknown_field');
    r = await api().postJson('/api/v1/companies/999999/suspend', { reason: '没有这家' }, bearer(tokens.gov_reg_yiyang));
    assert.equal(r.status, 404);
    // Nothing changed.
    assert.equal((await api().get(`/api/v1/companies/${companies.b.uscc}`)).json.status, 'active');
  });

  test('a suspended company is shown with its reason and cannot do business until reinstated', async () => {
    const before = await enrol('b', '李春兰');
    const r = await govern('b', 'suspend', { reason: '未按规定为服务员投保，责令整改' }, tokens.gov_reg_yiyang);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'suspended');
    assert.equal(r.json.status_reason, '未按规定为服务员投保，责令整改');
    const twice = await govern('b', 'suspend', { reason: '再次暂停' }, tokens.gov_reg_yiyang);
    assert.equal(twice.status, 409);
    assert.equal(twice.json.code, 'wrong_state');

    // The register: not in the search, but the page and the API say 已暂停 with the reason.
    const pub = await api().get(`/api/v1/companies/${companies.b.uscc}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.json.status, 'suspended');
    assert.equal(pub.json.status_reason, '未按规定为服务员投保，责令整改');
    assert.equal(pub.json.rating.grade, 'D');
    assert.equal(pub.json.rating.inactive, true);
    const search = await api().get(`/api/v1/companies?q=${encodeURIComponent(companies.b.name)}`);
    assert.equal(search.json.total, 0);
    const page = await api().get(`/companies/${companies.b.uscc}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /已暂停/);
    assert.match(page.text, /未按规定为服务员投保，责令整改/);
    const en = await api().get(`/companies/${companies.b.id}?lang=en`);
    assert.match(en.text, /Suspended/);
    assert.match(en.text, /Reason: /);

    // Its accounts cannot enrol, issue cards, attest check-ins or record services.
    const w = await api().postJson('/api/v1/workers', { name: '王秀英', id_number: nextId() }, bearer(tokens.b));
    assert.equal(w.status, 403, w.text);
    assert.equal(w.json.code, 'forbidden');
    assert.match(w.json.detail, /暂停/);
    const card = await api().postJson(`/api/v1/workers/${before.id}/card`, {}, bearer(tokens.b));
    assert.equal(card.status, 403, card.text);
    const checkin = await api().postJson('/api/v1/company/checkin', {}, bearer(tokens.b));
    assert.equal(checkin.status, 403, checkin.text);
    const service = await api().postJson(`/api/v1/workers/${before.id}/services`, { service_type: 'cleaning', county: '430922' },
      bearer(tokens.b));
    assert.equal(service.status, 403, service.text);
    const check = await api().postJson('/api/v1/credit-checks', { id_number: before.idNumber, share_code: 'ABCD-EFGH' },
      bearer(tokens.b));
    assert.equal(check.status, 403, check.text);

    const back = await govern('b', 'reinstate', { reason: '已整改完毕，恢复经营' }, tokens.gov_reg_yiyang);
    assert.equal(back.status, 200, back.text);
    assert.equal(back.json.status, 'active');
    const again = await govern('b', 'reinstate', { reason: '再次恢复' }, tokens.gov_reg_yiyang);
    assert.equal(again.json.code, 'wrong_state');
    const enrolled = await api().postJson('/api/v1/workers', { name: '王秀英', id_number: nextId() }, bearer(tokens.b));
    assert.equal(enrolled.status, 201, enrolled.text);
    assert.equal((await api().get(`/api/v1/companies?q=${encodeURIComponent(companies.b.name)}`)).json.total, 1);
  });

  test('revocation is final; the regulator lists the region\'s companies by status', async () => {
    const r = await govern('c', 'revoke', { reason: '以欺骗手段取得准入，撤销' }, tokens.gov_reg_yiyang);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'revoked');
    for (const verb of ['reinstate', 'suspend', 'revoke']) {
      const x = await govern('c', verb, { reason: '再次处理' }, tokens.gov_reg_yiyang);
      assert.equal(x.status, 409, verb);
      assert.equal(x.json.code, 'wrong_state');
    }
    const page = await api().get(`/companies/${companies.c.uscc}`);
    assert.match(page.text, /已撤销/);
    assert.match(page.text, /以欺骗手段取得准入，撤销/);
    const enrol = await api().postJson('/api/v1/workers', { name: '王秀英', id_number: nextId() }, bearer(tokens.c));
    assert.equal(enrol.status, 403);

    const list = await api().get('/api/v1/regulator/companies?status=revoked', bearer(tokens.gov_reg_yiyang));
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.items.map((c) => c.uscc), [companies.c.uscc]);
    const other = await api().get('/api/v1/regulator/companies?status=revoked', bearer(tokens.gov_reg_changsha));
    assert.equal(other.json.total, 0);
    assert.equal((await api().get('/api/v1/regulator/companies', bearer(tokens.a))).status, 403);
    assert.equal((await api().get('/api/v1/regulator/companies')).status, 401);
    const bad = await api().get('/api/v1/regulator/companies?status=gone', bearer(tokens.gov_reg_yiyang));
    assert.equal(bad.json.field, 'status');
  });

  test('pages: the regulator in scope gets the forms (CSRF), others do not', async () => {
    const reg = await pageLogin('gov_reg_yiyang');
    const show = await reg.get(`/companies/${companies.b.uscc}`);
    assert.match(show.text, /action="\/companies\/[0-9A-Z]{18}\/suspend"/);
    assert.doesNotMatch(show.text, /\/reinstate"/);
    const bad = await reg.postForm(`/companies/${companies.b.uscc}/suspend`, { reason: '没有表单令牌' });
    assert.equal(bad.status, 403);
    const ok = await reg.postForm(`/companies/${companies.b.uscc}/suspend`,
      { csrf: csrfFrom(show.text), reason: '投诉集中，暂停待查' });
    assert.equal(ok.status, 303, ok.text);
    assert.equal(ok.headers.get('location'), `/companies/${companies.b.uscc}`);
    const after = await reg.get(`/companies/${companies.b.uscc}`);
    assert.match(after.text, /投诉集中，暂停待查/);
    assert.match(after.text, /\/reinstate"/);
    const short = await reg.postForm(`/companies/${companies.b.uscc}/reinstate`, { csrf: csrfFrom(after.text), reason: 'x' });
    assert.equal(short.status, 400);
    const back = await reg.postForm(`/companies/${companies.b.uscc}/reinstate`,
      { csrf: csrfFrom(after.text), reason: '查无实据，恢复' });
    assert.equal(back.status, 303);
    const list = await reg.get('/regulator/companies?status=active');
    assert.match(list.text, new RegExp(companies.b.name));

    for (const who of ['gov_reg_changsha', 'gov_assoc_yiyang', 'gov_admin_a']) {
      const c = await pageLogin(who);
      const p = await c.get(`/companies/${companies.a.uscc}`);
      assert.doesNotMatch(p.text, /\/suspend"/, who);
      const r = await c.postForm(`/companies/${companies.a.uscc}/suspend`, { csrf: csrfFrom(p.text), reason: '越权暂停' });
      assert.equal(r.status, 403, who);
    }
    const anon = api();
    const p = await anon.get('/login');
    const r = await anon.postForm(`/companies/${companies.a.uscc}/suspend`, { csrf: csrfFrom(p.text), reason: '匿名暂停' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/login');
  });
});

describe('designations', () => {
  const designate = (body, token, key = 'd') =>
    api().postJson(`/api/v1/companies/${companies[key].uscc}/designations`, body, token ? bearer(token) : {});

  test('regulators name model companies, associations benchmark companies, in scope, once a year', async () => {
    let r = await designate({ year: THIS_YEAR, issuer: '益阳市商务局' }, tokens.gov_reg_yiyang);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.kind, 'model');
    const modelId = r.json.id;
    r = await designate({ kind: 'model', year: String(THIS_YEAR), issuer: '益阳市商务局' }, tokens.gov_reg_yiyang);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.code, 'duplicate_designation');
    r = await designate({ year: THIS_YEAR, issuer: '益阳市家庭服务业协会' }, tokens.gov_assoc_yiyang);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.kind, 'benchmark');

    const refused = [
      [{ year: THIS_YEAR, issuer: '长沙市商务局' }, undefined, 401, 'unauthenticated'],
      [{ year: THIS_YEAR, issuer: '本企业' }, tokens.d, 403, 'forbidden'],
      [{ kind: 'model', year: THIS_YEAR - 1, issuer: '益阳市家庭服务业协会' }, tokens.gov_assoc_yiyang, 403, 'forbidden'],
      [{ kind: 'benchmark', year: THIS_YEAR - 1, issuer: '益阳市商务局' }, tokens.gov_reg_yiyang, 403, 'forbidden'],
      [{ year: THIS_YEAR - 1, issuer: '长沙市商务局' }, tokens.gov_reg_changsha, 403, 'out_of_scope'],
      [{ year: THIS_YEAR - 1, issuer: '长沙市家协' }, tokens.gov_assoc_changsha, 403, 'out_of_scope'],
      [{ year: 1999, issuer: '益阳市商务局' }, tokens.gov_reg_yiyang, 400, 'invalid_field', 'year'],
      [{ year: 'last', issuer: '益阳市商务局' }, tokens.gov_reg_yiyang, 400, 'invalid_field', 'year'],
      [{ issuer: '益阳市商务局' }, tokens.gov_reg_yiyang, 400, 'missing_field', 'year'],
      [{ year: THIS_YEAR - 1 }, tokens.gov_reg_yiyang, 400, 'missing_field', 'issuer'],
      [{ year: THIS_YEAR - 1, issuer: '局' }, tokens.gov_reg_yiyang, 400, 'invalid_field', 'issuer'],
      [{ kind: 'gold', year: THIS_YEAR - 1, issuer: '益阳市商务局' }, tokens.gov_reg_yiyang, 400, 'invalid_field', 'kind'],
    ];
    for (const [body, token, status, code, field] of refused) {
      const x = await designate(body, token);
      assert.equal(x.status, status, `${JSON.stringify(body)}: ${x.text}`);
      assert.equal(x.json.code, code);
      if (field) assert.equal(x.json.field, field);
    }
    // Only active companies.
    const revoked = await designate({ year: THIS_YEAR, issuer: '益阳市商务局' }, tokens.gov_reg_yiyang, 'c');
    assert.equal(revoked.status, 409);
    assert.equal(revoked.json.code, 'wrong_state');

    // Shown with year and issuer, and counted in the rating.
    const pub = await api().get(`/api/v1/companies/${companies.d.uscc}`);
    assert.deepEqual(pub.json.designations.map((d) => [d.kind, d.year, d.issuer]).sort(),
      [['benchmark', THIS_YEAR, '益阳市家庭服务业协会'], ['model', THIS_YEAR, '益阳市商务局']]);
    const crit = pub.json.rating.criteria.find((c) => c.code === 'designations');
    assert.equal(crit.points, 15);
    const page = await api().get(`/companies/${companies.d.uscc}`);
    assert.match(page.text, new RegExp(`${THIS_YEAR} 年度诚信示范企业 · 益阳市商务局`));
    assert.match(page.text, /标杆企业 · 益阳市家庭服务业协会/);

    // Withdrawal: by the kind of office that gave it, in scope, once.
    r = await api().postJson(`/api/v1/designations/${modelId}/withdraw`, {}, bearer(tokens.gov_assoc_yiyang));
    assert.equal(r.status, 403);
    r = await api().postJson(`/api/v1/designations/${modelId}/withdraw`, {}, bearer(tokens.gov_reg_changsha));
    assert.equal(r.json.code, 'out_of_scope');
    r = await api().postJson(`/api/v1/designations/${modelId}/withdraw`, {}, bearer(tokens.d));
    assert.equal(r.status, 403);
    r = await api().postJson(`/api/v1/designations/${modelId}/withdraw`, {});
    assert.equal(r.status, 401);
    r = await api().postJson(`/api/v1/designations/${modelId}/withdraw`, {}, bearer(tokens.gov_reg_yiyang));
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.withdrawn > 0);
    r = await api().postJson(`/api/v1/designations/${modelId}/withdraw`, {}, bearer(tokens.gov_reg_yiyang));
    assert.equal(r.json.code, 'wrong_state');
    const later = await api().get(`/api/v1/companies/${companies.d.uscc}`);
    assert.deepEqual(later.json.designations.map((d) => d.kind), ['benchmark']);
    // The same year may be designated again after a withdrawal.
    r = await designate({ year: THIS_YEAR, issuer: '益阳市商务局' }, tokens.gov_reg_yiyang);
    assert.equal(r.status, 201, r.text);
  });

  test('pages: the association designates and withdraws with forms', async () => {
    const assoc = await pageLogin('gov_assoc_yiyang');
    const show = await assoc.get(`/companies/${companies.a.uscc}`);
    assert.match(show.text, /评定为标杆企业/);
    const r = await assoc.postForm(`/companies/${companies.a.uscc}/designations`,
      { csrf: csrfFrom(show.text), year: String(THIS_YEAR - 1), issuer: '益阳市家庭服务业协会' });
    assert.equal(r.status, 303, r.text);
    const after = await assoc.get(r.headers.get('location'));
    const m = after.text.match(/action="\/designations\/(\d+)\/withdraw"/);
    assert.ok(m, 'withdraw form');
    const w = await assoc.postForm(`/designations/${m[1]}/withdraw`, { csrf: csrfFrom(after.text) });
    assert.equal(w.status, 303);
    const gone = await assoc.get(`/companies/${companies.a.uscc}`);
    assert.doesNotMatch(gone.text, /withdraw"/);
  });
});

describe('rating and the dishonesty list', () => {
  test('the rating is shown with each criterion, its value and points, in Chinese and English', async () => {
    // A company with too few workers is rated on its reviews: 3.0 without any → 50, C.
    const fresh = await api().get(`/api/v1/companies/${companies.a.uscc}`);
    const rating = fresh.json.rating;
    assert.equal(rating.grade, 'C');
    assert.equal(rating.score, 50);
    assert.equal(rating.few_workers, true);
    assert.deepEqual(rating.criteria.map((c) => c.code),
      ['cards', 'ready', 'checkins', 'reviews', 'designations', 'company_records', 'worker_records']);
    assert.equal(rating.criteria.find((c) => c.code === 'cards').applies, false);

    // Five workers, two carded, everyone attested this month.
    const ws = [];
    for (let i = 0; i < 5; i++) ws.push(await enrol('a', '张桂芳'));
    for (const w of ws.slice(0, 2)) {
      const code = await api().postJson(`/api/v1/workers/${w.id}/consent-code`, {}, bearer(tokens.a));
      const c = await api().postJson('/api/v1/consent', { code: code.json.code, phone: w.phone, password: 'gov-pass-1' });
      assert.equal(c.status, 200, c.text);
      const card = await api().postJson(`/api/v1/workers/${w.id}/card`, {}, bearer(tokens.a));
      assert.equal(card.status, 201, card.text);
    }
    assert.equal((await api().postJson('/api/v1/company/checkin', {}, bearer(tokens.a))).status, 200);
    const r = (await api().get(`/api/v1/companies/${companies.a.uscc}`)).json.rating;
    assert.equal(r.few_workers, false);
    assert.equal(r.inputs.employed, 5);
    assert.equal(r.inputs.carded, 2);
    assert.equal(r.inputs.checked_in, 5);
    const points = Object.fromEntries(r.criteria.map((c) => [c.code, c.points]));
    assert.equal(points.cards, 8); // 2 of 5 × 20
    assert.equal(points.checkins, 20);
    assert.equal(points.reviews, 15);
    const sum = r.criteria.reduce((s, c) => s + (c.applies ? c.points : 0), 0);
    assert.ok(Math.abs(sum - r.score) < 0.05, `${sum} vs ${r.score}`);

    const zh = await api().get(`/companies/${companies.a.uscc}`);
    assert.match(zh.text, /企业信用等级/);
    assert.match(zh.text, new RegExp(`id="grade" class="grade-${r.grade}">${r.grade}<`));
    assert.match(zh.text, /在职服务员持卡（诚信一卡通）比例<\/td><td>2 \/ 5 人（40%）<\/td><td>8\.0 \/ 20/);
    const en = await api().get(`/companies/${companies.a.uscc}?lang=en`);
    assert.match(en.text, /Credit rating/);
    assert.match(en.text, /Workers with a card<\/td><td>2 \/ 5/);
    const enJson = await api().get(`/api/v1/companies/${companies.a.uscc}`, { headers: { 'Accept-Language': 'en' } });
    assert.equal(enJson.json.rating.criteria[0].name, 'Workers with a card');

    // Confirmed records: about a worker count against the company; a grave one about it is D.
    await publishRecord({ workerId: ws[0].id, category: 'breach', severity: 'minor' });
    let after = (await api().get(`/api/v1/companies/${companies.a.uscc}`)).json.rating;
    assert.equal(after.inputs.worker_negative, 1);
    assert.equal(after.criteria.find((c) => c.code === 'worker_records').points, -3);
    await publishRecord({ companyId: companies.a.id, category: 'fraud', severity: 'grave' });
    after = (await api().get(`/api/v1/companies/${companies.a.uscc}`)).json.rating;
    assert.equal(after.grave, true);
    assert.equal(after.grade, 'D');
  });

  test('the dishonesty list: companies by name and code, workers masked, by region, with disputes', async () => {
    const w = await enrol('d', '欧阳秀芳');
    await publishRecord({ workerId: w.id, category: 'theft', severity: 'grave' });
    const falseInfo = await publishRecord({ companyId: companies.d.id, category: 'false_info', severity: 'serious' });
    // Not listed: reported only, expired (credit repair done), another region's filter.
    await publishRecord({ workerId: w.id, category: 'fraud', severity: 'serious', reportedBy: 'd' });
    await publishRecord({ companyId: companies.d.id, category: 'breach', severity: 'minor', expired: true });
    const appeal = await api().postJson(`/api/v1/records/${falseInfo}/appeal`, { reasons: '事实不符' }, bearer(tokens.d));
    assert.equal(appeal.status, 201, appeal.text);

    const all = await api().get('/api/v1/dishonesty?region=430922');
    assert.equal(all.status, 200, all.text);
    const texts = JSON.stringify(all.json);
    assert.ok(!texts.includes(w.idNumber), 'no ID number');
    assert.ok(!texts.includes(w.phone), 'no phone');
    assert.ok(!texts.includes('欧阳秀芳'), 'no full name');
    const worker = all.json.items.find((i) => i.about === 'worker' && i.category === 'theft');
    assert.deepEqual(worker.worker, { name: '欧**芳' });
    assert.equal(worker.county, '430922');
    assert.equal(worker.severity, 'grave');
    assert.equal(worker.id, undefined);
    const company = all.json.items.find((i) => i.about === 'company' && i.category === 'false_info');
    assert.deepEqual(company.company, { name: companies.d.name, uscc: companies.d.uscc });
    assert.equal(company.disputed, true);
    assert.match(company.published, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(company.expires, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(!all.json.items.some((i) => i.category === 'fraud' && i.about === 'worker'), 'reported records stay out');
    assert.ok(!all.json.items.some((i) => i.category === 'breach' && i.about === 'company'), 'expired records stay out');
    assert.equal(all.json.total, all.json.items.length);

    assert.equal((await api().get('/api/v1/dishonesty?region=430100')).json.total, 0);
    assert.ok((await api().get('/api/v1/dishonesty?region=430000')).json.total >= 2);
    const paged = await api().get('/api/v1/dishonesty?limit=1&offset=1');
    assert.equal(paged.json.items.length, 1);
    const bad = await api().get('/api/v1/dishonesty?region=999999');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 'unknown_region');
    assert.equal(bad.json.field, 'region');

    const page = await api().get('/dishonesty?region=430922');
    assert.equal(page.status, 200);
    assert.match(page.text, /失信名单/);
    assert.match(page.text, /欧\*\*芳/);
    assert.match(page.text, /有异议/);
    assert.match(page.text, new RegExp(companies.d.uscc));
    assert.ok(!page.text.includes('欧阳秀芳') && !page.text.includes(w.idNumber) && !page.text.includes(w.phone));
    const en = await api().get('/dishonesty?lang=en');
    assert.match(en.text, /Dishonesty list/);
    assert.match(en.text, /disputed/);
    assert.match((await api().get('/')).text, /href="\/dishonesty"/);

    // The company's own records on its page and in its JSON.
    const pub = await api().get(`/api/v1/companies/${companies.d.uscc}`);
    assert.deepEqual(pub.json.negative_records.map((r) => [r.category, r.severity, r.disputed]),
      [['false_info', 'serious', true]]);
    const cp = await api().get(`/companies/${companies.d.uscc}`);
    assert.match(cp.text, /提供虚假信息/);
  });
});
