/* Demo workers: plausible people for the demo companies, mostly women from 益阳 (桃江保姆,
 * 安化, 银城月嫂) and other Hunan counties with a share from the neighbouring provinces,
 * with certificates, equipment, checks and consent in a realistic mix, so that the
 * readiness pages show workers ready for duty, missing items, expired and expiring ones.
 *
 * Everything follows from the seed and the worker's index. ID numbers are distinct by
 * construction (a counter per native county, birth date and sex picks the sequence
 * number), phones by an affine permutation of the index. Workers are enrolled through
 * jz_svc_worker_clean and jz_svc_worker_enroll_tx, BATCH per transaction with one audit
 * entry each; equipment and checks go to the store directly. */
#include "cli/demo_workers.h"

#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/regions.h"
#include "services/audit.h"
#include "services/dashboard.h"
#include "services/workers.h"
#include "util/crypto.h"
#include "util/xmalloc.h"

enum { BATCH = 10000, SPECIAL = 2 };

/* ---- randomness: splitmix64, one independent stream per worker ---- */

static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static uint64_t
next(uint64_t *state)
{
	return mix(*state += 0x9E3779B97F4A7C15u);
}

static unsigned
pick(uint64_t *state, unsigned n)
{
	return (unsigned)(next(state) % n);
}

/* True with probability per_mille / 1000. */
static bool
chance(uint64_t *state, unsigned per_mille)
{
	return pick(state, 1000) < per_mille;
}

static unsigned
range(uint64_t *state, unsigned lo, unsigned hi)
{
	return lo + pick(state, hi - lo + 1);
}

typedef struct weighted {
	const char *s;
	unsigned w;
} weighted;

static const char *
wpick(uint64_t *state, const weighted *items, size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += items[i].w;
	unsigned r = pick(state, total);
	for (size_t i = 0; i < n; i++) {
		if (r < items[i].w)
			return items[i].s;
		r -= items[i].w;
	}
	return items[n - 1].s;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- dates as day numbers (days since 1970-01-01, proleptic Gregorian) ---- */

static int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void
fmt_day(int64_t day, char out[11])
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
}

/* Noon UTC of a day, as Unix time. */
static int64_t
noon(int64_t day)
{
	return day * 86400 + 12 * 3600;
}

/* ---- where workers come from ---- */

/* Native counties (current GB/T 2260 codes) and their weights. */
static const weighted natives[] = {
    /* 益阳市: 桃江保姆, 安化, 银城月嫂 */
    {"430922", 220}, /* 桃江县 */
    {"430923", 200}, /* 安化县 */
    {"430903", 50},  /* 赫山区 */
    {"430902", 30},  /* 资阳区 */
    {"430921", 30},  /* 南县 */
    {"430981", 40},  /* 沅江市 */
    /* the rest of Hunan */
    {"430182", 30}, /* 宁乡市 */
    {"430181", 20}, /* 浏阳市 */
    {"430121", 15}, /* 长沙县 */
    {"431322", 30}, /* 新化县 */
    {"431321", 15}, /* 双峰县 */
    {"431382", 20}, /* 涟源市 */
    {"430524", 15}, /* 隆回县 */
    {"430725", 20}, /* 桃源县 */
    {"430723", 10}, /* 澧县 */
    {"430626", 20}, /* 平江县 */
    {"430623", 12}, /* 华容县 */
    {"430321", 12}, /* 湘潭县 */
    {"430421", 15}, /* 衡阳县 */
    {"431224", 12}, /* 溆浦县 */
    {"433127", 8},  /* 永顺县 */
    {"431126", 8},  /* 宁远县 */
    {"430822", 8},  /* 桑植县 */
    /* neighbouring provinces */
    {"421022", 20}, /* 湖北 公安县 */
    {"421087", 10}, /* 湖北 松滋市 */
    {"422826", 8},  /* 湖北 咸丰县 */
    {"421221", 7},  /* 湖北 嘉鱼县 */
    {"360321", 10}, /* 江西 莲花县 */
    {"360428", 10}, /* 江西 都昌县 */
    {"361126", 5},  /* 江西 弋阳县 */
    {"522626", 10}, /* 贵州 岑巩县 */
    {"500236", 15}, /* 重庆 奉节县 */
    {"500242", 12}, /* 重庆 酉阳县 */
    {"450329", 8},  /* 广西 资源县 */
    {"451121", 7},  /* 广西 昭平县 */
    {"441422", 5},  /* 广东 大埔县 */
    {"441881", 5},  /* 广东 英德市 */
};
enum { N_NATIVES = COUNT(natives) };

