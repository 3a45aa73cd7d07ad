// Helpers for the HTTP tests: they start the REAL jiazheng binary on a fresh
// database and a free port, and talk to it like a browser would (cookies,
// forms, JSON, manual redirects). Node 20 standard library only.
//
//   const srv = await startServer({ kind: 'sqlite' | 'pg' });
//   const c = new Client(srv.base);
//   const r = await c.get('/healthz');          // {status, headers, text, json}
//   await srv.stop();                           // throws on sanitizer reports
//
// Environment: JZ_BIN (binary, default build/jiazheng; relative paths are from
// the repository root), JZ_DB_KIND (default kind), JZ_PG_URL (any database
// of the PostgreSQL cluster to create test databases in).

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SANITIZER_MARKS = ['ERROR: AddressSanitizer', 'runtime error:', 'LeakSanitizer'];
const HEALTH_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 20000;

/**
 * `serve` started as root must be told whom to serve as (docs/security.md); the tests
 * keep root on purpose, except tests/http/privileges.test.mjs, which drops it.
 */
export function rootUser() {
  return process.getuid && process.getuid() === 0 ? ['--user', 'root'] : [];
}

/** The binary under test, as an absolute path. */
export function binPath() {
  return path.resolve(ROOT, process.env.JZ_BIN || 'build/jiazheng');
}

