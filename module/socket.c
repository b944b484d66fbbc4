// SPDX-License-Identifier: GPL-2.0
/*
 * The socket calls: bind, listen, connect, shutdown, close, disconnect,
 * options and ioctls, and the life cycle of an xtcp socket.  Where the
 * kernel's inet helpers are generic enough (connect's waiting, shutdown,
 * getname, release), xtcp uses them, so the errnos are Linux TCP's own.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <asm/ioctls.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp_states.h>

#include <uapi/linux/xtcp.h>
#include "xtcp.h"
#include "trace.h"
#include "core/seq.h"

/* Linux's bounds for TCP_MAXSEG (TCP_MIN_MSS, MAX_TCP_WINDOW). */
#define XTCP_MIN_USER_MSS	88
#define XTCP_MAX_USER_MSS	32767
#define XTCP_MAX_SYNCNT		127
#define XTCP_MAX_KEEPIDLE	32767
#define XTCP_MAX_KEEPINTVL	32767
#define XTCP_MAX_KEEPCNT	127

/*
 * Grow the send buffer once connected, as Linux's tcp_sndbuf_expand()
 * does, unless the user fixed it or the namespace is short of memory
 * (tcp_should_expand_sndbuf()): room for 128 full segments.
 */
void xtcp_sndbuf_expand(struct sock *sk)
{
	int per_mss = SKB_TRUESIZE(xtcp_send_mss(xtcp_sk(sk)) + MAX_HEADER);
	int want = min_t(int, 128 * per_mss,
			 READ_ONCE(xtcp_pernet(sock_net(sk))->wmem[2]));

	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK) && want > sk->sk_sndbuf &&
	    !xtcp_mem_pressure(sk))
		WRITE_ONCE(sk->sk_sndbuf, want);
}

void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	xtcp_sk(sk)->tcb.state = state;
	if (old == state)
		return;
	if (state == TCP_TIME_WAIT)
		atomic_inc(&xtcp_pernet(sock_net(sk))->tw_count);
	else if (old == TCP_TIME_WAIT)
		atomic_dec(&xtcp_pernet(sock_net(sk))->tw_count);
	trace_xtcp_state_change(sk, old, state);
	/* Linux counts an established connection's end as a reset. */
	if (state == TCP_CLOSE &&
	    (old == TCP_ESTABLISHED || old == TCP_CLOSE_WAIT))
		xtcp_inc(sock_net(sk), XTCP_MIB_ESTABRESETS);
	/* Lockless readers (poll) see everything done before the change. */
	smp_store_release(&sk->sk_state, state);
	xtcp_nl_notify_state(sk, old, state);
	/* Waiters in connect(), close() with linger, poll() look again. */
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/*
 * xtcp_destroy - final teardown of an orphan that reached CLOSE.
 *
 * Drops the socket's base reference; the memory goes when the last
 * lookup or timer reference goes.
 */
