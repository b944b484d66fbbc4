/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the xtcp kselftests.
 *
 * Topology: two network namespaces, "A" (the client, 10.0.0.1/24 on veth
 * xa) and "B" (the server, 10.0.0.2/24 on veth xb), created with
 * unshare(CLONE_NEWNET) and kept alive only by file descriptors held by
 * the test process: when the test process exits, for whatever reason, the
 * namespaces and everything in them disappear.  Neighbour entries are
 * static, so no ARP is needed and packet filters never starve ARP.
 *
 * Packet loss is made with clsact + u32 filters that match only IP
 * segments of the transport under test (protocol 6 or 253), optionally
 * only those whose TCP flags byte matches a value/mask.  The IP header is
 * assumed option-free (IHL 5), as Linux TCP and xtcp send it, and the
 * filter checks that.
 *
 * Every scenario is parametrised by a "kind": FAM_INET (Linux TCP) or
 * FAM_XTCP (AF_XTCP, family number read at run time).
 */
#ifndef XTCP_SELFTEST_LIB_H
#define XTCP_SELFTEST_LIB_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

enum fam_kind { FAM_INET = 0, FAM_XTCP = 1 };

/* States in the order of /proc/net/xtcp; index + 1 == Linux TCP_* value. */
enum xst {
	ST_ESTABLISHED, ST_SYN_SENT, ST_SYN_RECV, ST_FIN_WAIT1, ST_FIN_WAIT2,
	ST_TIME_WAIT, ST_CLOSE, ST_CLOSE_WAIT, ST_LAST_ACK, ST_LISTEN,
	ST_CLOSING, ST_N
};
extern const char *const st_names[ST_N];

struct states {
	int n[ST_N];
};

#define SIDE_A 0	/* client namespace, 10.0.0.1 */
#define SIDE_B 1	/* server namespace, 10.0.0.2 */

struct topo {
	int ns[2];		/* netns fds */
	int kind;		/* enum fam_kind */
	int family;		/* socket() family */
	int ipproto;		/* 6 or 253 */
	bool gact;		/* tc "action drop" available */
	char err[256];		/* why setup failed */
};

/* ---- families ---- */
int fam_family(int kind);
int fam_ipproto(int kind);
const char *fam_name(int kind);
/* 1 available, 0 not (EAFNOSUPPORT etc.) */
int fam_available(int kind);
/* true when the environment says a missing xtcp must be a failure */
bool fam_required(void);

