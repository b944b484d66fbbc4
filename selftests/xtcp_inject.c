// SPDX-License-Identifier: GPL-2.0
/*
 * Forged and garbage segments (Documentation/hardening.rst, "The injection
 * test"): while three connections A <-> B each carry 2 MiB both ways, an
 * injector in A's namespace sends some 22,000 segments to B from A's
 * address through one IPPROTO_RAW socket: random bytes, truncated headers,
 * data offsets below 5 and past the end, bad option lengths, bad
 * checksums, every flag combination, in-window RSTs and SYNs that are not
 * exact, old timestamps (PAWS), and mutations of the connections' own
 * segments captured in B (sequence numbers moved out of the window, ACKs
 * of data never sent, old timestamps).  A fourth connection stays quiet:
 * its RCV.NXT is known exactly, so in-window forgeries at it are known
 * not to be exact.  The listener gets spoofed SYNs, ACKs and RSTs.
 *
 * Nothing forged may carry bytes into a stream: a captured segment keeps
 * its payload only when its sequence number is moved 2^30 away or its
 * ACK acknowledges data never sent, and otherwise loses it.
 *
 * Every transfer must complete byte-exact, no connection may be reset
 * (EstabResets does not move on either side), and the quiet connection
 * and the listener still work afterwards.  For xtcp, B's counters must
 * account for the drops (see the asserts).  The inet variant runs the
 * same injection at Linux TCP (protocol 6), the reference; only the
 * outcome is asserted there.
 *
 * Writers are gated by the injector's progress (chunk k of 32 waits for
 * k/32 of the injection), so the injection overlaps the transfers without
 * timing assumptions.  XTCP_INJECT_ROUNDS (default 1100 rounds of 20
 * segments) scales the injection: on Debian's kernel under TCG a variant
 * takes about 10 s, on the debug kernel (KASAN, lockdep) about 100 s, so
 * there XTCP_INJECT_ROUNDS=500 keeps it under 60 s.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "fixture.h"

#define PORT		5300
#define CPORT		40000		/* quiet conn; live ones 40001.. */
#define NLIVE		3
#define XFER		(2u << 20)
#define CHUNK		(64u << 10)
#define NCHUNK		(XFER / CHUNK)
#define SLOTS		20		/* segments per round */
#define FORGED_TTL	77		/* marks our own segments in captures */
#define FAR		0x40000000u	/* 2^30: far outside any window */
#define CH_LIMIT	10		/* challenge_ack_limit in B (xtcp) */

struct pkt {
	int len;			/* bytes from the TCP header on */
	uint8_t b[1600];
};

struct inj {
	struct topo *t;
	int ipproto;
	int rawfd;			/* capture in B */
	int sendfd;			/* IPPROTO_RAW in A */
	atomic_int stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long injected;			/* segments sent so far */
	long total;
	struct pkt live[NLIVE];		/* last data segment A -> B */
	int have[NLIVE];
	uint32_t rnd;
	int dbg_len;
	uint8_t dbg[40];		/* a segment inject_one refused */
	/* what was sent, by kind */
	long n_random, n_trunc, n_doff, n_csum, n_badopt, n_flags_in,
	     n_flags_out, n_challenge, n_paws, n_mut, n_listen_ack,
	     n_listen;
	/* the quiet connection: A's view */
	uint32_t q_seq, q_ack, q_tsval, q_tsecr;
};

struct xfer {
	struct inj *in;
	int fd;
	uint32_t seed;
	int writer;
	long result;			/* 0 ok, else -errno or mismatch */
};

static uint32_t rnd(struct inj *in)
{
	uint32_t x = in->rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	in->rnd = x;
	return x;
}

