// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion control, kernel side: the registry of algorithms by name
 * (the built-in ones and those other modules register, as Linux's
 * tcp_register_congestion_control() allows), the choice per namespace and
 * per socket, and the calls from the send and receive paths into the
 * portable framework (core/cc.c), with the xtcp_cong_state tracepoint on
 * every change of cwnd, ssthresh or the congestion state.
 *
 * Every socket holds a reference on the module of its algorithm, so an
 * algorithm module unloads only while no socket uses it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "xtcp.h"
#include "trace.h"
#include "core/seq.h"

/* Protects cc_list and every namespace's default name; taken in softirq. */
static DEFINE_SPINLOCK(cc_lock);
static LIST_HEAD(cc_list);

static struct xtcp_cc_ops *cc_find(const char *name)
{
	struct xtcp_cc_ops *ops;

	list_for_each_entry(ops, &cc_list, list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/**
 * xtcp_register_cc - make an algorithm available by its name.
 * @ops: the algorithm; @ops->owner is the module providing it
 *
 * Return: 0, -EINVAL if a required operation or the name is missing,
 * -EEXIST if the name is taken.
 */
int xtcp_register_cc(struct xtcp_cc_ops *ops)
{
	int err = 0;

	if (!ops->ssthresh || !ops->cong_avoid || !ops->name[0] ||
	    strnlen(ops->name, XTCP_CC_NAME_MAX) == XTCP_CC_NAME_MAX)
		return -EINVAL;
	spin_lock_bh(&cc_lock);
	if (cc_find(ops->name))
		err = -EEXIST;
	else
		list_add_tail(&ops->list, &cc_list);
	spin_unlock_bh(&cc_lock);
	return err;
}
EXPORT_SYMBOL_GPL(xtcp_register_cc);

/**
 * xtcp_unregister_cc - withdraw an algorithm.
 * @ops: an algorithm registered before
 *
 * Sockets using it hold its module, so none can be left when its module
 * exit calls this.
 */
void xtcp_unregister_cc(struct xtcp_cc_ops *ops)
{
	spin_lock_bh(&cc_lock);
	list_del(&ops->list);
	spin_unlock_bh(&cc_lock);
}
EXPORT_SYMBOL_GPL(xtcp_unregister_cc);

/* The algorithm named @name with a reference on its module, or NULL. */
static const struct xtcp_cc_ops *cc_get(const char *name)
{
	struct xtcp_cc_ops *ops;

	spin_lock_bh(&cc_lock);
	ops = cc_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	spin_unlock_bh(&cc_lock);
	return ops;
}

static void cc_put(const struct xtcp_cc_ops *ops)
{
	module_put(ops->owner);
}

int xtcp_cc_register_builtin(void)
{
	struct xtcp_cc_ops *builtin[] = {
		&xtcp_cc_reno, &xtcp_cc_newreno, &xtcp_cc_cubic,
	};
	int i, err;

	for (i = 0; i < ARRAY_SIZE(builtin); i++) {
		/* Part of xtcp.ko: every socket holds xtcp.ko already. */
		builtin[i]->owner = NULL;
		err = xtcp_register_cc(builtin[i]);
		if (err) {
			while (--i >= 0)
				xtcp_unregister_cc(builtin[i]);
			return err;
		}
	}
	return 0;
}

void xtcp_cc_unregister_builtin(void)
{
	xtcp_unregister_cc(&xtcp_cc_cubic);
	xtcp_unregister_cc(&xtcp_cc_newreno);
	xtcp_unregister_cc(&xtcp_cc_reno);
}

/* net.xtcp.congestion_control: the default of new sockets. */
void xtcp_cc_default_name(struct xtcp_net *xn, char *name)
{
	spin_lock_bh(&cc_lock);
	strscpy(name, xn->cc_name, XTCP_CC_NAME_MAX);
	spin_unlock_bh(&cc_lock);
}

int xtcp_cc_set_default(struct xtcp_net *xn, const char *name)
{
	int err = -ENOENT;

	spin_lock_bh(&cc_lock);
	if (cc_find(name)) {
		strscpy(xn->cc_name, name, sizeof(xn->cc_name));
		err = 0;
	}
	spin_unlock_bh(&cc_lock);
	return err;
}

/* net.xtcp.available_congestion_control: the names, space-separated. */
void xtcp_cc_available(char *buf, size_t len)
{
	struct xtcp_cc_ops *ops;
	size_t off = 0;

	buf[0] = '\0';
	spin_lock_bh(&cc_lock);
	list_for_each_entry(ops, &cc_list, list)
		off += scnprintf(buf + off, len - off, "%s%s", off ? " " : "",
				 ops->name);
	spin_unlock_bh(&cc_lock);
}

/* Report a change of the window or the state to the tracepoint. */
static void cc_changed(struct sock *sk, u32 cwnd, u32 ssthresh, u8 state)
{
	const struct xtcp_cc *cc = &xtcp_sk(sk)->cc;

	if (cc->cwnd != cwnd || cc->ssthresh != ssthresh ||
	    cc->ca_state != state)
		trace_xtcp_cong_state(sk, cc->cwnd, cc->ssthresh, cc->ca_state);
}

/* A new socket takes its namespace's default (cubic if that is gone). */
void xtcp_cc_sock_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	char name[XTCP_CC_NAME_MAX];
	const struct xtcp_cc_ops *ops;

	xtcp_cc_default_name(xtcp_pernet(sock_net(sk)), name);
	ops = cc_get(name);
	xtcp_cc_init(&xs->cc, ops ? : &xtcp_cc_cubic);
}

/*
 * A child of a listener takes the listener's algorithm if the listener
 * chose it with TCP_CONGESTION, else keeps the namespace default it was
 * created with, as Linux's tcp_ca_openreq_child() does.
 */
void xtcp_cc_inherit(struct sock *child, const struct sock *parent)
{
	const struct xtcp_cc_ops *ops = xtcp_sk(parent)->cc.ops;
	struct xtcp_cc *cc = &xtcp_sk(child)->cc;

	if (!xtcp_sk(parent)->cc_chosen)
		return;
	xtcp_sk(child)->cc_chosen = true;
	if (cc->ops == ops || !try_module_get(ops->owner))
		return;
	xtcp_cc_sock_release(child);
	xtcp_cc_init(cc, ops);
}

void xtcp_cc_sock_release(struct sock *sk)
{
	struct xtcp_cc *cc = &xtcp_sk(sk)->cc;
	const struct xtcp_cc_ops *ops = cc->ops;

	if (!ops)
		return;
	xtcp_cc_release(cc);
	cc->ops = NULL;
	cc_put(ops);
}

/* TCP_CONGESTION: another algorithm for this socket; cwnd stays. */
int xtcp_cc_set(struct sock *sk, const char *name)
{
	struct xtcp_cc *cc = &xtcp_sk(sk)->cc;
	const struct xtcp_cc_ops *ops, *old = cc->ops;

	ops = cc_get(name);
	if (!ops)
		return -ENOENT;
	xtcp_sk(sk)->cc_chosen = true;
	if (ops == old) {
		cc_put(ops);
		return 0;
	}
	xtcp_cc_switch(cc, ops);
	cc_put(old);
	return 0;
}

/* Segments in flight: sent, not acknowledged, not SACKed (RFC 6675 pipe,
 * counting a hole as in flight until it is acknowledged).
 */
u32 xtcp_in_flight(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	u32 n = 0;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == xs->send_head)
			break;
		if (!XTCP_SKB_CB(skb)->sacked)
			n++;
	}
	return n;
}

