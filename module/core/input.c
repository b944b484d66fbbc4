// SPDX-License-Identifier: GPL-2.0
/*
 * SEGMENT ARRIVES (RFC 9293 section 3.10.7) for every state but LISTEN and
 * CLOSE, with RFC 5961's stricter RST, SYN and ACK checks and RFC 7323's
 * PAWS.  The function
 * only decides: it updates the tcb and returns actions; the glue moves the
 * bytes, sends the segments and runs the timers.
 */
#include "tcb.h"
#include "seq.h"

static void rx_rst(struct xtcp_rx *rx, u32 seq, u32 ack, u8 flags)
{
	rx->actions |= XTCP_RX_SEND_RST;
	rx->rst_seq = seq;
	rx->rst_ack = ack;
	rx->rst_flags = flags;
}

/* Adopt the peer's SYN options once both SYNs are known (active side). */
static void take_syn_opts(struct xtcp_tcb *tcb, const struct xtcp_seg *seg)
{
	tcb->wscale_ok = tcb->wscale_ok && seg->opts.ws_ok;
	tcb->snd_wscale = tcb->wscale_ok ? seg->opts.ws : 0;
	if (!tcb->wscale_ok)
		tcb->rcv_wscale = 0;
	tcb->sack_ok = tcb->sack_ok && seg->opts.sack_ok;
	tcb->ts_ok = tcb->ts_ok && seg->opts.ts_ok;
	if (tcb->ts_ok)
		tcb->ts_recent = seg->opts.tsval;
	tcb->peer_mss = seg->opts.mss_ok ? seg->opts.mss : XTCP_DEFAULT_MSS;
	tcb->mss = xtcp_effective_mss(tcb->mss, tcb->peer_mss);
}

static void set_snd_wnd(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
			u32 wnd, struct xtcp_rx *rx)
{
	if (tcb->snd_wnd != wnd)
		rx->actions |= XTCP_RX_WND;
	tcb->snd_wnd = wnd;
	if (wnd > tcb->max_snd_wnd)
		tcb->max_snd_wnd = wnd;
	tcb->snd_wl1 = seg->seq;
	tcb->snd_wl2 = seg->ack;
}

/* RFC 9293 3.10.7.3. */
static void syn_sent_input(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
			   struct xtcp_rx *rx)
{
	bool ack = seg->flags & XTCP_ACK;
	u32 syn_wnd;

	if (ack && (seq_leq(seg->ack, tcb->iss) || seq_gt(seg->ack, tcb->snd_nxt))) {
		if (!(seg->flags & XTCP_RST))
			rx_rst(rx, seg->ack, 0, XTCP_RST);
		rx->actions |= XTCP_RX_DROP;
		return;
	}
	if (seg->flags & XTCP_RST) {
		/* Only a RST that acknowledges our SYN refuses it. */
		if (ack) {
			rx->actions |= XTCP_RX_RESET;
			rx->err = -ECONNREFUSED;
			tcb->state = XTCP_CLOSE;
		} else {
			rx->actions |= XTCP_RX_DROP;
		}
		return;
	}
	if (!(seg->flags & XTCP_SYN)) {
		rx->actions |= XTCP_RX_DROP;
		return;
	}

	/* While SYN_SENT, rcv_adv holds the window our SYN offered. */
	syn_wnd = tcb->rcv_adv;
	tcb->irs = seg->seq;
	tcb->rcv_nxt = seg->seq + 1;
	tcb->rcv_adv = tcb->rcv_nxt + syn_wnd;
	take_syn_opts(tcb, seg);

	if (ack) {
		rx->acked = seg->ack - tcb->snd_una;
		tcb->snd_una = seg->ack;
		rx->actions |= XTCP_RX_ACKED | XTCP_RX_CONNECTED | XTCP_RX_SEND_ACK;
		tcb->state = XTCP_ESTABLISHED;
		/* The window of a SYN segment is never scaled. */
		set_snd_wnd(tcb, seg, seg->wnd, rx);
		/* Data or FIN on a SYN,ACK are rare; the peer resends them. */
		return;
	}

	/* Simultaneous open: SYN_RECV, answer with SYN,ACK (ISS again). */
	tcb->state = XTCP_SYN_RECV;
	set_snd_wnd(tcb, seg, seg->wnd, rx);
	tcb->snd_wl2 = tcb->iss;
	rx->actions |= XTCP_RX_SEND_SYNACK;
}

