// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_cc: choosing a congestion control algorithm, next to Linux TCP -
 * TCP_CONGESTION per socket (each built-in, read back NUL-padded, the
 * window it starts with, an unknown or over-long name, a change on an
 * established connection), the namespace default (new sockets take it,
 * older ones do not; a listener's child takes the listener's choice or
 * else the default; an unknown name is refused), the list of available algorithms; and, xtcp only, the
 * example algorithm module examples/cc_scalable (scripts/vm-run puts it
 * in /lib/xtcp-examples/): it loads, is listed, chosen by setsockopt and
 * by sysctl, carries a transfer, and unloads only when no socket uses it.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/tcp.h>
#include <sys/syscall.h>

#include "fixture.h"

#define WAIT 5000
#define NAME_MAX_CC 16			/* TCP_CA_NAME_MAX */
#define INFINITE_SSTHRESH 0x7fffffffU	/* TCP_INFINITE_SSTHRESH */
#define EXAMPLE_KO "/lib/xtcp-examples/xtcp_scalable.ko"
#define EXAMPLE "xtcp_scalable"

XTCP_FIXTURE(cc);

/* The built-in algorithms: Linux has no "newreno" (its "reno" is one). */
static const char *const inet_builtin[] = { "reno", "cubic", NULL };
static const char *const xtcp_builtin[] = { "reno", "newreno", "cubic", NULL };

static const char *const *builtin(struct topo *t)
{
	return t->kind == FAM_XTCP ? xtcp_builtin : inet_builtin;
}

/* "congestion_control" -> net.xtcp.congestion_control or net.ipv4.tcp_... */
static void cc_path(struct topo *t, const char *name, char *p, size_t len)
{
	if (t->kind == FAM_XTCP)
		snprintf(p, len, "/proc/sys/net/xtcp/%s", name);
	else
		snprintf(p, len, "/proc/sys/net/ipv4/tcp_%s", name);
}

/* Read a one-line file in a namespace, without its newline; 0 or -errno. */
static int ns_read_line(int nsfd, const char *path, char *buf, size_t len)
{
	FILE *f;
	int e = 0;

	if (ns_enter(nsfd))
		return -errno;
	f = fopen(path, "r");
	if (!f)
		e = -errno;
	ns_leave();
	if (!f)
		return e;
	if (!fgets(buf, len, f))
		e = -EIO;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return e;
}

static int cc_sysctl_get(struct topo *t, int side, const char *name,
			 char *buf, size_t len)
{
	char p[128];

	cc_path(t, name, p, sizeof(p));
	return ns_read_line(t->ns[side], p, buf, len);
}

static int cc_sysctl_set(struct topo *t, int side, const char *val)
{
	char p[128];

	cc_path(t, "congestion_control", p, sizeof(p));
	return ns_write_file(t->ns[side], p, val);
}

/* Is @name a word of the available_congestion_control list? */
static bool cc_listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static int set_cc(int fd, const char *name)
{
	return setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, strlen(name));
}

/* The algorithm's name, checking that it comes back NUL-padded to 16. */
static int get_cc(int fd, char name[NAME_MAX_CC])
{
	char buf[NAME_MAX_CC + 8];
	socklen_t len = sizeof(buf);
	size_t n;

	memset(buf, 0x5a, sizeof(buf));
	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, buf, &len))
		return -errno;
	if (len != NAME_MAX_CC)
		return -EMSGSIZE;
	n = strnlen(buf, NAME_MAX_CC);
	if (n == NAME_MAX_CC)
		return -EBADMSG;
	for (size_t i = n; i < NAME_MAX_CC; i++)
		if (buf[i])
			return -EBADMSG;
	if (buf[NAME_MAX_CC] != 0x5a)
		return -EOVERFLOW;
	memcpy(name, buf, NAME_MAX_CC);
	return 0;
}

/*
 * Connect a socket of side A, with algorithm @name if not NULL, to the
 * listener @lfd on B:@port; accept.  0 or -errno.
 */
