// SPDX-License-Identifier: GPL-2.0
/*
 * handshake.c: active and passive open (RFC 9293 3.5, 3.10.1), the options
 * a SYN carries (RFC 7323 2.2, RFC 2018, RFC 6691), CLOSE (RFC 9293
 * 3.10.4), the advertised window (RFC 9293 3.8.6.2.2, RFC 7323 2.3),
 * the usable send window and the RST for a segment nobody takes
 * (RFC 9293 3.10.7.1).  Segment arrival is tested in test_input.c.
 *
 * Sequence numbers sit near 2^32 so that every window crosses the wrap.
 */
#include "harness.h"
#include "tcb.h"

#define ISS	0xfffffff0u	/* our SYN; data from ISS + 1 */
#define IRS	0xffffff80u	/* the peer's SYN */

static struct xtcp_syn_params params(bool ws, bool sack, bool ts)
{
	struct xtcp_syn_params p = {
		.iss = ISS,
		.mss = 1460,
		.rcv_wscale = 9,
		.want_wscale = ws,
		.want_sack = sack,
		.want_ts = ts,
	};

	return p;
}

/* A peer's SYN with every option it may carry. */
static struct xtcp_seg peer_syn(void)
{
	struct xtcp_seg s;

	memset(&s, 0, sizeof(s));
	s.sport = 40000;
	s.dport = 80;
	s.seq = IRS;
	s.flags = XTCP_SYN;
	s.wnd = 29200;
	s.doff = 40;
	s.opts.mss_ok = true;
	s.opts.mss = 1400;
	s.opts.ws_ok = true;
	s.opts.ws = 7;
	s.opts.sack_ok = true;
	s.opts.ts_ok = true;
	s.opts.tsval = 0x11223344;
	return s;
}

/* A tcb full of garbage, so that tests see what the function sets. */
static void dirty(struct xtcp_tcb *t)
{
	memset(t, 0xa5, sizeof(*t));
}

/* xtcp_effective_mss: RFC 9293 3.7.1, RFC 6691. */

TEST(xtcp_effective_mss__peer_smaller)
{
	CHECK_EQ(xtcp_effective_mss(1460, 1200), 1200);
}

TEST(xtcp_effective_mss__ours_smaller)
{
	CHECK_EQ(xtcp_effective_mss(1000, 1460), 1000);
}

TEST(xtcp_effective_mss__equal)
{
	CHECK_EQ(xtcp_effective_mss(1460, 1460), 1460);
}

TEST(xtcp_effective_mss__no_peer_option_is_536)
{
	CHECK_EQ(xtcp_effective_mss(1460, 0), 536);
	CHECK_EQ(xtcp_effective_mss(500, 0), 500);
	CHECK_EQ(xtcp_effective_mss(0, 0), 536);
}

TEST(xtcp_effective_mss__ours_zero_takes_peer)
{
	CHECK_EQ(xtcp_effective_mss(0, 1400), 1400);
	CHECK_EQ(xtcp_effective_mss(0, 65535), 65535);
}

TEST(xtcp_effective_mss__clamped_to_64)
{
	CHECK_EQ(xtcp_effective_mss(1460, 1), 64);
	CHECK_EQ(xtcp_effective_mss(1460, 63), 64);
	CHECK_EQ(xtcp_effective_mss(1460, 64), 64);
	CHECK_EQ(xtcp_effective_mss(1460, 65), 65);
	CHECK_EQ(xtcp_effective_mss(10, 1460), 64);
	CHECK_EQ(xtcp_effective_mss(0, 20), 64);
}

TEST(xtcp_effective_mss__large)
{
	CHECK_EQ(xtcp_effective_mss(65535, 65535), 65535);
	CHECK_EQ(xtcp_effective_mss(9000, 65535), 9000);
}

/* xtcp_tcb_connect: CLOSE -> SYN_SENT. */

