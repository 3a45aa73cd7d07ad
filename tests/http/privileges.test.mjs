// serve started as root gives root up (docs/security.md, "Running as root"): it binds its
// port and reads the key file as root, then becomes --user before it opens the database or
// starts a thread, so every thread of the process has the account's uid and gid; the
// database stays readable and writable (sign-in, a write). Without --user, root is refused.
// Needs root (CI runs as root): otherwise every test here is reported as skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Client, binPath, createDatabase, freePort, startServer, withServer } from './lib.mjs';
import { uscc } from './codes.mjs';

const KIND = process.env.JZ_DB_KIND || 'sqlite';
const ROOT_ONLY = process.getuid && process.getuid() === 0 ? false : 'needs root: serve drops privileges only when started as root';
const NOBODY = 'nobody';

function account(name) {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  assert.equal(r.status, 0, `no account ${name}`);
  return { uid: Number(r.stdout), gid: Number(g.stdout) };
}

/** The Uid, Gid and Groups lines of every thread of process pid. */
function threadIds(pid) {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    const field = (name) => (status.match(new RegExp(`^${name}:\\s*(.*)$`, 'm')) || [])[1].trim().split(/\s+/).filter(Boolean).map(Number);
    return { tid, uid: field('Uid'), gid: field('Gid'), groups: field('Groups') };
  });
}

/** For SQLite: the database's directory and file become the account's; the key file stays root's (0600). */
function handOver(database) {
  if (!database.dir || KIND !== 'sqlite') return;
  const { uid, gid } = account(NOBODY);
  fs.chownSync(database.dir, uid, gid);
  for (const f of fs.readdirSync(database.dir)) {
    if (!f.endsWith('.keys')) fs.chownSync(path.join(database.dir, f), uid, gid);
  }
}

test('as root, serve --user nobody runs every thread as nobody and still reads and writes the database', { skip: ROOT_ONLY }, async () => {
  const { uid, gid } = account(NOBODY);
  await withServer({ kind: KIND, args: ['--user', NOBODY, '--threads', '4'], prepare: handOver }, async (srv) => {
    const threads = threadIds(srv.proc.pid);
    assert.ok(threads.length >= 5, `the thread pool is running: ${threads.length} threads`);
    for (const t of threads) {
      assert.deepEqual(t.uid, [uid, uid, uid, uid], `thread ${t.tid}: Uid ${t.uid.join(' ')}`);
      assert.deepEqual(t.gid, [gid, gid, gid, gid], `thread ${t.tid}: Gid ${t.gid.join(' ')}`);
      assert.ok(!t.groups.includes(0), `thread ${t.tid}: Groups ${t.groups.join(' ')}`);
    }
    if (KIND === 'sqlite') {
      const keys = fs.statSync(srv.keys);
      assert.equal(keys.uid, 0, 'the key file stays root’s: it was read before the switch');
      assert.equal(keys.mode & 0o777, 0o600);
    }

    // Sign-in (a session written) and an application (a company row and an audit entry).
    const r = srv.run(['user', 'add', '--db', srv.db, '--username', 'priv_reg', '--role', 'regulator', '--region', '430000']);
    assert.equal(r.status, 0, r.stderr);
    const password = r.stdout.match(/password: (\S+)/)[1];
    const c = new Client(srv.base);
    const s = await c.postJson('/api/v1/session', { username: 'priv_reg', password });
    assert.equal(s.status, 200, s.text);
    const a = await c.postJson('/api/v1/applications', {
      uscc: uscc('430922'), name: '桃江县降权测试家政有限公司', legal_rep: '李四', address: '桃江县人民路2号',
      county: '430922', phone: '0737-8123456', service_types: ['hourly'], commitment_by: '李四', commitment_accepted: true,
    });
    assert.equal(a.status, 201, a.text);
    const list = await c.get('/api/v1/applications', { headers: { Authorization: `Bearer ${s.json.token}` } });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.items.some((i) => i.name === '桃江县降权测试家政有限公司'));
    if (KIND === 'sqlite') {
      // The files SQLite made beside the database (WAL, shared memory) are nobody's too.
      for (const f of fs.readdirSync(path.dirname(srv.db)).filter((n) => n.startsWith(path.basename(srv.db)) && !n.endsWith('.keys'))) {
        assert.equal(fs.statSync(path.join(path.dirname(srv.db), f)).uid, uid, `${f} belongs to ${NOBODY}`);
      }
    }
  });
});

test('as root, serve refuses to start without --user, and with an unknown account', { skip: ROOT_ONLY }, async () => {
  const database = createDatabase(KIND);
  try {
    const env = { ...process.env, ...(database.keys ? { JZ_KEYS: database.keys } : {}) };
    const run = (args) => spawnSync(binPath(), args, { encoding: 'utf8', env, timeout: 20000 });
    assert.equal(run(['init', '--db', database.db]).status, 0);
    const listen = `127.0.0.1:${await freePort()}`;
    const bare = run(['serve', '--db', database.db, '--listen', listen]);
    assert.equal(bare.status, 2, bare.stderr);
    assert.match(bare.stderr, /refusing to serve as root.*--user NAME/);
    const unknown = run(['serve', '--db', database.db, '--listen', listen, '--user', 'no_such_account_jz']);
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /--user: no account 'no_such_account_jz'/);
    const groupOnly = run(['serve', '--db', database.db, '--listen', listen, '--group', 'nogroup']);
    assert.equal(groupOnly.status, 2);
    assert.match(groupOnly.stderr, /--group needs --user/);
  } finally {
    database.drop();
  }
});

test('as root, serve --user nobody names the database when nobody cannot open it', { skip: ROOT_ONLY || KIND !== 'sqlite' }, async () => {
  // The database left root's (0700 directory): the switch happens, then the database check fails.
  await assert.rejects(startServer({ kind: KIND, args: ['--user', NOBODY] }), /cannot open SQLite database .*unable to open database file/);
});
