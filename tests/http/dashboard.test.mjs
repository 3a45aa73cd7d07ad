// Dashboards (issue #6) on SQLite or PostgreSQL (JZ_DB_KIND): the figures of a region and
// of its children checked against counts computed here with SQL, the incremental counts
// against `jiazheng stats rebuild`, scope (a county association sees its county only),
// the audited lists behind the figures, CSV and XLSX read back, and the public open data.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, startServer, addUser as addUserTo, apiLogin } from './lib.mjs';
import { uscc } from './codes.mjs';
import { dayOffset, nextId, nextPhone } from './ids.mjs';

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
let srv;
const api = () => new Client(srv.base);
const tokens = {};
const passwords = {};
const companies = {
  tj: { county: '430922', name: '桃江县仪表盘测试家政有限公司' },
  ah: { county: '430923', name: '安化县仪表盘测试家政有限公司' },
  ys: { county: '430104', name: '岳麓区仪表盘测试家政有限公司' },
};

const addUser = (username, role, extra) => addUserTo(srv, username, role, extra);
const login = (username, password) => apiLogin(srv, username, password);
async function pageLogin(username) {
  const c = api();
  const form = await c.get('/login');
  const r = await c.postForm('/login', { csrf: csrfFrom(form.text), username, password: passwords[username] });
  assert.equal(r.status, 303, r.text);
  return c;
}
/** Runs SQL with the engine's own client; returns the rows as arrays of strings. */
function sql(statement) {
  const r = srv.kind === 'pg'
    ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', srv.db, '-c', statement],
      { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 10000', srv.db, statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${statement}\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}
const one = (statement) => Number(sql(statement)[0][0]);

/** Independent counts for the counties whose codes start with `prefix`, in one query. */
function expected(prefix) {
  const cur = `FROM employments e JOIN companies c ON c.id = e.company_id JOIN workers w ON w.id = e.worker_id
    WHERE e.ended IS NULL AND c.county LIKE '${prefix}%'`;
  const month = new Date().toISOString().slice(0, 7);
  const counts = {
    companies_applied: `SELECT COUNT(*) FROM companies WHERE county LIKE '${prefix}%'`,
    companies_active: `SELECT COUNT(*) FROM companies WHERE status = 'active' AND county LIKE '${prefix}%'`,
    companies_suspended: `SELECT COUNT(*) FROM companies WHERE status = 'suspended' AND county LIKE '${prefix}%'`,
    workers_entered: `SELECT COUNT(*) ${cur}`,
    workers_verified: `SELECT COUNT(*) ${cur} AND w.id_check_method <> ''`,
    workers_consented: `SELECT COUNT(*) ${cur} AND w.consent_method <> ''`,
    workers_carded: `SELECT COUNT(*) ${cur} AND EXISTS (SELECT 1 FROM cards k WHERE k.worker_id = w.id AND k.status = 'active')`,
    checked_in: `SELECT COUNT(*) ${cur} AND EXISTS (SELECT 1 FROM checkins k WHERE k.worker_id = w.id AND k.month = '${month}')`,
    reviews: `SELECT COUNT(*) FROM reviews v JOIN companies c ON c.id = v.company_id WHERE v.status <> 'hidden' AND c.county LIKE '${prefix}%'`,
  };
  const row = sql(`SELECT ${Object.values(counts).map((q) => `(${q})`).join(', ')}`)[0];
  return Object.fromEntries(Object.keys(counts).map((k, i) => [k, Number(row[i])]));
}
function assertFigures(figures, prefix, what) {
  for (const [key, value] of Object.entries(expected(prefix)))
    assert.equal(figures[key], value, `${what}: ${key}`);
}

async function enrol(company, extra = {}) {
  const r = await api().postJson('/api/v1/workers', {
    name: '李秀英', id_number: extra.id ?? nextId({ region: '430922' }), phone: nextPhone(), ...extra.body,
  }, bearer(tokens[company]));
  assert.ok(r.status === 201 || r.status === 200, r.text);
  return r.json.id;
}
const action = (company, id, verb, body) =>
  api().postJson(`/api/v1/workers/${id}/${verb}`, body, bearer(tokens[company]));

before(async () => {
  srv = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
  for (const [key, c] of Object.entries(companies)) {
    c.uscc = uscc(c.county);
    const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', c.uscc, '--name', c.name, '--county', c.county]);
    assert.equal(r.status, 0, r.stderr);
    passwords[`dash_${key}`] = addUser(`dash_${key}`, 'company_admin', ['--company', c.uscc]);
    tokens[key] = await login(`dash_${key}`, passwords[`dash_${key}`]);
  }
  for (const [name, role, region] of [
    ['dash_reg_hunan', 'regulator', '430000'], ['dash_assoc_taojiang', 'association', '430922'],
    ['dash_reg_changsha', 'regulator', '430100'],
  ]) {
    passwords[name] = addUser(name, role, ['--region', region]);
    tokens[name] = await login(name, passwords[name]);
  }
  passwords.dash_admin = addUser('dash_admin', 'admin', []);
  tokens.dash_admin = await login('dash_admin', passwords.dash_admin);

  // A pending application in 南县 (430921).
  const app = await api().postJson('/api/v1/applications', {
    uscc: uscc('430921'), name: '南县申请中家政有限公司', legal_rep: '王五', address: '湖南省益阳市南县南洲镇1号',
    county: '430921', phone: '13800000001', service_types: ['cleaning'], commitment_by: '王五', commitment_accepted: true,
  });
  assert.equal(app.status, 201, app.text);

  // 桃江: three workers, one consented on paper and carded, one verified.
  const t1 = await enrol('tj', { body: { consent_date: dayOffset(-3) } });
  const t2 = await enrol('tj');
  const shared = nextId({ region: '430922' });
  const t3 = await enrol('tj', { id: shared });
  assert.equal((await action('tj', t1, 'card', {})).status, 201);
  assert.equal((await action('tj', t2, 'identity', { method: 'document' })).status, 200);
  // 安化: the shared worker (two employments, two counties), one more who leaves.
  await enrol('ah', { id: shared });
  const a2 = await enrol('ah');
  assert.equal((await action('ah', a2, 'end', {})).status, 200);
  await enrol('ah', { body: { consent_date: dayOffset(-1) } });
  // 岳麓区: one worker; the company checks in its workers, then is suspended.
  await enrol('ys');
  assert.equal((await api().postJson('/api/v1/company/checkin', {}, bearer(tokens.tj))).status, 200);
  const s = await api().postJson(`/api/v1/companies/${companies.ys.uscc}/suspend`, { reason: '测试暂停' },
    bearer(tokens.dash_reg_changsha));
  assert.equal(s.status, 200, s.text);
  void t3;
});
after(async () => {
  await srv?.stop();
});

describe('figures', () => {
  test('the province, its prefectures and a county add up to independent counts', async () => {
    const r = await api().get('/api/v1/dashboard/430000', bearer(tokens.dash_reg_hunan));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.region.name, '湖南省');
    assert.equal(r.json.counting, 'employments');
    assertFigures(r.json.figures, '43', '430000');
    assert.equal(r.json.children.length, 14);
    const yiyang = r.json.children.find((c) => c.code === '430900');
    assert.equal(yiyang.name, '益阳市');
    assertFigures(yiyang.figures, '4309', '430900');
    assertFigures(r.json.children.find((c) => c.code === '430100').figures, '4301', '430100');
    // Ranked by workers entered: 益阳 first, ranks 1..14.
    assert.equal(r.json.children[0].code, '430900');
    assert.deepEqual(r.json.children.map((c) => c.rank), [...Array(14).keys()].map((i) => i + 1));
    assert.equal(r.json.trend.length, 12);
    assert.equal(r.json.trend[11].workers_entered, r.json.figures.workers_entered);
    // The shared worker counts in both counties.
    assert.equal(r.json.figures.workers_entered, 6);
    assert.equal(r.json.figures.companies_suspended, 1);
    assert.equal(r.json.figures.workers_carded, 1);

    const p = await api().get('/api/v1/dashboard/430900?sort=workers_consented', bearer(tokens.dash_reg_hunan));
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.sort, 'workers_consented');
    for (const child of p.json.children) assertFigures(child.figures, child.code, child.code);
    const c = await api().get('/api/v1/dashboard/430922', bearer(tokens.dash_assoc_taojiang));
    assert.equal(c.status, 200, c.text);
    assert.deepEqual(c.json.children, []);
    assertFigures(c.json.figures, '430922', '430922');
    assert.equal(c.json.figures.checked_in, 3);
    assert.equal(c.json.figures.checkin_rate, 1);
  });

  test('incremental counts equal a full recount (readiness aside, which only the recount computes)', async () => {
    const cols = 'county, c_pending, c_active, c_rejected, c_suspended, c_revoked, w_entered, w_verified,'
      + ' w_consented, w_carded, reviews, review_points, neg_records, open_appeals';
    const nonzero = `SELECT ${cols} FROM region_stats WHERE c_pending + c_active + c_rejected + c_suspended + c_revoked`
      + ' + w_entered + reviews + neg_records + open_appeals > 0 ORDER BY county';
    const month = new Date().toISOString().slice(0, 7);
    const monthly = `SELECT county, checked_in FROM region_monthly WHERE month = '${month}' AND checked_in > 0 ORDER BY county`;
    const before = [sql(nonzero), sql(monthly)];
    const r = srv.run(['stats', 'rebuild', '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /recounted/);
    assert.deepEqual([sql(nonzero), sql(monthly)], before);
    assert.equal(one("SELECT COUNT(*) FROM audit_log WHERE action = 'stats.rebuild'") >= 1, true);
  });
});

describe('scope', () => {
  test('a county association sees its county only; others are refused', async () => {
    const assoc = bearer(tokens.dash_assoc_taojiang);
    for (const region of ['430923', '430900', '430000']) {
      const r = await api().get(`/api/v1/dashboard/${region}`, assoc);
      assert.equal(r.status, 403, region);
      assert.equal(r.json.code, 'out_of_scope');
    }
    const cs = await api().get('/api/v1/dashboard/430900', bearer(tokens.dash_reg_changsha));
    assert.equal(cs.json.code, 'out_of_scope');
    assert.equal((await api().get('/api/v1/dashboard/430000', bearer(tokens.dash_admin))).status, 200);
    // The platform admin sees the figures, not the named lists behind them.
    const adminList = await api().get('/api/v1/dashboard/430000/workers?stage=entered', bearer(tokens.dash_admin));
    assert.equal(adminList.status, 403, adminList.text);
    assert.equal(adminList.json.code, 'forbidden');
    const company = await api().get('/api/v1/dashboard/430922', bearer(tokens.tj));
    assert.equal(company.status, 403);
    assert.equal(company.json.code, 'forbidden');
    const anon = await api().get('/api/v1/dashboard/430922');
    assert.equal(anon.status, 401);
    for (const bad of ['999999', '43092', 'abc', '430922x']) {
      const r = await api().get(`/api/v1/dashboard/${bad}`, assoc);
      assert.equal(r.status, 400, bad);
      assert.equal(r.json.code, 'unknown_region');
      assert.equal(r.json.field, 'region');
    }
    assert.equal((await api().get('/api/v1/dashboard/430922?bogus=1', assoc)).json.code, 'unknown_field');
    // Pages: /dashboard opens the official's region.
    const page = await pageLogin('dash_assoc_taojiang');
    const home = await page.get('/dashboard');
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/dashboard/430922');
    assert.equal((await page.get('/dashboard/430923')).status, 403);
    assert.equal((await page.get('/dashboard/430923.csv')).status, 403);
  });

  test('the workers behind a figure: scoped and audited', async () => {
    const assoc = bearer(tokens.dash_assoc_taojiang);
    const r = await api().get('/api/v1/dashboard/430922/workers?stage=entered', assoc);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, expected('430922').workers_entered);
    const consented = await api().get('/api/v1/dashboard/430922/workers?stage=consented', assoc);
    assert.equal(consented.json.items.length, expected('430922').workers_consented);
    assert.equal(one("SELECT COUNT(*) FROM audit_log WHERE action = 'dashboard.workers' AND target = 'region:430922'"), 2);
    const out = await api().get('/api/v1/dashboard/430923/workers?stage=entered', assoc);
    assert.equal(out.json.code, 'out_of_scope');
    const bad = await api().get('/api/v1/dashboard/430922/workers?stage=hired', assoc);
    assert.equal(bad.json.code, 'invalid_field');
    const page = await pageLogin('dash_reg_hunan');
    const list = await page.get('/dashboard/430900/companies?status=active');
    assert.equal(list.status, 200);
    assert.ok(list.text.includes(companies.tj.name) && list.text.includes(companies.ah.name));
    assert.ok(!list.text.includes(companies.ys.name));
  });
});

describe('pages and exports', () => {
  test('the province page: SVG charts, ranked table, links to the lists', async () => {
    const page = await pageLogin('dash_reg_hunan');
    const r = await page.get('/dashboard/430000');
    assert.equal(r.status, 200);
    assert.ok(!/<script/i.test(r.text));
    assert.equal((r.text.match(/<svg /g) || []).length, 3);
    assert.match(r.text, /<title>服务员录入漏斗<\/title>/);
    assert.match(r.text, /href="\/dashboard\/430900"/);
    assert.match(r.text, /href="\/dashboard\/430000\/workers\?stage=ready"/);
    const sorted = await page.get('/dashboard/430000?sort=companies_suspended');
    const firstRow = sorted.text.match(/<tbody><tr data-code="(\d+)">/)[1];
    assert.equal(firstRow, '430100');
  });

  test('CSV with a BOM and Chinese names, read back', async () => {
    const page = await pageLogin('dash_reg_hunan');
    const r = await page.get('/dashboard/430000.csv');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /dashboard-430000\.csv/);
    const buf = Buffer.from(await (await fetch(`${srv.base}/open-data/430000.csv`)).arrayBuffer());
    assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows = r.text.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    assert.equal(rows[0][1], '地区');
    const yiyang = rows.find((row) => row[0] === '430900');
    assert.equal(yiyang[1], '益阳市');
    const header = rows[0];
    assert.equal(Number(yiyang[header.indexOf('已录入')]), expected('4309').workers_entered);
    assert.equal(rows.length, 1 + 14 + 1);
    assert.match(rows[15][1], /湖南省/);
    const months = await page.get('/dashboard/430000.csv?table=months');
    assert.equal(months.text.replace(/^\uFEFF/, '').trim().split('\r\n').length, 13);
  });

  test('XLSX read back with unzip', async () => {
    const res = await fetch(`${srv.base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'dash_reg_hunan', password: passwords.dash_reg_hunan }) });
    const cookie = res.headers.get('set-cookie').split(';')[0];
    const x = await fetch(`${srv.base}/dashboard/430900.xlsx`, { headers: { cookie } });
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-xlsx-'));
    const file = path.join(dir, 'd.xlsx');
    fs.writeFileSync(file, Buffer.from(await x.arrayBuffer()));
    const unzip = (member) => {
      const u = spawnSync('unzip', ['-p', file, member], { encoding: 'utf8' });
      assert.equal(u.status, 0, u.stderr);
      return u.stdout;
    };
    const strings = [...unzip('xl/sharedStrings.xml').matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
    for (const name of ['桃江县', '安化县', '区划代码', '已录入', '月份'])
      assert.ok(strings.includes(name), name);
    // The 桃江 row: its code, its name, then the figures as numbers.
    const sheet = unzip('xl/worksheets/sheet1.xml');
    const rows = [...sheet.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((m) =>
      [...m[1].matchAll(/<c r="[A-Z]+\d+"( [^>]*)?>(?:<v>([^<]*)<\/v>)?<\/c>/g)].map((c) =>
        (c[1] || '').includes('t="s"') ? strings[Number(c[2])] : c[2]));
    const taojiang = rows.find((row) => row[1] === '桃江县');
    assert.ok(taojiang, sheet.slice(0, 500));
    assert.equal(Number(taojiang[2 + 3]), expected('430922').workers_entered);
    assert.ok(unzip('xl/workbook.xml').includes('月度趋势'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('open data: the same figures for anyone, nothing below the region', async () => {
    const r = await api().get('/api/v1/open-data/430000');
    assert.equal(r.status, 200, r.text);
    const official = await api().get('/api/v1/dashboard/430000', bearer(tokens.dash_reg_hunan));
    assert.deepEqual(r.json.figures, official.json.figures);
    const page = await api().get('/open-data/430900');
    assert.equal(page.status, 200);
    for (const c of Object.values(companies)) assert.ok(!page.text.includes(c.name));
    assert.ok(!page.text.includes('/workers'));
    assert.ok(!page.text.includes('李秀英'));
    assert.match(page.text, /桃江县/);
    const home = await api().get('/open-data');
    assert.match(home.text, /href="\/open-data\/430000"/);
    assert.equal((await api().get('/api/v1/open-data/000000')).json.code, 'unknown_region');
  });
});

describe('the daily recount', () => {
  test('serve starts it in a process of its own; `stats refresh` runs it once a day', async () => {
    const fresh = await startServer({ kind: process.env.JZ_DB_KIND || 'sqlite' });
    try {
      const query = (statement) => fresh.kind === 'pg'
        ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-d', fresh.db, '-c', statement], { encoding: 'utf8' }).stdout.trim()
        : spawnSync('sqlite3', ['-cmd', '.timeout 10000', fresh.db, statement], { encoding: 'utf8' }).stdout.trim();
      let on = '';
      for (let i = 0; i < 150 && !on; i++) {
        on = query('SELECT rebuilt_on FROM stats_meta WHERE id = 1');
        if (!on) await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(on, /^\d{4}-\d{2}-\d{2}$/, 'the recount ran at serve start, beside the server');
      const again = fresh.run(['stats', 'refresh', '--db', fresh.db]);
      assert.equal(again.status, 0, again.stderr);
      assert.equal(again.stdout, 'region figures already recounted today\n');
      if (fresh.kind === 'pg') {
        // Every serve node starts the recount: one that finds another node's recount of
        // the day under way waits for it and then skips its own.
        query("UPDATE stats_meta SET rebuilt_on = '2000-01-01'");
        const other = spawn('psql', ['-X', '-q', '-d', fresh.db, '-c',
          `BEGIN; UPDATE stats_meta SET rebuilt_on = '${on}'; SELECT pg_sleep(3); COMMIT;`]);
        const done = new Promise((resolve) => other.on('exit', resolve));
        while (query("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND wait_event = 'PgSleep'") !== '1') {
          await new Promise((r) => setTimeout(r, 50));
        }
        const waited = fresh.run(['stats', 'refresh', '--db', fresh.db]);
        assert.equal(await done, 0);
        assert.equal(waited.status, 0, waited.stderr);
        assert.equal(waited.stdout, 'region figures already recounted today\n');
      }
      const bad = fresh.run(['stats', 'reload', '--db', fresh.db]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /expected 'rebuild' or 'refresh'/);
    } finally {
      await fresh.stop();
    }
  });
});
