// The SQL injection scan (`make security-scan`, issue #7): sqlmap against every declared
// parameter and every path segment of every route of a running server.
//
//   node scripts/security-scan.mjs --kind sqlite|pg [--out DIR] [--level N] [--risk N]
//        [--jobs N] [--only REGEX]
//
// Targets come from `jiazheng routes` (the route table itself), so a new route or
// parameter is scanned without touching this file. A target is one (route, parameter):
// a query parameter, a form field (urlencoded, or multipart on upload routes), a JSON
// member (a `*` marker inside the JSON body) or a path segment (a `*` marker in the URL).
//
// Each target runs against a fresh copy of one prepared database (demo data, an account
// of each role signed in, and fixtures: a worker with a card, a service, a review, a
// credit record with evidence and an appeal, a designation), on a server of its own, so
// the payloads of one target (which may end an employment or revoke a company at risk 3)
// never hide the handlers of the next. Before sqlmap runs, the baseline request is sent
// with each role's session in turn; the target uses the first role that the handler does
// not refuse (401, 403, a redirect to sign-in). A target that no role reaches counts as
// a failure: a scan that never reached the handler proves nothing.
//
// Prints one line per target (route, parameter, role, verdict) and `N targets, N
// injectable`; exits 1 when a target is injectable, unreached, got a 5xx, crashed the
// server, or sqlmap gave no verdict. ENV: JZ_BIN (default build/jiazheng), JZ_PG_URL (pg).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binPath, Client, freePort, ROOT, rootUser } from '../tests/http/lib.mjs';
import { dayOffset, idNumber } from '../tests/http/ids.mjs';

const args = parseArgs(process.argv.slice(2));
const KIND = args.kind || 'sqlite';
// sqlmap's --level 3 (also tests the parameters with more boundaries and payloads than
// the default 1) and --risk 2 (adds heavy time-based queries): what a full scan can
// afford on the 2-core machine. 5 and 3 multiply the requests by about three.
const LEVEL = Number(args.level || 3);
const RISK = Number(args.risk || 2);
const JOBS = Number(args.jobs || 2);
const ONLY = args.only ? new RegExp(args.only) : null; // targets whose "METHOD PATH PARAM" matches
// --probe: only find each target's role and baseline status (to check the samples).
// --range A-B: only targets A to B (1-based, as numbered in the output directory), to
// split one scan across processes or machines.
const RANGE = args.range ? args.range.split('-').map(Number) : [1, Infinity];
const OUT = path.resolve(args.out || path.join(ROOT, 'build/security-scan', `${stamp()}-${KIND}`));
const BIN = binPath();
const CSRF = 'securityscancsrftoken000'; // double-submit: the same value in cookie and field
const SQLMAP_TIMEOUT_MS = 30 * 60 * 1000;

// Servers and sqlmap runs still going when the scan is stopped with a signal are ended
// with it, so that nothing is left listening (the databases go with the temp directory
// or the throwaway cluster).
const children = new Set();
let workDir = null; // the scan's temporary directory (SQLite copies, key file)
let dropDatabases = () => {}; // PostgreSQL: drops the scan's databases
function track(proc) {
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  return proc;
}
// First in line: tests/http/lib.mjs has a handler of its own that exits at once.
for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15]]) {
  process.prependOnceListener(sig, () => {
    // SIGTERM: a server stops cleanly, with the recount process it may have started.
    for (const p of children) p.kill('SIGTERM');
    dropDatabases();
    try {
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    } catch {
      console.error(`security-scan: stopped; ${workDir} is left behind`);
    }
    process.exit(128 + n);
  });
}

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    const m = list[i].match(/^--([a-z]+)(?:=(.*))?$/);
    if (!m) throw new Error(`unknown argument ${list[i]}`);
    out[m[1]] = m[1] === 'probe' ? true : m[2] ?? list[++i];
  }
  return out;
}

