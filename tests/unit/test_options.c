// SPDX-License-Identifier: GPL-2.0
/* options.c: RFC 9293 3.2 / RFC 7323 / RFC 2018 options. */
#include "harness.h"
#include "options.h"

static struct xtcp_opts o;

/* Parse @len bytes from a literal, filling o with garbage first. */
static int parse(const unsigned char *b, unsigned int len, bool syn)
{
	memset(&o, 0xa5, sizeof(o));
	return xtcp_opts_parse(b, len, syn, &o);
}

#define PARSE(syn, ...)							\
	({								\
		static const unsigned char _b[] = { __VA_ARGS__ };	\
		parse(_b, sizeof(_b), syn);				\
	})

static bool opts_empty(const struct xtcp_opts *x)
{
	static const struct xtcp_opts zero;

	return !memcmp(x, &zero, sizeof(zero));
}

TEST(xtcp_opts_parse__empty)
{
	CHECK_EQ(parse(NULL, 0, true), 0);
	CHECK(opts_empty(&o));
}

TEST(xtcp_opts_parse__mss)
{
	CHECK_EQ(PARSE(true, 2, 4, 0x05, 0xb4), 0);
	CHECK(o.mss_ok);
	CHECK_EQ(o.mss, 1460);
	CHECK(!o.ws_ok && !o.sack_ok && !o.ts_ok);
	CHECK_EQ(o.nsack, 0);
}

TEST(xtcp_opts_parse__wscale)
{
	CHECK_EQ(PARSE(true, 1, 3, 3, 7), 0);
	CHECK(o.ws_ok);
	CHECK_EQ(o.ws, 7);
}

TEST(xtcp_opts_parse__wscale_clamped_to_14)
{
	CHECK_EQ(PARSE(true, 3, 3, 15, 1), 0);
	CHECK(o.ws_ok);
	CHECK_EQ(o.ws, 14);
	CHECK_EQ(PARSE(true, 3, 3, 255, 1), 0);
	CHECK_EQ(o.ws, 14);
	CHECK_EQ(PARSE(true, 3, 3, 14, 1), 0);
	CHECK_EQ(o.ws, 14);
	CHECK_EQ(PARSE(true, 3, 3, 0, 1), 0);
	CHECK(o.ws_ok);
	CHECK_EQ(o.ws, 0);
}

TEST(xtcp_opts_parse__sack_perm)
{
	CHECK_EQ(PARSE(true, 1, 1, 4, 2), 0);
	CHECK(o.sack_ok);
	CHECK(!o.mss_ok && !o.ws_ok && !o.ts_ok);
}

TEST(xtcp_opts_parse__timestamps)
{
	CHECK_EQ(PARSE(false, 1, 1, 8, 10, 0x01, 0x02, 0x03, 0x04,
		       0xfe, 0xdc, 0xba, 0x98), 0);
	CHECK(o.ts_ok);
	CHECK_EQ(o.tsval, 0x01020304);
	CHECK_EQ(o.tsecr, 0xfedcba98);
}

TEST(xtcp_opts_parse__sack_one_block)
{
	CHECK_EQ(PARSE(false, 1, 1, 5, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0), 0);
	CHECK_EQ(o.nsack, 1);
	CHECK_EQ(o.sack[0].start, 0x1000);
	CHECK_EQ(o.sack[0].end, 0x2000);
}

TEST(xtcp_opts_parse__sack_four_blocks)
{
	CHECK_EQ(PARSE(false, 5, 34,
		       0, 0, 0, 1, 0, 0, 0, 2,
		       0, 0, 0, 3, 0, 0, 0, 4,
		       0, 0, 0, 5, 0, 0, 0, 6,
		       0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0x10,
		       0, 0), 0);
	CHECK_EQ(o.nsack, 4);
	CHECK_EQ(o.sack[0].start, 1);
	CHECK_EQ(o.sack[0].end, 2);
	CHECK_EQ(o.sack[1].start, 3);
	CHECK_EQ(o.sack[2].end, 6);
	CHECK_EQ(o.sack[3].start, 0xfffffff0);
	CHECK_EQ(o.sack[3].end, 0x10);
}

TEST(xtcp_opts_parse__linux_syn)
{
	/* What Linux puts in a SYN: MSS, SACK_PERM+TS, NOP, WS. */
	CHECK_EQ(PARSE(true, 2, 4, 0xff, 0xd7, 4, 2, 8, 10,
		       0x9a, 0xbc, 0xde, 0xf0, 0, 0, 0, 0, 1, 3, 3, 7), 0);
	CHECK(o.mss_ok && o.sack_ok && o.ts_ok && o.ws_ok);
	CHECK_EQ(o.mss, 65495);
	CHECK_EQ(o.tsval, 0x9abcdef0);
	CHECK_EQ(o.tsecr, 0);
	CHECK_EQ(o.ws, 7);
	CHECK_EQ(o.nsack, 0);
}

