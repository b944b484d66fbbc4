// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the state machine's input handling
 * (xtcp_tcb_input() and the glue-side calls around it).  The input first
 * builds a tcb in any state but LISTEN and CLOSE, then is a program of
 * steps: a segment described field by field relative to the tcb, a
 * segment parsed from raw header bytes (xtcp_hdr_parse()), or a glue
 * action (send, close, advertise a window, delay or send an ACK, age
 * ts_recent).  After every segment the invariants below must hold.
 */
#include "fuzz_bytes.h"
#include "tcb.h"
#include "seq.h"

static const unsigned int start_states[] = {
	XTCP_SYN_SENT, XTCP_SYN_RECV, XTCP_SYN_RECV, XTCP_ESTABLISHED,
	XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, XTCP_CLOSE_WAIT, XTCP_CLOSING,
	XTCP_LAST_ACK, XTCP_TIME_WAIT,
};

static void build_tcb(struct fuzz_in *in, struct xtcp_tcb *t)
{
	unsigned int which = fz8(in) % (sizeof(start_states) / sizeof(start_states[0]));
	unsigned int st = start_states[which];
	u8 opt = fz8(in);
	struct xtcp_syn_params p;
	u32 inflight, wnd;

	/* One read per statement: the input's layout is their order. */
	memset(&p, 0, sizeof(p));
	p.iss = fz32(in);
	p.mss = fz16(in);
	p.rcv_wscale = fz8(in) % 15;
	p.want_wscale = opt & 1;
	p.want_sack = opt & 2;
	p.want_ts = opt & 4;

	if (st == XTCP_SYN_SENT) {
		xtcp_tcb_connect(t, &p);
		xtcp_tcb_sent(t, p.iss + 1);
		xtcp_tcb_syn_window(t, fz32(in));
		return;
	}
	if (which == 1) {
		struct xtcp_seg syn;

		memset(&syn, 0, sizeof(syn));
		syn.flags = XTCP_SYN;
		syn.seq = fz32(in);
		syn.wnd = fz16(in);
		syn.opts.mss_ok = opt & 8;
		syn.opts.mss = fz16(in);
		syn.opts.ws_ok = opt & 16;
		syn.opts.ws = fz8(in) % 15;
		syn.opts.sack_ok = opt & 32;
		syn.opts.ts_ok = opt & 64;
		syn.opts.tsval = fz32(in);
		xtcp_tcb_accept_syn(t, &p, &syn);
		xtcp_tcb_sent(t, p.iss + 1);
		xtcp_tcb_syn_window(t, fz32(in));
		return;
	}

	/* A synchronized tcb (or an active SYN_RECV), consistent: our
	 * data in flight, the peer's window, timestamps maybe, and our FIN
	 * sent (and acked in FIN_WAIT2/TIME_WAIT) where we closed.
	 */
	memset(t, 0, sizeof(*t));
	t->state = st;
	t->iss = p.iss;
	t->irs = fz32(in);
	inflight = st == XTCP_SYN_RECV ? 0 : fz16(in);
	t->snd_una = t->iss + (st != XTCP_SYN_RECV);
	t->snd_nxt = t->snd_una + inflight + (st == XTCP_SYN_RECV);
	t->recover = t->snd_una;
	t->snd_wnd = fz16(in);
	t->max_snd_wnd = t->snd_wnd + fz8(in);
	t->rcv_nxt = t->irs + 1;
	t->snd_wl1 = t->rcv_nxt;
	t->snd_wl2 = t->snd_una;
	wnd = fz16(in);
	t->rcv_adv = t->rcv_nxt + wnd * (fz8(in) % 4);
	t->mss = 536;
	t->peer_mss = 536;
	if (opt & 1) {
		t->wscale_ok = true;
		t->snd_wscale = fz8(in) % 15;
		t->rcv_wscale = fz8(in) % 15;
	}
	t->sack_ok = opt & 2;
	t->ts_ok = opt & 4;
	t->ts_recent = fz32(in);
	switch (st) {
	case XTCP_FIN_WAIT1:
	case XTCP_CLOSING:
	case XTCP_LAST_ACK:
		t->fin_queued = true;
		t->fin_seq = t->snd_nxt;
		t->snd_nxt++;
		break;
	case XTCP_FIN_WAIT2:
	case XTCP_TIME_WAIT:
		t->fin_queued = true;
		t->fin_seq = t->snd_nxt;
		t->snd_nxt++;
		t->snd_una = t->snd_nxt;
		t->snd_wl2 = t->snd_una;
		break;
	default:
		break;
	}
}

/* A number near @base most of the time, or anywhere. */
static u32 near(struct fuzz_in *in, u32 base)
{
	u8 how = fz8(in);
	u32 v = fz32(in);

	if (how & 0x80)
		return v;
	return base + (u32)(s32)(short)v;
}

