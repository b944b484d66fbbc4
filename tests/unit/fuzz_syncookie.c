// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for syncookie.c.  The input gives a key, a tuple, a
 * client ISN, an MSS, a counter and one mutation.  A cookie always
 * validates, with the MSS it reports, for its own inputs in the current
 * and XTCP_COOKIE_MAX_AGE later slots, and never in an older or a future
 * one.  A mutated key, tuple, ISN, cookie or counter validates exactly
 * when the documented layout, recomputed here from SipHash, says so: only
 * a genuine 27-bit MAC collision, never a shortcut in the check.  TSval
 * options round-trip.
 */
#include "fuzz_bytes.h"
#include "syncookie.h"

static u32 ref_hash(const struct xtcp_siphash_key *key,
		    const struct xtcp_cookie_tuple *t, u32 isn, u32 count,
		    u8 idx, u8 tag)
{
	u8 b[22];
	int i;

	memcpy(b, &t->saddr, 4);
	memcpy(b + 4, &t->daddr, 4);
	memcpy(b + 8, &t->sport, 2);
	memcpy(b + 10, &t->dport, 2);
	for (i = 0; i < 4; i++) {
		b[12 + i] = isn >> (24 - 8 * i);
		b[16 + i] = count >> (24 - 8 * i);
	}
	b[20] = idx;
	b[21] = tag;
	return (u32)xtcp_siphash(b, sizeof(b), key);
}

/* What xtcp_cookie_check() must return, from the layout alone. */
static u16 ref_check(const struct xtcp_siphash_key *key,
		     const struct xtcp_cookie_tuple *t, u32 isn, u32 cookie,
		     u32 count)
{
	u32 v = cookie - ref_hash(key, t, isn, 0, 0, 'W');
	u32 age;

	for (age = 0; age <= XTCP_COOKIE_MAX_AGE; age++) {
		u32 c = count - age;
		u8 idx = (v >> 27) & 7;

		if ((v >> 30) != (c & 3))
			continue;
		if ((v & ((1u << 27) - 1)) ==
		    (ref_hash(key, t, isn, c, idx, 'M') & ((1u << 27) - 1)))
			return xtcp_cookie_mss_table[idx];
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct xtcp_siphash_key key, k2;
	struct xtcp_cookie_tuple t, t2;
	u32 isn, isn2, count, count2, cookie, cookie2, x, ts;
	u16 mss, used, got;
	u8 age, what;
	int ws, dws;
	bool sack, dsack;

	/* One read per statement: the input's layout is their order. */
	key.k[0] = (u64)fz32(&in) << 32;
	key.k[0] |= fz32(&in);
	key.k[1] = (u64)fz32(&in) << 32;
	key.k[1] |= fz32(&in);
	t.saddr = fz32(&in);
	t.daddr = fz32(&in);
	t.sport = fz16(&in);
	t.dport = fz16(&in);
	isn = fz32(&in);
	mss = fz16(&in);
	count = fz32(&in);
	age = fz8(&in);
	what = fz8(&in);
	x = fz32(&in);

	cookie = xtcp_cookie_make(&key, &t, isn, mss, count, &used);
	FUZZ_ASSERT(used <= mss || used == xtcp_cookie_mss_table[0]);
	FUZZ_ASSERT(cookie == xtcp_cookie_make(&key, &t, isn, mss, count, &got));

	/* Round trip within the lifetime; rejected outside it. */
	got = xtcp_cookie_check(&key, &t, isn, cookie, count + age);
	if (age <= XTCP_COOKIE_MAX_AGE)
		FUZZ_ASSERT(got == used);
	else
		FUZZ_ASSERT(got == ref_check(&key, &t, isn, cookie, count + age));

	/* One mutation; x == 0 leaves the inputs identical. */
	k2 = key;
	t2 = t;
	isn2 = isn;
	cookie2 = cookie;
	count2 = count;
	switch (what % 8) {
	case 0:
		cookie2 ^= x;
		break;
	case 1:
		t2.saddr ^= x;
		break;
	case 2:
		t2.daddr ^= x;
		break;
	case 3:
		t2.sport ^= (u16)x;
		t2.dport ^= (u16)(x >> 16);
		break;
	case 4:
		isn2 ^= x;
		break;
	case 5:
		k2.k[x & 1] ^= (u64)x << (x & 31);
		break;
	case 6:
		count2 -= x;	/* a future slot, or an old one */
		break;
	default:
		cookie2 += x;
		break;
	}
	got = xtcp_cookie_check(&k2, &t2, isn2, cookie2, count2);
	FUZZ_ASSERT(got == ref_check(&k2, &t2, isn2, cookie2, count2));
	if (!memcmp(&k2, &key, sizeof(key)) && !memcmp(&t2, &t, sizeof(t)) &&
	    isn2 == isn && cookie2 == cookie &&
	    (u32)(count2 - count) <= XTCP_COOKIE_MAX_AGE)
		FUZZ_ASSERT(got == used);

	/* TSval options. */
	ts = fz32(&in);
	ws = (int)(fz8(&in) % 18) - 1;	/* -1 .. 16 */
	sack = fz8(&in) & 1;
	x = xtcp_cookie_ts_encode(ts, ws, sack);
	FUZZ_ASSERT((s32)(ts - x) >= 0 && ts - x <= XTCP_COOKIE_TS_MASK);
	xtcp_cookie_ts_decode(x, &dws, &dsack);
	FUZZ_ASSERT(dws == (ws > 14 ? 14 : ws) && dsack == sack);
	return 0;
}
