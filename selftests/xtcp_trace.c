// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_trace: the xtcp tracepoints, read from tracefs.  A scripted
 * connection with a lost data segment and an abortive close, and a
 * connect() to a closed port; each event must carry the right 4-tuple
 * (ours first), and the retransmission the sequence number the peer saw.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/tcp.h>

#include "kselftest_harness.h"
#include "lib.h"

#define TRACEFS "/sys/kernel/tracing"
#define WAIT 5000
#define PORT 7100
#define CLOSED_PORT 7101

static const char *const events[] = {
	"xtcp_state_change", "xtcp_retransmit", "xtcp_send_reset",
	"xtcp_receive_reset", "xtcp_cong_state", "xtcp_syncookie_sent",
	"xtcp_syncookie_valid",
};

static int write_file(const char *path, const char *val, int flags)
{
	int fd = open(path, O_WRONLY | flags);
	int r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* The whole trace buffer as text (caller frees). */
static char *read_trace(void)
{
	size_t cap = 1 << 22, len = 0;
	char *buf = malloc(cap);
	int fd = open(TRACEFS "/trace", O_RDONLY);
	ssize_t n;

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (len < cap - 1 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(fd);
	return buf;
}

/* The first line holding every given substring, or NULL. */
static const char *find_event(const char *trace, const char *ev, const char *what)
{
	char key[512];
	const char *p = trace;

	snprintf(key, sizeof(key), " %s: %s", ev, what);
	p = strstr(p, key);
	return p;
}

static long seq_of(const char *line)
{
	const char *s = line ? strstr(line, "seq=") : NULL;
	const char *nl = line ? strchr(line, '\n') : NULL;

	if (!s || (nl && s > nl))
		return -1;
	return strtol(s + 4, NULL, 10);
}

FIXTURE(trace) {
	struct topo t;
};

FIXTURE_SETUP(trace)
{
	char path[256];

	self->t.ns[0] = self->t.ns[1] = -1;
	if (!fam_available(FAM_XTCP)) {
		if (fam_required())
			ASSERT_TRUE(0) TH_LOG("xtcp unavailable");
		SKIP(return, "xtcp unavailable");
	}
	snprintf(path, sizeof(path), TRACEFS "/events/xtcp/enable");
	if (access(path, W_OK))
		SKIP(return, "no tracefs at " TRACEFS);
	ASSERT_EQ(0, topo_setup(&self->t, FAM_XTCP)) TH_LOG("%s", self->t.err);
	ASSERT_EQ(0, write_file(TRACEFS "/tracing_on", "1", 0));
	ASSERT_EQ(0, write_file(path, "1", 0));
	ASSERT_EQ(0, write_file(TRACEFS "/trace", "", O_TRUNC));
}

FIXTURE_TEARDOWN(trace)
{
	write_file(TRACEFS "/events/xtcp/enable", "0", 0);
	topo_teardown(&self->t);
}

#define T (&self->t)

TEST_F(trace, events_defined)
{
	char path[256];

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/xtcp/%s/format", events[i]);
		EXPECT_EQ(0, access(path, R_OK)) TH_LOG("%s", path);
	}
}

TEST_F_TIMEOUT(trace, connection_retransmit_reset, 60)
{
	struct sockaddr_in closed = addr_of(SIDE_B, CLOSED_PORT), mine;
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	char want[256], buf[100] = { 0 };
	int lfd, c, s, c2, raw, cport, c2port;
	const char *line, *l2;
	struct tcp_info ti;
	socklen_t len;
	struct seg seg;
	char *tr;

	lfd = listen_on(T, PORT, 8);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &c, &s));
	cport = sock_port(c);
	raw = raw_open(T, SIDE_B);
	ASSERT_LE(0, raw);

	/* The data segment is lost until the client has resent it. */
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 20, F_PSH, F_PSH));
	ASSERT_EQ((ssize_t)sizeof(buf), write_all(c, buf, sizeof(buf), WAIT));
	ti.tcpi_total_retrans = 0;
	for (int64_t end = now_ms() + 20000; !ti.tcpi_total_retrans && now_ms() < end;
	     poll(NULL, 0, 10)) {
		len = sizeof(ti);
		ASSERT_EQ(0, getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len));
	}
	ASSERT_LT(0U, ti.tcpi_total_retrans);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 20));
	ASSERT_EQ((ssize_t)sizeof(buf), read_exact(s, buf, sizeof(buf), 20000));
	ASSERT_EQ(0, raw_recv(raw, &seg, cport, PORT, F_PSH, F_PSH, WAIT));

	/* Abortive close: the client sends a RST, the server takes it. */
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin)));
	close(c);
	ASSERT_EQ(-1, read_exact(s, buf, 1, WAIT) > 0 ? 0 : -1);

	/* A connect() to a closed port: RST reply, received in SYN_SENT. */
	c2 = topo_socket(T, SIDE_A);
	ASSERT_LE(0, c2);
	c2port = 7102;
	mine = addr_of(SIDE_A, c2port);
	ASSERT_EQ(0, bind(c2, (struct sockaddr *)&mine, sizeof(mine)));
	EXPECT_EQ(-1, connect(c2, (struct sockaddr *)&closed, sizeof(closed)));
	EXPECT_EQ(ECONNREFUSED, errno);

	tr = read_trace();
	ASSERT_NE(NULL, tr);

	snprintf(want, sizeof(want), "10.0.0.2:%d -> 0.0.0.0:0 CLOSE -> LISTEN", PORT);
	EXPECT_NE(NULL, find_event(tr, "xtcp_state_change", want)) TH_LOG("%s", want);
	snprintf(want, sizeof(want), "10.0.0.1:%d -> 10.0.0.2:%d SYN_SENT -> ESTABLISHED",
		 cport, PORT);
	EXPECT_NE(NULL, find_event(tr, "xtcp_state_change", want)) TH_LOG("%s", want);
	snprintf(want, sizeof(want), "10.0.0.2:%d -> 10.0.0.1:%d SYN_RECV -> ESTABLISHED",
		 PORT, cport);
	EXPECT_NE(NULL, find_event(tr, "xtcp_state_change", want)) TH_LOG("%s", want);

	/* The retransmission: the sequence number B finally received. */
	snprintf(want, sizeof(want), "10.0.0.1:%d -> 10.0.0.2:%d seq=%u len=%zu state=ESTABLISHED",
		 cport, PORT, seg.seq, sizeof(buf));
	EXPECT_NE(NULL, find_event(tr, "xtcp_retransmit", want)) TH_LOG("%s", want);

	/* The RST, sent by A and received by B with the same sequence. */
	snprintf(want, sizeof(want), "10.0.0.1:%d -> 10.0.0.2:%d seq=", cport, PORT);
	line = find_event(tr, "xtcp_send_reset", want);
	EXPECT_NE(NULL, line) TH_LOG("%s", want);
	snprintf(want, sizeof(want), "10.0.0.2:%d -> 10.0.0.1:%d seq=", PORT, cport);
	l2 = find_event(tr, "xtcp_receive_reset", want);
	EXPECT_NE(NULL, l2) TH_LOG("%s", want);
	EXPECT_EQ(seq_of(line), seq_of(l2));
	EXPECT_EQ((long)(seg.seq + sizeof(buf)), seq_of(line));
	snprintf(want, sizeof(want), "10.0.0.2:%d -> 10.0.0.1:%d ESTABLISHED -> CLOSE",
		 PORT, cport);
	EXPECT_NE(NULL, find_event(tr, "xtcp_state_change", want)) TH_LOG("%s", want);

	/* The reply from no socket (seq 0: it answers a SYN), and its receipt. */
	snprintf(want, sizeof(want), "10.0.0.2:%d -> 10.0.0.1:%d seq=0", CLOSED_PORT, c2port);
	EXPECT_NE(NULL, find_event(tr, "xtcp_send_reset", want)) TH_LOG("%s", want);
	snprintf(want, sizeof(want), "10.0.0.1:%d -> 10.0.0.2:%d seq=0", c2port, CLOSED_PORT);
	EXPECT_NE(NULL, find_event(tr, "xtcp_receive_reset", want)) TH_LOG("%s", want);
	snprintf(want, sizeof(want), "10.0.0.1:%d -> 10.0.0.2:%d SYN_SENT -> CLOSE",
		 c2port, CLOSED_PORT);
	EXPECT_NE(NULL, find_event(tr, "xtcp_state_change", want)) TH_LOG("%s", want);

	if (getenv("XTCP_SELFTEST_VERBOSE"))
		fprintf(stderr, "%s", tr);
	free(tr);
	close(c2);
	close(s);
	close(raw);
	close(lfd);
}

TEST_HARNESS_MAIN
