// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_info: what xtcp reports about its connections - TCP_INFO next to
 * Linux TCP's, /proc/net/xtcp_tcp parsed as /proc/net/tcp is (the same
 * parser reads both), /proc/net/xtcp_snmp against /proc/net/snmp and
 * /proc/net/xtcp_stat, and the bounds of every net.xtcp.* sysctl.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/tcp.h>
#include <sys/stat.h>

#include "fixture.h"

#define WAIT 5000
/* Linux TCP_* states (netinet/tcp.h would clash with linux/tcp.h). */
#define S_ESTABLISHED 1U
#define S_LISTEN 10U

XTCP_FIXTURE(info);

static int pair(struct topo *t, int port, int *lfd, int *cfd, int *sfd)
{
	*lfd = listen_on(t, port, 8);
	if (*lfd < 0)
		return -errno;
	return connect_pair(t, *lfd, port, cfd, sfd);
}

TEST_F(info, state_options_mss)
{
	struct tcp_info ci, si, li;
	int lfd, c, s, c2;
	struct sockaddr_in b = addr_of(SIDE_B, 7000);

	ASSERT_EQ(0, pair(T, 7000, &lfd, &c, &s));
	ASSERT_EQ(0, wait_acked(c, &ci, WAIT));
	ASSERT_EQ(0, get_info(s, &si));

	EXPECT_EQ(S_ESTABLISHED, ci.tcpi_state);
	EXPECT_EQ(S_ESTABLISHED, si.tcpi_state);
	EXPECT_EQ(0U, ci.tcpi_ca_state);
	/* Linux's defaults: timestamps, SACK and window scaling. */
	EXPECT_EQ(TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_WSCALE,
		  ci.tcpi_options & (TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK |
				     TCPI_OPT_WSCALE));
	/* veth's 1500-byte MTU: MSS 1460, 1448 with timestamps (both). */
	EXPECT_EQ(1448U, ci.tcpi_advmss);
	EXPECT_EQ(1448U, ci.tcpi_snd_mss);
	EXPECT_EQ(1448U, si.tcpi_snd_mss);
	EXPECT_EQ(1500U, ci.tcpi_pmtu);
	EXPECT_GE(ci.tcpi_rto, 200000U);
	EXPECT_EQ(3U, ci.tcpi_reordering);
	EXPECT_EQ(0U, ci.tcpi_total_retrans);
	EXPECT_EQ(0U, ci.tcpi_unacked);

	/* A listener: accept-queue length and limit, as Linux reports. */
	c2 = topo_socket(T, SIDE_A);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, connect(c2, (struct sockaddr *)&b, sizeof(b)));
	ASSERT_EQ(0, get_info(lfd, &li));
	for (int64_t end = now_ms() + WAIT; li.tcpi_unacked != 1U && now_ms() < end;
	     poll(NULL, 0, 10))
		ASSERT_EQ(0, get_info(lfd, &li));
	EXPECT_EQ(S_LISTEN, li.tcpi_state);
	EXPECT_EQ(1U, li.tcpi_unacked);
	EXPECT_EQ(8U, li.tcpi_sacked);
	close(c2);
	close(c);
	close(s);
	close(lfd);
}