TEST(xtcp_tcb_connect__fields)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_tcb t;

	dirty(&t);
	xtcp_tcb_connect(&t, &p);
	CHECK_EQ(t.state, XTCP_SYN_SENT);
	CHECK(!t.passive);
	CHECK(!t.fin_queued);
	CHECK_EQ(t.iss, ISS);
	CHECK_EQ(t.snd_una, ISS);
	CHECK_EQ(t.snd_nxt, ISS);
	CHECK_EQ(t.snd_wnd, 0);
	CHECK_EQ(t.max_snd_wnd, 0);
	CHECK_EQ(t.rcv_nxt, 0);
	CHECK_EQ(t.rcv_adv, 0);
	CHECK_EQ(t.irs, 0);
	CHECK_EQ(t.mss, 1460);
	CHECK_EQ(t.peer_mss, 0);
	/* Offered, not yet negotiated: the SYN,ACK decides. */
	CHECK(t.wscale_ok);
	CHECK(t.sack_ok);
	CHECK(t.ts_ok);
	CHECK_EQ(t.rcv_wscale, 9);
	CHECK_EQ(t.snd_wscale, 0);
	CHECK_EQ(t.ts_recent, 0);
}

TEST(xtcp_tcb_connect__nothing_offered)
{
	struct xtcp_syn_params p = params(false, false, false);
	struct xtcp_tcb t;

	dirty(&t);
	xtcp_tcb_connect(&t, &p);
	CHECK_EQ(t.state, XTCP_SYN_SENT);
	CHECK(!t.wscale_ok);
	CHECK(!t.sack_ok);
	CHECK(!t.ts_ok);
	/* No window scale offered: our windows are unscaled. */
	CHECK_EQ(t.rcv_wscale, 0);
	CHECK_EQ(t.snd_wscale, 0);
}

TEST(xtcp_tcb_sent__moves_snd_nxt_forward_only)
{
	struct xtcp_syn_params p = params(false, false, false);
	struct xtcp_tcb t;

	xtcp_tcb_connect(&t, &p);
	xtcp_tcb_sent(&t, ISS + 1);
	CHECK_EQ(t.snd_nxt, ISS + 1);
	xtcp_tcb_sent(&t, ISS + 0x20);		/* across 2^32 */
	CHECK_EQ(t.snd_nxt, 0x10);
	xtcp_tcb_sent(&t, ISS + 1);		/* a retransmission */
	CHECK_EQ(t.snd_nxt, 0x10);
	xtcp_tcb_sent(&t, 0x10);
	CHECK_EQ(t.snd_nxt, 0x10);
	CHECK_EQ(t.snd_una, ISS);
}

/* xtcp_tcb_accept_syn: LISTEN + SYN -> SYN_RECV. */

TEST(xtcp_tcb_accept_syn__fields)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	dirty(&t);
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(t.state, XTCP_SYN_RECV);
	CHECK(t.passive);
	CHECK(!t.fin_queued);
	CHECK_EQ(t.iss, ISS);
	CHECK_EQ(t.snd_una, ISS);
	CHECK_EQ(t.snd_nxt, ISS);
	CHECK_EQ(t.irs, IRS);
	CHECK_EQ(t.rcv_nxt, IRS + 1);
	CHECK_EQ(t.rcv_adv, IRS + 1);
	CHECK(t.wscale_ok);
	CHECK_EQ(t.snd_wscale, 7);
	CHECK_EQ(t.rcv_wscale, 9);
	CHECK(t.sack_ok);
	CHECK(t.ts_ok);
	CHECK_EQ(t.ts_recent, 0x11223344);
	CHECK_EQ(t.peer_mss, 1400);
	CHECK_EQ(t.mss, 1400);
	CHECK_EQ(t.snd_wnd, 29200);
	CHECK_EQ(t.max_snd_wnd, 29200);
	CHECK_EQ(t.snd_wl1, IRS);
	CHECK_EQ(t.snd_wl2, ISS);
	CHECK_EQ(t.fin_seq, 0);
}