static void seg_fields(struct fuzz_in *in, const struct xtcp_tcb *t,
		       struct xtcp_seg *s)
{
	memset(s, 0, sizeof(*s));
	s->flags = fz8(in);
	s->seq = near(in, t->state == XTCP_SYN_SENT ? fz32(in) : t->rcv_nxt);
	s->ack = near(in, t->snd_una);
	s->wnd = fz16(in);
	s->len = fz16(in);
	s->doff = 20;
	s->opts.mss_ok = s->flags & XTCP_SYN;
	s->opts.mss = fz16(in);
	s->opts.ws_ok = s->flags & XTCP_SYN;
	s->opts.ws = fz8(in) % 15;
	s->opts.sack_ok = s->flags & XTCP_SYN;
	s->opts.ts_ok = fz8(in) & 1;
	s->opts.tsval = near(in, t->ts_recent);
	s->opts.tsecr = fz32(in);
}

/* Raw header bytes; seq and ack are read as offsets when asked. */
static bool seg_raw(struct fuzz_in *in, const struct xtcp_tcb *t,
		    struct xtcp_seg *s)
{
	static u8 pkt[XTCP_HDR_MAX_LEN + 1500];
	u8 mode = fz8(in);
	u32 hlen = fz8(in) % (XTCP_HDR_MAX_LEN + 1), i;
	u32 plen = fz16(in) % 1501;

	memset(pkt, 0, sizeof(pkt));
	for (i = 0; i < hlen; i++)
		pkt[i] = fz8(in);
	if (xtcp_hdr_parse(pkt, hlen + plen, s))
		return false;
	if (mode & 1)
		s->seq += t->rcv_nxt;
	if (mode & 2)
		s->ack += t->snd_una;
	return true;
}

static void glue_step(struct fuzz_in *in, struct xtcp_tcb *t)
{
	switch (fz8(in) % 6) {
	case 0:
		if (xtcp_state_synchronized(t->state) && !t->fin_queued)
			xtcp_tcb_sent(t, t->snd_nxt + fz32(in) % (xtcp_tcb_snd_room(t) + 1));
		break;
	case 1:
		if (xtcp_tcb_close(t, t->snd_nxt))
			xtcp_tcb_sent(t, t->fin_seq + 1);
		break;
	case 2:
		if (t->state != XTCP_SYN_SENT)
			xtcp_tcb_rcv_window(t, fz32(in));
		break;
	case 3:
		xtcp_tcb_ack_delay(t, t->rcv_nxt - fz8(in));
		break;
	case 4:
		xtcp_tcb_ack_sent(t);
		break;
	default:
		xtcp_tcb_paws_idle(t);
		break;
	}
}

static bool legal_state(unsigned int st)
{
	return st >= XTCP_ESTABLISHED && st < XTCP_NSTATES && st != XTCP_LISTEN;
}

