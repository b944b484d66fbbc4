// SPDX-License-Identifier: GPL-2.0
/*
 * Invariants.  Checked on every segment sent, after every event, and at
 * the end of a run; the first one broken fails the run with its reason.
 * (The stream itself is checked byte by byte as the application reads it,
 * in app.c, and at the FIN, in endpoint.c.)
 */
#include "sim.h"

/* RFC 9293's state diagram, one step; LISTEN is the passive host's
 * listener before (and, if the child dies unconnected, after) its child.
 */
static const uint16_t legal_next[XTCP_NSTATES] = {
	[XTCP_CLOSE] = XTCPF(XTCP_SYN_SENT),
	[XTCP_LISTEN] = XTCPF(XTCP_SYN_RECV),
	[XTCP_SYN_SENT] = XTCPF(XTCP_ESTABLISHED) | XTCPF(XTCP_SYN_RECV) |
			  XTCPF(XTCP_CLOSE),
	[XTCP_SYN_RECV] = XTCPF(XTCP_ESTABLISHED) | XTCPF(XTCP_FIN_WAIT1) |
			  XTCPF(XTCP_CLOSE) | XTCPF(XTCP_LISTEN),
	[XTCP_ESTABLISHED] = XTCPF(XTCP_FIN_WAIT1) | XTCPF(XTCP_CLOSE_WAIT) |
			     XTCPF(XTCP_CLOSE),
	[XTCP_FIN_WAIT1] = XTCPF(XTCP_FIN_WAIT2) | XTCPF(XTCP_CLOSING) |
			   XTCPF(XTCP_CLOSE),
	[XTCP_FIN_WAIT2] = XTCPF(XTCP_TIME_WAIT) | XTCPF(XTCP_CLOSE),
	[XTCP_CLOSE_WAIT] = XTCPF(XTCP_LAST_ACK) | XTCPF(XTCP_CLOSE),
	[XTCP_CLOSING] = XTCPF(XTCP_TIME_WAIT) | XTCPF(XTCP_CLOSE),
	[XTCP_LAST_ACK] = XTCPF(XTCP_CLOSE),
	[XTCP_TIME_WAIT] = XTCPF(XTCP_CLOSE),
};

/*
 * One event may take two steps: a segment that completes the handshake
 * and carries a FIN (SYN_RECV -> ESTABLISHED -> CLOSE_WAIT), or that
 * acknowledges our FIN and carries the peer's (FIN_WAIT1 -> FIN_WAIT2 ->
 * TIME_WAIT).
 */
void check_transition(struct sim *s, const struct endpoint *ep,
		      unsigned int from, unsigned int to)
{
	unsigned int mid;

	if (from == to)
		return;
	if (to < XTCP_NSTATES)
		s->states_seen |= XTCPF(to);
	sim_log(s, "%s: %s -> %s", ep->name, xtcp_state_name(from),
		xtcp_state_name(to));
	if (from >= XTCP_NSTATES || to >= XTCP_NSTATES || !from || !to)
		goto bad;
	if (legal_next[from] & XTCPF(to))
		return;
	for (mid = 1; mid < XTCP_NSTATES; mid++)
		if ((legal_next[from] & XTCPF(mid)) && (legal_next[mid] & XTCPF(to)))
			return;
bad:
	sim_fail(s, "%s: illegal transition %s -> %s", ep->name,
		 xtcp_state_name(from), xtcp_state_name(to));
}

/* Every segment a host sends: it acknowledges only what the peer sent. */
void check_sent(struct sim *s, const struct endpoint *ep,
		const struct xtcp_seg *seg)
{
	const struct endpoint *peer = ep->peer;
	uint8_t i;

	if ((seg->flags & XTCP_RST) || !(seg->flags & XTCP_ACK) || !peer->exists)
		return;
	/* RFC 9293 3.8.6.2.2: the right edge offered never moves left. */
	if (!(seg->flags & XTCP_SYN)) {
		uint32_t edge = seg->ack + ((uint32_t)seg->wnd << ep->tcb.rcv_wscale);

		if (s->edge_set[ep->id] && seq_lt(edge, s->last_edge[ep->id]))
			sim_fail(s, "%s: window edge %u moved left of %u", ep->name,
				 edge, s->last_edge[ep->id]);
		s->edge_set[ep->id] = true;
		s->last_edge[ep->id] = edge;
	}
	if (seq_gt(seg->ack, peer->tcb.snd_nxt))
		sim_fail(s, "%s acknowledges %u, the peer sent only up to %u",
			 ep->name, seg->ack, peer->tcb.snd_nxt);
	for (i = 0; i < seg->opts.nsack; i++) {
		const struct xtcp_sack_block *b = &seg->opts.sack[i];

		/* A block may start at the ACK (not above it, as RFC 2018
		 * would have it): the glue sends ACKs and retransmissions
		 * between the core's advance of rcv_nxt and its own drain
		 * of the out-of-order data that the advance reached.
		 */
		if (seq_lt(b->start, seg->ack) || !seq_lt(b->start, b->end) ||
		    seq_gt(b->end, peer->tcb.snd_nxt))
			sim_fail(s, "%s sends SACK block %u-%u with ack %u, peer snd_nxt %u",
				 ep->name, b->start, b->end, seg->ack,
				 peer->tcb.snd_nxt);
	}
}

