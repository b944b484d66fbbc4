// SPDX-License-Identifier: GPL-2.0
/*
 * Segments in: the IPv4 protocol handler (checksum, lookup, socket lock or
 * backlog, as Linux TCP does), the ICMP error handler, and carrying out
 * the actions the core's state machine returns.
 */
#include <linux/icmp.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "trace.h"
#include "core/seq.h"
#include "core/bytes.h"

/* Queue the new bytes of @skb (header still on) for the reader. */
static bool queue_data(struct sock *sk, struct sk_buff *skb,
		       const struct xtcp_seg *seg, const struct xtcp_rx *rx)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb;

	__skb_pull(skb, seg->doff);
	if (pskb_trim(skb, rx->data_off + rx->data_len))
		return false;
	skb_dst_drop(skb);
	cb = XTCP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	/* skb->data may start with bytes we had: the reader skips them. */
	cb->seq = seg->seq + !!(seg->flags & XTCP_SYN);
	cb->end_seq = cb->seq + skb->len;
	xtcp_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	WRITE_ONCE(xs->rcv_queued, cb->end_seq);
	xs->bytes_received += rx->data_len;
	return true;
}

/* Keep out-of-order bytes of @skb, in sequence order; false if not kept. */
static bool ooo_insert(struct sock *sk, struct sk_buff *skb,
		       const struct xtcp_seg *seg, const struct xtcp_rx *rx)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff_head *q = &xs->ooo_queue;
	struct xtcp_skb_cb *cb;
	struct sk_buff *p;

	__skb_pull(skb, seg->doff);
	if (rx->data_off)
		__skb_pull(skb, rx->data_off);
	if (pskb_trim(skb, rx->data_len))
		return false;
	cb = XTCP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = seg->seq + rx->data_off;
	cb->end_seq = cb->seq + skb->len;

	/* From the tail: find the last skb starting at or before us. */
	skb_queue_reverse_walk(q, p) {
		struct xtcp_skb_cb *pcb = XTCP_SKB_CB(p);

		if (seq_leq(pcb->seq, cb->seq)) {
			if (seq_geq(pcb->end_seq, cb->end_seq))
				return false;	/* a duplicate of what we hold */
			break;
		}
	}
	skb_dst_drop(skb);
	xtcp_set_owner_r(skb, sk);
	if (p == (struct sk_buff *)q)
		__skb_queue_head(q, skb);
	else
		__skb_queue_after(q, p, skb);
	xtcp_tcb_ooo_kept(&xs->tcb, cb->seq, cb->end_seq);
	xtcp_inc(sock_net(sk), XTCP_MIB_OFOQUEUE);
	return true;
}

/* A copy of @skb's bytes in a buffer of their own size. */
static struct sk_buff *ooo_compact_copy(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff *n = alloc_skb(skb->len, GFP_ATOMIC);

	if (!n)
		return NULL;
	skb_copy_bits(skb, 0, skb_put(n, skb->len), skb->len);
	memcpy(n->cb, skb->cb, sizeof(n->cb));
	xtcp_set_owner_r(n, sk);
	return n;
}

/* Give up the highest kept out-of-order segment; false if none is kept. */
static bool ooo_prune_top(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = __skb_dequeue_tail(&xs->ooo_queue);

	if (!skb)
		return false;
	xtcp_tcb_ooo_dropped(&xs->tcb, XTCP_SKB_CB(skb)->seq);
	kfree_skb(skb);
	xtcp_inc(sock_net(sk), XTCP_MIB_OFOPRUNED);
	return true;
}

/*
 * The receive buffer is full, and kept out-of-order data fills it, so the
 * segment that closes the hole could not be taken: a deadlock.  First copy
 * small segments into buffers of their size (an sk_buff made for a full
 * segment costs several times a short one's bytes), then, if that is not
 * enough, drop kept data from the highest sequence down - RFC 2018 8 lets
 * a receiver renege on what it SACKed; the sender resends it.
 */
