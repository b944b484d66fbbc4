/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xtcp - an independent TCP carried on its own IP protocol number.
 *
 * User-space view: the socket family, protocol number and the names
 * that programs and tests rely on.  The constants are the defaults only:
 * the module parameters "family" and "ipproto" may move them, so a program
 * should read /sys/module/xtcp/parameters/family at run time (see
 * xtcp_family() below).
 */
#ifndef _UAPI_LINUX_XTCP_H
#define _UAPI_LINUX_XTCP_H

/* Slot 25 (AF_WANPIPE) was reserved for a family that was never merged. */
#define AF_XTCP		25
#define PF_XTCP		AF_XTCP

/* RFC 3692 experimental protocol number. */
#define IPPROTO_XTCP	253

#define XTCP_FAMILY_PATH	"/sys/module/xtcp/parameters/family"
#define XTCP_IPPROTO_PATH	"/sys/module/xtcp/parameters/ipproto"

/*
 * Generic netlink family "xtcp": the part below, up to the end of the
 * multicast group names, is what tools/net/ynl/ynl-gen-c.py --mode uapi
 * generates from Documentation/netlink/specs/xtcp.yaml; regenerate it
 * rather than editing it by hand.
 */
#define XTCP_FAMILY_NAME	"xtcp"
#define XTCP_FAMILY_VERSION	1

/**
 * enum xtcp_conn_state - Connection states; the numbers are Linux's TCP_*
 *   values.
 */
enum xtcp_conn_state {
	XTCP_CONN_STATE_ESTABLISHED = 1,
	XTCP_CONN_STATE_SYN_SENT,
	XTCP_CONN_STATE_SYN_RECV,
	XTCP_CONN_STATE_FIN_WAIT1,
	XTCP_CONN_STATE_FIN_WAIT2,
	XTCP_CONN_STATE_TIME_WAIT,
	XTCP_CONN_STATE_CLOSE,
	XTCP_CONN_STATE_CLOSE_WAIT,
	XTCP_CONN_STATE_LAST_ACK,
	XTCP_CONN_STATE_LISTEN,
	XTCP_CONN_STATE_CLOSING,
};

/**
 * enum xtcp_conn_ca_state - Congestion-control states; the numbers are Linux's
 *   TCP_CA_* values.
 */
enum xtcp_conn_ca_state {
	XTCP_CONN_CA_STATE_OPEN,
	XTCP_CONN_CA_STATE_DISORDER,
	XTCP_CONN_CA_STATE_CWR,
	XTCP_CONN_CA_STATE_RECOVERY,
	XTCP_CONN_CA_STATE_LOSS,
};

/**
 * enum xtcp_pending_timer - The timer a connection has pending, the first of
 *   this list.
 * @XTCP_PENDING_TIMER_NONE: No timer pending.
 * @XTCP_PENDING_TIMER_RETRANSMIT: Retransmission of SYN, data or FIN.
 * @XTCP_PENDING_TIMER_PROBE: Zero-window probe.
 * @XTCP_PENDING_TIMER_KEEPALIVE: Keepalive probe.
 * @XTCP_PENDING_TIMER_WAIT: TIME_WAIT's 2MSL, or an orphan's FIN_WAIT2
 *   timeout.
 */
enum xtcp_pending_timer {
	XTCP_PENDING_TIMER_NONE,
	XTCP_PENDING_TIMER_RETRANSMIT,
	XTCP_PENDING_TIMER_PROBE,
	XTCP_PENDING_TIMER_KEEPALIVE,
	XTCP_PENDING_TIMER_WAIT,
};

enum {
	XTCP_A_STATES_ESTABLISHED = 1,
	XTCP_A_STATES_SYN_SENT,
	XTCP_A_STATES_SYN_RECV,
	XTCP_A_STATES_FIN_WAIT1,
	XTCP_A_STATES_FIN_WAIT2,
	XTCP_A_STATES_TIME_WAIT,
	XTCP_A_STATES_CLOSE,
	XTCP_A_STATES_CLOSE_WAIT,
	XTCP_A_STATES_LAST_ACK,
	XTCP_A_STATES_LISTEN,
	XTCP_A_STATES_CLOSING,

	__XTCP_A_STATES_MAX,
	XTCP_A_STATES_MAX = (__XTCP_A_STATES_MAX - 1)
};

enum {
	XTCP_A_CONN_PAD = 1,
	XTCP_A_CONN_SADDR,
	XTCP_A_CONN_DADDR,
	XTCP_A_CONN_SPORT,
	XTCP_A_CONN_DPORT,
	XTCP_A_CONN_STATE,
	XTCP_A_CONN_OLD_STATE,
	XTCP_A_CONN_CWND,
	XTCP_A_CONN_SSTHRESH,
	XTCP_A_CONN_CA_STATE,
	XTCP_A_CONN_SRTT,
	XTCP_A_CONN_RTTVAR,
	XTCP_A_CONN_RTO,
	XTCP_A_CONN_RETRANSMITS,
	XTCP_A_CONN_TOTAL_RETRANS,
	XTCP_A_CONN_BYTES_SENT,
	XTCP_A_CONN_BYTES_ACKED,
	XTCP_A_CONN_BYTES_RECEIVED,
	XTCP_A_CONN_SEGS_OUT,
	XTCP_A_CONN_SEGS_IN,
	XTCP_A_CONN_SND_WND,
	XTCP_A_CONN_RCV_WND,
	XTCP_A_CONN_MSS,
	XTCP_A_CONN_RECV_Q,
	XTCP_A_CONN_SEND_Q,
	XTCP_A_CONN_TIMER,
	XTCP_A_CONN_TIMER_EXPIRES,
	XTCP_A_CONN_INODE,
	XTCP_A_CONN_UID,
	XTCP_A_CONN_STATE_MASK,
	XTCP_A_CONN_PORT,

