// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_netlink: the "xtcp" generic netlink family and the xtcp(8) tool.
 *
 *  - every_state: /proc/net/xtcp, get-states, the dump and "xtcp states"
 *    agree while connections are opened and closed through all eleven
 *    states;
 *  - dump_10000: a dump of 10,000 connections is complete (multi-part)
 *    and filtered dumps return exactly the matching connections;
 *  - events: the "events" group reports every transition of a scripted
 *    connection's life, in order, for both ends and the listener;
 *  - malformed: malformed requests get errors with an extended-ACK
 *    message, and the family keeps working;
 *  - tool: "xtcp stats" equals /proc/net/xtcp_stat, "xtcp -j conns"
 *    lists exactly the filtered connections, bad arguments fail.
 *
 * The netlink client here is raw (no libmnl), so that it can also send
 * what no library would.  The tool is ./xtcp next to this binary
 * (selftests/Makefile builds it from tools/xtcp/).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/xtcp.h>

#include "fixture.h"

#define PORT 5000
#define WAIT 10000
#define NLBUF 65536
#define MAXATTR 64

/* ---- a raw generic netlink client ---- */

struct gnl {
	int fd;
	uint16_t id;		/* the family's id */
	uint32_t events;	/* the "events" group's id */
	uint32_t seq;
};

/* What one request got back. */
struct reply {
	int error;		/* from NLMSG_ERROR: 0 or -errno */
	char msg[256];		/* the extended ACK's message */
	int parts;		/* reads that carried data messages */
	int msgs;		/* data messages */
};

typedef void (*msg_fn)(const struct nlattr **tb, void *arg);

static uint64_t nla_u(const struct nlattr *a)
{
	const void *p = (const char *)a + NLA_HDRLEN;

	switch (a->nla_len - NLA_HDRLEN) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	case 8: return *(const uint64_t *)p;
	}
	return ~0ULL;
}

static uint64_t attr_or0(const struct nlattr **tb, int type)
{
	return tb[type] ? nla_u(tb[type]) : 0;
}

/* Index attributes from @p (@len bytes) into tb[0..MAXATTR]. */
static void parse_attrs(const char *p, int len, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (MAXATTR + 1));
	while (len >= (int)NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		if (type <= MAXATTR)
			tb[type] = a;
		p += NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);
	}
}

static void parse_genl(const struct nlmsghdr *nh, const struct nlattr **tb)
{
	parse_attrs((const char *)NLMSG_DATA(nh) + GENL_HDRLEN,
		    nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), tb);
}