static void ooo_make_room(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff_head *q = &xs->ooo_queue;
	int rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	struct sk_buff *skb, *tmp, *n;

	skb_queue_walk_safe(q, skb, tmp) {
		if (skb->truesize < 2 * SKB_TRUESIZE(skb->len))
			continue;
		n = ooo_compact_copy(sk, skb);
		if (!n)
			break;
		__skb_queue_after(q, skb, n);
		__skb_unlink(skb, q);
		kfree_skb(skb);
		xtcp_inc(sock_net(sk), XTCP_MIB_RCVCOLLAPSED);
	}
	while (atomic_read(&sk->sk_rmem_alloc) >= rcvbuf && ooo_prune_top(sk))
		;
}

/*
 * Room for @skb's data: U32_MAX if the receive buffer and the namespace's
 * memory (net.xtcp.mem) can take it, 0 if not.  Over the namespace's
 * limit, in-order data into an empty receive queue is still taken, so
 * every connection can progress, and kept out-of-order data is given up
 * for in-order data first (as Linux's tcp_prune_ofo_queue()).
 */
static u32 rcv_room(struct sock *sk, const struct sk_buff *skb,
		    const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool in_order = seq_leq(seg->seq, xs->tcb.rcv_nxt);

	if (atomic_read(&sk->sk_rmem_alloc) >= READ_ONCE(sk->sk_rcvbuf))
		return 0;
	if (!seg->len ||
	    xtcp_mem_room(sk, skb->truesize,
			  in_order && skb_queue_empty(&sk->sk_receive_queue)))
		return U32_MAX;
	if (in_order) {
		while (!xtcp_mem_room(sk, skb->truesize, false))
			if (!ooo_prune_top(sk))
				goto refuse;
		return U32_MAX;
	}
refuse:
	if (seq_gt(seg->seq + seg->len, xs->tcb.rcv_nxt))
		xtcp_inc(sock_net(sk), XTCP_MIB_RCVQDROPS);
	return 0;
}

/* In-order data arrived: kept segments it reaches join the stream. */
static void ooo_drain(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_peek(&xs->ooo_queue))) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (seq_gt(cb->seq, xs->tcb.rcv_nxt))
			break;
		__skb_unlink(skb, &xs->ooo_queue);
		if (!seq_gt(cb->end_seq, xs->tcb.rcv_nxt)) {
			kfree_skb(skb);		/* all of it is old */
			continue;
		}
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		xtcp_tcb_rcv_advance(&xs->tcb, cb->end_seq);
		WRITE_ONCE(xs->rcv_queued, cb->end_seq);
		xs->bytes_received += cb->end_seq - cb->seq;
	}
}

static void peer_fin(struct sock *sk)
{
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		if (sk->sk_shutdown == SHUTDOWN_MASK ||
		    sk->sk_state == TCP_CLOSE)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		else
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

static void connected(struct sock *sk, int old)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->retransmits = 0;
	if (old == TCP_SYN_SENT) {
		xs->copied_seq = xs->tcb.rcv_nxt;
		xs->rcv_queued = xs->tcb.rcv_nxt;
	}
	xtcp_sndbuf_expand(sk);
	xtcp_arm_keepalive(sk);
	if (xs->tcb.passive) {
		xtcp_child_connected(sk);
		return;
	}
	if (!sock_flag(sk, SOCK_DEAD))
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
}

/*
 * Eifel detection (RFC 3522): an ACK that echoes a timestamp older than
 * our first retransmission was caused by the original segment, so the
 * retransmission - and the window cut with it - was not needed.
 */
static bool spurious(const struct sock *sk, const struct xtcp_seg *seg)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return xs->tcb.ts_ok && seg->opts.ts_ok && seg->opts.tsecr &&
	       xs->retrans_tsval && seq_lt(seg->opts.tsecr, xs->retrans_tsval);
}

/*
 * The sender's side of an ACK: SACK scoreboard, fast recovery, and what
 * congestion control learns from it (@acked segments newly acknowledged,
 * an RTT sample @rtt_us or 0).
 */
