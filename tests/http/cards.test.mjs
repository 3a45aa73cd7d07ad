// Worker cards (诚信一卡通) against the real server ($JZ_BIN, $JZ_DB_KIND): issuing by
// the employer (consent first), the public check GET /v/TOKEN and /api/v1/cards/TOKEN
// (masked name, never the full name, ID number or phone; under 30 KB with its CSS),
// forged, altered, expired and revoked tokens, reissue, the published key checked with
// node's own Ed25519, the printable card page, and `jiazheng card url`.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, sqlLines, startServer } from './lib.mjs';
import { uscc } from './codes.mjs';
import { dayOffset, nextId, nextPhone } from './ids.mjs';

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
const NAME = '李秀芳';
const MASKED = '李*芳';
const MASKED_RE = '李\\*芳';

let srv;
let anon;
const A = { county: '430922', name: '桃江县诚信家政服务有限公司' };
const B = { county: '430602', name: '岳阳楼区巴陵家政服务有限公司' };

function addUser(username, role, extra) {
  const r = srv.run(['user', 'add', '--db', srv.db, '--username', username, '--role', role, ...extra]);
  assert.equal(r.status, 0, `user add ${username}: ${r.stderr}`);
  return r.stdout.match(/password: (\S+)/)[1];
}

async function addCompany(c, admin) {
  c.uscc = uscc(c.county);
  const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', c.uscc, '--name', c.name, '--county', c.county]);
  assert.equal(r.status, 0, `company add: ${r.stderr}`);
  c.username = admin;
  c.password = addUser(admin, 'company_admin', ['--company', c.uscc]);
  const s = await anon.postJson('/api/v1/session', { username: admin, password: c.password });
  assert.equal(s.status, 200, s.text);
  c.token = s.json.token;
}

/** Enrols a worker for company c; consent on paper unless consent is false. */
async function enroll(c, { consent = true, name = NAME } = {}) {
  const body = { name, id_number: nextId(), phone: nextPhone(), service_types: ['cleaning', 'nanny'] };
  if (consent) body.consent_date = dayOffset(-1);
  const r = await anon.postJson('/api/v1/workers', body, bearer(c.token));
  assert.equal(r.status, 201, r.text);
  return { ...body, id: r.json.id };
}

const cardApi = (c, id, verb = '', body) =>
  anon.postJson(`/api/v1/workers/${id}/card${verb ? '/' + verb : ''}`, body ?? {}, bearer(c.token));

async function issue(c, id, status = 201) {
  const r = await cardApi(c, id);
  assert.equal(r.status, status, r.text);
  assert.match(r.json.serial, /^JZ\d{10}$/);
  assert.match(r.json.token, /^[A-Za-z0-9_-]{108}$/);
  assert.equal(r.json.url, `${srv.base}/v/${r.json.token}`);
  return r.json;
}

/** Flips one character of a token (never to the same one). */
const alter = (t, i = 60) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);

function assertNoPrivate(text, w) {
  assert.ok(!text.includes(w.name), 'full name shown');
  assert.ok(!text.includes(w.id_number), 'ID number shown');
  assert.ok(!text.includes(w.id_number.slice(6, 14)), 'birth date shown');
  assert.ok(!text.includes(w.phone), 'phone shown');
}

/** Runs SQL on the test database (sqlite3 or psql); returns its output lines. */
const sql = (statement) => sqlLines(srv, statement);

/** The key file's card-sign-key (libsodium: 32-byte seed then the 32-byte public key). */
function cardSecret() {
  const line = fs.readFileSync(srv.keys, 'utf8').split('\n').find((l) => l.startsWith('card-sign-key '));
  assert.ok(line, 'no card-sign-key in the key file');
  return Buffer.from(line.split(/\s+/)[1], 'base64');
}

/** A token made here, as docs/card.md describes, signed with the platform's key. */
function makeToken({ card, worker, issued, expires = 0 }, secret = cardSecret()) {
  const payload = Buffer.alloc(17);
  payload[0] = 1;
  payload.writeUInt32BE(card, 1);
  payload.writeUInt32BE(worker, 5);
  payload.writeUInt32BE(issued, 9);
  payload.writeUInt32BE(expires, 13);
  const key = crypto.createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: secret.subarray(0, 32).toString('base64url'), x: secret.subarray(32).toString('base64url') },
    format: 'jwk',
  });
  const sig = crypto.sign(null, Buffer.concat([Buffer.from('jiazheng-card-v1'), payload]), key);
  return Buffer.concat([payload, sig]).toString('base64url');
}

