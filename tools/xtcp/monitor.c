// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp monitor: follow the "events" group, one line per state change,
 * flushed at once so that a pipe sees each as it happens.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/time.h>

#include "xtcp.h"

static const char *endpoint(const struct nlattr **tb, unsigned int a,
			    unsigned int p, char *buf, size_t len)
{
	struct in_addr in = { 0 };
	char ip[INET_ADDRSTRLEN];

	if (tb[a])
		in.s_addr = mnl_attr_get_u32(tb[a]);
	inet_ntop(AF_INET, &in, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, tb[p] ? mnl_attr_get_u16(tb[p]) : 0);
	return buf;
}

static int event(const struct nlattr **tb, void *data)
{
	bool json = *(bool *)data;
	unsigned int old = 0, new = 0;
	char l[32], p[32];
	struct timeval tv;

	if (tb[XTCP_A_CONN_OLD_STATE])
		old = mnl_attr_get_u8(tb[XTCP_A_CONN_OLD_STATE]);
	if (tb[XTCP_A_CONN_STATE])
		new = mnl_attr_get_u8(tb[XTCP_A_CONN_STATE]);
	endpoint(tb, XTCP_A_CONN_SADDR, XTCP_A_CONN_SPORT, l, sizeof(l));
	endpoint(tb, XTCP_A_CONN_DADDR, XTCP_A_CONN_DPORT, p, sizeof(p));
	gettimeofday(&tv, NULL);
	if (json)
		printf("{\"time\": %ld.%06ld, \"local\": \"%s\", \"peer\": \"%s\", \"old-state\": \"%s\", \"state\": \"%s\"}\n",
		       (long)tv.tv_sec, (long)tv.tv_usec, l, p,
		       state_spec_name(old), state_spec_name(new));
	else
		printf("%ld.%06ld %-21s %-21s %s -> %s\n", (long)tv.tv_sec,
		       (long)tv.tv_usec, l, p, state_name(old),
		       state_name(new));
	fflush(stdout);
	return 0;
}

int cmd_monitor(struct nl *nl, int argc, char **argv, bool json)
{
	if (argc) {
		fprintf(stderr, "xtcp: monitor takes no arguments\n");
		return 2;
	}
	return nl_listen(nl, XTCP_A_CONN_MAX, event, &json) ? 1 : 0;
}