static void loss_recovery(struct sock *sk, const struct xtcp_seg *seg,
			  const struct xtcp_rx *rx, u32 acked, u32 rtt_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 above = 0;

	if (!(seg->flags & XTCP_ACK) || (rx->actions & XTCP_RX_DROP))
		return;
	if (xs->tcb.sack_ok && seg->opts.nsack)
		above = xtcp_sack_mark(sk, seg);
	switch (xtcp_tcb_recovery(&xs->tcb, rx, above)) {
	case XTCP_REC_ENTER:
		xtcp_inc(sock_net(sk), XTCP_MIB_FASTRETRANS);
		if (above)
			xtcp_inc(sock_net(sk), XTCP_MIB_SACKRECOVERY);
		xs->retrans_tsval = xtcp_ts_now(xs);
		xtcp_cong_event(sk, XTCP_CONG_RECOVERY_ENTER, acked, rtt_us);
		xtcp_recovery_start(sk);
		if (xtcp_retransmit_hole(sk))
			xtcp_rearm_rtx(sk);
		break;
	case XTCP_REC_CONTINUE:
		xtcp_cong_event(sk, XTCP_CONG_RECOVERY_ACK, acked, rtt_us);
		xtcp_retransmit_hole(sk);
		break;
	case XTCP_REC_EXIT:
		if (spurious(sk, seg)) {
			/* Reordering, not loss: wait for more next time. */
			xs->tcb.reordering = min_t(u32, 2 * (xs->tcb.reordering ? : 3),
						   XTCP_MAX_REORDERING);
			xtcp_inc(sock_net(sk), XTCP_MIB_FULLUNDO);
			xtcp_cong_event(sk, XTCP_CONG_UNDO, acked, rtt_us);
		} else {
			xtcp_cong_event(sk, XTCP_CONG_RECOVERY_EXIT, acked, rtt_us);
		}
		break;
	default:
		if (acked && xs->cc.ca_state == XTCP_CA_LOSS && spurious(sk, seg)) {
			xtcp_inc(sock_net(sk), XTCP_MIB_LOSSUNDO);
			xtcp_cong_event(sk, XTCP_CONG_UNDO, acked, rtt_us);
		}
		if (acked)
			xtcp_cong_event(sk, XTCP_CONG_ACK, acked, rtt_us);
		break;
	}
}

/* New data for a socket whose reader is gone (closed or SHUT_RD). */
static bool data_after_close(const struct sock *sk, const struct xtcp_seg *seg)
{
	const struct xtcp_tcb *tcb = &xtcp_sk(sk)->tcb;
	u32 wnd = max_t(u32, xtcp_tcb_rcv_wnd(tcb), 1);

	return (sk->sk_shutdown & RCV_SHUTDOWN) && seg->len &&
	       ((1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)) &&
	       seq_geq(seg->seq, tcb->rcv_nxt) &&
	       seq_lt(seg->seq, tcb->rcv_nxt + wnd);
}

/*
 * RFC 5961 10: at most net.xtcp.challenge_ack_limit challenge ACKs per
 * second in a namespace, as Linux's tcp_challenge_ack_limit.  Like Linux,
 * each second's budget is drawn at random from [limit/2, limit*3/2), so
 * that an off-path attacker cannot count how many challenge ACKs his
 * guesses caused by exhausting a budget he knows (CVE-2016-5696).  0 sends
 * none.  Races between CPUs cost at most a few ACKs either way.
 */
static bool challenge_ack_allowed(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	u32 limit = READ_ONCE(xn->challenge_ack_limit);
	u32 now = (u32)(jiffies / HZ);

	if (!limit)
		return false;
	if (now != READ_ONCE(xn->challenge_stamp)) {
		u64 half = ((u64)limit + 1) / 2;
		u64 budget = half + get_random_u32_below(limit);

		WRITE_ONCE(xn->challenge_stamp, now);
		atomic_set(&xn->challenge_left, min_t(u64, budget, INT_MAX));
	}
	return atomic_dec_if_positive(&xn->challenge_left) >= 0;
}

