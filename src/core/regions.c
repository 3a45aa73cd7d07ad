/* Region lookups over the tables generated from data/ (see tools/gen_regions.sh): binary
 * search by code, and the province/prefecture subtree test used for scoping. */
#include "core/regions.h"

#include <stdlib.h>
#include <string.h>

#include "core/regions_data.h"

/* Both tables hold 6-digit codes with a NUL, so anything else can never match; checking
 * the shape first keeps bsearch from comparing past the end of a short key. */
static bool
is_code(const char *code)
{
	if (!code)
		return false;
	for (int i = 0; i < 6; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	return code[6] == '\0';
}

static int
cmp_region(const void *key, const void *elem)
{
	return strcmp(key, ((const jz_region *)elem)->code);
}

static int
cmp_code(const void *key, const void *elem)
{
	return strcmp(key, elem);
}

const jz_region *
jz_region_find(const char *code)
{
	if (!is_code(code))
		return NULL;
	return bsearch(code, jz_regions_data, jz_regions_data_count, sizeof jz_regions_data[0],
	               cmp_region);
}

size_t
jz_region_count(void)
{
	return jz_regions_data_count;
}

const jz_region *
jz_region_at(size_t i)
{
	return i < jz_regions_data_count ? &jz_regions_data[i] : NULL;
}

bool
jz_region_code_ever_existed(const char *code)
{
	if (!is_code(code))
		return false;
	return bsearch(code, jz_region_history_codes, jz_region_history_count,
	               sizeof jz_region_history_codes[0], cmp_code) != NULL;
}

bool
jz_region_within(const jz_region *inner, const jz_region *outer)
{
	if (!inner || !outer)
		return false;
	if (!strcmp(inner->code, outer->code))
		return true;
	switch (outer->level) {
	case JZ_REGION_PROVINCE:
		return !strcmp(inner->province, outer->code);
	case JZ_REGION_PREFECTURE:
		return !strcmp(inner->prefecture, outer->code);
	case JZ_REGION_COUNTY:
		break;
	}
	/* Nothing lies below a county in this table. */
	return false;
}
