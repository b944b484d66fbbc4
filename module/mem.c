// SPDX-License-Identifier: GPL-2.0
/*
 * The memory a namespace's xtcp sockets hold, as Linux's tcp_mem counts
 * it: every sk_buff on a receive, out-of-order or write queue is charged
 * (truesize) to its namespace when queued and uncharged when freed.  The
 * limits, net.xtcp.mem, are per namespace; the decisions are the core's
 * (core/mem.c).  One atomic add a buffer, and no forward allocation: the
 * total is exact, which is what the limit and /proc/net/xtcp_sockstat
 * need.
 */
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/swap.h>
#include <net/sock.h>

#include "xtcp.h"
#include "core/mem.h"

static void mem_limits(const struct xtcp_net *xn, struct xtcp_mem_limits *l)
{
	l->min = (u64)READ_ONCE(xn->mem[0]) << PAGE_SHIFT;
	l->pressure = (u64)READ_ONCE(xn->mem[1]) << PAGE_SHIFT;
	l->max = (u64)READ_ONCE(xn->mem[2]) << PAGE_SHIFT;
}

void xtcp_mem_net_init(struct xtcp_net *xn)
{
	xtcp_mem_default(nr_free_buffer_pages(), xn->mem);
	atomic_long_set(&xn->mem_alloc, 0);
	xn->mem_pressure = 0;
}

/*
 * max_tw_buckets as Linux sizes it: half its established hash, which has
 * an entry per 128 KiB of memory, rounded up to a power of two (4096 with
 * 1 GiB, as measured there).
 */
int xtcp_tw_default(void)
{
	unsigned long entries = max(totalram_pages() >> (17 - PAGE_SHIFT), 256UL);

	return min_t(unsigned long, roundup_pow_of_two(entries) / 2, INT_MAX);
}

/* Enter or leave pressure after the total became @total; count both. */
static void mem_pressure_update(const struct net *net, struct xtcp_net *xn,
				long total)
{
	unsigned long since = READ_ONCE(xn->mem_pressure);
	struct xtcp_mem_limits l;
	u64 bytes = total > 0 ? total : 0;

	mem_limits(xn, &l);
	if (!since) {
		if (!xtcp_mem_enters_pressure(&l, bytes))
			return;
		/* 0 means "none", so a start at jiffies 0 is taken as 1. */
		if (!cmpxchg(&xn->mem_pressure, 0, jiffies ?: 1))
			xtcp_inc(net, XTCP_MIB_MEMORYPRESSURES);
	} else if (xtcp_mem_leaves_pressure(&l, bytes) &&
		   cmpxchg(&xn->mem_pressure, since, 0) == since) {
		atomic_long_add(jiffies_to_msecs(jiffies - since),
				&xn->mib[XTCP_MIB_MEMORYPRESSURESCHRONO]);
	}
}

static void mem_charge(struct sock *sk, int bytes)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));

	mem_pressure_update(sock_net(sk), xn,
			    atomic_long_add_return(bytes, &xn->mem_alloc));
}

bool xtcp_mem_pressure(const struct sock *sk)
{
	return READ_ONCE(xtcp_pernet(sock_net(sk))->mem_pressure);
}

/* May @sk queue @size more bytes?  @always: its one guaranteed buffer. */
bool xtcp_mem_room(const struct sock *sk, unsigned int size, bool always)
{
	const struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_mem_ask ask = { .size = size, .always = always };
	struct xtcp_mem_limits l;
	long total = atomic_long_read(&xn->mem_alloc);

	mem_limits(xn, &l);
	ask.total = total > 0 ? total : 0;
	return xtcp_mem_admit(&l, &ask);
}

unsigned long xtcp_mem_pages(const struct net *net)
{
	long total = atomic_long_read(&xtcp_pernet(net)->mem_alloc);

	return total > 0 ? DIV_ROUND_UP(total, PAGE_SIZE) : 0;
}

/* sock_rfree() with the namespace's share. */
static void xtcp_rfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	unsigned int len = skb->truesize;

	atomic_sub(len, &sk->sk_rmem_alloc);
	mem_charge(sk, -(int)len);
}

/* skb_set_owner_r() that charges the namespace too. */
void xtcp_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = xtcp_rfree;
	atomic_add(skb->truesize, &sk->sk_rmem_alloc);
	mem_charge(sk, skb->truesize);
}

/* sk_wmem_queued_add() that charges the namespace too. */
void xtcp_wmem_queued_add(struct sock *sk, int bytes)
{
	sk_wmem_queued_add(sk, bytes);
	mem_charge(sk, bytes);
}

/*
 * proto.stream_memory_free: past sk_sndbuf (checked by the caller), the
 * namespace must have room for one more full segment - unless the write
 * queue is empty, whose first buffer is always taken.  sendmsg() and
 * poll() both ask here, so a writer refused memory sleeps, and a poller
 * sees no POLLOUT, until its own queue drains.
 */
bool xtcp_stream_memory_free(const struct sock *sk, int wake)
{
	unsigned int size = SKB_TRUESIZE(xtcp_send_mss(xtcp_sk(sk)));

	return xtcp_mem_room(sk, size,
			     skb_queue_empty_lockless(&sk->sk_write_queue));
}
