// SPDX-License-Identifier: GPL-2.0
/*
 * cc.c and cc_reno.c: the congestion control framework with Reno and
 * NewReno.  Expected windows are worked out from RFC 5681 (slow start,
 * congestion avoidance, fast retransmit/recovery), RFC 6582 (partial
 * ACKs), RFC 3465 (byte counting), RFC 6928 (IW 10) in the comments.
 */
#include "harness.h"
#include "cc.h"

#define INF XTCP_INFINITE_SSTHRESH

static struct xtcp_cc new_cc(const struct xtcp_cc_ops *ops)
{
	struct xtcp_cc cc;

	memset(&cc, 0xa5, sizeof(cc));
	xtcp_cc_init(&cc, ops);
	cc.mss = 1000;
	cc.now_us = 1000000;
	cc.srtt_us = 100000;
	cc.min_rtt_us = 100000;
	cc.snd_una = 1;
	cc.snd_nxt = 1;
	cc.in_flight = cc.cwnd;
	return cc;
}

/* One RTT: the window that was sent comes back, @per_ack segments an ACK. */
static void ack_round(struct xtcp_cc *cc, u32 per_ack)
{
	u32 left = cc->cwnd;

	while (left) {
		u32 n = left < per_ack ? left : per_ack;

		cc->in_flight = cc->cwnd;
		xtcp_cc_on_ack(cc, n, 100000, true);
		left -= n;
	}
}

/* An algorithm that records what the framework calls. */
static struct {
	int init, release, ssthresh, cong_avoid, pkts_acked, set_state;
	int undo, events;
	u32 last_acked, last_rtt, last_event;
	u8 old_state, new_state;
} calls;

static void t_init(struct xtcp_cc *cc)
{
	(void)cc;
	calls.init++;
}

static void t_release(struct xtcp_cc *cc)
{
	(void)cc;
	calls.release++;
}

static u32 t_ssthresh(struct xtcp_cc *cc)
{
	calls.ssthresh++;
	return cc->cwnd / 4;
}

static void t_cong_avoid(struct xtcp_cc *cc, u32 acked)
{
	calls.cong_avoid++;
	cc->cwnd += acked;
}

static void t_pkts_acked(struct xtcp_cc *cc, u32 acked, u32 rtt_us)
{
	(void)cc;
	calls.pkts_acked++;
	calls.last_acked = acked;
	calls.last_rtt = rtt_us;
}

static void t_set_state(struct xtcp_cc *cc, u8 state)
{
	calls.set_state++;
	calls.old_state = cc->ca_state;
	calls.new_state = state;
}

static u32 t_undo(struct xtcp_cc *cc)
{
	calls.undo++;
	return cc->prior_cwnd + 5;
}

static void t_event(struct xtcp_cc *cc, u32 ev)
{
	(void)cc;
	calls.events++;
	calls.last_event = ev;
}

static struct xtcp_cc_ops test_ops = {
	.name = "test",
	.init = t_init,
	.release = t_release,
	.ssthresh = t_ssthresh,
	.cong_avoid = t_cong_avoid,
	.pkts_acked = t_pkts_acked,
	.set_state = t_set_state,
	.undo_cwnd = t_undo,
	.cwnd_event = t_event,
};

static struct xtcp_cc_ops minimal_ops = {
	.name = "minimal",
	.ssthresh = t_ssthresh,
	.cong_avoid = t_cong_avoid,
};

