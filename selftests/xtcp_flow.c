// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_flow - bulk flows and a per-second byte count of each, for
 * xtcp_cc_fair.sh (congestion control fairness).
 *
 *   xtcp_flow recv -t SECONDS {-x PORT | -4 PORT}...
 *	Listen on each PORT (-x: AF_XTCP, -4: AF_INET, Linux TCP), accept
 *	one connection on each, then count the bytes each flow delivers in
 *	every second of the next SECONDS seconds, counted from the moment
 *	the last flow was accepted.  Prints one line per second,
 *	"sec N BYTES0 BYTES1 ...", then "total BYTES0 BYTES1 ...", and
 *	resets every connection (SO_LINGER 0) so that the senders stop.
 *	Gives up (exit 1) if the flows are not all accepted within 30 s.
 *
 *   xtcp_flow send [-4] [-C ALGORITHM] [-t MAX_SECONDS] HOST PORT
 *	Connect (AF_XTCP, or AF_INET with -4), select ALGORITHM with
 *	TCP_CONGESTION (failing if it cannot), and write as fast as the
 *	connection takes data until the peer resets or closes it (exit 0)
 *	or MAX_SECONDS (default 120) pass (exit 1).  Prints to stderr
 *	"sent BYTES cwnd N ssthresh N retrans N rtt_us N" from TCP_INFO.
 *
 * The family number of AF_XTCP comes from xtcp_family().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/xtcp.h>

#define MAX_FLOWS	8
#define MAX_SECONDS	600
#define ACCEPT_MS	30000

static void die(const char *what)
{
	fprintf(stderr, "xtcp_flow: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: xtcp_flow recv -t SECONDS {-x PORT | -4 PORT}...\n"
		"       xtcp_flow send [-4] [-C ALGORITHM] [-t MAX_SECONDS] HOST PORT\n");
	return 2;
}

static int do_recv(int argc, char **argv)
{
	static uint64_t bytes[MAX_SECONDS][MAX_FLOWS];
	struct pollfd pfd[MAX_FLOWS];
	int lfd[MAX_FLOWS], cfd[MAX_FLOWS];
	int n = 0, secs = 0, accepted = 0, one = 1, i, s;
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	static char buf[1 << 18];
	uint64_t total[MAX_FLOWS] = { 0 };
	int64_t start, end;

	for (i = 1; i < argc; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		int fam;

		if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			secs = atoi(argv[++i]);
			continue;
		}
		if ((strcmp(argv[i], "-x") && strcmp(argv[i], "-4")) ||
		    i + 1 >= argc || n == MAX_FLOWS)
			return usage();
		fam = argv[i][1] == 'x' ? xtcp_family() : AF_INET;
		lfd[n] = socket(fam, SOCK_STREAM, 0);
		if (lfd[n] < 0)
			die("socket");
		setsockopt(lfd[n], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		a.sin_port = htons(atoi(argv[++i]));
		if (bind(lfd[n], (struct sockaddr *)&a, sizeof(a)))
			die("bind");
		if (listen(lfd[n], 4))
			die("listen");
		cfd[n++] = -1;
	}
	if (!n || secs <= 0 || secs > MAX_SECONDS)
		return usage();

	/* Accept one connection per listener, in any order. */
	end = now_ms() + ACCEPT_MS;
	while (accepted < n) {
		int left = (int)(end - now_ms());

		if (left <= 0) {
			fprintf(stderr, "xtcp_flow: only %d of %d flows connected\n",
				accepted, n);
			return 1;
		}
		for (i = 0; i < n; i++) {
			pfd[i].fd = cfd[i] < 0 ? lfd[i] : -1;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, n, left) < 0 && errno != EINTR)
			die("poll");
		for (i = 0; i < n; i++) {
			if (cfd[i] >= 0 || !(pfd[i].revents & POLLIN))
				continue;
			cfd[i] = accept(lfd[i], NULL, NULL);
			if (cfd[i] < 0)
				die("accept");
			close(lfd[i]);
			accepted++;
		}
	}

	/* Count what each flow delivers, second by second. */
	start = now_ms();
	end = start + (int64_t)secs * 1000;
	for (;;) {
		int64_t t = now_ms();

		if (t >= end)
			break;
		for (i = 0; i < n; i++) {
			pfd[i].fd = cfd[i];
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, n, (int)(end - t)) < 0 && errno != EINTR)
			die("poll");
		for (i = 0; i < n; i++) {
			ssize_t r;

			if (cfd[i] < 0 || !pfd[i].revents)
				continue;
			r = recv(cfd[i], buf, sizeof(buf), MSG_DONTWAIT);
			if (r > 0) {
				s = (int)((now_ms() - start) / 1000);
				if (s < secs)
					bytes[s][i] += r;
			} else if (r == 0 || errno != EAGAIN) {
				fprintf(stderr, "xtcp_flow: flow %d ended early: %s\n",
					i, r ? strerror(errno) : "EOF");
				close(cfd[i]);
				cfd[i] = -1;
			}
		}
	}
	for (s = 0; s < secs; s++) {
		printf("sec %d", s);
		for (i = 0; i < n; i++) {
			printf(" %llu", (unsigned long long)bytes[s][i]);
			total[i] += bytes[s][i];
		}
		printf("\n");
	}
	printf("total");
	for (i = 0; i < n; i++)
		printf(" %llu", (unsigned long long)total[i]);
	printf("\n");
	fflush(stdout);
	for (i = 0; i < n; i++) {
		if (cfd[i] < 0)
			continue;
		setsockopt(cfd[i], SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
		close(cfd[i]);
	}
	return 0;
}

static int do_send(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int family = xtcp_family(), maxs = 120, fd, i;
	const char *cc = NULL;
	static char buf[1 << 16];
	unsigned long long sent = 0;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	struct timeval tv = { .tv_sec = 1 };
	int64_t end;
	int rc = 1;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-4"))
			family = AF_INET;
		else if (!strcmp(argv[i], "-C") && i + 1 < argc)
			cc = argv[++i];
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			maxs = atoi(argv[++i]);
		else
			return usage();
	}
	if (argc - i != 2 || inet_pton(AF_INET, argv[i], &a.sin_addr) != 1)
		return usage();
	a.sin_port = htons(atoi(argv[i + 1]));
	signal(SIGPIPE, SIG_IGN);
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (cc && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc)))
		die("TCP_CONGESTION");
	/* A bounded write, so that MAX_SECONDS is kept. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	memset(buf, 0x5a, sizeof(buf));
	end = now_ms() + (int64_t)maxs * 1000;
	while (now_ms() < end) {
		ssize_t w = send(fd, buf, sizeof(buf), MSG_NOSIGNAL);

		if (w > 0) {
			sent += w;
			continue;
		}
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		/* The receiver reset or closed the connection: done. */
		rc = sent ? 0 : 1;
		break;
	}
	memset(&ti, 0, sizeof(ti));
	getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
	fprintf(stderr, "sent %llu cwnd %u ssthresh %u retrans %u rtt_us %u%s\n",
		sent, ti.tcpi_snd_cwnd, ti.tcpi_snd_ssthresh,
		ti.tcpi_total_retrans, ti.tcpi_rtt,
		rc ? " (not stopped by the receiver)" : "");
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "recv"))
		return do_recv(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "send"))
		return do_send(argc - 1, argv + 1);
	return usage();
}
