// SPDX-License-Identifier: GPL-2.0
/*
 * One simulated host: the real portable core (struct xtcp_tcb, RTO) and a
 * compact user-space copy of what the kernel glue does with the core's
 * actions.  Each function names the glue function it mirrors
 * (module/input.c, output.c, timer.c, listen.c, stream.c).
 *
 * Simplifications, on purpose:
 * - Bytes instead of sk_buffs: the send side keeps sequence ranges and
 *   regenerates payload from the stream's key (stream_fill()); the receive
 *   side is one ring of bytes with a "present" mark per out-of-order byte,
 *   so out-of-order data is kept byte-exact instead of per skb.
 * - Buffers count bytes, not skb truesize: the window offered is rcvbuf
 *   minus the bytes held (the kernel offers half its free memory, the
 *   other half being for sk_buff overhead); as in the kernel, the core
 *   may take any amount while the buffer is not full, none when it is.
 *   The send buffer limits write_seq - snd_una.
 * - xtcp_tcb_rcv_advance() is called after every in-order delivery that
 *   met kept out-of-order bytes (the kernel calls it only when a kept skb
 *   reaches past rcv_nxt).
 * - One connection per host, no listener backlog, no keepalive, no
 *   TCP_USER_TIMEOUT, no orphans (the application always reads to EOF);
 *   retry limits are larger than Linux's defaults so that 20% loss each
 *   way does not time out a handshake by plain bad luck.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define DELACK_US	40000		/* XTCP_DELACK */
#define TW_US		(60 * SIM_SEC)	/* net.xtcp.tw_timeout default */

static uint16_t send_mss(const struct endpoint *ep)
{
	return ep->tcb.mss - (ep->tcb.ts_ok ? 12 : 0);
}

static uint32_t ts_now(const struct endpoint *ep)
{
	return (uint32_t)(ep->sim->now / 1000) + ep->ts_off;
}

static uint32_t rcv_sws(const struct endpoint *ep)
{
	return ep->tcb.mss < ep->rcvbuf / 2 ? ep->tcb.mss : ep->rcvbuf / 2;
}

static bool timer_on(uint64_t t)
{
	return t != SIM_NONE;
}

/* Bytes the receive buffer holds: unread in-order and out-of-order. */
uint64_t ep_rcv_held(const struct endpoint *ep)
{
	return (uint32_t)(ep->rcv_queued - ep->copied_seq) + (uint64_t)ep->ooo_bytes;
}

uint32_t ep_rcv_free(const struct endpoint *ep)
{
	uint64_t held = ep_rcv_held(ep);

	return held >= ep->rcvbuf ? 0 : (uint32_t)(ep->rcvbuf - held);
}

uint32_t ep_readable(const struct endpoint *ep)
{
	return ep->rcv_queued - ep->copied_seq;
}

/* ---- output (module/output.c) ---- */

static void emit(struct endpoint *ep, uint8_t *buf, uint32_t len)
{
	seg_csum_set(buf, len, ep->id);
	sim_trace_seg(ep->sim, ep->peer, "send", buf, len, false);
	ep->segs_out++;
	link_send(ep->sim, ep->out, buf, len);
}

/* xtcp_transmit(): one segment of @e's data (or none) at @seq. */
static void transmit(struct endpoint *ep, const struct wq_ent *e, uint32_t seq,
		     uint8_t flags)
{
	struct xtcp_tcb *tcb = &ep->tcb;
	uint32_t len = e ? e->len : 0, hlen;
	struct xtcp_seg seg = { 0 };
	uint8_t buf[XTCP_HDR_MAX_LEN + 2048];

	if (tcb->state != XTCP_SYN_SENT)
		flags |= XTCP_ACK;
	seg.sport = 1000 + ep->id;
	seg.dport = 1000 + !ep->id;
	seg.seq = seq;
	seg.ack = (flags & XTCP_ACK) ? tcb->rcv_nxt : 0;
	seg.flags = flags;
	if (flags & XTCP_SYN) {
		struct xtcp_syn_params p = { .mss = ep->mss_cache };

		seg.wnd = xtcp_tcb_syn_window(tcb, ep_rcv_free(ep));
		xtcp_tcb_syn_opts(tcb, &p, &seg.opts);
		seg.opts.tsval = ts_now(ep);
	} else if (flags & XTCP_RST) {
		seg.wnd = 0;
	} else {
		/* Receiver SWS: the edge moves by min(MSS, half the buffer);
		 * the kernel says a quarter because it offers half its space.
		 */
		tcb->rcv_sws = rcv_sws(ep);
		seg.wnd = xtcp_tcb_rcv_window(tcb, ep_rcv_free(ep));
		if (tcb->ts_ok) {
			seg.opts.ts_ok = true;
			seg.opts.tsval = ts_now(ep);
			seg.opts.tsecr = tcb->ts_recent;
		}
		if (tcb->sack_ok && tcb->nsack) {
			seg.opts.nsack = tcb->nsack;
			memcpy(seg.opts.sack, tcb->sack, sizeof(seg.opts.sack));
		}
	}
	if (flags & XTCP_ACK) {
		ep->rcv_wup = tcb->rcv_nxt;
		ep->dack_at = SIM_NONE;
	}
	check_sent(ep->sim, ep, &seg);
	hlen = xtcp_hdr_build(buf, &seg);
	if (len)
		stream_fill(ep->app.stream_key, (uint32_t)(e->seq - tcb->iss - 1),
			    buf + hlen, len);
	emit(ep, buf, hlen + len);
}

