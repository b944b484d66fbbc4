// SPDX-License-Identifier: GPL-2.0
/* header.c: RFC 9293 3.1 segment header. */
#include "harness.h"
#include "header.h"

/*
 * Written by hand from the RFC 9293 3.1 diagram: ports 4660 -> 80,
 * seq 0x01020304, ack 0xa0b0c0d0, data offset 5, PSH|ACK, window
 * 65535, checksum 0, urgent 0.
 */
static const unsigned char hdr20[20] = {
	0x12, 0x34, 0x00, 0x50,		/* source, destination port */
	0x01, 0x02, 0x03, 0x04,		/* sequence number */
	0xa0, 0xb0, 0xc0, 0xd0,		/* acknowledgment number */
	0x50, 0x18, 0xff, 0xff,		/* doff 5, PSH|ACK, window */
	0x00, 0x00, 0x00, 0x00,		/* checksum, urgent pointer */
};

/*
 * A SYN as Linux sends it: 40000 -> 443, seq 0xdeadbeef, data offset 10,
 * window 64240, MSS 1460, SACK-permitted + timestamps (4096, 0), NOP and
 * window scale 7.
 */
static const unsigned char syn40[40] = {
	0x9c, 0x40, 0x01, 0xbb,
	0xde, 0xad, 0xbe, 0xef,
	0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0,
	0x00, 0x00, 0x00, 0x00,
	0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
	0x04, 0x02, 0x08, 0x0a,		/* SACK-permitted, TS kind/len */
	0x00, 0x00, 0x10, 0x00,		/* TSval 4096 */
	0x00, 0x00, 0x00, 0x00,		/* TSecr 0 */
	0x01, 0x03, 0x03, 0x07,		/* NOP, window scale 7 */
};

TEST(xtcp_hdr_parse__plain_20_bytes)
{
	struct xtcp_seg seg;

	CHECK_EQ(xtcp_hdr_parse(hdr20, sizeof(hdr20), &seg), 0);
	CHECK_EQ(seg.sport, 4660);
	CHECK_EQ(seg.dport, 80);
	CHECK_EQ(seg.seq, 0x01020304);
	CHECK_EQ(seg.ack, 0xa0b0c0d0);
	CHECK_EQ(seg.flags, XTCP_PSH | XTCP_ACK);
	CHECK_EQ(seg.wnd, 65535);
	CHECK_EQ(seg.urg, 0);
	CHECK_EQ(seg.doff, 20);
	CHECK_EQ(seg.len, 0);
	CHECK(!seg.opts.mss_ok && !seg.opts.ts_ok);
	CHECK_EQ(xtcp_seg_seqlen(&seg), 0);
}

TEST(xtcp_hdr_parse__syn_40_bytes)
{
	struct xtcp_seg seg;

	CHECK_EQ(xtcp_hdr_parse(syn40, sizeof(syn40), &seg), 0);
	CHECK_EQ(seg.sport, 40000);
	CHECK_EQ(seg.dport, 443);
	CHECK_EQ(seg.seq, 0xdeadbeef);
	CHECK_EQ(seg.ack, 0);
	CHECK_EQ(seg.flags, XTCP_SYN);
	CHECK_EQ(seg.wnd, 64240);
	CHECK_EQ(seg.doff, 40);
	CHECK_EQ(seg.len, 0);
	CHECK(seg.opts.mss_ok);
	CHECK_EQ(seg.opts.mss, 1460);
	CHECK(seg.opts.sack_ok);
	CHECK(seg.opts.ts_ok);
	CHECK_EQ(seg.opts.tsval, 4096);
	CHECK_EQ(seg.opts.tsecr, 0);
	CHECK(seg.opts.ws_ok);
	CHECK_EQ(seg.opts.ws, 7);
	CHECK_EQ(xtcp_seg_seqlen(&seg), 1);
}

TEST(xtcp_hdr_parse__payload_length)
{
	unsigned char pkt[20 + 100];
	struct xtcp_seg seg;

	memcpy(pkt, hdr20, 20);
	memset(pkt + 20, 0x5a, 100);
	pkt[13] |= XTCP_FIN;
	CHECK_EQ(xtcp_hdr_parse(pkt, sizeof(pkt), &seg), 0);
	CHECK_EQ(seg.doff, 20);
	CHECK_EQ(seg.len, 100);
	CHECK_EQ(xtcp_seg_seqlen(&seg), 101);
}

