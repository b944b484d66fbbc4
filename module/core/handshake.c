// SPDX-License-Identifier: GPL-2.0
/*
 * Opening and closing decisions: active and passive open, the options a
 * SYN carries, the application's close, and the window arithmetic the
 * glue asks for on every segment it sends.
 */
#include "tcb.h"
#include "seq.h"

u16 xtcp_effective_mss(u16 ours, u16 peer)
{
	u16 mss = peer ? peer : XTCP_DEFAULT_MSS;

	if (ours && ours < mss)
		mss = ours;
	/* A peer asking for less than 64 bytes would have us flood tiny
	 * segments; Linux clamps the same way (tcp_min_snd_mss is 48).
	 */
	return mss < 64 ? 64 : mss;
}

void xtcp_tcb_connect(struct xtcp_tcb *tcb, const struct xtcp_syn_params *p)
{
	memset(tcb, 0, sizeof(*tcb));
	tcb->state = XTCP_SYN_SENT;
	tcb->iss = p->iss;
	tcb->snd_una = p->iss;
	tcb->snd_nxt = p->iss;	/* the glue reports the SYN as sent */
	tcb->recover = p->iss;
	tcb->snd_sml = p->iss;
	tcb->rcv_wscale = p->want_wscale ? p->rcv_wscale : 0;
	tcb->wscale_ok = p->want_wscale;
	tcb->sack_ok = p->want_sack;
	tcb->ts_ok = p->want_ts;
	tcb->mss = p->mss;
}

void xtcp_tcb_accept_syn(struct xtcp_tcb *tcb, const struct xtcp_syn_params *p,
			 const struct xtcp_seg *syn)
{
	memset(tcb, 0, sizeof(*tcb));
	tcb->state = XTCP_SYN_RECV;
	tcb->passive = true;
	tcb->iss = p->iss;
	tcb->snd_una = p->iss;
	tcb->snd_nxt = p->iss;
	tcb->recover = p->iss;
	tcb->snd_sml = p->iss;
	tcb->irs = syn->seq;
	tcb->rcv_nxt = syn->seq + 1;
	tcb->rcv_adv = tcb->rcv_nxt;

	/* Each option is on only if both sides asked for it (RFC 7323 2.2). */
	tcb->wscale_ok = p->want_wscale && syn->opts.ws_ok;
	tcb->snd_wscale = tcb->wscale_ok ? syn->opts.ws : 0;
	tcb->rcv_wscale = tcb->wscale_ok ? p->rcv_wscale : 0;
	tcb->sack_ok = p->want_sack && syn->opts.sack_ok;
	tcb->ts_ok = p->want_ts && syn->opts.ts_ok;
	if (tcb->ts_ok)
		tcb->ts_recent = syn->opts.tsval;
	tcb->peer_mss = syn->opts.mss_ok ? syn->opts.mss : XTCP_DEFAULT_MSS;
	tcb->mss = xtcp_effective_mss(p->mss, tcb->peer_mss);

	/* The window in a SYN is never scaled (RFC 7323 2.2). */
	tcb->snd_wnd = syn->wnd;
	tcb->max_snd_wnd = tcb->snd_wnd;
	tcb->snd_wl1 = syn->seq;
	tcb->snd_wl2 = p->iss;
}

void xtcp_tcb_syn_opts(const struct xtcp_tcb *tcb, const struct xtcp_syn_params *p,
		       struct xtcp_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->mss_ok = true;
	opts->mss = p->mss;
	/* A SYN,ACK may carry an option only if the SYN did (RFC 7323). */
	opts->ws_ok = tcb->wscale_ok;
	opts->ws = tcb->rcv_wscale;
	opts->sack_ok = tcb->sack_ok;
	opts->ts_ok = tcb->ts_ok;
	opts->tsecr = tcb->ts_recent;
}

bool xtcp_tcb_close(struct xtcp_tcb *tcb, u32 fin_seq)
{
	switch (tcb->state) {
	case XTCP_SYN_RECV:
	case XTCP_ESTABLISHED:
		tcb->state = XTCP_FIN_WAIT1;
		break;
	case XTCP_CLOSE_WAIT:
		tcb->state = XTCP_LAST_ACK;
		break;
	case XTCP_SYN_SENT:
	case XTCP_LISTEN:
		tcb->state = XTCP_CLOSE;
		return false;
	default:
		/* FIN already queued, or nothing to close. */
		return false;
	}
	tcb->fin_queued = true;
	tcb->fin_seq = fin_seq;
	return true;
}

u16 xtcp_tcb_rcv_window(struct xtcp_tcb *tcb, u32 space)
{
	u32 shift = tcb->rcv_wscale;
	u32 max = 0xffffU << shift;
	u32 wnd = space > max ? max : space;
	u32 edge;

	/* Round down to what the scaled field can express... */
	wnd &= ~((1U << shift) - 1);
	edge = tcb->rcv_nxt + wnd;
	/*
	 * ...but never take back what was offered (RFC 9293 3.8.6.2.2), and
	 * move right only by a step worth it (silly-window avoidance).  The
	 * held window is rounded up to the scale unit the field can say,
	 * and that is the edge offered (as Linux's tcp_select_window()).
	 */
	if (seq_lt(edge, tcb->rcv_adv) ||
	    (seq_gt(edge, tcb->rcv_adv) && edge - tcb->rcv_adv < tcb->rcv_sws &&
	     seq_geq(tcb->rcv_adv, tcb->rcv_nxt))) {
		wnd = tcb->rcv_adv - tcb->rcv_nxt;
		wnd = (wnd + (1U << shift) - 1) >> shift << shift;
		if (wnd > max)
			wnd = max;
		edge = tcb->rcv_nxt + wnd;
	}
	if (seq_gt(edge, tcb->rcv_adv))
		tcb->rcv_adv = edge;
	return (u16)(wnd >> shift);
}

u16 xtcp_tcb_syn_window(struct xtcp_tcb *tcb, u32 space)
{
	u32 wnd = space > 0xffffU ? 0xffffU : space;

	tcb->rcv_adv = tcb->rcv_nxt + wnd;
	return (u16)wnd;
}

u32 xtcp_tcb_snd_room(const struct xtcp_tcb *tcb)
{
	u32 edge = tcb->snd_una + tcb->snd_wnd;

	return seq_gt(edge, tcb->snd_nxt) ? edge - tcb->snd_nxt : 0;
}

void xtcp_rst_for(const struct xtcp_seg *seg, u32 *seq, u32 *ack, u8 *flags)
{
	/* RFC 9293 3.10.7.1: take the sequence number from the ACK field if
	 * there is one, otherwise send seq 0 and acknowledge the segment.
	 */
	if (seg->flags & XTCP_ACK) {
		*seq = seg->ack;
		*ack = 0;
		*flags = XTCP_RST;
	} else {
		*seq = 0;
		*ack = seg->seq + xtcp_seg_seqlen(seg);
		*flags = XTCP_RST | XTCP_ACK;
	}
}