static void send_ack(struct endpoint *ep)
{
	transmit(ep, NULL, ep->tcb.snd_nxt, XTCP_ACK);
}

/* xtcp_send_probe(): an old sequence number makes the peer answer. */
static void send_probe(struct endpoint *ep)
{
	transmit(ep, NULL, ep->tcb.snd_una - 1, XTCP_ACK);
	ep->probes++;
}

/* xtcp_send_reset_reply(): the RST for @seg, from xtcp_rst_for(). */
static void send_rst_reply(struct endpoint *ep, const struct xtcp_seg *seg)
{
	struct xtcp_seg rst = { 0 };
	uint8_t buf[XTCP_HDR_MAX_LEN];

	if (seg->flags & XTCP_RST)
		return;
	xtcp_rst_for(seg, &rst.seq, &rst.ack, &rst.flags);
	rst.sport = seg->dport;
	rst.dport = seg->sport;
	emit(ep, buf, xtcp_hdr_build(buf, &rst));
}

static void arm_rtx(struct endpoint *ep)
{
	if (!timer_on(ep->rtx_at)) {
		ep->rtx_at = ep->sim->now + xtcp_rto_timeout(&ep->rto);
		ep->rtx_probe = ep->tcb.snd_una == ep->tcb.snd_nxt;
	}
}

static void rearm_rtx(struct endpoint *ep)
{
	if (ep->tcb.snd_una == ep->tcb.snd_nxt && ep->send_head == ep->wq_n)
		ep->rtx_at = SIM_NONE;
	else
		ep->rtx_at = ep->sim->now + xtcp_rto_timeout(&ep->rto);
	ep->rtx_probe = ep->tcb.snd_una == ep->tcb.snd_nxt;
}

static struct wq_ent *wq_append(struct endpoint *ep, uint32_t seq, uint8_t flags)
{
	struct wq_ent *e;

	if (ep->wq_n == ep->wq_cap) {
		ep->wq_cap = ep->wq_cap ? 2 * ep->wq_cap : 64;
		ep->wq = realloc(ep->wq, ep->wq_cap * sizeof(*ep->wq));
		if (!ep->wq)
			abort();
	}
	e = &ep->wq[ep->wq_n++];
	memset(e, 0, sizeof(*e));
	e->seq = seq;
	e->end_seq = seq + !!(flags & (XTCP_SYN | XTCP_FIN));
	e->flags = flags;
	return e;
}

/* xtcp_queue_syn() */
static void queue_syn(struct endpoint *ep)
{
	wq_append(ep, ep->tcb.iss, XTCP_SYN);
	ep->write_seq = ep->tcb.iss + 1;
}

/* xtcp_queue_fin(): the FIN rides on the last unsent segment. */
static void queue_fin(struct endpoint *ep)
{
	struct wq_ent *tail = ep->wq_n ? &ep->wq[ep->wq_n - 1] : NULL;

	if (tail && ep->send_head < ep->wq_n && !(tail->flags & XTCP_SYN)) {
		tail->flags |= XTCP_FIN;
		tail->end_seq++;
	} else {
		wq_append(ep, ep->write_seq, XTCP_FIN);
	}
	ep->write_seq++;
}

/* nagle_holds() */
static bool nagle_holds(const struct endpoint *ep, uint32_t i)
{
	const struct wq_ent *e = &ep->wq[i];

	if (e->len >= send_mss(ep) || (e->flags & (XTCP_FIN | XTCP_SYN)) ||
	    i != ep->wq_n - 1)
		return false;
	return xtcp_nagle_holds(&ep->tcb, ep->nodelay);
}

static void count_retransmit(struct endpoint *ep, struct wq_ent *e)
{
	e->retransmitted = true;
	ep->retrans++;
}

/* wq_split(): cut entry @i to @n bytes, the rest (and a FIN) after it. */
static void wq_split(struct endpoint *ep, uint32_t i, uint32_t n)
{
	struct wq_ent *e, *t;

	wq_append(ep, 0, 0);	/* room at the end */
	memmove(&ep->wq[i + 2], &ep->wq[i + 1],
		(ep->wq_n - i - 2) * sizeof(*ep->wq));
	e = &ep->wq[i];
	t = &ep->wq[i + 1];
	*t = *e;
	t->seq = e->seq + n;
	t->len = e->len - n;
	e->len = n;
	e->end_seq = t->seq;
	e->flags &= ~XTCP_FIN;
	if (ep->send_head > i)
		ep->send_head++;
}

/*
 * window_part(): new data that does not fit the peer's window goes out in
 * part if the part is at least half the largest window ever offered.
 */
static bool window_part(struct endpoint *ep, uint32_t i)
{
	const struct xtcp_tcb *tcb = &ep->tcb;
	struct wq_ent *e = &ep->wq[i];
	int32_t room = (int32_t)(tcb->snd_una + tcb->snd_wnd - e->seq);

	if (!e->len || room <= 0 || (uint32_t)room >= e->len ||
	    ((uint32_t)room < tcb->max_snd_wnd / 2 && !ep->sws_override))
		return false;
	wq_split(ep, i, (uint32_t)room);
	return true;
}

