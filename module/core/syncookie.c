// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies: a keyed MAC of the connection and a coarse clock, folded
 * into our ISN, so that a listener under a SYN flood keeps no state until
 * the client proves, by echoing the ISN, that it receives our segments.
 */
#include "types.h"
#include "bytes.h"
#include "isn.h"
#include "syncookie.h"

/*
 * Ethernet (1460) and the common tunnels and PPPoE below it, the RFC 9293
 * default (536), jumbo frames (8960); 64 is the least xtcp ever sends,
 * so a client asking for less is never sent more than it asked for.
 */
const u16 xtcp_cookie_mss_table[XTCP_COOKIE_NMSS] = {
	64, 536, 1220, 1300, 1400, 1440, 1460, 8960,
};

#define COOKIE_MAC_MASK	((1U << XTCP_COOKIE_MAC_BITS) - 1)
#define COOKIE_IDX_SHIFT	XTCP_COOKIE_MAC_BITS
#define COOKIE_CNT_SHIFT	(XTCP_COOKIE_MAC_BITS + 3)

/* Domain tags: the two hashes never see the same input. */
#define TAG_WHITEN	0x57
#define TAG_MAC		0x4d

/* tuple (12 bytes as on the wire), client ISN, count, index, tag */
#define HASH_IN_LEN	22

static u32 cookie_hash(const struct xtcp_siphash_key *key,
		       const struct xtcp_cookie_tuple *t, u32 client_isn,
		       u32 count, u8 idx, u8 tag)
{
	u8 in[HASH_IN_LEN];

	memcpy(in, &t->saddr, 4);
	memcpy(in + 4, &t->daddr, 4);
	memcpy(in + 8, &t->sport, 2);
	memcpy(in + 10, &t->dport, 2);
	xtcp_put_be32(in + 12, client_isn);
	xtcp_put_be32(in + 16, count);
	in[20] = idx;
	in[21] = tag;
	return (u32)xtcp_siphash(in, sizeof(in), key);
}

/* W: independent of count and index, which it hides. */
static u32 cookie_whiten(const struct xtcp_siphash_key *key,
			 const struct xtcp_cookie_tuple *t, u32 client_isn)
{
	return cookie_hash(key, t, client_isn, 0, 0, TAG_WHITEN);
}

static u32 cookie_mac(const struct xtcp_siphash_key *key,
		      const struct xtcp_cookie_tuple *t, u32 client_isn,
		      u32 count, u8 idx)
{
	return cookie_hash(key, t, client_isn, count, idx, TAG_MAC) &
	       COOKIE_MAC_MASK;
}

u32 xtcp_cookie_make(const struct xtcp_siphash_key *key,
		     const struct xtcp_cookie_tuple *t, u32 client_isn,
		     u16 mss, u32 count, u16 *mss_used)
{
	u8 idx = XTCP_COOKIE_NMSS - 1;

	while (idx > 0 && xtcp_cookie_mss_table[idx] > mss)
		idx--;
	*mss_used = xtcp_cookie_mss_table[idx];
	return cookie_whiten(key, t, client_isn) +
	       ((count & 3) << COOKIE_CNT_SHIFT) +
	       ((u32)idx << COOKIE_IDX_SHIFT) +
	       cookie_mac(key, t, client_isn, count, idx);
}

u16 xtcp_cookie_check(const struct xtcp_siphash_key *key,
		      const struct xtcp_cookie_tuple *t, u32 client_isn,
		      u32 cookie, u32 count)
{
	u32 v = cookie - cookie_whiten(key, t, client_isn);
	u8 idx = (v >> COOKIE_IDX_SHIFT) & (XTCP_COOKIE_NMSS - 1);
	/* The one slot in count - MAX_AGE .. count with these low bits. */
	u32 age = (count - (v >> COOKIE_CNT_SHIFT)) & 3;

	if (age > XTCP_COOKIE_MAX_AGE)
		return 0;
	if ((v & COOKIE_MAC_MASK) != cookie_mac(key, t, client_isn, count - age, idx))
		return 0;
	return xtcp_cookie_mss_table[idx];
}

u32 xtcp_cookie_ts_encode(u32 now, int ws, bool sack_ok)
{
	u32 bits = ws < 0 ? XTCP_COOKIE_TS_NO_WS : ws > 14 ? 14 : (u32)ws;
	u32 ts;

	if (sack_ok)
		bits |= XTCP_COOKIE_TS_SACK;
	ts = (now & ~XTCP_COOKIE_TS_MASK) | bits;
	/* Never ahead of the clock: step back one period if it would be. */
	if ((s32)(ts - now) > 0)
		ts -= XTCP_COOKIE_TS_MASK + 1;
	return ts;
}

void xtcp_cookie_ts_decode(u32 tsecr, int *ws, bool *sack_ok)
{
	u32 w = tsecr & 15;

	*ws = w == XTCP_COOKIE_TS_NO_WS ? -1 : (int)w;
	*sack_ok = tsecr & XTCP_COOKIE_TS_SACK;
}