/* Company sizes by county: the 益阳 companies are the big ones. */
static const weighted company_sizes[] = {
    {"430922", 16}, {"430923", 14}, {"430903", 10}, {"430981", 6}, {"430104", 10}, {"430111", 10},
    {"430181", 6},  {"430211", 6},  {"430302", 6},  {"430602", 6}, {"430702", 5},  {"431002", 5},
};

/* Birth years 1965–2002, most around 1970–1985. */
enum { FIRST_YEAR = 1965, LAST_YEAR = 2002 };

static int
birth_year(uint64_t *state)
{
	static const unsigned w[LAST_YEAR - FIRST_YEAR + 1] = {
	    3, 3, 3, 4, 4,                /* 1965–1969 */
	    5, 5, 6, 6, 6, 6, 6, 6, 5, 5, /* 1970–1979 */
	    4, 4, 4, 3, 3, 3, 3, 2, 2, 2, /* 1980–1989 */
	    2, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 1990–1999 */
	    1, 1, 1,                      /* 2000–2002 */
	};
	unsigned total = 0;
	for (size_t i = 0; i < COUNT(w); i++)
		total += w[i];
	unsigned r = pick(state, total);
	for (size_t i = 0; i < COUNT(w); i++) {
		if (r < w[i])
			return FIRST_YEAR + (int)i;
		r -= w[i];
	}
	return LAST_YEAR;
}

/* ---- names ---- */

static const weighted surnames[] = {
    {"李", 80}, {"王", 70}, {"刘", 70}, {"张", 60}, {"陈", 60},  {"杨", 50},  {"周", 40},
    {"黄", 40}, {"曾", 40}, {"彭", 40}, {"谢", 30}, {"邓", 30},  {"罗", 30},  {"胡", 30},
    {"唐", 30}, {"肖", 30}, {"吴", 30}, {"谭", 30}, {"龚", 20},  {"蒋", 20},  {"夏", 20},
    {"熊", 20}, {"文", 20}, {"贺", 20}, {"朱", 20}, {"廖", 20},  {"袁", 20},  {"姚", 10},
    {"蔡", 10}, {"符", 10}, {"莫", 10}, {"卜", 5},  {"欧阳", 5}, {"司马", 1},
};
static const char *const female_first[] = {
    "秀", "桂", "丽", "美", "春", "红", "小", "玉", "海", "金", "凤", "淑", "慧", "艳", "静",
    "晓", "建", "雪", "银", "巧", "冬", "爱", "月", "新", "翠", "菊", "湘", "香", "四", "满"};
static const char *const female_second[] = {
    "英", "兰", "华", "芳", "梅", "霞", "燕", "萍", "娟", "琴", "敏", "珍", "莲", "娥", "凤",
    "红", "平", "云", "妹", "莉", "玲", "香", "花", "群", "容", "清", "秀", "姣", "娇", "辉"};
static const char *const female_single[] = {"芳", "燕", "敏", "静", "丽", "娟", "霞", "萍",
                                            "红", "英", "琴", "兰", "梅", "莉", "艳", "群"};
static const char *const male_first[] = {"建", "国", "志", "德", "小", "海", "卫", "春", "新",
                                         "永", "明", "文", "立", "红", "金", "长", "光", "湘"};
