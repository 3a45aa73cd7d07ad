/* JSON and label helpers shared by the handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "core/text.h"
#include "handlers/handlers.h"
#include "pages/html.h"

const char *
jz_region_label(const char *code, char *out, size_t size)
{
	const jz_region *r = jz_region_find(code);
	if (!r) {
		snprintf(out, size, "%s", "");
		return out;
	}
	const jz_region *pref = *r->prefecture ? jz_region_find(r->prefecture) : NULL;
	const jz_region *prov = jz_region_find(r->province);
	if (r->level == JZ_REGION_COUNTY)
		snprintf(out, size, "%s%s%s", prov ? prov->name : "", pref ? pref->name : "", r->name);
	else
		snprintf(out, size, "%s", r->name);
	return out;
}

static json_t *
service_types_json(const char *joined)
{
	json_t *a = json_array();
	const char *p = joined;
	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		json_array_append_new(a, json_stringn(p, n));
		p = bar ? bar + 1 : NULL;
	}
	return a;
}

json_t *
jz_company_json(const jz_company *c, bool full)
{
	char label[160];
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "uscc", c->uscc, "name", c->name,
	                      "county", c->county, "county_name",
	                      jz_region_label(c->county, label, sizeof label), "service_types",
	                      service_types_json(c->service_types), "status", c->status);
	/* A company's registered particulars are public business information. */
	json_object_set_new(o, "legal_rep", json_string(c->legal_rep));
	json_object_set_new(o, "address", json_string(c->address));
	json_object_set_new(o, "phone", json_string(c->phone));
	if (!full)
		return o;
	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "commitment_by", json_string(c->commitment_by));
	json_object_set_new(o, "commitment_at", json_integer(c->commitment_at));
	json_object_set_new(o, "status_reason", json_string(c->status_reason));
	json_object_set_new(o, "created_at", json_integer(c->created_at));
	if (c->decided_at)
		json_object_set_new(o, "decided_at", json_integer(c->decided_at));
	return o;
}

void
jz_h_service_names(jz_buf *b, jz_req *req, const char *joined)
{
	const char *p = joined;
	while (p && *p) {
		const char *bar = strchr(p, '|');
		char code[64];
		snprintf(code, sizeof code, "%.*s", (int)(bar ? bar - p : (long)strlen(p)), p);
		const jz_service_type *t = jz_service_type_find(code);
		jz_html(b, "%s%r", t ? L(req, t->zh, t->en) : code, bar ? "、" : "");
		p = bar ? bar + 1 : NULL;
	}
}


enum MHD_Result
jz_h_page_error(jz_req *req)
{
	if (req->err.code == JZ_E_UNAUTHENTICATED)
		return jz_reply_redirect(req, "/login");
	return jz_reply_error(req, &req->err);
}


bool
jz_h_company_form(jz_req *req, enum MHD_Result *reply)
{
	if (req->signed_in && req->user.company_id)
		return true;
	if (!req->signed_in) {
		*reply = jz_reply_redirect(req, "/login");
		return false;
	}
	req->err = (jz_err){.code = JZ_E_FORBIDDEN};
	*reply = jz_h_page_error(req);
	return false;
}

int64_t
jz_h_path_id(const jz_req *req)
{
	const char *s = req->args[0];
	if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return 0;
	return strtoll(s, NULL, 10);
}

bool
jz_h_json_strings(jz_req *req, const char *name, const char **out, size_t max, size_t *n)
{
	json_t *a = json_object_get(req->json, name), *v;
	size_t i;
	*n = 0;
	if (!a)
		return true;
	if (!json_is_array(a) || json_array_size(a) > max)
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, name, "应为字符串数组", "must be an array of strings");
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v))
			return jz_err_set(&req->err, JZ_E_INVALID_FIELD, name, "应为字符串数组", "must be an array of strings");
		out[(*n)++] = json_string_value(v);
	}
	return true;
}
