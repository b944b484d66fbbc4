// SPDX-License-Identifier: GPL-2.0
/*
 * Segments out: the write queue (SYN, data and FIN as sk_buffs holding
 * sequence space until acknowledged), building headers with the core,
 * the checksum, and handing packets to IPv4.  RSTs for segments that
 * match no socket go out without one.
 */
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "trace.h"
#include "core/seq.h"

/* Link, IP (with options) and our largest header. */
#define XTCP_MAX_HEADER	(MAX_HEADER + 60 + XTCP_HDR_MAX_LEN)

static struct xtcp_siphash_key isn_key;

/* The MSS a path MTU of @mtu allows, within TCP_MAXSEG. */
static u16 mtu_to_mss(const struct xtcp_sock *xs, u32 mtu)
{
	int mss = (int)mtu - (int)sizeof(struct iphdr) - XTCP_HDR_LEN;

	if (mss < 64)
		mss = 64;
	if (xs->user_mss && xs->user_mss < mss)
		mss = xs->user_mss;
	return mss;
}

u16 xtcp_route_mss(struct sock *sk, struct dst_entry *dst)
{
	return mtu_to_mss(xtcp_sk(sk), dst_mtu(dst));
}

/* The shift that lets our largest possible buffer be advertised. */
static u8 rcv_wscale(const struct xtcp_net *xn)
{
	u32 space = max_t(u32, xn->rmem[2], READ_ONCE(sysctl_rmem_max));
	u8 shift = 0;

	while (space > 0xffff && shift < XTCP_MAX_WSCALE) {
		space >>= 1;
		shift++;
	}
	return shift;
}

/* The options a SYN or SYN,ACK of namespace @net offers; no ISN, no MSS. */
void xtcp_syn_options(const struct net *net, struct xtcp_syn_params *p)
{
	struct xtcp_net *xn = xtcp_pernet(net);

	memset(p, 0, sizeof(*p));
	p->want_wscale = READ_ONCE(xn->window_scaling);
	/* SACK-permitted: we accept SACK blocks; we keep no out-of-order
	 * data yet, so we have none to report (RFC 2018 allows both).
	 */
	p->want_sack = READ_ONCE(xn->sack);
	p->want_ts = READ_ONCE(xn->timestamps);
	p->rcv_wscale = rcv_wscale(xn);
}

void xtcp_syn_params(struct sock *sk, struct xtcp_syn_params *p)
{
	const struct inet_sock *inet = inet_sk(sk);

	xtcp_syn_options(sock_net(sk), p);
	net_get_random_once(&isn_key, sizeof(isn_key));
	p->iss = xtcp_isn(&isn_key, (__force u32)inet->inet_saddr,
			  (__force u32)inet->inet_daddr,
			  (__force u16)inet->inet_sport,
			  (__force u16)inet->inet_dport, ktime_get_ns());
	p->mss = xtcp_sk(sk)->mss_cache;
}

static struct sk_buff *seg_alloc(unsigned int payload, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(XTCP_MAX_HEADER + payload, gfp);

	if (skb)
		skb_reserve(skb, XTCP_MAX_HEADER);
	return skb;
}

/* Push our header onto @skb and fill the checksum. */
static void seg_finish(struct sk_buff *skb, struct xtcp_seg *seg,
		       __be32 saddr, __be32 daddr)
{
	u8 hdr[XTCP_HDR_MAX_LEN];
	u32 hlen = xtcp_hdr_build(hdr, seg);
	__sum16 *check;
	__wsum csum;

	memcpy(skb_push(skb, hlen), hdr, hlen);
	skb_reset_transport_header(skb);
	csum = skb_checksum(skb, 0, skb->len, 0);
	check = (__sum16 *)(skb->data + XTCP_CSUM_OFFSET);
	*check = csum_tcpudp_magic(saddr, daddr, skb->len, xtcp_ipproto, csum);
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * Cut @skb down to @mss bytes, the rest going to a new skb after it: the
 * path MTU shrank after it was queued.  A FIN moves with the tail.
 */
static int wq_split(struct sock *sk, struct sk_buff *skb, unsigned int mss)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb), *ncb;
	unsigned int rest = skb->len - mss;
	struct sk_buff *nskb;

	nskb = alloc_skb(rest, GFP_ATOMIC);
	if (!nskb)
		return -ENOBUFS;
	skb_copy_bits(skb, mss, skb_put(nskb, rest), rest);
	ncb = XTCP_SKB_CB(nskb);
	*ncb = *cb;
	ncb->seq = cb->seq + mss;
	cb->end_seq = ncb->seq;
	cb->flags &= ~XTCP_FIN;
	skb_trim(skb, mss);
	__skb_queue_after(&sk->sk_write_queue, skb, nskb);
	xtcp_wmem_queued_add(sk, nskb->truesize);
	return 0;
}