static const char *const male_second[] = {"军", "平", "华", "明", "强", "林", "伟", "斌", "生",
                                          "辉", "兵", "勇", "国", "忠", "良", "波", "峰", "涛"};
static const char *const male_single[] = {"军", "伟", "勇", "斌", "涛",
                                          "辉", "刚", "强", "兵", "波"};

#define PICK(state, list) ((list)[pick((state), COUNT(list))])

static void
make_name(uint64_t *state, bool female, char out[32])
{
	const char *sur = wpick(state, surnames, COUNT(surnames));
	if (chance(state, 220))
		snprintf(out, 32, "%s%s", sur,
		         female ? PICK(state, female_single) : PICK(state, male_single));
	else if (female)
		snprintf(out, 32, "%s%s%s", sur, PICK(state, female_first),
		         PICK(state, female_second));
	else
		snprintf(out, 32, "%s%s%s", sur, PICK(state, male_first), PICK(state, male_second));
}

/* 张*芳: the first and last characters, one '*' per character between (张* for two). */
static void
mask_name(const char *name, char out[64])
{
	size_t n = 0, first = 0, last = 0;
	for (size_t i = 0; name[i]; i++) {
		if (((unsigned char)name[i] & 0xC0) == 0x80)
			continue;
		if (n == 1)
			first = i;
		last = i;
		n++;
	}
	if (n < 2) {
		snprintf(out, 64, "%s", name);
		return;
	}
	size_t len = first;
	memcpy(out, name, len);
	for (size_t i = 0; i < (n == 2 ? 1 : n - 2) && len < 40; i++)
		out[len++] = '*';
	if (n > 2)
		len += (size_t)snprintf(out + len, 64 - len, "%s", name + last);
	out[len] = '\0';
}

/* ---- service types ---- */

static const weighted female_types[] = {
    {"cleaning", 22},          {"nanny", 20},      {"infant_care", 12},
    {"maternity", 12},         {"elder_care", 13}, {"hourly", 9},
    {"patient_care", 6},       {"home_cook", 4},   {"housekeeper", 1},
    {"appliance_cleaning", 1},
};
static const weighted male_types[] = {
    {"cleaning", 25},   {"appliance_cleaning", 25}, {"home_cook", 20},
    {"elder_care", 15}, {"patient_care", 10},       {"housekeeper", 5},
};
/* What a worker offering the first also often offers. */
static const char *const related[][4] = {
    {"cleaning", "hourly", "appliance_cleaning", NULL},
    {"nanny", "cleaning", "home_cook", "infant_care"},
    {"infant_care", "maternity", "nanny", NULL},
    {"maternity", "infant_care", NULL, NULL},
    {"elder_care", "patient_care", "nanny", NULL},
    {"hourly", "cleaning", NULL, NULL},
    {"patient_care", "elder_care", NULL, NULL},
    {"home_cook", "nanny", "cleaning", NULL},
    {"appliance_cleaning", "cleaning", NULL, NULL},
    {"housekeeper", "nanny", "home_cook", NULL},
};

static void
add_type(const char **types, size_t *n, const char *t)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(types[i], t))
			return;
	types[(*n)++] = t;
}

static size_t
make_types(uint64_t *state, bool female, const char *native, const char *types[3])
{
	size_t n = 0;
	const char *first;
	/* Regional brands: 桃江保姆, 安化 nannies and carers, 银城 (益阳) 月嫂. */
	if (female && !strcmp(native, "430922") && chance(state, 250))
		first = "nanny";
	else if (female && !strcmp(native, "430923") && chance(state, 200))
		first = chance(state, 500) ? "nanny" : "elder_care";
	else if (female && !strncmp(native, "4309", 4) && chance(state, 120))
		first = "maternity";
	else
		first = female ? wpick(state, female_types, COUNT(female_types))
		               : wpick(state, male_types, COUNT(male_types));
	add_type(types, &n, first);
	for (size_t r = 0; r < COUNT(related); r++) {
		if (strcmp(related[r][0], first) != 0)
			continue;
		size_t k = 1;
		while (k < 4 && related[r][k])
			k++;
		if (k > 1 && chance(state, 550))
			add_type(types, &n, related[r][1 + pick(state, (unsigned)(k - 1))]);
		if (k > 2 && chance(state, 150))
			add_type(types, &n, related[r][1 + pick(state, (unsigned)(k - 1))]);
	}
	return n;
}