/*
 * An ACK (or SYN,ACK) answering a segment we drop: at most one per
 * net.xtcp.invalid_ratelimit per connection (xtcp_oow_ack_limited()),
 * counted by the state, else by why it was due, as Linux's TCPACKSkipped*
 * counters (a PAWS failure in TIME_WAIT is a TimeWait one).  Checked
 * before the namespace's challenge budget, which it then does not spend.
 */
static bool oow_ack_limited(struct sock *sk, const struct xtcp_seg *seg,
			    int old, u32 actions)
{
	struct net *net = sock_net(sk);
	u32 interval = msecs_to_jiffies(READ_ONCE(xtcp_pernet(net)->invalid_ratelimit));
	int mib;

	if (!xtcp_oow_ack_limited(seg, actions & XTCP_RX_CHALLENGE, (u32)jiffies,
				  interval, &xtcp_sk(sk)->last_oow_ack))
		return false;
	if (old == TCP_TIME_WAIT)
		mib = XTCP_MIB_ACKSKIPPEDTIMEWAIT;
	else if (old == TCP_SYN_RECV)
		mib = XTCP_MIB_ACKSKIPPEDSYNRECV;
	else if (actions & XTCP_RX_CHALLENGE)
		mib = XTCP_MIB_ACKSKIPPEDCHALLENGE;
	else if (actions & XTCP_RX_PAWS)
		mib = XTCP_MIB_ACKSKIPPEDPAWS;
	else
		mib = XTCP_MIB_ACKSKIPPEDSEQ;
	xtcp_inc(net, mib);
	return true;
}

/* Past net.xtcp.max_tw_buckets?  @sk itself is counted already. */
static bool tw_overflow(const struct sock *sk)
{
	const struct xtcp_net *xn = xtcp_pernet(sock_net(sk));

	return atomic_read(&xn->tw_count) > READ_ONCE(xn->max_tw_buckets);
}

