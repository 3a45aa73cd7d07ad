// The authorization matrix: every route of the server (as `jiazheng routes` lists it)
// tried by every role against the real binary ($JZ_BIN, $JZ_DB_KIND), each request well
// formed (a valid CSRF token for forms, a valid JSON body for the API) so that the answer
// shows who may call what, not what is malformed. The matrix below is the one table of
// docs/security.md, "Who may call what"; this test also checks that the two agree and
// that no route is missing from them.
//
// Each role is one cookie jar, signed in once in before():
//   none    no cookies at all (so forms fail their CSRF check first)
//   public  a browser without an account (it has a CSRF cookie)
//   expired a regulator in scope and worker W1 whose sessions have expired (edited in the DB)
//   admin   the platform admin
//   regIn / regOut     regulator of 益阳市 (430900, holds C1 and C2) / of 长沙市 (430100)
//   asIn / asOut       association of 益阳市 / of 长沙市
//   coAdm / coStf      admin / staff of company C1 (桃江县), which employs worker W1
//   coFor   the admin of C2, another company (资阳区) that does not employ W1
//   wOwn    worker W1 signed in (the target of every worker route)
//   wOth    worker W2 (employed by C2) signed in, acting on W1's record
//
// Cells: ok (2xx; for pages also a 303 anywhere but a sign-in page), in (page: 303 to
// /login), win (page: 303 to /worker/login), 401 (unauthenticated), 403 (forbidden),
// scope (403 out_of_scope), csrf (403 csrf_failed), 404 (not_found; pages: the error
// page), 409 (wrong_state). API cells are checked on status and the JSON error code; page
// cells on status, an HTML error page, and the redirect's target.
//
// Cells that succeed act on a resource made for that cell when the action can be done only
// once (`fresh` below: an application to approve, a record to decide, ...), so the order of
// the cells does not matter; the sign-out routes run last.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, ROOT, addUser as addUserTo, apiLogin, binPath, sqlLines, startServer } from './lib.mjs';
import { uscc } from './codes.mjs';
import { dayOffset, nextId, nextPhone } from './ids.mjs';

const KIND = process.env.JZ_DB_KIND || 'sqlite';

const ROLES = ['none', 'public', 'expired', 'admin', 'regIn', 'regOut', 'asIn', 'asOut', 'coAdm', 'coStf', 'coFor', 'wOwn', 'wOth'];

// ---- the matrix -------------------------------------------------------------------------
// [method, pattern, the path requested, cells in ROLES order, options]
// options: body (object, or (values, role) => object), file (upload routes), fresh (placeholders
// that succeeding cells get made anew), reset (run before each succeeding cell), last (run
// after the rest).
const YEAR = new Date().getFullYear();
const applyBody = () => ({
  uscc: uscc('430922'), name: `矩阵申请家政有限公司${Math.random().toString(36).slice(2, 7)}`, legal_rep: '李四',
  address: '益阳市桃江县桃花江镇人民路2号', county: '430922', phone: '0737-8123456', service_types: 'hourly',
  commitment_by: '李四', commitment_accepted: 'yes',
});
const apiApplyBody = () => ({ ...applyBody(), service_types: ['hourly'], commitment_accepted: true });
const newWorker = () => ({ name: '周小红', id_number: nextId(), phone: nextPhone() });
const credential = () => ({ kind: 'health', number: 'JK2026001', issuer: '桃江县疾控中心', issued: dayOffset(-10), expires: dayOffset(300) });
const equipment = () => ({ kind: 'uniform', issued: dayOffset(-1) });
const stars = { skill: '5', attitude: '5', punctuality: '5', honesty: '5', comment: '很好' };
const reportBody = (v) => ({ worker_id: String(v.w1), category: 'breach', severity: 'minor', summary: '未按约定时间到岗', evidence: '雇主陈述', occurred: '2026-10-02' });
const apiReportBody = (v) => ({ ...reportBody(v), worker_id: v.w1 });
const creditCheck = (v) => ({ id_number: v.w1id, share_code: v.share });
const consentBody = (v) => ({ code: v.consent.code, phone: v.consent.phone, password: 'authz-pass-2' });
const importFile = () => `name,id_number\n周小红,${nextId()}\n`;
const resetCheckins = () => sql(`DELETE FROM checkins WHERE worker_id IN (${fx.w1}, ${fx.w2})`);

