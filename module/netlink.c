// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "xtcp" (Documentation/netlink/specs/xtcp.yaml):
 * state counts, a connection dump filtered in the kernel, the counters,
 * and the "events" multicast group that announces every state change.
 * Everything is per network namespace: the requester's, or the socket's.
 */
#include <linux/bits.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include <uapi/linux/xtcp.h>
#include "xtcp.h"

/* The uapi numbers are the kernel's, so no translation table is needed. */
static_assert((int)XTCP_CONN_STATE_ESTABLISHED == (int)XTCP_ESTABLISHED);
static_assert((int)XTCP_CONN_STATE_CLOSING == (int)XTCP_CLOSING);
static_assert((int)XTCP_A_STATES_ESTABLISHED == (int)XTCP_ESTABLISHED);
static_assert((int)XTCP_A_STATES_MAX == (int)XTCP_NSTATES - 1);
static_assert((int)XTCP_PENDING_TIMER_NONE == (int)XTCP_TIMER_NONE);
static_assert((int)XTCP_PENDING_TIMER_RETRANSMIT == (int)XTCP_TIMER_RTX);
static_assert((int)XTCP_PENDING_TIMER_PROBE == (int)XTCP_TIMER_PROBE);
static_assert((int)XTCP_PENDING_TIMER_KEEPALIVE == (int)XTCP_TIMER_KEEPALIVE);
static_assert((int)XTCP_PENDING_TIMER_WAIT == (int)XTCP_TIMER_WAIT);

#define XTCP_STATE_BITS	GENMASK(XTCP_CONN_STATE_CLOSING, \
				XTCP_CONN_STATE_ESTABLISHED)

enum { XTCP_NLGRP_EVENTS };

static const struct genl_multicast_group xtcp_nl_mcgrps[] = {
	[XTCP_NLGRP_EVENTS] = { .name = XTCP_MCGRP_EVENTS, },
};

/* get-conn's filters; any other attribute fails strict validation. */
static const struct nla_policy get_conn_policy[XTCP_A_CONN_MAX + 1] = {
	[XTCP_A_CONN_STATE_MASK] = NLA_POLICY_MASK(NLA_U32, XTCP_STATE_BITS),
	[XTCP_A_CONN_SPORT] = { .type = NLA_U16 },
	[XTCP_A_CONN_DPORT] = { .type = NLA_U16 },
	[XTCP_A_CONN_PORT] = { .type = NLA_U16 },
};