TEST(xtcp_cc_init__initial_window_and_state)
{
	struct xtcp_cc cc;

	memset(&calls, 0, sizeof(calls));
	cc = new_cc(&test_ops);
	CHECK_EQ(cc.cwnd, 10);			/* RFC 6928 */
	CHECK_EQ(cc.ssthresh, 0x7fffffff);
	CHECK_EQ(cc.cwnd_cnt, 0);
	CHECK_EQ(cc.ca_state, XTCP_CA_OPEN);
	CHECK_EQ(cc.prior_ssthresh, 0);
	CHECK(cc.ops == &test_ops);
	CHECK_EQ(calls.init, 1);
	for (unsigned int i = 0; i < XTCP_CC_PRIV_U64; i++)
		CHECK_EQ(cc.priv[i], 0);
	xtcp_cc_release(&cc);
	CHECK_EQ(calls.release, 1);
	CHECK(!cc.ops);
	xtcp_cc_release(&cc);			/* twice is harmless */
	CHECK_EQ(calls.release, 1);
}

TEST(xtcp_cc_init__optional_ops_absent)
{
	struct xtcp_cc cc = new_cc(&minimal_ops);

	cc.cwnd = 40;
	xtcp_cc_on_ack(&cc, 1, 1000, true);
	CHECK_EQ(cc.cwnd, 41);
	xtcp_cc_enter_recovery(&cc);		/* 41 / 4 = 10 */
	CHECK_EQ(cc.cwnd, 10);
	xtcp_cc_after_idle(&cc, 10, 5);
	CHECK(xtcp_cc_undo(&cc));		/* max(cwnd, prior_cwnd) */
	CHECK_EQ(cc.cwnd, 41);
	xtcp_cc_release(&cc);
}

TEST(xtcp_cc_switch__keeps_window_restarts_algorithm)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	memset(&calls, 0, sizeof(calls));
	cc.cwnd = 33;
	cc.ssthresh = 20;
	cc.cwnd_cnt = 7;
	cc.priv[0] = 99;
	xtcp_cc_switch(&cc, &test_ops);
	CHECK(cc.ops == &test_ops);
	CHECK_EQ(cc.cwnd, 33);
	CHECK_EQ(cc.ssthresh, 20);
	CHECK_EQ(cc.cwnd_cnt, 0);
	CHECK_EQ(cc.priv[0], 0);
	CHECK_EQ(calls.init, 1);
	xtcp_cc_switch(&cc, &xtcp_cc_cubic);
	CHECK_EQ(calls.release, 1);
	xtcp_cc_release(&cc);
}

TEST(xtcp_cc_set_state__algorithm_sees_old_and_new)
{
	struct xtcp_cc cc;

	memset(&calls, 0, sizeof(calls));
	cc = new_cc(&test_ops);
	xtcp_cc_set_state(&cc, XTCP_CA_DISORDER);
	CHECK_EQ(calls.set_state, 1);
	CHECK_EQ(calls.old_state, XTCP_CA_OPEN);
	CHECK_EQ(calls.new_state, XTCP_CA_DISORDER);
	CHECK_EQ(cc.ca_state, XTCP_CA_DISORDER);
}

TEST(xtcp_cc_on_ack__pkts_acked_always_growth_only_cwnd_limited)
{
	struct xtcp_cc cc;

	memset(&calls, 0, sizeof(calls));
	cc = new_cc(&test_ops);
	xtcp_cc_on_ack(&cc, 3, 1234, false);
	CHECK_EQ(calls.pkts_acked, 1);
	CHECK_EQ(calls.last_acked, 3);
	CHECK_EQ(calls.last_rtt, 1234);
	CHECK_EQ(calls.cong_avoid, 0);		/* RFC 7661: not validated */
	CHECK_EQ(cc.cwnd, 10);
	xtcp_cc_on_ack(&cc, 3, 1234, true);
	CHECK_EQ(calls.cong_avoid, 1);
	CHECK_EQ(cc.cwnd, 13);
	xtcp_cc_on_ack(&cc, 0, 0, true);	/* nothing new acknowledged */
	CHECK_EQ(calls.cong_avoid, 1);
	CHECK_EQ(calls.pkts_acked, 3);
}

