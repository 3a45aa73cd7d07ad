/* Administrative regions (GB/T 2260), embedded at build time from data/regions.csv (the
 * current divisions) and data/region_history.csv (every code in use since 1981). Pure
 * lookups, no I/O. */
#ifndef JZ_CORE_REGIONS_H
#define JZ_CORE_REGIONS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
	JZ_REGION_PROVINCE,
	JZ_REGION_PREFECTURE,
	JZ_REGION_COUNTY,
} jz_region_level;

typedef struct jz_region {
	const char *code;       /* 6 digits */
	const char *name;       /* Chinese, UTF-8 */
	jz_region_level level;
	const char *parent;     /* "" for provinces */
	const char *province;   /* the province code (itself for a province) */
	const char *prefecture; /* the prefecture code, or "" when none is above it */
} jz_region;

/* The current region with this 6-digit code, or NULL. Static storage. */
const jz_region *jz_region_find(const char *code);
/* All current regions, sorted by code. */
size_t jz_region_count(void);
const jz_region *jz_region_at(size_t i);
/* True when the 6-digit code was in use at any time since 1981 (region_history.csv). */
bool jz_region_code_ever_existed(const char *code);
/* True when region `inner` equals `outer` or lies below it. */
bool jz_region_within(const jz_region *inner, const jz_region *outer);

#endif