TEST(xtcp_tcb_accept_syn__wscale_only_if_both)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	/* The peer did not offer it. */
	syn.opts.ws_ok = false;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK(!t.wscale_ok);
	CHECK_EQ(t.snd_wscale, 0);
	CHECK_EQ(t.rcv_wscale, 0);

	/* We did not want it. */
	p = params(false, true, true);
	syn = peer_syn();
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK(!t.wscale_ok);
	CHECK_EQ(t.snd_wscale, 0);
	CHECK_EQ(t.rcv_wscale, 0);
}

TEST(xtcp_tcb_accept_syn__wscale_zero_and_max)
{
	struct xtcp_syn_params p = params(true, false, false);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	syn.opts.ws = 0;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK(t.wscale_ok);
	CHECK_EQ(t.snd_wscale, 0);
	CHECK_EQ(t.rcv_wscale, 9);

	syn.opts.ws = 14;
	p.rcv_wscale = 14;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(t.snd_wscale, 14);
	CHECK_EQ(t.rcv_wscale, 14);
}

TEST(xtcp_tcb_accept_syn__sack_only_if_both)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	syn.opts.sack_ok = false;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK(!t.sack_ok);

	p = params(true, false, true);
	syn = peer_syn();
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK(!t.sack_ok);
	CHECK(t.wscale_ok);
	CHECK(t.ts_ok);
}

TEST(xtcp_tcb_accept_syn__ts_only_if_both)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	syn.opts.ts_ok = false;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK(!t.ts_ok);
	CHECK_EQ(t.ts_recent, 0);

	p = params(true, true, false);
	syn = peer_syn();
	dirty(&t);
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK(!t.ts_ok);
	CHECK_EQ(t.ts_recent, 0);
}

TEST(xtcp_tcb_accept_syn__no_mss_option_is_536)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	syn.opts.mss_ok = false;
	syn.opts.mss = 9000;	/* ignored without mss_ok */
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(t.peer_mss, 536);
	CHECK_EQ(t.mss, 536);
}

TEST(xtcp_tcb_accept_syn__mss_ours_smaller)
{
	struct xtcp_syn_params p = params(false, false, false);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	p.mss = 1200;
	syn.opts.mss = 8960;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(t.peer_mss, 8960);
	CHECK_EQ(t.mss, 1200);
}

TEST(xtcp_tcb_accept_syn__syn_window_unscaled)
{
	struct xtcp_syn_params p = params(true, false, false);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	syn.wnd = 65535;
	syn.opts.ws = 14;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(t.snd_wscale, 14);
	CHECK_EQ(t.snd_wnd, 65535);
	CHECK_EQ(t.max_snd_wnd, 65535);

	syn.wnd = 0;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(t.snd_wnd, 0);
	CHECK_EQ(t.max_snd_wnd, 0);
}

TEST(xtcp_tcb_accept_syn__seq_wrap)
{
	struct xtcp_syn_params p = params(false, false, false);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	syn.seq = 0xffffffffu;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(t.irs, 0xffffffffu);
	CHECK_EQ(t.rcv_nxt, 0);
	CHECK_EQ(t.rcv_adv, 0);
	CHECK_EQ(t.snd_wl1, 0xffffffffu);
}

/* xtcp_tcb_syn_opts: what our SYN or SYN,ACK carries. */

TEST(xtcp_tcb_syn_opts__active_offers_what_we_want)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_opts o;
	struct xtcp_tcb t;

	xtcp_tcb_connect(&t, &p);
	memset(&o, 0xa5, sizeof(o));
	xtcp_tcb_syn_opts(&t, &p, &o);
	CHECK(o.mss_ok);
	CHECK_EQ(o.mss, 1460);
	CHECK(o.ws_ok);
	CHECK_EQ(o.ws, 9);
	CHECK(o.sack_ok);
	CHECK(o.ts_ok);
	CHECK_EQ(o.tsval, 0);	/* the glue stamps it */
	CHECK_EQ(o.tsecr, 0);
	CHECK_EQ(o.nsack, 0);
}

TEST(xtcp_tcb_syn_opts__active_nothing_wanted)
{
	struct xtcp_syn_params p = params(false, false, false);
	struct xtcp_opts o;
	struct xtcp_tcb t;

	xtcp_tcb_connect(&t, &p);
	xtcp_tcb_syn_opts(&t, &p, &o);
	CHECK(o.mss_ok);
	CHECK_EQ(o.mss, 1460);
	CHECK(!o.ws_ok);
	CHECK(!o.sack_ok);
	CHECK(!o.ts_ok);
}