/* Make @skb fit one segment of the current MSS. */
static int wq_fit(struct sock *sk, struct sk_buff *skb)
{
	unsigned int mss = xtcp_send_mss(xtcp_sk(sk));

	return skb->len > mss ? wq_split(sk, skb, mss) : 0;
}

/*
 * Send one segment of @sk: @src's data (may be NULL) at @seq with @flags.
 * The data is copied, so @src stays on the write queue untouched.
 */
static int xtcp_transmit(struct sock *sk, struct sk_buff *src, u32 seq,
			 u8 flags, gfp_t gfp)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	unsigned int len = src ? src->len : 0;
	struct xtcp_seg seg = {};
	struct sk_buff *skb;
	int err;

	skb = seg_alloc(len, gfp);
	if (!skb)
		return -ENOBUFS;
	if (len)
		skb_copy_bits(src, 0, skb_put(skb, len), len);

	if (xs->tcb.state != TCP_SYN_SENT)
		flags |= XTCP_ACK;
	seg.sport = ntohs(inet->inet_sport);
	seg.dport = ntohs(inet->inet_dport);
	seg.seq = seq;
	seg.ack = (flags & XTCP_ACK) ? xs->tcb.rcv_nxt : 0;
	seg.flags = flags;
	if (flags & XTCP_SYN) {
		/* The options need only our MSS; the ISN is long chosen. */
		struct xtcp_syn_params p = { .mss = xs->mss_cache };

		seg.wnd = xtcp_tcb_syn_window(&xs->tcb, xtcp_rcv_space(sk));
		xtcp_tcb_syn_opts(&xs->tcb, &p, &seg.opts);
		seg.opts.tsval = xtcp_ts_now(xs);
	} else if (flags & XTCP_RST) {
		seg.wnd = 0;
	} else {
		/* Receiver SWS: the edge moves by min(MSS, buffer/2) at least;
		 * the window is half the free buffer, so a quarter of it.
		 */
		xs->tcb.rcv_sws = min_t(u32, xs->tcb.mss,
					READ_ONCE(sk->sk_rcvbuf) / 4);
		seg.wnd = xtcp_tcb_rcv_window(&xs->tcb, xtcp_rcv_space(sk));
		if (xs->tcb.ts_ok) {
			/* RFC 7323 3.2: on every segment once negotiated. */
			seg.opts.ts_ok = true;
			seg.opts.tsval = xtcp_ts_now(xs);
			seg.opts.tsecr = xs->tcb.ts_recent;
		}
		if (xs->tcb.sack_ok && xs->tcb.nsack) {
			/* RFC 2018 4: what we hold beyond a gap, newest first. */
			seg.opts.nsack = xs->tcb.nsack;
			memcpy(seg.opts.sack, xs->tcb.sack, sizeof(seg.opts.sack));
		}
	}
	if (flags & XTCP_ACK) {
		/* This segment carries the ACK a delayed ACK would have. */
		xs->rcv_wup = xs->tcb.rcv_nxt;
		if (timer_pending(&xs->dack_timer))
			sk_stop_timer(sk, &xs->dack_timer);
	}
	seg_finish(skb, &seg, inet->inet_saddr, inet->inet_daddr);

	err = ip_queue_xmit(sk, skb, &inet->cork.fl);
	xs->segs_out++;
	xtcp_inc(sock_net(sk), XTCP_MIB_OUTSEGS);
	if (flags & XTCP_RST)
		xtcp_inc(sock_net(sk), XTCP_MIB_OUTRSTS);
	return net_xmit_eval(err);
}

