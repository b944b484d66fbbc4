/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp kernel glue: the socket, its tables, timers and the per-namespace
 * state.  Protocol decisions live in core/; this side owns sk_buffs,
 * locks, timers and routing.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <linux/types.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "core/tcb.h"
#include "core/rto.h"
#include "core/isn.h"
#include "core/cc.h"

/* Module parameters (af_xtcp.c). */
extern int xtcp_ipproto;
extern int xtcp_family;
extern struct proto xtcp_prot;

/* Counters of /proc/net/xtcp_stat, per namespace. */
enum xtcp_mib {
	XTCP_MIB_ACTIVEOPENS,
	XTCP_MIB_PASSIVEOPENS,
	XTCP_MIB_ATTEMPTFAILS,
	XTCP_MIB_ESTABRESETS,
	XTCP_MIB_INSEGS,
	XTCP_MIB_OUTSEGS,
	XTCP_MIB_RETRANSSEGS,
	XTCP_MIB_INERRS,
	XTCP_MIB_INCSUMERRORS,
	XTCP_MIB_OUTRSTS,
	XTCP_MIB_INRSTS,
	XTCP_MIB_DROPSOUTOFWINDOW,
	XTCP_MIB_PAWSESTAB,
	XTCP_MIB_CHALLENGEACKS,
	XTCP_MIB_CHALLENGEACKLIMITED,
	XTCP_MIB_LISTENDROPS,
	XTCP_MIB_LISTENOVERFLOWS,
	XTCP_MIB_NOSOCKET,
	XTCP_MIB_OUTOFORDER,
	XTCP_MIB_RTOTIMEOUTS,
	XTCP_MIB_BACKLOGDROPS,
	XTCP_MIB_RCVQDROPS,
	XTCP_MIB_KEEPALIVEPROBES,
	XTCP_MIB_FASTRETRANS,
	XTCP_MIB_SACKRECOVERY,
	XTCP_MIB_ZEROWINDOWPROBES,
	XTCP_MIB_DELAYEDACKS,
	XTCP_MIB_OFOQUEUE,
	XTCP_MIB_PMTUREDUCTIONS,
	XTCP_MIB_OUTOFWINDOWICMPS,
	XTCP_MIB_RCVCOLLAPSED,
	XTCP_MIB_OFOPRUNED,
	XTCP_MIB_SACKRENEGING,
	XTCP_MIB_FULLUNDO,
	XTCP_MIB_LOSSUNDO,
	XTCP_MIB_SYNCOOKIESSENT,
	XTCP_MIB_SYNCOOKIESRECV,
	XTCP_MIB_SYNCOOKIESFAILED,
	XTCP_MIB_MEMORYPRESSURES,
	XTCP_MIB_MEMORYPRESSURESCHRONO,
	XTCP_MIB_TIMEWAITOVERFLOW,
	XTCP_MIB_ACKSKIPPEDSEQ,
	XTCP_MIB_ACKSKIPPEDPAWS,
	XTCP_MIB_ACKSKIPPEDSYNRECV,
	XTCP_MIB_ACKSKIPPEDTIMEWAIT,
	XTCP_MIB_ACKSKIPPEDCHALLENGE,
	XTCP_MIB_MAX
};

/* Per-namespace state: sysctls and counters. */
struct xtcp_net {
	int enabled;
	int syn_retries;
	int synack_retries;
	int fin_timeout;	/* seconds */
	int tw_timeout;		/* seconds: 2MSL */
	int retries2;
	int max_syn_backlog;
	int syncookies;		/* 0 never, 1 when the SYN queue is full, 2 always */
	int keepalive_time;	/* seconds */
	int keepalive_intvl;	/* seconds */
	int keepalive_probes;
	int rmem[3];
	int wmem[3];
	int mem[3];		/* pages: min, pressure, max (tcp_mem) */
	atomic_long_t mem_alloc;	/* bytes on the queues (mem.c) */
	unsigned long mem_pressure;	/* jiffies it began, 0: none */
	int max_tw_buckets;	/* TIME_WAIT entries at most */
	atomic_t tw_count;	/* TIME_WAIT entries now (xtcp_set_state()) */
	int window_scaling;
	int timestamps;
	int sack;
	int challenge_ack_limit;	/* per second (input.c) */
	int invalid_ratelimit;	/* ms between answers to bad segments */
	u32 challenge_stamp;		/* jiffies / HZ of the budget */
	atomic_t challenge_left;	/* challenge ACKs left this second */
	char cc_name[XTCP_CC_NAME_MAX];	/* congestion_control (cong.c) */
	struct ctl_table_header *sysctl_hdr;
	atomic_long_t mib[XTCP_MIB_MAX];
};

