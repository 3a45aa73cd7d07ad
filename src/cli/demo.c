/* `jiazheng demo`: fills an empty database with demo data for trying the platform out:
 * accounts of every role, active companies across Hunan, pending applications to decide
 * and, with --workers N, N workers of those companies (cli/demo_workers.c). Everything
 * but the passwords, query codes and consent codes follows from --seed. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "services/audit.h"
#include "services/checkins.h"
#include "cli/demo_workers.h"
#include "util/keys.h"
#include "core/regions.h"
#include "core/uscc.h"
#include "services/accounts.h"
#include "services/companies.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/xmalloc.h"

enum { MAX_WORKERS = 10000000 };

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: jiazheng demo --db DB [--keys FILE] [--workers N] [--seed S]\n\n"
	        "Creates the schema of DB (a SQLite file path or a postgres:// URL) and fills\n"
	        "it with demo data: platform, regulator and association accounts, about a\n"
	        "dozen active companies in Hunan with their admin accounts, and four pending\n"
	        "applications. Prints the accounts (role, username, password) and the query\n"
	        "codes of the applications. DB must be empty.\n\n"
	        "  --keys FILE  the key file that seals ID numbers and phones (created if\n"
	        "               missing; default DB.keys for SQLite, or $JZ_KEYS)\n"
	        "  --workers N  also N workers (0 to %d, default 0) across the active\n"
	        "               companies: valid ID numbers mostly from Yiyang and other Hunan\n"
	        "               counties, certificates, equipment, checks and consent in a\n"
	        "               realistic mix, 2%% employed by two companies. Prints two\n"
	        "               workers with a one-time consent code (valid 7 days) to try\n"
	        "               the /consent page with. 1,000,000 take a few minutes.\n"
	        "  --seed S     the same seed (default 1) gives the same companies and\n"
	        "               workers; passwords and codes are always new.\n",
	        MAX_WORKERS);
}

/* splitmix64: small, fast and the same everywhere, unlike rand(). */
static uint64_t
next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static size_t
pick(uint64_t *state, size_t n)
{
	return (size_t)(next(state) % n);
}

/* Shuffles an array of pointers (Fisher-Yates). */
static void
shuffle(uint64_t *state, const char **items, size_t n)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = pick(state, i + 1);
		const char *t = items[i];
		items[i] = items[j];
		items[j] = t;
	}
}

/* Active companies' counties, then the pending applications' (two in 益阳市). */
static const char *const active_counties[] = {
    "430922", /* 桃江县 */ "430923",   /* 安化县 */ "430903", /* 赫山区 */
    "430981", /* 沅江市 */ "430104",   /* 岳麓区 */ "430111", /* 雨花区 */
    "430181", /* 浏阳市 */ "430211",   /* 天元区 */ "430302", /* 雨湖区 */
    "430602", /* 岳阳楼区 */ "430702", /* 武陵区 */ "431002", /* 北湖区 */
};
static const char *const pending_counties[] = {
    "430921", /* 南县 */ "430902", /* 资阳区 */ "430102", /* 芙蓉区 */ "433101", /* 吉首市 */
};
enum {
	N_ACTIVE = sizeof active_counties / sizeof active_counties[0],
	N_PENDING = sizeof pending_counties / sizeof pending_counties[0],
	N_COMPANIES = N_ACTIVE + N_PENDING,
};

static const char *brand_words[] = {
    "巧手", "贴心", "好帮手", "家和", "安心", "阳光", "喜洋洋", "福满堂", "湘妹子", "康乐",
    "诚信", "惠民", "金牌",   "爱心", "勤嫂", "佳美", "万家",   "乐家",   "顺心",   "馨居",
};
static const char *const suffixes[] = {
    "家政服务有限公司", "家政服务有限公司",     "家庭服务有限公司",
    "保洁服务有限公司", "母婴护理服务有限公司", "家政服务中心有限公司",
};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "周",
                                       "吴", "邓", "曾", "彭", "罗", "谢", "龚", "唐"};
static const char *const given[] = {"秀英", "桂兰", "建国", "丽华", "志强", "红梅", "海燕",
                                    "德明", "春华", "玉兰", "卫东", "小平", "美玲", "湘云"};