static uint32_t csum_sum(uint32_t s, const uint8_t *p, int n)
{
	int i;

	for (i = 0; i + 1 < n; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	return s;
}

static uint16_t l4_csum(int proto, const uint8_t *h, int n)
{
	uint8_t ph[12] = { 10, 0, 0, 1, 10, 0, 0, 2, 0, (uint8_t)proto,
			   (uint8_t)(n >> 8), (uint8_t)n };
	uint32_t s = csum_sum(csum_sum(0, ph, 12), h, n);

	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static void fix_csum(struct inj *in, struct pkt *p)
{
	uint16_t c;

	if (p->len < 18)
		return;
	p->b[16] = p->b[17] = 0;
	c = l4_csum(in->ipproto, p->b, p->len);
	p->b[16] = c >> 8;
	p->b[17] = c;
}

/* Send p (a TCP-format header and what follows) to B from A. */
static int inj_send(struct inj *in, const struct pkt *p)
{
	struct sockaddr_in d = { .sin_family = AF_INET };
	uint8_t buf[1700];
	int len = 20 + p->len;

	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[2] = len >> 8;
	buf[3] = len;
	buf[6] = 0x40;
	buf[8] = FORGED_TTL;
	buf[9] = in->ipproto;
	inet_pton(AF_INET, IP_A, buf + 12);
	inet_pton(AF_INET, IP_B, buf + 16);
	memcpy(buf + 20, p->b, p->len);
	inet_pton(AF_INET, IP_B, &d.sin_addr);
	if (sendto(in->sendfd, buf, len, 0, (struct sockaddr *)&d,
		   sizeof(d)) != len)
		return -1;
	pthread_mutex_lock(&in->mu);
	in->injected++;
	if (!(in->injected & 63) || in->injected == in->total)
		pthread_cond_broadcast(&in->cv);
	pthread_mutex_unlock(&in->mu);
	return 0;
}

/* A bare header: ports, seq, ack, flags, window, doff 5 + optlen/4. */
static void hdr(struct pkt *p, int sport, int dport, uint32_t seq,
		uint32_t ack, uint8_t flags, const uint8_t *opt, int optlen)
{
	memset(p->b, 0, 20 + optlen);
	p->b[0] = sport >> 8; p->b[1] = sport;
	p->b[2] = dport >> 8; p->b[3] = dport;
	put32(p->b + 4, seq);
	put32(p->b + 8, ack);
	p->b[12] = ((20 + optlen) / 4) << 4;
	p->b[13] = flags;
	p->b[14] = 0xff; p->b[15] = 0xff;
	if (optlen)
		memcpy(p->b + 20, opt, optlen);
	p->len = 20 + optlen;
}

/* The option space of a captured header: offset of the TS option or -1. */
static int ts_off(const struct pkt *p)
{
	int doff = (p->b[12] >> 4) * 4, i = 20;

	while (i < doff) {
		if (p->b[i] == 0)
			break;
		if (p->b[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= doff || p->b[i + 1] < 2)
			break;
		if (p->b[i] == 8 && p->b[i + 1] == 10 && i + 10 <= doff)
			return i;
		i += p->b[i + 1];
	}
	return -1;
}

static void *capture(void *arg)
{
	struct inj *in = arg;
	uint8_t buf[2048];

	while (!in->stop) {
		int n, ihl, sport, c;

		if (poll1(in->rawfd, POLLIN, 100) <= 0)
			continue;
		n = recv(in->rawfd, buf, sizeof(buf), 0);
		if (n < 40 || (buf[0] >> 4) != 4 || buf[8] == FORGED_TTL)
			continue;
		ihl = (buf[0] & 15) * 4;
		if (memcmp(buf + 12, "\x0a\x00\x00\x01", 4) || n < ihl + 20)
			continue;
		sport = (buf[ihl] << 8) | buf[ihl + 1];
		c = sport - CPORT - 1;
		if (c < 0 || c >= NLIVE ||
		    n - ihl <= (buf[ihl + 12] >> 4) * 4)
			continue;		/* not a live data segment */
		/* A GSO packet is cut: the bytes kept are still those of
		 * their sequence numbers.
		 */
		n = n - ihl > 1400 ? 1400 : n - ihl;
		pthread_mutex_lock(&in->mu);
		in->live[c].len = n;
		memcpy(in->live[c].b, buf + ihl, n);
		if (!in->have[c]) {
			in->have[c] = 1;
			pthread_cond_broadcast(&in->cv);
		}
		pthread_mutex_unlock(&in->mu);
	}
	return NULL;
}

static void *xfer_thread(void *arg)
{
	struct xfer *x = arg;
	struct inj *in = x->in;
	uint8_t *buf = malloc(XFER);
	unsigned int k;
	ssize_t r;

	if (!buf) {
		x->result = -ENOMEM;
		return NULL;
	}
	if (x->writer) {
		fill_pattern(buf, XFER, 0, x->seed);
		for (k = 0; k < NCHUNK; k++) {
			pthread_mutex_lock(&in->mu);
			while (in->injected * NCHUNK < in->total * k && !in->stop)
				pthread_cond_wait(&in->cv, &in->mu);
			pthread_mutex_unlock(&in->mu);
			r = write_all(x->fd, buf + k * CHUNK, CHUNK, 60000);
			if (r != CHUNK) {
				x->result = r < 0 ? r : -EIO;
				goto out;
			}
		}
		/* The FIN only after the last forged segment. */
		pthread_mutex_lock(&in->mu);
		while (in->injected < in->total && !in->stop)
			pthread_cond_wait(&in->cv, &in->mu);
		pthread_mutex_unlock(&in->mu);
		if (shutdown(x->fd, SHUT_WR))
			x->result = -errno;
	} else {
		/* A deadline per chunk: the writers wait for the injection,
		 * which takes some 100 s on the debug kernel.
		 */
		for (k = 0; k < NCHUNK; k++) {
			r = read_exact(x->fd, buf + k * CHUNK, CHUNK, 60000);
			if (r != CHUNK) {
				x->result = r < 0 ? r : -EIO;
				goto out;
			}
		}
		if (check_pattern(buf, XFER, 0, x->seed) != -1) {
			x->result = 1000000 + check_pattern(buf, XFER, 0, x->seed);
			goto out;
		}
		r = read_to_eof(x->fd, buf, 16, 60000);
		if (r != 0)
			x->result = r < 0 ? r : -EEXIST;
	}
out:
	free(buf);
	return NULL;
}

/* One captured live segment, copied; conn i. */
static void live_copy(struct inj *in, int i, struct pkt *p)
{
	pthread_mutex_lock(&in->mu);
	*p = in->live[i];
	pthread_mutex_unlock(&in->mu);
}

/* A quiet-connection segment at seq, exact ack, no options. */
static void quiet(struct inj *in, struct pkt *p, uint32_t seq, uint8_t flags)
{
	hdr(p, CPORT, PORT, seq, in->q_ack, flags, NULL, 0);
}

static int inject_one(struct inj *in, long i)
{
	int slot = i % SLOTS, c = (i / SLOTS) % NLIVE, n, off;
	uint32_t r = rnd(in), k;
	struct pkt p;

	switch (slot) {
	case 0:
	case 1:
		/* Random bytes, valid checksum when there is room for one,
		 * never at the connections' port.
		 */
		p.len = r % 64;
		for (n = 0; n < p.len; n++)
			p.b[n] = rnd(in);
		if (p.len >= 4 && ((p.b[2] << 8) | p.b[3]) == PORT)
			p.b[3]++;
		fix_csum(in, &p);
		in->n_random++;
		break;
	case 2:
		/* A live segment's header, truncated to 0..19 bytes. */
		live_copy(in, c, &p);
		p.len = r % 20;
		in->n_trunc++;
		break;
	case 3:
		/* Data offset below 5, or past the end of the segment. */
		live_copy(in, c, &p);
		if (r & 1) {
			p.b[12] = (r >> 1) % 5 << 4;
		} else {
			p.len = 20 + (r >> 1) % 20;
			p.b[12] = (uint8_t)(((p.len / 4) + 1 + (r >> 8) % 5) << 4);
			if ((p.b[12] >> 4) * 4 <= p.len)
				p.b[12] = 15 << 4;
		}
		fix_csum(in, &p);
		in->n_doff++;
		break;
	case 4:
	case 5:
	case 19:
		/* Bad checksum on a live segment (any flags for slot 19). */
		live_copy(in, c, &p);
		if (slot == 19)
			p.b[13] = r >> 8;
		fix_csum(in, &p);
		p.b[16 + (r & 1)] ^= 1 + (r >> 16) % 255;
		in->n_csum++;
		break;
	case 6: {
		/* Bad option lengths at the quiet connection. */
		static const uint8_t bad[][8] = {
			{ 2, 3, 5, 0 },		/* MSS length 3 */
			{ 8, 9, 0, 0, 0, 0, 0, 0 },	/* TS length 9 */
			{ 3, 2, 1, 1 },		/* window scale length 2 */
			{ 4, 3, 1, 1 },		/* SACK-permitted length 3 */
			{ 5, 6, 0, 0, 0, 0, 1, 1 },	/* SACK: no block */
			{ 30, 0, 1, 1 },	/* length 0 */
			{ 30, 1, 1, 1 },	/* length 1 */
			{ 30, 9, 1, 1 },	/* past the option space */
		};
		k = r % 8;
		hdr(&p, CPORT, PORT, in->q_seq, in->q_ack, 0x10, bad[k], 8);
		fix_csum(in, &p);
		in->n_badopt++;
		break;
	}
	case 7:
	case 8:
		/* Every flag combination, in the quiet window, not exact.
		 * A FIN without SYN or RST is kept out of order by Linux,
		 * which then also resets for a RST at the right edge of its
		 * SACK blocks (tcp_validate_incoming()): such FINs go to
		 * [2000, 3000), RSTs to [100, 1000).
		 */
		k = (uint8_t)(i / SLOTS * 2 + slot - 7);
		quiet(in, &p, in->q_seq + 100 + r % 900 +
			      ((k & 0x07) == 0x01 ? 1900 : 0), (uint8_t)k);
		fix_csum(in, &p);
		in->n_flags_in++;
		if (p.b[13] & 0x06)
			in->n_challenge++;
		break;
	case 9:
		/* Every flag combination, 2^30 outside a live window. */
		live_copy(in, c, &p);
		put32(p.b + 4, get32(p.b + 4) + ((r & 1) ? FAR : -FAR));
		p.b[13] = (uint8_t)(i / SLOTS);
		fix_csum(in, &p);
		in->n_flags_out++;
		break;
	case 10:
	case 11:
		/* In-window RST or SYN (with or without ACK), not exact. */
		quiet(in, &p, in->q_seq + 100 + r % 900,
		      (slot == 10 ? 0x04 : 0x02) | ((r >> 12) & 1 ? 0x10 : 0));
		fix_csum(in, &p);
		in->n_challenge++;
		break;
	case 12:
	case 18: {
		/* PAWS: an old TSval at the quiet or a live connection. */
		uint8_t ts[12] = { 1, 1, 8, 10 };

		if (slot == 12) {
			put32(ts + 4, in->q_tsval - FAR - r % 1000);
			put32(ts + 8, in->q_tsecr);
			hdr(&p, CPORT, PORT, in->q_seq, in->q_ack, 0x10, ts, 12);
		} else {
			live_copy(in, c, &p);
			off = ts_off(&p);
			if (off < 0) {
				in->dbg_len = p.len;
				memcpy(in->dbg, p.b, sizeof(in->dbg));
				return -1;
			}
			put32(p.b + off + 2, get32(p.b + off + 2) - FAR);
		}
		fix_csum(in, &p);
		in->n_paws++;
		break;
	}
	case 13:
	case 14:
	case 15:
	case 16:
		/* Mutations of a live segment that can carry no byte in. */
		live_copy(in, c, &p);
		switch (r % 4) {
		case 0:	/* seq 2^30 away, payload kept, maybe RST */
			put32(p.b + 4, get32(p.b + 4) + ((r & 4) ? FAR : -FAR));
			if (r & 8)
				p.b[13] |= 0x04;
			break;
		case 1:	/* an ACK of data never sent, payload kept */
			put32(p.b + 8, get32(p.b + 8) + FAR);
			break;
		case 2:	/* payload dropped, an older ACK */
			p.len = (p.b[12] >> 4) * 4;
			put32(p.b + 8, get32(p.b + 8) - r % 3000);
			break;
		default: /* the same segment again (same bytes at same seq) */
			break;
		}
		fix_csum(in, &p);
		in->n_mut++;
		break;
	case 17:
		/* The listener: SYN, ACK, RST or anything, spoofed ports. */
		hdr(&p, 20000 + r % 20000, PORT, rnd(in), rnd(in),
		    (r >> 20) % 4 == 0 ? 0x02 : (r >> 20) % 4 == 1 ? 0x10 :
		    (r >> 20) % 4 == 2 ? 0x04 : (uint8_t)(r >> 24), NULL, 0);
		if ((r >> 20) % 4 == 1)
			in->n_listen_ack++;
		fix_csum(in, &p);
		in->n_listen++;
		break;
	}
	return inj_send(in, &p);
}

static long ctr(struct topo *t, int side, const char *name)
{
	long v = -1;

	read_counter(t, side, name, &v);
	return v;
}

static const char *const names[] = {
	"InErrs", "InCsumErrors", "NoSocket", "DropsOutOfWindow",
	"ChallengeAcks", "ChallengeAckLimited", "PAWSEstab", "OutRsts",
	"EstabResets", "InSegs", "AckSkippedChallenge",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))
enum {
	C_INERRS, C_CSUM, C_NOSOCK, C_OOW, C_CH, C_CHLIM, C_PAWS, C_ORST,
	C_ERST, C_INSEGS, C_CHSKIP,
};

XTCP_FIXTURE(inject);

TEST_F_TIMEOUT(inject, forged_and_garbage, 300)
{
	int lfd, qc, qs, c2, s2, cfd[NLIVE], sfd[NLIVE], i, one = 1;
	long before[NNAMES], after[NNAMES], bA, aA, rounds = 1100;
	struct xfer x[NLIVE * 4];
	pthread_t th[NLIVE * 4], cap;
	static struct inj in;
	const char *env = getenv("XTCP_INJECT_ROUNDS");
	bool xt = variant->kind == FAM_XTCP;
	double t0, el;
	uint8_t b[4];
	struct seg s;

	if (env)
		rounds = atol(env);
	memset(&in, 0, sizeof(in));
	pthread_mutex_init(&in.mu, NULL);
	pthread_cond_init(&in.cv, NULL);
	in.t = T;
	in.ipproto = T->ipproto;
	in.rnd = 0x9e3779b9;
	in.total = rounds * SLOTS;
	if (xt) {
		ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "challenge_ack_limit",
					    CH_LIMIT));
		/* The namespace's budget, not the per-connection limit
		 * (oow_ratelimit's), is what holds the challenges back.
		 */
		ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "invalid_ratelimit", 0));
	}

	lfd = listen_on(T, PORT, 64);
	ASSERT_LE(0, lfd);
	in.rawfd = raw_open(T, SIDE_B);
	ASSERT_LE(0, in.rawfd);
	setsockopt(in.rawfd, SOL_SOCKET, SO_RCVBUF, &(int){ 4 << 20 }, sizeof(int));
	in.sendfd = ns_socket(T->ns[SIDE_A], AF_INET, SOCK_RAW, IPPROTO_RAW);
	ASSERT_LE(0, in.sendfd);
	setsockopt(in.sendfd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));

	/* The quiet connection: A's handshake ACK gives B's RCV.NXT. */
	ASSERT_EQ(0, connect_pair_bound(T, lfd, PORT, CPORT, &qc, &qs));
	ASSERT_EQ(0, raw_recv(in.rawfd, &s, CPORT, PORT, 0x10, 0x12, 2000));
	in.q_seq = s.seq;
	in.q_ack = s.ack;
	ASSERT_TRUE(seg_opt(&s, 8) != NULL) TH_LOG("no timestamps");
	in.q_tsval = get32(seg_opt(&s, 8) + 2);
	in.q_tsecr = get32(seg_opt(&s, 8) + 6);

	for (i = 0; i < NLIVE; i++) {
		ASSERT_EQ(0, connect_pair_bound(T, lfd, PORT, CPORT + 1 + i,
						&cfd[i], &sfd[i]));
	}
	for (i = 0; i < (int)NNAMES; i++)
		before[i] = ctr(T, SIDE_B, names[i]);
	bA = ctr(T, SIDE_A, "EstabResets");

	ASSERT_EQ(0, pthread_create(&cap, NULL, capture, &in));
	for (i = 0; i < NLIVE * 4; i++) {
		int conn = i / 4, role = i % 4;

		x[i] = (struct xfer){ .in = &in, .writer = role < 2,
				      .fd = role % 2 ? sfd[conn] : cfd[conn],
				      .seed = 1000 + conn * 2 + (role % 2) };
		if (role >= 2)	/* readers: the other end of each writer */
			x[i].fd = role == 2 ? sfd[conn] : cfd[conn];
		ASSERT_EQ(0, pthread_create(&th[i], NULL, xfer_thread, &x[i]));
	}

	/* Wait for a data segment of each live connection, then inject. */
	pthread_mutex_lock(&in.mu);
	for (i = 0; i < NLIVE; i++) {
		while (!in.have[i]) {
			struct timespec dl;

			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += 10;
			if (pthread_cond_timedwait(&in.cv, &in.mu, &dl))
				break;
		}
	}
	pthread_mutex_unlock(&in.mu);
	for (i = 0; i < NLIVE; i++) {
		ASSERT_TRUE(in.have[i]) TH_LOG("no data seen on conn %d", i);
	}

	t0 = now_s();
	for (i = 0; i < in.total; i++) {
		ASSERT_EQ(0, inject_one(&in, i))
			TH_LOG("segment %d: len %d, header %02x%02x%02x%02x "
			       "%02x%02x %02x%02x%02x%02x%02x%02x%02x%02x%02x%02x",
			       i, in.dbg_len, in.dbg[0], in.dbg[1], in.dbg[2],
			       in.dbg[3], in.dbg[12], in.dbg[13], in.dbg[20],
			       in.dbg[21], in.dbg[22], in.dbg[23], in.dbg[24],
			       in.dbg[25], in.dbg[26], in.dbg[27], in.dbg[28],
			       in.dbg[29]);
	}
	el = now_s() - t0;

	for (i = 0; i < NLIVE * 4; i++)
		pthread_join(th[i], NULL);
	in.stop = 1;
	pthread_join(cap, NULL);
	for (i = 0; i < NLIVE * 4; i++) {
		EXPECT_EQ(0, x[i].result) TH_LOG("conn %d role %d: %ld",
						 i / 4, i % 4, x[i].result);
	}

	/* The quiet connection and the listener still work. */
	ASSERT_EQ(2, write(qc, "ok", 2))
		TH_LOG("quiet connection: %s, EstabResets A +%ld B +%ld",
		       strerror(errno),
		       ctr(T, SIDE_A, "EstabResets") - bA,
		       ctr(T, SIDE_B, "EstabResets") - before[C_ERST]);
	ASSERT_EQ(2, read_exact(qs, b, 2, 5000));
	ASSERT_EQ(2, write(qs, "ok", 2));
	ASSERT_EQ(2, read_exact(qc, b, 2, 5000));
	ASSERT_EQ(0, connect_pair_bound(T, lfd, PORT, CPORT + 10, &c2, &s2));
	ASSERT_EQ(3, write(c2, "new", 3));
	ASSERT_EQ(3, read_exact(s2, b, 3, 5000));
	close(c2);
	close(s2);

	for (i = 0; i < (int)NNAMES; i++)
		after[i] = ctr(T, SIDE_B, names[i]) - before[i];
	aA = ctr(T, SIDE_A, "EstabResets") - bA;
	if (getenv("XTCP_INJECT_DEBUG") && !ns_enter(T->ns[SIDE_B])) {
		char line[128];
		FILE *f = fopen(xt ? "/proc/net/xtcp_stat" : "/proc/net/snmp", "r");

		while (f && fgets(line, sizeof(line), f))
			TH_LOG("%s", line);
		if (f)
			fclose(f);
		ns_leave();
	}
	TH_LOG("%s: %ld segments in %.1f s: random %ld trunc %ld doff %ld "
	       "csum %ld badopt %ld flags %ld+%ld challenge %ld paws %ld "
	       "mutations %ld listener %ld",
	       fam_name(variant->kind), in.total, el, in.n_random, in.n_trunc,
	       in.n_doff, in.n_csum, in.n_badopt, in.n_flags_in,
	       in.n_flags_out, in.n_challenge, in.n_paws, in.n_mut, in.n_listen);
	for (i = 0; i < (int)NNAMES; i++)
		TH_LOG("B %s +%ld", names[i], after[i]);

	/* Nothing reset, on either side. */
	EXPECT_EQ(0, after[C_ERST]);
	EXPECT_EQ(0, aA);
	if (!env)
		EXPECT_LE(20000, in.total);

	if (xt) {
		/* Only our forgeries are corrupt: exact. */
		EXPECT_EQ(in.n_csum, after[C_CSUM]);
		/* Each truncated, bad-offset, bad-checksum and bad-option
		 * segment counts once in InErrs; a random one in InErrs or
		 * NoSocket (its port is never the connections').
		 */
		EXPECT_LE(in.n_trunc + in.n_doff + in.n_csum + in.n_badopt,
			  after[C_INERRS]);
		EXPECT_LE(in.n_trunc + in.n_doff + in.n_csum + in.n_badopt +
			  in.n_random, after[C_INERRS] + after[C_NOSOCK]);
		/* Old TSvals fail PAWS (and so may replays of captured
		 * segments older than ts_recent).
		 */
		EXPECT_LE(in.n_paws, after[C_PAWS]);
		/* Every in-window RST or SYN at the quiet connection is
		 * challenged, and the limit (CH_LIMIT a second, each
		 * second's budget below 1.5 CH_LIMIT) holds the ACKs back.
		 */
		EXPECT_EQ(0, after[C_CHSKIP]);
		EXPECT_LE(in.n_challenge, after[C_CH] + after[C_CHLIM]);
		EXPECT_LE(1, after[C_CH]);
		EXPECT_GE((long)((el + 3) * (CH_LIMIT * 3 / 2)), after[C_CH]);
		/* Segments moved out of the window are dropped, each
		 * counted once, as out of window or (an old TSval) PAWS.
		 */
		EXPECT_LE(in.n_flags_out + in.n_paws, after[C_OOW] + after[C_PAWS]);
		/* Each spoofed ACK at the listener is answered by a RST. */
		EXPECT_LE(in.n_listen_ack, after[C_ORST]);
	}

	for (i = 0; i < NLIVE; i++) {
		close(cfd[i]);
		close(sfd[i]);
	}
	close(qc);
	close(qs);
	close(lfd);
	close(in.rawfd);
	close(in.sendfd);
}

