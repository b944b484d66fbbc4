// SPDX-License-Identifier: GPL-2.0
/* seq.h: comparisons modulo 2^32 (RFC 9293 3.4). */
#include "harness.h"
#include "seq.h"

TEST(seq_lt__plain)
{
	CHECK(seq_lt(1, 2));
	CHECK(!seq_lt(2, 1));
	CHECK(!seq_lt(5, 5));
}

TEST(seq_lt__wraparound)
{
	CHECK(seq_lt(0xfffffff0, 0x10));
	CHECK(!seq_lt(0x10, 0xfffffff0));
	CHECK(seq_lt(0xffffffff, 0));
	CHECK(seq_gt(0, 0xffffffff));
}

TEST(seq_leq_geq__equal)
{
	CHECK(seq_leq(7, 7));
	CHECK(seq_geq(7, 7));
	CHECK(!seq_gt(7, 7));
	CHECK(seq_leq(0xffffffff, 0));
	CHECK(seq_geq(0, 0xffffffff));
}

TEST(seq_lt__half_space)
{
	/* Just under 2^31 apart the order is still meaningful. */
	CHECK(seq_lt(0, 0x7fffffff));
	CHECK(seq_gt(0x7fffffff, 0));
	CHECK(seq_lt(0x80000000, 0xffffffff));
}

TEST(seq_in__window)
{
	CHECK(seq_in(100, 100, 200));
	CHECK(seq_in(199, 100, 200));
	CHECK(!seq_in(200, 100, 200));
	CHECK(!seq_in(99, 100, 200));
	CHECK(!seq_in(5, 5, 5));
}

TEST(seq_in__window_across_wrap)
{
	CHECK(seq_in(0xfffffff8, 0xfffffff0, 0x10));
	CHECK(seq_in(0, 0xfffffff0, 0x10));
	CHECK(seq_in(0xf, 0xfffffff0, 0x10));
	CHECK(!seq_in(0x10, 0xfffffff0, 0x10));
	CHECK(!seq_in(0xffffffef, 0xfffffff0, 0x10));
}

TEST(seq_max_min__wraparound)
{
	CHECK_EQ(seq_max(0xfffffff0, 0x10), 0x10);
	CHECK_EQ(seq_min(0xfffffff0, 0x10), 0xfffffff0);
	CHECK_EQ(seq_max(3, 4), 4);
	CHECK_EQ(seq_min(3, 4), 3);
	CHECK_EQ(seq_max(9, 9), 9);
}