/* ---- phones: an affine permutation of the index over 25 prefixes x 10^8 ---- */

static const char *const phone_prefixes[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "173", "177", "180", "181", "183", "186", "187", "189",
};
#define PHONE_SPACE (25ull * 100000000ull)
/* Odd and not a multiple of 5, so coprime with 25 * 10^8 = 2^8 * 5^10. */
#define PHONE_STEP 1640531527ull

static void
make_phone(uint64_t seed, uint64_t index, char out[12])
{
	uint64_t x = (PHONE_STEP * index + mix(seed ^ 0x70686F6E65ull) % PHONE_SPACE) % PHONE_SPACE;
	snprintf(out, 12, "%s%08" PRIu64, phone_prefixes[x / 100000000u], x % 100000000u);
}

/* ---- one worker ---- */

typedef struct cred {
	const char *kind;
	char number[40], issuer[128], issued[11], expires[11];
} cred;

typedef struct spec {
	char name[32], id[19], phone[12];
	const char *types[3];
	size_t n_types;
	size_t employer, employer2; /* employer2 == employer: only one */
	int64_t start, start2;      /* day numbers */
	char consent[11];           /* "" = not consented */
	cred creds[5];
	size_t n_creds;
	bool uniform, toolkit, id_checked, bg_clear, code;
	int64_t id_check_at, bg_at;
	const char *bg_source;
} spec;

typedef struct gen {
	uint64_t seed;
	const jz_demo_employer *employers;
	size_t n_employers;
	unsigned *employer_weight;
	const jz_region **employer_county, **employer_pref;
	int native_index[16]; /* per employer: its county in natives[], or -1 */
	int64_t today;        /* day number */
	char today_s[11];
	uint16_t *used; /* per native county, birth day and sex: sequence numbers handed out */
	int64_t first_birth_day, birth_days;
} gen;

static size_t
pick_employer(const gen *g, uint64_t *state)
{
	unsigned total = 0;
	for (size_t i = 0; i < g->n_employers; i++)
		total += g->employer_weight[i];
	unsigned r = pick(state, total);
	for (size_t i = 0; i < g->n_employers; i++) {
		if (r < g->employer_weight[i])
			return i;
		r -= g->employer_weight[i];
	}
	return 0;
}

/* A distinct ID number: the k-th person of a county, birth day and sex gets a sequence
 * number from a permutation of the 499 the sex allows; a full day moves to the next. */
static void
make_id(gen *g, size_t native, int64_t birth, bool female, char out[19])
{
	for (;;) {
		int64_t day = birth - g->first_birth_day;
		uint16_t *used =
		    &g->used[((size_t)native * (size_t)g->birth_days + (size_t)day) * 2 + female];
		if (*used < 499) {
			unsigned h =
			    (unsigned)(mix(((uint64_t)native << 32) ^ (uint64_t)day) % 499);
			unsigned slot = (*used * 37u + h) % 499u; /* 499 is prime */
			(*used)++;
			int y, m, d;
			civil_from_days(birth, &y, &m, &d);
			jz_idcard_make(natives[native].s, y, m, d,
			               (int)(2 * slot + (female ? 2 : 1)), out);
			return;
		}
		birth =
		    birth + 1 < g->first_birth_day + g->birth_days ? birth + 1 : g->first_birth_day;
	}
}

