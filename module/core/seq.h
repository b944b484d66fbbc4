/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4).
 * A comparison is meaningful only between numbers less than 2^31 apart.
 */
#ifndef _XTCP_CORE_SEQ_H
#define _XTCP_CORE_SEQ_H

#include "types.h"

static inline bool seq_lt(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool seq_leq(u32 a, u32 b)
{
	return (s32)(a - b) <= 0;
}

static inline bool seq_gt(u32 a, u32 b)
{
	return (s32)(a - b) > 0;
}

static inline bool seq_geq(u32 a, u32 b)
{
	return (s32)(a - b) >= 0;
}

/* lo <= s < hi, the half-open window [lo, hi). */
static inline bool seq_in(u32 s, u32 lo, u32 hi)
{
	return seq_geq(s, lo) && seq_lt(s, hi);
}

static inline u32 seq_max(u32 a, u32 b)
{
	return seq_gt(a, b) ? a : b;
}

static inline u32 seq_min(u32 a, u32 b)
{
	return seq_lt(a, b) ? a : b;
}

#endif /* _XTCP_CORE_SEQ_H */
