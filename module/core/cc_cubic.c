// SPDX-License-Identifier: GPL-2.0
/*
 * CUBIC (RFC 9438) with the delay-increase exit of HyStart++ (RFC 9406).
 *
 * After a loss the window follows W_cubic(t) = C * (t - K)^3 + W_max,
 * t the time since congestion avoidance began, K the time the curve takes
 * back to W_max.  Time is counted in ticks of 1/1024 s so that C = 0.4
 * segments/s^3 becomes 2 / (5 * 2^30) segments/tick^3; everything is
 * integer arithmetic.
 */
#include "cc.h"
#include "seq.h"

#define CUBIC_BETA_NUM		7	/* beta_cubic = 7/10 */
#define CUBIC_BETA_DEN		10
#define CUBIC_TICK_SHIFT	10	/* a tick is 2^-10 s */
#define CUBIC_MAX_DELTA		0x100000U	/* ticks (17 min): d^3 fits */

/* Reno-friendly alpha = 3 (1 - beta) / (1 + beta) = 9/17 (RFC 9438 4.3) */
#define CUBIC_ALPHA_NUM		9
#define CUBIC_ALPHA_DEN		17

/* HyStart++ (RFC 9406 4.3) constants, and Linux's lowest window for it. */
#define HYSTART_MIN_RTT_THRESH	4000U	/* us */
#define HYSTART_MAX_RTT_THRESH	16000U	/* us */
#define HYSTART_RTT_DIVISOR	8
#define HYSTART_N_RTT_SAMPLE	8
#define HYSTART_LOW_WINDOW	16
#define HYSTART_NO_RTT		0xffffffffU

struct cubic {
	u64 epoch_us;		/* when this congestion avoidance stage began */
	u64 est_cnt;		/* alpha-weighted ACKed segments toward W_est+1 */
	u32 w_max;		/* cwnd before the last reduction */
	u32 prior_w_max;	/* w_max before that, for undo */
	u32 origin;		/* the curve's plateau: w_max, or cwnd if above */
	u32 k_ticks;		/* K */
	u32 w_est;		/* Reno-friendly estimate (RFC 9438 4.3) */
	u32 window_end;		/* HyStart++: snd_nxt when this round began */
	u32 last_round_min_rtt;	/* HyStart++: us, or HYSTART_NO_RTT */
	u32 cur_round_min_rtt;
	u32 rtt_samples;	/* HyStart++: in this round */
	bool epoch_valid;	/* epoch_us .. w_est describe the current stage */
	bool round_valid;	/* window_end is set */
};

XTCP_CC_PRIV_FITS(cubic);

static struct cubic *cubic_of(const struct xtcp_cc *cc)
{
	return (struct cubic *)cc->priv;
}

