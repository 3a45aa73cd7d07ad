/* Credit record categories, severities and repair periods. */
#include "core/credit.h"

#include <string.h>

static const jz_credit_category categories[] = {
	{"award", false, "表彰奖励", "Award", NULL},
	{"competition", false, "技能竞赛获奖", "Skills competition prize", NULL},
	{"training", false, "完成培训", "Training completed", NULL},
	{"model_worker", false, "劳动模范 / 优秀家政服务员", "Model worker", NULL},
	{"theft", true, "盗窃", "Theft", "grave"},
	{"fraud", true, "诈骗", "Fraud", "serious"},
	{"abuse", true, "虐待或暴力", "Abuse or violence", "grave"},
	{"breach", true, "违约", "Breach of contract", "minor"},
	{"false_info", true, "提供虚假信息", "False information", "minor"},
	{"misconduct", true, "其他失信行为", "Other misconduct", "minor"},
};

size_t
jz_credit_category_count(void)
{
	return sizeof categories / sizeof categories[0];
}

const jz_credit_category *
jz_credit_category_at(size_t i)
{
	return i < jz_credit_category_count() ? &categories[i] : NULL;
}

const jz_credit_category *
jz_credit_category_find(const char *code)
{
	for (size_t i = 0; code && i < jz_credit_category_count(); i++)
		if (!strcmp(code, categories[i].code))
			return &categories[i];
	return NULL;
}

static const char *const severity_names[] = {"minor", "serious", "grave"};

int
jz_severity_parse(const char *name)
{
	for (int i = 0; name && i < 3; i++)
		if (!strcmp(name, severity_names[i]))
			return i;
	return -1;
}

const char *
jz_severity_name(jz_severity s)
{
	return severity_names[s];
}

const char *
jz_severity_label(jz_severity s, bool english)
{
	static const char *const zh[] = {"轻微", "较重", "严重"};
	static const char *const en[] = {"minor", "serious", "grave"};
	return english ? en[s] : zh[s];
}

int
jz_severity_days(jz_severity s)
{
	/* One, three and five years: the repair periods of docs/credit-model.md. */
	static const int days[] = {365, 3 * 365, 5 * 365};
	return days[s];
}

const char *
jz_credit_status_label(const char *status, bool english)
{
	static const struct {
		const char *status, *zh, *en;
	} labels[] = {
		{"reported", "待核实", "reported"},   {"dismissed", "未予认定", "dismissed"},
		{"published", "已认定公示", "published"}, {"revoked", "已撤销", "revoked"},
		{"expired", "已修复（期满）", "expired (repaired)"},
		{"pending", "处理中", "pending"},     {"upheld", "异议成立", "upheld"},
		{"rejected", "异议不成立", "rejected"},
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(status, labels[i].status))
			return english ? labels[i].en : labels[i].zh;
	return status;
}
