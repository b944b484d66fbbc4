// SPDX-License-Identifier: GPL-2.0
/* xtcp stats: the namespace's counters, as /proc/net/xtcp_stat. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "xtcp.h"

/* By attribute number: whether the kernel sent the counter, its value. */
struct stats {
	bool have[XTCP_A_STATS_MAX + 1];
	uint64_t val[XTCP_A_STATS_MAX + 1];
};

static int stats_reply(const struct nlattr **tb, void *data)
{
	struct stats *s = data;
	unsigned int a;

	for (a = 1; a <= XTCP_A_STATS_MAX; a++) {
		if (a == XTCP_A_STATS_PAD || !tb[a])
			continue;
		s->have[a] = true;
		s->val[a] = mnl_attr_get_u64(tb[a]);
	}
	return 0;
}

int cmd_stats(struct nl *nl, int argc, char **argv, bool json)
{
	struct stats s;
	unsigned int i, a, n = 0;

	if (argc) {
		fprintf(stderr, "xtcp: stats takes no arguments\n");
		return 2;
	}
	memset(&s, 0, sizeof(s));
	if (nl_request(nl, XTCP_CMD_GET_STATS, false, NULL, NULL,
		       XTCP_A_STATS_MAX, stats_reply, &s))
		return 1;
	if (json)
		putchar('{');
	for (i = 0; i < counter_count; i++) {
		a = counter_names[i].attr;
		if (!s.have[a])
			continue;
		if (json)
			printf("%s\"%s\": %" PRIu64, n++ ? ", " : "",
			       counter_names[i].spec, s.val[a]);
		else
			printf("%-20s %" PRIu64 "\n", counter_names[i].proc,
			       s.val[a]);
	}
	if (json)
		printf("}\n");
	return 0;
}