u32 xtcp_cubic_cbrt(u64 x)
{
	u32 lo = 0, hi = 2642246;	/* 2642246^3 > 2^64 > 2642245^3 */

	/* Largest y with y^3 <= x. */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if ((u64)mid * mid * mid <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static u32 us_to_ticks(u64 us)
{
	return (u32)min_t(u64, xtcp_cc_div64(us << CUBIC_TICK_SHIFT, 1000000),
			  0xffffffffULL);
}

/* W_cubic(t) in segments, t in ticks since the epoch (RFC 9438 eq. 1). */
static u32 cubic_w(const struct cubic *ca, u32 t)
{
	u32 d = t < ca->k_ticks ? ca->k_ticks - t : t - ca->k_ticks;
	u64 delta;

	d = min_t(u32, d, CUBIC_MAX_DELTA);
	delta = xtcp_cc_div64(2ULL * d * d * d, 5ULL << 30);
	if (t < ca->k_ticks)
		return delta < ca->origin ? ca->origin - (u32)delta : 0;
	return (u32)min_t(u64, ca->origin + delta, XTCP_INFINITE_SSTHRESH);
}

u32 xtcp_cubic_w_cubic(const struct xtcp_cc *cc, u64 t_us)
{
	return cubic_w(cubic_of(cc), us_to_ticks(t_us));
}

u32 xtcp_cubic_k_ms(const struct xtcp_cc *cc)
{
	return (u32)(((u64)cubic_of(cc)->k_ticks * 1000) >> CUBIC_TICK_SHIFT);
}

u32 xtcp_cubic_w_max(const struct xtcp_cc *cc)
{
	return cubic_of(cc)->w_max;
}

u32 xtcp_cubic_w_est(const struct xtcp_cc *cc)
{
	return cubic_of(cc)->w_est;
}

static void cubic_hystart_reset(struct cubic *ca)
{
	ca->round_valid = false;
	ca->last_round_min_rtt = HYSTART_NO_RTT;
	ca->cur_round_min_rtt = HYSTART_NO_RTT;
	ca->rtt_samples = 0;
}

static void cubic_init(struct xtcp_cc *cc)
{
	struct cubic *ca = cubic_of(cc);

	ca->epoch_valid = false;
	cubic_hystart_reset(ca);
}

/* A congestion avoidance stage begins (RFC 9438 4.2, 4.3). */
static void cubic_epoch_start(struct xtcp_cc *cc, struct cubic *ca)
{
	ca->epoch_valid = true;
	ca->epoch_us = cc->now_us;
	ca->w_est = cc->cwnd;
	ca->est_cnt = 0;
	cc->cwnd_cnt = 0;
	if (ca->w_max > cc->cwnd) {
		/* K = cbrt((W_max - cwnd_epoch) / C), C = 2 / (5 * 2^30) */
		u64 k3 = (u64)(ca->w_max - cc->cwnd) * 5 << 29;

		ca->origin = ca->w_max;
		ca->k_ticks = xtcp_cubic_cbrt(k3);
	} else {
		ca->origin = cc->cwnd;
		ca->k_ticks = 0;
	}
}

/* W_est += alpha * acked / cwnd; alpha becomes 1 past W_max (4.3). */
static void cubic_update_w_est(struct xtcp_cc *cc, struct cubic *ca, u32 acked)
{
	u64 step = (u64)CUBIC_ALPHA_DEN * cc->cwnd;
	u32 num = ca->w_est >= ca->w_max ? CUBIC_ALPHA_DEN : CUBIC_ALPHA_NUM;

	ca->est_cnt += (u64)acked * num;
	if (ca->est_cnt >= step) {
		u64 n = xtcp_cc_div64(ca->est_cnt, step);

		ca->est_cnt -= n * step;
		ca->w_est = (u32)min_t(u64, ca->w_est + n,
				       XTCP_INFINITE_SSTHRESH);
	}
}

static void cubic_cong_avoid(struct xtcp_cc *cc, u32 acked)
{
	struct cubic *ca = cubic_of(cc);
	u32 rtt_us = cc->min_rtt_us ? cc->min_rtt_us : cc->srtt_us;
	u64 t_us;
	u32 target, cnt;

	if (xtcp_cc_in_slow_start(cc)) {
		acked = xtcp_cc_slow_start(cc, acked);
		if (!acked)
			return;
	}
	if (!ca->epoch_valid)
		cubic_epoch_start(cc, ca);
	t_us = cc->now_us - ca->epoch_us;

	cubic_update_w_est(cc, ca, acked);
	if (cubic_w(ca, us_to_ticks(t_us)) < ca->w_est) {
		/* Reno-friendly region: standard TCP would do better. */
		if (ca->w_est > cc->cwnd)
			cc->cwnd = min_t(u32, ca->w_est, cc->cwnd_clamp);
		return;
	}

	/* Concave or convex region: aim where the curve is one RTT on. */
	target = cubic_w(ca, us_to_ticks(t_us + rtt_us));
	target = min_t(u32, target, cc->cwnd + (cc->cwnd >> 1));
	if (target > cc->cwnd)
		cnt = cc->cwnd / (target - cc->cwnd);
	else
		cnt = 100 * cc->cwnd;	/* at the plateau: barely grow */
	xtcp_cc_cong_avoid_ai(cc, cnt, acked);
}

/* RFC 9438 4.6, 4.7: multiplicative decrease and fast convergence. */
static u32 cubic_ssthresh(struct xtcp_cc *cc)
{
	struct cubic *ca = cubic_of(cc);

	ca->epoch_valid = false;
	ca->prior_w_max = ca->w_max;
	if (cc->cwnd < ca->w_max)
		ca->w_max = (u32)(((u64)cc->cwnd * (CUBIC_BETA_DEN + CUBIC_BETA_NUM)) /
				  (2 * CUBIC_BETA_DEN));
	else
		ca->w_max = cc->cwnd;
	return max_t(u32, (u32)((u64)cc->cwnd * CUBIC_BETA_NUM / CUBIC_BETA_DEN),
		     2);
}

static u32 cubic_undo_cwnd(struct xtcp_cc *cc)
{
	struct cubic *ca = cubic_of(cc);

	ca->w_max = ca->prior_w_max;
	ca->epoch_valid = false;
	return max_t(u32, cc->cwnd, cc->prior_cwnd);
}

/*
 * HyStart++ delay increase (RFC 9406 4.3), initial slow start only: once
 * a round's smallest RTT exceeds the previous round's by an eighth
 * (clamped to 4..16 ms), slow start ends (ssthresh = cwnd).  The
 * conservative slow start phase of RFC 9406 is left out, as Linux does.
 */
static void cubic_pkts_acked(struct xtcp_cc *cc, u32 acked, u32 rtt_us)
{
	struct cubic *ca = cubic_of(cc);
	u32 thresh;

	if (cc->ssthresh != XTCP_INFINITE_SSTHRESH)
		return;
	if (!ca->round_valid || seq_geq(cc->snd_una, ca->window_end)) {
		ca->round_valid = true;
		ca->window_end = cc->snd_nxt;
		ca->last_round_min_rtt = ca->cur_round_min_rtt;
		ca->cur_round_min_rtt = HYSTART_NO_RTT;
		ca->rtt_samples = 0;
	}
	if (!rtt_us || !acked)
		return;
	ca->cur_round_min_rtt = min_t(u32, ca->cur_round_min_rtt, rtt_us);
	ca->rtt_samples++;
	if (ca->rtt_samples < HYSTART_N_RTT_SAMPLE ||
	    ca->last_round_min_rtt == HYSTART_NO_RTT ||
	    cc->cwnd < HYSTART_LOW_WINDOW)
		return;
	thresh = ca->last_round_min_rtt / HYSTART_RTT_DIVISOR;
	thresh = max_t(u32, thresh, HYSTART_MIN_RTT_THRESH);
	thresh = min_t(u32, thresh, HYSTART_MAX_RTT_THRESH);
	if (ca->cur_round_min_rtt >= ca->last_round_min_rtt + thresh)
		cc->ssthresh = cc->cwnd;
}

static void cubic_cwnd_event(struct xtcp_cc *cc, u32 event)
{
	/* After idle the curve starts afresh from the current window. */
	if (event == XTCP_CC_EV_TX_START)
		cubic_of(cc)->epoch_valid = false;
}

struct xtcp_cc_ops xtcp_cc_cubic = {
	.name		= "cubic",
	.init		= cubic_init,
	.ssthresh	= cubic_ssthresh,
	.cong_avoid	= cubic_cong_avoid,
	.pkts_acked	= cubic_pkts_acked,
	.undo_cwnd	= cubic_undo_cwnd,
	.cwnd_event	= cubic_cwnd_event,
};