static const char *const streets[] = {"人民路", "建设路", "解放路", "五一路",   "桃花路",
                                      "迎宾路", "新华路", "文化路", "银城大道", "芙蓉路"};
static const char *const type_sets[][4] = {
    {"cleaning", "hourly", NULL, NULL},
    {"nanny", "infant_care", "maternity", NULL},
    {"maternity", "infant_care", NULL, NULL},
    {"elder_care", "patient_care", "nanny", NULL},
    {"cleaning", "appliance_cleaning", "hourly", NULL},
    {"nanny", "home_cook", "housekeeper", "cleaning"},
};

/* One generated company: strings live in the struct. */
typedef struct demo_company {
	char uscc[19];
	char name[160];
	char legal_rep[16];
	char address[160];
	char phone[16];
	const char *county;
	const char *types[4];
} demo_company;

static void
make_company(uint64_t *state, const char *county_code, const char *word, demo_company *d)
{
	const jz_region *county = jz_region_find(county_code);
	const jz_region *pref = jz_region_find(county->prefecture);
	static const char letters[] = "ABCDEFGHJKLMNPQRTUWXY";
	char org[8] = {'M', 'A'};
	org[2] = (char)('0' + pick(state, 10));
	org[3] = letters[pick(state, sizeof letters - 1)];
	for (int i = 4; i < 8; i++)
		org[i] = (char)('0' + pick(state, 10));
	jz_uscc_make('9', '1', county->code, org, d->uscc);

	/* Districts (…区) trade under the city's name, counties under their own. */
	size_t len = strlen(county->name);
	bool district = len >= 3 && !strcmp(county->name + len - 3, "区");
	char place[64];
	if (district) {
		snprintf(place, sizeof place, "%s", pref->name);
		size_t plen = strlen(place);
		if (plen >= 3 && !strcmp(place + plen - 3, "市"))
			place[plen - 3] = '\0';
	} else {
		snprintf(place, sizeof place, "%s", county->name);
	}
	snprintf(d->name, sizeof d->name, "%s%s%s", place, word,
	         suffixes[pick(state, sizeof suffixes / sizeof suffixes[0])]);
	snprintf(d->legal_rep, sizeof d->legal_rep, "%s%s",
	         surnames[pick(state, sizeof surnames / sizeof surnames[0])],
	         given[pick(state, sizeof given / sizeof given[0])]);
	snprintf(d->address, sizeof d->address, "湖南省%s%s%s%zu号", pref->name, county->name,
	         streets[pick(state, sizeof streets / sizeof streets[0])], 1 + pick(state, 300));
	snprintf(d->phone, sizeof d->phone, "1%c%09" PRIu64, "3578"[pick(state, 4)],
	         next(state) % 1000000000u);
	d->county = county->code;
	const char *const *set = type_sets[pick(state, sizeof type_sets / sizeof type_sets[0])];
	memcpy(d->types, set, sizeof d->types);
}

static void
to_application(const demo_company *d, jz_application *app)
{
	memset(app, 0, sizeof *app);
	app->uscc = d->uscc;
	app->name = d->name;
	app->legal_rep = d->legal_rep;
	app->address = d->address;
	app->county = d->county;
	app->phone = d->phone;
	for (size_t i = 0; i < 4 && d->types[i]; i++)
		app->service_types[app->n_service_types++] = d->types[i];
	app->commitment_by = d->legal_rep;
	app->commitment_accepted = true;
}

/* Adds one account and appends "role  username  password" to out. */
static bool
add_user(const jz_ctx *ctx, const char *username, const char *role, const char *region,
         const char *uscc, const char *display, jz_buf *out, int64_t *id)
{
	jz_new_user nu = {username, role, region, uscc, display, NULL};
	jz_user u = {0};
	jz_err err = {0};
	char password[32];
	if (!jz_svc_user_add(ctx, &nu, &u, password, &err)) {
		fprintf(stderr, "jiazheng demo: account %s: ", username);
		jz_cli_print_err(&err, NULL);
		return false;
	}
	jz_buf_printf(out, "%s  %s  %s\n", role, username, password);
	if (id)
		*id = u.id;
	jz_user_clear(&u);
	return true;
}

