// SPDX-License-Identifier: GPL-2.0
/*
 * Per-connection snapshots (struct xtcp_conn_info), and TCP_INFO, which
 * fills Linux's struct tcp_info from one.  /proc/net/xtcp_tcp and the
 * netlink connection dump read the same snapshot, so every interface
 * reports a connection alike.
 */
#include <linux/jiffies.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/tcp_states.h>

#include "xtcp.h"

/* Linux's tp->reordering default: xtcp, too, waits for three dupacks. */
#define XTCP_REORDERING		3

/* Milliseconds until @t fires, 0 if it is due (not negative, as Linux). */
static u32 timer_ms(const struct timer_list *t)
{
	long delta = (long)(READ_ONCE(t->expires) - jiffies);

	return delta > 0 ? jiffies_to_msecs(delta) : 0;
}

/*
 * The timer /proc/net/tcp would show: retransmission or probe first (the
 * one timer does both), then the 2MSL/FIN_WAIT2 wait, then keepalive.
 */
static void pending_timer(const struct sock *sk, struct xtcp_conn_info *ci)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	if (timer_pending(&xs->rtx_timer)) {
		ci->timer = ci->snd_una == ci->snd_nxt ? XTCP_TIMER_PROBE :
							 XTCP_TIMER_RTX;
		ci->timer_ms = timer_ms(&xs->rtx_timer);
	} else if (timer_pending(&xs->wait_timer)) {
		ci->timer = XTCP_TIMER_WAIT;
		ci->timer_ms = timer_ms(&xs->wait_timer);
	} else if (timer_pending(&xs->ka_timer)) {
		ci->timer = XTCP_TIMER_KEEPALIVE;
		ci->timer_ms = timer_ms(&xs->ka_timer);
	} else {
		ci->timer = XTCP_TIMER_NONE;
		ci->timer_ms = 0;
	}
}

