// SPDX-License-Identifier: GPL-2.0
/*
 * Names: the text output uses /proc's (netstat's state names, the
 * counters of /proc/net/xtcp_stat); JSON uses the YAML spec's, as the
 * kernel's tools/net/ynl/cli.py prints them.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "xtcp.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* The order of /proc/net/xtcp, which is not numeric. */
const uint8_t proc_state_order[XTCP_A_STATES_MAX] = {
	XTCP_CONN_STATE_ESTABLISHED, XTCP_CONN_STATE_SYN_SENT,
	XTCP_CONN_STATE_SYN_RECV, XTCP_CONN_STATE_FIN_WAIT1,
	XTCP_CONN_STATE_FIN_WAIT2, XTCP_CONN_STATE_TIME_WAIT,
	XTCP_CONN_STATE_CLOSE, XTCP_CONN_STATE_CLOSE_WAIT,
	XTCP_CONN_STATE_LAST_ACK, XTCP_CONN_STATE_LISTEN,
	XTCP_CONN_STATE_CLOSING,
};

static const char *const state_names[] = {
	[XTCP_CONN_STATE_ESTABLISHED] = "ESTABLISHED",
	[XTCP_CONN_STATE_SYN_SENT] = "SYN_SENT",
	[XTCP_CONN_STATE_SYN_RECV] = "SYN_RECV",
	[XTCP_CONN_STATE_FIN_WAIT1] = "FIN_WAIT1",
	[XTCP_CONN_STATE_FIN_WAIT2] = "FIN_WAIT2",
	[XTCP_CONN_STATE_TIME_WAIT] = "TIME_WAIT",
	[XTCP_CONN_STATE_CLOSE] = "CLOSE",
	[XTCP_CONN_STATE_CLOSE_WAIT] = "CLOSE_WAIT",
	[XTCP_CONN_STATE_LAST_ACK] = "LAST_ACK",
	[XTCP_CONN_STATE_LISTEN] = "LISTEN",
	[XTCP_CONN_STATE_CLOSING] = "CLOSING",
};

static const char *const state_spec_names[] = {
	[XTCP_CONN_STATE_ESTABLISHED] = "established",
	[XTCP_CONN_STATE_SYN_SENT] = "syn-sent",
	[XTCP_CONN_STATE_SYN_RECV] = "syn-recv",
	[XTCP_CONN_STATE_FIN_WAIT1] = "fin-wait1",
	[XTCP_CONN_STATE_FIN_WAIT2] = "fin-wait2",
	[XTCP_CONN_STATE_TIME_WAIT] = "time-wait",
	[XTCP_CONN_STATE_CLOSE] = "close",
	[XTCP_CONN_STATE_CLOSE_WAIT] = "close-wait",
	[XTCP_CONN_STATE_LAST_ACK] = "last-ack",
	[XTCP_CONN_STATE_LISTEN] = "listen",
	[XTCP_CONN_STATE_CLOSING] = "closing",
};

static const char *const timer_names[] = {
	[XTCP_PENDING_TIMER_NONE] = "none",
	[XTCP_PENDING_TIMER_RETRANSMIT] = "retransmit",
	[XTCP_PENDING_TIMER_PROBE] = "probe",
	[XTCP_PENDING_TIMER_KEEPALIVE] = "keepalive",
	[XTCP_PENDING_TIMER_WAIT] = "wait",
};

static const char *const ca_names[] = {
	[XTCP_CONN_CA_STATE_OPEN] = "open",
	[XTCP_CONN_CA_STATE_DISORDER] = "disorder",
	[XTCP_CONN_CA_STATE_CWR] = "cwr",
	[XTCP_CONN_CA_STATE_RECOVERY] = "recovery",
	[XTCP_CONN_CA_STATE_LOSS] = "loss",
};