/* Start a request in @buf; attributes follow with msg_put(). */
static struct nlmsghdr *msg_init(char *buf, struct gnl *g, uint16_t type,
				 uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nh = (void *)buf;
	struct genlmsghdr *gh = NLMSG_DATA(nh);

	memset(buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	nh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST | flags;
	nh->nlmsg_seq = ++g->seq;
	gh->cmd = cmd;
	gh->version = 1;
	return nh;
}

static void msg_put(struct nlmsghdr *nh, uint16_t type, const void *data,
		    uint16_t len)
{
	struct nlattr *a = (void *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void read_error(const struct nlmsghdr *nh, struct reply *r)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	const struct nlattr *tb[MAXATTR + 1];
	size_t off = sizeof(*e);

	r->error = e->error;
	if (!e->error || !(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	parse_attrs((const char *)e + off,
		    (int)(nh->nlmsg_len - NLMSG_HDRLEN - off), tb);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(r->msg, sizeof(r->msg), "%s",
			 (const char *)tb[NLMSGERR_ATTR_MSG] + NLA_HDRLEN);
}

/*
 * Send @nh (of @len bytes, which may lie about itself) and read replies
 * to it until DONE or an error/ACK.  Returns 0, or -1 when the socket
 * failed or nothing came within 10 s.
 */
static int xfer_raw(struct gnl *g, const void *req, size_t len, uint32_t seq,
		    msg_fn fn, void *arg, struct reply *r)
{
	static char buf[NLBUF];
	const struct nlattr *tb[MAXATTR + 1];
	struct nlmsghdr *nh;
	int n, data;

	memset(r, 0, sizeof(*r));
	if (send(g->fd, req, len, 0) != (ssize_t)len)
		return -1;
	for (;;) {
		if (poll1(g->fd, POLLIN, 10000) <= 0)
			return -1;
		n = recv(g->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -1;
		data = 0;
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				read_error(nh, r);
				return 0;
			}
			data = 1;
			r->msgs++;
			if (fn) {
				parse_genl(nh, tb);
				fn(tb, arg);
			}
		}
		r->parts += data;
	}
}

static int xfer(struct gnl *g, struct nlmsghdr *nh, msg_fn fn, void *arg,
		struct reply *r)
{
	return xfer_raw(g, nh, nh->nlmsg_len, nh->nlmsg_seq, fn, arg, r);
}

static void family_msg(const struct nlattr **tb, void *arg)
{
	const struct nlattr *grps = tb[CTRL_ATTR_MCAST_GROUPS];
	struct gnl *g = arg;
	const char *p;
	int len;

	if (tb[CTRL_ATTR_FAMILY_ID])
		g->id = nla_u(tb[CTRL_ATTR_FAMILY_ID]);
	if (!grps)
		return;
	p = (const char *)grps + NLA_HDRLEN;
	len = grps->nla_len - NLA_HDRLEN;
	while (len >= (int)NLA_HDRLEN) {
		const struct nlattr *grp = (const void *)p, *in[MAXATTR + 1];

		parse_attrs(p + NLA_HDRLEN, grp->nla_len - NLA_HDRLEN, in);
		if (in[CTRL_ATTR_MCAST_GRP_NAME] && in[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp((const char *)in[CTRL_ATTR_MCAST_GRP_NAME] + NLA_HDRLEN,
			    XTCP_MCGRP_EVENTS))
			g->events = nla_u(in[CTRL_ATTR_MCAST_GRP_ID]);
		p += NLA_ALIGN(grp->nla_len);
		len -= NLA_ALIGN(grp->nla_len);
	}
}

/* A generic netlink socket in namespace @nsfd, the family resolved. */
static int gnl_open(struct gnl *g, int nsfd)
{
	char buf[256];
	struct nlmsghdr *nh;
	struct reply r;
	int one = 1;

	memset(g, 0, sizeof(*g));
	g->fd = ns_socket(nsfd, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (g->fd < 0)
		return -1;
	setsockopt(g->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	nh = msg_init(buf, g, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	msg_put(nh, CTRL_ATTR_FAMILY_NAME, XTCP_FAMILY_NAME,
		sizeof(XTCP_FAMILY_NAME));
	if (xfer(g, nh, family_msg, g, &r) || r.error || !g->id || !g->events)
		return -1;
	return 0;
}

/* ---- the family's requests ---- */

static void states_msg(const struct nlattr **tb, void *arg)
{
	struct states *s = arg;
	int st;

	/* Attribute numbers are TCP_* states; index = state - 1. */
	for (st = 1; st <= ST_N; st++)
		s->n[st - 1] = attr_or0(tb, st);
}

static int nl_states(struct gnl *g, struct states *s)
{
	char buf[64];
	struct reply r;

	memset(s, 0, sizeof(*s));
	if (xfer(g, msg_init(buf, g, g->id, XTCP_CMD_GET_STATES, NLM_F_ACK),
		 states_msg, s, &r))
		return -1;
	return r.error || r.msgs != 1 ? -1 : 0;
}

/* A dump's filter; zero fields are left out of the request. */
struct filter {
	uint32_t state_mask;
	uint16_t sport, dport, port;
};

/* What a dump returned: per-state counts and the ports seen. */
struct dump {
	struct states s;
	int n;
	int bad;		/* entries with impossible contents */
	uint16_t *sports, *dports;	/* n entries, when non-NULL */
	int cap;
};

static void dump_msg(const struct nlattr **tb, void *arg)
{
	struct dump *d = arg;
	uint64_t st = attr_or0(tb, XTCP_A_CONN_STATE);

	if (st < 1 || st > ST_N || !tb[XTCP_A_CONN_SPORT] ||
	    !tb[XTCP_A_CONN_RTO] || !tb[XTCP_A_CONN_BYTES_SENT])
		d->bad++;
	else
		d->s.n[st - 1]++;
	if (d->sports && d->n < d->cap) {
		d->sports[d->n] = attr_or0(tb, XTCP_A_CONN_SPORT);
		d->dports[d->n] = attr_or0(tb, XTCP_A_CONN_DPORT);
	}
	d->n++;
}

static int nl_dump(struct gnl *g, const struct filter *f, struct dump *d,
		   struct reply *r)
{
	char buf[128];
	struct nlmsghdr *nh;

	d->n = d->bad = 0;
	memset(&d->s, 0, sizeof(d->s));
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_CONN, NLM_F_DUMP);
	if (f && f->state_mask)
		msg_put(nh, XTCP_A_CONN_STATE_MASK, &f->state_mask, 4);
	if (f && f->sport)
		msg_put(nh, XTCP_A_CONN_SPORT, &f->sport, 2);
	if (f && f->dport)
		msg_put(nh, XTCP_A_CONN_DPORT, &f->dport, 2);
	if (f && f->port)
		msg_put(nh, XTCP_A_CONN_PORT, &f->port, 2);
	if (xfer(g, nh, dump_msg, d, r) || r->error)
		return -1;
	return 0;
}

/* ---- the tool ---- */

/* Run "xtcp ARGS" in @nsfd; its stdout into @out.  Returns exit status. */
static int tool(int nsfd, char *out, size_t cap, const char *args)
{
	static char path[PATH_MAX];
	char cmd[PATH_MAX + 256];
	size_t len = 0;
	int p[2], status;
	ssize_t n;
	pid_t pid;

	if (!path[0]) {
		ssize_t l = readlink("/proc/self/exe", path, sizeof(path) - 8);

		if (l < 0)
			return -1;
		path[l] = '\0';
		strcat(dirname(path), "/xtcp");
	}
	snprintf(cmd, sizeof(cmd), "%s %s", path, args);
	if (pipe(p))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		if (setns(nsfd, CLONE_NEWNET))
			_exit(126);
		dup2(p[1], 1);
		close(p[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (pid > 0 && len + 1 < cap &&
	       (n = read(p[0], out + len, cap - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* "NAME count" lines, as /proc/net/xtcp and "xtcp states" print them. */
static int parse_states(const char *text, struct states *s)
{
	char name[32];
	int i, n, v, seen = 0;

	memset(s, 0, sizeof(*s));
	while (sscanf(text, "%31s %d%n", name, &v, &n) == 2) {
		for (i = 0; i < ST_N; i++) {
			if (!strcmp(name, st_names[i])) {
				s->n[i] = v;
				seen++;
			}
		}
		text += n;
	}
	return seen == ST_N ? 0 : -1;
}

static int count_str(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* ---- the fixture: namespaces A and B, xtcp only ---- */

FIXTURE(nl) {
	struct topo t;
	struct gnl g[2];
};

FIXTURE_SETUP(nl)
{
	self->t.ns[0] = self->t.ns[1] = -1;
	self->g[0].fd = self->g[1].fd = -1;
	signal(SIGPIPE, SIG_IGN);
	if (!fam_available(FAM_XTCP)) {
		if (fam_required())
			ASSERT_TRUE(0) TH_LOG("xtcp unavailable: %s", strerror(errno));
		SKIP(return, "xtcp not loaded");
	}
	ASSERT_EQ(0, topo_setup(&self->t, FAM_XTCP)) TH_LOG("%s", self->t.err);
	ASSERT_EQ(0, gnl_open(&self->g[SIDE_A], self->t.ns[SIDE_A]));
	ASSERT_EQ(0, gnl_open(&self->g[SIDE_B], self->t.ns[SIDE_B]));
}

FIXTURE_TEARDOWN(nl)
{
	if (self->g[0].fd >= 0)
		close(self->g[0].fd);
	if (self->g[1].fd >= 0)
		close(self->g[1].fd);
	topo_teardown(&self->t);
}

#define G(side) (&self->g[side])

/*
 * /proc/net/xtcp, get-states, the unfiltered dump and "xtcp states" give
 * the same counts for @side.  Connections may move while they are read
 * (timers run): a round counts only if /proc reads the same before and
 * after it; bounded number of rounds.
 */
static int agree(struct topo *t, struct gnl *g, int side, struct states *out,
		 char *why, size_t len)
{
	struct states p1, p2, n, tl;
	struct dump d = { 0 };
	char text[4096], a[256], b[256];
	struct reply r;
	int round;

	for (round = 0; round < 100; round++) {
		if (read_states(t, side, &p1) || nl_states(g, &n) ||
		    nl_dump(g, NULL, &d, &r) ||
		    tool(t->ns[side], text, sizeof(text), "states") ||
		    parse_states(text, &tl) || read_states(t, side, &p2)) {
			snprintf(why, len, "a read failed (dump error %d)", r.error);
			return -1;
		}
		if (memcmp(&p1, &p2, sizeof(p1)))
			continue;
		states_fmt(&p1, a, sizeof(a));
		if (memcmp(&p1, &n, sizeof(n))) {
			states_fmt(&n, b, sizeof(b));
			snprintf(why, len, "/proc %s, get-states %s", a, b);
		} else if (memcmp(&p1, &d.s, sizeof(d.s)) || d.bad) {
			states_fmt(&d.s, b, sizeof(b));
			snprintf(why, len, "/proc %s, dump %s (%d bad)", a, b, d.bad);
		} else if (memcmp(&p1, &tl, sizeof(tl))) {
			states_fmt(&tl, b, sizeof(b));
			snprintf(why, len, "/proc %s, tool %s", a, b);
		} else {
			*out = p1;
			return 0;
		}
	}
	return -1;
}

#define ASSERT_AGREE(side) do {						\
	struct states __s;						\
	char __why[600] = "/proc never stood still";			\
	int __i;							\
	ASSERT_EQ(0, agree(T, G(side), side, &__s, __why, sizeof(__why))) \
		TH_LOG("side %s: %s", side == SIDE_A ? "A" : "B", __why); \
	for (__i = 0; __i < ST_N; __i++)				\
		seen.n[__i] += __s.n[__i];				\
} while (0)

static int nb_connect(struct topo *t, int port)
{
	struct sockaddr_in a = addr_of(SIDE_B, port);
	int fd = topo_socket(t, SIDE_A);

	if (fd < 0)
		return -1;
	set_nonblock(fd, true);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ||
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Connections walked through all eleven states (the ways xtcp_states
 * holds each), both sides compared after every step.
 */
TEST_F_TIMEOUT(nl, every_state, 180)
{
	int lfd, fd0, c1, s1, c2, s2, c3, s3, c4, s4, c5, c6, s6, csyn, i;
	struct states seen = { 0 };
	char missing[256] = "";

	fd0 = topo_socket(T, SIDE_A);			/* CLOSE */
	ASSERT_LE(0, fd0);
	lfd = listen_on(T, PORT, 64);			/* LISTEN */
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &c1, &s1));
	ASSERT_STATES(SIDE_A, "CLOSE 1 ESTABLISHED 1", WAIT);
	ASSERT_AGREE(SIDE_A);
	ASSERT_AGREE(SIDE_B);

	/* half close: FIN_WAIT2 / CLOSE_WAIT */
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &c2, &s2));
	ASSERT_EQ(0, shutdown(c2, SHUT_WR));
	ASSERT_STATES(SIDE_B, "LISTEN 1 ESTABLISHED 1 CLOSE_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_A, "CLOSE 1 ESTABLISHED 1 FIN_WAIT2 1", WAIT);
	ASSERT_AGREE(SIDE_A);
	ASSERT_AGREE(SIDE_B);

	/* full close: TIME_WAIT */
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &c3, &s3));
	ASSERT_EQ(0, close(c3));
	ASSERT_STATES(SIDE_A, "CLOSE 1 ESTABLISHED 1 FIN_WAIT2 2", WAIT);
	ASSERT_EQ(0, close(s3));
	ASSERT_STATES(SIDE_A, "CLOSE 1 ESTABLISHED 1 FIN_WAIT2 1 TIME_WAIT 1",
		      WAIT);
	ASSERT_AGREE(SIDE_A);
	ASSERT_AGREE(SIDE_B);

	/* the client's pure ACKs are lost: a server child in SYN_RECV */
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &c4, &s4));
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &c6, &s6));
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 11, F_ACK, 0xff));
	c5 = nb_connect(T, PORT);
	ASSERT_LE(0, c5);
	ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_SYN_RECV, 1, WAIT));
	ASSERT_AGREE(SIDE_A);
	ASSERT_AGREE(SIDE_B);

	/*
	 * Everything from A lost: SYN_SENT, FIN_WAIT1 (c4 shuts down), and
	 * LAST_ACK (s2 closes; c2 takes the FIN into TIME_WAIT).
	 */
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	csyn = nb_connect(T, PORT + 1);
	ASSERT_LE(0, csyn);
	ASSERT_EQ(0, shutdown(c4, SHUT_WR));
	ASSERT_EQ(0, close(s2));
	ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_LAST_ACK, 1, WAIT));
	ASSERT_EQ(0, wait_state_count(T, SIDE_A, ST_TIME_WAIT, 2, WAIT));
	ASSERT_EQ(0, wait_state_count(T, SIDE_A, ST_FIN_WAIT1, 1, WAIT));
	ASSERT_EQ(0, wait_state_count(T, SIDE_A, ST_SYN_SENT, 1, WAIT));
	ASSERT_AGREE(SIDE_A);
	ASSERT_AGREE(SIDE_B);

	/*
	 * Simultaneous close with both FINs lost, then A's segments pass
	 * again: B takes A's FIN that does not ack its own: CLOSING.
	 */
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 12, 0, 0));
	ASSERT_EQ(0, close(c6));
	ASSERT_EQ(0, close(s6));
	ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_FIN_WAIT1, 1, WAIT));
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_CLOSING, 1, 20000));
	ASSERT_AGREE(SIDE_A);
	ASSERT_AGREE(SIDE_B);

	/* and closed again: counts follow every socket out */
	close(fd0);
	close(c1);
	close(s1);
	ASSERT_AGREE(SIDE_A);
	ASSERT_AGREE(SIDE_B);

	for (i = 0; i < ST_N; i++) {
		if (!seen.n[i])
			snprintf(missing + strlen(missing),
				 sizeof(missing) - strlen(missing), "%s ",
				 st_names[i]);
	}
	ASSERT_STREQ("", missing);
	close(lfd);
	close(c2);
	close(c4);
	close(s4);
	close(c5);
	close(csyn);
}

