// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_transitions: one test per RFC 9293 transition (open, close, reset,
 * timers), each asserting what a program and the wire observe.  Every
 * test runs over Linux TCP ("inet" variant, the reference) and over xtcp.
 *
 * Timings: Linux's initial RTO is 1 s and doubles on each SYN/SYN-ACK
 * retransmission; timer tests shorten the sysctls and assert a window
 * around the expected instant, measured with bounded polls.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/wait.h>
#include <pthread.h>

#include "fixture.h"

#define PORT 5000
#define WAIT 5000

XTCP_FIXTURE(tr);

static int pair(struct topo *t, int *lfd, int *cfd, int *sfd)
{
	*lfd = listen_on(t, PORT, 16);
	if (*lfd < 0)
		return -errno;
	return connect_pair(t, *lfd, PORT, cfd, sfd);
}

static int mss_of(int fd)
{
	int v = -1;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &v, &l))
		return -errno;
	return v;
}

/* ------------------------------------------------------------------ */
/* opening */

/*
 * Active and passive open: the SYN carries Linux's option set (MSS 1460
 * on a 1500-byte MTU, SACK-permitted, timestamps, window scale), the
 * SYN-ACK answers with the same kinds, and both ends report TCP_MAXSEG =
 * 1460 minus 12 when timestamps were negotiated.
 */
TEST_F(tr, open_mss_and_options)
{
	struct seg syn, synack;
	int lfd, cfd, sfd, rb = raw_open(T, SIDE_B), ra = raw_open(T, SIDE_A);
	const uint8_t *o;
	int want;

	ASSERT_LE(0, rb);
	ASSERT_LE(0, ra);
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, raw_recv(rb, &syn, 0, PORT, F_SYN, F_SYN | F_ACK, WAIT));
	ASSERT_EQ(0, raw_recv(ra, &synack, PORT, 0, F_SYN | F_ACK, F_SYN | F_ACK, WAIT));
	o = seg_opt(&syn, 2);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(1460, (o[2] << 8) | o[3]);
	EXPECT_NE(NULL, seg_opt(&syn, 4)) TH_LOG("SYN without SACK-permitted");
	EXPECT_NE(NULL, seg_opt(&syn, 8)) TH_LOG("SYN without timestamps");
	EXPECT_NE(NULL, seg_opt(&syn, 3)) TH_LOG("SYN without window scale");
	o = seg_opt(&synack, 2);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(1460, (o[2] << 8) | o[3]);
	EXPECT_NE(NULL, seg_opt(&synack, 4)) TH_LOG("SYN-ACK without SACK-permitted");
	EXPECT_NE(NULL, seg_opt(&synack, 8)) TH_LOG("SYN-ACK without timestamps");
	EXPECT_NE(NULL, seg_opt(&synack, 3)) TH_LOG("SYN-ACK without window scale");
	EXPECT_EQ(0, syn.paylen);
	EXPECT_EQ(syn.seq + 1, synack.ack);
	want = 1460 - (seg_opt(&syn, 8) && seg_opt(&synack, 8) ? 12 : 0);
	EXPECT_EQ(want, mss_of(cfd));
	EXPECT_EQ(want, mss_of(sfd));
	ASSERT_STATES(SIDE_A, "ESTABLISHED 1", WAIT);
	ASSERT_STATES(SIDE_B, "ESTABLISHED 1 LISTEN 1", WAIT);
}

/*
 * TCP_MAXSEG set before connect() is advertised and clamps both ends (to
 * 1000 less 12 when timestamps are negotiated; whether they should be is
 * open_mss_and_options' business).
 */
TEST_F(tr, open_mss_clamp)
{
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	int lfd = listen_on(T, PORT, 4), cfd = topo_socket(T, SIDE_A), sfd;
	int rb = raw_open(T, SIDE_B), ra = raw_open(T, SIDE_A), v = 1000, want;
	struct seg syn, synack;
	const uint8_t *o;

	ASSERT_LE(0, lfd);
	ASSERT_LE(0, cfd);
	ASSERT_LE(0, ra);
	ASSERT_LE(0, rb);
	ASSERT_EQ(0, setsockopt(cfd, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof(v)));
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&a, sizeof(a)));
	sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, raw_recv(rb, &syn, 0, PORT, F_SYN, F_SYN | F_ACK, WAIT));
	ASSERT_EQ(0, raw_recv(ra, &synack, PORT, 0, F_SYN | F_ACK, F_SYN | F_ACK, WAIT));
	o = seg_opt(&syn, 2);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(1000, (o[2] << 8) | o[3]);
	want = 1000 - (seg_opt(&syn, 8) && seg_opt(&synack, 8) ? 12 : 0);
	EXPECT_EQ(want, mss_of(cfd));
	EXPECT_EQ(want, mss_of(sfd));
}