/*
 * RFC 7323 5.3 R1: a timestamp older than ts_recent marks an old
 * duplicate from a previous wrap of the sequence space.  A RST is taken
 * whatever its timestamp (5.2); a stale ts_recent protects nothing.
 */
static bool paws_reject(const struct xtcp_tcb *tcb, const struct xtcp_seg *seg)
{
	return tcb->ts_ok && seg->opts.ts_ok && !tcb->ts_recent_stale &&
	       !(seg->flags & XTCP_RST) &&
	       (s32)(seg->opts.tsval - tcb->ts_recent) < 0;
}

/*
 * RFC 7323 4.3: record the TSval of an acceptable segment that starts
 * at or before Last.ACK.sent, so that with delayed ACKs the echo is the
 * earliest unacknowledged segment's.  paws_reject() already refused
 * older ones unless ts_recent was stale.
 */
static void ts_update(struct xtcp_tcb *tcb, const struct xtcp_seg *seg)
{
	u32 last_ack = tcb->ack_delayed ? tcb->rcv_wup : tcb->rcv_nxt;

	if (!tcb->ts_ok || !seg->opts.ts_ok || !seq_leq(seg->seq, last_ack))
		return;
	if (!tcb->ts_recent_stale && (s32)(seg->opts.tsval - tcb->ts_recent) < 0)
		return;
	tcb->ts_recent = seg->opts.tsval;
	tcb->ts_recent_stale = false;
}

/*
 * RFC 6191: a SYN may recycle TIME_WAIT if it is beyond the old
 * incarnation: a newer timestamp when both use them, else a higher
 * sequence number.
 */
static bool tw_recycle(const struct xtcp_tcb *tcb, const struct xtcp_seg *seg)
{
	if ((seg->flags & (XTCP_SYN | XTCP_ACK | XTCP_RST)) != XTCP_SYN)
		return false;
	if (seq_gt(seg->seq, tcb->rcv_nxt))
		return true;
	return tcb->ts_ok && seg->opts.ts_ok && !tcb->ts_recent_stale &&
	       (s32)(seg->opts.tsval - tcb->ts_recent) > 0;
}

/*
 * TIME_WAIT, after PAWS and the new-SYN check, as Linux's
 * tcp_timewait_state_process(): every RST is dropped (RFC 1337), a bare
 * ACK at RCV.NXT passes quietly and refreshes ts_recent, and anything
 * else - data, an ACK elsewhere, an old SYN, the peer's FIN again - is
 * answered with an ACK, which a peer that lost our last ACK needs.  A
 * retransmitted FIN restarts 2MSL (RFC 9293 3.10.7.4).
 */
static void tw_input(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
		     struct xtcp_rx *rx)
{
	if (seg->seq == tcb->rcv_nxt && !xtcp_seg_seqlen(seg) &&
	    !(seg->flags & XTCP_RST)) {
		ts_update(tcb, seg);
		return;
	}
	rx->actions |= XTCP_RX_DROP;
	if (seg->flags & XTCP_RST)
		return;
	rx->actions |= XTCP_RX_SEND_ACK;
	if ((seg->flags & XTCP_FIN) && seg->seq + xtcp_seg_seqlen(seg) == tcb->rcv_nxt)
		rx->actions |= XTCP_RX_TIME_WAIT;
}

/* RFC 9293 3.10.7.4, first check: is the segment in the window? */
static bool seq_acceptable(const struct xtcp_tcb *tcb, const struct xtcp_seg *seg)
{
	u32 wnd = xtcp_tcb_rcv_wnd(tcb);
	u32 len = xtcp_seg_seqlen(seg);
	u32 end = tcb->rcv_nxt + wnd;

	if (len == 0) {
		if (wnd == 0)
			return seg->seq == tcb->rcv_nxt;
		return seq_in(seg->seq, tcb->rcv_nxt, end);
	}
	if (wnd == 0)
		return false;
	return seq_in(seg->seq, tcb->rcv_nxt, end) ||
	       seq_in(seg->seq + len - 1, tcb->rcv_nxt, end);
}

static int reset_errno(unsigned int state)
{
	switch (state) {
	case XTCP_SYN_RECV:
		return -ECONNREFUSED;
	case XTCP_CLOSE_WAIT:
		return -EPIPE;
	default:
		return -ECONNRESET;
	}
}