TEST_F(info, bytes_acked_grows_exactly)
{
	struct tcp_info c0, c1, s0, s1;
	static uint8_t buf[100000];
	int lfd, c, s;

	ASSERT_EQ(0, pair(T, 7001, &lfd, &c, &s));
	ASSERT_EQ(0, wait_acked(c, &c0, WAIT));
	ASSERT_EQ(0, get_info(s, &s0));

	fill_pattern(buf, sizeof(buf), 0, 1);
	ASSERT_EQ((ssize_t)sizeof(buf), write_all(c, buf, sizeof(buf), WAIT));
	ASSERT_EQ((ssize_t)sizeof(buf), read_exact(s, buf, sizeof(buf), WAIT));
	ASSERT_EQ(-1, check_pattern(buf, sizeof(buf), 0, 1));
	ASSERT_EQ(0, wait_acked(c, &c1, WAIT));
	ASSERT_EQ(0, get_info(s, &s1));

	EXPECT_EQ((__u64)sizeof(buf), c1.tcpi_bytes_acked - c0.tcpi_bytes_acked);
	EXPECT_EQ((__u64)sizeof(buf), c1.tcpi_bytes_sent - c0.tcpi_bytes_sent);
	EXPECT_EQ((__u64)sizeof(buf), s1.tcpi_bytes_received - s0.tcpi_bytes_received);
	EXPECT_EQ(0U, c1.tcpi_total_retrans);
	/* At least one segment per MSS went out and came in. */
	EXPECT_LE((__u32)(sizeof(buf) / c1.tcpi_snd_mss), c1.tcpi_segs_out - c0.tcpi_segs_out);
	EXPECT_LE((__u32)(sizeof(buf) / c1.tcpi_snd_mss), s1.tcpi_segs_in - s0.tcpi_segs_in);
	EXPECT_LT(0U, c1.tcpi_segs_in - c0.tcpi_segs_in);
	close(c);
	close(s);
	close(lfd);
}

TEST_F_TIMEOUT(info, total_retrans_netem_loss, 60)
{
	struct tcp_info c0, c1;
	long r0, r1;
	uint8_t buf[1000];
	int lfd, c, s;

	ASSERT_EQ(0, pair(T, 7002, &lfd, &c, &s));
	ASSERT_EQ(0, wait_acked(c, &c0, WAIT));
	ASSERT_EQ(0, read_counter(T, SIDE_A, "RetransSegs", &r0));

	/* Everything the client sends is lost until two retransmissions. */
	ASSERT_EQ(0, ns_sh(T->ns[SIDE_A], "/sbin/tc qdisc add dev xa root netem loss 100%%"));
	fill_pattern(buf, sizeof(buf), 0, 2);
	ASSERT_EQ((ssize_t)sizeof(buf), write_all(c, buf, sizeof(buf), WAIT));
	ASSERT_EQ(0, get_info(c, &c1));
	for (int64_t end = now_ms() + 20000;
	     c1.tcpi_total_retrans - c0.tcpi_total_retrans < 2 && now_ms() < end;
	     poll(NULL, 0, 10))
		ASSERT_EQ(0, get_info(c, &c1));
	EXPECT_LE(2U, c1.tcpi_total_retrans - c0.tcpi_total_retrans);
	EXPECT_LE(1U, c1.tcpi_unacked);
	ASSERT_EQ(0, ns_sh(T->ns[SIDE_A], "/sbin/tc qdisc del dev xa root"));

	ASSERT_EQ((ssize_t)sizeof(buf), read_exact(s, buf, sizeof(buf), 20000));
	ASSERT_EQ(-1, check_pattern(buf, sizeof(buf), 0, 2));
	ASSERT_EQ(0, wait_acked(c, &c1, 20000));
	ASSERT_EQ(0, read_counter(T, SIDE_A, "RetransSegs", &r1));
	EXPECT_LE(2U, c1.tcpi_total_retrans - c0.tcpi_total_retrans);
	/* The only connection of its namespace: the counter agrees (Linux
	 * also counts tail loss probes there, which total_retrans does not).
	 */
	if (T->kind == FAM_XTCP) {
		EXPECT_EQ(r1 - r0, (long)(c1.tcpi_total_retrans - c0.tcpi_total_retrans));
	} else {
		EXPECT_LE((long)(c1.tcpi_total_retrans - c0.tcpi_total_retrans), r1 - r0);
	}
	EXPECT_EQ((__u64)sizeof(buf), c1.tcpi_bytes_acked - c0.tcpi_bytes_acked);
	EXPECT_EQ(0U, c1.tcpi_retransmits);
	EXPECT_EQ(0U, c1.tcpi_ca_state);
	close(c);
	close(s);
	close(lfd);
}

/* ---- /proc/net/tcp format ---- */