void xtcp_destroy(struct sock *sk)
{
	WARN_ON_ONCE(!sock_flag(sk, SOCK_DEAD));
	if (xtcp_sk(sk)->destroyed)
		return;
	xtcp_sk(sk)->destroyed = true;
	xtcp_set_state(sk, TCP_CLOSE);
	xtcp_clear_timers(sk);
	xtcp_unhash(sk);
	xtcp_unbind(sk);
	xtcp_purge_write_queue(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	__skb_queue_purge(&xtcp_sk(sk)->ooo_queue);
	sock_put(sk);
}

/*
 * xtcp_done - the connection is over: CLOSE, off the tables, user woken.
 */
void xtcp_done(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_set_state(sk, TCP_CLOSE);
	xtcp_clear_timers(sk);
	xtcp_unhash(sk);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		xtcp_unbind(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	/* A handshake that never finished leaves its listener silently. */
	if (xs->child_queue == XTCP_CHILD_SYN) {
		xtcp_child_forget(sk);
		return;
	}
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		xtcp_destroy(sk);
}

/* The connection died with @err (RST received, retries exhausted). */
void xtcp_reset(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	sk_error_report(sk);
	xtcp_done(sk);
}

void xtcp_sk_destruct(struct sock *sk)
{
	xtcp_cc_sock_release(sk);
	xtcp_list_del(sk);
	inet_sock_destruct(sk);
}

int xtcp_init_sock(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);

	skb_queue_head_init(&xs->ooo_queue);
	INIT_LIST_HEAD(&xs->syn_queue);
	INIT_LIST_HEAD(&xs->accept_queue);
	INIT_LIST_HEAD(&xs->child_node);
	spin_lock_init(&xs->queue_lock);
	xtcp_init_timers(sk);
	xtcp_rto_init(&xs->rto);
	xs->tcb.state = TCP_CLOSE;
	xs->mss_cache = XTCP_DEFAULT_MSS;
	xs->rcv_mss = XTCP_DEFAULT_MSS;
	xs->rcv_tstamp = jiffies;

	sk->sk_state = TCP_CLOSE;
	sk->sk_write_space = xtcp_write_space;
	sk->sk_destruct = xtcp_sk_destruct;
	sk->sk_backlog_rcv = xtcp_backlog_rcv;
	sk->sk_sndbuf = READ_ONCE(xn->wmem[1]);
	sk->sk_rcvbuf = READ_ONCE(xn->rmem[1]);
	xtcp_cc_sock_init(sk);
	xtcp_list_add(sk);
	return 0;
}

static int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	unsigned short port;
	int type, err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (addr->sin_family != AF_INET) {
		/* As inet_bind(): AF_UNSPEC with INADDR_ANY is tolerated. */
		if (addr->sin_family != AF_UNSPEC ||
		    addr->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	}
	type = inet_addr_type(net, addr->sin_addr.s_addr);
	if (addr->sin_addr.s_addr != htonl(INADDR_ANY) && type != RTN_LOCAL &&
	    !READ_ONCE(net->ipv4.sysctl_ip_nonlocal_bind) &&
	    !xtcp_freebind(sk))
		return -EADDRNOTAVAIL;

	port = ntohs(addr->sin_port);
	if (port && inet_port_requires_bind_service(net, port) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || inet->inet_num)
		goto out;

	inet->inet_rcv_saddr = addr->sin_addr.s_addr;
	inet->inet_saddr = addr->sin_addr.s_addr;
	if (type == RTN_MULTICAST || type == RTN_BROADCAST)
		inet->inet_saddr = 0;
	err = xtcp_bind_port(sk, port);
	if (err) {
		inet->inet_rcv_saddr = 0;
		inet->inet_saddr = 0;
		if (err == -EADDRNOTAVAIL)
			err = -EADDRINUSE;
		goto out;
	}
	if (inet->inet_rcv_saddr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk_dst_reset(sk);
out:
	release_sock(sk);
	return err;
}

static int xtcp_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct xtcp_syn_params p;
	struct flowi4 *fl4;
	struct rtable *rt;
	bool autobound = false;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	fl4 = &inet->cork.fl.u.ip4;
	flowi4_init_output(fl4, sk->sk_bound_dev_if, READ_ONCE(sk->sk_mark),
			   0, RT_SCOPE_UNIVERSE, xtcp_ipproto, 0,
			   usin->sin_addr.s_addr, inet->inet_saddr,
			   usin->sin_port, inet->inet_sport, sk->sk_uid);
	rt = ip_route_output_flow(net, fl4, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt) == -ENETUNREACH ? -ENETUNREACH : PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}

	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_daddr = fl4->daddr;
	inet->inet_dport = usin->sin_port;

	if (!inet->inet_num) {
		err = xtcp_bind_port(sk, 0);
		if (err)
			goto fail;
		autobound = true;
	}
	err = xtcp_hash_connect(sk);
	if (err)
		goto fail;

	sk_setup_caps(sk, &rt->dst);
	xs->mss_cache = xtcp_route_mss(sk, &rt->dst);
	rt = NULL;

	xtcp_syn_params(sk, &p);
	xtcp_tcb_connect(&xs->tcb, &p);
	xs->tcb.mss = xs->mss_cache;
	xs->retransmits = 0;
	xs->ts_off = get_random_u32();
	xtcp_set_state(sk, TCP_SYN_SENT);
	xtcp_inc(net, XTCP_MIB_ACTIVEOPENS);
	xtcp_queue_syn(sk);
	xtcp_push(sk);
	return 0;

fail:
	if (autobound)
		xtcp_unbind(sk);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		inet->inet_rcv_saddr = 0;
	}
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	if (rt)
		ip_rt_put(rt);
	return err;
}

static void reset_connection_vars(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	memset(&xs->tcb, 0, sizeof(xs->tcb));
	xs->tcb.state = TCP_CLOSE;
	xtcp_rto_init(&xs->rto);
	xs->write_seq = 0;
	xs->copied_seq = 0;
	xs->rcv_queued = 0;
	xs->rcv_wup = 0;
	xs->rcv_mss = XTCP_DEFAULT_MSS;
	xs->retransmits = 0;
	xs->rtt_pending = false;
}