// Who may call what: one row per route, one column per role (see the top of this file).
// docs/security.md holds the same table.
const MATRIX = `
route                                       none  public expired admin regIn regOut asIn  asOut coAdm coStf coFor wOwn  wOth
GET /healthz                                ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /static/site.css                        ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /                                       ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /apply                                  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /apply                                 csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /apply/status                           ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /apply/status                          csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /login                                  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /login                                 csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /me                                     in    in    in    ok    ok    ok    ok    ok    ok    ok    ok    in    in
GET /company                                in    in    in    403   403   403   403   403   ok    ok    ok    in    in
GET /regulator/applications                 in    in    in    403   ok    ok    403   403   403   403   403   in    in
GET /regulator/applications/*               in    in    in    403   ok    404   403   403   403   403   403   in    in
POST /regulator/applications/*/approve      csrf  in    in    403   ok    404   403   403   403   403   403   in    in
POST /regulator/applications/*/reject       csrf  in    in    403   ok    404   403   403   403   403   403   in    in
GET /companies                              ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /companies/*                            ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /company/workers                        in    in    in    403   403   403   403   403   ok    ok    ok    in    in
GET /company/workers/new                    in    in    in    403   403   403   403   403   ok    ok    ok    in    in
POST /company/workers                       csrf  in    in    403   403   403   403   403   ok    ok    ok    in    in
GET /company/readiness                      in    in    in    403   403   403   403   403   ok    ok    ok    in    in
GET /company/import                         in    in    in    403   403   403   403   403   ok    ok    ok    in    in
GET /company/import/template.csv            ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /company/import                        csrf  in    in    403   403   403   403   403   ok    ok    ok    in    in
GET /company/import/*                       in    in    in    404   404   404   404   404   ok    ok    404   in    in
GET /company/import/*/report                in    in    in    404   404   404   404   404   ok    ok    404   in    in
POST /workers/lookup                        csrf  in    in    404   ok    404   ok    404   ok    ok    404   in    in
GET /workers/*                              in    in    in    404   ok    404   ok    404   ok    ok    404   ok    404
POST /workers/*/credentials                 csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/equipment                   csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/identity                    csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/background                  csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/consent                     csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/consent-code                csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/end                         csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/notes                       csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
GET /workers/*/card                         in    in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/card                        csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/card/revoke                 csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /workers/*/card/reissue                csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
GET /v/*                                    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /.well-known/jiazheng-card-key          ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /api/v1/cards/*                         ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /workers/*/services                    csrf  in    in    403   403   403   403   403   ok    ok    404   in    in
POST /services/*/end                        csrf  in    in    404   404   404   404   404   ok    ok    404   in    in
GET /review/*                               ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /review/*                              csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /reviews/*/reply                       csrf  in    in    404   404   404   404   404   ok    ok    404   ok    404
POST /reviews/*/report                      csrf  in    in    404   404   404   404   404   ok    ok    404   ok    404
POST /reviews/*/moderate                    csrf  in    in    403   ok    scope ok    scope 403   403   403   in    in
GET /moderation                             in    in    in    403   ok    ok    ok    ok    403   403   403   in    in
POST /records                               csrf  in    in    403   ok    404   ok    404   ok    ok    404   in    in
GET /records/*                              in    in    in    404   ok    404   ok    404   ok    ok    404   ok    404
POST /records/*/decide                      csrf  in    in    403   ok    404   ok    404   403   403   403   in    in
POST /records/*/appeal                      csrf  in    in    404   403   404   403   404   403   403   404   ok    404
POST /appeals/*/decide                      csrf  in    in    403   ok    404   403   403   403   403   403   in    in
GET /evidence/*                             in    in    in    404   ok    404   ok    404   ok    ok    404   ok    404
GET /regulator/credit                       in    in    in    403   ok    ok    ok    ok    403   403   403   in    in
POST /workers/*/background/review           csrf  in    in    403   ok    404   403   403   403   403   403   in    in
GET /credit-check                           in    in    in    403   403   403   403   403   ok    ok    ok    in    in
POST /credit-check                          csrf  in    in    403   403   403   403   403   ok    ok    ok    in    in
POST /worker/share-code                     csrf  win   win   win   win   win   win   win   win   win   win   ok    ok
POST /worker/share-code/revoke              csrf  win   win   win   win   win   win   win   win   win   win   ok    ok
POST /workers/*/share-code                  csrf  in    in    403   403   403   403   403   ok    ok    404   ok    404
GET /company/inbox                          in    in    in    403   403   403   403   403   ok    ok    ok    in    in
POST /company/inbox/read                    csrf  in    in    403   403   403   403   403   ok    ok    ok    in    in
POST /api/v1/records                        401   401   401   403   ok    404   ok    404   ok    ok    404   401   401
GET /api/v1/records/*                       401   401   401   404   ok    404   ok    404   ok    ok    404   ok    404
POST /api/v1/records/*/decide               401   401   401   403   ok    404   ok    404   403   403   403   401   401
POST /api/v1/records/*/appeal               401   401   401   404   403   404   403   404   403   403   404   ok    404
POST /api/v1/appeals/*/decide               401   401   401   403   ok    404   403   403   403   403   403   401   401
GET /api/v1/evidence/*                      401   401   401   404   ok    404   ok    404   ok    ok    404   ok    404
GET /api/v1/regulator/credit                401   401   401   403   ok    ok    ok    ok    403   403   403   401   401
POST /api/v1/workers/*/background/review    401   401   401   403   ok    404   403   403   403   403   403   401   401
POST /api/v1/credit-checks                  401   401   401   403   403   403   403   403   ok    ok    ok    401   401
POST /api/v1/worker/share-code              401   401   401   401   401   401   401   401   401   401   401   ok    ok
POST /api/v1/worker/share-code/revoke       401   401   401   401   401   401   401   401   401   401   401   ok    ok
POST /api/v1/workers/*/share-code           401   401   401   403   403   403   403   403   ok    ok    404   ok    404
GET /api/v1/company/notifications           401   401   401   403   403   403   403   403   ok    ok    ok    401   401
POST /api/v1/company/notifications/read     401   401   401   403   403   403   403   403   ok    ok    ok    401   401
GET /consent                                ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /consent                               csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /worker/login                           ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /worker/login                          csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /worker                                 win   win   win   win   win   win   win   win   win   win   win   ok    ok
POST /worker/checkin                        csrf  win   win   win   win   win   win   win   win   win   win   ok    ok
POST /company/checkin                       csrf  in    in    403   403   403   403   403   ok    ok    ok    in    in
GET /worker/export                          win   win   win   win   win   win   win   win   win   win   win   ok    ok
POST /api/v1/workers                        401   401   401   403   403   403   403   403   ok    ok    ok    401   401
POST /api/v1/workers/lookup                 401   401   401   404   ok    404   ok    404   ok    ok    404   401   401
GET /api/v1/workers/*                       401   401   401   404   ok    404   ok    404   ok    ok    404   ok    404
POST /api/v1/workers/*/credentials          401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/equipment            401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/identity             401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/background           401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/consent              401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/consent-code         401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/end                  401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/notes                401   401   401   403   403   403   403   403   ok    ok    404   401   401
GET /api/v1/workers/*/card                  401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/card                 401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/card/revoke          401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/workers/*/card/reissue         401   401   401   403   403   403   403   403   ok    ok    404   401   401
GET /api/v1/company/workers                 401   401   401   403   403   403   403   403   ok    ok    ok    401   401
GET /api/v1/company/readiness               401   401   401   403   403   403   403   403   ok    ok    ok    401   401
POST /api/v1/consent                        ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /api/v1/workers/*/services             401   401   401   403   403   403   403   403   ok    ok    404   401   401
POST /api/v1/services/*/end                 401   401   401   404   404   404   404   404   ok    ok    404   401   401
GET /api/v1/reviews/*                       ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /api/v1/reviews                        ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /api/v1/reviews/*/reply                401   401   401   404   404   404   404   404   ok    ok    404   ok    404
POST /api/v1/reviews/*/report               401   401   401   404   404   404   404   404   ok    ok    404   ok    404
POST /api/v1/reviews/*/moderate             401   401   401   403   ok    scope ok    scope 403   403   403   401   401
GET /api/v1/moderation                      401   401   401   403   ok    ok    ok    ok    403   403   403   401   401
POST /api/v1/worker/session                 ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /api/v1/worker                          401   401   401   401   401   401   401   401   401   401   401   ok    ok
POST /api/v1/worker/checkin                 401   401   401   401   401   401   401   401   401   401   401   ok    ok
POST /api/v1/company/checkin                401   401   401   403   403   403   403   403   ok    ok    ok    401   401
POST /api/v1/applications                   ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /api/v1/applications/status            ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /api/v1/applications                    401   401   401   403   ok    ok    403   403   403   403   403   401   401
GET /api/v1/applications/*                  401   401   401   403   ok    404   403   403   403   403   403   401   401
POST /api/v1/applications/*/approve         401   401   401   403   ok    404   403   403   403   403   403   401   401
POST /api/v1/applications/*/reject          401   401   401   403   ok    404   403   403   403   403   403   401   401
GET /api/v1/companies                       ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /api/v1/companies/*                     ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /api/v1/session                        ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /api/v1/session                         401   401   401   ok    ok    ok    ok    ok    ok    ok    ok    401   401
POST /companies/*/suspend                   csrf  in    in    403   ok    scope 403   403   403   403   403   in    in
POST /companies/*/reinstate                 csrf  in    in    403   ok    scope 403   403   403   403   403   in    in
POST /companies/*/revoke                    csrf  in    in    403   ok    scope 403   403   403   403   403   in    in
POST /companies/*/designations              csrf  in    in    403   ok    scope ok    scope 403   403   403   in    in
POST /designations/*/withdraw               csrf  in    in    403   ok    scope ok    403   403   403   403   in    in
GET /regulator/companies                    in    in    in    403   ok    ok    ok    ok    403   403   403   in    in
GET /dishonesty                             ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /api/v1/companies/*/suspend            401   401   401   403   ok    scope 403   403   403   403   403   401   401
POST /api/v1/companies/*/reinstate          401   401   401   403   ok    scope 403   403   403   403   403   401   401
POST /api/v1/companies/*/revoke             401   401   401   403   ok    scope 403   403   403   403   403   401   401
POST /api/v1/companies/*/designations       401   401   401   403   ok    scope ok    scope 403   403   403   401   401
POST /api/v1/designations/*/withdraw        401   401   401   403   ok    scope ok    403   403   403   403   401   401
GET /api/v1/regulator/companies             401   401   401   403   ok    ok    ok    ok    403   403   403   401   401
GET /api/v1/dishonesty                      ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /dashboard                              in    in    in    ok    ok    ok    ok    ok    403   403   403   in    in
GET /dashboard/*                            in    in    in    ok    ok    scope ok    scope 403   403   403   in    in
GET /dashboard/*/workers                    in    in    in    403   ok    scope ok    scope 403   403   403   in    in
GET /dashboard/*/companies                  in    in    in    403   ok    scope ok    scope 403   403   403   in    in
GET /open-data                              ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /open-data/*                            ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET /api/v1/dashboard/*                     401   401   401   ok    ok    scope ok    scope 403   403   403   401   401
GET /api/v1/dashboard/*/workers             401   401   401   403   ok    scope ok    scope 403   403   403   401   401
GET /api/v1/open-data/*                     ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /logout                                csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST /worker/logout                         csrf  ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
DELETE /api/v1/session                      401   401   401   ok    ok    ok    ok    ok    ok    ok    ok    401   401
`;

