// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp - show xtcp's connections, state counts and counters, and follow
 * its state changes, over the "xtcp" generic netlink family.  See xtcp(8).
 */
#include <stdio.h>
#include <string.h>

#include "xtcp.h"

static const struct {
	const char *name;
	int (*run)(struct nl *nl, int argc, char **argv, bool json);
} cmds[] = {
	{ "states", cmd_states },
	{ "conns", cmd_conns },
	{ "stats", cmd_stats },
	{ "monitor", cmd_monitor },
};

static int usage(FILE *f)
{
	fprintf(f,
		"usage: xtcp [-j] states\n"
		"       xtcp [-j] conns [state S]... [sport P] [dport P] [port P]\n"
		"       xtcp [-j] stats\n"
		"       xtcp [-j] monitor\n"
		"  -j  JSON (names as in Documentation/netlink/specs/xtcp.yaml)\n");
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	bool json = false;
	int i, ret, n;
	const char *cmd = NULL;
	char *args[64];
	struct nl nl;
	size_t c;

	/* -j anywhere; the rest is the subcommand and its words. */
	for (i = 1, n = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout);
		else if (!cmd)
			cmd = argv[i];
		else if (n < (int)(sizeof(args) / sizeof(args[0])))
			args[n++] = argv[i];
		else
			return usage(stderr);
	}
	if (!cmd)
		return usage(stderr);
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		if (strcmp(cmd, cmds[c].name))
			continue;
		if (nl_open(&nl)) {
			nl_close(&nl);
			return 1;
		}
		ret = cmds[c].run(&nl, n, args, json);
		nl_close(&nl);
		return ret;
	}
	fprintf(stderr, "xtcp: unknown command \"%s\"\n", cmd);
	return usage(stderr);
}
