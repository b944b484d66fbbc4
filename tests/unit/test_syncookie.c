// SPDX-License-Identifier: GPL-2.0
/*
 * syncookie.c: the cookie round-trips for every MSS-table entry and every
 * accepted age, and nothing else validates: an expired or future slot,
 * another tuple, ISN or key, any single-bit change, random cookies.  The
 * TSval encoding round-trips and never runs ahead of the clock.
 */
#include "harness.h"
#include "syncookie.h"

static const struct xtcp_siphash_key key = {
	{ 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull },
};

/* 192.0.2.1:40000 -> 198.51.100.7:80, as wire bytes in integers. */
static struct xtcp_cookie_tuple tup(void)
{
	struct xtcp_cookie_tuple t;
	const unsigned char sa[4] = { 192, 0, 2, 1 };
	const unsigned char da[4] = { 198, 51, 100, 7 };
	const unsigned char sp[2] = { 0x9c, 0x40 };
	const unsigned char dp[2] = { 0x00, 0x50 };

	memcpy(&t.saddr, sa, 4);
	memcpy(&t.daddr, da, 4);
	memcpy(&t.sport, sp, 2);
	memcpy(&t.dport, dp, 2);
	return t;
}

#define ISN	0xfffffffeu	/* the client's; +1 wraps */
#define NOW	0x12345u	/* a cookie clock value */

static u64 rng = 4987;

static u32 rnd(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (u32)((z ^ (z >> 31)) >> 32);
}

TEST(xtcp_cookie_mss_table__ascending_from_64)
{
	unsigned int i;

	CHECK_EQ(xtcp_cookie_mss_table[0], 64);
	CHECK_EQ(xtcp_cookie_mss_table[1], 536);
	CHECK_EQ(xtcp_cookie_mss_table[6], 1460);
	CHECK_EQ(xtcp_cookie_mss_table[XTCP_COOKIE_NMSS - 1], 8960);
	for (i = 1; i < XTCP_COOKIE_NMSS; i++)
		CHECK(xtcp_cookie_mss_table[i] > xtcp_cookie_mss_table[i - 1]);
}

TEST(xtcp_cookie_make__round_trip_every_mss_entry)
{
	struct xtcp_cookie_tuple t = tup();
	unsigned int i;

	for (i = 0; i < XTCP_COOKIE_NMSS; i++) {
		u16 mss = xtcp_cookie_mss_table[i], used = 0;
		u32 c = xtcp_cookie_make(&key, &t, ISN, mss, NOW, &used);

		CHECK_EQ(used, mss);
		CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c, NOW), mss);
	}
}

TEST(xtcp_cookie_make__mss_rounds_down)
{
	static const struct { u16 in, out; } cases[] = {
		{ 0, 64 }, { 40, 64 }, { 64, 64 }, { 535, 64 }, { 536, 536 },
		{ 1219, 536 }, { 1220, 1220 }, { 1380, 1300 }, { 1452, 1440 },
		{ 1459, 1440 }, { 1460, 1460 }, { 1500, 1460 }, { 8959, 1460 },
		{ 8960, 8960 }, { 65535, 8960 },
	};
	struct xtcp_cookie_tuple t = tup();
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u16 used = 0;
		u32 c = xtcp_cookie_make(&key, &t, ISN, cases[i].in, NOW, &used);

		CHECK_EQ(used, cases[i].out);
		CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c, NOW), cases[i].out);
	}
}

TEST(xtcp_cookie_check__current_and_two_previous_slots)
{
	struct xtcp_cookie_tuple t = tup();
	/* Counter values around the wrap and the 2-bit field's wrap. */
	static const u32 made[] = { NOW, 0, 1, 3, 4, 0xfffffffeu, 0xffffffffu };
	unsigned int i, age;

	for (i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		u16 used;
		u32 c = xtcp_cookie_make(&key, &t, ISN, 1460, made[i], &used);

		for (age = 0; age <= XTCP_COOKIE_MAX_AGE; age++)
			CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c, made[i] + age), 1460);
		/* Expired: one slot too old, and far older. */
		CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c, made[i] + 3), 0);
		CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c, made[i] + 4), 0);
		CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c, made[i] + 1000), 0);
		/* From the future: not made yet. */
		CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c, made[i] - 1), 0);
	}
	CHECK_EQ(xtcp_cookie_count(0), 0);
	CHECK_EQ(xtcp_cookie_count((1ull << 36) - 1), 0);
	CHECK_EQ(xtcp_cookie_count(1ull << 36), 1);
	CHECK_EQ(xtcp_cookie_count(5ull << 36 | 12345), 5);
}

