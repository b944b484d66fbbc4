// SPDX-License-Identifier: GPL-2.0
/* mem.c: the namespace memory limit, net.xtcp.mem (Linux's tcp_mem). */
#include "harness.h"
#include "mem.h"

/* 48 64 96 pages of 4 KiB, as the memory selftest sets them. */
static const struct xtcp_mem_limits lim = {
	.min = 48 * 4096, .pressure = 64 * 4096, .max = 96 * 4096,
};

TEST(xtcp_mem_default__as_tcp_init_mem)
{
	int mem[3];

	/* 4 GiB of buffer pages: a sixteenth is 65536 pages. */
	xtcp_mem_default(1048576, mem);
	CHECK_EQ(mem[0], 49152);
	CHECK_EQ(mem[1], 65536);
	CHECK_EQ(mem[2], 98304);
	/* A tiny machine still gets 128 pages of pressure threshold. */
	xtcp_mem_default(100, mem);
	CHECK_EQ(mem[0], 96);
	CHECK_EQ(mem[1], 128);
	CHECK_EQ(mem[2], 192);
	/* Huge counts stay within an int. */
	xtcp_mem_default(~0UL, mem);
	CHECK(mem[2] > 0);
	CHECK(mem[0] <= mem[1] && mem[1] <= mem[2]);
}

TEST(xtcp_mem_pressure__hysteresis)
{
	/* Entered only above "pressure"... */
	CHECK(!xtcp_mem_enters_pressure(&lim, 64 * 4096));
	CHECK(xtcp_mem_enters_pressure(&lim, 64 * 4096 + 1));
	/* ...and left only at "min" or below, not just under "pressure". */
	CHECK(!xtcp_mem_leaves_pressure(&lim, 64 * 4096 - 1));
	CHECK(!xtcp_mem_leaves_pressure(&lim, 48 * 4096 + 1));
	CHECK(xtcp_mem_leaves_pressure(&lim, 48 * 4096));
	CHECK(xtcp_mem_leaves_pressure(&lim, 0));
}

TEST(xtcp_mem_admit__up_to_max)
{
	struct xtcp_mem_ask a = { .total = 96 * 4096 - 2304, .size = 2304 };

	CHECK(xtcp_mem_admit(&lim, &a));
	a.size++;
	CHECK(!xtcp_mem_admit(&lim, &a));
	/* Under pressure but below max: still taken. */
	a.total = 80 * 4096;
	a.size = 4096;
	CHECK(xtcp_mem_admit(&lim, &a));
}

TEST(xtcp_mem_admit__the_guaranteed_buffer)
{
	struct xtcp_mem_ask a = { .total = 1000 * 4096, .size = 4096 };

	CHECK(!xtcp_mem_admit(&lim, &a));
	a.always = true;
	CHECK(xtcp_mem_admit(&lim, &a));
}

TEST(xtcp_mem_admit__no_overflow_near_u64_max)
{
	struct xtcp_mem_limits big = { .min = 1, .pressure = 2, .max = ~0ULL - 10 };
	struct xtcp_mem_ask a = { .total = ~0ULL - 20, .size = 10 };

	CHECK(xtcp_mem_admit(&big, &a));
	a.total = ~0ULL - 5;	/* the sum would wrap to a small number */
	CHECK(!xtcp_mem_admit(&big, &a));
}

TEST(xtcp_mem_rcv_space__clamped_under_pressure)
{
	CHECK_EQ(xtcp_mem_rcv_space(65536, 1448, false), 65536);
	CHECK_EQ(xtcp_mem_rcv_space(65536, 1448, true), 4 * 1448);
	/* Less than four segments free: what is free. */
	CHECK_EQ(xtcp_mem_rcv_space(3000, 1448, true), 3000);
	CHECK_EQ(xtcp_mem_rcv_space(0, 1448, true), 0);
}