struct pline {
	unsigned int sl, lport, rport, st, tr, retr, uid, tmo;
	unsigned long laddr, raddr, txq, rxq, when, inode;
};

/* The family's table: /proc/net/tcp or /proc/net/xtcp_tcp. */
static const char *table_path(const struct topo *t)
{
	return t->kind == FAM_XTCP ? "/proc/net/xtcp_tcp" : "/proc/net/tcp";
}

static int read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int r = -1;

	if (f && fgets(buf, len, f))
		r = 0;
	if (f)
		fclose(f);
	return r;
}

/*
 * Parse @path in @side's namespace as net-tools' netstat parses
 * /proc/net/tcp.  Returns the number of lines, -1 on error or a line that
 * does not parse.
 */
static int read_table(struct topo *t, int side, const char *path,
		      struct pline *pl, int max)
{
	char line[512], la[16], ra[16];
	int n = 0, bad = 0;
	FILE *f;

	if (ns_enter(t->ns[side]))
		return -1;
	f = fopen(path, "r");
	ns_leave();
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n < max) {
		struct pline *p = &pl[n];

		if (sscanf(line, "%u: %15[0-9A-Fa-f]:%X %15[0-9A-Fa-f]:%X %X %lX:%lX %X:%lX %X %u %u %lu",
			   &p->sl, la, &p->lport, ra, &p->rport, &p->st, &p->txq, &p->rxq,
			   &p->tr, &p->when, &p->retr, &p->uid, &p->tmo, &p->inode) != 14) {
			bad++;
			continue;
		}
		p->laddr = strtoul(la, NULL, 16);
		p->raddr = strtoul(ra, NULL, 16);
		n++;
	}
	fclose(f);
	return bad ? -1 : n;
}

static const struct pline *find_line(const struct pline *pl, int n, unsigned int lport,
				     unsigned int rport, int st)
{
	for (int i = 0; i < n; i++)
		if (pl[i].lport == lport && pl[i].rport == rport &&
		    (st < 0 || (int)pl[i].st == st))
			return &pl[i];
	return NULL;
}

/* Bounded wait for a line lport/rport in state st; copies it to *out. */
static int wait_line(struct topo *t, int side, unsigned int lport, unsigned int rport,
		     int st, struct pline *out)
{
	static struct pline pl[256];
	int64_t end = now_ms() + WAIT;

	do {
		int n = read_table(t, side, table_path(t), pl, 256);
		const struct pline *p = n > 0 ? find_line(pl, n, lport, rport, st) : NULL;

		if (p) {
			*out = *p;
			return 0;
		}
		poll(NULL, 0, 10);
	} while (now_ms() < end);
	return -1;
}

/* Addresses as Linux prints them: the __be32 as a host-order number. */
static unsigned long proc_addr(const char *ip)
{
	return inet_addr(ip);
}

static unsigned long ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