/* xtcp_push(): send what the peer's window allows from the send head. */
static int push(struct endpoint *ep)
{
	struct xtcp_tcb *tcb = &ep->tcb;
	bool idle = tcb->snd_una == tcb->snd_nxt;
	int sent = 0;

	while (ep->send_head < ep->wq_n) {
		struct wq_ent *e = &ep->wq[ep->send_head];
		bool rexmit = seq_leq(e->end_seq, tcb->snd_nxt);
		uint8_t flags;

		if (rexmit && e->sacked) {
			ep->send_head++;
			continue;
		}
		if (!(e->flags & XTCP_SYN) &&
		    seq_gt(e->end_seq, tcb->snd_una + tcb->snd_wnd) &&
		    (rexmit || !window_part(ep, ep->send_head)))
			break;
		e = &ep->wq[ep->send_head];	/* the split may move the array */
		flags = e->flags;
		if (!rexmit && nagle_holds(ep, ep->send_head))
			break;
		if (e->len)
			flags |= XTCP_PSH;
		transmit(ep, e, e->seq, flags);
		if (rexmit)
			count_retransmit(ep, e);
		else if (e->len < send_mss(ep))
			xtcp_tcb_sent_partial(tcb, e->end_seq);
		e->sent_us = ep->sim->now;
		if (!ep->rtt_pending && !rexmit) {
			ep->rtt_pending = true;
			ep->rtt_seq = e->end_seq;
			ep->rtt_start_us = e->sent_us;
		}
		xtcp_tcb_sent(tcb, e->end_seq);
		ep->send_head++;
		sent++;
	}
	if (sent && idle)
		rearm_rtx(ep);	/* not a probe's older deadline */
	else if (sent || (ep->send_head < ep->wq_n && tcb->snd_una == tcb->snd_nxt))
		arm_rtx(ep);
	return sent;
}

void ep_push(struct endpoint *ep)
{
	push(ep);
}

/* xtcp_resend_syn() */
static void resend_syn(struct endpoint *ep)
{
	if (ep->wq_n && (ep->wq[0].flags & XTCP_SYN))
		transmit(ep, &ep->wq[0], ep->wq[0].seq, XTCP_SYN);
}

/* sack_reneged(): the head is SACKed, so the peer dropped what it SACKed. */
static void sack_reneged(struct endpoint *ep)
{
	uint32_t i;

	if (!ep->wq_n || !ep->wq[0].sacked)
		return;
	for (i = 0; i < ep->wq_n; i++)
		ep->wq[i].sacked = false;
	ep->send_head = 0;
	ep->rtt_pending = false;
	ep->renegings++;
}

/* xtcp_retransmit_head(): go back to snd_una, or probe a shut window. */
static void retransmit_head(struct endpoint *ep)
{
	if (!ep->wq_n)
		return;
	if (ep->tcb.snd_una == ep->tcb.snd_nxt) {
		int sent;

		/* RFC 9293 3.8.6.2.1's override timeout. */
		ep->sws_override = true;
		sent = push(ep);
		ep->sws_override = false;
		if (!sent)
			send_probe(ep);
		return;
	}
	ep->rtt_pending = false;
	sack_reneged(ep);
	ep->send_head = 0;
	push(ep);
	if (ep->send_head == 0) {
		transmit(ep, &ep->wq[0], ep->wq[0].seq, ep->wq[0].flags);
		count_retransmit(ep, &ep->wq[0]);
		ep->send_head = 1;
	}
}

/* xtcp_clean_acked(): drop what snd_una covers; take an RTT sample. */
static void clean_acked(struct endpoint *ep, uint32_t ts_rtt_us)
{
	uint32_t una = ep->tcb.snd_una, n = 0;
	bool sampled = false;

	while (n < ep->wq_n && !seq_gt(ep->wq[n].end_seq, una)) {
		const struct wq_ent *e = &ep->wq[n];

		if (!e->retransmitted && e->sent_us > ep->rack_us)
			ep->rack_us = e->sent_us;
		n++;
	}
	memmove(ep->wq, ep->wq + n, (ep->wq_n - n) * sizeof(*ep->wq));
	ep->wq_n -= n;
	ep->send_head = ep->send_head > n ? ep->send_head - n : 0;

	if (ep->rtt_pending && seq_geq(una, ep->rtt_seq)) {
		uint64_t rtt = ep->sim->now - ep->rtt_start_us;

		ep->rtt_pending = false;
		xtcp_rto_sample(&ep->rto, rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt);
		sampled = true;
	}
	if (!sampled && ts_rtt_us)
		xtcp_rto_sample(&ep->rto, ts_rtt_us);
	ep->retransmits = 0;
	xtcp_rto_reset_backoff(&ep->rto);
	sack_reneged(ep);
	/* Room in the send buffer: a blocked writer wakes up. */
	app_kick(ep);
}