TEST(xtcp_cc_on_ack__growth_by_state)
{
	struct xtcp_cc cc;

	memset(&calls, 0, sizeof(calls));
	cc = new_cc(&test_ops);
	cc.ca_state = XTCP_CA_DISORDER;
	xtcp_cc_on_ack(&cc, 1, 0, true);
	CHECK_EQ(cc.cwnd, 11);
	cc.ca_state = XTCP_CA_LOSS;		/* slow start after a timeout */
	xtcp_cc_on_ack(&cc, 1, 0, true);
	CHECK_EQ(cc.cwnd, 12);
	cc.ca_state = XTCP_CA_RECOVERY;
	xtcp_cc_on_ack(&cc, 1, 0, true);
	CHECK_EQ(cc.cwnd, 12);
	cc.ca_state = XTCP_CA_CWR;
	xtcp_cc_on_ack(&cc, 1, 0, true);
	CHECK_EQ(cc.cwnd, 12);
	CHECK_EQ(calls.pkts_acked, 4);
}

TEST(reno__slow_start_doubles_per_round)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	/* RFC 5681 3.1: +1 per segment acknowledged: 10 -> 20 -> 40 -> 80 */
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 20);
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 40);
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 80);
	CHECK_EQ(cc.ssthresh, INF);
}

TEST(reno__slow_start_counts_segments_not_acks)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	/* RFC 3465: delayed ACKs (2 segments each) still double the window */
	ack_round(&cc, 2);
	CHECK_EQ(cc.cwnd, 20);
	ack_round(&cc, 2);
	CHECK_EQ(cc.cwnd, 40);
	/* one stretch ACK of 40 segments: +40 */
	xtcp_cc_on_ack(&cc, 40, 100000, true);
	CHECK_EQ(cc.cwnd, 80);
}

TEST(reno__slow_start_stops_at_ssthresh_rest_is_linear)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	cc.ssthresh = 15;
	/* 8 acked: 5 take cwnd to ssthresh, 3 count toward +1 at 15 */
	xtcp_cc_on_ack(&cc, 8, 100000, true);
	CHECK_EQ(cc.cwnd, 15);
	CHECK_EQ(cc.cwnd_cnt, 3);
	xtcp_cc_on_ack(&cc, 11, 100000, true);	/* 3 + 11 = 14 < 15 */
	CHECK_EQ(cc.cwnd, 15);
	xtcp_cc_on_ack(&cc, 1, 100000, true);	/* 15: +1, count restarts */
	CHECK_EQ(cc.cwnd, 16);
	CHECK_EQ(cc.cwnd_cnt, 0);
}

TEST(reno__congestion_avoidance_one_segment_per_round)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	cc.cwnd = 20;
	cc.ssthresh = 20;
	/* RFC 5681 3.1: +1 SMSS per RTT, here per cwnd segments acked */
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 21);
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 22);
	ack_round(&cc, 2);			/* delayed ACKs: the same */
	CHECK_EQ(cc.cwnd, 23);
	/*
	 * A stretch ACK of 47 segments: +2 (byte counting in CA), each
	 * increase counted against the window at the ACK: 47 - 2 * 23 left.
	 */
	xtcp_cc_on_ack(&cc, 47, 100000, true);
	CHECK_EQ(cc.cwnd, 25);
	CHECK_EQ(cc.cwnd_cnt, 1);
}

TEST(reno__window_evolution_from_slow_start_to_loss)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	cc.ssthresh = 64;
	ack_round(&cc, 1);			/* 20 */
	ack_round(&cc, 1);			/* 40 */
	ack_round(&cc, 1);			/* 64: capped, 16 left over */
	CHECK_EQ(cc.cwnd, 64);
	CHECK_EQ(cc.cwnd_cnt, 16);
	ack_round(&cc, 1);			/* 16 + 64: one increase */
	CHECK_EQ(cc.cwnd, 65);
	cc.in_flight = 65;
	xtcp_cc_enter_recovery(&cc);		/* max(65 / 2, 2) = 32 */
	CHECK_EQ(cc.ssthresh, 32);
	CHECK_EQ(cc.cwnd, 32);
	xtcp_cc_exit_recovery(&cc);
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 33);
}

