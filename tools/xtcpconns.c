// SPDX-License-Identifier: GPL-2.0
/*
 * xtcpconns - kernel memory of N idle established connections.
 *
 *   xtcpconns [-4] [-n N] [-s NS] [-c NS] [-a ADDR] [-p PORT] [-t TOP]
 *             [-w SECONDS] [-k KEEP] [-T]
 *
 * One process opens a listener in network namespace -s (default bs, on
 * ADDR:PORT, default 10.7.0.1:9000) and N connections to it from namespace
 * -c (default bc), over AF_XTCP, or AF_INET (Linux TCP) with -4.  The
 * namespaces are /run/netns/NAME ("ip netns add"); "-" stays in the
 * current one.  A socket keeps the namespace it was created in, so one
 * process can hold both ends.
 *
 * It prints the growth of /proc/meminfo (Slab, MemFree, MemAvailable; the
 * free pages on per-CPU lists, from /proc/zoneinfo, added to the last two)
 * between a baseline taken before the listener exists and a snapshot with
 * all N connections established and idle, per connection (both ends
 * counted: the client's socket and the accepted one), and the TOP slab
 * caches (default 10) that grew most, by active objects x object size from
 * /proc/slabinfo.  Then it aborts every connection (SO_LINGER 0: no
 * TIME_WAIT is left behind), closes the listener and waits up to -w
 * seconds (default 30) for the memory to come back near the baseline.
 *
 * Exit status: 0, or the sum of 1 if fewer than N connections were
 * established (each end must report ESTABLISHED in TCP_INFO) and 2 if the
 * memory did not come back (a leak: Slab more than a tenth of the growth
 * plus 2 MiB above the baseline, or a cache holding N/2 (at least 2048)
 * objects more than at the baseline; below that are the free objects and
 * slabs SLUB keeps per CPU); 4 if a system call failed.  The figures
 * themselves are never judged.  -k KEEP leaves KEEP connections open
 * through that check, which must then report a leak: a check of the check.
 *
 * -T closes gracefully instead, clients first, so that every connection
 * ends in TIME_WAIT at the client and nothing else is left (checked in
 * /proc/net/xtcp or /proc/net/sockstat of both namespaces; 1 in the
 * exit status if not), and prints the memory held then, against the same
 * baseline.  It then waits -w seconds for TIME_WAIT to end and the memory
 * to come back, as above; -w 0 skips that (Linux holds TIME_WAIT 60 s).
 * Must run as root (/proc/slabinfo, setns(), drop_caches).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/xtcp.h>

/* Connections set up at a time: well below any accept backlog limit. */
#define BATCH		128
#define STEP_TIMEOUT_MS	20000

struct cache {
	char name[64];
	long active;
	long objsize;
};

struct snap {
	long slab_kb, free_kb, avail_kb;
	struct cache *c;
	int n;
};

static long nconns = 10000;
static long keep;
static bool tw_mode;
static int top = 10, wait_s = 30;

static void die(const char *what)
{
	fprintf(stderr, "xtcpconns: %s: %s\n", what, strerror(errno));
	exit(4);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0)
		fprintf(stderr, "xtcpconns: %s: %s\n", path, strerror(errno));
	close(fd);
}

static long meminfo_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? atol(p + strlen(key)) : -1;
}

static long pcp_kb(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	long n, pages = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &n) == 1)
			pages += n;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

