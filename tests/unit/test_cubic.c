// SPDX-License-Identifier: GPL-2.0
/*
 * cc_cubic.c: CUBIC (RFC 9438) and its HyStart++ delay exit (RFC 9406).
 * Expected figures from the RFC formulas, C = 0.4, beta_cubic = 0.7:
 *   K = cbrt(W_max * (1 - beta) / C),  W_cubic(t) = C (t - K)^3 + W_max,
 *   W_est += alpha * acked / cwnd with alpha = 3 (1 - beta) / (1 + beta).
 */
#include "harness.h"
#include "cc.h"

#define INF XTCP_INFINITE_SSTHRESH
#define SEC 1000000ULL

static struct xtcp_cc new_cubic(void)
{
	struct xtcp_cc cc;

	memset(&cc, 0x5a, sizeof(cc));
	xtcp_cc_init(&cc, &xtcp_cc_cubic);
	cc.mss = 1000;
	cc.now_us = 5 * SEC;
	cc.srtt_us = 100000;
	cc.min_rtt_us = 100000;
	cc.snd_una = 1;
	cc.snd_nxt = 11;
	cc.in_flight = 10;
	return cc;
}

/* A loss at @cwnd, fast recovery, then the first ACK of the new stage. */
static struct xtcp_cc cubic_after_loss(u32 cwnd, u32 rtt_us)
{
	struct xtcp_cc cc = new_cubic();

	cc.cwnd = cwnd;
	cc.ssthresh = cwnd;
	cc.in_flight = cwnd;
	cc.srtt_us = rtt_us;
	cc.min_rtt_us = rtt_us;
	xtcp_cc_enter_recovery(&cc);
	xtcp_cc_exit_recovery(&cc);
	xtcp_cc_on_ack(&cc, 1, rtt_us, true);	/* the epoch begins now */
	return cc;
}

/* One RTT of ACKs, one segment each, spread evenly over @rtt_us. */
static void ack_round(struct xtcp_cc *cc, u32 rtt_us)
{
	u32 n = cc->cwnd;

	for (u32 i = 0; i < n; i++) {
		cc->now_us += rtt_us / n;
		xtcp_cc_on_ack(cc, 1, rtt_us, true);
	}
}

/* |got - want / 100| <= 1 segment, want in hundredths */
static int within_one(u32 got, u64 want_x100)
{
	u64 g = (u64)got * 100;

	return g + 100 >= want_x100 && g <= want_x100 + 100;
}

TEST(xtcp_cubic_cbrt__exact_floor)
{
	CHECK_EQ(xtcp_cubic_cbrt(0), 0);
	CHECK_EQ(xtcp_cubic_cbrt(1), 1);
	CHECK_EQ(xtcp_cubic_cbrt(7), 1);
	CHECK_EQ(xtcp_cubic_cbrt(8), 2);
	CHECK_EQ(xtcp_cubic_cbrt(26), 2);
	CHECK_EQ(xtcp_cubic_cbrt(27), 3);
	CHECK_EQ(xtcp_cubic_cbrt(999999999), 999);
	CHECK_EQ(xtcp_cubic_cbrt(1000000000), 1000);
	CHECK_EQ(xtcp_cubic_cbrt(1ULL << 63), 2097152);
	CHECK_EQ(xtcp_cubic_cbrt((1ULL << 63) - 1), 2097151);
	/* 2642245^3 = 18446724184312856125 <= 2^64 - 1 < 2642246^3 */
	CHECK_EQ(xtcp_cubic_cbrt(~0ULL), 2642245);
}

TEST(cubic__multiplicative_decrease_to_0_7)
{
	struct xtcp_cc cc = new_cubic();

	cc.cwnd = 100;
	cc.in_flight = 100;
	xtcp_cc_enter_recovery(&cc);		/* RFC 9438 4.6: 100 * 0.7 */
	CHECK_EQ(cc.ssthresh, 70);
	CHECK_EQ(cc.cwnd, 70);
	CHECK_EQ(xtcp_cubic_w_max(&cc), 100);

	cc = new_cubic();
	cc.cwnd = 33;
	xtcp_cc_enter_recovery(&cc);		/* 23.1 -> 23 */
	CHECK_EQ(cc.cwnd, 23);
	cc.cwnd = 2;
	xtcp_cc_enter_recovery(&cc);		/* never below 2 */
	CHECK_EQ(cc.cwnd, 2);
}

