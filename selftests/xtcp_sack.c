// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_sack: SACK-based loss recovery resends only the holes (RFC 2018,
 * RFC 6675), and it is fast retransmit that repairs them, not the timer -
 * over Linux TCP and over xtcp.
 *
 * The client sends 20 full segments in one write.  Two of them (the 3rd
 * and the 7th) lose their first copy: a u32 filter on the server's
 * ingress matches each one's sequence number and drops every other copy
 * ("gact drop random determ ok 2").  A packet tap on the server's veth,
 * which runs before ingress filters, counts the copies of every segment:
 * each hole must go out exactly twice and every other segment once, and
 * the counters show retransmissions without a timeout.
 */
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"

#define NSEG	20
#define HOLE1	2	/* 0-based: the 3rd segment */
#define HOLE2	6	/* the 7th */

XTCP_FIXTURE(sack);

/* Drop every other copy of the segment at @seq (the first one). */
static int drop_first_copy(struct topo *t, int prio, uint32_t seq)
{
	return ns_sh(t->ns[SIDE_B], "/sbin/tc filter add dev xb ingress prio %d protocol ip"
		     " u32 match ip protocol %d 0xff match u8 0x45 0xff at 0"
		     " match u32 0x%08x 0xffffffff at 24"
		     " action gact drop random determ ok 2",
		     prio, t->ipproto, seq);
}

TEST_F(sack, only_the_holes_are_resent)
{
	static uint8_t out[NSEG * 2048], in[sizeof(out)];
	long rtx0 = 0, rtx1 = 0, rto0 = 0, rto1 = 0, fr0 = 0, fr1 = 0;
	int lfd, cfd, sfd, tap, mss, copies[NSEG] = { 0 }, i, one = 1;
	socklen_t sl = sizeof(mss);
	uint32_t isn = 0;
	bool have_isn = false;
	struct seg sg;
	size_t total;

	/* Single segments on the wire for both stacks (no GSO trains). */
	ASSERT_EQ(0, ns_sh(T->ns[SIDE_A], "/sbin/ip link set dev xa gso_max_segs 1"));
	if (variant->kind == FAM_INET)
		ASSERT_EQ(0, ns_write_file(T->ns[SIDE_A],
					   "/proc/sys/net/ipv4/tcp_early_retrans", "0"));
	tap = tap_open(T, SIDE_B);
	ASSERT_LE(0, tap) TH_LOG("packet socket: %s", strerror(errno));
	lfd = listen_on(T, 7600, 1);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, 7600, &cfd, &sfd));
	while (!have_isn && !tap_next(tap, T->ipproto, inet_addr(IP_A), &sg, 2000))
		if (sg.flags & F_SYN) {
			isn = sg.seq;
			have_isn = true;
		}
	ASSERT_TRUE(have_isn) TH_LOG("the client's SYN was not seen");
	ASSERT_EQ(0, getsockopt(cfd, IPPROTO_TCP, TCP_MAXSEG, &mss, &sl));
	ASSERT_LE(500, mss);
	ASSERT_EQ(0, setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	ASSERT_EQ(0, drop_first_copy(T, 5, isn + 1 + HOLE1 * mss));
	ASSERT_EQ(0, drop_first_copy(T, 6, isn + 1 + HOLE2 * mss));
	read_counter(T, SIDE_A, "RetransSegs", &rtx0);
	read_counter(T, SIDE_A, "RtoTimeouts", &rto0);
	read_counter(T, SIDE_A, "FastRetransmits", &fr0);

	total = (size_t)NSEG * mss;
	fill_pattern(out, total, 0, 11);
	ASSERT_EQ((ssize_t)total, write(cfd, out, total));
	ASSERT_EQ((ssize_t)total, read_exact(sfd, in, total, 20000));
	ASSERT_EQ(-1, check_pattern(in, total, 0, 11));

	/* Every data segment the client sent, counted by sequence number. */
	while (!tap_next(tap, T->ipproto, inet_addr(IP_A), &sg, 300)) {
		uint32_t off = sg.seq - (isn + 1);
		int len = sg.paylen;
		int idx = (int)(off / (uint32_t)mss);

		if (len <= 0)
			continue;
		ASSERT_EQ(0, (int)(off % (uint32_t)mss)) TH_LOG("a segment at offset %u", off);
		ASSERT_EQ(mss, len) TH_LOG("a %d-byte segment at offset %u", len, off);
		if (idx < 0 || idx >= NSEG) {
			ASSERT_TRUE(0) TH_LOG("a segment beyond the data: %d", idx);
			break;
		}
		copies[idx]++;
	}
	for (i = 0; i < NSEG; i++) {
		int want = (i == HOLE1 || i == HOLE2) ? 2 : 1, got = copies[i];

		EXPECT_EQ(want, got) TH_LOG("%s: segment %d went out %d times",
					    fam_name(variant->kind), i + 1, got);
	}

	read_counter(T, SIDE_A, "RetransSegs", &rtx1);
	EXPECT_EQ(2, rtx1 - rtx0);
	if (variant->kind == FAM_XTCP) {
		/* Fast retransmit repaired both; the timer never fired. */
		ASSERT_EQ(0, read_counter(T, SIDE_A, "RtoTimeouts", &rto1));
		ASSERT_EQ(0, read_counter(T, SIDE_A, "FastRetransmits", &fr1));
		EXPECT_EQ(0, rto1 - rto0);
		EXPECT_EQ(1, fr1 - fr0);
	}
	close(tap);
	close(cfd);
	close(sfd);
	close(lfd);
}

TEST_HARNESS_MAIN