TEST(xtcp_cc_on_ack__clamp)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	cc.cwnd_clamp = 15;
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 15);
	cc.ssthresh = 15;
	ack_round(&cc, 1);
	CHECK_EQ(cc.cwnd, 15);
}

TEST(reno_ssthresh__half_the_flight_at_least_two)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	cc.cwnd = 40;
	cc.in_flight = 40;
	xtcp_cc_enter_recovery(&cc);		/* RFC 5681 (4): 40 / 2 */
	CHECK_EQ(cc.ssthresh, 20);
	CHECK_EQ(cc.cwnd, 20);
	CHECK_EQ(cc.ca_state, XTCP_CA_RECOVERY);
	CHECK_EQ(cc.prior_cwnd, 40);
	CHECK_EQ(cc.prior_ssthresh, INF);

	cc = new_cc(&xtcp_cc_newreno);
	cc.cwnd = 40;
	cc.in_flight = 25;			/* FlightSize, not cwnd: 12 */
	xtcp_cc_enter_recovery(&cc);
	CHECK_EQ(cc.ssthresh, 12);

	cc = new_cc(&xtcp_cc_reno);
	cc.cwnd = 4;
	cc.in_flight = 3;			/* max(1, 2) */
	xtcp_cc_enter_recovery(&cc);
	CHECK_EQ(cc.ssthresh, 2);
	CHECK_EQ(cc.cwnd, 2);
}

TEST(xtcp_cc_dupack__inflates_only_in_recovery)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_newreno);

	xtcp_cc_dupack(&cc);
	CHECK_EQ(cc.cwnd, 10);
	cc.cwnd = 40;
	cc.in_flight = 40;
	xtcp_cc_enter_recovery(&cc);
	/* RFC 5681 3.2 step 2: ssthresh + 3, then +1 per further dup ACK */
	xtcp_cc_dupack(&cc);
	xtcp_cc_dupack(&cc);
	xtcp_cc_dupack(&cc);
	CHECK_EQ(cc.cwnd, 23);
	xtcp_cc_dupack(&cc);
	CHECK_EQ(cc.cwnd, 24);
}

TEST(newreno_partial_ack__deflates_and_stays)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_newreno);

	cc.cwnd = 40;
	cc.in_flight = 40;
	xtcp_cc_enter_recovery(&cc);		/* 20 */
	for (int i = 0; i < 10; i++)
		xtcp_cc_dupack(&cc);		/* 30 */
	/* RFC 6582 3.2 step 3: 30 - 4 acked + 1 */
	CHECK(xtcp_cc_partial_ack(&cc, 4));
	CHECK_EQ(cc.cwnd, 27);
	CHECK_EQ(cc.ca_state, XTCP_CA_RECOVERY);
	/* 27 - 9 + 1 = 19: not below ssthresh */
	CHECK(xtcp_cc_partial_ack(&cc, 9));
	CHECK_EQ(cc.cwnd, 20);
	CHECK_EQ(cc.ca_state, XTCP_CA_RECOVERY);
	/* no growth from ACKs while in recovery */
	xtcp_cc_on_ack(&cc, 5, 100000, true);
	CHECK_EQ(cc.cwnd, 20);
	/* the full ACK: cwnd = ssthresh, RFC 6582 step 3 option 2 */
	for (int i = 0; i < 5; i++)
		xtcp_cc_dupack(&cc);
	xtcp_cc_exit_recovery(&cc);
	CHECK_EQ(cc.cwnd, 20);
	CHECK_EQ(cc.ca_state, XTCP_CA_OPEN);
	CHECK(!xtcp_cc_partial_ack(&cc, 1));	/* not in recovery */
	CHECK_EQ(cc.cwnd, 20);
}

