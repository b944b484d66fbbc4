// SPDX-License-Identifier: GPL-2.0
/* sack.c: SACK blocks a receiver reports, and the sender's recovery. */
#include "harness.h"
#include "tcb.h"

#define R 0xfffffff0u	/* rcv_nxt close to the wrap */

static void rcv_tcb(struct xtcp_tcb *t)
{
	memset(t, 0, sizeof(*t));
	t->state = XTCP_ESTABLISHED;
	t->rcv_nxt = R;
	t->rcv_adv = R + 65535;
}

TEST(xtcp_tcb_ooo_kept__newest_first_and_merged)
{
	struct xtcp_tcb t;

	rcv_tcb(&t);
	xtcp_tcb_ooo_kept(&t, R + 100, R + 200);
	xtcp_tcb_ooo_kept(&t, R + 300, R + 400);
	CHECK_EQ(t.nsack, 2);
	CHECK_EQ(t.sack[0].start, R + 300);
	CHECK_EQ(t.sack[1].start, R + 100);
	/* Touching both: one block, first. */
	xtcp_tcb_ooo_kept(&t, R + 200, R + 300);
	CHECK_EQ(t.nsack, 1);
	CHECK_EQ(t.sack[0].start, R + 100);
	CHECK_EQ(t.sack[0].end, R + 400);
	/* Empty or reversed ranges change nothing. */
	xtcp_tcb_ooo_kept(&t, R + 500, R + 500);
	CHECK_EQ(t.nsack, 1);
}

TEST(xtcp_tcb_ooo_dropped__blocks_cut_at_the_pruned_edge)
{
	struct xtcp_tcb t;

	rcv_tcb(&t);
	xtcp_tcb_ooo_kept(&t, R + 100, R + 200);
	xtcp_tcb_ooo_kept(&t, R + 300, R + 400);
	xtcp_tcb_ooo_kept(&t, R + 500, R + 600);
	/* Dropped from R + 350 up (across the wrap): one block gone, one cut. */
	xtcp_tcb_ooo_dropped(&t, R + 350);
	CHECK_EQ(t.nsack, 2);
	CHECK_EQ(t.sack[0].start, R + 300);
	CHECK_EQ(t.sack[0].end, R + 350);
	CHECK_EQ(t.sack[1].start, R + 100);
	CHECK_EQ(t.sack[1].end, R + 200);
	/* Dropping at a block's start removes it whole. */
	xtcp_tcb_ooo_dropped(&t, R + 100);
	CHECK_EQ(t.nsack, 0);
}

TEST(xtcp_tcb_ooo_kept__at_most_four_oldest_dropped)
{
	struct xtcp_tcb t;
	u32 i;

	rcv_tcb(&t);
	for (i = 0; i < 6; i++)
		xtcp_tcb_ooo_kept(&t, R + 100 * (2 * i + 1), R + 100 * (2 * i + 2));
	CHECK_EQ(t.nsack, XTCP_MAX_SACK_BLOCKS);
	CHECK_EQ(t.sack[0].start, R + 1100);
	CHECK_EQ(t.sack[3].start, R + 500);
}

TEST(xtcp_tcb_rcv_advance__drops_and_clips_blocks)
{
	struct xtcp_tcb t;

	rcv_tcb(&t);
	xtcp_tcb_ooo_kept(&t, R + 100, R + 200);
	xtcp_tcb_ooo_kept(&t, R + 300, R + 400);
	xtcp_tcb_rcv_advance(&t, R + 200);
	CHECK_EQ(t.rcv_nxt, R + 200);
	CHECK_EQ(t.nsack, 1);
	CHECK_EQ(t.sack[0].start, R + 300);
	/* Never backwards. */
	xtcp_tcb_rcv_advance(&t, R + 150);
	CHECK_EQ(t.rcv_nxt, R + 200);
	xtcp_tcb_rcv_advance(&t, R + 350);
	CHECK_EQ(t.sack[0].start, R + 350);
	xtcp_tcb_rcv_advance(&t, R + 400);
	CHECK_EQ(t.nsack, 0);
}

static void snd_tcb(struct xtcp_tcb *t)
{
	memset(t, 0, sizeof(*t));
	t->state = XTCP_ESTABLISHED;
	t->snd_una = R;
	t->snd_nxt = R + 10000;
	t->recover = R - 1;
}

TEST(xtcp_tcb_recovery__third_dupack_enters)
{
	struct xtcp_rx rx = { .actions = XTCP_RX_DUPACK };
	struct xtcp_tcb t;

	snd_tcb(&t);
	t.dupacks = 2;
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 0), XTCP_REC_NONE);
	t.dupacks = 3;
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 0), XTCP_REC_ENTER);
	CHECK(t.in_recovery);
	CHECK_EQ(t.recover, R + 10000);
	/* Further duplicates: the next hole. */
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 0), XTCP_REC_CONTINUE);
	/* A partial ACK stays in recovery (RFC 6582). */
	rx.actions = XTCP_RX_ACKED;
	t.snd_una = R + 5000;
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 0), XTCP_REC_CONTINUE);
	/* Everything up to recover: out. */
	t.snd_una = R + 10000;
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 0), XTCP_REC_EXIT);
	CHECK(!t.in_recovery);
}

TEST(xtcp_tcb_recovery__sacked_segments_enter)
{
	struct xtcp_rx rx = { .actions = XTCP_RX_DUPACK };
	struct xtcp_tcb t;

	snd_tcb(&t);
	t.dupacks = 1;
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 2), XTCP_REC_NONE);
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 3), XTCP_REC_ENTER);
}

TEST(xtcp_tcb_recovery__not_for_data_before_last_recovery)
{
	struct xtcp_rx rx = { .actions = XTCP_RX_DUPACK };
	struct xtcp_tcb t;

	snd_tcb(&t);
	t.dupacks = 3;
	xtcp_tcb_on_rto(&t);
	CHECK_EQ(t.recover, R + 10000);
	CHECK_EQ(t.dupacks, 0);
	t.dupacks = 3;
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 5), XTCP_REC_NONE);
	/* Nothing outstanding: nothing to recover. */
	snd_tcb(&t);
	t.snd_nxt = t.snd_una;
	t.dupacks = 3;
	CHECK_EQ(xtcp_tcb_recovery(&t, &rx, 0), XTCP_REC_NONE);
}