TEST_F(info, proc_tcp_lines)
{
	char hdr_tcp[256], hdr_x[256];
	uint8_t buf[300] = { 0 };
	struct tcp_info ci;
	struct pline p;
	int lfd, c, s, cport;

	ASSERT_EQ(0, pair(T, 7003, &lfd, &c, &s));
	cport = sock_port(c);

	/* The header is /proc/net/tcp's, byte for byte (padding too). */
	ASSERT_EQ(0, ns_enter(T->ns[SIDE_B]));
	ASSERT_EQ(0, read_first_line("/proc/net/tcp", hdr_tcp, sizeof(hdr_tcp)));
	ASSERT_EQ(0, read_first_line(table_path(T), hdr_x, sizeof(hdr_x)));
	ASSERT_EQ(0, ns_leave());
	EXPECT_STREQ(hdr_tcp, hdr_x);

	/* Listener: LISTEN (0A), inode of its socket, our uid. */
	ASSERT_EQ(0, wait_line(T, SIDE_B, 7003, 0, 0x0A, &p));
	EXPECT_EQ(proc_addr(IP_B), p.laddr);
	EXPECT_EQ(0UL, p.raddr);
	EXPECT_EQ(ino_of(lfd), p.inode);
	EXPECT_EQ((unsigned int)getuid(), p.uid);
	EXPECT_EQ(0UL, p.rxq);

	/* 300 unread bytes show in the server's rx_queue. */
	ASSERT_EQ((ssize_t)sizeof(buf), write_all(c, buf, sizeof(buf), WAIT));
	ASSERT_EQ(0, wait_acked(c, &ci, WAIT));
	ASSERT_EQ(0, wait_line(T, SIDE_B, 7003, cport, 0x01, &p));
	for (int64_t end = now_ms() + WAIT; p.rxq != sizeof(buf) && now_ms() < end;
	     poll(NULL, 0, 10))
		ASSERT_EQ(0, wait_line(T, SIDE_B, 7003, cport, 0x01, &p));
	EXPECT_EQ((unsigned long)sizeof(buf), p.rxq);
	EXPECT_EQ(0UL, p.txq);
	EXPECT_EQ(proc_addr(IP_B), p.laddr);
	EXPECT_EQ(proc_addr(IP_A), p.raddr);
	EXPECT_EQ(ino_of(s), p.inode);

	/* Client: ESTABLISHED, nothing queued either way. */
	ASSERT_EQ(0, wait_line(T, SIDE_A, cport, 7003, 0x01, &p));
	EXPECT_EQ(proc_addr(IP_A), p.laddr);
	EXPECT_EQ(proc_addr(IP_B), p.raddr);
	EXPECT_EQ(0UL, p.txq);
	EXPECT_EQ(0UL, p.rxq);
	EXPECT_EQ(ino_of(c), p.inode);

	/* Active close: the client's TIME_WAIT (06) with timer 3. */
	close(c);
	ASSERT_EQ(0, read_exact(s, buf, sizeof(buf), WAIT) == sizeof(buf) ? 0 : -1);
	close(s);
	ASSERT_EQ(0, wait_line(T, SIDE_A, cport, 7003, 0x06, &p));
	EXPECT_EQ(3U, p.tr);
	EXPECT_LT(0UL, p.when);

	/* xtcp: one line per socket /proc/net/xtcp counts. */
	if (T->kind == FAM_XTCP) {
		static struct pline pl[256];
		struct states sa;
		int n, per[ST_N] = { 0 };

		ASSERT_EQ(0, read_states(T, SIDE_A, &sa));
		n = read_table(T, SIDE_A, table_path(T), pl, 256);
		ASSERT_LE(0, n);
		for (int i = 0; i < n; i++)
			if (pl[i].st >= 1 && pl[i].st <= ST_N)
				per[pl[i].st - 1]++;
		for (int i = 0; i < ST_N; i++) {
			EXPECT_EQ(sa.n[i], per[i]) TH_LOG("state %s", st_names[i]);
		}
	}
	close(lfd);
}

TEST_F(info, proc_tcp_syn_recv)
{
	struct sockaddr_in b = addr_of(SIDE_B, 7004);
	struct pline p;
	int lfd, c, cport;

	lfd = listen_on(T, 7004, 8);
	ASSERT_LE(0, lfd);
	/* The handshake's last ACK (a bare ACK) never arrives. */
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, F_ACK, 0xff));
	c = topo_socket(T, SIDE_A);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&b, sizeof(b)));
	cport = sock_port(c);
	ASSERT_EQ(0, wait_line(T, SIDE_B, 7004, cport, 0x03, &p));
	EXPECT_EQ(1U, p.tr);		/* the SYN,ACK retransmission timer */
	EXPECT_EQ(proc_addr(IP_B), p.laddr);
	EXPECT_EQ(proc_addr(IP_A), p.raddr);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	close(c);
	close(lfd);
}

/* ---- /proc/net/xtcp_snmp ---- */

/* Split "Tcp: a b c" into words after the prefix; returns the count. */
static int words(char *line, char **w, int max)
{
	int n = 0;
	char *save, *tok = strtok_r(line, " \n", &save);

	while (tok && n < max) {
		w[n++] = tok;
		tok = strtok_r(NULL, " \n", &save);
	}
	return n;
}

