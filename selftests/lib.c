// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the xtcp kselftests; see lib.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/tcp.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/xtcp.h>

#include "lib.h"

const char *const st_names[ST_N] = {
	"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

static int orig_ns = -1;

/* ------------------------------------------------------------------ */
/* families */

int fam_family(int kind)
{
	return kind == FAM_XTCP ? xtcp_family() : AF_INET;
}

int fam_ipproto(int kind)
{
	if (kind == FAM_XTCP) {
		FILE *f = fopen(XTCP_IPPROTO_PATH, "r");
		int p = IPPROTO_XTCP;

		if (f) {
			if (fscanf(f, "%d", &p) != 1)
				p = IPPROTO_XTCP;
			fclose(f);
		}
		return p;
	}
	return IPPROTO_TCP;
}

const char *fam_name(int kind)
{
	return kind == FAM_XTCP ? "xtcp" : "inet";
}

int fam_available(int kind)
{
	int fd = socket(fam_family(kind), SOCK_STREAM, 0);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

bool fam_required(void)
{
	const char *e = getenv("XTCP_REQUIRE");

	return e && *e == '1';
}

/* ------------------------------------------------------------------ */
/* namespaces */

static int orig(void)
{
	if (orig_ns < 0)
		orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return orig_ns;
}

int ns_enter(int nsfd)
{
	orig();
	return setns(nsfd, CLONE_NEWNET);
}

int ns_leave(void)
{
	return setns(orig(), CLONE_NEWNET);
}

int ns_socket(int nsfd, int family, int type, int proto)
{
	int fd, e;

	if (ns_enter(nsfd))
		return -1;
	fd = socket(family, type, proto);
	e = errno;
	ns_leave();
	errno = e;
	return fd;
}

int topo_socket_type(struct topo *t, int side, int type)
{
	return ns_socket(t->ns[side], t->family, type, 0);
}

int topo_socket(struct topo *t, int side)
{
	return topo_socket_type(t, side, SOCK_STREAM);
}

int ns_sh(int nsfd, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	pid_t pid;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int dn = open("/dev/null", O_WRONLY);

		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET))
			_exit(126);
		if (dn >= 0)
			dup2(dn, 1);
		if (!getenv("XTCP_SELFTEST_VERBOSE") && dn >= 0)
			dup2(dn, 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (getenv("XTCP_SELFTEST_VERBOSE"))
		fprintf(stderr, "# [%d] %s\n", WIFEXITED(status) ?
			WEXITSTATUS(status) : -1, cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int new_ns(void)
{
	int fd;

	if (orig() < 0)
		return -1;
	if (unshare(CLONE_NEWNET))
		return -1;
	fd = open("/proc/self/ns/net", O_RDONLY);	/* no CLOEXEC: ip uses it */
	if (setns(orig_ns, CLONE_NEWNET)) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

#define IP "/sbin/ip"
#define TC "/sbin/tc"

int topo_setup(struct topo *t, int kind)
{
	static const char *pre =
		"echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null;"
		"echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null;"
		/* Linux >= 6.17: classic exponential SYN backoff, as in 6.12 */
		"echo 0 > /proc/sys/net/ipv4/tcp_syn_linear_timeouts 2>/dev/null;";
	int i, r;

	memset(t, 0, sizeof(*t));
	t->ns[0] = t->ns[1] = -1;
	t->kind = kind;
	t->family = fam_family(kind);
	t->ipproto = fam_ipproto(kind);
	for (i = 0; i < 2; i++) {
		t->ns[i] = new_ns();
		if (t->ns[i] < 0) {
			snprintf(t->err, sizeof(t->err), "unshare(CLONE_NEWNET): %s",
				 strerror(errno));
			return -1;
		}
	}
	r = ns_sh(t->ns[0], "%s " IP " link set lo up && "
		  IP " link add xa address 02:00:00:00:00:0a type veth peer name xb"
		  " address 02:00:00:00:00:0b netns /proc/%d/fd/%d",
		  pre, (int)getpid(), t->ns[1]);
	if (r) {
		snprintf(t->err, sizeof(t->err), "veth creation failed (%d)", r);
		return -1;
	}
	r = ns_sh(t->ns[1], "%s " IP " link set lo up && "
		  IP " addr add 10.0.0.2/24 dev xb && " IP " link set xb up && "
		  IP " neigh replace 10.0.0.1 lladdr 02:00:00:00:00:0a dev xb nud permanent && "
		  TC " qdisc add dev xb clsact", pre);
	if (r) {
		snprintf(t->err, sizeof(t->err), "ns B setup failed (%d)", r);
		return -1;
	}
	r = ns_sh(t->ns[0], IP " addr add 10.0.0.1/24 dev xa && " IP " link set xa up && "
		  IP " neigh replace 10.0.0.2 lladdr 02:00:00:00:00:0b dev xa nud permanent && "
		  TC " qdisc add dev xa clsact");
	if (r) {
		snprintf(t->err, sizeof(t->err), "ns A setup failed (%d)", r);
		return -1;
	}
	/*
	 * Prefer gact's "action drop"; kernels without act_gact (the
	 * development host) get "mirred redirect" to a device that is down,
	 * which drops as well.
	 */
	r = ns_sh(t->ns[0], TC " filter add dev xa egress prio 65000 protocol ip u32"
		  " match ip protocol 254 0xff action drop && "
		  TC " filter del dev xa egress prio 65000");
	t->gact = r == 0;
	if (!t->gact) {
		for (i = 0; i < 2; i++) {
			r = ns_sh(t->ns[i], IP " link add xblk type veth peer name xblk1");
			if (r) {
				snprintf(t->err, sizeof(t->err),
					 "no tc drop action available (%d)", r);
				return -1;
			}
		}
	}
	return 0;
}

void topo_teardown(struct topo *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (t->ns[i] >= 0)
			close(t->ns[i]);
		t->ns[i] = -1;
	}
}

struct sockaddr_in addr_of(int side, int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	inet_pton(AF_INET, side == SIDE_A ? IP_A : IP_B, &a.sin_addr);
	return a;
}

/* ------------------------------------------------------------------ */
/* sysctl */

static int sysctl_path(struct topo *t, const char *name, char *p, size_t len)
{
	if (t->kind == FAM_XTCP) {
		snprintf(p, len, "/proc/sys/net/xtcp/%s", name);
		return 0;
	}
	if (!strcmp(name, "tw_timeout") || !strcmp(name, "enabled"))
		return -ENOENT;
	snprintf(p, len, "/proc/sys/net/ipv4/tcp_%s", name);
	return 0;
}

int ns_write_file(int nsfd, const char *path, const char *val)
{
	int fd, e = 0;
	ssize_t n;

	if (ns_enter(nsfd))
		return -errno;
	fd = open(path, O_WRONLY);
	if (fd < 0)
		e = -errno;
	ns_leave();
	if (fd < 0)
		return e;
	n = write(fd, val, strlen(val));
	if (n < 0)
		e = -errno;
	close(fd);
	return e;
}

int fam_sysctl_set(struct topo *t, int side, const char *name, long val)
{
	char p[256], v[32];
	int r = sysctl_path(t, name, p, sizeof(p));

	if (r)
		return r;
	snprintf(v, sizeof(v), "%ld\n", val);
	return ns_write_file(t->ns[side], p, v);
}

int fam_sysctl_get(struct topo *t, int side, const char *name, long *val)
{
	char p[256];
	int r = sysctl_path(t, name, p, sizeof(p));
	FILE *f;

	if (r)
		return r;
	if (ns_enter(t->ns[side]))
		return -errno;
	f = fopen(p, "r");
	r = f ? 0 : -errno;
	ns_leave();
	if (!f)
		return r;
	if (fscanf(f, "%ld", val) != 1)
		r = -EINVAL;
	fclose(f);
	return r;
}

/* ------------------------------------------------------------------ */
/* tc */

static const char *devname(int side)
{
	return side == SIDE_A ? "xa" : "xb";
}

/*
 * Loss is made at the receiver's ingress: a drop on the sender's own
 * egress is reported back to the sending stack (NET_XMIT_DROP), which
 * Linux TCP treats as local congestion and retries on a 500 ms probe
 * timer instead of its RTO backoff - not what a lossy network does.
 */
int tc_drop(struct topo *t, int from, int prio, int flags, int mask)
{
	char match[256];

	if (mask)
		snprintf(match, sizeof(match),
			 "match ip protocol %d 0xff match u8 0x45 0xff at 0"
			 " match u8 0x%02x 0x%02x at 33", t->ipproto, flags & mask, mask);
	else
		snprintf(match, sizeof(match), "match ip protocol %d 0xff",
			 t->ipproto);
	return ns_sh(t->ns[!from], TC " filter add dev %s ingress prio %d protocol ip u32 %s %s",
		     devname(!from), prio, match,
		     t->gact ? "action drop" : "action mirred egress redirect dev xblk");
}

int tc_undrop(struct topo *t, int from, int prio)
{
	return ns_sh(t->ns[!from], TC " filter del dev %s ingress prio %d",
		     devname(!from), prio);
}

/* ------------------------------------------------------------------ */
/* state counts */

static int read_xtcp_states(struct states *s)
{
	char name[64];
	FILE *f = fopen("/proc/net/xtcp", "r");
	int i, c, r = 0;

	if (!f)
		return -errno;
	for (i = 0; i < ST_N; i++) {
		if (fscanf(f, "%63s %d", name, &s->n[i]) != 2 ||
		    strcmp(name, st_names[i])) {
			r = -EPROTO;
			break;
		}
	}
	/* exactly eleven lines */
	while (!r && (c = fgetc(f)) != EOF)
		if (c != '\n' && c != ' ')
			r = -EPROTO;
	fclose(f);
	return r;
}

static int read_inet_states(struct states *s)
{
	char line[512];
	FILE *f = fopen("/proc/net/tcp", "r");
	unsigned int st;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -EPROTO;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %x", &st) != 1)
			continue;
		if (st >= 1 && st <= ST_N)
			s->n[st - 1]++;
	}
	fclose(f);
	return 0;
}

int read_states(struct topo *t, int side, struct states *s)
{
	int r;

	memset(s, 0, sizeof(*s));
	if (ns_enter(t->ns[side]))
		return -errno;
	r = t->kind == FAM_XTCP ? read_xtcp_states(s) : read_inet_states(s);
	ns_leave();
	return r;
}

void states_expect(struct topo *t, struct states *s, const char *spec)
{
	char buf[512], *tok, *save = NULL;
	int i;

	memset(s, 0, sizeof(*s));
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *num = strtok_r(NULL, " ", &save);

		for (i = 0; i < ST_N; i++)
			if (!strcmp(tok, st_names[i]))
				s->n[i] = num ? atoi(num) : 0;
	}
	if (t->kind == FAM_INET)
		s->n[ST_CLOSE] = 0;
}

void states_fmt(const struct states *s, char *buf, size_t len)
{
	size_t o = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < ST_N && o < len; i++)
		if (s->n[i])
			o += snprintf(buf + o, len - o, "%s %d ", st_names[i], s->n[i]);
	if (!o)
		snprintf(buf, len, "(none)");
}