/* Everything that is one word each: safe to read without the lock. */
static void fill_words(struct sock *sk, struct xtcp_conn_info *ci)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	const struct inet_sock *inet = inet_sk(sk);
	const struct xtcp_tcb *tcb = &xs->tcb;
	u32 mss = max_t(u32, xtcp_send_mss(xs), 1);

	memset(ci, 0, sizeof(*ci));
	ci->saddr = READ_ONCE(inet->inet_rcv_saddr);
	ci->daddr = READ_ONCE(inet->inet_daddr);
	ci->sport = ntohs(READ_ONCE(inet->inet_sport));
	ci->dport = ntohs(READ_ONCE(inet->inet_dport));
	ci->state = READ_ONCE(sk->sk_state);
	ci->uid = sock_i_uid(sk);
	ci->ino = sock_i_ino(sk);
	ci->refcnt = refcount_read(&sk->sk_refcnt);

	if (ci->state == TCP_LISTEN) {
		ci->ack_backlog = READ_ONCE(sk->sk_ack_backlog);
		ci->max_ack_backlog = READ_ONCE(sk->sk_max_ack_backlog);
		ci->rx_queue = ci->ack_backlog;
		ci->snd_mss = mss;
		ci->advmss = xs->mss_cache;
		ci->rto_us = xtcp_rto_timeout(&xs->rto);
		return;
	}

	ci->snd_una = READ_ONCE(tcb->snd_una);
	ci->snd_nxt = READ_ONCE(tcb->snd_nxt);
	ci->tx_queue = READ_ONCE(xs->write_seq) - ci->snd_una;
	ci->rx_queue = max_t(s32, READ_ONCE(tcb->rcv_nxt) -
				  READ_ONCE(xs->copied_seq), 0);
	ci->notsent_bytes = max_t(s32, READ_ONCE(xs->write_seq) - ci->snd_nxt,
				  0);
	pending_timer(sk, ci);

	ci->ca_state = READ_ONCE(xs->cc.ca_state);
	ci->retransmits = xs->retransmits;
	ci->probes = xs->probes_out;
	ci->backoff = xs->rto.backoff;
	if (tcb->ts_ok)
		ci->options |= TCPI_OPT_TIMESTAMPS;
	if (tcb->sack_ok)
		ci->options |= TCPI_OPT_SACK;
	if (tcb->wscale_ok) {
		ci->options |= TCPI_OPT_WSCALE;
		ci->snd_wscale = tcb->snd_wscale;
		ci->rcv_wscale = tcb->rcv_wscale;
	}

	ci->snd_ssthresh = READ_ONCE(xs->cc.ssthresh);
	ci->snd_cwnd = READ_ONCE(xs->cc.cwnd);

	ci->srtt_us = xs->rto.srtt_us;
	ci->rttvar_us = xs->rto.rttvar_us;
	ci->rto_us = xtcp_rto_timeout(&xs->rto);
	if (xtcp_state_synchronized(ci->state))
		ci->ato_us = jiffies_to_usecs(XTCP_DELACK);
	ci->snd_mss = mss;
	ci->rcv_mss = xs->rcv_mss;
	/* Linux's advmss, too, leaves room for the timestamp option. */
	ci->advmss = xtcp_adv_mss(xs);
	ci->pmtu = xs->mss_cache + sizeof(struct iphdr) + XTCP_HDR_LEN;
	ci->reordering = XTCP_REORDERING;
	/* Without the lock: segments by sequence numbers, as Linux's
	 * packets_out would be with full-sized segments.
	 */
	ci->unacked = DIV_ROUND_UP(ci->snd_nxt - ci->snd_una, mss);

	ci->total_retrans = xs->total_retrans;
	ci->bytes_sent = xs->bytes_sent;
	ci->bytes_acked = xs->bytes_acked;
	ci->bytes_received = xs->bytes_received;
	ci->segs_in = xs->segs_in;
	ci->segs_out = xs->segs_out;
	ci->snd_wnd = READ_ONCE(tcb->snd_wnd);
	ci->rcv_wnd = xtcp_tcb_rcv_wnd(tcb);
	ci->rcv_space = xtcp_rcv_space(sk);
	ci->last_recv_ms = jiffies_to_msecs(jiffies -
					    READ_ONCE(xs->rcv_tstamp));
}

/*
 * The write queue's segments in flight: unacked (sent, not cumulatively
 * acked), sacked, retransmitted and still out, and lost - in Loss every
 * segment the peer does not hold (as Linux after a timeout), in recovery
 * every one below SACKed data or at the head (xtcp_retransmit_hole()'s
 * rule).  Needs the socket lock: the queue changes under it.
 */
static void count_segments(struct sock *sk, struct xtcp_conn_info *ci)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 high = xs->tcb.snd_una;
	struct sk_buff *skb;
	u32 below = 0;

	ci->unacked = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if ((s32)(cb->seq - xs->tcb.snd_nxt) >= 0)
			break;
		ci->unacked++;
		if (cb->sacked) {
			ci->sacked++;
			high = cb->end_seq;
			ci->lost += below;
			below = 0;
			continue;
		}
		if (cb->retransmitted)
			ci->retrans++;
		if (ci->ca_state == TCP_CA_Loss)
			ci->lost++;
		else if (ci->ca_state == TCP_CA_Recovery)
			below++;
	}
	/* NewReno without SACK: the head is presumed lost. */
	if (ci->ca_state == TCP_CA_Recovery && high == xs->tcb.snd_una &&
	    ci->unacked)
		ci->lost = 1;
}

/**
 * xtcp_conn_info - snapshot one connection.
 * @sk: an xtcp socket in any state; the caller holds a reference.
 * @ci: filled.
 *
 * The caller holds the socket lock (lock_sock(), or bh_lock_sock() while
 * !sock_owned_by_user()), so the snapshot is consistent.  Does not sleep.
 */