static int read_stat(const char *name, long *val)
{
	FILE *f = fopen("/proc/net/xtcp_stat", "r");
	char n[64];
	long v;
	int r = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", n, &v) == 2)
		if (!strcmp(n, name)) {
			*val = v;
			r = 0;
		}
	fclose(f);
	return r;
}

TEST_F(info, snmp_two_lines)
{
	static char tcp_names[2048], l1[2048], l2[2048], extra[64];
	char *tw[128], *nw[128], *vw[128], snap1[4096], snap2[4096];
	int lfd, c, s, nt = 0, nn, nv, tries;
	struct tcp_info ci;
	FILE *f;

	if (T->kind != FAM_XTCP)
		SKIP(return, "xtcp's file");
	ASSERT_EQ(0, pair(T, 7005, &lfd, &c, &s));
	ASSERT_EQ(0, wait_acked(c, &ci, WAIT));
	ASSERT_EQ(0, ns_enter(T->ns[SIDE_B]));

	/* Linux's "Tcp:" names, which ours begin with. */
	f = fopen("/proc/net/snmp", "r");
	ASSERT_NE(NULL, f);
	while (fgets(tcp_names, sizeof(tcp_names), f))
		if (!strncmp(tcp_names, "Tcp: ", 5))
			break;
	fclose(f);
	nt = words(tcp_names, tw, 128);
	ASSERT_LT(10, nt);

	/* Counters can move (a delayed ACK): take both files between two
	 * identical readings of xtcp_stat.
	 */
	for (tries = 0; tries < 20; tries++) {
		f = fopen("/proc/net/xtcp_stat", "r");
		ASSERT_NE(NULL, f);
		snap1[fread(snap1, 1, sizeof(snap1) - 1, f)] = 0;
		fclose(f);
		f = fopen("/proc/net/xtcp_snmp", "r");
		ASSERT_NE(NULL, f);
		ASSERT_NE(NULL, fgets(l1, sizeof(l1), f));
		ASSERT_NE(NULL, fgets(l2, sizeof(l2), f));
		EXPECT_EQ(NULL, fgets(extra, sizeof(extra), f)) TH_LOG("a third line");
		fclose(f);
		f = fopen("/proc/net/xtcp_stat", "r");
		ASSERT_NE(NULL, f);
		snap2[fread(snap2, 1, sizeof(snap2) - 1, f)] = 0;
		fclose(f);
		if (!strcmp(snap1, snap2))
			break;
	}
	ASSERT_GT(20, tries);

	nn = words(l1, nw, 128);
	nv = words(l2, vw, 128);
	ASSERT_EQ(nn, nv);
	ASSERT_STREQ("Xtcp:", nw[0]);
	ASSERT_STREQ("Xtcp:", vw[0]);
	/* Linux's fields first, in its order. */
	ASSERT_LE(nt, nn);
	for (int i = 1; i < nt; i++)
		EXPECT_STREQ(tw[i], nw[i]);
	EXPECT_STREQ("1", vw[1]);		/* RtoAlgorithm */
	EXPECT_STREQ("200", vw[2]);		/* RtoMin, ms */
	EXPECT_STREQ("120000", vw[3]);		/* RtoMax, ms */
	EXPECT_STREQ("-1", vw[4]);		/* MaxConn */

	/* Every xtcp_stat counter is there, with the same value. */
	f = fopen("/proc/net/xtcp_stat", "r");
	ASSERT_NE(NULL, f);
	if (f) {
		char name[64];
		long v, sv;
		int found;

		while (fscanf(f, "%63s %ld", name, &v) == 2) {
			found = 0;
			for (int i = 1; i < nn; i++) {
				if (strcmp(nw[i], name))
					continue;
				found = 1;
				ASSERT_EQ(0, read_stat(name, &sv));
				EXPECT_EQ(v, strtol(vw[i], NULL, 10)) TH_LOG("%s", name);
			}
			EXPECT_EQ(1, found) TH_LOG("%s missing from xtcp_snmp", name);
		}
	}
	fclose(f);
	ASSERT_EQ(0, ns_leave());
	close(c);
	close(s);
	close(lfd);
}

