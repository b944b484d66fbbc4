// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_synflood: SYN queue and SYN cookies (RFC 4987) under a SYN flood,
 * over Linux TCP and over xtcp.
 *
 * A flooder in namespace A sends SYNs from random addresses of
 * 10.99.0.0/16 and random ports to the listener in B (raw socket, one
 * SYN per sendto); B routes 10.99.0.0/16 back to A, which does not
 * forward, so every SYN,ACK is lost and every flood connection stays
 * half-open.  Once the SYN queue is full, the client in A opens 200 real
 * connections while the flood goes on.
 *
 *  - syncookies=1: all 200 connect and carry data both ways, byte-exact;
 *    xtcp counts exactly 200 SyncookiesRecv.
 *  - syncookies=0: the queue stays full, real connections fail, and each
 *    failed one has at least one SYN in ListenDrops.
 *  - Memory stays bounded: the SYN_RECV count never exceeds
 *    net.xtcp.max_syn_backlog (for Linux TCP: the listen backlog plus
 *    one, its SYN queue limit), and xtcp's sockets (all states of /proc/net/xtcp,
 *    and the XTCP slab when /proc/slabinfo lists it) stay below the queue
 *    plus the real connections.
 *  - A forged ACK (wrong cookie) and a cookie replayed from another tuple
 *    create no connection, count SyncookiesFailed and are answered with a
 *    RST, as Linux does; the genuine ACK then connects.
 *
 * Each run prints a "# synflood ..." TAP comment with its counters, so
 * the Linux TCP and xtcp lines can be read side by side.
 *
 * XTCP_SYNFLOOD_SYNS sets the number of flood SYNs (default 100000); use
 * a smaller value only on the debug kernel, which is about five times
 * slower under TCG.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture.h"

#define PORT		5000
#define NREAL		200
#define SYN_BACKLOG	128	/* net.xtcp.max_syn_backlog */
#define LISTEN_BACKLOG	256
#define UP_BYTES	3000
#define DOWN_BYTES	1000

XTCP_FIXTURE(synflood);

struct flood {
	int fd;			/* raw socket in A */
	int ipproto;
	long n;			/* SYNs to send */
	volatile long sent;
	volatile int stop;
	volatile int done;	/* flood_run() returned */
	double secs;		/* how long the flood took */
};