/* xtcp_sack_mark(): returns the segments SACKed above the first hole. */
static uint32_t sack_mark(struct endpoint *ep, const struct xtcp_seg *seg)
{
	bool hole = false;
	uint32_t above = 0, i;
	uint8_t b;

	for (i = 0; i < ep->wq_n; i++) {
		struct wq_ent *e = &ep->wq[i];

		if (!seq_lt(e->seq, ep->tcb.snd_nxt))
			break;
		for (b = 0; b < seg->opts.nsack && !e->sacked; b++) {
			const struct xtcp_sack_block *s = &seg->opts.sack[b];

			if (seq_leq(s->start, ep->tcb.snd_una) ||
			    seq_gt(s->end, ep->tcb.snd_nxt))
				continue;
			if (seq_geq(e->seq, s->start) && seq_leq(e->end_seq, s->end)) {
				e->sacked = true;
				if (!e->retransmitted && e->sent_us > ep->rack_us)
					ep->rack_us = e->sent_us;
			}
		}
		if (!e->sacked)
			hole = true;
		else if (hole)
			above++;
	}
	return above;
}

/* xtcp_retransmit_hole(): resend the first segment presumed lost. */
static bool retransmit_hole(struct endpoint *ep)
{
	uint32_t high = ep->tcb.snd_una, i, hole = ep->wq_n;
	uint64_t reo_us = ep->rto.srtt_us / 4 > 1000 ? ep->rto.srtt_us / 4 : 1000;
	struct wq_ent *h;

	for (i = 0; i < ep->wq_n; i++) {
		const struct wq_ent *e = &ep->wq[i];

		if (!seq_lt(e->seq, ep->tcb.snd_nxt))
			break;
		if (e->sacked)
			high = e->end_seq;
		else if (hole == ep->wq_n &&
			 (!e->rtx_in_rec || e->sent_us + reo_us < ep->rack_us))
			hole = i;
	}
	if (hole == ep->wq_n)
		return false;
	h = &ep->wq[hole];
	if (hole != 0 && !seq_lt(h->seq, high))
		return false;
	transmit(ep, h, h->seq, h->flags | (h->len ? XTCP_PSH : 0));
	h->rtx_in_rec = true;
	h->sent_us = ep->sim->now;
	count_retransmit(ep, h);
	ep->rtt_pending = false;
	return true;
}

/* xtcp_ack_soon(): ACK two full segments at once, else within 40 ms. */
static void ack_soon(struct endpoint *ep)
{
	if (xtcp_ack_now(ep->tcb.rcv_nxt - ep->rcv_wup, ep->rcv_mss)) {
		send_ack(ep);
		return;
	}
	if (!timer_on(ep->dack_at))
		ep->dack_at = ep->sim->now + DELACK_US;
}

/* ---- connection life (socket.c, listen.c, timer.c) ---- */

static void syn_params(struct endpoint *ep)
{
	struct rng *r = &ep->app.rng;

	/* Half the ISNs lie just below 2^32: the stream wraps at once. */
	ep->syn.iss = rng_below(r, 2) ? 0xffffffffU - rng_below(r, 4000) :
					 (uint32_t)rng_next(r);
	ep->ts_off = (uint32_t)rng_next(r);
}

static void conn_reset_state(struct endpoint *ep)
{
	ep->wq_n = 0;
	ep->send_head = 0;
	ep->rtx_at = ep->dack_at = ep->wait_at = SIM_NONE;
	ep->retransmits = ep->probes_out = 0;
	ep->rtt_pending = false;
	ep->rack_us = 0;
	xtcp_rto_init(&ep->rto);
	memset(ep->present, 0, ep->ring_size);
	ep->ooo_bytes = 0;
	ep->fin_rcvd = false;
}

/* xtcp_done()/xtcp_reset(): the connection is over. */
static void conn_end(struct endpoint *ep, int err)
{
	struct sim *s = ep->sim;

	ep->tcb.state = XTCP_CLOSE;
	ep->rtx_at = ep->dack_at = ep->wait_at = SIM_NONE;
	if (err) {
		ep->err = err;
		if (s->reset_at == SIM_NONE)
			s->reset_at = s->now;
		sim_log(s, "%s: connection ends with errno %d", ep->name, err);
		if (err == ETIMEDOUT && !s->guessed_reset)
			sim_fail(s, "%s timed out (retries exhausted) in a run without a reset",
				 ep->name);
	}
	if (ep->id == 1 && !ep->connected) {
		/* A child that never connected: the listener is still there. */
		ep->exists = false;
		ep->listening = true;
		ep->err = 0;
		conn_reset_state(ep);
		return;
	}
	ep->gone = true;
}

void ep_connect(struct endpoint *ep)
{
	syn_params(ep);
	xtcp_tcb_connect(&ep->tcb, &ep->syn);
	ep->exists = true;
	check_transition(ep->sim, ep, XTCP_CLOSE, ep->tcb.state);
	queue_syn(ep);
	push(ep);
}

/* child_create(): a SYN reached the listener. */
static void accept_syn(struct endpoint *ep, const struct xtcp_seg *seg)
{
	syn_params(ep);
	xtcp_tcb_accept_syn(&ep->tcb, &ep->syn, seg);
	ep->copied_seq = ep->rcv_queued = ep->rcv_wup = ep->tcb.rcv_nxt;
	ep->sim->edge_set[ep->id] = false;	/* a new sequence space */
	ep->listening = false;
	ep->exists = true;
	queue_syn(ep);
	push(ep);
}