TEST(xtcp_cookie_check__changed_tuple_isn_or_key_rejected)
{
	struct xtcp_cookie_tuple t = tup(), o;
	struct xtcp_siphash_key k2 = key;
	u16 used;
	u32 c = xtcp_cookie_make(&key, &t, ISN, 1460, NOW, &used);
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		o = t;
		o.saddr ^= 1u << bit;
		CHECK_EQ(xtcp_cookie_check(&key, &o, ISN, c, NOW), 0);
		o = t;
		o.daddr ^= 1u << bit;
		CHECK_EQ(xtcp_cookie_check(&key, &o, ISN, c, NOW), 0);
		CHECK_EQ(xtcp_cookie_check(&key, &t, ISN ^ (1u << bit), c, NOW), 0);
	}
	for (bit = 0; bit < 16; bit++) {
		o = t;
		o.sport ^= 1u << bit;
		CHECK_EQ(xtcp_cookie_check(&key, &o, ISN, c, NOW), 0);
		o = t;
		o.dport ^= 1u << bit;
		CHECK_EQ(xtcp_cookie_check(&key, &o, ISN, c, NOW), 0);
	}
	/* The reverse direction is another tuple. */
	o.saddr = t.daddr;
	o.daddr = t.saddr;
	o.sport = t.dport;
	o.dport = t.sport;
	CHECK_EQ(xtcp_cookie_check(&key, &o, ISN, c, NOW), 0);
	/* The ACK's seq is ISN + 1: passing it unadjusted fails. */
	CHECK_EQ(xtcp_cookie_check(&key, &t, ISN + 1, c, NOW), 0);
	CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c + 1, NOW), 0);
	k2.k[1] ^= 1;
	CHECK_EQ(xtcp_cookie_check(&k2, &t, ISN, c, NOW), 0);
	CHECK_EQ(xtcp_cookie_make(&k2, &t, ISN, 1460, NOW, &used) == c, 0);
}

TEST(xtcp_cookie_check__every_single_bit_flip_rejected)
{
	struct xtcp_cookie_tuple t = tup();
	unsigned int i, bit, age;

	for (i = 0; i < XTCP_COOKIE_NMSS; i++) {
		u16 used;
		u32 c = xtcp_cookie_make(&key, &t, ISN, xtcp_cookie_mss_table[i],
					 NOW, &used);

		for (bit = 0; bit < 32; bit++)
			for (age = 0; age <= XTCP_COOKIE_MAX_AGE; age++)
				CHECK_EQ(xtcp_cookie_check(&key, &t, ISN, c ^ (1u << bit),
							   NOW + age), 0);
	}
}

TEST(xtcp_cookie_check__random_cookies_rejected)
{
	struct xtcp_cookie_tuple t = tup();
	unsigned int i, taken = 0;
	u16 used;
	u32 good = xtcp_cookie_make(&key, &t, ISN, 1460, NOW, &used);

	/* 2^18 guesses at about 2^-27.4 each: none expected (fixed seed). */
	for (i = 0; i < (1u << 18); i++) {
		u32 c = rnd();

		if (c != good && xtcp_cookie_check(&key, &t, ISN, c, NOW))
			taken++;
	}
	CHECK_EQ(taken, 0);
}

