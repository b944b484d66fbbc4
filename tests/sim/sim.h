/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic simulation of two xtcp cores over an impaired link.
 *
 * Everything runs on one thread against a virtual clock in microseconds;
 * all randomness comes from rng.h seeded by the run's seed, so a seed
 * replays exactly.  The pieces:
 *
 *   link.c      one direction of the wire: delay, jitter, loss,
 *               duplication, reordering, bit corruption, a checksum
 *   endpoint.c  one host: the real core (struct xtcp_tcb) plus a compact
 *               user-space copy of the kernel glue's decisions
 *   app.c       the application on each host: writes, reads, closes
 *   adversary.c a third party that injects forged segments
 *   check.c     invariants checked on every event and at the end
 *   profile.c   the link profiles and each run's random parameters
 *   sim.c       the event loop, seeds, TAP output
 */
#ifndef _XTCP_SIM_H
#define _XTCP_SIM_H

#include <stdarg.h>
#include <stdio.h>

#include "tcb.h"
#include "rto.h"
#include "seq.h"
#include "rng.h"

#define SIM_PROTO	253
#define SIM_NONE	UINT64_MAX	/* a timer that is not armed */
#define SIM_SEC		1000000ULL

/* One segment on the wire: real header bytes plus payload. */
struct pkt {
	uint64_t at;		/* delivery time */
	uint64_t order;		/* tie-break: the order it was queued in */
	bool forged;		/* injected by the adversary */
	uint32_t len;
	uint8_t *data;
};

struct link_cfg {
	uint32_t delay_us;	/* one-way base delay */
	uint32_t jitter_us;	/* plus uniform 0..jitter (may reorder) */
	uint32_t loss_ppm;
	uint32_t dup_ppm;
	uint32_t reorder_ppm;	/* this share gets reorder_us more delay */
	uint32_t reorder_us;
	uint32_t corrupt_ppm;	/* flip bits in one 16-bit word */
};

struct link {
	struct link_cfg cfg;
	struct rng rng;
	struct pkt *q;		/* in flight, sorted by (at, order) */
	uint32_t n, cap;
	uint64_t last_at;	/* FIFO without jitter or reordering */
	uint32_t sent, lost, dups, corrupted;
};

/* A write-queue entry: sequence space held until acknowledged. */
struct wq_ent {
	uint32_t seq, end_seq;	/* seq + len + SYN + FIN */
	uint32_t len;		/* payload bytes */
	uint8_t flags;		/* XTCP_SYN / XTCP_FIN */
	bool retransmitted, sacked, rtx_in_rec;
	uint64_t sent_us;
};

enum close_policy {
	CLOSE_AFTER_WRITES,	/* close as soon as everything is written */
	CLOSE_AFTER_EOF,	/* wait for the peer's FIN first */
	CLOSE_AT_TIME,		/* at a random moment once everything is written */
};

/* What the application on a host does: its stream and its habits. */
struct app {
	struct rng rng;
	uint64_t stream_key;	/* the bytes of the stream this host sends */
	uint32_t stream_len;
	uint32_t written;
	uint32_t wchunk, rchunk;	/* largest write() and read() */
	uint32_t think_us;		/* delay before the app reacts */
	uint32_t pause_ppm, pause_us;	/* reader stalls (zero window) */
	enum close_policy close;
	uint64_t close_at;
	bool closed;		/* shutdown(SHUT_WR) done */
	bool eof;		/* read returned 0 */
	uint64_t read;		/* bytes read and verified */
	uint64_t paused_until;
};

struct sim;

struct endpoint {
	int id;			/* 0: client (active), 1: server (passive) */
	const char *name;
	struct sim *sim;
	struct endpoint *peer;
	struct link *out;	/* the direction this host sends on */

	struct xtcp_tcb tcb;
	struct xtcp_rto rto;
	struct xtcp_syn_params syn;
	bool listening;		/* passive host before its connection exists */
	bool exists;		/* a connection (tcb) exists */
	bool gone;		/* it ended: segments find no socket */
	bool connected;		/* reached ESTABLISHED once */
	int err;		/* errno it ended with, 0 if none */
	uint16_t mss_cache;
	bool nodelay;
	uint32_t ts_off;
	uint32_t syn_retries, synack_retries, retries2;

	/* Sending: the write queue, as an array oldest first. */
	struct wq_ent *wq;
	uint32_t wq_n, wq_cap;
	uint32_t send_head;	/* index of the first unsent entry; wq_n: none */
	uint32_t write_seq;
	uint32_t sndbuf;
	uint8_t retransmits, probes_out;
	bool rtt_pending;
	uint32_t rtt_seq;
	uint64_t rtt_start_us, rack_us;

