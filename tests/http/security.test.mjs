// Bad input and the security promises of docs/security.md and docs/api.md, tried
// against the real server ($JZ_BIN, $JZ_DB_KIND): malformed and unexpected JSON,
// undeclared parameters, content types, body limits, every validation rule of an
// application, SQL and HTML in every text field (stored verbatim, shown escaped), CSRF,
// the sign-in throttle, the headers of every kind of response, 404/405, the language
// switch, cookie flags, HEAD and a clean shutdown.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, startServer } from './lib.mjs';
import { breakCheck, breakOrgCheck, uscc } from './codes.mjs';

const KIND = process.env.JZ_DB_KIND || 'sqlite';

let srv;
let anon;
let regToken;
let reg; // {username, password}

function application(county = '430922', fields = {}) {
  return {
    uscc: uscc(county),
    name: `安全测试家政有限公司${Math.random().toString(36).slice(2, 7)}`,
    legal_rep: '李四',
    address: '益阳市桃江县桃花江镇人民路2号',
    county,
    phone: '0737-8123456',
    service_types: ['hourly'],
    commitment_by: '李四',
    commitment_accepted: true,
    ...fields,
  };
}

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

function addUser(username, role, extra) {
  const r = srv.run(['user', 'add', '--db', srv.db, '--username', username, '--role', role, ...extra]);
  assert.equal(r.status, 0, `user add ${username}: ${r.stderr}`);
  return r.stdout.match(/password: (\S+)/)[1];
}

/** Raw POST with a body and content type of our choosing. */
function rawPost(path, body, type, extraHeaders = {}) {
  const headers = { ...extraHeaders };
  if (type) headers['Content-Type'] = type;
  return anon.request('POST', path, { headers, body });
}

function apply(body) {
  return anon.postJson('/api/v1/applications', body);
}

