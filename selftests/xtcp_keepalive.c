// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_keepalive - helpers for xtcp_loss.sh, over AF_XTCP or (-4) AF_INET.
 *
 *   xtcp_keepalive [-4] HOST PORT
 *	Keepalive client.  Sets SO_KEEPALIVE, TCP_KEEPIDLE 1, TCP_KEEPINTVL 1,
 *	TCP_KEEPCNT 3, connects, prints "connected", then waits for a line on
 *	stdin (the caller cuts the link first), prints "go", and blocks in
 *	recv() (bounded by SO_RCVTIMEO, default 30 s, env XTCP_KA_BOUND).
 *	Prints "result errno=NAME ret=N since_connect=S.SS since_go=S.SS".
 *	Exit status 0 if recv() failed with ETIMEDOUT, 1 otherwise.
 *
 *   xtcp_keepalive -s [-4] PORT
 *	Sending server: accept one connection, copy stdin to it, half-close,
 *	read (and discard) until the peer closes.  With "xtcpcat HOST PORT
 *	</dev/null" as the client this moves a stream server -> client.
 *
 * The xtcp family number comes from /sys/module/xtcp/parameters/family.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/xtcp.h>

static void die(const char *what)
{
	fprintf(stderr, "xtcp_keepalive: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int serve(int family, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[65536];
	int fd, c, one = 1;
	ssize_t n;

	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind");
	if (listen(fd, 16))
		die("listen");
	c = accept(fd, NULL, NULL);
	if (c < 0)
		die("accept");
	close(fd);
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(c, p, n);

			if (w < 0)
				die("write");
			p += w;
			n -= w;
		}
	}
	if (n < 0)
		die("read stdin");
	if (shutdown(c, SHUT_WR))
		die("shutdown");
	while ((n = read(c, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		die("read");
	close(c);
	return 0;
}

static int keepalive_client(int family, const char *host, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, one = 1, idle = 1, intvl = 1, cnt = 3, err;
	const char *bound = getenv("XTCP_KA_BOUND");
	struct timeval tv = { .tv_sec = bound ? atoi(bound) : 30 };
	double t_conn, t_go, t_end;
	char line[64], c;
	ssize_t r;

	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)))
		die("setsockopt keepalive");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("setsockopt SO_RCVTIMEO");
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "xtcp_keepalive: %s: not an IPv4 address\n", host);
		return 2;
	}
	sin.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	t_conn = now();
	printf("connected\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		fprintf(stderr, "xtcp_keepalive: no go line on stdin\n");
	t_go = now();
	printf("go %.2f\n", t_go - t_conn);
	fflush(stdout);
	r = recv(fd, &c, 1, 0);
	err = errno;
	t_end = now();
	printf("result errno=%s ret=%zd since_connect=%.2f since_go=%.2f\n",
	       r < 0 ? strerrorname_np(err) : "none", r, t_end - t_conn,
	       t_end - t_go);
	fflush(stdout);
	close(fd);
	return r < 0 && err == ETIMEDOUT ? 0 : 1;
}

int main(int argc, char **argv)
{
	int family = xtcp_family(), do_serve = 0;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && !strcmp(argv[1], "-s")) {
		do_serve = 1;
		argv++;
		argc--;
	}
	if (argc > 1 && !strcmp(argv[1], "-4")) {
		family = AF_INET;
		argv++;
		argc--;
	}
	if (do_serve && argc == 2)
		return serve(family, atoi(argv[1]));
	if (!do_serve && argc == 3)
		return keepalive_client(family, argv[1], atoi(argv[2]));
	fprintf(stderr, "usage: xtcp_keepalive [-4] HOST PORT | xtcp_keepalive -s [-4] PORT\n");
	return 2;
}