	__XTCP_A_CONN_MAX,
	XTCP_A_CONN_MAX = (__XTCP_A_CONN_MAX - 1)
};

enum {
	XTCP_A_STATS_PAD = 1,
	XTCP_A_STATS_ACTIVE_OPENS,
	XTCP_A_STATS_PASSIVE_OPENS,
	XTCP_A_STATS_ATTEMPT_FAILS,
	XTCP_A_STATS_ESTAB_RESETS,
	XTCP_A_STATS_IN_SEGS,
	XTCP_A_STATS_OUT_SEGS,
	XTCP_A_STATS_RETRANS_SEGS,
	XTCP_A_STATS_IN_ERRS,
	XTCP_A_STATS_IN_CSUM_ERRORS,
	XTCP_A_STATS_OUT_RSTS,
	XTCP_A_STATS_IN_RSTS,
	XTCP_A_STATS_DROPS_OUT_OF_WINDOW,
	XTCP_A_STATS_CHALLENGE_ACKS,
	XTCP_A_STATS_LISTEN_DROPS,
	XTCP_A_STATS_LISTEN_OVERFLOWS,
	XTCP_A_STATS_NO_SOCKET,
	XTCP_A_STATS_OUT_OF_ORDER,
	XTCP_A_STATS_RTO_TIMEOUTS,
	XTCP_A_STATS_BACKLOG_DROPS,
	XTCP_A_STATS_RCV_QUEUE_DROPS,
	XTCP_A_STATS_KEEP_ALIVE_PROBES,
	XTCP_A_STATS_FAST_RETRANSMITS,
	XTCP_A_STATS_SACK_RECOVERIES,
	XTCP_A_STATS_ZERO_WINDOW_PROBES,
	XTCP_A_STATS_DELAYED_ACKS,
	XTCP_A_STATS_OFO_QUEUED,
	XTCP_A_STATS_PMTU_REDUCTIONS,
	XTCP_A_STATS_OUT_OF_WINDOW_ICMPS,
	XTCP_A_STATS_RCV_COLLAPSED,
	XTCP_A_STATS_OFO_PRUNED,
	XTCP_A_STATS_SACK_RENEGING,
	XTCP_A_STATS_CURR_ESTAB,
	XTCP_A_STATS_FULL_UNDO,
	XTCP_A_STATS_LOSS_UNDO,
	XTCP_A_STATS_SYNCOOKIES_SENT,
	XTCP_A_STATS_SYNCOOKIES_RECV,
	XTCP_A_STATS_SYNCOOKIES_FAILED,
	XTCP_A_STATS_PAWS_ESTAB,
	XTCP_A_STATS_CHALLENGE_ACK_LIMITED,
	XTCP_A_STATS_MEMORY_PRESSURES,
	XTCP_A_STATS_MEMORY_PRESSURES_CHRONO,
	XTCP_A_STATS_TIME_WAIT_OVERFLOW,
	XTCP_A_STATS_ACK_SKIPPED_SEQ,
	XTCP_A_STATS_ACK_SKIPPED_PAWS,
	XTCP_A_STATS_ACK_SKIPPED_SYN_RECV,
	XTCP_A_STATS_ACK_SKIPPED_TIME_WAIT,
	XTCP_A_STATS_ACK_SKIPPED_CHALLENGE,

	__XTCP_A_STATS_MAX,
	XTCP_A_STATS_MAX = (__XTCP_A_STATS_MAX - 1)
};

enum {
	XTCP_CMD_GET_STATES = 1,
	XTCP_CMD_GET_CONN,
	XTCP_CMD_GET_STATS,
	XTCP_CMD_STATE_CHANGE,

	__XTCP_CMD_MAX,
	XTCP_CMD_MAX = (__XTCP_CMD_MAX - 1)
};

#define XTCP_MCGRP_EVENTS	"events"

#ifndef __KERNEL__
#include <stdio.h>

/*
 * xtcp_family - the socket family the loaded module registered.
 *
 * Returns the number from sysfs, AF_XTCP when the module is not loaded
 * yet (the first socket() call loads it under its default number), or -1
 * when the file exists but cannot be parsed.
 */
static inline int xtcp_family(void)
{
	FILE *f = fopen(XTCP_FAMILY_PATH, "r");
	int family = AF_XTCP;

	if (!f)
		return AF_XTCP;
	if (fscanf(f, "%d", &family) != 1)
		family = -1;
	fclose(f);
	return family;
}
#endif /* !__KERNEL__ */

#endif /* _UAPI_LINUX_XTCP_H */
