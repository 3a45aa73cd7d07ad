/* A check shared by the targets that meet errors: an error's texts are UTF-8 and it renders,
 * in both languages, as the API's JSON object with its field and detail. */
#ifndef JZ_TESTS_FUZZ_ERROR_CHECK_H
#define JZ_TESTS_FUZZ_ERROR_CHECK_H

#include <jansson.h>

#include "fuzz.h"
#include "services/errors.h"

static void
check_error(const jz_err *e)
{
	FUZZ_CHECK(fuzz_utf8(e->field) && fuzz_utf8(e->detail_zh) && fuzz_utf8(e->detail_en),
	           "error text is not UTF-8 (field %s)", e->field);
	for (int english = 0; english < 2; english++) {
		json_t *o = jz_err_json(e, english);
		FUZZ_CHECK(o != NULL, "no error object");
		FUZZ_CHECK(!*e->field || json_object_get(o, "field"), "field %s lost", e->field);
		FUZZ_CHECK(!(*e->detail_en || *e->detail_zh) || json_object_get(o, "detail"), "detail lost");
		char *text = json_dumps(o, JSON_COMPACT);
		FUZZ_CHECK(text != NULL, "error object does not serialise");
		free(text);
		json_decref(o);
	}
}

#endif
