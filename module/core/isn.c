// SPDX-License-Identifier: GPL-2.0
/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012) and the RFC 6528 initial sequence number built on it.
 *
 * The core carries its own SipHash rather than calling the kernel's so
 * that the unit tests exercise exactly the code the module runs.
 */
#include "types.h"
#include "bytes.h"
#include "isn.h"

static inline u64 xtcp_rotl64(u64 x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

/* One SipRound: the ARX network of the paper, section 2. */
static inline void xtcp_sipround(u64 *v0, u64 *v1, u64 *v2, u64 *v3)
{
	*v0 += *v1;
	*v1 = xtcp_rotl64(*v1, 13);
	*v1 ^= *v0;
	*v0 = xtcp_rotl64(*v0, 32);
	*v2 += *v3;
	*v3 = xtcp_rotl64(*v3, 16);
	*v3 ^= *v2;
	*v0 += *v3;
	*v3 = xtcp_rotl64(*v3, 21);
	*v3 ^= *v0;
	*v2 += *v1;
	*v1 = xtcp_rotl64(*v1, 17);
	*v1 ^= *v2;
	*v2 = xtcp_rotl64(*v2, 32);
}

u64 xtcp_siphash(const void *data, u32 len, const struct xtcp_siphash_key *key)
{
	const u8 *p = data;
	const u8 *end = p + (len & ~7U);
	/* The initial state spells "somepseudorandomlygeneratedbytes". */
	u64 v0 = key->k[0] ^ 0x736f6d6570736575ULL;
	u64 v1 = key->k[1] ^ 0x646f72616e646f6dULL;
	u64 v2 = key->k[0] ^ 0x6c7967656e657261ULL;
	u64 v3 = key->k[1] ^ 0x7465646279746573ULL;
	u64 m;
	u32 i;

	/* Compression: two SipRounds per 64-bit little-endian word. */
	for (; p != end; p += 8) {
		m = xtcp_get_le64(p);
		v3 ^= m;
		xtcp_sipround(&v0, &v1, &v2, &v3);
		xtcp_sipround(&v0, &v1, &v2, &v3);
		v0 ^= m;
	}

	/* Last word: the 0..7 leftover bytes, length mod 256 on top. */
	m = (u64)(len & 0xff) << 56;
	for (i = 0; i < (len & 7); i++)
		m |= (u64)p[i] << (8 * i);
	v3 ^= m;
	xtcp_sipround(&v0, &v1, &v2, &v3);
	xtcp_sipround(&v0, &v1, &v2, &v3);
	v0 ^= m;

	/* Finalization: four SipRounds. */
	v2 ^= 0xff;
	xtcp_sipround(&v0, &v1, &v2, &v3);
	xtcp_sipround(&v0, &v1, &v2, &v3);
	xtcp_sipround(&v0, &v1, &v2, &v3);
	xtcp_sipround(&v0, &v1, &v2, &v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, key).
 * The tuple is hashed as the bytes it has on the wire, so the result does
 * not depend on the host's byte order.  M ticks every 64 ns and wraps in
 * about 275 s, faster than any plausible segment lifetime needs.
 */
u32 xtcp_isn(const struct xtcp_siphash_key *key, u32 saddr, u32 daddr,
	     u16 sport, u16 dport, u64 now_ns)
{
	u8 tuple[12];

	memcpy(tuple, &saddr, 4);
	memcpy(tuple + 4, &daddr, 4);
	memcpy(tuple + 8, &sport, 2);
	memcpy(tuple + 10, &dport, 2);
	return (u32)xtcp_siphash(tuple, sizeof(tuple), key) +
	       (u32)(now_ns >> 6);
}