TEST(xtcp_tcb_syn_opts__passive_echoes_negotiated)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_opts o;
	struct xtcp_tcb t;

	xtcp_tcb_accept_syn(&t, &p, &syn);
	xtcp_tcb_syn_opts(&t, &p, &o);
	CHECK(o.mss_ok);
	CHECK_EQ(o.mss, 1460);	/* our MSS, not the effective one */
	CHECK(o.ws_ok);
	CHECK_EQ(o.ws, 9);
	CHECK(o.sack_ok);
	CHECK(o.ts_ok);
	CHECK_EQ(o.tsecr, 0x11223344);
}

TEST(xtcp_tcb_syn_opts__passive_only_what_the_syn_had)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_opts o;
	struct xtcp_tcb t;

	/* RFC 7323 2.2/3.2, RFC 2018: no option in a SYN,ACK the SYN lacked. */
	syn.opts.ws_ok = false;
	syn.opts.sack_ok = false;
	syn.opts.ts_ok = false;
	syn.opts.mss_ok = false;
	xtcp_tcb_accept_syn(&t, &p, &syn);
	xtcp_tcb_syn_opts(&t, &p, &o);
	CHECK(o.mss_ok);	/* MSS may always be sent */
	CHECK(!o.ws_ok);
	CHECK(!o.sack_ok);
	CHECK(!o.ts_ok);
}

/* xtcp_tcb_close: RFC 9293 3.10.4 CLOSE call, in every state. */

static bool close_in(unsigned int state, struct xtcp_tcb *t)
{
	memset(t, 0, sizeof(*t));
	t->state = state;
	t->snd_una = ISS + 1;
	t->snd_nxt = ISS + 0x30;
	t->fin_seq = 0x12345678;
	return xtcp_tcb_close(t, ISS + 0x40);
}

TEST(xtcp_tcb_close__established_to_fin_wait1)
{
	struct xtcp_tcb t;

	CHECK(close_in(XTCP_ESTABLISHED, &t));
	CHECK_EQ(t.state, XTCP_FIN_WAIT1);
	CHECK(t.fin_queued);
	CHECK_EQ(t.fin_seq, ISS + 0x40);
	CHECK_EQ(t.snd_nxt, ISS + 0x30);	/* the glue sends the FIN */
}

TEST(xtcp_tcb_close__syn_recv_to_fin_wait1)
{
	struct xtcp_tcb t;

	CHECK(close_in(XTCP_SYN_RECV, &t));
	CHECK_EQ(t.state, XTCP_FIN_WAIT1);
	CHECK(t.fin_queued);
	CHECK_EQ(t.fin_seq, ISS + 0x40);
}

TEST(xtcp_tcb_close__close_wait_to_last_ack)
{
	struct xtcp_tcb t;

	CHECK(close_in(XTCP_CLOSE_WAIT, &t));
	CHECK_EQ(t.state, XTCP_LAST_ACK);
	CHECK(t.fin_queued);
	CHECK_EQ(t.fin_seq, ISS + 0x40);
}

TEST(xtcp_tcb_close__syn_sent_to_close)
{
	struct xtcp_tcb t;

	CHECK(!close_in(XTCP_SYN_SENT, &t));
	CHECK_EQ(t.state, XTCP_CLOSE);
	CHECK(!t.fin_queued);
	CHECK_EQ(t.fin_seq, 0x12345678);
}

TEST(xtcp_tcb_close__listen_to_close)
{
	struct xtcp_tcb t;

	CHECK(!close_in(XTCP_LISTEN, &t));
	CHECK_EQ(t.state, XTCP_CLOSE);
	CHECK(!t.fin_queued);
}

