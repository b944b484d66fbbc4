// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_backoff: the retransmission timer's exponential backoff (RFC 6298
 * 5.5), read from packet timestamps, over Linux TCP and over xtcp.
 *
 * Every segment the client sends is dropped at the server's ingress (tc),
 * after a packet socket on the server's veth has seen it: taps for all
 * protocols run before ingress filters.  The client writes once; the capture records
 * the kernel receive time of each copy of that segment.  The first
 * retransmission comes one RTO after the original (200 ms plus a little
 * on a fast link: both stacks' minimum), and each further gap is twice
 * the one before.  Linux's tail loss probe is turned off for the inet
 * variant: it would add a probe that is not part of the backoff.
 *
 * A timeout that was not needed is undone (RFC 3522, Eifel): the server's
 * ACKs are delayed (netem) past the client's RTO, and the late ACK echoes
 * the original segment's TSval, older than the retransmission's.
 */
#include <arpa/inet.h>
#include <linux/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"

#define COPIES	6	/* the original and five retransmissions */

XTCP_FIXTURE(backoff);

/*
 * The next segment from A with payload: its sequence number and kernel
 * receive time.  0, or -1 at the deadline.
 */
static int capture_data(int fd, int proto, uint32_t *seq, double *when,
			double deadline)
{
	struct seg s;

	for (;;) {
		double left = deadline - now_s();

		if (left <= 0 ||
		    tap_next(fd, proto, inet_addr(IP_A), &s, (int)(left * 1000) + 1))
			return -1;
		if (s.paylen <= 0)
			continue;	/* an ACK */
		*seq = s.seq;
		*when = s.ts.tv_sec + s.ts.tv_nsec / 1e9;
		return s.ts.tv_sec ? 0 : -1;
	}
}

TEST_F(backoff, rto_doubles_from_packet_timestamps)
{
	char out[100], in[sizeof(out)];
	double when[COPIES], gap[COPIES - 1];
	int lfd, cfd, sfd, cap, i;
	uint32_t seq0 = 0, seq;

	if (variant->kind == FAM_INET)
		ASSERT_EQ(0, ns_write_file(T->ns[SIDE_A],
					   "/proc/sys/net/ipv4/tcp_early_retrans", "0"));
	lfd = listen_on(T, 7400, 1);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, 7400, &cfd, &sfd));
	cap = tap_open(T, SIDE_B);
	ASSERT_LE(0, cap) TH_LOG("packet socket: %s", strerror(errno));
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 1, 0, 0));

	memset(out, 'x', sizeof(out));
	ASSERT_EQ((ssize_t)sizeof(out), write(cfd, out, sizeof(out)));
	for (i = 0; i < COPIES; i++) {
		ASSERT_EQ(0, capture_data(cap, T->ipproto, &seq, &when[i],
					  now_s() + 20))
			TH_LOG("copy %d of the segment not seen", i + 1);
		if (i == 0)
			seq0 = seq;
		ASSERT_EQ(seq0, seq) TH_LOG("copy %d has another sequence number", i + 1);
	}
	for (i = 0; i < COPIES - 1; i++) {
		gap[i] = when[i + 1] - when[i];
		TH_LOG("%s: retransmission %d after %.3f s", fam_name(variant->kind),
		       i + 1, gap[i]);
	}
	/* One RTO: at least the 200 ms minimum, little more on this link. */
	ASSERT_GE(gap[0], 0.195);
	ASSERT_LE(gap[0], 0.6);
	for (i = 1; i < COPIES - 1; i++) {
		ASSERT_GE(gap[i] / gap[i - 1], 1.8) TH_LOG("gap %d", i + 1);
		ASSERT_LE(gap[i] / gap[i - 1], 2.2) TH_LOG("gap %d", i + 1);
	}

	/* The link heals: the next retransmission delivers the bytes. */
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 1));
	ASSERT_EQ((ssize_t)sizeof(in), read_exact(sfd, in, sizeof(in), 30000));
	ASSERT_EQ(0, memcmp(out, in, sizeof(in)));
	close(cap);
	close(cfd);
	close(sfd);
	close(lfd);
}

/*
 * ACKs from B take ACK_DELAY_MS, far more than the client's first RTO
 * (200 ms and a little) and less than its second (600 ms after the send
 * plus the delay of the first): the segment is sent again once or twice,
 * and then the original's ACK arrives.  Both stacks must count one undo
 * of the timeout and be back in Open with the window they had.
 */
#define ACK_DELAY_MS 1000

TEST_F_TIMEOUT(backoff, spurious_timeout_undone, 60)
{
	const char *undo = variant->kind == FAM_XTCP ? "LossUndo" : "TCPLossUndo";
	long undo0 = 0, undo1 = 0;
	struct tcp_info before, ti;
	char out[100], in[sizeof(out)];
	int lfd, cfd, sfd;

	if (variant->kind == FAM_INET)
		ASSERT_EQ(0, ns_write_file(T->ns[SIDE_A],
					   "/proc/sys/net/ipv4/tcp_early_retrans", "0"));
	lfd = listen_on(T, 7401, 1);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_pair(T, lfd, 7401, &cfd, &sfd));
	ASSERT_EQ(0, get_info(cfd, &before));
	ASSERT_NE(0, before.tcpi_options & TCPI_OPT_TIMESTAMPS);
	ASSERT_EQ(0, read_counter(T, SIDE_A, undo, &undo0));
	ASSERT_EQ(0, ns_sh(T->ns[SIDE_B], "/sbin/tc qdisc add dev xb root netem delay %dms",
			   ACK_DELAY_MS));

	memset(out, 'u', sizeof(out));
	ASSERT_EQ((ssize_t)sizeof(out), write(cfd, out, sizeof(out)));
	ASSERT_EQ((ssize_t)sizeof(in), read_exact(sfd, in, sizeof(in), 10000));
	ASSERT_EQ(0, memcmp(out, in, sizeof(in)));
	/* Until the (late) ACK of the bytes has arrived. */
	ASSERT_EQ(0, wait_acked(cfd, &ti, 20000));
	ASSERT_EQ(0U, ti.tcpi_unacked);
	ASSERT_LE(1U, ti.tcpi_total_retrans) TH_LOG("no timeout: the ACK came before the RTO");
	ASSERT_EQ(0, read_counter(T, SIDE_A, undo, &undo1));
	EXPECT_EQ(1, undo1 - undo0) TH_LOG("%s", undo);
	EXPECT_EQ(0, ti.tcpi_ca_state);
	EXPECT_EQ(before.tcpi_snd_cwnd, ti.tcpi_snd_cwnd);
	EXPECT_EQ(before.tcpi_snd_ssthresh, ti.tcpi_snd_ssthresh);
	TH_LOG("%s: %u retransmissions, cwnd %u -> %u, ssthresh %u -> %u",
	       fam_name(variant->kind), ti.tcpi_total_retrans, before.tcpi_snd_cwnd,
	       ti.tcpi_snd_cwnd, before.tcpi_snd_ssthresh, ti.tcpi_snd_ssthresh);
	close(cfd);
	close(sfd);
	close(lfd);
}

TEST_HARNESS_MAIN
