// SPDX-License-Identifier: GPL-2.0
/*
 * Scalable TCP (Tom Kelly, "Scalable TCP: Improving Performance in Highspeed
 * Wide Area Networks", 2003) for xtcp, as a module of its own: the example
 * of Documentation/congestion-control.rst, "Writing an algorithm module".
 *
 * Above a legacy window of 16 segments, each acknowledged segment adds
 * a = 0.01 segment to cwnd (one segment per 100 acknowledged) and a loss
 * takes b = 1/8 of cwnd away, so recovery takes a fixed number of round
 * trips whatever the window.  Below it, Reno: one segment per window
 * acknowledged, half the flight after a loss.  Slow start is the
 * framework's.
 */
#include <linux/module.h>

#include "core/cc.h"

#define SCALABLE_LOW_WINDOW	16	/* Kelly's lwnd */
#define SCALABLE_AI_CNT		100	/* 1 / a */
#define SCALABLE_MD_SHIFT	3	/* b = 1 / 2^3 */

static u32 scalable_ssthresh(struct xtcp_cc *cc)
{
	if (cc->cwnd < SCALABLE_LOW_WINDOW)
		return max_t(u32, cc->in_flight >> 1, 2);
	return max_t(u32, cc->cwnd - (cc->cwnd >> SCALABLE_MD_SHIFT), 2);
}

static void scalable_cong_avoid(struct xtcp_cc *cc, u32 acked)
{
	if (xtcp_cc_in_slow_start(cc)) {
		acked = xtcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	if (cc->cwnd < SCALABLE_LOW_WINDOW)
		xtcp_cc_cong_avoid_ai(cc, cc->cwnd, acked);
	else
		xtcp_cc_cong_avoid_ai(cc, SCALABLE_AI_CNT, acked);
}

static struct xtcp_cc_ops xtcp_scalable = {
	.name		= "scalable",
	.ssthresh	= scalable_ssthresh,
	.cong_avoid	= scalable_cong_avoid,
	.owner		= THIS_MODULE,
};

static int __init xtcp_scalable_init(void)
{
	return xtcp_register_cc(&xtcp_scalable);
}

static void __exit xtcp_scalable_exit(void)
{
	xtcp_unregister_cc(&xtcp_scalable);
}

module_init(xtcp_scalable_init);
module_exit(xtcp_scalable_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Scalable TCP congestion control for xtcp");