static bool
fill(const jz_ctx *ctx, uint64_t seed, jz_buf *accounts, jz_buf *applications,
     jz_demo_employer employers[N_ACTIVE])
{
	uint64_t state = seed;
	if (!add_user(ctx, "admin", "admin", NULL, NULL, "平台管理员", accounts, NULL) ||
	    !add_user(ctx, "regulator-hunan", "regulator", "430000", NULL, "湖南省商务厅",
	              accounts, NULL) ||
	    !add_user(ctx, "regulator-yiyang", "regulator", "430900", NULL, "益阳市商务局",
	              accounts, NULL) ||
	    !add_user(ctx, "association-hunan", "association", "430000", NULL,
	              "湖南省家庭服务业协会", accounts, NULL))
		return false;

	const char *words[sizeof brand_words / sizeof brand_words[0]];
	memcpy(words, brand_words, sizeof words);
	shuffle(&state, words, sizeof words / sizeof words[0]);
	for (size_t i = 0; i < N_COMPANIES; i++) {
		bool pending = i >= N_ACTIVE;
		const char *county = pending ? pending_counties[i - N_ACTIVE] : active_counties[i];
		demo_company d;
		jz_application app;
		jz_company c = {0};
		jz_err err = {0};
		make_company(&state, county, words[i], &d);
		to_application(&d, &app);
		if (pending) {
			char code[32];
			if (!jz_svc_company_apply(ctx, &app, &c, code, &err))
				goto failed;
			jz_buf_printf(applications, "application  %s  %s  %s\n", c.uscc, code,
			              c.name);
		} else {
			if (!jz_svc_company_add(ctx, &app, &c, &err))
				goto failed;
			int64_t admin = 0;
			if (!add_user(ctx, c.uscc, "company_admin", NULL, c.uscc, c.name,
			              accounts, &admin)) {
				jz_company_clear(&c);
				return false;
			}
			jz_demo_employer *e = &employers[i];
			e->id = c.id;
			e->county = active_counties[i];
			snprintf(e->actor, sizeof e->actor, "user:%" PRId64 ":%s", admin, c.uscc);
		}
		jz_company_clear(&c);
		continue;
	failed:
		fprintf(stderr, "jiazheng demo: company %s: ", d.name);
		jz_cli_print_err(&err, NULL);
		return false;
	}
	return true;
}

/* Every company but the last attested its workers' check-ins for last month and this
 * month, so the demo shows active workers and (at the last company) inactive ones. */
static bool
demo_checkins(const jz_ctx *ctx, const jz_demo_employer *employers, size_t n)
{
	char month[8], before[8];
	int64_t added;
	jz_err err;
	jz_month_of(ctx->now, month);
	jz_month_before(month, before);
	if (jz_db_begin(ctx->db) != JZ_DB_OK)
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (jz_store_checkin_company(ctx->db, employers[i].id, before, ctx->now, &added) != JZ_DB_OK ||
		    jz_store_checkin_company(ctx->db, employers[i].id, month, ctx->now, &added) != JZ_DB_OK) {
			jz_db_rollback(ctx->db);
			fprintf(stderr, "jiazheng demo: recording check-ins failed\n");
			return false;
		}
	if (!jz_svc_audit(ctx, "demo.checkins", "companies", NULL, &err) || jz_db_commit(ctx->db) != JZ_DB_OK) {
		jz_db_rollback(ctx->db);
		fprintf(stderr, "jiazheng demo: recording check-ins failed\n");
		return false;
	}
	return true;
}

