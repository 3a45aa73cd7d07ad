/* Bulk import of workers from CSV: decoding (UTF-8, GB18030), CSV parsing with libcsv,
 * the header, one jz_worker_input per row, validation and enrolment in batches of rows,
 * one transaction and one audit entry per batch. See services/import.h.
 *
 * Two threads: the reader parses, validates, hashes and seals rows (none of which needs
 * the database) and hands them over through a bounded queue, in file order; the calling
 * thread writes them in batches. A batch that must be retried restarts the reader at the
 * batch's first row. */
#include "services/import.h"
#include "services/dashboard.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "services/audit.h"
#include "services/workers.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* What a column holds: one of the five person fields, or part `p` of a certificate of
 * kind `k` at F_CRED + k * N_PARTS + p. */
enum { F_NAME, F_ID, F_PHONE, F_TYPES, F_CONSENT, F_CRED, N_KINDS = 5, N_PARTS = 4 };
enum { N_FIELDS = F_CRED + N_KINDS * N_PARTS, F_UNNAMED = -1 };
enum { MAX_COLUMNS = 256, MAX_ATTEMPTS = 5, PROGRESS_EVERY = 256 };
/* Rows the writer enrols together (jz_svc_worker_enroll_many). */
enum { CHUNK_ROWS = 256 };
/* Rows the reader may run ahead of the writer: enough to keep both busy, few enough to
 * keep clear ID numbers and phones in memory only briefly. */
enum { QUEUE_ROWS = 1024 };
enum { CSV_OPTIONS = CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL };

static const char *const field_names[F_CRED] = {"name", "id_number", "phone", "service_types",
                                                "consent_date"};
/* Chinese headers accepted for the person fields (Excel templates often use them). */
static const struct {
	const char *header;
	int field;
} zh_headers[] = {
    {"姓名", F_NAME},          {"身份证号", F_ID},      {"身份证号码", F_ID},
    {"手机号", F_PHONE},       {"手机号码", F_PHONE},   {"服务类型", F_TYPES},
    {"授权日期", F_CONSENT},
};
static const char *const kinds[N_KINDS] = {"health", "work_permit", "skill", "insurance",
                                           "training"};
static const char *const parts[N_PARTS] = {"no", "issuer", "issued", "expires"};

/* A rejected row waiting for its batch to commit. */
typedef struct reject_note {
	int64_t row;
	char *column; /* NULL for the whole row */
	char *zh, *en;
} reject_note;

/* One data row as the reader hands it to the writer. */
typedef enum { ROW_WORKER, ROW_REJECT, ROW_FAILED, ROW_END } row_kind;
typedef struct prepared_row {
	row_kind kind;
	int64_t row;      /* its row number */
	size_t start;     /* offset of the line where it began: a retry reads again from here */
	size_t end;       /* offset after it, for progress */
	reject_note note; /* ROW_REJECT (owned) */
	jz_worker_clean clean;   /* ROW_WORKER */
	jz_worker_sealed sealed; /* ROW_WORKER, not in a dry run */
} prepared_row;

typedef struct reader {
	struct csv_parser p;
	bool at_boundary;  /* no record is open */
	size_t rec_start;  /* offset of the line where the open record began */
} reader;

/* The rows between the two threads: a ring of QUEUE_ROWS. A waiting thread is woken
 * when there is a run of work for it (WAKE_ROWS rows, or room for as many), not for
 * every row: one wake-up per row cost more than the work it moved. */
enum { WAKE_ROWS = QUEUE_ROWS / 4 };
typedef struct row_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	prepared_row slots[QUEUE_ROWS];
	size_t head, count;
	bool reader_waits, writer_waits;
	bool stop; /* the writer wants no more rows */
} row_queue;

typedef struct importer {
	const jz_ctx *ctx;
	int64_t company_id;
	bool dry_run;
	jz_import_options opt;
	jz_import_reject_fn reject;
	void *reject_arg;
	jz_import_result *out;
	jz_err *err;
	char today[11];

	const char *text; /* decoded input */
	size_t len;

	/* ---- the reader's (the reading thread's while it runs) ---- */
	size_t pos;
	reader rd;
	/* The header: what each column holds, its name as written, and back. */
	bool header_done;
	size_t ncols;
	int col_field[MAX_COLUMNS];
	char *col_name[MAX_COLUMNS];
	int field_col[N_FIELDS]; /* column index, -1 when absent */
	const char *columns[F_CRED];

	/* The record being read: fields one after another, each NUL-terminated. */
	char *rec;
	size_t rec_len, rec_cap;
	size_t foff[MAX_COLUMNS];
	size_t nfields;
	bool has_nul;
	bool just_ended; /* the last parser event ended a record */

	int64_t row; /* row number of the last record (header = 1) */
	bool stopped; /* the writer wants no more rows: parse nothing more */
	jz_err read_err; /* why the reader failed (ROW_FAILED) */

	row_queue *queue;
	pthread_t thread;
	bool reading; /* the thread runs */

	/* ---- the writer's ---- */
	/* The batch in progress. */
	size_t batch_n;
	int64_t b_imported, b_already, b_rejected;
	reject_note *notes;
	size_t n_notes, cap_notes;
	/* Workers who existed before the batch and were written by it: their card faces are
	 * recomputed at its end (the faces' triggers stand aside for a batch). */
	int64_t *touched;
	size_t n_touched, cap_touched;
	/* The dashboards' counts of the batch: its new persons counted here, as they are
	 * written (jz_stats_batch.new_counted), in the company's county. */
	jz_stats_batch stats;
	char county[8];

	bool failed; /* the import stops: err says why */
	bool busy;   /* a lock conflict: the batch is retried */
} importer;