TEST(reno_partial_ack__leaves_recovery)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	cc.cwnd = 40;
	cc.in_flight = 40;
	xtcp_cc_enter_recovery(&cc);
	for (int i = 0; i < 6; i++)
		xtcp_cc_dupack(&cc);		/* 26 */
	/* RFC 5681 3.2 step 6: the first new ACK deflates to ssthresh */
	CHECK(!xtcp_cc_partial_ack(&cc, 4));
	CHECK_EQ(cc.cwnd, 20);
	CHECK_EQ(cc.ca_state, XTCP_CA_OPEN);
	xtcp_cc_on_ack(&cc, 20, 100000, true);	/* and grows linearly */
	CHECK_EQ(cc.cwnd, 21);
}

TEST(xtcp_cc_on_rto__loss_window_and_half_ssthresh)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_newreno);

	memset(&calls, 0, sizeof(calls));
	cc.cwnd = 40;
	cc.in_flight = 40;
	xtcp_cc_on_rto(&cc);			/* RFC 5681 (4) and LW = 1 */
	CHECK_EQ(cc.cwnd, 1);
	CHECK_EQ(cc.ssthresh, 20);
	CHECK_EQ(cc.ca_state, XTCP_CA_LOSS);
	CHECK_EQ(cc.prior_cwnd, 40);
	/* the retransmission times out too: the flight is 1 now */
	cc.in_flight = 1;
	xtcp_cc_on_rto(&cc);
	CHECK_EQ(cc.cwnd, 1);
	CHECK_EQ(cc.ssthresh, 20);
	CHECK_EQ(cc.prior_cwnd, 40);
	/* slow start back to ssthresh, then linear */
	xtcp_cc_on_ack(&cc, 1, 100000, true);
	CHECK_EQ(cc.cwnd, 2);
	xtcp_cc_on_ack(&cc, 2, 100000, true);
	CHECK_EQ(cc.cwnd, 4);
	xtcp_cc_on_ack(&cc, 20, 100000, true);	/* 16 to 20, 4 counted */
	CHECK_EQ(cc.cwnd, 20);
	CHECK_EQ(cc.cwnd_cnt, 4);
	xtcp_cc_exit_recovery(&cc);		/* leaving LOSS keeps cwnd */
	CHECK_EQ(cc.cwnd, 20);
	CHECK_EQ(cc.ca_state, XTCP_CA_OPEN);

	cc = new_cc(&test_ops);
	cc.cwnd = 40;
	xtcp_cc_on_rto(&cc);
	CHECK_EQ(calls.events, 1);
	CHECK_EQ(calls.last_event, XTCP_CC_EV_LOSS);
}

TEST(xtcp_cc_on_rto__during_recovery_keeps_its_ssthresh)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_newreno);

	cc.cwnd = 40;
	cc.in_flight = 40;
	xtcp_cc_enter_recovery(&cc);
	cc.in_flight = 10;
	xtcp_cc_on_rto(&cc);
	CHECK_EQ(cc.ssthresh, 20);
	CHECK_EQ(cc.cwnd, 1);
	CHECK_EQ(cc.prior_cwnd, 40);
	CHECK_EQ(cc.ca_state, XTCP_CA_LOSS);
}

TEST(xtcp_cc_undo__restores_window_and_threshold)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	CHECK(!xtcp_cc_undo(&cc));		/* nothing to undo */
	cc.cwnd = 40;
	cc.ssthresh = 30;
	cc.in_flight = 40;
	xtcp_cc_enter_recovery(&cc);
	CHECK(xtcp_cc_undo(&cc));
	CHECK_EQ(cc.cwnd, 40);
	CHECK_EQ(cc.ssthresh, 30);
	CHECK_EQ(cc.ca_state, XTCP_CA_OPEN);
	CHECK(!xtcp_cc_undo(&cc));		/* only once */

	cc.in_flight = 40;
	xtcp_cc_on_rto(&cc);
	xtcp_cc_on_ack(&cc, 1, 100000, true);
	CHECK(xtcp_cc_undo(&cc));
	CHECK_EQ(cc.cwnd, 40);
	CHECK_EQ(cc.ssthresh, 30);

	/* the algorithm's own undo_cwnd */
	cc = new_cc(&test_ops);
	cc.cwnd = 40;
	xtcp_cc_enter_recovery(&cc);
	CHECK_EQ(cc.cwnd, 10);
	CHECK(xtcp_cc_undo(&cc));
	CHECK_EQ(cc.cwnd, 45);
	CHECK_EQ(cc.ssthresh, INF);
}