// How to call each route (the path's placeholders are fixtures; default: the pattern itself,
// no body). options: path, body (object, or (values, role) => object), file (upload routes),
// fresh (placeholders that succeeding cells get made anew), reset (run before each
// succeeding cell), last (run after the rest, in this order), parallel (the succeeding
// cells at once: sign-in and consent cost an Argon2id hash each, and the server has threads).
const CALLS = {
  'POST /apply': { body: applyBody },
  'POST /apply/status': { body: (v) => ({ uscc: v.appUscc, query_code: v.appQuery }) },
  'POST /login': { parallel: true, body: (v) => ({ username: v.probe.username, password: v.probe.password }) },
  'POST /logout': { last: 2 },
  'GET /regulator/applications/*': { path: '/regulator/applications/{app}' },
  'POST /regulator/applications/*/approve': { path: '/regulator/applications/{app}/approve', fresh: ['app'] },
  'POST /regulator/applications/*/reject': { path: '/regulator/applications/{app}/reject', fresh: ['app'], body: { reason: '材料不全，请补充后再申请' } },
  'GET /companies/*': { path: '/companies/{co1}' },
  'POST /company/workers': { body: newWorker },
  'POST /company/import': { body: { dry_run: 'yes' }, file: importFile },
  'GET /company/import/*': { path: '/company/import/{job}' },
  'GET /company/import/*/report': { path: '/company/import/{job}/report' },
  'POST /workers/lookup': { body: (v) => ({ id_number: v.w1id }) },
  'GET /workers/*': { path: '/workers/{w1}' },
  'POST /workers/*/credentials': { path: '/workers/{w1}/credentials', body: credential },
  'POST /workers/*/equipment': { path: '/workers/{w1}/equipment', body: equipment },
  'POST /workers/*/identity': { path: '/workers/{w1}/identity', body: { method: 'document', confirm: 'yes' } },
  'POST /workers/*/background': { path: '/workers/{w1}/background', body: { status: 'clear', source: '派出所无犯罪记录证明' } },
  'POST /workers/*/consent': { path: '/workers/{wnew}/consent', fresh: ['wnew'], body: () => ({ consent_date: dayOffset(0) }) },
  'POST /workers/*/consent-code': { path: '/workers/{wnew}/consent-code' },
  'POST /workers/*/end': { path: '/workers/{wx}/end', fresh: ['wx'], body: () => ({ ended: dayOffset(0) }) },
  'POST /workers/*/notes': { path: '/workers/{w1}/notes', body: { notes: '做事认真' } },
  'GET /workers/*/card': { path: '/workers/{w1}/card' },
  'POST /workers/*/card': { path: '/workers/{w1}/card' },
  'POST /workers/*/card/revoke': { path: '/workers/{wx}/card/revoke', fresh: ['wx'], body: { reason: 'lost' } },
  'POST /workers/*/card/reissue': { path: '/workers/{wx}/card/reissue', fresh: ['wx'], body: { reason: 'lost' } },
  'GET /v/*': { path: '/v/{card}' },
  'GET /api/v1/cards/*': { path: '/api/v1/cards/{card}' },
  'POST /workers/*/services': { path: '/workers/{w1}/services', body: { service_type: 'nanny', county: '430922' } },
  'POST /services/*/end': { path: '/services/{svc}/end', fresh: ['svc'] },
  'GET /review/*': { path: '/review/{rcode}' },
  'POST /review/*': { path: '/review/{rcode}', fresh: ['rcode'], body: stars },
  'POST /reviews/*/reply': { path: '/reviews/{review}/reply', fresh: ['review'], body: { text: '感谢您的评价' } },
  'POST /reviews/*/report': { path: '/reviews/{review}/report', fresh: ['review'], body: { reason: '评价内容不实' } },
  'POST /reviews/*/moderate': { path: '/reviews/{reported}/moderate', fresh: ['reported'], body: { decision: 'keep' } },
  'POST /records': { body: reportBody },
  'GET /records/*': { path: '/records/{record}' },
  'POST /records/*/decide': { path: '/records/{record}/decide', fresh: ['record'], body: { decision: 'confirm', reason: '经核实属实' } },
  'POST /records/*/appeal': { path: '/records/{published}/appeal', fresh: ['published'], body: { reasons: '事实不符' } },
  'POST /appeals/*/decide': { path: '/appeals/{appeal}/decide', fresh: ['appeal'], body: { decision: 'reject', reason: '理由不足' } },
  'GET /evidence/*': { path: '/evidence/{evidence}' },
  'POST /workers/*/background/review': { path: '/workers/{flagged}/background/review', fresh: ['flagged'], body: { decision: 'confirm', reason: '经公安部门核实' } },
  'POST /credit-check': { fresh: ['share'], body: creditCheck },
  'POST /workers/*/share-code': { path: '/workers/{w1}/share-code' },
  'POST /api/v1/records': { body: apiReportBody },
  'GET /api/v1/records/*': { path: '/api/v1/records/{record}' },
  'POST /api/v1/records/*/decide': { path: '/api/v1/records/{record}/decide', fresh: ['record'], body: { decision: 'confirm', reason: '经核实属实' } },
  'POST /api/v1/records/*/appeal': { path: '/api/v1/records/{published}/appeal', fresh: ['published'], body: { reasons: '事实不符' } },
  'POST /api/v1/appeals/*/decide': { path: '/api/v1/appeals/{appeal}/decide', fresh: ['appeal'], body: { decision: 'reject', reason: '理由不足' } },
  'GET /api/v1/evidence/*': { path: '/api/v1/evidence/{evidence}' },
  'POST /api/v1/workers/*/background/review': { path: '/api/v1/workers/{flagged}/background/review', fresh: ['flagged'], body: { decision: 'confirm', reason: '经公安部门核实' } },
  'POST /api/v1/credit-checks': { fresh: ['share'], body: creditCheck },
  'POST /api/v1/workers/*/share-code': { path: '/api/v1/workers/{w1}/share-code' },
  'POST /consent': { parallel: true, fresh: ['consent'], body: consentBody },
  'POST /worker/login': { parallel: true, body: (v) => ({ phone: v.w1phone, password: v.w1password }) },
  'POST /worker/logout': { last: 3 },
  'POST /worker/checkin': { reset: resetCheckins },
  'POST /api/v1/workers': { body: newWorker },
  'POST /api/v1/workers/lookup': { body: (v) => ({ id_number: v.w1id }) },
  'GET /api/v1/workers/*': { path: '/api/v1/workers/{w1}' },
  'POST /api/v1/workers/*/credentials': { path: '/api/v1/workers/{w1}/credentials', body: credential },
  'POST /api/v1/workers/*/equipment': { path: '/api/v1/workers/{w1}/equipment', body: equipment },
  'POST /api/v1/workers/*/identity': { path: '/api/v1/workers/{w1}/identity', body: { method: 'document' } },
  'POST /api/v1/workers/*/background': { path: '/api/v1/workers/{w1}/background', body: { status: 'clear', source: '派出所无犯罪记录证明' } },
  'POST /api/v1/workers/*/consent': { path: '/api/v1/workers/{wnew}/consent', fresh: ['wnew'], body: () => ({ consent_date: dayOffset(0) }) },
  'POST /api/v1/workers/*/consent-code': { path: '/api/v1/workers/{wnew}/consent-code' },
  'POST /api/v1/workers/*/end': { path: '/api/v1/workers/{wx}/end', fresh: ['wx'], body: () => ({ ended: dayOffset(0) }) },
  'POST /api/v1/workers/*/notes': { path: '/api/v1/workers/{w1}/notes', body: { notes: '做事认真' } },
  'GET /api/v1/workers/*/card': { path: '/api/v1/workers/{w1}/card' },
  'POST /api/v1/workers/*/card': { path: '/api/v1/workers/{w1}/card' },
  'POST /api/v1/workers/*/card/revoke': { path: '/api/v1/workers/{wx}/card/revoke', fresh: ['wx'], body: { reason: 'lost' } },
  'POST /api/v1/workers/*/card/reissue': { path: '/api/v1/workers/{wx}/card/reissue', fresh: ['wx'], body: { reason: 'lost' } },
  'POST /api/v1/consent': { parallel: true, fresh: ['consent'], body: consentBody },
  'POST /api/v1/workers/*/services': { path: '/api/v1/workers/{w1}/services', body: { service_type: 'nanny', county: '430922' } },
  'POST /api/v1/services/*/end': { path: '/api/v1/services/{svc}/end', fresh: ['svc'] },
  'GET /api/v1/reviews/*': { path: '/api/v1/reviews/{rcode}' },
  'POST /api/v1/reviews': { fresh: ['rcode'], body: (v) => ({ code: v.rcode, ...stars }) },
  'POST /api/v1/reviews/*/reply': { path: '/api/v1/reviews/{review}/reply', fresh: ['review'], body: { text: '感谢您的评价' } },
  'POST /api/v1/reviews/*/report': { path: '/api/v1/reviews/{review}/report', fresh: ['review'], body: { reason: '评价内容不实' } },
  'POST /api/v1/reviews/*/moderate': { path: '/api/v1/reviews/{reported}/moderate', fresh: ['reported'], body: { decision: 'keep' } },
  'POST /api/v1/worker/session': { parallel: true, body: (v) => ({ phone: v.w1phone, password: v.w1password }) },
  'POST /api/v1/worker/checkin': { reset: resetCheckins },
  'POST /api/v1/applications': { body: apiApplyBody },
  'POST /api/v1/applications/status': { body: (v) => ({ uscc: v.appUscc, query_code: v.appQuery }) },
  'GET /api/v1/applications/*': { path: '/api/v1/applications/{app}' },
  'POST /api/v1/applications/*/approve': { path: '/api/v1/applications/{app}/approve', fresh: ['app'] },
  'POST /api/v1/applications/*/reject': { path: '/api/v1/applications/{app}/reject', fresh: ['app'], body: { reason: '材料不全，请补充后再申请' } },
  'GET /api/v1/companies/*': { path: '/api/v1/companies/{co1}' },
  'POST /api/v1/session': { parallel: true, body: (v) => ({ username: v.probe.username, password: v.probe.password }) },
  // Signs the staff roles out: first of the last (the page sign-out answers the same without a session).
  'DELETE /api/v1/session': { last: 1 },
  'POST /companies/*/suspend': { path: '/companies/{coActive}/suspend', fresh: ['coActive'], body: { reason: '未按规定开展业务' } },
  'POST /companies/*/reinstate': { path: '/companies/{coSuspended}/reinstate', fresh: ['coSuspended'], body: { reason: '整改完成' } },
  'POST /companies/*/revoke': { path: '/companies/{coActive}/revoke', fresh: ['coActive'], body: { reason: '严重违规经营' } },
  'POST /companies/*/designations': { path: '/companies/{coPlain}/designations', fresh: ['coPlain'], body: { year: String(YEAR), issuer: '益阳市商务局' } },
  'POST /designations/*/withdraw': { path: '/designations/{desig}/withdraw', fresh: ['desig'] },
  'POST /api/v1/companies/*/suspend': { path: '/api/v1/companies/{coActive}/suspend', fresh: ['coActive'], body: { reason: '未按规定开展业务' } },
  'POST /api/v1/companies/*/reinstate': { path: '/api/v1/companies/{coSuspended}/reinstate', fresh: ['coSuspended'], body: { reason: '整改完成' } },
  'POST /api/v1/companies/*/revoke': { path: '/api/v1/companies/{coActive}/revoke', fresh: ['coActive'], body: { reason: '严重违规经营' } },
  'POST /api/v1/companies/*/designations': { path: '/api/v1/companies/{coPlain}/designations', fresh: ['coPlain'], body: { year: String(YEAR), issuer: '益阳市商务局' } },
  'POST /api/v1/designations/*/withdraw': { path: '/api/v1/designations/{desig}/withdraw', fresh: ['desig'] },
  'GET /dashboard/*': { path: '/dashboard/430900' },
  'GET /dashboard/*/workers': { path: '/dashboard/430900/workers?stage=entered' },
  'GET /dashboard/*/companies': { path: '/dashboard/430900/companies?status=active' },
  'GET /open-data/*': { path: '/open-data/430900' },
  'GET /api/v1/dashboard/*': { path: '/api/v1/dashboard/430900' },
  'GET /api/v1/dashboard/*/workers': { path: '/api/v1/dashboard/430900/workers?stage=entered' },
  'GET /api/v1/open-data/*': { path: '/api/v1/open-data/430900' },
};