/*
 * Forged segments at a TIME_WAIT connection and at a half-open (SYN_RECV)
 * entry.  Each forged segment is followed by a probe: an ACK to a closed
 * port of the same host, which answers it with a RST.  The test process
 * runs on one CPU, so the forged segment, the probe and the answers to
 * both are handled in the order sent: whatever the target answered to
 * the forged segment reaches the tap before the probe's RST, and once
 * that RST is seen nothing more will come.  No timing is assumed.
 */
#define TW_PORT		5310
#define TW_CPORT	40100
#define SR_PORT		5320
#define SR_CPORT	40200
#define PROBE_PORT	9		/* nobody listens there */
#define PROBE_ACK	0x5eed0001u
#define NANS		16

enum ans_kind { A_NONE, A_ACK, A_RST, A_SYNACK, A_GONE };
static const char *const ans_names[] = {
	"nothing", "ACK", "RST", "SYN,ACK", "entry gone",
};

struct answers {
	int n;
	struct seg s[NANS];
};

/*
 * After a forged segment sent from @from (as @src to @dst): the probe, and
 * every segment the target sends from @port until the probe's RST, seen
 * by the tap @tap in the other namespace.  SYN,ACKs of the SYN_RECV
 * entry's own retransmission timer are left out unless @synacks.
 */