void xtcp_conn_info(struct sock *sk, struct xtcp_conn_info *ci)
{
	fill_words(sk, ci);
	if (ci->state != TCP_LISTEN)
		count_segments(sk, ci);
}

/**
 * xtcp_conn_info_nolock - snapshot one connection without its lock.
 * @sk: an xtcp socket that stays allocated (reference, or listed while
 *	the socket list's lock is held).
 * @ci: filled.
 *
 * For walks that cannot take socket locks (/proc/net/xtcp_tcp under the
 * socket list's spinlock).  Every field is read once, so a connection
 * that moves meanwhile shows a mix of before and after, as Linux's
 * /proc/net/tcp does; unacked is derived from sequence numbers and
 * sacked, lost, retrans stay 0 (the write queue is not walked).
 */
void xtcp_conn_info_nolock(struct sock *sk, struct xtcp_conn_info *ci)
{
	fill_words(sk, ci);
}

/* TCP_INFO: Linux's struct tcp_info, with every field xtcp has. */
static void fill_tcp_info(const struct xtcp_conn_info *ci,
			  struct tcp_info *info)
{
	memset(info, 0, sizeof(*info));
	info->tcpi_state = ci->state;
	if (ci->state == TCP_LISTEN) {
		/* As Linux: the accept queue and its limit. */
		info->tcpi_unacked = ci->ack_backlog;
		info->tcpi_sacked = ci->max_ack_backlog;
		return;
	}
	info->tcpi_ca_state = ci->ca_state;
	info->tcpi_retransmits = ci->retransmits;
	info->tcpi_probes = ci->probes;
	info->tcpi_backoff = ci->backoff;
	info->tcpi_options = ci->options;
	info->tcpi_snd_wscale = ci->snd_wscale;
	info->tcpi_rcv_wscale = ci->rcv_wscale;
	info->tcpi_rto = ci->rto_us;
	info->tcpi_ato = ci->ato_us;
	info->tcpi_snd_mss = ci->snd_mss;
	info->tcpi_rcv_mss = ci->rcv_mss;
	info->tcpi_unacked = ci->unacked;
	info->tcpi_sacked = ci->sacked;
	info->tcpi_lost = ci->lost;
	info->tcpi_retrans = ci->retrans;
	info->tcpi_last_data_recv = ci->last_recv_ms;
	info->tcpi_last_ack_recv = ci->last_recv_ms;
	info->tcpi_pmtu = ci->pmtu;
	info->tcpi_rtt = ci->srtt_us;
	info->tcpi_rttvar = ci->rttvar_us;
	info->tcpi_snd_ssthresh = ci->snd_ssthresh;
	info->tcpi_snd_cwnd = ci->snd_cwnd;
	info->tcpi_advmss = ci->advmss;
	info->tcpi_reordering = ci->reordering;
	info->tcpi_rcv_space = ci->rcv_space;
	info->tcpi_total_retrans = ci->total_retrans;
	info->tcpi_bytes_acked = ci->bytes_acked;
	info->tcpi_bytes_received = ci->bytes_received;
	info->tcpi_segs_out = ci->segs_out;
	info->tcpi_segs_in = ci->segs_in;
	info->tcpi_notsent_bytes = ci->notsent_bytes;
	info->tcpi_bytes_sent = ci->bytes_sent;
	info->tcpi_snd_wnd = ci->snd_wnd;
}

/* getsockopt(IPPROTO_TCP, TCP_INFO): at most sizeof(struct tcp_info). */
int xtcp_get_info(struct sock *sk, char __user *optval, int __user *optlen)
{
	struct xtcp_conn_info ci;
	struct tcp_info info;
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(unsigned int, len, sizeof(info));
	lock_sock(sk);
	xtcp_conn_info(sk, &ci);
	release_sock(sk);
	fill_tcp_info(&ci, &info);
	if (put_user(len, optlen) || copy_to_user(optval, &info, len))
		return -EFAULT;
	return 0;
}