int wait_states(struct topo *t, int side, const char *spec, int timeout_ms,
		struct states *last)
{
	struct states want, cur;
	int64_t end = now_ms() + timeout_ms;

	states_expect(t, &want, spec);
	for (;;) {
		int r = read_states(t, side, &cur);

		if (last)
			*last = cur;
		if (!r && !memcmp(&want, &cur, sizeof(cur)))
			return 0;
		if (now_ms() >= end)
			return -1;
		usleep(10000);
	}
}

int wait_state_count(struct topo *t, int side, int st, int n, int timeout_ms)
{
	struct states cur;
	int64_t end = now_ms() + timeout_ms;

	for (;;) {
		if (!read_states(t, side, &cur) && cur.n[st] == n)
			return 0;
		if (now_ms() >= end)
			return -1;
		usleep(10000);
	}
}

static int counter_xtcp(const char *name, long *val)
{
	char n[64];
	long v;
	FILE *f = fopen("/proc/net/xtcp_stat", "r");
	int r = -ENOENT;

	if (!f)
		return -errno;
	while (fscanf(f, "%63s %ld", n, &v) == 2)
		if (!strcmp(n, name)) {
			*val = v;
			r = 0;
			break;
		}
	fclose(f);
	return r;
}

/* @name's value in the "@tag" line pair of @path (/proc/net/snmp's format). */
static int counter_lines(const char *path, const char *tag, const char *name,
			 long *val)
{
	char hdr[4096], vals[4096], *hs, *vs, *h, *v;
	FILE *f = fopen(path, "r");
	int r = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(hdr, sizeof(hdr), f)) {
		if (strncmp(hdr, tag, strlen(tag)) || !fgets(vals, sizeof(vals), f))
			continue;
		h = strtok_r(hdr, " \n", &hs);
		v = strtok_r(vals, " \n", &vs);
		while (h && v) {
			if (!strcmp(h, name)) {
				*val = atol(v);
				r = 0;
				break;
			}
			h = strtok_r(NULL, " \n", &hs);
			v = strtok_r(NULL, " \n", &vs);
		}
		break;
	}
	fclose(f);
	return r;
}