/*
 * A SYN without any option (crafted on a raw socket): the SYN-ACK
 * carries only MSS (RFC 7323/2018: no unsolicited options) and the
 * accepted connection uses the RFC 9293 default MSS of 536.
 */
TEST_F(tr, open_no_mss_option_536)
{
	int lfd = listen_on(T, PORT, 4), ra = raw_open(T, SIDE_A), sfd;
	struct seg sa;
	const uint8_t *o;

	ASSERT_LE(0, lfd);
	ASSERT_LE(0, ra);
	/* A's own stack would reset the unknown connection */
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, F_RST, F_RST));
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40000, PORT, 1000, 0, F_SYN,
			      8192, NULL, 0, NULL, 0));
	ASSERT_EQ(0, raw_recv(ra, &sa, PORT, 40000, F_SYN | F_ACK, 0xff, WAIT));
	EXPECT_EQ(1001u, sa.ack);
	o = seg_opt(&sa, 2);
	ASSERT_NE(NULL, o);
	EXPECT_EQ(1460, (o[2] << 8) | o[3]);
	EXPECT_EQ(NULL, seg_opt(&sa, 3));
	EXPECT_EQ(NULL, seg_opt(&sa, 4));
	EXPECT_EQ(NULL, seg_opt(&sa, 8));
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40000, PORT, 1001, sa.seq + 1,
			      F_ACK, 8192, NULL, 0, NULL, 0));
	ASSERT_LT(0, poll1(lfd, POLLIN, WAIT));
	sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	EXPECT_EQ(536, mss_of(sfd));
	ASSERT_STATES(SIDE_B, "ESTABLISHED 1 LISTEN 1", WAIT);
}