/* Counter -> attribute; a counter without an attribute is not reported. */
static const u8 stats_attr[XTCP_MIB_MAX] = {
	[XTCP_MIB_ACTIVEOPENS] = XTCP_A_STATS_ACTIVE_OPENS,
	[XTCP_MIB_PASSIVEOPENS] = XTCP_A_STATS_PASSIVE_OPENS,
	[XTCP_MIB_ATTEMPTFAILS] = XTCP_A_STATS_ATTEMPT_FAILS,
	[XTCP_MIB_ESTABRESETS] = XTCP_A_STATS_ESTAB_RESETS,
	[XTCP_MIB_INSEGS] = XTCP_A_STATS_IN_SEGS,
	[XTCP_MIB_OUTSEGS] = XTCP_A_STATS_OUT_SEGS,
	[XTCP_MIB_RETRANSSEGS] = XTCP_A_STATS_RETRANS_SEGS,
	[XTCP_MIB_INERRS] = XTCP_A_STATS_IN_ERRS,
	[XTCP_MIB_INCSUMERRORS] = XTCP_A_STATS_IN_CSUM_ERRORS,
	[XTCP_MIB_OUTRSTS] = XTCP_A_STATS_OUT_RSTS,
	[XTCP_MIB_INRSTS] = XTCP_A_STATS_IN_RSTS,
	[XTCP_MIB_DROPSOUTOFWINDOW] = XTCP_A_STATS_DROPS_OUT_OF_WINDOW,
	[XTCP_MIB_CHALLENGEACKS] = XTCP_A_STATS_CHALLENGE_ACKS,
	[XTCP_MIB_LISTENDROPS] = XTCP_A_STATS_LISTEN_DROPS,
	[XTCP_MIB_LISTENOVERFLOWS] = XTCP_A_STATS_LISTEN_OVERFLOWS,
	[XTCP_MIB_NOSOCKET] = XTCP_A_STATS_NO_SOCKET,
	[XTCP_MIB_OUTOFORDER] = XTCP_A_STATS_OUT_OF_ORDER,
	[XTCP_MIB_RTOTIMEOUTS] = XTCP_A_STATS_RTO_TIMEOUTS,
	[XTCP_MIB_BACKLOGDROPS] = XTCP_A_STATS_BACKLOG_DROPS,
	[XTCP_MIB_RCVQDROPS] = XTCP_A_STATS_RCV_QUEUE_DROPS,
	[XTCP_MIB_KEEPALIVEPROBES] = XTCP_A_STATS_KEEP_ALIVE_PROBES,
	[XTCP_MIB_FASTRETRANS] = XTCP_A_STATS_FAST_RETRANSMITS,
	[XTCP_MIB_SACKRECOVERY] = XTCP_A_STATS_SACK_RECOVERIES,
	[XTCP_MIB_ZEROWINDOWPROBES] = XTCP_A_STATS_ZERO_WINDOW_PROBES,
	[XTCP_MIB_DELAYEDACKS] = XTCP_A_STATS_DELAYED_ACKS,
	[XTCP_MIB_OFOQUEUE] = XTCP_A_STATS_OFO_QUEUED,
	[XTCP_MIB_PMTUREDUCTIONS] = XTCP_A_STATS_PMTU_REDUCTIONS,
	[XTCP_MIB_OUTOFWINDOWICMPS] = XTCP_A_STATS_OUT_OF_WINDOW_ICMPS,
	[XTCP_MIB_RCVCOLLAPSED] = XTCP_A_STATS_RCV_COLLAPSED,
	[XTCP_MIB_OFOPRUNED] = XTCP_A_STATS_OFO_PRUNED,
	[XTCP_MIB_SACKRENEGING] = XTCP_A_STATS_SACK_RENEGING,
	[XTCP_MIB_FULLUNDO] = XTCP_A_STATS_FULL_UNDO,
	[XTCP_MIB_LOSSUNDO] = XTCP_A_STATS_LOSS_UNDO,
	[XTCP_MIB_SYNCOOKIESSENT] = XTCP_A_STATS_SYNCOOKIES_SENT,
	[XTCP_MIB_SYNCOOKIESRECV] = XTCP_A_STATS_SYNCOOKIES_RECV,
	[XTCP_MIB_SYNCOOKIESFAILED] = XTCP_A_STATS_SYNCOOKIES_FAILED,
	[XTCP_MIB_MEMORYPRESSURES] = XTCP_A_STATS_MEMORY_PRESSURES,
	[XTCP_MIB_MEMORYPRESSURESCHRONO] = XTCP_A_STATS_MEMORY_PRESSURES_CHRONO,
	[XTCP_MIB_TIMEWAITOVERFLOW] = XTCP_A_STATS_TIME_WAIT_OVERFLOW,
	[XTCP_MIB_ACKSKIPPEDSEQ] = XTCP_A_STATS_ACK_SKIPPED_SEQ,
	[XTCP_MIB_ACKSKIPPEDPAWS] = XTCP_A_STATS_ACK_SKIPPED_PAWS,
	[XTCP_MIB_ACKSKIPPEDSYNRECV] = XTCP_A_STATS_ACK_SKIPPED_SYN_RECV,
	[XTCP_MIB_ACKSKIPPEDTIMEWAIT] = XTCP_A_STATS_ACK_SKIPPED_TIME_WAIT,
	[XTCP_MIB_ACKSKIPPEDCHALLENGE] = XTCP_A_STATS_ACK_SKIPPED_CHALLENGE,
	[XTCP_MIB_PAWSESTAB] = XTCP_A_STATS_PAWS_ESTAB,
	[XTCP_MIB_CHALLENGEACKLIMITED] = XTCP_A_STATS_CHALLENGE_ACK_LIMITED,
};

static struct genl_family xtcp_nl_family;