static void take(struct snap *s)
{
	char buf[8192], line[512];
	long pcp;
	FILE *f;
	size_t len;

	/*
	 * Unused dentries and inodes of other files are the noise that
	 * dominates a small difference; the sockets' own are in use.
	 */
	sync();
	write_file("/proc/sys/vm/drop_caches", "2");

	f = fopen("/proc/meminfo", "r");
	if (!f)
		die("/proc/meminfo");
	len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[len] = 0;
	fclose(f);
	s->slab_kb = meminfo_kb(buf, "\nSlab:");
	s->free_kb = meminfo_kb(buf, "MemFree:");
	s->avail_kb = meminfo_kb(buf, "\nMemAvailable:");

	/*
	 * Free pages on the per-CPU lists are not in MemFree; those lists
	 * hold tens of MiB after boot and drain under the first load, which
	 * would show as memory coming back.  Count them as free.
	 */
	pcp = pcp_kb();
	s->free_kb += pcp;
	s->avail_kb += pcp;

	f = fopen("/proc/slabinfo", "r");
	if (!f)
		die("/proc/slabinfo");
	free(s->c);
	s->c = NULL;
	s->n = 0;
	while (fgets(line, sizeof(line), f)) {
		struct cache c;
		long num;

		if (sscanf(line, "%63s %ld %ld %ld", c.name, &c.active, &num,
			   &c.objsize) != 4)
			continue;	/* the two header lines */
		s->c = realloc(s->c, (s->n + 1) * sizeof(*s->c));
		if (!s->c)
			die("realloc");
		s->c[s->n++] = c;
	}
	fclose(f);
}

static const struct cache *find(const struct snap *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

static long cache_delta(const struct snap *a, const struct cache *b)
{
	const struct cache *o = find(a, b->name);

	return b->active - (o ? o->active : 0);
}

/*
 * SLUB merges caches of the same size and flags; /proc/slabinfo then shows
 * only one of the names.  The others are links to the same directory in
 * /sys/kernel/slab: list them so that a merged "XTCP" can be found.
 */
static void aliases(const char *name, char *out, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX], t2[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	ssize_t n;

	out[0] = 0;
	snprintf(path, sizeof(path), "/sys/kernel/slab/%s", name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = 0;
	dir = opendir("/sys/kernel/slab");
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == ':' || !strcmp(d->d_name, name))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s", d->d_name);
		n = readlink(path, t2, sizeof(t2) - 1);
		if (n < 0)
			continue;
		t2[n] = 0;
		if (strcmp(t2, target) ||
		    strlen(out) + strlen(d->d_name) + 2 >= size)
			continue;
		strcat(out, out[0] ? "," : " (also ");
		strcat(out, d->d_name);
	}
	closedir(dir);
	if (out[0])
		strcat(out, ")");
}

static void report(const char *label, const char *what, const struct snap *a,
		   const struct snap *b)
{
	long slab = (b->slab_kb - a->slab_kb) * 1024;
	long mfree = (a->free_kb - b->free_kb) * 1024;
	long avail = (a->avail_kb - b->avail_kb) * 1024;
	long sum = 0;
	int i, j, *order;

	printf("%s: %ld connections, %s\n", label, nconns, what);
	/* Growth of Slab; drop of free and of available memory. */
	printf("  Slab         %9ld KiB %7ld bytes/connection (growth)\n",
	       slab / 1024, slab / nconns);
	printf("  MemFree+pcp  %9ld KiB %7ld bytes/connection (drop)\n",
	       mfree / 1024, mfree / nconns);
	printf("  MemAvailable %9ld KiB %7ld bytes/connection (drop)\n",
	       avail / 1024, avail / nconns);

	order = calloc(b->n, sizeof(*order));
	if (!order)
		die("calloc");
	for (i = 0; i < b->n; i++) {
		long d = cache_delta(a, &b->c[i]) * b->c[i].objsize;

		sum += d;
		for (j = i; j > 0; j--) {
			const struct cache *p = &b->c[order[j - 1]];

			if (cache_delta(a, p) * p->objsize >= d)
				break;
			order[j] = order[j - 1];
		}
		order[j] = i;
	}
	printf("  slab caches, active objects x objsize (sum of all: %ld bytes/connection):\n",
	       sum / nconns);
	printf("    %-24s %7s %9s %9s %10s\n", "cache", "objsize", "+objects",
	       "objs/conn", "bytes/conn");
	for (i = 0; i < top && i < b->n; i++) {
		const struct cache *c = &b->c[order[i]];
		long d = cache_delta(a, c);
		char al[256];

		if (d <= 0)
			break;
		aliases(c->name, al, sizeof(al));
		printf("    %-24s %7ld %9ld %9.2f %10ld%s\n", c->name,
		       c->objsize, d, (double)d / nconns,
		       d * c->objsize / nconns, al);
	}
	free(order);
}

