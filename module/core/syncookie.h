/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies (RFC 4987 3.6): when the SYN queue is full, or always, a
 * listener keeps no state for a SYN.  What it must remember is folded
 * into the ISN of its SYN,ACK (the cookie) and, with timestamps, into the
 * low bits of its TSval; the client's ACK hands both back.
 *
 * Cookie layout, after subtracting a keyed whitening term W:
 *
 *   31..30  count & 3         which time slot made it
 *   29..27  MSS table index
 *   26..0   MAC               SipHash of tuple, client ISN, count, index
 *
 * W = SipHash(tuple, client ISN) makes every bit of the cookie look
 * random to anyone without the key.  A guessed cookie validates with
 * probability about 2^-27.
 */
#ifndef _XTCP_CORE_SYNCOOKIE_H
#define _XTCP_CORE_SYNCOOKIE_H

#include "types.h"
#include "isn.h"

/* The time counter: count = now_ns >> XTCP_COOKIE_SHIFT (68.7 s slots). */
#define XTCP_COOKIE_SHIFT	36
/* A cookie made in slot c is taken in slots c .. c + XTCP_COOKIE_MAX_AGE. */
#define XTCP_COOKIE_MAX_AGE	2

#define XTCP_COOKIE_NMSS	8
#define XTCP_COOKIE_MAC_BITS	27

/* The MSS values a cookie can carry, ascending. */
extern const u16 xtcp_cookie_mss_table[XTCP_COOKIE_NMSS];

/*
 * The segment's addresses and ports, as the SYN and the ACK both carry
 * them (source = the client), each an integer holding its wire bytes, as
 * for xtcp_isn().
 */
struct xtcp_cookie_tuple {
	u32 saddr, daddr;
	u16 sport, dport;
};

static inline u32 xtcp_cookie_count(u64 now_ns)
{
	return (u32)(now_ns >> XTCP_COOKIE_SHIFT);
}

/*
 * xtcp_cookie_make - the ISN of a stateless SYN,ACK.
 * @client_isn: the SYN's sequence number.
 * @mss: the MSS the client offered (536 if it sent none).
 * @count: xtcp_cookie_count() now.
 * @mss_used: out, the table entry encoded: the largest not above @mss
 *            (the smallest entry if @mss is below all of them).
 */
u32 xtcp_cookie_make(const struct xtcp_siphash_key *key,
		     const struct xtcp_cookie_tuple *t, u32 client_isn,
		     u16 mss, u32 count, u16 *mss_used);

/*
 * xtcp_cookie_check - validate the ACK that answers a cookie SYN,ACK.
 * @client_isn: the ACK's sequence number minus one.
 * @cookie: the ACK's acknowledgment number minus one.
 * @count: xtcp_cookie_count() now.
 *
 * Returns the MSS the cookie carries, or 0 if it was not made with @key
 * for this tuple and ISN within the last XTCP_COOKIE_MAX_AGE slots.
 */
u16 xtcp_cookie_check(const struct xtcp_siphash_key *key,
		      const struct xtcp_cookie_tuple *t, u32 client_isn,
		      u32 cookie, u32 count);

/*
 * With timestamps, the SYN options the cookie cannot hold ride in the
 * low XTCP_COOKIE_TS_BITS bits of our SYN,ACK's TSval, which the ACK
 * echoes: bits 3..0 the client's window scale (15: none), bit 4
 * SACK-permitted.
 */
#define XTCP_COOKIE_TS_BITS	5
#define XTCP_COOKIE_TS_MASK	((1U << XTCP_COOKIE_TS_BITS) - 1)
#define XTCP_COOKIE_TS_NO_WS	15
#define XTCP_COOKIE_TS_SACK	0x10U

/*
 * xtcp_cookie_ts_encode - TSval for a cookie SYN,ACK.
 * @now: the TSval we would send; the result is never above it (modulo
 *       2^32), so the connection's clock does not step back later.
 * @ws: the client's window-scale shift, or a negative value for none;
 *      shifts above 14 are taken as 14 (RFC 7323 2.3).
 */
u32 xtcp_cookie_ts_encode(u32 now, int ws, bool sack_ok);

/*
 * xtcp_cookie_ts_decode - what xtcp_cookie_ts_encode() stored, read from
 * the ACK's TSecr.  @ws is set to -1 for no window scaling.  Every bit
 * pattern decodes: these bits are not authenticated, and need not be,
 * since a client that completes the handshake could have asked for any
 * of these options in its SYN.
 */
void xtcp_cookie_ts_decode(u32 tsecr, int *ws, bool *sack_ok);

#endif /* _XTCP_CORE_SYNCOOKIE_H */