/*
 * Second check, RFC 5961 3.2: only an exact RST resets; others challenge.
 * RFC 1337 (TIME_WAIT assassination, hazard H1-H3): in TIME_WAIT every RST
 * is dropped unanswered, so the 2MSL quarantine always runs to its end.
 */
static bool rst_input(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
		      struct xtcp_rx *rx)
{
	if (tcb->state == XTCP_TIME_WAIT) {
		rx->actions |= XTCP_RX_DROP;
		return true;
	}
	if (seg->seq != tcb->rcv_nxt) {
		rx->actions |= XTCP_RX_SEND_ACK | XTCP_RX_CHALLENGE | XTCP_RX_DROP;
		return true;
	}
	switch (tcb->state) {
	case XTCP_CLOSING:
	case XTCP_LAST_ACK:
		/* Nothing left to report: the connection just ends. */
		rx->actions |= XTCP_RX_CLOSED;
		break;
	default:
		rx->actions |= XTCP_RX_RESET;
		rx->err = reset_errno(tcb->state);
		break;
	}
	tcb->state = XTCP_CLOSE;
	return true;
}

/* Fifth check: the ACK field.  Returns false if the segment is dropped. */
static bool ack_input(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
		      struct xtcp_rx *rx)
{
	/* The window of a segment with SYN is never scaled (RFC 7323 2.2). */
	u32 wnd = (seg->flags & XTCP_SYN) ? seg->wnd :
		  (u32)seg->wnd << tcb->snd_wscale;

	if (tcb->state == XTCP_SYN_RECV) {
		if (!seq_gt(seg->ack, tcb->snd_una) || seq_gt(seg->ack, tcb->snd_nxt)) {
			rx_rst(rx, seg->ack, 0, XTCP_RST);
			rx->actions |= XTCP_RX_DROP;
			return false;
		}
		tcb->state = XTCP_ESTABLISHED;
		rx->actions |= XTCP_RX_CONNECTED;
		set_snd_wnd(tcb, seg, wnd, rx);
	}

	/* RFC 5961 5.2: ACKs for data never sent, or too old, are answered
	 * with an ACK and dropped.
	 */
	if (seq_gt(seg->ack, tcb->snd_nxt) ||
	    seq_lt(seg->ack, tcb->snd_una - tcb->max_snd_wnd)) {
		rx->actions |= XTCP_RX_SEND_ACK | XTCP_RX_CHALLENGE | XTCP_RX_DROP;
		return false;
	}

	if (seq_gt(seg->ack, tcb->snd_una)) {
		rx->acked += seg->ack - tcb->snd_una;
		tcb->snd_una = seg->ack;
		rx->actions |= XTCP_RX_ACKED;
		tcb->dupacks = 0;
	} else if (seg->ack == tcb->snd_una && tcb->snd_una != tcb->snd_nxt &&
		   !seg->len && !(seg->flags & (XTCP_SYN | XTCP_FIN)) &&
		   wnd == tcb->snd_wnd) {
		/* RFC 5681 2: all five conditions of a duplicate ACK. */
		if (tcb->dupacks < 255)
			tcb->dupacks++;
		rx->actions |= XTCP_RX_DUPACK;
	}
	/* Take the window from the newest segment only, and never from an
	 * ACK older than SND.UNA (RFC 9293 3.10.7.4).
	 */
	if (seq_geq(seg->ack, tcb->snd_una) && seq_leq(seg->ack, tcb->snd_nxt) &&
	    (seq_lt(tcb->snd_wl1, seg->seq) ||
	     (tcb->snd_wl1 == seg->seq && seq_leq(tcb->snd_wl2, seg->ack))))
		set_snd_wnd(tcb, seg, wnd, rx);

	if (!tcb->fin_queued || !seq_gt(tcb->snd_una, tcb->fin_seq))
		return true;

	/* Our FIN is acknowledged. */
	switch (tcb->state) {
	case XTCP_FIN_WAIT1:
		tcb->state = XTCP_FIN_WAIT2;
		break;
	case XTCP_CLOSING:
		tcb->state = XTCP_TIME_WAIT;
		rx->actions |= XTCP_RX_TIME_WAIT;
		break;
	case XTCP_LAST_ACK:
		tcb->state = XTCP_CLOSE;
		rx->actions |= XTCP_RX_CLOSED;
		return false;
	default:
		break;
	}
	return true;
}

