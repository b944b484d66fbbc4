// SPDX-License-Identifier: GPL-2.0
/*
 * Passive open.  A listener answers a SYN by creating a full child socket
 * in SYN_RECV, entered in the connection table and on the listener's SYN
 * queue; the ACK that completes the handshake moves it to the accept
 * queue, where accept() takes it.  Each child holds a reference to its
 * listener while it sits on one of the queues.
 */
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp_states.h>

#include "xtcp.h"

int xtcp_listen_start(struct sock *sk, int backlog)
{
	int err;

	WRITE_ONCE(sk->sk_max_ack_backlog,
		   min_t(int, backlog, READ_ONCE(sock_net(sk)->core.sysctl_somaxconn)));
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	if (!sk->sk_num) {
		err = xtcp_bind_port(sk, 0);
		if (err)
			return -EADDRINUSE;
	}
	xtcp_set_state(sk, TCP_LISTEN);
	err = xtcp_listen_hash(sk);
	if (err) {
		xtcp_set_state(sk, TCP_CLOSE);
		return err;
	}
	return 0;
}

/* Take @child off its listener's queues; true if the caller now owns it. */
static bool child_unlink(struct sock *child)
{
	struct xtcp_sock *cxs = xtcp_sk(child);
	struct sock *parent = cxs->parent;
	struct xtcp_sock *pxs;
	bool owned = false;

	if (!parent)
		return false;
	pxs = xtcp_sk(parent);
	spin_lock_bh(&pxs->queue_lock);
	if (cxs->child_queue != XTCP_CHILD_NONE) {
		list_del_init(&cxs->child_node);
		if (cxs->child_queue == XTCP_CHILD_SYN)
			pxs->syn_qlen--;
		else
			sk_acceptq_removed(parent);
		cxs->child_queue = XTCP_CHILD_NONE;
		cxs->parent = NULL;
		owned = true;
	}
	spin_unlock_bh(&pxs->queue_lock);
	if (owned)
		sock_put(parent);
	return owned;
}

/*
 * xtcp_child_forget - a child whose handshake failed leaves its listener.
 *
 * Called with the child locked and in CLOSE; destroys it unless the
 * listener is stopping and will.
 */
void xtcp_child_forget(struct sock *child)
{
	if (!child_unlink(child))
		return;
	sock_set_flag(child, SOCK_DEAD);
	xtcp_destroy(child);
}

/* The handshake completed: from the SYN queue to the accept queue. */
void xtcp_child_connected(struct sock *child)
{
	struct xtcp_sock *cxs = xtcp_sk(child);
	struct sock *parent = cxs->parent;
	struct xtcp_sock *pxs;
	bool moved = false;

	if (!parent)
		return;
	pxs = xtcp_sk(parent);
	spin_lock_bh(&pxs->queue_lock);
	if (cxs->child_queue == XTCP_CHILD_SYN) {
		list_move_tail(&cxs->child_node, &pxs->accept_queue);
		pxs->syn_qlen--;
		sk_acceptq_added(parent);
		cxs->child_queue = XTCP_CHILD_ACCEPT;
		moved = true;
	}
	spin_unlock_bh(&pxs->queue_lock);
	if (moved) {
		xtcp_inc(sock_net(child), XTCP_MIB_PASSIVEOPENS);
		parent->sk_data_ready(parent);
	}
}

