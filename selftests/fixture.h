/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture every scenario test uses: two namespaces joined by veth,
 * parametrised over the family (variants "inet" and "xtcp").
 *
 * A variant whose family the kernel does not offer (AF_XTCP on a host
 * without the module) is skipped, unless XTCP_REQUIRE=1 is set (run_all.sh
 * sets it in the VM), in which case it fails.
 */
#ifndef XTCP_SELFTEST_FIXTURE_H
#define XTCP_SELFTEST_FIXTURE_H

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "kselftest_harness.h"
#include "lib.h"

#define XTCP_FIXTURE(fx)						\
FIXTURE(fx) {								\
	struct topo t;							\
};									\
FIXTURE_VARIANT(fx) {							\
	int kind;							\
};									\
FIXTURE_VARIANT_ADD(fx, inet) {						\
	.kind = FAM_INET,						\
};									\
FIXTURE_VARIANT_ADD(fx, xtcp) {						\
	.kind = FAM_XTCP,						\
};									\
FIXTURE_SETUP(fx)							\
{									\
	self->t.ns[0] = self->t.ns[1] = -1;				\
	signal(SIGPIPE, SIG_IGN);					\
	if (!fam_available(variant->kind)) {				\
		if (variant->kind == FAM_XTCP && fam_required())	\
			ASSERT_TRUE(0) TH_LOG("family %d (xtcp) unavailable: %s", \
					      fam_family(variant->kind), strerror(errno)); \
		SKIP(return, "socket family %s (%d) not available", \
		     fam_name(variant->kind), fam_family(variant->kind)); \
	}								\
	ASSERT_EQ(0, topo_setup(&self->t, variant->kind))		\
		TH_LOG("topology: %s", self->t.err);			\
}									\
FIXTURE_TEARDOWN(fx)							\
{									\
	topo_teardown(&self->t);					\
}

/* Assert that side's state counts become exactly spec within ms. */
#define ASSERT_STATES(side, spec, ms) do {				\
	struct states __last;						\
	char __buf[256];						\
	int __r = wait_states(&self->t, side, spec, ms, &__last);	\
	states_fmt(&__last, __buf, sizeof(__buf));			\
	ASSERT_EQ(0, __r) TH_LOG("side %s: want \"%s\", have \"%s\"",	\
				 side == SIDE_A ? "A" : "B", spec, __buf); \
} while (0)

#define T (&self->t)

#endif