/* Abort whatever the socket was doing and make it like new (connect(AF_UNSPEC)). */
static int xtcp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	int old = sk->sk_state;

	if (old == TCP_LISTEN) {
		xtcp_listen_stop(sk);
	} else if (xtcp_need_reset(old)) {
		xtcp_send_active_reset(sk, gfp_any());
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	} else if (old == TCP_SYN_SENT) {
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	}
	xtcp_set_state(sk, TCP_CLOSE);
	xtcp_clear_timers(sk);
	xtcp_unhash(sk);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		xtcp_unbind(sk);
	xtcp_purge_write_queue(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	__skb_queue_purge(&xtcp_sk(sk)->ooo_queue);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		inet->inet_rcv_saddr = 0;
	}
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	reset_connection_vars(sk);
	sk_dst_reset(sk);
	sk_error_report(sk);
	return 0;
}

/* Close the sending side: queue a FIN where the state calls for one. */
static void send_side_close(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xtcp_tcb_close(&xs->tcb, xs->write_seq)) {
		xtcp_queue_fin(sk);
		xtcp_set_state(sk, xs->tcb.state);
		xtcp_push(sk);
	} else {
		xtcp_set_state(sk, xs->tcb.state);
	}
}

static void xtcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_RECV |
				   TCPF_CLOSE_WAIT))
		send_side_close(sk);
}

static void xtcp_close(struct sock *sk, long timeout)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	u32 unread = 0;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	if (sk->sk_state == TCP_LISTEN) {
		xtcp_set_state(sk, TCP_CLOSE);
		xtcp_listen_stop(sk);
		goto adjudge;
	}

	__skb_queue_purge(&xs->ooo_queue);
	while ((skb = __skb_dequeue(&sk->sk_receive_queue))) {
		u32 end = XTCP_SKB_CB(skb)->seq + skb->len;

		if (seq_gt(end, xs->copied_seq))
			unread += end - seq_max(XTCP_SKB_CB(skb)->seq,
						xs->copied_seq);
		__kfree_skb(skb);
	}

	if (sk->sk_state == TCP_CLOSE)
		goto adjudge;

	if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime)) {
		/* RFC 2525 2.17: unread data is lost, so say so with a RST;
		 * SO_LINGER with zero time asks for the same abort.
		 */
		if (xtcp_need_reset(sk->sk_state))
			xtcp_send_active_reset(sk, sk->sk_allocation);
		xtcp_done(sk);
	} else {
		send_side_close(sk);
	}

	if (timeout)
		sk_stream_wait_close(sk, timeout);

adjudge:
	sock_hold(sk);
	sock_orphan(sk);
	if (sk->sk_state == TCP_FIN_WAIT2)
		xtcp_arm_wait(sk, READ_ONCE(xtcp_pernet(sock_net(sk))->fin_timeout) * HZ);
	if (sk->sk_state == TCP_CLOSE)
		xtcp_destroy(sk);
	release_sock(sk);
	sock_put(sk);
}

static int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	if (sk->sk_state == TCP_LISTEN) {
		WRITE_ONCE(sk->sk_max_ack_backlog,
			   min_t(int, backlog,
				 READ_ONCE(sock_net(sk)->core.sysctl_somaxconn)));
		err = 0;
		goto out;
	}
	if (sk->sk_state != TCP_CLOSE)
		goto out;
	err = xtcp_listen_start(sk, backlog);
out:
	release_sock(sk);
	return err;
}

/* TCP_CONGESTION: a name, as Linux reads it (at most 15 bytes kept). */
static int set_congestion(struct sock *sk, sockptr_t optval,
			  unsigned int optlen)
{
	char name[XTCP_CC_NAME_MAX];
	int err;

	if ((int)optlen < 1)
		return -EINVAL;
	optlen = min_t(unsigned int, optlen, sizeof(name) - 1);
	if (copy_from_sockptr(name, optval, optlen))
		return -EFAULT;
	name[optlen] = '\0';
	lock_sock(sk);
	err = xtcp_cc_set(sk, name);
	release_sock(sk);
	return err;
}

static int get_congestion(struct sock *sk, char __user *optval,
			  int __user *optlen)
{
	char name[XTCP_CC_NAME_MAX] = {};
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(unsigned int, len, XTCP_CC_NAME_MAX);
	lock_sock(sk);
	strscpy(name, xtcp_sk(sk)->cc.ops->name, sizeof(name));
	release_sock(sk);
	if (put_user(len, optlen) || copy_to_user(optval, name, len))
		return -EFAULT;
	return 0;
}