/** Asserts a JSON error reply. */
function assertError(r, status, code, field, label = '') {
  assert.equal(r.status, status, `${label}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, label);
  assert.equal(r.json.code, code, `${label}: ${r.text.slice(0, 300)}`);
  assert.equal(typeof r.json.message, 'string', label);
  if (field !== undefined) assert.equal(r.json.field, field, `${label}: ${r.text.slice(0, 300)}`);
}

function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&#0*39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function byId(html, id) {
  const m = html.match(new RegExp(`<(\\w+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`));
  return m ? unescapeHtml(m[2].replace(/<[^>]*>/g, '')).trim() : undefined;
}

before(async () => {
  srv = await startServer({ kind: KIND });
  anon = new Client(srv.base);
  reg = { username: 'sec_regulator', password: addUser('sec_regulator', 'regulator', ['--region', '430000']) };
  // Signed in on a client of its own, so that `anon` stays without a session cookie.
  const s = await new Client(srv.base).postJson('/api/v1/session', reg);
  assert.equal(s.status, 200, s.text);
  regToken = s.json.token;
});

after(async () => {
  if (srv) await srv.stop();
});

describe('JSON bodies', () => {
  test('bodies that are not one JSON object → 400 malformed_json', async () => {
    const cases = [
      ['truncated', '{"uscc": "x"'],
      ['not JSON', 'uscc=1&name=2'],
      ['array', '[]'],
      ['string', '"hello"'],
      ['number', '42'],
      ['null', 'null'],
      ['trailing garbage', '{} {}'],
      ['duplicate keys', JSON.stringify(application()).replace(/^\{/, '{"name":"第一个名称家政",')],
      ['empty body', ''],
    ];
    for (const [label, body] of cases) {
      const r = await rawPost('/api/v1/applications', body, 'application/json');
      if (label === 'empty body') {
        // An empty body is the empty object: every field is then missing.
        assertError(r, 400, 'missing_field', 'uscc', label);
        continue;
      }
      assertError(r, 400, 'malformed_json', undefined, label);
      assert.ok(!('field' in r.json), label);
    }
    // The detail names where the text broke.
    const r = await rawPost('/api/v1/applications', '{\n  "uscc": ,\n}', 'application/json');
    assert.match(r.json.detail, /line 2/);
  });

  test('an unknown member → 400 unknown_field naming it, on every JSON route', async () => {
    const cases = [
      ['/api/v1/applications', { ...application(), status: 'active' }, 'status'],
      ['/api/v1/applications', { ...application(), query_code: 'mine' }, 'query_code'],
      ['/api/v1/applications/status', { uscc: uscc('430922'), query_code: 'x', verbose: true }, 'verbose'],
      ['/api/v1/session', { username: 'a', password: 'b', role: 'admin' }, 'role'],
      ['/api/v1/applications/1/reject', { reason: '理由充分', notify: false }, 'notify'],
    ];
    for (const [path, body, field] of cases) {
      const r = await anon.postJson(path, body, bearer(regToken));
      assertError(r, 400, 'unknown_field', field, `${path} ${field}`);
    }
    // The application was not stored.
    const body = { ...application(), extra: 1 };
    await apply(body);
    assert.equal((await apply({ ...body, extra: undefined })).status, 201);
  });

  test('undeclared query parameters: refused by the API, ignored by pages', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/companies?utm_source=x'],
      ['GET', '/api/v1/companies?q=a&sort=name'],
      ['GET', '/api/v1/applications?page=2'],
      ['POST', '/api/v1/applications?debug=1'],
    ]) {
      const field = [...new URL(path, 'http://x').searchParams.keys()].pop();
      const r =
        method === 'GET' ? await anon.get(path, bearer(regToken)) : await anon.postJson(path, application());
      assertError(r, 400, 'unknown_field', field, path);
    }
    // A name that is not UTF-8 is still named (malformed bytes as U+FFFD), and one cut
    // short by the error's room is cut between characters: JSON cannot carry either as is.
    let r = await anon.get('/api/v1/companies?%FFx=1', bearer(regToken));
    assertError(r, 400, 'unknown_field', '\uFFFDx', 'not UTF-8');
    r = await anon.get(`/api/v1/companies?${encodeURIComponent('家'.repeat(20))}=1`, bearer(regToken));
    assertError(r, 400, 'unknown_field', '家'.repeat(15), 'cut short');
    for (const path of ['/companies?utm_source=x', '/?utm_source=x&fbclid=1', '/apply?ref=weixin', '/login?next=/x']) {
      const r = await anon.get(path);
      assert.equal(r.status, 200, path);
      assert.ok(!r.text.includes('utm_source') && !r.text.includes('weixin'), `${path}: not echoed`);
    }
    // Declared parameters are checked: limits must be whole numbers within bounds.
    for (const q of ['limit=abc', 'limit=-1', 'limit=201', 'offset=1e3']) {
      const r = await anon.get(`/api/v1/companies?${q}`);
      assertError(r, 400, 'invalid_field', q.split('=')[0], q);
    }
  });

  test('wrong content types → 415', async () => {
    const json = JSON.stringify(application());
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', 'multipart/form-data; boundary=x']) {
      const r = await rawPost('/api/v1/applications', json, type);
      assertError(r, 415, 'unsupported_media_type', undefined, String(type));
      const s = await rawPost('/api/v1/session', JSON.stringify(reg), type);
      assertError(s, 415, 'unsupported_media_type', undefined, `session ${type}`);
    }
    // With parameters the JSON type is fine.
    const ok = await rawPost('/api/v1/applications', json, 'application/json; charset=utf-8');
    assert.equal(ok.status, 201, ok.text);

    // Forms must be urlencoded (before the CSRF check is even reached).
    const c = new Client(srv.base);
    const csrf = csrfFrom((await c.get('/apply')).text);
    for (const type of [undefined, 'application/json', 'text/plain', 'multipart/form-data; boundary=xyz']) {
      const body =
        type === 'application/json'
          ? JSON.stringify({ csrf, ...application() })
          : `--xyz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--xyz--\r\n`;
      const headers = type ? { 'Content-Type': type } : {};
      const r = await c.request('POST', '/apply', { headers, body });
      assert.equal(r.status, 415, `form ${type}`);
      assert.match(r.headers.get('content-type'), /^text\/html/);
      assert.match(r.text, /不支持的内容类型/);
    }
  });

  test('bodies over 64 KiB → 413 body_too_large', async () => {
    const big = JSON.stringify({ ...application(), address: 'x'.repeat(70 * 1024) });
    assertError(await rawPost('/api/v1/applications', big, 'application/json'), 413, 'body_too_large', undefined, 'api');
    const huge = JSON.stringify({ ...application(), address: 'x'.repeat(1024 * 1024) });
    assertError(await rawPost('/api/v1/applications', huge, 'application/json'), 413, 'body_too_large', undefined, '1 MiB');

    // Just under the limit is read and judged on its content.
    const body = application();
    const fill = 64 * 1024 - Buffer.byteLength(JSON.stringify({ ...body, address: '' }));
    const under = JSON.stringify({ ...body, address: 'x'.repeat(fill) });
    assert.equal(Buffer.byteLength(under), 64 * 1024);
    const r = await rawPost('/api/v1/applications', under, 'application/json');
    assertError(r, 400, 'invalid_field', 'address', 'just under 64 KiB');

    const c = new Client(srv.base);
    const csrf = csrfFrom((await c.get('/apply')).text);
    const form = await c.request('POST', '/apply', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `csrf=${csrf}&address=${'x'.repeat(70 * 1024)}`,
    });
    assert.equal(form.status, 413);
    // Form bodies: a bad escape, an escaped NUL and a raw NUL byte refuse the form (a raw
    // NUL used to end the body early, dropping the fields after it without a word).
    for (const body of [`csrf=${csrf}&name=%zz`, `csrf=${csrf}&name=a%00b`, `csrf=${csrf}&name=a\0b&county=430922`]) {
      const r = await c.request('POST', '/apply', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.text, /表单编码无效/, JSON.stringify(body));
    }
  });
});

describe('validation of an application', () => {
  const good = application();
  const cases = [
    // [label, override, code, field, detail pattern]
    // For credit codes: [Chinese detail, English detail] naming the fault.
    ['USCC too short', { uscc: good.uscc.slice(0, 17) }, 'invalid_uscc', 'uscc', ['长度应为18位', /^length/]],
    ['USCC too long', { uscc: good.uscc + '1' }, 'invalid_uscc', 'uscc', ['长度应为18位', /^length/]],
    ['USCC with I', { uscc: good.uscc.slice(0, 10) + 'I' + good.uscc.slice(11) }, 'invalid_uscc', 'uscc', ['含有无效字符', /^characters/]],
    ['USCC with *', { uscc: good.uscc.slice(0, 17) + '*' }, 'invalid_uscc', 'uscc', ['含有无效字符', /^characters/]],
    ['USCC wrong check character', { uscc: breakCheck(good.uscc) }, 'invalid_uscc', 'uscc', ['校验码错误', /^check character/]],
    ['USCC wrong organisation check', { uscc: breakOrgCheck(good.uscc) }, 'invalid_uscc', 'uscc', ['组织机构代码无效', /^organisation code/]],
    ['USCC unknown authority', { uscc: uscc('430922', { authority: '0' }) }, 'invalid_uscc', 'uscc', ['登记管理部门代码无效', /^registration authority/]],
    ['county does not exist', { county: '439999' }, 'unknown_county', 'county'],
    ['county is a prefecture', { county: '430900' }, 'unknown_county', 'county'],
    ['county is a province', { county: '430000' }, 'unknown_county', 'county'],
    ['county is text', { county: 'taojiang' }, 'unknown_county', 'county'],
    ['phone too short', { phone: '12345' }, 'invalid_phone', 'phone'],
    ['mobile with 10 digits', { phone: '1381234567' }, 'invalid_phone', 'phone'],
    ['mobile with 12 digits', { phone: '138123456789' }, 'invalid_phone', 'phone'],
    ['phone with letters', { phone: '0737-ABCDEFG' }, 'invalid_phone', 'phone'],
    ['unknown service type', { service_types: ['window_cleaning'] }, 'unknown_service_type', 'service_types'],
    ['one unknown among known', { service_types: ['nanny', '捉鬼'] }, 'unknown_service_type', 'service_types'],
    ['commitment false', { commitment_accepted: false }, 'commitment_required', 'commitment_accepted'],
    ['commitment absent', { commitment_accepted: undefined }, 'commitment_required', 'commitment_accepted'],
    ['service types empty', { service_types: [] }, 'missing_field', 'service_types'],
    ['service types not an array', { service_types: 'nanny' }, 'invalid_field', 'service_types'],
    ['service types of numbers', { service_types: [1, 2] }, 'invalid_field', 'service_types'],
    ['commitment a string', { commitment_accepted: 'true' }, 'invalid_field', 'commitment_accepted'],
    ['commitment a number', { commitment_accepted: 1 }, 'invalid_field', 'commitment_accepted'],
    ['name a number', { name: 12345 }, 'invalid_field', 'name'],
    ['uscc an array', { uscc: [good.uscc] }, 'invalid_field', 'uscc'],
    ['name one character', { name: '甲' }, 'invalid_field', 'name'],
    ['name 101 characters', { name: '家'.repeat(101) }, 'invalid_field', 'name'],
    ['legal_rep 51 characters', { legal_rep: '张'.repeat(51) }, 'invalid_field', 'legal_rep'],
    ['address 4 characters', { address: '人民路一' }, 'invalid_field', 'address'],
    ['name with a control character', { name: '家政\u0007公司' }, 'invalid_field', 'name'],
    ['address with a newline', { address: '人民路\n1号楼' }, 'invalid_field', 'address'],
  ];
  for (const field of ['uscc', 'name', 'legal_rep', 'address', 'county', 'phone', 'service_types', 'commitment_by']) {
    cases.push([`${field} absent`, { [field]: undefined }, 'missing_field', field]);
    if (field !== 'service_types') cases.push([`${field} empty`, { [field]: '' }, 'missing_field', field]);
    if (field !== 'service_types') cases.push([`${field} null`, { [field]: null }, 'missing_field', field]);
  }
  for (const [label, override, code, field, detail] of cases) {
    test(`${label} → 400 ${code} (${field})`, async () => {
      const body = { ...application(), ...override };
      const r = await apply(body);
      assertError(r, 400, code, field, label);
      if (detail) {
        assert.equal(r.json.detail, detail[0], label);
        assert.equal(r.json.message, '统一社会信用代码无效');
        const en = await anon.postJson('/api/v1/applications', body, { headers: { 'Accept-Language': 'en' } });
        assertError(en, 400, code, field, `${label} (en)`);
        assert.match(en.json.detail, detail[1], `${label} (en)`);
        assert.equal(en.json.message, 'The unified social credit code is invalid');
      }
    });
  }

  test('accepted variants: Chinese service names, landlines, lowercase USCC', async () => {
    for (const override of [
      { service_types: ['保姆', '月嫂'] },
      { phone: '010-12345678' },
      { phone: '0731-84567890' },
      { phone: '13912345678' },
    ]) {
      const r = await apply(application('430922', override));
      assert.equal(r.status, 201, `${JSON.stringify(override)}: ${r.text}`);
      if (override.service_types) assert.deepEqual(r.json.service_types, ['nanny', 'maternity']);
    }
    const lower = application('430922', { service_types: ['nanny'] });
    const r = await apply({ ...lower, uscc: lower.uscc.toLowerCase() });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.uscc, lower.uscc, 'normalised to upper case');
  });

  test('the English message with Accept-Language: en', async () => {
    const r = await anon.postJson('/api/v1/applications', { ...application(), county: '430900' }, {
      headers: { 'Accept-Language': 'en-GB,en;q=0.9' },
    });
    assertError(r, 400, 'unknown_county', 'county');
    assert.equal(r.json.message, 'No county has this code');
    assert.match(r.json.detail, /430900/);
  });

  test('the form shows the Chinese error, marks the field and keeps the input', async () => {
    const c = new Client(srv.base);
    const csrf = csrfFrom((await c.get('/apply')).text);
    const body = application('430923', { uscc: breakCheck(uscc('430923')) });
    const r = await c.postForm('/apply', { ...body, service_types: 'nanny', commitment_accepted: 'yes', csrf });
    assert.equal(r.status, 400);
    assert.match(r.text, /统一社会信用代码无效/);
    assert.match(r.text, /校验码错误/);
    assert.match(r.text, /id="uscc" name="uscc" value="[^"]+" aria-invalid="true"/);
    assert.ok(r.text.includes(`value="${body.name}"`));
    assert.ok(r.text.includes(`value="${body.address}"`));
    assert.match(r.text, /<option value="430923" selected>/);
  });
});

describe('SQL and HTML in every text field', () => {
  const payloads = ["'; DROP TABLE companies; --", '<script>alert(1)</script>', '"><img src=x>'];
  const fields = ['name', 'legal_rep', 'address', 'commitment_by'];
  const stored = []; // {body, id}

  before(async () => {
    // Each company gets the payloads in a rotated order, so every field sees every payload.
    for (let k = 0; k < payloads.length; k++) {
      const over = {};
      fields.forEach((f, i) => {
        over[f] = `${payloads[(i + k) % payloads.length]}${f === 'address' ? '五个字以上' : ''}`;
      });
      const body = application('430922', over);
      const r = await apply(body);
      assert.equal(r.status, 201, r.text);
      for (const f of fields) assert.equal(r.json[f] ?? body[f], body[f]);
      stored.push({ body, id: r.json.id, query: r.json.query_code });
    }
    // The table is still there.
    assert.equal((await anon.get('/healthz')).status, 200);
  });

  test('stored verbatim: the regulator API returns every field unchanged', async () => {
    for (const { body, id } of stored) {
      const r = await anon.get(`/api/v1/applications/${id}`, bearer(regToken));
      assert.equal(r.status, 200, r.text);
      for (const f of fields) assert.equal(r.json[f], body[f], f);
    }
  });

  test('shown escaped on the regulator page, the approval page and the public pages', async () => {
    const c = new Client(srv.base);
    const form = await c.get('/login');
    const login = await c.postForm('/login', { csrf: csrfFrom(form.text), ...reg });
    assert.equal(login.status, 303);
    const check = (html, label) => {
      assert.ok(!html.includes('<script>'), `${label}: raw <script>`);
      assert.ok(!html.includes('<img src=x>'), `${label}: raw <img>`);
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${label}: escaped script`);
      assert.ok(html.includes('&quot;&gt;&lt;img src=x&gt;'), `${label}: escaped img`);
      assert.ok(html.includes('&#39;; DROP TABLE companies; --'), `${label}: escaped quote`);
    };
    const list = await c.get('/regulator/applications');
    assert.ok(!list.text.includes('<script>'), 'pending list');
    assert.ok(list.text.includes('&lt;script&gt;'), 'pending list shows the name escaped');
    for (const { body, id } of stored) {
      const show = await c.get(`/regulator/applications/${id}`);
      assert.equal(show.status, 200);
      check(show.text, `application ${id}`);
      assert.equal(byId(show.text, 'company-name'), body.name);
    }
    // Approve the first two through the page; reject the third with a payload reason.
    for (const { body, id } of stored.slice(0, 2)) {
      const show = await c.get(`/regulator/applications/${id}`);
      const r = await c.postForm(`/regulator/applications/${id}/approve`, { csrf: csrfFrom(show.text) });
      assert.equal(r.status, 200);
      assert.ok(!r.text.includes('<script>') && !r.text.includes('<img src=x>'), 'approval page');
      const pub = await anon.get(`/companies/${body.uscc}`);
      assert.equal(pub.status, 200);
      assert.ok(!pub.text.includes('<script>') && !pub.text.includes('<img src=x>'), 'public page');
      assert.ok(pub.text.includes('&lt;') || pub.text.includes('&#39;'), 'public page shows escaped text');
      const api = await anon.get(`/api/v1/companies/${body.uscc}`);
      for (const f of ['name', 'legal_rep', 'address']) assert.equal(api.json[f], body[f], `public API ${f}`);
    }
    const third = stored[2];
    const show = await c.get(`/regulator/applications/${third.id}`);
    const reason = `<script>alert(1)</script>'; DROP TABLE companies; --`;
    const rej = await c.postForm(`/regulator/applications/${third.id}/reject`, { csrf: csrfFrom(show.text), reason });
    assert.equal(rej.status, 303);
    const sc = new Client(srv.base);
    const sf = await sc.get('/apply/status');
    const st = await sc.postForm('/apply/status', { csrf: csrfFrom(sf.text), uscc: third.body.uscc, query_code: third.query });
    assert.equal(st.status, 200);
    assert.ok(!st.text.includes('<script>'));
    assert.ok(st.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;&#39;; DROP TABLE companies; --'));
    assert.equal(byId(st.text, 'reason'), `理由：${reason}`);
    const api = await anon.postJson('/api/v1/applications/status', { uscc: third.body.uscc, query_code: third.query });
    assert.equal(api.json.reason, reason);
  });

  test('search text with SQL and HTML: escaped in the form, bound in the query', async () => {
    for (const q of payloads.concat(["%' OR '1'='1", '_', '%'])) {
      const r = await anon.get(`/companies?${new URLSearchParams({ q })}`);
      assert.equal(r.status, 200, q);
      assert.ok(!r.text.includes('<script>') && !r.text.includes('<img src=x>'), q);
      const api = await anon.get(`/api/v1/companies?${new URLSearchParams({ q })}`);
      assert.equal(api.status, 200, q);
      if (q.startsWith('%') || q === '_') assert.equal(api.json.total, 0, `${q}: wildcards are literal`);
      for (const item of api.json.items) assert.ok(item.name.includes(q) || item.uscc === q, `${q}: ${item.name}`);
    }
    const hit = await anon.get(`/api/v1/companies?${new URLSearchParams({ q: '<script>' })}`);
    assert.ok(hit.json.total >= 1, 'an approved company whose name holds <script> is found literally');
    const page = await anon.get(`/companies?${new URLSearchParams({ q: '"><img src=x>' })}`);
    assert.ok(page.text.includes('value="&quot;&gt;&lt;img src=x&gt;"'));
  });
});