static uint32_t xs32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, int len)
{
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/* One SYN with an MSS option from 10.99.x.y:port to 10.0.0.2:PORT. */
static void *flood_run(void *arg)
{
	struct flood *f = arg;
	struct sockaddr_in d = { .sin_family = AF_INET };
	uint32_t seed = 0x9e3779b9;
	uint8_t pkt[44], *h = pkt + 20;

	double t0 = now_s();

	inet_pton(AF_INET, IP_B, &d.sin_addr);
	for (f->sent = 0; f->sent < f->n && !f->stop; f->sent++) {
		uint32_t r = xs32(&seed), isn = xs32(&seed), sum;
		uint8_t ph[12];

		memset(pkt, 0, sizeof(pkt));
		pkt[0] = 0x45;
		pkt[3] = sizeof(pkt);
		pkt[8] = 64;
		pkt[9] = f->ipproto;
		pkt[12] = 10;
		pkt[13] = 99;
		pkt[14] = r >> 24;
		pkt[15] = (r >> 16) | 1;
		memcpy(pkt + 16, &d.sin_addr, 4);
		h[0] = 0x80 | (r >> 9);	/* ports 32768..65535 */
		h[1] = r;
		h[2] = PORT >> 8;
		h[3] = PORT & 0xff;
		h[4] = isn >> 24;
		h[5] = isn >> 16;
		h[6] = isn >> 8;
		h[7] = isn;
		h[12] = 6 << 4;
		h[13] = F_SYN;
		h[14] = 0xff;
		h[15] = 0xff;
		h[20] = 2;		/* MSS 1460 */
		h[21] = 4;
		h[22] = 1460 >> 8;
		h[23] = 1460 & 0xff;
		memcpy(ph, pkt + 12, 8);
		ph[8] = 0;
		ph[9] = f->ipproto;
		ph[10] = 0;
		ph[11] = 24;
		sum = sum16(sum16(0, ph, 12), h, 24);
		sum = fold(sum);
		h[16] = sum >> 8;
		h[17] = sum;
		if (sendto(f->fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&d,
			   sizeof(d)) != sizeof(pkt))
			break;
	}
	f->secs = now_s() - t0;
	f->done = 1;
	return NULL;
}

/* Counters by Linux's names: xtcp_stat, or Linux's Tcp:/TcpExt: (lib.c). */
static long ctr(struct topo *t, const char *name)
{
	long val = -1;

	return read_counter(t, SIDE_B, name, &val) ? -1 : val;
}

/*
 * Active objects of the XTCP slab, or -1 if /proc/slabinfo lacks it.
 * The cache is shrunk first: SLUB counts objects freed into per-CPU
 * slabs as active, and KASAN (the debug kernel) keeps freed objects in
 * its quarantine, which only a shrink of the cache releases; without it
 * the figure counted sockets freed long ago (537 after a run whose
 * sockets never exceeded 129).
 */
static long slab_xtcp(void)
{
	char line[512], name[64];
	long act = -1, n;
	FILE *f = fopen("/sys/kernel/slab/XTCP/shrink", "w");

	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", name, &n) == 2 && !strcmp(name, "XTCP"))
			act = n;
	fclose(f);
	return act;
}

struct watch {
	int max_synrecv;
	int max_socks;
};

static void watch_sample(struct topo *t, struct watch *w)
{
	struct states s;
	int i, n = 0;

	if (read_states(t, SIDE_B, &s))
		return;
	for (i = 0; i < ST_N; i++)
		n += s.n[i];
	if (s.n[ST_SYN_RECV] > w->max_synrecv)
		w->max_synrecv = s.n[ST_SYN_RECV];
	if (n > w->max_socks)
		w->max_socks = n;
}

static long flood_syns(void)
{
	const char *e = getenv("XTCP_SYNFLOOD_SYNS");

	return e ? atol(e) : 100000;
}

struct run {
	int ok, failed;
	long sent, drops, ck_sent, ck_recv, ck_failed;
	struct watch w;
	double secs, flood_secs, connect_secs, data_secs;
};

/*
 * Flood, and once the queue is full open NREAL connections; wait for
 * them up to @wait_ms.  The established ones carry data both ways.
 */
static void run_flood(struct __test_metadata *_metadata, struct topo *t,
		      int cookies, int wait_ms, struct run *res)
{
	struct flood f = { .ipproto = t->ipproto, .n = flood_syns() };
	int cfd[NREAL], cport[NREAL], done[NREAL];
	long drops0, sent0, recv0, failed0;
	int lfd, i, pending, syn_limit;
	double t0 = now_s(), t1;
	pthread_t th;
	int64_t end, idle_end = 0;
	long last;

	memset(res, 0, sizeof(*res));
	ASSERT_EQ(0, fam_sysctl_set(t, SIDE_B, "syncookies", cookies));
	/*
	 * Linux's SYN queue holds one more than the listen backlog
	 * (inet_csk_reqsk_queue_is_full() compares with ">"); its
	 * tcp_max_syn_backlog only drops, with cookies off, beyond 3/4 of
	 * itself, so it is set high enough not to be the limit.
	 */
	syn_limit = t->kind == FAM_XTCP ? SYN_BACKLOG : LISTEN_BACKLOG + 1;
	ASSERT_EQ(0, fam_sysctl_set(t, SIDE_B, "max_syn_backlog",
				    t->kind == FAM_XTCP ? SYN_BACKLOG : 4 * LISTEN_BACKLOG));
	ASSERT_EQ(0, ns_sh(t->ns[SIDE_B], "/sbin/ip route add 10.99.0.0/16 via 10.0.0.1 dev xb"));
	lfd = listen_on(t, PORT, LISTEN_BACKLOG);
	ASSERT_GE(lfd, 0);
	ASSERT_EQ(0, set_nonblock(lfd, true));
	f.fd = ns_socket(t->ns[SIDE_A], AF_INET, SOCK_RAW, IPPROTO_RAW);
	ASSERT_GE(f.fd, 0);

	drops0 = ctr(t, "ListenDrops");
	sent0 = ctr(t, "SyncookiesSent");
	recv0 = ctr(t, "SyncookiesRecv");
	failed0 = ctr(t, "SyncookiesFailed");
	ASSERT_GE(sent0, 0);
	ASSERT_EQ(0, pthread_create(&th, NULL, flood_run, &f));

	/* The queue is full before the real clients start. */
	end = now_ms() + 30000;
	do {
		watch_sample(t, &res->w);
		usleep(2000);
	} while (res->w.max_synrecv < syn_limit && now_ms() < end);
	ASSERT_EQ(syn_limit, res->w.max_synrecv) TH_LOG("SYN queue never filled");

	for (i = 0; i < NREAL; i++) {
		struct sockaddr_in a = addr_of(SIDE_B, PORT);

		cfd[i] = topo_socket(t, SIDE_A);
		ASSERT_GE(cfd[i], 0);
		ASSERT_EQ(0, set_nonblock(cfd[i], true));
		ASSERT_EQ(-1, connect(cfd[i], (struct sockaddr *)&a, sizeof(a)));
		ASSERT_EQ(EINPROGRESS, errno);
		cport[i] = sock_port(cfd[i]);
		done[i] = 0;
	}
	end = now_ms() + wait_ms;
	for (pending = NREAL; pending && now_ms() < end;) {
		struct pollfd p[NREAL];
		int map[NREAL], n = 0;

		for (i = 0; i < NREAL; i++)
			if (!done[i]) {
				p[n].fd = cfd[i];
				p[n].events = POLLOUT;
				map[n++] = i;
			}
		poll(p, n, 20);
		for (i = 0; i < n; i++)
			if (p[i].revents) {
				done[map[i]] = get_so_error(cfd[map[i]]) ? -1 : 1;
				pending--;
			}
		watch_sample(t, &res->w);
	}
	res->connect_secs = now_s() - t0;
	for (i = 0; i < NREAL; i++) {
		if (done[i] == 1)
			res->ok++;
		else
			res->failed++;
	}
	/*
	 * The flood ends by itself; it has failed only if it stops
	 * advancing (a slow machine takes its time: 84 s for 20,000 SYNs
	 * on the debug kernel of one CI host).
	 */
	for (last = -1; !f.done;) {
		if (f.sent != last) {
			last = f.sent;
			idle_end = now_ms() + 30000;
		}
		if (now_ms() > idle_end)
			break;
		watch_sample(t, &res->w);
		usleep(10000);
	}
	f.stop = 1;
	pthread_join(th, NULL);
	watch_sample(t, &res->w);
	res->sent = f.sent;
	res->flood_secs = f.secs;
	t1 = now_s();

	/* The established ones carry data, byte-exact, both ways. */
	for (i = 0; i < res->ok; i++) {
		struct sockaddr_in peer;
		socklen_t pl = sizeof(peer);
		uint8_t up[UP_BYTES], down[DOWN_BYTES];
		int sfd, k;

		ASSERT_NE(0, wait_revents(lfd, POLLIN, POLLIN, 5000));
		sfd = accept(lfd, (struct sockaddr *)&peer, &pl);
		ASSERT_GE(sfd, 0);
		ASSERT_EQ(0, set_nonblock(sfd, false));
		for (k = 0; k < NREAL; k++)
			if (cport[k] == ntohs(peer.sin_port))
				break;
		ASSERT_LT(k, NREAL);
		ASSERT_EQ(1, done[k]);
		ASSERT_EQ(0, set_nonblock(cfd[k], false));
		fill_pattern(up, sizeof(up), 0, k);
		ASSERT_EQ((ssize_t)sizeof(up), write_all(cfd[k], up, sizeof(up), 5000));
		memset(up, 0, sizeof(up));
		ASSERT_EQ((ssize_t)sizeof(up), read_exact(sfd, up, sizeof(up), 5000));
		ASSERT_EQ(-1, check_pattern(up, sizeof(up), 0, k));
		fill_pattern(down, sizeof(down), 0, k + NREAL);
		ASSERT_EQ((ssize_t)sizeof(down), write_all(sfd, down, sizeof(down), 5000));
		memset(down, 0, sizeof(down));
		ASSERT_EQ((ssize_t)sizeof(down), read_exact(cfd[k], down, sizeof(down), 5000));
		ASSERT_EQ(-1, check_pattern(down, sizeof(down), 0, k + NREAL));
		close(sfd);
	}
	res->data_secs = now_s() - t1;
	for (i = 0; i < NREAL; i++)
		close(cfd[i]);

	res->drops = ctr(t, "ListenDrops") - drops0;
	res->ck_sent = ctr(t, "SyncookiesSent") - sent0;
	res->ck_recv = ctr(t, "SyncookiesRecv") - recv0;
	res->ck_failed = ctr(t, "SyncookiesFailed") - failed0;
	res->secs = now_s() - t0;
	printf("# synflood %s syncookies=%d: %ld SYNs, %d/%d connected, max SYN_RECV %d (limit %d), max sockets %d, slab XTCP %ld, ListenDrops %ld, SyncookiesSent %ld, SyncookiesRecv %ld, SyncookiesFailed %ld; flood %.1f s, connects done at %.1f s, data %.1f s, all %.1f s\n",
	       fam_name(t->kind), cookies, res->sent, res->ok, NREAL,
	       res->w.max_synrecv, syn_limit, res->w.max_socks, slab_xtcp(),
	       res->drops, res->ck_sent, res->ck_recv, res->ck_failed, res->flood_secs,
	       res->connect_secs, res->data_secs, res->secs);
	fflush(stdout);

	ASSERT_EQ(f.n, res->sent) TH_LOG("the flood failed or stalled");
	/*
	 * Bounded memory is xtcp's promise; Linux's count of request sockets
	 * may pass its limit by a few for a moment (seen on the debug kernel:
	 * 260 of 257), so its figures are only reported.
	 */
	if (t->kind == FAM_XTCP) {
		ASSERT_LE(res->w.max_synrecv, syn_limit);
		/* the queue, the real pairs, the listener */
		ASSERT_LE(res->w.max_socks, SYN_BACKLOG + 2 * NREAL + 1);
	}
	close(lfd);
	close(f.fd);
}

TEST_F_TIMEOUT(synflood, cookies_on, 300)
{
	long slab0 = slab_xtcp(), slab1;
	struct run r;

	run_flood(_metadata, T, 1, 20000, &r);
	EXPECT_EQ(NREAL, r.ok);
	EXPECT_EQ(0, r.failed);
	/*
	 * Every SYN that found the queue full got a cookie.  Asserted for
	 * xtcp only: Linux's request timer retires old requests early once
	 * its queue is more than half full (after two SYN,ACK resends,
	 * ~7 s), and a flood slower than that refills the queue without
	 * cookies (seen on the debug kernel: 18487 cookies for 20000 SYNs in
	 * 69 s); its figure is reported above.
	 */
	if (variant->kind == FAM_XTCP) {
		EXPECT_GE(r.ck_sent, r.sent - r.w.max_synrecv - 1000);
		/* Every real connection came through a cookie, exactly once. */
		EXPECT_EQ(NREAL, r.ck_recv);
		EXPECT_EQ(0, r.ck_failed);
		slab1 = slab_xtcp();
		if (slab0 >= 0 && slab1 >= 0)
			EXPECT_LE(slab1, slab0 + SYN_BACKLOG + 2 * NREAL + 64);
	}
}

TEST_F_TIMEOUT(synflood, cookies_off, 300)
{
	struct run r;

	run_flood(_metadata, T, 0, 3000, &r);
	EXPECT_GT(r.failed, 0);
	EXPECT_EQ(NREAL, r.ok + r.failed);
	/* Each failed connection lost at least its first SYN to the full queue. */
	EXPECT_GE(r.drops, r.failed);
	EXPECT_EQ(0, r.ck_sent);
	EXPECT_EQ(0, r.ck_recv);
	if (variant->kind == FAM_XTCP) {
		/* Only the full SYN queue dropped: the flood minus the queue. */
		EXPECT_GE(r.drops, r.sent - SYN_BACKLOG);
		EXPECT_EQ(r.w.max_synrecv, SYN_BACKLOG);
	}
}

/* Send SYN from 10.0.0.1:sport and return the cookie SYN,ACK's ISN. */
static int get_cookie(struct topo *t, int rfd, int sport, uint32_t isn, uint32_t *cookie)
{
	static const uint8_t mss[4] = { 2, 4, 1460 >> 8, 1460 & 0xff };
	struct seg s;

	if (raw_send(t, SIDE_A, IP_A, IP_B, sport, PORT, isn, 0, F_SYN, 65535,
		     mss, sizeof(mss), NULL, 0))
		return -1;
	if (raw_recv(rfd, &s, PORT, sport, F_SYN | F_ACK, F_SYN | F_ACK | F_RST, 3000))
		return -1;
	if (s.ack != isn + 1)
		return -1;
	*cookie = s.seq;
	return 0;
}

TEST_F(synflood, forged_ack)
{
	uint32_t isn = 1000000, c1, c2;
	long f0, r0;
	struct seg s;
	int lfd, rfd, sfd;

	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "syncookies", 2));
	lfd = listen_on(T, PORT, 16);
	ASSERT_GE(lfd, 0);
	ASSERT_EQ(0, set_nonblock(lfd, true));
	rfd = raw_open(T, SIDE_A);
	ASSERT_GE(rfd, 0);
	/* A's own stack would answer the SYN,ACKs with RSTs: drop them. */
	ASSERT_EQ(0, tc_drop(T, SIDE_A, 10, F_RST, F_RST));

	ASSERT_EQ(0, get_cookie(T, rfd, 40001, isn, &c1));
	ASSERT_EQ(0, get_cookie(T, rfd, 40002, isn + 5000, &c2));
	f0 = ctr(T, "SyncookiesFailed");
	r0 = ctr(T, "SyncookiesRecv");

	/* A wrong cookie. */
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40001, PORT, isn + 1,
			      c1 + 1 + 0x1000, F_ACK, 1000, NULL, 0, NULL, 0));
	ASSERT_EQ(0, raw_recv(rfd, &s, PORT, 40001, F_RST, F_RST, 3000));
	EXPECT_EQ(c1 + 1 + 0x1000, s.seq);
	EXPECT_EQ(f0 + 1, ctr(T, "SyncookiesFailed"));
	/* 40002's cookie replayed on 40001's tuple, and on another ISN. */
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40001, PORT, isn + 1,
			      c2 + 1, F_ACK, 1000, NULL, 0, NULL, 0));
	ASSERT_EQ(0, raw_recv(rfd, &s, PORT, 40001, F_RST, F_RST, 3000));
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40002, PORT, isn + 2,
			      c2 + 1, F_ACK, 1000, NULL, 0, NULL, 0));
	ASSERT_EQ(0, raw_recv(rfd, &s, PORT, 40002, F_RST, F_RST, 3000));
	EXPECT_EQ(f0 + 3, ctr(T, "SyncookiesFailed"));
	EXPECT_EQ(r0, ctr(T, "SyncookiesRecv"));
	EXPECT_EQ(-1, accept(lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);

	/* The genuine ACK connects. */
	ASSERT_EQ(0, raw_send(T, SIDE_A, IP_A, IP_B, 40001, PORT, isn + 1,
			      c1 + 1, F_ACK, 1000, NULL, 0, NULL, 0));
	ASSERT_NE(0, wait_revents(lfd, POLLIN, POLLIN, 3000));
	sfd = accept(lfd, NULL, NULL);
	EXPECT_GE(sfd, 0);
	EXPECT_EQ(r0 + 1, ctr(T, "SyncookiesRecv"));
	EXPECT_EQ(f0 + 3, ctr(T, "SyncookiesFailed"));
	printf("# synflood %s forged ACK: SyncookiesFailed +%ld, SyncookiesRecv +%ld\n",
	       fam_name(T->kind), ctr(T, "SyncookiesFailed") - f0,
	       ctr(T, "SyncookiesRecv") - r0);
	if (sfd >= 0)
		close(sfd);
	close(rfd);
	close(lfd);
}

TEST_HARNESS_MAIN