static void
add_cred(spec *s, const char *kind, int64_t issued, int64_t expires)
{
	cred *c = &s->creds[s->n_creds++];
	c->kind = kind;
	fmt_day(issued, c->issued);
	if (expires)
		fmt_day(expires, c->expires);
	else
		c->expires[0] = '\0';
}

static const char *const insurers[] = {
    "中国人民财产保险股份有限公司", "中国平安财产保险股份有限公司",
    "中国太平洋财产保险股份有限公司", "中华联合财产保险股份有限公司"};

/* Certificates: health (1 year), work permit (3 years) or skill certificate (no expiry),
 * insurance (1 year), training. Issue dates spread so that some have run out and some run
 * out within 30 days. `complete`: everything present and valid (the consent-code workers). */
static void
make_credentials(const gen *g, uint64_t *state, spec *s, bool complete)
{
	const jz_region *county = g->employer_county[s->employer];
	const jz_region *pref = g->employer_pref[s->employer];
	int64_t t = g->today;
	int y, m, d;
	if (complete || chance(state, 950)) {
		int64_t issued = t - (complete ? 100 : range(state, 5, 400));
		add_cred(s, "health", issued, issued + 365);
		civil_from_days(issued, &y, &m, &d);
		cred *c = &s->creds[s->n_creds - 1];
		snprintf(c->number, sizeof c->number, "JK%s%04d%06u", county->code, y,
		         pick(state, 1000000));
		snprintf(c->issuer, sizeof c->issuer, "%s疾病预防控制中心", county->name);
	}
	bool permit = complete || chance(state, 750);
	if (permit) {
		int64_t issued = t - (complete ? 200 : range(state, 30, 1150));
		add_cred(s, "work_permit", issued, issued + 1095);
		civil_from_days(issued, &y, &m, &d);
		cred *c = &s->creds[s->n_creds - 1];
		snprintf(c->number, sizeof c->number, "HNJZ%04d%06u", y, pick(state, 1000000));
		if (chance(state, 600))
			snprintf(c->issuer, sizeof c->issuer, "湖南省家庭服务业协会");
		else
			snprintf(c->issuer, sizeof c->issuer, "%s家庭服务业协会", pref->name);
	}
	if (chance(state, permit ? 250 : 450)) {
		int64_t issued = t - range(state, 60, 3000);
		add_cred(s, "skill", issued, 0);
		civil_from_days(issued, &y, &m, &d);
		cred *c = &s->creds[s->n_creds - 1];
		snprintf(c->number, sizeof c->number, "S%.4s00%04d%05u", county->code, y,
		         pick(state, 100000));
		if (chance(state, 500))
			snprintf(c->issuer, sizeof c->issuer, "湖南省人力资源和社会保障厅");
		else
			snprintf(c->issuer, sizeof c->issuer, "%s职业技能鉴定中心", pref->name);
	}
	if (complete || chance(state, 900)) {
		int64_t issued = t - (complete ? 60 : range(state, 3, 380));
		add_cred(s, "insurance", issued, issued + 365);
		civil_from_days(issued, &y, &m, &d);
		cred *c = &s->creds[s->n_creds - 1];
		snprintf(c->number, sizeof c->number, "PJZX%04d%.4s%08u", y, county->code,
		         pick(state, 100000000));
		snprintf(c->issuer, sizeof c->issuer, "%s%s分公司", PICK(state, insurers),
		         pref->name);
	}
	if (chance(state, 450)) {
		int64_t issued = t - range(state, 30, 1500);
		add_cred(s, "training", issued, 0);
		civil_from_days(issued, &y, &m, &d);
		cred *c = &s->creds[s->n_creds - 1];
		snprintf(c->number, sizeof c->number, "PX%04d%05u", y, pick(state, 100000));
		snprintf(c->issuer, sizeof c->issuer, "%s就业服务中心", county->name);
	}
}

static int64_t
at_most(int64_t day, int64_t limit)
{
	return day < limit ? day : limit;
}