/* Settings a child takes from its listener, as accept()ed TCP sockets do. */
static void child_inherit(struct sock *child, const struct sock *sk)
{
	struct xtcp_sock *cxs = xtcp_sk(child);
	const struct xtcp_sock *xs = xtcp_sk(sk);

	child->sk_protocol = xtcp_ipproto;
	child->sk_reuse = sk->sk_reuse;
	child->sk_bound_dev_if = sk->sk_bound_dev_if;
	child->sk_mark = READ_ONCE(sk->sk_mark);
	child->sk_priority = READ_ONCE(sk->sk_priority);
	child->sk_uid = sk->sk_uid;
	child->sk_userlocks = sk->sk_userlocks & (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK);
	child->sk_rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	child->sk_sndbuf = READ_ONCE(sk->sk_sndbuf);
	child->sk_rcvlowat = READ_ONCE(sk->sk_rcvlowat);
	child->sk_rcvtimeo = READ_ONCE(sk->sk_rcvtimeo);
	child->sk_sndtimeo = READ_ONCE(sk->sk_sndtimeo);
	child->sk_lingertime = READ_ONCE(sk->sk_lingertime);
	if (sock_flag(sk, SOCK_LINGER))
		sock_set_flag(child, SOCK_LINGER);
	if (sock_flag(sk, SOCK_KEEPOPEN))
		sock_set_flag(child, SOCK_KEEPOPEN);
	cxs->keepidle = xs->keepidle;
	cxs->keepintvl = xs->keepintvl;
	cxs->keepcnt = xs->keepcnt;
	cxs->user_timeout = xs->user_timeout;
	inet_sk(child)->uc_ttl = inet_sk(sk)->uc_ttl;
	inet_sk(child)->pmtudisc = inet_sk(sk)->pmtudisc;
	cxs->nodelay = xs->nodelay;
	cxs->user_mss = xs->user_mss;
}

/* Undo a child that never got anywhere. */
static void child_drop(struct sock *child)
{
	sock_set_flag(child, SOCK_DEAD);
	xtcp_destroy(child);
}

/*
 * The child of a valid cookie: its SYN,ACK was sent and @ack answers it,
 * so it starts ESTABLISHED with the window @ack offers.
 */
static void cookie_established(struct xtcp_sock *cxs, const struct xtcp_seg *ack,
			       u32 ts_off)
{
	struct xtcp_tcb *tcb = &cxs->tcb;

	tcb->snd_una = tcb->iss + 1;
	tcb->snd_nxt = tcb->iss + 1;
	tcb->snd_wnd = (u32)ack->wnd << tcb->snd_wscale;
	tcb->max_snd_wnd = tcb->snd_wnd;
	tcb->snd_wl1 = ack->seq;
	tcb->snd_wl2 = ack->ack;
	tcb->state = XTCP_ESTABLISHED;
	cxs->write_seq = tcb->iss + 1;
	cxs->ts_off = ts_off;
}

/*
 * Create the child for @syn; called with BHs off, @sk locked.  Without
 * @ack a SYN_RECV child on the SYN queue that sends its SYN,ACK; with
 * @ack (a valid cookie's: @syn is then what the cookie remembers of the
 * SYN) an ESTABLISHED child on the accept queue.
 */