TEST(xtcp_opts_parse__syn_only_options_ignored_without_syn)
{
	CHECK_EQ(PARSE(false, 2, 4, 0x05, 0xb4, 4, 2, 8, 10,
		       0, 0, 0, 9, 0, 0, 0, 8, 1, 3, 3, 7), 0);
	CHECK(!o.mss_ok);
	CHECK_EQ(o.mss, 0);
	CHECK(!o.sack_ok);
	CHECK(!o.ws_ok);
	CHECK_EQ(o.ws, 0);
	/* ...but timestamps count on every segment. */
	CHECK(o.ts_ok);
	CHECK_EQ(o.tsval, 9);
	CHECK_EQ(o.tsecr, 8);
}

TEST(xtcp_opts_parse__sack_blocks_on_syn_too)
{
	CHECK_EQ(PARSE(true, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2), 0);
	CHECK_EQ(o.nsack, 1);
}

TEST(xtcp_opts_parse__eol_ends_parsing)
{
	/* Anything after EOL, even garbage, is not looked at. */
	CHECK_EQ(PARSE(true, 2, 4, 0x02, 0x00, 0, 3, 0, 0xff), 0);
	CHECK(o.mss_ok);
	CHECK_EQ(o.mss, 512);
	CHECK(!o.ws_ok);
	CHECK_EQ(PARSE(true, 0, 2, 4, 0x05, 0xb4), 0);
	CHECK(opts_empty(&o));
}

TEST(xtcp_opts_parse__nops_skipped)
{
	CHECK_EQ(PARSE(true, 1, 1, 1, 1, 1, 1, 1), 0);
	CHECK(opts_empty(&o));
	CHECK_EQ(PARSE(true, 1, 1, 1, 4, 2, 1, 1, 1), 0);
	CHECK(o.sack_ok);
}

TEST(xtcp_opts_parse__unknown_kind_skipped)
{
	/* Kind 30 (MPTCP) length 6, then MSS: MSS is still found. */
	CHECK_EQ(PARSE(true, 30, 6, 4, 2, 2, 4, 2, 4, 0x01, 0x00), 0);
	CHECK(o.mss_ok);
	CHECK_EQ(o.mss, 256);
	/* The bytes inside it that look like SACK_PERM are not options. */
	CHECK(!o.sack_ok);
	/* Minimal length 2 and an unknown kind filling the space. */
	CHECK_EQ(PARSE(true, 254, 2, 253, 4, 0, 0), 0);
	CHECK(opts_empty(&o));
}

TEST(xtcp_opts_parse__len_0_is_malformed)
{
	CHECK_EQ(PARSE(true, 30, 0, 0, 0), -EINVAL);
	CHECK_EQ(PARSE(true, 2, 0, 0, 0), -EINVAL);
	/* The output is left zeroed, never half parsed. */
	CHECK(opts_empty(&o));
}

TEST(xtcp_opts_parse__len_1_is_malformed)
{
	CHECK_EQ(PARSE(true, 30, 1, 0, 0), -EINVAL);
	CHECK_EQ(PARSE(true, 8, 1, 0, 0), -EINVAL);
}

TEST(xtcp_opts_parse__missing_len_byte)
{
	CHECK_EQ(PARSE(true, 1, 1, 1, 2), -EINVAL);
	CHECK_EQ(PARSE(false, 30), -EINVAL);
}

TEST(xtcp_opts_parse__len_past_end)
{
	CHECK_EQ(PARSE(true, 2, 4, 0x05), -EINVAL);
	CHECK_EQ(PARSE(true, 30, 5, 0, 0), -EINVAL);
	CHECK_EQ(PARSE(false, 8, 10, 0, 0, 0, 0, 0, 0, 0), -EINVAL);
	/* A valid option first does not save the segment. */
	CHECK_EQ(PARSE(true, 2, 4, 0x05, 0xb4, 30, 4, 0), -EINVAL);
	CHECK(opts_empty(&o));
}