TEST(xtcp_hdr_parse__too_short)
{
	struct xtcp_seg seg;
	unsigned int len;

	for (len = 0; len < 20; len++)
		CHECK_EQ(xtcp_hdr_parse(hdr20, len, &seg), -EINVAL);
}

TEST(xtcp_hdr_parse__doff_below_5)
{
	unsigned char pkt[60] = { 0 };
	struct xtcp_seg seg;
	unsigned int doff;

	for (doff = 0; doff < 5; doff++) {
		pkt[12] = doff << 4;
		CHECK_EQ(xtcp_hdr_parse(pkt, sizeof(pkt), &seg), -EINVAL);
	}
}

TEST(xtcp_hdr_parse__doff_past_end)
{
	unsigned char pkt[60];
	struct xtcp_seg seg;

	memcpy(pkt, hdr20, 20);
	pkt[12] = 0x60;			/* 24 bytes claimed, 20 present */
	CHECK_EQ(xtcp_hdr_parse(pkt, 20, &seg), -EINVAL);
	CHECK_EQ(xtcp_hdr_parse(pkt, 23, &seg), -EINVAL);
	memset(pkt + 20, XTCP_OPT_NOP, 4);
	CHECK_EQ(xtcp_hdr_parse(pkt, 24, &seg), 0);
	CHECK_EQ(seg.len, 0);
	CHECK_EQ(xtcp_hdr_parse(syn40, 39, &seg), -EINVAL);
}

TEST(xtcp_hdr_parse__doff_15_max)
{
	unsigned char pkt[60];
	struct xtcp_seg seg;

	memcpy(pkt, hdr20, 20);
	memset(pkt + 20, XTCP_OPT_NOP, 40);
	pkt[12] = 0xf0;
	CHECK_EQ(xtcp_hdr_parse(pkt, 60, &seg), 0);
	CHECK_EQ(seg.doff, 60);
	CHECK_EQ(seg.len, 0);
}

TEST(xtcp_hdr_parse__reserved_bits_ignored)
{
	unsigned char pkt[20];
	struct xtcp_seg seg;

	memcpy(pkt, hdr20, 20);
	pkt[12] |= 0x0f;
	CHECK_EQ(xtcp_hdr_parse(pkt, 20, &seg), 0);
	CHECK_EQ(seg.doff, 20);
	CHECK_EQ(seg.flags, XTCP_PSH | XTCP_ACK);
}

TEST(xtcp_hdr_parse__all_flags)
{
	unsigned char pkt[20];
	struct xtcp_seg seg;

	memcpy(pkt, hdr20, 20);
	pkt[13] = 0xff;
	CHECK_EQ(xtcp_hdr_parse(pkt, 20, &seg), 0);
	CHECK_EQ(seg.flags, XTCP_FIN | XTCP_SYN | XTCP_RST | XTCP_PSH |
			    XTCP_ACK | XTCP_URG | XTCP_ECE | XTCP_CWR);
	CHECK_EQ(xtcp_seg_seqlen(&seg), 2);
}

TEST(xtcp_hdr_parse__malformed_options)
{
	unsigned char pkt[40];
	struct xtcp_seg seg;

	memcpy(pkt, syn40, 40);
	pkt[21] = 5;			/* MSS with length 5 */
	CHECK_EQ(xtcp_hdr_parse(pkt, 40, &seg), -EINVAL);
	memcpy(pkt, syn40, 40);
	pkt[39] = 0;
	pkt[37] = 30;			/* unknown kind, length 4 past doff */
	pkt[38] = 4;
	CHECK_EQ(xtcp_hdr_parse(pkt, 40, &seg), -EINVAL);
}