before(async () => {
  srv = await startServer();
  anon = new Client(srv.base);
  await addCompany(A, 'card_a');
  await addCompany(B, 'card_b');
});

after(async () => {
  await srv?.stop();
});

describe('cards', () => {
  test('issue needs the employer and the worker’s consent; issuing again returns the active card', async () => {
    const w = await enroll(A, { consent: false });
    let r = await cardApi(A, w.id);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.code, 'wrong_state');
    r = await anon.postJson(`/api/v1/workers/${w.id}/consent`, { consent_date: dayOffset(0) }, bearer(A.token));
    assert.equal(r.status, 200, r.text);
    r = await cardApi(B, w.id); // not B's worker
    assert.equal(r.status, 404, r.text);
    r = await new Client(srv.base).postJson(`/api/v1/workers/${w.id}/card`, {}); // nobody signed in
    assert.equal(r.status, 401, r.text);
    const card = await issue(A, w.id, 201);
    const again = await issue(A, w.id, 200);
    assert.equal(again.serial, card.serial);
    assert.equal(again.token, card.token);
    r = await anon.get(`/api/v1/workers/${w.id}/card`, bearer(A.token));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.token, card.token);
  });

  test('GET /v/TOKEN shows the public view, never private data, under 30 KB with its CSS', async () => {
    const w = await enroll(A);
    await anon.postJson(`/api/v1/workers/${w.id}/identity`, { method: 'document' }, bearer(A.token));
    await anon.postJson(`/api/v1/workers/${w.id}/background`, { status: 'clear', source: '派出所无犯罪记录证明' }, bearer(A.token));
    const card = await issue(A, w.id);
    const r = await new Client(srv.base).get(`/v/${card.token}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /text\/html; charset=utf-8/);
    assert.ok(r.text.includes('平台签发的真实卡片'));
    assert.match(r.text, new RegExp(`id="card-name">${MASKED_RE}<`));
    assert.match(r.text, /id="card-age">\d0–\d9岁</);
    assert.ok(r.text.includes('湖南省'));
    assert.ok(r.text.includes('保洁') || r.text.includes('cleaning'), 'service types');
    assert.match(r.text, /id="card-identity">已核验 · \d{4}-\d\d-\d\d</);
    assert.match(r.text, /id="card-background">无不良记录 · \d{4}-\d\d-\d\d</);
    assert.ok(r.text.includes(A.name), 'current company');
    assert.match(r.text, /id="card-stars">[★☆]{5} \d\.\d（0条评价）/);
    assert.match(r.text, /id="card-activity"[^>]*>已两个月未打卡/);
    assert.match(r.text, /id="card-negative">无</);
    assert.ok(r.text.includes(card.serial));
    for (const item of ['家政服务险', '诚信认证', '工作服', '上岗证', '健康证', '工具包']) assert.ok(r.text.includes(item), item);
    assertNoPrivate(r.text, w);
    assert.ok(!/<script/i.test(r.text), 'no JavaScript');
    const css = await anon.get('/static/site.css');
    const size = Buffer.byteLength(r.text) + Buffer.byteLength(css.text);
    assert.ok(size < 30 * 1024, `page + CSS = ${size} bytes`);
    console.log(`# /v/TOKEN page ${Buffer.byteLength(r.text)} bytes + CSS ${Buffer.byteLength(css.text)} bytes`);
    // The same as JSON.
    const j = await anon.get(`/api/v1/cards/${card.token}`);
    assert.equal(j.status, 200, j.text);
    assert.equal(j.json.status, 'genuine');
    assert.equal(j.json.name, MASKED);
    assert.equal(j.json.serial, card.serial);
    assert.equal(j.json.native_province, '湖南省');
    assert.equal(j.json.identity.verified, true);
    assert.equal(j.json.background.status, 'clear');
    assert.equal(typeof j.json.stars, 'number');
    assert.ok(j.json.stars >= 3 && j.json.stars < 5, `stars ${j.json.stars}`); // no reviews: the prior, plus checks
    assert.equal(j.json.review_count, 0);
    assert.equal(j.json.active, false);
    assert.deepEqual(j.json.negative_records, []);
    assert.equal(j.json.readiness.items.credit.state, 'ok');
    assertNoPrivate(j.text, w);
  });

  test('a scan shows every change to the worker at once (the card face follows each write)', async () => {
    const w = await enroll(A, { name: '周玉兰' });
    const card = await issue(A, w.id);
    const scan = async () => {
      const r = await anon.get(`/api/v1/cards/${card.token}`);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    let j = await scan();
    assert.equal(j.identity.verified, false);
    assert.equal(j.background.status, 'pending');
    assert.equal(j.readiness.items.health.state, 'missing');
    assert.equal(j.readiness.items.uniform.state, 'missing');
    assert.equal(j.current_companies, A.name);
    assert.equal(j.active, false);
    const act = async (what, body, c = A, id = w.id) => {
      const r = await anon.postJson(`/api/v1/workers/${id}/${what}`, body, bearer(c.token));
      assert.ok(r.status === 200 || r.status === 201, `${what}: ${r.status} ${r.text}`);
      return r;
    };
    await act('identity', { method: 'document' });
    assert.equal((await scan()).identity.verified, true);
    await act('background', { status: 'clear', source: '派出所无犯罪记录证明' });
    assert.equal((await scan()).background.status, 'clear');
    await act('credentials', { kind: 'health', number: 'JK-FACE-1', issuer: '桃江县疾控中心', issued: dayOffset(-300), expires: dayOffset(10) });
    j = await scan();
    assert.equal(j.readiness.items.health.state, 'expiring');
    assert.equal(j.readiness.items.health.expires, dayOffset(10));
    await act('credentials', { kind: 'health', number: 'JK-FACE-2', issuer: '桃江县疾控中心', issued: dayOffset(-1), expires: dayOffset(365) });
    assert.equal((await scan()).readiness.items.health.state, 'ok', 'the latest expiry counts');
    await act('equipment', { kind: 'uniform', issued: dayOffset(-1) });
    assert.equal((await scan()).readiness.items.uniform.state, 'ok');
    // A second company enrols the same person: listed first, as the latest employer.
    const again = await anon.postJson('/api/v1/workers', { name: '周玉兰', id_number: w.id_number, service_types: ['cleaning'] }, bearer(B.token));
    assert.ok(again.status === 200 || again.status === 201, again.text);
    assert.equal(again.json.id, w.id);
    assert.equal((await scan()).current_companies, `${B.name}、${A.name}`);
    const checkin = await anon.postJson('/api/v1/company/checkin', {}, bearer(A.token));
    assert.equal(checkin.status, 200, checkin.text);
    j = await scan();
    assert.equal(j.active, true);
    assert.match(j.last_checkin, /^\d{4}-\d\d$/);
    // B issues a tool kit; when the employment at B ends, it no longer counts and A is
    // the one employer again (ending it at A, the issuer, would revoke the card).
    await act('equipment', { kind: 'toolkit', issued: dayOffset(-1) }, B);
    assert.equal((await scan()).readiness.items.toolkit.state, 'ok');
    await act('end', { ended: dayOffset(0) }, B);
    j = await scan();
    assert.equal(j.current_companies, A.name);
    assert.equal(j.readiness.items.toolkit.state, 'missing');
    assert.equal(j.readiness.items.uniform.state, 'ok');
  });

  test('a bulk import that adds a certificate to a worker with a card shows on the card', async () => {
    const w = await enroll(A, { name: '钱桂英' });
    const card = await issue(A, w.id);
    const before = await anon.get(`/api/v1/cards/${card.token}`);
    assert.equal(before.json.readiness.items.insurance.state, 'missing');
    const csv = `name,id_number,insurance_no,insurance_issuer,insurance_issued,insurance_expires\n钱桂英,${w.id_number},BX-FACE-1,中国人寿,${dayOffset(-10)},${dayOffset(200)}\n`;
    const r = srv.run(['import', 'workers', '--db', srv.db, '--company', A.uscc, '-'], { input: csv });
    assert.equal(r.status, 0, r.stderr);
    const after = await anon.get(`/api/v1/cards/${card.token}`);
    assert.equal(after.json.readiness.items.insurance.state, 'ok');
    assert.equal(after.json.readiness.items.insurance.expires, dayOffset(200));
  });

  test('forged and altered tokens are "not genuine" with 404', async () => {
    const w = await enroll(A);
    const card = await issue(A, w.id);
    const forged = Buffer.concat([Buffer.from([1]), crypto.randomBytes(80)]).toString('base64url');
    const junk = crypto.randomBytes(40).toString('base64url');
    for (const t of [forged, junk, alter(card.token), alter(card.token, 10), alter(card.token, 100), card.token.slice(0, 100), 'x']) {
      const r = await anon.get(`/v/${t}`);
      assert.equal(r.status, 404, `${t}: ${r.status}`);
      assert.ok(r.text.includes('不是平台签发的真实卡片'), r.text);
      assertNoPrivate(r.text, w);
      const j = await anon.get(`/api/v1/cards/${t}`);
      assert.equal(j.status, 404);
      assert.equal(j.json.code, 'card_not_genuine');
    }
    // Signed with another key: a forger's own key pair.
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const other = Buffer.concat([Buffer.from(jwk.d, 'base64url'), Buffer.from(jwk.x, 'base64url')]);
    const t = makeToken({ card: 1, worker: w.id, issued: 1764000000 }, other);
    const r = await anon.get(`/v/${t}`);
    assert.equal(r.status, 404);
    assert.ok(r.text.includes('签名不符'));
  });

  test('an expired token says so (410)', async () => {
    const w = await enroll(A);
    const card = await issue(A, w.id);
    const id = Number(new URL(card.url).pathname.length && Buffer.from(card.token, 'base64url').readUInt32BE(1));
    const now = Math.floor(Date.now() / 1000);
    const expired = makeToken({ card: id, worker: w.id, issued: now - 86400, expires: now - 60 });
    let r = await anon.get(`/v/${expired}`);
    assert.equal(r.status, 410, r.text);
    assert.ok(r.text.includes('此卡已过期'));
    assertNoPrivate(r.text, w);
    r = await anon.get(`/api/v1/cards/${expired}`);
    assert.equal(r.status, 410);
    assert.equal(r.json.code, 'card_expired');
    // Still valid until then: a token made here with a future expiry is accepted.
    const later = makeToken({ card: id, worker: w.id, issued: now - 86400, expires: now + 3600 });
    r = await anon.get(`/v/${later}`);
    assert.equal(r.status, 200, r.text);
  });

  test('revoked cards say so and why; the reissued card works, the old one says revoked', async () => {
    const w = await enroll(A);
    const first = await issue(A, w.id);
    let r = await cardApi(A, w.id, 'revoke', { reason: 'stolen' });
    assert.equal(r.status, 400, r.text);
    r = await cardApi(B, w.id, 'revoke', { reason: 'lost' });
    assert.equal(r.status, 404, r.text);
    r = await cardApi(A, w.id, 'reissue', { reason: 'lost' });
    assert.equal(r.status, 201, r.text);
    const second = r.json;
    assert.notEqual(second.serial, first.serial);
    assert.notEqual(second.token, first.token);
    r = await anon.get(`/v/${first.token}`);
    assert.equal(r.status, 410);
    assert.ok(r.text.includes('此卡已作废') && r.text.includes('遗失'), r.text);
    assertNoPrivate(r.text, w);
    assert.ok(!r.text.includes(MASKED), 'a revoked card shows no worker');
    r = await anon.get(`/api/v1/cards/${first.token}`);
    assert.equal(r.status, 410);
    assert.equal(r.json.code, 'card_revoked');
    assert.equal(r.json.reason, 'lost');
    r = await anon.get(`/v/${second.token}`);
    assert.equal(r.status, 200);
    // The worker leaves: the company's card is revoked with reason "left" (离职).
    r = await anon.postJson(`/api/v1/workers/${w.id}/end`, { ended: dayOffset(0) }, bearer(A.token));
    assert.equal(r.status, 200, r.text);
    r = await anon.get(`/v/${second.token}`);
    assert.equal(r.status, 410);
    assert.ok(r.text.includes('离职'), r.text);
    // Plain revoke of a new card.
    const w2 = await enroll(A);
    const c2 = await issue(A, w2.id);
    r = await cardApi(A, w2.id, 'revoke', { reason: 'other' });
    assert.equal(r.status, 200, r.text);
    r = await anon.get(`/v/${c2.token}`);
    assert.equal(r.status, 410);
    r = await anon.get(`/api/v1/workers/${w2.id}/card`, bearer(A.token));
    assert.equal(r.status, 404);
    // Each change is in the audit log, and the chain holds.
    const v = srv.run(['audit', 'verify', '--db', srv.db]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
  });

  test('the stored check value: a token is recognised by it; a wrong or missing one falls back to the signature; init fills it in', async () => {
    const w = await enroll(A);
    const card = await issue(A, w.id);
    const id = Buffer.from(card.token, 'base64url').readUInt32BE(1);
    const [mac] = sql(`SELECT token_mac FROM cards WHERE id = ${id}`);
    assert.match(mac, /^[0-9a-f]{32}$/, 'issuing stores the token\'s check value');
    const view = async (t) => (await anon.get(`/v/${t}`)).status;
    assert.equal(await view(card.token), 200);
    // A damaged or missing check value: the genuine token is still accepted by its
    // signature, forged and altered ones are still refused.
    for (const value of [`'${'0'.repeat(32)}'`, `'${mac.slice(0, 31)}'`, 'NULL']) {
      sql(`UPDATE cards SET token_mac = ${value} WHERE id = ${id}`);
      assert.equal(await view(card.token), 200, `check value ${value}`);
      assert.equal(await view(alter(card.token)), 404, `check value ${value}`);
      assert.equal(await view(alter(card.token, 100)), 404, `check value ${value}`);
    }
    // Another key's token for this very card: 404, whatever is stored.
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const other = Buffer.concat([Buffer.from(jwk.d, 'base64url'), Buffer.from(jwk.x, 'base64url')]);
    const raw = Buffer.from(card.token, 'base64url');
    const forged = makeToken({ card: id, worker: w.id, issued: raw.readUInt32BE(9) }, other);
    assert.equal(await view(forged), 404);
    // init stores what is missing (cards issued before the check values existed).
    const r = srv.run(['init', '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /check values stored for 1 card\b/);
    assert.deepEqual(sql(`SELECT token_mac FROM cards WHERE id = ${id}`), [mac]);
    assert.equal(await view(card.token), 200);
    assert.equal(await view(forged), 404);
    // Revoked: 410 by the stored value too.
    assert.equal((await cardApi(A, w.id, 'revoke', { reason: 'lost' })).status, 200);
    assert.equal(await view(card.token), 410);
    assert.equal(srv.run(['init', '--db', srv.db]).stdout.includes('check values'), false, 'nothing left to fill in');
  });

  test('the published key verifies a token with node’s Ed25519', async () => {
    const w = await enroll(A);
    const card = await issue(A, w.id);
    const r = await anon.get('/.well-known/jiazheng-card-key');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.alg, 'Ed25519');
    const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: r.json.key }, format: 'jwk' });
    const raw = Buffer.from(card.token, 'base64url');
    assert.equal(raw.length, 81);
    const payload = raw.subarray(0, 17);
    const msg = Buffer.concat([Buffer.from('jiazheng-card-v1'), payload]);
    assert.ok(crypto.verify(null, msg, key, raw.subarray(17)), 'signature checks offline');
    assert.equal(payload[0], 1);
    assert.equal(payload.readUInt32BE(5), w.id);
    const altered = Buffer.from(alter(card.token), 'base64url');
    assert.ok(!crypto.verify(null, Buffer.concat([Buffer.from('jiazheng-card-v1'), altered.subarray(0, 17)]), key, altered.subarray(17)));
  });

  test('the printable card page: masked name, company, QR code, serial; issue and revoke by form', async () => {
    const w = await enroll(A);
    const c = new Client(srv.base);
    let r = await c.get('/login');
    r = await c.postForm('/login', { csrf: csrfFrom(r.text), username: A.username, password: A.password });
    assert.equal(r.status, 303);
    r = await c.get(`/workers/${w.id}`);
    assert.ok(r.text.includes(`/workers/${w.id}/card`), 'link from the record');
    r = await c.get(`/workers/${w.id}/card`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('id="card-issue"'));
    r = await c.postForm(`/workers/${w.id}/card`, { csrf: csrfFrom(r.text) });
    assert.equal(r.status, 303, r.text);
    r = await c.get(`/workers/${w.id}/card`);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`id="card-name">${MASKED_RE}<`));
    assert.ok(r.text.includes(A.name));
    assert.match(r.text, /id="card-serial">JZ\d{10}</);
    assert.match(r.text, /<svg [^>]*class="qr"[^>]*viewBox="0 0 (\d+) \1"/);
    assert.match(r.text, /星级：[★☆]{5}/);
    const url = r.text.match(/id="card-url">([^<]+)</)[1];
    assert.match(url, new RegExp(`^${srv.base}/v/[A-Za-z0-9_-]{108}$`));
    const css = await c.get('/static/site.css');
    assert.match(css.text, /@media print\{@page\{size:85.6mm 54mm/);
    // Another company cannot open it.
    const other = new Client(srv.base);
    r = await other.get('/login');
    r = await other.postForm('/login', { csrf: csrfFrom(r.text), username: B.username, password: B.password });
    r = await other.get(`/workers/${w.id}/card`);
    assert.equal(r.status, 404);
    // Revoke by form.
    r = await c.get(`/workers/${w.id}/card`);
    r = await c.postForm(`/workers/${w.id}/card/revoke`, { csrf: csrfFrom(r.text), reason: 'lost' });
    assert.equal(r.status, 303, r.text);
    r = await anon.get(new URL(url).pathname);
    assert.equal(r.status, 410);
  });

  test('jiazheng card url: URLs in order, from arguments or stdin; errors by line, never the number', async () => {
    const w1 = await enroll(A);
    const w2 = await enroll(A);
    const noConsent = await enroll(A, { consent: false });
    const c1 = await issue(A, w1.id);
    let r = srv.run(['card', 'url', '--db', srv.db, '--base-url', 'https://jz.example.cn/', w1.id_number, w2.id_number]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0], `https://jz.example.cn/v/${c1.token}`);
    assert.match(lines[1], /^https:\/\/jz\.example\.cn\/v\/[A-Za-z0-9_-]{108}$/);
    // w2 got a card from the CLI; the server shows it.
    const t2 = lines[1].split('/v/')[1];
    let p = await anon.get(`/v/${t2}`);
    assert.equal(p.status, 200);
    const api = await anon.get(`/api/v1/workers/${w2.id}/card`, bearer(A.token));
    assert.equal(api.json.token, t2);
    // Running again prints the same URLs (no new cards).
    r = srv.run(['card', 'url', '--db', srv.db, '--base-url', 'https://jz.example.cn'], { input: `${w1.id_number}\n${w2.id_number}\n` });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), lines);
    // Errors: unknown number, no consent, invalid number; the good lines still print.
    const unknown = nextId();
    const input = [w1.id_number, unknown, noConsent.id_number, '12345', ''].join('\n') + '\n';
    r = srv.run(['card', 'url', '--db', srv.db], { input });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, `http://127.0.0.1:8080/v/${c1.token}\n`);
    assert.match(r.stderr, /line 2: no worker with this ID number/);
    assert.match(r.stderr, /line 3: the worker has not consented/);
    assert.match(r.stderr, /line 4: /);
    assert.match(r.stderr, /line 5: empty line/);
    for (const n of [unknown, noConsent.id_number]) assert.ok(!r.stderr.includes(n), 'ID number echoed');
    r = srv.run(['card', 'url']);
    assert.equal(r.status, 2);
    r = srv.run(['card', 'url', '--db', srv.db, '--base-url', 'ftp://x']);
    assert.equal(r.status, 2);
  });
});
