// SPDX-License-Identifier: GPL-2.0
/*
 * The congestion control framework: the window arithmetic every algorithm
 * shares (RFC 5681, 6582, 3465, 6928, 7661) and the calls into the
 * algorithm at each event.  The glue decides when an event happened.
 */
#include "cc.h"

void xtcp_cc_set_state(struct xtcp_cc *cc, u8 ca_state)
{
	if (cc->ops->set_state)
		cc->ops->set_state(cc, ca_state);
	cc->ca_state = ca_state;
}

static void cc_start(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops)
{
	cc->ops = ops;
	memset(cc->priv, 0, sizeof(cc->priv));
	if (ops->init)
		ops->init(cc);
}

void xtcp_cc_init(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops)
{
	cc->cwnd = XTCP_INIT_CWND;
	cc->ssthresh = XTCP_INFINITE_SSTHRESH;
	cc->cwnd_cnt = 0;
	cc->cwnd_clamp = XTCP_INFINITE_SSTHRESH;
	cc->ca_state = XTCP_CA_OPEN;
	cc->prior_cwnd = 0;
	cc->prior_ssthresh = 0;
	cc_start(cc, ops);
}

void xtcp_cc_release(struct xtcp_cc *cc)
{
	if (cc->ops && cc->ops->release)
		cc->ops->release(cc);
	cc->ops = NULL;
}

void xtcp_cc_switch(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops)
{
	xtcp_cc_release(cc);
	cc->cwnd_cnt = 0;
	cc_start(cc, ops);
}

u32 xtcp_cc_slow_start(struct xtcp_cc *cc, u32 acked)
{
	u32 grow;

	if (cc->cwnd >= cc->ssthresh)
		return acked;
	grow = min_t(u32, acked, cc->ssthresh - cc->cwnd);
	cc->cwnd = min_t(u32, cc->cwnd + grow, cc->cwnd_clamp);
	return acked - grow;
}

XTCP_EXPORT_GPL(xtcp_cc_slow_start);

void xtcp_cc_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked)
{
	if (!w)
		w = 1;
	/* A window that shrank meanwhile must not bank a large count. */
	if (cc->cwnd_cnt >= w) {
		cc->cwnd_cnt = 0;
		cc->cwnd++;
	}
	cc->cwnd_cnt += acked;
	if (cc->cwnd_cnt >= w) {
		u32 inc = cc->cwnd_cnt / w;

		cc->cwnd_cnt -= inc * w;
		cc->cwnd += inc;
	}
	cc->cwnd = min_t(u32, cc->cwnd, cc->cwnd_clamp);
}

XTCP_EXPORT_GPL(xtcp_cc_cong_avoid_ai);

void xtcp_cc_on_ack(struct xtcp_cc *cc, u32 acked, u32 rtt_us,
		    bool cwnd_limited)
{
	if (cc->ops->pkts_acked)
		cc->ops->pkts_acked(cc, acked, rtt_us);
	/* Recovery and CWR set the window themselves; loss slow-starts. */
	if (cc->ca_state == XTCP_CA_RECOVERY || cc->ca_state == XTCP_CA_CWR)
		return;
	/* RFC 7661: a window the sender does not use is not validated. */
	if (!cwnd_limited || !acked)
		return;
	cc->ops->cong_avoid(cc, acked);
}

static void cc_save_prior(struct xtcp_cc *cc)
{
	cc->prior_cwnd = cc->cwnd;
	cc->prior_ssthresh = cc->ssthresh;
}

void xtcp_cc_enter_recovery(struct xtcp_cc *cc)
{
	cc_save_prior(cc);
	cc->ssthresh = max_t(u32, cc->ops->ssthresh(cc), 2);
	cc->cwnd = min_t(u32, cc->ssthresh, cc->cwnd_clamp);
	cc->cwnd_cnt = 0;
	xtcp_cc_set_state(cc, XTCP_CA_RECOVERY);
}

