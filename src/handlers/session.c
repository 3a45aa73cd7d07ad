/* Signing in and out, on pages and through the API. */
#include <string.h>

#include "handlers/handlers.h"
#include "pages/html.h"
#include "services/accounts.h"

static enum MHD_Result
login_page(jz_req *req, unsigned status, const jz_err *err)
{
	jz_buf b = JZ_BUF_INIT;
	jz_page_open(&b, req, L(req, "登录", "Sign in"));
	if (err)
		jz_page_err_box(&b, req, err);
	jz_html(&b, "<form method=\"post\" action=\"/login\">");
	jz_page_csrf(&b, req);
	const char *username = jz_req_param(req, "username");
	jz_html(&b, "<label for=\"username\">%r</label><input type=\"text\" id=\"username\" name=\"username\" "
	            "autocomplete=\"username\" value=\"%s\"><label for=\"password\">%r</label>"
	            "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">"
	            "<p><input type=\"submit\" value=\"%r\"></p></form><p class=\"hint\">%r</p>",
	        L(req, "用户名（企业管理员为统一社会信用代码）", "Username (company admins: the credit code)"),
	        username ? username : "", L(req, "密码", "Password"), L(req, "登录", "Sign in"),
	        L(req, "连续输错密码5次，账号将锁定15分钟。", "After 5 wrong passwords the account is locked for 15 minutes."));
	jz_page_close(&b, req);
	return jz_reply_html(req, status, &b);
}

enum MHD_Result
jz_h_login_form(jz_req *req)
{
	if (req->signed_in)
		return jz_reply_redirect(req, "/me");
	return login_page(req, MHD_HTTP_OK, NULL);
}

enum MHD_Result
jz_h_login_submit(jz_req *req)
{
	char token[JZ_TOKEN_SIZE];
	jz_user user = {0};
	if (!jz_svc_login(&req->ctx, jz_req_param(req, "username"), jz_req_param(req, "password"),
	                  req->address, token, &user, &req->err))
		return login_page(req, (unsigned)jz_err_http_status(req->err.code), &req->err);
	jz_user_clear(&user);
	jz_req_set_cookie(req, "jz_session", token, JZ_SESSION_TTL);
	return jz_reply_redirect(req, "/me");
}

enum MHD_Result
jz_h_logout(jz_req *req)
{
	if (req->signed_in && !jz_svc_logout(&req->ctx, req->session_token, &req->err))
		return jz_reply_error(req, &req->err);
	jz_req_set_cookie(req, "jz_session", "", 0);
	return jz_reply_redirect(req, "/");
}

static json_t *
user_json(const jz_user *u)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "username", u->username, "role", u->role,
	                      "display_name", u->display_name);
	if (u->region)
		json_object_set_new(o, "region", json_string(u->region));
	if (u->company_id)
		json_object_set_new(o, "company_id", json_integer(u->company_id));
	return o;
}

enum MHD_Result
jz_h_api_login(jz_req *req)
{
	const char *username, *password;
	char token[JZ_TOKEN_SIZE];
	jz_user user = {0};
	if (!jz_req_json_string(req, "username", &username) ||
	    !jz_req_json_string(req, "password", &password) ||
	    !jz_svc_login(&req->ctx, username, password, req->address, token, &user, &req->err))
		return jz_reply_error(req, &req->err);
	jz_req_set_cookie(req, "jz_session", token, JZ_SESSION_TTL);
	json_t *o = json_pack("{s:s, s:i, s:o}", "token", token, "expires_in", JZ_SESSION_TTL, "user",
	                      user_json(&user));
	jz_user_clear(&user);
	return jz_reply_json(req, MHD_HTTP_OK, o);
}

enum MHD_Result
jz_h_api_logout(jz_req *req)
{
	if (!req->signed_in)
		return jz_reply_code(req, JZ_E_UNAUTHENTICATED);
	if (!jz_svc_logout(&req->ctx, req->session_token, &req->err))
		return jz_reply_error(req, &req->err);
	jz_req_set_cookie(req, "jz_session", "", 0);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:b}", "signed_out", 1));
}

enum MHD_Result
jz_h_api_me(jz_req *req)
{
	if (!req->signed_in)
		return jz_reply_code(req, JZ_E_UNAUTHENTICATED);
	return jz_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "user", user_json(&req->user)));
}