// ---- fixtures ---------------------------------------------------------------------------
let srv;
const fx = {}; // placeholder values: w1, w2, co1, ...
const jars = {}; // role -> {cookie, csrf}
const tokens = {}; // role -> API token of the account behind it (for fixtures)
const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
const api = () => new Client(srv.base);
const addUser = (username, role, extra) => addUserTo(srv, username, role, extra);

/** Runs SQL on the test database (sqlite3 or psql); returns its output lines. */
const sql = (statement) => sqlLines(srv, statement);

async function ok(promise, what) {
  const r = await promise;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

const csrfValue = (role) => `authz-csrf-token-${role}-0123456789`;

function addCompany(county, name) {
  const code = uscc(county);
  const r = srv.run(['company', 'add', '--db', srv.db, '--uscc', code, '--name', name, '--county', county]);
  assert.equal(r.status, 0, r.stderr);
  return code;
}

/** Enrols a worker for the company behind token; returns {id, idNumber, phone}. */
async function enrol(token, name = '欧阳秀芳') {
  const phone = nextPhone();
  const idNumber = nextId();
  const w = await ok(api().postJson('/api/v1/workers', { name, id_number: idNumber, phone }, bearer(token)), 'enrol');
  return { id: w.id, idNumber, phone };
}

/** Enrols and consents a worker with a password; returns {id, idNumber, phone, password}. */
async function consentedWorker(token, name) {
  const w = await enrol(token, name);
  const code = await ok(api().postJson(`/api/v1/workers/${w.id}/consent-code`, {}, bearer(token)), 'consent code');
  const password = 'authz-pass-1';
  await ok(api().postJson('/api/v1/consent', { code: code.code, phone: w.phone, password }), 'consent');
  return { ...w, password };
}

const workerLogin = async (w) =>
  (await ok(api().postJson('/api/v1/worker/session', { phone: w.phone, password: w.password }), 'worker sign-in')).token;

async function application(county = '430922') {
  const body = {
    uscc: uscc(county), name: `矩阵测试家政有限公司${Math.random().toString(36).slice(2, 7)}`, legal_rep: '李四',
    address: '益阳市桃江县桃花江镇人民路2号', county, phone: '0737-8123456', service_types: ['hourly'],
    commitment_by: '李四', commitment_accepted: true,
  };
  const a = await ok(api().postJson('/api/v1/applications', body), 'application');
  return { ...a, body };
}

/** An ended service of W1 at C1; returns {id, code}. */
async function reviewCode() {
  const sv = await ok(api().postJson(`/api/v1/workers/${fx.w1}/services`, { service_type: 'nanny', county: '430922' }, bearer(tokens.coAdm)), 'service');
  const end = await ok(api().postJson(`/api/v1/services/${sv.id}/end`, {}, bearer(tokens.coAdm)), 'service end');
  return end.code;
}

async function record(workerId = fx.w1) {
  const body = { worker_id: workerId, category: 'theft', severity: 'grave', occurred: '2026-10-01', summary: '服务期间盗窃雇主财物', evidence: '报警回执' };
  return (await ok(api().postJson('/api/v1/records', body, bearer(tokens.coAdm)), 'record')).id;
}

/** Makers of one-shot targets, for the cells that are expected to succeed. */
const makers = {
  app: async () => (await application()).id,
  svc: async () => (await ok(api().postJson(`/api/v1/workers/${fx.w1}/services`, { service_type: 'nanny', county: '430922' }, bearer(tokens.coAdm)), 'service')).id,
  rcode: reviewCode,
  record: () => record(),
  appeal: async () => {
    const id = await record();
    await ok(api().postJson(`/api/v1/records/${id}/decide`, { decision: 'confirm', reason: '经核实' }, bearer(tokens.regIn)), 'confirm');
    return (await ok(api().postJson(`/api/v1/records/${id}/appeal`, { reasons: '事实不符' }, bearer(fx.w1token)), 'appeal')).id;
  },
  // A published record of W1 that has no appeal yet.
  published: async () => {
    const id = await record();
    await ok(api().postJson(`/api/v1/records/${id}/decide`, { decision: 'confirm', reason: '经核实' }, bearer(tokens.regIn)), 'confirm');
    return id;
  },
  // A worker of C1 (consented on paper, with a card): for ending, revoking, reissuing.
  wx: async () => {
    const w = await enrol(tokens.coAdm, '李桂英');
    await ok(api().postJson(`/api/v1/workers/${w.id}/consent`, { consent_date: dayOffset(0) }, bearer(tokens.coAdm)), 'paper consent');
    await ok(api().postJson(`/api/v1/workers/${w.id}/card`, {}, bearer(tokens.coAdm)), 'card');
    return w.id;
  },
  // A worker of C1 whose background a company flagged, for the regulator to review.
  flagged: async () => {
    const w = await enrol(tokens.coAdm, '石秋菊');
    await ok(api().postJson(`/api/v1/workers/${w.id}/consent`, { consent_date: dayOffset(0) }, bearer(tokens.coAdm)), 'paper consent');
    await ok(api().postJson(`/api/v1/workers/${w.id}/background`, { status: 'flagged', source: '公安部门反馈' }, bearer(tokens.coAdm)), 'flag');
    return w.id;
  },
  // An active company of 桃江县 (for suspension and revocation), a suspended one (to reinstate).
  coActive: async () => addCompany('430922', `桃江县矩阵${Math.random().toString(36).slice(2, 7)}家政有限公司`),
  coSuspended: async () => {
    const code = await makers.coActive();
    await ok(api().postJson(`/api/v1/companies/${code}/suspend`, { reason: '测试暂停' }, bearer(tokens.regIn)), 'suspend');
    return code;
  },
  // A company of 桃江县 without designations this year.
  coPlain: async () => makers.coActive(),
  desig: async (role) => {
    const code = await makers.coActive();
    const token = role.startsWith('as') ? tokens.asIn : tokens.regIn;
    return (await ok(api().postJson(`/api/v1/companies/${code}/designations`, { year: new Date().getFullYear(), issuer: '益阳市商务局' }, bearer(token)), 'designate')).id;
  },
  wnew: async () => (await enrol(tokens.coAdm, '陈玉兰')).id,
  review: async () => {
    const code = await reviewCode();
    return (await ok(api().postJson('/api/v1/reviews', { code, skill: '4', attitude: '4', punctuality: '4', honesty: '4', comment: '不错' }), 'review')).id;
  },
  reported: async () => {
    const id = await makers.review();
    await ok(api().postJson(`/api/v1/reviews/${id}/report`, { reason: '评价内容不实' }, bearer(tokens.coAdm)), 'report');
    return id;
  },
  share: async () => (await ok(api().postJson('/api/v1/worker/share-code', {}, bearer(fx.w1token)), 'share code')).share_code,
  // A worker of C1 waiting for the worker's own consent: its one-time code and phone.
  consent: async () => {
    const w = await enrol(tokens.coAdm, '赵春梅');
    const c = await ok(api().postJson(`/api/v1/workers/${w.id}/consent-code`, {}, bearer(tokens.coAdm)), 'consent code');
    return { code: c.code, phone: w.phone };
  },
};

before(async () => {
  srv = await startServer({ kind: KIND });
  fx.co1 = addCompany('430922', '桃江县矩阵甲家政有限公司');
  fx.co2 = addCompany('430902', '资阳区矩阵乙家政有限公司');
  const accounts = {
    admin: ['authz_admin', 'admin', []],
    regIn: ['authz_reg_yiyang', 'regulator', ['--region', '430900']],
    regOut: ['authz_reg_changsha', 'regulator', ['--region', '430100']],
    asIn: ['authz_as_yiyang', 'association', ['--region', '430900']],
    asOut: ['authz_as_changsha', 'association', ['--region', '430100']],
    coAdm: ['authz_co1_admin', 'company_admin', ['--company', fx.co1]],
    coStf: ['authz_co1_staff', 'company_staff', ['--company', fx.co1]],
    coFor: ['authz_co2_admin', 'company_admin', ['--company', fx.co2]],
    probe: ['authz_probe', 'company_staff', ['--company', fx.co2]],
    expired: ['authz_expired', 'regulator', ['--region', '430900']],
  };
  const passwords = {};
  for (const [role, [username, kind, extra]] of Object.entries(accounts)) passwords[role] = addUser(username, kind, extra);
  await inBatches(Object.keys(accounts), async (role) => (tokens[role] = await apiLogin(srv, accounts[role][0], passwords[role])));
  fx.probe = { username: accounts.probe[0], password: passwords.probe };

  // W1 of C1 and W2 of C2, consented with passwords; W1 has a card and a share code.
  const [w1, w2] = await Promise.all([consentedWorker(tokens.coAdm, '欧阳秀芳'), consentedWorker(tokens.coFor, '王桂兰')]);
  Object.assign(fx, { w1: w1.id, w1id: w1.idNumber, w2: w2.id, w1phone: w1.phone, w1password: w1.password });
  const card = await ok(api().postJson(`/api/v1/workers/${w1.id}/card`, {}, bearer(tokens.coAdm)), 'card');
  fx.card = new URL(card.url).pathname.slice(3);

  // The expired sessions: a regulator's of 益阳 and W1's, aged in the database; then W1's own.
  const expiredStaff = tokens.expired;
  sql(`UPDATE sessions SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = '${accounts.expired[0]}')`);
  const expiredWorker = await workerLogin(w1);
  sql(`UPDATE worker_sessions SET expires_at = 1 WHERE worker_id = ${w1.id}`);
  [fx.w1token, fx.w2token] = await Promise.all([workerLogin(w1), workerLogin(w2)]);

  fx.share = (await ok(api().postJson('/api/v1/worker/share-code', {}, bearer(fx.w1token)), 'share code')).share_code;
  const app = await application();
  Object.assign(fx, { app: app.id, appUscc: app.body.uscc, appQuery: app.query_code });
  const sv = await ok(api().postJson(`/api/v1/workers/${fx.w1}/services`, { service_type: 'nanny', county: '430922' }, bearer(tokens.coAdm)), 'service');
  fx.svc = sv.id;
  fx.rcode = await reviewCode();
  const reviewed = await reviewCode();
  fx.review = (await ok(api().postJson('/api/v1/reviews', { code: reviewed, skill: '4', attitude: '4', punctuality: '4', honesty: '4', comment: '不错' }), 'review')).id;
  fx.wnew = await makers.wnew();
  fx.reported = await makers.reported();
  // A record with an evidence file, published, with an appeal by W1.
  const file = Buffer.from('报警回执\n').toString('base64');
  const rec = await ok(api().postJson('/api/v1/records', { worker_id: fx.w1, category: 'theft', severity: 'grave', occurred: '2026-10-01', summary: '服务期间盗窃', evidence: '回执', file_name: '回执.txt', file_base64: file }, bearer(tokens.coAdm)), 'record');
  fx.record = rec.id;
  fx.evidence = Number(sql(`SELECT max(id) FROM credit_evidence`)[0]);
  fx.published = await makers.published();
  fx.appeal = await makers.appeal();
  fx.flagged = await makers.flagged();
  fx.wx = fx.w1;
  fx.coActive = fx.co1;
  fx.coSuspended = await makers.coSuspended();
  fx.coPlain = fx.co1;
  fx.desig = await makers.desig('regIn');
  fx.consent = { code: '12345678', phone: nextPhone() };
  // An import job of C1.
  const form = new FormData();
  form.append('csrf', csrfValue('coAdm'));
  form.append('dry_run', 'yes');
  form.append('file', new Blob([`name,id_number\n周小红,${nextId()}\n`], { type: 'text/csv' }), 'w.csv');
  const up = await fetch(`${srv.base}/company/import`, { method: 'POST', body: form, redirect: 'manual',
    headers: { Cookie: `jz_session=${tokens.coAdm}; jz_csrf=${csrfValue('coAdm')}` } });
  assert.equal(up.status, 303, await up.text());
  fx.job = up.headers.get('location').split('/').pop();

  const cookies = {
    none: null,
    public: [],
    expired: [`jz_session=${expiredStaff}`, `jz_worker=${expiredWorker}`],
    wOwn: [`jz_worker=${fx.w1token}`],
    wOth: [`jz_worker=${fx.w2token}`],
  };
  for (const role of ROLES) {
    const list = cookies[role] !== undefined ? cookies[role] : [`jz_session=${tokens[role]}`];
    jars[role] = list === null ? { cookie: '', csrf: null } : { cookie: [...list, `jz_csrf=${csrfValue(role)}`].join('; '), csrf: csrfValue(role) };
  }
});

after(async () => {
  if (srv) await srv.stop();
});

// ---- running a cell ---------------------------------------------------------------------
const API_CELLS = {
  unauthenticated: [401, '401'], forbidden: [403, '403'], out_of_scope: [403, 'scope'], csrf_failed: [403, 'csrf'],
  not_found: [404, '404'], wrong_state: [409, '409'],
};
const ERROR_TEXT = { scope: '不在您的管辖区域内', csrf: '表单已过期' };

/** The cell a response shows: ok, in, win, 401, 403, scope, csrf, 404, 409 or status:detail. */
function cellOf(kind, r) {
  if (kind === 'api') {
    if (r.status >= 200 && r.status < 300) return 'ok';
    const code = r.json && r.json.code;
    const known = API_CELLS[code];
    return known && known[0] === r.status ? known[1] : `${r.status}:${code}`;
  }
  if (r.status >= 200 && r.status < 300) return 'ok';
  if (r.status === 303) {
    const to = new URL(r.headers.get('location'), srv.base).pathname;
    return to === '/login' ? 'in' : to === '/worker/login' ? 'win' : 'ok';
  }
  if (!/^text\/html/.test(r.headers.get('content-type') || '')) return `${r.status}:not-html`;
  if (r.status === 403 && r.text.includes(ERROR_TEXT.scope)) return 'scope';
  if (r.status === 403 && r.text.includes(ERROR_TEXT.csrf)) return 'csrf';
  return String(r.status);
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    assert.ok(values[name] !== undefined, `no fixture {${name}}`);
    return typeof values[name] === 'object' ? values[name].code : String(values[name]);
  });
}

