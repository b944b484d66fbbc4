// SPDX-License-Identifier: GPL-2.0
/*
 * input.c: PAWS (RFC 7323 5.3), the ts_recent update rule (RFC 7323 4.3)
 * with the glue's delayed ACK, ts_recent aging (5.5) and TIME_WAIT
 * recycling by timestamp (RFC 6191).  Timestamps sit near 2^32 so that
 * every comparison crosses the wrap.
 */
#include "harness.h"
#include "tcb.h"
#include "seq.h"

#define ISS	0xfffffff0u
#define SND	(ISS + 1)
#define IRS	0xffffff80u
#define RCV	(IRS + 1)
#define RWND	1000u
#define SWND	10000u
#define SPACE	(1u << 20)
#define TS	0xfffffffau	/* ts_recent in ts_est() */

static struct xtcp_rx rx;

static void input(struct xtcp_tcb *t, const struct xtcp_seg *s)
{
	memset(&rx, 0x5a, sizeof(rx));
	rx.rcv_space = SPACE;
	xtcp_tcb_input(t, s, &rx);
}

/* A segment carrying a timestamp option with @tsval. */
static struct xtcp_seg sg(u8 flags, u32 seq, u32 ack, u32 len, u32 tsval)
{
	struct xtcp_seg s;

	memset(&s, 0, sizeof(s));
	s.sport = 40000;
	s.dport = 80;
	s.flags = flags;
	s.seq = seq;
	s.ack = ack;
	s.wnd = SWND;
	s.doff = 32;
	s.len = len;
	s.opts.ts_ok = true;
	s.opts.tsval = tsval;
	s.opts.tsecr = 1;
	return s;
}

#define SAME_TCB(a, b)	CHECK(!memcmp(&(a), &(b), sizeof(a)))

/* ESTABLISHED with timestamps; 500 bytes of ours in flight. */
static void ts_est(struct xtcp_tcb *t, unsigned int state)
{
	memset(t, 0, sizeof(*t));
	t->state = state;
	t->iss = ISS;
	t->irs = IRS;
	t->snd_una = SND;
	t->snd_nxt = SND + 500;
	t->snd_wnd = SWND;
	t->max_snd_wnd = SWND;
	t->snd_wl1 = RCV;
	t->snd_wl2 = SND;
	t->rcv_nxt = RCV;
	t->rcv_adv = RCV + RWND;
	t->mss = 1460;
	t->peer_mss = 1460;
	t->ts_ok = true;
	t->ts_recent = TS;
	if (state == XTCP_TIME_WAIT) {
		t->fin_queued = true;
		t->fin_seq = SND + 500;
		t->snd_nxt = SND + 501;
		t->snd_una = SND + 501;
		t->snd_wl2 = SND + 501;
	}
}

TEST(paws__older_tsval_dropped_and_acked)
{
	/* One tick older, and the oldest a signed compare still calls old. */
	static const u32 old[] = { TS - 1, TS - 0x7fffffffu };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct xtcp_seg s = sg(XTCP_ACK, RCV, SND + 100, 100, old[i]);
		struct xtcp_tcb t, before;

		ts_est(&t, XTCP_ESTABLISHED);
		memcpy(&before, &t, sizeof(t));
		input(&t, &s);
		CHECK_EQ(rx.actions, XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP);
		CHECK_EQ(rx.acked, 0);
		CHECK_EQ(rx.data_len, 0);
		CHECK_EQ(rx.err, 0);
		SAME_TCB(t, before);
	}
}

TEST(paws__equal_and_newer_tsval_accepted_across_wrap)
{
	/* TS itself, past 2^32, and the newest a signed compare allows. */
	static const u32 ok[] = { TS, TS + 10, TS + 0x7fffffffu };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct xtcp_seg s = sg(XTCP_ACK, RCV, SND + 100, 100, ok[i]);
		struct xtcp_tcb t;

		ts_est(&t, XTCP_ESTABLISHED);
		input(&t, &s);
		CHECK_EQ(rx.actions, XTCP_RX_ACKED | XTCP_RX_DATA | XTCP_RX_SEND_ACK);
		CHECK_EQ(rx.data_len, 100);
		CHECK_EQ(t.rcv_nxt, RCV + 100);
		CHECK_EQ(t.snd_una, SND + 100);
		CHECK_EQ(t.ts_recent, ok[i]);
	}
}

