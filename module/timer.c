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
	xtcp_inc(sock_net(sk), XTCP_MIB_RTOTIMEOUTS);
	xs->retransmits++;
	xtcp_rto_backoff(&xs->rto);
	xtcp_retransmit_head(sk);
	xtcp_arm_rtx(sk);
}

static void rtx_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, rtx_timer);
	struct sock *sk = &xs->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &xs->rtx_timer, jiffies + XTCP_DEFER);
	else
		rtx_expired(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void wait_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, wait_timer);
	struct sock *sk = &xs->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &xs->wait_timer, jiffies + XTCP_DEFER);
	else if ((1 << sk->sk_state) & (TCPF_TIME_WAIT | TCPF_FIN_WAIT2))
		xtcp_done(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
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

void xtcp_init_timers(struct sock *sk)
{
	timer_setup(&xtcp_sk(sk)->rtx_timer, rtx_timer_fn, 0);
	timer_setup(&xtcp_sk(sk)->wait_timer, wait_timer_fn, 0);
}

void xtcp_clear_timers(struct sock *sk)
{
	sk_stop_timer(sk, &xtcp_sk(sk)->rtx_timer);
	sk_stop_timer(sk, &xtcp_sk(sk)->wait_timer);
}
