/* Masking for public views. Pure. */
#ifndef JZ_CORE_MASK_H
#define JZ_CORE_MASK_H

#include <stddef.h>

/* The public form of a name (UTF-8): the first character, '*' for every character in the
 * middle, and the last for names of three or more characters: 张*芳, 欧阳**明; 张*. Writes
 * at most size - 1 bytes and a NUL. */
void jz_mask_name(const char *name, char *out, size_t size);

#endif
