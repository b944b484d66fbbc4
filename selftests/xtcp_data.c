// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_data: the byte stream without loss - ordering and integrity, blocking
 * and non-blocking I/O, readiness (poll, select and epoll must agree, with
 * the exact Linux TCP masks at each step), MSG_PEEK, MSG_WAITALL,
 * SIGPIPE/EPIPE and SO_RCVTIMEO/SO_SNDTIMEO, Nagle's algorithm in Linux's
 * (Minshall's) form, a delayed ACK that SO_KEEPALIVE leaves alone.  Each
 * test runs over Linux TCP ("inet", the reference) and xtcp.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/uio.h>

#include "fixture.h"

#define PORT 5000
#define WAIT 5000
#define EV (POLLIN | POLLOUT | POLLRDHUP)

XTCP_FIXTURE(data);

static int pair(struct topo *t, int *lfd, int *cfd, int *sfd)
{
	*lfd = listen_on(t, PORT, 16);
	if (*lfd < 0)
		return -errno;
	return connect_pair(t, *lfd, PORT, cfd, sfd);
}

static void mask_str(int m, char *b, size_t l)
{
	snprintf(b, l, "%s%s%s%s%s%s", m & POLLIN ? "IN " : "", m & POLLOUT ? "OUT " : "",
		 m & POLLRDHUP ? "RDHUP " : "", m & POLLHUP ? "HUP " : "",
		 m & POLLERR ? "ERR " : "", m & POLLPRI ? "PRI " : "");
}

/*
 * The readiness of fd by poll(), epoll (level-triggered) and select(), which
 * must agree; returns the poll mask or -1 when they disagree.
 */
static int readiness(int fd, char *why, size_t wl)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP }, out;
	struct timeval tv = { 0, 0 };
	fd_set r, w, x;
	int p, e = 0, ep, n;

	p = poll1(fd, EV, 0);
	ep = epoll_create1(0);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		return -1;
	n = epoll_wait(ep, &out, 1, 0);
	if (n == 1)
		e = out.events;
	close(ep);
	FD_ZERO(&r); FD_ZERO(&w); FD_ZERO(&x);
	FD_SET(fd, &r); FD_SET(fd, &w); FD_SET(fd, &x);
	if (select(fd + 1, &r, &w, &x, &tv) < 0)
		return -1;
	if (e != p) {
		snprintf(why, wl, "poll 0x%x != epoll 0x%x", p, e);
		return -1;
	}
	if (!!FD_ISSET(fd, &r) != !!(p & (POLLIN | POLLHUP | POLLERR)) ||
	    !!FD_ISSET(fd, &w) != !!(p & (POLLOUT | POLLERR)) || FD_ISSET(fd, &x)) {
		snprintf(why, wl, "select r%d w%d x%d vs poll 0x%x", !!FD_ISSET(fd, &r),
			 !!FD_ISSET(fd, &w), !!FD_ISSET(fd, &x), p);
		return -1;
	}
	return p;
}

#define ASSERT_MASK(fd, want) do {					\
	char __w[64], __h[64], __why[128] = "";				\
	int __m = readiness(fd, __why, sizeof(__why));			\
	mask_str(want, __w, sizeof(__w));				\
	mask_str(__m, __h, sizeof(__h));				\
	ASSERT_LE(0, __m) TH_LOG("poll/epoll/select disagree: %s", __why); \
	ASSERT_EQ(want, __m) TH_LOG("want %s have %s", __w, __h);	\
} while (0)

/*
 * Queue pattern bytes on non-blocking fd (whose peer does not read) until
 * send() fails with EAGAIN and stays so: big sends, then 1-byte sends
 * (Linux accepts a send while any send buffer space is left, but signals
 * POLLOUT only when a third of it is free), until neither an ACK can free
 * space (POLLOUT stays clear for 300 ms) nor a 1-byte send succeeds.
 * Returns the byte count or -errno.
 */
