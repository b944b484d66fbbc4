// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for xtcp_opts_parse()/xtcp_opts_build().  The first
 * input byte chooses SYN or not, the rest are option bytes.  Whatever
 * parses must survive build -> parse with the same meaning.
 */
#include <stdlib.h>
#include "options.h"

static void same_or_die(const struct xtcp_opts *a, const struct xtcp_opts *b)
{
	unsigned int i;

	if (a->mss_ok != b->mss_ok || a->ws_ok != b->ws_ok ||
	    a->sack_ok != b->sack_ok || a->ts_ok != b->ts_ok)
		abort();
	if (a->mss_ok && a->mss != b->mss)
		abort();
	if (a->ws_ok && a->ws != b->ws)
		abort();
	if (a->ts_ok && (a->tsval != b->tsval || a->tsecr != b->tsecr))
		abort();
	/* Build may drop SACK blocks for room, never reorder or alter. */
	if (b->nsack > a->nsack)
		abort();
	for (i = 0; i < b->nsack; i++)
		if (a->sack[i].start != b->sack[i].start ||
		    a->sack[i].end != b->sack[i].end)
			abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct xtcp_opts a, b;
	unsigned char buf[64];
	unsigned int n;
	bool syn;

	if (size < 1 || size > 1 + 255)
		return 0;
	syn = data[0] & 1;
	if (xtcp_opts_parse(data + 1, size - 1, syn, &a))
		return 0;
	if (a.ws > XTCP_MAX_WSCALE || a.nsack > XTCP_MAX_SACK_BLOCKS)
		abort();
	if (!syn && (a.mss_ok || a.ws_ok || a.sack_ok))
		abort();
	n = xtcp_opts_build(buf, &a);
	if (n > 40 || n % 4)
		abort();
	if (xtcp_opts_parse(buf, n, true, &b))
		abort();
	same_or_die(&a, &b);
	return 0;
}