#define NCONN 10000

static int has_port(const uint16_t *ports, int n, uint16_t p)
{
	int i;

	for (i = 0; i < n; i++)
		if (ports[i] == p)
			return 1;
	return 0;
}

TEST_F_TIMEOUT(nl, dump_10000, 1200)
{
	static uint16_t cport[NCONN], sp[NCONN + 8], dp[NCONN + 8];
	static char seen[65536];
	struct rlimit rl = { 2 * NCONN + 100, 2 * NCONN + 100 };
	static int cfd[NCONN], sfd[NCONN];
	struct dump d = { .sports = sp, .dports = dp, .cap = NCONN + 8 };
	struct filter f;
	struct reply r;
	double t0, t1;
	int lfd, i, closed = 0, missing;
	char *out;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	lfd = listen_on(T, PORT, 4096);
	ASSERT_LE(0, lfd);
	t0 = now_s();
	for (i = 0; i < NCONN; i++) {
		ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd[i], &sfd[i]))
			TH_LOG("connection %d", i);
		cport[i] = sock_port(cfd[i]);
	}
	t1 = now_s();
	TH_LOG("%d connections opened in %.1f s", NCONN, t1 - t0);

	/* complete: every client port exactly once, over several parts */
	ASSERT_EQ(0, nl_dump(G(SIDE_A), NULL, &d, &r));
	TH_LOG("dump of %d connections: %d parts, %.2f s", d.n, r.parts,
	       now_s() - t1);
	ASSERT_EQ(NCONN, d.n);
	ASSERT_EQ(0, d.bad);
	ASSERT_LT(1, r.parts);
	ASSERT_EQ(NCONN, d.s.n[ST_ESTABLISHED]);
	for (i = 0; i < NCONN; i++) {
		ASSERT_EQ(0, seen[sp[i]]) TH_LOG("port %u twice", sp[i]);
		seen[sp[i]] = 1;
		ASSERT_EQ(PORT, dp[i]);
	}
	for (i = 0, missing = 0; i < NCONN; i++)
		missing += !seen[cport[i]];
	ASSERT_EQ(0, missing);
	ASSERT_EQ(0, nl_dump(G(SIDE_B), NULL, &d, &r));
	ASSERT_EQ(NCONN + 1, d.n);

	/* filters, each returning exactly its matches */
	memset(&f, 0, sizeof(f));
	f.port = cport[1234];
	ASSERT_EQ(0, nl_dump(G(SIDE_A), &f, &d, &r));
	ASSERT_EQ(1, d.n);
	ASSERT_EQ(cport[1234], sp[0]);
	ASSERT_EQ(0, nl_dump(G(SIDE_B), &f, &d, &r));
	ASSERT_EQ(1, d.n);
	ASSERT_EQ(cport[1234], dp[0]);
	memset(&f, 0, sizeof(f));
	f.dport = cport[77];
	f.sport = PORT;
	ASSERT_EQ(0, nl_dump(G(SIDE_B), &f, &d, &r));
	ASSERT_EQ(1, d.n);
	f.sport = PORT + 1;
	ASSERT_EQ(0, nl_dump(G(SIDE_B), &f, &d, &r));
	ASSERT_EQ(0, d.n);
	memset(&f, 0, sizeof(f));
	f.state_mask = 1U << XTCP_CONN_STATE_LISTEN;
	ASSERT_EQ(0, nl_dump(G(SIDE_B), &f, &d, &r));
	ASSERT_EQ(1, d.n);
	ASSERT_EQ(PORT, sp[0]);
	ASSERT_EQ(0, nl_dump(G(SIDE_A), &f, &d, &r));
	ASSERT_EQ(0, d.n);
	memset(&f, 0, sizeof(f));
	f.sport = PORT;
	ASSERT_EQ(0, nl_dump(G(SIDE_B), &f, &d, &r));
	ASSERT_EQ(NCONN + 1, d.n);

	/* every 100th client closes: FIN_WAIT2 for exactly those */
	for (i = 0; i < NCONN; i += 100, closed++)
		ASSERT_EQ(0, shutdown(cfd[i], SHUT_WR));
	ASSERT_EQ(0, wait_state_count(T, SIDE_A, ST_FIN_WAIT2, closed, WAIT));
	ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_CLOSE_WAIT, closed, WAIT));
	memset(&f, 0, sizeof(f));
	f.state_mask = 1U << XTCP_CONN_STATE_FIN_WAIT2;
	ASSERT_EQ(0, nl_dump(G(SIDE_A), &f, &d, &r));
	ASSERT_EQ(closed, d.n);
	for (i = 0; i < NCONN; i++)
		ASSERT_EQ(i % 100 == 0, has_port(sp, d.n, cport[i]));
	f.state_mask = 1U << XTCP_CONN_STATE_ESTABLISHED |
		       1U << XTCP_CONN_STATE_CLOSE_WAIT;
	f.port = PORT;
	ASSERT_EQ(0, nl_dump(G(SIDE_B), &f, &d, &r));
	ASSERT_EQ(NCONN, d.n);
	ASSERT_EQ(closed, d.s.n[ST_CLOSE_WAIT]);

	/* the tool's filtered JSON listing agrees */
	out = malloc(1 << 20);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, tool(T->ns[SIDE_A], out, 1 << 20, "-j conns state fin-wait2"));
	ASSERT_EQ(closed, count_str(out, "\"state\": \"fin-wait2\""));
	ASSERT_EQ(closed, count_str(out, "\"saddr\""));
	free(out);

	t0 = now_s();
	for (i = 0; i < NCONN; i++) {
		close(cfd[i]);
		close(sfd[i]);
	}
	close(lfd);
	TH_LOG("closed in %.1f s", now_s() - t0);
}

