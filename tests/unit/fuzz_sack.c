// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the receiver's SACK block list (sack.c:
 * xtcp_tcb_ooo_kept(), xtcp_tcb_rcv_advance()).  The input drives a
 * model of the glue's out-of-order queue (module/input.c: ooo_insert()
 * and ooo_drain()): keep a segment above rcv_nxt, or take in-order data
 * (through xtcp_tcb_input()) and drain what became contiguous.  After every step the blocks must be
 * at most four, non-empty, disjoint and not touching, strictly above
 * rcv_nxt, made only of bytes the queue holds, and the block of the
 * range just kept must come first.
 */
#include "fuzz_bytes.h"
#include "tcb.h"
#include "seq.h"

#define MAX_HELD	64

struct held {
	u32 seq, end;
};

/* The glue's out-of-order queue, sorted by seq. */
static struct held q[MAX_HELD];
static unsigned int nq;

/* Every byte of [start, end) is in some held segment. */
static bool all_held(u32 start, u32 end)
{
	u32 p = start;

	while (seq_lt(p, end)) {
		u32 reach = p;
		unsigned int i;

		for (i = 0; i < nq; i++)
			if (seq_leq(q[i].seq, p) && seq_gt(q[i].end, reach))
				reach = q[i].end;
		if (reach == p)
			return false;
		p = reach;
	}
	return true;
}

/* ooo_insert(): false for a duplicate of what one segment holds. */
static bool keep(struct xtcp_tcb *t, u32 seq, u32 end)
{
	unsigned int i, at;

	for (i = nq; i-- > 0;) {
		if (seq_leq(q[i].seq, seq)) {
			if (seq_geq(q[i].end, end))
				return false;
			break;
		}
	}
	at = i + 1;	/* after the last segment starting at or before */
	if (nq == MAX_HELD)
		return false;
	memmove(&q[at + 1], &q[at], (nq - at) * sizeof(q[0]));
	q[at].seq = seq;
	q[at].end = end;
	nq++;
	xtcp_tcb_ooo_kept(t, seq, end);
	return true;
}

/* ooo_drain() after in-order data moved rcv_nxt. */
static void drain(struct xtcp_tcb *t)
{
	while (nq && !seq_gt(q[0].seq, t->rcv_nxt)) {
		struct held h = q[0];

		memmove(&q[0], &q[1], (nq - 1) * sizeof(q[0]));
		nq--;
		if (seq_gt(h.end, t->rcv_nxt))
			xtcp_tcb_rcv_advance(t, h.end);
	}
}

static void check(const struct xtcp_tcb *t)
{
	unsigned int i, j;

	FUZZ_ASSERT(t->nsack <= XTCP_MAX_SACK_BLOCKS);
	for (i = 0; i < t->nsack; i++) {
		const struct xtcp_sack_block *a = &t->sack[i];

		FUZZ_ASSERT(seq_lt(a->start, a->end));
		FUZZ_ASSERT(seq_gt(a->start, t->rcv_nxt));
		FUZZ_ASSERT(all_held(a->start, a->end));
		for (j = i + 1; j < t->nsack; j++) {
			const struct xtcp_sack_block *b = &t->sack[j];

			FUZZ_ASSERT(seq_lt(a->end, b->start) || seq_lt(b->end, a->start));
		}
	}
	FUZZ_ASSERT(seq_geq(t->rcv_adv, t->rcv_nxt));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct xtcp_tcb t;
	unsigned int step;

	memset(&t, 0, sizeof(t));
	t.state = XTCP_ESTABLISHED;
	t.sack_ok = true;
	t.rcv_nxt = fz32(&in);	/* anywhere, the wrap included */
	t.rcv_adv = t.rcv_nxt + 60000;
	t.snd_una = fz32(&in);
	t.snd_nxt = t.snd_una;
	t.snd_wl2 = t.snd_una;
	t.snd_wl1 = t.rcv_nxt;
	nq = 0;

	for (step = 0; step < 200 && in.n; step++) {
		u8 op = fz8(&in);
		u32 off = fz16(&in) % 50000;
		u32 len = fz16(&in) % 3000 + 1;
		u32 nxt = t.rcv_nxt;

		if (op & 1) {
			/* Out-of-order data strictly above rcv_nxt. */
			u32 seq = t.rcv_nxt + 1 + off;

			if (keep(&t, seq, seq + len)) {
				FUZZ_ASSERT(t.nsack >= 1);
				FUZZ_ASSERT(seq_leq(t.sack[0].start, seq) &&
					    seq_geq(t.sack[0].end, seq + len));
			}
		} else {
			/* In-order data through input.c, then drain. */
			struct xtcp_seg s;
			struct xtcp_rx rx;

			memset(&s, 0, sizeof(s));
			s.flags = XTCP_ACK;
			s.seq = t.rcv_nxt;
			s.ack = t.snd_una;
			s.len = len;
			s.doff = 20;
			memset(&rx, 0, sizeof(rx));
			rx.rcv_space = 0xffffffffu;
			xtcp_tcb_rcv_window(&t, 60000);
			xtcp_tcb_input(&t, &s, &rx);
			FUZZ_ASSERT(rx.actions & XTCP_RX_DATA && rx.data_len == len);
			drain(&t);
			FUZZ_ASSERT(seq_gt(t.rcv_nxt, nxt));
		}
		check(&t);
	}
	return 0;
}