/* Tcp: of /proc/net/snmp, then TcpExt: of /proc/net/netstat. */
static int counter_inet(const char *name, long *val)
{
	int r = counter_lines("/proc/net/snmp", "Tcp:", name, val);

	return r == -ENOENT ? counter_lines("/proc/net/netstat", "TcpExt:", name, val) : r;
}

int read_counter(struct topo *t, int side, const char *name, long *val)
{
	int r;

	if (ns_enter(t->ns[side]))
		return -errno;
	r = t->kind == FAM_XTCP ? counter_xtcp(name, val) : counter_inet(name, val);
	ns_leave();
	return r;
}

/* ------------------------------------------------------------------ */
/* time */

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int get_info(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

int wait_acked(int fd, struct tcp_info *ti, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	do {
		if (get_info(fd, ti))
			return -1;
		if (!ti->tcpi_unacked && !ti->tcpi_notsent_bytes)
			return 0;
		poll(NULL, 0, 10);
	} while (now_ms() < end);
	return -1;
}

/* ------------------------------------------------------------------ */
/* sockets */

int set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

int listen_on(struct topo *t, int port, int backlog)
{
	struct sockaddr_in a = addr_of(SIDE_B, port);
	int one = 1, fd = topo_socket(t, SIDE_B);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int poll1(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, timeout_ms);

	if (r < 0)
		return -1;
	return r ? p.revents : 0;
}

int wait_revents(int fd, short events, short want, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int r;

	for (;;) {
		r = poll1(fd, events, 10);
		if (r >= 0 && (r & want) == want)
			return r;
		if (now_ms() >= end)
			return r;
	}
}

int get_so_error(int fd)
{
	int e = 0;
	socklen_t l = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l))
		return -errno;
	return e;
}