/* ---- events ---- */

struct event {
	uint16_t sport, dport;
	uint8_t old, new;
};

struct events {
	struct event ev[64];
	int n;
};

static void event_msg(const struct nlattr **tb, void *arg)
{
	struct events *e = arg;

	if (e->n >= 64)
		return;
	e->ev[e->n].sport = attr_or0(tb, XTCP_A_CONN_SPORT);
	e->ev[e->n].dport = attr_or0(tb, XTCP_A_CONN_DPORT);
	e->ev[e->n].old = attr_or0(tb, XTCP_A_CONN_OLD_STATE);
	e->ev[e->n].new = attr_or0(tb, XTCP_A_CONN_STATE);
	e->n++;
}

/* Read every pending notification of @g into @e. */
static void drain_events(struct gnl *g, struct events *e, int timeout_ms)
{
	static char buf[NLBUF];
	const struct nlattr *tb[MAXATTR + 1];
	struct nlmsghdr *nh;
	int n;

	while (poll1(g->fd, POLLIN, timeout_ms) > 0) {
		n = recv(g->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			return;
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type != g->id)
				continue;
			parse_genl(nh, tb);
			event_msg(tb, e);
		}
		timeout_ms = 0;
	}
}

/* The transitions of one socket (by its ports), "OLD>NEW," each. */
static void transitions(const struct events *e, int sport, int dport,
			char *out, size_t len)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < e->n; i++) {
		if (e->ev[i].sport != sport || e->ev[i].dport != dport)
			continue;
		o += snprintf(out + o, len - o, "%s>%s,",
			      st_names[e->ev[i].old - 1],
			      st_names[e->ev[i].new - 1]);
	}
}

