// Scale-out on PostgreSQL (issue #7), all on 127.0.0.1: a primary with one streaming
// replica (scripts/pg-replica.sh), `jiazheng init` on the primary, node A serving from
// the primary alone and node B with --db-read on the replica and --trust-proxy. A browser
// signs in on A and, with the same cookies, enrols a worker and issues a card on B (the
// writes land on the primary); a phone with no cookies reads the card through B once the
// replica has replayed them — also with the primary stopped, so the read came from the
// replica — and sign-in limits are shared by the nodes and count the forwarded address.
// The primary comes back and both nodes reconnect; with the replica stopped, B reads the
// primary. It starts clusters of its own, so it runs once: in the PostgreSQL pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, ROOT, addUser, binPath, csrfFrom, startServer } from './lib.mjs';
import { uscc } from './codes.mjs';
import { dayOffset, nextId, nextPhone } from './ids.mjs';

const ONCE = process.env.JZ_DB_KIND === 'pg' ? false : 'runs once, in the PostgreSQL pass';
const REPLAY_TIMEOUT_MS = 20000;

let dir, pgDir, primary, replica, keys, nodeA, nodeB;
const company = { county: '430922', name: '桃江县云端家政服务有限公司' };

function sh(...args) {
  const r = spawnSync('sh', args, { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `sh ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** One value from a query, as text. */
function sql(url, query) {
  const r = spawnSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', query], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql ${query}: ${r.stderr}`);
  return r.stdout.trim();
}

function cli(args) {
  const r = spawnSync(binPath(), args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, JZ_KEYS: keys } });
  assert.equal(r.status, 0, `jiazheng ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Waits until the replica has replayed everything the primary has written so far. */
async function replayed() {
  // The insert position, not the write position: the test clusters commit
  // asynchronously, so a commit already answered may not be written out yet.
  const lsn = sql(primary, 'SELECT pg_current_wal_insert_lsn()');
  const deadline = Date.now() + REPLAY_TIMEOUT_MS;
  while (sql(replica, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`) !== 't') {
    assert.ok(Date.now() < deadline, `the replica did not replay up to ${lsn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scale-out: nodes on one primary, reads that may lag from a replica', { skip: ONCE, concurrency: 1 }, () => {
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-scale-'));
    // The clusters' own folder: as root they run as `postgres`, which must reach it.
    pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-scale-pg-'));
    [primary, replica] = sh('scripts/pg-replica.sh', 'start', pgDir).trim().split('\n');
    assert.match(replica, /^postgres:\/\//);
    keys = path.join(dir, 'jiazheng.keys');
    cli(['init', '--db', primary, '--keys', keys]);
    company.uscc = uscc(company.county);
    cli(['company', 'add', '--db', primary, '--uscc', company.uscc, '--name', company.name, '--county', company.county]);
    const env = { JZ_KEYS: keys };
    nodeA = await startServer({ db: primary, keys, env });
    nodeB = await startServer({ db: primary, keys, env, args: ['--db-read', replica, '--trust-proxy', '127.0.0.1'] });
    company.password = addUser(nodeA, 'yunduan', 'company_admin', ['--company', company.uscc]);
  });

  after(async () => {
    const stops = [nodeA, nodeB].filter(Boolean).map((n) => n.stop());
    try {
      await Promise.all(stops);
    } finally {
      if (pgDir) spawnSync('sh', ['scripts/pg-replica.sh', 'stop', pgDir], { cwd: ROOT });
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a session made on node A works on node B; B writes to the primary; the replica serves the card', async () => {
    // One browser: signs in on A, then talks to B with the same cookies.
    const onA = new Client(nodeA.base);
    const form = await onA.get('/login');
    const login = await onA.postForm('/login', { csrf: csrfFrom(form.text), username: 'yunduan', password: company.password });
    assert.equal(login.status, 303, login.text);
    assert.ok(onA.cookies.get('jz_session'), 'signed in on A');
    const onB = new Client(nodeB.base);
    onB.cookies = onA.cookies;
    const me = await onB.get('/api/v1/session');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.username, 'yunduan');

    const worker = { name: '周秀云', id_number: nextId(), phone: nextPhone(), service_types: ['cleaning'], consent_date: dayOffset(-1) };
    const enrol = await onB.postJson('/api/v1/workers', worker);
    assert.equal(enrol.status, 201, enrol.text);
    // A write makes the browser read the primary for a while, on every node.
    assert.match(enrol.headers.getSetCookie().join('\n'), /jz_fresh=1; Path=\/; Max-Age=30/);
    const card = await onB.postJson(`/api/v1/workers/${enrol.json.id}/card`, {});
    assert.equal(card.status, 201, card.text);
    assert.equal(sql(primary, `SELECT count(*) FROM cards WHERE worker_id = ${enrol.json.id}`), '1', 'the card is on the primary');

    await replayed();
    assert.equal(sql(replica, `SELECT count(*) FROM cards WHERE worker_id = ${enrol.json.id}`), '1', 'and replayed');
    // The primary goes away: node A has nothing to serve from, node B reads the replica.
    sh('scripts/pg-temp.sh', 'pause', path.join(pgDir, 'primary'));
    try {
      const phone = new Client(nodeB.base);
      const page = await phone.get(`/v/${card.json.token}`);
      assert.equal(page.status, 200, page.text);
      assert.match(page.text, /周\*云/);
      assert.doesNotMatch(page.text, /周秀云/);
      const json = await phone.get(`/api/v1/cards/${card.json.token}`);
      assert.equal(json.status, 200, json.text);
      assert.equal(json.json.name, '周*云');
      assert.equal(json.json.issued_by, company.name);
      // Every route whose reads may lag answers from the replica alone (none writes).
      for (const p of ['/.well-known/jiazheng-card-key', `/companies?q=${encodeURIComponent('云端')}`,
        `/companies/${company.uscc}`, `/api/v1/companies?q=${encodeURIComponent('云端')}`, `/api/v1/companies/${company.uscc}`,
        '/dishonesty', '/api/v1/dishonesty', '/open-data', '/open-data/430000', '/open-data/430900.csv', '/api/v1/open-data/430922']) {
        const r = await phone.get(p);
        assert.equal(r.status, 200, `${p} with the primary down: ${r.status} ${r.text.slice(0, 300)}`);
      }
      assert.match((await phone.get(`/companies?q=${encodeURIComponent('云端')}`)).text, /云端家政/);
      // Node A really has no database now, and the signed-in browser (which wrote) reads
      // the primary on B too.
      assert.equal((await new Client(nodeA.base).get(`/v/${card.json.token}`)).status, 503);
      assert.equal((await onB.get(`/v/${card.json.token}`)).status, 503);
    } finally {
      sh('scripts/pg-temp.sh', 'resume', path.join(pgDir, 'primary'));
    }

    // Both nodes find the primary again (their old connections died with it).
    for (const node of [nodeA, nodeB]) {
      for (let i = 0; i < 3; i++) {
        const r = await new Client(node.base).get('/healthz');
        assert.equal(r.status, 200, `${node.base} reconnects: ${r.text}`);
      }
    }
    const revoke = await onB.postJson(`/api/v1/workers/${enrol.json.id}/card/revoke`, { reason: 'lost' });
    assert.equal(revoke.status, 200, revoke.text);
    await replayed();
    const revoked = await new Client(nodeB.base).get(`/v/${card.json.token}`);
    assert.equal(revoked.status, 410, 'the replica has the revocation');

    // The replica goes away: node B reads the primary.
    sh('scripts/pg-temp.sh', 'pause', path.join(pgDir, 'replica'));
    const fallback = await new Client(nodeB.base).get(`/api/v1/cards/${card.json.token}`);
    assert.equal(fallback.status, 410, fallback.text);
    assert.equal(fallback.json.code, 'card_revoked');
  });

  test('sign-in limits are shared by the nodes and count the address a trusted proxy forwards', async () => {
    addUser(nodeA, 'limit_probe', 'company_admin', ['--company', company.uscc]);
    for (const node of [nodeB, nodeA, nodeB]) {
      const r = await new Client(node.base).postJson('/api/v1/session', { username: 'limit_probe', password: 'wrong password' },
        { headers: { 'X-Forwarded-For': '198.51.100.1, 203.0.113.7' } });
      assert.equal(r.status, 401, r.text);
    }
    // What the limits read: one count per account and per address, whichever node failed.
    const failures = (key) => sql(primary, `SELECT COALESCE(max(failures), 0) FROM login_throttle WHERE key = '${key}'`);
    assert.equal(failures('account:limit_probe'), '3');
    // B trusts 127.0.0.1 and takes the right-most forwarded address; A does not.
    assert.equal(failures('address:203.0.113.7'), '2');
    assert.equal(failures('address:198.51.100.1'), '0');
    assert.equal(failures('address:127.0.0.1'), '1');
  });
});
