/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eleven RFC 9293 connection states.  The numbers are Linux's TCP_*
 * values on purpose: the glue stores them in sk->sk_state, so the kernel's
 * generic stream helpers (which test TCPF_* masks) work on xtcp sockets.
 * The glue checks the equality at build time.
 */
#ifndef _XTCP_CORE_STATE_H
#define _XTCP_CORE_STATE_H

#include "types.h"

enum xtcp_state {
	XTCP_ESTABLISHED = 1,
	XTCP_SYN_SENT,
	XTCP_SYN_RECV,
	XTCP_FIN_WAIT1,
	XTCP_FIN_WAIT2,
	XTCP_TIME_WAIT,
	XTCP_CLOSE,
	XTCP_CLOSE_WAIT,
	XTCP_LAST_ACK,
	XTCP_LISTEN,
	XTCP_CLOSING,
	XTCP_NSTATES	/* one past the last state */
};

#define XTCPF(s)	(1U << (s))

/* The name netstat prints for a state, or "UNKNOWN". */
const char *xtcp_state_name(unsigned int state);

/* States in which both SYNs have been seen (RFC 9293 "synchronized"). */
static inline bool xtcp_state_synchronized(unsigned int state)
{
	return XTCPF(state) & (XTCPF(XTCP_ESTABLISHED) | XTCPF(XTCP_FIN_WAIT1) |
			       XTCPF(XTCP_FIN_WAIT2) | XTCPF(XTCP_CLOSE_WAIT) |
			       XTCPF(XTCP_CLOSING) | XTCPF(XTCP_LAST_ACK) |
			       XTCPF(XTCP_TIME_WAIT));
}

#endif /* _XTCP_CORE_STATE_H */