/* Worker `index`: everything but the ID sequence number depends on (seed, index) alone. */
static void
make_worker(gen *g, uint64_t index, spec *s)
{
	uint64_t st = mix(g->seed ^ mix(index + 0x5EEDull));
	uint64_t *state = &st;
	memset(s, 0, sizeof *s);
	bool special = index < SPECIAL;
	s->employer = special ? 0 : pick_employer(g, state);
	s->employer2 = s->employer;
	bool female = special || chance(state, 900);

	/* Half of the workers of an 益阳 company come from its own county. */
	int own = g->native_index[s->employer];
	size_t native;
	if (own >= 0 && chance(state, 500)) {
		native = (size_t)own;
	} else {
		const char *code = wpick(state, natives, N_NATIVES);
		native = 0;
		while (strcmp(natives[native].s, code) != 0)
			native++;
	}
	int year = birth_year(state);
	int64_t jan1 = days_from_civil(year, 1, 1);
	int64_t birth = jan1 + pick(state, (unsigned)(days_from_civil(year + 1, 1, 1) - jan1));
	make_id(g, native, birth, female, s->id);
	make_name(state, female, s->name);
	make_phone(g->seed, index, s->phone);
	s->n_types = make_types(state, female, natives[native].s, s->types);

	/* Entered over the last six years, more of them recently; never before 18. */
	unsigned r = pick(state, 1000);
	int64_t start = g->today - 7 - (int64_t)(2200ull * r * r / 1000000u);
	int64_t adult = birth + 18 * 365 + 5;
	if (start < adult)
		start = adult;
	s->start = at_most(start, g->today);

	make_credentials(g, state, s, special);
	s->uniform = special || chance(state, 930);
	s->toolkit = special || chance(state, s->uniform ? 900 : 200);
	s->id_checked = special || chance(state, 950);
	s->id_check_at = noon(at_most(s->start + range(state, 0, 7), g->today));
	s->bg_clear = special || chance(state, 930);
	s->bg_at = noon(at_most(s->start + range(state, 3, 30), g->today));
	s->bg_source = chance(state, 700) ? "派出所无犯罪记录证明" : "公安机关出具的无犯罪记录证明";
	if (special)
		s->code = true;
	else if (chance(state, 900))
		fmt_day(at_most(s->start + range(state, 0, 14), g->today), s->consent);

	/* One person in fifty also works for a second company. */
	if (!special && g->n_employers > 1 && chance(state, 20)) {
		s->employer2 =
		    (s->employer + 1 + pick(state, (unsigned)g->n_employers - 1)) % g->n_employers;
		s->start2 = at_most(s->start + range(state, 30, 600), g->today);
	}
}

/* ---- writing a batch ---- */

typedef struct batch {
	gen *g;
	spec *specs;
	size_t n;
	jz_buf lines; /* the consent-code lines of this batch */
	uint64_t first;
	uint64_t failed_index;
} batch;

static bool
store_failed(batch *b, size_t i, jz_db_status s, jz_err *err)
{
	b->failed_index = b->first + i;
	return jz_svc_db_failed(s, err);
}

static bool
equipment(const jz_ctx *ctx, int64_t worker, const jz_demo_employer *e, const spec *s, int64_t day)
{
	char date[11];
	bool created;
	fmt_day(day, date);
	if (s->uniform && jz_store_equipment_issue(ctx->db, worker, e->id, "uniform", date,
	                                           noon(day), &created) != JZ_DB_OK)
		return false;
	if (s->toolkit && jz_store_equipment_issue(ctx->db, worker, e->id, "toolkit", date,
	                                           noon(day), &created) != JZ_DB_OK)
		return false;
	return true;
}