TEST(xtcp_cookie_make__cookies_look_random)
{
	/* Successive clients' cookies differ in about half their bits,
	 * including the slot and MSS bits the whitening hides.
	 */
	struct xtcp_cookie_tuple t = tup();
	unsigned int i, ones[32] = { 0 }, bit;
	u16 used;

	for (i = 0; i < 4096; i++) {
		u32 c = xtcp_cookie_make(&key, &t, i, 1460, NOW, &used);

		for (bit = 0; bit < 32; bit++)
			ones[bit] += (c >> bit) & 1;
	}
	for (bit = 0; bit < 32; bit++)
		CHECK(ones[bit] > 1800 && ones[bit] < 2300);
}

/* The documented layout, computed here from SipHash directly. */
static u32 ref_hash(const struct xtcp_cookie_tuple *t, u32 isn, u32 count,
		    u8 idx, u8 tag)
{
	u8 in[22];

	memcpy(in, &t->saddr, 4);
	memcpy(in + 4, &t->daddr, 4);
	memcpy(in + 8, &t->sport, 2);
	memcpy(in + 10, &t->dport, 2);
	in[12] = isn >> 24;
	in[13] = isn >> 16;
	in[14] = isn >> 8;
	in[15] = isn;
	in[16] = count >> 24;
	in[17] = count >> 16;
	in[18] = count >> 8;
	in[19] = count;
	in[20] = idx;
	in[21] = tag;
	return (u32)xtcp_siphash(in, sizeof(in), &key);
}

TEST(xtcp_cookie_make__layout)
{
	struct xtcp_cookie_tuple t = tup();
	unsigned int i;

	for (i = 0; i < XTCP_COOKIE_NMSS; i++) {
		u32 count = NOW + i;
		u16 used;
		u32 c = xtcp_cookie_make(&key, &t, ISN, xtcp_cookie_mss_table[i],
					 count, &used);
		u32 w = ref_hash(&t, ISN, 0, 0, 'W');
		u32 mac = ref_hash(&t, ISN, count, i, 'M') & ((1u << 27) - 1);

		CHECK_EQ(c, w + ((count & 3) << 30) + (i << 27) + mac);
	}
}

/* ---- TSval ------------------------------------------------------------ */

TEST(xtcp_cookie_ts_encode__round_trip)
{
	static const u32 nows[] = { 0, 1, 31, 32, 0x1f, 0x12345678u, 0xffffffe0u,
				    0xffffffffu };
	unsigned int i;
	int ws, sack;

	for (i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
		for (ws = -1; ws <= 14; ws++) {
			for (sack = 0; sack <= 1; sack++) {
				u32 ts = xtcp_cookie_ts_encode(nows[i], ws, sack);
				int dws = 99;
				bool dsack = !sack;

				/* At most one period behind the clock. */
				CHECK((s32)(nows[i] - ts) >= 0);
				CHECK(nows[i] - ts <= XTCP_COOKIE_TS_MASK);
				xtcp_cookie_ts_decode(ts, &dws, &dsack);
				CHECK_EQ(dws, ws);
				CHECK_EQ(dsack, sack);
			}
		}
	}
}

TEST(xtcp_cookie_ts_encode__exact_bits)
{
	int ws;
	bool sack;

	/* 3 | SACK = 0x13 fits under 0x...3f: same period. */
	CHECK_EQ(xtcp_cookie_ts_encode(0x1000003f, 3, true), 0x10000033u);
	/* 0x13 is above 0x...21's low bits: one period back. */
	CHECK_EQ(xtcp_cookie_ts_encode(0x10000021, 3, true), 0x10000013u);
	/* No window scale, no SACK: 15. */
	CHECK_EQ(xtcp_cookie_ts_encode(0x1000003f, -1, false), 0x1000002fu);
	/* Across zero. */
	CHECK_EQ(xtcp_cookie_ts_encode(0, 7, false), 0xffffffe7u);
	/* Shifts above 14 are 14 (RFC 7323 2.3). */
	CHECK_EQ(xtcp_cookie_ts_encode(0x1f, 200, false), 14);
	xtcp_cookie_ts_decode(0xffffffffu, &ws, &sack);
	CHECK_EQ(ws, -1);
	CHECK(sack);
	xtcp_cookie_ts_decode(0xffffffe0u, &ws, &sack);
	CHECK_EQ(ws, 0);
	CHECK(!sack);
}
