// SPDX-License-Identifier: GPL-2.0
/*
 * Reno (RFC 5681) and NewReno (RFC 6582): slow start, then one segment
 * per window of acknowledged data; half the flight after a loss.  They
 * differ only in when fast recovery ends, which the framework handles
 * from XTCP_CC_RENO_RECOVERY.
 */
#include "cc.h"

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static u32 reno_ssthresh(struct xtcp_cc *cc)
{
	return max_t(u32, cc->in_flight >> 1, 2);
}

static void reno_cong_avoid(struct xtcp_cc *cc, u32 acked)
{
	if (xtcp_cc_in_slow_start(cc)) {
		acked = xtcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	xtcp_cc_cong_avoid_ai(cc, cc->cwnd, acked);
}

struct xtcp_cc_ops xtcp_cc_reno = {
	.name		= "reno",
	.flags		= XTCP_CC_RENO_RECOVERY,
	.ssthresh	= reno_ssthresh,
	.cong_avoid	= reno_cong_avoid,
};

struct xtcp_cc_ops xtcp_cc_newreno = {
	.name		= "newreno",
	.ssthresh	= reno_ssthresh,
	.cong_avoid	= reno_cong_avoid,
};
