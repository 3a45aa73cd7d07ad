/* The company rating rules; docs/credit-model.md explains each criterion and its weight. */
#include "core/rating.h"

#include <math.h>

#include "core/stars.h"

static const struct {
	const char *code, *zh, *en;
	double max;
} criteria[JZ_CRIT_COUNT] = {
	[JZ_CRIT_CARDS] = {"cards", "在职服务员持卡（诚信一卡通）比例", "Workers with a card", 20},
	[JZ_CRIT_READY] = {"ready", "在职服务员符合六无不上岗比例", "Workers duty-ready (六无不上岗)", 30},
	[JZ_CRIT_CHECKINS] = {"checkins", "本月或上月已打卡比例", "Workers checked in this month or last", 20},
	[JZ_CRIT_REVIEWS] = {"reviews", "消费者评价（贝叶斯平均）", "Consumer reviews (Bayesian average)", 30},
	[JZ_CRIT_DESIGNATIONS] = {"designations", "诚信示范企业 / 标杆企业", "Model / benchmark company", 0},
	[JZ_CRIT_COMPANY_RECORDS] = {"company_records", "企业自身的失信记录", "Negative records about the company", 0},
	[JZ_CRIT_WORKER_RECORDS] = {"worker_records", "在职服务员的失信记录", "Negative records about its workers", 0},
};

const char *
jz_rating_criterion_code(jz_rating_criterion c)
{
	return criteria[c].code;
}

const char *
jz_rating_criterion_name(jz_rating_criterion c, bool english)
{
	return english ? criteria[c].en : criteria[c].zh;
}

/* Points are rounded to a tenth so that the points shown add up to the score shown. */
static double
tenth(double v)
{
	return round(v * 10.0) / 10.0;
}

static double
share(int64_t part, int64_t whole)
{
	if (whole <= 0 || part <= 0)
		return 0.0;
	return part >= whole ? 1.0 : (double)part / (double)whole;
}

static void
set_share(jz_rating *out, jz_rating_criterion c, int64_t part, int64_t whole, bool applies)
{
	jz_rating_item *it = &out->item[c];
	it->applies = applies;
	it->value = share(part, whole);
	it->max = criteria[c].max;
	it->points = applies ? tenth(it->value * it->max) : 0.0;
}

static void
set_reviews(jz_rating *out, const jz_rating_input *in)
{
	/* The same Bayesian average as a worker's stars: five imaginary reviews of 3.0. */
	int64_t n = in->reviews > 0 ? in->reviews : 0;
	double sum = in->review_sum < n * 1.0 ? n * 1.0 : in->review_sum > n * 5.0 ? n * 5.0 : in->review_sum;
	double avg = (JZ_STARS_PRIOR_WEIGHT * JZ_STARS_PRIOR_MEAN + sum) / (double)(JZ_STARS_PRIOR_WEIGHT + n);
	jz_rating_item *it = &out->item[JZ_CRIT_REVIEWS];
	it->applies = true;
	it->value = avg;
	it->max = criteria[JZ_CRIT_REVIEWS].max;
	it->points = tenth((avg - 1.0) / 4.0 * it->max);
}

static void
set_penalties(jz_rating *out, const jz_rating_input *in)
{
	jz_rating_item *d = &out->item[JZ_CRIT_DESIGNATIONS];
	d->applies = true;
	d->value = (double)((in->model > 0) + (in->benchmark > 0));
	d->points = (in->model > 0 ? 10.0 : 0.0) + (in->benchmark > 0 ? 5.0 : 0.0);

	jz_rating_item *c = &out->item[JZ_CRIT_COMPANY_RECORDS];
	c->applies = true;
	c->value = (double)(in->company_negative[0] + in->company_negative[1] + in->company_negative[2]);
	c->points = -(10.0 * (double)in->company_negative[0] + 25.0 * (double)in->company_negative[1]);

	/* Capped, so that one large company is not sunk by the sheer number of its workers. */
	jz_rating_item *w = &out->item[JZ_CRIT_WORKER_RECORDS];
	w->applies = true;
	w->value = (double)in->worker_negative;
	double wp = 3.0 * (double)in->worker_negative;
	w->points = -(wp > 15.0 ? 15.0 : wp);
}

static char
grade_of(double score)
{
	return score >= JZ_RATING_A ? 'A' : score >= JZ_RATING_B ? 'B' : score >= JZ_RATING_C ? 'C' : 'D';
}

void
jz_rating_compute(const jz_rating_input *in, jz_rating *out)
{
	*out = (jz_rating){0};
	out->few_workers = in->employed < JZ_RATING_MIN_WORKERS;
	bool workers = !out->few_workers;
	set_share(out, JZ_CRIT_CARDS, in->carded, in->employed, workers);
	set_share(out, JZ_CRIT_READY, in->ready, in->employed, workers);
	set_share(out, JZ_CRIT_CHECKINS, in->checked_in, in->employed, workers);
	set_reviews(out, in);
	set_penalties(out, in);

	/* The criteria that apply, scaled to 100: a company with few workers is rated on its
	 * reviews alone rather than on shares of almost nobody. */
	double earned = 0, possible = 0, adjust = 0;
	for (int c = JZ_CRIT_CARDS; c <= JZ_CRIT_REVIEWS; c++) {
		if (!out->item[c].applies)
			continue;
		earned += out->item[c].points;
		possible += out->item[c].max;
	}
	for (int c = JZ_CRIT_DESIGNATIONS; c < JZ_CRIT_COUNT; c++)
		adjust += out->item[c].points;
	out->base = tenth(possible > 0 ? earned * 100.0 / possible : 0.0);
	double score = out->base + adjust;
	out->score = tenth(score < 0 ? 0 : score > 100 ? 100 : score);
	out->grave = in->company_negative[2] > 0;
	out->inactive = !in->active;
	out->grade = out->grave || out->inactive ? 'D' : grade_of(out->score);
}