static bool
consent_code(const jz_ctx *ctx, int64_t worker, const spec *s, jz_buf *lines)
{
	char code[16], hash[65], masked[64];
	jz_db_status st;
	do {
		snprintf(code, sizeof code, "%08u", (unsigned)randombytes_uniform(100000000u));
		jz_crypto_token_hash(code, hash);
		st = jz_store_worker_set_consent_code(ctx->db, worker, hash,
		                                      ctx->now + 7 * 24 * 3600);
	} while (st == JZ_DB_CONFLICT);
	if (st != JZ_DB_OK)
		return false;
	mask_name(s->name, masked);
	jz_buf_printf(lines, "worker  %s  phone %s  consent code %s\n", masked, s->phone, code);
	return true;
}

static bool
batch_work(const jz_ctx *ctx, void *arg, jz_err *err)
{
	batch *b = arg;
	gen *g = b->g;
	jz_buf_reset(&b->lines);
	jz_stats_batch stats; /* dashboards: the batch's counts, once per batch */
	if (!jz_svc_stats_batch_begin(ctx, &stats, err))
		return false;
	for (size_t i = 0; i < b->n; i++) {
		const spec *s = &b->specs[i];
		const jz_demo_employer *e = &g->employers[s->employer];
		jz_worker_input in = {.name = s->name,
		                      .id_number = s->id,
		                      .phone = s->phone,
		                      .n_service_types = s->n_types,
		                      .consent_date = s->consent,
		                      .n_credentials = s->n_creds};
		for (size_t k = 0; k < s->n_types; k++)
			in.service_types[k] = s->types[k];
		for (size_t k = 0; k < s->n_creds; k++)
			in.credentials[k] = (jz_credential_input){
			    s->creds[k].kind, s->creds[k].number, s->creds[k].issuer,
			    s->creds[k].issued, s->creds[k].expires};
		jz_worker_clean clean;
		if (!jz_svc_worker_clean(&in, g->today_s, &clean, err)) {
			jz_worker_clean_free(&clean);
			b->failed_index = b->first + i;
			return false;
		}
		/* The record was entered on the day the employment started. */
		jz_ctx when = *ctx;
		when.now = noon(s->start);
		jz_enroll_result res;
		bool ok = jz_svc_worker_enroll_tx(&when, e->id, &clean, &res, err);
		jz_worker_clean_free(&clean);
		if (!ok || !res.created_worker) {
			b->failed_index = b->first + i;
			return ok ? jz_err_set(err, JZ_E_INTERNAL, "id_number", "身份证号重复",
			                       "generated a duplicate ID number")
			          : false;
		}
		int64_t w = res.worker_id;
		jz_db_status st = JZ_DB_OK;
		if (!equipment(ctx, w, e, s, s->start + (int64_t)(i % 3)))
			return store_failed(b, i, JZ_DB_ERROR, err);
		if (s->id_checked)
			st = jz_store_worker_set_id_check(ctx->db, w, "document", s->id_check_at,
			                                  e->actor);
		if (st == JZ_DB_OK && s->bg_clear)
			st = jz_store_worker_set_background(ctx->db, w, "clear", s->bg_at,
			                                    s->bg_source);
		if (st != JZ_DB_OK)
			return store_failed(b, i, st, err);
		if (s->employer2 != s->employer) {
			const jz_demo_employer *e2 = &g->employers[s->employer2];
			char date[11];
			bool created;
			fmt_day(s->start2, date);
			st = jz_store_employment_start(ctx->db, w, e2->id, date, noon(s->start2),
			                               &created);
			if (st != JZ_DB_OK)
				return store_failed(b, i, st, err);
			if (!equipment(ctx, w, e2, s, s->start2))
				return store_failed(b, i, JZ_DB_ERROR, err);
		}
		if (s->code && !consent_code(ctx, w, s, &b->lines))
			return store_failed(b, i, JZ_DB_ERROR, err);
	}
	if (!jz_svc_stats_batch_end(ctx, &stats, err))
		return false;
	char detail[64];
	snprintf(detail, sizeof detail, "{\"workers\":%zu}", b->n);
	return jz_svc_audit(ctx, "demo.workers", "workers", detail, err);
}

