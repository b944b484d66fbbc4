/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the xtcp system (Documentation/tracepoints.rst): state
 * changes, retransmissions, resets, congestion state, SYN cookies, each
 * with the connection's 4-tuple: local address and port first, addresses
 * as bytes (printed %pI4), ports in host order.  trace.c instantiates them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_XTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XTCP_TRACE_H

#include <linux/tracepoint.h>
#include <net/sock.h>
#include <net/inet_sock.h>

#ifndef _XTCP_TRACE_HELPERS
#define _XTCP_TRACE_HELPERS
/* Fill an event's 4-tuple (read once per trace header pass, so guarded). */
static inline void xtcp_trace_tuple(u8 *saddr, u16 *sport, u8 *daddr,
				    u16 *dport, __be32 sa, __be16 sp,
				    __be32 da, __be16 dp)
{
	memcpy(saddr, &sa, 4);
	memcpy(daddr, &da, 4);
	*sport = ntohs(sp);
	*dport = ntohs(dp);
}

static inline void xtcp_trace_sk_tuple(u8 *saddr, u16 *sport, u8 *daddr,
				       u16 *dport, const struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	xtcp_trace_tuple(saddr, sport, daddr, dport, inet->inet_rcv_saddr,
			 inet->inet_sport, inet->inet_daddr, inet->inet_dport);
}
#endif

/* Linux's TCP_* numbers, as the names netstat prints. */
#define xtcp_show_state(s)						\
	__print_symbolic(s, { 1, "ESTABLISHED" }, { 2, "SYN_SENT" },	\
			 { 3, "SYN_RECV" }, { 4, "FIN_WAIT1" },		\
			 { 5, "FIN_WAIT2" }, { 6, "TIME_WAIT" },	\
			 { 7, "CLOSE" }, { 8, "CLOSE_WAIT" },		\
			 { 9, "LAST_ACK" }, { 10, "LISTEN" },		\
			 { 11, "CLOSING" })

/* Linux's TCP_CA_* numbers. */
#define xtcp_show_ca_state(s)						\
	__print_symbolic(s, { 0, "Open" }, { 1, "Disorder" },		\
			 { 2, "CWR" }, { 3, "Recovery" }, { 4, "Loss" })

TRACE_EVENT(xtcp_state_change,
	    TP_PROTO(const struct sock *sk, int oldstate, int newstate),
	    TP_ARGS(sk, oldstate, newstate),
	    TP_STRUCT__entry(__array(__u8, saddr, 4) __array(__u8, daddr, 4)
			     __field(__u16, sport) __field(__u16, dport)
			     __field(int, oldstate)
			     __field(int, newstate)),
	    TP_fast_assign(xtcp_trace_sk_tuple(__entry->saddr, &__entry->sport,
					       __entry->daddr, &__entry->dport,
					       sk);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate;),
	    TP_printk("%pI4:%u -> %pI4:%u %s -> %s",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport,
		      xtcp_show_state(__entry->oldstate),
		      xtcp_show_state(__entry->newstate))
);

/* One segment sent again: @seq and @len of sequence space. */
TRACE_EVENT(xtcp_retransmit,
	    TP_PROTO(const struct sock *sk, u32 seq, u32 len),
	    TP_ARGS(sk, seq, len),
	    TP_STRUCT__entry(__array(__u8, saddr, 4) __array(__u8, daddr, 4)
			     __field(__u16, sport) __field(__u16, dport)
			     __field(u32, seq)
			     __field(u32, len)
			     __field(int, state)),
	    TP_fast_assign(xtcp_trace_sk_tuple(__entry->saddr, &__entry->sport,
					       __entry->daddr, &__entry->dport,
					       sk);
			   __entry->seq = seq;
			   __entry->len = len;
			   __entry->state = sk->sk_state;),
	    TP_printk("%pI4:%u -> %pI4:%u seq=%u len=%u state=%s",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->seq, __entry->len,
		      xtcp_show_state(__entry->state))
);

