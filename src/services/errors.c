/* The error registry, generated from errors.def. */
#include "services/errors.h"

#include <string.h>

#include "core/text.h"

typedef struct registry_row {
	int status;
	const char *code, *zh, *en;
} registry_row;

static const registry_row registry[] = {
#define JZ_ERR(id, status, code, zh, en) {status, code, zh, en},
#include "services/errors.def"
#undef JZ_ERR
};

bool
jz_err_set(jz_err *e, jz_err_code code, const char *field, const char *detail_zh,
           const char *detail_en)
{
	e->code = code;
	/* Whole characters of valid UTF-8 only: the texts go into JSON replies, and jansson
	 * refuses a string that is not (a field named by a client, a detail cut short). */
	jz_text_copy(e->field, sizeof e->field, field ? field : "");
	jz_text_copy(e->detail_zh, sizeof e->detail_zh, detail_zh ? detail_zh : "");
	jz_text_copy(e->detail_en, sizeof e->detail_en, detail_en ? detail_en : "");
	return false;
}

int
jz_err_http_status(jz_err_code code)
{
	return registry[code].status;
}

const char *
jz_err_code_name(jz_err_code code)
{
	return registry[code].code;
}

const char *
jz_err_message(jz_err_code code, bool english)
{
	return english ? registry[code].en : registry[code].zh;
}

json_t *
jz_err_json(const jz_err *e, bool english)
{
	json_t *o = json_pack("{s:s, s:s}", "code", jz_err_code_name(e->code), "message",
	                      jz_err_message(e->code, english));
	if (*e->field)
		json_object_set_new(o, "field", json_string(e->field));
	const char *detail = english ? e->detail_en : e->detail_zh;
	if (!*detail)
		detail = e->detail_en;
	if (*detail)
		json_object_set_new(o, "detail", json_string(detail));
	return o;
}
