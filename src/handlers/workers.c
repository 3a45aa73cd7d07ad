/* Workers as companies, associations and regulators see them: enrolment (form and API),
 * the record at the viewer's tier, the employer's actions, and the readiness list
 * (六无不上岗). The tiers themselves are decided in src/services/worker_views.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regions.h"
#include "core/text.h"
#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/checkins.h"
#include "services/reviews.h"
#include "services/workers.h"


/* ---- JSON ---- */

static bool
credential_item(const jz_credential *c, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", c->kind, "number", c->number,
	                                     "issuer", c->issuer, "issued", c->issued, "expires", c->expires));
	return true;
}

static bool
employment_item(const jz_employment *e, void *arg)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "company", e->company_name, "uscc", e->company_uscc,
	                      "started", e->started);
	json_object_set_new(o, "ended", e->ended ? json_string(e->ended) : json_null());
	if (*e->notes)
		json_object_set_new(o, "notes", json_string(e->notes));
	json_array_append_new(arg, o);
	return true;
}

static bool
checkin_item(const jz_checkin *c, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s}", "month", c->month, "method", c->method,
	                                     "assurance", c->assurance));
	return true;
}

static json_t *
readiness_json(const jz_readiness *r)
{
	static const char *const keys[] = {"insurance", "credit", "uniform", "work_permit", "health", "toolkit"};
	static const char *const states[] = {"ok", "expiring", "missing", "expired"};
	json_t *items = json_object();
	for (int i = 0; i < JZ_ITEM_COUNT; i++) {
		json_t *o = json_pack("{s:s}", "state", states[r->state[i]]);
		if (r->expires[i])
			json_object_set_new(o, "expires", json_string(r->expires[i]));
		json_object_set_new(items, keys[i], o);
	}
	return json_pack("{s:b, s:b, s:o}", "ready", r->ready, "expiring", r->expiring, "items", items);
}

static const char *
tier_code(jz_tier t)
{
	switch (t) {
	case JZ_TIER_COMPANY: return "company";
	case JZ_TIER_EMPLOYER: return "employer";
	case JZ_TIER_OFFICIAL: return "official";
	case JZ_TIER_SELF: return "self";
	}
	return "";
}

/* The record as the viewer's tier allows; NULL with req->err set on a database error. */
static json_t *
view_json(jz_req *req, const jz_worker_view *v)
{
	const jz_worker *w = &v->worker;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:{s:s, s:I}, s:{s:s, s:I, s:s}, s:{s:s, s:I}, s:o}",
	                      "id", (json_int_t)w->id, "tier", tier_code(v->tier), "name", w->name, "sex",
	                      w->female ? "F" : "M", "age", v->age, "native_region", w->native_region,
	                      "service_types", w->service_types, "identity", "method", w->id_check_method, "at",
	                      (json_int_t)w->id_check_at, "background", "status", w->bg_status, "at",
	                      (json_int_t)w->bg_at, "source", w->bg_source, "consent", "method",
	                      w->consent_method, "at", (json_int_t)w->consent_at, "readiness",
	                      readiness_json(&v->readiness));
	json_object_set_new(o, "masked_id", json_string(v->masked_id));
	if (v->id_number) {
		json_object_set_new(o, "id_number", json_string(v->id_number));
		json_object_set_new(o, "birth_date", json_string(w->birth_date));
		json_object_set_new(o, "phone", v->phone ? json_string(v->phone) : json_null());
	}
	json_t *creds = json_array(), *jobs = json_array();
	json_object_set_new(o, "credentials", creds);
	json_object_set_new(o, "employments", jobs);
	json_t *checkins = json_array();
	json_object_set_new(o, "checkins", checkins);
	bool active;
	char last[8];
	if (!jz_svc_worker_each_credential(&req->ctx, v, credential_item, creds, &req->err) ||
	    !jz_svc_worker_each_employment(&req->ctx, v, employment_item, jobs, &req->err) ||
	    !jz_svc_worker_each_checkin(&req->ctx, w->id, checkin_item, checkins, &req->err) ||
	    !jz_svc_worker_active(&req->ctx, w->id, &active, last, &req->err)) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "active", json_boolean(active));
	jz_stars st;
	int64_t reviews;
	if (!jz_svc_worker_stars_of(&req->ctx, w, &v->facts, &st, &reviews, &req->err)) {
		json_decref(o);
		return NULL;
	}
	json_t *records = jz_h_worker_records_json(req, v);
	if (!records) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "credit_records", records);
	json_object_set_new(json_object_get(o, "background"), "confirmed", json_boolean(w->bg_confirmed_at != 0));
	json_object_set_new(o, "stars", json_pack("{s:f, s:f, s:I, s:f, s:f, s:f, s:f, s:b}", "stars", st.stars, "value",
	                                          st.value, "reviews", (json_int_t)reviews, "review_average",
	                                          st.review_part, "verification", st.verification, "tenure", st.tenure,
	                                          "penalty", st.penalty, "capped", st.capped));
	return o;
}