/* ---- sysctl bounds ---- */

struct bound {
	const char *name;
	long min, max;
	int n;		/* values per write */
};

/* Documentation/sysctl.rst's ranges. */
static const struct bound bounds[] = {
	{ "enabled", 0, 1, 1 },
	{ "syn_retries", 1, 127, 1 },
	{ "synack_retries", 1, 255, 1 },
	{ "fin_timeout", 1, 600, 1 },
	{ "tw_timeout", 1, 600, 1 },
	{ "retries2", 1, 255, 1 },
	{ "max_syn_backlog", 1, 65535, 1 },
	{ "syncookies", 0, 2, 1 },
	{ "keepalive_time", 1, 32767, 1 },
	{ "keepalive_intvl", 1, 32767, 1 },
	{ "keepalive_probes", 1, 127, 1 },
	{ "rmem", 4096, 1073741823, 3 },
	{ "wmem", 4096, 1073741823, 3 },
	{ "mem", 1, 2147483647, 3 },
	{ "max_tw_buckets", 0, 2147483647, 1 },
	{ "window_scaling", 0, 1, 1 },
	{ "timestamps", 0, 1, 1 },
	{ "sack", 0, 1, 1 },
	{ "challenge_ack_limit", 0, 2147483647, 1 },
	{ "invalid_ratelimit", 0, 2147483647, 1 },
};

static int sysctl_read(const char *name, char *buf, size_t len)
{
	char path[128];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/sys/net/xtcp/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

/* 0, or -errno of the write. */
static int sysctl_write(const char *name, const char *val)
{
	char path[128];
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/xtcp/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* "v" or, for vectors, "v rest...": @v first, the old tail after it. */
static void vec(char *out, size_t len, long v, const char *old, int n)
{
	const char *tail = old;

	if (n == 1) {
		snprintf(out, len, "%ld", v);
		return;
	}
	tail += strcspn(tail, " \t");
	snprintf(out, len, "%ld%s", v, tail);
}

TEST_F(info, sysctl_bounds)
{
	char old[128], now[128], val[160];

	if (T->kind != FAM_XTCP)
		SKIP(return, "net.xtcp.*");
	ASSERT_EQ(0, ns_enter(T->ns[SIDE_A]));
	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		const struct bound *b = &bounds[i];

		ASSERT_EQ(0, sysctl_read(b->name, old, sizeof(old))) TH_LOG("%s", b->name);
		/* Outside: EINVAL, value kept. */
		vec(val, sizeof(val), b->min - 1, old, b->n);
		EXPECT_EQ(-EINVAL, sysctl_write(b->name, val)) TH_LOG("%s = %s", b->name, val);
		vec(val, sizeof(val), b->max + 1, old, b->n);
		EXPECT_EQ(-EINVAL, sysctl_write(b->name, val)) TH_LOG("%s = %s", b->name, val);
		ASSERT_EQ(0, sysctl_read(b->name, now, sizeof(now)));
		EXPECT_STREQ(old, now) TH_LOG("%s", b->name);
		/* The bounds themselves are taken. */
		vec(val, sizeof(val), b->min, old, b->n);
		EXPECT_EQ(0, sysctl_write(b->name, val)) TH_LOG("%s = %s", b->name, val);
		vec(val, sizeof(val), b->max, old, b->n);
		EXPECT_EQ(0, sysctl_write(b->name, val)) TH_LOG("%s = %s", b->name, val);
		ASSERT_EQ(0, sysctl_write(b->name, old));
		ASSERT_EQ(0, sysctl_read(b->name, now, sizeof(now)));
		EXPECT_STREQ(old, now);
	}
	ASSERT_EQ(0, ns_leave());
}

TEST_HARNESS_MAIN
