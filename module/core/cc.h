/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control: the per-connection window state, the operations an
 * algorithm provides, and the framework that moves cwnd, ssthresh and the
 * congestion state through slow start, congestion avoidance, fast
 * recovery (RFC 5681, 6582), retransmission timeouts, undo and idle
 * restarts.  Windows count segments, as Linux's do.  The registry of
 * algorithms by name belongs to the kernel glue; see
 * Documentation/congestion-control.rst.
 */
#ifndef _XTCP_CORE_CC_H
#define _XTCP_CORE_CC_H

#include "types.h"

#ifdef __KERNEL__
#include <linux/list.h>
#include <linux/math64.h>
struct module;
#endif

/* Linux's TCP_CA_* numbers, so tcp_info.tcpi_ca_state reads the same. */
enum xtcp_ca_state {
	XTCP_CA_OPEN = 0,	/* no loss suspected */
	XTCP_CA_DISORDER = 1,	/* duplicate ACKs or SACKs, no loss yet */
	XTCP_CA_CWR = 2,	/* window reduced for a local reason */
	XTCP_CA_RECOVERY = 3,	/* fast retransmit / fast recovery */
	XTCP_CA_LOSS = 4,	/* after a retransmission timeout */
};

/* Events for ops->cwnd_event, Linux's CA_EVENT_* numbers. */
enum xtcp_cc_event {
	XTCP_CC_EV_TX_START = 0,	/* sending again with nothing in flight */
	XTCP_CC_EV_CWND_RESTART = 1,	/* cwnd was cut after an idle period */
	XTCP_CC_EV_LOSS = 3,		/* a timeout computed a new ssthresh */
};

#define XTCP_CC_NAME_MAX	16	/* as TCP_CA_NAME_MAX, with the NUL */
#define XTCP_INIT_CWND		10	/* RFC 6928 */
#define XTCP_INFINITE_SSTHRESH	0x7fffffff
#define XTCP_CC_PRIV_U64	13

/* ops->flags */
#define XTCP_CC_RENO_RECOVERY	0x1	/* leave recovery on the first ACK of
					 * new data (RFC 5681) instead of at
					 * `recover` (RFC 6582)
					 */

struct xtcp_cc;

/**
 * struct xtcp_cc_ops - one congestion control algorithm
 * @name: its name for TCP_CONGESTION and the sysctls, NUL-terminated
 * @flags: XTCP_CC_* flags
 * @init: optional; set up cc->priv (cwnd and ssthresh are set already)
 * @release: optional; the connection goes away or changes algorithm
 * @ssthresh: required; the new slow-start threshold after a loss, from
 *	the state at the moment of the loss (cwnd, in_flight)
 * @cong_avoid: required; grow cwnd for @acked newly acknowledged
 *	segments; called only when the window may grow (see
 *	xtcp_cc_on_ack()); uses xtcp_cc_slow_start() and
 *	xtcp_cc_cong_avoid_ai()
 * @pkts_acked: optional; every ACK that acknowledges new data, with the
 *	segments it acknowledged and an RTT sample in microseconds (0: none)
 * @set_state: optional; called before cc->ca_state changes to @ca_state
 * @undo_cwnd: optional; the cwnd to restore after a spurious loss
 *	(default max(cwnd, prior_cwnd))
 * @cwnd_event: optional; an XTCP_CC_EV_* event
 * @owner: the module that registered the algorithm (THIS_MODULE)
 * @list: the registry's link
 */
struct xtcp_cc_ops {
	char name[XTCP_CC_NAME_MAX];
	u32 flags;
	void (*init)(struct xtcp_cc *cc);
	void (*release)(struct xtcp_cc *cc);
	u32 (*ssthresh)(struct xtcp_cc *cc);
	void (*cong_avoid)(struct xtcp_cc *cc, u32 acked);
	void (*pkts_acked)(struct xtcp_cc *cc, u32 acked, u32 rtt_us);
	void (*set_state)(struct xtcp_cc *cc, u8 ca_state);
	u32 (*undo_cwnd)(struct xtcp_cc *cc);
	void (*cwnd_event)(struct xtcp_cc *cc, u32 event);
#ifdef __KERNEL__
	struct module *owner;
	struct list_head list;
#endif
};

/**
 * struct xtcp_cc - one connection's congestion control state
 * @ops: its algorithm
 * @cwnd: congestion window, segments
 * @ssthresh: slow-start threshold, segments (XTCP_INFINITE_SSTHRESH: none)
 * @cwnd_cnt: segments acknowledged toward the next additive increase
 * @cwnd_clamp: cwnd never grows beyond this (the glue may lower it)
 * @ca_state: an enum xtcp_ca_state
 * @prior_cwnd: cwnd before the last reduction, for undo
 * @prior_ssthresh: ssthresh before the last reduction; 0: nothing to undo
 * @now_us: input, the glue's clock in microseconds
 * @mss: input, payload bytes per segment
 * @srtt_us: input, smoothed RTT (0: no sample yet)
 * @min_rtt_us: input, smallest RTT seen (0: no sample yet)
 * @snd_una: input, oldest unacknowledged sequence number
 * @snd_nxt: input, next sequence number to send
 * @in_flight: input, segments in flight (RFC 5681 FlightSize)
 * @priv: the algorithm's own state; XTCP_CC_PRIV_FITS(tag) checks that
 *	struct tag fits
 *
 * The glue refreshes the inputs before each xtcp_cc_*() call.
 */
