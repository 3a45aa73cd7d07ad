// Smoke test: the real binary starts on a fresh database ($JZ_DB_KIND),
// answers /healthz with the security headers every response carries, and
// stops cleanly on SIGTERM (with no sanitizer reports).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, withServer } from './lib.mjs';

test('GET /healthz is ok and carries the security headers', async () => {
  await withServer({ kind: process.env.JZ_DB_KIND || 'sqlite' }, async (srv) => {
    const r = await new Client(srv.base).get('/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /json/);
    assert.deepEqual(r.json, { status: 'ok' });
    assert.match(r.headers.get('content-security-policy') || '', /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });
});