/* accept() returns connections in arrival order; EAGAIN when empty */
TEST_F(tr, accept_queue_order)
{
	int lfd = listen_on(T, PORT, 8), c[3], i, port[3];
	struct sockaddr_in a = addr_of(SIDE_B, PORT), p;
	socklen_t l;
	struct timeval tv = { 0, 200000 };

	ASSERT_LE(0, lfd);
	for (i = 0; i < 3; i++) {
		c[i] = topo_socket(T, SIDE_A);
		ASSERT_LE(0, c[i]);
		ASSERT_EQ(0, connect(c[i], (struct sockaddr *)&a, sizeof(a)));
		port[i] = sock_port(c[i]);
		/* the server has queued it (children count as ESTABLISHED) */
		ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_ESTABLISHED, i + 1, WAIT));
	}
	for (i = 0; i < 3; i++) {
		int s;

		l = sizeof(p);
		s = accept(lfd, (struct sockaddr *)&p, &l);
		ASSERT_LE(0, s);
		EXPECT_EQ(sizeof(p), l);
		EXPECT_EQ(AF_INET, p.sin_family);
		EXPECT_EQ(port[i], ntohs(p.sin_port));
		EXPECT_EQ(0, strcmp(IP_A, inet_ntoa(p.sin_addr)));
	}
	/* empty queue: non-blocking EAGAIN, blocking honours SO_RCVTIMEO */
	set_nonblock(lfd, true);
	EXPECT_EQ(-1, accept(lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, accept4(lfd, NULL, NULL, SOCK_NONBLOCK));
	EXPECT_EQ(EAGAIN, errno);
	set_nonblock(lfd, false);
	ASSERT_EQ(0, setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	EXPECT_EQ(-1, accept(lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll1(lfd, POLLIN | POLLOUT, 0));
}

/*
 * listen(fd, 1): Linux queues backlog + 1 = 2 established connections;
 * a further SYN is dropped while the queue is full (the client stays in
 * SYN_SENT and retransmits) and succeeds once accept() made room.
 */
TEST_F_TIMEOUT(tr, listen_backlog_full, 30)
{
	int lfd = listen_on(T, PORT, 1), c[3], i, s, rb = raw_open(T, SIDE_B);
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	struct seg syn;

	ASSERT_LE(0, lfd);
	ASSERT_LE(0, rb);
	for (i = 0; i < 2; i++) {
		c[i] = topo_socket(T, SIDE_A);
		ASSERT_EQ(0, connect(c[i], (struct sockaddr *)&a, sizeof(a)));
		ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_ESTABLISHED, i + 1, WAIT));
	}
	c[2] = topo_socket(T, SIDE_A);
	set_nonblock(c[2], true);
	ASSERT_EQ(-1, connect(c[2], (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(EINPROGRESS, errno);
	/* first SYN and its retransmission arrive; no SYN-ACK was sent */
	ASSERT_EQ(0, raw_recv(rb, &syn, sock_port(c[2]), PORT, F_SYN, 0xff, WAIT));
	ASSERT_EQ(0, raw_recv(rb, &syn, sock_port(c[2]), PORT, F_SYN, 0xff, WAIT));
	ASSERT_STATES(SIDE_A, "ESTABLISHED 2 SYN_SENT 1", WAIT);
	ASSERT_STATES(SIDE_B, "ESTABLISHED 2 LISTEN 1", WAIT);
	s = accept(lfd, NULL, NULL);
	ASSERT_LE(0, s);
	/* the next retransmission (2 s later) is accepted */
	ASSERT_EQ(POLLOUT, wait_revents(c[2], POLLOUT | POLLIN, POLLOUT, 8000));
	EXPECT_EQ(0, get_so_error(c[2]));
	ASSERT_STATES(SIDE_A, "ESTABLISHED 3", WAIT);
}

/*
 * TCP_SYNCNT=2, every answer lost: SYN at 0, retransmissions at ~1 s and
 * ~3 s, connect() fails with ETIMEDOUT at ~7 s (1 + 2 + 4).
 */
TEST_F_TIMEOUT(tr, syn_retries_timeout, 40)
{
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	int fd = topo_socket(T, SIDE_A), rb = raw_open(T, SIDE_B), v = 2, n = 0;
	struct seg s[4];
	struct timespec r0;
	double t0, el;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, rb);
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	ASSERT_EQ(0, setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &v, sizeof(v)));
	clock_gettime(CLOCK_REALTIME, &r0);
	t0 = now_s();
	EXPECT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(ETIMEDOUT, errno);
	el = now_s() - t0;
	EXPECT_LE(6.0, el);
	EXPECT_GE(10.0, el);
	while (n < 4 && !raw_recv(rb, &s[n], 0, PORT, F_SYN, 0xff, 0)) {
		TH_LOG("SYN %d at +%.3f s", n, s[n].ts.tv_sec - r0.tv_sec +
		       (s[n].ts.tv_nsec - r0.tv_nsec) / 1e9);
		n++;
	}
	TH_LOG("connect() returned after %.3f s", el);
	ASSERT_EQ(3, n);
	for (n = 1; n < 3; n++) {
		double d = (s[n].ts.tv_sec - s[n - 1].ts.tv_sec) +
			   (s[n].ts.tv_nsec - s[n - 1].ts.tv_nsec) / 1e9;
		double want = n == 1 ? 1.0 : 2.0;

		EXPECT_LE(want * 0.8, d);
		EXPECT_GE(want * 1.6, d);
		EXPECT_EQ(s[0].seq, s[n].seq);
	}
	ASSERT_STATES(SIDE_A, "CLOSE 1", WAIT);
	EXPECT_EQ(0, get_so_error(fd));
}

/* the same bound from the per-namespace sysctl: syn_retries=1 -> ~3 s */
TEST_F_TIMEOUT(tr, syn_retries_sysctl, 30)
{
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	int fd, v = -1;
	socklen_t l = sizeof(v);
	double t0, el;

	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_A, "syn_retries", 1));
	fd = topo_socket(T, SIDE_A);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &v, &l));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	t0 = now_s();
	EXPECT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(ETIMEDOUT, errno);
	el = now_s() - t0;
	EXPECT_LE(2.5, el);
	EXPECT_GE(5.0, el);
}

/*
 * synack_retries=1 and the client's handshake ACK lost: the server
 * sends the SYN-ACK twice (0 s, ~1 s) and forgets the half-open
 * connection at ~3 s.
 */