describe('CSRF', () => {
  test('form posts without the token, with a wrong one, or without the cookie → 403', async () => {
    const c = new Client(srv.base);
    const csrf = csrfFrom((await c.get('/apply')).text);
    const body = { ...application(), service_types: 'nanny', commitment_accepted: 'yes' };
    const cases = [
      ['no token', c, { ...body }],
      ['wrong token', c, { ...body, csrf: csrf.replace(/.$/, (x) => (x === 'A' ? 'B' : 'A')) }],
      ['empty token', c, { ...body, csrf: '' }],
      ['token without its cookie', new Client(srv.base), { ...body, csrf }],
    ];
    for (const [label, client, fields] of cases) {
      const r = await client.postForm('/apply', fields);
      assert.equal(r.status, 403, label);
      assert.match(r.text, /表单已过期/, label);
      assert.equal(byId(r.text, 'query-code'), undefined, label);
    }
    for (const path of ['/login', '/apply/status', '/logout', '/regulator/applications/1/approve']) {
      const r = await c.postForm(path, { username: reg.username, password: reg.password });
      assert.equal(r.status, 403, path);
    }
    // None of the refused applications was stored.
    const ok = await c.postForm('/apply', { ...body, csrf });
    assert.equal(ok.status, 201, 'the same form with the token goes through');
  });
});