/* Wait until @side's events include @want for the socket (bounded). */
static int wait_events(struct gnl *g, struct events *e, int sport, int dport,
		       const char *want, char *have, size_t len)
{
	int64_t end = now_ms() + WAIT;

	for (;;) {
		transitions(e, sport, dport, have, len);
		if (!strcmp(have, want))
			return 0;
		if (strlen(have) > strlen(want) || now_ms() > end)
			return -1;
		drain_events(g, e, 100);
	}
}

#define ASSERT_EVENTS(side, e, sport, dport, want) do {			\
	char __have[1024];						\
	ASSERT_EQ(0, wait_events(G(side), e, sport, dport, want,	\
				 __have, sizeof(__have)))		\
		TH_LOG("want %s, have %s", want, __have);		\
} while (0)

TEST_F_TIMEOUT(nl, events, 60)
{
	struct events ea = { .n = 0 }, eb = { .n = 0 };
	int lfd, cfd, sfd, cport;
	char c = 'x';

	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_A, "tw_timeout", 1));
	ASSERT_EQ(0, setsockopt(G(SIDE_A)->fd, SOL_NETLINK,
				NETLINK_ADD_MEMBERSHIP, &G(SIDE_A)->events, 4));
	ASSERT_EQ(0, setsockopt(G(SIDE_B)->fd, SOL_NETLINK,
				NETLINK_ADD_MEMBERSHIP, &G(SIDE_B)->events, 4));

	lfd = listen_on(T, PORT, 8);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	cport = sock_port(cfd);
	ASSERT_EQ(1, write(cfd, &c, 1));
	ASSERT_EQ(1, read_exact(sfd, &c, 1, WAIT));
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_EQ(0, read_to_eof(sfd, &c, 1, WAIT));
	ASSERT_EQ(0, close(sfd));
	ASSERT_EQ(0, close(cfd));
	ASSERT_EQ(0, close(lfd));

	ASSERT_EVENTS(SIDE_A, &ea, cport, PORT,
		      "CLOSE>SYN_SENT,SYN_SENT>ESTABLISHED,"
		      "ESTABLISHED>FIN_WAIT1,FIN_WAIT1>FIN_WAIT2,"
		      "FIN_WAIT2>TIME_WAIT,TIME_WAIT>CLOSE,");
	ASSERT_EVENTS(SIDE_B, &eb, PORT, cport,
		      "CLOSE>SYN_RECV,SYN_RECV>ESTABLISHED,"
		      "ESTABLISHED>CLOSE_WAIT,CLOSE_WAIT>LAST_ACK,"
		      "LAST_ACK>CLOSE,");
	ASSERT_EVENTS(SIDE_B, &eb, PORT, 0, "CLOSE>LISTEN,LISTEN>CLOSE,");
	/* nothing else happened in either namespace */
	drain_events(G(SIDE_A), &ea, 0);
	drain_events(G(SIDE_B), &eb, 0);
	ASSERT_EQ(6, ea.n);
	ASSERT_EQ(7, eb.n);
}

