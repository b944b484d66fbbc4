// SPDX-License-Identifier: GPL-2.0
/* rto.c: RFC 6298 retransmission timeout. */
#include "harness.h"
#include "rto.h"

TEST(xtcp_rto_init__initial_values)
{
	struct xtcp_rto r;

	memset(&r, 0xa5, sizeof(r));
	xtcp_rto_init(&r);
	CHECK_EQ(r.srtt_us, 0);
	CHECK_EQ(r.rttvar_us, 0);
	CHECK_EQ(r.rto_us, 1000000);
	CHECK_EQ(r.backoff, 0);
	CHECK_EQ(xtcp_rto_timeout(&r), 1000000);
}

TEST(xtcp_rto_sample__first_sample)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 100000);
	CHECK_EQ(r.srtt_us, 100000);
	CHECK_EQ(r.rttvar_us, 50000);
	CHECK_EQ(r.rto_us, 100000 + 4 * 50000);
}

TEST(xtcp_rto_sample__second_sample)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 100000);
	xtcp_rto_sample(&r, 200000);
	/* RTTVAR = 3/4 * 50000 + 1/4 * 100000, SRTT = 7/8 * 1e5 + 2e5/8 */
	CHECK_EQ(r.rttvar_us, 62500);
	CHECK_EQ(r.srtt_us, 112500);
	CHECK_EQ(r.rto_us, 112500 + 4 * 62500);
}

TEST(xtcp_rto_sample__smaller_sample)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 400000);
	xtcp_rto_sample(&r, 240000);
	CHECK_EQ(r.rttvar_us, (3 * 200000 + 160000) / 4);
	CHECK_EQ(r.srtt_us, (7 * 400000 + 240000) / 8);
}

TEST(xtcp_rto_sample__convergence)
{
	struct xtcp_rto r;
	int i;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 100000);
	for (i = 0; i < 200; i++)
		xtcp_rto_sample(&r, 500000);
	/* Integer gains settle within a few microseconds below R. */
	CHECK(r.srtt_us <= 500000 && r.srtt_us >= 500000 - 7);
	CHECK(r.rttvar_us <= 8);
	/* With no variance left, G (1 ms) is the margin. */
	CHECK_EQ(r.rto_us, r.srtt_us + 1000);
}

TEST(xtcp_rto_sample__constant_rtt_uses_granularity)
{
	struct xtcp_rto r;
	int i;

	xtcp_rto_init(&r);
	for (i = 0; i < 100; i++)
		xtcp_rto_sample(&r, 1000000);
	CHECK_EQ(r.srtt_us, 1000000);
	CHECK_EQ(r.rttvar_us, 0);
	CHECK_EQ(r.rto_us, 1001000);
}

TEST(xtcp_rto_sample__min_clamp)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 10000);
	CHECK_EQ(r.srtt_us, 10000);
	CHECK_EQ(r.rto_us, 200000);
	xtcp_rto_sample(&r, 50);
	CHECK_EQ(r.rto_us, 200000);
}

TEST(xtcp_rto_sample__zero_rtt_counts_as_one_us)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 0);
	CHECK_EQ(r.srtt_us, 1);
	CHECK_EQ(r.rttvar_us, 0);
	CHECK_EQ(r.rto_us, 200000);
	/* The next sample is a later one, not another first one. */
	xtcp_rto_sample(&r, 81);
	CHECK_EQ(r.srtt_us, (7 * 1 + 81) / 8);
	CHECK_EQ(r.rttvar_us, 80 / 4);
}

TEST(xtcp_rto_sample__max_clamp)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 100000000);		/* 100 s: 100 + 200 s */
	CHECK_EQ(r.rto_us, 120000000);
	CHECK_EQ(xtcp_rto_timeout(&r), 120000000);
}

