// SPDX-License-Identifier: GPL-2.0
/*
 * net.xtcp.* sysctls, per network namespace, named after net.ipv4.tcp_*
 * where the meaning is the same.  Defaults are Linux's.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "xtcp.h"

/*
 * Bounds of every sysctl (Documentation/sysctl.rst): a write outside them
 * fails with EINVAL and keeps the value, as Linux's tcp sysctls do.
 */
static int zero;
static int one = 1;
static int max_syn_retries = 127;	/* Linux's MAX_TCP_SYNCNT */
static int max_retries = 255;		/* Linux keeps these in a u8 */
static int max_tw = 600;		/* seconds: ten minutes */
static int max_syn_backlog = 65535;
static int max_syncookies = 2;		/* 0 never, 1 on overflow, 2 always */
static int max_keepalive = 32767;	/* MAX_TCP_KEEPIDLE/KEEPINTVL, s */
static int max_keepcnt = 127;		/* MAX_TCP_KEEPCNT */
static int min_mem = 4096;		/* one page */
static int max_mem = INT_MAX / 2;	/* socket buffers are doubled ints */
static int max_challenge = INT_MAX;

void xtcp_net_defaults(struct xtcp_net *xn)
{
	xn->enabled = 1;
	xn->syn_retries = 6;
	xn->synack_retries = 5;
	xn->fin_timeout = 60;
	xn->tw_timeout = 60;
	xn->retries2 = 15;
	xn->max_syn_backlog = 1024;
	xn->syncookies = 1;
	xn->keepalive_time = 7200;
	xn->keepalive_intvl = 75;
	xn->keepalive_probes = 9;
	xn->rmem[0] = 4096;
	xn->rmem[1] = 131072;
	xn->rmem[2] = 6291456;
	/* Linux's; connected sockets grow it (xtcp_sndbuf_expand()). */
	xn->wmem[0] = 4096;
	xn->wmem[1] = 16384;
	xn->wmem[2] = 4194304;
	xtcp_mem_net_init(xn);	/* mem: Linux's tcp_mem defaults */
	xn->max_tw_buckets = xtcp_tw_default();
	xn->window_scaling = 1;
	xn->timestamps = 1;
	xn->sack = 1;
	xn->challenge_ack_limit = 1000;
	xn->invalid_ratelimit = 500;	/* ms, Linux's tcp_invalid_ratelimit */
	strscpy(xn->cc_name, "cubic", sizeof(xn->cc_name));
}

/* @off: offsetof(struct xtcp_net, field); @n ints; bounded by @lo, @hi. */
#define XTCP_INTS(name, off, n, lo, hi) {			\
	.procname = name,					\
	.data = (void *)(off),					\
	.maxlen = (n) * sizeof(int),				\
	.mode = 0644,						\
	.proc_handler = proc_dointvec_minmax,			\
	.extra1 = lo,						\
	.extra2 = hi,						\
}

#define XTCP_OFF(field)	offsetof(struct xtcp_net, field)

/*
 * congestion_control: the algorithm of new sockets; a name nobody has
 * registered fails with ENOENT, as Linux's tcp_congestion_control does.
 */
static int proc_cc_default(XTCP_CTL_TABLE *table, int write, void *buffer,
			   size_t *lenp, loff_t *ppos)
{
	struct xtcp_net *xn = container_of(table->data, struct xtcp_net,
					   cc_name);
	char name[XTCP_CC_NAME_MAX];
	struct ctl_table tbl = { .data = name, .maxlen = sizeof(name) };
	int err;

	xtcp_cc_default_name(xn, name);
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (write && !err)
		err = xtcp_cc_set_default(xn, name);
	return err;
}

/*
 * mem: exactly three page counts, each 1 .. 2^31 - 1, taken all or none -
 * proc_dointvec_minmax() would keep the numbers before a bad one and let
 * a missing or an extra one pass.
 */
