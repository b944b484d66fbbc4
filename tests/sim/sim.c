// SPDX-License-Identifier: GPL-2.0
/*
 * The driver: for each link profile, run seeds 1..N, each a complete
 * connection (handshake, both streams, both closes) between two simulated
 * hosts, and print one TAP line per profile.
 *
 *   sim [-n SEEDS] [-p PROFILE] [-s SEED] [-v]
 *
 * -s runs one seed (of every profile, or of -p's) with a trace of every
 * segment and state change; -v traces every run.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim.h"

#define DEFAULT_SEEDS	300
#define TIME_LIMIT	(1800 * SIM_SEC)	/* liveness bound per run */
#define AFTER_RESET	(1800 * SIM_SEC)	/* how long a reset run may go on */

void sim_log(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->verbose)
		return;
	printf("# %4llu.%06llu ", (unsigned long long)(s->now / SIM_SEC),
	       (unsigned long long)(s->now % SIM_SEC));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void sim_fail(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	sim_log(s, "FAIL: %s", s->reason);
}

void sim_trace_seg(struct sim *s, const struct endpoint *to, const char *what,
		   const uint8_t *data, uint32_t len, bool forged)
{
	static const char names[] = "FSRPAUEC";
	struct xtcp_seg seg;
	char flags[9], opts[160];
	int i, n = 0, o = 0;

	if (!s->verbose)
		return;
	if (xtcp_hdr_parse(data, len, &seg)) {
		sim_log(s, "%s %s %s: %u bytes, unparsable", what,
			to->peer->name, forged ? "(forged)" : "", len);
		return;
	}
	for (i = 0; i < 8; i++)
		if (seg.flags & (1 << i))
			flags[n++] = names[i];
	flags[n] = 0;
	opts[0] = 0;
	if (seg.opts.mss_ok)
		o += snprintf(opts + o, sizeof(opts) - o, " mss=%u", seg.opts.mss);
	if (seg.opts.ws_ok)
		o += snprintf(opts + o, sizeof(opts) - o, " ws=%u", seg.opts.ws);
	if (seg.opts.sack_ok)
		o += snprintf(opts + o, sizeof(opts) - o, " sackok");
	if (seg.opts.ts_ok)
		o += snprintf(opts + o, sizeof(opts) - o, " ts=%u/%u",
			      seg.opts.tsval, seg.opts.tsecr);
	for (i = 0; i < seg.opts.nsack && o < 120; i++)
		o += snprintf(opts + o, sizeof(opts) - o, " sack=%u-%u",
			      seg.opts.sack[i].start, seg.opts.sack[i].end);
	sim_log(s, "%s %s>%s %-4s seq=%u ack=%u len=%u wnd=%u%s%s", what,
		forged ? "adversary" : to->peer->name, to->name, flags, seg.seq,
		seg.ack, seg.len, seg.wnd, opts, forged ? " (forged)" : "");
}

/* After a reset: nothing more can happen that matters. */
static bool quiet(const struct sim *s)
{
	return !s->link[0].n && !s->link[1].n &&
	       s->ep[0].rtx_at == SIM_NONE && s->ep[1].rtx_at == SIM_NONE;
}

static void step(struct sim *s)
{
	uint64_t t = SIM_NONE, c[5];
	int which = -1, i;
	struct pkt p;

	c[0] = link_next(&s->link[0]);
	c[1] = link_next(&s->link[1]);
	c[2] = ep_next(&s->ep[0]);
	c[3] = ep_next(&s->ep[1]);
	c[4] = s->adv.on ? s->adv.next_at : SIM_NONE;
	for (i = 0; i < 5; i++) {
		if (c[i] < t) {
			t = c[i];
			which = i;
		}
	}
	if (s->reset_at != SIM_NONE &&
	    (quiet(s) || t == SIM_NONE || t > s->reset_at + AFTER_RESET)) {
		s->stopped = true;
		return;
	}
	if (which < 0) {
		sim_fail(s, "stalled: nothing left to happen (client %s, server %s)",
			 xtcp_state_name(ep_state(&s->ep[0])),
			 xtcp_state_name(ep_state(&s->ep[1])));
		return;
	}
	if (t > s->time_limit && s->reset_at == SIM_NONE) {
		char why[96] = "";

		for (i = 0; i < 2; i++) {
			const struct endpoint *ep = &s->ep[i];

			/* Data waits while the window is open: silly-window rules. */
			if (!ep->gone && ep->send_head < ep->wq_n && ep->tcb.snd_wnd &&
			    ep->tcb.snd_una == ep->tcb.snd_nxt)
				snprintf(why, sizeof(why),
					 "; %s holds data for an open window of %u (largest %u)",
					 ep->name, ep->tcb.snd_wnd, ep->tcb.max_snd_wnd);
		}
		sim_fail(s, "not finished after %llu s of virtual time (client %s, server %s)%s",
			 (unsigned long long)(s->time_limit / SIM_SEC),
			 xtcp_state_name(ep_state(&s->ep[0])),
			 xtcp_state_name(ep_state(&s->ep[1])), why);
		return;
	}
	s->now = t;
	s->events++;
	switch (which) {
	case 0:
	case 1:
		link_pop(&s->link[which], t, &p);
		sim_trace_seg(s, &s->ep[!which], "recv", p.data, p.len, false);
		ep_receive(&s->ep[!which], &p);
		free(p.data);
		break;
	case 2:
	case 3:
		ep_timers(&s->ep[which - 2]);
		break;
	default:
		adv_run(s);
		break;
	}
	check_tcbs(s);
}

