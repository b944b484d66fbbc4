/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transmission control block: RFC 9293's connection variables and the
 * decisions taken on them.  The core sees sequence ranges, never bytes: the
 * glue owns the bytes and carries out the actions the core returns.
 */
#ifndef _XTCP_CORE_TCB_H
#define _XTCP_CORE_TCB_H

#include "types.h"
#include "header.h"
#include "state.h"

struct xtcp_tcb {
	u8 state;		/* enum xtcp_state */
	bool passive;		/* opened from LISTEN (SYN_RECV reset rule) */
	bool fin_queued;	/* our FIN has a sequence number (fin_seq) */
	bool wscale_ok;		/* both sides sent window scale */
	bool sack_ok;		/* both sides sent SACK-permitted */
	bool ts_ok;		/* both sides sent timestamps */
	u8 snd_wscale;		/* shift for windows the peer advertises */
	u8 rcv_wscale;		/* shift for windows we advertise */
	u16 mss;		/* largest payload we send in one segment */
	u16 peer_mss;		/* MSS option the peer sent (536 if none) */

	u32 iss;		/* initial send sequence number */
	u32 irs;		/* initial receive sequence number */
	u32 snd_una;		/* oldest unacknowledged sequence number */
	u32 snd_nxt;		/* one past the highest sequence number sent */
	u32 snd_sml;		/* end of the last partial segment sent */
	u32 snd_wnd;		/* peer's window, scaled, from snd_una... */
	u32 snd_wl1;		/* seq of the segment that last updated snd_wnd */
	u32 snd_wl2;		/* ack of the segment that last updated snd_wnd */
	u32 max_snd_wnd;	/* largest window the peer ever offered */
	u32 fin_seq;		/* sequence number of our FIN, if fin_queued */

	u32 rcv_nxt;		/* next sequence number expected */
	u32 rcv_adv;		/* right edge of the window last advertised */
	u32 rcv_sws;		/* least move of that edge (RFC 9293 3.8.6.2.2) */

	u32 ts_recent;		/* peer's last TSval to echo (RFC 7323) */
	bool ts_recent_stale;	/* idle 24 days: no PAWS until renewed */
	bool ack_delayed;	/* an ACK is owed: Last.ACK.sent is rcv_wup */
	u32 rcv_wup;		/* rcv_nxt our last ACK carried, if ack_delayed */

	/* Receiver: out-of-order data kept, to report (RFC 2018 4). */
	u8 nsack;		/* blocks in sack[], most recent first */
	struct xtcp_sack_block sack[XTCP_MAX_SACK_BLOCKS];

	/* Sender: loss recovery (RFC 5681 3.2, 6582, 6675). */
	u8 dupacks;		/* duplicate ACKs in a row */
	u8 reordering;		/* dupacks that mean loss; 0: RFC 5681's 3 */
	bool in_recovery;	/* fast recovery under way */
	u32 recover;		/* snd_nxt when recovery last began */
};

/* What xtcp_tcb_input() asks the glue to do, as bits of xtcp_rx.actions. */
enum {
	XTCP_RX_SEND_ACK	= 1 << 0,  /* send an ACK now */
	XTCP_RX_SEND_RST	= 1 << 1,  /* send rst_seq/rst_ack/rst_flags */
	XTCP_RX_SEND_SYNACK	= 1 << 2,  /* (re)send our SYN,ACK */
	XTCP_RX_DATA		= 1 << 3,  /* deliver data_off/data_len */
	XTCP_RX_FIN		= 1 << 4,  /* peer's FIN taken: end of stream */
	XTCP_RX_ACKED		= 1 << 5,  /* snd_una advanced by acked */
	XTCP_RX_CONNECTED	= 1 << 6,  /* handshake completed */
	XTCP_RX_RESET		= 1 << 7,  /* connection reset, report err */
	XTCP_RX_CLOSED		= 1 << 8,  /* connection over: go to CLOSE */
	XTCP_RX_TIME_WAIT	= 1 << 9,  /* (re)start the 2MSL timer */
	XTCP_RX_WND		= 1 << 10, /* send window changed */
	XTCP_RX_DROP		= 1 << 11, /* segment not acceptable */
	XTCP_RX_OUT_OF_ORDER	= 1 << 12, /* data beyond rcv_nxt, not kept */
	XTCP_RX_CHALLENGE	= 1 << 13, /* the ACK is an RFC 5961 challenge */
	XTCP_RX_TW_REUSE	= 1 << 14, /* new SYN hit TIME_WAIT: recycle */
	XTCP_RX_DUPACK		= 1 << 15, /* a duplicate ACK (RFC 5681 2) */
	XTCP_RX_PAWS		= 1 << 16, /* old TSval: PAWS drop (RFC 7323) */
};

struct xtcp_rx {
	u32 rcv_space;		/* in: bytes the glue can take now */
	u32 actions;		/* out: XTCP_RX_* */
	u32 data_off;		/* payload offset of the first new byte */
	u32 data_len;		/* bytes to deliver */
	u32 acked;		/* sequence space newly acknowledged */
	int err;		/* negative errno with XTCP_RX_RESET */
	u32 rst_seq, rst_ack;	/* the RST to send, with XTCP_RX_SEND_RST */
	u8 rst_flags;		/* XTCP_RST, maybe with XTCP_ACK */
};