TEST(paws__checked_before_the_window)
{
	/* Out of the window and old: counted as PAWS, answered once. */
	struct xtcp_seg s = sg(XTCP_ACK, RCV + 5000, SND, 10, TS - 1);
	struct xtcp_tcb t, before;

	ts_est(&t, XTCP_ESTABLISHED);
	memcpy(&before, &t, sizeof(t));
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP);
	SAME_TCB(t, before);

	/* Out of the window and new: the ordinary unacceptable segment. */
	s.opts.tsval = TS + 1;
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_SEND_ACK | XTCP_RX_DROP);
	SAME_TCB(t, before);
}

TEST(paws__rst_taken_whatever_its_timestamp)
{
	struct xtcp_seg s = sg(XTCP_RST, RCV, 0, 0, TS - 1000);
	struct xtcp_tcb t;

	ts_est(&t, XTCP_ESTABLISHED);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_RESET);
	CHECK_EQ(rx.err, -ECONNRESET);
	CHECK_EQ(t.state, XTCP_CLOSE);

	/* An inexact one is still only challenged, not counted as PAWS. */
	s.seq = RCV + 1;
	ts_est(&t, XTCP_ESTABLISHED);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_SEND_ACK | XTCP_RX_CHALLENGE | XTCP_RX_DROP);
}

TEST(paws__syn_with_old_tsval_dropped_and_acked)
{
	struct xtcp_seg s = sg(XTCP_SYN, RCV, 0, 0, TS - 1);
	struct xtcp_tcb t, before;

	ts_est(&t, XTCP_ESTABLISHED);
	memcpy(&before, &t, sizeof(t));
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP);
	SAME_TCB(t, before);
}

TEST(paws__needs_timestamps_on_both_sides)
{
	struct xtcp_seg s = sg(XTCP_ACK, RCV, SND, 10, TS - 1);
	struct xtcp_tcb t;

	/* Not negotiated: the option is ignored, and not recorded. */
	ts_est(&t, XTCP_ESTABLISHED);
	t.ts_ok = false;
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_DATA | XTCP_RX_SEND_ACK);
	CHECK_EQ(t.ts_recent, TS);

	/* Negotiated but absent from this segment: taken (Linux does;
	 * RFC 7323 3.2 only says SHOULD drop), ts_recent kept.
	 */
	ts_est(&t, XTCP_ESTABLISHED);
	s.opts.ts_ok = false;
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_DATA | XTCP_RX_SEND_ACK);
	CHECK_EQ(t.ts_recent, TS);
}

TEST(paws__applies_in_every_synchronized_state)
{
	static const unsigned int states[] = {
		XTCP_ESTABLISHED, XTCP_FIN_WAIT1, XTCP_FIN_WAIT2,
		XTCP_CLOSE_WAIT, XTCP_CLOSING, XTCP_LAST_ACK, XTCP_TIME_WAIT,
	};
	unsigned int i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct xtcp_seg s = sg(XTCP_ACK | XTCP_FIN, RCV, SND, 0, TS - 1);
		struct xtcp_tcb t, before;

		ts_est(&t, states[i]);
		memcpy(&before, &t, sizeof(t));
		input(&t, &s);
		CHECK_EQ(rx.actions, XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP);
		SAME_TCB(t, before);
	}
}

TEST(paws__syn_recv_handshake_ack)
{
	struct xtcp_syn_params p = {
		.iss = ISS, .mss = 1460, .want_ts = true,
	};
	struct xtcp_seg syn = sg(XTCP_SYN, IRS, 0, 0, TS);
	struct xtcp_seg s = sg(XTCP_ACK, RCV, SND, 0, TS - 1);
	struct xtcp_tcb t, before;

	xtcp_tcb_accept_syn(&t, &p, &syn);
	xtcp_tcb_sent(&t, ISS + 1);
	xtcp_tcb_syn_window(&t, 64000);
	CHECK_EQ(t.ts_recent, TS);
	memcpy(&before, &t, sizeof(t));
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP);
	SAME_TCB(t, before);

	/* The SYN's own timestamp again completes it. */
	s.opts.tsval = TS;
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_CONNECTED | XTCP_RX_ACKED);
	CHECK_EQ(t.state, XTCP_ESTABLISHED);
	CHECK_EQ(t.ts_recent, TS);
}

