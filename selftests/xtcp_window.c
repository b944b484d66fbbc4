// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_window: flow control at the edges, over Linux TCP and over xtcp.
 *
 * A receiver whose whole buffer is smaller than one segment (SO_RCVBUF at
 * its minimum) must still get every byte: the sender may not wait for a
 * window of a full MSS that never comes (RFC 9293 3.8.6.2.1 lets it send
 * a part once half the largest window offered is free), and the receiver
 * must open its window again after reads (3.8.6.2.2).
 */
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"

#define LEN	(256 * 1024)

XTCP_FIXTURE(window);

static int tiny_listener(struct topo *t, int port)
{
	struct sockaddr_in a = addr_of(SIDE_B, port);
	int fd = topo_socket(t, SIDE_B), one = 1;

	if (fd < 0)
		return -1;
	/* The kernel's minimum: Linux takes 1 as "as small as allowed". */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST_F(window, receive_buffer_smaller_than_a_segment)
{
	static uint8_t out[LEN], in[LEN];
	int lfd, cfd, sfd, rcvbuf;
	socklen_t sl = sizeof(rcvbuf);
	size_t got = 0, sent = 0;
	double t0;

	lfd = tiny_listener(T, 7500);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, 7500, &cfd, &sfd));
	ASSERT_EQ(0, getsockopt(sfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &sl));
	TH_LOG("%s: receive buffer %d bytes", fam_name(variant->kind), rcvbuf);
	fill_pattern(out, LEN, 0, 7);
	ASSERT_EQ(0, set_nonblock(cfd, true));

	/* Write what fits, read a little at a time, until all arrived. */
	t0 = now_s();
	while (got < LEN) {
		ssize_t n;

		ASSERT_LT(now_s() - t0, 60.0)
			TH_LOG("stalled after %zu of %d bytes", got, LEN);
		if (sent < LEN) {
			n = write(cfd, out + sent, LEN - sent);
			if (n > 0)
				sent += n;
			else
				ASSERT_EQ(EAGAIN, errno);
		}
		if (poll1(sfd, POLLIN, 50) & POLLIN) {
			n = read(sfd, in + got, 100);
			ASSERT_LT(0, n);
			got += n;
		}
	}
	ASSERT_EQ(-1, check_pattern(in, LEN, 0, 7));
	TH_LOG("%s: %d bytes in %.2f s", fam_name(variant->kind), LEN, now_s() - t0);
	close(cfd);
	close(sfd);
	close(lfd);
}

TEST_HARNESS_MAIN