extern unsigned int xtcp_net_id;

static inline struct xtcp_net *xtcp_pernet(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

static inline void xtcp_inc(const struct net *net, enum xtcp_mib m)
{
	atomic_long_inc(&xtcp_pernet(net)->mib[m]);
}

/* Which table holds a socket's hash_node. */
enum xtcp_hashed {
	XTCP_UNHASHED,
	XTCP_HASHED_CONN,
	XTCP_HASHED_LISTEN,
};

/* Where a not-yet-accepted child sits on its listener. */
enum xtcp_child_queue {
	XTCP_CHILD_NONE,
	XTCP_CHILD_SYN,		/* handshake under way (SYN_RECV) */
	XTCP_CHILD_ACCEPT,	/* ready for accept() */
};

struct xtcp_sock {
	struct inet_sock inet;		/* must stay first */
	struct xtcp_tcb tcb;
	struct xtcp_rto rto;
	struct xtcp_cc cc;		/* congestion control (cong.c) */
	bool cc_chosen;			/* cc set with TCP_CONGESTION */

	/* Tables (table.c). */
	struct hlist_node bind_node;	/* on a bind-table chain */
	struct hlist_node hash_node;	/* connection or listener chain */
	struct list_head all_node;	/* every socket, for /proc and dumps */
	u8 hashed;			/* enum xtcp_hashed */
	bool bound, listed;
	bool destroyed;			/* xtcp_destroy() ran */

	/* Sending. */
	u32 write_seq;			/* end of what the user queued */
	struct sk_buff *send_head;	/* first queued skb not sent yet */
	u16 mss_cache;			/* our MSS from the route */
	u32 mtu_info;			/* ICMP frag-needed MTU not applied yet */
	u16 user_mss;			/* TCP_MAXSEG, 0 if unset */
	u8 syn_retries;			/* TCP_SYNCNT, 0 means the sysctl */
	u8 retransmits;			/* timeouts since the last progress */
	u8 probes_out;			/* unanswered probes (persist) */
	bool nodelay;			/* TCP_NODELAY */
	bool cork;			/* TCP_CORK */
	u16 keepidle;			/* TCP_KEEPIDLE s, 0: the sysctl */
	u16 keepintvl;			/* TCP_KEEPINTVL s, 0: the sysctl */
	u8 keepcnt;			/* TCP_KEEPCNT, 0: the sysctl */
	u8 ka_probes;			/* keepalive probes unanswered */
	u32 user_timeout;		/* TCP_USER_TIMEOUT ms, 0: off */
	u64 rtx_start_us;		/* first send of what now times out */
	unsigned long rcv_tstamp;	/* jiffies of the last segment in */
	u32 segs_in, segs_out;
	bool rtt_pending;		/* an RTT sample is being timed */
	u32 rtt_seq;			/* ...ends when this is acked */
	u64 rtt_start_us;
	u64 rack_us;			/* latest send time known delivered */
	u64 lsnd_us;			/* when data last went out */
	u32 min_rtt_us;			/* smallest RTT sample */
	bool cwnd_limited;		/* the last push used all of cwnd */
	bool sws_override;		/* the timer sends into a small window */
	u32 retrans_tsval;		/* TSval of the first retransmission of
					 * this loss episode (Eifel)
					 */
	u32 ts_off;			/* this connection's TSval offset */

	/* Receiving. */
	u32 copied_seq;			/* next byte the user reads */
	u32 rcv_queued;			/* end of the data in the queue */
	u32 rcv_wup;			/* rcv_nxt our last ACK carried */
	u16 rcv_mss;			/* the peer's full-sized segment, learnt */
	u32 last_oow_ack;		/* jiffies of the last answer to a bad segment */
	struct sk_buff_head ooo_queue;	/* out-of-order data, by sequence */

	/* Timers (timer.c); each pending timer holds a socket reference. */
	struct timer_list rtx_timer;	/* (re)transmission of SYN, data, FIN */
	struct timer_list wait_timer;	/* TIME_WAIT and orphan FIN_WAIT2 */
	struct timer_list ka_timer;	/* keepalive */
	struct timer_list dack_timer;	/* delayed ACK */

	/* Listener side (listen.c). */
	spinlock_t queue_lock;		/* protects the two queues below */
	struct list_head syn_queue;
	struct list_head accept_queue;
	u32 syn_qlen;
	unsigned long cookie_stamp;	/* jiffies of the last cookie sent */
	bool cookie_sent;		/* cookie_stamp is set */

	/* Child side: its listener until accept() or abort. */
	struct sock *parent;
	struct list_head child_node;
	u8 child_queue;			/* enum xtcp_child_queue */

	/* Statistics. */
	u64 bytes_sent;
	u64 bytes_acked;
	u64 bytes_received;
	u32 total_retrans;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/* What the write queue's sk_buffs carry in skb->cb. */
struct xtcp_skb_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + data + SYN + FIN */
	u8 flags;		/* XTCP_SYN / XTCP_FIN for write-queue skbs */
	bool retransmitted;
	bool sacked;		/* the peer holds it (SACK) */
	bool rtx_in_rec;	/* resent in the current recovery */
	u64 sent_us;		/* when last sent, for RTT samples */
};

#define XTCP_SKB_CB(skb)	((struct xtcp_skb_cb *)&((skb)->cb[0]))

/* Linux's delayed-ACK time (TCP_DELACK_MIN), 40 ms. */
#define XTCP_DELACK	(HZ / 25)

/* States in which aborting sends a RST (as Linux's tcp_need_reset()). */
static inline bool xtcp_need_reset(int state)
{
	return (1 << state) & ((1 << XTCP_ESTABLISHED) | (1 << XTCP_CLOSE_WAIT) |
			       (1 << XTCP_FIN_WAIT1) | (1 << XTCP_FIN_WAIT2) |
			       (1 << XTCP_SYN_RECV));
}

/* Payload bytes per segment: the MSS less the timestamp option. */
static inline u16 xtcp_send_mss(const struct xtcp_sock *xs)
{
	return xs->tcb.mss - (xs->tcb.ts_ok ? 12 : 0);
}

/* The payload our MSS option lets the peer send (Linux's advmss). */
static inline u16 xtcp_adv_mss(const struct xtcp_sock *xs)
{
	return xs->mss_cache - (xs->tcb.ts_ok ? 12 : 0);
}

/* info.c: which timer a connection has pending (as /proc/net/tcp's "tr"). */
enum xtcp_timer_kind {
	XTCP_TIMER_NONE,
	XTCP_TIMER_RTX,		/* retransmission of SYN, data or FIN */
	XTCP_TIMER_PROBE,	/* zero-window probe (same timer, nothing out) */
	XTCP_TIMER_KEEPALIVE,
	XTCP_TIMER_WAIT,	/* TIME_WAIT's 2MSL or an orphan's FIN_WAIT2 */
};

/*
 * One connection as every interface reports it (TCP_INFO, /proc/net/
 * xtcp_tcp, the netlink dump).  Addresses in network order, ports in host
 * order; times in microseconds (_us) or milliseconds (_ms); unacked,
 * sacked, lost and retrans count segments, as Linux's tcp_info does.
 */
struct xtcp_conn_info {
	__be32 saddr, daddr;
	u16 sport, dport;
	u8 state;		/* TCP_* (enum xtcp_state) */
	u8 ca_state;		/* TCP_CA_Open, _Recovery, _Loss */
	u8 timer;		/* enum xtcp_timer_kind */
	u8 retransmits;		/* timeouts since the last progress */
	u8 probes;		/* unanswered zero-window probes */
	u8 backoff;		/* RTO doublings */
	u8 options;		/* TCPI_OPT_* */
	u8 snd_wscale, rcv_wscale;
	u32 timer_ms;		/* until the pending timer fires */
	u32 snd_cwnd;		/* segments */
	u32 snd_ssthresh;	/* segments; 0x7fffffff: not set */
	u32 srtt_us, rttvar_us;
	u32 rto_us;		/* with backoff */
	u32 ato_us;		/* delayed-ACK timeout */
	u32 snd_mss, rcv_mss, advmss, pmtu;
	u32 reordering;
	u32 unacked, sacked, lost, retrans;
	u32 total_retrans;
	u64 bytes_sent, bytes_acked, bytes_received;
	u32 segs_in, segs_out;
	u32 snd_una, snd_nxt;
	u32 snd_wnd, rcv_wnd, rcv_space;
	u32 tx_queue;		/* bytes queued not yet acked */
	u32 rx_queue;		/* bytes not yet read; LISTEN: accept queue */
	u32 notsent_bytes;
	u32 ack_backlog, max_ack_backlog;	/* LISTEN only */
	u32 last_recv_ms;	/* since the last segment arrived */
	u32 refcnt;
	kuid_t uid;
	unsigned long ino;
};

/*
 * Caller holds the socket lock (lock_sock(), or bh_lock_sock() with no
 * owner) and a reference; does not sleep.  The _nolock variant needs only
 * that the socket stays allocated (e.g. the socket list's lock held): it
 * reads each field once and leaves sacked/lost/retrans 0.
 */
void xtcp_conn_info(struct sock *sk, struct xtcp_conn_info *ci);
void xtcp_conn_info_nolock(struct sock *sk, struct xtcp_conn_info *ci);
int xtcp_get_info(struct sock *sk, char __user *optval, int __user *optlen);

/* af_xtcp.c */
u64 xtcp_clock_us(void);
u32 xtcp_ts_now(const struct xtcp_sock *xs);

/* socket.c */
void xtcp_set_state(struct sock *sk, int state);
void xtcp_done(struct sock *sk);
void xtcp_destroy(struct sock *sk);
int xtcp_init_sock(struct sock *sk);
void xtcp_sk_destruct(struct sock *sk);
void xtcp_reset(struct sock *sk, int err);
extern const struct proto_ops xtcp_stream_ops;

/* stream.c */
int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags,
		 int *addr_len);