static int proc_mem(XTCP_CTL_TABLE *table, int write, void *buffer,
		    size_t *lenp, loff_t *ppos)
{
	int vals[4] = {}, *mem = table->data, i;
	struct ctl_table tbl = {
		.data = vals, .maxlen = sizeof(vals),
		.extra1 = SYSCTL_ONE, .extra2 = SYSCTL_INT_MAX,
	};
	int err;

	if (!write)
		return proc_dointvec(table, write, buffer, lenp, ppos);
	err = proc_dointvec_minmax(&tbl, write, buffer, lenp, ppos);
	if (err)
		return err;
	/* 0 is below the minimum, so it can only mean "not given". */
	if (!vals[2] || vals[3])
		return -EINVAL;
	for (i = 0; i < 3; i++)
		WRITE_ONCE(mem[i], vals[i]);
	return 0;
}

/* available_congestion_control: every registered name, read-only. */
static int proc_cc_available(XTCP_CTL_TABLE *table, int write, void *buffer,
			     size_t *lenp, loff_t *ppos)
{
	struct ctl_table tbl = { .maxlen = 1024 };
	int err;

	tbl.data = kmalloc(tbl.maxlen, GFP_KERNEL);
	if (!tbl.data)
		return -ENOMEM;
	xtcp_cc_available(tbl.data, tbl.maxlen);
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	kfree(tbl.data);
	return err;
}

/* .data holds offsets into struct xtcp_net until a namespace copies it. */
static struct ctl_table xtcp_sysctl_template[] = {
	XTCP_INTS("enabled", XTCP_OFF(enabled), 1, &zero, &one),
	XTCP_INTS("syn_retries", XTCP_OFF(syn_retries), 1, &one, &max_syn_retries),
	XTCP_INTS("synack_retries", XTCP_OFF(synack_retries), 1, &one, &max_retries),
	XTCP_INTS("fin_timeout", XTCP_OFF(fin_timeout), 1, &one, &max_tw),
	XTCP_INTS("tw_timeout", XTCP_OFF(tw_timeout), 1, &one, &max_tw),
	XTCP_INTS("retries2", XTCP_OFF(retries2), 1, &one, &max_retries),
	XTCP_INTS("max_syn_backlog", XTCP_OFF(max_syn_backlog), 1, &one, &max_syn_backlog),
	XTCP_INTS("syncookies", XTCP_OFF(syncookies), 1, &zero, &max_syncookies),
	XTCP_INTS("keepalive_time", XTCP_OFF(keepalive_time), 1, &one, &max_keepalive),
	XTCP_INTS("keepalive_intvl", XTCP_OFF(keepalive_intvl), 1, &one, &max_keepalive),
	XTCP_INTS("keepalive_probes", XTCP_OFF(keepalive_probes), 1, &one, &max_keepcnt),
	XTCP_INTS("rmem", XTCP_OFF(rmem), 3, &min_mem, &max_mem),
	XTCP_INTS("wmem", XTCP_OFF(wmem), 3, &min_mem, &max_mem),
	{
		.procname = "mem",
		.data = (void *)XTCP_OFF(mem),
		.maxlen = 3 * sizeof(int),
		.mode = 0644,
		.proc_handler = proc_mem,
	},
	XTCP_INTS("max_tw_buckets", XTCP_OFF(max_tw_buckets), 1, &zero, &max_challenge),
	XTCP_INTS("window_scaling", XTCP_OFF(window_scaling), 1, &zero, &one),
	XTCP_INTS("timestamps", XTCP_OFF(timestamps), 1, &zero, &one),
	XTCP_INTS("sack", XTCP_OFF(sack), 1, &zero, &one),
	XTCP_INTS("challenge_ack_limit", XTCP_OFF(challenge_ack_limit), 1, &zero, &max_challenge),
	XTCP_INTS("invalid_ratelimit", XTCP_OFF(invalid_ratelimit), 1, SYSCTL_ZERO, SYSCTL_INT_MAX),
	{
		.procname = "congestion_control",
		.data = (void *)XTCP_OFF(cc_name),
		.maxlen = XTCP_CC_NAME_MAX,
		.mode = 0644,
		.proc_handler = proc_cc_default,
	},
	{
		.procname = "available_congestion_control",
		.maxlen = 1024,
		.mode = 0444,
		.proc_handler = proc_cc_available,
	},
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
