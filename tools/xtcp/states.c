// SPDX-License-Identifier: GPL-2.0
/* xtcp states: the namespace's connection counts, as /proc/net/xtcp. */
#include <stdio.h>

#include "xtcp.h"

static int states_reply(const struct nlattr **tb, void *data)
{
	uint32_t *counts = data;
	unsigned int st;

	for (st = 1; st <= XTCP_A_STATES_MAX; st++)
		counts[st] = tb[st] ? mnl_attr_get_u32(tb[st]) : 0;
	return 0;
}

int cmd_states(struct nl *nl, int argc, char **argv, bool json)
{
	uint32_t counts[XTCP_A_STATES_MAX + 1] = { 0 };
	unsigned int i, st;

	if (argc) {
		fprintf(stderr, "xtcp: states takes no arguments\n");
		return 2;
	}
	if (nl_request(nl, XTCP_CMD_GET_STATES, false, NULL, NULL,
		       XTCP_A_STATES_MAX, states_reply, counts))
		return 1;
	if (json)
		putchar('{');
	for (i = 0; i < XTCP_A_STATES_MAX; i++) {
		st = proc_state_order[i];
		if (json)
			printf("%s\"%s\": %u", i ? ", " : "",
			       state_spec_name(st), counts[st]);
		else
			printf("%s %u\n", state_name(st), counts[st]);
	}
	if (json)
		printf("}\n");
	return 0;
}
