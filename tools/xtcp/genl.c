// SPDX-License-Identifier: GPL-2.0
/*
 * The libmnl session: resolve the "xtcp" family and its "events" group
 * through the generic netlink controller, send requests, run callbacks
 * over the replies, print the kernel's extended-ACK messages on error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "xtcp.h"

/* Large enough for any part of a dump the kernel builds. */
#define RECV_SIZE	65536

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct parse_ctx {
	const struct nlattr **tb;
	unsigned int maxattr;
};

static int attr_index(const struct nlattr *a, void *data)
{
	struct parse_ctx *p = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type <= p->maxattr)
		p->tb[type] = a;
	return MNL_CB_OK;
}

/* Index @nlh's attributes after the genl header into @tb[0..maxattr]. */
static void parse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       unsigned int maxattr)
{
	struct parse_ctx p = { tb, maxattr };

	memset(tb, 0, sizeof(*tb) * (maxattr + 1));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_index, &p);
}

/* NLMSG_ERROR: an ACK (0) ends a request; an error prints its message. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	unsigned int off;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return MNL_CB_ERROR;
	if (!e->error)
		return MNL_CB_STOP;
	fprintf(stderr, "xtcp: %s", strerror(-e->error));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(a, nlh, off) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
				fprintf(stderr, ": %s", mnl_attr_get_str(a));
		}
	}
	fputc('\n', stderr);
	errno = -e->error;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE ends a dump; it carries the dump's error, if any. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	const int *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*err)) && *err < 0) {
		fprintf(stderr, "xtcp: dump failed: %s\n", strerror(-*err));
		errno = -*err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* An entry here replaces libmnl's default for that type: give both. */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

struct reply_ctx {
	unsigned int maxattr;
	reply_fn fn;
	void *data;
};

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply_ctx *r = data;
	const struct nlattr *tb[r->maxattr + 1];

	parse_genl(nlh, tb, r->maxattr);
	return r->fn(tb, r->data) < 0 ? MNL_CB_STOP : MNL_CB_OK;
}

static struct nlmsghdr *msg_start(struct nl *nl, char *buf, uint16_t type,
				  uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : XTCP_FAMILY_VERSION;
	return nlh;
}

/* Send @nlh and run @cb over the replies until done or an error. */
static int transact(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data)
{
	static char buf[RECV_SIZE];
	int n, ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		perror("xtcp: sendto");
		return -1;
	}
	do {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0) {
			perror("xtcp: recv");
			return -1;
		}
		ret = mnl_cb_run2(buf, n, nlh->nlmsg_seq, nl->portid, cb, data,
				  ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -1 : 0;
}

struct family_ctx {
	struct nl *nl;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp;
	struct nl *nl = data;

	parse_genl(nlh, tb, CTRL_ATTR_MAX);
	if (tb[CTRL_ATTR_FAMILY_ID])
		nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *a, *name = NULL, *id = NULL;

		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = a;
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = a;
		}
		if (name && id &&
		    !strcmp(mnl_attr_get_str(name), XTCP_MCGRP_EVENTS))
			nl->events_group = mnl_attr_get_u32(id);
	}
	return MNL_CB_OK;
}

int nl_open(struct nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->seq = time(NULL);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("xtcp: netlink socket");
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));

	nlh = msg_start(nl, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, XTCP_FAMILY_NAME);
	if (transact(nl, nlh, family_cb, nl) < 0 || !nl->family) {
		fprintf(stderr, "xtcp: generic netlink family \"%s\" not found (is xtcp.ko loaded?)\n",
			XTCP_FAMILY_NAME);
		return -1;
	}
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
}

int nl_request(struct nl *nl, uint8_t cmd, bool dump,
	       void (*put)(struct nlmsghdr *nlh, void *arg), void *arg,
	       unsigned int maxattr, reply_fn fn, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct reply_ctx r = { maxattr, fn, data };
	struct nlmsghdr *nlh;

	nlh = msg_start(nl, buf, nl->family, cmd, dump ? NLM_F_DUMP : NLM_F_ACK);
	if (put)
		put(nlh, arg);
	return transact(nl, nlh, reply_cb, &r);
}

int nl_listen(struct nl *nl, unsigned int maxattr, reply_fn fn, void *data)
{
	struct reply_ctx r = { maxattr, fn, data };
	static char buf[RECV_SIZE];
	int n, ret;

	if (!nl->events_group) {
		fprintf(stderr, "xtcp: the family has no \"events\" group\n");
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_group,
				  sizeof(nl->events_group)) < 0) {
		perror("xtcp: join events");
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0) {
			/* The socket overflowed: events were lost, say so. */
			if (errno == ENOBUFS) {
				fprintf(stderr, "xtcp: events lost (receive buffer full)\n");
				continue;
			}
			perror("xtcp: recv");
			return -1;
		}
		ret = mnl_cb_run(buf, n, 0, 0, reply_cb, &r);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -1 : 0;
	}
}