TEST(cubic__rto_gives_one_segment_and_0_7)
{
	struct xtcp_cc cc = new_cubic();

	cc.cwnd = 100;
	xtcp_cc_on_rto(&cc);
	CHECK_EQ(cc.cwnd, 1);
	CHECK_EQ(cc.ssthresh, 70);
	CHECK_EQ(cc.ca_state, XTCP_CA_LOSS);
	CHECK_EQ(xtcp_cubic_w_max(&cc), 100);
	/* slow start back: 1 -> 2 -> 4 */
	xtcp_cc_on_ack(&cc, 1, 100000, true);
	CHECK_EQ(cc.cwnd, 2);
	xtcp_cc_on_ack(&cc, 2, 100000, true);
	CHECK_EQ(cc.cwnd, 4);
}

TEST(cubic__k_after_loss_at_100)
{
	struct xtcp_cc cc = cubic_after_loss(100, 100000);

	/* K = cbrt(100 * 0.3 / 0.4) = cbrt(75) = 4.2172 s */
	CHECK(xtcp_cubic_k_ms(&cc) >= 4216 && xtcp_cubic_k_ms(&cc) <= 4218);

	/* W_max 1000 -> 700: K = cbrt(750) = 9.0856 s */
	cc = cubic_after_loss(1000, 100000);
	CHECK(xtcp_cubic_k_ms(&cc) >= 9084 && xtcp_cubic_k_ms(&cc) <= 9086);
}

TEST(cubic__w_cubic_follows_the_formula)
{
	struct xtcp_cc cc = cubic_after_loss(100, 100000);

	/* W_cubic(t) = 0.4 (t - 4.2172)^3 + 100, in hundredths */
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, 0), 7000));
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, 1 * SEC), 8668));
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, 2 * SEC), 9564));
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, 4217163), 10000));
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, 6 * SEC), 10227));
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, 10 * SEC), 17735));
	/* far out the curve stays finite and monotonic */
	CHECK(xtcp_cubic_w_cubic(&cc, 3600 * SEC) >=
	      xtcp_cubic_w_cubic(&cc, 100 * SEC));
	CHECK(xtcp_cubic_w_cubic(&cc, 3600 * SEC) <= INF);
}

TEST(cubic__window_tracks_the_curve)
{
	struct xtcp_cc cc = cubic_after_loss(100, 100000);
	u64 start = cc.now_us;
	int rounds = 0;

	/*
	 * With a 100 ms RTT the window should sit between W_cubic(t) and
	 * the target W_cubic(t + RTT) that it aims at (RFC 9438 4.2), or
	 * at W_est where that is larger (4.3): here near the plateau, as
	 * W_est reaches W_max after 30 / (9/17) = 57 RTTs, 5.7 s.
	 */
	while (cc.now_us - start < 8 * SEC) {
		u64 t = cc.now_us - start;
		u32 lo = xtcp_cubic_w_cubic(&cc, t);
		u32 hi = xtcp_cubic_w_cubic(&cc, t + 100000);

		if (xtcp_cubic_w_est(&cc) > hi)
			hi = xtcp_cubic_w_est(&cc);

		CHECK(cc.cwnd + 1 >= lo);
		CHECK(cc.cwnd <= hi + 1);
		if (cc.cwnd + 1 < lo || cc.cwnd > hi + 1) {
			printf("# t %llu us cwnd %u, W %u..%u\n",
			       (unsigned long long)t, cc.cwnd, lo, hi);
			break;
		}
		if (rounds == 10)		/* t = 1 s: cubic, not Reno */
			CHECK(cc.cwnd >= xtcp_cubic_w_est(&cc) + 8);
		ack_round(&cc, 100000);
		rounds++;
	}
	/*
	 * At 8 s: W_cubic = 0.4 * 3.78^3 + 100 = 121.6; W_est about
	 * 100 + (80 - 57) = 123 RTTs later at alpha 1.
	 */
	CHECK(cc.cwnd >= 120 && cc.cwnd <= 125);
}

