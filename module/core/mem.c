// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace memory limit's decisions (mem.h); the glue counts the
 * bytes (module/mem.c).
 */
#include "mem.h"

void xtcp_mem_default(unsigned long free_pages, int mem[3])
{
	/* A sixteenth of the buffer pages, at least 128 (tcp_init_mem()). */
	unsigned long limit = free_pages / 16;

	if (limit < 128)
		limit = 128;
	if (limit > 0x3fffffffUL)
		limit = 0x3fffffffUL;
	mem[0] = (int)(limit / 4 * 3);
	mem[1] = (int)limit;
	mem[2] = mem[0] * 2;
}

bool xtcp_mem_enters_pressure(const struct xtcp_mem_limits *l, u64 total)
{
	return total > l->pressure;
}

bool xtcp_mem_leaves_pressure(const struct xtcp_mem_limits *l, u64 total)
{
	return total <= l->min;
}

bool xtcp_mem_admit(const struct xtcp_mem_limits *l,
		    const struct xtcp_mem_ask *ask)
{
	/* total + size <= max, without overflowing the sum. */
	return ask->always ||
	       (ask->size <= l->max && ask->total <= l->max - ask->size);
}

u32 xtcp_mem_rcv_space(u32 space, u32 mss, bool pressure)
{
	u32 cap = 4 * mss;

	return pressure && space > cap ? cap : space;
}