__poll_t xtcp_poll(struct file *file, struct socket *sock, poll_table *wait);
u32 xtcp_rcv_space(const struct sock *sk);
void xtcp_write_space(struct sock *sk);
void xtcp_rcv_space_changed(struct sock *sk);

/* mem.c: the namespace's memory, net.xtcp.mem */
void xtcp_mem_net_init(struct xtcp_net *xn);
int xtcp_tw_default(void);
bool xtcp_mem_pressure(const struct sock *sk);
bool xtcp_mem_room(const struct sock *sk, unsigned int size, bool always);
unsigned long xtcp_mem_pages(const struct net *net);
void xtcp_set_owner_r(struct sk_buff *skb, struct sock *sk);
void xtcp_wmem_queued_add(struct sock *sk, int bytes);
bool xtcp_stream_memory_free(const struct sock *sk, int wake);

/* output.c */
void xtcp_queue_data_skb(struct sock *sk, struct sk_buff *skb);
void xtcp_queue_syn(struct sock *sk);
void xtcp_queue_fin(struct sock *sk);
int xtcp_push(struct sock *sk);
int xtcp_send_ack(struct sock *sk);
void xtcp_send_probe(struct sock *sk);
int xtcp_retransmit_head(struct sock *sk);
void xtcp_resend_syn(struct sock *sk);
void xtcp_rearm_rtx(struct sock *sk);
void xtcp_send_active_reset(struct sock *sk, gfp_t gfp);
int xtcp_send_stateless(struct net *net, struct sk_buff *skb,
			struct xtcp_seg *out, const struct sock *sk);