static ssize_t fill_until_blocked(int fd, uint32_t seed)
{
	static uint8_t buf[65536];
	size_t total = 0;
	int64_t end = now_ms() + 20000;
	ssize_t n;

	while (now_ms() < end) {
		fill_pattern(buf, sizeof(buf), total, seed);
		n = send(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			total += n;
			continue;
		}
		if (errno != EAGAIN)
			return -errno;
		for (;;) {
			fill_pattern(buf, 1, total, seed);
			n = send(fd, buf, 1, MSG_DONTWAIT);
			if (n != 1)
				break;
			total++;
		}
		if (errno != EAGAIN)
			return -errno;
		if (poll1(fd, POLLOUT, 300) == 0) {
			fill_pattern(buf, 1, total, seed);
			n = send(fd, buf, 1, MSG_DONTWAIT);
			if (n < 0 && errno == EAGAIN)
				return total;
			if (n == 1)
				total++;
		}
	}
	return -ETIMEDOUT;
}

/* 4 MiB each way at the same time, byte-exact */
TEST_F_TIMEOUT(data, stream_4mib_both_ways, 120)
{
	const size_t total = 4 << 20, chunk = 65536;
	uint8_t *sb = malloc(chunk), *rb = malloc(chunk);
	size_t sent[2] = { 0, 0 }, rcvd[2] = { 0, 0 }, progress = 0, last = 0;
	int lfd, fd[2], i;
	int64_t stall = now_ms() + 10000;

	ASSERT_EQ(0, pair(T, &lfd, &fd[0], &fd[1]));
	set_nonblock(fd[0], true);
	set_nonblock(fd[1], true);
	while (rcvd[0] < total || rcvd[1] < total) {
		struct pollfd p[2];

		/* fail after 10 s without progress */
		progress = sent[0] + sent[1] + rcvd[0] + rcvd[1];
		if (progress != last) {
			last = progress;
			stall = now_ms() + 10000;
		}
		ASSERT_GT(stall, now_ms()) TH_LOG("stalled at sent %zu/%zu rcvd %zu/%zu",
						  sent[0], sent[1], rcvd[0], rcvd[1]);
		for (i = 0; i < 2; i++) {
			p[i].fd = fd[i];
			p[i].events = POLLIN | (sent[i] < total ? POLLOUT : 0);
		}
		ASSERT_LE(0, poll(p, 2, 1000));
		for (i = 0; i < 2; i++) {
			ssize_t n;
			size_t l;

			ASSERT_EQ(0, p[i].revents & POLLERR);
			if ((p[i].revents & POLLOUT) && sent[i] < total) {
				l = total - sent[i] < chunk ? total - sent[i] : chunk;
				fill_pattern(sb, l, sent[i], 100 + i);
				n = send(fd[i], sb, l, 0);
				if (n < 0) {
					ASSERT_EQ(EAGAIN, errno);
				} else {
					sent[i] += n;
				}
				if (sent[i] == total) {
					ASSERT_EQ(0, shutdown(fd[i], SHUT_WR));
				}
			}
			if ((p[i].revents & POLLIN) && rcvd[!i] < total) {
				/* fd[i] receives what fd[!i] sent */
				n = recv(fd[i], rb, chunk, 0);
				if (n < 0) {
					ASSERT_EQ(EAGAIN, errno);
					continue;
				}
				ASSERT_LT(0, n) TH_LOG("early EOF at %zu", rcvd[!i]);
				ASSERT_EQ(-1, check_pattern(rb, n, rcvd[!i], 100 + !i))
					TH_LOG("corrupt at offset %zu", rcvd[!i]);
				rcvd[!i] += n;
			}
		}
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(total, rcvd[i]);
		ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
			  wait_revents(fd[i], EV, POLLHUP, WAIT));
		EXPECT_EQ(0, recv(fd[i], rb, 1, 0));
	}
	free(sb);
	free(rb);
}