/* ---- input ---- */

bool
jz_h_worker_input_json(jz_req *req, jz_worker_input *in)
{
	memset(in, 0, sizeof *in);
	if (!jz_req_json_string(req, "name", &in->name) || !jz_req_json_string(req, "id_number", &in->id_number) ||
	    !jz_req_json_string(req, "phone", &in->phone) ||
	    !jz_req_json_string(req, "consent_date", &in->consent_date))
		return false;
	if (!jz_h_json_strings(req, "service_types", in->service_types, JZ_WORKER_TYPES, &in->n_service_types))
		return false;
	json_t *creds = json_object_get(req->json, "credentials");
	if (!creds)
		return true;
	if (!json_is_array(creds) || json_array_size(creds) > JZ_MAX_CREDENTIALS)
		return jz_err_set(&req->err, JZ_E_INVALID_FIELD, "credentials", "应为证书对象的数组",
		                  "must be an array of at most 8 credential objects");
	size_t i;
	json_t *c;
	json_array_foreach(creds, i, c)
	{
		jz_credential_input *ci = &in->credentials[in->n_credentials++];
		const char *key;
		json_t *value;
		if (!json_is_object(c))
			return jz_err_set(&req->err, JZ_E_INVALID_FIELD, "credentials", "应为证书对象的数组",
			                  "must be an array of credential objects");
		json_object_foreach(c, key, value)
		{
			const char **slot = !strcmp(key, "kind")      ? &ci->kind
			                    : !strcmp(key, "number")  ? &ci->number
			                    : !strcmp(key, "issuer")  ? &ci->issuer
			                    : !strcmp(key, "issued")  ? &ci->issued
			                    : !strcmp(key, "expires") ? &ci->expires
			                                              : NULL;
			if (!slot)
				return jz_err_set(&req->err, JZ_E_UNKNOWN_FIELD, key, NULL, NULL);
			if (!json_is_string(value) || strlen(json_string_value(value)) > 200)
				return jz_err_set(&req->err, JZ_E_INVALID_FIELD, key, "应为字符串", "must be a string");
			*slot = json_string_value(value);
		}
	}
	return true;
}

/* ---- API ---- */

enum MHD_Result
jz_h_api_worker_enroll(jz_req *req)
{
	jz_worker_input in;
	jz_enroll_result res;
	if (!jz_h_worker_input_json(req, &in) || !jz_svc_worker_enroll(&req->ctx, &in, &res, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, res.created_worker ? MHD_HTTP_CREATED : MHD_HTTP_OK,
	                     json_pack("{s:I, s:b, s:b, s:i}", "id", (json_int_t)res.worker_id, "new_person",
	                               res.created_worker, "new_employment", res.created_employment,
	                               "credentials_added", res.credentials_added));
}

enum MHD_Result
jz_h_api_worker_lookup(jz_req *req)
{
	const char *number;
	int64_t id;
	if (!jz_req_json_string(req, "id_number", &number) || !jz_svc_worker_lookup(&req->ctx, number, &id, &req->err))
		return jz_reply_error(req, &req->err);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I}", "id", (json_int_t)id));
}

