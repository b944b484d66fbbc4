// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for segment acceptability: RFC 9293 3.10.7.4's table
 * and RFC 7323's PAWS in front of it, checked against an oracle written
 * independently of input.c (offsets from rcv_nxt as unsigned numbers,
 * not signed sequence comparisons).  The input gives an ESTABLISHED tcb
 * (rcv_nxt anywhere, window 0 .. 2^30, timestamps or not) and one
 * segment whose ACK field is harmless, so that acceptability alone
 * decides whether it is dropped.
 */
#include "fuzz_bytes.h"
#include "tcb.h"

static const u8 flag_set[] = {
	XTCP_ACK, XTCP_ACK | XTCP_PSH, XTCP_ACK | XTCP_FIN, XTCP_FIN,
	XTCP_RST, XTCP_RST | XTCP_ACK, XTCP_SYN, XTCP_SYN | XTCP_ACK,
};

/* seq .. seq + seqlen - 1 meets [rcv_nxt, rcv_nxt + wnd)? */
static bool oracle_acceptable(u32 rcv_nxt, u32 wnd, u32 seq, u32 seqlen)
{
	u32 first = seq - rcv_nxt;
	u32 last = seq + seqlen - 1 - rcv_nxt;

	if (seqlen == 0)
		return wnd == 0 ? first == 0 : first < wnd;
	if (wnd == 0)
		return false;
	return first < wnd || last < wnd;
}

/* Pick the segment's offset from rcv_nxt: near each edge, or anywhere. */
static u32 pick_delta(struct fuzz_in *in, u32 wnd, u32 seqlen)
{
	u32 r = fz32(in);
	s32 small = (s32)(signed char)fz8(in);

	switch (fz8(in) % 6) {
	case 0:
		return (u32)small;
	case 1:
		return wnd + (u32)small;
	case 2:
		return 0 - seqlen + (u32)small;
	case 3:
		return wnd - seqlen + (u32)small;
	default:
		return r;
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct xtcp_tcb t, old;
	struct xtcp_seg s;
	struct xtcp_rx rx;
	u32 wnd, seqlen, tsd;
	bool ok, paws, zwp;
	u8 mode;

	memset(&t, 0, sizeof(t));
	t.state = XTCP_ESTABLISHED;
	t.iss = fz32(&in);
	t.snd_una = t.iss + 1;
	t.snd_nxt = t.snd_una + fz16(&in);
	t.snd_wnd = 65535;
	t.max_snd_wnd = 65535;
	t.snd_wl1 = 0;
	t.snd_wl2 = t.snd_una;
	t.rcv_nxt = fz32(&in);
	t.irs = t.rcv_nxt - 1;
	mode = fz8(&in);
	wnd = mode & 1 ? 0 : mode & 2 ? fz16(&in) : fz32(&in) & 0x3fffffff;
	t.rcv_adv = t.rcv_nxt + wnd;
	t.ts_ok = mode & 4;
	t.ts_recent = fz32(&in);
	t.mss = 1460;

	memset(&s, 0, sizeof(s));
	s.flags = flag_set[fz8(&in) % sizeof(flag_set)];
	s.len = mode & 8 ? 0 : fz16(&in);
	s.doff = 20;
	s.ack = t.snd_una;	/* acknowledges nothing new, never too old */
	s.wnd = 65535;
	seqlen = xtcp_seg_seqlen(&s);
	s.seq = t.rcv_nxt + pick_delta(&in, wnd, seqlen);
	s.opts.ts_ok = mode & 16;
	tsd = fz32(&in);
	s.opts.tsval = t.ts_recent + (mode & 32 ? (u32)(s32)(short)tsd : tsd);

	memcpy(&old, &t, sizeof(t));
	memset(&rx, 0x5a, sizeof(rx));
	rx.rcv_space = mode & 64 ? fz32(&in) : 0xffffffffu;
	xtcp_tcb_input(&t, &s, &rx);

	ok = oracle_acceptable(old.rcv_nxt, wnd, s.seq, seqlen);
	paws = t.ts_ok && s.opts.ts_ok && !(s.flags & XTCP_RST) &&
	       s.opts.tsval - old.ts_recent >= 0x80000000u;
	zwp = wnd == 0 && s.seq == old.rcv_nxt && s.len &&
	      (s.flags & (XTCP_SYN | XTCP_RST | XTCP_ACK)) == XTCP_ACK;

	if (paws) {
		FUZZ_ASSERT(rx.actions == (XTCP_RX_PAWS | XTCP_RX_SEND_ACK | XTCP_RX_DROP));
		FUZZ_ASSERT(!memcmp(&t, &old, sizeof(t)));
		return 0;
	}
	FUZZ_ASSERT(!(rx.actions & XTCP_RX_PAWS));
	if (zwp) {
		/* The zero-window probe: its ACK is taken, its data not. */
		FUZZ_ASSERT(rx.actions & XTCP_RX_SEND_ACK);
		FUZZ_ASSERT(!(rx.actions & (XTCP_RX_DATA | XTCP_RX_FIN)));
		FUZZ_ASSERT(t.rcv_nxt == old.rcv_nxt);
		return 0;
	}
	if (!ok) {
		FUZZ_ASSERT(rx.actions == ((s.flags & XTCP_RST) ? XTCP_RX_DROP :
					   XTCP_RX_SEND_ACK | XTCP_RX_DROP));
		FUZZ_ASSERT(!memcmp(&t, &old, sizeof(t)));
		return 0;
	}

	/* Acceptable: only RFC 5961's checks or a missing ACK drop it. */
	if (s.flags & XTCP_RST) {
		if (s.seq == old.rcv_nxt)
			FUZZ_ASSERT(rx.actions == XTCP_RX_RESET && t.state == XTCP_CLOSE);
		else
			FUZZ_ASSERT(rx.actions == (XTCP_RX_SEND_ACK | XTCP_RX_CHALLENGE |
						   XTCP_RX_DROP));
		return 0;
	}
	if (s.flags & XTCP_SYN) {
		FUZZ_ASSERT(rx.actions == (XTCP_RX_SEND_ACK | XTCP_RX_CHALLENGE |
					   XTCP_RX_DROP));
		return 0;
	}
	if (!(s.flags & XTCP_ACK)) {
		FUZZ_ASSERT(rx.actions == XTCP_RX_DROP);
		return 0;
	}
	FUZZ_ASSERT(!(rx.actions & XTCP_RX_DROP));
	/* What it delivers lies inside the window and the segment. */
	FUZZ_ASSERT(rx.data_len <= wnd && rx.data_len <= rx.rcv_space);
	FUZZ_ASSERT(rx.data_off + rx.data_len <= s.len);
	FUZZ_ASSERT(t.rcv_nxt - old.rcv_nxt <= wnd);
	if (rx.actions & XTCP_RX_DATA)
		FUZZ_ASSERT(s.seq + rx.data_off == old.rcv_nxt);
	if (t.ts_ok && s.opts.ts_ok && s.seq - old.rcv_nxt - 1 >= 0x7fffffffu)
		FUZZ_ASSERT(t.ts_recent == s.opts.tsval);
	else
		FUZZ_ASSERT(t.ts_recent == old.ts_recent);
	return 0;
}
