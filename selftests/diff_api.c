// SPDX-License-Identifier: GPL-2.0
/*
 * diff_api: the differential test.  One program runs the same scenarios
 * over Linux TCP (AF_INET) and over xtcp (AF_XTCP) and compares everything
 * the program sees: each call's return value and errno, poll revents,
 * getsockname()/getpeername() results (ephemeral ports reduced to "EPH"),
 * getsockopt() values, signals.  Every difference is printed; a difference
 * fails the scenario unless it is listed in intended[] below (and in
 * Documentation/selftests.rst) with its reason.
 *
 * Each scenario runs once per family in a child process with a fresh pair
 * of namespaces (lib.h topology); the child writes its trace to shared
 * memory.  Without xtcp (on a development host) each scenario is run over
 * AF_INET twice and the two traces compared - a check that the scenarios
 * are deterministic - and then reported as skipped (failed if
 * XTCP_REQUIRE=1).
 */
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "lib.h"

#define PORT 5000
#define WAIT 5000
#define EV (POLLIN | POLLOUT | POLLRDHUP)
#define MAXLINES 400
#define LINELEN 160

struct trace {
	int n;
	int done;
	char line[MAXLINES][LINELEN];
};

struct ctx {
	struct topo t;
	struct trace *tr;
};

/* Differences intended by xtcp; label prefix match within a scenario. */
static const struct {
	const char *scenario, *label, *reason;
} intended[] = {
	{ "*", "getsockopt(SO_DOMAIN)",
	  "the socket's family is the family it was created with: AF_XTCP" },
	{ "*", "getsockopt(SO_PROTOCOL)",
	  "the socket's protocol is xtcp's (IPPROTO_XTCP), not IPPROTO_TCP" },
};

static volatile int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void rec(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->tr->n >= MAXLINES)
		return;
	va_start(ap, fmt);
	vsnprintf(c->tr->line[c->tr->n], LINELEN, fmt, ap);
	va_end(ap);
	if (getenv("XTCP_DIFF_TRACE"))
		fprintf(stderr, "# [%s] %s\n", fam_name(c->t.kind), c->tr->line[c->tr->n]);
	c->tr->n++;
}

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

/* record "label = ret [ERRNO]" (+ SIGPIPE count when it changed) */
#define CALL(c, label, expr) do {					\
	int __sp = sigpipes;						\
	long __r;							\
	errno = 0;							\
	__r = (long)(expr);						\
	if (__r < 0)							\
		rec(c, "%s = %ld %s%s", label, __r, ename(errno),	\
		    sigpipes != __sp ? " +SIGPIPE" : "");		\
	else								\
		rec(c, "%s = %ld%s", label, __r,			\
		    sigpipes != __sp ? " +SIGPIPE" : "");		\
} while (0)

static void mask_rec(struct ctx *c, const char *label, int m)
{
	rec(c, "%s = %s%s%s%s%s%s", label, m < 0 ? "error " : "",
	    m > 0 && (m & POLLIN) ? "IN " : "", m > 0 && (m & POLLOUT) ? "OUT " : "",
	    m > 0 && (m & POLLRDHUP) ? "RDHUP " : "", m > 0 && (m & POLLHUP) ? "HUP " : "",
	    m > 0 && (m & POLLERR) ? "ERR" : "");
}

/* poll now (no wait) */
static void P(struct ctx *c, const char *label, int fd)
{
	mask_rec(c, label, poll1(fd, EV, 0));
}

/* wait (bounded) until want is in the mask, then record the mask */
static void PW(struct ctx *c, const char *label, int fd, short want)
{
	mask_rec(c, label, wait_revents(fd, EV, want, WAIT));
}

static int eph_lo = 32768, eph_hi = 60999;

static void addr_rec(struct ctx *c, const char *label, int r, struct sockaddr_in *a,
		     socklen_t l)
{
	char ip[32], port[16];
	int p = ntohs(a->sin_port);

	if (r < 0) {
		rec(c, "%s = %d %s", label, r, ename(errno));
		return;
	}
	inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
	if (p >= eph_lo && p <= eph_hi)
		snprintf(port, sizeof(port), "EPH");
	else
		snprintf(port, sizeof(port), "%d", p);
	rec(c, "%s = %d len %u fam %d %s:%s", label, r, l, a->sin_family, ip, port);
}

static void NAME(struct ctx *c, const char *label, int fd, bool peer)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int r;

	memset(&a, 0, sizeof(a));
	r = peer ? getpeername(fd, (struct sockaddr *)&a, &l) :
		   getsockname(fd, (struct sockaddr *)&a, &l);
	addr_rec(c, label, r, &a, l);
}