/* xtcp_listen_rcv() */
static void listen_rcv(struct endpoint *ep, const struct xtcp_seg *seg)
{
	if (seg->flags & XTCP_RST)
		return;
	if (seg->flags & XTCP_ACK) {
		send_rst_reply(ep, seg);
		return;
	}
	if (seg->flags & XTCP_SYN)
		accept_syn(ep, seg);
}

void ep_close(struct endpoint *ep)
{
	unsigned int old = ep->tcb.state;

	sim_log(ep->sim, "%s: application closes (SHUT_WR) in %s", ep->name,
		xtcp_state_name(old));
	if (xtcp_tcb_close(&ep->tcb, ep->write_seq)) {
		queue_fin(ep);
		push(ep);
	}
	check_transition(ep->sim, ep, old, ep->tcb.state);
}

/* xtcp_sendmsg(): fill the unsent tail, then new segments. */
uint32_t ep_write(struct endpoint *ep, uint32_t n)
{
	uint32_t done = 0;

	while (done < n) {
		struct wq_ent *tail = ep->wq_n ? &ep->wq[ep->wq_n - 1] : NULL;
		uint32_t room = 0, copy;

		if (tail && ep->send_head < ep->wq_n &&
		    !(tail->flags & (XTCP_SYN | XTCP_FIN)) && tail->len < send_mss(ep))
			room = send_mss(ep) - tail->len;
		if (!room) {
			if (ep->write_seq - ep->tcb.snd_una >= ep->sndbuf)
				break;
			tail = wq_append(ep, ep->write_seq, 0);
			room = send_mss(ep);
		}
		copy = room < n - done ? room : n - done;
		tail->len += copy;
		tail->end_seq += copy;
		ep->write_seq += copy;
		done += copy;
	}
	push(ep);
	return done;
}

/* xtcp_rcv_space_changed(): announce a window that grew a lot. */
void ep_read_done(struct endpoint *ep)
{
	uint32_t now = xtcp_tcb_rcv_wnd(&ep->tcb), space = ep_rcv_free(ep);

	if (ep->gone || !(XTCPF(ep->tcb.state) & (XTCPF(XTCP_ESTABLISHED) |
						  XTCPF(XTCP_FIN_WAIT1) |
						  XTCPF(XTCP_FIN_WAIT2))))
		return;
	if (space >= 2 * now && space - now >= rcv_sws(ep))
		send_ack(ep);
}

/* ---- input (module/input.c) ---- */

static bool ring_fits(struct endpoint *ep, uint32_t seq, uint32_t len)
{
	if ((uint32_t)(seq - ep->copied_seq) + (uint64_t)len > ep->ring_size) {
		sim_fail(ep->sim, "%s: data at %u+%u lies beyond the receive buffer (copied %u, rcvbuf %u)",
			 ep->name, seq, len, ep->copied_seq, ep->rcvbuf);
		return false;
	}
	return true;
}

/* queue_data() and ooo_drain(): new in-order bytes, then what they reach. */
static void queue_data(struct endpoint *ep, const uint8_t *payload, uint32_t seq,
		       uint32_t len)
{
	uint32_t mask = ep->ring_size - 1, i;
	bool met = false;

	if (!ring_fits(ep, seq, len))
		return;
	for (i = 0; i < len; i++) {
		uint32_t pos = (seq + i) & mask;

		ep->ring[pos] = payload[i];
		if (ep->present[pos]) {
			ep->present[pos] = 0;
			ep->ooo_bytes--;
			met = true;
		}
	}
	ep->rcv_queued = seq + len;
	while (ep->ooo_bytes && ep->present[ep->rcv_queued & mask]) {
		ep->present[ep->rcv_queued & mask] = 0;
		ep->ooo_bytes--;
		ep->rcv_queued++;
		met = true;
	}
	if (met)
		xtcp_tcb_rcv_advance(&ep->tcb, ep->rcv_queued);
	app_kick(ep);
}

/*
 * ooo_make_room(): kept out-of-order data fills the buffer, so the bytes
 * at rcv_nxt could not be taken: drop kept data from the top (RFC 2018 8,
 * reneging).  The kernel first compacts small skbs, which bytes do not
 * need, then drops whole skbs; this drops whole runs of kept bytes.
 */
static void ooo_make_room(struct endpoint *ep)
{
	uint32_t mask = ep->ring_size - 1;
	uint32_t top = ep->copied_seq + ep->ring_size;

	while (ep_rcv_held(ep) >= ep->rcvbuf && ep->ooo_bytes) {
		while (!ep->present[(top - 1) & mask])
			top--;
		while (ep->present[(top - 1) & mask]) {
			ep->present[(top - 1) & mask] = 0;
			ep->ooo_bytes--;
			top--;
		}
		xtcp_tcb_ooo_dropped(&ep->tcb, top);
		ep->pruned++;
	}
}

