// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for xtcp_hdr_parse()/xtcp_hdr_build(): any input must
 * parse without a memory error; a header that parses must rebuild into
 * one that parses to the same fields.
 */
#include <stdlib.h>
#include <string.h>
#include "header.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct xtcp_seg a, b;
	unsigned char buf[XTCP_HDR_MAX_LEN];
	unsigned char *copy;
	unsigned int n;
	int err;

	if (size > 0xffff)
		return 0;
	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	err = xtcp_hdr_parse(copy, size, &a);
	free(copy);
	if (err)
		return 0;
	if (a.doff < XTCP_HDR_LEN || a.doff > XTCP_HDR_MAX_LEN ||
	    a.doff % 4 || a.doff + a.len != size)
		abort();
	n = xtcp_hdr_build(buf, &a);
	if (n < XTCP_HDR_LEN || n > XTCP_HDR_MAX_LEN || n % 4)
		abort();
	if (xtcp_hdr_parse(buf, n, &b))
		abort();
	if (a.sport != b.sport || a.dport != b.dport || a.seq != b.seq ||
	    a.ack != b.ack || a.flags != b.flags || a.wnd != b.wnd ||
	    a.urg != b.urg || b.len != 0)
		abort();
	if (a.opts.mss_ok != b.opts.mss_ok || a.opts.mss != b.opts.mss ||
	    a.opts.ts_ok != b.opts.ts_ok || a.opts.tsval != b.opts.tsval ||
	    a.opts.nsack < b.opts.nsack)
		abort();
	return 0;
}