/* The worst residue after closing, in objects, and in which cache. */
static long worst_cache(const struct snap *a, const struct snap *b,
			const char **name)
{
	long worst = 0;
	int i;

	*name = "-";
	for (i = 0; i < b->n; i++) {
		long d = cache_delta(a, &b->c[i]);

		if (d > worst) {
			worst = d;
			*name = b->c[i].name;
		}
	}
	return worst;
}

/*
 * Memory did not come back: a cache holds half an object per connection
 * more than at the baseline (at least 2048; an object lost per connection
 * or per socket shows), or Slab a tenth of the growth plus 2 MiB.  The
 * margins are what SLUB keeps per CPU (free objects of a CPU's slabs count
 * as active in /proc/slabinfo) and what RCU has not freed yet.
 */
static bool leaked(const struct snap *base, const struct snap *now,
		   long grown_kb)
{
	const char *name;

	return now->slab_kb - base->slab_kb > grown_kb / 10 + 2048 ||
	       worst_cache(base, now, &name) >
	       (nconns / 2 > 2048 ? nconns / 2 : 2048);
}

static int enter_ns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!strcmp(name, "-"))
		return 0;
	/* iproute2 keeps them in /run/netns (/var/run/netns on older systems). */
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/var/run/netns/%s", name);
		fd = open(path, O_RDONLY);
	}
	if (fd < 0)
		die(path);
	if (setns(fd, CLONE_NEWNET))
		die("setns");
	close(fd);
	return 0;
}

static void raise_nofile(long need)
{
	struct rlimit rl;
	char buf[32];
	FILE *f;
	long nr_open = 0;

	f = fopen("/proc/sys/fs/nr_open", "r");
	if (f) {
		if (fscanf(f, "%ld", &nr_open) != 1)
			nr_open = 0;
		fclose(f);
	}
	if (nr_open && nr_open < need) {
		snprintf(buf, sizeof(buf), "%ld", need);
		write_file("/proc/sys/fs/nr_open", buf);
	}
	rl.rlim_cur = need;
	rl.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit(RLIMIT_NOFILE)");
}

static int wait_fd(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };

	return poll(&p, 1, STEP_TIMEOUT_MS);
}

/*
 * Open @n connections, client fds into @cli, accepted ones into @srv.
 * Return how many were established at both ends.
 */
static long open_all(int family, const struct sockaddr_in *sin, int lfd,
		     int *cli, int *srv, long n)
{
	long done = 0, i;

	while (done < n) {
		long b = n - done < BATCH ? n - done : BATCH, got = 0;

		for (i = 0; i < b; i++) {
			int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);

			if (fd < 0)
				die("socket");
			if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) &&
			    errno != EINPROGRESS)
				die("connect");
			cli[done + i] = fd;
		}
		while (got < b) {
			int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

			if (fd >= 0) {
				srv[done + got++] = fd;
				continue;
			}
			if (errno != EAGAIN)
				die("accept");
			if (wait_fd(lfd, POLLIN) <= 0) {
				fprintf(stderr, "xtcpconns: accept: nothing for %d ms after %ld connections\n",
					STEP_TIMEOUT_MS, done + got);
				return done + got;
			}
		}
		for (i = 0; i < b; i++) {
			int err = 0;
			socklen_t el = sizeof(err);

			if (wait_fd(cli[done + i], POLLOUT) <= 0 ||
			    getsockopt(cli[done + i], SOL_SOCKET, SO_ERROR,
				       &err, &el) || err) {
				fprintf(stderr, "xtcpconns: connect %ld: %s\n",
					done + i, strerror(err ? err : ETIMEDOUT));
				return done + i;
			}
		}
		done += b;
	}
	return done;
}