	/* Receiving: a ring of bytes from copied_seq; bytes past rcv_nxt
	 * are out-of-order data (present[] marks them).
	 */
	uint32_t rcvbuf;
	uint8_t *ring, *present;
	uint32_t ring_size;	/* a power of two */
	uint32_t copied_seq, rcv_queued, rcv_wup;
	uint16_t rcv_mss;	/* the peer's full-sized segment, learnt */
	uint32_t ooo_bytes;
	bool fin_rcvd;

	/* Timers: absolute virtual times, SIM_NONE when not armed. */
	uint64_t rtx_at, dack_at, wait_at, app_at;
	bool rtx_probe;		/* rtx_at was armed with nothing in flight */
	bool sws_override;	/* the timer sends into a small window */

	struct app app;
	uint32_t segs_out, retrans, probes, challenges, csum_drops, parse_drops;
	uint32_t rtos, early_rtos, recoveries, ooo_kept, pruned, renegings;
};

/* Run parameters every profile draws from. */
struct profile {
	const char *name;
	struct link_cfg (*link)(struct rng *r);
	unsigned int small_rcvbuf; /* a few KiB, pausing reader: 0 no, 1 yes, 2 half */
	bool adversary;
};

struct adversary {
	bool on;
	struct rng rng;
	uint64_t next_at;
	uint32_t gap_us;	/* mean time between injections */
	uint32_t injected, exact_rsts;
};

struct sim {
	uint64_t now;
	uint64_t seed;
	const struct profile *prof;
	bool small_rcvbuf;	/* this run's choice */
	bool verbose;
	uint64_t order;
	struct endpoint ep[2];
	struct link link[2];	/* link[i] carries what ep[i] sends */
	struct adversary adv;
	uint64_t time_limit;	/* liveness bound */
	uint64_t reset_at;	/* when a connection was reset, or SIM_NONE */
	bool guessed_reset;	/* by a forged RST with the exact seq */
	bool stopped;		/* a reset run has nothing more to do */
	uint32_t states_seen;	/* XTCPF() of every state either host reached */
	bool seen[2];		/* check.c: last values, for monotonicity */
	uint32_t last_rcv_nxt[2], last_snd_una[2];
	bool edge_set[2];
	uint32_t last_edge[2];	/* right edge of the window last offered */
	bool failed;
	char reason[256];
	uint64_t events;
};

/* sim.c */
void sim_log(struct sim *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sim_fail(struct sim *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sim_trace_seg(struct sim *s, const struct endpoint *to, const char *what,
		   const uint8_t *data, uint32_t len, bool forged);

/* link.c */
void link_init(struct link *l, const struct link_cfg *cfg, uint64_t seed, int dir);
void link_free(struct link *l);
void link_send(struct sim *s, struct link *l, const uint8_t *data, uint32_t len);
bool link_pop(struct link *l, uint64_t now, struct pkt *p);
uint64_t link_next(const struct link *l);
void seg_csum_set(uint8_t *data, uint32_t len, int from);
bool seg_csum_ok(const uint8_t *data, uint32_t len, int from);
void stream_fill(uint64_t key, uint64_t off, uint8_t *buf, uint32_t len);

/* endpoint.c */
void ep_init(struct sim *s, struct endpoint *ep, int id);
void ep_free(struct endpoint *ep);
void ep_connect(struct endpoint *ep);
void ep_receive(struct endpoint *ep, const struct pkt *p);
void ep_timers(struct endpoint *ep);
uint64_t ep_next(const struct endpoint *ep);
void ep_push(struct endpoint *ep);
uint32_t ep_write(struct endpoint *ep, uint32_t len);
unsigned int ep_state(const struct endpoint *ep);
void ep_read_done(struct endpoint *ep);
void ep_close(struct endpoint *ep);
uint32_t ep_readable(const struct endpoint *ep);
uint32_t ep_rcv_free(const struct endpoint *ep);
uint64_t ep_rcv_held(const struct endpoint *ep);

/* app.c */
void app_init(struct endpoint *ep, struct rng *r);
void app_kick(struct endpoint *ep);
void app_run(struct endpoint *ep);

/* adversary.c */
void adv_init(struct sim *s);
void adv_run(struct sim *s);

/* check.c */
void check_transition(struct sim *s, const struct endpoint *ep,
		      unsigned int from, unsigned int to);
void check_sent(struct sim *s, const struct endpoint *ep,
		const struct xtcp_seg *seg);
void check_reset(struct sim *s, const struct endpoint *ep, unsigned int old,
		 const struct xtcp_seg *seg, uint32_t rcv_nxt, bool forged,
		 bool is_reset);
void check_tcbs(struct sim *s);
bool check_done(struct sim *s);
void check_final(struct sim *s);

/* profile.c */
extern const struct profile sim_profiles[];
extern const unsigned int sim_nprofiles;
const struct profile *profile_find(const char *name);

#endif /* _XTCP_SIM_H */