static struct sock *child_create(struct sock *sk, struct sk_buff *skb,
				 const struct xtcp_seg *syn,
				 const struct xtcp_seg *ack, u32 ts_off)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct xtcp_sock *pxs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	struct inet_sock *inet;
	struct xtcp_syn_params p;
	struct xtcp_sock *cxs;
	struct flowi4 *fl4;
	struct sock *child;
	struct rtable *rt;

	child = sk_alloc(net, xtcp_family, GFP_ATOMIC, &xtcp_prot, 0);
	if (!child)
		return NULL;
	sock_init_data(NULL, child);
	xtcp_init_sock(child);
	child_inherit(child, sk);
	xtcp_cc_inherit(child, sk);
	cxs = xtcp_sk(child);

	inet = inet_sk(child);
	inet->inet_rcv_saddr = iph->daddr;
	inet->inet_saddr = iph->daddr;
	inet->inet_daddr = iph->saddr;
	inet->inet_dport = htons(syn->sport);

	fl4 = &inet->cork.fl.u.ip4;
	flowi4_init_output(fl4, child->sk_bound_dev_if, child->sk_mark, 0,
			   RT_SCOPE_UNIVERSE, xtcp_ipproto, 0, iph->saddr,
			   iph->daddr, htons(syn->sport), htons(syn->dport),
			   child->sk_uid);
	rt = ip_route_output_flow(net, fl4, child);
	if (IS_ERR(rt)) {
		child_drop(child);
		return NULL;
	}
	sk_setup_caps(child, &rt->dst);
	cxs->mss_cache = xtcp_route_mss(child, &rt->dst);

	xtcp_bind_inherit(child, sk);
	if (xtcp_hash_connect(child)) {
		/* The 4-tuple is taken: a duplicate SYN raced us. */
		child_drop(child);
		return NULL;
	}

	xtcp_syn_params(child, &p);
	if (ack)
		p.iss = ack->ack - 1;
	xtcp_tcb_accept_syn(&cxs->tcb, &p, syn);
	cxs->ts_off = get_random_u32();
	if (ack) {
		cookie_established(cxs, ack, ts_off);
		/* The window the cookie SYN,ACK offered is ours to honour. */
		xtcp_tcb_syn_window(&cxs->tcb, xtcp_rcv_space(child));
	}
	cxs->copied_seq = cxs->tcb.rcv_nxt;
	cxs->rcv_queued = cxs->tcb.rcv_nxt;
	/* What the (cookie) SYN,ACK acknowledged: the delayed-ACK count
	 * starts here, not at 0.
	 */
	cxs->rcv_wup = cxs->tcb.rcv_nxt;
	xtcp_set_state(child, ack ? TCP_ESTABLISHED : TCP_SYN_RECV);

	bh_lock_sock(child);
	if (ack)
		sock_hold(child);	/* for the caller */
	spin_lock(&pxs->queue_lock);
	sock_hold(sk);
	cxs->parent = sk;
	if (ack) {
		cxs->child_queue = XTCP_CHILD_ACCEPT;
		list_add_tail(&cxs->child_node, &pxs->accept_queue);
		sk_acceptq_added(sk);
	} else {
		cxs->child_queue = XTCP_CHILD_SYN;
		list_add_tail(&cxs->child_node, &pxs->syn_queue);
		pxs->syn_qlen++;
	}
	spin_unlock(&pxs->queue_lock);

	if (ack) {
		xtcp_sndbuf_expand(child);
		xtcp_arm_keepalive(child);
	} else {
		xtcp_queue_syn(child);
		xtcp_push(child);
	}
	bh_unlock_sock(child);
	return child;
}

/*
 * An ACK for the listener: the answer to a cookie SYN,ACK creates the
 * connection; anything else gets a RST, as Linux answers both a stray ACK
 * and one with a wrong cookie (tcp_v4_do_rcv(): cookie_v4_check() hands
 * the listener back and tcp_rcv_state_process() asks for a reset).
 * Return: true if @skb was consumed.
 */
static bool listen_ack(struct sock *sk, struct sk_buff *skb,
		       const struct xtcp_seg *seg)
{
	struct net *net = sock_net(sk);
	struct xtcp_seg syn;
	struct sock *child;
	bool consumed = false;
	u32 ts_off;

	if (xtcp_cookie_check_ack(sk, skb, seg, &syn, &ts_off) <= 0) {
		xtcp_send_reset_reply(net, skb, seg);
		return false;
	}
	if (sk_acceptq_is_full(sk)) {
		xtcp_inc(net, XTCP_MIB_LISTENOVERFLOWS);
		xtcp_inc(net, XTCP_MIB_LISTENDROPS);
		return false;
	}
	local_bh_disable();
	child = child_create(sk, skb, &syn, seg, ts_off);
	if (child) {
		xtcp_inc(net, XTCP_MIB_PASSIVEOPENS);
		/* Data or a FIN on the ACK: the child takes them. */
		if (seg->len || (seg->flags & XTCP_FIN)) {
			bh_lock_sock(child);
			if (!sock_owned_by_user(child))
				xtcp_backlog_rcv(child, skb);
			else if (sk_add_backlog(child, skb, READ_ONCE(child->sk_rcvbuf)))
				kfree_skb(skb);
			bh_unlock_sock(child);
			consumed = true;
		}
		sock_put(child);
	}
	local_bh_enable();
	if (child)
		sk->sk_data_ready(sk);
	else
		xtcp_inc(net, XTCP_MIB_LISTENDROPS);
	return consumed;
}

/*
 * xtcp_listen_rcv - a segment for a listener (RFC 9293 3.10.7.2).
 */
int xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb,
		    const struct xtcp_seg *seg)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool ok, full;

	if (seg->flags & XTCP_RST)
		goto drop;
	if (seg->flags & XTCP_ACK) {
		if (listen_ack(sk, skb, seg))
			return 0;
		goto drop;
	}
	if (!(seg->flags & XTCP_SYN))
		goto drop;

	if (sk_acceptq_is_full(sk)) {
		xtcp_inc(sock_net(sk), XTCP_MIB_LISTENOVERFLOWS);
		xtcp_inc(sock_net(sk), XTCP_MIB_LISTENDROPS);
		goto drop;
	}
	full = READ_ONCE(xs->syn_qlen) >= (u32)READ_ONCE(xn->max_syn_backlog);
	if (xtcp_cookie_wanted(sk, full)) {
		xtcp_cookie_synack(sk, skb, seg);
		goto drop;
	}
	if (full) {
		xtcp_inc(sock_net(sk), XTCP_MIB_LISTENDROPS);
		goto drop;
	}

	local_bh_disable();
	ok = !!child_create(sk, skb, seg, NULL, 0);
	local_bh_enable();
	if (!ok)
		xtcp_inc(sock_net(sk), XTCP_MIB_LISTENDROPS);
drop:
	consume_skb(skb);
	return 0;
}

/*
 * xtcp_listen_stop - the listener closes: abort every child it holds.
 *
 * Children already connected get a RST, as Linux does for connections
 * nobody accepted.
 */
void xtcp_listen_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk), *c, *tmp;
	LIST_HEAD(children);

	xtcp_unhash(sk);
	spin_lock_bh(&xs->queue_lock);
	list_splice_init(&xs->syn_queue, &children);
	list_splice_init(&xs->accept_queue, &children);
	xs->syn_qlen = 0;
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	list_for_each_entry(c, &children, child_node)
		c->child_queue = XTCP_CHILD_NONE;
	spin_unlock_bh(&xs->queue_lock);

	list_for_each_entry_safe(c, tmp, &children, child_node) {
		struct sock *child = &c->inet.sk;

		list_del_init(&c->child_node);
		sock_hold(child);
		local_bh_disable();
		bh_lock_sock(child);
		if (xtcp_need_reset(child->sk_state))
			xtcp_send_active_reset(child, GFP_ATOMIC);
		sock_set_flag(child, SOCK_DEAD);
		c->parent = NULL;
		xtcp_done(child);
		bh_unlock_sock(child);
		local_bh_enable();
		sock_put(child);
		sock_put(sk);	/* the child's reference to us */
	}
}

/*
 * xtcp_do_accept - take the oldest connection from the accept queue.
 */
struct sock *xtcp_do_accept(struct sock *sk, int flags, int *err)
{
	struct xtcp_sock *xs = xtcp_sk(sk), *c = NULL;
	int error;
	long timeo;

	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	for (;;) {
		error = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			goto out_err;

		spin_lock_bh(&xs->queue_lock);
		c = list_first_entry_or_null(&xs->accept_queue, struct xtcp_sock,
					     child_node);
		if (c) {
			list_del_init(&c->child_node);
			c->child_queue = XTCP_CHILD_NONE;
			c->parent = NULL;
			sk_acceptq_removed(sk);
		}
		spin_unlock_bh(&xs->queue_lock);
		if (c)
			break;

		error = -EAGAIN;
		if (!timeo)
			goto out_err;
		error = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out_err;
		{
			DEFINE_WAIT_FUNC(wait, woken_wake_function);

			add_wait_queue_exclusive(sk_sleep(sk), &wait);
			sk_wait_event(sk, &timeo,
				      !list_empty_careful(&xs->accept_queue) ||
				      sk->sk_state != TCP_LISTEN, &wait);
			remove_wait_queue(sk_sleep(sk), &wait);
		}
	}
	release_sock(sk);
	sock_put(sk);	/* the child's reference to its listener */
	return &c->inet.sk;

out_err:
	release_sock(sk);
	*err = error;
	return NULL;
}