void xtcp_send_reset_reply(struct net *net, struct sk_buff *skb,
			   const struct xtcp_seg *seg);
u32 xtcp_clean_acked(struct sock *sk, u32 ts_rtt_us, u32 *rtt_us);
u32 xtcp_sack_mark(struct sock *sk, const struct xtcp_seg *seg);
void xtcp_recovery_start(struct sock *sk);
bool xtcp_retransmit_hole(struct sock *sk);
void xtcp_ack_soon(struct sock *sk);
void xtcp_purge_write_queue(struct sock *sk);
u16 xtcp_route_mss(struct sock *sk, struct dst_entry *dst);
void xtcp_mtu_reduced(struct sock *sk);
struct xtcp_syn_params;
void xtcp_syn_options(const struct net *net, struct xtcp_syn_params *p);
void xtcp_syn_params(struct sock *sk, struct xtcp_syn_params *p);

/* cong.c */
enum xtcp_cong_ev {
	XTCP_CONG_ACK,			/* new data acknowledged, no recovery */
	XTCP_CONG_RECOVERY_ENTER,	/* fast retransmit */
	XTCP_CONG_RECOVERY_ACK,		/* an ACK during recovery */
	XTCP_CONG_RECOVERY_EXIT,	/* recovery point acknowledged */
	XTCP_CONG_RTO,			/* retransmission timeout */
	XTCP_CONG_UNDO,			/* the last cut was spurious */
};

