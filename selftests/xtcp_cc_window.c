// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_cc_window: the congestion window of a bulk xtcp sender, read from
 * the xtcp:xtcp_cong_state tracepoint, follows the algorithm, for each of
 * reno, newreno and cubic (the fixture's variants).
 *
 * Two namespaces (lib.c's topology) with netem delay DELAY_MS on both
 * egresses (RTT 2 * DELAY_MS), a client A that always has data to send
 * (buffers forced large, so only cwnd limits it) and a server B that reads
 * all the time.  Exactly one data segment, the SEG_LOST-th, is lost: a u32
 * filter on B's ingress matches its sequence number (ISN + 1 + SEG_LOST *
 * MSS: the sender writes whole segments) with "gact drop random determ ok
 * 2", which drops the first copy and passes the second, so the loss is
 * repaired by one fast retransmit whatever the timing.  After CA_MS of
 * congestion avoidance every segment from A is dropped until the sender
 * reports a timeout (TCP_INFO tcpi_ca_state Loss), then the link heals.
 *
 * From the events of A's connection (the trace clock is set to "mono", so
 * event times compare with CLOCK_MONOTONIC):
 *
 *  1. slow start: no event lowers cwnd; none raises it by more than the
 *     segments in flight (at most cwnd before it), and the window grows
 *     by 1.5 to 2.5 per round trip: from the first event with cwnd >= b
 *     to the first with cwnd >= b * 2^m (b = 12 and 16, m >= 3 as far as
 *     slow start went), 2^(m * RTT / time) is within [1.5, 2.5] (RTT: the
 *     mean of TCP_INFO's tcpi_rtt sampled every 5 ms meanwhile, since
 *     under emulation a round can take longer than the netem delay);
 *  2. fast retransmit: the first Recovery event sets cwnd = ssthresh,
 *     reno/newreno ssthresh = FlightSize / 2 (2 * ssthresh within
 *     cwnd before +/- 2, FlightSize being cwnd for a sender that fills
 *     it), cubic ssthresh = 0.7 * cwnd before (+/- 1); recovery ends in
 *     Open with cwnd = ssthresh;
 *  3. congestion avoidance: reno/newreno raise cwnd by exactly one per
 *     event, and by 0.7 to 1.3 per smoothed RTT in all; cubic stays
 *     within W_cubic(t) of RFC 9438 (C = 0.4, W_max = cwnd before the
 *     loss, K from the window after it): cwnd <= W_cubic(t + 2 RTT) + 2
 *     at every event and >= W_cubic(t - 2 RTT) - 2 at the end;
 *  4. timeout: the first Loss event has cwnd 1 and ssthresh computed as
 *     in 2 from the window before it; slow start then regains ssthresh,
 *     every event within slow start's bounds, and the state returns to
 *     Open.
 *
 * Needs tracefs at /sys/kernel/tracing, netem, u32 and gact with
 * CONFIG_GACT_PROB (the deterministic drop; the test is skipped without
 * it).  Durations and windows are printed as "#" comments.
 */
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/tcp.h>

#include "kselftest_harness.h"
#include "lib.h"

#define TRACEFS		"/sys/kernel/tracing"
#define EVENT		TRACEFS "/events/xtcp/xtcp_cong_state/enable"
#define PORT		7400
#define DELAY_MS	50
#define RTT_S		(2 * DELAY_MS / 1000.0)
#define SEG_LOST	200		/* in the 5th round of slow start */
#define CA_MS		3000
#define BUF_BYTES	(4 << 20)
#define INF_SSTHRESH	0x7fffffffU
#define MAX_EVENTS	200000
#define MAX_RTT_SAMPLES	4096
#define LOSS_PRIO	30
#define DROP_PRIO	31

enum { CA_OPEN = 0, CA_DISORDER = 1, CA_CWR = 2, CA_RECOVERY = 3, CA_LOSS = 4 };

struct ev {
	double t;
	unsigned int cwnd, ssthresh;
	int state;
};

struct flow {
	int cfd, sfd, mss;
	atomic_int stop;
	char *buf;
	size_t chunk;
};

