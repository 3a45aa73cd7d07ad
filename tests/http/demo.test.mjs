// `jiazheng demo --workers N`: the real binary (JZ_BIN, default build/jiazheng) on SQLite
// (default) or PostgreSQL (JZ_DB_KIND=pg, with JZ_PG_URL naming a server where databases
// may be created and dropped). The database is inspected with sqlite3 or psql.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(process.env.JZ_BIN || 'build/jiazheng');
const KIND = process.env.JZ_DB_KIND || 'sqlite';
const PG_URL = process.env.JZ_PG_URL || '';
if (KIND !== 'sqlite' && KIND !== 'pg') throw new Error(`JZ_DB_KIND must be sqlite or pg, not ${KIND}`);
if (KIND === 'pg' && !PG_URL) throw new Error('JZ_DB_KIND=pg needs JZ_PG_URL');

const dir = mkdtempSync(join(tmpdir(), 'jz-demo-'));
// A SQLite database keeps its key file beside it; PostgreSQL gets one through JZ_KEYS.
const env = { ...process.env };
if (KIND === 'pg') env.JZ_KEYS = join(dir, 'pg.keys');
const pgDatabases = [];

function run(args) {
  const r = spawnSync(BIN, args, { input: '', encoding: 'utf8', timeout: 240000, env });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function psql(url, sql) {
  const r = spawnSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
  return r.stdout;
}

// The rows of a query as arrays of strings (columns separated by '|').
function query(db, sql) {
  let out;
  if (KIND === 'sqlite') {
    const r = spawnSync('sqlite3', ['-batch', db, sql], { encoding: 'utf8' });
    assert.equal(r.status, 0, `sqlite3 ${sql}: ${r.stderr}`);
    out = r.stdout;
  } else {
    out = psql(db, sql);
  }
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}
const scalar = (db, sql) => query(db, sql)[0][0];

function freshDb(name) {
  if (KIND === 'sqlite') return join(dir, `${name}.db`);
  const db = `jz_demo_${process.pid}_${name.replace(/[^a-z0-9]/gi, '_')}`.toLowerCase();
  psql(PG_URL, `DROP DATABASE IF EXISTS ${db}`);
  psql(PG_URL, `CREATE DATABASE ${db}`);
  pgDatabases.push(db);
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

after(() => {
  for (const db of pgDatabases) psql(PG_URL, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

const WORKER_LINE = /^worker  (\S+)  phone (1[3-9]\d{9})  consent code (\d{8})$/gm;

test('demo --workers 300 creates 300 employed workers with sealed ID numbers and phones', () => {
  const db = freshDb('w300');
  const r = run(['demo', '--db', db, '--workers', '300']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^demo workers: 300$/m);
  const lines = [...r.out.matchAll(WORKER_LINE)];
  assert.equal(lines.length, 2, r.out);
  for (const m of lines) assert.match(m[1], /^\p{Script=Han}+\*+\p{Script=Han}*$/u, m[0]);

  assert.equal(scalar(db, 'SELECT COUNT(*) FROM workers'), '300');
  assert.equal(scalar(db, 'SELECT COUNT(DISTINCT id_hash) FROM workers'), '300');
  assert.equal(scalar(db, 'SELECT COUNT(DISTINCT phone_hash) FROM workers'), '300');
  assert.equal(
    scalar(db, 'SELECT COUNT(*) FROM workers w WHERE NOT EXISTS' +
               ' (SELECT 1 FROM employments e WHERE e.worker_id = w.id AND e.ended IS NULL)'),
    '0');
  // About 2% work for a second company; every employer is an active demo company.
  const twice = Number(scalar(db, 'SELECT COUNT(*) FROM (SELECT worker_id FROM employments' +
                                  ' GROUP BY worker_id HAVING COUNT(*) > 1) t'));
  assert.ok(twice >= 1 && twice <= 20, `${twice} workers with two employments`);
  assert.equal(scalar(db, "SELECT COUNT(*) FROM employments e JOIN companies c ON c.id = e.company_id" +
                          " WHERE c.status <> 'active'"), '0');
  assert.ok(Number(scalar(db, 'SELECT COUNT(DISTINCT company_id) FROM employments')) >= 10);
  // Sealed at rest, never clear.
  assert.match(scalar(db, 'SELECT id_sealed FROM workers LIMIT 1'), /^v1\./);
  assert.equal(scalar(db, "SELECT COUNT(*) FROM workers WHERE id_sealed NOT LIKE 'v1.%'" +
                          " OR phone_sealed NOT LIKE 'v1.%' OR phone_sealed IS NULL"), '0');
  if (KIND === 'sqlite') {
    const bytes = Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    for (const m of lines) assert.equal(bytes.includes(m[2]), false, `phone ${m[2]} in clear in the database`);
  }
  // A realistic mix: mostly women born 1965–2002, mostly from Hunan, checks and
  // certificates on most, some expired.
  const [women, minBirth, maxBirth, hunan] = query(db,
    "SELECT SUM(female), MIN(birth_date), MAX(birth_date)," +
    " SUM(CASE WHEN native_region LIKE '43%' THEN 1 ELSE 0 END) FROM workers")[0];
  assert.ok(Number(women) > 240, `${women} women`);
  assert.ok(minBirth >= '1965-01-01' && maxBirth <= '2003-01-01', `${minBirth}..${maxBirth}`);
  assert.ok(Number(hunan) > 220 && Number(hunan) < 300, `${hunan} from Hunan`);
  assert.ok(Number(scalar(db, "SELECT COUNT(*) FROM workers WHERE id_check_method = 'document'")) > 240);
  assert.ok(Number(scalar(db, "SELECT COUNT(*) FROM workers WHERE bg_status = 'clear'")) > 240);
  assert.ok(Number(scalar(db, "SELECT COUNT(*) FROM workers WHERE consent_method = 'paper'")) > 220);
  const kinds = Object.fromEntries(query(db, 'SELECT kind, COUNT(*) FROM credentials GROUP BY kind'));
  for (const k of ['health', 'work_permit', 'skill', 'insurance', 'training']) assert.ok(Number(kinds[k]) > 0, k);
  assert.ok(Number(kinds.health) > 250, `${kinds.health} health certificates`);
  const today = new Date().toISOString().slice(0, 10);
  assert.ok(Number(scalar(db, `SELECT COUNT(*) FROM credentials WHERE kind = 'health' AND expires < '${today}'`)) > 0);
  assert.ok(Number(scalar(db, 'SELECT COUNT(DISTINCT worker_id) FROM equipment')) > 240);
  // The two printed workers wait for their confirmation with a code.
  assert.equal(scalar(db, "SELECT COUNT(*) FROM workers WHERE consent_code_hash IS NOT NULL" +
                          " AND consent_method = ''"), '2');
  // One audit entry per batch, and the chain holds.
  assert.deepEqual(query(db, "SELECT detail FROM audit_log WHERE action = 'demo.workers'"),
    [['{"workers":300}']]);
  assert.equal(run(['audit', 'verify', '--db', db]).code, 0);
});

test('the same seed gives the same workers in the same order', () => {
  const names = (db) => query(db, 'SELECT name, birth_date, service_types FROM workers ORDER BY id')
    .map((r) => r.join(' '));
  const dbs = ['seed-a', 'seed-b', 'seed-c'].map(freshDb);
  for (const [db, seed] of [[dbs[0], '5'], [dbs[1], '5'], [dbs[2], '6']]) {
    const r = run(['demo', '--db', db, '--workers', '60', '--seed', seed]);
    assert.equal(r.code, 0, r.err);
  }
  const a = names(dbs[0]);
  assert.equal(a.length, 60);
  assert.deepEqual(names(dbs[1]), a);
  assert.notDeepEqual(names(dbs[2]), a);
});

test('--workers must be a number within range', () => {
  for (const value of ['abc', '', '-5', '12x', '10000001']) {
    const db = join(dir, 'never.db');
    const r = run(['demo', '--db', db, '--workers', value]);
    assert.equal(r.code, 2, `--workers '${value}' exited ${r.code}: ${r.err}`);
    assert.match(r.err, /--workers/);
    assert.equal(existsSync(db), false, 'a usage error must not create the database');
  }
});