TEST(paws__not_in_syn_sent)
{
	/* Nothing is known of the peer's clock before its SYN. */
	struct xtcp_syn_params p = {
		.iss = ISS, .mss = 1460, .want_ts = true,
	};
	struct xtcp_seg s = sg(XTCP_SYN | XTCP_ACK, IRS, ISS + 1, 0, 0x80000001u);
	struct xtcp_tcb t;

	xtcp_tcb_connect(&t, &p);
	xtcp_tcb_sent(&t, ISS + 1);
	xtcp_tcb_syn_window(&t, 64000);
	input(&t, &s);
	CHECK_EQ(t.state, XTCP_ESTABLISHED);
	CHECK_EQ(rx.actions & XTCP_RX_PAWS, 0);
	CHECK_EQ(t.ts_recent, 0x80000001u);
}

/* ---- ts_recent, RFC 7323 4.3 ----------------------------------------- */

TEST(paws__ts_recent_not_from_out_of_order_or_dropped)
{
	struct xtcp_seg s = sg(XTCP_ACK, RCV + 100, SND, 100, TS + 5);
	struct xtcp_tcb t;

	/* Beyond rcv_nxt: a hole, so the newer TSval is not echoed. */
	ts_est(&t, XTCP_ESTABLISHED);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_OUT_OF_ORDER | XTCP_RX_SEND_ACK);
	CHECK_EQ(t.ts_recent, TS);

	/* The segment filling the hole is echoed (4.3 case C). */
	s = sg(XTCP_ACK, RCV, SND, 100, TS + 7);
	input(&t, &s);
	CHECK_EQ(t.ts_recent, TS + 7);

	/* An ACK of unsent data is dropped: nothing recorded. */
	s = sg(XTCP_ACK, RCV + 100, SND + 501, 0, TS + 9);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_SEND_ACK | XTCP_RX_CHALLENGE | XTCP_RX_DROP);
	CHECK_EQ(t.ts_recent, TS + 7);
}

TEST(paws__ts_recent_from_duplicate)
{
	/* Partly old data, new TSval: SEG.SEQ <= Last.ACK.sent, recorded. */
	struct xtcp_seg s = sg(XTCP_ACK, RCV - 50, SND, 100, TS + 3);
	struct xtcp_tcb t;

	ts_est(&t, XTCP_ESTABLISHED);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_DATA | XTCP_RX_SEND_ACK);
	CHECK_EQ(t.ts_recent, TS + 3);

	/* Wholly old: unacceptable (5.3 R2 before R3), not recorded. */
	s = sg(XTCP_ACK, RCV - 50, SND, 50, TS + 4);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_SEND_ACK | XTCP_RX_DROP);
	CHECK_EQ(t.ts_recent, TS + 3);
}

TEST(paws__delayed_ack_echoes_the_earliest)
{
	struct xtcp_seg s = sg(XTCP_ACK, RCV, SND, 100, TS + 1);
	struct xtcp_tcb t;
	u32 before;

	ts_est(&t, XTCP_ESTABLISHED);
	before = t.rcv_nxt;
	input(&t, &s);
	CHECK_EQ(t.ts_recent, TS + 1);
	/* The glue holds this ACK back: its last ACK carried RCV. */
	xtcp_tcb_ack_delay(&t, before);
	CHECK(t.ack_delayed);
	CHECK_EQ(t.rcv_wup, RCV);

	/* A second segment while the ACK waits: not recorded. */
	before = t.rcv_nxt;
	s = sg(XTCP_ACK, RCV + 100, SND, 100, TS + 2);
	input(&t, &s);
	CHECK_EQ(rx.data_len, 100);
	CHECK_EQ(t.ts_recent, TS + 1);
	xtcp_tcb_ack_delay(&t, before);
	CHECK_EQ(t.rcv_wup, RCV);	/* the first delay's value stays */

	/* A retransmission from RCV with new data is still recorded. */
	s = sg(XTCP_ACK, RCV, SND, 300, TS + 3);
	input(&t, &s);
	CHECK_EQ(rx.data_len, 100);
	CHECK_EQ(t.ts_recent, TS + 3);

	/* The ACK went out: the next in-order segment is recorded. */
	xtcp_tcb_ack_sent(&t);
	CHECK(!t.ack_delayed);
	s = sg(XTCP_ACK, RCV + 300, SND, 100, TS + 4);
	input(&t, &s);
	CHECK_EQ(t.ts_recent, TS + 4);
}

/* ---- Aging, RFC 7323 5.5 --------------------------------------------- */

TEST(paws__stale_ts_recent_accepts_and_renews)
{
	struct xtcp_seg s = sg(XTCP_ACK, RCV, SND, 10, TS - 0x40000000u);
	struct xtcp_tcb t;

	CHECK_EQ(XTCP_PAWS_IDLE_S, 2073600);
	ts_est(&t, XTCP_ESTABLISHED);
	xtcp_tcb_paws_idle(&t);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_DATA | XTCP_RX_SEND_ACK);
	CHECK_EQ(t.ts_recent, TS - 0x40000000u);
	CHECK(!t.ts_recent_stale);

	/* Renewed: PAWS is back, against the new value. */
	s = sg(XTCP_ACK, RCV + 10, SND, 10, TS - 0x40000001u);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP);
}