static int xtcp_setsockopt(struct sock *sk, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, err = 0;

	if (level != SOL_TCP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (optname == TCP_CONGESTION)
		return set_congestion(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case TCP_NODELAY:
		xs->nodelay = !!val;
		if (val)
			xtcp_push(sk);
		break;
	case TCP_MAXSEG:
		if (val && (val < XTCP_MIN_USER_MSS || val > XTCP_MAX_USER_MSS)) {
			err = -EINVAL;
			break;
		}
		xs->user_mss = val;
		break;
	case TCP_SYNCNT:
		if (val < 1 || val > XTCP_MAX_SYNCNT)
			err = -EINVAL;
		else
			xs->syn_retries = val;
		break;
	case TCP_CORK:
		xs->cork = !!val;
		if (!val)
			xtcp_push(sk);
		break;
	case TCP_KEEPIDLE:
		if (val < 1 || val > XTCP_MAX_KEEPIDLE) {
			err = -EINVAL;
			break;
		}
		xs->keepidle = val;
		xtcp_arm_keepalive(sk);
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > XTCP_MAX_KEEPINTVL)
			err = -EINVAL;
		else
			xs->keepintvl = val;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > XTCP_MAX_KEEPCNT)
			err = -EINVAL;
		else
			xs->keepcnt = val;
		break;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else
			xs->user_timeout = val;
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

static int xtcp_getsockopt(struct sock *sk, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, len;

	if (level != SOL_TCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (optname == TCP_INFO)
		return xtcp_get_info(sk, optval, optlen);
	if (optname == TCP_CONGESTION)
		return get_congestion(sk, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(unsigned int, len, sizeof(int));

	switch (optname) {
	case TCP_NODELAY:
		val = xs->nodelay;
		break;
	case TCP_MAXSEG:
		/* As Linux: the connection's MSS, else the user's, else 536. */
		if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
			val = xs->user_mss ? : XTCP_DEFAULT_MSS;
		else
			val = xtcp_send_mss(xs);
		break;
	case TCP_SYNCNT:
		val = xs->syn_retries ? :
		      READ_ONCE(xtcp_pernet(sock_net(sk))->syn_retries);
		break;
	case TCP_CORK:
		val = xs->cork;
		break;
	case TCP_KEEPIDLE:
		val = xtcp_keepalive_time(sk);
		break;
	case TCP_KEEPINTVL:
		val = xtcp_keepalive_intvl(sk);
		break;
	case TCP_KEEPCNT:
		val = xtcp_keepalive_probes(sk);
		break;
	case TCP_USER_TIMEOUT:
		val = xs->user_timeout;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

static int xtcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
	case SIOCOUTQ:
	case SIOCOUTQNSD:
		break;
	default:
		return -ENOIOCTLCMD;
	}
	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		release_sock(sk);
		return -EINVAL;
	}
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		answ = 0;
	else if (cmd == SIOCINQ)
		answ = xs->rcv_queued - xs->copied_seq;
	else if (cmd == SIOCOUTQ)
		answ = xs->write_seq - xs->tcb.snd_una;
	else
		answ = xs->write_seq - xs->tcb.snd_nxt;
	if (answ < 0)
		answ = 0;
	release_sock(sk);
	return put_user(answ, (int __user *)arg);
}

static int xtcp_ops_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	return xtcp_sendmsg(sock->sk, msg, size);
}

static int xtcp_ops_recvmsg(struct socket *sock, struct msghdr *msg,
			    size_t size, int flags)
{
	int addr_len = 0;
	int err = xtcp_recvmsg(sock->sk, msg, size, flags, &addr_len);

	if (err >= 0)
		msg->msg_namelen = addr_len;
	return err;
}

const struct proto_ops xtcp_stream_ops = {
	.family = AF_XTCP,
	.owner = THIS_MODULE,
	.release = inet_release,
	.bind = xtcp_bind,
	.connect = inet_stream_connect,
	.socketpair = sock_no_socketpair,
	.accept = xtcp_ops_accept,
	.getname = inet_getname,
	.poll = xtcp_poll,
	.ioctl = xtcp_ioctl,
	.listen = xtcp_listen,
	.shutdown = inet_shutdown,
	.setsockopt = sock_common_setsockopt,
	.getsockopt = sock_common_getsockopt,
	.sendmsg = xtcp_ops_sendmsg,
	.recvmsg = xtcp_ops_recvmsg,
	.mmap = sock_no_mmap,
};

struct proto xtcp_prot = {
	.name = "XTCP",
	.owner = THIS_MODULE,
	.close = xtcp_close,
	.connect = xtcp_connect,
	.disconnect = xtcp_disconnect,
	.accept = xtcp_proto_accept,
	.shutdown = xtcp_shutdown,
	.setsockopt = xtcp_setsockopt,
	.getsockopt = xtcp_getsockopt,
	.sendmsg = xtcp_sendmsg,
	.recvmsg = xtcp_recvmsg,
	.backlog_rcv = xtcp_backlog_rcv,
	.stream_memory_free = xtcp_stream_memory_free,
	.obj_size = sizeof(struct xtcp_sock),
	.keepalive = xtcp_keepalive,
	.no_autobind = true,
};
