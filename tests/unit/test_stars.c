/* Unit tests: the star formula (src/core/stars.c, docs/credit-model.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/stars.h"

static jz_stars
rate(jz_stars_input in)
{
	jz_stars s;
	jz_stars_compute(&in, &s);
	return s;
}

static void
no_reviews_is_the_prior(void **state)
{
	(void)state;
	jz_stars s = rate((jz_stars_input){0});
	assert_true(s.review_part == 3.0);
	assert_true(s.stars == 3.0);
}

static void
one_perfect_review_cannot_make_five_stars(void **state)
{
	(void)state;
	jz_stars_input in = {.reviews = 1, .review_sum = 5.0, .id_verified = true, .background_clear = true,
	                     .consented = true, .health_valid = true, .work_permit_valid = true, .tenure_months = 60};
	jz_stars s = rate(in);
	assert_true(s.review_part < 3.4);
	assert_true(s.stars < 5.0);
	assert_true(s.stars == 3.5); /* 3.333 + 0.3 + 0.2 = 3.83 → 3.5 */
}

static void
many_perfect_reviews_and_a_complete_record_reach_five(void **state)
{
	(void)state;
	jz_stars_input in = {.reviews = 60, .review_sum = 300.0, .id_verified = true, .background_clear = true,
	                     .consented = true, .health_valid = true, .work_permit_valid = true, .tenure_months = 36};
	jz_stars s = rate(in);
	assert_true(s.value == 5.0);
	assert_true(s.stars == 5.0);
}

static void
negative_records_subtract_and_a_grave_one_caps(void **state)
{
	(void)state;
	jz_stars_input in = {.reviews = 60, .review_sum = 270.0};
	double before = rate(in).value;
	in.negative[JZ_SEVERITY_SERIOUS] = 1;
	jz_stars s = rate(in);
	assert_true(before - s.value > 1.49 && before - s.value < 1.51);
	in.negative[JZ_SEVERITY_GRAVE] = 1;
	s = rate(in);
	assert_true(s.capped);
	assert_true(s.stars == 1.0);
}

static void
bounds_and_half_stars(void **state)
{
	(void)state;
	jz_stars_input in = {.reviews = 3, .review_sum = 3.0}; /* three one-star reviews */
	jz_stars s = rate(in);
	assert_true(s.value >= 1.0);
	assert_true(s.stars * 2 == (int)(s.stars * 2));
	in.review_sum = 99; /* impossible sums are clamped to the scale */
	s = rate(in);
	assert_true(s.review_part <= 5.0);
	in.negative[JZ_SEVERITY_MINOR] = 20;
	assert_true(rate(in).value == 1.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(no_reviews_is_the_prior),
	    cmocka_unit_test(one_perfect_review_cannot_make_five_stars),
	    cmocka_unit_test(many_perfect_reviews_and_a_complete_record_reach_five),
	    cmocka_unit_test(negative_records_subtract_and_a_grave_one_caps),
	    cmocka_unit_test(bounds_and_half_stars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