static void OPT(struct ctx *c, const char *label, int fd, int level, int opt)
{
	int v = -12345;
	socklen_t l = sizeof(v);
	int r = getsockopt(fd, level, opt, &v, &l);

	if (r < 0)
		rec(c, "getsockopt(%s) = %d %s", label, r, ename(errno));
	else
		rec(c, "getsockopt(%s) = %d len %u val %d", label, r, l, v);
}

/*
 * A safety net so that an implementation that blocks where Linux does not
 * produces a difference instead of a hung scenario: no scenario call
 * blocks on Linux for anywhere near this long.
 */
static void guard(int fd)
{
	struct timeval tv = { 4, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int SOCK(struct ctx *c, int side)
{
	int fd = topo_socket(&c->t, side);

	if (fd < 0)
		rec(c, "socket = -1 %s", ename(errno));
	else
		guard(fd);
	return fd;
}

static int LISTEN(struct ctx *c, int port)
{
	int fd = listen_on(&c->t, port, 8);

	if (fd >= 0)
		guard(fd);
	return fd;
}

#define SA(x) ((struct sockaddr *)&(x)), sizeof(x)

static int est_pair(struct ctx *c, int *lfd, int *cfd, int *sfd, int port)
{
	int r;

	*lfd = LISTEN(c, port);
	r = *lfd < 0 ? -errno : connect_pair(&c->t, *lfd, port, cfd, sfd);
	rec(c, "established pair = %d", r);
	if (!r) {
		guard(*cfd);
		guard(*sfd);
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* scenarios */

/* calls on a fresh, unconnected socket, and bind's errors */
static void sc_unconnected(struct ctx *c)
{
	struct sockaddr_in a = addr_of(SIDE_A, 0), b = addr_of(SIDE_A, 6000);
	struct sockaddr_in bad = b, far = addr_of(SIDE_A, 6001), any = { 0 };
	int fd = SOCK(c, SIDE_A), fd2, fd3;
	char buf[8];

	NAME(c, "getsockname", fd, false);
	NAME(c, "getpeername", fd, true);
	CALL(c, "recv", recv(fd, buf, 1, 0));
	CALL(c, "recv DONTWAIT", recv(fd, buf, 1, MSG_DONTWAIT));
	CALL(c, "read", read(fd, buf, 1));
	CALL(c, "send NOSIGNAL", send(fd, "x", 1, MSG_NOSIGNAL));
	CALL(c, "send", send(fd, "x", 1, 0));
	CALL(c, "write", write(fd, "x", 1));
	CALL(c, "sendto addr", sendto(fd, "x", 1, MSG_NOSIGNAL, SA(b)));
	CALL(c, "shutdown WR", shutdown(fd, SHUT_WR));
	CALL(c, "shutdown RD", shutdown(fd, SHUT_RD));
	CALL(c, "shutdown RDWR", shutdown(fd, SHUT_RDWR));
	CALL(c, "shutdown 7", shutdown(fd, 7));
	CALL(c, "accept", accept(fd, NULL, NULL));
	P(c, "poll fresh", fd);
	OPT(c, "SO_ERROR", fd, SOL_SOCKET, SO_ERROR);
	OPT(c, "SO_TYPE", fd, SOL_SOCKET, SO_TYPE);
	OPT(c, "SO_DOMAIN", fd, SOL_SOCKET, SO_DOMAIN);
	OPT(c, "SO_PROTOCOL", fd, SOL_SOCKET, SO_PROTOCOL);
	OPT(c, "SO_ACCEPTCONN", fd, SOL_SOCKET, SO_ACCEPTCONN);
	OPT(c, "SO_REUSEADDR", fd, SOL_SOCKET, SO_REUSEADDR);
	OPT(c, "SO_KEEPALIVE", fd, SOL_SOCKET, SO_KEEPALIVE);
	OPT(c, "SO_RCVBUF", fd, SOL_SOCKET, SO_RCVBUF);
	OPT(c, "SO_SNDBUF", fd, SOL_SOCKET, SO_SNDBUF);
	OPT(c, "SO_RCVLOWAT", fd, SOL_SOCKET, SO_RCVLOWAT);
	OPT(c, "SO_OOBINLINE", fd, SOL_SOCKET, SO_OOBINLINE);
	OPT(c, "TCP_NODELAY", fd, IPPROTO_TCP, TCP_NODELAY);
	OPT(c, "TCP_MAXSEG", fd, IPPROTO_TCP, TCP_MAXSEG);
	OPT(c, "TCP_SYNCNT", fd, IPPROTO_TCP, TCP_SYNCNT);
	OPT(c, "TCP_KEEPIDLE", fd, IPPROTO_TCP, TCP_KEEPIDLE);
	OPT(c, "TCP_KEEPINTVL", fd, IPPROTO_TCP, TCP_KEEPINTVL);
	OPT(c, "TCP_KEEPCNT", fd, IPPROTO_TCP, TCP_KEEPCNT);
	OPT(c, "TCP_USER_TIMEOUT", fd, IPPROTO_TCP, TCP_USER_TIMEOUT);
	OPT(c, "TCP_CORK", fd, IPPROTO_TCP, TCP_CORK);
	OPT(c, "IPPROTO_TCP 9999", fd, IPPROTO_TCP, 9999);
	OPT(c, "SOL_SOCKET 9999", fd, SOL_SOCKET, 9999);
	{
		struct linger lg = { 7, 7 };
		socklen_t l = sizeof(lg);
		int r = getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &l);

		rec(c, "getsockopt(SO_LINGER) = %d len %u {%d,%d}", r, l, lg.l_onoff,
		    lg.l_linger);
	}
	/* bind errors */
	bad.sin_family = AF_INET6;
	CALL(c, "bind AF_INET6 family", bind(fd, SA(bad)));
	bad.sin_family = AF_UNIX;
	CALL(c, "bind AF_UNIX family", bind(fd, SA(bad)));
	CALL(c, "bind short addrlen", bind(fd, (struct sockaddr *)&b, 8));
	inet_pton(AF_INET, "10.0.0.99", &far.sin_addr);
	CALL(c, "bind non-local address", bind(fd, SA(far)));
	CALL(c, "bind", bind(fd, SA(b)));
	NAME(c, "getsockname bound", fd, false);
	CALL(c, "bind twice", bind(fd, SA(b)));
	CALL(c, "bind again other port", bind(fd, SA(a)));
	fd2 = SOCK(c, SIDE_A);
	CALL(c, "bind used port", bind(fd2, SA(b)));
	any.sin_family = AF_INET;
	any.sin_port = htons(6000);
	CALL(c, "bind used port INADDR_ANY", bind(fd2, SA(any)));
	a.sin_port = 0;
	CALL(c, "bind port 0", bind(fd2, SA(a)));
	NAME(c, "getsockname port 0", fd2, false);
	fd3 = SOCK(c, SIDE_A);
	any.sin_family = AF_UNSPEC;
	any.sin_port = 0;
	CALL(c, "bind AF_UNSPEC INADDR_ANY", bind(fd3, SA(any)));
	NAME(c, "getsockname AF_UNSPEC bind", fd3, false);
	close(fd3);
	/* SO_REUSEADDR on both: both bind, only one may listen */
	{
		int one = 1, s1 = SOCK(c, SIDE_A), s2 = SOCK(c, SIDE_A);
		struct sockaddr_in r = addr_of(SIDE_A, 6002);

		setsockopt(s1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(s2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		CALL(c, "reuseaddr bind 1", bind(s1, SA(r)));
		CALL(c, "reuseaddr bind 2", bind(s2, SA(r)));
		CALL(c, "reuseaddr listen 1", listen(s1, 4));
		CALL(c, "reuseaddr listen 2", listen(s2, 4));
		close(s1);
		close(s2);
	}
	/* listen on an unbound socket binds an ephemeral port */
	fd3 = SOCK(c, SIDE_A);
	CALL(c, "listen unbound", listen(fd3, 4));
	NAME(c, "getsockname autobound listener", fd3, false);
	close(fd3);
	close(fd2);
	close(fd);
}

/* connect()'s errors and the non-blocking connect protocol */
static void sc_connect(struct ctx *c)
{
	struct sockaddr_in b = addr_of(SIDE_B, PORT), none = addr_of(SIDE_B, PORT + 9);
	struct sockaddr_in bad = b;
	int lfd = LISTEN(c, PORT), fd, s;

	rec(c, "listen = %d", lfd < 0 ? -1 : 0);
	fd = SOCK(c, SIDE_A);
	bad.sin_family = AF_INET6;
	CALL(c, "connect AF_INET6 family", connect(fd, SA(bad)));
	CALL(c, "connect short addrlen", connect(fd, (struct sockaddr *)&b, 8));
	bad.sin_family = AF_UNSPEC;
	CALL(c, "connect AF_UNSPEC unconnected", connect(fd, SA(bad)));
	CALL(c, "connect", connect(fd, SA(b)));
	NAME(c, "getsockname", fd, false);
	NAME(c, "getpeername", fd, true);
	CALL(c, "connect again", connect(fd, SA(b)));
	CALL(c, "connect other", connect(fd, SA(none)));
	CALL(c, "bind connected", bind(fd, SA(b)));
	CALL(c, "listen connected", listen(fd, 4));
	CALL(c, "accept connected", accept(fd, NULL, NULL));
	s = accept(lfd, NULL, NULL);
	rec(c, "accept = %d", s < 0 ? -1 : 0);
	NAME(c, "accepted getsockname", s, false);
	NAME(c, "accepted getpeername", s, true);
	OPT(c, "accepted SO_ACCEPTCONN", s, SOL_SOCKET, SO_ACCEPTCONN);
	OPT(c, "listener SO_ACCEPTCONN", lfd, SOL_SOCKET, SO_ACCEPTCONN);
	CALL(c, "connect listener", connect(lfd, SA(b)));
	CALL(c, "listen twice", listen(lfd, 16));
	close(s);
	close(fd);

	/* non-blocking connect */
	fd = SOCK(c, SIDE_A);
	set_nonblock(fd, true);
	CALL(c, "nb connect", connect(fd, SA(b)));
	PW(c, "nb poll", fd, POLLOUT);
	OPT(c, "nb SO_ERROR", fd, SOL_SOCKET, SO_ERROR);
	CALL(c, "nb connect after", connect(fd, SA(b)));
	CALL(c, "nb connect after 2", connect(fd, SA(b)));
	close(fd);

	/* refused, blocking and non-blocking */
	fd = SOCK(c, SIDE_A);
	CALL(c, "connect refused", connect(fd, SA(none)));
	OPT(c, "refused SO_ERROR", fd, SOL_SOCKET, SO_ERROR);
	P(c, "refused poll", fd);
	CALL(c, "connect refused again", connect(fd, SA(none)));
	NAME(c, "refused getsockname", fd, false);
	CALL(c, "connect after refused", connect(fd, SA(b)));
	close(fd);
	fd = SOCK(c, SIDE_A);
	set_nonblock(fd, true);
	CALL(c, "nb connect refused", connect(fd, SA(none)));
	PW(c, "nb refused poll", fd, POLLERR);
	OPT(c, "nb refused SO_ERROR", fd, SOL_SOCKET, SO_ERROR);
	OPT(c, "nb refused SO_ERROR 2", fd, SOL_SOCKET, SO_ERROR);
	P(c, "nb refused poll 2", fd);
	CALL(c, "nb refused recv", recv(fd, &s, 1, 0));
	CALL(c, "nb refused send", send(fd, "x", 1, MSG_NOSIGNAL));
	CALL(c, "nb connect refused again", connect(fd, SA(none)));
	close(fd);

	/* disconnect with AF_UNSPEC */
	fd = SOCK(c, SIDE_A);
	CALL(c, "connect 2", connect(fd, SA(b)));
	bad.sin_family = AF_UNSPEC;
	CALL(c, "connect AF_UNSPEC connected", connect(fd, SA(bad)));
	P(c, "poll after AF_UNSPEC", fd);
	NAME(c, "getpeername after AF_UNSPEC", fd, true);
	CALL(c, "connect after AF_UNSPEC", connect(fd, SA(b)));
	close(fd);
	close(lfd);
}

/* accept queue, accept4 flags, non-blocking listener */
static void sc_accept(struct ctx *c)
{
	struct sockaddr_in b = addr_of(SIDE_B, PORT), p;
	int lfd = LISTEN(c, PORT), fd, s;
	socklen_t l;

	rec(c, "listen = %d", lfd < 0 ? -1 : 0);
	set_nonblock(lfd, true);
	CALL(c, "accept empty", accept(lfd, NULL, NULL));
	P(c, "poll listener empty", lfd);
	fd = SOCK(c, SIDE_A);
	CALL(c, "connect", connect(fd, SA(b)));
	PW(c, "poll listener", lfd, POLLIN);
	l = 4;
	s = accept4(lfd, (struct sockaddr *)&p, &l, SOCK_NONBLOCK | SOCK_CLOEXEC);
	rec(c, "accept4 short len = %d len %u", s < 0 ? -1 : 0, l);
	rec(c, "accept4 O_NONBLOCK %d FD_CLOEXEC %d", !!(fcntl(s, F_GETFL) & O_NONBLOCK),
	    !!(fcntl(s, F_GETFD) & FD_CLOEXEC));
	CALL(c, "accepted recv", recv(s, &l, 1, 0));
	CALL(c, "accept4 bad flags", accept4(lfd, NULL, NULL, 0x4000000));
	CALL(c, "shutdown listener RD", shutdown(lfd, SHUT_RD));
	P(c, "poll listener after shutdown", lfd);
	CALL(c, "accept after shutdown", accept(lfd, NULL, NULL));
	OPT(c, "SO_ACCEPTCONN after shutdown", lfd, SOL_SOCKET, SO_ACCEPTCONN);
	close(s);
	close(fd);
	close(lfd);
}

/* data, readiness, peek, shutdown on an established connection */
static void sc_data(struct ctx *c)
{
	int lfd, cfd, sfd, v;
	char buf[64];

	if (est_pair(c, &lfd, &cfd, &sfd, PORT))
		return;
	P(c, "poll idle", cfd);
	CALL(c, "recv DONTWAIT empty", recv(sfd, buf, 1, MSG_DONTWAIT));
	CALL(c, "send", send(cfd, "hello world", 11, 0));
	PW(c, "poll data", sfd, POLLIN);
	CALL(c, "ioctl FIONREAD", (ioctl(sfd, FIONREAD, &v) ?: v));
	CALL(c, "recv PEEK 5", recv(sfd, buf, 5, MSG_PEEK));
	CALL(c, "recv PEEK all", recv(sfd, buf, sizeof(buf), MSG_PEEK));
	CALL(c, "recv 6", recv(sfd, buf, 6, 0));
	CALL(c, "ioctl FIONREAD 2", (ioctl(sfd, FIONREAD, &v) ?: v));
	CALL(c, "recv rest", recv(sfd, buf, sizeof(buf), 0));
	CALL(c, "recv TRUNC", recv(sfd, buf, 1, MSG_TRUNC | MSG_DONTWAIT));
	CALL(c, "recv OOB", recv(sfd, buf, 1, MSG_OOB));
	CALL(c, "recv ERRQUEUE", recv(sfd, buf, 1, MSG_ERRQUEUE));
	CALL(c, "send 0 bytes", send(cfd, buf, 0, 0));
	CALL(c, "sendto ignored addr", sendto(cfd, "ab", 2, 0, NULL, 0));
	PW(c, "poll data 2", sfd, POLLIN);
	CALL(c, "read 2", read(sfd, buf, sizeof(buf)));
	CALL(c, "recv 0 bytes DONTWAIT", recv(sfd, buf, 0, MSG_DONTWAIT));
	/* unacknowledged bytes drain once the (possibly delayed) ACK came */
	{
		int64_t end = now_ms() + 2000;

		while (!ioctl(cfd, SIOCOUTQ, &v) && v && now_ms() < end)
			usleep(10000);
	}
	CALL(c, "ioctl SIOCOUTQ acked", (ioctl(cfd, SIOCOUTQ, &v) ?: v));
	/* shutdowns */
	CALL(c, "shutdown WR", shutdown(cfd, SHUT_WR));
	P(c, "poll after own WR", cfd);
	CALL(c, "send after WR", send(cfd, "x", 1, MSG_NOSIGNAL));
	CALL(c, "send after WR SIGPIPE", send(cfd, "x", 1, 0));
	CALL(c, "shutdown WR again", shutdown(cfd, SHUT_WR));
	PW(c, "poll peer FIN", sfd, POLLRDHUP);
	CALL(c, "recv EOF", recv(sfd, buf, 1, 0));
	CALL(c, "recv EOF again", recv(sfd, buf, 1, MSG_DONTWAIT));
	CALL(c, "send in CLOSE_WAIT", send(sfd, "back", 4, 0));
	PW(c, "poll half-closed data", cfd, POLLIN);
	CALL(c, "recv after own WR", recv(cfd, buf, sizeof(buf), 0));
	CALL(c, "shutdown RD", shutdown(cfd, SHUT_RD));
	P(c, "poll after own RD", cfd);
	CALL(c, "recv after RD", recv(cfd, buf, 1, 0));
	CALL(c, "shutdown server WR", shutdown(sfd, SHUT_WR));
	PW(c, "poll both shut", sfd, POLLHUP);
	OPT(c, "SO_ERROR end", sfd, SOL_SOCKET, SO_ERROR);
	close(cfd);
	close(sfd);
	close(lfd);
}

/* resets: linger 0, close with unread data, calls after RST */
static void sc_reset(struct ctx *c)
{
	struct linger lg = { 1, 0 };
	int lfd, cfd, sfd;
	char buf[16];

	if (est_pair(c, &lfd, &cfd, &sfd, PORT))
		return;
	CALL(c, "setsockopt SO_LINGER", setsockopt(sfd, SOL_SOCKET, SO_LINGER, &lg,
						   sizeof(lg)));
	CALL(c, "close linger 0", close(sfd));
	PW(c, "poll after RST", cfd, POLLERR);
	CALL(c, "recv after RST", recv(cfd, buf, 1, 0));
	CALL(c, "recv after RST 2", recv(cfd, buf, 1, 0));
	OPT(c, "SO_ERROR after RST", cfd, SOL_SOCKET, SO_ERROR);
	CALL(c, "send after RST", send(cfd, "x", 1, 0));
	CALL(c, "send after RST 2", send(cfd, "x", 1, 0));
	P(c, "poll after RST end", cfd);
	NAME(c, "getpeername after RST", cfd, true);
	NAME(c, "getsockname after RST", cfd, false);
	CALL(c, "shutdown after RST", shutdown(cfd, SHUT_RDWR));
	close(cfd);
	close(lfd);

	/* close with unread data */
	if (est_pair(c, &lfd, &cfd, &sfd, PORT + 1))
		return;
	CALL(c, "send", send(cfd, "unread", 6, 0));
	PW(c, "poll data", sfd, POLLIN);
	CALL(c, "close unread", close(sfd));
	PW(c, "poll after RST (unread)", cfd, POLLERR);
	OPT(c, "SO_ERROR after RST (unread)", cfd, SOL_SOCKET, SO_ERROR);
	OPT(c, "SO_ERROR again", cfd, SOL_SOCKET, SO_ERROR);
	CALL(c, "recv after RST (unread)", recv(cfd, buf, 1, 0));
	close(cfd);
	close(lfd);

	/* RST while in CLOSE_WAIT */
	if (est_pair(c, &lfd, &cfd, &sfd, PORT + 2))
		return;
	CALL(c, "close server", close(sfd));
	PW(c, "poll FIN", cfd, POLLRDHUP);
	CALL(c, "send to closed", send(cfd, "late", 4, 0));
	PW(c, "poll after late RST", cfd, POLLERR);
	CALL(c, "recv CLOSE_WAIT RST", recv(cfd, buf, 1, 0));
	OPT(c, "SO_ERROR CLOSE_WAIT RST", cfd, SOL_SOCKET, SO_ERROR);
	CALL(c, "send CLOSE_WAIT RST", send(cfd, "x", 1, 0));
	close(cfd);
	close(lfd);
}

/* options that programs set, and their validation */
static void sc_options(struct ctx *c)
{
	int fd = SOCK(c, SIDE_A), v;
	struct timeval tv = { 1, 500000 }, g;
	socklen_t l;
	struct linger lg = { 1, 5 };

#define SETI(label, lvl, opt, val) do {					\
	v = (val);							\
	CALL(c, "setsockopt(" label ")", setsockopt(fd, lvl, opt, &v, sizeof(v))); \
	OPT(c, label, fd, lvl, opt);					\
} while (0)
	SETI("TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY, 1);
	SETI("TCP_NODELAY 5", IPPROTO_TCP, TCP_NODELAY, 5);
	SETI("TCP_MAXSEG", IPPROTO_TCP, TCP_MAXSEG, 1000);
	SETI("TCP_MAXSEG 10", IPPROTO_TCP, TCP_MAXSEG, 10);
	SETI("TCP_MAXSEG 70000", IPPROTO_TCP, TCP_MAXSEG, 70000);
	SETI("TCP_SYNCNT 3", IPPROTO_TCP, TCP_SYNCNT, 3);
	SETI("TCP_SYNCNT 0", IPPROTO_TCP, TCP_SYNCNT, 0);
	SETI("TCP_SYNCNT 200", IPPROTO_TCP, TCP_SYNCNT, 200);
	SETI("TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE, 100);
	SETI("TCP_KEEPIDLE 0", IPPROTO_TCP, TCP_KEEPIDLE, 0);
	SETI("TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL, 10);
	SETI("TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT, 4);
	SETI("TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT, 5000);
	SETI("TCP_USER_TIMEOUT -1", IPPROTO_TCP, TCP_USER_TIMEOUT, -1);
	SETI("SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, 1);
	SETI("SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR, 1);
	SETI("SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, 10000);
	SETI("SO_RCVBUF 1", SOL_SOCKET, SO_RCVBUF, 1);
	SETI("SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, 10000);
	SETI("SO_SNDBUF 1", SOL_SOCKET, SO_SNDBUF, 1);
	SETI("SO_RCVLOWAT", SOL_SOCKET, SO_RCVLOWAT, 10);
	CALL(c, "setsockopt short optlen", setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, 2));
	CALL(c, "setsockopt unknown TCP", setsockopt(fd, IPPROTO_TCP, 9999, &v, sizeof(v)));
	CALL(c, "setsockopt SO_LINGER", setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg,
						   sizeof(lg)));
	memset(&lg, 0, sizeof(lg));
	l = sizeof(lg);
	CALL(c, "getsockopt SO_LINGER", getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &l));
	rec(c, "SO_LINGER = {%d,%d} len %u", lg.l_onoff, lg.l_linger, l);
	CALL(c, "setsockopt SO_RCVTIMEO", setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
						     sizeof(tv)));
	l = sizeof(g);
	CALL(c, "getsockopt SO_RCVTIMEO", getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &g, &l));
	rec(c, "SO_RCVTIMEO = %ld.%06ld len %u", (long)g.tv_sec, (long)g.tv_usec, l);
	tv.tv_usec = 1000000;
	CALL(c, "setsockopt SO_SNDTIMEO bad usec", setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO,
							      &tv, sizeof(tv)));
	l = 2;
	CALL(c, "getsockopt short optlen", getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &l));
	rec(c, "short optlen len = %u", l);
	close(fd);
#undef SETI
}

/* options on a connected socket */
static void sc_connected_options(struct ctx *c)
{
	struct tcp_info ti;
	socklen_t l;
	int lfd, cfd, sfd, r;

	if (est_pair(c, &lfd, &cfd, &sfd, PORT))
		return;
	OPT(c, "TCP_MAXSEG connected", cfd, IPPROTO_TCP, TCP_MAXSEG);
	OPT(c, "TCP_MAXSEG accepted", sfd, IPPROTO_TCP, TCP_MAXSEG);
	OPT(c, "SO_ERROR", cfd, SOL_SOCKET, SO_ERROR);
	OPT(c, "TCP_NODELAY accepted", sfd, IPPROTO_TCP, TCP_NODELAY);
	OPT(c, "SO_KEEPALIVE accepted", sfd, SOL_SOCKET, SO_KEEPALIVE);
	memset(&ti, 0, sizeof(ti));
	l = sizeof(ti);
	r = getsockopt(cfd, IPPROTO_TCP, TCP_INFO, &ti, &l);
	rec(c, "TCP_INFO = %d len %u state %u", r, l, ti.tcpi_state);
	close(sfd);
	PW(c, "poll FIN", cfd, POLLRDHUP);
	memset(&ti, 0, sizeof(ti));
	l = sizeof(ti);
	r = getsockopt(cfd, IPPROTO_TCP, TCP_INFO, &ti, &l);
	rec(c, "TCP_INFO CLOSE_WAIT = %d state %u", r, ti.tcpi_state);
	close(cfd);
	close(lfd);
}

/* SO_RCVTIMEO/SO_SNDTIMEO expiry */
static void sc_timeouts(struct ctx *c)
{
	struct timeval tv = { 0, 100000 };
	int lfd, cfd, sfd;
	char buf[4];
	double t0;

	if (est_pair(c, &lfd, &cfd, &sfd, PORT))
		return;
	setsockopt(sfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	t0 = now_s();
	CALL(c, "recv timeout", recv(sfd, buf, 1, 0));
	rec(c, "waited >= timeout: %d", now_s() - t0 >= 0.09);
	CALL(c, "send", send(cfd, "ab", 2, 0));
	CALL(c, "recv WAITALL timeout partial", recv(sfd, buf, 4, MSG_WAITALL));
	set_nonblock(sfd, true);
	CALL(c, "recv nonblock ignores timeout", recv(sfd, buf, 1, 0));
	close(cfd);
	close(sfd);
	close(lfd);
}

static const struct scenario {
	const char *name;
	void (*fn)(struct ctx *c);
} scenarios[] = {
	{ "unconnected", sc_unconnected },
	{ "connect", sc_connect },
	{ "accept", sc_accept },
	{ "data", sc_data },
	{ "reset", sc_reset },
	{ "options", sc_options },
	{ "connected_options", sc_connected_options },
	{ "timeouts", sc_timeouts },
};

/* ------------------------------------------------------------------ */

static void read_eph_range(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	if (f) {
		if (fscanf(f, "%d %d", &eph_lo, &eph_hi) != 2) {
			eph_lo = 32768;
			eph_hi = 60999;
		}
		fclose(f);
	}
}

static int run_one(const struct scenario *s, int kind, struct trace *tr)
{
	pid_t pid;
	int st;

	memset(tr, 0, sizeof(*tr));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct ctx c = { .tr = tr };

		signal(SIGPIPE, on_sigpipe);
		alarm(12);	/* a scenario takes well under a second on Linux */
		if (topo_setup(&c.t, kind)) {
			rec(&c, "topology: %s", c.t.err);
			_exit(1);
		}
		s->fn(&c);
		tr->done = 1;
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFSIGNALED(st))
		rec(&(struct ctx){ .tr = tr }, "(scenario killed by signal %d)", WTERMSIG(st));
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 && tr->done ? 0 : -1;
}

static const char *label_of(const char *line, char *buf, size_t len)
{
	const char *eq = strstr(line, " = ");
	size_t n = eq ? (size_t)(eq - line) : strlen(line);

	if (n >= len)
		n = len - 1;
	memcpy(buf, line, n);
	buf[n] = 0;
	return buf;
}

static const char *intended_reason(const char *scen, const char *line)
{
	char lab[LINELEN];
	size_t i;

	label_of(line, lab, sizeof(lab));
	for (i = 0; i < sizeof(intended) / sizeof(intended[0]); i++)
		if ((!strcmp(intended[i].scenario, "*") ||
		     !strcmp(intended[i].scenario, scen)) &&
		    !strncmp(lab, intended[i].label, strlen(intended[i].label)))
			return intended[i].reason;
	return NULL;
}

/* returns the number of unintended differences */
static int compare(const char *scen, const char *na, struct trace *a,
		   const char *nb, struct trace *b)
{
	int i, n = a->n > b->n ? a->n : b->n, bad = 0;
	char la[LINELEN], lb[LINELEN];

	for (i = 0; i < n; i++) {
		const char *x = i < a->n ? a->line[i] : "(missing)";
		const char *y = i < b->n ? b->line[i] : "(missing)";
		const char *why;

		if (!strcmp(x, y))
			continue;
		why = !strcmp(label_of(x, la, sizeof(la)), label_of(y, lb, sizeof(lb))) ?
		      intended_reason(scen, x) : NULL;
		if (why) {
			printf("# INTENDED %s[%d]: %s: %s | %s: %s  (%s)\n", scen, i,
			       na, x, nb, y, why);
			continue;
		}
		printf("# DIFF %s[%d]: %s: %s\n#      %*s  %s: %s\n", scen, i, na, x,
		       (int)strlen(scen) + 4, "", nb, y);
		bad++;
	}
	return bad;
}

static void dump(const char *name, struct trace *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		printf("#   %s %s\n", name, t->line[i]);
}

static void run_scenario(struct __test_metadata *_metadata, const struct scenario *s)
{
	struct trace *a = mmap(NULL, sizeof(*a), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct trace *b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	bool have_xtcp = fam_available(FAM_XTCP);
	int ra, rb, bad;

	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	if (!have_xtcp && fam_required())
		ASSERT_TRUE(0) TH_LOG("xtcp family %d unavailable", fam_family(FAM_XTCP));
	read_eph_range();
	ra = run_one(s, FAM_INET, a);
	rb = run_one(s, have_xtcp ? FAM_XTCP : FAM_INET, b);
	if (getenv("XTCP_DIFF_DUMP")) {
		dump("inet", a);
		dump(have_xtcp ? "xtcp" : "inet2", b);
	}
	EXPECT_EQ(0, ra) TH_LOG("inet run did not complete (%d lines)", a->n);
	EXPECT_EQ(0, rb) TH_LOG("%s run did not complete (%d lines)",
				have_xtcp ? "xtcp" : "inet2", b->n);
	bad = compare(s->name, "inet", a, have_xtcp ? "xtcp" : "inet2", b);
	printf("# %s: %d calls compared, %d unintended differences\n", s->name, a->n, bad);
	EXPECT_EQ(0, bad);
	munmap(a, sizeof(*a));
	munmap(b, sizeof(*b));
	if (!have_xtcp && !bad && !ra && !rb)
		SKIP(return, "xtcp unavailable: compared AF_INET with itself only");
}

#define SCENARIO(sc, i)							\
TEST(diff_##sc)								\
{									\
	ASSERT_EQ(0, strcmp(#sc, scenarios[i].name));			\
	run_scenario(_metadata, &scenarios[i]);				\
}

SCENARIO(unconnected, 0)
SCENARIO(connect, 1)
SCENARIO(accept, 2)
SCENARIO(data, 3)
SCENARIO(reset, 4)
SCENARIO(options, 5)
SCENARIO(connected_options, 6)
SCENARIO(timeouts, 7)

TEST_HARNESS_MAIN
