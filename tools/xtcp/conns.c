// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp conns [state S]... [sport P] [dport P] [port P]: the namespace's
 * connections, like "ss -tni"; the filters are applied by the kernel.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xtcp.h"

/* Linux's "infinite" slow-start threshold: not set yet. */
#define SSTHRESH_INFINITE	0x7fffffffU

struct filter {
	uint32_t state_mask;
	uint16_t sport, dport, port;
};

struct dump {
	bool json;
	unsigned int n;
};

static void put_filter(struct nlmsghdr *nlh, void *arg)
{
	const struct filter *f = arg;

	if (f->state_mask)
		mnl_attr_put_u32(nlh, XTCP_A_CONN_STATE_MASK, f->state_mask);
	if (f->sport)
		mnl_attr_put_u16(nlh, XTCP_A_CONN_SPORT, f->sport);
	if (f->dport)
		mnl_attr_put_u16(nlh, XTCP_A_CONN_DPORT, f->dport);
	if (f->port)
		mnl_attr_put_u16(nlh, XTCP_A_CONN_PORT, f->port);
}

static uint64_t u(const struct nlattr **tb, unsigned int type)
{
	const struct nlattr *a = tb[type];

	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		return mnl_attr_get_u32(a);
	case 8:
		return mnl_attr_get_u64(a);
	}
	return 0;
}

static const char *addr(const struct nlattr **tb, unsigned int type,
			char *buf)
{
	struct in_addr in = { 0 };

	if (tb[type])
		in.s_addr = mnl_attr_get_u32(tb[type]);	/* network order */
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* The numeric attributes of a connection, in JSON and text alike. */
static const struct {
	uint16_t attr;
	const char *spec;
} numbers[] = {
	{ XTCP_A_CONN_CWND, "cwnd" },
	{ XTCP_A_CONN_SSTHRESH, "ssthresh" },
	{ XTCP_A_CONN_SRTT, "srtt" },
	{ XTCP_A_CONN_RTTVAR, "rttvar" },
	{ XTCP_A_CONN_RTO, "rto" },
	{ XTCP_A_CONN_RETRANSMITS, "retransmits" },
	{ XTCP_A_CONN_TOTAL_RETRANS, "total-retrans" },
	{ XTCP_A_CONN_BYTES_SENT, "bytes-sent" },
	{ XTCP_A_CONN_BYTES_ACKED, "bytes-acked" },
	{ XTCP_A_CONN_BYTES_RECEIVED, "bytes-received" },
	{ XTCP_A_CONN_SEGS_OUT, "segs-out" },
	{ XTCP_A_CONN_SEGS_IN, "segs-in" },
	{ XTCP_A_CONN_SND_WND, "snd-wnd" },
	{ XTCP_A_CONN_RCV_WND, "rcv-wnd" },
	{ XTCP_A_CONN_MSS, "mss" },
	{ XTCP_A_CONN_RECV_Q, "recv-q" },
	{ XTCP_A_CONN_SEND_Q, "send-q" },
	{ XTCP_A_CONN_TIMER_EXPIRES, "timer-expires" },
	{ XTCP_A_CONN_INODE, "inode" },
	{ XTCP_A_CONN_UID, "uid" },
};

static void print_json(const struct nlattr **tb, bool first)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	unsigned int i;

	printf("%s{\"saddr\": \"%s\", \"sport\": %" PRIu64
	       ", \"daddr\": \"%s\", \"dport\": %" PRIu64
	       ", \"state\": \"%s\", \"ca-state\": \"%s\", \"timer\": \"%s\"",
	       first ? "" : ",\n", addr(tb, XTCP_A_CONN_SADDR, s),
	       u(tb, XTCP_A_CONN_SPORT), addr(tb, XTCP_A_CONN_DADDR, d),
	       u(tb, XTCP_A_CONN_DPORT),
	       state_spec_name(u(tb, XTCP_A_CONN_STATE)),
	       ca_state_spec_name(u(tb, XTCP_A_CONN_CA_STATE)),
	       timer_spec_name(u(tb, XTCP_A_CONN_TIMER)));
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		printf(", \"%s\": %" PRIu64, numbers[i].spec,
		       u(tb, numbers[i].attr));
	putchar('}');
}

