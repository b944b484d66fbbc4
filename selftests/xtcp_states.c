// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_states: hold a connection in each of the eleven RFC 9293 states and
 * read the exact per-namespace state counts.
 *
 * xtcp variant: /proc/net/xtcp.  inet variant: the st column of
 * /proc/net/tcp, the same scenario validated against Linux TCP; Linux does
 * not list sockets in CLOSE (unbound, or closed but still held by a file
 * descriptor), so CLOSE is expected to be 0 there (see lib.c
 * states_expect()).  Orphaned sockets are used wherever a connection
 * reaches TIME_WAIT, so the count does not depend on how an
 * implementation represents a TIME_WAIT connection whose descriptor is
 * still open.
 *
 * Segments that would move a connection on are dropped with tc u32
 * filters on the veth of one side (lib.h tc_drop()).
 */
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "fixture.h"

#define PORT 5000
#define WAIT 5000

XTCP_FIXTURE(states);

static int nb_connect(struct topo *t, int port)
{
	struct sockaddr_in a = addr_of(SIDE_B, port);
	int fd = topo_socket(t, SIDE_A);

	if (fd < 0)
		return -1;
	set_nonblock(fd, true);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 || errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST_F(states, close)
{
	int fd = topo_socket(T, SIDE_A);

	ASSERT_LE(0, fd);
	ASSERT_STATES(SIDE_A, "CLOSE 1", WAIT);
	ASSERT_STATES(SIDE_B, "", WAIT);
	close(fd);
	ASSERT_STATES(SIDE_A, "", WAIT);
}

TEST_F(states, listen)
{
	int lfd = listen_on(T, PORT, 8);

	ASSERT_LE(0, lfd);
	ASSERT_STATES(SIDE_B, "LISTEN 1", WAIT);
	ASSERT_STATES(SIDE_A, "", WAIT);
	close(lfd);
	ASSERT_STATES(SIDE_B, "", WAIT);
}

/* the client's segments are all lost */
TEST_F(states, syn_sent)
{
	int lfd = listen_on(T, PORT, 8), cfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	cfd = nb_connect(T, PORT);
	ASSERT_LE(0, cfd);
	ASSERT_STATES(SIDE_A, "SYN_SENT 1", WAIT);
	ASSERT_STATES(SIDE_B, "LISTEN 1", WAIT);
	close(cfd);
	ASSERT_STATES(SIDE_A, "", WAIT);
}

/* the server's segments are all lost: client SYN_SENT, server SYN_RECV */
TEST_F(states, syn_sent_server_mute)
{
	int lfd = listen_on(T, PORT, 8), cfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	cfd = nb_connect(T, PORT);
	ASSERT_LE(0, cfd);
	ASSERT_STATES(SIDE_A, "SYN_SENT 1", WAIT);
	ASSERT_STATES(SIDE_B, "LISTEN 1 SYN_RECV 1", WAIT);
	close(cfd);
}

/* the client's final ACK of the handshake is lost */
TEST_F(states, syn_recv)
{
	int lfd = listen_on(T, PORT, 8), cfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, F_ACK, 0xff));
	cfd = nb_connect(T, PORT);
	ASSERT_LE(0, cfd);
	ASSERT_STATES(SIDE_A, "ESTABLISHED 1", WAIT);
	ASSERT_STATES(SIDE_B, "LISTEN 1 SYN_RECV 1", WAIT);
	/* accept queue is empty: the connection is not established there */
	set_nonblock(lfd, true);
	ASSERT_EQ(-1, accept(lfd, NULL, NULL));
	ASSERT_EQ(EAGAIN, errno);
	close(cfd);
}

TEST_F(states, established)
{
	int lfd = listen_on(T, PORT, 8), cfd, sfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	ASSERT_STATES(SIDE_A, "ESTABLISHED 1", WAIT);
	ASSERT_STATES(SIDE_B, "ESTABLISHED 1 LISTEN 1", WAIT);
	close(lfd);
	ASSERT_STATES(SIDE_B, "ESTABLISHED 1", WAIT);
}

/* FIN lost: the closer stays in FIN_WAIT1, the peer in ESTABLISHED */
TEST_F(states, fin_wait1)
{
	int lfd = listen_on(T, PORT, 8), cfd, sfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_STATES(SIDE_A, "FIN_WAIT1 1", WAIT);
	ASSERT_STATES(SIDE_B, "ESTABLISHED 1 LISTEN 1", WAIT);
}

/* half close: the closer in FIN_WAIT2 ... */
TEST_F(states, fin_wait2)
{
	int lfd = listen_on(T, PORT, 8), cfd, sfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1 LISTEN 1", WAIT);
}

/* ... and the peer in CLOSE_WAIT (listener closed: exactly one socket) */
TEST_F(states, close_wait)
{
	int lfd = listen_on(T, PORT, 8), cfd, sfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	close(lfd);
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
}

/*
 * Server in CLOSE_WAIT closes while everything from the client is lost:
 * the server's FIN is never acknowledged (LAST_ACK); the client, which
 * received the FIN, is in TIME_WAIT (it is an orphan: closed first).
 */
