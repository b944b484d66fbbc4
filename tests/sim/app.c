// SPDX-License-Identifier: GPL-2.0
/*
 * The application on each host: it writes its stream in random chunks as
 * the send buffer allows, reads in random chunks (sometimes pausing, which
 * closes the receive window), verifies every byte it reads against the
 * peer's stream, and closes its sending side by its close policy.  It runs
 * when woken (data, room, connection) after a random think time, like a
 * process scheduled after a wake-up.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* Log-uniform in [1, 2^maxbits]: mostly small, sometimes large. */
static uint32_t log_uniform(struct rng *r, unsigned int maxbits)
{
	return 1 + rng_below(r, 1u << rng_range(r, 0, maxbits));
}

/* A write or read size: a tenth of the applications use tiny ones. */
static uint32_t chunk(struct rng *r)
{
	if (!rng_below(r, 10))
		return log_uniform(r, 16);
	return 1 + rng_below(r, 1u << rng_range(r, 8, 16));
}

void app_init(struct endpoint *ep, struct rng *r)
{
	struct app *a = &ep->app;

	a->stream_key = rng_next(r);
	/* 0 .. 256 KiB, log-uniform, with empty streams now and then. */
	a->stream_len = rng_below(r, 16) ? log_uniform(r, 18) - 1 : 0;
	a->wchunk = chunk(r);
	a->rchunk = chunk(r);
	a->think_us = rng_below(r, 2000);
	if (ep->sim->small_rcvbuf) {
		/* Long enough for the window to close, and for probes. */
		a->pause_ppm = 50000;
		a->pause_us = rng_range(r, 50000, 2000000);
		a->stream_len &= 0xffff;
		if (a->rchunk < 256)
			a->rchunk = 256;
	} else {
		a->pause_ppm = 5000;
		a->pause_us = rng_range(r, 1000, 100000);
	}
	a->close = (enum close_policy)rng_below(r, 3);
	a->close_at = SIM_NONE;
	/* Both waiting for the other's FIN would wait for ever. */
	if (ep->id == 1 && a->close == CLOSE_AFTER_EOF &&
	    ep->peer->app.close == CLOSE_AFTER_EOF)
		a->close = CLOSE_AFTER_WRITES;
}

void app_kick(struct endpoint *ep)
{
	struct app *a = &ep->app;
	uint64_t at;

	if (ep->app_at != SIM_NONE)
		return;
	at = ep->sim->now + rng_below(&a->rng, a->think_us + 1);
	if (at < a->paused_until)
		at = a->paused_until;
	ep->app_at = at;
}

/* Read up to @n bytes; every byte must be the peer's stream's next. */
static void app_read(struct endpoint *ep, uint32_t n)
{
	struct app *a = &ep->app;
	uint32_t mask = ep->ring_size - 1, i;
	uint8_t want[4096];

	while (n) {
		uint32_t k = n < sizeof(want) ? n : sizeof(want);

		stream_fill(ep->peer->app.stream_key, a->read, want, k);
		for (i = 0; i < k; i++) {
			if (ep->ring[(ep->copied_seq + i) & mask] != want[i]) {
				sim_fail(ep->sim, "%s: stream byte %llu differs from what the peer sent",
					 ep->name, (unsigned long long)(a->read + i));
				return;
			}
		}
		ep->copied_seq += k;
		a->read += k;
		n -= k;
	}
	ep_read_done(ep);
}

static bool can_write(const struct endpoint *ep)
{
	return ep->connected && !ep->gone &&
	       (XTCPF(ep->tcb.state) & (XTCPF(XTCP_ESTABLISHED) |
					XTCPF(XTCP_CLOSE_WAIT)));
}

static void maybe_close(struct endpoint *ep)
{
	struct app *a = &ep->app;
	bool go = false;

	if (a->closed || !can_write(ep) || a->written != a->stream_len)
		return;
	switch (a->close) {
	case CLOSE_AFTER_WRITES:
		go = true;
		break;
	case CLOSE_AFTER_EOF:
		go = a->eof;
		break;
	case CLOSE_AT_TIME:
		if (a->close_at == SIM_NONE)
			a->close_at = ep->sim->now + rng_below(&a->rng, 500000);
		go = ep->sim->now >= a->close_at;
		if (!go && (ep->app_at == SIM_NONE || ep->app_at > a->close_at))
			ep->app_at = a->close_at;
		break;
	}
	if (go) {
		a->closed = true;
		ep_close(ep);
	}
}

void app_run(struct endpoint *ep)
{
	struct app *a = &ep->app;
	struct sim *s = ep->sim;
	bool more = false;

	ep->app_at = SIM_NONE;
	if (!ep->connected || (ep->gone && ep->err))
		return;

	if (can_write(ep) && !a->closed && a->written < a->stream_len) {
		uint32_t n = rng_range(&a->rng, 1, a->wchunk), w;

		if (n > a->stream_len - a->written)
			n = a->stream_len - a->written;
		w = ep_write(ep, n);
		a->written += w;
		/* A short write: the buffer is full; an ACK wakes us. */
		more = w == n && a->written < a->stream_len;
	}

	if (s->now >= a->paused_until && ep_readable(ep)) {
		uint32_t n = rng_range(&a->rng, 1, a->rchunk);

		if (n > ep_readable(ep))
			n = ep_readable(ep);
		app_read(ep, n);
		if (rng_ppm(&a->rng, a->pause_ppm)) {
			a->paused_until = s->now + rng_range(&a->rng, 1, a->pause_us);
			sim_log(s, "%s: reader pauses until %llu", ep->name,
				(unsigned long long)a->paused_until);
		}
	}
	/* Data left, or waiting out a pause: come back (at its end). */
	more |= ep_readable(ep) != 0;
	if (ep->fin_rcvd && !ep_readable(ep) && !a->eof) {
		a->eof = true;
		sim_log(s, "%s: read EOF after %llu bytes", ep->name,
			(unsigned long long)a->read);
	}
	if (more)
		app_kick(ep);
	maybe_close(ep);
}