static long count_established(const int *fds, long n)
{
	long i, est = 0;

	for (i = 0; i < n; i++) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);

		memset(&ti, 0, sizeof(ti));
		if (!getsockopt(fds[i], IPPROTO_TCP, TCP_INFO, &ti, &tl) &&
		    ti.tcpi_state == TCP_ESTABLISHED)
			est++;
	}
	return est;
}

static void abort_all(int *fds, long n)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	long i;

	for (i = 0; i < n; i++) {
		if (fds[i] < 0)
			continue;
		setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fds[i]);
		fds[i] = -1;
	}
}

/*
 * -T: clients close first; each accepted socket closes once it has read
 * the FIN, so every connection ends in TIME_WAIT at the client alone.
 * Return how many accepted sockets saw their FIN.
 */
static long close_to_time_wait(int *cli, int *srv, long n)
{
	struct pollfd *p = calloc(n, sizeof(*p));
	long i, done = 0;
	char c;

	if (!p)
		die("calloc");
	for (i = 0; i < n; i++) {
		close(cli[i]);
		cli[i] = -1;
		p[i].fd = srv[i];
		p[i].events = POLLIN;
	}
	while (done < n) {
		int r = poll(p, n, STEP_TIMEOUT_MS);

		if (r <= 0) {
			fprintf(stderr, "xtcpconns: no FIN for %d ms, %ld of %ld seen\n",
				STEP_TIMEOUT_MS, done, n);
			break;
		}
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			if (read(p[i].fd, &c, 1) > 0)
				continue;	/* no data was sent: not expected */
			close(p[i].fd);
			srv[i] = -1;
			p[i].fd = -1;
			done++;
		}
	}
	free(p);
	abort_all(srv, n);
	return done;
}

/*
 * Connections of @family in namespace @ns: those in TIME_WAIT and all the
 * others (LISTEN included), from /proc/net/xtcp or /proc/net/sockstat.
 */
static void count_conns(const char *ns, int family, int self, long *tw,
			long *other)
{
	char line[256], name[64];
	long n, inuse;
	FILE *f;

	*tw = *other = -1;
	enter_ns(ns);
	f = fopen(family == AF_INET ? "/proc/net/sockstat" : "/proc/net/xtcp",
		  "r");
	if (setns(self, CLONE_NEWNET))
		die("setns back");
	if (!f)
		return;
	*tw = *other = 0;
	while (fgets(line, sizeof(line), f)) {
		if (family == AF_INET) {
			if (sscanf(line, "TCP: inuse %ld orphan %*d tw %ld",
				   &inuse, &n) == 2) {
				*other = inuse;
				*tw = n;
			}
		} else if (sscanf(line, "%63s %ld", name, &n) == 2) {
			if (!strcmp(name, "TIME_WAIT"))
				*tw += n;
			else
				*other += n;
		}
	}
	fclose(f);
}

/* Wait until all @n connections are in TIME_WAIT and nothing else is left. */
static bool wait_time_wait(const char *sns, const char *cns, int family,
			   int self, long n)
{
	long tw, other, stw, sother;
	double t0 = now_s();

	for (;;) {
		count_conns(cns, family, self, &tw, &other);
		stw = 0;
		sother = 0;
		if (strcmp(sns, cns))
			count_conns(sns, family, self, &stw, &sother);
		if (tw == n && !other && !stw && !sother)
			return true;
		if (now_s() - t0 > STEP_TIMEOUT_MS / 1000) {
			fprintf(stderr, "xtcpconns: TIME_WAIT %ld, other %ld (client side), TIME_WAIT %ld, other %ld (server side)\n",
				tw, other, stw, sother);
			return false;
		}
		usleep(100000);
	}
}