/** Returns the sanitizer report lines found in text (empty when clean). */
export function sanitizerReports(text) {
  return text.split('\n').filter((l) => SANITIZER_MARKS.some((m) => l.includes(m)));
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function psql(url, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql ${JSON.stringify(sql)} failed: ${r.stderr}`);
}

/** The URL of database `name` on the same server as `url`. */
function pgUrlFor(url, name) {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

/**
 * Creates an empty database. Returns {db, drop()}: db is what `--db` takes
 * (a file path for sqlite, a postgres:// URL for pg); drop() removes it.
 */
export function createDatabase(kind = process.env.JZ_DB_KIND || 'sqlite') {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-http-'));
    return { db: path.join(dir, 'jiazheng.db'), dir, drop: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  if (kind === 'pg') {
    const base = process.env.JZ_PG_URL;
    if (!base) throw new Error('JZ_DB_KIND=pg needs JZ_PG_URL (see scripts/pg-temp.sh)');
    const name = `jz_http_${process.pid}_${randomBytes(4).toString('hex')}`;
    psql(base, `CREATE DATABASE ${name}`);
    // PostgreSQL has no file beside which the key file could live: give it one (JZ_KEYS).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-keys-'));
    return {
      db: pgUrlFor(base, name),
      dir,
      keys: path.join(dir, 'jiazheng.keys'),
      drop: () => {
        psql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error(`unknown database kind ${JSON.stringify(kind)} (sqlite or pg)`);
}

// Servers still running when the test process exits (a test that never
// called stop(), or the runner stopping us with a signal) are killed and their
// SQLite files removed, so nothing is left behind. (PostgreSQL databases go
// with the throwaway cluster.)
const live = new Map(); // proc -> sqlite dir or null
function killAll() {
  for (const [proc, dir] of live) {
    proc.kill('SIGKILL');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}
process.on('exit', killAll);
for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15]]) {
  process.once(sig, () => {
    killAll();
    process.exit(128 + n);
  });
}

/**
 * Starts `jiazheng serve` on a fresh, initialised database and a free port,
 * and waits until GET /healthz answers 200.
 *   opts.kind   'sqlite' | 'pg' (default $JZ_DB_KIND, else sqlite)
 *   opts.env    extra environment for the binary
 *   opts.args   extra arguments for `serve`
 *   opts.prepare(database) runs after `init`, before `serve` ({db, dir, keys?})
 *   opts.db     an existing, initialised database instead (with opts.keys, its key
 *               file): no init, and stop() leaves it alone (several nodes share it)
 * Returns {base, db, port, keys, proc, stop(), run(args, {input, env}), output()}.
 */
/** Runs SQL on a test database with sqlite3 or psql; returns spawnSync's result. */
export function runSql(kind, db, statement) {
  return kind === 'sqlite'
    ? spawnSync('sqlite3', [db, statement], { encoding: 'utf8' })
    : spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', statement], { encoding: 'utf8' });
}

/** Runs SQL on a server's database; returns its output lines, throws when it fails. */
export function sqlLines(srv, statement) {
  const r = runSql(srv.kind, srv.db, statement);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${statement}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

// What a card face (migration 012) holds, compared with the same computed afresh.
const FACE = 'worker_id, name, birth_date, native_region, service_types, id_check_method, id_check_at,' +
  ' bg_status, bg_at, bg_confirmed_at, consent_method, expiries, equipment, last_checkin, reviews,' +
  ' review_points, first_employment, negatives, employers';
const STALE_FACES =
  `SELECT COUNT(*) FROM (SELECT ${FACE} FROM card_faces EXCEPT SELECT ${FACE} FROM card_face_source` +
  ' WHERE worker_id IN (SELECT worker_id FROM card_faces)) AS stale' +
  ' UNION ALL SELECT COUNT(*) FROM cards WHERE worker_id NOT IN (SELECT worker_id FROM card_faces)';

/**
 * After a test file's writes, every card face must equal its worker's data computed
 * afresh, and every worker with a card must have one: the triggers that keep the faces
 * cover every write the tests make. Returns a problem or null (a database without
 * card faces, e.g. one a test broke on purpose, is not checked).
 */
function staleCardFaces(kind, db) {
  const r = runSql(kind, db, STALE_FACES);
  if (r.error || r.status !== 0) return null;
  const [stale, missing] = r.stdout.trim().split('\n').map(Number);
  if (!stale && !missing) return null;
  return `card faces out of step with their workers: ${stale} stale, ${missing} missing`;
}

export async function startServer(opts = {}) {
  const kind = opts.kind || process.env.JZ_DB_KIND || 'sqlite';
  const bin = binPath();
  if (!fs.existsSync(bin)) throw new Error(`${bin} does not exist; build it first (make check-build)`);
  const database = opts.db ? { db: opts.db, keys: opts.keys, dir: null, drop: () => {} } : createDatabase(kind);
  const env = { ...process.env, ...(database.keys ? { JZ_KEYS: database.keys } : {}), ...(opts.env || {}) };
  const { db } = database;
  const reports = []; // sanitizer lines seen in run() output

  const run = (args, { input, env: extra } = {}) => {
    const r = spawnSync(bin, args, {
      cwd: ROOT,
      input,
      encoding: 'utf8',
      env: { ...env, ...(extra || {}) },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    reports.push(...sanitizerReports(r.stderr || ''));
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  };

  let proc;
  try {
    const init = opts.db ? { status: 0 } : run(['init', '--db', db]);
    if (init.status !== 0) {
      throw new Error(`${bin} init --db ${db} exited ${init.status ?? init.signal}:\n${init.stderr}${init.stdout}`);
    }
    if (opts.prepare) opts.prepare(database);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const user = (opts.args || []).includes('--user') ? [] : rootUser();
    proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...user, ...(opts.args || [])], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => resolve({ code, signal }));
      proc.on('error', (err) => resolve({ code: null, signal: null, err }));
    });
    let status = null;
    exited.then((s) => {
      status = s;
      live.delete(proc);
    });
    live.set(proc, database.dir);

    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (status) {
        throw new Error(`jiazheng serve exited (${status.err ? status.err.message : status.code ?? status.signal}) before /healthz answered:\n${stderr}${stdout}`);
      }
      try {
        const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
        await r.arrayBuffer();
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`jiazheng serve: /healthz not 200 within ${HEALTH_TIMEOUT_MS / 1000} s; stderr:\n${stderr}${stdout}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    let stopped = null;
    const stop = () => {
      stopped ??= (async () => {
        try {
          if (!status) proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
          const s = await exited;
          clearTimeout(timer);
          const problems = [];
          if (s.code !== 0) problems.push(`exited ${s.code ?? s.signal} on SIGTERM (expected 0)`);
          const found = [...reports, ...sanitizerReports(stderr)];
          if (found.length) problems.push(`sanitizer reports:\n  ${found.join('\n  ')}`);
          const faces = opts.db ? null : staleCardFaces(kind, db);
          if (faces) problems.push(faces);
          if (problems.length) throw new Error(`jiazheng serve ${problems.join('; ')}\nstderr:\n${stderr}`);
        } finally {
          database.drop();
        }
      })();
      return stopped;
    };
    const keys = database.keys || `${db}.keys`; // the key file (tests that sign their own tokens read it)
    return { base, db, port, kind, keys, proc, stop, run, output: () => ({ stdout, stderr }) };
  } catch (e) {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    try {
      database.drop();
    } catch {
      // keep the first error
    }
    throw e;
  }
}

/**
 * Runs fn(server) on a fresh server and always stops it; an error from fn
 * wins over one from stop().
 */
export async function withServer(opts, fn) {
  const srv = await startServer(opts);
  let failed = true;
  try {
    const r = await fn(srv);
    failed = false;
    return r;
  } finally {
    if (failed) await srv.stop().catch(() => {});
    else await srv.stop();
  }
}

/** Extracts the CSRF token from a form's `<input name="csrf" value="...">`. */
export function csrfFrom(html) {
  for (const tag of html.match(/<input\b[^>]*>/gi) || []) {
    if (!/\bname\s*=\s*["']?csrf["'\s>/]/i.test(tag)) continue;
    const m = tag.match(/\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i);
    if (m) return unescapeHtml(m[1] ?? m[2] ?? m[3]);
  }
  throw new Error('no <input name="csrf" value="..."> in page');
}

function unescapeHtml(s) {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * An HTTP client with a cookie jar, like one browser tab. Redirects are not
 * followed (tests see the 303 and its Location). Every method resolves to
 * {status, headers, text, json}; json is the parsed body when the response is
 * JSON, else undefined.
 */
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  /** The Cookie header value for the current jar ('' when empty). */
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  storeCookies(headers) {
    const list = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
    for (const line of list) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expired = false;
      for (const a of attrs) {
        const [k, ...rest] = a.split('=');
        const key = k.trim().toLowerCase();
        const val = rest.join('=').trim();
        if (key === 'max-age' && Number(val) <= 0) expired = true;
        if (key === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method, path, { headers = {}, body } = {}) {
    const h = { ...headers };
    const cookie = this.cookieHeader();
    if (cookie && !Object.keys(h).some((k) => k.toLowerCase() === 'cookie')) h.Cookie = cookie;
    const res = await fetch(new URL(path, this.base), { method, headers: h, body, redirect: 'manual' });
    this.storeCookies(res.headers);
    const text = await res.text();
    let json;
    const type = res.headers.get('content-type') || '';
    if (/[/+]json\b/i.test(type)) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new Error(`${method} ${path}: ${type} body is not JSON (${e.message}): ${text.slice(0, 500)}`);
      }
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  get(path, { headers } = {}) {
    return this.request('GET', path, { headers });
  }

  postForm(path, fields, { headers } = {}) {
    return this.request('POST', path, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  postJson(path, obj, { headers } = {}) {
    return this.request('POST', path, {
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: JSON.stringify(obj),
    });
  }
}

/** `jiazheng user add` on the server's database; returns the new account's password. */
export function addUser(srv, username, role, extra = []) {
  const r = srv.run(['user', 'add', '--db', srv.db, '--username', username, '--role', role, ...extra]);
  if (r.status !== 0) throw new Error(`user add ${username}: ${r.stderr}`);
  return r.stdout.match(/password: (\S+)/)[1];
}

/** Signs in through the API; returns the session token. */
export async function apiLogin(srv, username, password) {
  const r = await new Client(srv.base).postJson('/api/v1/session', { username, password });
  if (r.status !== 200) throw new Error(`sign-in ${username}: ${r.status} ${r.text}`);
  return r.json.token;
}