/* Linux's sysctl_tcp_max_reordering is 300; dupacks are counted in a u8. */
#define XTCP_MAX_REORDERING	127

int xtcp_cc_register_builtin(void);
void xtcp_cc_unregister_builtin(void);
void xtcp_cc_default_name(struct xtcp_net *xn, char *name);
int xtcp_cc_set_default(struct xtcp_net *xn, const char *name);
void xtcp_cc_available(char *buf, size_t len);
void xtcp_cc_sock_init(struct sock *sk);
void xtcp_cc_inherit(struct sock *child, const struct sock *parent);
void xtcp_cc_sock_release(struct sock *sk);
int xtcp_cc_set(struct sock *sk, const char *name);
u32 xtcp_in_flight(struct sock *sk);
void xtcp_cong_event(struct sock *sk, int ev, u32 acked, u32 rtt_us);
void xtcp_cong_tx_start(struct sock *sk);

/* input.c */
int xtcp_v4_rcv(struct sk_buff *skb);
int xtcp_v4_err(struct sk_buff *skb, u32 info);
int xtcp_backlog_rcv(struct sock *sk, struct sk_buff *skb);

/* cookie.c */
bool xtcp_cookie_wanted(const struct sock *sk, bool full);
void xtcp_cookie_synack(struct sock *sk, struct sk_buff *skb,
			const struct xtcp_seg *syn);
int xtcp_cookie_check_ack(struct sock *sk, struct sk_buff *skb,
			  const struct xtcp_seg *ack, struct xtcp_seg *syn,
			  u32 *ts_off);

/* listen.c */
int xtcp_listen_start(struct sock *sk, int backlog);
void xtcp_listen_stop(struct sock *sk);
int xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb,
		    const struct xtcp_seg *seg);
void xtcp_child_connected(struct sock *child);
void xtcp_child_forget(struct sock *child);

/* timer.c */
void xtcp_init_timers(struct sock *sk);
void xtcp_clear_timers(struct sock *sk);
void xtcp_arm_rtx(struct sock *sk);
void xtcp_arm_wait(struct sock *sk, unsigned long delay);
unsigned long xtcp_tw_delay(const struct sock *sk);
void xtcp_keepalive(struct sock *sk, int on);
void xtcp_arm_keepalive(struct sock *sk);
int xtcp_keepalive_time(const struct sock *sk);
int xtcp_keepalive_intvl(const struct sock *sk);
int xtcp_keepalive_probes(const struct sock *sk);
void xtcp_sndbuf_expand(struct sock *sk);

/* table.c */
int xtcp_table_init(void);
void xtcp_table_exit(void);
int xtcp_bind_port(struct sock *sk, u16 port);
void xtcp_unbind(struct sock *sk);
void xtcp_bind_inherit(struct sock *child, struct sock *parent);
int xtcp_hash_connect(struct sock *sk);
bool xtcp_tw_recycle(struct sock *tw);
void xtcp_hash(struct sock *sk);
void xtcp_unhash(struct sock *sk);
int xtcp_listen_hash(struct sock *sk);
bool xtcp_listening(struct net *net, __be32 daddr, __be16 dport);
struct sock *xtcp_lookup(struct net *net, __be32 saddr, __be16 sport,
			 __be32 daddr, __be16 dport);
void xtcp_list_add(struct sock *sk);
void xtcp_list_del(struct sock *sk);
void xtcp_count_states(struct net *net, unsigned int counts[XTCP_NSTATES]);
void xtcp_list_lock(void);
void xtcp_list_unlock(void);
struct sock *xtcp_list_next(struct net *net, struct sock *prev);

/* netlink.c */
int xtcp_nl_init(void);
void xtcp_nl_exit(void);
void xtcp_nl_notify_state(struct sock *sk, int old, int new);

/* proc.c, sysctl.c */
int xtcp_proc_init_net(struct net *net);
void xtcp_proc_exit_net(struct net *net);
int xtcp_sysctl_init_net(struct net *net);
void xtcp_sysctl_exit_net(struct net *net);
void xtcp_net_defaults(struct xtcp_net *xn);

#endif /* _XTCP_H */