async function send(route, role, values) {
  const { method, kind, upload, call } = route;
  const jar = jars[role];
  const headers = {};
  if (jar.cookie) headers.Cookie = jar.cookie;
  if (kind === 'api') headers.Accept = 'application/json';
  let body;
  if (method !== 'GET') {
    const fields = typeof call.body === 'function' ? call.body(values, role) : call.body || {};
    if (kind === 'api') {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(fields);
    } else if (upload && call.file) {
      body = new FormData();
      if (jar.csrf) body.append('csrf', jar.csrf);
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      body.append('file', new Blob([call.file()], { type: 'text/csv' }), 'w.csv');
    } else {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ ...(jar.csrf ? { csrf: jar.csrf } : {}), ...fields }).toString();
    }
  }
  const res = await fetch(new URL(fill(call.path || route.pattern, values), srv.base), { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  const json = /json/.test(res.headers.get('content-type') || '') ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, text, json };
}

/** Runs every cell of a route; returns the cells that answered otherwise. */
/** Runs fn over items, as many at once as the server hashes passwords (one per CPU): more
 * sign-ins at once would wait in its slow pool, which sheds what it cannot start in time
 * with 503. */
async function inBatches(items, fn) {
  const width = Math.max(1, os.availableParallelism());
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}

async function runRoute(route) {
  const { call } = route;
  // Refusals first, on the shared fixtures; then the cells that succeed, each on its own.
  const order = ROLES.map((role, i) => [role, route.cells[i]]).sort((a, b) => (a[1] === 'ok') - (b[1] === 'ok'));
  const wrong = [];
  const cell = async (role, want) => {
    const values = { ...fx };
    if (want === 'ok') {
      if (call.reset) call.reset();
      for (const name of call.fresh || []) values[name] = await makers[name](role);
    }
    const r = await send(route, role, values);
    const got = cellOf(route.kind, r);
    if (got !== want) wrong.push(`${role}: expected ${want}, got ${got} (${r.status} ${r.text.slice(0, 200).replace(/\s+/g, ' ')})`);
  };
  for (const [role, want] of order.filter(([, want]) => !call.parallel || want !== 'ok')) await cell(role, want);
  if (call.parallel) await inBatches(order.filter(([, want]) => want === 'ok'), ([role, want]) => cell(role, want));
  return wrong.sort();
}