/* ---- decoding ---- */

/* Length of the valid UTF-8 prefix of s[0..n). */
static size_t
utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			/* Eight ASCII bytes at a time: the whole file is checked before the reading
			 * thread starts, and most of a worker file is digits and dates. */
			i++;
			for (uint64_t eight; n - i >= 8; i += 8) {
				memcpy(&eight, s + i, 8);
				if (eight & 0x8080808080808080u)
					break;
			}
			continue;
		}
		size_t k;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf)
			k = 1, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3, min = 0x10000;
		else
			return i;
		if (n - i <= k)
			return i;
		unsigned cp = c & (0x3f >> k);
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += k + 1;
	}
	return n;
}

/* The length of the line at s[0..n), with its line break: LF, CRLF or a lone CR, the
 * three that end a record for libcsv (old Mac and some Excel exports end lines in CR
 * alone). *broken says whether it had one (false for a last line without). */
static size_t
line_length(const char *s, size_t n, bool *broken)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r') {
			*broken = true;
			return i + (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1);
		}
	}
	*broken = false;
	return n;
}

static int64_t
row_of_offset(const char *s, size_t off)
{
	int64_t row = 1;
	bool broken;
	for (size_t i = 0; i < off; row++) {
		i += line_length(s + i, off - i, &broken);
		if (!broken)
			break;
	}
	return row;
}

/* Converts GB18030 to UTF-8; on failure sets *bad to the offset of the first byte that
 * is not GB18030 and returns NULL. */
static char *
from_gb18030(const char *data, size_t len, size_t *out_len, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		*bad = 0;
		return NULL;
	}
	/* Two GB18030 bytes become at most three UTF-8 bytes, four at most four. */
	size_t cap = len + len / 2 + 16;
	char *buf = jz_xmalloc(cap);
	char *in = (char *)data, *o = buf;
	size_t in_left = len, out_left = cap;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			cap *= 2;
			buf = jz_xrealloc(buf, cap);
			o = buf + used;
			out_left = cap - used;
			continue;
		}
		*bad = (size_t)(in - data);
		iconv_close(cd);
		free(buf);
		return NULL;
	}
	iconv_close(cd);
	*out_len = (size_t)(o - buf);
	return buf;
}

/* Points *text at UTF-8 without a BOM: the input itself, or *owned converted from
 * GB18030. False, with err set, when the input is neither. */
static bool
decode(const char *data, size_t len, const char **text, size_t *text_len, char **owned,
       jz_err *err)
{
	const unsigned char *u = (const unsigned char *)data;
	*owned = NULL;
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
		return jz_err_set(err, JZ_E_INVALID_FIELD, "encoding",
		                  "文件是 UTF-16 编码（Unicode 文本），请另存为“CSV UTF-8”",
		                  "the file is UTF-16 (Unicode text); save it as CSV UTF-8");
	if (utf8_valid_prefix(u, len) == len) {
		*text = data;
		*text_len = len;
	} else {
		size_t bad = 0;
		*owned = from_gb18030(data, len, text_len, &bad);
		if (!*owned) {
			char zh[200], en[200];
			int64_t row = row_of_offset(data, bad);
			snprintf(zh, sizeof zh,
			         "文件既不是 UTF-8 也不是 GB18030 编码：第 %zu 字节（第 %" PRId64
			         " 行）无法识别",
			         bad, row);
			snprintf(en, sizeof en,
			         "the file is neither UTF-8 nor GB18030: byte %zu (row %" PRId64
			         ") cannot be read",
			         bad, row);
			return jz_err_set(err, JZ_E_INVALID_FIELD, "encoding", zh, en);
		}
		*text = *owned;
	}
	if (*text_len >= 3 && !memcmp(*text, "\xef\xbb\xbf", 3)) {
		*text += 3;
		*text_len -= 3;
	}
	return true;
}

/* ---- rejects ---- */

static reject_note
make_note(int64_t row, const char *column, const char *zh, const char *en)
{
	return (reject_note){
	    .row = row,
	    .column = column ? jz_xstrdup(column) : NULL,
	    .zh = jz_xstrdup(zh),
	    .en = jz_xstrdup(en),
	};
}

