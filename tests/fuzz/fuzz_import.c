/* Fuzz target: the CSV import of workers (src/services/import.c, jz_svc_import_workers)
 * as a dry run, which is the whole parser and validator without the database: encoding
 * detection (UTF-8 with or without BOM, GB18030 through iconv, UTF-16 refused), libcsv
 * with its strict quoting, the header, the record buffer, blank and malformed rows, and
 * each row through the worker service's validation (ID number, phone, dates,
 * certificates, service types).
 *
 * Input: the file. Invariants: every data row is counted once, as valid or rejected;
 * rejected rows come in order, once each, after the header (row 1); reasons and column
 * names are UTF-8 (they reach JSON and HTML) and never hold a run of 15 or more digits
 * (reasons never repeat an ID number); a refused file says why. */
#include "services/import.h"
#include "fuzz.h"

typedef struct seen {
	int64_t rejects, last_row;
} seen;

static void
on_reject(int64_t row, const char *column, const char *zh, const char *en, void *arg)
{
	seen *s = arg;
	FUZZ_CHECK(row > s->last_row && row >= 2, "row %lld after %lld", (long long)row,
	           (long long)s->last_row);
	s->last_row = row;
	s->rejects++;
	FUZZ_CHECK(!column || fuzz_utf8(column), "column name is not UTF-8");
	FUZZ_CHECK(zh && en && *zh && *en && fuzz_utf8(zh) && fuzz_utf8(en), "reason text");
	const char *texts[2] = {zh, en};
	for (int t = 0; t < 2; t++) {
		size_t run = 0;
		for (const char *p = texts[t]; *p; p++) {
			run = *p >= '0' && *p <= '9' ? run + 1 : 0;
			FUZZ_CHECK(run < 15, "a reason repeats a number: %s", texts[t]);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 2026-11-27 12:00 UTC: dates in the corpus stay valid. */
	jz_ctx ctx = {.actor = "cli", .now = 1795780800};
	jz_import_options opt = {.dry_run = true, .batch_rows = 3};
	jz_import_result out;
	jz_err err;
	seen s = {0, 1};
	/* An exact-size copy without a NUL after it: the import must respect len. */
	char *file = malloc(size ? size : 1);
	if (size)
		memcpy(file, data, size);
	bool ok = jz_svc_import_workers(&ctx, 1, file, size, &opt, on_reject, &s, &out, &err);
	if (ok) {
		FUZZ_CHECK(out.rows == out.imported + out.rejected, "rows %lld, valid %lld, rejected %lld",
		           (long long)out.rows, (long long)out.imported, (long long)out.rejected);
		FUZZ_CHECK(out.already_there == 0, "a dry run found rows already there");
		FUZZ_CHECK(out.rejected == s.rejects, "%lld rejects reported, %lld counted",
		           (long long)s.rejects, (long long)out.rejected);
	} else {
		FUZZ_CHECK(err.code != JZ_E_NONE && (err.detail_en[0] || err.detail_zh[0]), "refused without a reason");
		FUZZ_CHECK(fuzz_utf8(err.field) && fuzz_utf8(err.detail_zh) && fuzz_utf8(err.detail_en),
		           "refusal text is not UTF-8");
	}
	free(file);
	return 0;
}