/* ---- malformed requests ---- */

/* Send @len bytes of @buf as is; expect error @err and a message. */
static int expect_error(struct gnl *g, char *buf, size_t len, int err,
			char *msg, size_t msglen)
{
	struct nlmsghdr *nh = (void *)buf;
	struct reply r;

	if (xfer_raw(g, buf, len, nh->nlmsg_seq, NULL, NULL, &r))
		return -2;
	snprintf(msg, msglen, "%s", r.msg);
	return r.error == -err ? 0 : r.error;
}

#define ASSERT_REJECTED(buf, len, err, need_msg) do {			\
	char __msg[256];						\
	struct states __s;						\
	int __r = expect_error(G(SIDE_A), buf, len, err, __msg, sizeof(__msg)); \
	ASSERT_EQ(0, __r) TH_LOG("got %d (%s), want -%d", __r, __msg, err); \
	if (need_msg)							\
		ASSERT_NE(0, __msg[0]) TH_LOG("no extended-ACK message"); \
	TH_LOG("rejected: %s", __msg);					\
	ASSERT_EQ(0, nl_states(G(SIDE_A), &__s));			\
} while (0)

TEST_F(nl, malformed)
{
	struct gnl *g = G(SIDE_A);
	char buf[256];
	struct nlmsghdr *nh;
	uint32_t u32;
	uint16_t u16 = 1;
	uint8_t u8 = 1;
	struct states s;
	struct dump d = { 0 };
	struct reply r;

	/* an attribute get-states has no policy for */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_STATES, NLM_F_ACK);
	u32 = 1;
	msg_put(nh, XTCP_A_STATES_ESTABLISHED, &u32, 4);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 1);

	/* state-mask with bits of no state */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_CONN, NLM_F_DUMP);
	u32 = 1U << 12 | 1;
	msg_put(nh, XTCP_A_CONN_STATE_MASK, &u32, 4);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 1);

	/* a port of the wrong size */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_CONN, NLM_F_DUMP);
	msg_put(nh, XTCP_A_CONN_PORT, &u8, 1);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 1);

	/* a reply-only attribute in a request */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_CONN, NLM_F_DUMP);
	msg_put(nh, XTCP_A_CONN_CWND, &u32, 4);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 1);

	/* an attribute type beyond the set */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_CONN, NLM_F_DUMP);
	msg_put(nh, XTCP_A_CONN_MAX + 5, &u16, 2);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 1);

	/* an attribute whose length runs past the message */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_CONN, NLM_F_DUMP);
	msg_put(nh, XTCP_A_CONN_PORT, &u16, 2);
	((struct nlattr *)((char *)nh + NLMSG_LENGTH(GENL_HDRLEN)))->nla_len = 64;
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 0);

	/* a command the family does not have, and a notification's */
	nh = msg_init(buf, g, g->id, XTCP_CMD_MAX + 1, NLM_F_ACK);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EOPNOTSUPP, 0);
	nh = msg_init(buf, g, g->id, XTCP_CMD_STATE_CHANGE, NLM_F_ACK);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EOPNOTSUPP, 0);

	/* a do of the dump-only command, and a dump of a do-only one */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_CONN, NLM_F_ACK);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EOPNOTSUPP, 0);
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_STATES, NLM_F_DUMP);
	ASSERT_REJECTED(buf, nh->nlmsg_len, EOPNOTSUPP, 0);

	/* no room for the genetlink header */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_STATES, NLM_F_ACK);
	nh->nlmsg_len = NLMSG_HDRLEN;
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 0);

	/* reserved header byte set */
	nh = msg_init(buf, g, g->id, XTCP_CMD_GET_STATES, NLM_F_ACK);
	((struct genlmsghdr *)NLMSG_DATA(nh))->reserved = 1;
	ASSERT_REJECTED(buf, nh->nlmsg_len, EINVAL, 0);

	/* still working: counts and an unfiltered dump */
	ASSERT_EQ(0, nl_states(g, &s));
	ASSERT_EQ(0, nl_dump(g, NULL, &d, &r));
}