/* Options and sizes the local side brings to a handshake. */
struct xtcp_syn_params {
	u32 iss;
	u16 mss;		/* our MSS, from the route MTU */
	u8 rcv_wscale;		/* the shift we ask for, 0..14 */
	bool want_wscale, want_sack, want_ts;
};

/* Active open: CLOSE -> SYN_SENT; the SYN takes sequence number iss. */
void xtcp_tcb_connect(struct xtcp_tcb *tcb, const struct xtcp_syn_params *p);

/*
 * Passive open: a listener got @syn; fill a new tcb in SYN_RECV.  The
 * glue then sends the SYN,ACK built from xtcp_tcb_syn_opts().
 */
void xtcp_tcb_accept_syn(struct xtcp_tcb *tcb, const struct xtcp_syn_params *p,
			 const struct xtcp_seg *syn);

/* The options our SYN or SYN,ACK carries. */
void xtcp_tcb_syn_opts(const struct xtcp_tcb *tcb, const struct xtcp_syn_params *p,
		       struct xtcp_opts *opts);

/*
 * xtcp_tcb_input - RFC 9293 3.10.7 "SEGMENT ARRIVES" for a tcb that is not
 * LISTEN or CLOSE.  @seg was parsed and its checksum verified.  Updates
 * the tcb and fills @rx with what the glue must do.
 */
void xtcp_tcb_input(struct xtcp_tcb *tcb, const struct xtcp_seg *seg,
		    struct xtcp_rx *rx);

/*
 * The application closes its sending side (close() or shutdown(SHUT_WR)).
 * @fin_seq is where the FIN goes: after every byte already queued.
 * Returns true when a FIN must be queued, and moves the state
 * (ESTABLISHED/SYN_RECV -> FIN_WAIT1, CLOSE_WAIT -> LAST_ACK); SYN_SENT
 * and LISTEN just become CLOSE and return false.
 */
bool xtcp_tcb_close(struct xtcp_tcb *tcb, u32 fin_seq);

/*
 * Last.ACK.sent for RFC 7323 4.3, from the glue's delayed ACK: when it
 * holds back the ACK input asked for, it calls xtcp_tcb_ack_delay() with
 * the rcv_nxt its last ACK carried; every segment it sends with an ACK
 * calls xtcp_tcb_ack_sent().  A glue that never delays calls neither:
 * then Last.ACK.sent is rcv_nxt.  Keeps the echoed TSval the one of the
 * earliest segment not yet acknowledged, so the peer's RTT includes the
 * delay.
 */
static inline void xtcp_tcb_ack_delay(struct xtcp_tcb *tcb, u32 last_ack)
{
	if (!tcb->ack_delayed) {
		tcb->ack_delayed = true;
		tcb->rcv_wup = last_ack;
	}
}

static inline void xtcp_tcb_ack_sent(struct xtcp_tcb *tcb)
{
	tcb->ack_delayed = false;
}

/*
 * RFC 7323 5.5: after 24 days without a segment, the peer's timestamp
 * clock may have wrapped past ts_recent, so PAWS would drop everything.
 * The glue calls this when nothing arrived for XTCP_PAWS_IDLE_S seconds;
 * the next acceptable timestamp renews ts_recent and PAWS.
 */
#define XTCP_PAWS_IDLE_S	(24U * 24 * 60 * 60)

static inline void xtcp_tcb_paws_idle(struct xtcp_tcb *tcb)
{
	tcb->ts_recent_stale = true;
}

/* The glue sent sequence space up to @end_seq. */
static inline void xtcp_tcb_sent(struct xtcp_tcb *tcb, u32 end_seq)
{
	if ((s32)(end_seq - tcb->snd_nxt) > 0)
		tcb->snd_nxt = end_seq;
}

/* The glue sent new data up to @end_seq in a segment shorter than the MSS. */
static inline void xtcp_tcb_sent_partial(struct xtcp_tcb *tcb, u32 end_seq)
{
	tcb->snd_sml = end_seq;
}

/*
 * xtcp_nagle_holds - must a partial segment of new data wait?  Nagle's
 * algorithm (RFC 9293 3.7.4) in Minshall's form, Linux's default: it
 * waits while an earlier partial segment is unacknowledged, not while any
 * data is, so a write of full segments and a tail sends the tail at once
 * instead of after the (often delayed) ACK.  TCP_NODELAY: never.
 */
static inline bool xtcp_nagle_holds(const struct xtcp_tcb *tcb, bool nodelay)
{
	return !nodelay && (s32)(tcb->snd_sml - tcb->snd_una) > 0 &&
	       (s32)(tcb->snd_sml - tcb->snd_nxt) <= 0;
}

