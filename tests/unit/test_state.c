// SPDX-License-Identifier: GPL-2.0
/* state.c: names as /proc/net/xtcp and netstat print them. */
#include "harness.h"
#include "state.h"

TEST(xtcp_state_name__all_eleven)
{
	CHECK(!strcmp(xtcp_state_name(XTCP_ESTABLISHED), "ESTABLISHED"));
	CHECK(!strcmp(xtcp_state_name(XTCP_SYN_SENT), "SYN_SENT"));
	CHECK(!strcmp(xtcp_state_name(XTCP_SYN_RECV), "SYN_RECV"));
	CHECK(!strcmp(xtcp_state_name(XTCP_FIN_WAIT1), "FIN_WAIT1"));
	CHECK(!strcmp(xtcp_state_name(XTCP_FIN_WAIT2), "FIN_WAIT2"));
	CHECK(!strcmp(xtcp_state_name(XTCP_TIME_WAIT), "TIME_WAIT"));
	CHECK(!strcmp(xtcp_state_name(XTCP_CLOSE), "CLOSE"));
	CHECK(!strcmp(xtcp_state_name(XTCP_CLOSE_WAIT), "CLOSE_WAIT"));
	CHECK(!strcmp(xtcp_state_name(XTCP_LAST_ACK), "LAST_ACK"));
	CHECK(!strcmp(xtcp_state_name(XTCP_LISTEN), "LISTEN"));
	CHECK(!strcmp(xtcp_state_name(XTCP_CLOSING), "CLOSING"));
}

TEST(xtcp_state_name__unknown)
{
	CHECK(!strcmp(xtcp_state_name(0), "UNKNOWN"));
	CHECK(!strcmp(xtcp_state_name(XTCP_NSTATES), "UNKNOWN"));
	CHECK(!strcmp(xtcp_state_name(12345), "UNKNOWN"));
	CHECK(!strcmp(xtcp_state_name(~0U), "UNKNOWN"));
}

TEST(xtcp_state__linux_numbers)
{
	/* The glue relies on these being Linux's TCP_* values. */
	CHECK_EQ(XTCP_ESTABLISHED, 1);
	CHECK_EQ(XTCP_TIME_WAIT, 6);
	CHECK_EQ(XTCP_CLOSE, 7);
	CHECK_EQ(XTCP_LISTEN, 10);
	CHECK_EQ(XTCP_CLOSING, 11);
	CHECK_EQ(XTCP_NSTATES, 12);
}

TEST(xtcp_state_synchronized__each_state)
{
	CHECK(xtcp_state_synchronized(XTCP_ESTABLISHED));
	CHECK(xtcp_state_synchronized(XTCP_FIN_WAIT1));
	CHECK(xtcp_state_synchronized(XTCP_FIN_WAIT2));
	CHECK(xtcp_state_synchronized(XTCP_CLOSE_WAIT));
	CHECK(xtcp_state_synchronized(XTCP_CLOSING));
	CHECK(xtcp_state_synchronized(XTCP_LAST_ACK));
	CHECK(xtcp_state_synchronized(XTCP_TIME_WAIT));
	CHECK(!xtcp_state_synchronized(XTCP_SYN_SENT));
	CHECK(!xtcp_state_synchronized(XTCP_SYN_RECV));
	CHECK(!xtcp_state_synchronized(XTCP_LISTEN));
	CHECK(!xtcp_state_synchronized(XTCP_CLOSE));
}
