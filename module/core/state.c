// SPDX-License-Identifier: GPL-2.0
/* State names, as netstat and /proc/net/xtcp print them. */
#include "state.h"

static const char *const xtcp_state_names[XTCP_NSTATES] = {
	[XTCP_ESTABLISHED] = "ESTABLISHED",
	[XTCP_SYN_SENT] = "SYN_SENT",
	[XTCP_SYN_RECV] = "SYN_RECV",
	[XTCP_FIN_WAIT1] = "FIN_WAIT1",
	[XTCP_FIN_WAIT2] = "FIN_WAIT2",
	[XTCP_TIME_WAIT] = "TIME_WAIT",
	[XTCP_CLOSE] = "CLOSE",
	[XTCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[XTCP_LAST_ACK] = "LAST_ACK",
	[XTCP_LISTEN] = "LISTEN",
	[XTCP_CLOSING] = "CLOSING",
};

const char *xtcp_state_name(unsigned int state)
{
	if (state >= XTCP_NSTATES || !xtcp_state_names[state])
		return "UNKNOWN";
	return xtcp_state_names[state];
}
