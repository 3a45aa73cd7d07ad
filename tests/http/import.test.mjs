// Bulk import tests: drive `jiazheng import workers` (JZ_BIN, default build/jiazheng) on
// SQLite (default) or PostgreSQL (JZ_DB_KIND=pg with JZ_PG_URL): encodings, the header,
// every kind of rejected row, idempotence, dry runs, two companies sharing a worker, and
// a kill in the middle of a large import leaving only whole workers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(process.env.JZ_BIN || 'build/jiazheng');
const KIND = process.env.JZ_DB_KIND || 'sqlite';
const PG_URL = process.env.JZ_PG_URL || '';
if (KIND !== 'sqlite' && KIND !== 'pg') throw new Error(`JZ_DB_KIND must be sqlite or pg, not ${KIND}`);
if (KIND === 'pg' && !PG_URL) throw new Error('JZ_DB_KIND=pg needs JZ_PG_URL');

const dir = mkdtempSync(join(tmpdir(), 'jz-import-'));
const pgDatabases = [];
const SANITIZER = /AddressSanitizer|runtime error:|LeakSanitizer/;

after(() => {
  for (const db of pgDatabases) psql(PG_URL, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

function run(args, input) {
  const r = spawnSync(BIN, args, { input: input ?? '', encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  assert.doesNotMatch(r.stderr, SANITIZER, r.stderr);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function psql(url, sql) {
  const r = spawnSync('psql', ['-qtAX', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

/** One value from the database under test. */
function sql(db, query) {
  if (KIND === 'pg') return psql(db, query);
  const r = spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3 ${query}: ${r.stderr}`);
  return r.stdout.trim();
}
const count = (db, table) => Number(sql(db, `SELECT count(*) FROM ${table}`));

let dbSerial = 0;
/** A fresh initialised database (its key file next to it, or in the test dir for pg). */
function initDb() {
  const name = `t${++dbSerial}`;
  let db;
  const keys = join(dir, `${name}.keys`);
  if (KIND === 'sqlite') {
    db = join(dir, `${name}.db`);
  } else {
    const pgName = `jz_import_${process.pid}_${name}`;
    psql(PG_URL, `CREATE DATABASE ${pgName}`);
    pgDatabases.push(pgName);
    const u = new URL(PG_URL);
    u.pathname = `/${pgName}`;
    db = u.toString();
  }
  const r = run(['init', '--db', db, '--keys', keys]);
  assert.equal(r.code, 0, r.err);
  return { db, keys };
}

// ---- code builders ----

function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(region, org8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...org8].reduce((a, c, i) => a + parseInt(c, 36) * w[i], 0);
  const oc = 11 - (s % 11);
  const first17 = '91' + region + org8 + (oc === 10 ? 'X' : oc === 11 ? '0' : String(oc));
  let sum = 0, weight = 1;
  for (const c of first17) {
    sum += USCC_CHARS.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return first17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}
/** The n-th test person: a valid ID number from 桃江县 and a mobile number. */
function person(n) {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  const year = 1970 + (Math.floor(n / 336) % 30);
  const seq = String(n % 1000).padStart(3, '0');
  return {
    id: idNumber(`430922${year}${month}${day}${seq}`),
    phone: `139${String(n).padStart(8, '0')}`,
  };
}
const CO1 = uscc('430922', 'MA4L3T2K');
const CO2 = uscc('430923', 'MA7Q1W3E');

function addCompany(env, code, county) {
  const r = run(['company', 'add', '--db', env.db, '--uscc', code, '--name', `测试家政${county}`, '--county', county]);
  assert.equal(r.code, 0, r.err);
}

function setup() {
  const env = initDb();
  addCompany(env, CO1, '430922');
  return env;
}

let fileSerial = 0;
function csvFile(content) {
  const path = join(dir, `f${++fileSerial}.csv`);
  writeFileSync(path, content);
  return path;
}

function importFile(env, path, { company = CO1, extra = [] } = {}) {
  return run(['import', 'workers', '--db', env.db, '--keys', env.keys, '--company', company, ...extra, path]);
}

const HEADER = 'name,id_number,phone,service_types,consent_date,health_no,health_issuer,health_issued,health_expires';
function goodRows(from, n) {
  const names = ['王秀英', '李桂兰', '张玉梅', '刘淑珍', '陈春花'];
  const rows = [];
  for (let i = from; i < from + n; i++) {
    const p = person(i);
    rows.push(`${names[i % names.length]},${p.id},${p.phone},cleaning|月嫂,2024-03-0${1 + (i % 9)},JK${i},"桃江县疾控中心",2024-01-10,2026-01-09`);
  }
  return rows;
}

// ---- usage ----

test('import --help prints usage; usage errors exit 2', () => {
  for (const args of [['import', '--help'], ['import', 'workers', '--help']]) {
    const r = run(args);
    assert.equal(r.code, 0);
    assert.match(r.out, /usage: jiazheng import workers/);
  }
  for (const args of [['import'], ['import', 'companies'], ['import', 'workers', '--db', 'x.db', 'f.csv'],
    ['import', 'workers', '--db', 'x.db', '--company', CO1], ['import', 'workers', '--db', 'x.db', '--company', CO1, 'a', 'b'],
    ['import', 'workers', '--bogus']]) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.notEqual(r.err, '');
  }
});

// ---- good files ----

test('a good UTF-8 file imports; importing it again changes nothing', () => {
  const env = setup();
  const file = csvFile([HEADER, ...goodRows(0, 5)].join('\n') + '\n');
  let r = importFile(env, file);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'imported 5, already there 0, rejected 0 (of 5 rows)\n');
  assert.equal(r.err, '');
  assert.equal(count(env.db, 'workers'), 5);
  assert.equal(count(env.db, 'employments'), 5);
  assert.equal(count(env.db, 'credentials'), 5);
  assert.equal(Number(sql(env.db, "SELECT count(*) FROM workers WHERE consent_method = 'paper'")), 5);
  assert.equal(sql(env.db, 'SELECT DISTINCT service_types FROM workers'), 'cleaning|maternity');
  // Neither ID numbers nor phones are stored in clear.
  const p = person(0);
  assert.equal(Number(sql(env.db, `SELECT count(*) FROM workers WHERE id_sealed LIKE '%${p.id}%' OR phone_sealed LIKE '%${p.phone}%' OR id_hash = '${p.id}'`)), 0);
  const audits = sql(env.db, "SELECT detail FROM audit_log WHERE action = 'worker.import'");
  assert.equal(audits, '{"rows":5,"imported":5,"already_there":0,"rejected":0}');

  r = importFile(env, file);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'imported 0, already there 5, rejected 0 (of 5 rows)\n');
  assert.equal(count(env.db, 'workers'), 5);
  assert.equal(count(env.db, 'employments'), 5);
  assert.equal(count(env.db, 'credentials'), 5);
});

test('BOM, CRLF, quoted fields with commas and newlines, Chinese headers, stdin', () => {
  const env = setup();
  const rows = goodRows(10, 3);
  rows[0] = rows[0].replace('"桃江县疾控中心"', '"桃江县疾控中心,体检科"');
  // A line break inside quotes keeps the record whole (one row) but no field takes one.
  rows[1] = rows[1].replace('"桃江县疾控中心"', '"桃江县疾控中心\r\n体检科"');
  rows.push(`赵小燕,${person(13).id},12345,,,,,,`);
  const header = HEADER.replace('name', ' Name ').replace('phone', 'PHONE');
  const r = importFile(env, csvFile('\ufeff' + [header, ...rows].join('\r\n') + '\r\n'));
  assert.equal(r.code, 1, r.err);
  assert.equal(r.out, 'imported 2, already there 0, rejected 2 (of 4 rows)\n');
  assert.match(r.err, /^row 3, column health_issuer: .*\nrow 5, column phone: /);
  assert.equal(sql(env.db, "SELECT issuer FROM credentials ORDER BY issuer"), '桃江县疾控中心\n桃江县疾控中心,体检科');

  const p = person(20);
  const r2 = run(['import', 'workers', '--db', env.db, '--keys', env.keys, '--company', CO1, '-'],
    `姓名,身份证号,手机号,服务类型,授权日期\n周丽华,${p.id},${p.phone},保洁,\n`);
  assert.equal(r2.code, 0, r2.err);
  assert.equal(r2.out, 'imported 1, already there 0, rejected 0 (of 1 rows)\n');
  assert.equal(count(env.db, 'workers'), 3);
});

test('lines ending in CR alone (old Mac, "CSV (Macintosh)") import row by row', () => {
  // Found by tests/fuzz/fuzz_import.c: the header and the rows after it came as one line,
  // and the rows reached the writer before it started (a crash on a NULL queue).
  const env = setup();
  const p = person(40), q = person(41);
  const text = `姓名,身份证号,手机号\r吴春梅,${p.id},${p.phone}\r\r吴春兰,${q.id},12345\r`;
  const r = importFile(env, csvFile(text));
  assert.equal(r.code, 1, r.err);
  assert.equal(r.out, 'imported 1, already there 0, rejected 1 (of 2 rows)\n');
  assert.match(r.err, /^row 4, column 手机号: /);
  assert.equal(count(env.db, 'workers'), 1);
});

test('a GB18030 file (as Chinese Excel saves it) imports', () => {
  const env = setup();
  const p = person(30), q = person(31);
  const utf8 = `姓名,身份证号,手机号,服务类型\r\n欧阳娟娟,${p.id},${p.phone},保姆|养老护理\r\n谭㐀妹,${q.id},,育婴员\r\n`;
  const gb = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(utf8) });
  assert.equal(gb.status, 0, String(gb.stderr));
  assert.notDeepEqual(gb.stdout, Buffer.from(utf8));
  const path = join(dir, 'gb.csv');
  writeFileSync(path, gb.stdout);
  const r = importFile(env, path);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'imported 2, already there 0, rejected 0 (of 2 rows)\n');
  assert.equal(sql(env.db, 'SELECT name FROM workers ORDER BY name'), '欧阳娟娟\n谭㐀妹');

  // Bytes that are neither UTF-8 nor GB18030: refused, naming where.
  const bad = Buffer.concat([Buffer.from(`name,id_number\n张三,${p.id}\n`), Buffer.from([0x81, 0x20, 0x0a])]);
  const path2 = join(dir, 'bad-encoding.csv');
  writeFileSync(path2, bad);
  const r2 = importFile(env, path2);
  assert.equal(r2.code, 1);
  assert.match(r2.err, /neither UTF-8 nor GB18030: byte \d+ \(row 3\)/);
  assert.equal(r2.out, '');
});

// ---- rejected rows ----

test('bad rows are reported as row N, column C: reason; the good ones are imported', () => {
  const env = setup();
  const good = goodRows(40, 3);
  const p = person(50);
  const badCheck = p.id.slice(0, 17) + (p.id[17] === '0' ? '1' : '0');
  const lines = [
    HEADER,
    good[0], // row 2
    `赵小燕,${badCheck},,,,,,,`, // row 3: check character
    `钱小燕,${person(51).id},12345,,,,,,`, // row 4: phone
    `孙小燕,430922700101123,,,,,,,`, // row 5: 15 digits
    `李小燕,${idNumber('43092219900230123')},,,,,,,`, // row 6: 30 February
    `周小燕,${person(52).id},,,2024-02-30,,,,`, // row 7: consent date
    `吴小燕,${person(53).id},,清洁工,,,,,`, // row 8: unknown service type
    `郑小燕,${person(54).id},,`, // row 9: field count
    good[1], // row 10
    `冯小燕,${person(55).id},,,,JK1,,2024-01-01,`, // row 11: health certificate without expiry
    `陈小燕,${person(56).id},${person(40).phone},,,,,,`, // row 12: phone of another worker
    good[2].replace(/^[^,]*,/, '"卫小燕,'), // row 13: unterminated quote
  ];
  const r = importFile(env, csvFile(lines.join('\n') + '\n'));
  assert.equal(r.code, 1, r.err);
  assert.equal(r.out, 'imported 2, already there 0, rejected 10 (of 12 rows)\n');
  const err = r.err.trimEnd().split('\n');
  const expected = [
    /^row 3, column id_number: check character/,
    /^row 4, column phone: /,
    /^row 5, column id_number: .*15-digit/,
    /^row 6, column id_number: birth date/,
    /^row 7, column consent_date: not a date/,
    /^row 8, column service_types: unknown service type/,
    /^row 9: expected 9 fields, got 4$/,
    /^row 11, column health_expires: required/,
    /^row 12, column phone: this phone number belongs to another worker$/,
    /^row 13: unbalanced quotes/,
  ];
  // Row 13 swallows the rest of the file as one quoted field; what follows it is read
  // again from its next line, so nothing more here.
  assert.equal(err.length, expected.length, r.err);
  expected.forEach((re, i) => assert.match(err[i], re));
  // Whole ID numbers are never echoed.
  assert.ok(!r.err.includes(badCheck) && !r.err.includes('430922700101123'), r.err);
  assert.equal(count(env.db, 'workers'), 2);
});

test('an unterminated quote in the middle rejects one row; the rows after it are read', () => {
  const env = setup();
  const good = goodRows(60, 3);
  const lines = [HEADER, good[0], '"郭小燕,' + good[1].slice(good[1].indexOf(',') + 1), good[2]];
  const r = importFile(env, csvFile(lines.join('\n')));
  assert.equal(r.code, 1);
  assert.match(r.err, /^row 3: unbalanced quotes/);
  assert.equal(r.out, 'imported 2, already there 0, rejected 1 (of 3 rows)\n');
});

test('the same person twice in a file: the second is already there', () => {
  const env = setup();
  const [a, b] = goodRows(70, 2);
  const r = importFile(env, csvFile([HEADER, a, b, a].join('\n') + '\n'));
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'imported 2, already there 1, rejected 0 (of 3 rows)\n');
  assert.equal(count(env.db, 'workers'), 2);
});

// ---- refused files ----

test('unknown, missing and duplicate columns refuse the whole file', () => {
  const env = setup();
  const p = person(80);
  let r = importFile(env, csvFile(`name,id_number,nickname,Phone\n王芳芳,${p.id},芳,${p.phone}\n`));
  assert.equal(r.code, 1);
  assert.match(r.err, /^jiazheng: nickname: unknown column: nickname/);
  assert.equal(r.out, '');
  r = importFile(env, csvFile(`name,phone\n王芳芳,${p.phone}\n`));
  assert.equal(r.code, 1);
  assert.match(r.err, /^jiazheng: id_number: the header has no id_number column/);
  r = importFile(env, csvFile(`name,id_number,姓名\n王芳芳,${p.id},王芳芳\n`));
  assert.equal(r.code, 1);
  assert.match(r.err, /^jiazheng: 姓名: column 姓名 appears twice/);
  r = importFile(env, csvFile(''));
  assert.equal(r.code, 1);
  assert.match(r.err, /no header row/);
  assert.equal(count(env.db, 'workers'), 0);
  assert.equal(Number(sql(env.db, "SELECT count(*) FROM audit_log WHERE action = 'worker.import'")), 0);
});

test('unknown or inactive company, missing key file', () => {
  const env = setup();
  const file = csvFile([HEADER, ...goodRows(90, 1)].join('\n'));
  let r = importFile(env, file, { company: uscc('430921', 'MA1B2C3D') });
  assert.equal(r.code, 1);
  assert.match(r.err, /no company has the credit code/);
  r = importFile(env, file, { company: '12345' });
  assert.equal(r.code, 1);
  assert.match(r.err, /--company: length/);
  r = run(['import', 'workers', '--db', env.db, '--keys', join(dir, 'nonexistent.keys'), '--company', CO1, file]);
  assert.equal(r.code, 1);
  assert.match(r.err, /nonexistent\.keys/);
  assert.equal(count(env.db, 'workers'), 0);
});

// ---- dry run ----

test('--dry-run validates every row and writes nothing', () => {
  const env = setup();
  const rows = goodRows(100, 4);
  const file = csvFile([HEADER, ...rows, `赵小燕,${person(104).id},12345,,,,,,`].join('\n') + '\n');
  let r = importFile(env, file, { extra: ['--dry-run'] });
  assert.equal(r.code, 1);
  assert.equal(r.out, 'dry run, nothing written: valid 4, rejected 1 (of 5 rows)\n');
  assert.match(r.err, /^row 6, column phone: /);
  assert.equal(count(env.db, 'workers'), 0);
  assert.equal(Number(sql(env.db, "SELECT count(*) FROM audit_log WHERE action = 'worker.import'")), 0);
  r = importFile(env, file);
  assert.equal(r.code, 1);
  assert.equal(r.out, 'imported 4, already there 0, rejected 1 (of 5 rows)\n');
});

// ---- two companies ----

test('a worker imported by two companies is one person with two employments', () => {
  const env = setup();
  addCompany(env, CO2, '430923');
  const file = csvFile([HEADER, ...goodRows(110, 1)].join('\n') + '\n');
  assert.equal(importFile(env, file).code, 0);
  const r = importFile(env, file, { company: CO2 });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'imported 1, already there 0, rejected 0 (of 1 rows)\n');
  assert.equal(count(env.db, 'workers'), 1);
  assert.equal(count(env.db, 'employments'), 2);
});

test('the dashboards\' counts of an import equal a full recount (new persons counted by the import, known ones looked up)', () => {
  const env = setup();
  addCompany(env, CO2, '430923');
  // Known to CO2 first: 3 persons, one with a paper consent.
  const known = [HEADER, ...goodRows(400, 1), ...goodRows(401, 2).map((r) => r.replace(/,2024-03-0\d,/, ',,'))];
  const first = importFile(env, csvFile(known.join('\n') + '\n'), { company: CO2 });
  assert.equal(first.code, 0, first.err);
  // CO1 imports them again with 4 new persons (2 consented), in batches of 3; one of
  // the unconsented new persons comes again, consented, in the same batch.
  const fresh = [...goodRows(403, 2), ...goodRows(410, 2).map((r) => r.replace(/,2024-03-0\d,/, ',,')), ...goodRows(411, 1)];
  const file = csvFile([HEADER, ...goodRows(400, 1), ...goodRows(401, 2).map((r) => r.replace(/,2024-03-0\d,/, ',,')), ...fresh].join('\n') + '\n');
  const r = importFile(env, file, { extra: ['--batch-rows', '3'] });
  assert.equal(r.code, 0, r.err);
  const figures = 'SELECT county, w_entered, w_verified, w_consented, w_carded FROM region_stats WHERE w_entered > 0 ORDER BY county';
  const incremental = sql(env.db, figures);
  assert.match(incremental, /^430922\|7\|0\|4\|0$/m); // 3 known + 4 new; consents: 1 known + 3 new
  assert.match(incremental, /^430923\|3\|0\|1\|0$/m);
  const rebuild = run(['stats', 'rebuild', '--db', env.db]);
  assert.equal(rebuild.code, 0, rebuild.err);
  assert.equal(sql(env.db, figures), incremental);
});

// ---- kill in the middle ----

test('a kill in the middle of an import leaves only whole workers, in whole batches', async () => {
  const env = setup();
  const N = 24000;
  const rows = [HEADER];
  for (let i = 0; i < N; i++) {
    const p = person(200000 + i);
    rows.push(`王秀英,${p.id},${p.phone},cleaning,,JK${i},疾控中心,2024-01-10,2026-01-09`);
  }
  const path = join(dir, 'large.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  const child = spawn(BIN, ['import', 'workers', '--db', env.db, '--keys', env.keys, '--company', CO1,
    '--batch-rows', '1000', path],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  let done = null;
  exited.then((s) => (done = s));
  // Wait until the first batch is committed, then kill.
  const deadline = Date.now() + 60000;
  while (!done && Date.now() < deadline) {
    if (count(env.db, 'workers') > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  const s = await exited;
  assert.equal(s.signal, 'SIGKILL', `the import finished before the kill (${JSON.stringify(s)}); make the file larger`);
  const workers = count(env.db, 'workers');
  assert.ok(workers > 0 && workers < N, `workers ${workers}`);
  assert.equal(workers % 1000, 0, `workers ${workers} is not a whole number of batches`);
  assert.equal(count(env.db, 'employments'), workers);
  assert.equal(count(env.db, 'credentials'), workers);
  assert.equal(Number(sql(env.db,
    'SELECT count(*) FROM workers w WHERE NOT EXISTS (SELECT 1 FROM employments e WHERE e.worker_id = w.id)')), 0);
  // Importing again completes the file.
  const r = importFile(env, path);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `imported ${N - workers}, already there ${workers}, rejected 0 (of ${N} rows)\n`);
  assert.equal(count(env.db, 'workers'), N);
});