int xtcp_send_ack(struct sock *sk)
{
	return xtcp_transmit(sk, NULL, xtcp_sk(sk)->tcb.snd_nxt, XTCP_ACK,
			     GFP_ATOMIC);
}

/* A zero-window probe: an old sequence number makes the peer answer. */
void xtcp_send_probe(struct sock *sk)
{
	xtcp_transmit(sk, NULL, xtcp_sk(sk)->tcb.snd_una - 1, XTCP_ACK,
		      GFP_ATOMIC);
}

void xtcp_send_active_reset(struct sock *sk, gfp_t gfp)
{
	trace_xtcp_send_reset(inet_sk(sk)->inet_saddr, inet_sk(sk)->inet_sport,
			      inet_sk(sk)->inet_daddr, inet_sk(sk)->inet_dport,
			      xtcp_sk(sk)->tcb.snd_nxt);
	xtcp_transmit(sk, NULL, xtcp_sk(sk)->tcb.snd_nxt, XTCP_RST, gfp);
}

/* The skb after @skb on the write queue, or NULL at its end. */
static struct sk_buff *wq_next(struct sock *sk, struct sk_buff *skb)
{
	return skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL : skb->next;
}

/* Book-keeping for a segment that went out a second time. */
static void count_retransmit(struct sock *sk, struct xtcp_skb_cb *cb)
{
	trace_xtcp_retransmit(sk, cb->seq, cb->end_seq - cb->seq);
	cb->retransmitted = true;
	xtcp_sk(sk)->total_retrans++;
	xtcp_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
}

static void queue_tail(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	__skb_queue_tail(&sk->sk_write_queue, skb);
	xtcp_wmem_queued_add(sk, skb->truesize);
	if (!xs->send_head)
		xs->send_head = skb;
}

/* A fresh, empty data skb at the end of the queue (sendmsg fills it). */
void xtcp_queue_data_skb(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	memset(cb, 0, sizeof(*cb));
	cb->seq = xtcp_sk(sk)->write_seq;
	cb->end_seq = cb->seq;
	queue_tail(sk, skb);
}

static struct sk_buff *ctl_skb(struct sock *sk, u8 flags, u32 seq)
{
	struct sk_buff *skb = alloc_skb(0, sk->sk_allocation | __GFP_NOFAIL);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	memset(cb, 0, sizeof(*cb));
	cb->seq = seq;
	cb->end_seq = seq + 1;
	cb->flags = flags;
	return skb;
}

/* The SYN (or the SYN,ACK of a child) takes sequence number iss. */
void xtcp_queue_syn(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	skb = alloc_skb(0, GFP_ATOMIC | __GFP_NOFAIL);
	memset(XTCP_SKB_CB(skb), 0, sizeof(struct xtcp_skb_cb));
	XTCP_SKB_CB(skb)->seq = xs->tcb.iss;
	XTCP_SKB_CB(skb)->end_seq = xs->tcb.iss + 1;
	XTCP_SKB_CB(skb)->flags = XTCP_SYN;
	xs->write_seq = xs->tcb.iss + 1;
	queue_tail(sk, skb);
}

/* The FIN rides on the last unsent data segment, or goes alone. */
void xtcp_queue_fin(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	if (tail && xs->send_head && !(XTCP_SKB_CB(tail)->flags & XTCP_SYN)) {
		XTCP_SKB_CB(tail)->flags |= XTCP_FIN;
		XTCP_SKB_CB(tail)->end_seq++;
	} else {
		queue_tail(sk, ctl_skb(sk, XTCP_FIN, xs->write_seq));
	}
	xs->write_seq++;
}

/* Nagle (xtcp_nagle_holds()): hold a small tail while a small segment is
 * unacknowledged; TCP_CORK holds it until uncorked.
 */
static bool nagle_holds(const struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	if (skb->len >= xtcp_send_mss(xs) ||
	    (XTCP_SKB_CB(skb)->flags & (XTCP_FIN | XTCP_SYN)) ||
	    !skb_queue_is_last(&sk->sk_write_queue, skb))
		return false;
	/* TCP_CORK holds a partial segment whatever is in flight. */
	if (xs->cork)
		return true;
	return xtcp_nagle_holds(&xs->tcb, xs->nodelay);
}