TEST(xtcp_tcb_close__fin_already_sent_or_closed)
{
	static const unsigned int states[] = {
		XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, XTCP_CLOSING,
		XTCP_LAST_ACK, XTCP_TIME_WAIT, XTCP_CLOSE,
	};
	unsigned int i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct xtcp_tcb t;

		CHECK(!close_in(states[i], &t));
		CHECK_EQ(t.state, states[i]);
		CHECK(!t.fin_queued);
		CHECK_EQ(t.fin_seq, 0x12345678);
	}
}

TEST(xtcp_tcb_close__twice)
{
	struct xtcp_tcb t;

	CHECK(close_in(XTCP_ESTABLISHED, &t));
	CHECK(!xtcp_tcb_close(&t, ISS + 0x50));
	CHECK_EQ(t.state, XTCP_FIN_WAIT1);
	CHECK_EQ(t.fin_seq, ISS + 0x40);	/* the first FIN stays */
}

/* xtcp_tcb_rcv_window: RFC 9293 3.8.6.2.2, RFC 7323 2.3. */

static void rcv_tcb(struct xtcp_tcb *t, u8 shift, u32 rcv_nxt, u32 adv)
{
	memset(t, 0, sizeof(*t));
	t->state = XTCP_ESTABLISHED;
	t->rcv_wscale = shift;
	t->wscale_ok = shift != 0;
	t->rcv_nxt = rcv_nxt;
	t->rcv_adv = rcv_nxt + adv;
}

TEST(xtcp_tcb_rcv_window__unscaled)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1000), 1000);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1000);
	CHECK_EQ(xtcp_tcb_rcv_wnd(&t), 1000);
}

TEST(xtcp_tcb_rcv_window__zero_space)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0), 0);
	CHECK_EQ(t.rcv_adv, IRS + 1);
	rcv_tcb(&t, 7, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0), 0);
	CHECK_EQ(t.rcv_adv, IRS + 1);
}

TEST(xtcp_tcb_rcv_window__sws_small_steps_wait)
{
	struct xtcp_tcb t;

	/* A closed window stays closed until a full step is free. */
	rcv_tcb(&t, 0, IRS + 1, 0);
	t.rcv_sws = 1460;
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1000), 0);
	CHECK_EQ(t.rcv_adv, IRS + 1);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1460), 1460);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1460);
	/* 1000 bytes arrive and are read: the edge may move 1000 - too little. */
	t.rcv_nxt += 1000;
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1460), 460);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1460);
	/* A step of rcv_sws or more goes out. */
	t.rcv_nxt += 460;
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1460), 1460);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 2920);
}

TEST(xtcp_tcb_rcv_window__sws_off_when_zero)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 100);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 101), 101);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 101);
}

TEST(xtcp_tcb_rcv_window__unscaled_max_65535)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 65535), 65535);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 65536), 65535);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0xffffffffu), 65535);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 65535);
}

TEST(xtcp_tcb_rcv_window__scaled_max)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 7, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0xffffffffu), 65535);
	CHECK_EQ(t.rcv_adv, IRS + 1 + (65535u << 7));

	rcv_tcb(&t, 14, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0xffffffffu), 65535);
	CHECK_EQ(t.rcv_adv, IRS + 1 + (65535u << 14));
	CHECK_EQ(xtcp_tcb_rcv_wnd(&t), 0x3fffc000u);
}

TEST(xtcp_tcb_rcv_window__scaled_rounds_down)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 7, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1000), 7);		/* 896 */
	CHECK_EQ(t.rcv_adv, IRS + 1 + 896);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1024), 8);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1024);

	rcv_tcb(&t, 7, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 127), 0);		/* below one unit */
	CHECK_EQ(t.rcv_adv, IRS + 1);
}

TEST(xtcp_tcb_rcv_window__grows)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 1000);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 5000), 5000);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 5000);
}

TEST(xtcp_tcb_rcv_window__never_shrinks_right_edge)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 1000);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 500), 1000);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1000);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0), 1000);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1000);
}

TEST(xtcp_tcb_rcv_window__edge_kept_after_data)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 1000);
	t.rcv_nxt += 600;	/* 600 bytes arrived, none read */
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0), 400);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1000);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 300), 400);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 401), 401);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1001);
	t.rcv_nxt = t.rcv_adv;	/* window used up */
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0), 0);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1001);
}

