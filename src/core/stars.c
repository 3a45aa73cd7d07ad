/* The star formula; docs/credit-model.md explains each term and its weight. */
#include "core/stars.h"

#include <math.h>

static double
clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void
jz_stars_compute(const jz_stars_input *in, jz_stars *out)
{
	/* A Bayesian average: JZ_STARS_PRIOR_WEIGHT imaginary reviews at the prior mean pull
	 * few reviews towards the middle, so a single five-star review cannot make five stars. */
	int n = in->reviews > 0 ? in->reviews : 0;
	double sum = n ? clamp(in->review_sum, n * 1.0, n * 5.0) : 0.0;
	out->review_part = (JZ_STARS_PRIOR_WEIGHT * JZ_STARS_PRIOR_MEAN + sum) / (JZ_STARS_PRIOR_WEIGHT + n);

	int checks = in->id_verified + in->background_clear + in->consented + in->health_valid +
	             in->work_permit_valid;
	out->verification = 0.3 * checks / 5.0;
	out->tenure = 0.2 * clamp(in->tenure_months / 36.0, 0.0, 1.0);

	static const double weight[3] = {0.5, 1.5, 3.0};
	out->penalty = 0;
	for (int s = 0; s < 3; s++)
		out->penalty += weight[s] * (in->negative[s] > 0 ? in->negative[s] : 0);

	out->value = clamp(out->review_part + out->verification + out->tenure - out->penalty, 1.0, 5.0);
	out->capped = in->negative[JZ_SEVERITY_GRAVE] > 0;
	if (out->capped)
		out->value = 1.0;
	out->stars = floor(out->value * 2.0 + 1e-9) / 2.0;
}