int sock_port(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &l))
		return -1;
	return ntohs(a.sin_port);
}

int connect_pair_bound(struct topo *t, int lfd, int port, int cport,
		       int *cfd, int *sfd)
{
	struct sockaddr_in a = addr_of(SIDE_B, port);
	int fd = topo_socket(t, SIDE_A), r, e;

	*cfd = *sfd = -1;
	if (fd < 0)
		return -errno;
	if (cport) {
		struct sockaddr_in c = addr_of(SIDE_A, cport);
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&c, sizeof(c))) {
			e = -errno;
			close(fd);
			return e;
		}
	}
	set_nonblock(fd, true);
	r = connect(fd, (struct sockaddr *)&a, sizeof(a));
	if (r && errno != EINPROGRESS) {
		e = -errno;
		close(fd);
		return e;
	}
	r = wait_revents(fd, POLLOUT, POLLOUT, 5000);
	e = get_so_error(fd);
	if (r < 0 || !(r & POLLOUT) || e) {
		close(fd);
		return e ? -e : -ETIMEDOUT;
	}
	set_nonblock(fd, false);
	if (poll1(lfd, POLLIN, 5000) <= 0) {
		close(fd);
		return -ETIMEDOUT;
	}
	*sfd = accept(lfd, NULL, NULL);
	if (*sfd < 0) {
		e = -errno;
		close(fd);
		return e;
	}
	*cfd = fd;
	return 0;
}

int connect_pair(struct topo *t, int lfd, int port, int *cfd, int *sfd)
{
	return connect_pair_bound(t, lfd, port, 0, cfd, sfd);
}

ssize_t write_all(int fd, const void *buf, size_t len, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, (const char *)buf + done, len - done,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n < 0 && errno != EAGAIN)
			return -errno;
		if (now_ms() >= end)
			break;
		poll1(fd, POLLOUT, 10);
	}
	return done;
}