/*
 * Sender silly-window avoidance (RFC 9293 3.8.6.2.1): new data that does
 * not fit the peer's window goes out in part only if the part is at least
 * half the largest window the peer ever offered, or when the timer runs
 * out (sws_override) - so a peer whose whole buffer is smaller than a
 * segment still gets data, and a window opening by a few bytes does not
 * at once.  Cuts @skb to that part; true if it may go.
 */
static bool window_part(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_tcb *tcb = &xtcp_sk(sk)->tcb;
	s32 room = (s32)(tcb->snd_una + tcb->snd_wnd - XTCP_SKB_CB(skb)->seq);

	if (!skb->len || room <= 0 || (u32)room >= skb->len ||
	    ((u32)room < tcb->max_snd_wnd / 2 && !xtcp_sk(sk)->sws_override))
		return false;
	return !wq_split(sk, skb, room);
}

/*
 * xtcp_push - send what the peer's window allows from the send head.
 *
 * Return: the number of segments sent.
 */
int xtcp_push(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_tcb *tcb = &xs->tcb;
	u32 in_flight, cwnd;
	bool cwnd_full = false, idle;
	struct sk_buff *skb;
	int sent = 0;

	if (unlikely(xs->mtu_info))
		xtcp_mtu_reduced(sk);
	in_flight = xtcp_in_flight(sk);
	cwnd = xs->cc.cwnd;
	idle = tcb->snd_una == tcb->snd_nxt;
	while ((skb = xs->send_head)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		bool rexmit = seq_leq(cb->end_seq, tcb->snd_nxt);
		u8 flags;

		if (wq_fit(sk, skb))
			break;
		if (rexmit && cb->sacked) {
			/* Going back after a timeout: the peer has this one. */
			xs->send_head = wq_next(sk, skb);
			continue;
		}
		if (!(cb->flags & XTCP_SYN) &&
		    seq_gt(cb->end_seq, tcb->snd_una + tcb->snd_wnd) &&
		    (rexmit || !window_part(sk, skb)))
			break;
		flags = cb->flags;
		if (!rexmit && nagle_holds(sk, skb))
			break;
		/* Congestion control (RFC 5681): no more than cwnd in flight. */
		if (in_flight >= cwnd) {
			cwnd_full = true;
			break;
		}
		if (!rexmit && tcb->snd_una == tcb->snd_nxt &&
		    !(flags & XTCP_SYN)) {
			/* Nothing in flight: maybe restart after idle. */
			xtcp_cong_tx_start(sk);
			cwnd = xs->cc.cwnd;
		}
		if (skb->len)
			flags |= XTCP_PSH;
		if (xtcp_transmit(sk, skb, cb->seq, flags, GFP_ATOMIC))
			break;
		if (rexmit)
			count_retransmit(sk, cb);
		else
			xs->bytes_sent += skb->len;
		if (!rexmit && skb->len < xtcp_send_mss(xs))
			xtcp_tcb_sent_partial(tcb, cb->end_seq);
		cb->sent_us = xtcp_clock_us();
		xs->lsnd_us = cb->sent_us;
		in_flight++;
		if (!xs->rtt_pending && !rexmit) {
			xs->rtt_pending = true;
			xs->rtt_seq = cb->end_seq;
			xs->rtt_start_us = cb->sent_us;
		}
		xtcp_tcb_sent(tcb, cb->end_seq);
		xs->send_head = wq_next(sk, skb);
		sent++;
	}
	/* Window growth only for a sender that uses its window (RFC 7661);
	 * in slow start, half of it (as Linux's tcp_is_cwnd_limited()).
	 */
	xs->cwnd_limited = cwnd_full ||
			   (xtcp_cc_in_slow_start(&xs->cc) && 2 * in_flight > cwnd);
	/* Unacked data, or a closed window with data waiting: the timer
	 * retransmits or probes.
	 */
	if (sent && idle)
		xtcp_rearm_rtx(sk);	/* not a probe's older deadline */
	else if (sent || (xs->send_head && tcb->snd_una == tcb->snd_nxt))
		xtcp_arm_rtx(sk);
	return sent;
}

/* Send the SYN again: a SYN,ACK once the state is SYN_RECV. */
void xtcp_resend_syn(struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (head && (XTCP_SKB_CB(head)->flags & XTCP_SYN))
		xtcp_transmit(sk, head, XTCP_SKB_CB(head)->seq, XTCP_SYN,
			      GFP_ATOMIC);
}