static int collect(struct topo *t, int from, const char *src, const char *dst,
		   int tap, int port, bool synacks, struct answers *a)
{
	struct in_addr d;
	struct seg s;

	inet_pton(AF_INET, dst, &d);
	a->n = 0;
	if (raw_send(t, from, src, dst, 40999, PROBE_PORT, 1, PROBE_ACK, F_ACK,
		     1000, NULL, 0, NULL, 0))
		return -1;
	for (;;) {
		if (tap_next(tap, t->ipproto, d.s_addr, &s, 10000))
			return -1;
		if (s.sport == PROBE_PORT && (s.flags & F_RST) &&
		    s.seq == PROBE_ACK)
			return 0;
		if (s.sport != port)
			continue;
		if ((s.flags & (F_SYN | F_ACK)) == (F_SYN | F_ACK) && !synacks)
			continue;
		if (a->n < NANS)
			a->s[a->n++] = s;
	}
}

/* Discard what the tap holds so far. */
static int tap_drain(struct topo *t, int from, const char *src,
		     const char *dst, int tap)
{
	struct answers a;

	return collect(t, from, src, dst, tap, -1, false, &a);
}

/* The same event's counter: xtcp's name, or Linux's (Tcp: or TcpExt:). */
static long ctr2(struct topo *t, int side, const char *xname,
		 const char *linux_ext)
{
	return ctr(t, side, t->kind == FAM_XTCP || !linux_ext ? xname : linux_ext);
}

enum ts_mode { TS_NONE, TS_SAME, TS_OLD, TS_NEW };

struct fcase {
	const char *name;
	uint8_t flags;
	int32_t seq;		/* from RCV.NXT */
	int32_t ack;		/* from SND.NXT (SYN_RECV: ISS + 1) */
	int ts;			/* enum ts_mode */
	int paylen;
	int inet, xtcp;		/* enum ans_kind: what is answered */
};

/* Send case @c; rcv_nxt, snd_nxt and ts_recent are the target's. */
static int send_case(struct topo *t, int from, const char *src,
		     const char *dst, int sport, int dport,
		     const struct fcase *c, uint32_t rcv_nxt, uint32_t snd_nxt,
		     uint32_t ts_recent, uint32_t tsecr)
{
	uint8_t opt[12] = { 1, 1, 8, 10 }, pay[100];
	uint32_t tsval = ts_recent;

	if (c->ts == TS_OLD)
		tsval -= FAR;
	else if (c->ts == TS_NEW)
		tsval += 1000;
	put32(opt + 4, tsval);
	put32(opt + 8, tsecr);
	memset(pay, 'x', sizeof(pay));
	return raw_send(t, from, src, dst, sport, dport, rcv_nxt + c->seq,
			snd_nxt + c->ack, c->flags, 1000,
			c->ts == TS_NONE ? NULL : opt, c->ts == TS_NONE ? 0 : 12,
			pay, c->paylen);
}

/* Does @a match what @want says, with ACK (seq, ack) or RST seq? */
static bool answer_ok(const struct answers *a, int want, uint32_t seq,
		      uint32_t ack, uint32_t rst_seq)
{
	switch (want) {
	case A_NONE:
	case A_GONE:
		return a->n == 0;
	case A_ACK:
		return a->n == 1 && a->s[0].flags == F_ACK && !a->s[0].paylen &&
		       a->s[0].seq == seq && a->s[0].ack == ack;
	case A_RST:
		return a->n == 1 && (a->s[0].flags & F_RST) &&
		       a->s[0].seq == rst_seq;
	case A_SYNACK:
		return a->n >= 1 && a->s[0].flags == (F_SYN | F_ACK) &&
		       a->s[0].seq == seq - 1 && a->s[0].ack == ack;
	}
	return false;
}

static void answers_fmt(const struct answers *a, char *buf, size_t len)
{
	int i, o = 0;

	buf[0] = 0;
	for (i = 0; i < a->n && o < (int)len - 40; i++)
		o += snprintf(buf + o, len - o, "%s[flags %02x seq %u ack %u len %d]",
			      i ? " " : "", a->s[i].flags, a->s[i].seq,
			      a->s[i].ack, a->s[i].paylen);
	if (!a->n)
		snprintf(buf, len, "nothing");
}

/*
 * TIME_WAIT (held by A, the client, which closed first; no listener on its
 * port).  Linux TCP with tcp_rfc1337 = 1, as xtcp always behaves
 * (Documentation/hardening.rst), and both with invalid_ratelimit = 0 so
 * that answers to out-of-window segments are not rate limited per socket
 * (the limit has its own test, oow_ratelimit).
 * The forged segments come from B's namespace as B; A's answers are seen
 * by a tap in B and dropped before B's stack, which would answer them.
 */
static const struct fcase tw_cases[] = {
	{ "RST at RCV.NXT", F_RST, 0, 0, TS_NONE, 0, A_NONE, A_NONE },
	{ "RST,ACK at RCV.NXT", F_RST | F_ACK, 0, 0, TS_SAME, 0, A_NONE, A_NONE },
	{ "RST in the window", F_RST, 1000, 0, TS_SAME, 0, A_NONE, A_NONE },
	{ "RST out of the window", F_RST, FAR, 0, TS_NONE, 0, A_NONE, A_NONE },
	{ "RST with an old TSval", F_RST, 0, 0, TS_OLD, 0, A_NONE, A_NONE },
	{ "data out of the window", F_ACK | F_PSH, FAR, 0, TS_SAME, 100, A_ACK, A_ACK },
	{ "old data", F_ACK | F_PSH, -1000, 0, TS_SAME, 100, A_ACK, A_ACK },
	{ "ACK with an old TSval", F_ACK, 0, 0, TS_OLD, 0, A_ACK, A_ACK },
	{ "SYN below RCV.NXT", F_SYN, -1000, 0, TS_SAME, 0, A_ACK, A_ACK },
	{ "SYN below RCV.NXT, no timestamp", F_SYN, -1000, 0, TS_NONE, 0, A_ACK, A_ACK },
	{ "SYN below RCV.NXT, old TSval", F_SYN, -1000, 0, TS_OLD, 0, A_ACK, A_ACK },
	{ "SYN,ACK below RCV.NXT", F_SYN | F_ACK, -1000, 0, TS_SAME, 0, A_ACK, A_ACK },
	{ "SYN above RCV.NXT, old TSval", F_SYN, 1000, 0, TS_OLD, 0, A_ACK, A_ACK },
	{ "FIN again", F_FIN | F_ACK, -1, 0, TS_SAME, 0, A_ACK, A_ACK },
	{ "ACK at RCV.NXT", F_ACK, 0, 0, TS_SAME, 0, A_NONE, A_NONE },
};