/* ooo_insert(): keep out-of-order bytes, report them as a SACK block. */
static void ooo_insert(struct endpoint *ep, const uint8_t *payload, uint32_t seq,
		       uint32_t len)
{
	uint32_t mask = ep->ring_size - 1, i, fresh = 0;

	if (!seq_gt(seq, ep->tcb.rcv_nxt)) {
		sim_fail(ep->sim, "%s: out-of-order data at %u is not past rcv_nxt %u",
			 ep->name, seq, ep->tcb.rcv_nxt);
		return;
	}
	if (!ring_fits(ep, seq, len))
		return;
	for (i = 0; i < len; i++) {
		uint32_t pos = (seq + i) & mask;

		if (!ep->present[pos]) {
			ep->present[pos] = 1;
			ep->ring[pos] = payload[i];
			fresh++;
		}
	}
	if (!fresh)
		return;		/* a duplicate of what we hold */
	ep->ooo_bytes += fresh;
	ep->ooo_kept++;
	xtcp_tcb_ooo_kept(&ep->tcb, seq, seq + len);
}

/* peer_fin(): the stream ends; it must end exactly where the peer's does. */
static void peer_fin(struct endpoint *ep)
{
	uint32_t got = ep->rcv_queued - ep->tcb.irs - 1;

	ep->fin_rcvd = true;
	if (ep->rcv_queued + 1 != ep->tcb.rcv_nxt || got != ep->peer->app.stream_len)
		sim_fail(ep->sim, "%s: FIN after %u bytes (rcv_nxt %u, queued %u), the peer sent %u",
			 ep->name, got, ep->tcb.rcv_nxt, ep->rcv_queued,
			 ep->peer->app.stream_len);
	app_kick(ep);
}

/* connected() */
static void connected(struct endpoint *ep, unsigned int old)
{
	ep->retransmits = 0;
	if (old == XTCP_SYN_SENT)
		ep->copied_seq = ep->rcv_queued = ep->rcv_wup = ep->tcb.rcv_nxt;
	ep->connected = true;
	sim_log(ep->sim, "%s: connected (iss %u irs %u mss %u ws %d/%u/%u sack %d ts %d)",
		ep->name, ep->tcb.iss, ep->tcb.irs, ep->tcb.mss, ep->tcb.wscale_ok,
		ep->tcb.snd_wscale, ep->tcb.rcv_wscale, ep->tcb.sack_ok, ep->tcb.ts_ok);
	app_kick(ep);
}

/* loss_recovery(): the SACK scoreboard and fast recovery. */
static void loss_recovery(struct endpoint *ep, const struct xtcp_seg *seg,
			  const struct xtcp_rx *rx)
{
	uint32_t above = 0;

	if (!(seg->flags & XTCP_ACK) || (rx->actions & XTCP_RX_DROP))
		return;
	if (ep->tcb.sack_ok && seg->opts.nsack)
		above = sack_mark(ep, seg);
	switch (xtcp_tcb_recovery(&ep->tcb, rx, above)) {
	case XTCP_REC_ENTER:
		ep->recoveries++;
		for (uint32_t i = 0; i < ep->wq_n; i++)
			ep->wq[i].rtx_in_rec = false;
		if (retransmit_hole(ep))
			rearm_rtx(ep);
		break;
	case XTCP_REC_CONTINUE:
		retransmit_hole(ep);
		break;
	default:
		break;
	}
}

/*
 * A deadlock the glue cannot leave: the segment brings the bytes at
 * rcv_nxt, but out-of-order data kept above them fills the buffer by
 * itself (reading cannot free it), so the core takes nothing; the kept
 * data can only drain through those bytes.  (Linux prunes its
 * out-of-order queue here; xtcp does not.)
 */
static bool hole_refused(const struct endpoint *ep, const struct xtcp_seg *seg,
			 unsigned int state, uint32_t rcv_nxt)
{
	uint32_t seq = seg->seq + !!(seg->flags & XTCP_SYN);

	return seg->len && (XTCPF(state) & (XTCPF(XTCP_ESTABLISHED) |
					    XTCPF(XTCP_FIN_WAIT1) |
					    XTCPF(XTCP_FIN_WAIT2))) &&
	       seq_leq(seq, rcv_nxt) && seq_gt(seq + seg->len, rcv_nxt) &&
	       ep->tcb.rcv_nxt == rcv_nxt;
}

