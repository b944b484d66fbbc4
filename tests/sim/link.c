// SPDX-License-Identifier: GPL-2.0
/*
 * One direction of the simulated wire, and what the hosts put on it.
 *
 * Corruption is real: bits of the wire bytes are flipped, and the
 * receiver must notice.  The core has no checksum (the kernel glue
 * computes RFC 9293's over the IP pseudo-header), so the hosts here fill
 * the header's checksum field with the same Internet checksum over a
 * pseudo-header of their own (host ids, protocol, length).  The link
 * flips 1..15 bits of one 16-bit word of the segment: such a change
 * always alters a ones'-complement sum, so every corrupted segment is
 * caught and a run never depends on luck.  (Several corrupted words can
 * cancel out in a real checksum; that is the checksum's weakness, not the
 * protocol's, and is left out.)
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

void stream_fill(uint64_t key, uint64_t off, uint8_t *buf, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++, off++)
		buf[i] = (uint8_t)(mix64(key ^ ((off >> 3) * 0x9e3779b97f4a7c15ULL)) >>
				   ((off & 7) * 8));
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The pseudo-header: sender id, receiver id, protocol, length. */
static uint32_t csum_pseudo(uint32_t len, int from)
{
	return (uint32_t)(0x0a00 + from) + (uint32_t)(0x0a00 + !from) +
	       SIM_PROTO + len;
}

void seg_csum_set(uint8_t *data, uint32_t len, int from)
{
	uint16_t c;

	data[XTCP_CSUM_OFFSET] = 0;
	data[XTCP_CSUM_OFFSET + 1] = 0;
	c = (uint16_t)~csum_fold(csum_add(csum_pseudo(len, from), data, len));
	data[XTCP_CSUM_OFFSET] = (uint8_t)(c >> 8);
	data[XTCP_CSUM_OFFSET + 1] = (uint8_t)c;
}

bool seg_csum_ok(const uint8_t *data, uint32_t len, int from)
{
	if (len < XTCP_HDR_LEN)
		return false;
	return csum_fold(csum_add(csum_pseudo(len, from), data, len)) == 0xffff;
}

void link_init(struct link *l, const struct link_cfg *cfg, uint64_t seed, int dir)
{
	memset(l, 0, sizeof(*l));
	l->cfg = *cfg;
	rng_init(&l->rng, seed, 100 + dir);
}

void link_free(struct link *l)
{
	uint32_t i;

	for (i = 0; i < l->n; i++)
		free(l->q[i].data);
	free(l->q);
	memset(l, 0, sizeof(*l));
}

static void enqueue(struct sim *s, struct link *l, const uint8_t *data,
		    uint32_t len, uint64_t at)
{
	struct pkt p = { .at = at, .order = s->order++, .len = len };
	uint32_t i;

	p.data = malloc(len);
	if (!p.data)
		abort();
	memcpy(p.data, data, len);
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->q = realloc(l->q, l->cap * sizeof(*l->q));
		if (!l->q)
			abort();
	}
	/* Sorted insert from the tail: most packets go last. */
	i = l->n;
	while (i > 0 && l->q[i - 1].at > at)
		i--;
	memmove(&l->q[i + 1], &l->q[i], (l->n - i) * sizeof(*l->q));
	l->q[i] = p;
	l->n++;
}

static uint64_t delivery_time(struct sim *s, struct link *l)
{
	const struct link_cfg *c = &l->cfg;
	uint64_t at = s->now + c->delay_us;

	if (c->jitter_us)
		at += rng_below(&l->rng, c->jitter_us + 1);
	if (c->reorder_ppm && rng_ppm(&l->rng, c->reorder_ppm))
		return at + rng_range(&l->rng, 1, c->reorder_us);
	/* Without jitter, a wire keeps its order. */
	if (!c->jitter_us && at < l->last_at)
		at = l->last_at;
	l->last_at = at;
	return at;
}

static void corrupt(struct link *l, uint8_t *data, uint32_t len)
{
	uint32_t w = rng_below(&l->rng, len / 2);
	uint16_t mask;

	do
		mask = (uint16_t)rng_next(&l->rng);
	while (mask == 0 || mask == 0xffff);
	data[2 * w] ^= (uint8_t)(mask >> 8);
	data[2 * w + 1] ^= (uint8_t)mask;
}

void link_send(struct sim *s, struct link *l, const uint8_t *data, uint32_t len)
{
	const struct link_cfg *c = &l->cfg;
	uint8_t buf[2048];
	int copies = 1, i;

	l->sent++;
	if (c->loss_ppm && rng_ppm(&l->rng, c->loss_ppm)) {
		l->lost++;
		if (s->verbose)
			sim_log(s, "  (lost on the wire)");
		return;
	}
	if (c->dup_ppm && rng_ppm(&l->rng, c->dup_ppm)) {
		l->dups++;
		copies = 2;
	}
	for (i = 0; i < copies; i++) {
		const uint8_t *d = data;

		if (c->corrupt_ppm && len >= 2 && len <= sizeof(buf) &&
		    rng_ppm(&l->rng, c->corrupt_ppm)) {
			memcpy(buf, data, len);
			corrupt(l, buf, len);
			l->corrupted++;
			d = buf;
		}
		enqueue(s, l, d, len, delivery_time(s, l));
	}
}

uint64_t link_next(const struct link *l)
{
	return l->n ? l->q[0].at : SIM_NONE;
}

/* Take the first packet due at @now; the caller frees p->data. */
bool link_pop(struct link *l, uint64_t now, struct pkt *p)
{
	if (!l->n || l->q[0].at > now)
		return false;
	*p = l->q[0];
	l->n--;
	memmove(&l->q[0], &l->q[1], l->n * sizeof(*l->q));
	return true;
}