/*
 * The segment at snd_una carries a SACK mark: the peer SACKed data and
 * then dropped it (RFC 2018 8 allows that).  Forget every mark and go back
 * to snd_una, so what it dropped is sent again.
 */
static void sack_reneged(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb || !XTCP_SKB_CB(skb)->sacked)
		return;
	skb_queue_walk(&sk->sk_write_queue, skb)
		XTCP_SKB_CB(skb)->sacked = false;
	xs->send_head = skb_peek(&sk->sk_write_queue);
	xs->rtt_pending = false;
	xtcp_inc(sock_net(sk), XTCP_MIB_SACKRENEGING);
}

/*
 * xtcp_retransmit_head - the retransmission timer fired.
 *
 * Go back to snd_una and resend from there (the window permitting), or
 * probe a zero window when nothing is in flight.
 */
int xtcp_retransmit_head(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (!head)
		return 0;
	if (xs->tcb.snd_una == xs->tcb.snd_nxt) {
		/* Nothing in flight: probe a shut window, or try again what
		 * could not be sent.
		 */
		int sent;

		/* RFC 9293 3.8.6.2.1's override timeout: a window too small
		 * for the next segment gets the part that fits now.
		 */
		xs->sws_override = true;
		sent = xtcp_push(sk);
		xs->sws_override = false;
		if (!sent) {
			xtcp_send_probe(sk);
			xtcp_inc(sock_net(sk), XTCP_MIB_ZEROWINDOWPROBES);
		}
		return 0;
	}
	/* Karn: no RTT sample from anything sent twice. */
	xs->rtt_pending = false;
	sack_reneged(sk);
	xs->send_head = head;
	xtcp_push(sk);
	/* The peer's window may be closed: the head still goes out once. */
	if (xs->send_head == head) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(head);

		if (!wq_fit(sk, head) &&
		    !xtcp_transmit(sk, head, cb->seq, cb->flags, GFP_ATOMIC))
			count_retransmit(sk, cb);
		xs->send_head = wq_next(sk, head);
	}
	return 0;
}

static void free_wq_skb(struct sock *sk, struct sk_buff *skb)
{
	xtcp_wmem_queued_add(sk, -skb->truesize);
	__kfree_skb(skb);
}

/*
 * xtcp_clean_acked - drop what snd_una now covers; take an RTT sample.
 * @rtt_us: set to the sample taken, 0 if none
 *
 * Return: the segments (queued sk_buffs) newly acknowledged.
 */
u32 xtcp_clean_acked(struct sock *sk, u32 ts_rtt_us, u32 *rtt_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 una = xs->tcb.snd_una, acked = 0;
	struct sk_buff *skb;

	*rtt_us = 0;
	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (seq_gt(cb->end_seq, una))
			break;
		xs->bytes_acked += skb->len;
		if (!cb->retransmitted && cb->sent_us > xs->rack_us)
			xs->rack_us = cb->sent_us;
		if (xs->send_head == skb)
			xs->send_head = wq_next(sk, skb);
		__skb_unlink(skb, &sk->sk_write_queue);
		free_wq_skb(sk, skb);
		acked++;
	}
	if (xs->rtt_pending && seq_geq(una, xs->rtt_seq)) {
		u64 rtt = xtcp_clock_us() - xs->rtt_start_us;

		xs->rtt_pending = false;
		*rtt_us = rtt > U32_MAX ? U32_MAX : (u32)rtt;
	} else if (ts_rtt_us) {
		/* Timestamps measure even retransmitted data (RFC 7323 4). */
		*rtt_us = ts_rtt_us;
	}
	if (*rtt_us) {
		xtcp_rto_sample(&xs->rto, *rtt_us);
		if (!xs->min_rtt_us || *rtt_us < xs->min_rtt_us)
			xs->min_rtt_us = *rtt_us;
	}
	xs->retransmits = 0;
	xtcp_rto_reset_backoff(&xs->rto);
	sack_reneged(sk);

	if (sk->sk_socket && test_bit(SOCK_NOSPACE, &sk->sk_socket->flags))
		sk->sk_write_space(sk);
	return acked;
}

