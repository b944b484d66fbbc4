/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP options (RFC 9293 3.2, RFC 7323, RFC 2018): MSS, window scale,
 * SACK-permitted, SACK blocks and timestamps, in TCP's kinds and format.
 */
#ifndef _XTCP_CORE_OPTIONS_H
#define _XTCP_CORE_OPTIONS_H

#include "types.h"

#define XTCP_OPT_EOL		0
#define XTCP_OPT_NOP		1
#define XTCP_OPT_MSS		2
#define XTCP_OPT_WSCALE		3
#define XTCP_OPT_SACK_PERM	4
#define XTCP_OPT_SACK		5
#define XTCP_OPT_TIMESTAMP	8

#define XTCP_MAX_SACK_BLOCKS	4
#define XTCP_MAX_WSCALE		14	/* RFC 7323 2.3 */
#define XTCP_DEFAULT_MSS	536	/* RFC 9293 3.7.1, no MSS option */

struct xtcp_sack_block {
	u32 start;	/* first sequence number of the block */
	u32 end;	/* one past the last */
};

struct xtcp_opts {
	bool mss_ok;
	bool ws_ok;
	bool sack_ok;		/* SACK-permitted */
	bool ts_ok;
	u16 mss;
	u8 ws;			/* shift count, clamped to XTCP_MAX_WSCALE */
	u8 nsack;		/* SACK blocks present, 0..4 */
	u32 tsval, tsecr;
	struct xtcp_sack_block sack[XTCP_MAX_SACK_BLOCKS];
};

/*
 * xtcp_opts_parse - parse the option bytes of a header.
 * @opt: first option byte, @len bytes of options (data offset*4 - 20).
 * @syn: the segment carries SYN; MSS, window scale and SACK-permitted
 *       are honoured only on SYN segments (RFC 9293, 7323, 2018).
 *
 * Unknown kinds with a valid length are skipped.  Returns 0, or -EINVAL
 * when an option length is < 2 or runs past @len, or a known option has
 * the wrong length.  @out is zeroed first.
 */
int xtcp_opts_parse(const u8 *opt, u32 len, bool syn, struct xtcp_opts *out);

/*
 * xtcp_opts_build - write the *_ok options of @in into @buf.
 * Order and alignment as Linux sends them (MSS, then SACK-permitted with
 * timestamps, window scale, SACK blocks), padded with NOPs/EOL to a
 * multiple of 4, never more than 40 bytes: SACK blocks that do not fit
 * are left out.  Returns the number of bytes written.
 */
u32 xtcp_opts_build(u8 *buf, const struct xtcp_opts *in);

#endif /* _XTCP_CORE_OPTIONS_H */