/*
 * A RST, by tuple (replies to segments no socket takes have no socket),
 * ours first: for a sent one its source, for a received one its
 * destination; @seq is the RST's sequence number.
 */
DECLARE_EVENT_CLASS(xtcp_reset_class,
		    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr,
			     __be16 dport, u32 seq),
		    TP_ARGS(saddr, sport, daddr, dport, seq),
		    TP_STRUCT__entry(__array(__u8, saddr, 4) __array(__u8, daddr, 4)
			     __field(__u16, sport) __field(__u16, dport)
				     __field(u32, seq)),
		    TP_fast_assign(xtcp_trace_tuple(__entry->saddr, &__entry->sport,
						    __entry->daddr, &__entry->dport,
						    saddr, sport, daddr, dport);
				   __entry->seq = seq;),
		    TP_printk("%pI4:%u -> %pI4:%u seq=%u",
			      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->seq)
);

DEFINE_EVENT(xtcp_reset_class, xtcp_send_reset,
	     TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		      u32 seq),
	     TP_ARGS(saddr, sport, daddr, dport, seq)
);

DEFINE_EVENT(xtcp_reset_class, xtcp_receive_reset,
	     TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		      u32 seq),
	     TP_ARGS(saddr, sport, daddr, dport, seq)
);

/* Congestion control changed cwnd, ssthresh or the TCP_CA_* state. */
TRACE_EVENT(xtcp_cong_state,
	    TP_PROTO(const struct sock *sk, u32 cwnd, u32 ssthresh,
		     u8 ca_state),
	    TP_ARGS(sk, cwnd, ssthresh, ca_state),
	    TP_STRUCT__entry(__array(__u8, saddr, 4) __array(__u8, daddr, 4)
			     __field(__u16, sport) __field(__u16, dport)
			     __field(u32, cwnd)
			     __field(u32, ssthresh)
			     __field(u8, ca_state)),
	    TP_fast_assign(xtcp_trace_sk_tuple(__entry->saddr, &__entry->sport,
					       __entry->daddr, &__entry->dport,
					       sk);
			   __entry->cwnd = cwnd;
			   __entry->ssthresh = ssthresh;
			   __entry->ca_state = ca_state;),
	    TP_printk("%pI4:%u -> %pI4:%u cwnd=%u ssthresh=%u ca_state=%s",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->cwnd, __entry->ssthresh,
		      xtcp_show_ca_state(__entry->ca_state))
);

/* SYN cookies: the listener's tuple (ours first), the cookie, its MSS. */
DECLARE_EVENT_CLASS(xtcp_syncookie_class,
		    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr,
			     __be16 dport, u32 cookie, u16 mss),
		    TP_ARGS(saddr, sport, daddr, dport, cookie, mss),
		    TP_STRUCT__entry(__array(__u8, saddr, 4) __array(__u8, daddr, 4)
			     __field(__u16, sport) __field(__u16, dport)
				     __field(u32, cookie)
				     __field(u16, mss)),
		    TP_fast_assign(xtcp_trace_tuple(__entry->saddr, &__entry->sport,
						    __entry->daddr, &__entry->dport,
						    saddr, sport, daddr, dport);
				   __entry->cookie = cookie;
				   __entry->mss = mss;),
		    TP_printk("%pI4:%u -> %pI4:%u cookie=%#x mss=%u",
			      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, __entry->cookie, __entry->mss)
);

DEFINE_EVENT(xtcp_syncookie_class, xtcp_syncookie_sent,
	     TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		      u32 cookie, u16 mss),
	     TP_ARGS(saddr, sport, daddr, dport, cookie, mss)
);

DEFINE_EVENT(xtcp_syncookie_class, xtcp_syncookie_valid,
	     TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		      u32 cookie, u16 mss),
	     TP_ARGS(saddr, sport, daddr, dport, cookie, mss)
);

#endif /* _XTCP_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src)/module. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
