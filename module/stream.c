// SPDX-License-Identifier: GPL-2.0
/*
 * The byte stream as the application sees it: sendmsg() fills the write
 * queue in MSS-sized sk_buffs, recvmsg() copies from the receive queue,
 * poll() reports readiness with Linux TCP's masks.
 */
#include <linux/poll.h>
#include <linux/uio.h>
#include <net/ip.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "core/mem.h"

/*
 * Receive space we offer: half of what is free, since each byte costs
 * about twice its size in sk_buff overhead (Linux's old adv_win_scale).
 */
u32 xtcp_rcv_space(const struct sock *sk)
{
	int free = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);

	return xtcp_mem_rcv_space(free > 0 ? free / 2 : 0,
				  xtcp_sk(sk)->tcb.mss, xtcp_mem_pressure(sk));
}

/* After a read: announce the window if it grew a lot (RFC 9293 3.8.6.2.2). */
void xtcp_rcv_space_changed(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 now = xtcp_tcb_rcv_wnd(&xs->tcb);
	u32 space = xtcp_rcv_space(sk);

	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
				     TCPF_FIN_WAIT2)))
		return;
	/* The step the window may move (silly-window avoidance). */
	if (space >= 2 * now &&
	    space - now >= min_t(u32, xs->tcb.mss, READ_ONCE(sk->sk_rcvbuf) / 4))
		xtcp_send_ack(sk);
}

/* Wake writers once the queue has room again (sk_stream_write_space()). */
void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
						      EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int flags = msg->msg_flags;
	size_t copied = 0;
	long timeo;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;	/* no urgent data in xtcp */

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto error;
	}

	while (msg_data_left(msg)) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		int room = 0, copy;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto error;

		/* Fill the unsent tail before starting a new segment. */
		if (skb && xs->send_head &&
		    !(XTCP_SKB_CB(skb)->flags & (XTCP_SYN | XTCP_FIN)))
			room = min_t(int, xtcp_send_mss(xs) - (int)skb->len,
				     skb_tailroom(skb));
		if (room <= 0) {
			if (!sk_stream_memory_free(sk))
				goto wait_for_space;
			skb = alloc_skb(xtcp_send_mss(xs), sk->sk_allocation);
			if (!skb)
				goto wait_for_space;
			xtcp_queue_data_skb(sk, skb);
			room = min_t(int, xtcp_send_mss(xs), skb_tailroom(skb));
		}
		copy = min_t(size_t, room, msg_data_left(msg));
		if (!copy_from_iter_full(skb_put(skb, copy), copy, &msg->msg_iter)) {
			skb_trim(skb, skb->len - copy);
			err = -EFAULT;
			goto error;
		}
		XTCP_SKB_CB(skb)->end_seq += copy;
		xs->write_seq += copy;
		copied += copy;
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		xtcp_push(sk);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto error;
	}
	xtcp_push(sk);
	release_sock(sk);
	return copied;

error:
	if (copied) {
		xtcp_push(sk);
		release_sock(sk);
		return copied;
	}
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

/* The skb holding sequence number @seq, and its offset there. */
static struct sk_buff *find_seq(struct sock *sk, u32 seq, u32 *offset)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_receive_queue, skb) {
		u32 off = seq - XTCP_SKB_CB(skb)->seq;

		if (off < skb->len) {
			*offset = off;
			return skb;
		}
	}
	return NULL;
}

int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags,
		 int *addr_len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool peek = flags & MSG_PEEK;
	u32 peek_seq, *seq;
	int copied = 0, target;
	long timeo;

	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;	/* xtcp queues no errors there */
	if (flags & MSG_OOB)
		return -EINVAL;		/* as Linux TCP with no urgent data */

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	peek_seq = xs->copied_seq;
	seq = peek ? &peek_seq : &xs->copied_seq;
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);

	do {
		struct sk_buff *skb, *last;
		u32 offset, n;
		int rc;

		skb = find_seq(sk, *seq, &offset);
		if (skb) {
			n = min_t(size_t, skb->len - offset, len - copied);
			if (skb_copy_datagram_msg(skb, offset, msg, n)) {
				if (!copied)
					copied = -EFAULT;
				break;
			}
			*seq += n;
			copied += n;
			if (!peek && offset + n == skb->len) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				consume_skb(skb);
			}
			continue;
		}

		if (copied >= target && !READ_ONCE(sk->sk_backlog.tail))
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			/* The peer's FIN was read: EOF before any error. */
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				/* Never connected, as Linux says. */
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}

		if (!peek)
			xtcp_rcv_space_changed(sk);
		if (copied >= target) {
			/* Let the backlog in, then look again. */
			release_sock(sk);
			lock_sock(sk);
			continue;
		}
		last = skb_peek_tail(&sk->sk_receive_queue);
		rc = sk_wait_data(sk, &timeo, last);
		if (rc < 0) {
			copied = copied ? : rc;
			break;
		}
	} while ((size_t)copied < len);	/* once even for len 0, as Linux */
	if (!peek && copied > 0)
		xtcp_rcv_space_changed(sk);
out:
	release_sock(sk);
	return copied;
}

static bool stream_readable(const struct sock *sk, int target)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return (int)(READ_ONCE(xs->rcv_queued) - READ_ONCE(xs->copied_seq)) >=
	       target;
}

__poll_t xtcp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	/* Pairs with xtcp_set_state(): the state, then what it implies. */
	state = smp_load_acquire(&sk->sk_state);
	if (state == TCP_LISTEN) {
		/* lockless peek: the queue lock would be overkill for a hint */
		return !list_empty_careful(&xs->accept_queue) ?
		       (EPOLLIN | EPOLLRDNORM) : 0;
	}

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (stream_readable(sk, sock_rcvlowat(sk, 0, INT_MAX)))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* Set NOSPACE before looking again, so an ACK
				 * freeing space meanwhile sees it and wakes us
				 * (pairs with the check in xtcp_write_space()).
				 */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* sk_err is set before the state changes: read it after. */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}