void xtcp_cc_dupack(struct xtcp_cc *cc)
{
	if (cc->ca_state == XTCP_CA_RECOVERY && cc->cwnd < cc->cwnd_clamp)
		cc->cwnd++;
}

void xtcp_cc_exit_recovery(struct xtcp_cc *cc)
{
	/* RFC 6582 3.2 step 3 option 2; after a timeout cwnd has regrown. */
	if ((cc->ca_state == XTCP_CA_RECOVERY || cc->ca_state == XTCP_CA_CWR) &&
	    cc->ssthresh < XTCP_INFINITE_SSTHRESH)
		cc->cwnd = min_t(u32, cc->ssthresh, cc->cwnd_clamp);
	cc->cwnd_cnt = 0;
	xtcp_cc_set_state(cc, XTCP_CA_OPEN);
}

bool xtcp_cc_partial_ack(struct xtcp_cc *cc, u32 acked)
{
	if (cc->ca_state != XTCP_CA_RECOVERY)
		return false;
	if (cc->ops->flags & XTCP_CC_RENO_RECOVERY) {
		xtcp_cc_exit_recovery(cc);
		return false;
	}
	/*
	 * Deflate what the duplicate ACKs inflated; never below ssthresh,
	 * so a glue that counts the pipe (and so never inflates) keeps
	 * the window fast retransmit set.
	 */
	if (acked) {
		u32 deflated = cc->cwnd > acked ? cc->cwnd - acked + 1 : 1;

		cc->cwnd = max_t(u32, deflated, cc->ssthresh);
	}
	return true;
}

void xtcp_cc_on_rto(struct xtcp_cc *cc)
{
	/*
	 * The first timeout of an episode computes ssthresh from the flight
	 * before the loss.  A later one (LOSS), or a timeout in a recovery
	 * that already reduced it, keeps it: the flight has shrunk to the
	 * retransmissions and would give a threshold far too low.
	 */
	if (cc->ca_state <= XTCP_CA_DISORDER) {
		cc_save_prior(cc);
		cc->ssthresh = max_t(u32, cc->ops->ssthresh(cc), 2);
		if (cc->ops->cwnd_event)
			cc->ops->cwnd_event(cc, XTCP_CC_EV_LOSS);
	}
	cc->cwnd = 1;
	cc->cwnd_cnt = 0;
	xtcp_cc_set_state(cc, XTCP_CA_LOSS);
}

bool xtcp_cc_undo(struct xtcp_cc *cc)
{
	if (!cc->prior_ssthresh)
		return false;
	if (cc->ops->undo_cwnd)
		cc->cwnd = cc->ops->undo_cwnd(cc);
	else
		cc->cwnd = max_t(u32, cc->cwnd, cc->prior_cwnd);
	cc->cwnd = min_t(u32, cc->cwnd, cc->cwnd_clamp);
	cc->ssthresh = max_t(u32, cc->ssthresh, cc->prior_ssthresh);
	cc->prior_ssthresh = 0;
	cc->cwnd_cnt = 0;
	xtcp_cc_set_state(cc, XTCP_CA_OPEN);
	return true;
}

void xtcp_cc_after_idle(struct xtcp_cc *cc, u32 idle_us, u32 rto_us)
{
	u32 floor = min_t(u32, cc->cwnd, XTCP_INIT_CWND);
	u32 rtos;

	if (cc->ops->cwnd_event)
		cc->ops->cwnd_event(cc, XTCP_CC_EV_TX_START);
	if (!rto_us || idle_us <= rto_us)
		return;
	/* Remember most of the old window, as RFC 7661 4.4.3 and Linux. */
	cc->ssthresh = max_t(u32, cc->ssthresh, (u32)((u64)cc->cwnd * 3 / 4));
	for (rtos = idle_us / rto_us; rtos && cc->cwnd > floor; rtos--)
		cc->cwnd >>= 1;
	cc->cwnd = max_t(u32, cc->cwnd, floor);
	cc->cwnd_cnt = 0;
	if (cc->ops->cwnd_event)
		cc->ops->cwnd_event(cc, XTCP_CC_EV_CWND_RESTART);
}