TEST(cubic__reno_friendly_region_for_small_window_short_rtt)
{
	struct xtcp_cc cc = cubic_after_loss(10, 1000);
	u64 start = cc.now_us;

	/*
	 * W_max 10, cwnd 7, RTT 1 ms: K = cbrt(7.5) = 1.957 s, so after
	 * 20 ms W_cubic = 10 - 0.4 * 1.937^3 = 7.09.  W_est grows by
	 * alpha = 9/17 per RTT to W_max = 10 (5.7 rounds), then by 1
	 * per RTT: 10 + 14.3 = 24.3 after 20 rounds.
	 */
	for (int i = 0; i < 20; i++)
		ack_round(&cc, 1000);
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, cc.now_us - start), 709));
	CHECK(cc.cwnd >= 23 && cc.cwnd <= 25);
	CHECK_EQ(cc.cwnd, xtcp_cubic_w_est(&cc));
}

TEST(cubic__fast_convergence_lowers_w_max)
{
	struct xtcp_cc cc = cubic_after_loss(100, 100000);

	/* a second loss below W_max: W_max = 80 * (1 + 0.7) / 2 = 68 */
	cc.cwnd = 80;
	xtcp_cc_enter_recovery(&cc);
	CHECK_EQ(xtcp_cubic_w_max(&cc), 68);
	CHECK_EQ(cc.cwnd, 56);
	xtcp_cc_exit_recovery(&cc);
	xtcp_cc_on_ack(&cc, 1, 100000, true);
	/* K = cbrt((68 - 56) / 0.4) = cbrt(30) = 3.107 s */
	CHECK(xtcp_cubic_k_ms(&cc) >= 3106 && xtcp_cubic_k_ms(&cc) <= 3108);

	/* a loss above W_max: W_max = cwnd, no convergence */
	cc.cwnd = 120;
	xtcp_cc_enter_recovery(&cc);
	CHECK_EQ(xtcp_cubic_w_max(&cc), 120);
	CHECK_EQ(cc.cwnd, 84);
}

TEST(cubic__undo_restores_w_max_and_window)
{
	struct xtcp_cc cc = cubic_after_loss(100, 100000);

	cc.cwnd = 80;
	xtcp_cc_enter_recovery(&cc);
	CHECK_EQ(xtcp_cubic_w_max(&cc), 68);
	CHECK(xtcp_cc_undo(&cc));
	CHECK_EQ(xtcp_cubic_w_max(&cc), 100);
	CHECK_EQ(cc.cwnd, 80);
	CHECK_EQ(cc.ssthresh, 70);
}

TEST(cubic__epoch_restarts_after_idle)
{
	struct xtcp_cc cc = cubic_after_loss(100, 100000);

	/* 2 s on the curve: about 95 segments */
	while (cc.now_us < 7 * SEC)
		ack_round(&cc, 100000);
	CHECK(cc.cwnd >= 94 && cc.cwnd <= 97);
	cc.cwnd = 95;
	cc.now_us += 50000;			/* a pause shorter than an RTO */
	xtcp_cc_after_idle(&cc, 50000, 200000);
	CHECK_EQ(cc.cwnd, 95);
	xtcp_cc_on_ack(&cc, 1, 100000, true);
	/* a new stage from 95: K = cbrt((100 - 95) / 0.4) = 2.321 s */
	CHECK(xtcp_cubic_k_ms(&cc) >= 2320 && xtcp_cubic_k_ms(&cc) <= 2322);
	CHECK(within_one(xtcp_cubic_w_cubic(&cc, 0), 9500));
}

TEST(cubic__slow_start_doubles)
{
	struct xtcp_cc cc = new_cubic();

	ack_round(&cc, 100000);
	CHECK_EQ(cc.cwnd, 20);
	ack_round(&cc, 100000);
	CHECK_EQ(cc.cwnd, 40);
	CHECK_EQ(cc.ssthresh, INF);
}

/*
 * Slow start ACK by ACK: each ACK acknowledges one segment and the
 * sender then fills the window again.  A round ends, as RFC 9406 counts
 * it, with the ACK that reaches what was sent when the round began; that
 * ACK is the next round's first.  @rtt_of(round) gives every ACK's RTT.
 * Records the cwnd when ssthresh first changed and that round, and the
 * cwnd at the start of @mark_round.
 */