describe('sign-in throttle', () => {
  test('the 6th attempt for one account is 429 even with the right password', async () => {
    const password = addUser('sec_victim', 'association', ['--region', '430900']);
    for (let i = 1; i <= 5; i++) {
      const r = await anon.postJson('/api/v1/session', { username: 'sec_victim', password: `wrong-${i}-password` });
      assertError(r, 401, 'bad_credentials', undefined, `attempt ${i}`);
    }
    const r = await anon.postJson('/api/v1/session', { username: 'sec_victim', password });
    assertError(r, 429, 'rate_limited', undefined, 'right password after 5 failures');
    assert.ok(!r.headers.getSetCookie().some((l) => l.startsWith('jz_session=')), 'no session cookie');
    // The page says so too.
    const c = new Client(srv.base);
    const form = await c.get('/login');
    const p = await c.postForm('/login', { csrf: csrfFrom(form.text), username: 'sec_victim', password });
    assert.equal(p.status, 429);
    assert.match(p.text, /尝试次数过多/);
    // Other accounts from the same address are not locked.
    const other = await anon.postJson('/api/v1/session', reg);
    assert.equal(other.status, 200, other.text);
  });

  test('an unknown username and a wrong password look the same', async () => {
    const a = await anon.postJson('/api/v1/session', { username: 'nobody_here', password: 'whatever-pass' });
    const b = await anon.postJson('/api/v1/session', { username: reg.username, password: 'whatever-pass' });
    assertError(a, 401, 'bad_credentials');
    assertError(b, 401, 'bad_credentials');
    assert.deepEqual(a.json, b.json);
  });
});