TEST(xtcp_opts_parse__wrong_len_for_known_kind)
{
	CHECK_EQ(PARSE(true, 2, 3, 0x05, 1), -EINVAL);
	CHECK_EQ(PARSE(true, 2, 5, 0x05, 0xb4, 0, 1, 1, 1), -EINVAL);
	CHECK_EQ(PARSE(true, 3, 2, 1, 1), -EINVAL);
	CHECK_EQ(PARSE(true, 3, 4, 7, 0), -EINVAL);
	CHECK_EQ(PARSE(true, 4, 3, 0, 1), -EINVAL);
	CHECK_EQ(PARSE(true, 4, 4, 0, 0), -EINVAL);
	CHECK_EQ(PARSE(false, 8, 8, 0, 0, 0, 0, 0, 0), -EINVAL);
	CHECK_EQ(PARSE(false, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
		 -EINVAL);
}

TEST(xtcp_opts_parse__wrong_len_checked_without_syn)
{
	/* Ignoring a SYN-only option does not excuse a bad length. */
	CHECK_EQ(PARSE(false, 2, 3, 0x05, 1), -EINVAL);
	CHECK_EQ(PARSE(false, 3, 4, 7, 0), -EINVAL);
	CHECK_EQ(PARSE(false, 4, 3, 0, 1), -EINVAL);
}

TEST(xtcp_opts_parse__truncated_sack)
{
	/* Length not 2 + 8n. */
	CHECK_EQ(PARSE(false, 5, 2, 1, 1), -EINVAL);
	CHECK_EQ(PARSE(false, 5, 6, 0, 0, 0, 1), -EINVAL);
	CHECK_EQ(PARSE(false, 5, 9, 0, 0, 0, 1, 0, 0, 0), -EINVAL);
	CHECK_EQ(PARSE(false, 5, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0), -EINVAL);
	/* Length claims two blocks, bytes hold one. */
	CHECK_EQ(PARSE(false, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2), -EINVAL);
}

TEST(xtcp_opts_parse__sack_more_than_four_blocks)
{
	unsigned char b[44] = { 5, 42 };

	CHECK_EQ(parse(b, sizeof(b), false), -EINVAL);
}

TEST(xtcp_opts_parse__later_option_wins)
{
	CHECK_EQ(PARSE(true, 2, 4, 0, 100, 2, 4, 0, 200), 0);
	CHECK_EQ(o.mss, 200);
}

/* Build, check size and alignment, parse back and compare. */
static void round_trip(const struct xtcp_opts *in, unsigned int want_len,
		       unsigned int want_nsack)
{
	unsigned char buf[64];
	struct xtcp_opts out;
	unsigned int n, i;

	memset(buf, 0xee, sizeof(buf));
	n = xtcp_opts_build(buf, in);
	CHECK_EQ(n, want_len);
	CHECK(n <= 40);
	CHECK_EQ(n % 4, 0);
	CHECK_EQ(buf[n], 0xee);		/* nothing written past n */
	CHECK_EQ(xtcp_opts_parse(buf, n, true, &out), 0);
	CHECK_EQ(out.mss_ok, in->mss_ok);
	CHECK_EQ(out.ws_ok, in->ws_ok);
	CHECK_EQ(out.sack_ok, in->sack_ok);
	CHECK_EQ(out.ts_ok, in->ts_ok);
	if (in->mss_ok)
		CHECK_EQ(out.mss, in->mss);
	if (in->ws_ok)
		CHECK_EQ(out.ws, in->ws);
	if (in->ts_ok) {
		CHECK_EQ(out.tsval, in->tsval);
		CHECK_EQ(out.tsecr, in->tsecr);
	}
	CHECK_EQ(out.nsack, want_nsack);
	for (i = 0; i < want_nsack && i < XTCP_MAX_SACK_BLOCKS; i++) {
		CHECK_EQ(out.sack[i].start, in->sack[i].start);
		CHECK_EQ(out.sack[i].end, in->sack[i].end);
	}
}

TEST(xtcp_opts_build__round_trip_all_combinations)
{
	unsigned int mask, nsack;

	/* Every subset of the four flags, with 0..4 SACK blocks. */
	for (mask = 0; mask < 16; mask++) {
		for (nsack = 0; nsack <= 4; nsack++) {
			struct xtcp_opts in = {
				.mss_ok = mask & 1,
				.ws_ok = mask & 2,
				.sack_ok = mask & 4,
				.ts_ok = mask & 8,
				.mss = 1460,
				.ws = 9,
				.tsval = 0xdeadbeef,
				.tsecr = 0x01234567,
				.nsack = nsack,
				.sack = {
					{ 0x100, 0x200 },
					{ 0x300, 0x400 },
					{ 0xfffffff0, 0x10 },
					{ 0x80000000, 0x80001000 },
				},
			};
			unsigned int len = 0, room, fit;

			len += in.mss_ok ? 4 : 0;
			len += in.ts_ok ? 12 : in.sack_ok ? 4 : 0;
			len += in.ws_ok ? 4 : 0;
			room = (40 - len - 4) / 8;
			fit = nsack < room ? nsack : room;
			if (fit)
				len += 4 + 8 * fit;
			round_trip(&in, len, fit);
		}
	}
}

TEST(xtcp_opts_build__nothing)
{
	struct xtcp_opts in = { .mss = 1, .ws = 1, .tsval = 1 };
	unsigned char buf[40];

	CHECK_EQ(xtcp_opts_build(buf, &in), 0);
}

TEST(xtcp_opts_build__linux_syn_layout)
{
	struct xtcp_opts in = {
		.mss_ok = true, .ws_ok = true, .sack_ok = true, .ts_ok = true,
		.mss = 1460, .ws = 7, .tsval = 0x11223344, .tsecr = 0,
	};
	static const unsigned char want[20] = {
		2, 4, 0x05, 0xb4,
		4, 2, 8, 10, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0,
		1, 3, 3, 7,
	};
	unsigned char buf[40];

	CHECK_EQ(xtcp_opts_build(buf, &in), 20);
	CHECK_MEM(buf, want, 20);
}

TEST(xtcp_opts_build__ts_without_sack_perm)
{
	struct xtcp_opts in = { .ts_ok = true, .tsval = 1, .tsecr = 2 };
	static const unsigned char want[12] = {
		1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
	};
	unsigned char buf[40];

	CHECK_EQ(xtcp_opts_build(buf, &in), 12);
	CHECK_MEM(buf, want, 12);
}

TEST(xtcp_opts_build__sack_perm_without_ts)
{
	struct xtcp_opts in = {
		.mss_ok = true, .mss = 536, .sack_ok = true,
		.ws_ok = true, .ws = 0,
	};
	static const unsigned char want[12] = {
		2, 4, 0x02, 0x18, 1, 1, 4, 2, 1, 3, 3, 0,
	};
	unsigned char buf[40];

	CHECK_EQ(xtcp_opts_build(buf, &in), 12);
	CHECK_MEM(buf, want, 12);
}

TEST(xtcp_opts_build__sack_blocks_layout)
{
	struct xtcp_opts in = {
		.nsack = 2,
		.sack = { { 1, 2 }, { 0xa0b0c0d0, 0x01020304 } },
	};
	static const unsigned char want[20] = {
		1, 1, 5, 18,
		0, 0, 0, 1, 0, 0, 0, 2,
		0xa0, 0xb0, 0xc0, 0xd0, 1, 2, 3, 4,
	};
	unsigned char buf[40];

	CHECK_EQ(xtcp_opts_build(buf, &in), 20);
	CHECK_MEM(buf, want, 20);
}

TEST(xtcp_opts_build__sack_truncated_with_timestamps)
{
	struct xtcp_opts in = {
		.ts_ok = true, .tsval = 5, .tsecr = 6, .nsack = 4,
		.sack = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } },
	};
	unsigned char buf[40];
	struct xtcp_opts out;

	/* 12 bytes of timestamps leave room for three blocks, not four. */
	CHECK_EQ(xtcp_opts_build(buf, &in), 40);
	CHECK_EQ(buf[14], 5);
	CHECK_EQ(buf[15], 26);
	CHECK_EQ(xtcp_opts_parse(buf, 40, false, &out), 0);
	CHECK(out.ts_ok);
	CHECK_EQ(out.nsack, 3);
	CHECK_EQ(out.sack[2].start, 5);
	CHECK_EQ(out.sack[2].end, 6);
}

TEST(xtcp_opts_build__sack_four_blocks_without_timestamps)
{
	struct xtcp_opts in = {
		.nsack = 4,
		.sack = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } },
	};
	unsigned char buf[40];

	CHECK_EQ(xtcp_opts_build(buf, &in), 36);
}

TEST(xtcp_opts_build__nsack_above_max_clamped)
{
	struct xtcp_opts in = { .nsack = 200 };
	unsigned char buf[40];
	struct xtcp_opts out;

	CHECK_EQ(xtcp_opts_build(buf, &in), 36);
	CHECK_EQ(xtcp_opts_parse(buf, 36, false, &out), 0);
	CHECK_EQ(out.nsack, 4);
}

TEST(xtcp_opts_build__wscale_clamped)
{
	struct xtcp_opts in = { .ws_ok = true, .ws = 200 };
	unsigned char buf[40];

	CHECK_EQ(xtcp_opts_build(buf, &in), 4);
	CHECK_EQ(buf[3], 14);
}