/* RFC 5681's FlightSize in segments: sent and not yet acknowledged. */
static u32 flight_size(struct sock *sk)
{
	u32 nxt = xtcp_sk(sk)->tcb.snd_nxt, n = 0;
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (!seq_lt(XTCP_SKB_CB(skb)->seq, nxt))
			break;
		n++;
	}
	return n;
}

/* The framework's inputs, from the connection as it is now. */
static void cc_inputs(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_cc *cc = &xs->cc;

	cc->now_us = xtcp_clock_us();
	cc->mss = xtcp_send_mss(xs);
	cc->srtt_us = xs->rto.srtt_us;
	cc->min_rtt_us = xs->min_rtt_us;
	cc->snd_una = xs->tcb.snd_una;
	cc->snd_nxt = xs->tcb.snd_nxt;
	cc->in_flight = flight_size(sk);
}

/**
 * xtcp_cong_event - tell congestion control what an ACK or a timer did.
 * @sk: the sender, locked
 * @ev: what happened (enum xtcp_cong_ev)
 * @acked: segments newly acknowledged
 * @rtt_us: an RTT sample from this ACK, 0 if none
 */
void xtcp_cong_event(struct sock *sk, int ev, u32 acked, u32 rtt_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_cc *cc = &xs->cc;
	u32 cwnd = cc->cwnd, ssthresh = cc->ssthresh;
	u8 state = cc->ca_state;

	cc_inputs(sk);
	switch (ev) {
	case XTCP_CONG_ACK:
		/* After a timeout: back to open once everything sent before
		 * it is acknowledged.
		 */
		if (cc->ca_state == XTCP_CA_LOSS &&
		    !seq_lt(xs->tcb.snd_una, xs->tcb.recover))
			xtcp_cc_set_state(cc, XTCP_CA_OPEN);
		xtcp_cc_on_ack(cc, acked, rtt_us, xs->cwnd_limited);
		break;
	case XTCP_CONG_RECOVERY_ENTER:
		xtcp_cc_enter_recovery(cc);
		break;
	case XTCP_CONG_RECOVERY_ACK:
		if (acked)
			xtcp_cc_partial_ack(cc, acked);
		break;
	case XTCP_CONG_RECOVERY_EXIT:
		xtcp_cc_exit_recovery(cc);
		break;
	case XTCP_CONG_RTO:
		xtcp_cc_on_rto(cc);
		break;
	case XTCP_CONG_UNDO:
		xtcp_cc_undo(cc);
		/* The window given back is not in use yet: the ACK that
		 * undoes does not grow it (the flag came from sends under the
		 * cut window); the next push decides again, as Linux.
		 */
		xs->cwnd_limited = false;
		break;
	}
	cc_changed(sk, cwnd, ssthresh, state);
}

/*
 * Sending new data with nothing in flight: after an idle time longer
 * than the RTO the window restarts (RFC 7661 / RFC 5681 4.1).
 */
void xtcp_cong_tx_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_cc *cc = &xs->cc;
	u32 cwnd = cc->cwnd, ssthresh = cc->ssthresh;
	u8 state = cc->ca_state;
	u64 idle;

	if (!xs->lsnd_us)
		return;
	cc_inputs(sk);
	idle = cc->now_us - xs->lsnd_us;
	xtcp_cc_after_idle(cc, idle > U32_MAX ? U32_MAX : (u32)idle,
			   xtcp_rto_timeout(&xs->rto));
	cc_changed(sk, cwnd, ssthresh, state);
}
