/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Initial sequence numbers per RFC 6528: ISN = M + F(4-tuple, secret),
 * M a clock, F a keyed hash (SipHash-2-4, implemented here).
 */
#ifndef _XTCP_CORE_ISN_H
#define _XTCP_CORE_ISN_H

#include "types.h"

struct xtcp_siphash_key {
	u64 k[2];
};

/* SipHash-2-4 of @len bytes at @data under @key. */
u64 xtcp_siphash(const void *data, u32 len, const struct xtcp_siphash_key *key);

/*
 * xtcp_isn - initial sequence number for a connection.
 * Addresses and ports in network byte order as they appear on the wire
 * (passed as integers holding those bytes); @now_ns a monotonic clock.
 * The clock part advances once every 64 ns (faster than RFC 9293's 4 us,
 * as Linux does).
 */
u32 xtcp_isn(const struct xtcp_siphash_key *key, u32 saddr, u32 daddr,
	     u16 sport, u16 dport, u64 now_ns);

#endif /* _XTCP_CORE_ISN_H */