/**
 * xtcp_sack_mark - mark what the SACK blocks of @seg cover.
 * @sk: the sender
 * @seg: an ACK carrying SACK blocks
 *
 * Return: how many segments beyond the first hole are SACKed, for
 * RFC 6675's IsLost().
 */
u32 xtcp_sack_mark(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool hole = false;
	struct sk_buff *skb;
	u32 above = 0;
	u8 i;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!seq_lt(cb->seq, xs->tcb.snd_nxt))
			break;
		for (i = 0; i < seg->opts.nsack && !cb->sacked; i++) {
			const struct xtcp_sack_block *b = &seg->opts.sack[i];

			/* Only blocks about data in flight count (RFC 2018). */
			if (seq_leq(b->start, xs->tcb.snd_una) ||
			    seq_gt(b->end, xs->tcb.snd_nxt))
				continue;
			if (seq_geq(cb->seq, b->start) &&
			    seq_leq(cb->end_seq, b->end)) {
				cb->sacked = true;
				if (!cb->retransmitted && cb->sent_us > xs->rack_us)
					xs->rack_us = cb->sent_us;
			}
		}
		if (!cb->sacked)
			hole = true;
		else if (hole)
			above++;
	}
	return above;
}

/* Fast retransmit begins: every hole may be resent once more. */
void xtcp_recovery_start(struct sock *sk)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb)
		XTCP_SKB_CB(skb)->rtx_in_rec = false;
}

/**
 * xtcp_retransmit_hole - resend the first segment presumed lost.
 * @sk: the sender, in recovery
 *
 * A hole is a segment sent, not SACKed, not yet resent in this recovery,
 * and either the first unacknowledged one or below SACKed data (RFC 6675
 * NextSeg(), rule 1; without SACK this is NewReno's head).  A resent one
 * is a hole again once data sent a reordering window after it was
 * delivered: its retransmission was lost (RFC 8985's time rule).
 *
 * Return: true if a segment went out.
 */
bool xtcp_retransmit_hole(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 high = xs->tcb.snd_una;
	struct sk_buff *skb, *hole = NULL;
	/* Reordering window: a quarter of SRTT, at least 1 ms (RFC 8985). */
	u64 reo_us = max_t(u32, xs->rto.srtt_us / 4, 1000);

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!seq_lt(cb->seq, xs->tcb.snd_nxt))
			break;
		if (cb->sacked)
			high = cb->end_seq;
		else if (!hole && (!cb->rtx_in_rec ||
				   cb->sent_us + reo_us < xs->rack_us))
			hole = skb;
	}
	if (!hole)
		return false;
	if (hole != skb_peek(&sk->sk_write_queue) &&
	    !seq_lt(XTCP_SKB_CB(hole)->seq, high))
		return false;	/* nothing SACKed above it: not known lost */
	if (wq_fit(sk, hole))
		return false;
	if (xtcp_transmit(sk, hole, XTCP_SKB_CB(hole)->seq,
			  XTCP_SKB_CB(hole)->flags | (hole->len ? XTCP_PSH : 0),
			  GFP_ATOMIC))
		return false;
	XTCP_SKB_CB(hole)->rtx_in_rec = true;
	XTCP_SKB_CB(hole)->sent_us = xtcp_clock_us();
	count_retransmit(sk, XTCP_SKB_CB(hole));
	xs->rtt_pending = false;	/* Karn */
	return true;
}

/**
 * xtcp_mtu_reduced - apply the path MTU an ICMP "fragmentation needed"
 * reported (RFC 1191, RFC 9293 3.7.2).
 * @sk: the connection, locked, with mtu_info set
 *
 * The MSS shrinks and what is in flight goes out again at the new size at
 * once: the segments the router could not forward are gone, and waiting
 * for the retransmission timer would only cost time.
 */
