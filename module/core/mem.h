/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A namespace's memory for xtcp's queues against net.xtcp.mem, with the
 * meaning of Linux's tcp_mem: below "min" all is well, above "pressure"
 * the namespace is under memory pressure until it falls back to "min",
 * and above "max" charges are refused - but for the one buffer each
 * connection always gets, so that none of them can be stuck for good.
 */
#ifndef _XTCP_CORE_MEM_H
#define _XTCP_CORE_MEM_H

#include "types.h"

/* net.xtcp.mem in bytes. */
struct xtcp_mem_limits {
	u64 min;
	u64 pressure;
	u64 max;
};

/* One charge asked for. */
struct xtcp_mem_ask {
	u64 total;		/* the namespace's bytes before it */
	u32 size;		/* the bytes asked for */
	bool always;		/* the socket's one guaranteed buffer */
};

/* Linux's default tcp_mem, in pages, from the free buffer pages. */
void xtcp_mem_default(unsigned long free_pages, int mem[3]);

/* Whether holding @total bytes starts or ends memory pressure. */
bool xtcp_mem_enters_pressure(const struct xtcp_mem_limits *l, u64 total);
bool xtcp_mem_leaves_pressure(const struct xtcp_mem_limits *l, u64 total);

/* Whether the charge may be made. */
bool xtcp_mem_admit(const struct xtcp_mem_limits *l,
		    const struct xtcp_mem_ask *ask);

/*
 * The receive space to offer: under pressure at most four segments past
 * rcv_nxt (Linux clamps rcv_ssthresh so); a right edge already offered
 * stays where it is (xtcp_tcb_rcv_window() never takes it back).
 */
u32 xtcp_mem_rcv_space(u32 space, u32 mss, bool pressure);

#endif /* _XTCP_CORE_MEM_H */