/* rcv_state(): a connected host takes a segment. */
static void rcv_state(struct endpoint *ep, const struct xtcp_seg *seg,
		      const uint8_t *payload, bool forged)
{
	struct xtcp_tcb *tcb = &ep->tcb;
	unsigned int old = tcb->state;
	uint32_t old_rcv_nxt = tcb->rcv_nxt;
	struct xtcp_rx rx = { 0 };

	if (ep_rcv_held(ep) >= ep->rcvbuf && seg->len &&
	    seq_leq(seg->seq, tcb->rcv_nxt) && ep->ooo_bytes)
		ooo_make_room(ep);
	/* As the kernel: no limit while below the buffer, none above. */
	rx.rcv_space = ep_rcv_held(ep) < ep->rcvbuf ? UINT32_MAX : 0;
	xtcp_tcb_input(tcb, seg, &rx);

	if (!rx.rcv_space && ep->ooo_bytes >= ep->rcvbuf &&
	    !(rx.actions & (XTCP_RX_DATA | XTCP_RX_DROP)) &&
	    hole_refused(ep, seg, old, old_rcv_nxt))
		sim_fail(ep->sim, "%s: the buffer is full of out-of-order data (%u bytes) above rcv_nxt %u, so the bytes at rcv_nxt are refused for ever",
			 ep->name, ep->ooo_bytes, old_rcv_nxt);
	if ((seg->flags & XTCP_ACK) && !(rx.actions & XTCP_RX_DROP))
		ep->probes_out = 0;
	if (rx.actions & XTCP_RX_CHALLENGE)
		ep->challenges++;
	if (rx.actions & XTCP_RX_SEND_RST)
		send_rst_reply(ep, seg);
	if ((rx.actions & (XTCP_RX_RESET | XTCP_RX_CLOSED)) && (seg->flags & XTCP_RST))
		check_reset(ep->sim, ep, old, seg, old_rcv_nxt, forged,
			    rx.actions & XTCP_RX_RESET);

	if (rx.actions & XTCP_RX_TW_REUSE) {
		conn_end(ep, 0);
		return;
	}
	if (rx.actions & XTCP_RX_RESET) {
		conn_end(ep, -rx.err);
		return;
	}
	if (rx.actions & XTCP_RX_CLOSED) {
		conn_end(ep, 0);
		return;
	}
	if (rx.actions & XTCP_RX_CONNECTED)
		connected(ep, old);
	if (rx.actions & XTCP_RX_ACKED) {
		uint32_t ts_rtt = 0;

		if (tcb->ts_ok && seg->opts.ts_ok && seg->opts.tsecr)
			ts_rtt = (ts_now(ep) - seg->opts.tsecr) * 1000U;
		clean_acked(ep, ts_rtt);
		rearm_rtx(ep);
	}
	if (xtcp_state_synchronized(tcb->state))
		loss_recovery(ep, seg, &rx);
	if (rx.actions & XTCP_RX_SEND_SYNACK)
		resend_syn(ep);
	if (rx.actions & (XTCP_RX_DATA | XTCP_RX_OUT_OF_ORDER))
		ep->rcv_mss = xtcp_rcv_mss(ep->rcv_mss, seg->len,
					   ep->mss_cache - (tcb->ts_ok ? 12 : 0));
	if (rx.actions & XTCP_RX_DATA) {
		uint32_t at = seg->seq + !!(seg->flags & XTCP_SYN) + rx.data_off;

		if (at != old_rcv_nxt)
			sim_fail(ep->sim, "%s: core delivers data at %u, rcv_nxt was %u",
				 ep->name, at, old_rcv_nxt);
		queue_data(ep, payload + rx.data_off, at, rx.data_len);
	} else if ((rx.actions & XTCP_RX_OUT_OF_ORDER) && rx.data_len) {
		ooo_insert(ep, payload + rx.data_off, seg->seq + rx.data_off,
			   rx.data_len);
	}
	if (rx.actions & XTCP_RX_FIN)
		peer_fin(ep);
	if (rx.actions & XTCP_RX_TIME_WAIT) {
		ep->rtx_at = SIM_NONE;
		ep->wait_at = ep->sim->now + TW_US;
	}

	if ((rx.actions & (XTCP_RX_ACKED | XTCP_RX_WND | XTCP_RX_CONNECTED)) &&
	    push(ep))
		rx.actions &= ~XTCP_RX_SEND_ACK;
	if (!(rx.actions & XTCP_RX_SEND_ACK))
		return;
	if ((rx.actions & XTCP_RX_DATA) &&
	    !(rx.actions & (XTCP_RX_FIN | XTCP_RX_OUT_OF_ORDER | XTCP_RX_DROP)) &&
	    !ep->ooo_bytes)
		ack_soon(ep);
	else
		send_ack(ep);
}

unsigned int ep_state(const struct endpoint *ep)
{
	return ep->listening ? XTCP_LISTEN : ep->tcb.state;
}

void ep_receive(struct endpoint *ep, const struct pkt *p)
{
	struct xtcp_seg seg;
	unsigned int old = ep_state(ep);

	if (!seg_csum_ok(p->data, p->len, ep->peer->id)) {
		ep->csum_drops++;
		sim_log(ep->sim, "%s: bad checksum, dropped", ep->name);
		return;
	}
	if (xtcp_hdr_parse(p->data, p->len, &seg)) {
		ep->parse_drops++;
		sim_log(ep->sim, "%s: header does not parse, dropped", ep->name);
		return;
	}
	if (ep->listening)
		listen_rcv(ep, &seg);
	else if (ep->gone)
		send_rst_reply(ep, &seg);	/* no socket */
	else
		rcv_state(ep, &seg, p->data + seg.doff, p->forged);
	check_transition(ep->sim, ep, old, ep_state(ep));
}

/* ---- timers (module/timer.c) ---- */

static uint32_t retry_limit(const struct endpoint *ep)
{
	if (ep->tcb.state == XTCP_SYN_SENT)
		return ep->syn_retries;
	if (ep->tcb.state == XTCP_SYN_RECV && ep->tcb.passive)
		return ep->synack_retries;
	return ep->retries2;
}