TEST(paws__stale_not_renewed_by_out_of_order)
{
	struct xtcp_seg s = sg(XTCP_ACK, RCV + 100, SND, 10, 5);
	struct xtcp_tcb t;

	ts_est(&t, XTCP_ESTABLISHED);
	xtcp_tcb_paws_idle(&t);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_OUT_OF_ORDER | XTCP_RX_SEND_ACK);
	CHECK_EQ(t.ts_recent, TS);
	CHECK(t.ts_recent_stale);
}

/* ---- TIME_WAIT, RFC 6191 --------------------------------------------- */

TEST(paws__time_wait_syn_newer_tsval_recycles)
{
	/* Sequence number not beyond rcv_nxt, but a newer clock. */
	struct xtcp_seg s = sg(XTCP_SYN, RCV - 1000, 0, 0, TS + 1);
	struct xtcp_tcb t, before;

	ts_est(&t, XTCP_TIME_WAIT);
	memcpy(&before, &t, sizeof(t));
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_TW_REUSE);
	SAME_TCB(t, before);
}

TEST(paws__time_wait_syn_older_tsval_never_recycles)
{
	/* A higher sequence number does not outweigh an older clock. */
	struct xtcp_seg s = sg(XTCP_SYN, RCV + 100000, 0, 0, TS - 1);
	struct xtcp_tcb t, before;

	ts_est(&t, XTCP_TIME_WAIT);
	memcpy(&before, &t, sizeof(t));
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP);
	SAME_TCB(t, before);
}

TEST(paws__time_wait_syn_equal_tsval_needs_higher_seq)
{
	struct xtcp_seg s = sg(XTCP_SYN, RCV - 1, 0, 0, TS);
	struct xtcp_tcb t;

	ts_est(&t, XTCP_TIME_WAIT);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_SEND_ACK | XTCP_RX_DROP);

	s.seq = RCV + 1;
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_TW_REUSE);

	/* No timestamp on the SYN: the sequence rule alone. */
	s.opts.ts_ok = false;
	s.seq = RCV - 1;
	input(&t, &s);
	CHECK_EQ(rx.actions & XTCP_RX_TW_REUSE, 0);
}

/* ---- Random segments ------------------------------------------------- */

static u64 rng;

static u32 rnd(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (u32)((z ^ (z >> 31)) >> 32);
}

TEST(paws__random_segments_never_take_an_old_timestamp)
{
	static const u8 flags[] = {
		XTCP_ACK, XTCP_ACK | XTCP_PSH, XTCP_ACK | XTCP_FIN, XTCP_SYN,
		XTCP_RST, XTCP_RST | XTCP_ACK,
	};
	struct xtcp_tcb t, old;
	unsigned int i, bad = 0;

	rng = 7323;
	ts_est(&t, XTCP_ESTABLISHED);
	for (i = 0; i < 50000; i++) {
		struct xtcp_seg s;
		bool older;

		if (t.state != XTCP_ESTABLISHED || rnd() % 50 == 0)
			ts_est(&t, XTCP_ESTABLISHED);
		s = sg(flags[rnd() % sizeof(flags)], t.rcv_nxt + rnd() % 2001 - 1000,
		       t.snd_una + rnd() % 601 - 100, rnd() % 300,
		       t.ts_recent + rnd() % 201 - 100);
		s.opts.ts_ok = rnd() % 8 != 0;
		older = s.opts.ts_ok && seq_lt(s.opts.tsval, t.ts_recent);
		memcpy(&old, &t, sizeof(t));
		input(&t, &s);

		if (older && !(s.flags & XTCP_RST)) {
			bad += rx.actions != (XTCP_RX_PAWS | XTCP_RX_SEND_ACK |
					      XTCP_RX_DROP);
			bad += !!memcmp(&t, &old, sizeof(t));
		} else {
			bad += !!(rx.actions & XTCP_RX_PAWS);
		}
		/* ts_recent never goes back, and moves only to a TSval. */
		bad += seq_lt(t.ts_recent, old.ts_recent);
		bad += t.ts_recent != old.ts_recent && t.ts_recent != s.opts.tsval;
	}
	CHECK_EQ(bad, 0);
}