ssize_t read_exact(int fd, void *buf, size_t len, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	size_t done = 0;

	while (done < len) {
		ssize_t n = recv(fd, (char *)buf + done, len - done, MSG_DONTWAIT);

		if (n > 0) {
			done += n;
			continue;
		}
		if (n == 0)
			break;
		if (errno != EAGAIN)
			return -errno;
		if (now_ms() >= end)
			break;
		poll1(fd, POLLIN, 10);
	}
	return done;
}

ssize_t read_to_eof(int fd, void *buf, size_t cap, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	size_t done = 0;
	char scratch[4096];

	for (;;) {
		void *p = done < cap ? (char *)buf + done : scratch;
		size_t l = done < cap ? cap - done : sizeof(scratch);
		ssize_t n = recv(fd, p, l, MSG_DONTWAIT);

		if (n > 0) {
			done += n;
			continue;
		}
		if (n == 0)
			return done;
		if (errno != EAGAIN)
			return -errno;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		poll1(fd, POLLIN, 10);
	}
}

static inline uint8_t pat(uint64_t i, uint32_t seed)
{
	uint64_t x = (i >> 3) * 0x9e3779b97f4a7c15ull + seed;

	x ^= x >> 29;
	return (uint8_t)(x >> ((i & 7) * 8)) ^ (uint8_t)i;
}

void fill_pattern(uint8_t *buf, size_t len, uint64_t off, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pat(off + i, seed);
}

ssize_t check_pattern(const uint8_t *buf, size_t len, uint64_t off, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pat(off + i, seed))
			return i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* raw segments */

int tap_open(struct topo *t, int side)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int fd, one = 1;

	/* ETH_P_ALL: only such taps run before the ingress filters. */
	fd = ns_socket(t->ns[side], AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0)
		return -1;
	if (ns_enter(t->ns[side]))
		goto fail;
	sll.sll_ifindex = if_nametoindex(devname(side));
	ns_leave();
	if (!sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

int tap_next(int fd, int proto, uint32_t saddr, struct seg *s, int timeout_ms)
{
	unsigned char pkt[2048], ctl[256];

	for (;;) {
		struct iovec iov = { pkt, sizeof(pkt) };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl, .msg_controllen = sizeof(ctl),
		};
		const struct iphdr *ip = (const struct iphdr *)pkt;
		unsigned int ihl, tot, doff;
		struct cmsghdr *c;
		ssize_t n;

		if (!(poll1(fd, POLLIN, timeout_ms) & POLLIN))
			return -1;
		n = recvmsg(fd, &msg, 0);
		if (n < (ssize_t)sizeof(*ip) || ip->version != 4 ||
		    ip->protocol != proto || ip->saddr != saddr)
			continue;
		ihl = ip->ihl * 4;
		tot = ntohs(ip->tot_len);
		if (tot > n || tot < ihl + 20)
			continue;
		doff = (pkt[ihl + 12] >> 4) * 4;
		memset(s, 0, sizeof(*s));
		s->saddr = ip->saddr;
		s->daddr = ip->daddr;
		s->sport = (pkt[ihl] << 8) | pkt[ihl + 1];
		s->dport = (pkt[ihl + 2] << 8) | pkt[ihl + 3];
		memcpy(&s->seq, pkt + ihl + 4, 4);
		s->seq = ntohl(s->seq);
		memcpy(&s->ack, pkt + ihl + 8, 4);
		s->ack = ntohl(s->ack);
		s->flags = pkt[ihl + 13];
		s->paylen = (int)tot - (int)(ihl + doff);
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_TIMESTAMPNS)
				memcpy(&s->ts, CMSG_DATA(c), sizeof(s->ts));
		return 0;
	}
}

int raw_open(struct topo *t, int side)
{
	int one = 1;
	int fd = ns_socket(t->ns[side], AF_INET, SOCK_RAW, t->ipproto);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	set_nonblock(fd, true);
	return fd;
}