static void
free_note(reject_note *n)
{
	free(n->column);
	free(n->zh);
	free(n->en);
	memset(n, 0, sizeof *n);
}

/* Takes the note (its strings) into the batch's rejects. */
static void
add_note(importer *im, reject_note *n)
{
	if (im->n_notes == im->cap_notes) {
		im->cap_notes = im->cap_notes ? im->cap_notes * 2 : 64;
		im->notes = jz_xrealloc(im->notes, im->cap_notes * sizeof *im->notes);
	}
	im->notes[im->n_notes++] = *n;
	memset(n, 0, sizeof *n);
	im->b_rejected++;
}

static void
drop_notes(importer *im, bool report)
{
	for (size_t i = 0; i < im->n_notes; i++) {
		reject_note *n = &im->notes[i];
		if (report && im->reject)
			im->reject(n->row, n->column, n->zh, n->en, im->reject_arg);
		free_note(n);
	}
	im->n_notes = 0;
}

/* ---- the queue ---- */

static void
free_row(prepared_row *r)
{
	free_note(&r->note);
	jz_worker_clean_free(&r->clean);
	jz_worker_sealed_free(&r->sealed);
	/* The clear ID number and phone leave memory with the row. */
	sodium_memzero(&r->clean.id, sizeof r->clean.id);
	sodium_memzero(r->clean.phone, sizeof r->clean.phone);
}

static row_queue *
queue_new(void)
{
	row_queue *q = jz_xcalloc(1, sizeof *q);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	return q;
}