describe('replies', () => {
  const kinds = [
    ['page', 'GET', '/', 200, /^text\/html; charset=utf-8/],
    ['form page', 'GET', '/apply', 200, /^text\/html; charset=utf-8/],
    ['API JSON', 'GET', '/api/v1/companies', 200, /^application\/json/],
    ['API error', 'GET', '/api/v1/companies?x=1', 400, /^application\/json/],
    ['API 404', 'GET', '/api/v1/nothing', 404, /^application\/json/],
    ['API 405', 'DELETE', '/api/v1/companies', 405, /^application\/json/],
    ['page 404', 'GET', '/nothing-here', 404, null], // content type: see the 404/405 test
    ['page 405', 'PUT', '/apply', 405, null],
    ['redirect', 'GET', '/regulator/applications', 303, null],
    ['css', 'GET', '/static/site.css', 200, /^text\/css/],
    ['health', 'GET', '/healthz', 200, /^application\/json/],
    ['API 415', 'POST', '/api/v1/session', 415, /^application\/json/],
  ];
  for (const [label, method, path, status, type] of kinds) {
    test(`security headers on ${label} (${method} ${path} → ${status})`, async () => {
      const r = await new Client(srv.base).request(method, path, {});
      assert.equal(r.status, status);
      assert.ok(r.headers.get('content-type'), 'a content type');
      if (type) assert.match(r.headers.get('content-type') || '', type);
      const csp = r.headers.get('content-security-policy') || '';
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('x-frame-options'), 'DENY');
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
      if (status === 303) assert.equal(r.headers.get('location'), '/login');
      if (path.startsWith('/api/') && status !== 404 && status !== 405)
        assert.equal(r.headers.get('cache-control'), 'no-store');
    });
  }

  test('HEAD /healthz: 200, the security headers, no body', async () => {
    const r = await fetch(`${srv.base}/healthz`, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-security-policy') || '', /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await r.text(), '');
    const g = await anon.get('/healthz');
    assert.equal(g.json.status, 'ok');
  });

  test('API replies for unknown paths and methods are no-store like every API reply', async () => {
    for (const [method, path] of [['GET', '/api/v1/nothing'], ['DELETE', '/api/v1/companies']]) {
      const r = await anon.request(method, path, {});
      assert.equal(r.headers.get('cache-control'), 'no-store', `${method} ${path}`);
    }
  });

  test('404 and 405: JSON codes under /api, HTML pages otherwise', async () => {
    const cases = [
      ['GET', '/api/v1/nothing', 404, 'not_found'],
      ['GET', '/api/v2/companies', 404, 'not_found'],
      ['GET', '/api/v1/companies/NOT-A-CODE', 404, 'not_found'],
      ['GET', `/api/v1/companies/${uscc('430922')}`, 404, 'not_found'],
      ['GET', '/api/v1/applications/abc', 404, 'not_found'],
      ['DELETE', '/api/v1/companies', 405, 'method_not_allowed'],
      ['PUT', '/api/v1/applications', 405, 'method_not_allowed'],
      ['GET', '/api/v1/applications/1/approve', 405, 'method_not_allowed'],
      ['POST', '/healthz', 405, 'method_not_allowed'],
    ];
    for (const [method, path, status, code] of cases) {
      const r = await anon.request(method, path, { headers: bearer(regToken).headers });
      assertError(r, status, code, undefined, `${method} ${path}`);
    }
    for (const [method, path, status] of [
      ['GET', '/nothing', 404],
      ['GET', '/companies/NOT-A-CODE', 404],
      ['GET', '/apply/status/x', 404],
      ['DELETE', '/login', 405],
    ]) {
      const r = await anon.request(method, path, {});
      assert.equal(r.status, status, `${method} ${path}`);
      assert.match(r.headers.get('content-type'), /^text\/html/, `${method} ${path}`);
    }
  });

  test('?lang=en renders English and sets the jz_lang cookie; ?lang=zh switches back', async () => {
    const c = new Client(srv.base);
    const zh = await c.get('/');
    assert.match(zh.text, /<html lang="zh-CN">/);
    assert.match(zh.text, /家政服务信用信息平台/);
    const en = await c.get('/?lang=en');
    assert.equal(en.status, 200);
    assert.match(en.text, /<html lang="en">/);
    assert.match(en.text, /Household-service credit platform/);
    const cookie = en.headers.getSetCookie().find((l) => l.startsWith('jz_lang='));
    assert.ok(cookie, 'jz_lang cookie set');
    assert.match(cookie, /^jz_lang=en;/);
    assert.match(cookie, /Path=\//);
    // The cookie carries the choice to the next page …
    const apply = await c.get('/apply');
    assert.match(apply.text, /<html lang="en">/);
    assert.match(apply.text, /Company application/);
    // … and to the API messages.
    const api = await c.get('/api/v1/companies?county=999999');
    assert.equal(api.json.message, 'No region has this code');
    const back = await c.get('/apply?lang=zh');
    assert.match(back.text, /<html lang="zh-CN">/);
    assert.match((await c.get('/')).text, /<html lang="zh-CN">/);
    // An unknown language changes nothing.
    const odd = await new Client(srv.base).get('/?lang=fr');
    assert.match(odd.text, /<html lang="zh-CN">/);
    assert.ok(!odd.headers.getSetCookie().some((l) => l.startsWith('jz_lang=')));
  });

  test('session and CSRF cookies are HttpOnly and SameSite; sign-out ends the session', async () => {
    const c = new Client(srv.base);
    const s = await c.postJson('/api/v1/session', reg);
    assert.equal(s.status, 200);
    const line = s.headers.getSetCookie().find((l) => l.startsWith('jz_session='));
    assert.ok(line, 'jz_session set');
    assert.ok(line.includes(`jz_session=${s.json.token};`), 'the cookie holds the token');
    assert.match(line, /;\s*HttpOnly/i);
    assert.match(line, /;\s*SameSite=(Lax|Strict)/i);
    assert.match(line, /;\s*Path=\//);
    assert.equal(s.json.expires_in, 12 * 3600);

    const page = await new Client(srv.base).get('/apply');
    const csrf = page.headers.getSetCookie().find((l) => l.startsWith('jz_csrf='));
    assert.match(csrf, /;\s*HttpOnly/i);
    assert.match(csrf, /;\s*SameSite=(Lax|Strict)/i);

    // Signed-in pages are not cached.
    const me = await c.get('/regulator/applications');
    assert.equal(me.status, 200);
    assert.match(me.headers.get('cache-control') || '', /no-store/);

    const out = await c.request('DELETE', '/api/v1/session', { headers: { 'Content-Type': 'application/json' } });
    assert.equal(out.status, 200);
    assert.equal((await anon.get('/api/v1/session', bearer(s.json.token))).status, 401, 'token dead after sign-out');
    assert.equal((await c.get('/regulator/applications')).status, 303);
  });
});

test('graceful shutdown: SIGTERM while idle exits 0', async () => {
  const other = await startServer({ kind: KIND });
  const r = await new Client(other.base).get('/healthz');
  assert.equal(r.status, 200);
  await other.stop(); // throws unless the exit status is 0 and no sanitizer spoke
  assert.equal(other.proc.exitCode, 0);
  await assert.rejects(fetch(`${other.base}/healthz`), 'no longer listening');
});