/* ---- the tool against /proc ---- */

/* A file of namespace @nsfd, whole, into @buf. */
static int ns_read(int nsfd, const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	FILE *f;

	if (ns_enter(nsfd))
		return -1;
	f = fopen(path, "r");
	ns_leave();
	if (!f)
		return -1;
	len = fread(buf, 1, cap - 1, f);
	buf[len] = '\0';
	fclose(f);
	return 0;
}

TEST_F_TIMEOUT(nl, tool, 120)
{
	static char out[65536], before[65536], after[65536];
	int lfd, cfd, sfd, round, lines = 0;
	char name[64], *p;
	long v, pv;

	lfd = listen_on(T, PORT, 8);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	ASSERT_STATES(SIDE_A, "ESTABLISHED 1", WAIT);

	/* stats: every /proc counter, equal (a quiet round: /proc unchanged) */
	for (round = 0; round < 50; round++) {
		ASSERT_EQ(0, ns_read(T->ns[SIDE_A], "/proc/net/xtcp_stat",
				     before, sizeof(before)));
		ASSERT_EQ(0, tool(T->ns[SIDE_A], out, sizeof(out), "stats"));
		ASSERT_EQ(0, ns_read(T->ns[SIDE_A], "/proc/net/xtcp_stat",
				     after, sizeof(after)));
		if (!strcmp(before, after))
			break;
	}
	for (p = before; sscanf(p, "%63s %ld", name, &pv) == 2;
	     p = strchr(p, '\n') + 1) {
		char *q = strstr(out, name);

		lines++;
		ASSERT_NE(NULL, q) TH_LOG("tool lacks %s", name);
		ASSERT_EQ(1, sscanf(q + strlen(name), " %ld", &v));
		ASSERT_EQ(pv, v) TH_LOG("%s", name);
	}
	ASSERT_LT(20, lines);

	/* JSON listings with filters */
	ASSERT_EQ(0, tool(T->ns[SIDE_B], out, sizeof(out), "-j conns"));
	ASSERT_EQ(2, count_str(out, "\"saddr\""));
	ASSERT_EQ(0, tool(T->ns[SIDE_B], out, sizeof(out),
			  "conns state listen -j"));
	ASSERT_EQ(1, count_str(out, "\"state\": \"listen\""));
	ASSERT_EQ(1, count_str(out, "\"saddr\""));
	ASSERT_EQ(0, tool(T->ns[SIDE_A], out, sizeof(out), "conns"));
	ASSERT_EQ(1, count_str(out, "ESTABLISHED"));
	ASSERT_EQ(1, count_str(out, "rto:"));
	ASSERT_EQ(0, tool(T->ns[SIDE_A], out, sizeof(out), "-j states"));
	ASSERT_EQ(1, count_str(out, "\"established\": 1,"));

	/* errors: exit status 2 for bad words, 1 for a refused request */
	ASSERT_EQ(2, tool(T->ns[SIDE_A], out, sizeof(out), "conns state bogus 2>/dev/null"));
	ASSERT_EQ(2, tool(T->ns[SIDE_A], out, sizeof(out), "conns port 0 2>/dev/null"));
	ASSERT_EQ(2, tool(T->ns[SIDE_A], out, sizeof(out), "frobnicate 2>/dev/null"));
	close(cfd);
	close(sfd);
	close(lfd);
}

TEST_HARNESS_MAIN