/* A connected (non-listening) socket takes a segment, under its lock. */
static void rcv_state(struct sock *sk, struct sk_buff *skb,
		      const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	int old = sk->sk_state;
	u32 acked = 0, rtt_us = 0;
	bool consumed = false, dup_syn;
	struct xtcp_rx rx = {};

	if (data_after_close(sk, seg)) {
		/* RFC 1122 4.2.2.13: nobody will read it; say so. */
		xtcp_send_reset_reply(net, skb, seg);
		xtcp_reset(sk, ECONNRESET);
		goto out;
	}

	if (atomic_read(&sk->sk_rmem_alloc) >= READ_ONCE(sk->sk_rcvbuf) &&
	    seg->len && seq_leq(seg->seq, xs->tcb.rcv_nxt) &&
	    !skb_queue_empty(&xs->ooo_queue))
		ooo_make_room(sk);
	rx.rcv_space = rcv_room(sk, skb, seg);
	xtcp_tcb_input(&xs->tcb, seg, &rx);

	xs->segs_in++;
	WRITE_ONCE(xs->rcv_tstamp, jiffies);
	xs->ka_probes = 0;
	if ((seg->flags & XTCP_ACK) && !(rx.actions & XTCP_RX_DROP))
		xs->probes_out = 0;	/* the peer is alive */
	if (seg->flags & XTCP_RST)
		xtcp_inc(net, XTCP_MIB_INRSTS);
	dup_syn = rx.actions & XTCP_RX_SEND_SYNACK;
	if ((rx.actions & XTCP_RX_DROP) &&
	    (rx.actions & (XTCP_RX_SEND_ACK | XTCP_RX_SEND_SYNACK)) &&
	    oow_ack_limited(sk, seg, old, rx.actions))
		rx.actions &= ~(XTCP_RX_SEND_ACK | XTCP_RX_SEND_SYNACK);
	if (rx.actions & XTCP_RX_CHALLENGE) {
		/* Unless oow_ack_limited() skipped it: the namespace's budget. */
		if ((rx.actions & XTCP_RX_SEND_ACK) && !challenge_ack_allowed(net)) {
			xtcp_inc(net, XTCP_MIB_CHALLENGEACKLIMITED);
			rx.actions &= ~XTCP_RX_SEND_ACK;
		} else if (rx.actions & XTCP_RX_SEND_ACK) {
			xtcp_inc(net, XTCP_MIB_CHALLENGEACKS);
		}
	} else if (rx.actions & XTCP_RX_PAWS) {
		xtcp_inc(net, XTCP_MIB_PAWSESTAB);
	} else if ((rx.actions & XTCP_RX_DROP) && !dup_syn) {
		xtcp_inc(net, XTCP_MIB_DROPSOUTOFWINDOW);
	}
	if (rx.actions & XTCP_RX_OUT_OF_ORDER)
		xtcp_inc(net, XTCP_MIB_OUTOFORDER);
	if (rx.actions & XTCP_RX_SEND_RST)
		xtcp_send_reset_reply(net, skb, seg);

	if ((rx.actions & XTCP_RX_TW_REUSE) &&
	    xtcp_listening(net, inet_sk(sk)->inet_saddr, inet_sk(sk)->inet_sport)) {
		/* A new incarnation: end this one; the peer's next SYN
		 * finds the listener.
		 */
		xtcp_done(sk);
		goto out;
	}
	if (rx.actions & XTCP_RX_TW_REUSE)
		/* Nobody to open it: TIME_WAIT stays and answers, as Linux
		 * (tcp_v4_rcv(), TCP_TW_SYN without a listener).
		 */
		rx.actions = XTCP_RX_SEND_ACK;
	if (rx.actions & XTCP_RX_RESET) {
		if (seg->flags & XTCP_RST)
			trace_xtcp_receive_reset(inet_sk(sk)->inet_saddr,
						 inet_sk(sk)->inet_sport,
						 inet_sk(sk)->inet_daddr,
						 inet_sk(sk)->inet_dport, seg->seq);
		/* RFC 2012: SYN-SENT or SYN-RECEIVED to CLOSED. */
		if (old == TCP_SYN_SENT || old == TCP_SYN_RECV)
			xtcp_inc(net, XTCP_MIB_ATTEMPTFAILS);
		xtcp_reset(sk, -rx.err);
		goto out;
	}
	if (rx.actions & XTCP_RX_CLOSED) {
		xtcp_done(sk);
		goto out;
	}

	if (xs->tcb.state != old)
		xtcp_set_state(sk, xs->tcb.state);
	if (old == TCP_SYN_SENT && xs->tcb.state == TCP_SYN_RECV) {
		/* Simultaneous open: the stream starts after the peer's SYN. */
		xs->copied_seq = xs->tcb.rcv_nxt;
		xs->rcv_queued = xs->tcb.rcv_nxt;
	}
	if (rx.actions & XTCP_RX_CONNECTED)
		connected(sk, old);
	if (rx.actions & XTCP_RX_ACKED) {
		u32 ts_rtt = 0;

		if (xs->tcb.ts_ok && seg->opts.ts_ok && seg->opts.tsecr)
			ts_rtt = (xtcp_ts_now(xs) - seg->opts.tsecr) * 1000U;
		acked = xtcp_clean_acked(sk, ts_rtt, &rtt_us);
		xtcp_rearm_rtx(sk);
	}
	if (xtcp_state_synchronized(sk->sk_state))
		loss_recovery(sk, seg, &rx, acked, rtt_us);
	if (rx.actions & XTCP_RX_SEND_SYNACK)
		xtcp_resend_syn(sk);
	if (rx.actions & (XTCP_RX_DATA | XTCP_RX_OUT_OF_ORDER))
		xs->rcv_mss = xtcp_rcv_mss(xs->rcv_mss, seg->len, xtcp_adv_mss(xs));
	if (rx.actions & XTCP_RX_DATA) {
		consumed = queue_data(sk, skb, seg, &rx);
		if (consumed)
			ooo_drain(sk);
		if (consumed && !sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
	} else if ((rx.actions & XTCP_RX_OUT_OF_ORDER) && rx.data_len) {
		consumed = ooo_insert(sk, skb, seg, &rx);
	}
	if (rx.actions & XTCP_RX_FIN)
		peer_fin(sk);

	if ((rx.actions & XTCP_RX_TIME_WAIT) && old != TCP_TIME_WAIT &&
	    tw_overflow(sk)) {
		/* No room for one more TIME_WAIT entry: the last ACK goes
		 * out and the connection ends here, as Linux's
		 * tcp_time_wait() does past tcp_max_tw_buckets.
		 */
		xtcp_inc(net, XTCP_MIB_TIMEWAITOVERFLOW);
		xtcp_send_ack(sk);
		xtcp_done(sk);
		goto out;
	}
	if (rx.actions & XTCP_RX_TIME_WAIT) {
		sk_stop_timer(sk, &xs->rtx_timer);
		xtcp_arm_wait(sk, xtcp_tw_delay(sk));
	} else if (old != TCP_FIN_WAIT2 && sk->sk_state == TCP_FIN_WAIT2 &&
		   sock_flag(sk, SOCK_DEAD)) {
		/* An orphan waits for the peer's FIN only so long. */
		xtcp_arm_wait(sk, READ_ONCE(xtcp_pernet(net)->fin_timeout) * HZ);
	}

	/* New room or a new window: data may go, and it carries the ACK. */
	if ((rx.actions & (XTCP_RX_ACKED | XTCP_RX_WND | XTCP_RX_CONNECTED)) &&
	    xtcp_push(sk))
		rx.actions &= ~XTCP_RX_SEND_ACK;
	if (!(rx.actions & XTCP_RX_SEND_ACK))
		goto out;
	/* In-order data alone may wait a little; the rest is ACKed now. */
	if ((rx.actions & XTCP_RX_DATA) &&
	    !(rx.actions & (XTCP_RX_FIN | XTCP_RX_OUT_OF_ORDER | XTCP_RX_DROP)) &&
	    skb_queue_empty(&xs->ooo_queue))
		xtcp_ack_soon(sk);
	else
		xtcp_send_ack(sk);
out:
	if (!consumed)
		consume_skb(skb);
}

/*
 * xtcp_backlog_rcv - process a segment with the socket locked.
 *
 * Called from the protocol handler when the user does not own the
 * socket, and from release_sock() for segments that waited in the backlog.
 */
int xtcp_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	struct xtcp_seg seg;

	if (xtcp_hdr_parse(skb->data, skb->len, &seg)) {
		xtcp_inc(net, XTCP_MIB_INERRS);
		kfree_skb(skb);
		return 0;
	}
	switch (sk->sk_state) {
	case TCP_LISTEN:
		return xtcp_listen_rcv(sk, skb, &seg);
	case TCP_CLOSE:
		/* Closed after the lookup: as if no socket had been there. */
		xtcp_inc(net, XTCP_MIB_NOSOCKET);
		xtcp_send_reset_reply(net, skb, &seg);
		kfree_skb(skb);
		return 0;
	default:
		rcv_state(sk, skb, &seg);
		return 0;
	}
}