/* Linux ACKs every segment but a bare ACK or a RST at RCV.NXT. */
static const struct fcase tw_in_window[] = {
	{ "ACK in the window, not at RCV.NXT", F_ACK, 1000, 0, TS_SAME, 0, A_ACK, A_ACK },
	{ "data at RCV.NXT", F_ACK | F_PSH, 0, 0, TS_SAME, 100, A_ACK, A_ACK },
};

/*
 * A SYN that could open a new incarnation (RFC 6191: above RCV.NXT, or a
 * newer TSval): with no listener there is nothing to open, so Linux keeps
 * TIME_WAIT and ACKs (tcp_v4_rcv(), TCP_TW_SYN without a listener).
 * One TIME_WAIT entry each.
 */
static const struct fcase tw_syn_no_listener[] = {
	{ "SYN above RCV.NXT, no listener", F_SYN, 1000, 0, TS_SAME, 0, A_ACK, A_ACK },
	{ "SYN below RCV.NXT, newer TSval, no listener", F_SYN, -1000, 0, TS_NEW, 0, A_ACK, A_ACK },
};

struct tw_conn {
	int cport;
	uint32_t rcv_nxt, snd_nxt, ts_recent, tsecr;	/* A's */
};

/*
 * @n connections from A (ports TW_CPORT..) to B, with data both ways, each
 * closed by A first: n TIME_WAIT entries in A.  Returns the tap in B, or
 * a negative step number.
 */
static int tw_setup(struct topo *t, int n, struct tw_conn *tc)
{
	int lfd, raw, tap, c, s, i;
	uint8_t b[4096];
	struct seg fin;

	if (fam_sysctl_set(t, SIDE_A, "invalid_ratelimit", 0))
		return -1;
	if (t->kind == FAM_XTCP) {
		if (fam_sysctl_set(t, SIDE_A, "tw_timeout", 60))
			return -1;
	} else if (ns_write_file(t->ns[SIDE_A], "/proc/sys/net/ipv4/tcp_rfc1337", "1")) {
		return -1;
	}
	lfd = listen_on(t, TW_PORT, 4);
	raw = raw_open(t, SIDE_A);
	tap = tap_open(t, SIDE_B);
	if (lfd < 0 || raw < 0 || tap < 0)
		return -2;
	for (i = 0; i < n; i++) {
		tc[i].cport = TW_CPORT + i;
		if (connect_pair_bound(t, lfd, TW_PORT, tc[i].cport, &c, &s))
			return -3;
		fill_pattern(b, sizeof(b), 0, 7);
		if (write_all(c, b, sizeof(b), 5000) != sizeof(b) ||
		    read_exact(s, b, sizeof(b), 5000) != sizeof(b) ||
		    write_all(s, b, sizeof(b), 5000) != sizeof(b) ||
		    read_exact(c, b, sizeof(b), 5000) != sizeof(b))
			return -4;
		/* B's FIN tells A's RCV.NXT, SND.NXT and ts_recent. */
		close(c);
		if (read_to_eof(s, b, sizeof(b), 5000))
			return -5;
		close(s);
		if (raw_recv(raw, &fin, TW_PORT, tc[i].cport, F_FIN, F_FIN, 5000) ||
		    !seg_opt(&fin, 8))
			return -6;
		tc[i].rcv_nxt = fin.seq + fin.paylen + 1;
		tc[i].snd_nxt = fin.ack;
		tc[i].ts_recent = get32(seg_opt(&fin, 8) + 2);
		tc[i].tsecr = get32(seg_opt(&fin, 8) + 6);
	}
	close(raw);
	close(lfd);
	if (wait_state_count(t, SIDE_A, ST_TIME_WAIT, n, 5000))
		return -7;
	/* A's answers reach B's tap, not B's stack. */
	if (tc_drop(t, SIDE_A, 10, 0, 0) || tap_drain(t, SIDE_B, IP_B, IP_A, tap))
		return -8;
	return tap;
}

/* Each case at connection @c; *left: TIME_WAIT entries expected. */
static void tw_run(struct __test_metadata *_metadata, struct topo *t, int tap,
		   const struct tw_conn *c, const struct fcase *fc, int *left)
{
	int want = t->kind == FAM_XTCP ? fc->xtcp : fc->inet;
	struct answers a;
	struct states st;
	char buf[512];

	ASSERT_EQ(0, send_case(t, SIDE_B, IP_B, IP_A, TW_PORT, c->cport, fc,
			       c->rcv_nxt, c->snd_nxt, c->ts_recent, c->tsecr));
	ASSERT_EQ(0, collect(t, SIDE_B, IP_B, IP_A, tap, c->cport, true, &a));
	answers_fmt(&a, buf, sizeof(buf));
	EXPECT_TRUE(answer_ok(&a, want, c->snd_nxt, c->rcv_nxt, 0))
		TH_LOG("TIME_WAIT, %s: want %s (seq %u ack %u), got %s",
		       fc->name, ans_names[want], c->snd_nxt, c->rcv_nxt, buf);
	if (want == A_GONE)
		(*left)--;
	ASSERT_EQ(0, read_states(t, SIDE_A, &st));
	EXPECT_EQ(*left, st.n[ST_TIME_WAIT])
		TH_LOG("TIME_WAIT, %s: %d entries, want %d", fc->name,
		       st.n[ST_TIME_WAIT], *left);
	*left = st.n[ST_TIME_WAIT];
}

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

TEST_F_TIMEOUT(inject, time_wait_forged, 120)
{
	long paws0, rst0, paws_want = 0, rst_want = 0;
	bool xt = variant->kind == FAM_XTCP;
	struct tw_conn c;
	int tap, i, left = 1;

	ASSERT_EQ(0, pin_cpu0());
	tap = tw_setup(T, 1, &c);
	ASSERT_LE(0, tap) TH_LOG("setup step %d", -tap);
	paws0 = ctr2(T, SIDE_A, "PAWSEstab", "PAWSEstab");
	rst0 = ctr(T, SIDE_A, "InRsts");
	for (i = 0; i < NCASES(tw_cases); i++) {
		tw_run(_metadata, T, tap, &c, &tw_cases[i], &left);
		if (tw_cases[i].ts == TS_OLD && !(tw_cases[i].flags & F_RST))
			paws_want++;
		if (tw_cases[i].flags & F_RST)
			rst_want++;
	}
	TH_LOG("%s TIME_WAIT: PAWSEstab +%ld, InRsts +%ld", fam_name(variant->kind),
	       ctr2(T, SIDE_A, "PAWSEstab", "PAWSEstab") - paws0,
	       ctr(T, SIDE_A, "InRsts") - rst0);
	/* Linux 6.12 counts an old-TSval RST in PAWSEstab too and its
	 * TIME_WAIT RSTs nowhere; the counters are asserted for xtcp.
	 */
	if (xt) {
		EXPECT_EQ(paws_want, ctr(T, SIDE_A, "PAWSEstab") - paws0);
		EXPECT_EQ(rst_want, ctr(T, SIDE_A, "InRsts") - rst0);
	}
	close(tap);
}

TEST_F_TIMEOUT(inject, time_wait_acks_in_window, 60)
{
	struct tw_conn c;
	int tap, i, left = 1;

	ASSERT_EQ(0, pin_cpu0());
	tap = tw_setup(T, 1, &c);
	ASSERT_LE(0, tap) TH_LOG("setup step %d", -tap);
	for (i = 0; i < NCASES(tw_in_window); i++)
		tw_run(_metadata, T, tap, &c, &tw_in_window[i], &left);
	close(tap);
}

TEST_F_TIMEOUT(inject, time_wait_syn_no_listener, 60)
{
	struct tw_conn c[NCASES(tw_syn_no_listener)];
	int tap, i, left = NCASES(tw_syn_no_listener);

	ASSERT_EQ(0, pin_cpu0());
	tap = tw_setup(T, left, c);
	ASSERT_LE(0, tap) TH_LOG("setup step %d", -tap);
	for (i = 0; i < NCASES(tw_syn_no_listener); i++)
		tw_run(_metadata, T, tap, &c[i], &tw_syn_no_listener[i], &left);
	close(tap);
}

/*
 * SYN_RECV: B's listener holds a half-open entry whose final ACK from A
 * was lost (A is ESTABLISHED).  Forged segments reach it from B's own
 * namespace (a raw socket sending as A to B's address goes through B's
 * loopback, past the filters on the veth); B's answers are seen by a tap
 * in A and dropped before A's stack.  Both with invalid_ratelimit = 0
 * (no per-connection limit on the answers).
 */
