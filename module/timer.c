// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: the retransmission timer (SYN, SYN,ACK, data, FIN, zero-window
 * probes) and the wait timer (TIME_WAIT's 2MSL, an orphan's FIN_WAIT2
 * timeout).  A pending timer holds a socket reference.  A timer that
 * finds the socket owned by its user comes back a little later, as
 * Linux's keepalive timer does.
 */
#include <linux/jiffies.h>
#include <net/tcp_states.h>

#include "xtcp.h"

#define XTCP_DEFER	(HZ / 50)

unsigned long xtcp_tw_delay(const struct sock *sk)
{
	return READ_ONCE(xtcp_pernet(sock_net(sk))->tw_timeout) * HZ;
}

static unsigned long rto_jiffies(const struct sock *sk)
{
	return usecs_to_jiffies(xtcp_rto_timeout(&xtcp_sk(sk)->rto));
}

/* Arm the retransmission timer unless it already runs. */
void xtcp_arm_rtx(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!timer_pending(&xs->rtx_timer))
		sk_reset_timer(sk, &xs->rtx_timer, jiffies + rto_jiffies(sk));
}

/* After an ACK that moved snd_una: restart, or stop when all is acked. */
void xtcp_rearm_rtx(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->tcb.snd_una == xs->tcb.snd_nxt && !xs->send_head)
		sk_stop_timer(sk, &xs->rtx_timer);
	else
		sk_reset_timer(sk, &xs->rtx_timer, jiffies + rto_jiffies(sk));
}

void xtcp_arm_wait(struct sock *sk, unsigned long delay)
{
	sk_reset_timer(sk, &xtcp_sk(sk)->wait_timer, jiffies + delay);
}

static int retry_limit(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_net *xn = xtcp_pernet(sock_net(sk));

	if (sk->sk_state == TCP_SYN_SENT)
		return xs->syn_retries ? : READ_ONCE(xn->syn_retries);
	if (sk->sk_state == TCP_SYN_RECV && xs->tcb.passive)
		return READ_ONCE(xn->synack_retries);
	return READ_ONCE(xn->retries2);
}

static void rtx_expired(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_TIME_WAIT))
		return;
	if (skb_queue_empty(&sk->sk_write_queue))
		return;

	if (xs->tcb.snd_una == xs->tcb.snd_nxt) {
		/* Nothing in flight: a closed window, or sending failed (no
		 * route).  Probes go on while the peer answers them; as many
		 * unanswered as retries allow end the connection, as Linux's
		 * probe timer does.
		 */
		if (xs->probes_out >= retry_limit(sk)) {
			xtcp_reset(sk, ETIMEDOUT);
			return;
		}
		xs->probes_out++;
		xtcp_retransmit_head(sk);
		xtcp_rto_backoff(&xs->rto);
		xtcp_arm_rtx(sk);
		return;
	}

	if (xs->retransmits >= retry_limit(sk)) {
		if (sk->sk_state == TCP_SYN_SENT)
			xtcp_inc(sock_net(sk), XTCP_MIB_ATTEMPTFAILS);
		xtcp_reset(sk, ETIMEDOUT);
		return;
	}
	if (!xs->retransmits) {
		struct sk_buff *head = skb_peek(&sk->sk_write_queue);

		xs->rtx_start_us = XTCP_SKB_CB(head)->sent_us;
	}
	/* TCP_USER_TIMEOUT: how long data may stay unacknowledged. */
	if (xs->user_timeout && sk->sk_state != TCP_SYN_SENT &&
	    xtcp_clock_us() - xs->rtx_start_us >= (u64)xs->user_timeout * 1000) {
		xtcp_reset(sk, ETIMEDOUT);
		return;
	}
	xtcp_inc(sock_net(sk), XTCP_MIB_RTOTIMEOUTS);
	/*
	 * Eifel (RFC 3522): a timeout that starts a loss episode keeps the
	 * TSval of its first retransmission; one inside a recovery or an
	 * earlier timeout's episode keeps that episode's.
	 */
	if (!xs->retransmits && xs->cc.ca_state != XTCP_CA_RECOVERY &&
	    xs->cc.ca_state != XTCP_CA_LOSS)
		xs->retrans_tsval = xtcp_ts_now(xs);
	xs->retransmits++;
	xtcp_cong_event(sk, XTCP_CONG_RTO, 0, 0);
	xtcp_tcb_on_rto(&xs->tcb);
	xtcp_rto_backoff(&xs->rto);
	xtcp_retransmit_head(sk);
	xtcp_arm_rtx(sk);
}

/*
 * Every timer runs the same way: under the socket's spinlock, or again a
 * little later if the user owns the socket; then it drops the reference
 * its pending timer held.
 */
static void timer_run(struct sock *sk, struct timer_list *t,
		      void (*expired)(struct sock *sk))
{
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, t, jiffies + XTCP_DEFER);
	else
		expired(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void rtx_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, rtx_timer);

	timer_run(&xs->inet.sk, t, rtx_expired);
}

