// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/xtcp: one line per state, all eleven, in the contract's order.
 * /proc/net/xtcp_stat: the counters, one "Name value" line each.
 * /proc/net/xtcp_tcp: one line per connection in /proc/net/tcp's format.
 * /proc/net/xtcp_snmp: the counters in /proc/net/snmp's two-line format.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/math64.h>
#include <net/tcp_states.h>

#include "xtcp.h"

/* The order of ../shared/xtcp-design.md, which is not numeric. */
static const u8 proc_order[] = {
	XTCP_ESTABLISHED, XTCP_SYN_SENT, XTCP_SYN_RECV, XTCP_FIN_WAIT1,
	XTCP_FIN_WAIT2, XTCP_TIME_WAIT, XTCP_CLOSE, XTCP_CLOSE_WAIT,
	XTCP_LAST_ACK, XTCP_LISTEN, XTCP_CLOSING,
};

static const char *const mib_names[XTCP_MIB_MAX] = {
	[XTCP_MIB_ACTIVEOPENS] = "ActiveOpens",
	[XTCP_MIB_PASSIVEOPENS] = "PassiveOpens",
	[XTCP_MIB_ATTEMPTFAILS] = "AttemptFails",
	[XTCP_MIB_ESTABRESETS] = "EstabResets",
	[XTCP_MIB_INSEGS] = "InSegs",
	[XTCP_MIB_OUTSEGS] = "OutSegs",
	[XTCP_MIB_RETRANSSEGS] = "RetransSegs",
	[XTCP_MIB_INERRS] = "InErrs",
	[XTCP_MIB_INCSUMERRORS] = "InCsumErrors",
	[XTCP_MIB_OUTRSTS] = "OutRsts",
	[XTCP_MIB_INRSTS] = "InRsts",
	[XTCP_MIB_DROPSOUTOFWINDOW] = "DropsOutOfWindow",
	[XTCP_MIB_PAWSESTAB] = "PAWSEstab",
	[XTCP_MIB_CHALLENGEACKS] = "ChallengeAcks",
	[XTCP_MIB_CHALLENGEACKLIMITED] = "ChallengeAckLimited",
	[XTCP_MIB_LISTENDROPS] = "ListenDrops",
	[XTCP_MIB_LISTENOVERFLOWS] = "ListenOverflows",
	[XTCP_MIB_NOSOCKET] = "NoSocket",
	[XTCP_MIB_OUTOFORDER] = "OutOfOrder",
	[XTCP_MIB_RTOTIMEOUTS] = "RtoTimeouts",
	[XTCP_MIB_BACKLOGDROPS] = "BacklogDrops",
	[XTCP_MIB_RCVQDROPS] = "RcvQueueDrops",
	[XTCP_MIB_KEEPALIVEPROBES] = "KeepAliveProbes",
	[XTCP_MIB_FASTRETRANS] = "FastRetransmits",
	[XTCP_MIB_SACKRECOVERY] = "SackRecoveries",
	[XTCP_MIB_ZEROWINDOWPROBES] = "ZeroWindowProbes",
	[XTCP_MIB_DELAYEDACKS] = "DelayedAcks",
	[XTCP_MIB_OFOQUEUE] = "OfoQueued",
	[XTCP_MIB_PMTUREDUCTIONS] = "PmtuReductions",
	[XTCP_MIB_OUTOFWINDOWICMPS] = "OutOfWindowIcmps",
	[XTCP_MIB_RCVCOLLAPSED] = "RcvCollapsed",
	[XTCP_MIB_OFOPRUNED] = "OfoPruned",
	[XTCP_MIB_SACKRENEGING] = "SackReneging",
	[XTCP_MIB_FULLUNDO] = "FullUndo",
	[XTCP_MIB_LOSSUNDO] = "LossUndo",
	[XTCP_MIB_SYNCOOKIESSENT] = "SyncookiesSent",
	[XTCP_MIB_SYNCOOKIESRECV] = "SyncookiesRecv",
	[XTCP_MIB_SYNCOOKIESFAILED] = "SyncookiesFailed",
	[XTCP_MIB_MEMORYPRESSURES] = "MemoryPressures",
	[XTCP_MIB_MEMORYPRESSURESCHRONO] = "MemoryPressuresChrono",
	[XTCP_MIB_TIMEWAITOVERFLOW] = "TimeWaitOverflow",
	[XTCP_MIB_ACKSKIPPEDSEQ] = "AckSkippedSeq",
	[XTCP_MIB_ACKSKIPPEDPAWS] = "AckSkippedPaws",
	[XTCP_MIB_ACKSKIPPEDSYNRECV] = "AckSkippedSynRecv",
	[XTCP_MIB_ACKSKIPPEDTIMEWAIT] = "AckSkippedTimeWait",
	[XTCP_MIB_ACKSKIPPEDCHALLENGE] = "AckSkippedChallenge",
};

