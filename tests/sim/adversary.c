// SPDX-License-Identifier: GPL-2.0
/*
 * A third party on the path.  It sees the wire (here: it reads both
 * hosts' sequence variables, which is what sniffing tells it) and injects
 * forged segments into a synchronized connection, with the right ports
 * and a valid checksum.
 *
 * An on-path attacker that forges an acceptable ACK can always make TCP
 * lose data; RFC 5961 only narrows what a *blind* one can do.  So the
 * forgeries are those a correct TCP must refuse, plus the one guess it
 * must honour:
 *   - far: any flags, payload and options, with a sequence number a
 *     quarter of the space or more away from the window;
 *   - RST near the window: a challenge ACK, unless its seq is exactly
 *     rcv_nxt (rarely, on purpose): then the connection is reset, and
 *     the run counts as "reset by a correct guess";
 *   - SYN near the window: a challenge ACK (or the end of TIME_WAIT);
 *   - data, FIN or a bare ACK near the window whose ACK field lies
 *     beyond snd_nxt or before snd_una - max window: a challenge ACK,
 *     nothing kept;
 *   - data or FIN near the window without the ACK bit: dropped.
 * Random options come with most, garbage option bytes or a bad data
 * offset with some (those must fail to parse or be harmless).
 */
#include <string.h>

#include "sim.h"

void adv_init(struct sim *s)
{
	struct adversary *a = &s->adv;

	memset(a, 0, sizeof(*a));
	a->on = s->prof->adversary;
	rng_init(&a->rng, s->seed, 200);
	a->gap_us = rng_range(&a->rng, 2000, 50000);
	a->next_at = a->on ? rng_below(&a->rng, 2 * a->gap_us) : SIM_NONE;
}

static void random_opts(struct rng *r, struct xtcp_seg *seg, uint32_t near)
{
	struct xtcp_opts *o = &seg->opts;
	uint8_t i;

	if (rng_below(r, 2)) {
		o->ts_ok = true;
		o->tsval = (uint32_t)rng_next(r);
		o->tsecr = (uint32_t)rng_next(r);
	}
	o->nsack = (uint8_t)rng_below(r, 4);
	for (i = 0; i < o->nsack; i++) {
		o->sack[i].start = near + rng_below(r, 1u << 16) - (1u << 15);
		o->sack[i].end = o->sack[i].start + rng_below(r, 1u << 14);
	}
	if (seg->flags & XTCP_SYN) {
		o->mss_ok = rng_below(r, 2);
		o->mss = (uint16_t)rng_next(r);
		o->ws_ok = rng_below(r, 2);
		o->ws = (uint8_t)rng_below(r, 16);
		o->sack_ok = rng_below(r, 2);
	}
}

/* An ACK field RFC 5961 5.2 refuses: past snd_nxt or too old. */
static uint32_t bad_ack(struct rng *r, const struct xtcp_tcb *t)
{
	if (rng_below(r, 2))
		return t->snd_nxt + 1 + rng_below(r, 1u << 30);
	return t->snd_una - t->max_snd_wnd - 1 - rng_below(r, 1u << 30);
}

static void forge(struct sim *s, struct endpoint *t)
{
	struct rng *r = &s->adv.rng;
	const struct xtcp_tcb *tcb = &t->tcb;
	uint32_t wnd = xtcp_tcb_rcv_wnd(tcb) ? xtcp_tcb_rcv_wnd(tcb) : 1;
	uint32_t near = tcb->rcv_nxt - wnd + rng_below(r, 3 * wnd);
	uint32_t kind = rng_below(r, 100), plen = 0, hlen, i;
	uint8_t buf[XTCP_HDR_MAX_LEN + 2048];
	struct xtcp_seg seg = { 0 };
	struct pkt p = { .forged = true };

	seg.sport = 1000 + t->peer->id;
	seg.dport = 1000 + t->id;
	seg.wnd = (uint16_t)rng_next(r);
	if (kind < 25) {
		seg.seq = tcb->rcv_nxt + (1u << 30) + rng_below(r, 1u << 31);
		seg.ack = (uint32_t)rng_next(r);
		seg.flags = (uint8_t)rng_next(r);
		plen = rng_below(r, 1500);
	} else if (kind < 50) {
		seg.seq = rng_ppm(r, 3000) ? tcb->rcv_nxt : near;
		seg.flags = XTCP_RST;
		if (rng_below(r, 2)) {
			seg.flags |= XTCP_ACK;
			seg.ack = (uint32_t)rng_next(r);
		}
	} else if (kind < 65) {
		seg.seq = near;
		seg.flags = XTCP_SYN | (rng_below(r, 2) ? XTCP_ACK : 0);
		seg.ack = rng_below(r, 2) ? tcb->snd_nxt : bad_ack(r, tcb);
	} else if (kind < 90) {
		seg.seq = near;
		seg.ack = bad_ack(r, tcb);
		seg.flags = XTCP_ACK | (rng_below(r, 3) ? 0 : XTCP_FIN) |
			    (rng_below(r, 2) ? XTCP_PSH : 0);
		plen = rng_below(r, 2) ? rng_below(r, 1500) : 0;
	} else {
		seg.seq = rng_below(r, 2) ? tcb->rcv_nxt : near;
		seg.flags = (rng_below(r, 2) ? XTCP_FIN : 0) | XTCP_PSH;
		plen = rng_below(r, 1500);
	}
	if (rng_below(r, 4))
		random_opts(r, &seg, tcb->rcv_nxt);
	hlen = xtcp_hdr_build(buf, &seg);
	if (rng_ppm(r, 100000)) {
		/* Garbage in the option bytes, or a data offset that lies. */
		for (i = XTCP_HDR_LEN; i < hlen; i++)
			buf[i] = (uint8_t)rng_next(r);
		if (rng_below(r, 2))
			buf[12] = (uint8_t)(rng_below(r, 16) << 4);
	}
	for (i = 0; i < plen; i++)
		buf[hlen + i] = (uint8_t)rng_next(r);
	seg_csum_set(buf, hlen + plen, t->peer->id);
	p.data = buf;
	p.len = hlen + plen;
	s->adv.injected++;
	sim_trace_seg(s, t, "FORGE", buf, p.len, true);
	ep_receive(t, &p);
}

void adv_run(struct sim *s)
{
	struct adversary *a = &s->adv;
	struct endpoint *t = &s->ep[rng_below(&a->rng, 2)];

	a->next_at = s->now + 1 + rng_below(&a->rng, 2 * a->gap_us);
	if (!t->exists || t->gone || t->listening ||
	    !xtcp_state_synchronized(t->tcb.state))
		return;
	forge(s, t);
}