struct outcome {
	bool failed, reset;
	uint64_t end_us, events;
	char reason[256];
};

/* What a profile's runs went through: evidence that the paths ran. */
struct coverage {
	uint64_t resets, closing, probes, recoveries, rtos, early, ooo, challenges;
	uint64_t csum_drops, parse_drops, forged, pruned, renegings;
};

static void cover(struct coverage *c, const struct sim *s)
{
	int i;

	c->closing += !!(s->states_seen & XTCPF(XTCP_CLOSING));
	c->forged += s->adv.injected;
	for (i = 0; i < 2; i++) {
		const struct endpoint *ep = &s->ep[i];

		c->probes += ep->probes;
		c->recoveries += ep->recoveries;
		c->rtos += ep->rtos;
		c->early += ep->early_rtos;
		c->ooo += ep->ooo_kept;
		c->pruned += ep->pruned;
		c->renegings += ep->renegings;
		c->challenges += ep->challenges;
		c->csum_drops += ep->csum_drops;
		c->parse_drops += ep->parse_drops;
	}
}

static void run(const struct profile *p, unsigned int pidx, uint64_t seedno,
		bool verbose, struct outcome *out, struct coverage *cov)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct link_cfg cfg[2];
	struct rng pr;
	int i;

	if (!s)
		abort();
	s->seed = mix64(seedno * 64 + pidx);
	s->prof = p;
	s->verbose = verbose;
	s->reset_at = SIM_NONE;
	s->time_limit = TIME_LIMIT;
	rng_init(&pr, s->seed, 1);
	s->small_rcvbuf = p->small_rcvbuf == 1 ||
			  (p->small_rcvbuf == 2 && rng_below(&pr, 2));
	for (i = 0; i < 2; i++) {
		cfg[i] = p->link(&pr);
		link_init(&s->link[i], &cfg[i], s->seed, i);
	}
	ep_init(s, &s->ep[0], 0);
	ep_init(s, &s->ep[1], 1);
	adv_init(s);
	for (i = 0; i < 2; i++)
		sim_log(s, "%s: stream %u bytes, mss %u, rcvbuf %u, sndbuf %u, ws %d/%u sack %d ts %d nodelay %d close %d; link delay %u jitter %u loss %u dup %u reorder %u/%u corrupt %u ppm",
			s->ep[i].name, s->ep[i].app.stream_len, s->ep[i].mss_cache,
			s->ep[i].rcvbuf, s->ep[i].sndbuf, s->ep[i].syn.want_wscale,
			s->ep[i].syn.rcv_wscale, s->ep[i].syn.want_sack,
			s->ep[i].syn.want_ts, s->ep[i].nodelay, s->ep[i].app.close,
			cfg[i].delay_us, cfg[i].jitter_us, cfg[i].loss_ppm,
			cfg[i].dup_ppm, cfg[i].reorder_ppm, cfg[i].reorder_us,
			cfg[i].corrupt_ppm);

	ep_connect(&s->ep[0]);
	while (!s->failed && !s->stopped && !check_done(s))
		step(s);
	check_final(s);

	out->failed = s->failed;
	out->reset = s->reset_at != SIM_NONE;
	out->end_us = s->now;
	out->events = s->events;
	snprintf(out->reason, sizeof(out->reason), "%s", s->reason);
	cover(cov, s);
	sim_log(s, "end: %s after %llu events; client sent %u segs (%u rtx, %u probes), server %u (%u rtx, %u probes); %u forged, %u challenge ACKs",
		s->failed ? "FAILED" : out->reset ? "reset" : "complete",
		(unsigned long long)s->events, s->ep[0].segs_out, s->ep[0].retrans,
		s->ep[0].probes, s->ep[1].segs_out, s->ep[1].retrans,
		s->ep[1].probes, s->adv.injected,
		s->ep[0].challenges + s->ep[1].challenges);
	for (i = 0; i < 2; i++) {
		const struct endpoint *ep = &s->ep[i];

		sim_log(s, "%s: %s snd_una %u snd_nxt %u snd_wnd %u write_seq %u queued %u; rcv_nxt %u rcv_wnd %u, %u readable, %u out of order, %u free; app wrote %u read %llu eof %d",
			ep->name, xtcp_state_name(ep_state(ep)), ep->tcb.snd_una,
			ep->tcb.snd_nxt, ep->tcb.snd_wnd, ep->write_seq, ep->wq_n,
			ep->tcb.rcv_nxt, xtcp_tcb_rcv_wnd(&ep->tcb), ep_readable(ep),
			ep->ooo_bytes, ep_rcv_free(ep), ep->app.written,
			(unsigned long long)ep->app.read, ep->app.eof);
	}
	for (i = 0; i < 2; i++) {
		link_free(&s->link[i]);
		ep_free(&s->ep[i]);
	}
	free(s);
}

