// SPDX-License-Identifier: GPL-2.0
/*
 * Link profiles.  Each direction draws its own parameters, so the two
 * ways of one run differ (loss one way only, reordering the other...).
 */
#include <string.h>

#include "sim.h"

/* A base delay of 0.1 .. 50 ms one way. */
static struct link_cfg base(struct rng *r)
{
	struct link_cfg c = { 0 };

	c.delay_us = rng_range(r, 100, 50000);
	return c;
}

static struct link_cfg clean(struct rng *r)
{
	return base(r);
}

static struct link_cfg loss1(struct rng *r)
{
	struct link_cfg c = base(r);

	c.loss_ppm = 10000;
	return c;
}

static struct link_cfg loss5(struct rng *r)
{
	struct link_cfg c = base(r);

	c.loss_ppm = 50000;
	return c;
}

static struct link_cfg loss20(struct rng *r)
{
	struct link_cfg c = base(r);

	c.loss_ppm = 200000;
	return c;
}

static struct link_cfg reorder(struct rng *r)
{
	struct link_cfg c = base(r);

	c.reorder_ppm = rng_range(r, 10000, 300000);
	c.reorder_us = rng_range(r, 1000, 2 * c.delay_us + 20000);
	return c;
}

static struct link_cfg dup(struct rng *r)
{
	struct link_cfg c = base(r);

	c.dup_ppm = rng_range(r, 10000, 200000);
	c.jitter_us = rng_below(r, 2) ? rng_below(r, 2000) : 0;
	return c;
}

static struct link_cfg corrupt(struct rng *r)
{
	struct link_cfg c = base(r);

	c.corrupt_ppm = rng_range(r, 10000, 100000);
	return c;
}

static struct link_cfg jitter(struct rng *r)
{
	struct link_cfg c = base(r);

	c.jitter_us = rng_range(r, 100, c.delay_us + 10000);
	return c;
}

static struct link_cfg mix(struct rng *r)
{
	struct link_cfg c = base(r);

	c.loss_ppm = rng_below(r, 30000);
	c.dup_ppm = rng_below(r, 30000);
	c.reorder_ppm = rng_below(r, 100000);
	c.reorder_us = rng_range(r, 1000, c.delay_us + 20000);
	c.corrupt_ppm = rng_below(r, 30000);
	c.jitter_us = rng_below(r, 3000);
	return c;
}

static struct link_cfg adversary(struct rng *r)
{
	struct link_cfg c = base(r);

	c.loss_ppm = rng_below(r, 20000);
	c.reorder_ppm = rng_below(r, 50000);
	c.reorder_us = rng_range(r, 1000, 20000);
	return c;
}

const struct profile sim_profiles[] = {
	{ "clean", clean, 0, false },
	{ "loss1", loss1, 0, false },
	{ "loss5", loss5, 0, false },
	{ "loss20", loss20, 0, false },
	{ "reorder", reorder, 0, false },
	{ "dup", dup, 0, false },
	{ "corrupt", corrupt, 0, false },
	{ "jitter", jitter, 0, false },
	{ "zerownd", clean, 1, false },
	{ "mix", mix, 2, false },
	{ "adversary", adversary, 2, true },
};

const unsigned int sim_nprofiles = sizeof(sim_profiles) / sizeof(sim_profiles[0]);

const struct profile *profile_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < sim_nprofiles; i++)
		if (!strcmp(sim_profiles[i].name, name))
			return &sim_profiles[i];
	return NULL;
}