TEST(xtcp_tcb_rcv_window__scaled_never_shrinks_rounds_up)
{
	struct xtcp_tcb t;
	u16 w;

	/* 1000 bytes offered; the field can only say multiples of 128. */
	rcv_tcb(&t, 7, IRS + 1, 1000);
	w = xtcp_tcb_rcv_window(&t, 0);
	CHECK_EQ(w, 8);				/* 1024 >= 1000 */
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1024);

	rcv_tcb(&t, 7, IRS + 1, 1000);
	w = xtcp_tcb_rcv_window(&t, 900);	/* 896 would shrink */
	CHECK_EQ(w, 8);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1024);

	rcv_tcb(&t, 7, IRS + 1, 1024);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0), 8);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1024);
}

TEST(xtcp_tcb_rcv_window__edge_beyond_field_capped)
{
	struct xtcp_tcb t;

	/* An edge further than the field can say: say the most, and keep
	 * remembering the edge already offered.
	 */
	rcv_tcb(&t, 0, IRS + 1, 70000);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 0), 65535);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 70000);
}

TEST(xtcp_tcb_rcv_window__wrap)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, 0xffffff00u, 0);
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 1000), 1000);
	CHECK_EQ(t.rcv_adv, 0x2e8);
	CHECK_EQ(xtcp_tcb_rcv_wnd(&t), 1000);
	/* The edge across 2^32 is still "ahead": not shrunk. */
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 10), 1000);
	CHECK_EQ(t.rcv_adv, 0x2e8);
	t.rcv_nxt = 0x100;
	CHECK_EQ(xtcp_tcb_rcv_window(&t, 10), 0x1e8);
	CHECK_EQ(t.rcv_adv, 0x2e8);
}

/* xtcp_tcb_syn_window: RFC 7323 2.2, the SYN's window is never scaled. */

TEST(xtcp_tcb_syn_window__small)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 1000), 1000);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1000);
}

TEST(xtcp_tcb_syn_window__capped_65535)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 0, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 65535), 65535);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 65536), 65535);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 0xffffffffu), 65535);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 65535);
}

TEST(xtcp_tcb_syn_window__ignores_wscale)
{
	struct xtcp_tcb t;

	rcv_tcb(&t, 7, IRS + 1, 0);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 1 << 20), 65535);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 65535);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 1000), 1000);	/* not rounded */
	CHECK_EQ(t.rcv_adv, IRS + 1 + 1000);
}

TEST(xtcp_tcb_syn_window__syn_sent)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_tcb t;

	/* Before the peer's SYN rcv_nxt is 0: rcv_adv holds the window. */
	xtcp_tcb_connect(&t, &p);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 64240), 64240);
	CHECK_EQ(t.rcv_adv, 64240);
}

TEST(xtcp_tcb_syn_window__syn_recv_wrap)
{
	struct xtcp_syn_params p = params(true, true, true);
	struct xtcp_seg syn = peer_syn();
	struct xtcp_tcb t;

	xtcp_tcb_accept_syn(&t, &p, &syn);
	CHECK_EQ(xtcp_tcb_syn_window(&t, 1 << 20), 65535);
	CHECK_EQ(t.rcv_adv, IRS + 1 + 65535);
	CHECK_EQ(xtcp_tcb_rcv_wnd(&t), 65535);
}

/* xtcp_tcb_snd_room. */

static void snd_tcb(struct xtcp_tcb *t, u32 una, u32 nxt, u32 wnd)
{
	memset(t, 0, sizeof(*t));
	t->state = XTCP_ESTABLISHED;
	t->snd_una = una;
	t->snd_nxt = nxt;
	t->snd_wnd = wnd;
}

TEST(xtcp_tcb_snd_room__open)
{
	struct xtcp_tcb t;

	snd_tcb(&t, 100, 150, 1000);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 950);
	snd_tcb(&t, 100, 100, 1000);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 1000);
}

