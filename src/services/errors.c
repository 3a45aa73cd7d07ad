/* The error registry, generated from errors.def. */
#include "services/errors.h"

#include <stdio.h>
#include <string.h>

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
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	snprintf(e->detail_zh, sizeof e->detail_zh, "%s", detail_zh ? detail_zh : "");
	snprintf(e->detail_en, sizeof e->detail_en, "%s", detail_en ? detail_en : "");
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