static void print_text(const struct nlattr **tb)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN], l[32], p[32];
	uint64_t ssthresh = u(tb, XTCP_A_CONN_SSTHRESH);
	unsigned int timer = u(tb, XTCP_A_CONN_TIMER);

	snprintf(l, sizeof(l), "%s:%" PRIu64, addr(tb, XTCP_A_CONN_SADDR, s),
		 u(tb, XTCP_A_CONN_SPORT));
	snprintf(p, sizeof(p), "%s:%" PRIu64, addr(tb, XTCP_A_CONN_DADDR, d),
		 u(tb, XTCP_A_CONN_DPORT));
	printf("%-11s %-6" PRIu64 " %-6" PRIu64 " %-21s %-21s\n",
	       state_name(u(tb, XTCP_A_CONN_STATE)), u(tb, XTCP_A_CONN_RECV_Q),
	       u(tb, XTCP_A_CONN_SEND_Q), l, p);
	printf("\t cwnd:%" PRIu64, u(tb, XTCP_A_CONN_CWND));
	if (ssthresh < SSTHRESH_INFINITE)
		printf(" ssthresh:%" PRIu64, ssthresh);
	printf(" ca:%s rtt:%.3f/%.3f rto:%.0f mss:%" PRIu64,
	       ca_state_spec_name(u(tb, XTCP_A_CONN_CA_STATE)),
	       u(tb, XTCP_A_CONN_SRTT) / 1000.0,
	       u(tb, XTCP_A_CONN_RTTVAR) / 1000.0,
	       u(tb, XTCP_A_CONN_RTO) / 1000.0, u(tb, XTCP_A_CONN_MSS));
	printf(" bytes_sent:%" PRIu64 " bytes_acked:%" PRIu64
	       " bytes_received:%" PRIu64 " segs_out:%" PRIu64
	       " segs_in:%" PRIu64 " retrans:%" PRIu64 "/%" PRIu64
	       " snd_wnd:%" PRIu64 " rcv_wnd:%" PRIu64,
	       u(tb, XTCP_A_CONN_BYTES_SENT), u(tb, XTCP_A_CONN_BYTES_ACKED),
	       u(tb, XTCP_A_CONN_BYTES_RECEIVED), u(tb, XTCP_A_CONN_SEGS_OUT),
	       u(tb, XTCP_A_CONN_SEGS_IN), u(tb, XTCP_A_CONN_RETRANSMITS),
	       u(tb, XTCP_A_CONN_TOTAL_RETRANS), u(tb, XTCP_A_CONN_SND_WND),
	       u(tb, XTCP_A_CONN_RCV_WND));
	if (timer != XTCP_PENDING_TIMER_NONE)
		printf(" timer:(%s,%" PRIu64 "ms,%" PRIu64 ")",
		       timer_spec_name(timer), u(tb, XTCP_A_CONN_TIMER_EXPIRES),
		       u(tb, XTCP_A_CONN_RETRANSMITS));
	printf(" ino:%" PRIu64 " uid:%" PRIu64 "\n", u(tb, XTCP_A_CONN_INODE),
	       u(tb, XTCP_A_CONN_UID));
}

static int conn_reply(const struct nlattr **tb, void *data)
{
	struct dump *d = data;

	if (d->json)
		print_json(tb, !d->n);
	else
		print_text(tb);
	d->n++;
	return 0;
}

static int port_arg(const char *s, uint16_t *port)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 1 || v > 65535) {
		fprintf(stderr, "xtcp: bad port \"%s\"\n", s);
		return -1;
	}
	*port = v;
	return 0;
}

int cmd_conns(struct nl *nl, int argc, char **argv, bool json)
{
	struct filter f = { 0 };
	struct dump d = { json, 0 };
	int i, st;

	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "xtcp: \"%s\" needs a value\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "state")) {
			st = state_parse(argv[i + 1]);
			if (st < 0) {
				fprintf(stderr, "xtcp: unknown state \"%s\"\n",
					argv[i + 1]);
				return 2;
			}
			f.state_mask |= 1U << st;
		} else if (!strcmp(argv[i], "sport")) {
			if (port_arg(argv[i + 1], &f.sport))
				return 2;
		} else if (!strcmp(argv[i], "dport")) {
			if (port_arg(argv[i + 1], &f.dport))
				return 2;
		} else if (!strcmp(argv[i], "port")) {
			if (port_arg(argv[i + 1], &f.port))
				return 2;
		} else {
			fprintf(stderr, "xtcp: unknown filter \"%s\"\n", argv[i]);
			return 2;
		}
	}
	if (json)
		putchar('[');
	else
		printf("%-11s %-6s %-6s %-21s %-21s\n", "State", "Recv-Q",
		       "Send-Q", "Local Address:Port", "Peer Address:Port");
	if (nl_request(nl, XTCP_CMD_GET_CONN, true, put_filter, &f,
		       XTCP_A_CONN_MAX, conn_reply, &d))
		return 1;
	if (json)
		printf("]\n");
	return 0;
}