TEST(xtcp_tcb_snd_room__used_up)
{
	struct xtcp_tcb t;

	snd_tcb(&t, 100, 1100, 1000);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 0);
}

TEST(xtcp_tcb_snd_room__window_shrank_below_sent)
{
	struct xtcp_tcb t;

	snd_tcb(&t, 100, 1100, 500);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 0);
}

TEST(xtcp_tcb_snd_room__zero_window)
{
	struct xtcp_tcb t;

	snd_tcb(&t, 100, 100, 0);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 0);
	snd_tcb(&t, 100, 101, 0);	/* a window probe in flight */
	CHECK_EQ(xtcp_tcb_snd_room(&t), 0);
}

TEST(xtcp_tcb_snd_room__wrap)
{
	struct xtcp_tcb t;

	snd_tcb(&t, 0xfffffff0u, 0x10, 0x100);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 0xe0);
	snd_tcb(&t, 0xfffffff0u, 0xfffffff8u, 0x100);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 0xf8);
}

TEST(xtcp_tcb_snd_room__large_scaled_window)
{
	struct xtcp_tcb t;

	snd_tcb(&t, 5, 5, 65535u << 14);
	CHECK_EQ(xtcp_tcb_snd_room(&t), 65535u << 14);
}

/* xtcp_rst_for: RFC 9293 3.10.7.1, the reply when no tcb takes a segment. */

static struct xtcp_seg seg(u8 flags, u32 seq, u32 ack, u32 len)
{
	struct xtcp_seg s;

	memset(&s, 0, sizeof(s));
	s.flags = flags;
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.doff = 20;
	return s;
}

TEST(xtcp_rst_for__ack_gives_seq)
{
	struct xtcp_seg s = seg(XTCP_ACK, 1000, 0xdeadbeef, 100);
	u32 rseq = 1, rack = 1;
	u8 rflags = 0xff;

	/* <SEQ=SEG.ACK><CTL=RST> */
	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rseq, 0xdeadbeef);
	CHECK_EQ(rack, 0);
	CHECK_EQ(rflags, XTCP_RST);
}

TEST(xtcp_rst_for__synack_gives_seq)
{
	struct xtcp_seg s = seg(XTCP_SYN | XTCP_ACK, 1000, 77, 0);
	u32 rseq, rack;
	u8 rflags;

	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rseq, 77);
	CHECK_EQ(rack, 0);
	CHECK_EQ(rflags, XTCP_RST);
}

TEST(xtcp_rst_for__no_ack_acks_segment)
{
	struct xtcp_seg s = seg(XTCP_PSH, 1000, 0xdeadbeef, 100);
	u32 rseq = 1, rack = 1;
	u8 rflags = 0;

	/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rseq, 0);
	CHECK_EQ(rack, 1100);
	CHECK_EQ(rflags, XTCP_RST | XTCP_ACK);
}

TEST(xtcp_rst_for__syn_counts_one)
{
	struct xtcp_seg s = seg(XTCP_SYN, 1000, 0, 0);
	u32 rseq, rack;
	u8 rflags;

	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rseq, 0);
	CHECK_EQ(rack, 1001);
	CHECK_EQ(rflags, XTCP_RST | XTCP_ACK);
}

TEST(xtcp_rst_for__syn_fin_data)
{
	struct xtcp_seg s = seg(XTCP_SYN | XTCP_FIN, 1000, 0, 10);
	u32 rseq, rack;
	u8 rflags;

	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rack, 1012);
	s = seg(XTCP_FIN, 1000, 0, 0);
	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rack, 1001);
	s = seg(0, 1000, 0, 0);
	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rack, 1000);
}

TEST(xtcp_rst_for__wrap)
{
	struct xtcp_seg s = seg(XTCP_SYN, 0xffffffffu, 0, 0);
	u32 rseq, rack;
	u8 rflags;

	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rack, 0);
	s = seg(XTCP_FIN, 0xfffffff0u, 0, 0x20);
	xtcp_rst_for(&s, &rseq, &rack, &rflags);
	CHECK_EQ(rack, 0x11);
}