static int states_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	unsigned int counts[XTCP_NSTATES];
	size_t i;

	xtcp_count_states(net, counts);
	for (i = 0; i < ARRAY_SIZE(proc_order); i++)
		seq_printf(seq, "%s %u\n", xtcp_state_name(proc_order[i]),
			   counts[proc_order[i]]);
	return 0;
}

static int stat_show(struct seq_file *seq, void *v)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_single_net(seq));
	unsigned int counts[XTCP_NSTATES];
	int i;

	xtcp_count_states(seq_file_single_net(seq), counts);
	for (i = 0; i < XTCP_MIB_MAX; i++)
		seq_printf(seq, "%s %ld\n", mib_names[i],
			   atomic_long_read(&xn->mib[i]));
	seq_printf(seq, "CurrEstab %u\n",
		   counts[XTCP_ESTABLISHED] + counts[XTCP_CLOSE_WAIT]);
	return 0;
}

/*
 * /proc/net/xtcp_snmp: Linux's "Tcp:" fields in /proc/net/snmp's order,
 * then xtcp's own counters; a line of names, then one of values.
 */
static const u8 snmp_tcp_order[] = {
	XTCP_MIB_ACTIVEOPENS, XTCP_MIB_PASSIVEOPENS, XTCP_MIB_ATTEMPTFAILS,
	XTCP_MIB_ESTABRESETS,
	XTCP_MIB_MAX,		/* CurrEstab goes here */
	XTCP_MIB_INSEGS, XTCP_MIB_OUTSEGS, XTCP_MIB_RETRANSSEGS,
	XTCP_MIB_INERRS, XTCP_MIB_OUTRSTS, XTCP_MIB_INCSUMERRORS,
};

static bool snmp_in_tcp_order(int m)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(snmp_tcp_order); i++)
		if (snmp_tcp_order[i] == m)
			return true;
	return false;
}

static int snmp_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct xtcp_net *xn = xtcp_pernet(net);
	unsigned int counts[XTCP_NSTATES];
	long vals[XTCP_MIB_MAX];
	size_t i;
	int m;

	/* Every value read once, so both lines describe the same moment. */
	for (m = 0; m < XTCP_MIB_MAX; m++)
		vals[m] = atomic_long_read(&xn->mib[m]);
	xtcp_count_states(net, counts);

	seq_puts(seq, "Xtcp: RtoAlgorithm RtoMin RtoMax MaxConn");
	for (i = 0; i < ARRAY_SIZE(snmp_tcp_order); i++)
		seq_printf(seq, " %s", snmp_tcp_order[i] == XTCP_MIB_MAX ?
			   "CurrEstab" : mib_names[snmp_tcp_order[i]]);
	for (m = 0; m < XTCP_MIB_MAX; m++)
		if (!snmp_in_tcp_order(m))
			seq_printf(seq, " %s", mib_names[m]);

	/* RFC 2012's "other" algorithm number 1, as Linux; RTO bounds in ms;
	 * no connection limit (-1).
	 */
	seq_printf(seq, "\nXtcp: 1 %u %u -1", XTCP_RTO_MIN_US / 1000,
		   XTCP_RTO_MAX_US / 1000);
	for (i = 0; i < ARRAY_SIZE(snmp_tcp_order); i++) {
		if (snmp_tcp_order[i] == XTCP_MIB_MAX)
			seq_printf(seq, " %u", counts[XTCP_ESTABLISHED] +
				   counts[XTCP_CLOSE_WAIT]);
		else
			seq_printf(seq, " %ld", vals[snmp_tcp_order[i]]);
	}
	for (m = 0; m < XTCP_MIB_MAX; m++)
		if (!snmp_in_tcp_order(m))
			seq_printf(seq, " %ld", vals[m]);
	seq_putc(seq, '\n');
	return 0;
}

/*
 * /proc/net/xtcp_tcp: /proc/net/tcp's columns, so its parsers work.  The
 * walk holds the socket list's lock from start() to stop(), so the
 * snapshots are lockless ones (xtcp_conn_info_nolock()).
 */
#define XTCP_TCP_LINE	150	/* Linux pads each line to 149 characters */

static void *conn_seq_start(struct seq_file *seq, loff_t *pos)
{
	struct net *net = seq_file_net(seq);
	struct sock *sk = NULL;
	loff_t n = *pos;

	xtcp_list_lock();
	if (!n)
		return SEQ_START_TOKEN;
	while (n-- && (sk = xtcp_list_next(net, sk)))
		;
	return sk;
}

static void *conn_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	++*pos;
	return xtcp_list_next(seq_file_net(seq),
			      v == SEQ_START_TOKEN ? NULL : v);
}

static void conn_seq_stop(struct seq_file *seq, void *v)
{
	xtcp_list_unlock();
}