/* rtx_expired() */
static void rtx_expired(struct endpoint *ep)
{
	if (XTCPF(ep->tcb.state) & (XTCPF(XTCP_CLOSE) | XTCPF(XTCP_LISTEN) |
				    XTCPF(XTCP_TIME_WAIT)))
		return;
	if (!ep->wq_n)
		return;
	if (ep->tcb.snd_una == ep->tcb.snd_nxt) {
		if (ep->probes_out >= retry_limit(ep)) {
			conn_end(ep, ETIMEDOUT);
			return;
		}
		ep->probes_out++;
		retransmit_head(ep);
		xtcp_rto_backoff(&ep->rto);
		arm_rtx(ep);
		return;
	}
	if (ep->retransmits >= retry_limit(ep)) {
		conn_end(ep, ETIMEDOUT);
		return;
	}
	sim_log(ep->sim, "%s: retransmission timeout (rto %u us, backoff %u)",
		ep->name, ep->rto.rto_us, ep->rto.backoff);
	/* The deadline was a window probe's, armed while nothing was in
	 * flight, and kept when data went out (xtcp_arm_rtx() leaves a
	 * pending timer alone): the timeout may come before one RTO.
	 */
	if (ep->rtx_probe)
		ep->early_rtos++;
	ep->retransmits++;
	ep->rtos++;
	xtcp_tcb_on_rto(&ep->tcb);
	xtcp_rto_backoff(&ep->rto);
	retransmit_head(ep);
	arm_rtx(ep);
}

uint64_t ep_next(const struct endpoint *ep)
{
	uint64_t t = ep->rtx_at;

	if (ep->dack_at < t)
		t = ep->dack_at;
	if (ep->wait_at < t)
		t = ep->wait_at;
	if (ep->app_at < t)
		t = ep->app_at;
	return t;
}

/* Run whichever of this host's timers is due now (one per call). */
void ep_timers(struct endpoint *ep)
{
	uint64_t now = ep->sim->now;
	unsigned int old = ep_state(ep);

	if (ep->rtx_at <= now) {
		ep->rtx_at = SIM_NONE;
		if (!ep->gone && !ep->listening)
			rtx_expired(ep);
	} else if (ep->dack_at <= now) {
		ep->dack_at = SIM_NONE;
		if (!ep->gone && ep->rcv_wup != ep->tcb.rcv_nxt &&
		    xtcp_state_synchronized(ep->tcb.state))
			send_ack(ep);
	} else if (ep->wait_at <= now) {
		ep->wait_at = SIM_NONE;
		if (!ep->gone && (XTCPF(ep->tcb.state) &
				  (XTCPF(XTCP_TIME_WAIT) | XTCPF(XTCP_FIN_WAIT2)))) {
			sim_log(ep->sim, "%s: TIME_WAIT over", ep->name);
			conn_end(ep, 0);
		}
	} else if (ep->app_at <= now) {
		app_run(ep);
	}
	check_transition(ep->sim, ep, old, ep_state(ep));
}

/* ---- set-up ---- */

void ep_init(struct sim *s, struct endpoint *ep, int id)
{
	struct rng *r;
	uint32_t need = 0, maxws, gran;

	memset(ep, 0, sizeof(*ep));
	ep->id = id;
	ep->name = id ? "server" : "client";
	ep->sim = s;
	ep->peer = &s->ep[!id];
	ep->out = &s->link[id];
	ep->listening = id == 1;
	ep->rtx_at = ep->dack_at = ep->wait_at = ep->app_at = SIM_NONE;
	rng_init(&ep->app.rng, s->seed, 10 + id);
	r = &ep->app.rng;

	ep->mss_cache = (uint16_t)rng_range(r, 536, 1460);
	ep->rcv_mss = XTCP_DEFAULT_MSS;
	ep->nodelay = rng_below(r, 2);
	ep->syn.mss = ep->mss_cache;
	ep->syn.want_wscale = rng_below(r, 4) != 0;
	ep->syn.want_sack = rng_below(r, 4) != 0;
	ep->syn.want_ts = rng_below(r, 4) != 0;
	ep->syn_retries = 12;
	ep->synack_retries = 12;
	ep->retries2 = 15;

	/*
	 * The receive buffer: 1..12 KiB with a pausing reader (often less
	 * than a segment), else up to 512 KiB; the window-scale step stays
	 * below a sixteenth of it.
	 */
	if (s->small_rcvbuf)
		ep->rcvbuf = rng_range(r, 1000, 12000);
	else
		ep->rcvbuf = 16384 + rng_below(r, 1u << rng_range(r, 10, 19));
	while (need < XTCP_MAX_WSCALE && (ep->rcvbuf >> need) > 0xffff)
		need++;
	for (maxws = need; maxws < XTCP_MAX_WSCALE &&
	     (2u << maxws) <= ep->rcvbuf / 8; maxws++)
		;
	ep->syn.rcv_wscale = (uint8_t)rng_range(r, need, maxws);
	gran = 1u << ep->syn.rcv_wscale;
	ep->sndbuf = rng_range(r, 4096, 262144);

	ep->ring_size = 1;
	while (ep->ring_size < 4 * ep->rcvbuf + 64 * gran)
		ep->ring_size <<= 1;
	ep->ring = calloc(ep->ring_size, 1);
	ep->present = calloc(ep->ring_size, 1);
	if (!ep->ring || !ep->present)
		abort();
	xtcp_rto_init(&ep->rto);
	app_init(ep, r);
}

void ep_free(struct endpoint *ep)
{
	free(ep->wq);
	free(ep->ring);
	free(ep->present);
}