TEST_F_TIMEOUT(tr, synack_retries, 30)
{
	int lfd, cfd, ra = raw_open(T, SIDE_A), n = 0;
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	struct seg s;
	double t0, el;

	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "synack_retries", 1));
	lfd = listen_on(T, PORT, 8);
	ASSERT_LE(0, lfd);
	ASSERT_LE(0, ra);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, F_ACK, 0xff));
	cfd = topo_socket(T, SIDE_A);
	set_nonblock(cfd, true);
	t0 = now_s();
	ASSERT_EQ(-1, connect(cfd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_STATES(SIDE_B, "LISTEN 1 SYN_RECV 1", WAIT);
	ASSERT_EQ(0, wait_state_count(T, SIDE_B, ST_SYN_RECV, 0, 10000));
	el = now_s() - t0;
	EXPECT_LE(2.0, el);
	EXPECT_GE(6.0, el);
	while (!raw_recv(ra, &s, PORT, 0, F_SYN | F_ACK, 0xff, 0))
		n++;
	EXPECT_EQ(2, n);
	ASSERT_STATES(SIDE_B, "LISTEN 1", WAIT);
}

TEST_F(tr, connect_refused)
{
	struct sockaddr_in a = addr_of(SIDE_B, PORT + 1);
	int fd = topo_socket(T, SIDE_A);
	double t0 = now_s();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(ECONNREFUSED, errno);
	EXPECT_GE(1.0, now_s() - t0);
	EXPECT_EQ(0, get_so_error(fd));
	ASSERT_STATES(SIDE_A, "CLOSE 1", WAIT);
}

/*
 * A host without the protocol answers with ICMP protocol unreachable,
 * which Linux TCP reports on connect() as ENOPROTOOPT, promptly.
 * xtcp: net.xtcp.enabled=0 in the server namespace.  inet (the
 * reference): TCP cannot be disabled, so the server side's segments are
 * dropped and a raw socket answers the SYN with that ICMP message.
 */
/*
 * Answer every SYN that reaches B with ICMP protocol unreachable, for 5 s.
 * Every one, not just the first: Linux TCP keeps an ICMP error that comes
 * while connect() still holds the socket lock only as a soft error, and
 * then the retransmitted SYN must be answered too.  Exits 0 if it
 * answered at least once.
 */
static void icmp_responder(int raw, int icmp)
{
	uint8_t in[1500], out[8 + 60 + 8];
	struct sockaddr_in d = { .sin_family = AF_INET };
	int64_t end = now_ms() + 5000;
	int answered = 0;
	uint32_t sum;
	ssize_t n;
	int ihl, i;

	while (now_ms() < end) {
		n = recv(raw, in, sizeof(in), MSG_DONTWAIT);
		if (n < 0) {
			poll1(raw, POLLIN, 10);
			continue;
		}
		ihl = (in[0] & 15) * 4;
		if (n < ihl + 14 || !(in[ihl + 13] & F_SYN))
			continue;
		memset(out, 0, sizeof(out));
		out[0] = 3;	/* destination unreachable */
		out[1] = 2;	/* protocol unreachable */
		memcpy(out + 8, in, ihl + 8);
		sum = 0;
		for (i = 0; i < 8 + ihl + 8; i += 2)
			sum += (out[i] << 8) | out[i + 1];
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		out[2] = ~sum >> 8;
		out[3] = ~sum;
		memcpy(&d.sin_addr, in + 12, 4);
		n = sendto(icmp, out, 8 + ihl + 8, 0, (struct sockaddr *)&d,
			   sizeof(d));
		if (n == 8 + ihl + 8)
			answered++;
	}
	_exit(answered ? 0 : 1);
}

TEST_F(tr, connect_protocol_unreachable)
{
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	int fd, status = 0;
	pid_t pid = -1;
	double t0, el;

	if (T->kind == FAM_XTCP) {
		ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "enabled", 0));
	} else {
		int raw = raw_open(T, SIDE_B);
		int icmp = ns_socket(T->ns[SIDE_B], AF_INET, SOCK_RAW, IPPROTO_ICMP);

		ASSERT_LE(0, raw);
		ASSERT_LE(0, icmp);
		ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			icmp_responder(raw, icmp);
	}
	fd = topo_socket(T, SIDE_A);
	ASSERT_LE(0, fd);
	t0 = now_s();
	EXPECT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	el = now_s() - t0;
	EXPECT_GE(2.0, el);
	if (pid > 0) {
		waitpid(pid, &status, 0);
		EXPECT_EQ(0, status);
	}
	ASSERT_STATES(SIDE_A, "CLOSE 1", WAIT);
}

/*
 * Simultaneous open: both sides connect to each other's fixed port while
 * all segments are lost (both SYN_SENT); once the loss is removed the
 * retransmitted SYNs meet and both ends reach ESTABLISHED and exchange
 * data.
 */
TEST_F_TIMEOUT(tr, simultaneous_open, 30)
{
	struct sockaddr_in la = addr_of(SIDE_A, 6001), lb = addr_of(SIDE_B, 6002), p;
	int a = topo_socket(T, SIDE_A), b = topo_socket(T, SIDE_B);
	socklen_t l = sizeof(p);
	char buf[16];

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, bind(a, (struct sockaddr *)&la, sizeof(la)));
	ASSERT_EQ(0, bind(b, (struct sockaddr *)&lb, sizeof(lb)));
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	set_nonblock(a, true);
	set_nonblock(b, true);
	ASSERT_EQ(-1, connect(a, (struct sockaddr *)&lb, sizeof(lb)));
	ASSERT_EQ(EINPROGRESS, errno);
	ASSERT_EQ(-1, connect(b, (struct sockaddr *)&la, sizeof(la)));
	ASSERT_EQ(EINPROGRESS, errno);
	ASSERT_STATES(SIDE_A, "SYN_SENT 1", WAIT);
	ASSERT_STATES(SIDE_B, "SYN_SENT 1", WAIT);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	ASSERT_EQ(0, tc_undrop(T, SIDE_B, 10));
	ASSERT_EQ(POLLOUT, wait_revents(a, POLLIN | POLLOUT, POLLOUT, 15000));
	ASSERT_EQ(POLLOUT, wait_revents(b, POLLIN | POLLOUT, POLLOUT, 15000));
	EXPECT_EQ(0, get_so_error(a));
	EXPECT_EQ(0, get_so_error(b));
	ASSERT_STATES(SIDE_A, "ESTABLISHED 1", WAIT);
	ASSERT_STATES(SIDE_B, "ESTABLISHED 1", WAIT);
	ASSERT_EQ(0, getpeername(a, (struct sockaddr *)&p, &l));
	EXPECT_EQ(6002, ntohs(p.sin_port));
	ASSERT_EQ(5, write_all(a, "hello", 5, WAIT));
	ASSERT_EQ(5, write_all(b, "world", 5, WAIT));
	ASSERT_EQ(5, read_exact(b, buf, 5, WAIT));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(5, read_exact(a, buf, 5, WAIT));
	EXPECT_EQ(0, memcmp(buf, "world", 5));
}