static int connect_cc(struct topo *t, int lfd, int port, const char *name,
		      int *cfd, int *sfd)
{
	struct sockaddr_in a = addr_of(SIDE_B, port);
	int fd = topo_socket(t, SIDE_A), e;

	*cfd = *sfd = -1;
	if (fd < 0)
		return -errno;
	if (name && set_cc(fd, name))
		goto fail;
	set_nonblock(fd, true);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) && errno != EINPROGRESS)
		goto fail;
	if (wait_revents(fd, POLLOUT, POLLOUT, WAIT) < 0) {
		errno = ETIMEDOUT;
		goto fail;
	}
	e = get_so_error(fd);
	if (e) {
		errno = e;
		goto fail;
	}
	set_nonblock(fd, false);
	if (poll1(lfd, POLLIN, WAIT) <= 0) {
		errno = ETIMEDOUT;
		goto fail;
	}
	*sfd = accept(lfd, NULL, NULL);
	if (*sfd < 0)
		goto fail;
	*cfd = fd;
	return 0;
fail:
	e = errno;
	close(fd);
	return -e;
}

/* Close with a RST: no TIME_WAIT left behind. */
static void close_rst(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/* Each built-in: set on a socket, read back, and the window it starts. */
TEST_F(cc, per_socket_builtin)
{
	const char *const *n;
	char name[NAME_MAX_CC];
	struct tcp_info ci, si;
	int lfd, c, s, port = 7100;

	for (n = builtin(T); *n; n++, port++) {
		lfd = listen_on(T, port, 4);
		ASSERT_LE(0, lfd);
		ASSERT_EQ(0, set_cc(lfd, *n)) TH_LOG("%s: %s", *n, strerror(errno));
		ASSERT_EQ(0, get_cc(lfd, name));
		EXPECT_STREQ(*n, name);

		ASSERT_EQ(0, connect_cc(T, lfd, port, *n, &c, &s)) TH_LOG("%s", *n);
		ASSERT_EQ(0, get_cc(c, name));
		EXPECT_STREQ(*n, name);
		/* The child takes the listener's algorithm. */
		ASSERT_EQ(0, get_cc(s, name));
		EXPECT_STREQ(*n, name);

		/* Nothing sent, nothing lost: RFC 6928's 10, no threshold. */
		ASSERT_EQ(0, get_info(c, &ci));
		ASSERT_EQ(0, get_info(s, &si));
		EXPECT_EQ(10U, ci.tcpi_snd_cwnd) TH_LOG("%s", *n);
		EXPECT_EQ(INFINITE_SSTHRESH, ci.tcpi_snd_ssthresh) TH_LOG("%s", *n);
		EXPECT_EQ(0U, ci.tcpi_ca_state);
		EXPECT_EQ(10U, si.tcpi_snd_cwnd) TH_LOG("%s", *n);
		EXPECT_EQ(INFINITE_SSTHRESH, si.tcpi_snd_ssthresh) TH_LOG("%s", *n);
		EXPECT_EQ(0U, si.tcpi_ca_state);
		close_rst(c);
		close_rst(s);
		close(lfd);
	}
}

/* An established connection may change its algorithm. */
TEST_F(cc, switch_established)
{
	static const char data[] = "after the switch";
	char name[NAME_MAX_CC], buf[sizeof(data)];
	int lfd, c, s;

	lfd = listen_on(T, 7110, 4);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, set_cc(lfd, "cubic"));
	ASSERT_EQ(0, connect_cc(T, lfd, 7110, "cubic", &c, &s));
	ASSERT_EQ(0, set_cc(c, "reno"));
	ASSERT_EQ(0, get_cc(c, name));
	EXPECT_STREQ("reno", name);
	ASSERT_EQ((ssize_t)sizeof(data), write_all(c, data, sizeof(data), WAIT));
	ASSERT_EQ((ssize_t)sizeof(data), read_exact(s, buf, sizeof(buf), WAIT));
	EXPECT_EQ(0, memcmp(data, buf, sizeof(data)));
	/* The peer keeps its own. */
	ASSERT_EQ(0, get_cc(s, name));
	EXPECT_STREQ("cubic", name);
	close_rst(c);
	close_rst(s);
	close(lfd);
}

