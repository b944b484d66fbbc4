// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/xtcp: one line per state, all eleven, in the contract's order.
 * /proc/net/xtcp_stat: the counters, one "Name value" line each.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
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
	[XTCP_MIB_CHALLENGEACKS] = "ChallengeAcks",
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
	return 0;
}

void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp_stat", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
}