struct hystart_run {
	u32 exit_cwnd;
	int exit_round;
	u32 mark_cwnd;
};

static void hystart_run(struct xtcp_cc *cc, int rounds,
			u32 (*rtt_of)(int round), int mark_round,
			struct hystart_run *res)
{
	u32 start_ssthresh = cc->ssthresh;
	u32 round_end = cc->snd_nxt;
	int r = 0;

	memset(res, 0, sizeof(*res));
	res->exit_round = -1;
	while (r < rounds) {
		cc->snd_una++;
		if (cc->snd_una == round_end) {
			r++;
			round_end = cc->snd_nxt;
			if (r == mark_round)
				res->mark_cwnd = cc->cwnd;
		}
		cc->now_us += 1000;
		xtcp_cc_on_ack(cc, 1, rtt_of(r), true);
		cc->snd_nxt = cc->snd_una + cc->cwnd;
		if (res->exit_round < 0 && cc->ssthresh != start_ssthresh) {
			res->exit_cwnd = cc->cwnd;
			res->exit_round = r;
			CHECK_EQ(cc->ssthresh, cc->cwnd);
		}
	}
}

static u32 rtt_constant(int round)
{
	(void)round;
	return 40000;
}

static u32 rtt_jitter(int round)
{
	/* +3 ms: below max(40 / 8, 4) = 5 ms */
	return round & 1 ? 43000 : 40000;
}

static u32 rtt_early_queue(int round)
{
	return round >= 1 ? 45000 : 40000;
}

static u32 rtt_queue_builds(int round)
{
	/* from round 4 on the queue adds 5 ms: 40 + 5 >= 40 + 5 */
	return round >= 4 ? 45000 : 40000;
}

TEST(cubic_hystart__no_exit_without_delay_increase)
{
	struct xtcp_cc cc = new_cubic();
	struct hystart_run res;

	/* slow start all along: +1 per ACK, 10 + 9 + ... ACKs */
	hystart_run(&cc, 6, rtt_constant, 6, &res);
	CHECK_EQ(res.exit_round, -1);
	CHECK_EQ(cc.ssthresh, INF);
	CHECK_EQ(cc.cwnd, cc.snd_una - 1 + 10);

	cc = new_cubic();
	hystart_run(&cc, 6, rtt_jitter, 6, &res);
	CHECK_EQ(res.exit_round, -1);
	CHECK_EQ(cc.ssthresh, INF);
}

TEST(cubic_hystart__exits_on_delay_increase)
{
	struct xtcp_cc cc = new_cubic();
	struct hystart_run res;

	hystart_run(&cc, 6, rtt_queue_builds, 4, &res);
	/*
	 * Round 4 has 45 ms samples against round 3's 40 ms minimum, at
	 * the threshold 40 + max(40 / 8, 4) = 45 ms: its eighth ACK ends
	 * slow start, after seven ACKs grew cwnd by seven.
	 */
	CHECK(res.mark_cwnd >= 100);
	CHECK_EQ(res.exit_round, 4);
	CHECK_EQ(res.exit_cwnd, res.mark_cwnd + 7);
	CHECK_EQ(cc.ssthresh, res.exit_cwnd);
	/* then congestion avoidance: far below another doubling */
	CHECK(cc.cwnd < res.exit_cwnd + 10);
}

TEST(cubic_hystart__only_in_initial_slow_start)
{
	struct xtcp_cc cc = new_cubic();
	struct hystart_run res;

	cc.ssthresh = 100000;			/* after a loss: plain slow start */
	hystart_run(&cc, 6, rtt_queue_builds, 6, &res);
	CHECK_EQ(res.exit_round, -1);
	CHECK_EQ(cc.ssthresh, 100000);
	CHECK_EQ(cc.cwnd, cc.snd_una - 1 + 10);
}

TEST(cubic_hystart__not_below_low_window)
{
	struct xtcp_cc cc = new_cubic();
	struct hystart_run res;

	/* the delay is there from round 1, exit waits for cwnd 16 */
	hystart_run(&cc, 3, rtt_early_queue, 3, &res);
	CHECK(res.exit_round >= 1);
	CHECK(res.exit_cwnd >= 16);
}