/* blocking send/recv, readv/writev, MSG_WAITALL on a full message */
TEST_F(data, blocking_io)
{
	static uint8_t buf[65536], got[65536];
	struct iovec iov[3];
	char a[3], b[4], c[5];
	struct timeval tv = { 10, 0 };	/* fail rather than hang */
	int lfd, cfd, sfd;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	fill_pattern(buf, sizeof(buf), 0, 1);
	ASSERT_EQ((ssize_t)sizeof(buf), send(cfd, buf, sizeof(buf), 0));
	ASSERT_EQ((ssize_t)sizeof(got), recv(sfd, got, sizeof(got), MSG_WAITALL));
	ASSERT_EQ(-1, check_pattern(got, sizeof(got), 0, 1));
	iov[0] = (struct iovec){ "abc", 3 };
	iov[1] = (struct iovec){ "defg", 4 };
	iov[2] = (struct iovec){ "hijkl", 5 };
	ASSERT_EQ(12, writev(sfd, iov, 3));
	ASSERT_EQ(12, read_exact(cfd, got, 12, WAIT));
	ASSERT_EQ(0, memcmp(got, "abcdefghijkl", 12));
	ASSERT_EQ(12, write(cfd, "0123456789AB", 12));
	iov[0] = (struct iovec){ a, 3 };
	iov[1] = (struct iovec){ b, 4 };
	iov[2] = (struct iovec){ c, 5 };
	ASSERT_EQ(POLLIN | POLLOUT, wait_revents(sfd, EV, POLLIN, WAIT));
	/* one segment (TCP_NODELAY not needed: the first write goes out) */
	ASSERT_EQ(12, readv(sfd, iov, 3));
	EXPECT_EQ(0, memcmp(a, "012", 3));
	EXPECT_EQ(0, memcmp(b, "3456", 4));
	EXPECT_EQ(0, memcmp(c, "789AB", 5));
}