function stamp() {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

function run(cmd, argv, { env, input } = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, input, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

// ---- the route table -------------------------------------------------------------

/** Every route with its declared parameters, from `jiazheng routes`. */
function routes() {
  return run(BIN, ['routes']).trim().split('\n').map((line) => {
    const [method, kind, pattern, body, params] = line.split('\t');
    const list = params === '-' ? [] : params.split(',').map((p) => {
      const [name, max] = p.split(':');
      return { name, max: Number(max) };
    });
    return { method, kind, pattern, body, params: list };
  });
}

/** One target per declared parameter and per '*' segment. */
function targets(table) {
  const out = [];
  for (const r of table) {
    const stars = r.pattern.split('/').filter((s) => s === '*').length;
    for (let i = 0; i < stars; i++) out.push({ route: r, param: stars > 1 ? `path#${i + 1}` : 'path', segment: i });
    const where = r.method === 'GET' ? 'query' : r.body;
    for (const p of r.params) out.push({ route: r, param: p.name, where });
  }
  return out.filter((t) => !ONLY || ONLY.test(`${t.route.method} ${t.route.pattern} ${t.param}`));
}

// ---- the prepared database --------------------------------------------------------

/** A database of the scan's kind: {db, copy(name) -> db, drop(db)}. */
function databases(work) {
  if (KIND === 'sqlite') {
    return {
      db: path.join(work, 'prepared.db'),
      copy(name) {
        const dir = path.join(work, name);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        fs.copyFileSync(this.db, path.join(dir, 'jiazheng.db'));
        return path.join(dir, 'jiazheng.db');
      },
      drop(db) {
        // The server's recount process may still be closing its files.
        fs.rmSync(path.dirname(db), { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      },
      sql(db, text) {
        run('sqlite3', [db], { input: text });
      },
    };
  }
  const base = process.env.JZ_PG_URL;
  if (!base) throw new Error('--kind pg needs JZ_PG_URL (scripts/security-scan.sh starts a cluster)');
  const urlFor = (name) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  const psql = (url, text) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', text]);
  const prefix = `jz_scan_${process.pid}`;
  psql(base, `CREATE DATABASE ${prefix}_prepared`);
  const made = new Set([`${prefix}_prepared`]);
  dropDatabases = () => {
    for (const name of made) spawnSync('psql', ['-X', '-q', '-d', base, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  };
  return {
    db: urlFor(`${prefix}_prepared`),
    copy(name) {
      psql(base, `DROP DATABASE IF EXISTS ${prefix}_${name} WITH (FORCE)`);
      psql(base, `CREATE DATABASE ${prefix}_${name} TEMPLATE ${prefix}_prepared`);
      made.add(`${prefix}_${name}`);
      return urlFor(`${prefix}_${name}`);
    },
    drop(db) {
      psql(base, `DROP DATABASE IF EXISTS ${new URL(db).pathname.slice(1)} WITH (FORCE)`);
    },
    sql(db, text) {
      psql(db, text);
    },
  };
}

// The scan sends thousands of failing sign-ins, share codes and consent codes; the
// throttles (docs/security.md, tested in tests/http/security.test.mjs) would answer 429
// before the handler looks at anything, and the scan would prove nothing. In the scan's
// own throwaway database every failure count is dropped as soon as it is written, so
// the throttle queries still run with the hostile values but never refuse.
// A consumer's review code is spent by the first review (one review per service), so
// every later payload would meet a 404 at the code and never reach the INSERT: in the
// scan's database the code is put back as soon as it is spent and the review removed as
// soon as it is written (nothing refers to a review).
const SCAN_TRIGGERS = {
  sqlite: `CREATE TRIGGER scan_keep_review_code AFTER UPDATE OF review_code_hash ON service_records
             WHEN NEW.review_code_hash IS NULL AND OLD.review_code_hash IS NOT NULL
           BEGIN UPDATE service_records SET review_code_hash = OLD.review_code_hash,
                   review_code_until = OLD.review_code_until WHERE id = NEW.id; END;
           CREATE TRIGGER scan_keep_review_open AFTER INSERT ON reviews BEGIN DELETE FROM reviews WHERE id = NEW.id; END;
           CREATE TRIGGER scan_no_throttle_insert AFTER INSERT ON login_throttle BEGIN DELETE FROM login_throttle; END;
           CREATE TRIGGER scan_no_throttle_update AFTER UPDATE ON login_throttle BEGIN DELETE FROM login_throttle; END;`,
  pg: `CREATE FUNCTION scan_keep_review_code() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         IF NEW.review_code_hash IS NULL AND OLD.review_code_hash IS NOT NULL THEN
           NEW.review_code_hash := OLD.review_code_hash; NEW.review_code_until := OLD.review_code_until;
         END IF; RETURN NEW; END $$;
       CREATE TRIGGER scan_keep_review_code BEFORE UPDATE ON service_records FOR EACH ROW EXECUTE FUNCTION scan_keep_review_code();
       CREATE FUNCTION scan_keep_review_open() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         DELETE FROM reviews WHERE id = NEW.id; RETURN NULL; END $$;
       CREATE TRIGGER scan_keep_review_open AFTER INSERT ON reviews FOR EACH ROW EXECUTE FUNCTION scan_keep_review_open();
       CREATE FUNCTION scan_no_throttle() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN DELETE FROM login_throttle; RETURN NULL; END $$;
       CREATE TRIGGER scan_no_throttle AFTER INSERT OR UPDATE ON login_throttle FOR EACH STATEMENT EXECUTE FUNCTION scan_no_throttle();`,
};

/** `jiazheng serve` on db and a free port; resolves once /healthz answers. */
async function serve(db, env, logFile) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(logFile, 'a');
  const proc = track(spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '4', ...rootUser()], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log],
  }));
  fs.closeSync(log);
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal)));
  let status = null;
  exited.then((s) => (status = s));
  for (const deadline = Date.now() + 20000; ;) {
    if (status !== null) throw new Error(`serve exited ${status} at start (see ${logFile})`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`serve: no /healthz within 20 s (see ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    alive: async () => status === null && (await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false)),
    /** Stops the server; resolves to its exit status (0 after SIGTERM is a clean stop). */
    stop: async () => {
      if (status === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 20000);
      const s = await exited;
      clearTimeout(t);
      return s;
    },
  };
}

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

async function expect(what, promise, ...ok) {
  const r = await promise;
  if (!ok.includes(r.status)) throw new Error(`preparing ${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

/**
 * Fills the prepared database: demo data, one account of each role (`user add`), their
 * sessions, and fixtures for the path segments. Returns {sessions, fixtures, values}.
 */
async function prepare(dbs, env, work) {
  const demo = run(BIN, ['demo', '--db', dbs.db, '--workers', '20'], { env });
  const companies = [...demo.matchAll(/^company_admin {2}(\S+)/gm)].map((m) => m[1]);
  const pending = demo.match(/^application {2}(\S+) {2}(\S+)/m);
  const consent = [...demo.matchAll(/phone (\d+) {2}consent code (\d+)/g)];
  if (companies.length < 2 || !pending || consent.length < 2) throw new Error(`unexpected demo output:\n${demo}`);
  const [ours, victim] = companies; // 桃江县 and 安化县, both under 益阳市
  const password = {};
  const addUser = (username, role, extra) => {
    const out = run(BIN, ['user', 'add', '--db', dbs.db, '--username', username, '--role', role, ...extra], { env });
    password[username] = out.match(/password: (\S+)/)[1];
  };
  addUser('scan-admin', 'admin', []);
  addUser('scan-regulator', 'regulator', ['--region', '430000']);
  addUser('scan-association', 'association', ['--region', '430000']);
  addUser('scan-company', 'company_admin', ['--company', ours]);
  addUser('scan-staff', 'company_staff', ['--company', ours]);

  const srv = await serve(dbs.db, env, path.join(work, 'prepare.log'));
  try {
    const api = new Client(srv.base);
    const login = async (u) => (await expect(`sign-in ${u}`, api.postJson('/api/v1/session', { username: u, password: password[u] }), 200)).token;
    const t = {};
    for (const u of Object.keys(password)) t[u] = await login(u);
    const co = bearer(t['scan-company']);
    const reg = bearer(t['scan-regulator']);

    // A consented worker of our company, signed in, with a card, a share code, a
    // finished service with its review, and a reported credit record with evidence.
    const id = idNumber({ region: '430922', birth: '19850312', seq: 246 });
    const phone = '13807379246';
    const w = await expect('worker', api.postJson('/api/v1/workers', { name: '王秀英', id_number: id, phone }, co), 201);
    const code = await expect('consent code', api.postJson(`/api/v1/workers/${w.id}/consent-code`, {}, co), 200, 201);
    await expect('consent', api.postJson('/api/v1/consent', { code: code.code, phone, password: 'scan-worker-pass' }), 200);
    const ws = await expect('worker sign-in', api.postJson('/api/v1/worker/session', { phone, password: 'scan-worker-pass' }), 200);
    const card = await expect('card', api.postJson(`/api/v1/workers/${w.id}/card`, {}, co), 200, 201);
    const share = await expect('share code', api.postJson('/api/v1/worker/share-code', {}, bearer(ws.token)), 200, 201);
    const sv = await expect('service', api.postJson(`/api/v1/workers/${w.id}/services`, { service_type: 'maternity', county: '430922' }, co), 201);
    const end = await expect('service end', api.postJson(`/api/v1/services/${sv.id}/end`, {}, co), 200);
    const reviewCode = end.review_code || end.code || new URL(end.review_url).pathname.split('/').pop();
    const rv = await expect('review', api.postJson('/api/v1/reviews', { code: reviewCode, skill: '5', attitude: '5', punctuality: '4', honesty: '5', comment: '很好' }), 200, 201);
    // A second service whose review code stays unused, for the review form.
    const sv2 = await expect('service 2', api.postJson(`/api/v1/workers/${w.id}/services`, { service_type: 'nanny', county: '430922' }, co), 201);
    const end2 = await expect('service 2 end', api.postJson(`/api/v1/services/${sv2.id}/end`, {}, co), 200);
    const openCode = end2.review_code || end2.code || new URL(end2.review_url).pathname.split('/').pop();
    const rec = await expect('record', api.postJson('/api/v1/records', {
      worker_id: w.id, category: 'theft', severity: 'grave', occurred: dayOffset(-20), summary: '服务期间盗窃雇主财物',
      evidence: '报警回执', file_name: 'receipt.txt', file_base64: Buffer.from('报警回执 2026-1001').toString('base64'),
    }, co), 201);
    const shown = await expect('record view', api.get(`/api/v1/records/${rec.id}`, reg), 200);
    const evidence = (shown.evidence_files || [])[0]?.id ?? 1;
    // A published record of the worker, so that the worker can appeal it.
    const rec2 = await expect('record 2', api.postJson('/api/v1/records', {
      worker_id: w.id, category: 'breach', severity: 'minor', occurred: dayOffset(-10), summary: '多次无故缺勤', evidence: '考勤记录',
    }, co), 201);
    await expect('decide', api.postJson(`/api/v1/records/${rec2.id}/decide`, { decision: 'confirm', severity: 'minor', reason: '属实' }, reg), 200);
    const appeal = await expect('appeal', api.postJson(`/api/v1/records/${rec2.id}/appeal`, { reasons: '已整改' }, bearer(ws.token)), 200, 201);
    const des = await expect('designation', api.postJson(`/api/v1/companies/${victim}/designations`, { year: '2025', issuer: '湖南省商务厅' }, reg), 200, 201);
    // A published record left without appeal, for the appeal forms.
    const rec3 = await expect('record 3', api.postJson('/api/v1/records', {
      worker_id: w.id, category: 'breach', severity: 'minor', occurred: dayOffset(-5), summary: '未按约定上户', evidence: '合同',
    }, co), 201);
    await expect('decide 3', api.postJson(`/api/v1/records/${rec3.id}/decide`, { decision: 'confirm', severity: 'minor', reason: '属实' }, reg), 200);
    // A reported review (moderation), a flagged background (its review), an open service.
    await expect('report', api.postJson(`/api/v1/reviews/${rv.id}/report`, { reason: '内容不实' }, bearer(ws.token)), 200, 201);
    await expect('flag', api.postJson(`/api/v1/workers/${w.id}/background`, { status: 'flagged', source: '公安部门反馈' }, co), 200);
    const sv3 = await expect('service 3', api.postJson(`/api/v1/workers/${w.id}/services`, { service_type: 'cleaning', county: '430922' }, co), 201);
    // An import job (the upload page answers with a redirect to the job).
    const form = new FormData();
    form.append('csrf', CSRF);
    form.append('dry_run', '1');
    form.append('file', new Blob([`name,id_number\n李桂兰,${idNumber({ seq: 248 })}\n`]), 'scan.csv');
    const up = await fetch(`${srv.base}/company/import`, {
      method: 'POST', body: form, redirect: 'manual', headers: { Cookie: `jz_csrf=${CSRF}; jz_session=${t['scan-company']}` },
    });
    await up.arrayBuffer();
    const job = (up.headers.get('location') || '').match(/\/company\/import\/(\d+)/);
    if (!job) throw new Error(`preparing import job: ${up.status} ${up.headers.get('location')}`);
    const apps = await expect('applications', api.get('/api/v1/applications', reg), 200);
    const app = (apps.applications || apps.items || apps)[0];

    const me = await expect('me', api.get('/api/v1/session', co), 200);
    const cardToken = new URL(card.url).pathname.split('/').pop();
    return {
      sessions: {
        company: { cookie: `jz_session=${t['scan-company']}`, token: t['scan-company'] },
        regulator: { cookie: `jz_session=${t['scan-regulator']}`, token: t['scan-regulator'] },
        association: { cookie: `jz_session=${t['scan-association']}`, token: t['scan-association'] },
        worker: { cookie: `jz_worker=${ws.token}`, token: ws.token },
        admin: { cookie: `jz_session=${t['scan-admin']}`, token: t['scan-admin'] },
        public: { cookie: '', token: null },
      },
      // The value of the path segment after each literal segment ('*' routes).
      fixtures: {
        applications: app?.id ?? 1, companies: victim, workers: w.id, import: job[1], v: cardToken, cards: cardToken,
        services: sv3.id, review: openCode, reviews: rv.id ?? rv.review?.id ?? 1, records: rec.id, appeals: appeal.id ?? 1,
        evidence, designations: des.id ?? des.designation?.id ?? 1, dashboard: '430900', 'open-data': '430900',
      },
      // Segments that a route needs in another state than the fixture above.
      byRoute: [
        [/^\/(api\/v1\/)?records\/\*\/appeal$/, rec3.id],
        [/^\/api\/v1\/reviews\/\*$/, openCode],
      ],
      values: {
        uscc: pending[1], query_code: pending[2], username: 'scan-staff', password: password['scan-staff'],
        id_number: id, phone, share_code: share.share_code, code: consent[1][2], worker_id: w.id,
        company_id: me.user.company_id, worker_phone: phone,
        consent_phone: consent[1][1], review_code: openCode,
      },
    };
  } finally {
    const s = await srv.stop();
    if (s !== 0) throw new Error(`the preparing server exited ${s} (see ${work}/prepare.log)`);
  }
}

// ---- one target --------------------------------------------------------------------

/** A realistic value for parameter `name` of route r (the baseline request). */
function sample(r, name, values) {
  const p = r.pattern;
  const byRoute = [
    [/equipment$/, { kind: 'uniform' }],
    [/credentials$/, { kind: 'health' }],
    [/designations$/, { kind: 'model' }],
    [/identity$/, { method: 'document' }],
    [/background$/, { status: 'clear' }],
    [/card\/(revoke|reissue)$/, { reason: 'lost' }],
    [/records\/\*\/decide$/, { decision: 'confirm' }],
    [/appeals\/\*/, { decision: 'reject' }],
    [/background\/review$/, { decision: 'overturn' }],
    [/services\/\*\/end$/, { ended: dayOffset(0) }],
    [/moderate$/, { decision: 'hide' }],
    [/^\/(api\/v1\/)?consent$/, { phone: values.consent_phone, password: 'scan-new-pass' }],
    [/^\/(worker\/login|api\/v1\/worker\/session)$/, { phone: values.worker_phone, password: 'scan-worker-pass' }],
    [/^\/apply$/, { commitment_accepted: 'yes' }],
    [/^\/(api\/v1\/)?reviews?$/, { code: values.review_code }],
    [/companies$/, { status: 'active' }],
  ];
  for (const [re, v] of byRoute) if (re.test(p) && name in v) return v[name];
  if (name in values) return values[name];
  if (/_issued$|^issued$|^started$|^occurred$|^ended$|^consent_date$/.test(name)) return dayOffset(-30);
  if (/_expires$|^expires$/.test(name)) return dayOffset(300);
  if (/_no$|^number$/.test(name)) return 'JK2026001';
  const fixed = {
    name: '王秀英', legal_rep: '李明', address: '桃江县人民路1号', county: '430922', province: '430000',
    service_types: 'cleaning', service_type: 'maternity', commitment_by: '李明', commitment_accepted: '1',
    page: '1', limit: '10', offset: '0', q: '家政', sort: 'workers_entered', table: 'months', stage: 'entered',
    status: 'active', region: '430900', year: '2026', issuer: '桃江县疾控中心', source: '公安部门反馈', confirm: '1',
    notes: '备注', reason: '资料不全', reasons: '已整改', text: '感谢反馈', comment: '很好', skill: '5', attitude: '5',
    punctuality: '4', honesty: '5', category: 'theft', severity: 'grave', summary: '服务期间盗窃', evidence: '报警回执',
    file_name: 'receipt.txt', file_base64: Buffer.from('receipt').toString('base64'), dry_run: '1', kind: 'health',
  };
  return fixed[name] ?? 'test';
}

/** Parameters left out of the baseline: a credit record names a worker or a company, not both. */
function omitted(r, name, target) {
  if (!/^\/(api\/v1\/)?records$/.test(r.pattern)) return false;
  return target === 'company_id' ? name === 'worker_id' : name === 'company_id';
}

/** The JSON value of a parameter: max 0 marks a member that is not a string. */
function jsonValue(r, p, values) {
  const v = sample(r, p.name, values);
  if (p.max !== 0) return v;
  if (p.name === 'service_types') return [v];
  if (p.name === 'credentials') return [];
  if (p.name === 'commitment_accepted') return true;
  return Number(v);
}

/** The request a target's baseline sends and sqlmap builds its payloads from. */
function request(base, t, prep) {
  const { fixtures, values } = prep;
  const r = t.route;
  const parts = r.pattern.split('/');
  let star = 0;
  const segs = parts.map((s, i) => {
    if (s !== '*') return s;
    const special = prep.byRoute.find(([re]) => re.test(r.pattern));
    const value = encodeURIComponent(String(special ? special[1] : fixtures[parts[i - 1]] ?? 1));
    return star++ === t.segment ? `${value}*` : value;
  });
  const url = `${base}${segs.join('/')}`;
  const mark = (p) => (p.name === t.param ? '*' : '');
  const params = r.params.filter((p) => !omitted(r, p.name, t.param));
  const body = r.method === 'GET' ? null : r.body;
  const req = { method: r.method, url, body, data: null, contentType: null };
  if (r.method === 'GET') {
    if (params.length) req.url += '?' + params.map((p) => `${p.name}=${encodeURIComponent(sample(r, p.name, values))}`).join('&');
  } else if (body === 'json') {
    const obj = Object.fromEntries(params.map((p) => [p.name, jsonValue(r, p, values)]));
    let text = JSON.stringify(obj);
    const target = params.find((p) => p.name === t.param);
    if (target) {
      // The marker goes inside the string (or after the number or literal).
      const key = JSON.stringify(t.param) + ':';
      const at = text.indexOf(key) + key.length;
      const val = JSON.stringify(obj[t.param]);
      text = text.slice(0, at) + (typeof obj[t.param] === 'string' ? val.slice(0, -1) + '*"' : val + '*') + text.slice(at + val.length);
    }
    req.data = text;
    req.contentType = 'application/json';
  } else if (body === 'upload') {
    const boundary = 'jzSecurityScanBoundary';
    const field = (n, v) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`;
    const file = r.pattern === '/company/import' ? 'name,id_number\r\n王秀英,110105194912310021\r\n' : '报警回执';
    req.data = field('csrf', CSRF) + params.map((p) => field(p.name, sample(r, p.name, values) + mark(p))).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.txt"\r\nContent-Type: text/plain\r\n\r\n${file}\r\n--${boundary}--\r\n`;
    req.contentType = `multipart/form-data; boundary=${boundary}`;
  } else {
    req.data = [`csrf=${CSRF}`, ...params.map((p) => `${p.name}=${encodeURIComponent(sample(r, p.name, values))}`)].join('&');
    req.contentType = 'application/x-www-form-urlencoded';
  }
  return req;
}

const headersFor = (t, session) => {
  const h = {};
  const cookie = [t.route.kind === 'page' ? `jz_csrf=${CSRF}` : '', session.cookie].filter(Boolean).join('; ');
  if (cookie) h.Cookie = cookie;
  if (t.route.kind === 'api' && session.token) h.Authorization = `Bearer ${session.token}`;
  return h;
};

/** The baseline request with a session; {status, location, code}. */
async function baseline(req, t, session) {
  const h = headersFor(t, session);
  if (req.contentType) h['Content-Type'] = req.contentType;
  const res = await fetch(req.url.replace(/\*/g, ''), { method: req.method, headers: h, body: req.data?.replace(/\*/g, ''), redirect: 'manual' });
  const text = await res.text();
  const code = (text.match(/"code"\s*:\s*"([a-z_]+)"/) || [])[1] ||
    (text.match(/"detail"\s*:\s*"([^"]+)"/) || [])[1] || (text.match(/class="error"[^>]*>([^<]+)/) || [])[1];
  return { status: res.status, location: res.headers.get('location') || '', code };
}

const ROLE_ORDER = ['company', 'regulator', 'association', 'worker', 'admin', 'public'];

/** The first role the handler accepts: not 401 or 403, no redirect to sign in; 404 only when no role does better. */
async function pickRole(req, t, sessions) {
  let weak = null;
  const seen = [];
  for (const role of ROLE_ORDER) {
    const b = await baseline(req, t, sessions[role]);
    seen.push(`${role}:${b.status}${b.code ? ' ' + b.code : ''}`);
    if (b.code === 'csrf_failed') return { role: null, seen };
    const refused = b.status === 401 || b.status === 403 || b.status === 429 || (b.status === 303 && /login/.test(b.location));
    if (refused) continue;
    if (b.status !== 404) return { role, seen, status: b.status };
    weak ??= { role, seen, status: b.status };
  }
  return weak ? { ...weak, seen } : { role: null, seen };
}

function sqlmapArgs(req, t, session, dir) {
  const a = ['-u', req.url, '--batch', '--flush-session', `--level=${LEVEL}`, `--risk=${RISK}`,
    `--dbms=${KIND === 'pg' ? 'PostgreSQL' : 'SQLite'}`, `--output-dir=${dir}`, '--drop-set-cookie',
    '--disable-coloring', '--timeout=30', '--retries=1', '--threads=1', '--answers=follow=N',
    // There is no WAF: a page that differs for a hostile value is the handler's answer.
    '--skip-waf',
    // 401 is what a wrong password or a payload in a sign-in field gets, 404 what a one-shot
    // action (ending an employment, revoking a card, confirming consent) gets once done:
    // answers of the handler, not reasons to stop.
    '--ignore-code=401,404'];
  if (req.method !== 'GET') a.push(`--method=${req.method}`);
  if (req.data !== null) a.push(`--data=${req.data}`);
  const h = headersFor(t, session);
  if (h.Cookie) a.push(`--cookie=${h.Cookie}`);
  const extra = [];
  if (h.Authorization) extra.push(`Authorization: ${h.Authorization}`);
  if (req.contentType) extra.push(`Content-Type: ${req.contentType}`);
  if (extra.length) a.push(`--headers=${extra.join('\n')}`);
  // Query and urlencoded form fields are named; JSON, multipart and path use '*'. With a
  // '*' in the URL sqlmap would also test every body member, cookie and, at level 5, the
  // User-Agent, Referer and Host headers: those have targets of their own or are not ours.
  if (t.where === 'query' || t.where === 'form') a.push('-p', t.param);
  else if (t.segment !== undefined) {
    const others = [...t.route.params.map((p) => p.name), 'csrf', 'jz_csrf', 'jz_session', 'jz_worker', 'user-agent', 'referer', 'host'];
    a.push(`--skip=${others.join(',')}`);
  }
  // SQLMAP_OPTIONS: more options for every run (e.g. -v 5 to see the traffic).
  if (process.env.SQLMAP_OPTIONS) a.push(...process.env.SQLMAP_OPTIONS.split(/\s+/).filter(Boolean));
  return a;
}

function runSqlmap(argv, logFile) {
  return new Promise((resolve) => {
    const log = fs.openSync(logFile, 'w');
    const p = track(spawn('sqlmap', argv, { cwd: ROOT, stdio: ['ignore', log, log], env: { ...process.env, HOME: process.env.SCAN_HOME } }));
    fs.closeSync(log);
    const timer = setTimeout(() => p.kill('SIGKILL'), SQLMAP_TIMEOUT_MS);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

/** Reads sqlmap's output: verdict, and the HTTP error codes it counted. */
function parseSqlmap(text) {
  const codes = {};
  const block = text.split('HTTP error codes detected during run:')[1] || '';
  for (const m of block.matchAll(/^(\d{3}) \([^)]*\) - (\d+) times/gm)) codes[m[1]] = Number(m[2]);
  const tested = [...text.matchAll(/testing for SQL injection on (.+?)\n/g)].map((m) => m[1]);
  let verdict = 'no-verdict';
  // "appears to be … injectable" is sqlmap's first impression; it then checks it, and a
  // time-based one on a busy machine can turn out "false positive or unexploitable".
  // Such a finding is reported apart (and counts as a problem), never as not injectable.
  const appears = /appears to be '.*' injectable/.test(text);
  const refuted = /false positive or unexploitable injection point detected/.test(text);
  if (/identified the following injection point|is vulnerable/.test(text) || (appears && !refuted)) verdict = 'INJECTABLE';
  else if (appears) verdict = 'false-positive (sqlmap refuted its finding: scan this target again)';
  else if (/do not appear to be injectable|does not seem to be injectable/.test(text)) verdict = 'not-injectable';
  else if (/\[CRITICAL\]/.test(text)) verdict = 'sqlmap-error: ' + text.match(/\[CRITICAL\] (.*)/)[1].slice(0, 120);
  return { verdict, codes, tested };
}

async function scanTarget(n, t, dbs, env, prep) {
  const name = `t${String(n).padStart(3, '0')}`;
  const dir = path.join(OUT, `${name}-${(t.route.method + t.route.pattern + '-' + t.param).replace(/[^A-Za-z0-9]+/g, '_')}`);
  fs.mkdirSync(dir, { recursive: true });
  const started = Date.now();
  let db = dbs.copy(name);
  let srv = await serve(db, env, path.join(dir, 'serve.log'));
  const result = { target: t, role: null, verdict: null, codes: {}, seconds: 0 };
  try {
    let req = request(srv.base, t, prep);
    const pick = await pickRole(req, t, prep.sessions);
    result.probe = pick.seen.join(', ');
    if (!pick.role) {
      result.verdict = 'unreached';
      return result;
    }
    result.role = pick.role;
    result.base = pick.status;
    if (args.probe) {
      result.verdict = 'probed';
      return result;
    }
    if (t.route.method !== 'GET') {
      // The probe may have changed something (a decision, an ended service): start afresh.
      const s = await srv.stop();
      if (s !== 0) {
        result.verdict = `server exited ${s}`;
        return result;
      }
      dbs.drop(db);
      db = dbs.copy(name);
      srv = await serve(db, env, path.join(dir, 'serve.log'));
      req = request(srv.base, t, prep);
    }
    const argv = sqlmapArgs(req, t, prep.sessions[pick.role], path.join(dir, 'sqlmap'));
    fs.writeFileSync(path.join(dir, 'command.txt'), JSON.stringify(['sqlmap', ...argv]) + '\n');
    const code = await runSqlmap(argv, path.join(dir, 'sqlmap.log'));
    const parsed = parseSqlmap(fs.readFileSync(path.join(dir, 'sqlmap.log'), 'utf8'));
    Object.assign(result, parsed);
    if (code !== 0 && parsed.verdict === 'no-verdict') result.verdict = `sqlmap exited ${code}`;
    if (!(await srv.alive())) result.verdict = 'SERVER-DOWN';
    else if (Object.keys(parsed.codes).some((c) => c >= 500)) result.verdict = `server-error ${parsed.verdict}`;
    else if (parsed.codes['429']) result.verdict = `throttled ${parsed.verdict}`;
    return result;
  } finally {
    const s = await srv.stop();
    if (s !== 0 && result.verdict !== 'SERVER-DOWN') result.verdict = `server exited ${s} (${result.verdict})`;
    dbs.drop(db);
    result.seconds = (Date.now() - started) / 1000;
  }
}

// ---- main ----------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  fs.mkdirSync(OUT, { recursive: true });
  process.env.SCAN_HOME = path.join(OUT, 'home'); // sqlmap keeps its state under $HOME
  fs.mkdirSync(process.env.SCAN_HOME, { recursive: true });
  const work = (workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-scan-')));
  const env = { JZ_KEYS: path.join(work, 'jiazheng.keys'), TZ: process.env.TZ || 'UTC' };
  const dbs = databases(work);
  const all = targets(routes());
  const list = all.map((t, i) => ({ ...t, n: i + 1 })).filter((t) => t.n >= RANGE[0] && t.n <= RANGE[1]);
  console.log(`security scan: ${list.length} targets${list.length < all.length ? ` (of ${all.length})` : ''} on ${KIND}, sqlmap --level=${LEVEL} --risk=${RISK}, ${JOBS} at a time; output in ${path.relative(ROOT, OUT)}`);
  const prep = await prepare(dbs, env, work);
  dbs.sql(dbs.db, SCAN_TRIGGERS[KIND]);
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const n = next++;
      let r;
      try {
        r = await scanTarget(list[n].n, list[n], dbs, env, prep);
      } catch (e) {
        r = { target: list[n], verdict: `error: ${e.message.split('\n')[0]}`, codes: {}, seconds: 0 };
      }
      results[n] = r;
      const t = r.target;
      const codes = Object.entries(r.codes).map(([c, k]) => `${c}x${k}`).join(' ');
      console.log(`${t.route.method} ${t.route.pattern}\t${t.param}\t${r.role ?? '-'} ${r.base ?? ''}\t${r.verdict}\t${r.seconds.toFixed(0)}s${codes ? '\t' + codes : ''}${r.verdict === 'unreached' || (args.probe && r.base >= 400) ? '\t' + r.probe : ''}`);
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  dbs.drop(dbs.db);
  fs.rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  const injectable = results.filter((r) => /INJECTABLE/.test(r.verdict)).length;
  const failed = results.filter((r) => !['not-injectable', 'probed'].includes(r.verdict)).length;
  const minutes = ((Date.now() - t0) / 60000).toFixed(1);
  console.log(`${results.length} targets, ${injectable} injectable (${failed - injectable} other problems; ${minutes} min)`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(`security-scan: ${e.stack || e.message}`);
  process.exitCode = 1;
});
