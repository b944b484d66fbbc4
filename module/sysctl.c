// SPDX-License-Identifier: GPL-2.0
/*
 * net.xtcp.* sysctls, per network namespace, named after net.ipv4.tcp_*
 * where the meaning is the same.  Defaults are Linux's.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "xtcp.h"

static int zero;
static int one = 1;
static int max_syn_retries = 127;
static int max_tw = 600;
static int max_retries = 255;
static int min_rmem = 4096;

void xtcp_net_defaults(struct xtcp_net *xn)
{
	xn->enabled = 1;
	xn->syn_retries = 6;
	xn->synack_retries = 5;
	xn->fin_timeout = 60;
	xn->tw_timeout = 60;
	xn->retries2 = 15;
	xn->max_syn_backlog = 1024;
	xn->keepalive_time = 7200;
	xn->keepalive_intvl = 75;
	xn->keepalive_probes = 9;
	xn->rmem[0] = 4096;
	xn->rmem[1] = 131072;
	xn->rmem[2] = 6291456;
	/* No send-buffer autotuning yet: a larger default than Linux's 16K. */
	xn->wmem[0] = 4096;
	xn->wmem[1] = 262144;
	xn->wmem[2] = 4194304;
	xn->window_scaling = 1;
	xn->timestamps = 1;
	xn->sack = 1;
}

#define XTCP_INT(name, field, lo, hi) {				\
	.procname = name,					\
	.data = &((struct xtcp_net *)0)->field,			\
	.maxlen = sizeof(int),					\
	.mode = 0644,						\
	.proc_handler = proc_dointvec_minmax,			\
	.extra1 = lo,						\
	.extra2 = hi,						\
}

#define XTCP_VEC(name, field) {					\
	.procname = name,					\
	.data = &((struct xtcp_net *)0)->field,			\
	.maxlen = sizeof(((struct xtcp_net *)0)->field),	\
	.mode = 0644,						\
	.proc_handler = proc_dointvec_minmax,			\
	.extra1 = &min_rmem,					\
}

/* .data holds offsets into struct xtcp_net until a namespace copies it. */
static struct ctl_table xtcp_sysctl_template[] = {
	XTCP_INT("enabled", enabled, &zero, &one),
	XTCP_INT("syn_retries", syn_retries, &one, &max_syn_retries),
	XTCP_INT("synack_retries", synack_retries, &one, &max_retries),
	XTCP_INT("fin_timeout", fin_timeout, &one, &max_tw),
	XTCP_INT("tw_timeout", tw_timeout, &one, &max_tw),
	XTCP_INT("retries2", retries2, &one, &max_retries),
	XTCP_INT("max_syn_backlog", max_syn_backlog, &one, NULL),
	XTCP_INT("keepalive_time", keepalive_time, &one, NULL),
	XTCP_INT("keepalive_intvl", keepalive_intvl, &one, NULL),
	XTCP_INT("keepalive_probes", keepalive_probes, &one, &max_retries),
	XTCP_VEC("rmem", rmem),
	XTCP_VEC("wmem", wmem),
	XTCP_INT("window_scaling", window_scaling, &zero, &one),
	XTCP_INT("timestamps", timestamps, &zero, &one),
	XTCP_INT("sack", sack, &zero, &one),
	XTCP_SYSCTL_SENTINEL
};

#define XTCP_SYSCTL_N	(ARRAY_SIZE(xtcp_sysctl_template))

int xtcp_sysctl_init_net(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	struct ctl_table *table;
	size_t i;

	table = kmemdup(xtcp_sysctl_template, sizeof(xtcp_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	/* Every entry holds an offset, the first one offset 0. */
	for (i = 0; i < XTCP_SYSCTL_N; i++) {
		if (table[i].procname)
			table[i].data = (char *)xn + (uintptr_t)table[i].data;
	}
	xn->sysctl_hdr = xtcp_register_net_sysctl(net, "net/xtcp", table,
						  XTCP_SYSCTL_N);
	if (!xn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void xtcp_sysctl_exit_net(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	const struct ctl_table *table;

	if (!xn->sysctl_hdr)
		return;
	table = xn->sysctl_hdr->ctl_table_arg;
	unregister_net_sysctl_table(xn->sysctl_hdr);
	xn->sysctl_hdr = NULL;
	kfree(table);
}