/* non-blocking: EAGAIN on empty receive queue and on a full send path */
TEST_F_TIMEOUT(data, nonblocking_eagain, 60)
{
	static uint8_t buf[65536];
	size_t total = 0, drained = 0;
	int lfd, cfd, sfd;
	ssize_t n;
	char c;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	EXPECT_EQ(-1, recv(sfd, &c, 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	set_nonblock(sfd, true);
	EXPECT_EQ(-1, recv(sfd, &c, 1, 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(sfd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	/* fill: the receiver does not read */
	set_nonblock(cfd, true);
	n = fill_until_blocked(cfd, 3);
	ASSERT_LT(0, n);
	total = n;
	TH_LOG("%zu bytes buffered before EAGAIN", total);
	ASSERT_LT(65536, (long)total);
	ASSERT_MASK(cfd, 0);
	EXPECT_EQ(-1, send(cfd, "x", 1, 0));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, send(cfd, "x", 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	/* drain and verify; the writer becomes writable again */
	while (drained < total) {
		n = read_exact(sfd, buf, total - drained < sizeof(buf) ?
			       total - drained : sizeof(buf), WAIT);
		ASSERT_LT(0, n);
		ASSERT_EQ(-1, check_pattern(buf, n, drained, 3));
		drained += n;
	}
	ASSERT_EQ(POLLOUT, wait_revents(cfd, EV, POLLOUT, WAIT));
	EXPECT_EQ(-1, recv(sfd, &c, 1, 0));
	EXPECT_EQ(EAGAIN, errno);
}

/* exact readiness masks through a connection's life */
TEST_F(data, poll_masks)
{
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	struct linger lg = { 1, 0 };
	int lfd, cfd, sfd, fd, c2, s2;
	char buf[16];

	fd = topo_socket(T, SIDE_A);
	ASSERT_LE(0, fd);
	ASSERT_MASK(fd, POLLOUT | POLLHUP);		/* fresh: CLOSE */
	lfd = listen_on(T, PORT, 4);
	ASSERT_LE(0, lfd);
	ASSERT_MASK(lfd, 0);				/* empty listener */
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	ASSERT_MASK(cfd, POLLOUT);			/* established, idle */
	ASSERT_MASK(sfd, POLLOUT);
	/* a connection waiting in the accept queue */
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &c2, &s2));
	close(s2);
	close(c2);
	c2 = topo_socket(T, SIDE_A);
	ASSERT_EQ(0, connect(c2, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(POLLIN, wait_revents(lfd, EV, POLLIN, WAIT));
	ASSERT_MASK(lfd, POLLIN);
	/* data */
	ASSERT_EQ(3, send(cfd, "abc", 3, 0));
	ASSERT_EQ(POLLIN | POLLOUT, wait_revents(sfd, EV, POLLIN, WAIT));
	ASSERT_MASK(sfd, POLLIN | POLLOUT);
	ASSERT_EQ(3, recv(sfd, buf, sizeof(buf), 0));
	ASSERT_MASK(sfd, POLLOUT);
	/* the peer half-closes */
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_MASK(cfd, POLLOUT);			/* own SHUT_WR: still OUT */
	ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP, wait_revents(sfd, EV, POLLRDHUP, WAIT));
	ASSERT_MASK(sfd, POLLIN | POLLOUT | POLLRDHUP);
	/* both directions shut: HUP */
	ASSERT_EQ(0, shutdown(sfd, SHUT_WR));
	ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP,
		  wait_revents(cfd, EV, POLLHUP, WAIT));
	ASSERT_MASK(cfd, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	ASSERT_MASK(sfd, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	/* local SHUT_RD */
	close(cfd);
	close(sfd);
	ASSERT_EQ(0, shutdown(lfd, SHUT_RD));	/* listener: back to CLOSE */
	ASSERT_MASK(lfd, POLLOUT | POLLHUP);
	close(lfd);
	lfd = listen_on(T, PORT + 1, 4);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT + 1, &cfd, &sfd));
	ASSERT_EQ(0, shutdown(cfd, SHUT_RD));
	ASSERT_MASK(cfd, POLLIN | POLLOUT | POLLRDHUP);
	EXPECT_EQ(0, recv(cfd, buf, 1, 0));
	/* RST from the peer: ERR until read, then HUP stays */
	ASSERT_EQ(0, setsockopt(sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(sfd));
	ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR,
		  wait_revents(cfd, EV, POLLERR, WAIT));
	ASSERT_MASK(cfd, POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR);
	EXPECT_EQ(ECONNRESET, get_so_error(cfd));
	ASSERT_MASK(cfd, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
}

/* a connecting socket: nothing until the handshake ends */
TEST_F(data, poll_masks_connect)
{
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	int lfd = listen_on(T, PORT, 4), fd = topo_socket(T, SIDE_A), r;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	set_nonblock(fd, true);
	ASSERT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(EINPROGRESS, errno);
	ASSERT_MASK(fd, 0);
	ASSERT_STATES(SIDE_A, "SYN_SENT 1", WAIT);
	ASSERT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(EALREADY, errno);
	ASSERT_EQ(0, tc_undrop(T, SIDE_B, 10));
	r = wait_revents(fd, EV, POLLOUT, 10000);
	ASSERT_EQ(POLLOUT, r);
	ASSERT_EQ(0, get_so_error(fd));
	/* Linux: the first connect() after completion returns 0, then EISCONN */
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(EISCONN, errno);
	/* refused: the connection is done (both directions shut) */
	close(fd);
	fd = topo_socket(T, SIDE_A);
	set_nonblock(fd, true);
	a.sin_port = htons(PORT + 7);
	ASSERT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(EINPROGRESS, errno);
	r = wait_revents(fd, EV, POLLERR, WAIT);
	ASSERT_EQ(POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP, r);
	ASSERT_MASK(fd, POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
	EXPECT_EQ(ECONNREFUSED, get_so_error(fd));
	EXPECT_EQ(0, get_so_error(fd));
	ASSERT_MASK(fd, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
}

TEST_F(data, msg_peek)
{
	int lfd, cfd, sfd;
	char buf[32];

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(11, send(cfd, "hello world", 11, 0));
	ASSERT_EQ(POLLIN | POLLOUT, wait_revents(sfd, EV, POLLIN, WAIT));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(5, recv(sfd, buf, 5, MSG_PEEK));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(11, recv(sfd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "hello world", 11));
	ASSERT_EQ(6, recv(sfd, buf, 6, 0));
	EXPECT_EQ(0, memcmp(buf, "hello ", 6));
	ASSERT_EQ(5, recv(sfd, buf, sizeof(buf), MSG_PEEK));
	EXPECT_EQ(0, memcmp(buf, "world", 5));
	ASSERT_EQ(5, recv(sfd, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, recv(sfd, buf, 1, MSG_PEEK | MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	/* peek at EOF */
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_EQ(POLLIN | POLLOUT | POLLRDHUP, wait_revents(sfd, EV, POLLRDHUP, WAIT));
	EXPECT_EQ(0, recv(sfd, buf, 1, MSG_PEEK));
	EXPECT_EQ(0, recv(sfd, buf, 1, 0));
}

struct writer {
	int fd;
	const char *data;
	int len;
	int shut;
};

static void *writer_fn(void *p)
{
	struct writer *w = p;
	int i, one = 1;

	setsockopt(w->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i < w->len; i += 1000)
		if (send(w->fd, w->data + i, w->len - i < 1000 ? w->len - i : 1000, 0) < 0)
			break;
	if (w->shut)
		shutdown(w->fd, SHUT_WR);
	return NULL;
}

/* MSG_WAITALL: all bytes; short at EOF; short after SO_RCVTIMEO */
TEST_F(data, msg_waitall)
{
	static char src[3000], got[4000];
	struct timeval tv = { 0, 300000 };
	struct writer w;
	pthread_t th;
	int lfd, cfd, sfd, i;
	double t0;

	struct timeval guard = { 10, 0 };	/* fail rather than hang */

	for (i = 0; i < (int)sizeof(src); i++)
		src[i] = 'a' + i % 26;
	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, setsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof(guard)));
	w = (struct writer){ cfd, src, 3000, 0 };
	ASSERT_EQ(0, pthread_create(&th, NULL, writer_fn, &w));
	ASSERT_EQ(3000, recv(sfd, got, 3000, MSG_WAITALL));
	pthread_join(th, NULL);
	EXPECT_EQ(0, memcmp(got, src, 3000));
	/* timeout with a partial message: the partial count */
	ASSERT_EQ(0, setsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(1000, send(cfd, src, 1000, 0));
	t0 = now_s();
	EXPECT_EQ(1000, recv(sfd, got, 3000, MSG_WAITALL));
	EXPECT_LE(0.25, now_s() - t0);
	/* EOF with a partial message: the partial count, then 0 */
	w = (struct writer){ cfd, src, 2000, 1 };
	ASSERT_EQ(0, pthread_create(&th, NULL, writer_fn, &w));
	EXPECT_EQ(2000, recv(sfd, got, 4000, MSG_WAITALL));
	pthread_join(th, NULL);
	EXPECT_EQ(0, recv(sfd, got, 4000, MSG_WAITALL));
}

static volatile int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* send after own SHUT_WR: EPIPE and SIGPIPE, MSG_NOSIGNAL: no signal */
TEST_F(data, sigpipe_epipe)
{
	int lfd, cfd, sfd;
	char b[2];

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	signal(SIGPIPE, on_sigpipe);
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	EXPECT_EQ(-1, send(cfd, "x", 1, 0));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(1, sigpipes);
	EXPECT_EQ(-1, write(cfd, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, sigpipes);
	EXPECT_EQ(-1, send(cfd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, sigpipes);
	EXPECT_EQ(0, get_so_error(cfd));
	signal(SIGPIPE, SIG_IGN);
	/* the other direction still works */
	ASSERT_EQ(2, send(sfd, "ok", 2, 0));
	ASSERT_EQ(2, read_exact(cfd, b, 2, WAIT));
}

/* SO_RCVTIMEO / SO_SNDTIMEO: EAGAIN after the timeout */
TEST_F_TIMEOUT(data, timeouts, 60)
{
	static uint8_t buf[1];
	struct timeval tv = { 0, 200000 }, g;
	socklen_t l = sizeof(g);
	int lfd, cfd, sfd;
	double t0, el;
	char c;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, setsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, getsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &g, &l));
	EXPECT_EQ(0, g.tv_sec);
	EXPECT_EQ(200000, g.tv_usec);
	t0 = now_s();
	EXPECT_EQ(-1, recv(sfd, &c, 1, 0));
	EXPECT_EQ(EAGAIN, errno);
	el = now_s() - t0;
	EXPECT_LE(0.19, el);
	EXPECT_GE(1.5, el);
	/* fill the path, then a blocking send times out */
	set_nonblock(cfd, true);
	ASSERT_LT(0, fill_until_blocked(cfd, 5));
	set_nonblock(cfd, false);
	ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	t0 = now_s();
	EXPECT_EQ(-1, send(cfd, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	el = now_s() - t0;
	EXPECT_LE(0.19, el);
	EXPECT_GE(1.5, el);
}

/* socket options a TCP program tunes read back as on Linux TCP */
TEST_F(data, sockopts)
{
	int lfd, cfd, sfd, v, one = 1;
	socklen_t l = sizeof(v);

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, getsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &v, &l));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	ASSERT_EQ(0, getsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &v, &l));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, getsockopt(cfd, SOL_SOCKET, SO_TYPE, &v, &l));
	EXPECT_EQ(SOCK_STREAM, v);
	ASSERT_EQ(0, getsockopt(cfd, SOL_SOCKET, SO_ACCEPTCONN, &v, &l));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, getsockopt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &v, &l));
	EXPECT_EQ(1, v);
	/* Linux doubles the requested buffer sizes */
	v = 65536;
	ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	ASSERT_EQ(0, getsockopt(cfd, SOL_SOCKET, SO_RCVBUF, &v, &l));
	EXPECT_EQ(131072, v);
	v = 65536;
	ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	ASSERT_EQ(0, getsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &v, &l));
	EXPECT_EQ(131072, v);
	ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	ASSERT_EQ(0, getsockopt(cfd, SOL_SOCKET, SO_KEEPALIVE, &v, &l));
	EXPECT_EQ(1, v);
	v = 12345;
	EXPECT_EQ(-1, setsockopt(cfd, IPPROTO_TCP, 12345, &v, sizeof(v)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, getsockopt(cfd, IPPROTO_TCP, 12345, &v, &l));
	EXPECT_EQ(ENOPROTOOPT, errno);
}

/* Bytes written and not yet sent (SIOCOUTQNSD), once it is @want or at
 * the deadline: Linux may hold a tail a moment for its own reasons
 * (autocorking until the earlier segments leave the device).
 */
static int notsent_becomes(int fd, int want, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int v = -1;

	do {
		if (ioctl(fd, SIOCOUTQNSD, &v))
			return -1;
		if (v == want)
			break;
		poll(NULL, 0, 5);
	} while (now_ms() < end);
	return v;
}

/*
 * Nagle in Minshall's form, Linux's default: a partial segment waits
 * only while an earlier partial segment is unacknowledged.  The server's
 * ACKs are lost, so nothing the client sends is ever acknowledged: a
 * write of two full segments and a 100-byte tail must still deliver all
 * of it (classic Nagle would hold the tail for an ACK that never comes);
 * a further small write then waits, as the tail is unacknowledged; once
 * ACKs pass again (the client's timeout resends, the server answers the
 * duplicate at once) it goes.
 */
TEST_F_TIMEOUT(data, nagle_partial_tail, 60)
{
	uint8_t out[2 * 1460 + 100 + 10], in[sizeof(out)];
	struct tcp_info ti;
	int lfd, cfd, sfd, mss, n;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(0, get_info(cfd, &ti));
	mss = (int)ti.tcpi_snd_mss;
	ASSERT_LE(536, mss);
	ASSERT_GE(1460, mss);
	n = 2 * mss + 100;
	fill_pattern(out, sizeof(out), 0, 7);
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 30, F_ACK, 0xff));

	ASSERT_EQ(n, write(cfd, out, n));
	EXPECT_EQ(0, notsent_becomes(cfd, 0, 5000));
	ASSERT_EQ(n, read_exact(sfd, in, n, 5000)) TH_LOG("the tail waited for an ACK");
	ASSERT_EQ(-1, check_pattern(in, n, 0, 7));

	ASSERT_EQ(10, write(cfd, out + n, 10));
	EXPECT_EQ(10, notsent_becomes(cfd, 10, 0));

	ASSERT_EQ(0, tc_undrop(T, SIDE_B, 30));
	ASSERT_EQ(10, read_exact(sfd, in + n, 10, 20000));
	ASSERT_EQ(-1, check_pattern(in, n + 10, 0, 7));
	close(cfd);
	close(sfd);
	close(lfd);
}

/*
 * SO_KEEPALIVE set while an ACK is delayed must not cancel the ACK: the
 * client's byte is acknowledged by the server's delayed-ACK timer (Linux:
 * at once, in quickack mode), never by answering the client's timeout.
 * The server sets the option as soon as it has read the byte, well
 * inside the 40 ms.
 */
TEST_F(data, keepalive_keeps_delayed_ack)
{
	int lfd, cfd, sfd, one = 1;
	struct tcp_info ti;
	char c;

	ASSERT_EQ(0, pair(T, &lfd, &cfd, &sfd));
	ASSERT_EQ(1, write(cfd, "k", 1));
	ASSERT_EQ(1, read_exact(sfd, &c, 1, 5000));
	ASSERT_EQ(0, setsockopt(sfd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	EXPECT_EQ(0, wait_acked(cfd, &ti, 5000));
	EXPECT_EQ(0U, ti.tcpi_unacked);
	EXPECT_EQ(0U, ti.tcpi_total_retrans) TH_LOG("the ACK came only after a retransmission");
	close(cfd);
	close(sfd);
	close(lfd);
}

TEST_HARNESS_MAIN