/* A reply to @info carrying one attribute of @size per @n. */
static struct sk_buff *reply_new(struct genl_info *info, size_t size,
				 unsigned int n, void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(nla_total_size_64bit(size) * n, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &xtcp_nl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int get_states_doit(struct sk_buff *skb, struct genl_info *info)
{
	unsigned int counts[XTCP_NSTATES];
	struct sk_buff *msg;
	void *hdr;
	int st;

	msg = reply_new(info, sizeof(u32), XTCP_NSTATES, &hdr);
	if (!msg)
		return -ENOMEM;
	xtcp_count_states(genl_info_net(info), counts);
	/* Each state's attribute number is the state's own. */
	for (st = XTCP_ESTABLISHED; st < XTCP_NSTATES; st++) {
		if (nla_put_u32(msg, st, counts[st]))
			goto too_big;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct xtcp_net *xn = xtcp_pernet(net);
	unsigned int counts[XTCP_NSTATES];
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = reply_new(info, sizeof(u64), XTCP_MIB_MAX + 1, &hdr);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < XTCP_MIB_MAX; i++) {
		if (stats_attr[i] &&
		    nla_put_u64_64bit(msg, stats_attr[i],
				      atomic_long_read(&xn->mib[i]),
				      XTCP_A_STATS_PAD))
			goto too_big;
	}
	xtcp_count_states(net, counts);
	if (nla_put_u64_64bit(msg, XTCP_A_STATS_CURR_ESTAB,
			      counts[XTCP_ESTABLISHED] +
			      counts[XTCP_CLOSE_WAIT], XTCP_A_STATS_PAD))
		goto too_big;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* A dump request's filters; a port of 0 matches every port. */
struct conn_filter {
	u32 state_mask;
	u16 sport, dport, port;
};

static void conn_filter_get(struct netlink_callback *cb, struct conn_filter *f)
{
	struct nlattr **tb = xtcp_genl_dump_attrs(cb);

	memset(f, 0, sizeof(*f));
	f->state_mask = XTCP_STATE_BITS;
	if (!tb)
		return;
	if (tb[XTCP_A_CONN_STATE_MASK])
		f->state_mask = nla_get_u32(tb[XTCP_A_CONN_STATE_MASK]);
	if (tb[XTCP_A_CONN_SPORT])
		f->sport = nla_get_u16(tb[XTCP_A_CONN_SPORT]);
	if (tb[XTCP_A_CONN_DPORT])
		f->dport = nla_get_u16(tb[XTCP_A_CONN_DPORT]);
	if (tb[XTCP_A_CONN_PORT])
		f->port = nla_get_u16(tb[XTCP_A_CONN_PORT]);
}

static bool conn_match(const struct conn_filter *f,
		       const struct xtcp_conn_info *ci)
{
	if (!(f->state_mask & BIT(ci->state)))
		return false;
	if (f->sport && f->sport != ci->sport)
		return false;
	if (f->dport && f->dport != ci->dport)
		return false;
	return !f->port || f->port == ci->sport || f->port == ci->dport;
}

/* The addresses, ports and state: what a dump entry and an event share. */
static int put_conn_id(struct sk_buff *msg, const struct sock *sk, int state)
{
	const struct inet_sock *inet = inet_sk(sk);

	if (nla_put_in_addr(msg, XTCP_A_CONN_SADDR,
			    READ_ONCE(inet->inet_rcv_saddr)) ||
	    nla_put_in_addr(msg, XTCP_A_CONN_DADDR,
			    READ_ONCE(inet->inet_daddr)) ||
	    nla_put_u16(msg, XTCP_A_CONN_SPORT,
			ntohs(READ_ONCE(inet->inet_sport))) ||
	    nla_put_u16(msg, XTCP_A_CONN_DPORT,
			ntohs(READ_ONCE(inet->inet_dport))) ||
	    nla_put_u8(msg, XTCP_A_CONN_STATE, state))
		return -EMSGSIZE;
	return 0;
}

static int put_conn_info(struct sk_buff *msg, const struct sock *sk,
			 const struct xtcp_conn_info *ci,
			 struct user_namespace *ns)
{
	if (put_conn_id(msg, sk, ci->state) ||
	    nla_put_u32(msg, XTCP_A_CONN_CWND, ci->snd_cwnd) ||
	    nla_put_u32(msg, XTCP_A_CONN_SSTHRESH, ci->snd_ssthresh) ||
	    nla_put_u8(msg, XTCP_A_CONN_CA_STATE, ci->ca_state) ||
	    nla_put_u32(msg, XTCP_A_CONN_SRTT, ci->srtt_us) ||
	    nla_put_u32(msg, XTCP_A_CONN_RTTVAR, ci->rttvar_us) ||
	    nla_put_u32(msg, XTCP_A_CONN_RTO, ci->rto_us) ||
	    nla_put_u8(msg, XTCP_A_CONN_RETRANSMITS, ci->retransmits) ||
	    nla_put_u32(msg, XTCP_A_CONN_TOTAL_RETRANS, ci->total_retrans) ||
	    nla_put_u64_64bit(msg, XTCP_A_CONN_BYTES_SENT, ci->bytes_sent,
			      XTCP_A_CONN_PAD) ||
	    nla_put_u64_64bit(msg, XTCP_A_CONN_BYTES_ACKED, ci->bytes_acked,
			      XTCP_A_CONN_PAD) ||
	    nla_put_u64_64bit(msg, XTCP_A_CONN_BYTES_RECEIVED,
			      ci->bytes_received, XTCP_A_CONN_PAD) ||
	    nla_put_u32(msg, XTCP_A_CONN_SEGS_OUT, ci->segs_out) ||
	    nla_put_u32(msg, XTCP_A_CONN_SEGS_IN, ci->segs_in) ||
	    nla_put_u32(msg, XTCP_A_CONN_SND_WND, ci->snd_wnd) ||
	    nla_put_u32(msg, XTCP_A_CONN_RCV_WND, ci->rcv_wnd) ||
	    nla_put_u32(msg, XTCP_A_CONN_MSS, ci->snd_mss) ||
	    nla_put_u32(msg, XTCP_A_CONN_RECV_Q, ci->rx_queue) ||
	    nla_put_u32(msg, XTCP_A_CONN_SEND_Q, ci->state == XTCP_LISTEN ?
			ci->max_ack_backlog : ci->tx_queue) ||
	    nla_put_u8(msg, XTCP_A_CONN_TIMER, ci->timer) ||
	    nla_put_u32(msg, XTCP_A_CONN_TIMER_EXPIRES, ci->timer_ms) ||
	    nla_put_u64_64bit(msg, XTCP_A_CONN_INODE, ci->ino,
			      XTCP_A_CONN_PAD) ||
	    nla_put_u32(msg, XTCP_A_CONN_UID, from_kuid_munged(ns, ci->uid)))
		return -EMSGSIZE;
	return 0;
}

static int conn_fill(struct sk_buff *skb, struct netlink_callback *cb,
		     struct sock *sk, const struct xtcp_conn_info *ci)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &xtcp_nl_family, NLM_F_MULTI, XTCP_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	if (put_conn_info(skb, sk, ci, sk_user_ns(NETLINK_CB(cb->skb).sk))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * get-conn dump.  cb->args[0] counts the namespace's listed sockets
 * already walked, so the next part of a multi-part dump resumes after
 * them.  A socket opened or freed between two parts can shift that
 * position (as with Linux's own socket dumps): sockets that live through
 * the whole dump are each reported exactly once only if none before them
 * goes away meanwhile.
 */
static int get_conn_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct xtcp_conn_info ci;
	struct conn_filter f;
	struct sock *sk = NULL;
	long pos = 0;
	int err = 0;

	conn_filter_get(cb, &f);
	xtcp_list_lock();
	while ((sk = xtcp_list_next(net, sk))) {
		if (pos++ < cb->args[0])
			continue;
		xtcp_conn_info_nolock(sk, &ci);
		if (conn_match(&f, &ci)) {
			err = conn_fill(skb, cb, sk, &ci);
			if (err) {
				pos--;	/* this one starts the next part */
				break;
			}
		}
	}
	xtcp_list_unlock();
	cb->args[0] = pos;
	/* Not even one entry fits: report it rather than loop forever. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* An event: two addresses, two ports, two states. */
#define EVENT_SIZE	(2 * nla_total_size(sizeof(u32)) +	\
			 2 * nla_total_size(sizeof(u16)) +	\
			 2 * nla_total_size(sizeof(u8)))

/**
 * xtcp_nl_notify_state - announce a state change to the "events" group.
 * @sk: the socket; its lock (or its spinlock in softirq) is held.
 * @old: the state it left.
 * @new: the state it entered.
 *
 * May run in softirq: allocates atomically, and costs one test when
 * nobody listens in the socket's namespace.  A failed allocation loses
 * the event; listeners see a gap, never a wrong order.
 */
void xtcp_nl_notify_state(struct sock *sk, int old, int new)
{
	struct net *net = sock_net(sk);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&xtcp_nl_family, net, XTCP_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(EVENT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &xtcp_nl_family, 0,
			  XTCP_CMD_STATE_CHANGE);
	if (!hdr)
		goto fail;
	if (put_conn_id(msg, sk, new) ||
	    nla_put_u8(msg, XTCP_A_CONN_OLD_STATE, old))
		goto fail;
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&xtcp_nl_family, net, msg, 0,
				XTCP_NLGRP_EVENTS, GFP_ATOMIC);
	return;

fail:
	nlmsg_free(msg);
}

/*
 * Every operation is newer than resv_start_op: strict validation, and a
 * request carrying attributes an operation has no policy for is refused.
 */
static const struct genl_ops xtcp_nl_ops[] = {
	{
		.cmd = XTCP_CMD_GET_STATES,
		.doit = get_states_doit,
	},
	{
		.cmd = XTCP_CMD_GET_CONN,
		.dumpit = get_conn_dumpit,
		.policy = get_conn_policy,
		.maxattr = XTCP_A_CONN_MAX,
	},
	{
		.cmd = XTCP_CMD_GET_STATS,
		.doit = get_stats_doit,
	},
};

static struct genl_family xtcp_nl_family __ro_after_init = {
	.name = XTCP_FAMILY_NAME,
	.version = XTCP_FAMILY_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = xtcp_nl_ops,
	.n_ops = ARRAY_SIZE(xtcp_nl_ops),
	.resv_start_op = XTCP_CMD_GET_STATES,
	.mcgrps = xtcp_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(xtcp_nl_mcgrps),
};

int __init xtcp_nl_init(void)
{
	return genl_register_family(&xtcp_nl_family);
}

void xtcp_nl_exit(void)
{
	genl_unregister_family(&xtcp_nl_family);
}