enum MHD_Result
jz_h_api_worker_show(jz_req *req)
{
	jz_worker_view v;
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_svc_worker_open(&req->ctx, id, &v, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = view_json(req, &v);
	jz_worker_view_free(&v);
	return o ? jz_reply_json(req, MHD_HTTP_OK, o) : jz_reply_error(req, &req->err);
}

enum MHD_Result
jz_h_api_credit_check(jz_req *req)
{
	jz_worker_view v;
	const char *number, *code;
	if (!jz_req_json_string(req, "id_number", &number) || !jz_req_json_string(req, "share_code", &code) ||
	    !jz_svc_worker_credit_check(&req->ctx, number, code, &v, &req->err))
		return jz_reply_error(req, &req->err);
	json_t *o = view_json(req, &v);
	jz_worker_view_free(&v);
	return o ? jz_reply_json(req, MHD_HTTP_OK, o) : jz_reply_error(req, &req->err);
}

/* Runs one employer action named by the route's last path segment. */
bool
jz_h_employer_action(jz_req *req, int64_t id, const char *action, bool api, char code[16])
{
	const char *a = NULL, *b = NULL;
	jz_err *err = &req->err;
#define ARG(name, out) (api ? jz_req_json_string(req, name, out) : ((*(out) = jz_req_param(req, name)), true))
	if (!strcmp(action, "credentials")) {
		jz_credential_input c = {0};
		if (!ARG("kind", &c.kind) || !ARG("number", &c.number) || !ARG("issuer", &c.issuer) ||
		    !ARG("issued", &c.issued) || !ARG("expires", &c.expires))
			return false;
		return jz_svc_worker_add_credential(&req->ctx, id, &c, err);
	}
	if (!strcmp(action, "equipment"))
		return ARG("kind", &a) && ARG("issued", &b) && jz_svc_worker_issue_equipment(&req->ctx, id, a, b, err);
	if (!strcmp(action, "identity")) {
		if (!ARG("method", &a))
			return false;
		if (!api && !jz_req_param(req, "confirm"))
			return jz_err_set(err, JZ_E_MISSING_FIELD, "confirm", "请确认已当面核验身份证原件",
			                  "confirm that you checked the original ID card in person");
		return jz_svc_worker_verify_identity(&req->ctx, id, a ? a : "document", err);
	}
	if (!strcmp(action, "background"))
		return ARG("status", &a) && ARG("source", &b) && jz_svc_worker_set_background(&req->ctx, id, a, b, err);
	if (!strcmp(action, "consent"))
		return ARG("consent_date", &a) && jz_svc_worker_paper_consent(&req->ctx, id, a, err);
	if (!strcmp(action, "consent-code"))
		return jz_svc_worker_consent_code(&req->ctx, id, code, err);
	if (!strcmp(action, "notes"))
		return ARG("notes", &a) && jz_svc_worker_set_notes(&req->ctx, id, a, err);
	if (!strcmp(action, "end"))
		return ARG("ended", &a) && jz_svc_worker_end_employment(&req->ctx, id, a, err);
#undef ARG
	return jz_err_set(err, JZ_E_NOT_FOUND, NULL, NULL, NULL);
}

static const char *
last_segment(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

enum MHD_Result
jz_h_api_worker_action(jz_req *req)
{
	char code[16] = "";
	int64_t id = jz_h_path_id(req);
	if (!id)
		return jz_reply_code(req, JZ_E_NOT_FOUND);
	if (!jz_h_employer_action(req, id, last_segment(req->path), true, code))
		return jz_reply_error(req, &req->err);
	json_t *o = json_pack("{s:I, s:b}", "id", (json_int_t)id, "ok", 1);
	if (*code) {
		json_object_set_new(o, "code", json_string(code));
		json_object_set_new(o, "valid_days", json_integer(7));
	}
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

typedef struct list_ctx {
	jz_req *req;
	json_t *items;
	jz_buf *b;
} list_ctx;

static bool
readiness_item(const jz_worker *w, const jz_readiness *r, void *arg)
{
	list_ctx *lc = arg;
	json_array_append_new(lc->items, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)w->id, "name", w->name,
	                                           "readiness", readiness_json(r)));
	return true;
}

static enum MHD_Result
api_readiness(jz_req *req, bool only_problems)
{
	int limit, offset;
	int64_t total = 0;
	if (!jz_h_list_bounds(req, &limit, &offset))
		return jz_reply_error(req, &req->err);
	list_ctx lc = {req, json_array(), NULL};
	if (!jz_svc_company_readiness(&req->ctx, only_problems, limit, offset, readiness_item, &lc, &total, &req->err)) {
		json_decref(lc.items);
		return jz_reply_error(req, &req->err);
	}
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:I, s:o}", "total", (json_int_t)total, "items", lc.items));
}

enum MHD_Result
jz_h_api_company_workers(jz_req *req)
{
	return api_readiness(req, false);
}

enum MHD_Result
jz_h_api_company_readiness(jz_req *req)
{
	return api_readiness(req, true);
}