static int write_file(const char *path, const char *val, int flags)
{
	int fd = open(path, O_WRONLY | flags);
	int r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static int state_of(const char *s)
{
	static const char *const names[] = { "Open", "Disorder", "CWR", "Recovery", "Loss" };

	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/*
 * The xtcp_cong_state events of the connection from A:sport, in order.
 * A line: "... 123.456789: xtcp_cong_state: 10.0.0.1:P -> 10.0.0.2:Q
 * cwnd=N ssthresh=N ca_state=NAME".
 */
static int read_events(int sport, struct ev *evs, int max)
{
	char line[512], want[64], st[32];
	FILE *f = fopen(TRACEFS "/trace", "r");
	int n = 0;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), " xtcp_cong_state: %s:%d -> ", IP_A, sport);
	while (fgets(line, sizeof(line), f) && n < max) {
		char *p = strstr(line, want), *ts;
		struct ev e;

		if (!p)
			continue;
		/* The timestamp ends with ':' just before the event name. */
		*p = 0;
		ts = strrchr(line, ' ');
		if (!ts)
			continue;
		e.t = strtod(ts + 1, NULL);
		p = strstr(p + 1, " cwnd=");
		if (!p || sscanf(p, " cwnd=%u ssthresh=%u ca_state=%31s",
				 &e.cwnd, &e.ssthresh, st) != 3)
			continue;
		e.state = state_of(st);
		evs[n++] = e;
	}
	fclose(f);
	return n;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whole chunks of whole segments: every segment is MSS long. */
static void *sender(void *arg)
{
	struct flow *f = arg;

	while (!atomic_load(&f->stop)) {
		ssize_t w = send(f->cfd, f->buf, f->chunk, MSG_NOSIGNAL);

		if (w < 0 && errno != EAGAIN && errno != EINTR)
			break;
	}
	return NULL;
}

static void *receiver(void *arg)
{
	struct flow *f = arg;
	static char buf[1 << 18];

	while (!atomic_load(&f->stop)) {
		ssize_t r = recv(f->sfd, buf, sizeof(buf), 0);

		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			break;
	}
	return NULL;
}

/* Packets dropped by the backlog queues of all CPUs (softnet_stat's 2nd). */
static long softnet_drops(void)
{
	FILE *f = fopen("/proc/net/softnet_stat", "r");
	unsigned int processed, dropped;
	long sum = 0;
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %x", &processed, &dropped) == 2)
			sum += dropped;
	fclose(f);
	return sum;
}

/* Where a loss the test did not make could come from, for its message. */
struct loss_causes {
	long ooo, rcvq, backlog, ofo_pruned, softnet;
};

static void read_causes(struct topo *t, struct loss_causes *c)
{
	memset(c, 0, sizeof(*c));
	read_counter(t, SIDE_B, "OutOfOrder", &c->ooo);
	read_counter(t, SIDE_B, "RcvQueueDrops", &c->rcvq);
	read_counter(t, SIDE_B, "BacklogDrops", &c->backlog);
	read_counter(t, SIDE_B, "OfoPruned", &c->ofo_pruned);
	c->softnet = softnet_drops();
}

/* The algorithm's ssthresh after a loss with cwnd (= FlightSize) w. */
static bool ssthresh_ok(const char *cc, unsigned int w, unsigned int ss)
{
	if (!strcmp(cc, "cubic"))
		return fabs(ss - (w < 3 ? 2.0 : w * 0.7)) <= 1.0;
	return ss >= 2 && (2.0 * ss >= w - 2.0 && 2.0 * ss <= w + 2.0);
}

static double cubic_w(double t, double w_max, double w_epoch)
{
	double k = cbrt((w_max - w_epoch) / 0.4);

	return 0.4 * pow(t - k, 3) + w_max;
}

/*
 * The RTT of a stretch of slow start: the mean of the smoothed RTT
 * sampled from t1 to t2 (each sample reflects the ACKs of the last few
 * segments); the nominal RTT if nothing was sampled then.
 */
static double rtt_between(const double *t, const double *v, int n,
			  double t1, double t2)
{
	double sum = 0;
	int k = 0;

	for (int i = 0; i < n; i++)
		if (t[i] >= t1 && t[i] <= t2) {
			sum += v[i];
			k++;
		}
	return k ? sum / k : RTT_S;
}

/* The time of the first event (of the first n) with cwnd >= w. */
static double first_at(const struct ev *ev, int n, unsigned int w)
{
	for (int i = 0; i < n; i++)
		if (ev[i].cwnd >= w)
			return ev[i].t;
	return -1;
}

FIXTURE(ccw) {
	struct topo t;
};

FIXTURE_VARIANT(ccw) {
	const char *cc;
};

FIXTURE_VARIANT_ADD(ccw, reno) { .cc = "reno" };
FIXTURE_VARIANT_ADD(ccw, newreno) { .cc = "newreno" };
FIXTURE_VARIANT_ADD(ccw, cubic) { .cc = "cubic" };

static char old_bufkb[32];

FIXTURE_SETUP(ccw)
{
	FILE *bf;

	self->t.ns[0] = self->t.ns[1] = -1;
	signal(SIGPIPE, SIG_IGN);
	if (!fam_available(FAM_XTCP)) {
		if (fam_required())
			ASSERT_TRUE(0) TH_LOG("xtcp unavailable");
		SKIP(return, "xtcp unavailable");
	}
	if (access(EVENT, W_OK))
		SKIP(return, "no xtcp_cong_state event in " TRACEFS);
	/*
	 * The window arithmetic needs a sender that keeps cwnd full (100+
	 * segments per 100 ms RTT); the KASAN+lockdep kernel under TCG cannot
	 * (measured: +0.24 segments per RTT in congestion avoidance, not
	 * cwnd-limited), so scripts/test sets XTCP_SLOW_KERNEL there.
	 */
	if (getenv("XTCP_SLOW_KERNEL"))
		SKIP(return, "the sender cannot fill cwnd on this kernel");
	ASSERT_EQ(0, topo_setup(&self->t, FAM_XTCP)) TH_LOG("%s", self->t.err);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(0, ns_sh(self->t.ns[i], "tc qdisc add dev %s root netem delay %dms limit 100000",
				   i == SIDE_A ? "xa" : "xb", DELAY_MS)) TH_LOG("netem");
	ASSERT_EQ(0, write_file(TRACEFS "/trace_clock", "mono", 0));
	bf = fopen(TRACEFS "/buffer_size_kb", "r");
	if (bf) {
		if (!fgets(old_bufkb, sizeof(old_bufkb), bf))
			old_bufkb[0] = 0;
		fclose(bf);
	}
	ASSERT_EQ(0, write_file(TRACEFS "/buffer_size_kb", "8192", 0));
	ASSERT_EQ(0, write_file(TRACEFS "/tracing_on", "1", 0));
	ASSERT_EQ(0, write_file(EVENT, "1", 0));
	ASSERT_EQ(0, write_file(TRACEFS "/trace", "", O_TRUNC));
}

FIXTURE_TEARDOWN(ccw)
{
	write_file(EVENT, "0", 0);
	write_file(TRACEFS "/trace_clock", "local", 0);
	if (old_bufkb[0] >= '0' && old_bufkb[0] <= '9')
		write_file(TRACEFS "/buffer_size_kb", old_bufkb, 0);
	topo_teardown(&self->t);
}

#define T (&self->t)

TEST_F_TIMEOUT(ccw, window, 180)
{
	const char *cc = variant->cc;
	struct sockaddr_in a = addr_of(SIDE_B, PORT);
	int big = BUF_BYTES, one = 1, lfd, raw, sport, n, i;
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	pthread_t tx, rx;
	struct tcp_info ti;
	struct flow f = { .cfd = -1, .sfd = -1 };
	char name[32] = "";
	socklen_t len;
	struct seg syn;
	struct ev *ev;
	double t_start, t_drop, srtt_s;
	int64_t end;
	int r_idx = -1, x_idx = -1, l_idx = -1, ss_end, ok_idx;
	unsigned int ss_max = 0;
	static double rtt_t[MAX_RTT_SAMPLES], rtt_v[MAX_RTT_SAMPLES];
	int n_rtt = 0;
	struct loss_causes c0, c1;

	/*
	 * One CPU for the test's threads (lib.c), so for the softirqs and
	 * netem timers they start: with two, netem's release and the
	 * sender's own transmits can feed both CPUs' backlog queues, which
	 * reorders segments, and three duplicate ACKs of a reordering are a
	 * second "loss" the test did not make.
	 */
	ASSERT_EQ(0, pin_cpu0());
	read_causes(T, &c0);

	/* B: a listener whose children can take everything in flight. */
	lfd = topo_socket(T, SIDE_B);
	ASSERT_LE(0, lfd);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ASSERT_EQ(0, setsockopt(lfd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)));
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(lfd, 4));
	raw = raw_open(T, SIDE_B);
	ASSERT_LE(0, raw);

	/* A: the algorithm under test and a send buffer beyond any cwnd. */
	f.cfd = topo_socket(T, SIDE_A);
	ASSERT_LE(0, f.cfd);
	ASSERT_EQ(0, setsockopt(f.cfd, IPPROTO_TCP, TCP_CONGESTION, cc, strlen(cc)))
		TH_LOG("TCP_CONGESTION %s: %s", cc, strerror(errno));
	len = sizeof(name);
	ASSERT_EQ(0, getsockopt(f.cfd, IPPROTO_TCP, TCP_CONGESTION, name, &len));
	ASSERT_STREQ(cc, name);
	ASSERT_EQ(0, setsockopt(f.cfd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)));
	ASSERT_EQ(0, setsockopt(f.cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, connect(f.cfd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_LE(0, poll1(lfd, POLLIN, 5000));
	f.sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, f.sfd);
	ASSERT_EQ(0, setsockopt(f.sfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	sport = sock_port(f.cfd);
	ASSERT_EQ(0, raw_recv(raw, &syn, sport, PORT, F_SYN, F_SYN | F_ACK, 5000));
	close(raw);
	ASSERT_EQ(0, get_info(f.cfd, &ti));
	f.mss = ti.tcpi_snd_mss;
	ASSERT_LT(500, f.mss);
	ASSERT_EQ(10U, ti.tcpi_snd_cwnd);
	ASSERT_EQ(INF_SSTHRESH, ti.tcpi_snd_ssthresh);

	/* The SEG_LOST-th segment: its first copy only. */
	if (ns_sh(T->ns[SIDE_B], "tc filter add dev xb ingress prio %d protocol ip u32"
		  " match ip protocol %d 0xff match u8 0x45 0xff at 0"
		  " match u32 0x%08x 0xffffffff at 24"
		  " action gact drop random determ ok 2", LOSS_PRIO, T->ipproto,
		  (unsigned int)(syn.seq + 1 + (uint32_t)SEG_LOST * f.mss)))
		SKIP(goto out, "tc gact \"random determ\" unavailable (CONFIG_GACT_PROB)");

	f.chunk = 32 * (size_t)f.mss;
	f.buf = calloc(1, f.chunk);
	ASSERT_NE(NULL, f.buf);
	ASSERT_EQ(0, pthread_create(&rx, NULL, receiver, &f));
	t_start = mono_s();
	ASSERT_EQ(0, pthread_create(&tx, NULL, sender, &f));

	/*
	 * Slow start until the loss is repaired by a retransmission, with
	 * the smoothed RTT every 5 ms: under emulation a round trip can take
	 * longer than the netem delay, and slow start doubles per real RTT.
	 */
	for (end = now_ms() + 30000; now_ms() < end; usleep(5000)) {
		ASSERT_EQ(0, get_info(f.cfd, &ti));
		if (n_rtt < MAX_RTT_SAMPLES && ti.tcpi_rtt) {
			rtt_t[n_rtt] = mono_s();
			rtt_v[n_rtt++] = ti.tcpi_rtt / 1e6;
		}
		if (ti.tcpi_total_retrans)
			break;
	}
	ASSERT_LT(0U, ti.tcpi_total_retrans) TH_LOG("segment %d was never lost", SEG_LOST);
	ns_sh(T->ns[SIDE_B], "tc filter del dev xb ingress prio %d", LOSS_PRIO);
	TH_LOG("loss repaired %.2f s after the start", mono_s() - t_start);

	/* Congestion avoidance, then a timeout. */
	usleep(CA_MS * 1000);
	ASSERT_EQ(0, get_info(f.cfd, &ti));
	srtt_s = ti.tcpi_rtt / 1e6;
	read_causes(T, &c1);
	t_drop = mono_s();
	ASSERT_EQ(0, tc_drop(T, SIDE_A, DROP_PRIO, 0, 0));
	for (end = now_ms() + 20000; now_ms() < end; usleep(5000)) {
		ASSERT_EQ(0, get_info(f.cfd, &ti));
		if (ti.tcpi_ca_state == CA_LOSS)
			break;
	}
	ASSERT_EQ(CA_LOSS, ti.tcpi_ca_state);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, DROP_PRIO));
	TH_LOG("timeout %.2f s after the drop began", mono_s() - t_drop);
	for (end = now_ms() + 30000; now_ms() < end; usleep(10000)) {
		ASSERT_EQ(0, get_info(f.cfd, &ti));
		if (ti.tcpi_ca_state == CA_OPEN && ti.tcpi_snd_cwnd >= ti.tcpi_snd_ssthresh)
			break;
	}
	atomic_store(&f.stop, 1);
	pthread_join(tx, NULL);
	setsockopt(f.cfd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
	close(f.cfd);
	f.cfd = -1;
	pthread_join(rx, NULL);

	ev = calloc(MAX_EVENTS, sizeof(*ev));
	ASSERT_NE(NULL, ev);
	n = read_events(sport, ev, MAX_EVENTS);
	ASSERT_LT(0, n) TH_LOG("no xtcp_cong_state event of port %d", sport);
	if (getenv("XTCP_SELFTEST_VERBOSE"))
		for (i = 0; i < n; i++)
			fprintf(stderr, "# %.6f cwnd=%u ssthresh=%u state=%d\n",
				ev[i].t, ev[i].cwnd, ev[i].ssthresh, ev[i].state);

	for (i = 0; i < n; i++) {
		if (r_idx < 0 && ev[i].state == CA_RECOVERY)
			r_idx = i;
		if (r_idx >= 0 && x_idx < 0 && i > r_idx && ev[i].state == CA_OPEN)
			x_idx = i;
		if (l_idx < 0 && ev[i].state == CA_LOSS)
			l_idx = i;
	}
	ASSERT_LE(0, r_idx) TH_LOG("no Recovery event among %d", n);
	ASSERT_LT(0, r_idx) TH_LOG("Recovery is the first event");
	ASSERT_LE(0, x_idx) TH_LOG("recovery never ended");
	ASSERT_LE(0, l_idx) TH_LOG("no Loss event among %d", n);
	ASSERT_LT(x_idx, l_idx);

	/* 1. Slow start: up to HyStart's exit (cubic) or the loss. */
	ss_end = r_idx;
	for (i = 0; i < r_idx; i++) {
		unsigned int prev = i ? ev[i - 1].cwnd : 10;

		if (ev[i].ssthresh != INF_SSTHRESH) {
			/* Only HyStart ends slow start before a loss. */
			EXPECT_STREQ("cubic", cc) TH_LOG("event %d: ssthresh %u before any loss",
							 i, ev[i].ssthresh);
			EXPECT_EQ(ev[i].cwnd, ev[i].ssthresh) TH_LOG("HyStart: ssthresh = cwnd");
			EXPECT_LE(16U, ev[i].cwnd) TH_LOG("HyStart below 16 segments");
			ss_end = i;
			break;
		}
		EXPECT_EQ(CA_OPEN, ev[i].state) TH_LOG("event %d", i);
		EXPECT_LE(prev, ev[i].cwnd) TH_LOG("event %d: slow start lowered cwnd %u -> %u",
						   i, prev, ev[i].cwnd);
		EXPECT_LE(ev[i].cwnd, 2 * prev) TH_LOG("event %d: cwnd %u -> %u: more than in flight",
						       i, prev, ev[i].cwnd);
		ss_max = ev[i].cwnd;
	}
	{
		/*
		 * Growth per RTT over the whole of slow start, from cwnd
		 * base to base * 2^m, m >= 3: a single round that the
		 * receiver's delayed ACK or the emulator stretches must not
		 * decide it.  Each doubling is printed.
		 */
		static const unsigned int bases[] = { 12, 16 };

		for (size_t k = 0; k < 2; k++) {
			unsigned int lo = bases[k], hi = lo;
			double t_lo, t_hi, d, rtt, factor;
			int m = 0;

			while (2 * hi <= ss_max) {
				t_lo = first_at(ev, ss_end, hi);
				t_hi = first_at(ev, ss_end, 2 * hi);
				TH_LOG("slow start: cwnd %u -> %u in %.1f ms, srtt %.1f ms",
				       hi, 2 * hi, (t_hi - t_lo) * 1e3,
				       rtt_between(rtt_t, rtt_v, n_rtt, t_lo, t_hi) * 1e3);
				hi *= 2;
				m++;
			}
			ASSERT_LE(3, m) TH_LOG("slow start reached only cwnd %u", ss_max);
			t_lo = first_at(ev, ss_end, lo);
			t_hi = first_at(ev, ss_end, hi);
			d = t_hi - t_lo;
			rtt = rtt_between(rtt_t, rtt_v, n_rtt, t_lo, t_hi);
			factor = pow(2, m * rtt / d);
			TH_LOG("slow start: cwnd %u -> %u in %.1f ms, srtt %.1f ms: x%.2f per RTT",
			       lo, hi, d * 1e3, rtt * 1e3, factor);
			EXPECT_LE(1.5, factor);
			EXPECT_GE(2.5, factor);
		}
	}

	/* 2. Fast retransmit. */
	{
		unsigned int before = ev[r_idx - 1].cwnd, ss = ev[r_idx].ssthresh;

		TH_LOG("%s: Recovery: cwnd %u -> %u, ssthresh %u", cc, before, ev[r_idx].cwnd, ss);
		EXPECT_TRUE(ssthresh_ok(cc, before, ss))
			TH_LOG("ssthresh %u after cwnd %u: want %s", ss, before,
			       strcmp(cc, "cubic") ? "cwnd / 2 (2 * ssthresh within +/- 2)" :
			       "0.7 * cwnd +/- 1");
		EXPECT_EQ(ss, ev[r_idx].cwnd);
		for (i = r_idx + 1; i < x_idx; i++)
			EXPECT_EQ(ss, ev[i].ssthresh) TH_LOG("event %d in recovery", i);
		EXPECT_EQ(ss, ev[x_idx].cwnd) TH_LOG("recovery ends with cwnd = ssthresh");
		EXPECT_EQ(ss, ev[x_idx].ssthresh);
	}

	/* 3. Congestion avoidance until the drop. */
	{
		unsigned int ss = ev[r_idx].ssthresh, w_max = ev[r_idx - 1].cwnd;
		unsigned int w0 = ev[x_idx].cwnd, w_end = w0;
		double t0 = ev[x_idx].t, dur = t_drop - t0;
		int last = x_idx;

		/*
		 * A second reduction before the drop is a loss the test did
		 * not make: say what the receiver and the backlogs saw.
		 */
		for (i = x_idx + 1; i < l_idx && ev[i].t < t_drop; i++)
			if (ev[i].state != CA_OPEN || ev[i].ssthresh != ss)
				break;
		ASSERT_FALSE(i < l_idx && ev[i].t < t_drop)
			TH_LOG("a loss the test did not make: event %d at %.2f s: cwnd %u ssthresh %u state %d;"
			       " receiver OutOfOrder +%ld RcvQueueDrops +%ld BacklogDrops +%ld OfoPruned +%ld,"
			       " softnet drops +%ld",
			       i, ev[i].t - t0, ev[i].cwnd, ev[i].ssthresh, ev[i].state,
			       c1.ooo - c0.ooo, c1.rcvq - c0.rcvq, c1.backlog - c0.backlog,
			       c1.ofo_pruned - c0.ofo_pruned, c1.softnet - c0.softnet);

		for (i = x_idx + 1; i < l_idx && ev[i].t < t_drop; i++) {
			EXPECT_EQ(CA_OPEN, ev[i].state) TH_LOG("event %d: no loss here", i);
			EXPECT_EQ(ss, ev[i].ssthresh) TH_LOG("event %d", i);
			if (strcmp(cc, "cubic")) {
				EXPECT_EQ(ev[i - 1].cwnd + 1, ev[i].cwnd)
					TH_LOG("event %d: congestion avoidance: cwnd %u -> %u",
					       i, ev[i - 1].cwnd, ev[i].cwnd);
			} else {
				double w = cubic_w(ev[i].t - t0 + 2 * srtt_s, w_max, w0);

				EXPECT_GE(w + 2, ev[i].cwnd)
					TH_LOG("event %d at %.2f s: cwnd %u above W_cubic %.1f",
					       i, ev[i].t - t0, ev[i].cwnd, w);
			}
			last = i;
		}
		w_end = ev[last].cwnd;
		TH_LOG("%s: congestion avoidance: cwnd %u -> %u in %.2f s, srtt %.1f ms",
		       cc, w0, w_end, dur, srtt_s * 1e3);
		ASSERT_LT(0, srtt_s);
		if (strcmp(cc, "cubic")) {
			double per_rtt = (w_end - w0) * srtt_s / dur;

			TH_LOG("%s: +%.2f segments per RTT", cc, per_rtt);
			EXPECT_LE(0.7, per_rtt);
			EXPECT_GE(1.3, per_rtt);
		} else {
			double w = cubic_w(dur - 2 * srtt_s, w_max, w0);

			TH_LOG("cubic: W_max %u, K %.2f s, W_cubic at the end %.1f",
			       w_max, cbrt((w_max - w0) / 0.4), cubic_w(dur, w_max, w0));
			EXPECT_LE(w - 2, w_end) TH_LOG("cwnd %u below W_cubic(t - 2 RTT) %.1f",
						       w_end, w);
		}
	}

	/* 4. The timeout, and slow start back to ssthresh. */
	{
		unsigned int before = ev[l_idx - 1].cwnd, ss = ev[l_idx].ssthresh;
		bool regained = false, opened = false;

		TH_LOG("%s: Loss: cwnd %u -> %u, ssthresh %u", cc, before, ev[l_idx].cwnd, ss);
		EXPECT_EQ(1U, ev[l_idx].cwnd);
		EXPECT_TRUE(ssthresh_ok(cc, before, ss))
			TH_LOG("ssthresh %u after cwnd %u", ss, before);
		ok_idx = l_idx;
		for (i = l_idx + 1; i < n && !regained; i++) {
			EXPECT_EQ(ss, ev[i].ssthresh) TH_LOG("event %d", i);
			EXPECT_LE(ev[i - 1].cwnd, ev[i].cwnd) TH_LOG("event %d", i);
			EXPECT_LE(ev[i].cwnd, 2 * ev[i - 1].cwnd) TH_LOG("event %d", i);
			EXPECT_LE(ev[i].cwnd, ss + 1) TH_LOG("event %d: slow start past ssthresh", i);
			if (ev[i].state == CA_OPEN)
				opened = true;
			if (ev[i].cwnd >= ss)
				regained = true;
			ok_idx = i;
		}
		for (; i < n; i++)
			if (ev[i].state == CA_OPEN)
				opened = true;
		TH_LOG("after the timeout: cwnd %u after %.2f s", ev[ok_idx].cwnd,
		       ev[ok_idx].t - ev[l_idx].t);
		EXPECT_TRUE(regained) TH_LOG("slow start did not regain ssthresh %u", ss);
		EXPECT_TRUE(opened) TH_LOG("never back to Open");
	}
	free(ev);
out:
	if (f.cfd >= 0)
		close(f.cfd);
	if (f.sfd >= 0)
		close(f.sfd);
	free(f.buf);
	close(lfd);
}

TEST_HARNESS_MAIN