/* ------------------------------------------------------------------ */
/* closing */

TEST_F(tr, close_client_first)
{
	int lfd, cfd, sfd;
	char c;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, close(cfd));
	ASSERT_EQ(POLLIN | POLLRDHUP, wait_revents(sfd, POLLIN | POLLRDHUP, POLLIN, WAIT));
	EXPECT_EQ(0, recv(sfd, &c, 1, 0));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1 LISTEN 1", WAIT);
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_B, "LISTEN 1", WAIT);
}

TEST_F(tr, close_server_first)
{
	int lfd, cfd, sfd;
	char c;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	close(lfd);
	ASSERT_EQ(0, close(sfd));
	ASSERT_EQ(POLLIN | POLLRDHUP, wait_revents(cfd, POLLIN | POLLRDHUP, POLLIN, WAIT));
	EXPECT_EQ(0, recv(cfd, &c, 1, 0));
	ASSERT_STATES(SIDE_B, "FIN_WAIT2 1", WAIT);
	ASSERT_STATES(SIDE_A, "CLOSE_WAIT 1", WAIT);
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_B, "TIME_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_A, "", WAIT);
}

/* shutdown(SHUT_WR): the peer reads EOF and can still send */
struct hc_writer {
	int fd;
	const uint8_t *buf;
	size_t len;
	ssize_t done;
};

static void *hc_write(void *p)
{
	struct hc_writer *w = p;

	w->done = write_all(w->fd, w->buf, w->len, 20000);
	close(w->fd);
	return NULL;
}

