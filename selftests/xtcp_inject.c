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
	"EstabResets", "InSegs",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))
enum {
	C_INERRS, C_CSUM, C_NOSOCK, C_OOW, C_CH, C_CHLIM, C_PAWS, C_ORST,
	C_ERST, C_INSEGS,
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
	if (xt)
		ASSERT_EQ(0, fam_sysctl_set(T, SIDE_B, "challenge_ack_limit",
					    CH_LIMIT));

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

TEST_HARNESS_MAIN