int main(int argc, char **argv)
{
	const char *sns = "bs", *cns = "bc", *addr = "10.7.0.1", *label;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct snap base = { 0 }, held = { 0 }, after = { 0 };
	int family = xtcp_family(), port = 9000, one = 1, lfd, opt, self;
	long est_c, est_s, opened, worst, grown;
	const char *wname;
	int *cli, *srv, status = 0;
	double t0;

	while ((opt = getopt(argc, argv, "4n:s:c:a:p:t:w:k:T")) != -1) {
		switch (opt) {
		case '4':
			family = AF_INET;
			break;
		case 'n':
			nconns = atol(optarg);
			break;
		case 's':
			sns = optarg;
			break;
		case 'c':
			cns = optarg;
			break;
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 't':
			top = atoi(optarg);
			break;
		case 'w':
			wait_s = atoi(optarg);
			break;
		case 'k':
			keep = atol(optarg);
			break;
		case 'T':
			tw_mode = true;
			break;
		default:
			fprintf(stderr, "usage: xtcpconns [-4] [-n N] [-s NS] [-c NS] [-a ADDR] [-p PORT] [-t TOP] [-w SECONDS] [-k KEEP] [-T]\n");
			return 4;
		}
	}
	if (nconns < 1 || family < 0 || inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "xtcpconns: bad arguments (or no xtcp family)\n");
		return 4;
	}
	label = family == AF_INET ? "linux tcp" : "xtcp";
	sin.sin_port = htons(port);
	raise_nofile(2 * nconns + 64);
	cli = calloc(nconns, sizeof(*cli));
	srv = calloc(nconns, sizeof(*srv));
	if (!cli || !srv)
		die("calloc");
	memset(cli, -1, nconns * sizeof(*cli));
	memset(srv, -1, nconns * sizeof(*srv));
	self = open("/proc/self/ns/net", O_RDONLY);
	if (self < 0)
		die("/proc/self/ns/net");

	take(&base);

	enter_ns(sns);
	lfd = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind");
	if (listen(lfd, 2 * BATCH))
		die("listen");
	enter_ns(cns);

	t0 = now_s();
	opened = open_all(family, &sin, lfd, cli, srv, nconns);
	est_c = count_established(cli, opened);
	est_s = count_established(srv, opened);
	printf("%s: %ld of %ld connections established in %.1f s (ESTABLISHED: %ld clients, %ld accepted)\n",
	       label, est_c < est_s ? est_c : est_s, nconns, now_s() - t0,
	       est_c, est_s);
	if (est_c != nconns || est_s != nconns)
		status = 1;

	take(&held);
	report(label, "both ends counted (2 sockets each)", &base, &held);

	if (tw_mode) {
		long fins = close_to_time_wait(cli, srv, nconns);
		bool all;

		close(lfd);
		all = wait_time_wait(sns, cns, family, self, nconns);
		printf("%s: %ld connections closed, %s in TIME_WAIT at the client alone\n",
		       label, fins, all ? "all" : "not all");
		if (!all)
			status |= 1;
		take(&after);
		report(label, "in TIME_WAIT at the client (nothing else left)",
		       &base, &after);
		if (!wait_s)
			return status;
	} else {
		/* -k: connections left open, to see the leak check fire. */
		if (keep > nconns)
			keep = nconns;
		abort_all(cli + keep, nconns - keep);
		abort_all(srv + keep, nconns - keep);
		close(lfd);
	}
	if (setns(self, CLONE_NEWNET))
		die("setns back");

	/* Sockets, inodes and dentries go back after RCU grace periods. */
	grown = held.slab_kb - base.slab_kb;
	t0 = now_s();
	for (;;) {
		take(&after);
		worst = worst_cache(&base, &after, &wname);
		if (!leaked(&base, &after, grown) || now_s() - t0 > wait_s)
			break;
		usleep(200000);
	}
	printf("%s: after closing (%.1f s): Slab %+ld KiB from the baseline (%ld bytes/connection), MemAvailable %+ld KiB; most objects left: %ld in %s\n",
	       label, now_s() - t0, after.slab_kb - base.slab_kb,
	       (after.slab_kb - base.slab_kb) * 1024 / nconns,
	       after.avail_kb - base.avail_kb, worst, wname);
	if (leaked(&base, &after, grown)) {
		printf("%s: memory did not come back within %d s: leak?\n",
		       label, wait_s);
		report(label, "what is left after closing", &base, &after);
		status |= 2;
	}
	return status;
}