TEST_F_TIMEOUT(tr, half_close, 60)
{
	static uint8_t buf[200000], got[200000];
	struct hc_writer w;
	pthread_t th;
	int lfd, cfd, sfd;
	char c;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(3, write_all(cfd, "abc", 3, WAIT));
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_EQ(3, read_exact(sfd, got, 3, WAIT));
	EXPECT_EQ(0, memcmp(got, "abc", 3));
	EXPECT_EQ(0, recv(sfd, &c, 1, 0));
	EXPECT_EQ(0, recv(sfd, &c, 1, 0));	/* EOF is sticky */
	/* the half-closed side cannot send any more */
	EXPECT_EQ(-1, send(cfd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	/* the peer sends (and closes) while the half-closed side reads */
	fill_pattern(buf, sizeof(buf), 0, 7);
	w = (struct hc_writer){ sfd, buf, sizeof(buf), -1 };
	ASSERT_EQ(0, pthread_create(&th, NULL, hc_write, &w));
	EXPECT_EQ((ssize_t)sizeof(got), read_to_eof(cfd, got, sizeof(got), 25000));
	pthread_join(th, NULL);
	ASSERT_EQ((ssize_t)sizeof(buf), w.done);
	EXPECT_EQ(-1, check_pattern(got, sizeof(got), 0, 7));
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
}

/*
 * Simultaneous close through CLOSING: both FINs lost; the client's gets
 * through (server CLOSING), then the server's (client CLOSING or straight
 * to TIME_WAIT); both end in TIME_WAIT.
 */
TEST_F_TIMEOUT(tr, simultaneous_close, 30)
{
	int lfd, cfd, sfd;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	close(lfd);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	ASSERT_EQ(0, close(cfd));
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT1 1", WAIT);
	ASSERT_STATES(SIDE_B, "FIN_WAIT1 1", WAIT);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	ASSERT_STATES(SIDE_B, "CLOSING 1", 10000);
	ASSERT_EQ(0, tc_undrop(T, SIDE_B, 10));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", 15000);
	ASSERT_STATES(SIDE_B, "TIME_WAIT 1", 15000);
}

/* a lost FIN is retransmitted from FIN_WAIT1 */
TEST_F_TIMEOUT(tr, fin_retransmit_fin_wait1, 30)
{
	int lfd, cfd, sfd, rb = raw_open(T, SIDE_B);
	struct seg s;

	ASSERT_LE(0, rb);
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT1 1", WAIT);
	ASSERT_STATES(SIDE_B, "ESTABLISHED 1 LISTEN 1", WAIT);
	ASSERT_EQ(-1, raw_recv(rb, &s, 0, PORT, F_FIN, F_FIN, 0));
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	ASSERT_EQ(0, raw_recv(rb, &s, 0, PORT, F_FIN | F_ACK, F_FIN | F_ACK, 10000));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1 LISTEN 1", WAIT);
}

/* a lost FIN is retransmitted from LAST_ACK */
TEST_F_TIMEOUT(tr, fin_retransmit_last_ack, 30)
{
	int lfd, cfd, sfd;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	close(lfd);
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1", WAIT);
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_B, "LAST_ACK 1", WAIT);
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_EQ(0, tc_undrop(T, SIDE_B, 10));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", 10000);
	ASSERT_STATES(SIDE_B, "", WAIT);
}

/* TIME_WAIT lasts tw_timeout (xtcp only: Linux's 2MSL is fixed at 60 s) */
TEST_F_TIMEOUT(tr, time_wait_duration, 30)
{
	int lfd, cfd, sfd, r;
	double t0, el;

	r = fam_sysctl_set(T, SIDE_A, "tw_timeout", 2);
	if (r == -ENOENT)
		SKIP(return, "%s has no TIME_WAIT length knob", fam_name(T->kind));
	ASSERT_EQ(0, r);
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	t0 = now_s();
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
	ASSERT_EQ(0, wait_state_count(T, SIDE_A, ST_TIME_WAIT, 0, 10000));
	el = now_s() - t0;
	EXPECT_LE(1.5, el);
	EXPECT_GE(4.0, el);
	ASSERT_STATES(SIDE_A, "", WAIT);
}

/*
 * max_tw_buckets (tcp_max_tw_buckets): with room for 2 TIME_WAIT entries,
 * 5 active closes leave 2; the other 3 connections end at once (CLOSE),
 * their last ACK still sent (the server's side closes), counted as
 * TimeWaitOverflow (Linux: TCPTimeWaitOverflow).  The clients shut down
 * rather than close: Linux moves an orphan's FIN_WAIT2 into a timewait
 * socket too, which the limit would also count.
 */
TEST_F(tr, time_wait_overflow)
{
	const char *name = T->kind == FAM_XTCP ? "TimeWaitOverflow" :
						 "TCPTimeWaitOverflow";
	int lfd, cfd[5], sfd[5], i;
	long before, after;

	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_A, "max_tw_buckets", 2));
	lfd = listen_on(T, PORT, 16);
	ASSERT_LE(0, lfd);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd[i], &sfd[i]));
	close(lfd);
	ASSERT_STATES(SIDE_A, "ESTABLISHED 5", WAIT);
	ASSERT_EQ(0, read_counter(T, SIDE_A, name, &before));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, shutdown(cfd[i], SHUT_WR));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 5", WAIT);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, close(sfd[i]));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 2 CLOSE 3", WAIT);
	ASSERT_STATES(SIDE_B, "", WAIT);
	ASSERT_EQ(0, read_counter(T, SIDE_A, name, &after));
	EXPECT_EQ(3, after - before);
	for (i = 0; i < 5; i++)
		close(cfd[i]);
}

/*
 * TIME_WAIT re-acknowledges a retransmitted FIN: the client's last ACK is
 * lost, the server retransmits its FIN from LAST_ACK, the client (in
 * TIME_WAIT) answers and the server's connection ends.
 */
TEST_F_TIMEOUT(tr, time_wait_reacks_fin, 30)
{
	int lfd, cfd, sfd, ra = raw_open(T, SIDE_A);
	struct seg s;

	ASSERT_LE(0, ra);
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	close(lfd);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, F_ACK, 0xff));
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_B, "LAST_ACK 1", WAIT);
	/* the FIN and at least one retransmission of it */
	ASSERT_EQ(0, raw_recv(ra, &s, PORT, 0, F_FIN, F_FIN, WAIT));
	ASSERT_EQ(0, raw_recv(ra, &s, PORT, 0, F_FIN, F_FIN, 10000));
	ASSERT_STATES(SIDE_B, "LAST_ACK 1", WAIT);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	ASSERT_STATES(SIDE_B, "", 15000);
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
}