/*
 * Window field for an outgoing segment, from @space free receive bytes.
 * Never moves the right edge left (RFC 9293 3.8.6.2.2), moves it right
 * only by rcv_sws or more (receiver silly-window avoidance, same section),
 * and remembers the edge it advertised.
 */
u16 xtcp_tcb_rcv_window(struct xtcp_tcb *tcb, u32 space);

/*
 * Window field for a SYN or SYN,ACK: never scaled (RFC 7323 2.2), so at
 * most 65535; sets the advertised edge.
 */
u16 xtcp_tcb_syn_window(struct xtcp_tcb *tcb, u32 space);

/* The receive window currently offered: rcv_adv - rcv_nxt. */
static inline u32 xtcp_tcb_rcv_wnd(const struct xtcp_tcb *tcb)
{
	s32 w = (s32)(tcb->rcv_adv - tcb->rcv_nxt);

	return w > 0 ? (u32)w : 0;
}

/*
 * Bytes of new data the peer's window allows beyond snd_nxt; 0 when the
 * window is closed or already used.
 */
u32 xtcp_tcb_snd_room(const struct xtcp_tcb *tcb);

/*
 * xtcp_oow_ack_limited - must the answer to an unacceptable segment be
 * skipped?  At most one ACK (or SYN,ACK) per @interval goes out per
 * connection, so two ends that disagree cannot ping-pong ACKs forever
 * (RFC 5961 10; Linux's tcp_oow_rate_limited()).  Segments that carry
 * data or a FIN and no SYN are never part of such a loop and always get
 * their answer, unless it is a @challenge ACK (RFC 5961), which is
 * limited whatever it answers.  @now and @interval: any clock unit
 * (wraps); @last: when the last answer went, 0 if none; it is updated.
 * @interval 0: no limit.
 */
bool xtcp_oow_ack_limited(const struct xtcp_seg *seg, bool challenge, u32 now,
			  u32 interval, u32 *last);

/* The RST that answers @seg when no connection takes it (RFC 9293 3.10.7.1). */
void xtcp_rst_for(const struct xtcp_seg *seg, u32 *seq, u32 *ack, u8 *flags);

/*
 * Receiver: the glue kept out-of-order bytes [@start, @end); remember the
 * range as the first SACK block, merged with blocks it touches.
 */
void xtcp_tcb_ooo_kept(struct xtcp_tcb *tcb, u32 start, u32 end);

/*
 * Receiver: kept out-of-order data became contiguous up to @end; move
 * rcv_nxt there and drop the SACK blocks it covers.
 */
void xtcp_tcb_rcv_advance(struct xtcp_tcb *tcb, u32 end);

/*
 * Receiver: the glue dropped the kept out-of-order data at and above
 * @from to make room (RFC 2018 8, reneging); the SACK blocks follow.
 */
void xtcp_tcb_ooo_dropped(struct xtcp_tcb *tcb, u32 from);

/* What the sender does about loss after an ACK (xtcp_tcb_recovery()). */
enum xtcp_recovery {
	XTCP_REC_NONE,		/* nothing */
	XTCP_REC_ENTER,		/* fast retransmit: resend the first hole */
	XTCP_REC_CONTINUE,	/* in recovery: resend the next hole */
	XTCP_REC_EXIT,		/* everything up to recover is acknowledged */
};

/*
 * xtcp_tcb_recovery - loss detection for the ACK just processed.
 * @rx: what xtcp_tcb_input() returned for it.
 * @sacked_above: full segments the peer SACKed above the first hole.
 *
 * Recovery begins on the third duplicate ACK, or when three segments
 * above a hole were SACKed (RFC 6675 IsLost) - "three" being
 * tcb->reordering once the glue saw deeper reordering - and never again
 * for data sent before the last recovery began (RFC 6582 3.2).
 */
enum xtcp_recovery xtcp_tcb_recovery(struct xtcp_tcb *tcb,
				     const struct xtcp_rx *rx, u32 sacked_above);

/* The retransmission timer expired: recovery is over, go back (RFC 6582). */
void xtcp_tcb_on_rto(struct xtcp_tcb *tcb);

/*
 * xtcp_rcv_mss - the peer's full-sized segment as the receiver learns it
 * (Linux's tcp_measure_rcv_mss(), simplified): a segment of @len bytes at
 * least as large as the estimate @est raises it, never above @advmss, the
 * payload our MSS option allows.  Start from min(@advmss, 536).
 */
u16 xtcp_rcv_mss(u16 est, u32 len, u16 advmss);

/*
 * RFC 5681 4.2 (RFC 1122 4.2.3.2): an ACK for at least every second
 * full-sized segment - @unacked bytes of in-order data wait for an ACK,
 * @rcv_mss is xtcp_rcv_mss()'s estimate.
 */
static inline bool xtcp_ack_now(u32 unacked, u16 rcv_mss)
{
	return unacked >= 2U * rcv_mss;
}

/* The effective MSS from ours and the peer's option, RFC 6691/9293 3.7.1. */
u16 xtcp_effective_mss(u16 ours, u16 peer);

#endif /* _XTCP_CORE_TCB_H */
