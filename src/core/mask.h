/* Masking for public views. Pure. */
#ifndef JZ_CORE_MASK_H
#define JZ_CORE_MASK_H

#include <stddef.h>

/* A name with every character but the first (and, for names of three or more characters,
 * the last) replaced by '*': 张秀芳 → 张*芳, 张芳 → 张*, 欧阳秀芳 → 欧**芳. UTF-8 aware;
 * writes at most size bytes, always NUL-terminated. */
void jz_mask_name(const char *name, char *out, size_t size);

#endif