/* ---- namespaces and commands ---- */
int topo_setup(struct topo *t, int kind);
void topo_teardown(struct topo *t);
int ns_enter(int nsfd);
int ns_leave(void);
/* Run a shell command in a namespace; returns the exit status (or -1). */
int ns_sh(int nsfd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int topo_socket(struct topo *t, int side);
int topo_socket_type(struct topo *t, int side, int type);
int ns_socket(int nsfd, int family, int type, int proto);
struct sockaddr_in addr_of(int side, int port);
#define IP_A "10.0.0.1"
#define IP_B "10.0.0.2"

/*
 * Per-family sysctl: name is the xtcp name ("syn_retries", "tw_timeout",
 * ...).  Returns 0, -ENOENT when the family has no such knob (e.g. Linux
 * TCP has no TIME_WAIT length), or another -errno.
 */
int fam_sysctl_set(struct topo *t, int side, const char *name, long val);
int fam_sysctl_get(struct topo *t, int side, const char *name, long *val);
int ns_write_file(int nsfd, const char *path, const char *val);

/* ---- tc ---- */
/*
 * Lose the segments of the transport under test sent by side "from"
 * (dropped on arrival at the other side's veth, so the sender sees
 * network loss).  mask == 0: every segment; else only those whose TCP
 * flags byte & mask == flags.  prio identifies the filter for tc_undrop.
 * Returns 0 or the tc exit status.
 */
int tc_drop(struct topo *t, int from, int prio, int flags, int mask);
int tc_undrop(struct topo *t, int from, int prio);
#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

/* ---- state counts ---- */
/* Reads /proc/net/xtcp (xtcp) or counts /proc/net/tcp st (inet). */
int read_states(struct topo *t, int side, struct states *s);
/*
 * Parse "ESTABLISHED 1 LISTEN 1" into s (unnamed states 0).  For FAM_INET
 * the CLOSE count is forced to 0: Linux does not list sockets in CLOSE.
 */
void states_expect(struct topo *t, struct states *s, const char *spec);
/* Bounded poll (10 ms period) until the counts equal spec; 0 or -1. */
int wait_states(struct topo *t, int side, const char *spec, int timeout_ms,
		struct states *last);
void states_fmt(const struct states *s, char *buf, size_t len);

/* wait until one state count satisfies count == n */
int wait_state_count(struct topo *t, int side, int st, int n, int timeout_ms);

/*
 * A protocol counter by its SNMP name ("ActiveOpens", ...): xtcp from
 * /proc/net/xtcp_stat ("Name Value" lines), inet from the Tcp: lines of
 * /proc/net/snmp or else the TcpExt: lines of /proc/net/netstat
 * ("TCPTimeWaitOverflow").  Returns 0 and *val, or -ENOENT.
 */
int read_counter(struct topo *t, int side, const char *name, long *val);

/* ---- time ---- */
double now_s(void);
int64_t now_ms(void);
/*
 * Run the calling thread, and threads it starts later, on CPU 0 only, so
 * the softirqs its sends start run there too and segments keep their
 * order (xtcp_inject, xtcp_cc_window).  0 or -1.
 */
int pin_cpu0(void);

/* ---- TCP_INFO ---- */
/*
 * struct tcp_info as <linux/tcp.h> has it (callers include that header,
 * not glibc's shorter <netinet/tcp.h>).  get_info: zeroed, then filled;
 * 0 or -1.  wait_acked: bounded wait until everything @fd sent is
 * acknowledged (nothing unacked, nothing unsent); @ti holds the last
 * reading either way; 0, or -1 at the deadline or on error.
 */
struct tcp_info;
int get_info(int fd, struct tcp_info *ti);
int wait_acked(int fd, struct tcp_info *ti, int timeout_ms);

/* ---- sockets ---- */
int set_nonblock(int fd, bool on);
/* listener on B:port, backlog */
int listen_on(struct topo *t, int port, int backlog);
/*
 * Connect A -> B:port (listener lfd in B) and accept: cfd/sfd established
 * and blocking.  cport 0 = ephemeral.  Returns 0 or -errno.
 */
int connect_pair(struct topo *t, int lfd, int port, int *cfd, int *sfd);
int connect_pair_bound(struct topo *t, int lfd, int port, int cport,
		       int *cfd, int *sfd);
/* poll one fd for events, timeout ms; returns revents or -1 */
int poll1(int fd, short events, int timeout_ms);
/* bounded wait until poll1(fd, events) has all bits of want */
int wait_revents(int fd, short events, short want, int timeout_ms);
int get_so_error(int fd);
int sock_port(int fd);

/* write/read whole buffers on (possibly non-blocking) fds with a deadline */
ssize_t write_all(int fd, const void *buf, size_t len, int timeout_ms);
ssize_t read_exact(int fd, void *buf, size_t len, int timeout_ms);
/* read until EOF or error; returns bytes or -errno */
ssize_t read_to_eof(int fd, void *buf, size_t cap, int timeout_ms);

void fill_pattern(uint8_t *buf, size_t len, uint64_t off, uint32_t seed);
/* returns index of first mismatch or -1 */
ssize_t check_pattern(const uint8_t *buf, size_t len, uint64_t off, uint32_t seed);

/* ---- raw segments (protocol 6 or 253, TCP header format) ---- */
struct seg {
	uint32_t saddr, daddr;	/* network order */
	uint16_t sport, dport;	/* host order */
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint8_t opts[40];
	int optlen;
	int paylen;
	struct timespec ts;	/* arrival time (SO_TIMESTAMPNS) */
};
/* raw socket in a namespace receiving the transport's segments */
int raw_open(struct topo *t, int side);
/*
 * Receive the next segment matching (sport/dport when non-zero, flags&mask
 * == flags) within timeout_ms; 0 ok, -1 none.
 */
int raw_recv(int fd, struct seg *s, int sport, int dport, int flags,
	     int mask, int timeout_ms);
/* Send a segment with an arbitrary (possibly spoofed) source address. */
int raw_send(struct topo *t, int side, const char *src, const char *dst,
	     int sport, int dport, uint32_t seq, uint32_t ack, uint8_t flags,
	     uint16_t win, const uint8_t *opts, int optlen,
	     const void *payload, int paylen);
/*
 * A packet tap on side's veth: an ETH_P_ALL packet socket, which sees
 * arriving segments before ingress tc filters drop them, with kernel
 * receive timestamps.  tap_next() returns the next segment of protocol
 * @proto from @saddr (network order) in s (seq, flags, paylen, ts), 0, or
 * -1 when none came within timeout_ms.
 */
int tap_open(struct topo *t, int side);
int tap_next(int fd, int proto, uint32_t saddr, struct seg *s, int timeout_ms);
/* find an option in s->opts; returns pointer to its kind byte or NULL */
const uint8_t *seg_opt(const struct seg *s, int kind);

#endif