/*
 * A RST ended a connection.  RFC 5961 3.2: in a synchronized state only a
 * RST whose seq is exactly rcv_nxt may do so.  Without an adversary no
 * RST may reset a connection at all (one may end LAST_ACK or TIME_WAIT:
 * the peer's socket is gone); with one, only after a forged RST made the
 * correct guess.
 */
void check_reset(struct sim *s, const struct endpoint *ep, unsigned int old,
		 const struct xtcp_seg *seg, uint32_t rcv_nxt, bool forged,
		 bool is_reset)
{
	if (old != XTCP_SYN_SENT && seg->seq != rcv_nxt) {
		sim_fail(s, "%s: RST seq %u ended %s but rcv_nxt is %u", ep->name,
			 seg->seq, xtcp_state_name(old), rcv_nxt);
		return;
	}
	if (forged) {
		s->guessed_reset = true;
		s->adv.exact_rsts++;
		sim_log(s, "%s: reset by a forged RST with the correct seq", ep->name);
		return;
	}
	if (is_reset && !s->guessed_reset)
		sim_fail(s, "%s: connection reset in %s without a forged RST",
			 ep->name, xtcp_state_name(old));
}

static void check_tcb(struct sim *s, int i)
{
	const struct endpoint *ep = &s->ep[i];
	const struct endpoint *peer = ep->peer;
	const struct xtcp_tcb *t = &ep->tcb;
	uint64_t held;

	if (!ep->exists || ep->listening)
		return;
	if (!seq_leq(t->snd_una, t->snd_nxt))
		sim_fail(s, "%s: snd_una %u is past snd_nxt %u", ep->name,
			 t->snd_una, t->snd_nxt);
	if (!seq_leq(t->snd_nxt, ep->write_seq))
		sim_fail(s, "%s: snd_nxt %u is past what was queued (%u)", ep->name,
			 t->snd_nxt, ep->write_seq);
	if (!ep->connected)
		return;
	if (s->seen[i] && (seq_lt(t->rcv_nxt, s->last_rcv_nxt[i]) ||
			   seq_lt(t->snd_una, s->last_snd_una[i])))
		sim_fail(s, "%s: rcv_nxt or snd_una went back (%u<%u, %u<%u)",
			 ep->name, t->rcv_nxt, s->last_rcv_nxt[i], t->snd_una,
			 s->last_snd_una[i]);
	s->seen[i] = true;
	s->last_rcv_nxt[i] = t->rcv_nxt;
	s->last_snd_una[i] = t->snd_una;
	if (peer->exists && !peer->listening && seq_gt(t->rcv_nxt, peer->tcb.snd_nxt))
		sim_fail(s, "%s: rcv_nxt %u is past what the peer sent (%u)",
			 ep->name, t->rcv_nxt, peer->tcb.snd_nxt);
	/* The buffer takes a segment while not full: one may overshoot. */
	held = ep_rcv_held(ep);
	if (held >= ep->rcvbuf + 2048ULL)
		sim_fail(s, "%s: holds %llu bytes in a %u-byte buffer", ep->name,
			 (unsigned long long)held, ep->rcvbuf);
}

void check_tcbs(struct sim *s)
{
	check_tcb(s, 0);
	check_tcb(s, 1);
}

static bool finished(const struct endpoint *ep)
{
	if (ep->listening || !ep->exists)
		return false;
	if (!ep->gone && ep->tcb.state != XTCP_TIME_WAIT)
		return false;
	return ep->app.eof || ep->err;
}

/* The run is over: both connections ended and both readers saw EOF. */
bool check_done(struct sim *s)
{
	return finished(&s->ep[0]) && finished(&s->ep[1]);
}

void check_final(struct sim *s)
{
	int i;

	if (s->failed || s->reset_at != SIM_NONE)
		return;		/* after a reset, only the prefix counts */
	for (i = 0; i < 2; i++) {
		const struct endpoint *ep = &s->ep[i];

		if (ep->err || (!ep->gone && ep->tcb.state != XTCP_TIME_WAIT)) {
			sim_fail(s, "%s ends in %s, errno %d", ep->name,
				 xtcp_state_name(ep->tcb.state), ep->err);
			return;
		}
		if (ep->app.written != ep->app.stream_len ||
		    ep->app.read != ep->peer->app.stream_len || !ep->app.eof) {
			sim_fail(s, "%s wrote %u of %u, read %llu of %u, eof %d",
				 ep->name, ep->app.written, ep->app.stream_len,
				 (unsigned long long)ep->app.read,
				 ep->peer->app.stream_len, ep->app.eof);
			return;
		}
	}
}
