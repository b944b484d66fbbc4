// SPDX-License-Identifier: GPL-2.0
/*
 * Retransmission timer estimation, RFC 6298, in integer microseconds.
 *
 * The gains 1/8 and 1/4 are shifts.  Intermediate sums are done in u64 so
 * that a pathological sample (up to 2^32 - 1 us, about 71 minutes) cannot
 * wrap: 4 * RTTVAR alone may exceed u32, and the result is clamped to
 * [XTCP_RTO_MIN_US, XTCP_RTO_MAX_US] before it is narrowed back.
 */
#include "types.h"
#include "rto.h"

#define XTCP_RTO_G_US		1000U	/* clock granularity G, 1 ms */
#define XTCP_RTO_MAX_SHIFT	31	/* rto_us << 31 still fits in a u64 */

static u32 xtcp_rto_clamp(u64 rto)
{
	if (rto < XTCP_RTO_MIN_US)
		return XTCP_RTO_MIN_US;
	if (rto > XTCP_RTO_MAX_US)
		return XTCP_RTO_MAX_US;
	return (u32)rto;
}

/* RFC 6298 2.1: before any sample, RTO is the initial value. */
void xtcp_rto_init(struct xtcp_rto *r)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	r->rto_us = XTCP_RTO_INIT_US;
	r->backoff = 0;
}

void xtcp_rto_sample(struct xtcp_rto *r, u32 rtt_us)
{
	u64 var4;

	/*
	 * srtt_us == 0 means "no sample yet", so a sub-microsecond RTT (a
	 * loopback peer) counts as 1 us; Linux does the same.
	 */
	if (!rtt_us)
		rtt_us = 1;

	if (!r->srtt_us) {
		/* RFC 6298 2.2: the first measurement. */
		r->srtt_us = rtt_us;
		r->rttvar_us = rtt_us >> 1;
	} else {
		/*
		 * RFC 6298 2.3, RTTVAR first since it uses the old SRTT:
		 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|
		 * SRTT   = 7/8 SRTT   + 1/8 R'
		 * Both stay within the range of their u32 inputs, and SRTT stays
		 * >= 1 because both of its terms are.
		 */
		u32 delta = r->srtt_us > rtt_us ? r->srtt_us - rtt_us :
						  rtt_us - r->srtt_us;

		r->rttvar_us = (u32)(((u64)r->rttvar_us * 3 + delta) >> 2);
		r->srtt_us = (u32)(((u64)r->srtt_us * 7 + rtt_us) >> 3);
	}

	/* RTO = SRTT + max(G, K * RTTVAR), K = 4; RFC 6298 2.4/2.5 bounds. */
	var4 = (u64)r->rttvar_us << 2;
	if (var4 < XTCP_RTO_G_US)
		var4 = XTCP_RTO_G_US;
	r->rto_us = xtcp_rto_clamp((u64)r->srtt_us + var4);
}

u32 xtcp_rto_timeout(const struct xtcp_rto *r)
{
	unsigned int shift = min_t(unsigned int, r->backoff,
				   XTCP_RTO_MAX_SHIFT);

	return xtcp_rto_clamp((u64)r->rto_us << shift);
}

/*
 * RFC 6298 5.5.  backoff keeps counting expirations (the glue may use it
 * as a retry count), saturating instead of wrapping back to zero, which
 * would silently shrink the timeout; the shift itself is capped in
 * xtcp_rto_timeout().
 */
void xtcp_rto_backoff(struct xtcp_rto *r)
{
	if (r->backoff < 0xff)
		r->backoff++;
}

void xtcp_rto_reset_backoff(struct xtcp_rto *r)
{
	r->backoff = 0;
}
