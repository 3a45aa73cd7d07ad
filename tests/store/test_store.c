/* Store suite: every operation of store.h against a real database, SQLite or PostgreSQL,
 * named by JZ_TEST_DB (a file path or a postgres:// URL). Each test starts from an empty
 * schema: the SQLite file is deleted, the PostgreSQL public schema dropped and recreated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/regions.h"
#include "store/migrations.h"
#include "core/uscc.h"
#include "services/audit.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/xmalloc.h"

static const char *db_url;

/* ---- fixtures ---- */

static void
remove_sqlite_files(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char *p = jz_xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

static jz_db *
open_db(void)
{
	char *err = NULL;
	jz_db *db = jz_db_open(db_url, &err);
	if (!db)
		fail_msg("cannot open %s: %s", db_url, err ? err : "?");
	return db;
}

/* An empty, migrated database for each test. */
static int
setup(void **state)
{
	if (jz_db_url_is_postgres(db_url)) {
		jz_db *db = open_db();
		assert_int_equal(
		    jz_db_exec_script(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"),
		    JZ_DB_OK);
		jz_db_close(db);
	} else {
		remove_sqlite_files(db_url);
	}
	jz_db *db = open_db();
	int applied = -1;
	assert_int_equal(jz_store_migrate(db, &applied), JZ_DB_OK);
	assert_int_equal(applied, jz_store_migration_count(db));
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	jz_db_close(*state);
	return 0;
}

/* ---- helpers ---- */

/* A valid credit code in `county`, distinct for each n. */
static void
make_uscc(const char *county, int n, char out[19])
{
	char org[9];
	snprintf(org, sizeof org, "MA%06d", n);
	jz_uscc_make('9', '1', county, org, out);
}

/* A company record owning its strings, as the services would build it. */
static void
fill_company(jz_company *c, const char *uscc, const char *name, const char *county,
             const char *status, int64_t at)
{
	const jz_region *r = jz_region_find(county);
	assert_non_null(r);
	memset(c, 0, sizeof *c);
	c->uscc = jz_xstrdup(uscc);
	c->name = jz_xstrdup(name);
	c->legal_rep = jz_xstrdup("王秀英");
	c->address = jz_xstrdup("湖南省益阳市桃江县桃花江镇人民路12号");
	c->phone = jz_xstrdup("13807371234");
	c->county = jz_xstrdup(r->code);
	c->prefecture = jz_xstrdup(r->prefecture);
	c->province = jz_xstrdup(r->province);
	c->service_types = jz_xstrdup("cleaning|nanny");
	c->commitment_by = jz_xstrdup("王秀英");
	c->commitment_at = at;
	c->status = jz_xstrdup(status);
	c->status_reason = NULL;
	c->query_code_hash = jz_xstrdup("ab12");
	c->created_at = c->updated_at = at;
}

/* Inserts a company with the given status; returns its id. */
static int64_t
add_company(jz_db *db, int n, const char *name, const char *county, const char *status, int64_t at)
{
	char uscc[19];
	jz_company c;
	make_uscc(county, n, uscc);
	fill_company(&c, uscc, name, county, status, at);
	assert_int_equal(jz_store_company_insert(db, &c), JZ_DB_OK);
	int64_t id = c.id;
	jz_company_clear(&c);
	return id;
}

static void
assert_same_company(const jz_company *a, const jz_company *b)
{
	assert_int_equal(a->id, b->id);
	assert_string_equal(a->uscc, b->uscc);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->legal_rep, b->legal_rep);
	assert_string_equal(a->address, b->address);
	assert_string_equal(a->phone, b->phone);
	assert_string_equal(a->county, b->county);
	assert_string_equal(a->prefecture, b->prefecture);
	assert_string_equal(a->province, b->province);
	assert_string_equal(a->service_types, b->service_types);
	assert_string_equal(a->commitment_by, b->commitment_by);
	assert_int_equal(a->commitment_at, b->commitment_at);
	assert_string_equal(a->status, b->status);
	assert_string_equal(a->query_code_hash, b->query_code_hash);
	assert_int_equal(a->created_at, b->created_at);
	assert_int_equal(a->updated_at, b->updated_at);
}

static int64_t
count(jz_db *db, const char *status, const char *scope, const char *text)
{
	jz_company_filter f = {status, scope, text, 0, 0};
	int64_t n = -1;
	assert_int_equal(jz_store_company_count(db, &f, &n), JZ_DB_OK);
	return n;
}

/* ---- schema ---- */

static void
test_migrate_idempotent(void **state)
{
	jz_db *db = *state;
	int applied = -1, version = -1;
	assert_int_equal(jz_store_migrate(db, &applied), JZ_DB_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(jz_store_migrate(db, &applied), JZ_DB_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(jz_store_schema_version(db, &version), JZ_DB_OK);
	assert_int_equal(version, jz_store_latest_version(db));
	assert_true(version >= 1);
}

/* ---- companies ---- */

static void
test_company_round_trip(void **state)
{
	jz_db *db = *state;
	char uscc[19];
	make_uscc("430922", 1, uscc);
	jz_company c, by_id = {0}, by_uscc = {0};
	fill_company(&c, uscc, "桃江县巧手家政服务有限公司'; DROP TABLE companies; --", "430922",
	             "pending", 1700000000);
	free(c.address);
	c.address = jz_xstrdup("人民路 \"12\" 号 \\ 100% _x_ 'quoted'");
	assert_int_equal(jz_store_company_apply(db, &c), JZ_DB_OK);
	assert_true(c.id > 0);

	assert_int_equal(jz_store_company_get(db, c.id, &by_id), JZ_DB_OK);
	assert_int_equal(jz_store_company_get_by_uscc(db, uscc, &by_uscc), JZ_DB_OK);
	assert_same_company(&c, &by_id);
	assert_same_company(&c, &by_uscc);
	assert_string_equal(by_id.prefecture, "430900");
	assert_string_equal(by_id.province, "430000");
	assert_string_equal(by_id.status_reason, "");
	assert_int_equal(by_id.decided_by, 0);
	assert_int_equal(by_id.decided_at, 0);
	/* The table survived the name. */
	assert_int_equal(count(db, "pending", NULL, NULL), 1);

	jz_company none = {0};
	assert_int_equal(jz_store_company_get(db, c.id + 100, &none), JZ_DB_NOT_FOUND);
	make_uscc("430922", 2, uscc);
	assert_int_equal(jz_store_company_get_by_uscc(db, uscc, &none), JZ_DB_NOT_FOUND);
	jz_company_clear(&c);
	jz_company_clear(&by_id);
	jz_company_clear(&by_uscc);
}

static void
test_company_duplicate(void **state)
{
	jz_db *db = *state;
	char uscc[19];
	make_uscc("430923", 1, uscc);
	jz_company a, b, c;
	fill_company(&a, uscc, "安化县家政", "430923", "pending", 100);
	fill_company(&b, uscc, "安化县另一家", "430923", "pending", 200);
	fill_company(&c, uscc, "安化县第三家", "430923", "active", 300);
	assert_int_equal(jz_store_company_apply(db, &a), JZ_DB_OK);
	assert_int_equal(jz_store_company_apply(db, &b), JZ_DB_CONFLICT);
	assert_int_equal(jz_store_company_insert(db, &c), JZ_DB_CONFLICT);
	/* An active company blocks a new application too. */
	assert_int_equal(jz_store_company_set_status(db, a.id, "pending", "active", NULL, 1, 150),
	                 JZ_DB_OK);
	assert_int_equal(jz_store_company_apply(db, &b), JZ_DB_CONFLICT);
	jz_company got = {0};
	assert_int_equal(jz_store_company_get_by_uscc(db, uscc, &got), JZ_DB_OK);
	assert_string_equal(got.name, "安化县家政");
	assert_string_equal(got.status, "active");
	jz_company_clear(&got);
	jz_company_clear(&a);
	jz_company_clear(&b);
	jz_company_clear(&c);
}

static void
test_company_reapply_after_rejection(void **state)
{
	jz_db *db = *state;
	char uscc[19];
	make_uscc("430981", 1, uscc);
	jz_company a, b, got = {0};
	fill_company(&a, uscc, "沅江市旧名家政", "430981", "pending", 100);
	assert_int_equal(jz_store_company_apply(db, &a), JZ_DB_OK);
	assert_int_equal(
	    jz_store_company_set_status(db, a.id, "pending", "rejected", "材料不全", 7, 150),
	    JZ_DB_OK);
	assert_int_equal(jz_store_company_get(db, a.id, &got), JZ_DB_OK);
	assert_string_equal(got.status, "rejected");
	assert_string_equal(got.status_reason, "材料不全");
	assert_int_equal(got.decided_by, 7);
	assert_int_equal(got.decided_at, 150);
	assert_int_equal(got.updated_at, 150);
	jz_company_clear(&got);

	fill_company(&b, uscc, "沅江市新名家政", "430903", "pending", 200);
	free(b.query_code_hash);
	b.query_code_hash = jz_xstrdup("cd34");
	assert_int_equal(jz_store_company_apply(db, &b), JZ_DB_OK);
	assert_int_equal(b.id, a.id);
	assert_int_equal(jz_store_company_get_by_uscc(db, uscc, &got), JZ_DB_OK);
	assert_same_company(&b, &got);
	assert_string_equal(got.status_reason, "");
	assert_int_equal(got.decided_by, 0);
	assert_int_equal(got.decided_at, 0);
	assert_int_equal(count(db, "rejected", NULL, NULL), 0);
	assert_int_equal(count(db, "pending", NULL, NULL), 1);
	jz_company_clear(&got);
	jz_company_clear(&a);
	jz_company_clear(&b);
}

static void
test_company_set_status_wrong_state(void **state)
{
	jz_db *db = *state;
	int64_t id = add_company(db, 1, "南县家政", "430921", "pending", 100);
	assert_int_equal(jz_store_company_set_status(db, id, "active", "suspended", "x", 1, 200),
	                 JZ_DB_NOT_FOUND);
	assert_int_equal(
	    jz_store_company_set_status(db, id + 50, "pending", "active", NULL, 1, 200),
	    JZ_DB_NOT_FOUND);
	assert_int_equal(jz_store_company_set_status(db, id, "pending", "active", NULL, 1, 200),
	                 JZ_DB_OK);
	/* Deciding twice: the second finds it no longer pending. */
	assert_int_equal(jz_store_company_set_status(db, id, "pending", "rejected", "x", 1, 300),
	                 JZ_DB_NOT_FOUND);
	jz_company got = {0};
	assert_int_equal(jz_store_company_get(db, id, &got), JZ_DB_OK);
	assert_string_equal(got.status, "active");
	jz_company_clear(&got);
}

typedef struct collected {
	int n, stop_after;
	int64_t ids[32];
} collected;

static bool
collect(const jz_company *c, void *arg)
{
	collected *col = arg;
	col->ids[col->n++] = c->id;
	return col->stop_after == 0 || col->n < col->stop_after;
}

static void
test_company_list_and_count(void **state)
{
	jz_db *db = *state;
	int64_t taojiang =
	    add_company(db, 1, "桃江县巧手家政服务有限公司", "430922", "active", 100);
	int64_t anhua = add_company(db, 2, "安化县100%满意家政", "430923", "active", 200);
	int64_t yuelu = add_company(db, 3, "长沙a_b保洁有限公司", "430104", "active", 300);
	int64_t pending = add_company(db, 4, "桃江县待审家政", "430922", "pending", 400);
	int64_t changsha = add_company(db, 5, "长沙axb保洁有限公司", "430104", "active", 500);
	(void)pending;

	assert_int_equal(count(db, "active", NULL, NULL), 4);
	assert_int_equal(count(db, "pending", NULL, NULL), 1);
	assert_int_equal(count(db, "suspended", NULL, NULL), 0);
	/* Scope: county, prefecture, province, another province. */
	assert_int_equal(count(db, "active", "430922", NULL), 1);
	assert_int_equal(count(db, "active", "430900", NULL), 2);
	assert_int_equal(count(db, "active", "430100", NULL), 2);
	assert_int_equal(count(db, "active", "430000", NULL), 4);
	assert_int_equal(count(db, "active", "110000", NULL), 0);
	assert_int_equal(count(db, "pending", "430900", NULL), 1);
	assert_int_equal(count(db, "active", "", NULL), 4);
	/* Text: part of the name; LIKE metacharacters match only themselves. */
	assert_int_equal(count(db, "active", NULL, "巧手"), 1);
	assert_int_equal(count(db, "active", NULL, "家政"), 2);
	assert_int_equal(count(db, "active", NULL, "100%"), 1);
	assert_int_equal(count(db, "active", NULL, "%"), 1);
	assert_int_equal(count(db, "active", NULL, "a_b"), 1);
	assert_int_equal(count(db, "active", NULL, "_"), 1);
	assert_int_equal(count(db, "active", NULL, "\\"), 0);
	assert_int_equal(count(db, "active", NULL, "不存在"), 0);
	assert_int_equal(count(db, "active", "430100", "保洁"), 2);
	assert_int_equal(count(db, "active", "430900", "保洁"), 0);
	/* Text: the whole credit code, not a part of it. */
	char uscc[19];
	make_uscc("430923", 2, uscc);
	assert_int_equal(count(db, "active", NULL, uscc), 1);
	char part[10];
	memcpy(part, uscc, 9);
	part[9] = '\0';
	assert_int_equal(count(db, "active", NULL, part), 0);

	/* Newest first, limit and offset, early stop. */
	jz_company_filter f = {"active", NULL, NULL, 0, 0};
	collected col = {0};
	assert_int_equal(jz_store_company_list(db, &f, collect, &col), JZ_DB_OK);
	assert_int_equal(col.n, 4);
	assert_int_equal(col.ids[0], changsha);
	assert_int_equal(col.ids[1], yuelu);
	assert_int_equal(col.ids[2], anhua);
	assert_int_equal(col.ids[3], taojiang);

	f.limit = 2;
	f.offset = 1;
	memset(&col, 0, sizeof col);
	assert_int_equal(jz_store_company_list(db, &f, collect, &col), JZ_DB_OK);
	assert_int_equal(col.n, 2);
	assert_int_equal(col.ids[0], yuelu);
	assert_int_equal(col.ids[1], anhua);

	f.limit = 0;
	f.offset = 0;
	memset(&col, 0, sizeof col);
	col.stop_after = 1;
	assert_int_equal(jz_store_company_list(db, &f, collect, &col), JZ_DB_OK);
	assert_int_equal(col.n, 1);

	jz_company_filter g = {"active", "430900", "%", 0, 0};
	memset(&col, 0, sizeof col);
	assert_int_equal(jz_store_company_list(db, &g, collect, &col), JZ_DB_OK);
	assert_int_equal(col.n, 1);
	assert_int_equal(col.ids[0], anhua);
	/* The statement is reusable after an early stop. */
	assert_int_equal(count(db, "active", NULL, NULL), 4);
}

/* ---- users and sessions ---- */

static void
test_users(void **state)
{
	jz_db *db = *state;
	int64_t company = add_company(db, 1, "桃江县家政", "430922", "active", 100);
	jz_user reg = {.username = "regulator-yiyang",
	               .password_hash = "$argon2id$x",
	               .role = "regulator",
	               .region = "430900",
	               .display_name = "益阳市商务局",
	               .created_at = 1000};
	jz_user adm = {.username = "91430922MA0000011X",
	               .password_hash = "$argon2id$y",
	               .role = "company_admin",
	               .company_id = company,
	               .display_name = "",
	               .created_at = 1001};
	assert_int_equal(jz_store_user_insert(db, &reg), JZ_DB_OK);
	assert_int_equal(jz_store_user_insert(db, &adm), JZ_DB_OK);
	assert_true(reg.id > 0);
	assert_true(adm.id != reg.id);

	jz_user got = {0};
	assert_int_equal(jz_store_user_get(db, reg.id, &got), JZ_DB_OK);
	assert_string_equal(got.username, "regulator-yiyang");
	assert_string_equal(got.password_hash, "$argon2id$x");
	assert_string_equal(got.role, "regulator");
	assert_string_equal(got.region, "430900");
	assert_int_equal(got.company_id, 0);
	assert_string_equal(got.display_name, "益阳市商务局");
	assert_false(got.disabled);
	assert_int_equal(got.created_at, 1000);
	jz_user_clear(&got);

	assert_int_equal(jz_store_user_get_by_username(db, adm.username, &got), JZ_DB_OK);
	assert_int_equal(got.id, adm.id);
	assert_null(got.region);
	assert_int_equal(got.company_id, company);
	jz_user_clear(&got);

	jz_user dup = reg;
	dup.role = "admin";
	dup.region = NULL;
	assert_int_equal(jz_store_user_insert(db, &dup), JZ_DB_CONFLICT);
	assert_int_equal(jz_store_user_get_by_username(db, "nobody", &got), JZ_DB_NOT_FOUND);
	assert_int_equal(jz_store_user_get(db, adm.id + 10, &got), JZ_DB_NOT_FOUND);

	assert_int_equal(jz_store_user_set_password(db, reg.id, "$argon2id$new"), JZ_DB_OK);
	assert_int_equal(jz_store_user_get(db, reg.id, &got), JZ_DB_OK);
	assert_string_equal(got.password_hash, "$argon2id$new");
	jz_user_clear(&got);
}

static void
test_sessions(void **state)
{
	jz_db *db = *state;
	jz_user u = {.username = "admin",
	             .password_hash = "h",
	             .role = "admin",
	             .display_name = "",
	             .created_at = 1};
	assert_int_equal(jz_store_user_insert(db, &u), JZ_DB_OK);
	assert_int_equal(jz_store_session_insert(db, "hash-a", u.id, 1000, 2000), JZ_DB_OK);
	assert_int_equal(jz_store_session_insert(db, "hash-b", u.id, 1000, 5000), JZ_DB_OK);

	jz_user got = {0};
	assert_int_equal(jz_store_session_user(db, "hash-a", 1999, &got), JZ_DB_OK);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.username, "admin");
	jz_user_clear(&got);
	assert_int_equal(jz_store_session_user(db, "hash-a", 2000, &got), JZ_DB_NOT_FOUND);
	assert_int_equal(jz_store_session_user(db, "hash-a", 3000, &got), JZ_DB_NOT_FOUND);
	assert_int_equal(jz_store_session_user(db, "hash-c", 1500, &got), JZ_DB_NOT_FOUND);

	assert_int_equal(jz_store_session_delete(db, "hash-b"), JZ_DB_OK);
	assert_int_equal(jz_store_session_user(db, "hash-b", 1500, &got), JZ_DB_NOT_FOUND);
	assert_int_equal(jz_store_session_delete(db, "hash-b"), JZ_DB_OK);
}

/* ---- throttling ---- */

static void
test_throttle(void **state)
{
	jz_db *db = *state;
	const int64_t window = 900;
	int64_t n = -1;
	assert_int_equal(jz_store_throttle_failures(db, "account:a", 10000, window, &n), JZ_DB_OK);
	assert_int_equal(n, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(jz_store_throttle_fail(db, "account:a", 10000 + i * 100, window),
		                 JZ_DB_OK);
	assert_int_equal(jz_store_throttle_fail(db, "address:1.2.3.4", 10000, window), JZ_DB_OK);
	assert_int_equal(jz_store_throttle_failures(db, "account:a", 10300, window, &n), JZ_DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(jz_store_throttle_failures(db, "address:1.2.3.4", 10300, window, &n),
	                 JZ_DB_OK);
	assert_int_equal(n, 1);
	/* The window began at 10000: past 10900 it no longer counts. */
	assert_int_equal(jz_store_throttle_failures(db, "account:a", 10899, window, &n), JZ_DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(jz_store_throttle_failures(db, "account:a", 10900, window, &n), JZ_DB_OK);
	assert_int_equal(n, 0);
	/* A failure after the window starts a new one at 1. */
	assert_int_equal(jz_store_throttle_fail(db, "account:a", 11000, window), JZ_DB_OK);
	assert_int_equal(jz_store_throttle_failures(db, "account:a", 11000, window, &n), JZ_DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(jz_store_throttle_clear(db, "account:a"), JZ_DB_OK);
	assert_int_equal(jz_store_throttle_failures(db, "account:a", 11000, window, &n), JZ_DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(jz_store_throttle_failures(db, "address:1.2.3.4", 10300, window, &n),
	                 JZ_DB_OK);
	assert_int_equal(n, 1);
}

/* ---- audit log ---- */

static void
append(jz_db *db, int64_t at, const char *action, const char *detail)
{
	assert_int_equal(jz_db_begin(db), JZ_DB_OK);
	assert_int_equal(jz_store_audit_append(db, at, "cli", action, "company:1", detail),
	                 JZ_DB_OK);
	assert_int_equal(jz_db_commit(db), JZ_DB_OK);
}

typedef struct seen {
	int n;
	char first_prev[65], last_hash[65];
} seen;

static bool
see(const jz_audit_entry *e, void *arg)
{
	seen *s = arg;
	if (s->n++ == 0)
		snprintf(s->first_prev, sizeof s->first_prev, "%s", e->prev_hash);
	snprintf(s->last_hash, sizeof s->last_hash, "%s", e->hash);
	assert_int_equal(e->id, s->n);
	return true;
}

static void
test_audit_chain(void **state)
{
	jz_db *db = *state;
	jz_audit_check check;
	assert_true(jz_svc_audit_verify(db, &check));
	assert_int_equal(check.entries, 0);
	assert_int_equal(check.broken_id, 0);

	append(db, 100, "company.add", "{\"name\":\"桃江县家政\"}");
	append(db, 101, "user.add", "{\"username\":\"o'brien\"}");
	append(db, 102, "company.apply", "{}");
	/* A rolled-back append leaves no trace in the chain. */
	assert_int_equal(jz_db_begin(db), JZ_DB_OK);
	assert_int_equal(jz_store_audit_append(db, 103, "cli", "x", "y", "{}"), JZ_DB_OK);
	jz_db_rollback(db);

	seen s = {0};
	assert_int_equal(jz_store_audit_each(db, see, &s), JZ_DB_OK);
	assert_int_equal(s.n, 3);
	int64_t seq;
	char head[65];
	assert_int_equal(jz_store_audit_head(db, &seq, head), JZ_DB_OK);
	assert_int_equal(seq, 3);
	assert_string_equal(head, s.last_hash);
	assert_true(jz_svc_audit_verify(db, &check));
	assert_int_equal(check.entries, 3);
	assert_int_equal(check.broken_id, 0);

	/* The append-only triggers refuse changes. */
	assert_int_not_equal(
	    jz_db_exec_script(db, "UPDATE audit_log SET detail = '{}' WHERE id = 2"), JZ_DB_OK);
	assert_int_not_equal(jz_db_exec_script(db, "DELETE FROM audit_log WHERE id = 3"), JZ_DB_OK);
	assert_true(jz_svc_audit_verify(db, &check));
	assert_int_equal(check.entries, 3);
	assert_int_equal(check.broken_id, 0);

	/* Someone with the database's owner rights lifts the trigger and edits entry 2. */
	const char *lift = jz_db_kind_of(db) == JZ_DB_POSTGRES
	                       ? "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
	                       : "DROP TRIGGER audit_log_no_update";
	assert_int_equal(jz_db_exec_script(db, lift), JZ_DB_OK);
	assert_int_equal(
	    jz_db_exec_script(db,
	                      "UPDATE audit_log SET detail = '{\"username\":\"x\"}' WHERE id = 2"),
	    JZ_DB_OK);
	assert_true(jz_svc_audit_verify(db, &check));
	assert_int_equal(check.broken_id, 2);
	assert_non_null(strstr(check.problem, "altered"));
}

/* ---- cards ---- */

static int64_t
add_card_worker(jz_db *db, const char *hash, int64_t company, int64_t at)
{
	jz_worker w = {
	    .id_sealed = (char *)"v1.sealed",
	    .name = (char *)"王秀英",
	    .female = true,
	    .birth_date = (char *)"1985-03-15",
	    .native_region = (char *)"430922",
	    .service_types = (char *)"cleaning|nanny",
	    .consent_method = (char *)"paper",
	    .consent_at = at,
	    .entered_by = company,
	    .created_at = at,
	};
	/* Any 16 distinct bytes: the test's label, padded. */
	snprintf((char *)w.id_hash, sizeof w.id_hash, "%s", hash);
	assert_int_equal(jz_store_worker_insert(db, &w), JZ_DB_OK);
	return w.id;
}

/* The current employers' names joined by 、, as a card shows them. */
static bool
collect_current(const jz_employment *e, void *ctx)
{
	jz_buf *b = ctx;
	if (!e->ended)
		jz_buf_printf(b, "%s%s", b->len ? "、" : "", e->company_name);
	return true;
}

static bool
collect_card(const jz_card *c, void *ctx)
{
	jz_buf_printf(ctx, "%lld;", (long long)c->id);
	return true;
}

static bool
count_credential(const jz_credential *c, void *ctx)
{
	(void)c;
	(*(int *)ctx)++;
	return true;
}

/* The bulk import's multi-row inserts: groups of 64, 32, … rows, every row written once. */
static void
test_bulk_inserts(void **state)
{
	jz_db *db = *state;
	const int64_t at = 1760000000;
	enum { N = 100 }; /* 64 + 32 + 4 */
	int64_t a = add_company(db, 1, "桃江县甲家政", "430922", "active", at);
	int64_t ids[N];
	char label[16 * N];
	jz_credential c[2 * N];
	for (int i = 0; i < N; i++) {
		char hash[16];
		snprintf(hash, sizeof hash, "bulk-%d", i);
		ids[i] = add_card_worker(db, hash, a, at);
		snprintf(label + 16 * i, 16, "H%d", i);
		c[2 * i] = (jz_credential){.worker_id = ids[i], .company_id = a, .kind = "health",
		                           .number = label + 16 * i, .issuer = "疾控中心",
		                           .issued = "2025-01-01", .expires = "2026-01-01"};
		c[2 * i + 1] = (jz_credential){.worker_id = ids[i], .company_id = a, .kind = "insurance",
		                               .number = "BX1", .issued = "2025-01-01", .expires = "2026-01-01"};
	}
	assert_int_equal(jz_store_employments_start_new(db, ids, N, a, "2025-01-02", at), JZ_DB_OK);
	assert_int_equal(jz_store_credentials_add_new(db, c, 2 * N, at), JZ_DB_OK);
	for (int i = 0; i < N; i++) {
		bool current, ever, created;
		assert_int_equal(jz_store_employment_status(db, ids[i], a, &current, &ever), JZ_DB_OK);
		assert_true(current);
		int n = 0;
		assert_int_equal(jz_store_credential_list(db, ids[i], count_credential, &n), JZ_DB_OK);
		assert_int_equal(n, 2);
		/* The one-by-one path finds them there. */
		assert_int_equal(jz_store_employment_start(db, ids[i], a, "2025-01-02", at, &created), JZ_DB_OK);
		assert_false(created);
		assert_int_equal(jz_store_credential_add(db, &c[2 * i], at, &created), JZ_DB_OK);
		assert_false(created);
	}
}

/* The card view's one statement reads what the separate look-ups read. */
static void
test_card_view(void **state)
{
	jz_db *db = *state;
	const int64_t at = 1760000000;
	bool created;
	int64_t a = add_company(db, 1, "桃江县甲家政", "430922", "active", at);
	int64_t b = add_company(db, 2, "安化县乙家政", "430923", "active", at);
	int64_t c = add_company(db, 3, "赫山区丙家政", "430903", "active", at);
	int64_t w = add_card_worker(db, "hash-1", a, at);
	int64_t other = add_card_worker(db, "hash-2", a, at);
	assert_int_equal(jz_store_employment_start(db, w, a, "2024-01-02", at, &created), JZ_DB_OK);
	assert_int_equal(jz_store_employment_start(db, w, b, "2025-03-01", at, &created), JZ_DB_OK);
	assert_int_equal(jz_store_employment_start(db, w, c, "2023-06-01", at, &created), JZ_DB_OK);
	assert_int_equal(jz_store_employment_end(db, w, c, "2023-12-31"), JZ_DB_OK);
	jz_credential creds[] = {
	    {.worker_id = w, .company_id = a, .kind = "insurance", .number = "I1", .issuer = "",
	     .issued = "2025-01-01", .expires = "2026-01-01"},
	    {.worker_id = w, .company_id = a, .kind = "insurance", .number = "I2", .issuer = "",
	     .issued = "2025-01-01", .expires = ""},
	    {.worker_id = w, .company_id = a, .kind = "health", .number = "H1", .issuer = "",
	     .issued = "2025-01-01", .expires = "2025-12-31"},
	    {.worker_id = w, .company_id = a, .kind = "skill", .number = "S1", .issuer = "",
	     .issued = "2020-01-01", .expires = "2030-01-01"},
	};
	for (size_t i = 0; i < sizeof creds / sizeof creds[0]; i++)
		assert_int_equal(jz_store_credential_add(db, &creds[i], at, &created), JZ_DB_OK);
	assert_int_equal(jz_store_equipment_issue(db, w, a, "uniform", "2025-01-01", at, &created),
	                 JZ_DB_OK);
	assert_int_equal(jz_store_equipment_issue(db, w, c, "toolkit", "2023-07-01", at, &created),
	                 JZ_DB_OK); /* by a former employer: does not count */
	assert_int_equal(jz_store_checkin_add(db, w, "2025-05", "self", "low", 0, at, &created),
	                 JZ_DB_OK);
	jz_card card = {.serial = (char *)"JZ0000000018", .worker_id = w, .company_id = b,
	                .issued_at = at};
	assert_int_equal(jz_store_card_insert(db, &card), JZ_DB_OK);
	jz_card card2 = {.serial = (char *)"JZ0000000026", .worker_id = other, .company_id = a,
	                 .issued_at = at};
	assert_int_equal(jz_store_card_insert(db, &card2), JZ_DB_OK);

	jz_card_view v;
	assert_int_equal(jz_store_card_view(db, card.id + card2.id + 1, &v), JZ_DB_NOT_FOUND);
	jz_card_view_clear(&v);
	assert_int_equal(jz_store_card_view(db, card.id, &v), JZ_DB_OK);
	assert_null(v.token_mac);
	assert_int_equal(v.card.id, card.id);
	assert_string_equal(v.card.serial, "JZ0000000018");
	assert_int_equal(v.card.worker_id, w);
	assert_int_equal(v.card.company_id, b);
	assert_string_equal(v.card.status, "active");
	assert_string_equal(v.company_name, "安化县乙家政");
	/* The worker's public fields as jz_store_worker_get reads them. */
	jz_worker full;
	assert_int_equal(jz_store_worker_get(db, w, &full), JZ_DB_OK);
	assert_int_equal(v.worker.id, w);
	assert_string_equal(v.worker.name, full.name);
	assert_string_equal(v.worker.birth_date, full.birth_date);
	assert_string_equal(v.worker.native_region, full.native_region);
	assert_string_equal(v.worker.service_types, full.service_types);
	assert_string_equal(v.worker.id_check_method, full.id_check_method);
	assert_int_equal(v.worker.id_check_at, full.id_check_at);
	assert_string_equal(v.worker.bg_status, full.bg_status);
	assert_int_equal(v.worker.bg_at, full.bg_at);
	assert_string_equal(v.worker.consent_method, full.consent_method);
	jz_worker_clear(&full);
	/* The facts, check-in, reviews and first employment as their own look-ups read them. */
	jz_worker_facts f;
	assert_int_equal(jz_store_worker_facts(db, w, &f), JZ_DB_OK);
	assert_string_equal(v.facts.insurance, "");
	assert_string_equal(f.insurance, "");
	assert_string_equal(v.facts.health, f.health);
	assert_string_equal(v.facts.work_permit, "2030-01-01");
	assert_string_equal(f.work_permit, "2030-01-01");
	assert_true(v.facts.uniform && f.uniform);
	assert_false(v.facts.toolkit || f.toolkit);
	jz_worker_facts_clear(&f);
	char month[8], first[11];
	int64_t reviews;
	double sum;
	assert_int_equal(jz_store_checkin_last_month(db, w, month), JZ_DB_OK);
	assert_string_equal(v.last_checkin, month);
	assert_string_equal(v.last_checkin, "2025-05");
	assert_int_equal(jz_store_review_totals(db, w, &reviews, &sum), JZ_DB_OK);
	assert_int_equal(v.reviews, reviews);
	assert_true(v.review_sum == sum);
	assert_int_equal(jz_store_worker_first_employment(db, w, first), JZ_DB_OK);
	assert_string_equal(v.first_employment, first);
	assert_string_equal(v.first_employment, "2023-06-01");
	/* Current employers, latest first, as the employment list has them. */
	jz_buf expected = JZ_BUF_INIT;
	assert_int_equal(jz_store_employment_list(db, w, collect_current, &expected), JZ_DB_OK);
	assert_string_equal(v.employers, "安化县乙家政、桃江县甲家政");
	assert_string_equal(v.employers, jz_buf_str(&expected));
	jz_buf_free(&expected);
	jz_card_view_clear(&v);
	/* The face follows writes made after the card was issued. */
	assert_int_equal(jz_store_checkin_add(db, w, "2025-06", "self", "low", 0, at, &created),
	                 JZ_DB_OK);
	assert_int_equal(jz_store_employment_end(db, w, a, "2025-06-30"), JZ_DB_OK);
	assert_int_equal(jz_store_card_view(db, card.id, &v), JZ_DB_OK);
	assert_string_equal(v.last_checkin, "2025-06");
	assert_string_equal(v.employers, "安化县乙家政");
	assert_false(v.facts.uniform); /* issued by a, no longer an employer */
	jz_card_view_clear(&v);
	/* A worker with nothing but a card: empty facts, no check-in, no employment. */
	assert_int_equal(jz_store_card_view(db, card2.id, &v), JZ_DB_OK);
	assert_null(v.facts.insurance);
	assert_null(v.facts.health);
	assert_false(v.facts.uniform);
	assert_string_equal(v.last_checkin, "");
	assert_int_equal(v.reviews, 0);
	assert_string_equal(v.first_employment, "");
	jz_card_view_clear(&v);

	/* Check values: stored, read back, and the cards still without one listed. */
	jz_buf ids = JZ_BUF_INIT;
	assert_int_equal(jz_store_cards_without_mac(db, 0, 10, collect_card, &ids), JZ_DB_OK);
	char want[64];
	snprintf(want, sizeof want, "%lld;%lld;", (long long)card.id, (long long)card2.id);
	assert_string_equal(jz_buf_str(&ids), want);
	assert_int_equal(jz_store_card_set_mac(db, card.id, "00112233445566778899aabbccddeeff"),
	                 JZ_DB_OK);
	assert_int_equal(jz_store_card_set_mac(db, card.id + card2.id + 1, "00"), JZ_DB_NOT_FOUND);
	jz_buf_reset(&ids);
	assert_int_equal(jz_store_cards_without_mac(db, 0, 10, collect_card, &ids), JZ_DB_OK);
	snprintf(want, sizeof want, "%lld;", (long long)card2.id);
	assert_string_equal(jz_buf_str(&ids), want);
	jz_buf_reset(&ids);
	assert_int_equal(jz_store_cards_without_mac(db, card2.id, 10, collect_card, &ids), JZ_DB_OK);
	assert_string_equal(jz_buf_str(&ids), "");
	jz_buf_free(&ids);
	assert_int_equal(jz_store_card_view(db, card.id, &v), JZ_DB_OK);
	assert_string_equal(v.token_mac, "00112233445566778899aabbccddeeff");
	jz_card_view_clear(&v);
	/* A revoked card is still read, with its state. */
	assert_int_equal(jz_store_card_revoke(db, card.id, "lost", at + 60), JZ_DB_OK);
	assert_int_equal(jz_store_card_view(db, card.id, &v), JZ_DB_OK);
	assert_string_equal(v.card.status, "revoked");
	assert_string_equal(v.card.revoke_reason, "lost");
	assert_int_equal(v.card.revoked_at, at + 60);
	jz_card_view_clear(&v);
}

/* A bulk batch sets the faces' triggers aside (SQLite; PostgreSQL keeps them) and
 * recomputes the faces of the workers it wrote with jz_store_card_faces_refresh; the
 * triggers are back after the batch. */
static void
test_card_faces_in_a_batch(void **state)
{
	jz_db *db = *state;
	const int64_t at = 1760000000;
	bool created;
	int64_t a = add_company(db, 1, "桃江县甲家政", "430922", "active", at);
	int64_t w = add_card_worker(db, "hash-1", a, at);
	assert_int_equal(jz_store_employment_start(db, w, a, "2024-01-02", at, &created), JZ_DB_OK);
	jz_card card = {.serial = (char *)"JZ0000000018", .worker_id = w, .company_id = a,
	                .issued_at = at};
	assert_int_equal(jz_store_card_insert(db, &card), JZ_DB_OK);
	jz_credential health = {.worker_id = w, .company_id = a, .kind = "health", .number = "H1",
	                        .issuer = "", .issued = "2025-01-01", .expires = "2027-01-01"};
	jz_card_view v;

	assert_int_equal(jz_db_begin(db), JZ_DB_OK);
	jz_stats_batch batch;
	assert_int_equal(jz_store_stats_batch_begin(db, &batch), JZ_DB_OK);
	assert_int_equal(jz_store_credential_add(db, &health, at, &created), JZ_DB_OK);
	assert_int_equal(jz_store_card_view(db, card.id, &v), JZ_DB_OK);
	if (jz_db_kind_of(db) == JZ_DB_SQLITE)
		assert_null(v.facts.health); /* the trigger stood aside */
	jz_card_view_clear(&v);
	assert_int_equal(jz_store_card_faces_refresh(db, &w, 1), JZ_DB_OK);
	assert_int_equal(jz_store_card_view(db, card.id, &v), JZ_DB_OK);
	assert_string_equal(v.facts.health, "2027-01-01");
	jz_card_view_clear(&v);
	assert_int_equal(jz_store_stats_batch_end(db, &batch, "2026-11"), JZ_DB_OK);
	assert_int_equal(jz_db_commit(db), JZ_DB_OK);

	/* After the batch the triggers are back. */
	jz_credential later = {.worker_id = w, .company_id = a, .kind = "health", .number = "H2",
	                       .issuer = "", .issued = "2026-01-01", .expires = "2028-01-01"};
	assert_int_equal(jz_store_credential_add(db, &later, at, &created), JZ_DB_OK);
	assert_int_equal(jz_store_card_view(db, card.id, &v), JZ_DB_OK);
	assert_string_equal(v.facts.health, "2028-01-01");
	jz_card_view_clear(&v);
}

static void
test_audit_removed_tail(void **state)
{
	jz_db *db = *state;
	append(db, 100, "a", "{}");
	append(db, 101, "b", "{}");
	const char *lift = jz_db_kind_of(db) == JZ_DB_POSTGRES
	                       ? "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
	                       : "DROP TRIGGER audit_log_no_delete";
	assert_int_equal(jz_db_exec_script(db, lift), JZ_DB_OK);
	assert_int_equal(jz_db_exec_script(db, "DELETE FROM audit_log WHERE id = 2"), JZ_DB_OK);
	jz_audit_check check;
	assert_true(jz_svc_audit_verify(db, &check));
	assert_int_equal(check.entries, 1);
	assert_int_equal(check.broken_id, 2);
	assert_non_null(strstr(check.problem, "missing"));
}

/* ---- workers: lookup hashes as bytes ---- */

/* A hash that starts alike for every seed and then has a NUL, a 0xff and bytes set from
 * `seed`: text handling would cut or mangle it. */
static void
make_hash(unsigned char out[JZ_LOOKUP_HASH_LEN], unsigned seed)
{
	for (unsigned i = 0; i < JZ_LOOKUP_HASH_LEN; i++)
		out[i] = (unsigned char)(i < 3 ? 0xa0 + i : seed * 37u + i * 11u);
	out[3] = 0x00;
	out[9] = 0xff;
}

/* Inserts a worker with these hashes (no phone when phone_hash is NULL). */
static jz_db_status
add_worker(jz_db *db, int64_t company, const unsigned char *id_hash, const unsigned char *phone_hash,
           int64_t *id)
{
	jz_worker w = {
	    .id_sealed = "v1.id",
	    .name = "王秀英",
	    .female = true,
	    .birth_date = "1985-03-15",
	    .native_region = "430922",
	    .phone_sealed = phone_hash ? "v1.phone" : NULL,
	    .entered_by = company,
	    .created_at = 1000,
	};
	memcpy(w.id_hash, id_hash, JZ_LOOKUP_HASH_LEN);
	if (phone_hash)
		memcpy(w.phone_hash, phone_hash, JZ_LOOKUP_HASH_LEN);
	jz_db_status s = jz_store_worker_insert(db, &w);
	*id = w.id;
	return s;
}

static void
test_worker_hashes(void **state)
{
	jz_db *db = *state;
	int64_t company = add_company(db, 1, "桃江县巧手家政服务有限公司", "430922", "active", 1000);
	unsigned char h1[JZ_LOOKUP_HASH_LEN], h2[JZ_LOOKUP_HASH_LEN], p1[JZ_LOOKUP_HASH_LEN],
	    p2[JZ_LOOKUP_HASH_LEN], none[JZ_LOOKUP_HASH_LEN] = {0};
	make_hash(h1, 1);
	make_hash(h2, 2);
	make_hash(p1, 3);
	make_hash(p2, 4);
	/* Differ only after the NUL: a C-string comparison would call them equal. */
	assert_memory_equal(h1, h2, 3);

	int64_t a = 0, b = 0, c = 0;
	assert_int_equal(add_worker(db, company, h1, p1, &a), JZ_DB_OK);
	assert_int_equal(add_worker(db, company, h2, NULL, &b), JZ_DB_OK);
	assert_true(a > 0 && b > a);
	/* Unique on the ID hash and on the phone hash. */
	assert_int_equal(add_worker(db, company, h1, p2, &c), JZ_DB_CONFLICT);
	make_hash(h2, 5);
	assert_int_equal(add_worker(db, company, h2, p1, &c), JZ_DB_CONFLICT);

	int64_t id = 0;
	assert_int_equal(jz_store_worker_id(db, h1, &id), JZ_DB_OK);
	assert_int_equal(id, a);
	assert_int_equal(jz_store_worker_id(db, h2, &id), JZ_DB_OK);
	assert_int_equal(id, 0);

	jz_worker w = {0};
	assert_int_equal(jz_store_worker_by_id_hash(db, h1, &w), JZ_DB_OK);
	assert_int_equal(w.id, a);
	assert_memory_equal(w.id_hash, h1, JZ_LOOKUP_HASH_LEN);
	assert_memory_equal(w.phone_hash, p1, JZ_LOOKUP_HASH_LEN);
	assert_string_equal(w.phone_sealed, "v1.phone");
	jz_worker_clear(&w);
	assert_int_equal(jz_store_worker_by_phone_hash(db, p1, &w), JZ_DB_OK);
	assert_int_equal(w.id, a);
	jz_worker_clear(&w);

	/* No phone: NULL in the database, zeros in the record. */
	assert_int_equal(jz_store_worker_get(db, b, &w), JZ_DB_OK);
	assert_null(w.phone_sealed);
	assert_memory_equal(w.phone_hash, none, JZ_LOOKUP_HASH_LEN);
	jz_worker_clear(&w);
	assert_int_equal(jz_store_worker_by_phone_hash(db, p2, &w), JZ_DB_NOT_FOUND);
	assert_int_equal(jz_store_worker_set_contact(db, b, p2, "v1.phone2", 2000), JZ_DB_OK);
	assert_int_equal(jz_store_worker_by_phone_hash(db, p2, &w), JZ_DB_OK);
	assert_int_equal(w.id, b);
	jz_worker_clear(&w);
	/* Another worker's phone is refused. */
	assert_int_equal(jz_store_worker_set_contact(db, b, p1, "v1.phone3", 2000), JZ_DB_CONFLICT);
}

/* db.h's bytes: bound and read back exactly, NULL as NULL, in both engines. */
static void
test_blob_columns(void **state)
{
	jz_db *db = *state;
	int64_t company = add_company(db, 1, "桃江县巧手家政服务有限公司", "430922", "active", 1000);
	unsigned char h[JZ_LOOKUP_HASH_LEN];
	make_hash(h, 7);
	int64_t id = 0;
	assert_int_equal(add_worker(db, company, h, NULL, &id), JZ_DB_OK);

	jz_stmt *st = jz_db_prepare(db, "SELECT id_hash, phone_hash, id FROM workers WHERE id_hash = $1");
	assert_non_null(st);
	jz_stmt_blob(st, 1, h, sizeof h);
	bool row = false;
	assert_int_equal(jz_stmt_step(st, &row), JZ_DB_OK);
	assert_true(row);
	size_t n = 0, m = 99;
	const unsigned char *got = jz_stmt_col_blob(st, 0, &n);
	const unsigned char *null = jz_stmt_col_blob(st, 1, &m);
	/* Both stay readable until the next step. */
	assert_int_equal(n, sizeof h);
	assert_memory_equal(got, h, sizeof h);
	assert_null(null);
	assert_int_equal(m, 0);
	assert_int_equal(jz_stmt_col_int(st, 2), id);
	assert_int_equal(jz_stmt_step(st, &row), JZ_DB_OK);
	assert_false(row);
	jz_stmt_reset(st);

	/* The same statement, rebound as text after bytes: nothing matches. */
	st = jz_db_prepare(db, "SELECT id_hash, phone_hash, id FROM workers WHERE id_hash = $1");
	jz_stmt_text(st, 1, "not a hash");
	jz_db_status s = jz_stmt_step(st, &row);
	/* SQLite compares and finds nothing; PostgreSQL reads the text as bytea. */
	assert_int_equal(s, JZ_DB_OK);
	assert_false(row);
	jz_stmt_reset(st);
}

int
main(void)
{
	db_url = getenv("JZ_TEST_DB");
	if (!db_url || !*db_url) {
		fprintf(stderr,
		        "test_store: set JZ_TEST_DB to a SQLite file path (it is deleted and"
		        " recreated) or a postgres:// URL (its public schema is dropped)\n");
		return 1;
	}
	if (!jz_crypto_init())
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_migrate_idempotent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_company_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_company_duplicate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_company_reapply_after_rejection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_company_set_status_wrong_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_company_list_and_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_users, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_removed_tail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_worker_hashes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blob_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_card_view, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_card_faces_in_a_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bulk_inserts, setup, teardown),
	};
	return cmocka_run_group_tests_name(jz_db_url_is_postgres(db_url) ? "store (PostgreSQL)"
	                                                                 : "store (SQLite)",
	                                   tests, NULL, NULL);
}