/*
 * xtcp_v4_rcv - the IPv4 handler for protocol xtcp_ipproto.
 */
int xtcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct iphdr *iph;
	struct xtcp_seg seg;
	__be16 sport, dport;
	struct sock *sk;
	u32 doff;

	if (skb->pkt_type != PACKET_HOST)
		goto drop;
	if (!READ_ONCE(xtcp_pernet(net)->enabled)) {
		/* Behave like a host without xtcp (see net.xtcp.enabled). */
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
		goto drop;
	}
	xtcp_inc(net, XTCP_MIB_INSEGS);

	if (!pskb_may_pull(skb, XTCP_HDR_LEN))
		goto bad;
	doff = (skb->data[12] >> 4) * 4;
	if (doff < XTCP_HDR_LEN || doff > skb->len || !pskb_may_pull(skb, doff))
		goto bad;
	if (skb_checksum_init(skb, xtcp_ipproto, inet_compute_pseudo) ||
	    (!skb_csum_unnecessary(skb) && __skb_checksum_complete(skb))) {
		xtcp_inc(net, XTCP_MIB_INCSUMERRORS);
		goto bad;
	}

	iph = ip_hdr(skb);
	sport = *(__be16 *)skb->data;
	dport = *(__be16 *)(skb->data + 2);
	sk = xtcp_lookup(net, iph->saddr, sport, iph->daddr, dport);
	if (!sk) {
		xtcp_inc(net, XTCP_MIB_NOSOCKET);
		if (!xtcp_hdr_parse(skb->data, skb->len, &seg))
			xtcp_send_reset_reply(net, skb, &seg);
		goto drop;
	}

	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		xtcp_backlog_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
					   READ_ONCE(sk->sk_sndbuf))) {
		bh_unlock_sock(sk);
		sock_put(sk);
		xtcp_inc(net, XTCP_MIB_BACKLOGDROPS);
		goto drop;
	}
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;