const struct counter_name counter_names[] = {
	{ XTCP_A_STATS_ACTIVE_OPENS, "ActiveOpens", "active-opens" },
	{ XTCP_A_STATS_PASSIVE_OPENS, "PassiveOpens", "passive-opens" },
	{ XTCP_A_STATS_ATTEMPT_FAILS, "AttemptFails", "attempt-fails" },
	{ XTCP_A_STATS_ESTAB_RESETS, "EstabResets", "estab-resets" },
	{ XTCP_A_STATS_IN_SEGS, "InSegs", "in-segs" },
	{ XTCP_A_STATS_OUT_SEGS, "OutSegs", "out-segs" },
	{ XTCP_A_STATS_RETRANS_SEGS, "RetransSegs", "retrans-segs" },
	{ XTCP_A_STATS_IN_ERRS, "InErrs", "in-errs" },
	{ XTCP_A_STATS_IN_CSUM_ERRORS, "InCsumErrors", "in-csum-errors" },
	{ XTCP_A_STATS_OUT_RSTS, "OutRsts", "out-rsts" },
	{ XTCP_A_STATS_IN_RSTS, "InRsts", "in-rsts" },
	{ XTCP_A_STATS_DROPS_OUT_OF_WINDOW, "DropsOutOfWindow",
	  "drops-out-of-window" },
	{ XTCP_A_STATS_PAWS_ESTAB, "PAWSEstab", "paws-estab" },
	{ XTCP_A_STATS_CHALLENGE_ACKS, "ChallengeAcks", "challenge-acks" },
	{ XTCP_A_STATS_CHALLENGE_ACK_LIMITED, "ChallengeAckLimited", "challenge-ack-limited" },
	{ XTCP_A_STATS_LISTEN_DROPS, "ListenDrops", "listen-drops" },
	{ XTCP_A_STATS_LISTEN_OVERFLOWS, "ListenOverflows", "listen-overflows" },
	{ XTCP_A_STATS_NO_SOCKET, "NoSocket", "no-socket" },
	{ XTCP_A_STATS_OUT_OF_ORDER, "OutOfOrder", "out-of-order" },
	{ XTCP_A_STATS_RTO_TIMEOUTS, "RtoTimeouts", "rto-timeouts" },
	{ XTCP_A_STATS_BACKLOG_DROPS, "BacklogDrops", "backlog-drops" },
	{ XTCP_A_STATS_RCV_QUEUE_DROPS, "RcvQueueDrops", "rcv-queue-drops" },
	{ XTCP_A_STATS_KEEP_ALIVE_PROBES, "KeepAliveProbes",
	  "keep-alive-probes" },
	{ XTCP_A_STATS_FAST_RETRANSMITS, "FastRetransmits", "fast-retransmits" },
	{ XTCP_A_STATS_SACK_RECOVERIES, "SackRecoveries", "sack-recoveries" },
	{ XTCP_A_STATS_ZERO_WINDOW_PROBES, "ZeroWindowProbes",
	  "zero-window-probes" },
	{ XTCP_A_STATS_DELAYED_ACKS, "DelayedAcks", "delayed-acks" },
	{ XTCP_A_STATS_OFO_QUEUED, "OfoQueued", "ofo-queued" },
	{ XTCP_A_STATS_PMTU_REDUCTIONS, "PmtuReductions", "pmtu-reductions" },
	{ XTCP_A_STATS_OUT_OF_WINDOW_ICMPS, "OutOfWindowIcmps",
	  "out-of-window-icmps" },
	{ XTCP_A_STATS_RCV_COLLAPSED, "RcvCollapsed", "rcv-collapsed" },
	{ XTCP_A_STATS_OFO_PRUNED, "OfoPruned", "ofo-pruned" },
	{ XTCP_A_STATS_SACK_RENEGING, "SackReneging", "sack-reneging" },
	{ XTCP_A_STATS_FULL_UNDO, "FullUndo", "full-undo" },
	{ XTCP_A_STATS_LOSS_UNDO, "LossUndo", "loss-undo" },
	{ XTCP_A_STATS_SYNCOOKIES_SENT, "SyncookiesSent", "syncookies-sent" },
	{ XTCP_A_STATS_SYNCOOKIES_RECV, "SyncookiesRecv", "syncookies-recv" },
	{ XTCP_A_STATS_SYNCOOKIES_FAILED, "SyncookiesFailed", "syncookies-failed" },
	{ XTCP_A_STATS_MEMORY_PRESSURES, "MemoryPressures", "memory-pressures" },
	{ XTCP_A_STATS_MEMORY_PRESSURES_CHRONO, "MemoryPressuresChrono",
	  "memory-pressures-chrono" },
	{ XTCP_A_STATS_TIME_WAIT_OVERFLOW, "TimeWaitOverflow", "time-wait-overflow" },
	{ XTCP_A_STATS_ACK_SKIPPED_SEQ, "AckSkippedSeq", "ack-skipped-seq" },
	{ XTCP_A_STATS_ACK_SKIPPED_PAWS, "AckSkippedPaws", "ack-skipped-paws" },
	{ XTCP_A_STATS_ACK_SKIPPED_SYN_RECV, "AckSkippedSynRecv", "ack-skipped-syn-recv" },
	{ XTCP_A_STATS_ACK_SKIPPED_TIME_WAIT, "AckSkippedTimeWait", "ack-skipped-time-wait" },
	{ XTCP_A_STATS_ACK_SKIPPED_CHALLENGE, "AckSkippedChallenge", "ack-skipped-challenge" },
	{ XTCP_A_STATS_CURR_ESTAB, "CurrEstab", "curr-estab" },
};

const unsigned int counter_count = N(counter_names);

const char *state_name(unsigned int state)
{
	return state < N(state_names) && state_names[state] ?
	       state_names[state] : "UNKNOWN";
}

const char *state_spec_name(unsigned int state)
{
	return state < N(state_spec_names) && state_spec_names[state] ?
	       state_spec_names[state] : "unknown";
}

const char *timer_spec_name(unsigned int timer)
{
	return timer < N(timer_names) ? timer_names[timer] : "unknown";
}

const char *ca_state_spec_name(unsigned int ca)
{
	return ca < N(ca_names) ? ca_names[ca] : "unknown";
}

/* "ESTABLISHED", "established", "time-wait", "TIME_WAIT", "Time_Wait". */
int state_parse(const char *s)
{
	char buf[32];
	size_t i;

	for (i = 0; s[i] && i < sizeof(buf) - 1; i++)
		buf[i] = s[i] == '_' ? '-' : tolower((unsigned char)s[i]);
	buf[i] = '\0';
	for (i = 1; i < N(state_spec_names); i++) {
		if (!strcmp(buf, state_spec_names[i]))
			return i;
	}
	return -1;
}