TEST(xtcp_rto_sample__huge_samples_do_not_overflow)
{
	struct xtcp_rto r;

	/* 4 * RTTVAR and SRTT + 4 * RTTVAR exceed 32 bits here. */
	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 0xffffffff);
	CHECK_EQ(r.srtt_us, 0xffffffff);
	CHECK_EQ(r.rttvar_us, 0x7fffffff);
	CHECK_EQ(r.rto_us, 120000000);
	xtcp_rto_sample(&r, 1);
	CHECK_EQ(r.rto_us, 120000000);
	CHECK(r.srtt_us > 0x80000000u);
	xtcp_rto_sample(&r, 0xffffffff);
	CHECK_EQ(r.rto_us, 120000000);

	/* And it recovers when the path comes back to normal. */
	for (int i = 0; i < 1000; i++)
		xtcp_rto_sample(&r, 100000);
	CHECK(r.srtt_us >= 100000 - 7 && r.srtt_us <= 100000);
	CHECK_EQ(r.rto_us, 200000);
}

TEST(xtcp_rto_backoff__doubles)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_backoff(&r);
	CHECK_EQ(r.backoff, 1);
	CHECK_EQ(xtcp_rto_timeout(&r), 2000000);
	xtcp_rto_backoff(&r);
	CHECK_EQ(xtcp_rto_timeout(&r), 4000000);
	xtcp_rto_backoff(&r);
	CHECK_EQ(xtcp_rto_timeout(&r), 8000000);
	/* The base timeout itself is untouched. */
	CHECK_EQ(r.rto_us, 1000000);
}

TEST(xtcp_rto_backoff__capped_at_max)
{
	struct xtcp_rto r;
	int i;

	xtcp_rto_init(&r);
	for (i = 0; i < 6; i++)
		xtcp_rto_backoff(&r);
	CHECK_EQ(xtcp_rto_timeout(&r), 64000000);
	xtcp_rto_backoff(&r);
	CHECK_EQ(xtcp_rto_timeout(&r), 120000000);
	for (i = 0; i < 100; i++)
		xtcp_rto_backoff(&r);
	CHECK_EQ(xtcp_rto_timeout(&r), 120000000);
}

TEST(xtcp_rto_backoff__saturates_without_wrapping)
{
	struct xtcp_rto r;
	int i;

	/* 1000 expirations: the u8 must not wrap back to a short timer. */
	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 10000);
	for (i = 0; i < 1000; i++) {
		xtcp_rto_backoff(&r);
		CHECK(xtcp_rto_timeout(&r) >= 200000);
	}
	CHECK_EQ(r.backoff, 255);
	CHECK_EQ(xtcp_rto_timeout(&r), 120000000);
}

TEST(xtcp_rto_timeout__large_shift_of_max)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	r.rto_us = XTCP_RTO_MAX_US;
	r.backoff = 31;
	CHECK_EQ(xtcp_rto_timeout(&r), XTCP_RTO_MAX_US);
	r.backoff = 32;
	CHECK_EQ(xtcp_rto_timeout(&r), XTCP_RTO_MAX_US);
	r.backoff = 255;
	CHECK_EQ(xtcp_rto_timeout(&r), XTCP_RTO_MAX_US);
}

TEST(xtcp_rto_reset_backoff__restores_base)
{
	struct xtcp_rto r;

	xtcp_rto_init(&r);
	xtcp_rto_sample(&r, 300000);
	xtcp_rto_backoff(&r);
	xtcp_rto_backoff(&r);
	CHECK_EQ(xtcp_rto_timeout(&r), 4 * r.rto_us);
	xtcp_rto_reset_backoff(&r);
	CHECK_EQ(r.backoff, 0);
	CHECK_EQ(xtcp_rto_timeout(&r), r.rto_us);
	CHECK_EQ(r.rto_us, 300000 + 4 * 150000);
}

TEST(xtcp_rto_sample__does_not_touch_backoff)
{
	struct xtcp_rto r;

	/* Clearing backoff is the caller's decision (new data ACKed). */
	xtcp_rto_init(&r);
	xtcp_rto_backoff(&r);
	xtcp_rto_sample(&r, 100000);
	CHECK_EQ(r.backoff, 1);
	CHECK_EQ(xtcp_rto_timeout(&r), 2 * 300000);
}