TEST(xtcp_cc_after_idle__halves_per_rto_to_initial_window)
{
	struct xtcp_cc cc = new_cc(&xtcp_cc_reno);

	memset(&calls, 0, sizeof(calls));
	/* idle no longer than an RTO: nothing */
	cc.cwnd = 64;
	cc.ssthresh = 20;
	xtcp_cc_after_idle(&cc, 200000, 200000);
	CHECK_EQ(cc.cwnd, 64);
	CHECK_EQ(cc.ssthresh, 20);
	/* 1.5 RTOs: one halving; ssthresh keeps 3/4 of the old window */
	xtcp_cc_after_idle(&cc, 300000, 200000);
	CHECK_EQ(cc.cwnd, 32);
	CHECK_EQ(cc.ssthresh, 48);
	/* 3.5 RTOs from 40: 20, 10, then the IW floor stops it */
	cc.cwnd = 40;
	cc.ssthresh = 30;
	xtcp_cc_after_idle(&cc, 700000, 200000);
	CHECK_EQ(cc.cwnd, 10);
	CHECK_EQ(cc.ssthresh, 30);
	/* 2 RTOs from 30: 15, 7 -> back up to the IW floor of 10 */
	cc.cwnd = 30;
	xtcp_cc_after_idle(&cc, 400000, 200000);
	CHECK_EQ(cc.cwnd, 10);
	/* a window already below IW is left alone; 3/4 of 6 is 4 */
	cc.cwnd = 6;
	cc.ssthresh = 4;
	xtcp_cc_after_idle(&cc, 100000000, 200000);
	CHECK_EQ(cc.cwnd, 6);
	CHECK_EQ(cc.ssthresh, 4);
	/* an infinite ssthresh stays infinite: slow start back */
	cc.cwnd = 80;
	cc.ssthresh = INF;
	xtcp_cc_after_idle(&cc, 1000000, 200000);
	CHECK_EQ(cc.cwnd, 10);
	CHECK_EQ(cc.ssthresh, INF);
	xtcp_cc_after_idle(&cc, 1000000, 0);	/* no RTO known: nothing */
	CHECK_EQ(cc.cwnd, 10);

	cc = new_cc(&test_ops);
	cc.cwnd = 40;
	xtcp_cc_after_idle(&cc, 100, 200000);
	CHECK_EQ(calls.events, 1);
	CHECK_EQ(calls.last_event, XTCP_CC_EV_TX_START);
	xtcp_cc_after_idle(&cc, 400000, 200000);
	CHECK_EQ(calls.events, 3);
	CHECK_EQ(calls.last_event, XTCP_CC_EV_CWND_RESTART);
	CHECK_EQ(cc.cwnd, 10);
}

TEST(xtcp_cc_ops__names_and_flags)
{
	CHECK(!strcmp(xtcp_cc_reno.name, "reno"));
	CHECK(!strcmp(xtcp_cc_newreno.name, "newreno"));
	CHECK(!strcmp(xtcp_cc_cubic.name, "cubic"));
	CHECK(xtcp_cc_reno.flags & XTCP_CC_RENO_RECOVERY);
	CHECK(!(xtcp_cc_newreno.flags & XTCP_CC_RENO_RECOVERY));
	CHECK(!(xtcp_cc_cubic.flags & XTCP_CC_RENO_RECOVERY));
}