static void check(const struct xtcp_tcb *old, const struct xtcp_tcb *t,
		  const struct xtcp_seg *s, const struct xtcp_rx *rx)
{
	u32 old_wnd = xtcp_tcb_rcv_wnd(old);

	FUZZ_ASSERT(legal_state(t->state));
	FUZZ_ASSERT(seq_leq(t->snd_una, t->snd_nxt));
	FUZZ_ASSERT(t->snd_nxt == old->snd_nxt && t->iss == old->iss);
	/* snd_una only moves forward, and never past what was sent. */
	FUZZ_ASSERT(seq_geq(t->snd_una, old->snd_una));
	FUZZ_ASSERT(seq_leq(t->snd_una, old->snd_nxt));
	if (rx->actions & XTCP_RX_ACKED)
		FUZZ_ASSERT(rx->acked && t->snd_una - old->snd_una == rx->acked &&
			    seq_gt(s->ack, old->snd_una) &&
			    seq_leq(s->ack, old->snd_nxt));
	else
		FUZZ_ASSERT(!rx->acked && t->snd_una == old->snd_una);

	/* rcv_nxt moves only forward, by what was delivered, in the window. */
	if (old->state != XTCP_SYN_SENT) {
		u32 moved = t->rcv_nxt - old->rcv_nxt;

		FUZZ_ASSERT(moved == ((rx->actions & XTCP_RX_DATA) ? rx->data_len : 0) +
			    !!(rx->actions & XTCP_RX_FIN));
		FUZZ_ASSERT(moved <= old_wnd);
		FUZZ_ASSERT(t->irs == old->irs);
	}
	FUZZ_ASSERT(rx->data_off + rx->data_len <= s->len);
	FUZZ_ASSERT(rx->data_len <= rx->rcv_space);
	FUZZ_ASSERT(!(rx->actions & XTCP_RX_DATA) || rx->data_len);
	FUZZ_ASSERT((rx->actions & (XTCP_RX_DATA | XTCP_RX_OUT_OF_ORDER)) ||
		    !rx->data_len);
	if (rx->actions & XTCP_RX_OUT_OF_ORDER && rx->data_len)
		FUZZ_ASSERT(seq_gt(s->seq + rx->data_off, old->rcv_nxt) &&
			    seq_leq(s->seq + rx->data_off + rx->data_len, old->rcv_adv));
	if (rx->actions & (XTCP_RX_DATA | XTCP_RX_FIN))
		FUZZ_ASSERT(rx->actions & XTCP_RX_SEND_ACK);

	/* Dropped means untouched; PAWS is a drop with an ACK. */
	if (rx->actions & XTCP_RX_DROP)
		FUZZ_ASSERT(!memcmp(t, old, sizeof(*t)));
	if (rx->actions & XTCP_RX_PAWS)
		FUZZ_ASSERT(rx->actions == (XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP) &&
			    old->ts_ok && s->opts.ts_ok && !(s->flags & XTCP_RST) &&
			    seq_lt(s->opts.tsval, old->ts_recent));
	if (old->ts_ok && s->opts.ts_ok && !old->ts_recent_stale &&
	    !(s->flags & XTCP_RST) && old->state != XTCP_SYN_SENT &&
	    seq_lt(s->opts.tsval, old->ts_recent))
		FUZZ_ASSERT(rx->actions & XTCP_RX_PAWS);
	if (t->ts_recent != old->ts_recent && old->state != XTCP_SYN_SENT)
		FUZZ_ASSERT(s->opts.ts_ok && t->ts_recent == s->opts.tsval &&
			    (old->ts_recent_stale ||
			     seq_gt(s->opts.tsval, old->ts_recent)));

	/* Resets, closes and their errors. */
	if (rx->actions & XTCP_RX_RESET)
		FUZZ_ASSERT(rx->err < 0 && t->state == XTCP_CLOSE &&
			    !(rx->actions & (XTCP_RX_DATA | XTCP_RX_CLOSED)));
	else
		FUZZ_ASSERT(rx->err == 0);
	if (t->state == XTCP_CLOSE)
		FUZZ_ASSERT(rx->actions & (XTCP_RX_RESET | XTCP_RX_CLOSED));
	if (rx->actions & XTCP_RX_CLOSED)
		FUZZ_ASSERT(t->state == XTCP_CLOSE);
	if (rx->actions & XTCP_RX_SEND_RST)
		FUZZ_ASSERT(!(s->flags & XTCP_RST) && rx->rst_seq == s->ack);
	if (s->flags & XTCP_RST)
		FUZZ_ASSERT(!(rx->actions & (XTCP_RX_SEND_RST | XTCP_RX_DATA |
					     XTCP_RX_FIN | XTCP_RX_ACKED)));
	if (rx->actions & XTCP_RX_TW_REUSE)
		FUZZ_ASSERT(rx->actions == XTCP_RX_TW_REUSE &&
			    old->state == XTCP_TIME_WAIT);
	if (rx->actions & XTCP_RX_CONNECTED)
		FUZZ_ASSERT((old->state == XTCP_SYN_SENT || old->state == XTCP_SYN_RECV) &&
			    xtcp_state_synchronized(t->state));

	/* Transitions the state diagram allows. */
	if (xtcp_state_synchronized(old->state))
		FUZZ_ASSERT(xtcp_state_synchronized(t->state) || t->state == XTCP_CLOSE);
	if (old->state == XTCP_TIME_WAIT)
		FUZZ_ASSERT(t->state == XTCP_TIME_WAIT || t->state == XTCP_CLOSE);
	if (old->state == XTCP_CLOSE_WAIT || old->state == XTCP_LAST_ACK)
		FUZZ_ASSERT(t->state == old->state || t->state == XTCP_CLOSE);
	if (t->state == XTCP_FIN_WAIT2 && old->state != XTCP_FIN_WAIT2)
		FUZZ_ASSERT(t->fin_queued && seq_gt(t->snd_una, t->fin_seq));
	FUZZ_ASSERT(t->max_snd_wnd >= old->max_snd_wnd && t->max_snd_wnd >= t->snd_wnd);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct xtcp_tcb t, old;
	struct xtcp_seg s;
	struct xtcp_rx rx;
	unsigned int step;

	build_tcb(&in, &t);
	for (step = 0; step < 64 && in.n && t.state != XTCP_CLOSE; step++) {
		u8 op = fz8(&in) % 8;

		if (op >= 6) {
			glue_step(&in, &t);
			continue;
		}
		if (op == 5) {
			if (!seg_raw(&in, &t, &s))
				continue;
		} else {
			seg_fields(&in, &t, &s);
		}
		memcpy(&old, &t, sizeof(t));
		memset(&rx, 0x5a, sizeof(rx));
		rx.rcv_space = fz8(&in) & 1 ? fz16(&in) : 0xffffffffu;
		xtcp_tcb_input(&t, &s, &rx);
		check(&old, &t, &s, &rx);
	}
	return 0;
}