/* An unknown name: ENOENT, the socket keeps its algorithm. */
TEST_F(cc, unknown_name)
{
	char name[NAME_MAX_CC], before[NAME_MAX_CC];
	int fd = topo_socket(T, SIDE_A);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_cc(fd, before));
	EXPECT_EQ(-1, set_cc(fd, "nosuchcc"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, set_cc(fd, "RENO"));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, get_cc(fd, name));
	EXPECT_STREQ(before, name);
	close(fd);
}

/*
 * Linux reads at most 15 bytes, up to a NUL: a longer name is cut to 15
 * and not found; a known name followed by a NUL and more is the name.
 */
TEST_F(cc, name_length)
{
	static const char padded[] = "reno\0trailing bytes";
	char name[NAME_MAX_CC];
	int fd = topo_socket(T, SIDE_A);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, set_cc(fd, "cubiccubiccubiccubic"));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, padded,
				sizeof(padded))) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, get_cc(fd, name));
	EXPECT_STREQ("reno", name);
	close(fd);
}

/*
 * The namespace default: new sockets take it, older ones keep theirs.  A
 * listener's child takes the listener's algorithm if it was chosen with
 * TCP_CONGESTION, else the default when the connection arrives, as Linux
 * (tcp_ca_openreq_child()).
 */
TEST_F(cc, sysctl_default)
{
	char val[64], name[NAME_MAX_CC];
	int old, lfd, lfd2, c, s, c2, s2, fd;

	ASSERT_EQ(0, cc_sysctl_get(T, SIDE_A, "congestion_control", val, sizeof(val)));
	/*
	 * Linux's new namespaces copy the initial one's, which only lets them
	 * choose the "allowed" algorithms: reno and the initial default.
	 */
	if (variant->kind == FAM_INET && strcmp(val, "cubic"))
		SKIP(return, "the initial namespace's default is %s, not cubic", val);
	EXPECT_STREQ("cubic", val);
	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_A, "cubic\n"));
	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_B, "cubic\n"));
	old = topo_socket(T, SIDE_A);
	ASSERT_LE(0, old);
	lfd = listen_on(T, 7120, 4);
	ASSERT_LE(0, lfd);
	lfd2 = listen_on(T, 7121, 4);
	ASSERT_LE(0, lfd2);
	ASSERT_EQ(0, set_cc(lfd2, "cubic"));

	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_A, "reno\n"));
	ASSERT_EQ(0, cc_sysctl_get(T, SIDE_A, "congestion_control", val, sizeof(val)));
	EXPECT_STREQ("reno", val);
	/* B's default is its own. */
	ASSERT_EQ(0, cc_sysctl_get(T, SIDE_B, "congestion_control", val, sizeof(val)));
	EXPECT_STREQ("cubic", val);

	fd = topo_socket(T, SIDE_A);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_cc(fd, name));
	EXPECT_STREQ("reno", name);
	ASSERT_EQ(0, get_cc(old, name));
	EXPECT_STREQ("cubic", name);

	/* Listeners made under cubic, B's default now reno. */
	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_B, "reno\n"));
	ASSERT_EQ(0, get_cc(lfd, name));
	EXPECT_STREQ("cubic", name);
	ASSERT_EQ(0, connect_cc(T, lfd, 7120, NULL, &c, &s));
	ASSERT_EQ(0, get_cc(c, name));
	EXPECT_STREQ("reno", name);
	ASSERT_EQ(0, get_cc(s, name));
	EXPECT_STREQ("reno", name);
	ASSERT_EQ(0, connect_cc(T, lfd2, 7121, NULL, &c2, &s2));
	ASSERT_EQ(0, get_cc(s2, name));
	EXPECT_STREQ("cubic", name);

	/* An unknown name is refused and the default stays. */
	EXPECT_EQ(-ENOENT, cc_sysctl_set(T, SIDE_A, "nosuchcc\n"));
	ASSERT_EQ(0, cc_sysctl_get(T, SIDE_A, "congestion_control", val, sizeof(val)));
	EXPECT_STREQ("reno", val);

	close_rst(c);
	close_rst(s);
	close_rst(c2);
	close_rst(s2);
	close(fd);
	close(old);
	close(lfd);
	close(lfd2);
}