static double
seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool
jz_demo_workers(const jz_ctx *ctx, const jz_demo_employer *employers, size_t n_employers,
                uint64_t seed, uint64_t count, jz_buf *out)
{
	if (n_employers == 0 || n_employers > 16 || !ctx->keys) {
		fprintf(stderr, "jiazheng demo: no companies for the workers\n");
		return false;
	}
	gen g = {.seed = seed, .employers = employers, .n_employers = n_employers};
	g.today = ctx->now / 86400;
	fmt_day(g.today, g.today_s);
	g.employer_weight = jz_xcalloc(n_employers, sizeof *g.employer_weight);
	g.employer_county = jz_xcalloc(n_employers, sizeof *g.employer_county);
	g.employer_pref = jz_xcalloc(n_employers, sizeof *g.employer_pref);
	for (size_t i = 0; i < n_employers; i++) {
		g.employer_weight[i] = 5;
		for (size_t k = 0; k < COUNT(company_sizes); k++)
			if (!strcmp(company_sizes[k].s, employers[i].county))
				g.employer_weight[i] = company_sizes[k].w;
		g.employer_county[i] = jz_region_find(employers[i].county);
		g.employer_pref[i] = jz_region_find(g.employer_county[i]->prefecture);
		g.native_index[i] = -1;
		if (!strncmp(employers[i].county, "4309", 4))
			for (size_t k = 0; k < N_NATIVES; k++)
				if (!strcmp(natives[k].s, employers[i].county))
					g.native_index[i] = (int)k;
	}
	g.first_birth_day = days_from_civil(FIRST_YEAR, 1, 1);
	g.birth_days = days_from_civil(LAST_YEAR + 1, 1, 1) - g.first_birth_day;
	g.used = jz_xcalloc((size_t)N_NATIVES * (size_t)g.birth_days * 2, sizeof *g.used);

#ifdef __GLIBC__
	/* Every worker insert (INSERT ... RETURNING) makes SQLite open and close an ephemeral
	 * table; glibc then gives the freed top of the heap back to the kernel and takes it
	 * again at once, and the TLB flushes of those brk calls took over half of the time.
	 * Keep up to 256 MiB of free heap instead. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
	size_t cap = count < BATCH ? (size_t)count : BATCH;
	batch b = {.g = &g, .specs = jz_xcalloc(cap, sizeof(spec))};
	bool tty = isatty(STDERR_FILENO), ok = true;
	double t0 = seconds(), shown = 0;
	for (uint64_t done = 0; done < count;) {
		b.first = done;
		b.n = count - done < cap ? (size_t)(count - done) : cap;
		for (size_t i = 0; i < b.n; i++)
			make_worker(&g, done + i, &b.specs[i]);
		jz_err err = {0};
		if (!jz_svc_transaction(ctx, batch_work, &b, &err)) {
			if (tty)
				fputc('\n', stderr);
			fprintf(stderr, "jiazheng demo: worker %" PRIu64 ": ", b.failed_index + 1);
			jz_cli_print_err(&err, NULL);
			ok = false;
			break;
		}
		jz_buf_puts(out, jz_buf_str(&b.lines));
		done += b.n;
		double now = seconds();
		if (tty && (now - shown >= 0.5 || done == count)) {
			double rate = done / (now - t0 > 1e-6 ? now - t0 : 1e-6);
			fprintf(stderr,
			        "\rjiazheng demo: workers %" PRIu64 "/%" PRIu64
			        " (%2.0f%%), %.0f/s, %.0f s left   ",
			        done, count, 100.0 * (double)done / (double)count, rate,
			        (double)(count - done) / rate);
			shown = now;
		}
	}
	if (tty && ok)
		fprintf(stderr, "\n");
	jz_buf_free(&b.lines);
	free(b.specs);
	free(g.used);
	free(g.employer_weight);
	free(g.employer_county);
	free(g.employer_pref);
	return ok;
}