struct xtcp_cc {
	const struct xtcp_cc_ops *ops;
	u32 cwnd;
	u32 ssthresh;
	u32 cwnd_cnt;
	u32 cwnd_clamp;
	u8 ca_state;
	u32 prior_cwnd;
	u32 prior_ssthresh;
	u64 now_us;
	u32 mss;
	u32 srtt_us;
	u32 min_rtt_us;
	u32 snd_una;
	u32 snd_nxt;
	u32 in_flight;
	u64 priv[XTCP_CC_PRIV_U64];
};

/*
 * Compile-time check that an algorithm's private state fits in priv: a
 * negative array size if not (static_assert needs <assert.h> in libc).
 */
#define XTCP_CC_PRIV_FITS(type)						\
	struct type##_fits_in_xtcp_cc_priv {				\
		char check[sizeof(struct type) <=			\
			   sizeof(((struct xtcp_cc *)0)->priv) ? 1 : -1];	\
	}

static inline void *xtcp_cc_priv(struct xtcp_cc *cc)
{
	return cc->priv;
}

/* u64 by u64 division that a 32-bit kernel can do too. */
static inline u64 xtcp_cc_div64(u64 a, u64 b)
{
#ifdef __KERNEL__
	return div64_u64(a, b);
#else
	return a / b;
#endif
}

static inline bool xtcp_cc_in_slow_start(const struct xtcp_cc *cc)
{
	return cc->cwnd < cc->ssthresh;
}

/* Framework: the glue calls these. */

/* Start a connection with @ops: cwnd 10, ssthresh infinite, state OPEN. */
void xtcp_cc_init(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops);

/* The connection is done with its algorithm. */
void xtcp_cc_release(struct xtcp_cc *cc);

/* Change algorithm mid-connection, keeping cwnd and ssthresh. */
void xtcp_cc_switch(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops);

/* Change ca_state, telling the algorithm first. */
void xtcp_cc_set_state(struct xtcp_cc *cc, u8 ca_state);

/*
 * An ACK acknowledged @acked new segments: ops->pkts_acked always; window
 * growth (ops->cong_avoid) only if @cwnd_limited (the sender used its
 * window, RFC 7661) and not in RECOVERY or CWR.
 */
void xtcp_cc_on_ack(struct xtcp_cc *cc, u32 acked, u32 rtt_us,
		    bool cwnd_limited);

/* Fast retransmit: ssthresh from the algorithm, cwnd = ssthresh, RECOVERY. */
void xtcp_cc_enter_recovery(struct xtcp_cc *cc);

/*
 * A duplicate ACK in RECOVERY: inflate cwnd by one (RFC 5681 3.2 steps 2
 * and 4), for a glue that compares cwnd with FlightSize.  A glue that
 * counts the pipe (RFC 6675) does not call it.
 */
void xtcp_cc_dupack(struct xtcp_cc *cc);

/*
 * An ACK of new data below `recover` in RECOVERY.  NewReno: deflate cwnd
 * by @acked, add one back (RFC 6582 3.2 step 3), never below ssthresh;
 * returns true (recovery goes on).  XTCP_CC_RENO_RECOVERY: leave recovery
 * as xtcp_cc_exit_recovery(); returns false.  Other states: false.
 */
bool xtcp_cc_partial_ack(struct xtcp_cc *cc, u32 acked);

/* Everything up to `recover` is acknowledged: cwnd = ssthresh, OPEN. */
void xtcp_cc_exit_recovery(struct xtcp_cc *cc);

/* Retransmission timeout: cwnd 1 (RFC 5681 3.1 loss window), LOSS. */
void xtcp_cc_on_rto(struct xtcp_cc *cc);

/* The last reduction was spurious: restore; false if nothing to undo. */
bool xtcp_cc_undo(struct xtcp_cc *cc);

/*
 * Sending again after @idle_us with nothing in flight: XTCP_CC_EV_TX_START,
 * and if the idle time exceeded @rto_us, halve cwnd per RTO elapsed, not
 * below min(cwnd, XTCP_INIT_CWND), remembering 3/4 of it in ssthresh.
 */
void xtcp_cc_after_idle(struct xtcp_cc *cc, u32 idle_us, u32 rto_us);

/* Helpers for algorithms. */

/*
 * Slow start with appropriate byte counting (RFC 3465): grow cwnd by up
 * to @acked segments, not past ssthresh; returns the acked segments left
 * over for congestion avoidance.
 */
u32 xtcp_cc_slow_start(struct xtcp_cc *cc, u32 acked);

/* Additive increase: cwnd + 1 for every @w segments acknowledged. */
void xtcp_cc_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked);

#ifdef __KERNEL__
/* The registry, exported by xtcp.ko (module/cong.c). */
int xtcp_register_cc(struct xtcp_cc_ops *ops);
void xtcp_unregister_cc(struct xtcp_cc_ops *ops);
#endif

/* The built-in algorithms (non-const: the registry links them). */
extern struct xtcp_cc_ops xtcp_cc_reno;
extern struct xtcp_cc_ops xtcp_cc_newreno;
extern struct xtcp_cc_ops xtcp_cc_cubic;

/* CUBIC's curve, for unit tests and diagnostics. */
u32 xtcp_cubic_cbrt(u64 x);			/* floor of the cube root */
u32 xtcp_cubic_k_ms(const struct xtcp_cc *cc);	/* K of this epoch */
u32 xtcp_cubic_w_max(const struct xtcp_cc *cc);	/* W_max, segments */
u32 xtcp_cubic_w_est(const struct xtcp_cc *cc);	/* W_est, segments */
/* W_cubic(t), t in us since this congestion avoidance stage began */
u32 xtcp_cubic_w_cubic(const struct xtcp_cc *cc, u64 t_us);

#endif /* _XTCP_CORE_CC_H */