TEST_F(states, last_ack)
{
	int lfd = listen_on(T, PORT, 8), cfd, sfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	close(lfd);
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_B, "CLOSE_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_B, "LAST_ACK 1", WAIT);
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
}

/* full close, the active closer ends in TIME_WAIT, the passive one gone */
TEST_F(states, time_wait)
{
	int lfd = listen_on(T, PORT, 8), cfd, sfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT2 1", WAIT);
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "TIME_WAIT 1", WAIT);
	ASSERT_STATES(SIDE_B, "LISTEN 1", WAIT);
}

/*
 * Simultaneous close: both FINs lost (both FIN_WAIT1), then the client's
 * segments get through: the server receives a FIN that does not
 * acknowledge its own FIN -> CLOSING; its ACK is still lost, so the
 * client stays in FIN_WAIT1.
 */
TEST_F(states, closing)
{
	int lfd = listen_on(T, PORT, 8), cfd, sfd;

	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	close(lfd);
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, 0, 0));
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	ASSERT_EQ(0, close(cfd));
	ASSERT_EQ(0, close(sfd));
	ASSERT_STATES(SIDE_A, "FIN_WAIT1 1", WAIT);
	ASSERT_STATES(SIDE_B, "FIN_WAIT1 1", WAIT);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	/* the client's FIN is retransmitted after its RTO */
	ASSERT_STATES(SIDE_B, "CLOSING 1", 10000);
	ASSERT_STATES(SIDE_A, "FIN_WAIT1 1", WAIT);
}

static long ctr(struct __test_metadata *_metadata, struct topo *t, int side,
		const char *name)
{
	long v = -1;

	EXPECT_EQ(0, read_counter(t, side, name, &v)) TH_LOG("no counter %s", name);
	return v;
}

#define CTR(side, name) ctr(_metadata, T, side, name)

/*
 * The per-namespace protocol counters (xtcp: /proc/net/xtcp_stat; Linux:
 * the Tcp: lines of /proc/net/snmp) move as Linux's do: a refused attempt,
 * an established connection, an abortive close.
 */
TEST_F(states, counters)
{
	static const char *const names[] = {
		"ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets",
		"CurrEstab", "InSegs", "OutSegs", "RetransSegs", "InErrs",
		"InCsumErrors", "OutRsts", "InRsts", "DropsOutOfWindow",
	};
	struct sockaddr_in none = addr_of(SIDE_B, PORT + 1);
	struct linger lg = { 1, 0 };
	int lfd, cfd, sfd, fd;
	long v;
	size_t i;

	if (T->kind == FAM_XTCP)	/* the contract's names (Linux lacks the last two) */
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			EXPECT_EQ(0, read_counter(T, SIDE_A, names[i], &v))
				TH_LOG("/proc/net/xtcp_stat lacks %s", names[i]);
		}
	EXPECT_EQ(0, CTR(SIDE_A, "ActiveOpens"));
	EXPECT_EQ(0, CTR(SIDE_B, "PassiveOpens"));
	/* refused */
	fd = topo_socket(T, SIDE_A);
	ASSERT_EQ(-1, connect(fd, (struct sockaddr *)&none, sizeof(none)));
	ASSERT_EQ(ECONNREFUSED, errno);
	close(fd);
	EXPECT_EQ(1, CTR(SIDE_A, "ActiveOpens"));
	EXPECT_EQ(1, CTR(SIDE_A, "AttemptFails"));
	EXPECT_EQ(1, CTR(SIDE_B, "OutRsts"));
	EXPECT_EQ(0, CTR(SIDE_B, "PassiveOpens"));
	/* established */
	lfd = listen_on(T, PORT, 4);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, PORT, &cfd, &sfd));
	EXPECT_EQ(2, CTR(SIDE_A, "ActiveOpens"));
	EXPECT_EQ(1, CTR(SIDE_B, "PassiveOpens"));
	EXPECT_EQ(1, CTR(SIDE_A, "CurrEstab"));
	EXPECT_EQ(1, CTR(SIDE_B, "CurrEstab"));
	EXPECT_LT(0, CTR(SIDE_A, "InSegs"));
	EXPECT_LT(0, CTR(SIDE_A, "OutSegs"));
	EXPECT_EQ(0, CTR(SIDE_A, "RetransSegs"));
	EXPECT_EQ(0, CTR(SIDE_B, "InErrs"));
	/* abortive close: both ends count an established reset */
	ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(cfd));
	ASSERT_STATES(SIDE_B, "CLOSE 1 LISTEN 1", WAIT);
	EXPECT_EQ(1, CTR(SIDE_A, "EstabResets"));
	EXPECT_EQ(1, CTR(SIDE_B, "EstabResets"));
	EXPECT_EQ(1, CTR(SIDE_A, "OutRsts"));
	EXPECT_EQ(0, CTR(SIDE_A, "CurrEstab"));
	EXPECT_EQ(0, CTR(SIDE_B, "CurrEstab"));
	if (T->kind == FAM_XTCP) {
		EXPECT_EQ(1, CTR(SIDE_B, "InRsts"));
		EXPECT_EQ(1, CTR(SIDE_A, "InRsts"));	/* the refusal */
	}
	close(sfd);
}

TEST_HARNESS_MAIN