// ---- the tests --------------------------------------------------------------------------
/** Rows of a matrix as text: [{key: 'METHOD PATTERN', cells}], the header row dropped. */
function parseMatrix(text) {
  return text.trim().split('\n').slice(1).map((line) => {
    const words = line.trim().split(/\s+/);
    return { key: `${words[0]} ${words[1]}`, cells: words.slice(2) };
  });
}

/** The routes `jiazheng routes` prints (method, kind, pattern, body, parameters; tab-separated):
 * [{method, pattern, kind, upload}]. */
function servedRoutes() {
  const r = spawnSync(binPath(), ['routes'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((line) => {
    const [method, kind, pattern, body] = line.split('\t');
    return { method, pattern, kind, upload: body === 'upload' };
  });
}

const served = servedRoutes();
const rows = parseMatrix(MATRIX).map(({ key, cells }) => {
  const [method, pattern] = key.split(' ');
  const s = served.find((x) => x.method === method && x.pattern === pattern) || {};
  return { key, method, pattern, cells, kind: s.kind, upload: s.upload, call: CALLS[key] || {} };
});

test('every route the server answers is in the matrix, once, with a valid row', () => {
  const keys = rows.map((r) => r.key);
  const missing = served.map((s) => `${s.method} ${s.pattern}`).filter((k) => !keys.includes(k));
  assert.deepEqual(missing, [], 'routes missing from the matrix (tests/http/authz.test.mjs and docs/security.md)');
  assert.deepEqual(rows.filter((r) => !r.kind).map((r) => r.key), [], 'matrix rows for routes the server does not have');
  assert.equal(new Set(keys).size, keys.length, 'a route twice in the matrix');
  const cellWords = new Set(['ok', 'in', 'win', '401', '403', 'scope', 'csrf', '404', '409']);
  for (const r of rows) {
    assert.equal(r.cells.length, ROLES.length, `${r.key}: ${r.cells.length} cells for ${ROLES.length} roles`);
    assert.ok(r.cells.every((c) => cellWords.has(c)), `${r.key}: unknown cell in ${r.cells.join(' ')}`);
  }
  assert.deepEqual(Object.keys(CALLS).filter((k) => !keys.includes(k)), [], 'CALLS for routes not in the matrix');
});

test('docs/security.md, "Who may call what", holds the same matrix', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/security.md'), 'utf8');
  const at = doc.indexOf('## Who may call what');
  assert.ok(at >= 0, 'docs/security.md has no "## Who may call what"');
  const table = doc.slice(at).split('\n').filter((l) => /^\| `[A-Z]+ \//.test(l));
  const docRows = table.map((l) => {
    const cols = l.split('|').slice(1, -1).map((c) => c.trim());
    return { key: cols[0].replace(/`/g, ''), cells: cols.slice(1) };
  });
  assert.deepEqual(docRows, rows.map(({ key, cells }) => ({ key, cells })));
});

describe('who may call what', () => {
  const lastOf = (r) => r.call.last || 0;
  for (const route of [...rows].sort((a, b) => lastOf(a) - lastOf(b))) {
    test(route.key, async () => {
      const wrong = await runRoute(route);
      assert.deepEqual(wrong, [], `${route.key} (${route.call.path || route.pattern}):\n  ${wrong.join('\n  ')}`);
    });
  }
});
