// Faults (issue #7). On SQLite (JZ_DB_KIND=sqlite): the bulk import and the server killed
// with SIGKILL midway, and writes failing as on a full disk (RLIMIT_FSIZE set on the
// running process: every write fails with EFBIG, which SQLite reports as an I/O error,
// the same path as ENOSPC's SQLITE_FULL). On PostgreSQL (JZ_DB_KIND=pg): the database
// server crashed under load (pg_ctl -m immediate, on a cluster of this test's own) and
// started again. Afterwards every write that was answered with a 2xx is there, no worker
// is half imported, the audit chain verifies and SQLite's integrity_check says ok; while
// the database is away the server answers 503 (never 500), and it recovers by itself.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, binPath, createDatabase, freePort, rootUser, sanitizerReports } from './lib.mjs';
import { uscc } from './codes.mjs';
import { idNumber } from './ids.mjs';

const KIND = process.env.JZ_DB_KIND || 'sqlite';
const BIN = binPath();
const COUNTIES = ['430922', '430921', '430923', '430981'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the database, the commands and the server ----

/** Database d (from createDatabase, or the crash test's own) with one active company
 * and its admin account. */
function prepare(d = createDatabase(KIND), kind = KIND) {
  const env = { ...process.env, ...(d.keys ? { JZ_KEYS: d.keys } : {}) };
  const fx = { ...d, kind, env, company: uscc('430922'), admin: 'faults_admin' };
  must(jz(fx, ['init', '--db', d.db]));
  must(jz(fx, ['company', 'add', '--db', d.db, '--uscc', fx.company, '--name', '桃江县安心家政服务有限公司',
    '--county', '430922']));
  const u = must(jz(fx, ['user', 'add', '--db', d.db, '--username', fx.admin, '--role', 'company_admin',
    '--company', fx.company]));
  fx.password = u.stdout.match(/password: (\S+)/)[1];
  fx.csv = path.join(d.dir, 'workers.csv');
  return fx;
}

function jz(fx, args, { wrap = [] } = {}) {
  const cmd = wrap.length ? wrap[0] : BIN;
  const r = spawnSync(cmd, [...wrap.slice(1), ...(wrap.length ? [BIN] : []), ...args], {
    cwd: ROOT, env: fx.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const found = sanitizerReports(r.stderr || '');
  assert.deepEqual(found, [], `sanitizer reports from ${args[0]}`);
  return r;
}

function must(r) {
  assert.equal(r.status, 0, `exit ${r.status ?? r.signal}: ${r.stderr}${r.stdout}`);
  return r;
}

/** Runs SQL with the database's own client; returns the output, rows as lines. */
function sql(fx, query) {
  const r = fx.kind === 'sqlite'
    ? spawnSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', fx.db, query], { encoding: 'utf8' })
    : spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', fx.db, '-c', query], { encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${query}: ${r.stderr}`);
  return r.stdout.trim();
}
const count = (fx, query) => Number(sql(fx, query));

/** n import rows from row `from` on: each a new person with consent and a health certificate. */
function writeCsv(file, n, from = 0) {
  const lines = ['name,id_number,consent_date,health_no,health_issuer,health_issued,health_expires'];
  for (let i = from; i < from + n; i++) {
    const k = Math.floor(i / COUNTIES.length);
    const birth = new Date(Date.UTC(1966, 0, 1) + (k % 11000) * 86400000).toISOString().slice(0, 10).replaceAll('-', '');
    const id = idNumber({ region: COUNTIES[i % COUNTIES.length], birth, seq: 100 + Math.floor(k / 11000) * 2 });
    lines.push(`王秀英,${id},2025-03-01,JK${i},桃江县疾控中心,2025-01-10,2030-01-09`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** An import of `n` rows stopped with `there` workers in: whole batches of `batch` only,
 * each worker whole, the database intact; running `args` again adds exactly the rest. */
function assertStoppedAtBatchThenResumes(fx, args, there, batch, n) {
  assert.equal(there % batch, 0, 'whole batches only');
  assertWholeWorkers(fx, there);
  assertIntact(fx);
  const again = must(jz(fx, args));
  assert.match(again.stdout, new RegExp(`^imported ${n - there}, already there ${there}, rejected 0 \\(of ${n} rows\\)$`, 'm'));
  assertWholeWorkers(fx, n);
  assertIntact(fx);
}

/** Checks the import's work: `n` workers, each with exactly the rows one import row gives. */
function assertWholeWorkers(fx, n) {
  assert.equal(count(fx, 'SELECT count(*) FROM workers'), n);
  const whole = count(fx, `SELECT count(*) FROM workers w
    WHERE (SELECT count(*) FROM employments e JOIN companies c ON c.id = e.company_id
           WHERE e.worker_id = w.id AND c.uscc = '${fx.company}' AND e.ended IS NULL) = 1
      AND (SELECT count(*) FROM credentials c WHERE c.worker_id = w.id AND c.kind = 'health') = 1
      AND (SELECT count(*) FROM credentials c WHERE c.worker_id = w.id) = 1
      AND w.consent_at IS NOT NULL`);
  assert.equal(whole, n, 'every worker has its employment, its certificate and its consent');
}

/** The checks after every fault: the audit chain, and on SQLite the file itself. */
function assertIntact(fx) {
  if (fx.kind === 'sqlite') assert.equal(sql(fx, 'PRAGMA integrity_check'), 'ok');
  const v = jz(fx, ['audit', 'verify', '--db', fx.db]);
  assert.equal(v.status, 0, `audit verify: ${v.stderr}${v.stdout}`);
}

/** Starts `serve` on the fixture's database; resolves once /healthz answers 200. */
async function serve(fx, args = ['--threads', '4']) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', fx.db, '--listen', `127.0.0.1:${port}`, ...rootUser(), ...args], {
    cwd: ROOT, env: fx.env, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const srv = { base: `http://127.0.0.1:${port}`, proc, exited, stderr: () => stderr };
  srv.kill = async () => {
    proc.kill('SIGKILL');
    await exited;
  };
  srv.stop = async () => {
    proc.kill('SIGTERM');
    const s = await exited;
    assert.equal(s.code, 0, `serve exited ${s.code ?? s.signal} on SIGTERM:\n${stderr}`);
    assert.deepEqual(sanitizerReports(stderr), []);
  };
  const deadline = Date.now() + 20000;
  while ((await status(srv, '/healthz')) !== 200) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`serve did not come up:\n${stderr}`);
    }
    await sleep(50);
  }
  return srv;
}

/** One request; {status, json, text, headers}, or {status: 0} when the connection failed. */
async function call(srv, method, url, { token, body, form, cookie } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = cookie;
  if (body) headers['Content-Type'] = 'application/json';
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  try {
    const r = await fetch(srv.base + url, {
      method, headers, redirect: 'manual', signal: AbortSignal.timeout(15000),
      body: body ? JSON.stringify(body) : form ? new URLSearchParams(form).toString() : undefined,
    });
    const text = await r.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      // a page
    }
    return { status: r.status, json, text, headers: r.headers };
  } catch {
    return { status: 0 };
  }
}
const status = async (srv, url) => (await call(srv, 'GET', url)).status;

async function companyToken(srv, fx) {
  const r = await call(srv, 'POST', '/api/v1/session', { body: { username: fx.admin, password: fx.password } });
  assert.equal(r.status, 200, r.text);
  return r.json.token;
}

/** Imports n workers and gives each a worker session (written straight into the table, as
 * bench/verify does: the Argon2 sign-in is not what these tests are about). */
function workersWithSessions(fx, n) {
  writeCsv(fx.csv, n, 50000);
  must(jz(fx, ['import', 'workers', '--db', fx.db, '--company', fx.company, fx.csv]));
  const ids = sql(fx, `SELECT id FROM workers ORDER BY id DESC LIMIT ${n}`).split('\n').map(Number);
  const now = Math.floor(Date.now() / 1000);
  const workers = ids.map((id) => ({ id, token: 'fault' + randomBytes(18).toString('base64url') }));
  // One b2sum (BLAKE2b-256, as libsodium's crypto_generichash) for all the tokens.
  const dir = fs.mkdtempSync(path.join(fx.dir, 'tokens-'));
  workers.forEach((w, i) => fs.writeFileSync(path.join(dir, String(i)), w.token));
  const sums = spawnSync('b2sum', ['-l', '256', ...workers.map((_, i) => String(i))], { cwd: dir, encoding: 'utf8' });
  assert.equal(sums.status, 0, sums.stderr);
  const hashes = sums.stdout.trim().split('\n').map((l) => l.split(' ')[0]);
  const rows = workers.map((w, i) => {
    assert.match(hashes[i], /^[0-9a-f]{64}$/);
    return `('${hashes[i]}', ${w.id}, ${now}, ${now + 86400})`;
  });
  sql(fx, `INSERT INTO worker_sessions (token_hash, worker_id, created_at, expires_at) VALUES ${rows.join(',')}`);
  return workers;
}

/**
 * Writes from `lanes` concurrent clients until stop(): each lane checks a worker in (once a
 * month each) and runs a service through start, end and the consumer's review. Every write
 * answered 2xx is recorded; anything but 2xx, 503 or a failed connection is an error.
 */
function writeStream(getSrv, token, workers, lanes = 6) {
  const acked = { checkins: [], services: [], ended: [], reviews: [] };
  const statuses = new Map();
  const unexpected = [];
  let stopped = false;
  const note = (what, r) => {
    statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
    if (r.status !== 0 && r.status !== 503 && (r.status < 200 || r.status > 299)) {
      unexpected.push(`${what}: ${r.status} ${r.text?.slice(0, 200)}`);
    }
    if (r.status === 503 && r.json && r.json.code !== 'unavailable') unexpected.push(`${what}: 503 ${r.text}`);
    return r.status >= 200 && r.status <= 299;
  };
  const pause = async (r) => {
    if (r.status === 0 || r.status === 503) await sleep(20); // the server or its database is away
  };
  const lane = async (k) => {
    for (let i = 0; !stopped; i++) {
      const w = workers.pop();
      if (w) {
        const r = await call(getSrv(), 'POST', '/api/v1/worker/checkin', { token: w.token, body: {} });
        // A commit cut off by the crash may have landed all the same (PostgreSQL had
        // made it durable but could not say so): the retry then finds it done.
        const landed = w.unanswered && r.status === 409 && r.json?.code === 'already_checked_in';
        if (landed || note('check-in', r)) acked.checkins.push(w.id);
        else if (!stopped) {
          w.unanswered ||= r.status === 0 || r.status === 503;
          workers.unshift(w); // not done: try it again later
        }
        await pause(r);
      }
      const worker = workersAll[(k + i * lanes) % workersAll.length].id;
      const s = await call(getSrv(), 'POST', `/api/v1/workers/${worker}/services`,
        { token, body: { service_type: 'cleaning', county: '430922' } });
      if (!note('service', s)) {
        await pause(s);
        continue;
      }
      acked.services.push(s.json.id);
      const e = await call(getSrv(), 'POST', `/api/v1/services/${s.json.id}/end`, { token, body: {} });
      if (!note('end', e)) {
        await pause(e);
        continue;
      }
      acked.ended.push(s.json.id);
      const v = await call(getSrv(), 'POST', '/api/v1/reviews', {
        body: { code: e.json.code, skill: '5', attitude: '4', punctuality: '5', honesty: '5', comment: `lane ${k}` },
      });
      if (note('review', v)) acked.reviews.push(s.json.id);
      await pause(v);
    }
  };
  const workersAll = [...workers];
  const done = Promise.all(Array.from({ length: lanes }, (_, k) => lane(k)));
  return {
    acked, statuses, unexpected,
    total: () => acked.checkins.length + acked.services.length + acked.ended.length + acked.reviews.length,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** Every acknowledged write of the stream is in the database. */
function assertAcked(fx, stream) {
  const { acked } = stream;
  const set = (q) => new Set(sql(fx, q).split('\n').filter(Boolean).map(Number));
  const checkins = set("SELECT worker_id FROM checkins WHERE method = 'self'");
  const services = set('SELECT id FROM service_records');
  const ended = set('SELECT id FROM service_records WHERE ended IS NOT NULL');
  const reviews = set('SELECT service_id FROM reviews');
  for (const id of acked.checkins) assert.ok(checkins.has(id), `acknowledged check-in of worker ${id} is missing`);
  for (const id of acked.services) assert.ok(services.has(id), `acknowledged service ${id} is missing`);
  for (const id of acked.ended) assert.ok(ended.has(id), `acknowledged end of service ${id} is missing`);
  for (const id of acked.reviews) assert.ok(reviews.has(id), `acknowledged review of service ${id} is missing`);
  assert.deepEqual(stream.unexpected, [], 'answers other than 2xx and 503');
}

async function until(what, fn, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// ---- the tests ----

test('a bulk import killed midway leaves whole workers only, and running it again completes it', { skip: KIND !== 'sqlite' }, async () => {
  const fx = prepare();
  try {
    const n = 8000;
    const batch = 500;
    writeCsv(fx.csv, n);
    const args = ['import', 'workers', '--db', fx.db, '--company', fx.company, '--batch-rows', String(batch), fx.csv];
    const proc = spawn(BIN, args, { cwd: ROOT, env: fx.env, stdio: 'ignore' });
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    // Kill it once at least two batches are in, while it is still writing.
    await until('the first batches', () => proc.exitCode !== null || count(fx, 'SELECT count(*) FROM workers') >= 2 * batch);
    proc.kill('SIGKILL');
    const s = await exited;
    assert.equal(s.signal, 'SIGKILL', 'the import was still running when killed (make the file larger)');

    const there = count(fx, 'SELECT count(*) FROM workers');
    assert.ok(there >= 2 * batch && there < n, `${there} workers after the kill`);
    assertStoppedAtBatchThenResumes(fx, args, there, batch, n);
  } finally {
    fx.drop();
  }
});

test('serve killed with SIGKILL under check-ins and reviews keeps every acknowledged write', { skip: KIND !== 'sqlite' }, async () => {
  const fx = prepare();
  let srv;
  try {
    const workers = workersWithSessions(fx, 150);
    srv = await serve(fx);
    const token = await companyToken(srv, fx);
    const stream = writeStream(() => srv, token, workers);
    await until('acknowledged writes', () => stream.total() >= 60);
    await srv.kill(); // requests are in flight on every lane
    await stream.stop();
    assert.ok(stream.acked.checkins.length > 0 && stream.acked.reviews.length > 0, JSON.stringify([stream.acked, [...stream.statuses], stream.unexpected]));

    assertIntact(fx); // SQLite recovers its WAL on this first open
    assertAcked(fx, stream);
    srv = await serve(fx);
    const next = workers.pop();
    const r = await call(srv, 'POST', '/api/v1/worker/checkin', { token: next.token, body: {} });
    assert.equal(r.status, 201, r.text);
    await srv.stop();
    srv = null;
    assertIntact(fx);
  } finally {
    if (srv) await srv.kill();
    fx.drop();
  }
});

test('PostgreSQL crashing under load: 503 while it is down, back by itself, acknowledged writes kept', { skip: KIND !== 'pg' }, async () => {
  // A cluster of this test's own (crash-safe: synchronous commits), not the shared one.
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-faults-pg-'));
  const pg = (...args) => {
    const r = spawnSync('sh', [path.join(ROOT, 'scripts/pg-temp.sh'), ...args, pgDir], { encoding: 'utf8' });
    assert.equal(r.status, 0, `pg-temp.sh ${args[0]}: ${r.stderr}`);
    return r.stdout.trim();
  };
  let srv;
  let fx;
  try {
    const url = spawnSync('sh', [path.join(ROOT, 'scripts/pg-temp.sh'), 'start', pgDir, 'crash-safe'], { encoding: 'utf8' });
    assert.equal(url.status, 0, url.stderr);
    const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-faults-keys-'));
    const db = url.stdout.trim();
    const own = { db, dir: keysDir, keys: path.join(keysDir, 'jiazheng.keys'), drop: () => fs.rmSync(keysDir, { recursive: true, force: true }) };
    fx = prepare(own, 'pg');
    const workers = workersWithSessions(fx, 150);
    srv = await serve(fx);
    const token = await companyToken(srv, fx);
    const stream = writeStream(() => srv, token, workers);
    await until('acknowledged writes', () => stream.total() >= 40);

    pg('crash');
    const before = stream.total();
    // Down: every request that needs the database is refused with 503, the API with its code.
    const health = await call(srv, 'GET', '/healthz');
    assert.equal(health.status, 503);
    const api = await call(srv, 'GET', '/api/v1/company/workers', { token });
    assert.equal(api.status, 503, api.text);
    assert.equal(api.json.code, 'unavailable');
    assert.equal(api.headers.get('retry-after'), '30');
    const page = await call(srv, 'GET', '/companies');
    assert.equal(page.status, 503);
    assert.match(page.text, /服务暂不可用[\s\S]*Service unavailable/);
    await sleep(800); // the stream keeps asking meanwhile
    assert.ok((stream.statuses.get(503) || 0) > 0, 'the stream met 503s');

    pg('restart');
    // Back without restarting serve: each thread notices its lost connection and connects again.
    await until('serve to recover', async () => (await status(srv, '/healthz')) === 200);
    await until('writes after the restart', () => stream.total() >= before + 40);
    await stream.stop();
    assertAcked(fx, stream);
    assertIntact(fx);
    await srv.stop();
    srv = null;
  } finally {
    if (srv) await srv.kill();
    if (fx) fx.drop();
    pg('stop');
  }
});

test('a full disk: writes answer 503 and change nothing, reads go on, and writes work again once there is room', { skip: KIND !== 'sqlite' }, async () => {
  const fx = prepare();
  let srv;
  try {
    const workers = workersWithSessions(fx, 20);
    srv = await serve(fx);
    const token = await companyToken(srv, fx);
    const first = workers.pop();
    assert.equal((await call(srv, 'POST', '/api/v1/worker/checkin', { token: first.token, body: {} })).status, 201);
    const audit = count(fx, 'SELECT count(*) FROM audit_log');

    // No file of the server may grow or be written to any more (EFBIG).
    must(spawnSync('prlimit', ['--pid', String(srv.proc.pid), '--fsize=0:unlimited'], { encoding: 'utf8' }));
    const w = workers.pop();
    const r = await call(srv, 'POST', '/api/v1/worker/checkin', { token: w.token, body: {} });
    assert.equal(r.status, 503, r.text);
    assert.equal(r.json.code, 'unavailable');
    const service = await call(srv, 'POST', `/api/v1/workers/${w.id}/services`, { token, body: { service_type: 'cleaning', county: '430922' } });
    assert.equal(service.status, 503, service.text);
    // A form: the sign-in page writes a session.
    const form = await call(srv, 'GET', '/login');
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
    const login = await call(srv, 'POST', '/login', { cookie, form: { csrf, username: fx.admin, password: fx.password } });
    assert.equal(login.status, 503, login.text.slice(0, 500));
    assert.match(login.text, /服务暂不可用[\s\S]*Service unavailable/);
    // Reads that write nothing go on (a worker's record would not: its reading is audited).
    const read = await call(srv, 'GET', `/api/v1/companies/${fx.company}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.json.uscc, fx.company);
    assert.equal((await call(srv, 'GET', `/api/v1/workers/${w.id}`, { token })).status, 503);
    assert.equal(count(fx, 'SELECT count(*) FROM audit_log'), audit, 'nothing written');
    assert.equal(count(fx, `SELECT count(*) FROM checkins WHERE worker_id = ${w.id}`), 0);
    assertIntact(fx);

    // Room again: the same requests succeed, without restarting the server.
    must(spawnSync('prlimit', ['--pid', String(srv.proc.pid), '--fsize=unlimited:unlimited'], { encoding: 'utf8' }));
    const again = await call(srv, 'POST', '/api/v1/worker/checkin', { token: w.token, body: {} });
    assert.equal(again.status, 201, again.text);
    assert.equal(count(fx, `SELECT count(*) FROM checkins WHERE worker_id = ${w.id}`), 1);
    assert.doesNotMatch(srv.stderr(), /: internal$/m, 'no 500 was answered');
    await srv.stop();
    srv = null;
    assertIntact(fx);
  } finally {
    if (srv) await srv.kill();
    fx.drop();
  }
});

test('an import that meets a full disk stops cleanly after whole batches and completes when run again', { skip: KIND !== 'sqlite' }, async () => {
  const fx = prepare();
  try {
    const n = 3000;
    writeCsv(fx.csv, n);
    const args = ['import', 'workers', '--db', fx.db, '--company', fx.company, '--batch-rows', '300', fx.csv];
    // Files may grow by half a megabyte: enough for a few batches, not for all.
    const limit = fs.statSync(fx.db).size + 512 * 1024;
    const r = jz(fx, args, { wrap: ['prlimit', `--fsize=${limit}:unlimited`, '--'] });
    assert.equal(r.status, 1, `${r.stderr}${r.stdout}`);
    assert.match(r.stderr, /the database cannot be written \(disk full, I\/O error or lost connection\)/);
    assert.doesNotMatch(r.stdout, /^imported/m);
    const there = count(fx, 'SELECT count(*) FROM workers');
    assert.ok(there > 0 && there < n, `${there} workers`);
    assertStoppedAtBatchThenResumes(fx, args, there, 300, n);
  } finally {
    fx.drop();
  }
});

test('sign-ins hash passwords on the slow pool: a connection thread goes on answering meanwhile', { skip: KIND !== 'sqlite' }, async () => {
  const fx = prepare();
  let srv;
  try {
    // One connection thread: a sign-in's Argon2 on it would hold up every other request.
    // (Three sign-ins: within what the slow pool lets wait, even on one CPU.)
    srv = await serve(fx, ['--threads', '1']);
    const t0 = performance.now();
    const signIns = Array.from({ length: 3 }, () =>
      call(srv, 'POST', '/api/v1/session', { body: { username: fx.admin, password: fx.password } })
        .then((r) => ({ ...r, ms: performance.now() - t0 })));
    await sleep(300); // the sign-ins are being hashed now
    const t1 = performance.now();
    const health = await call(srv, 'GET', '/healthz');
    const healthMs = performance.now() - t1;
    const results = await Promise.all(signIns);
    for (const r of results) assert.equal(r.status, 200, r.text);
    const fastest = Math.min(...results.map((r) => r.ms));
    assert.equal(health.status, 200);
    // Held up behind a hash, it would take about as long as the fastest sign-in.
    assert.ok(healthMs < fastest / 2, `healthz took ${healthMs.toFixed(0)} ms, the fastest sign-in ${fastest.toFixed(0)} ms`);
    await srv.stop();
    srv = null;
  } finally {
    if (srv) await srv.kill();
    fx.drop();
  }
});
