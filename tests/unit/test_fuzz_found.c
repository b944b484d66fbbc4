// SPDX-License-Identifier: GPL-2.0
/*
 * Bugs the fuzzers found, each pinned by the smallest case that shows it,
 * so that they stay fixed without running the fuzzer.
 */
#include "harness.h"
#include "tcb.h"

static struct xtcp_rx rx;

static void input(struct xtcp_tcb *t, const struct xtcp_seg *s)
{
	memset(&rx, 0x5a, sizeof(rx));
	rx.rcv_space = 0xffffffffu;
	xtcp_tcb_input(t, s, &rx);
}

static void est(struct xtcp_tcb *t, u32 rcv_nxt, u32 wnd)
{
	memset(t, 0, sizeof(*t));
	t->state = XTCP_ESTABLISHED;
	t->iss = 0x1000;
	t->snd_una = 0x1001;
	t->snd_nxt = 0x1001;
	t->snd_wnd = 5000;
	t->max_snd_wnd = 5000;
	t->snd_wl1 = rcv_nxt - 100;
	t->snd_wl2 = 0x1001;
	t->irs = rcv_nxt - 1;
	t->rcv_nxt = rcv_nxt;
	t->rcv_adv = rcv_nxt + wnd;
	t->sack_ok = true;
}

static struct xtcp_seg ack_seg(u32 seq, u32 len)
{
	struct xtcp_seg s;

	memset(&s, 0, sizeof(s));
	s.flags = XTCP_ACK;
	s.seq = seq;
	s.ack = 0x1001;
	s.wnd = 5000;
	s.len = len;
	s.doff = 20;
	return s;
}

/* fuzz_sack: in-order data that covers kept data entirely must not leave
 * its SACK block behind, below rcv_nxt.
 */
TEST(xtcp_tcb_input__in_order_data_drops_covered_sack_blocks)
{
	struct xtcp_seg s = ack_seg(0xfffffff0u, 3000);
	struct xtcp_tcb t;

	est(&t, 0xfffffff0u, 60000);
	xtcp_tcb_ooo_kept(&t, 0xfffffff1u, 0xfffffff2u);	/* covered */
	xtcp_tcb_ooo_kept(&t, 0xfffffff0u + 2990, 0xfffffff0u + 3100); /* straddles */
	xtcp_tcb_ooo_kept(&t, 0xfffffff0u + 5000, 0xfffffff0u + 5100); /* above */
	CHECK_EQ(t.nsack, 3);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_DATA | XTCP_RX_SEND_ACK);
	CHECK_EQ(t.rcv_nxt, 0xfffffff0u + 3000);
	/* The straddling block now starts at rcv_nxt, for the glue to drain;
	 * the covered one is gone; the order (newest first) is kept.
	 */
	CHECK_EQ(t.nsack, 2);
	CHECK_EQ(t.sack[0].start, 0xfffffff0u + 5000);
	CHECK_EQ(t.sack[1].start, 0xfffffff0u + 3000);
	CHECK_EQ(t.sack[1].end, 0xfffffff0u + 3100);
}

/* fuzz_input: a zero-window probe whose ACK moves SND.WL1 changed the
 * tcb, so it must not be reported as dropped.
 */
TEST(xtcp_tcb_input__zero_window_probe_moving_wl1_not_dropped)
{
	struct xtcp_seg s = ack_seg(0x5000, 1);
	struct xtcp_tcb t, before;

	est(&t, 0x5000, 0);
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_SEND_ACK);
	CHECK_EQ(t.snd_wl1, 0x5000);
	CHECK_EQ(t.rcv_nxt, 0x5000);

	/* The same probe again changes nothing: dropped. */
	memcpy(&before, &t, sizeof(t));
	input(&t, &s);
	CHECK_EQ(rx.actions, XTCP_RX_SEND_ACK | XTCP_RX_DROP);
	CHECK(!memcmp(&t, &before, sizeof(t)));
}
