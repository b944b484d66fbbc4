// SPDX-License-Identifier: GPL-2.0
/*
 * Selective acknowledgment, both ends: the blocks a receiver reports for
 * out-of-order data it keeps (RFC 2018 4), and the sender's decision to
 * start and end loss recovery (RFC 5681 3.2, RFC 6582, RFC 6675).
 */
#include "tcb.h"
#include "seq.h"

static void sack_remove(struct xtcp_tcb *tcb, u8 i)
{
	for (; i + 1 < tcb->nsack; i++)
		tcb->sack[i] = tcb->sack[i + 1];
	tcb->nsack--;
}

void xtcp_tcb_ooo_kept(struct xtcp_tcb *tcb, u32 start, u32 end)
{
	struct xtcp_sack_block b = { .start = start, .end = end };
	u8 i = 0;

	if (!seq_lt(start, end))
		return;
	/* Swallow every block the new range overlaps or touches. */
	while (i < tcb->nsack) {
		struct xtcp_sack_block *o = &tcb->sack[i];

		if (seq_leq(o->start, b.end) && seq_leq(b.start, o->end)) {
			b.start = seq_min(b.start, o->start);
			b.end = seq_max(b.end, o->end);
			sack_remove(tcb, i);
			continue;
		}
		i++;
	}
	/* The newest block goes first; the oldest falls off the end. */
	if (tcb->nsack == XTCP_MAX_SACK_BLOCKS)
		tcb->nsack--;
	for (i = tcb->nsack; i > 0; i--)
		tcb->sack[i] = tcb->sack[i - 1];
	tcb->sack[0] = b;
	tcb->nsack++;
}

void xtcp_tcb_rcv_advance(struct xtcp_tcb *tcb, u32 end)
{
	u8 i = 0;

	if (seq_gt(end, tcb->rcv_nxt))
		tcb->rcv_nxt = end;
	if (seq_gt(tcb->rcv_nxt, tcb->rcv_adv))
		tcb->rcv_adv = tcb->rcv_nxt;
	while (i < tcb->nsack) {
		struct xtcp_sack_block *b = &tcb->sack[i];

		if (seq_leq(b->end, tcb->rcv_nxt)) {
			sack_remove(tcb, i);
			continue;
		}
		if (seq_lt(b->start, tcb->rcv_nxt))
			b->start = tcb->rcv_nxt;
		i++;
	}
}

void xtcp_tcb_ooo_dropped(struct xtcp_tcb *tcb, u32 from)
{
	u8 i = 0;

	while (i < tcb->nsack) {
		struct xtcp_sack_block *b = &tcb->sack[i];

		if (seq_geq(b->start, from)) {
			sack_remove(tcb, i);
			continue;
		}
		if (seq_gt(b->end, from))
			b->end = from;
		i++;
	}
}

enum xtcp_recovery xtcp_tcb_recovery(struct xtcp_tcb *tcb,
				     const struct xtcp_rx *rx, u32 sacked_above)
{
	u32 thresh;

	if (tcb->in_recovery) {
		if (seq_geq(tcb->snd_una, tcb->recover)) {
			tcb->in_recovery = false;
			tcb->dupacks = 0;
			return XTCP_REC_EXIT;
		}
		return (rx->actions & (XTCP_RX_ACKED | XTCP_RX_DUPACK)) ?
		       XTCP_REC_CONTINUE : XTCP_REC_NONE;
	}
	if (tcb->snd_una == tcb->snd_nxt)
		return XTCP_REC_NONE;
	thresh = tcb->reordering ? : 3;
	if (tcb->dupacks < thresh && sacked_above < thresh)
		return XTCP_REC_NONE;
	/* Duplicates of data sent before the last recovery: not a new loss. */
	if (seq_lt(tcb->snd_una, tcb->recover))
		return XTCP_REC_NONE;
	tcb->in_recovery = true;
	tcb->recover = tcb->snd_nxt;
	return XTCP_REC_ENTER;
}

void xtcp_tcb_on_rto(struct xtcp_tcb *tcb)
{
	tcb->in_recovery = false;
	tcb->dupacks = 0;
	tcb->recover = tcb->snd_nxt;
}
