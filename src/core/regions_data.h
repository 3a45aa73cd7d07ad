/* The region tables that tools/gen_regions.sh generates into build/gen/regions_data.c.
 * Internal to src/core/regions.c; everyone else uses core/regions.h. */
#ifndef JZ_CORE_REGIONS_DATA_H
#define JZ_CORE_REGIONS_DATA_H

#include <stddef.h>

#include "core/regions.h"

/* Current regions, sorted by code. */
extern const jz_region jz_regions_data[];
extern const size_t jz_regions_data_count;
/* Every 6-digit code in use since 1981, sorted and without duplicates. */
extern const char jz_region_history_codes[][7];
extern const size_t jz_region_history_count;

#endif