TEST_F(cc, available_list)
{
	const char *const *n;
	char list[512];

	ASSERT_EQ(0, cc_sysctl_get(T, SIDE_A, "available_congestion_control",
				   list, sizeof(list)));
	for (n = builtin(T); *n; n++) {
		const char *want = *n;

		EXPECT_TRUE(cc_listed(list, want)) TH_LOG("%s not in \"%s\"", want, list);
	}
	if (variant->kind == FAM_XTCP)
		EXPECT_EQ(0, strncmp(list, "reno newreno cubic", 18)) TH_LOG("%s", list);
	/* Read-only. */
	{
		char p[128];

		cc_path(T, "available_congestion_control", p, sizeof(p));
		EXPECT_NE(0, ns_write_file(T->ns[SIDE_A], p, "reno\n"));
	}
}

/* ---- the example module (xtcp only) ---- */

FIXTURE(example) {
	struct topo t;
};

static bool example_loaded(void)
{
	return access("/sys/module/" EXAMPLE, F_OK) == 0;
}

static int example_load(void)
{
	int fd = open(EXAMPLE_KO, O_RDONLY | O_CLOEXEC), r, e;

	if (fd < 0)
		return -errno;
	r = syscall(SYS_finit_module, fd, "", 0);
	e = errno;
	close(fd);
	return r ? -e : 0;
}

static int example_unload(void)
{
	return syscall(SYS_delete_module, EXAMPLE, O_NONBLOCK) ? -errno : 0;
}

static long example_refcnt(void)
{
	FILE *f = fopen("/sys/module/" EXAMPLE "/refcnt", "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/* Bounded wait until the example's reference count is @n. */
static int wait_refcnt(long n, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	do {
		if (example_refcnt() == n)
			return 0;
		poll(NULL, 0, 10);
	} while (now_ms() < end);
	return -1;
}

static bool listed(struct topo *t, const char *name)
{
	char list[512];

	if (cc_sysctl_get(t, SIDE_A, "available_congestion_control", list,
			  sizeof(list)))
		return false;
	return cc_listed(list, name);
}

FIXTURE_SETUP(example)
{
	self->t.ns[0] = self->t.ns[1] = -1;
	signal(SIGPIPE, SIG_IGN);
	if (!fam_available(FAM_XTCP)) {
		if (fam_required())
			ASSERT_TRUE(0) TH_LOG("xtcp unavailable");
		SKIP(return, "xtcp not available");
	}
	if (access(EXAMPLE_KO, R_OK)) {
		if (fam_required())
			ASSERT_TRUE(0) TH_LOG("%s: %s", EXAMPLE_KO, strerror(errno));
		SKIP(return, "%s missing (scripts/vm-run puts it there)", EXAMPLE_KO);
	}
	ASSERT_EQ(0, topo_setup(&self->t, FAM_XTCP)) TH_LOG("topology: %s", self->t.err);
	/* TIME_WAIT sockets let go of the algorithm within a second. */
	ASSERT_EQ(0, fam_sysctl_set(&self->t, SIDE_A, "tw_timeout", 1));
	ASSERT_EQ(0, fam_sysctl_set(&self->t, SIDE_B, "tw_timeout", 1));
	if (example_loaded())
		ASSERT_EQ(0, example_unload()) TH_LOG("left loaded: %s", strerror(errno));
}

FIXTURE_TEARDOWN(example)
{
	if (self->t.ns[0] >= 0) {
		cc_sysctl_set(&self->t, SIDE_A, "cubic\n");
		cc_sysctl_set(&self->t, SIDE_B, "cubic\n");
	}
	topo_teardown(&self->t);
}

/* Load, list, choose per socket, unload only when unused, gone after. */
TEST_F(example, setsockopt_and_unload)
{
	char name[NAME_MAX_CC];
	int fd, fd2;

	fd = topo_socket(T, SIDE_A);
	ASSERT_LE(0, fd);
	EXPECT_FALSE(listed(T, "scalable"));
	EXPECT_EQ(-1, set_cc(fd, "scalable"));
	EXPECT_EQ(ENOENT, errno);

	ASSERT_EQ(0, example_load());
	EXPECT_EQ(-EEXIST, example_load());
	EXPECT_TRUE(listed(T, "scalable"));
	ASSERT_EQ(0L, example_refcnt());

	ASSERT_EQ(0, set_cc(fd, "scalable")) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, get_cc(fd, name));
	EXPECT_STREQ("scalable", name);
	EXPECT_EQ(1L, example_refcnt());
	EXPECT_EQ(-EWOULDBLOCK, example_unload());
	EXPECT_TRUE(example_loaded());

	/* Choosing another algorithm gives the reference back. */
	ASSERT_EQ(0, set_cc(fd, "reno"));
	EXPECT_EQ(0L, example_refcnt());
	ASSERT_EQ(0, set_cc(fd, "scalable"));
	fd2 = topo_socket(T, SIDE_B);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, set_cc(fd2, "scalable"));
	EXPECT_EQ(2L, example_refcnt());
	close(fd2);
	EXPECT_EQ(0, wait_refcnt(1, WAIT));
	EXPECT_EQ(-EWOULDBLOCK, example_unload());

	/* Closing the last user frees the module. */
	close(fd);
	ASSERT_EQ(0, wait_refcnt(0, WAIT));
	ASSERT_EQ(0, example_unload()) TH_LOG("%s", strerror(errno));
	EXPECT_FALSE(example_loaded());
	EXPECT_FALSE(listed(T, "scalable"));
	fd = topo_socket(T, SIDE_A);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, set_cc(fd, "scalable"));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
}