int
jz_cmd_demo(int argc, char **argv)
{
	static const struct option options[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"workers", required_argument, NULL, 'w'},
	    {"seed", required_argument, NULL, 's'},
	    {"keys", required_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	if (jz_cli_wants_help(argc, argv)) {
		usage(stdout);
		return JZ_EXIT_OK;
	}
	const char *url = NULL, *keys_opt = NULL;
	unsigned long long seed = 1, workers = 0;
	char *end;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			url = optarg;
			break;
		case 'k':
			keys_opt = optarg;
			break;
		case 'w':
		case 's': {
			unsigned long long v = strtoull(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end) {
				fprintf(
				    stderr,
				    "jiazheng demo: %s: expected a non-negative number, got '%s'\n",
				    c == 'w' ? "--workers" : "--seed", optarg);
				return JZ_EXIT_USAGE;
			}
			if (c == 'w' && v > MAX_WORKERS) {
				fprintf(stderr, "jiazheng demo: --workers: at most %d, got %s\n",
				        MAX_WORKERS, optarg);
				return JZ_EXIT_USAGE;
			}
			if (c == 'w')
				workers = v;
			else
				seed = v;
			break;
		}
		default:
			return jz_cli_bad_option("demo", argv, c, usage);
		}
	}
	if (!url || optind != argc) {
		fprintf(stderr, "jiazheng demo: %s\n",
		        url ? "unexpected argument" : "--db DB is required");
		usage(stderr);
		return JZ_EXIT_USAGE;
	}
	if (!jz_crypto_init()) {
		fprintf(stderr, "jiazheng demo: libsodium failed to start\n");
		return JZ_EXIT_INVALID;
	}
	jz_keys *keys = jz_cli_keys("demo", url, keys_opt, true);
	if (!keys)
		return JZ_EXIT_INVALID;
	char *err = NULL;
	jz_db *db = jz_db_open(url, &err);
	if (!db) {
		fprintf(stderr, "jiazheng demo: cannot open database '%s': %s\n", url,
		        err ? err : "unknown error");
		free(err);
		jz_keys_free(keys);
		return JZ_EXIT_INVALID;
	}
	int rc = JZ_EXIT_INVALID, applied;
	int64_t seq = 0;
	char head[65];
	jz_buf accounts = JZ_BUF_INIT, applications = JZ_BUF_INIT, codes = JZ_BUF_INIT;
	jz_demo_employer employers[N_ACTIVE];
	memset(employers, 0, sizeof employers);
	if (jz_store_migrate(db, &applied) != JZ_DB_OK) {
		fprintf(stderr, "jiazheng demo: migrating '%s' failed\n", url);
		goto out;
	}
	/* Every use case writes an audit entry, so an empty log means an unused database. */
	if (jz_store_audit_head(db, &seq, head) != JZ_DB_OK) {
		fprintf(stderr, "jiazheng demo: cannot read '%s'\n", url);
		goto out;
	}
	if (seq > 0) {
		fprintf(stderr,
		        "jiazheng demo: database '%s' already holds data (%" PRId64
		        " audit entries); demo needs an empty database\n",
		        url, seq);
		goto out;
	}
	jz_ctx ctx = {.db = db, .actor = "cli", .now = (int64_t)time(NULL), .keys = keys};
	if (!fill(&ctx, (uint64_t)seed, &accounts, &applications, employers))
		goto out;
	/* Bulk mode: on SQLite a page cache big enough for the random-order index inserts of a
	 * million workers (ID and phone hashes), fewer checkpoints. */
	if (workers > 0 && jz_db_bulk(db, true) != JZ_DB_OK)
		goto out;
	if (workers > 0 &&
	    (!jz_demo_workers(&ctx, employers, N_ACTIVE, (uint64_t)seed, (uint64_t)workers, &codes) ||
	     !demo_checkins(&ctx, employers, N_ACTIVE)))
		goto out;
	printf("demo data ready: %d active companies, %d pending applications (seed %llu)\n",
	       N_ACTIVE, N_PENDING, seed);
	printf("\naccounts (role  username  password):\n%s", jz_buf_str(&accounts));
	printf("\npending applications (application  credit code  query code  name):\n%s",
	       jz_buf_str(&applications));
	if (workers > 0) {
		printf("\ndemo workers: %llu\n", workers);
		printf("\nworkers to confirm their record at /consent (masked name, phone, one-time"
		       " code valid 7 days):\n%s",
		       jz_buf_str(&codes));
	}
	rc = JZ_EXIT_OK;
out:
	jz_buf_free(&accounts);
	jz_buf_free(&applications);
	jz_buf_free(&codes);
	jz_db_close(db);
	jz_keys_free(keys);
	return rc;
}