int main(int argc, char **argv)
{
	uint64_t seeds = DEFAULT_SEEDS, one = 0;
	const struct profile *only = NULL;
	unsigned int pi, n = 0, bad_profiles = 0;
	bool verbose = false;
	int opt;

	while ((opt = getopt(argc, argv, "n:p:s:v")) != -1) {
		switch (opt) {
		case 'n':
			seeds = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			only = profile_find(optarg);
			if (!only) {
				fprintf(stderr, "unknown profile %s\n", optarg);
				return 2;
			}
			break;
		case 's':
			one = strtoull(optarg, NULL, 0);
			verbose = true;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n SEEDS] [-p PROFILE] [-s SEED] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%u\n", only ? 1 : sim_nprofiles);
	for (pi = 0; pi < sim_nprofiles; pi++) {
		const struct profile *p = &sim_profiles[pi];
		uint64_t first = one ? one : 1, last = one ? one : seeds, sd;
		uint64_t failed = 0, max_us = 0, events = 0, bad_seed = 0;
		char seeds_failed[128] = "";
		struct coverage cov = { 0 };
		char reason[256] = "";

		if (only && only != p)
			continue;
		for (sd = first; sd <= last; sd++) {
			struct outcome o;

			run(p, pi, sd, verbose, &o, &cov);
			events += o.events;
			if (o.failed) {
				size_t l = strlen(seeds_failed);

				if (l + 30 < sizeof(seeds_failed))
					snprintf(seeds_failed + l, sizeof(seeds_failed) - l,
						 " %llu", (unsigned long long)sd);
				else if (!strstr(seeds_failed, " ..."))
					strcat(seeds_failed, " ...");
				if (!failed++) {
					bad_seed = sd;
					snprintf(reason, sizeof(reason), "%s", o.reason);
				}
				continue;
			}
			if (o.reset)
				cov.resets++;
			else if (o.end_us > max_us)
				max_us = o.end_us;
		}
		n++;
		if (failed) {
			bad_profiles++;
			printf("not ok %u - %s seeds %llu..%llu: %llu failed; seed %llu: %s (replay: make -C tests/sim SEED=%llu PROFILE=%s)\n",
			       n, p->name, (unsigned long long)first,
			       (unsigned long long)last, (unsigned long long)failed,
			       (unsigned long long)bad_seed, reason,
			       (unsigned long long)bad_seed, p->name);
			printf("#   failed seeds:%s\n", seeds_failed);
		} else {
			printf("ok %u - %s seeds %llu..%llu\n", n, p->name,
			       (unsigned long long)first, (unsigned long long)last);
		}
		printf("#   %llu reset by a correct guess; %llu with CLOSING; %llu probes, %llu fast recoveries, %llu timeouts (%llu early), %llu out-of-order kept, %llu pruned, %llu renegings seen; %llu forged, %llu challenge ACKs; %llu bad checksums, %llu unparsable; longest complete run %llu.%03llu s virtual, %llu events\n",
		       (unsigned long long)cov.resets, (unsigned long long)cov.closing,
		       (unsigned long long)cov.probes,
		       (unsigned long long)cov.recoveries,
		       (unsigned long long)cov.rtos, (unsigned long long)cov.early,
		       (unsigned long long)cov.ooo,
		       (unsigned long long)cov.pruned,
		       (unsigned long long)cov.renegings,
		       (unsigned long long)cov.forged,
		       (unsigned long long)cov.challenges,
		       (unsigned long long)cov.csum_drops,
		       (unsigned long long)cov.parse_drops,
		       (unsigned long long)(max_us / SIM_SEC),
		       (unsigned long long)(max_us % SIM_SEC / 1000),
		       (unsigned long long)events);
	}
	return bad_profiles ? 1 : 0;
}