TEST(xtcp_hdr_parse__syn_options_need_syn_flag)
{
	unsigned char pkt[40];
	struct xtcp_seg seg;

	memcpy(pkt, syn40, 40);
	pkt[13] = XTCP_ACK;
	CHECK_EQ(xtcp_hdr_parse(pkt, 40, &seg), 0);
	CHECK(!seg.opts.mss_ok);
	CHECK(!seg.opts.ws_ok);
	CHECK(!seg.opts.sack_ok);
	CHECK(seg.opts.ts_ok);
	CHECK_EQ(seg.opts.tsval, 4096);
}

TEST(xtcp_hdr_build__plain_20_bytes_exact)
{
	struct xtcp_seg seg = {
		.sport = 4660, .dport = 80,
		.seq = 0x01020304, .ack = 0xa0b0c0d0,
		.flags = XTCP_PSH | XTCP_ACK, .wnd = 65535,
	};
	unsigned char buf[XTCP_HDR_MAX_LEN];

	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(xtcp_hdr_build(buf, &seg), 20);
	CHECK_MEM(buf, hdr20, 20);
	CHECK_EQ(buf[20], 0xee);
}

TEST(xtcp_hdr_build__syn_40_bytes_exact)
{
	struct xtcp_seg seg = {
		.sport = 40000, .dport = 443, .seq = 0xdeadbeef,
		.flags = XTCP_SYN, .wnd = 64240,
		.opts = {
			.mss_ok = true, .mss = 1460,
			.sack_ok = true,
			.ts_ok = true, .tsval = 4096,
			.ws_ok = true, .ws = 7,
		},
	};
	unsigned char buf[XTCP_HDR_MAX_LEN];

	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(xtcp_hdr_build(buf, &seg), 40);
	CHECK_MEM(buf, syn40, 40);
}

TEST(xtcp_hdr_build__checksum_zeroed)
{
	struct xtcp_seg seg = { .sport = 1, .dport = 2 };
	unsigned char buf[XTCP_HDR_MAX_LEN];

	memset(buf, 0xee, sizeof(buf));
	xtcp_hdr_build(buf, &seg);
	CHECK_EQ(buf[XTCP_CSUM_OFFSET], 0);
	CHECK_EQ(buf[XTCP_CSUM_OFFSET + 1], 0);
}

TEST(xtcp_hdr_build__round_trip)
{
	static const unsigned char *const vec[] = { hdr20, syn40 };
	static const unsigned int vlen[] = { 20, 40 };
	unsigned char buf[XTCP_HDR_MAX_LEN];
	struct xtcp_seg seg;
	unsigned int i;

	/* Parse the hand-written bytes, build them again, byte exact. */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(xtcp_hdr_parse(vec[i], vlen[i], &seg), 0);
		CHECK_EQ(xtcp_hdr_build(buf, &seg), vlen[i]);
		CHECK_MEM(buf, vec[i], vlen[i]);
	}
}

TEST(xtcp_hdr_build__max_options_60_bytes)
{
	struct xtcp_seg seg = {
		.sport = 65535, .dport = 1, .seq = 0xffffffff,
		.ack = 0x80000000, .flags = XTCP_ACK, .wnd = 1, .urg = 0xabcd,
		.opts = {
			.ts_ok = true, .tsval = 7, .tsecr = 8, .nsack = 3,
			.sack = { { 1, 2 }, { 3, 4 }, { 5, 6 } },
		},
	};
	unsigned char buf[XTCP_HDR_MAX_LEN];
	struct xtcp_seg out;

	CHECK_EQ(xtcp_hdr_build(buf, &seg), 60);
	CHECK_EQ(buf[12], 0xf0);
	CHECK_EQ(xtcp_hdr_parse(buf, 60, &out), 0);
	CHECK_EQ(out.sport, 65535);
	CHECK_EQ(out.dport, 1);
	CHECK_EQ(out.seq, 0xffffffff);
	CHECK_EQ(out.ack, 0x80000000);
	CHECK_EQ(out.urg, 0xabcd);
	CHECK_EQ(out.wnd, 1);
	CHECK_EQ(out.doff, 60);
	CHECK_EQ(out.opts.nsack, 3);
	CHECK_EQ(out.opts.sack[2].end, 6);
	CHECK_EQ(out.opts.tsecr, 8);
}