static const struct fcase sr_cases[] = {
	{ "RST out of the window", F_RST, FAR, 0, TS_NONE, 0, A_NONE, A_NONE },
	{ "RST,ACK out of the window", F_RST | F_ACK, FAR, 0, TS_SAME, 0, A_NONE, A_NONE },
	{ "RST in the window, not at RCV.NXT", F_RST, 100, 0, TS_NONE, 0, A_ACK, A_ACK },
	{ "ACK of data never sent", F_ACK, 0, 1000, TS_SAME, 0, A_RST, A_RST },
	{ "ACK of the ISS", F_ACK, 0, -1, TS_SAME, 0, A_RST, A_RST },
	{ "SYN again", F_SYN, -1, 0, TS_SAME, 0, A_SYNACK, A_SYNACK },
	{ "right ACK, old TSval", F_ACK, 0, 0, TS_OLD, 0, A_ACK, A_ACK },
	{ "data without ACK", F_PSH, 0, 0, TS_SAME, 100, A_NONE, A_NONE },
	{ "FIN without ACK", F_FIN, 0, 0, TS_SAME, 0, A_NONE, A_NONE },
	{ "no flags", 0, 0, 0, TS_NONE, 0, A_NONE, A_NONE },
	{ "data out of the window", F_ACK | F_PSH, FAR, 0, TS_SAME, 100, A_ACK, A_ACK },
};

/* The one case that differs, and the one that ends the entry. */
static const struct fcase sr_syn_in_window = {
	"SYN in the window", F_SYN, 100, 0, TS_SAME, 0, A_RST, A_ACK,
};
static const struct fcase sr_rst_exact = {
	"RST at RCV.NXT", F_RST, 0, 0, TS_NONE, 0, A_GONE, A_GONE,
};

struct half_open {
	int fd;
	int cport;
	uint32_t rcv_nxt;	/* B's: A's ISN + 1 */
	uint32_t iss;		/* B's */
	uint32_t ts_recent;	/* B's: A's SYN TSval */
	uint32_t tsecr;		/* B's TSval */
};

/* A connects from @cport; its final ACK is lost (filter prio 10). */
static int half_open(struct topo *t, int raw, int cport, int nsr,
		     struct half_open *h)
{
	struct sockaddr_in b = addr_of(SIDE_B, SR_PORT), la = addr_of(SIDE_A, cport);
	int one = 1;
	struct seg s;

	tc_undrop(t, SIDE_B, 11);
	h->cport = cport;
	h->fd = topo_socket(t, SIDE_A);
	if (h->fd < 0)
		return -1;
	setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(h->fd, (struct sockaddr *)&la, sizeof(la)))
		return -2;
	set_nonblock(h->fd, true);
	if (connect(h->fd, (struct sockaddr *)&b, sizeof(b)) && errno != EINPROGRESS)
		return -3;
	if (raw_recv(raw, &s, SR_PORT, cport, F_SYN | F_ACK, F_SYN | F_ACK, 5000) ||
	    !seg_opt(&s, 8))
		return -4;
	h->iss = s.seq;
	h->rcv_nxt = s.ack;
	h->ts_recent = get32(seg_opt(&s, 8) + 6);
	h->tsecr = get32(seg_opt(&s, 8) + 2);
	if (!(wait_revents(h->fd, POLLOUT, POLLOUT, 5000) & POLLOUT) ||
	    get_so_error(h->fd))
		return -5;
	if (wait_state_count(t, SIDE_B, ST_SYN_RECV, nsr, 5000))
		return -6;
	/* B's answers from now on go to A's tap only. */
	return tc_drop(t, SIDE_B, 11, 0, 0) ? -7 : 0;
}

static int peer_port(int fd)
{
	struct sockaddr_in p;
	socklen_t pl = sizeof(p);

	if (getpeername(fd, (struct sockaddr *)&p, &pl))
		return -1;
	return ntohs(p.sin_port);
}

/* Forged case @fc at half-open entry @h; returns 0 or -1, fills @a. */
static int sr_case(struct topo *t, int tap, int cport, const struct fcase *fc,
		   const struct half_open *h, struct answers *a)
{
	if (send_case(t, SIDE_B, IP_A, IP_B, cport, SR_PORT, fc, h->rcv_nxt,
		      h->iss + 1, h->ts_recent, h->tsecr))
		return -1;
	return collect(t, SIDE_B, IP_A, IP_B, tap, SR_PORT,
		       fc->flags == F_SYN, a);
}

struct sr_env {
	int lfd, raw, tap;
};

/* B listens; A's segments with ACK but not SYN are lost (the handshake's
 * last step).  0 or a negative step number.
 */
static int sr_setup(struct topo *t, struct sr_env *e)
{
	if (fam_sysctl_set(t, SIDE_B, "invalid_ratelimit", 0))
		return -1;
	e->lfd = listen_on(t, SR_PORT, 8);
	e->raw = raw_open(t, SIDE_A);
	e->tap = tap_open(t, SIDE_A);
	if (e->lfd < 0 || e->raw < 0 || e->tap < 0)
		return -2;
	set_nonblock(e->lfd, true);
	return tc_drop(t, SIDE_A, 10, F_ACK, F_ACK | F_SYN) ? -3 : 0;
}

static void sr_teardown(struct sr_env *e)
{
	close(e->lfd);
	close(e->raw);
	close(e->tap);
}

/* The client's data completes the entry; B reads it byte-exact. */
static void sr_complete(struct __test_metadata *_metadata, struct topo *t,
			struct sr_env *e, const struct half_open *h)
{
	uint8_t out[1000], in[1000];
	struct timeval tv = { 5, 0 };
	int i, fd = -1;

	ASSERT_EQ(0, tc_undrop(t, SIDE_A, 10));
	ASSERT_EQ(0, tc_undrop(t, SIDE_B, 11));
	fill_pattern(out, sizeof(out), 0, 99);
	set_nonblock(h->fd, false);
	ASSERT_EQ((ssize_t)sizeof(out), write_all(h->fd, out, sizeof(out), 5000));
	set_nonblock(e->lfd, false);
	setsockopt(e->lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* Other entries left (xtcp's SYN in the window) complete too. */
	for (i = 0; i < 3 && fd < 0; i++) {
		fd = accept(e->lfd, NULL, NULL);
		ASSERT_LE(0, fd) TH_LOG("accept: %s", strerror(errno));
		if (peer_port(fd) != h->cport) {
			close(fd);
			fd = -1;
		}
	}
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)sizeof(in), read_exact(fd, in, sizeof(in), 5000));
	EXPECT_EQ(-1, check_pattern(in, sizeof(in), 0, 99));
	ASSERT_EQ(3, write(fd, "ack", 3));
	ASSERT_EQ(3, read_exact(h->fd, in, 3, 5000));
	close(fd);
}

