/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Retransmission timeout estimation, RFC 6298, in microseconds, with
 * Linux's bounds (200 ms .. 120 s) and initial value (1 s).
 */
#ifndef _XTCP_CORE_RTO_H
#define _XTCP_CORE_RTO_H

#include "types.h"

#define XTCP_RTO_MIN_US		200000U
#define XTCP_RTO_MAX_US		120000000U
#define XTCP_RTO_INIT_US	1000000U

struct xtcp_rto {
	u32 srtt_us;	/* smoothed RTT, 0 until the first sample */
	u32 rttvar_us;	/* RTT variation */
	u32 rto_us;	/* current timeout without backoff */
	u8 backoff;	/* times the timer expired since the last new ACK */
};

void xtcp_rto_init(struct xtcp_rto *r);

/* Feed one RTT measurement (Karn: never from a retransmitted segment). */
void xtcp_rto_sample(struct xtcp_rto *r, u32 rtt_us);

/* The timeout to arm now: rto_us << backoff, capped at XTCP_RTO_MAX_US. */
u32 xtcp_rto_timeout(const struct xtcp_rto *r);

/* The timer expired: double the timeout (RFC 6298 5.5). */
void xtcp_rto_backoff(struct xtcp_rto *r);

/* New data was acknowledged: forget the backoff (RFC 6298 5.7 aside). */
void xtcp_rto_reset_backoff(struct xtcp_rto *r);

#endif /* _XTCP_CORE_RTO_H */