/* Seventh and eighth steps: segment text and FIN. */
static void data_input(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
		       struct xtcp_rx *rx)
{
	u32 seq = seg->seq + !!(seg->flags & XTCP_SYN);
	u32 off = 0, len = seg->len, room;
	bool fin = seg->flags & XTCP_FIN;

	switch (tcb->state) {
	case XTCP_ESTABLISHED:
	case XTCP_FIN_WAIT1:
	case XTCP_FIN_WAIT2:
		break;
	case XTCP_TIME_WAIT:
		/* A retransmitted FIN: ACK it and restart 2MSL. */
		if (fin)
			rx->actions |= XTCP_RX_SEND_ACK | XTCP_RX_TIME_WAIT;
		return;
	default:
		/* CLOSE_WAIT, CLOSING, LAST_ACK: the peer's FIN came already;
		 * anything in sequence space beyond it is ignored.
		 */
		if (len || fin)
			rx->actions |= XTCP_RX_SEND_ACK;
		return;
	}

	/* Skip what we already have. */
	if (seq_lt(seq, tcb->rcv_nxt)) {
		u32 dup = tcb->rcv_nxt - seq;

		if (dup > len) {
			/* Entirely old: a duplicate, ACK it at once. */
			rx->actions |= XTCP_RX_SEND_ACK;
			return;
		}
		off = dup;
		len -= dup;
		seq = tcb->rcv_nxt;
	}
	if (seq != tcb->rcv_nxt) {
		/* Out of order: the glue may keep what lies in the window
		 * (data_off/data_len; a FIN waits for its turn), and a
		 * duplicate ACK at once tells the peer (RFC 5681 4.2).
		 */
		if (!len && !fin)
			return;
		rx->actions |= XTCP_RX_OUT_OF_ORDER | XTCP_RX_SEND_ACK;
		room = seq_lt(seq, tcb->rcv_adv) ? tcb->rcv_adv - seq : 0;
		if (rx->rcv_space < room)
			room = rx->rcv_space;
		rx->data_off = off;
		rx->data_len = len < room ? len : room;
		return;
	}

	/* Take no more than the window and the glue's space. */
	room = xtcp_tcb_rcv_wnd(tcb);
	if (rx->rcv_space < room)
		room = rx->rcv_space;
	if (len > room) {
		len = room;
		fin = false;	/* the FIN lies beyond what we keep */
	}
	/* A FIN just past a window the data filled is outside it too. */
	if (fin && !seq_lt(seq + len, tcb->rcv_adv))
		fin = false;
	if (len) {
		rx->actions |= XTCP_RX_DATA | XTCP_RX_SEND_ACK;
		rx->data_off = off;
		rx->data_len = len;
		tcb->rcv_nxt += len;
		/* In-order data may cover kept out-of-order data; SACK
		 * blocks never lie below rcv_nxt (found by fuzz_sack).
		 */
		if (tcb->nsack)
			xtcp_tcb_rcv_advance(tcb, tcb->rcv_nxt);
	} else if (seg->len) {
		/* No room: the ACK repeats rcv_nxt and the window. */
		rx->actions |= XTCP_RX_SEND_ACK;
	}
	if (!fin)
		return;

	tcb->rcv_nxt++;
	rx->actions |= XTCP_RX_FIN | XTCP_RX_SEND_ACK;
	switch (tcb->state) {
	case XTCP_ESTABLISHED:
		tcb->state = XTCP_CLOSE_WAIT;
		break;
	case XTCP_FIN_WAIT1:
		/* Our FIN not yet acknowledged: simultaneous close. */
		tcb->state = XTCP_CLOSING;
		break;
	case XTCP_FIN_WAIT2:
		tcb->state = XTCP_TIME_WAIT;
		rx->actions |= XTCP_RX_TIME_WAIT;
		break;
	default:
		break;
	}
}

void xtcp_tcb_input(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
		    struct xtcp_rx *rx)
{
	rx->actions = 0;
	rx->acked = 0;
	rx->data_off = 0;
	rx->data_len = 0;
	rx->err = 0;

	if (tcb->state == XTCP_SYN_SENT) {
		syn_sent_input(tcb, seg, rx);
		return;
	}

	/* PAWS comes before the window check (RFC 7323 5.3): the ACK
	 * keeps half-open detection working, as for any unacceptable
	 * segment.
	 */
	if (paws_reject(tcb, seg)) {
		rx->actions |= XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP;
		return;
	}

