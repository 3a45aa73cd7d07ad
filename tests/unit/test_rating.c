/* Unit tests: the company rating rules (src/core/rating.c, docs/credit-model.md); the
 * examples are the ones the document shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>

#include "core/rating.h"

static jz_rating
rate(jz_rating_input in)
{
	jz_rating r;
	jz_rating_compute(&in, &r);
	return r;
}

static bool
near(double a, double b)
{
	return fabs(a - b) < 0.05;
}

/* The document's example company: 100 workers, 90 carded, 80 ready, 70 checked in,
 * 20 reviews averaging 4.5. */
static jz_rating_input
example(void)
{
	return (jz_rating_input){.active = true, .employed = 100, .carded = 90, .ready = 80,
	                         .checked_in = 70, .reviews = 20, .review_sum = 90.0};
}

static void
a_new_company_starts_at_c(void **state)
{
	(void)state;
	jz_rating r = rate((jz_rating_input){.active = true});
	assert_true(r.few_workers);
	assert_false(r.item[JZ_CRIT_CARDS].applies);
	assert_true(near(r.item[JZ_CRIT_REVIEWS].points, 15.0));
	assert_true(near(r.score, 50.0));
	assert_int_equal(r.grade, 'C');
}

static void
shares_and_reviews_add_up(void **state)
{
	(void)state;
	jz_rating r = rate(example());
	assert_false(r.few_workers);
	assert_true(near(r.item[JZ_CRIT_CARDS].points, 18.0));
	assert_true(near(r.item[JZ_CRIT_READY].points, 24.0));
	assert_true(near(r.item[JZ_CRIT_CHECKINS].points, 14.0));
	assert_true(near(r.item[JZ_CRIT_REVIEWS].value, 4.2));
	assert_true(near(r.item[JZ_CRIT_REVIEWS].points, 24.0));
	assert_true(near(r.score, 80.0));
	assert_int_equal(r.grade, 'B');
}

static void
a_model_designation_lifts_to_a(void **state)
{
	(void)state;
	jz_rating_input in = example();
	in.model = 1;
	jz_rating r = rate(in);
	assert_true(near(r.item[JZ_CRIT_DESIGNATIONS].points, 10.0));
	assert_true(near(r.score, 90.0));
	assert_int_equal(r.grade, 'A');
	in.benchmark = 2; /* two benchmark years count once: +5 */
	assert_true(near(rate(in).item[JZ_CRIT_DESIGNATIONS].points, 15.0));
	assert_true(near(rate(in).score, 95.0));
}

static void
records_about_the_company_subtract_and_a_grave_one_is_d(void **state)
{
	(void)state;
	jz_rating_input in = example();
	in.company_negative[1] = 1; /* serious */
	jz_rating r = rate(in);
	assert_true(near(r.item[JZ_CRIT_COMPANY_RECORDS].points, -25.0));
	assert_true(near(r.score, 55.0));
	assert_int_equal(r.grade, 'C');
	in = example();
	in.model = 1;
	in.company_negative[2] = 1; /* grave */
	r = rate(in);
	assert_true(r.grave);
	assert_int_equal(r.grade, 'D');
}

static void
records_about_workers_are_capped(void **state)
{
	(void)state;
	jz_rating_input in = example();
	in.worker_negative = 2;
	jz_rating r = rate(in);
	assert_true(near(r.item[JZ_CRIT_WORKER_RECORDS].points, -6.0));
	assert_int_equal(r.grade, 'B');
	in.worker_negative = 10;
	r = rate(in);
	assert_true(near(r.item[JZ_CRIT_WORKER_RECORDS].points, -15.0));
	assert_true(near(r.score, 65.0));
	assert_int_equal(r.grade, 'C');
}

static void
few_workers_are_rated_on_what_they_have(void **state)
{
	(void)state;
	jz_rating_input in = {.active = true, .employed = 3, .carded = 0, .reviews = 10, .review_sum = 50.0};
	jz_rating r = rate(in);
	assert_true(r.few_workers);
	assert_true(near(r.item[JZ_CRIT_REVIEWS].points, 25.0));
	assert_true(near(r.score, 83.3)); /* 25 of 30, scaled to 100 */
	assert_int_equal(r.grade, 'B');
	in.benchmark = 1;
	assert_int_equal(rate(in).grade, 'A');
}

static void
suspended_or_revoked_is_d_and_scores_stay_in_bounds(void **state)
{
	(void)state;
	jz_rating_input in = example();
	in.active = false;
	jz_rating r = rate(in);
	assert_true(r.inactive);
	assert_int_equal(r.grade, 'D');
	in = example();
	in.company_negative[0] = 20;
	r = rate(in);
	assert_true(r.score == 0.0);
	in = (jz_rating_input){.active = true, .employed = 50, .carded = 80, .ready = 50, .checked_in = 50,
	                       .reviews = 100, .review_sum = 900.0, .model = 1, .benchmark = 1};
	r = rate(in); /* impossible counts are clamped */
	assert_true(r.item[JZ_CRIT_CARDS].value == 1.0);
	assert_true(r.item[JZ_CRIT_REVIEWS].value <= 5.0);
	assert_true(r.score == 100.0);
	assert_int_equal(r.grade, 'A');
}

static void
thresholds(void **state)
{
	(void)state;
	/* A perfect record without reviews: 20 + 30 + 20 + 15 = 85, just an A. */
	jz_rating_input in = {.active = true, .employed = 10, .carded = 10, .ready = 10, .checked_in = 10};
	jz_rating r = rate(in);
	assert_true(near(r.score, 85.0));
	assert_int_equal(r.grade, 'A');
	in.checked_in = 9; /* 18 points: 83 */
	assert_int_equal(rate(in).grade, 'B');
	in = (jz_rating_input){.active = true, .employed = 10};
	r = rate(in); /* nobody carded, ready or checked in: 15 of 100 */
	assert_true(near(r.score, 15.0));
	assert_int_equal(r.grade, 'D');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_new_company_starts_at_c),
	    cmocka_unit_test(shares_and_reviews_add_up),
	    cmocka_unit_test(a_model_designation_lifts_to_a),
	    cmocka_unit_test(records_about_the_company_subtract_and_a_grave_one_is_d),
	    cmocka_unit_test(records_about_workers_are_capped),
	    cmocka_unit_test(few_workers_are_rated_on_what_they_have),
	    cmocka_unit_test(suspended_or_revoked_is_d_and_scores_stay_in_bounds),
	    cmocka_unit_test(thresholds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
