/* Errors reported by the services and the web layer, from the one registry in
 * errors.def. A jz_err carries the code, the field it concerns and a detail that says
 * what exactly was wrong, in Chinese and English. */
#ifndef JZ_SERVICES_ERRORS_H
#define JZ_SERVICES_ERRORS_H

#include <jansson.h>
#include <stdbool.h>

typedef enum {
#define JZ_ERR(id, status, code, zh, en) JZ_E_##id,
#include "services/errors.def"
#undef JZ_ERR
} jz_err_code;

typedef struct jz_err {
	jz_err_code code;
	char field[48];
	char detail_zh[256];
	char detail_en[256];
} jz_err;

/* Records an error: field may be NULL; details may be NULL (the registry message then
 * says it all). Returns false so a check can `return jz_err_set(...)`. */
bool jz_err_set(jz_err *e, jz_err_code code, const char *field, const char *detail_zh,
                const char *detail_en);
int jz_err_http_status(jz_err_code code);
const char *jz_err_code_name(jz_err_code code);
const char *jz_err_message(jz_err_code code, bool english);
/* The API's error object {"code", "message", "field", "detail"} in the language asked
 * for (the English detail when there is no Chinese one); field and detail only when set. */
json_t *jz_err_json(const jz_err *e, bool english);

#endif