static void wait_expired(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_TIME_WAIT | TCPF_FIN_WAIT2))
		xtcp_done(sk);
}

static void wait_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, wait_timer);

	timer_run(&xs->inet.sk, t, wait_expired);
}

/* End a TIME_WAIT that used timestamps, for a new incarnation. */
bool xtcp_tw_recycle(struct sock *sk)
{
	bool done = false;

	local_bh_disable();
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk) && sk->sk_state == TCP_TIME_WAIT &&
	    xtcp_sk(sk)->tcb.ts_ok) {
		xtcp_done(sk);
		done = true;
	}
	bh_unlock_sock(sk);
	local_bh_enable();
	return done;
}

int xtcp_keepalive_time(const struct sock *sk)
{
	return xtcp_sk(sk)->keepidle ? :
	       READ_ONCE(xtcp_pernet(sock_net(sk))->keepalive_time);
}

int xtcp_keepalive_intvl(const struct sock *sk)
{
	return xtcp_sk(sk)->keepintvl ? :
	       READ_ONCE(xtcp_pernet(sock_net(sk))->keepalive_intvl);
}

int xtcp_keepalive_probes(const struct sock *sk)
{
	return xtcp_sk(sk)->keepcnt ? :
	       READ_ONCE(xtcp_pernet(sock_net(sk))->keepalive_probes);
}

/* (Re)start the idle count: a keepalive is due keepalive_time from now. */
void xtcp_arm_keepalive(struct sock *sk)
{
	if (sock_flag(sk, SOCK_KEEPOPEN) &&
	    ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		sk_reset_timer(sk, &xtcp_sk(sk)->ka_timer,
			       jiffies + xtcp_keepalive_time(sk) * HZ);
}

/* SO_KEEPALIVE (through sk_prot->keepalive): start or stop probing. */
void xtcp_keepalive(struct sock *sk, int on)
{
	if (on)
		xtcp_arm_keepalive(sk);
	else
		sk_stop_timer(sk, &xtcp_sk(sk)->ka_timer);
}

/*
 * RFC 1122 4.2.3.6: after keepalive_time without a segment from the peer,
 * probe every keepalive_intvl; keepalive_probes unanswered probes (or
 * TCP_USER_TIMEOUT, if set) end the connection with ETIMEDOUT.
 */
static void ka_expired(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long idle = jiffies - READ_ONCE(xs->rcv_tstamp);
	unsigned long next;

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    !((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		return;
	/* Data in flight: the retransmission timer watches the peer. */
	if (xs->tcb.snd_una != xs->tcb.snd_nxt || xs->send_head) {
		sk_reset_timer(sk, &xs->ka_timer,
			       jiffies + xtcp_keepalive_time(sk) * HZ);
		return;
	}
	if (idle < (unsigned long)xtcp_keepalive_time(sk) * HZ) {
		next = xtcp_keepalive_time(sk) * HZ - idle;
	} else {
		if ((xs->user_timeout && xs->ka_probes &&
		     idle >= msecs_to_jiffies(xs->user_timeout)) ||
		    (!xs->user_timeout &&
		     xs->ka_probes >= xtcp_keepalive_probes(sk))) {
			xtcp_reset(sk, ETIMEDOUT);
			return;
		}
		xtcp_send_probe(sk);
		xs->ka_probes++;
		xtcp_inc(sock_net(sk), XTCP_MIB_KEEPALIVEPROBES);
		next = xtcp_keepalive_intvl(sk) * HZ;
	}
	sk_reset_timer(sk, &xs->ka_timer, jiffies + next);
}

static void ka_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, ka_timer);

	timer_run(&xs->inet.sk, t, ka_expired);
}

/* The delayed ACK is due, unless a segment carried it meanwhile. */
static void dack_expired(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->rcv_wup != xs->tcb.rcv_nxt &&
	    xtcp_state_synchronized(sk->sk_state)) {
		xtcp_send_ack(sk);
		xtcp_inc(sock_net(sk), XTCP_MIB_DELAYEDACKS);
	}
}

static void dack_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, dack_timer);

	timer_run(&xs->inet.sk, t, dack_expired);
}

void xtcp_init_timers(struct sock *sk)
{
	timer_setup(&xtcp_sk(sk)->dack_timer, dack_timer_fn, 0);
	timer_setup(&xtcp_sk(sk)->rtx_timer, rtx_timer_fn, 0);
	timer_setup(&xtcp_sk(sk)->wait_timer, wait_timer_fn, 0);
	timer_setup(&xtcp_sk(sk)->ka_timer, ka_timer_fn, 0);
}

void xtcp_clear_timers(struct sock *sk)
{
	sk_stop_timer(sk, &xtcp_sk(sk)->dack_timer);
	sk_stop_timer(sk, &xtcp_sk(sk)->rtx_timer);
	sk_stop_timer(sk, &xtcp_sk(sk)->wait_timer);
	sk_stop_timer(sk, &xtcp_sk(sk)->ka_timer);
}