/* Linux's "tr" column: 1 retransmit, 2 keepalive (and FIN_WAIT2's
 * timeout), 3 TIME_WAIT, 4 zero-window probe.
 */
static int proc_timer_code(const struct xtcp_conn_info *ci)
{
	switch (ci->timer) {
	case XTCP_TIMER_RTX:
		return 1;
	case XTCP_TIMER_KEEPALIVE:
		return 2;
	case XTCP_TIMER_WAIT:
		return ci->state == TCP_TIME_WAIT ? 3 : 2;
	case XTCP_TIMER_PROBE:
		return 4;
	default:
		return 0;
	}
}

static unsigned long ms_to_clock_t(u32 ms)
{
	return div_u64((u64)ms * USER_HZ, MSEC_PER_SEC);
}

static unsigned long us_to_clock_t(u32 us)
{
	return div_u64((u64)us * USER_HZ, USEC_PER_SEC);
}

static int conn_seq_show(struct seq_file *seq, void *v)
{
	struct xtcp_conn_info ci;
	struct sock *sk = v;
	int ssthresh;

	seq_setwidth(seq, XTCP_TCP_LINE - 1);
	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
		goto out;
	}
	xtcp_conn_info_nolock(sk, &ci);
	/* Linux prints -1 while ssthresh is still "infinite". */
	ssthresh = ci.snd_ssthresh >= 0x7fffffff ? -1 : ci.snd_ssthresh;
	seq_printf(seq,
		   "%4lld: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK %lu %lu %u %u %d",
		   seq->index - 1, (__force u32)ci.saddr, ci.sport,
		   (__force u32)ci.daddr, ci.dport, ci.state, ci.tx_queue,
		   ci.rx_queue, proc_timer_code(&ci),
		   ms_to_clock_t(ci.timer_ms), ci.retransmits,
		   from_kuid_munged(seq_user_ns(seq), ci.uid), ci.probes,
		   ci.ino, ci.refcnt, sk, us_to_clock_t(ci.rto_us),
		   us_to_clock_t(ci.ato_us), 0, ci.snd_cwnd,
		   ci.state == TCP_LISTEN ? 0 : ssthresh);
out:
	seq_pad(seq, '\n');
	return 0;
}

/*
 * /proc/net/xtcp_sockstat: the "TCP:" line of /proc/net/sockstat for
 * xtcp - mem in pages, as there - and whether the namespace is under
 * memory pressure (net.xtcp.mem).  TIME_WAIT entries are full sockets
 * here, so alloc counts them too.
 */
static int sockstat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	unsigned int inuse = 0, orphan = 0, tw = 0, alloc = 0;
	struct sock *sk = NULL;

	xtcp_list_lock();
	while ((sk = xtcp_list_next(net, sk))) {
		int state = READ_ONCE(sk->sk_state);

		alloc++;
		if (state == TCP_TIME_WAIT) {
			tw++;
		} else if (state != TCP_CLOSE) {
			inuse++;
			orphan += sock_flag(sk, SOCK_DEAD);
		}
	}
	xtcp_list_unlock();
	seq_printf(seq, "XTCP: inuse %u orphan %u tw %u alloc %u mem %lu pressure %d\n",
		   inuse, orphan, tw, alloc, xtcp_mem_pages(net),
		   !!READ_ONCE(xtcp_pernet(net)->mem_pressure));
	return 0;
}

static const struct seq_operations conn_seq_ops = {
	.start = conn_seq_start,
	.next = conn_seq_next,
	.stop = conn_seq_stop,
	.show = conn_seq_show,
};

int xtcp_proc_init_net(struct net *net)
{
	if (!proc_create_net_single("xtcp", 0444, net->proc_net, states_show,
				    NULL))
		return -ENOMEM;
	if (!proc_create_net_single("xtcp_stat", 0444, net->proc_net,
				    stat_show, NULL)) {
		remove_proc_entry("xtcp", net->proc_net);
		return -ENOMEM;
	}
	if (!proc_create_net("xtcp_tcp", 0444, net->proc_net, &conn_seq_ops,
			     sizeof(struct seq_net_private)))
		goto err_tcp;
	if (!proc_create_net_single("xtcp_snmp", 0444, net->proc_net,
				    snmp_show, NULL))
		goto err_snmp;
	if (!proc_create_net_single("xtcp_sockstat", 0444, net->proc_net,
				    sockstat_show, NULL))
		goto err_sockstat;
	return 0;

err_sockstat:
	remove_proc_entry("xtcp_snmp", net->proc_net);
err_snmp:
	remove_proc_entry("xtcp_tcp", net->proc_net);
err_tcp:
	remove_proc_entry("xtcp_stat", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
	return -ENOMEM;
}

void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp_sockstat", net->proc_net);
	remove_proc_entry("xtcp_snmp", net->proc_net);
	remove_proc_entry("xtcp_tcp", net->proc_net);
	remove_proc_entry("xtcp_stat", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
}
