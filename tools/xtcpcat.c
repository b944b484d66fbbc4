// SPDX-License-Identifier: GPL-2.0
/*
 * xtcpcat - netcat for xtcp: move a byte stream over an AF_XTCP socket.
 *
 *   xtcpcat -l PORT          accept one connection, copy it to stdout
 *   xtcpcat HOST PORT        connect, copy stdin to the peer, then read
 *                            back until the peer closes (half-close)
 *   -4  use AF_INET (Linux TCP) instead, for comparison
 *
 * The family number comes from /sys/module/xtcp/parameters/family.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/xtcp.h>

static int copy(int from, int to)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(from, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(to, p, n);

			if (w < 0)
				return -1;
			p += w;
			n -= w;
		}
	}
	return n < 0 ? -1 : 0;
}

static void die(const char *what)
{
	fprintf(stderr, "xtcpcat: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	int family = xtcp_family(), fd, one = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	if (argc > 1 && !strcmp(argv[1], "-4")) {
		family = AF_INET;
		argv++;
		argc--;
	}
	if (argc == 3 && !strcmp(argv[1], "-l")) {
		int c;

		fd = socket(family, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		sin.sin_port = htons(atoi(argv[2]));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
			die("bind");
		if (listen(fd, 16))
			die("listen");
		c = accept(fd, NULL, NULL);
		if (c < 0)
			die("accept");
		close(fd);
		if (copy(c, 1))
			die("read");
		close(c);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: xtcpcat [-4] -l PORT | xtcpcat [-4] HOST PORT\n");
		return 2;
	}
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "xtcpcat: %s: not an IPv4 address\n", argv[1]);
		return 2;
	}
	sin.sin_port = htons(atoi(argv[2]));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	if (copy(0, fd))
		die("write");
	if (shutdown(fd, SHUT_WR))
		die("shutdown");
	if (copy(fd, 1))
		die("read");
	close(fd);
	return 0;
}
