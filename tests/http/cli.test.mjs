// CLI tests: drive the real `jiazheng` binary (JZ_BIN, default build/jiazheng) through
// every operator subcommand, on SQLite (default) or PostgreSQL (JZ_DB_KIND=pg, with
// JZ_PG_URL naming a server where databases may be created and dropped).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, freePort, rootUser } from './lib.mjs';

const BIN = resolve(process.env.JZ_BIN || 'build/jiazheng');
const KIND = process.env.JZ_DB_KIND || 'sqlite';
const PG_URL = process.env.JZ_PG_URL || '';
if (KIND !== 'sqlite' && KIND !== 'pg') throw new Error(`JZ_DB_KIND must be sqlite or pg, not ${KIND}`);
if (KIND === 'pg' && !PG_URL) throw new Error('JZ_DB_KIND=pg needs JZ_PG_URL');

const dir = mkdtempSync(join(tmpdir(), 'jz-cli-'));
// A SQLite database keeps its key file beside it; PostgreSQL gets one through JZ_KEYS.
if (KIND === 'pg') process.env.JZ_KEYS = join(dir, 'pg.keys');
const pgDatabases = [];

function run(args, input) {
  const r = spawnSync(BIN, args, { input: input ?? '', encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function psql(url, sql) {
  const r = spawnSync('psql', ['-qX', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
}

// A fresh, empty database for one test: a new SQLite path, or a new PostgreSQL database
// dropped when the file's tests end.
function freshDb(name) {
  if (KIND === 'sqlite') return join(dir, `${name}.db`);
  const db = `jz_cli_${process.pid}_${name.replace(/[^a-z0-9]/gi, '_')}`.toLowerCase();
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

function initDb(name) {
  const db = freshDb(name);
  const r = run(['init', '--db', db]);
  assert.equal(r.code, 0, r.err);
  return db;
}

// ---- code builders: GB 11643 ID numbers and GB 32100 credit codes ----

function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function orgCheck(org8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...org8].reduce((s, c, i) => s + parseInt(c, 36) * w[i], 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
function usccCheck(first17) {
  let sum = 0, weight = 1;
  for (const c of first17) {
    sum += USCC_CHARS.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}
function uscc(authority, type, region, org8, badOrgCheck = false) {
  let oc = orgCheck(org8);
  if (badOrgCheck) oc = oc === '1' ? '2' : '1';
  const first17 = authority + type + region + org8 + oc;
  return first17 + usccCheck(first17);
}
const fullWidth = (s) => [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

// ---- usage ----

const SUBCOMMANDS = [
  ['init'], ['serve'], ['demo'], ['validate'], ['company', 'add'], ['user', 'add'],
  ['audit', 'verify'], ['backup'], ['routes'],
];

test('--help of every subcommand prints usage on stdout and exits 0', () => {
  assert.equal(run(['--help']).code, 0);
  for (const cmd of SUBCOMMANDS) {
    for (const args of [[...cmd, '--help'], [cmd[0], '--help']]) {
      const r = run(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.match(r.out, /usage: jiazheng/, args.join(' '));
    }
  }
});

test('usage errors exit 2 with a message on stderr', () => {
  const cases = [
    [],
    ['frobnicate'],
    ['init'],
    ['init', '--db'],
    ['init', '--db', join(dir, 'x.db'), '--nonsense'],
    ['company', 'add', '--uscc', '91350100M000100Y43', '--name', 'x', '--county', '430922'],
    ['company', 'remove', '--db', join(dir, 'x.db')],
    ['user', 'add', '--username', 'abc', '--role', 'admin'],
    ['user', 'add', '--db', join(dir, 'x.db'), '--role', 'admin'],
    ['audit', 'verify'],
    ['audit', 'check', '--db', join(dir, 'x.db')],
    ['backup', join(dir, 'out.db')],
    ['backup', '--db', join(dir, 'x.db')],
    ['demo'],
    ['demo', '--db', join(dir, 'x.db'), '--seed', 'abc'],
    ['validate'],
    ['validate', 'phone'],
    ['routes', 'extra'],
  ];
  for (const args of cases) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')} exited ${r.code}: ${r.err}`);
    assert.notEqual(r.err, '', args.join(' '));
  }
  assert.equal(existsSync(join(dir, 'x.db')), false, 'a usage error must not create the database');
});

// ---- routes (what the security scan builds its targets from) ----

test('routes prints every route with its declared parameters', () => {
  const r = run(['routes']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  for (const l of lines) assert.match(l, /^(GET|POST|DELETE)\t(page|api)\t\/\S*\t(-|form|upload|json)\t(-|[a-z_0-9]+:\d+(,[a-z_0-9]+:\d+)*)$/, l);
  assert.ok(lines.includes('POST\tpage\t/login\tform\tusername:200,password:300'), 'the sign-in form');
  assert.ok(lines.includes('GET\tapi\t/api/v1/companies\t-\tq:200,county:16,limit:8,offset:12'), 'a search with a query');
  assert.ok(lines.includes('POST\tapi\t/api/v1/workers/*/notes\tjson\tnotes:4000'), 'an API route with a path segment');
  assert.ok(lines.some((l) => l.startsWith('POST\tpage\t/records\tupload\t')), 'an upload');
  assert.equal(new Set(lines.map((l) => l.split('\t').slice(0, 3).join(' '))).size, lines.length, 'no route twice');
});

// ---- validate ----

test('validate id: one line per input line, fault named, exit 1', () => {
  const valid = idNumber('43092219900101123');
  const lines = [
    [valid, /^VALID$/],
    [fullWidth(valid), /^VALID$/],
    [`  ${valid}  `, /^VALID$/],
    [valid.slice(0, 17), /^INVALID length: /],
    ['430922900101123', /^INVALID length: 15-digit/],
    [valid.slice(0, 10) + 'A' + valid.slice(11), /^INVALID characters: /],
    [idNumber('99999919900101123'), /^INVALID region: /],
    [idNumber('43092219900230123'), /^INVALID birth date: /],
    [valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0'), /^INVALID check character: /],
    ['', /^INVALID length: empty$/],
  ];
  const r = run(['validate', 'id'], lines.map((l) => l[0]).join('\n') + '\n');
  assert.equal(r.code, 1, r.err);
  const out = r.out.split('\n');
  assert.equal(out.pop(), '');
  assert.equal(out.length, lines.length);
  lines.forEach(([input, re], i) => assert.match(out[i], re, `line ${i + 1}: ${input}`));

  const ok = run(['validate', 'id'], `${valid}\r\n${idNumber('11010119800101001')}\n`);
  assert.equal(ok.code, 0);
  assert.equal(ok.out, 'VALID\nVALID\n');
});

test('validate uscc: one line per input line, fault named, exit 1', () => {
  const valid = uscc('9', '1', '430922', 'MA4L3T2K');
  const lines = [
    ['91350100M000100Y43', /^VALID$/],
    [valid, /^VALID$/],
    [fullWidth(valid), /^VALID$/],
    [valid.toLowerCase(), /^VALID$/],
    [valid.slice(0, 15), /^INVALID length: /],
    [valid.slice(0, 10) + 'I' + valid.slice(11), /^INVALID characters: /],
    [uscc('B', '1', '430922', 'MA4L3T2K'), /^INVALID registration authority: /],
    [uscc('9', '9', '430922', 'MA4L3T2K'), /^INVALID organisation type: /],
    [uscc('9', '1', '999999', 'MA4L3T2K'), /^INVALID region: /],
    [uscc('9', '1', '430922', 'MA4L3T2K', true), /^INVALID organisation code: /],
    [valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0'), /^INVALID check character: /],
  ];
  const r = run(['validate', 'uscc'], lines.map((l) => l[0]).join('\n') + '\n');
  assert.equal(r.code, 1, r.err);
  const out = r.out.split('\n');
  assert.equal(out.pop(), '');
  assert.equal(out.length, lines.length);
  lines.forEach(([input, re], i) => assert.match(out[i], re, `line ${i + 1}: ${input}`));
});

// ---- init, company, user, audit ----

test('init creates the schema and is idempotent', () => {
  const db = freshDb('init');
  const first = run(['init', '--db', db]);
  assert.equal(first.code, 0, first.err);
  // Every migration the binary carries; numbers may have gaps (branches number theirs apart).
  const m = first.out.match(/^database ready: schema version (\d+) \((\d+) migrations? applied\)\n$/);
  assert.ok(m, first.out);
  const files = readdirSync(join(ROOT, 'src/store/migrations/sqlite')).filter((f) => /^\d+_.*\.sql$/.test(f));
  assert.equal(Number(m[2]), files.length);
  assert.equal(Number(m[1]), Math.max(...files.map((f) => parseInt(f, 10))));
  const again = run(['init', '--db', db]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /^database ready: schema version \d+ \(0 migrations applied\)\n$/);
});

test('commands and serve refuse a database that lacks a migration below its highest', async () => {
  if (KIND !== 'sqlite') return;
  const db = initDb('gap');
  // As if a branch's later migration had been applied before an earlier one was merged.
  const r0 = spawnSync('sqlite3', [db, 'DELETE FROM schema_version WHERE version = 6'], { encoding: 'utf8' });
  assert.equal(r0.status, 0, r0.stderr);
  const r = run(['audit', 'verify', '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.err, /lacks 1 of this program's migrations/);
  // serve binds its port before it opens the database (as the --user account when root).
  const s = run(['serve', '--db', db, '--listen', `127.0.0.1:${await freePort()}`, ...rootUser()]);
  assert.notEqual(s.code, 0);
  assert.match(s.err, /not up to date/);
});

test('commands refuse a database that was never initialised', () => {
  if (KIND !== 'sqlite') return;
  const db = join(dir, 'never.db');
  const r = run(['audit', 'verify', '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.err, /jiazheng init --db/);
  assert.equal(existsSync(db), false);
});

test('company add, user add of every role, audit verify', () => {
  const db = initDb('accounts');
  const code = uscc('9', '1', '430922', 'MA4L3T2K');
  const add = run(['company', 'add', '--db', db, '--uscc', code, '--name', '桃江县巧手家政服务有限公司',
    '--county', '430922', '--legal-rep', '王秀英', '--address', '桃江县人民路12号',
    '--phone', '138 0737 1234', '--service-types', 'cleaning|nanny']);
  assert.equal(add.code, 0, add.err);
  assert.equal(add.out, `company ${code} added (active)\n`);
  // Full-width and lowercase input is normalised.
  const code2 = uscc('9', '1', '430923', 'MA7Q1W3E');
  const add2 = run(['company', 'add', '--db', db, '--uscc', fullWidth(code2.toLowerCase()),
    '--name', '安化县好帮手家政', '--county', '430923']);
  assert.equal(add2.code, 0, add2.err);
  assert.equal(add2.out, `company ${code2} added (active)\n`);

  const bad = [
    [['--uscc', code.slice(0, 17) + (code[17] === '0' ? '1' : '0'), '--name', '某家政', '--county', '430922'],
      /^jiazheng: uscc: check character/],
    [['--uscc', '12345', '--name', '某家政', '--county', '430922'], /^jiazheng: uscc: length.*12345/],
    [['--uscc', uscc('9', '1', '430921', 'MA1B2C3D'), '--name', '某家政', '--county', '999999'],
      /^jiazheng: county: .*999999/],
    [['--uscc', uscc('9', '1', '430921', 'MA1B2C3D'), '--name', '某家政', '--county', '430900'],
      /^jiazheng: county: .*430900/],
    [['--uscc', code, '--name', '重复家政', '--county', '430922'], /^jiazheng: uscc: .*already/],
    [['--uscc', uscc('9', '1', '430921', 'MA1B2C3D'), '--name', '某家政', '--county', '430921',
      '--service-types', 'cleaning|astrology'], /^jiazheng: service_types: .*astrology/],
    [['--uscc', uscc('9', '1', '430921', 'MA1B2C3D'), '--name', '某家政', '--county', '430921',
      '--phone', '12345'], /^jiazheng: phone: .*12345/],
    [['--uscc', uscc('9', '1', '430921', 'MA1B2C3D'), '--name', 'x', '--county', '430921'],
      /^jiazheng: name: /],
  ];
  for (const [args, re] of bad) {
    const r = run(['company', 'add', '--db', db, ...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.out}`);
    assert.match(r.err, re);
    assert.equal(r.out, '');
  }

  const generated = /^user (\S+) added \(role (\S+)\); password: (\S{10,})\n$/;
  const users = [
    ['--username', 'admin', '--role', 'admin'],
    ['--username', 'regulator-hunan', '--role', 'regulator', '--region', '430000'],
    ['--username', 'regulator-yiyang', '--role', 'regulator', '--region', '430900', '--name', '益阳市商务局'],
    ['--username', 'association-hunan', '--role', 'association', '--region', '430000'],
    ['--username', code, '--role', 'company_admin', '--company', code],
    ['--username', 'staff-1', '--role', 'company_staff', '--company', code2],
  ];
  for (const args of users) {
    const r = run(['user', 'add', '--db', db, ...args]);
    assert.equal(r.code, 0, r.err);
    const m = r.out.match(generated);
    assert.ok(m, r.out);
    assert.equal(m[1], args[1]);
    assert.equal(m[2], args[3]);
  }
  const piped = run(['user', 'add', '--db', db, '--username', 'piped', '--role', 'admin',
    '--password-stdin'], 'a long enough password\n');
  assert.equal(piped.code, 0, piped.err);
  assert.equal(piped.out, 'user piped added (role admin)\n');

  const badUsers = [
    [['--username', 'reg-x', '--role', 'regulator', '--region', '999999'], /^jiazheng: region: .*999999/],
    [['--username', 'reg-y', '--role', 'regulator'], /^jiazheng: region: /],
    [['--username', 'assoc-x', '--role', 'association', '--region', '43'], /^jiazheng: region: /],
    [['--username', 'ca-x', '--role', 'company_admin', '--company', uscc('9', '1', '430921', 'MA1B2C3D')],
      /^jiazheng: company: no active company/],
    [['--username', 'ca-y', '--role', 'company_admin', '--company', 'nonsense'], /^jiazheng: company: /],
    [['--username', 'admin', '--role', 'admin'], /^jiazheng: username: .*taken/],
    [['--username', 'x', '--role', 'admin'], /^jiazheng: username: /],
    [['--username', 'boss-1', '--role', 'boss'], /^jiazheng: role: .*boss/],
  ];
  for (const [args, re] of badUsers) {
    const r = run(['user', 'add', '--db', db, ...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.out}`);
    assert.match(r.err, re);
  }
  const short = run(['user', 'add', '--db', db, '--username', 'shorty', '--role', 'admin',
    '--password-stdin'], 'short\n');
  assert.equal(short.code, 1);
  assert.match(short.err, /^jiazheng: password: /);
  assert.doesNotMatch(short.err, /short\b.*short/);

  // 2 companies + 7 accounts, one audit entry each.
  const v = run(['audit', 'verify', '--db', db]);
  assert.equal(v.code, 0, v.err);
  assert.equal(v.out, 'audit log intact: 9 entries\n');
});

test('audit verify names the entry someone altered (SQLite)', () => {
  if (KIND !== 'sqlite') return;
  const db = initDb('tamper');
  for (const [n, county] of [[1, '430922'], [2, '430923'], [3, '430981']]) {
    const r = run(['company', 'add', '--db', db, '--uscc', uscc('9', '1', county, `MA00000${n}`),
      '--name', `测试家政${n}`, '--county', county]);
    assert.equal(r.code, 0, r.err);
  }
  assert.equal(run(['audit', 'verify', '--db', db]).out, 'audit log intact: 3 entries\n');
  // With the trigger in place the change is refused.
  const refused = spawnSync('sqlite3', [db, `UPDATE audit_log SET detail = '{}' WHERE id = 2`], { encoding: 'utf8' });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /append-only/);
  const r = spawnSync('sqlite3', [db, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{}' WHERE id = 2`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const v = run(['audit', 'verify', '--db', db]);
  assert.equal(v.code, 1);
  assert.match(v.out, /^audit log broken at entry 2: altered/);
});

// ---- backup ----

test('backup writes a copy and refuses an existing file', () => {
  const db = initDb('backup');
  for (const [n, county] of [[1, '430922'], [2, '430104']]) {
    const r = run(['company', 'add', '--db', db, '--uscc', uscc('9', '1', county, `MA10000${n}`),
      '--name', `备份家政${n}`, '--county', county]);
    assert.equal(r.code, 0, r.err);
  }
  const file = join(dir, KIND === 'sqlite' ? 'backup-copy.db' : 'backup.dump');
  const r = run(['backup', '--db', db, file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `backup written to ${file}\n`);
  assert.equal(existsSync(`${file}.tmp`), false);
  if (KIND === 'sqlite') {
    const q = spawnSync('sqlite3', [file, 'select count(*) from companies'], { encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    assert.equal(q.stdout.trim(), '2');
    // The copy is a working database.
    assert.equal(run(['audit', 'verify', '--db', file]).out, 'audit log intact: 2 entries\n');
  } else {
    assert.ok(statSync(file).size > 0);
  }
  const size = statSync(file).size;
  const again = run(['backup', '--db', db, file]);
  assert.equal(again.code, 1);
  assert.match(again.err, /already exists/);
  assert.equal(statSync(file).size, size);

  const other = join(dir, 'not-a-backup.txt');
  writeFileSync(other, 'keep me');
  assert.equal(run(['backup', '--db', db, other]).code, 1);
  if (KIND === 'sqlite') {
    const missing = run(['backup', '--db', join(dir, 'missing.db'), join(dir, 'missing-copy.db')]);
    assert.equal(missing.code, 1);
    assert.equal(existsSync(join(dir, 'missing-copy.db')), false);
  }
});

// ---- demo ----

test('demo fills an empty database, prints the accounts, refuses a second run', () => {
  const db = freshDb('demo');
  const r = run(['demo', '--db', db]);
  assert.equal(r.code, 0, r.err);
  const accounts = [...r.out.matchAll(/^(admin|regulator|association|company_admin)  (\S+)  (\S+)$/gm)];
  const byName = Object.fromEntries(accounts.map((m) => [m[2], m[1]]));
  assert.equal(byName['admin'], 'admin');
  assert.equal(byName['regulator-hunan'], 'regulator');
  assert.equal(byName['regulator-yiyang'], 'regulator');
  assert.equal(byName['association-hunan'], 'association');
  const companyAdmins = accounts.filter((m) => m[1] === 'company_admin');
  assert.ok(companyAdmins.length >= 10, r.out);
  for (const m of companyAdmins) assert.match(m[2], /^9143\d{4}[0-9A-Z]{10}$/);
  const apps = [...r.out.matchAll(/^application  (\S{18})  (\S+)  (\S+)$/gm)];
  assert.equal(apps.length, 4, r.out);
  assert.equal(apps.filter((m) => m[1].startsWith('914309')).length, 2);
  // Every generated credit code is valid.
  const codes = [...companyAdmins.map((m) => m[2]), ...apps.map((m) => m[1])];
  const v = run(['validate', 'uscc'], codes.join('\n') + '\n');
  assert.equal(v.code, 0, v.out);

  const again = run(['demo', '--db', db]);
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds data/);
  assert.equal(run(['audit', 'verify', '--db', db]).code, 0);

  // The same seed gives the same companies.
  const db2 = freshDb('demo2');
  const r2 = run(['demo', '--db', db2, '--seed', '1']);
  assert.equal(r2.code, 0, r2.err);
  const names = (out) => [...out.matchAll(/^company_admin  (\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(names(r2.out), names(r.out));

  // --workers: tests/http/demo.test.mjs.
});