TEST_F_TIMEOUT(inject, syn_recv_forged, 120)
{
	long ch0, paws0, rsts0, paws_want = 0, ch_want = 0;
	bool xt = variant->kind == FAM_XTCP;
	struct half_open h[2];
	struct answers a;
	struct sr_env e;
	int i, want, r;
	char buf[512];

	ASSERT_EQ(0, pin_cpu0());
	r = sr_setup(T, &e);
	ASSERT_EQ(0, r) TH_LOG("setup step %d", -r);
	ch0 = ctr2(T, SIDE_B, "ChallengeAcks", "TCPChallengeACK");
	paws0 = ctr2(T, SIDE_B, "PAWSEstab", "PAWSEstab");
	rsts0 = ctr(T, SIDE_B, "OutRsts");

	/* Every case that leaves the entry in place. */
	r = half_open(T, e.raw, SR_CPORT, 1, &h[0]);
	ASSERT_EQ(0, r) TH_LOG("half-open step %d", -r);
	ASSERT_EQ(0, tap_drain(T, SIDE_B, IP_A, IP_B, e.tap));
	for (i = 0; i < NCASES(sr_cases); i++) {
		const struct fcase *fc = &sr_cases[i];
		uint32_t rst_seq = h[0].iss + 1 + fc->ack;

		want = xt ? fc->xtcp : fc->inet;
		ASSERT_EQ(0, sr_case(T, e.tap, SR_CPORT, fc, &h[0], &a));
		answers_fmt(&a, buf, sizeof(buf));
		EXPECT_TRUE(answer_ok(&a, want, h[0].iss + 1, h[0].rcv_nxt, rst_seq))
			TH_LOG("SYN_RECV, %s: want %s, got %s", fc->name,
			       ans_names[want], buf);
		EXPECT_EQ(0, wait_state_count(T, SIDE_B, ST_SYN_RECV, 1, 0))
			TH_LOG("SYN_RECV, %s: the entry is gone", fc->name);
		if (fc->ts == TS_OLD)
			paws_want++;
		if (want == A_ACK && (fc->flags & F_RST))
			ch_want++;
	}
	EXPECT_EQ(-1, accept(e.lfd, NULL, NULL))
		TH_LOG("a forged segment completed the handshake");

	/*
	 * A SYN in the window at a new sequence number: Linux resets the
	 * request (tcp_check_req(), RST,ACK, AttemptFails); xtcp sends a
	 * challenge ACK and keeps it (RFC 5961 4.2; hardening.rst).
	 */
	r = half_open(T, e.raw, SR_CPORT + 1, 2, &h[1]);
	ASSERT_EQ(0, r) TH_LOG("half-open step %d", -r);
	ASSERT_EQ(0, tap_drain(T, SIDE_B, IP_A, IP_B, e.tap));
	want = xt ? sr_syn_in_window.xtcp : sr_syn_in_window.inet;
	ASSERT_EQ(0, sr_case(T, e.tap, SR_CPORT + 1, &sr_syn_in_window, &h[1], &a));
	answers_fmt(&a, buf, sizeof(buf));
	if (want == A_RST) {
		EXPECT_TRUE(a.n == 1 && a.s[0].flags == (F_RST | F_ACK) &&
			    a.s[0].ack == h[1].rcv_nxt + 101)
			TH_LOG("SYN_RECV, SYN in the window: want RST,ACK, got %s", buf);
	} else {
		EXPECT_TRUE(answer_ok(&a, want, h[1].iss + 1, h[1].rcv_nxt, 0))
			TH_LOG("SYN_RECV, SYN in the window: want %s, got %s",
			       ans_names[want], buf);
		ch_want++;
	}
	EXPECT_EQ(0, wait_state_count(T, SIDE_B, ST_SYN_RECV,
				      want == A_RST ? 1 : 2, 5000));

	TH_LOG("%s SYN_RECV: challenge ACKs +%ld, PAWSEstab +%ld, OutRsts +%ld",
	       fam_name(variant->kind),
	       ctr2(T, SIDE_B, "ChallengeAcks", "TCPChallengeACK") - ch0,
	       ctr2(T, SIDE_B, "PAWSEstab", "PAWSEstab") - paws0,
	       ctr(T, SIDE_B, "OutRsts") - rsts0);
	EXPECT_EQ(ch_want, ctr2(T, SIDE_B, "ChallengeAcks", "TCPChallengeACK") - ch0);
	EXPECT_EQ(paws_want, ctr2(T, SIDE_B, "PAWSEstab", "PAWSEstab") - paws0);

	/* The real client completes the first entry. */
	sr_complete(_metadata, T, &e, &h[0]);
	close(h[0].fd);
	close(h[1].fd);
	sr_teardown(&e);
}

/*
 * The exact RST ends a half-open entry, unanswered, and counts in
 * AttemptFails (RFC 2012: SYN-RCVD to CLOSED; Linux's tcp_check_req());
 * the client, which still thinks itself connected, is reset by B when it
 * sends.
 */
TEST_F_TIMEOUT(inject, syn_recv_exact_rst, 60)
{
	struct half_open h;
	struct answers a;
	struct sr_env e;
	char buf[512];
	long af0;
	int r;

	ASSERT_EQ(0, pin_cpu0());
	r = sr_setup(T, &e);
	ASSERT_EQ(0, r) TH_LOG("setup step %d", -r);
	af0 = ctr(T, SIDE_B, "AttemptFails");
	r = half_open(T, e.raw, SR_CPORT, 1, &h);
	ASSERT_EQ(0, r) TH_LOG("half-open step %d", -r);
	ASSERT_EQ(0, tap_drain(T, SIDE_B, IP_A, IP_B, e.tap));
	ASSERT_EQ(0, sr_case(T, e.tap, SR_CPORT, &sr_rst_exact, &h, &a));
	answers_fmt(&a, buf, sizeof(buf));
	EXPECT_EQ(0, a.n) TH_LOG("SYN_RECV, exact RST: got %s", buf);
	EXPECT_EQ(0, wait_state_count(T, SIDE_B, ST_SYN_RECV, 0, 5000))
		TH_LOG("SYN_RECV, exact RST: the entry stayed");
	EXPECT_EQ(1, ctr(T, SIDE_B, "AttemptFails") - af0);

	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));
	ASSERT_EQ(0, tc_undrop(T, SIDE_B, 11));
	set_nonblock(h.fd, false);
	ASSERT_EQ(3, write(h.fd, "bye", 3));
	EXPECT_TRUE(wait_revents(h.fd, POLLIN, POLLERR, 5000) & POLLERR);
	EXPECT_EQ(ECONNRESET, get_so_error(h.fd));
	EXPECT_EQ(-1, accept(e.lfd, NULL, NULL));
	close(h.fd);
	sr_teardown(&e);
}

/*
 * The per-connection limit on answers to unacceptable segments (RFC 5961
 * 10; Linux's tcp_invalid_ratelimit, xtcp's net.xtcp.invalid_ratelimit,
 * 500 ms by default in both).  B holds an established connection; forged
 * segments as A reach it, its answers are seen by a tap in A and dropped
 * before A's stack.  With the limit at 60 s nothing here is timed: after
 * the first answer, no answer to a segment without data (an ACK out of
 * the window, a PAWS failure, a challenge for an in-window RST or SYN)
 * goes out, each counted by why it was due; data out of the window is
 * always answered.  Then, with the limit at 100 ms and 200 ms waited,
 * one answer goes again.
 */
#define RL_PORT		5330
#define RL_CPORT	40300
#define RL_BURST	5

static const struct fcase rl_oow_ack = {
	"ACK out of the window", F_ACK, FAR, 0, TS_NEW, 0, A_ACK, A_ACK,
};
static const struct fcase rl_oow_data = {
	"data out of the window", F_ACK | F_PSH, FAR, 0, TS_NEW, 100, A_ACK, A_ACK,
};
static const struct fcase rl_limited[] = {
	{ "RST in the window", F_RST, 100, 0, TS_NONE, 0, A_NONE, A_NONE },
	{ "RST in the window", F_RST, 200, 0, TS_NONE, 0, A_NONE, A_NONE },
	{ "RST in the window", F_RST, 300, 0, TS_NONE, 0, A_NONE, A_NONE },
	{ "SYN in the window", F_SYN, 100, 0, TS_NEW, 0, A_NONE, A_NONE },
	{ "ACK with an old TSval", F_ACK, 0, 0, TS_OLD, 0, A_NONE, A_NONE },
};

/* Counter names: xtcp's, then Linux's. */
static const char *const rl_names[][2] = {
	{ "AckSkippedSeq", "TCPACKSkippedSeq" },
	{ "AckSkippedChallenge", "TCPACKSkippedChallenge" },
	{ "AckSkippedPaws", "TCPACKSkippedPAWS" },
};

static void rl_counters(struct topo *t, long *v)
{
	for (int i = 0; i < 3; i++)
		v[i] = ctr2(t, SIDE_B, rl_names[i][0], rl_names[i][1]);
}

TEST_F_TIMEOUT(inject, oow_ratelimit, 60)
{
	int lfd, raw, tap, cfd, sfd, i, k;
	long def, c0[3], c1[3];
	uint32_t rcv_nxt, snd_nxt, ts_recent, tsecr;
	struct answers a;
	uint8_t b[100];
	char buf[512];
	struct seg s;

	ASSERT_EQ(0, pin_cpu0());
	ASSERT_EQ(0, fam_sysctl_get(T, SIDE_B, "invalid_ratelimit", &def));
	EXPECT_EQ(500, def) TH_LOG("the default is Linux's 500 ms");

	lfd = listen_on(T, RL_PORT, 4);
	ASSERT_LE(0, lfd);
	raw = raw_open(T, SIDE_A);
	ASSERT_LE(0, raw);
	tap = tap_open(T, SIDE_A);
	ASSERT_LE(0, tap);
	ASSERT_EQ(0, connect_pair_bound(T, lfd, RL_PORT, RL_CPORT, &cfd, &sfd));
	/* B's data tells its SND.NXT, RCV.NXT and ts_recent. */
	fill_pattern(b, sizeof(b), 0, 5);
	ASSERT_EQ((ssize_t)sizeof(b), write_all(sfd, b, sizeof(b), 5000));
	ASSERT_EQ((ssize_t)sizeof(b), read_exact(cfd, b, sizeof(b), 5000));
	do {
		ASSERT_EQ(0, raw_recv(raw, &s, RL_PORT, RL_CPORT, F_ACK,
				      F_ACK | F_SYN | F_RST | F_FIN, 5000));
	} while (!s.paylen);
	ASSERT_TRUE(seg_opt(&s, 8) != NULL) TH_LOG("no timestamps");
	snd_nxt = s.seq + s.paylen;
	rcv_nxt = s.ack;
	ts_recent = get32(seg_opt(&s, 8) + 6);
	tsecr = get32(seg_opt(&s, 8) + 2);
	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "invalid_ratelimit", 60000));
	ASSERT_EQ(0, tc_drop(T, SIDE_B, 10, 0, 0));
	ASSERT_EQ(0, tap_drain(T, SIDE_A, IP_A, IP_B, tap));
	rl_counters(T, c0);