static int parse_seg(const uint8_t *p, int len, struct seg *s)
{
	int ihl, doff, tot;

	if (len < 20 || (p[0] >> 4) != 4)
		return -1;
	ihl = (p[0] & 15) * 4;
	tot = (p[2] << 8) | p[3];
	if (tot < len)
		len = tot;
	if (len < ihl + 20)
		return -1;
	memcpy(&s->saddr, p + 12, 4);
	memcpy(&s->daddr, p + 16, 4);
	p += ihl;
	len -= ihl;
	s->sport = (p[0] << 8) | p[1];
	s->dport = (p[2] << 8) | p[3];
	s->seq = ((uint32_t)p[4] << 24) | (p[5] << 16) | (p[6] << 8) | p[7];
	s->ack = ((uint32_t)p[8] << 24) | (p[9] << 16) | (p[10] << 8) | p[11];
	doff = (p[12] >> 4) * 4;
	s->flags = p[13];
	s->win = (p[14] << 8) | p[15];
	if (doff < 20 || doff > len)
		return -1;
	s->optlen = doff - 20;
	memcpy(s->opts, p + 20, s->optlen);
	s->paylen = len - doff;
	return 0;
}

int raw_recv(int fd, struct seg *s, int sport, int dport, int flags,
	     int mask, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	uint8_t buf[2048];
	char cbuf[256];

	for (;;) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *c;
		ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
		int64_t left;

		if (n < 0) {
			if (errno != EAGAIN)
				return -1;
			left = end - now_ms();
			if (left <= 0)
				return -1;
			poll1(fd, POLLIN, left > 10 ? 10 : left);
			continue;
		}
		memset(s, 0, sizeof(*s));
		if (parse_seg(buf, n, s))
			continue;
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SO_TIMESTAMPNS)
				memcpy(&s->ts, CMSG_DATA(c), sizeof(s->ts));
		if (sport && s->sport != sport)
			continue;
		if (dport && s->dport != dport)
			continue;
		if ((s->flags & mask) != flags)
			continue;
		return 0;
	}
}

static uint32_t csum_add(uint32_t sum, const void *data, int len)
{
	const uint8_t *p = data;
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

int raw_send(struct topo *t, int side, const char *src, const char *dst,
	     int sport, int dport, uint32_t seq, uint32_t ack, uint8_t flags,
	     uint16_t win, const uint8_t *opts, int optlen,
	     const void *payload, int paylen)
{
	uint8_t pkt[1600], ph[12];
	uint8_t *h = pkt + 20;
	int hl = 20 + ((optlen + 3) & ~3), len = 20 + hl + paylen;
	struct sockaddr_in d = { .sin_family = AF_INET };
	uint32_t sum;
	uint16_t c;
	int fd, r;

	if (len > (int)sizeof(pkt))
		return -1;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[2] = len >> 8;
	pkt[3] = len;
	pkt[6] = 0x40;		/* DF */
	pkt[8] = 64;
	pkt[9] = t->ipproto;
	inet_pton(AF_INET, src, pkt + 12);
	inet_pton(AF_INET, dst, pkt + 16);
	h[0] = sport >> 8; h[1] = sport;
	h[2] = dport >> 8; h[3] = dport;
	h[4] = seq >> 24; h[5] = seq >> 16; h[6] = seq >> 8; h[7] = seq;
	h[8] = ack >> 24; h[9] = ack >> 16; h[10] = ack >> 8; h[11] = ack;
	h[12] = (hl / 4) << 4;
	h[13] = flags;
	h[14] = win >> 8; h[15] = win;
	if (optlen) {
		memcpy(h + 20, opts, optlen);
		memset(h + 20 + optlen, 1, hl - 20 - optlen);	/* NOP pad */
	}
	if (paylen)
		memcpy(h + hl, payload, paylen);
	memcpy(ph, pkt + 12, 8);
	ph[8] = 0;
	ph[9] = t->ipproto;
	ph[10] = (hl + paylen) >> 8;
	ph[11] = hl + paylen;
	sum = csum_add(0, ph, 12);
	sum = csum_add(sum, h, hl + paylen);
	c = csum_fold(sum);
	h[16] = c >> 8;
	h[17] = c;
	fd = ns_socket(t->ns[side], AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	memcpy(&d.sin_addr, pkt + 16, 4);
	r = sendto(fd, pkt, len, 0, (struct sockaddr *)&d, sizeof(d));
	close(fd);
	return r == len ? 0 : -1;
}

const uint8_t *seg_opt(const struct seg *s, int kind)
{
	int i = 0;

	while (i < s->optlen) {
		if (s->opts[i] == 0)
			return NULL;
		if (s->opts[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= s->optlen || s->opts[i + 1] < 2)
			return NULL;
		if (s->opts[i] == kind)
			return &s->opts[i];
		i += s->opts[i + 1];
	}
	return NULL;
}