/*
 * The TIME_WAIT 4-tuple's local address, when the connection's socket had
 * SO_REUSEADDR: bind() without SO_REUSEADDR -> EADDRINUSE; with it bind()
 * succeeds.  connect() to the same peer then depends on timestamps
 * (Linux tcp_twsk_unique()): when the old connection negotiated them, an
 * explicitly bound socket may take the 4-tuple over (the new ISN is above
 * the old sequence space and PAWS rejects old duplicates) and the
 * TIME_WAIT entry is replaced by the new connection; without them
 * connect() fails with EADDRNOTAVAIL and TIME_WAIT stays.
 */
TEST_F(tr, time_wait_blocks_reuse)
{
	int lfd, cfd, sfd, fd, cport = 7000, one = 1, ra = raw_open(T, SIDE_A), r;
	struct sockaddr_in ca = addr_of(SIDE_A, cport), sa = addr_of(SIDE_B, PORT);
	struct seg synack;
	bool ts;

	ASSERT_LE(0, ra);
	lfd = listen_on(T, PORT, 4);
	ASSERT_LE(0, lfd);
	/* the client had SO_REUSEADDR: see time_wait_blocks_bind for without */
	ASSERT_EQ(0, connect_pair_bound(T, lfd, PORT, cport, &cfd, &sfd));
	ASSERT_EQ(0, raw_recv(ra, &synack, PORT, cport, F_SYN | F_ACK, 0xff, WAIT));
	ts = seg_opt(&synack, 8) != NULL;
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
	fd = topo_socket(T, SIDE_A);
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&ca, sizeof(ca)));
	EXPECT_EQ(EADDRINUSE, errno);
	close(fd);
	fd = topo_socket(T, SIDE_A);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT_EQ(0, bind(fd, (struct sockaddr *)&ca, sizeof(ca)));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1 CLOSE 1", WAIT);
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (!ts) {
		TH_LOG("no timestamps negotiated: the 4-tuple stays taken");
		EXPECT_EQ(-1, r);
		EXPECT_EQ(EADDRNOTAVAIL, errno);
		ASSERT_STATES(SIDE_A, "TIME_WAIT 1 CLOSE 1", WAIT);
		return;
	}
	EXPECT_EQ(0, r) TH_LOG("connect: %s", strerror(errno));
	ASSERT_STATES(SIDE_A, "ESTABLISHED 1", WAIT);
	sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(2, write_all(fd, "ok", 2, WAIT));
	ASSERT_EQ(2, read_exact(sfd, &one, 2, WAIT));
}

/*
 * When the TIME_WAIT connection's socket did not have SO_REUSEADDR, its
 * port cannot be bound even with SO_REUSEADDR (Linux: both sockets must
 * have it).
 */
TEST_F(tr, time_wait_blocks_bind)
{
	int lfd, cfd, sfd, fd, one = 1;
	struct sockaddr_in ca;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ca = addr_of(SIDE_A, sock_port(cfd));
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
	fd = topo_socket(T, SIDE_A);
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&ca, sizeof(ca)));
	EXPECT_EQ(EADDRINUSE, errno);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&ca, sizeof(ca)));
	EXPECT_EQ(EADDRINUSE, errno);
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1 CLOSE 1", WAIT);
}

/* an orphan in FIN_WAIT2 is dropped after fin_timeout */
TEST_F_TIMEOUT(tr, fin_wait2_timeout, 30)
{
	int lfd, cfd, sfd;
	double t0, el;

	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_A, "fin_timeout", 2));
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	t0 = now_s();
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1 LISTEN 1", WAIT);
	ASSERT_EQ(0, wait_state_count(T, SIDE_A, ST_FIN_WAIT2, 0, 10000));
	el = now_s() - t0;
	EXPECT_LE(1.5, el);
	EXPECT_GE(4.5, el);
	ASSERT_STATES(SIDE_A, "", WAIT);
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1 LISTEN 1", WAIT);
}

/* ------------------------------------------------------------------ */
/* reset */

