// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies in the listener (RFC 4987 3.6): the glue around
 * core/syncookie.c.  When net.xtcp.syncookies says so, a SYN is answered
 * with a SYN,ACK whose ISN is the cookie and nothing is kept; the ACK
 * that echoes a valid cookie creates the child directly in ESTABLISHED
 * (listen.c).
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <net/ip.h>

#include "xtcp.h"
#include "trace.h"
#include "core/syncookie.h"

/* Keys of their own: neither the ISN key nor each other. */
static struct xtcp_siphash_key cookie_key;
static struct xtcp_siphash_key tsoff_key;

static void keys_init(void)
{
	net_get_random_once(&cookie_key, sizeof(cookie_key));
	net_get_random_once(&tsoff_key, sizeof(tsoff_key));
}

static void seg_tuple(const struct iphdr *iph, const struct xtcp_seg *seg,
		      struct xtcp_cookie_tuple *t)
{
	t->saddr = (__force u32)iph->saddr;
	t->daddr = (__force u32)iph->daddr;
	t->sport = (__force u16)htons(seg->sport);
	t->dport = (__force u16)htons(seg->dport);
}

/*
 * The TSval offset of a cookie connection: a keyed hash of the addresses,
 * so that the child computes the offset its SYN,ACK used (Linux derives
 * it the same way, from the address pair).
 */
static u32 cookie_ts_off(const struct xtcp_cookie_tuple *t)
{
	u32 in[2] = { t->saddr, t->daddr };

	return (u32)xtcp_siphash(in, sizeof(in), &tsoff_key);
}

static u32 ts_clock(u32 off)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_MSEC) + off;
}

/* How long after the last cookie sent an ACK is checked for one. */
static unsigned long cookie_window(void)
{
	return nsecs_to_jiffies((u64)(XTCP_COOKIE_MAX_AGE + 1) << XTCP_COOKIE_SHIFT);
}

/**
 * xtcp_cookie_wanted - should the listener answer this SYN with a cookie?
 * @sk: the listener
 * @full: its SYN queue is at net.xtcp.max_syn_backlog
 */
bool xtcp_cookie_wanted(const struct sock *sk, bool full)
{
	int mode = READ_ONCE(xtcp_pernet(sock_net(sk))->syncookies);

	return mode == 2 || (mode == 1 && full);
}

/**
 * xtcp_cookie_synack - answer @syn with a stateless cookie SYN,ACK.
 * @sk: the listener (locked)
 * @skb: the SYN, its network header set
 * @syn: the parsed SYN
 *
 * Without timestamps the SYN,ACK offers neither window scaling nor SACK,
 * since nothing would remember that the client asked for them.
 */
void xtcp_cookie_synack(struct sock *sk, struct sk_buff *skb,
			const struct xtcp_seg *syn)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_syn_params p;
	struct xtcp_cookie_tuple t;
	struct xtcp_seg out = {};
	u16 mss_used;
	u32 cookie;
	bool ts;

	keys_init();
	seg_tuple(iph, syn, &t);
	cookie = xtcp_cookie_make(&cookie_key, &t, syn->seq,
				  syn->opts.mss_ok ? syn->opts.mss : XTCP_DEFAULT_MSS,
				  xtcp_cookie_count(ktime_get_ns()), &mss_used);

	xtcp_syn_options(sock_net(sk), &p);
	ts = p.want_ts && syn->opts.ts_ok;
	out.sport = syn->dport;
	out.dport = syn->sport;
	out.seq = cookie;
	out.ack = syn->seq + 1;
	out.flags = XTCP_SYN | XTCP_ACK;
	out.wnd = min_t(u32, xtcp_rcv_space(sk), 0xffffU);
	out.opts.mss_ok = true;
	out.opts.mss = 0;	/* filled by the sender from the route */
	if (ts) {
		int ws = syn->opts.ws_ok ? syn->opts.ws : -1;
		bool sack = p.want_sack && syn->opts.sack_ok;

		if (!p.want_wscale)
			ws = -1;
		out.opts.ts_ok = true;
		out.opts.tsecr = syn->opts.tsval;
		out.opts.tsval = xtcp_cookie_ts_encode(ts_clock(cookie_ts_off(&t)),
						       ws, sack);
		out.opts.ws_ok = ws >= 0;
		out.opts.ws = p.rcv_wscale;
		out.opts.sack_ok = sack;
	}
	WRITE_ONCE(xs->cookie_stamp, jiffies);
	WRITE_ONCE(xs->cookie_sent, true);
	if (xtcp_send_stateless(sock_net(sk), skb, &out, sk))
		return;
	xtcp_inc(sock_net(sk), XTCP_MIB_SYNCOOKIESSENT);
	trace_xtcp_syncookie_sent(iph->daddr, htons(syn->dport), iph->saddr,
				  htons(syn->sport), cookie, mss_used);
}

/**
 * xtcp_cookie_check_ack - is @ack the answer to one of our cookies?
 * @sk: the listener (locked)
 * @skb: the ACK, its network header set
 * @ack: the parsed ACK
 * @syn: out, the SYN the client sent, as far as the cookie and the
 *       timestamp tell: sequence number, MSS, window scale, SACK,
 *       timestamps, and the ACK's window
 * @ts_off: out, the TSval offset the SYN,ACK used
 *
 * Return: 1 if valid, 0 if no cookie was looked for (cookies off, or
 * none sent recently as Linux's tcp_synq_no_recent_overflow()), -1 if the
 * cookie is wrong or expired (counted in SyncookiesFailed).
 */
int xtcp_cookie_check_ack(struct sock *sk, struct sk_buff *skb,
			  const struct xtcp_seg *ack, struct xtcp_seg *syn,
			  u32 *ts_off)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	const struct iphdr *iph = ip_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_cookie_tuple t;
	int mode = READ_ONCE(xn->syncookies);
	bool sack = false;
	int ws = -1;
	u16 mss;

	if (!mode || (ack->flags & (XTCP_SYN | XTCP_RST)))
		return 0;
	if (mode == 1 && (!READ_ONCE(xs->cookie_sent) ||
			  time_after(jiffies, READ_ONCE(xs->cookie_stamp) +
					      cookie_window())))
		return 0;

	keys_init();
	seg_tuple(iph, ack, &t);
	mss = xtcp_cookie_check(&cookie_key, &t, ack->seq - 1, ack->ack - 1,
				xtcp_cookie_count(ktime_get_ns()));
	if (!mss) {
		xtcp_inc(sock_net(sk), XTCP_MIB_SYNCOOKIESFAILED);
		return -1;
	}

	*syn = *ack;
	syn->seq = ack->seq - 1;
	syn->flags = XTCP_SYN;
	memset(&syn->opts, 0, sizeof(syn->opts));
	syn->opts.mss_ok = true;
	syn->opts.mss = mss;
	if (ack->opts.ts_ok && ack->opts.tsecr && READ_ONCE(xn->timestamps)) {
		xtcp_cookie_ts_decode(ack->opts.tsecr, &ws, &sack);
		syn->opts.ts_ok = true;
		syn->opts.tsval = ack->opts.tsval;
	}
	syn->opts.ws_ok = ws >= 0;
	syn->opts.ws = ws >= 0 ? ws : 0;
	syn->opts.sack_ok = sack;
	*ts_off = cookie_ts_off(&t);
	xtcp_inc(sock_net(sk), XTCP_MIB_SYNCOOKIESRECV);
	trace_xtcp_syncookie_valid(iph->daddr, htons(ack->dport), iph->saddr,
				   htons(ack->sport), ack->ack - 1, mss);
	return 1;
}
