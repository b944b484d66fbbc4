/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a fuzzer's input as a stream of numbers: past the end every
 * read gives zero, so any input is a complete program of operations.
 * FUZZ_ASSERT() names the broken invariant before aborting, so a crash
 * log says what went wrong, not only where.
 */
#ifndef _XTCP_FUZZ_BYTES_H
#define _XTCP_FUZZ_BYTES_H

#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include "types.h"

struct fuzz_in {
	const unsigned char *p;
	size_t n;
};

static inline u8 fz8(struct fuzz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline u16 fz16(struct fuzz_in *in)
{
	u16 hi = fz8(in);

	return (u16)(hi << 8 | fz8(in));
}

static inline u32 fz32(struct fuzz_in *in)
{
	u32 hi = fz16(in);

	return hi << 16 | fz16(in);
}

#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#endif /* _XTCP_FUZZ_BYTES_H */