#define RL_SEND(fc) ASSERT_EQ(0, send_case(T, SIDE_A, IP_A, IP_B, RL_CPORT, RL_PORT, \
					   fc, rcv_nxt, snd_nxt, ts_recent, tsecr))
	/* A burst of ACKs out of the window: one answer. */
	for (i = 0; i < RL_BURST; i++)
		RL_SEND(&rl_oow_ack);
	ASSERT_EQ(0, collect(T, SIDE_A, IP_A, IP_B, tap, RL_PORT, false, &a));
	answers_fmt(&a, buf, sizeof(buf));
	EXPECT_TRUE(answer_ok(&a, A_ACK, snd_nxt, rcv_nxt, 0))
		TH_LOG("%d ACKs out of the window: want one ACK, got %s", RL_BURST, buf);

	/* Data is never part of an ACK loop: each is answered. */
	for (i = 0; i < 3; i++)
		RL_SEND(&rl_oow_data);
	ASSERT_EQ(0, collect(T, SIDE_A, IP_A, IP_B, tap, RL_PORT, false, &a));
	answers_fmt(&a, buf, sizeof(buf));
	EXPECT_EQ(3, a.n) TH_LOG("3 data segments out of the window: got %s", buf);
	for (k = 0; k < a.n; k++)
		EXPECT_TRUE(a.s[k].flags == F_ACK && a.s[k].seq == snd_nxt &&
			    a.s[k].ack == rcv_nxt) TH_LOG("answer %d: %s", k, buf);

	/* Challenges and PAWS answers fall under the same limit. */
	for (i = 0; i < NCASES(rl_limited); i++) {
		RL_SEND(&rl_limited[i]);
		ASSERT_EQ(0, collect(T, SIDE_A, IP_A, IP_B, tap, RL_PORT, false, &a));
		answers_fmt(&a, buf, sizeof(buf));
		EXPECT_EQ(0, a.n) TH_LOG("%s, within the limit: got %s",
					 rl_limited[i].name, buf);
	}
	rl_counters(T, c1);
	TH_LOG("%s: skipped Seq +%ld Challenge +%ld PAWS +%ld", fam_name(variant->kind),
	       c1[0] - c0[0], c1[1] - c0[1], c1[2] - c0[2]);
	EXPECT_EQ(RL_BURST - 1, c1[0] - c0[0]);
	EXPECT_EQ(4, c1[1] - c0[1]);
	EXPECT_EQ(1, c1[2] - c0[2]);

	/* The limit passes: one answer again, then none. */
	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "invalid_ratelimit", 100));
	usleep(200 * 1000);
	RL_SEND(&rl_oow_ack);
	RL_SEND(&rl_oow_ack);
	ASSERT_EQ(0, collect(T, SIDE_A, IP_A, IP_B, tap, RL_PORT, false, &a));
	answers_fmt(&a, buf, sizeof(buf));
	EXPECT_TRUE(answer_ok(&a, A_ACK, snd_nxt, rcv_nxt, 0))
		TH_LOG("after the interval: want one ACK, got %s", buf);
#undef RL_SEND

	/* The connection is unharmed. */
	ASSERT_EQ(0, tc_undrop(T, SIDE_B, 10));
	fill_pattern(b, sizeof(b), 100, 5);
	ASSERT_EQ((ssize_t)sizeof(b), write_all(sfd, b, sizeof(b), 5000));
	memset(b, 0, sizeof(b));
	ASSERT_EQ((ssize_t)sizeof(b), read_exact(cfd, b, sizeof(b), 5000));
	EXPECT_EQ(-1, check_pattern(b, sizeof(b), 100, 5));
	close(cfd);
	close(sfd);
	close(tap);
	close(raw);
	close(lfd);
}

/*
 * The same limit at a TIME_WAIT and at a SYN_RECV connection, with 60 s:
 * the first answer goes, the next to a segment without data does not (a
 * SYN,ACK for a repeated SYN included), a FIN or data is answered.
 * Skips count AckSkippedTimeWait / AckSkippedSynRecv (Linux's
 * TCPACKSkippedTimeWait / TCPACKSkippedSynRecv), whatever their cause.
 */
static const struct fcase rl_tw_cases[] = {
	{ "ACK with an old TSval", F_ACK, 0, 0, TS_OLD, 0, A_ACK, A_ACK },
	{ "ACK with an old TSval, again", F_ACK, 0, 0, TS_OLD, 0, A_NONE, A_NONE },
	{ "SYN below RCV.NXT", F_SYN, -1000, 0, TS_SAME, 0, A_NONE, A_NONE },
	{ "FIN again", F_FIN | F_ACK, -1, 0, TS_SAME, 0, A_ACK, A_ACK },
};

static const struct fcase rl_sr_cases[] = {
	{ "right ACK, old TSval", F_ACK, 0, 0, TS_OLD, 0, A_ACK, A_ACK },
	{ "right ACK, old TSval, again", F_ACK, 0, 0, TS_OLD, 0, A_NONE, A_NONE },
	{ "SYN again", F_SYN, -1, 0, TS_SAME, 0, A_NONE, A_NONE },
	{ "data out of the window", F_ACK | F_PSH, FAR, 0, TS_SAME, 100, A_ACK, A_ACK },
};

TEST_F_TIMEOUT(inject, oow_ratelimit_tw_sr, 120)
{
	bool xt = variant->kind == FAM_XTCP;
	struct half_open h;
	struct tw_conn c;
	struct answers a;
	struct sr_env e;
	int tap, i, r, left = 1;
	long v0;
	char buf[512];

	ASSERT_EQ(0, pin_cpu0());
	tap = tw_setup(T, 1, &c);
	ASSERT_LE(0, tap) TH_LOG("setup step %d", -tap);
	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_A, "invalid_ratelimit", 60000));
	v0 = ctr2(T, SIDE_A, "AckSkippedTimeWait", "TCPACKSkippedTimeWait");
	for (i = 0; i < NCASES(rl_tw_cases); i++)
		tw_run(_metadata, T, tap, &c, &rl_tw_cases[i], &left);
	EXPECT_EQ(2, ctr2(T, SIDE_A, "AckSkippedTimeWait", "TCPACKSkippedTimeWait") - v0);
	close(tap);
	ASSERT_EQ(0, tc_undrop(T, SIDE_A, 10));	/* tw_setup()'s */

	r = sr_setup(T, &e);
	ASSERT_EQ(0, r) TH_LOG("setup step %d", -r);
	r = half_open(T, e.raw, SR_CPORT, 1, &h);
	ASSERT_EQ(0, r) TH_LOG("half-open step %d", -r);
	ASSERT_EQ(0, tap_drain(T, SIDE_B, IP_A, IP_B, e.tap));
	ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "invalid_ratelimit", 60000));
	v0 = ctr2(T, SIDE_B, "AckSkippedSynRecv", "TCPACKSkippedSynRecv");
	for (i = 0; i < NCASES(rl_sr_cases); i++) {
		const struct fcase *fc = &rl_sr_cases[i];
		int want = xt ? fc->xtcp : fc->inet;

		ASSERT_EQ(0, sr_case(T, e.tap, SR_CPORT, fc, &h, &a));
		answers_fmt(&a, buf, sizeof(buf));
		EXPECT_TRUE(answer_ok(&a, want, h.iss + 1, h.rcv_nxt, 0))
			TH_LOG("SYN_RECV, %s: want %s, got %s", fc->name,
			       ans_names[want], buf);
	}
	EXPECT_EQ(2, ctr2(T, SIDE_B, "AckSkippedSynRecv", "TCPACKSkippedSynRecv") - v0);
	sr_complete(_metadata, T, &e, &h);
	close(h.fd);
	sr_teardown(&e);
}

TEST_HARNESS_MAIN