	/* A new SYN on a TIME_WAIT connection, beyond what it knew, may
	 * open a new incarnation (RFC 9293 3.10.7.4 note, RFC 6191).
	 */
	if (tcb->state == XTCP_TIME_WAIT && tw_recycle(tcb, seg)) {
		rx->actions |= XTCP_RX_TW_REUSE;
		return;
	}

	if (tcb->state == XTCP_TIME_WAIT) {
		tw_input(tcb, seg, rx);
		return;
	}

	/* Simultaneous open: the peer's SYN,ACK acknowledges our SYN,ACK's
	 * SYN; take it as the ACK that completes the handshake (as Linux).
	 */
	if (tcb->state == XTCP_SYN_RECV && !tcb->passive &&
	    (seg->flags & (XTCP_SYN | XTCP_ACK | XTCP_RST)) == (XTCP_SYN | XTCP_ACK) &&
	    seg->seq + 1 == tcb->rcv_nxt && seg->ack == tcb->snd_nxt && !seg->len) {
		ack_input(tcb, seg, rx);
		rx->actions |= XTCP_RX_SEND_ACK;
		return;
	}

	/* A zero-window probe: the data cannot be taken, but its ACK can
	 * (RFC 9293 3.10.7.4, "special allowance" for a zero window).
	 */
	if (!xtcp_tcb_rcv_wnd(tcb) && seg->seq == tcb->rcv_nxt && seg->len &&
	    (seg->flags & (XTCP_SYN | XTCP_RST | XTCP_ACK)) == XTCP_ACK &&
	    tcb->state != XTCP_SYN_RECV) {
		u32 wl1 = tcb->snd_wl1, wl2 = tcb->snd_wl2;

		if (!ack_input(tcb, seg, rx))
			return;
		rx->actions |= XTCP_RX_SEND_ACK;
		/* DROP means the segment changed nothing, not even which
		 * segment last set the window (found by fuzz_input).
		 */
		if (!(rx->actions & (XTCP_RX_ACKED | XTCP_RX_WND)) &&
		    tcb->snd_wl1 == wl1 && tcb->snd_wl2 == wl2)
			rx->actions |= XTCP_RX_DROP;
		return;
	}

	if (!seq_acceptable(tcb, seg)) {
		rx->actions |= XTCP_RX_DROP;
		if (seg->flags & XTCP_RST)
			return;
		rx->actions |= XTCP_RX_SEND_ACK;
		/* The duplicate of a SYN we answered: answer it again. */
		if (tcb->state == XTCP_SYN_RECV && (seg->flags & XTCP_SYN) &&
		    !(seg->flags & XTCP_ACK) && seg->seq == tcb->irs)
			rx->actions = XTCP_RX_SEND_SYNACK | XTCP_RX_DROP;
		/* A retransmitted FIN in TIME_WAIT restarts 2MSL. */
		if (tcb->state == XTCP_TIME_WAIT && (seg->flags & XTCP_FIN) &&
		    seg->seq + xtcp_seg_seqlen(seg) == tcb->rcv_nxt)
			rx->actions |= XTCP_RX_TIME_WAIT;
		return;
	}

	if (seg->flags & XTCP_RST) {
		rst_input(tcb, seg, rx);
		return;
	}

	if (seg->flags & XTCP_SYN) {
		/* RFC 5961 4.2: a SYN in a synchronized state is challenged. */
		rx->actions |= XTCP_RX_SEND_ACK | XTCP_RX_CHALLENGE | XTCP_RX_DROP;
		return;
	}

	if (!(seg->flags & XTCP_ACK)) {
		rx->actions |= XTCP_RX_DROP;
		return;
	}
	if (!ack_input(tcb, seg, rx))
		return;

	ts_update(tcb, seg);

	data_input(tcb, seg, rx);
}

bool xtcp_oow_ack_limited(const struct xtcp_seg *seg, bool challenge, u32 now,
			  u32 interval, u32 *last)
{
	if (!challenge && xtcp_seg_seqlen(seg) && !(seg->flags & XTCP_SYN))
		return false;
	/* A clock that went backwards (elapsed < 0) does not limit. */
	if (*last && (s32)(now - *last) >= 0 && now - *last < interval)
		return true;
	*last = now;
	return false;
}

u16 xtcp_rcv_mss(u16 est, u32 len, u16 advmss)
{
	if (est > advmss)
		est = advmss;
	if (len >= est)
		est = len < advmss ? len : advmss;
	return est;
}