void xtcp_mtu_reduced(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mtu = xs->mtu_info;
	struct dst_entry *dst;
	u16 mss;

	xs->mtu_info = 0;
	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE | TCPF_SYN_SENT |
					    TCPF_SYN_RECV))
		return;
	dst = __sk_dst_check(sk, 0);
	if (dst)
		mtu = min(mtu, dst_mtu(dst));
	mss = mtu_to_mss(xs, mtu);
	if (mss >= xs->tcb.mss)
		return;
	xs->tcb.mss = mss;
	xtcp_inc(sock_net(sk), XTCP_MIB_PMTUREDUCTIONS);
	if (xs->tcb.snd_una != xs->tcb.snd_nxt) {
		xs->rtt_pending = false;	/* Karn */
		xs->send_head = skb_peek(&sk->sk_write_queue);
		xtcp_push(sk);
	}
}

/*
 * Delayed ACK (RFC 1122 4.2.3.2, RFC 5681 4.2): ACK at once when two
 * full segments wait for one, else within 40 ms.  "Full" is the largest
 * segment the peer sent (xs->rcv_mss), not our own MSS: a peer with a
 * smaller MSS would otherwise wait 40 ms for every ACK.
 */
void xtcp_ack_soon(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xtcp_ack_now(xs->tcb.rcv_nxt - xs->rcv_wup, xs->rcv_mss)) {
		xtcp_send_ack(sk);
		return;
	}
	if (!timer_pending(&xs->dack_timer))
		sk_reset_timer(sk, &xs->dack_timer, jiffies + XTCP_DELACK);
}

void xtcp_purge_write_queue(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		free_wq_skb(sk, skb);
	xtcp_sk(sk)->send_head = NULL;
}

/*
 * xtcp_send_stateless - send @out in answer to @skb with no connection:
 * a RST, or a cookie SYN,ACK (@sk, the listener, then gives the MSS
 * limit; an MSS option of 0 is filled from the route).
 * @skb: the segment answered, its network header still set.
 *
 * Return: 0 if the segment was handed to IP.
 */
int xtcp_send_stateless(struct net *net, struct sk_buff *skb,
			struct xtcp_seg *out, const struct sock *sk)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sk_buff *nskb;
	struct flowi4 fl4;
	struct iphdr *niph;
	struct rtable *rt;

	flowi4_init_output(&fl4, sk ? sk->sk_bound_dev_if : 0,
			   sk ? READ_ONCE(sk->sk_mark) : skb->mark, 0,
			   RT_SCOPE_UNIVERSE, xtcp_ipproto, 0, iph->saddr,
			   iph->daddr, htons(out->dport), htons(out->sport),
			   sock_net_uid(net, sk));
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (out->opts.mss_ok && !out->opts.mss)
		out->opts.mss = mtu_to_mss(xtcp_sk(sk), dst_mtu(&rt->dst));

	nskb = seg_alloc(0, GFP_ATOMIC);
	if (!nskb) {
		ip_rt_put(rt);
		return -ENOBUFS;
	}
	seg_finish(nskb, out, fl4.saddr, fl4.daddr);
	skb_dst_set(nskb, &rt->dst);

	niph = skb_push(nskb, sizeof(*niph));
	skb_reset_network_header(nskb);
	memset(niph, 0, sizeof(*niph));
	niph->version = 4;
	niph->ihl = 5;
	niph->frag_off = htons(IP_DF);
	niph->ttl = ip4_dst_hoplimit(&rt->dst);
	niph->protocol = xtcp_ipproto;
	niph->saddr = fl4.saddr;
	niph->daddr = fl4.daddr;
	ip_select_ident(net, nskb, NULL);

	ip_local_out(net, NULL, nskb);
	xtcp_inc(net, XTCP_MIB_OUTSEGS);
	return 0;
}

/*
 * xtcp_send_reset_reply - answer a segment no socket takes with a RST.
 * @skb: the offending segment, its network header still set.
 */
void xtcp_send_reset_reply(struct net *net, struct sk_buff *skb,
			   const struct xtcp_seg *seg)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct xtcp_seg rst = {};

	if (seg->flags & XTCP_RST)
		return;
	xtcp_rst_for(seg, &rst.seq, &rst.ack, &rst.flags);
	rst.sport = seg->dport;
	rst.dport = seg->sport;
	if (xtcp_send_stateless(net, skb, &rst, NULL))
		return;
	xtcp_inc(net, XTCP_MIB_OUTRSTS);
	trace_xtcp_send_reset(iph->daddr, htons(rst.sport), iph->saddr,
			      htons(rst.dport), rst.seq);
}