/* SO_LINGER {1, 0}: close() sends RST, the peer's read gets ECONNRESET */
TEST_F(tr, rst_linger_zero)
{
	struct linger lg = { 1, 0 };
	int lfd, cfd, sfd, ra, rb = raw_open(T, SIDE_B);
	struct seg s;
	char c;

	ASSERT_LE(0, rb);
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	(void)ra;
	ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(cfd));
	ASSERT_EQ(0, raw_recv(rb, &s, 0, PORT, F_RST, F_RST, WAIT));
	EXPECT_EQ(0, s.flags & F_FIN);
	ASSERT_STATES(SIDE_A, "", WAIT);
	ASSERT_STATES(SIDE_B, "CLOSE 1 LISTEN 1", WAIT);
	EXPECT_EQ(POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP,
		  poll1(sfd, POLLIN | POLLOUT | POLLRDHUP, 0));
	EXPECT_EQ(-1, recv(sfd, &c, 1, 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(0, recv(sfd, &c, 1, 0));
}

/* data arriving for a connection closed by the application -> RST */
TEST_F(tr, rst_data_after_close)
{
	int lfd, cfd, sfd, ra = raw_open(T, SIDE_A);
	struct seg s;
	char c;

	ASSERT_LE(0, ra);
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "CLOSE_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_B, "FIN_WAIT2 1 LISTEN 1", WAIT);
	ASSERT_EQ(4, send(cfd, "late", 4, 0));
	ASSERT_EQ(0, raw_recv(ra, &s, PORT, 0, F_RST, F_RST, WAIT));
	ASSERT_STATES(SIDE_B, "LISTEN 1", WAIT);
	ASSERT_STATES(SIDE_A, "CLOSE 1", WAIT);
	/*
	 * Linux: an RST in CLOSE_WAIT records EPIPE (not ECONNRESET); reads
	 * keep returning the EOF already seen.
	 */
	EXPECT_EQ(POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP,
		  poll1(cfd, POLLIN | POLLOUT | POLLRDHUP, 0));
	EXPECT_EQ(0, recv(cfd, &c, 1, 0));
	EXPECT_EQ(0, recv(cfd, &c, 1, 0));
	EXPECT_EQ(EPIPE, get_so_error(cfd));
	EXPECT_EQ(0, get_so_error(cfd));
	EXPECT_EQ(POLLIN | POLLOUT | POLLHUP | POLLRDHUP,
		  poll1(cfd, POLLIN | POLLOUT | POLLRDHUP, 0));
}

/* close() with unread received data sends RST instead of FIN */
TEST_F(tr, rst_close_unread)
{
	int lfd, cfd, sfd, ra = raw_open(T, SIDE_A);
	struct seg s;
	char c;

	ASSERT_LE(0, ra);
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(5, send(cfd, "hello", 5, 0));
	ASSERT_EQ(POLLIN, wait_revents(sfd, POLLIN, POLLIN, WAIT));
	ASSERT_EQ(0, close(sfd));
	ASSERT_EQ(0, raw_recv(ra, &s, PORT, 0, F_RST, F_RST, WAIT));
	EXPECT_EQ(0, s.flags & F_FIN);
	ASSERT_STATES(SIDE_B, "LISTEN 1", WAIT);
	ASSERT_STATES(SIDE_A, "CLOSE 1", WAIT);
	EXPECT_EQ(-1, recv(cfd, &c, 1, 0));
	EXPECT_EQ(ECONNRESET, errno);
}

static volatile int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/*
 * Sending after the peer's RST: the first send reports the pending
 * ECONNRESET, then EPIPE with SIGPIPE; MSG_NOSIGNAL suppresses the signal.
 */
TEST_F(tr, epipe_after_rst)
{
	struct linger lg = { 1, 0 };
	int lfd, cfd, sfd;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	signal(SIGPIPE, on_sigpipe);
	ASSERT_EQ(0, setsockopt(sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "CLOSE 1", WAIT);
	EXPECT_EQ(-1, send(cfd, "x", 1, 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(0, sigpipes);
	EXPECT_EQ(-1, send(cfd, "x", 1, 0));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, sigpipes);
	EXPECT_EQ(-1, write(cfd, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, sigpipes);
	EXPECT_EQ(-1, send(cfd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, sigpipes);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * A segment for no connection is answered with RST (RFC 9293 3.10.7.1):
 * to an ACK: <SEQ=SEG.ACK><CTL=RST>; to a SYN: <SEQ=0><ACK=SEG.SEQ+1>
 * <CTL=RST,ACK>.
 */
TEST_F(tr, rst_no_connection)
{
	int ra = raw_open(T, SIDE_A);
	struct seg s;

	ASSERT_LE(0, ra);
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40001, PORT, 5000, 777777,
			      F_ACK, 8192, NULL, 0, "data", 4));
	ASSERT_EQ(0, raw_recv(ra, &s, PORT, 40001, 0, 0, WAIT));
	EXPECT_EQ(F_RST, s.flags);
	EXPECT_EQ(777777u, s.seq);
	EXPECT_EQ(0, s.paylen);
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40002, PORT, 9000, 0,
			      F_SYN, 8192, NULL, 0, NULL, 0));
	ASSERT_EQ(0, raw_recv(ra, &s, PORT, 40002, 0, 0, WAIT));
	EXPECT_EQ(F_RST | F_ACK, s.flags);
	EXPECT_EQ(0u, s.seq);
	EXPECT_EQ(9001u, s.ack);
	/* an RST for no connection is never answered */
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40003, PORT, 1, 0,
			      F_RST, 0, NULL, 0, NULL, 0));
	EXPECT_EQ(-1, raw_recv(ra, &s, PORT, 40003, 0, 0, 300));
	ASSERT_STATES(SIDE_B, "", WAIT);
}

TEST_HARNESS_MAIN