bad:
	xtcp_inc(net, XTCP_MIB_INERRS);
drop:
	kfree_skb(skb);
	return 0;
}

/*
 * ICMP "fragmentation needed" (RFC 1191) about a segment of @sk: the route
 * learns the MTU, the connection its smaller MSS, now or - if the user
 * holds the socket - at its next transmission.  Only a sequence number we
 * have sent is believed (RFC 5927 4.1).
 */
static void frag_needed(struct sock *sk, struct sk_buff *skb, u32 seq, u32 mtu)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (sk->sk_state == TCP_LISTEN || mtu < 68)
		return;
	bh_lock_sock(sk);
	/* write_seq, not snd_nxt: the ICMP may come back while the segment
	 * is still on its way down, before snd_nxt covers it.
	 */
	if (seq_lt(seq, xs->tcb.snd_una) || !seq_lt(seq, xs->write_seq)) {
		xtcp_inc(sock_net(sk), XTCP_MIB_OUTOFWINDOWICMPS);
		bh_unlock_sock(sk);
		return;
	}
	bh_unlock_sock(sk);
	ipv4_sk_update_pmtu(skb, sk, mtu);
	bh_lock_sock(sk);
	xs->mtu_info = mtu;
	if (!sock_owned_by_user(sk))
		xtcp_mtu_reduced(sk);
	bh_unlock_sock(sk);
}

/*
 * xtcp_v4_err - an ICMP error about a segment we sent.
 *
 * A hard error (protocol or port unreachable, ...) while connecting ends
 * the attempt at once with the errno Linux TCP reports; later ones are
 * remembered as soft errors.
 */
int xtcp_v4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	int type = icmp_hdr(skb)->type, code = icmp_hdr(skb)->code;
	struct net *net = dev_net(skb->dev);
	struct xtcp_sock *xs;
	const u8 *th;
	struct sock *sk;
	bool fatal;
	int err;
	u32 seq;

	th = skb->data + iph->ihl * 4;
	sk = xtcp_lookup(net, iph->daddr, *(__be16 *)(th + 2), iph->saddr,
			 *(__be16 *)th);
	if (!sk)
		return -ENOENT;

	seq = xtcp_get_be32(th + 4);
	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code == ICMP_FRAG_NEEDED) {
			frag_needed(sk, skb, seq, info);
			goto out;
		}
		if (code > NR_ICMP_UNREACH)
			goto out;
		err = icmp_err_convert[code].errno;
		fatal = icmp_err_convert[code].fatal;
		break;
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		fatal = false;
		break;
	default:
		goto out;
	}

	xs = xtcp_sk(sk);
	bh_lock_sock(sk);
	if (sk->sk_state == TCP_SYN_SENT && fatal && !sock_owned_by_user(sk) &&
	    seq == xs->tcb.snd_una) {
		xtcp_inc(net, XTCP_MIB_ATTEMPTFAILS);
		xtcp_reset(sk, err);
	} else if (sk->sk_state != TCP_LISTEN) {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
	bh_unlock_sock(sk);
out:
	sock_put(sk);
	return 0;
}
