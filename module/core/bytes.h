/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte-order loads and stores on unaligned buffers.  The core cannot use
 * ntohs() (libc) or get_unaligned_be16() (kernel) because it is built on
 * both sides of that boundary; assembling values a byte at a time is
 * endian- and alignment-neutral, and compilers turn it into one load.
 */
#ifndef _XTCP_CORE_BYTES_H
#define _XTCP_CORE_BYTES_H

#include "types.h"

static inline u16 xtcp_get_be16(const u8 *p)
{
	return (u16)((u16)p[0] << 8 | p[1]);
}

static inline u32 xtcp_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void xtcp_put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static inline void xtcp_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/* SipHash reads its message as little-endian 64-bit words. */
static inline u64 xtcp_get_le64(const u8 *p)
{
	return (u64)p[0] | (u64)p[1] << 8 | (u64)p[2] << 16 |
	       (u64)p[3] << 24 | (u64)p[4] << 32 | (u64)p[5] << 40 |
	       (u64)p[6] << 48 | (u64)p[7] << 56;
}

#endif /* _XTCP_CORE_BYTES_H */