static void
queue_free(row_queue *q)
{
	if (!q)
		return;
	for (; q->count; q->count--, q->head = (q->head + 1) % QUEUE_ROWS)
		free_row(&q->slots[q->head]);
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* Moves *r into the queue (the caller forgets it), waiting for room. False, with *r
 * freed, when the writer stopped reading. */
static bool
queue_put(row_queue *q, prepared_row *r)
{
	/* The last row the writer will get must not wait for company. */
	bool last = r->kind == ROW_END || r->kind == ROW_FAILED;
	pthread_mutex_lock(&q->lock);
	while (q->count == QUEUE_ROWS && !q->stop) {
		q->reader_waits = true;
		pthread_cond_wait(&q->not_full, &q->lock);
	}
	q->reader_waits = false;
	bool ok = !q->stop;
	if (ok) {
		q->slots[(q->head + q->count) % QUEUE_ROWS] = *r;
		q->count++;
		if (q->writer_waits && (last || q->count >= WAKE_ROWS))
			pthread_cond_signal(&q->not_empty);
	}
	pthread_mutex_unlock(&q->lock);
	if (!ok)
		free_row(r);
	return ok;
}

/* Up to max rows in file order (at least one, waiting for it). They stay in the queue,
 * to be read in place (a row is nearly 2 KB: copying it out cost more than the queue
 * itself), until queue_done_n. Returns how many. */
static size_t
queue_take(row_queue *q, size_t max, prepared_row **out)
{
	pthread_mutex_lock(&q->lock);
	while (q->count == 0) {
		q->writer_waits = true;
		pthread_cond_wait(&q->not_empty, &q->lock);
	}
	q->writer_waits = false;
	size_t n = q->count < max ? q->count : max;
	for (size_t i = 0; i < n; i++)
		out[i] = &q->slots[(q->head + i) % QUEUE_ROWS];
	pthread_mutex_unlock(&q->lock);
	return n;
}

/* Frees the first n rows (those queue_take gave) and makes their slots free. */
static void
queue_done_n(row_queue *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_row(&q->slots[(q->head + i) % QUEUE_ROWS]);
	pthread_mutex_lock(&q->lock);
	q->head = (q->head + n) % QUEUE_ROWS;
	q->count -= n;
	if (q->reader_waits && q->count <= QUEUE_ROWS - WAKE_ROWS)
		pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

/* ---- the header ---- */

static void
trim_lower(const char *s, char *out, size_t size)
{
	char *t = jz_text_trim(s);
	snprintf(out, size, "%s", t);
	free(t);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

static int
field_of_header(const char *h)
{
	for (int f = 0; f < F_CRED; f++)
		if (!strcmp(h, field_names[f]))
			return f;
	for (size_t i = 0; i < sizeof zh_headers / sizeof zh_headers[0]; i++)
		if (!strcmp(h, zh_headers[i].header))
			return zh_headers[i].field;
	for (int k = 0; k < N_KINDS; k++) {
		size_t kl = strlen(kinds[k]);
		if (strncmp(h, kinds[k], kl) != 0 || h[kl] != '_')
			continue;
		for (int p = 0; p < N_PARTS; p++)
			if (!strcmp(h + kl + 1, parts[p]))
				return F_CRED + k * N_PARTS + p;
	}
	return -2;
}

/* The file is refused (header phase, before the reading thread starts). */
static bool
refuse(importer *im, jz_err_code code, const char *field, const char *zh, const char *en)
{
	im->failed = true;
	im->stopped = true;
	return jz_err_set(im->err, code, field, zh, en);
}

static bool
read_header(importer *im)
{
	if (im->nfields > MAX_COLUMNS)
		return refuse(im, JZ_E_INVALID_FIELD, NULL, "表头列数过多", "the header has too many columns");
	im->ncols = im->nfields;
	for (int f = 0; f < N_FIELDS; f++)
		im->field_col[f] = -1;
	jz_buf unknown = JZ_BUF_INIT;
	const char *first_unknown = NULL, *dup = NULL;
	for (size_t c = 0; c < im->ncols; c++) {
		char h[256];
		trim_lower(im->rec + im->foff[c], h, sizeof h);
		im->col_name[c] = jz_xstrdup(h);
		int f = h[0] ? field_of_header(h) : F_UNNAMED;
		im->col_field[c] = f;
		if (f == -2) {
			if (!first_unknown)
				first_unknown = im->col_name[c];
			jz_buf_printf(&unknown, "%s%s", unknown.len ? ", " : "", h);
		} else if (f >= 0) {
			if (im->field_col[f] >= 0 && !dup)
				dup = im->col_name[c];
			im->field_col[f] = (int)c;
		}
	}
	bool ok = false;
	if (first_unknown) {
		char zh[400], en[400];
		snprintf(zh, sizeof zh, "不认识的列：%s（可用的列见说明）", jz_buf_str(&unknown));
		snprintf(en, sizeof en, "unknown column%s: %s (see README.md, \"Bulk import\")",
		         strchr(jz_buf_str(&unknown), ',') ? "s" : "", jz_buf_str(&unknown));
		refuse(im, JZ_E_UNKNOWN_FIELD, first_unknown, zh, en);
	} else if (dup) {
		char zh[200], en[200];
		snprintf(zh, sizeof zh, "列“%s”出现了两次", dup);
		snprintf(en, sizeof en, "column %s appears twice", dup);
		refuse(im, JZ_E_INVALID_FIELD, dup, zh, en);
	} else if (im->field_col[F_NAME] < 0 || im->field_col[F_ID] < 0) {
		const char *f = im->field_col[F_NAME] < 0 ? "name" : "id_number";
		char zh[200], en[200];
		snprintf(zh, sizeof zh, "缺少必需的列：%s（%s）", f,
		         im->field_col[F_NAME] < 0 ? "姓名" : "身份证号");
		snprintf(en, sizeof en, "the header has no %s column (required: name, id_number)", f);
		refuse(im, JZ_E_MISSING_FIELD, f, zh, en);
	} else {
		for (int f = 0; f < F_CRED; f++)
			im->columns[f] = im->field_col[f] >= 0 ? im->col_name[im->field_col[f]]
			                                       : field_names[f];
		im->header_done = true;
		ok = true;
	}
	jz_buf_free(&unknown);
	return ok;
}

/* ---- one row ---- */

static const char *
cell(const importer *im, int field)
{
	int c = im->field_col[field];
	if (c < 0)
		return NULL;
	const char *s = im->rec + im->foff[c];
	return *s ? s : NULL;
}

/* Splits service types on '|' (also the full-width '｜' and '、') in place. */
static bool
split_types(char *s, jz_worker_input *in)
{
	char *p = s;
	while (*p) {
		char *start = p;
		size_t sep = 0;
		while (*p) {
			if (*p == '|') {
				sep = 1;
				break;
			}
			if (!strncmp(p, "｜", 3) || !strncmp(p, "、", 3)) {
				sep = 3;
				break;
			}
			p++;
		}
		char *end = p;
		if (sep) {
			*p = '\0';
			p += sep;
		}
		while (start < end && (*start == ' ' || *start == '\t'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (start == end)
			continue;
		if (in->n_service_types == JZ_WORKER_TYPES)
			return false;
		in->service_types[in->n_service_types++] = start;
	}
	return true;
}

/* The CSV column an error of the worker service names. */
static const char *
column_of_error(const importer *im, const char *field)
{
	if (!field[0])
		return NULL;
	for (int f = 0; f < F_CRED; f++)
		if (!strcmp(field, field_names[f]))
			return im->columns[f];
	return field;
}

static bool
is_hard(jz_err_code code)
{
	return code == JZ_E_INTERNAL || code == JZ_E_UNAVAILABLE;
}

/* Hands a row to the writer; once the writer stopped, nothing more is parsed. */
static void
put_row(importer *im, prepared_row *r)
{
	r->row = im->row;
	r->start = im->rd.rec_start;
	r->end = im->pos;
	if (!queue_put(im->queue, r))
		im->stopped = true;
}

static void
put_reject(importer *im, const char *column, const char *zh, const char *en)
{
	prepared_row r = {.kind = ROW_REJECT, .note = make_note(im->row, column, zh, en)};
	put_row(im, &r);
}

static void
put_error(importer *im, const jz_err *e)
{
	const char *zh = e->detail_zh[0] ? e->detail_zh : jz_err_message(e->code, false);
	const char *en = e->detail_en[0] ? e->detail_en : jz_err_message(e->code, true);
	put_reject(im, column_of_error(im, e->field), zh, en);
}

/* Validates (and, to be written, hashes and seals) one data row for the writer. */
static void
data_row(importer *im)
{
	bool blank = true;
	for (size_t i = 0; i < im->rec_len && blank; i++)
		blank = im->rec[i] == '\0' || im->rec[i] == ' ' || im->rec[i] == '\t';
	if (blank)
		return; /* an empty row, as Excel leaves them ("，，，") */
	if (im->nfields != im->ncols) {
		char zh[120], en[120];
		snprintf(zh, sizeof zh, "应有 %zu 列，实际 %zu 列", im->ncols, im->nfields);
		snprintf(en, sizeof en, "expected %zu fields, got %zu", im->ncols, im->nfields);
		put_reject(im, NULL, zh, en);
		return;
	}
	if (im->has_nul) {
		put_reject(im, NULL, "含有空字符（NUL），文件可能已损坏",
		           "contains a NUL character; the file may be damaged");
		return;
	}
	for (size_t c = 0; c < im->ncols; c++)
		if (im->col_field[c] == F_UNNAMED && im->rec[im->foff[c]]) {
			char zh[120], en[120];
			snprintf(zh, sizeof zh, "第 %zu 列没有表头却有内容", c + 1);
			snprintf(en, sizeof en, "column %zu has a value but no header", c + 1);
			put_reject(im, NULL, zh, en);
			return;
		}

	jz_worker_input in = {
	    .name = cell(im, F_NAME),
	    .id_number = cell(im, F_ID),
	    .phone = cell(im, F_PHONE),
	    .consent_date = cell(im, F_CONSENT),
	    .columns = im->columns,
	};
	int tc = im->field_col[F_TYPES];
	if (tc >= 0 && !split_types(im->rec + im->foff[tc], &in)) {
		char zh[120], en[120];
		snprintf(zh, sizeof zh, "服务类型最多 %d 个", JZ_WORKER_TYPES);
		snprintf(en, sizeof en, "at most %d service types", JZ_WORKER_TYPES);
		put_reject(im, im->columns[F_TYPES], zh, en);
		return;
	}
	for (int k = 0; k < N_KINDS; k++) {
		const char *v[N_PARTS];
		bool any = false;
		for (int p = 0; p < N_PARTS; p++) {
			v[p] = cell(im, F_CRED + k * N_PARTS + p);
			any |= v[p] != NULL;
		}
		if (any)
			in.credentials[in.n_credentials++] = (jz_credential_input){
			    .kind = kinds[k], .number = v[0], .issuer = v[1], .issued = v[2], .expires = v[3]};
	}

	prepared_row r = {.kind = ROW_WORKER};
	jz_err e = {0};
	if (!jz_svc_worker_clean(&in, im->today, &r.clean, &e)) {
		free_row(&r);
		if (is_hard(e.code)) {
			im->read_err = e;
			r.kind = ROW_FAILED;
			put_row(im, &r);
			im->stopped = true;
		} else {
			put_error(im, &e);
		}
		return;
	}
	if (!im->dry_run)
		jz_svc_worker_seal(im->ctx->keys, &r.clean, &r.sealed);
	put_row(im, &r);
}

/* ---- libcsv callbacks ---- */

static void
on_field(void *s, size_t len, void *arg)
{
	importer *im = arg;
	im->just_ended = false;
	if (im->stopped)
		return;
	if (im->nfields < MAX_COLUMNS) {
		if (im->rec_len + len + 1 > im->rec_cap) {
			im->rec_cap = (im->rec_len + len + 1) * 2;
			im->rec = jz_xrealloc(im->rec, im->rec_cap);
		}
		im->foff[im->nfields] = im->rec_len;
		if (len) {
			memcpy(im->rec + im->rec_len, s, len);
			im->has_nul |= memchr(s, '\0', len) != NULL;
		}
		im->rec_len += len;
		im->rec[im->rec_len++] = '\0';
	}
	im->nfields++;
}

static void
end_record(importer *im)
{
	im->rec_len = 0;
	im->nfields = 0;
	im->has_nul = false;
}

static void
on_row(int c, void *arg)
{
	importer *im = arg;
	(void)c;
	im->just_ended = true;
	if (im->stopped)
		return;
	im->row++;
	if (!im->header_done)
		read_header(im);
	else
		data_row(im);
	end_record(im);
}

/* ---- the reading loop ---- */

static void
reader_reset(reader *r)
{
	csv_free(&r->p);
	csv_init(&r->p, CSV_OPTIONS);
	r->at_boundary = true;
}

static bool
blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* A record the parser refused (unbalanced quotes): it is rejected as one row, and
 * reading resumes at the line after the one where it began. */
static void
malformed(importer *im, reader *r)
{
	im->row++;
	end_record(im);
	bool broken;
	im->pos = r->rec_start + line_length(im->text + r->rec_start, im->len - r->rec_start, &broken);
	if (!im->header_done)
		refuse(im, JZ_E_INVALID_FIELD, NULL, "表头的引号不配对", "the header has unbalanced quotes");
	else
		put_reject(im, NULL,
		           "引号不配对（引号未闭合，或字段中间有多余的引号）",
		           "unbalanced quotes: a quoted field is not closed, or a quote stands inside"
		           " a field");
	reader_reset(r);
}

/* Feeds the next line to the parser, which hands complete records to on_row. Returns
 * false at the end of the input. */
static bool
feed_line(importer *im, reader *r)
{
	if (im->pos >= im->len) {
		if (r->at_boundary)
			return false;
		im->just_ended = false;
		if (csv_fini(&r->p, on_field, on_row, im) != 0) {
			malformed(im, r);
			return true;
		}
		r->at_boundary = true;
		return false;
	}
	/* One line at a time, split where libcsv ends records, so that a line never holds
	 * more than one record's end: the header must be read before the rows after it. */
	const char *s = im->text + im->pos;
	bool nl;
	size_t n = line_length(s, im->len - im->pos, &nl);
	if (r->at_boundary) {
		if (blank_line(s, n)) {
			im->row++;
			im->pos += n;
			return true;
		}
		r->rec_start = im->pos;
	}
	im->just_ended = false;
	/* The row's end offset (for progress) is where this line ends. */
	size_t line_start = im->pos;
	im->pos += n;
	size_t done = csv_parse(&r->p, s, n, on_field, on_row, im);
	if (done < n) {
		im->pos = line_start;
		malformed(im, r);
		return true;
	}
	r->at_boundary = nl && im->just_ended;
	return true;
}

/* The reading thread: every row after the header, then ROW_END (or ROW_FAILED). */
static void *
read_rows(void *arg)
{
	importer *im = arg;
	while (!im->stopped && feed_line(im, &im->rd))
		;
	if (!im->stopped) {
		prepared_row end = {.kind = ROW_END};
		put_row(im, &end);
	}
	return NULL;
}

/* Starts reading at `pos`, the start of a line after row `row`. */
static bool
start_reading(importer *im, size_t pos, int64_t row)
{
	im->pos = pos;
	im->row = row;
	im->stopped = false;
	end_record(im);
	reader_reset(&im->rd);
	im->queue = queue_new();
	if (pthread_create(&im->thread, NULL, read_rows, im) != 0) {
		queue_free(im->queue);
		im->queue = NULL;
		im->failed = true;
		return jz_err_set(im->err, JZ_E_INTERNAL, NULL, NULL, "import: cannot start a thread");
	}
	im->reading = true;
	return true;
}

/* Stops the reading thread and drops the rows it had read ahead. */
static void
stop_reading(importer *im)
{
	if (!im->reading)
		return;
	pthread_mutex_lock(&im->queue->lock);
	im->queue->stop = true;
	pthread_cond_signal(&im->queue->not_full);
	pthread_mutex_unlock(&im->queue->lock);
	pthread_join(im->thread, NULL);
	queue_free(im->queue);
	im->queue = NULL;
	im->reading = false;
}

/* ---- the writer ---- */

static void
note_touched(importer *im, int64_t worker_id)
{
	if (im->n_touched == im->cap_touched) {
		im->cap_touched = im->cap_touched ? im->cap_touched * 2 : 64;
		im->touched = jz_xrealloc(im->touched, im->cap_touched * sizeof *im->touched);
	}
	im->touched[im->n_touched++] = worker_id;
}

static jz_db_status
begin_batch(importer *im)
{
	jz_db_status s = jz_store_stats_batch_begin(im->ctx->db, &im->stats);
	im->stats.new_counted = *im->county != '\0';
	memcpy(im->stats.county, im->county, sizeof im->stats.county);
	return s;
}

/* The batch's counts for the dashboards and the card faces of the workers it touched. */
static bool
end_batch(importer *im)
{
	jz_db_status s = jz_store_card_faces_refresh(im->ctx->db, im->touched, im->n_touched);
	if (s != JZ_DB_OK)
		return jz_svc_db_failed(s, im->err);
	return jz_svc_stats_batch_end(im->ctx, &im->stats, im->err);
}

/* Counts an enrolled row, or keeps its fault as the row's reject. */
static void
count_row(importer *im, const prepared_row *r, const jz_enroll_result *res, const jz_err *e)
{
	if (!e->code) {
		if (!res->created_worker) {
			note_touched(im, res->worker_id);
			/* The same new person again, with the paper consent the first row lacked. */
			if (res->worker_id > im->stats.worker_mark && res->consented_now)
				im->stats.consented++;
		} else {
			/* A new person: one current employment here, consented on paper or not. */
			im->stats.entered++;
			im->stats.consented += *r->clean.consent_date != '\0';
		}
		if (res->created_worker || res->created_employment || res->credentials_added > 0)
			im->b_imported++;
		else
			im->b_already++;
		return;
	}
	const char *zh = e->detail_zh[0] ? e->detail_zh : jz_err_message(e->code, false);
	const char *en = e->detail_en[0] ? e->detail_en : jz_err_message(e->code, true);
	reject_note n = make_note(r->row, column_of_error(im, e->field), zh, en);
	add_note(im, &n);
}

/* Writes a run of rows (no ROW_END or ROW_FAILED among them): the valid ones enrolled
 * together, then each counted or noted in row order. */
static void
write_chunk(importer *im, prepared_row **rows, size_t n)
{
	jz_enroll_row in[CHUNK_ROWS];
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i]->kind == ROW_WORKER)
			in[m++] = (jz_enroll_row){&rows[i]->clean, &rows[i]->sealed};
	jz_enroll_result res[CHUNK_ROWS];
	jz_err errs[CHUNK_ROWS];
	jz_err e = {0};
	if (!im->dry_run && m > 0 && !jz_svc_worker_enroll_many(im->ctx, im->company_id, in, m, res, errs, &e)) {
		if (e.code == JZ_E_UNAVAILABLE) {
			im->busy = true;
		} else {
			*im->err = e;
			im->failed = true;
		}
		return;
	}
	for (size_t i = 0, j = 0; i < n; i++) {
		if (rows[i]->kind == ROW_REJECT)
			add_note(im, &rows[i]->note);
		else if (im->dry_run)
			im->b_imported++;
		else {
			count_row(im, rows[i], &res[j], &errs[j]);
			j++;
		}
	}
}

/* Writes the rows of one batch as the reader hands them over, a chunk at a time, until
 * batch_rows rows, the end (*more false), a failure or a lock conflict. *first gets the
 * batch's first row (kind ROW_END when it had none). */
static void
write_rows(importer *im, size_t batch_rows, prepared_row *first, bool *more)
{
	*more = true;
	first->kind = ROW_END;
	while (im->batch_n < batch_rows && !im->failed && !im->busy) {
		prepared_row *rows[CHUNK_ROWS];
		size_t want = batch_rows - im->batch_n < CHUNK_ROWS ? batch_rows - im->batch_n : CHUNK_ROWS;
		size_t n = queue_take(im->queue, want, rows);
		size_t data = 0; /* rows before an end */
		while (data < n && rows[data]->kind != ROW_END && rows[data]->kind != ROW_FAILED)
			data++;
		if (data > 0) {
			if (im->batch_n == 0)
				*first = (prepared_row){.kind = rows[0]->kind, .row = rows[0]->row, .start = rows[0]->start};
			write_chunk(im, rows, data);
			int64_t before = im->out->rows;
			im->batch_n += data;
			im->out->rows += (int64_t)data;
			if (im->opt.progress && before / PROGRESS_EVERY != im->out->rows / PROGRESS_EVERY)
				im->opt.progress(im->out->rows, (int64_t)rows[data - 1]->end, (int64_t)im->len,
				                 im->opt.progress_arg);
		}
		if (data < n) {
			if (rows[data]->kind == ROW_FAILED) {
				*im->err = im->read_err;
				im->failed = true;
			}
			*more = false;
			queue_done_n(im->queue, data + 1);
			break;
		}
		queue_done_n(im->queue, n);
	}
}

static bool
write_audit(importer *im)
{
	char target[40], detail[200];
	snprintf(target, sizeof target, "company:%" PRId64, im->company_id);
	snprintf(detail, sizeof detail,
	         "{\"rows\":%zu,\"imported\":%" PRId64 ",\"already_there\":%" PRId64
	         ",\"rejected\":%" PRId64 "}",
	         im->batch_n, im->b_imported, im->b_already, im->b_rejected);
	return jz_svc_audit(im->ctx, "worker.import", target, detail, im->err);
}

/* Writes up to batch_rows data rows inside one transaction. Returns false when the import
 * stops (failure set) or the input is finished (*more false). */
static bool
run_batch(importer *im, bool *more)
{
	size_t batch_rows = im->opt.batch_rows ? im->opt.batch_rows : JZ_IMPORT_BATCH_ROWS;
	jz_import_result start_out = *im->out;
	for (int attempt = 0;; attempt++) {
		im->busy = false;
		im->batch_n = im->n_touched = 0;
		im->b_imported = im->b_already = im->b_rejected = 0;
		prepared_row first = {.kind = ROW_END};
		jz_db_status s = JZ_DB_OK;
		if (!im->dry_run)
			s = jz_db_begin(im->ctx->db);
		if (s == JZ_DB_OK && !im->dry_run)
			s = begin_batch(im);
		if (s == JZ_DB_OK) {
			write_rows(im, batch_rows, &first, more);
			im->out->imported += im->b_imported;
			im->out->already_there += im->b_already;
			im->out->rejected += im->b_rejected;
			if (im->dry_run || im->failed) {
				drop_notes(im, !im->failed);
				return !im->failed && *more;
			}
			if (!im->busy) {
				if (im->batch_n == 0) {
					jz_db_rollback(im->ctx->db);
					return false;
				}
				if (!end_batch(im) || !write_audit(im)) {
					im->busy = im->err->code == JZ_E_UNAVAILABLE;
					im->failed = !im->busy;
				}
			}
			if (!im->busy && !im->failed) {
				s = jz_db_commit(im->ctx->db);
				if (s == JZ_DB_OK) {
					drop_notes(im, true);
					return *more;
				}
			}
			jz_db_rollback(im->ctx->db);
		}
		/* The batch is undone: forget its rows and rejects, then retry or give up. */
		drop_notes(im, false);
		*im->out = start_out;
		if (jz_db_outage(im->ctx->db)) {
			/* Retrying cannot free the disk or bring the server back: stop, and say so. */
			jz_err_set(im->err, JZ_E_UNAVAILABLE, NULL,
			           "数据库无法写入（磁盘已满、读写错误或连接中断），本批未写入；恢复后重新导入即可",
			           "the database cannot be written (disk full, I/O error or lost connection); "
			           "this batch was not written: run the import again once it is back");
			im->failed = true;
			return false;
		}
		if (im->failed)
			return false;
		if (!(s == JZ_DB_BUSY || im->busy) || attempt + 1 == MAX_ATTEMPTS) {
			if (s != JZ_DB_OK && s != JZ_DB_BUSY)
				jz_svc_db_failed(s, im->err);
			else
				jz_err_set(im->err, JZ_E_UNAVAILABLE, NULL, NULL, NULL);
			jz_log_error("import: batch at row %" PRId64 " failed",
			             first.kind != ROW_END ? first.row : im->out->rows + 2);
			im->failed = true;
			return false;
		}
		usleep(20000u << attempt);
		/* Rows taken are read again, from the batch's first one. */
		if (first.kind != ROW_END) {
			stop_reading(im);
			if (!start_reading(im, first.start, first.row - 1))
				return false;
		}
	}
}

/* The company's county, for the dashboards' counts of the new persons; left empty when
 * the company cannot be read (batch_end then looks every new worker up itself). */
static void
company_county(importer *im)
{
	jz_company c;
	if (im->dry_run || jz_store_company_get(im->ctx->db, im->company_id, &c) != JZ_DB_OK)
		return;
	snprintf(im->county, sizeof im->county, "%s", c.county ? c.county : "");
	jz_company_clear(&c);
}

bool
jz_svc_import_workers(const jz_ctx *ctx, int64_t company_id, const char *data, size_t len,
                      const jz_import_options *opt, jz_import_reject_fn reject, void *arg,
                      jz_import_result *out, jz_err *err)
{
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	if (ctx->user && ctx->user->company_id != company_id)
		return jz_err_set(err, JZ_E_FORBIDDEN, NULL, NULL, NULL);
	importer im = {
	    .ctx = ctx,
	    .company_id = company_id,
	    .reject = reject,
	    .reject_arg = arg,
	    .out = out,
	    .err = err,
	};
	if (opt)
		im.opt = *opt;
	im.dry_run = im.opt.dry_run;
	if (!im.dry_run && !ctx->keys)
		return jz_err_set(err, JZ_E_INTERNAL, NULL, NULL, "import: no keys");
	/* The local date, as the worker service dates employments. */
	jz_date_of(ctx->now, im.today);
	company_county(&im);

	char *owned = NULL;
	if (!decode(data, len, &im.text, &im.len, &owned, err))
		return false;

	csv_init(&im.rd.p, CSV_OPTIONS);
	im.rd.at_boundary = true;
	bool ok = false;
	while (!im.header_done && !im.failed)
		if (!feed_line(&im, &im.rd))
			break;
	if (!im.header_done && !im.failed)
		refuse(&im, JZ_E_MISSING_FIELD, NULL, "文件是空的，没有表头",
		       "the file is empty: no header row");
	if (!im.failed && start_reading(&im, im.pos, im.row)) {
		bool more = true;
		if (!im.dry_run)
			jz_db_bulk(ctx->db, true);
		while (run_batch(&im, &more) && more)
			;
		if (!im.dry_run)
			jz_db_bulk(ctx->db, false);
		ok = !im.failed;
	}
	stop_reading(&im);
	if (im.opt.progress)
		im.opt.progress(out->rows, (int64_t)im.pos, (int64_t)im.len, im.opt.progress_arg);

	drop_notes(&im, false);
	free(im.notes);
	free(im.touched);
	for (size_t c = 0; c < im.ncols; c++)
		free(im.col_name[c]);
	free(im.rec);
	csv_free(&im.rd.p);
	free(owned);
	return ok;
}
