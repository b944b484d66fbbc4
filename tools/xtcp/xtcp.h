/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp(8): the command-line tool of the "xtcp" generic netlink family.
 * Shared declarations of its files: genl.c (the libmnl session), names.c
 * (state, timer and counter names), one file per subcommand.
 */
#ifndef XTCP_TOOL_H
#define XTCP_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/xtcp.h>

/* One generic netlink socket talking to the family. */
struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;	/* the family's id */
	uint32_t events_group;	/* multicast group id of "events" */
};

/* Called for each reply message, with its attributes indexed by type. */
typedef int (*reply_fn)(const struct nlattr **tb, void *data);

int nl_open(struct nl *nl);
void nl_close(struct nl *nl);
/*
 * Send @cmd (a dump when @dump) with attributes added by @put (may be
 * NULL), call @fn for every reply with attributes up to @maxattr.
 * Returns 0, or -1 after printing the kernel's error (and its extended
 * ACK message).
 */
int nl_request(struct nl *nl, uint8_t cmd, bool dump,
	       void (*put)(struct nlmsghdr *nlh, void *arg), void *arg,
	       unsigned int maxattr, reply_fn fn, void *data);
/* Join "events" and call @fn for each notification until it returns <0. */
int nl_listen(struct nl *nl, unsigned int maxattr, reply_fn fn, void *data);

/* names.c */
extern const uint8_t proc_state_order[XTCP_A_STATES_MAX];
const char *state_name(unsigned int state);	/* "ESTABLISHED" */
const char *state_spec_name(unsigned int state);	/* "established" */
int state_parse(const char *s);			/* -1 if unknown */
const char *timer_spec_name(unsigned int timer);
const char *ca_state_spec_name(unsigned int ca);
struct counter_name {
	uint16_t attr;
	const char *proc;	/* /proc/net/xtcp_stat: "ActiveOpens" */
	const char *spec;	/* the spec: "active-opens" */
};
extern const struct counter_name counter_names[];
extern const unsigned int counter_count;

/* One file per subcommand; argv starts after the subcommand's name. */
int cmd_states(struct nl *nl, int argc, char **argv, bool json);
int cmd_conns(struct nl *nl, int argc, char **argv, bool json);
int cmd_stats(struct nl *nl, int argc, char **argv, bool json);
int cmd_monitor(struct nl *nl, int argc, char **argv, bool json);

#endif