/*
 * The namespace default: a transfer whose both ends run scalable is
 * byte-exact; the module stays while the connection lives and after a
 * normal close until the TIME_WAIT ends.
 */
TEST_F(example, sysctl_and_transfer)
{
	enum { LEN = 4 << 20, CHUNK = 64 << 10 };
	char name[NAME_MAX_CC], val[64];
	uint8_t *out, *in;
	struct tcp_info ti;
	int lfd, c, s;
	ssize_t n;

	out = malloc(LEN);
	in = malloc(LEN);
	ASSERT_TRUE(out && in);
	fill_pattern(out, LEN, 0, 0x5ca1ab1e);

	ASSERT_EQ(0, example_load());
	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_A, "scalable\n"));
	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_B, "scalable\n"));
	ASSERT_EQ(0, cc_sysctl_get(T, SIDE_A, "congestion_control", val, sizeof(val)));
	EXPECT_STREQ("scalable", val);

	lfd = listen_on(T, 7130, 4);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, connect_cc(T, lfd, 7130, NULL, &c, &s));
	close(lfd);
	ASSERT_EQ(0, get_cc(c, name));
	EXPECT_STREQ("scalable", name);
	ASSERT_EQ(0, get_cc(s, name));
	EXPECT_STREQ("scalable", name);

	/* The defaults back: the two ends alone hold the module. */
	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_A, "cubic\n"));
	ASSERT_EQ(0, cc_sysctl_set(T, SIDE_B, "cubic\n"));
	EXPECT_EQ(0, wait_refcnt(2, WAIT)) TH_LOG("refcnt %ld", example_refcnt());

	for (size_t off = 0; off < LEN; off += CHUNK) {
		ASSERT_EQ((ssize_t)CHUNK, write_all(c, out + off, CHUNK, WAIT));
		ASSERT_EQ((ssize_t)CHUNK, read_exact(s, in + off, CHUNK, WAIT));
	}
	EXPECT_EQ(-1, check_pattern(in, LEN, 0, 0x5ca1ab1e));
	ASSERT_EQ(0, get_info(c, &ti));
	EXPECT_GE(ti.tcpi_snd_cwnd, 10U);
	EXPECT_EQ(-EWOULDBLOCK, example_unload());

	/* An orderly close: FIN both ways, A ends in TIME_WAIT. */
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	n = read_to_eof(s, in, LEN, WAIT);
	EXPECT_EQ(0, n);
	close(s);
	n = read_to_eof(c, in, LEN, WAIT);
	EXPECT_EQ(0, n);
	close(c);
	ASSERT_EQ(0, wait_refcnt(0, WAIT)) TH_LOG("refcnt %ld", example_refcnt());
	ASSERT_EQ(0, example_unload()) TH_LOG("%s", strerror(errno));
	EXPECT_FALSE(listed(T, "scalable"));
	free(out);
	free(in);
}

TEST_HARNESS_MAIN
